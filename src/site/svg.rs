//! The escalation chain drawn as inline SVG by sopkit itself (no diagram library, no script):
//! one box per level with its role, trigger, time limit and contact, top to bottom, and an
//! arrow between levels labelled with the next level's time limit. The `<title>` and `<desc>`
//! give the text alternative; the page lists the levels in HTML as well.

use crate::document::{EscalationChain, Level};

const WIDTH: usize = 640;
const MARGIN: usize = 16;
const LINE: usize = 18;
const PAD: usize = 12;
const GAP: usize = 46;
/// Characters per line of detail text (13 px sans-serif in a 600 px box, with room to spare).
const WRAP: usize = 72;
/// Characters per line of the role (16 px bold).
const WRAP_ROLE: usize = 54;

/// One level as text: what the box and the text alternative show.
pub(crate) struct LevelText {
    pub number: String,
    pub role: String,
    pub trigger: Option<String>,
    pub within: Option<String>,
    pub contact: Option<String>,
}

impl LevelText {
    pub(crate) fn of(i: usize, level: &Level) -> Self {
        let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        Self {
            number: level
                .number
                .as_deref()
                .map(clean)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| (i + 1).to_string()),
            role: level
                .role
                .as_ref()
                .map(|r| clean(&r.value))
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "(no role given)".into()),
            trigger: level
                .trigger
                .as_ref()
                .map(|t| without_when(&clean(&t.value)).to_string()),
            within: level.within.as_ref().map(|w| clean(&w.text)),
            contact: level.contact.as_ref().map(|c| clean(&c.value)),
        }
    }

    /// "Level 2: Shift supervisor; when a refund above 200 EUR is requested; within 1 h;
    /// contact supervisor@example.com."
    pub(crate) fn sentence(&self) -> String {
        let mut s = format!("Level {}: {}", self.number, self.role);
        if let Some(t) = &self.trigger {
            s.push_str(&format!("; when: {t}"));
        }
        if let Some(w) = &self.within {
            s.push_str(&format!("; within: {w}"));
        }
        if let Some(c) = &self.contact {
            s.push_str(&format!("; contact: {c}"));
        }
        s.push('.');
        s
    }
}

/// A trigger without its leading "when" (the label says it): "When: the outage lasts…".
pub(crate) fn without_when(trigger: &str) -> &str {
    match trigger.get(..5) {
        Some(head) if head.eq_ignore_ascii_case("when ") => trigger[5..].trim_start(),
        _ => trigger,
    }
}

