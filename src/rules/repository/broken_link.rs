use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{parse, DocSummary, Document};
use crate::rule::{declare_rule, Context, Finding, LinkedFile, Rule};
use rayon::prelude::*;

declare_rule! {
    /// ## What it does
    /// Checks relative links to other SOPs and to headings:
    /// - `other.md` (or `.markdown`) must exist, resolved from the folder of the linking
    ///   document;
    /// - `other.md#anchor` must name a heading of that document, and `#anchor` a heading of
    ///   the same document. Anchors are GitHub-style slugs: lower case, spaces as `-`,
    ///   punctuation dropped, letters of any language kept ("## Povijest izmjena" →
    ///   `#povijest-izmjena`); repeated headings get `-1`, `-2`…. Renderers slug differently
    ///   (`#gov-uk-teams` for "GOV.UK teams" in Middleman), so an anchor matches when its
    ///   letters and digits match. HTML `id="…"` on any element, `<a name="…">` and kramdown
    ///   `{#id}` attributes count too.
    ///
    /// Placeholder links (`#`, `#TODO`, an empty target) are not broken links: X005 reports
    /// them once per file. With `check-files: false` (for a partial copy of a repository)
    /// links to missing files are not reported; anchors are still checked.
    ///
    /// A link to a missing file is not reported when the text right after it says the document
    /// is yet to be written (`[Insider threat](insider.md) (Coming Soon)`), nor in a template
    /// (a file named `*template*` or in a `templates/` folder), whose links are written for the
    /// copies. A repeated heading also answers to its parent's anchor and its own joined
    /// (`#what-we-decided-transit-gateway`), as GOV.UK tech-docs names it.
    ///
    /// Links with a scheme (`https:`, `mailto:`, `tel:`), absolute paths and links to other
    /// file types are not checked.
    ///
    /// Targets are looked up first among the documents of the run (no file access, so a
    /// directory linted together always resolves), then on disk relative to the current
    /// directory, which is where the paths given on the command line are relative to. A file
    /// found on disk but not linted is parsed only to read its headings.
    ///
    /// ## Why is this bad?
    /// SOPs lean on each other ("follow CS-002 for refunds"). A broken link sends a reader
    /// nowhere in the middle of a procedure, usually after a file or heading was renamed.
    ///
    /// ## Example
    /// ```markdown
    /// For refunds, follow [the refund SOP](refund-approval.md#aproval-limits).
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// For refunds, follow [the refund SOP](refund-approval.md#approval-limits).
    /// ```
    pub(crate) BrokenLink {
        code: "X002",
        name: "broken-link",
        severity: Error,
        summary: "A relative link points to a missing file or heading",
        options: Options,
        fixable: false,
        since: "0.1.0",
    }
}

/// Options of X002.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub(crate) struct Options {
    /// Report links to files that do not exist. Turn it off for a partial copy of a
    /// repository, where linked files were left out; anchors are still checked in the files
    /// that are there.
    pub check_files: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { check_files: true }
    }
}

/// How many anchors a help line lists before it stops.
const LISTED: usize = 6;

static SCHEME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").expect("scheme regex"));

/// Anchors written as placeholders: reported once per file by X005, not as broken links.
pub(crate) fn is_placeholder(target: &str) -> bool {
    let t = target.trim();
    let anchor = t.strip_prefix('#').unwrap_or(t).to_ascii_lowercase();
    t.is_empty()
        || t == "#"
        || (t.starts_with('#')
            && matches!(
                anchor.as_str(),
                "todo" | "tbd" | "tbc" | "fixme" | "xxx" | "placeholder" | "link" | "url"
            ))
}

/// An anchor reduced to its letters and digits: renderers differ in how they slug headings
/// ("GOV.UK teams" is `#govuk-teams` on GitHub and `#gov-uk-teams` in Middleman), so anchors
/// are compared in this form.
fn loose(anchor: &str) -> String {
    anchor
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The GitHub anchor of a heading: lower case, spaces to `-`, other punctuation dropped.
pub(crate) fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Every anchor of a document: heading slugs (repeats numbered as GitHub does) and HTML ids.
fn anchors(doc: &DocSummary) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = BTreeSet::new();
    // (level, slug) of the enclosing headings: GOV.UK tech-docs gives a repeated heading the
    // id of its parent heading and its own ("#what-we-decided-transit-gateway").
    let mut parents: Vec<(u8, String)> = Vec::new();
    for (level, heading) in &doc.headings {
        // A kramdown attribute list names the anchor itself; the rest is the heading.
        let heading = heading.trim_end();
        let heading = match heading.rfind('{') {
            Some(i) if heading.ends_with('}') => &heading[..i],
            _ => heading,
        };
        let base = slug(heading);
        while parents.last().is_some_and(|(l, _)| l >= level) {
            parents.pop();
        }
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        if *n > 0 {
            if let Some((_, parent)) = parents.last() {
                out.insert(format!("{parent}-{base}"));
            }
        }
        *n += 1;
        parents.push((*level, base));
    }
    for id in &doc.anchor_ids {
        out.insert(id.to_lowercase());
    }
    let loose_forms: Vec<String> = out.iter().map(|a| loose(a)).collect();
    out.extend(loose_forms.into_iter().map(|l| format!("{LOOSE}{l}")));
    out
}

