//! The append-only, hash-chained audit log. Each row stores the hash of the row before it and an HMAC
//! (audit subkey) over its own hash, so that `server verify-audit` finds any edited, deleted or
//! reordered row. Appends run inside the caller's transaction, so the audit row commits with the change.
use super::{clock::Clock, secrets::hmac_sha256, secrets::Secrets, AppState};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, FromRow, Row};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened: who, what, to which object, with what outcome, from where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AuditEvent {
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Structured detail (JSON object). Stored as text, read as `Stored::detail_text`.
    #[sqlx(skip)]
    pub detail: serde_json::Value,
}

impl AuditEvent {
    pub fn new(actor_name: &str, action: &str, outcome: &str) -> Self {
        AuditEvent {
            actor_name: actor_name.into(),
            action: action.into(),
            outcome: outcome.into(),
            detail: serde_json::json!({}),
            ..Default::default()
        }
    }

    /// The object the event is about (type, id).
    pub fn on(mut self, object_type: &str, object_id: impl ToString) -> Self {
        self.object_type = Some(object_type.into());
        self.object_id = Some(object_id.to_string());
        self
    }

    /// Only the kind of object, for an action on many of them at once.
    pub fn about(mut self, object_type: &str) -> Self {
        self.object_type = Some(object_type.into());
        self
    }

    /// The structured detail (a JSON object).
    pub fn with(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Appends the event inside the transaction of the change it records: the last write before
    /// commit, so a failure rolls back both (see [`append`]).
    pub async fn record(&self, conn: &mut AnyConnection, state: &AppState) -> Result<(), AppError> {
        append(conn, &state.secrets, &state.clock, self).await?;
        Ok(())
    }
}

/// Who acts, as the audit records them: a signed-in user (`Caller::actor`) or an actor that is not
/// one (the command line, a system job, an API key holder: [`Actor::named`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Actor {
    /// An actor that is not a user account, e.g. `cli`, `system` or `apikey:<prefix>`.
    pub fn named(name: &str) -> Self {
        Actor {
            name: name.into(),
            ..Default::default()
        }
    }

    /// An event by this actor, with who and where filled in.
    pub fn event(&self, action: &str, outcome: &str) -> AuditEvent {
        AuditEvent {
            actor_id: self.user_id,
            role: self.role.clone(),
            ip: self.ip.clone(),
            user_agent: self.user_agent.clone(),
            ..AuditEvent::new(&self.name, action, outcome)
        }
    }

    /// Records a successful action inside the transaction of the change (the last write before
    /// commit), so a failure rolls back both. `object` is (type, id).
    pub async fn audit(
        &self,
        conn: &mut AnyConnection,
        state: &AppState,
        action: &str,
        object: Option<(&str, &str)>,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        let mut e = self.event(action, "success").with(detail);
        if let Some((object_type, object_id)) = object {
            e = e.on(object_type, object_id);
        }
        e.record(conn, state).await
    }
}

/// The stored fields that the chain covers, in a fixed order: a full `audit_events` row.
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    at: String,
    #[sqlx(flatten)]
    event: AuditEvent,
    #[sqlx(rename = "detail")]
    detail_text: String,
    prev_hash: String,
    hmac: String,
}

impl Stored {
    fn hash(&self) -> String {
        row_hash(&self.prev_hash, &self.at, &self.event, &self.detail_text)
    }
}

