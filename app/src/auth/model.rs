//! Account types shared by the server and the browser.
use serde::{Deserialize, Serialize};

/// The three separated administrator roles (三员分立): no account holds two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminRole {
    System,
    Security,
    Audit,
}

impl AdminRole {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "system" => Some(AdminRole::System),
            "security" => Some(AdminRole::Security),
            "audit" => Some(AdminRole::Audit),
            _ => None,
        }
    }

    /// The role code in the `roles` table.
    pub fn code(&self) -> &'static str {
        match self {
            AdminRole::System => "system_admin",
            AdminRole::Security => "security_admin",
            AdminRole::Audit => "audit_admin",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            AdminRole::System => "系统管理员",
            AdminRole::Security => "安全管理员",
            AdminRole::Audit => "审计管理员",
        }
    }
}

/// Usernames: 3 to 32 of a-z, 0-9, `_`, `.`, `-`, starting with a letter.
pub fn check_username(username: &str) -> Result<(), String> {
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
    let starts = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase());
    if (3..=32).contains(&username.len()) && ok_chars && starts {
        Ok(())
    } else {
        Err(format!(
            "用户名“{username}”无效：应为3–32位小写字母、数字或 _ . -，并以字母开头。"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(check_username("sysadmin").is_ok());
        assert!(check_username("zhang.san-01").is_ok());
        assert!(check_username("ab").is_err());
        assert!(check_username("1admin").is_err());
        assert!(check_username("Admin").is_err());
        assert!(check_username("张三").is_err());
    }

    #[test]
    fn admin_roles() {
        assert_eq!(AdminRole::parse("security"), Some(AdminRole::Security));
        assert_eq!(AdminRole::parse("root"), None);
        assert_eq!(AdminRole::Audit.code(), "audit_admin");
    }
}
