//! Signing of a push request. HMAC-SHA256 with the shared secret is the default scheme; the province
//! may require SM2 with SM3 (国密), which is another [`Signer`] beside this one.
//!
//! What is signed: `"{timestamp}\n{sha256 hex of the body}"`, so a captured request cannot be replayed
//! with another body, and the province can refuse stale timestamps.
use crate::server::secrets::hmac_sha256;
use sha2::{Digest, Sha256};

pub trait Signer: Send + Sync {
    /// The scheme's name as it appears in the signature header.
    fn scheme(&self) -> &'static str;
    /// The signature of `message`, as text.
    fn sign(&self, message: &[u8]) -> String;
}

pub struct HmacSha256Signer {
    secret: Vec<u8>,
}

impl HmacSha256Signer {
    pub fn new(secret: &str) -> Self {
        HmacSha256Signer {
            secret: secret.as_bytes().to_vec(),
        }
    }
}

impl Signer for HmacSha256Signer {
    fn scheme(&self) -> &'static str {
        "HMAC-SHA256"
    }

    fn sign(&self, message: &[u8]) -> String {
        hex::encode(hmac_sha256(&self.secret, message))
    }
}

/// The text a signature covers.
pub fn signing_text(timestamp: &str, body: &[u8]) -> String {
    format!("{timestamp}\n{}", hex::encode(Sha256::digest(body)))
}

/// The value of the signature header.
pub fn signature_header(signer: &dyn Signer, timestamp: &str, body: &[u8]) -> String {
    format!(
        "{} {}",
        signer.scheme(),
        signer.sign(signing_text(timestamp, body).as_bytes())
    )
}

/// Whether a signature header is right for this body (the province's side; our test server uses it).
pub fn verify(signer: &dyn Signer, timestamp: &str, body: &[u8], header: &str) -> bool {
    let expected = signature_header(signer, timestamp, body);
    // Constant-time enough for a test server; the province has its own.
    expected.len() == header.len()
        && expected
            .bytes()
            .zip(header.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_fails_on_any_change() {
        let s = HmacSha256Signer::new("shared-secret");
        let h = signature_header(&s, "2026-12-07T10:00:00Z", b"{\"a\":1}");
        assert!(h.starts_with("HMAC-SHA256 "));
        assert!(verify(&s, "2026-12-07T10:00:00Z", b"{\"a\":1}", &h));
        assert!(!verify(&s, "2026-12-07T10:00:01Z", b"{\"a\":1}", &h));
        assert!(!verify(&s, "2026-12-07T10:00:00Z", b"{\"a\":2}", &h));
        assert!(!verify(
            &HmacSha256Signer::new("other"),
            "2026-12-07T10:00:00Z",
            b"{\"a\":1}",
            &h
        ));
    }
}
