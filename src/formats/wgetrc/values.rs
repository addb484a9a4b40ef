//! What wget 1.21.3 does with a command's value (`cmd_*` in `src/init.c`): accepts it, accepts
//! it while reading something else than written (`strtol` leniency), or rejects it, with
//! wget's own message.

use super::commands::{CommandSpec, Kind};

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Accepted,
    /// A number that wget reads without complaint as `read_as`, ignoring part of the value.
    Lenient {
        read_as: i64,
        digits: bool,
    },
    /// wget prints `wget` and stops with an error; `expected` says what it takes.
    Invalid {
        wget: String,
        expected: &'static str,
    },
}

/// wget's `c_isspace`.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Judges `value` for `spec`; `written` is the name as written (wget's messages use it).
/// `named_before`: the command already appeared in the file (for `crl_file`).
pub fn check(spec: &CommandSpec, written: &str, value: &[u8], named_before: bool) -> Verdict {
    let shown = String::from_utf8_lossy(value);
    let invalid = |wget: String, expected: &'static str| Verdict::Invalid { wget, expected };
    match spec.kind {
        Kind::Boolean => match boolean(value) {
            Some(_) => Verdict::Accepted,
            None => invalid(
                format!("{written}: Invalid boolean ‘{shown}’; use `on' or `off'."),
                "`on`, `off`, `yes`, `no`, `1` or `0`",
            ),
        },
        Kind::CheckCertificate => {
            if boolean(value).is_some() || value.eq_ignore_ascii_case(b"quiet") {
                Verdict::Accepted
            } else {
                invalid(
                    format!("{written}: Invalid ‘{shown}’; use `on', `off' or `quiet'."),
                    "`on`, `off` or `quiet`",
                )
            }
        }
        Kind::Number | Kind::NumberInf => {
            if spec.kind == Kind::NumberInf && value.eq_ignore_ascii_case(b"inf") {
                return Verdict::Accepted;
            }
            let (read, clean, digits) = strtol(value);
            if !(0..=i64::from(i32::MAX)).contains(&read) {
                invalid(
                    format!("{written}: Invalid number ‘{shown}’."),
                    if spec.kind == Kind::NumberInf {
                        "a number from 0 to 2147483647, or `inf`"
                    } else {
                        "a number from 0 to 2147483647"
                    },
                )
            } else if clean {
                Verdict::Accepted
            } else {
                Verdict::Lenient {
                    read_as: read,
                    digits,
                }
            }
        }
        Kind::Time => match time(value) {
            Ok(_) => Verdict::Accepted,
            Err(negative) => invalid(
                if negative {
                    format!("{written}: Negative time period ‘{shown}’")
                } else {
                    format!("{written}: Invalid time period ‘{shown}’")
                },
                "a number of seconds, or with a suffix `s`, `m`, `h`, `d` or `w`",
            ),
        },
        Kind::Bytes | Kind::BytesSum => match bytes(value) {
            // cmd_bytes_sum also rejects sums past WGINT_MAX.
            Some(n) if spec.kind == Kind::Bytes || n <= i64::MAX as f64 => Verdict::Accepted,
            _ => invalid(
                format!("{written}: Invalid byte value ‘{shown}’"),
                "a number of bytes, or with a suffix `k`, `m`, `g` or `t`, or `inf`",
            ),
        },
        Kind::Choice => {
            if spec.words.iter().any(|w| value.eq_ignore_ascii_case(w.as_bytes())) {
                Verdict::Accepted
            } else {
                Verdict::Invalid {
                    wget: format!("{written}: Invalid value ‘{shown}’."),
                    expected: "one of the words listed in the note",
                }
            }
        }
        Kind::Progress => {
            let name = value.split(|&b| b == b':').next().unwrap_or_default();
            if [b"dot".as_slice(), b"bar"].iter().any(|p| p.starts_with(name)) {
                Verdict::Accepted
            } else {
                invalid(
                    format!("{written}: Invalid progress type ‘{shown}’."),
                    "`dot` or `bar`, optionally followed by `:` and parameters",
                )
            }
        }
        Kind::RestrictFileNames => {
            const WORDS: [&[u8]; 7] = [
                b"unix",
                b"vms",
                b"windows",
                b"lowercase",
                b"uppercase",
                b"nocontrol",
                b"ascii",
            ];
            if restrictions(value).all(|word| WORDS.contains(&word)) {
                Verdict::Accepted
            } else {
                invalid(
                    format!(
                        "{written}: Invalid restriction ‘{shown}’,\n    use [unix|vms|windows],[lowercase|uppercase],[nocontrol],[ascii]."
                    ),
                    "a comma-separated list of `unix`, `vms` or `windows`, `lowercase` or `uppercase`, `nocontrol`, `ascii`",
                )
            }
        }
        Kind::Header | Kind::WarcHeader => {
            if value.is_empty() || is_header(value) {
                Verdict::Accepted
            } else {
                let what = if spec.kind == Kind::Header {
                    "header"
                } else {
                    "WARC header"
                };
                invalid(
                    format!("{written}: Invalid {what} ‘{shown}’."),
                    "`Name: value`, or nothing to clear the list",
                )
            }
        }
        Kind::Askpass if value.is_empty() => invalid(
            "use-askpass requires a string or either environment variable WGET_ASKPASS or SSH_ASKPASS to be set.".into(),
            "a program, unless $WGET_ASKPASS or $SSH_ASKPASS is set where wget runs",
        ),
        Kind::FileOnce if named_before => invalid(
            format!("{written} must only be used once"),
            "a single line naming the file",
        ),
        Kind::Askpass
        | Kind::FileOnce
        | Kind::Vector
        | Kind::DirectoryVector
        | Kind::String
        | Kind::File
        | Kind::Directory => Verdict::Accepted,
    }
}

