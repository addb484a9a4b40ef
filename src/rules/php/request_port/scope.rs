//! What one function (or the top-level code) does with its variables: enough to follow a
//! variable back to the assignments that can reach a call, and to pick a new variable name
//! that nothing else in the function uses.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::values::operator;
use crate::formats::php::{call_arguments, called_function, PhpFile};

/// Nodes that open a new variable scope.
const FUNCTION_KINDS: &[&str] = &[
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

/// Calls whose arguments at these positions are passed by value, so naming a variable there
/// is a read: the socket functions' host, port and address.
const BY_VALUE_ARGUMENTS: &[(&str, &[usize])] = &[
    ("fsockopen", &[0, 1]),
    ("pfsockopen", &[0, 1]),
    ("stream_socket_client", &[0]),
];

pub struct Scope<'t> {
    pub node: Node<'t>,
    /// Code outside any function: its variables are the globals that every included file
    /// shares, so a variable name free here may still be taken elsewhere.
    pub top_level: bool,
    /// The scope reads or defines variables by run-time names (`$$x`, `compact()`,
    /// `extract()`, `include`…).
    pub dynamic: bool,
    /// Plain `$name = …` assignments, in document order.
    assignments: Vec<(String, Node<'t>)>,
    /// How often each variable is written in any way (assignments, `++`, references,
    /// parameters, `global`, `foreach`, arguments that may be by reference…).
    writes: HashMap<String, usize>,
    /// Every variable name that appears, including in nested closures.
    names: HashSet<String>,
}

impl<'t> Scope<'t> {
    /// The function (or the whole file) whose variables `node` sees.
    pub fn node_of(node: Node<'t>) -> Node<'t> {
        let mut current = node;
        while let Some(parent) = current.parent() {
            if FUNCTION_KINDS.contains(&parent.kind()) {
                return parent;
            }
            current = parent;
        }
        current
    }

    pub fn of(file: &PhpFile, node: Node<'t>) -> Self {
        let mut scope = Self {
            node,
            top_level: !FUNCTION_KINDS.contains(&node.kind()),
            dynamic: false,
            assignments: Vec::new(),
            writes: HashMap::new(),
            names: HashSet::new(),
        };
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
                scope.note(file, current);
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
        scope
    }

    fn note(&mut self, file: &PhpFile, node: Node<'t>) {
        match node.kind() {
            "variable_name" => {
                let name = file.text(node).to_string();
                if is_write(file, node) {
                    *self.writes.entry(name.clone()).or_default() += 1;
                    if let Some(parent) = node.parent().filter(|p| is_plain_assignment_to(*p, node))
                    {
                        self.assignments.push((name.clone(), parent));
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
    pub fn reaching(&self, name: &str, at: Node<'t>) -> Vec<Node<'t>> {
        let mut found = Vec::new();
        for (_, assignment) in self
            .assignments
            .iter()
            .rev()
            .filter(|(n, a)| n == name && a.end_byte() <= at.start_byte())
        {
            found.push(*assignment);
            if always_runs_before(*assignment, at) {
                break;
            }
        }
        found
    }

    /// How often `name` is written in this scope.
    pub fn writes(&self, name: &str) -> usize {
        self.writes.get(name).copied().unwrap_or(0)
    }

    /// Whether one of the plain assignments to `name` lies inside `node`.
    pub fn assigned_within(&self, name: &str, node: Node<'t>) -> bool {
        self.assignments.iter().any(|(n, a)| {
            n == name && a.start_byte() >= node.start_byte() && a.end_byte() <= node.end_byte()
        })
    }

    /// The statement holding `call` that sits in a block, where a line can go before it. `None`
    /// when a line there would run at another time than the call, or when the call does not
    /// always run with its statement: a loop's header, a body without braces, an arrow
    /// function, a branch of `?:` or `match`, the right side of `&&`, `||` or `??`.
    pub fn statement_before_which_to_insert(&self, call: Node<'t>) -> Option<Node<'t>> {
        let mut node = call;
        while let Some(parent) = node.parent() {
            if node == self.node {
                return None;
            }
            let is_body = parent.child_by_field_name("body") == Some(node);
            if is_body && !matches!(node.kind(), "compound_statement" | "colon_block") {
                return None;
            }
            if LOOPS.contains(&parent.kind()) && !is_body {
                return None;
            }
            if runs_only_sometimes(parent, node) {
                return None;
            }
            if BLOCKS.contains(&parent.kind()) {
                let is_case_value = parent.child_by_field_name("value") == Some(node);
                return (!is_case_value).then_some(node);
            }
            node = parent;
        }
        None
    }

    /// `base`, or `base2`, `base3`… : the first that no code of this scope mentions.
    pub fn free_name(&self, base: &str) -> String {
        if !self.names.contains(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|name| !self.names.contains(name))
            .expect("some name is free")
    }
}

/// Whether `assignment` is a statement of its own in a block that also holds `at`, before it:
/// then every path to `at` runs it.
fn always_runs_before(assignment: Node, at: Node) -> bool {
    let Some(statement) = assignment
        .parent()
        .filter(|p| p.kind() == "expression_statement")
    else {
        return false;
    };
    let Some(block) = statement.parent() else {
        return false;
    };
    let mut node = at;
    while let Some(parent) = node.parent() {
        if parent == block {
            return true;
        }
        node = parent;
    }
    false
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

/// Whether this occurrence of a variable may change it.
fn is_write(file: &PhpFile, variable: Node) -> bool {
    let Some(parent) = variable.parent() else {
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
        "pair" => parent
            .parent()
            .is_some_and(|p| p.kind() == "foreach_statement"),
        "array_element_initializer" => is_destructured(parent),
        "argument" => !is_by_value_argument(file, parent),
        _ => false,
    }
}

/// Whether an array element is a target of `[$a, $b] = …` or `foreach (… as [$a, $b])`.
fn is_destructured(element: Node) -> bool {
    let mut node = element;
    while let Some(parent) = node.parent() {
        match parent.kind() {
            "array_element_initializer" | "array_creation_expression" | "list_literal" => {
                node = parent
            }
            "assignment_expression" | "reference_assignment_expression" => {
                return parent.child_by_field_name("left") == Some(node)
            }
            "foreach_statement" => return true,
            _ => return false,
        }
    }
    false
}

fn is_by_value_argument(file: &PhpFile, argument: Node) -> bool {
    let Some(call) = argument
        .parent()
        .and_then(|arguments| arguments.parent())
        .filter(|call| call.kind() == "function_call_expression")
    else {
        return false;
    };
    let Some(function) = called_function(file, call) else {
        return false;
    };
    let Some(position) = call_arguments(call).iter().position(|a| *a == argument) else {
        return false;
    };
    BY_VALUE_ARGUMENTS.iter().any(|(name, positions)| {
        name.eq_ignore_ascii_case(function) && positions.contains(&position)
    })
}
