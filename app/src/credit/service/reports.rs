//! Credit reports (docs/domain.md §9): the public credit information report and the special report, issued
//! to the public (applicant and purpose) or pulled by staff for a service matter. Each has a serial
//! number, a verification code, a QR code to `/verify/{code}` and an Ed25519 signature; every issue is
//! kept in `credit_reports` (the request log) with the signed PDF and what it contained.
use super::pdf::{self, Block, Doc, Style};
use super::signing;
use super::subject::{self, Period};
use crate::collect::service::api_keys::KeyHolder;
use crate::credit::model::{IssuedReport, ReportCheck, ReportRequest, Section, SubjectBasics};
use crate::credit::report_spec::{self, EMPTY_SECTION};
use crate::error::{AppError, FieldError};
use crate::rules::date::{beijing_minute, Ymd};
use crate::server::authz::Caller;
use crate::server::AppState;
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// Who asks: the public (limited per IP), a member of staff or a partner system's key (both audited,
/// both for a named service matter).
pub enum Issuer<'a> {
    Public { ip: Option<String> },
    Staff(&'a Caller),
    Partner(&'a KeyHolder),
}

/// What a report contained, as stored and as the verification page shows it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportContent {
    pub kind: String,
    pub serial: String,
    pub verify_code: String,
    pub issued_at: String,
    pub period_from: String,
    pub period_to: String,
    pub applicant: String,
    pub purpose: String,
    pub matter: String,
    pub basics: SubjectBasics,
    pub sections: Vec<Section>,
}

fn kind_label(kind: &str) -> &'static str {
    if kind == "special" {
        "专项信用报告"
    } else {
        "公共信用信息报告"
    }
}

fn invalid(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: "REPORT_REQUEST".into(),
        message: message.into(),
    }
}

/// Checks the request; returns the period.
fn validate(req: &ReportRequest, staff: bool, today: Ymd) -> Result<(Ymd, Ymd), AppError> {
    let mut errors = vec![];
    let applicant = req.applicant.trim().chars().count();
    if !(2..=50).contains(&applicant) {
        errors.push(invalid(
            "applicant",
            "请填写申请人姓名或单位名称（2～50 个字）。",
        ));
    }
    let purpose = req.purpose.trim().chars().count();
    if !(2..=100).contains(&purpose) {
        errors.push(invalid(
            "purpose",
            "请填写查询用途（2～100 个字），例如“招投标”“贷款申请”。",
        ));
    }
    if staff && req.matter.trim().chars().count() < 2 {
        errors.push(invalid(
            "matter",
            "请填写办理的事项名称，例如“政府采购供应商资格审查”。",
        ));
    }
    let period = match req.kind.as_str() {
        "public" => Ok((
            today.add_months(-12 * report_spec::SPECIAL_MAX_YEARS),
            today,
        )),
        "special" => {
            let from = Ymd::parse_iso(req.from.trim());
            let to = Ymd::parse_iso(req.to.trim());
            match (from, to) {
                (Some(f), Some(t)) if f > t => {
                    Err(invalid("from", "查询期的开始日期不能晚于结束日期。"))
                }
                (Some(_), Some(t)) if t > today => {
                    Err(invalid("to", "查询期的结束日期不能晚于今天。"))
                }
                (Some(f), Some(t)) if f < t.add_months(-12 * report_spec::SPECIAL_MAX_YEARS) => {
                    Err(invalid(
                        "from",
                        "专项信用报告的查询期最长 5 年，请缩短查询期。",
                    ))
                }
                (Some(f), Some(t)) => Ok((f, t)),
                _ => Err(invalid(
                    "from",
                    "请填写查询期的开始和结束日期（格式 2026-01-31）。",
                )),
            }
        }
        _ => Err(invalid("kind", "请选择报告类型。")),
    };
    if let Some(bad) = req.sections.iter().find(|s| {
        !report_spec::SPECIAL_REPORT
            .iter()
            .any(|x| x.code == s.as_str())
    }) {
        errors.push(invalid("sections", &format!("没有“{bad}”这一报告栏目。")));
    }
    match period {
        Ok(p) if errors.is_empty() => Ok(p),
        Ok(_) => Err(AppError::Validation(errors)),
        Err(e) => {
            errors.push(e);
            Err(AppError::Validation(errors))
        }
    }
}

fn random_code(len: usize) -> String {
    // No 0/O, 1/I/L: read aloud or typed from paper without mistakes (the one alphabet of codes).
    crate::rules::code::random(len)
}

