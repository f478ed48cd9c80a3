//! The authorisation helper every server function and REST handler calls. It resolves the caller from
//! the session, checks the policy table, and sets the HTTP status (401 / 403 / 404 / 422 …) that a
//! server function would otherwise report as 500.
use super::audit::{Actor, AuditEvent};
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
    /// The caller as the audit records them.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.user_id),
            name: self.user.username.clone(),
            role: Some(
                self.user
                    .roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            ip: self.meta.ip.clone(),
            user_agent: self.meta.user_agent.clone(),
        }
    }

    /// An audit event with who and where filled in.
    pub fn event(&self, action: &str, outcome: &str) -> AuditEvent {
        self.actor().event(action, outcome)
    }

    /// Records a successful action inside the transaction of the change (see [`Actor::audit`]).
    pub async fn audit(
        &self,
        conn: &mut sqlx::AnyConnection,
        state: &AppState,
        action: &str,
        object: Option<(&str, &str)>,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        self.actor()
            .audit(conn, state, action, object, detail)
            .await
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

/// Which credit subjects (companies, persons) a caller may look at. A subject belongs to a county, not
/// to a unit, so the policy's scopes map onto counties (docs/domain.md §2):
/// - the credit office (`Scope::All`) sees every subject;
/// - a county user sees the subjects registered in their county;
/// - a department clerk sees the subjects of their unit's area: a county unit its county, a unit of
///   the prefecture level (州本级) the whole prefecture. A unit without a county sees none.
///
/// The staff search filters with this rule, and every staff endpoint that takes a subject id refuses
/// a subject outside it (`Caller::check_subject`), so a subject the search hides cannot be pulled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectScope {
    All,
    County(String),
    Nothing,
}

impl SubjectScope {
    /// The county a subject query filters on (`None`: every subject). `Nothing` filters on the empty
    /// code, which no subject has (a subject without a county stores NULL).
    pub fn county_filter(&self) -> Option<String> {
        match self {
            SubjectScope::All => None,
            SubjectScope::County(c) => Some(c.clone()),
            SubjectScope::Nothing => Some(String::new()),
        }
    }

    /// Whether a subject registered in `county_code` is in scope.
    pub fn admits(&self, county_code: Option<&str>) -> bool {
        match self {
            SubjectScope::All => true,
            SubjectScope::County(c) => county_code == Some(c.as_str()),
            SubjectScope::Nothing => false,
        }
    }
}

impl Caller {
    /// The caller's subject scope for the action they were authorised for (see [`SubjectScope`]).
    pub async fn subject_scope(&self, state: &AppState) -> Result<SubjectScope, AppError> {
        let county = |c: Option<String>| match c {
            Some(c) if !c.is_empty() => SubjectScope::County(c),
            _ => SubjectScope::Nothing,
        };
        Ok(match self.scope {
            Scope::All => SubjectScope::All,
            Scope::OwnCounty => county(self.user.county_code.clone()),
            Scope::OwnDepartment => {
                let unit_county: Option<String> = match self.user.department_id {
                    Some(id) => {
                        use sqlx::Row;
                        sqlx::query("SELECT county_code FROM departments WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&state.db.pool)
                            .await?
                            .map(|r| r.try_get::<Option<String>, _>("county_code"))
                            .transpose()?
                            .flatten()
                    }
                    None => None,
                };
                if unit_county.as_deref() == Some(crate::rules::division::PREFECTURE) {
                    SubjectScope::All
                } else {
                    county(unit_county)
                }
            }
        })
    }

    /// 404 for a subject outside the caller's scope (as if it did not exist, as the staff search
    /// shows it), with the refusal audited as `action` / `denied`.
    pub async fn check_subject(
        &self,
        state: &AppState,
        action: &str,
        subject_public_id: &str,
        county_code: Option<&str>,
    ) -> Result<(), AppError> {
        if self.subject_scope(state).await?.admits(county_code) {
            return Ok(());
        }
        let mut tx = state.db.begin().await?;
        self.event(action, "denied")
            .on("subject", subject_public_id)
            .with(serde_json::json!({ "reason": "out_of_scope" }))
            .record(&mut tx, state)
            .await?;
        tx.commit().await?;
        Err(AppError::NotFound("该信用主体".into()))
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
    let caller = Caller {
        user,
        meta,
        scope: Scope::All,
    };
    let caller = match action {
        None => caller,
        Some(action) => caller.require(action)?,
    };
    Ok((caller, policy))
}

impl Caller {
    /// A signed-in caller (as [`check`] with no action gives) authorised for `action`, with the scope
    /// the policy grants: 403 without a role for it, or while a password change or TOTP enrolment is
    /// pending.
    pub fn require(self, action: Action) -> Result<Caller, AppError> {
        let scope = scope_for(&self.user.roles, action).ok_or(AppError::Forbidden)?;
        if self.user.must_change_password || self.user.must_enrol_totp {
            return Err(AppError::Forbidden);
        }
        Ok(Caller { scope, ..self })
    }
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

/// A server function's preamble, folded: reads the state (before the first await, while the request
/// context is at hand), authorises `action`, runs `body` with both, and answers through [`respond`].
/// [`serve_signed_in`] asks only for a signed-in caller, [`serve_public`] for no one.
pub async fn serve<T, F, Fut>(action: Action, body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Caller) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(async move {
        let state = AppState::get()?;
        let caller = authorize(action).await?;
        body(state, caller).await
    })
    .await
}

/// [`serve`] for the caller's own account: any signed-in caller, with the security policy.
pub async fn serve_signed_in<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Caller, SecurityPolicy) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(async move {
        let state = AppState::get()?;
        let (caller, policy) = signed_in().await?;
        body(state, caller, policy).await
    })
    .await
}

/// [`serve`] without a caller: public server functions (and sign-in itself) need only the state.
pub async fn serve_public<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(async move {
        let state = AppState::get()?;
        body(state).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::SubjectScope;

    #[test]
    fn subject_scopes_admit_their_county_only() {
        let all = SubjectScope::All;
        let fenghuang = SubjectScope::County("433123".into());
        let nothing = SubjectScope::Nothing;
        assert!(all.admits(Some("433123")) && all.admits(None));
        assert!(fenghuang.admits(Some("433123")));
        assert!(!fenghuang.admits(Some("433101")) && !fenghuang.admits(None));
        assert!(!nothing.admits(Some("433123")) && !nothing.admits(None));
        // The search filters the same way; no subject stores an empty county.
        assert_eq!(all.county_filter(), None);
        assert_eq!(fenghuang.county_filter().as_deref(), Some("433123"));
        assert_eq!(nothing.county_filter().as_deref(), Some(""));
    }
}
