//! The facts of the case statistics, within the caller's scope like the desk (a clerk: its unit's
//! cases; a county user: its county's; the office: all), filtered by kind and submission dates.
use super::super::flow::Kind;
use super::super::stats::{summarise, CaseStats, Fact, StatsFilter};
use super::desk::scope_clause;
use crate::error::AppError;
use crate::rules::date::{filter_day, Ymd};
use crate::server::authz::Caller;
use crate::server::{calendar, AppState};
use sqlx::Row;

/// The filter's dates, checked (an unreadable date is a field error, not an empty page).
pub async fn stats(
    state: &AppState,
    caller: &Caller,
    f: &StatsFilter,
) -> Result<CaseStats, AppError> {
    let mut binds: Vec<String> = vec![];
    let mut clauses: Vec<String> = scope_clause(caller, &mut binds).into_iter().collect();
    if let Some(k) = Kind::parse(&f.kind) {
        binds.push(k.code().into());
        clauses.push(format!("c.kind = ${}", binds.len()));
    }
    if let Some(d) = filter_day("from", &f.from)? {
        binds.push(d.iso());
        clauses.push(format!("c.submitted_on >= ${}", binds.len()));
    }
    if let Some(d) = filter_day("to", &f.to)? {
        binds.push(d.iso());
        clauses.push(format!("c.submitted_on <= ${}", binds.len()));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT c.kind, c.state, d.name AS unit, c.submitted_on, c.closed_on, c.closed_due_on \
         FROM cases c LEFT JOIN departments d ON d.id = c.department_id{filter} ORDER BY c.id"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let day = |v: Option<String>| v.as_deref().and_then(Ymd::parse_iso);
    let mut facts = vec![];
    for r in q.fetch_all(&state.db.pool).await? {
        let kind: String = r.try_get("kind")?;
        let Some(kind) = Kind::parse(&kind) else {
            continue;
        };
        let Some(submitted_on) = day(r.try_get("submitted_on")?) else {
            continue;
        };
        facts.push(Fact {
            kind,
            state: r.try_get("state")?,
            unit: r.try_get("unit")?,
            submitted_on,
            closed_on: day(r.try_get("closed_on")?),
            closed_due_on: day(r.try_get("closed_due_on")?),
        });
    }
    let cal = calendar::load(&state.db).await?;
    Ok(summarise(&facts, &cal))
}
