//! The demo's measures: the sample of the national base list that `/console/joint/measures` offers
//! for download, imported as the credit office would (issue 21).
use app::error::AppError;
use app::joint::service::measures;
use app::server::audit::Actor;
use app::server::AppState;

/// Imports the sample (a second run changes nothing). Answers how many measures were added.
pub async fn seed(state: &AppState) -> Result<i64, AppError> {
    let (_, rows) = app::joint::measures::sample();
    let Some((header, body)) = rows.split_first() else {
        return Ok(0);
    };
    let checked = measures::check_rows(header, body)?;
    let r = measures::import_as(state, &Actor::named("演示数据"), "演示样例", &checked).await?;
    Ok(r.added)
}

/// The demo's service matters: (code, name, unit code, measure codes).
const MATTERS: &[(&str, &str, &str, &[&str])] = &[
    (
        "XXFGW-001",
        "政府投资项目审批",
        "fgw",
        &["JC-04", "JC-07", "JC-11", "JL-03"],
    ),
    (
        "XXFGW-002",
        "企业投资项目核准",
        "fgw",
        &["JC-07", "JC-13", "JL-01"],
    ),
    (
        "XXFHX-001",
        "旅游民宿经营备案",
        "fhx",
        &["JC-13", "JC-14", "JL-06"],
    ),
    (
        "XXJT-001",
        "道路运输经营许可",
        "jt",
        &["JC-07", "JC-13", "JC-14", "JL-01"],
    ),
    (
        "XXJT-002",
        "公路建设项目施工许可",
        "jt",
        &["JC-02", "JC-04", "JC-07", "JL-01"],
    ),
    (
        "XXNYNC-001",
        "农药经营许可",
        "nync",
        &["JC-06", "JC-07", "JC-13", "JL-02"],
    ),
    (
        "XXSCJG-001",
        "食品经营许可",
        "scjg",
        &["JC-06", "JC-07", "JC-13", "JC-14", "JL-01", "JL-02"],
    ),
    (
        "XXSCJG-002",
        "企业登记（设立、变更）",
        "scjg",
        &["JC-07", "JC-08", "JL-06"],
    ),
    (
        "XXZJJ-001",
        "建筑工程施工许可",
        "zjj",
        &["JC-02", "JC-04", "JC-07", "JL-01"],
    ),
    (
        "XXZRZY-001",
        "国有建设用地使用权出让",
        "zrzy",
        &["JC-03", "JC-11"],
    ),
    ("XXSW-001", "发票领用", "sw", &["JC-10", "JL-06"]),
    (
        "XXYJGL-001",
        "安全生产许可证延期",
        "yjgl",
        &["JC-07", "JC-12"],
    ),
    (
        "XXRSJ-001",
        "人力资源服务许可",
        "rsj",
        &["JC-05", "JC-07", "JL-01"],
    ),
];

/// Seeds the demo's matters after the measures. Answers how many were added.
pub async fn seed_matters(state: &AppState) -> Result<usize, AppError> {
    app::joint::service::matters::seed_demo(state, MATTERS).await
}
