//! `server bench-joint`: readies a benchmark copy of a seeded database for the 联合奖惩 check (issue 21:
//! 1,000,000 subjects, 50,000 list entries) — tops the red, black and watch lists up to ENTRIES entries
//! on registered companies (a tenth of them already removed, so not hits), makes a check key for the
//! demo matter's unit, and writes the codes to check (a fifth of them listed) for the load generator;
//! then times a batch check of BATCH subjects through the batch service (staging, then the job's run).
use app::collect::service::api_keys;
use app::error::AppError;
use app::joint::lifecycle::LIST_CLASSES;
use app::joint::service::{batch, check};
use app::server::audit::Actor;
use app::server::db::{multi_row, BindValue};
use app::server::AppState;
use sqlx::Row;
use std::time::Instant;

/// The demo matter checked (发改委's, with black- and red-list measures).
pub const MATTER: &str = "XXFGW-001";

pub struct Prepared {
    pub entries: i64,
    pub key: String,
    pub codes: usize,
}

pub struct BatchTiming {
    pub rows: usize,
    pub stage_secs: f64,
    pub run_secs: f64,
    pub hits: i64,
}

async fn list_entries(state: &AppState) -> Result<i64, AppError> {
    let classes = LIST_CLASSES.map(|c| format!("'{c}'")).join(", ");
    Ok(sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM generic_records g JOIN data_classes dc ON dc.id = g.class_id \
         WHERE dc.code IN ({classes})"
    ))
    .fetch_one(&state.db.pool)
    .await?
    .try_get("n")?)
}

