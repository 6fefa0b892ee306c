//! Signed approvals (21 CFR 11.50/11.70, ISO 9001 §7.5.2): an approver signs a bundle's
//! manifest with their own minisign key, in a detached signature next to the bundle,
//! `BUNDLE.approval-<slug>.minisig`. Its trusted comment records who approved, when, what the
//! signature means and which manifest; it is signed too, so none of it can be edited, and the
//! manifest's hash ties the approval to this bundle and no other.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::error::{BundleError, Problem};
use super::manifest::sha256_hex;
use super::sign::{self, SigningKey};
use super::verify::Contents;
use crate::document::Document;

/// What an approval signature means, as its trusted comment says.
pub(crate) const MEANING: &str = "approved";
const COMMENT_PREFIX: &str = "sopkit-approval ";
const FILE_INFIX: &str = ".approval-";
const FILE_SUFFIX: &str = ".minisig";
/// A signature file is four short lines; anything larger is not one.
const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;
/// A keyring lists people, not files.
const MAX_KEYRING_BYTES: u64 = 1024 * 1024;
/// The longest approver name, in characters: the trusted comment must stay within what the
/// stock `minisign` tool reads (1,024 bytes in older versions).
const MAX_NAME_CHARS: usize = 200;
/// The front matter field that lists a document's approvers.
pub(crate) const APPROVERS: &str = "approvers";

/// The file-name form of an approver's name: lowercase letters and digits, every other run of
/// characters one `-` ("Head of Operations" → "head-of-operations").
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `BUNDLE.approval-<slug>.minisig`, next to the bundle.
pub(crate) fn file_for(bundle: &Path, name: &str) -> PathBuf {
    let mut file = bundle.as_os_str().to_owned();
    file.push(format!("{FILE_INFIX}{}{FILE_SUFFIX}", slug(name)));
    PathBuf::from(file)
}

/// What an approval's trusted comment records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comment {
    pub name: String,
    pub meaning: String,
    /// RFC 3339 UTC.
    pub time: String,
    pub bundle: String,
    pub version: String,
    pub manifest_sha256: String,
}

impl Comment {
    /// One line: the name is a JSON string, so quotes and control characters cannot end it.
    pub(crate) fn to_line(&self) -> String {
        format!(
            "{COMMENT_PREFIX}name={} meaning={} time={} bundle={} version={} manifest-sha256={}",
            serde_json::Value::from(self.name.as_str()),
            self.meaning,
            self.time,
            self.bundle,
            self.version,
            self.manifest_sha256
        )
    }

    /// Reads a comment written by [`Comment::to_line`]; `None` for anything else.
    pub(crate) fn parse(line: &str) -> Option<Self> {
        let rest = line.strip_prefix(COMMENT_PREFIX)?.strip_prefix("name=")?;
        let mut names = serde_json::Deserializer::from_str(rest).into_iter::<String>();
        let name = names.next()?.ok()?;
        let rest = rest.get(names.byte_offset()..)?.strip_prefix(' ')?;
        let mut fields = rest.split(' ').map(|f| f.split_once('='));
        let mut next = |key: &str| match fields.next() {
            Some(Some((k, v))) if k == key && !v.is_empty() => Some(v.to_string()),
            _ => None,
        };
        let comment = Self {
            name,
            meaning: next("meaning")?,
            time: next("time")?,
            bundle: next("bundle")?,
            version: next("version")?,
            manifest_sha256: next("manifest-sha256")?,
        };
        fields.next().is_none().then_some(comment)
    }
}

/// Why `bundle approve` did not write an approval (exit 2): usage, keys or I/O.
pub(crate) fn check_name(name: &str) -> Result<(), BundleError> {
    if name.trim() != name
        || slug(name).is_empty()
        || name.chars().any(char::is_control)
        || name.chars().count() > MAX_NAME_CHARS
    {
        return Err(BundleError::BadApprover(name.to_string()));
    }
    Ok(())
}

