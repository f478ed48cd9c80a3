//! Departments (信源单位) and counties. Everyone in the office reads them; a clerk sees their own
//! department and a county user the departments of their county. The system admin edits.
use crate::admin::model::{CountyRow, DepartmentDetail, DepartmentRow, Orgs, UnitOption};
use crate::auth::policy::{may, Action, Scope};
use crate::error::AppError;
use crate::paging::Page;
use crate::rules::uscc;
use crate::server::authz::Caller;
use crate::server::db::sql::PER_PAGE;
use crate::server::AppState;
use sqlx::any::AnyRow;

/// More departments than any prefecture has; the cap of a choice list or an export.
const MAX_DEPARTMENTS: i64 = 10_000;
use sqlx::Row;

const DEPT_SELECT: &str =
    "SELECT d.id, d.public_id, d.code, d.name, COALESCE(d.full_name, '') AS full_name, d.aliases, d.uscc, \
    d.county_code, d.active, \
    c.name AS county_name, (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id) AS users \
    FROM departments d LEFT JOIN counties c ON c.code = d.county_code";

fn dept_row(r: &AnyRow) -> Result<DepartmentRow, AppError> {
    Ok(DepartmentRow {
        public_id: r.try_get("public_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        full_name: r.try_get("full_name")?,
        aliases: r.try_get("aliases")?,
        uscc: r.try_get::<Option<String>, _>("uscc")?.unwrap_or_default(),
        county_code: r
            .try_get::<Option<String>, _>("county_code")?
            .unwrap_or_default(),
        county_name: r
            .try_get::<Option<String>, _>("county_name")?
            .unwrap_or_default(),
        active: r.try_get::<i64, _>("active")? == 1,
        users: r.try_get("users")?,
    })
}

/// The scope condition on `d` for the caller, with its bind value.
fn scope_filter(caller: &Caller) -> (String, Option<String>) {
    match caller.scope {
        Scope::All => ("1 = 1".into(), None),
        Scope::OwnDepartment => (
            "d.id = $1".into(),
            Some(caller.user.department_id.unwrap_or(-1).to_string()),
        ),
        Scope::OwnCounty => (
            "d.county_code = $1".into(),
            Some(caller.user.county_code.clone().unwrap_or_default()),
        ),
    }
}

/// Binds the scope value and the search pattern, in the order `list` numbers them.
fn bind_filters<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    caller: &Caller,
    bind: &Option<String>,
    q: &str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    if let Some(b) = bind {
        // The department id is numeric; bind it as such for PostgreSQL.
        query = match caller.scope {
            Scope::OwnDepartment => query.bind(b.parse::<i64>().unwrap_or(-1)),
            _ => query.bind(b.clone()),
        };
    }
    if !q.trim().is_empty() {
        query = query.bind(crate::server::db::sql::like_pattern(q));
    }
    query
}

