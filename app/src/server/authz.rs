//! The authorisation helper every server function and REST handler calls. It resolves the caller from
//! the session, checks the policy table, and sets the HTTP status (401 / 403 / 404 / 422 …) that a
//! server function would otherwise report as 500.
use super::audit::AuditEvent;
use super::session::{current_user, RequestMeta, SessionUser};
use super::settings::security_policy;
use super::AppState;
use crate::auth::model::SecurityPolicy;
use crate::auth::policy::{scope_for, Action, Scope};
use crate::error::AppError;
use std::future::Future;
use tower_sessions::Session;

/// A signed-in caller with the scope the policy grants for the requested action.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: SessionUser,
    pub meta: RequestMeta,
    pub scope: Scope,
}

impl Caller {
    /// An audit event with who and where filled in.
    pub fn event(&self, action: &str, outcome: &str) -> AuditEvent {
        AuditEvent {
            actor_id: Some(self.user.user_id),
            actor_name: self.user.username.clone(),
            role: Some(
                self.user
                    .roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            action: action.into(),
            outcome: outcome.into(),
            ip: self.meta.ip.clone(),
            user_agent: self.meta.user_agent.clone(),
            detail: serde_json::json!({}),
            ..Default::default()
        }
    }

    /// Scope check for a row owned by a department (in a county): 403 outside the caller's scope.
    pub fn check_unit(
        &self,
        department_id: Option<i64>,
        county_code: Option<&str>,
    ) -> Result<(), AppError> {
        let ok = match self.scope {
            Scope::All => true,
            Scope::OwnDepartment => {
                department_id.is_some() && department_id == self.user.department_id
            }
            Scope::OwnCounty => {
                county_code.is_some() && county_code == self.user.county_code.as_deref()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Resolves and checks a caller from a session. `action = None` asks only for a signed-in user, which
/// is allowed while a password change or TOTP enrolment is pending (the account pages need it).
pub async fn check(
    state: &AppState,
    session: &Session,
    meta: RequestMeta,
    action: Option<Action>,
) -> Result<(Caller, SecurityPolicy), AppError> {
    let policy = security_policy(state).await?;
    let user = current_user(state, session, &policy, false)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let scope = match action {
        None => Scope::All,
        Some(action) => {
            let scope = scope_for(&user.roles, action).ok_or(AppError::Forbidden)?;
            if user.must_change_password || user.must_enrol_totp {
                return Err(AppError::Forbidden);
            }
            scope
        }
    };
    Ok((Caller { user, meta, scope }, policy))
}

/// The session and request metadata of the current server function call.
pub async fn request_context() -> Result<(Session, RequestMeta), AppError> {
    let state = AppState::get()?;
    let parts = leptos::prelude::use_context::<http::request::Parts>()
        .ok_or_else(|| AppError::internal("request parts", "missing from context"))?;
    let session = parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| AppError::internal("session", "session layer missing"))?;
    Ok((
        session,
        RequestMeta::from_parts(&parts, state.config.trust_proxy),
    ))
}

/// In a server function: the caller, if allowed to perform `action`.
pub async fn authorize(action: Action) -> Result<Caller, AppError> {
    let state = AppState::get()?;
    let (session, meta) = request_context().await?;
    Ok(check(&state, &session, meta, Some(action)).await?.0)
}

/// In a server function: any signed-in caller (their own account pages).
pub async fn signed_in() -> Result<(Caller, SecurityPolicy), AppError> {
    let state = AppState::get()?;
    let (session, meta) = request_context().await?;
    check(&state, &session, meta, None).await
}

/// Runs a server function's body and gives its error the right HTTP status. Called while a page renders
/// on the server, it sets the page's status (a 403 page is a 403). A plain HTML form post (no
/// JavaScript) is left alone: Leptos answers it with a redirect that carries the error.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(e) = &result {
        let plain_form = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
            p.method == http::Method::POST
                && p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
        });
        if !plain_form {
            if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(
                    http::StatusCode::from_u16(e.status())
                        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
        }
    }
    result
}
