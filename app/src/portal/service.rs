//! Portal queries. What is public follows DOMAIN §3.3 and §7: no withdrawn or repaired penalties,
//! none past their display end, no penalties on natural persons (setting default off), masked persons.
use super::model::{ArticleBrief, HomeData, RecordBrief, SiteCounts};
use crate::error::AppError;
use crate::rules::mask;
use crate::server::AppState;
use sqlx::Row;

const LATEST: i64 = 8;

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
    let penalties = sqlx::query(
        "SELECT public_id, subject_name, subject_category, decision_no, authority, decision_date, categories \
         FROM penalties WHERE published = 1 AND withdrawn = 0 AND repaired = 0 AND display_until >= $1 \
         AND subject_category <> '自然人' AND severity <> 'minor' \
         ORDER BY decision_date DESC, id DESC LIMIT $2",
    )
    .bind(&today)
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
    let news = sqlx::query(
        "SELECT a.public_id, c.name AS column_name, a.title, a.published_at FROM articles a \
         JOIN site_columns c ON c.code = a.column_code WHERE a.status = 'published' \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $1",
    )
    .bind(LATEST)
    .fetch_all(pool)
    .await?;
    Ok(HomeData {
        counts,
        latest_penalties: penalties
            .iter()
            .map(record_brief)
            .collect::<Result<_, _>>()?,
        latest_licences: licences
            .iter()
            .map(record_brief)
            .collect::<Result<_, _>>()?,
        news: news
            .iter()
            .map(|r| {
                let published: Option<String> = r.try_get("published_at")?;
                Ok(ArticleBrief {
                    public_id: r.try_get("public_id")?,
                    column_name: r.try_get("column_name")?,
                    title: r.try_get("title")?,
                    published_on: published.unwrap_or_default().chars().take(10).collect(),
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    })
}

fn record_brief(r: &sqlx::any::AnyRow) -> Result<RecordBrief, sqlx::Error> {
    let name: String = r.try_get("subject_name")?;
    let category: String = r.try_get("subject_category")?;
    Ok(RecordBrief {
        public_id: r.try_get("public_id")?,
        subject_name: if category == "自然人" {
            mask::person_name(&name)
        } else {
            name
        },
        decision_no: r.try_get("decision_no")?,
        authority: r.try_get("authority")?,
        decision_date: r.try_get("decision_date")?,
        category: r.try_get::<String, _>("categories")?.replace(';', "、"),
    })
}
