//! The SQL conditions of the public lists' filters. A name fragment goes through the credit search's
//! bigram index (`subject_grams`, its pairs split by `query::parse`), a USCC start through the code
//! index; the rarest pair's count decides how: few subjects drive the query (their records by subject),
//! many are checked per record while the date index is walked, so neither way scans a whole table.
use super::search::{gram_counts, CAP};
use super::sql::Sql;
use crate::credit::model::ListFilters;
use crate::credit::query::{self, Terms};
use crate::error::AppError;
use crate::server::db::sql::escape_like;
use crate::server::db::Backend;
use crate::server::AppState;

/// The subjects a query names, as SQL on a subject id.
struct SubjectMatch {
    /// `SELECT id` of the matching subjects (used when they are few).
    set: String,
    /// A condition on the subject `s2` (used when they are many).
    probe: String,
    few: bool,
    /// An index range that holds every matching subject (for counting when they are many).
    driver: Driver,
}

/// An index range holding every subject a query names: the rarest pair of a name fragment, or the
/// range of USCCs that start with a code.
#[derive(Debug, Clone)]
pub enum Driver {
    Gram(String),
    Code(String, String),
}

impl Driver {
    /// (FROM item `d`, its condition, the subject id column), binding into `sql`.
    pub fn sql(&self, sql: &mut Sql) -> (&'static str, String, &'static str) {
        match self {
            Driver::Gram(g) => {
                let p = sql.bind(g);
                (
                    "subject_grams d",
                    format!("d.gram = {p} AND d.public = 1"),
                    "d.subject_id",
                )
            }
            Driver::Code(lo, hi) => {
                let (a, b) = (sql.bind(lo), sql.bind(hi));
                (
                    "subjects d",
                    format!("d.uscc >= {a} AND d.uscc <= {b} AND d.kind <> 'person'"),
                    "d.id",
                )
            }
        }
    }
}

/// What the filters of a 双公示 list left besides the condition.
#[derive(Debug, Default)]
pub struct Filtered {
    /// Why the query text was not searched as a name (too short).
    pub message: Option<String>,
    /// When the query names many subjects: their index range and the decision number's placeholder,
    /// so that a count reaches the records through the subjects rather than walking every record.
    pub many: Option<(Driver, String)>,
}

impl SubjectMatch {
    /// Subjects whose id is `col`.
    fn on(&self, col: &str) -> String {
        if self.few {
            format!("{col} IN ({})", self.set)
        } else {
            format!(
                "EXISTS (SELECT 1 FROM subjects s2 WHERE s2.id = {col} AND {})",
                self.probe
            )
        }
    }
}

/// Subjects the public may see whose name holds `text` (or whose USCC starts with `code`), binding
/// into `sql` in the order the text is written.
async fn subjects(
    state: &AppState,
    sql: &mut Sql,
    terms: &Terms,
) -> Result<SubjectMatch, AppError> {
    match terms {
        Terms::Name { text, grams } => {
            let counted = gram_counts(state, true, grams).await?;
            let Some((rarest_n, rarest)) = counted.first() else {
                return Err(AppError::internal("lists", "a name without pairs"));
            };
            let few = *rarest_n <= CAP;
            let like = format!("%{}%", escape_like(text));
            let exact = text.chars().count() > 2;
            if few {
                let g = sql.bind(rarest);
                let mut set = format!(
                    "SELECT g0.subject_id FROM subject_grams g0 WHERE g0.gram = {g} AND g0.public = 1"
                );
                if exact {
                    // The pair only narrows: the whole fragment must be in the name.
                    let p = sql.bind(&like);
                    set = format!(
                        "SELECT s2.id FROM subjects s2 WHERE s2.id IN ({set}) AND s2.name LIKE {p} ESCAPE '\\'"
                    );
                }
                Ok(SubjectMatch {
                    set,
                    probe: String::new(),
                    few,
                    driver: Driver::Gram(rarest.clone()),
                })
            } else {
                let p = sql.bind(&like);
                Ok(SubjectMatch {
                    set: String::new(),
                    probe: format!("s2.kind <> 'person' AND s2.name LIKE {p} ESCAPE '\\'"),
                    few,
                    driver: Driver::Gram(rarest.clone()),
                })
            }
        }
        Terms::Code { code, .. } => {
            let high = format!("{code}{}", "Z".repeat(18usize.saturating_sub(code.len())));
            let mut count = Sql::default();
            let (lo, hi) = (count.bind(code), count.bind(&high));
            count.text = format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM subjects WHERE uscc >= {lo} AND uscc <= {hi} LIMIT {}) c",
                CAP + 1
            );
            let few = super::search::first_int(count.rows(&state.db).await?)? <= CAP;
            let (lo, hi) = (sql.bind(code), sql.bind(&high));
            let range = format!("uscc >= {lo} AND uscc <= {hi}");
            Ok(SubjectMatch {
                set: format!("SELECT id FROM subjects WHERE {range} AND kind <> 'person'"),
                probe: format!("s2.kind <> 'person' AND s2.{range}"),
                few,
                driver: Driver::Code(code.clone(), high),
            })
        }
    }
}

/// A `YYYY-MM-DD` date or nothing (a malformed date is ignored, not an error).
fn date(s: &str) -> Option<&str> {
    let s = s.trim();
    crate::rules::date::Ymd::parse_iso(s).map(|_| s)
}

/// What the query asks for, or why nothing is searched by it (a message for the page).
fn terms(q: &str) -> Result<Option<Terms>, String> {
    if q.trim().is_empty() {
        return Ok(None);
    }
    query::parse(q).map(Some).map_err(str::to_string)
}

