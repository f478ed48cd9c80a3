//! The document fields of a policy article (政策法规): issuing body, document number (文号), level,
//! dates issued and effective, and status. Shared by the CMS editor (checks as it saves) and the
//! portal (labels and filters).
use crate::error::FieldError;
use crate::rules::date::Ymd;
use serde::{Deserialize, Serialize};

/// The longest 文号 accepted (free text: numbering differs between issuers).
pub const NUMBER_MAX: usize = 100;
/// The longest issuing body accepted.
pub const ISSUER_MAX: usize = 100;

/// Who issued it: the administrative level (code, label).
pub const LEVELS: [(&str, &str); 4] = [
    ("national", "国家"),
    ("provincial", "省级"),
    ("prefecture", "州级"),
    ("county", "县级"),
];

/// Whether it is in force (code, label).
pub const STATUSES: [(&str, &str); 3] = [
    ("effective", "有效"),
    ("amended", "已修订"),
    ("repealed", "已废止"),
];

/// The document fields. Codes as in `LEVELS` and `STATUSES`; dates as YYYY-MM-DD, empty when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyDoc {
    pub issuer: String,
    pub number: String,
    pub level: String,
    pub issued_on: String,
    pub effective_on: String,
    pub status: String,
}

fn label_of(list: &[(&'static str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| label)
}

/// 国家, 省级, 州级, 县级 (empty for an unknown code).
pub fn level_label(code: &str) -> &'static str {
    label_of(&LEVELS, code)
}

/// 有效, 已修订, 已废止 (empty for an unknown code).
pub fn status_label(code: &str) -> &'static str {
    label_of(&STATUSES, code)
}

fn invalid(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: "POLICY_INVALID".into(),
        message: message.into(),
    }
}

/// A date field: empty, or a real calendar day written YYYY-MM-DD.
fn day(field: &str, what: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Ymd> {
    if text.is_empty() {
        return None;
    }
    let parsed = Ymd::parse_iso(text).filter(|d| d.iso() == text);
    if parsed.is_none() {
        errors.push(invalid(
            field,
            format!("{what}不是有效日期，请按“年-月-日”填写，例如 2024-03-01。"),
        ));
    }
    parsed
}

/// Trims the fields and checks them: issuer, level, status and the issue date are required; the
/// effective date, if given, is not before the issue date. Field names are `doc_…`.
pub fn clean(mut d: PolicyDoc) -> Result<PolicyDoc, Vec<FieldError>> {
    for f in [
        &mut d.issuer,
        &mut d.number,
        &mut d.level,
        &mut d.issued_on,
        &mut d.effective_on,
        &mut d.status,
    ] {
        *f = f.trim().to_string();
    }
    let mut errors = vec![];
    if d.issuer.is_empty() {
        errors.push(invalid("doc_issuer", "请填写发文机关。"));
    } else if d.issuer.chars().count() > ISSUER_MAX {
        errors.push(invalid(
            "doc_issuer",
            format!("发文机关不能超过 {ISSUER_MAX} 个字。"),
        ));
    }
    if d.number.chars().count() > NUMBER_MAX {
        errors.push(invalid(
            "doc_number",
            format!("文号不能超过 {NUMBER_MAX} 个字。"),
        ));
    }
    if level_label(&d.level).is_empty() {
        errors.push(invalid("doc_level", "请选择层级：国家、省级、州级或县级。"));
    }
    if status_label(&d.status).is_empty() {
        errors.push(invalid(
            "doc_status",
            "请选择效力状态：有效、已修订或已废止。",
        ));
    }
    let issued = day("doc_issued_on", "成文日期", &d.issued_on, &mut errors);
    if d.issued_on.is_empty() {
        errors.push(invalid("doc_issued_on", "请填写成文（发布）日期。"));
    }
    let effective = day("doc_effective_on", "施行日期", &d.effective_on, &mut errors);
    if let (Some(i), Some(e)) = (issued, effective) {
        if e < i {
            errors.push(invalid("doc_effective_on", "施行日期不能早于成文日期。"));
        }
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PolicyDoc {
        PolicyDoc {
            issuer: " 国务院 ".into(),
            number: " 国发〔2014〕21号 ".into(),
            level: "national".into(),
            issued_on: "2014-06-14".into(),
            effective_on: String::new(),
            status: "effective".into(),
        }
    }

    #[test]
    fn a_complete_document_is_trimmed_and_accepted() {
        let d = clean(doc()).unwrap();
        assert_eq!(
            (d.issuer.as_str(), d.number.as_str()),
            ("国务院", "国发〔2014〕21号")
        );
        assert_eq!(level_label(&d.level), "国家");
        assert_eq!(status_label("repealed"), "已废止");
    }

    #[test]
    fn each_problem_is_named_on_its_field() {
        let mut d = doc();
        d.issuer = "  ".into();
        d.number = "号".repeat(101);
        d.level = "city".into();
        d.status = String::new();
        d.effective_on = "2014-02-30".into();
        let fields: Vec<String> = clean(d).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "doc_issuer",
                "doc_number",
                "doc_level",
                "doc_status",
                "doc_effective_on"
            ]
        );
        let mut d = doc();
        d.effective_on = "2014-06-13".into();
        let e = clean(d).unwrap_err();
        assert_eq!(e[0].message, "施行日期不能早于成文日期。");
        let mut d = doc();
        d.issued_on = String::new();
        assert_eq!(clean(d).unwrap_err()[0].field, "doc_issued_on");
    }
}
