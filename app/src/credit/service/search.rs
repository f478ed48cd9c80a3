//! Credit search over the subject registry: codes, then exact names, then name prefixes, then name
//! fragments through the bigram index (`subject_grams`). Each tier is cut to the rows a page needs
//! before anything is counted, and matches are counted only up to `CAP`: a fragment such as 湘西
//! matches most of a million subjects, and "1万+" says as much as the exact number would.
use super::sql::Sql;
use crate::collect::model::subject_kind_label;
use crate::credit::model::{MatchKind, SearchFilters, SearchHit, SearchResults};
use crate::credit::query::{self, Terms};
use crate::credit::visibility::{self, DisclosurePolicy};
use crate::error::AppError;
use crate::rules::division;
use crate::server::db::sql::escape_like;
use crate::server::db::Backend;
use crate::server::db::ReadValue;
use crate::server::AppState;

pub const PER_PAGE: i64 = 20;
/// Matches are counted up to this many.
pub const CAP: i64 = 10_000;
/// Results are paged up to this many (refine the query for more).
const MAX_RESULTS: i64 = 1_000;

/// Who is searching: the public sees organisations and individual businesses; staff also see natural
/// persons (masked), within their county when their scope is a county.
#[derive(Debug, Clone)]
pub enum Audience {
    Public,
    Staff { county: Option<String> },
}

impl Audience {
    fn public(&self) -> bool {
        matches!(self, Audience::Public)
    }
}

pub async fn search(
    state: &AppState,
    audience: &Audience,
    raw: &str,
    filters: &SearchFilters,
    page: i64,
) -> Result<SearchResults, AppError> {
    tracing::trace!(query = raw, page, "credit search");
    let mut out = SearchResults {
        query: raw.trim().to_string(),
        // Pages past the last one that can hold results are empty anyway; the bound also keeps
        // `page * PER_PAGE` from overflowing (a huge `page` became a negative LIMIT).
        page: page.clamp(1, MAX_RESULTS / PER_PAGE + 1),
        per_page: PER_PAGE,
        ..Default::default()
    };
    out.units = super::units(state).await?;
    if raw.trim().is_empty() {
        return Ok(out);
    }
    let terms = match query::parse(raw) {
        Ok(t) => t,
        Err(message) => {
            out.message = Some(message.to_string());
            return Ok(out);
        }
    };
    // A real query (not an empty form): counted in memory for the statistics, written later.
    crate::stats::service::usage::count(state, crate::stats::service::usage::Usage::Search);
    let policy = super::policy(state).await?;
    let ctx = Ctx {
        backend: state.db.backend,
        audience: audience.clone(),
        filters: filters.clone(),
        policy,
        today: state.clock.today(),
    };
    let want = (out.page * PER_PAGE).min(MAX_RESULTS);
    let db = &state.db;
    let mut found: Vec<Found> = Vec::new();
    let (total, needle) = match &terms {
        Terms::Code { code, suffix } => {
            for (sql, kind) in ctx.code_tiers(code, *suffix, want) {
                collect(&mut found, sql.rows(db).await?, kind, want)?;
            }
            (found.len() as i64, String::new())
        }
        Terms::Name { text, grams } => {
            let grams = rarest_first(state, &ctx, grams).await?;
            // Prefix matches in name order: an exact name is the first of them.
            let sql = ctx.prefix(text, want);
            collect(&mut found, sql.rows(db).await?, MatchKind::Prefix, want)?;
            if (found.len() as i64) < want {
                let sql = ctx.fragment(text, &grams, Some(want + found.len() as i64), true);
                collect(&mut found, sql.rows(db).await?, MatchKind::Fragment, want)?;
            }
            // A count that reached the cap reads "1万+" and stays there: remembered, not recounted.
            let key = format!("{:?}|{:?}|{text}", ctx.audience, ctx.filters);
            let n = if state.caches.capped_searches.contains(&key) {
                CAP + 1
            } else {
                let mut count = ctx.fragment(text, &grams, Some(CAP + 1), false);
                count.text = format!("SELECT COUNT(*) AS n FROM ({}) c", count.text);
                let n = first_int(count.rows(db).await?)?;
                if n > CAP {
                    state.caches.capped_searches.insert(key);
                }
                n
            };
            (n, text.clone())
        }
    };
    out.capped = total > CAP;
    out.total = total.min(CAP);
    out.total_label = query::count_label(out.total, out.capped);
    out.last_page = ((out.total.min(MAX_RESULTS) + PER_PAGE - 1) / PER_PAGE).max(1);
    let start = ((out.page - 1) * PER_PAGE) as usize;
    out.hits = found
        .iter()
        .skip(start)
        .take(PER_PAGE as usize)
        .map(|f| hit(&ctx, f, &needle))
        .collect();
    Ok(out)
}

