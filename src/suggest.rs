//! "Did you mean …?" suggestions.

/// The candidate closest to `input` by Jaro-Winkler similarity, when it is close enough.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_names() {
        assert_eq!(
            super::did_you_mean("step-mod", ["step-mood", "step-length"]),
            Some("step-mood")
        );
        assert_eq!(super::did_you_mean("zzz", ["step-mood"]), None);
    }
}
