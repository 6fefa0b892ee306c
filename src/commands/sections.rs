//! `sopkit sections`: the heading alias table per language, how headings match it, and the
//! metadata presets. `docs/sections.md` is this command's Markdown output.

use std::fmt::Write as _;
use std::io::Write;

use super::io::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::{SectionsArgs, SectionsFormat};
use crate::document::{time_units, Aliases, Column, SectionKind};
use crate::settings::{DateOrder, FIELDS, PRESETS};

/// The languages of the built-in alias table, in the order they are listed.
fn languages() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (_, lang, _) in Aliases::builtin_table() {
        if !out.contains(lang) {
            out.push(lang);
        }
    }
    out
}

pub(super) fn run(args: SectionsArgs) -> miette::Result<ExitStatus> {
    let langs = languages();
    let only = match &args.lang {
        Some(l) => {
            let primary = l
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !langs.contains(&primary.as_str()) {
                let help = crate::suggest::did_you_mean(&primary, langs.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(miette::miette!(
                    help = format!("{help}languages: {}", langs.join(", ")),
                    "no aliases for language `{l}`"
                ));
            }
            Some(primary)
        }
        None => None,
    };
    let text = match args.format {
        SectionsFormat::Text => text(only.as_deref()),
        SectionsFormat::Markdown => markdown(only.as_deref()),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    Ok(ExitStatus::Success)
}

/// The aliases of `kind` in `lang`.
fn aliases_of(kind: SectionKind, lang: &str) -> Vec<&'static str> {
    Aliases::builtin_table()
        .iter()
        .filter(|(k, l, _)| *k == kind && *l == lang)
        .flat_map(|(_, _, names)| names.iter().copied())
        .collect()
}

/// The header aliases of `column` in `lang`.
fn columns_of(column: Column, lang: &str) -> Vec<&'static str> {
    Column::builtin_table()
        .iter()
        .filter(|(c, l, _)| *c == column && *l == lang)
        .flat_map(|(_, _, names)| names.iter().copied())
        .collect()
}

/// The time units of escalation levels, one line per length ("hour: h, hours, jam, …").
fn units() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for (unit, minutes) in time_units() {
        let name = match minutes {
            1 => "minute",
            60 => "hour",
            1440 => "day",
            _ => "week",
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, names)) if !names.contains(unit) => names.push(unit),
            Some(_) => {}
            None => out.push((name, vec![unit])),
        }
    }
    out
}

fn dates_name(d: DateOrder) -> &'static str {
    match d {
        DateOrder::Iso => "ISO 8601 (YYYY-MM-DD)",
        DateOrder::Mdy => "MM/DD/YYYY (`dates: mdy`)",
        DateOrder::Dmy => "DD/MM/YYYY (`dates: dmy`)",
    }
}

