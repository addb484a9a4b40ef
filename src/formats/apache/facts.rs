//! What an Apache file tells the others: the files it includes (each a reference to check as
//! Apache; a wildcard is expanded as httpd does, in its last component only, sorted, dot files
//! left out), and [`ApacheFacts`], the server configuration a `.htaccess` depends on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ApacheFile, NodeKind};
use crate::formats::Format;
use crate::workspace::{Facts, Reference, Role, Workspace};

/// The server configuration one file makes, for the rules of other files (a `.htaccess`).
#[derive(Debug, Clone, Default)]
pub struct ApacheFacts {
    pub htaccess: bool,
    /// `AllowOverride` inside `<Directory PATH>` (and its regex forms).
    pub overrides: Vec<Arc<DirectoryOverride>>,
    /// `AllowOverrideList` inside `<Directory PATH>`: directive names instead of classes.
    pub override_lists: Vec<Arc<DirectoryOverride>>,
    /// `DocumentRoot` values.
    pub document_roots: Vec<Arc<WebRoot>>,
    /// `SetHandler application/x-httpd-php` (or `cgi-script`) inside a `<FilesMatch>`/`<Files>`
    /// (Debian's `php8.2.conf`): `RemoveHandler` cannot undo it.
    pub php_set_handler: Vec<Arc<HandlerMapping>>,
    /// Virtual hosts with `SSLEngine on` or a redirect to https: their `<Directory>` paths
    /// and document roots.
    pub tls_roots: Vec<Arc<VhostRoot>>,
    /// Directory paths and document roots of virtual hosts without TLS.
    pub plain_roots: Vec<Arc<VhostRoot>>,
}

fn is_nonfatal(class: &str) -> bool {
    class
        .split_once('=')
        .is_some_and(|(k, _)| k.eq_ignore_ascii_case("Nonfatal"))
}

/// A `DocumentRoot`.
#[derive(Debug, Clone)]
pub struct WebRoot {
    pub path: String,
    /// Its line.
    pub span: std::ops::Range<usize>,
}

