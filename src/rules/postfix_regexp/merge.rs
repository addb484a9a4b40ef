//! The merge fix of PFT010: each run of adjacent literal rules with the same result and flags
//! (no negation, no `$n`, no `if`/`endif` or other statement between them) becomes as few
//! rules as readability allows, each the alternation of its rules with the shared literal
//! prefix and suffix factored out. The first match wins, so only adjacent rules with one
//! result are merged: a key that matched one of them gets the same result from the merged
//! rule, and a key that matched none of them matches none of the alternatives.

use crate::fix::Edit;
use crate::formats::postfix_table::engine::{self, Options};
use crate::formats::postfix_table::literal::{self, Atom};
use crate::formats::postfix_table::validate::not_compiled;
use crate::formats::postfix_table::{Engine, Statement, Table};

/// One mergeable rule.
struct Candidate {
    logical: usize,
    atoms: Vec<Atom>,
    result: Vec<u8>,
    options: Options,
    flags: Vec<u8>,
    block: Option<usize>,
    /// The rule's line as written (for rules that stay as they are).
    written: Vec<u8>,
}

/// What merging gives.
pub struct Plan {
    pub edits: Vec<Edit>,
    /// Rules replaced, and the rules that replace them.
    pub merged_rules: usize,
    pub into: usize,
    /// Patterns of the table after the merge.
    pub patterns_after: usize,
}

/// The edits that merge the table's runs; `None` when nothing merges.
pub fn plan(table: &Table, max_length: usize) -> Option<Plan> {
    let validation = table.validation();
    let mut runs: Vec<Vec<Candidate>> = Vec::new();
    let mut current: Vec<Candidate> = Vec::new();
    for i in 0..table.lines.len() {
        let candidate = candidate(table, i);
        match candidate {
            Some(c)
                if current.last().is_none_or(|last| {
                    last.result == c.result && last.options == c.options && last.block == c.block
                }) =>
            {
                current.push(c)
            }
            Some(c) => {
                runs.push(std::mem::take(&mut current));
                current.push(c);
            }
            // Any other statement ends the run: the first match wins.
            None => runs.push(std::mem::take(&mut current)),
        }
    }
    runs.push(current);

    let mut edits = Vec::new();
    let mut merged_rules = 0;
    let mut into = 0;
    let mut removed = 0;
    for run in runs.into_iter().filter(|r| r.len() >= 2) {
        let groups = group(&run);
        let mut replacement: Vec<u8> = Vec::new();
        let first = &table.lines[run[0].logical];
        let last = &table.lines[run[run.len() - 1].logical];
        let span = first.span.start..last.span.end;
        for comment in &table.comments {
            if comment.start > span.start && comment.end <= span.end {
                replacement.extend_from_slice(&table.bytes()[comment.clone()]);
                replacement.push(b'\n');
            }
        }
        let mut rules_out = 0;
        for group in groups {
            for chunk in split(&group, max_length) {
                if !replacement.is_empty() && !replacement.ends_with(b"\n") {
                    replacement.push(b'\n');
                }
                if chunk.len() == 1 {
                    replacement.extend_from_slice(&chunk[0].written);
                } else {
                    match merged(&chunk, table.engine) {
                        Some(rule) => replacement.extend_from_slice(&rule),
                        None => {
                            for (k, c) in chunk.iter().enumerate() {
                                if k > 0 {
                                    replacement.push(b'\n');
                                }
                                replacement.extend_from_slice(&c.written);
                            }
                            rules_out += chunk.len() - 1;
                        }
                    }
                }
                rules_out += 1;
            }
        }
        if rules_out >= run.len() {
            continue;
        }
        let Ok(text) = String::from_utf8(replacement) else {
            continue;
        };
        merged_rules += run.len();
        into += rules_out;
        removed += run.len() - rules_out;
        edits.push(Edit::replace(span, text));
    }
    if edits.is_empty() {
        return None;
    }
    Some(Plan {
        edits,
        merged_rules,
        into,
        patterns_after: validation.patterns.saturating_sub(removed),
    })
}

/// A rule the merge may take: one kept, single-line, literal rule without negation, second
/// pattern or `$n`, in the table's default syntax, written in UTF-8.
fn candidate(table: &Table, i: usize) -> Option<Candidate> {
    let validation = table.validation();
    let line = &table.lines[i];
    let Statement::Rule(rule) = &line.statement else {
        return None;
    };
    if !validation.kept[i] || !line.is_single_line() || validation.max_sub[i] > 0 {
        return None;
    }
    let first = rule.first.as_ref().ok()?;
    if first.negated || rule.second.is_some() || !first.options.plain_syntax(table.engine) {
        return None;
    }
    let result = rule.result.clone()?;
    if result.is_empty() {
        return None;
    }
    let atoms = literal::atoms(&line.text[first.body.clone()])?;
    let written = table.bytes()[line.span.clone()].to_vec();
    std::str::from_utf8(&written).ok()?;
    Some(Candidate {
        logical: i,
        atoms,
        result: line.text[result].to_vec(),
        options: first.options,
        flags: line.text[first.flags.clone()].to_vec(),
        block: validation.block[i],
        written,
    })
}

