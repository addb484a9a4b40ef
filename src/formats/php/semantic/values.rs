//! Expressions read as values: a string built by concatenation and interpolation taken apart
//! into its pieces, constant keys and strings, local variables, server variables, and the
//! value behind parentheses and casts.

use std::ops::Range;

use tree_sitter::Node;

use crate::formats::php::{call_arguments, called_function, PhpFile};

/// The arrays that hold the request's server variables.
const SERVER_ARRAYS: &[&str] = &["$_SERVER", "$HTTP_SERVER_VARS"];

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

/// The server variable an expression reads: `SERVER_PORT` of `$_SERVER['SERVER_PORT']`,
/// `$HTTP_SERVER_VARS["SERVER_PORT"]`, `"$_SERVER[SERVER_PORT]"` or `getenv('SERVER_PORT')`.
pub fn server_variable(file: &PhpFile, node: Node) -> Option<String> {
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

/// `$array` of `$array['wanted']`, for a local (non-superglobal) array.
pub fn subscript_of<'a>(file: &PhpFile<'a>, node: Node, wanted: &str) -> Option<&'a str> {
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
pub fn string_literal(file: &PhpFile, node: Node) -> Option<String> {
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

/// The expression behind parentheses, `@`, casts and `intval()`: for following a value back
/// to where it comes from (a port or a host stays one through them); casts and `intval()` may
/// change the value itself.
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
