//! One scan of a file for the needles of every rule that could run on it, instead of one scan
//! per rule: the rules that may find something come out of it.
//!
//! A rule's first group is looked for in the shared scan; its other groups only in the files
//! where the first one is found, so list the rarest group first. Needles are ASCII
//! case-insensitive: the file is lowered once and searched for lowered needles, which lets the
//! SIMD searcher (Teddy) run, where aho-corasick's case-insensitive automaton walks every byte.
//! Needles of one or two bytes (`?>`) would make Teddy stop at every common letter pair: they
//! are searched with memmem apart.

use std::cell::RefCell;
use std::sync::OnceLock;

use aho_corasick::{packed, AhoCorasick, Input, MatchKind, Span};
use memchr::memmem;

use super::Rule;

pub struct Prefilter {
    /// The needles of three bytes or more, lowered, and the number of each of its patterns.
    searcher: Searcher,
    long: Vec<usize>,
    /// The short needles, by number.
    short: Vec<(usize, memmem::Finder<'static>)>,
    needles: usize,
    /// The length of the longest needle.
    longest: usize,
    /// Per rule: the needle numbers of its first group (`None`: every file qualifies), and its
    /// other groups.
    rules: Vec<Option<(Vec<usize>, super::Needles)>>,
    rest: Vec<OnceLock<Vec<AhoCorasick>>>,
    extra: Vec<Vec<usize>>,
}

/// Which needles a file contains.
pub struct Hits(Vec<bool>);

/// How the needles of three bytes or more are searched.
enum Searcher {
    None,
    /// No needle is inside another: leftmost matches, resuming one byte after each start,
    /// find every needle.
    Packed(packed::Searcher),
    Leftmost(AhoCorasick),
    /// A needle inside another: every overlapping match.
    Overlapping(AhoCorasick),
}

/// Needles shorter than this are searched apart.
const SHORT: usize = 3;

/// The file is lowered and searched this many bytes at a time.
const CHUNK: usize = 64 * 1024;

thread_local! {
    /// A chunk of the file, lowered: one buffer per thread.
    static LOWERED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl Prefilter {
    /// For `rules` in this order, plus `extra` groups of needles the caller asks about (what a
    /// format's facts need).
    pub fn new(rules: &[&'static Rule], extra: &[Vec<String>]) -> Self {
        let mut needles: Vec<String> = Vec::new();
        let mut number = |needle: &str| {
            let lower = needle.to_ascii_lowercase();
            match needles.iter().position(|n| *n == lower) {
                Some(i) => i,
                None => {
                    needles.push(lower);
                    needles.len() - 1
                }
            }
        };
        let rule_needles = rules
            .iter()
            .map(|rule| {
                let (first, rest) = rule.prefilter.split_first()?;
                Some((first.iter().map(|n| number(n)).collect(), rest))
            })
            .collect();
        let extra = extra
            .iter()
            .map(|group| group.iter().map(|n| number(n)).collect())
            .collect();
        let long: Vec<(usize, &String)> = needles
            .iter()
            .enumerate()
            .filter(|(_, n)| n.len() >= SHORT)
            .collect();
        let short = needles
            .iter()
            .enumerate()
            .filter(|(_, n)| n.len() < SHORT)
            .map(|(i, n)| (i, memmem::Finder::new(n.as_bytes()).into_owned()))
            .collect();
        Self {
            searcher: Searcher::new(&long),
            long: long.iter().map(|(i, _)| *i).collect(),
            short,
            longest: needles.iter().map(String::len).max().unwrap_or(1),
            needles: needles.len(),
            rest: rules.iter().map(|_| OnceLock::new()).collect(),
            rules: rule_needles,
            extra,
        }
    }

    pub fn scan(&self, bytes: &[u8]) -> Hits {
        let mut seen = vec![false; self.needles];
        if self.needles == 0 {
            return Hits(seen);
        }
        let mut missing = self.needles;
        LOWERED.with(|buffer| {
            let lowered = &mut *buffer.borrow_mut();
            // Chunks overlap by a needle's length less one: none is cut in two.
            let mut start = 0;
            while missing > 0 {
                let end = bytes.len().min(start + CHUNK + self.longest - 1);
                lowered.clear();
                lowered.extend_from_slice(&bytes[start..end]);
                lowered.make_ascii_lowercase();
                for (number, finder) in &self.short {
                    if !seen[*number] && finder.find(lowered).is_some() {
                        seen[*number] = true;
                        missing -= 1;
                    }
                }
                self.searcher.scan(lowered, |pattern| {
                    let slot = &mut seen[self.long[pattern]];
                    if !*slot {
                        *slot = true;
                        missing -= 1;
                    }
                    missing == 0
                });
                if end == bytes.len() {
                    break;
                }
                start += CHUNK;
            }
        });
        Hits(seen)
    }

    /// Whether the rule at `index` (of those given to `new`) may find something in `bytes`.
    pub fn passes(&self, hits: &Hits, index: usize, bytes: &[u8]) -> bool {
        let Some((first, rest)) = &self.rules[index] else {
            return true;
        };
        if !first.iter().any(|&n| hits.0[n]) {
            return false;
        }
        self.rest[index]
            .get_or_init(|| {
                rest.iter()
                    .map(|group| {
                        AhoCorasick::builder()
                            .ascii_case_insensitive(true)
                            .build(*group)
                            .expect("prefilter needles are plain literals")
                    })
                    .collect()
            })
            .iter()
            .all(|group| group.is_match(bytes))
    }

    /// Whether the file contains a needle of the `index`th extra group.
    pub fn has_extra(&self, hits: &Hits, index: usize) -> bool {
        self.extra[index].iter().any(|&n| hits.0[n])
    }
}

impl Searcher {
    /// For `(number, needle)` pairs of lowered needles.
    fn new(needles: &[(usize, &String)]) -> Self {
        if needles.is_empty() {
            return Self::None;
        }
        let patterns = needles.iter().map(|(_, n)| n.as_bytes());
        let nested = needles.iter().any(|(i, a)| {
            needles
                .iter()
                .any(|(j, b)| i != j && b.contains(a.as_str()))
        });
        let automaton = |kind| {
            AhoCorasick::builder()
                .match_kind(kind)
                .build(needles.iter().map(|(_, n)| n.as_bytes()))
                .expect("prefilter needles are plain literals")
        };
        if nested {
            return Self::Overlapping(automaton(MatchKind::Standard));
        }
        match packed::Config::new().builder().extend(patterns).build() {
            Some(searcher) => Self::Packed(searcher),
            None => Self::Leftmost(automaton(MatchKind::LeftmostFirst)),
        }
    }

    /// Calls `mark` with the position in `new`'s list of each needle found, at least once for
    /// each needle `haystack` contains, until it returns true.
    fn scan(&self, haystack: &[u8], mut mark: impl FnMut(usize) -> bool) {
        let mut at = 0;
        match self {
            Self::None => {}
            Self::Packed(searcher) => {
                while let Some(found) = searcher.find_in(haystack, Span::from(at..haystack.len())) {
                    if mark(found.pattern().as_usize()) {
                        break;
                    }
                    at = found.start() + 1;
                }
            }
            Self::Leftmost(automaton) => {
                while let Some(found) =
                    automaton.find(Input::new(haystack).span(at..haystack.len()))
                {
                    if mark(found.pattern().as_usize()) {
                        break;
                    }
                    at = found.start() + 1;
                }
            }
            Self::Overlapping(automaton) => {
                for found in automaton.find_overlapping_iter(haystack) {
                    if mark(found.pattern().as_usize()) {
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RULES;

    fn prefilter() -> (Vec<&'static Rule>, Prefilter) {
        let rules: Vec<&'static Rule> = RULES.iter().copied().collect();
        let prefilter = Prefilter::new(&rules, &[vec!["etclint:".into()]]);
        (rules, prefilter)
    }

    #[test]
    fn one_needle_of_each_group() {
        let (rules, prefilter) = prefilter();
        let with_groups = rules
            .iter()
            .position(|r| r.prefilter.len() >= 2)
            .expect("a rule with two groups");
        let groups = rules[with_groups].prefilter;
        let both = format!(
            "x {} y {} z",
            groups[0][0].to_ascii_uppercase(),
            groups[1][0]
        );
        let all: String = groups.iter().map(|g| g[0]).collect::<Vec<_>>().join(" ");
        for (text, expected) in [
            (all.as_str(), true),
            (groups[0][0], false),
            (both.as_str(), groups.len() == 2),
        ] {
            let hits = prefilter.scan(text.as_bytes());
            assert_eq!(
                prefilter.passes(&hits, with_groups, text.as_bytes()),
                expected,
                "{text}"
            );
        }
        assert!(!prefilter.has_extra(&prefilter.scan(all.as_bytes()), 0));
        assert!(prefilter.has_extra(&prefilter.scan(b"// ETCLINT: ignore"), 0));
        let unfiltered = rules.iter().position(|r| r.prefilter.is_empty()).unwrap();
        assert!(prefilter.passes(&prefilter.scan(b""), unfiltered, b""));
    }

    #[test]
    fn needles_across_chunks_are_found() {
        let prefilter = Prefilter::new(
            &[],
            &[vec!["import_request_variables".into()], vec!["?>".into()]],
        );
        for at in [0, CHUNK - 10, CHUNK - 1, CHUNK, 2 * CHUNK - 3] {
            let mut text = vec![b' '; at];
            text.extend_from_slice(b"Import_Request_Variables ?");
            text.extend(std::iter::repeat_n(b' ', 3 * CHUNK));
            let hits = prefilter.scan(&text);
            assert!(prefilter.has_extra(&hits, 0), "at {at}");
            assert!(!prefilter.has_extra(&hits, 1), "at {at}");
            text.push(b'?');
            text.push(b'>');
            assert!(prefilter.has_extra(&prefilter.scan(&text), 1), "at {at}");
        }
    }

    #[test]
    fn overlapping_needles_are_all_found() {
        // "HTTP_GET_VARS" and "GET_VARS_x" overlap in the text; "?>" and ">x" too.
        let extra = vec![
            vec!["HTTP_GET_VARS".into()],
            vec!["GET_VARS_x".into()],
            vec!["?>".into()],
            vec![">x".into()],
        ];
        let prefilter = Prefilter::new(&[], &extra);
        assert!(matches!(prefilter.searcher, Searcher::Packed(_)));
        let hits = prefilter.scan(b"$HTTP_GET_VARS_x ?>x");
        assert!((0..4).all(|i| prefilter.has_extra(&hits, i)));
        // One inside another: the overlapping search.
        let nested = Prefilter::new(&[], &[vec!["abcde".into()], vec!["bcd".into()]]);
        assert!(matches!(nested.searcher, Searcher::Overlapping(_)));
        let hits = nested.scan(b"xABCDEx");
        assert!(nested.has_extra(&hits, 0) && nested.has_extra(&hits, 1));
    }
}
