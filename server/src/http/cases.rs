//! The public credit repair application: a multipart form (proof files, an agent's authorisation)
//! posted with or without JavaScript, its CSRF token checked by `read_posted`, limited per IP. Success
//! is a redirect to the tracking page with the new code; a refusal a redirect back to the form with
//! the message (nothing was stored).
use super::extract::read_posted;
use super::Routes;
use app::cases::repair::{Application, MAX_TOTAL_BYTES};
use app::cases::service::apply::{self, Upload};
use app::error::AppError;
use app::server::session::RequestMeta;
use app::server::AppState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

pub const SUBMIT_PATH: &str = app::cases::pages::repair::SUBMIT_PATH;

pub fn router() -> Routes {
    Routes::default().route(
        &["POST"],
        SUBMIT_PATH,
        post(submit).layer(DefaultBodyLimit::max(MAX_TOTAL_BYTES + 256 * 1024)),
    )
}

fn message(e: &AppError) -> String {
    match e {
        AppError::Validation(list) => list
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

fn checked(v: Option<&String>) -> bool {
    v.is_some_and(|v| matches!(v.as_str(), "1" | "on" | "true"))
}

/// POST multipart: `record`, `uscc`, `name`, `contact`, `agent`, `commitment`, `certificate_no`,
/// `note`, files `proof` (1–5) and `authorisation`, and `csrf_token`.
pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts, state.config.trust_proxy);
    let record = parts
        .uri
        .query()
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "record")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let back = |record: &str, e: &AppError| {
        Redirect::to(&format!(
            "/repair/apply?record={}&error={}",
            app::ui::url::encode(record),
            app::ui::url::encode(&message(e))
        ))
        .into_response()
    };
    if !state.limits.allow_consult(meta.ip.as_deref()) {
        return back(&record, &AppError::RateLimited);
    }
    let too_large = format!(
        "材料合计超过 {} MB，请压缩后再上传。",
        MAX_TOTAL_BYTES / 1024 / 1024
    );
    let posted = match read_posted(&state, Request::from_parts(parts, body), too_large).await {
        Ok(p) => p,
        Err(e) => return back(&record, &e),
    };
    let field = |k: &str| posted.fields.get(k).cloned().unwrap_or_default();
    let form = Application {
        record: if record.is_empty() {
            field("record")
        } else {
            record.clone()
        },
        uscc: field("uscc"),
        name: field("name"),
        contact: field("contact"),
        by_agent: checked(posted.fields.get("agent")),
        commitment_accepted: checked(posted.fields.get("commitment")),
        certificate_no: field("certificate_no"),
        note: field("note"),
    };
    let files: Vec<Upload> = posted
        .files
        .into_iter()
        .filter_map(|(input, name, bytes)| {
            let purpose = match input.as_str() {
                "proof" => "proof",
                "authorisation" => "authorisation",
                _ => return None,
            };
            Some(Upload {
                purpose,
                name,
                bytes,
            })
        })
        .collect();
    match apply::submit(&state, &meta, &form, files).await {
        Ok(a) => Redirect::to(&format!("/track?code={}&new=1", a.code)).into_response(),
        Err(e) => back(&form.record, &e),
    }
}
