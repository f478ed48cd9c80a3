//! Input normalisation shared by identifier rules.

/// Converts full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space to half-width.
pub fn to_half_width(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Trim, half-width, upper-case: the canonical form of an identifier typed by a person.
pub fn identifier(raw: &str) -> String {
    to_half_width(raw).trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_code_is_normalised() {
        assert_eq!(
            identifier("　９１３５０１００ｍ０００１００ｙ４３ "),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn chinese_text_is_untouched() {
        assert_eq!(to_half_width("湘西（吉首）"), "湘西(吉首)");
    }
}
