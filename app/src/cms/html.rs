//! The article body as HTML: what the editor may keep (an allow-list, via ammonia) and its plain text
//! for search and the pre-publication checks.

/// Tags an article body may contain: headings, paragraphs, emphasis, lists, links, images and tables.
#[cfg(feature = "ssr")]
const TAGS: &[&str] = &[
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "span",
];

/// Cleans HTML from the editor (or pasted from Word / WPS): only the allowed tags and attributes,
/// links only to http(s), mail and our own paths, and images only from our own file store. Scripts,
/// event handlers, styles and `javascript:` URLs do not survive.
#[cfg(feature = "ssr")]
pub fn sanitize(html: &str) -> String {
    use std::collections::{HashMap, HashSet};
    let tags: HashSet<&str> = TAGS.iter().copied().collect();
    let mut attrs: HashMap<&str, HashSet<&str>> = HashMap::new();
    attrs.insert("a", ["href", "title"].into_iter().collect());
    attrs.insert(
        "img",
        ["src", "alt", "width", "height"].into_iter().collect(),
    );
    attrs.insert("th", ["colspan", "rowspan", "scope"].into_iter().collect());
    attrs.insert("td", ["colspan", "rowspan"].into_iter().collect());
    attrs.insert("ol", ["start"].into_iter().collect());
    ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            // Pictures come only from the platform's own store (no tracking pixels, no mixed content).
            if element == "img" && attribute == "src" && !value.starts_with("/files/") {
                return None;
            }
            Some(value.into())
        })
        .clean(html)
        .to_string()
}

/// What the browser pastes from Word or WPS, made plain before it reaches the editor: comments,
/// `<style>`, `<script>` and `<xml>` blocks, Office's `<o:p>` tags and the `class`, `style` and `lang`
/// attributes go. The server's `sanitize` is still the rule for what is stored.
pub fn strip_office_markup(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<!--", "-->"),
        ("<style", "</style>"),
        ("<script", "</script>"),
        ("<xml", "</xml>"),
    ] {
        while let Some(span) = block_span(&s, open, close) {
            s.replace_range(span, "");
        }
    }
    for tag in ["<o:p>", "</o:p>"] {
        s = s.replace(tag, "");
    }
    for attr in [" class=", " style=", " lang="] {
        while let Some(start) = s.find(attr) {
            let end = attribute_end(&s, start + attr.len());
            s.replace_range(start..end, "");
        }
    }
    s
}

/// The byte range of the first `open` … `close` block (ASCII case-insensitive); an unclosed block
/// runs to the end.
fn block_span(s: &str, open: &str, close: &str) -> Option<std::ops::Range<usize>> {
    // ASCII lower-casing keeps byte offsets, so positions in `lower` are positions in `s`.
    let lower = s.to_ascii_lowercase();
    let start = lower.find(open)?;
    let end = lower
        .get(start..)
        .and_then(|rest| rest.find(close))
        .map_or(s.len(), |e| start + e + close.len());
    Some(start..end)
}

/// Where an attribute value that starts at `value_start` ends: after its closing quote, or at the
/// next space or `>` when unquoted. Pasted HTML may stop anywhere (` class=` as the last bytes), so
/// a value that never ends runs to the end of the text.
fn attribute_end(s: &str, value_start: usize) -> usize {
    let rest = s.get(value_start..).unwrap_or_default();
    match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => rest
            .get(1..)
            .and_then(|value| value.find(quote))
            .map_or(s.len(), |e| value_start + 1 + e + 1),
        _ => rest.find([' ', '>']).map_or(s.len(), |e| value_start + e),
    }
}

