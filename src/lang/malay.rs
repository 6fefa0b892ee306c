//! Step judgement for Malay (ms) and Indonesian (id).
//!
//! Verbs carry no tense: an instruction is marked by form, a verb (bare root, root + -kan /
//! -i, -lah, or after *Sila*, *Mohon*, *Jangan*) at the start of the main clause with no
//! subject. A step that opens with a noun phrase followed by an active meN- or ber- verb
//! describes what someone does; one that opens with a peN-…-an, per-…-an or ke-…-an
//! nominalisation and has no verb names an action. The aspect markers (*telah*, *sudah*,
//! *akan*, *sedang*) are left to the shipped tense packs (MS001-MS003, ID001-ID003), so one
//! problem gives one finding; this judge adds the past time adverbs (*semalam*, *kemarin*,
//! *tadi*) and *nanti* / *bakal*.
//!
//! Roots and the affixes they take come from the Indonesian hunspell dictionary
//! (`rules/id/roots.txt`, see `rules/id/README.md`); the two standard languages share their
//! morphology and most roots.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::steps::{first_sentence_words, main_clause, pair, StepKind, StepProblem, Word};

static ROOTS_TXT: &str = include_str!("../../rules/id/roots.txt");

/// Which of the two standard languages a step is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    Malay,
    Indonesian,
}

/// Root -> the affix tags it takes (M meN-, D di-, B ber-, P peN-an, R per-an, K ke-an, A -an).
fn roots() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        ROOTS_TXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .collect()
    })
}

fn has_tag(root: &str, tags: &str) -> bool {
    roots()
        .get(root)
        .is_some_and(|t| t.chars().any(|c| tags.contains(c)))
}

/// Words that open a fronted clause (condition, time) before the instruction.
const FRONTED: &[&str] = &[
    "jika",
    "sekiranya",
    "apabila",
    "bila",
    "kalau",
    "jikalau",
    "sebelum",
    "selepas",
    "setelah",
    "sesudah",
    "semasa",
    "ketika",
    "saat",
    "sewaktu",
    "selama",
    "sebaik",
    "sebaik-baik",
    "begitu",
    "pada",
    "setiap",
    "dalam",
    "untuk",
    "bagi",
    "sekiranya",
    "seandainya",
    "andai",
    "sejurus",
    "usai",
    "sambil",
    "demi",
    "kerana",
    "karena",
    "oleh",
    "sementara",
    "sekali",
];

/// Words that open a subordinate clause after the main verb.
const SUBORDINATE: &[&str] = &[
    "yang",
    "bahawa",
    "bahwa",
    "apakah",
    "jika",
    "sekiranya",
    "kalau",
    "jikalau",
    "apabila",
    "bila",
    "bilakah",
    "kapan",
    "sebelum",
    "selepas",
    "setelah",
    "sesudah",
    "semasa",
    "ketika",
    "saat",
    "sewaktu",
    "selama",
    "sejak",
    "sehingga",
    "hingga",
    "sampai",
    "supaya",
    "agar",
    "kerana",
    "karena",
    "kecuali",
    "meskipun",
    "walaupun",
    "biarpun",
    "begitu",
    "siapa",
    "apa",
    "mengapa",
    "kenapa",
    "bagaimana",
    "berapa",
    "manakah",
    "mana",
    "sebaik",
    "sebaik-baik",
    "jadi",
    "tetapi",
    "namun",
    "seandainya",
    "andai",
    "sambil",
    "untuk",
    "bagi",
    "iaitu",
    "yaitu",
    "seperti",
];

/// Words that make the step an instruction when they open it.
const INSTRUCTION_OPENERS: &[&str] = &[
    "sila",
    "silakan",
    "mohon",
    "harap",
    "jangan",
    "tolong",
    "usah",
    "hendaklah",
    "sentiasa",
    "selalu",
    "segera",
    "terus",
    "lakukan",
    "pastikan",
    "wajib",
    "perlu",
    "mesti",
    "harus",
    "boleh",
    "biarkan",
    "minta",
    "tanda",
    "pergi",
    "datang",
    "masuk",
    "keluar",
    "naik",
    "turun",
    "kembali",
    "balik",
    "pulang",
    "bangun",
    "tanya",
    "kemas",
    "log",
    "tetap",
    "cuba",
    "coba",
    "elakkan",
    "hindari",
    "ulangi",
    "ambil",
    "beri",
    "beritahu",
    "dapatkan",
];

