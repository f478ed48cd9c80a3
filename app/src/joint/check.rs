//! The 联合奖惩 check as rules (docs/domain.md §8): what a subject query is (a unified social credit
//! code, a resident ID number or an organisation's name), what feedback must say, and when feedback is
//! late. Pure and shared with the WASM, so the console's form checks as the server does.
use crate::error::FieldError;
use crate::rules::date::Ymd;
use crate::rules::workdays::Calendar;
use crate::rules::{resident_id, uscc};
use serde::{Deserialize, Serialize};

/// The longest name a query may carry.
pub const MAX_NAME: usize = 100;
/// The longest feedback result or reason.
pub const MAX_TEXT: usize = 500;
/// Working days a handler has to record feedback on a check with hits, until the office sets another.
pub const DEFAULT_FEEDBACK_DAYS: u32 = 5;

/// How the subject is named. `Auto` reads the text: 18 characters that pass the USCC check are a code,
/// 15 or 18 digits (a final X allowed) an ID number, anything else a name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    #[default]
    Auto,
    Uscc,
    IdNumber,
    Name,
}

impl SubjectKind {
    pub fn parse(raw: &str) -> Option<SubjectKind> {
        Some(match raw.trim() {
            "" | "auto" => SubjectKind::Auto,
            "uscc" => SubjectKind::Uscc,
            "id_number" => SubjectKind::IdNumber,
            "name" => SubjectKind::Name,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Auto => "auto",
            SubjectKind::Uscc => "uscc",
            SubjectKind::IdNumber => "id_number",
            SubjectKind::Name => "name",
        }
    }
}

/// A subject query after its checks: the normalised code, number or name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Uscc(String),
    /// The 18-digit number (a 15-digit one is upgraded).
    IdNumber(String),
    Name(String),
}

impl Subject {
    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::Uscc(_) => SubjectKind::Uscc,
            Subject::IdNumber(_) => SubjectKind::IdNumber,
            Subject::Name(_) => SubjectKind::Name,
        }
    }

    /// What the log and the screen show: an ID number masked, the rest as given.
    pub fn shown(&self) -> String {
        match self {
            Subject::Uscc(s) | Subject::Name(s) => s.clone(),
            Subject::IdNumber(n) => crate::rules::mask::resident_id(n),
        }
    }
}

fn error(code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: "subject".into(),
        code: code.into(),
        message: message.into(),
    }
}

fn looks_like_id_number(s: &str) -> bool {
    let n = s.chars().count();
    (n == 15 || n == 18)
        && s.chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (n == 18 && i == 17 && matches!(c, 'X' | 'x')))
}

/// How an `Auto` query reads. Eighteen digits may be either a resident ID number or an all-digit code:
/// a valid number is a number, a valid code a code; when neither holds, a number whose region and
/// birth date read is taken for a mistyped number, anything else for a mistyped code.
fn auto_kind(text: &str, today: Ymd) -> SubjectKind {
    use resident_id::ResidentIdError as E;
    if looks_like_id_number(text) {
        match resident_id::validate(text, today) {
            Ok(_) => return SubjectKind::IdNumber,
            Err(E::BadRegion { .. } | E::BadBirthDate { .. }) if text.chars().count() == 18 => {}
            Err(_) => {
                if text.chars().count() == 15 || uscc::validate(text).is_err() {
                    return SubjectKind::IdNumber;
                }
            }
        }
    }
    if text.chars().count() == 18 && text.is_ascii() {
        SubjectKind::Uscc
    } else {
        SubjectKind::Name
    }
}

/// Reads a subject query of `kind`. `today` dates the ID number's birth-date check.
pub fn parse_subject(raw: &str, kind: SubjectKind, today: Ymd) -> Result<Subject, FieldError> {
    let text = crate::rules::normalize::to_half_width(raw)
        .trim()
        .to_string();
    if text.is_empty() {
        return Err(error(
            "SUBJECT_REQUIRED",
            "请填写核查对象：统一社会信用代码、公民身份号码或单位名称。",
        ));
    }
    let kind = match kind {
        SubjectKind::Auto => auto_kind(&text, today),
        k => k,
    };
    match kind {
        SubjectKind::Uscc => uscc::validate(&text)
            .map(|info| Subject::Uscc(info.code))
            .map_err(|e| error(e.code(), format!("统一社会信用代码有误：{}", e.message()))),
        SubjectKind::IdNumber => resident_id::validate(&text, today)
            .map(|info| Subject::IdNumber(info.number))
            .map_err(|e| error(e.code(), format!("公民身份号码有误：{}", e.message()))),
        _ => {
            let n = text.chars().count();
            if !(2..=MAX_NAME).contains(&n) || text.chars().any(char::is_control) {
                return Err(error(
                    "SUBJECT_NAME_INVALID",
                    format!("单位名称应为 2 至 {MAX_NAME} 个字，且不含控制字符；核查自然人请填写公民身份号码。"),
                ));
            }
            Ok(Subject::Name(text))
        }
    }
}

