//! Password policy profiles (docs/domain.md §15). Pure, so that the change-password form can check as the user
//! types with the server's own rules. Expiry and history are enforced by the server with these numbers.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// 等保 2.0: length ≥ 8, 3 of 4 character classes, expiry after 90 days, no reuse of the last 5.
    Dengbao,
    /// OWASP ASVS: length ≥ 12, no composition rules, no expiry, breached/common-password check.
    Asvs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub profile: Profile,
    pub min_length: usize,
    /// Of: lower-case, upper-case, digits, other characters.
    pub min_classes: usize,
    pub expiry_days: Option<u32>,
    /// How many previous passwords may not be reused.
    pub history: usize,
}

impl PasswordPolicy {
    pub fn of(profile: Profile) -> Self {
        match profile {
            Profile::Dengbao => Self::dengbao(),
            Profile::Asvs => Self::asvs(),
        }
    }

    pub fn dengbao() -> Self {
        PasswordPolicy {
            profile: Profile::Dengbao,
            min_length: 8,
            min_classes: 3,
            expiry_days: Some(90),
            history: 5,
        }
    }

    pub fn asvs() -> Self {
        PasswordPolicy {
            profile: Profile::Asvs,
            min_length: 12,
            min_classes: 0,
            expiry_days: None,
            history: 0,
        }
    }

    /// All problems of a candidate password; empty when it is acceptable.
    pub fn check(&self, password: &str, username: &str) -> Vec<PasswordProblem> {
        let mut problems = vec![];
        let len = password.chars().count();
        if len < self.min_length {
            problems.push(PasswordProblem::TooShort {
                min: self.min_length,
                len,
            });
        }
        let classes = character_classes(password);
        if classes < self.min_classes {
            problems.push(PasswordProblem::TooFewClasses {
                min: self.min_classes,
                found: classes,
            });
        }
        if is_common(password) {
            problems.push(PasswordProblem::Common);
        }
        let user = username.trim().to_lowercase();
        if user.chars().count() >= 3 && password.to_lowercase().contains(&user) {
            problems.push(PasswordProblem::ContainsUsername);
        }
        problems
    }
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self::dengbao()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    TooShort { min: usize, len: usize },
    TooFewClasses { min: usize, found: usize },
    Common,
    ContainsUsername,
}

impl PasswordProblem {
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "PASSWORD_TOO_SHORT",
            Self::TooFewClasses { .. } => "PASSWORD_CLASSES",
            Self::Common => "PASSWORD_COMMON",
            Self::ContainsUsername => "PASSWORD_CONTAINS_USERNAME",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::TooShort { min, len } => format!("密码至少需要{min}个字符，当前只有{len}个。"),
            Self::TooFewClasses { min, found } => format!(
                "密码需包含小写字母、大写字母、数字、其他符号中的至少{min}类，当前只有{found}类。"
            ),
            Self::Common => "这是常见的弱密码，容易被猜中，请换一个。".into(),
            Self::ContainsUsername => "密码不能包含用户名。".into(),
        }
    }
}

/// How many of the four classes (lower, upper, digit, other) the password uses.
pub fn character_classes(password: &str) -> usize {
    let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
    [
        has(|c| c.is_ascii_lowercase()),
        has(|c| c.is_ascii_uppercase()),
        has(|c| c.is_ascii_digit()),
        has(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count()
}

/// Frequently leaked passwords, including patterns common among Chinese users. Compared
/// case-insensitively, and also with a trailing run of digits or symbols removed.
const COMMON: &[&str] = &[
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "111111",
    "000000",
    "888888",
    "88888888",
    "666666",
    "123123",
    "654321",
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "admin",
    "admin123",
    "admin@123",
    "administrator",
    "root",
    "qwerty",
    "qwertyuiop",
    "qwe123",
    "asdfgh",
    "zxcvbn",
    "abc123",
    "abcd1234",
    "a123456",
    "aa123456",
    "iloveyou",
    "woaini",
    "woaini1314",
    "5201314",
    "1314520",
    "letmein",
    "welcome",
    "changeme",
    "default",
    "test",
    "test123",
    "guest",
    "user",
    "system",
    "sysadmin",
    "xiangxi",
    "jishou",
    "fenghuang",
    "credit",
    "xinyong",
    "huawei",
    "baidu",
    "tencent",
    "dragon",
    "monkey",
    "sunshine",
    "princess",
    "football",
    "master",
];

pub fn is_common(password: &str) -> bool {
    let p = password.to_lowercase();
    let stem = p.trim_end_matches(|c: char| c.is_ascii_digit() || !c.is_ascii_alphanumeric());
    COMMON
        .iter()
        .any(|c| *c == p || (!stem.is_empty() && *c == stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dengbao_profile() {
        let p = PasswordPolicy::dengbao();
        assert!(p.check("Xx-2026-信用", "clerk01").is_empty());
        assert_eq!(
            p.check("Ab1!", "u"),
            vec![PasswordProblem::TooShort { min: 8, len: 4 }]
        );
        assert_eq!(
            p.check("abcdefgh12", "u"),
            vec![PasswordProblem::TooFewClasses { min: 3, found: 2 }]
        );
        assert!(p.check("Passw0rd", "u").contains(&PasswordProblem::Common));
        assert!(
            p.check("Admin@123!!", "u")
                .contains(&PasswordProblem::Common),
            "common stem with symbols"
        );
        assert!(p
            .check("Zhangsan#2026", "zhangsan")
            .contains(&PasswordProblem::ContainsUsername));
        assert_eq!(p.expiry_days, Some(90));
        assert_eq!(p.history, 5);
    }

    #[test]
    fn asvs_profile_has_no_composition_rules() {
        let p = PasswordPolicy::asvs();
        assert!(p.check("correct horse battery staple", "u").is_empty());
        assert_eq!(
            p.check("Ab1!Ab1!", "u"),
            vec![PasswordProblem::TooShort { min: 12, len: 8 }]
        );
        assert!(
            p.check("woaini1314woaini", "u").is_empty(),
            "long passphrases are fine"
        );
        assert_eq!(p.check("password1234", "u"), vec![PasswordProblem::Common]);
    }

    #[test]
    fn messages_are_distinct() {
        let all = [
            PasswordProblem::TooShort { min: 8, len: 3 },
            PasswordProblem::TooFewClasses { min: 3, found: 1 },
            PasswordProblem::Common,
            PasswordProblem::ContainsUsername,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|p| p.code()).collect();
        assert_eq!(codes.len(), 4);
        assert!(all[0].message().contains("至少需要8个字符"));
    }
}