/// Prepositions, conjunctions and pronouns whose letters also spell a verb root ("dalam":
/// deep, "mendalami").
const FUNCTION_WORDS: &[&str] = &[
    "dalam", "pada", "di", "ke", "dari", "daripada", "untuk", "bagi", "dengan", "oleh", "atau",
    "serta", "tentang", "terhadap", "antara", "hingga", "sampai", "sebagai", "seperti", "atas",
    "bawah", "luar", "sini", "situ", "sana", "ini", "itu", "anda", "kami", "kita", "mereka", "dia",
    "ia", "semua", "setiap", "tiap", "lain", "baru", "baharu", "lagi", "juga", "hanya",
];

/// Subjects that are a system, a screen or a thing, not a role.
const SYSTEMS: &[&str] = &[
    "aplikasi",
    "sistem",
    "program",
    "perisian",
    "perangkat",
    "halaman",
    "laman",
    "skrin",
    "layar",
    "tetingkap",
    "jendela",
    "dialog",
    "kotak",
    "fail",
    "berkas",
    "medan",
    "bidang",
    "ini",
    "itu",
    "ia",
    "data",
    "laporan",
    "mesin",
    "pelayan",
    "server",
    "butang",
    "tombol",
    "menu",
    "paparan",
    "tampilan",
    "senarai",
    "daftar",
    "jadual",
    "tabel",
    "status",
    "nilai",
    "hasil",
    "keputusan",
    "mesej",
    "pesan",
    "notifikasi",
    "pemberitahuan",
    "e-mel",
    "email",
];

/// ber- verbs that state where or how something is, not what someone does.
const STATIVE_BER: &[&str] = &[
    "berada",
    "berisi",
    "berlaku",
    "berjalan",
    "berfungsi",
    "berubah",
    "berbeza",
    "berbeda",
    "bermula",
    "berakhir",
    "berlangsung",
    "bernilai",
    "berjumlah",
    "berstatus",
    "bersedia",
    "bersaiz",
    "berukuran",
    "bergantung",
    "tergantung",
];

/// Aspect markers the tense packs report (MS001-MS003, ID001-ID003).
const PACK_MARKERS: &[&str] = &["telah", "sudah", "pernah", "akan", "sedang"];

/// Past time adverbs: with a subject they make a simple past.
const PAST_ADVERBS: &[&str] = &[
    "semalam", "kelmarin", "kemarin", "kemarin", "tadi", "tadinya",
];

/// Future words other than *akan*.
const FUTURE_WORDS: &[&str] = &["nanti", "bakal"];

