//! A document's Markdown as HTML for its page: pulldown-cmark renders, ammonia sanitises.
//!
//! Raw HTML in an SOP is kept only as far as ammonia's allow-list goes: no `<script>`, no event
//! handler attributes, no `javascript:` URLs, no remote images (the portal must work offline and
//! leak nothing). Links to other SOPs of the site point at their pages; links that leave the
//! site are marked "(external)"; links to files the site does not hold keep their text,
//! marked "(not in this portal)", without a link that would be broken.

use std::collections::{BTreeMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The Markdown extensions the portal renders, listed explicitly (as the parser does).
fn options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o
}

/// The body of a document (front matter removed) without its first level-1 heading, which
/// the page shows as its title; other level-1 headings become level 2 so that headings stay
/// in order under the page's own `<h1>`.
///
/// `pages` maps a linked file name (`refund-approval.md`) to its page (`REF-002.html`).
///
/// The body comes in two parts, split where the section headed `split_after` ends (the page
/// puts the escalation diagram there); without that section the second part is empty.
pub(crate) fn render(
    source: &str,
    pages: &BTreeMap<String, String>,
    split_after: Option<&str>,
) -> (String, String) {
    let body = strip_front_matter(source);
    let wanted = split_after.map(normalise);
    let mut events = Vec::new();
    let mut dropped_title = false;
    let mut skipping = false;
    let mut links: Vec<Leads> = Vec::new();
    // The level of the section to split after, once its heading has been read.
    let mut open: Option<HeadingLevel> = None;
    let mut heading_text: Option<String> = None;
    let mut split: Option<usize> = None;
    for event in Parser::new_ext(body, options()) {
        if let Event::Start(Tag::Heading { level, .. }) = &event {
            if split.is_none() && open.is_some_and(|l| *level <= l) {
                split = Some(events.len());
            }
            heading_text = Some(String::new());
        }
        if let (Some(t), Event::Text(text) | Event::Code(text)) = (&mut heading_text, &event) {
            t.push_str(text);
        }
        if let Event::End(TagEnd::Heading(level)) = &event {
            let text = heading_text.take().unwrap_or_default();
            if open.is_none() && split.is_none() && wanted.as_deref() == Some(&normalise(&text)) {
                open = Some(*level);
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                attrs,
            }) => {
                if !dropped_title {
                    dropped_title = true;
                    skipping = true;
                    continue;
                }
                events.push(Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                if skipping {
                    skipping = false;
                    continue;
                }
                events.push(Event::End(TagEnd::Heading(HeadingLevel::H2)));
            }
            _ if skipping => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest, leads) = link_target(&dest_url, pages);
                links.push(leads);
                // A link to a file the site does not hold keeps its text, not a broken href.
                if leads != Leads::Missing {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(dest),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => match links.pop() {
                Some(Leads::Missing) => events.push(Event::InlineHtml(CowStr::from(
                    "<span class=\"external\"> (not in this portal)</span>",
                ))),
                Some(Leads::Outside) => {
                    events.push(Event::End(TagEnd::Link));
                    events.push(Event::InlineHtml(CowStr::from(
                        "<span class=\"external\"> (external)</span>",
                    )));
                }
                _ => events.push(Event::End(TagEnd::Link)),
            },
            other => events.push(other),
        }
    }
    let after = match (open, split) {
        (_, Some(at)) => events.split_off(at),
        _ => Vec::new(),
    };
    let to_html = |events: Vec<Event>| {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        sanitize(&html)
    };
    (to_html(events), to_html(after))
}

