//! API keys for the REST channel: one unit each, scoped to data classes, revocable, stored only as a
//! hash. The key is shown once, when it is made.
use crate::error::AppError;
use crate::server::db::ReadValue;
use crate::server::{audit::Actor, AppState};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What a valid key stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHolder {
    pub key_id: i64,
    pub prefix: String,
    pub department_id: i64,
    pub scopes: Vec<String>,
    /// Requests per minute, when the key has its own limit (else the platform's default).
    pub rate_per_min: Option<i64>,
}

impl KeyHolder {
    /// The key holder as the audit records them: `apikey:<prefix>`.
    pub fn actor(&self) -> Actor {
        Actor::named(&format!("apikey:{}", self.prefix))
    }

    /// Whether the key covers a class: it submits, reads and confirms batches of these classes only.
    pub fn covers(&self, class_code: &str) -> bool {
        class_code != CHECK_SCOPE && self.scopes.iter().any(|s| s == class_code || s == "*")
    }

    /// Whether the key may run 联合奖惩 checks for its unit's matters (named only, never by `*`).
    pub fn may_check(&self) -> bool {
        self.scopes.iter().any(|s| s == CHECK_SCOPE)
    }

    /// Whether the key may read a class's public records through the partner API (`read:<class>`,
    /// or `read:*` for a mirror of everything public).
    pub fn reads(&self, class_code: &str) -> bool {
        self.scopes.iter().any(|s| {
            s.strip_prefix(READ_PREFIX)
                .is_some_and(|c| c == class_code || c == "*")
        })
    }

    /// Whether the key reads any class (the subject lookup needs one).
    pub fn reads_any(&self) -> bool {
        self.scopes.iter().any(|s| s.starts_with(READ_PREFIX))
    }

    /// Whether the key may issue credit reports for a service matter (named only).
    pub fn may_report(&self) -> bool {
        self.scopes.iter().any(|s| s == REPORT_SCOPE)
    }
}

/// The scope of a key that runs 联合奖惩 checks (`POST /api/v1/checks`); not a data class.
pub const CHECK_SCOPE: &str = "check";
/// The scope that issues credit reports for a service matter (`POST /api/v1/reports`).
pub const REPORT_SCOPE: &str = "report";
/// Read scopes are `read:<class>`: the partner API's records, subjects and changes of that class.
pub const READ_PREFIX: &str = "read:";
/// The most requests per minute a key may be given.
pub const MAX_RATE_PER_MIN: i64 = 1_000_000;
/// `last_used_at` is written at most this often per key: a service system checks for every case it
/// handles, and a write per request would queue every check behind the database's one writer.
const LAST_USED_EVERY_SECS: i64 = 60;

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Makes a key: `xxc_<prefix>_<secret>`, audited as `apikey.create` by `by` (the web console and the
/// command line both come here). Returns (public id, the key in clear, once).
pub async fn create(
    state: &AppState,
    by: &Actor,
    department_id: i64,
    name: &str,
    scopes: &[String],
    rate_per_min: Option<i64>,
) -> Result<(String, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::field(
            "name",
            "REQUIRED",
            "请填写密钥用途（60字以内），如“市场监管局行政处罚系统”。",
        ));
    }
    if scopes.is_empty() {
        return Err(AppError::field(
            "scopes",
            "REQUIRED",
            "请至少选择一项权限：可报送或可读取的数据类别、核查或出具报告。",
        ));
    }
    if rate_per_min.is_some_and(|r| !(1..=MAX_RATE_PER_MIN).contains(&r)) {
        return Err(AppError::field(
            "rate_per_min",
            "OUT_OF_RANGE",
            format!("每分钟请求上限应为 1～{MAX_RATE_PER_MIN} 之间的整数；留空则用平台默认值。"),
        ));
    }
    let classes = scopes
        .iter()
        .filter(|c| c.as_str() != CHECK_SCOPE && c.as_str() != REPORT_SCOPE)
        .map(|c| c.strip_prefix(READ_PREFIX).unwrap_or(c))
        .filter(|c| *c != "*");
    for code in classes {
        let known = sqlx::query("SELECT id FROM data_classes WHERE code = $1")
            .bind(code)
            .fetch_optional(&state.db.pool)
            .await?;
        if known.is_none() {
            return Err(AppError::field(
                "scopes",
                "UNKNOWN",
                format!("数据类别“{code}”不存在。"),
            ));
        }
    }
    let unit = sqlx::query("SELECT id FROM departments WHERE id = $1 AND active = 1")
        .bind(department_id)
        .fetch_optional(&state.db.pool)
        .await?;
    if unit.is_none() {
        return Err(AppError::field(
            "department",
            "UNKNOWN",
            "所选单位不存在或已停用。",
        ));
    }
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let prefix = hex::encode(&bytes[..4]);
    let secret = hex::encode(&bytes[4..]);
    let key = format!("xxc_{prefix}_{secret}");
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO api_keys (public_id, department_id, name, prefix, key_hash, scopes, created_by, created_at, \
         rate_per_min) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&public_id)
    .bind(department_id)
    .bind(name)
    .bind(&prefix)
    .bind(hash(&key))
    .bind(scopes.join(";"))
    .bind(by.user_id)
    .bind(state.clock.now_text())
    .bind(rate_per_min)
    .execute(&mut *tx)
    .await?;
    by.audit(
        &mut tx,
        state,
        "apikey.create",
        Some(("api_key", &public_id)),
        serde_json::json!({ "department": department_id, "scopes": scopes, "name": name, "rate_per_min": rate_per_min }),
    )
    .await?;
    tx.commit().await?;
    Ok((public_id, key))
}

