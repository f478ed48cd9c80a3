//! Codes people read from a screen or paper and type back: tracking codes (consultations, cases) and
//! report verification codes. One alphabet without 0/O and 1/I/L, so a code read aloud or over the
//! telephone is typed right; tracking codes end in a check character, so a mistyped one is caught
//! before any lookup.

/// The 31 letters of every code.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Letters from `random` (one value per letter; any values will do).
pub fn letters(random: &[u32]) -> String {
    random
        .iter()
        .filter_map(|r| {
            ALPHABET
                .get(*r as usize % ALPHABET.len())
                .map(|b| *b as char)
        })
        .collect()
}

fn check_char(body: &[u8]) -> Option<u8> {
    let mut sum = 0usize;
    for (i, b) in body.iter().enumerate() {
        let v = ALPHABET.iter().position(|a| a == b)?;
        sum += v * (i + 2);
    }
    ALPHABET.get(sum % ALPHABET.len()).copied()
}

/// A tracking code: the letters of `random` and a check character (`random.len() + 1` characters).
pub fn with_check(random: &[u32]) -> String {
    let mut code = letters(random);
    if let Some(c) = check_char(code.as_bytes()) {
        code.push(c as char);
    }
    code
}

/// A tracking code of `len` characters as typed, made canonical (upper case, spaces and hyphens
/// dropped), if it is well formed and its check character fits.
pub fn normalise(typed: &str, len: usize) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = code.as_bytes();
    let (body, last) = bytes.split_at_checked(len.checked_sub(1)?)?;
    (bytes.len() == len && last.first().copied() == check_char(body)).then_some(code)
}

/// Bits of randomness in a tracking code of `len` characters (the check character adds none).
pub fn entropy_bits(len: usize) -> f64 {
    len.saturating_sub(1) as f64 * (ALPHABET.len() as f64).log2()
}

/// `len` random letters (server only: the random source).
#[cfg(feature = "ssr")]
pub fn random(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let values: Vec<u32> = (0..len).map(|_| rng.gen()).collect();
    letters(&values)
}

/// A random tracking code of `len` characters, the last one the check character.
#[cfg(feature = "ssr")]
pub fn random_tracking(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let values: Vec<u32> = (0..len.saturating_sub(1)).map(|_| rng.gen()).collect();
    with_check(&values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_carry_a_check_character() {
        let code = with_check(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(code.len(), 16);
        assert_eq!(normalise(&code, 16).as_deref(), Some(code.as_str()));
        let typed = format!(" {}-{} ", &code[..8].to_lowercase(), &code[8..]);
        assert_eq!(normalise(&typed, 16).as_deref(), Some(code.as_str()));
        let mut wrong = code.clone().into_bytes();
        wrong[3] = if wrong[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(normalise(&String::from_utf8(wrong).unwrap(), 16), None);
        assert_eq!(normalise(&code, 10), None, "a code of another length");
        assert_eq!(normalise("", 0), None);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
    }

    #[test]
    fn a_case_code_cannot_be_guessed() {
        // 15 random letters of 31: more than the 64 bits the rules ask for.
        assert!(entropy_bits(16) > 74.0, "{}", entropy_bits(16));
        assert_eq!(letters(&[0, 30, 31]), "2Z2");
    }
}