/// Conditions of a 双公示 list (`r` is the licence or penalty, `table` its table) after `shown`.
pub async fn records(
    state: &AppState,
    sql: &mut Sql,
    table: &str,
    f: &ListFilters,
) -> Result<Filtered, AppError> {
    let mut out = Filtered::default();
    let q = f.q.trim();
    match terms(q) {
        Ok(None) => {}
        Ok(Some(t)) => {
            let m = subjects(state, sql, &t).await?;
            let no = sql.bind(q);
            if m.few {
                // By subject (index on subject_id) and by number (index on decision_no), then sorted.
                sql.text.push_str(&format!(
                    " AND r.id IN (SELECT x.id FROM {table} x WHERE {} UNION ALL \
                     SELECT x.id FROM {table} x WHERE x.decision_no = {no})",
                    m.on("x.subject_id")
                ));
            } else {
                sql.text.push_str(&format!(
                    " AND ({} OR r.decision_no = {no})",
                    m.on("r.subject_id")
                ));
                out.many = Some((m.driver, no));
            }
        }
        Err(why) => {
            // Too short for a name: still an exact decision number.
            let no = sql.bind(q);
            sql.text.push_str(&format!(" AND r.decision_no = {no}"));
            out.message = Some(why);
        }
    }
    common(sql, "r", f);
    if let Some(d) = date(&f.from) {
        let p = sql.bind(d);
        sql.text.push_str(&format!(" AND r.decision_date >= {p}"));
    }
    if let Some(d) = date(&f.to) {
        let p = sql.bind(d);
        sql.text.push_str(&format!(" AND r.decision_date <= {p}"));
    }
    Ok(out)
}

/// County and source unit, on `a` (a record or a list entry: both carry the two columns).
fn common(sql: &mut Sql, a: &str, f: &ListFilters) {
    if !f.county.trim().is_empty() {
        let p = sql.bind(f.county.trim());
        sql.text.push_str(&format!(" AND {a}.county_code = {p}"));
    }
    if !f.unit.trim().is_empty() {
        let p = sql.bind(f.unit.trim());
        sql.text.push_str(&format!(
            " AND {a}.department_id = (SELECT d.id FROM departments d WHERE d.code = {p})"
        ));
    }
}

/// A field of a list entry's JSON payload as text.
pub fn payload_field(backend: Backend, g: &str, key: &'static str) -> String {
    match backend {
        Backend::Sqlite => format!("json_extract({g}.payload, '$.{key}')"),
        Backend::Postgres => format!("(CAST({g}.payload AS jsonb) ->> '{key}')"),
    }
}

/// A list entry not removed by `today`: no removal date, or a later one (`g` is the entry; `today`
/// comes from the clock, never from a request).
pub fn not_removed_by(backend: Backend, g: &str, today: crate::rules::date::Ymd) -> String {
    let removed_on = payload_field(backend, g, "removed_on");
    format!(
        "(COALESCE({removed_on}, '') = '' OR {removed_on} > '{}')",
        today.iso()
    )
}

/// Conditions of a red, black or watch list (`g` is the entry) after the class and `shown`.
pub async fn entries(
    state: &AppState,
    sql: &mut Sql,
    f: &ListFilters,
) -> Result<Option<String>, AppError> {
    entries_on(state, sql, f, "authority", "listed_on").await
}

/// Conditions of the commitments list: as a list's, on the accepting unit and the commitment date,
/// and the type and fulfilment exactly.
pub async fn commitments(
    state: &AppState,
    sql: &mut Sql,
    f: &ListFilters,
) -> Result<Option<String>, AppError> {
    let message = entries_on(state, sql, f, "accepting_unit", "committed_on").await?;
    for (key, value) in [("commitment_type", &f.kind), ("fulfilment", &f.fulfilment)] {
        if !value.trim().is_empty() {
            let p = sql.bind(value.trim());
            sql.text.push_str(&format!(
                " AND {} = {p}",
                payload_field(state.db.backend, "g", key)
            ));
        }
    }
    Ok(message)
}

/// Conditions on generic entries: the subject, county and unit, a fragment of the payload's
/// `authority` field, and a range of its `date` field.
async fn entries_on(
    state: &AppState,
    sql: &mut Sql,
    f: &ListFilters,
    authority_key: &'static str,
    date_key: &'static str,
) -> Result<Option<String>, AppError> {
    let backend = state.db.backend;
    let mut message = None;
    let q = f.q.trim();
    match terms(q) {
        Ok(None) => {}
        Ok(Some(t)) => {
            let m = subjects(state, sql, &t).await?;
            sql.text.push_str(&format!(" AND {}", m.on("g.subject_id")));
        }
        Err(why) => {
            sql.text.push_str(" AND 1 = 0");
            message = Some(why);
        }
    }
    common(sql, "g", f);
    if !f.authority.trim().is_empty() {
        let p = sql.bind(&format!("%{}%", escape_like(f.authority.trim())));
        sql.text.push_str(&format!(
            " AND {} LIKE {p} ESCAPE '\\'",
            payload_field(backend, "g", authority_key)
        ));
    }
    let listed = payload_field(backend, "g", date_key);
    if let Some(d) = date(&f.from) {
        let p = sql.bind(d);
        sql.text.push_str(&format!(" AND {listed} >= {p}"));
    }
    if let Some(d) = date(&f.to) {
        let p = sql.bind(d);
        sql.text.push_str(&format!(" AND {listed} <= {p}"));
    }
    Ok(message)
}
