//! Property tests: the fuzz targets' invariants (`tests/common/invariants.rs`) on inputs built
//! from fragments of each format — for PHP tags, quotes, comments, heredocs, line endings of the
//! three kinds, a BOM, bytes that are not UTF-8, and what the rules and suppressions look for.
//! A table of (format, generator, check); a new format adds its row. `PROPTEST_CASES` sets the
//! number of cases per row (default [`CASES`]).

#[path = "common/invariants.rs"]
mod invariants;

use etclint::formats::Format;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Cases per row: the whole test stays well under 20 s in a debug build.
const CASES: u32 = 300;

struct Row {
    format: Format,
    inputs: fn() -> BoxedStrategy<Vec<u8>>,
    /// Panics when an invariant does not hold.
    check: fn(&[u8]),
}

const ROWS: &[Row] = &[
    Row {
        format: Format::Php,
        inputs: php_inputs,
        check: check_php,
    },
    Row {
        format: Format::Wgetrc,
        inputs: wgetrc_inputs,
        check: check_wgetrc,
    },
    // grub, grub-default (issue 14)
    Row {
        format: Format::Grub,
        inputs: grub_inputs,
        check: check_grub,
    },
    Row {
        format: Format::PhpIni,
        inputs: php_ini_inputs,
        check: invariants::check_php_ini_lint_fix,
    },
    // postfix-regexp/postfix-pcre (issue 13)
    Row {
        format: Format::PostfixRegexp,
        inputs: table_inputs,
        check: check_table,
    },
    // postfix-main/postfix-master (issue 12)
    Row {
        format: Format::PostfixMain,
        inputs: conf_inputs,
        check: invariants::check_postfix_conf,
    },
    // apache (issue 11)
    Row {
        format: Format::Apache,
        inputs: apache_inputs,
        check: invariants::check_apache_lint_fix,
    },
];

/// Pieces of Apache configuration (the first byte picks a server configuration file or a
/// `.htaccess`): sections open, closed, mismatched and skipped, continuations, quotes, and what
/// the rules look for.
const APACHE_FRAGMENTS: &[&[u8]] = &[
    b"\x00",
    b"\x01",
    b"<IfModule mod_rewrite.c>\n",
    b"<IfModule nope>\n",
    b"</IfModule>\n",
    b"<IfDefine !X>\n",
    b"Define X\n",
    b"<Files \"some.file.php\">\n",
    b"<FilesMatch \"\\.php$\">\n",
    b"</Files>\n",
    b"</Files >\n",
    b"</FilesMatch>\n",
    b"<Directory /srv/www>\n",
    b"</Directory>\n",
    b"<VirtualHost *:80>\n",
    b"</VirtualHost>\n",
    b"<Macro M $x>\n",
    b"</Macro>\n",
    b"<Location /x>\n",
    b"RemoveHandler .php\n",
    b"SetHandler None\n",
    b"SetHandler application/x-httpd-php\n",
    b"ForceType text/plain\n",
    b"AllowOverride FileInfo\n",
    b"Options +Indexes FollowSymLinks\n",
    b"Listen 80\n",
    b"AuthType Basic\n",
    b"AuthMySQLPassword s3cret\n",
    b"Auth_MySQL_Empty_Passwords on\n",
    b"php_flag register_globals on\n",
    b"php_admin_value open_basedir /x\n",
    b"DocumentRoot /srv/www\n",
    b"Include conf.d/*.conf\n",
    b"FooBar x\n",
    b"# comment \\\n",
    b" \\\n",
    b"\\\r\n",
    b"\"",
    b"'",
    b"\\\"",
    b">",
    b"<",
    b"</",
    b"  ",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\xff",
    b"# etclint: ignore[APA001]\n",
];

