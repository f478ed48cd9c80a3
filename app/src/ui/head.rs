//! What the project writes into `<head>`. leptos_meta copies the title into the server-rendered
//! `<title>` as it is, without escaping: a subject or article named `</title><meta http-equiv=…>`
//! would write tags into a public page. So every title goes through `document_title` (the root
//! `<Title formatter>`), which escapes on the server only: the browser sets `document.title` as
//! text, where an entity would show literally.
//!
//! `<Meta content>` values need no help: they are attributes, which tachys escapes as it renders
//! them (server/tests/web_security.rs checks both, so a change of either crate is caught).
use crate::SITE_NAME;

/// The document title for a page's own title ("" for the site name alone), ready for `<title>`.
pub fn document_title(page: String) -> String {
    let full = if page.trim().is_empty() {
        SITE_NAME.to_string()
    } else {
        format!("{page} - {SITE_NAME}")
    };
    if cfg!(feature = "ssr") {
        escape_text(&full)
    } else {
        full
    }
}

/// Escapes text for an HTML element's content (`&`, `<`, `>`). Control characters other than
/// tab and newline go too: they have no business in a title.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_title_becomes_text() {
        let hostile =
            r#"凤凰</title><meta http-equiv="refresh" content="0;url=https://evil.example">"#;
        let t = escape_text(hostile);
        assert!(!t.contains('<') && !t.contains('>'), "{t}");
        assert_eq!(
            t,
            r#"凤凰&lt;/title&gt;&lt;meta http-equiv="refresh" content="0;url=https://evil.example"&gt;"#
        );
        assert_eq!(escape_text("A & B\u{0}\nC"), "A &amp; B C");
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn titles_carry_the_site_name_and_are_escaped_on_the_server() {
        assert_eq!(document_title(String::new()), SITE_NAME);
        assert_eq!(
            document_title("<b>x</b>".into()),
            format!("&lt;b&gt;x&lt;/b&gt; - {SITE_NAME}")
        );
    }
}