/// The holder of a presented key, if it is valid and not revoked. Compared by hash, in constant time.
pub async fn verify(state: &AppState, presented: &str) -> Result<Option<KeyHolder>, AppError> {
    let mut parts = presented.trim().splitn(3, '_');
    let (Some("xxc"), Some(prefix), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    // The fast read path: every data-API and check request starts here.
    let rows = state
        .db
        .readers
        .fetch(
            &state.db.pool,
            "SELECT id, department_id, key_hash, scopes, last_used_at, rate_per_min FROM api_keys \
             WHERE prefix = $1 AND revoked_at IS NULL",
            &[prefix.to_string()],
        )
        .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let text = |i: usize| row.get(i).and_then(ReadValue::text);
    let stored = text(2).unwrap_or_default();
    let given = hash(presented.trim());
    let same = stored.len() == given.len()
        && stored
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    let (Some(id), Some(department_id)) = (
        row.first().and_then(ReadValue::int),
        row.get(1).and_then(ReadValue::int),
    ) else {
        return Ok(None);
    };
    if !same {
        return Ok(None);
    }
    let now = state.clock.now_text();
    if text(4).is_none_or(|l| seconds_between(&l, &now).is_none_or(|s| s >= LAST_USED_EVERY_SECS)) {
        sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(&now)
            .execute(&state.db.pool)
            .await?;
    }
    Ok(Some(KeyHolder {
        key_id: id,
        prefix: prefix.to_string(),
        department_id,
        scopes: text(3)
            .unwrap_or_default()
            .split(';')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        rate_per_min: row.get(5).and_then(ReadValue::int),
    }))
}

/// Seconds from one stored RFC 3339 time to another, if both read.
fn seconds_between(from: &str, to: &str) -> Option<i64> {
    use crate::server::clock::parse_rfc3339;
    Some((parse_rfc3339(to)? - parse_rfc3339(from)?).whole_seconds())
}

/// Revokes a key, audited as `apikey.revoke` by `by`.
pub async fn revoke(state: &AppState, by: &Actor, public_id: &str) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let n = sqlx::query(
        "UPDATE api_keys SET revoked_at = $2 WHERE public_id = $1 AND revoked_at IS NULL",
    )
    .bind(public_id)
    .bind(state.clock.now_text())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound("该密钥（或已吊销）".into()));
    }
    by.audit(
        &mut tx,
        state,
        "apikey.revoke",
        Some(("api_key", public_id)),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list(state: &AppState) -> Result<Vec<crate::collect::model::ApiKeyRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT k.public_id, k.name, k.prefix, k.scopes, d.name AS unit, k.created_at, \
         COALESCE(k.last_used_at, '') AS last_used_at, COALESCE(k.revoked_at, '') AS revoked_at, \
         COALESCE(k.rate_per_min, 0) AS rate_per_min \
         FROM api_keys k JOIN departments d ON d.id = k.department_id ORDER BY k.id DESC",
    )
    .fetch_all(&state.db.pool)
    .await?)
}