/// Departments within the caller's scope, filtered by `q`, sorted by `sort`, one page of them
/// (`page = None`: all, for choosers and exports), with every county.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    q: &str,
    sort: &str,
    page: Option<i64>,
) -> Result<Orgs, AppError> {
    let (cond, bind) = scope_filter(caller);
    let mut where_sql = cond;
    if !q.trim().is_empty() {
        let n = if bind.is_some() { 2 } else { 1 };
        where_sql.push_str(&format!(
            " AND (LOWER(d.name) LIKE ${n} ESCAPE '\\' OR LOWER(d.code) LIKE ${n} ESCAPE '\\')"
        ));
    }
    let count_sql = format!("SELECT COUNT(*) AS n FROM departments d WHERE {where_sql}");
    let total: i64 = bind_filters(sqlx::query(&count_sql), caller, &bind, q)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("n")?;
    let order = crate::server::db::sql::order_by(
        sort,
        &[
            ("code", "d.code"),
            ("name", "d.name"),
            ("county", "d.county_code"),
            ("users", "users"),
        ],
        "d.county_code ASC, d.code ASC",
    );
    let (per_page, page_no) = match page {
        Some(p) => (PER_PAGE, p.max(1)),
        None => (MAX_DEPARTMENTS, 1),
    };
    let sql = format!(
        "{DEPT_SELECT} WHERE {where_sql} ORDER BY {order}, d.id LIMIT {per_page} OFFSET {}",
        (page_no - 1) * per_page
    );
    let rows = bind_filters(sqlx::query(&sql), caller, &bind, q)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(dept_row)
        .collect::<Result<Vec<_>, _>>()?;
    let departments = Page {
        rows,
        total,
        page: page_no,
        per_page,
    };
    let counties = sqlx::query(
        "SELECT c.code, c.name, c.sort_order, (SELECT COUNT(*) FROM departments d WHERE d.county_code = c.code) \
         AS departments FROM counties c ORDER BY c.sort_order, c.code",
    )
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(CountyRow {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            sort_order: r.try_get("sort_order")?,
            departments: r.try_get("departments")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Orgs {
        departments,
        counties,
        can_manage: may(&caller.user.roles, Action::OrgManage),
    })
}

/// One department's profile: 403 outside the caller's scope, 404 when it does not exist.
pub async fn department(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
) -> Result<DepartmentDetail, AppError> {
    let r = sqlx::query(&format!("{DEPT_SELECT} WHERE d.public_id = $1"))
        .bind(public_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该信源单位".into()))?;
    let id: i64 = r.try_get("id")?;
    let row = dept_row(&r)?;
    caller.check_unit(
        Some(id),
        Some(row.county_code.as_str()).filter(|c| !c.is_empty()),
    )?;
    let count = |table: &'static str| {
        let pool = state.db.pool.clone();
        async move {
            let n: i64 = sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM {table} WHERE department_id = $1"
            ))
            .bind(id)
            .fetch_one(&pool)
            .await?
            .try_get("n")?;
            Ok::<i64, AppError>(n)
        }
    };
    let licences = count("licences").await?;
    let penalties = count("penalties").await?;
    let latest_decision = sqlx::query(
        "SELECT MAX(decision_date) AS d FROM (SELECT decision_date FROM licences WHERE department_id = $1 \
         UNION ALL SELECT decision_date FROM penalties WHERE department_id = $1) x",
    )
    .bind(id)
    .fetch_one(&state.db.pool)
    .await?
    .try_get("d")?;
    let accounts = sqlx::query(
        "SELECT username, display_name FROM users WHERE department_id = $1 ORDER BY username",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|a| Ok((a.try_get("username")?, a.try_get("display_name")?)))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(DepartmentDetail {
        row,
        licences,
        penalties,
        latest_decision,
        accounts,
        can_manage: may(&caller.user.roles, Action::OrgManage),
    })
}

pub struct DepartmentInput {
    pub public_id: String,
    pub code: String,
    pub name: String,
    pub full_name: String,
    /// Separated by ; ； 、 or new lines.
    pub aliases: String,
    pub uscc: String,
    pub county_code: String,
    pub active: bool,
}

