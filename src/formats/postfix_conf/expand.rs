//! Postfix's macro syntax (`mac_parse()`, `mac_expand()`): `$name`, `${name}`, `$(name)`,
//! `${name?value}`, `${name:value}`, `${name?{v1}:{v2}}`, `${{a} == {b}?…}` and `$$` for a
//! literal `$`. [`scan`] finds the references of a value in one pass (no re-scanning, so
//! the cost is linear and `a = $b`, `b = $a` cannot loop); [`Expander`] evaluates values,
//! depth-limited as Postfix is, for the rules that need to know what a list holds.

use std::ops::Range;

/// Postfix's name characters.
pub fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// One `$name` in a value (offsets in the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroRef {
    pub name: Range<usize>,
    /// From the `$` to the end of the name, or to the closing bracket.
    pub span: Range<usize>,
}

/// What makes postconf stop: `warning: empty macro name: "…"` or `truncated macro
/// reference: "…"`, then `fatal: dictionary mail_dict: macro processing error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacroError {
    EmptyName { at: usize },
    Truncated { at: usize },
}

impl MacroError {
    /// postconf's words, without the quoted value.
    pub fn words(self) -> &'static str {
        match self {
            Self::EmptyName { .. } => "empty macro name",
            Self::Truncated { .. } => "truncated macro reference",
        }
    }

    pub fn at(self) -> usize {
        match self {
            Self::EmptyName { at } | Self::Truncated { at } => at,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Scan {
    pub refs: Vec<MacroRef>,
    pub error: Option<MacroError>,
}

/// No closing bracket.
const UNMATCHED: u32 = u32::MAX;

/// Scans value after value with the same buffers, so that a file's scan allocates once and
/// not per value.
#[derive(Debug, Default)]
pub struct Scanner {
    /// The matching closing bracket of each opening `{` and `(`.
    closing: Vec<u32>,
    braces: Vec<u32>,
    parens: Vec<u32>,
}

impl Scanner {
    /// One stack per kind of bracket (one vector of answers for both): a scan of every value
    /// must not cost more than the value.
    fn match_brackets(&mut self, value: &[u8]) {
        self.closing.clear();
        self.closing.resize(value.len(), UNMATCHED);
        self.braces.clear();
        self.parens.clear();
        for (i, &b) in value.iter().enumerate() {
            let (stack, opens) = match b {
                b'{' | b'}' => (&mut self.braces, b == b'{'),
                b'(' | b')' => (&mut self.parens, b == b'('),
                _ => continue,
            };
            if opens {
                stack.push(i as u32);
            } else if let Some(o) = stack.pop() {
                self.closing[o as usize] = i as u32;
            }
        }
    }

    /// Appends the references of a value to `refs`, up to the first error (where postconf
    /// stops), and returns that error.
    pub fn scan_into(&mut self, value: &[u8], refs: &mut Vec<MacroRef>) -> Option<MacroError> {
        memchr::memchr(b'$', value)?;
        let brackets = memchr::memchr2(b'{', b'(', value).is_some();
        if brackets {
            self.match_brackets(value);
        }
        let mut at = 0;
        while let Some(i) = memchr::memchr(b'$', &value[at..]).map(|i| at + i) {
            let next = value.get(i + 1).copied();
            if next == Some(b'$') {
                at = i + 2;
                continue;
            }
            if let Some(b'{' | b'(') = next {
                let close = self.closing[i + 1];
                if close == UNMATCHED {
                    return Some(MacroError::Truncated { at: i });
                }
                let close = close as usize;
                let inner = i + 2;
                // A relational expression `${{a} op {b}?…}` names nothing itself; the `$`s
                // inside are found as the scan goes on.
                if value.get(inner) != Some(&b'{') {
                    let end = value[inner..close]
                        .iter()
                        .position(|&b| !is_name_byte(b))
                        .map_or(close, |n| inner + n);
                    if end == inner {
                        return Some(MacroError::EmptyName { at: i });
                    }
                    let whole = end == close;
                    refs.push(MacroRef {
                        name: inner..end,
                        span: i..if whole { close + 1 } else { end },
                    });
                }
                at = inner;
                continue;
            }
            let end = value[i + 1..]
                .iter()
                .position(|&b| !is_name_byte(b))
                .map_or(value.len(), |n| i + 1 + n);
            if end == i + 1 {
                return Some(MacroError::EmptyName { at: i });
            }
            refs.push(MacroRef {
                name: i + 1..end,
                span: i..end,
            });
            at = end;
        }
        None
    }
}

/// The references of a value, up to the first error (where postconf stops).
pub fn scan(value: &[u8]) -> Scan {
    let mut scan = Scan::default();
    scan.error = Scanner::default().scan_into(value, &mut scan.refs);
    scan
}

/// Postfix's limit on nested macro calls.
const MAX_DEPTH: usize = 100;

/// Evaluates values as Postfix does, names looked up through `lookup` (undefined: empty).
pub struct Expander<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    /// Bytes it may still produce: `a = $b $b`, `b = $c $c`… doubles at each step.
    budget: std::cell::Cell<usize>,
}

impl<'a> Expander<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            lookup,
            budget: std::cell::Cell::new(1 << 20),
        }
    }

    pub fn expand(&self, value: &str) -> String {
        self.expand_at(value.as_bytes(), 0)
    }

    fn value_of(&self, name: &[u8], depth: usize) -> Option<String> {
        let name = std::str::from_utf8(name).ok()?;
        let raw = (self.lookup)(name)?;
        Some(self.expand_at(raw.as_bytes(), depth + 1))
    }

    fn expand_at(&self, value: &[u8], depth: usize) -> String {
        if depth > MAX_DEPTH || self.budget.get() < value.len() {
            return String::new();
        }
        self.budget.set(self.budget.get() - value.len());
        let mut out: Vec<u8> = Vec::with_capacity(value.len());
        let mut i = 0;
        while i < value.len() {
            if value[i] != b'$' {
                out.push(value[i]);
                i += 1;
                continue;
            }
            match value.get(i + 1).copied() {
                Some(b'$') => {
                    out.push(b'$');
                    i += 2;
                }
                Some(open @ (b'{' | b'(')) => {
                    let close = if open == b'{' { b'}' } else { b')' };
                    let Some(end) = close_of(value, i + 1, open, close) else {
                        return String::from_utf8_lossy(&out).into_owned();
                    };
                    let inner = &value[i + 2..end];
                    out.extend_from_slice(self.expression(inner, depth).as_bytes());
                    i = end + 1;
                }
                _ => {
                    let end = value[i + 1..]
                        .iter()
                        .position(|&b| !is_name_byte(b))
                        .map_or(value.len(), |n| i + 1 + n);
                    if let Some(v) = self.value_of(&value[i + 1..end], depth) {
                        out.extend_from_slice(v.as_bytes());
                    }
                    i = end.max(i + 1);
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The inside of `${…}`.
    fn expression(&self, inner: &[u8], depth: usize) -> String {
        if inner.first() == Some(&b'{') {
            return self.relational(inner, depth).unwrap_or_default();
        }
        let end = inner
            .iter()
            .position(|&b| !is_name_byte(b))
            .unwrap_or(inner.len());
        let value = self.value_of(&inner[..end], depth);
        let set = value.as_deref().is_some_and(|v| !v.is_empty());
        match inner.get(end) {
            None => value.unwrap_or_default(),
            Some(b'?') => {
                let (yes, no) = branches(&inner[end + 1..]);
                if set {
                    self.expand_at(yes, depth + 1)
                } else {
                    no.map(|n| self.expand_at(n, depth + 1)).unwrap_or_default()
                }
            }
            Some(b':') if !set => {
                let (text, _) = branches(&inner[end + 1..]);
                self.expand_at(text, depth + 1)
            }
            _ => String::new(),
        }
    }

    /// `{a} op {b} ? {yes} : {no}`.
    fn relational(&self, inner: &[u8], depth: usize) -> Option<String> {
        let lhs_end = close_of(inner, 0, b'{', b'}')?;
        let lhs = self.expand_at(&inner[1..lhs_end], depth + 1);
        let rest = &inner[lhs_end + 1..];
        let op_start = super::skip_space(rest, 0);
        let op_end = rest[op_start..]
            .iter()
            .position(|&b| b == b'{' || super::is_space(b))
            .map_or(rest.len(), |n| op_start + n);
        let op = std::str::from_utf8(&rest[op_start..op_end]).ok()?;
        let rhs_start = super::skip_space(rest, op_end);
        let rhs_end = close_of(rest, rhs_start, b'{', b'}')?;
        let rhs = self.expand_at(&rest[rhs_start + 1..rhs_end], depth + 1);
        let after = super::skip_space(rest, rhs_end + 1);
        let truth = compare(lhs.trim(), op, rhs.trim())?;
        let tail = rest.get(after..)?;
        let (yes, no) = match tail.first() {
            Some(b'?') => branches(&tail[1..]),
            Some(b':') => {
                let (text, _) = branches(&tail[1..]);
                (&b""[..], Some(text))
            }
            _ => return None,
        };
        Some(if truth {
            self.expand_at(yes, depth + 1)
        } else {
            no.map(|n| self.expand_at(n, depth + 1)).unwrap_or_default()
        })
    }
}

/// `{v1}:{v2}`, `{v1}`, or bare text: the texts, braces and the spaces around them dropped.
fn branches(text: &[u8]) -> (&[u8], Option<&[u8]>) {
    let start = super::skip_space(text, 0);
    if text.get(start) != Some(&b'{') {
        return (text, None);
    }
    let Some(end) = close_of(text, start, b'{', b'}') else {
        return (text, None);
    };
    let yes = &text[start + 1..end];
    let after = super::skip_space(text, end + 1);
    if text.get(after) == Some(&b':') {
        let (no, _) = branches(&text[after + 1..]);
        return (yes, Some(no));
    }
    (yes, None)
}

/// The bracket closing the one at `open_at`.
fn close_of(text: &[u8], open_at: usize, open: u8, close: u8) -> Option<usize> {
    let mut level = 0usize;
    for (i, &b) in text.iter().enumerate().skip(open_at) {
        if b == open {
            level += 1;
        } else if b == close {
            level -= 1;
            if level == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Postfix's relational operators; `level` compares compatibility levels (`3.6 <level 3.10`).
fn compare(a: &str, op: &str, b: &str) -> Option<bool> {
    use std::cmp::Ordering;
    let (order, base) = match op.strip_suffix("level") {
        Some(base) => (level(a)?.cmp(&level(b)?), base),
        None => match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(x), Ok(y)) if op != "==" && op != "!=" => (x.cmp(&y), op),
            _ => (a.cmp(b), op),
        },
    };
    Some(match base {
        "==" => order == Ordering::Equal,
        "!=" => order != Ordering::Equal,
        "<" => order == Ordering::Less,
        "<=" => order != Ordering::Greater,
        ">" => order == Ordering::Greater,
        ">=" => order != Ordering::Less,
        _ => return None,
    })
}

/// `3.6` → (3, 6, 0); `0` → (0, 0, 0).
fn level(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.').map(|p| p.parse::<u32>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().transpose().ok()?.unwrap_or(0);
    let patch = parts.next().transpose().ok()?.unwrap_or(0);
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(value: &str) -> Vec<&str> {
        scan(value.as_bytes())
            .refs
            .iter()
            .map(|r| &value[r.name.clone()])
            .collect()
    }

    #[test]
    fn finds_references() {
        assert_eq!(
            names("${u1?b} ${u2:c} $(u3) ${u4} $u5 $$x $$$u6"),
            ["u1", "u2", "u3", "u4", "u5", "u6"]
        );
        assert_eq!(
            names("${a?{$b}:{$c}} ${{$d} == {x}?y}"),
            ["a", "b", "c", "d"]
        );
        assert_eq!(names("$my-thing"), ["my"]);
        assert_eq!(scan(b"a $ b").error, Some(MacroError::EmptyName { at: 2 }));
        assert_eq!(scan(b"${ab").error, Some(MacroError::Truncated { at: 0 }));
        let r = &scan(b"x ${abc} $d").refs;
        assert_eq!(r[0].span, 2..8);
        assert_eq!(r[1].span, 9..11);
    }

    #[test]
    fn expands_like_postfix() {
        let lookup = |name: &str| match name {
            "compatibility_level" => Some("3.6".to_string()),
            "a" => Some("$b".to_string()),
            "b" => Some("$a".to_string()),
            "x" => Some("X".to_string()),
            _ => None,
        };
        let e = Expander::new(&lookup);
        assert_eq!(
            e.expand("${{$compatibility_level} <level {1} ? {} : {permit, defer}}"),
            "permit, defer"
        );
        assert_eq!(
            e.expand("${x?yes} ${y?yes} ${y:no} ${x?{1}:{2}} $$x"),
            "yes  no 1 $x"
        );
        // A loop ends at the depth limit.
        assert_eq!(e.expand("$a"), "");
    }
}
