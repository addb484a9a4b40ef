#!/usr/bin/env bash
# Issue 11's performance target, against `apache2 -t` in the same run: Debian's whole
# /etc/apache2 tree (copied under a temporary --root, every Include followed) plus a generated
# configuration of N virtual hosts (one sites-available file each, enabled by a link in
# sites-enabled, each with its DocumentRoot and <Directory>, rewrite and auth lines, a quarter
# of them on 443 with mod_ssl) and 2.5 N .htaccess files under those DocumentRoots; N = 2,000,
# then 4,000 for the linearity check (twice the input, twice the time within 15 %).
#
# `apache2 -t` does not read .htaccess files (httpd reads them per request), so the
# server-configuration-only run is timed as well. Then peak RSS (/usr/bin/time -v) and, with
# strace, that each file is opened once; last, the hostile inputs of tests/hostile_input.rs at
# N and 2N (linear time).
#
# Called by benches/run.sh; runs alone as well.
# usage: benches/apache.sh [ETCLINT]     needs: hyperfine, apache2, /usr/bin/time; strace (optional)
set -euo pipefail
cd "$(dirname "$0")/.."
ETCLINT=${1:-$PWD/target/release/etclint}
OUT=$PWD/benches/results
mkdir -p "$OUT"
command -v apache2 >/dev/null || { echo "apache: skipped (no apache2: apt-get install apache2)"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Debian's envvars, with the run-time directories in the temporary tree (`apache2 -t` creates
# nothing there; the configuration names them).
export APACHE_RUN_USER=www-data APACHE_RUN_GROUP=www-data LANG=C
export APACHE_RUN_DIR=$dir/run APACHE_LOCK_DIR=$dir/run APACHE_LOG_DIR=$dir/log
export APACHE_PID_FILE=$dir/run/apache2.pid
mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOG_DIR"

# generate_tree ROOT VHOSTS: /etc/apache2 under ROOT, mod_rewrite, mod_headers and mod_ssl
# enabled as a site with these virtual hosts would have them, the sites and their .htaccess
# files.
generate_tree() {
    local root=$1 vhosts=$2
    mkdir -p "$root/etc" "$root/srv/www"
    cp -a /etc/apache2 "$root/etc/apache2"
    local conf=$root/etc/apache2
    for module in rewrite.load headers.load ssl.load ssl.conf socache_shmcb.load; do
        ln -sf "../mods-available/$module" "$conf/mods-enabled/$module"
    done
    awk -v vhosts="$vhosts" -v conf="$conf" -v www="$root/srv/www" 'BEGIN {
        for (i = 1; i <= vhosts; i++) {
            site = sprintf("site%04d", i)
            host = site ".example.com"
            root = "/srv/www/" site "/public"
            f = conf "/sites-available/" site ".conf"
            tls = (i % 4 == 0)
            if (tls) print "<IfModule mod_ssl.c>" > f
            printf "<VirtualHost *:%d>\n", tls ? 443 : 80 > f
            print "\tServerName " host > f
            print "\tServerAlias www." host > f
            print "\tServerAdmin webmaster@" host > f
            print "\tDocumentRoot " root > f
            print "" > f
            print "\t<Directory " root ">" > f
            print "\t\tOptions -Indexes +FollowSymLinks" > f
            print "\t\tAllowOverride FileInfo AuthConfig Limit Options=Indexes,MultiViews" > f
            print "\t\tRequire all granted" > f
            print "\t</Directory>" > f
            print "\t<Directory " root "/uploads>" > f
            print "\t\tAllowOverride FileInfo Options" > f
            print "\t</Directory>" > f
            print "\t<Directory " root "/admin>" > f
            print "\t\tAllowOverride AuthConfig" > f
            print "\t</Directory>" > f
            print "\t<Files \"xmlrpc.php\">" > f
            print "\t\tRequire all denied" > f
            print "\t</Files>" > f
            print "" > f
            print "\tRewriteEngine On" > f
            if (tls) {
                print "\tSSLEngine on" > f
                print "\tSSLCertificateFile /etc/ssl/certs/ssl-cert-snakeoil.pem" > f
                print "\tSSLCertificateKeyFile /etc/ssl/private/ssl-cert-snakeoil.key" > f
                print "\tHeader always set Strict-Transport-Security \"max-age=63072000\"" > f
                print "\tRewriteRule ^/old/(.*)$ /new/$1 [R=301,L]" > f
            } else if (i % 4 == 1) {
                print "\tRewriteCond %{HTTPS} off" > f
                print "\tRewriteRule ^/?(.*)$ https://" host "/$1 [R=301,L]" > f
            } else {
                print "\tRewriteCond %{HTTP_HOST} ^www\\.(.+)$ [NC]" > f
                print "\tRewriteRule ^/?(.*)$ http://%1/$1 [R=301,L]" > f
                print "\t<Location /status>" > f
                print "\t\tAuthType Basic" > f
                print "\t\tAuthName \"" site " status\"" > f
                print "\t\tAuthUserFile /etc/apache2/htpasswd-" site > f
                print "\t\tRequire valid-user" > f
                print "\t</Location>" > f
            }
            print "\tphp_admin_value open_basedir /srv/www/" site ":/tmp" > f
            print "\tErrorLog ${APACHE_LOG_DIR}/" site "-error.log" > f
            print "\tCustomLog ${APACHE_LOG_DIR}/" site "-access.log combined" > f
            print "</VirtualHost>" > f
            if (tls) print "</IfModule>" > f
            close(f)

            # .htaccess: the site root (a WordPress-like one), uploads/, and admin/ for half.
            d = www "/" site "/public"
            h = d "/.htaccess"
            cmd = "mkdir -p " d "/uploads" (i % 2 ? "" : " " d "/admin")
            system(cmd)
            print "# BEGIN WordPress" > h
            print "<IfModule mod_rewrite.c>" > h
            print "RewriteEngine On" > h
            print "RewriteBase /" > h
            print "RewriteRule ^index\\.php$ - [L]" > h
            print "RewriteCond %{REQUEST_FILENAME} !-f" > h
            print "RewriteCond %{REQUEST_FILENAME} !-d" > h
            print "RewriteRule . /index.php [L]" > h
            print "</IfModule>" > h
            print "# END WordPress" > h
            print "Options -Indexes" > h
            print "<Files \"wp-config.php\">" > h
            print "\tRequire all denied" > h
            print "</Files>" > h
            print "ErrorDocument 404 /index.php?error=404" > h
            close(h)
            h = d "/uploads/.htaccess"
            print "<FilesMatch \"\\.(php|phtml|phar)$\">" > h
            print "\tSetHandler None" > h
            print "\tForceType text/plain" > h
            print "</FilesMatch>" > h
            print "Options -ExecCGI" > h
            close(h)
            if (i % 2 == 0) {
                h = d "/admin/.htaccess"
                print "AuthType Basic" > h
                print "AuthName \"" site " admin\"" > h
                print "AuthUserFile /etc/apache2/htpasswd-" site > h
                print "Require valid-user" > h
                close(h)
            }
        }
    }'
    (cd "$conf/sites-available" && for f in site*.conf; do ln -s "../sites-available/$f" "../sites-enabled/$f"; done)
}

