#!/usr/bin/env bash
# Issue 12's performance target, against postconf in the same run: Debian's main.cf and
# master.cf, and a generated main.cf of 10,000 parameters with 50,000 `$name` references
# (beside Debian's master.cf), each linted by etclint and read by `postconf -n -c DIR`.
# Called by benches/run.sh; runs alone as well.
# usage: benches/postfix-conf.sh [ETCLINT]     needs: hyperfine, postfix (postconf)
set -euo pipefail
cd "$(dirname "$0")/.."
ETCLINT=${1:-$PWD/target/release/etclint}
OUT=$PWD/benches/results
mkdir -p "$OUT"
command -v postconf >/dev/null || { echo "postfix main.cf/master.cf: skipped (no postconf: apt-get install postfix)"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/debian" "$dir/generated"
# Debian's main.cf is what postinst writes: main.cf.debian with the TLS part appended.
cat /usr/share/postfix/main.cf.debian /usr/share/postfix/main.cf.tls >"$dir/debian/main.cf"
cp /etc/postfix/master.cf "$dir/debian/master.cf"
cp /etc/postfix/master.cf "$dir/generated/master.cf"
# 10,000 parameters; each names five others (an earlier one, one far back, one ahead, a
# built-in, a ${name?value} form): 50,000 references, forward and backward.
awk 'BEGIN {
    for (i = 0; i < 10000; i++) {
        printf "bench_param_%d = $bench_param_%d ${bench_param_%d} $(bench_param_%d) $mydomain ${myhostname?x}\n",
            i, (i + 9999) % 10000, int(i / 2), (i * 7 + 1) % 10000
    }
}' >"$dir/generated/main.cf"
params=$(grep -c '=' "$dir/generated/main.cf")
refs=$(grep -o '\$' "$dir/generated/main.cf" | wc -l)
echo "== 8. postfix main.cf/master.cf: Debian's; a generated main.cf of $params parameters, $refs references"
hyperfine -N --style basic --warmup 2 --runs 20 -i --export-markdown "$OUT/postfix-conf.md" \
    --export-json "$OUT/postfix-conf.json" \
    -n "postconf -n (Debian)" "postconf -n -c $dir/debian" \
    -n "etclint (Debian main.cf + master.cf)" "$ETCLINT --exit-zero $dir/debian/main.cf $dir/debian/master.cf" \
    -n "postconf -n (generated)" "postconf -n -c $dir/generated" \
    -n "etclint (generated main.cf + master.cf)" "$ETCLINT --exit-zero $dir/generated/main.cf $dir/generated/master.cf"
# The issue's target is a ratio in one run: medians (steadier than means on a loaded machine).
if command -v jq >/dev/null; then
    jq -r '.results | map({(.command): .median}) | add |
        "ratio of medians, etclint / postconf -n: Debian \(
            (."etclint (Debian main.cf + master.cf)" / ."postconf -n (Debian)") * 100 | round / 100
        )x, generated \(
            (."etclint (generated main.cf + master.cf)" / ."postconf -n (generated)") * 100 | round / 100
        )x"' "$OUT/postfix-conf.json"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "postconf -n (generated): %M KB peak" postconf -n -c "$dir/generated" >/dev/null 2>&1 || true
/usr/bin/time -f "etclint (generated): %M KB peak" "$ETCLINT" --exit-zero "$dir/generated/main.cf" "$dir/generated/master.cf" >/dev/null