/// Nouns that open with meN-/ber-/pe- letters but are not derived verbs or nominalisations.
const NOT_DERIVED: &[&str] = &[
    "mereka",
    "menit",
    "minit",
    "menu",
    "mesin",
    "media",
    "meja",
    "memo",
    "merek",
    "metode",
    "mekanisme",
    "mel",
    "menteri",
    "mentega",
    "meter",
    "meterai",
    "bersama",
    "berapa",
    "beberapa",
    "berikut",
    "berkas",
    "bersih",
    "berat",
    "beras",
    "bekas",
    "perlu",
    "pernah",
    "pertama",
    "persen",
    "peratus",
    "perkara",
    "pelanggan",
    "pesanan",
    "petang",
    "pekan",
    "kelas",
    "keras",
    "keadaan",
    "kenderaan",
    "kendaraan",
    "kemudian",
    "kecuali",
    "kerana",
    "karena",
    "ketika",
    "kertas",
    "keputusan",
    "kesan",
    "kebenaran",
    "keperluan",
    "kebutuhan",
    "perhatian",
    "peranan",
    "pelaburan",
    "pendapatan",
    "perbankan",
    "perkhidmatan",
    "pelajaran",
    "pekerjaan",
    "perusahaan",
    "persatuan",
    "pejabat",
    "pegawai",
    "petugas",
    "pesakit",
    "pasien",
    "pengurus",
    "penyelia",
    "pemohon",
    "pengguna",
    "pemegang",
    "peniaga",
    "penghuni",
    "peserta",
    "pemilik",
    "pembeli",
    "penjual",
    "pengirim",
    "penerima",
    "perawat",
    "penyakit",
    "pengunjung",
    "menggunakan",
    "mengenai",
    "menurut",
    "mengikut",
    "melalui",
    "menjelang",
    "menuju",
    "merupakan",
    "menjadi",
    "menerusi",
    "bermula",
    "berdasarkan",
    "bertanggungjawab",
    "bertanggung",
    "berkenaan",
    "berkaitan",
    "berhubung",
    "termasuk",
];

/// The roots a word with a meN- prefix can come from ("memeriksa" -> "periksa",
/// "menyemak" -> "semak", "mengirim" -> "kirim"), suffixes -kan, -i, -nya, -lah removed.
fn men_roots(word: &str) -> Vec<String> {
    let mut stems = vec![word.to_string()];
    for suffix in ["nya", "lah", "kah"] {
        if let Some(s) = word.strip_suffix(suffix) {
            stems.push(s.to_string());
        }
    }
    let mut bare = Vec::new();
    for s in &stems {
        bare.push(s.clone());
        if let Some(b) = s.strip_suffix("kan") {
            bare.push(b.to_string());
        }
        if let Some(b) = s.strip_suffix('i') {
            bare.push(b.to_string());
        }
    }
    let vowel = |c: Option<char>| c.is_some_and(|c| "aeiou".contains(c));
    let mut out = Vec::new();
    for s in bare {
        if let Some(r) = s.strip_prefix("menge") {
            out.push(r.to_string());
        }
        if let Some(r) = s.strip_prefix("meng") {
            out.push(r.to_string());
            if vowel(r.chars().next()) {
                out.push(format!("k{r}"));
            }
        } else if let Some(r) = s.strip_prefix("meny") {
            out.push(format!("s{r}"));
        } else if let Some(r) = s.strip_prefix("mem") {
            out.push(r.to_string());
            if vowel(r.chars().next()) {
                out.push(format!("p{r}"));
            }
        } else if let Some(r) = s.strip_prefix("men") {
            out.push(r.to_string());
            if vowel(r.chars().next()) {
                out.push(format!("t{r}"));
            }
        }
        if let Some(r) = s.strip_prefix("me") {
            if r.starts_with(['l', 'm', 'n', 'r', 'w', 'y']) {
                out.push(r.to_string());
            }
        }
    }
    out.retain(|r| r.chars().count() >= 2);
    out
}

/// Whether the word is an active meN- verb ("memeriksa", "menyerahkan").
fn men_verb(word: &str) -> bool {
    if !word.starts_with("me") || NOT_DERIVED.contains(&word) || roots().contains_key(word) {
        return false;
    }
    let candidates = men_roots(word);
    if candidates.iter().any(|r| has_tag(r, "M")) {
        return true;
    }
    // A root the dictionary lacks or lists without meN- (Malay "merekodkan", "memasukkan"):
    // the prefix and a long enough word.
    word.chars().count() >= 7
        && ["meng", "meny", "mem", "men", "mel", "mer", "mew", "mey"]
            .iter()
            .any(|p| word.starts_with(p))
}

/// Whether the word is a ber- verb ("bertanya", "bekerja", "belajar").
fn ber_verb(word: &str) -> bool {
    if NOT_DERIVED.contains(&word) || roots().contains_key(word) {
        return false;
    }
    let word = word.strip_suffix("an").filter(|_| false).unwrap_or(word);
    ["ber", "be", "bel"].iter().any(|p| {
        word.strip_prefix(p).is_some_and(|r| {
            let r = r.strip_suffix("kan").unwrap_or(r);
            has_tag(r, "B")
        })
    })
}

