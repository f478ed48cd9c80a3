//! Test hooks, served only in demo mode with APP_TEST_HOOKS=1 (never in production).
use super::extract::ApiJson;
use super::Routes;
use app::error::AppError;
use app::server::clock::{parse_rfc3339, rfc3339};
use app::server::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Routes {
    Routes::default()
        .route(&["POST"], "/__test/clock", post(clock))
        .route(&["POST"], "/__test/user", post(user))
}

#[derive(Deserialize)]
pub struct ClockChange {
    set: Option<String>,
    advance_seconds: Option<i64>,
}

pub async fn clock(
    State(state): State<AppState>,
    ApiJson(change): ApiJson<ClockChange>,
) -> Result<Json<Value>, AppError> {
    if let Some(at) = change.set.as_deref() {
        let t = parse_rfc3339(at)
            .ok_or_else(|| AppError::field("set", "BAD_TIME", "时间格式应为 RFC 3339"))?;
        state.clock.set(t)?;
    }
    if let Some(s) = change.advance_seconds {
        state.clock.advance(time::Duration::seconds(s))?;
    }
    Ok(Json(json!({ "now": rfc3339(state.clock.now()) })))
}

#[derive(Deserialize)]
pub struct NewTestUser {
    username: String,
    role: String,
    /// For clerks: the n-th department by code.
    #[serde(default)]
    department_index: Option<usize>,
    /// For county users: the county code.
    #[serde(default)]
    county: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// Creates an account with one role, for end-to-end tests that must not share accounts. Answers its
/// public id and its department's public id.
pub async fn user(
    State(state): State<AppState>,
    ApiJson(u): ApiJson<NewTestUser>,
) -> Result<Json<Value>, AppError> {
    create_user(&state, &u).await.map(Json)
}

async fn create_user(state: &AppState, u: &NewTestUser) -> Result<Value, AppError> {
    use sqlx::Row;
    let role = app::auth::model::Role::from_code(&u.role)
        .ok_or_else(|| AppError::field("role", "ROLE_UNKNOWN", "未知角色"))?;
    let dept = match u.department_index {
        Some(i) => {
            let rows = sqlx::query("SELECT id, public_id FROM departments ORDER BY code")
                .fetch_all(&state.db.pool)
                .await?;
            let r = rows
                .get(i)
                .ok_or_else(|| AppError::NotFound("该序号的单位".into()))?;
            Some((
                r.try_get::<i64, _>("id")?,
                r.try_get::<String, _>("public_id")?,
            ))
        }
        None => None,
    };
    let password = u
        .password
        .clone()
        .unwrap_or_else(|| crate::seed::accounts::DEMO_PASSWORD.to_string());
    let hash = app::server::password::hash(password).await?;
    let now = state.clock.now_text();
    let unit = (
        dept.as_ref().map(|d| d.0),
        u.county.clone(),
        dept.is_none() && u.county.is_none(),
    );
    let mut tx = state.db.begin().await?;
    let (id, public_id) = app::admin::service::users::insert_account(
        &mut tx,
        &now,
        &u.username,
        &u.username,
        &hash,
        unit,
        false,
    )
    .await?;
    sqlx::query("INSERT INTO user_roles (user_id, role_code, granted_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(role.code())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(json!({ "public_id": public_id, "department_public_id": dept.map(|d| d.1) }))
}