/// Prefix of the loose forms kept beside the anchors (never a valid anchor character).
const LOOSE: char = '\u{1}';

/// Whether `anchor` names one of `known`, exactly or in its loose form.
fn has_anchor(known: &BTreeSet<String>, anchor: &str) -> bool {
    known.contains(anchor) || known.contains(&format!("{LOOSE}{}", loose(anchor)))
}

/// The anchors as written (without the loose forms), for help lines.
fn written(known: &BTreeSet<String>) -> BTreeSet<String> {
    known
        .iter()
        .filter(|a| !a.starts_with(LOOSE))
        .cloned()
        .collect()
}

/// `%20` and friends decoded; invalid sequences are kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `rel` resolved against the folder of `from`, with `.` and `..` folded lexically.
fn resolve(from: &str, rel: &str) -> String {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    if dir.is_empty() && !from.starts_with('/') {
        crate::input::normalize(rel)
    } else {
        crate::input::normalize(&format!("{dir}/{rel}"))
    }
}

/// Where a link points.
enum Target<'a> {
    /// `#anchor` in the same document.
    Local(String),
    /// A Markdown file, maybe with an anchor.
    File {
        path: &'a str,
        anchor: Option<String>,
    },
}

fn classify(target: &str) -> Option<Target<'_>> {
    let t = target.trim();
    if t.is_empty() || SCHEME.is_match(t) || t.starts_with('/') || t.starts_with('\\') {
        return None;
    }
    let (path, anchor) = match t.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a).to_lowercase())),
        None => (t, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return anchor.filter(|a| !a.is_empty()).map(Target::Local);
    }
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        return None;
    }
    Some(Target::File {
        path,
        anchor: anchor.filter(|a| !a.is_empty()),
    })
}

static NOT_YET_WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\s.,;:*_]{0,3}[(\[]?\s*(?:coming soon|planned|forthcoming|not yet (?:written|available|published)|to be written|to come|tbd|wip)\b",
    )
    .expect("not yet written regex")
});

/// Whether the text right after a link says its document is yet to be written
/// ("[Insider threat](IRP-InsiderThreat.md) (Coming Soon)"): a promise, not a broken link.
fn marked_not_yet_written(after_link: &str) -> bool {
    NOT_YET_WRITTEN.is_match(after_link)
}

/// Whether the document is a template (`PLAYBOOK_TEMPLATE.md`, `templates/sop.md`): its
/// relative links are written for the copies, which live elsewhere.
fn is_template(path: &str) -> bool {
    let lower = path.to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    name.contains("template")
        || lower
            .split('/')
            .any(|d| d == "templates" || d == "_templates")
}

/// What is known about a file outside the run, read through the context: its anchors
/// (`Some`), that it does not exist (`Some(None)`), or nothing (`None`: outside the folders of
/// the run).
fn read_linked(path: &str, ctx: &Context<'_>) -> Option<Option<BTreeSet<String>>> {
    match ctx.files.read(path) {
        LinkedFile::Outside => None,
        LinkedFile::Missing => Some(None),
        // A file that cannot be read as text still exists: its anchors are unknown, not
        // missing.
        LinkedFile::Unreadable => Some(Some(BTreeSet::new())),
        LinkedFile::Text(source) => {
            let doc = parse(path, source, &ctx.settings.parse);
            Some(Some(anchors(&DocSummary::of(&doc))))
        }
    }
}

/// The anchors of one linked document as help lines offer them: as written (without the loose
/// forms), each with its lower-cased form and a character histogram, built once per document
/// however many links miss it.
struct Offered {
    written: Vec<String>,
    lower: Vec<(Vec<char>, [u16; BUCKETS])>,
}

