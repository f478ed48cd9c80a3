//! `server seed-demo`: a deterministic, realistic 湘西州 data set. The same seed and size always give
//! the same subjects and records. Work is done in chunks, each in one transaction, so memory stays
//! bounded at any size and an interrupted run leaves whole chunks only.
pub mod accounts;
pub mod bench_joint;
pub mod bench_report;
mod case_accounts;
mod catalog;
mod commitments;
mod faq;
mod generate;
mod help;
mod insert;
mod measures;
pub mod penalty_csv;
mod policies;
mod push_queue;
pub mod showcase;
mod site_content;
mod training;

use app::error::AppError;
use app::rules::date::Ymd;
use app::server::{db::Backend, AppState};
use sqlx::Row;
use std::time::Instant;

pub use generate::Generator;

#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub subjects: u64,
    pub seed: u64,
    /// Records are dated relative to this day, so demo data always looks current.
    pub as_of: Ymd,
}

#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    pub subjects: u64,
    pub licences: u64,
    pub penalties: u64,
    pub articles: u64,
    pub seconds: f64,
}

const CHUNK: u64 = 2_000;

/// Reference data every installation needs: counties, roles and portal columns. Idempotent.
pub async fn seed_reference(state: &AppState) -> Result<(), AppError> {
    let pool = &state.db.pool;
    for (i, (code, name)) in app::rules::division::XIANGXI.iter().enumerate() {
        sqlx::query("INSERT INTO counties (code, name, sort_order) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
            .bind(*code)
            .bind(*name)
            .bind(i as i64)
            .execute(pool)
            .await?;
    }
    for (code, name, class) in catalog::ROLES {
        sqlx::query("INSERT INTO roles (code, name, admin_class) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
            .bind(*code)
            .bind(*name)
            .bind(*class)
            .execute(pool)
            .await?;
    }
    // The official holiday calendar seeds the editable one; days already there (perhaps edited) stay.
    for (day, kind, name) in app::rules::workdays::builtin_days() {
        sqlx::query(
            "INSERT INTO holidays (day, kind, name, source) VALUES ($1, $2, $3, 'chinese-calendar') \
             ON CONFLICT (day) DO NOTHING",
        )
        .bind(day.iso())
        .bind(kind.as_str())
        .bind(name)
        .execute(pool)
        .await?;
    }
    app::collect::service::catalogue::ensure_builtin(state).await?;
    for (i, (code, name)) in catalog::COLUMNS.iter().enumerate() {
        sqlx::query("INSERT INTO site_columns (code, name, sort_order) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
            .bind(*code)
            .bind(*name)
            .bind(i as i64)
            .execute(pool)
            .await?;
    }
    Ok(())
}

pub async fn subject_count(state: &AppState) -> Result<i64, AppError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM subjects")
        .fetch_one(&state.db.pool)
        .await?
        .try_get(0)?)
}

/// Generates the demo data set into an empty registry. `progress(done, total)` is called per chunk.
pub async fn seed_demo(
    state: &AppState,
    opts: &SeedOptions,
    progress: impl Fn(u64, u64),
) -> Result<SeedReport, AppError> {
    if state.config.is_production() {
        return Err(AppError::Conflict("生产模式不允许载入演示数据。".into()));
    }
    if subject_count(state).await? > 0 {
        return Err(AppError::Conflict(
            "数据库中已有信用主体，演示数据只能载入空库。请换一个新的数据库后重试。".into(),
        ));
    }
    let started = Instant::now();
    seed_reference(state).await?;
    let mut generator = Generator::new(
        opts.seed,
        opts.as_of,
        state.secrets.clone(),
        state.clock.now_text(),
    );
    insert::departments(state, &generator.departments()).await?;
    insert::class_sources(state).await?;
    let mut report = SeedReport {
        articles: insert::articles(state, &generator.articles()).await?,
        ..SeedReport::default()
    };
    policies::seed(state, opts.as_of).await?;
    faq::seed(state, opts.as_of).await?;
    let mut done = 0;
    while done < opts.subjects {
        let n = CHUNK.min(opts.subjects - done);
        let batch = generator.batch(done, n);
        report.licences += batch.licences.len() as u64;
        report.penalties += batch.penalties.len() as u64;
        insert::batch(state, &batch).await?;
        done += n;
        progress(done, opts.subjects);
    }
    if state.db.backend == Backend::Postgres {
        insert::advance_identities(state).await?;
    }
    showcase::seed(state, opts.as_of).await?;
    commitments::seed(state, opts.as_of).await?;
    accounts::seed(state).await?;
    case_accounts::seed(state).await?;
    measures::seed(state).await?;
    measures::seed_matters(state).await?;
    help::seed(state, opts.as_of).await?;
    report.articles += site_content::seed(state, opts.as_of).await?;
    report.articles += training::seed(state, opts.as_of).await?;
    push_queue::seed(state, opts.as_of).await?;
    report.subjects = done;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
