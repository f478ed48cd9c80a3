//! Pure rules of a public consultation (咨询/留言): the topics, what a question must contain, the
//! contact check, the tracking code, and the answer deadline in working days (docs/domain.md §13:
//! Hunan expects simple questions answered within 5 working days; §13a for the calendar). Shared
//! with the WASM, so the form checks as the server does.
use crate::error::{AppError, FieldError};
use crate::rules::date::Ymd;
use crate::rules::workdays::Calendar;
use serde::{Deserialize, Serialize};

/// The topics a citizen picks from (code, label).
pub const TOPICS: &[(&str, &str)] = &[
    ("query", "信用查询"),
    ("repair", "信用修复"),
    ("objection", "异议申诉"),
    ("report", "信用报告"),
    ("submission", "数据报送"),
    ("other", "其他"),
];

/// The longest question (and answer) in characters.
pub const MAX_TEXT: usize = 2000;
/// The shortest question worth routing.
pub const MIN_TEXT: usize = 5;
/// The longest name.
pub const MAX_NAME: usize = 30;
/// Working days to answer unless the credit office sets another number (setting `help.answer_days`).
pub const DEFAULT_ANSWER_DAYS: u32 = 5;

pub fn topic_label(code: &str) -> &'static str {
    TOPICS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("其他", |(_, l)| *l)
}

/// Where a consultation is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Received, not yet sent to a unit.
    New,
    /// Sent to a unit (承办单位) to answer.
    Routed,
    Answered,
}

impl Status {
    pub fn code(&self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Routed => "routed",
            Status::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "new" => Some(Status::New),
            "routed" => Some(Status::Routed),
            "answered" => Some(Status::Answered),
            _ => None,
        }
    }

    /// The label the asker and staff read.
    pub fn label(&self) -> &'static str {
        match self {
            Status::New => "已受理，待分办",
            Status::Routed => "办理中",
            Status::Answered => "已答复",
        }
    }
}

/// A question as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub topic: String,
    pub text: String,
    pub name: String,
    pub contact: String,
    pub consent_publish: bool,
}

/// What kind of contact the asker left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    Mobile(String),
    Email(String),
}

impl Contact {
    /// The contact as stored (encrypted) and used.
    pub fn value(&self) -> &str {
        match self {
            Contact::Mobile(v) | Contact::Email(v) => v,
        }
    }

    /// What staff and the asker see: 138****1234, z***@163.com.
    pub fn masked(&self) -> String {
        match self {
            Contact::Mobile(v) => crate::rules::mask::phone(v),
            Contact::Email(v) => match v.split_once('@') {
                Some((user, domain)) => {
                    let first: String = user.chars().take(1).collect();
                    format!("{first}***@{domain}")
                }
                None => crate::rules::mask::person_name(v),
            },
        }
    }
}

/// A mainland mobile (11 digits from 1[3-9]) or a landline with area code (0743-8221234), or an e-mail
/// address. Spaces and hyphens in numbers are dropped.
pub fn parse_contact(raw: &str) -> Option<Contact> {
    let raw = raw.trim();
    if raw.contains('@') {
        let (user, domain) = raw.split_once('@')?;
        let ok_user = !user.is_empty()
            && user.len() <= 64
            && user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
        let ok_domain = domain.len() <= 190
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        return (ok_user && ok_domain).then(|| Contact::Email(raw.to_ascii_lowercase()));
    }
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && digits
            .chars()
            .nth(1)
            .is_some_and(|c| ('3'..='9').contains(&c));
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    (mobile || landline).then_some(Contact::Mobile(digits))
}

/// A checked question: the cleaned fields and the parsed contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub topic: &'static str,
    pub text: String,
    pub name: String,
    pub contact: Contact,
    pub consent_publish: bool,
}

/// Checks the form; every field's problem at once, in Chinese.
pub fn check(q: &Question) -> Result<Checked, AppError> {
    let mut errors = vec![];
    let mut fail = |field: &str, code: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        })
    };
    let topic = TOPICS
        .iter()
        .find(|(c, _)| *c == q.topic.trim())
        .map(|(c, _)| *c);
    if topic.is_none() {
        fail("topic", "TOPIC_MISSING", "请选择咨询类别。");
    }
    let text = q.text.trim().to_string();
    let n = text.chars().count();
    if n < MIN_TEXT {
        fail("text", "TEXT_TOO_SHORT", "请把问题写清楚（至少 5 个字）。");
    } else if n > MAX_TEXT {
        fail("text", "TEXT_TOO_LONG", "问题不能超过 2000 字。");
    }
    let name = q.name.trim().to_string();
    if name.is_empty() {
        fail("name", "NAME_MISSING", "请填写您的姓名或称呼。");
    } else if name.chars().count() > MAX_NAME {
        fail("name", "NAME_TOO_LONG", "姓名不能超过 30 个字。");
    }
    let contact = parse_contact(&q.contact);
    if q.contact.trim().is_empty() {
        fail(
            "contact",
            "CONTACT_MISSING",
            "请留下手机号码或电子邮箱，以便答复。",
        );
    } else if contact.is_none() {
        fail(
            "contact",
            "CONTACT_INVALID",
            "请填写正确的手机号码（11 位）、带区号的固定电话或电子邮箱。",
        );
    }
    match (topic, contact) {
        (Some(topic), Some(contact)) if errors.is_empty() => Ok(Checked {
            topic,
            text,
            name,
            contact,
            consent_publish: q.consent_publish,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Checks an answer or a text to publish.
pub fn check_text(field: &str, text: &str, what: &str) -> Result<String, AppError> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(AppError::field(
            field,
            "TEXT_MISSING",
            format!("请填写{what}。"),
        ));
    }
    if n > MAX_TEXT {
        return Err(AppError::field(
            field,
            "TEXT_TOO_LONG",
            format!("{what}不能超过 2000 字。"),
        ));
    }
    Ok(t.to_string())
}

// ---------------------------------------------------------------------------------------------
// Tracking codes: 9 random characters and a check character (`rules::code`, shared with cases).

/// Characters in a tracking code.
pub const CODE_LEN: usize = 10;

/// A tracking code from `random` (one value per character; any values will do).
pub fn tracking_code(random: &[u32; CODE_LEN - 1]) -> String {
    crate::rules::code::with_check(random)
}

/// A code as typed, made canonical (upper case, spaces and hyphens dropped), if it is well formed.
pub fn normalise_code(typed: &str) -> Option<String> {
    crate::rules::code::normalise(typed, CODE_LEN)
}

// ---------------------------------------------------------------------------------------------
// The deadline.

/// The day the answer is due: the `days`-th working day after the day it was received.
pub fn due_on(cal: &Calendar, received: Ymd, days: u32) -> Ymd {
    cal.add_working_days(received, days)
}

/// An unanswered consultation against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deadline {
    InTime,
    /// Due on the next working day or today: the reminder goes out.
    DueSoon,
    /// Past the due day.
    Overdue,
}

