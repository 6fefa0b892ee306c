//! Requests on one analysed document: pulled diagnostics, code actions (quick fixes, fix-all,
//! suppressions), hover and completion.

use std::collections::HashMap;

use lsp_types::request::Request as _;
use lsp_types::{
    request as r, CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem,
    CompletionItemKind, Hover, HoverContents, MarkupContent, MarkupKind, Position, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::Value;

use super::analysis::{lint_with, to_lsp, Analysis};
use super::text::Lines;
use crate::document::{Document, SectionKind};
use crate::lint::Diagnostic;
use crate::rule::{Applicability, Fix};

/// The kind of the fix-all action.
pub(crate) const FIX_ALL: &str = "source.fixAll.sopkit";

/// The answer to a request on a document, as JSON; `Err` for bad parameters.
pub(crate) fn answer(
    method: &str,
    params: Value,
    a: &Analysis,
    uri: &Uri,
) -> Result<Value, String> {
    let bad = |e: serde_json::Error| format!("invalid parameters for {method}: {e}");
    let value = match method {
        r::DocumentDiagnosticRequest::METHOD => serde_json::json!({
            "kind": "full",
            "resultId": a.version.to_string(),
            "items": a.lsp_diagnostics(),
        }),
        r::CodeActionRequest::METHOD => {
            let p: lsp_types::CodeActionParams = serde_json::from_value(params).map_err(bad)?;
            serde_json::to_value(code_actions(&p, a, uri)).map_err(bad)?
        }
        r::HoverRequest::METHOD => {
            let p: lsp_types::HoverParams = serde_json::from_value(params).map_err(bad)?;
            serde_json::to_value(hover(a, p.text_document_position_params.position)).map_err(bad)?
        }
        r::Completion::METHOD => {
            let p: lsp_types::CompletionParams = serde_json::from_value(params).map_err(bad)?;
            serde_json::to_value(completion(a, p.text_document_position.position)).map_err(bad)?
        }
        _ => return Err(format!("unsupported request {method}")),
    };
    Ok(value)
}

fn edit_of(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn wants(only: &Option<Vec<CodeActionKind>>, kind: &str) -> bool {
    only.as_ref().is_none_or(|o| {
        o.iter()
            .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
    })
}

fn code_actions(
    p: &lsp_types::CodeActionParams,
    a: &Analysis,
    uri: &Uri,
) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(&a.text);
    let (start, end) = (lines.offset(p.range.start), lines.offset(p.range.end));
    let only = &p.context.only;
    let mut out = Vec::new();
    let mut suppress_seen = std::collections::HashSet::new();
    let hit = |d: &&Diagnostic| d.span.start <= end && start <= d.span.end;
    for d in a.diagnostics.iter().filter(hit) {
        if d.code == "IO" {
            continue;
        }
        let diag = to_lsp(d, &lines);
        if let Some(fix) = d.fix.as_ref().filter(|f| !f.edits.is_empty()) {
            if wants(only, CodeActionKind::QUICKFIX.as_str()) {
                let safe = fix.applicability == Applicability::Safe;
                let title = match safe {
                    true => format!("Fix {}: {}", d.code, d.message),
                    false => format!("Fix {} (unsafe: read it first): {}", d.code, d.message),
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(edit_of(uri, fix_edits(fix, &lines))),
                    is_preferred: Some(safe),
                    ..Default::default()
                }));
            }
        }
        if !wants(only, CodeActionKind::QUICKFIX.as_str()) {
            continue;
        }
        if let Some(edit) = suppress_line(a, &lines, d) {
            if suppress_seen.insert((d.code.clone(), d.line)) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Suppress {} on this line", d.code),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(edit_of(uri, vec![edit])),
                    ..Default::default()
                }));
            }
        }
        if suppress_seen.insert((d.code.clone(), 0)) {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress {} in this file", d.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag]),
                edit: Some(edit_of(uri, vec![suppress_file(a, &lines, &d.code)])),
                ..Default::default()
            }));
        }
    }
    // Fix-all re-lints until nothing changes: computed only when asked for by kind (on save,
    // or the "Source Action" menu), not for the light bulb on every cursor move.
    if only.is_some() && wants(only, FIX_ALL) {
        if let Some(edit) = fix_all(a, &lines) {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe sopkit findings".into(),
                kind: Some(CodeActionKind::from(FIX_ALL)),
                edit: Some(edit_of(uri, vec![edit])),
                ..Default::default()
            }));
        }
    }
    out
}

