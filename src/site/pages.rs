//! Filling the templates of `templates/site/` (embedded in the binary) with the site's view.

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;

use super::input::Loaded;
use super::model::Site;
use super::{markdown, svg, SiteError};
use crate::document::Step;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/site/base.html")),
    (
        "index.html",
        include_str!("../../templates/site/index.html"),
    ),
    ("sop.html", include_str!("../../templates/site/sop.html")),
    (
        "roles.html",
        include_str!("../../templates/site/roles.html"),
    ),
    (
        "calendar.html",
        include_str!("../../templates/site/calendar.html"),
    ),
    (
        "changes.html",
        include_str!("../../templates/site/changes.html"),
    ),
];
const CSS: &str = include_str!("../../templates/site/sopkit.css");
const SEARCH_JS: &str = include_str!("../../templates/site/search.js");

/// One finding as the page lists it.
#[derive(Serialize)]
struct FindingView {
    line: usize,
    column: usize,
    severity: &'static str,
    code: String,
    message: String,
}

/// The entry of `search-index.json` for one SOP.
#[derive(Serialize)]
struct IndexEntry<'a> {
    id: &'a str,
    title: &'a str,
    status: &'a str,
    version: &'a str,
    owner: &'a str,
    lang: &'a str,
    effective: &'a str,
    review_by: &'a str,
    review_state: &'a str,
    tags: &'a [String],
    page: &'a str,
}

fn failed(e: impl std::fmt::Display) -> SiteError {
    SiteError::Failed(format!("cannot render the site: {e}"))
}

fn environment() -> Result<Environment<'static>, SiteError> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source).map_err(failed)?;
    }
    Ok(env)
}