fn normalise(heading: &str) -> String {
    heading
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where a link leads from a page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leads {
    /// A page or anchor of the site, an address or a phone number.
    Inside,
    /// Another web site: marked "(external)".
    Outside,
    /// A file the site does not hold: the text stays, marked, without a broken link.
    Missing,
}

/// Where a link goes in the site, and whether it leaves the site.
fn link_target(dest: &str, pages: &BTreeMap<String, String>) -> (String, Leads) {
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//") {
        return (dest.to_string(), Leads::Outside);
    }
    if lower.starts_with("mailto:") || lower.starts_with("tel:") || dest.starts_with('#') {
        return (dest.to_string(), Leads::Inside);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    match pages.get(name) {
        Some(page) => (
            match fragment {
                Some(f) => format!("{page}#{f}"),
                None => page.clone(),
            },
            Leads::Inside,
        ),
        // A relative link to a file the site does not hold: it would be broken here.
        None => (dest.to_string(), Leads::Missing),
    }
}

/// The text after a leading `---` … `---` (or `...`) front matter block.
pub(crate) fn strip_front_matter(source: &str) -> &str {
    let s = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Some(rest) = s
        .strip_prefix("---\n")
        .or_else(|| s.strip_prefix("---\r\n"))
    else {
        return s;
    };
    let mut offset = s.len() - rest.len();
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return &s[offset..];
        }
    }
    s
}

/// Sanitises rendered HTML with ammonia: its default allow-list (no scripts, no event
/// handlers, no styles), plus the classes the renderer itself adds; remote and `data:` images
/// are dropped, and every link gets `rel="noopener noreferrer"`.
pub(crate) fn sanitize(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto", "tel"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .add_tag_attributes("span", &["class"])
        .add_tag_attributes("ol", &["start"])
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            if (element == "img" && attribute == "src") || attribute == "srcset" {
                let v = value.trim_start().to_ascii_lowercase();
                if v.contains("://") || v.starts_with("//") || v.starts_with("data:") {
                    return None;
                }
            }
            if attribute == "class" && value != "external" {
                return None;
            }
            Some(value.into())
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(md: &str) -> String {
        render(md, &BTreeMap::new(), None).0
    }

    #[test]
    fn scripts_and_event_handlers_never_reach_the_page() {
        let html = render_plain(
            "# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n<a href=\"javascript:alert(3)\">x</a>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert(1)"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn remote_images_are_dropped_and_links_marked_external() {
        let html = render_plain(
            "# T\n\n![logo](https://example.com/logo.png) [site](https://example.com)\n",
        );
        assert!(!html.contains("example.com/logo.png"), "{html}");
        assert!(html.contains("(external)"), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn the_title_heading_is_dropped_and_later_h1s_become_h2() {
        let html = render_plain("---\nid: A\n---\n# Title\n\n## Purpose\n\n# Appendix\n");
        assert!(!html.contains("Title"), "{html}");
        assert!(!html.contains("id: A"), "{html}");
        assert!(html.contains("<h2>Purpose</h2>"), "{html}");
        assert!(html.contains("<h2>Appendix</h2>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
    }

    #[test]
    fn links_to_other_sops_point_at_their_pages() {
        let pages = BTreeMap::from([("b.md".to_string(), "B-1.html".to_string())]);
        let html = render("# T\n\nSee [B](../b.md#scope).\n", &pages, None).0;
        assert!(html.contains("href=\"B-1.html#scope\""), "{html}");
    }

    #[test]
    fn links_to_files_outside_the_site_keep_their_text_without_a_broken_link() {
        let html = render(
            "# T\n\nSee [the form](../forms/refund.pdf).\n",
            &BTreeMap::new(),
            None,
        )
        .0;
        assert!(!html.contains("refund.pdf"), "{html}");
        assert!(html.contains("the form"), "{html}");
        assert!(html.contains("(not in this portal)"), "{html}");
    }

    #[test]
    fn the_body_splits_after_the_named_section() {
        let md = "# T\n\n## Escalation\n\nx\n\n### Sub\n\ny\n\n## References\n\nz\n";
        let (before, after) = render(md, &BTreeMap::new(), Some("escalation"));
        assert!(
            before.contains("Sub") && !before.contains("References"),
            "{before}"
        );
        assert!(after.starts_with("<h2>References"), "{after}");
        let (before, after) = render(md, &BTreeMap::new(), Some("Nothing"));
        assert!(before.contains("References") && after.is_empty());
    }

    #[test]
    fn ordered_lists_keep_their_numbers() {
        let html = render_plain("# T\n\n3. Third\n4. Fourth\n");
        assert!(html.contains("<ol start=\"3\">"), "{html}");
    }
}
