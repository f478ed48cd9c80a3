//! The header of an import spreadsheet (measures, matters): each field's column, found by any of the
//! headers people give it, in any order; and a row's cell for a field. Pure.

/// Where each field's column is (`None`: absent), or the first header name of every required field
/// that is missing. Fields named in `optional` may be absent.
pub fn locate<const N: usize>(
    headers: &[String],
    columns: &'static [(&'static str, &'static [&'static str]); N],
    optional: &[&str],
) -> Result<[Option<usize>; N], Vec<&'static str>> {
    let mut at = [None; N];
    for (slot, (_, names)) in at.iter_mut().zip(columns.iter()) {
        *slot = headers.iter().position(|h| names.contains(&h.trim()));
    }
    let missing: Vec<&'static str> = columns
        .iter()
        .zip(at.iter())
        .filter(|((field, _), a)| a.is_none() && !optional.contains(field))
        .map(|((_, names), _)| names.first().copied().unwrap_or_default())
        .collect();
    if missing.is_empty() {
        Ok(at)
    } else {
        Err(missing)
    }
}

/// The cell of field `i` in `row`, trimmed ("" when the column or the cell is absent).
pub fn cell<const N: usize>(at: &[Option<usize>; N], row: &[String], i: usize) -> String {
    at.get(i)
        .copied()
        .flatten()
        .and_then(|c| row.get(c))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}
