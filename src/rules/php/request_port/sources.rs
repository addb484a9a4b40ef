//! Where a connection's host or port comes from: the current request
//! (`$_SERVER['SERVER_PORT']`, `HTTP_HOST`…) or a URL taken apart by `parse_url()`, either
//! directly or through variables of the same scope.

use tree_sitter::Node;

use crate::formats::php::semantic::scope::Scope;
use crate::formats::php::semantic::values::{
    first_expression, is_call_to, local_variable, pieces, server_variable, subscript_of, unwrap,
    Piece,
};
use crate::formats::php::{call_arguments, PhpFile};

/// How far variables are followed (`$target = 'ssl://' . $host; $host = $parts['host'];`).
const MAX_DEPTH: usize = 3;

/// How many assignments of one variable are followed.
const MAX_ASSIGNMENTS: usize = 8;

/// The server variables that hold the request's port, and its host.
const REQUEST_PORT: &[&str] = &["SERVER_PORT"];
const REQUEST_HOST: &[&str] = &["HTTP_HOST", "SERVER_NAME"];

/// Whether the connection prefixes select TLS (`ssl://`, `tls://`, `tlsv1.2://`…): all of
/// them, none, or it depends (`None`).
fn tls_of(prefixes: &[String]) -> Option<bool> {
    let is_tls = |prefix: &String| {
        prefix
            .trim()
            .to_ascii_lowercase()
            .strip_suffix("://")
            .is_some_and(|s| s.starts_with("ssl") || s.starts_with("tls"))
    };
    let first = is_tls(prefixes.first()?);
    prefixes.iter().all(|p| is_tls(p) == first).then_some(first)
}

/// Where a connection's host comes from.
pub enum HostSource<'t> {
    /// A URL given by the configuration, taken apart by `parse_url()`.
    Url {
        /// `$parts` of `$parts['host']`, when every assignment of it that reaches the call
        /// is `parse_url(…)`: the array a fix can read `port` and `scheme` from.
        array: Option<String>,
        /// The `parse_url` assignment or call.
        origin: Node<'t>,
    },
    /// The current request (`$_SERVER['HTTP_HOST']`, `SERVER_NAME`).
    Request { origin: Node<'t> },
}

pub struct Host<'t> {
    pub source: HostSource<'t>,
    /// Whether the connection uses TLS (`ssl://`…); `None` when that depends on the path.
    pub tls: Option<bool>,
}

/// The host of a connection whose host part is made of `pieces`, as seen at `at`.
pub fn host<'t>(
    file: &PhpFile,
    scope: &PortScope<'_, 't>,
    pieces: &[Piece<'t>],
    at: Node<'t>,
    depth: usize,
) -> Option<Host<'t>> {
    let (prefixes, node) = first_expression(pieces)?;
    let own_tls = tls_of(&prefixes);
    let node = unwrap(file, node);
    if let Some(source) = url_host(file, scope, node, at) {
        return Some(Host {
            source,
            tls: own_tls,
        });
    }
    if server_variable(file, node).is_some_and(|v| REQUEST_HOST.contains(&v.as_str())) {
        return Some(Host {
            source: HostSource::Request { origin: node },
            tls: own_tls,
        });
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    // The values it can have: both sides of a `?:`, or what reaches a variable.
    let mut hosts = Vec::new();
    if node.kind() == "conditional_expression" {
        for side in ["body", "alternative"] {
            let value = node.child_by_field_name(side)?;
            hosts.push(host(
                file,
                scope,
                &self::pieces(file, value),
                at,
                depth + 1,
            )?);
        }
    } else {
        // Following many assignments, each through more variables, grows fast.
        let assignments = scope
            .reaching(local_variable(file, node)?, at)
            .at_most(MAX_ASSIGNMENTS)?;
        for assignment in assignments {
            let value = assignment.child_by_field_name("right")?;
            hosts.push(host(
                file,
                scope,
                &self::pieces(file, value),
                assignment,
                depth + 1,
            )?);
        }
    }
    combine(hosts, own_tls)
}

