//! PHP003's fix: connect to the port of the configured URL, else its scheme's default.

use super::connections::Found;
use super::scheme::{branch_is_https, Branches};
use super::sources::{Port, PortScope};
use crate::fix::{Applicability, Edit, Fix};
use crate::formats::php::semantic::index::TreeIndex;
use crate::formats::php::PhpFile;

/// Inserts `$port = isset($parts['port']) ? $parts['port'] : DEFAULT;` before the statement
/// of the call and connects to `$port`.
pub fn take_port_from_url<'t>(
    file: &PhpFile,
    index: &TreeIndex<'t>,
    branches: &mut Branches<'t>,
    scope: &PortScope<'_, 't>,
    c: &Found<'t>,
    array: &str,
) -> Option<Fix> {
    // Through a variable with other values (or other writes), replacing it could drop more
    // than the request's port: report only.
    if matches!(
        c.port,
        Port::Variable {
            only_value: false,
            ..
        }
    ) {
        return None;
    }
    let statement = scope.statement_before_which_to_insert(c.call)?;
    if scope.assigned_within(array, statement) {
        return None;
    }
    let https = match c.host.tls {
        Some(true) => Some(true),
        _ => branch_is_https(file, index, branches, c.call, scope.node, array),
    };
    let (default, default_words) = match https {
        Some(true) => ("443".to_string(), "443"),
        Some(false) => ("80".to_string(), "80"),
        None => (
            format!("({array}['scheme'] === 'https' ? 443 : 80)"),
            "443 for https, 80 otherwise",
        ),
    };
    let name = scope.free_name("$port");
    let assignment = format!("{name} = isset({array}['port']) ? {array}['port'] : {default};");
    let start = statement.start_byte();
    let line_start = file.source.line_range(file.source.line_index(start)).start;
    let indent = file.source.text().get(line_start..start).unwrap_or("x");
    let inserted = if indent.bytes().all(|b| b == b' ' || b == b'\t') {
        format!("{assignment}\n{indent}")
    } else {
        // The statement shares its line with other code (`<?php fsockopen(…) ?>`): keep it so.
        format!("{assignment} ")
    };
    let connect_to = if c.port_in_string {
        format!("{{{name}}}")
    } else {
        name.clone()
    };
    // Outside functions the new variable is a global that included files share, and a
    // function that uses variables by run-time names could see it: a human should look.
    let applicability = if scope.top_level || scope.dynamic {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    Some(Fix::new(
        format!("connect to the port of the URL in `{array}`, by default {default_words}"),
        vec![
            Edit::insert(start, inserted),
            Edit::replace(c.port_span.clone(), connect_to),
        ],
        applicability,
    ))
}
