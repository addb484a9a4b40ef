#!/usr/bin/env bash
# Writes src/formats/apache/arity.tsv: how many arguments each directive of directives.tsv
# takes, as the installed httpd checks it. `apache2 -L` does not say; httpd's core checks the
# count before a directive's own code runs (server/config.c, invoke_cmd) and words the refusal
# by the kind of directive (TAKE1 "takes one argument", TAKE12 "takes 1-2 arguments", FLAG
# "must be On or Off", ITERATE "requires at least one argument", ...). So each directive is
# tried with no argument and with one (`x`) through `apache2 -t`, in a context where it is
# allowed (top level, or inside <Directory> for the directives allowed only there), with every
# module of scripts/apache-modules.conf loaded (the threaded MPMs' directives with their MPM);
# the refusal's wording names the kind, and the other try must agree with that kind, or the
# script fails. Directives whose count their own code checks (RAW_ARGS, TAKE_ARGV) are
# `handler`, with httpd's refusal of no argument when that refusal is about arguments (with no
# argument it cannot depend on a value), else `unchecked`. About 1,500 runs of `apache2 -t`,
# in parallel: a minute or two.
#
#   scripts/apache-arity.sh [APACHE2]      (default: apache2 on PATH)
#   APACHE_ARITY_OUT=FILE writes FILE instead (tests/apache_arity.rs compares).
set -euo pipefail
cd "$(dirname "$0")/.."
apache=${1:-apache2}
out=${APACHE_ARITY_OUT:-src/formats/apache/arity.tsv}
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/probe" "$work/result" "$work/root"

header() {
    cat <<CONF
ServerRoot $work/root
ServerName localhost
Listen 127.0.0.1:9
DefaultRuntimeDir $work/root
PidFile $work/root/pid
ErrorLog /dev/null
CONF
}
{
    header
    grep -v '^#' scripts/apache-modules.conf
    echo 'Include ${TESTCONF}'
} >"$work/prefork.conf"
# ThreadsPerChild and the other threaded-MPM directives: that MPM, without mod_php.
{
    header
    grep -hE '^\s*LoadModule' /etc/apache2/mods-available/mpm_event.load
    grep -v -e '^#' -e mpm_prefork -e libphp scripts/apache-modules.conf
    echo 'Include ${TESTCONF}'
} >"$work/event.conf"

# One probe per directive and count: PROBE.N.conf; its harness in PROBE.harness.
awk -F'\t' -v dir="$work/probe" '
    /^#/ || $5 != "apache" { next }
    {
        n++
        name = $1; module = $2; context = $3
        harness = (module == "event" || module == "worker") ? "event" : "prefork"
        print harness > (dir "/" n ".harness")
        print name > (dir "/" n ".name")
        for (count = 0; count <= 1; count++) {
            args = ""
            for (i = 0; i < count; i++) args = args " x"
            file = dir "/" n "." count ".conf"
            if (name ~ /^</) {
                line = name args ">\n</" substr(name, 2) ">"
            } else {
                line = name args
            }
            if (context == "directory") line = "<Directory /tmp>\n" line "\n</Directory>"
            print line > file
            close(file)
        }
        close(dir "/" n ".harness"); close(dir "/" n ".name")
    }
' src/formats/apache/directives.tsv