/// A directory a virtual host serves.
#[derive(Debug, Clone)]
pub struct VhostRoot {
    /// As written (`DocumentRoot` or `<Directory>` argument).
    pub path: String,
    /// The `<VirtualHost …>` line.
    pub vhost_span: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct DirectoryOverride {
    /// The `<Directory>` path as written.
    pub directory: String,
    /// `<Directory ~ re>` or `<DirectoryMatch>`: a regular expression, which is not matched
    /// here (httpd applies those after the plain ones).
    pub regex: bool,
    /// The `AllowOverride` line.
    pub span: std::ops::Range<usize>,
    pub line: usize,
    /// Its classes as written (`None`, `All`, `FileInfo`, `Options=…`).
    pub classes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct HandlerMapping {
    pub handler: String,
    pub span: std::ops::Range<usize>,
    pub line: usize,
}

impl DirectoryOverride {
    /// Whether it allows directives of class `class` in `.htaccess`.
    pub fn allows(&self, class: &str) -> bool {
        self.classes.iter().any(|c| {
            let c = c.split('=').next().unwrap_or(c);
            c.eq_ignore_ascii_case("All") || c.eq_ignore_ascii_case(class)
        })
    }

    pub fn is_none(&self) -> bool {
        self.classes
            .iter()
            .filter(|c| !is_nonfatal(c))
            .all(|c| c.eq_ignore_ascii_case("None"))
    }

    /// `Nonfatal=Override` (or `=All`): a directive its classes forbid is skipped with a
    /// warning in the error log (AH02295), not HTTP 500.
    pub fn nonfatal_override(&self) -> bool {
        self.classes.iter().filter(|c| is_nonfatal(c)).any(|c| {
            let values = c.split_once('=').map_or("", |(_, v)| v);
            values
                .split(',')
                .any(|v| v.eq_ignore_ascii_case("Override") || v.eq_ignore_ascii_case("All"))
        })
    }

    /// With `Options=Indexes,MultiViews` (and no plain `Options` or `All`): the options a
    /// `.htaccess` may set. `None` when the classes do not restrict them.
    pub fn allowed_options(&self) -> Option<Vec<String>> {
        let mut listed = Vec::new();
        for class in &self.classes {
            match class.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("Options") => {
                    listed.extend(v.split(',').filter(|o| !o.is_empty()).map(str::to_string))
                }
                None if class.eq_ignore_ascii_case("All")
                    || class.eq_ignore_ascii_case("Options") =>
                {
                    return None
                }
                _ => {}
            }
        }
        (!listed.is_empty()).then_some(listed)
    }
}

/// A directory (a workspace key) as the configuration names it: its path under `--root`,
/// without the leading `/` (`var/www/html`); `None` when it is not under the root.
pub fn under_root(workspace: &Workspace, dir: &Path) -> Option<String> {
    let under = dir.strip_prefix(workspace.root_key()).ok()?.to_str()?;
    Some(under.trim_matches('/').to_string())
}

/// How many components the absolute path `written` (`<Directory>`, `DocumentRoot`) has when it
/// is `under` (from [`under_root`]) or one of its ancestors, else `None`. Wildcards (`*`, `?`,
/// `[…]`) match within one component, as httpd's fnmatch does. Called for every pair of a
/// `.htaccess` and a `<Directory>`: a path without wildcards is one string comparison.
pub fn covers(under: &str, written: &str) -> Option<usize> {
    let written = written.strip_prefix('/')?.trim_end_matches('/');
    if written.is_empty() {
        return Some(0);
    }
    if !has_wildcard(written) {
        let rest = under.strip_prefix(written)?;
        return (rest.is_empty() || rest.starts_with('/'))
            .then(|| written.split('/').filter(|c| !c.is_empty()).count());
    }
    let mut components = under.split('/');
    let mut depth = 0;
    for part in written.split('/').filter(|c| !c.is_empty()) {
        let here = components.next().filter(|c| !c.is_empty())?;
        let matched = if has_wildcard(part) {
            glob::Pattern::new(part).is_ok_and(|p| p.matches(here))
        } else {
            part == here
        };
        if !matched {
            return None;
        }
        depth += 1;
    }
    Some(depth)
}

/// Paths of the server configuration (absolute, read under `--root`) with a value each, for
/// "which of them cover this directory" in time proportional to its depth, not to their number.
pub struct PathIndex<T> {
    exact: HashMap<String, Vec<(usize, T)>, foldhash::fast::RandomState>,
    /// With wildcards: matched one by one.
    wild: Vec<(String, usize, T)>,
    next: usize,
}

impl<T> Default for PathIndex<T> {
    fn default() -> Self {
        Self {
            exact: HashMap::default(),
            wild: Vec::new(),
            next: 0,
        }
    }
}

impl<T> PathIndex<T> {
    /// Adds `written` (ignored unless absolute); entries keep the order they were added in.
    pub fn insert(&mut self, written: &str, value: T) {
        if !written.starts_with('/') {
            return;
        }
        let order = self.next;
        self.next += 1;
        let key = written.trim_matches('/');
        if has_wildcard(key) {
            self.wild.push((written.to_string(), order, value));
        } else {
            self.exact
                .entry(key.to_string())
                .or_default()
                .push((order, value));
        }
    }

