//! The sections of the subject page and of the two reports, in the order of docs/domain.md §9, and where each
//! section's content comes from. Sections without a data class yet (judicial information, …) are
//! still listed and print "查询期内无相关信息".
pub const EMPTY_SECTION: &str = "查询期内无相关信息";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSpec {
    pub code: &'static str,
    pub title: &'static str,
    /// `licence`, `penalty`, a generic class code, `other` (classes an operator added) or `advice`.
    pub sources: &'static [&'static str],
}

const fn s(
    code: &'static str,
    title: &'static str,
    sources: &'static [&'static str],
) -> SectionSpec {
    SectionSpec {
        code,
        title,
        sources,
    }
}

/// The built-in generic classes that have a section of their own.
pub const OWN_SECTION_CLASSES: &[&str] = &["red_list", "black_list", "watch_list", "commitment"];

/// The subject page: basic information first, then these.
pub const SUBJECT_PAGE: &[SectionSpec] = &[
    s("licences", "行政许可", &["licence"]),
    s("penalties", "行政处罚", &["penalty"]),
    s("red_list", "守信激励（红名单）", &["red_list"]),
    s("black_list", "严重失信主体名单（黑名单）", &["black_list"]),
    s("watch_list", "重点关注名单", &["watch_list"]),
    s("commitments", "信用承诺", &["commitment"]),
    s("others", "其他信息", &["other"]),
];

/// 公共信用信息报告: section 1 is the basic information; these are 2–11.
pub const PUBLIC_REPORT: &[SectionSpec] = &[
    s(
        "admin",
        "行政管理信息（行政许可、行政处罚）",
        &["licence", "penalty"],
    ),
    s("trust", "守信激励信息", &["red_list"]),
    s("dishonest", "严重失信主体名单信息", &["black_list"]),
    s("abnormal", "经营异常信息", &[]),
    s("commitments", "信用承诺信息", &["commitment"]),
    s("evaluation", "信用评价信息", &[]),
    s("judicial", "司法信息", &[]),
    s("others", "其他信息", &["watch_list", "other"]),
    s("advice", "信用改进建议", &["advice"]),
    s("local", "地方补充信息", &[]),
];

/// 专项信用报告: the applicant chooses among these; the first four are always included.
pub const SPECIAL_REPORT: &[SectionSpec] = &[
    s("penalties", "行政处罚信息", &["penalty"]),
    s("coercion", "行政强制信息", &[]),
    s("dishonest", "严重失信主体名单信息", &["black_list"]),
    s("criminal", "刑事犯罪记录", &[]),
    s("licences", "行政许可信息", &["licence"]),
    s("trust", "守信激励信息", &["red_list"]),
    s("watch", "重点关注名单信息", &["watch_list"]),
    s("commitments", "信用承诺信息", &["commitment"]),
];

pub const SPECIAL_REQUIRED: &[&str] = &["penalties", "coercion", "dishonest", "criminal"];

/// The longest period a special report may cover.
pub const SPECIAL_MAX_YEARS: i32 = 5;

/// The special report's sections: the required ones plus those chosen, in report order.
pub fn special_sections(chosen: &[String]) -> Vec<SectionSpec> {
    SPECIAL_REPORT
        .iter()
        .filter(|s| SPECIAL_REQUIRED.contains(&s.code) || chosen.iter().any(|c| c == s.code))
        .copied()
        .collect()
}

/// The advice section's text, from what the report holds.
pub fn advice(penalties: usize, dishonest: usize) -> Vec<String> {
    let mut out = vec![];
    if penalties > 0 {
        out.push(format!(
            "查询期内有 {penalties} 条行政处罚信息在公示期内。建议依法履行处罚决定，满足最短公示期限后可通过本平台申请信用修复。"
        ));
    }
    if dishonest > 0 {
        out.push("该主体被列入严重失信主体名单。建议主动纠正失信行为，按规定申请移出名单。".into());
    }
    if out.is_empty() {
        out.push("查询期内未发现影响信用的负面信息，建议继续保持良好信用记录。".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_report_follows_domain_order_and_has_ten_numbered_sections() {
        let titles: Vec<&str> = PUBLIC_REPORT.iter().map(|s| s.title).collect();
        assert_eq!(titles.len(), 10);
        assert!(titles[0].starts_with("行政管理"));
        assert!(titles[7].starts_with("其他"));
        assert!(titles[9].starts_with("地方补充"));
    }

    #[test]
    fn special_report_always_covers_the_required_four() {
        let codes: Vec<&str> = special_sections(&["trust".into()])
            .iter()
            .map(|s| s.code)
            .collect();
        assert_eq!(
            codes,
            ["penalties", "coercion", "dishonest", "criminal", "trust"]
        );
        assert_eq!(special_sections(&[]).len(), 4);
    }

    #[test]
    fn advice_reads_the_findings() {
        assert!(advice(0, 0)[0].contains("保持良好"));
        assert!(advice(2, 1).len() == 2);
    }
}
