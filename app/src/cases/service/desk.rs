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

/// The caller's scope over cases as a condition on `c` (none for the office); codes are bound.
pub(crate) fn scope_clause(caller: &Caller, binds: &mut Vec<String>) -> Option<String> {
    match caller.scope {
        Scope::All => None,
        // Integers and codes from the session, not from the request; still bound.
        Scope::OwnDepartment => Some(format!(
            "c.department_id = {}",
            caller.user.department_id.unwrap_or(-1)
        )),
        Scope::OwnCounty => {
            binds.push(caller.user.county_code.clone().unwrap_or_default());
            Some(format!("c.county_code = ${}", binds.len()))
        }
    }
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
    clauses.extend(scope_clause(caller, &mut binds));
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

/// Where staff download a case's material: a scoped route, never the public `/files/` (an
/// applicant's proofs are not published content).
pub const MATERIAL_PATH: &str = "/case-files/{case}/{file}";

fn material_href(case: &str, file: &str) -> String {
    format!("/case-files/{case}/{file}")
}

/// A material of a case the caller may see (audited: it is the applicant's personal data): its
/// stored name and the applicant's file name.
pub async fn material(
    state: &AppState,
    caller: &Caller,
    case_public_id: &str,
    file_public_id: &str,
) -> Result<(String, String), AppError> {
    let s = load(state, caller, case_public_id).await?;
    let r = sqlx::query(
        "SELECT file_name, original_name FROM case_files WHERE case_id = $1 AND public_id = $2",
    )
    .bind(s.id)
    .bind(file_public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该材料".into()))?;
    let mut conn = state.db.pool.acquire().await?;
    caller
        .audit(
            &mut conn,
            state,
            "cases.material_download",
            Some(("case", &s.public_id)),
            serde_json::json!({ "file": file_public_id }),
        )
        .await?;
    Ok((r.try_get("file_name")?, r.try_get("original_name")?))
}

async fn files(state: &AppState, case_id: i64) -> Result<Vec<FileView>, AppError> {
    sqlx::query(
        "SELECT c.public_id AS case_id, f.public_id, f.purpose, f.original_name, f.size_bytes \
         FROM case_files f JOIN cases c ON c.id = f.case_id WHERE f.case_id = $1 ORDER BY f.id",
    )
    .bind(case_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        let purpose: String = r.try_get("purpose")?;
        let case: String = r.try_get("case_id")?;
        let file: String = r.try_get("public_id")?;
        Ok(FileView {
            purpose_label: match purpose.as_str() {
                "authorisation" => "授权委托材料",
                "supplement" => "补正材料",
                _ => "履行义务证明",
            }
            .into(),
            name: r.try_get("original_name")?,
            size: r.try_get("size_bytes")?,
            href: material_href(&case, &file),
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
        channel_label: super::super::intake::channel_label(&s.channel).into(),
        ground_label: super::super::intake::ground_label(&s.detail_text("ground")).into(),
        description: s.detail_text("description"),
        record_suspended: super::suspend::suspended(state, &s).await?,
        can_suspend: s.kind == Kind::Objection
            && !s.closed()
            && super::suspend::table(&s.record_kind).is_some()
            && may(&caller.user.roles, crate::auth::policy::Action::CaseAssign),
        correct_href: correct_href(&s),
    })
}

/// Where the unit corrects an objection's record once it agrees (verifying or replying): the
/// collection pipeline's form for the record's class, which writes the correction as a new version.
fn correct_href(s: &Stored) -> Option<String> {
    (s.kind == Kind::Objection
        && matches!(s.state.as_str(), "verifying" | "replying")
        && super::suspend::table(&s.record_kind).is_some())
    .then(|| format!("/console/collect/form?class={}", s.record_kind))
}
