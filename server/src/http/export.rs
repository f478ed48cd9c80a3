//! XLSX exports of the console lists. POST forms (with the CSRF token), so that no GET has an effect:
//! each export is audited. Authorisation and filters are those of the list it exports.
use super::extract::{read_form, SignedIn};
use super::Routes;
use app::admin::model::{self, AlarmRow, AuditRow, DepartmentRow, HolidayRow, UserRow};
use app::admin::service::{alarms, audit_log, holidays, orgs, users};
use app::auth::policy::{access_of, Access};
use app::collect::model::QualityScore;
use app::credit::model::{GenericEntry, PublicRecord, ReportLogRow};
use app::credit::service::stats;
use app::error::AppError;
use app::help::training::model::AttendeeRow;
use app::help::training::service::attendees::sign_in_list;
use app::server::authz::Caller;
use app::server::AppState;
use app::stats::model::{Activity, ClassCount, Received};
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;

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
    /// One table of the statistics dashboard (`table`, and `month` for the monthly report).
    Stats,
    /// A training session's sign-in list (`session`).
    Training,
    /// The case statistics (`kind`, `from`, `to`), within the caller's scope.
    CaseStats,
    /// The 联合奖惩 check statistics (`from`, `to`).
    JointStats,
    /// The API keys' access log (`key`, `from`, `to`, `outcome`).
    ApiAccess,
}

/// Every export route; the router and the authorisation matrix test both read this list.
pub const ROUTES: &[(&str, Export)] = &[
    ("/console/export/users.xlsx", Export::Users),
    ("/console/export/orgs.xlsx", Export::Orgs),
    ("/console/export/holidays.xlsx", Export::Holidays),
    ("/console/export/audit.xlsx", Export::Audit),
    ("/console/export/alarms.xlsx", Export::Alarms),
    ("/console/export/reports.xlsx", Export::Reports),
    ("/console/export/stats.xlsx", Export::Stats),
    ("/console/export/training.xlsx", Export::Training),
    ("/console/export/case_stats.xlsx", Export::CaseStats),
    ("/console/export/joint_stats.xlsx", Export::JointStats),
    ("/console/export/api_access.xlsx", Export::ApiAccess),
];

fn path_of(kind: Export) -> &'static str {
    ROUTES
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(p, _)| *p)
        .unwrap_or("")
}

/// Every export, served from `ROUTES`.
pub fn router() -> Routes {
    ROUTES
        .iter()
        .fold(Routes::default(), |routes, (path, kind)| {
            let kind = *kind;
            routes.route(
                &["POST"],
                path,
                axum::routing::post(
                    move |state: State<AppState>,
                          signed_in: Result<SignedIn, AppError>,
                          body: Body| { handle(kind, state, signed_in, body) },
                ),
            )
        })
}

pub async fn handle(
    kind: Export,
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
) -> Response {
    match run(kind, &state, signed_in, body).await {
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

/// Text for HTML content or a quoted attribute.
pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn run(
    kind: Export,
    state: &AppState,
    signed_in: Result<SignedIn, AppError>,
    body: Body,
) -> Result<Response, AppError> {
    let endpoint = format!("POST {}", path_of(kind));
    let Some(Access::Action(action)) = access_of(&endpoint) else {
        return Err(AppError::internal(
            "export",
            "export route missing from the policy",
        ));
    };
    let caller = signed_in?.require(action)?;
    let form = read_form(body).await?;
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

pub(crate) type Sheet = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// One row of an exported list: the sheet it goes into, its header row and its cells in header order.
pub(crate) trait ExportRow {
    const SHEET: &'static str;
    const HEADERS: &'static [&'static str];
    fn cells(self) -> Vec<String>;
}

/// The one writer of every export: a sheet name, the header row and one text row per record.
pub(crate) fn table<R: ExportRow>(rows: Vec<R>) -> Sheet {
    (
        R::SHEET,
        R::HEADERS.to_vec(),
        rows.into_iter().map(ExportRow::cells).collect(),
    )
}

/// Loads the list `kind` exports, with the filters of its form and the caller's scope.
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
            table(users::list(state, &f, Some(MAX_ROWS)).await?.rows)
        }
        Export::Orgs => {
            let o = orgs::list(state, caller, &get("q"), &get("sort"), None).await?;
            table(o.departments.rows)
        }
        Export::Holidays => {
            let year = holidays::year_or_current(state, &get("year"));
            table(holidays::list(state, year).await?)
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
            table(audit_log::list(state, &f, Some(MAX_ROWS)).await?.rows)
        }
        Export::Alarms => table(
            alarms::list(state, &get("status"), 1, Some(MAX_ROWS))
                .await?
                .rows,
        ),
        Export::Reports => table(stats::log(state, caller, MAX_ROWS).await?),
        Export::Stats => stats_sheet(state, caller, &get("table"), &get("month")).await?,
        Export::Training => table(sign_in_list(state, &get("session")).await?),
        Export::CaseStats => {
            use app::cases::stats::{export_rows, StatsFilter, EXPORT_HEADERS};
            let f = StatsFilter {
                kind: get("kind"),
                from: get("from"),
                to: get("to"),
            };
            let s = app::cases::service::stats::stats(state, caller, &f).await?;
            ("办件统计", EXPORT_HEADERS.to_vec(), export_rows(&s))
        }
        Export::JointStats => {
            use app::joint::stats::{export_rows, JointStatsFilter, EXPORT_HEADERS};
            let f = JointStatsFilter {
                from: get("from"),
                to: get("to"),
            };
            let s = app::joint::service::stats::stats(state, &f).await?;
            ("联合奖惩核查统计", EXPORT_HEADERS.to_vec(), export_rows(&s))
        }
        Export::ApiAccess => {
            use app::partner::service::access_log::{self, HEADERS};
            let f = app::partner::model::AccessFilter {
                key: get("key"),
                from: get("from"),
                to: get("to"),
                outcome: get("outcome"),
            };
            (
                "接口访问日志",
                HEADERS.to_vec(),
                access_log::sheet(state, &f).await?,
            )
        }
    })
}

