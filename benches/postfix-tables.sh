#!/usr/bin/env bash
# Issue 13's performance targets, against postmap in the same run: validating a generated
# regexp: table of 100,000 rules (every pattern compiled with regcomp) against
# `postmap -q nothing regexp:FILE` loading it, and the merge fix of the incident-shaped table
# (1,344 + 4 rules). Called by benches/run.sh; runs alone as well.
# usage: benches/postfix-tables.sh [ETCLINT]     needs: hyperfine, postfix (postmap)
set -euo pipefail
cd "$(dirname "$0")/.."
ETCLINT=${1:-$PWD/target/release/etclint}
OUT=$PWD/benches/results
mkdir -p "$OUT"
command -v postmap >/dev/null || { echo "postfix tables: skipped (no postmap: apt-get install postfix)"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# postmap's own configuration directory (an empty main.cf): Debian's "No configuration" install
# writes no /etc/postfix/main.cf, and postmap stops without one.
mkdir "$dir/config" && : >"$dir/config/main.cf"
export MAIL_CONFIG=$dir/config
bash fixtures/postfix-regexp/generate-incident-table.sh 4762 >"$dir/big.regexp"   # 100,243 rules
bash fixtures/postfix-regexp/generate-incident-table.sh 64 >"$dir/incident.regexp"
echo "== 7. postfix tables: $(grep -c '^/' "$dir/big.regexp") rules validated; the merge fix of $(grep -c '^/' "$dir/incident.regexp") rules"
hyperfine --style basic --warmup 1 --runs 5 -i --export-markdown "$OUT/postfix-tables.md" \
    -n "postmap -q nothing (loads the table)" "postmap -q nothing regexp:$dir/big.regexp" \
    -n "etclint --select PFT001" "$ETCLINT --exit-zero --select PFT001 $dir/big.regexp" \
    -n "etclint, default rules" "$ETCLINT --exit-zero $dir/big.regexp" \
    -n "etclint --fix (incident, PFT010)" "cp $dir/incident.regexp $dir/fix.regexp && $ETCLINT --exit-zero --select PFT010 --fix $dir/fix.regexp" \
    -n "etclint (incident, PFT010, no fix)" "$ETCLINT --exit-zero --select PFT010 $dir/incident.regexp"
/usr/bin/time -f "postmap: %M KB peak" postmap -q nothing "regexp:$dir/big.regexp" || true
/usr/bin/time -f "etclint --select PFT001: %M KB peak" "$ETCLINT" --exit-zero --select PFT001 "$dir/big.regexp" >/dev/null
