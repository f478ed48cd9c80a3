//! Site health by the national inspection indicators (docs/domain.md §13): stale columns and home page, empty
//! columns, broken links. Pure rules: the service feeds them the columns' last publication dates and
//! the crawler's link results, and turns the problems into alarms and the board.
use crate::rules::date::Ymd;
use serde::{Deserialize, Serialize};

/// Days before a deadline from which the board warns.
pub const WARN_BEFORE_DAYS: i64 = 3;

/// The rules that differ by place (settings `cms.health.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The home page must change within this many days (national indicator: 2 weeks).
    pub home_days: i64,
    /// This many empty columns fail an inspection (national indicator: 5).
    pub empty_limit: usize,
    /// Days to repair a broken internal link once found.
    pub link_fix_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            home_days: 14,
            empty_limit: 5,
            link_fix_days: 3,
        }
    }
}

/// What the rules need to know of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnState {
    pub code: String,
    pub name: String,
    /// Must be updated within this many days (news 14, notices and policies 183); none = no rule.
    pub update_days: Option<i64>,
    /// Shown on the portal's home page (its newest articles count as home page updates).
    pub on_home: bool,
    /// The column's pages are a function (search, forms), not a list of articles.
    pub is_function: bool,
    /// Beijing date of its newest published article.
    pub last_published: Option<Ymd>,
    pub live_articles: i64,
}

/// A link the crawler found, and what it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkState {
    pub url: String,
    pub internal: bool,
    /// The page it was found on.
    pub found_on: String,
    pub ok: bool,
    pub detail: String,
    /// Beijing date the link was first found failing.
    pub failing_since: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// An inspection would fail the site now.
    Error,
    /// Soon due, or a check that may fail for reasons outside the site (external links).
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable key, also the alarm key.
    pub key: String,
    pub level: Level,
    /// What it concerns: a column, the home page, a link.
    pub subject: String,
    pub message: String,
    /// Beijing date by which it must be fixed; none for warnings without one.
    pub deadline: Option<String>,
    /// Where to fix it.
    pub href: Option<String>,
}

fn due(last: Option<Ymd>, days: i64, today: Ymd) -> (Ymd, i64) {
    let deadline = match last {
        Some(d) => d.add_days(days),
        None => today,
    };
    (
        deadline,
        deadline.days_from_epoch() - today.days_from_epoch(),
    )
}

/// Columns and the home page against their update rules, and empty columns.
pub fn content_problems(columns: &[ColumnState], rules: Rules, today: Ymd) -> Vec<Problem> {
    let mut out = vec![];
    for c in columns.iter().filter(|c| !c.is_function) {
        let Some(days) = c.update_days else { continue };
        let (deadline, left) = due(c.last_published, days, today);
        if left > WARN_BEFORE_DAYS {
            continue;
        }
        let last = c.last_published.map_or("从未发布".to_string(), |d| {
            format!("最近发布于 {}", d.iso())
        });
        out.push(Problem {
            key: format!("cms.health.column:{}", c.code),
            level: if left < 0 {
                Level::Error
            } else {
                Level::Warning
            },
            subject: format!("栏目“{}”", c.name),
            message: if left < 0 {
                format!("已超过 {days} 天未更新（{last}），检查时将判为不合格。")
            } else {
                format!("须每 {days} 天内更新（{last}），还剩 {left} 天。")
            },
            deadline: Some(deadline.iso()),
            href: Some("/console/cms/new".into()),
        });
    }
    let home_last = columns
        .iter()
        .filter(|c| c.on_home)
        .filter_map(|c| c.last_published)
        .max_by_key(|d| d.days_from_epoch());
    let (deadline, left) = due(home_last, rules.home_days, today);
    if left <= WARN_BEFORE_DAYS {
        out.push(Problem {
            key: "cms.health.home".into(),
            level: if left < 0 {
                Level::Error
            } else {
                Level::Warning
            },
            subject: "网站首页".into(),
            message: format!(
                "首页须每 {} 天内有更新（{}）{}",
                rules.home_days,
                home_last.map_or("首页栏目从未发布".to_string(), |d| format!(
                    "最近一次 {}",
                    d.iso()
                )),
                if left < 0 {
                    "，已超期。".to_string()
                } else {
                    format!("，还剩 {left} 天。")
                }
            ),
            deadline: Some(deadline.iso()),
            href: Some("/console/cms/new".into()),
        });
    }
    let empty: Vec<&ColumnState> = columns
        .iter()
        .filter(|c| !c.is_function && c.live_articles == 0)
        .collect();
    for c in &empty {
        out.push(Problem {
            key: format!("cms.health.empty:{}", c.code),
            level: Level::Warning,
            subject: format!("栏目“{}”", c.name),
            message: "空白栏目：没有已发布的文章。请发布内容，或把栏目设为不显示。".into(),
            deadline: None,
            href: Some(format!("/column/{}", c.code)),
        });
    }
    if empty.len() >= rules.empty_limit {
        out.push(Problem {
            key: "cms.health.empty".into(),
            level: Level::Error,
            subject: "空白栏目".into(),
            message: format!(
                "共有 {} 个空白栏目，达到 {} 个即判为不合格。",
                empty.len(),
                rules.empty_limit
            ),
            deadline: Some(today.iso()),
            href: None,
        });
    }
    out
}

