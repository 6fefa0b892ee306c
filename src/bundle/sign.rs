//! minisign keys and signatures over `manifest.json`, readable by the stock `minisign` tool.

use std::path::Path;

use super::error::BundleError;
use super::manifest::sha256_hex;

/// The KDF field of an unencrypted minisign secret key (what `minisign -G -W` writes).
const KDF_NONE: [u8; 2] = [0, 0];
/// Offset of the KDF algorithm in a serialised secret key (after the signature algorithm).
const KDF_OFFSET: usize = 2;

/// A new key pair as the text of the secret and the public key files.
pub(crate) struct KeyPairText {
    pub secret: String,
    pub public: String,
}

/// Generates an Ed25519 key pair in minisign's formats. The secret key is stored without a
/// password, so that CI can sign without a prompt; protect the file instead (0600, a secret store).
pub(crate) fn generate() -> Result<KeyPairText, BundleError> {
    // An empty password gives a key with its checksum written and nothing encrypted.
    let pair = minisign::KeyPair::generate_encrypted_keypair(Some(String::new()))
        .map_err(|e| BundleError::Keygen(e.to_string()))?;
    let mut bytes = pair.sk.to_bytes();
    bytes[KDF_OFFSET..KDF_OFFSET + 2].copy_from_slice(&KDF_NONE);
    let encode = |which| {
        move |e: minisign::PError| BundleError::EncodeKey {
            which,
            reason: e.to_string(),
        }
    };
    let sk = minisign::SecretKey::from_bytes(&bytes).map_err(encode("secret"))?;
    let secret = sk
        .to_box(Some("sopkit secret key (unencrypted)"))
        .map_err(encode("secret"))?
        .into_string();
    let public = pair.pk.to_box().map_err(encode("public"))?.into_string();
    Ok(KeyPairText { secret, public })
}

/// Offset of the key id in a serialised minisign secret key: signature, KDF and checksum
/// algorithms (2 bytes each), KDF salt (32), ops and memory limits (8 each).
const KEYNUM_OFFSET: usize = 54;
const KEYNUM_BYTES: usize = 8;
/// The prehashed Ed25519 algorithm of a minisign signature (BLAKE2b-512 of the data, signed).
const SIGALG_PREHASHED: &[u8; 2] = b"ED";

/// An unencrypted minisign secret key, ready to sign.
pub(crate) struct SigningKey {
    keynum: [u8; KEYNUM_BYTES],
    key: ed25519_compact::KeyPair,
}

