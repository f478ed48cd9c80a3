//! XLSX exports of the console lists. POST forms (with the CSRF token), so that no GET has an effect:
//! each export is audited. Authorisation and filters are those of the list it exports.
use app::admin::service::{alarms, audit_log, holidays, orgs, users};
use app::auth::policy::{access_of, Access};
use app::error::AppError;
use app::server::authz::{check, Caller};
use app::server::session::RequestMeta;
use app::server::AppState;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;
use tower_sessions::Session;

/// At most this many rows go into one file.
const MAX_ROWS: i64 = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Users,
    Orgs,
    Holidays,
    Audit,
    Alarms,
    Reports,
}

/// Every export route; the router and the authorisation matrix test both read this list.
pub const ROUTES: &[(&str, Export)] = &[
    ("/console/export/users.xlsx", Export::Users),
    ("/console/export/orgs.xlsx", Export::Orgs),
    ("/console/export/holidays.xlsx", Export::Holidays),
    ("/console/export/audit.xlsx", Export::Audit),
    ("/console/export/alarms.xlsx", Export::Alarms),
    ("/console/export/reports.xlsx", Export::Reports),
];

fn path_of(kind: Export) -> &'static str {
    ROUTES
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(p, _)| *p)
        .unwrap_or("")
}

pub async fn handle(kind: Export, State(state): State<AppState>, req: Request) -> Response {
    match run(kind, &state, req).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

/// Errors of a plain form post: a short Chinese page with the right status.
pub fn error_response(e: &AppError) -> Response {
    error_page(e, "无法导出", "/console", "返回工作台")
}

/// A short Chinese error page with the error's status and a way back.
pub fn error_page(e: &AppError, title: &str, back: &str, back_label: &str) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body><main><h1>{title}（{}）</h1><p role=\"alert\">{}</p><p><a href=\"{back}\">{back_label}</a></p></main></body></html>",
        status.as_u16(),
        html_escape(&e.to_string())
    );
    (status, axum::response::Html(html)).into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

async fn run(kind: Export, state: &AppState, req: Request) -> Result<Response, AppError> {
    let endpoint = format!("POST {}", path_of(kind));
    let Some(Access::Action(action)) = access_of(&endpoint) else {
        return Err(AppError::internal(
            "export",
            "export route missing from the policy",
        ));
    };
    let (parts, body) = req.into_parts();
    let session = parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| AppError::internal("session", "session layer missing"))?;
    let meta = RequestMeta::from_parts(&parts, state.config.trust_proxy);
    let (caller, _) = check(state, &session, meta, Some(action)).await?;
    let bytes: Bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| AppError::field("request", "BAD_REQUEST", "请求内容过大。"))?;
    let form: HashMap<String, String> = form_urlencoded::parse(&bytes).into_owned().collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (name, headers, rows) = sheet(kind, state, &caller, &get).await?;
    let file = xlsx(name, &headers, &rows)?;
    let action = if kind == Export::Audit {
        "audit.export"
    } else {
        "export"
    };
    let filters = form
        .iter()
        .filter(|(k, _)| *k != "csrf_token")
        .collect::<HashMap<_, _>>();
    let mut tx = state.db.begin().await?;
    caller
        .audit(
            &mut tx,
            state,
            action,
            Some(("export", path_of(kind))),
            serde_json::json!({ "rows": rows.len(), "filters": filters }),
        )
        .await?;
    tx.commit().await?;
    let filename = format!("{}-{}.xlsx", name, state.clock.today().iso());
    Ok(xlsx_download(file, &filename))
}

/// An XLSX file as a download under a Chinese file name (RFC 5987), never cached.
pub fn xlsx_download(file: Vec<u8>, filename: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        form_urlencoded::byte_serialize(filename.as_bytes()).collect::<String>()
    );
    let mut res = (StatusCode::OK, file).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

type Sheet = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

