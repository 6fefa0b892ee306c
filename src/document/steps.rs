//! Where steps are, when the document does not say "Procedure": the rules the parser applies to
//! numbered lists and numbered headings, and to the field lines inside a step.
//!
//! A top-level list is read as steps when one of these holds, checked in this order (the first
//! that holds is the list's [`FoundBy`]; `sopkit export` shows it in `step_lists` with a
//! `reason`):
//!
//! 1. **section**: it is inside a section that the alias table names Procedure ("Procedure",
//!    "Steps", "Langkah-langkah", …, or a bold pseudo-heading such as `**Procedure:**`). Bullet
//!    lists count here too, as they always have.
//!
//! Outside those sections only ordered lists are candidates, and a list of questions (at least
//! half its items end with "?") never is. Then:
//!
//! 2. **step-heading**: it is inside the section of a step heading (below); its items become
//!    the sub-steps of that heading's step.
//! 3. **phase-heading**: it is inside a phase heading ("Part 2 — Detect", "Phase 1", "Stage 3",
//!    "Osa 2", "Faza 1", "Bahagian 2"): phases group steps, their lists are the steps.
//!
//! Otherwise a veto comes first: the list is not steps when its nearest heading names options,
//! pros and cons, causes, questions, consequences, context, principles, tips, notes, follow-up
//! actions, a table of contents, references or links, or when at least half its items are only a
//! link (a table of contents or an index; a link to another site whose text is an instruction,
//! "[Set up Terraform](https://…)", is an instruction) or read as a citation (a DOI, "et al.").
//! Then:
//!
//! 4. **cue**: at least one item opens with an instruction, and the nearest heading holds a word
//!    that announces steps ("steps", "how to", "instructions", "resolution", "runbook",
//!    "rollback", "to do", "process", "langkah", "vaiheet", "koraci", …) or the sentence just
//!    before the list does ("follow these steps", "the following steps", "as follows",
//!    "langkah berikut", "toimi näin", "sljedeće korake", or a purpose that opens with "To …" /
//!    "Untuk …" / "Kako biste …" and ends with a colon or full stop);
//! 5. **content**: at least half of its items open with an instruction.
//!
//! An item *opens with an instruction* when its first clause (after a role label such as
//! "Supervisor:", and after a fronted condition or place such as "If it fails," / "Di tab
//! **X**,") starts with an imperative: for English the verb lexicon of `lang::en` decides; for
//! Finnish, Malay and Indonesian a list of the imperative verbs procedures use ("Valitse",
//! "Pilih", "Masukkan", …, and for Malay/Indonesian a verb in -kan that is neither passive nor
//! prefixed), at the start of one of the first clauses; for Croatian the imperative ending
//! -ite/-ajte/-ijte/-ujte/-ejte within the first ten words ("Na kartici odaberite …"). Other
//! languages try all of these.
//!
//! **Step headings.** A heading (level 2 or lower, not a bold pseudo-heading) is a step heading
//! when its text starts with "Step N" (or "Langkah N", "Vaihe N", "Korak N", "Schritt N",
//! "Étape N") followed by a separator or the end; the step headings under one parent form a run,
//! and numbering that starts again starts a new run. A heading that starts with a bare number
//! ("4. Notify customers", "2) Verify"; not "1.3 Escalation") is a step heading when it belongs
//! to a run of at least two sibling headings numbered one after the other, and either their
//! parent is a section (not the title) that is a Procedure section or whose heading announces
//! steps, or more than half of them open with an instruction. Runs under a heading that vetoes
//! (options, principles, …) and runs where a heading names a known section ("1. Purpose") are not
//! steps. A step heading is a step: its number is the heading's, its text the rest of the
//! heading, and the lists in its section are its sub-steps.
//!
//! **Fields.** A line of a step, or a child item without children of its own, that is a short
//! label (one to three words, at most 30 characters, starting with a letter), a colon and a
//! value ("Responsible: shift lead", "Durasi: 5 menit", "Tools: kubectl") is a
//! [`StepField`](super::StepField) of the step, not a step or part of its text — unless the
//! value has three words or more and opens with an instruction ("Supervisor: approve the
//! refund." is a step).

