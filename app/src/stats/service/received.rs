//! Records received (stored, published or not, withdrawn included: what units sent), by catalogue
//! class, department, county and month of receipt (`created_at`).
use super::{counties, counts, departments, months_ending, names, top_n, TOP_DEPARTMENTS};
use crate::error::AppError;
use crate::server::AppState;
use crate::stats::model::{ClassCount, Received};
use std::collections::HashMap;

/// The three record tables: licences, penalties and the generic records of every other class.
const TABLES: [&str; 3] = ["licences", "penalties", "generic_records"];

/// Received within `[from, to)` (timestamps compare as text); both empty = everything held.
#[derive(Debug, Clone, Default)]
pub struct Window {
    pub from: String,
    pub to: String,
}

impl Window {
    fn clause(&self) -> String {
        if self.from.is_empty() {
            return String::new();
        }
        // Both bounds are dates made by the server (`quality::month_bounds`), never request text.
        format!(
            " WHERE r.created_at >= '{}' AND r.created_at < '{}'",
            self.from.replace('\'', ""),
            self.to.replace('\'', "")
        )
    }
}

/// One count map per table, grouped by `key`.
async fn by(
    state: &AppState,
    key: &str,
    window: &Window,
) -> Result<[HashMap<String, i64>; 3], AppError> {
    let mut out: [HashMap<String, i64>; 3] = Default::default();
    for (slot, table) in out.iter_mut().zip(TABLES) {
        *slot = counts(
            state,
            &format!(
                "SELECT {key}, COUNT(*) FROM {table} r{} GROUP BY {key}",
                window.clause()
            ),
        )
        .await?;
    }
    Ok(out)
}

fn received(label: String, key: &str, m: &[HashMap<String, i64>; 3]) -> Received {
    let get = |i: usize| m.get(i).and_then(|c| c.get(key)).copied().unwrap_or(0);
    Received {
        label,
        licences: get(0),
        penalties: get(1),
        others: get(2),
    }
}

fn sum(label: &str, rows: &[Received]) -> Received {
    Received {
        label: label.into(),
        licences: rows.iter().map(|r| r.licences).sum(),
        penalties: rows.iter().map(|r| r.penalties).sum(),
        others: rows.iter().map(|r| r.others).sum(),
    }
}

/// Every active class with its records (typed classes count their own tables), in catalogue order.
pub async fn by_class(state: &AppState, window: &Window) -> Result<Vec<ClassCount>, AppError> {
    let classes = names(
        state,
        "SELECT code, name FROM data_classes WHERE active = 1 ORDER BY sort_order, id",
    )
    .await?;
    let total = |table: &str| {
        let sql = format!("SELECT COUNT(*) FROM {table} r{}", window.clause());
        async move { super::scalar(state, &sql).await }
    };
    let (l, p) = (total("licences").await?, total("penalties").await?);
    let generic = counts(
        state,
        &format!(
            "SELECT c.code, COUNT(*) FROM generic_records r JOIN data_classes c ON c.id = r.class_id{} GROUP BY c.code",
            window.clause()
        ),
    )
    .await?;
    Ok(classes
        .into_iter()
        .map(|(code, class)| {
            let records = match code.as_str() {
                "licence" => l,
                "penalty" => p,
                c => generic.get(c).copied().unwrap_or(0),
            };
            ClassCount { class, records }
        })
        .collect())
}

/// The departments with most records, then "其他单位".
pub async fn by_department(state: &AppState, window: &Window) -> Result<Vec<Received>, AppError> {
    let m = by(state, "CAST(r.department_id AS TEXT)", window).await?;
    let rows = departments(state)
        .await?
        .into_iter()
        .map(|(id, name)| received(name, &id, &m))
        .collect();
    Ok(top_n(rows, TOP_DEPARTMENTS, Received::total, |rest| {
        sum("其他单位", rest)
    }))
}

/// Every county in the official order.
pub async fn by_county(state: &AppState, window: &Window) -> Result<Vec<Received>, AppError> {
    let m = by(state, "r.county_code", window).await?;
    Ok(counties(state)
        .await?
        .into_iter()
        .map(|(code, name)| received(name, &code, &m))
        .collect())
}

/// The `n` months up to `last` (`YYYY-MM`), oldest first.
pub async fn by_month(state: &AppState, last: &str, n: i32) -> Result<Vec<Received>, AppError> {
    let months = months_ending(last, n);
    let (Some(first), Some(end)) = (months.first(), months.last()) else {
        return Ok(vec![]);
    };
    let to = crate::collect::service::quality::month_bounds(end)
        .map(|(_, to)| to)
        .unwrap_or_default();
    let window = Window {
        from: format!("{first}-01"),
        to,
    };
    let m = by(state, "substr(r.created_at, 1, 7)", &window).await?;
    Ok(months
        .iter()
        .map(|month| received(month.clone(), month, &m))
        .collect())
}
