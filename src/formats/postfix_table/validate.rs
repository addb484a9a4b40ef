//! What Postfix says when it opens the table, in its words and its order: each rule is checked
//! and compiled as `dict_regexp_parseline()` / `dict_pcre_parse_rule()` do, `if`/`endif` are
//! matched as `dict_*_open()` matches them (an `if` whose pattern does not compile opens no
//! block), and unclosed `if`s are reported last.

use std::ops::Range;

use super::engine;
use super::{Engine, Logical, Pattern, PatternError, Statement};

/// Which rule reports a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    InvalidRegex,
    MissingDelimiter,
    UnknownFlag,
    IfEndifMismatch,
    ReplacementIndexOutOfRange,
    GroupReferenceInNegatedRule,
    IndentedRuleContinuesPrevious,
    MissingResult,
    BadReplacementSyntax,
}

/// How Postfix prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wording {
    /// `regexp map FILE, line N: TEXT`.
    Located(String),
    /// Without a place (`mac_parse`'s `empty macro name: "…"`).
    Plain(String),
    /// `FILE: TEXT` (readllines).
    File(String),
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: Kind,
    /// Index of the logical line in `Table::lines`.
    pub logical: usize,
    /// Postfix's line number.
    pub line: usize,
    /// Where it is in the file.
    pub span: Range<usize>,
    pub wording: Wording,
    /// Whether Postfix drops the rule (or the statement) because of it.
    pub skips: bool,
}

impl Problem {
    /// The text after `postmap: warning: `, for a table opened as `engine:path`.
    pub fn postmap_warning(&self, engine: Engine, path: &str) -> String {
        match &self.wording {
            Wording::Located(text) => {
                format!("{} map {path}, line {}: {text}", engine.name(), self.line)
            }
            Wording::Plain(text) => text.clone(),
            Wording::File(text) => format!("{path}: {text}"),
        }
    }

    /// Postfix's words alone.
    pub fn text(&self) -> &str {
        match &self.wording {
            Wording::Located(t) | Wording::Plain(t) | Wording::File(t) => t,
        }
    }
}

/// What Postfix keeps of each logical line.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    pub problems: Vec<Problem>,
    /// Per logical line: Postfix keeps it (a rule it matches, an `if` or `endif` it counts).
    pub kept: Vec<bool>,
    /// Per logical line: the innermost open `if` (its logical index), if any.
    pub block: Vec<Option<usize>>,
    /// Per logical line: the largest `$n` of its result.
    pub max_sub: Vec<usize>,
    /// Patterns Postfix compiled and keeps (first, second and `if` patterns).
    pub patterns: usize,
    /// Patterns etclint does not compile (logical line, pattern span in the file, why):
    /// taken as valid, their groups counted from the text.
    pub unchecked: Vec<(usize, Range<usize>, String)>,
}

/// The longest pattern etclint compiles. glibc's `regcomp` needs memory and stack out of all
/// proportion for long alternations (4,000 alternatives, 12 KB: 260 MB; 5 million: postmap
/// crashes); PCRE2 copes with far more.
pub fn max_compiled_length(engine: Engine) -> usize {
    match engine {
        Engine::Regexp => 4096,
        Engine::Pcre => 65536,
    }
}

/// A rough size of the automaton glibc builds: each repetition of something repeated triples
/// it (`a++++` is exponential in glibc: 17 stacked `+` and `*` take it past 30 s), a bound
/// `{n,m}` multiplies it by m. Saturates.
pub fn automaton_size(body: &[u8]) -> u64 {
    // Per open group: (sum of finished atoms, size of the last atom).
    let mut stack: Vec<(u64, u64)> = vec![(0, 0)];
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        match b {
            b'(' => {
                let top = stack.last_mut().expect("never empty");
                top.0 = top.0.saturating_add(top.1);
                top.1 = 0;
                stack.push((0, 0));
            }
            b')' if stack.len() > 1 => {
                let (sum, last) = stack.pop().expect("checked");
                let top = stack.last_mut().expect("never empty");
                top.1 = sum.saturating_add(last).max(1);
            }
            b'*' | b'+' | b'?' => {
                // More than three quantifiers in a row (`a*++`) grow glibc's automaton far
                // faster than any factor: nobody means them.
                if body[i.saturating_sub(3)..i].len() == 3
                    && body[i - 3..i]
                        .iter()
                        .all(|c| matches!(c, b'*' | b'+' | b'?'))
                {
                    return u64::MAX;
                }
                let top = stack.last_mut().expect("never empty");
                top.1 = top.1.max(1).saturating_mul(3);
            }
            b'{' if body.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let end = body[i..]
                    .iter()
                    .position(|&c| c == b'}')
                    .map_or(body.len(), |k| i + k);
                let bound = body[i + 1..end]
                    .split(|&c| c == b',')
                    .filter_map(|n| std::str::from_utf8(n).ok()?.parse::<u64>().ok())
                    .max()
                    .unwrap_or(1)
                    .saturating_add(1);
                let top = stack.last_mut().expect("never empty");
                top.1 = top.1.max(1).saturating_mul(bound);
                i = end;
            }
            _ => {
                if b == b'\\' {
                    i += 1;
                } else if b == b'[' {
                    // A bracket expression is one atom: skip to its `]`.
                    let mut k = i + 1;
                    if body.get(k) == Some(&b'^') {
                        k += 1;
                    }
                    if body.get(k) == Some(&b']') {
                        k += 1;
                    }
                    while k < body.len() && body[k] != b']' {
                        k += 1;
                    }
                    i = k;
                }
                let top = stack.last_mut().expect("never empty");
                top.0 = top.0.saturating_add(top.1);
                top.1 = if b == b'|' { 0 } else { 1 };
            }
        }
        i += 1;
    }
    stack.iter().fold(0u64, |n, &(sum, last)| {
        n.saturating_add(sum).saturating_add(last)
    })
}

