//! Field-level comparison of two versions of an article, for the revisions tab.
use super::html::plain_text;
use super::model::{ArticleContent, FieldDiff};

/// The fields that differ between `before` and `after`, each as text a person can compare. The body
/// is compared as its text; a change of markup only shows as "格式有变化".
pub fn diff(before: &ArticleContent, after: &ArticleContent) -> Vec<FieldDiff> {
    let attachments = |c: &ArticleContent| {
        c.attachments
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>()
            .join("、")
    };
    let fields: Vec<(&str, &str, String, String)> = vec![
        ("title", "标题", before.title.clone(), after.title.clone()),
        (
            "subtitle",
            "副标题",
            before.subtitle.clone(),
            after.subtitle.clone(),
        ),
        (
            "columns",
            "栏目",
            before.columns.join("、"),
            after.columns.join("、"),
        ),
        (
            "source",
            "来源",
            before.source.clone(),
            after.source.clone(),
        ),
        (
            "author",
            "作者",
            before.author.clone(),
            after.author.clone(),
        ),
        (
            "cover",
            "封面图",
            before.cover.clone().unwrap_or_default(),
            after.cover.clone().unwrap_or_default(),
        ),
        (
            "cover_alt",
            "封面图说明",
            before.cover_alt.clone(),
            after.cover_alt.clone(),
        ),
        (
            "summary",
            "摘要",
            before.summary.clone(),
            after.summary.clone(),
        ),
        (
            "tags",
            "标签",
            before.tags.join("、"),
            after.tags.join("、"),
        ),
        (
            "attachments",
            "附件",
            attachments(before),
            attachments(after),
        ),
        (
            "headline",
            "头条",
            yes_no(before.headline).into(),
            yes_no(after.headline).into(),
        ),
        (
            "policy",
            "文件信息",
            doc_text(before.policy.as_ref()),
            doc_text(after.policy.as_ref()),
        ),
    ];
    let mut out: Vec<FieldDiff> = fields
        .into_iter()
        .filter(|(_, _, b, a)| b != a)
        .map(|(field, label, before, after)| FieldDiff {
            field: field.into(),
            label: label.into(),
            before,
            after,
        })
        .collect();
    if before.body_html != after.body_html {
        let (b, a) = (plain_text(&before.body_html), plain_text(&after.body_html));
        let (b, a) = if b == a {
            (
                "（格式有变化，文字相同）".to_string(),
                "（格式有变化，文字相同）".to_string(),
            )
        } else {
            (b, a)
        };
        out.push(FieldDiff {
            field: "body_html".into(),
            label: "正文".into(),
            before: b,
            after: a,
        });
    }
    out
}

/// A policy document's fields in one line: 国务院｜国发〔2014〕21号｜国家｜2014-06-14｜…｜有效.
fn doc_text(doc: Option<&crate::rules::policy_doc::PolicyDoc>) -> String {
    use crate::rules::policy_doc::{level_label, status_label};
    doc.map(|d| {
        [
            d.issuer.as_str(),
            d.number.as_str(),
            level_label(&d.level),
            d.issued_on.as_str(),
            d.effective_on.as_str(),
            status_label(&d.status),
        ]
        .join("｜")
    })
    .unwrap_or_default()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_listed() {
        let a = ArticleContent {
            title: "旧标题".into(),
            body_html: "<p>正文</p>".into(),
            columns: vec!["news".into()],
            ..Default::default()
        };
        let mut b = a.clone();
        b.title = "新标题".into();
        b.body_html = "<p><strong>正文</strong></p>".into();
        let d = diff(&a, &b);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (
                d[0].label.as_str(),
                d[0].before.as_str(),
                d[0].after.as_str()
            ),
            ("标题", "旧标题", "新标题")
        );
        assert_eq!(d[1].label, "正文");
        assert!(d[1].before.contains("格式有变化"));
        assert!(diff(&a, &a).is_empty());
    }
}
