//! The public 双公示 lists (licences and penalties, latest first, with filters) and the red, black and
//! watch lists, and one record's detail page.
use super::list_filter;
use super::records::{self, Kind};
use super::sql::Sql;
use crate::credit::model::{GenericEntry, ListFilters, ListPage, PublicRecord};
use crate::credit::visibility;
use crate::error::AppError;
use crate::server::db::Backend;
use crate::server::AppState;

pub const PER_PAGE: i64 = 20;
/// Matches are counted up to this many ("共 10,000 条以上" past it).
pub const COUNT_CAP: i64 = 10_000;

/// The list names of the lists page: licences, penalties, red, black, watch.
pub fn title(list: &str) -> Option<&'static str> {
    Some(match list {
        "licences" => "行政许可公示",
        "penalties" => "行政处罚公示",
        "red" => "守信激励对象（红名单）",
        "black" => "严重失信主体名单（黑名单）",
        "watch" => "重点关注名单",
        "commitments" => "信用承诺公示",
        _ => return None,
    })
}

/// Where a list's rows come from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Records(Kind),
    /// Generic records, newest first by this payload date.
    Entries(&'static str),
}

/// A list's query: the condition on its rows with the filters, its parameters, and the message to
/// show when the query text could not be used.
struct Query {
    source: Source,
    sql: Sql,
    message: Option<String>,
    /// A query naming many subjects: counted through them (`list_filter::Filtered::many`).
    many: Option<(list_filter::Driver, String)>,
}

async fn query(state: &AppState, list: &str, filters: &ListFilters) -> Result<Query, AppError> {
    let today = state.clock.today();
    let mut sql = Sql::default();
    let (source, message, many) = match list {
        "licences" | "penalties" => {
            let kind = if list == "licences" {
                Kind::Licence
            } else {
                Kind::Penalty
            };
            sql.text = match kind {
                Kind::Licence => visibility::licence_sql("r", today),
                Kind::Penalty => visibility::penalty_sql("r", &super::policy(state).await?, today),
            };
            let f = list_filter::records(state, &mut sql, list, filters).await?;
            (Source::Records(kind), f.message, f.many)
        }
        "red" | "black" | "watch" => {
            let p = sql.bind(&format!("{list}_list"));
            sql.text = format!(
                "g.class_id = (SELECT dc.id FROM data_classes dc WHERE dc.code = {p}) AND {} \
                 AND g.payload NOT LIKE '%\"status\":\"已移出\"%' AND {}",
                visibility::generic_sql("g"),
                // An entry leaves the list on its removal date, before the daily job marks it.
                list_filter::not_removed_by(state.db.backend, "g", today)
            );
            (
                Source::Entries("listed_on"),
                list_filter::entries(state, &mut sql, filters).await?,
                None,
            )
        }
        "commitments" => {
            let p = sql.bind(crate::commitments::rules::CLASS);
            sql.text = format!(
                "g.class_id = (SELECT dc.id FROM data_classes dc WHERE dc.code = {p}) AND {}",
                visibility::generic_sql("g")
            );
            (
                Source::Entries("committed_on"),
                list_filter::commitments(state, &mut sql, filters).await?,
                None,
            )
        }
        _ => return Err(AppError::NotFound("该名单".into())),
    };
    Ok(Query {
        source,
        sql,
        message,
        many,
    })
}

/// Newest first: the decision date, or the date an entry was listed.
fn order(state: &AppState, source: Source) -> String {
    match source {
        Source::Records(_) => "ORDER BY r.decision_date DESC, r.id DESC".into(),
        Source::Entries(date) => format!(
            "ORDER BY {} DESC, g.id DESC",
            list_filter::payload_field(state.db.backend, "g", date)
        ),
    }
}

/// Rows of the query after `offset`, at most `limit` (records or entries, the other one empty).
async fn rows(
    state: &AppState,
    q: &Query,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PublicRecord>, Vec<GenericEntry>), AppError> {
    let tail = format!("{} LIMIT {limit} OFFSET {offset}", order(state, q.source));
    Ok(match q.source {
        Source::Records(kind) => (
            records::fetch(state, kind, &q.sql.text, &q.sql.binds, &tail).await?,
            vec![],
        ),
        Source::Entries(_) => (
            vec![],
            records::fetch_generic(state, &q.sql.text, &q.sql.binds, &tail).await?,
        ),
    })
}

