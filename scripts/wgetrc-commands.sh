#!/usr/bin/env bash
# Writes src/formats/wgetrc/commands.tsv: the wgetrc commands the installed wget knows, each
# with the type of value it takes and, for commands that take one of a list of words, the words
# this build accepts. The candidates are the table of wget 1.21.3's src/init.c (`commands[]`,
# name and handler); each is probed with the real program (`wget --config=FILE --version`,
# which reads FILE and exits 2 on any error in it), so that a build without c-ares or metalink
# (Debian's) leaves those commands out, and each type is confirmed by what wget does with a
# value that type rejects. A disagreement stops the script.
#
#   scripts/wgetrc-commands.sh [WGET]      (default: wget on PATH)
#   WGETRC_COMMANDS_OUT=FILE writes FILE instead (tests/wgetrc_commands.rs compares the two).
set -euo pipefail
cd "$(dirname "$0")/.."
wget=${1:-wget}
out=${WGETRC_COMMANDS_OUT:-src/formats/wgetrc/commands.tsv}
export LC_ALL=C
unset WGETRC SYSTEM_WGETRC WGET_ASKPASS SSH_ASKPASS http_proxy https_proxy ftp_proxy no_proxy
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work

# probe LINES...: 0 when wget accepts the file of these lines; its messages in $work/err.
probe() {
    printf '%s\n' "$@" >"$work/rc"
    "$wget" --config="$work/rc" --version >/dev/null 2>"$work/err"
}
accepts() { probe "$@"; }
rejects_with() { # NAME VALUE TEXT: wget rejects `NAME = VALUE` saying TEXT
    if probe "$1 = $2"; then return 1; fi
    grep -qF -- "$3" "$work/err"
}

# name, then the handler of wget 1.21.3's init.c, shortened: special handlers that only call
# cmd_boolean (dirstruct, htmlify, mirror, recursive, showprogress, verbose) are `boolean`,
# timeout is `time`, useragent and method are `string`.
candidates() {
    cat <<'TABLE'
accept vector
acceptregex string
addhostdir boolean
adjustextension boolean
alwaysrest boolean
askpassword boolean
authnochallenge boolean
background boolean
backupconverted boolean
backups number
base string
bindaddress string
binddnsaddress string
bodydata string
bodyfile string
cacertificate file
cache boolean
cadirectory directory
certificate file
certificatetype choice pem,der,asn1
checkcertificate check_certificate
chooseconfig file
ciphers string
compression choice auto,gzip,none
connecttimeout time
contentdisposition boolean
contentonerror boolean
continue boolean
convertfileonly boolean
convertlinks boolean
cookies boolean
crlfile file_once
cutdirs number
debug boolean
defaultpage string
deleteafter boolean
dirprefix directory
dirstruct boolean
dnscache boolean
dnsservers string
dnstimeout time
domains vector
dotbytes bytes
dotsinline number
dotspacing number
dotstyle string
egdfile file
excludedirectories directory_vector
excludedomains vector
followftp boolean
followtags vector
forcehtml boolean
ftppasswd string
ftppassword string
ftpproxy string
ftpscleardataconnection boolean
ftpsfallbacktoftp boolean
ftpsimplicit boolean
ftpsresumessl boolean
ftpstmlf boolean
ftpuser string
glob boolean
header header
hsts boolean
hstsfile file
htmlextension boolean
htmlify boolean
httpkeepalive boolean
httppasswd string
httppassword string
httpproxy string
httpsonly boolean
httpsproxy string
httpuser string
ifmodifiedsince boolean
ignorecase boolean
ignorelength boolean
ignoretags vector
includedirectories directory_vector
inet4only boolean
inet6only boolean
input file
inputmetalink file
iri boolean
keepbadhash boolean
keepsessioncookies boolean
limitrate bytes
loadcookies file
localencoding string
logfile file
login string
maxredirect number
metalinkindex number_inf
metalinkoverhttp boolean
method string
mirror boolean
netrc boolean
noclobber boolean
noconfig boolean
noparent boolean
noproxy vector
numtries number_inf
outputdocument file
pagerequisites boolean
passiveftp boolean
passwd string
password string
pinnedpubkey string
postdata string
postfile file
preferfamily choice IPv4,IPv6,none
preferredlocation string
preservepermissions boolean
privatekey file
privatekeytype choice pem,der,asn1
progress progress
protocoldirectories boolean
proxypasswd string
proxypassword string
proxyuser string
quiet boolean
quota bytes_sum
randomfile file
randomwait boolean
readtimeout time
reclevel number_inf
recursive boolean
referer string
regextype choice posix,pcre
reject vector
rejectedlog file
rejectregex string
relativeonly boolean
remoteencoding string
removelisting boolean
reportspeed choice bits
restrictfilenames restrict_file_names
retrsymlinks boolean
retryconnrefused boolean
retryonhosterror boolean
retryonhttperror string
robots boolean
savecookies file
saveheaders boolean
secureprotocol choice auto,sslv2,sslv3,tlsv1,tlsv1_1,tlsv1_2,tlsv1_3,pfs
serverresponse boolean
showalldnsentries boolean
showprogress boolean
spanhosts boolean
spider boolean
startpos bytes
strictcomments boolean
timeout time
timestamping boolean
tries number_inf
trustservernames boolean
unlink boolean
useaskpass askpass
useproxy boolean
user string
useragent string
useservertimestamps boolean
verbose boolean
wait time
waitretry time
warccdx boolean
warccdxdedup file
warccompression boolean
warcdigests boolean
warcfile file
warcheader warc_header
warckeeplog boolean
warcmaxsize bytes
warctempdir directory
wdebug boolean
xattr boolean
TABLE
}

