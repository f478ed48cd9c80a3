//! Quality control (docs/domain.md §6a): per unit and class and month, completeness of the required fields,
//! timeliness (published within the working-day rule), accuracy (rows passing every rule) and
//! availability (published and not withdrawn); the league table, six-month trends and the monthly
//! report with advice drawn from the unit's most frequent faults.
use super::batches::unit_scope_clause;
use super::{catalogue, due, store};
use crate::collect::model::*;
use crate::error::AppError;
use crate::rules::catalog::Requirement;
use crate::rules::clean::rules as r;
use crate::rules::date::Ymd;
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::Row;
use std::collections::BTreeMap;

/// Months shown in trends.
pub const TREND_MONTHS: i32 = 6;

/// `YYYY-MM` → the first day of it and of the next month (timestamps compare as text).
pub fn month_bounds(month: &str) -> Option<(String, String)> {
    let first = Ymd::parse_iso(&format!("{month}-01"))?;
    Some((first.iso(), first.add_months(1).iso()))
}

fn current_month(state: &AppState) -> String {
    state.clock.today().iso()[..7].to_string()
}

/// The month asked for, or this month when it is empty or not a month.
pub fn month_or_current(state: &AppState, month: &str) -> String {
    if month_bounds(month).is_some() && month.len() == 7 {
        month.to_string()
    } else {
        current_month(state)
    }
}

/// `n` months ending with `month` (callers pass a checked month; else this month by the clock).
fn months_back(state: &AppState, month: &str, n: i32) -> Vec<String> {
    let first = Ymd::parse_iso(&format!("{month}-01")).unwrap_or_else(|| state.clock.today());
    (0..n)
        .rev()
        .map(|i| first.add_months(-i).iso()[..7].to_string())
        .collect()
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Who is measured: the caller's scope, optionally one unit.
struct Filter<'a> {
    caller: &'a Caller,
    unit: Option<i64>,
}

impl Filter<'_> {
    /// `AND …` on `d.id`, with binds from `$n`.
    fn clause(&self, n: usize) -> (String, Vec<String>) {
        let (mut clause, bind) = unit_scope_clause(self.caller, n, "d.id");
        let mut binds: Vec<String> = bind.into_iter().collect();
        if let Some(u) = self.unit {
            clause.push_str(&format!(" AND d.id = CAST(${} AS BIGINT)", n + binds.len()));
            binds.push(u.to_string());
        }
        (clause, binds)
    }
}