/// Creates (empty `public_id`) or updates a department.
pub async fn save_department(
    state: &AppState,
    caller: &Caller,
    d: &DepartmentInput,
) -> Result<String, AppError> {
    let clean = clean_department(d)?;
    check_county(state, clean.county).await?;
    let mut tx = state.db.begin().await?;
    check_unique(&mut tx, &d.public_id, &clean).await?;
    let now = state.clock.now_text();
    let public_id = write_department(&mut tx, d, &clean, &now).await?;
    let CleanDepartment {
        code,
        name,
        aliases,
        ..
    } = &clean;
    caller
        .event("org.department_save", "success")
        .on("department", &public_id)
        .with(serde_json::json!({
            "code": code, "name": name, "full_name": clean.stored_full_name(),
            "aliases": aliases.join(";"), "active": d.active
        }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// A department form trimmed, upper-cased where codes are, and checked field by field.
struct CleanDepartment<'a> {
    code: String,
    name: &'a str,
    full_name: &'a str,
    aliases: Vec<String>,
    uscc: String,
    county: Option<&'a str>,
}

impl CleanDepartment<'_> {
    /// The full name as stored: none when empty or the same as the short name.
    fn stored_full_name(&self) -> Option<&str> {
        Some(self.full_name).filter(|f| !f.is_empty() && *f != self.name)
    }
}

/// Checks the form's fields on their own; every problem is reported at once.
fn clean_department(d: &DepartmentInput) -> Result<CleanDepartment<'_>, AppError> {
    let mut problems = vec![];
    let code = d.code.trim().to_uppercase();
    let name = d.name.trim();
    if code.is_empty()
        || code.len() > 20
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        problems.push((
            "code",
            "DEPT_CODE",
            "单位编码应为 1–20 位字母、数字或 -。".to_string(),
        ));
    }
    if name.is_empty() || name.chars().count() > 60 {
        problems.push((
            "name",
            "DEPT_NAME",
            "请填写单位名称（1–60 个字）。".to_string(),
        ));
    }
    let full_name = d.full_name.trim();
    if full_name.chars().count() > 80 {
        problems.push((
            "full_name",
            "DEPT_FULL_NAME",
            "单位全称不超过 80 个字。".to_string(),
        ));
    }
    let aliases = crate::rules::clean::row::split_aliases(&d.aliases);
    if aliases.len() > 20 || aliases.iter().any(|a| a.chars().count() > 60) {
        problems.push((
            "aliases",
            "DEPT_ALIASES",
            "别名最多 20 个，每个不超过 60 个字，用分号或顿号分隔。".to_string(),
        ));
    }
    let uscc_text = d.uscc.trim().to_uppercase();
    if !uscc_text.is_empty() {
        if let Err(fault) = uscc::validate(&uscc_text) {
            problems.push(("uscc", fault.code(), fault.message()));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(
            problems
                .into_iter()
                .map(|(f, c, m)| crate::error::FieldError {
                    field: f.into(),
                    code: c.into(),
                    message: m,
                })
                .collect(),
        ));
    }
    Ok(CleanDepartment {
        code,
        name,
        full_name,
        aliases,
        uscc: uscc_text,
        county: Some(d.county_code.trim()).filter(|c| !c.is_empty()),
    })
}

/// A county, when one is chosen, must exist.
async fn check_county(state: &AppState, county: Option<&str>) -> Result<(), AppError> {
    let Some(c) = county else {
        return Ok(());
    };
    let found = sqlx::query("SELECT code FROM counties WHERE code = $1")
        .bind(c)
        .fetch_optional(&state.db.pool)
        .await?;
    if found.is_none() {
        return Err(AppError::field(
            "county_code",
            "COUNTY_UNKNOWN",
            "请选择所在区县。",
        ));
    }
    Ok(())
}

/// The code, and every name (full name, alias), must belong to this department only.
async fn check_unique(
    conn: &mut sqlx::AnyConnection,
    public_id: &str,
    c: &CleanDepartment<'_>,
) -> Result<(), AppError> {
    let clash = sqlx::query("SELECT public_id FROM departments WHERE code = $1")
        .bind(&c.code)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get::<String, _>("public_id"))
        .transpose()?;
    if clash.is_some_and(|p| p != public_id) {
        return Err(AppError::field(
            "code",
            "DEPT_CODE_TAKEN",
            format!("单位编码“{}”已被使用。", c.code),
        ));
    }
    // A name (full name, alias) must point at one department only, or the authority fill could not
    // tell them apart.
    let names: Vec<&str> = [c.name, c.full_name]
        .into_iter()
        .chain(c.aliases.iter().map(String::as_str))
        .filter(|n| !n.is_empty())
        .collect();
    if let Some(taken) = name_taken(conn, public_id, &names).await? {
        let field = if taken.0 == c.name {
            "name"
        } else if taken.0 == c.full_name {
            "full_name"
        } else {
            "aliases"
        };
        return Err(AppError::field(
            field,
            "DEPT_NAME_TAKEN",
            format!(
                "“{}”已是单位“{}”的名称或别名：同一名称只能属于一个单位。",
                taken.0, taken.1
            ),
        ));
    }
    Ok(())
}

