//! The accepting units' desk (`/console/commitments`): the commitments within the caller's scope (a
//! clerk its unit's, a county user its county's units', the credit office all), and the fulfilment
//! change — a new version of the same record through the collection pipeline (same key), audited.
use super::pipeline;
use crate::collect::service::batches::unit_scope_clause;
use crate::commitments::model::{CommitmentRow, ConsoleFilter};
use crate::commitments::rules::{self, CLASS, TYPES};
use crate::error::AppError;
use crate::paging::Page;
use crate::server::authz::Caller;
use crate::server::db::sql::{clamp_page, escape_like, PER_PAGE};
use crate::server::AppState;
use sqlx::Row;
use std::collections::HashMap;

const FROM: &str = "FROM generic_records g LEFT JOIN departments d ON d.id = g.department_id \
     LEFT JOIN subjects s ON s.id = g.subject_id LEFT JOIN commitment_contacts cc ON cc.batch_id = g.batch_id \
     WHERE g.class_id = (SELECT dc.id FROM data_classes dc WHERE dc.code = 'commitment') AND g.withdrawn = 0";

/// A payload field as text (`payload` is a JSON object of strings).
fn field(payload: &serde_json::Value, key: &str) -> String {
    payload
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `AND …` for an exact enum value of the payload (serde_json writes `"key":"value"`, no spaces).
fn payload_is(binds: &mut Vec<String>, key: &str, value: &str) -> String {
    binds.push(format!(
        "%{}%",
        escape_like(&format!(
            "{}:{}",
            serde_json::Value::from(key),
            serde_json::Value::from(value)
        ))
    ));
    format!(" AND g.payload LIKE ${} ESCAPE '\\'", binds.len())
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ConsoleFilter,
    page: i64,
) -> Result<Page<CommitmentRow>, AppError> {
    let page = clamp_page(page);
    let mut binds: Vec<String> = vec![];
    let (scope, bind) = unit_scope_clause(caller, 1, "g.department_id");
    binds.extend(bind);
    let mut cond = scope;
    let q = f.q.trim();
    if !q.is_empty() {
        binds.push(format!("%{}%", escape_like(q)));
        let n = binds.len();
        cond.push_str(&format!(
            " AND (g.subject_name LIKE ${n} ESCAPE '\\' OR s.uscc LIKE ${n} ESCAPE '\\')"
        ));
    }
    if TYPES.contains(&f.kind.as_str()) {
        cond.push_str(&payload_is(&mut binds, "commitment_type", &f.kind));
    }
    if rules::FULFILMENTS.contains(&f.fulfilment.as_str()) {
        cond.push_str(&payload_is(&mut binds, "fulfilment", &f.fulfilment));
    }
    let count_sql = format!("SELECT COUNT(*) AS n {FROM}{cond}");
    let mut count = sqlx::query(&count_sql);
    for b in &binds {
        count = count.bind(b.as_str());
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get("n")?;
    let rows_sql = format!(
        "SELECT g.public_id, g.subject_name, COALESCE(s.uscc, '') AS uscc, g.payload, g.published, g.version, \
         COALESCE(cc.contact_masked, '') AS contact_masked {FROM}{cond} ORDER BY g.id DESC LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let mut query = sqlx::query(&rows_sql);
    for b in &binds {
        query = query.bind(b.as_str());
    }
    let rows = query
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            let payload: serde_json::Value =
                serde_json::from_str(&r.try_get::<String, _>("payload")?).unwrap_or_default();
            Ok(CommitmentRow {
                public_id: r.try_get("public_id")?,
                subject_name: r.try_get("subject_name")?,
                subject_uscc: r.try_get("uscc")?,
                kind: field(&payload, "commitment_type"),
                committed_on: field(&payload, "committed_on"),
                accepting_unit: field(&payload, "accepting_unit"),
                fulfilment: field(&payload, "fulfilment"),
                published: r.try_get::<i64, _>("published")? == 1,
                version: r.try_get("version")?,
                text: field(&payload, "text"),
                contact_masked: r.try_get("contact_masked")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Sets a published commitment's fulfilment to 已履约 or 未履约, with the reason in the audit line.
/// Outside the caller's scope the commitment does not exist (404).
pub async fn set_fulfilment(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    fulfilment: &str,
    reason: &str,
) -> Result<(), AppError> {
    let to = rules::check_fulfilment(fulfilment, reason)?;
    let missing = || AppError::NotFound("该信用承诺".into());
    let row = sqlx::query(&format!(
        "SELECT g.department_id, d.county_code, g.payload, g.published {FROM} AND g.public_id = $1"
    ))
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(missing)?;
    let department_id: Option<i64> = row.try_get("department_id")?;
    let county: Option<String> = row.try_get("county_code")?;
    caller
        .check_unit(department_id, county.as_deref())
        .map_err(|_| missing())?;
    let department_id = department_id.ok_or_else(missing)?;
    if row.try_get::<i64, _>("published")? != 1 {
        return Err(AppError::Conflict(
            "该承诺尚未确认公示：请先在“数据报送”中确认其批次。".into(),
        ));
    }
    let payload: serde_json::Value =
        serde_json::from_str(&row.try_get::<String, _>("payload")?).unwrap_or_default();
    let from = field(&payload, "fulfilment");
    if from == to {
        return Err(AppError::Conflict(format!("该承诺已是“{to}”状态。")));
    }
    let (_, spec) = crate::collect::service::catalogue::load(state, CLASS).await?;
    let mut values: HashMap<&str, String> = spec
        .fields
        .iter()
        .map(|f| (f.key.as_str(), field(&payload, &f.key)))
        .collect();
    values.insert("fulfilment", to.to_string());
    let values = pipeline::ordered(state, &values).await?;
    let actor = caller.actor();
    let checked = pipeline::submit(
        state,
        &actor,
        department_id,
        values,
        "commitments.fulfilment",
        serde_json::json!({ "record": public_id, "from": from, "to": to, "reason": reason.trim() }),
        None,
    )
    .await?;
    if !checked.update {
        return Err(AppError::internal(
            "commitment fulfilment",
            "the change did not match the stored record",
        ));
    }
    pipeline::publish(state, checked.batch_id, &actor).await
}
