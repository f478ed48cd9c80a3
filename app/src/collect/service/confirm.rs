//! Publishing a checked batch, all or nothing: staged records go public, updates are applied with a
//! version each (who, when, which fields, from → to), name conflicts become operator tasks. One
//! transaction: a crash (even kill -9) before commit leaves the batch checked and confirmable again.
use super::batch_ctx::{self, is_revoked, BatchCtx};
use super::store;
use crate::error::AppError;
use crate::rules::catalog::ClassSpec;
use crate::rules::clean::row::Checked;
use crate::rules::clean::rules as r;
use crate::server::db::BulkConn;
use crate::server::AppState;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

/// One changed field in a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub label: String,
    pub from: String,
    pub to: String,
}

/// Who is acting, for the version trace and the audit chain.
pub use crate::server::audit::Actor;

pub async fn confirm(
    state: &AppState,
    batch_id: i64,
    actor: &Actor,
) -> Result<ConfirmReport, AppError> {
    let b = batch_ctx::load(state, batch_id).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE batches SET status = 'published', confirmed_by = $2, confirmed_at = $3, updated_at = $3 \
         WHERE id = $1 AND status = 'checked'",
    )
    .bind(b.id)
    .bind(actor.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Err(AppError::Conflict(
            "该批次不在“待确认”状态（可能正在检查、已确认或已作废），请刷新后再试。".into(),
        ));
    }
    let table = store::typed_table(&b.spec).unwrap_or("generic_records");
    let published = sqlx::query(&format!(
        "UPDATE {table} SET published = 1, published_at = $2 WHERE batch_id = $1 AND published = 0"
    ))
    .bind(b.id)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // Their messages to the province, in this transaction (docs/domain.md §12). Timed: the benchmark
    // holds the outbox to a tenth of the confirmation.
    let outbox_started = std::time::Instant::now();
    crate::province::service::outbox::enqueue_published(
        &mut tx,
        store::record_kind(&b.spec),
        b.id,
        &now,
    )
    .await?;
    let outbox_ms = outbox_started.elapsed().as_millis() as u64;
    let updates = sqlx::query(
        "SELECT row_no, target_id, checked FROM batch_rows WHERE batch_id = $1 AND outcome = 'update' ORDER BY row_no",
    )
    .bind(b.id)
    .fetch_all(&mut *tx)
    .await?;
    let mut updated = 0;
    for row in &updates {
        let target: i64 = row.try_get("target_id")?;
        let sealed: String = row.try_get("checked")?;
        let json = state.secrets.decrypt_id(&sealed)?;
        let checked: Checked =
            serde_json::from_str(&json).map_err(|e| AppError::internal("update json", e))?;
        apply_update(&mut tx, state, &b, target, &checked, actor, &now).await?;
        updated += 1;
    }
    let conflicts = record_name_conflicts(&mut tx, &b, &now).await?;
    crate::server::cache::bump(&mut tx, "portal").await?;
    actor
        .audit(
            &mut tx,
            state,
            "collect.batch_confirm",
            Some(("batch", &b.public_id)),
            serde_json::json!({"published": published, "updated": updated, "conflicts": conflicts}),
        )
        .await?;
    tx.commit().await?;
    Ok(ConfirmReport {
        published,
        updated,
        conflicts,
        outbox_ms,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmReport {
    pub published: u64,
    pub updated: u64,
    pub conflicts: u64,
    /// Milliseconds the push outbox's messages took inside the confirmation (the benchmark's figure).
    #[serde(default)]
    pub outbox_ms: u64,
}

/// Applies a checked row to a stored record: a new version with the changed fields.
async fn apply_update(
    conn: &mut AnyConnection,
    state: &AppState,
    b: &BatchCtx,
    target: i64,
    checked: &Checked,
    actor: &Actor,
    now: &str,
) -> Result<(), AppError> {
    let spec = &b.spec;
    let table = store::typed_table(spec);
    let before = store::stored_comparable(
        &mut BulkConn::Borrowed(&mut *conn, state.db.backend),
        spec,
        table,
        target,
    )
    .await?;
    let after = store::comparable(spec, checked, &state.secrets);
    let masked_before = masked_ids(conn, spec, table, target).await?;
    let changes: Vec<Change> = spec
        .fields
        .iter()
        .zip(before.iter().zip(&after).zip(&checked.values))
        .filter(|(_, ((b, a), _))| b != a)
        .map(|(f, ((b, a), value))| Change {
            field: f.key.clone(),
            label: f.name.clone(),
            from: store::display_value(
                &f.key,
                f.field_type,
                b,
                masked_before.get(&f.key).map(String::as_str),
            ),
            to: store::display_value(
                &f.key,
                f.field_type,
                a,
                Some(&crate::rules::mask::resident_id(value)),
            ),
        })
        .collect();
    let revoked = is_revoked(spec, checked);
    let version: i64 = match table {
        Some(t) => {
            let mut cols = store::field_column_list(spec);
            let mut values = store::field_values(spec, checked, &state.secrets);
            if let Some(terms) = &checked.penalty {
                cols.extend(["severity", "display_until", "repair_eligible_from"].map(String::from));
                values.extend([
                    crate::server::db::BindValue::str(terms.severity.as_str()),
                    crate::server::db::BindValue::Text(terms.display_until.iso()),
                    crate::server::db::BindValue::Text(terms.repair_eligible_from.iso()),
                ]);
                // A correction that lengthens the period puts a taken-down penalty back on display.
                if terms.display_until >= state.clock.today() {
                    cols.push("taken_down_at".into());
                    values.push(crate::server::db::BindValue::NullText);
                }
            }
            let sets = cols
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 4))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE {t} SET {sets}, version = version + 1, updated_at = $2, \
                 withdrawn = CASE WHEN $3 = 1 THEN 1 ELSE withdrawn END, \
                 withdrawn_at = CASE WHEN $3 = 1 THEN $2 ELSE withdrawn_at END WHERE id = $1 RETURNING version"
            );
            let mut q = sqlx::query(&sql).bind(target).bind(now).bind(i64::from(revoked));
            for v in values {
                q = match v {
                    crate::server::db::BindValue::Int(i) => q.bind(i),
                    crate::server::db::BindValue::Text(s) => q.bind(s),
                    crate::server::db::BindValue::NullText => q.bind(Option::<String>::None),
                    crate::server::db::BindValue::NullInt => q.bind(Option::<i64>::None),
                };
            }
            q.fetch_one(&mut *conn).await?.try_get("version")?
        }
        None => sqlx::query(
            "UPDATE generic_records SET payload = $2, version = version + 1, updated_at = $3 WHERE id = $1 RETURNING version",
        )
        .bind(target)
        .bind(store::generic_payload(spec, checked, &state.secrets))
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
        .try_get("version")?,
    };
    insert_version(
        conn,
        store::record_kind(spec),
        target,
        version,
        if revoked { "withdraw" } else { "update" },
        Some(b.id),
        actor,
        "",
        &changes,
        now,
    )
    .await
}

