//! A move on a case (`flow::Move`), made by staff or by the applicant, in one transaction with its
//! history line, its clock and its audit line. A repair approval also takes the record off public view
//! in the same transaction: marked repaired, a new version (`record_versions`, action `repair`, for the
//! push to the province), the portal caches bumped (docs/domain.md §10).
use super::super::flow::{By, ClockEffect, Move, Refusal};
use super::{add_step, alarm_keys, load, save_clock, Stored};
use crate::collect::service::confirm::{insert_version, Change};
use crate::error::AppError;
use crate::server::alarms;
use crate::server::audit::Actor;
use crate::server::authz::Caller;
use crate::server::{calendar, AppState};
use sqlx::{AnyConnection, Row};

/// The longest text of a move.
pub const MAX_TEXT: usize = 2000;

fn refused(r: &Refusal) -> AppError {
    match r {
        Refusal::TextRequired => AppError::field("text", "TEXT_REQUIRED", r.message()),
        _ => AppError::Conflict(r.message().into()),
    }
}

/// The staff's move `code` on a case, with its text and (for a move that sends the case to a unit)
/// the unit's public id.
pub async fn make(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    code: &str,
    text: &str,
    unit: &str,
) -> Result<(), AppError> {
    let s = load(state, caller, public_id).await?;
    let text = text.trim();
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::field(
            "text",
            "TEXT_TOO_LONG",
            "说明不能超过 2000 字。",
        ));
    }
    // The move's own permission and its scope over this case first, then the state.
    let flow = s.kind.flow();
    let by = flow
        .find(code)
        .map(|m| m.by)
        .ok_or_else(|| refused(&Refusal::UnknownMove))?;
    let By::Staff(action) = by else {
        return Err(AppError::Forbidden);
    };
    let mover = caller.clone().require(action)?;
    mover.check_unit(s.department_id, s.county_code.as_deref())?;
    let m = super::super::flow::check(flow, &s.state, code, text, s.clock.extended)
        .map_err(|r| refused(&r))?;
    let department = if m.picks_unit {
        Some(pick_unit(state, &s, m, unit).await?)
    } else {
        s.department_id
    };
    commit(
        state,
        &s,
        m,
        text,
        &mover.actor(),
        &mover.user.display_name,
        department,
        &[],
    )
    .await
}

/// The unit a move sends the case to: the one chosen, or (first assignment) the record's source unit.
async fn pick_unit(state: &AppState, s: &Stored, m: &Move, unit: &str) -> Result<i64, AppError> {
    if unit.trim().is_empty() {
        return match (m.code, s.department_id) {
            ("hand_off", _) | (_, None) => {
                Err(AppError::field("unit", "UNIT_MISSING", "请选择承办单位。"))
            }
            (_, Some(d)) => Ok(d),
        };
    }
    let id: i64 = sqlx::query("SELECT id FROM departments WHERE public_id = $1 AND active = 1")
        .bind(unit.trim())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::field("unit", "UNIT_MISSING", "请选择承办单位。"))?
        .try_get("id")?;
    if m.code == "hand_off" && Some(id) == s.department_id {
        return Err(AppError::field(
            "unit",
            "SAME_UNIT",
            "转办须选择另一个单位。",
        ));
    }
    Ok(id)
}