/// Issues a report: checks, collects the sections, renders and signs the PDF, and logs the request.
pub async fn issue(
    state: &AppState,
    issuer: Issuer<'_>,
    req: &ReportRequest,
    origin: &str,
) -> Result<IssuedReport, AppError> {
    // A partner issues the public report only: special reports hold records off public display.
    if matches!(issuer, Issuer::Partner(_)) && req.kind != "public" {
        return Err(AppError::field(
            "kind",
            "REPORT_KIND",
            "接口只出具公共信用信息报告（kind 应为 public）；专项信用报告请由经办部门在平台出具。",
        ));
    }
    if let Issuer::Public { ip } = &issuer {
        if req.kind != "public" {
            return Err(AppError::field(
                "kind",
                "REPORT_KIND",
                "专项信用报告请到政务服务窗口或由经办部门出具。",
            ));
        }
        if !state.limits.allow_report(ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
    }
    let today = state.clock.today();
    let (from, to) = validate(req, !matches!(issuer, Issuer::Public { .. }), today)?;
    let policy = super::policy(state).await?;
    let subject = subject::load(state, &policy, &req.subject).await?;
    if let Issuer::Staff(caller) = &issuer {
        // Staff pull special reports (repaired, non-public records): only on subjects their search shows.
        caller
            .check_subject(
                state,
                "credit.report.pull",
                &subject.basics.public_id,
                subject.county_code.as_deref(),
            )
            .await?;
    }
    let (specs, period) = if req.kind == "special" {
        (
            report_spec::special_sections(&req.sections),
            Period::Between(from, to),
        )
    } else {
        (report_spec::PUBLIC_REPORT.to_vec(), Period::Public)
    };
    let sections = subject::sections(state, &policy, subject.id, &specs, period).await?;
    let now = state.clock.now_text();
    let content = ReportContent {
        kind: req.kind.clone(),
        serial: format!("XXCR{}{}", today.iso().replace('-', ""), random_code(6)),
        verify_code: random_code(12),
        issued_at: beijing_minute(&now),
        period_from: from.iso(),
        period_to: to.iso(),
        applicant: req.applicant.trim().into(),
        purpose: req.purpose.trim().into(),
        matter: req.matter.trim().into(),
        basics: subject.basics,
        sections,
    };
    let verify_url = format!(
        "{}/verify/{}",
        origin.trim_end_matches('/'),
        content.verify_code
    );
    let doc = document(&content, &verify_url);
    let seed = state.secrets.report_signing_seed;
    // Layout, font subsetting and compression are CPU work: keep them off the request threads.
    let signed =
        tokio::task::spawn_blocking(move || pdf::render(&doc).map(|b| signing::sign(&seed, b)))
            .await
            .map_err(|e| AppError::internal("report render", e))??;
    let json = serde_json::to_string(&content).map_err(|e| AppError::internal("report json", e))?;
    let (user_id, department_id, channel) = match &issuer {
        Issuer::Staff(c) => (Some(c.user.user_id), c.user.department_id, "staff"),
        Issuer::Partner(h) => (None, Some(h.department_id), "api"),
        Issuer::Public { .. } => (None, None, "public"),
    };
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO credit_reports (serial, verify_code, kind, subject_id, subject_name, subject_code, channel, \
         applicant, purpose, matter, user_id, department_id, period_from, period_to, content, pdf, pdf_sha256, \
         signature, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(&content.serial)
    .bind(&content.verify_code)
    .bind(&content.kind)
    .bind(subject.id)
    .bind(&content.basics.name)
    .bind(&content.basics.uscc)
    .bind(channel)
    .bind(&content.applicant)
    .bind(&content.purpose)
    .bind(&content.matter)
    .bind(user_id)
    .bind(department_id)
    .bind(&content.period_from)
    .bind(&content.period_to)
    .bind(&json)
    .bind(&signed.bytes)
    .bind(&signed.sha256)
    .bind(&signed.signature)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let pulled = match &issuer {
        Issuer::Staff(caller) => Some(caller.event("credit.report.pull", "success")),
        Issuer::Partner(h) => Some(h.actor().event("credit.report.pull", "success")),
        Issuer::Public { .. } => None,
    };
    if let Some(event) = pulled {
        event
            .on("credit_report", &content.serial)
            .with(serde_json::json!({
                "kind": content.kind, "subject": content.basics.public_id, "matter": content.matter,
            }))
            .record(&mut tx, state)
            .await?;
    }
    tx.commit().await?;
    Ok(IssuedReport {
        download: format!("/verify/{}/report.pdf", content.verify_code),
        verify: format!("/verify/{}", content.verify_code),
        serial: content.serial,
        verify_code: content.verify_code,
    })
}

const NUMERALS: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

/// The report as blocks for the PDF.
pub fn document(c: &ReportContent, verify_url: &str) -> Doc {
    let mut b = vec![
        Block::Space(40.0),
        Block::Centered(Style::Title, kind_label(&c.kind).into()),
        Block::Space(6.0),
        Block::Centered(Style::Body, c.basics.name.clone()),
        Block::Space(16.0),
        Block::Pair("报告编号".into(), c.serial.clone()),
        Block::Pair("出具时间".into(), c.issued_at.clone()),
        Block::Pair("验证码".into(), c.verify_code.clone()),
        Block::Pair(
            "查询期".into(),
            if c.kind == "special" {
                format!("{} 至 {}", c.period_from, c.period_to)
            } else {
                format!("截至 {} 处于公示期内的信息", c.period_to)
            },
        ),
        Block::Pair("申请人".into(), c.applicant.clone()),
        Block::Pair("查询用途".into(), c.purpose.clone()),
    ];
    if !c.matter.is_empty() {
        b.push(Block::Pair("办理事项".into(), c.matter.clone()));
    }
    b.push(Block::Rule);
    b.push(Block::Space(6.0));
    b.push(Block::KeepTogether(80.0));
    b.push(Block::Text(Style::Heading, 0.0, "一、基本信息".into()));
    let basics = &c.basics;
    for (label, value) in [
        ("主体名称", &basics.name),
        ("统一社会信用代码", &basics.uscc),
        ("主体类别", &basics.kind_label),
        ("法定代表人", &basics.legal_rep),
        ("所在地区", &basics.county),
        ("成立日期", &basics.established_on),
        ("住所", &basics.address),
        ("证件号码", &basics.id_masked),
    ] {
        if !value.is_empty() {
            b.push(Block::Pair(label.into(), value.clone()));
        }
    }
    for (i, s) in c.sections.iter().enumerate() {
        b.push(Block::Space(8.0));
        b.push(Block::KeepTogether(60.0));
        b.push(Block::Text(
            Style::Heading,
            0.0,
            format!("{}、{}", NUMERALS.get(i + 1).unwrap_or(&"十二"), s.title),
        ));
        if s.is_empty() {
            b.push(Block::Text(Style::Body, 14.0, EMPTY_SECTION.into()));
            continue;
        }
        for (n, r) in s.records.iter().enumerate() {
            b.push(Block::KeepTogether(70.0));
            let heading = if r.kind == "penalty" {
                "行政处罚"
            } else {
                "行政许可"
            };
            b.push(Block::Text(
                Style::Body,
                0.0,
                format!("（{}）{}：{}", n + 1, heading, r.title),
            ));
            if r.repaired {
                b.push(Block::Text(Style::Mark, 14.0, "已修复".into()));
            }
            for (label, value) in [
                ("决定文书号", &r.decision_no),
                ("决定日期", &r.decision_date),
                ("决定机关", &r.authority),
                ("类别", &r.category),
                ("内容", &r.content),
                ("罚款金额", &r.amount),
                ("有效期至", &r.valid_to),
                ("公示截止", &r.display_until),
            ] {
                if !value.is_empty() {
                    b.push(Block::Pair(label.into(), value.clone()));
                }
            }
        }
        for (n, e) in s.entries.iter().enumerate() {
            b.push(Block::KeepTogether(60.0));
            b.push(Block::Text(
                Style::Body,
                0.0,
                format!("（{}）{}", n + 1, e.class_name),
            ));
            for (label, value) in &e.fields {
                b.push(Block::Pair(label.clone(), value.clone()));
            }
        }
        for t in &s.text {
            b.push(Block::Text(Style::Body, 14.0, t.clone()));
        }
    }
    b.push(Block::Space(12.0));
    b.push(Block::Rule);
    b.push(Block::Text(Style::Note, 0.0, "说明".into()));
    for note in [
        format!("1. 本报告由{}依据截至出具时间归集的公共信用信息生成，信息来源于各信源单位。", crate::SITE_NAME),
        format!("2. 核验真伪：扫描首页右上角二维码，或访问 {verify_url}（验证码 {}）。", c.verify_code),
        "3. 本报告文件附平台电子签名（Ed25519，签名行位于文件末尾），公钥见核验页面，可离线校验文件是否被改动。".into(),
        "4. 报告内容仅供申请人在所述用途中使用，不得用于其他用途。".into(),
    ] {
        b.push(Block::Text(Style::Note, 0.0, note));
    }
    Doc {
        title: format!("{}（{}）", kind_label(&c.kind), c.basics.name),
        blocks: b,
        qr_url: verify_url.into(),
        footer: format!("报告编号 {}", c.serial),
    }
}

/// The verification page's answer for a code.
pub async fn check_code(state: &AppState, code: &str) -> Result<ReportCheck, AppError> {
    let code = code.trim().to_uppercase();
    let row =
        sqlx::query("SELECT content, pdf, pdf_sha256 FROM credit_reports WHERE verify_code = $1")
            .bind(&code)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| AppError::NotFound("与该验证码对应的报告".into()))?;
    let content: ReportContent = serde_json::from_str(&row.try_get::<String, _>("content")?)
        .map_err(|e| AppError::internal("report content", e))?;
    let pdf: Vec<u8> = row.try_get("pdf")?;
    let key = signing::signing_key(&state.secrets.report_signing_seed).verifying_key();
    let valid = matches!(signing::check(&key, &pdf), signing::Check::Valid { .. });
    let scrub = super::records::Scrub::of(state).await?;
    Ok(summary(&content, row.try_get("pdf_sha256")?, valid, &scrub))
}

/// What the verification page shows of a stored report; its texts pass the publication guard again
/// (reports issued before a fix or a policy change included).
fn summary(
    c: &ReportContent,
    sha: String,
    valid: bool,
    scrub: &super::records::Scrub,
) -> ReportCheck {
    ReportCheck {
        serial: c.serial.clone(),
        verify_code: c.verify_code.clone(),
        kind_label: kind_label(&c.kind).into(),
        subject_name: scrub.text(&c.basics.name),
        subject_code: c.basics.uscc.clone(),
        issued_at: c.issued_at.clone(),
        period: if c.kind == "special" {
            format!("{} 至 {}", c.period_from, c.period_to)
        } else {
            format!("截至 {} 处于公示期内的信息", c.period_to)
        },
        pdf_sha256: sha,
        contents: c
            .sections
            .iter()
            .map(|s| {
                let mut items: Vec<String> = s
                    .records
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} {}{}",
                            r.decision_date,
                            scrub.text(&r.decision_no),
                            scrub.text(&r.authority),
                            if r.repaired { "（已修复）" } else { "" }
                        )
                    })
                    .collect();
                items.extend(
                    s.entries
                        .iter()
                        .map(|e| format!("{} {}", e.date, scrub.text(&e.class_name))),
                );
                if items.is_empty() && s.text.is_empty() {
                    items.push(EMPTY_SECTION.into());
                }
                (s.title.clone(), items)
            })
            .collect(),
        signature_valid: valid,
    }
}

