//! Request ids: set by the server's middleware as `x-request-id`, read here for logs and error references.
pub const HEADER: &str = "x-request-id";

/// The current request's id when called inside a request, or a fresh one.
pub fn current() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_string())
}
