use std::io::Write;

use miette::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::{ExplainArgs, RulesArgs, RulesFormat};
use crate::rule::RuleMeta;

fn all_rules() -> Vec<&'static RuleMeta> {
    crate::rules::builtin().map(|e| e.meta).collect()
}

pub(super) fn list(args: RulesArgs) -> miette::Result<ExitStatus> {
    let rules = all_rules();
    let mut out = std::io::stdout().lock();
    match args.format {
        RulesFormat::Table => {
            for r in &rules {
                writeln!(
                    out,
                    "{:<7} {:<28} {:<8} {}{}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary,
                    if r.fixable { " (fixable)" } else { "" }
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
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items).into_diagnostic()?;
            writeln!(out).into_diagnostic()?;
        }
    }
    Ok(ExitStatus::Success)
}

pub(super) fn explain(args: ExplainArgs) -> miette::Result<ExitStatus> {
    let rules = all_rules();
    let wanted = args.rule.trim();
    let Some(rule) = rules
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name.eq_ignore_ascii_case(wanted))
    else {
        let names = rules.iter().flat_map(|r| [r.code, r.name]);
        let hint = crate::suggest::did_you_mean(wanted, names)
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| "run `sopkit rules` to list every rule".into());
        return Err(miette::miette!(help = hint, "unknown rule `{wanted}`"));
    };
    let mut out = std::io::stdout().lock();
    write!(out, "{}", render_docs(rule)).into_diagnostic()?;
    Ok(ExitStatus::Success)
}

/// The Markdown documentation of a rule, as `explain` prints it and `docs/rules.md` holds it.
pub fn render_docs(rule: &RuleMeta) -> String {
    let mut s = format!("# {} {}\n\n", rule.code, rule.name);
    s.push_str(&format!(
        "{}. Default severity: {}.{}\n\n",
        rule.summary,
        rule.severity,
        if rule.fixable { " Fixable." } else { "" }
    ));
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
