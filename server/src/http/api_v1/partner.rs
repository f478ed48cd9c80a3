//! The partner API (docs/domain.md §12) for the smart-government office (智慧办) and other government
//! systems: a subject by USCC, its public records by class, a credit report for a named service matter,
//! and the change feed for mirrors. A key reads only the classes of its `read:<class>` scopes and sees
//! exactly what the public site shows (ID numbers masked). Rate limits and the access log are the
//! key gate's (`http::api_gate`); each answer says how many rows it carried (`RowsOut`).
use super::super::api_gate::RowsOut;
use super::super::extract::{ApiJson, ApiKey};
use super::{ApiError, ApiFailure};
use app::collect::service::api_keys::KeyHolder;
use app::credit::model::{GenericEntry, PublicRecord, ReportRequest, SubjectBasics};
use app::credit::service::reports::{self, Issuer};
use app::error::AppError;
use app::partner::service::{changes, reads};
use app::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A class the key reads, and how many of the subject's records of it are on display.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClassCount {
    pub class: String,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubjectResponse {
    pub subject: SubjectBasics,
    /// The classes the key reads, each with the subject's records on display today.
    pub classes: Vec<ClassCount>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordsResponse {
    pub subject: SubjectBasics,
    pub class: String,
    pub name: String,
    /// Licences and penalties (classes `licence`, `penalty`).
    pub records: Vec<PublicRecord>,
    /// Entries of the other classes (lists, commitments …).
    pub entries: Vec<GenericEntry>,
}

/// A credit report for a service matter, issued by a partner's system.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"subject": "91433101MA4L0A0K1X", "matter": "政府采购供应商资格审查", "applicant": "湘西州政务服务中心", "purpose": "政府采购"}))]
pub struct ReportBody {
    /// The subject's unified social credit code.
    pub subject: String,
    /// The service matter the report is for (2 characters or more).
    pub matter: String,
    /// Who asks (2–50 characters).
    pub applicant: String,
    /// What for (2–100 characters).
    pub purpose: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportResponse {
    pub serial: String,
    pub verify_code: String,
    /// The verification page (path on this site).
    pub verify: String,
    /// The signed PDF (path on this site).
    pub download: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeItem {
    /// The change's position: ask for the changes after it next.
    pub cursor: i64,
    pub class: String,
    /// The record's public id.
    pub record_id: String,
    pub version: i64,
    /// `create`, `update`, `correct`, `withdraw`, `restore`, `repair`, `takedown`.
    pub action: String,
    /// RFC 3339 (UTC).
    pub changed_at: String,
    /// Whether the record is on public display now; a mirror removes its copy when not.
    pub on_display: bool,
    /// The licence or penalty as the public sees it now.
    pub record: Option<PublicRecord>,
    /// An entry of another class as the public sees it now.
    pub entry: Option<GenericEntry>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangesResponse {
    pub changes: Vec<ChangeItem>,
    /// The cursor to ask with next (the last change's, or the one asked with when none followed).
    pub next_cursor: i64,
    /// True when more changes follow at once.
    pub more: bool,
}

fn scope_missing(message: String) -> ApiFailure {
    ApiFailure::own(StatusCode::FORBIDDEN, "SCOPE_MISSING", message)
}

/// The answer with the number of rows it carried, for the access log.
fn counted<T: Serialize>(body: T, rows: usize) -> Response {
    let mut res = Json(body).into_response();
    res.extensions_mut().insert(RowsOut(rows as i64));
    res
}

/// The active classes the key reads (code, name); 403 when it reads none.
async fn readable(state: &AppState, h: &KeyHolder) -> Result<Vec<(String, String)>, ApiFailure> {
    let classes: Vec<_> = reads::classes(state)
        .await?
        .into_iter()
        .filter(|(code, _)| h.reads(code))
        .collect();
    if classes.is_empty() {
        return Err(scope_missing(
            "该密钥没有读取权限（read:<数据类别>）：请安全管理员为合作系统发放读取密钥。".into(),
        ));
    }
    Ok(classes)
}

/// The class asked for: 404 when it does not exist, 403 when the key does not read it.
async fn one_class(
    state: &AppState,
    h: &KeyHolder,
    class: &str,
) -> Result<(String, String), ApiFailure> {
    let found = reads::classes(state)
        .await?
        .into_iter()
        .find(|(code, _)| code == class)
        .ok_or_else(|| AppError::NotFound(format!("数据类别 {class}")))?;
    if !h.reads(class) {
        return Err(scope_missing(format!(
            "该密钥无权读取数据类别 {class}（需要 read:{class}）。"
        )));
    }
    Ok(found)
}

/// A subject's basic information, and how many of its records of each class the key reads are on
/// public display.
#[utoipa::path(
    get,
    path = "/api/v1/subjects/{uscc}",
    tag = "partner",
    params(("uscc" = String, Path, description = "统一社会信用代码（18 位）")),
    responses(
        (status = 200, body = SubjectResponse),
        (status = 401, description = "缺少或无效的密钥（UNAUTHORIZED）", body = ApiError),
        (status = 403, description = "密钥没有任何读取权限（SCOPE_MISSING）", body = ApiError),
        (status = 404, description = "没有该代码的公示主体（NOT_FOUND）", body = ApiError),
        (status = 422, description = "代码格式或校验位有误（VALIDATION，字段代码如 USCC_CHECK_CHAR）", body = ApiError),
        (status = 429, description = "超过密钥的每分钟请求上限（RATE_LIMITED），见 Retry-After", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn subject(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Path(uscc): Path<String>,
) -> Result<Response, ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    let classes = readable(&state, &h).await?;
    let (subject, found) = reads::subject_records(&state, &uscc, &classes).await?;
    let classes = found
        .into_iter()
        .map(|c| ClassCount {
            count: (c.records.len() + c.entries.len()) as i64,
            class: c.class,
            name: c.name,
        })
        .collect();
    Ok(counted(SubjectResponse { subject, classes }, 1))
}

/// A subject's records of one class on public display today.
#[utoipa::path(
    get,
    path = "/api/v1/subjects/{uscc}/records",
    tag = "partner",
    params(
        ("uscc" = String, Path, description = "统一社会信用代码（18 位）"),
        ("class" = String, Query, description = "数据类别代码，如 penalty、licence、black_list")
    ),
    responses(
        (status = 200, body = RecordsResponse),
        (status = 401, description = "缺少或无效的密钥（UNAUTHORIZED）", body = ApiError),
        (status = 403, description = "密钥无权读取该类别（SCOPE_MISSING）", body = ApiError),
        (status = 404, description = "没有该代码的公示主体，或数据类别不存在（NOT_FOUND）", body = ApiError),
        (status = 422, description = "缺少 class，或代码有误（VALIDATION）", body = ApiError),
        (status = 429, description = "超过密钥的每分钟请求上限（RATE_LIMITED），见 Retry-After", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn records(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Path(uscc): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    let class = q.get("class").map(|c| c.trim()).unwrap_or_default();
    if class.is_empty() {
        return Err(AppError::field(
            "class",
            "REQUIRED",
            "请用 class 参数指明数据类别，如 ?class=penalty。",
        )
        .into());
    }
    let wanted = one_class(&state, &h, class).await?;
    let (subject, mut found) =
        reads::subject_records(&state, &uscc, std::slice::from_ref(&wanted)).await?;
    let c = found
        .pop()
        .ok_or_else(|| AppError::internal("partner records", "no class answered"))?;
    let rows = c.records.len() + c.entries.len();
    Ok(counted(
        RecordsResponse {
            subject,
            class: c.class,
            name: c.name,
            records: c.records,
            entries: c.entries,
        },
        rows,
    ))
}

/// Issue the public credit information report of a subject for a named service matter. Logged with
/// the console's report pulls (the request log and the audit log name the key).
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "partner",
    request_body = ReportBody,
    responses(
        (status = 201, description = "报告已出具（已签名）", body = ReportResponse),
        (status = 401, description = "缺少或无效的密钥（UNAUTHORIZED）", body = ApiError),
        (status = 403, description = "密钥没有 report 权限（SCOPE_MISSING）", body = ApiError),
        (status = 404, description = "没有该代码的公示主体（NOT_FOUND）", body = ApiError),
        (status = 422, description = "请求体或字段有误（VALIDATION）：字段名与修改方法见 fields", body = ApiError),
        (status = 429, description = "超过密钥的每分钟请求上限（RATE_LIMITED），见 Retry-After", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn report(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<Response, ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    if !h.may_report() {
        return Err(scope_missing(
            "该密钥没有出具报告权限（report）：请安全管理员另行发放。".into(),
        ));
    }
    let (subject, _) = reads::subject_by_uscc(&state, &body.subject).await?;
    let req = ReportRequest {
        kind: "public".into(),
        subject: subject.basics.public_id,
        applicant: body.applicant,
        purpose: body.purpose,
        matter: body.matter,
        sections: vec![],
        from: String::new(),
        to: String::new(),
    };
    let origin = app::server::config::site_origin(&state.config, Some(&headers));
    let issued = reports::issue(&state, Issuer::Partner(&h), &req, &origin).await?;
    let mut res = counted(
        ReportResponse {
            serial: issued.serial,
            verify_code: issued.verify_code,
            verify: issued.verify,
            download: issued.download,
        },
        1,
    );
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// Reads a whole number parameter (absent: `default`), or names the parameter and the fix.
fn number(q: &HashMap<String, String>, key: &str, default: i64, max: i64) -> Result<i64, AppError> {
    match q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| {
                AppError::field(
                    key,
                    "OUT_OF_RANGE",
                    format!("参数 {key} 应为 0～{max} 之间的整数。"),
                )
            }),
    }
}

/// The changes to public records after a cursor, oldest first: for partners that mirror our data.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "partner",
    params(
        ("after" = Option<i64>, Query, description = "上次取到的 cursor（首次为 0）"),
        ("class" = Option<String>, Query, description = "只取一个数据类别；省略则取密钥可读的全部类别"),
        ("limit" = Option<i64>, Query, description = "本次最多条数（1～1000，默认 100）")
    ),
    responses(
        (status = 200, body = ChangesResponse),
        (status = 401, description = "缺少或无效的密钥（UNAUTHORIZED）", body = ApiError),
        (status = 403, description = "密钥无权读取该类别或任何类别（SCOPE_MISSING）", body = ApiError),
        (status = 404, description = "数据类别不存在（NOT_FOUND）", body = ApiError),
        (status = 422, description = "参数有误（VALIDATION）", body = ApiError),
        (status = 429, description = "超过密钥的每分钟请求上限（RATE_LIMITED），见 Retry-After", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn changes_since(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    let after = number(&q, "after", 0, i64::MAX)?;
    let limit = number(&q, "limit", 100, changes::MAX_LIMIT)?.max(1);
    let class = q.get("class").map(|c| c.trim()).unwrap_or_default();
    let classes: Option<Vec<String>> = if !class.is_empty() {
        Some(vec![one_class(&state, &h, class).await?.0])
    } else if h.scopes.iter().any(|s| s == "read:*") {
        None
    } else {
        Some(
            readable(&state, &h)
                .await?
                .into_iter()
                .map(|(c, _)| c)
                .collect(),
        )
    };
    // One more than asked tells whether more follow.
    let mut found = changes::since(&state, classes.as_deref(), after, limit + 1).await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().map_or(after, |c| c.cursor);
    let items: Vec<ChangeItem> = found
        .into_iter()
        .map(|c| ChangeItem {
            on_display: c.record.is_some() || c.entry.is_some(),
            cursor: c.cursor,
            class: c.class,
            record_id: c.record_id,
            version: c.version,
            action: c.action,
            changed_at: c.changed_at,
            record: c.record,
            entry: c.entry,
        })
        .collect();
    let rows = items.len();
    Ok(counted(
        ChangesResponse {
            changes: items,
            next_cursor,
            more,
        },
        rows,
    ))
}