/// Masked ID numbers of a stored record, by field key, for showing a diff.
pub async fn masked_ids(
    conn: &mut AnyConnection,
    spec: &ClassSpec,
    table: Option<&str>,
    id: i64,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut out = std::collections::HashMap::new();
    let Some(t) = table else {
        return Ok(out);
    };
    for f in spec
        .fields
        .iter()
        .filter(|f| f.field_type == crate::rules::catalog::FieldType::IdNumber)
    {
        let v: Option<String> = sqlx::query(&format!(
            "SELECT {}_masked AS m FROM {t} WHERE id = $1",
            f.key
        ))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("m")?;
        out.insert(f.key.clone(), v.unwrap_or_default());
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_version(
    conn: &mut AnyConnection,
    kind: &str,
    record_id: i64,
    version: i64,
    action: &str,
    batch_id: Option<i64>,
    actor: &Actor,
    reason: &str,
    changes: &[Change],
    now: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO record_versions (record_kind, record_id, version, action, batch_id, actor_id, actor_name, \
         reason, changes, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(kind)
    .bind(record_id)
    .bind(version)
    .bind(action)
    .bind(batch_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(reason)
    .bind(serde_json::to_string(changes).map_err(|e| AppError::internal("changes json", e))?)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    // Every version goes to the province, in the transaction of the change (docs/domain.md §12).
    crate::province::service::outbox::enqueue_version(conn, kind, record_id, version, action, now)
        .await
}

/// Rows flagged NAME_CODE_CONFLICT become one open task per subject and incoming name.
async fn record_name_conflicts(
    conn: &mut AnyConnection,
    b: &BatchCtx,
    now: &str,
) -> Result<u64, AppError> {
    let Some(table) = store::typed_table(&b.spec) else {
        return Ok(0);
    };
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT t.subject_id, t.subject_name, s.name AS registry_name FROM batch_faults f \
         JOIN batch_rows br ON br.batch_id = f.batch_id AND br.row_no = f.row_no \
         JOIN {table} t ON t.id = br.target_id JOIN subjects s ON s.id = t.subject_id \
         WHERE f.batch_id = $1 AND f.rule_code = $2 \
         UNION SELECT DISTINCT t.subject_id, t.subject_name, s.name AS registry_name FROM {table} t \
         JOIN subjects s ON s.id = t.subject_id WHERE t.batch_id = $1 AND t.subject_name <> s.name \
         AND t.subject_uscc IS NOT NULL"
    ))
    .bind(b.id)
    .bind(r::NAME_CONFLICT)
    .fetch_all(&mut *conn)
    .await?;
    let mut n = 0;
    for row in rows {
        let done = sqlx::query(
            "INSERT INTO subject_conflicts (public_id, subject_id, registry_name, incoming_name, batch_id, \
             department_id, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) \
             ON CONFLICT (subject_id, incoming_name) DO NOTHING",
        )
        .bind(uuid::Uuid::new_v4().simple().to_string())
        .bind(row.try_get::<i64, _>("subject_id")?)
        .bind(row.try_get::<String, _>("registry_name")?)
        .bind(row.try_get::<String, _>("subject_name")?)
        .bind(b.id)
        .bind(b.department_id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        n += done;
    }
    Ok(n)
}

/// Drops a batch that is not published: its staged records, kept rows and faults go.
pub async fn discard(state: &AppState, batch_id: i64, actor: &Actor) -> Result<(), AppError> {
    let b = batch_ctx::load(state, batch_id).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE batches SET status = 'discarded', updated_at = $2 WHERE id = $1 \
         AND status IN ('uploaded', 'checked', 'failed')",
    )
    .bind(b.id)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Err(AppError::Conflict(
            "只有待确认、待映射或失败的批次可以作废，请刷新后再试。".into(),
        ));
    }
    batch_ctx::clear_staging(&mut tx, &b).await?;
    actor
        .audit(
            &mut tx,
            state,
            "collect.batch_discard",
            Some(("batch", &b.public_id)),
            serde_json::json!({}),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
