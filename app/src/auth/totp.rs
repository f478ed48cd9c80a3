//! TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s), checked against the app's clock with one
//! step of drift either way. Secrets are 160 random bits, stored encrypted.
use time::OffsetDateTime;
use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "湘西州信用平台";

fn totp(secret_hex: &str, account: &str) -> Option<TOTP> {
    let bytes = hex::decode(secret_hex).ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_string()),
        account.to_string(),
    )
    .ok()
}

/// A fresh secret, hex-encoded for storage.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The secret as the base32 text an authenticator app accepts when typed in.
pub fn manual_key(secret_hex: &str) -> String {
    hex::decode(secret_hex)
        .map(|b| Secret::Raw(b).to_encoded().to_string())
        .unwrap_or_default()
}

pub fn otpauth_url(secret_hex: &str, account: &str) -> String {
    totp(secret_hex, account)
        .map(|t| t.get_url())
        .unwrap_or_default()
}

/// The enrolment QR code as an SVG document.
pub fn qr_svg(url: &str) -> String {
    qrcode::QrCode::new(url.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default()
}

/// The time step (30 s slot) whose code matches, allowing one step of drift either way; `None` when
/// the code is wrong. Callers accept a step only once (replay protection).
pub fn matching_step(
    secret_hex: &str,
    account: &str,
    code: &str,
    now: OffsetDateTime,
) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let t = totp(secret_hex, account)?;
    if code.len() != 6 {
        return None;
    }
    let step = now.unix_timestamp().max(0) / 30;
    [step, step - 1, step + 1]
        .into_iter()
        .filter(|s| *s >= 0)
        .find(|s| t.generate((*s * 30) as u64) == code)
}

pub fn check(secret_hex: &str, account: &str, code: &str, now: OffsetDateTime) -> bool {
    matching_step(secret_hex, account, code, now).is_some()
}

/// The code for a moment (tests and the enrolment preview use it).
pub fn code_at(secret_hex: &str, account: &str, now: OffsetDateTime) -> String {
    totp(secret_hex, account)
        .map(|t| t.generate(now.unix_timestamp().max(0) as u64))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_within_one_step() {
        let s = new_secret();
        let t = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let code = code_at(&s, "zhang", t);
        assert!(check(&s, "zhang", &code, t));
        assert!(check(&s, "zhang", &code, t + time::Duration::seconds(30)));
        assert!(!check(&s, "zhang", &code, t + time::Duration::seconds(95)));
        assert!(!check(&s, "zhang", "000000x", t));
        assert!(manual_key(&s).len() >= 32);
        assert!(otpauth_url(&s, "zhang").starts_with("otpauth://totp/"));
        assert!(qr_svg("otpauth://totp/x").contains("<svg"));
    }
}
