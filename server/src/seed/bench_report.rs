//! `server bench-report`: how long issuing a report takes for a subject with many records (the issue
//! names 200). Adds one subject with that many records on display to the configured database (meant
//! for a benchmark copy), then issues the public report `runs` times in this process: collect the
//! sections, lay out and draw the PDF with the subset CJK font, sign it, and store it.
use app::credit::model::ReportRequest;
use app::credit::service::reports::{self, Issuer};
use app::error::AppError;
use app::rules::disclosure::{Regime, Severity};
use app::server::AppState;
use sqlx::Row;
use std::time::Instant;

pub struct Timing {
    pub records: u64,
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub pdf_bytes: usize,
}

pub async fn run(state: &AppState, records: u64, runs: usize) -> Result<Timing, AppError> {
    let subject = bench_subject(state, records).await?;
    app::credit::service::pdf::preload()?;
    let req = ReportRequest {
        kind: "public".into(),
        subject,
        applicant: "性能测试".into(),
        purpose: "基准测试".into(),
        ..Default::default()
    };
    let mut times = Vec::with_capacity(runs);
    let mut pdf_bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let issued =
            reports::issue(state, Issuer::Public { ip: None }, &req, "http://127.0.0.1").await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        pdf_bytes = reports::pdf_by_code(state, &issued.verify_code)
            .await?
            .1
            .len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    // No runs, no time.
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Timing {
        records,
        runs,
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        max_ms: at(1.0),
        pdf_bytes,
    })
}

/// A subject with `records` records on display today: half licences, half penalties.
async fn bench_subject(state: &AppState, records: u64) -> Result<String, AppError> {
    let now = state.clock.now_text();
    let today = state.clock.today();
    let public_id = format!("bench-report-{}", uuid::Uuid::now_v7().simple());
    let mut tx = state.db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, county_code, legal_rep, created_at, updated_at) \
         VALUES ($1, 'organisation', '湘西州基准测试建设工程有限公司', '433101', '测试', $2, $2) RETURNING id",
    )
    .bind(&public_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let regime = Regime::regime_2025();
    for i in 0..records {
        let decided = today.add_days(-(1 + (i as i64 % 300)));
        if i % 2 == 0 {
            sqlx::query(
                "INSERT INTO penalties (public_id, subject_id, subject_name, subject_category, decision_no, violation_type, \
                 violation_facts, legal_basis, categories, content, fine_fen, decision_date, authority, authority_uscc, \
                 source_unit, source_unit_uscc, severity, display_until, repair_eligible_from, dedupe_key, created_at, updated_at) \
                 VALUES ($1, $2, '湘西州基准测试建设工程有限公司', '法人及非法人组织', $3, '未按规定办理施工许可', \
                 '经查，当事人在未取得施工许可证的情况下擅自开工建设，违反了《建筑法》第七条的规定。', \
                 '《建筑工程施工许可管理办法》第十二条', '罚款', '罚款人民币壹万元整', 1000000, $4, \
                 '湘西州住房和城乡建设局', '11433100MB0000001X', '湘西州住房和城乡建设局', '11433100MB0000001X', \
                 'general', $5, $6, $7, $8, $8)",
            )
            .bind(format!("{public_id}-p{i}"))
            .bind(id)
            .bind(format!("州住建罚〔{}〕{}号", decided.year, i + 1))
            .bind(decided.iso())
            .bind(regime.display_until(decided, Severity::General, None).iso())
            .bind(regime.repair_eligible_from(decided, Severity::General).iso())
            .bind(format!("{public_id}-p{i}"))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO licences (public_id, subject_id, subject_name, subject_category, decision_doc_name, decision_no, \
                 licence_category, content, decision_date, valid_from, valid_to, authority, authority_uscc, state, \
                 source_unit, source_unit_uscc, dedupe_key, created_at, updated_at) \
                 VALUES ($1, $2, '湘西州基准测试建设工程有限公司', '法人及非法人组织', '建筑工程施工许可决定书', $3, '普通', \
                 '准予房屋建筑工程施工许可（含桩基、主体结构及配套设施）', $4, $4, '2099-12-31', '湘西州住房和城乡建设局', \
                 '11433100MB0000001X', '有效', '湘西州住房和城乡建设局', '11433100MB0000001X', $5, $6, $6)",
            )
            .bind(format!("{public_id}-l{i}"))
            .bind(id)
            .bind(format!("州住建许〔{}〕{}号", decided.year, i + 1))
            .bind(decided.iso())
            .bind(format!("{public_id}-l{i}"))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(public_id)
}
