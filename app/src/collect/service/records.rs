//! Stored records for staff: find a record in the caller's scope, see every version with its diff,
//! and take a record off public view at once with a reason (docs/domain.md §6.6: a withdrawal is a version).
use super::confirm::{insert_version, masked_ids, Actor, Change};
use super::{catalogue, store};
use crate::auth::policy::{may, Action, Scope};
use crate::collect::model::*;
use crate::error::AppError;
use crate::paging::Page;
use crate::rules::catalog::ClassSpec;
use crate::server::authz::Caller;
use crate::server::db::sql::{like_pattern, PER_PAGE};
use crate::server::db::BulkConn;
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;

/// (table, class code) of a record kind in a URL.
fn table_of(kind: &str) -> Result<(&'static str, &'static str), AppError> {
    match kind {
        "penalty" => Ok(("penalties", "penalty")),
        "licence" => Ok(("licences", "licence")),
        _ => Err(AppError::NotFound("该类记录".into())),
    }
}

fn state_label(published: i64, withdrawn: i64) -> &'static str {
    match (published, withdrawn) {
        (0, _) => "待确认发布",
        (_, 1) => "已撤下",
        _ => "公示中",
    }
}

/// `AND …` limiting records `t` to the caller's scope, as the n-th bind.
fn scope_clause(caller: &Caller, n: usize) -> (String, Option<String>) {
    match caller.scope {
        Scope::All => (String::new(), None),
        Scope::OwnDepartment => (
            format!(" AND t.department_id = CAST(${n} AS BIGINT)"),
            Some(caller.user.department_id.unwrap_or(-1).to_string()),
        ),
        Scope::OwnCounty => (
            format!(" AND t.county_code = ${n}"),
            Some(caller.user.county_code.clone().unwrap_or_default()),
        ),
    }
}

