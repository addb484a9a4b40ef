//! APA006: a `.htaccess` directive needs an `AllowOverride` class (the catalogue from
//! `apache2 -L` gives each directive's). With the server configuration in the run, the
//! `<Directory>` that covers the file decides: a class it lacks is HTTP 500 for every request
//! under the directory (an error, labelled on its `AllowOverride`), and `AllowOverride None`
//! means httpd never reads the file (observed with Apache 2.4.71: even an invalid command gives
//! no 500). Without a covering `AllowOverride` it is silent, unless the option
//! `without-server-config` asks for one warning naming the classes the file needs.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Label, Severity};
use crate::formats::apache::catalogue::Override;
use crate::formats::apache::facts::{under_root, DirectoryOverride, PathIndex, ServerIndex};
use crate::formats::apache::{ApacheFile, NodeKind};
use crate::rules::Reporter;

apache_rule! {
    code: "APA006",
    name: "htaccess-override-required",
    prefilter: &[],
    uses_workspace: true,
    run: run,
}

/// The `AllowOverride` (or `AllowOverrideList`) that applies, with the file that has it.
struct Governing {
    path: Arc<Path>,
    setting: Arc<DirectoryOverride>,
    /// `AllowOverrideList` rather than `AllowOverride`.
    list: bool,
}

/// What the server configuration of the run says about a directory.
#[derive(Default)]
struct Verdict {
    classes: Option<Governing>,
    list: Option<Governing>,
    /// A server configuration is in the run.
    server_config: bool,
    /// A `<Directory ~ re>`/`<DirectoryMatch>` sets one of them: it may apply instead.
    regex: bool,
}

/// httpd merges the `<Directory>` sections shortest path first: of those that cover `dir`, the
/// one with the most components (the later one among equals) wins.
fn governing(cx: &Reporter, dir: &Path) -> Verdict {
    let workspace = cx.workspace();
    let index = ServerIndex::of(workspace);
    let mut verdict = Verdict {
        server_config: index.server_config,
        regex: index.regex_overrides,
        ..Verdict::default()
    };
    let Some(under) = under_root(workspace, dir) else {
        return verdict;
    };
    let pick = |settings: &PathIndex<(Arc<Path>, Arc<DirectoryOverride>)>, list: bool| {
        settings
            .covering(&under)
            .into_iter()
            .max_by_key(|(depth, order, _)| (*depth, *order))
            .map(|(_, _, (path, setting))| Governing {
                path: path.clone(),
                setting: setting.clone(),
                list,
            })
    };
    verdict.classes = pick(&index.overrides, false);
    verdict.list = pick(&index.override_lists, true);
    verdict
}

fn label(g: &Governing, message: String) -> Label {
    Label {
        path: Some(g.path.to_path_buf()),
        span: g.setting.span.clone(),
        message,
    }
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    if !file.htaccess {
        return;
    }
    // (node, the classes it needs: empty for "any but None").
    let mut needs: Vec<(usize, &'static [&'static str])> = Vec::new();
    for (i, _, spec) in file.catalogued() {
        match spec.map(|s| s.htaccess) {
            Some(Override::Classes(classes)) => needs.push((i, classes)),
            Some(Override::Any) => needs.push((i, &[])),
            // Never allowed (APA005) or unknown (APA004).
            _ => {}
        }
    }
    let Some(&(first, _)) = needs.first() else {
        return;
    };
    let dir = cx.file().parent().unwrap_or(Path::new("/")).to_path_buf();
    let verdict = governing(cx, &dir);
    let Some(governing) = verdict.classes.as_ref().or(verdict.list.as_ref()) else {
        if cx.option("without-server-config").as_bool() == Some(true) {
            unknown(file, cx, &needs, verdict.server_config);
        }
        return;
    };
    let list_names: Vec<&str> = verdict
        .list
        .as_ref()
        .map(|g| g.setting.classes.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let listed = |name: &str| {
        list_names
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name) && !n.eq_ignore_ascii_case("None"))
    };
    let none = verdict.classes.as_ref().is_none_or(|g| g.setting.is_none());
    if none && !list_names.iter().any(|n| !n.eq_ignore_ascii_case("None")) {
        let d = cx.report(
            file.node_span(first),
            "this .htaccess is ignored: `AllowOverride None` covers its directory, so httpd never reads it",
        );
        d.labels.push(label(
            governing,
            format!("`{}` applies here", governing.setting_line()),
        ));
        d.note("every directive in it is silently without effect (no error either); allow the classes it needs, e.g. `AllowOverride FileInfo AuthConfig`, or move its directives into the `<Directory>` section");
        uncertain(d, verdict.regex);
        return;
    }
    for &(i, classes) in &needs {
        let node = &file.nodes[i];
        if listed(&node.name) {
            continue;
        }
        let allowed = verdict.classes.as_ref().is_some_and(|g| {
            !g.setting.is_none()
                && (classes.is_empty() || classes.iter().any(|c| g.setting.allows(c)))
        });
        if !allowed {
            let shown = if node.kind == NodeKind::Open {
                format!("<{}>", node.name)
            } else {
                node.name.clone()
            };
            let g = governing;
            let need = if classes.is_empty() {
                "`AllowOverride` other than None".to_string()
            } else {
                format!("`AllowOverride {}`", classes.join("` or `"))
            };
            let nonfatal = verdict
                .classes
                .as_ref()
                .is_some_and(|g| g.setting.nonfatal_override());
            let outcome = if nonfatal {
                "httpd skips it (`Nonfatal=Override`): the directive has no effect"
            } else {
                "every request under it gets HTTP 500"
            };
            let d = cx.report(
                node.name_span.clone(),
                format!(
                    "`{shown}` needs {need}, which the server configuration does not give this directory: {outcome}"
                ),
            );
            if !nonfatal {
                d.severity = Severity::Error;
            }
            d.labels
                .push(label(g, format!("`{}` applies here", g.setting_line())));
            let logged = shown.trim_end_matches('>');
            // Inside a section httpd names it: `RemoveHandler not allowed in <Files> context`.
            let context = file.contexts()[i]
                .innermost
                .map_or("here".to_string(), |s| {
                    format!("in <{}> context", file.nodes[s].name)
                });
            d.note(if nonfatal {
                format!("httpd logs: `AH02295: {logged} in .htaccess forbidden by AllowOverride`")
            } else {
                format!("httpd logs: `{logged} not allowed {context}`")
            });
            uncertain(d, verdict.regex);
            continue;
        }
        if node.name.eq_ignore_ascii_case("Options") {
            options(file, cx, i, verdict.classes.as_ref(), verdict.regex);
        }
    }
}

