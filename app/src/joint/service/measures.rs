//! The measures list (docs/domain.md §8): listed with filters, imported from the national base list's
//! spreadsheet (all rows or none; a code already stored is updated in place), added locally, retired
//! with a reason (never deleted). Every change is audited in its transaction.
use super::super::measures::{self, kind_label, list_kind_label, Measure, MeasureInput};
use super::super::model::{ImportReport, MeasureFilter, MeasureList, MeasureRow};
use crate::auth::policy::Action;
use crate::error::{AppError, FieldError};
use crate::server::audit::Actor;
use crate::server::authz::Caller;
use crate::server::db::sql::escape_like;
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const PER_PAGE: i64 = 30;
/// Rows an import may have (the national list has a few hundred).
pub const MAX_IMPORT_ROWS: usize = 5000;

fn row(r: &AnyRow) -> Result<MeasureRow, AppError> {
    let kind: String = r.try_get("kind")?;
    let list_kind: String = r.try_get("list_kind")?;
    let origin: String = r.try_get("origin")?;
    let retired_at: Option<String> = r.try_get("retired_at")?;
    Ok(MeasureRow {
        public_id: r.try_get("public_id")?,
        code: r.try_get("code")?,
        kind_label: kind_label(&kind).into(),
        list_label: list_kind_label(&list_kind).into(),
        kind,
        list_kind,
        content: r.try_get("content")?,
        basis: r.try_get("basis")?,
        agency: r.try_get("agency")?,
        origin_label: if origin == "local" {
            "本地措施"
        } else {
            "国家基础清单"
        }
        .into(),
        retired_on: retired_at.as_deref().map(|t| {
            crate::rules::date::beijing_minute(t)
                .chars()
                .take(10)
                .collect()
        }),
        retired_reason: r.try_get("retired_reason")?,
    })
}

const COLUMNS: &str =
    "public_id, code, kind, list_kind, content, basis, agency, origin, retired_at, retired_reason";