use serde::{Deserialize, Serialize};

/// Why a list was read as steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    Section,
    StepHeading,
    PhaseHeading,
    Cue,
    Content,
}

/// Headings whose lists are not steps, whatever their items say (normalised, lower case).
const NOT_STEPS: &[&str] = &[
    "option",
    "options",
    "considered options",
    "options considered",
    "alternatives",
    "alternatives considered",
    "pros",
    "cons",
    "pros and cons",
    "advantages",
    "disadvantages",
    "consequences",
    "context",
    "background",
    "decision",
    "status",
    "causes",
    "possible causes",
    "root causes",
    "root cause",
    "questions",
    "references",
    "links",
    "useful links",
    "further reading",
    "see also",
    "resources",
    "additional resources",
    "related",
    "related documents",
    "related links",
    "principles",
    "key principles",
    "guiding principles",
    "tips",
    "notes",
    "rules",
    "discussion questions",
    "lessons learned",
    "table of contents",
    "contents",
    "index",
    "follow-up actions",
    "follow up actions",
    "action items",
    "katso myös",
    "lihat juga",
    "vidi također",
    "rujukan",
    "referensi",
];

/// Words in a heading that announce steps.
const CUE_WORDS: &[&str] = &[
    "step",
    "steps",
    "how to",
    "instructions",
    "procedure",
    "procedures",
    "resolution",
    "resolve",
    "remediation",
    "mitigation",
    "workaround",
    "rollback",
    "runbook",
    "checklist",
    "to do",
    "process",
    "langkah",
    "prosedur",
    "vaiheet",
    "vaihe",
    "toimintaohje",
    "toimi näin",
    "koraci",
    "postupak",
];

/// Phrases in the sentence before a list that announce steps.
const CUE_PHRASES: &[&str] = &[
    "following steps",
    "these steps",
    "steps below",
    "steps to",
    "do the following",
    "as follows",
    "langkah berikut",
    "langkah-langkah berikut",
    "langkah yang berikut",
    "toimi näin",
    "seuraavasti",
    "seuraavat vaiheet",
    "sljedeće korake",
    "sljedeći koraci",
    "slijedite ove korake",
    "ove korake",
];

/// Keywords of step headings ("Step 3: …").
const STEP_WORDS: &[&str] = &[
    "step", "langkah", "vaihe", "korak", "schritt", "étape", "etape",
];

/// Keywords of phase headings ("Part 2 — Detect").
const PHASE_WORDS: &[&str] = &[
    "part", "phase", "stage", "partie", "osa", "faza", "dio", "bahagian", "bagian", "tahap",
];

/// Finnish imperatives (2nd person singular) common in procedures.
const FI_IMPERATIVES: &[&str] = &[
    "valitse",
    "täytä",
    "avaa",
    "kirjoita",
    "lisää",
    "paina",
    "siirry",
    "määritä",
    "määrittele",
    "luo",
    "tarkista",
    "tarkasta",
    "napsauta",
    "syötä",
    "tallenna",
    "kirjaa",
    "poista",
    "vahvista",
    "sulje",
    "käytä",
    "anna",
    "muuta",
    "hyväksy",
    "aseta",
    "ota",
    "tee",
    "kopioi",
    "liitä",
    "tulosta",
    "suorita",
    "päivitä",
    "lähetä",
    "toista",
    "etsi",
    "laske",
    "merkitse",
    "vie",
    "tuo",
    "hae",
    "kirjaudu",
    "asenna",
    "vaihda",
    "siirrä",
    "jatka",
    "odota",
    "palaa",
    "varmista",
    "lue",
    "katso",
    "rekisteröi",
    "yhdistä",
    "tyhjennä",
    "lopeta",
    "aloita",
    "käynnistä",
    "muokkaa",
    "nimeä",
    "kuittaa",
    "toimita",
    "laadi",
    "täydennä",
    "peruuta",
    "poimi",
    "sijoita",
    "julkaise",
    "valtuuta",
    "kohdista",
    "jaa",
    "sovita",
    "vastaanota",
    "selaa",
    "ilmoita",
    "tarkastele",
    "mene",
    "laajenna",
    "ota",
    "salli",
    "estä",
    "lataa",
];