apache_t() { # ROOT: apache2 -t on the copy, ServerRoot set to it with -d
    apache2 -t -d "$1/etc/apache2" -f "$1/etc/apache2/apache2.conf"
}

for n in 2000 4000; do
    generate_tree "$dir/r$n" "$n"
    vhosts=$(cat "$dir/r$n/etc/apache2/sites-enabled/"*.conf | grep -c '^<VirtualHost')
    htaccess=$(find "$dir/r$n/srv" -name .htaccess | wc -l)
    files=$(find "$dir/r$n" -type f | wc -l)
    echo "== 9. apache: r$n: $vhosts virtual hosts, $htaccess .htaccess, $files files, $(du -sh "$dir/r$n" | cut -f1)"
    # apache2 -t reads every virtual host: an error planted in the last one fails it.
    last=$dir/r$n/etc/apache2/sites-available/site$(printf %04d "$n").conf
    cp "$last" "$dir/saved.conf"
    echo "DocumentRooot /nowhere" >>"$last"
    if apache_t "$dir/r$n" >"$dir/planted.txt" 2>&1 || ! grep -q "DocumentRooot" "$dir/planted.txt"; then
        echo "apache2 -t did not see the error planted in $last:"; cat "$dir/planted.txt"; exit 1
    fi
    echo "   planted error seen: $(grep -m1 -o "Syntax error on line [0-9]* of [^:]*" "$dir/planted.txt" | sed "s|$dir/||")"
    cp "$dir/saved.conf" "$last"
    apache_t "$dir/r$n" >"$dir/ok.txt" 2>&1 || { echo "apache2 -t fails on the tree:"; cat "$dir/ok.txt"; exit 1; }
