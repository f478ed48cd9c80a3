//! The data API for units' own systems (`/api/v1`): JSON batches through the same pipeline as uploads,
//! authenticated by an API key per unit (scoped to data classes), with structured errors whose codes
//! are stable. The OpenAPI document is generated from these handlers.
use super::extract::ApiKey;
use super::Routes;
use app::collect::service::confirm;
use app::collect::service::{api_keys, intake, pipeline};
use app::error::AppError;
use app::server::audit::AuditEvent;
use app::server::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use http::{header, HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::{OpenApi, ToSchema};

mod body;
mod checks;
mod partner;
pub use body::{MAX_FIELDS, MAX_RECORDS};

/// The largest request body read (the route's body limit says the same).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Faults returned in one response; the rest are counted.
const MAX_FAULTS: i64 = 1_000;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "湘西州公共信用信息平台 数据报送接口",
        version = "1.0.0",
        description = "信源单位系统通过本接口报送信用数据。每个请求是一个批次：平台按信用目录逐条检查（规则代码稳定），\
                       返回问题明细；确认后干净的记录一次性发布。智慧办等合作系统按读取权限查询主体和公示记录、按办理事项出具信用报告、按游标增量同步变更。办理事项时，持 check 权限的密钥可按事项核查主体是否在有效的红黑名单中（联合奖惩核查），并反馈措施采取情况。认证：`Authorization: Bearer <密钥>`，密钥由安全管理员发放。"
    ),
    paths(
        submit, get_batch, confirm_batch, checks::run, checks::give_feedback, super::embed::ticket,
        partner::subject, partner::records, partner::report, partner::changes_since,
        super::credit::search_api, openapi_json
    ),
    components(schemas(
        BatchRequest, BatchResponse, FaultItem, ConfirmResponse, ApiError, ErrorBody, FieldItem,
        checks::CheckRequest, checks::CheckResponse, checks::HitItem, checks::MeasureItem,
        checks::FeedbackRequest, checks::FeedbackResponse, super::embed::TicketRequest,
        super::embed::TicketResponse, partner::ClassCount, partner::SubjectResponse,
        partner::RecordsResponse, partner::ReportBody, partner::ReportResponse, partner::ChangeItem,
        partner::ChangesResponse, app::credit::model::SubjectBasics, app::credit::model::PublicRecord,
        app::credit::model::GenericEntry, app::credit::model::SearchResults,
        app::credit::model::SearchHit, app::credit::model::MatchKind
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "batches", description = "数据批次"),
        (name = "checks", description = "联合奖惩核查与反馈"),
        (name = "partner", description = "合作系统（智慧办等）：按类别读取公示数据、出具报告、增量同步。密钥的读取权限为 read:<数据类别>，出具报告为 report；每个密钥有每分钟请求上限，超过时返回 429 和 Retry-After"),
        (name = "public", description = "公共信用查询（无需密钥，按来源地址限流）")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A batch of records. Each record is an object whose keys are field codes (v2 such as `CF_WSH`, v1,
/// or the Chinese field names of the catalogue) and whose values are text or numbers.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct BatchRequest {
    #[schema(value_type = Vec<Object>, example = json!([{"CF_WSH": "湘西市监罚〔2026〕1号", "CF_XDR_MC": "湘西某某有限公司"}]))]
    pub records: Vec<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FaultItem {
    /// 1-based position of the record in the request.
    pub row: i64,
    /// Catalogue field key, empty for the whole record.
    pub field: String,
    /// Stable rule code, e.g. `USCC_CHECK_CHAR`, `REQ_MISSING`, `FINE_WITHOUT_CATEGORY`.
    pub code: String,
    /// `error` (the record is not published) or `warning`.
    pub level: String,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    pub batch_id: String,
    /// `checked` (awaiting confirmation), `published`, `discarded`, `failed` …
    pub status: String,
    pub class: String,
    pub rows_total: i64,
    pub rows_new: i64,
    pub rows_update: i64,
    pub rows_duplicate: i64,
    pub rows_faulty: i64,
    pub faults_total: i64,
    pub faults: Vec<FaultItem>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConfirmResponse {
    pub batch_id: String,
    pub published: u64,
    pub updated: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldItem {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code: `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `VALIDATION`, `CONFLICT`, `BAD_JSON`,
    /// `BODY_TOO_LARGE`, `TOO_MANY_RECORDS`, `TOO_MANY_FIELDS`, `EMPTY_BATCH`, `SCOPE_MISSING`,
    /// `MATTER_UNKNOWN`, `MATTER_OTHER_DEPARTMENT`, `INTERNAL`.
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldItem>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub error: ErrorBody,
}

/// A refusal of the data API: an `AppError`, or one of the API's own codes (`BAD_JSON`,
/// `BODY_TOO_LARGE` …) with its status. Both answer the structured error `ApiError` documents.
#[derive(Debug)]
pub enum ApiFailure {
    App(AppError),
    Own {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
}

impl ApiFailure {
    pub fn own(status: StatusCode, code: &'static str, message: String) -> Self {
        ApiFailure::Own {
            status,
            code,
            message,
        }
    }
}

impl From<AppError> for ApiFailure {
    fn from(e: AppError) -> Self {
        ApiFailure::App(e)
    }
}

impl From<sqlx::Error> for ApiFailure {
    fn from(e: sqlx::Error) -> Self {
        ApiFailure::App(e.into())
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        match self {
            ApiFailure::App(e) => e.into_response(),
            ApiFailure::Own {
                status,
                code,
                message,
            } => app::error::json_error(status.as_u16(), code, message, vec![]),
        }
    }
}

/// 403 `SCOPE_MISSING` for a key without the `check` scope (the checks and the embed tickets).
pub(crate) fn require_check_scope(h: &api_keys::KeyHolder) -> Result<(), ApiFailure> {
    if h.may_check() {
        return Ok(());
    }
    Err(ApiFailure::own(
        StatusCode::FORBIDDEN,
        "SCOPE_MISSING",
        "该密钥没有联合奖惩核查权限（check）：请安全管理员为本单位另行发放核查密钥。".into(),
    ))
}

/// The data API's routes. A parameter is named per method on the one path shape: POST takes a class
/// code, GET a batch id (the policy's endpoint table names them so).
pub fn router() -> Routes {
    let batches = "/api/v1/batches/{key}";
    Routes::default()
        .route(&["GET"], "/api/v1/openapi.json", get(openapi_json))
        .route_as(
            "POST /api/v1/batches/{class}",
            batches,
            post(submit).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route_as("GET /api/v1/batches/{id}", batches, get(get_batch))
        .route(&["POST"], "/api/v1/checks", post(checks::run))
        .route(
            &["POST"],
            "/api/v1/checks/{id}/feedback",
            post(checks::give_feedback),
        )
        .route(&["GET"], "/api/v1/subjects/{uscc}", get(partner::subject))
        .route(
            &["GET"],
            "/api/v1/subjects/{uscc}/records",
            get(partner::records),
        )
        .route(&["POST"], "/api/v1/reports", post(partner::report))
        .route(&["GET"], "/api/v1/changes", get(partner::changes_since))
        .route_as(
            "POST /api/v1/batches/{id}/confirm",
            "/api/v1/batches/{key}/confirm",
            post(confirm_batch),
        )
}

fn event(h: &api_keys::KeyHolder, action: &str, batch: &str) -> AuditEvent {
    h.actor().event(action, "success").on("batch", batch)
}

/// Submit a batch of records of one data class; they are checked at once.
#[utoipa::path(
    post,
    path = "/api/v1/batches/{class}",
    tag = "batches",
    params(("class" = String, Path, description = "数据类别代码，如 penalty、licence")),
    request_body = BatchRequest,
    responses(
        (status = 201, description = "批次已创建并检查完毕；问题见 faults", body = BatchResponse),
        (status = 400, description = "请求不是合法 JSON", body = ApiError),
        (status = 401, description = "缺少或无效的密钥", body = ApiError),
        (status = 403, description = "密钥无权报送该类别", body = ApiError),
        (status = 404, description = "数据类别不存在", body = ApiError),
        (status = 413, description = "请求体或记录数超过上限", body = ApiError),
        (status = 422, description = "批次为空、字段过多或无法识别字段", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn submit(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Path(class): Path<String>,
    headers: HeaderMap,
    raw: Body,
) -> Result<(StatusCode, Json<BatchResponse>), ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    let created = submit_inner(&state, &h, &class, &headers, raw).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// 404 for a class that does not exist, 403 for one the key does not cover.
async fn check_class(
    state: &AppState,
    h: &api_keys::KeyHolder,
    class: &str,
) -> Result<(), ApiFailure> {
    let exists = sqlx::query("SELECT id FROM data_classes WHERE code = $1 AND active = 1")
        .bind(class)
        .fetch_optional(&state.db.pool)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound(format!("数据类别 {class}")).into());
    }
    if !h.covers(class) {
        return Err(ApiFailure::own(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!("该密钥无权报送数据类别 {class}。"),
        ));
    }
    Ok(())
}

/// Reads the body (at most `MAX_BODY_BYTES`) and parses it on a blocking thread: a large body would
/// otherwise hold an async worker, and with it `/healthz` and every request queued on that worker.
async fn read_table(headers: &HeaderMap, raw: Body) -> Result<body::Parsed, ApiFailure> {
    let too_large = || {
        ApiFailure::own(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_TOO_LARGE",
            format!(
                "请求体超过上限 {} MB：请分批报送，或在控制台上传文件。",
                MAX_BODY_BYTES / (1024 * 1024)
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(raw, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    let parsed = tokio::task::spawn_blocking(move || body::parse(&bytes))
        .await
        .map_err(|e| AppError::internal("api body", e))?;
    parsed.map_err(|e| match e {
        body::BodyError::BadJson(detail) => ApiFailure::own(
            StatusCode::BAD_REQUEST,
            "BAD_JSON",
            format!("请求体不是合法的 JSON 批次（{detail}）：应为 {{\"records\": [{{字段代码: 值, …}}, …]}}。"),
        ),
        body::BodyError::TooManyRecords => ApiFailure::own(
            StatusCode::PAYLOAD_TOO_LARGE,
            "TOO_MANY_RECORDS",
            format!("一个批次最多 {MAX_RECORDS} 条记录：请分批报送。"),
        ),
        body::BodyError::TooManyFields => ApiFailure::own(
            StatusCode::UNPROCESSABLE_ENTITY,
            "TOO_MANY_FIELDS",
            format!("记录中的字段超过 {MAX_FIELDS} 个：请只报送目录中的字段。"),
        ),
    })
}

async fn submit_inner(
    state: &AppState,
    h: &api_keys::KeyHolder,
    class: &str,
    headers: &HeaderMap,
    raw: Body,
) -> Result<BatchResponse, ApiFailure> {
    // The key and its class come from the headers and the path: a caller who may not send this batch
    // is answered before a byte of the body is read.
    check_class(state, h, class).await?;
    let table = read_table(headers, raw).await?;
    if table.rows.is_empty() {
        return Err(ApiFailure::own(
            StatusCode::UNPROCESSABLE_ENTITY,
            "EMPTY_BATCH",
            "批次中没有记录：records 至少包含一条记录。".into(),
        ));
    }
    let sub = intake::Submission {
        class_code: class,
        department_id: h.department_id,
        user_id: None,
        channel: "api",
    };
    // The batch commits with the audit row of its submission; checking follows.
    let created = async {
        let mut tx = state.db.begin().await?;
        let (id, public_id) = intake::insert(&mut tx, state, &sub, None).await?;
        event(h, "api.batch_submit", &public_id)
            .record(&mut tx, state)
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>((id, public_id))
    };
    let (id, public_id) = created.await?;
    let outcome = pipeline::check_rows(state, id, table.columns, table.rows).await?;
    if let pipeline::CheckOutcome::Failed(message) = outcome {
        return Err(ApiFailure::own(
            StatusCode::UNPROCESSABLE_ENTITY,
            "HDR_UNKNOWN",
            message,
        ));
    }
    batch_response(state, h, &public_id).await
}

/// A batch outside the key's unit or classes: answered as if it did not exist.
fn not_found() -> ApiFailure {
    AppError::NotFound("该批次".into()).into()
}

/// The internal id of a batch the key may see: its unit's, of a class the key covers.
async fn find_batch(
    state: &AppState,
    h: &api_keys::KeyHolder,
    public_id: &str,
) -> Result<i64, ApiFailure> {
    let row = sqlx::query(
        "SELECT b.id, c.code AS class FROM batches b JOIN data_classes c ON c.id = b.class_id \
         WHERE b.public_id = $1 AND b.department_id = $2",
    )
    .bind(public_id)
    .bind(h.department_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(not_found)?;
    let class: String = row.try_get("class")?;
    if !h.covers(&class) {
        return Err(not_found());
    }
    Ok(row.try_get("id")?)
}

async fn batch_response(
    state: &AppState,
    h: &api_keys::KeyHolder,
    public_id: &str,
) -> Result<BatchResponse, ApiFailure> {
    let pool = &state.db.pool;
    let row = sqlx::query(
        "SELECT b.id, b.status, c.code AS class, b.rows_total, b.rows_new, b.rows_update, b.rows_duplicate, \
         b.rows_faulty FROM batches b JOIN data_classes c ON c.id = b.class_id \
         WHERE b.public_id = $1 AND b.department_id = $2",
    )
    .bind(public_id)
    .bind(h.department_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(not_found)?;
    let class: String = row.try_get("class")?;
    if !h.covers(&class) {
        return Err(not_found());
    }
    let id: i64 = row.try_get("id")?;
    let read = |r: &sqlx::any::AnyRow| -> Result<FaultItem, sqlx::Error> {
        Ok(FaultItem {
            row: r.try_get("row_no")?,
            field: r.try_get("field_key")?,
            code: r.try_get("rule_code")?,
            level: r.try_get("level")?,
            message: r.try_get("message")?,
        })
    };
    let faults = sqlx::query(&format!(
        "SELECT row_no, field_key, rule_code, level, message FROM batch_faults WHERE batch_id = $1 \
         ORDER BY row_no, id LIMIT {MAX_FAULTS}"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(read)
    .collect::<Result<Vec<_>, _>>()?;
    let faults_total: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM batch_faults WHERE batch_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .and_then(|r| r.try_get("n"))?;
    let get = |k: &str| row.try_get::<i64, _>(k);
    Ok(BatchResponse {
        batch_id: public_id.into(),
        status: row.try_get("status")?,
        class,
        rows_total: get("rows_total")?,
        rows_new: get("rows_new")?,
        rows_update: get("rows_update")?,
        rows_duplicate: get("rows_duplicate")?,
        rows_faulty: get("rows_faulty")?,
        faults_total,
        faults,
    })
}

/// A batch of the key's unit and classes: status, counts and faults.
#[utoipa::path(
    get,
    path = "/api/v1/batches/{id}",
    tag = "batches",
    params(("id" = String, Path, description = "批次编号（提交时返回的 batch_id）")),
    responses(
        (status = 200, body = BatchResponse),
        (status = 401, body = ApiError),
        (status = 404, description = "批次不存在，或不属于本单位、本密钥的数据类别", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn get_batch(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Path(id): Path<String>,
) -> Result<Json<BatchResponse>, ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    Ok(Json(batch_response(&state, &h, &id).await?))
}

/// Publish a checked batch: all its clean records at once, or none.
#[utoipa::path(
    post,
    path = "/api/v1/batches/{id}/confirm",
    tag = "batches",
    params(("id" = String, Path, description = "批次编号")),
    responses(
        (status = 200, body = ConfirmResponse),
        (status = 401, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "批次不在待确认状态", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn confirm_batch(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Path(id): Path<String>,
) -> Result<Json<ConfirmResponse>, ApiFailure> {
    app::stats::service::usage::count(&state, app::stats::service::usage::Usage::DataApi);
    let batch_id = find_batch(&state, &h, &id).await?;
    let r = confirm::confirm(&state, batch_id, &h.actor()).await?;
    Ok(Json(ConfirmResponse {
        batch_id: id,
        published: r.published,
        updated: r.updated,
    }))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "batches", responses((status = 200, description = "OpenAPI 3.1 文档")))]
pub async fn openapi_json() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error body every handler answers is the one the OpenAPI document describes as `ApiError`.
    #[tokio::test]
    async fn errors_answer_the_documented_shape() {
        let cases = [
            AppError::field("file", "FILE_EMPTY", "请选择文件").into_response(),
            ApiFailure::own(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "无密钥".into())
                .into_response(),
        ];
        for res in cases {
            let status = res.status();
            let bearer = res.headers().get(header::WWW_AUTHENTICATE).cloned();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            let parsed: ApiError = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(serde_json::to_vec(&parsed).unwrap(), bytes.to_vec());
            assert_eq!(bearer.is_some(), status == StatusCode::UNAUTHORIZED);
        }
    }
}
