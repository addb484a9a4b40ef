//! One scan of a file for the needles of every rule that could run on it, instead of one scan
//! per rule: the rules that may find something come out of it.
//!
//! A rule's first group is looked for in the shared scan; its other groups only in the files
//! where the first one is found, so list the rarest group first. Needles are ASCII
//! case-insensitive.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input};

use super::Rule;

pub struct Prefilter {
    /// Every distinct needle of the shared scan; `None` when there are none.
    matcher: Option<AhoCorasick>,
    needles: usize,
    /// Whether a needle contains another: the scan must then look at overlapping matches.
    nested: bool,
    /// Per rule: the needle numbers of its first group (`None`: every file qualifies), and its
    /// other groups.
    rules: Vec<Option<(Vec<usize>, super::Needles)>>,
    rest: Vec<OnceLock<Vec<AhoCorasick>>>,
    extra: Vec<Vec<usize>>,
}

/// Which needles a file contains.
pub struct Hits(Vec<bool>);

impl Prefilter {
    /// For `rules` in this order, plus `extra` groups of needles the caller asks about (the
    /// suppression marker, what a format's facts need).
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
        let nested = needles.iter().enumerate().any(|(i, a)| {
            needles
                .iter()
                .enumerate()
                .any(|(j, b)| i != j && b.contains(a.as_str()))
        });
        let matcher = (!needles.is_empty()).then(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&needles)
                .expect("prefilter needles are plain literals")
        });
        Self {
            matcher,
            needles: needles.len(),
            nested,
            rest: rules.iter().map(|_| OnceLock::new()).collect(),
            rules: rule_needles,
            extra,
        }
    }

    pub fn scan(&self, bytes: &[u8]) -> Hits {
        let mut seen = vec![false; self.needles];
        let Some(matcher) = &self.matcher else {
            return Hits(seen);
        };
        let mut missing = self.needles;
        let mut mark = |pattern: usize| {
            if !seen[pattern] {
                seen[pattern] = true;
                missing -= 1;
            }
            missing == 0
        };
        if self.nested {
            for found in matcher.find_overlapping_iter(bytes) {
                if mark(found.pattern().as_usize()) {
                    break;
                }
            }
        } else {
            // No needle inside another: resuming one byte after each match's start misses no
            // needle, and unlike an overlapping search it can skip ahead.
            let mut at = 0;
            while let Some(found) = matcher.find(Input::new(bytes).span(at..bytes.len())) {
                if mark(found.pattern().as_usize()) {
                    break;
                }
                at = found.start() + 1;
            }
        }
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
    fn overlapping_needles_are_all_found() {
        // "HTTP_GET_VARS" and "GET_VARS_x" overlap in the text; "?>" and ">x" too.
        let extra = vec![
            vec!["HTTP_GET_VARS".into()],
            vec!["GET_VARS_x".into()],
            vec!["?>".into()],
            vec![">x".into()],
        ];
        let prefilter = Prefilter::new(&[], &extra);
        assert!(!prefilter.nested);
        let hits = prefilter.scan(b"$HTTP_GET_VARS_x ?>x");
        assert!((0..4).all(|i| prefilter.has_extra(&hits, i)));
        // One inside another: the overlapping search.
        let nested = Prefilter::new(&[], &[vec!["abcd".into()], vec!["bc".into()]]);
        assert!(nested.nested);
        let hits = nested.scan(b"xabcdx");
        assert!(nested.has_extra(&hits, 0) && nested.has_extra(&hits, 1));
    }
}