impl ExportRow for UserRow {
    const SHEET: &'static str = "用户";
    const HEADERS: &'static [&'static str] = &[
        "用户名",
        "姓名",
        "所属单位",
        "角色",
        "状态",
        "最近登录",
        "创建时间",
    ];
    fn cells(self) -> Vec<String> {
        let roles = self
            .roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、");
        let status = match (self.status.as_str(), self.locked) {
            ("disabled", _) => "已停用",
            (_, true) => "已锁定",
            _ => "正常",
        };
        vec![
            self.username,
            self.display_name,
            self.unit,
            roles,
            status.into(),
            self.last_login_at.unwrap_or_default(),
            self.created_at,
        ]
    }
}

impl ExportRow for DepartmentRow {
    const SHEET: &'static str = "信源单位";
    const HEADERS: &'static [&'static str] = &[
        "编码",
        "名称",
        "所在区县",
        "统一社会信用代码",
        "账户数",
        "状态",
    ];
    fn cells(self) -> Vec<String> {
        vec![
            self.code,
            self.name,
            self.county_name,
            self.uscc,
            self.users.to_string(),
            if self.active { "启用" } else { "停用" }.into(),
        ]
    }
}

impl ExportRow for HolidayRow {
    const SHEET: &'static str = "节假日";
    const HEADERS: &'static [&'static str] = &["日期", "类型", "名称", "来源"];
    fn cells(self) -> Vec<String> {
        let kind = if self.kind == "holiday" {
            "放假"
        } else {
            "调休上班"
        };
        vec![self.day, kind.into(), self.name, self.source]
    }
}

impl ExportRow for AttendeeRow {
    const SHEET: &'static str = "签到表";
    const HEADERS: &'static [&'static str] = &[
        "姓名",
        "单位",
        "统一社会信用代码",
        "联系电话",
        "签到时间",
        "证书编号",
    ];
    fn cells(self) -> Vec<String> {
        vec![
            self.name,
            self.organisation,
            self.uscc,
            self.phone_masked,
            self.signed_in_at.unwrap_or_default(),
            self.certificate_no.unwrap_or_default(),
        ]
    }
}

impl ExportRow for AuditRow {
    const SHEET: &'static str = "审计日志";
    const HEADERS: &'static [&'static str] = &[
        "序号",
        "时间(UTC)",
        "操作人",
        "角色",
        "操作代码",
        "操作",
        "对象",
        "结果",
        "IP",
    ];
    fn cells(self) -> Vec<String> {
        let label: String = model::audit_action_label(&self.action).into();
        let outcome: String = model::outcome_label(&self.outcome).into();
        vec![
            self.id.to_string(),
            self.at,
            self.actor_name,
            self.role,
            self.action,
            label,
            self.object,
            outcome,
            self.ip,
        ]
    }
}

impl ExportRow for AlarmRow {
    const SHEET: &'static str = "告警";
    const HEADERS: &'static [&'static str] = &[
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
    ];
    fn cells(self) -> Vec<String> {
        let severity: String = model::severity_label(&self.severity).into();
        let status: String = model::alarm_status_label(&self.status).into();
        vec![
            self.id.to_string(),
            severity,
            self.title,
            self.detail,
            status,
            self.occurrences.to_string(),
            self.raised_at,
            self.last_seen_at,
            self.handled_by,
            self.note,
        ]
    }
}

