//! PHP's format handler: its rules, comments, syntax check, dump and facts.

use std::ops::Range;

use super::encoding;
use super::includes::{self, Summary, OUTPUT_FUNCTIONS};
use super::scan::{self, RegionKind};
use super::{has_syntax_error, PhpFile};
use crate::config::RuleConfig;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, php::PhpCheck, Reporter, Rule, Selection};
use crate::source::SourceFile;
use crate::workspace::{Facts, Reference, Role};

pub struct Handler;

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::Php
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::php::RULES
    }

    fn example_name(&self) -> &'static str {
        "example.php"
    }

    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: "//",
            own_line: false,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(PhpFile::new(source))
    }

    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(fails_to_compile)
    }

    /// A NUL byte is normal in a PHP string and in the data after `__halt_compiler();`: only
    /// one before the first opening tag (or in a file without one) makes the file binary. A
    /// UTF-16 or UTF-32 source is PHP007's, not binary.
    fn binary_at(&self, bytes: &[u8]) -> Option<usize> {
        if encoding::wide_encoding(bytes).is_some() {
            return None;
        }
        let before = scan::first_open_tag(bytes).unwrap_or(bytes.len().min(8000));
        memchr::memchr(0, &bytes[..before])
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&PhpFile::new(source))
    }

    fn fact_needles(&self, config: &RuleConfig) -> Vec<String> {
        OUTPUT_FUNCTIONS
            .iter()
            .map(|(name, _)| name.to_string())
            .chain(config.rule_option_strings("PHP001", "output-functions"))
            .collect()
    }

    fn notes(&self, selection: &Selection) -> Vec<String> {
        let php000 = &rules::php::syntax_error::RULE;
        if selection.is_enabled(php000) && rules::php::syntax_error::php_binary().is_none() {
            vec![
                "PHP000 reports nothing: it needs `php` (or $ETCLINT_PHP) to confirm syntax errors"
                    .into(),
            ]
        } else {
            Vec::new()
        }
    }
}

impl Model for PhpFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        let check: &PhpCheck = rule
            .check
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} is not a PHP rule", rule.code));
        let limit = cx.max_tree_size();
        self.limit_tree(limit);
        (check.run)(self, cx);
        if self.tree_refused() {
            cx.not_run(format!(
                "a syntax tree is not built for files over {limit} bytes (max-tree-size)"
            ));
        }
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.scan()
            .regions
            .iter()
            .filter(|r| r.kind == RegionKind::Comment)
            .map(|r| r.span.clone())
            .collect()
    }

    /// The files it includes by a literal path, when it also sends headers or a download: what
    /// PHP001 and PHP002 tell the included file. Only files with the name of such a function
    /// are tokenized for it (`fact_needles`).
    fn facts(&self, config: &RuleConfig) -> Facts {
        let extra = config.rule_option_strings("PHP001", "output-functions");
        let summary = includes::summarize(self.bytes(), self.scan(), &extra);
        if summary.includes.is_empty() || summary.output_calls.is_empty() {
            return Facts::default();
        }
        Facts {
            references: summary
                .includes
                .iter()
                .map(|include| Reference {
                    span: include.span.clone(),
                    written: include.written.clone(),
                    role: Role::Link,
                })
                .collect(),
            data: Some(Box::new(summary)),
        }
    }
}

/// The fix loop's check: `php -n -l` judges where php is installed (it sees the compile
/// errors that tree-sitter's grammar accepts, such as `function f($_GET)`); else tree-sitter.
fn fails_to_compile(bytes: &[u8]) -> bool {
    match rules::php::syntax_error::php_binary() {
        Some(php) => rules::php::syntax_error::php_rejects(php, bytes),
        None => has_syntax_error(bytes),
    }
}

/// What a PHP file tells the files it includes.
pub type PhpFacts = Summary;

/// The open and close tags and the inline output between them, with spans, and the code-file
/// verdict the closing-tag rules use.
fn dump(file: &PhpFile) -> serde_json::Value {
    let source = file.source;
    let position = |offset| serde_json::to_value(source.position(offset)).unwrap_or_default();
    let regions: Vec<serde_json::Value> = file
        .scan()
        .regions
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                RegionKind::InlineHtml
                    | RegionKind::OpenTag
                    | RegionKind::OpenTagWithEcho
                    | RegionKind::CloseTag
            )
        })
        .map(|r| {
            serde_json::json!({
                "kind": r.kind,
                "start": position(r.span.start),
                "end": position(r.span.end),
                "text": source.text()[r.span.clone()].chars().take(80).collect::<String>(),
            })
        })
        .collect();
    let code_file = file.code_file().map(|c| {
        serde_json::json!({
            "before_open": [c.before_open.start, c.before_open.end],
            "open_tag": [c.open_tag.start, c.open_tag.end],
            "close_tag": c.close_tag.map(|t| [t.start, t.end]),
            "after_close": [c.after_close.start, c.after_close.end],
            "gaps": c.gaps.iter().map(|g| [g.output.start, g.output.end]).collect::<Vec<_>>(),
        })
    });
    serde_json::json!({
        "format": "php",
        "path": source.path().display().to_string(),
        "bytes": source.len(),
        "regions": regions,
        "code_file": code_file,
        "syntax_tree_has_error": has_syntax_error(source.bytes()),
    })
}