/// Above this [`automaton_size`] glibc's regcomp is not called: it would need gigabytes.
pub const MAX_AUTOMATON_SIZE: u64 = 20_000;

/// Why etclint does not compile a pattern, if it does not.
pub fn not_compiled(body: &[u8], engine: Engine) -> Option<String> {
    if body.len() > max_compiled_length(engine) {
        return Some(format!(
            "this pattern of {} bytes is too long for etclint to compile",
            body.len()
        ));
    }
    if engine == Engine::Regexp && automaton_size(body) > MAX_AUTOMATON_SIZE {
        return Some("this pattern repeats repetitions (`a++`, `(a+)+`, large `{n,m}`): glibc's regcomp would need memory exponential in them".into());
    }
    None
}

/// The capturing groups of a pattern counted from its text: `(` not escaped, not in a
/// bracket expression, and for PCRE not `(?`.
fn count_groups(body: &[u8], engine: Engine, extended: bool) -> usize {
    let mut groups = 0;
    let mut i = 0;
    let mut in_bracket = false;
    while i < body.len() {
        match body[i] {
            b'\\' if !in_bracket => {
                if !extended && body.get(i + 1) == Some(&b'(') {
                    groups += 1;
                }
                i += 1;
            }
            b'[' if !in_bracket => {
                in_bracket = true;
                if body.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if body.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if in_bracket => in_bracket = false,
            b'(' if !in_bracket
                && extended
                && !(engine == Engine::Pcre && body.get(i + 1) == Some(&b'?')) =>
            {
                groups += 1
            }
            _ => {}
        }
        i += 1;
    }
    groups
}

/// The `$n` references of a result, as `mac_parse()` with the pre-scan callback reads it.
#[derive(Debug, Clone, Default)]
pub struct ResultScan {
    pub max_sub: usize,
    /// Each `$n` / `${n}` / `$(n)` with its range in the result.
    pub references: Vec<Range<usize>>,
    /// Postfix's warnings: (located, text).
    pub warnings: Vec<(bool, String)>,
    pub error: bool,
}

/// `mac_parse(result, dict_*_prescan)`.
pub fn scan_result(result: &[u8], engine: Engine) -> ResultScan {
    let mut scan = ResultScan::default();
    let whole = String::from_utf8_lossy(result).into_owned();
    let mut at = 0;
    while at < result.len() {
        if result[at] != b'$' {
            at += 1;
            continue;
        }
        if result.get(at + 1) == Some(&b'$') {
            at += 2;
            continue;
        }
        let start = at;
        at += 1;
        let name: &[u8];
        match result.get(at) {
            Some(&open @ (b'{' | b'(')) => {
                let close = if open == b'{' { b'}' } else { b')' };
                let mut level = 1;
                let mut end = at + 1;
                loop {
                    let Some(&c) = result.get(end) else {
                        scan.warnings
                            .push((false, format!("truncated macro reference: \"{whole}\"")));
                        scan.error = true;
                        return scan;
                    };
                    if c == open {
                        level += 1;
                    }
                    if c == close {
                        level -= 1;
                    }
                    end += 1;
                    if level == 0 {
                        break;
                    }
                }
                name = &result[at + 1..end - 1];
                at = end;
            }
            _ => {
                let end = result[at..]
                    .iter()
                    .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                    .map_or(result.len(), |i| at + i);
                name = &result[at..end];
                at = end;
            }
        }
        if name.is_empty() {
            scan.warnings
                .push((false, format!("empty macro name: \"{whole}\"")));
            scan.error = true;
            return scan;
        }
        let shown = String::from_utf8_lossy(name);
        if !name.iter().all(u8::is_ascii_digit) {
            scan.warnings
                .push((true, format!("non-numeric replacement index \"{shown}\"")));
            scan.error = true;
            continue;
        }
        let n = name.iter().fold(0usize, |n, &d| {
            n.saturating_mul(10).saturating_add((d - b'0') as usize)
        });
        if n < 1 {
            let hyphen = if engine == Engine::Regexp {
                "out-of-range"
            } else {
                "out of range"
            };
            scan.warnings
                .push((true, format!("{hyphen} replacement index \"{shown}\"")));
            scan.error = true;
            continue;
        }
        scan.max_sub = scan.max_sub.max(n);
        scan.references.push(start..at);
    }
    scan
}

struct Checker<'a> {
    lines: &'a [Logical],
    engine: Engine,
    out: Validation,
    /// Per logical line, its patterns compiled ahead in parallel (first or `if`, second).
    ahead: Vec<[Option<Result<engine::Compiled, String>>; 2]>,
}