/// The headers a batch spreadsheet's subject columns may have, and how each column reads.
pub const SUBJECT_COLUMNS: [(&[&str], SubjectKind); 4] = [
    (
        &["统一社会信用代码", "社会信用代码", "信用代码"],
        SubjectKind::Uscc,
    ),
    (
        &["公民身份号码", "身份证号码", "身份证号", "证件号码"],
        SubjectKind::IdNumber,
    ),
    (
        &["单位名称", "企业名称", "主体名称", "名称"],
        SubjectKind::Name,
    ),
    (&["核查对象"], SubjectKind::Auto),
];

/// The subject columns of a batch spreadsheet's header: (column, how it reads), in the order above.
pub fn subject_columns(headers: &[String]) -> Result<Vec<(usize, SubjectKind)>, FieldError> {
    let mut found = vec![];
    for (names, kind) in SUBJECT_COLUMNS {
        if let Some(i) = headers.iter().position(|h| names.contains(&h.trim())) {
            found.push((i, kind));
        }
    }
    if found.is_empty() {
        return Err(FieldError {
            field: "file".into(),
            code: "NO_SUBJECT_COLUMN".into(),
            message: "表格第一行应有“统一社会信用代码”“单位名称”“公民身份号码”或“核查对象”列。"
                .into(),
        });
    }
    Ok(found)
}

/// A row's subject: the first subject column with a value, and how it reads. `None` for an empty row.
pub fn row_subject(
    columns: &[(usize, SubjectKind)],
    row: &[String],
) -> Option<(String, SubjectKind)> {
    columns.iter().find_map(|(i, kind)| {
        let v = row.get(*i)?.trim();
        (!v.is_empty()).then(|| (v.to_string(), *kind))
    })
}

/// Feedback on a check as the handler gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackInput {
    /// Whether the measures were applied.
    #[serde(default)]
    pub applied: bool,
    /// Codes of the measures applied (of those the check answered); empty when none was.
    #[serde(default)]
    pub measures: Vec<String>,
    /// What came of the matter: 不予受理, 容缺受理, 从严审核后办结 …
    #[serde(default)]
    pub result: String,
    /// Why the measures were not applied; required then.
    #[serde(default)]
    pub reason: String,
}