/// The levels of a chain as text.
pub(crate) fn levels(chain: &EscalationChain) -> Vec<LevelText> {
    chain
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| LevelText::of(i, l))
        .collect()
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Greedy word wrap at `width` characters; a word longer than a line is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_string();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        if word.is_empty() {
            continue;
        }
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The chain as an `<svg>` element; `id` makes its title and description ids unique.
pub(crate) fn chain(levels: &[LevelText], id: &str) -> String {
    struct Box {
        role: Vec<String>,
        detail: Vec<(&'static str, Vec<String>)>,
        height: usize,
    }
    let boxes: Vec<Box> = levels
        .iter()
        .map(|l| {
            let role = wrap(&format!("{}. {}", l.number, l.role), WRAP_ROLE);
            let mut detail = Vec::new();
            for (label, value) in [
                ("When", &l.trigger),
                ("Within", &l.within),
                ("Contact", &l.contact),
            ] {
                if let Some(v) = value {
                    detail.push((label, wrap(&format!("{label}: {v}"), WRAP)));
                }
            }
            let lines = role.len() + detail.iter().map(|(_, d)| d.len()).sum::<usize>();
            Box {
                height: 2 * PAD + lines * LINE,
                role,
                detail,
            }
        })
        .collect();
    let total: usize = boxes.iter().map(|b| b.height).sum::<usize>()
        + GAP * boxes.len().saturating_sub(1)
        + 2 * MARGIN;
    let id = escape(id);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chain\" viewBox=\"0 0 {WIDTH} {total}\" \
         width=\"{WIDTH}\" height=\"{total}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n"
    );
    s.push_str(&format!(
        "<title id=\"{id}-title\">Escalation chain: {} levels</title>\n",
        levels.len()
    ));
    let desc: Vec<String> = levels.iter().map(LevelText::sentence).collect();
    s.push_str(&format!(
        "<desc id=\"{id}-desc\">{}</desc>\n",
        escape(&desc.join(" "))
    ));
    let box_width = WIDTH - 2 * MARGIN;
    let mut y = MARGIN;
    for (i, b) in boxes.iter().enumerate() {
        s.push_str(&format!(
            "<g class=\"level\"><rect x=\"{MARGIN}\" y=\"{y}\" width=\"{box_width}\" height=\"{}\" rx=\"6\"/>\n",
            b.height
        ));
        let mut ty = y + PAD + 14;
        let x = MARGIN + PAD;
        s.push_str(&format!("<text class=\"role\" x=\"{x}\" y=\"{ty}\">"));
        for (k, line) in b.role.iter().enumerate() {
            if k > 0 {
                ty += LINE;
                s.push_str(&format!(
                    "<tspan x=\"{x}\" y=\"{ty}\"> {}</tspan>",
                    escape(line)
                ));
            } else {
                s.push_str(&format!("<tspan>{}</tspan>", escape(line)));
            }
        }
        s.push_str("</text>\n");
        for (label, lines) in &b.detail {
            for line in lines {
                ty += LINE;
                s.push_str(&format!(
                    "<text class=\"{}\" x=\"{x}\" y=\"{ty}\">{}</text>\n",
                    label.to_ascii_lowercase(),
                    escape(line)
                ));
            }
        }
        s.push_str("</g>\n");
        y += b.height;
        if let Some(next) = levels.get(i + 1) {
            let cx = WIDTH / 2;
            let (top, bottom) = (y + 4, y + GAP - 4);
            s.push_str(&format!(
                "<g class=\"arrow\"><line x1=\"{cx}\" y1=\"{top}\" x2=\"{cx}\" y2=\"{}\"/>\
                 <polygon points=\"{},{} {},{} {cx},{bottom}\"/>",
                bottom - 8,
                cx - 6,
                bottom - 9,
                cx + 6,
                bottom - 9
            ));
            let label = match &next.within {
                Some(w) => format!("escalate: within {w}"),
                None => "escalate".to_string(),
            };
            s.push_str(&format!(
                "<text x=\"{}\" y=\"{}\">{}</text></g>\n",
                cx + 14,
                y + GAP / 2 + 5,
                escape(&label)
            ));
            y += GAP;
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(n: &str, role: &str, within: Option<&str>) -> LevelText {
        LevelText {
            number: n.into(),
            role: role.into(),
            trigger: Some("the customer is <angry> & loud".into()),
            within: within.map(String::from),
            contact: Some("#cs-floor".into()),
        }
    }

    #[test]
    fn one_box_per_level_and_arrows_with_times() {
        let svg = chain(
            &[
                level("1", "Service agent", Some("15 min")),
                level("2", "Shift supervisor", Some("1 h")),
            ],
            "c",
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("class=\"arrow\"").count(), 1);
        assert!(svg.contains("escalate: within 1 h"), "{svg}");
        assert!(svg.contains("Shift supervisor"));
        assert!(svg.contains("&lt;angry&gt; &amp; loud"), "{svg}");
        assert!(!svg.contains("<angry>"));
        assert!(svg.contains("<desc id=\"c-desc\">Level 1: Service agent;"));
    }

    #[test]
    fn a_leading_when_is_not_repeated() {
        assert_eq!(without_when("When the outage lasts"), "the outage lasts");
        assert_eq!(without_when("whenever"), "whenever");
        assert_eq!(without_when("A refund"), "A refund");
    }

    #[test]
    fn long_text_wraps_and_long_words_are_cut() {
        let lines = wrap(&"word ".repeat(40), 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(wrap(&"x".repeat(45), 20).len(), 3);
    }
}