/// Above this many logical lines the patterns are compiled on every core first; the ordered
/// pass then only reads the results.
const PARALLEL_FROM: usize = 2000;

fn compile_ahead(
    lines: &[Logical],
    engine: Engine,
) -> Vec<[Option<Result<engine::Compiled, String>>; 2]> {
    use rayon::prelude::*;
    let job = |line: &Logical, p: &Pattern, substitutes: bool| {
        let body = &line.text[p.body.clone()];
        not_compiled(body, engine)
            .is_none()
            .then(|| engine::compile(engine, body, p.options, substitutes))
    };
    lines
        .par_iter()
        .with_min_len(256)
        .map(|line| {
            let mut out = [None, None];
            match &line.statement {
                Statement::Rule(rule) => {
                    if let Ok(first) = &rule.first {
                        let substitutes = rule.result.as_ref().is_some_and(|r| {
                            scan_result(&line.text[r.clone()], engine).max_sub > 0
                        });
                        out[0] = job(line, first, substitutes);
                        if let Some(Ok(second)) = &rule.second {
                            out[1] = job(line, second, false);
                        }
                    }
                }
                Statement::If(stmt) => {
                    if let Ok(p) = &stmt.pattern {
                        out[0] = job(line, p, false);
                    }
                }
                _ => {}
            }
            out
        })
        .collect()
}

