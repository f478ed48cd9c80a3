//! The HTTP router: Leptos pages and server functions, health, static assets, and the middleware
//! stack (request id, access log, compression, security headers, CSP by hash, cache policy).
pub mod api_v1;
pub mod cms;
pub mod collect;
pub mod credit;
mod elder;
pub mod export;
mod gate;
mod health;
pub mod page_cache;
pub mod portal;
pub mod security;
pub mod sessions;
mod test_hooks;

use app::error::AppError;
use app::server::AppState;
use app::{shell, App};
use axum::extract::FromRef;
use axum::routing::{get, post};
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

/// The REST endpoints (non-Leptos routes) as "METHOD /path", from the same tables the router is built
/// from: the authorisation matrix test requires each to be listed in the policy's endpoint table.
pub fn rest_routes(test_hooks: bool) -> Vec<String> {
    let mut out: Vec<String> = ["GET /healthz", "GET /readyz", "POST /elder"]
        .into_iter()
        .map(String::from)
        .collect();
    out.extend(
        [portal::SITEMAP_PATH, portal::FEED_PATH, portal::FILES_PATH].map(|p| format!("GET {p}")),
    );
    out.extend(export::ROUTES.iter().map(|(p, _)| format!("POST {p}")));
    out.push(format!("POST {}", collect::UPLOAD_PATH));
    out.push(format!("POST {}", cms::UPLOAD_PATH));
    out.push(format!("POST {}", collect::ERRORS_PATH));
    out.push(format!("GET {}", collect::QUALITY_REPORT_PATH));
    out.extend([
        format!("POST {}", credit::REQUEST_PATH),
        format!("GET {}", credit::PDF_PATH),
        format!("POST {}", credit::CHECK_PATH),
        format!("GET {}", credit::KEY_PATH),
        format!("GET {}", credit::SEARCH_API_PATH),
    ]);
    out.extend(
        [
            "GET /api/v1/openapi.json",
            "POST /api/v1/batches/{class}",
            "GET /api/v1/batches/{id}",
            "POST /api/v1/batches/{id}/confirm",
        ]
        .map(String::from),
    );
    if test_hooks {
        out.push("POST /__test/clock".into());
        out.push("POST /__test/user".into());
    }
    out
}

/// Opens the session store and builds the router.
pub async fn router(app_state: AppState, leptos: LeptosOptions) -> Result<Router, AppError> {
    let store = sessions::Store::open(&app_state).await?;
    Ok(build(app_state, leptos, store))
}

fn build(app_state: AppState, leptos: LeptosOptions, store: sessions::Store) -> Router {
    let routes = generate_route_list(App);
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

    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/elder", post(elder::toggle))
        .route(portal::SITEMAP_PATH, get(portal::sitemap))
        .route(portal::FEED_PATH, get(portal::feed))
        .route(portal::FILES_PATH, get(portal::file));
    for (path, kind) in export::ROUTES {
        let kind = *kind;
        router = router.route(
            path,
            post(
                move |state: axum::extract::State<AppState>, req: axum::extract::Request| {
                    export::handle(kind, state, req)
                },
            ),
        );
    }
    // Uploads may be larger than the default body limit; the intake checks the configured maximum.
    let upload_limit = (app_state.config.upload_max_mb as usize) * 1024 * 1024 + 64 * 1024;
    router = router
        .route(
            collect::UPLOAD_PATH,
            post(collect::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            cms::UPLOAD_PATH,
            post(cms::upload).layer(axum::extract::DefaultBodyLimit::max(
                app::cms::files::DOCUMENT_MAX_BYTES + 64 * 1024,
            )),
        )
        .route(collect::ERRORS_PATH, post(collect::errors))
        .route(credit::REQUEST_PATH, post(credit::request))
        .route(credit::PDF_PATH, get(credit::pdf))
        .route(credit::KEY_PATH, get(credit::public_key))
        .route(
            credit::CHECK_PATH,
            post(credit::check).layer(axum::extract::DefaultBodyLimit::max(
                credit::CHECK_MAX_BYTES,
            )),
        )
        .route(credit::SEARCH_API_PATH, get(credit::search_api))
        .route(collect::QUALITY_REPORT_PATH, get(collect::quality_report))
        .route("/api/v1/openapi.json", get(api_v1::openapi_json))
        // One parameter name per path shape: POST takes a class code, GET a batch id.
        .route(
            "/api/v1/batches/{key}",
            post(api_v1::submit)
                .get(api_v1::get_batch)
                .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
        .route("/api/v1/batches/{key}/confirm", post(api_v1::confirm_batch));
    if app_state.config.test_hooks {
        router = router
            .route("/__test/clock", post(test_hooks::clock))
            .route("/__test/user", post(test_hooks::user));
    }
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
