//! The two compilers Postfix uses, called as Postfix calls them: the C library's POSIX
//! `regcomp` for regexp: (glibc on Debian) and PCRE2 for pcre:. A compiled pattern is freed at
//! once: validating a table keeps one automaton alive at a time.

use std::ffi::{c_char, c_int, c_ulong, c_void, CString};
use std::mem::MaybeUninit;

use super::Engine;

/// A pattern's compile options after its flags toggled Postfix's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Options(pub u32);

/// What one flag letter did.
pub enum Toggle {
    Done,
    /// pcre's `X`: "ignoring obsolete regexp option" with PCRE2.
    Obsolete,
    Unknown,
}

pub const REG_EXTENDED: u32 = libc::REG_EXTENDED as u32;
pub const REG_ICASE: u32 = libc::REG_ICASE as u32;
pub const REG_NEWLINE: u32 = libc::REG_NEWLINE as u32;
const REG_NOSUB: u32 = libc::REG_NOSUB as u32;

pub const PCRE2_CASELESS: u32 = pcre2_sys::PCRE2_CASELESS;
pub const PCRE2_MULTILINE: u32 = pcre2_sys::PCRE2_MULTILINE;
pub const PCRE2_DOTALL: u32 = pcre2_sys::PCRE2_DOTALL;
pub const PCRE2_EXTENDED: u32 = pcre2_sys::PCRE2_EXTENDED;
pub const PCRE2_ANCHORED: u32 = pcre2_sys::PCRE2_ANCHORED;
pub const PCRE2_DOLLAR_ENDONLY: u32 = pcre2_sys::PCRE2_DOLLAR_ENDONLY;
pub const PCRE2_UNGREEDY: u32 = pcre2_sys::PCRE2_UNGREEDY;

impl Options {
    /// Postfix's defaults: regexp: `REG_EXTENDED | REG_ICASE`, pcre: `CASELESS | DOTALL`.
    pub fn default_for(engine: Engine) -> Self {
        match engine {
            Engine::Regexp => Self(REG_EXTENDED | REG_ICASE),
            Engine::Pcre => Self(PCRE2_CASELESS | PCRE2_DOTALL),
        }
    }

    /// Applies one flag letter as `dict_regexp_get_pat()` / `dict_pcre_get_pattern()` do.
    pub fn toggle(&mut self, engine: Engine, flag: u8) -> Toggle {
        let bit = match (engine, flag) {
            (Engine::Regexp, b'i') => REG_ICASE,
            (Engine::Regexp, b'm') => REG_NEWLINE,
            (Engine::Regexp, b'x') => REG_EXTENDED,
            (Engine::Pcre, b'i') => PCRE2_CASELESS,
            (Engine::Pcre, b'm') => PCRE2_MULTILINE,
            (Engine::Pcre, b's') => PCRE2_DOTALL,
            (Engine::Pcre, b'x') => PCRE2_EXTENDED,
            (Engine::Pcre, b'A') => PCRE2_ANCHORED,
            (Engine::Pcre, b'E') => PCRE2_DOLLAR_ENDONLY,
            (Engine::Pcre, b'U') => PCRE2_UNGREEDY,
            (Engine::Pcre, b'X') => return Toggle::Obsolete,
            _ => return Toggle::Unknown,
        };
        self.0 ^= bit;
        Toggle::Done
    }

    /// Whether the pattern is matched ignoring case.
    pub fn caseless(self, engine: Engine) -> bool {
        match engine {
            Engine::Regexp => self.0 & REG_ICASE != 0,
            Engine::Pcre => self.0 & PCRE2_CASELESS != 0,
        }
    }

    /// Whether `|` alternation and `(…)` grouping read as in the table's defaults (regexp:
    /// extended syntax; pcre: not `x`, whose `#` comments would swallow what follows).
    pub fn plain_syntax(self, engine: Engine) -> bool {
        match engine {
            Engine::Regexp => self.0 & REG_EXTENDED != 0,
            Engine::Pcre => self.0 & PCRE2_EXTENDED == 0,
        }
    }
}

/// A pattern the engine accepted: how many capturing groups it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compiled {
    pub groups: usize,
}

/// Compiles as Postfix does; the error is Postfix's text after "line N: ". `substitutes` is
/// whether the result uses `$n` (Postfix adds `REG_NOSUB` otherwise).
pub fn compile(
    engine: Engine,
    pattern: &[u8],
    options: Options,
    substitutes: bool,
) -> Result<Compiled, String> {
    match engine {
        Engine::Regexp => regcomp(pattern, options, substitutes),
        Engine::Pcre => pcre2_compile(pattern, options),
    }
}

