//! Unified social credit code (统一社会信用代码, GB 32100-2015): normalise, validate, compute check characters.
use super::{division, normalize};
use serde::{Deserialize, Serialize};

/// The 31 characters a USCC may contain; a character's value is its index here.
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// W_i = 3^(i-1) mod 31 for positions 1..17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// GB 11714 organisation-code weights over its first 8 characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Why a code is not a valid USCC. Each kind has its own stable code and Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UsccError {
    Empty,
    WrongLength { len: usize },
    ForbiddenChar { position: usize, ch: char },
    UnknownAuthority { ch: char },
    UnknownOrgType { authority: char, ch: char },
    BadDivision { code: String },
    OrgCodeCheck { expected: char, found: char },
    CheckChar { expected: char, found: char },
}

impl UsccError {
    /// Stable machine code for APIs, statistics and error reports.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "USCC_EMPTY",
            Self::WrongLength { .. } => "USCC_LENGTH",
            Self::ForbiddenChar { .. } => "USCC_CHARSET",
            Self::UnknownAuthority { .. } => "USCC_AUTHORITY",
            Self::UnknownOrgType { .. } => "USCC_ORG_TYPE",
            Self::BadDivision { .. } => "USCC_DIVISION",
            Self::OrgCodeCheck { .. } => "USCC_ORG_CODE_CHECK",
            Self::CheckChar { .. } => "USCC_CHECK_CHAR",
        }
    }

    /// A message that names the problem and the fix, for the person who typed the code.
    pub fn message(&self) -> String {
        match self {
            Self::Empty => "请输入统一社会信用代码。".into(),
            Self::WrongLength { len } => {
                format!("统一社会信用代码应为18位，当前为{len}位，请核对是否多输或漏输。")
            }
            Self::ForbiddenChar { position, ch } => format!(
                "第{position}位的“{ch}”不是统一社会信用代码允许的字符：代码只含数字和除 I、O、Z、S、V 以外的大写字母。"
            ),
            Self::UnknownAuthority { ch } => {
                format!("第1位登记管理部门代码“{ch}”不存在，应为1–9、A、N或Y。")
            }
            Self::UnknownOrgType { authority, ch } => format!(
                "第2位机构类别代码“{ch}”与第1位登记管理部门“{authority}”不匹配，请核对前两位。"
            ),
            Self::BadDivision { code } => format!(
                "第3–8位登记管理机关行政区划码“{code}”无效：应为6位数字，前两位是省级代码。"
            ),
            Self::OrgCodeCheck { expected, found } => format!(
                "第9–17位组织机构代码的校验码错误：第17位应为“{expected}”，实际为“{found}”，请核对第9–17位。"
            ),
            Self::CheckChar { expected, found } => format!(
                "第18位校验码错误：按前17位计算应为“{expected}”，实际为“{found}”，请核对代码是否抄错。"
            ),
        }
    }
}

impl std::fmt::Display for UsccError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for UsccError {}

/// What a valid code says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsccInfo {
    /// The normalised code.
    pub code: String,
    pub authority: &'static str,
    pub org_type: Option<&'static str>,
    pub division_code: String,
    /// Set when the division is in Xiangxi prefecture.
    pub division_name: Option<&'static str>,
    /// False when the division code passes the province check but is not in the GB/T 2260 table:
    /// a warning (it may be a retired code), not an error.
    pub division_listed: bool,
    pub org_code: String,
}

fn value(ch: char) -> Option<u32> {
    CHARSET.find(ch).map(|i| i as u32)
}

/// The character at a value in [`CHARSET`]; callers pass values below 31.
fn char_at(v: u32) -> char {
    CHARSET
        .as_bytes()
        .get((v % 31) as usize)
        .map_or('?', |&b| char::from(b))
}

/// The check character (position 18) for the first 17 characters, if they are all in the charset.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (ch, w) in first17.chars().zip(WEIGHTS) {
        sum += value(ch)? * w;
    }
    let c = 31 - sum % 31;
    Some(char_at(if c == 31 { 0 } else { c }))
}

/// GB 11714 check character for the first 8 characters of an organisation code (0-9, A=10 … Z=35).
pub fn org_code_check(first8: &str) -> Option<char> {
    if first8.chars().count() != 8 {
        return None;
    }
    let mut sum = 0;
    for (ch, w) in first8.chars().zip(ORG_WEIGHTS) {
        sum += ch.to_digit(36)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10)?,
    })
}

fn authority_name(ch: char) -> Option<&'static str> {
    Some(match ch {
        '1' => "机构编制",
        '2' => "外交",
        '3' => "司法行政",
        '4' => "文化",
        '5' => "民政",
        '6' => "旅游",
        '7' => "宗教",
        '8' => "工会",
        '9' => "市场监管",
        'A' => "中央军委改革和编制办公室",
        'N' => "农业",
        'Y' => "其他",
        _ => return None,
    })
}

