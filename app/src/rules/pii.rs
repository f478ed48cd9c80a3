//! Personal numbers hidden in text (docs/domain.md §3.3, §6.2): resident ID numbers (18 digits with a valid
//! check character, or the old 15 digits, each with a real birth date) and mobile numbers, found even
//! when written with full-width or other digit forms, or split by spaces, zero-width characters,
//! hyphens or dots. Each hit keeps its span in the original text, so that it is masked in place and
//! the rest of the text stays as written.
//!
//! Normalisation is a small explicit table rather than full NFKC (keeps the WASM small): ASCII and
//! full-width digits (U+FF10–FF19) and the mathematical digits (U+1D7CE–1D7FF); X, x, Ｘ, ｘ as the
//! check character; as separators every Unicode white space (U+3000 included), the zero-width
//! characters U+200B–U+200D, U+2060 and U+FEFF, the soft hyphen, ASCII and full-width hyphens and dots,
//! the dashes U+2010–U+2015 and U+2212, and the middle dots · and ・.
use crate::rules::date::Ymd;
use crate::rules::mask::MaskRule;
use crate::rules::resident_id;
use serde::{Deserialize, Serialize};

/// What kind of personal number a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pii {
    ResidentId,
    Phone,
}

/// One personal number found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: Pii,
    /// Byte range in the original text, from the first digit to the last character of the number.
    pub start: usize,
    pub end: usize,
    /// The number in canonical form: ASCII digits, an upper-case X.
    pub number: String,
}

/// At most this many separator characters between two digit groups of one number ("433101 - 1990…").
const MAX_GAP: usize = 3;

/// The digit a character stands for.
fn digit(c: char) -> Option<char> {
    let d = match c {
        '0'..='9' => c as u32 - '0' as u32,
        '\u{FF10}'..='\u{FF19}' => c as u32 - 0xFF10,
        '\u{1D7CE}'..='\u{1D7FF}' => (c as u32 - 0x1D7CE) % 10,
        _ => return None,
    };
    char::from_digit(d, 10)
}

fn is_check_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | '\u{FF38}' | '\u{FF58}')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '-'
                | '\u{FF0D}'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}'
                | '.'
                | '\u{FF0E}'
                | '\u{00B7}'
                | '\u{30FB}'
        )
}

/// A maximal run of digits written together (no separator inside), perhaps ending in a check X.
struct Group {
    start: usize,
    end: usize,
    chars: String,
    /// Written right after a Latin letter, as codes are (JY14331010001): never read as a phone.
    after_letter: bool,
}

/// Digit groups of the text; `joined[i]` says whether group i follows group i-1 across separators only.
fn groups(text: &str) -> (Vec<Group>, Vec<bool>) {
    let mut out: Vec<Group> = vec![];
    let mut joined: Vec<bool> = vec![];
    let mut current: Option<Group> = None;
    // Separators seen since the last group ended; None once something else breaks the run.
    let mut gap: Option<usize> = None;
    let mut prev: Option<char> = None;
    // Whether the previous character was a check X that closed a number (not a code's letter).
    let mut x_closed = false;
    for (pos, c) in text.char_indices() {
        let before = prev.replace(c);
        let after_x = std::mem::take(&mut x_closed);
        let end = pos + c.len_utf8();
        if let Some(d) = digit(c) {
            match current.as_mut() {
                Some(g) => {
                    g.chars.push(d);
                    g.end = end;
                }
                None => {
                    joined.push(gap.is_some_and(|n| n <= MAX_GAP) && !out.is_empty());
                    current = Some(Group {
                        start: pos,
                        end,
                        chars: d.to_string(),
                        after_letter: !after_x && before.is_some_and(|b| b.is_ascii_alphabetic()),
                    });
                }
            }
            continue;
        }
        if is_check_x(c) {
            if let Some(mut g) = current.take() {
                // A check X closes its group: the number ends here.
                g.chars.push('X');
                g.end = end;
                out.push(g);
                gap = None;
                x_closed = true;
                continue;
            }
        }
        if let Some(g) = current.take() {
            out.push(g);
            gap = Some(0);
        }
        gap = match gap {
            Some(n) if is_separator(c) => Some(n + 1),
            _ => None,
        };
    }
    if let Some(g) = current.take() {
        out.push(g);
    }
    (out, joined)
}

fn is_mobile(n: &str) -> bool {
    n.len() == 11
        && matches!(n.as_bytes(), [b'1', b'3'..=b'9', ..])
        && n.bytes().all(|c| c.is_ascii_digit())
}

