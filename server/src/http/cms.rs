//! The CMS upload: a multipart POST from the editor (picture or attachment) answered with JSON — the
//! stored file, or a structured error naming what is wrong with it.
use super::api_v1::from_app_error;
use super::collect::read_posted;
use app::auth::policy::Action;
use app::cms::service::uploads;
use app::error::AppError;
use app::server::AppState;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub const UPLOAD_PATH: &str = "/console/cms/upload";

/// `csrf_token` and `file`.
pub async fn upload(State(state): State<AppState>, req: Request) -> Response {
    match upload_inner(&state, req).await {
        Ok(stored) => Json(stored).into_response(),
        Err(e) => from_app_error(e),
    }
}

async fn upload_inner(
    state: &AppState,
    req: Request,
) -> Result<app::portal::model::Attachment, AppError> {
    let too_large = format!(
        "文件超过 {} MB 的上限，请压缩后再上传。",
        app::cms::files::DOCUMENT_MAX_BYTES / 1024 / 1024
    );
    let posted = read_posted(state, req, Action::ArticleEdit, too_large).await?;
    let (name, bytes) = posted
        .file
        .ok_or_else(|| AppError::field("file", "BAD_FORM", "请选择要上传的文件。"))?;
    uploads::store(state, &posted.caller, &name, &bytes).await
}
