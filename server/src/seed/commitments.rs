//! Demo credit commitments (信用承诺, docs/domain.md §10), so the public commitments list, the showcase
//! subject's page and the console desk have content: one of each type a subject declares, one of them
//! broken (未履约, shown as a negative record). Written as the pipeline would store them (payload with
//! comparables, the record key without the fulfilment), like the showcase's list entry.
use super::showcase::SHOWCASE_NAME;
use app::commitments::rules::{
    template, APPROVAL, BROKEN, FULFILLED, IN_PROGRESS, SELF_REGULATION, VOLUNTARY,
};
use app::error::AppError;
use app::rules::clean::keys;
use app::rules::date::Ymd;
use app::server::AppState;
use sqlx::Row;

/// (subject, type, matter, days ago, accepting unit's department code, fulfilment).
type Demo = (
    String,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

pub async fn seed(state: &AppState, as_of: Ymd) -> Result<(), AppError> {
    let pool = &state.db.pool;
    let class_id: i64 = sqlx::query("SELECT id FROM data_classes WHERE code = 'commitment'")
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let done: i64 = sqlx::query("SELECT COUNT(*) FROM generic_records WHERE class_id = $1")
        .bind(class_id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    if done > 0 {
        return Ok(());
    }
    let others: Vec<String> = sqlx::query(
        "SELECT name FROM subjects WHERE kind = 'organisation' AND uscc IS NOT NULL AND name <> $1 \
         ORDER BY id LIMIT 2",
    )
    .bind(SHOWCASE_NAME)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| r.try_get("name"))
    .collect::<Result<_, sqlx::Error>>()?;
    let mut demos: Vec<Demo> = vec![(SHOWCASE_NAME.into(), VOLUNTARY, "", 45, "scjg", IN_PROGRESS)];
    let mut rest = others.into_iter();
    if let Some(name) = rest.next() {
        demos.push((name, APPROVAL, "食品经营许可", 200, "scjg", FULFILLED));
    }
    if let Some(name) = rest.next() {
        demos.push((name, SELF_REGULATION, "", 120, "wlgd", BROKEN));
    }
    let now = state.clock.now_text();
    for (name, kind, matter, days, unit, fulfilment) in demos {
        let Some(s) = sqlx::query("SELECT id, uscc, county_code FROM subjects WHERE name = $1")
            .bind(&name)
            .fetch_optional(pool)
            .await?
        else {
            continue;
        };
        let Some(d) = sqlx::query("SELECT id, name FROM departments WHERE code = $1")
            .bind(unit)
            .fetch_optional(pool)
            .await?
        else {
            continue;
        };
        let (subject_id, code, county): (i64, String, Option<String>) = (
            s.try_get("id")?,
            s.try_get("uscc")?,
            s.try_get("county_code")?,
        );
        let (department_id, unit_name): (i64, String) = (d.try_get("id")?, d.try_get("name")?);
        let date = as_of.add_days(-days).iso();
        let mut text = template(kind, &name, matter);
        if kind == APPROVAL {
            text = format!("办理事项：{matter}。{text}");
        }
        let values = [
            ("subject_name", name.clone()),
            ("subject_uscc", code.clone()),
            ("commitment_type", kind.to_string()),
            ("text", text),
            ("committed_on", date.clone()),
            ("accepting_unit", unit_name.clone()),
            ("fulfilment", fulfilment.to_string()),
        ];
        let mut payload = serde_json::Map::new();
        for (k, v) in &values {
            payload.insert((*k).into(), v.clone().into());
            payload.insert(format!("_cmp_{k}"), v.clone().into());
        }
        let key = keys::record_key(&format!("{kind}/{date}"), &format!("U:{code}"), &unit_name);
        sqlx::query(
            "INSERT INTO generic_records (public_id, class_id, subject_id, department_id, county_code, subject_name, \
             dedupe_key, payload, published, published_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $9)",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(class_id)
        .bind(subject_id)
        .bind(department_id)
        .bind(county)
        .bind(&name)
        .bind(key)
        .bind(serde_json::Value::Object(payload).to_string())
        .bind(&now)
        .execute(pool)
        .await?;
    }
    Ok(())
}
