//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz): each takes arbitrary bytes and
//! drives one reader of outside input through everything that follows it, as the commands
//! do. A panic, a hang or an unbounded allocation here is a bug.
//!
//! They live in the library, compiled and tested on stable with everything else, so that the
//! targets stay in step with the code; `fuzz/` only forwards bytes to them.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::ValueEnum;

use crate::bundle::diff::{diff, Side};
use crate::bundle::verify::{read, require_signature, Contents};
use crate::config::{CliRules, Resolver};
use crate::document::{parse, ParseOptions};
use crate::input::Input;
use crate::lint::{Linter, Summary};
use crate::output::{OutputFormat, Run};
use crate::rule::Fix;
use crate::settings::Settings;

/// The largest input the targets look at: large enough for the column and size cases.
pub const MAX_INPUT: usize = 128 * 1024;

/// The public key that signs the fuzz seed bundles (`fuzz/seeds.sh` signs with the secret
/// key beside it), so that signature checking is reached too.
pub const SEED_PUBLIC_KEY: &str = "RWRQxP75gifawZ6uA9gaaBaJWxQr59TKQgMW9bigEZslWzjsjZ9vbC3I";

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::with_defaults(Settings::default()))
}

/// Lints `data` as one SOP with every rule, renders the findings in every output format,
/// exports the document model as JSON, and applies every fix (unsafe ones too) for as many
/// rounds as `lint --fix` does, checking that each round keeps the text valid UTF-8 and
/// that fixes never grow a document without bound.
pub fn lint(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let linter = linter();
    let mut source = match std::str::from_utf8(data) {
        Ok(text) => text.to_string(),
        Err(_) => {
            // The reader must refuse it as a located error, never panic.
            let reports = linter.run(vec![input(data.to_vec())]);
            assert!(reports.iter().all(|r| r.error.is_some()));
            render_all(&reports);
            return;
        }
    };
    let doc = parse("fuzz.md", source.clone(), &ParseOptions::default());
    serde_json::to_vec(&doc).expect("the document model always serialises");

    // Every format renders the first round's findings and the last one's; the rounds between
    // only fix (rendering is the slowest part, and the fixes are what changes).
    for round in 0..crate::fix::MAX_ITERATIONS {
        let reports = linter.run(vec![input(source.clone().into_bytes())]);
        if round == 0 {
            render_all(&reports);
        }
        let fixes: Vec<&Fix> = reports
            .iter()
            .flat_map(|r| r.diagnostics.iter())
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| crate::fix::allowed(f, true))
            .collect();
        if fixes.is_empty() {
            if round > 0 {
                render_all(&reports);
            }
            return;
        }
        let (fixed, _) = crate::fix::apply(&source, &fixes);
        assert!(
            fixed.len() <= 4 * source.len() + 4096,
            "a fix round grew the text from {} to {} bytes",
            source.len(),
            fixed.len()
        );
        if fixed == source {
            return;
        }
        source = fixed;
    }
}

fn input(bytes: Vec<u8>) -> Input {
    Input {
        path: "fuzz.md".into(),
        bytes: Ok(bytes),
    }
}

fn render_all(reports: &[crate::lint::FileReport]) {
    for color in [false, true] {
        let run = Run {
            reports,
            summary: Summary::of(reports),
            elapsed: std::time::Duration::ZERO,
            color,
            fixes_applied: None,
            unsafe_fixes: false,
            max_warnings: None,
            rules: linter().rule_metas(),
        };
        for format in OutputFormat::value_variants() {
            let mut out = Vec::new();
            crate::output::write(*format, &run, &mut out).expect("writing to memory never fails");
            if !color {
                crate::output::write_statistics(&run, &mut out).expect("in memory");
            }
        }
    }
}

/// A scratch folder for the configuration target, made once per process.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sopkit-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder in the temporary directory");
        dir
    })
}