/// Checks an uploaded file: its signature, and that the platform issued it.
pub async fn check_file(state: &AppState, file: &[u8]) -> Result<Option<ReportCheck>, AppError> {
    let key = signing::signing_key(&state.secrets.report_signing_seed).verifying_key();
    let signing::Check::Valid { sha256 } = signing::check(&key, file) else {
        return Ok(None);
    };
    let Some(row) = sqlx::query("SELECT content FROM credit_reports WHERE pdf_sha256 = $1")
        .bind(&sha256)
        .fetch_optional(&state.db.pool)
        .await?
    else {
        return Ok(None);
    };
    let content: ReportContent = serde_json::from_str(&row.try_get::<String, _>("content")?)
        .map_err(|e| AppError::internal("report content", e))?;
    let scrub = super::records::Scrub::of(state).await?;
    Ok(Some(summary(&content, sha256, true, &scrub)))
}

/// The signed PDF of a report, by its verification code.
pub async fn pdf_by_code(state: &AppState, code: &str) -> Result<(String, Vec<u8>), AppError> {
    let row = sqlx::query("SELECT serial, pdf FROM credit_reports WHERE verify_code = $1")
        .bind(code.trim().to_uppercase())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("该报告".into()))?;
    Ok((row.try_get("serial")?, row.try_get("pdf")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: &str) -> ReportRequest {
        ReportRequest {
            kind: kind.into(),
            subject: "x".into(),
            applicant: "张三".into(),
            purpose: "招投标".into(),
            ..Default::default()
        }
    }

    #[test]
    fn requests_are_checked_with_chinese_messages() {
        let today = Ymd::new(2026, 11, 30);
        assert!(validate(&req("public"), false, today).is_ok());
        let mut r = req("public");
        r.applicant = String::new();
        let Err(AppError::Validation(e)) = validate(&r, false, today) else {
            panic!()
        };
        assert_eq!(e[0].field, "applicant");
        // Staff must name the matter.
        assert!(validate(&req("public"), true, today).is_err());
        let mut s = req("special");
        s.from = "2021-11-29".into();
        s.to = "2026-11-30".into();
        assert!(validate(&s, false, today).is_err(), "more than 5 years");
        s.from = "2021-11-30".into();
        assert!(validate(&s, false, today).is_ok());
        s.to = "2026-12-01".into();
        assert!(validate(&s, false, today).is_err(), "ends in the future");
    }
}