impl Checker<'_> {
    fn push(
        &mut self,
        kind: Kind,
        logical: usize,
        span: Range<usize>,
        wording: Wording,
        skips: bool,
    ) {
        self.out.problems.push(Problem {
            kind,
            logical,
            line: self.lines[logical].line,
            span,
            wording,
            skips,
        });
    }

    fn located(
        &mut self,
        kind: Kind,
        logical: usize,
        span: Range<usize>,
        text: String,
        skips: bool,
    ) {
        self.push(kind, logical, span, Wording::Located(text), skips);
    }

    /// The warning of a pattern that did not parse.
    fn pattern_error(&mut self, logical: usize, error: &PatternError) {
        let line = &self.lines[logical];
        let whole = line.span.clone();
        let consequence = if self.engine == Engine::Pcre {
            "ignoring this rule"
        } else {
            "skipping this rule"
        };
        match *error {
            PatternError::NoRegexp => self.located(
                Kind::MissingDelimiter,
                logical,
                whole,
                "no regexp: skipping this rule".into(),
                true,
            ),
            PatternError::NoClosingDelimiter { delimiter, at } => {
                let span = line.source_span(&(at..line.text.len()));
                self.located(
                    Kind::MissingDelimiter,
                    logical,
                    span,
                    format!(
                        "no closing regexp delimiter \"{}\": {consequence}",
                        char::from(delimiter)
                    ),
                    true,
                )
            }
            PatternError::UnknownOption { option, at } => {
                let span = line.source_span(&(at..at + 1));
                self.located(
                    Kind::UnknownFlag,
                    logical,
                    span,
                    format!(
                        "unknown regexp option \"{}\": skipping this rule",
                        char::from(option)
                    ),
                    true,
                )
            }
        }
    }

    fn obsolete(&mut self, logical: usize, pattern: &Pattern) {
        for &at in &pattern.obsolete {
            let span = self.lines[logical].source_span(&(at..at + 1));
            self.located(
                Kind::UnknownFlag,
                logical,
                span,
                "ignoring obsolete regexp option \"X\"".into(),
                false,
            );
        }
    }

    fn compile(
        &mut self,
        logical: usize,
        pattern: &Pattern,
        substitutes: bool,
        slot: usize,
    ) -> Option<usize> {
        let line = &self.lines[logical];
        let body = &line.text[pattern.body.clone()];
        if let Some(why) = not_compiled(body, self.engine) {
            let span = line.source_span(&pattern.body);
            self.out.unchecked.push((logical, span, why));
            self.out.patterns += 1;
            return Some(count_groups(
                body,
                self.engine,
                pattern.options.plain_syntax(self.engine) || self.engine == Engine::Pcre,
            ));
        }
        let compiled = self
            .ahead
            .get_mut(logical)
            .and_then(|slots| slots[slot].take())
            .unwrap_or_else(|| engine::compile(self.engine, body, pattern.options, substitutes));
        match compiled {
            Ok(compiled) => {
                self.out.patterns += 1;
                Some(compiled.groups)
            }
            Err(message) => {
                let span = line.source_span(&pattern.body);
                self.located(Kind::InvalidRegex, logical, span, message, true);
                None
            }
        }
    }

    fn rule(&mut self, i: usize, rule: &super::Rule) -> bool {
        let line = &self.lines[i];
        let first = match &rule.first {
            Ok(p) => p,
            Err(e) => {
                self.pattern_error(i, e);
                return false;
            }
        };
        self.obsolete(i, first);
        let second = match &rule.second {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                self.pattern_error(i, e);
                return false;
            }
            None => None,
        };
        let result = rule
            .result
            .clone()
            .unwrap_or(line.text.len()..line.text.len());
        if result.is_empty() {
            let span = line.source_span(&first.span);
            self.located(
                Kind::MissingResult,
                i,
                span,
                "no replacement text: using empty string".into(),
                false,
            );
        }
        let result_span = line.source_span(&result);
        let scan = scan_result(&line.text[result.clone()], self.engine);
        for (located, text) in &scan.warnings {
            let wording = if *located {
                Wording::Located(text.clone())
            } else {
                Wording::Plain(text.clone())
            };
            let kind = if text.contains("range replacement index") {
                Kind::ReplacementIndexOutOfRange
            } else {
                Kind::BadReplacementSyntax
            };
            self.push(kind, i, result_span.clone(), wording, false);
        }
        if scan.error {
            self.located(
                Kind::BadReplacementSyntax,
                i,
                result_span,
                "bad replacement syntax: skipping this rule".into(),
                true,
            );
            return false;
        }
        self.out.max_sub[i] = scan.max_sub;
        if scan.max_sub > 0 && first.negated {
            self.located(
                Kind::GroupReferenceInNegatedRule,
                i,
                result_span,
                "$number found in negative match replacement text: skipping this rule".into(),
                true,
            );
            return false;
        }
        let before = self.out.patterns;
        let Some(groups) = self.compile(i, first, scan.max_sub > 0, 0) else {
            return false;
        };
        if scan.max_sub > groups {
            self.out.patterns = before;
            self.located(
                Kind::ReplacementIndexOutOfRange,
                i,
                result_span,
                format!(
                    "out of range replacement index \"{}\": skipping this rule",
                    scan.max_sub
                ),
                true,
            );
            return false;
        }
        if let Some(second) = second {
            if self.compile(i, second, false, 1).is_none() {
                self.out.patterns = before;
                return false;
            }
        }
        true
    }
}

