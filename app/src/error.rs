//! The one error type, shared by server functions, the REST API, the CLI and the browser.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A field-level validation problem, shown beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    /// Stable machine code (e.g. `USCC_CHECK_CHAR`).
    pub code: String,
    /// Chinese message naming the problem and the fix.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("输入有误：{}", .0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"))]
    Validation(Vec<FieldError>),
    #[error("未找到{0}")]
    NotFound(String),
    #[error("请先登录")]
    Unauthorized,
    #[error("您没有执行此操作的权限")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("请求过于频繁，请稍后再试")]
    RateLimited,
    /// The detail is logged with the request id; the user sees only the id.
    #[error("系统内部错误，请联系管理员（请求编号 {request_id}）")]
    Internal { request_id: String },
}

impl AppError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    /// Stable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "VALIDATION",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Unauthorized => "UNAUTHORIZED",
            AppError::Forbidden => "FORBIDDEN",
            AppError::Conflict(_) => "CONFLICT",
            AppError::RateLimited => "RATE_LIMITED",
            AppError::Internal { .. } => "INTERNAL",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::NotFound(_) => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Internal { .. } => 500,
        }
    }

    /// Logs an internal failure with a fresh reference id and returns the error the user sees.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> Self {
        let request_id = crate::server::request_id::current();
        tracing::error!(request_id = %request_id, context, %detail, "internal error");
        AppError::Internal { request_id }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::field("request", "BAD_REQUEST", format!("请求格式有误：{msg}"))
            }
            // The failure's text stays in the log; the user sees only a reference to it.
            other => internal_reference(&other),
        }
    }
}

/// On the server: logged with the request id, like any internal failure.
#[cfg(feature = "ssr")]
fn internal_reference(detail: &ServerFnErrorErr) -> AppError {
    AppError::internal("server function", detail)
}

/// In the browser (the request did not reach the server, or its answer was unreadable): logged to
/// the console under a local reference.
#[cfg(not(feature = "ssr"))]
fn internal_reference(detail: &ServerFnErrorErr) -> AppError {
    #[cfg(feature = "hydrate")]
    let reference = format!("C{:x}", js_sys::Date::now() as u64);
    #[cfg(not(feature = "hydrate"))]
    let reference = "C0".to_string();
    leptos::logging::error!("server function failed (reference {reference}): {detail}");
    AppError::Internal {
        request_id: reference,
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal("database", e)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        AppError::internal("migration", e)
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The default HTTP answer of an error: the structured JSON error of the data API,
/// `{"error": {"code", "message", "fields"}}`, with the error's status (an internal failure's message
/// carries its request id). Handlers that answer a browser with an HTML page map errors themselves.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let fields = match &self {
            AppError::Validation(list) => list.clone(),
            _ => vec![],
        };
        json_error(self.status(), self.code(), self.to_string(), fields)
    }
}

/// The structured JSON error with any status and code (the data API also answers codes of its own,
/// such as `BAD_JSON`). A 401 names the Bearer scheme, as HTTP asks.
#[cfg(feature = "ssr")]
pub fn json_error(
    status: u16,
    code: &str,
    message: String,
    fields: Vec<FieldError>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{header, HeaderValue, StatusCode};
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // Field order as the data API documents it (`ApiError` in its OpenAPI document).
    #[derive(Serialize)]
    struct Body<'a> {
        error: Inner<'a>,
    }
    #[derive(Serialize)]
    struct Inner<'a> {
        code: &'a str,
        message: String,
        fields: Vec<FieldError>,
    }
    let body = Body {
        error: Inner {
            code,
            message,
            fields,
        },
    };
    let mut res = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        // The per-IP limits refill by the minute; the key gate replaces this with the key's own wait.
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_failure_shows_a_reference_never_its_text() {
        let secret = "connection refused: db.internal:5432";
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(secret.into()));
        assert_eq!((e.code(), e.status()), ("INTERNAL", 500));
        let shown = e.to_string();
        assert!(shown.starts_with("系统内部错误"), "{shown}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(matches!(e, AppError::Internal { request_id } if !request_id.contains("refused")));
    }
}
