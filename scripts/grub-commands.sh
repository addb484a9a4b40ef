#!/usr/bin/env bash
# The GRUB legacy command table (src/formats/grub/commands.tsv), asked of the installed grub
# shell (Debian's grub-legacy): which names it knows, and which its command line accepts.
#   name  TAB  known (yes|no)  TAB  cmdline (yes|no)  TAB  menu (yes|no)
# "cmdline" is `help --all`'s list (the BUILTIN_CMDLINE flag): a stored entry command without
# it fails with Error 27 at boot. "known" is probed: an entry whose only command is NAME keeps
# its title in the menu only when GRUB knows NAME (unknown commands are dropped, and an entry
# without commands vanishes). "menu" (BUILTIN_MENU: runs before the first `title`) cannot be
# seen from outside; it is stage2/builtins.c's flag, listed below.
# Candidates: every name of stage2/builtins.c's builtin_table in 0.97, Debian's additions and
# the graphics patch's (spec: specs/grub.md).
set -euo pipefail
out=${GRUB_COMMANDS_OUT:-$(dirname "$0")/../src/formats/grub/commands.tsv}
command -v grub >/dev/null || { echo "needs grub (apt-get install grub-legacy)" >&2; exit 1; }
command -v mke2fs >/dev/null || { echo "needs mke2fs (e2fsprogs)" >&2; exit 1; }

candidates="background blocklist boot bootp border cat chainloader clear cmp color configfile
debug default device dhcp displayapm displaymem dump embed fallback find foreground fstest
geometry halt help hiddenmenu hide impsprobe ifconfig initrd install ioprobe kernel lock
makeactive map md5crypt module modulenounzip pager partnew parttype password pause print quit
rarp read reboot root rootnoverify savedefault serial setkey setup shade splashimage terminal
terminfo testload testvbe tftpserver timeout title unhide uppermem vbeprobe viewport"
menu="bootp color default device dhcp fallback hiddenmenu hide ifconfig pager partnew parttype
password rarp serial setkey terminal terminfo tftpserver timeout title unhide"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "(fd0) $work/fd.img" > "$work/devmap"

cmdline=$(printf 'help --all\nquit\n' | timeout 20 grub --batch --no-floppy \
    --device-map="$work/devmap" 2>/dev/null |
    sed -n '/^grub> help --all/,/^grub> quit/p' | sed '1d;$d' |
    awk '{ print substr($0, 1, 39); print substr($0, 40) }' | awk 'NF { print $1 }' | sort -u)

# One menu.lst with an entry per candidate: title N holds only the candidate command.
mkdir -p "$work/R/boot/grub"
n=0
for name in $candidates; do
    printf 'title probe-%s\n%s\n' "$name" "$name" >> "$work/R/boot/grub/menu.lst"
done
printf 'title probe-end\nroot (hd0)\n' >> "$work/R/boot/grub/menu.lst"
mke2fs -q -F -t ext2 -d "$work/R" "$work/fd.img" 1440 >/dev/null 2>&1
menu_out=$(printf 'q' | timeout 20 grub --device-map="$work/devmap" \
    --config-file='(fd0)/boot/grub/menu.lst' --no-curses 2>/dev/null | tr -d '\r')
grep -q ': probe-end' <<<"$menu_out" || { echo "the grub shell showed no menu" >&2; exit 1; }

{
    for name in $(tr ' ' '\n' <<<"$candidates" | sort); do
        if [ "$name" = title ] || grep -q ": probe-$name\$" <<<"$menu_out"; then known=yes; else known=no; fi
        if grep -qx "$name" <<<"$cmdline"; then cl=yes; else cl=no; fi
        if tr ' \n' '\n\n' <<<"$menu" | grep -qx "$name"; then m=yes; else m=no; fi
        printf '%s\t%s\t%s\t%s\n' "$name" "$known" "$cl" "$m"
    done
} > "$out"