fn classify(number: &str, today: Ymd) -> Option<Pii> {
    match number.len() {
        18 | 15 if resident_id::validate(number, today).is_ok() => Some(Pii::ResidentId),
        11 if is_mobile(number) => Some(Pii::Phone),
        _ => None,
    }
}

/// Every resident ID and mobile number in `text`, left to right, not overlapping. A number is a whole
/// number of digit groups: runs of digits longer than 18 written together (account numbers) are left
/// alone, as are masked forms (`*` breaks a run). Where groups could form an ID or a phone, the longer
/// reading wins.
pub fn find(text: &str, today: Ymd) -> Vec<Hit> {
    // Most cells (names, short texts) hold fewer digits than the shortest number: no allocation.
    if text
        .chars()
        .filter(|c| digit(*c).is_some())
        .take(11)
        .count()
        < 11
    {
        return vec![];
    }
    let (groups, joined) = groups(text);
    let mut hits = vec![];
    let mut i = 0;
    while let Some(first) = groups.get(i) {
        // (index of the last group, end of the number, the number, its kind)
        let mut best: Option<(usize, usize, String, Pii)> = None;
        let mut number = String::new();
        // `joined` has one entry per group.
        for (j, (g, &join)) in groups.iter().zip(&joined).enumerate().skip(i) {
            if j > i && !join {
                break;
            }
            // A check X may only end an 18-character number.
            if number.ends_with('X') {
                break;
            }
            number.push_str(&g.chars);
            if number.len() > 18 {
                break;
            }
            match classify(&number, today) {
                Some(Pii::Phone) if first.after_letter => {}
                Some(kind) => best = Some((j, g.end, number.clone(), kind)),
                None => {}
            }
        }
        match best {
            Some((j, end, number, kind)) => {
                hits.push(Hit {
                    kind,
                    start: first.start,
                    end,
                    number,
                });
                i = j + 1;
            }
            None => i += 1,
        }
    }
    hits
}

/// A text with its personal numbers masked, and how many of each there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub text: String,
    pub ids: usize,
    pub phones: usize,
}

impl Masked {
    pub fn changed(&self) -> bool {
        self.ids + self.phones > 0
    }
}