fn apache_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(APACHE_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

const CONF_FRAGMENTS: &[&[u8]] = &[
    b"myhostname = mail.example.com\n",
    b"myhostname",
    b" = ",
    b"=",
    b"$myhostname",
    b"${mydomain?{x}:{y}}",
    b"$$",
    b"$",
    b"${",
    b"$(",
    b"}",
    b"{",
    b" # note",
    b"# comment\n",
    b"  ",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff",
    b"smtpd_relay_restrictions = permit, reject_unauth_destination\n",
    b"compatibility_level = 3.6\n",
    b"transport_maps = regexp:/etc/postfix/t.regexp\n",
    b"smtp inet n - y - - smtpd\n",
    b"  -o smtpd_x=1\n",
    b" -o { a = 1 }",
    b"10?",
    b"etclint: ignore[PFM001]\n",
];

fn conf_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(CONF_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

const TABLE_FRAGMENTS: &[&[u8]] = &[
    b"/^list-subscribe@x\\.com$/ mailman:\n",
    b"/^list-help@x\\.com$/ mailman:\n",
    b"/^other@x\\.com$/ local:\n",
    b"/",
    b"!",
    b"#",
    b"# comment\n",
    b"if /a/\n",
    b"endif\n",
    b"ENDIF x\n",
    b"  ",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\\",
    b"$1",
    b"${",
    b"$$",
    b"(",
    b")",
    b"|",
    b"i",
    b"x ",
    b"user@example.com",
    b" R # note\n",
    b"\0",
    b"\xff",
    b"etclint: ignore[PFT010]\n",
];

fn table_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(TABLE_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

fn check_table(bytes: &[u8]) {
    invariants::check_postfix_table(bytes);
    invariants::check_lint_fix(Format::PostfixRegexp, bytes);
    invariants::check_lint_fix(Format::PostfixPcre, bytes);
}

const PHP_FRAGMENTS: &[&[u8]] = &[
    // tags
    b"<?php",
    b"<?php ",
    b"<?php\n",
    b"<?PHP\r\n",
    b"<?",
    b"<?=",
    b"?>",
    b"?>\n",
    b"?>\r\n",
    b"?>\r",
    // quotes and interpolation
    b"\"",
    b"'",
    b"`",
    b"\\",
    b"b'",
    b"{$",
    b"${",
    b"$a[",
    b"$o->p",
    b"{",
    b"}",
    b"]",
    // comments
    b"/*",
    b"*/",
    b"/** doc */",
    b"//",
    b"#",
    b"#[",
    b"#!/usr/bin/php\n",
    // heredocs and nowdocs
    b"<<<EOT\n",
    b"<<<\"EOT\"\n",
    b"<<<'EOT'\n",
    b"<<<EOT\r\n",
    b"\nEOT;\n",
    b"\n  EOT\n",
    b"EOT",
    // line endings, blanks
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    // a BOM, bytes that are not UTF-8, a multibyte character
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xE9",
    b"\xE2\x82",
    "é".as_bytes(),
    // code
    b"$a = 1;",
    b"echo 'x';",
    b"function f() {",
    b"$f = function () {",
    b"};",
    b"(",
    b")",
    b";",
    b"__halt_compiler();",
    b"namespace App;",
    b"header('Location: /');",
    b"require __DIR__ . '/lib.php';",
    b"<html>",
    b"text",
    // what the rules look for
    b"fsockopen(",
    b"$parts = parse_url($url);",
    b"fsockopen($parts['host'], $_SERVER['SERVER_PORT']);",
    b"fsockopen(parse_url($u, PHP_URL_HOST), $_SERVER['SERVER_PORT'], $e, $s, 5);",
    b"$_SERVER['SERVER_PORT']",
    b"$HTTP_GET_VARS",
    b"$HTTP_POST_VARS['id']",
    b"$HTTP_SERVER_VARS",
    b"$GLOBALS['HTTP_COOKIE_VARS']",
    b"extract($_GET);",
    b"extract($_POST, EXTR_SKIP);",
    b"extract($_REQUEST, EXTR_PREFIX_ALL, 'p');",
    // suppressions
    b"// etclint: ignore[PHP004]\n",
    b"# etclint: ignore[PHP001, ETC001] legacy\n",
    b"/* etclint: ignore-file[PHP005] */",
    b"// etclint: ignore[nope]",
    b"etclint: ignore[",
];

/// How a generated file starts: as a template, as code, as code behind a BOM.
const PHP_STARTS: &[&[u8]] = &[b"", b"<?php\n", b"\xEF\xBB\xBF<?php\r\n"];

fn php_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PHP_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    (
        proptest::sample::select(PHP_STARTS),
        proptest::collection::vec(piece, 0..40),
    )
        .prop_map(|(start, pieces)| {
            let mut bytes = start.to_vec();
            bytes.extend(pieces.concat());
            bytes
        })
        .boxed()
}

fn check_php(bytes: &[u8]) {
    invariants::check_php_scan(bytes);
    invariants::check_lint_fix(Format::Php, bytes);
    invariants::check_suppress(bytes);
}

/// Names (in wget's spellings and others), values of every type, the dead-end proxies and the
/// syntax around them.
const WGETRC_FRAGMENTS: &[&[u8]] = &[
    b"tries",
    b"Num-Tries",
    b"progres",
    b"http_proxy",
    b"HTTPS_PROXY",
    b"ftp-proxy",
    b"use_proxy",
    b"no_proxy",
    b"check_certificate",
    b"http_password",
    b"crl_file",
    b"timeout",
    b"read_timeout",
    b"restrict_file_names",
    b"header",
    b"use_askpass",
    b"wait",
    b"quota",
    b"=",
    b" = ",
    b"==",
    b"#",
    b"# etclint: ignore[WGT007]",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b",",
    b"on",
    b"off",
    b"quiet",
    b"true",
    b"inf",
    b"3x",
    b"3 # x",
    b"-1",
    b"5m",
    b"1.5k",
    b"dot:mega",
    b"unix,",
    b"X-A: b",
    b"http://127.0.0.1:9/",
    b"localhost,com,",
    b"\xe9",
];

fn wgetrc_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(WGETRC_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

/// Pieces of grub.conf (the first byte picks grub.conf or /etc/default/grub).
const GRUB_FRAGMENTS: &[&[u8]] = &[
    b"\x00",
    b"\x01",
    b"title A\n",
    b"title=B \\\n",
    b"  root (hd0,0)\n",
    b"\tkernel /vmlinuz-2.6.18 ro root=/dev/md0\n",
    b"initrd /initrd-2.6.18.img\n",
    b"default 0x1\n",
    b"fallback 1 1 2\n",
    b"password s3cret\n",
    b"timeout=5\n",
    b"# c \\\n",
    b"Kernel /x\r\n",
    b"GRUB_CMDLINE_LINUX=\"quiet",
    b"'\n",
    b"\xe9",
];

fn grub_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(GRUB_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

fn check_grub(bytes: &[u8]) {
    invariants::check_grub_lint_fix(bytes);
}

const PHP_INI_FRAGMENTS: &[&[u8]] = &[
    b"register_globals = On\n",
    b"register_globals = \"On\"\n",
    b"magic_quotes_gpc = 1\n",
    b"display_errors = On\n",
    b"memory_limit = 128M\n",
    b"memory_limit = 256M ; x\n",
    b"error_log = /x # y\n",
    b"#a = 1\n",
    b"[PHP]\n",
    b"[pathology]\n",
    b"[PATH=/x]\n",
    b"a = E_ALL & ~E_NOTICE\n",
    b"a = \"x\n",
    b"a = ${b}\n",
    b"a[] = 1\n",
    b"on = 1\n",
    b"a = (1 |\n",
    b"\r\n",
    b"\r",
    b"'",
];

fn php_ini_inputs() -> BoxedStrategy<Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PHP_INI_FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

fn check_wgetrc(bytes: &[u8]) {
    invariants::check_wgetrc_lint_fix(bytes);
    invariants::check_suppress(bytes);
}

#[test]
fn invariants_hold_on_generated_inputs() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    for row in ROWS {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&(row.inputs)(), |bytes| {
            std::panic::catch_unwind(|| (row.check)(&bytes)).map_err(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                TestCaseError::fail(message)
            })
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(reason, input)) => panic!(
                "{:?}: {reason}\nminimal input: b\"{}\"",
                row.format,
                input.escape_ascii()
            ),
            Err(err) => panic!("{:?}: {err}", row.format),
        }
    }
}
