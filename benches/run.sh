#!/usr/bin/env bash
# The benchmark of issue "Fast enough for every commit": etclint against the tools users run
# today, on the same files, in one run. Prints tables of medians, ratios and peak RSS, and
# writes them to benches/results/ (not committed; BENCHMARKS.md records a run).
#
# usage: benches/run.sh [CACHE]        (default /tmp/corpus/cache)
# needs: hyperfine, php-cli, php-codesniffer, wget, /usr/bin/time (apt); fetches the corpus itself.
# SLOW=0 skips the peers that take minutes (php -l, phpcs).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${1:-/tmp/corpus/cache}
OUT=$PWD/benches/results
mkdir -p "$OUT"
SLOW=${SLOW:-1}

for tool in hyperfine php phpcs; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install hyperfine php-cli php-codesniffer"; exit 1; }
done
[ -f "$CACHE/_lists/php-bench.nul" ] || bash ../shared/corpus/fetch-corpus.sh "$CACHE" >/dev/null
cargo build --release --quiet --bin etclint --example parse_tree
ETCLINT=$PWD/target/release/etclint
PARSE=$PWD/target/release/examples/parse_tree
BENCH=$CACHE/_lists/php-bench.nul
FULL=$CACHE/_lists/php.nul

# A command that runs etclint on exactly the files of a NUL-separated list, in one process.
on_list() { # $1 list, rest: etclint arguments
    local list=$1; shift
    printf 'cd %q && mapfile -d "" files < %q && %q --exit-zero %s "${files[@]}" >/dev/null' \
        "$CACHE" "$list" "$ETCLINT" "$*"
}
cat_list() { printf 'cd %q && xargs -0 cat < %q >/dev/null' "$CACHE" "$1"; }

# Twice the bench set, as other paths (hard links), for the linearity check.
DOUBLE=$CACHE/_bench_double
if [ ! -d "$DOUBLE" ]; then
    mkdir -p "$DOUBLE"
    (cd "$CACHE" && cp -al mediawiki wordpress "$DOUBLE/")
fi
(cd "$CACHE" && { tr '\0' '\n' <"$BENCH"; tr '\0' '\n' <"$BENCH" | sed 's|^|_bench_double/|'; } | tr '\n' '\0' >"$OUT/double.nul")

# 20,000 small files: the engine's per-file overhead (discovery, detection, reading, rendering).
SMALL=$CACHE/_bench_small
if [ ! -d "$SMALL" ]; then
    for d in $(seq -w 0 199); do
        mkdir -p "$SMALL/site$d"
        for f in $(seq -w 0 99); do printf '<?php\n$setting_%s = %s;\n' "$f" "$f" >"$SMALL/site$d/conf$f.php"; done
    done
fi
ONE=$CACHE/wordpress/usr/share/wordpress/wp-includes/cron.php

SHELL_FOR_HF=bash
hf() { hyperfine --shell "$SHELL_FOR_HF" --style basic --warmup "$1" --runs "$2" --export-markdown "$OUT/$3.md" --export-json "$OUT/$3.json" "${@:4}"; }

echo "== 1. default rules on php-bench vs cat and the peers"
hf 3 10 default \
    -n cat "$(cat_list "$BENCH")" \
    -n etclint "$(on_list "$BENCH")" \
    -n "etclint --jobs 1" "$(on_list "$BENCH" --jobs 1)"
if [ "$SLOW" = 1 ]; then
    hf 0 1 peers \
        -n "php -l (xargs -P2)" "cd $CACHE && xargs -0 -n1 -P2 php -n -l < $BENCH >/dev/null 2>&1; true" \
        -n "phpcs ClosingTag --parallel=2" "cd $CACHE && phpcs --standard=PSR2 --sniffs=PSR2.Files.ClosingTag -q --report=summary --parallel=2 --file-list=_lists/php-bench.txt >/dev/null; true" \
        -n etclint "$(on_list "$BENCH")"
fi

echo "== 2. PHP000 (a full parse of every file) vs a bare tree-sitter-php parse"
hf 1 5 syntax \
    -n "tree-sitter-php parse (2 threads)" "cd $CACHE && $PARSE $BENCH" \
    -n "etclint --select PHP000" "$(on_list "$BENCH" --select PHP000)"

