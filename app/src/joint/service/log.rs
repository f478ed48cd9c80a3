//! The check log (docs/domain.md §8): every check in the caller's scope, newest first, with its
//! feedback state; and the matters a caller may check for.
use super::super::model::{CheckFilter, CheckLog, CheckLogRow, MatterChoice};
use crate::collect::service::batches::unit_scope_clause;
use crate::error::AppError;
use crate::rules::date::beijing_minute;
use crate::server::authz::Caller;
use crate::server::listing::{unit_and_words, units};
use crate::server::AppState;
use sqlx::Row;

const PER_PAGE: i64 = 30;

/// A check's feedback state as SQL (`j` is the check, `$today` the bound day), matching `CheckLogRow::state`.
fn state_sql(today: &str) -> String {
    format!(
        "CASE WHEN j.hit_count = 0 THEN 'none' WHEN j.feedback_at IS NOT NULL AND j.applied = 1 THEN 'applied' \
         WHEN j.feedback_at IS NOT NULL THEN 'not_applied' WHEN j.feedback_due < {today} THEN 'overdue' \
         ELSE 'awaiting' END"
    )
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &CheckFilter,
    page: i64,
) -> Result<CheckLog, AppError> {
    let page = page.clamp(1, 10_000);
    let mut binds: Vec<String> = vec![state.clock.today().iso()];
    let (scope, bound) = unit_scope_clause(caller, 2, "j.department_id");
    binds.extend(bound);
    let st = state_sql("$1");
    let mut filter = format!(" WHERE 1 = 1{scope}");
    unit_and_words(
        &mut binds,
        &mut filter,
        &f.unit,
        &f.q,
        &["m.code", "m.name", "j.subject_shown", "j.subject_name"],
    );
    let base_filter = filter.clone();
    let base_binds = binds.clone();
    if !f.state.is_empty() {
        binds.push(f.state.clone());
        filter.push_str(&format!(" AND {st} = ${}", binds.len()));
    }
    let from = "FROM joint_checks j JOIN matters m ON m.id = j.matter_id JOIN departments d ON d.id = j.department_id";
    let run_count = |sql: String, binds: Vec<String>| async move {
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        Ok::<i64, AppError>(q.fetch_one(&state.db.pool).await?.try_get("n")?)
    };
    let total = run_count(
        format!("SELECT COUNT(*) AS n {from}{filter}"),
        binds.clone(),
    )
    .await?;
    let awaiting = run_count(
        format!("SELECT COUNT(*) AS n {from}{base_filter} AND {st} IN ('awaiting', 'overdue')"),
        base_binds.clone(),
    )
    .await?;
    let overdue = run_count(
        format!("SELECT COUNT(*) AS n {from}{base_filter} AND {st} = 'overdue'"),
        base_binds,
    )
    .await?;
    let sql = format!(
        "SELECT j.public_id, j.checked_at, d.name AS department, m.name AS matter, j.subject_shown, \
         j.subject_name, j.checked_by, j.channel, j.hit_count, {st} AS state {from}{filter} \
         ORDER BY j.checked_at DESC, j.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b.clone());
    }
    let mut rows = vec![];
    for r in query.fetch_all(&state.db.pool).await? {
        let shown: String = r.try_get("subject_shown")?;
        let name: String = r.try_get("subject_name")?;
        rows.push(CheckLogRow {
            public_id: r.try_get("public_id")?,
            checked_at: beijing_minute(&r.try_get::<String, _>("checked_at")?),
            department: r.try_get("department")?,
            matter: r.try_get("matter")?,
            subject_shown: if name.is_empty() || name == shown {
                shown
            } else {
                format!("{shown}（{name}）")
            },
            checked_by: r.try_get("checked_by")?,
            channel: r.try_get("channel")?,
            hit_count: r.try_get("hit_count")?,
            state: r.try_get("state")?,
        });
    }
    Ok(CheckLog {
        rows,
        total,
        page,
        per_page: PER_PAGE,
        units: units(state, caller).await?,
        awaiting,
        overdue,
    })
}

/// The active matters the caller may check for.
pub async fn matter_choices(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<MatterChoice>, AppError> {
    let (scope, bound) = unit_scope_clause(caller, 1, "m.department_id");
    let sql = format!(
        "SELECT m.code, m.name, d.name AS department FROM matters m JOIN departments d ON d.id = m.department_id \
         WHERE m.active = 1{scope} ORDER BY d.code, m.code"
    );
    let mut q = sqlx::query(&sql);
    if let Some(b) = bound {
        q = q.bind(b);
    }
    q.fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(MatterChoice {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                department: r.try_get("department")?,
            })
        })
        .collect()
}
