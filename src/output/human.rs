//! Rich reports through miette, grouped by file: a header line per file with its counts, then
//! each finding with the offending words underlined, its code and name, and a help line. Ends
//! with the summary line. Fixed width and (without colour) a plain theme, so output is stable.
//!
//! Files are rendered in parallel, a batch at a time, and written in order. Each finding reads
//! only the lines around its span (through the line index), not the file from its start: a
//! file with 18,000 findings renders in time proportional to its findings.

use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;

use super::{escape_control, plural, summary_line, Run};
use crate::document::LineIndex;
use crate::lint::FileReport;
use crate::rule::Diagnostic;
use crate::rule::Severity;

/// Reports are wrapped at this width whatever the terminal, so snapshots do not depend on it.
const WIDTH: usize = 100;

/// Files rendered at once: enough to keep every core busy, few enough to bound the memory of
/// rendered text waiting to be written.
const BATCH: usize = 256;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let theme = if run.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = Handlers::new(theme);
    let with_findings: Vec<&FileReport> = run
        .reports
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .collect();
    for batch in with_findings.chunks(BATCH) {
        let rendered: Vec<io::Result<String>> = batch
            .par_iter()
            .map(|report| render_file(&handler, run.color, report))
            .collect();
        for text in rendered {
            out.write_all(text?.as_bytes())?;
        }
    }
    writeln!(out, "{}", summary_line(run))
}

/// The header and every finding of one file.
fn render_file(handler: &Handlers, color: bool, report: &FileReport) -> io::Result<String> {
    let mut out = file_header(color, &escape_control(&report.path), &report.diagnostics);
    out.push('\n');
    // One shared copy of the source per file, not one per finding.
    let source = match (&report.document, report.source()) {
        (Some(d), _) => Some(FileSource::new(d.source.clone(), d.line_index.clone())),
        (None, Some(text)) => Some(FileSource::new(text.to_string(), LineIndex::new(text))),
        (None, None) => None,
    }
    .map(Arc::new);
    for d in &report.diagnostics {
        let mut rendered = String::new();
        let diag = to_miette(d);
        match &source {
            // A finding of a parsed file: show the source with the span underlined.
            Some(src) if d.span.end <= src.text.len() && shows_line(src, d.span.start) => {
                let span = char_aligned(&src.text, d.span.clone());
                let diag = diag.with_label(LabeledSpan::at(span, d.name.clone()));
                let named = NamedSource::new(escape_control(&d.path), Arc::clone(src));
                let with_source = WithSource {
                    diag: &diag,
                    source: &named,
                };
                handler
                    .of(&diag)
                    .render_report(&mut rendered, &with_source)
                    .map_err(io::Error::other)?;
            }
            // A file that could not be read or parsed has no source to show, and a line too
            // long to show is not underlined: say where.
            _ => {
                let at = format!("at {}:{}:{}", escape_control(&d.path), d.line, d.column);
                let diag = diag.with_help(match &d.help {
                    Some(h) => format!("{h}; {at}"),
                    None => at,
                });
                handler
                    .of(&diag)
                    .render_report(&mut rendered, &diag)
                    .map_err(io::Error::other)?;
            }
        }
        out.push_str(&rendered);
        if !rendered.ends_with("\n\n") {
            out.push('\n');
        }
    }
    Ok(out)
}

/// The report handlers: one wrapping long texts to [`WIDTH`], and one that does not wrap, for
/// the (most) findings whose texts all fit on their line, where wrapping changes nothing and
/// costs a third of the rendering (a Unicode line-break pass over every text).
struct Handlers {
    wrapping: GraphicalReportHandler,
    plain: GraphicalReportHandler,
}

/// The widest indent miette puts before a text it wraps: "  help: ".
const INDENT: usize = 8;

impl Handlers {
    fn new(theme: GraphicalTheme) -> Self {
        let wrapping = GraphicalReportHandler::new_themed(theme)
            .with_width(WIDTH)
            .with_links(false);
        let plain = wrapping.clone().with_wrap_lines(false);
        Self { wrapping, plain }
    }

