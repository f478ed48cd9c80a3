//! The column tree: navigation and column pages.
use crate::error::AppError;
use crate::paging::Page;
use crate::portal::model::{ArticleItem, ColumnInfo, ColumnPageData};
use crate::rules::date::beijing_minute;
use crate::server::db::sql::clamp_page;
use crate::server::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Articles per column page.
pub const PER_PAGE: i64 = 15;

const COLUMN_COLS: &str = "code, name, parent_code, kind, description, link_path";

/// Every visible column, parents before children, in their order.
pub async fn visible(state: &AppState) -> Result<Vec<ColumnInfo>, AppError> {
    if let Some(nav) = state.caches.nav.get() {
        return Ok(nav);
    }
    let nav: Vec<ColumnInfo> = sqlx::query_as(&format!(
        "SELECT {COLUMN_COLS} FROM site_columns WHERE visible = 1 ORDER BY sort_order, code"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    state.caches.nav.put(nav.clone());
    Ok(nav)
}

/// One visible column by code.
pub async fn find(state: &AppState, code: &str) -> Result<ColumnInfo, AppError> {
    find_where(state, code, "AND visible = 1").await
}

/// A column by code, shown or not (an article keeps its column's name when the column is hidden).
pub async fn find_any(state: &AppState, code: &str) -> Result<ColumnInfo, AppError> {
    find_where(state, code, "").await
}

async fn find_where(state: &AppState, code: &str, extra: &str) -> Result<ColumnInfo, AppError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMN_COLS} FROM site_columns WHERE code = $1 {extra}"
    ))
    .bind(code)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该栏目".into()))
}

/// One line of an article list, from `article_live l JOIN site_columns c`.
pub fn article_item(r: &AnyRow) -> Result<ArticleItem, sqlx::Error> {
    let published: String = r.try_get("published_at")?;
    Ok(ArticleItem {
        public_id: r.try_get("public_id")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        published_on: beijing_minute(&published).chars().take(10).collect(),
        column_name: r.try_get("column_name")?,
    })
}

pub const ITEM_COLS: &str =
    "l.public_id, l.title, l.summary, l.published_at, c.name AS column_name";

/// A column with one page of its published articles (and those of its sub-columns), newest first.
pub async fn column_page(
    state: &AppState,
    code: &str,
    page: i64,
) -> Result<ColumnPageData, AppError> {
    let column = find(state, code).await?;
    let all = visible(state).await?;
    let children: Vec<ColumnInfo> = all
        .iter()
        .filter(|c| c.parent_code.as_deref() == Some(code))
        .cloned()
        .collect();
    let parent = column
        .parent_code
        .as_ref()
        .and_then(|p| all.iter().find(|c| &c.code == p).cloned());
    let mut codes: Vec<&str> = vec![code];
    codes.extend(children.iter().map(|c| c.code.as_str()));
    let marks = (1..=codes.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let within = format!(
        "l.article_id IN (SELECT article_id FROM article_live_columns WHERE column_code IN ({marks}))"
    );
    let count_sql = format!("SELECT COUNT(*) FROM article_live l WHERE {within}");
    let mut count = sqlx::query(&count_sql);
    for c in &codes {
        count = count.bind(*c);
    }
    let total: i64 = count.fetch_one(&state.db.pool).await?.try_get(0)?;
    let page = clamp_page(page);
    let n = codes.len();
    let list_sql = format!(
        "SELECT {ITEM_COLS} FROM article_live l JOIN site_columns c ON c.code = l.column_code \
         WHERE {within} ORDER BY l.published_at DESC, l.article_id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for c in &codes {
        list = list.bind(*c);
    }
    let rows = list
        .bind(PER_PAGE)
        .bind((page - 1) * PER_PAGE)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(ColumnPageData {
        column,
        parent,
        children,
        articles: Page {
            rows: rows.iter().map(article_item).collect::<Result<_, _>>()?,
            total,
            page,
            per_page: PER_PAGE,
        },
    })
}