/// Reads an unencrypted minisign secret key.
pub(crate) fn load_secret_key(path: &Path) -> Result<SigningKey, BundleError> {
    let text = read_key(path, "secret")?;
    let sk_box = minisign::SecretKeyBox::from_string(&text).map_err(|e| BundleError::NotAKey {
        which: "secret",
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    // minisign checks the key's checksum; the key is then read from its plain bytes.
    let sk = sk_box
        .into_secret_key(Some(String::new()))
        .map_err(|_| BundleError::LockedKey(path.to_path_buf()))?;
    signing_key(&sk.to_bytes()).ok_or_else(|| BundleError::LockedKey(path.to_path_buf()))
}

/// The key id and the Ed25519 key pair in a serialised, unencrypted minisign secret key; `None`
/// when the bytes are short or the public half does not belong to the seed.
fn signing_key(bytes: &[u8]) -> Option<SigningKey> {
    let keynum: [u8; KEYNUM_BYTES] = bytes
        .get(KEYNUM_OFFSET..KEYNUM_OFFSET + KEYNUM_BYTES)?
        .try_into()
        .ok()?;
    let sk_at = KEYNUM_OFFSET + KEYNUM_BYTES;
    let stored = bytes.get(sk_at..sk_at + ed25519_compact::SecretKey::BYTES)?;
    let seed = ed25519_compact::Seed::from_slice(&stored[..ed25519_compact::Seed::BYTES]).ok()?;
    let key = ed25519_compact::KeyPair::from_seed(seed);
    (key.sk.as_ref() == stored).then_some(SigningKey { keynum, key })
}

/// A minisign signature of `data` (prehashed: BLAKE2b-512, "ED"), as the text of a `.minisig`
/// file that `minisign -V` reads. Plain RFC 8032 Ed25519, without the random noise the minisign
/// crate adds: the same key, data and comments always give the same bytes. `trusted` is signed
/// too (the global signature covers the signature and it); it must be one line.
pub(crate) fn sign_detached(
    key: &SigningKey,
    data: &[u8],
    trusted: &str,
    untrusted: &str,
) -> Result<String, BundleError> {
    use blake2::Digest as _;
    use ct_codecs::{Base64, Encoder as _};
    for (which, comment) in [("trusted", trusted), ("untrusted", untrusted)] {
        if comment.contains(['\n', '\r']) {
            return Err(BundleError::Sign(format!(
                "the {which} comment must be one line"
            )));
        }
    }
    let prehash = blake2::Blake2b512::digest(data);
    let signature = key.key.sk.sign(prehash, None);
    let mut sig_line = Vec::with_capacity(2 + KEYNUM_BYTES + signature.len());
    sig_line.extend_from_slice(SIGALG_PREHASHED);
    sig_line.extend_from_slice(&key.keynum);
    sig_line.extend_from_slice(signature.as_ref());
    let mut global = signature.to_vec();
    global.extend_from_slice(trusted.as_bytes());
    let global = key.key.sk.sign(&global, None);
    let encode = |bytes: &[u8]| {
        Base64::encode_to_string(bytes).map_err(|e| BundleError::Sign(e.to_string()))
    };
    Ok(format!(
        "untrusted comment: {untrusted}\n{}\ntrusted comment: {trusted}\n{}\n",
        encode(&sig_line)?,
        encode(global.as_ref())?
    ))
}

/// The text of a key file.
fn read_key(path: &Path, which: &'static str) -> Result<String, BundleError> {
    // The guarded reader of inputs: size cap, no FIFO or device, UTF-8.
    crate::input::read_text(path)
        .map(|(_, text)| text)
        .map_err(|e| BundleError::ReadKey {
            which,
            path: path.to_path_buf(),
            reason: e.error.reason(),
        })
}

/// The trusted comment binds the signature to the bundle's name, version and manifest hash.
pub(crate) fn trusted_comment(name: &str, version: &str, manifest: &[u8]) -> String {
    format!(
        "sopkit-bundle name={name} version={version} manifest-sha256={}",
        sha256_hex(manifest)
    )
}

/// Signs the exact manifest bytes; returns the text of `manifest.json.minisig`.
pub(crate) fn sign_manifest(
    sk: &SigningKey,
    name: &str,
    version: &str,
    manifest: &[u8],
) -> Result<String, BundleError> {
    let comment = trusted_comment(name, version, manifest);
    sign_detached(
        sk,
        manifest,
        &comment,
        "signature of a sopkit bundle manifest",
    )
}

/// Reads a minisign public key file (or a bare base64 key).
pub(crate) fn load_public_key(path: &Path) -> Result<minisign_verify::PublicKey, BundleError> {
    let text = read_key(path, "public")?;
    let trimmed = text.trim();
    let parsed = if trimmed.lines().count() == 1 {
        minisign_verify::PublicKey::from_base64(trimmed)
    } else {
        minisign_verify::PublicKey::decode(trimmed)
    };
    parsed.map_err(|e| BundleError::NotAKey {
        which: "public",
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Checks `signature` over `manifest` and that its trusted comment names this bundle.
/// Returns every problem found.
pub(crate) fn check_signature(
    key: &minisign_verify::PublicKey,
    signature: &[u8],
    manifest: &[u8],
    name: &str,
    version: &str,
) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(signature) else {
        return vec!["manifest.json.minisig is not text, so not a minisign signature".into()];
    };
    let sig = match minisign_verify::Signature::decode(text) {
        Ok(sig) => sig,
        Err(e) => {
            return vec![format!(
                "manifest.json.minisig is not a minisign signature: {e}"
            )]
        }
    };
    if let Err(e) = key.verify(manifest, &sig, false) {
        return vec![match e {
            minisign_verify::Error::UnexpectedKeyId => {
                "manifest.json.minisig was made with another key than --key".to_string()
            }
            e => format!("the signature does not match manifest.json: {e}"),
        }];
    }
    let expected = trusted_comment(name, version, manifest);
    if sig.trusted_comment() != expected {
        return vec![format!(
            "the signature's trusted comment \"{}\" does not describe this bundle (expected \"{expected}\")",
            sig.trusted_comment()
        )];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_sign_and_verify() {
        let pair = generate().unwrap();
        assert!(pair.secret.starts_with("untrusted comment: "));
        let dir = tempfile::tempdir().unwrap();
        let (sk_path, pk_path) = (dir.path().join("k"), dir.path().join("k.pub"));
        std::fs::write(&sk_path, &pair.secret).unwrap();
        std::fs::write(&pk_path, &pair.public).unwrap();
        let sk = load_secret_key(&sk_path).unwrap();
        let pk = load_public_key(&pk_path).unwrap();
        let manifest = b"{\"name\": \"x\"}\n";
        let sig = sign_manifest(&sk, "x", "1.0.0", manifest).unwrap();
        assert_eq!(
            check_signature(&pk, sig.as_bytes(), manifest, "x", "1.0.0"),
            Vec::<String>::new()
        );
        let problems = check_signature(&pk, sig.as_bytes(), b"{\"name\": \"y\"}\n", "x", "1.0.0");
        assert!(
            problems[0].starts_with("the signature does not match"),
            "{problems:?}"
        );
        let problems = check_signature(&pk, sig.as_bytes(), manifest, "x", "2.0.0");
        assert!(problems[0].contains("trusted comment"), "{problems:?}");
        let other = generate().unwrap();
        std::fs::write(&pk_path, &other.public).unwrap();
        let other_pk = load_public_key(&pk_path).unwrap();
        let problems = check_signature(&other_pk, sig.as_bytes(), manifest, "x", "1.0.0");
        assert!(problems[0].contains("another key"), "{problems:?}");
    }

    /// A generated key pair, written to `dir`: (secret, public).
    fn keys(dir: &Path) -> (SigningKey, minisign_verify::PublicKey, minisign::PublicKey) {
        let pair = generate().unwrap();
        let (sk_path, pk_path) = (dir.join("k"), dir.join("k.pub"));
        std::fs::write(&sk_path, &pair.secret).unwrap();
        std::fs::write(&pk_path, &pair.public).unwrap();
        (
            load_secret_key(&sk_path).unwrap(),
            load_public_key(&pk_path).unwrap(),
            minisign::PublicKey::from_file(&pk_path).unwrap(),
        )
    }

    #[test]
    fn signatures_are_deterministic_and_minisign_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let (sk, pk, pk2) = keys(dir.path());
        let data = "Žaba 🐸\n".repeat(10_000).into_bytes();
        let a = sign_detached(&sk, &data, "tc", "uc").unwrap();
        assert_eq!(a, sign_detached(&sk, &data, "tc", "uc").unwrap());
        assert_ne!(a, sign_detached(&sk, &data, "tc2", "uc").unwrap());
        let lines: Vec<&str> = a.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "untrusted comment: uc");
        assert_eq!(lines[2], "trusted comment: tc");
        let sig = minisign_verify::Signature::decode(&a).unwrap();
        pk.verify(&data, &sig, false).unwrap();
        assert_eq!(sig.trusted_comment(), "tc");
        let boxed = minisign::SignatureBox::from_string(&a).unwrap();
        minisign::verify(
            &pk2,
            &boxed,
            std::io::Cursor::new(&data),
            true,
            false,
            false,
        )
        .unwrap();
        // An edited trusted comment breaks the global signature.
        let edited = a.replace("trusted comment: tc", "trusted comment: tX");
        let sig = minisign_verify::Signature::decode(&edited).unwrap();
        assert!(pk.verify(&data, &sig, false).is_err());
        assert!(sign_detached(&sk, &data, "two\nlines", "uc").is_err());
    }

    #[test]
    fn a_secret_key_whose_halves_disagree_is_refused() {
        let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let mut bytes = pair.sk.to_bytes();
        assert!(signing_key(&bytes).is_some());
        let last = KEYNUM_OFFSET + KEYNUM_BYTES + 63;
        bytes[last] ^= 1;
        assert!(signing_key(&bytes).is_none());
        assert!(signing_key(&bytes[..60]).is_none());
    }

    #[test]
    fn a_key_whose_checksum_fails_is_refused_with_a_hint() {
        // What an encrypted key looks like without its password: the checksum does not match.
        let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        std::fs::write(&path, pair.sk.to_box(None).unwrap().into_string()).unwrap();
        let err = load_secret_key(&path).err().unwrap();
        assert!(
            matches!(&err, BundleError::LockedKey(p) if *p == path),
            "{err:?}"
        );
        assert!(err.to_string().contains("unencrypted"), "{err}");
    }
}
