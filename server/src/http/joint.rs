//! 联合奖惩 routes outside the server functions: the imports of the national measures list and of
//! the service matters (multipart XLSX uploads, read by the hardened reader of the collection
//! pipeline, all rows or none) and the measures sample the demo ships.
use super::export::{xlsx_download, xlsx_sheets};
use super::extract::{read_posted, Posted, SignedIn};
use super::Routes;
use app::auth::policy::Action;
use app::collect::service::upload_limits::Limits;
use app::collect::service::xlsx as sheet;
use app::error::AppError;
use app::joint::model::ImportReport;
use app::joint::pages::batch::CHECK_BATCH_PATH;
use app::joint::pages::matters::MATTERS_IMPORT_PATH;
use app::joint::pages::measures::{IMPORT_PATH, SAMPLE_PATH};
use app::joint::service::{batch, check, matters, measures};
use app::server::authz::Caller;
use app::server::AppState;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// The largest measures file (the national list is well under 1 MB).
const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Routes {
    Routes::default()
        .route(
            &["POST"],
            IMPORT_PATH,
            post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024)),
        )
        .route(
            &["POST"],
            MATTERS_IMPORT_PATH,
            post(import_matters).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024)),
        )
        .route(&["GET"], SAMPLE_PATH, get(sample))
        .route(
            &["POST"],
            CHECK_BATCH_PATH,
            post(check_batch).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024)),
        )
        .route(
            &["GET"],
            "/console/joint/batches/{id}/results.xlsx",
            get(batch_results),
        )
}

/// Back to `page` with the refusal's messages, one per line.
fn back(page: &str, e: &AppError) -> Response {
    let text = match e {
        AppError::Validation(list) => list
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    };
    Redirect::to(&format!("{page}?error={}", app::ui::url::encode(&text))).into_response()
}

/// The outcome of an import form: the page with the counts, or back with the refusal; a caller who
/// may not import gets the plain 401/403.
fn answer(page: &str, r: Result<ImportReport, AppError>) -> Response {
    match r {
        Ok(r) => Redirect::to(&format!(
            "{page}?imported={},{},{}",
            r.added, r.updated, r.unchanged
        ))
        .into_response(),
        Err(e @ (AppError::Unauthorized | AppError::Forbidden)) => e.into_response(),
        Err(e) => back(page, &e),
    }
}

/// An uploaded spreadsheet, read: the caller (allowed `action`), the file's name, header and rows.
async fn uploaded(
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    req: Request,
    action: Action,
) -> Result<(Caller, String, Vec<String>, Vec<Vec<String>>), AppError> {
    let caller = signed_in?.require(action)?;
    let too_large = format!(
        "文件超过 {} MB：请只保留清单所在的工作表。",
        MAX_IMPORT_BYTES / 1024 / 1024
    );
    let Posted { file, .. } = read_posted(state, req, too_large).await?;
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| AppError::field("file", "FILE_EMPTY", "请选择要导入的 XLSX 文件。"))?;
    let (headers, rows) = read_sheet(state, &bytes, measures::MAX_IMPORT_ROWS as u64 + 100)?;
    Ok((caller, name, headers, rows))
}

/// POST multipart `file` (XLSX) and `csrf_token`: the measures of the national list.
pub async fn import(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    req: Request,
) -> Response {
    let r = async {
        let (caller, name, headers, rows) =
            uploaded(&state, signed_in, req, Action::MeasureManage).await?;
        let checked = measures::check_rows(&headers, &rows)?;
        measures::import(&state, &caller, &name, &checked).await
    }
    .await;
    answer("/console/joint/measures", r)
}

/// POST multipart `file` (XLSX) and `csrf_token`: service matters with their measures.
pub async fn import_matters(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    req: Request,
) -> Response {
    let r = async {
        let (caller, name, headers, rows) =
            uploaded(&state, signed_in, req, Action::MatterManage).await?;
        matters::import(&state, &caller, &name, &headers, &rows).await
    }
    .await;
    answer("/console/joint/matters", r)
}

