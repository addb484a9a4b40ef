//! Odd and hostile input never stops a run, panics, hangs or eats memory: every case gives a
//! clear message and finishes well inside a generous time limit (a safety net, not a
//! benchmark). The generators are a table per format, so each format added joins by adding its
//! rows.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// Far above what any case needs on a slow CI machine; only a hang or a blow-up exceeds it.
const TIME_LIMIT: Duration = Duration::from_secs(60);

struct Case {
    name: &'static str,
    /// The file name, which decides the format.
    file: &'static str,
    content: fn() -> Vec<u8>,
    /// For inputs with very many findings: every output format and `--write-baseline` must
    /// also stay within these limits.
    reports: Option<Limits>,
}

struct Limits {
    /// The findings the input gives: every report must hold them all.
    findings: usize,
    /// Per run, in a debug build.
    time: Duration,
    /// The size of the text format's output.
    text_bytes: usize,
}

const FORMATS: &[&str] = &[
    "text", "concise", "json", "sarif", "github", "gitlab", "junit",
];

/// Inputs per format. A new format adds its rows (deep nesting, include cycles, hostile
/// regular expressions, …).
const CASES: &[Case] = &[
    Case {
        name: "empty",
        file: "empty.php",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "nul bytes",
        file: "binary.php",
        content: || b"<?php\n\0\0\0\x01\x02".to_vec(),
        reports: None,
    },
    Case {
        name: "invalid utf-8",
        file: "latin1.php",
        content: || b"<?php\n$s = '\xe9\xff\xfe';\n?>\n\n".to_vec(),
        reports: None,
    },
    Case {
        name: "crlf",
        file: "crlf.php",
        content: || b"<?php\r\n$a = $HTTP_GET_VARS;\r\n?>\r\n\r\n".to_vec(),
        reports: None,
    },
    Case {
        name: "lone cr",
        file: "cr.php",
        content: || b"<?php\r$a = 1;\r?>\r\r".to_vec(),
        reports: None,
    },
    Case {
        name: "only a bom",
        file: "bom.php",
        content: || b"\xef\xbb\xbf".to_vec(),
        reports: None,
    },
    Case {
        name: "a 10 MB line",
        file: "long-line.php",
        content: || {
            let mut code = b"<?php $a = array(".to_vec();
            code.extend(std::iter::repeat_n(b"1,".as_slice(), 5_000_000).flatten());
            code.extend_from_slice(b"1); extract($_GET);\n");
            code
        },
        reports: None,
    },
    Case {
        name: "20,000 nested parentheses",
        file: "nested.php",
        content: || {
            // `fsockopen` and `extract` make the tree-based rules parse it.
            let mut code = b"<?php\n$x = fsockopen(".to_vec();
            code.extend(std::iter::repeat_n(b'(', 20_000));
            code.push(b'1');
            code.extend(std::iter::repeat_n(b')', 20_000));
            code.extend_from_slice(b", $_SERVER['SERVER_PORT']);\nextract($_GET);\n");
            code
        },
        reports: None,
    },
    Case {
        name: "20,000 nested blocks",
        file: "blocks.php",
        content: || {
            let mut code = b"<?php\nfunction f() {\n".to_vec();
            code.extend(std::iter::repeat_n(b"if ($a) {".as_slice(), 20_000).flatten());
            code.extend_from_slice(
                b"$p = parse_url($u); fsockopen($p['host'], $_SERVER['SERVER_PORT']);",
            );
            code.extend(std::iter::repeat_n(b'}', 20_001));
            code.push(b'\n');
            code
        },
        reports: None,
    },
    Case {
        name: "unterminated everything",
        file: "open.php",
        content: || b"<?php /* \" ' <<<EOT\n{$ ${ `".to_vec(),
        reports: None,
    },
    Case {
        name: "many tags",
        file: "tags.php",
        content: || {
            std::iter::repeat_n(b"<?php ?>\n\n<?= 1 ?>".as_slice(), 200_000)
                .flatten()
                .copied()
                .collect()
        },
        reports: None,
    },
    Case {
        name: "20,000 PHP blocks with blank lines between",
        file: "code-blocks.php",
        content: || {
            std::iter::repeat_n(b"<?php $a = 1 ?>\n\n".as_slice(), 20_000)
                .flatten()
                .copied()
                .collect()
        },
        reports: None,
    },
    Case {
        name: "a UTF-16 file of 2 MB",
        file: "utf16.php",
        content: || {
            let mut bytes = b"\xff\xfe".to_vec();
            let text = "<?php\n".to_string() + &"$a = '\u{e9}\u{1F600}';\n".repeat(100_000);
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        },
        reports: None,
    },
    Case {
        name: "1 MB of no-break spaces before the opening tag",
        file: "nbsp.php",
        content: || {
            let mut bytes: Vec<u8> = std::iter::repeat_n(*b"\xc2\xa0", 500_000)
                .flatten()
                .collect();
            bytes.extend_from_slice(b"<?php\n$a = 1;\n");
            bytes
        },
        reports: None,
    },
    Case {
        name: "a phar stub: binary data with NUL bytes after __halt_compiler",
        file: "stub.php",
        content: || {
            let mut bytes = b" <?php\n__halt_compiler(); ?>\r\n".to_vec();
            bytes.extend((0..1_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
            bytes
        },
        reports: None,
    },
    Case {
        name: "20,000 findings on one 600 KB line",
        file: "findings.php",
        content: || {
            // PHP004 reports each `$HTTP_GET_VARS`; the spaces make the line 600 KB.
            let mut code = b"<?php ".to_vec();
            code.extend(
                std::iter::repeat_n(b"$HTTP_GET_VARS;               ".as_slice(), 20_000).flatten(),
            );
            code.push(b'\n');
            code
        },
        reports: Some(Limits {
            findings: 20_000,
            time: Duration::from_secs(5),
            text_bytes: 20_000_000,
        }),
    },
    // wgetrc: every case is `.wgetrc` in a directory of its own.
    Case {
        name: "wgetrc: empty",
        file: ".wgetrc",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "wgetrc: nul bytes",
        file: ".wgetrc",
        content: || b"tries = 3\0\x01\x02\nuse_proxy = \0maybe\n\0".to_vec(),
        reports: None,
    },
    Case {
        name: "wgetrc: invalid utf-8",
        file: ".wgetrc",
        content: || {
            b"header = X-\xe9: \xff\nuse_proxy = \xfe\n\xff\xfe = 1\nhttp_password = \xe9\n"
                .to_vec()
        },
        reports: None,
    },
    Case {
        name: "wgetrc: crlf",
        file: ".wgetrc",
        content: || {
            b"http_proxy = http://127.0.0.1:9/\r\nftp_proxy = http://127.0.0.1:9/\r\ntries = 3 # x\r\n".to_vec()
        },
        reports: None,
    },
    Case {
        name: "wgetrc: lone cr",
        file: ".wgetrc",
        content: || b"http_proxy = http://127.0.0.1:9/\rftp_proxy = x\rtries = 3x\r\r".to_vec(),
        reports: None,
    },
    Case {
        name: "wgetrc: a 10 MB line",
        file: ".wgetrc",
        content: || {
            let mut text = b"http_proxy = http://127.0.0.1:9/\nno_proxy = ".to_vec();
            text.extend(std::iter::repeat_n(b"com,".as_slice(), 2_500_000).flatten());
            text.extend_from_slice(b"\nprogres = dot\n");
            text
        },
        reports: None,
    },
    Case {
        name: "wgetrc: 100,000 lines",
        file: ".wgetrc",
        content: || {
            let mut text: Vec<u8> =
                std::iter::repeat_n(b"header = X-A: b\n# c\n".as_slice(), 50_000)
                    .flatten()
                    .copied()
                    .collect();
            text.extend_from_slice(b"tries = 1\ntries = 2\n");
            text
        },
        reports: None,
    },
    Case {
        name: "wgetrc: unterminated everything",
        file: ".wgetrc",
        content: || b"http_proxy\n=\n[\nheader = X\n\\\ntries =".to_vec(),
        reports: None,
    },
    Case {
        name: "wgetrc: 20,000 unknown commands",
        file: ".wgetrc",
        content: || {
            std::iter::repeat_n(b"progres = dot\n".as_slice(), 20_000)
                .flatten()
                .copied()
                .collect()
        },
        reports: Some(Limits {
            findings: 20_000,
            time: Duration::from_secs(5),
            text_bytes: 20_000_000,
        }),
    },
    // ----- grub, grub-default (issue 14): every case is `menu.lst` or `grub` in a directory
    // of its own (`default/grub` needs its directory: the file name alone is `menu.lst`).
    Case {
        name: "grub: empty",
        file: "menu.lst",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "grub: nul bytes",
        file: "menu.lst",
        content: || b"title A\0B\n\0root (hd0)\nkernel\0 /v\n\0\0\x01".to_vec(),
        reports: None,
    },
    Case {
        name: "grub: invalid utf-8",
        file: "menu.lst",
        content: || b"title \xe9\xff\nroot (hd0)\npassword \xfe\xff\n\xff\xfe x\n".to_vec(),
        reports: None,
    },
    Case {
        name: "grub: crlf",
        file: "menu.lst",
        content: || {
            b"default 0\r\npassword s3cret\r\ntitle A\r\n\troot (hd0)\r\n\tKernel /v\r\n".to_vec()
        },
        reports: None,
    },
    Case {
        name: "grub: lone cr",
        file: "menu.lst",
        content: || b"default 3\rtitle A\rroot (hd0)\r\rpassword x\r".to_vec(),
        reports: None,
    },
    Case {
        name: "grub: a 10 MB line",
        file: "menu.lst",
        content: || {
            let mut text = b"title A\nkernel /vmlinuz ".to_vec();
            text.extend(std::iter::repeat_n(b"ro ".as_slice(), 3_500_000).flatten());
            text.extend_from_slice(b"\npassword x\n");
            text
        },
        reports: None,
    },
    Case {
        name: "grub: 100,000 continuation lines",
        file: "menu.lst",
        content: || {
            let mut text = b"title A\nkernel /v".to_vec();
            text.extend(std::iter::repeat_n(b" ro \\\n".as_slice(), 100_000).flatten());
            text.extend_from_slice(b"\n# c \\\n");
            text.extend(std::iter::repeat_n(b"swallowed \\\n".as_slice(), 100_000).flatten());
            text
        },
        reports: None,
    },
    Case {
        name: "grub: unterminated everything",
        file: "menu.lst",
        content: || b"title\ndefault=\nfallback 0x\npassword\n(hd0\n\\".to_vec(),
        reports: None,
    },
    Case {
        name: "grub: 20,000 menu commands in entries",
        file: "menu.lst",
        content: || {
            std::iter::repeat_n(b"title x\ntimeout 5\n".as_slice(), 20_000)
                .flatten()
                .copied()
                .collect()
        },
        reports: Some(Limits {
            findings: 20_000,
            time: Duration::from_secs(5),
            text_bytes: 20_000_000,
        }),
    },
    Case {
        name: "grub-default: unterminated quotes",
        file: "default/grub",
        content: || b"GRUB_CMDLINE_LINUX=\"quiet\nGRUB_X='a\\\nB=\\".to_vec(),
        reports: None,
    },
    Case {
        name: "grub-default: binary and invalid utf-8",
        file: "default/grub",
        content: || b"GRUB_CMDLINE_LINUX=\xff\xfe\0\x01\n\xe9=1\n".to_vec(),
        reports: None,
    },
    // php-ini: every case is `php.ini` in a directory of its own.
    Case {
        name: "php-ini: empty",
        file: "php.ini",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "php-ini: binary",
        file: "php.ini",
        content: || (0u8..=255).cycle().take(64 * 1024).collect(),
        reports: None,
    },
    Case {
        name: "php-ini: invalid utf-8",
        file: "php.ini",
        content: || {
            b"error_log = /var/log/\xe9.log\n\xff\xfe = 1\nregister_globals = \xff\n[\xe9]\n"
                .to_vec()
        },
        reports: None,
    },
    Case {
        name: "php-ini: crlf",
        file: "php.ini",
        content: || b"[PHP]\r\nregister_globals = On\r\nerror_log = x # y\r\n#a = 1\r\n".to_vec(),
        reports: None,
    },
    Case {
        name: "php-ini: lone cr",
        file: "php.ini",
        content: || b"register_globals = On\rdisplay_errors = On\r# x\r\"a\rb\"\r".to_vec(),
        reports: None,
    },
    Case {
        name: "php-ini: a 10 MB line",
        file: "php.ini",
        content: || {
            let mut text = b"error_log = ".to_vec();
            text.extend(std::iter::repeat_n(b"ab;$'\"".as_slice(), 1_500_000).flatten());
            text.extend_from_slice(b"\nregister_globals = On\n");
            text
        },
        reports: None,
    },
    Case {
        name: "php-ini: 100,000 continuation lines and nested parentheses",
        file: "php.ini",
        content: || {
            let mut text = b"a = \"".to_vec();
            text.extend(std::iter::repeat_n(b"line\n".as_slice(), 100_000).flatten());
            text.extend_from_slice(b"\"\nb = ");
            text.extend(std::iter::repeat_n(b"(~".as_slice(), 100_000).flatten());
            text.extend_from_slice(b"1\n");
            text
        },
        reports: None,
    },
    Case {
        name: "php-ini: unterminated everything",
        file: "php.ini",
        content: || b"[PATH\na[x\nb = \"x\nc = ${d\ne = 'f\ng = (1 |".to_vec(),
        reports: None,
    },
    Case {
        name: "php-ini: 20,000 unknown directives and `#` lines",
        file: "php.ini",
        content: || {
            (0..20_000)
                .flat_map(|i| format!("memory_limt_{i} = 1\n#x{i} = 2\n").into_bytes())
                .collect()
        },
        // Warnings only: the report limits below count errors in some formats.
        reports: None,
    },
    // ----- postfix-regexp / postfix-pcre (issue 13) -----
    Case {
        name: "regexp: empty",
        file: "empty.regexp",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "regexp: binary",
        file: "binary.regexp",
        content: || b"/a\0b/ R\n\0\0\x01\x02\xff/ \n/c/ \0\n".to_vec(),
        reports: None,
    },
    Case {
        name: "pcre: invalid utf-8",
        file: "latin1.pcre",
        content: || b"/caf\xe9@example.com/ REJECT \xe9t\xe9\n/\xff(/ R\n".to_vec(),
        reports: None,
    },
    Case {
        name: "regexp: crlf",
        file: "crlf.regexp",
        content: || b"/^a@x\\.com$/ OK\r\n/^a@x\\.com$/ OK # c\r\n  /b/ R\r\n".to_vec(),
        reports: None,
    },
    Case {
        name: "regexp: lone cr",
        file: "cr.regexp",
        content: || b"/a/ R\r/b/ S\r  /c/ T\r".to_vec(),
        reports: None,
    },
    Case {
        name: "regexp: a 10 MB line",
        file: "long.regexp",
        content: || {
            let mut t = b"/^(".to_vec();
            t.extend(std::iter::repeat_n(b"a|".as_slice(), 5_000_000).flatten());
            t.extend_from_slice(b"b)@x.com$/ OK\n");
            t
        },
        reports: None,
    },
    Case {
        name: "regexp: 100,000 continuation lines",
        file: "continued.regexp",
        content: || {
            let mut t = b"/a/ R\n".to_vec();
            t.extend(std::iter::repeat_n(b" /b/ S\n".as_slice(), 100_000).flatten());
            t
        },
        reports: None,
    },
    Case {
        name: "pcre: 100,000 nested ifs",
        file: "nested.pcre",
        content: || {
            let mut t = Vec::new();
            t.extend(std::iter::repeat_n(b"if /a/\n".as_slice(), 100_000).flatten());
            t.extend_from_slice(b"/^x@y\\.com$/ OK\n");
            t.extend(std::iter::repeat_n(b"endif\n".as_slice(), 50_000).flatten());
            t
        },
        reports: None,
    },
    Case {
        name: "regexp: every construct unterminated",
        file: "open.regexp",
        content: || b"/abc\n!\n!!/(/ $1\nif /x\nif\nendif\n/a/ ${1\n/a/ $\n/a/\\".to_vec(),
        reports: None,
    },
    Case {
        name: "regexp: hostile patterns",
        file: "hostile.regexp",
        content: || {
            let mut t = b"/(a*)*b/ R\n/((((((((((a))))))))))\\10/ R\n/a{1,32767}/ R\n".to_vec();
            t.extend_from_slice(b"/(");
            t.extend(std::iter::repeat_n(b'(', 10_000));
            t.extend_from_slice(b"/ R\n");
            t
        },
        reports: None,
    },
    Case {
        name: "regexp: 20,000 mergeable rules",
        file: "incident.regexp",
        content: || {
            let mut t = Vec::new();
            for i in 0..20_000 {
                t.extend_from_slice(
                    format!("/^l{}-c{}@x\\.com$/ mailman:\n", i / 21, i % 21).as_bytes(),
                );
            }
            t
        },
        reports: None,
    },
    // apache: `apache2.conf` or `.htaccess` in a directory of its own.
    Case {
        name: "apache: empty",
        file: "apache2.conf",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "apache: binary",
        file: ".htaccess",
        content: || b"<Files a>\0\x01\xff\n</Files>\n".to_vec(),
        reports: None,
    },
    Case {
        name: "apache: invalid utf-8",
        file: ".htaccess",
        content: || b"<Files \xe9>\nForceType text/\xff\n\xfe\xff on\n".to_vec(),
        reports: None,
    },
    Case {
        name: "apache: crlf",
        file: "apache2.conf",
        content: || b"<Directory /x>\r\n  Options +Indexes \\\r\n  FollowSymLinks\r\n".to_vec(),
        reports: None,
    },
    Case {
        name: "apache: lone cr",
        file: "apache2.conf",
        content: || b"<Files a>\rRequire all denied\r</Files>\r".to_vec(),
        reports: None,
    },
    Case {
        name: "apache: a 10 MB line",
        file: "apache2.conf",
        content: || {
            let mut text = b"ServerAlias".to_vec();
            text.extend(std::iter::repeat_n(b" a.example".as_slice(), 1_000_000).flatten());
            text.extend_from_slice(b"\nServerAdmn x\n");
            text
        },
        reports: None,
    },
    Case {
        name: "apache: 100,000 continuation lines",
        file: "apache2.conf",
        content: || {
            let mut text = b"ServerAlias \\\n".to_vec();
            text.extend(std::iter::repeat_n(b" a.example \\\n".as_slice(), 100_000).flatten());
            text.extend_from_slice(b"\n<Files a>\n");
            text
        },
        reports: None,
    },
    Case {
        name: "apache: 100,000 nested sections",
        file: ".htaccess",
        content: || {
            let mut text = b"<IfModule mod_mime.c>\n".repeat(50_000);
            text.extend(b"<Files a>\n".repeat(50_000));
            text
        },
        reports: None,
    },
    Case {
        name: "apache: unterminated everything",
        file: "apache2.conf",
        content: || b"<IfModule nope>\n<Files \"a\nOptions 'x\n</Files \\".to_vec(),
        reports: None,
    },
    Case {
        name: "apache: includes itself, by name and by wildcard",
        file: "apache2.conf",
        content: || {
            b"Include apache2.conf\nIncludeOptional *.conf\nInclude ./apache2.conf\n".to_vec()
        },
        reports: None,
    },
    Case {
        name: "apache: 100,000 nested skipped sections",
        file: "apache2.conf",
        content: || {
            let mut text = b"<IfModule mod_nonesuch.c>\n".to_vec();
            text.extend(b"<Files a>\n<IfModule x>\n".repeat(50_000));
            text
        },
        reports: None,
    },
    Case {
        name: "apache: 100,000 unterminated constructs",
        file: ".htaccess",
        content: || {
            // Sections without `>` or end, quotes without their mate, a close tag without `>`,
            // a taken container left open, a continuation into the end of the file.
            const PIECES: [&[u8]; 6] = [
                b"<Files \"a\n",
                b"Options 'x\n",
                b"<Directory /x\n",
                b"</Files\n",
                b"<IfModule mod_mime.c\n",
                b"RewriteRule \"^a \\\n",
            ];
            let mut text: Vec<u8> = (0..100_000).flat_map(|i| PIECES[i % 6]).copied().collect();
            text.push(b'\\');
            text
        },
        reports: None,
    },
    // ----- postfix-main / postfix-master (issue 12) -----
    Case {
        name: "main.cf: empty",
        file: "main.cf",
        content: Vec::new,
        reports: None,
    },
    Case {
        name: "main.cf: binary",
        file: "main.cf",
        content: || b"a = b\0c\n\0\0\x01\x02\xff = \n".to_vec(),
        reports: None,
    },
    Case {
        name: "main.cf: invalid utf-8",
        file: "main.cf",
        content: || b"myhostname = caf\xe9.example\n\xff = 1\nsmtpd_banner = $caf\xe9\n".to_vec(),
        reports: None,
    },
    Case {
        name: "main.cf: crlf",
        file: "main.cf",
        content: || b"myhostname = a # c\r\nmyhostname = b\r\n  c\r\nrelayhost\r\n".to_vec(),
        reports: None,
    },
    Case {
        name: "main.cf: lone cr",
        file: "main.cf",
        content: || b"myhostname = a\rmydomain = b\r  c\r".to_vec(),
        reports: None,
    },
    Case {
        name: "main.cf: a 10 MB line of references",
        file: "main.cf",
        content: || {
            let mut t = b"smtpd_banner = ".to_vec();
            t.extend(std::iter::repeat_n(b"$a ${b?c} ".as_slice(), 1_000_000).flatten());
            t.push(b'\n');
            t
        },
        reports: None,
    },
    Case {
        name: "main.cf: 100,000 continuation lines",
        file: "main.cf",
        content: || {
            let mut t = b"mydestination = a\n".to_vec();
            t.extend(std::iter::repeat_n(b" $myhostname, # x\n".as_slice(), 100_000).flatten());
            t
        },
        reports: None,
    },
    Case {
        name: "main.cf: 100,000 nested macros and a reference loop",
        file: "main.cf",
        content: || {
            let mut t =
                b"a = $b $b\nb = $a $a\nsmtpd_relay_restrictions = $a\nmyhostname = ".to_vec();
            t.extend(std::iter::repeat_n(b"${x?".as_slice(), 100_000).flatten());
            t.extend(std::iter::repeat_n(b'}', 100_000));
            t.push(b'\n');
            t
        },
        reports: None,
    },
    Case {
        name: "main.cf: every construct unterminated",
        file: "main.cf",
        content: || {
            b"a = ${b\nc = $(d\ne = ${{f} == {g\nh = $\n= x\ny\n  z\nsmtpd_restriction_classes = k\nk = k\nsmtpd_relay_restrictions = k, regexp:{ {/a/ R\n".to_vec()
        },
        reports: None,
    },
    Case {
        name: "master.cf: hostile",
        file: "master.cf",
        content: || {
            let mut t = b"smtp inet n - y - - smtpd -o {a = 1\nx unix\n  y\n".to_vec();
            t.extend_from_slice(b"s unix - - y - - smtpd");
            t.extend(std::iter::repeat_n(b" -o a=$b".as_slice(), 100_000).flatten());
            t.extend_from_slice(b" {");
            t.extend(std::iter::repeat_n(b'{', 100_000));
            t.push(b'\n');
            t
        },
        reports: None,
    },
];

fn etclint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("etclint").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .timeout(TIME_LIMIT);
    cmd
}

#[test]
fn every_case_finishes_with_a_clear_result() {
    for case in CASES {
        let dir = TempDir::new().unwrap();
        // `default/grub`: a format known by its directory.
        fs::create_dir_all(dir.path().join(case.file).parent().unwrap()).unwrap();
        fs::write(dir.path().join(case.file), (case.content)()).unwrap();
        for args in [
            &["--select", "ALL"][..],
            &["--select", "ALL", "--fix", "--unsafe-fixes"][..],
        ] {
            let started = Instant::now();
            let output = etclint(dir.path()).args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{} {args:?}: exit {code:?}\n{stderr}",
                case.name
            );
            assert!(
                !stderr.contains("panicked") && !stderr.contains("internal error"),
                "{}: {stderr}",
                case.name
            );
            assert!(
                started.elapsed() < TIME_LIMIT,
                "{} took {:?}",
                case.name,
                started.elapsed()
            );
        }
        if let Some(limits) = &case.reports {
            // The runs above fixed the file.
            fs::write(dir.path().join(case.file), (case.content)()).unwrap();
            within_limits(case, dir.path(), limits);
        }
    }
}

