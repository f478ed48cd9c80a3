//! The demo data's tables and their columns, written with the shared multi-row insert.
use super::generate::Batch;
use app::error::AppError;
use app::server::db::insert_rows;
pub use app::server::db::BindValue;
use app::server::AppState;

const SUBJECT_COLS: &[&str] = &[
    "id",
    "public_id",
    "kind",
    "name",
    "uscc",
    "id_number_enc",
    "id_number_hmac",
    "id_number_masked",
    "birth_date",
    "legal_rep",
    "county_code",
    "address",
    "established_on",
    "created_at",
    "updated_at",
];
const RECORD_COMMON: &[&str] = &[
    "id",
    "public_id",
    "subject_id",
    "department_id",
    "county_code",
    "subject_name",
    "subject_category",
    "subject_uscc",
    "legal_rep",
    "legal_rep_id_type",
    "person_id_type",
    "person_id_enc",
    "person_id_masked",
    "person_id_hmac",
];
const LICENCE_COLS: &[&str] = &[
    "decision_doc_name",
    "decision_no",
    "licence_category",
    "certificate_name",
    "licence_no",
    "content",
    "decision_date",
    "valid_from",
    "valid_to",
    "authority",
    "authority_uscc",
    "state",
    "source_unit",
    "source_unit_uscc",
    "dedupe_key",
    "created_at",
    "updated_at",
];
const PENALTY_COLS: &[&str] = &[
    "decision_no",
    "violation_type",
    "violation_facts",
    "legal_basis",
    "categories",
    "content",
    "fine_fen",
    "confiscated_fen",
    "suspended_licence",
    "decision_date",
    "display_until_given",
    "authority",
    "authority_uscc",
    "source_unit",
    "source_unit_uscc",
    "severity",
    "display_until",
    "repair_eligible_from",
    "dedupe_key",
    "created_at",
    "updated_at",
];
const DEPARTMENT_COLS: &[&str] = &[
    "id",
    "public_id",
    "code",
    "name",
    "full_name",
    "aliases",
    "uscc",
    "county_code",
    "active",
    "created_at",
];
const ARTICLE_COLS: &[&str] = &[
    "public_id",
    "column_code",
    "title",
    "summary",
    "body_html",
    "source",
    "status",
    "published_at",
    "created_at",
    "updated_at",
];

fn cols(a: &[&'static str], b: &[&'static str]) -> Vec<&'static str> {
    a.iter().chain(b).copied().collect()
}

pub async fn departments(state: &AppState, rows: &[Vec<BindValue>]) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    insert_rows(
        &mut tx,
        state.db.backend,
        "departments",
        DEPARTMENT_COLS,
        rows,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn articles(state: &AppState, rows: &[Vec<BindValue>]) -> Result<u64, AppError> {
    let mut tx = state.db.begin().await?;
    insert_rows(&mut tx, state.db.backend, "articles", ARTICLE_COLS, rows).await?;
    // Published demo articles go to the portal the way the CMS puts them there.
    let published = sqlx::query(
        "SELECT id FROM articles WHERE status = 'published' AND id NOT IN (SELECT article_id FROM article_live)",
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = state.clock.now_text();
    for row in published {
        let id: i64 = sqlx::Row::try_get(&row, "id")?;
        sqlx::query("UPDATE articles SET columns = '[\"' || column_code || '\"]' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        app::cms::service::live::put_live(&mut tx, id, &now).await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// One chunk of subjects and their records, all or nothing.
pub async fn batch(state: &AppState, b: &Batch) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    insert_rows(
        &mut tx,
        state.db.backend,
        "subjects",
        SUBJECT_COLS,
        &b.subjects,
    )
    .await?;
    insert_rows(
        &mut tx,
        state.db.backend,
        "licences",
        &cols(RECORD_COMMON, LICENCE_COLS),
        &b.licences,
    )
    .await?;
    insert_rows(
        &mut tx,
        state.db.backend,
        "penalties",
        &cols(RECORD_COMMON, PENALTY_COLS),
        &b.penalties,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// PostgreSQL identity columns do not see explicit ids: move them past the largest id.
pub async fn advance_identities(state: &AppState) -> Result<(), AppError> {
    for table in ["departments", "subjects", "licences", "penalties"] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(&state.db.pool)
        .await?;
    }
    Ok(())
}

/// Every demo unit reports licences and penalties: market regulation daily, the others weekly.
pub async fn class_sources(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now_text();
    sqlx::query(
        "INSERT INTO class_sources (class_id, department_id, frequency, created_at, updated_at) \
         SELECT c.id, d.id, CASE WHEN d.code = 'scjg' THEN 'daily' ELSE 'weekly' END, $1, $1 \
         FROM data_classes c CROSS JOIN departments d WHERE c.code IN ('licence', 'penalty') \
         ON CONFLICT (class_id, department_id) DO NOTHING",
    )
    .bind(&now)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}
