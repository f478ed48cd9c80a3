//! Objections and complaints as pure rules (docs/domain.md §11): the six grounds of an objection, the
//! channels a case comes by, and what the public form and the staff's entry of an offline case must
//! contain. Shared with the WASM, like `repair`.
use super::flow::Kind;
use super::repair::applicant;
use crate::error::{AppError, FieldError};
use crate::help::consult::Contact;
use serde::{Deserialize, Serialize};

/// Proof files of an objection or complaint (none required).
pub const MAX_FILES: usize = 5;
/// The longest description.
pub const MAX_DESCRIPTION: usize = 2000;

/// The grounds of an objection (docs/domain.md §11): (code, label).
pub const GROUNDS: [(&str, &str); 6] = [
    ("wrong", "信息错误"),
    ("missing", "信息遗漏"),
    ("duplicate", "信息重复"),
    ("not_public", "不应公开"),
    ("overdue", "超期公示"),
    ("mismatch", "与认定单位记录不一致"),
];

/// The label of a ground code ("" when unknown).
pub fn ground_label(code: &str) -> &'static str {
    GROUNDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, l)| l)
}

/// The channels a case comes by: (code, label). Staff enter all but the portal.
pub const CHANNELS: [(&str, &str); 4] = [
    ("portal", "网站"),
    ("phone", "电话"),
    ("counter", "窗口"),
    ("letter", "信函"),
];

pub fn channel_label(code: &str) -> &'static str {
    CHANNELS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("网站", |(_, l)| l)
}

/// An objection or complaint as a form sends it (text fields; files are counted by the caller).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    /// `objection` or `complaint`.
    #[serde(default)]
    pub kind: String,
    /// The record's public id (required for an objection, optional for a complaint).
    #[serde(default)]
    pub record: String,
    /// The subject's USCC (an objection: the record's subject; a complaint: optional).
    #[serde(default)]
    pub uscc: String,
    /// An objection's ground code.
    #[serde(default)]
    pub ground: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub by_agent: bool,
    /// `portal`, or the offline channel staff entered it for.
    #[serde(default)]
    pub channel: String,
}

/// A checked objection or complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    pub record: Option<String>,
    pub uscc: Option<String>,
    pub ground: Option<&'static str>,
    pub description: String,
    pub name: String,
    pub contact: Contact,
    pub by_agent: bool,
    pub channel: &'static str,
}

