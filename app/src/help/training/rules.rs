//! The rules of training sessions, without a database: the kinds and states, the checks of the
//! session and attendee forms (every problem at once, in Chinese) and the certificate number.
use crate::error::{AppError, FieldError};
use crate::help::consult::{parse_contact, Contact};
use crate::rules::date::Ymd;
use serde::{Deserialize, Serialize};

/// The kinds of training (code, label).
pub const KINDS: &[(&str, &str)] = &[
    ("platform", "平台使用培训"),
    ("repair", "信用修复培训"),
    ("submission", "数据报送培训"),
];

/// The states of a session (code, label).
pub const STATUSES: &[(&str, &str)] = &[
    ("planned", "计划"),
    ("done", "已结束"),
    ("cancelled", "已取消"),
];

const MAX_TITLE: usize = 100;
const MAX_PLACE: usize = 300;
const MAX_NAME: usize = 30;
const MAX_ORGANISATION: usize = 100;
pub const MAX_CAPACITY: i64 = 2_000;

fn label_of(table: &'static [(&'static str, &'static str)], code: &str) -> &'static str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn kind_label(code: &str) -> &'static str {
    label_of(KINDS, code)
}

pub fn status_label(code: &str) -> &'static str {
    label_of(STATUSES, code)
}

fn code_in(table: &'static [(&'static str, &'static str)], raw: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _)| *c == raw.trim())
        .map(|(c, _)| *c)
}

/// A session as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInput {
    pub title: String,
    pub kind: String,
    /// YYYY-MM-DD and HH:MM, Beijing time.
    pub date: String,
    pub time: String,
    pub place: String,
    /// A department's public id ("" for the credit office itself).
    pub department: String,
    pub capacity: String,
    pub status: String,
}

/// A checked session form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSession {
    pub title: String,
    pub kind: &'static str,
    pub date: Ymd,
    pub time: String,
    pub place: String,
    pub department: String,
    pub capacity: i64,
    pub status: &'static str,
}

/// Collects field errors so that a form's every problem is reported at once.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        });
    }
}

/// A text field: trimmed, required, at most `max` characters.
fn text(e: &mut Errors, field: &str, raw: &str, max: usize, what: &str) -> String {
    let v = raw.trim().to_string();
    if v.is_empty() {
        e.add(field, "REQUIRED", &format!("请填写{what}。"));
    } else if v.chars().count() > max {
        e.add(field, "TOO_LONG", &format!("{what}不能超过 {max} 个字。"));
    }
    v
}

/// HH:MM on a 24-hour clock.
fn valid_time(raw: &str) -> bool {
    let Some((h, m)) = raw.split_once(':') else {
        return false;
    };
    h.len() == 2
        && m.len() == 2
        && h.parse::<u32>().is_ok_and(|h| h < 24)
        && m.parse::<u32>().is_ok_and(|m| m < 60)
}

pub fn check_session(s: &SessionInput) -> Result<CheckedSession, AppError> {
    let mut e = Errors::default();
    let title = text(&mut e, "title", &s.title, MAX_TITLE, "培训名称");
    let kind = code_in(KINDS, &s.kind);
    if kind.is_none() {
        e.add("kind", "KIND_MISSING", "请选择培训类别。");
    }
    let date = Ymd::parse_iso(s.date.trim());
    if date.is_none() {
        e.add("date", "DATE_INVALID", "请填写正确的培训日期。");
    }
    let time = s.time.trim().to_string();
    if !valid_time(&time) {
        e.add("time", "TIME_INVALID", "请填写正确的开始时间（如 09:30）。");
    }
    let place = text(
        &mut e,
        "place",
        &s.place,
        MAX_PLACE,
        "培训地点或线上会议链接",
    );
    let capacity = s.capacity.trim().parse::<i64>().ok();
    if !capacity.is_some_and(|c| (1..=MAX_CAPACITY).contains(&c)) {
        e.add(
            "capacity",
            "CAPACITY_INVALID",
            "名额须为 1 到 2000 之间的整数。",
        );
    }
    let status = if s.status.trim().is_empty() {
        Some("planned")
    } else {
        code_in(STATUSES, &s.status)
    };
    if status.is_none() {
        e.add("status", "STATUS_INVALID", "请选择培训状态。");
    }
    match (kind, date, capacity, status) {
        (Some(kind), Some(date), Some(capacity), Some(status)) if e.0.is_empty() => {
            Ok(CheckedSession {
                title,
                kind,
                date,
                time,
                place,
                department: s.department.trim().to_string(),
                capacity,
                status,
            })
        }
        _ => Err(AppError::Validation(e.0)),
    }
}

