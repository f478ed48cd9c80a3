//! Training sessions: the console list, one session, creating and editing one (audited in its
//! transaction), and the public page.
use super::{attendee_rows, load, session_row, SESSION_SELECT};
use crate::error::AppError;
use crate::help::service::desk::departments;
use crate::help::training::model::{PublicTraining, SessionDetail, SessionList};
use crate::help::training::rules::{self, SessionInput};
use crate::server::authz::Caller;
use crate::server::AppState;
use sqlx::Row;

/// Sessions the console lists (the newest dates first) and the public page shows at most.
const LIST_LIMIT: i64 = 200;
const UPCOMING_LIMIT: i64 = 20;
/// The materials column (培训资料, migration 0018).
pub const MATERIALS_COLUMN: &str = "training";

pub async fn list(state: &AppState) -> Result<SessionList, AppError> {
    let rows = sqlx::query(&format!(
        "{SESSION_SELECT} ORDER BY s.session_date DESC, s.start_time DESC, s.id DESC LIMIT $1"
    ))
    .bind(LIST_LIMIT)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(SessionList {
        sessions: rows
            .iter()
            .map(|r| session_row(r).map(|(_, s)| s))
            .collect::<Result<_, _>>()?,
        departments: departments(state).await?,
    })
}

pub async fn detail(state: &AppState, public_id: &str) -> Result<SessionDetail, AppError> {
    let (id, session) = load(state, public_id).await?;
    Ok(SessionDetail {
        session,
        attendees: attendee_rows(state, id).await?,
        departments: departments(state).await?,
    })
}

/// The organising unit's id ("" is the credit office itself).
async fn department_id(state: &AppState, public_id: &str) -> Result<Option<i64>, AppError> {
    if public_id.is_empty() {
        return Ok(None);
    }
    let r = sqlx::query("SELECT id FROM departments WHERE public_id = $1 AND active = 1")
        .bind(public_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::field("department", "DEPARTMENT_MISSING", "请选择组织单位。"))?;
    Ok(Some(r.try_get("id")?))
}

/// Creates a session (`public_id` empty) or edits one; answers its public id.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    public_id: &str,
    input: &SessionInput,
) -> Result<String, AppError> {
    let c = rules::check_session(input)?;
    let dept = department_id(state, &c.department).await?;
    let now = state.clock.now_text();
    let existing = if public_id.is_empty() {
        None
    } else {
        Some(load(state, public_id).await?)
    };
    let mut tx = state.db.begin().await?;
    let (id, action) = match &existing {
        Some((_, s)) => {
            sqlx::query(
                "UPDATE training_sessions SET title = $1, kind = $2, session_date = $3, start_time = $4, \
                 place = $5, department_id = $6, capacity = $7, status = $8, updated_at = $9 WHERE public_id = $10",
            )
            .bind(&c.title)
            .bind(c.kind)
            .bind(c.date.iso())
            .bind(&c.time)
            .bind(&c.place)
            .bind(dept)
            .bind(c.capacity)
            .bind(c.status)
            .bind(&now)
            .bind(&s.public_id)
            .execute(&mut *tx)
            .await?;
            (s.public_id.clone(), "training.session.update")
        }
        None => {
            let id = uuid::Uuid::now_v7().simple().to_string();
            sqlx::query(
                "INSERT INTO training_sessions (public_id, title, kind, session_date, start_time, place, \
                 department_id, capacity, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(&id)
            .bind(&c.title)
            .bind(c.kind)
            .bind(c.date.iso())
            .bind(&c.time)
            .bind(&c.place)
            .bind(dept)
            .bind(c.capacity)
            .bind(c.status)
            .bind(&caller.user.display_name)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            (id, "training.session.create")
        }
    };
    caller
        .audit(
            &mut tx,
            state,
            action,
            Some(("training_session", &id)),
            serde_json::json!({
                "title": c.title, "kind": c.kind, "date": c.date.iso(), "time": c.time,
                "capacity": c.capacity, "status": c.status,
            }),
        )
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The public page: planned sessions from today on, and the newest materials.
pub async fn public(state: &AppState) -> Result<PublicTraining, AppError> {
    let rows = sqlx::query(&format!(
        "{SESSION_SELECT} WHERE s.status = 'planned' AND s.session_date >= $1 \
         ORDER BY s.session_date, s.start_time, s.id LIMIT $2"
    ))
    .bind(state.clock.today().iso())
    .bind(UPCOMING_LIMIT)
    .fetch_all(&state.db.pool)
    .await?;
    let materials =
        match crate::portal::service::columns::column_page(state, MATERIALS_COLUMN, 1).await {
            Ok(page) => page.articles.rows,
            // A hidden materials column shows nothing rather than failing the page.
            Err(AppError::NotFound(_)) => vec![],
            Err(e) => return Err(e),
        };
    Ok(PublicTraining {
        upcoming: rows
            .iter()
            .map(|r| session_row(r).map(|(_, s)| s))
            .collect::<Result<_, _>>()?,
        materials,
    })
}
