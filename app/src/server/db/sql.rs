//! Helpers that build SQL text for lists: a whitelisted ORDER BY, LIKE patterns with the user's
//! wildcards escaped, and bounded paging. The one place LIKE text is escaped.

/// Rows on one page of a console list.
pub const PER_PAGE: i64 = 20;

/// The highest page a list serves. A page number comes from the URL, anyone's to send: bounded, the
/// `(page - 1) * per_page` offset cannot overflow (a huge `page` was a panic, or a negative OFFSET).
pub const MAX_PAGE: i64 = 100_000;

/// A requested page number made safe for `LIMIT per_page OFFSET (page - 1) * per_page`.
pub fn clamp_page(page: i64) -> i64 {
    page.clamp(1, MAX_PAGE)
}

/// Picks a whitelisted ORDER BY clause from a `sort` parameter (`key` or `-key`).
pub fn order_by<'a>(sort: &str, allowed: &[(&str, &'a str)], default: &'a str) -> String {
    let (key, desc) = match sort.strip_prefix('-') {
        Some(k) => (k, true),
        None => (sort, false),
    };
    match allowed.iter().find(|(k, _)| *k == key) {
        Some((_, col)) => format!("{col} {}", if desc { "DESC" } else { "ASC" }),
        None => default.to_string(),
    }
}

/// `text` with LIKE's `%`, `_` and `\` escaped by `\` (use `ESCAPE '\'`), so they match themselves.
pub fn escape_like(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// A case-insensitive "contains" LIKE pattern for a user's search text (compare with `LOWER(…)`).
pub fn like_pattern(text: &str) -> String {
    format!("%{}%", escape_like(&text.trim().to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_is_whitelisted() {
        let allowed = [("name", "u.username"), ("at", "u.created_at")];
        assert_eq!(order_by("name", &allowed, "u.id"), "u.username ASC");
        assert_eq!(order_by("-at", &allowed, "u.id"), "u.created_at DESC");
        assert_eq!(order_by("1; DROP TABLE users", &allowed, "u.id"), "u.id");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Ab%_ "), "%ab\\%\\_%");
        assert_eq!(like_pattern("x'--"), "%x'--%");
        assert_eq!(escape_like("a\\b%"), "a\\\\b\\%");
    }

    #[test]
    fn pages_are_bounded() {
        assert_eq!(clamp_page(0), 1);
        assert_eq!(clamp_page(i64::MAX), MAX_PAGE);
    }
}
