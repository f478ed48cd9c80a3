//! Masking (脱敏) of personal identifiers for public pages and exports. The rule is configurable.
use serde::{Deserialize, Serialize};

/// Keep `head` leading and `tail` trailing characters, replace the rest with `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskRule {
    pub head: usize,
    pub tail: usize,
}

impl MaskRule {
    /// docs/domain.md §3.3 default for resident ID numbers: 433101********2014.
    pub const RESIDENT_ID: MaskRule = MaskRule { head: 6, tail: 4 };
    /// Phone numbers: 138****1234.
    pub const PHONE: MaskRule = MaskRule { head: 3, tail: 4 };

    pub fn apply(&self, value: &str) -> String {
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        if n == 0 {
            return String::new();
        }
        // Too short to keep both ends: hide everything rather than reveal most of it.
        if self.head + self.tail >= n {
            return "*".repeat(n);
        }
        let mut out: String = chars.iter().take(self.head).collect();
        out.push_str(&"*".repeat(n - self.head - self.tail));
        out.extend(chars.iter().skip(n - self.tail));
        out
    }
}

impl Default for MaskRule {
    fn default() -> Self {
        Self::RESIDENT_ID
    }
}

/// Masks a resident ID number with the default rule.
pub fn resident_id(value: &str) -> String {
    MaskRule::RESIDENT_ID.apply(value)
}

/// Masks a phone number with the default rule.
pub fn phone(value: &str) -> String {
    MaskRule::PHONE.apply(value)
}

/// Masks a natural person's name for public lists: 张三 → 张*, 欧阳娜娜 → 欧***.
pub fn person_name(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules() {
        assert_eq!(resident_id("433101199001012014"), "433101********2014");
        assert_eq!(phone("13812341234"), "138****1234");
        assert_eq!(person_name("张三"), "张*");
    }

    #[test]
    fn configurable_rule() {
        assert_eq!(
            MaskRule { head: 3, tail: 2 }.apply("433101199001012014"),
            "433*************14"
        );
    }

    #[test]
    fn short_values_are_fully_hidden() {
        assert_eq!(resident_id("12345"), "*****");
        assert_eq!(resident_id(""), "");
    }
}
