//! PFT012: an unescaped `.` between letters or digits in a literal address or domain pattern
//! (`/user@example.com/`): it matches any character, so `userXexample.com` matches too.

use crate::fix::{Edit, Fix};
use crate::formats::postfix_table::{literal, Logical, Pattern, Statement, Table};
use crate::rules::Reporter;

table_rule! {
    code: "PFT012",
    name: "unescaped-dot",
    prefilter: &[&["."]],
    run: run,
}

fn run(table: &Table, cx: &mut Reporter) {
    for (i, line) in table.lines.iter().enumerate() {
        if !table.validation().kept[i] {
            continue;
        }
        let patterns: Vec<&Pattern> = match &line.statement {
            Statement::Rule(rule) => rule
                .first
                .iter()
                .chain(rule.second.iter().flatten())
                .collect(),
            Statement::If(stmt) => stmt.pattern.iter().collect(),
            _ => continue,
        };
        for pattern in patterns {
            check(line, pattern, cx);
        }
    }
}

fn check(line: &Logical, pattern: &Pattern, cx: &mut Reporter) {
    let body = &line.text[pattern.body.clone()];
    if literal::atoms(body).is_none() {
        return;
    }
    let mut dots = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 1,
            b'.' if i > 0
                && body[i - 1].is_ascii_alphanumeric()
                && body.get(i + 1).is_some_and(|b| b.is_ascii_alphanumeric()) =>
            {
                dots.push(i)
            }
            _ => {}
        }
        i += 1;
    }
    let reads_as_domain = body.contains(&b'@')
        || dots.last().is_some_and(|&d| {
            let tld = &body[d + 1..];
            let tld: Vec<u8> = tld
                .iter()
                .copied()
                .take_while(|b| b.is_ascii_alphabetic())
                .collect();
            tld.len() >= 2
        });
    if dots.is_empty() || !reads_as_domain {
        return;
    }
    let text = String::from_utf8_lossy(body).into_owned();
    let mut example = body.to_vec();
    example[dots[0]] = b'X';
    let example: String = String::from_utf8_lossy(&example)
        .trim_start_matches('^')
        .trim_end_matches('$')
        .to_string();
    let at = |d: usize| line.source_offset(pattern.body.start + d);
    let edits = dots
        .iter()
        .map(|&d| Edit::replace(at(d)..at(d) + 1, "\\."))
        .collect();
    let d = cx.report(
        at(dots[0])..at(dots[0]) + 1,
        format!("unescaped `.` in `{text}` matches any character: `{example}` matches too"),
    );
    d.fix(Fix::unsafe_("escape the dots: `\\.`", edits));
}
