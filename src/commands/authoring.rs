//! `new`, `init` and `completions`: writing SOPs and repository setup files.
//!
//! Templates live in `templates/` and are embedded in the binary. None of these commands ever
//! replaces an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use miette::{miette, WrapErr};

use super::io::IntoDiagnostic;
use time::Date;

use super::ExitStatus;
use crate::cli::{Cli, CompletionsArgs, InitArgs, NewArgs};
use crate::templates::{Template, TEMPLATES};

const CONFIG: &str = include_str!("../../templates/sopkit.yaml");
const WORKFLOW: &str = include_str!("../../templates/github-workflow.yml");
const PRE_COMMIT: &str = include_str!("../../templates/pre-commit-config.yaml");

pub(super) fn new(args: NewArgs) -> miette::Result<ExitStatus> {
    let text = render_new(&args, crate::settings::today())?;
    match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).into_diagnostic()?;
            out.flush().into_diagnostic()?;
        }
        Some(path) => {
            if path.exists() {
                return Err(miette!(
                    help = "choose another file name, or delete the file first",
                    "{} already exists; `sopkit new` never overwrites a file",
                    path.display()
                ));
            }
            write_new_file(path, &text)?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(ExitStatus::Success)
}

/// The SOP text for `new`, dated `today`.
fn render_new(args: &NewArgs, today: Date) -> miette::Result<String> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(miette!("the title is empty"));
    }
    if title.contains(['\n', '\r']) {
        return Err(miette!("the title must be a single line"));
    }
    let lang = args.lang.trim().to_ascii_lowercase();
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    let template = TEMPLATES
        .iter()
        .find(|(t, l, _)| *t == args.template && *l == primary)
        .map(|(_, _, text)| *text)
        .ok_or_else(|| {
            let langs: Vec<&str> = TEMPLATES
                .iter()
                .filter(|(t, _, _)| *t == args.template)
                .map(|(_, l, _)| *l)
                .collect();
            miette!(
                help = format!("templates exist in: {}", langs.join(", ")),
                "no template in language `{}` yet",
                args.lang
            )
        })?;
    let id = match &args.id {
        Some(id) if !id.trim().is_empty() => id.trim().to_string(),
        Some(_) => return Err(miette!("the id is empty")),
        None => id_from_title(title),
    };
    let effective = iso(today);
    let review_by = iso(one_year_after(today));
    Ok(template
        .replace("{{id}}", &yaml_scalar(&id))
        .replace(
            "title: {{title}}",
            &format!("title: {}", yaml_scalar(title)),
        )
        .replace("{{title}}", title)
        .replace("{{effective}}", &effective)
        .replace("{{review_by}}", &review_by))
}

/// "Handle a customer complaint" → "handle-a-customer-complaint": lowercase ASCII words,
/// accents dropped, at most 60 characters, cut at a word boundary.
fn id_from_title(title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(ascii) => word.push_str(ascii),
            None if c.is_ascii_alphanumeric() => word.push(c),
            None => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut id = String::new();
    for w in words {
        if !id.is_empty() && id.len() + 1 + w.len() > 60 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&w[..w.len().min(60)]);
    }
    if id.is_empty() {
        "sop".into()
    } else {
        id
    }
}

/// ASCII for the accented letters of the seed languages (and common Latin ones).
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'å' | 'ã' => "a",
        'č' | 'ć' | 'ç' => "c",
        'đ' => "d",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'í' | 'ì' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
        'š' => "s",
        'ú' | 'ù' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        _ => return None,
    })
}

/// A YAML plain scalar when that reads back as the same string, else a double-quoted one
/// (a JSON string is valid YAML).
fn yaml_scalar(s: &str) -> String {
    let first = s.chars().next().unwrap_or(' ');
    let plain = !s.is_empty()
        && (first.is_alphanumeric() || first == '(')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| {
            c.is_control() || matches!(c, '"' | '\'' | '\\' | '[' | ']' | '{' | '}' | '`')
        })
        && s.trim() == s
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The same day next year; 29 February becomes 28 February.
fn one_year_after(d: Date) -> Date {
    d.replace_year(d.year() + 1)
        .or_else(|_| d.replace_day(28).and_then(|d| d.replace_year(d.year() + 1)))
        .unwrap_or(d)
}