echo "== 4. linearity and threads"
hf 2 5 linear \
    -n "etclint php-bench" "$(on_list "$BENCH")" \
    -n "etclint php-bench twice" "$(on_list "$OUT/double.nul")"

echo "== 5. one file, as pre-commit calls it"
SHELL_FOR_HF=none hf 10 50 one-file -n "etclint one file" "$ETCLINT $ONE"

echo "== 6. 20,000 small files"
hf 2 5 small -n "etclint 20,000 small files" "$ETCLINT --exit-zero $SMALL"

echo "== 7. wgetrc: 2,000 files against wget reading each; 20,000 small files with wgetrc among them"
command -v wget >/dev/null || { echo "missing wget: apt-get install wget"; exit 1; }
WGETRC_TREE=$CACHE/_bench_wgetrc
if [ ! -d "$WGETRC_TREE" ]; then
    for d in $(seq -w 0 1999); do
        mkdir -p "$WGETRC_TREE/home$d"
        cp fixtures/demo/var/www/.wgetrc "$WGETRC_TREE/home$d/.wgetrc"
    done
fi
(cd "$CACHE" && find _bench_wgetrc -name .wgetrc -print0 | sort -z >"$OUT/wgetrc.nul")
# The small-files tree with one file in a hundred a .wgetrc instead of PHP.
SMALL_WGETRC=$CACHE/_bench_small_wgetrc
if [ ! -d "$SMALL_WGETRC" ]; then
    cp -al "$SMALL" "$SMALL_WGETRC"
    for d in "$SMALL_WGETRC"/site*; do
        rm "$d/conf99.php"
        cp fixtures/demo/var/www/.wgetrc "$d/.wgetrc"
    done
fi
hf 1 5 wgetrc \
    -n "cat 2,000 wgetrc" "$(cat_list "$OUT/wgetrc.nul")" \
    -n "etclint 2,000 wgetrc" "$(on_list "$OUT/wgetrc.nul")" \
    -n "wget --config=FILE --version, 2,000 wgetrc (xargs -P2)" \
    "cd $CACHE && xargs -0 -P2 -I{} wget --config={} --version <$OUT/wgetrc.nul >/dev/null 2>&1; true"
hf 2 5 small-wgetrc -n "etclint 20,000 small files, 200 of them .wgetrc" "$ETCLINT --exit-zero $SMALL_WGETRC"

echo "== 3. peak memory (KB) on the full corpus (22k files)"
/usr/bin/time -f "%M KB peak, %e s" bash -c "$(on_list "$FULL")" 2>&1 | tee "$OUT/memory.txt"
/usr/bin/time -f "%M KB peak, %e s (php-bench)" bash -c "$(on_list "$BENCH")" 2>&1 | tee -a "$OUT/memory.txt"

# postfix-regexp/postfix-pcre (issue 13): against postmap.
bash benches/postfix-tables.sh "$ETCLINT"
# postfix-main/postfix-master (issue 12): against postconf -n.
bash benches/postfix-conf.sh "$ETCLINT"
# apache (issue 11): against apache2 -t.
bash benches/apache.sh "$ETCLINT"

echo
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== versions: $($ETCLINT --version), $(php --version | head -1), $(phpcs --version), $(hyperfine --version)"
for f in default peers syntax linear one-file small wgetrc small-wgetrc postfix-tables postfix-conf apache; do [ -f "$OUT/$f.md" ] && { echo; cat "$OUT/$f.md"; }; done

echo
echo "== CPU time (user + sys, hyperfine means) of section 1"
python3 - "$OUT/default.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
cpu = {name: r["user"] + r["system"] for name, r in results.items()}
cat = cpu["cat"]
for name in results:
    r = results[name]
    print(f"{name}: {cpu[name] * 1000:.1f} ms CPU ({cpu[name] / cat:.2f}x cat), "
          f"{r['mean'] * 1000:.1f} ms wall ({r['mean'] / results['cat']['mean']:.2f}x cat)")
PY
