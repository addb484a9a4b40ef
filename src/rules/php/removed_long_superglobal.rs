//! PHP004: the long superglobals (`$HTTP_GET_VARS`…) and `import_request_variables()`, gone
//! since PHP 5.4.

use tree_sitter::Node;

use crate::config::Version;
use crate::diagnostic::Severity;
use crate::fix::{Applicability, Edit, Fix};
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
    let target = cx.target("php");
    let severity = if target >= REMOVED_IN {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut uses = Vec::new();
    let mut written = Vec::new();
    walk(tree, |node| match node.kind() {
        "variable_name" => {
            if let Some(&(long, short)) = LONG_ARRAYS
                .iter()
                .find(|(long, _)| file.text(node).strip_prefix('$') == Some(*long))
            {
                if is_assigned(node) {
                    written.push(long);
                }
                uses.push((node, long, short));
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
    for (node, long, short) in uses {
        // Replacing a variable the code also assigns would make those writes reach the real
        // superglobal: right for a compatibility shim, but worth a look.
        let applicability = if written.contains(&long) {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let d = cx.report(
            node.byte_range(),
            format!("${long} was removed in PHP 5.4: on PHP {target} it is an undefined variable, not the request's data"),
        );
        d.severity = severity;
        d.fix(Fix::new(
            format!("use ${short}"),
            vec![Edit::replace(node.byte_range(), format!("${short}"))],
            applicability,
        ));
    }
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