/// An attendee as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeInput {
    pub name: String,
    pub organisation: String,
    pub uscc: String,
    pub phone: String,
}

/// A checked attendee: the phone in full (to seal) and masked (to show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAttendee {
    pub name: String,
    pub organisation: String,
    pub uscc: String,
    pub phone: String,
    pub phone_masked: String,
}

/// A repair training's attendee names the subject by its USCC (the repair case links by it).
pub fn check_attendee(a: &AttendeeInput, repair: bool) -> Result<CheckedAttendee, AppError> {
    let mut e = Errors::default();
    let name = text(&mut e, "name", &a.name, MAX_NAME, "姓名");
    let organisation = text(
        &mut e,
        "organisation",
        &a.organisation,
        MAX_ORGANISATION,
        "单位名称",
    );
    let uscc = if a.uscc.trim().is_empty() {
        if repair {
            e.add(
                "uscc",
                "USCC_MISSING",
                "信用修复培训请填写修复主体的统一社会信用代码。",
            );
        }
        String::new()
    } else {
        match crate::rules::uscc::validate(&a.uscc) {
            Ok(info) => info.code,
            Err(err) => {
                e.add("uscc", err.code(), &err.message());
                String::new()
            }
        }
    };
    let phone = match parse_contact(&a.phone) {
        Some(Contact::Mobile(p)) => Some(p),
        _ => None,
    };
    if phone.is_none() {
        e.add("phone", "PHONE_INVALID", "请填写正确的手机号码（11 位）。");
    }
    match phone {
        Some(phone) if e.0.is_empty() => Ok(CheckedAttendee {
            phone_masked: crate::rules::mask::phone(&phone),
            name,
            organisation,
            uscc,
            phone,
        }),
        _ => Err(AppError::Validation(e.0)),
    }
}

/// What every certificate number starts with (湘西培训).
const CERT_PREFIX: &str = "XXPX-";

/// The certificate number of the `seq`-th repair-training certificate of a year: XXPX-2026-00001.
/// Sequential within the year; the unique index decides on a clash.
pub fn certificate_no(year: i32, seq: i64) -> String {
    format!("{}{seq:05}", certificate_prefix(year))
}

/// The prefix every certificate number of a year starts with (for finding the year's last one).
pub fn certificate_prefix(year: i32) -> String {
    format!("{CERT_PREFIX}{year}-")
}

/// The sequence number of a certificate number of the year, if it is one.
pub fn certificate_seq(year: i32, no: &str) -> Option<i64> {
    no.strip_prefix(&certificate_prefix(year))?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> SessionInput {
        SessionInput {
            title: "信用修复专题培训".into(),
            kind: "repair".into(),
            date: "2026-12-18".into(),
            time: "09:30".into(),
            place: "湘西州政务服务中心三楼会议室".into(),
            department: String::new(),
            capacity: "60".into(),
            status: String::new(),
        }
    }

    #[test]
    fn a_good_session_passes() {
        let c = check_session(&session()).unwrap();
        assert_eq!(c.kind, "repair");
        assert_eq!(c.status, "planned");
        assert_eq!(c.capacity, 60);
    }

    #[test]
    fn every_problem_at_once_in_chinese() {
        let bad = SessionInput {
            title: " ".into(),
            kind: "x".into(),
            date: "2026-13-01".into(),
            time: "25:00".into(),
            place: String::new(),
            capacity: "0".into(),
            ..session()
        };
        let Err(AppError::Validation(errors)) = check_session(&bad) else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["title", "kind", "date", "time", "place", "capacity"]
        );
        assert!(errors.iter().all(|e| e.message.ends_with('。')));
    }

    #[test]
    fn repair_attendees_need_a_uscc_and_phones_are_masked() {
        let a = AttendeeInput {
            name: "向明".into(),
            organisation: "吉首市某商贸有限公司".into(),
            uscc: String::new(),
            phone: "139 0743 1234".into(),
        };
        assert!(check_attendee(&a, false).is_ok());
        assert!(check_attendee(&a, true).is_err());
        let ok = check_attendee(&a, false).unwrap();
        assert_eq!(ok.phone_masked, "139****1234");
        let email = AttendeeInput {
            phone: "a@b.cn".into(),
            ..a
        };
        assert!(check_attendee(&email, false).is_err());
    }

    #[test]
    fn certificate_numbers() {
        let no = certificate_no(2026, 7);
        assert_eq!(no, "XXPX-2026-00007");
        assert_eq!(certificate_seq(2026, &no), Some(7));
        assert_eq!(certificate_seq(2025, &no), None);
    }
}
