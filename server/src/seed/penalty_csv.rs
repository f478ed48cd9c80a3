//! `server gen-penalty-csv`: a large, realistic penalty file as a unit (市场监管) would send it, for the
//! import benchmark. Chinese v2 headers; about four penalties per company; a few planted faults
//! (a bad USCC check character every 200 rows) and exact repeats (every 500 rows), so the benchmark
//! also pays for the error and duplicate paths. Deterministic for a given seed.
use super::catalog;
use super::generate::Generator;
use app::error::AppError;
use app::rules::date::Ymd;
use app::rules::uscc;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

pub const HEADERS: &[&str] = &[
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "法定代表人",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "处罚决定日期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "地方编码",
];

// In bounds: `gen_range` panics on an empty range before the index is used, and the tables are
// non-empty constants. `choose` would draw differently and change every seeded data set.
#[allow(clippy::indexing_slicing)]
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// The company behind subject number `s`: the same name, code and representative on every row.
fn company(seed: u64, s: u64) -> (String, String, String, &'static str) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ s.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let (county, place) = *pick(&mut rng, catalog::PLACES);
    let name = format!(
        "{place}{}{}{}{}有限公司",
        pick(&mut rng, catalog::BRAND_CHARS),
        pick(&mut rng, catalog::BRAND_CHARS),
        pick(&mut rng, catalog::TRADES),
        s + 1
    );
    let code = uscc::compose('9', '1', county, 7_000_000 + s);
    let rep = format!(
        "{}{}",
        pick(&mut rng, catalog::SURNAMES),
        pick(&mut rng, catalog::GIVEN)
    );
    (name, code, rep, county)
}

/// Writes `rows` data rows (plus the header) as UTF-8 CSV.
pub fn write(out: impl Write, rows: u64, seed: u64, as_of: Ymd) -> Result<(), AppError> {
    let io = |e: csv::Error| AppError::internal("write csv", e);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADERS).map_err(io)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dept = catalog::FIRST_DEPARTMENT;
    let dept_uscc = Generator::department_uscc(0);
    let violations: Vec<_> = catalog::VIOLATIONS
        .iter()
        .filter(|v| v.0 == dept.code)
        .collect();
    let companies = (rows / 4).max(1);
    let mut previous: Vec<String> = vec![];
    for n in 0..rows {
        if n % 500 == 499 && !previous.is_empty() {
            w.write_record(&previous).map_err(io)?;
            continue;
        }
        let (name, mut code, rep, county) = company(seed, rng.gen_range(0..companies));
        if n % 200 == 199 {
            // A typing slip in the last character: the check character no longer matches.
            let last = if code.ends_with('X') { '0' } else { 'X' };
            code.pop();
            code.push(last);
        }
        let (_, kind, facts, basis) = **pick(&mut rng, &violations);
        let decided = as_of.add_days(-rng.gen_range(1..700));
        let cats: &[&str] = pick(&mut rng, catalog::CATEGORY_SETS).0;
        let fine = cats
            .contains(&"罚款")
            .then(|| rng.gen_range(1..2_000) as f64 / 100.0);
        let confiscated = cats
            .contains(&"没收违法所得")
            .then(|| rng.gen_range(1..500) as f64 / 100.0);
        let content = match fine {
            Some(f) => format!("{}；罚款{}万元", cats.join("、"), f),
            None => cats.join("、"),
        };
        let record = vec![
            name,
            "法人及非法人组织".to_string(),
            code,
            rep,
            format!("{}罚〔{}〕{}号", dept.abbr, decided.year, n + 1),
            kind.to_string(),
            facts.to_string(),
            basis.to_string(),
            cats.join(";"),
            content,
            fine.map(|f| f.to_string()).unwrap_or_default(),
            confiscated.map(|f| f.to_string()).unwrap_or_default(),
            decided.iso(),
            String::new(),
            dept.name.to_string(),
            dept_uscc.clone(),
            dept.name.to_string(),
            dept_uscc.clone(),
            county.to_string(),
        ];
        w.write_record(&record).map_err(io)?;
        previous = record;
    }
    w.flush().map_err(|e| AppError::internal("write csv", e))?;
    Ok(())
}
