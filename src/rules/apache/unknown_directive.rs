//! APA004: a directive no module of this Apache provides: httpd stops with `Invalid command
//! 'X', perhaps misspelled or defined by a module not included in the server configuration`.

use crate::fix::{Edit, Fix};
use crate::formats::apache::{catalogue, ApacheFile, NodeKind};
use crate::rules::Reporter;
use crate::suggest::did_you_mean;

apache_rule! {
    code: "APA004",
    name: "unknown-directive",
    prefilter: &[],
    run: run,
}

fn run(file: &ApacheFile, cx: &mut Reporter) {
    // The same name on many lines (`SecRule` without mod_security) is looked up once.
    let mut suggestions: std::collections::HashMap<String, Option<&'static str>> =
        std::collections::HashMap::new();
    // A third-party module's directives: one finding, on the first, per module.
    let mut third_party: Vec<(&'static str, usize)> = Vec::new();
    for (_, node, spec) in file.catalogued() {
        if spec.is_some_and(|spec| spec.third_party.is_none()) {
            continue;
        }
        let written = file.text(&node.name_span);
        let key = if node.kind == NodeKind::Open {
            format!("<{}", node.name)
        } else {
            node.name.clone()
        };
        let refused = if file.htaccess {
            "every request under this directory gets HTTP 500"
        } else {
            "Apache refuses the whole configuration"
        };
        // Known and not third-party was skipped above.
        match spec.and_then(|spec| spec.third_party) {
            Some(provider) => {
                if let Some((_, count)) = third_party.iter_mut().find(|(p, _)| *p == provider) {
                    *count += 1;
                    continue;
                }
                third_party.push((provider, 1));
                cx.report(
                    node.name_span.clone(),
                    format!("`{}` needs {provider}, which Debian does not package: without it {refused}", node.name),
                )
                .note(format!(
                    "Apache says: Invalid command '{key}', perhaps misspelled or defined by a module not included in the server configuration"
                ))
                .note("mod_auth_mysql is unmaintained (SQL injection, CVE-2008-2384): Apache 2.4's own replacement is mod_authn_dbd with mod_dbd (`AuthBasicProvider dbd`, `AuthDBDUserPWQuery`) and bcrypt hashes");
            }
            None => {
                let section = node.kind == NodeKind::Open;
                let suggestion =
                    *suggestions
                        .entry(key.to_ascii_lowercase())
                        .or_insert_with(|| {
                            did_you_mean(
                                &key,
                                catalogue::all()
                                    .iter()
                                    .filter(|s| {
                                        s.is_section() == section && s.third_party.is_none()
                                    })
                                    .map(|s| s.name),
                            )
                        });
                let d = cx.report(
                    node.name_span.clone(),
                    format!("unknown directive `{key}`: {refused}"),
                );
                d.note(format!(
                    "Apache says: Invalid command '{key}', perhaps misspelled or defined by a module not included in the server configuration"
                ));
                if let Some(name) = suggestion {
                    d.note(format!("did you mean `{name}`?"));
                    if node.kind == NodeKind::Directive && written == node.name {
                        d.fix(Fix::unsafe_(
                            format!("write `{name}`"),
                            vec![Edit::replace(node.name_span.clone(), name)],
                        ));
                    }
                }
            }
        }
    }
}