/// Writes a move: state, unit, clock, history line, the repair itself, audit; then the case's alarms
/// are resolved once it is closed or no longer late.
#[allow(clippy::too_many_arguments)] // one move's parts, named at the call (like `add_step`)
pub(crate) async fn commit(
    state: &AppState,
    s: &Stored,
    m: &Move,
    text: &str,
    actor: &Actor,
    actor_name: &str,
    department: Option<i64>,
    files: &[(&'static str, crate::portal::model::Attachment)],
) -> Result<(), AppError> {
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let clock = s.clock.after(
        m.clock,
        s.kind,
        &cal,
        today,
        &super::deadlines(state).await?,
    );
    let closed = s.kind.flow().state(m.to).is_some_and(|st| st.closed);
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let moved = sqlx::query(
        "UPDATE cases SET state = $1, department_id = $2, closed_at = $3, updated_at = $4, \
         closed_on = $7, closed_due_on = $8 WHERE id = $5 AND state = $6",
    )
    .bind(m.to)
    .bind(department)
    .bind(closed.then(|| now.clone()))
    .bind(&now)
    .bind(s.id)
    .bind(&s.state)
    // The day it closed and the deadline it had to keep then, for the on-time rate (the clock
    // forgets its dates on closing).
    .bind(closed.then(|| today.iso()))
    .bind(
        closed
            .then(|| s.clock.next_due().map(|d| d.iso()))
            .flatten(),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(AppError::Conflict(Refusal::WrongState.message().into()));
    }
    if m.clock == ClockEffect::Extend {
        sqlx::query("UPDATE cases SET extend_reason = $1 WHERE id = $2")
            .bind(text)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
    }
    save_clock(&mut tx, s.id, &clock, &now).await?;
    let step = add_step(
        &mut tx,
        s.id,
        m.code,
        Some(&s.state),
        m.to,
        (actor.user_id, actor_name),
        text,
        department,
        &now,
    )
    .await?;
    super::materials::attach(&mut tx, s.id, step, files, &now).await?;
    if s.kind == super::super::flow::Kind::Repair && m.code == "approve" {
        repair_record(&mut tx, s, actor, text, &now).await?;
    }
    if s.kind == super::super::flow::Kind::Objection && closed {
        super::suspend::clear(&mut tx, s).await?;
    }
    actor
        .audit(
            &mut tx,
            state,
            &format!("cases.{}.{}", s.kind.code(), m.code),
            Some(("case", &s.public_id)),
            serde_json::json!({ "from": s.state, "to": m.to, "due": clock.next_due().map(|d| d.iso()) }),
        )
        .await?;
    tx.commit().await?;
    if s.kind == super::super::flow::Kind::Repair && m.code == "approve" {
        confirm_commitment(state, s, actor).await;
    }
    super::super::notice::on_move(state, s, m, text).await;
    if closed || m.clock != ClockEffect::Keep {
        for key in alarm_keys(&s.public_id) {
            alarms::resolve_key(&state.db, &state.clock, &key, "案件已办理，自动解除。").await?;
        }
    }
    Ok(())
}

/// The approved repair's commitment is published in the commitments register once its batch has been
/// checked; otherwise it waits for the unit in its 数据报送 list. The approval has committed already, so
/// a failure here is logged, not answered.
async fn confirm_commitment(state: &AppState, s: &Stored, actor: &Actor) {
    let batch = s.detail_text("commitment_batch");
    if batch.is_empty() {
        return;
    }
    if let Err(e) = crate::commitments::service::repair::confirm_checked(state, &batch, actor).await
    {
        tracing::warn!(case = %s.public_id, error = %e, "repair commitment not published");
    }
}

/// The approved repair: the penalty leaves public view at once, as a new version of the record.
async fn repair_record(
    conn: &mut AnyConnection,
    s: &Stored,
    actor: &Actor,
    text: &str,
    now: &str,
) -> Result<(), AppError> {
    let version: i64 = sqlx::query(
        "UPDATE penalties SET repaired = 1, repaired_at = $2, version = version + 1, updated_at = $2 \
         WHERE id = $1 AND repaired = 0 RETURNING version",
    )
    .bind(s.record_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::Conflict("该处罚信息已修复。".into()))?
    .try_get("version")?;
    let reason = if text.is_empty() {
        format!("信用修复（查询码 {}）", s.tracking_code)
    } else {
        format!("信用修复（查询码 {}）：{text}", s.tracking_code)
    };
    let change = Change {
        field: "repaired".into(),
        label: "修复状态".into(),
        from: "未修复".into(),
        to: "已修复".into(),
    };
    insert_version(
        conn,
        &s.record_kind,
        s.record_id,
        version,
        "repair",
        None,
        actor,
        &reason,
        &[change],
        now,
    )
    .await?;
    crate::server::cache::bump(conn, "portal").await
}