/// Whether the word is a di- passive ("diperiksa", "diserahkan").
fn di_verb(word: &str) -> bool {
    word.strip_prefix("di").is_some_and(|r| {
        let r = r.strip_suffix("nya").unwrap_or(r);
        has_tag(r, "DM")
            || r.strip_suffix("kan").is_some_and(|b| has_tag(b, "DM"))
            || r.strip_suffix('i').is_some_and(|b| has_tag(b, "DM"))
            || r.chars().count() >= 6 && (r.ends_with("kan") || r.starts_with("per"))
    })
}

/// Whether the word is a nominalisation: peN-…-an, per-…-an, ke-…-an or root + -an
/// ("pengesahan", "perbaikan", "kehadiran", "sandaran").
fn nominalisation(word: &str) -> bool {
    if NOT_DERIVED.contains(&word) {
        return false;
    }
    let Some(stem) = word.strip_suffix("an") else {
        return false;
    };
    if roots().contains_key(word) && !has_tag(stem, "A") {
        return false;
    }
    let pe = men_roots(&format!("me{}", stem.strip_prefix("pe").unwrap_or("")));
    if stem.starts_with("pe") && pe.iter().any(|r| has_tag(r, "PM")) {
        return true;
    }
    if let Some(r) = stem.strip_prefix("per").or_else(|| stem.strip_prefix("pe")) {
        if has_tag(r, "R") {
            return true;
        }
    }
    if let Some(r) = stem.strip_prefix("ke") {
        if has_tag(r, "K") {
            return true;
        }
    }
    if has_tag(stem, "A") && has_tag(stem, "M") {
        return true;
    }
    // A derivation the dictionary lacks: the affixes and a long enough word.
    if word.starts_with("ke") && word.chars().count() >= 9 && !word.ends_with("kan") {
        return true;
    }
    // ("Perkenalkan" is root + -kan.)
    word.chars().count() >= 9 && word.starts_with("pe") && !word.ends_with("kan")
}

/// Whether a word opens one of the instructions of a step, for counting them: an
/// instruction word, or a root whose meN- or di- form is frequent in Malay or Indonesian
/// text ("rekod", which the dictionary lacks).
pub(crate) fn counts_as_instruction(word: &str) -> bool {
    instruction_word(word) || (!FUNCTION_WORDS.contains(&word) && has_tag(word, "md"))
}

/// Whether a stem ends in a root of five letters or more ("tandatangan" ends in "tangan").
fn compound_root(stem: &str) -> bool {
    stem.char_indices().skip(2).any(|(i, _)| {
        let tail = &stem[i..];
        tail.chars().count() >= 5 && has_tag(tail, "M")
    })
}

/// Whether the word can open an instruction: a polite or negative marker, a verb root, a
/// root with -kan / -i / -lah.
pub(crate) fn instruction_word(word: &str) -> bool {
    if INSTRUCTION_OPENERS.contains(&word) {
        return true;
    }
    if FUNCTION_WORDS.contains(&word) {
        return false;
    }
    let w = word
        .strip_suffix("lah")
        .filter(|w| w.chars().count() >= 3)
        .unwrap_or(word);
    if men_verb(w) || ber_verb(w) || nominalisation(w) {
        return false;
    }
    if has_tag(w, "MD") {
        return true;
    }
    // Loanwords used as verbs: "Validasi", "Kalibrasi", "Verifikasi".
    if !roots().contains_key(w)
        && (w.ends_with("asi") || w.ends_with("isasi"))
        && w.chars().count() >= 6
    {
        return true;
    }
    // Root + -kan / -i ("Serahkan", "Patuhi"); -kan also on a root the dictionary lacks.
    w.strip_suffix("kan")
        .is_some_and(|r| roots().contains_key(r) || r.chars().count() >= 4)
        || w.strip_suffix('i')
            .is_some_and(|r| roots().contains_key(r) || compound_root(r))
}