    /// The handler for a finding: the plain one when its message and help fit.
    fn of(&self, diag: &MietteDiagnostic) -> &GraphicalReportHandler {
        let help_fits = diag.help.as_deref().is_none_or(fits_unwrapped);
        if fits_unwrapped(&diag.message) && help_fits {
            &self.plain
        } else {
            &self.wrapping
        }
    }
}

/// Whether miette's wrapping leaves `text` as it is: one line, no control character, no space
/// but ' ', none at either end nor two in a row, and well within the width after the widest
/// indent, counting two columns for every character beyond ASCII (none is wider).
fn fits_unwrapped(text: &str) -> bool {
    let mut width = 0;
    for c in text.chars() {
        if c.is_control() || (c.is_whitespace() && c != ' ') {
            return false;
        }
        width += if c.is_ascii() { 1 } else { 2 };
    }
    // miette wraps to WIDTH - 2 columns; one column of margin besides.
    width > 0
        && width + INDENT < WIDTH - 3
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
}

/// A finding with the source it underlines, as miette's `Report::with_source_code` makes it
/// (without a report: building one looks up the global handler, terminal included, each time).
struct WithSource<'a> {
    diag: &'a MietteDiagnostic,
    source: &'a dyn SourceCode,
}

impl std::fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.diag, f)
    }
}

impl std::fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.diag, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl miette::Diagnostic for WithSource<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.diag.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.help()
    }

    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.url()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }
}

/// A line longer than this (in bytes) is not shown under its findings; they say where instead.
/// At most 4 columns a byte (a tab), such a line stays within the 65,535 columns miette can pad
/// to, and a finding never prints more than this much of its line: many findings on one long
/// line cost output in proportion to their number.
const MAX_SHOWN_LINE: usize = 15_000;

/// Whether the line holding `at` is short enough to show (see [`MAX_SHOWN_LINE`]).
fn shows_line(src: &FileSource, at: usize) -> bool {
    src.index.line_around(at, src.text.len()).len() <= MAX_SHOWN_LINE
}

/// A file's text for miette, read through its line index: a span's contents (with its context
/// lines) come from a window of a few lines around it, with the same lines, columns and
/// offsets miette would compute scanning the whole text from its start.
#[derive(Debug)]
struct FileSource {
    text: String,
    index: LineIndex,
    /// A carriage return not followed by a line feed ends a line for miette, not for the line
    /// index: such (rare) files are read whole, as miette reads them.
    lone_cr: bool,
}

impl FileSource {
    fn new(text: String, index: LineIndex) -> Self {
        let bytes = text.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        Self {
            text,
            index,
            lone_cr,
        }
    }
}

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if self.lone_cr || end > text.len() {
            return text.read_span(span, context_lines_before, context_lines_after);
        }
        // 0-based lines of the span's ends, widened by the context lines and one more line
        // on each side.
        let first = self.index.line_col(text, start).0 - 1;
        let last = self
            .index
            .line_col(text, end.saturating_sub(1).max(start))
            .0
            - 1;
        let from_line = first.saturating_sub(context_lines_before + 1);
        let from = self.index.line_start(from_line + 1).unwrap_or(0);
        let to = self
            .index
            .line_start(last + context_lines_after + 3)
            .unwrap_or(text.len());
        crate::work::add(to - from);
        let window = &text[from..to];
        let inner = SourceSpan::new((start - from).into(), span.len());
        let contents = window.read_span(&inner, context_lines_before, context_lines_after)?;
        let shifted = SourceSpan::new(
            (contents.span().offset() + from).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new(
            contents.data(),
            shifted,
            contents.line() + from_line,
            contents.column(),
            contents.line_count() + from_line,
        )))
    }
}
/// The span widened to whole characters: a rule bug must not make the renderer slice a
/// character in two.
fn char_aligned(src: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = span.start.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, src.len());
    while !src.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn to_miette(d: &Diagnostic) -> MietteDiagnostic {
    let mut diag = MietteDiagnostic::new(escape_control(&d.message).into_owned())
        .with_code(format!("{}({})", d.code, d.name))
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        });
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    diag
}

