//! The public 信用统计: licences and penalties on public display today, by department, county and
//! decision month. The same visibility conditions as the public lists (`credit::visibility`), so the
//! page never counts a record the public may not see.
use super::{counties, counts, departments, months_ending, top_n, MONTHS, TOP_DEPARTMENTS};
use crate::credit::visibility;
use crate::error::AppError;
use crate::server::AppState;
use crate::stats::model::{PublicStats, Volume};
use std::collections::HashMap;

/// Counts of one record table on display, grouped by `key` (an SQL text expression on `r`).
struct Shown {
    licences: String,
    penalties: String,
}

impl Shown {
    async fn by(
        &self,
        state: &AppState,
        key: &str,
        extra: &str,
    ) -> Result<(HashMap<String, i64>, HashMap<String, i64>), AppError> {
        let sql = |table: &str, cond: &str| {
            format!("SELECT {key}, COUNT(*) FROM {table} r WHERE {cond}{extra} GROUP BY {key}")
        };
        Ok((
            counts(state, &sql("licences", &self.licences)).await?,
            counts(state, &sql("penalties", &self.penalties)).await?,
        ))
    }
}

fn volume(label: String, key: &str, l: &HashMap<String, i64>, p: &HashMap<String, i64>) -> Volume {
    Volume {
        label,
        licences: l.get(key).copied().unwrap_or(0),
        penalties: p.get(key).copied().unwrap_or(0),
    }
}

pub async fn public(state: &AppState) -> Result<PublicStats, AppError> {
    let policy = crate::credit::service::policy(state).await?;
    let today = state.clock.today();
    let shown = Shown {
        licences: visibility::licence_sql("r", today),
        penalties: visibility::penalty_sql("r", &policy, today),
    };
    let (l, p) = shown.by(state, "CAST(r.department_id AS TEXT)", "").await?;
    let departments = departments(state).await?;
    let mut by_department: Vec<Volume> = departments
        .iter()
        .map(|(id, name)| volume(name.clone(), id, &l, &p))
        .collect();
    // Records without a known unit still count in the totals.
    let known: Vec<&String> = departments.iter().map(|(id, _)| id).collect();
    let unknown = Volume {
        label: "未标注单位".into(),
        licences: l
            .iter()
            .filter(|(k, _)| !known.contains(k))
            .map(|(_, n)| n)
            .sum(),
        penalties: p
            .iter()
            .filter(|(k, _)| !known.contains(k))
            .map(|(_, n)| n)
            .sum(),
    };
    by_department.push(unknown);
    let by_department = top_n(by_department, TOP_DEPARTMENTS, Volume::total, |rest| {
        Volume {
            label: "其他单位".into(),
            licences: rest.iter().map(|v| v.licences).sum(),
            penalties: rest.iter().map(|v| v.penalties).sum(),
        }
    });
    let (cl, cp) = shown.by(state, "r.county_code", "").await?;
    let by_county = counties(state)
        .await?
        .into_iter()
        .map(|(code, name)| volume(name, &code, &cl, &cp))
        .collect();
    let months = months_ending(&today.iso().chars().take(7).collect::<String>(), MONTHS);
    let since = months
        .first()
        .map(|m| format!(" AND r.decision_date >= '{m}-01'"))
        .unwrap_or_default();
    let (ml, mp) = shown
        .by(state, "substr(r.decision_date, 1, 7)", &since)
        .await?;
    let by_month = months
        .iter()
        .map(|m| volume(m.clone(), m, &ml, &mp))
        .collect();
    Ok(PublicStats {
        as_of: today.iso(),
        licences: l.values().sum(),
        penalties: p.values().sum(),
        by_department,
        by_county,
        by_month,
    })
}