/// Malay and Indonesian imperatives (base verbs) common in procedures.
const MS_ID_IMPERATIVES: &[&str] = &[
    "pilih", "klik", "buka", "isi", "simpan", "ketik", "taip", "pergi", "navigasi", "atur", "buat",
    "cipta", "periksa", "semak", "gunakan", "guna", "lihat", "tutup", "hapus", "padam", "salin",
    "unggah", "unduh", "muat", "kirim", "hantar", "setujui", "tinjau", "perbarui", "kemas", "ubah",
    "tukar", "lengkapi", "ikuti", "ikut", "masuk", "daftar", "log", "tekan", "seret", "tandai",
    "tanda", "impor", "import", "ekspor", "eksport", "beri", "cari", "kembali", "mulai", "mula",
    "edit", "sunting", "tambah", "tetap", "pasang", "instal", "tentukan", "pastikan", "sahkan",
    "luluskan",
];

/// A language-specific reading of "opens with an instruction".
pub(crate) fn opens_with_instruction(text: &str, lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = text.trim_start();
    match primary.as_str() {
        "en" => crate::lang::en::opens_with_imperative(text),
        "fi" => listed_at_clause_start(text, FI_IMPERATIVES, false),
        "ms" | "id" => listed_at_clause_start(text, MS_ID_IMPERATIVES, true),
        "hr" | "bs" | "sr" => croatian_imperative(text),
        _ => {
            crate::lang::en::opens_with_imperative(text)
                || listed_at_clause_start(text, FI_IMPERATIVES, false)
                || listed_at_clause_start(text, MS_ID_IMPERATIVES, true)
                || croatian_imperative(text)
        }
    }
}

fn words(text: &str) -> Vec<(String, bool)> {
    // (lower-cased word, whether a clause break comes right before it)
    let mut out = Vec::new();
    let mut brk = true;
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '-' || c == '\'' {
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push((std::mem::take(&mut cur), brk));
                brk = false;
            }
            if matches!(c, ',' | ';' | ':' | '—' | '–' | '.') {
                brk = true;
            }
        }
        if out.len() > 40 {
            break;
        }
    }
    if !cur.is_empty() {
        out.push((cur, brk));
    }
    out
}

/// A listed verb (or, with `kan`, a non-passive verb in -kan) at the start of one of the first
/// two clauses.
fn listed_at_clause_start(text: &str, verbs: &[&str], kan: bool) -> bool {
    let ws = words(text);
    let mut clauses = 0;
    for (w, brk) in ws.iter().take(30) {
        if !*brk {
            continue;
        }
        clauses += 1;
        if clauses > 3 {
            break;
        }
        if verbs.contains(&w.as_str()) {
            return true;
        }
        if kan && is_kan_verb(w) {
            return true;
        }
    }
    false
}

/// "masukkan", "tambahkan", "tetapkan" — not the passive "ditambahkan" nor the active
/// indicative "menambahkan".
fn is_kan_verb(w: &str) -> bool {
    let n = w.chars().count();
    n >= 6
        && w.ends_with("kan")
        && !["di", "me", "ber", "ter", "pe", "se", "ke"]
            .iter()
            .any(|p| w.starts_with(p))
}