/// Organisation type for position 2. `Ok(None)`: the authority does not restrict it and it is a digit.
fn org_type(authority: char, ch: char) -> Result<Option<&'static str>, ()> {
    let name = match (authority, ch) {
        ('9', '1') => "企业",
        ('9', '2') => "个体工商户",
        ('9', '3') => "农民专业合作社",
        ('1', '1') => "机关",
        ('1', '2') => "事业单位",
        ('1', '3') => "群众团体",
        ('1', '9') | ('5', '9') => "其他",
        ('5', '1') => "社会团体",
        ('5', '2') => "民办非企业单位",
        ('5', '3') => "基金会",
        ('N', '1') => "组级集体经济组织",
        ('N', '2') => "村级集体经济组织",
        ('N', '3') => "乡镇级集体经济组织",
        ('Y', '1') => "其他",
        ('9' | '1' | '5' | 'N' | 'Y', _) => return Err(()),
        (_, d) if d.is_ascii_digit() => return Ok(None),
        _ => return Err(()),
    };
    Ok(Some(name))
}

/// Normalises and validates a code. Checks run from the coarsest to the finest, so the message
/// names the first thing to fix.
pub fn validate(raw: &str) -> Result<UsccInfo, UsccError> {
    let code = normalize::identifier(raw);
    let chars: Vec<char> = code.chars().collect();
    if chars.is_empty() {
        return Err(UsccError::Empty);
    }
    // A fixed-size array: the positions below are checked at compile time.
    let chars: [char; 18] = match chars.try_into() {
        Ok(chars) => chars,
        Err(chars) => return Err(UsccError::WrongLength { len: chars.len() }),
    };
    if let Some((i, &ch)) = chars.iter().enumerate().find(|(_, c)| value(**c).is_none()) {
        return Err(UsccError::ForbiddenChar {
            position: i + 1,
            ch,
        });
    }
    let authority = authority_name(chars[0]).ok_or(UsccError::UnknownAuthority { ch: chars[0] })?;
    let org_type = org_type(chars[0], chars[1]).map_err(|()| UsccError::UnknownOrgType {
        authority: chars[0],
        ch: chars[1],
    })?;
    let division_code: String = chars[2..8].iter().collect();
    let division_ok = division_code.bytes().all(|b| b.is_ascii_digit())
        && (division::has_province_prefix(&division_code) || division_code.starts_with("10"));
    if !division_ok {
        return Err(UsccError::BadDivision {
            code: division_code,
        });
    }
    let org_code: String = chars[8..17].iter().collect();
    // Both functions return Some here: every character was checked against the charset above.
    let org_first8: String = chars[8..16].iter().collect();
    let expected_org = org_code_check(&org_first8).unwrap_or('?');
    if expected_org != chars[16] {
        return Err(UsccError::OrgCodeCheck {
            expected: expected_org,
            found: chars[16],
        });
    }
    let first17: String = chars[..17].iter().collect();
    let expected = check_char(&first17).unwrap_or('?');
    if expected != chars[17] {
        return Err(UsccError::CheckChar {
            expected,
            found: chars[17],
        });
    }
    Ok(UsccInfo {
        division_name: division::xiangxi_name(&division_code),
        division_listed: division::is_listed(&division_code),
        code,
        authority,
        org_type,
        division_code,
        org_code,
    })
}

