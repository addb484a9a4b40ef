//! Unit tests of the PHP scanner: exact regions for each lexer case.

use super::RegionKind::*;
use super::*;

/// The regions of `source` as (kind, text) pairs, checked to cover it exactly.
fn regions(source: &str) -> Vec<(RegionKind, &str)> {
    let scan = scan(source.as_bytes());
    let mut expected_start = 0;
    for region in &scan.regions {
        assert_eq!(
            region.span.start, expected_start,
            "regions must be contiguous: {scan:?}"
        );
        assert!(
            region.span.end > region.span.start,
            "empty region: {scan:?}"
        );
        expected_start = region.span.end;
    }
    assert_eq!(
        expected_start,
        source.len(),
        "regions must cover the file: {scan:?}"
    );
    scan.regions
        .iter()
        .map(|region| (region.kind, &source[region.span.clone()]))
        .collect()
}

#[test]
fn empty_file_has_no_regions() {
    assert!(scan(b"").regions.is_empty());
}

#[test]
fn html_only() {
    assert_eq!(
        regions("<html>\n<p>a < b</p>"),
        [(InlineHtml, "<html>\n<p>a < b</p>")]
    );
}

#[test]
fn open_tag_takes_one_whitespace_byte() {
    assert_eq!(regions("<?php  x"), [(OpenTag, "<?php "), (Code, " x")]);
    assert_eq!(regions("<?php\tx"), [(OpenTag, "<?php\t"), (Code, "x")]);
    assert_eq!(regions("<?php\n\nx"), [(OpenTag, "<?php\n"), (Code, "\nx")]);
    assert_eq!(regions("<?php\r\nx"), [(OpenTag, "<?php\r\n"), (Code, "x")]);
    assert_eq!(regions("<?php\rx"), [(OpenTag, "<?php\r"), (Code, "x")]);
}

#[test]
fn open_tag_at_end_of_file() {
    assert_eq!(regions("a<?php"), [(InlineHtml, "a"), (OpenTag, "<?php")]);
}

#[test]
fn open_tag_is_case_insensitive() {
    assert_eq!(
        regions("<?PHP echo 1;"),
        [(OpenTag, "<?PHP "), (Code, "echo 1;")]
    );
    assert_eq!(regions("<?pHp\n"), [(OpenTag, "<?pHp\n")]);
}

#[test]
fn php_glued_to_a_name_is_a_short_tag() {
    assert_eq!(regions("<?phpx;"), [(OpenTag, "<?"), (Code, "phpx;")]);
}

#[test]
fn short_and_echo_tags() {
    assert_eq!(
        regions("a<?=$b?>c"),
        [
            (InlineHtml, "a"),
            (OpenTagWithEcho, "<?="),
            (Code, "$b"),
            (CloseTag, "?>"),
            (InlineHtml, "c")
        ]
    );
    assert_eq!(
        regions("<? x ?>"),
        [(OpenTag, "<?"), (Code, " x "), (CloseTag, "?>")]
    );
    assert_eq!(regions("<?"), [(OpenTag, "<?")]);
}

#[test]
fn close_tag_swallows_exactly_one_newline() {
    assert_eq!(
        regions("<?php ?>\n\nB"),
        [(OpenTag, "<?php "), (CloseTag, "?>\n"), (InlineHtml, "\nB")]
    );
    assert_eq!(
        regions("<?php ?>\r\nB"),
        [(OpenTag, "<?php "), (CloseTag, "?>\r\n"), (InlineHtml, "B")]
    );
    assert_eq!(
        regions("<?php ?>\r\rB"),
        [(OpenTag, "<?php "), (CloseTag, "?>\r"), (InlineHtml, "\rB")]
    );
    assert_eq!(
        regions("<?php ?> \nB"),
        [(OpenTag, "<?php "), (CloseTag, "?>"), (InlineHtml, " \nB")]
    );
}