/// The text of an HTML fragment: tags removed, common entities decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let dirty = r#"<p onclick="x()">正文<script>alert(1)</script></p><img src="/files/a.png" onerror="alert(2)" alt="图"><a href="javascript:alert(3)">链接</a><img src="http://evil.example/t.gif"><p style="color:red">样式</p>"#;
        let clean = sanitize(dirty);
        for bad in [
            "script",
            "onclick",
            "onerror",
            "javascript:",
            "evil.example",
            "style=",
        ] {
            assert!(!clean.contains(bad), "{bad} survived: {clean}");
        }
        assert!(
            clean.contains(r#"<img src="/files/a.png" alt="图">"#),
            "{clean}"
        );
        assert!(clean.contains("正文") && clean.contains("链接") && clean.contains("样式"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn word_paste_keeps_structure_but_not_its_markup() {
        let word = r#"<p class="MsoNormal" style="mso-line-height:1.5"><span lang="EN-US" style="font-family:宋体"><o:p>第一条</o:p></span></p><table class="MsoTable"><tr><td width="100" style="border:1px">甲</td></tr></table>"#;
        let clean = sanitize(word);
        assert!(!clean.contains("Mso") && !clean.contains("mso-") && !clean.contains("o:p"));
        assert!(
            clean.contains("第一条") && clean.contains("<td>甲</td>"),
            "{clean}"
        );
    }

    #[test]
    fn office_markup_is_stripped_before_pasting() {
        let word = r#"<!--[if gte mso 9]><xml><w:WordDocument/></xml><![endif]--><style>p.MsoNormal{margin:0}</style><p class="MsoNormal" style='font-family:宋体' lang=EN-US>第一条<o:p></o:p></p>"#;
        assert_eq!(strip_office_markup(word), "<p>第一条</p>");
    }

    #[test]
    fn a_dangling_attribute_at_the_end_does_not_panic() {
        assert_eq!(strip_office_markup("<p class="), "<p");
        assert_eq!(strip_office_markup("<p style=\""), "<p");
        assert_eq!(strip_office_markup("<p lang=x"), "<p");
        assert_eq!(strip_office_markup("<p class='文"), "<p");
    }

    /// Pieces of the HTML that Word, WPS and a careless paste produce, including cut-off tags.
    const FRAGMENTS: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        " class=",
        " style=",
        " lang=",
        "\"",
        "'",
        "=",
        " ",
        "<!--",
        "-->",
        "<o:p>",
        "</o:p>",
        "mso-",
        "style=",
        "<style",
        "</style>",
        "<script",
        "</script>",
        "<xml",
        "</xml>",
        "<p",
        "<p>",
        "</p>",
        "<span",
        "<td",
        "<img src=",
        "/files/",
        "javascript:",
        "&amp;",
        "&nbsp;",
        "&",
        "第一条",
        "信用",
        "湘西",
        "宋体",
        "\u{1F600}",
        "MsoNormal",
        "EN-US",
    ];

    /// Strings glued from `FRAGMENTS`, possibly cut at any character (a truncated paste).
    fn html_ish() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (
            proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..40),
            any::<proptest::sample::Index>(),
        )
            .prop_map(|(parts, cut)| {
                let joined = parts.concat();
                let chars = joined.chars().count();
                let keep = if chars == 0 { 0 } else { cut.index(chars + 1) };
                joined.chars().take(keep).collect()
            })
    }

    proptest::proptest! {
        #[test]
        fn office_clean_up_never_panics_on_any_text(input in proptest::prelude::any::<String>()) {
            let out = strip_office_markup(&input);
            proptest::prop_assert!(out.len() <= input.len());
            plain_text(&input);
        }

        #[test]
        fn office_clean_up_never_panics_on_html_ish_text(input in html_ish()) {
            let out = strip_office_markup(&input);
            proptest::prop_assert!(out.len() <= input.len());
            proptest::prop_assert!(!out.contains(" lang="), "{}", out);
            plain_text(&input);
        }
    }

    #[cfg(feature = "ssr")]
    proptest::proptest! {
        #[test]
        fn sanitize_never_panics_on_any_text(input in proptest::prelude::any::<String>()) {
            sanitize(&input);
        }

        #[test]
        fn sanitize_never_panics_on_html_ish_text(input in html_ish()) {
            let clean = sanitize(&input);
            proptest::prop_assert!(!clean.contains("<script"), "{}", clean);
            sanitize(&strip_office_markup(&input));
        }
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            plain_text("<h2>标题</h2><p>A &amp; B&nbsp;<b>信用</b></p>"),
            "标题 A & B 信用"
        );
    }
}
