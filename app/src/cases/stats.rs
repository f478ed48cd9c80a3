//! Case statistics (issue 20 item 7): cases by kind, state, source unit and month of submission; the
//! on-time rate (closed cases that closed by the deadline they had then, over closed cases) and the
//! average duration in working and calendar days. The arithmetic is pure: the service loads the facts
//! within the caller's scope, `summarise` counts them.
use super::flow::Kind;
use crate::rules::date::Ymd;
use crate::rules::workdays::Calendar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The page's filters (in the URL): kind, and submission dates from / to (ISO, inclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsFilter {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// One group's count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub label: String,
    pub cases: i64,
    pub closed: i64,
    pub on_time: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseStats {
    pub total: i64,
    pub closed: i64,
    pub on_time: i64,
    /// Percent of closed cases closed on time; `None` with no closed case.
    pub on_time_rate: Option<f64>,
    pub avg_working_days: Option<f64>,
    pub avg_calendar_days: Option<f64>,
    pub by_kind: Vec<Group>,
    pub by_state: Vec<Group>,
    pub by_unit: Vec<Group>,
    /// `YYYY-MM`, oldest first.
    pub by_month: Vec<Group>,
}

/// One case as the statistics read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub kind: Kind,
    pub state: String,
    pub unit: Option<String>,
    pub submitted_on: Ymd,
    pub closed_on: Option<Ymd>,
    /// The deadline the case had to keep when it closed (none: no deadline was running).
    pub closed_due_on: Option<Ymd>,
}

impl Fact {
    fn on_time(&self) -> bool {
        match (self.closed_on, self.closed_due_on) {
            (Some(c), Some(due)) => c <= due,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn mean(sum: u64, n: i64) -> Option<f64> {
    (n > 0).then(|| sum as f64 / n as f64)
}

fn add(map: &mut BTreeMap<String, Group>, key: &str, label: &str, f: &Fact) {
    let g = map.entry(key.to_string()).or_insert_with(|| Group {
        label: label.to_string(),
        ..Group::default()
    });
    g.cases += 1;
    if f.closed_on.is_some() {
        g.closed += 1;
        if f.on_time() {
            g.on_time += 1;
        }
    }
}

/// Counts the facts; groups by count (most first) except months (in order).
pub fn summarise(facts: &[Fact], cal: &Calendar) -> CaseStats {
    let (mut kinds, mut states, mut units, mut months) = Default::default();
    let (mut work, mut days) = (0u64, 0u64);
    let mut s = CaseStats::default();
    for f in facts {
        s.total += 1;
        add(&mut kinds, f.kind.code(), f.kind.label(), f);
        let state_label = f.kind.flow().state_label(&f.state);
        add(&mut states, state_label, state_label, f);
        let unit = f.unit.as_deref().unwrap_or("（未分派）");
        add(&mut units, unit, unit, f);
        let month = f.submitted_on.iso().chars().take(7).collect::<String>();
        add(&mut months, &month, &month, f);
        if let Some(c) = f.closed_on {
            s.closed += 1;
            s.on_time += i64::from(f.on_time());
            work += u64::from(cal.working_days_between(f.submitted_on, c));
            days +=
                u64::try_from(c.days_from_epoch() - f.submitted_on.days_from_epoch()).unwrap_or(0);
        }
    }
    s.on_time_rate = percent(s.on_time, s.closed);
    s.avg_working_days = mean(work, s.closed);
    s.avg_calendar_days = mean(days, s.closed);
    let by_count = |m: BTreeMap<String, Group>| {
        let mut v: Vec<Group> = m.into_values().collect();
        v.sort_by(|a, b| b.cases.cmp(&a.cases).then_with(|| a.label.cmp(&b.label)));
        v
    };
    s.by_kind = by_count(kinds);
    s.by_state = by_count(states);
    s.by_unit = by_count(units);
    s.by_month = months.into_values().collect();
    s
}

/// A share as the page and the export write it.
pub fn rate_text(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.1}%"))
}

/// Days as the page and the export write them.
pub fn days_text(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.1}"))
}

/// The table the XLSX export writes: (dimension, item, cases, closed, on time).
pub fn export_rows(s: &CaseStats) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["汇总".into(), "办件总数".into(), s.total.to_string()],
        vec!["汇总".into(), "已办结".into(), s.closed.to_string()],
        vec!["汇总".into(), "按期办结".into(), s.on_time.to_string()],
        vec![
            "汇总".into(),
            "按期办结率".into(),
            rate_text(s.on_time_rate),
        ],
        vec![
            "汇总".into(),
            "平均办理工作日".into(),
            days_text(s.avg_working_days),
        ],
        vec![
            "汇总".into(),
            "平均办理自然日".into(),
            days_text(s.avg_calendar_days),
        ],
    ];
    for (dim, groups) in [
        ("按类型", &s.by_kind),
        ("按状态", &s.by_state),
        ("按承办单位", &s.by_unit),
        ("按月份", &s.by_month),
    ] {
        for g in groups {
            rows.push(vec![
                dim.into(),
                g.label.clone(),
                g.cases.to_string(),
                g.closed.to_string(),
                g.on_time.to_string(),
            ]);
        }
    }
    rows
}

/// The export's header row.
pub const EXPORT_HEADERS: &[&str] = &["维度", "项目", "办件数", "已办结", "按期办结"];

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(m: u32, d: u32) -> Ymd {
        Ymd::new(2026, m, d)
    }

    fn fact(unit: &str, sub: Ymd, closed: Option<(Ymd, Option<Ymd>)>) -> Fact {
        Fact {
            kind: Kind::Repair,
            state: if closed.is_some() {
                "approved"
            } else {
                "assigned"
            }
            .into(),
            unit: Some(unit.into()),
            submitted_on: sub,
            closed_on: closed.map(|c| c.0),
            closed_due_on: closed.and_then(|c| c.1),
        }
    }

    #[test]
    fn on_time_rate_and_durations() {
        let cal = Calendar::builtin();
        let facts = vec![
            // Monday 7 Dec → Wednesday 9 Dec, due the 10th: on time, 2 working / 2 calendar days.
            fact("甲", ymd(12, 7), Some((ymd(12, 9), Some(ymd(12, 10))))),
            // Friday 4 Dec → Tuesday 15 Dec, due the 9th: late, 7 working / 11 calendar days.
            fact("甲", ymd(12, 4), Some((ymd(12, 15), Some(ymd(12, 9))))),
            // Open.
            fact("乙", ymd(11, 30), None),
        ];
        let s = summarise(&facts, &cal);
        assert_eq!((s.total, s.closed, s.on_time), (3, 2, 1));
        assert_eq!(s.on_time_rate, Some(50.0));
        assert_eq!(s.avg_working_days, Some(4.5));
        assert_eq!(s.avg_calendar_days, Some(6.5));
        assert_eq!(s.by_unit[0].label, "甲");
        assert_eq!((s.by_unit[0].cases, s.by_unit[0].on_time), (2, 1));
        assert_eq!(
            s.by_month
                .iter()
                .map(|g| g.label.as_str())
                .collect::<Vec<_>>(),
            ["2026-11", "2026-12"]
        );
        assert_eq!(rate_text(s.on_time_rate), "50.0%");
    }

    #[test]
    fn nothing_closed_has_no_rate() {
        let s = summarise(&[], &Calendar::builtin());
        assert_eq!(s.on_time_rate, None);
        assert_eq!(days_text(s.avg_working_days), "—");
        assert_eq!(export_rows(&s).len(), 6);
    }
}
