//! Credit routes that are not pages: the public report request (a plain form, answered with a
//! redirect, so it works with or without JavaScript), the signed PDF, checking an uploaded report,
//! the signing public key, and the JSON search API.
use super::{export, Routes};
use app::credit::model::{ListFilters, ReportRequest, SearchFilters};
use app::credit::service::{lists, reports, search, signing};
use app::error::AppError;
use app::server::session::RequestMeta;
use app::server::AppState;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use http::{header, HeaderValue, StatusCode};
use serde::Deserialize;

pub const REQUEST_PATH: &str = app::credit::pages::report::REQUEST_PATH;
pub const CHECK_PATH: &str = app::credit::pages::report::CHECK_PATH;
pub const PDF_PATH: &str = "/verify/{code}/report.pdf";
pub const KEY_PATH: &str = "/verify/public-key.pem";
pub const SEARCH_API_PATH: &str = "/api/v1/credit/search";
/// A public list as XLSX, with the list page's query (`q`, `county`, `unit`, `authority`, `from`, `to`).
pub const LIST_EXPORT_PATH: &str = "/credit/lists/{list}/export.xlsx";
/// A report is a few hundred kilobytes; anything much larger is not one of ours.
pub const CHECK_MAX_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> Routes {
    Routes::default()
        .route(&["POST"], REQUEST_PATH, post(request))
        .route(&["GET"], PDF_PATH, get(pdf))
        .route(
            &["POST"],
            CHECK_PATH,
            post(check).layer(DefaultBodyLimit::max(CHECK_MAX_BYTES)),
        )
        .route(&["GET"], KEY_PATH, get(public_key))
        .route(&["GET"], SEARCH_API_PATH, get(search_api))
        .route(&["GET"], LIST_EXPORT_PATH, get(list_export))
}

fn encode(s: &str) -> String {
    app::ui::url::encode(s)
}

/// POST (form): `subject`, `applicant`, `purpose`. Success → the new report's verification page.
pub async fn request(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts, state.config.trust_proxy);
    let origin = app::server::config::site_origin(&state.config, Some(&parts.headers));
    let Ok(Form(form)) =
        Form::<ReportRequest>::from_request(Request::from_parts(parts, body), &state).await
    else {
        return Redirect::to("/credit").into_response();
    };
    let mut wanted = form.clone();
    wanted.kind = "public".into();
    match reports::issue(
        &state,
        reports::Issuer::Public { ip: meta.ip },
        &wanted,
        &origin,
    )
    .await
    {
        Ok(r) => Redirect::to(&format!("{}?issued=1", r.verify)).into_response(),
        Err(AppError::NotFound(_)) => Redirect::to("/credit").into_response(),
        Err(e) => {
            let message = match &e {
                AppError::Validation(list) => list
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(""),
                other => other.to_string(),
            };
            Redirect::to(&format!(
                "/credit/subject/{}/report?error={}&applicant={}&purpose={}",
                encode(&form.subject),
                encode(&message),
                encode(&form.applicant),
                encode(&form.purpose)
            ))
            .into_response()
        }
    }
}

/// GET: the signed PDF, by its verification code.
pub async fn pdf(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    match reports::pdf_by_code(&state, &code).await {
        Ok((serial, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/pdf"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("inline; filename=\"{serial}.pdf\""))
                        .unwrap_or(HeaderValue::from_static("inline")),
                ),
                // The applicant's name is printed on it: never kept by a shared cache.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, max-age=3600"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
            e.to_string(),
        )
            .into_response(),
    }
}

/// POST multipart `file`: checks the signature and that we issued it; answers with a redirect to the
/// result. It changes nothing, so it needs no CSRF token (the Origin check still applies).
pub async fn check(State(state): State<AppState>, req: Request) -> Response {
    let Ok(mut multipart) = Multipart::from_request(req, &state).await else {
        return Redirect::to("/verify?result=missing").into_response();
    };
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = field.bytes().await.ok();
            break;
        }
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return Redirect::to("/verify?result=missing").into_response();
    };
    match reports::check_file(&state, &file).await {
        Ok(Some(found)) => {
            Redirect::to(&format!("/verify/{}?checked=1", found.verify_code)).into_response()
        }
        Ok(None) => Redirect::to("/verify?result=altered").into_response(),
        Err(e) => e.into_response(),
    }
}

