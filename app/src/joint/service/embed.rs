//! The embedded check page's credentials and framing (docs/domain.md §8). A unit's system, holding a
//! key with the `check` scope, asks for a ticket naming the handler; the page it frames carries the
//! ticket, and checks made there are logged for that handler and unit. Which origins may frame the
//! page is set per unit by the credit office (audited).
use super::super::embed::parse_origins;
use crate::collect::service::api_keys::KeyHolder;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::AppState;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// How long a ticket lasts: a working day.
pub const TICKET_HOURS: i64 = 10;

/// Who a valid ticket stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketHolder {
    pub department_id: i64,
    pub key_id: i64,
    pub handler: String,
}

fn hash(ticket: &str) -> String {
    hex::encode(Sha256::digest(ticket.trim().as_bytes()))
}

/// A ticket for `handler` of the key's unit: (ticket, expiry as stored).
pub async fn issue(
    state: &AppState,
    key: &KeyHolder,
    handler: &str,
) -> Result<(String, String), AppError> {
    let handler = handler.trim();
    if handler.is_empty() || handler.chars().count() > 40 {
        return Err(AppError::field(
            "handler",
            "HANDLER_REQUIRED",
            "请填写办理人姓名或工号（40字以内）：核查记录将记在其名下。",
        ));
    }
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let ticket = format!("xxt_{}", hex::encode(bytes));
    let now = state.clock.now();
    let expires = crate::server::clock::rfc3339(now + time::Duration::hours(TICKET_HOURS));
    sqlx::query(
        "INSERT INTO embed_tickets (ticket_hash, department_id, api_key_id, handler, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash(&ticket))
    .bind(key.department_id)
    .bind(key.key_id)
    .bind(handler)
    .bind(crate::server::clock::rfc3339(now))
    .bind(&expires)
    .execute(&state.db.pool)
    .await?;
    Ok((ticket, expires))
}

/// The holder of a ticket that has not expired and whose key is not revoked.
pub async fn holder(state: &AppState, ticket: &str) -> Result<Option<TicketHolder>, AppError> {
    if !ticket.trim().starts_with("xxt_") {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.department_id, t.api_key_id, t.handler FROM embed_tickets t JOIN api_keys k ON k.id = t.api_key_id \
         WHERE t.ticket_hash = $1 AND t.expires_at > $2 AND k.revoked_at IS NULL",
    )
    .bind(hash(ticket))
    .bind(state.clock.now_text())
    .fetch_optional(&state.db.pool)
    .await?;
    row.map(|r| {
        Ok(TicketHolder {
            department_id: r.try_get("department_id")?,
            key_id: r.try_get("api_key_id")?,
            handler: r.try_get("handler")?,
        })
    })
    .transpose()
}

/// The origins allowed to frame a unit's page.
pub async fn origins(state: &AppState, department_id: i64) -> Result<Vec<String>, AppError> {
    let text: Option<String> = sqlx::query("SELECT embed_origins FROM departments WHERE id = $1")
        .bind(department_id)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|r| r.try_get("embed_origins"))
        .transpose()?;
    Ok(parse_origins(&text.unwrap_or_default()).unwrap_or_default())
}

/// Every active unit with its origins: (public id, name, origins).
pub async fn all_origins(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<(String, String, Vec<String>)>, AppError> {
    let (scope, bound) = crate::collect::service::batches::unit_scope_clause(caller, 1, "d.id");
    let sql = format!(
        "SELECT d.public_id, d.name, d.embed_origins FROM departments d WHERE d.active = 1{scope} ORDER BY d.code"
    );
    let mut q = sqlx::query(&sql);
    if let Some(b) = bound {
        q = q.bind(b);
    }
    q.fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            let text: String = r.try_get("embed_origins")?;
            Ok((
                r.try_get("public_id")?,
                r.try_get("name")?,
                parse_origins(&text).unwrap_or_default(),
            ))
        })
        .collect()
}

/// Sets the origins that may frame a unit's page (audited).
pub async fn save_origins(
    state: &AppState,
    caller: &Caller,
    unit: &str,
    text: &str,
) -> Result<(), AppError> {
    let list = parse_origins(text).map_err(|e| AppError::Validation(vec![e]))?;
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("UPDATE departments SET embed_origins = $2 WHERE public_id = $1")
        .bind(unit)
        .bind(list.join(" "))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound("该单位".into()));
    }
    caller
        .audit(
            &mut tx,
            state,
            "joint.embed_origins",
            Some(("department", unit)),
            serde_json::json!({ "origins": list }),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