fn plain(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

fn text(only: Option<&str>) -> String {
    let mut s = String::new();
    let langs: Vec<&str> = languages()
        .into_iter()
        .filter(|l| only.is_none_or(|o| o == *l))
        .collect();
    let _ = writeln!(s, "Section headings (key: aliases per language)\n");
    for kind in SectionKind::ALL {
        let _ = writeln!(s, "{} ({})", kind.key(), kind.title());
        for lang in &langs {
            let names = aliases_of(kind, lang);
            if !names.is_empty() {
                let _ = writeln!(s, "  {lang}  {}", names.join(", "));
            }
        }
        s.push('\n');
    }
    let _ = writeln!(s, "How a heading matches, strongest first:");
    for (i, rule) in Aliases::MATCHING.iter().enumerate() {
        let _ = writeln!(s, "  {}. {}", i + 1, plain(rule));
    }
    for tie in Aliases::TIES {
        let _ = writeln!(s, "  {}", plain(tie));
    }
    let _ = writeln!(s, "  Qualifiers: {}", Aliases::qualifiers().join(", "));
    let _ = writeln!(s, "  Prepositions: {}", Aliases::prepositions().join(", "));
    let _ = writeln!(
        s,
        "\nTable columns of escalation and revision tables (key: header aliases per language)\n"
    );
    for column in Column::ALL {
        let _ = writeln!(s, "{}", column.key());
        for lang in &langs {
            let names = columns_of(column, lang);
            if !names.is_empty() {
                let _ = writeln!(s, "  {lang}  {}", names.join(", "));
            }
        }
    }
    let _ = writeln!(s, "\nTime units of escalation levels:");
    for (name, names) in units() {
        let _ = writeln!(s, "  {name}: {}", names.join(", "));
    }
    if only.is_some() {
        return s;
    }
    let _ = writeln!(s, "\nMetadata fields (map them with `fields:`):");
    for (field, what) in FIELDS {
        let _ = writeln!(s, "  {field:<16} {}", plain(what));
    }
    let _ = writeln!(s, "\nMetadata presets (`preset: NAME`):");
    for p in PRESETS {
        let _ = writeln!(s, "  {}: {}", p.name, plain(p.summary));
        let fields: Vec<String> = p.fields.iter().map(|(f, k)| format!("{f} = {k}")).collect();
        if !fields.is_empty() {
            let _ = writeln!(s, "    fields: {}", fields.join(", "));
        }
        let _ = writeln!(s, "    dates: {}", plain(dates_name(p.dates)));
        let _ = writeln!(s, "    required (M002): {}", p.required.join(", "));
    }
    s
}

fn markdown(only: Option<&str>) -> String {
    let mut s = String::new();
    let langs: Vec<&str> = languages()
        .into_iter()
        .filter(|l| only.is_none_or(|o| o == *l))
        .collect();
    s.push_str("# Sections and metadata conventions\n\n");
    s.push_str("<!-- Generated by `sopkit sections --format markdown`; do not edit. -->\n\n");
    s.push_str(
        "sopkit recognises a section by its heading, through the alias table below (extend it \
         with `sections.aliases` in `sopkit.yaml`), and reads metadata from the front matter \
         under sopkit's field names or the keys a `preset` or `fields` maps them to.\n\n",
    );
    s.push_str("## Section aliases\n\n");
    let _ = writeln!(s, "| Section | {} |", langs.join(" | "));
    let _ = writeln!(s, "|---|{}", "---|".repeat(langs.len()));
    for kind in SectionKind::ALL {
        let cells: Vec<String> = langs
            .iter()
            .map(|l| aliases_of(kind, l).join(", "))
            .collect();
        let _ = writeln!(s, "| `{}` | {} |", kind.key(), cells.join(" | "));
    }
    s.push_str("\n## How a heading matches\n\nStrongest first:\n\n");
    for (i, rule) in Aliases::MATCHING.iter().enumerate() {
        let _ = writeln!(s, "{}. {rule}", i + 1);
    }
    s.push('\n');
    for tie in Aliases::TIES {
        let _ = writeln!(s, "- {tie}");
    }
    let _ = writeln!(
        s,
        "\nQualifiers: {}.\n\nPrepositions: {}.",
        Aliases::qualifiers()
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Aliases::prepositions()
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.push_str(
        "\n## Table columns\n\nThe columns of escalation and revision tables are found by \
         their header, normalised like a heading (case, numbering and punctuation ignored).\n\n",
    );
    let _ = writeln!(s, "| Column | {} |", langs.join(" | "));
    let _ = writeln!(s, "|---|{}", "---|".repeat(langs.len()));
    for column in Column::ALL {
        let cells: Vec<String> = langs
            .iter()
            .map(|l| columns_of(column, l).join(", "))
            .collect();
        let _ = writeln!(s, "| `{}` | {} |", column.key(), cells.join(" | "));
    }
    s.push_str("\nTime units of escalation levels (\"30 min\", \"2 jam\", \"4 sata\"):\n\n");
    for (name, names) in units() {
        let _ = writeln!(s, "- {name}: {}", names.join(", "));
    }
    if only.is_some() {
        return s;
    }
    s.push_str(METADATA_INTRO);
    s.push_str("| Field | Holds |\n|---|---|\n");
    for (field, what) in FIELDS {
        let _ = writeln!(s, "| `{field}` | {what} |");
    }
    s.push_str("\n### Presets\n\n");
    s.push_str(
        "| Preset | Convention | Fields | Dates | Required (M002) |\n|---|---|---|---|---|\n",
    );
    for p in PRESETS {
        let fields: Vec<String> = p
            .fields
            .iter()
            .map(|(f, k)| format!("`{f}`: `{k}`"))
            .collect();
        let fields = if fields.is_empty() {
            "sopkit's names".to_string()
        } else {
            fields.join(", ")
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            p.name,
            p.summary,
            fields,
            dates_name(p.dates),
            p.required
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s
}

const METADATA_INTRO: &str = "
## Metadata fields

Configuration keys (top level, or in an `overrides` entry):

- `preset: NAME` adopts a known front matter convention (below) in one line.
- `fields:` maps sopkit's field names to the file's keys, over the preset's mapping:
  `fields: { owner: owner_slack, effective: ms.date }`. A dotted key such as `ms.date` is the
  literal key `ms.date`, not a nested one. Unknown field names are an error.
- `dates: iso | mdy | dmy` says how numeric dates other than `YYYY-MM-DD` are read:
  `mdy` reads `03/09/2021` as the 9th of March, `dmy` as the 3rd of September (and
  `03.09.2021` too). M004 accepts dates in the configured order. Dates written with an English
  month name (`Dec 12, 2019`, `Sept 25, 2019`, `12 December 2019`) are always read, for review
  dates; M004 still asks for ISO 8601 there.
- A review interval (`review_interval`, or the key mapped to it) is a number and a unit:
  `6 months`, `6 month`, `3 months`, `12 months`, `1 year`, `90 days`, `2 weeks`, `P1Y`. It
  counts from `reviewed` (the last review) when present, else from `effective`.

sopkit's fields:

";