/// Croatian: a verb in the imperative (2nd person plural/polite) among the first words.
fn croatian_imperative(text: &str) -> bool {
    words(text).iter().take(10).any(|(w, _)| {
        let n = w.chars().count();
        n >= 5
            && (w.ends_with("ite")
                || w.ends_with("ajte")
                || w.ends_with("ijte")
                || w.ends_with("ujte")
                || w.ends_with("ejte"))
    })
}

/// Lower-cases and drops numbering and surrounding punctuation, as headings are compared.
pub(crate) fn normalise(text: &str) -> String {
    let t = text.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')');
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a heading rules its lists out as steps.
pub(crate) fn vetoes(heading: &str) -> bool {
    let h = normalise(heading);
    NOT_STEPS.contains(&h.as_str())
}

/// The cue word a heading holds, if any.
pub(crate) fn heading_cue(heading: &str) -> Option<&'static str> {
    let h = normalise(heading);
    let padded = format!(" {h} ");
    CUE_WORDS.iter().find(|w| holds_word(&padded, w)).copied()
}

/// `padded.contains(&format!(" {w} ")) || padded.contains(&format!(" {w}:"))`, without
/// building a needle per word.
fn holds_word(padded: &str, w: &str) -> bool {
    let b = padded.as_bytes();
    memchr::memchr_iter(b' ', b).any(|i| {
        let rest = &b[i + 1..];
        rest.starts_with(w.as_bytes()) && matches!(rest.get(w.len()), Some(b' ' | b':'))
    })
}

/// Whether the sentence before a list announces steps; returns the phrase that does.
pub(crate) fn intro_cue(sentence: &str) -> Option<String> {
    let s = sentence.trim();
    if s.is_empty() || s.chars().count() > 300 {
        return None;
    }
    let lower = s.to_lowercase();
    if let Some(p) = CUE_PHRASES.iter().find(|p| lower.contains(*p)) {
        return Some((*p).to_string());
    }
    // "To set up a tunnel:", "Untuk membuat kuotasi, …": a purpose, then the steps.
    let to_do = ["to ", "untuk ", "kako biste ", "da biste ", "jotta "]
        .iter()
        .any(|p| lower.starts_with(p));
    if to_do && s.ends_with(['.', ':']) {
        let tail: String = s
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Some(tail);
    }
    None
}

/// Whether an item is a question ("How was the incident detected?").
pub(crate) fn is_question(text: &str) -> bool {
    let t = text.trim();
    t.ends_with('?')
        || t.split(['.', '!'])
            .next()
            .is_some_and(|s| s.trim_end().ends_with('?'))
}

/// Whether an item's text is only a link, or reads as a citation.
pub(crate) fn is_link_or_citation(text: &str, link_text: Option<&str>) -> bool {
    let t = text.trim().trim_end_matches(['.', ':']);
    if let Some(l) = link_text {
        // The link, maybe with a marker or an emoji around it: "✅ [Use AWS SSO](…)".
        let rest = t.replacen(l.trim(), "", 1);
        if !l.trim().is_empty() && !rest.chars().any(char::is_alphanumeric) {
            return true;
        }
    }
    let lower = t.to_lowercase();
    lower.contains("doi:")
        || lower.contains("doi.org")
        || lower.contains(" et al")
        || (t.starts_with("http") && !t.contains(' '))
}

/// A step or phase heading's number: (keyword or "", number, byte length of the prefix).
pub(crate) struct HeadingNumber {
    pub keyword: Option<String>,
    pub phase: bool,
    pub number: String,
    /// Byte length of "Step 3: " in the heading text.
    pub prefix: usize,
}