/// Writes a new file atomically: a temporary file in the same directory, then a rename that
/// fails if the target appeared meanwhile.
fn write_new_file(path: &Path, text: &str) -> miette::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(text.as_bytes()).into_diagnostic()?;
    tmp.as_file().sync_all().into_diagnostic()?;
    // Temporary files are private (0600); a new SOP or config file is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .into_diagnostic()?;
    }
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub(super) fn init(args: InitArgs) -> miette::Result<ExitStatus> {
    let today = crate::settings::today();
    let example = render_new(
        &NewArgs {
            title: "Handle a customer request".into(),
            template: Template::Basic,
            id: Some("example-001".into()),
            lang: "en".into(),
            output: None,
        },
        today,
    )?;
    let files: [(&str, &str); 4] = [
        ("sopkit.yaml", CONFIG),
        ("sops/example.md", &example),
        (".github/workflows/sopkit.yml", WORKFLOW),
        ("sopkit.pre-commit.yaml", PRE_COMMIT),
    ];
    let mut err = std::io::stderr().lock();
    for (rel, text) in files {
        let path = args.dir.join(rel);
        let shown = crate::input::display_path(&path);
        if path.exists() {
            writeln!(err, "skipped {shown}: it already exists").into_diagnostic()?;
            continue;
        }
        write_new_file(&path, text)?;
        writeln!(err, "created {shown}").into_diagnostic()?;
    }
    writeln!(
        err,
        "next: add the hook in sopkit.pre-commit.yaml to .pre-commit-config.yaml, then run `sopkit lint`"
    )
    .into_diagnostic()?;
    Ok(ExitStatus::Success)
}

pub(super) fn completions(args: CompletionsArgs) -> miette::Result<ExitStatus> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "sopkit", &mut out);
    out.flush().into_diagnostic()?;
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(template: Template, lang: &str, title: &str) -> NewArgs {
        NewArgs {
            title: title.into(),
            template,
            id: None,
            lang: lang.into(),
            output: None,
        }
    }

    #[test]
    fn every_template_is_filled_in() {
        let today = Date::from_calendar_date(2026, time::Month::November, 25).unwrap();
        for (template, lang, _) in TEMPLATES {
            let text =
                render_new(&args(*template, lang, "Handle a refund: över 200 €"), today).unwrap();
            assert!(
                !text.contains("{{"),
                "{template:?} {lang}: placeholder left"
            );
            assert!(text.contains("\nid: handle-a-refund-over-200\n"), "{text}");
            assert!(text.contains("\ntitle: \"Handle a refund: över 200 €\"\n"));
            assert!(text.contains("\n# Handle a refund: över 200 €\n"));
            assert!(text.contains("\neffective: 2026-11-25\nreview_by: 2027-11-25\n"));
            assert!(text.contains(&format!("\nlang: {lang}\n")));
            assert!(text.contains("| 0.1.0 | 2026-11-25 |"));
        }
    }

    #[test]
    fn ids_from_titles() {
        assert_eq!(
            id_from_title("Postupak prijave štete – brzi"),
            "postupak-prijave-stete-brzi"
        );
        assert_eq!(id_from_title("🚀🚀"), "sop");
        assert!(id_from_title(&"word ".repeat(40)).len() <= 60);
    }

    #[test]
    fn leap_day_review_date() {
        let d = Date::from_calendar_date(2028, time::Month::February, 29).unwrap();
        assert_eq!(iso(one_year_after(d)), "2029-02-28");
    }

    #[test]
    fn unknown_language_is_an_error() {
        let today = Date::from_calendar_date(2026, time::Month::November, 25).unwrap();
        let err = render_new(&args(Template::Basic, "xx", "T"), today).unwrap_err();
        assert!(err.to_string().contains("no template in language `xx`"));
    }
}
