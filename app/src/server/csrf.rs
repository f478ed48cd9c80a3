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

/// What the page rendered for this request needs from its response, filled while rendering and read by
/// the HTML middleware once the whole body is done. Headers set through Leptos' `ResponseOptions` from
/// inside a suspense that resolves after streaming began would be lost; this slot is not.
#[derive(Clone, Default)]
pub struct PageCsrf(std::sync::Arc<std::sync::Mutex<PageCsrfState>>);

#[derive(Default)]
struct PageCsrfState {
    /// A cookie minted for this response (the request had none); the same for every field of the page.
    minted: Option<String>,
    /// The page carries a token, so it is for this visitor only and must not be cached.
    used: bool,
}

impl PageCsrf {
    /// The cookie value the page's tokens are computed from: the request's own, or one minted once.
    pub fn cookie_for_page(&self, existing: Option<&str>) -> String {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        s.used = true;
        match existing {
            Some(c) => c.to_string(),
            None => s.minted.get_or_insert_with(new_cookie_value).clone(),
        }
    }

    /// After rendering: (a cookie to set, whether the page holds a token).
    pub fn outcome(&self) -> (Option<String>, bool) {
        let s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (s.minted.clone(), s.used)
    }
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
