//! Batch lists and actions for the console, each limited to the caller's scope (a clerk sees only
//! their unit's batches, a county user those of units in the county).
use super::confirm;
use super::{catalogue, intake};
use crate::auth::policy::Scope;
use crate::collect::model::*;
use crate::error::AppError;
use crate::paging::Page;
use crate::rules::clean::rules as r;
use crate::server::authz::Caller;
use crate::server::db::sql::PER_PAGE;
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

/// `AND …` limiting batches `b` (joined with departments `d`) to the caller's scope; binds start at `$n`.
fn scope_clause(caller: &Caller, n: usize) -> (String, Option<String>) {
    unit_scope_clause(caller, n, "b.department_id")
}

/// `AND …` limiting rows to the caller's units: `unit_column` is the unit id, and departments are
/// joined as `d`. The bind (if any) is `$n`, as text.
pub fn unit_scope_clause(caller: &Caller, n: usize, unit_column: &str) -> (String, Option<String>) {
    match caller.scope {
        Scope::All => (String::new(), None),
        Scope::OwnDepartment => (
            format!(" AND {unit_column} = CAST(${n} AS BIGINT)"),
            Some(caller.user.department_id.unwrap_or(-1).to_string()),
        ),
        Scope::OwnCounty => (
            format!(" AND d.county_code = ${n}"),
            Some(caller.user.county_code.clone().unwrap_or_default()),
        ),
    }
}

/// Active data classes, for pick lists.
pub async fn class_options(state: &AppState) -> Result<Vec<ClassOption>, AppError> {
    Ok(sqlx::query_as(
        "SELECT code, name FROM data_classes WHERE active = 1 ORDER BY sort_order, id",
    )
    .fetch_all(&state.db.pool)
    .await?)
}

/// The unit a submission is for: a clerk's own unit always; the credit office names one.
pub async fn submitting_unit(
    state: &AppState,
    caller: &Caller,
    requested: Option<i64>,
) -> Result<i64, AppError> {
    let department_id = match caller.user.department_id {
        Some(id) if caller.scope != Scope::All => id,
        own => requested
            .or(own)
            .ok_or_else(|| AppError::field("department", "REQUIRED", "请选择报送单位。"))?,
    };
    let exists = sqlx::query("SELECT id FROM departments WHERE id = $1 AND active = 1")
        .bind(department_id)
        .fetch_optional(&state.db.pool)
        .await?;
    if exists.is_none() {
        return Err(AppError::field(
            "department",
            "UNKNOWN",
            "所选报送单位不存在或已停用。",
        ));
    }
    Ok(department_id)
}

