//! Password hashing: argon2id (m = 19 MiB, t = 2, p = 1, the OWASP minimum), run off the async runtime
//! because each hash takes tens of milliseconds of CPU.
use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;

fn argon2() -> Argon2<'static> {
    // These constants are within argon2's limits, so the default is never used.
    let params = Params::new(MEMORY_KIB, ITERATIONS, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal("argon2 hash", e))
}

/// A hash of a random password, computed once: unknown users are checked against it, so that the
/// time a failed login takes does not tell whether the account exists.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking(&uuid::Uuid::new_v4().to_string()).unwrap_or_default())
}

fn verify_blocking(stored: Option<&str>, password: &str) -> bool {
    let (phc, real) = match stored {
        Some(h) => (h, true),
        None => (dummy_hash(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    // Verify with the parameters stored in the hash, so older hashes keep working after a change.
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::internal("argon2 task", e))?
}

/// Checks a password against a stored hash; `None` (unknown user) always fails after the same work.
pub async fn verify(stored: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || verify_blocking(stored.as_deref(), &password))
        .await
        .unwrap_or(false)
}

/// About 20,000 passwords seen in breach corpora (Django's list; `scripts/gen-common-passwords.sh`).
/// Server-side only, to keep the WASM small; the browser checks the short list in `rules::password`.
fn breached_list() -> &'static std::collections::HashSet<&'static str> {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("data/common_passwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

/// True when the password, or its stem without a trailing run of digits and symbols, is in the list.
pub fn is_breached(password: &str) -> bool {
    let p = password.to_lowercase();
    let stem = p.trim_end_matches(|c: char| c.is_ascii_digit() || !c.is_ascii_alphanumeric());
    let list = breached_list();
    list.contains(p.as_str()) || (stem.chars().count() >= 4 && list.contains(stem))
}

/// The policy's problems with a new password, plus the breached-password list.
pub fn problems(
    policy: &crate::rules::password::PasswordPolicy,
    password: &str,
    username: &str,
) -> Vec<crate::rules::password::PasswordProblem> {
    use crate::rules::password::PasswordProblem;
    let mut out = policy.check(password, username);
    if !out.contains(&PasswordProblem::Common) && is_breached(password) {
        out.push(PasswordProblem::Common);
    }
    out
}

/// True when a stored hash uses weaker parameters than today's, so it should be rehashed at login.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    parsed.algorithm.as_str() != "argon2id"
        || params.m_cost() < MEMORY_KIB
        || params.t_cost() < ITERATIONS
}

#[cfg(test)]
mod breached_tests {
    use super::*;

    #[test]
    fn breached_passwords_are_found_by_word_and_stem() {
        assert!(breached_list().len() > 19_000);
        assert!(is_breached("Dragon"));
        assert!(is_breached("sunshine2024!"));
        assert!(is_breached("Password1"));
        assert!(!is_breached("Credit#Demo2026"));
        assert!(!is_breached("Qz7!mkTr42ab"));
        let p = crate::rules::password::PasswordPolicy::dengbao();
        assert!(problems(&p, "Sunshine2024!", "zhang")
            .contains(&crate::rules::password::PasswordProblem::Common));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost() {
        let h = hash("Xx-2026-信用".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(!needs_rehash(&h));
        assert_ne!(h, hash("Xx-2026-信用".into()).await.unwrap(), "salted");
    }

    #[tokio::test]
    async fn verification() {
        let h = hash("correct horse battery staple".into()).await.unwrap();
        assert!(verify(Some(h.clone()), "correct horse battery staple".into()).await);
        assert!(!verify(Some(h), "correct horse battery stapler".into()).await);
        assert!(
            !verify(None, "anything".into()).await,
            "unknown users never pass"
        );
        assert!(!verify(Some("not a hash".into()), "x".into()).await);
    }

    #[test]
    fn weaker_hashes_need_a_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(b"pw", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("garbage"));
    }
}