pub async fn search(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    q: &str,
    page: i64,
) -> Result<Page<RecordRow>, AppError> {
    let kind = if kind.is_empty() { "penalty" } else { kind };
    let (table, _) = table_of(kind)?;
    let page = page.max(1);
    let q = q.trim();
    let (scope, scope_value) = scope_clause(caller, 3);
    // By decision number, subject name or code; without a query, the latest records.
    let filter = format!(
        "WHERE ($1 = '' OR t.decision_no LIKE $1 ESCAPE '\\' OR t.subject_name LIKE $1 ESCAPE '\\' \
         OR t.subject_uscc = $2){scope}"
    );
    let pattern = if q.is_empty() {
        String::new()
    } else {
        like_pattern(q)
    };
    let count_sql = format!("SELECT COUNT(*) AS n FROM {table} t {filter}");
    let rows_sql = format!(
        "SELECT t.public_id, t.decision_no, t.subject_name, t.decision_date, COALESCE(d.name, '') AS unit, \
         t.published, t.withdrawn, t.version FROM {table} t LEFT JOIN departments d ON d.id = t.department_id \
         {filter} ORDER BY t.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let code = crate::rules::normalize::identifier(q);
    let mut count = sqlx::query(&count_sql).bind(&pattern).bind(&code);
    let mut rows = sqlx::query(&rows_sql).bind(&pattern).bind(&code);
    if let Some(v) = &scope_value {
        count = count.bind(v.clone());
        rows = rows.bind(v.clone());
    }
    let pool = &state.db.pool;
    let total: i64 = count.fetch_one(pool).await?.try_get("n")?;
    let rows = rows
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RecordRow {
                kind: kind.to_string(),
                public_id: r.try_get("public_id")?,
                decision_no: r.try_get("decision_no")?,
                subject_name: r.try_get("subject_name")?,
                decision_date: r.try_get("decision_date")?,
                unit: r.try_get("unit")?,
                state: state_label(r.try_get("published")?, r.try_get("withdrawn")?).into(),
                version: r.try_get("version")?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The record row after the scope check (outside the scope it does not exist for the caller).
async fn find(
    state: &AppState,
    caller: &Caller,
    table: &str,
    public_id: &str,
) -> Result<AnyRow, AppError> {
    let row = sqlx::query(&format!(
        "SELECT t.id, t.department_id, t.county_code, t.subject_name, t.decision_no, t.published, t.withdrawn, \
         t.version, t.batch_id, t.created_at, COALESCE(t.filled, '') AS filled FROM {table} t WHERE t.public_id = $1"
    ))
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该记录".into()))?;
    let county: Option<String> = row.try_get("county_code")?;
    caller
        .check_unit(row.try_get("department_id")?, county.as_deref())
        .map_err(|_| AppError::NotFound("该记录".into()))?;
    Ok(row)
}

async fn shown_values(
    state: &AppState,
    spec: &ClassSpec,
    table: &str,
    id: i64,
) -> Result<Vec<(String, String)>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let cmp = store::stored_comparable(
        &mut BulkConn::Borrowed(&mut conn, state.db.backend),
        spec,
        Some(table),
        id,
    )
    .await?;
    let masked = masked_ids(&mut conn, spec, Some(table), id).await?;
    Ok(spec
        .fields
        .iter()
        .zip(cmp)
        .map(|(f, v)| {
            let shown = store::display_value(
                &f.key,
                f.field_type,
                &v,
                masked.get(&f.key).map(String::as_str),
            );
            let shown = if f.key == "severity" {
                crate::rules::disclosure::Severity::parse(&shown)
                    .map_or(shown, |s| s.label().to_string())
            } else {
                shown
            };
            (f.name.clone(), shown)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect())
}

pub async fn detail(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    public_id: &str,
) -> Result<RecordDetail, AppError> {
    let (table, class) = table_of(kind)?;
    let row = find(state, caller, table, public_id).await?;
    let id: i64 = row.try_get("id")?;
    let (_, spec) = catalogue::load(state, class).await?;
    let fields = shown_values(state, &spec, table, id).await?;
    let filled = row
        .try_get::<String, _>("filled")?
        .split(';')
        .filter_map(|p| p.split_once(':'))
        .map(|(k, src)| {
            (
                spec.field(k).map_or(k.to_string(), |f| f.name.clone()),
                src.to_string(),
            )
        })
        .collect();
    let pool = &state.db.pool;
    // Version 1 is the record as its batch created it.
    let mut versions = vec![];
    let batch_id: Option<i64> = row.try_get("batch_id")?;
    let first = match batch_id {
        Some(b) => sqlx::query(
            "SELECT b.public_id, COALESCE(u.display_name, '接口') AS actor, COALESCE(b.confirmed_at, b.created_at) AS at \
             FROM batches b LEFT JOIN users u ON u.id = b.created_by WHERE b.id = $1",
        )
        .bind(b)
        .fetch_optional(pool)
        .await?
        .map(|r| -> Result<(Option<String>, String, String), AppError> {
            Ok((Some(r.try_get("public_id")?), r.try_get("actor")?, r.try_get("at")?))
        })
        .transpose()?,
        None => None,
    };
    let (batch, actor_name, at) =
        first.unwrap_or((None, "初始导入".into(), row.try_get("created_at")?));
    versions.push(VersionView {
        version: 1,
        action: version_action_label("create").into(),
        actor: actor_name,
        at,
        reason: String::new(),
        batch,
        changes: vec![],
    });
    for r in sqlx::query(
        "SELECT v.version, v.action, v.actor_name, v.at, v.reason, v.changes, b.public_id AS batch \
         FROM record_versions v LEFT JOIN batches b ON b.id = v.batch_id \
         WHERE v.record_kind = $1 AND v.record_id = $2 ORDER BY v.version",
    )
    .bind(kind)
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        let changes: Vec<Change> = serde_json::from_str(&r.try_get::<String, _>("changes")?).unwrap_or_default();
        versions.push(VersionView {
            version: r.try_get("version")?,
            action: version_action_label(&r.try_get::<String, _>("action")?).into(),
            actor: r.try_get("actor_name")?,
            at: r.try_get("at")?,
            reason: r.try_get("reason")?,
            batch: r.try_get("batch")?,
            changes: changes
                .into_iter()
                .map(|c| ChangeView {
                    label: c.label,
                    from: c.from,
                    to: c.to,
                })
                .collect(),
        });
    }
    let withdrawn: i64 = row.try_get("withdrawn")?;
    let published: i64 = row.try_get("published")?;
    let sealed: i64 = sqlx::query(&format!(
        "SELECT CASE WHEN {} IS NULL THEN 0 ELSE 1 END AS sealed FROM {table} WHERE id = $1",
        store::ORIGINALS_COLUMN
    ))
    .bind(id)
    .fetch_one(pool)
    .await?
    .try_get("sealed")?;
    Ok(RecordDetail {
        kind: kind.into(),
        kind_name: spec.name.clone(),
        public_id: public_id.into(),
        title: format!(
            "{} · {}",
            row.try_get::<String, _>("subject_name")?,
            row.try_get::<String, _>("decision_no")?
        ),
        state: state_label(published, withdrawn).into(),
        fields,
        filled,
        versions,
        can_withdraw: published == 1
            && withdrawn == 0
            && may(&caller.user.roles, Action::RecordWithdraw),
        can_unmask: sealed == 1 && may(&caller.user.roles, Action::RecordUnmask),
    })
}

/// The text as sent of the record's fields whose ID or phone numbers were masked on the public copy:
/// (field name, text). Only for callers the policy lets read them (`RecordUnmask`, within its scope;
/// outside it the record does not exist), and every read is audited (docs/domain.md §3.3).
pub async fn originals(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    public_id: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let scope = crate::auth::policy::scope_for(&caller.user.roles, Action::RecordUnmask)
        .ok_or(AppError::Forbidden)?;
    let caller = Caller {
        scope,
        ..caller.clone()
    };
    let (table, class) = table_of(kind)?;
    let row = find(state, &caller, table, public_id).await?;
    let id: i64 = row.try_get("id")?;
    let sealed: Option<String> = sqlx::query(&format!(
        "SELECT {} AS sealed FROM {table} WHERE id = $1",
        store::ORIGINALS_COLUMN
    ))
    .bind(id)
    .fetch_one(&state.db.pool)
    .await?
    .try_get("sealed")?;
    let (_, spec) = catalogue::load(state, class).await?;
    let texts = match sealed {
        Some(s) => store::open_originals(&state.secrets, &s)?,
        None => vec![],
    };
    let mut tx = state.db.begin().await?;
    caller
        .audit(
            &mut tx,
            state,
            "collect.record_unmask",
            Some((kind, public_id)),
            serde_json::json!({
                "fields": texts.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>()
            }),
        )
        .await?;
    tx.commit().await?;
    Ok(texts
        .into_iter()
        .map(|(k, text)| (spec.field(&k).map_or(k, |f| f.name.clone()), text))
        .collect())
}

pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    public_id: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.chars().count() < 4 {
        return Err(AppError::field(
            "reason",
            "REQUIRED",
            "请填写撤下原因（至少4个字），如“处罚决定已被撤销（湘西市监撤〔2026〕3号）”。",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "TOO_LONG",
            "撤下原因不超过500字，请精简。",
        ));
    }
    let (table, _) = table_of(kind)?;
    let row = find(state, caller, table, public_id).await?;
    let id: i64 = row.try_get("id")?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let version: Option<i64> = sqlx::query(&format!(
        "UPDATE {table} SET withdrawn = 1, withdrawn_at = $2, version = version + 1, updated_at = $2 \
         WHERE id = $1 AND withdrawn = 0 AND published = 1 RETURNING version"
    ))
    .bind(id)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| r.try_get("version"))
    .transpose()?;
    let Some(version) = version else {
        return Err(AppError::Conflict(
            "该记录已撤下或尚未发布，请刷新后查看。".into(),
        ));
    };
    let who: Actor = caller.actor();
    let change = Change {
        field: "withdrawn".into(),
        label: "公示状态".into(),
        from: "公示中".into(),
        to: "已撤下".into(),
    };
    insert_version(
        &mut tx,
        kind,
        id,
        version,
        "withdraw",
        None,
        &who,
        reason,
        &[change],
        &now,
    )
    .await?;
    crate::server::cache::bump(&mut tx, "portal").await?;
    who.event("collect.record_withdraw", "success")
        .on(kind, public_id)
        .with(serde_json::json!({ "reason": reason, "version": version }))
        .record(&mut tx, state)
        .await?;
    tx.commit().await?;
    Ok(())
}
