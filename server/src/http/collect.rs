//! The collection routes that are not server functions: the file upload (a multipart form that works
//! without JavaScript) and the error report download (XLSX). Both check the caller like every endpoint.
use super::export::{error_page, error_response, xlsx, xlsx_download};
use super::extract::{read_form, read_posted, Posted, SignedIn};
use super::Routes;
use app::auth::policy::Action;
use app::collect::service::{batches, intake, report};
use app::error::AppError;
use app::server::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sqlx::Row;
use std::collections::HashMap;

pub const UPLOAD_PATH: &str = "/console/collect/upload";
pub const ERRORS_PATH: &str = "/console/collect/errors.xlsx";
pub const QUALITY_REPORT_PATH: &str = "/console/quality/report.xlsx";

/// The collection routes. Uploads may be larger than the default body limit; the intake checks the
/// configured maximum (`upload_max_mb`).
pub fn router(upload_max_mb: u64) -> Routes {
    let upload_limit = usize::try_from(upload_max_mb)
        .unwrap_or(usize::MAX)
        .saturating_mul(1024 * 1024)
        .saturating_add(64 * 1024);
    Routes::default()
        .route(
            &["POST"],
            UPLOAD_PATH,
            post(upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(&["POST"], ERRORS_PATH, post(errors))
        .route(&["GET"], QUALITY_REPORT_PATH, get(quality_report))
}

/// POST multipart: `csrf_token`, `class`, `department` (credit office only), `file`.
pub async fn upload(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    req: Request,
) -> Response {
    match upload_inner(&state, signed_in, req).await {
        Ok(public_id) => {
            Redirect::to(&format!("/console/collect/batch/{public_id}")).into_response()
        }
        Err(e) => error_page(&e, "上传未成功", "/console/collect", "返回数据报送"),
    }
}

async fn upload_inner(
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    req: Request,
) -> Result<String, AppError> {
    let caller = signed_in?.require(Action::DataSubmit)?;
    let too_large = format!(
        "文件超过上限 {} MB：请拆分成多个文件分别上传。",
        state.config.upload_max_mb
    );
    let Posted { fields, file, .. } = read_posted(state, req, too_large).await?;
    let class = fields.get("class").cloned().unwrap_or_default();
    let requested = fields.get("department").and_then(|d| d.parse::<i64>().ok());
    let department_id = batches::submitting_unit(state, &caller, requested).await?;
    let (file_name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| {
        AppError::field(
            "file",
            "FILE_EMPTY",
            "请选择要上传的文件（CSV 或 XLSX），文件不能为空。",
        )
    })?;
    let sub = intake::Submission {
        class_code: &class,
        department_id,
        user_id: Some(caller.user.user_id),
        channel: "file",
    };
    let stored = intake::store_file(state, &file_name, &bytes)?;
    let mut tx = state.db.begin().await?;
    let (id, public_id) = intake::insert(&mut tx, state, &sub, Some(stored.columns())).await?;
    caller
        .audit(
            &mut tx,
            state,
            "collect.upload",
            Some(("batch", &public_id)),
            serde_json::json!({ "class": class, "file": file_name, "bytes": bytes.len() }),
        )
        .await?;
    tx.commit().await?;
    intake::queue_check(state, id, "upload").await?;
    Ok(public_id)
}

/// POST form `batch` (public id): the batch's faulty rows as XLSX, audited.
pub async fn errors(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
) -> Response {
    match errors_inner(&state, signed_in, body).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn errors_inner(
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
) -> Result<Response, AppError> {
    let caller = signed_in?.require(Action::BatchView)?;
    let form = read_form(body).await?;
    let public_id = form.get("batch").cloned().unwrap_or_default();
    let row = sqlx::query(
        "SELECT b.id, b.department_id, d.county_code, COALESCE(b.file_name, '') AS file_name FROM batches b \
         JOIN departments d ON d.id = b.department_id WHERE b.public_id = $1",
    )
    .bind(&public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该批次".into()))?;
    let county: Option<String> = row.try_get("county_code")?;
    caller
        .check_unit(Some(row.try_get("department_id")?), county.as_deref())
        .map_err(|_| AppError::NotFound("该批次".into()))?;
    let rep = report::faulty_rows(state, row.try_get("id")?).await?;
    let headers: Vec<&str> = rep.headers.iter().map(String::as_str).collect();
    let file = xlsx("错误数据", &headers, &rep.rows)?;
    let mut tx = state.db.begin().await?;
    caller
        .audit(
            &mut tx,
            state,
            "collect.error_report",
            Some(("batch", &public_id)),
            serde_json::json!({ "rows": rep.rows.len() }),
        )
        .await?;
    tx.commit().await?;
    let original: String = row.try_get("file_name")?;
    let stem = original
        .rsplit_once('.')
        .map_or(original.as_str(), |(s, _)| s);
    let filename = format!(
        "{}-错误数据.xlsx",
        if stem.is_empty() { "批次" } else { stem }
    );
    Ok(xlsx_download(file, &filename))
}

/// GET `?unit=&month=`: a unit's monthly quality report as XLSX (one sheet per part of the page).
pub async fn quality_report(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match quality_report_inner(&state, signed_in, &query).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn quality_report_inner(
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    query: &HashMap<String, String>,
) -> Result<Response, AppError> {
    use app::collect::pages::quality::pct;
    let caller = signed_in?.require(Action::QualityView)?;
    let unit: i64 = query
        .get("unit")
        .and_then(|u| u.parse().ok())
        .ok_or_else(|| AppError::NotFound("该单位".into()))?;
    let month = query.get("month").cloned().unwrap_or_default();
    let r = app::collect::service::quality::report(state, &caller, unit, &month).await?;
    let s = &r.score;
    let mut rows: Vec<Vec<String>> = vec![
        vec!["单位".into(), r.unit_name.clone()],
        vec!["月份".into(), r.month.clone()],
        vec![
            "综合得分".into(),
            s.score.map_or("—".into(), |v| format!("{v:.1}")),
        ],
        vec!["完整性".into(), pct(s.completeness)],
        vec!["及时性".into(), pct(s.timeliness)],
        vec!["准确性".into(), pct(s.accuracy)],
        vec!["可用性".into(), pct(s.availability)],
        vec!["本月发布记录".into(), s.records.to_string()],
        vec!["逾期未更新的数据类别".into(), s.overdue.to_string()],
        vec![],
        vec!["改进建议".into()],
    ];
    rows.extend(
        r.advice
            .iter()
            .enumerate()
            .map(|(i, a)| vec![format!("{}", i + 1), a.clone()]),
    );
    rows.push(vec![]);
    rows.push(vec![
        "主要问题（规则）".into(),
        "代码".into(),
        "次数".into(),
    ]);
    rows.extend(
        r.faults
            .iter()
            .map(|f| vec![f.name.clone(), f.code.clone(), f.count.to_string()]),
    );
    rows.push(vec![]);
    rows.push(
        [
            "数据类别",
            "发布记录",
            "完整性",
            "及时性",
            "准确性",
            "可用性",
        ]
        .map(String::from)
        .to_vec(),
    );
    rows.extend(r.rows.iter().map(|q| {
        vec![
            q.class_name.clone(),
            q.records.to_string(),
            pct(q.completeness),
            pct(q.timeliness),
            pct(q.accuracy),
            pct(q.availability),
        ]
    }));
    let file = xlsx("质量月报", &["项目", "内容", ""], &rows)?;
    Ok(xlsx_download(
        file,
        &format!("{}-数据质量月报-{}.xlsx", r.unit_name, r.month),
    ))
}