async fn sheet(
    kind: Export,
    state: &AppState,
    caller: &Caller,
    get: &(dyn Fn(&str) -> String + Sync),
) -> Result<Sheet, AppError> {
    Ok(match kind {
        Export::Users => {
            let f = users::UserFilter {
                q: get("q"),
                role: get("role"),
                status: get("status"),
                sort: get("sort"),
                page: 1,
            };
            let page = users::list(state, &f, Some(MAX_ROWS)).await?;
            let rows = page
                .rows
                .into_iter()
                .map(|u| {
                    vec![
                        u.username,
                        u.display_name,
                        u.unit,
                        u.roles
                            .iter()
                            .map(|r| r.label())
                            .collect::<Vec<_>>()
                            .join("、"),
                        match (u.status.as_str(), u.locked) {
                            ("disabled", _) => "已停用".into(),
                            (_, true) => "已锁定".into(),
                            _ => "正常".into(),
                        },
                        u.last_login_at.unwrap_or_default(),
                        u.created_at,
                    ]
                })
                .collect();
            (
                "用户",
                vec![
                    "用户名",
                    "姓名",
                    "所属单位",
                    "角色",
                    "状态",
                    "最近登录",
                    "创建时间",
                ],
                rows,
            )
        }
        Export::Orgs => {
            let o = orgs::list(state, caller, &get("q"), &get("sort"), None).await?;
            let rows = o
                .departments
                .rows
                .into_iter()
                .map(|d| {
                    vec![
                        d.code,
                        d.name,
                        d.county_name,
                        d.uscc,
                        d.users.to_string(),
                        if d.active {
                            "启用".into()
                        } else {
                            "停用".into()
                        },
                    ]
                })
                .collect();
            (
                "信源单位",
                vec![
                    "编码",
                    "名称",
                    "所在区县",
                    "统一社会信用代码",
                    "账户数",
                    "状态",
                ],
                rows,
            )
        }
        Export::Holidays => {
            let year = get("year").parse().unwrap_or(2026);
            let rows = holidays::list(state, year)
                .await?
                .into_iter()
                .map(|h| {
                    vec![
                        h.day,
                        if h.kind == "holiday" {
                            "放假".into()
                        } else {
                            "调休上班".into()
                        },
                        h.name,
                        h.source,
                    ]
                })
                .collect();
            ("节假日", vec!["日期", "类型", "名称", "来源"], rows)
        }
        Export::Audit => {
            let f = audit_log::AuditFilter {
                actor: get("actor"),
                action: get("action"),
                outcome: get("outcome"),
                from: get("from"),
                to: get("to"),
                sort: get("sort"),
                page: 1,
            };
            let rows = audit_log::list(state, &f, Some(MAX_ROWS))
                .await?
                .rows
                .into_iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.at,
                        r.actor_name,
                        r.role,
                        r.action.clone(),
                        app::admin::model::audit_action_label(&r.action).into(),
                        r.object,
                        app::admin::model::outcome_label(&r.outcome).into(),
                        r.ip,
                    ]
                })
                .collect();
            (
                "审计日志",
                vec![
                    "序号",
                    "时间(UTC)",
                    "操作人",
                    "角色",
                    "操作代码",
                    "操作",
                    "对象",
                    "结果",
                    "IP",
                ],
                rows,
            )
        }
        Export::Alarms => {
            let rows = alarms::list(state, &get("status"), 1, Some(MAX_ROWS))
                .await?
                .rows
                .into_iter()
                .map(|a| {
                    vec![
                        a.id.to_string(),
                        app::admin::model::severity_label(&a.severity).into(),
                        a.title,
                        a.detail,
                        app::admin::model::alarm_status_label(&a.status).into(),
                        a.occurrences.to_string(),
                        a.raised_at,
                        a.last_seen_at,
                        a.handled_by,
                        a.note,
                    ]
                })
                .collect();
            (
                "告警",
                vec![
                    "编号",
                    "级别",
                    "标题",
                    "详情",
                    "状态",
                    "次数",
                    "首次",
                    "最近",
                    "处理人",
                    "处理说明",
                ],
                rows,
            )
        }
        Export::Reports => {
            let rows = app::credit::service::stats::log(state, caller, MAX_ROWS)
                .await?
                .into_iter()
                .map(|r| {
                    vec![
                        r.serial,
                        r.kind_label,
                        r.channel_label,
                        r.subject_name,
                        r.applicant,
                        r.purpose,
                        r.matter,
                        r.issued_at,
                        r.verify_code,
                    ]
                })
                .collect();
            (
                "信用报告出具记录",
                vec![
                    "报告编号",
                    "类型",
                    "渠道",
                    "主体",
                    "申请人",
                    "用途",
                    "办理事项",
                    "出具时间",
                    "验证码",
                ],
                rows,
            )
        }
    })
}

/// Cells a spreadsheet would evaluate: leading `=`, `+`, `-`, `@`, tab or carriage return.
pub fn looks_like_formula(v: &str) -> bool {
    v.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// One sheet with a bold header row, frozen, and fitted column widths.
pub fn xlsx(name: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal("xlsx", e);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    // Text that a spreadsheet would read as a formula keeps Excel's quote prefix: shown and stored as
    // typed, never evaluated, also after the file is edited and saved again (formula injection).
    let text = Format::new().set_quote_prefix();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if looks_like_formula(v) {
                sheet
                    .write_string_with_format(r as u32 + 1, c as u16, v, &text)
                    .map_err(err)?;
            } else {
                sheet.write_string(r as u32 + 1, c as u16, v).map_err(err)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.autofit();
    book.save_to_buffer().map_err(err)
}