/// Figures for every (unit, class) the catalogue expects from units in the filter, for one month.
/// Also the required fields' fill counts, for the report.
async fn measure(
    state: &AppState,
    filter: &Filter<'_>,
    month: &str,
) -> Result<(Vec<QualityRow>, Vec<FieldFill>), AppError> {
    let (from, to) = month_bounds(month)
        .ok_or_else(|| AppError::field("month", "MONTH", "月份格式应为 YYYY-MM，例如 2026-11。"))?;
    let (clause, binds) = filter.clause(1);
    let sql = format!(
        "SELECT d.id AS unit_id, d.name AS unit_name, c.id AS class_id, c.code, c.name AS class_name \
         FROM class_sources cs JOIN departments d ON d.id = cs.department_id \
         JOIN data_classes c ON c.id = cs.class_id WHERE d.active = 1{clause} ORDER BY d.id, c.sort_order, c.id"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let pairs = q.fetch_all(&state.db.pool).await?;
    let mut rows: Vec<QualityRow> = vec![];
    let mut class_ids: BTreeMap<i64, String> = BTreeMap::new();
    for p in &pairs {
        let class_id: i64 = p.try_get("class_id")?;
        let code: String = p.try_get("code")?;
        class_ids.insert(class_id, code.clone());
        rows.push(QualityRow {
            unit_id: p.try_get("unit_id")?,
            unit_name: p.try_get("unit_name")?,
            class_code: code,
            class_name: p.try_get("class_name")?,
            records: 0,
            rows_checked: 0,
            rows_faulty: 0,
            completeness: None,
            timeliness: None,
            accuracy: None,
            availability: None,
        });
    }
    // Accuracy: rows checked this month and how many were faulty.
    let (clause, binds) = filter.clause(3);
    let sql = format!(
        "SELECT b.department_id, c.code, CAST(SUM(b.rows_total) AS BIGINT) AS total, CAST(SUM(b.rows_faulty) AS BIGINT) AS faulty \
         FROM batches b JOIN departments d ON d.id = b.department_id JOIN data_classes c ON c.id = b.class_id \
         WHERE b.checked_at >= $1 AND b.checked_at < $2 AND b.status IN ('checked', 'published', 'discarded'){clause} \
         GROUP BY b.department_id, c.code"
    );
    let mut q = sqlx::query(&sql).bind(&from).bind(&to);
    for b in &binds {
        q = q.bind(b);
    }
    for a in q.fetch_all(&state.db.pool).await? {
        let (unit, code): (i64, String) = (a.try_get("department_id")?, a.try_get("code")?);
        if let Some(row) = rows
            .iter_mut()
            .find(|r| r.unit_id == unit && r.class_code == code)
        {
            row.rows_checked = a.try_get::<Option<i64>, _>("total")?.unwrap_or(0);
            row.rows_faulty = a.try_get::<Option<i64>, _>("faulty")?.unwrap_or(0);
            row.accuracy = share(row.rows_checked - row.rows_faulty, row.rows_checked);
        }
    }
    // Completeness and availability from the records published this month; timeliness for the typed
    // classes with a decision date.
    let mut fills: Vec<FieldFill> = vec![];
    for (class_id, code) in class_ids {
        let spec = catalogue::load_by_id(state, class_id).await?;
        let table = store::typed_table(&spec);
        let required: Vec<(String, String)> = spec
            .fields
            .iter()
            .filter(|f| f.requirement == Requirement::Required)
            .map(|f| {
                (
                    f.name.clone(),
                    store::comparable_column(&f.key, f.field_type),
                )
            })
            .collect();
        let (clause, binds) = filter.clause(3);
        let sql = match table {
            Some(t) => {
                let filled: String = required
                    .iter()
                    .enumerate()
                    .map(|(i, (_, col))| {
                        format!(", CAST(SUM(CASE WHEN t.{col} IS NULL OR CAST(t.{col} AS TEXT) = '' THEN 0 ELSE 1 END) AS BIGINT) AS f{i}")
                    })
                    .collect();
                format!(
                    "SELECT t.department_id, COUNT(*) AS n, CAST(SUM(t.withdrawn) AS BIGINT) AS w{filled} FROM {t} t \
                     JOIN departments d ON d.id = t.department_id WHERE t.batch_id IS NOT NULL \
                     AND t.published_at >= $1 AND t.published_at < $2{clause} GROUP BY t.department_id"
                )
            }
            None => format!(
                "SELECT t.department_id, COUNT(*) AS n, CAST(SUM(t.withdrawn) AS BIGINT) AS w FROM generic_records t \
                 JOIN departments d ON d.id = t.department_id WHERE t.class_id = {class_id} \
                 AND t.published_at >= $1 AND t.published_at < $2{clause} GROUP BY t.department_id"
            ),
        };
        let mut q = sqlx::query(&sql).bind(&from).bind(&to);
        for b in &binds {
            q = q.bind(b);
        }
        let timeliness = match table {
            Some(t @ ("penalties" | "licences")) => {
                due::publication_timeliness(state, t, &from, Some(&to), Some(filter.caller)).await?
            }
            _ => BTreeMap::new(),
        };
        for rec in q.fetch_all(&state.db.pool).await? {
            let unit: i64 = rec.try_get("department_id")?;
            let n: i64 = rec.try_get("n")?;
            let withdrawn: i64 = rec.try_get::<Option<i64>, _>("w")?.unwrap_or(0);
            let Some(row) = rows
                .iter_mut()
                .find(|r| r.unit_id == unit && r.class_code == code)
            else {
                continue;
            };
            row.records = n;
            row.availability = share(n - withdrawn, n);
            if table.is_some() && !required.is_empty() {
                let mut filled_total = 0;
                for (i, (label, _)) in required.iter().enumerate() {
                    let f: i64 = rec
                        .try_get::<Option<i64>, _>(format!("f{i}").as_str())?
                        .unwrap_or(0);
                    filled_total += f;
                    if filter.unit.is_some() {
                        fills.push(FieldFill {
                            class_name: row.class_name.clone(),
                            field: label.clone(),
                            filled: f,
                            total: n,
                        });
                    }
                }
                row.completeness = share(filled_total, n * required.len() as i64);
            }
            if let Some(l) = timeliness.get(&unit) {
                row.timeliness = share(l.published - l.late, l.published);
            }
        }
    }
    Ok((rows, fills))
}

/// Record-weighted means of a set of rows (accuracy weighted by rows checked).
fn score_of(
    unit_id: i64,
    unit_name: &str,
    month: &str,
    rows: &[&QualityRow],
    overdue: i64,
) -> QualityScore {
    let weighted = |get: fn(&QualityRow) -> Option<f64>, weight: fn(&QualityRow) -> i64| {
        let (mut sum, mut w) = (0.0, 0i64);
        for r in rows {
            if let Some(v) = get(r) {
                sum += v * weight(r) as f64;
                w += weight(r);
            }
        }
        (w > 0).then(|| sum / w as f64)
    };
    let completeness = weighted(|r| r.completeness, |r| r.records);
    let timeliness = weighted(|r| r.timeliness, |r| r.records);
    let accuracy = weighted(|r| r.accuracy, |r| r.rows_checked);
    let availability = weighted(|r| r.availability, |r| r.records);
    let measured: Vec<f64> = [completeness, timeliness, accuracy, availability]
        .into_iter()
        .flatten()
        .collect();
    QualityScore {
        unit_id,
        unit_name: unit_name.to_string(),
        month: month.to_string(),
        records: rows.iter().map(|r| r.records).sum(),
        completeness,
        timeliness,
        accuracy,
        availability,
        score: (!measured.is_empty())
            .then(|| 100.0 * measured.iter().sum::<f64>() / measured.len() as f64),
        overdue,
    }
}

async fn overdue_by_unit(
    state: &AppState,
    caller: &Caller,
) -> Result<BTreeMap<i64, i64>, AppError> {
    let mut out = BTreeMap::new();
    for i in due::items(state, Some(caller)).await? {
        if i.days_left < 0 {
            *out.entry(i.unit_id).or_insert(0) += 1;
        }
    }
    Ok(out)
}

async fn trend(
    state: &AppState,
    filter: &Filter<'_>,
    month: &str,
    label: &str,
) -> Result<Vec<QualityScore>, AppError> {
    let mut out = vec![];
    for m in months_back(state, month, TREND_MONTHS) {
        let (rows, _) = measure(state, filter, &m).await?;
        let refs: Vec<&QualityRow> = rows.iter().collect();
        out.push(score_of(filter.unit.unwrap_or(0), label, &m, &refs, 0));
    }
    Ok(out)
}

pub async fn board(
    state: &AppState,
    caller: &Caller,
    month: &str,
) -> Result<QualityBoard, AppError> {
    let month = month_or_current(state, month);
    let filter = Filter { caller, unit: None };
    let (rows, _) = measure(state, &filter, &month).await?;
    let overdue = overdue_by_unit(state, caller).await?;
    let mut units: BTreeMap<i64, (String, Vec<&QualityRow>)> = BTreeMap::new();
    for r in &rows {
        units
            .entry(r.unit_id)
            .or_insert_with(|| (r.unit_name.clone(), vec![]))
            .1
            .push(r);
    }
    let mut league: Vec<QualityScore> = units
        .iter()
        .map(|(id, (name, rs))| {
            score_of(*id, name, &month, rs, overdue.get(id).copied().unwrap_or(0))
        })
        .collect();
    // Best first; units with nothing measured last.
    league.sort_by(|a, b| {
        b.score
            .unwrap_or(-1.0)
            .total_cmp(&a.score.unwrap_or(-1.0))
            .then(a.overdue.cmp(&b.overdue))
            .then(a.unit_id.cmp(&b.unit_id))
    });
    let trend = trend(state, &filter, &month, "全部").await?;
    Ok(QualityBoard {
        months: months_back(state, &current_month(state), 12)
            .into_iter()
            .rev()
            .collect(),
        month,
        rows,
        league,
        trend,
    })
}

/// The monthly report of one unit in the caller's scope.
pub async fn report(
    state: &AppState,
    caller: &Caller,
    unit_id: i64,
    month: &str,
) -> Result<QualityReport, AppError> {
    let month = month_or_current(state, month);
    let (clause, bind) = unit_scope_clause(caller, 2, "d.id");
    let sql = format!("SELECT d.id, d.name FROM departments d WHERE d.id = $1{clause}");
    let mut q = sqlx::query(&sql).bind(unit_id);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    let unit = q
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该单位".into()))?;
    let unit_name: String = unit.try_get("name")?;
    let filter = Filter {
        caller,
        unit: Some(unit_id),
    };
    let (rows, fields) = measure(state, &filter, &month).await?;
    let overdue: Vec<DueItem> = due::items(state, Some(caller))
        .await?
        .into_iter()
        .filter(|i| i.unit_id == unit_id && i.days_left < 0)
        .collect();
    let refs: Vec<&QualityRow> = rows.iter().collect();
    let score = score_of(unit_id, &unit_name, &month, &refs, overdue.len() as i64);
    let (from, to) = month_bounds(&month).unwrap_or_default();
    let faults: Vec<FaultCount> = sqlx::query(
        "SELECT f.rule_code, COUNT(*) AS n FROM batch_faults f JOIN batches b ON b.id = f.batch_id \
         WHERE b.department_id = $1 AND b.checked_at >= $2 AND b.checked_at < $3 AND f.level = 'error' \
         GROUP BY f.rule_code ORDER BY COUNT(*) DESC, f.rule_code LIMIT 8",
    )
    .bind(unit_id)
    .bind(&from)
    .bind(&to)
    .fetch_all(&state.db.pool)
    .await?
    .into_iter()
    .map(|f| {
        let code: String = f.try_get("rule_code")?;
        Ok(FaultCount {
            name: r::find(&code).map_or(code.clone(), |x| x.name.to_string()),
            code,
            count: f.try_get("n")?,
        })
    })
    .collect::<Result<_, AppError>>()?;
    let mut advice: Vec<String> = faults.iter().take(3).map(|f| r::advice(&f.code)).collect();
    if !overdue.is_empty() {
        advice.push(format!(
            "有 {} 个目录数据类别逾期未更新：请按信用目录规定的频率按时报送，可使用接口或定时交换自动报送。",
            overdue.len()
        ));
    }
    if score.timeliness.is_some_and(|t| t < 0.95) {
        advice.push(
            "部分许可、处罚超过7个工作日才公示：请在作出决定后及时报送，避免集中补报。".into(),
        );
    }
    if advice.is_empty() {
        advice.push("本月数据质量良好，请继续保持。".into());
    }
    let trend = trend(state, &filter, &month, &unit_name).await?;
    Ok(QualityReport {
        unit_id,
        unit_name,
        month,
        score,
        rows,
        fields,
        faults,
        advice,
        overdue,
        trend,
    })
}
