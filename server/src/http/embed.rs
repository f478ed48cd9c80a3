//! The embedded check page (docs/domain.md §8): a unit's own system frames `/embed/check` (through the
//! one-line script `/embed/check.js`) with a ticket its server asked for (`POST /api/v1/embed-tickets`,
//! a key with the `check` scope). The page is plain HTML — a form that posts back to itself, no script,
//! no cookie (the cross-site frame would not get ours) — and may be framed only by the origins the
//! credit office set for the unit. Checks made there are logged for the ticket's handler and unit.
use super::api_v1::{ApiError, ApiFailure};
use super::export::html_escape;
use super::extract::{ApiJson, ApiKey};
use super::security::FrameAncestors;
use super::Routes;
use app::error::AppError;
use app::joint::check::{parse_subject, SubjectKind};
use app::joint::embed::{frame_ancestors, PAGE_PATH, SCRIPT_PATH};
use app::joint::model::CheckView;
use app::joint::service::check::{self, Checker, MatterRef};
use app::joint::service::embed::{self, TicketHolder};
use app::server::AppState;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use http::{header, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const STYLE_PATH: &str = "/embed/check.css";

pub fn router() -> Routes {
    Routes::default()
        .route(&["GET", "POST"], PAGE_PATH, get(page).post(submit))
        .route(&["GET"], SCRIPT_PATH, get(script))
        .route(&["GET"], STYLE_PATH, get(style))
        .route(&["POST"], "/api/v1/embed-tickets", post(ticket))
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    matter: String,
    #[serde(default)]
    ticket: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    matter: String,
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    subject: String,
}

/// What the page shows under its form.
enum Outcome {
    Nothing,
    Refused(String),
    Checked(Box<CheckView>),
}

/// The ticket's holder and the matter, both valid and of the same unit; or the reason why not.
async fn admit(
    state: &AppState,
    ticket: &str,
    matter: &str,
) -> Result<(TicketHolder, MatterRef), (StatusCode, String)> {
    let internal = |e: AppError| {
        (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
    };
    let holder = embed::holder(state, ticket)
        .await
        .map_err(internal)?
        .ok_or((
            StatusCode::UNAUTHORIZED,
            "核查票据无效或已过期：请在本单位业务系统中刷新页面，重新打开核查。".to_string(),
        ))?;
    let m = check::matter_by_code(state, matter)
        .await
        .map_err(internal)?
        .ok_or((
            StatusCode::NOT_FOUND,
            format!(
                "事项编码“{}”不存在或已停用：请联系信用办核对本单位的办理事项。",
                matter.trim()
            ),
        ))?;
    if m.department_id != holder.department_id {
        return Err((
            StatusCode::FORBIDDEN,
            format!("事项“{}”不属于本单位。", m.code),
        ));
    }
    Ok((holder, m))
}

/// The page for a unit (its origins may frame it) or for nobody (an invalid ticket: no framing).
async fn respond(
    state: &AppState,
    status: StatusCode,
    unit: Option<i64>,
    html: String,
) -> Response {
    let origins = match unit {
        Some(d) => embed::origins(state, d).await.unwrap_or_default(),
        None => vec![],
    };
    let mut res = (status, Html(html)).into_response();
    res.extensions_mut()
        .insert(FrameAncestors(frame_ancestors(&origins)));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The ticket is in the address: never sent on to another site. (Not `no-referrer`: it would make
    // the form's own post carry `Origin: null`, which the cross-site check refuses.)
    res.headers_mut()
        .insert("referrer-policy", HeaderValue::from_static("same-origin"));
    res
}

/// GET `/embed/check?matter=…&ticket=…`: the form.
pub async fn page(State(state): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    match admit(&state, &q.ticket, &q.matter).await {
        Ok((holder, m)) => {
            let html = render(&m, &q.ticket, &holder.handler, "", &Outcome::Nothing);
            respond(&state, StatusCode::OK, Some(holder.department_id), html).await
        }
        Err((status, message)) => respond(&state, status, None, refusal(&message)).await,
    }
}

/// POST the form: the check, logged for the ticket's handler, and its answer.
pub async fn submit(State(state): State<AppState>, Form(f): Form<CheckForm>) -> Response {
    let (holder, m) = match admit(&state, &f.ticket, &f.matter).await {
        Ok(ok) => ok,
        Err((status, message)) => return respond(&state, status, None, refusal(&message)).await,
    };
    let (status, outcome) = match parse_subject(&f.subject, SubjectKind::Auto, state.clock.today())
    {
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Refused(e.message),
        ),
        Ok(subject) => {
            let by = Checker {
                channel: "embed",
                user_id: None,
                key_id: Some(holder.key_id),
                batch_id: None,
                name: holder.handler.clone(),
            };
            match check::run(&state, &by, &m, &subject).await {
                Ok(v) => (StatusCode::OK, Outcome::Checked(Box::new(v))),
                Err(e) => (
                    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    Outcome::Refused(e.to_string()),
                ),
            }
        }
    };
    let html = render(&m, &f.ticket, &holder.handler, &f.subject, &outcome);
    respond(&state, status, Some(holder.department_id), html).await
}

fn shell(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>联合奖惩核查</title>\
         <link rel=\"stylesheet\" href=\"{STYLE_PATH}\"></head><body><main>{body}</main></body></html>"
    )
}

fn refusal(message: &str) -> String {
    shell(&format!(
        "<h1>联合奖惩核查</h1><p class=\"error\" role=\"alert\">{}</p>",
        html_escape(message)
    ))
}

fn render(m: &MatterRef, ticket: &str, handler: &str, subject: &str, outcome: &Outcome) -> String {
    let e = html_escape;
    let mut body = format!(
        "<h1>联合奖惩核查</h1><p class=\"muted\">{}（{}）· 办理人：{}</p>\
         <form method=\"post\" action=\"{PAGE_PATH}\" data-testid=\"embed-form\">\
         <input type=\"hidden\" name=\"ticket\" value=\"{}\"><input type=\"hidden\" name=\"matter\" value=\"{}\">\
         <label for=\"subject\">核查对象（统一社会信用代码、单位名称或公民身份号码）</label>\
         <input id=\"subject\" name=\"subject\" required maxlength=\"100\" autocomplete=\"off\" value=\"{}\">\
         <button type=\"submit\">核查</button></form>",
        e(&m.name),
        e(&m.department),
        e(handler),
        e(ticket),
        e(&m.code),
        e(subject),
    );
    match outcome {
        Outcome::Nothing => {}
        Outcome::Refused(message) => {
            body.push_str(&format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                e(message)
            ));
        }
        Outcome::Checked(v) => body.push_str(&result(v)),
    }
    shell(&body)
}