/// The approval of `contents` (a valid bundle read from `bundle`) by `name` with `key`: the
/// path to write and the text of the signature file. The time is `SOURCE_DATE_EPOCH` when
/// set, else now; signing is deterministic, so the same inputs give the same file.
pub(crate) fn approve(
    bundle: &Path,
    contents: &Contents,
    key: &SigningKey,
    name: &str,
) -> Result<(PathBuf, String), BundleError> {
    check_name(name)?;
    let Some(manifest) = &contents.manifest else {
        return Err(BundleError::Sign("the bundle has no manifest".into()));
    };
    let time = match super::build::source_date_epoch()? {
        Some(t) => t,
        None => OffsetDateTime::now_utc(),
    };
    let time = time
        .replace_nanosecond(0)
        .unwrap_or(time)
        .format(&Rfc3339)
        .map_err(|e| BundleError::CreationTime(e.to_string()))?;
    let comment = Comment {
        name: name.to_string(),
        meaning: MEANING.to_string(),
        time,
        bundle: manifest.name.clone(),
        version: manifest.version.clone(),
        manifest_sha256: sha256_hex(&contents.manifest_bytes),
    };
    let text = sign::sign_detached(
        key,
        &contents.manifest_bytes,
        &comment.to_line(),
        "approval of a sopkit bundle manifest (minisign -Vm manifest.json -x THIS_FILE)",
    )?;
    Ok((file_for(bundle, name), text))
}

/// An approver's public key, from a keyring.
pub(crate) struct ApproverKey {
    key: minisign_verify::PublicKey,
    /// The key id and the raw Ed25519 key, to tell why a signature fails.
    keynum: [u8; 8],
    raw: ed25519_compact::PublicKey,
}

/// A keyring: approver names, exactly as front matter `approvers` writes them, and their keys.
pub(crate) struct Keyring {
    pub path: PathBuf,
    pub keys: BTreeMap<String, ApproverKey>,
}

/// Reads a keyring: a YAML map from approver names to minisign public keys (the `RW…` line of
/// a `.pub` file; a whole `.pub` file's text works too).
pub(crate) fn load_keyring(path: &Path) -> Result<Keyring, BundleError> {
    let bad = |reason: String| BundleError::BadKeyring {
        path: path.to_path_buf(),
        reason,
    };
    let text = read_small(path, MAX_KEYRING_BYTES).map_err(bad)?;
    let map: BTreeMap<String, String> = serde_yaml::from_str(&text).map_err(|e| {
        bad(format!(
            "not a map of approver names to minisign public keys: {e}"
        ))
    })?;
    let mut keys = BTreeMap::new();
    for (name, value) in map {
        let line = value
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("");
        let key = parse_public_key(line)
            .ok_or_else(|| bad(format!("the key of {name:?} is not a minisign public key")))?;
        keys.insert(name, key);
    }
    Ok(Keyring {
        path: path.to_path_buf(),
        keys,
    })
}

fn parse_public_key(line: &str) -> Option<ApproverKey> {
    use ct_codecs::{Base64, Decoder as _};
    let key = minisign_verify::PublicKey::from_base64(line).ok()?;
    let bytes = Base64::decode_to_vec(line, None).ok()?;
    // "Ed", the key id, the Ed25519 key.
    let keynum = bytes.get(2..10)?.try_into().ok()?;
    let raw = ed25519_compact::PublicKey::from_slice(bytes.get(10..)?).ok()?;
    Some(ApproverKey { key, keynum, raw })
}

/// An approval signature found next to a bundle.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The file's name (without its directory).
    pub file: String,
    /// The slug in the file's name: whose approval the file claims to be.
    pub slug: String,
    /// The trusted comment, when it is a sopkit approval.
    pub comment: Option<Comment>,
    /// With a keyring: `Ok` when valid, else why not. Without one: `Ok` (not checked), unless
    /// the file cannot be an approval of this bundle at all.
    pub verdict: Result<(), String>,
}

/// The approval files next to `bundle`, sorted by name.
pub(crate) fn files(bundle: &Path) -> Vec<PathBuf> {
    let Some(name) = bundle.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!("{name}{FILE_INFIX}");
    let dir = match bundle.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(FILE_SUFFIX) && n.len() > prefix.len()
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Reads and, with a keyring, checks every approval file next to `bundle`.
pub(crate) fn find(bundle: &Path, contents: &Contents, keyring: Option<&Keyring>) -> Vec<Found> {
    let prefix = bundle
        .file_name()
        .map(|n| format!("{}{FILE_INFIX}", n.to_string_lossy()))
        .unwrap_or_default();
    files(bundle)
        .into_iter()
        .map(|path| {
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slug = file
                .strip_prefix(&prefix)
                .and_then(|s| s.strip_suffix(FILE_SUFFIX))
                .unwrap_or("")
                .to_string();
            let (comment, verdict) = check(&path, &slug, contents, keyring);
            Found {
                file,
                slug,
                comment,
                verdict,
            }
        })
        .collect()
}

/// The text of a small regular file (never a FIFO or a device, which could block or never
/// end), or why not.
fn read_small(path: &Path, limit: u64) -> Result<String, String> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err("not a regular file".into()),
        Ok(m) if m.len() > limit => return Err(format!("larger than {limit} bytes")),
        Ok(_) => {}
        Err(e) => return Err(crate::input::io_reason(&e)),
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| crate::input::io_reason(&e))?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