/// Histogram buckets: a coarse class of each character, so that the characters two strings
/// share are at most the sum over buckets of the smaller count.
const BUCKETS: usize = 64;

fn bucket(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize),
        '-' => 36,
        '_' => 37,
        c if c.is_ascii() => 38,
        c => 39 + (c as usize) % (BUCKETS - 39),
    }
}

fn histogram(chars: &[char]) -> [u16; BUCKETS] {
    let mut h = [0u16; BUCKETS];
    for &c in chars {
        h[bucket(c)] = h[bucket(c)].saturating_add(1);
    }
    h
}

impl Offered {
    fn new(known: &BTreeSet<String>) -> Self {
        let written: Vec<String> = written(known).into_iter().collect();
        let lower = written
            .iter()
            .map(|a| {
                let chars: Vec<char> = a.to_lowercase().chars().collect();
                let h = histogram(&chars);
                (chars, h)
            })
            .collect();
        Self { written, lower }
    }

    /// [`did_you_mean`] over the anchors, skipping those that cannot come close: Jaro-Winkler
    /// above 0.8 needs a Jaro similarity above 0.7, which needs the characters the two share
    /// (at most the histogram overlap `c`) to give `c/|a| + c/|b| > 1.1`.
    fn closest(&self, anchor: &str) -> Option<&str> {
        let input: Vec<char> = anchor.to_lowercase().chars().collect();
        let h = histogram(&input);
        let mut best: Option<(f64, usize)> = None;
        for (i, (chars, ch)) in self.lower.iter().enumerate() {
            crate::work::add(1);
            let shared: usize = h.iter().zip(ch).map(|(a, b)| usize::from(*a.min(b))).sum();
            let (la, lb) = (input.len() as f64, chars.len().max(1) as f64);
            if !input.is_empty() && shared as f64 / la + shared as f64 / lb < 1.1 - 1e-9 {
                continue;
            }
            let score = strsim::generic_jaro_winkler(&input, chars);
            // As `did_you_mean`: above 0.8, the last of equal best scores.
            if score > 0.8 && best.is_none_or(|(b, _)| score >= b) {
                best = Some((score, i));
            }
        }
        best.map(|(_, i)| self.written[i].as_str())
    }

    /// The help line: the closest anchor when `suggest` and one is close, else the anchors.
    fn help(&self, anchor: &str, place: &str, suggest: bool) -> String {
        if let Some(close) = suggest.then(|| self.closest(anchor)).flatten() {
            return format!("did you mean \"#{close}\"?");
        }
        if self.written.is_empty() {
            return "the document has no headings; link to it without an anchor".to_string();
        }
        let mut names: Vec<String> = self
            .written
            .iter()
            .take(LISTED)
            .map(|a| format!("#{a}"))
            .collect();
        if self.written.len() > LISTED {
            names.push("…".to_string());
        }
        format!("anchors in {place}: {}", names.join(", "))
    }
}

/// How many distinct broken anchors into one document get a "did you mean" (see
/// [`with_help`]); the others list the document's anchors. No real document comes near it.
const MAX_SUGGESTED: usize = 1000;

/// Where the anchors of a finding's help come from: a document of the run or a file read.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Source {
    Run(usize),
    Disk(String),
}

/// A finding whose help line ("did you mean …?") is computed once the links are all read:
/// once per linked document and anchor, in parallel.
struct Pending {
    doc: usize,
    finding: Finding,
    help: Option<(Source, String, String)>,
}

impl Rule for BrokenLink {
    fn check(&self, _doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }

