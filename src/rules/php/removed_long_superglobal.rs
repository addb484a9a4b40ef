//! PHP004: the long superglobals (`$HTTP_GET_VARS`…) and `import_request_variables()`, gone
//! since PHP 5.4.

use tree_sitter::Node;

use crate::config::Version;
use crate::diagnostic::Severity;
use crate::fix::{Applicability, Edit, Fix};
use crate::formats::php::semantic::index::TreeIndex;
use crate::formats::php::{called_function, walk, PhpFile};
use crate::rules::Reporter;

php_rule! {
    code: "PHP004",
    name: "removed-long-superglobal",
    prefilter: &[&[
            "HTTP_GET_VARS",
            "HTTP_POST_VARS",
            "HTTP_COOKIE_VARS",
            "HTTP_SERVER_VARS",
            "HTTP_ENV_VARS",
            "HTTP_POST_FILES",
            "HTTP_SESSION_VARS",
            "import_request_variables",
        ]],
    run: run,
}

const REMOVED_IN: Version = Version::new(5, 4);

/// Each long array and the superglobal that replaces it.
const LONG_ARRAYS: &[(&str, &str)] = &[
    ("HTTP_GET_VARS", "_GET"),
    ("HTTP_POST_VARS", "_POST"),
    ("HTTP_COOKIE_VARS", "_COOKIE"),
    ("HTTP_SERVER_VARS", "_SERVER"),
    ("HTTP_ENV_VARS", "_ENV"),
    ("HTTP_POST_FILES", "_FILES"),
    ("HTTP_SESSION_VARS", "_SESSION"),
];

fn run(file: &PhpFile, cx: &mut Reporter) {
    let Some(tree) = file.tree() else { return };
    let index = TreeIndex::new(tree);
    let target = cx.target("php");
    let severity = if target >= REMOVED_IN {
        Severity::Error
    } else {
        Severity::Warning
    };
    let long_name = |text: &str| LONG_ARRAYS.iter().find(|(long, _)| text == *long).copied();
    let mut reads = Vec::new();
    // Where each scope defines a variable of a long name itself: (scope, name, from offset).
    let mut locals: Vec<(Node, &str, usize)> = Vec::new();
    let mut written = Vec::new();
    // `global $HTTP_…;` declarations: (scope, name, at).
    let mut globals: Vec<(Node, &str, usize)> = Vec::new();
    walk(tree, |node| match node.kind() {
        "variable_name" => {
            let Some((long, short)) = file.text(node).strip_prefix('$').and_then(long_name) else {
                return;
            };
            let scope = index.scope_of(node);
            match use_of(&index, node) {
                Use::Read => reads.push(Read {
                    node,
                    scope,
                    long,
                    short,
                }),
                Use::ElementWrite => {
                    written.push(long);
                    reads.push(Read {
                        node,
                        scope,
                        long,
                        short,
                    });
                }
                Use::Defines => {
                    written.push(long);
                    locals.push((scope, long, node.start_byte()));
                }
                Use::DefinesScope => {
                    written.push(long);
                    locals.push((scope, long, scope.start_byte()));
                }
                Use::Global => globals.push((scope, long, node.start_byte())),
                Use::Declares => {}
            }
        }
        "subscript_expression" => {
            if let Some((long, short)) = globals_element(file, node).and_then(long_name) {
                if is_assigned(node) {
                    written.push(long);
                }
                reads.push(Read {
                    node,
                    scope: tree.root_node(),
                    long,
                    short,
                });
            }
        }
        "function_call_expression"
            if called_function(file, node)
                .is_some_and(|f| f.eq_ignore_ascii_case("import_request_variables")) =>
        {
            let d = cx.report(
                node.byte_range(),
                format!("import_request_variables() was removed in PHP 5.4: this call is a fatal error on PHP {target}"),
            );
            d.severity = severity;
            d.note("read what you need from $_GET, $_POST or $_COOKIE by name instead of importing every request variable");
        }
        _ => {}
    });
    for read in reads {
        // After the scope assigns the variable itself, it reads that local variable.
        let local = locals.iter().any(|&(scope, long, from)| {
            scope == read.scope && long == read.long && from <= read.node.start_byte()
        });
        // After `global $HTTP_…;`, the function reads the file's own variable when the file's
        // top-level code assigns it (a shim): not the removed one.
        let root = tree.root_node();
        let shimmed_global = globals.iter().any(|&(scope, long, at)| {
            scope == read.scope && long == read.long && at <= read.node.start_byte()
        }) && locals
            .iter()
            .any(|&(scope, long, _)| scope == root && long == read.long);
        if local || shimmed_global {
            continue;
        }
        // Replacing a variable the code also assigns would make those writes reach the real
        // superglobal: right for a compatibility shim, but worth a look.
        let applicability = if written.contains(&read.long) {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let (long, short) = (read.long, read.short);
        let message = if read.node.kind() == "subscript_expression" {
            format!("{} was removed in PHP 5.4: on PHP {target} that global is undefined, not the request's data", file.text(read.node))
        } else {
            format!("${long} was removed in PHP 5.4: on PHP {target} it is an undefined variable, not the request's data")
        };
        let d = cx.report(read.node.byte_range(), message);
        d.severity = severity;
        // The scope assigns the variable itself later: a compatibility shim such as
        // `if (!isset($HTTP_POST_VARS)) $HTTP_POST_VARS = $_POST;`, which the fix would break.
        let shim = locals
            .iter()
            .any(|&(scope, long, _)| scope == read.scope && long == read.long);
        if shim {
            d.note(format!("this code assigns ${long} itself further on, which works on PHP {target}; replacing this read would skip that"));
            continue;
        }
        d.fix(Fix::new(
            format!("use ${short}"),
            vec![Edit::replace(read.node.byte_range(), format!("${short}"))],
            applicability,
        ));
    }
}

/// A read of a long name (or a write to an element of it), in its function or the file.
struct Read<'t> {
    node: Node<'t>,
    scope: Node<'t>,
    long: &'static str,
    short: &'static str,
}

