//! The filters the 联合奖惩 console lists share: the caller's unit picked from the list's select
//! (`d` is the unit) and words searched in the list's own columns. Placeholders number on from `binds`.
use crate::server::db::sql::escape_like;

/// Adds `AND d.public_id = $n` for a picked unit and `AND (c1 LIKE $n OR …)` for words to `filter`.
pub fn unit_and_words(
    binds: &mut Vec<String>,
    filter: &mut String,
    unit: &str,
    words: &str,
    columns: &[&str],
) {
    if !unit.is_empty() {
        binds.push(unit.to_string());
        filter.push_str(&format!(" AND d.public_id = ${}", binds.len()));
    }
    let words = words.trim();
    if !words.is_empty() && !columns.is_empty() {
        binds.push(format!("%{}%", escape_like(words)));
        let n = binds.len();
        let any = columns
            .iter()
            .map(|c| format!("{c} LIKE ${n} ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        filter.push_str(&format!(" AND ({any})"));
    }
}