fail() { echo "wgetrc-commands: $*" >&2; sed 's/^/    /' "$work/err" >&2; exit 1; }

"$wget" --version | head -1 >"$work/version"
{
    echo "# Generated by scripts/wgetrc-commands.sh from $(cat "$work/version"); do not edit."
    echo "# name	type	accepted words (for type choice)"
} >"$work/out"
known=0
while read -r name type words; do
    # A command this build does not know is an error of its own; any other outcome (the value
    # accepted or rejected) means the name is known.
    if ! probe "$name = 1" && grep -qF "Unknown command" "$work/err"; then
        continue
    fi
    known=$((known + 1))
    case $type in
        boolean)
            rejects_with "$name" zz "Invalid boolean 'zz'; use \`on' or \`off'." || fail "$name is not boolean"
            accepts "$name = YES" || fail "$name = YES" ;;
        number | number_inf)
            rejects_with "$name" -1 "Invalid number '-1'." || fail "$name is not a number"
            accepts "$name = 3x" || fail "$name = 3x is not read as 3" ;;
        time)
            rejects_with "$name" zz "Invalid time period 'zz'" || fail "$name is not a time"
            accepts "$name = 2.5m" || fail "$name = 2.5m" ;;
        bytes | bytes_sum)
            rejects_with "$name" zz "Invalid byte value 'zz'" || fail "$name is not bytes"
            accepts "$name = 1.5K" || fail "$name = 1.5K" ;;
        check_certificate)
            rejects_with "$name" zz "Invalid 'zz'; use \`on', \`off' or \`quiet'." || fail "$name"
            accepts "$name = QUIET" || fail "$name = QUIET" ;;
        progress)
            rejects_with "$name" zz "Invalid progress type 'zz'." || fail "$name"
            accepts "$name = b:noscroll" || fail "$name = b:noscroll" ;;
        restrict_file_names)
            rejects_with "$name" zz "Invalid restriction 'zz'," || fail "$name"
            accepts "$name = unix,ascii" || fail "$name = unix,ascii" ;;
        header)
            rejects_with "$name" zz "Invalid header 'zz'." || fail "$name" ;;
        warc_header)
            rejects_with "$name" zz "Invalid WARC header 'zz'." || fail "$name" ;;
        askpass)
            rejects_with "$name" "" "requires a string" || fail "$name" ;;
        file_once)
            if probe "$name = a" "$name = b"; then fail "$name may be given twice"; fi
            grep -qF "must only be used once" "$work/err" || fail "$name" ;;
        choice)
            rejects_with "$name" zz "Invalid value 'zz'." || fail "$name is not a choice"
            accepted=()
            for word in ${words//,/ }; do
                if accepts "$name = $word"; then accepted+=("$word"); fi
            done
            [ ${#accepted[@]} -gt 0 ] || fail "$name accepts none of $words"
            words=$(IFS=,; echo "${accepted[*]}") ;;
        string | file | directory | vector | directory_vector)
            accepts "$name = zz" || fail "$name rejects a string" ;;
        *) fail "unknown type $type" ;;
    esac
    printf '%s\t%s\t%s\n' "$name" "$type" "${words:-}" >>"$work/out"
done < <(candidates)
mv "$work/out" "$out"
echo "wrote $out: $known commands of $(cat "$work/version")"
