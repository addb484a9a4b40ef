//! "Did you mean": the one suggestion rule for names typed on the command line, in
//! etclint.toml and in suppression comments.

/// The candidate closest to `key` (ASCII case ignored), if it is close enough to be a typo of
/// it: at most 2 edits, or a quarter of the candidate's length for long names. A key of three
/// or more characters that begins a candidate is its start (`output-after` →
/// `output-after-closing-tag`): the shortest such candidate wins.
pub fn did_you_mean<'a>(
    key: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if key.len() >= 3 {
        let started = candidates
            .iter()
            .filter(|c| c.len() > key.len() && c.to_ascii_lowercase().starts_with(&key))
            .min_by_key(|c| c.len());
        if let Some(started) = started {
            return Some(started);
        }
    }
    candidates
        .into_iter()
        .map(|c| (edit_distance(&c.to_ascii_lowercase(), &key), c))
        .filter(|(distance, c)| *distance <= 2.max(c.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_names() {
        let names = ["PHP001", "output-after-closing-tag", "exclude"];
        assert_eq!(did_you_mean("PHP01", names), Some("PHP001"));
        assert_eq!(did_you_mean("php0001", names), Some("PHP001"));
        assert_eq!(did_you_mean("exlude", names), Some("exclude"));
        assert_eq!(
            did_you_mean("output-after-closing-tags", names),
            Some("output-after-closing-tag")
        );
        assert_eq!(did_you_mean("zzz", names), None);
        assert_eq!(
            did_you_mean("output-after", ["syntax-error", "output-after-closing-tag"]),
            Some("output-after-closing-tag")
        );
        assert_eq!(did_you_mean("GRB999", names), None);
    }
}