/// Failing links: an internal one is an error with a repair deadline; an external one only a warning
/// (the other site, or our network, may be at fault).
pub fn link_problems(links: &[LinkState], rules: Rules, today: Ymd) -> Vec<Problem> {
    links
        .iter()
        .filter(|l| !l.ok)
        .map(|l| {
            let since = l
                .failing_since
                .as_deref()
                .and_then(Ymd::parse_iso)
                .unwrap_or(today);
            Problem {
                key: format!("cms.health.link:{}", short_hash(&l.url)),
                level: if l.internal {
                    Level::Error
                } else {
                    Level::Warning
                },
                subject: format!("链接 {}", l.url),
                message: format!(
                    "{}：{}（出现在 {}，自 {} 起）",
                    if l.internal {
                        "站内链接失效"
                    } else {
                        "外部链接无法访问"
                    },
                    l.detail,
                    l.found_on,
                    since.iso()
                ),
                deadline: l
                    .internal
                    .then(|| since.add_days(rules.link_fix_days).iso()),
                href: Some(l.found_on.clone()),
            }
        })
        .collect()
}

/// A short stable name for a URL (alarm keys have a length limit).
fn short_hash(s: &str) -> String {
    // FNV-1a: stable across builds and platforms, no dependency needed for a key.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path on this site (query kept, fragment dropped).
    Internal(String),
    External(String),
}

/// Classifies an `href` or `src` found on a page of `own_origin` (e.g. `https://credit.xxz.gov.cn`).
/// Fragments, `mailto:`, `tel:`, `javascript:` and `data:` are not links to check.
pub fn classify(link: &str, own_origin: Option<&str>) -> Option<Target> {
    let link = link.trim();
    let link = link.split('#').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        if let Some(origin) = own_origin.map(|o| o.trim_end_matches('/')) {
            if let Some(rest) = link.strip_prefix(origin) {
                if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') {
                    let path = if rest.starts_with('/') {
                        rest.to_string()
                    } else {
                        format!("/{rest}")
                    };
                    return Some(Target::Internal(path));
                }
            }
        }
        return Some(Target::External(link.to_string()));
    }
    if link.starts_with("//") {
        return Some(Target::External(format!("https:{link}")));
    }
    if link.starts_with('/') {
        return Some(Target::Internal(link.to_string()));
    }
    // Other schemes (mailto:, tel:, javascript:, data:) and relative paths, which our pages do not use.
    None
}

/// The values of every `href` and `src` attribute in a page (our pages quote attributes with `"`).
pub fn extract_links(html: &str) -> Vec<String> {
    attribute_values(html, &[" href=\"", " src=\""])
}

