//! Resident ID number (公民身份号码, GB 11643-1999): validate, convert 15 → 18 digits.
use super::{date::Ymd, division, normalize};
use serde::{Deserialize, Serialize};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResidentIdError {
    Empty,
    WrongLength { len: usize },
    ForbiddenChar { position: usize, ch: char },
    BadRegion { code: String },
    BadBirthDate { digits: String },
    FutureBirthDate { birth: String },
    CheckChar { expected: char, found: char },
}

impl ResidentIdError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "RID_EMPTY",
            Self::WrongLength { .. } => "RID_LENGTH",
            Self::ForbiddenChar { .. } => "RID_CHARSET",
            Self::BadRegion { .. } => "RID_REGION",
            Self::BadBirthDate { .. } => "RID_BIRTH_DATE",
            Self::FutureBirthDate { .. } => "RID_BIRTH_FUTURE",
            Self::CheckChar { .. } => "RID_CHECK_CHAR",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Empty => "请输入公民身份号码。".into(),
            Self::WrongLength { len } => {
                format!("公民身份号码应为18位（或旧版15位），当前为{len}位，请核对。")
            }
            Self::ForbiddenChar { position, ch } => format!(
                "第{position}位的“{ch}”无效：前17位只能是数字，第18位可以是数字或 X。"
            ),
            Self::BadRegion { code } => {
                format!("前6位地址码“{code}”无效：前两位应为省级行政区划代码。")
            }
            Self::BadBirthDate { digits } => {
                format!("出生日期“{digits}”不是真实存在的日期，请核对第7–14位。")
            }
            Self::FutureBirthDate { birth } => format!("出生日期{birth}晚于今天，请核对第7–14位。"),
            Self::CheckChar { expected, found } => format!(
                "第18位校验码错误：按前17位计算应为“{expected}”，实际为“{found}”，请核对号码是否抄错。"
            ),
        }
    }
}

impl std::fmt::Display for ResidentIdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ResidentIdError {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentIdInfo {
    /// 18-digit normalised number (15-digit input is converted).
    pub number: String,
    pub region_code: String,
    pub birth: Ymd,
    pub male: bool,
}

impl ResidentIdInfo {
    pub fn is_minor_on(&self, today: Ymd) -> bool {
        self.birth.age_on(today) < 18
    }
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (b, w) in first17.bytes().zip(WEIGHTS) {
        sum += (b as char).to_digit(10)? * w;
    }
    CHECK_CHARS.get((sum % 11) as usize).map(|&b| char::from(b))
}

/// Converts an old 15-digit number: insert `19` before the year and append the check character.
pub fn upgrade_15(number15: &str) -> Option<String> {
    if number15.len() != 15 || !number15.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first17 = format!("{}19{}", &number15[..6], &number15[6..]);
    let check = check_char(&first17)?;
    Some(format!("{first17}{check}"))
}

/// Validates a number against today's date (the caller's clock, so that tests and WASM agree).
pub fn validate(raw: &str, today: Ymd) -> Result<ResidentIdInfo, ResidentIdError> {
    let input = normalize::identifier(raw);
    let chars: Vec<char> = input.chars().collect();
    if chars.is_empty() {
        return Err(ResidentIdError::Empty);
    }
    if chars.len() != 18 && chars.len() != 15 {
        return Err(ResidentIdError::WrongLength { len: chars.len() });
    }
    let last = chars.len() - 1;
    for (i, &ch) in chars.iter().enumerate() {
        let ok = ch.is_ascii_digit() || (i == last && chars.len() == 18 && ch == 'X');
        if !ok {
            return Err(ResidentIdError::ForbiddenChar {
                position: i + 1,
                ch,
            });
        }
    }
    let number = if chars.len() == 15 {
        upgrade_15(&input).unwrap_or_default()
    } else {
        input
    };
    let region_code = number[..6].to_string();
    if !division::has_province_prefix(&region_code) {
        return Err(ResidentIdError::BadRegion { code: region_code });
    }
    let birth_digits = &number[6..14];
    let birth = Ymd::parse_compact(birth_digits)
        .filter(|b| b.year >= 1800)
        .ok_or_else(|| ResidentIdError::BadBirthDate {
            digits: birth_digits.to_string(),
        })?;
    if birth > today {
        return Err(ResidentIdError::FutureBirthDate { birth: birth.iso() });
    }
    let expected = check_char(&number[..17]).unwrap_or('?');
    let found = number.chars().nth(17).unwrap_or('?');
    if expected != found {
        return Err(ResidentIdError::CheckChar { expected, found });
    }
    let male = number
        .as_bytes()
        .get(16)
        .is_some_and(|b| b.wrapping_sub(b'0') % 2 == 1);
    Ok(ResidentIdInfo {
        region_code,
        birth,
        male,
        number,
    })
}

/// Builds a valid number (demo data and tests).
pub fn compose(region: &str, birth: Ymd, sequence: u16) -> String {
    let first17 = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year,
        birth.month,
        birth.day,
        sequence % 1000
    );
    let check = check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Ymd = Ymd::new(2026, 11, 29);