#[test]
fn coalesce_before_greater_than_is_no_close_tag() {
    assert_eq!(
        regions("<?php $a ??> x"),
        [(OpenTag, "<?php "), (Code, "$a ??> x")]
    );
    assert_eq!(
        regions("<?php $a ???> x"),
        [
            (OpenTag, "<?php "),
            (Code, "$a ??"),
            (CloseTag, "?>"),
            (InlineHtml, " x")
        ]
    );
    assert_eq!(
        regions("<?php $a?->b ?>"),
        [(OpenTag, "<?php "), (Code, "$a?->b "), (CloseTag, "?>")]
    );
}

#[test]
fn line_comments_end_before_a_close_tag() {
    assert_eq!(
        regions("<?php // c ?>\nB"),
        [
            (OpenTag, "<?php "),
            (Comment, "// c "),
            (CloseTag, "?>\n"),
            (InlineHtml, "B")
        ]
    );
    assert_eq!(
        regions("<?php # c ? > ?>B"),
        [
            (OpenTag, "<?php "),
            (Comment, "# c ? > "),
            (CloseTag, "?>"),
            (InlineHtml, "B")
        ]
    );
    assert_eq!(
        regions("<?php // a\r\n$b"),
        [(OpenTag, "<?php "), (Comment, "// a"), (Code, "\r\n$b")]
    );
    assert_eq!(regions("<?php //"), [(OpenTag, "<?php "), (Comment, "//")]);
}

#[test]
fn hash_bracket_is_an_attribute() {
    assert_eq!(
        regions("<?php #[A] ?>x"),
        [
            (OpenTag, "<?php "),
            (Code, "#[A] "),
            (CloseTag, "?>"),
            (InlineHtml, "x")
        ]
    );
}

#[test]
fn block_comments_ignore_close_tags() {
    assert_eq!(
        regions("<?php /* ?> */ ?>"),
        [
            (OpenTag, "<?php "),
            (Comment, "/* ?> */"),
            (Code, " "),
            (CloseTag, "?>")
        ]
    );
    assert_eq!(
        regions("<?php /** ?> */"),
        [(OpenTag, "<?php "), (Comment, "/** ?> */")]
    );
    assert_eq!(
        regions("<?php /*/ ?>"),
        [(OpenTag, "<?php "), (Comment, "/*/ ?>")]
    );
    assert_eq!(
        regions("<?php /**//**/"),
        [(OpenTag, "<?php "), (Comment, "/**/"), (Comment, "/**/")]
    );
}

#[test]
fn single_quoted_strings() {
    assert_eq!(
        regions(r"<?php 'a\'?>\\' ?>"),
        [
            (OpenTag, "<?php "),
            (String, r"'a\'?>\\'"),
            (Code, " "),
            (CloseTag, "?>")
        ]
    );
    assert_eq!(
        regions("<?php 'a''b'"),
        [(OpenTag, "<?php "), (String, "'a'"), (String, "'b'")]
    );
    assert_eq!(
        regions("<?php 'open ?>"),
        [(OpenTag, "<?php "), (String, "'open ?>")]
    );
}

#[test]
fn binary_prefix_belongs_to_the_string() {
    assert_eq!(
        regions("<?php b'x';B\"y\""),
        [
            (OpenTag, "<?php "),
            (String, "b'x'"),
            (Code, ";"),
            (String, "B\"y\"")
        ]
    );
    assert_eq!(
        regions("<?php $b'x'"),
        [(OpenTag, "<?php "), (Code, "$b"), (String, "'x'")]
    );
    assert_eq!(
        regions("<?php ab'x'"),
        [(OpenTag, "<?php "), (Code, "ab"), (String, "'x'")]
    );
    assert_eq!(
        regions("<?php b<<<X\na\nX;"),
        [(OpenTag, "<?php "), (String, "b<<<X\na\nX"), (Code, ";")]
    );
}