pub async fn submit_options(state: &AppState, caller: &Caller) -> Result<SubmitOptions, AppError> {
    let pool = &state.db.pool;
    let classes = class_options(state).await?;
    let (units, own_unit) = match caller.scope {
        Scope::All => (crate::admin::service::unit_options(state).await?, None),
        _ => {
            let name = match caller.user.department_id {
                Some(id) => sqlx::query("SELECT name FROM departments WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
                    .map(|r| r.try_get::<String, _>("name"))
                    .transpose()?,
                None => None,
            };
            (vec![], name)
        }
    };
    Ok(SubmitOptions {
        classes,
        units,
        own_unit,
        max_mb: state.config.upload_max_mb,
    })
}

const BATCH_COLUMNS: &str = "b.id, b.public_id, b.department_id, d.county_code, c.name AS class_name, \
    d.name AS unit_name, b.channel, COALESCE(b.file_name, '') AS file_name, b.status, b.rows_total, b.rows_done, \
    b.rows_new, b.rows_update, b.rows_duplicate, b.rows_faulty, b.rows_warning, b.created_at, \
    COALESCE(u.display_name, '接口') AS created_by, COALESCE(b.encoding, '') AS encoding, \
    COALESCE(b.error, '') AS error, b.check_started_at, b.updated_at, COALESCE(b.checked_at, '') AS checked_at, \
    COALESCE(b.confirmed_at, '') AS confirmed_at, b.class_id, b.bytes_done, \
    COALESCE(b.file_size, 0) AS file_size";
const BATCH_FROM: &str = "FROM batches b JOIN departments d ON d.id = b.department_id \
    JOIN data_classes c ON c.id = b.class_id LEFT JOIN users u ON u.id = b.created_by";

pub async fn list(
    state: &AppState,
    caller: &Caller,
    status: &str,
    page: i64,
) -> Result<Page<BatchRow>, AppError> {
    let page = page.max(1);
    let known = BATCH_STATUSES.iter().any(|(c, _)| *c == status);
    let status_clause = if known {
        " AND b.status = $1"
    } else {
        " AND $1 = ''"
    };
    let (scope, scope_value) = scope_clause(caller, 2);
    let filter = format!("WHERE 1 = 1{status_clause}{scope}");
    let status_value = if known { status } else { "" };
    let pool = &state.db.pool;
    let count_sql = format!("SELECT COUNT(*) AS n {BATCH_FROM} {filter}");
    let rows_sql = format!(
        "SELECT {BATCH_COLUMNS} {BATCH_FROM} {filter} ORDER BY b.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut count = sqlx::query(&count_sql).bind(status_value);
    let mut rows = sqlx::query_as(&rows_sql).bind(status_value);
    if let Some(v) = &scope_value {
        count = count.bind(v.clone());
        rows = rows.bind(v.clone());
    }
    let total: i64 = count.fetch_one(pool).await?.try_get("n")?;
    let rows = rows.fetch_all(pool).await?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The batch row for a public id, after the scope check.
async fn find(state: &AppState, caller: &Caller, public_id: &str) -> Result<AnyRow, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {BATCH_COLUMNS} {BATCH_FROM} WHERE b.public_id = $1"
    ))
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该批次".into()))?;
    let county: Option<String> = row.try_get("county_code")?;
    caller
        .check_unit(Some(row.try_get("department_id")?), county.as_deref())
        .map_err(|_| AppError::NotFound("该批次".into()))?;
    Ok(row)
}

