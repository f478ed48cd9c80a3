//! Pure rules of credit commitments (信用承诺, docs/domain.md §10): the four types, which of them a
//! subject may declare online, the template text offered per type, the check of an online submission
//! and of a fulfilment change, and when a commitment is itself a negative record (未履约). Shared with
//! the WASM, so the form offers what the server accepts.
use crate::error::{AppError, FieldError};
use crate::help::consult::{parse_contact, Contact};
use serde::{Deserialize, Serialize};

/// The catalogue class that holds commitments (`rules::catalog` `commitment_fields`).
pub const CLASS: &str = "commitment";

/// The four types, in the catalogue's order.
pub const TYPES: [&str; 4] = ["审批替代型", "主动型", "信用修复型", "行业自律型"];
pub const APPROVAL: &str = "审批替代型";
pub const VOLUNTARY: &str = "主动型";
pub const REPAIR: &str = "信用修复型";
pub const SELF_REGULATION: &str = "行业自律型";

/// Types a subject may declare online (a 信用修复型 one is made with a repair application).
pub const ONLINE_TYPES: [&str; 3] = [VOLUNTARY, SELF_REGULATION, APPROVAL];

/// Fulfilment states (履约状态) of the catalogue.
pub const IN_PROGRESS: &str = "履约中";
pub const FULFILLED: &str = "已履约";
pub const BROKEN: &str = "未履约";
pub const FULFILMENTS: [&str; 3] = [IN_PROGRESS, FULFILLED, BROKEN];

/// The longest commitment text (the catalogue's limit) and the shortest worth publishing.
pub const MAX_TEXT: usize = 4000;
pub const MIN_TEXT: usize = 20;
pub const MAX_NAME: usize = 100;
pub const MAX_MATTER: usize = 100;
pub const MAX_REASON: usize = 500;

/// The setting that publishes 主动型 commitments as soon as they pass the checks (承诺即公示), instead of
/// after the accepting unit confirms them. Data, not code: a `settings` row (absent: false).
pub const PUBLISH_AT_ONCE_SETTING: &str = "commitments.publish_at_once";

/// What a breached commitment is called where it shows as a negative record.
pub const BREACH_LABEL: &str = "未履行信用承诺（失信信息）";

/// Whether a record of `class_code` with this fulfilment is a negative credit record (domain §10: a
/// broken commitment is itself a credit record).
pub fn is_breach(class_code: &str, fulfilment: &str) -> bool {
    class_code == CLASS && fulfilment == BROKEN
}

/// The text offered for a type (the subject edits it before sending).
pub fn template(kind: &str, name: &str, matter: &str) -> String {
    let who = if name.trim().is_empty() {
        "本单位"
    } else {
        name.trim()
    };
    match kind {
        APPROVAL => format!(
            "{who}在申请办理“{}”事项时，自愿作出如下承诺：一、所提交的材料真实、合法、有效，已符合该事项的审批条件；二、在承诺期限内补齐所需材料；三、如有虚假或未履行承诺，自愿承担相应法律责任，接受撤销审批决定等处理，并同意将失信信息记入信用记录、依法公开。",
            if matter.trim().is_empty() { "（请填写事项名称）" } else { matter.trim() }
        ),
        SELF_REGULATION => format!(
            "{who}自愿遵守行业自律公约，诚信经营、公平竞争，不制售假冒伪劣商品，不虚假宣传，保障消费者合法权益；自觉接受行业协会和社会监督，如有违反，自愿接受行业自律惩戒，并同意将失信信息记入信用记录、依法公开。"
        ),
        REPAIR => format!(
            "{who}已纠正失信行为、履行相关义务，现郑重承诺：今后严格遵守法律法规，诚信经营，不再发生同类失信行为；如违反承诺，自愿接受相应惩戒，并同意将失信信息记入信用记录、依法公开。"
        ),
        _ => format!(
            "{who}郑重承诺：严格遵守国家法律法规和政策规定，依法诚信经营，履行法定义务，提供的信息真实、准确、完整；自觉接受政府、行业组织、社会公众和新闻舆论的监督；如违反承诺，自愿承担相应责任，并同意将失信信息记入信用记录、依法公开。"
        ),
    }
}