/// "sops/refund.md: 2 errors, 1 warning" (only the severities present), bold with colour.
fn file_header(color: bool, path: &str, diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "note"),
    ]
    .into_iter()
    .filter_map(|(sev, word)| match count(sev) {
        0 => None,
        n => Some(plural(n, word)),
    })
    .collect();
    let line = format!("{path}: {}", parts.join(", "));
    if color {
        format!("\u{1b}[1m{line}\u{1b}[0m")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field miette reads of a span's contents.
    fn fields(c: &dyn SpanContents<'_>) -> (Vec<u8>, usize, usize, usize, usize, usize) {
        (
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        )
    }

    proptest::proptest! {
        /// The plain handler renders exactly as the wrapping one whenever it is chosen.
        #[test]
        fn unwrapped_findings_render_as_wrapped_ones(
            message in "[a-zA-Z0-9 `'.,:;()-]{0,120}|[a-z “”’—é€中😀\u{301}.-]{0,70}|[a-z \u{a0}\t\u{3000}-]{0,60}",
            help in proptest::option::of("[a-zA-Z0-9 `'.,?“”-]{0,120}|[a-z 中😀.-]{0,60}"),
            color: bool,
        ) {
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            let handlers = Handlers::new(theme);
            let text = "# Title\n\n1. Do the thing.\n2. Then the other.\n";
            let src = Arc::new(FileSource::new(text.to_string(), LineIndex::new(text)));
            let mut diag = MietteDiagnostic::new(message)
                .with_code("P001(one-action)")
                .with_severity(miette::Severity::Warning)
                .with_label(LabeledSpan::at(12..20, "one-action"));
            if let Some(help) = help {
                diag = diag.with_help(help);
            }
            let named = NamedSource::new("a.md", src);
            let with_source = WithSource { diag: &diag, source: &named };
            let render = |h: &GraphicalReportHandler| {
                let mut out = String::new();
                h.render_report(&mut out, &with_source).map(|_| out)
            };
            if std::ptr::eq(handlers.of(&diag), &handlers.plain) {
                proptest::prop_assert_eq!(render(&handlers.plain), render(&handlers.wrapping));
            }
        }
    }

    #[test]
    fn long_texts_are_wrapped() {
        let handlers = Handlers::new(GraphicalTheme::unicode_nocolor());
        let long = MietteDiagnostic::new("word ".repeat(30).trim_end().to_string());
        assert!(std::ptr::eq(handlers.of(&long), &handlers.wrapping));
        let short = MietteDiagnostic::new("one action per step").with_help("split it");
        assert!(std::ptr::eq(handlers.of(&short), &handlers.plain));
    }

    #[test]
    fn windows_read_as_the_whole_text_does() {
        for text in [
            "a\nbc\n\nd€f\ng\n",
            "one\r\ntwo\r\n\r\nthree\r\nfour",
            "x",
            "",
            "\n\n\n",
            "a\rb\nc\n",
            "# T\n\n1. A.\n2. B.\n   - c\n\nend",
        ] {
            let src = FileSource::new(text.to_string(), LineIndex::new(text));
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                        continue;
                    }
                    let span = SourceSpan::new(start.into(), end - start);
                    for (before, after) in [(0, 0), (1, 1), (2, 2), (0, 1), (3, 0)] {
                        let whole = text.read_span(&span, before, after).map(|c| fields(&*c));
                        let window = src.read_span(&span, before, after).map(|c| fields(&*c));
                        assert_eq!(
                            format!("{whole:?}"),
                            format!("{window:?}"),
                            "{text:?} {start}..{end} ({before}, {after})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_finding_reads_the_lines_around_it_not_the_file() {
        crate::work::assert_linear(
            "human rendering of one file",
            2_000,
            |n| {
                let text: String = (0..n).map(|i| format!("line {i} with words\n")).collect();
                FileSource::new(text.clone(), LineIndex::new(&text))
            },
            |src| {
                let mut at = 0;
                while at < src.text.len() {
                    let span = SourceSpan::new(at.into(), 4);
                    let _ = src.read_span(&span, 1, 1);
                    at += 20;
                }
            },
        );
    }
}