    #[test]
    fn standard_examples_are_valid() {
        let a = validate("11010519491231002X", TODAY).unwrap();
        assert_eq!(a.birth, Ymd::new(1949, 12, 31));
        assert!(!a.male);
        let b = validate("440524188001010014", TODAY).unwrap();
        assert_eq!(b.birth, Ymd::new(1880, 1, 1));
        assert!(b.male);
        assert!(
            validate("11010519491231002x", TODAY).is_ok(),
            "lower-case x is normalised"
        );
    }

    #[test]
    fn fifteen_digit_numbers_are_upgraded() {
        // 15-digit form of 11010519491231002X is 110105491231002.
        assert_eq!(
            upgrade_15("110105491231002").as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(
            validate("110105491231002", TODAY).unwrap().number,
            "11010519491231002X"
        );
    }

    #[test]
    fn each_fault_has_its_own_error() {
        assert_eq!(validate("", TODAY), Err(ResidentIdError::Empty));
        assert_eq!(
            validate("1101051949123100", TODAY),
            Err(ResidentIdError::WrongLength { len: 16 })
        );
        assert_eq!(
            validate("1101051949123100X2", TODAY),
            Err(ResidentIdError::ForbiddenChar {
                position: 17,
                ch: 'X'
            })
        );
        assert_eq!(
            validate("99010519491231002X", TODAY).unwrap_err().code(),
            "RID_REGION"
        );
        assert_eq!(
            validate(
                &compose("433101", Ymd::new(2001, 2, 28), 1).replace("0228", "0229"),
                TODAY
            )
            .unwrap_err()
            .code(),
            "RID_BIRTH_DATE"
        );
        let future = compose("433101", Ymd::new(2027, 1, 1), 12);
        assert_eq!(
            validate(&future, TODAY).unwrap_err().code(),
            "RID_BIRTH_FUTURE"
        );
        assert_eq!(
            validate("110105194912310021", TODAY),
            Err(ResidentIdError::CheckChar {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn generated_numbers_validate_and_single_digit_errors_are_caught() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(11643);
        for _ in 0..2_000 {
            let birth = Ymd::new(
                rng.gen_range(1930..2020),
                rng.gen_range(1..=12),
                rng.gen_range(1..=28),
            );
            let n = compose("433123", birth, rng.gen_range(0..1000));
            let info = validate(&n, TODAY).unwrap();
            assert_eq!(info.birth, birth);
            // A single changed digit in the sequence part is always caught by MOD 11-2.
            let pos = rng.gen_range(14..17);
            let mut bytes = n.clone().into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + rng.gen_range(1..10)) % 10;
            let bad = String::from_utf8(bytes).unwrap();
            assert_eq!(
                validate(&bad, TODAY).unwrap_err().code(),
                "RID_CHECK_CHAR",
                "{bad}"
            );
        }
    }

    #[test]
    fn minors() {
        let kid = validate(&compose("433101", Ymd::new(2010, 5, 1), 3), TODAY).unwrap();
        assert!(kid.is_minor_on(TODAY));
        let adult = validate(&compose("433101", Ymd::new(2008, 11, 29), 3), TODAY).unwrap();
        assert!(!adult.is_minor_on(TODAY));
    }
}
