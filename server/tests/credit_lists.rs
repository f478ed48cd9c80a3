//! The public lists people can search (issue 19 item 2): name fragments through the bigram index (and
//! nothing that merely shares a character or one pair), USCC starts, decision numbers, county, source
//! unit, authority and date filters, capped totals, the filters in the URL, and the XLSX download of
//! the current filter (capped, rate-limited per IP). Runs on both databases.
// Test code: a panic here is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(clippy::too_many_lines)]
mod common;
use app::credit::model::{ListFilters, ListPage};
use app::credit::service::lists;
use app::server::AppState;
use sqlx::Row;
use time::macros::datetime;

const ORG: &str = "法人及非法人组织";

/// Two source units, by code.
const UNIT_MARKET: &str = "T-FHSJJ";
const UNIT_HOUSING: &str = "T-JSZJJ";

const GUCHENG: &str = "凤凰古城旅游开发有限公司";
const NEAR_MISS: &str = "古城商贸有限公司";
const MIAOXIU: &str = "凤凰县沱江苗绣坊";
const ONE_CHAR: &str = "湘西凤鸣农业有限公司";

async fn prepare(config: &[(&str, &str)]) -> (AppState, String) {
    let url = common::fresh_database_url().await;
    let config = common::test_config_with(&url, config);
    let state = common::state_with_config(config, app::server::clock::Clock::adjustable()).await;
    state
        .clock
        .set(datetime!(2026-06-01 02:00 UTC))
        .expect("adjustable clock");
    server::seed::seed_reference(&state)
        .await
        .expect("reference data");
    data(&state).await;
    let base = common::serve(state.clone()).await;
    (state, base)
}

async fn department(state: &AppState, code: &str, name: &str) -> i64 {
    sqlx::query(
        "INSERT INTO departments (public_id, code, name, county_code, created_at) \
         VALUES ($1, $2, $3, '433100', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(format!("d{}", uuid::Uuid::now_v7().simple()))
    .bind(code)
    .bind(name)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}

async fn subject(state: &AppState, kind: &str, name: &str, uscc: &str, county: &str) -> i64 {
    sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, uscc, county_code, legal_rep, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, '张三', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(format!("s{}", uuid::Uuid::now_v7().simple()))
    .bind(kind)
    .bind(name)
    .bind(uscc)
    .bind(county)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}

/// A record's place: subject, name, USCC, county, source unit.
struct Whose<'a> {
    id: i64,
    name: &'a str,
    uscc: &'a str,
    county: &'a str,
    unit: i64,
}