/// Every output format and `--write-baseline` on `case`, each within `limits`.
fn within_limits(case: &Case, dir: &Path, limits: &Limits) {
    let runs = FORMATS
        .iter()
        .map(|format| vec!["--format", format])
        .chain([vec!["--write-baseline", "baseline.json"]]);
    for args in runs {
        let started = Instant::now();
        let output = etclint(dir).args(&args).output().unwrap();
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            matches!(output.status.code(), Some(0 | 1)) && !stderr.contains("panicked"),
            "{} {args:?}: {:?}\n{stderr}",
            case.name,
            output.status
        );
        assert!(
            elapsed < limits.time,
            "{} {args:?} took {elapsed:?}",
            case.name
        );
        // What each report writes once per finding: none may be left out.
        let report = match args[1] {
            "baseline.json" => fs::read_to_string(dir.join("baseline.json")).unwrap(),
            _ => String::from_utf8_lossy(&output.stdout).into_owned(),
        };
        let mark = match args[1] {
            "text" => "┌─ ",
            "concise" => " [",
            "json" | "baseline.json" => "\"code\": ",
            "sarif" => "\"ruleId\": ",
            "github" => "\n::error ",
            "gitlab" => "\"check_name\": ",
            "junit" => "<failure ",
            other => panic!("no mark for {other}"),
        };
        assert_eq!(
            report.matches(mark).count(),
            limits.findings,
            "{} {args:?}: {mark:?}",
            case.name
        );
        if args[1] == "text" {
            assert!(
                output.stdout.len() < limits.text_bytes,
                "{}: {} bytes of text output",
                case.name,
                output.stdout.len()
            );
        }
    }
}