impl ExportRow for ReportLogRow {
    const SHEET: &'static str = "信用报告出具记录";
    const HEADERS: &'static [&'static str] = &[
        "报告编号",
        "类型",
        "渠道",
        "主体",
        "申请人",
        "用途",
        "办理事项",
        "出具时间",
        "验证码",
    ];
    fn cells(self) -> Vec<String> {
        vec![
            self.serial,
            self.kind_label,
            self.channel_label,
            self.subject_name,
            self.applicant,
            self.purpose,
            self.matter,
            self.issued_at,
            self.verify_code,
        ]
    }
}

/// A licence of the public list, as the list page shows it.
pub(crate) struct LicenceRow(pub PublicRecord);
/// A penalty of the public list, as the list page shows it.
pub(crate) struct PenaltyRow(pub PublicRecord);
/// An entry of a red, black or watch list, as the list page shows it.
pub(crate) struct ListEntryRow(pub GenericEntry);
/// A commitment of the public commitments list.
pub(crate) struct CommitmentRow(pub GenericEntry);

impl ExportRow for LicenceRow {
    const SHEET: &'static str = "行政许可";
    const HEADERS: &'static [&'static str] = &[
        "行政相对人名称",
        "统一社会信用代码",
        "行政许可决定文书号",
        "许可决定日期",
        "许可类别",
        "许可证书",
        "许可内容",
        "有效期自",
        "有效期至",
        "许可机关",
        "数据来源单位",
    ];
    fn cells(self) -> Vec<String> {
        let r = self.0;
        vec![
            r.subject_name,
            r.subject_uscc,
            r.decision_no,
            r.decision_date,
            r.category,
            r.detail,
            r.content,
            r.valid_from,
            r.valid_to,
            r.authority,
            r.source_unit,
        ]
    }
}

impl ExportRow for PenaltyRow {
    const SHEET: &'static str = "行政处罚";
    const HEADERS: &'static [&'static str] = &[
        "行政相对人名称",
        "统一社会信用代码",
        "行政处罚决定书文号",
        "处罚决定日期",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        "罚款金额",
        "处罚机关",
        "公示截止日期",
        "数据来源单位",
    ];
    fn cells(self) -> Vec<String> {
        let r = self.0;
        vec![
            r.subject_name,
            r.subject_uscc,
            r.decision_no,
            r.decision_date,
            r.title,
            r.detail,
            r.basis,
            r.category,
            r.content,
            r.amount,
            r.authority,
            r.display_until,
            r.source_unit,
        ]
    }
}

/// A generic entry's value for a field label of its class ("" when the entry has none).
fn field_value(e: &GenericEntry, label: &str) -> String {
    e.fields
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

impl ExportRow for ListEntryRow {
    const SHEET: &'static str = "名单";
    const HEADERS: &'static [&'static str] = &[
        "主体名称",
        "统一社会信用代码",
        "认定单位",
        "认定依据",
        "列入日期",
        "状态",
        "备注",
    ];
    fn cells(self) -> Vec<String> {
        let e = self.0;
        // The class's field labels (app/src/rules/catalog.rs `list_fields`).
        let field = |label: &str| field_value(&e, label);
        vec![
            e.subject_name.clone(),
            e.subject_uscc.clone(),
            field("认定单位"),
            field("认定依据"),
            e.date.clone(),
            field("状态"),
            field("备注"),
        ]
    }
}

impl ExportRow for CommitmentRow {
    const SHEET: &'static str = "信用承诺";
    const HEADERS: &'static [&'static str] = &[
        "承诺主体名称",
        "统一社会信用代码",
        "承诺类型",
        "承诺内容",
        "承诺日期",
        "承诺受理单位",
        "履约状态",
    ];
    fn cells(self) -> Vec<String> {
        let e = self.0;
        // The class's field labels (app/src/rules/catalog.rs `commitment_fields`).
        let field = |label: &str| field_value(&e, label);
        vec![
            e.subject_name.clone(),
            e.subject_uscc.clone(),
            field("承诺类型"),
            field("承诺内容"),
            e.date.clone(),
            field("承诺受理单位"),
            field("履约状态"),
        ]
    }
}

// ---- Statistics (app::stats): one sheet per table of the dashboard, as the page shows it.