/// JSON that is safe inside a `<script>` element and byte-stable.
fn script_json<T: Serialize>(value: &T) -> Result<String, SiteError> {
    let json = serde_json::to_string(value).map_err(failed)?;
    Ok(json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

/// The steps as written, numbers included, as nested lists (escaped here: they bypass the
/// template's escaping).
fn steps_html(steps: &[Step], out: &mut String) {
    out.push_str("<ol>");
    for step in steps {
        out.push_str("<li>");
        if let Some(n) = &step.number {
            out.push_str(&format!("<span class=\"n\">{}.</span>", svg::escape(n)));
        }
        out.push_str(&svg::escape(step.text.trim()));
        if !step.children.is_empty() {
            steps_html(&step.children, out);
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

/// Every file of the site, by path.
pub(crate) fn render(site: &Site, loaded: &Loaded) -> Result<BTreeMap<String, Vec<u8>>, SiteError> {
    let env = environment()?;
    // Serialised once; a Value clone is a reference count.
    let site_value = Value::from(Serde(site));
    let mut files = BTreeMap::new();
    let page = |name: &str, ctx: minijinja::Value| -> Result<Vec<u8>, SiteError> {
        let t = env.get_template(name).map_err(failed)?;
        let mut html = t.render(ctx).map_err(failed)?;
        if !html.ends_with('\n') {
            html.push('\n');
        }
        Ok(html.into_bytes())
    };
    let index: Vec<IndexEntry> = site
        .sops
        .iter()
        .map(|s| IndexEntry {
            id: &s.id,
            title: &s.title,
            status: &s.status,
            version: &s.version,
            owner: &s.owner,
            lang: &s.lang,
            effective: &s.effective,
            review_by: &s.review_by,
            review_state: s.review_state,
            tags: &s.tags,
            page: &s.page,
        })
        .collect();
    let mut statuses: Vec<&str> = site.sops.iter().map(|s| s.status.as_str()).collect();
    statuses.sort_unstable();
    statuses.dedup();
    let mut json = serde_json::to_vec_pretty(&index).map_err(failed)?;
    json.push(b'\n');
    files.insert("search-index.json".into(), json);
    files.insert(
        "index.html".into(),
        page(
            "index.html",
            context! { site => site_value.clone(), root => "", nav => "index", title => "Procedures",
                statuses => Value::from(Serde(&statuses)), index_json => script_json(&index)? },
        )?,
    );
    files.insert(
        "roles.html".into(),
        page(
            "roles.html",
            context! { site => site_value.clone(), root => "", nav => "roles", title => "Roles" },
        )?,
    );
    files.insert(
        "calendar.html".into(),
        page(
            "calendar.html",
            context! { site => site_value.clone(), root => "", nav => "calendar", title => "Review calendar" },
        )?,
    );
    if site.changes.is_some() {
        let pages: BTreeMap<&str, &str> = site
            .sops
            .iter()
            .map(|s| (s.id.as_str(), s.page.as_str()))
            .collect();
        files.insert(
            "changes.html".into(),
            page(
                "changes.html",
                context! { site => site_value.clone(), root => "", nav => "changes", title => "Changes",
                    pages => Value::from(Serde(&pages)) },
            )?,
        );
    }
    // Links between SOPs: a linked file name maps to the page of the document of that name.
    let by_file: BTreeMap<String, String> = loaded
        .entries
        .iter()
        .zip(&site.sops)
        .map(|(e, s)| {
            let name = e.original.rsplit('/').next().unwrap_or(&e.original);
            let name = name.to_string();
            let page = s.page.strip_prefix("sop/").unwrap_or(&s.page).to_string();
            (name, page)
        })
        .collect();
    for (entry, sop) in loaded.entries.iter().zip(&site.sops) {
        let doc = &entry.document;
        let heading = doc
            .sections_of(crate::document::SectionKind::Escalation)
            .next()
            .map(|s| s.heading.as_str());
        let (body, body_after) = markdown::render(&entry.source, &by_file, heading);
        let levels = doc.escalation.as_ref().map(svg::levels).unwrap_or_default();
        let chain = if levels.is_empty() {
            String::new()
        } else {
            svg::chain(&levels, "chain")
        };
        let findings: Vec<FindingView> = entry
            .diagnostics
            .iter()
            .map(|d| FindingView {
                line: d.line,
                column: d.column,
                severity: d.severity.as_str(),
                code: d.code.clone(),
                message: d.message.clone(),
            })
            .collect();
        let mut steps = String::new();
        if !doc.steps.is_empty() {
            steps_html(&doc.steps, &mut steps);
        }
        let sentences: Vec<String> = levels.iter().map(svg::LevelText::sentence).collect();
        files.insert(
            sop.page.clone(),
            page(
                "sop.html",
                context! { site => site_value.clone(), sop => Value::from(Serde(sop)), root => Value::from_safe_string("../".into()), nav => "sop", title => &sop.title,
                    lang => &sop.lang, body, body_after, svg => chain, levels => Value::from(Serde(&sentences)),
                    findings => Value::from(Serde(&findings)), steps,
                    step_count => doc.all_steps().len() },
            )?,
        );
        files.insert(sop.raw.clone(), entry.source.clone().into_bytes());
    }
    files.insert("assets/sopkit.css".into(), CSS.as_bytes().to_vec());
    files.insert("assets/search.js".into(), SEARCH_JS.as_bytes().to_vec());
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::CSS;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// WCAG AA: every text colour of the stylesheet on each background it is used on.
    #[test]
    fn text_colours_meet_aa_contrast() {
        let pairs = [
            ("#1a1a1a", "#ffffff"), // body text
            ("#4a4a4a", "#ffffff"), // muted text
            ("#4a4a4a", "#f3f6fa"), // muted text on panels
            ("#1a1a1a", "#f3f6fa"), // text on panels and in the diagram's boxes
            ("#0b57a3", "#ffffff"), // links
            ("#0b57a3", "#f3f6fa"), // links on panels
            ("#ffffff", "#1f4e79"), // the site header
            ("#1f4e79", "#f3f6fa"), // role names in the diagram
            ("#8a1c1c", "#fde8e8"), // overdue
            ("#6b4200", "#fff4d6"), // due soon
            ("#8a1c1c", "#ffffff"), // errors, removed text
            ("#6b4200", "#ffffff"), // warnings
            ("#1d5e2a", "#ffffff"), // inserted text
        ];
        for (fg, bg) in pairs {
            for c in [fg, bg] {
                let short = if c == "#ffffff" { "#fff" } else { c };
                assert!(CSS.contains(short), "{c} is not in the stylesheet");
            }
            let ratio = contrast(fg, bg);
            assert!(ratio >= 4.5, "{fg} on {bg}: {ratio:.2}");
        }
    }
}
