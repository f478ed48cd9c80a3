//! Named demo subjects with a known record history, so that a visitor (and the end-to-end tests) can
//! see the display rules at work: one penalty on display, one past its display period, one repaired,
//! a valid licence, and a subject on the serious-dishonesty list.
use app::error::AppError;
use app::rules::date::Ymd;
use app::rules::disclosure::{Regime, Severity};
use app::rules::uscc;
use app::server::AppState;
use sqlx::Row;

/// Sorts first among names starting 凤凰 (一 is the first CJK ideograph), so a search for 凤凰 shows it
/// at the top of the prefix matches.
pub const SHOWCASE_NAME: &str = "凤凰一品堂商贸有限公司";
pub const BLACKLISTED_NAME: &str = "吉首一诺建材有限公司";

async fn subject(state: &AppState, name: &str, serial: u64, county: &str) -> Result<i64, AppError> {
    let mut serial = serial;
    let code = loop {
        let code = uscc::compose('9', '1', county, serial);
        let taken: i64 = sqlx::query("SELECT COUNT(*) FROM subjects WHERE uscc = $1")
            .bind(&code)
            .fetch_one(&state.db.pool)
            .await?
            .try_get(0)?;
        if taken == 0 {
            break code;
        }
        serial += 1;
    };
    let now = state.clock.now_text();
    Ok(sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, uscc, legal_rep, county_code, address, established_on, created_at, updated_at) \
         VALUES ($1, 'organisation', $2, $3, '龙小凤', $4, '湘西州凤凰县沱江镇虹桥中路 8 号', '2016-05-18', $5, $5) RETURNING id",
    )
    .bind(uuid::Uuid::now_v7().simple().to_string())
    .bind(name)
    .bind(&code)
    .bind(county)
    .bind(&now)
    .fetch_one(&state.db.pool)
    .await?
    .try_get(0)?)
}

struct Case {
    no: &'static str,
    decided_days_ago: i64,
    severity: Severity,
    categories: &'static str,
    repaired: bool,
}

pub async fn seed(state: &AppState, as_of: Ymd) -> Result<(), AppError> {
    let pool = &state.db.pool;
    let dept = sqlx::query("SELECT id, name, uscc FROM departments ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await?;
    let (dept_id, dept_name, dept_uscc): (i64, String, String) = (
        dept.try_get(0)?,
        dept.try_get(1)?,
        dept.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
    );
    let regime = Regime::regime_2025();
    let now = state.clock.now_text();
    let id = subject(state, SHOWCASE_NAME, 880_001, "433123").await?;
    let code: String = sqlx::query("SELECT uscc FROM subjects WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let cases = [
        Case {
            no: "凤市监罚〔展示〕1号",
            decided_days_ago: 40,
            severity: Severity::General,
            categories: "罚款",
            repaired: false,
        },
        Case {
            no: "凤市监罚〔展示〕2号",
            decided_days_ago: 500,
            severity: Severity::General,
            categories: "罚款",
            repaired: false,
        },
        Case {
            no: "凤市监罚〔展示〕3号",
            decided_days_ago: 150,
            severity: Severity::General,
            categories: "罚款",
            repaired: true,
        },
    ];
    for c in cases {
        let decided = as_of.add_days(-c.decided_days_ago);
        let until = regime.display_until(decided, c.severity, None);
        sqlx::query(
            "INSERT INTO penalties (public_id, subject_id, department_id, county_code, subject_name, subject_category, subject_uscc, \
             decision_no, violation_type, violation_facts, legal_basis, categories, content, fine_fen, decision_date, \
             authority, authority_uscc, source_unit, source_unit_uscc, severity, display_until, repair_eligible_from, \
             repaired, repaired_at, dedupe_key, created_at, updated_at) \
             VALUES ($1, $2, $3, '433123', $4, '法人及非法人组织', $5, $6, '未按规定明码标价', \
             '经查，当事人销售的商品未按规定明码标价。', '《价格违法行为行政处罚规定》第十三条', $7, '罚款5000元', 500000, \
             $8, $9, $10, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(id)
        .bind(dept_id)
        .bind(SHOWCASE_NAME)
        .bind(&code)
        .bind(c.no)
        .bind(c.categories)
        .bind(decided.iso())
        .bind(&dept_name)
        .bind(&dept_uscc)
        .bind(c.severity.as_str())
        .bind(until.iso())
        .bind(regime.repair_eligible_from(decided, c.severity).iso())
        .bind(if c.repaired { 1i64 } else { 0 })
        .bind(c.repaired.then(|| now.clone()))
        .bind(format!("{}|U:{code}|{dept_name}", c.no))
        .bind(&now)
        .execute(pool)
        .await?;
    }
    let licensed = as_of.add_days(-300);
    sqlx::query(
        "INSERT INTO licences (public_id, subject_id, department_id, county_code, subject_name, subject_category, subject_uscc, \
         decision_doc_name, decision_no, licence_category, certificate_name, licence_no, content, decision_date, valid_from, \
         valid_to, authority, authority_uscc, state, source_unit, source_unit_uscc, dedupe_key, created_at, updated_at) \
         VALUES ($1, $2, $3, '433123', $4, '法人及非法人组织', $5, '食品经营许可决定书', '凤市监许〔展示〕1号', '普通', \
         '食品经营许可证', 'JY14331230001234', '预包装食品销售', $6, $6, '2099-12-31', $7, $8, '有效', $7, $8, $9, $10, $10)",
    )
    .bind(uuid::Uuid::now_v7().simple().to_string())
    .bind(id)
    .bind(dept_id)
    .bind(SHOWCASE_NAME)
    .bind(&code)
    .bind(licensed.iso())
    .bind(&dept_name)
    .bind(&dept_uscc)
    .bind(format!("凤市监许〔展示〕1号|U:{code}|{dept_name}"))
    .bind(&now)
    .execute(pool)
    .await?;

    let listed = subject(state, BLACKLISTED_NAME, 880_101, "433101").await?;
    let class_id: i64 = sqlx::query("SELECT id FROM data_classes WHERE code = 'black_list'")
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let payload = serde_json::json!({
        "subject_name": BLACKLISTED_NAME,
        "authority": "湘西州住房和城乡建设局",
        "basis": "拖欠农民工工资，经责令限期支付后逾期仍未支付",
        "listed_on": as_of.add_days(-90).iso(),
        "removed_on": "",
        "status": "有效",
        "remark": "",
    });
    sqlx::query(
        "INSERT INTO generic_records (public_id, class_id, subject_id, department_id, county_code, subject_name, dedupe_key, \
         payload, published, published_at, created_at, updated_at) VALUES ($1, $2, $3, $4, '433101', $5, $6, $7, 1, $8, $8, $8)",
    )
    .bind(uuid::Uuid::now_v7().simple().to_string())
    .bind(class_id)
    .bind(listed)
    .bind(dept_id)
    .bind(BLACKLISTED_NAME)
    .bind(format!("black|{listed}"))
    .bind(payload.to_string())
    .bind(&now)
    .execute(pool)
    .await?;
    Ok(())
}
