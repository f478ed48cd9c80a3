//! Site search over published articles. Chinese has no spaces between words, so a term matches as a
//! substring of the title or the plain text (a 2-character word like 信用 is found anywhere). Titles
//! that match rank first, then the newest.
use super::columns::{article_item, ITEM_COLS};
use crate::error::AppError;
use crate::paging::Page;
use crate::portal::model::{SearchHit, SearchResults};
use crate::server::db::sql::{clamp_page, like_pattern};
use crate::server::AppState;
use sqlx::Row;

pub const PER_PAGE: i64 = 15;
/// At most this many terms are used.
const MAX_TERMS: usize = 5;
/// Characters of text shown around the first match.
const EXCERPT_CHARS: usize = 60;

/// The terms of a query: split at spaces, each at least 2 characters (1-character terms match
/// nearly everything in Chinese).
pub fn terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(|t| t.chars().take(50).collect::<String>())
        .filter(|t| t.chars().count() >= 2)
        .take(MAX_TERMS)
        .collect()
}

/// A piece of `text` around the first place any term occurs, with an ellipsis where it was cut.
pub fn excerpt(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower = text.to_lowercase();
    let at = terms
        .iter()
        .filter_map(|t| lower.find(&t.to_lowercase()))
        .min()
        .map(|byte| lower[..byte].chars().count())
        .unwrap_or(0);
    let start = at.saturating_sub(EXCERPT_CHARS / 3);
    let end = (start + EXCERPT_CHARS).min(chars.len());
    // start <= at <= chars.len(), so start..end is in bounds.
    let mut out: String = chars.get(start..end).unwrap_or_default().iter().collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

pub async fn search(state: &AppState, query: &str, page: i64) -> Result<SearchResults, AppError> {
    let terms = terms(query);
    let page = clamp_page(page);
    if terms.is_empty() {
        return Ok(SearchResults {
            query: query.trim().to_string(),
            results: Page {
                rows: vec![],
                total: 0,
                page,
                per_page: PER_PAGE,
            },
        });
    }
    let conditions: Vec<String> = (1..=terms.len())
        .map(|i| format!("(LOWER(l.title) LIKE ${i} ESCAPE '\\' OR LOWER(l.search_text) LIKE ${i} ESCAPE '\\')"))
        .collect();
    let filter = conditions.join(" AND ");
    let patterns: Vec<String> = terms.iter().map(|t| like_pattern(t)).collect();
    let count_sql = format!("SELECT COUNT(*) FROM article_live l WHERE {filter}");
    let mut count = sqlx::query(&count_sql);
    for p in &patterns {
        count = count.bind(p);
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get(0)?;
    let n = patterns.len();
    let list_sql = format!(
        "SELECT {ITEM_COLS}, l.search_text, CASE WHEN LOWER(l.title) LIKE $1 ESCAPE '\\' THEN 0 ELSE 1 END AS title_rank \
         FROM article_live l JOIN site_columns c ON c.code = l.column_code WHERE {filter} \
         ORDER BY title_rank, l.published_at DESC, l.article_id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for p in &patterns {
        list = list.bind(p);
    }
    let rows = list
        .bind(PER_PAGE)
        .bind((page - 1) * PER_PAGE)
        .fetch_all(&state.db.pool)
        .await?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok(SearchHit {
                item: article_item(r)?,
                excerpt: excerpt(&r.try_get::<String, _>("search_text")?, &terms),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(SearchResults {
        query: query.trim().to_string(),
        results: Page {
            rows,
            total,
            page,
            per_page: PER_PAGE,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_character_words_are_terms_and_single_characters_are_not() {
        assert_eq!(terms(" 信用  修复 的 "), vec!["信用", "修复"]);
        assert!(terms("信").is_empty());
    }

    #[test]
    fn excerpt_shows_the_text_around_the_first_match() {
        let text = format!("{}凤凰县开展信用旅游{}", "前".repeat(100), "后".repeat(100));
        let e = excerpt(&text, &["凤凰".into()]);
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert!(e.contains("凤凰县开展信用旅游"));
        assert_eq!(excerpt("短文本", &["没有".into()]), "短文本");
    }
}
