//! 联合奖惩 checks for service systems (`POST /api/v1/checks`, docs/domain.md §8): a key of the unit
//! with the `check` scope checks a subject for one of the unit's matters and records the feedback. The
//! same service as the console's check (`app::joint::service::check`).
use super::super::api_gate::InCheckLog;
use super::super::extract::{ApiJson, ApiKey};
use super::{require_check_scope, ApiError, ApiFailure};
use app::error::AppError;
use app::joint::check::{parse_subject, FeedbackInput, SubjectKind};
use app::joint::model::{CheckHit, CheckMeasure};
use app::joint::service::{check, feedback};
use app::server::AppState;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A subject to check for a matter.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"matter": "XXSCJG-001", "subject": "吉首一诺建材有限公司"}))]
pub struct CheckRequest {
    /// The matter's code (办理事项编码), one of the key's unit.
    pub matter: String,
    /// A unified social credit code, a resident ID number or an organisation's name.
    pub subject: String,
    /// `auto` (default: read from the text), `uscc`, `id_number` or `name`.
    #[serde(default)]
    pub subject_kind: Option<String>,
}

/// A list entry in force on the check's day.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct HitItem {
    /// `red`, `black` or `watch`.
    pub list: String,
    pub list_label: String,
    pub subject_name: String,
    pub authority: String,
    pub basis: String,
    /// `YYYY-MM-DD`.
    pub listed_on: String,
    /// `YYYY-MM-DD`, empty while open-ended.
    pub removed_on: String,
}

/// A measure to apply for the matter (a reward for a red-list hit, a sanction otherwise).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MeasureItem {
    pub code: String,
    /// `reward` or `sanction`.
    pub kind: String,
    /// The list (`red`, `black`, `watch`) whose entry calls for it.
    pub list: String,
    pub content: String,
    pub basis: String,
    pub agency: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CheckResponse {
    /// Quote it in the feedback.
    pub check_id: String,
    pub matter: String,
    /// The subject as logged (an ID number masked) and the registered subject's name, if one matched.
    pub subject: String,
    pub subject_name: String,
    /// `YYYY-MM-DD` (China time).
    pub checked_on: String,
    pub hits: Vec<HitItem>,
    pub measures: Vec<MeasureItem>,
    /// The last day for feedback (`YYYY-MM-DD`); null when nothing was hit.
    pub feedback_due: Option<String>,
}

/// What the handler did about the hits.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct FeedbackRequest {
    pub applied: bool,
    /// Codes of the measures applied (of those the check answered).
    #[serde(default)]
    pub measures: Vec<String>,
    pub result: String,
    /// Required when `applied` is false.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct FeedbackResponse {
    pub check_id: String,
    pub recorded: bool,
}

fn hit_item(h: CheckHit) -> HitItem {
    HitItem {
        list: h.list,
        list_label: h.list_label,
        subject_name: h.subject_name,
        authority: h.authority,
        basis: h.basis,
        listed_on: h.listed_on,
        removed_on: h.removed_on,
    }
}

fn measure_item(m: CheckMeasure) -> MeasureItem {
    MeasureItem {
        code: m.code,
        kind: m.kind,
        list: m.list,
        content: m.content,
        basis: m.basis,
        agency: m.agency,
    }
}

/// Check a subject against the red, black and watch lists for a matter.
#[utoipa::path(
    post,
    path = "/api/v1/checks",
    tag = "checks",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "核查完成；命中的名单与应采取的措施", body = CheckResponse),
        (status = 401, description = "缺少或无效的密钥（UNAUTHORIZED）", body = ApiError),
        (status = 403, description = "密钥没有 check 权限（SCOPE_MISSING），或事项不属于本单位（MATTER_OTHER_DEPARTMENT）", body = ApiError),
        (status = 404, description = "事项不存在或已停用（MATTER_UNKNOWN）", body = ApiError),
        (status = 422, description = "请求体不合法（VALIDATION，字段代码 BAD_JSON），或核查对象有误（VALIDATION，字段代码如 USCC_CHECK_CHAR、RID_CHECK_CHAR）", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn run(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<(Extension<InCheckLog>, Json<CheckResponse>), ApiFailure> {
    require_check_scope(&h)?;
    let matter = check::matter_by_code(&state, &req.matter)
        .await?
        .ok_or_else(|| {
            ApiFailure::own(
                StatusCode::NOT_FOUND,
                "MATTER_UNKNOWN",
                format!(
                    "事项编码“{}”不存在或已停用：请使用信用办登记的办理事项编码。",
                    req.matter.trim()
                ),
            )
        })?;
    if matter.department_id != h.department_id {
        return Err(ApiFailure::own(
            StatusCode::FORBIDDEN,
            "MATTER_OTHER_DEPARTMENT",
            format!(
                "事项“{}”不属于本密钥所属单位：只能核查本单位的办理事项。",
                matter.code
            ),
        ));
    }
    let kind = SubjectKind::parse(req.subject_kind.as_deref().unwrap_or("")).ok_or_else(|| {
        AppError::field(
            "subject_kind",
            "KIND_UNKNOWN",
            "subject_kind 只能是 auto、uscc、id_number 或 name。",
        )
    })?;
    let subject = parse_subject(&req.subject, kind, state.clock.today())
        .map_err(|e| AppError::Validation(vec![e]))?;
    let by = check::Checker {
        channel: "api",
        user_id: None,
        key_id: Some(h.key_id),
        batch_id: None,
        name: format!("apikey:{}", h.prefix),
    };
    let v = check::run(&state, &by, &matter, &subject).await?;
    // The check log holds this request's line: the access log reads it there.
    Ok((
        Extension(InCheckLog),
        Json(CheckResponse {
            check_id: v.public_id,
            matter: v.matter_code,
            subject: v.subject_shown,
            subject_name: v.subject_name,
            checked_on: v.checked_on,
            hits: v.hits.into_iter().map(hit_item).collect(),
            measures: v.measures.into_iter().map(measure_item).collect(),
            feedback_due: v.feedback_due,
        }),
    ))
}

/// Record what was done about a check's hits.
#[utoipa::path(
    post,
    path = "/api/v1/checks/{id}/feedback",
    tag = "checks",
    params(("id" = String, Path, description = "核查编号（check_id）")),
    request_body = FeedbackRequest,
    responses(
        (status = 200, body = FeedbackResponse),
        (status = 401, body = ApiError),
        (status = 403, description = "密钥没有 check 权限（SCOPE_MISSING）", body = ApiError),
        (status = 404, description = "核查记录不存在或不属于本单位（NOT_FOUND）", body = ApiError),
        (status = 409, description = "未命中名单无需反馈，或已反馈（CONFLICT）", body = ApiError),
        (status = 422, description = "反馈内容不完整（VALIDATION，字段代码如 RESULT_REQUIRED、REASON_REQUIRED）", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn give_feedback(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<FeedbackRequest>,
) -> Result<Json<FeedbackResponse>, ApiFailure> {
    require_check_scope(&h)?;
    let (unit, _, _) = check::get(&state, &id).await?;
    if unit != h.department_id {
        return Err(AppError::NotFound("该核查记录".into()).into());
    }
    let input = FeedbackInput {
        applied: req.applied,
        measures: req.measures,
        result: req.result,
        reason: req.reason,
    };
    feedback::record(&state, &h.actor(), &id, &input).await?;
    Ok(Json(FeedbackResponse {
        check_id: id,
        recorded: true,
    }))
}
