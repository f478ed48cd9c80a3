//! The credit repair application as pure rules (docs/domain.md §10): what the form must contain, the
//! 信用修复型 commitment the applicant accepts, and when a penalty may be repaired. Shared with the
//! WASM, so the form could check as the server does.
use crate::error::{AppError, FieldError};
use crate::help::consult::{parse_contact, Contact};
use serde::{Deserialize, Serialize};

/// Proof files per application.
pub const MIN_FILES: usize = 1;
pub const MAX_FILES: usize = 5;
/// All files of one application together (the route's body limit).
pub const MAX_TOTAL_BYTES: usize = 40 * 1024 * 1024;
/// Characters of a tracking code (15 random letters and a check letter: 74 bits).
pub const CODE_LEN: usize = 16;

/// The 信用修复型 commitment shown on the form and stored with the case.
pub const COMMITMENT: &str = "本主体郑重承诺：已纠正失信行为、履行行政处罚决定规定的义务；所提交的材料真实、合法、有效；\
修复后严格遵守法律法规，诚信经营，不再发生同类违法失信行为；如有虚假或违反承诺，自愿接受撤销信用修复、\
依法依规实施失信惩戒等处理，并将违诺情况记入信用记录。";

/// The application as the form sends it (text fields; files are counted by the caller).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub record: String,
    pub uscc: String,
    pub name: String,
    pub contact: String,
    pub by_agent: bool,
    pub commitment_accepted: bool,
    pub certificate_no: String,
    pub note: String,
}

/// A checked application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub record: String,
    pub uscc: String,
    pub name: String,
    pub contact: Contact,
    pub by_agent: bool,
    pub certificate_no: Option<String>,
    pub note: String,
}

/// Checks the form: every problem at once, in Chinese. `proofs` and `authorisations` are the numbers
/// of files chosen.
pub fn check(a: &Application, proofs: usize, authorisations: usize) -> Result<Checked, AppError> {
    let mut errors = vec![];
    let mut fail = |field: &str, code: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            code: code.into(),
            message,
        })
    };
    let uscc = match crate::rules::uscc::validate(&a.uscc) {
        Ok(info) => Some(info.code),
        Err(e) => {
            fail("uscc", e.code(), e.message());
            None
        }
    };
    let (name, contact) = applicant(&a.name, &a.contact, &mut fail);
    if !(MIN_FILES..=MAX_FILES).contains(&proofs) {
        fail(
            "proof",
            "PROOF_COUNT",
            format!("请上传 {MIN_FILES} 至 {MAX_FILES} 份履行义务的证明材料（如罚款缴纳凭证、整改报告）。"),
        );
    }
    if a.by_agent && authorisations == 0 {
        fail(
            "authorisation",
            "AUTHORISATION_MISSING",
            "代理人申请须上传授权委托书及代理人身份证明。".into(),
        );
    }
    if !a.commitment_accepted {
        fail(
            "commitment",
            "COMMITMENT_MISSING",
            "请阅读并勾选同意信用修复承诺。".into(),
        );
    }
    let certificate_no =
        Some(a.certificate_no.trim().to_ascii_uppercase()).filter(|c| !c.is_empty());
    if certificate_no
        .as_ref()
        .is_some_and(|c| c.chars().count() > 30)
    {
        fail(
            "certificate_no",
            "CERTIFICATE_INVALID",
            "培训证书编号格式不正确。".into(),
        );
    }
    let note = a.note.trim().to_string();
    if note.chars().count() > 1000 {
        fail("note", "NOTE_TOO_LONG", "补充说明不能超过 1000 字。".into());
    }
    if a.record.trim().is_empty() {
        fail(
            "record",
            "RECORD_MISSING",
            "请从信用主体页面选择要修复的处罚信息。".into(),
        );
    }
    match (uscc, contact) {
        (Some(uscc), Some(contact)) if errors.is_empty() => Ok(Checked {
            record: a.record.trim().to_string(),
            uscc,
            name,
            contact,
            by_agent: a.by_agent,
            certificate_no,
            note,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The applicant's name and telephone, checked alike on every public form of cases (repair,
/// objection, complaint) and on the staff's entry of an offline case.
pub fn applicant(
    name: &str,
    contact: &str,
    fail: &mut impl FnMut(&str, &str, String),
) -> (String, Option<Contact>) {
    let name = name.trim().to_string();
    if name.is_empty() {
        fail("name", "NAME_MISSING", "请填写申请人姓名。".into());
    } else if name.chars().count() > 30 {
        fail("name", "NAME_TOO_LONG", "姓名不能超过 30 个字。".into());
    }
    let contact = parse_contact(contact).filter(|c| matches!(c, Contact::Mobile(_)));
    if contact.is_none() {
        fail(
            "contact",
            "CONTACT_INVALID",
            "请填写正确的手机号码（11 位）或带区号的固定电话。".into(),
        );
    }
    (name, contact)
}

/// Whether a penalty may be repaired on `today` (both `YYYY-MM-DD`): the minimum display period of
/// its severity has passed (docs/domain.md §7).
pub fn eligible(repair_eligible_from: &str, today: &str) -> bool {
    !repair_eligible_from.is_empty() && repair_eligible_from <= today
}

/// Why a penalty cannot be repaired yet, for the subject page. The date already follows the regime the
/// office chose (`rules::disclosure::Regime`, whose minimum periods differ), so the reason names none.
pub fn not_yet(repair_eligible_from: &str) -> String {
    format!(
        "自 {repair_eligible_from} 起可申请信用修复（须届满该失信信息的最短公示期，按本平台现行公示期限规则计算）。"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> Application {
        Application {
            record: "r1".into(),
            uscc: crate::rules::uscc::compose('9', '1', "433101", 12_345),
            name: "张三".into(),
            contact: "13812345678".into(),
            by_agent: false,
            commitment_accepted: true,
            certificate_no: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn a_complete_application_passes() {
        let c = check(&app(), 2, 0).unwrap();
        assert_eq!(c.contact.masked(), "138****5678");
        assert_eq!(c.certificate_no, None);
    }

    #[test]
    fn every_problem_is_named() {
        let a = Application {
            uscc: "91433101MA4L0000".into(),
            contact: "a@b.cn".into(),
            by_agent: true,
            commitment_accepted: false,
            ..app()
        };
        let Err(AppError::Validation(list)) = check(&a, 6, 0) else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = list.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["uscc", "contact", "proof", "authorisation", "commitment"]
        );
        assert!(check(&app(), 0, 0).is_err(), "no proof");
    }

    #[test]
    fn eligibility_follows_the_minimum_period() {
        assert!(eligible("2026-03-01", "2026-03-01"));
        assert!(!eligible("2026-03-02", "2026-03-01"));
        assert!(!eligible("", "2026-03-01"));
        assert!(not_yet("2026-03-02").contains("2026-03-02"));
    }
}