/// GET: the public key that checks the reports' signatures (PEM, for `openssl pkeyutl -verify`).
pub async fn public_key(State(state): State<AppState>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-pem-file"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        signing::public_key_pem(&state.secrets.report_signing_seed),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(flatten)]
    filters: SearchFilters,
}

/// GET `?q=&kind=&county=&unit=&record=&from=&to=&page=`: the public search as JSON, limited per IP
/// like the page (429 `RATE_LIMITED`).
#[utoipa::path(
    get,
    path = "/api/v1/credit/search",
    tag = "public",
    params(
        ("q" = Option<String>, Query, description = "主体名称（至少 2 个字）、统一社会信用代码或其开头"),
        ("kind" = Option<String>, Query, description = "organisation | individual_business"),
        ("county" = Option<String>, Query, description = "湘西州区县的行政区划代码，如 433101"),
        ("unit" = Option<String>, Query, description = "信源单位代码"),
        ("record" = Option<String>, Query, description = "licence | penalty：只查有该类公示记录的主体"),
        ("from" = Option<String>, Query, description = "记录决定日期自（YYYY-MM-DD）"),
        ("to" = Option<String>, Query, description = "记录决定日期至（YYYY-MM-DD）"),
        ("page" = Option<i64>, Query, description = "页码，从 1 开始")
    ),
    responses(
        (status = 200, description = "查询结果", body = app::credit::model::SearchResults),
        (status = 429, description = "同一来源地址查询过于频繁（RATE_LIMITED）", body = super::api_v1::ApiError)
    )
)]
pub async fn search_api(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
    req: Request,
) -> Result<Response, AppError> {
    let (parts, _) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts, state.config.trust_proxy);
    if !state.limits.allow_search(meta.ip.as_deref()) {
        return Err(AppError::RateLimited);
    }
    let found = search::search(
        &state,
        &search::Audience::Public,
        &p.q,
        &p.filters,
        p.page.unwrap_or(1),
    )
    .await?;
    Ok(Json(found).into_response())
}

/// GET: what the list page shows for the same query, every page of it, as XLSX (at most
/// `APP_LIST_EXPORT_MAX_ROWS` rows, said in the file name when cut), limited per IP
/// (`APP_EXPORT_RATE_PER_MIN`; 429 with a Chinese page).
pub async fn list_export(
    State(state): State<AppState>,
    Path(list): Path<String>,
    Query(filters): Query<ListFilters>,
    req: Request,
) -> Response {
    let back = if lists::title(&list).is_some() {
        format!("/credit/lists/{list}")
    } else {
        "/credit".to_string()
    };
    let (parts, _) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts, state.config.trust_proxy);
    if !state.limits.allow_export(meta.ip.as_deref()) {
        return export::error_page(&AppError::RateLimited, "暂时无法下载", &back, "返回名单");
    }
    let cap = state.config.list_export_max_rows;
    let file = async {
        let x = lists::export(&state, &list, &filters, cap).await?;
        let (_, headers, rows) = match list.as_str() {
            "licences" => export::table(x.records.into_iter().map(export::LicenceRow).collect()),
            "penalties" => export::table(x.records.into_iter().map(export::PenaltyRow).collect()),
            "commitments" => {
                export::table(x.entries.into_iter().map(export::CommitmentRow).collect())
            }
            _ => export::table(x.entries.into_iter().map(export::ListEntryRow).collect()),
        };
        let sheet = list_sheet_name(&list);
        let bytes = export::xlsx(sheet, &headers, &rows)?;
        let mut name = format!("{}-{}", x.title, state.clock.today().iso());
        if x.capped {
            name.push_str(&format!("-仅前{cap}条"));
        }
        Ok::<_, AppError>((bytes, format!("{name}.xlsx")))
    };
    match file.await {
        Ok((bytes, name)) => export::xlsx_download(bytes, &name),
        Err(e) => export::error_page(&e, "无法下载", &back, "返回名单"),
    }
}

/// The worksheet's name (Excel allows at most 31 characters and no brackets of some kinds).
fn list_sheet_name(list: &str) -> &'static str {
    match list {
        "licences" => "行政许可",
        "penalties" => "行政处罚",
        "red" => "红名单",
        "black" => "黑名单",
        "commitments" => "信用承诺",
        _ => "重点关注名单",
    }
}
