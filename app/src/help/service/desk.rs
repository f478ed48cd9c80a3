//! The staff desk: the consultation list with its filters and one consultation, both within the
//! caller's scope (a clerk sees what was routed to their unit; outside it a consultation does not
//! exist: 404).
use super::{minute, Stored, COLUMNS, FROM};
use crate::auth::policy::{may, Action, Scope};
use crate::error::AppError;
use crate::help::consult::{topic_label, Status};
use crate::help::model::{ConsultDetail, ConsultFilter, ConsultList, ConsultRow, DepartmentOption};
use crate::paging::Page;
use crate::server::authz::Caller;
use crate::server::db::sql::{clamp_page, PER_PAGE};
use crate::server::AppState;
use sqlx::Row;

/// The consultation `public_id` if the caller's scope reaches it.
pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<Stored, AppError> {
    let missing = || AppError::NotFound("该咨询".into());
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE c.public_id = $1"))
        .bind(public_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(missing)?;
    let s = Stored::from_row(&row)?;
    let inside = match caller.scope {
        Scope::All => true,
        Scope::OwnDepartment => {
            s.department_id.is_some() && s.department_id == caller.user.department_id
        }
        Scope::OwnCounty => false,
    };
    if inside {
        Ok(s)
    } else {
        Err(missing())
    }
}

/// Active units, for routing and the filter.
pub(crate) async fn departments(state: &AppState) -> Result<Vec<DepartmentOption>, AppError> {
    sqlx::query("SELECT public_id, name FROM departments WHERE active = 1 ORDER BY code")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(DepartmentOption {
                public_id: r.try_get("public_id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// Personal numbers in the asker's text are masked for staff too: they answer through the platform
/// and need no full ID or phone number (docs/domain.md §3.3).
async fn scrubber(state: &AppState) -> Result<impl Fn(&str) -> String, AppError> {
    let id_mask = crate::credit::service::policy(state).await?.id_mask;
    let today = state.clock.today();
    Ok(move |t: &str| crate::rules::pii::public_text(t, today, id_mask))
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ConsultFilter,
    page: i64,
) -> Result<ConsultList, AppError> {
    let page = clamp_page(page);
    let today = state.clock.today().iso();
    let mut clauses: Vec<String> = vec![];
    let mut binds: Vec<String> = vec![];
    let mut bind = |clauses: &mut Vec<String>, sql: &str, v: String| {
        binds.push(v);
        clauses.push(sql.replace("$n", &format!("${}", binds.len())));
    };
    match caller.scope {
        Scope::All => {}
        Scope::OwnDepartment => {
            // An integer from the session, not from the request.
            let dept = caller.user.department_id.unwrap_or(-1);
            clauses.push(format!("c.department_id = {dept}"));
        }
        Scope::OwnCounty => clauses.push("1 = 0".into()),
    }
    match f.status.as_str() {
        "open" => clauses.push("c.status IN ('new', 'routed')".into()),
        s => {
            if let Some(st) = Status::parse(s) {
                bind(&mut clauses, "c.status = $n", st.code().into());
            }
        }
    }
    if !f.department.is_empty() {
        bind(&mut clauses, "d.public_id = $n", f.department.clone());
    }
    if f.overdue == "1" {
        bind(
            &mut clauses,
            "c.status IN ('new', 'routed') AND c.due_on < $n",
            today.clone(),
        );
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
        "SELECT {COLUMNS} {FROM}{filter} \
         ORDER BY CASE WHEN c.status = 'answered' THEN 1 ELSE 0 END, c.due_on, c.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut rows = sqlx::query(&sql);
    for b in &binds {
        rows = rows.bind(b.clone());
    }
    let rows = rows.fetch_all(&state.db.pool).await?;
    let scrub = scrubber(state).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let s = Stored::from_row(r)?;
        let status = s.status();
        out.push(ConsultRow {
            excerpt: excerpt(&scrub(&s.question)),
            topic: topic_label(&s.topic).into(),
            status: status.code().into(),
            status_label: status.label().into(),
            overdue: status != Status::Answered && s.due_on < today,
            department: s.department_name,
            received_on: s.received_on,
            due_on: s.due_on,
            published: s.published,
            public_id: s.public_id,
        });
    }
    // A clerk's list is their own unit's: no department filter to offer.
    let departments = match caller.scope {
        Scope::All => departments(state).await?,
        _ => vec![],
    };
    Ok(ConsultList {
        page: Page {
            rows: out,
            total,
            page,
            per_page: PER_PAGE,
        },
        departments,
        answer_days: super::due::answer_days(state).await?,
    })
}

pub async fn detail(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<ConsultDetail, AppError> {
    let s = load(state, caller, public_id).await?;
    let status = s.status();
    let today = state.clock.today().iso();
    let (public_question, public_answer) = if s.published {
        (
            s.public_question.clone().unwrap_or_default(),
            s.public_answer.clone().unwrap_or_default(),
        )
    } else {
        super::moves::proposals(state, &s).await?
    };
    let departments = if may(&caller.user.roles, Action::ConsultRoute) {
        departments(state).await?
    } else {
        vec![]
    };
    Ok(ConsultDetail {
        public_id: s.public_id.clone(),
        tracking_code: s.tracking_code.clone(),
        topic: topic_label(&s.topic).into(),
        question: scrubber(state).await?(&s.question),
        asker_name: s.asker_name.clone(),
        contact_masked: s.contact_masked.clone(),
        consent_publish: s.consent_publish,
        status: status.code().into(),
        status_label: status.label().into(),
        department: s
            .department_public_id
            .clone()
            .zip(s.department_name.clone())
            .map(|(public_id, name)| DepartmentOption { public_id, name }),
        overdue: status != Status::Answered && s.due_on < today,
        received_on: s.received_on.clone(),
        due_on: s.due_on.clone(),
        routed_at: minute(&s.routed_at),
        routed_by: s.routed_by.clone(),
        answer: s.answer.clone(),
        answered_at: minute(&s.answered_at),
        answered_by: s.answered_by.clone(),
        published: s.published,
        published_at: minute(&s.published_at),
        public_question,
        public_answer,
        departments,
    })
}
