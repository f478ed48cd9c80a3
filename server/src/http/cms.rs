//! The CMS upload: a multipart POST from the editor (picture or attachment) answered with JSON — the
//! stored file, or a structured error naming what is wrong with it.
use super::api_v1::from_app_error;
use super::collect::caller;
use app::auth::policy::Action;
use app::cms::service::uploads;
use app::error::AppError;
use app::server::AppState;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;

pub const UPLOAD_PATH: &str = "/console/cms/upload";

/// `csrf_token` and `file`.
pub async fn upload(State(state): State<AppState>, req: Request) -> Response {
    match upload_inner(&state, req).await {
        Ok(stored) => Json(stored).into_response(),
        Err(e) => from_app_error(e),
    }
}

fn bad(message: &str) -> AppError {
    AppError::field("file", "BAD_FORM", message)
}

async fn upload_inner(
    state: &AppState,
    req: Request,
) -> Result<app::portal::model::Attachment, AppError> {
    let (parts, body) = req.into_parts();
    let caller = caller(state, &parts, Action::ArticleEdit).await?;
    let cookie = app::server::csrf::cookie_value(&parts.headers, app::server::csrf::COOKIE)
        .map(str::to_owned);
    let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|_| bad("请选择文件后上传。"))?;
    let (mut token, mut file) = (None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::field(
                    "file",
                    "FILE_TOO_LARGE",
                    "文件超过 30 MB 的上限，请压缩后再上传。",
                ))
            }
            Err(_) => return Err(bad("上传中断，请重新上传。")),
        };
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| bad("上传中断，请重新上传。"))?;
                file = Some((name, bytes));
            }
            n if n == app::server::csrf::FIELD => {
                token = Some(field.text().await.map_err(|_| bad("表单内容无法读取。"))?);
            }
            _ => {}
        }
    }
    if !app::server::csrf::valid(&state.secrets, cookie.as_deref(), token.as_deref()) {
        return Err(AppError::Forbidden);
    }
    let (name, bytes) = file.ok_or_else(|| bad("请选择要上传的文件。"))?;
    uploads::store(state, &caller, &name, &bytes).await
}