/// One host for a value that can be any of `hosts`: all from URLs or all from the request,
/// else none.
fn combine(hosts: Vec<Host>, own_tls: Option<bool>) -> Option<Host> {
    let first = hosts.first()?.tls;
    let inner = hosts
        .iter()
        .all(|h| h.tls == first)
        .then_some(first)
        .flatten();
    let tls = match (own_tls, inner) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    };
    let mut hosts = hosts.into_iter();
    let mut source = hosts.next()?.source;
    for next in hosts {
        source = match (source, next.source) {
            (HostSource::Url { array, origin }, HostSource::Url { array: other, .. }) => {
                HostSource::Url {
                    array: array.filter(|a| Some(a) == other.as_ref()),
                    origin,
                }
            }
            (request @ HostSource::Request { .. }, HostSource::Request { .. }) => request,
            _ => return None,
        };
    }
    Some(Host { source, tls })
}

/// `$parts['host']` of `$parts = parse_url(…)`, or `parse_url($url, PHP_URL_HOST)`.
fn url_host<'t>(
    file: &PhpFile,
    scope: &PortScope<'_, 't>,
    node: Node<'t>,
    at: Node<'t>,
) -> Option<HostSource<'t>> {
    if node.kind() == "function_call_expression" {
        let arguments = call_arguments(node);
        let component = arguments.get(1).and_then(|a| a.named_child(0));
        return (is_call_to(file, node, "parse_url")
            && component.is_some_and(|c| file.text(c).trim_start_matches('\\') == "PHP_URL_HOST"))
        .then_some(HostSource::Url {
            array: None,
            origin: node,
        });
    }
    let array = subscript_of(file, node, "host")?;
    let assignments = scope.reaching(array, at);
    let origin = assignments.latest()?;
    assignments
        .all_of(Assigned::UrlParts)
        .then(|| HostSource::Url {
            array: Some(array.to_string()),
            origin,
        })
}

/// What a plain assignment gives, as far as hosts and ports go: the kind of value [`Scope`]
/// keeps for each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    /// The current request's port (`$_SERVER['SERVER_PORT']`…).
    RequestPort,
    /// The parts of a URL: `parse_url($url)`, with no component.
    UrlParts,
    Other,
}

/// A scope whose assignments are classified by [`assigned`].
pub type PortScope<'i, 't> = Scope<'i, 't, Assigned>;

/// What the plain assignment `assignment` gives, as far as hosts and ports go.
pub fn assigned(file: &PhpFile, assignment: Node) -> Assigned {
    let Some(value) = assignment
        .child_by_field_name("right")
        .map(|value| unwrap(file, value))
    else {
        return Assigned::Other;
    };
    if is_request_port(file, value) {
        Assigned::RequestPort
    } else if is_call_to(file, value, "parse_url") && call_arguments(value).len() == 1 {
        Assigned::UrlParts
    } else {
        Assigned::Other
    }
}

/// Where a connection's port comes from, when it is the current request's.
pub enum Port<'t> {
    /// `$_SERVER['SERVER_PORT']` right in the call.
    Direct,
    /// A variable, assigned the request's port at `assignment`.
    Variable {
        assignment: Node<'t>,
        /// The variable holds nothing but that value at the call: the one assignment that
        /// reaches it, and no other write anywhere in the scope.
        only_value: bool,
    },
}

/// Whether `node` is the request's port, directly or through a variable, as seen at `at`.
pub fn request_port<'t>(
    file: &PhpFile,
    scope: &PortScope<'_, 't>,
    node: Node<'t>,
    at: Node<'t>,
) -> Option<Port<'t>> {
    let node = unwrap(file, node);
    if is_request_port(file, node) {
        return Some(Port::Direct);
    }
    let name = local_variable(file, node)?;
    let assignments = scope.reaching(name, at);
    let assignment = assignments.latest_of(Assigned::RequestPort)?;
    Some(Port::Variable {
        assignment,
        // (`writes` first: the count walks through the assignments.)
        only_value: scope.writes(name) == 1 && assignments.len() == 1,
    })
}

fn is_request_port(file: &PhpFile, node: Node) -> bool {
    server_variable(file, node).is_some_and(|v| REQUEST_PORT.contains(&v.as_str()))
}