/// Checks the form: every problem at once, in Chinese. `proofs` and `authorisations` are the numbers
/// of files chosen; `offline` says staff entered it (the channel must then be an offline one).
pub fn check(
    a: &Intake,
    proofs: usize,
    authorisations: usize,
    offline: bool,
) -> Result<Checked, AppError> {
    let mut errors = vec![];
    let mut fail = |field: &str, code: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            code: code.into(),
            message,
        })
    };
    let kind = Kind::parse(&a.kind).filter(|k| *k != Kind::Repair);
    if kind.is_none() {
        fail("kind", "KIND_INVALID", "请选择异议申诉或投诉。".into());
    }
    let objection = kind == Some(Kind::Objection);
    let record = Some(a.record.trim().to_string()).filter(|r| !r.is_empty());
    if objection && record.is_none() {
        fail(
            "record",
            "RECORD_MISSING",
            "请从信用主体页面选择要提出异议的信息。".into(),
        );
    }
    let uscc = if a.uscc.trim().is_empty() && !objection {
        None
    } else {
        match crate::rules::uscc::validate(&a.uscc) {
            Ok(info) => Some(info.code),
            Err(e) => {
                fail("uscc", e.code(), e.message());
                None
            }
        }
    };
    let ground = GROUNDS
        .iter()
        .find(|(c, _)| *c == a.ground.trim())
        .map(|(c, _)| *c);
    if objection && ground.is_none() {
        fail("ground", "GROUND_MISSING", "请选择异议理由。".into());
    }
    let description = a.description.trim().to_string();
    if description.is_empty() {
        fail(
            "description",
            "DESCRIPTION_MISSING",
            "请说明具体情况和诉求。".into(),
        );
    } else if description.chars().count() > MAX_DESCRIPTION {
        fail(
            "description",
            "DESCRIPTION_TOO_LONG",
            format!("情况说明不能超过 {MAX_DESCRIPTION} 字。"),
        );
    }
    let (name, contact) = applicant(&a.name, &a.contact, &mut fail);
    if proofs > MAX_FILES {
        fail(
            "proof",
            "PROOF_COUNT",
            format!("证明材料最多上传 {MAX_FILES} 份。"),
        );
    }
    if a.by_agent && authorisations == 0 && !offline {
        fail(
            "authorisation",
            "AUTHORISATION_MISSING",
            "代理人申请须上传授权委托书及代理人身份证明。".into(),
        );
    }
    let channel = CHANNELS
        .iter()
        .find(|(c, _)| *c == a.channel.trim())
        .map(|(c, _)| *c);
    let channel = match (offline, channel) {
        (false, _) => Some("portal"),
        (true, Some(c)) if c != "portal" => Some(c),
        (true, _) => {
            fail(
                "channel",
                "CHANNEL_INVALID",
                "请选择来源渠道（电话、窗口或信函）。".into(),
            );
            None
        }
    };
    match (kind, contact, channel) {
        (Some(kind), Some(contact), Some(channel)) if errors.is_empty() => Ok(Checked {
            kind,
            record,
            uscc,
            ground: ground.filter(|_| objection),
            description,
            name,
            contact,
            by_agent: a.by_agent,
            channel,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objection() -> Intake {
        Intake {
            kind: "objection".into(),
            record: "r1".into(),
            uscc: crate::rules::uscc::compose('9', '1', "433101", 12_345),
            ground: "wrong".into(),
            description: "处罚金额与决定书不一致。".into(),
            name: "张三".into(),
            contact: "13812345678".into(),
            ..Default::default()
        }
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(list) => list.into_iter().map(|f| f.field).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn an_objection_needs_its_record_ground_and_subject() {
        let c = check(&objection(), 1, 0, false).unwrap();
        assert_eq!(
            (c.kind, c.ground, c.channel),
            (Kind::Objection, Some("wrong"), "portal")
        );
        let bad = Intake {
            record: " ".into(),
            uscc: String::new(),
            ground: "angry".into(),
            description: String::new(),
            by_agent: true,
            ..objection()
        };
        assert_eq!(
            fields(check(&bad, 6, 0, false).unwrap_err()),
            [
                "record",
                "uscc",
                "ground",
                "description",
                "proof",
                "authorisation"
            ]
        );
    }

    #[test]
    fn a_complaint_may_concern_no_record() {
        let c = check(
            &Intake {
                kind: "complaint".into(),
                record: String::new(),
                uscc: String::new(),
                ground: "wrong".into(),
                ..objection()
            },
            0,
            0,
            false,
        )
        .unwrap();
        assert_eq!((c.record, c.uscc, c.ground), (None, None, None));
        let repair = Intake {
            kind: "repair".into(),
            ..objection()
        };
        assert_eq!(fields(check(&repair, 0, 0, false).unwrap_err()), ["kind"]);
    }

    #[test]
    fn staff_name_an_offline_channel() {
        let phone = Intake {
            channel: "phone".into(),
            by_agent: true,
            ..objection()
        };
        assert_eq!(check(&phone, 0, 0, true).unwrap().channel, "phone");
        for channel in ["", "portal", "fax"] {
            let i = Intake {
                channel: channel.into(),
                ..objection()
            };
            assert_eq!(fields(check(&i, 0, 0, true).unwrap_err()), ["channel"]);
        }
        assert_eq!(ground_label("overdue"), "超期公示");
        assert_eq!(channel_label("letter"), "信函");
    }
}