/// Inserts the department (empty `public_id`, a new one is made) or updates it; returns its public id.
async fn write_department(
    conn: &mut sqlx::AnyConnection,
    d: &DepartmentInput,
    c: &CleanDepartment<'_>,
    now: &str,
) -> Result<String, AppError> {
    let aliases_text = c.aliases.join(";");
    let uscc = Some(c.uscc.as_str()).filter(|u| !u.is_empty());
    if d.public_id.is_empty() {
        let p = uuid::Uuid::new_v4().simple().to_string();
        sqlx::query(
            "INSERT INTO departments (public_id, code, name, uscc, county_code, active, created_at, full_name, aliases) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&p)
        .bind(&c.code)
        .bind(c.name)
        .bind(uscc)
        .bind(c.county)
        .bind(d.active as i64)
        .bind(now)
        .bind(c.stored_full_name())
        .bind(&aliases_text)
        .execute(&mut *conn)
        .await?;
        return Ok(p);
    }
    let done = sqlx::query(
        "UPDATE departments SET code = $1, name = $2, uscc = $3, county_code = $4, active = $5, \
         full_name = $7, aliases = $8 WHERE public_id = $6",
    )
    .bind(&c.code)
    .bind(c.name)
    .bind(uscc)
    .bind(c.county)
    .bind(d.active as i64)
    .bind(&d.public_id)
    .bind(c.stored_full_name())
    .bind(&aliases_text)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("该信源单位".into()));
    }
    Ok(d.public_id.clone())
}

/// The first of `names` another department already goes by: (the name, that department's name).
async fn name_taken(
    conn: &mut sqlx::AnyConnection,
    public_id: &str,
    names: &[&str],
) -> Result<Option<(String, String)>, AppError> {
    use crate::rules::clean::row::normalize_name;
    let others = sqlx::query(
        "SELECT name, COALESCE(full_name, '') AS full_name, aliases FROM departments WHERE public_id <> $1",
    )
    .bind(public_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in &others {
        let other: String = r.try_get("name")?;
        let full: String = r.try_get("full_name")?;
        let aliases = crate::rules::clean::row::split_aliases(&r.try_get::<String, _>("aliases")?);
        let theirs: Vec<String> = [other.as_str(), full.as_str()]
            .into_iter()
            .chain(aliases.iter().map(String::as_str))
            .map(normalize_name)
            .filter(|n| !n.is_empty())
            .collect();
        if let Some(n) = names.iter().find(|n| theirs.contains(&normalize_name(n))) {
            return Ok(Some((n.to_string(), other)));
        }
    }
    Ok(None)
}

pub async fn save_county(
    state: &AppState,
    caller: &Caller,
    code: &str,
    name: &str,
    sort_order: i64,
) -> Result<(), AppError> {
    let code = code.trim();
    let name = name.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::field(
            "code",
            "COUNTY_CODE",
            "区县代码应为 6 位数字（GB/T 2260）。",
        ));
    }
    if name.is_empty() || name.chars().count() > 30 {
        return Err(AppError::field(
            "name",
            "COUNTY_NAME",
            "请填写区县名称（1–30 个字）。",
        ));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO counties (code, name, sort_order) VALUES ($1, $2, $3) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, sort_order = excluded.sort_order",
    )
    .bind(code)
    .bind(name)
    .bind(sort_order)
    .execute(&mut *tx)
    .await?;
    caller
        .event("org.county_save", "success")
        .on("county", code)
        .with(serde_json::json!({ "name": name, "sort_order": sort_order }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Active units, for pick lists.
pub async fn unit_options(state: &AppState) -> Result<Vec<UnitOption>, AppError> {
    sqlx::query("SELECT id, name FROM departments WHERE active = 1 ORDER BY id")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(UnitOption {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}
