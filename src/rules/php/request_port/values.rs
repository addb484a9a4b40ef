//! Where a host or a port comes from: the current request (`$_SERVER['SERVER_PORT']`…), a
//! URL taken apart by `parse_url()`, either directly or through variables of the same scope.

use std::ops::Range;

use tree_sitter::Node;

use super::reaching::Assigned;
use super::scope::Scope;
use crate::formats::php::{call_arguments, called_function, PhpFile};

/// How far variables are followed (`$target = 'ssl://' . $host; $host = $parts['host'];`).
const MAX_DEPTH: usize = 3;

/// How many assignments of one variable are followed.
const MAX_ASSIGNMENTS: usize = 8;

/// The arrays that hold the request's server variables.
const SERVER_ARRAYS: &[&str] = &["$_SERVER", "$HTTP_SERVER_VARS"];

const REQUEST_PORT: &[&str] = &["SERVER_PORT"];
const REQUEST_HOST: &[&str] = &["HTTP_HOST", "SERVER_NAME"];

/// A part of a string built from literals, concatenation and interpolation.
pub enum Piece<'t> {
    Text(String),
    /// `$https ? 'ssl://' : ''`: one of some literals.
    Choice(Vec<String>),
    Expr {
        node: Node<'t>,
        /// What to replace to replace this piece: the node, or `{…}` around it in a string.
        span: Range<usize>,
        /// Inside a double-quoted string, where a replacement must be written `{$name}`.
        in_string: bool,
    },
}

/// The pieces of a string expression; any other expression is one piece.
pub fn pieces<'t>(file: &PhpFile, node: Node<'t>) -> Vec<Piece<'t>> {
    let mut out = Vec::new();
    // The operands still to take apart, the next one last: a stack, not recursion, for
    // `$a . $b . …` 20,000 long.
    let mut operands = vec![node];
    while let Some(node) = operands.pop() {
        let node = unwrap(file, node);
        if node.kind() == "binary_expression" && operator(node) == Some(".") {
            for side in ["right", "left"] {
                operands.extend(node.child_by_field_name(side));
            }
        } else {
            out.extend(operand_pieces(file, node));
        }
    }
    out
}

/// The pieces of an expression other than a concatenation.
fn operand_pieces<'t>(file: &PhpFile, node: Node<'t>) -> Vec<Piece<'t>> {
    match node.kind() {
        "string" => vec![Piece::Text(string_literal(file, node).unwrap_or_default())],
        "encapsed_string" => {
            let mut out = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_content" | "escape_sequence" => {
                        out.push(Piece::Text(file.text(child).to_string()))
                    }
                    _ => {
                        let braced = child.prev_sibling().is_some_and(|s| s.kind() == "{")
                            && child.next_sibling().is_some_and(|s| s.kind() == "}");
                        let span = if braced {
                            child.start_byte() - 1..child.end_byte() + 1
                        } else {
                            child.byte_range()
                        };
                        out.push(Piece::Expr {
                            node: child,
                            span,
                            in_string: true,
                        });
                    }
                }
            }
            out
        }
        "conditional_expression" => match literal_options(file, node) {
            Some(options) => vec![Piece::Choice(options)],
            None => vec![Piece::Expr {
                node,
                span: node.byte_range(),
                in_string: false,
            }],
        },
        _ => vec![Piece::Expr {
            node,
            span: node.byte_range(),
            in_string: false,
        }],
    }
}

/// The strings a literal, or a choice of literals, can be.
fn literal_options(file: &PhpFile, node: Node) -> Option<Vec<String>> {
    let mut options = Vec::new();
    // The choices still to look at, the next one last: a stack, not recursion, for `?:`
    // nested 20,000 deep.
    let mut choices = vec![node];
    while let Some(node) = choices.pop() {
        let node = unwrap(file, node);
        match node.kind() {
            "conditional_expression" => {
                let body = node.child_by_field_name("body")?;
                let alternative = node.child_by_field_name("alternative")?;
                choices.extend([alternative, body]);
            }
            "string" | "encapsed_string" => options.push(key(file, node)?),
            _ => return None,
        }
    }
    Some(options)
}