/// glibc's `regex_t` with its fields named: the `libc` crate keeps `re_nsub` private.
#[repr(C)]
struct GlibcRegex {
    buffer: *mut c_void,
    allocated: usize,
    used: usize,
    syntax: c_ulong,
    fastmap: *mut c_char,
    translate: *mut c_char,
    re_nsub: usize,
    bitfield: u8,
}

const _: () = assert!(std::mem::size_of::<GlibcRegex>() == std::mem::size_of::<libc::regex_t>());

fn regcomp(pattern: &[u8], options: Options, substitutes: bool) -> Result<Compiled, String> {
    // Postfix's patterns are C strings: the parser already cut the line at a NUL.
    let Ok(pattern) = CString::new(pattern) else {
        return Err("pattern contains a NUL byte".into());
    };
    let mut flags = options.0;
    if !substitutes {
        flags |= REG_NOSUB;
    }
    let mut regex = MaybeUninit::<GlibcRegex>::zeroed();
    let preg = regex.as_mut_ptr().cast::<libc::regex_t>();
    // SAFETY: `preg` points to zeroed storage of the size and layout of glibc's regex_t;
    // `pattern` is NUL-terminated; the compiled pattern is freed before returning.
    unsafe {
        let error = libc::regcomp(preg, pattern.as_ptr(), flags as c_int);
        if error != 0 {
            let mut buf = [0 as c_char; 256];
            libc::regerror(error, preg, buf.as_mut_ptr(), buf.len());
            let message = std::ffi::CStr::from_ptr(buf.as_ptr())
                .to_string_lossy()
                .into_owned();
            return Err(message);
        }
        let groups = (*regex.as_ptr()).re_nsub;
        libc::regfree(preg);
        Ok(Compiled { groups })
    }
}

fn pcre2_compile(pattern: &[u8], options: Options) -> Result<Compiled, String> {
    let mut error: c_int = 0;
    let mut offset: usize = 0;
    // SAFETY: pcre2_compile_8 reads `pattern.len()` bytes; the code is freed before returning
    // and its capture count read into a u32 as PCRE2_INFO_CAPTURECOUNT documents.
    unsafe {
        let code = pcre2_sys::pcre2_compile_8(
            pattern.as_ptr(),
            pattern.len(),
            options.0,
            &mut error,
            &mut offset,
            std::ptr::null_mut(),
        );
        if code.is_null() {
            let mut buf = [0u8; 256];
            let len = pcre2_sys::pcre2_get_error_message_8(error, buf.as_mut_ptr(), buf.len());
            let message = if len > 0 {
                String::from_utf8_lossy(&buf[..len as usize]).into_owned()
            } else {
                format!("unexpected pcre2 error code {error}")
            };
            return Err(format!("error in regex at offset {offset}: {message}"));
        }
        let mut groups: u32 = 0;
        pcre2_sys::pcre2_pattern_info_8(
            code,
            pcre2_sys::PCRE2_INFO_CAPTURECOUNT,
            (&mut groups as *mut u32).cast(),
        );
        pcre2_sys::pcre2_code_free_8(code);
        Ok(Compiled {
            groups: groups as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regcomp_counts_groups_and_reports_glibc_errors() {
        let o = Options::default_for(Engine::Regexp);
        assert_eq!(
            compile(Engine::Regexp, b"^(a)(b)$", o, true)
                .unwrap()
                .groups,
            2
        );
        assert_eq!(
            compile(Engine::Regexp, b"(a", o, false).unwrap_err(),
            "Unmatched ( or \\("
        );
        let mut basic = o;
        basic.toggle(Engine::Regexp, b'x');
        assert_eq!(
            compile(Engine::Regexp, b"\\(a\\)", basic, true)
                .unwrap()
                .groups,
            1
        );
    }

    #[test]
    fn pcre2_reports_postfix_wording() {
        let o = Options::default_for(Engine::Pcre);
        assert_eq!(
            compile(Engine::Pcre, b"(?:a)(b)", o, true).unwrap().groups,
            1
        );
        assert_eq!(
            compile(Engine::Pcre, b"(a", o, false).unwrap_err(),
            "error in regex at offset 2: missing closing parenthesis"
        );
    }
}
