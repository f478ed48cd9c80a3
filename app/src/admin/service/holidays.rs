//! The holiday calendar behind all working-day arithmetic: listed by year, edited day by day, or
//! imported from a CSV (`日期,类型,名称`), all or nothing.
use crate::admin::model::{HolidayRow, ImportSummary};
use crate::error::{AppError, FieldError};
use crate::rules::date::Ymd;
use crate::server::authz::Caller;
use crate::server::AppState;

/// The year asked for (2000–2100), or this year by the clock when it is empty or out of range.
pub fn year_or_current(state: &AppState, year: &str) -> i32 {
    year.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.clock.today().year)
}

pub async fn list(state: &AppState, year: i32) -> Result<Vec<HolidayRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT day, kind, name, source FROM holidays WHERE day >= $1 AND day < $2 ORDER BY day",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{:04}-01-01", year + 1))
    .fetch_all(&state.db.pool)
    .await?)
}

/// Parses one day: ISO date, a kind (`holiday`/`放假` or `workday`/`调休`/`上班`), and a name.
pub fn parse_day(
    day: &str,
    kind: &str,
    name: &str,
) -> Result<(String, &'static str, String), String> {
    let date = Ymd::parse_iso(day.trim())
        .ok_or_else(|| format!("日期“{}”无效，应为 YYYY-MM-DD。", day.trim()))?;
    let kind = match kind.trim() {
        "holiday" | "放假" | "节假日" | "休" => "holiday",
        "workday" | "调休" | "上班" | "班" => "workday",
        other => return Err(format!("类型“{other}”无效，应为“放假”或“调休上班”。")),
    };
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 20 {
        return Err("名称应为 1–20 个字，如“春节”。".into());
    }
    Ok((date.iso(), kind, name.to_string()))
}

async fn upsert(
    conn: &mut sqlx::AnyConnection,
    day: &str,
    kind: &str,
    name: &str,
    source: &str,
) -> Result<bool, AppError> {
    let existed = sqlx::query("SELECT day FROM holidays WHERE day = $1")
        .bind(day)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    sqlx::query(
        "INSERT INTO holidays (day, kind, name, source) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, source = excluded.source",
    )
    .bind(day)
    .bind(kind)
    .bind(name)
    .bind(source)
    .execute(&mut *conn)
    .await?;
    Ok(existed)
}

pub async fn save(
    state: &AppState,
    caller: &Caller,
    day: &str,
    kind: &str,
    name: &str,
) -> Result<(), AppError> {
    let (day, kind, name) =
        parse_day(day, kind, name).map_err(|m| AppError::field("day", "HOLIDAY_INVALID", m))?;
    let mut tx = state.db.begin().await?;
    upsert(&mut tx, &day, kind, &name, "manual").await?;
    caller
        .event("holiday.save", "success")
        .on("holiday", &day)
        .with(serde_json::json!({ "kind": kind, "name": name }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(state: &AppState, caller: &Caller, day: &str) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(day.trim())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("该日期".into()));
    }
    caller
        .event("holiday.delete", "success")
        .on("holiday", day.trim())
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Imports CSV text; every line is checked first, and nothing is written if any line is wrong.
pub async fn import(
    state: &AppState,
    caller: &Caller,
    csv: &str,
) -> Result<ImportSummary, AppError> {
    let mut days = vec![];
    let mut problems = vec![];
    for (i, line) in csv.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with("日期")
            || line.starts_with("day")
        {
            continue;
        }
        let cols: Vec<&str> = line.split([',', '，', '\t']).collect();
        let [day, kind, name, ..] = cols.as_slice() else {
            problems.push(FieldError {
                field: "csv".into(),
                code: "HOLIDAY_COLUMNS".into(),
                message: format!("第 {} 行应有 3 列：日期,类型,名称。", i + 1),
            });
            continue;
        };
        match parse_day(day, kind, name) {
            Ok(d) => days.push(d),
            Err(m) => problems.push(FieldError {
                field: "csv".into(),
                code: "HOLIDAY_INVALID".into(),
                message: format!("第 {} 行：{m}", i + 1),
            }),
        }
    }
    if !problems.is_empty() {
        problems.truncate(20);
        return Err(AppError::Validation(problems));
    }
    if days.is_empty() {
        return Err(AppError::field(
            "csv",
            "HOLIDAY_EMPTY",
            "没有可导入的行。每行格式：2027-01-01,放假,元旦",
        ));
    }
    let mut summary = ImportSummary {
        inserted: 0,
        updated: 0,
    };
    let mut tx = state.db.begin().await?;
    for (day, kind, name) in &days {
        if upsert(&mut tx, day, kind, name, "import").await? {
            summary.updated += 1;
        } else {
            summary.inserted += 1;
        }
    }
    caller
        .event("holiday.import", "success")
        .about("holiday")
        .with(serde_json::json!({ "inserted": summary.inserted, "updated": summary.updated }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(summary)
}