# What httpd says of one probe: its exit status, then the message after the last
# "Syntax error on line N of PROBE:" (one line or the lines after it).
probe() {
    local conf=$1 id harness
    id=$(basename "$conf" .conf)
    harness=$(cat "${conf%.*.conf}.harness")
    {
        local status=0
        # (The braces keep bash's own "Segmentation fault" line out of the output.)
        { TESTCONF=$conf "$apache" -t -f "$work/$harness.conf" >"$work/result/$id.err" 2>&1 || status=$?; } 2>/dev/null
        # A few probes crash httpd (a signal, status > 128): they say nothing.
        if ((status == 0)); then echo ok; elif ((status > 128)); then echo crashed; else echo refused; fi
        awk -v probe="$conf" '
            { text = text (NR > 1 ? "\n" : "") $0 }
            END {
                marker = " of " probe ":"
                at = 0
                rest = text
                while ((i = index(rest, marker)) > 0) {
                    at += i + length(marker) - 1
                    rest = substr(rest, i + length(marker))
                }
                message = at ? substr(text, at + 1) : text
                sub(/^[ \n]+/, "", message); sub(/[ \n]+$/, "", message)
                gsub(/\t/, " ", message); gsub(/\n/, "\\n", message)
                print message
            }
        ' "$work/result/$id.err"
    } >"$work/result/$id.out"
}
export -f probe
export apache work
find "$work/probe" -name '*.conf' -print0 |
    xargs -0 -n 8 -P "$(nproc)" bash -c 'for c in "$@"; do probe "$c"; done' _

version=$("$apache" -v | sed -n 's/^Server version: //p')
for name_file in "$work"/probe/*.name; do
    n=$(basename "$name_file" .name)
    printf "%s" "$(cat "$name_file")"
    for count in 0 1; do
        printf '\t%s\t%s' "$(sed -n 1p "$work/result/$n.$count.out")" "$(sed -n 2p "$work/result/$n.$count.out")"
    done
    echo
done | awk -F'\t' '
    # name, then (status, message) for 0 and 1 arguments.
    function core_kind(message, name) {
        # The phrase after the name, as invoke_cmd words it (longest first).
        if (index(message, name " ") != 1) return ""
        rest = substr(message, length(name) + 2)
        if (rest ~ /^takes no arguments$/) return "no_args"
        if (rest ~ /^takes one argument(, |$)/) return "take1"
        if (rest ~ /^takes two arguments(, |$)/) return "take2"
        if (rest ~ /^takes three arguments(, |$)/) return "take3"
        if (rest ~ /^takes 1-2 arguments(, |$)/) return "take12"
        if (rest ~ /^takes two or three arguments(, |$)/) return "take23"
        if (rest ~ /^takes one, two or three arguments(, |$)/) return "take123"
        if (rest ~ /^takes one or three arguments(, |$)/) return "take13"
        if (rest ~ /^requires at least one argument(, |$)/) return "iterate"
        if (rest ~ /^requires at least two arguments(, |$)/) return "iterate2"
        if (rest ~ /^must be On or Off$/) return "flag"
        return ""
    }
    # Which of 0 and 1 arguments (`x`) each kind refuses for their count.
    BEGIN {
        refuses["take1"] = "0"; refuses["take2"] = "0,1"; refuses["take3"] = "0,1"
        refuses["take12"] = "0"; refuses["take23"] = "0,1"; refuses["take123"] = "0"
        refuses["take13"] = "0"; refuses["iterate"] = "0"; refuses["iterate2"] = "0,1"
        refuses["flag"] = "0,1"; refuses["no_args"] = "1"
    }
    {
        name = $1
        kind = ""
        message = ""
        for (count = 0; count <= 1; count++) {
            k = core_kind($(3 + 2 * count), name)
            if (k != "" && kind == "") { kind = k; message = $(3 + 2 * count) }
        }
        if (kind != "") {
            seen = ""
            for (count = 0; count <= 1; count++) {
                if (core_kind($(3 + 2 * count), name) == kind) seen = seen (seen == "" ? "" : ",") count
            }
            if (seen != refuses[kind]) {
                print "apache-arity.sh: " name " looks " kind " but is refused for " seen " arguments" > "/dev/stderr"
                failed = 1
            }
            print name "\t" kind "\t" message
        } else if ($2 == "refused" && tolower($3) ~ /argument/) {
            print name "\thandler\t" $3
        } else {
            print name "\tunchecked\t-"
        }
    }
    END { exit failed }
' | sort -s -f -t "	" -k1,1 >"$work/table"
{
    echo "# Generated by scripts/apache-arity.sh from $version (apache2 -t with 0 and 1 arguments); do not edit."
    echo "# name	kind	message"
    cat "$work/table"
} >"$out"
