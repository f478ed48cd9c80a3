//! The 政策法规 list: the published documents of a policy-kind column (and its sub-columns), filtered
//! by level, status, issuing body, year of issue and a fragment of the title or 文号.
use super::columns::{self, PER_PAGE};
use crate::error::AppError;
use crate::paging::Page;
use crate::portal::model::{PolicyFilter, PolicyPageData, PolicyRow};
use crate::rules::date::beijing_minute;
use crate::rules::policy_doc::{self, PolicyDoc};
use crate::server::db::sql::{clamp_page, like_pattern};
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The columns of `articles` and `article_live` that hold the document fields.
pub const DOC_COLUMNS: [&str; 6] = [
    "doc_issuer",
    "doc_number",
    "doc_level",
    "doc_issued_on",
    "doc_effective_on",
    "doc_status",
];

/// `l.doc_issuer, l.doc_number, …` for a SELECT over the table aliased `alias`.
pub fn select_list(alias: &str) -> String {
    DOC_COLUMNS
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fields from a row that selected `DOC_COLUMNS`; none when the article is not a policy
/// document (no level).
pub fn read_doc(r: &AnyRow) -> Result<Option<PolicyDoc>, sqlx::Error> {
    let level: String = r.try_get("doc_level")?;
    if level.is_empty() {
        return Ok(None);
    }
    Ok(Some(PolicyDoc {
        issuer: r.try_get("doc_issuer")?,
        number: r.try_get("doc_number")?,
        level,
        issued_on: r
            .try_get::<Option<String>, _>("doc_issued_on")?
            .unwrap_or_default(),
        effective_on: r
            .try_get::<Option<String>, _>("doc_effective_on")?
            .unwrap_or_default(),
        status: r.try_get("doc_status")?,
    }))
}

/// The WHERE clause of the list and its values, in bind order. Unknown level or status codes and a
/// year that is not four digits are ignored, as an empty field is.
fn conditions(codes: &[String], f: &PolicyFilter) -> (String, Vec<String>) {
    let mut binds: Vec<String> = codes.to_vec();
    let marks: Vec<String> = (1..=binds.len()).map(|i| format!("${i}")).collect();
    let mut parts = vec![format!(
        "l.article_id IN (SELECT article_id FROM article_live_columns WHERE column_code IN ({}))",
        marks.join(", ")
    )];
    let mut add = |sql: &str, value: String| {
        binds.push(value);
        parts.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if !policy_doc::level_label(&f.level).is_empty() {
        add("l.doc_level = ?", f.level.clone());
    }
    if !policy_doc::status_label(&f.status).is_empty() {
        add("l.doc_status = ?", f.status.clone());
    }
    if !f.issuer.trim().is_empty() {
        add("l.doc_issuer = ?", f.issuer.trim().to_string());
    }
    let year = f.year.trim();
    if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) {
        add("SUBSTR(l.doc_issued_on, 1, 4) = ?", year.to_string());
    }
    if !f.q.trim().is_empty() {
        let pattern = like_pattern(&f.q);
        add(
            "(LOWER(l.title) LIKE ? ESCAPE '\\' OR LOWER(l.doc_number) LIKE ? ESCAPE '\\')",
            pattern,
        );
    }
    (parts.join(" AND "), binds)
}

/// The distinct non-empty values of `expr` among the column's documents, in `order`.
async fn choices(
    state: &AppState,
    codes: &[String],
    expr: &str,
    order: &str,
) -> Result<Vec<String>, AppError> {
    let (within, binds) = conditions(codes, &PolicyFilter::default());
    let sql = format!(
        "SELECT DISTINCT {expr} AS v FROM article_live l WHERE {within} AND {expr} <> '' ORDER BY v {order}"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("v"))
        .collect::<Result<_, _>>()?)
}

/// One page of the policy column `code`'s documents under the filter, newest issue first.
pub async fn policy_page(
    state: &AppState,
    code: &str,
    filter: &PolicyFilter,
    page: i64,
) -> Result<PolicyPageData, AppError> {
    let column = columns::find(state, code).await?;
    let mut codes = vec![column.code.clone()];
    codes.extend(
        columns::visible(state)
            .await?
            .into_iter()
            .filter(|c| c.parent_code.as_deref() == Some(code))
            .map(|c| c.code),
    );
    let (filter_sql, binds) = conditions(&codes, filter);
    let count_sql = format!("SELECT COUNT(*) FROM article_live l WHERE {filter_sql}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total = count.fetch_one(&state.db.pool).await?;
    let page = clamp_page(page);
    let n = binds.len();
    let list_sql = format!(
        "SELECT l.public_id, l.title, l.published_at, {} FROM article_live l WHERE {filter_sql} \
         ORDER BY COALESCE(l.doc_issued_on, '') DESC, l.published_at DESC, l.article_id DESC LIMIT ${} OFFSET ${}",
        select_list("l"),
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for b in &binds {
        list = list.bind(b);
    }
    let rows = list
        .bind(PER_PAGE)
        .bind((page - 1) * PER_PAGE)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            let published: String = r.try_get("published_at")?;
            Ok(PolicyRow {
                public_id: r.try_get("public_id")?,
                title: r.try_get("title")?,
                doc: read_doc(r)?.unwrap_or_default(),
                published_on: beijing_minute(&published).chars().take(10).collect(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(PolicyPageData {
        rows: Page {
            rows,
            total,
            page,
            per_page: PER_PAGE,
        },
        issuers: choices(state, &codes, "l.doc_issuer", "ASC").await?,
        years: choices(state, &codes, "SUBSTR(l.doc_issued_on, 1, 4)", "DESC").await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_bind_in_order_and_ignore_unknown_codes() {
        let f = PolicyFilter {
            level: "national".into(),
            status: "bogus".into(),
            issuer: " 国务院 ".into(),
            year: "20x4".into(),
            q: "信用".into(),
        };
        let (sql, binds) = conditions(&["policy".into()], &f);
        assert_eq!(binds, ["policy", "national", "国务院", "%信用%"]);
        assert!(sql.contains("l.doc_level = $2") && sql.contains("l.doc_issuer = $3"));
        assert!(sql.contains("LOWER(l.doc_number) LIKE $4"));
        assert!(!sql.contains("doc_status") && !sql.contains("SUBSTR"));
    }
}
