//! The platform's signature on credit reports. The PDF's bytes are hashed (SHA-256), the hash is signed
//! with Ed25519 (a key derived from the master secret), and a one-line PDF comment after `%%EOF`
//! carries both. Anyone with the public key can check a downloaded report offline: everything before
//! that line is the signed content, so changing any byte of it fails the check.
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

const MARK: &[u8] = b"\n%XXCREDIT-SIGNATURE v1 ";

pub fn signing_key(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

/// The public key, base64 (32 bytes), as the verification page publishes it.
pub fn public_key_b64(seed: &[u8; 32]) -> String {
    B64.encode(signing_key(seed).verifying_key().as_bytes())
}

/// The public key as PEM (SubjectPublicKeyInfo), for `openssl pkeyutl -verify`.
pub fn public_key_pem(seed: &[u8; 32]) -> String {
    // The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), then the 32 key bytes.
    let mut der = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    der.extend_from_slice(signing_key(seed).verifying_key().as_bytes());
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        B64.encode(der)
    )
}

pub struct Signed {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub signature: String,
}

/// Appends the signature line to a finished PDF.
pub fn sign(seed: &[u8; 32], pdf: Vec<u8>) -> Signed {
    let digest: [u8; 32] = Sha256::digest(&pdf).into();
    let signature = B64.encode(signing_key(seed).sign(&digest).to_bytes());
    let sha256 = hex::encode(digest);
    let mut bytes = pdf;
    bytes.extend_from_slice(MARK);
    bytes.extend_from_slice(format!("sha256={sha256} ed25519={signature}\n").as_bytes());
    Signed {
        bytes,
        sha256,
        signature,
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    /// The signature holds: the hash of the signed content.
    Valid { sha256: String },
    /// No signature line: not a report of this platform (or cut short).
    Unsigned,
    /// The content does not match its signature: it was changed.
    Altered,
}

/// Checks a downloaded report against the public key.
pub fn check(key: &VerifyingKey, file: &[u8]) -> Check {
    let Some(at) = file.windows(MARK.len()).rposition(|w| w == MARK) else {
        return Check::Unsigned;
    };
    let (content, line) = file.split_at(at);
    // `line` starts with the mark just found.
    let line = String::from_utf8_lossy(line.get(MARK.len()..).unwrap_or_default());
    let mut sha = None;
    let mut sig = None;
    for part in line.split_whitespace() {
        if let Some(v) = part.strip_prefix("sha256=") {
            sha = Some(v.to_string());
        } else if let Some(v) = part.strip_prefix("ed25519=") {
            sig = B64.decode(v).ok();
        }
    }
    let (Some(sha), Some(sig)) = (sha, sig) else {
        return Check::Unsigned;
    };
    let digest: [u8; 32] = Sha256::digest(content).into();
    let Ok(signature) = Signature::from_slice(&sig) else {
        return Check::Altered;
    };
    if hex::encode(digest) != sha || key.verify(&digest, &signature).is_err() {
        return Check::Altered;
    }
    Check::Valid { sha256: sha }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_byte_fails_and_the_original_passes() {
        let seed = [7u8; 32];
        let key = signing_key(&seed).verifying_key();
        let signed = sign(&seed, b"%PDF-1.7\nsome content\n%%EOF".to_vec());
        assert_eq!(
            check(&key, &signed.bytes),
            Check::Valid {
                sha256: signed.sha256.clone()
            }
        );
        let mut altered = signed.bytes.clone();
        altered[12] ^= 1;
        assert_eq!(check(&key, &altered), Check::Altered);
        assert_eq!(check(&key, b"%PDF-1.7 no signature"), Check::Unsigned);
        let other = signing_key(&[8u8; 32]).verifying_key();
        assert_eq!(check(&other, &signed.bytes), Check::Altered);
        assert!(public_key_pem(&seed).starts_with("-----BEGIN PUBLIC KEY-----"));
    }
}
