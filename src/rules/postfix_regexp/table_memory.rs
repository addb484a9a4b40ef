//! PFT010: a table whose compiled patterns cost much memory across the processes that open
//! it. Every process that searches a regexp: or pcre: table compiles all of it; the cost per
//! pattern was measured with Postfix 3.7 on Debian 12 (`../shared/specs/postfix.md`). The
//! fix merges adjacent rules that share a result (see `merge.rs`).

use crate::fix::Fix;
use crate::formats::postfix_conf::uses::table_uses;
use crate::formats::postfix_table::literal;
use crate::formats::postfix_table::{Engine, Statement, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT010",
    name: "table-memory",
    prefilter: &[],
    uses_workspace: true,
    run: run,
}

/// Postfix's `default_process_limit`.
const DEFAULT_PROCESS_LIMIT: u64 = 100;

/// KB per pattern: a fixed part and a part per byte of pattern, just opened and after use
/// (fitted to single addresses and 21-address alternations on Postfix 3.7).
struct Cost {
    opened: (f64, f64),
    used: (f64, f64),
}

fn cost(engine: Engine) -> Cost {
    match engine {
        Engine::Regexp => Cost {
            opened: (3.9, 0.075),
            used: (21.0, 0.16),
        },
        Engine::Pcre => Cost {
            opened: (4.0, 0.012),
            used: (4.2, 0.012),
        },
    }
}

/// The byte lengths of the patterns Postfix keeps.
fn pattern_lengths(table: &Table) -> Vec<usize> {
    let validation = table.validation();
    let mut out = Vec::new();
    for (i, line) in table.lines.iter().enumerate() {
        if !validation.kept[i] {
            continue;
        }
        match &line.statement {
            Statement::Rule(rule) => {
                for p in rule.first.iter().chain(rule.second.iter().flatten()) {
                    out.push(p.body.len());
                }
            }
            Statement::If(stmt) => out.extend(stmt.pattern.iter().map(|p| p.body.len())),
            _ => {}
        }
    }
    out
}

/// How many processes hold the table, and why that many.
fn processes(cx: &Reporter) -> (u64, String) {
    let mut total = 0;
    let mut why = Vec::new();
    let workspace = cx.workspace();
    for (entry, reference) in workspace.referrers(cx.file()) {
        // main.cf's and master.cf's facts, joined with the sibling file's process limits.
        for u in table_uses(workspace, entry)
            .iter()
            .filter(|u| u.reference == reference.span)
        {
            let n = if u.proxied {
                1
            } else {
                u64::from(u.process_limit)
            };
            total += n;
            why.push(format!(
                "{} searched by {} ({n} process{})",
                u.parameter,
                u.daemon,
                if n == 1 { "" } else { "es" }
            ));
        }
    }
    if total > 0 {
        return (total, why.join(", "));
    }
    let option = cx.option("processes").as_integer().unwrap_or(0);
    if option > 0 && option as u64 != DEFAULT_PROCESS_LIMIT {
        return (option as u64, "the `processes` option".into());
    }
    (
        DEFAULT_PROCESS_LIMIT,
        "default_process_limit, the default: no main.cf/master.cf that names this table was checked".into(),
    )
}

fn mb(kb: f64) -> String {
    let mb = kb / 1024.0;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

fn run(table: &Table, cx: &mut Reporter) {
    let lengths = pattern_lengths(table);
    if lengths.is_empty() {
        return;
    }
    let c = cost(table.engine);
    let opened: f64 = lengths
        .iter()
        .map(|&l| c.opened.0 + c.opened.1 * l as f64)
        .sum();
    let used: f64 = lengths
        .iter()
        .map(|&l| c.used.0 + c.used.1 * l as f64)
        .sum();
    let limit_mb = cx.option("max-total-mb").as_integer().unwrap_or(50).max(0) as f64;
    let (count, why) = processes(cx);
    let total_opened = opened * count as f64;
    // What it reaches once lookups have run: what a server pays under load.
    if used * count as f64 / 1024.0 <= limit_mb {
        return;
    }
    let engine = table.engine.name();
    let first = table
        .lines
        .iter()
        .enumerate()
        .find(|(i, _)| table.validation().kept[*i])
        .map_or(0..0, |(_, l)| l.span.clone());
    let message = format!(
        "this {engine}: table compiles {} patterns: about {}–{} in each process that opens it, {}–{} across {count} processes; over the {limit_mb} MB limit",
        lengths.len(),
        mb(opened),
        mb(used),
        mb(total_opened),
        mb(used * count as f64),
    );
    let max_length = cx
        .option("max-pattern-length")
        .as_integer()
        .unwrap_or(2000)
        .max(1) as usize;
    let plan = super::merge::plan(table, max_length);
    let literal = every_rule_is_an_address(table);
    let path = table.source.path().display().to_string();
    let d = cx.report(first, message);
    d.note(format!(
        "{count} processes: {why}; the range is from just opened to after lookups (Postfix 3.7, glibc/PCRE2 on Debian 12)"
    ));
    if literal {
        d.note("every rule is an exact address: a `hash:` or `texthash:` table of them costs well under 1 KB an address in total (PFT011 shows the conversion)");
    }
    if let Some(plan) = &plan {
        d.note(format!(
            "merging adjacent rules that share a result turns {} rules into {}: {} patterns instead of {} (--fix)",
            plan.merged_rules,
            plan.into,
            plan.patterns_after,
            lengths.len()
        ));
    }
    if table.engine == Engine::Regexp {
        d.note("a `pcre:` table of the same rules costs several times less per pattern");
    }
    d.note(format!(
        "otherwise name it `proxy:{engine}:{path}` and list that in proxy_read_maps: proxymap(8) then holds one copy for every process"
    ));
    if let Some(plan) = plan {
        d.fix(Fix::safe(
            format!("merge {} rules into {}", plan.merged_rules, plan.into),
            plan.edits,
        ));
    }
}

/// Every kept rule is an exact, anchored address with a constant result.
pub(crate) fn every_rule_is_an_address(table: &Table) -> bool {
    let validation = table.validation();
    let mut rules = 0;
    for (i, line) in table.lines.iter().enumerate() {
        let Statement::Rule(rule) = &line.statement else {
            if validation.kept[i] {
                return false;
            }
            continue;
        };
        if !validation.kept[i] {
            continue;
        }
        let Ok(first) = &rule.first else { return false };
        if first.negated || rule.second.is_some() || validation.max_sub[i] > 0 {
            return false;
        }
        let exact = literal::atoms(&line.text[first.body.clone()])
            .and_then(|a| literal::anchored_text(&a))
            .is_some_and(|t| is_address(&t));
        if !exact || !first.options.caseless(table.engine) {
            return false;
        }
        rules += 1;
    }
    rules > 0
}

/// `user@domain`: an `@` with text on both sides (a leading `@domain` is a catch-all key in
/// hash: tables, not an address).
pub(crate) fn is_address(text: &[u8]) -> bool {
    text.iter()
        .position(|&b| b == b'@')
        .is_some_and(|at| at > 0 && at + 1 < text.len())
}
