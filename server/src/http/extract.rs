//! What the REST handlers read from a request, in one place: the signed-in caller, the data API's key
//! holder, JSON bodies, and the plain forms (multipart with its CSRF token, url-encoded). Each rejects
//! with an `AppError` (the data API's key with its own `ApiFailure`), so a handler either lets the
//! default JSON error answer or takes `Result<Extractor, AppError>` and maps the error to its page.
use super::api_v1::ApiFailure;
use app::auth::policy::Action;
use app::collect::service::api_keys::{self, KeyHolder};
use app::error::AppError;
use app::server::authz::{check, Caller};
use app::server::session::RequestMeta;
use app::server::AppState;
use axum::body::Body;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Multipart, Request};
use http::request::Parts;
use http::{header, StatusCode};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use tower_sessions::Session;

/// A signed-in caller (401 without a login). Most endpoints need an action: `require` gives the
/// caller with the scope the policy grants for it (403 otherwise), as `authz::check` does.
pub struct SignedIn(pub Caller);

impl SignedIn {
    pub fn require(self, action: Action) -> Result<Caller, AppError> {
        self.0.require(action)
    }
}

impl<S> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = AppState::from_ref(state);
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::internal("session", "session layer missing"))?;
        let meta = RequestMeta::from_parts(parts, state.config.trust_proxy);
        Ok(SignedIn(check(&state, &session, meta, None).await?.0))
    }
}

/// The holder of the data API key in `Authorization: Bearer <key>` (401 `UNAUTHORIZED` without a
/// valid one). Read from the headers only, so a caller without a key is answered before the body.
pub struct ApiKey(pub KeyHolder);

impl<S> FromRequestParts<S> for ApiKey
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        // The key gate has verified the key (and counted it against its rate limit).
        if let Some(h) = parts.extensions.get::<KeyHolder>() {
            return Ok(ApiKey(h.clone()));
        }
        let state = AppState::from_ref(state);
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        match api_keys::verify(&state, presented).await? {
            Some(h) => Ok(ApiKey(h)),
            None => Err(ApiFailure::own(
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "缺少或无效的接口密钥：请在请求头中提供 Authorization: Bearer <密钥>。".into(),
            )),
        }
    }
}

/// A JSON body of type `T`; anything else (not JSON, wrong shape, wrong content type) is a 422
/// `VALIDATION` error whose field code is `BAD_JSON`.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(AppError::field(
                "request",
                "BAD_JSON",
                format!("请求体不是合法的 JSON（{}）。", rejection.body_text()),
            )),
        }
    }
}

fn bad_form(message: &str) -> AppError {
    AppError::field("file", "BAD_FORM", message)
}

/// A multipart form: its text fields, its one `file` (name, bytes), and the files of other inputs
/// (input name, file name, bytes; inputs left empty are skipped).
pub(crate) struct Posted {
    pub fields: HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
    pub files: Vec<(String, String, Vec<u8>)>,
}

/// Reads a multipart form and checks its CSRF token (the general check reads only url-encoded forms).
/// `too_large` is the message for a file over the route's body limit.
pub(crate) async fn read_posted(
    state: &AppState,
    req: Request,
    too_large: String,
) -> Result<Posted, AppError> {
    let cookie = app::server::csrf::cookie_value(req.headers(), app::server::csrf::COOKIE)
        .map(str::to_owned);
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|_| bad_form("请通过上传页面选择文件后提交。"))?;
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut files: Vec<(String, String, Vec<u8>)> = vec![];
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::field("file", "FILE_TOO_LARGE", too_large))
            }
            Err(_) => return Err(bad_form("上传中断或表单不完整，请重新选择文件上传。")),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| bad_form("上传中断，请重新上传。"))?;
            file = Some((file_name, bytes.to_vec()));
        } else if let Some(file_name) = field.file_name().map(str::to_owned) {
            let bytes = field
                .bytes()
                .await
                .map_err(|_| bad_form("上传中断，请重新上传。"))?;
            if !(file_name.is_empty() && bytes.is_empty()) {
                files.push((name, file_name, bytes.to_vec()));
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| bad_form("表单内容无法读取。"))?;
            fields.insert(name, text);
        }
    }
    let token = fields.get(app::server::csrf::FIELD).map(String::as_str);
    if !app::server::csrf::valid(&state.secrets, cookie.as_deref(), token) {
        return Err(AppError::Forbidden);
    }
    Ok(Posted {
        fields,
        file,
        files,
    })
}

/// The largest url-encoded form read (a console form's filters).
const FORM_MAX_BYTES: usize = 64 * 1024;

/// A url-encoded form's fields (its CSRF token was checked by `security::csrf_check`).
pub(crate) async fn read_form(body: Body) -> Result<HashMap<String, String>, AppError> {
    let bytes = axum::body::to_bytes(body, FORM_MAX_BYTES)
        .await
        .map_err(|_| AppError::field("request", "BAD_REQUEST", "请求内容过大。"))?;
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}