fn result(v: &CheckView) -> String {
    let e = html_escape;
    let mut out = format!(
        "<section data-testid=\"embed-result\" data-hits=\"{}\"><h2>核查结果</h2><p>核查对象：{}{}；核查编号 {}</p>",
        v.hits.len(),
        e(&v.subject_shown),
        if v.subject_name.is_empty() { String::new() } else { format!("（{}）", e(&v.subject_name)) },
        e(&v.public_id),
    );
    if v.hits.is_empty() {
        out.push_str("<p class=\"ok\" role=\"status\">未发现该主体在有效的红名单、黑名单或重点关注名单中，可按正常程序办理。</p>");
        out.push_str("</section>");
        return out;
    }
    out.push_str(&format!(
        "<p class=\"error\" role=\"status\">命中 {} 条名单记录，请按下列措施办理。</p>\
         <table><thead><tr><th>名单</th><th>认定单位</th><th>认定依据</th><th>列入日期</th></tr></thead><tbody>",
        v.hits.len()
    ));
    for h in &v.hits {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&h.list_label),
            e(&h.authority),
            e(&h.basis),
            e(&h.listed_on)
        ));
    }
    out.push_str("</tbody></table><h3>应采取的措施</h3><ul>");
    for m in &v.measures {
        out.push_str(&format!(
            "<li>{} {}（{}）</li>",
            e(&m.code),
            e(&m.content),
            e(&m.basis)
        ));
    }
    if v.measures.is_empty() {
        out.push_str(
            "<li>本事项尚未关联针对该名单的措施：请依据认定依据办理，并联系信用办补充。</li>",
        );
    }
    out.push_str(&format!(
        "</ul><p class=\"muted\">请于 {} 前在本单位系统或信用平台“核查记录”中反馈措施采取情况。</p></section>",
        e(v.feedback_due.as_deref().unwrap_or(""))
    ));
    out
}

/// GET the script a unit's page includes: it frames the check page with its `data-matter` and
/// `data-ticket`, right after itself.
pub async fn script() -> Response {
    const JS: &str = "(function(){var s=document.currentScript;if(!s){return;}\
var o=new URL(s.src).origin,f=document.createElement('iframe');\
f.src=o+'/embed/check?matter='+encodeURIComponent(s.getAttribute('data-matter')||'')+'&ticket='+encodeURIComponent(s.getAttribute('data-ticket')||'');\
f.title='联合奖惩核查';f.style.width='100%';f.style.minHeight='560px';f.style.border='0';\
s.parentNode.insertBefore(f,s.nextSibling);})();\n";
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
        .into_response()
}

/// GET the page's own small style sheet (it stands alone, without the site's).
pub async fn style() -> Response {
    const CSS: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;color:#1a1a1a;background:#fff;font-size:16px;line-height:1.6}\
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.25rem;margin:0 0 .25rem}\
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{font:inherit;width:100%;max-width:32rem;padding:.5rem;border:1px solid #767676;border-radius:4px;box-sizing:border-box}\
button{font:inherit;margin-top:.75rem;padding:.5rem 1.5rem;background:#b71c1c;color:#fff;border:0;border-radius:4px;cursor:pointer}\
button:focus,input:focus{outline:3px solid #1565c0;outline-offset:2px}\
.muted{color:#555}.error{color:#b71c1c;font-weight:600}.ok{color:#1b5e20;font-weight:600}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.375rem;text-align:left;vertical-align:top}\n";
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// Who the checks made with the ticket are logged for.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct TicketRequest {
    /// The handler's name or staff number in the unit's own system.
    pub handler: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct TicketResponse {
    /// Put it in the page's `data-ticket` (or the frame's address); valid until `expires_at`.
    pub ticket: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// A ticket for the embedded check page, for one handler of the key's unit.
#[utoipa::path(
    post,
    path = "/api/v1/embed-tickets",
    tag = "checks",
    request_body = TicketRequest,
    responses(
        (status = 201, body = TicketResponse),
        (status = 401, body = ApiError),
        (status = 403, description = "密钥没有 check 权限（SCOPE_MISSING）", body = ApiError),
        (status = 422, description = "未填写办理人（VALIDATION，字段代码 HANDLER_REQUIRED）", body = ApiError)
    ),
    security(("api_key" = []))
)]
pub async fn ticket(
    State(state): State<AppState>,
    ApiKey(h): ApiKey,
    ApiJson(req): ApiJson<TicketRequest>,
) -> Result<(StatusCode, Json<TicketResponse>), ApiFailure> {
    super::api_v1::require_check_scope(&h)?;
    let (ticket, expires_at) = embed::issue(&state, &h, &req.handler).await?;
    Ok((
        StatusCode::CREATED,
        Json(TicketResponse { ticket, expires_at }),
    ))
}
