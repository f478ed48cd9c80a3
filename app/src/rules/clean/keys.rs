//! The de-duplication key of docs/domain.md §6.5: decision number + subject key + issuing authority.
use super::row::{normalize_name, SubjectKey};

/// The subject part of a key. `hmac` turns a person's ID number into its keyed hash, so that no key
/// (which is stored and compared in the clear) holds an ID number.
pub fn subject_part(key: &SubjectKey, hmac: impl Fn(&str) -> String) -> String {
    match key {
        SubjectKey::Uscc(code) => format!("U:{code}"),
        SubjectKey::Person(number) => format!("P:{}", hmac(number)),
        SubjectKey::NameArea(name, area) => format!("N:{name}@{area}"),
    }
}

/// The full key. Decision numbers and authorities compare without spaces and with half-width brackets.
pub fn record_key(decision_no: &str, subject_part: &str, authority: &str) -> String {
    format!(
        "{}|{subject_part}|{}",
        normalize_name(decision_no),
        normalize_name(authority)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_spacing_and_bracket_width() {
        let s = subject_part(
            &SubjectKey::Uscc("91433101MA4L0XXX0X".into()),
            |_| unreachable!(),
        );
        assert_eq!(
            record_key(
                "湘西市监罚〔2026〕 12号",
                &s,
                "湘西州市场监督管理局（本级）"
            ),
            record_key("湘西市监罚〔2026〕12号", &s, "湘西州市场监督管理局(本级)")
        );
        let p = subject_part(&SubjectKey::Person("11010519491231002X".into()), |n| {
            format!("h({n})")
        });
        assert_eq!(p, "P:h(11010519491231002X)");
    }
}
