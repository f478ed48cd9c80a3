//! The public case forms — a credit repair application, an objection, a complaint, an applicant's
//! supplement — as multipart forms posted with or without JavaScript, their CSRF token checked by
//! `read_posted`, limited per IP (`public_form`). Success is a redirect to the tracking page; a refusal
//! a redirect back to the form with the message (nothing was stored). Staff download an applicant's materials through the scoped
//! `desk::MATERIAL_PATH`, never the public `/files/`.
use super::extract::{read_posted, SignedIn};
use super::Routes;
use app::auth::policy::Action;
use app::cases::flow::Kind;
use app::cases::intake::Intake;
use app::cases::pages::objection::{COMPLAINT_SUBMIT_PATH, OBJECTION_SUBMIT_PATH};
use app::cases::pages::track::SUPPLEMENT_PATH;
use app::cases::repair::{Application, MAX_TOTAL_BYTES};
use app::cases::service::apply::{self, Upload};
use app::cases::service::intake as cases_intake;
use app::cases::service::{desk, supplement};
use app::cms::service::uploads;
use app::error::AppError;
use app::server::session::RequestMeta;
use app::server::AppState;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::HashMap;
use tower::ServiceExt;

pub const SUBMIT_PATH: &str = app::cases::pages::repair::SUBMIT_PATH;

/// The public multipart forms, whose CSRF token `read_posted` checks (the general check reads only
/// url-encoded forms).
pub const MULTIPART_PATHS: [&str; 4] = [
    SUBMIT_PATH,
    OBJECTION_SUBMIT_PATH,
    COMPLAINT_SUBMIT_PATH,
    SUPPLEMENT_PATH,
];

pub fn router() -> Routes {
    Routes::default()
        .route(
            &["POST"],
            SUBMIT_PATH,
            post(submit).layer(DefaultBodyLimit::max(MAX_TOTAL_BYTES + 256 * 1024)),
        )
        .route(
            &["POST"],
            OBJECTION_SUBMIT_PATH,
            post(objection).layer(DefaultBodyLimit::max(MAX_TOTAL_BYTES + 256 * 1024)),
        )
        .route(
            &["POST"],
            COMPLAINT_SUBMIT_PATH,
            post(complaint).layer(DefaultBodyLimit::max(MAX_TOTAL_BYTES + 256 * 1024)),
        )
        .route(
            &["POST"],
            SUPPLEMENT_PATH,
            post(send_supplement).layer(DefaultBodyLimit::max(MAX_TOTAL_BYTES + 256 * 1024)),
        )
        .route(&["GET"], desk::MATERIAL_PATH, get(material))
}

/// GET a case's material: staff who may see the case (scoped like the desk), never cached, always
/// downloaded (never rendered), audited by `desk::material`.
pub async fn material(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((case, file)): Path<(String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let caller = signed_in.require(Action::CaseView)?;
    let (stored, original) = desk::material(&state, &caller, &case, &file).await?;
    let mime = app::cms::files::stored_ext(&stored)
        .map(app::cms::files::mime)
        .ok_or_else(|| AppError::NotFound("该材料".into()))?;
    let path = uploads::private_path(&state, &stored)
        .ok_or_else(|| AppError::NotFound("该材料".into()))?;
    let Ok(served) = tower_http::services::ServeFile::new(&path)
        .oneshot(request)
        .await;
    if served.status() == StatusCode::NOT_FOUND {
        return Err(AppError::NotFound("该材料".into()));
    }
    let mut res = served.map(axum::body::Body::new);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        app::ui::url::encode(&original)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(res)
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

/// What a public form handler gets: the request's facts, the form's fields and its files, each
/// file tagged with the input it came from (inputs not in the form's list are dropped).
struct PublicForm {
    meta: RequestMeta,
    fields: HashMap<String, String>,
    files: Vec<Upload>,
}

impl PublicForm {
    fn field(&self, key: &str) -> String {
        self.fields.get(key).cloned().unwrap_or_default()
    }

    fn ticked(&self, key: &str) -> bool {
        checked(self.fields.get(key))
    }
}

/// Where a public form goes back to on a refusal: its page, keyed by one query value (the record or
/// the tracking code), which the form's action carries so that it survives a body that never parsed.
struct Back {
    page: &'static str,
    key: &'static str,
}

impl Back {
    fn to(&self, value: &str, e: &AppError) -> Response {
        let keyed = if value.is_empty() {
            String::new()
        } else {
            format!("{}={}&", self.key, app::ui::url::encode(value))
        };
        Redirect::to(&format!(
            "{}?{keyed}error={}",
            self.page,
            app::ui::url::encode(&message(e))
        ))
        .into_response()
    }
}

/// Runs a public multipart form: the per-IP limit, the CSRF-checked read, then `handle`, which
/// answers a tracking code (success: the tracking page; `new` marks a new application). A refusal
/// goes back to the form with the message; the services store nothing then.
async fn public_form<F, Fut>(
    state: AppState,
    req: Request,
    back: Back,
    inputs: &'static [&'static str],
    new: bool,
    handle: F,
) -> Response
where
    F: FnOnce(AppState, PublicForm) -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts, state.config.trust_proxy);
    let keyed = parts
        .uri
        .query()
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == back.key)
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    if !state.limits.allow_consult(meta.ip.as_deref()) {
        return back.to(&keyed, &AppError::RateLimited);
    }
    let too_large = format!(
        "材料合计超过 {} MB，请压缩后再上传。",
        MAX_TOTAL_BYTES / 1024 / 1024
    );
    let posted = match read_posted(&state, Request::from_parts(parts, body), too_large).await {
        Ok(p) => p,
        Err(e) => return back.to(&keyed, &e),
    };
    let files = posted
        .files
        .into_iter()
        .filter_map(|(input, name, bytes)| {
            let purpose = inputs.iter().find(|i| **i == input)?;
            Some(Upload {
                purpose,
                name,
                bytes,
            })
        })
        .collect();
    let mut fields = posted.fields;
    if !keyed.is_empty() {
        fields.insert(back.key.to_string(), keyed.clone());
    }
    let form = PublicForm {
        meta,
        fields,
        files,
    };
    let keyed = form.field(back.key);
    match handle(state, form).await {
        Ok(code) => {
            let flag = if new { "&new=1" } else { "" };
            Redirect::to(&format!("/track?code={code}{flag}")).into_response()
        }
        Err(e) => back.to(&keyed, &e),
    }
}

