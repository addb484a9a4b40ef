use super::*;

fn parse(text: &str) -> (Vec<Line>, Vec<Node>, Vec<Problem>) {
    let (lines, nodes, problems, _) = parse_keeping(text);
    (lines, nodes, problems)
}

fn parse_keeping(text: &str) -> (Vec<Line>, Vec<Node>, Vec<Problem>, SourceFile) {
    let source = SourceFile::new("apache2.conf", text.as_bytes().to_vec());
    let file = ApacheFile::new(&source);
    let (lines, nodes, problems) = (file.lines, file.nodes, file.problems);
    (lines, nodes, problems, source)
}

#[test]
fn continuation_joins_without_a_space_and_counts_as_the_last_line() {
    let (lines, nodes, _, source) = parse_keeping("Options a\\\n b\n# c \\\nFooBar\n\\\nX\n");
    assert_eq!(lines[0].text(source.bytes()), b"Options a b");
    assert_eq!((lines[0].first, lines[0].last), (1, 2));
    assert_eq!(
        lines[1].kind,
        LineKind::Comment,
        "a comment ending in \\ swallows the next line"
    );
    assert_eq!(nodes[1].name, "X");
    assert_eq!(lines[2].last, 6);
}

#[test]
fn words_as_ap_getword_conf_reads_them() {
    let w: Vec<Vec<u8>> = words(br#"a "b c"d 'e\'f' g\\h "i\"j" "unterminated k"#)
        .into_iter()
        .map(|(_, v, _)| v)
        .collect();
    let expected: Vec<&[u8]> = vec![
        b"a",
        b"b c",
        b"d",
        b"e'f",
        b"g\\h",
        b"i\"j",
        b"unterminated k",
    ];
    assert_eq!(w, expected);
    // A `#` after a word is a word.
    let (_, nodes, _) = parse("ServerAdmin a # b\n");
    assert_eq!(nodes[0].args.len(), 3);
}

#[test]
fn sections_and_problems_as_httpd_reads_them() {
    let (_, nodes, problems) = parse("<Files \"some.file.php\">\n   RemoveHandler .php\n");
    assert_eq!(nodes[0].name, "Files");
    assert_eq!(nodes[0].args[0].value, "some.file.php");
    assert_eq!(problems, [Problem::NotClosed { open: 0 }]);
    let (_, _, problems) = parse("<Files a>\n</Directory>\n");
    assert_eq!(problems, [Problem::Mismatched { close: 1, open: 0 }]);
    let (_, _, problems) = parse("</Files>\n");
    assert_eq!(problems, [Problem::Unmatched { close: 0 }]);
    let (_, _, problems) = parse("<Files a>\n</Files >\n");
    assert_eq!(problems, [Problem::CloseWithoutBracket { close: 1 }]);
    let (_, _, problems) = parse("<files a>\n</FILES> extra\n");
    assert!(problems.is_empty());
}

#[test]
fn read_time_containers() {
    // Taken: the end of the file is quiet, a tag inside cannot close what is outside.
    assert!(parse("<IfModule mod_mime.c>\n<Files a>\n").2.is_empty());
    let (_, _, p) = parse("<Directory /x>\n<IfModule mod_mime.c>\n</Directory>\n</IfModule>\n");
    assert!(matches!(p[0], Problem::Unmatched { close: 2 }));
    let (_, _, p) = parse("<IfModule mod_mime.c>\n<Files a>\n</IfModule>\n");
    assert_eq!(p[0], Problem::Mismatched { close: 2, open: 1 });
    // Skipped: only tags count, on the container's line.
    let (_, nodes, p) = parse("<IfModule nope>\nFooBar\n</Files>\n");
    assert!(nodes[1].skipped);
    assert_eq!(
        p,
        [Problem::SkippedMismatch {
            container: 0,
            close: 2,
            expected: "IfModule".into()
        }]
    );
    let (_, _, p) = parse("<IfModule nope>\n<Files a>\n</Files>\n");
    assert_eq!(p, [Problem::SkippedNotClosed { container: 0 }]);
    let (_, _, p) =
        parse("<IfDefine X>\n</IfDefine>\nDefine X\n<IfDefine X>\n<Files a>\n</IfDefine>\n");
    assert_eq!(p, [Problem::Mismatched { close: 5, open: 4 }]);
}

#[test]
fn deep_nesting_does_not_recurse() {
    let depth = 100_000;
    let text = "<Directory /x>\n".repeat(depth) + &"</Directory>\n".repeat(depth);
    let (_, nodes, problems) = parse(&text);
    assert!(problems.is_empty());
    assert_eq!(nodes[depth - 1].depth, depth - 1);
    let source = SourceFile::new("apache2.conf", text.into_bytes());
    let dump = crate::formats::Handler::dump(&Handler, &source);
    assert_eq!(dump["directives"][0]["line"], 1);
}

#[test]
fn php_settings_are_handed_over_as_mod_php_stores_them() {
    use crate::formats::php_ini::settings::SettingSource;
    let text = "php_flag register_globals On\nphp_admin_flag engine off\nphp_value include_path none\nphp_admin_value open_basedir \"/srv\"\n";
    let source = SourceFile::new(".htaccess", text.as_bytes().to_vec());
    let file = ApacheFile::new(&source);
    let s = &file.php_settings().settings;
    assert_eq!(s.len(), 4);
    assert_eq!(
        (s[0].key.as_str(), s[0].value.as_str(), s[0].source),
        ("register_globals", "1", SettingSource::ApacheFlag)
    );
    assert_eq!(&text[s[0].value_span.clone()], "On");
    assert_eq!(
        &text[s[0].statement_span.clone()],
        "php_flag register_globals On"
    );
    assert_eq!(
        (s[1].value.as_str(), s[1].source),
        ("0", SettingSource::ApacheAdminFlag)
    );
    assert_eq!(s[2].value, "");
    assert_eq!((s[3].value.as_str(), s[3].quoted), ("/srv", true));
}
