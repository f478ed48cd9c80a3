//! Multi-row inserts with portable `$N` placeholders, split to stay under the backends' bind limits.
use super::generate::Batch;
use app::error::AppError;
use app::server::{db::Backend, AppState};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Arguments};

/// A value to bind.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    I(i64),
    S(String),
    NullS,
    NullI,
}

impl V {
    pub fn s(s: &str) -> V {
        V::S(s.to_string())
    }
    pub fn opt(s: Option<String>) -> V {
        s.map(V::S).unwrap_or(V::NullS)
    }
    pub fn opt_i(i: Option<i64>) -> V {
        i.map(V::I).unwrap_or(V::NullI)
    }
}

const MAX_BINDS: usize = 16_000;

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
    "created_at",
    "updated_at",
];
const DEPARTMENT_COLS: &[&str] = &[
    "id",
    "public_id",
    "code",
    "name",
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

/// SQLite resolves numbered parameters (`$N`, `?N`) through a linear list, so a statement with
/// thousands of them is quadratic; plain `?` is positional and free. PostgreSQL needs `$N`.
fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

async fn insert_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    cols: &[&str],
    rows: &[Vec<V>],
) -> Result<(), AppError> {
    let per_stmt = (MAX_BINDS / cols.len()).max(1);
    for chunk in rows.chunks(per_stmt) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut args = AnyArguments::default();
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (c, v) in row.iter().enumerate() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&placeholder(backend, n));
                let bound = match v {
                    V::I(i) => args.add(*i),
                    V::S(s) => args.add(s.clone()),
                    V::NullS => args.add(Option::<String>::None),
                    V::NullI => args.add(Option::<i64>::None),
                };
                bound.map_err(|e| AppError::internal("seed bind", e))?;
            }
            sql.push(')');
        }
        sqlx::query_with::<Any, _>(&sql, args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn cols(a: &[&'static str], b: &[&'static str]) -> Vec<&'static str> {
    a.iter().chain(b).copied().collect()
}

pub async fn departments(state: &AppState, rows: &[Vec<V>]) -> Result<(), AppError> {
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

pub async fn articles(state: &AppState, rows: &[Vec<V>]) -> Result<u64, AppError> {
    let mut tx = state.db.begin().await?;
    insert_rows(&mut tx, state.db.backend, "articles", ARTICLE_COLS, rows).await?;
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