#[test]
fn long_lines_are_cut_in_text_output_and_keep_their_columns() {
    let dir = TempDir::new().unwrap();
    let mut code = String::from("<?php $a = $HTTP_GET_VARS;");
    code.push_str(&"/* é */".repeat(3000));
    code.push_str("$b = $HTTP_POST_VARS;");
    code.push_str(&" ".repeat(3000));
    code.push_str("$c = $HTTP_COOKIE_VARS;\n$d = $HTTP_GET_VARS;\n");
    fs::write(dir.path().join("long.php"), &code).unwrap();
    let run = |format: &str| {
        let output = etclint(dir.path())
            .args(["--format", format, "long.php"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let concise = run("concise");
    let text = run("text");
    let column = |needle: &str| code[..code.find(needle).unwrap()].chars().count() + 1;
    let places = [
        format!("long.php:1:{}", column("$HTTP_GET_VARS")),
        format!("long.php:1:{}", column("$HTTP_POST_VARS")),
        format!("long.php:1:{}", column("$HTTP_COOKIE_VARS")),
        "long.php:2:6".to_string(),
    ];
    let reported: Vec<&str> = concise
        .lines()
        .filter(|l| l.contains(" ["))
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(reported, places);
    for place in places {
        assert!(text.contains(&format!("┌─ {place}\n")), "{place}: {text}");
    }
    let source_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("1 │ ")).collect();
    assert_eq!(source_lines.len(), 3, "{text}");
    for line in source_lines {
        assert!(line.contains('…') && line.chars().count() < 130, "{line}");
    }
    assert!(
        text.contains("2 │ $d = $HTTP_GET_VARS;\n"),
        "a short line is shown whole: {text}"
    );
}

#[test]
fn binary_files_are_skipped_with_a_note() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("image.php"), b"GIF89a\0\0\0").unwrap();
    let output = etclint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("image.php: not checked: a binary file (NUL byte at offset 6)"));
}