#[test]
fn double_quoted_and_backtick_strings() {
    assert_eq!(
        regions(r#"<?php "a\"?>" ?>"#),
        [
            (OpenTag, "<?php "),
            (String, r#""a\"?>""#),
            (Code, " "),
            (CloseTag, "?>")
        ]
    );
    assert_eq!(
        regions("<?php `ls ?>` ?>"),
        [
            (OpenTag, "<?php "),
            (String, "`ls ?>`"),
            (Code, " "),
            (CloseTag, "?>")
        ]
    );
    assert_eq!(
        regions("<?php \"open ?>"),
        [(OpenTag, "<?php "), (String, "\"open ?>")]
    );
}

#[test]
fn interpolations_belong_to_the_string() {
    let source = r#"<?php "a {$b["}?>"]} ${c} $d[e] \{$f} {$g->h('}')}" ?>"#;
    let literal = &source[6..source.len() - 3];
    assert_eq!(
        regions(source),
        [
            (OpenTag, "<?php "),
            (String, literal),
            (Code, " "),
            (CloseTag, "?>")
        ]
    );
    let nested = r#"<?php "{$a[/* " */ 'x']}{$b{1}}" ;"#;
    assert_eq!(
        regions(nested),
        [
            (OpenTag, "<?php "),
            (String, &nested[6..nested.len() - 2]),
            (Code, " ;")
        ]
    );
}

#[test]
fn var_offset_can_hold_a_quote() {
    assert_eq!(
        regions(r#"<?php "a$b["]" ?>c"#),
        [
            (OpenTag, "<?php "),
            (String, r#""a$b["]""#),
            (Code, " "),
            (CloseTag, "?>"),
            (InlineHtml, "c")
        ]
    );
    assert_eq!(
        regions(r#"<?php "$a[ " ?>"#),
        [
            (OpenTag, "<?php "),
            (String, r#""$a[ ""#),
            (Code, " "),
            (CloseTag, "?>")
        ]
    );
}

#[test]
fn close_tag_inside_an_interpolation_splits_the_string() {
    assert_eq!(
        regions(r#"<?php "{$a ?> h <?php }" ?>z"#),
        [
            (OpenTag, "<?php "),
            (String, "\"{$a "),
            (CloseTag, "?>"),
            (InlineHtml, " h "),
            (OpenTag, "<?php "),
            (String, "}\""),
            (Code, " "),
            (CloseTag, "?>"),
            (InlineHtml, "z")
        ]
    );
}

#[test]
fn braces_in_code_nest() {
    assert_eq!(
        regions("<?php if (1) { ?>x<?php } ?>"),
        [
            (OpenTag, "<?php "),
            (Code, "if (1) { "),
            (CloseTag, "?>"),
            (InlineHtml, "x"),
            (OpenTag, "<?php "),
            (Code, "} "),
            (CloseTag, "?>")
        ]
    );
    assert_eq!(
        regions("<?php } } \"a\";"),
        [
            (OpenTag, "<?php "),
            (Code, "} } "),
            (String, "\"a\""),
            (Code, ";")
        ]
    );
}

#[test]
fn heredoc_and_nowdoc() {
    assert_eq!(
        regions("<?php <<<EOT\na ?> $b\nEOT;\n?>"),
        [
            (OpenTag, "<?php "),
            (String, "<<<EOT\na ?> $b\nEOT"),
            (Code, ";\n"),
            (CloseTag, "?>")
        ]
    );
    assert_eq!(
        regions("<?php <<< \"EOT\"\r\nx\r\nEOT;"),
        [
            (OpenTag, "<?php "),
            (String, "<<< \"EOT\"\r\nx\r\nEOT"),
            (Code, ";")
        ]
    );
    assert_eq!(
        regions("<?php <<<'EOT'\n{$a ?>\nEOT;"),
        [
            (OpenTag, "<?php "),
            (String, "<<<'EOT'\n{$a ?>\nEOT"),
            (Code, ";")
        ]
    );
    assert_eq!(
        regions("<?php <<<EOT\nEOT;"),
        [(OpenTag, "<?php "), (String, "<<<EOT\nEOT"), (Code, ";")]
    );
    assert_eq!(
        regions("<?php <<<<EOT\n?>"),
        [(OpenTag, "<?php "), (Code, "<<<<EOT\n"), (CloseTag, "?>")]
    );
}

#[test]
fn flexible_heredoc_closing_label() {
    let source = "<?php f(<<<EOT\n    a\n    EOTX\n    EOT, 1);";
    assert_eq!(
        regions(source),
        [
            (OpenTag, "<?php "),
            (Code, "f("),
            (String, "<<<EOT\n    a\n    EOTX\n    EOT"),
            (Code, ", 1);")
        ]
    );
    assert_eq!(
        regions("<?php <<<A\n\tA\n"),
        [(OpenTag, "<?php "), (String, "<<<A\n\tA"), (Code, "\n")]
    );
}

#[test]
fn heredoc_label_at_end_of_file_does_not_close() {
    assert_eq!(
        regions("<?php <<<EOT\nabc\nEOT"),
        [(OpenTag, "<?php "), (String, "<<<EOT\nabc\nEOT")]
    );
}

#[test]
fn heredoc_interpolation_with_nested_heredoc() {
    let source = "<?php <<<A\n{$x(<<<B\nA\nB)}\nA;";
    assert_eq!(
        regions(source),
        [
            (OpenTag, "<?php "),
            (String, &source[6..source.len() - 1]),
            (Code, ";")
        ]
    );
}

#[test]
fn heredoc_escaped_newline_still_ends_a_line() {
    assert_eq!(
        regions("<?php <<<A\nx\\\nA;"),
        [(OpenTag, "<?php "), (String, "<<<A\nx\\\nA"), (Code, ";")]
    );
}

#[test]
fn halt_compiler_makes_the_rest_raw_data() {
    assert_eq!(
        regions("<?php __halt_compiler();<?php ?>"),
        [
            (OpenTag, "<?php "),
            (Code, "__halt_compiler();"),
            (InlineHtml, "<?php ?>")
        ]
    );
    assert_eq!(
        regions("<?php __HALT_COMPILER ( ) /* c */ ?>\nraw"),
        [
            (OpenTag, "<?php "),
            (Code, "__HALT_COMPILER ( ) "),
            (Comment, "/* c */"),
            (Code, " "),
            (CloseTag, "?>\n"),
            (InlineHtml, "raw")
        ]
    );
    assert_eq!(
        regions("<?php __halt_compiler();"),
        [(OpenTag, "<?php "), (Code, "__halt_compiler();")]
    );
}

#[test]
fn halt_compiler_as_a_property_or_name_part_halts_nothing() {
    assert_eq!(
        regions("<?php $a->__halt_compiler(); ?>x"),
        [
            (OpenTag, "<?php "),
            (Code, "$a->__halt_compiler(); "),
            (CloseTag, "?>"),
            (InlineHtml, "x")
        ]
    );
    assert_eq!(
        regions("<?php A\\__halt_compiler(); ?>x"),
        [
            (OpenTag, "<?php "),
            (Code, "A\\__halt_compiler(); "),
            (CloseTag, "?>"),
            (InlineHtml, "x")
        ]
    );
    assert_eq!(
        regions("<?php $__halt_compiler; ?>x"),
        [
            (OpenTag, "<?php "),
            (Code, "$__halt_compiler; "),
            (CloseTag, "?>"),
            (InlineHtml, "x")
        ]
    );
}

#[test]
fn comments_after_an_object_operator_keep_reading_a_property() {
    assert_eq!(
        regions("<?php $a->#[x]\n$b"),
        [
            (OpenTag, "<?php "),
            (Code, "$a->"),
            (Comment, "#[x]"),
            (Code, "\n$b")
        ]
    );
    assert_eq!(
        regions("<?php $a?-> /* c */ b'x'"),
        [
            (OpenTag, "<?php "),
            (Code, "$a?-> "),
            (Comment, "/* c */"),
            (Code, " b"),
            (String, "'x'")
        ]
    );
    assert_eq!(
        regions("<?php $a->x #[A]"),
        [(OpenTag, "<?php "), (Code, "$a->x #[A]")]
    );
}

#[test]
fn numbers_end_where_php_ends_them() {
    assert_eq!(
        regions("<?php 1e5b'x'; 0b08b\"y\"; 1_0b'z'"),
        [
            (OpenTag, "<?php "),
            (Code, "1e5"),
            (String, "b'x'"),
            (Code, "; 0b08"),
            (String, "b\"y\""),
            (Code, "; 1_0"),
            (String, "b'z'")
        ]
    );
    assert_eq!(
        regions("<?php x1e5b'x'; 0x1Fb'y'"),
        [
            (OpenTag, "<?php "),
            (Code, "x1e5b"),
            (String, "'x'"),
            (Code, "; 0x1Fb"),
            (String, "'y'")
        ]
    );
}

#[test]
fn halt_compiler_counts_any_three_tokens() {
    assert_eq!(
        regions("<?php __halt_compiler 1e5 b'x' (int) rest"),
        [
            (OpenTag, "<?php "),
            (Code, "__halt_compiler 1e5 "),
            (String, "b'x'"),
            (Code, " (int)"),
            (InlineHtml, " rest")
        ]
    );
    assert_eq!(
        regions("<?php __halt_compiler ?>x<?php ; rest"),
        [
            (OpenTag, "<?php "),
            (Code, "__halt_compiler "),
            (CloseTag, "?>"),
            (InlineHtml, "x"),
            (OpenTag, "<?php "),
            (Code, ";"),
            (InlineHtml, " rest")
        ]
    );
    assert_eq!(
        regions("<?php __halt_compiler()\"{$a}\""),
        [
            (OpenTag, "<?php "),
            (Code, "__halt_compiler()"),
            (String, "\""),
            (InlineHtml, "{$a}\"")
        ]
    );
}

#[test]
fn heredoc_end_token_follows_the_lookahead_that_gave_up() {
    // `{$a[}` leaves a `[` open, so PHP's look-ahead gives up and the closing label's
    // token only covers the indentation it knew about (none): ` E`, then `b'x'`.
    assert_eq!(
        regions("<?php <<<Eb\n{$a[}\n Eb'x';"),
        [
            (OpenTag, "<?php "),
            (String, "<<<Eb\n{$a[}\n E"),
            (String, "b'x'"),
            (Code, ";")
        ]
    );
    // The look-ahead passed the nested label `X`, indented by four, before giving up.
    let source = "<?php <<<A\n{$b(<<<X\n    x\n    X)}{$c[}\nA;\n?>x";
    assert_eq!(
        regions(source),
        [
            (OpenTag, "<?php "),
            (String, &source[6..source.len() - 1]),
            (Code, "x")
        ]
    );
}

#[test]
fn halt_compiler_counts_tokens_inside_strings() {
    // `"`, `a `, `$b`: the rest is raw data, even inside the string.
    assert_eq!(
        regions("<?php __halt_compiler \"a $b c\" rest"),
        [
            (OpenTag, "<?php "),
            (Code, "__halt_compiler "),
            (String, "\"a $b"),
            (InlineHtml, " c\" rest")
        ]
    );
    // In an interpolation, the `}` that returns into the string is the first token.
    assert_eq!(
        regions("<?php \"{$a __halt_compiler } more $c\" rest"),
        [
            (OpenTag, "<?php "),
            (String, "\"{$a __halt_compiler } more $c"),
            (InlineHtml, "\" rest")
        ]
    );
    // `${name}` names a variable, even `__halt_compiler`.
    assert_eq!(
        regions("<?php \"${__halt_compiler}\"; ?>x"),
        [
            (OpenTag, "<?php "),
            (String, "\"${__halt_compiler}\""),
            (Code, "; "),
            (CloseTag, "?>"),
            (InlineHtml, "x")
        ]
    );
}

#[test]
fn a_dot_before_digits_starts_a_number() {
    assert_eq!(
        regions("<?php .0x1b'y'; .5b'x'; $a...5"),
        [
            (OpenTag, "<?php "),
            (Code, ".0x1b"),
            (String, "'y'"),
            (Code, "; .5"),
            (String, "b'x'"),
            (Code, "; $a...5")
        ]
    );
}

#[test]
fn region_lookup() {
    let scan = scan(b"a<?php 'b'");
    assert_eq!(scan.region_at(0).map(|r| r.kind), Some(InlineHtml));
    assert_eq!(scan.region_at(7).map(|r| r.kind), Some(String));
    assert_eq!(scan.region_at(10), None);
    assert_eq!(scan.of_kind(OpenTag).count(), 1);
}
