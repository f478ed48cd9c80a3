//! The HTTP router: Leptos pages and server functions, health, static assets, and the middleware
//! stack (request id, access log, compression, security headers, CSP by hash, cache policy).
mod api_gate;
pub mod api_v1;
pub mod cases;
pub mod cms;
pub mod collect;
pub mod credit;
mod elder;
mod embed;
pub mod export;
pub mod extract;
mod gate;
mod health;
pub mod joint;
pub mod page_cache;
pub mod portal;
pub mod province;
pub mod security;
pub mod sessions;
mod test_hooks;

use app::error::AppError;
use app::server::AppState;
use app::{shell, App};
use axum::extract::FromRef;
use axum::routing::MethodRouter;
use axum::Router;
use http::{header, HeaderValue};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The router's state: Leptos options plus the application state.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(s: &ServerState) -> Self {
        s.app.clone()
    }
}

/// Leptos options from the environment (`LEPTOS_SITE_ROOT`, `LEPTOS_SITE_ADDR`), with file hashing
/// switched on when cargo-leptos left a `hash.txt` beside the binary.
pub fn leptos_options(site_addr: Option<SocketAddr>) -> LeptosOptions {
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let output_name = std::env::var("LEPTOS_OUTPUT_NAME")
        .ok()
        .or(option_env!("LEPTOS_OUTPUT_NAME").map(str::to_owned))
        .unwrap_or_else(|| "xiangxi-credit".into());
    let addr = site_addr
        .or_else(|| env("LEPTOS_SITE_ADDR", "127.0.0.1:3000").parse().ok())
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
    let hashed = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("hash.txt")))
        .is_some_and(|p| p.exists());
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(env("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(env("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(addr)
        .hash_files(hashed)
        .build()
}

/// The REST routes of one area, with the endpoints they serve written down as they are added
/// ("METHOD /path"), so that the list the gate and the authorisation matrix test read is the router's own.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    endpoints: Vec<String>,
}

impl Routes {
    /// Serves `path` with `handler`, which answers `methods`.
    pub fn route(self, methods: &[&str], path: &str, handler: MethodRouter<AppState>) -> Self {
        let listed: Vec<String> = methods.iter().map(|m| format!("{m} {path}")).collect();
        self.add(listed, path, handler)
    }

    /// Serves `path` with `handler`, listed as `endpoint` (the policy names a parameter of one path
    /// shape per method).
    pub fn route_as(self, endpoint: &str, path: &str, handler: MethodRouter<AppState>) -> Self {
        self.add(vec![endpoint.to_string()], path, handler)
    }

    fn add(mut self, listed: Vec<String>, path: &str, handler: MethodRouter<AppState>) -> Self {
        self.endpoints.extend(listed);
        self.router = self.router.route(path, handler);
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.endpoints.extend(other.endpoints);
        self.router = self.router.merge(other.router);
        self
    }
}

/// Every REST area (the non-Leptos routes).
fn rest(upload_max_mb: u64, test_hooks: bool) -> Routes {
    let routes = health::router()
        .merge(elder::router())
        .merge(portal::router())
        .merge(export::router())
        .merge(collect::router(upload_max_mb))
        .merge(cms::router())
        .merge(credit::router())
        .merge(cases::router())
        .merge(joint::router())
        .merge(province::router())
        .merge(embed::router())
        .merge(api_v1::router());
    if test_hooks {
        routes.merge(test_hooks::router())
    } else {
        routes
    }
}

/// The REST endpoints as "METHOD /path", read off the router: the authorisation matrix test requires
/// each to be listed in the policy's endpoint table.
pub fn rest_routes(test_hooks: bool) -> Vec<String> {
    rest(0, test_hooks).endpoints
}

/// Opens the session store and builds the router.
pub async fn router(app_state: AppState, leptos: LeptosOptions) -> Result<Router, AppError> {
    let store = sessions::Store::open(&app_state).await?;
    Ok(build(app_state, leptos, store))
}

/// The app's route list, generated once per process. Generating it renders the app with resource
/// loading suppressed by a process-wide flag (leptos_server's `SuppressResourceLoad`): a resource
/// first polled by a page render at that moment — on another router of the same process, as in the
/// integration tests, which build one router per test — never resolves, and its response hangs.
/// Generated once, before any router exists, the window cannot meet a render.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn build(app_state: AppState, leptos: LeptosOptions, store: sessions::Store) -> Router {
    let routes = route_list();
    let state = ServerState {
        leptos: leptos.clone(),
        app: app_state.clone(),
    };
    let context = {
        let app_state = app_state.clone();
        move || leptos::prelude::provide_context(app_state.clone())
    };
    let pkg_cache = if leptos.hash_files {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("public, max-age=300")
    };
    let pkg_dir = format!("{}/{}", leptos.site_root, leptos.site_pkg_dir);
    let pkg = Router::new()
        .fallback_service(ServeDir::new(pkg_dir))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            pkg_cache,
        ));

    let router: Router<ServerState> =
        rest(app_state.config.upload_max_mb, app_state.config.test_hooks)
            .router
            .with_state(app_state.clone());
    let production = app_state.config.is_production();
    let shell_options = leptos.clone();
    let pages = std::sync::Arc::new(page_cache::PageCache::default());
    pages.spawn_view_writer(app_state.clone());
    router
        .nest(&format!("/{}", leptos.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            app_state.clone(),
            api_gate::key_gate,
        ))
        // Inside the session layer: it reads the login.
        .layer(axum::middleware::from_fn_with_state(
            (app_state.clone(), gate::rest_get_paths(&rest_routes(true))),
            gate::login_gate,
        ))
        .layer(sessions::layer(store, production))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(security::access_span)
                        .on_response(security::access_log),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CatchPanicLayer::custom(security::panic_page))
                .layer(axum::middleware::from_fn_with_state(
                    app_state.clone(),
                    security::origin_check,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    app_state.clone(),
                    security::csrf_check,
                ))
                .layer(CompressionLayer::new())
                // Inside compression (each visitor gets the encoding it asks for), outside the page
                // rendering and its CSP work, which a cached page has already had.
                .layer(axum::middleware::from_fn_with_state(
                    (app_state.clone(), pages),
                    page_cache::serve,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    app_state,
                    security::headers_and_csp,
                )),
        )
}