    /// The entries whose path covers `under` (from [`under_root`]): (components, order, value).
    pub fn covering(&self, under: &str) -> Vec<(usize, usize, &T)> {
        let mut found = Vec::new();
        let mut prefixes = vec![""];
        prefixes.extend(
            under
                .match_indices('/')
                .map(|(i, _)| &under[..i])
                .chain((!under.is_empty()).then_some(under)),
        );
        for (depth, prefix) in prefixes.into_iter().enumerate() {
            for (order, value) in self.exact.get(prefix).into_iter().flatten() {
                found.push((depth, *order, value));
            }
        }
        for (written, order, value) in &self.wild {
            if let Some(depth) = covers(under, written) {
                found.push((depth, *order, value));
            }
        }
        found
    }
}

/// The server configuration of the whole run, indexed by path: built once per run
/// ([`Workspace::memo`]) for the rules of every `.htaccess`.
#[derive(Default)]
pub struct ServerIndex {
    /// A server configuration (not a `.htaccess`) is in the run.
    pub server_config: bool,
    /// A `<Directory ~ re>`/`<DirectoryMatch>` sets `AllowOverride`(`List`): not indexed.
    pub regex_overrides: bool,
    pub overrides: PathIndex<(Arc<Path>, Arc<DirectoryOverride>)>,
    pub override_lists: PathIndex<(Arc<Path>, Arc<DirectoryOverride>)>,
    pub tls_roots: PathIndex<(Arc<Path>, Arc<VhostRoot>)>,
    pub plain_roots: PathIndex<(Arc<Path>, Arc<VhostRoot>)>,
    pub document_roots: PathIndex<(Arc<Path>, Arc<WebRoot>)>,
    /// The `SetHandler`s inside `<FilesMatch>`/`<Files>` that map PHP or CGI, in run order.
    pub set_handlers: Vec<(Arc<Path>, Arc<HandlerMapping>)>,
}

impl ServerIndex {
    pub fn of(workspace: &Workspace) -> std::sync::Arc<Self> {
        workspace.memo(|workspace| {
            let mut index = Self::default();
            for entry in workspace
                .files()
                .iter()
                .filter(|e| e.format == Format::Apache)
            {
                let Some(facts) = entry.facts.data::<ApacheFacts>() else {
                    continue;
                };
                if facts.htaccess {
                    continue;
                }
                index.server_config = true;
                // Shared by all its entries: thousands of files, several entries each.
                let path: Arc<Path> = Arc::from(entry.path.as_path());
                let path = &path;
                for (all, into) in [
                    (&facts.overrides, &mut index.overrides),
                    (&facts.override_lists, &mut index.override_lists),
                ] {
                    for o in all {
                        if o.regex {
                            index.regex_overrides = true;
                        } else {
                            into.insert(&o.directory, (path.clone(), o.clone()));
                        }
                    }
                }
                for r in &facts.tls_roots {
                    index.tls_roots.insert(&r.path, (path.clone(), r.clone()));
                }
                for r in &facts.plain_roots {
                    index.plain_roots.insert(&r.path, (path.clone(), r.clone()));
                }
                for r in &facts.document_roots {
                    index
                        .document_roots
                        .insert(&r.path, (path.clone(), r.clone()));
                }
                index.set_handlers.extend(
                    facts
                        .php_set_handler
                        .iter()
                        .map(|m| (path.clone(), m.clone())),
                );
            }
            index
        })
    }
}

pub fn facts(file: &ApacheFile) -> Facts {
    let mut data = ApacheFacts {
        htaccess: file.htaccess,
        ..ApacheFacts::default()
    };
    let mut references = Vec::new();
    let server_root = server_root(file);
    let specs = file.specs();
    for (i, node) in file.directives() {
        // As the catalogue spells it: no lower-cased copy per directive.
        let Some(name) = specs[i].map(|spec| spec.name) else {
            continue;
        };
        let line = file.line_number(i);
        match name {
            "Include" | "IncludeOptional" => {
                let Some(arg) = node.args.first() else {
                    continue;
                };
                for written in expand(file.source.path(), server_root.as_deref(), &arg.value) {
                    references.push(Reference {
                        span: arg.span.clone(),
                        written,
                        role: Role::Check(Format::Apache),
                    });
                }
            }
            // The server configuration's facts: those of a .htaccess are never asked for.
            _ if file.htaccess => {}
            "AllowOverride" | "AllowOverrideList" => {
                let Some(dir) = file.contexts()[i]
                    .per_directory
                    .map(|d| &file.nodes[d])
                    .filter(|d| {
                        d.name.eq_ignore_ascii_case("Directory")
                            || d.name.eq_ignore_ascii_case("DirectoryMatch")
                    })
                else {
                    continue;
                };
                let tilde = dir.args.first().is_some_and(|a| a.value == "~");
                let Some(path) = dir.args.get(usize::from(tilde)) else {
                    continue;
                };
                let entry = Arc::new(DirectoryOverride {
                    directory: path.value.clone(),
                    regex: tilde || dir.name.eq_ignore_ascii_case("DirectoryMatch"),
                    span: file.node_span(i),
                    line,
                    classes: node.args.iter().map(|a| a.value.clone()).collect(),
                });
                if name == "AllowOverride" {
                    data.overrides.push(entry);
                } else {
                    data.override_lists.push(entry);
                }
            }
            "DocumentRoot" => {
                if let Some(arg) = node.args.first() {
                    data.document_roots.push(Arc::new(WebRoot {
                        path: arg.value.clone(),
                        span: file.node_span(i),
                    }));
                }
            }
            "SetHandler" => {
                let in_files = file.contexts()[i].per_directory.is_some_and(|d| {
                    let n = &file.nodes[d].name;
                    n.eq_ignore_ascii_case("FilesMatch") || n.eq_ignore_ascii_case("Files")
                });
                if let Some(arg) = node.args.first() {
                    let handler = arg.value.to_ascii_lowercase();
                    if in_files && (handler.contains("php") || handler == "cgi-script") {
                        data.php_set_handler.push(Arc::new(HandlerMapping {
                            handler: arg.value.clone(),
                            span: file.node_span(i),
                            line,
                        }));
                    }
                }
            }
            _ => {}
        }
    }
    if !file.htaccess {
        virtual_hosts(file, &mut data);
    }
    Facts {
        references,
        data: Some(Box::new(data)),
    }
}

/// For each `<VirtualHost>`: whether it has TLS (`SSLEngine on`, or a redirect to https), and
/// the directories it serves.
fn virtual_hosts(file: &ApacheFile, data: &mut ApacheFacts) {
    for (v, vhost) in file.nodes.iter().enumerate() {
        if vhost.kind != NodeKind::Open || !vhost.name.eq_ignore_ascii_case("VirtualHost") {
            continue;
        }
        let end = vhost.end.unwrap_or(file.nodes.len());
        let vhost_span = file.node_span(v);
        let mut roots = Vec::new();
        for node in &file.nodes[v + 1..end] {
            if node.skipped {
                continue;
            }
            let name = node.name.to_ascii_lowercase();
            if let (NodeKind::Directive, "documentroot") | (NodeKind::Open, "directory") =
                (node.kind, name.as_str())
            {
                roots.push(Arc::new(VhostRoot {
                    path: node
                        .args
                        .first()
                        .map(|a| a.value.clone())
                        .unwrap_or_default(),
                    vhost_span: vhost_span.clone(),
                }));
            }
        }
        if has_tls(file, v + 1..end) {
            data.tls_roots.extend(roots);
        } else {
            data.plain_roots.extend(roots);
        }
    }
}

/// Whether the nodes in `range` (a virtual host's body, a `.htaccess`) turn TLS on or send
/// clients to https: `SSLEngine on`, `Redirect…`/`RewriteRule` to `https://`, `SSLRequireSSL`,
/// `Require ssl`.
pub fn has_tls(file: &ApacheFile, range: std::ops::Range<usize>) -> bool {
    file.nodes[range].iter().any(|node| {
        if node.skipped || node.kind != NodeKind::Directive {
            return false;
        }
        let name = node.name.to_ascii_lowercase();
        let first = node.args.first().map(|a| a.value.as_str()).unwrap_or("");
        match name.as_str() {
            "sslengine" => first.eq_ignore_ascii_case("on"),
            "sslrequiressl" => true,
            "require" => first.eq_ignore_ascii_case("ssl"),
            "redirect" | "redirectmatch" | "redirectpermanent" | "rewriterule" => node
                .args
                .iter()
                .any(|a| a.value.to_ascii_lowercase().starts_with("https://")),
            _ => false,
        }
    })
}

/// The `ServerRoot` relative includes are read from: the file's own `ServerRoot`, else the
/// nearest `apache2/` or `httpd/` directory above the file (Debian's and Red Hat's), else the
/// file's directory. As a path relative to the file's directory, or absolute (under `--root`).
fn server_root(file: &ApacheFile) -> Option<String> {
    file.directives()
        .find(|(_, n)| n.name.eq_ignore_ascii_case("ServerRoot"))
        .and_then(|(_, n)| n.args.first())
        .map(|a| a.value.clone())
        .filter(|v| v.starts_with('/'))
}

/// The files an `Include` names, each as a path the workspace resolves: relative to the
/// including file's directory, or absolute (under `--root`).
fn expand(including: &Path, server_root: Option<&str>, written: &str) -> Vec<String> {
    let dir = including.parent().unwrap_or(Path::new(""));
    // Relative includes are under ServerRoot.
    let (base_written, base_disk): (String, PathBuf) = if written.starts_with('/') {
        (String::new(), locate_root(dir, written))
    } else if let Some(root) = server_root {
        let joined = format!("{}/{}", root.trim_end_matches('/'), written);
        return expand(including, None, &joined);
    } else {
        match relative_server_root(dir) {
            Some(up) => (up.clone(), dir.join(&up)),
            None => (String::new(), dir.to_path_buf()),
        }
    };
    let full_written = format!("{base_written}{written}");
    let (parent, pattern) = match full_written.rfind('/') {
        Some(i) => (&full_written[..i], &full_written[i + 1..]),
        None => ("", full_written.as_str()),
    };
    if !has_wildcard(pattern) {
        return vec![full_written.clone()];
    }
    let disk_parent = if written.starts_with('/') {
        base_disk.join(parent.trim_start_matches('/'))
    } else {
        let rel_parent = &written[..written.rfind('/').unwrap_or(0)];
        base_disk.join(rel_parent)
    };
    let Ok(pattern_matcher) = glob::Pattern::new(pattern) else {
        return Vec::new();
    };
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let Ok(entries) = std::fs::read_dir(&disk_parent) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| pattern_matcher.matches_with(n, options))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            if parent.is_empty() {
                n
            } else {
                format!("{parent}/{n}")
            }
        })
        .collect()
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The nearest `apache2/` or `httpd/` directory at or above `dir` (a relative `dir` is not
/// followed past its first `..`): where relative includes resolve without a `ServerRoot`.
pub fn configuration_tree(dir: &Path) -> Option<&Path> {
    tree_ancestors(dir).find(|a| is_configuration_tree(a))
}

fn tree_ancestors(dir: &Path) -> impl Iterator<Item = &Path> {
    dir.ancestors().take_while(|a| a.file_name().is_some())
}

fn is_configuration_tree(dir: &Path) -> bool {
    matches!(
        dir.file_name().and_then(|n| n.to_str()),
        Some("apache2" | "httpd")
    )
}

/// `../` steps from `dir` up to the nearest `apache2`/`httpd` directory, as a prefix ("" when
/// `dir` is it; `None` when there is none).
fn relative_server_root(dir: &Path) -> Option<String> {
    let steps = tree_ancestors(dir).position(is_configuration_tree)?;
    Some("../".repeat(steps))
}

/// Where on disk an absolute include's wildcard is listed: the deepest ancestor of the
/// including file's directory under which the pattern's directory exists (a tree checked with
/// `--root` keeps `/etc/apache2` under that root), else `/`.
fn locate_root(dir: &Path, written: &str) -> PathBuf {
    let parent = written[..written.rfind('/').unwrap_or(0)].trim_start_matches('/');
    let absolute = std::env::current_dir().unwrap_or_default().join(dir);
    for ancestor in absolute.ancestors() {
        if ancestor.join(parent).is_dir() {
            return ancestor.to_path_buf();
        }
    }
    PathBuf::from("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_counts_the_components_of_an_ancestor() {
        assert_eq!(covers("var/www/html/app", "/var/www/"), Some(2));
        assert_eq!(covers("var/www/html", "/var/www/html"), Some(3));
        assert_eq!(covers("var/www/html", "/"), Some(0));
        assert_eq!(covers("var/www/htmlx", "/var/www/html"), None);
        assert_eq!(covers("var/www", "/var/www/html"), None);
        assert_eq!(covers("srv/a/public/x", "/srv/*/public"), Some(3));
        assert_eq!(covers("srv/a/private", "/srv/*/public"), None);
        assert_eq!(covers("var/www", "relative/path"), None);
    }

    #[test]
    fn the_index_finds_every_covering_path_in_order() {
        let mut index = PathIndex::default();
        index.insert("/", "root");
        index.insert("/var/www/", "www");
        index.insert("/srv/*/public", "wild");
        index.insert("/var/www/html/app", "app");
        index.insert("not/absolute", "ignored");
        let found: Vec<_> = index.covering("var/www/html").into_iter().collect();
        assert_eq!(found, vec![(0, 0, &"root"), (2, 1, &"www")]);
        let found: Vec<_> = index.covering("srv/x/public").into_iter().collect();
        assert_eq!(found, vec![(0, 0, &"root"), (3, 2, &"wild")]);
    }
}