#[test]
fn files_over_the_size_limit_are_reported_not_read() {
    let dir = TempDir::new().unwrap();
    let big = fs::File::create(dir.path().join("huge.php")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap(); // sparse: 100 MB that cost nothing to write
    fs::write(
        dir.path().join("small.php"),
        "<?php\n$a = $HTTP_GET_VARS;\n",
    )
    .unwrap();
    let output = etclint(dir.path())
        .args(["--format", "concise"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Found in a walk, it is a note and counted as not checked; the finding decides the exit.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "huge.php: not checked: 104857600 bytes is over the size limit of 33554432 bytes"
        ),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("small.php:2:6: PHP004"));
    assert!(stdout.contains("1 not checked: 1 too large"), "{stdout}");
    // Named, it fails the run.
    let named = etclint(dir.path()).arg("huge.php").output().unwrap();
    assert_eq!(named.status.code(), Some(2));
    let output = etclint(dir.path())
        .args(["--max-file-size", "200000000", "huge.php"])
        .output()
        .unwrap();
    // Read now: 100 MB of zeros is a binary file, not checked, and it was named.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not checked: a binary file"), "{stderr}");
}

#[test]
fn links_loops_and_dangling_links_in_walks() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("site")).unwrap();
    fs::write(root.join("site/a.php"), "<?php\n$a = $HTTP_GET_VARS;\n").unwrap();
    symlink(root.join("site"), root.join("site/loop")).unwrap();
    symlink(root.join("missing.php"), root.join("site/dangling.php")).unwrap();
    symlink(root.join("site/a.php"), root.join("site/alias.php")).unwrap();
    let output = etclint(root)
        .args(["--format", "concise", "site", "site"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stdout.matches("PHP004").count(),
        2,
        "a.php and its alias, once each although named twice: {stdout}"
    );
    assert!(
        stderr.contains("site/dangling.php: not checked: No such file or directory"),
        "{stderr}"
    );
}