pub async fn list(state: &AppState, f: &MeasureFilter, page: i64) -> Result<MeasureList, AppError> {
    let page = page.clamp(1, 10_000);
    let mut clauses: Vec<String> = vec![];
    let mut binds: Vec<String> = vec![];
    match f.status.as_str() {
        "retired" => clauses.push("retired_at IS NOT NULL".into()),
        "all" => {}
        _ => clauses.push("retired_at IS NULL".into()),
    }
    if let Some(l) = measures::parse_list_kind(&f.list_kind) {
        binds.push(l.into());
        clauses.push(format!("list_kind = ${}", binds.len()));
    }
    if let Some(k) = measures::parse_kind(&f.kind, None) {
        binds.push(k.into());
        clauses.push(format!("kind = ${}", binds.len()));
    }
    let q = f.q.trim();
    if !q.is_empty() {
        binds.push(format!("%{}%", escape_like(q)));
        let n = binds.len();
        clauses.push(format!(
            "(code LIKE ${n} ESCAPE '\\' OR content LIKE ${n} ESCAPE '\\' OR basis LIKE ${n} ESCAPE '\\' \
             OR agency LIKE ${n} ESCAPE '\\')"
        ));
    }
    let filter = format!(" WHERE {}", clauses.join(" AND "));
    let count_sql = format!("SELECT COUNT(*) AS n FROM measures{filter}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b.clone());
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let sql = format!(
        "SELECT {COLUMNS} FROM measures{filter} ORDER BY list_kind, code LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(row)
        .collect::<Result<_, _>>()?;
    Ok(MeasureList {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The next free local number: L-0001, L-0002 …
async fn next_local_code(conn: &mut AnyConnection) -> Result<String, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM measures WHERE origin = 'local'")
        .fetch_one(&mut *conn)
        .await?;
    for i in n + 1.. {
        let code = format!("L-{i:04}");
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM measures WHERE code = $1")
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            return Ok(code);
        }
    }
    Err(AppError::internal("local measure code", "exhausted"))
}

async fn insert(
    conn: &mut AnyConnection,
    m: &Measure,
    code: &str,
    origin: &str,
    now: &str,
) -> Result<String, AppError> {
    let public_id = uuid::Uuid::now_v7().simple().to_string();
    sqlx::query(
        "INSERT INTO measures (public_id, code, kind, list_kind, content, basis, agency, origin, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&public_id)
    .bind(code)
    .bind(m.kind)
    .bind(m.list_kind)
    .bind(&m.content)
    .bind(&m.basis)
    .bind(&m.agency)
    .bind(origin)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(public_id)
}

/// Adds a local measure; answers its public id.
pub async fn add(
    state: &AppState,
    caller: &Caller,
    input: &MeasureInput,
) -> Result<String, AppError> {
    let staff = caller.clone().require(Action::MeasureManage)?;
    let m = measures::check(input).map_err(AppError::Validation)?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let code = match &m.code {
        Some(c) => {
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM measures WHERE code = $1")
                .bind(c)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(AppError::field(
                    "code",
                    "CODE_TAKEN",
                    format!("措施编号 {c} 已存在：请换一个编号，或留空由平台编号。"),
                ));
            }
            c.clone()
        }
        None => next_local_code(&mut tx).await?,
    };
    let public_id = insert(&mut tx, &m, &code, "local", &now).await?;
    staff
        .audit(
            &mut tx,
            state,
            "joint.measure_add",
            Some(("measure", &public_id)),
            serde_json::json!({ "code": code, "list_kind": m.list_kind, "kind": m.kind }),
        )
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Retires a measure with its reason: it is no longer offered for matters or shown in checks, and
/// the checks that named it keep it.
pub async fn retire(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    reason: &str,
) -> Result<(), AppError> {
    let staff = caller.clone().require(Action::MeasureManage)?;
    let reason = reason.trim();
    if reason.chars().count() < 4 || reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "REASON_REQUIRED",
            "请填写停用原因（4–500 字），如“2024 年版基础清单已删除该措施”。",
        ));
    }
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(
        "UPDATE measures SET retired_at = $2, retired_reason = $3, updated_at = $2 \
         WHERE public_id = $1 AND retired_at IS NULL",
    )
    .bind(public_id)
    .bind(&now)
    .bind(reason)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound("该措施（或已停用）".into()));
    }
    staff
        .audit(
            &mut tx,
            state,
            "joint.measure_retire",
            Some(("measure", public_id)),
            serde_json::json!({ "reason": reason }),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks every row of an import: the measures in order, or every row's problems (“第 3 行：…”).
pub fn check_rows(headers: &[String], rows: &[Vec<String>]) -> Result<Vec<Measure>, AppError> {
    let at = measures::columns(headers)?;
    let mut out = vec![];
    let mut errors: Vec<FieldError> = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        // Row numbers as the sheet shows them: the header is row 1.
        let line = i + 2;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match measures::check(&measures::row_input(&at, r)) {
            Ok(m) => match &m.code {
                None => errors.push(FieldError {
                    field: "file".into(),
                    code: "CODE_MISSING".into(),
                    message: format!("第 {line} 行：请填写措施编号（导入时按编号更新已有措施）。"),
                }),
                Some(c) if !seen.insert(c.clone()) => errors.push(FieldError {
                    field: "file".into(),
                    code: "CODE_DUPLICATE".into(),
                    message: format!("第 {line} 行：措施编号 {c} 在表格中重复。"),
                }),
                Some(_) => out.push(m),
            },
            Err(list) => errors.extend(list.into_iter().map(|e| FieldError {
                field: "file".into(),
                code: e.code,
                message: format!("第 {line} 行：{}", e.message),
            })),
        }
    }
    if out.len() > MAX_IMPORT_ROWS {
        return Err(AppError::field(
            "file",
            "TOO_MANY_ROWS",
            format!("一次最多导入 {MAX_IMPORT_ROWS} 条措施，请拆分文件。"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if out.is_empty() {
        return Err(AppError::field(
            "file",
            "FILE_EMPTY",
            "表格中没有措施：第一行为表头，从第二行起每行一条措施。",
        ));
    }
    Ok(out)
}

/// Imports checked measures of the national list in one transaction: new codes are added, stored
/// ones updated where they differ (a retired measure stays retired).
pub async fn import(
    state: &AppState,
    caller: &Caller,
    file_name: &str,
    measures: &[Measure],
) -> Result<ImportReport, AppError> {
    let staff = caller.clone().require(Action::MeasureManage)?;
    import_as(state, &staff.actor(), file_name, measures).await
}

/// The import itself, by `actor` (staff, or the demo seed).
pub async fn import_as(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    measures: &[Measure],
) -> Result<ImportReport, AppError> {
    let now = state.clock.now_text();
    let mut report = ImportReport::default();
    let mut tx = state.db.begin().await?;
    for m in measures {
        let code = m.code.clone().unwrap_or_default();
        let stored = sqlx::query(
            "SELECT id, kind, list_kind, content, basis, agency FROM measures WHERE code = $1",
        )
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(s) = stored else {
            insert(&mut tx, m, &code, "national", &now).await?;
            report.added += 1;
            continue;
        };
        let same = s.try_get::<String, _>("kind")? == m.kind
            && s.try_get::<String, _>("list_kind")? == m.list_kind
            && s.try_get::<String, _>("content")? == m.content
            && s.try_get::<String, _>("basis")? == m.basis
            && s.try_get::<String, _>("agency")? == m.agency;
        if same {
            report.unchanged += 1;
            continue;
        }
        sqlx::query(
            "UPDATE measures SET kind = $2, list_kind = $3, content = $4, basis = $5, agency = $6, updated_at = $7 \
             WHERE id = $1",
        )
        .bind(s.try_get::<i64, _>("id")?)
        .bind(m.kind)
        .bind(m.list_kind)
        .bind(&m.content)
        .bind(&m.basis)
        .bind(&m.agency)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        report.updated += 1;
    }
    actor
        .audit(
            &mut tx,
            state,
            "joint.measures_import",
            None,
            serde_json::json!({
                "file": file_name,
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }),
        )
        .await?;
    tx.commit().await?;
    Ok(report)
}
