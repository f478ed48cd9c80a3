//! Reading cell text: dates in the formats units actually send, money in 万元, multi-value codes,
//! and unmasked personal numbers hidden in free text.
use crate::rules::date::Ymd;
use crate::rules::normalize;

/// "长期" validity is stored as this date (docs/domain.md §5.1).
pub const LONG_TERM: Ymd = Ymd::new(2099, 12, 31);

/// Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included), so serial 45658 is 2025-01-01.
const EXCEL_EPOCH: Ymd = Ymd::new(1899, 12, 30);

/// Parses `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`, `YYYY年M月D日`, an Excel serial
/// number (from an XLSX date cell or a CSV written from one), and a trailing time part, which is ignored.
pub fn parse_date(raw: &str) -> Option<Ymd> {
    let text = normalize::to_half_width(raw);
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next().unwrap_or_default();
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        return Ymd::parse_compact(date_part);
    }
    if let Some(serial) = excel_serial(date_part) {
        return Some(EXCEL_EPOCH.add_days(serial));
    }
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3
        || parts.first().is_none_or(|y| y.len() != 4)
        || parts.iter().any(|p| p.len() > 4)
    {
        return None;
    }
    let mut nums = parts.iter().map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (nums.next()??, nums.next()??, nums.next()??);
    Ymd::checked(y as i32, m, d)
}

/// Serial numbers between 1 (1900-01-01) and 73050 (2099-12-31); fractions are times of day.
fn excel_serial(s: &str) -> Option<i64> {
    let whole = s.split_once('.').map_or(s, |(w, frac)| {
        if frac.bytes().all(|b| b.is_ascii_digit()) {
            w
        } else {
            ""
        }
    });
    if whole.is_empty() || whole.len() > 5 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = whole.parse().ok()?;
    (1..=73_050).contains(&n).then_some(n)
}

/// A date that may be "长期" (long-term).
pub fn parse_date_or_long(raw: &str) -> Option<Ymd> {
    match raw.trim() {
        "长期" | "永久" | "长期有效" => Some(LONG_TERM),
        other => parse_date(other),
    }
}

/// Money in 万元 (up to 6 decimals, so exact to the fen) → fen. Thousands separators are accepted.
pub fn parse_wan_yuan(raw: &str) -> Result<i64, MoneyError> {
    let text: String = normalize::to_half_width(raw)
        .trim()
        .trim_end_matches("万元")
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !whole.is_empty()
        && whole.len() <= 9
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(MoneyError::NotANumber);
    }
    if frac.len() > 6 && frac[6..].bytes().any(|b| b != b'0') {
        return Err(MoneyError::TooPrecise);
    }
    let mut frac6 = frac.chars().take(6).collect::<String>();
    while frac6.len() < 6 {
        frac6.push('0');
    }
    // 1 万元 = 1 000 000 fen; whole ≤ 9 digits keeps this well inside i64.
    let fen = whole.parse::<i64>().map_err(|_| MoneyError::NotANumber)? * 1_000_000
        + frac6.parse::<i64>().map_err(|_| MoneyError::NotANumber)?;
    if negative {
        return Err(MoneyError::Negative);
    }
    Ok(fen)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    NotANumber,
    TooPrecise,
    Negative,
}

/// Fen → 万元 text without trailing zeros, for exports and diffs.
pub fn fen_to_wan_yuan(fen: i64) -> String {
    let text = format!("{}.{:06}", fen / 1_000_000, (fen % 1_000_000).abs());
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Splits a multi-value cell: ; ； , ， 、 | and whitespace all separate.
pub fn split_multi(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', '；', ',', '，', '、', '|', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub use crate::rules::pii::Pii;

/// The first full resident ID number or mobile number in text (see `rules::pii`: full-width digits and
/// separated digits count too); masked forms and longer digit runs (account numbers) do not.
pub fn find_unmasked(text: &str, today: Ymd) -> Option<Pii> {
    crate::rules::pii::first(text, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_format() {
        let d = Some(Ymd::new(2025, 3, 7));
        for s in [
            "2025-03-07",
            "2025/3/7",
            "2025.03.07",
            "20250307",
            "2025年3月7日",
            "２０２５－０３－０７",
            "2025-03-07 10:20:00",
            "2025-03-07T10:20:00",
            "45723",
            "45723.5",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        for s in [
            "",
            "2025-02-30",
            "25-03-07",
            "明天",
            "2025-03",
            "99999999",
            "0",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(parse_date_or_long("长期"), Some(LONG_TERM));
    }

    #[test]
    fn money_in_wan_yuan() {
        assert_eq!(parse_wan_yuan("1.5"), Ok(1_500_000));
        assert_eq!(parse_wan_yuan("0.0001"), Ok(100));
        assert_eq!(parse_wan_yuan("1,200"), Ok(1_200_000_000));
        assert_eq!(parse_wan_yuan("3万元"), Ok(3_000_000));
        assert_eq!(parse_wan_yuan("0.1234567"), Err(MoneyError::TooPrecise));
        assert_eq!(parse_wan_yuan("-1"), Err(MoneyError::Negative));
        assert_eq!(parse_wan_yuan("一万"), Err(MoneyError::NotANumber));
        assert_eq!(parse_wan_yuan("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(fen_to_wan_yuan(1_500_000), "1.5");
        assert_eq!(fen_to_wan_yuan(100), "0.0001");
        assert_eq!(fen_to_wan_yuan(3_000_000), "3");
    }

    #[test]
    fn multi_values_split_on_any_separator() {
        let v: Vec<&str> = split_multi("警告；罚款、没收违法所得, 其他").collect();
        assert_eq!(v, vec!["警告", "罚款", "没收违法所得", "其他"]);
    }

    #[test]
    fn unmasked_numbers_in_text() {
        let today = Ymd::new(2026, 11, 29);
        assert_eq!(
            find_unmasked("当事人张三（身份证11010519491231002X）", today),
            Some(Pii::ResidentId)
        );
        assert_eq!(
            find_unmasked("联系电话13812345678。", today),
            Some(Pii::Phone)
        );
        assert_eq!(find_unmasked("身份证110105********002X", today), None);
        assert_eq!(find_unmasked("账号6222021234567890123", today), None);
        // An 18-digit run with a wrong check character is not an ID number.
        assert_eq!(find_unmasked("编号110105194912310021", today), None);
        assert_eq!(find_unmasked("罚款5000元", today), None);
    }
}
