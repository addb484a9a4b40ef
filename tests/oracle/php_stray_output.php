<?php
// PHP's own tokenizer's view of stray output, for tests/corpus.rs: which files are code files
// and where they send whitespace (or invisible characters) that PHP outputs.
//
// Usage: php -n -d extension=tokenizer php_stray_output.php < list
// where the list holds file paths (relative to the working directory), each ended by a NUL.
// Prints one line per file: <path> TAB <before> TAB <after>, with <before> 1 when a code file
// has stray output before its first opening tag, and <after> the number of stray stretches
// after its closing tags (between blocks, and after the last one).
//
// A code file, as etclint's PHP001 and PHP002 define it:
// * no `<?=`; inline HTML before the first opening tag (after a `#!` line), between blocks and
//   after the last closing tag is only whitespace and invisible characters (below);
// * nothing after `__halt_compiler` and the three tokens PHP still reads after it is output:
//   a closing tag among them is no closing tag with output after it;
// * a file of several blocks is a code file only when its code prints nothing itself: no
//   echo, print, eval, include/require, exit/die with a message, or a call of a function that
//   writes to the output (print_r and var_export without a second argument `true`).

const INVISIBLE = '/\A(?:[ \t\n\r\x0b\x0c]|\x{0085}|\x{00A0}|\x{1680}|\x{180E}|[\x{2000}-\x{200D}]'
    . '|\x{2028}|\x{2029}|\x{202F}|\x{205F}|\x{2060}|\x{3000}|\x{FEFF})*\z/u';

const OUTPUT_FUNCTIONS = [
    'printf', 'vprintf', 'fprintf', 'vfprintf', 'fwrite', 'fputs', 'fputcsv', 'readfile',
    'fpassthru', 'passthru', 'system', 'var_dump', 'debug_zval_dump', 'debug_print_backtrace',
    'print_r', 'var_export', 'phpinfo', 'phpcredits', 'highlight_file', 'highlight_string',
    'show_source', 'php_strip_whitespace', 'ob_flush', 'ob_end_flush', 'ob_get_flush',
];

function is_blank(string $text): bool
{
    return preg_match(INVISIBLE, $text) === 1;
}

/** The tokens without whitespace and comments. */
function significant(array $tokens): array
{
    return array_values(array_filter($tokens, fn($t) => !is_array($t)
        || !in_array($t[0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT], true)));
}

function may_print(array $code): bool
{
    $n = count($code);
    for ($i = 0; $i < $n; $i++) {
        $t = $code[$i];
        if (!is_array($t)) {
            continue;
        }
        $id = $t[0];
        if (in_array($id, [T_ECHO, T_PRINT, T_EVAL, T_INCLUDE, T_INCLUDE_ONCE, T_REQUIRE,
            T_REQUIRE_ONCE], true)) {
            return true;
        }
        $next = $code[$i + 1] ?? null;
        if ($id === T_EXIT) {
            if ($next !== '(') {
                continue;
            }
            $arg = $code[$i + 2] ?? null;
            $code_only = $arg === ')' || (is_array($arg) && $arg[0] === T_LNUMBER
                && ($code[$i + 3] ?? null) === ')');
            if (!$code_only) {
                return true;
            }
            continue;
        }
        if ($id !== T_STRING && $id !== T_NAME_FULLY_QUALIFIED) {
            continue;
        }
        $name = strtolower(ltrim($t[1], '\\'));
        if ($id === T_NAME_FULLY_QUALIFIED && str_contains($name, '\\')) {
            continue;
        }
        $prev = $code[$i - 1] ?? null;
        $member = is_array($prev) && in_array($prev[0], [T_OBJECT_OPERATOR,
            T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_CONST, T_NEW], true);
        if ($member || $next !== '(' || !in_array($name, OUTPUT_FUNCTIONS, true)) {
            continue;
        }
        if ($name === 'print_r' || $name === 'var_export') {
            if (!second_argument_is_true($code, $i + 2)) {
                return true;
            }
            continue;
        }
        return true;
    }
    return false;
}

function second_argument_is_true(array $code, int $i): bool
{
    $depth = 0;
    for (; $i < count($code); $i++) {
        $t = $code[$i];
        if (in_array($t, ['(', '[', '{'], true) || (is_array($t)
            && in_array($t[0], [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true))) {
            $depth++;
        } elseif (in_array($t, [')', ']', '}'], true)) {
            if ($depth === 0) {
                return false;
            }
            $depth--;
        } elseif ($t === ',' && $depth === 0) {
            $arg = $code[$i + 1] ?? null;
            return is_array($arg) && strtolower($arg[1]) === 'true'
                && in_array($code[$i + 2] ?? null, [')', ','], true);
        }
    }
    return false;
}

/** [before, after] for one file's source. */
function verdict(string $source): array
{
    $tokens = token_get_all($source);
    // Cut at the end of `__halt_compiler` and the three tokens after it.
    foreach ($tokens as $i => $t) {
        if (is_array($t) && $t[0] === T_HALT_COMPILER) {
            $left = 3;
            for ($j = $i + 1; $j < count($tokens) && $left > 0; $j++) {
                $u = $tokens[$j];
                if (is_array($u) && in_array($u[0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT,
                    T_OPEN_TAG], true)) {
                    continue;
                }
                $left--;
            }
            $tokens = array_slice($tokens, 0, $j);
            break;
        }
    }
    $opens = 0;
    $before = '';
    $stray = [];
    $last = null;
    foreach ($tokens as $i => $t) {
        $id = is_array($t) ? $t[0] : null;
        if ($id === T_OPEN_TAG_WITH_ECHO) {
            return [0, 0];
        }
        if ($id === T_OPEN_TAG) {
            $opens++;
        }
        if ($id === T_INLINE_HTML && $i === 0) {
            $text = $t[1];
            if (str_starts_with($text, '#!')) {
                $nl = strpos($text, "\n");
                $text = $nl === false ? '' : substr($text, $nl + 1);
            }
            if (!is_blank($text)) {
                return [0, 0];
            }
            $before = $text;
        } elseif ($id === T_INLINE_HTML && $last === T_CLOSE_TAG) {
            if (!is_blank($t[1])) {
                return [0, 0];
            }
            $stray[] = $t[1];
        }
        $last = $id;
    }
    if ($opens === 0) {
        return [0, 0];
    }
    if ($opens > 1 && may_print(significant($tokens))) {
        return [0, 0];
    }
    return [$before !== '' ? 1 : 0, count(array_filter($stray, fn($s) => $s !== ''))];
}

foreach (array_filter(explode("\0", stream_get_contents(STDIN))) as $f) {
    [$before, $after] = verdict(file_get_contents($f));
    printf("%s\t%d\t%d\n", $f, $before, $after);
}
