//! `sopkit rules`, `sopkit rules test` and `sopkit explain`: built-in and pack rules alike.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::io::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::{ExplainArgs, RulesArgs, RulesCommand, RulesFormat};
use crate::packs::Pack;
use crate::rule::RuleMeta;

/// Packs named by the configuration: `--config FILE`, else the nearest `sopkit.yaml` walking up
/// from the current directory.
fn configured_packs(config: Option<&Path>) -> miette::Result<Vec<Pack>> {
    let path = match config {
        Some(p) => Some(p.to_path_buf()),
        None => discover_config(),
    };
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    match crate::config::configured_packs(&path)? {
        Some((paths, base)) => Ok(crate::packs::load_packs(&paths, &base)?),
        None => Ok(Vec::new()),
    }
}

fn discover_config() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors().find_map(|dir| {
        crate::config::FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Every rule: built-in, shipped packs, then configured packs.
fn all_rules(config: Option<&Path>) -> miette::Result<Vec<RuleMeta>> {
    let user = configured_packs(config)?;
    let mut metas: Vec<RuleMeta> = crate::packs::all_metas(&[]);
    metas.extend(
        user.iter()
            .flat_map(|p| p.rules.iter().map(|r| r.meta().clone())),
    );
    Ok(metas)
}

pub(super) fn list(args: RulesArgs) -> miette::Result<ExitStatus> {
    if let Some(RulesCommand::Test { packs }) = &args.command {
        return test(packs, args.config.as_deref());
    }
    let rules = all_rules(args.config.as_deref())?;
    let mut out = std::io::stdout().lock();
    match args.format {
        RulesFormat::Table => {
            for r in &rules {
                writeln!(
                    out,
                    "{:<7} {:<28} {:<8} {}{}{}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary,
                    match (r.fixable, r.bundle_only) {
                        (true, _) => " (fixable)",
                        (_, true) => " (bundle build)",
                        _ => "",
                    },
                    if r.is_preview() { " (preview)" } else { "" }
                )
                .into_diagnostic()?;
            }
        }
        RulesFormat::Json => {
            let items: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "severity": r.severity,
                        "summary": r.summary, "fixable": r.fixable, "pack": r.pack,
                        "bundle_only": r.bundle_only, "preview": r.is_preview(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items).into_diagnostic()?;
            writeln!(out).into_diagnostic()?;
        }
        RulesFormat::Markdown => {
            write!(out, "{}", reference(&rules)).into_diagnostic()?;
        }
    }
    Ok(ExitStatus::Success)
}

/// `sopkit rules test [PACK]...`: every bad example must fire, no good one may.
fn test(paths: &[PathBuf], config: Option<&Path>) -> miette::Result<ExitStatus> {
    let loaded;
    let packs: Vec<&Pack> = if paths.is_empty() {
        loaded = configured_packs(config)?;
        crate::packs::shipped_packs()
            .iter()
            .chain(&loaded)
            .collect()
    } else {
        let cwd = std::env::current_dir().into_diagnostic()?;
        loaded = crate::packs::load_packs_standalone(paths, &cwd)?;
        loaded.iter().collect()
    };
    let mut out = std::io::stdout().lock();
    let (mut rules, mut failed) = (0, 0);
    for pack in packs {
        writeln!(out, "{} ({}, lang {})", pack.path, pack.name, pack.lang).into_diagnostic()?;
        for rule in &pack.rules {
            rules += 1;
            let m = rule.meta();
            let ex = rule.examples();
            let failures = rule.test_examples();
            let status = if !failures.is_empty() {
                failed += 1;
                "FAIL"
            } else if ex.bad.is_empty() && ex.good.is_empty() {
                "none"
            } else {
                "ok"
            };
            writeln!(
                out,
                "  {status:<4} {} {} ({} bad, {} good)",
                m.code,
                m.name,
                ex.bad.len(),
                ex.good.len()
            )
            .into_diagnostic()?;
            for f in failures {
                writeln!(out, "       {f}").into_diagnostic()?;
            }
        }
    }
    let noun = if rules == 1 { "rule" } else { "rules" };
    writeln!(out, "{rules} {noun} tested, {failed} failed").into_diagnostic()?;
    Ok(if failed == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

pub(super) fn explain(args: ExplainArgs) -> miette::Result<ExitStatus> {
    let rules = all_rules(args.config.as_deref())?;
    let wanted = args.rule.trim();
    let Some(text) = explanation(&rules, wanted) else {
        let names = rules.iter().flat_map(|r| [&*r.code, &*r.name]);
        let hint = crate::suggest::did_you_mean(wanted, names)
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| "run `sopkit rules` to list every rule".into());
        return Err(miette::miette!(help = hint, "unknown rule `{wanted}`"));
    };
    let mut out = std::io::stdout().lock();
    write!(out, "{text}").into_diagnostic()?;
    Ok(ExitStatus::Success)
}

/// What `sopkit explain KEY` prints: the docs of the rule whose code or name is `key` (any
/// case), if there is one.
pub fn explanation(rules: &[RuleMeta], key: &str) -> Option<String> {
    let key = key.trim();
    rules
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
        .map(render_docs)
}

/// The Markdown documentation of a rule, as `explain` prints it and `docs/rules.md` holds it.
pub fn render_docs(rule: &RuleMeta) -> String {
    let mut s = format!("# {} {}\n\n", rule.code, rule.name);
    s.push_str(&format!(
        "{}. Default severity: {}.{}{}{}{}\n",
        rule.summary,
        rule.severity,
        if rule.fixable { " Fixable." } else { "" },
        crate::rules::PREVIEW
            .iter()
            .find(|(code, _)| *code == rule.code)
            .map(|(_, why)| format!(
                " **Preview**: off unless `rules: {{ preview: true }}`, `--preview` or selected by its code ({why})."
            ))
            .unwrap_or_default(),
        if rule.bundle_only {
            " Checked by `sopkit bundle build --previous`, not by `sopkit lint`."
        } else {
            ""
        },
        rule.pack
            .as_ref()
            .map(|p| format!(" Rule pack: `{p}`."))
            .unwrap_or_default()
    ));
    if let Some(version) = rule.since {
        // As clippy's lint list: the version that added the rule.
        s.push_str(&format!("Added in sopkit {version}.\n"));
    }
    s.push('\n');
    for line in rule.docs.lines() {
        s.push_str(line.strip_prefix(' ').unwrap_or(line));
        s.push('\n');
    }
    let options = (rule.options)();
    if !options.is_empty() {
        s.push_str("\n## Options\n```yaml\n");
        s.push_str(&options);
        if !options.ends_with('\n') {
            s.push('\n');
        }
        s.push_str("```\n");
    }
    s
}

const REFERENCE_HEADER: &str = "\
# sopkit rules

<!-- Generated from the rule code by `sopkit rules --format markdown`; do not edit by hand.
     Regenerate: `cargo run -q -- rules --format markdown > docs/rules.md`, or
     `SOPKIT_BLESS=1 cargo test --test it packs::docs_rules_md_is_up_to_date`.
     A test fails when this file is stale. -->

Every rule has a stable code and a kebab-case name; configuration (`rules: { select, ignore,
severity, options }`), `--select`/`--ignore` and suppression comments accept either.
`sopkit explain CODE` prints the same text as below.

";

const PACK_FORMAT: &str = r#"## Writing a rule pack

Lexical rules live in YAML rule packs. The packs below ship inside the binary; add your own
with `packs: [dir-or-file, ...]` in `sopkit.yaml` (paths relative to that file; directories
are searched for `*.yaml`). A pack applies to documents whose `lang` matches its `lang`
(`en` matches `en-GB`), or to every document with `lang: "*"`.

```yaml
pack: acme-style
lang: en
rules:
  - code: ACME001            # letters then digits; never a code that exists already
    name: no-future-tense    # kebab-case, unique
    kind: existence          # existence | substitution | occurrence | metric | acronym
    scope: step              # step | instruction | heading | paragraph | escalation | table-cell
                             # | front-matter:<field> | any (default)
    severity: warning        # error | warning (default) | info
    summary: A step talks about the future   # one line for `sopkit rules`
    description: Flags "will" and "shall" in steps.
    tokens: [will, shall, "is going to"]
    message: "Use the present tense: '{match}' describes the future."
    help: "Write 'Send the form.', not 'The agent will send the form.'"
    examples:                # checked by `sopkit rules test`
      bad: ["The agent will send the form."]
      good: ["Send the form."]
```

- `existence`: every token found is a finding. Tokens are whole words or phrases, matched
  ignoring ASCII case. With `regex: true` the tokens are regular expressions (Rust syntax,
  case-insensitive; word boundaries are yours to write with `\b`). `skip-after: [that, if]`
  ignores a match when one of those words comes earlier in the same sentence.
- `substitution`: `swap: { utilize: use, "in order to": to, ascertain: [find out, check] }`.
  A token with one replacement gets a safe fix (`sopkit lint --fix`) that keeps the capital
  of the first letter. The message may use `{match}` and `{replacement}`.
- `occurrence`: more than `max` token matches in one unit of the scope (one step, one
  paragraph…); the message may use `{match}`, `{count}` and `{max}`.
- `metric`: `metric: words-per-sentence | words | sentences` above `max` in one unit; the
  message may use `{value}` and `{max}`. Words are counted as P002 counts them: each part of
  a hyphenated or slash-joined word is a word ("on-call" is two), a number is one.
- `acronym`: words of 2–6 capitals not defined earlier as "Full Name (ACR)" or under a
  Definitions section; `allow: [SOP, PDF]` lists acronyms that need no definition.

Test a pack with `sopkit rules test path/to/pack.yaml`: each bad example is linted as a
one-unit document of the pack's language and scope and must fire; each good one must not.
A malformed pack is an error that shows the file, line and column.

"#;

/// The whole rule reference: the index, the pack format, then every rule's docs.
pub fn reference(rules: &[RuleMeta]) -> String {
    let mut s = String::from(REFERENCE_HEADER);
    let builtin = rules.iter().filter(|r| r.pack.is_none()).count();
    s.push_str(&format!(
        "{builtin} built-in rules and {} rules from rule packs.\n\n",
        rules.len() - builtin
    ));
    s.push_str("| code | name | severity | fixable | preview | pack | summary |\n");
    s.push_str("|---|---|---|---|---|---|---|\n");
    for r in rules {
        s.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} |\n",
            r.code,
            anchor(r),
            r.name,
            r.severity,
            if r.fixable { "yes" } else { "" },
            if r.is_preview() { "yes" } else { "" },
            r.pack.as_deref().unwrap_or(""),
            r.summary.replace('|', "\\|")
        ));
    }
    s.push('\n');
    s.push_str(PACK_FORMAT);
    s.push_str("## Rules\n");
    for r in rules {
        s.push('\n');
        s.push_str(&demote(&render_docs(r)));
    }
    s
}

/// The GitHub anchor of a rule's heading "## CODE name".
fn anchor(r: &RuleMeta) -> String {
    format!("{}-{}", r.code, r.name).to_lowercase()
}

/// Headings two levels down (outside code fences): each rule's "# CODE name" becomes a
/// "###" under "## Rules".
fn demote(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m => fence = None,
            _ => {}
        }
        if fence.is_none() && line.starts_with('#') {
            out.push_str("##");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn demote_keeps_fenced_headings() {
        let md = "# A\n```markdown\n# Title\n```\n## B\n";
        assert_eq!(
            super::demote(md),
            "### A\n```markdown\n# Title\n```\n#### B\n"
        );
    }
}
