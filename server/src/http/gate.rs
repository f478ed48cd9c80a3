//! Sign-in pages first: an anonymous GET of a console or account page is answered on the server with
//! 303 to `/login?next=…`, so that a browser without JavaScript and a monitoring probe see where they
//! are sent (the page's own redirect only works in the browser). Server functions and the console's
//! file downloads keep their 401.
use app::server::session::current_user;
use app::server::settings::security_policy;
use app::server::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};
use std::sync::Arc;
use tower_sessions::Session;

/// The gate's state: the app, and the REST GET paths under the gated prefixes (not pages).
pub type GateState = (AppState, Arc<Vec<String>>);

/// The REST GET paths of `rest_routes` (the gate leaves them to their handlers).
pub fn rest_get_paths(rest_routes: &[String]) -> Arc<Vec<String>> {
    Arc::new(
        rest_routes
            .iter()
            .filter_map(|r| r.strip_prefix("GET "))
            .map(str::to_owned)
            .collect(),
    )
}

/// Pages that only a signed-in user may see.
pub fn needs_login(path: &str) -> bool {
    ["/console", "/account"].iter().any(|p| {
        path == *p
            || path
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Whether `path` is an address of the route `template` (a `{name}` segment takes any one segment).
fn route_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps))
                if ts == ps || (ts.starts_with('{') && ts.ends_with('}') && !ps.is_empty()) => {}
            _ => return false,
        }
    }
}

pub async fn login_gate(
    State((state, rest_gets)): State<GateState>,
    req: Request,
    next: Next,
) -> Response {
    let page = matches!(*req.method(), Method::GET | Method::HEAD)
        && needs_login(req.uri().path())
        && !rest_gets.iter().any(|p| route_matches(p, req.uri().path()));
    if !page {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    // The same check as the pages' own (it also ends an expired login and leaves the notice).
    let signed_in = match security_policy(&state).await {
        Ok(policy) => current_user(&state, &session, &policy, false).await,
        Err(e) => Err(e),
    };
    match signed_in {
        Ok(Some(_)) => next.run(req).await,
        Ok(None) => to_login(req.uri()),
        Err(e) => {
            // Let the page answer (and log) the error as it would without the gate.
            tracing::warn!(error = %e, "login gate could not read the session");
            next.run(req).await
        }
    }
}

fn to_login(uri: &http::Uri) -> Response {
    let wanted = uri.path_and_query().map_or("/console", |p| p.as_str());
    let location = format!("/login?next={}", app::ui::url::encode(wanted));
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::{needs_login, route_matches};

    #[test]
    fn route_templates_match_their_addresses_only() {
        let t = "/console/joint/batches/{id}/results.xlsx";
        assert!(route_matches(t, "/console/joint/batches/ab12/results.xlsx"));
        assert!(!route_matches(t, "/console/joint/batches//results.xlsx"));
        assert!(!route_matches(t, "/console/joint/batches/ab12"));
        assert!(!route_matches(
            t,
            "/console/joint/batches/ab12/results.xlsx/x"
        ));
        assert!(route_matches(
            "/console/quality/report.xlsx",
            "/console/quality/report.xlsx"
        ));
    }

    #[test]
    fn console_and_account_pages_need_a_login() {
        for p in ["/console", "/console/users", "/account", "/account/totp"] {
            assert!(needs_login(p), "{p}");
        }
        for p in [
            "/",
            "/consoles",
            "/accounts",
            "/login",
            "/credit",
            "/api/auth/me",
        ] {
            assert!(!needs_login(p), "{p}");
        }
    }
}