done

hyperfine -N --style basic --warmup 2 --runs 10 -i --export-markdown "$OUT/apache.md" --export-json "$OUT/apache.json" \
    -n "apache2 -t (2,000 vhosts)" "apache2 -t -d $dir/r2000/etc/apache2 -f $dir/r2000/etc/apache2/apache2.conf" \
    -n "etclint (2,000 vhosts + 5,000 .htaccess)" "$ETCLINT --exit-zero --root $dir/r2000 $dir/r2000" \
    -n "etclint (2,000 vhosts, server configuration only)" "$ETCLINT --exit-zero --root $dir/r2000 $dir/r2000/etc/apache2" \
    -n "apache2 -t (4,000 vhosts)" "apache2 -t -d $dir/r4000/etc/apache2 -f $dir/r4000/etc/apache2/apache2.conf" \
    -n "etclint (4,000 vhosts + 10,000 .htaccess)" "$ETCLINT --exit-zero --root $dir/r4000 $dir/r4000" \
    -n "etclint (4,000 vhosts, server configuration only)" "$ETCLINT --exit-zero --root $dir/r4000 $dir/r4000/etc/apache2"

python3 - "$OUT/apache.json" <<'PY' | tee "$OUT/apache-ratios.txt"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
def m(name): return r[name]["median"]
for n, h in (("2,000", "5,000"), ("4,000", "10,000")):
    a = m(f"apache2 -t ({n} vhosts)")
    e = m(f"etclint ({n} vhosts + {h} .htaccess)")
    s = m(f"etclint ({n} vhosts, server configuration only)")
    print(f"{n} vhosts: apache2 -t {a*1000:.1f} ms; etclint all {e*1000:.1f} ms = {e/a:.2f}x apache2 -t; "
          f"server configuration only {s*1000:.1f} ms = {s/a:.2f}x")
def cpu(name): return r[name]["user"] + r[name]["system"]
for what in ("etclint ({n} vhosts + {h} .htaccess)", "etclint ({n} vhosts, server configuration only)", "apache2 -t ({n} vhosts)"):
    small, big = what.format(n="2,000", h="5,000"), what.format(n="4,000", h="10,000")
    print(f"twice the input, {what.format(n='N', h='2.5 N')}: {m(big)/m(small):.2f}x ({(m(big)/m(small)/2-1)*100:+.0f} % from 2x); "
          f"CPU {cpu(small)*1000:.0f} -> {cpu(big)*1000:.0f} ms = {cpu(big)/cpu(small):.2f}x")
for n, h in (("2,000", "5,000"), ("4,000", "10,000")):
    a = cpu(f"apache2 -t ({n} vhosts)")
    print(f"CPU (user + sys), {n} vhosts: apache2 -t {a*1000:.0f} ms; etclint all {cpu(f'etclint ({n} vhosts + {h} .htaccess)')*1000:.0f} ms, "
          f"server configuration only {cpu(f'etclint ({n} vhosts, server configuration only)')*1000:.0f} ms")
PY

