//! The credit office's 联合奖惩 statistics (docs/domain.md §8): the check log counted per department,
//! matter and month in one grouped query, and the 应查必查 view.
use super::super::stats::{
    summarise, Cell, IdleUnit, JointStats, JointStatsFilter, UncheckedMatter,
};
use crate::error::AppError;
use crate::rules::date::{filter_day, Ymd};
use crate::server::db::Backend;
use crate::server::AppState;
use sqlx::Row;

/// Active matters that have a measure in use (`m` is the matter).
const WITH_MEASURES: &str =
    "m.active = 1 AND EXISTS (SELECT 1 FROM matter_measures mm JOIN measures ms \
     ON ms.id = mm.measure_id WHERE mm.matter_id = m.id AND ms.retired_at IS NULL)";

fn measures_applied(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "COALESCE(json_array_length(j.applied_measures), 0)",
        Backend::Postgres => "COALESCE(jsonb_array_length(CAST(j.applied_measures AS jsonb)), 0)",
    }
}

pub async fn stats(state: &AppState, f: &JointStatsFilter) -> Result<JointStats, AppError> {
    let today = state.clock.today();
    let from = filter_day("from", &f.from)?.unwrap_or(Ymd {
        year: today.year,
        month: 1,
        day: 1,
    });
    let to = filter_day("to", &f.to)?.unwrap_or(today);
    let (from, to) = (from.iso(), to.iso());
    let sql = format!(
        "SELECT d.name AS unit, m.name AS matter, SUBSTR(j.checked_on, 1, 7) AS month, COUNT(*) AS checks, \
         SUM(CASE WHEN j.hit_count > 0 THEN 1 ELSE 0 END) AS hits, \
         SUM(CASE WHEN j.feedback_at IS NOT NULL THEN 1 ELSE 0 END) AS answered, \
         SUM(CASE WHEN j.applied = 1 THEN 1 ELSE 0 END) AS applied, SUM({}) AS measures \
         FROM joint_checks j JOIN matters m ON m.id = j.matter_id JOIN departments d ON d.id = j.department_id \
         WHERE j.checked_on >= $1 AND j.checked_on <= $2 GROUP BY d.name, m.name, SUBSTR(j.checked_on, 1, 7)",
        measures_applied(state.db.backend)
    );
    let mut cells = vec![];
    for r in sqlx::query(&sql)
        .bind(&from)
        .bind(&to)
        .fetch_all(&state.db.pool)
        .await?
    {
        cells.push(Cell {
            unit: r.try_get("unit")?,
            matter: r.try_get("matter")?,
            month: r.try_get("month")?,
            checks: r.try_get("checks")?,
            hits: r.try_get("hits")?,
            answered: r.try_get("answered")?,
            applied: r.try_get("applied")?,
            measures: r.try_get("measures")?,
        });
    }
    let (total, by_unit, by_matter, by_month) = summarise(&cells);
    let unchecked = sqlx::query(&format!(
        "SELECT m.code, m.name, d.name AS unit, (SELECT COUNT(*) FROM joint_checks u \
         WHERE u.department_id = m.department_id AND u.checked_on >= $1 AND u.checked_on <= $2) AS unit_checks \
         FROM matters m JOIN departments d ON d.id = m.department_id WHERE {WITH_MEASURES} \
         AND NOT EXISTS (SELECT 1 FROM joint_checks j WHERE j.matter_id = m.id AND j.checked_on >= $1 \
         AND j.checked_on <= $2) ORDER BY d.code, m.code LIMIT 500"
    ))
    .bind(&from)
    .bind(&to)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(UncheckedMatter {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            unit: r.try_get("unit")?,
            unit_checks: r.try_get("unit_checks")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let this_month = today.iso().chars().take(7).collect::<String>();
    let idle = sqlx::query(&format!(
        "SELECT d.name AS unit, COUNT(*) AS matters FROM matters m JOIN departments d ON d.id = m.department_id \
         WHERE {WITH_MEASURES} AND NOT EXISTS (SELECT 1 FROM joint_checks j WHERE j.department_id = d.id \
         AND j.checked_on >= $1) GROUP BY d.code, d.name ORDER BY d.code"
    ))
    .bind(format!("{this_month}-01"))
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(IdleUnit {
            unit: r.try_get("unit")?,
            matters: r.try_get("matters")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    Ok(JointStats {
        from,
        to,
        this_month,
        total,
        by_unit,
        by_matter,
        by_month,
        unchecked,
        idle,
    })
}
