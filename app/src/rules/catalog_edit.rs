//! What an operator may change in the catalogue. Built-in classes keep what the rules and the typed
//! tables rely on (field keys, types, the national codes, the allowed values, and at least the built-in
//! requirement); around that, headers, aliases, limits and stricter requirements are data. Classes an
//! operator defines are free, within sane limits. Pure, so the console can explain a refusal exactly.
use super::catalog::{ClassSpec, FieldSpec, FieldType, Requirement};
use super::clean::headers::header_key;

/// A refused edit: the form field it concerns and the message in Chinese.
pub type Refusal = (&'static str, String);

pub const MAX_LEN_LIMIT: usize = 10_000;

/// Field and class codes: lower-case letters, digits and `_`, starting with a letter.
pub fn valid_code(code: &str, min: usize, max: usize) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && (min..=max).contains(&code.len())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn rank(r: Requirement) -> u8 {
    match r {
        Requirement::Optional => 0,
        Requirement::Conditional => 1,
        Requirement::Required => 2,
    }
}

/// Checks a field as edited. `builtin` is the shipped definition when the class is built in;
/// `others` are the class's other fields (their headers must stay distinct).
pub fn check_field(
    edited: &FieldSpec,
    builtin: Option<&FieldSpec>,
    others: &[FieldSpec],
) -> Result<(), Vec<Refusal>> {
    let mut refusals: Vec<Refusal> = vec![];
    if edited.name.trim().is_empty() || edited.name.chars().count() > 60 {
        refusals.push(("name", "字段名称必填，且不超过 60 个字。".into()));
    }
    if !(1..=MAX_LEN_LIMIT).contains(&edited.max_len) {
        refusals.push((
            "max_len",
            format!("最大长度应在 1 到 {MAX_LEN_LIMIT} 之间。"),
        ));
    }
    let choice = matches!(edited.field_type, FieldType::Enum | FieldType::MultiEnum);
    if choice && edited.canonical_options().is_empty() {
        refusals.push(("options", "单选或多选字段至少要有一个取值。".into()));
    }
    if !choice && !edited.options.is_empty() {
        refusals.push(("options", "只有单选或多选字段才有取值列表。".into()));
    }
    for o in &edited.options {
        if o.split_once('=')
            .is_some_and(|(a, c)| a.trim().is_empty() || c.trim().is_empty())
        {
            refusals.push((
                "options",
                format!("取值“{o}”写法不对：别名写作“别名=标准值”。"),
            ));
        }
    }
    if let Some(b) = builtin {
        if edited.name != b.name {
            refusals.push((
                "name",
                format!(
                    "内置字段的名称按国家标准为“{}”，不能修改；其他叫法请加在“其他表头”中。",
                    b.name
                ),
            ));
        }
        if edited.field_type != b.field_type || edited.code_v2 != b.code_v2 {
            refusals.push(("field_type", "内置字段的类型和新版代码不能修改。".into()));
        }
        if rank(edited.requirement) < rank(b.requirement) {
            refusals.push((
                "requirement",
                format!(
                    "内置字段“{}”按标准为{}，只能维持或提高要求，不能放宽。",
                    b.name,
                    b.requirement.label()
                ),
            ));
        }
        let mut want = b.canonical_options();
        let mut have = edited.canonical_options();
        want.sort();
        have.sort();
        if want != have {
            refusals.push((
                "options",
                "内置字段的标准取值不能增删，只能为标准值添加别名（别名=标准值）。".into(),
            ));
        }
    }
    let mine: Vec<String> = edited.headers().map(header_key).collect();
    for other in others.iter().filter(|o| o.key != edited.key) {
        if let Some(h) = other.headers().find(|h| mine.contains(&header_key(h))) {
            refusals.push((
                "synonyms",
                format!(
                    "表头“{h}”已属于字段“{}”，同一类别中一个表头只能对应一个字段。",
                    other.name
                ),
            ));
        }
    }
    if refusals.is_empty() {
        Ok(())
    } else {
        Err(refusals)
    }
}

/// The fields every class an operator defines starts with: what the pipeline needs to find the subject
/// and to tell one record from another (docs/domain.md §6.5).
pub fn new_class(code: &str, name: &str) -> ClassSpec {
    let field = |key: &str, name: &str, ty, req, syn: &[&str]| FieldSpec {
        key: key.into(),
        name: name.into(),
        code_v2: None,
        codes_v1: vec![],
        synonyms: syn.iter().map(|s| s.to_string()).collect(),
        field_type: ty,
        requirement: req,
        options: vec![],
        max_len: 200,
    };
    use FieldType as T;
    use Requirement as R;
    ClassSpec {
        code: code.into(),
        name: name.into(),
        storage: super::catalog::Storage::Generic,
        fields: vec![
            field(
                "subject_name",
                "主体名称",
                T::Text,
                R::Required,
                &["名称", "企业名称"],
            ),
            field(
                "subject_uscc",
                "统一社会信用代码",
                T::Uscc,
                R::Conditional,
                &["信用代码"],
            ),
            field(
                "person_id",
                "证件号码",
                T::IdNumber,
                R::Conditional,
                &["身份证号码"],
            ),
            field(
                "decision_no",
                "文书编号",
                T::Text,
                R::Required,
                &["文号", "编号"],
            ),
            field("decision_date", "作出日期", T::Date, R::Required, &["日期"]),
            field("authority", "作出单位", T::Text, R::Required, &["认定单位"]),
        ],
        disabled_rules: vec![],
    }
}

/// Fields of a new class that the pipeline relies on: an operator may not remove them.
pub const CORE_FIELDS: &[&str] = &[
    "subject_name",
    "subject_uscc",
    "person_id",
    "decision_no",
    "authority",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalog::builtin_classes;

    fn penalty() -> ClassSpec {
        builtin_classes().remove(1)
    }

    fn refused(r: Result<(), Vec<Refusal>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn builtin_fields_take_synonyms_aliases_and_stricter_requirements() {
        let spec = penalty();
        let b = spec.field("categories").unwrap().clone();
        let mut e = b.clone();
        e.synonyms.push("处罚种类".into());
        e.options.push("罚金=罚款".into());
        assert_eq!(check_field(&e, Some(&b), &spec.fields), Ok(()));
        let b = spec.field("legal_rep").unwrap().clone();
        let mut e = b.clone();
        e.requirement = Requirement::Required;
        assert_eq!(check_field(&e, Some(&b), &spec.fields), Ok(()));
    }

    #[test]
    fn builtin_fields_keep_their_name_type_values_and_minimum_requirement() {
        let spec = penalty();
        let b = spec.field("decision_no").unwrap().clone();
        let mut e = b.clone();
        e.requirement = Requirement::Optional;
        e.name = "文号".into();
        assert_eq!(
            refused(check_field(&e, Some(&b), &spec.fields)),
            vec!["name", "requirement"]
        );
        let b = spec.field("categories").unwrap().clone();
        let mut e = b.clone();
        e.options.push("罚金".into());
        assert_eq!(
            refused(check_field(&e, Some(&b), &spec.fields)),
            vec!["options"]
        );
    }

    #[test]
    fn a_header_names_one_field_only() {
        let spec = penalty();
        let b = spec.field("content").unwrap().clone();
        let mut e = b.clone();
        e.synonyms.push(" cf_wsh ".into()); // the decision number's v2 code, in other spacing and case
        let r = check_field(&e, Some(&b), &spec.fields).unwrap_err();
        assert_eq!(r[0].0, "synonyms");
        assert!(r[0].1.contains("行政处罚决定书文号"), "{}", r[0].1);
    }

    #[test]
    fn new_classes_and_their_fields_are_checked_for_sense() {
        assert!(valid_code("tax_rating", 3, 32));
        assert!(!valid_code("Tax", 3, 32));
        assert!(!valid_code("1abc", 3, 32));
        assert!(!valid_code("a-b", 1, 32));
        let spec = new_class("tax_rating", "纳税信用评价");
        let mut f = spec.fields[0].clone();
        f.key = "grade".into();
        f.name = "评价等级".into();
        f.synonyms = vec![];
        f.field_type = FieldType::Enum;
        assert_eq!(
            refused(check_field(&f, None, &spec.fields)),
            vec!["options"]
        );
        f.options = vec!["A".into(), "B".into(), "=C".into()];
        assert_eq!(
            refused(check_field(&f, None, &spec.fields)),
            vec!["options"]
        );
        f.options.pop();
        f.max_len = 0;
        assert_eq!(
            refused(check_field(&f, None, &spec.fields)),
            vec!["max_len"]
        );
        f.max_len = 10;
        assert_eq!(check_field(&f, None, &spec.fields), Ok(()));
    }
}
