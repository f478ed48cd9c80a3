//! Service matters (docs/domain.md §8): each department's matters and the measures that apply to
//! each. A clerk sees its unit's matters, a county user its county's, the office all; the office
//! saves them (by code: a stored code is updated) and imports them from a spreadsheet (all rows or
//! none). Every change is audited in its transaction.
use super::super::matters::{self, MatterInput};
use super::super::measures::list_kind_label;
use super::super::model::{ImportReport, MatterFilter, MatterList, MatterRow, MeasureOption};
use crate::auth::policy::Action;
use crate::collect::service::batches::unit_scope_clause;
use crate::error::{AppError, FieldError};
use crate::server::audit::Actor;
use crate::server::authz::Caller;
use crate::server::listing::{unit_and_words, units};
use crate::server::AppState;
use sqlx::{AnyConnection, Row};

const PER_PAGE: i64 = 30;
pub const MAX_IMPORT_ROWS: usize = 5000;

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &MatterFilter,
    page: i64,
) -> Result<MatterList, AppError> {
    let page = page.clamp(1, 10_000);
    let mut binds: Vec<String> = vec![];
    let (scope, bound) = unit_scope_clause(caller, 1, "m.department_id");
    binds.extend(bound);
    let mut filter = format!(" WHERE 1 = 1{scope}");
    unit_and_words(
        &mut binds,
        &mut filter,
        &f.unit,
        &f.q,
        &["m.code", "m.name"],
    );
    let from = "FROM matters m JOIN departments d ON d.id = m.department_id";
    let count_sql = format!("SELECT COUNT(*) AS n {from}{filter}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b.clone());
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let sql = format!(
        "SELECT m.id, m.public_id, m.code, m.name, m.active, d.public_id AS unit_id, d.name AS unit {from}{filter} \
         ORDER BY d.code, m.code LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b.clone());
    }
    let mut rows = vec![];
    for r in query.fetch_all(&state.db.pool).await? {
        let id: i64 = r.try_get("id")?;
        rows.push(MatterRow {
            public_id: r.try_get("public_id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            department_id: r.try_get("unit_id")?,
            department: r.try_get("unit")?,
            active: r.try_get::<i64, _>("active")? == 1,
            measures: linked(state, id).await?,
        });
    }
    Ok(MatterList {
        rows,
        total,
        page,
        per_page: PER_PAGE,
        units: units(state, caller).await?,
        measures: options(state).await?,
    })
}

/// The measures linked to a matter: (public id, code, content).
async fn linked(
    state: &AppState,
    matter_id: i64,
) -> Result<Vec<(String, String, String)>, AppError> {
    sqlx::query(
        "SELECT ms.public_id, ms.code, ms.content FROM matter_measures mm JOIN measures ms ON ms.id = mm.measure_id \
         WHERE mm.matter_id = $1 ORDER BY ms.list_kind, ms.code",
    )
    .bind(matter_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("public_id")?, r.try_get("code")?, r.try_get("content")?)))
    .collect()
}

async fn options(state: &AppState) -> Result<Vec<MeasureOption>, AppError> {
    sqlx::query(
        "SELECT public_id, code, list_kind, content FROM measures WHERE retired_at IS NULL ORDER BY list_kind, code",
    )
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(MeasureOption {
            public_id: r.try_get("public_id")?,
            code: r.try_get("code")?,
            list_label: list_kind_label(&r.try_get::<String, _>("list_kind")?).into(),
            content: r.try_get("content")?,
        })
    })
    .collect()
}

/// A matter to store: its code, name, unit and measure ids.
struct Resolved {
    code: String,
    name: String,
    department_id: i64,
    measure_ids: Vec<i64>,
    active: bool,
}

/// Writes one matter by code (insert or update) and replaces its measure links. Answers
/// (public id, whether it was new).
async fn upsert(
    conn: &mut AnyConnection,
    m: &Resolved,
    now: &str,
) -> Result<(String, bool), AppError> {
    let stored = sqlx::query("SELECT id, public_id FROM matters WHERE code = $1")
        .bind(&m.code)
        .fetch_optional(&mut *conn)
        .await?;
    let (id, public_id, new) = match stored {
        Some(r) => {
            let id: i64 = r.try_get("id")?;
            sqlx::query(
                "UPDATE matters SET name = $2, department_id = $3, active = $4, updated_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(&m.name)
            .bind(m.department_id)
            .bind(i64::from(m.active))
            .bind(now)
            .execute(&mut *conn)
            .await?;
            (id, r.try_get::<String, _>("public_id")?, false)
        }
        None => {
            let public_id = uuid::Uuid::now_v7().simple().to_string();
            let id: i64 = sqlx::query(
                "INSERT INTO matters (public_id, code, name, department_id, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(&public_id)
            .bind(&m.code)
            .bind(&m.name)
            .bind(m.department_id)
            .bind(i64::from(m.active))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
            .try_get("id")?;
            (id, public_id, true)
        }
    };
    sqlx::query("DELETE FROM matter_measures WHERE matter_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for measure in &m.measure_ids {
        sqlx::query("INSERT INTO matter_measures (matter_id, measure_id) VALUES ($1, $2)")
            .bind(id)
            .bind(measure)
            .execute(&mut *conn)
            .await?;
    }
    Ok((public_id, new))
}

/// A measure in use by public id or code (`by`: the column).
async fn measure_id(conn: &mut AnyConnection, by: &str, v: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT id FROM measures WHERE {by} = $1 AND retired_at IS NULL"
    ))
    .bind(v)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Saves a matter from the console's form (by code); answers its public id.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    input: &MatterInput,
) -> Result<String, AppError> {
    let staff = caller.clone().require(Action::MatterManage)?;
    let (code, name) = matters::check(&input.code, &input.name).map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let department_id: i64 =
        sqlx::query_scalar("SELECT id FROM departments WHERE public_id = $1 AND active = 1")
            .bind(&input.department)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::field("department", "UNIT_MISSING", "请选择事项的实施部门。")
            })?;
    let mut measure_ids = vec![];
    for m in &input.measures {
        let id = measure_id(&mut tx, "public_id", m).await?.ok_or_else(|| {
            AppError::field(
                "measures",
                "MEASURE_UNKNOWN",
                "所选措施不存在或已停用，请刷新页面后重选。",
            )
        })?;
        measure_ids.push(id);
    }
    let now = state.clock.now_text();
    let resolved = Resolved {
        code,
        name,
        department_id,
        measure_ids,
        active: !input.inactive,
    };
    let (public_id, new) = upsert(&mut tx, &resolved, &now).await?;
    staff
        .audit(
            &mut tx,
            state,
            if new { "joint.matter_add" } else { "joint.matter_update" },
            Some(("matter", &public_id)),
            serde_json::json!({ "code": resolved.code, "measures": resolved.measure_ids.len(), "active": resolved.active }),
        )
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

