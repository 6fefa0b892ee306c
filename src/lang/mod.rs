//! Language-specific analysis.
pub(crate) mod en;

/// Whether a sample of prose reads as English.
pub(crate) fn looks_english(text: &str) -> bool {
    // Interim heuristic until en::looks_english lands.
    const COMMON: &[&str] = &["the", "and", "to", "of", "a", "is", "in", "for", "with", "if", "this", "that", "on", "be", "or"];
    let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
    if words.is_empty() { return true; }
    let hits = words.iter().filter(|w| COMMON.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))).count();
    hits * 10 >= words.len()
}