pub async fn detail(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    level: &str,
    page: i64,
) -> Result<BatchDetail, AppError> {
    let row = find(state, caller, public_id).await?;
    let id: i64 = row.try_get("id")?;
    let pool = &state.db.pool;
    let status: String = row.try_get("status")?;
    let rows_done: i64 = row.try_get("rows_done")?;
    // Progress: rows per second since the check started, and what is left at that pace.
    // XLSX knows its row count up front; a CSV is measured by bytes read.
    let (speed, remaining) = match (
        status.as_str(),
        row.try_get::<Option<String>, _>("check_started_at")?,
    ) {
        ("checking", Some(started)) => {
            let started = crate::server::clock::parse_rfc3339(&started);
            let elapsed = started
                .map(|s| (state.clock.now() - s).as_seconds_f64())
                .unwrap_or(0.0);
            let rows_total: i64 = row.try_get("rows_total")?;
            let (bytes_done, file_size): (i64, i64) =
                (row.try_get("bytes_done")?, row.try_get("file_size")?);
            let speed = (elapsed > 0.5 && rows_done > 0).then(|| rows_done as f64 / elapsed);
            let remaining = if rows_total > 0 {
                speed.map(|s| (rows_total - rows_done).max(0) as f64 / s)
            } else if bytes_done > 0 && elapsed > 0.5 {
                Some((file_size - bytes_done).max(0) as f64 / (bytes_done as f64 / elapsed))
            } else {
                None
            };
            (speed, remaining)
        }
        _ => (None, None),
    };
    let rule_counts = sqlx::query(
        "SELECT rule_code, level, COUNT(DISTINCT row_no) AS n FROM batch_faults WHERE batch_id = $1 \
         GROUP BY rule_code, level ORDER BY n DESC, rule_code",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.try_get("rule_code")?;
        Ok(RuleCount {
            name: r::find(&code).map_or(code.clone(), |x| x.name.to_string()),
            code,
            level: r.try_get("level")?,
            rows: r.try_get("n")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let page = page.max(1);
    let level = if level == "warning" || level == "error" {
        level
    } else {
        ""
    };
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM batch_faults WHERE batch_id = $1 AND ($2 = '' OR level = $2)",
    )
    .bind(id)
    .bind(level)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    let spec = catalogue::load_by_id(state, row.try_get("class_id")?).await?;
    let field_name = |key: &str| spec.field(key).map_or(String::new(), |f| f.name.clone());
    let faults = sqlx::query(&format!(
        "SELECT row_no, field_key, rule_code, level, message FROM batch_faults WHERE batch_id = $1 \
         AND ($2 = '' OR level = $2) ORDER BY row_no, id LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    ))
    .bind(id)
    .bind(level)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(FaultRow {
            row_no: r.try_get("row_no")?,
            field: field_name(&r.try_get::<String, _>("field_key")?),
            code: r.try_get("rule_code")?,
            level: r.try_get("level")?,
            message: r.try_get("message")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let mapping = if status == "uploaded" {
        let unknown = unknown_headers(state, &row, &spec).await?;
        (!unknown.is_empty()).then(|| MappingNeed {
            headers: unknown,
            fields: spec
                .fields
                .iter()
                .map(|f| (f.key.clone(), f.name.clone()))
                .collect(),
        })
    } else {
        None
    };
    use crate::auth::policy::{may, Action};
    Ok(BatchDetail {
        batch: BatchRow::from_row(&row)?,
        encoding: row.try_get("encoding")?,
        rows_done,
        rows_warning: row.try_get("rows_warning")?,
        error: row.try_get("error")?,
        speed,
        remaining_secs: remaining,
        checked_at: row.try_get("checked_at")?,
        confirmed_at: row.try_get("confirmed_at")?,
        rule_counts,
        faults: Page {
            rows: faults,
            total,
            page,
            per_page: PER_PAGE,
        },
        mapping,
        can_confirm: may(&caller.user.roles, Action::BatchConfirm),
        can_submit: may(&caller.user.roles, Action::DataSubmit),
    })
}

/// Headers of the batch's file that neither the catalogue nor the unit's mappings know. They come
/// from the header row the check stored: a page view never opens the file.
async fn unknown_headers(
    state: &AppState,
    row: &AnyRow,
    spec: &crate::rules::catalog::ClassSpec,
) -> Result<Vec<String>, AppError> {
    let id: i64 = row.try_get("id")?;
    let stored: Option<String> = sqlx::query("SELECT headers FROM batches WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("headers")?;
    let Some(headers) = stored.and_then(|h| serde_json::from_str::<Vec<String>>(&h).ok()) else {
        return Ok(vec![]);
    };
    let remembered = catalogue::remembered_headers(
        state,
        row.try_get("department_id")?,
        row.try_get("class_id")?,
    )
    .await?;
    let map = crate::rules::clean::headers::resolve(spec, &headers, &remembered);
    Ok(map.unknown.into_iter().map(|(_, h)| h).collect())
}

pub async fn confirm(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<String, AppError> {
    let row = find(state, caller, public_id).await?;
    let report = confirm::confirm(state, row.try_get("id")?, &caller.actor()).await?;
    Ok(format!(
        "已发布 {} 条新记录，更新 {} 条记录{}。",
        report.published,
        report.updated,
        if report.conflicts > 0 {
            format!(
                "；{} 个名称与代码不一致的主体已交信用办核实",
                report.conflicts
            )
        } else {
            String::new()
        }
    ))
}

pub async fn discard(state: &AppState, caller: &Caller, public_id: &str) -> Result<(), AppError> {
    let row = find(state, caller, public_id).await?;
    confirm::discard(state, row.try_get("id")?, &caller.actor()).await
}

pub async fn save_mapping(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    headers: &[String],
    fields: &[String],
) -> Result<(), AppError> {
    let row = find(state, caller, public_id).await?;
    let spec = catalogue::load_by_id(state, row.try_get("class_id")?).await?;
    let mut pairs = vec![];
    for (h, f) in headers.iter().zip(fields) {
        if f.is_empty() {
            return Err(AppError::field(
                "field",
                "MAPPING_MISSING",
                format!("请为表头“{h}”选择对应的字段，或选择“忽略此列”。"),
            ));
        }
        if f != crate::rules::clean::headers::IGNORE && spec.field(f).is_none() {
            return Err(AppError::field(
                "field",
                "MAPPING_UNKNOWN",
                "所选字段不在该数据类别中，请刷新后重试。",
            ));
        }
        pairs.push((h.clone(), f.clone()));
    }
    let id: i64 = row.try_get("id")?;
    intake::save_mappings(
        state,
        row.try_get("department_id")?,
        row.try_get("class_id")?,
        &pairs,
    )
    .await?;
    intake::queue_check(state, id, &state.clock.now_text()).await
}
