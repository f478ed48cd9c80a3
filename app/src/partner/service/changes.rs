//! The change feed for partners that mirror our public data (docs/domain.md §12): every new, changed,
//! withdrawn, repaired or taken-down record version since a cursor, in the order they happened. The
//! feed is the push outbox — written in the transaction of each change, so a change is never missing
//! from it — read by position: the cursor is the outbox's id. Each change carries the record as the
//! public sees it now, or none when it is no longer on display (the mirror removes its copy).
use crate::credit::model::{GenericEntry, PublicRecord};
use crate::credit::service::records::{self, Kind};
use crate::credit::visibility;
use crate::error::AppError;
use crate::server::AppState;
use sqlx::Row;
use std::collections::HashMap;

/// Changes in one answer at most.
pub const MAX_LIMIT: i64 = 1_000;

/// One change.
pub struct Change {
    pub cursor: i64,
    pub class: String,
    pub record_id: String,
    pub version: i64,
    pub action: String,
    pub changed_at: String,
    /// The record on display now (licences and penalties).
    pub record: Option<PublicRecord>,
    /// The entry on display now (other classes).
    pub entry: Option<GenericEntry>,
}

/// The changes after `cursor` of `classes` (None: every class), at most `limit`.
pub async fn since(
    state: &AppState,
    classes: Option<&[String]>,
    cursor: i64,
    limit: i64,
) -> Result<Vec<Change>, AppError> {
    let mut binds = vec![cursor.to_string()];
    let mut sql = format!(
        "SELECT o.id, o.record_kind, o.record_id, o.version, o.action, o.created_at, \
         COALESCE(p.public_id, l.public_id, g.public_id, '') AS public_id \
         {} WHERE o.id > CAST($1 AS BIGINT)",
        crate::province::service::log::FROM
    );
    if let Some(classes) = classes {
        if classes.is_empty() {
            return Ok(vec![]);
        }
        let marks: Vec<String> = classes
            .iter()
            .map(|c| {
                binds.push(c.clone());
                format!("${}", binds.len())
            })
            .collect();
        sql.push_str(&format!(" AND o.record_kind IN ({})", marks.join(", ")));
    }
    sql.push_str(&format!(
        " ORDER BY o.id LIMIT {}",
        // One more than the most a caller may ask for: it tells the caller whether more follow.
        limit.clamp(1, MAX_LIMIT + 1)
    ));
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.as_str());
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    let mut changes = Vec::with_capacity(rows.len());
    let mut ids_by_kind: HashMap<String, Vec<i64>> = HashMap::new();
    for r in &rows {
        let kind: String = r.try_get("record_kind")?;
        ids_by_kind
            .entry(kind.clone())
            .or_default()
            .push(r.try_get("record_id")?);
        changes.push(Change {
            cursor: r.try_get("id")?,
            class: kind,
            record_id: r.try_get("public_id")?,
            version: r.try_get("version")?,
            action: r.try_get("action")?,
            changed_at: r.try_get("created_at")?,
            record: None,
            entry: None,
        });
    }
    let (shown, entries) = on_display(state, &ids_by_kind).await?;
    for c in &mut changes {
        c.record = shown.get(&c.record_id).cloned();
        c.entry = entries.get(&c.record_id).cloned();
    }
    Ok(changes)
}

/// The records of `ids_by_kind` on public display now, by public id.
async fn on_display(
    state: &AppState,
    ids_by_kind: &HashMap<String, Vec<i64>>,
) -> Result<(HashMap<String, PublicRecord>, HashMap<String, GenericEntry>), AppError> {
    let policy = crate::credit::service::policy(state).await?;
    let today = state.clock.today();
    let (mut shown, mut entries) = (HashMap::new(), HashMap::new());
    for (kind, ids) in ids_by_kind {
        // Internal ids are integers: listed inline, one statement per kind.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        match Kind::parse(kind) {
            Some(k) => {
                let visible = match k {
                    Kind::Licence => visibility::licence_sql("r", today),
                    Kind::Penalty => visibility::penalty_sql("r", &policy, today),
                };
                let found = records::fetch(
                    state,
                    k,
                    &format!("r.id IN ({list}) AND {visible}"),
                    &[],
                    "",
                )
                .await?;
                shown.extend(found.into_iter().map(|r| (r.public_id.clone(), r)));
            }
            None => {
                let found = records::fetch_generic(
                    state,
                    &format!("g.id IN ({list}) AND {}", visibility::generic_sql("g")),
                    &[],
                    "",
                )
                .await?;
                entries.extend(
                    found
                        .into_iter()
                        .filter(records::in_force)
                        .map(|e| (e.public_id.clone(), e)),
                );
            }
        }
    }
    Ok((shown, entries))
}