for n in 2000 4000; do
    for cmd in "apache2 -t -d $dir/r$n/etc/apache2 -f $dir/r$n/etc/apache2/apache2.conf" \
        "$ETCLINT --exit-zero --root $dir/r$n $dir/r$n" \
        "$ETCLINT --exit-zero --root $dir/r$n $dir/r$n/etc/apache2"; do
        /usr/bin/time -v $cmd 2>&1 >/dev/null | awk -v c="${cmd//$dir\//}" '/Maximum resident/ { printf "peak RSS %6d KB: %s\n", $6, c }'
    done
done | tee "$OUT/apache-memory.txt"

# Each file is opened once: every path etclint opens (strace), counted.
if command -v strace >/dev/null; then
    strace -f -qq -e trace=open,openat -o "$dir/strace.txt" "$ETCLINT" --exit-zero --root "$dir/r2000" "$dir/r2000" >/dev/null
    grep -v -e ENOENT -e O_DIRECTORY "$dir/strace.txt" | grep -o "\"$dir/r2000/[^\"]*\"" | sort | uniq -c | sort -rn >"$dir/opens.txt"
    echo "== apache: files opened by etclint under the root: $(wc -l <"$dir/opens.txt"), at most $(head -1 "$dir/opens.txt" | awk '{print $1}') time(s) each" | tee "$OUT/apache-opens.txt"
    awk '$1 > 1' "$dir/opens.txt" | head -5 | sed "s|$dir/||" | tee -a "$OUT/apache-opens.txt"
fi

# The hostile inputs of tests/hostile_input.rs, at N and 2N: each in linear time.
mkdir -p "$dir/hostile"
python3 - "$dir/hostile" <<'PY'
import os, sys
out = sys.argv[1]
pieces = [b'<Files "a\n', b"Options 'x\n", b"<Directory /x\n", b"</Files\n", b"<IfModule mod_mime.c\n", b'RewriteRule "^a \\\n']
for scale, tag in ((1, "n"), (2, "2n")):
    def write(name, data):
        os.makedirs(f"{out}/{name}-{tag}", exist_ok=True)
        file = ".htaccess" if name in ("nested", "unterminated") else "apache2.conf"
        open(f"{out}/{name}-{tag}/{file}", "wb").write(data)
    write("line", b"ServerAlias" + b" a.example" * (500_000 * scale) + b"\nServerAdmn x\n")
    write("continuation", b"ServerAlias \\\n" + b" a.example \\\n" * (100_000 * scale) + b"\n<Files a>\n")
    write("nested", b"<IfModule mod_mime.c>\n" * (50_000 * scale) + b"<Files a>\n" * (50_000 * scale))
    write("skipped", b"<IfModule mod_nonesuch.c>\n" + b"<Files a>\n<IfModule x>\n" * (50_000 * scale))
    write("unterminated", b"".join(pieces[i % 6] for i in range(100_000 * scale)) + b"\\")
PY
args=()
for kind in line continuation nested skipped unterminated; do
    for tag in n 2n; do
        args+=(-n "$kind-$tag" "$ETCLINT --exit-zero --select ALL $dir/hostile/$kind-$tag")
    done
done
hyperfine -N --style basic --warmup 1 --runs 5 --export-json "$OUT/apache-hostile.json" "${args[@]}" >/dev/null
python3 - "$OUT/apache-hostile.json" <<'PY' | tee "$OUT/apache-hostile.txt"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print("== apache: hostile inputs at N and 2N (2N: a 10 MB line, 200,000 continuation lines, nesting")
print("   levels, skipped sections, unterminated constructs); medians, and CPU (user + sys means)")
for kind in ("line", "continuation", "nested", "skipped", "unterminated"):
    n, n2 = r[f"{kind}-n"], r[f"{kind}-2n"]
    cpu, cpu2 = n["user"] + n["system"], n2["user"] + n2["system"]
    print(f"   {kind}: {n['median']*1000:.0f} ms, twice {n2['median']*1000:.0f} ms = {n2['median']/n['median']:.2f}x; "
          f"CPU {cpu*1000:.0f} ms, twice {cpu2*1000:.0f} ms = {cpu2/cpu:.2f}x")
PY
