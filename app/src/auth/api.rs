//! Server functions for signing in and out and for the user's own account. Thin: authorise, call the
//! service, answer. The forms post here with or without JavaScript.
use super::model::{AccountOverview, LoginNext, Me, TotpEnrolment};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::authz;

#[server(endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] next: String,
) -> Result<LoginNext, AppError> {
    authz::serve_public(move |state| async move {
        let (session, meta) = authz::request_context().await?;
        let outcome =
            super::login::login(&state, &session, &meta, &username, &password, &next).await?;
        match &outcome {
            LoginNext::Totp => leptos_axum::redirect(&format!(
                "/login/totp?next={}",
                crate::ui::url::encode(&super::login::safe_next(&next))
            )),
            LoginNext::Go(to) => leptos_axum::redirect(to),
        }
        Ok(outcome)
    })
    .await
}

#[server(endpoint = "auth/totp")]
pub async fn login_totp(
    code: String,
    #[server(default)] next: String,
) -> Result<LoginNext, AppError> {
    authz::serve_public(move |state| async move {
        let (session, meta) = authz::request_context().await?;
        let outcome = super::login::totp_step(&state, &session, &meta, &code, &next).await?;
        if let LoginNext::Go(to) = &outcome {
            leptos_axum::redirect(to);
        }
        Ok(outcome)
    })
    .await
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    authz::serve_public(move |state| async move {
        let (session, meta) = authz::request_context().await?;
        super::login::logout(&state, &session, &meta).await?;
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}

/// The signed-in user, or `None`. Never an error for anonymous callers.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    authz::serve_public(move |state| async move {
        match authz::signed_in().await {
            Ok((caller, _)) => Ok(Some(super::account::me_of(&state, &caller.user).await?)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await
}

#[server(endpoint = "account/overview")]
pub async fn get_account_overview() -> Result<AccountOverview, AppError> {
    authz::serve_signed_in(move |state, caller, policy| async move {
        super::account::overview(&state, &caller, &policy).await
    })
    .await
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    authz::serve_signed_in(move |state, caller, policy| async move {
        super::account::change_password(
            &state,
            &caller,
            &policy,
            &current_password,
            &new_password,
            &confirm_password,
        )
        .await?;
        leptos_axum::redirect("/account?changed=1");
        Ok(())
    })
    .await
}

#[server(endpoint = "account/totp_begin")]
pub async fn totp_begin() -> Result<TotpEnrolment, AppError> {
    authz::serve_signed_in(move |state, caller, _| async move {
        let (session, _) = authz::request_context().await?;
        super::account::totp_begin(&state, &caller, &session).await
    })
    .await
}

#[server(endpoint = "account/totp_confirm")]
pub async fn totp_confirm(code: String) -> Result<(), AppError> {
    authz::serve_signed_in(move |state, caller, _| async move {
        let (session, _) = authz::request_context().await?;
        super::account::totp_confirm(&state, &caller, &session, &code).await
    })
    .await
}

#[server(endpoint = "account/end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    authz::serve_signed_in(move |state, caller, _| async move {
        super::account::end_other_sessions(&state, &caller).await
    })
    .await
}

/// Why the last login ended, for the login page ("timed out"), or `None`. Read-only.
#[server(endpoint = "auth/notice")]
pub async fn login_notice() -> Result<Option<String>, AppError> {
    authz::respond(async move {
        let (session, _) = authz::request_context().await?;
        let notice: Option<String> = session
            .get(crate::server::session::NOTICE_KEY)
            .await
            .map_err(crate::server::session::session_error)?;
        Ok(notice.map(|n| match n.as_str() {
            "timeout" => "您因长时间未操作或登录时间过长，已自动退出，请重新登录。".to_string(),
            _ => "您的登录已结束（可能已在别处退出、修改了密码或被管理员结束），请重新登录。"
                .to_string(),
        }))
    })
    .await
}