/// Reads `data` as configuration files: up to the first NUL byte it is `sopkit.yaml`, after
/// it a rule pack `pack.yaml` (which the configuration may name in `packs:`). Loads the
/// configuration as `lint` does, resolves a file's profile, loads the pack on its own as
/// `rules --packs` does, and renders every error as the command line prints it.
pub fn config(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let (config, pack) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let dir = scratch();
    let config_path = dir.join("sopkit.yaml");
    let pack_path = dir.join("pack.yaml");
    std::fs::write(&config_path, config).expect("scratch write");
    std::fs::write(&pack_path, pack).expect("scratch write");

    match Resolver::new(Some(&config_path), false, &CliRules::default()) {
        Ok(mut resolver) => {
            let file = dir.join("docs/sop.md");
            let _ = resolver.excluded(&file).map_err(render_error);
            match resolver.profile_of(&file, &Settings::default()) {
                Ok(_) => {
                    let linter = resolver.into_linter();
                    let reports = linter.run(vec![input(
                        b"# SOP\n\n## Procedure\n\n1. Do it.\n".to_vec(),
                    )]);
                    render_all(&reports);
                }
                Err(e) => render_error(e),
            }
        }
        Err(e) => render_error(e),
    }
    if let Err(e) = crate::packs::load_packs_standalone(&[pack_path], dir) {
        render_error(e);
    }
}

fn render_error(e: impl miette::Diagnostic + Send + Sync + 'static) {
    let report = miette::Report::new(e);
    let mut out = String::new();
    use std::fmt::Write as _;
    write!(out, "{report:?}").expect("formatting into a string");
}

/// Reads `data` as a bundle and does what `verify`, `inspect` and `diff` do with it. The
/// first byte chooses how: odd, the rest is the bundle file as it is (gzip and all); even,
/// the rest is a tar stream, gzipped here, so that mutations reach the archive's entries.
pub fn bundle(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if rest.len() > MAX_INPUT {
        return;
    }
    let file = if mode % 2 == 1 {
        rest.to_vec()
    } else {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(rest).expect("in memory");
        gz.finish().expect("in memory")
    };
    let limit = crate::bundle::verify::expansion_limit(file.len() as u64);
    let mut contents: Contents = read(&file[..], limit);
    // Whatever was read, it was bounded.
    let held: usize = contents.files.values().map(Vec::len).sum();
    assert!(held as u64 <= limit + 1);

    let key = minisign_verify::PublicKey::from_base64(SEED_PUBLIC_KEY).expect("a valid key");
    require_signature(&mut contents, &key);
    for p in &contents.problems {
        let _ = p.to_string();
    }
    if let Some(m) = &contents.manifest {
        let _ = crate::commands::inspect_table(m, contents.signature.is_some());
    }
    if let Some(side) = Side::of(&contents) {
        // Against itself and against an empty bundle of the same manifest.
        let d = diff(&side, &side);
        let _ = (d.human(), d.markdown(), serde_json::to_string(&d));
        let empty = std::collections::BTreeMap::new();
        let bare = Side {
            manifest: side.manifest,
            files: &empty,
        };
        let d = diff(&bare, &side);
        let _ = (d.human(), d.markdown());
    }
    // A reader that fails half-way is an archive problem, not a panic.
    let mut failing = Failing(&file[..file.len() / 2]);
    let mut sink = Vec::new();
    let _ = failing.read_to_end(&mut sink);
    let _ = read(Failing(&file[..file.len() / 2]), limit);
}

/// Yields its bytes, then an I/O error.
struct Failing<'a>(&'a [u8]);

impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::other("fuzz: the read fails here"));
        }
        let n = buf.len().min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples() -> Vec<Vec<u8>> {
        let mut files: Vec<_> = std::fs::read_dir("examples")
            .unwrap()
            .chain(std::fs::read_dir("examples/flawed").unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    #[test]
    fn lint_target_runs_on_the_examples_and_odd_bytes() {
        for bytes in examples() {
            lint(&bytes);
        }
        lint(b"");
        lint(&[0xff, 0xfe, b'#']);
        lint(format!("{}[a](b.md)\n", "x".repeat(1000)).as_bytes());
    }

    #[test]
    fn config_target_reads_good_and_bad_files() {
        config(std::fs::read("examples/sopkit.yaml").unwrap().as_slice());
        config(b"rules: [\n");
        config(b"packs: [pack.yaml]\n\0code: X\n");
        config(b"extends: sopkit.yaml\n");
    }

    #[test]
    fn bundle_target_reads_garbage_without_panicking() {
        bundle(b"");
        bundle(b"\x01not gzip");
        bundle(b"\x00not a tar");
        bundle(&[0u8; 2048]);
    }
}
