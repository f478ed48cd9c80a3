//! The FAQ (常见问题): the published articles of the CMS column `faq`, question = title and answer =
//! body, grouped by their first tag, searched by fragments of the question or the answer.
use super::faq::{FaqData, FaqEntry, FaqGroup};
use crate::error::AppError;
use crate::server::db::sql::like_pattern;
use crate::server::AppState;
use sqlx::Row;

/// The CMS column that holds the questions (created by migration 0013).
pub const FAQ_COLUMN: &str = "faq";
/// Entries without a tag are grouped here.
const OTHER_GROUP: &str = "其他问题";
/// At most this many words of a search are used (every one must match).
const MAX_TERMS: usize = 5;
/// The FAQ is short; a bound keeps a page small all the same.
const MAX_ENTRIES: i64 = 500;

/// The words of a search: split on spaces, at most `MAX_TERMS`.
fn terms(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(MAX_TERMS)
        .map(String::from)
        .collect()
}

/// Every published question (matching every word of `q`, if any), grouped by first tag in the order
/// the groups first appear, each group in publication order.
pub async fn faq(state: &AppState, q: &str) -> Result<FaqData, AppError> {
    let words = terms(q);
    let mut sql = "SELECT l.public_id, l.title, l.body_html, l.tags FROM article_live l \
         WHERE l.article_id IN (SELECT article_id FROM article_live_columns WHERE column_code = $1)"
        .to_string();
    for i in 0..words.len() {
        let n = i + 2;
        sql.push_str(&format!(
            " AND (LOWER(l.title) LIKE ${n} ESCAPE '\\' OR LOWER(l.search_text) LIKE ${n} ESCAPE '\\')"
        ));
    }
    sql.push_str(&format!(
        " ORDER BY l.published_at ASC, l.article_id ASC LIMIT {MAX_ENTRIES}"
    ));
    let mut query = sqlx::query(&sql).bind(FAQ_COLUMN);
    for w in &words {
        query = query.bind(like_pattern(w));
    }
    let rows = query.fetch_all(&state.db.pool).await?;
    let mut groups: Vec<FaqGroup> = vec![];
    for r in &rows {
        let tags: String = r.try_get("tags")?;
        let group = tags
            .split(';')
            .map(str::trim)
            .find(|t| !t.is_empty())
            .unwrap_or(OTHER_GROUP)
            .to_string();
        let entry = FaqEntry {
            public_id: r.try_get("public_id")?,
            question: r.try_get("title")?,
            answer_html: r.try_get("body_html")?,
        };
        match groups.iter_mut().find(|g| g.name == group) {
            Some(g) => g.entries.push(entry),
            None => groups.push(FaqGroup {
                name: group,
                entries: vec![entry],
            }),
        }
    }
    Ok(FaqData {
        q: words.join(" "),
        total: rows.len() as i64,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn a_search_is_at_most_five_words() {
        assert_eq!(terms("  信用  修复 "), ["信用", "修复"]);
        assert_eq!(terms("a b c d e f g").len(), 5);
        assert!(terms("   ").is_empty());
    }
}