fn row_error(line: usize, code: &str, message: String) -> FieldError {
    FieldError {
        field: "file".into(),
        code: code.into(),
        message: format!("第 {line} 行：{message}"),
    }
}

/// Imports matters from a spreadsheet's rows (header first, read by the caller) in one transaction:
/// every row checked first — its department by name or code, its measures by code — and every wrong
/// row named; then each stored by code with its measure links replaced.
pub async fn import(
    state: &AppState,
    caller: &Caller,
    file_name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<ImportReport, AppError> {
    let staff = caller.clone().require(Action::MatterManage)?;
    let at = matters::columns(headers)?;
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(AppError::field(
            "file",
            "TOO_MANY_ROWS",
            format!("一次最多导入 {MAX_IMPORT_ROWS} 个事项，请拆分文件。"),
        ));
    }
    let mut tx = state.db.begin().await?;
    let mut errors = vec![];
    let mut resolved = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let (code, name, unit, codes) = matters::row_fields(&at, r);
        let checked = match matters::check(&code, &name) {
            Ok(c) => c,
            Err(list) => {
                errors.extend(
                    list.into_iter()
                        .map(|e| row_error(line, &e.code, e.message)),
                );
                continue;
            }
        };
        if !seen.insert(checked.0.clone()) {
            errors.push(row_error(
                line,
                "CODE_DUPLICATE",
                format!("事项编码 {} 在表格中重复。", checked.0),
            ));
            continue;
        }
        let department_id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM departments WHERE (name = $1 OR code = $1) AND active = 1",
        )
        .bind(&unit)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(department_id) = department_id else {
            errors.push(row_error(
                line,
                "UNIT_UNKNOWN",
                format!("实施部门“{unit}”不在单位名录中，请填写单位全称。"),
            ));
            continue;
        };
        let mut measure_ids = vec![];
        for c in &codes {
            match measure_id(&mut tx, "code", c).await? {
                Some(id) => measure_ids.push(id),
                None => errors.push(row_error(
                    line,
                    "MEASURE_UNKNOWN",
                    format!("措施编号 {c} 不存在或已停用。"),
                )),
            }
        }
        resolved.push(Resolved {
            code: checked.0,
            name: checked.1,
            department_id,
            measure_ids,
            active: true,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if resolved.is_empty() {
        return Err(AppError::field(
            "file",
            "FILE_EMPTY",
            "表格中没有事项：第一行为表头，从第二行起每行一个事项。",
        ));
    }
    let now = state.clock.now_text();
    let mut report = ImportReport::default();
    for m in &resolved {
        if upsert(&mut tx, m, &now).await?.1 {
            report.added += 1;
        } else {
            report.updated += 1;
        }
    }
    staff
        .audit(
            &mut tx,
            state,
            "joint.matters_import",
            None,
            serde_json::json!({ "file": file_name, "added": report.added, "updated": report.updated }),
        )
        .await?;
    tx.commit().await?;
    Ok(report)
}

/// The demo's matters: one per department for the first units, linked to the black-list sanctions
/// (seeded by the demo data through the same upsert).
pub async fn seed_demo(
    state: &AppState,
    matters: &[(&str, &str, &str, &[&str])],
) -> Result<usize, AppError> {
    let mut tx = state.db.begin().await?;
    let now = state.clock.now_text();
    let mut n = 0;
    for (code, name, unit_code, measures) in matters {
        let Some(department_id) =
            sqlx::query_scalar::<_, i64>("SELECT id FROM departments WHERE code = $1")
                .bind(*unit_code)
                .fetch_optional(&mut *tx)
                .await?
        else {
            continue;
        };
        let mut measure_ids = vec![];
        for c in *measures {
            if let Some(id) = measure_id(&mut tx, "code", c).await? {
                measure_ids.push(id);
            }
        }
        let m = Resolved {
            code: (*code).to_string(),
            name: (*name).to_string(),
            department_id,
            measure_ids,
            active: true,
        };
        if upsert(&mut tx, &m, &now).await?.1 {
            n += 1;
        }
    }
    Actor::named("演示数据")
        .audit(
            &mut tx,
            state,
            "joint.matters_seed",
            None,
            serde_json::json!({ "added": n }),
        )
        .await?;
    tx.commit().await?;
    Ok(n)
}