/// POST multipart: `record`, `uscc`, `name`, `contact`, `agent`, `commitment`, `certificate_no`,
/// `note`, files `proof` (1–5) and `authorisation`, and `csrf_token`.
pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let back = Back {
        page: "/repair/apply",
        key: "record",
    };
    public_form(
        state,
        req,
        back,
        &["proof", "authorisation"],
        true,
        |state, f| async move {
            let form = Application {
                record: f.field("record"),
                uscc: f.field("uscc"),
                name: f.field("name"),
                contact: f.field("contact"),
                by_agent: f.ticked("agent"),
                commitment_accepted: f.ticked("commitment"),
                certificate_no: f.field("certificate_no"),
                note: f.field("note"),
            };
            Ok(apply::submit(&state, &f.meta, &form, f.files).await?.code)
        },
    )
    .await
}

/// The objection or complaint form's fields as the intake rules read them.
fn intake_form(kind: Kind, f: &PublicForm) -> Intake {
    Intake {
        kind: kind.code().to_string(),
        record: f.field("record"),
        uscc: f.field("uscc"),
        ground: f.field("ground"),
        description: f.field("description"),
        name: f.field("name"),
        contact: f.field("contact"),
        by_agent: f.ticked("agent"),
        channel: "portal".to_string(),
    }
}

/// POST multipart: `record`, `uscc`, `ground`, `description`, `name`, `contact`, `agent`, files
/// `proof` (0–5) and `authorisation`, and `csrf_token`.
pub async fn objection(State(state): State<AppState>, req: Request) -> Response {
    intake(state, req, Kind::Objection, "/objection/apply").await
}

/// POST multipart: as an objection, with the record optional and no ground.
pub async fn complaint(State(state): State<AppState>, req: Request) -> Response {
    intake(state, req, Kind::Complaint, "/complaint/apply").await
}

async fn intake(state: AppState, req: Request, kind: Kind, page: &'static str) -> Response {
    let back = Back {
        page,
        key: "record",
    };
    public_form(
        state,
        req,
        back,
        &["proof", "authorisation"],
        true,
        move |state, f| async move {
            let form = intake_form(kind, &f);
            Ok(cases_intake::submit(&state, &f.meta, &form, f.files)
                .await?
                .code)
        },
    )
    .await
}

/// POST multipart: `code` (in the URL), `text`, files `supplement` (0–5), `csrf_token`: the
/// applicant's supplement to a case waiting for materials.
pub async fn send_supplement(State(state): State<AppState>, req: Request) -> Response {
    let back = Back {
        page: "/track",
        key: "code",
    };
    public_form(
        state,
        req,
        back,
        &["supplement"],
        false,
        |state, f| async move {
            supplement::send(&state, &f.meta, &f.field("code"), &f.field("text"), f.files).await
        },
    )
    .await
}
