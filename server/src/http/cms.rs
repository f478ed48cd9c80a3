//! The CMS upload: a multipart POST from the editor (picture or attachment) answered with JSON — the
//! stored file, or a structured error naming what is wrong with it.
use super::extract::{read_posted, SignedIn};
use super::Routes;
use app::auth::policy::Action;
use app::cms::service::uploads;
use app::error::AppError;
use app::server::AppState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::routing::post;
use axum::Json;

pub const UPLOAD_PATH: &str = "/console/cms/upload";

pub fn router() -> Routes {
    Routes::default().route(
        &["POST"],
        UPLOAD_PATH,
        post(upload).layer(DefaultBodyLimit::max(
            app::cms::files::DOCUMENT_MAX_BYTES + 64 * 1024,
        )),
    )
}

/// `csrf_token` and `file`.
pub async fn upload(
    State(state): State<AppState>,
    signed_in: SignedIn,
    req: Request,
) -> Result<Json<app::portal::model::Attachment>, AppError> {
    let caller = signed_in.require(Action::ArticleEdit)?;
    let too_large = format!(
        "文件超过 {} MB 的上限，请压缩后再上传。",
        app::cms::files::DOCUMENT_MAX_BYTES / 1024 / 1024
    );
    let posted = read_posted(&state, req, too_large).await?;
    let (name, bytes) = posted
        .file
        .ok_or_else(|| AppError::field("file", "BAD_FORM", "请选择要上传的文件。"))?;
    uploads::store(&state, &caller, &name, &bytes)
        .await
        .map(Json)
}
