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

/// Reads an unencrypted minisign secret key.
pub(crate) fn load_secret_key(path: &Path) -> Result<minisign::SecretKey, BundleError> {
    let text = read_key(path, "secret")?;
    let sk_box = minisign::SecretKeyBox::from_string(&text).map_err(|e| BundleError::NotAKey {
        which: "secret",
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    sk_box
        .into_secret_key(Some(String::new()))
        .map_err(|_| BundleError::LockedKey(path.to_path_buf()))
}

/// The text of a key file.
fn read_key(path: &Path, which: &'static str) -> Result<String, BundleError> {
    std::fs::read_to_string(path).map_err(|e| BundleError::ReadKey {
        which,
        path: path.to_path_buf(),
        reason: crate::input::io_reason(&e),
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
    sk: &minisign::SecretKey,
    name: &str,
    version: &str,
    manifest: &[u8],
) -> Result<String, BundleError> {
    let comment = trusted_comment(name, version, manifest);
    minisign::sign(
        None,
        sk,
        manifest,
        Some(&comment),
        Some("signature of a sopkit bundle manifest"),
    )
    .map(minisign::SignatureBox::into_string)
    .map_err(|e| BundleError::Sign(e.to_string()))
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