#[test]
fn unreadable_files_and_directories() {
    let dir = TempDir::new().unwrap();
    // Root reads files whatever their mode: as root, etclint runs as `nobody`.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir(dir.path().join("closed")).unwrap();
    fs::write(dir.path().join("secret.php"), "<?php\n").unwrap();
    fs::write(dir.path().join("ok.php"), "<?php\n$a = $HTTP_GET_VARS;\n").unwrap();
    fs::set_permissions(
        dir.path().join("secret.php"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    fs::set_permissions(dir.path().join("closed"), fs::Permissions::from_mode(0o000)).unwrap();
    let output = if is_root() {
        let mut nobody = std::process::Command::new("setpriv");
        nobody
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_etclint"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS");
        nobody
            .output()
            .expect("as root, this test needs setpriv (util-linux) to run etclint as nobody")
    } else {
        etclint(dir.path()).output().unwrap()
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("secret.php: Permission denied")
            && stderr.contains("closed: Permission denied"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("PHP004"));
    fs::set_permissions(dir.path().join("closed"), fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn fixing_read_only_files_is_an_error_for_that_file_only() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("locked.php"),
        "<?php\n$a = $HTTP_GET_VARS;\n",
    )
    .unwrap();
    fs::write(dir.path().join("open.php"), "<?php\n$a = $HTTP_GET_VARS;\n").unwrap();
    fs::set_permissions(
        dir.path().join("locked.php"),
        fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let output = etclint(dir.path()).arg("--fix").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("locked.php: not fixed: the file is read-only (mode 0444)"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("open.php")).unwrap(),
        "<?php\n$a = $_GET;\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("locked.php")).unwrap(),
        "<?php\n$a = $HTTP_GET_VARS;\n"
    );
}

#[test]
fn root_outside_the_tree() {
    let dir = TempDir::new().unwrap();
    let elsewhere = TempDir::new().unwrap();
    fs::write(dir.path().join("a.php"), "<?php\n").unwrap();
    fs::write(
        dir.path().join("menu.lst"),
        "default 0\ntitle A\nroot (hd0,0)\n",
    )
    .unwrap();
    let output = etclint(dir.path())
        .args(["--root", elsewhere.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("(2 files checked)"));
    etclint(dir.path())
        .args(["--root", "/no/such/dir"])
        .assert()
        .code(2);
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// 30 MiB files, each with every rule, with `--select PHP000`, and fixed: peak memory at most
/// 10× the file plus 60 MB and under 10 s (issue 16). Rules that need a syntax tree skip files
/// over `max-tree-size` with a note; the others still run.
#[test]
#[ignore = "needs GNU time for the peak memory, /usr/bin/time (tests/setup.sh installs it)"]
fn large_files_stay_within_memory_and_time() {
    const SIZE: usize = 30 * 1024 * 1024;
    let one_finding = || {
        let mut code = b"<?php\n".to_vec();
        code.extend(std::iter::repeat_n(b"$a = 1;\n".as_slice(), SIZE / 8).flatten());
        code.extend_from_slice(b"$x = $HTTP_GET_VARS;\n");
        code
    };
    let dense = || {
        let line = b"$a = $b + $c * 3 - foo($d, $e, [1, 2]);\n".as_slice();
        let mut code = b"<?php\n".to_vec();
        code.extend(std::iter::repeat_n(line, SIZE / line.len()).flatten());
        code
    };
    assert!(
        Path::new("/usr/bin/time").is_file(),
        "this test needs GNU time at /usr/bin/time: run tests/setup.sh"
    );
    for (name, content) in [
        ("one finding", one_finding as fn() -> Vec<u8>),
        ("dense", dense),
    ] {
        let dir = TempDir::new().unwrap();
        let bytes = content();
        let limit_kb = (10 * bytes.len() + 60_000_000) / 1000;
        for args in [
            &[][..],
            &["--select", "PHP000"][..],
            &["--select", "ALL"][..],
            &["--select", "ALL", "--fix", "--unsafe-fixes"][..],
        ] {
            fs::write(dir.path().join("big.php"), &bytes).unwrap();
            let started = Instant::now();
            let output = std::process::Command::new("/usr/bin/time")
                .args(["-f", "peak %M KB"])
                .arg(env!("CARGO_BIN_EXE_etclint"))
                .args(["--isolated", "big.php"])
                .args(args)
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let elapsed = started.elapsed();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let peak_kb: usize = stderr
                .lines()
                .rev()
                .find_map(|l| l.strip_prefix("peak ")?.strip_suffix(" KB")?.parse().ok())
                .unwrap_or_else(|| panic!("no peak in {stderr}"));
            println!("{name} {args:?}: {peak_kb} KB peak, {elapsed:?}");
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "{name} {args:?}: {stderr}"
            );
            assert!(
                peak_kb <= limit_kb,
                "{name} {args:?}: {peak_kb} KB peak, over {limit_kb} KB"
            );
            assert!(
                elapsed < Duration::from_secs(10),
                "{name} {args:?} took {elapsed:?}"
            );
            if name == "one finding" && args.is_empty() {
                assert!(
                    stderr.contains("PHP004 skipped this file: a syntax tree is not built"),
                    "{stderr}"
                );
            }
        }
    }
}
