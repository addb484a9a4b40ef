//! Which scheme a call runs under, from the `if`s around it that test `$parts['scheme']`.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::formats::php::semantic::index::{IdMap, TreeIndex};
use crate::formats::php::semantic::values::{key, local_variable, operator, unwrap};
use crate::formats::php::PhpFile;

/// What [`branch_is_https`] found, for each array.
#[derive(Default)]
pub struct Branches<'t> {
    arrays: HashMap<String, Found<'t>>,
}

#[derive(Default)]
struct Found<'t> {
    /// The answer from each node it went through.
    from: IdMap<usize, Option<bool>>,
    /// For each `if` with `elseif`s or an `else`, the first of its conditions that tells when
    /// false: the `elseif` it is in, `None` for the `if`'s own, and what it tells.
    false_conditions: IdMap<usize, Option<(Option<Node<'t>>, bool)>>,
}

/// Whether the code around `call` runs only for `https` URLs of `array` (`Some(true)`), only
/// for the others (`Some(false)`), or either. The innermost `if` that tells wins.
///
/// The answer is the same from every node on the way up to `scope` (the scope of `call`):
/// `branches` keeps it for each, so that many calls 20,000 `if`s deep do not each walk up all
/// of them.
pub fn branch_is_https<'t>(
    file: &PhpFile,
    index: &TreeIndex<'t>,
    branches: &mut Branches<'t>,
    call: Node<'t>,
    scope: Node<'t>,
    array: &str,
) -> Option<bool> {
    let found = branches.arrays.entry(array.to_string()).or_default();
    let mut path = Vec::new();
    let mut node = call;
    let https = loop {
        if let Some(https) = found.from.get(&node.id()) {
            break *https;
        }
        path.push(node.id());
        let Some(parent) = index.parent(node) else {
            break None;
        };
        if node == scope {
            break None;
        }
        match tells(
            file,
            index,
            &mut found.false_conditions,
            parent,
            node,
            array,
        ) {
            Tells::Yes(https) => break https,
            Tells::No => node = parent,
        }
    };
    for id in path {
        found.from.insert(id, https);
    }
    https
}

enum Tells {
    /// The answer, for `node` and everything under it.
    Yes(Option<bool>),
    /// Nothing: ask `parent`'s parent.
    No,
}

/// What `parent` tells about the scheme of the code in its child `node`.
fn tells<'t>(
    file: &PhpFile,
    index: &TreeIndex<'t>,
    false_conditions: &mut IdMap<usize, Option<(Option<Node<'t>>, bool)>>,
    parent: Node<'t>,
    node: Node<'t>,
    array: &str,
) -> Tells {
    // Only an `if` or an `elseif` has a body that matters here; other nodes (a block of many
    // statements) are not asked for theirs.
    let in_body = matches!(parent.kind(), "if_statement" | "else_if_clause")
        && index.field(parent, "body") == Some(node);
    match parent.kind() {
        "if_statement" | "else_if_clause" if in_body => {
            let Some(condition) = index.field(parent, "condition") else {
                return Tells::Yes(None);
            };
            if let Some(https) = implies(file, condition, array, true) {
                return Tells::Yes(Some(https));
            }
        }
        // In an `elseif` or `else`: the `if`'s condition and those of the earlier `elseif`s
        // were false. The first of all the conditions that tells, found once for all the
        // branches of a chain of 20,000 `elseif`s, is the one if it comes before `node`.
        "if_statement" if matches!(node.kind(), "else_if_clause" | "else_clause") => {
            let first = *false_conditions
                .entry(parent.id())
                .or_insert_with(|| first_false_condition(file, parent, array));
            let https = match first {
                Some((None, https)) => Some(https),
                Some((Some(clause), https)) if index.precedes(clause, node) => Some(https),
                _ => None,
            };
            if let Some(https) = https {
                return Tells::Yes(Some(https));
            }
        }
        _ => {}
    }
    Tells::No
}

/// The first condition of the `if` statement `chain`, its own or an `elseif`'s, that tells
/// something when false: the `elseif` (`None` for the `if`'s own) and what it tells.
fn first_false_condition<'t>(
    file: &PhpFile,
    chain: Node<'t>,
    array: &str,
) -> Option<(Option<Node<'t>>, bool)> {
    if let Some(https) = chain
        .child_by_field_name("condition")
        .and_then(|c| implies(file, c, array, false))
    {
        return Some((None, https));
    }
    let mut cursor = chain.walk();
    let clauses = chain
        .children(&mut cursor)
        .filter(|c| c.kind() == "else_if_clause");
    for clause in clauses {
        if let Some(https) = clause
            .child_by_field_name("condition")
            .and_then(|c| implies(file, c, array, false))
        {
            return Some((Some(clause), https));
        }
    }
    None
}

/// What `condition` being `holds` says about `$array['scheme']`: `Some(true)` it is https,
/// `Some(false)` it is not, `None` nothing. The first part of the condition, from the left,
/// that tells wins.
fn implies(file: &PhpFile, condition: Node, array: &str, holds: bool) -> Option<bool> {
    // The parts still to look at, the next one last: a stack, not recursion, for
    // `!!!!…` or `$a && $b && …` 20,000 deep.
    let mut parts = vec![(condition, holds)];
    while let Some((condition, holds)) = parts.pop() {
        if let Some(https) = part_implies(file, condition, array, holds, &mut parts) {
            return Some(https);
        }
    }
    None
}

/// What the part `condition` of a condition tells by itself; the parts it leaves to its
/// operands go on `parts`.
fn part_implies<'t>(
    file: &PhpFile,
    condition: Node<'t>,
    array: &str,
    holds: bool,
    parts: &mut Vec<(Node<'t>, bool)>,
) -> Option<bool> {
    let condition = unwrap(file, condition);
    match condition.kind() {
        "unary_op_expression" if file.text(condition).starts_with('!') => {
            parts.push((condition.named_child(0)?, !holds));
            None
        }
        "binary_expression" => {
            let left = condition.child_by_field_name("left")?;
            let right = condition.child_by_field_name("right")?;
            match operator(condition)? {
                // A true conjunction makes each side true; a false disjunction each side false.
                "&&" | "and" if holds => {
                    parts.extend([(right, true), (left, true)]);
                    None
                }
                "||" | "or" if !holds => {
                    parts.extend([(right, false), (left, false)]);
                    None
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