fn read_signature(path: &Path) -> Result<String, String> {
    read_small(path, MAX_SIGNATURE_BYTES).map_err(|why| format!("cannot be read: {why}"))
}

/// One approval file: its comment, and whether it is a valid approval of this bundle by the
/// person its name claims.
fn check(
    path: &Path,
    file_slug: &str,
    contents: &Contents,
    keyring: Option<&Keyring>,
) -> (Option<Comment>, Result<(), String>) {
    let text = match read_signature(path) {
        Ok(text) => text,
        Err(e) => return (None, Err(e)),
    };
    let sig = match minisign_verify::Signature::decode(&text) {
        Ok(sig) => sig,
        Err(e) => return (None, Err(format!("is not a minisign signature: {e}"))),
    };
    let Some(comment) = Comment::parse(sig.trusted_comment()) else {
        return (
            None,
            Err(format!(
                "is not a sopkit approval: its trusted comment is {:?}",
                sig.trusted_comment()
            )),
        );
    };
    let actual = sha256_hex(&contents.manifest_bytes);
    let verdict = (|| {
        let Some(keyring) = keyring else {
            // Without keys, only what the comment says can be compared.
            if comment.manifest_sha256 != actual {
                return Err(another_bundle(&comment, &actual));
            }
            return Ok(());
        };
        let Some(key) = keyring.keys.get(&comment.name) else {
            return Err(format!(
                "is signed as {}, who is not in the keyring {}",
                comment.name,
                crate::input::display_path(&keyring.path)
            ));
        };
        if let Err(e) = key.key.verify(&contents.manifest_bytes, &sig, false) {
            return Err(diagnose(&e, key, &text, &comment, &actual));
        }
        if comment.manifest_sha256 != actual {
            return Err(another_bundle(&comment, &actual));
        }
        if comment.meaning != MEANING {
            return Err(format!("means {:?}, not {MEANING:?}", comment.meaning));
        }
        if slug(&comment.name) != file_slug {
            return Err(format!(
                "is signed by {}, not by the approver its name gives ({file_slug}): a copied or renamed approval",
                comment.name
            ));
        }
        Ok(())
    })();
    (Some(comment), verdict)
}

fn another_bundle(comment: &Comment, actual: &str) -> String {
    format!(
        "approves another bundle ({} {}, manifest sha256 {}), not this one (manifest sha256 {actual})",
        comment.bundle, comment.version, comment.manifest_sha256
    )
}

/// Why a signature by `key` does not verify: another key, an edited trusted comment, or
/// another manifest.
fn diagnose(
    error: &minisign_verify::Error,
    key: &ApproverKey,
    text: &str,
    comment: &Comment,
    actual: &str,
) -> String {
    use ct_codecs::{Base64, Decoder as _};
    if matches!(error, minisign_verify::Error::UnexpectedKeyId) {
        return format!("was not made with {}'s key in the keyring", comment.name);
    }
    let lines: Vec<&str> = text.lines().collect();
    let decoded = |i: usize| {
        lines
            .get(i)
            .and_then(|l| Base64::decode_to_vec(l.trim(), None).ok())
    };
    let (Some(sig), Some(global), Some(trusted)) = (
        decoded(1),
        decoded(3),
        lines
            .get(2)
            .and_then(|l| l.strip_prefix("trusted comment: ")),
    ) else {
        return format!("does not verify with {}'s key: {error}", comment.name);
    };
    let mut signed = sig.get(10..).unwrap_or_default().to_vec();
    signed.extend_from_slice(trusted.as_bytes());
    let comment_signed = sig.get(2..10) == Some(&key.keynum[..])
        && ed25519_compact::Signature::from_slice(&global)
            .is_ok_and(|g| key.raw.verify(&signed, &g).is_ok());
    if !comment_signed {
        return "has a trusted comment (name, time, meaning or manifest) that was edited after \
                signing"
            .to_string();
    }
    if comment.manifest_sha256 != actual {
        return another_bundle(comment, actual);
    }
    format!(
        "does not sign this bundle's manifest (its signature by {} was changed)",
        comment.name
    )
}

/// The approvals of `doc` by the approvers it lists, among `found` (read without a keyring:
/// comments that name this bundle's manifest), as "Name, time", in the order of `approvers`.
pub(crate) fn recorded(found: &[Found], doc: &Document) -> Vec<String> {
    let approvers = doc
        .field(APPROVERS)
        .map(|f| f.as_list())
        .unwrap_or_default();
    approvers
        .iter()
        .filter_map(|name| {
            found
                .iter()
                .filter(|f| f.verdict.is_ok() && f.slug == slug(name))
                .find_map(|f| f.comment.as_ref().filter(|c| c.name == *name))
                .map(|c| format!("{}, {}", c.name, c.time))
        })
        .collect()
}