pub fn deadline(cal: &Calendar, today: Ymd, due: Ymd) -> Deadline {
    if today > due {
        Deadline::Overdue
    } else if cal.working_days_between(today, due) <= 1 {
        Deadline::DueSoon
    } else {
        Deadline::InTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workdays::DayKind;

    fn q(topic: &str, text: &str, name: &str, contact: &str) -> Question {
        Question {
            topic: topic.into(),
            text: text.into(),
            name: name.into(),
            contact: contact.into(),
            consent_publish: true,
        }
    }

    #[test]
    fn a_good_question_passes() {
        let c = check(&q(
            "repair",
            "行政处罚信息如何申请信用修复？",
            "张先生",
            "138 1234 5678",
        ))
        .unwrap();
        assert_eq!(c.topic, "repair");
        assert_eq!(c.contact, Contact::Mobile("13812345678".into()));
        assert_eq!(c.contact.masked(), "138****5678");
    }

    #[test]
    fn every_problem_is_named() {
        let Err(AppError::Validation(list)) = check(&q("nope", "问", "", "12345")) else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = list.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["topic", "text", "name", "contact"]);
        let long = "问".repeat(MAX_TEXT + 1);
        assert!(check(&q("other", &long, "李", "13812345678")).is_err());
    }

    #[test]
    fn contacts() {
        assert_eq!(
            parse_contact("Zhang.San@163.com"),
            Some(Contact::Email("zhang.san@163.com".into()))
        );
        assert_eq!(
            parse_contact("zhang.san@163.com").unwrap().masked(),
            "z***@163.com"
        );
        assert_eq!(
            parse_contact("0743-8221234"),
            Some(Contact::Mobile("07438221234".into()))
        );
        for bad in [
            "12812345678",
            "1381234567",
            "a@b",
            "@163.com",
            "x y@163.com",
            "电话",
        ] {
            assert_eq!(parse_contact(bad), None, "{bad}");
        }
    }

    #[test]
    fn tracking_codes_carry_a_check_character() {
        let code = tracking_code(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
        let typed = format!(" {}-{} ", &code[..5].to_lowercase(), &code[5..]);
        assert_eq!(normalise_code(&typed).as_deref(), Some(code.as_str()));
        // One character changed, or a transposition, is caught.
        let mut wrong = code.clone().into_bytes();
        wrong[3] = if wrong[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(normalise_code(&String::from_utf8(wrong).unwrap()), None);
        let mut swapped = code.clone().into_bytes();
        swapped.swap(0, 1);
        if swapped != code.as_bytes() {
            assert_eq!(normalise_code(&String::from_utf8(swapped).unwrap()), None);
        }
        assert_eq!(normalise_code("SHORT"), None);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
    }

    #[test]
    fn five_working_days_skip_weekends_and_holidays() {
        // Received on Monday 2026-12-07; Wednesday the 9th made a holiday.
        let plain = Calendar::new(vec![]);
        let mon = Ymd::new(2026, 12, 7);
        assert_eq!(due_on(&plain, mon, 5), Ymd::new(2026, 12, 14));
        let cal = Calendar::new(vec![(Ymd::new(2026, 12, 9), DayKind::Holiday)]);
        let due = due_on(&cal, mon, 5);
        assert_eq!(due, Ymd::new(2026, 12, 15));
        assert_eq!(deadline(&cal, mon, due), Deadline::InTime);
        assert_eq!(
            deadline(&cal, Ymd::new(2026, 12, 14), due),
            Deadline::DueSoon
        );
        assert_eq!(deadline(&cal, due, due), Deadline::DueSoon);
        assert_eq!(
            deadline(&cal, Ymd::new(2026, 12, 16), due),
            Deadline::Overdue
        );
        // Received on a Friday: the weekend does not count.
        let fri = Ymd::new(2026, 12, 11);
        assert_eq!(due_on(&plain, fri, 5), Ymd::new(2026, 12, 18));
    }
}