async fn stats_sheet(
    state: &AppState,
    caller: &Caller,
    which: &str,
    month: &str,
) -> Result<Sheet, AppError> {
    use app::stats::model::StatsTable;
    let which = StatsTable::parse(which).ok_or_else(|| AppError::NotFound("该统计表".into()))?;
    let d = app::stats::service::dashboard::dashboard(state, caller, month).await?;
    Ok(match which {
        StatsTable::Class => table(d.by_class),
        StatsTable::Department => table(d.by_department.into_iter().map(ByDepartment).collect()),
        StatsTable::County => table(d.by_county.into_iter().map(ByCounty).collect()),
        StatsTable::Month => table(d.by_month.into_iter().map(ByMonth).collect()),
        StatsTable::Activity => table(d.activity),
        StatsTable::Quality => table(d.quality_league),
    })
}

/// The cells of records received, after the group's name.
fn received_cells(r: Received) -> Vec<String> {
    let total = r.total();
    vec![
        r.label,
        r.licences.to_string(),
        r.penalties.to_string(),
        r.others.to_string(),
        total.to_string(),
    ]
}

struct ByDepartment(Received);
struct ByCounty(Received);
struct ByMonth(Received);

impl ExportRow for ByDepartment {
    const SHEET: &'static str = "按单位";
    const HEADERS: &'static [&'static str] = &["单位", "行政许可", "行政处罚", "其他类别", "合计"];
    fn cells(self) -> Vec<String> {
        received_cells(self.0)
    }
}

impl ExportRow for ByCounty {
    const SHEET: &'static str = "按区县";
    const HEADERS: &'static [&'static str] = &["区县", "行政许可", "行政处罚", "其他类别", "合计"];
    fn cells(self) -> Vec<String> {
        received_cells(self.0)
    }
}

impl ExportRow for ByMonth {
    const SHEET: &'static str = "按月份";
    const HEADERS: &'static [&'static str] = &["月份", "行政许可", "行政处罚", "其他类别", "合计"];
    fn cells(self) -> Vec<String> {
        received_cells(self.0)
    }
}

impl ExportRow for ClassCount {
    const SHEET: &'static str = "按数据类别";
    const HEADERS: &'static [&'static str] = &["数据类别", "记录数"];
    fn cells(self) -> Vec<String> {
        vec![self.class, self.records.to_string()]
    }
}

impl ExportRow for Activity {
    const SHEET: &'static str = "发布与使用";
    const HEADERS: &'static [&'static str] = &[
        "月份",
        "发布文章",
        "信用查询",
        "出具信用报告",
        "数据接口调用",
        "接口报送批次",
    ];
    fn cells(self) -> Vec<String> {
        vec![
            self.month,
            self.articles.to_string(),
            self.searches.to_string(),
            self.reports.to_string(),
            self.api_calls.to_string(),
            self.api_batches.to_string(),
        ]
    }
}

impl ExportRow for QualityScore {
    const SHEET: &'static str = "数据质量";
    const HEADERS: &'static [&'static str] = &[
        "单位",
        "月份",
        "得分",
        "记录数",
        "完整性",
        "及时性",
        "准确性",
        "可用性",
        "逾期类别",
    ];
    fn cells(self) -> Vec<String> {
        let pct = app::collect::pages::quality::pct;
        vec![
            self.unit_name,
            self.month,
            self.score.map_or("—".into(), |v| format!("{v:.1}")),
            self.records.to_string(),
            pct(self.completeness),
            pct(self.timeliness),
            pct(self.accuracy),
            pct(self.availability),
            self.overdue.to_string(),
        ]
    }
}

/// Cells a spreadsheet would evaluate: leading `=`, `+`, `-`, `@`, tab or carriage return.
pub fn looks_like_formula(v: &str) -> bool {
    v.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// One sheet with a bold header row, frozen, and fitted column widths.
pub fn xlsx(name: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    xlsx_sheets(&[(name, headers, rows)])
}

/// One sheet of a workbook to write, borrowed: its name, header row and rows.
pub type SheetRef<'a> = (&'a str, &'a [&'a str], &'a [Vec<String>]);

/// A workbook of several sheets, in order.
pub fn xlsx_sheets(sheets: &[SheetRef<'_>]) -> Result<Vec<u8>, AppError> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal("xlsx", e);
    let mut book = Workbook::new();
    for (name, headers, rows) in sheets {
        write_sheet(book.add_worksheet(), name, headers, rows).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn write_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    // Text that a spreadsheet would read as a formula keeps Excel's quote prefix: shown and stored as
    // typed, never evaluated, also after the file is edited and saved again (formula injection).
    let text = Format::new().set_quote_prefix();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if looks_like_formula(v) {
                sheet.write_string_with_format(r as u32 + 1, c as u16, v, &text)?;
            } else {
                sheet.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}
