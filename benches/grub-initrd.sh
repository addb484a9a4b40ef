#!/usr/bin/env bash
# GRB001's initrd inspection against what a sysadmin runs by hand: a 60 MB initrd image (xz,
# then gzip) whose `init` has no dmraid, so that etclint must stream the whole archive — the
# worst case — against `xz -dc IMAGE | cpio -t` (`zcat IMAGE | cpio -t`). Prints hyperfine's
# table, the ratio, and the peak RSS of etclint with the image and with a tiny one.
#
# usage: benches/grub-initrd.sh        needs: hyperfine, cpio, xz-utils, gzip, /usr/bin/time
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine cpio xz gzip /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool"; exit 1; }
done
cargo build --release --quiet --bin etclint
ETCLINT=$PWD/target/release/etclint
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The archive: an `init` without dmraid, then 80 MB of base64 text in 80 files (it compresses
# to about 60 MB).
mkdir -p "$WORK/staging/lib/modules"
printf '#!/bin/nash\nmount /sysroot\nswitchroot\n' > "$WORK/staging/init"
for i in $(seq 1 80); do
    head -c 786432 /dev/urandom | base64 -w 76 > "$WORK/staging/lib/modules/m$i.ko"
done
(cd "$WORK/staging" && find . | sort | cpio --quiet -o -H newc) > "$WORK/initrd.cpio"

tree() { # $1 name, $2 image
    mkdir -p "$WORK/$1/boot/grub" "$WORK/$1/etc"
    echo 'ARRAY /dev/md0 level=raid1 devices=/dev/sda1,/dev/sdb1' > "$WORK/$1/etc/mdadm.conf"
    printf 'default 0\ntitle CentOS\n  root (hd0,0)\n  kernel /vmlinuz-2.6.18 ro\n  initrd /initrd-2.6.18.img\n' \
        > "$WORK/$1/boot/grub/grub.conf"
    cp "$2" "$WORK/$1/boot/initrd-2.6.18.img"
}
xz -T0 -1 -c "$WORK/initrd.cpio" > "$WORK/initrd.xz"
gzip -6 -c "$WORK/initrd.cpio" > "$WORK/initrd.gz"
head -c 2048 "$WORK/initrd.cpio" > /dev/null
printf '#!/bin/nash\n' > "$WORK/tiny-init" && (cd "$WORK" && echo tiny-init | cpio --quiet -o -H newc | gzip) > "$WORK/tiny.gz"
tree xz "$WORK/initrd.xz"; tree gz "$WORK/initrd.gz"; tree tiny "$WORK/tiny.gz"
ls -l "$WORK/initrd.xz" "$WORK/initrd.gz" | awk '{ printf "%s %.1f MB\n", $NF, $5 / 1e6 }'

run() { printf '%q --exit-zero --select GRB001 --root %q %q >/dev/null' "$ETCLINT" "$WORK/$1" "$WORK/$1/boot/grub/grub.conf"; }
for kind in xz gz; do
    if [ $kind = xz ]; then peer="xz -dc $WORK/initrd.xz | cpio -t --quiet >/dev/null"
    else peer="zcat $WORK/initrd.gz | cpio -t --quiet >/dev/null"; fi
    hyperfine --warmup 1 --runs 5 --export-json "$WORK/$kind.json" \
        -n "etclint GRB001 ($kind)" "$(run $kind)" -n "$(echo "$peer" | sed "s|$WORK/||")" "$peer"
    python3 - "$WORK/$kind.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"ratio etclint / peer: {r[0]['median'] / r[1]['median']:.2f} (medians {r[0]['median']:.3f} s, {r[1]['median']:.3f} s)")
PY
    big=$(/usr/bin/time -f %M sh -c "$(run $kind)" 2>&1 >/dev/null | tail -1)
    tiny=$(/usr/bin/time -f %M sh -c "$(run tiny)" 2>&1 >/dev/null | tail -1)
    echo "peak RSS: $big KB with the image, $tiny KB with a tiny one: $(( (big - tiny) / 1024 )) MB above"
done