/// Matches counted up to `COUNT_CAP + 1`. A count that reached the cap is remembered for a while
/// (as the search does): a common fragment's count walks tens of thousands of records.
async fn count(
    state: &AppState,
    list: &str,
    filters: &ListFilters,
    q: &Query,
) -> Result<i64, AppError> {
    let key = format!("list|{list}|{filters:?}");
    if state.caches.capped_searches.contains(&key) {
        return Ok(COUNT_CAP + 1);
    }
    let from = match q.source {
        Source::Records(Kind::Licence) => "licences r",
        Source::Records(Kind::Penalty) => "penalties r",
        Source::Entries(_) => "generic_records g",
    };
    let cond = &q.sql.text;
    let cap = COUNT_CAP + 1;
    let mut sql = Sql {
        text: String::new(),
        binds: q.sql.binds.clone(),
    };
    sql.text = match &q.many {
        None => {
            format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {from} WHERE {cond} LIMIT {cap}) c")
        }
        Some((driver, no)) => {
            // Through the subjects' index range (each subject's records by subject), then the records
            // that match only by their decision number.
            let (d, on, id) = driver.sql(&mut sql);
            let join = match state.db.backend {
                // SQLite: CROSS JOIN keeps the written order, so the subjects drive the join.
                Backend::Sqlite => "CROSS JOIN",
                Backend::Postgres => "JOIN",
            };
            format!(
                "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM {d} {join} {from} ON r.subject_id = {id} \
                 WHERE {on} AND {cond} LIMIT {cap}) c1) + (SELECT COUNT(*) FROM (SELECT 1 FROM {from} \
                 WHERE r.decision_no = {no} AND {cond} AND NOT EXISTS (SELECT 1 FROM {d} WHERE {on} \
                 AND {id} = r.subject_id) LIMIT {cap}) c2) AS n"
            )
        }
    };
    let n = super::search::first_int(sql.rows(&state.db).await?)?;
    if n > COUNT_CAP {
        state.caches.capped_searches.insert(key);
    }
    Ok(n)
}

/// "共 37 条", "共 1,234 条", "共 10,000 条以上".
pub fn total_label(n: i64) -> String {
    let shown = n.min(COUNT_CAP).to_string();
    let mut grouped = String::new();
    for (i, c) in shown.chars().enumerate() {
        if i > 0 && (shown.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if n > COUNT_CAP {
        format!("共 {grouped} 条以上")
    } else {
        format!("共 {grouped} 条")
    }
}

pub async fn list_page(
    state: &AppState,
    list: &str,
    filters: &ListFilters,
    page: i64,
) -> Result<ListPage, AppError> {
    let title = title(list).ok_or_else(|| AppError::NotFound("该名单".into()))?;
    let page = page.clamp(1, 500);
    let q = query(state, list, filters).await?;
    let (mut records, mut entries) = rows(state, &q, PER_PAGE + 1, (page - 1) * PER_PAGE).await?;
    let more = records.len() as i64 > PER_PAGE || entries.len() as i64 > PER_PAGE;
    records.truncate(PER_PAGE as usize);
    entries.truncate(PER_PAGE as usize);
    let n = count(state, list, filters, &q).await?;
    Ok(ListPage {
        list: list.into(),
        title: title.into(),
        records,
        entries,
        page,
        per_page: PER_PAGE,
        more,
        total: n.min(COUNT_CAP),
        capped: n > COUNT_CAP,
        total_label: total_label(n),
        units: super::units(state).await?,
        message: q.message,
    })
}

/// A list's rows for a download: at most `cap`; true when more matched.
pub struct ListExport {
    pub title: &'static str,
    pub records: Vec<PublicRecord>,
    pub entries: Vec<GenericEntry>,
    pub capped: bool,
}

/// What the list page shows for `filters`, every page of it, up to `cap` rows.
pub async fn export(
    state: &AppState,
    list: &str,
    filters: &ListFilters,
    cap: i64,
) -> Result<ListExport, AppError> {
    let title = title(list).ok_or_else(|| AppError::NotFound("该名单".into()))?;
    let cap = cap.max(1);
    let q = query(state, list, filters).await?;
    let (mut records, mut entries) = rows(state, &q, cap + 1, 0).await?;
    let capped = records.len() as i64 > cap || entries.len() as i64 > cap;
    records.truncate(cap as usize);
    entries.truncate(cap as usize);
    Ok(ListExport {
        title,
        records,
        entries,
        capped,
    })
}

/// One public licence or penalty; 404 when it is not (or no longer) on display.
pub async fn record(
    state: &AppState,
    kind: &str,
    public_id: &str,
) -> Result<PublicRecord, AppError> {
    let kind = Kind::parse(kind).ok_or_else(|| AppError::NotFound("该记录".into()))?;
    let policy = super::policy(state).await?;
    let today = state.clock.today();
    let shown = match kind {
        Kind::Licence => visibility::licence_sql("r", today),
        Kind::Penalty => visibility::penalty_sql("r", &policy, today),
    };
    records::fetch(
        state,
        kind,
        &format!("r.public_id = $1 AND {shown}"),
        &[public_id.to_string()],
        "",
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(|| AppError::NotFound("该记录（可能已超过公示期限或已撤销）".into()))
}
