//! Inline suppressions: `<!-- sopkit-disable CODE -->` … `<!-- sopkit-enable CODE -->`,
//! `<!-- sopkit-disable-next-line CODE -->` and `<!-- sopkit-disable-file CODE -->`, with codes
//! or names (none = every rule). Suppressions that suppress nothing become `unused-suppression`
//! findings.

use std::collections::HashMap;
use std::ops::Range;

use crate::document::{Document, LineIndex, Spanned};
use crate::rule::{Diagnostic, Finding};

/// What suppressions read of a file: its source, line index and HTML comments (of a document,
/// or kept without it).
pub(crate) struct Text<'a> {
    pub source: &'a str,
    pub index: &'a LineIndex,
    pub comments: &'a [Spanned<String>],
}

impl<'a> From<&'a Document> for Text<'a> {
    fn from(doc: &'a Document) -> Self {
        Self {
            source: &doc.source,
            index: &doc.line_index,
            comments: &doc.comments,
        }
    }
}

/// The rules a suppression may name: (code, name, enabled in this file's profile).
pub(crate) struct Known<'a> {
    pub rules: &'a [(String, String, bool)],
}

impl Known<'_> {
    /// The code of a rule named by code or name, case-insensitively.
    fn resolve(&self, token: &str) -> Option<(&str, bool)> {
        self.rules
            .iter()
            .find(|(code, name, _)| {
                code.eq_ignore_ascii_case(token) || name.eq_ignore_ascii_case(token)
            })
            .map(|(code, _, enabled)| (code.as_str(), *enabled))
    }

    fn suggest(&self, token: &str) -> Option<&str> {
        let candidates = self
            .rules
            .iter()
            .flat_map(|(code, name, _)| [code.as_str(), name.as_str()]);
        crate::suggest::did_you_mean(token, candidates)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Bytes(usize, usize),
    Line(usize),
    File,
}

/// One rule (or every rule, `code: None`) suppressed over a region by one comment.
#[derive(Debug)]
struct Entry {
    code: Option<String>,
    region: Region,
    comment: Range<usize>,
    used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    NextLine,
    File,
}

/// Splits a comment into a directive and its targets; `None` when it is not a directive.
fn directive(comment: &str) -> Option<(Kind, Vec<&str>)> {
    // Longest prefixes first: "sopkit-disable" is a prefix of the others.
    const KINDS: [(&str, Kind); 4] = [
        ("sopkit-disable-next-line", Kind::NextLine),
        ("sopkit-disable-file", Kind::File),
        ("sopkit-disable", Kind::Disable),
        ("sopkit-enable", Kind::Enable),
    ];
    let text = comment.trim();
    let (kind, rest) = KINDS.iter().find_map(|(prefix, kind)| {
        let rest = text.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((*kind, rest))
    })?;
    // `-- reason` explains the suppression and names no rule.
    let rest = rest.split(" --").next().unwrap_or_default();
    let targets = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    Some((kind, targets))
}

