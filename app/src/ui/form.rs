//! Form helpers: the CSRF field for posts without JavaScript, and field-level error messages.
use crate::error::AppError;
use leptos::prelude::*;

/// The hidden CSRF token. The server computes it (setting the cookie when missing) and the value is
/// carried into hydration, so the field is the same on both sides.
#[component]
pub fn CsrfField() -> impl IntoView {
    let token = leptos::server::SharedValue::new(csrf_token).into_inner();
    view! { <input type="hidden" name="csrf_token" value=token /> }
}

#[cfg(feature = "ssr")]
fn csrf_token() -> String {
    use crate::server::csrf;
    let Some(state) = use_context::<crate::server::AppState>() else {
        return String::new();
    };
    let Some(parts) = use_context::<http::request::Parts>() else {
        return String::new();
    };
    let existing = csrf::cookie_value(&parts.headers, csrf::COOKIE).filter(|c| c.len() >= 32);
    // The HTML middleware put the slot in; it sets a minted cookie and makes the page private.
    let Some(slot) = parts.extensions.get::<csrf::PageCsrf>() else {
        tracing::error!("CSRF slot missing from the request: the form's token cannot be set");
        return String::new();
    };
    csrf::token_for(&state.secrets, &slot.cookie_for_page(existing))
}

#[cfg(not(feature = "ssr"))]
fn csrf_token() -> String {
    String::new()
}

/// The message for one field, if the error names it.
pub fn field_message(error: &Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(AppError::Validation(list)) => {
            let msgs: Vec<&str> = list
                .iter()
                .filter(|f| f.field == field)
                .map(|f| f.message.as_str())
                .collect();
            (!msgs.is_empty()).then(|| msgs.join("；"))
        }
        _ => None,
    }
}

/// A labelled input with its error message linked for screen readers.
#[component]
pub fn Field(
    /// The argument name of the server function.
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-err");
    let hint_id = format!("{id}-hint");
    let message = move || field_message(&error.get(), name);
    let described = {
        let err_id = err_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = vec![];
            if !hint.is_empty() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:field-invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                value=value
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=described
            />
            {(!hint.is_empty()).then(|| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}

/// Errors that no field shows (e.g. rate limit, permission), as an alert.
#[component]
pub fn FormAlert(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Fields shown beside their inputs; their messages are not repeated here.
    #[prop(optional)]
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        let e = error.get()?;
        let text = match &e {
            AppError::Validation(list) => {
                let rest: Vec<&str> = list
                    .iter()
                    .filter(|f| !fields.contains(&f.field.as_str()))
                    .map(|f| f.message.as_str())
                    .collect();
                if rest.is_empty() {
                    "请按提示修改标红的项目后重新提交。".to_string()
                } else {
                    rest.join("；")
                }
            }
            other => other.to_string(),
        };
        Some(view! { <div class="notice notice-error" role="alert">{text}</div> })
    }
}
