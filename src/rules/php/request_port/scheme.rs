//! Which scheme a call runs under, from the `if`s around it that test `$parts['scheme']`.

use tree_sitter::Node;

use super::values::{key, local_variable, operator, unwrap};
use crate::formats::php::PhpFile;

/// Whether the code around `call` runs only for `https` URLs of `array` (`Some(true)`), only
/// for the others (`Some(false)`), or either. The innermost `if` that tells wins.
pub fn branch_is_https(file: &PhpFile, call: Node, scope: Node, array: &str) -> Option<bool> {
    let mut node = call;
    while let Some(parent) = node.parent() {
        if node == scope {
            break;
        }
        let in_body = parent.child_by_field_name("body") == Some(node);
        match parent.kind() {
            "if_statement" | "else_if_clause" if in_body => {
                let condition = parent.child_by_field_name("condition")?;
                if let Some(https) = implies(file, condition, array, true) {
                    return Some(https);
                }
            }
            // In an `elseif` or `else`: the `if`'s condition and those of the earlier
            // `elseif`s were false.
            "if_statement" if matches!(node.kind(), "else_if_clause" | "else_clause") => {
                let mut cursor = parent.walk();
                let earlier = parent
                    .children(&mut cursor)
                    .take_while(|c| *c != node)
                    .filter(|c| c.kind() == "else_if_clause")
                    .filter_map(|c| c.child_by_field_name("condition"));
                let conditions: Vec<Node> = parent
                    .child_by_field_name("condition")
                    .into_iter()
                    .chain(earlier)
                    .collect();
                if let Some(https) = conditions
                    .into_iter()
                    .find_map(|c| implies(file, c, array, false))
                {
                    return Some(https);
                }
            }
            _ => {}
        }
        node = parent;
    }
    None
}

/// What `condition` being `holds` says about `$array['scheme']`: `Some(true)` it is https,
/// `Some(false)` it is not, `None` nothing.
fn implies(file: &PhpFile, condition: Node, array: &str, holds: bool) -> Option<bool> {
    let condition = unwrap(file, condition);
    match condition.kind() {
        "unary_op_expression" if file.text(condition).starts_with('!') => {
            implies(file, condition.named_child(0)?, array, !holds)
        }
        "binary_expression" => {
            let left = condition.child_by_field_name("left")?;
            let right = condition.child_by_field_name("right")?;
            match operator(condition)? {
                // A true conjunction makes each side true; a false disjunction each side false.
                "&&" | "and" if holds => {
                    implies(file, left, array, true).or_else(|| implies(file, right, array, true))
                }
                "||" | "or" if !holds => {
                    implies(file, left, array, false).or_else(|| implies(file, right, array, false))
                }
                op @ ("==" | "===" | "!=" | "!==" | "<>") => {
                    let scheme = compared_scheme(file, left, right, array)
                        .or_else(|| compared_scheme(file, right, left, array))?;
                    let equal = matches!(op, "==" | "===") == holds;
                    match (equal, scheme.as_str()) {
                        (true, "https") => Some(true),
                        (true, "http") | (false, "https") => Some(false),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `'https'` of `$array['scheme'] == 'https'`.
fn compared_scheme(file: &PhpFile, subject: Node, other: Node, array: &str) -> Option<String> {
    let subject = unwrap(file, subject);
    if subject.kind() != "subscript_expression"
        || local_variable(file, subject.named_child(0)?) != Some(array)
        || key(file, subject.named_child(1)?)? != "scheme"
    {
        return None;
    }
    let other = unwrap(file, other);
    if !matches!(other.kind(), "string" | "encapsed_string") {
        return None;
    }
    let value = key(file, other)?;
    matches!(value.as_str(), "http" | "https").then_some(value)
}
