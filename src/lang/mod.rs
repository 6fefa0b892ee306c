//! Language-specific analysis.
pub(crate) mod en;
pub(crate) mod fi;
pub(crate) mod hr;
pub(crate) mod malay;
pub(crate) mod steps;

/// Function words of the seed languages: frequent, short, and rare in the other languages.
/// Malay and Indonesian share most of theirs, so each also lists the spellings that differ.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "ms",
        &[
            "boleh",
            "bahawa",
            "kerana",
            "syarikat",
            "perkhidmatan",
            "anda",
            "mereka",
            "juga",
            "oleh",
            "sebagai",
            "kepada",
            "daripada",
            "bagi",
            "iaitu",
            "hendaklah",
            "mesti",
        ],
    ),
    (
        "id",
        &[
            "bisa",
            "bahwa",
            "karena",
            "perusahaan",
            "layanan",
            "dapat",
            "harus",
            "oleh",
            "sebagai",
            "kepada",
            "daripada",
            "bagi",
            "yaitu",
            "adalah",
            "sudah",
            "tersebut",
        ],
    ),
    (
        "hr",
        &[
            "je", "su", "da", "za", "od", "kao", "ili", "koji", "koja", "što", "se", "na", "ako",
            "kada", "treba", "biti",
        ],
    ),
    (
        "fi",
        &[
            "ja", "on", "että", "ei", "tai", "kun", "jos", "myös", "ovat", "voi", "tämä", "sekä",
            "mutta", "joka", "kuin", "tulee",
        ],
    ),
];

/// Words shared by Malay and Indonesian: evidence for either.
const MALAY_INDONESIAN: &[&str] = &[
    "dan",
    "yang",
    "untuk",
    "dengan",
    "ini",
    "itu",
    "dalam",
    "tidak",
    "akan",
    "pelanggan",
];

/// The seed language (ms, id, hr or fi) that a sample of prose reads as, if any stands out.
pub(crate) fn detect_seed_language(text: &str) -> Option<&'static str> {
    let mut counts = [0usize; 4];
    let mut shared = 0usize;
    let mut words = 0usize;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(400)
    {
        words += 1;
        let lower = word.to_lowercase();
        for (i, (_, list)) in FUNCTION_WORDS.iter().enumerate() {
            if list.contains(&lower.as_str()) {
                counts[i] += 1;
            }
        }
        if MALAY_INDONESIAN.contains(&lower.as_str()) {
            shared += 1;
        }
    }
    counts[0] += shared;
    counts[1] += shared;
    let (best, &hits) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, usize::MAX - i))?;
    let runner_up = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    // Enough function words, and a clear winner (Malay and Indonesian differ by few words).
    (words >= 12 && hits * 10 >= words && hits > runner_up).then(|| FUNCTION_WORDS[best].0)
}

#[cfg(test)]
mod tests {
    use super::detect_seed_language;

    #[test]
    fn seed_languages_are_told_apart() {
        let ms = "Ia adalah penting untuk meluangkan masa bagi membangunkan prosedur \
                  perkhidmatan pelanggan yang sensitif kerana keperluan pelanggan boleh berubah.";
        let id = "Dukungan pelanggan telah mengasumsikan banyak arti karena perusahaan mencoba \
                  melibatkan pelanggan dan pelanggan harus mendapatkan dukungan yang tepat.";
        let hr = "Služba za korisnike općenito se definira kao interakcija između tvrtke i \
                  njezinih klijenata i ocjenjuje se na temelju sposobnosti da zadovolji potrebe.";
        let fi = "Hyvä asiakaspalvelupolitiikka voi edistää yrityksen menestystä ja se on \
                  tärkeää, että käytännöt ovat selkeitä kun asiakas ottaa yhteyttä.";
        assert_eq!(detect_seed_language(ms), Some("ms"));
        assert_eq!(detect_seed_language(id), Some("id"));
        assert_eq!(detect_seed_language(hr), Some("hr"));
        assert_eq!(detect_seed_language(fi), Some("fi"));
        let en = "Greet the customer and listen to the complaint without interrupting them.";
        assert_eq!(detect_seed_language(en), None);
        assert_eq!(detect_seed_language("Kratko."), None);
    }
}
