//! One master secret, HKDF-derived subkeys: ID-number encryption (AES-256-GCM), the matching HMAC,
//! the audit-chain HMAC, the CSRF key and the report-signing seed.
use super::config::Config;
use crate::error::AppError;
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::{engine::general_purpose::STANDARD_NO_PAD as B64, Engine};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub struct Secrets {
    id_encryption: Aes256Gcm,
    id_hmac_key: [u8; 32],
    pub audit_key: [u8; 32],
    pub csrf_key: [u8; 32],
    pub report_signing_seed: [u8; 32],
}

fn derive(hk: &Hkdf<Sha256>, label: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
    hk.expand(label.as_bytes(), &mut out).unwrap_or_default();
    out
}

impl Secrets {
    pub fn from_master(master: &[u8]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"xiangxi-credit/v1"), master);
        let enc = derive(&hk, "id-number-encryption");
        Secrets {
            id_encryption: Aes256Gcm::new(&enc.into()),
            id_hmac_key: derive(&hk, "id-number-hmac"),
            audit_key: derive(&hk, "audit-chain-hmac"),
            csrf_key: derive(&hk, "csrf-token"),
            report_signing_seed: derive(&hk, "report-signing-ed25519"),
        }
    }

    /// The configured secret, or in demo mode one generated on first start and kept under `data/`.
    pub fn load(config: &Config) -> Result<Self, AppError> {
        if let Some(s) = &config.secret {
            return Ok(Self::from_master(s.as_bytes()));
        }
        if config.is_production() {
            return Err(AppError::field(
                "APP_SECRET",
                "SECRET_MISSING",
                "生产模式必须提供主密钥 APP_SECRET。",
            ));
        }
        let path = config.demo_secret_path();
        let io = |e: std::io::Error| {
            AppError::internal("demo secret", format!("{}: {e}", path.display()))
        };
        if let Ok(text) = std::fs::read_to_string(&path) {
            if text.trim().len() < 32 {
                return Err(AppError::internal(
                    "demo secret",
                    format!("{} is empty or truncated", path.display()),
                ));
            }
            return Ok(Self::from_master(text.trim().as_bytes()));
        }
        std::fs::create_dir_all(&config.data_dir).map_err(io)?;
        let mut raw = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut raw);
        let text = hex::encode(raw);
        write_private(&path, &text).map_err(io)?;
        tracing::warn!(path = %path.display(), "generated a demo master secret; back it up, or encrypted data is lost");
        Ok(Self::from_master(text.as_bytes()))
    }

    /// Encrypts an ID number: base64(nonce ‖ ciphertext).
    pub fn encrypt_id(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        // AES-GCM encryption fails only for plaintexts beyond 64 GiB.
        let ct = self
            .id_encryption
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(ct);
        B64.encode(out)
    }

    pub fn decrypt_id(&self, sealed: &str) -> Result<String, AppError> {
        let bad = || AppError::internal("decrypt id", "ciphertext does not open with this secret");
        let raw = B64.decode(sealed).map_err(|_| bad())?;
        // A 12-byte nonce, then at least one byte of ciphertext.
        let (nonce, ciphertext) = match raw.split_at_checked(12) {
            Some((nonce, ciphertext)) if !ciphertext.is_empty() => (nonce, ciphertext),
            _ => return Err(bad()),
        };
        let plain = self
            .id_encryption
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    /// Keyed hash of a normalised ID number, for exact matching and de-duplication.
    pub fn id_hmac(&self, normalised: &str) -> String {
        hex::encode(hmac_sha256(&self.id_hmac_key, normalised.as_bytes()))
    }
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_is_randomised() {
        let s = Secrets::from_master(b"a test master secret of enough length");
        let a = s.encrypt_id("433101199001012014");
        let b = s.encrypt_id("433101199001012014");
        assert_ne!(a, b);
        assert_eq!(s.decrypt_id(&a).unwrap(), "433101199001012014");
        let other = Secrets::from_master(b"another master secret of enough length");
        assert!(other.decrypt_id(&a).is_err());
    }

    #[test]
    fn subkeys_differ_and_hmac_is_stable() {
        let s = Secrets::from_master(b"a test master secret of enough length");
        assert_ne!(s.audit_key, s.csrf_key);
        assert_ne!(s.csrf_key, s.report_signing_seed);
        assert_eq!(s.id_hmac("X"), s.id_hmac("X"));
        assert_ne!(s.id_hmac("X"), s.id_hmac("Y"));
        assert_eq!(s.id_hmac("X").len(), 64);
    }
}
