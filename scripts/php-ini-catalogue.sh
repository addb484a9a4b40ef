#!/usr/bin/env bash
# Writes the two tables the php-ini format reads, from the installed PHP (Debian 12's 8.2):
#   src/formats/php_ini/directives.txt  the directive names PHP knows: `ini_get_all()` with
#       every extension of /etc/php/8.2/mods-available loaded (in Debian's priority order),
#       plus the keys php.ini-production and -development set or show commented out, plus
#       `extension`/`zend_extension` and the directives PHP removed (main.c's start-up list
#       and those 8.2 silently ignores), one a line, sorted.
#   src/formats/php_ini/constants.tsv   the constants a php.ini value may name: every defined
#       constant that PHP really replaces while it reads a php.ini (probed with a file of
#       `kN = NAME` lines: extensions' constants do not exist yet then), NAME TAB VALUE with
#       `\`, tab, CR and LF escaped.
#
#   scripts/php-ini-catalogue.sh [PHP]        (default: php on PATH)
#   PHP_INI_CATALOGUE_OUT=DIR writes both files into DIR (tests/php_ini_catalogue.rs compares).
set -euo pipefail
cd "$(dirname "$0")/.."
php=${1:-php}
out=${PHP_INI_CATALOGUE_OUT:-src/formats/php_ini}
mods=/etc/php/8.2/mods-available
templates=/usr/lib/php/8.2
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The extensions, in the order Debian's conf.d links load them (`; priority=NN`).
args=()
for ini in "$mods"/*.ini; do
    priority=$(sed -n 's/^; *priority=\([0-9]*\).*/\1/p' "$ini" | head -1)
    line=$(grep -E '^(zend_)?extension *=' "$ini" | head -1 | tr -d ' ')
    [ -n "$line" ] && printf '%s %s\n' "${priority:-20}" "$line"
done | sort -n -k1,1 -s >"$work/extensions"
while read -r _ line; do args+=(-d "$line"); done <"$work/extensions"

{
    "$php" -n "${args[@]}" -r 'echo implode("\n", array_keys(ini_get_all())), "\n";'
    for f in "$templates/php.ini-production" "$templates/php.ini-development"; do
        sed -n 's/^;\{0,1\}\([A-Za-z_][A-Za-z0-9_.]*\) *=.*/\1/p' "$f"
    done
    printf '%s\n' extension zend_extension
    # main.c's start-up check, in its order, then what 8.2 silently ignores.
    printf '%s\n' allow_call_time_pass_reference asp_tags define_syslog_variables highlight.bg \
        magic_quotes_gpc magic_quotes_runtime magic_quotes_sybase register_globals \
        register_long_arrays safe_mode safe_mode_gid safe_mode_include_dir safe_mode_exec_dir \
        safe_mode_allowed_env_vars safe_mode_protected_env_vars zend.ze1_compatibility_mode \
        track_errors y2k_compliance always_populate_raw_post_data mbstring.func_overload
} | sort -u >"$work/directives"
[ "$(wc -l <"$work/directives")" -gt 300 ] || { echo "too few directives: is PHP complete?" >&2; exit 1; }

# Every constant name that PHP could read in a value, probed in one file.
"$php" -n -r 'foreach (array_keys(get_defined_constants()) as $n) if (preg_match("/^[A-Za-z_][A-Za-z0-9_]*$/", $n)) echo $n, "\n";' \
    | grep -v -i -x -E 'true|false|null|on|off|yes|no|none' >"$work/names"
awk '{ printf "k%d = %s\n", NR, $0 }' "$work/names" >"$work/probe.ini"
"$php" -n -c "$work/probe.ini" -r '
    $names = file($argv[1], FILE_IGNORE_NEW_LINES);
    $rows = [];
    foreach ($names as $i => $name) {
        $v = get_cfg_var("k" . ($i + 1));
        if ($v !== false && $v !== $name) $rows[$name] = addcslashes($v, "\\\t\r\n");
    }
    ksort($rows, SORT_STRING);
    foreach ($rows as $n => $v) echo $n, "\t", $v, "\n";
' "$work/names" >"$work/constants"
grep -q '^E_ALL	32767$' "$work/constants" || { echo "E_ALL was not replaced: probe failed" >&2; exit 1; }

mkdir -p "$out"
cp "$work/directives" "$out/directives.txt"
cp "$work/constants" "$out/constants.tsv"