/// An online commitment as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub uscc: String,
    pub name: String,
    pub kind: String,
    /// 审批替代型 only: the matter (事项) the commitment replaces materials for.
    pub matter: String,
    pub text: String,
    pub contact: String,
    /// The accepting unit's department code.
    pub unit: String,
}

/// A checked submission: cleaned values and the parsed contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub uscc: String,
    pub name: String,
    pub kind: &'static str,
    /// The text as stored: for 审批替代型 it names the matter.
    pub text: String,
    pub contact: Contact,
    pub unit: String,
}

fn push(errors: &mut Vec<FieldError>, field: &str, code: &str, message: String) {
    errors.push(FieldError {
        field: field.into(),
        code: code.into(),
        message,
    });
}

/// Checks the form; every field's problem at once, in Chinese.
pub fn check(s: &Submission) -> Result<Checked, AppError> {
    let mut errors = vec![];
    let uscc = match crate::rules::uscc::validate(&s.uscc) {
        Ok(info) => info.code,
        Err(e) => {
            push(&mut errors, "uscc", e.code(), e.message());
            String::new()
        }
    };
    let name = s.name.trim().to_string();
    if name.chars().count() < 2 {
        push(
            &mut errors,
            "name",
            "NAME_MISSING",
            "请填写承诺主体的名称（与营业执照一致）。".into(),
        );
    } else if name.chars().count() > MAX_NAME {
        push(
            &mut errors,
            "name",
            "NAME_TOO_LONG",
            format!("名称不能超过 {MAX_NAME} 个字。"),
        );
    }
    let kind = ONLINE_TYPES.iter().copied().find(|k| *k == s.kind.trim());
    if kind.is_none() {
        push(
            &mut errors,
            "kind",
            "KIND_INVALID",
            "请选择承诺类型：主动型、行业自律型或审批替代型（信用修复型承诺随信用修复申请提交）。"
                .into(),
        );
    }
    let matter = s.matter.trim();
    if kind == Some(APPROVAL) && matter.is_empty() {
        push(
            &mut errors,
            "matter",
            "MATTER_MISSING",
            "审批替代型承诺须写明所办理的事项名称。".into(),
        );
    } else if matter.chars().count() > MAX_MATTER {
        push(
            &mut errors,
            "matter",
            "MATTER_TOO_LONG",
            format!("事项名称不能超过 {MAX_MATTER} 个字。"),
        );
    }
    let mut text = s.text.trim().to_string();
    if kind == Some(APPROVAL) && !matter.is_empty() && !text.contains(matter) {
        text = format!("办理事项：{matter}。{text}");
    }
    let n = text.chars().count();
    if n < MIN_TEXT {
        push(
            &mut errors,
            "text",
            "TEXT_TOO_SHORT",
            format!("请填写承诺内容（至少 {MIN_TEXT} 个字），可使用页面提供的范本。"),
        );
    } else if n > MAX_TEXT {
        push(
            &mut errors,
            "text",
            "TEXT_TOO_LONG",
            format!("承诺内容不能超过 {MAX_TEXT} 个字。"),
        );
    }
    let contact = parse_contact(&s.contact);
    if s.contact.trim().is_empty() {
        push(
            &mut errors,
            "contact",
            "CONTACT_MISSING",
            "请留下联系电话或电子邮箱，以便受理单位核实。".into(),
        );
    } else if contact.is_none() {
        push(
            &mut errors,
            "contact",
            "CONTACT_INVALID",
            "请填写正确的手机号码（11 位）、带区号的固定电话或电子邮箱。".into(),
        );
    }
    let unit = s.unit.trim().to_string();
    if unit.is_empty() {
        push(
            &mut errors,
            "unit",
            "UNIT_MISSING",
            "请选择承诺受理单位。".into(),
        );
    }
    match (kind, contact) {
        (Some(kind), Some(contact)) if errors.is_empty() => Ok(Checked {
            uscc,
            name,
            kind,
            text,
            contact,
            unit,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Checks a fulfilment change: to 已履约 or 未履约, with a reason. Returns the new state.
pub fn check_fulfilment(fulfilment: &str, reason: &str) -> Result<&'static str, AppError> {
    let mut errors = vec![];
    let to = [FULFILLED, BROKEN]
        .into_iter()
        .find(|f| *f == fulfilment.trim());
    if to.is_none() {
        push(
            &mut errors,
            "fulfilment",
            "FULFILMENT_INVALID",
            "请选择履约情况：已履约或未履约。".into(),
        );
    }
    let n = reason.trim().chars().count();
    if n < 2 {
        push(
            &mut errors,
            "reason",
            "REASON_MISSING",
            "请写明认定理由（如核查情况、依据）。".into(),
        );
    } else if n > MAX_REASON {
        push(
            &mut errors,
            "reason",
            "REASON_TOO_LONG",
            format!("认定理由不能超过 {MAX_REASON} 个字。"),
        );
    }
    match to {
        Some(to) if errors.is_empty() => Ok(to),
        _ => Err(AppError::Validation(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(list) => list.into_iter().map(|f| f.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    fn good() -> Submission {
        Submission {
            uscc: crate::rules::uscc::compose('9', '1', "433101", 12_345),
            name: "湘西州测试有限公司".into(),
            kind: VOLUNTARY.into(),
            matter: String::new(),
            text: template(VOLUNTARY, "湘西州测试有限公司", ""),
            contact: "13807431234".into(),
            unit: "D001".into(),
        }
    }

    #[test]
    fn every_field_is_reported_at_once() {
        let e = check(&Submission::default()).unwrap_err();
        let f = fields(e);
        for key in ["uscc", "name", "kind", "text", "contact", "unit"] {
            assert!(f.contains(&key.to_string()), "{key} missing in {f:?}");
        }
    }

    #[test]
    fn repair_commitments_are_not_declared_online() {
        let s = Submission {
            kind: REPAIR.into(),
            ..good()
        };
        assert!(fields(check(&s).unwrap_err()).contains(&"kind".to_string()));
    }

    #[test]
    fn an_approval_commitment_names_its_matter() {
        let s = Submission {
            kind: APPROVAL.into(),
            ..good()
        };
        assert_eq!(fields(check(&s).unwrap_err()), vec!["matter".to_string()]);
        let s = Submission {
            kind: APPROVAL.into(),
            matter: "食品经营许可".into(),
            text: template(VOLUNTARY, "x", ""),
            ..good()
        };
        let c = check(&s).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(c.text.starts_with("办理事项：食品经营许可。"));
    }

    #[test]
    fn fulfilment_needs_a_final_state_and_a_reason() {
        assert_eq!(
            check_fulfilment(BROKEN, "逾期未补齐材料").ok(),
            Some(BROKEN)
        );
        assert_eq!(
            fields(check_fulfilment(IN_PROGRESS, "").unwrap_err()),
            vec!["fulfilment".to_string(), "reason".to_string()]
        );
        assert!(is_breach(CLASS, BROKEN));
        assert!(!is_breach("red_list", BROKEN));
        assert!(!is_breach(CLASS, FULFILLED));
    }

    #[test]
    fn templates_name_the_subject_and_fit_the_limits() {
        for kind in TYPES {
            let t = template(kind, "凤凰县某某旅游有限公司", "旅行社业务经营许可");
            assert!(t.contains("凤凰县某某旅游有限公司"));
            let n = t.chars().count();
            assert!((MIN_TEXT..=MAX_TEXT).contains(&n));
        }
    }
}
