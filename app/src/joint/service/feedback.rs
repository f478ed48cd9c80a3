//! Feedback closes a check's loop (docs/domain.md §8): the handler says whether the measures were
//! applied, what came of the matter, and why not. A check with hits waits for it; once its due day
//! (working days by the holiday calendar) has passed, the hourly scan chases the department in the
//! console (a reminder, once per check) and raises an alarm to the credit office, which resolves itself
//! when the department has no late check left.
use super::super::check::{check_feedback, FeedbackInput};
use super::super::model::CheckMeasure;
use crate::error::AppError;
use crate::server::alarms::{self, Severity};
use crate::server::audit::Actor;
use crate::server::AppState;
use sqlx::Row;

pub const JOB: &str = "joint.feedback_due";
/// The longest feedback deadline the office may set.
pub const MAX_FEEDBACK_DAYS: u32 = 30;

/// The working days a handler has for feedback (checks made from now on).
pub async fn days(state: &AppState) -> Result<u32, AppError> {
    Ok(super::check::feedback_terms(state).await?.1)
}

/// Sets the working days for feedback; audited, in force for the checks made from then on.
pub async fn save_days(state: &AppState, by: &Actor, days: u32) -> Result<(), AppError> {
    crate::server::settings::save_days(
        state,
        by,
        super::check::FEEDBACK_DAYS,
        days,
        MAX_FEEDBACK_DAYS,
        &format!("反馈期限须在 1 至 {MAX_FEEDBACK_DAYS} 个工作日之间。"),
    )
    .await?;
    state.caches.feedback_terms.clear();
    Ok(())
}

fn alarm_key(department_id: i64) -> String {
    format!("joint.feedback_overdue:{department_id}")
}

/// Records feedback on the check `public_id` of `department_id` (the caller's scope was checked on
/// it). Refused when the check had no hits or was answered already.
pub async fn record(
    state: &AppState,
    by: &Actor,
    public_id: &str,
    input: &FeedbackInput,
) -> Result<(), AppError> {
    let row = sqlx::query(
        "SELECT id, department_id, hit_count, measures, feedback_at FROM joint_checks WHERE public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该核查记录".into()))?;
    if row.try_get::<i64, _>("hit_count")? == 0 {
        return Err(AppError::Conflict(
            "该次核查未命中任何名单，无需反馈。".into(),
        ));
    }
    if row.try_get::<Option<String>, _>("feedback_at")?.is_some() {
        return Err(AppError::Conflict("该次核查已反馈，不能重复反馈。".into()));
    }
    let offered: Vec<CheckMeasure> =
        serde_json::from_str(&row.try_get::<String, _>("measures")?).unwrap_or_default();
    let codes: Vec<String> = offered.into_iter().map(|m| m.code).collect();
    let f = check_feedback(input, &codes).map_err(AppError::Validation)?;
    let department_id: i64 = row.try_get("department_id")?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(
        "UPDATE joint_checks SET feedback_at = $2, feedback_by = $3, applied = $4, applied_measures = $5, \
         result = $6, reason = $7 WHERE public_id = $1 AND feedback_at IS NULL",
    )
    .bind(public_id)
    .bind(&now)
    .bind(&by.name)
    .bind(i64::from(f.applied))
    .bind(serde_json::to_string(&f.measures).unwrap_or_else(|_| "[]".into()))
    .bind(&f.result)
    .bind(&f.reason)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::Conflict("该次核查已反馈，不能重复反馈。".into()));
    }
    by.audit(
        &mut tx,
        state,
        "joint.check_feedback",
        Some(("joint_check", public_id)),
        serde_json::json!({ "applied": f.applied, "measures": f.measures, "result": f.result, "reason": f.reason }),
    )
    .await?;
    tx.commit().await?;
    if late_count(state, department_id).await? == 0 {
        alarms::resolve_key(
            &state.db,
            &state.clock,
            &alarm_key(department_id),
            "本部门逾期的核查均已反馈，自动解除。",
        )
        .await?;
    }
    Ok(())
}

/// The department's checks whose feedback is late today.
async fn late_count(state: &AppState, department_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM joint_checks WHERE department_id = $1 AND feedback_at IS NULL \
         AND feedback_due IS NOT NULL AND feedback_due < $2",
    )
    .bind(department_id)
    .bind(state.clock.today().iso())
    .fetch_one(&state.db.pool)
    .await?
    .try_get("n")?)
}

/// What a scan did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub chased: u64,
    pub alarms: u64,
}

/// Chases every late check once and raises one alarm per department with late checks.
pub async fn scan(state: &AppState) -> Result<ScanReport, AppError> {
    let today = state.clock.today().iso();
    let now = state.clock.now_text();
    let rows = sqlx::query(
        "SELECT j.id, j.public_id, j.department_id, j.checked_on, j.feedback_due, j.subject_shown, \
         m.name AS matter FROM joint_checks j JOIN matters m ON m.id = j.matter_id \
         WHERE j.feedback_at IS NULL AND j.feedback_due IS NOT NULL AND j.feedback_due < $1 \
         AND j.chased_at IS NULL ORDER BY j.id",
    )
    .bind(&today)
    .fetch_all(&state.db.pool)
    .await?;
    let mut report = ScanReport::default();
    for r in &rows {
        let public_id: String = r.try_get("public_id")?;
        let mut tx = state.db.begin().await?;
        sqlx::query(
            "INSERT INTO reminders (department_id, reminder_key, title, body, link, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (reminder_key) DO NOTHING",
        )
        .bind(r.try_get::<i64, _>("department_id")?)
        .bind(format!("joint.feedback:{public_id}"))
        .bind("联合奖惩核查反馈已逾期")
        .bind(format!(
            "{} 办理“{}”时核查“{}”命中名单，反馈期限为 {}，至今未反馈。请填写措施采取情况。",
            r.try_get::<String, _>("checked_on")?,
            r.try_get::<String, _>("matter")?,
            r.try_get::<String, _>("subject_shown")?,
            r.try_get::<String, _>("feedback_due")?,
        ))
        .bind(format!("/console/joint/checks/{public_id}"))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE joint_checks SET chased_at = $2 WHERE id = $1")
            .bind(r.try_get::<i64, _>("id")?)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        report.chased += 1;
    }
    let late = sqlx::query(
        "SELECT d.id, d.name, COUNT(*) AS n FROM joint_checks j JOIN departments d ON d.id = j.department_id \
         WHERE j.feedback_at IS NULL AND j.feedback_due IS NOT NULL AND j.feedback_due < $1 \
         GROUP BY d.id, d.name ORDER BY d.id",
    )
    .bind(&today)
    .fetch_all(&state.db.pool)
    .await?;
    for r in late {
        let n: i64 = r.try_get("n")?;
        alarms::raise(
            &state.db,
            &state.clock,
            &alarm_key(r.try_get("id")?),
            Severity::Warning,
            &format!("{}联合奖惩核查反馈逾期", r.try_get::<String, _>("name")?),
            &format!("{n} 条命中名单的核查超过反馈期限仍未反馈措施采取情况。"),
        )
        .await?;
        report.alarms += 1;
    }
    Ok(report)
}
