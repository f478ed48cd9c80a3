//! `sitemap.xml` and an RSS 2.0 feed per column, built from the published copy of articles.
use super::columns::{self, article_item, ITEM_COLS};
use crate::error::AppError;
use crate::server::AppState;
use sqlx::Row;

/// A sitemap holds at most 50,000 addresses (sitemaps.org).
const SITEMAP_MAX_ARTICLES: i64 = 45_000;
const FEED_ITEMS: i64 = 20;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The home page, every visible column with articles, and every published article.
pub async fn sitemap(state: &AppState, origin: &str) -> Result<String, AppError> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, lastmod: Option<&str>| {
        out.push_str(&format!(
            "<url><loc>{}</loc>",
            xml_escape(&format!("{origin}{path}"))
        ));
        if let Some(day) = lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", xml_escape(day)));
        }
        out.push_str("</url>\n");
    };
    url("/", None);
    for c in columns::visible(state).await? {
        url(&c.href(), None);
    }
    let rows = sqlx::query(
        "SELECT public_id, updated_at FROM article_live ORDER BY published_at DESC LIMIT $1",
    )
    .bind(SITEMAP_MAX_ARTICLES)
    .fetch_all(&state.db.pool)
    .await?;
    for r in rows {
        let id: String = r.try_get("public_id")?;
        let updated: String = r.try_get("updated_at")?;
        url(
            &format!("/article/{id}"),
            Some(&updated[..updated.len().min(10)]),
        );
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// RFC 822 date (RSS `pubDate`) from a stored RFC 3339 UTC timestamp.
fn rfc822(stored: &str) -> String {
    crate::server::clock::parse_rfc3339(stored)
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc2822)
                .ok()
        })
        .unwrap_or_default()
}

/// The newest articles of a column as RSS 2.0.
pub async fn column_feed(state: &AppState, origin: &str, code: &str) -> Result<String, AppError> {
    let column = columns::find(state, code).await?;
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLS} FROM article_live l JOIN site_columns c ON c.code = l.column_code \
         WHERE l.article_id IN (SELECT article_id FROM article_live_columns WHERE column_code = $1) \
         ORDER BY l.published_at DESC, l.article_id DESC LIMIT $2"
    ))
    .bind(code)
    .bind(FEED_ITEMS)
    .fetch_all(&state.db.pool)
    .await?;
    let mut items = String::new();
    for r in &rows {
        let item = article_item(r)?;
        let link = format!("{origin}/article/{}", item.public_id);
        let published: String = r.try_get("published_at")?;
        items.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"true\">{}</guid><description>{}</description><pubDate>{}</pubDate></item>\n",
            xml_escape(&item.title),
            xml_escape(&link),
            xml_escape(&link),
            xml_escape(&item.summary),
            rfc822(&published)
        ));
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\n<title>{} - {}</title><link>{}</link><description>{}</description><language>zh-cn</language>\n{items}</channel></rss>\n",
        xml_escape(&column.name),
        xml_escape(crate::SITE_NAME),
        xml_escape(&format!("{origin}{}", column.href())),
        xml_escape(&format!("{}{}栏目的最新文章", crate::SITE_NAME, column.name)),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            super::xml_escape("<a href=\"x\">&'\u{1}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }
}
