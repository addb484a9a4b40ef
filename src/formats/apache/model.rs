//! Views of a parsed Apache file that rules share, each computed when a rule first asks: the
//! PHP settings mod_php receives.

use std::cell::OnceCell;

use super::catalogue::{self, DirectiveSpec};
use super::{ApacheFile, NodeKind};
use crate::formats::php_ini::settings::{PhpSettings, Setting, SettingSource};

#[derive(Default)]
pub struct Views {
    php: OnceCell<PhpSettings>,
    contexts: OnceCell<Vec<Where>>,
    specs: OnceCell<Vec<Option<&'static DirectiveSpec>>>,
}

/// Where a node stands, from the sections around it (read-time containers such as
/// `<IfModule>` are transparent).
#[derive(Debug, Clone, Copy, Default)]
pub struct Where {
    /// The innermost section around it.
    pub innermost: Option<usize>,
    /// The innermost per-directory section (`<Directory>`, `<Files>`, `<Location>`, `<If>`,
    /// `<Proxy>` and their `Match` forms).
    pub per_directory: Option<usize>,
    pub virtual_host: Option<usize>,
    pub location: Option<usize>,
}

/// The sections whose body is per-directory configuration.
pub fn is_per_directory(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "Directory",
        "DirectoryMatch",
        "Files",
        "FilesMatch",
        "Location",
        "LocationMatch",
        "If",
        "ElseIf",
        "Else",
        "Proxy",
        "ProxyMatch",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

impl ApacheFile<'_> {
    /// Each node's entry in the catalogue (closing tags have none), looked up once per file.
    pub fn specs(&self) -> &[Option<&'static DirectiveSpec>] {
        self.views.specs.get_or_init(|| {
            (self.nodes.iter())
                .map(|n| match n.kind {
                    NodeKind::Close => None,
                    kind => catalogue::lookup_named(&n.name, kind == NodeKind::Open),
                })
                .collect()
        })
    }

    /// For each node, where it stands: one pass, each node from its parent's.
    pub fn contexts(&self) -> &[Where] {
        self.views.contexts.get_or_init(|| {
            let mut out: Vec<Where> = Vec::with_capacity(self.nodes.len());
            for node in &self.nodes {
                let here = match node.parent {
                    None => Where::default(),
                    Some(p) => {
                        let mut w = out[p];
                        let parent = &self.nodes[p];
                        if !super::read_time_container(&parent.name) {
                            w.innermost = Some(p);
                            if is_per_directory(&parent.name) {
                                w.per_directory = Some(p);
                            }
                            if parent.name.eq_ignore_ascii_case("VirtualHost") {
                                w.virtual_host = Some(p);
                            }
                            if parent.name.eq_ignore_ascii_case("Location")
                                || parent.name.eq_ignore_ascii_case("LocationMatch")
                            {
                                w.location = Some(p);
                            }
                        }
                        w
                    }
                };
                out.push(here);
            }
            out
        })
    }

    /// Every `php_value`, `php_flag`, `php_admin_value` and `php_admin_flag`, with the value
    /// mod_php stores: a flag is `"1"` for `On` (any case) or `1`, else `"0"`; `none` is `""`.
    pub fn php_settings(&self) -> &PhpSettings {
        self.views.php.get_or_init(|| {
            let mut settings = Vec::new();
            for (i, node) in self.directives() {
                let source = match node.name.to_ascii_lowercase().as_str() {
                    "php_value" => SettingSource::ApacheValue,
                    "php_flag" => SettingSource::ApacheFlag,
                    "php_admin_value" => SettingSource::ApacheAdminValue,
                    "php_admin_flag" => SettingSource::ApacheAdminFlag,
                    _ => continue,
                };
                let (Some(key), Some(value)) = (node.args.first(), node.args.get(1)) else {
                    continue;
                };
                let stored = match source {
                    SettingSource::ApacheFlag | SettingSource::ApacheAdminFlag => {
                        let on = value.value.eq_ignore_ascii_case("on") || value.value == "1";
                        if on { "1" } else { "0" }.to_string()
                    }
                    _ if value.value.eq_ignore_ascii_case("none") => String::new(),
                    _ => value.value.clone(),
                };
                settings.push(Setting {
                    key: key.value.clone(),
                    key_span: key.span.clone(),
                    value: stored,
                    value_span: value.span.clone(),
                    statement_span: self.line_span(i),
                    quoted: value.quoted,
                    source,
                });
            }
            debug_assert!(self
                .nodes
                .iter()
                .all(|n| n.kind != NodeKind::Close || n.end.is_none()));
            PhpSettings { settings }
        })
    }
}
