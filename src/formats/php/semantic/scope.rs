//! What one function (or the top-level code) does with its variables: enough to follow a
//! variable back to the assignments that can reach a point, to tell whether anything else
//! writes it, and, for fixes, to pick a new variable name that nothing else in the function
//! uses and a statement before which a line can go.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::index::{IdMap, TreeIndex};
use super::reaching::{Assignments, Reaching};
use super::values::operator;
use crate::formats::php::{called_function, PhpFile};

/// Nodes that open a new variable scope.
pub const FUNCTION_KINDS: &[&str] = &[
    "function_definition",
    "method_declaration",
    "anonymous_function",
    "arrow_function",
];

/// Statements that hold a list of statements, before any of which a line can be inserted.
const BLOCKS: &[&str] = &[
    "compound_statement",
    "program",
    "colon_block",
    "case_statement",
    "default_statement",
];

const LOOPS: &[&str] = &[
    "while_statement",
    "do_statement",
    "for_statement",
    "foreach_statement",
];

/// Functions and constructs that read or define variables by a name known only at run time:
/// with them in a function, a new variable could be seen (or overwritten) by code we cannot
/// follow.
const DYNAMIC_SCOPE_FUNCTIONS: &[&str] = &[
    "compact",
    "extract",
    "get_defined_vars",
    "parse_str",
    "eval",
];

/// Built-in functions known to take the arguments at these positions by value, so that a
/// variable there is read, not written; an argument of any other call may be passed by
/// reference. So far the socket functions' host, port and address, which PHP003 follows.
const BY_VALUE_ARGUMENTS: &[(&str, &[usize])] = &[
    ("fsockopen", &[0, 1]),
    ("pfsockopen", &[0, 1]),
    ("stream_socket_client", &[0]),
];

/// One scope, its plain assignments each with a kind of value `K` chosen by the rule (see
/// [`Scope::of`]).
pub struct Scope<'i, 't, K> {
    pub node: Node<'t>,
    index: &'i TreeIndex<'t>,
    /// Code outside any function: its variables are the globals that every included file
    /// shares, so a variable name free here may still be taken elsewhere.
    pub top_level: bool,
    /// The scope reads or defines variables by run-time names (`$$x`, `compact()`,
    /// `extract()`, `include`…).
    pub dynamic: bool,
    /// Plain `$name = …` assignments to each variable.
    assignments: HashMap<String, Assignments<'t, K>>,
    /// How often each variable is written in any way (assignments, `++`, references,
    /// parameters, `global`, `foreach`, arguments that may be by reference…).
    writes: HashMap<String, usize>,
    /// Every variable name that appears, including in nested closures.
    names: HashSet<String>,
    /// What [`Self::statement_before_which_to_insert`] found from each node it went through.
    statements: RefCell<IdMap<usize, Option<Node<'t>>>>,
    /// What [`Self::free_name`] found for each base.
    free_names: RefCell<HashMap<String, String>>,
}

