#!/usr/bin/env bash
# Builds the fuzz targets and runs each in turn for SECONDS seconds (default 600), one fuzzer
# process at a time, with its dictionary and its seeds.
#
#   fuzz/run.sh [SECONDS] [TARGET…]
#
# Works on a stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly flags
# (-Zsanitizer=address …). FUZZ_SANITIZER=none builds without AddressSanitizer (faster; the
# Rust code is memory-safe, tree-sitter's C is what ASan watches).
#
# Seeds: fixtures/php/** for the PHP targets, fixtures/wgetrc/** for wgetrc_lint_fix,
# fixtures/grub{,-default}/** for grub_lint_fix (a first byte picking the format),
# fixtures/php-ini/** and the demo php.ini for php_ini_lint_fix,
# fixtures/postfix-main/** and fixtures/postfix-master/** for postfix_conf, fixtures/apache/**
# and fuzz/seeds/apache_lint_fix/ for apache_lint_fix (a first byte picking .htaccess or not),
# fuzz/seeds/<target>/ for the others, and the inputs of fixtures/fuzz/<target>/ that once failed; all copied into fuzz/corpus/<target>/
# (git-ignored), which keeps growing from run to run. A failing input lands in
# fuzz/artifacts/<target>/; the log of each run in fuzz/artifacts/logs/<target>.log.
set -uo pipefail

seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(php_scan php_lint_fix lint_fix config suppress wgetrc_lint_fix postfix_table grub_lint_fix
        php_ini_lint_fix postfix_conf apache_lint_fix)
fi

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz_dir")
cd "$root"
export RUSTC_BOOTSTRAP=1
unset CARGO_TARGET_DIR # cargo fuzz builds in fuzz/target
sanitizer=${FUZZ_SANITIZER:-address}

for target in "${targets[@]}"; do
    cargo fuzz build --sanitizer "$sanitizer" "$target" || exit 2
done

mkdir -p fuzz/artifacts/logs
failed=()
for target in "${targets[@]}"; do
    corpus=fuzz/corpus/$target
    mkdir -p "$corpus" "fuzz/artifacts/$target"
    case $target in
    php_ini_*)
        dict=fuzz/php-ini.dict
        find fixtures/php-ini fixtures/demo/etc/php -type f ! -name '*.snap' -print0 |
            while IFS= read -r -d '' file; do
                cp -n "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
            done
        ;;
    php_*|suppress)
        dict=fuzz/php.dict
        find fixtures/php -type f ! -name '*.snap' -print0 |
            while IFS= read -r -d '' file; do
                cp -n "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
            done
        ;;
    wgetrc_*)
        dict=fuzz/wgetrc.dict
        find fixtures/wgetrc -type f ! -name '*.snap' -print0 |
            while IFS= read -r -d '' file; do
                cp -n "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
            done
        ;;
    grub_*)
        # The first byte picks the format: 0 grub.conf, 1 /etc/default/grub.
        dict=fuzz/grub.dict
        find fixtures/grub fixtures/grub-default -type f ! -name '*.snap' ! -name '*.img' -print0 |
            while IFS= read -r -d '' file; do
                case $file in */default/grub) pick='\x01' ;; *) pick='\x00' ;; esac
                { printf "$pick"; cat "$file"; } > "$corpus/seed-$(echo "$file" | tr '/' '_')"
            done
        ;;
    postfix_conf)
        dict=
        find fixtures/postfix-main fixtures/postfix-master -type f ! -name '*.snap' -print0 |
            while IFS= read -r -d '' file; do
                cp -n "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
            done
        ;;
    apache_*)
        # The first byte picks the context: 0 server configuration, 1 .htaccess.
        dict=fuzz/apache.dict
        find fixtures/apache -type f ! -name '*.snap' -print0 |
            while IFS= read -r -d '' file; do
                case $file in */.htaccess) pick='\x01' ;; *) pick='\x00' ;; esac
                { printf "$pick"; cat "$file"; } > "$corpus/seed-$(echo "$file" | tr '/' '_')"
            done
        cp -n fuzz/seeds/apache_lint_fix/* "$corpus/"
        ;;
    config)
        dict=fuzz/toml.dict
        cp -n fuzz/seeds/config/* "$corpus/"
        ;;
    *)
        dict=
        ;;
    esac
    if [ -d "fixtures/fuzz/$target" ]; then
        cp -n "fixtures/fuzz/$target"/* "$corpus/" 2>/dev/null
    fi
    log=fuzz/artifacts/logs/$target.log
    echo "== $target: ${seconds}s, log in $log"
    # No -jobs: libFuzzer runs one fuzzing process (-jobs=1 would fork one child that logs
    # to a file of its own).
    cargo fuzz run --sanitizer "$sanitizer" "$target" "$corpus" -- \
        -max_total_time="$seconds" -timeout=30 -max_len=16384 -rss_limit_mb=2048 \
        -print_final_stats=1 ${dict:+-dict=$dict} >"$log" 2>&1
    status=$?
    grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | sed 's/^/   /'
    if [ $status -ne 0 ]; then
        echo "   FAILED (exit $status): see $log and fuzz/artifacts/$target/"
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "failed: ${failed[*]}"
    exit 1
fi