/// Removes suppressed diagnostics and returns the unused-suppression findings when `unused`,
/// the code of the unused-suppression rule, is given (the rule is enabled).
pub(crate) fn apply(
    doc: Text<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    known: &Known<'_>,
    unused: Option<&str>,
) -> Vec<Finding> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut problems: Vec<Finding> = Vec::new();
    // Open `sopkit-disable` ranges: (code, start offset, comment span).
    let mut open: Vec<(Option<String>, usize, Range<usize>)> = Vec::new();
    let mut comments: Vec<_> = doc.comments.iter().collect();
    comments.sort_by_key(|c| c.span.start);
    for comment in comments {
        let Some((kind, tokens)) = directive(&comment.value) else {
            continue;
        };
        let span = comment.span.range();
        let mut codes: Vec<Option<String>> = Vec::new();
        for token in &tokens {
            match known.resolve(token) {
                Some((code, enabled)) => {
                    if !enabled && kind != Kind::Enable {
                        problems.push(Finding::new(
                            span.clone(),
                            format!("unused suppression: rule `{code}` is not enabled"),
                        ));
                    } else {
                        codes.push(Some(code.to_string()));
                    }
                }
                None => {
                    let mut f = Finding::new(
                        span.clone(),
                        format!("unknown rule `{token}` in suppression"),
                    );
                    if let Some(s) = known.suggest(token) {
                        f = f.help(format!("did you mean `{s}`?"));
                    }
                    problems.push(f);
                }
            }
        }
        if tokens.is_empty() {
            codes.push(None);
        }
        match kind {
            Kind::Disable => {
                for code in codes {
                    if !open.iter().any(|(c, _, _)| *c == code) {
                        open.push((code, span.end, span.clone()));
                    }
                }
            }
            Kind::Enable => {
                for code in codes {
                    let closes: Vec<usize> = (0..open.len())
                        .filter(|&i| code.is_none() || open[i].0 == code)
                        .collect();
                    if closes.is_empty() {
                        let what = code.as_deref().map_or(String::new(), |c| format!(" {c}"));
                        problems.push(Finding::new(
                            span.clone(),
                            format!("`sopkit-enable{what}` closes no `sopkit-disable`"),
                        ));
                    }
                    for i in closes.into_iter().rev() {
                        let (code, start, comment) = open.remove(i);
                        entries.push(Entry {
                            code,
                            region: Region::Bytes(start, span.start),
                            comment,
                            used: false,
                        });
                    }
                }
            }
            Kind::NextLine => {
                let line = doc.index.line_col(doc.source, span.end).0 + 1;
                for code in codes {
                    entries.push(Entry {
                        code,
                        region: Region::Line(line),
                        comment: span.clone(),
                        used: false,
                    });
                }
            }
            Kind::File => {
                for code in codes {
                    entries.push(Entry {
                        code,
                        region: Region::File,
                        comment: span.clone(),
                        used: false,
                    });
                }
            }
        }
    }
    // A range never closed runs to the end of the file.
    for (code, start, comment) in open {
        entries.push(Entry {
            code,
            region: Region::Bytes(start, doc.source.len()),
            comment,
            used: false,
        });
    }
    if entries.is_empty() && problems.is_empty() {
        return Vec::new();
    }

    let index = EntryIndex::new(&entries);
    let mut used = vec![false; entries.len()];
    diagnostics.retain(|d| {
        let mut suppressed = false;
        index.matching(d, |i| {
            used[i] = true;
            suppressed = true;
        });
        !suppressed
    });
    for (e, used) in entries.iter_mut().zip(used) {
        e.used |= used;
    }

    let Some(code) = unused else {
        return Vec::new();
    };
    // `sopkit-disable-file SUP001` silences this rule itself, and is never reported unused.
    let silenced = entries
        .iter()
        .any(|e| e.region == Region::File && e.code.as_deref() == Some(code));
    if silenced {
        return Vec::new();
    }
    for e in entries.iter().filter(|e| !e.used) {
        let message = match &e.code {
            Some(c) => format!("unused suppression: no `{c}` finding here"),
            None => "unused suppression: no finding here".to_string(),
        };
        problems.push(Finding::new(e.comment.clone(), message).help("remove the comment"));
    }
    problems.sort_by(|a, b| (a.span.start, &a.message).cmp(&(b.span.start, &b.message)));
    problems
}

/// A byte range an entry covers: (start, end, entry, greatest end of the ranges up to it).
type Covered = (usize, usize, usize, usize);

/// The entries by the rule they name and the place they cover, so that a finding is checked
/// against the few entries that could suppress it, not all of them (a file of 50,000
/// `disable`/`enable` pairs and as many findings would otherwise cost their product).
struct EntryIndex<'a> {
    /// Byte ranges of each rule (`None`: every rule), sorted by start, with the greatest end
    /// so far.
    ranges: HashMap<Option<&'a str>, Vec<Covered>>,
    lines: HashMap<(Option<&'a str>, usize), Vec<usize>>,
    files: HashMap<Option<&'a str>, Vec<usize>>,
}

