//! PFM008: a `check_policy_service` (greylisting: postgrey on `inet:127.0.0.1:10023`) placed
//! before the relay check: it is asked about every relay attempt too.

use crate::formats::postfix_conf::MainCf;
use crate::rules::Reporter;

use super::{expanded, words, RELAY_CHECKS};

main_rule! {
    code: "PFM008",
    name: "policy-service-before-relay-check",
    prefilter: &[&["check_policy_service"]],
    run: run,
}

/// Whether the list refuses a stranger's relay attempt: a relay check before any `permit`
/// (`permit_mynetworks` and the like let only some clients through).
fn checks_first(list: &[String]) -> bool {
    for w in list {
        if RELAY_CHECKS.contains(&w.as_str()) {
            return true;
        }
        if w == "permit" {
            return false;
        }
    }
    false
}

fn run(main: &MainCf, cx: &mut Reporter) {
    let relay = words(&expanded(main, "smtpd_relay_restrictions"));
    let relay_checked = checks_first(&relay);
    for name in ["smtpd_relay_restrictions", "smtpd_recipient_restrictions"] {
        // smtpd_relay_restrictions runs first: a recipient list sees no relay attempt then.
        if name == "smtpd_recipient_restrictions" && relay_checked {
            continue;
        }
        let Some(entry) = main.get(name) else {
            continue;
        };
        let value = main.value_bytes(entry);
        let text = String::from_utf8_lossy(value);
        let list = words(&text);
        let Some(policy) = list.iter().position(|w| w == "check_policy_service") else {
            continue;
        };
        let Some(check) = list.iter().position(|w| RELAY_CHECKS.contains(&w.as_str())) else {
            continue;
        };
        if policy > check {
            continue;
        }
        // In the value's bytes: the lossy text's offsets differ after a byte that is not UTF-8.
        let Some(at) = memchr::memmem::find(value, b"check_policy_service") else {
            continue;
        };
        let start = entry.value.start + at;
        let span = main.span(entry, &(start..start + "check_policy_service".len()));
        let service = list.get(policy + 1).cloned().unwrap_or_default();
        let d = cx.report(
            span,
            format!("check_policy_service {service} comes before {} in {name}: the policy service is asked about every relay attempt too", list[check]),
        );
        d.note(format!(
            "move it after {}: relay attempts are then refused without asking it",
            list[check]
        ));
    }
}
