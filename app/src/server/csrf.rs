//! CSRF tokens for forms posted without JavaScript: a random cookie and, in the form, its HMAC under
//! the CSRF subkey (signed double submit). Requests sent by script are covered by the Origin /
//! Sec-Fetch-Site check instead, which browsers always send on fetch.
use super::secrets::{hmac_sha256, Secrets};

pub const COOKIE: &str = "csrf";
pub const FIELD: &str = "csrf_token";

pub fn token_for(secrets: &Secrets, cookie_value: &str) -> String {
    hex::encode(hmac_sha256(
        &secrets.csrf_key,
        format!("csrf:{cookie_value}").as_bytes(),
    ))
}

pub fn valid(secrets: &Secrets, cookie_value: Option<&str>, token: Option<&str>) -> bool {
    match (cookie_value, token) {
        (Some(c), Some(t)) if c.len() >= 32 => {
            let expected = token_for(secrets, c);
            // Constant-time comparison of equal-length hex strings.
            expected.len() == t.len()
                && expected
                    .bytes()
                    .zip(t.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        }
        _ => false,
    }
}

/// A cookie value from a `Cookie` header.
pub fn cookie_value<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn new_cookie_value() -> String {
    super::session::new_token()
}

/// The `Set-Cookie` value for a fresh CSRF cookie.
pub fn set_cookie(value: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_to_the_cookie() {
        let s = Secrets::from_master(b"test-master-secret-of-enough-length!!");
        let c = new_cookie_value();
        let t = token_for(&s, &c);
        assert!(valid(&s, Some(&c), Some(&t)));
        assert!(!valid(&s, Some(&new_cookie_value()), Some(&t)));
        assert!(!valid(&s, None, Some(&t)));
        assert!(!valid(&s, Some(&c), None));
        assert!(!valid(&s, Some("short"), Some(&token_for(&s, "short"))));
        let mut h = http::HeaderMap::new();
        h.insert(http::header::COOKIE, "a=1; csrf=xyz; b=2".parse().unwrap());
        assert_eq!(cookie_value(&h, "csrf"), Some("xyz"));
    }
}