/// Adds list entries on unlisted companies until there are `entries`.
async fn top_up(state: &AppState, entries: i64) -> Result<(), AppError> {
    let have = list_entries(state).await?;
    if have >= entries {
        return Ok(());
    }
    let mut class_ids = [0i64; 3];
    for (slot, c) in class_ids
        .iter_mut()
        .zip(["black_list", "red_list", "watch_list"])
    {
        *slot = sqlx::query("SELECT id FROM data_classes WHERE code = $1")
            .bind(c)
            .fetch_one(&state.db.pool)
            .await?
            .try_get("id")?;
    }
    let dept: i64 = sqlx::query("SELECT id FROM departments WHERE code = 'fgw'")
        .fetch_one(&state.db.pool)
        .await?
        .try_get("id")?;
    let subjects = sqlx::query(&format!(
        "SELECT s.id, s.name, s.uscc, s.county_code FROM subjects s WHERE s.kind = 'organisation' \
         AND s.uscc IS NOT NULL AND NOT EXISTS (SELECT 1 FROM generic_records g WHERE g.subject_id = s.id) \
         ORDER BY s.id LIMIT {}",
        entries - have
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let now = state.clock.now_text();
    let mut rows: Vec<Vec<BindValue>> = Vec::with_capacity(subjects.len());
    for (i, r) in subjects.iter().enumerate() {
        let (id, name, uscc): (i64, String, String) =
            (r.try_get("id")?, r.try_get("name")?, r.try_get("uscc")?);
        // 6 in 10 black, 3 red, 1 watch; every tenth already removed.
        let class = match i % 10 {
            0..=5 => class_ids[0],
            6..=8 => class_ids[1],
            _ => class_ids[2],
        };
        let removed_on = if i % 10 == 3 { "2026-01-01" } else { "" };
        let payload = serde_json::json!({
            "subject_name": name, "subject_uscc": uscc, "authority": "湘西州发展和改革委员会",
            "basis": "《关于对失信主体实施联合惩戒的合作备忘录》（基准测试）", "listed_on": "2025-06-01",
            "removed_on": removed_on, "status": "有效", "remark": ""
        });
        rows.push(vec![
            BindValue::Text(uuid::Uuid::new_v4().simple().to_string()),
            BindValue::Int(class),
            BindValue::Int(id),
            BindValue::Int(dept),
            BindValue::opt(r.try_get("county_code")?),
            BindValue::Text(name),
            BindValue::Text(format!("bench:{id}")),
            BindValue::Text(payload.to_string()),
            BindValue::Int(1),
            BindValue::Text(now.clone()),
            BindValue::Text(now.clone()),
            BindValue::Text(now.clone()),
        ]);
    }
    let mut tx = state.db.begin().await?;
    multi_row::insert_rows(
        &mut tx,
        state.db.backend,
        "generic_records",
        &[
            "public_id",
            "class_id",
            "subject_id",
            "department_id",
            "county_code",
            "subject_name",
            "dedupe_key",
            "payload",
            "published",
            "published_at",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Codes to check: every fifth one of a listed company, the rest drawn across the registry.
async fn codes(state: &AppState, n: usize) -> Result<Vec<String>, AppError> {
    let listed = sqlx::query(&format!(
        "SELECT s.uscc FROM generic_records g JOIN subjects s ON s.id = g.subject_id \
         WHERE g.dedupe_key LIKE 'bench:%' AND s.uscc IS NOT NULL ORDER BY g.id LIMIT {}",
        n / 5
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let total: i64 = sqlx::query("SELECT MAX(id) AS n FROM subjects")
        .fetch_one(&state.db.pool)
        .await?
        .try_get::<Option<i64>, _>("n")?
        .unwrap_or(0);
    let step = (total / (n as i64).max(1)).max(1);
    let others = sqlx::query(&format!(
        "SELECT uscc FROM subjects WHERE uscc IS NOT NULL AND id % {step} = 0 ORDER BY id LIMIT {}",
        n - listed.len()
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut out = vec![];
    let (mut a, mut b) = (listed.iter(), others.iter());
    for i in 0..n {
        let next = if i % 5 == 0 {
            a.next().or_else(|| b.next())
        } else {
            b.next().or_else(|| a.next())
        };
        match next {
            Some(r) => out.push(r.try_get("uscc")?),
            None => break,
        }
    }
    Ok(out)
}

/// Tops up the lists, makes the key and writes `count` codes (one per line) to `out`.
pub async fn prepare(
    state: &AppState,
    entries: i64,
    count: usize,
    out: &std::path::Path,
) -> Result<Prepared, AppError> {
    top_up(state, entries).await?;
    let dept: i64 = sqlx::query("SELECT id FROM departments WHERE code = 'fgw'")
        .fetch_one(&state.db.pool)
        .await?
        .try_get("id")?;
    let (_, key) = api_keys::create(
        state,
        &Actor::named("性能测试"),
        dept,
        "联合奖惩核查基准测试",
        &["check".to_string()],
        // A benchmark measures the check, not the key's rate limit.
        Some(api_keys::MAX_RATE_PER_MIN),
    )
    .await?;
    let list = codes(state, count).await?;
    std::fs::write(out, list.join("\n") + "\n")
        .map_err(|e| AppError::internal("bench codes", e))?;
    Ok(Prepared {
        entries: list_entries(state).await?,
        key,
        codes: list.len(),
    })
}

/// Times a batch check of `rows` codes for the demo matter: staging (as the upload does), then the
/// job's run.
pub async fn batch(state: &AppState, rows: usize) -> Result<BatchTiming, AppError> {
    let matter = check::matter_by_code(state, MATTER)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("事项 {MATTER}")))?;
    let table: Vec<Vec<String>> = codes(state, rows)
        .await?
        .into_iter()
        .map(|c| vec![c])
        .collect();
    let started = Instant::now();
    let public_id = batch::create(
        state,
        &Actor::named("性能测试"),
        &matter,
        "基准测试.xlsx",
        &["统一社会信用代码".to_string()],
        &table,
    )
    .await?;
    let stage_secs = started.elapsed().as_secs_f64();
    let id: i64 = sqlx::query("SELECT id FROM joint_check_batches WHERE public_id = $1")
        .bind(&public_id)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("id")?;
    let started = Instant::now();
    batch::run(state, id).await?;
    let run_secs = started.elapsed().as_secs_f64();
    let (_, _, v) = batch::get(state, &public_id).await?;
    Ok(BatchTiming {
        rows: table.len(),
        stage_secs,
        run_secs,
        hits: v.rows_hit,
    })
}