/// The distinct values of the given attributes (each written as ` name="`), unescaping `&amp;`.
pub fn attribute_values(html: &str, attrs: &[&str]) -> Vec<String> {
    let mut out = vec![];
    for attr in attrs {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = rest[..end].replace("&amp;", "&");
            if !out.contains(&value) {
                out.push(value);
            }
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Ymd {
        Ymd::parse_iso(s).unwrap()
    }

    fn column(code: &str, days: Option<i64>, last: Option<&str>, live: i64) -> ColumnState {
        ColumnState {
            code: code.into(),
            name: code.into(),
            update_days: days,
            on_home: days.is_some(),
            is_function: false,
            last_published: last.map(day),
            live_articles: live,
        }
    }

    #[test]
    fn stale_columns_warn_before_and_fail_after_their_deadline() {
        let today = day("2026-11-30");
        let cols = [
            column("news", Some(14), Some("2026-11-25"), 3), // due 12-09: fine
            column("notice", Some(183), Some("2026-06-01"), 2), // due 12-01: 1 day left, warning
            column("policy", Some(183), Some("2026-05-01"), 1), // due 10-31: overdue
        ];
        let p = content_problems(&cols, Rules::default(), today);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].key, "cms.health.column:notice");
        assert_eq!(p[0].level, Level::Warning);
        assert_eq!(p[0].deadline.as_deref(), Some("2026-12-01"));
        assert_eq!(p[1].level, Level::Error);
        assert_eq!(p[1].deadline.as_deref(), Some("2026-10-31"));
    }

    #[test]
    fn home_page_and_empty_columns() {
        let today = day("2026-11-30");
        let mut cols = vec![column("news", Some(14), Some("2026-11-10"), 1)];
        for i in 0..5 {
            cols.push(column(&format!("c{i}"), None, None, 0));
        }
        let p = content_problems(&cols, Rules::default(), today);
        let home = p.iter().find(|p| p.key == "cms.health.home").unwrap();
        assert_eq!(home.level, Level::Error);
        assert_eq!(home.deadline.as_deref(), Some("2026-11-24"));
        assert_eq!(
            p.iter()
                .filter(|p| p.key.starts_with("cms.health.empty:"))
                .count(),
            5
        );
        let all = p.iter().find(|p| p.key == "cms.health.empty").unwrap();
        assert_eq!(all.level, Level::Error);
        // Four empty columns do not fail the site.
        cols.pop();
        let p = content_problems(&cols, Rules::default(), today);
        assert!(p.iter().all(|p| p.key != "cms.health.empty"));
    }

    #[test]
    fn internal_links_are_errors_with_a_deadline_external_only_warnings() {
        let today = day("2026-11-30");
        let links = [
            LinkState {
                url: "/article/gone".into(),
                internal: true,
                found_on: "/article/a".into(),
                ok: false,
                detail: "404".into(),
                failing_since: Some("2026-11-29".into()),
            },
            LinkState {
                url: "https://example.org/x".into(),
                internal: false,
                found_on: "/article/a".into(),
                ok: false,
                detail: "无法连接".into(),
                failing_since: None,
            },
            LinkState {
                url: "/column/news".into(),
                internal: true,
                found_on: "/".into(),
                ok: true,
                detail: "200".into(),
                failing_since: None,
            },
        ];
        let p = link_problems(&links, Rules::default(), today);
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].level, p[0].deadline.as_deref()),
            (Level::Error, Some("2026-12-02"))
        );
        assert_eq!(
            (p[1].level, p[1].deadline.as_deref()),
            (Level::Warning, None)
        );
        assert_ne!(p[0].key, p[1].key);
    }

    #[test]
    fn links_are_found_and_classified() {
        let html = r##"<a href="/column/news">x</a><img src="/files/ab.png" alt=""><a href="https://credit.example.gov.cn/article/1#top">y</a>
            <a href="https://www.gov.cn/">z</a><a href="mailto:a@b.cn">m</a><a href="#main">skip</a><a href="/search?q=a&amp;page=2">s</a>"##;
        let links = extract_links(html);
        assert_eq!(links.len(), 7);
        let own = Some("https://credit.example.gov.cn");
        let kinds: Vec<_> = links.iter().filter_map(|l| classify(l, own)).collect();
        assert_eq!(
            kinds,
            [
                Target::Internal("/column/news".into()),
                Target::Internal("/article/1".into()),
                Target::External("https://www.gov.cn/".into()),
                Target::Internal("/search?q=a&page=2".into()),
                Target::Internal("/files/ab.png".into()),
            ]
        );
    }
}