    fn check_all(&self, docs: &[DocSummary], ctx: &Context<'_>) -> Vec<(usize, Finding)> {
        let by_path: HashMap<String, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (resolve("", &d.path), i))
            .collect();
        let absolute: HashMap<String, usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.path.starts_with('/'))
            .map(|(i, d)| (resolve("/", &d.path), i))
            .collect();
        let mut doc_anchors: HashMap<usize, BTreeSet<String>> = HashMap::new();
        let mut disk: HashMap<String, Option<Option<BTreeSet<String>>>> = HashMap::new();
        let mut out: Vec<Pending> = Vec::new();
        let plain = |doc: usize, finding: Finding| Pending {
            doc,
            finding,
            help: None,
        };
        for (i, doc) in docs.iter().enumerate() {
            for link in &doc.links {
                if is_placeholder(&link.target) {
                    continue;
                }
                let Some(target) = classify(&link.target) else {
                    continue;
                };
                let span = link.target_span.clone();
                match target {
                    Target::Local(anchor) => {
                        let known = doc_anchors.entry(i).or_insert_with(|| anchors(doc));
                        if !has_anchor(known, &anchor) {
                            out.push(Pending {
                                doc: i,
                                finding: Finding::new(
                                    span,
                                    format!("this document has no heading for \"#{anchor}\""),
                                ),
                                help: Some((Source::Run(i), anchor, "this document".to_string())),
                            });
                        }
                    }
                    Target::File { path, anchor } => {
                        let decoded = percent_decode(path);
                        let resolved = resolve(&doc.path, &decoded);
                        let in_run = by_path
                            .get(&resolved)
                            .or_else(|| absolute.get(&resolved))
                            .copied();
                        let source = match in_run {
                            Some(j) => Source::Run(j),
                            None => Source::Disk(resolved.clone()),
                        };
                        let known: &BTreeSet<String> = match in_run {
                            Some(j) => doc_anchors.entry(j).or_insert_with(|| anchors(&docs[j])),
                            None => {
                                let entry = disk
                                    .entry(resolved.clone())
                                    .or_insert_with(|| read_linked(&resolved, ctx));
                                match entry {
                                    // Outside the folders of the run: not checked.
                                    None => continue,
                                    Some(Some(known)) => known,
                                    Some(None) if !self.options.check_files => continue,
                                    Some(None)
                                        if is_template(&doc.path)
                                            || marked_not_yet_written(&link.after) =>
                                    {
                                        continue
                                    }
                                    Some(None) => {
                                        out.push(plain(
                                            i,
                                            Finding::new(
                                                span,
                                                format!("the linked file \"{decoded}\" does not exist (looked for {resolved})"),
                                            )
                                            .help("check the file name; relative links resolve from the folder of the linking document"),
                                        ));
                                        continue;
                                    }
                                }
                            }
                        };
                        if let Some(anchor) = anchor {
                            if !has_anchor(known, &anchor) {
                                out.push(Pending {
                                    doc: i,
                                    finding: Finding::new(
                                        span,
                                        format!("\"{decoded}\" has no heading for \"#{anchor}\""),
                                    ),
                                    help: Some((source, anchor, decoded.clone())),
                                });
                            }
                        }
                    }
                }
            }
        }
        with_help(out, &doc_anchors, &disk)
    }
}