async fn licence(state: &AppState, w: &Whose<'_>, no: &str, decided: &str) {
    sqlx::query(
        "INSERT INTO licences (public_id, subject_id, department_id, county_code, subject_name, subject_category, \
         subject_uscc, decision_doc_name, decision_no, licence_category, content, decision_date, valid_from, valid_to, \
         authority, authority_uscc, state, source_unit, source_unit_uscc, dedupe_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, '食品经营许可决定书', $8, '普通', '预包装食品销售', $9, $9, '2099-12-31', \
         '凤凰县市场监督管理局', '11433123MB1234567X', '有效', '凤凰县市场监督管理局', '11433123MB1234567X', $10, \
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .bind(format!("l{}", uuid::Uuid::now_v7().simple()))
    .bind(w.id)
    .bind(w.unit)
    .bind(w.county)
    .bind(w.name)
    .bind(ORG)
    .bind(w.uscc)
    .bind(no)
    .bind(decided)
    .bind(format!("L|{no}"))
    .execute(&state.db.pool)
    .await
    .unwrap();
}

async fn penalty(state: &AppState, w: &Whose<'_>, no: &str, decided: &str) {
    sqlx::query(
        "INSERT INTO penalties (public_id, subject_id, department_id, county_code, subject_name, subject_category, \
         subject_uscc, decision_no, violation_type, violation_facts, legal_basis, categories, content, decision_date, \
         authority, authority_uscc, source_unit, source_unit_uscc, severity, display_until, repair_eligible_from, \
         repaired, dedupe_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '违反食品安全管理规定', '销售过期食品', '《中华人民共和国食品安全法》第一百二十四条', \
         '罚款', '罚款五千元', $9, '凤凰县市场监督管理局', '11433123MB1234567X', '凤凰县市场监督管理局', \
         '11433123MB1234567X', 'general', '2029-12-31', $9, 0, $10, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .bind(format!("p{}", uuid::Uuid::now_v7().simple()))
    .bind(w.id)
    .bind(w.unit)
    .bind(w.county)
    .bind(w.name)
    .bind(ORG)
    .bind(w.uscc)
    .bind(no)
    .bind(decided)
    .bind(format!("P|{no}"))
    .execute(&state.db.pool)
    .await
    .unwrap();
}

async fn entry(
    state: &AppState,
    class: &str,
    w: &Whose<'_>,
    authority: &str,
    listed: &str,
    status: &str,
) {
    let class_id: i64 = sqlx::query("SELECT id FROM data_classes WHERE code = $1")
        .bind(class)
        .fetch_one(&state.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let payload = serde_json::json!({
        "subject_name": w.name,
        "subject_uscc": w.uscc,
        "authority": authority,
        "basis": "湘西州社会信用体系建设领导小组办公室认定",
        "listed_on": listed,
        "removed_on": "",
        "status": status,
        "remark": "",
    });
    sqlx::query(
        "INSERT INTO generic_records (public_id, class_id, subject_id, department_id, county_code, subject_name, \
         dedupe_key, payload, published, published_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $9)",
    )
    .bind(format!("g{}", uuid::Uuid::now_v7().simple()))
    .bind(class_id)
    .bind(w.id)
    .bind(w.unit)
    .bind(w.county)
    .bind(w.name)
    .bind(format!("{class}|{}|{listed}", w.id))
    .bind(payload.to_string())
    .bind("2026-01-01T00:00:00Z")
    .execute(&state.db.pool)
    .await
    .unwrap();
}

/// Four organisations: two with 凤凰 in the name, one sharing only the pair 古城 with the first, one
/// sharing only the character 凤; their licences, penalties and list entries.
async fn data(state: &AppState) {
    let market = department(state, UNIT_MARKET, "凤凰县市场监督管理局").await;
    let housing = department(state, UNIT_HOUSING, "吉首市住房和城乡建设局").await;
    let w = |id, name, uscc, county, unit| Whose {
        id,
        name,
        uscc,
        county,
        unit,
    };
    let (u1, u2, u3, u4) = (
        "91433123TST000001A",
        "91433101QQQ000002B",
        "91433123TST000003C",
        "91433130ZZZ000004D",
    );
    let a = w(
        subject(state, "organisation", GUCHENG, u1, "433123").await,
        GUCHENG,
        u1,
        "433123",
        market,
    );
    let n = w(
        subject(state, "organisation", NEAR_MISS, u2, "433101").await,
        NEAR_MISS,
        u2,
        "433101",
        housing,
    );
    let b = w(
        subject(state, "individual_business", MIAOXIU, u3, "433123").await,
        MIAOXIU,
        u3,
        "433123",
        housing,
    );
    let c = w(
        subject(state, "organisation", ONE_CHAR, u4, "433130").await,
        ONE_CHAR,
        u4,
        "433130",
        market,
    );
    licence(state, &a, "凤市监许〔2026〕1号", "2026-03-01").await;
    licence(state, &n, "吉住建许〔2026〕2号", "2026-04-10").await;
    licence(state, &b, "凤市监许〔2026〕3号", "2026-05-01").await;
    licence(state, &c, "龙市监许〔2026〕4号", "2026-05-20").await;
    penalty(state, &a, "凤市监罚〔2026〕7号", "2026-02-01").await;
    penalty(state, &n, "吉住建罚〔2026〕8号", "2026-03-10").await;
    entry(
        state,
        "black_list",
        &a,
        "湘西州住房和城乡建设局",
        "2026-01-15",
        "有效",
    )
    .await;
    entry(
        state,
        "black_list",
        &n,
        "凤凰县税务局",
        "2026-03-20",
        "有效",
    )
    .await;
    entry(
        state,
        "black_list",
        &c,
        "湘西州人力资源和社会保障局",
        "2026-04-02",
        "有效",
    )
    .await;
    entry(
        state,
        "black_list",
        &b,
        "凤凰县税务局",
        "2026-02-02",
        "已移出",
    )
    .await;
    entry(
        state,
        "red_list",
        &b,
        "湘西州发展和改革委员会",
        "2026-05-05",
        "有效",
    )
    .await;
    entry(
        state,
        "watch_list",
        &c,
        "龙山县市场监督管理局",
        "2026-05-06",
        "有效",
    )
    .await;
}

fn filters(pairs: &[(&str, &str)]) -> ListFilters {
    let mut f = ListFilters::default();
    for (k, v) in pairs {
        let v = (*v).to_string();
        match *k {
            "q" => f.q = v,
            "county" => f.county = v,
            "unit" => f.unit = v,
            "authority" => f.authority = v,
            "from" => f.from = v,
            "to" => f.to = v,
            other => panic!("no filter {other}"),
        }
    }
    f
}

async fn page(state: &AppState, list: &str, pairs: &[(&str, &str)]) -> ListPage {
    lists::list_page(state, list, &filters(pairs), 1)
        .await
        .unwrap_or_else(|e| panic!("{list} {pairs:?}: {e}"))
}

/// The decision numbers (双公示) or subject names (lists) on the first page, sorted.
async fn found(state: &AppState, list: &str, pairs: &[(&str, &str)]) -> Vec<String> {
    let p = page(state, list, pairs).await;
    let mut out: Vec<String> = p
        .records
        .iter()
        .map(|r| r.decision_no.clone())
        .chain(p.entries.iter().map(|e| e.subject_name.clone()))
        .collect();
    out.sort();
    assert_eq!(p.total, out.len() as i64, "{list} {pairs:?}: total");
    assert!(!p.capped);
    assert_eq!(p.total_label, format!("共 {} 条", out.len()));
    out
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| (*s).to_string()).collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn licences_and_penalties_search_by_fragment_code_number_and_filters() {
    let (state, _) = prepare(&[]).await;
    let s = &state;
    let l = "licences";
    // A fragment finds the names that hold it, and nothing that shares only a pair or a character.
    assert_eq!(
        found(s, l, &[("q", "古城旅游")]).await,
        sorted(&["凤市监许〔2026〕1号"])
    );
    assert_eq!(
        found(s, l, &[("q", "古城")]).await,
        sorted(&["凤市监许〔2026〕1号", "吉住建许〔2026〕2号"])
    );
    assert_eq!(
        found(s, l, &[("q", "凤凰")]).await,
        sorted(&["凤市监许〔2026〕1号", "凤市监许〔2026〕3号"])
    );
    // Every pair of 城旅游古 is in no name in this order: nothing.
    assert!(found(s, l, &[("q", "旅游古城")]).await.is_empty());
    assert!(found(s, l, &[("q", "苗绣凤凰")]).await.is_empty());
    // The start of a USCC, a whole USCC, a decision number.
    assert_eq!(
        found(s, l, &[("q", "91433123TST")]).await,
        sorted(&["凤市监许〔2026〕1号", "凤市监许〔2026〕3号"])
    );
    assert_eq!(
        found(s, l, &[("q", "91433101QQQ000002B")]).await,
        sorted(&["吉住建许〔2026〕2号"])
    );
    assert_eq!(
        found(s, l, &[("q", "凤市监许〔2026〕3号")]).await,
        sorted(&["凤市监许〔2026〕3号"])
    );
    // One character is too short for a name: a message, and only an exact decision number could match.
    let short = page(s, l, &[("q", "凤")]).await;
    assert!(short.records.is_empty());
    assert!(short.message.unwrap_or_default().contains("2 个字"));
    // County, source unit, dates, and filters together.
    assert_eq!(
        found(s, l, &[("county", "433101")]).await,
        sorted(&["吉住建许〔2026〕2号"])
    );
    assert_eq!(
        found(s, l, &[("unit", UNIT_HOUSING)]).await,
        sorted(&["吉住建许〔2026〕2号", "凤市监许〔2026〕3号"])
    );
    assert_eq!(
        found(s, l, &[("from", "2026-04-01"), ("to", "2026-05-01")]).await,
        sorted(&["吉住建许〔2026〕2号", "凤市监许〔2026〕3号"])
    );
    assert_eq!(
        found(s, l, &[("q", "凤凰"), ("unit", UNIT_MARKET)]).await,
        sorted(&["凤市监许〔2026〕1号"])
    );
    assert_eq!(found(s, l, &[]).await.len(), 4);
    let units = page(s, l, &[]).await.units;
    assert!(units
        .iter()
        .any(|(c, n)| c == UNIT_HOUSING && n == "吉首市住房和城乡建设局"));
    // Penalties the same way.
    let p = "penalties";
    assert_eq!(
        found(s, p, &[("q", "古城旅游")]).await,
        sorted(&["凤市监罚〔2026〕7号"])
    );
    assert_eq!(
        found(s, p, &[("q", "古城")]).await,
        sorted(&["凤市监罚〔2026〕7号", "吉住建罚〔2026〕8号"])
    );
    assert_eq!(
        found(s, p, &[("q", "吉住建罚〔2026〕8号")]).await,
        sorted(&["吉住建罚〔2026〕8号"])
    );
    assert_eq!(
        found(s, p, &[("to", "2026-02-28")]).await,
        sorted(&["凤市监罚〔2026〕7号"])
    );
    assert!(found(s, p, &[("q", "沱江苗绣")]).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn red_black_and_watch_lists_honour_every_filter() {
    let (state, _) = prepare(&[]).await;
    let s = &state;
    let b = "black";
    // In force only: the removed entry (沱江苗绣坊) is not listed.
    assert_eq!(
        found(s, b, &[]).await,
        sorted(&[GUCHENG, NEAR_MISS, ONE_CHAR])
    );
    assert_eq!(found(s, b, &[("q", "古城旅游")]).await, sorted(&[GUCHENG]));
    assert_eq!(
        found(s, b, &[("q", "古城")]).await,
        sorted(&[GUCHENG, NEAR_MISS])
    );
    assert_eq!(found(s, b, &[("q", "凤凰")]).await, sorted(&[GUCHENG]));
    assert!(found(s, b, &[("q", "沱江")]).await.is_empty());
    assert_eq!(
        found(s, b, &[("q", "91433123TST")]).await,
        sorted(&[GUCHENG])
    );
    assert_eq!(
        found(s, b, &[("q", "91433130ZZZ000004D")]).await,
        sorted(&[ONE_CHAR])
    );
    assert_eq!(
        found(s, b, &[("authority", "住房")]).await,
        sorted(&[GUCHENG])
    );
    assert_eq!(
        found(s, b, &[("authority", "凤凰县税务局")]).await,
        sorted(&[NEAR_MISS])
    );
    assert_eq!(
        found(s, b, &[("county", "433101")]).await,
        sorted(&[NEAR_MISS])
    );
    assert_eq!(
        found(s, b, &[("unit", UNIT_MARKET)]).await,
        sorted(&[GUCHENG, ONE_CHAR])
    );
    assert_eq!(
        found(s, b, &[("from", "2026-03-01"), ("to", "2026-03-31")]).await,
        sorted(&[NEAR_MISS])
    );
    assert_eq!(
        found(s, b, &[("q", "古城"), ("from", "2026-02-01")]).await,
        sorted(&[NEAR_MISS])
    );
    // Newest listed first.
    let names: Vec<String> = page(s, b, &[])
        .await
        .entries
        .into_iter()
        .map(|e| e.subject_name)
        .collect();
    assert_eq!(names, [ONE_CHAR, NEAR_MISS, GUCHENG]);
    // Each list holds its own class.
    assert_eq!(found(s, "red", &[]).await, sorted(&[MIAOXIU]));
    assert_eq!(found(s, "red", &[("q", "凤凰")]).await, sorted(&[MIAOXIU]));
    assert!(found(s, "red", &[("q", "古城")]).await.is_empty());
    assert_eq!(
        found(s, "watch", &[("q", "凤鸣")]).await,
        sorted(&[ONE_CHAR])
    );
    assert!(found(s, "watch", &[("authority", "税务")]).await.is_empty());
}

#[test]
fn totals_read_as_chinese_counts_and_stop_at_the_cap() {
    assert_eq!(lists::total_label(0), "共 0 条");
    assert_eq!(lists::total_label(1234), "共 1,234 条");
    assert_eq!(lists::total_label(10_000), "共 10,000 条");
    assert_eq!(lists::total_label(10_001), "共 10,000 条以上");
}

async fn get(base: &str, path: &str) -> (u16, String) {
    let r = common::client()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

/// The download's sheet as text rows (header first) and its file name.
async fn download(base: &str, path: &str) -> (String, Vec<Vec<String>>) {
    let r = common::client()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    let name = disposition
        .split("filename*=UTF-8''")
        .nth(1)
        .map(|n| {
            form_urlencoded::parse(format!("n={n}").as_bytes())
                .next()
                .unwrap()
                .1
                .to_string()
        })
        .unwrap();
    let bytes = r.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names().first().cloned().unwrap();
    let rows = book
        .worksheet_range(&sheet)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    (name, rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_keep_filters_in_the_url_and_download_what_they_show() {
    let (_, base) = prepare(&[]).await;
    // The page: a GET form, the active filters, the total, and a download link with the same query.
    let (status, html) = get(
        &base,
        "/credit/lists/black?q=%E5%8F%A4%E5%9F%8E%E6%97%85%E6%B8%B8",
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains(GUCHENG), "{html}");
    assert!(!html.contains(NEAR_MISS));
    assert!(html.contains("共 1 条"));
    assert!(html.contains("method=\"get\""));
    assert!(html.contains("name=\"authority\""));
    assert!(html.contains("当前条件"));
    assert!(html.contains("/credit/lists/black/export.xlsx?q=%E5%8F%A4%E5%9F%8E%E6%97%85%E6%B8%B8"));
    let (status, html) = get(
        &base,
        &format!("/credit/lists/licences?unit={UNIT_HOUSING}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("共 2 条"));
    assert!(html.contains("吉首市住房和城乡建设局"));
    // The download: the header row, then the rows the page shows, masked as the page shows them.
    let (name, rows) = download(
        &base,
        "/credit/lists/licences/export.xlsx?q=%E5%8F%A4%E5%9F%8E",
    )
    .await;
    assert!(name.starts_with("行政许可公示-2026-06-01"), "{name}");
    assert!(!name.contains("仅前"));
    assert_eq!(rows[0][0], "行政相对人名称");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let numbers: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(numbers, ["吉住建许〔2026〕2号", "凤市监许〔2026〕1号"]);
    let (_, rows) = download(
        &base,
        "/credit/lists/black/export.xlsx?authority=%E7%A8%8E%E5%8A%A1",
    )
    .await;
    assert_eq!(rows[0][..3], ["主体名称", "统一社会信用代码", "认定单位"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], NEAR_MISS);
    assert_eq!(rows[1][2], "凤凰县税务局");
    assert_eq!(rows[1][4], "2026-03-20");
    let (_, rows) = download(&base, "/credit/lists/penalties/export.xlsx").await;
    assert_eq!(rows[0][2], "行政处罚决定书文号");
    assert_eq!(rows.len(), 3);
    let (status, _) = get(&base, "/credit/lists/nothing/export.xlsx").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_are_capped_and_rate_limited_per_ip() {
    let (_, base) = prepare(&[
        ("APP_LIST_EXPORT_MAX_ROWS", "2"),
        ("APP_EXPORT_RATE_PER_MIN", "3"),
    ])
    .await;
    let (name, rows) = download(&base, "/credit/lists/licences/export.xlsx").await;
    assert_eq!(rows.len(), 3, "header and the cap's 2 rows");
    assert!(name.contains("仅前2条"), "{name}");
    let (name, rows) = download(&base, "/credit/lists/licences/export.xlsx?county=433101").await;
    assert_eq!(rows.len(), 2);
    assert!(!name.contains("仅前"), "{name}");
    let (status, _) = get(&base, "/credit/lists/black/export.xlsx").await;
    assert_eq!(status, 200);
    let (status, html) = get(&base, "/credit/lists/black/export.xlsx").await;
    assert_eq!(status, 429);
    assert!(html.contains("请求过于频繁，请稍后再试"), "{html}");
    // The pages themselves are not limited by downloads.
    let (status, _) = get(&base, "/credit/lists/black").await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn common_fragments_and_code_starts_give_the_same_answers() {
    let (state, _) = prepare(&[]).await;
    // More than 10,000 subjects hold 古城 and start with 91433123: the lists then walk the records by
    // date and check each one's subject instead of fetching the subjects' records.
    sqlx::query(
        "INSERT INTO subjects (public_id, kind, name, uscc, county_code, created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001) \
         SELECT 'bulk' || CAST(i AS TEXT), 'organisation', '古城测试' || CAST(i AS TEXT) || '号', \
         '914331239' || CAST(100000000 + i AS TEXT), '433123', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n",
    )
    .execute(&state.db.pool)
    .await
    .unwrap();
    let s = &state;
    assert_eq!(
        found(s, "licences", &[("q", "古城")]).await,
        sorted(&["凤市监许〔2026〕1号", "吉住建许〔2026〕2号"])
    );
    assert_eq!(
        found(s, "licences", &[("q", "古城"), ("county", "433101")]).await,
        sorted(&["吉住建许〔2026〕2号"])
    );
    assert_eq!(
        found(s, "licences", &[("q", "91433123")]).await,
        sorted(&["凤市监许〔2026〕1号", "凤市监许〔2026〕3号"])
    );
    assert_eq!(
        found(s, "penalties", &[("q", "吉住建罚〔2026〕8号")]).await,
        sorted(&["吉住建罚〔2026〕8号"])
    );
    assert_eq!(
        found(s, "black", &[("q", "古城")]).await,
        sorted(&[GUCHENG, NEAR_MISS])
    );
    assert_eq!(
        found(s, "black", &[("q", "91433123")]).await,
        sorted(&[GUCHENG])
    );
}