/// Feedback after its checks, against the measures the check answered (`offered`: their codes).
pub fn check_feedback(
    f: &FeedbackInput,
    offered: &[String],
) -> Result<FeedbackInput, Vec<FieldError>> {
    let mut errors = vec![];
    let field = |field: &str, code: &str, message: String| FieldError {
        field: field.into(),
        code: code.into(),
        message,
    };
    let result = f.result.trim().to_string();
    let reason = f.reason.trim().to_string();
    if result.is_empty() || result.chars().count() > MAX_TEXT {
        errors.push(field(
            "result",
            "RESULT_REQUIRED",
            format!("请填写办理结果（不超过 {MAX_TEXT} 字），如“不予受理”“容缺受理，已办结”。"),
        ));
    }
    let mut measures: Vec<String> = vec![];
    for m in &f.measures {
        let m = m.trim();
        if m.is_empty() || measures.iter().any(|x| x == m) {
            continue;
        }
        if !offered.iter().any(|o| o == m) {
            errors.push(field(
                "measures",
                "MEASURE_NOT_OFFERED",
                format!("措施 {m} 不在本次核查给出的措施中：请只选择核查结果列出的措施。"),
            ));
        }
        measures.push(m.to_string());
    }
    if f.applied && measures.is_empty() && !offered.is_empty() {
        errors.push(field(
            "measures",
            "MEASURES_REQUIRED",
            "已采取措施时，请勾选实际采取的措施。".into(),
        ));
    }
    if !f.applied {
        measures.clear();
        if reason.is_empty() || reason.chars().count() > MAX_TEXT {
            errors.push(field(
                "reason",
                "REASON_REQUIRED",
                format!("未采取措施时，请说明原因（不超过 {MAX_TEXT} 字）。"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(FeedbackInput {
            applied: f.applied,
            measures,
            result,
            reason: if f.applied { String::new() } else { reason },
        })
    } else {
        Err(errors)
    }
}

/// The last day feedback is on time: `days` working days after the check's day.
pub fn feedback_due(cal: &Calendar, checked_on: Ymd, days: u32) -> Ymd {
    cal.add_working_days(checked_on, days)
}

/// Feedback not given by `today`, after its due day.
pub fn overdue(due: Ymd, answered: bool, today: Ymd) -> bool {
    !answered && today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Ymd {
        Ymd::parse_iso(s).unwrap()
    }

    const TODAY: &str = "2026-12-07";

    #[test]
    fn auto_reads_codes_numbers_and_names() {
        let today = d(TODAY);
        let code = uscc::compose('9', '1', "433101", 1);
        assert_eq!(
            parse_subject(&code, SubjectKind::Auto, today),
            Ok(Subject::Uscc(code.clone()))
        );
        let id = resident_id::compose("433101", d("1980-05-06"), 12);
        let parsed = parse_subject(&id.to_lowercase(), SubjectKind::Auto, today).unwrap();
        assert_eq!(parsed, Subject::IdNumber(id.clone()));
        assert!(parsed.shown().contains('*'), "an ID number is shown masked");
        assert_eq!(
            parse_subject(" 湘西某某有限公司 ", SubjectKind::Auto, today),
            Ok(Subject::Name("湘西某某有限公司".into()))
        );
    }

    #[test]
    fn malformed_subjects_name_the_fault() {
        let today = d(TODAY);
        let mut code = uscc::compose('9', '1', "433101", 1);
        let last = if code.ends_with('0') { '1' } else { '0' };
        code.pop();
        code.push(last);
        let e = parse_subject(&code, SubjectKind::Auto, today).unwrap_err();
        assert_eq!(e.code, "USCC_CHECK_CHAR");
        assert_eq!(e.field, "subject");
        let mut id = resident_id::compose("433101", d("1980-05-06"), 12);
        let last = if id.ends_with('0') { '1' } else { '0' };
        id.pop();
        id.push(last);
        assert_eq!(
            parse_subject(&id, SubjectKind::Auto, today)
                .unwrap_err()
                .code,
            "RID_CHECK_CHAR"
        );
        let e = parse_subject("43310119800506001", SubjectKind::IdNumber, today).unwrap_err();
        assert_eq!(e.code, "RID_LENGTH");
        assert_eq!(
            parse_subject("", SubjectKind::Auto, today)
                .unwrap_err()
                .code,
            "SUBJECT_REQUIRED"
        );
        assert_eq!(
            parse_subject("某", SubjectKind::Name, today)
                .unwrap_err()
                .code,
            "SUBJECT_NAME_INVALID"
        );
        assert_eq!(SubjectKind::parse("passport"), None);
    }

    #[test]
    fn a_batch_row_reads_its_first_filled_subject_column() {
        let headers: Vec<String> = ["序号", "企业名称", "统一社会信用代码"]
            .map(String::from)
            .to_vec();
        let cols = subject_columns(&headers).unwrap();
        assert_eq!(cols, vec![(2, SubjectKind::Uscc), (1, SubjectKind::Name)]);
        let row = |a: &str, b: &str| vec!["1".to_string(), a.to_string(), b.to_string()];
        assert_eq!(
            row_subject(&cols, &row("某公司", " 9143X ")),
            Some(("9143X".into(), SubjectKind::Uscc))
        );
        assert_eq!(
            row_subject(&cols, &row("某公司", "")),
            Some(("某公司".into(), SubjectKind::Name))
        );
        assert_eq!(row_subject(&cols, &row("", "")), None);
        assert_eq!(
            subject_columns(&["序号".to_string()]).unwrap_err().code,
            "NO_SUBJECT_COLUMN"
        );
    }

    #[test]
    fn feedback_needs_a_result_and_a_reason_when_not_applied() {
        let offered = vec!["JC-01".to_string(), "JC-02".to_string()];
        let ok = check_feedback(
            &FeedbackInput {
                applied: true,
                measures: vec!["JC-01".into(), "JC-01".into()],
                result: " 不予受理 ".into(),
                reason: "ignored".into(),
            },
            &offered,
        )
        .unwrap();
        assert_eq!(ok.measures, vec!["JC-01".to_string()]);
        assert_eq!((ok.result.as_str(), ok.reason.as_str()), ("不予受理", ""));
        let codes = |f: FeedbackInput| -> Vec<String> {
            check_feedback(&f, &offered)
                .unwrap_err()
                .into_iter()
                .map(|e| e.code)
                .collect()
        };
        assert_eq!(
            codes(FeedbackInput {
                applied: false,
                ..Default::default()
            }),
            vec!["RESULT_REQUIRED", "REASON_REQUIRED"]
        );
        assert_eq!(
            codes(FeedbackInput {
                applied: true,
                result: "办结".into(),
                ..Default::default()
            }),
            vec!["MEASURES_REQUIRED"]
        );
        assert_eq!(
            codes(FeedbackInput {
                applied: true,
                measures: vec!["JL-09".into()],
                result: "办结".into(),
                ..Default::default()
            }),
            vec!["MEASURE_NOT_OFFERED"]
        );
    }

    #[test]
    fn feedback_is_late_after_five_working_days() {
        let cal = Calendar::builtin();
        // Monday 2026-12-07: five working days later is Monday 2026-12-14.
        let due = feedback_due(&cal, d("2026-12-07"), DEFAULT_FEEDBACK_DAYS);
        assert_eq!(due, d("2026-12-14"));
        assert!(!overdue(due, false, d("2026-12-14")));
        assert!(overdue(due, false, d("2026-12-15")));
        assert!(!overdue(due, true, d("2026-12-15")));
    }
}