/// A matching subject's row (`HIT_COLUMNS`) and how it matched.
struct Found {
    id: i64,
    kind: MatchKind,
    row: HitRow,
}

/// The columns of `HIT_COLUMNS`, in order.
struct HitRow {
    public_id: String,
    kind: String,
    name: String,
    uscc: String,
    county: String,
    legal_rep: String,
    masked: String,
    updated_at: String,
}

fn text(v: Option<ReadValue>) -> String {
    v.and_then(|v| v.text()).unwrap_or_default()
}

impl HitRow {
    /// The subject's id and its columns.
    fn read(row: Vec<ReadValue>) -> Result<(i64, HitRow), AppError> {
        let mut cols = row.into_iter();
        let id = cols
            .next()
            .and_then(|v| v.int())
            .ok_or_else(|| AppError::internal("search", "a hit without an id"))?;
        let mut next = || text(cols.next());
        Ok((
            id,
            HitRow {
                public_id: next(),
                kind: next(),
                name: next(),
                uscc: next(),
                county: next(),
                legal_rep: next(),
                masked: next(),
                updated_at: next(),
            },
        ))
    }
}

/// The number a `SELECT COUNT(*)` answered.
pub(crate) fn first_int(rows: Vec<Vec<ReadValue>>) -> Result<i64, AppError> {
    rows.first()
        .and_then(|r| r.first())
        .and_then(ReadValue::int)
        .ok_or_else(|| AppError::internal("search", "a count without a number"))
}

/// The subject's columns every tier selects, so that one query per tier gives the hits.
const HIT_COLUMNS: &str = "s.id, s.public_id, s.kind, s.name, COALESCE(s.uscc, '') AS uscc, \
    COALESCE(s.county_code, '') AS county, COALESCE(s.legal_rep, '') AS legal_rep, \
    COALESCE(s.id_number_masked, '') AS masked, s.updated_at";

/// Appends rows of subjects not found yet, in order, up to `want`.
fn collect(
    found: &mut Vec<Found>,
    rows: Vec<Vec<ReadValue>>,
    kind: MatchKind,
    want: i64,
) -> Result<(), AppError> {
    for row in rows {
        if found.len() as i64 >= want {
            break;
        }
        let (id, row) = HitRow::read(row)?;
        if !found.iter().any(|f| f.id == id) {
            found.push(Found { id, kind, row });
        }
    }
    Ok(())
}

/// The pairs ordered from the rarest (counted up to the cap), so the join walks the fewest rows.
async fn rarest_first(
    state: &AppState,
    ctx: &Ctx,
    grams: &[String],
) -> Result<Vec<String>, AppError> {
    if grams.len() < 2 {
        return Ok(grams.to_vec());
    }
    Ok(gram_counts(state, ctx.audience.public(), grams)
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect())
}

/// Each pair with the number of subjects it indexes (counted up to `CAP + 1`), rarest first.
/// `public`: only subjects the public may see.
pub(crate) async fn gram_counts(
    state: &AppState,
    public: bool,
    grams: &[String],
) -> Result<Vec<(i64, String)>, AppError> {
    let mut counted = Vec::with_capacity(grams.len());
    for g in grams {
        let mut sql = Sql::default();
        let p = sql.bind(g);
        let public = if public { " AND public = 1" } else { "" };
        sql.text = format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM subject_grams WHERE gram = {p}{public} LIMIT {}) c",
            CAP + 1
        );
        let n = first_int(sql.rows(&state.db).await?)?;
        counted.push((n, g.clone()));
    }
    counted.sort();
    Ok(counted)
}