/// The literal texts that can come before the first expression piece, and that piece.
pub fn first_expression<'t>(pieces: &[Piece<'t>]) -> Option<(Vec<String>, Node<'t>)> {
    let mut prefixes = vec![String::new()];
    for piece in pieces {
        match piece {
            Piece::Text(text) => prefixes.iter_mut().for_each(|p| p.push_str(text)),
            Piece::Choice(options) => {
                prefixes = prefixes
                    .iter()
                    .flat_map(|p| options.iter().map(move |o| format!("{p}{o}")))
                    .take(16)
                    .collect();
            }
            Piece::Expr { node, .. } => return Some((prefixes, *node)),
        }
    }
    None
}

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
    scope: &Scope<'_, 't>,
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
    scope: &Scope<'_, 't>,
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
    assignments.all_url_parts().then(|| HostSource::Url {
        array: Some(array.to_string()),
        origin,
    })
}

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
    scope: &Scope<'_, 't>,
    node: Node<'t>,
    at: Node<'t>,
) -> Option<Port<'t>> {
    let node = unwrap(file, node);
    if is_request_port(file, node) {
        return Some(Port::Direct);
    }
    let name = local_variable(file, node)?;
    let assignments = scope.reaching(name, at);
    let assignment = assignments.latest_request_port()?;
    Some(Port::Variable {
        assignment,
        // (`writes` first: the count walks through the assignments.)
        only_value: scope.writes(name) == 1 && assignments.len() == 1,
    })
}

fn is_request_port(file: &PhpFile, node: Node) -> bool {
    server_variable(file, node).is_some_and(|v| REQUEST_PORT.contains(&v.as_str()))
}

/// `SERVER_PORT` of `$_SERVER['SERVER_PORT']`, `$HTTP_SERVER_VARS["SERVER_PORT"]`,
/// `"$_SERVER[SERVER_PORT]"` or `getenv('SERVER_PORT')`.
fn server_variable(file: &PhpFile, node: Node) -> Option<String> {
    match node.kind() {
        "subscript_expression" => {
            let array = node.named_child(0)?;
            if !SERVER_ARRAYS.contains(&file.text(array)) {
                return None;
            }
            key(file, node.named_child(1)?)
        }
        "function_call_expression" if is_call_to(file, node, "getenv") => {
            let arguments = call_arguments(node);
            key(file, arguments.first()?.named_child(0)?)
        }
        _ => None,
    }
}

/// `$array` of `$array['KEY']`, for a local (non-superglobal) array.
fn subscript_of<'a>(file: &PhpFile<'a>, node: Node, wanted: &str) -> Option<&'a str> {
    if node.kind() != "subscript_expression" {
        return None;
    }
    let array = local_variable(file, node.named_child(0)?)?;
    (key(file, node.named_child(1)?)? == wanted).then_some(array)
}

/// The text of an array key or argument that is a constant string (`'K'`, `"K"`, or the bare
/// `K` of `"$a[K]"`).
pub fn key(file: &PhpFile, node: Node) -> Option<String> {
    match node.kind() {
        "name" => Some(file.text(node).to_string()),
        "string" => string_literal(file, node),
        "encapsed_string" => {
            let mut cursor = node.walk();
            let mut text = String::new();
            for child in node.named_children(&mut cursor) {
                if child.kind() != "string_content" {
                    return None;
                }
                text.push_str(file.text(child));
            }
            Some(text)
        }
        _ => None,
    }
}

/// The content of a single-quoted string.
fn string_literal(file: &PhpFile, node: Node) -> Option<String> {
    let text = file.text(node);
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("\\'", "'").replace("\\\\", "\\"))
}

/// A variable of the function's own (not `$this` or a superglobal).
pub fn local_variable<'a>(file: &PhpFile<'a>, node: Node) -> Option<&'a str> {
    let name = file.text(node);
    let superglobal = name.starts_with("$_") || name.starts_with("$HTTP_") || name == "$GLOBALS";
    (node.kind() == "variable_name" && !superglobal && name != "$this").then_some(name)
}

pub fn is_call_to(file: &PhpFile, node: Node, function: &str) -> bool {
    node.kind() == "function_call_expression"
        && called_function(file, node).is_some_and(|f| f.eq_ignore_ascii_case(function))
}

/// The value behind parentheses, casts, `@` and `intval()`, which keep a port or host what it
/// is.
pub fn unwrap<'t>(file: &PhpFile, mut node: Node<'t>) -> Node<'t> {
    loop {
        let inner = match node.kind() {
            "parenthesized_expression" | "error_suppression_expression" => node.named_child(0),
            "cast_expression" => node.child_by_field_name("value"),
            "function_call_expression" if is_call_to(file, node, "intval") => {
                call_arguments(node).first().and_then(|a| a.named_child(0))
            }
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => return node,
        }
    }
}

pub fn operator<'t>(node: Node<'t>) -> Option<&'t str> {
    node.child_by_field_name("operator").map(|o| o.kind())
}