fn fix_edits(fix: &Fix, lines: &Lines) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|e| TextEdit::new(lines.range(&e.range), e.replacement.clone()))
        .collect()
}

/// The byte range of the front matter block, when there is one.
fn front_matter(a: &Analysis) -> Option<std::ops::Range<usize>> {
    a.document
        .as_ref()
        .and_then(|d| d.front_matter.as_ref())
        .map(|fm| fm.span.range())
}

/// `<!-- sopkit-disable-next-line CODE -->` for a finding's line: at the end of the line
/// before when that line is text of the same block (a comment line there would split a
/// paragraph, list or table), else on a line of its own. `None` inside the front matter.
fn suppress_line(a: &Analysis, lines: &Lines, d: &Diagnostic) -> Option<TextEdit> {
    // Only `sopkit-disable-file` silences unused-suppression findings.
    if d.code == crate::rules::suppression::UnusedSuppression::META.code {
        return None;
    }
    let fm = front_matter(a);
    if fm.as_ref().is_some_and(|fm| d.span.start < fm.end) {
        return None;
    }
    let line = lines.line_of(d.span.start);
    // Findings on the first line are often about the whole file (anchored at its start),
    // which a comment above cannot reach.
    if line == 0 {
        return None;
    }
    let comment = format!("<!-- sopkit-disable-next-line {} -->", d.code);
    let prev = line.checked_sub(1);
    let prev_in_block = prev.is_some_and(|p| {
        let text = lines.line_text(p);
        let in_fm = fm.as_ref().is_some_and(|fm| lines.line_start(p) < fm.end);
        !text.trim().is_empty() && !in_fm && !text.trim_start().starts_with('#')
    });
    let is_row = |t: &str| t.trim_start().starts_with('|');
    let is_delimiter = |t: &str| t.trim().chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    if is_row(lines.line_text(line)) {
        if let Some(p) = prev.filter(|&p| is_row(lines.line_text(p))) {
            // A comment line would end the table: the comment goes in the last cell of the row
            // before, which cannot be the delimiter row.
            let text = lines.line_text(p);
            if is_delimiter(text) {
                return None;
            }
            let trimmed = text.trim_end();
            let at = match trimmed.ends_with('|') && trimmed.len() > 1 {
                true => trimmed.len() - 1,
                false => trimmed.len(),
            };
            let at = lines.position(lines.line_start(p) + at);
            return Some(TextEdit::new(
                lsp_types::Range::new(at, at),
                format!("{comment} "),
            ));
        }
    }
    match prev {
        Some(p) if prev_in_block => {
            let end = lines.line_start(p) + lines.line_text(p).len();
            let at = lines.position(end);
            Some(TextEdit::new(
                lsp_types::Range::new(at, at),
                format!(" {comment}"),
            ))
        }
        _ => {
            let at = lines.position(lines.line_start(line));
            Some(TextEdit::new(
                lsp_types::Range::new(at, at),
                format!("{comment}\n"),
            ))
        }
    }
}

/// `<!-- sopkit-disable-file CODE -->` on a line of its own after the front matter (or at the
/// top of a file without one).
fn suppress_file(a: &Analysis, lines: &Lines, code: &str) -> TextEdit {
    let offset = match front_matter(a) {
        Some(fm) => lines.line_start(lines.line_of(fm.end.saturating_sub(1)) + 1),
        None => 0,
    };
    let at = lines.position(offset);
    let mut text = format!("<!-- sopkit-disable-file {code} -->\n");
    if offset >= a.text.len() && !a.text.ends_with('\n') && !a.text.is_empty() {
        text.insert(0, '\n');
    }
    TextEdit::new(lsp_types::Range::new(at, at), text)
}

fn front_matter_ok(text: &str) -> bool {
    let doc = crate::document::parse("", text.to_string(), &Default::default());
    doc.front_matter.is_some_and(|fm| fm.error.is_none())
}

