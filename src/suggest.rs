//! "Did you mean": the one suggestion rule for names typed on the command line, in
//! etclint.toml and in suppression comments.

/// The candidate closest to `key` (ASCII case ignored), if it is close enough to be a typo of
/// it: at most 2 edits, or a quarter of the candidate's length for long names.
pub fn did_you_mean<'a>(
    key: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
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
        assert_eq!(did_you_mean("GRB999", names), None);
    }
}
