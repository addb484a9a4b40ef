//! Apache's format handler: its rules, comments, the "would httpd refuse to read it" check,
//! facts for other files and dump.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{ApacheFile, LineKind, NodeKind};
use crate::config::RuleConfig;
use crate::formats::php_ini::settings::PhpSettingsCheck;
use crate::formats::{self, CommentSyntax, Format, Model};
use crate::rules::{self, apache::ApacheCheck, Reporter, Rule};
use crate::source::SourceFile;
use crate::workspace::Facts;

pub struct Handler;

impl formats::Handler for Handler {
    fn format(&self) -> Format {
        Format::Apache
    }

    fn rules(&self) -> &'static [&'static Rule] {
        rules::apache::RULES
    }

    fn example_name(&self) -> &'static str {
        "apache2.conf"
    }

    /// A `#` after a word is a word: comments stand on their own line.
    fn comment_syntax(&self) -> CommentSyntax {
        CommentSyntax {
            line: "#",
            own_line: true,
        }
    }

    fn open<'a>(&self, source: &'a SourceFile) -> Box<dyn Model + 'a> {
        Box::new(ApacheFile::new(source))
    }

    /// A section left open or closed wrongly makes httpd refuse the whole file.
    fn syntax_check(&self) -> Option<fn(&[u8]) -> bool> {
        Some(has_structure_error)
    }

    fn dump(&self, source: &SourceFile) -> serde_json::Value {
        dump(&ApacheFile::new(source))
    }

    /// A `.htaccess`'s rules read the server configuration; the server configuration's facts
    /// leave out those of every `.htaccess`.
    fn lints_after_the_others(&self, path: &Path) -> bool {
        super::is_htaccess(path)
    }

    fn brings_in(&self) -> &'static [Format] {
        &[Format::Apache]
    }

    /// A server configuration file's relative `Include`s resolve under its `apache2/` or
    /// `httpd/` directory (or the `ServerRoot` its bytes name), so all its names in that tree
    /// (`sites-enabled/x.conf`, a link to `sites-available/x.conf`) mean one thing. A
    /// `.htaccess` means something else in each directory it is in.
    fn shared_context(&self, path: &Path) -> Option<PathBuf> {
        if super::is_htaccess(path) {
            return None;
        }
        let dir = path.parent()?;
        Some(
            super::facts::configuration_tree(dir)
                .unwrap_or(dir)
                .to_path_buf(),
        )
    }
}

/// Whether httpd's reading of `bytes` (as a server configuration file) fails.
pub fn has_structure_error(bytes: &[u8]) -> bool {
    let source = SourceFile::new("", bytes.to_vec());
    ApacheFile::with_context(&source, false).has_structure_error()
}

impl Model for ApacheFile<'_> {
    fn run(&self, rule: &'static Rule, cx: &mut Reporter) {
        if let Some(check) = rule.check.downcast_ref::<ApacheCheck>() {
            (check.run)(self, cx);
        } else if let Some(check) = rule.check.downcast_ref::<PhpSettingsCheck>() {
            (check.run)(self.php_settings(), cx);
        } else {
            panic!("{} is not a rule for Apache files", rule.code);
        }
    }

    fn comments(&self) -> Vec<Range<usize>> {
        self.lines
            .iter()
            .filter(|line| line.kind == LineKind::Comment)
            .map(|line| line.span.clone())
            .collect()
    }

    fn facts(&self, _: &RuleConfig) -> Facts {
        super::facts::facts(self)
    }
}

/// The directive/section tree as httpd reads it: each node with its name, arguments (as httpd
/// reads them), line and byte span; sections with their children.
fn dump(file: &ApacheFile) -> serde_json::Value {
    let source = file.source;
    let position = |offset| serde_json::to_value(source.position(offset)).unwrap_or_default();
    // Built with an explicit stack; below MAX_NESTED sections the nodes are listed flat in the
    // deepest nested one, each with its depth (JSON values are dropped and printed
    // recursively).
    const MAX_NESTED: usize = 100;
    let mut closes = vec![false; file.nodes.len()];
    for node in &file.nodes {
        if let Some(end) = node.end {
            closes[end] = true;
        }
    }
    let mut stack: Vec<(usize, Vec<serde_json::Value>)> = vec![(usize::MAX, Vec::new())];
    for (i, node) in file.nodes.iter().enumerate() {
        let line = &file.lines[node.line];
        let mut value = serde_json::json!({
            "name": node.name,
            "args": node.args.iter().map(|a| a.value.clone()).collect::<Vec<_>>(),
            "line": line.last,
            "start": position(line.span.start),
            "end": position(line.span.end),
            "depth": node.depth,
        });
        if node.skipped {
            value["skipped"] = true.into();
        }
        match node.kind {
            NodeKind::Directive => stack.last_mut().expect("root").1.push(value),
            NodeKind::Open => {
                value["section"] = true.into();
                value["body"] = format!("{:?}", node.body).to_ascii_lowercase().into();
                stack.last_mut().expect("root").1.push(value);
                if stack.len() <= MAX_NESTED {
                    stack.push((i, Vec::new()));
                }
            }
            NodeKind::Close => {
                if stack.len() > 1 && file.nodes[stack.last().expect("open").0].end == Some(i) {
                    let (_, children) = stack.pop().expect("open");
                    let parent = &mut stack.last_mut().expect("root").1;
                    if let Some(open) = parent.last_mut() {
                        open["children"] = children.into();
                        open["end_line"] = line.last.into();
                    }
                } else if !closes[i] {
                    value["stray_close"] = true.into();
                    stack.last_mut().expect("root").1.push(value);
                }
            }
        }
    }
    while stack.len() > 1 {
        let (_, children) = stack.pop().expect("open");
        if let Some(open) = stack.last_mut().expect("root").1.last_mut() {
            open["children"] = children.into();
            open["unclosed"] = true.into();
        }
    }
    let (_, root) = stack.pop().expect("root");
    serde_json::json!({
        "format": "apache",
        "context": if file.htaccess { "htaccess" } else { "server" },
        "directives": root,
    })
}