impl<'a> EntryIndex<'a> {
    fn new(entries: &'a [Entry]) -> Self {
        let mut index = Self {
            ranges: HashMap::new(),
            lines: HashMap::new(),
            files: HashMap::new(),
        };
        for (i, e) in entries.iter().enumerate() {
            let code = e.code.as_deref();
            match e.region {
                // (start, end, entry, greatest end so far), the last filled in below.
                Region::Bytes(a, b) => {
                    index
                        .ranges
                        .entry(code)
                        .or_default()
                        .push((a, b.max(a + 1), i, 0))
                }
                Region::Line(l) => index.lines.entry((code, l)).or_default().push(i),
                Region::File => index.files.entry(code).or_default().push(i),
            }
        }
        for ranges in index.ranges.values_mut() {
            ranges.sort_unstable();
            let mut reach = 0;
            for r in ranges.iter_mut() {
                reach = reach.max(r.1);
                r.3 = reach;
            }
        }
        index
    }

    /// Calls `hit` with every entry that suppresses `d`.
    fn matching(&self, d: &Diagnostic, mut hit: impl FnMut(usize)) {
        let at = d.span.start;
        for code in [None, Some(d.code.as_str())] {
            if let Some(ranges) = self.ranges.get(&code) {
                // Entries starting at or before `at`, walked back while one could still reach it.
                let mut i = ranges.partition_point(|r| r.0 <= at);
                while i > 0 && ranges[i - 1].3 > at {
                    i -= 1;
                    crate::work::add(1);
                    let (a, b, entry, _) = ranges[i];
                    if at >= a && at < b {
                        hit(entry);
                    }
                }
            }
            for i in self.lines.get(&(code, d.line)).into_iter().flatten() {
                hit(*i);
            }
            for i in self.files.get(&code).into_iter().flatten() {
                hit(*i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(
            directive(" sopkit-disable P001, step-length "),
            Some((Kind::Disable, vec!["P001", "step-length"]))
        );
        assert_eq!(
            directive("sopkit-disable-next-line"),
            Some((Kind::NextLine, vec![]))
        );
        assert_eq!(
            directive("sopkit-disable-file M001 -- generated file"),
            Some((Kind::File, vec!["M001"]))
        );
        assert_eq!(directive("sopkit-enable"), Some((Kind::Enable, vec![])));
        assert_eq!(directive("sopkit-disabled P001"), None);
        assert_eq!(directive("just a comment"), None);
    }

    #[test]
    fn suppression_matching_is_linear() {
        // Every finding checked against every entry made 50k disable/enable pairs take 13 s.
        let rules = [
            ("P001".to_string(), "one-action".to_string(), true),
            ("SUP001".to_string(), "unused-suppression".to_string(), true),
        ];
        crate::work::assert_linear(
            "suppressions",
            1_000,
            |n| {
                let src: String = (0..n)
                    .map(|i| format!("<!-- sopkit-disable P001 -->\nText {i}.\n<!-- sopkit-enable P001 -->\n\n"))
                    .collect();
                let doc =
                    crate::document::parse("t.md", src, &crate::document::ParseOptions::default());
                let diagnostics: Vec<Diagnostic> = doc
                    .source
                    .match_indices("Text")
                    .map(|(at, _)| {
                        let (line, column) = doc.line_col(at);
                        Diagnostic {
                            path: "t.md".into(),
                            line,
                            column,
                            end_line: line,
                            end_column: column + 4,
                            code: "P001".into(),
                            name: "one-action".into(),
                            severity: crate::rule::Severity::Warning,
                            message: "m".into(),
                            help: None,
                            span: at..at + 4,
                            fix: None,
                        }
                    })
                    .collect();
                (doc, diagnostics)
            },
            |(doc, diagnostics)| {
                let mut diagnostics = diagnostics.clone();
                let unused = apply(
                    doc.into(),
                    &mut diagnostics,
                    &Known { rules: &rules },
                    Some("SUP001"),
                );
                assert!(diagnostics.is_empty() && unused.is_empty());
            },
        );
    }
}