/// Whether a word opens a subordinate clause.
pub(crate) fn subordinator(w: &str) -> bool {
    super::steps::opens_clause(SUBORDINATE, w)
}

fn fronted(w: &str) -> bool {
    FRONTED.contains(&w)
}

fn subordinate(words: &[Word], i: usize) -> bool {
    let w = words[i].lower.as_str();
    SUBORDINATE.contains(&w)
        || pair(words, i, "sama", "ada")
        || pair(words, i, "di", "mana")
        || (w == "dan"
            && words
                .get(i + 1)
                .is_some_and(|n| SUBORDINATE.contains(&n.lower.as_str())))
}

fn verb(w: &str) -> bool {
    men_verb(w)
        || ber_verb(w)
        || di_verb(w)
        || matches!(
            w,
            "perlu"
                | "hendaklah"
                | "mesti"
                | "harus"
                | "wajib"
                | "boleh"
                | "dapat"
                | "adalah"
                | "ialah"
                | "ada"
                | "tidak"
                | "tak"
                | "jangan"
                | "sila"
                | "silakan"
                | "mohon"
        )
}

/// Whether a sentence opens with an instruction (after a fronted clause).
pub(crate) fn opens_instruction(sentence: &str) -> bool {
    let words = first_sentence_words(sentence);
    let clause = main_clause(&words, &fronted, &subordinate);
    clause
        .first()
        .is_some_and(|w| instruction_word(&w.lower) && !nominalisation(&w.lower))
}