/// Builds a valid code from its parts (used by the demo-data generator and by tests).
/// `serial` picks the 8-character organisation-code body; distinct serials below 31^8 give distinct codes.
pub fn compose(authority: char, org_type: char, division: &str, serial: u64) -> String {
    let mut body = String::with_capacity(8);
    let mut n = serial;
    for _ in 0..8 {
        body.insert(0, char_at((n % 31) as u32));
        n /= 31;
    }
    let org_check = org_code_check(&body).unwrap_or('0');
    let first17 = format!("{authority}{org_type}{division}{body}{org_check}");
    let check = check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_worked_example() {
        // GB 32100-2015: 91350100M000100Y4 sums to 1640; 1640 mod 31 = 28; check character is '3'.
        let first17 = "91350100M000100Y4";
        let sum: u32 = first17
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| value(c).unwrap() * w)
            .sum();
        assert_eq!(sum, 1640);
        assert_eq!(check_char(first17), Some('3'));
        assert!(validate("91350100M000100Y43").is_ok());
    }

    #[test]
    fn real_public_codes_are_valid() {
        for code in [
            "91110000802100433B",
            "914403001922038216",
            "9144030071526726XG",
            "91330100716105852F",
        ] {
            let info = validate(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(info.code, code);
            assert_eq!(info.authority, "市场监管");
            assert_eq!(info.org_type, Some("企业"));
        }
    }

    #[test]
    fn input_is_normalised() {
        let info = validate(" ９１１１００００８０２１００４３３ｂ ").unwrap();
        assert_eq!(info.code, "91110000802100433B");
    }

    #[test]
    fn unlisted_division_is_a_warning_not_an_error() {
        let info = validate(&compose('9', '1', "439999", 5)).unwrap();
        assert!(!info.division_listed);
        assert!(
            validate(&compose('9', '1', "433130", 5))
                .unwrap()
                .division_listed
        );
    }

    #[test]
    fn legacy_pilot_code_fails_its_check() {
        // Legal in reality, but a failed check is an error by default; the catalogue records exceptions.
        assert!(validate("91350100M0001TGQXM").is_err());
    }

    #[test]
    fn each_fault_has_its_own_error() {
        assert_eq!(validate(""), Err(UsccError::Empty));
        assert_eq!(
            validate("9111000080210043"),
            Err(UsccError::WrongLength { len: 16 })
        );
        assert_eq!(
            validate("91110000802100433B1"),
            Err(UsccError::WrongLength { len: 19 })
        );
        assert_eq!(
            validate("91110000802I00433B"),
            Err(UsccError::ForbiddenChar {
                position: 12,
                ch: 'I'
            })
        );
        assert_eq!(
            validate("911100008021004-3B"),
            Err(UsccError::ForbiddenChar {
                position: 16,
                ch: '-'
            })
        );
        assert_eq!(
            validate("B1110000802100433B"),
            Err(UsccError::UnknownAuthority { ch: 'B' })
        );
        assert_eq!(
            validate("94110000802100433B"),
            Err(UsccError::UnknownOrgType {
                authority: '9',
                ch: '4'
            })
        );
        assert_eq!(
            validate("9119000080210043 3B".replace(' ', "").as_str())
                .unwrap_err()
                .code(),
            "USCC_DIVISION"
        );
        assert_eq!(
            validate("91110000802100434B"),
            Err(UsccError::OrgCodeCheck {
                expected: '3',
                found: '4'
            })
        );
        assert_eq!(
            validate("91110000802100433C"),
            Err(UsccError::CheckChar {
                expected: 'B',
                found: 'C'
            })
        );
    }

    #[test]
    fn messages_are_distinct_chinese_sentences() {
        let errors = [
            validate("9111").unwrap_err(),
            validate("91110000802I00433B").unwrap_err(),
            validate("91110000802100434B").unwrap_err(),
            validate("91110000802100433C").unwrap_err(),
        ];
        let messages: std::collections::HashSet<String> =
            errors.iter().map(|e| e.message()).collect();
        assert_eq!(messages.len(), 4);
        assert!(errors[0].message().contains("18位"));
        assert!(errors[1].message().contains("第12位"));
        assert!(errors[2].message().contains("组织机构代码"));
        assert!(errors[3].message().contains("第18位校验码"));
    }

    #[test]
    fn position_two_depends_on_position_one() {
        let ok = |a, t| validate(&compose(a, t, "433101", 7)).is_ok();
        assert!(ok('9', '2'));
        assert!(ok('5', '3'));
        assert!(ok('N', '2'));
        assert!(ok('Y', '1'));
        assert!(!ok('Y', '2'));
        assert!(!ok('1', '4'));
        // Authorities without a listed table accept any digit.
        assert!(ok('3', '7'));
        assert!(!ok('3', 'A'));
        // Central registration uses division prefix 10.
        assert!(ok('1', '1') && validate(&compose('1', '1', "100000", 9)).is_ok());
    }

    #[test]
    fn generated_codes_validate_and_every_single_corruption_is_caught() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(2015);
        for i in 0..2_000u64 {
            let code = compose('9', '1', "433123", rng.gen_range(0..31u64.pow(8)) ^ i);
            let info = validate(&code).unwrap();
            assert_eq!(info.division_name, Some("凤凰县"));
            // Change one character of positions 9..18 to another charset character: must fail.
            let pos = rng.gen_range(8..18);
            let mut chars: Vec<char> = code.chars().collect();
            let old = chars[pos];
            let new = char_at((value(old).unwrap() + rng.gen_range(1..31)) % 31);
            chars[pos] = new;
            let bad: String = chars.iter().collect();
            let err = validate(&bad).unwrap_err();
            assert!(
                matches!(
                    err,
                    UsccError::OrgCodeCheck { .. } | UsccError::CheckChar { .. }
                ),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn compose_is_injective_on_serials() {
        let codes: std::collections::HashSet<String> =
            (0..5_000).map(|s| compose('9', '1', "433101", s)).collect();
        assert_eq!(codes.len(), 5_000);
    }
}
