//! PFM004: a main.cf that makes smtpd refuse to start (no working relay restriction in
//! smtpd_relay_restrictions or smtpd_recipient_restrictions), or that relays mail for anyone
//! (both lists let everyone through before their relay check).

use crate::formats::postfix_conf::MainCf;
use crate::rules::Reporter;

use super::{expanded, words, RELAY_CHECKS};

main_rule! {
    code: "PFM004",
    name: "open-relay",
    prefilter: &[],
    run: run,
}

const LISTS: [&str; 2] = ["smtpd_relay_restrictions", "smtpd_recipient_restrictions"];

/// How a restriction list ends for a client that nothing else matches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A relay check comes first: mail to other domains is refused.
    Checks,
    /// `permit` (or a permit that matches everyone) comes first: the word.
    PermitsAll(String),
    /// Neither: the list falls through (permits), and has no working relay check.
    FallsThrough,
}

/// Whether a word lets every client through.
fn permits_everyone(word: &str, next: Option<&str>, main: &MainCf) -> bool {
    match word {
        "permit" => true,
        "permit_mynetworks" => {
            let networks = expanded(main, "mynetworks");
            words(&networks)
                .iter()
                .any(|n| n == "0.0.0.0/0" || n == "::/0" || n == "[::]/0" || n == "0/0")
        }
        w if w.starts_with("check_") && w.ends_with("_access") => {
            matches!(next, Some(t) if t.eq_ignore_ascii_case("static:ok") || t.eq_ignore_ascii_case("static:permit"))
        }
        _ => false,
    }
}

/// `has_required()` of smtpd_check.c, restriction classes expanded, in order.
fn outcome(list: &[String], main: &MainCf, classes: &[String], depth: usize) -> Outcome {
    let mut i = 0;
    while i < list.len() {
        let word = list[i].as_str();
        if word == "warn_if_reject" {
            i += 2;
            continue;
        }
        if permits_everyone(word, list.get(i + 1).map(String::as_str), main) {
            return Outcome::PermitsAll(word.to_string());
        }
        if RELAY_CHECKS.contains(&word) {
            return Outcome::Checks;
        }
        if depth < 20 && classes.iter().any(|c| c == word) {
            let inner = words(&expanded(main, word));
            match outcome(&inner, main, classes, depth + 1) {
                Outcome::FallsThrough => {}
                other => return other,
            }
        }
        i += 1;
    }
    Outcome::FallsThrough
}

fn run(main: &MainCf, cx: &mut Reporter) {
    // A file that sets none of these is a fragment to add to a main.cf, not a whole one.
    let decides = ["compatibility_level", LISTS[0], LISTS[1]];
    if decides.iter().all(|n| main.get(n).is_none()) {
        return;
    }
    let classes = words(&expanded(main, "smtpd_restriction_classes"));
    let outcomes: Vec<Outcome> = LISTS
        .iter()
        .map(|name| outcome(&words(&expanded(main, name)), main, &classes, 0))
        .collect();
    let set: Vec<_> = LISTS.iter().filter_map(|n| main.get(n)).collect();
    let span = set
        .first()
        .or(main.get("compatibility_level").as_ref())
        .map_or(0..0, |e| super::name_span(main, e));
    let has_check = |o: &Outcome| *o != Outcome::FallsThrough;
    if !outcomes.iter().any(has_check) {
        let d = cx.report(
            span,
            "no working relay restriction: smtpd refuses to start (neither smtpd_relay_restrictions nor smtpd_recipient_restrictions has reject_unauth_destination or another relay check)",
        );
        d.note("smtpd: fatal: in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains");
        d.note("the usual setting: smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination");
        return;
    }
    // Relayed when neither list refuses: each must let everyone through.
    let open = outcomes.iter().all(|o| *o != Outcome::Checks);
    if !open {
        return;
    }
    let permit = outcomes.iter().zip(LISTS).find_map(|(o, n)| match o {
        Outcome::PermitsAll(word) => Some((word.clone(), n)),
        _ => None,
    });
    let Some((word, list)) = permit else { return };
    let span = main.get(list).map_or(span, |e| super::name_span(main, e));
    let d = cx.report(
        span,
        format!("open relay: `{word}` in {list} lets every client through before the relay check, and the other list does not stop it: this server relays mail for anyone"),
    );
    d.note("restrictions after a `permit` are never reached; put reject_unauth_destination (or defer_unauth_destination) before it");
}