/// wget's `cmd_boolean_internal`: exactly `on`/`yes`/`1` or `off`/`no`/`0`, any case.
pub fn boolean(value: &[u8]) -> Option<bool> {
    let lower = value.to_ascii_lowercase();
    match lower.as_slice() {
        b"on" | b"yes" | b"1" => Some(true),
        b"off" | b"no" | b"0" => Some(false),
        _ => None,
    }
}

/// C's `strtol(value, NULL, 10)`: the number, whether the whole value was that number, and
/// whether it had digits at all. Saturates like strtol (any such value is out of range).
pub fn strtol(value: &[u8]) -> (i64, bool, bool) {
    let mut i = value.iter().take_while(|&&b| is_space(b)).count();
    let negative = match value.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits = value[i.min(value.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return (0, false, false);
    }
    let mut n: i64 = 0;
    for &b in &value[i..i + digits] {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    let n = if negative { -n } else { n };
    (n, i + digits == value.len(), true)
}

/// wget's `simple_atof` over `value` (leading whitespace, a sign, digits with one dot).
fn atof(value: &[u8]) -> Option<f64> {
    let mut p = value.iter().take_while(|&&b| is_space(b)).count();
    let mut negative = false;
    if let Some(&sign @ (b'-' | b'+')) = value.get(p) {
        negative = sign == b'-';
        p += 1;
    }
    let (mut result, mut divider) = (0.0f64, 1.0f64);
    let (mut seen_dot, mut seen_digit) = (false, false);
    for &ch in &value[p.min(value.len())..] {
        if ch.is_ascii_digit() {
            let digit = f64::from(ch - b'0');
            if seen_dot {
                divider *= 10.0;
                result += digit / divider;
            } else {
                result = 10.0 * result + digit;
            }
            seen_digit = true;
        } else if ch == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            return None;
        }
    }
    seen_digit.then_some(if negative { -result } else { result })
}

fn trim(mut value: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = value {
        if !is_space(*first) {
            break;
        }
        value = rest;
    }
    while let [rest @ .., last] = value {
        if !is_space(*last) {
            break;
        }
        value = rest;
    }
    value
}

fn trim_end(mut value: &[u8]) -> &[u8] {
    while let [rest @ .., last] = value {
        if !is_space(*last) {
            break;
        }
        value = rest;
    }
    value
}

/// wget's `cmd_time`: seconds, or `Err(negative)`.
pub fn time(value: &[u8]) -> Result<f64, bool> {
    let value = trim_end(value);
    let (&last, rest) = value.split_last().ok_or(false)?;
    let (number, mult) = match last.to_ascii_lowercase() {
        b's' => (rest, 1.0),
        b'm' => (rest, 60.0),
        b'h' => (rest, 3600.0),
        b'd' => (rest, 86400.0),
        b'w' => (rest, 604800.0),
        _ => (value, 1.0),
    };
    let number = trim(number);
    if number.is_empty() {
        return Err(false);
    }
    let n = atof(number).ok_or(false)?;
    if n < 0.0 {
        return Err(true);
    }
    Ok(n * mult)
}

/// wget's `parse_bytes_helper`: the number of bytes, `inf` (exactly) being 0.
pub fn bytes(value: &[u8]) -> Option<f64> {
    if value == b"inf" {
        return Some(0.0);
    }
    let value = trim_end(value);
    let (&last, rest) = value.split_last()?;
    let (number, mult) = match last.to_ascii_lowercase() {
        b'k' => (rest, 1024.0),
        b'm' => (rest, 1048576.0),
        b'g' => (rest, 1073741824.0),
        b't' => (rest, 1099511627776.0),
        _ => (value, 1.0),
    };
    let number = trim(number);
    if number.is_empty() {
        return None;
    }
    let n = atof(number)?;
    (n >= 0.0).then_some(n * mult)
}

/// The words of a `restrict_file_names` value as wget's loop takes them: split at commas, a
/// single trailing comma ignored.
fn restrictions(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(value);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.iter().position(|&b| b == b',') {
            Some(comma) => {
                let after = &current[comma + 1..];
                rest = (!after.is_empty()).then_some(after);
                Some(&current[..comma])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// wget's `check_user_specified_header`: a name without whitespace, then `:`.
fn is_header(value: &[u8]) -> bool {
    let name = value
        .iter()
        .take_while(|&&b| b != b':' && !is_space(b))
        .count();
    name > 0 && value.get(name) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::super::commands::lookup;
    use super::*;

    fn verdict(name: &str, value: &str) -> Verdict {
        check(
            lookup(name.as_bytes()).unwrap(),
            name,
            value.as_bytes(),
            false,
        )
    }

    fn ok(name: &str, value: &str) -> bool {
        verdict(name, value) == Verdict::Accepted
    }

    fn bad(name: &str, value: &str) -> bool {
        matches!(verdict(name, value), Verdict::Invalid { .. })
    }

    #[test]
    fn numbers_are_read_like_strtol() {
        assert!(ok("tries", "3") && ok("tries", "INF") && ok("tries", "+3") && ok("tries", "-0"));
        assert_eq!(
            verdict("tries", "3x"),
            Verdict::Lenient {
                read_as: 3,
                digits: true
            }
        );
        assert_eq!(
            verdict("tries", "abc"),
            Verdict::Lenient {
                read_as: 0,
                digits: false
            }
        );
        assert!(matches!(
            verdict("tries", ""),
            Verdict::Lenient { read_as: 0, .. }
        ));
        assert!(matches!(verdict("backups", "inf"), Verdict::Lenient { .. }));
        assert!(bad("tries", "-1") && bad("tries", "2147483648"));
        assert!(ok("tries", "2147483647"));
        assert!(bad("reclevel", "-1"));
    }

    #[test]
    fn times_bytes_and_words() {
        assert!(ok("wait", "5 m") && ok("wait", "1.5h") && ok("wait", ".5") && ok("wait", "-0"));
        assert!(bad("wait", "5x") && bad("wait", "") && bad("wait", "m") && bad("wait", "-1"));
        assert!(bad("wait", "inf") && bad("wait", "1e3") && bad("wait", "1..2"));
        assert!(ok("quota", "10k") && ok("quota", "inf") && ok("limitrate", "2.5M"));
        assert!(bad("quota", "10q") && bad("quota", "INF") && bad("quota", "-1k"));
        assert!(bad("quota", "10000000000000000000") && ok("startpos", "10000000000000000000"));
        assert!(ok("progress", "dot:mega") && ok("progress", "b") && ok("progress", ""));
        assert!(bad("progress", "fancy") && bad("progress", "Dot"));
        assert!(ok("restrict_file_names", "unix,") && ok("restrictfilenames", "windows,ascii"));
        assert!(bad("restrictfilenames", "") && bad("restrictfilenames", "unix,,ascii"));
        assert!(bad("restrictfilenames", "Unix"));
        assert!(ok("check_certificate", "Quiet") && bad("check_certificate", "maybe"));
        assert!(ok("prefer_family", "ipv6") && bad("prefer_family", "ipv5"));
        assert!(ok("header", "X-A: b") && ok("header", "") && bad("header", "X A: b"));
        assert!(bad("header", ": b") && bad("warcheader", "x"));
        assert!(ok("use_proxy", "YES") && bad("use_proxy", "true") && bad("use_proxy", ""));
        assert!(bad("useaskpass", "") && ok("useaskpass", "/bin/true"));
    }

    #[test]
    fn crl_file_once() {
        let spec = lookup(b"crlfile").unwrap();
        assert_eq!(check(spec, "crl_file", b"a", false), Verdict::Accepted);
        assert!(matches!(
            check(spec, "crl_file", b"a", true),
            Verdict::Invalid { .. }
        ));
    }
}