/// Reads "Step 3: Verify", "Part 2 — Detect", "4. Notify customers", "2) Verify".
pub(crate) fn heading_number(text: &str) -> Option<HeadingNumber> {
    let lead = text.len() - text.trim_start().len();
    let t = &text[lead..];
    let first_word: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
    let lower = first_word.to_lowercase();
    let (keyword, phase, rest_at) = if first_word.is_empty() {
        (None, false, 0)
    } else if STEP_WORDS.contains(&lower.as_str()) {
        (Some(first_word.clone()), false, first_word.len())
    } else if PHASE_WORDS.contains(&lower.as_str()) {
        (Some(first_word.clone()), true, first_word.len())
    } else {
        return None;
    };
    let after_kw = &t[rest_at..];
    let spaces = after_kw.len() - after_kw.trim_start().len();
    if keyword.is_some() && spaces == 0 {
        return None;
    }
    let num_start = rest_at + spaces;
    let digits: String = t[num_start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let mut pos = num_start + digits.len();
    let rest = &t[pos..];
    if keyword.is_some() {
        // "Part 4b", "Step 2:", "Step 3 -", "Step 1" alone.
        let suffix: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        if suffix.len() > 1 {
            return None;
        }
        pos += suffix.len();
        let rest = &t[pos..];
        let sep: usize = rest
            .char_indices()
            .take_while(|(_, c)| matches!(c, ' ' | ':' | '.' | '-' | '—' | '–' | ')' | '\t'))
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        if sep == 0 && !rest.is_empty() {
            return None;
        }
        pos += sep;
    } else {
        // A bare number needs "." or ")" and a space: "4. Notify", not "1.3 Escalation" nor "2026".
        let mut chars = rest.chars();
        match (chars.next(), chars.next()) {
            (Some('.' | ')'), Some(' ')) => pos += 2,
            _ => return None,
        }
        let rest = &t[pos..];
        pos += rest.len() - rest.trim_start().len();
        if t[pos..].trim().is_empty() {
            return None;
        }
    }
    Some(HeadingNumber {
        keyword,
        phase,
        number: match digits.trim_start_matches('0') {
            "" => "0".to_string(),
            n => n.to_string(),
        },
        prefix: lead + pos,
    })
}

/// A field line: "Responsible: shift lead" → (label, value, byte offset of the value).
pub(crate) fn field_line(line: &str, lang: &str) -> Option<(String, String, usize)> {
    let colon = line.find(':')?;
    let label = line[..colon].trim();
    let value = line[colon + 1..].trim();
    if label.is_empty() || value.is_empty() || label.chars().count() > 30 {
        return None;
    }
    // "https://…" is not a label.
    if line[colon + 1..].starts_with("//") {
        return None;
    }
    let words = label.split_whitespace().count();
    if words > 3 || !label.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    if !label
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '(' | ')' | '&'))
    {
        return None;
    }
    // "Supervisor: approve the refund." is a step with a role label; "Owner: shift lead" (a
    // verb-like first word, but only a name) is a field.
    if value.split_whitespace().count() >= 3 && opens_with_instruction(value, lang) {
        return None;
    }
    let value_at = colon + 1 + (line[colon + 1..].len() - line[colon + 1..].trim_start().len());
    Some((label.to_string(), value.to_string(), value_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`heading_cue`] as it was first written, with a needle per cue word.
    fn heading_cue_slow(heading: &str) -> Option<&'static str> {
        let h = normalise(heading);
        let padded = format!(" {h} ");
        CUE_WORDS
            .iter()
            .find(|w| padded.contains(&format!(" {w} ")) || padded.contains(&format!(" {w}:")))
            .copied()
    }

    proptest::proptest! {
        #[test]
        fn heading_cue_equals_the_slow_path(
            heading in "((steps|how to|how|to|instructions|resolution|runbook|rollback|process|langkah|vaiheet|koraci|do|[A-Za-z]{1,6}|[0-9.)]{1,3}|É|ß|🙂)[ :;,.-]{0,2}){0,8}"
        ) {
            proptest::prop_assert_eq!(heading_cue(&heading), heading_cue_slow(&heading));
        }

        #[test]
        fn heading_cue_equals_the_slow_path_on_any_text(heading in "\\PC{0,40}") {
            proptest::prop_assert_eq!(heading_cue(&heading), heading_cue_slow(&heading));
        }
    }

    #[test]
    fn instructions_in_each_language() {
        assert!(opens_with_instruction("Restart the pod.", "en"));
        assert!(opens_with_instruction(
            "If it fails, restart the pod.",
            "en"
        ));
        assert!(!opens_with_instruction("The pod restarts itself.", "en"));
        assert!(!opens_with_instruction("Logs are kept for 30 days.", "en"));
        assert!(opens_with_instruction("Valitse **Uusi**-toiminto.", "fi"));
        assert!(opens_with_instruction(
            "Jos et halua luoda riviä, lisää rasti kenttään.",
            "fi"
        ));
        assert!(!opens_with_instruction(
            "Ohjelma luo työkirjaan rivin.",
            "fi"
        ));
        assert!(opens_with_instruction(
            "Di tab **detail baris kuotasi**, pilih **Impor**.",
            "id"
        ));
        assert!(opens_with_instruction("Masukkan nama proyek.", "ms"));
        assert!(!opens_with_instruction(
            "Sistem ditambahkan ke daftar.",
            "id"
        ));
        assert!(opens_with_instruction(
            "Na kartici **Pojedinosti** odaberite **Uvoz**.",
            "hr"
        ));
        assert!(!opens_with_instruction(
            "Cjenik projekta ima prednost.",
            "hr"
        ));
    }

    #[test]
    fn heading_numbers() {
        let n = heading_number("Step 1: Disable Argo CD auto-sync").unwrap();
        assert_eq!((n.number.as_str(), n.phase), ("1", false));
        assert_eq!(
            &"Step 1: Disable Argo CD auto-sync"[n.prefix..],
            "Disable Argo CD auto-sync"
        );
        let n = heading_number("Part 2 — Detect & Analyze").unwrap();
        assert!(n.phase);
        assert_eq!(&"Part 2 — Detect & Analyze"[n.prefix..], "Detect & Analyze");
        let n = heading_number("4. Notify customers").unwrap();
        assert!(n.keyword.is_none());
        assert_eq!(n.number, "4");
        assert!(heading_number("Step 5").is_some());
        assert!(heading_number("Part 4b — Recover").is_some());
        assert!(heading_number("1.3 Communication & Escalation").is_none());
        assert!(heading_number("2026 plans").is_none());
        assert!(heading_number("Stepping stones").is_none());
        assert!(heading_number("Steps").is_none());
    }

    #[test]
    fn cues_and_vetoes() {
        assert_eq!(heading_cue("Steps to check"), Some("steps"));
        assert_eq!(heading_cue("Resolution"), Some("resolution"));
        assert!(heading_cue("Background").is_none());
        assert!(intro_cue("To set up such a tunnel:").is_some());
        assert!(intro_cue(
            "Untuk membuat kuotasi proyek dari peluang, selesaikan langkah berikut."
        )
        .is_some());
        assert!(intro_cue("The service has three parts.").is_none());
        assert!(intro_cue("An attacker would need to:").is_none());
        assert!(intro_cue("Priority order:").is_none());
        assert!(vetoes("Options"));
        assert!(vetoes("## Possible causes"));
        assert!(!vetoes("Resolution"));
        assert!(is_link_or_citation(
            "Set environment variables",
            Some("Set environment variables")
        ));
        assert!(is_link_or_citation(
            "Quick J, et al. Nature Protocols 2017",
            None
        ));
    }

    #[test]
    fn field_lines() {
        let (l, v, at) = field_line("Responsible: shift lead", "en").unwrap();
        assert_eq!(
            (l.as_str(), v.as_str(), at),
            ("Responsible", "shift lead", 13)
        );
        assert!(field_line("Durasi: 5 menit", "id").is_some());
        assert!(field_line("Supervisor: approve the refund.", "en").is_none());
        assert!(field_line("See https://example.com", "en").is_none());
        assert!(field_line(
            "Restart the pod and check the logs: they should be clean",
            "en"
        )
        .is_none());
    }
}
