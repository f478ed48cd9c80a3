//! The check before publication (docs/domain.md §13): sensitive words (a configurable list that blocks or
//! warns), unmasked ID or phone numbers (the cleaning rules' own detector: they block), and warnings
//! for empty fields, images without a description and links that cannot work.
use super::html::plain_text;
use super::model::{ArticleContent, Finding};
use crate::rules::clean::values::{find_unmasked, Pii};
use crate::rules::date::Ymd;

/// A word of the list and whether it blocks publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveWord {
    pub word: String,
    pub blocks: bool,
}

fn finding(blocks: bool, code: &str, message: String) -> Finding {
    Finding {
        blocks,
        code: code.into(),
        message,
    }
}

/// Runs every check on the article's text. Findings that block come first.
pub fn check(content: &ArticleContent, words: &[SensitiveWord], today: Ymd) -> Vec<Finding> {
    let body_text = plain_text(&content.body_html);
    let all_text = format!(
        "{} {} {} {} {}",
        content.title, content.subtitle, content.summary, content.source, body_text
    );
    let mut out = vec![];
    for w in words
        .iter()
        .filter(|w| !w.word.is_empty() && all_text.contains(&w.word))
    {
        out.push(finding(
            w.blocks,
            if w.blocks {
                "SENSITIVE_BLOCK"
            } else {
                "SENSITIVE_WARN"
            },
            format!(
                "文中出现{}“{}”，{}",
                if w.blocks { "禁用词" } else { "敏感词" },
                w.word,
                if w.blocks {
                    "请删除或改写后再发布。"
                } else {
                    "请确认用词是否妥当。"
                }
            ),
        ));
    }
    match find_unmasked(&all_text, today) {
        Some(Pii::ResidentId) => out.push(finding(
            true,
            "PII_ID",
            "文中有完整的身份证号码：公开发布前必须脱敏（如 4331**********1234）。".into(),
        )),
        Some(Pii::Phone) => out.push(finding(
            true,
            "PII_PHONE",
            "文中有完整的手机号码：公开发布前必须脱敏（如 138****5678）。".into(),
        )),
        None => {}
    }
    if content.title.trim().is_empty() {
        out.push(finding(
            true,
            "EMPTY_TITLE",
            "标题为空：请填写标题。".into(),
        ));
    }
    if body_text.trim().is_empty() && content.attachments.is_empty() {
        out.push(finding(
            false,
            "EMPTY_BODY",
            "正文为空且没有附件：读者打开后看不到内容。".into(),
        ));
    }
    if content.summary.trim().is_empty() {
        out.push(finding(
            false,
            "EMPTY_SUMMARY",
            "摘要为空：列表和分享卡片将只显示标题。".into(),
        ));
    }
    if content.source.trim().is_empty() {
        out.push(finding(
            false,
            "EMPTY_SOURCE",
            "来源为空：政府网站文章应注明来源。".into(),
        ));
    }
    if content.cover.is_some() && content.cover_alt.trim().is_empty() {
        out.push(finding(
            false,
            "IMG_ALT",
            "封面图没有文字说明：请为视障读者填写图片说明。".into(),
        ));
    }
    let images_without_alt = count_images_without_alt(&content.body_html);
    if images_without_alt > 0 {
        out.push(finding(
            false,
            "IMG_ALT",
            format!("正文中有 {images_without_alt} 张图片没有文字说明（alt）：请在编辑器中为图片填写说明。"),
        ));
    }
    for href in links(&content.body_html) {
        if !(href.starts_with("http://")
            || href.starts_with("https://")
            || href.starts_with("mailto:")
            || href.starts_with('/'))
        {
            out.push(finding(
                false,
                "LINK_BAD",
                format!("链接“{href}”不是完整的网址，读者点击后可能打不开。"),
            ));
        }
    }
    out.sort_by_key(|f| !f.blocks);
    out
}

/// `<img>` tags of the body without a non-empty `alt`.
fn count_images_without_alt(html: &str) -> usize {
    html.split("<img")
        .skip(1)
        .filter(|rest| {
            let tag = rest.split('>').next().unwrap_or_default();
            tag.split("alt=\"")
                .nth(1)
                .is_none_or(|v| v.starts_with('"'))
        })
        .count()
}

/// The `href` values of the body's links (sanitised HTML always puts a space before an attribute).
pub fn links(html: &str) -> Vec<String> {
    crate::cms::health::attribute_values(html, &[" href=\""])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> ArticleContent {
        ArticleContent {
            title: "标题".into(),
            summary: "摘要".into(),
            source: "湘西州信用办".into(),
            body_html: body.into(),
            ..Default::default()
        }
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code.as_str()).collect()
    }

    const TODAY: Ymd = Ymd::new(2026, 11, 30);

    #[test]
    fn a_clean_article_has_no_findings() {
        assert!(check(&content("<p>全州信用建设稳步推进。</p>"), &[], TODAY).is_empty());
    }

    #[test]
    fn words_of_the_list_block_or_warn() {
        let words = [
            SensitiveWord {
                word: "禁词甲".into(),
                blocks: true,
            },
            SensitiveWord {
                word: "敏感乙".into(),
                blocks: false,
            },
        ];
        let f = check(&content("<p>含有敏感乙和禁词甲。</p>"), &words, TODAY);
        assert_eq!(codes(&f), vec!["SENSITIVE_BLOCK", "SENSITIVE_WARN"]);
        assert!(f[0].blocks && !f[1].blocks);
    }

    #[test]
    fn unmasked_numbers_block_and_masked_ones_do_not() {
        let f = check(
            &content("<p>当事人身份证号11010519491231002X。</p>"),
            &[],
            TODAY,
        );
        assert_eq!(codes(&f), vec!["PII_ID"]);
        let f = check(&content("<p>联系电话13812345678</p>"), &[], TODAY);
        assert_eq!(codes(&f), vec!["PII_PHONE"]);
        assert!(check(
            &content("<p>身份证号1101**********002X，电话138****5678</p>"),
            &[],
            TODAY
        )
        .is_empty());
    }

    #[test]
    fn empty_fields_images_without_alt_and_odd_links_warn() {
        let mut c = content(
            r#"<p><img src="/files/a.png"><img src="/files/b.png" alt="说明"><a href="www.example.com">链接</a></p>"#,
        );
        c.summary.clear();
        c.cover = Some("x.png".into());
        let f = check(&c, &[], TODAY);
        assert_eq!(
            codes(&f),
            vec!["EMPTY_SUMMARY", "IMG_ALT", "IMG_ALT", "LINK_BAD"]
        );
        assert!(f.iter().all(|f| !f.blocks));
        assert!(f[2].message.contains("1 张图片"));
    }
}
