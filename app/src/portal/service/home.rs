//! The home page's data. What is public follows docs/domain.md §3.3 and §7: no withdrawn or repaired penalties,
//! none past their display end, no penalties on natural persons (setting default off), masked persons.
use super::columns::{self, article_item, ITEM_COLS};
use crate::error::AppError;
use crate::portal::model::{ColumnLatest, Headline, HomeData, RecordBrief, SiteCounts};
use crate::rules::mask;
use crate::server::AppState;
use sqlx::Row;

const LATEST: i64 = 8;
/// Articles per column on the home page, and headlines in the strip.
const PER_COLUMN: i64 = 6;
const HEADLINES: i64 = 5;

pub async fn home_data(state: &AppState) -> Result<HomeData, AppError> {
    let today = state.clock.today().iso();
    let pool = &state.db.pool;
    let count = |sql: &'static str| async move {
        let row = sqlx::query(sql).fetch_one(pool).await?;
        Ok::<i64, AppError>(row.try_get::<i64, _>(0)?)
    };
    let counts = SiteCounts {
        subjects: count("SELECT COUNT(*) FROM subjects").await?,
        licences: count("SELECT COUNT(*) FROM licences WHERE published = 1 AND withdrawn = 0")
            .await?,
        penalties: count("SELECT COUNT(*) FROM penalties WHERE published = 1 AND withdrawn = 0")
            .await?,
        departments: count("SELECT COUNT(*) FROM departments WHERE active = 1").await?,
    };
    // What the public may see: the rules of the credit pages (display period, policy, minors).
    let policy = crate::credit::service::policy(state).await?;
    let penalties = sqlx::query(&format!(
        "SELECT r.public_id, r.subject_name, r.subject_category, r.decision_no, r.authority, r.decision_date, r.categories \
         FROM penalties r WHERE {} ORDER BY r.decision_date DESC, r.id DESC LIMIT $1",
        crate::credit::visibility::penalty_sql("r", &policy, state.clock.today())
    ))
    .bind(LATEST)
    .fetch_all(pool)
    .await?;
    let licences = sqlx::query(
        "SELECT public_id, subject_name, subject_category, decision_no, authority, decision_date, \
         licence_category AS categories FROM licences WHERE published = 1 AND withdrawn = 0 AND valid_to >= $1 \
         ORDER BY decision_date DESC, id DESC LIMIT $2",
    )
    .bind(&today)
    .bind(LATEST)
    .fetch_all(pool)
    .await?;
    let headlines = sqlx::query(&format!(
        "SELECT {ITEM_COLS}, l.cover, l.cover_alt FROM article_live l JOIN site_columns c ON c.code = l.column_code \
         WHERE l.headline = 1 AND l.cover IS NOT NULL ORDER BY l.published_at DESC, l.article_id DESC LIMIT $1"
    ))
    .bind(HEADLINES)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Headline {
            item: article_item(r)?,
            cover: r.try_get("cover")?,
            cover_alt: r.try_get("cover_alt")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let mut column_latest = vec![];
    for column in columns::visible(state)
        .await?
        .into_iter()
        .filter(|c| c.parent_code.is_none() && c.link_path.is_none() && c.is_news_like())
    {
        let items = sqlx::query(&format!(
            "SELECT {ITEM_COLS} FROM article_live l JOIN site_columns c ON c.code = l.column_code \
             WHERE l.article_id IN (SELECT article_id FROM article_live_columns WHERE column_code = $1) \
             ORDER BY l.published_at DESC, l.article_id DESC LIMIT $2"
        ))
        .bind(&column.code)
        .bind(PER_COLUMN)
        .fetch_all(pool)
        .await?
        .iter()
        .map(article_item)
        .collect::<Result<Vec<_>, _>>()?;
        column_latest.push(ColumnLatest { column, items });
    }
    // Texts pass the same last guard as the credit pages (older rows may hold an ID number).
    let scrub = crate::credit::service::Scrub::of(state).await?;
    Ok(HomeData {
        counts,
        latest_penalties: penalties
            .iter()
            .map(|r| record_brief(r, &scrub))
            .collect::<Result<_, _>>()?,
        latest_licences: licences
            .iter()
            .map(|r| record_brief(r, &scrub))
            .collect::<Result<_, _>>()?,
        headlines,
        columns: column_latest,
    })
}

fn record_brief(
    r: &sqlx::any::AnyRow,
    scrub: &crate::credit::service::Scrub,
) -> Result<RecordBrief, sqlx::Error> {
    let name: String = scrub.text(&r.try_get::<String, _>("subject_name")?);
    let category: String = r.try_get("subject_category")?;
    Ok(RecordBrief {
        public_id: r.try_get("public_id")?,
        subject_name: if category == "自然人" {
            mask::person_name(&name)
        } else {
            name
        },
        decision_no: scrub.text(&r.try_get::<String, _>("decision_no")?),
        authority: r.try_get("authority")?,
        decision_date: r.try_get("decision_date")?,
        category: r.try_get::<String, _>("categories")?.replace(';', "、"),
    })
}
