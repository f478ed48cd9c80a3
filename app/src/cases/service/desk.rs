//! The staff desk: the case list (filters by kind, state and unit; open cases first, the most urgent
//! first) and one case with its history, materials and the moves the caller may make, within the
//! caller's scope (a clerk: cases on its unit's records; a county user: its county's; the office: all).
use super::super::flow::{By, Kind};
use super::super::model::{
    CaseDetail, CaseFilter, CaseList, CaseRow, FileView, MoveOption, StepView,
};
use super::{load, Stored, COLUMNS, FROM};
use crate::auth::policy::{may, Scope};
use crate::error::AppError;
use crate::help::consult::Deadline;
use crate::rules::date::beijing_minute;
use crate::rules::workdays::Calendar;
use crate::server::authz::Caller;
use crate::server::db::sql::{clamp_page, PER_PAGE};
use crate::server::{calendar, AppState};
use sqlx::Row;

/// in_time | due_soon | overdue | paused | closed
pub(crate) fn standing(s: &Stored, cal: &Calendar, today: crate::rules::date::Ymd) -> &'static str {
    if s.closed() {
        return "closed";
    }
    if s.clock.paused_since.is_some() {
        return "paused";
    }
    match s.clock.standing(cal, today) {
        Some(Deadline::Overdue) => "overdue",
        Some(Deadline::DueSoon) => "due_soon",
        _ => "in_time",
    }
}

pub(crate) fn row(s: &Stored, cal: &Calendar, today: crate::rules::date::Ymd) -> CaseRow {
    let flow = s.kind.flow();
    CaseRow {
        public_id: s.public_id.clone(),
        tracking_code: s.tracking_code.clone(),
        kind: s.kind.code().into(),
        kind_label: s.kind.label().into(),
        state: s.state.clone(),
        state_label: flow.state_label(&s.state).into(),
        subject_name: s.subject_name.clone(),
        department: s.department_name.clone(),
        submitted_on: s.submitted_on.clone(),
        next_due: s.clock.next_due().map(|d| d.iso()),
        standing: standing(s, cal, today).into(),
    }
}

/// Active units (public id, name), for the filter and for moves that send a case to a unit.
async fn units(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query("SELECT public_id, name FROM departments WHERE active = 1 ORDER BY code")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("public_id")?, r.try_get("name")?)))
        .collect()
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &CaseFilter,
    page: i64,
) -> Result<CaseList, AppError> {
    let page = clamp_page(page);
    let mut clauses: Vec<String> = vec![];
    let mut binds: Vec<String> = vec![];
    match caller.scope {
        Scope::All => {}
        // Integers and codes from the session, not from the request; still bound.
        Scope::OwnDepartment => clauses.push(format!(
            "c.department_id = {}",
            caller.user.department_id.unwrap_or(-1)
        )),
        Scope::OwnCounty => {
            binds.push(caller.user.county_code.clone().unwrap_or_default());
            clauses.push(format!("c.county_code = ${}", binds.len()));
        }
    }
    if let Some(k) = Kind::parse(&f.kind) {
        binds.push(k.code().into());
        clauses.push(format!("c.kind = ${}", binds.len()));
    }
    match f.state.as_str() {
        "" => {}
        "open" => clauses.push("c.closed_at IS NULL".into()),
        st => {
            binds.push(st.into());
            clauses.push(format!("c.state = ${}", binds.len()));
        }
    }
    if !f.unit.is_empty() {
        binds.push(f.unit.clone());
        clauses.push(format!("d.public_id = ${}", binds.len()));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    let count_sql = format!("SELECT COUNT(*) AS n {FROM}{filter}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b.clone());
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let sql = format!(
        "SELECT {COLUMNS} {FROM}{filter} ORDER BY CASE WHEN c.closed_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN c.paused_since IS NULL THEN 0 ELSE 1 END, \
         COALESCE(c.step_due_on, c.result_due_on, '9999-12-31'), c.result_due_on, c.id DESC \
         LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let rows = q
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Stored::from_row(r).map(|s| row(&s, &cal, today)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CaseList {
        rows,
        total,
        page,
        per_page: PER_PAGE,
        units: match caller.scope {
            Scope::All => units(state).await?,
            _ => vec![],
        },
    })
}

pub(crate) async fn steps(
    state: &AppState,
    case_id: i64,
    kind: Kind,
) -> Result<Vec<StepView>, AppError> {
    let flow = kind.flow();
    sqlx::query(
        "SELECT move, to_state, actor_name, body, at FROM case_steps WHERE case_id = $1 AND public = 1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.try_get("move")?;
        let to: String = r.try_get("to_state")?;
        Ok(StepView {
            at: beijing_minute(&r.try_get::<String, _>("at")?),
            label: flow.find(&code).map_or("提交申请", |m| m.label).into(),
            actor: r.try_get("actor_name")?,
            to_label: flow.state_label(&to).into(),
            text: r.try_get("body")?,
        })
    })
    .collect()
}

async fn files(state: &AppState, case_id: i64) -> Result<Vec<FileView>, AppError> {
    sqlx::query(
        "SELECT purpose, file_name, original_name, size_bytes FROM case_files WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let purpose: String = r.try_get("purpose")?;
        let file: String = r.try_get("file_name")?;
        Ok(FileView {
            purpose_label: match purpose.as_str() {
                "authorisation" => "授权委托材料",
                "supplement" => "补正材料",
                _ => "履行义务证明",
            }
            .into(),
            name: r.try_get("original_name")?,
            size: r.try_get("size_bytes")?,
            href: format!("/files/{file}"),
        })
    })
    .collect()
}

pub async fn detail(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<CaseDetail, AppError> {
    let s = load(state, caller, public_id).await?;
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let moves: Vec<MoveOption> = s
        .kind
        .flow()
        .moves_from(&s.state)
        .filter(|m| match m.by {
            By::Staff(a) => may(&caller.user.roles, a),
            By::Applicant => false,
        })
        .filter(|m| !(m.code == "extend" && s.clock.extended))
        .map(|m| MoveOption {
            code: m.code.into(),
            label: m.label.into(),
            needs_text: m.needs_text,
            picks_unit: m.picks_unit,
        })
        .collect();
    let units = if moves.iter().any(|m| m.picks_unit) {
        units(state).await?
    } else {
        vec![]
    };
    let iso = |d: Option<crate::rules::date::Ymd>| d.map(|d| d.iso());
    Ok(CaseDetail {
        row: row(&s, &cal, today),
        record_kind: s.record_kind.clone(),
        record_public_id: s.record_public_id.clone(),
        subject_uscc: s.subject_uscc.clone(),
        applicant_name: s.applicant_name.clone(),
        contact_masked: s.contact_masked.clone(),
        by_agent: s.by_agent,
        commitment: s.detail_text("commitment"),
        certificate_no: s.detail_text("certificate_no"),
        step_due_on: iso(s.clock.step_due_on),
        result_due_on: iso(s.clock.result_due_on),
        paused_since: iso(s.clock.paused_since),
        paused_days: i64::from(s.clock.paused_days),
        extended: s.clock.extended,
        extend_reason: s.extend_reason.clone(),
        steps: steps(state, s.id, s.kind).await?,
        files: files(state, s.id).await?,
        moves,
        units,
    })
}