/// What is wrong with a Malay or Indonesian step, if anything.
pub(crate) fn judge(text: &str, variant: Variant) -> Option<StepProblem> {
    let words = first_sentence_words(text);
    let clause = main_clause(&words, &fronted, &subordinate);
    let first = clause.first()?;
    if clause
        .iter()
        .any(|w| PACK_MARKERS.contains(&w.lower.as_str()))
    {
        return None;
    }
    let example = match variant {
        Variant::Malay => "Semak borang pelanggan.",
        Variant::Indonesian => "Periksa formulir pelanggan.",
    };
    let opens_instruction = instruction_word(&first.lower) && !nominalisation(&first.lower);
    // A nominalisation with no verb: "Pengesahan identiti pemegang akaun di kaunter."
    let verb_after_and = clause.windows(2).any(|p| {
        matches!(p[0].lower.as_str(), "dan" | "lalu" | "kemudian" | "serta")
            && instruction_word(&p[1].lower)
    });
    if clause.len() >= 2
        && nominalisation(&first.lower)
        && !verb_after_and
        && !clause.iter().skip(1).any(|w| verb(&w.lower))
    {
        let end = clause.get(1).map_or(first.range.end, |w| w.range.end);
        return Some(StepProblem::new(
            StepKind::Nominal,
            text,
            first.range.start..end,
            example,
        ));
    }
    if opens_instruction && !matches!(first.lower.as_str(), "kami" | "kita" | "saya" | "aku") {
        return None;
    }
    // A nominalisation or a system as the subject ("Kelulusan perbelanjaan menunjukkan …",
    // "Aplikasi ini menjana …") describes a screen or a result, "anda boleh / dapat" what
    // the reader may do, and a role with "hendaklah", "perlu", "wajib" an obligation, the
    // formal SOP style ("Pegawai bertugas hendaklah menyemak …").
    if nominalisation(&first.lower)
        || SYSTEMS.contains(&first.lower.as_str())
        || matches!(first.lower.as_str(), "anda" | "awak" | "kamu")
        || clause.iter().take(4).any(|w| {
            matches!(
                w.lower.as_str(),
                "boleh"
                    | "dapat"
                    | "bisa"
                    | "hendaklah"
                    | "perlu"
                    | "mesti"
                    | "harus"
                    | "wajib"
                    | "diwajibkan"
                    | "dikehendaki"
            )
        })
    {
        return None;
    }
    for (i, w) in clause.iter().enumerate().take(7) {
        let lower = w.lower.as_str();
        if PAST_ADVERBS.contains(&lower) && i > 0 {
            return Some(StepProblem::new(
                StepKind::Past,
                text,
                w.range.clone(),
                example,
            ));
        }
        if FUTURE_WORDS.contains(&lower) {
            return Some(StepProblem::new(
                StepKind::Future,
                text,
                first.range.start..w.range.end,
                example,
            ));
        }
        if i > 0 && (men_verb(lower) || (ber_verb(lower) && !STATIVE_BER.contains(&lower))) {
            // A past time adverb later in the clause makes it a past.
            if let Some(adv) = clause
                .iter()
                .find(|x| PAST_ADVERBS.contains(&x.lower.as_str()))
            {
                return Some(StepProblem::new(
                    StepKind::Past,
                    text,
                    adv.range.clone(),
                    example,
                ));
            }
            return Some(StepProblem::new(
                StepKind::Descriptive,
                text,
                first.range.start..w.range.end,
                example,
            ));
        }
        if i > 0 && (di_verb(lower) || w.comma_after) {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str, v: Variant) -> Option<StepKind> {
        judge(text, v).map(|p| p.kind)
    }

    #[test]
    fn instructions_are_fine() {
        for s in [
            "Semak nombor rujukan aduan dalam sistem.",
            "Pastikan pelanggan menandatangani borang.",
            "Sila pakai sarung tangan semasa mengendalikan sampel.",
            "Jangan dedahkan baki akaun kepada pihak ketiga.",
            "Jika kad telah disekat, hubungi pusat kad.",
            "Minta pelanggan memasukkan nombor PIN.",
            "Bacalah semula alamat penghantaran kepada pelanggan.",
            "Lakukan verifikasi data pemohon.",
        ] {
            assert_eq!(kind(s, Variant::Malay), None, "{s}");
        }
        assert_eq!(
            kind(
                "Periksa apakah nasabah telah menandatangani formulir.",
                Variant::Indonesian
            ),
            None
        );
    }

    #[test]
    fn descriptions_nominals_and_past() {
        assert_eq!(
            kind(
                "Petugas loket memeriksa berkas pemohon.",
                Variant::Indonesian
            ),
            Some(StepKind::Descriptive)
        );
        assert_eq!(
            kind(
                "Juruwang mengira wang tunai di hadapan pelanggan.",
                Variant::Malay
            ),
            Some(StepKind::Descriptive)
        );
        assert_eq!(
            kind(
                "Pengesahan identiti pemegang akaun di kaunter.",
                Variant::Malay
            ),
            Some(StepKind::Nominal)
        );
        assert_eq!(
            kind(
                "Juruteknik memasang semula pencetak itu semalam.",
                Variant::Malay
            ),
            Some(StepKind::Past)
        );
        let p = judge("Petugas loket memeriksa berkas.", Variant::Indonesian).unwrap();
        assert!(
            p.message.contains("\"Petugas loket memeriksa\""),
            "{}",
            p.message
        );
    }

    #[test]
    fn systems_obligations_and_possibilities_are_not_roles() {
        for s in [
            "Aplikasi ini menjana jadual invois.",
            "Anda boleh memilih tarikh lain.",
            "Pegawai bertugas hendaklah menyemak log keselamatan.",
            "Kelulusan perbelanjaan menunjukkan bilangan laporan.",
        ] {
            assert_eq!(kind(s, Variant::Malay), None, "{s}");
        }
        assert!(counts_as_instruction("rekod"));
        assert!(!instruction_word("wali"));
    }

    #[test]
    fn morphology() {
        assert!(men_roots("memeriksa").contains(&"periksa".to_string()));
        assert!(men_roots("menyemak").contains(&"semak".to_string()));
        assert!(men_verb("mengirimkan"));
        assert!(!men_verb("meja"));
        assert!(nominalisation("pemeriksaan"));
        assert!(!nominalisation("pelanggan"));
    }
}
