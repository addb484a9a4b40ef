//! One scan of a file for the needles of every rule that could run on it, instead of one scan
//! per rule: the rules whose needles are all there (one of each group) come out of it.

use aho_corasick::AhoCorasick;

use super::Rule;

pub struct Prefilter {
    /// Every distinct needle (ASCII case ignored), with `extra` last; `None` when there are none.
    matcher: Option<AhoCorasick>,
    needles: usize,
    /// Per rule, its groups as needle numbers.
    groups: Vec<Vec<Vec<usize>>>,
    extra: Vec<usize>,
}

/// Which needles a file contains.
pub struct Hits(Vec<bool>);

impl Prefilter {
    /// For `rules` in this order, plus `extra` needles the caller asks about (the suppression
    /// marker, a format's facts).
    pub fn new(rules: &[&'static Rule], extra: &[&str]) -> Self {
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
        let groups = rules
            .iter()
            .map(|rule| {
                rule.prefilter
                    .iter()
                    .map(|group| group.iter().map(|n| number(n)).collect())
                    .collect()
            })
            .collect();
        let extra = extra.iter().map(|n| number(n)).collect();
        let matcher = (!needles.is_empty()).then(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&needles)
                .expect("prefilter needles are plain literals")
        });
        Self {
            matcher,
            needles: needles.len(),
            groups,
            extra,
        }
    }

    pub fn scan(&self, bytes: &[u8]) -> Hits {
        let mut seen = vec![false; self.needles];
        if let Some(matcher) = &self.matcher {
            let mut missing = self.needles;
            for found in matcher.find_overlapping_iter(bytes) {
                let slot = &mut seen[found.pattern().as_usize()];
                if !*slot {
                    *slot = true;
                    missing -= 1;
                    if missing == 0 {
                        break;
                    }
                }
            }
        }
        Hits(seen)
    }

    /// Whether the rule at `index` (of those given to `new`) may find something.
    pub fn passes(&self, hits: &Hits, index: usize) -> bool {
        self.groups[index]
            .iter()
            .all(|group| group.iter().any(|&n| hits.0[n]))
    }

    /// Whether the file contains the `index`th extra needle.
    pub fn has_extra(&self, hits: &Hits, index: usize) -> bool {
        hits.0[self.extra[index]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RULES;

    #[test]
    fn one_needle_of_each_group() {
        let rules: Vec<&'static Rule> = RULES.iter().copied().collect();
        let prefilter = Prefilter::new(&rules, &["etclint:"]);
        let with_groups = rules
            .iter()
            .position(|r| r.prefilter.len() >= 2)
            .expect("a rule with two groups");
        let [first, second] = [
            rules[with_groups].prefilter[0][0],
            rules[with_groups].prefilter[1][0],
        ];
        let both = format!("x {} y {} z", first.to_ascii_uppercase(), second);
        let hits = prefilter.scan(both.as_bytes());
        assert!(prefilter.passes(&hits, with_groups));
        assert!(!prefilter.has_extra(&hits, 0));
        let hits = prefilter.scan(first.as_bytes());
        assert!(!prefilter.passes(&hits, with_groups));
        let hits = prefilter.scan(b"// ETCLINT: ignore");
        assert!(prefilter.has_extra(&hits, 0));
        let unfiltered = rules.iter().position(|r| r.prefilter.is_empty()).unwrap();
        assert!(prefilter.passes(&prefilter.scan(b""), unfiltered));
    }
}