/// Checks and compiles every statement as Postfix does when it opens the table.
pub fn validate(lines: &[Logical], engine: Engine) -> Validation {
    let n = lines.len();
    let mut checker = Checker {
        lines,
        engine,
        out: Validation {
            kept: vec![false; n],
            block: vec![None; n],
            max_sub: vec![0; n],
            ..Validation::default()
        },
        ahead: if n >= PARALLEL_FROM {
            compile_ahead(lines, engine)
        } else {
            Vec::new()
        },
    };
    let mut open: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        checker.out.block[i] = open.last().copied();
        let kept = match &line.statement {
            Statement::Empty => false,
            Statement::Indented => {
                let shown: String =
                    String::from_utf8_lossy(&line.text[..line.text.len().min(30)]).into_owned();
                let more = if line.text.len() > 30 { "..." } else { "" };
                checker.push(
                    Kind::IndentedRuleContinuesPrevious,
                    i,
                    line.span.clone(),
                    Wording::File(format!(
                        "logical line must not start with whitespace: \"{shown}{more}\""
                    )),
                    true,
                );
                false
            }
            Statement::Unrecognized => {
                checker.located(
                    Kind::MissingDelimiter,
                    i,
                    line.span.clone(),
                    "ignoring unrecognized request".into(),
                    true,
                );
                false
            }
            Statement::Rule(rule) => checker.rule(i, rule),
            Statement::If(stmt) => match &stmt.pattern {
                Err(e) => {
                    checker.pattern_error(i, e);
                    false
                }
                Ok(pattern) => {
                    checker.obsolete(i, pattern);
                    if let Some(extra) = &stmt.extra {
                        let span = line.source_span(extra);
                        let shown = String::from_utf8_lossy(&line.text[extra.clone()]).into_owned();
                        checker.located(
                            Kind::IndentedRuleContinuesPrevious,
                            i,
                            span.clone(),
                            format!("ignoring extra text after IF statement: \"{shown}\""),
                            false,
                        );
                        checker.located(
                            Kind::IndentedRuleContinuesPrevious,
                            i,
                            span,
                            "do not prepend whitespace to statements between IF and ENDIF".into(),
                            false,
                        );
                    }
                    let ok = checker.compile(i, pattern, false, 0).is_some();
                    if ok {
                        open.push(i);
                    }
                    ok
                }
            },
            Statement::Endif(stmt) => {
                if open.is_empty() {
                    checker.located(
                        Kind::IfEndifMismatch,
                        i,
                        line.span.clone(),
                        "ignoring ENDIF without matching IF".into(),
                        true,
                    );
                    false
                } else {
                    if let Some(extra) = &stmt.extra {
                        let span = line.source_span(extra);
                        checker.located(
                            Kind::IfEndifMismatch,
                            i,
                            span,
                            "ignoring extra text after ENDIF".into(),
                            false,
                        );
                    }
                    open.pop();
                    checker.out.block[i] = open.last().copied();
                    true
                }
            }
        };
        checker.out.kept[i] = kept;
    }
    while let Some(i) = open.pop() {
        let span = lines[i].span.clone();
        checker.located(
            Kind::IfEndifMismatch,
            i,
            span,
            "IF has no matching ENDIF".into(),
            false,
        );
    }
    checker.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str, engine: Engine) -> Vec<String> {
        let (lines, _) = super::super::parse(text.as_bytes(), engine);
        validate(&lines, engine)
            .problems
            .iter()
            .map(|p| p.postmap_warning(engine, "t"))
            .collect()
    }

    #[test]
    fn postfix_order_and_words() {
        let w = warnings(
            "/(a/ R1\n/b R2\n/c/q R3\n/d/\nendif x\nif /z/\n/e/ R$2\n!/f(g)/ $1\nxyz\n/a$/ x$ y\n",
            Engine::Regexp,
        );
        assert_eq!(
            w,
            [
                "regexp map t, line 1: Unmatched ( or \\(",
                "regexp map t, line 2: no closing regexp delimiter \"/\": skipping this rule",
                "regexp map t, line 3: unknown regexp option \"q\": skipping this rule",
                "regexp map t, line 4: no replacement text: using empty string",
                "regexp map t, line 5: ignoring ENDIF without matching IF",
                "regexp map t, line 7: out of range replacement index \"2\": skipping this rule",
                "regexp map t, line 8: $number found in negative match replacement text: skipping this rule",
                "regexp map t, line 9: ignoring unrecognized request",
                "empty macro name: \"x$ y\"",
                "regexp map t, line 10: bad replacement syntax: skipping this rule",
                "regexp map t, line 6: IF has no matching ENDIF",
            ]
        );
    }

    #[test]
    fn automaton_sizes() {
        assert!(automaton_size(b"^list-(a|b|c)@x\\.com$") < 100);
        assert!(automaton_size(b"a{1,5000}") < MAX_AUTOMATON_SIZE);
        assert!(automaton_size(b"^pos+++*+++++++++++++.org$") > MAX_AUTOMATON_SIZE);
        assert!(automaton_size(b"s++++++++++++++++++++++++++++++") > MAX_AUTOMATON_SIZE);
        assert!(automaton_size(b"((((a{1,100}){1,100}){1,100}))") > MAX_AUTOMATON_SIZE);
        assert!(automaton_size(b"[+*]+[a]") < 10);
        assert_eq!(automaton_size(b"^`*+++++++<+tma"), u64::MAX);
    }

    #[test]
    fn result_references() {
        let s = scan_result(b"a $1 ${2} $(3) $$4", Engine::Pcre);
        assert_eq!(s.max_sub, 3);
        assert!(!s.error);
        assert!(scan_result(b"${1", Engine::Pcre).error);
        assert!(scan_result(b"$x", Engine::Pcre).error);
    }
}
