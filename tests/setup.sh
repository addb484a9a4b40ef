#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs the programs the tests ask (the real
# programs used as oracles, never started as services), fetches the real-world corpus, installs
# Microsoft's SARIF validator inside the target directory, then runs
# `cargo test -- --include-ignored`, so that the tests a plain offline `cargo test` lists as
# ignored run too, and fail if something they need is missing.
#
#   tests/setup.sh                    everything
#   tests/setup.sh --test cli         arguments before `--` go to cargo test
#   ETCLINT_SETUP_ONLY=1 tests/setup.sh   install and fetch only
#
# Installing needs root (or sudo). Environment: ETCLINT_CORPUS (default /tmp/corpus/cache).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# Debian package → a command it brings, checked before installing anything.
declare -A wanted=(
    [php-cli]=php
    [git]=git
    [patch]=patch
    [util-linux]=setpriv
    [wget]=wget
    [npm]=npm
    [postfix]=postmap
    [apache2]=apache2
    [grub-legacy]=grub
    [e2fsprogs]=mke2fs
    [cpio]=cpio
    [xz-utils]=xz
    [zstd]=zstd
    [openssl]=openssl
)
missing=()
for package in "${!wanted[@]}"; do
    command -v "${wanted[$package]}" >/dev/null || missing+=("$package")
done
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
[ -x /usr/bin/time ] || missing+=(time)
# PHP's extensions that a LAMP server loads (the php.ini catalogue is generated with them) and
# mod_php for Apache's oracle; the package's maintainer scripts obey policy-rc.d like postfix's.
for package in libapache2-mod-php8.2 php8.2-mysql php8.2-gd php8.2-curl php8.2-mbstring \
    php8.2-xml php8.2-intl php8.2-zip php8.2-opcache; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' \
        || missing+=("$package")
done
# The PCRE2 etclint links, Debian's (as Postfix's); without it pcre2-sys builds its own copy.
pkg-config --exists libpcre2-8 2>/dev/null || missing+=(libpcre2-dev pkg-config)
dpkg-query -W -f='${Status}' postfix-pcre 2>/dev/null | grep -q 'ok installed' \
    || missing+=(postfix-pcre)
# mod_dbd's MySQL driver: apache2 -t loads it for the `DBDriver mysql` of APA008's fixtures.
dpkg-query -W -f='${Status}' libaprutil1-dbd-mysql 2>/dev/null | grep -q 'ok installed' \
    || missing+=(libaprutil1-dbd-mysql)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "setup: installing ${missing[*]}"
    # Packages must not start services: postfix's maintainer scripts ask invoke-rc.d, which
    # obeys policy-rc.d (101: not allowed). Postfix gets no configuration.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
        "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
    fi
    echo 'postfix postfix/main_mailer_type select No configuration' \
        | "${sudo[@]}" debconf-set-selections
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if command -v rustup >/dev/null; then
    rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi

# The corpus: Debian packages unpacked (never installed); the script skips what it has.
export ETCLINT_CORPUS=${ETCLINT_CORPUS:-/tmp/corpus/cache}
log=$(mktemp)
if ! bash tests/corpus/fetch.sh "$ETCLINT_CORPUS" >"$log" 2>&1 \
    && ! bash tests/corpus/fetch.sh "$ETCLINT_CORPUS" >"$log" 2>&1; then
    tail -20 "$log"
    echo "setup: the corpus fetch failed"
    exit 1
fi
rm -f "$log"
echo "setup: corpus of $(wc -l <"$ETCLINT_CORPUS/_lists/php.txt") PHP files in $ETCLINT_CORPUS"

# Microsoft's SARIF validator (npm ships it with the SARIF 2.1.0 schema), kept in the target
# directory like everything else the tests build.
cache=${CARGO_TARGET_DIR:-$PWD/target}/test-cache
multitool=$cache/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$multitool" ]; then
    mkdir -p "$cache/sarif-multitool"
    npm install --prefix "$cache/sarif-multitool" --no-audit --no-fund --cache "$cache/npm" \
        @microsoft/sarif-multitool-linux >/dev/null
    # Its postinstall only sets the execute bit; npm may not run install scripts.
    chmod u+x "$multitool"
fi
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

# ETCLINT_SETUP_ONLY=1: bring everything, run nothing (.ci/run lints in between).
[ -z "${ETCLINT_SETUP_ONLY:-}" ] || exit 0
exec cargo test "$@" -- --include-ignored