/// The findings with their help lines: each linked document's anchors prepared once, each
/// (document, anchor) suggestion computed once, in parallel.
fn with_help(
    pending: Vec<Pending>,
    doc_anchors: &HashMap<usize, BTreeSet<String>>,
    disk: &HashMap<String, Option<Option<BTreeSet<String>>>>,
) -> Vec<(usize, Finding)> {
    let known = |source: &Source| match source {
        Source::Run(j) => doc_anchors.get(j),
        Source::Disk(path) => disk.get(path).and_then(|k| k.as_ref()?.as_ref()),
    };
    let wanted: std::collections::HashSet<(&Source, &str, &str)> = pending
        .iter()
        .filter_map(|p| p.help.as_ref())
        .map(|(s, a, place)| (s, a.as_str(), place.as_str()))
        .collect();
    let wanted: Vec<_> = wanted.into_iter().collect();
    let sources: std::collections::HashSet<&Source> = wanted.iter().map(|w| w.0).collect();
    let sources: Vec<&Source> = sources.into_iter().collect();
    let offered: HashMap<&Source, Offered> = sources
        .into_par_iter()
        .filter_map(|s| Some((s, Offered::new(known(s)?))))
        .collect();
    // "Did you mean" compares an anchor with every anchor of its document: for at most
    // MAX_SUGGESTED distinct broken anchors into one document (the first in order), so that
    // the work stays linear in the links and the headings even for a crafted file.
    let mut wanted = wanted;
    wanted.sort_unstable();
    let mut per_source: HashMap<&Source, usize> = HashMap::new();
    let wanted: Vec<_> = wanted
        .into_iter()
        .map(|w| {
            let n = per_source.entry(w.0).or_default();
            *n += 1;
            (w, *n <= MAX_SUGGESTED)
        })
        .collect();
    let helps: HashMap<(&Source, &str, &str), String> = wanted
        .into_par_iter()
        .filter_map(|(w, suggest)| Some((w, offered.get(w.0)?.help(w.1, w.2, suggest))))
        .collect();
    pending
        .iter()
        .map(|p| {
            let mut finding = p.finding.clone();
            if let Some((s, a, place)) = &p.help {
                if let Some(help) = helps.get(&(s, a.as_str(), place.as_str())) {
                    finding = finding.help(help.clone());
                }
            }
            (p.doc, finding)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_like_github() {
        assert_eq!(slug("Revision history"), "revision-history");
        assert_eq!(
            slug("2. Procedure: steps & checks"),
            "2-procedure-steps--checks"
        );
        assert_eq!(slug("Povijest izmjena"), "povijest-izmjena");
        assert_eq!(slug("Määritelmät"), "määritelmät");
        assert_eq!(slug("Eskalasi 🚨 (urgent)"), "eskalasi--urgent");
        assert_eq!(slug("snake_case-name"), "snake_case-name");
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("a/b.md", "c.md"), "a/c.md");
        assert_eq!(resolve("a/b.md", "../c.md"), "c.md");
        assert_eq!(resolve("b.md", "../c.md"), "../c.md");
        assert_eq!(resolve("a/b.md", "./d/../e.md"), "a/e.md");
        assert_eq!(resolve("/x/a/b.md", "../../../c.md"), "/c.md");
        assert_eq!(resolve("", "./a/b.md"), "a/b.md");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("p%C3%A4iv%C3%A4"), "päivä");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn classifies_targets() {
        assert!(classify("https://example.com/a.md").is_none());
        assert!(classify("mailto:a@example.com").is_none());
        assert!(classify("guide.pdf").is_none());
        assert!(classify("/abs/a.md").is_none());
        assert!(matches!(classify("#Scope"), Some(Target::Local(a)) if a == "scope"));
        assert!(matches!(
            classify("a.md#x"),
            Some(Target::File {
                path: "a.md",
                anchor: Some(_)
            })
        ));
    }

    #[test]
    fn falls_back_to_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.md");
        std::fs::write(&other, "# Other\n## Escalation path\n").unwrap();
        let base = dir.path().to_string_lossy().replace('\\', "/");
        let src = "# A\n[ok](other.md#escalation-path) [bad](other.md#nope) [gone](gone.md)\n";
        let settings = crate::settings::Settings::default();
        let path = format!("{base}/a.md");
        let files = crate::input::LinkResolver::for_paths([path.as_str()]);
        let ctx = Context {
            settings: &settings,
            files: &files,
        };
        let doc = parse(&path, src.to_string(), &settings.parse);
        let found = BrokenLink::default().check_all(&[DocSummary::of(&doc)], &ctx);
        let spans: Vec<&str> = found.iter().map(|(_, f)| &src[f.span.clone()]).collect();
        assert_eq!(spans, ["other.md#nope", "gone.md"]);
    }

    #[test]
    fn suggestions_cost_the_broken_links_not_their_product_with_repeats() {
        // A suggestion per distinct (document, anchor), from anchors prepared once: doubling
        // the broken links doubles the work, and a repeated anchor costs nothing more.
        let check = |src: &str| {
            let settings = crate::settings::Settings::default();
            let ctx = Context {
                settings: &settings,
                files: &crate::rule::NoFiles,
            };
            let doc = parse("a.md", src.to_string(), &settings.parse);
            BrokenLink::default().check_all(&[DocSummary::of(&doc)], &ctx)
        };
        let headings: String = (0..200)
            .map(|i| format!("## Heading number {i}\n"))
            .collect();
        crate::work::assert_linear(
            "X002 suggestions",
            200,
            |n| {
                let links: String = (0..n)
                    .map(|i| format!("[a](#heading-numbr-{i}) [b](#heading-numbr-{i})\n\n"))
                    .collect();
                format!("# A\n{headings}{links}")
            },
            |src| {
                let found = check(src);
                assert!(found.iter().all(|(_, f)| f.help.is_some()));
            },
        );
        // Broken anchors and headings doubled together (the issue's 50k links × 2k headings):
        // past MAX_SUGGESTED anchors a document's suggestions stop, so the work doubles.
        crate::work::assert_linear(
            "X002 suggestions, anchors and headings together",
            1500,
            |n| {
                let headings: String = (0..n / 4).map(|i| format!("## Step {i} here\n")).collect();
                let links: String = (0..n).map(|i| format!("[a](#step-{i}-hre)\n\n")).collect();
                format!("# A\n{headings}{links}")
            },
            |src| {
                check(src);
            },
        );
        let found = check("# A\n## Escalation path\n[x](#escalaton-path)\n");
        assert_eq!(
            found[0].1.help.as_deref(),
            Some("did you mean \"#escalation-path\"?")
        );
    }
}