/// Every safe fix, applied as `sopkit lint --fix` applies them (re-linting until nothing
/// changes, never breaking a front matter that parsed), as one edit of the changed region.
fn fix_all(a: &Analysis, lines: &Lines) -> Option<TextEdit> {
    let (linter, profile) = a.linter.as_ref()?;
    let mut text = a.text.to_string();
    let mut diagnostics = a.diagnostics.clone();
    let had_front_matter = front_matter_ok(&text);
    for round in 0..crate::fix::MAX_ITERATIONS {
        if round > 0 {
            diagnostics = lint_with(
                linter,
                *profile,
                &a.path,
                text.clone().into_bytes(),
                Vec::new(),
            )
            .0;
        }
        let fixes: Vec<&Fix> = diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| crate::fix::allowed(f, false))
            .collect();
        if fixes.is_empty() {
            break;
        }
        let (next, n) =
            crate::fix::apply_checked(&text, &fixes, |t| !had_front_matter || front_matter_ok(t));
        if n == 0 || next == text {
            break;
        }
        text = next;
    }
    if text == *a.text {
        return None;
    }
    // The smallest replacement: common prefix and suffix kept (on character boundaries).
    let old = a.text.as_str();
    let mut prefix = old
        .bytes()
        .zip(text.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(prefix) || !text.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(text.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(text.bytes().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !text.is_char_boundary(text.len() - suffix) {
        suffix -= 1;
    }
    Some(TextEdit::new(
        lines.range(&(prefix..old.len() - suffix)),
        text[prefix..text.len() - suffix].to_string(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Hover.

/// A rule's documentation, as `sopkit explain` shows it in short: code, name, summary,
/// severity, then its doc comment. Rules of the file's profile (packs included) first.
fn rule_docs(a: &Analysis, key: &str) -> Option<String> {
    let matches = |m: &crate::rule::RuleMeta| {
        m.code.eq_ignore_ascii_case(key) || m.name.eq_ignore_ascii_case(key)
    };
    let render = |m: &crate::rule::RuleMeta| {
        format!(
            "# {} {}\n\n{}. Default severity: {}.{}\n\n{}",
            m.code,
            m.name,
            m.summary,
            m.severity,
            if m.fixable { " Fixable." } else { "" },
            m.docs
                .lines()
                .map(|l| l.strip_prefix(' ').unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
        )
    };
    if let Some((linter, profile)) = &a.linter {
        if let Some(r) = linter.profiles[*profile]
            .rules
            .iter()
            .find(|r| matches(r.rule.meta()))
        {
            return Some(render(r.rule.meta()));
        }
    }
    crate::lint::default_rules()
        .iter()
        .find(|r| matches(r.meta()))
        .map(|r| render(r.meta()))
}

/// The word (letters, digits, `-`, `_`) around a byte offset, and where it starts.
fn word_at(text: &str, offset: usize) -> Option<(usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (start, &text[start..end]))
}

fn markdown(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

fn hover(a: &Analysis, pos: Position) -> Option<Hover> {
    let lines = Lines::new(&a.text);
    let offset = lines.offset(pos);
    let doc = a.document.as_ref();
    // A rule named in a suppression comment.
    if let Some(c) = doc.and_then(|d| {
        d.comments
            .iter()
            .find(|c| c.span.start <= offset && offset < c.span.end)
    }) {
        if c.value.trim_start().starts_with("sopkit-") {
            if let Some(docs) = word_at(&a.text, offset).and_then(|(_, w)| rule_docs(a, w)) {
                return Some(markdown(docs));
            }
        }
    }
    // Findings under the cursor.
    let here: Vec<&Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
        .collect();
    if !here.is_empty() {
        let mut out = String::new();
        for d in here {
            out.push_str(&format!(
                "**{}** `{}` ({}): {}\n\n",
                d.code, d.name, d.severity, d.message
            ));
            if let Some(h) = &d.help {
                out.push_str(&format!("help: {h}\n\n"));
            }
            if let Some(fix) = &d.fix {
                out.push_str(match fix.applicability {
                    Applicability::Safe => "A safe fix is available.\n\n",
                    Applicability::Unsafe => "An unsafe fix is available (read it first).\n\n",
                });
            }
            if let Some(docs) = rule_docs(a, &d.code) {
                out.push_str(&format!("---\n\n{docs}\n\n"));
            }
        }
        return Some(markdown(out.trim_end().to_string()));
    }
    // A section heading.
    let doc = doc?;
    let section = doc
        .sections
        .iter()
        .find(|s| s.span.start <= offset && offset <= s.span.end)?;
    let (_, profile) = a.linter.as_ref()?;
    let linter = &a.linter.as_ref()?.0;
    let aliases = &linter.profiles[*profile].settings.parse.aliases;
    let text = match (section.kind, aliases.section(&section.heading)) {
        (Some(kind), Some((_, lang))) => format!(
            "Section **{}** (`{}`), recognised from a heading alias in language `{lang}`; the document's language is `{}`.",
            kind.title(),
            kind.key(),
            doc.lang
        ),
        (Some(kind), None) => format!(
            "Section **{}** (`{}`); the document's language is `{}`.",
            kind.title(),
            kind.key(),
            doc.lang
        ),
        (None, _) => format!(
            "“{}” is not a section sopkit recognises; `sopkit sections` lists the headings it knows (document language `{}`).",
            section.heading, doc.lang
        ),
    };
    Some(markdown(text))
}

// ---------------------------------------------------------------------------------------------
// Completion.

fn item(label: &str, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        ..Default::default()
    }
}

/// Whether an offset is inside the front matter: the parsed block, or an opening `---` line
/// not closed yet.
fn in_front_matter(a: &Analysis, lines: &Lines, offset: usize) -> bool {
    if let Some(fm) = front_matter(a) {
        return offset > 3 && offset < fm.end.saturating_sub(3);
    }
    if lines.line_text(0).trim_end() != "---" || lines.line_of(offset) == 0 {
        return false;
    }
    (1..lines.line_of(offset)).all(|l| lines.line_text(l).trim_end() != "---")
}

fn completion(a: &Analysis, pos: Position) -> Vec<CompletionItem> {
    let lines = Lines::new(&a.text);
    let offset = lines.offset(pos);
    let line = lines.line_of(offset);
    let before = &a.text[lines.line_start(line)..offset];
    let settings = a.linter.as_ref().map(|(l, p)| &l.profiles[*p].settings);
    // Rule codes in a suppression comment.
    if let Some(i) = before.rfind("<!--") {
        let inside = before[i + 4..].trim_start();
        if inside.starts_with("sopkit-disable") || inside.starts_with("sopkit-enable") {
            if inside.contains(' ') {
                let Some((linter, profile)) = &a.linter else {
                    return Vec::new();
                };
                return linter.profiles[*profile]
                    .known
                    .iter()
                    .map(|(code, name, _)| item(code, CompletionItemKind::CONSTANT, name))
                    .collect();
            }
            return [
                "sopkit-disable-next-line",
                "sopkit-disable-file",
                "sopkit-disable",
                "sopkit-enable",
            ]
            .iter()
            .map(|k| item(k, CompletionItemKind::KEYWORD, ""))
            .collect();
        }
    }
    let doc = a.document.as_ref();
    if in_front_matter(a, &lines, offset) {
        let metadata = settings.map(|s| &s.metadata);
        let key_of = |f: &'static str| metadata.map_or(f.to_string(), |m| m.key(f).to_string());
        if let Some((key, _)) = before.split_once(':') {
            if key.trim() == key_of("status") {
                return ["draft", "review", "approved", "retired"]
                    .iter()
                    .map(|s| item(s, CompletionItemKind::ENUM_MEMBER, "status"))
                    .collect();
            }
            return Vec::new();
        }
        let present = |k: &str| doc.and_then(|d| d.field(k)).is_some();
        return crate::settings::FIELDS
            .iter()
            .filter(|(f, _)| !present(&key_of(f)))
            .map(|(f, what)| {
                let mut it = item(&key_of(f), CompletionItemKind::FIELD, what);
                it.insert_text = Some(format!("{}: ", key_of(f)));
                it
            })
            .collect();
    }
    let Some(doc) = doc else {
        return Vec::new();
    };
    // Section headings in the document's language.
    if before.trim_start().starts_with('#')
        && !before
            .trim_start()
            .trim_start_matches('#')
            .contains(|c: char| !c.is_whitespace())
    {
        return SectionKind::ALL
            .iter()
            .filter(|k| doc.sections_of(**k).next().is_none())
            .map(|k| {
                item(
                    &k.heading_in(&doc.lang),
                    CompletionItemKind::MODULE,
                    k.key(),
                )
            })
            .collect();
    }
    // Roles in the escalation table.
    if before.trim_start().starts_with('|') && in_escalation(doc, offset) {
        return doc
            .roles
            .iter()
            .map(|r| item(&r.name, CompletionItemKind::VALUE, &r.description))
            .collect();
    }
    Vec::new()
}

fn in_escalation(doc: &Document, offset: usize) -> bool {
    doc.sections_of(SectionKind::Escalation)
        .any(|s| s.span.start <= offset && offset <= s.body.end)
}
