<?php
// What PHP's own tokenizer says about a list of files, for tests/php_tokenizer_oracle.rs.
//
// Usage: php -n -d short_open_tag=1 php_tags.php BASE_DIR < list
// where the list holds file paths relative to BASE_DIR, each ended by a NUL byte.
//
// Prints one line per file, in list order:
//     <index> TAB <items> TAB <path as JSON>
// with <items> separated by spaces, each "<kind>,<byte offset>,<byte length>":
//     O  T_OPEN_TAG              E  T_OPEN_TAG_WITH_ECHO
//     C  T_CLOSE_TAG             H  T_INLINE_HTML
//     M  a comment (T_COMMENT or T_DOC_COMMENT) outside string literals
//     S  a string literal from its opening to its closing token, interpolations included
//        (split around tags and inline HTML, which an interpolation may contain)
// A file that cannot be read gets the single item "!unreadable".

// Whether tokens at the current point are inside a string literal is not in the token
// stream itself: follow the lexer's state changes that the tokens reveal.
final class StringTracker
{
    /** @var int string literals open in the current state and on the state stack */
    public $depth = 0;
    /** @var string|null the closing token of the current string body, null in code */
    private $closing = null;
    /** @var array<string|null> PHP's state stack: saved values of $closing */
    private $stack = [];
    /** @var bool inside "$name[...]", where even '"' is a token of the offset */
    private $inOffset = false;

    public function step($id): void
    {
        if ($this->closing === null) {
            $this->stepInCode($id);
        } else {
            $this->stepInString($id);
        }
    }

    private function stepInCode($id): void
    {
        if ($id === '"' || $id === 'b"' || $id === 'B"') {
            $this->open('"');
        } elseif ($id === '`') {
            $this->open('`');
        } elseif ($id === T_START_HEREDOC) {
            $this->open('heredoc');
        } elseif ($id === '{') {
            $this->stack[] = null;
        } elseif ($id === '}' && $this->stack) {
            $this->closing = array_pop($this->stack);
        }
    }

    private function stepInString($id): void
    {
        if ($this->inOffset) {
            // "]" ends the offset; an empty T_ENCAPSED_AND_WHITESPACE marks PHP leaving it
            // at whitespace, "\", "'" or "#".
            if ($id === ']' || $id === T_ENCAPSED_AND_WHITESPACE) {
                $this->inOffset = false;
            }
        } elseif ($id === '[') {
            $this->inOffset = true;
        } elseif ($id === T_CURLY_OPEN || $id === T_DOLLAR_OPEN_CURLY_BRACES) {
            $this->stack[] = $this->closing;
            $this->closing = null;
        } elseif ($id === $this->closing || ($id === T_END_HEREDOC && $this->closing === 'heredoc')) {
            $this->closing = null;
            $this->depth--;
        }
    }

    private function open(string $closing): void
    {
        $this->closing = $closing;
        $this->depth++;
    }
}

function describe(string $source): string
{
    static $tags = [
        T_OPEN_TAG => 'O',
        T_OPEN_TAG_WITH_ECHO => 'E',
        T_CLOSE_TAG => 'C',
        T_INLINE_HTML => 'H',
    ];
    // In code outside literals only these tokens change what the tracker knows.
    static $stringOrBrace = ['"' => true, 'b"' => true, 'B"' => true, '`' => true, '{' => true, '}' => true];
    $items = [];
    $offset = 0;
    $strings = new StringTracker();
    $pieceStart = null; // where the current String piece started
    foreach (token_get_all($source) as $token) {
        $start = $offset;
        if (is_string($token)) {
            $id = $token;
            $offset += strlen($token);
        } else {
            $id = $token[0];
            $offset += strlen($token[1]);
            if (isset($tags[$id])) {
                if ($pieceStart !== null) {
                    $items[] = 'S,' . $pieceStart . ',' . ($start - $pieceStart);
                    $pieceStart = null;
                }
                $items[] = $tags[$id] . ',' . $start . ',' . ($offset - $start);
                continue;
            }
        }
        if ($strings->depth === 0) {
            if ($id === T_COMMENT || $id === T_DOC_COMMENT) {
                $items[] = 'M,' . $start . ',' . ($offset - $start);
                continue;
            }
            // T_ENCAPSED_AND_WHITESPACE in code is an unterminated '...' running to EOF.
            if ($id === T_CONSTANT_ENCAPSED_STRING || $id === T_ENCAPSED_AND_WHITESPACE) {
                $items[] = 'S,' . $start . ',' . ($offset - $start);
                continue;
            }
            if ($id !== T_START_HEREDOC && !(is_string($id) && isset($stringOrBrace[$id]))) {
                continue;
            }
        }
        $wasInString = $strings->depth > 0;
        $strings->step($id);
        if ($pieceStart === null && ($wasInString || $strings->depth > 0)) {
            $pieceStart = $start;
        }
        if ($pieceStart !== null && $strings->depth === 0) {
            $items[] = 'S,' . $pieceStart . ',' . ($offset - $pieceStart);
            $pieceStart = null;
        }
    }
    if ($pieceStart !== null) {
        $items[] = 'S,' . $pieceStart . ',' . ($offset - $pieceStart);
    }
    return implode(' ', $items);
}

if (!function_exists('token_get_all')) {
    fwrite(STDERR, "the tokenizer extension is not loaded\n");
    exit(2);
}
if (!ini_get('short_open_tag')) {
    fwrite(STDERR, "run with short_open_tag on (php -n, or -d short_open_tag=1)\n");
    exit(2);
}
$base = $argv[1] ?? '.';
$index = 0;
foreach (explode("\0", stream_get_contents(STDIN)) as $path) {
    if ($path === '') {
        continue;
    }
    $source = @file_get_contents($base . '/' . $path);
    $items = $source === false ? '!unreadable' : describe($source);
    echo $index++, "\t", $items, "\t", json_encode($path, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