struct Ctx {
    backend: Backend,
    audience: Audience,
    filters: SearchFilters,
    policy: DisclosurePolicy,
    today: crate::rules::date::Ymd,
}

impl Ctx {
    /// Conditions on the subject `s`: audience, county scope and filters.
    fn subject_conditions(&self, sql: &mut Sql) -> String {
        let mut c = String::new();
        match &self.audience {
            Audience::Public => c.push_str(" AND s.kind <> 'person'"),
            Audience::Staff {
                county: Some(county),
            } => {
                let p = sql.bind(county);
                c.push_str(&format!(" AND s.county_code = {p}"));
            }
            Audience::Staff { county: None } => {}
        }
        let f = &self.filters;
        if !f.kind.is_empty() {
            let p = sql.bind(&f.kind);
            c.push_str(&format!(" AND s.kind = {p}"));
        }
        if !f.county.is_empty() {
            let p = sql.bind(&f.county);
            c.push_str(&format!(" AND s.county_code = {p}"));
        }
        if !(f.unit.is_empty() && f.record.is_empty() && f.from.is_empty() && f.to.is_empty()) {
            let mut any = vec![];
            if f.record != "penalty" {
                any.push(self.record_exists(
                    sql,
                    "licences",
                    &visibility::licence_sql("r", self.today),
                ));
            }
            if f.record != "licence" {
                any.push(self.record_exists(
                    sql,
                    "penalties",
                    &visibility::penalty_sql("r", &self.policy, self.today),
                ));
            }
            c.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
        c
    }

    fn record_exists(&self, sql: &mut Sql, table: &str, shown: &str) -> String {
        let f = &self.filters;
        let mut c =
            format!("EXISTS (SELECT 1 FROM {table} r WHERE r.subject_id = s.id AND {shown}");
        if !f.unit.is_empty() {
            let p = sql.bind(&f.unit);
            c.push_str(&format!(
                " AND r.department_id = (SELECT d.id FROM departments d WHERE d.code = {p})"
            ));
        }
        if !f.from.is_empty() {
            let p = sql.bind(&f.from);
            c.push_str(&format!(" AND r.decision_date >= {p}"));
        }
        if !f.to.is_empty() {
            let p = sql.bind(&f.to);
            c.push_str(&format!(" AND r.decision_date <= {p}"));
        }
        c.push(')');
        c
    }

    fn code_tiers(&self, code: &str, suffix: bool, limit: i64) -> Vec<(Sql, MatchKind)> {
        let mut tiers = vec![];
        for column in ["uscc", "reg_no", "org_code"] {
            let mut sql = Sql::default();
            let p = sql.bind(code);
            let cond = self.subject_conditions(&mut sql);
            sql.text = format!(
                "SELECT {HIT_COLUMNS} FROM subjects s WHERE s.{column} = {p}{cond} ORDER BY s.id LIMIT {limit}"
            );
            tiers.push((sql, MatchKind::Code));
        }
        if suffix && code.len() < 18 {
            // The start of a USCC: an index range (every USCC character sorts at or below 'Z').
            let mut sql = Sql::default();
            let low = sql.bind(code);
            let high = sql.bind(&format!("{code}{}", "Z".repeat(18 - code.len())));
            let cond = self.subject_conditions(&mut sql);
            sql.text = format!(
                "SELECT {HIT_COLUMNS} FROM subjects s WHERE s.uscc >= {low} AND s.uscc <= {high}{cond} \
                 ORDER BY s.uscc LIMIT {limit}"
            );
            tiers.push((sql, MatchKind::Code));
        }
        if suffix && code.len() >= query::MIN_CODE_SUFFIX {
            let mut sql = Sql::default();
            let key = sql.bind(&query::suffix_key(code));
            let tail = sql.bind(&format!("%{code}"));
            let cond = self.subject_conditions(&mut sql);
            sql.text = format!(
                "SELECT {HIT_COLUMNS} FROM subject_grams g JOIN subjects s ON s.id = g.subject_id \
                 WHERE g.gram = {key} AND s.uscc LIKE {tail}{cond} ORDER BY g.subject_id LIMIT {limit}"
            );
            tiers.push((sql, MatchKind::Code));
        }
        tiers
    }

    /// Names that start with the text, in code-point order (the name index's order).
    fn prefix(&self, text: &str, limit: i64) -> Sql {
        let mut sql = Sql::default();
        let low = sql.bind(text);
        let high = sql.bind(&format!("{text}\u{10FFFF}"));
        let cond = self.subject_conditions(&mut sql);
        let c = match self.backend {
            Backend::Postgres => " COLLATE \"C\"",
            Backend::Sqlite => "",
        };
        sql.text = format!(
            "SELECT {HIT_COLUMNS} FROM subjects s WHERE s.name{c} >= {low} AND s.name{c} < {high}{cond} \
             ORDER BY s.name{c}, s.id LIMIT {limit}"
        );
        sql
    }

    /// Subjects whose name holds the text: every pair in the index (rarest first), then the whole
    /// text in the name when it is longer than one pair. Oldest subjects first.
    /// `columns`: select the hits' columns (else only the subject id, for counting).
    fn fragment(&self, text: &str, grams: &[String], limit: Option<i64>, columns: bool) -> Sql {
        let mut sql = Sql::default();
        let public = self.audience.public();
        let join = match self.backend {
            // SQLite: CROSS JOIN keeps the written order, so the rarest pair drives the join.
            Backend::Sqlite => "CROSS JOIN",
            Backend::Postgres => "JOIN",
        };
        let mut from = String::new();
        for (i, g) in grams.iter().enumerate() {
            let p = sql.bind(g);
            let visible = if public {
                format!(" AND g{i}.public = 1")
            } else {
                String::new()
            };
            if i == 0 {
                from = "subject_grams g0".to_string();
                sql.text = format!(" WHERE g0.gram = {p}{visible}");
            } else {
                from.push_str(&format!(
                    " {join} subject_grams g{i} ON g{i}.gram = {p} AND g{i}.subject_id = g0.subject_id{visible}"
                ));
            }
        }
        let mut wheres = std::mem::take(&mut sql.text);
        let needs_subject = columns || grams.len() > 1 || !self.filters.is_empty() || !public;
        if needs_subject {
            from.push_str(&format!(" {join} subjects s ON s.id = g0.subject_id"));
            if grams.len() > 1 {
                let p = sql.bind(&format!("%{}%", escape_like(text)));
                wheres.push_str(&format!(" AND s.name LIKE {p} ESCAPE '\\'"));
            }
            let cond = self.subject_conditions(&mut sql);
            wheres.push_str(&cond);
        }
        let order = match limit {
            Some(n) => format!(" ORDER BY g0.subject_id LIMIT {n}"),
            None => String::new(),
        };
        let select = if columns {
            HIT_COLUMNS
        } else {
            "g0.subject_id"
        };
        sql.text = format!("SELECT {select} FROM {from}{wheres}{order}");
        sql
    }
}

/// A hit as the audience may see it.
fn hit(ctx: &Ctx, f: &Found, needle: &str) -> SearchHit {
    let r = &f.row;
    let person = r.kind == "person";
    let matched = if f.kind == MatchKind::Prefix && r.name == needle {
        MatchKind::ExactName
    } else {
        f.kind
    };
    let name = if person && ctx.audience.public() {
        crate::rules::mask::person_name(&r.name)
    } else {
        r.name.clone()
    };
    SearchHit {
        public_id: r.public_id.clone(),
        highlighted: query::highlight(&name, needle),
        name,
        uscc: if person {
            ctx.policy.id_mask.apply(&r.masked)
        } else {
            r.uscc.clone()
        },
        kind: subject_kind_label(&r.kind).to_string(),
        county: division::xiangxi_name(&r.county)
            .unwrap_or_default()
            .to_string(),
        legal_rep: if person {
            String::new()
        } else {
            r.legal_rep.clone()
        },
        matched,
        updated_at: r.updated_at.clone(),
    }
}
