//! What a credit search query asks for (pure, shared with the browser): a code, the end of a code, or
//! a name fragment, and how a name shows the match.
use crate::rules::normalize;

/// The smallest name fragment searched: two characters (e.g. 湘西, 凤凰).
pub const MIN_FRAGMENT_CHARS: usize = 2;
/// The fewest trailing characters of a USCC searched as "the last digits".
pub const MIN_CODE_SUFFIX: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terms {
    /// Letters and digits only: a USCC, a legacy code (注册号, 组织机构代码), or the start or end of a USCC.
    Code { code: String, suffix: bool },
    /// A name or a fragment of one, with its distinct character pairs (the index keys).
    Name { text: String, grams: Vec<String> },
}

/// Reads a query. The error is the message the searcher sees.
pub fn parse(raw: &str) -> Result<Terms, &'static str> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("请输入企业名称（至少 2 个字）或统一社会信用代码。");
    }
    let code: String = normalize::identifier(trimmed)
        .chars()
        .filter(|c| *c != '-' && *c != ' ')
        .collect();
    if code.chars().all(|c| c.is_ascii_alphanumeric()) {
        if code.len() < MIN_CODE_SUFFIX {
            return Err("按代码查询时请至少输入代码的后 4 位。");
        }
        return Ok(Terms::Code {
            suffix: code.len() < 18,
            code,
        });
    }
    let text: String = trimmed.split_whitespace().collect::<Vec<_>>().join("");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < MIN_FRAGMENT_CHARS {
        return Err("名称请至少输入 2 个字，例如“湘西”“凤凰”。");
    }
    if chars.len() > 60 {
        return Err("查询内容过长，请输入不超过 60 个字。");
    }
    let mut grams: Vec<String> = Vec::new();
    for pair in chars.windows(2) {
        let g: String = pair.iter().collect();
        if !grams.contains(&g) {
            grams.push(g);
        }
    }
    Ok(Terms::Name { text, grams })
}

/// The key under which the index keeps the last 4 characters of a USCC (never equal to a name pair).
pub fn suffix_key(code: &str) -> String {
    let tail: String = code
        .chars()
        .rev()
        .take(MIN_CODE_SUFFIX)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("#{tail}")
}

/// Splits `name` into (text, matched) runs around every occurrence of `needle`, for highlighting.
pub fn highlight(name: &str, needle: &str) -> Vec<(String, bool)> {
    if needle.is_empty() {
        return vec![(name.to_string(), false)];
    }
    let mut out = Vec::new();
    let mut rest = name;
    while let Some(i) = rest.find(needle) {
        if i > 0 {
            out.push((rest[..i].to_string(), false));
        }
        out.push((needle.to_string(), true));
        rest = &rest[i + needle.len()..];
    }
    if !rest.is_empty() {
        out.push((rest.to_string(), false));
    }
    out
}

/// "1万+" once the count reached the cap, the number otherwise.
pub fn count_label(total: i64, capped: bool) -> String {
    if capped && total >= 10_000 {
        format!("{}万+", total / 10_000)
    } else if capped {
        format!("{total}+")
    } else {
        total.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_chinese_characters_are_a_name_fragment() {
        assert_eq!(
            parse(" 凤凰 "),
            Ok(Terms::Name {
                text: "凤凰".into(),
                grams: vec!["凤凰".into()]
            })
        );
        match parse("湘西州凤凰县").unwrap() {
            Terms::Name { grams, .. } => {
                assert_eq!(grams, ["湘西", "西州", "州凤", "凤凰", "凰县"])
            }
            other => panic!("{other:?}"),
        }
        assert!(parse("湘").is_err());
        assert!(parse("  ").is_err());
    }

    #[test]
    fn codes_full_width_or_partial() {
        assert_eq!(
            parse("９１３５０１００Ｍ０００１００Ｙ４３").unwrap(),
            Terms::Code {
                code: "91350100M000100Y43".into(),
                suffix: false
            }
        );
        assert_eq!(
            parse("00y43").unwrap(),
            Terms::Code {
                code: "00Y43".into(),
                suffix: true
            }
        );
        assert_eq!(
            parse("12345678-9").unwrap(),
            Terms::Code {
                code: "123456789".into(),
                suffix: true
            }
        );
        assert!(parse("9Y4").is_err());
        assert_eq!(suffix_key("91350100M000100Y43"), "#0Y43");
    }

    #[test]
    fn highlight_marks_every_occurrence() {
        assert_eq!(
            highlight("凤凰县凤凰商贸", "凤凰"),
            vec![
                ("凤凰".to_string(), true),
                ("县".to_string(), false),
                ("凤凰".to_string(), true),
                ("商贸".to_string(), false)
            ]
        );
        assert_eq!(highlight("吉首", "凤凰"), vec![("吉首".to_string(), false)]);
    }

    #[test]
    fn counts_past_the_cap_read_as_wan_plus() {
        assert_eq!(count_label(10_000, true), "1万+");
        assert_eq!(count_label(37, false), "37");
    }
}