impl<'i, 't, K: Copy + PartialEq> Scope<'i, 't, K> {
    /// The scope of `node`, a function or the root of the tree of `index`. `classify` gives
    /// the kind of the value of each plain assignment (`$name = …`, the node given), which
    /// [`Reaching::latest_of`] and [`Reaching::all_of`] then search by; use few kinds.
    pub fn of(
        file: &PhpFile,
        index: &'i TreeIndex<'t>,
        node: Node<'t>,
        classify: impl Fn(&PhpFile, Node<'t>) -> K,
    ) -> Self {
        let mut scope = Self {
            node,
            index,
            top_level: !FUNCTION_KINDS.contains(&node.kind()),
            dynamic: false,
            assignments: HashMap::new(),
            writes: HashMap::new(),
            names: HashSet::new(),
            statements: RefCell::default(),
            free_names: RefCell::new(HashMap::new()),
        };
        let mut known = Known::default();
        let mut cursor = node.walk();
        'walk: loop {
            let current = cursor.node();
            let nested_function = current != node
                && FUNCTION_KINDS.contains(&current.kind())
                && current.kind() != "arrow_function";
            if nested_function {
                // A closure's own variables are not ours; only its `use` list is.
                scope.note_use_clause(file, current);
            } else {
                scope.note(file, current, &mut known, &classify);
                if cursor.goto_first_child() {
                    continue;
                }
            }
            loop {
                if cursor.node() == node {
                    break 'walk;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        for assignments in scope.assignments.values_mut() {
            assignments.finish();
        }
        scope
    }

    fn note(
        &mut self,
        file: &PhpFile,
        node: Node<'t>,
        known: &mut Known<'t>,
        classify: &impl Fn(&PhpFile, Node<'t>) -> K,
    ) {
        match node.kind() {
            "variable_name" => {
                let name = file.text(node).to_string();
                if is_write(file, self.index, node, known) {
                    *self.writes.entry(name.clone()).or_default() += 1;
                    if let Some(parent) = self
                        .index
                        .parent(node)
                        .filter(|p| is_plain_assignment_to(*p, node))
                    {
                        self.assignments.entry(name.clone()).or_default().push(
                            self.index,
                            node,
                            parent,
                            classify(file, parent),
                        );
                    }
                }
                self.names.insert(name);
            }
            "dynamic_variable_name"
            | "include_expression"
            | "include_once_expression"
            | "require_expression"
            | "require_once_expression" => self.dynamic = true,
            "function_call_expression"
                if called_function(file, node).is_some_and(|f| {
                    DYNAMIC_SCOPE_FUNCTIONS
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(f))
                }) =>
            {
                self.dynamic = true
            }
            _ => {}
        }
    }

    fn note_use_clause(&mut self, file: &PhpFile, closure: Node<'t>) {
        let mut cursor = closure.walk();
        for child in closure.named_children(&mut cursor) {
            if child.kind() != "anonymous_function_use_clause" {
                continue;
            }
            let mut inner = child.walk();
            for used in child.named_children(&mut inner) {
                let (variable, by_ref) = match used.kind() {
                    "by_ref" => (used.named_child(0), true),
                    _ => (Some(used), false),
                };
                let Some(variable) = variable.filter(|v| v.kind() == "variable_name") else {
                    continue;
                };
                let name = file.text(variable).to_string();
                if by_ref {
                    *self.writes.entry(name.clone()).or_default() += 1;
                }
                self.names.insert(name);
            }
        }
    }

    /// The plain assignments to `name` that may give it its value at `at`: going back from
    /// `at`, every assignment up to and including the first one that runs on every path to
    /// `at`. The latest comes first. Loops are not followed.
    pub fn reaching(&self, name: &str, at: Node<'t>) -> Reaching<'_, 't, K> {
        match self.assignments.get(name) {
            Some(assignments) => assignments.reaching(self.index, at),
            None => Reaching::none(),
        }
    }

    /// How often `name` is written in this scope.
    pub fn writes(&self, name: &str) -> usize {
        self.writes.get(name).copied().unwrap_or(0)
    }

    /// Whether one of the plain assignments to `name` lies inside `node`.
    pub fn assigned_within(&self, name: &str, node: Node<'t>) -> bool {
        self.assignments
            .get(name)
            .is_some_and(|assignments| assignments.any_within(node))
    }

    /// The statement holding `call` that sits in a block, where a line can go before it. `None`
    /// when a line there would run at another time than the call, or when the call does not
    /// always run with its statement: a loop's header, a body without braces, an arrow
    /// function, a branch of `?:` or `match`, the right side of `&&`, `||` or `??`.
    pub fn statement_before_which_to_insert(&self, call: Node<'t>) -> Option<Node<'t>> {
        // The answer is the same from every node on the way up: remember it for each, so that
        // calls nested in one another do not each walk up the whole statement.
        let mut statements = self.statements.borrow_mut();
        let mut path = Vec::new();
        let mut node = call;
        let found = loop {
            if let Some(found) = statements.get(&node.id()) {
                break *found;
            }
            path.push(node.id());
            let Some(parent) = self.index.parent(node) else {
                break None;
            };
            if node == self.node {
                break None;
            }
            let is_body = self.index.field(parent, "body") == Some(node);
            if is_body && !matches!(node.kind(), "compound_statement" | "colon_block") {
                break None;
            }
            if LOOPS.contains(&parent.kind()) && !is_body {
                break None;
            }
            if runs_only_sometimes(parent, node) {
                break None;
            }
            if BLOCKS.contains(&parent.kind()) {
                let is_case_value = self.index.field(parent, "value") == Some(node);
                break (!is_case_value).then_some(node);
            }
            node = parent;
        };
        for id in path {
            statements.insert(id, found);
        }
        found
    }

    /// `base`, or `base2`, `base3`… : the first that no code of this scope mentions.
    pub fn free_name(&self, base: &str) -> String {
        if !self.names.contains(base) {
            return base.to_string();
        }
        // The names do not change: remember the answer rather than count up through
        // `$port2`…`$port5000` for each call.
        self.free_names
            .borrow_mut()
            .entry(base.to_string())
            .or_insert_with(|| {
                (2..)
                    .map(|n| format!("{base}{n}"))
                    .find(|name| !self.names.contains(name))
                    .expect("some name is free")
            })
            .clone()
    }
}

/// Whether `child` of the expression `parent` is evaluated only on some paths through it
/// (a `?:` body is a `body` field, which the caller already rules out).
fn runs_only_sometimes(parent: Node, child: Node) -> bool {
    match parent.kind() {
        "conditional_expression" => parent.child_by_field_name("alternative") == Some(child),
        "binary_expression" => {
            matches!(operator(parent), Some("&&" | "||" | "and" | "or" | "??"))
                && parent.child_by_field_name("right") == Some(child)
        }
        _ => false,
    }
}

fn is_plain_assignment_to(parent: Node, variable: Node) -> bool {
    parent.kind() == "assignment_expression" && parent.child_by_field_name("left") == Some(variable)
}

/// What [`is_write`] found out about the nodes around the variables seen so far, so that the
/// variables in arrays nested 20,000 deep, or in a call with 20,000 arguments, do not each
/// look at all of them again.
#[derive(Default)]
struct Known<'t> {
    /// Whether an array element or array is destructured, for each one on the way up from the
    /// variables.
    destructured: IdMap<usize, bool>,
    /// The first arguments of each call, as many as [`BY_VALUE_ARGUMENTS`] needs.
    leading_arguments: IdMap<usize, Vec<Node<'t>>>,
}

/// Whether this occurrence of a variable may change it.
fn is_write<'t>(
    file: &PhpFile,
    index: &TreeIndex<'t>,
    variable: Node<'t>,
    known: &mut Known<'t>,
) -> bool {
    let Some(parent) = index.parent(variable) else {
        return false;
    };
    match parent.kind() {
        "assignment_expression" | "augmented_assignment_expression" => {
            parent.child_by_field_name("left") == Some(variable)
        }
        "reference_assignment_expression"
        | "update_expression"
        | "by_ref"
        | "global_declaration"
        | "static_variable_declaration"
        | "unset_statement"
        | "simple_parameter"
        | "variadic_parameter"
        | "property_promotion_parameter"
        | "list_literal"
        | "foreach_statement" => true,
        "pair" => index
            .parent(parent)
            .is_some_and(|p| p.kind() == "foreach_statement"),
        "array_element_initializer" => is_destructured(index, parent, &mut known.destructured),
        "argument" => !is_by_value_argument(file, index, parent, &mut known.leading_arguments),
        _ => false,
    }
}

/// Whether an array element is a target of `[$a, $b] = …` or `foreach (… as [$a, $b])`.
///
/// The answer is the same for every array and element on the way up, and `known` keeps it for
/// each.
fn is_destructured<'t>(
    index: &TreeIndex<'t>,
    element: Node<'t>,
    known: &mut IdMap<usize, bool>,
) -> bool {
    let mut path = Vec::new();
    let mut node = element;
    let destructured = loop {
        if let Some(&destructured) = known.get(&node.id()) {
            break destructured;
        }
        path.push(node.id());
        let Some(parent) = index.parent(node) else {
            break false;
        };
        match parent.kind() {
            "array_element_initializer" | "array_creation_expression" | "list_literal" => {
                node = parent
            }
            "assignment_expression" | "reference_assignment_expression" => {
                break parent.child_by_field_name("left") == Some(node)
            }
            "foreach_statement" => break true,
            _ => break false,
        }
    };
    for id in path {
        known.insert(id, destructured);
    }
    destructured
}