/// `Options X` where `AllowOverride Options=A,B` lists the options a .htaccess may set.
fn options(
    file: &ApacheFile,
    cx: &mut Reporter,
    i: usize,
    governing: Option<&Governing>,
    regex: bool,
) {
    let Some(g) = governing else { return };
    let Some(allowed) = g.setting.allowed_options() else {
        return;
    };
    for arg in &file.nodes[i].args {
        let option = arg.value.trim_start_matches(['+', '-']);
        if option.eq_ignore_ascii_case("None")
            || allowed.iter().any(|a| a.eq_ignore_ascii_case(option))
        {
            continue;
        }
        let d = cx.report(
            arg.span.clone(),
            format!(
                "option `{option}` is not among the options `AllowOverride Options={}` lets a .htaccess set: every request under this directory gets HTTP 500",
                allowed.join(",")
            ),
        );
        d.severity = Severity::Error;
        d.labels
            .push(label(g, format!("`{}` applies here", g.setting_line())));
        d.note(format!("httpd logs: `Option {option} not allowed here`"));
        uncertain(d, regex);
    }
}

/// No `AllowOverride` covers the directory: one warning with the classes the file needs.
fn unknown(
    file: &ApacheFile,
    cx: &mut Reporter,
    needs: &[(usize, &'static [&'static str])],
    server_config: bool,
) {
    // The first directive of each class (or pair of classes) needed.
    let mut firsts: Vec<(usize, &'static [&'static str])> = Vec::new();
    for &(i, classes) in needs {
        if !classes.is_empty() && !firsts.iter().any(|(_, c)| *c == classes) {
            firsts.push((i, classes));
        }
    }
    let Some(&(first, _)) = firsts.first() else {
        return;
    };
    let mut wanted: Vec<String> = firsts.iter().map(|(_, c)| c.join(" or ")).collect();
    wanted.dedup();
    let d = cx.report(
        file.node_span(first),
        format!(
            "this .htaccess needs `AllowOverride` to include {}: where its directory is not allowed that, every request under it gets HTTP 500",
            wanted.join(" and ")
        ),
    );
    for &(i, classes) in firsts.iter().skip(1) {
        d.label(
            file.nodes[i].name_span.clone(),
            format!("needs {}", classes.join(" or ")),
        );
    }
    if server_config {
        d.note("no `<Directory>` of the server configuration in this run sets `AllowOverride` for this directory; httpd's default, `None`, would make it ignore the file");
    } else {
        d.note("no server configuration in this run: check the `AllowOverride` of the `<Directory>` that covers this directory");
    }
}

fn uncertain(d: &mut crate::diagnostic::Diagnostic, regex: bool) {
    if regex {
        d.severity = Severity::Warning;
        d.note("a `<Directory ~ …>`/`<DirectoryMatch>` section of the server configuration sets `AllowOverride` too; regular expressions are not matched here, and httpd applies them last");
    }
}

impl Governing {
    fn setting_line(&self) -> String {
        let directive = if self.list {
            "AllowOverrideList"
        } else {
            "AllowOverride"
        };
        format!("{directive} {}", self.setting.classes.join(" "))
    }
}
