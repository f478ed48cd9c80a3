//! Administrative division codes (GB/T 2260): the province-level check used by identifier rules,
//! and the Xiangxi prefecture's own codes.

/// Province-level prefixes valid in GB/T 2260 (and `10` for central registration in a USCC).
const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// True when the first two digits name a province-level division.
pub fn has_province_prefix(code: &str) -> bool {
    code.get(0..2)
        .and_then(|p| p.parse::<u8>().ok())
        .is_some_and(|p| PROVINCES.contains(&p))
}

/// GB/T 2260 codes shipped with the rules (see the file's header for its source).
const TABLE: &str = include_str!("data/gb2260.txt");

/// True when the code is in the shipped GB/T 2260 table, or is the central-registration code 100000.
/// Codes that pass the province check but are not listed may be retired ones: callers warn, not reject.
pub fn is_listed(code: &str) -> bool {
    static CODES: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    if code == "100000" {
        return true;
    }
    let Ok(n) = code.parse::<u32>() else {
        return false;
    };
    let codes = CODES.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    });
    code.len() == 6 && codes.binary_search(&n).is_ok()
}

/// The prefecture level itself (州本级): a unit here works for the whole prefecture, not one county.
pub const PREFECTURE: &str = "433100";

/// The divisions of 湘西土家族苗族自治州 (docs/domain.md §4).
pub const XIANGXI: &[(&str, &str)] = &[
    ("433100", "湘西州本级"),
    ("433101", "吉首市"),
    ("433122", "泸溪县"),
    ("433123", "凤凰县"),
    ("433124", "花垣县"),
    ("433125", "保靖县"),
    ("433126", "古丈县"),
    ("433127", "永顺县"),
    ("433130", "龙山县"),
];

/// Name of a Xiangxi division, if the code is one.
pub fn xiangxi_name(code: &str) -> Option<&'static str> {
    XIANGXI.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn province_prefixes() {
        assert!(has_province_prefix("433101"));
        assert!(has_province_prefix("110105"));
        assert!(has_province_prefix("820000"));
        assert!(!has_province_prefix("100000"));
        assert!(!has_province_prefix("190000"));
        assert!(!has_province_prefix("4"));
        assert!(!has_province_prefix("AB0000"));
    }

    #[test]
    fn table_lookup() {
        assert!(is_listed("433123"));
        assert!(is_listed("110105"));
        assert!(is_listed("430000"));
        assert!(is_listed("433100"));
        assert!(!is_listed("439999"));
        assert!(!is_listed("4331"));
        // Every Xiangxi code is in the table.
        assert!(XIANGXI.iter().all(|(c, _)| is_listed(c)));
    }

    #[test]
    fn xiangxi_names() {
        assert_eq!(xiangxi_name("433123"), Some("凤凰县"));
        assert_eq!(xiangxi_name("430000"), None);
    }
}