fn is_separator(atom: &Atom) -> bool {
    matches!(
        atom,
        Atom::Char(b'-' | b'+' | b'_' | b'@' | b'=') | Atom::Escaped(b'.' | b'-' | b'+')
    )
}

fn common_prefix(a: &[Atom], b: &[Atom]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Groups a run by the literal prefix its rules share up to the first separator after what the
/// whole run shares (`^list0001-`), so that each mailing list's addresses become one rule;
/// rules that share nothing with their neighbours go together.
fn group(run: &[Candidate]) -> Vec<Vec<&Candidate>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<&Candidate> = run.iter().filter(|c| seen.insert(&c.atoms)).collect();
    let shared = unique.iter().skip(1).fold(unique[0].atoms.len(), |n, c| {
        n.min(common_prefix(&unique[0].atoms, &c.atoms))
    });
    let key = |c: &Candidate| -> Vec<Atom> {
        match c.atoms[shared..].iter().position(is_separator) {
            Some(i) => c.atoms[..shared + i + 1].to_vec(),
            None => c.atoms.clone(),
        }
    };
    let mut groups: Vec<(Vec<Atom>, Vec<&Candidate>)> = Vec::new();
    for c in unique {
        let k = key(c);
        match groups.last_mut() {
            Some((last, members)) if *last == k => members.push(c),
            _ => groups.push((k, vec![c])),
        }
    }
    // Neighbouring rules that share no prefix with anyone become one group.
    let mut out: Vec<Vec<&Candidate>> = Vec::new();
    let mut lone_run = false;
    for (_, members) in groups {
        let lone = members.len() == 1;
        match out.last_mut() {
            Some(last) if lone && lone_run => last.extend(members),
            _ => out.push(members),
        }
        lone_run = lone;
    }
    out
}

/// Splits a group into chunks whose merged pattern stays within `max_length` characters
/// (counted before the shared prefix and suffix are taken out: a chunk is never longer).
fn split<'c>(group: &[&'c Candidate], max_length: usize) -> Vec<Vec<&'c Candidate>> {
    let mut out: Vec<Vec<&Candidate>> = Vec::new();
    let mut chunk: Vec<&Candidate> = Vec::new();
    let mut length = 0;
    for &c in group {
        let more = 1 + c
            .atoms
            .iter()
            .map(|a| if matches!(a, Atom::Escaped(_)) { 2 } else { 1 })
            .sum::<usize>();
        if !chunk.is_empty() && length + more > max_length {
            out.push(std::mem::take(&mut chunk));
            length = 0;
        }
        chunk.push(c);
        length += more;
    }
    if !chunk.is_empty() {
        out.push(chunk);
    }
    out
}

/// The merged pattern body: shared prefix, `(alt|alt|…)`, shared suffix.
fn pattern(chunk: &[&Candidate], engine: Engine) -> Vec<u8> {
    let shortest = chunk.iter().map(|c| c.atoms.len()).min().unwrap_or(0);
    let prefix = chunk.iter().skip(1).fold(shortest, |n, c| {
        n.min(common_prefix(&chunk[0].atoms, &c.atoms))
    });
    // Every alternative keeps at least one atom: no empty alternative.
    let prefix = prefix.min(shortest.saturating_sub(1));
    let suffix = chunk
        .iter()
        .skip(1)
        .fold(shortest - prefix, |n, c| {
            let a = &chunk[0].atoms;
            let b = &c.atoms;
            n.min(
                a.iter()
                    .rev()
                    .zip(b.iter().rev())
                    .take_while(|(x, y)| x == y)
                    .count(),
            )
        })
        .min(shortest.saturating_sub(prefix + 1));
    let mut out = Vec::new();
    literal::render(&chunk[0].atoms[..prefix], b'/', &mut out);
    out.extend_from_slice(match engine {
        Engine::Regexp => b"(",
        Engine::Pcre => b"(?:",
    });
    for (k, c) in chunk.iter().enumerate() {
        if k > 0 {
            out.push(b'|');
        }
        literal::render(&c.atoms[prefix..c.atoms.len() - suffix], b'/', &mut out);
    }
    out.push(b')');
    let a = &chunk[0].atoms;
    literal::render(&a[a.len() - suffix..], b'/', &mut out);
    out
}

/// The merged rule, if the engine compiles its pattern.
fn merged(chunk: &[&Candidate], engine: Engine) -> Option<Vec<u8>> {
    let body = pattern(chunk, engine);
    if not_compiled(&body, engine).is_some() {
        return None;
    }
    engine::compile(engine, &body, chunk[0].options, false).ok()?;
    let mut rule = Vec::with_capacity(body.len() + 32);
    rule.push(b'/');
    rule.extend_from_slice(&body);
    rule.push(b'/');
    rule.extend_from_slice(&chunk[0].flags);
    rule.push(b' ');
    rule.extend_from_slice(&chunk[0].result);
    Some(rule)
}
