//! The audit viewer for the audit admin: filtered lists, one event in full, and the chain status.
use crate::admin::model::{AuditDetail, AuditRow, ChainStatus};
use crate::error::AppError;
use crate::paging::Page;
use crate::server::audit;
use crate::server::db::sql::{like_pattern, PER_PAGE};
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub outcome: String,
    /// YYYY-MM-DD, inclusive, UTC.
    pub from: String,
    pub to: String,
    /// `id`, `at`, `actor`, `action` or `outcome`, `-` for descending; newest first by default.
    pub sort: String,
    pub page: i64,
}

fn row(r: &AnyRow) -> Result<AuditRow, AppError> {
    let object_type: Option<String> = r.try_get("object_type")?;
    let object_id: Option<String> = r.try_get("object_id")?;
    Ok(AuditRow {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor_name: r.try_get("actor_name")?,
        role: r.try_get::<Option<String>, _>("role")?.unwrap_or_default(),
        action: r.try_get("action")?,
        object: match (object_type, object_id) {
            (Some(t), Some(i)) => format!("{t}:{i}"),
            (Some(t), None) => t,
            _ => String::new(),
        },
        outcome: r.try_get("outcome")?,
        ip: r.try_get::<Option<String>, _>("ip")?.unwrap_or_default(),
    })
}

pub async fn list(
    state: &AppState,
    f: &AuditFilter,
    limit: Option<i64>,
) -> Result<Page<AuditRow>, AppError> {
    let mut conds = vec!["1 = 1".to_string()];
    let mut binds: Vec<String> = vec![];
    let mut add = |sql: &str, value: String| {
        binds.push(value);
        conds.push(sql.replace("$n", &format!("${}", binds.len())));
    };
    if !f.actor.trim().is_empty() {
        add(
            "LOWER(actor_name) LIKE $n ESCAPE '\\'",
            like_pattern(&f.actor),
        );
    }
    if !f.action.trim().is_empty() {
        add("action LIKE $n ESCAPE '\\'", like_pattern(&f.action));
    }
    if matches!(f.outcome.as_str(), "success" | "failure" | "denied") {
        add("outcome = $n", f.outcome.clone());
    }
    if crate::rules::date::Ymd::parse_iso(f.from.trim()).is_some() {
        add("at >= $n", format!("{}T00:00:00Z", f.from.trim()));
    }
    if crate::rules::date::Ymd::parse_iso(f.to.trim()).is_some() {
        add("at <= $n", format!("{}T23:59:59.999999999Z", f.to.trim()));
    }
    let where_sql = conds.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) AS n FROM audit_events WHERE {where_sql}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let per_page = limit.unwrap_or(PER_PAGE);
    let page = f.page.max(1);
    let order = crate::server::db::sql::order_by(
        &f.sort,
        &[
            ("id", "id"),
            ("at", "at"),
            ("actor", "actor_name"),
            ("action", "action"),
            ("outcome", "outcome"),
        ],
        "id DESC",
    );
    let sql = format!(
        "SELECT id, at, actor_name, role, action, object_type, object_id, outcome, ip FROM audit_events \
         WHERE {where_sql} ORDER BY {order}, id DESC LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}

pub async fn event(state: &AppState, id: i64) -> Result<AuditDetail, AppError> {
    let r = sqlx::query(
        "SELECT id, at, actor_name, role, action, object_type, object_id, outcome, ip, user_agent, detail, \
         prev_hash, hmac FROM audit_events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该审计记录".into()))?;
    let detail: String = r.try_get("detail")?;
    let pretty = serde_json::from_str::<serde_json::Value>(&detail)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or(detail);
    Ok(AuditDetail {
        row: row(&r)?,
        user_agent: r
            .try_get::<Option<String>, _>("user_agent")?
            .unwrap_or_default(),
        detail: pretty,
        prev_hash: r.try_get("prev_hash")?,
        hmac: r.try_get("hmac")?,
    })
}

pub async fn chain_status(state: &AppState) -> Result<ChainStatus, AppError> {
    let v = audit::verify(&state.db.pool, &state.secrets).await?;
    Ok(ChainStatus {
        intact: v.first_break.is_none(),
        rows: v.rows,
        message: match &v.first_break {
            None => format!(
                "审计链完整：已校验 {} 条记录，未发现修改、删除或顺序变动。",
                v.rows
            ),
            Some(b) => b.message(),
        },
        broken_at: v.first_break.as_ref().and_then(|b| b.row_id()),
        checkpoint: audit::checkpoint_summary(&state.db.pool).await?,
        checked_at: state.clock.now_text(),
    })
}