fn row_hash(prev_hash: &str, at: &str, e: &AuditEvent, detail_text: &str) -> String {
    // A JSON array is an unambiguous encoding of the fields.
    let canonical = serde_json::json!([
        prev_hash,
        at,
        e.actor_id,
        e.actor_name,
        e.role,
        e.action,
        e.object_type,
        e.object_id,
        e.outcome,
        e.ip,
        e.user_agent,
        detail_text
    ])
    .to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn seal(secrets: &Secrets, hash: &str) -> String {
    hex::encode(hmac_sha256(&secrets.audit_key, hash.as_bytes()))
}

fn head_seal(secrets: &Secrets, last_id: i64, last_hash: &str) -> String {
    seal(secrets, &format!("{last_id}:{last_hash}"))
}

/// Pass the transaction, never a bare pooled connection: the head lock must last until commit.
/// Make it the last write of the transaction, so the lock is held briefly.
/// Appends an event inside the caller's transaction. Returns the new row's id.
pub async fn append(
    conn: &mut AnyConnection,
    secrets: &Secrets,
    clock: &Clock,
    event: &AuditEvent,
) -> Result<i64, AppError> {
    let at = clock.now_text();
    // Updating the head first takes its lock (PostgreSQL row lock; SQLite write lock) before reading it.
    let head =
        sqlx::query("UPDATE audit_chain_head SET updated_at = $1 WHERE id = 1 RETURNING last_hash")
            .bind(&at)
            .fetch_one(&mut *conn)
            .await?;
    let prev_hash: String = head.try_get("last_hash")?;
    let detail_text = event.detail.to_string();
    let hash = row_hash(&prev_hash, &at, event, &detail_text);
    let id: i64 = sqlx::query(
        "INSERT INTO audit_events (at, actor_id, actor_name, role, action, object_type, object_id, outcome, ip, \
         user_agent, detail, prev_hash, hmac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(&at)
    .bind(event.actor_id)
    .bind(&event.actor_name)
    .bind(event.role.as_deref())
    .bind(&event.action)
    .bind(event.object_type.as_deref())
    .bind(event.object_id.as_deref())
    .bind(&event.outcome)
    .bind(event.ip.as_deref())
    .bind(event.user_agent.as_deref())
    .bind(&detail_text)
    .bind(&prev_hash)
    .bind(seal(secrets, &hash))
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    sqlx::query("UPDATE audit_chain_head SET last_id = $1, last_hash = $2, seal = $3 WHERE id = 1")
        .bind(id)
        .bind(&hash)
        .bind(head_seal(secrets, id, &hash))
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Where verification found the chain broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Break {
    /// The row's content no longer matches its HMAC.
    Edited { id: i64 },
    /// The row does not follow the one before it: rows were deleted or reordered before it.
    Discontinuity { id: i64 },
    /// The last rows were removed: the head names a later row than the table holds.
    TruncatedTail { head_last_id: i64, last_id: i64 },
    /// A retention checkpoint does not carry a valid seal.
    ForgedCheckpoint { id: i64 },
}

impl Break {
    /// The audit row where the chain breaks, when there is one.
    pub fn row_id(&self) -> Option<i64> {
        match self {
            Break::Edited { id } | Break::Discontinuity { id } => Some(*id),
            Break::TruncatedTail { last_id, .. } => Some(*last_id),
            Break::ForgedCheckpoint { .. } => None,
        }
    }
}

impl Break {
    pub fn message(&self) -> String {
        match self {
            Break::Edited { id } => format!("第 {id} 条审计记录的内容被修改（HMAC 不符）。"),
            Break::Discontinuity { id } => {
                format!("第 {id} 条审计记录与前一条不衔接：其前面的记录被删除或顺序被改动。")
            }
            Break::ForgedCheckpoint { id } => {
                format!("第 {id} 个保留期检查点的签名无效：检查点被伪造或篡改。")
            }
            Break::TruncatedTail { head_last_id, last_id } => format!(
                "审计链末尾被截断：链头记录的最后一条为第 {head_last_id} 条，表中最后一条为第 {last_id} 条。"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub rows: u64,
    pub first_break: Option<Break>,
}

/// Walks the whole chain in id order, in pages, and reports the first break.
pub async fn verify(pool: &sqlx::AnyPool, secrets: &Secrets) -> Result<Verification, AppError> {
    const PAGE: i64 = 5_000;
    // Verify up to the head as it is now: rows appended meanwhile are checked next time.
    let head = sqlx::query("SELECT last_id, last_hash, seal FROM audit_chain_head WHERE id = 1")
        .fetch_one(pool)
        .await?;
    let head_last_id: i64 = head.try_get("last_id")?;
    let head_hash: String = head.try_get("last_hash")?;
    let head_sealed: String = head.try_get("seal")?;
    let (mut after, mut expected_prev) = match latest_checkpoint(pool, secrets).await? {
        Ok(Some((through_id, through_hash))) => (through_id, through_hash),
        Ok(None) => (0, GENESIS.to_string()),
        Err(id) => {
            return Ok(Verification {
                rows: 0,
                first_break: Some(Break::ForgedCheckpoint { id }),
            })
        }
    };
    let mut rows = 0u64;
    let mut last_id = after;
    loop {
        let page = sqlx::query(
            "SELECT id, at, actor_id, actor_name, role, action, object_type, object_id, outcome, ip, user_agent, \
             detail, prev_hash, hmac FROM audit_events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3",
        )
        .bind(after)
        .bind(head_last_id)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        if page.is_empty() {
            break;
        }
        for r in &page {
            let s = Stored::from_row(r)?;
            let hash = s.hash();
            if seal(secrets, &hash) != s.hmac {
                return Ok(Verification {
                    rows,
                    first_break: Some(Break::Edited { id: s.id }),
                });
            }
            if s.prev_hash != expected_prev {
                return Ok(Verification {
                    rows,
                    first_break: Some(Break::Discontinuity { id: s.id }),
                });
            }
            expected_prev = hash;
            rows += 1;
            last_id = s.id;
        }
        after = last_id;
    }
    // A head rewritten to hide a cut tail no longer matches its seal.
    let head_forged =
        head_last_id > 0 && head_sealed != head_seal(secrets, head_last_id, &head_hash);
    if head_last_id != last_id || head_hash != expected_prev || head_forged {
        return Ok(Verification {
            rows,
            first_break: Some(Break::TruncatedTail {
                head_last_id,
                last_id,
            }),
        });
    }
    Ok(Verification {
        rows,
        first_break: None,
    })
}

fn checkpoint_seal(secrets: &Secrets, through_id: i64, through_hash: &str) -> String {
    seal(secrets, &format!("checkpoint:{through_id}:{through_hash}"))
}

/// The newest retention checkpoint: `Ok(Some((through_id, through_hash)))`, or `Err(id)` when its seal
/// is wrong.
async fn latest_checkpoint(
    pool: &sqlx::AnyPool,
    secrets: &Secrets,
) -> Result<Result<Option<(i64, String)>, i64>, AppError> {
    let row = sqlx::query(
        "SELECT id, through_id, through_hash, seal FROM audit_checkpoints ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(Ok(None));
    };
    let id: i64 = r.try_get("id")?;
    let through_id: i64 = r.try_get("through_id")?;
    let through_hash: String = r.try_get("through_hash")?;
    let sealed: String = r.try_get("seal")?;
    if sealed != checkpoint_seal(secrets, through_id, &through_hash) {
        return Ok(Err(id));
    }
    Ok(Ok(Some((through_id, through_hash))))
}

/// The newest checkpoint, described for the audit viewer.
pub async fn checkpoint_summary(pool: &sqlx::AnyPool) -> Result<Option<String>, AppError> {
    let row = sqlx::query(
        "SELECT through_id, pruned_rows, created_at FROM audit_checkpoints ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(format!(
            "{} 已按保存期清理至第 {} 条（本次清理 {} 条），校验从该检查点继续。",
            r.try_get::<String, _>("created_at")?,
            r.try_get::<i64, _>("through_id")?,
            r.try_get::<i64, _>("pruned_rows")?
        ))
    })
    .transpose()
}

/// Retention: removes rows older than `before` (RFC 3339) and leaves a sealed checkpoint holding the id
/// and hash of the last removed row, so that the rest of the chain still verifies. The pruning itself is
/// audited. Returns the number of rows removed.
pub async fn prune(
    db: &super::db::Db,
    secrets: &Secrets,
    clock: &Clock,
    before: &str,
) -> Result<u64, AppError> {
    let mut tx = db.begin().await?;
    // Take the head lock first, so no append interleaves.
    sqlx::query("UPDATE audit_chain_head SET updated_at = updated_at WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let last = sqlx::query(
        "SELECT id, at, actor_id, actor_name, role, action, object_type, object_id, outcome, ip, user_agent,          detail, prev_hash, hmac FROM audit_events WHERE at < $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(before)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = last else {
        return Ok(0);
    };
    let stored = Stored::from_row(&r)?;
    let (through_id, through_hash) = (stored.id, stored.hash());
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE id <= $1")
        .bind(through_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    sqlx::query(
        "INSERT INTO audit_checkpoints (through_id, through_hash, pruned_rows, created_at, seal)          VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(through_id)
    .bind(&through_hash)
    .bind(n)
    .bind(clock.now_text())
    .bind(checkpoint_seal(secrets, through_id, &through_hash))
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM audit_events WHERE id <= $1")
        .bind(through_id)
        .execute(&mut *tx)
        .await?;
    let e = AuditEvent::new("系统", "audit.prune", "success")
        .with(serde_json::json!({ "through_id": through_id, "rows": n, "before": before }));
    append(&mut tx, secrets, clock, &e).await?;
    tx.commit().await?;
    Ok(n as u64)
}