fn is_by_value_argument<'t>(
    file: &PhpFile,
    index: &TreeIndex<'t>,
    argument: Node<'t>,
    leading_arguments: &mut IdMap<usize, Vec<Node<'t>>>,
) -> bool {
    let Some(arguments) = index.parent(argument) else {
        return false;
    };
    let Some(call) = index
        .parent(arguments)
        .filter(|call| call.kind() == "function_call_expression")
    else {
        return false;
    };
    let Some(function) = called_function(file, call) else {
        return false;
    };
    let Some((_, positions)) = BY_VALUE_ARGUMENTS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(function))
    else {
        return false;
    };
    // The position among the arguments, as `call_arguments` counts them: only the first few
    // matter.
    let leading = leading_arguments.entry(call.id()).or_insert_with(|| {
        let count = BY_VALUE_ARGUMENTS
            .iter()
            .flat_map(|(_, positions)| positions.iter())
            .max()
            .map_or(0, |last| last + 1);
        let Some(list) = call.child_by_field_name("arguments") else {
            return Vec::new();
        };
        let mut cursor = list.walk();
        let leading = list
            .named_children(&mut cursor)
            .filter(|n| n.kind() == "argument")
            .take(count)
            .collect();
        leading
    });
    leading
        .iter()
        .position(|a| *a == argument)
        .is_some_and(|p| positions.contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::php::walk;
    use crate::source::SourceFile;

    #[test]
    fn assignments_that_reach_a_call_by_kind() {
        let code = "<?php\nfunction f($c) {\n    $a = 1;\n    if ($c) { $a = g(); }\n    h($a);\n    $a = 2;\n}\n";
        let source = SourceFile::new("t.php", code.as_bytes().to_vec());
        let file = PhpFile::new(&source);
        let tree = file.tree().unwrap();
        let index = TreeIndex::new(tree);
        let mut call = None;
        walk(tree, |node| {
            if called_function(&file, node) == Some("h") {
                call = Some(node);
            }
        });
        let call = call.unwrap();
        let function = index.scope_of(call);
        assert_eq!(function.kind(), "function_definition");
        // The kind: whether the value is an integer literal.
        let scope = Scope::of(&file, &index, function, |_, assignment| {
            assignment
                .child_by_field_name("right")
                .is_some_and(|value| value.kind() == "integer")
        });
        let reaching = scope.reaching("$a", call);
        let texts: Vec<&str> = reaching.iter().map(|a| file.text(a)).collect();
        // The one in the `if` may run or not, so the one before it reaches too; `$a = 2`
        // comes after the call.
        assert_eq!(texts, ["$a = g()", "$a = 1"]);
        assert_eq!(
            reaching.latest_of(true).map(|a| file.text(a)),
            Some("$a = 1")
        );
        assert!(!reaching.all_of(true));
        assert!(scope.reaching("$b", call).is_empty());
        // Three assignments, and `h($a)`, which may take `$a` by reference.
        assert_eq!(scope.writes("$a"), 4);
        assert_eq!(scope.free_name("$a"), "$a2");
        assert_eq!(
            scope
                .statement_before_which_to_insert(call)
                .map(|s| file.text(s)),
            Some("h($a);")
        );
        assert!(!scope.top_level && !scope.dynamic);
    }
}