/// The approvers each document lists in its front matter, by document id.
pub(crate) fn required(contents: &Contents) -> Vec<(String, Vec<String>)> {
    let Some(manifest) = &contents.manifest else {
        return Vec::new();
    };
    manifest
        .documents
        .iter()
        .map(|entry| {
            let approvers = contents
                .files
                .get(&entry.json.path)
                .and_then(|json| serde_json::from_slice::<Document>(json).ok())
                .and_then(|doc| doc.field(APPROVERS).map(|f| f.as_list()))
                .unwrap_or_default();
            (entry.id.clone(), approvers)
        })
        .collect()
}

/// Adds a problem for every document not approved by every approver it lists, and for every
/// approval file that is not valid. Returns the number of valid approvals that were needed.
pub(crate) fn require(bundle: &Path, contents: &mut Contents, keyring: &Keyring) -> usize {
    if contents.manifest.is_none() {
        return 0;
    }
    let found = find(bundle, contents, Some(keyring));
    let valid: BTreeMap<&str, &Found> = found
        .iter()
        .filter(|f| f.verdict.is_ok())
        .filter_map(|f| Some((f.comment.as_ref()?.name.as_str(), f)))
        .collect();
    let mut problems = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    let mut needed = 0;
    for (id, approvers) in required(contents) {
        for name in approvers {
            if valid.contains_key(name.as_str()) {
                needed += 1;
                continue;
            }
            let expected = file_for(bundle, &name);
            let expected = expected
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let why = match found.iter().find(|f| f.slug == slug(&name)) {
                Some(f) => {
                    used.insert(f.file.clone());
                    format!(
                        "{} {}",
                        f.file,
                        f.verdict
                            .as_ref()
                            .err()
                            .map_or("is not valid", String::as_str)
                    )
                }
                None if !keyring.keys.contains_key(&name) => format!(
                    "{name} is not in the keyring {}, and there is no approval file ({expected})",
                    crate::input::display_path(&keyring.path)
                ),
                None => format!("no approval file ({expected})"),
            };
            problems.push(Problem::archive(format!(
                "{id} is not approved by {name}: {why}"
            )));
        }
    }
    for f in &found {
        if let Err(why) = &f.verdict {
            if !used.contains(&f.file) {
                problems.push(Problem::entry(
                    &f.file,
                    format!("invalid approval: it {why}"),
                ));
            }
        }
    }
    contents.problems.extend(problems);
    needed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Head of Operations"), "head-of-operations");
        assert_eq!(slug("  J. O'Neil-Smith "), "j-o-neil-smith");
        assert_eq!(slug("Žaneta Nováková"), "žaneta-nováková");
        assert_eq!(slug("../.."), "");
        assert_eq!(
            file_for(
                Path::new("dist/cs-1.0.0.sopbundle.tar.gz"),
                "Head of Operations"
            ),
            PathBuf::from("dist/cs-1.0.0.sopbundle.tar.gz.approval-head-of-operations.minisig")
        );
    }

    #[test]
    fn comments_round_trip_and_reject_anything_else() {
        let c = Comment {
            name: "Ana \"Q\" Lee\nx".into(),
            meaning: MEANING.into(),
            time: "2026-11-30T10:00:00Z".into(),
            bundle: "cs".into(),
            version: "1.0.0".into(),
            manifest_sha256: "ab".repeat(32),
        };
        let line = c.to_line();
        assert!(!line.contains('\n'), "{line}");
        assert_eq!(Comment::parse(&line), Some(c.clone()));
        assert!(line.starts_with(
            "sopkit-approval name=\"Ana \\\"Q\\\" Lee\\nx\" meaning=approved time=2026-11-30T10:00:00Z"
        ));
        for bad in [
            "",
            "sopkit-bundle name=cs",
            "sopkit-approval name=Ana meaning=approved",
            &line.replace(" meaning=", " meaning2="),
            &format!("{line} extra=1"),
            &line.replace(" version=1.0.0", ""),
        ] {
            assert_eq!(Comment::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_must_be_one_clean_line() {
        assert!(check_name("Head of Operations").is_ok());
        for bad in ["", " Ana", "Ana\n", "a\u{1b}[2J", "--", "../"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name(&"Ž".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(check_name(&"Ž".repeat(MAX_NAME_CHARS + 1)).is_err());
    }
}