/// What the code does with a variable of a long name.
enum Use {
    /// Reads it: the removed superglobal, unless the scope defined its own before.
    Read,
    /// Writes an element of it (`$HTTP_GET_VARS['a'] = 1`).
    ElementWrite,
    /// Makes it a local variable from here: an assignment, a `catch` or `static` variable.
    Defines,
    /// Makes it a local variable of the whole function: a parameter, a closure's `use`.
    DefinesScope,
    /// A `global` declaration: not the removed superglobal, but what the function reads later
    /// may be (unless the file's top-level code assigns it).
    Global,
    /// A property: not the removed superglobal.
    Declares,
}

fn use_of<'t>(index: &TreeIndex<'t>, variable: Node<'t>) -> Use {
    let Some(parent) = index.parent(variable) else {
        return Use::Read;
    };
    match parent.kind() {
        "simple_parameter"
        | "variadic_parameter"
        | "property_promotion_parameter"
        | "anonymous_function_use_clause" => Use::DefinesScope,
        "by_ref"
            if index
                .parent(parent)
                .is_some_and(|p| p.kind() == "anonymous_function_use_clause") =>
        {
            Use::DefinesScope
        }
        "catch_clause" | "static_variable_declaration" => Use::Defines,
        "global_declaration" => Use::Global,
        "property_element" => Use::Declares,
        "assignment_expression" | "reference_assignment_expression"
            if parent.child_by_field_name("left") == Some(variable) =>
        {
            Use::Defines
        }
        _ if is_assigned(variable) => Use::ElementWrite,
        _ => Use::Read,
    }
}

/// The key of `$GLOBALS['…']` when it is a literal string.
fn globals_element<'a>(file: &PhpFile<'a>, subscript: Node) -> Option<&'a str> {
    let object = subscript.named_child(0)?;
    if object.kind() != "variable_name" || file.text(object) != "$GLOBALS" {
        return None;
    }
    let key = subscript.named_child(1)?;
    if !matches!(key.kind(), "string" | "encapsed_string") {
        return None;
    }
    let text = file.text(key);
    text.strip_prefix(['\'', '"'])?.strip_suffix(['\'', '"'])
}

/// Whether the variable (or an element of it) is the left side of an assignment.
fn is_assigned(variable: Node) -> bool {
    let mut node = variable;
    while let Some(parent) = node.parent() {
        match parent.kind() {
            "subscript_expression" if parent.child(0) == Some(node) => node = parent,
            "assignment_expression"
            | "augmented_assignment_expression"
            | "reference_assignment_expression" => {
                return parent.child_by_field_name("left") == Some(node);
            }
            _ => return false,
        }
    }
    false
}
