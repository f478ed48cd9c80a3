//! 长辈版 (elder-friendly large text). Applied in the browser by a class on `<html>`; without
//! JavaScript the server reads the cookie, renders the class and marks the response private.
use leptos::prelude::*;

pub const COOKIE: &str = "elder";

/// True when the request carries `elder=1`. On the server this also makes the response private,
/// because it now differs from what other visitors get.
pub fn elder_cookie_set() -> bool {
    #[cfg(feature = "ssr")]
    {
        let on = use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(has_elder_cookie)
            })
            .unwrap_or(false);
        if on {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(
                    http::header::CACHE_CONTROL,
                    http::HeaderValue::from_static("private, no-cache"),
                );
            }
        }
        on
    }
    #[cfg(not(feature = "ssr"))]
    false
}

pub fn has_elder_cookie(cookie_header: &str) -> bool {
    cookie_header.split(';').any(|c| c.trim() == "elder=1")
}

/// The switch. Without JavaScript it posts to `/elder`, which flips the cookie and redirects back.
#[component]
pub fn ElderSwitch() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let back = move || location.pathname.get();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            toggle_in_browser();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <form method="post" action="/elder" class="elder-switch" on:submit=on_submit>
            <input type="hidden" name="back" value=back />
            <button type="submit" class="link-button" data-testid="elder-switch">
                <span class="when-standard">"长辈版"</span>
                <span class="when-elder">"标准版"</span>
            </button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
fn toggle_in_browser() {
    use gloo_storage::{LocalStorage, Storage};
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.document_element() else {
        return;
    };
    let on = !root.class_list().contains("elder");
    let _ = if on {
        root.class_list().add_1("elder")
    } else {
        root.class_list().remove_1("elder")
    };
    let _ = LocalStorage::set("elder", if on { "1" } else { "0" });
    if let Ok(html_doc) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let value = if on {
            "elder=1; path=/; max-age=31536000; samesite=lax"
        } else {
            "elder=0; path=/; max-age=0; samesite=lax"
        };
        let _ = html_doc.set_cookie(value);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cookie_parsing() {
        assert!(super::has_elder_cookie("a=b; elder=1"));
        assert!(!super::has_elder_cookie("elder=0"));
        assert!(!super::has_elder_cookie("notelder=1"));
    }
}