/// Masks every hit in place: an ID with `id_mask` (the disclosure policy's; 6 + 4 by default), a phone
/// with 3 + 4. The masked number is written in canonical form; the text around it is untouched.
pub fn mask(text: &str, today: Ymd, id_mask: MaskRule) -> Masked {
    let hits = find(text, today);
    let mut out = String::with_capacity(text.len());
    let (mut ids, mut phones, mut last) = (0, 0, 0);
    for h in &hits {
        // Hits are in order and on character boundaries (found by `char_indices`).
        out.push_str(text.get(last..h.start).unwrap_or_default());
        match h.kind {
            Pii::ResidentId => {
                ids += 1;
                out.push_str(&id_mask.apply(&h.number));
            }
            Pii::Phone => {
                phones += 1;
                out.push_str(&MaskRule::PHONE.apply(&h.number));
            }
        }
        last = h.end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Masked {
        text: out,
        ids,
        phones,
    }
}

/// The first personal number in `text`, if any.
pub fn first(text: &str, today: Ymd) -> Option<Pii> {
    find(text, today).first().map(|h| h.kind)
}

/// Text on its way to a public page, report or verification answer: full numbers masked, and numbers
/// masked earlier (perhaps under a laxer rule) masked again with the policy's rule, so that the
/// publication edge alone guarantees the policy whatever is stored.
pub fn public_text(text: &str, today: Ymd, id_mask: MaskRule) -> String {
    let masked = mask(text, today, id_mask).text;
    if !masked.contains('*') {
        return masked;
    }
    remask(&masked, id_mask)
}

/// Re-applies `id_mask` to masked ID-shaped tokens: 15 or 18 characters of digits, `*` and a final X,
/// with at least one `*`. A token fully masked stays fully masked; masking never reveals a digit.
fn remask(text: &str, id_mask: MaskRule) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let n = token.chars().count();
        if (n == 15 || n == 18) && token.contains('*') {
            let re = id_mask.apply(token);
            // Keep the stricter of the two: a star stays a star.
            out.extend(token.chars().zip(re.chars()).map(|(a, b)| {
                if a == '*' || b == '*' {
                    '*'
                } else {
                    a
                }
            }));
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || c == '*' || c == 'X' {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Ymd = Ymd::new(2026, 11, 29);
    /// GB 11643's own example, and a Jishou number built by the rules.
    const ID: &str = "11010519491231002X";

    fn jishou() -> String {
        resident_id::compose("433101", Ymd::new(1990, 1, 1), 201)
    }

    fn masked(text: &str) -> Masked {
        mask(text, TODAY, MaskRule::RESIDENT_ID)
    }

    #[test]
    fn plain_numbers_are_found() {
        assert_eq!(
            first(&format!("身份证{ID}。"), TODAY),
            Some(Pii::ResidentId)
        );
        assert_eq!(first("联系电话13812345678。", TODAY), Some(Pii::Phone));
        assert_eq!(first("罚款5000元", TODAY), None);
    }

    #[test]
    fn full_width_digits_are_found_and_masked_in_place() {
        let full: String = jishou()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        let m = masked(&format!("当事人（身份证号：{full}）无照经营"));
        assert_eq!(m.ids, 1);
        assert_eq!(
            m.text,
            format!(
                "当事人（身份证号：{}）无照经营",
                MaskRule::RESIDENT_ID.apply(&jishou())
            )
        );
        let m = masked("１１０１０５１９４９１２３１００２Ｘ");
        assert_eq!(m.text, "110105********002X");
    }

    #[test]
    fn spaced_and_zero_width_split_numbers_are_found() {
        let n = jishou();
        let spaced = format!("{} {} {} {}", &n[..6], &n[6..10], &n[10..14], &n[14..]);
        let m = masked(&format!("身份证 {spaced} 。"));
        assert_eq!(m.ids, 1, "{spaced}");
        assert_eq!(
            m.text,
            format!("身份证 {} 。", MaskRule::RESIDENT_ID.apply(&n))
        );
        let zw = format!("{}\u{200B}{}\u{2060}{}", &n[..3], &n[3..9], &n[9..]);
        assert_eq!(masked(&zw).text, MaskRule::RESIDENT_ID.apply(&n));
        let ideographic = format!(
            "{}\u{3000}{}-{}·{}",
            &n[..6],
            &n[6..14],
            &n[14..16],
            &n[16..]
        );
        assert_eq!(masked(&ideographic).ids, 1);
        let m = masked("电话：138 1234 5678，地址不详");
        assert_eq!(
            (m.phones, m.text.as_str()),
            (1, "电话：138****5678，地址不详")
        );
        assert_eq!(masked("手机138-1234-5678").text, "手机138****5678");
    }

    #[test]
    fn an_id_and_a_phone_side_by_side_are_both_masked() {
        let m = masked(&format!("{ID} 13812345678"));
        assert_eq!((m.ids, m.phones), (1, 1));
        assert_eq!(m.text, "110105********002X 138****5678");
        let m = masked(&format!("{ID}13812345678"));
        assert_eq!((m.ids, m.phones), (1, 1), "the check X ends the ID");
    }

    #[test]
    fn fifteen_digit_numbers_are_ids() {
        let m = masked("旧身份证110105491231002");
        assert_eq!((m.ids, m.text.as_str()), (1, "旧身份证110105*****1002"));
    }

    #[test]
    fn look_alikes_are_left_alone() {
        for text in [
            "身份证110105********002X",
            "账号6222021234567890123",
            "账号 6222 0212 3456 7890 123",
            // A wrong check character, and an impossible birth date.
            "编号110105194912310021",
            "编号110105194913310021",
            "湘西市监罚〔2026〕12号",
            "2026-03-07 10:20:00",
            "罚款 1,380,000.00 元",
            "电话12345678901",
            // Codes with a letter prefix are not phones.
            "许可证编号JY14331010001",
        ] {
            let m = masked(text);
            assert!(!m.changed(), "{text} → {}", m.text);
            assert_eq!(m.text, text);
        }
    }

    #[test]
    fn wide_gaps_break_a_number() {
        let n = jishou();
        assert_eq!(masked(&format!("{}    {}", &n[..6], &n[6..])).ids, 0);
    }

    #[test]
    fn public_text_applies_the_policy_to_earlier_masks_too() {
        let strict = MaskRule { head: 3, tail: 2 };
        assert_eq!(
            public_text("号码110105********002X，电话13812345678", TODAY, strict),
            "号码110*************2X，电话138****5678"
        );
        // A laxer policy never reveals what was masked.
        assert_eq!(
            public_text(
                "号码110105********002X",
                TODAY,
                MaskRule { head: 10, tail: 4 }
            ),
            "号码110105********002X"
        );
        assert_eq!(public_text("无号码", TODAY, strict), "无号码");
    }
}