/// The first sheet's header and rows, through the reader that distrusts every size a workbook
/// declares. The upload goes to a scratch file that is removed whatever happens.
fn read_sheet(
    state: &AppState,
    bytes: &[u8],
    max_rows: u64,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let dir = state.config.data_path("tmp");
    std::fs::create_dir_all(&dir).map_err(|e| AppError::internal("tmp dir", e))?;
    let path = dir.join(format!("joint-{}.xlsx", uuid::Uuid::now_v7().simple()));
    std::fs::write(&path, bytes).map_err(|e| AppError::internal("tmp write", e))?;
    let limits = Limits {
        max_bytes: MAX_IMPORT_BYTES as u64,
        max_columns: 50,
        max_xlsx_unpacked: 50 * 1024 * 1024,
        max_rows,
        max_shared_strings: 20 * 1024 * 1024,
        ..Limits::default()
    };
    let read = (|| {
        let (headers, mut it) = sheet::open(&path, limits)?;
        let mut rows = vec![];
        while let Some(r) = it.next_row() {
            rows.push(r?);
        }
        Ok((headers, rows))
    })();
    let _ = std::fs::remove_file(&path);
    read.map_err(|e: AppError| match e {
        AppError::Validation(_) => e,
        _ => AppError::field(
            "file",
            "FILE_UNREADABLE",
            "无法读取该文件：请上传用 Excel 或 WPS 保存的 XLSX 表格。",
        ),
    })
}

/// GET the sample: the demo's measures on the first sheet (ready to import), their sources on the
/// second.
pub async fn sample(signed_in: Result<SignedIn, AppError>) -> Result<Response, AppError> {
    signed_in?.require(Action::MeasureManage)?;
    let (source, rows) = app::joint::measures::sample();
    let (header, body) = rows
        .split_first()
        .ok_or_else(|| AppError::internal("measures sample", "empty"))?;
    let headers: Vec<&str> = header.iter().map(String::as_str).collect();
    let note = [vec![source]];
    let file = xlsx_sheets(&[
        ("措施清单", headers.as_slice(), body),
        ("来源说明", &["来源"], &note),
    ])?;
    Ok(xlsx_download(file, "联合奖惩措施清单样例.xlsx"))
}

/// POST multipart `file` (XLSX of subjects), `matter` and `csrf_token`: a batch check, queued; on to
/// its progress page.
pub async fn check_batch(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    req: Request,
) -> Response {
    let r = async {
        let caller = signed_in?.require(Action::CheckRun)?;
        let too_large = format!(
            "文件超过 {} MB：请只保留主体名单所在的工作表。",
            MAX_IMPORT_BYTES / 1024 / 1024
        );
        let Posted { fields, file, .. } = read_posted(&state, req, too_large).await?;
        let code = fields.get("matter").map(String::as_str).unwrap_or_default();
        let matter = check::matter_by_code(&state, code)
            .await?
            .ok_or_else(|| AppError::field("matter", "MATTER_UNKNOWN", "请选择正在办理的事项。"))?;
        caller.check_unit(Some(matter.department_id), matter.county_code.as_deref())?;
        let (name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| {
            AppError::field("file", "FILE_EMPTY", "请选择要核查的主体名单（XLSX）。")
        })?;
        let (headers, rows) = read_sheet(&state, &bytes, batch::MAX_ROWS as u64 + 100)?;
        batch::create(&state, &caller.actor(), &matter, &name, &headers, &rows).await
    }
    .await;
    match r {
        Ok(id) => Redirect::to(&format!("/console/joint/batches/{id}")).into_response(),
        Err(e @ (AppError::Unauthorized | AppError::Forbidden)) => e.into_response(),
        Err(e) => back("/console/joint/check", &e),
    }
}

/// GET a batch check's results as XLSX (the batch must be in the caller's scope).
pub async fn batch_results(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let caller = signed_in?.require(Action::CheckRun)?;
    let (unit, county, view) = batch::get(&state, &id).await?;
    caller
        .check_unit(Some(unit), county.as_deref())
        .map_err(|_| AppError::NotFound("该批量核查".into()))?;
    let rows = batch::results(&state, &id).await?;
    let file = super::export::xlsx("核查结果", &batch::RESULT_HEADERS, &rows)?;
    Ok(xlsx_download(
        file,
        &format!("联合奖惩核查结果-{}.xlsx", view.matter),
    ))
}
