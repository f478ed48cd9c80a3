//! 联合奖惩 statistics (docs/domain.md §8): checks, hits, the feedback rate and the measures applied
//! per department, matter and month, and the 应查必查 view (matters with measures that were never
//! checked in the period; departments with such matters and no check this month). The service counts
//! in SQL per (department, matter, month); the roll-ups and the export rows here are pure.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The page's filters (in the URL): check dates from / to (ISO, inclusive); empty: this year so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointStatsFilter {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The counts of one (department, matter, month) as the database groups them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub unit: String,
    pub matter: String,
    /// `YYYY-MM`.
    pub month: String,
    pub checks: i64,
    /// Checks with at least one hit.
    pub hits: i64,
    /// Checks with hits whose feedback was recorded.
    pub answered: i64,
    /// Of those, the ones whose measures were applied.
    pub applied: i64,
    /// Measures applied, counted one by one.
    pub measures: i64,
}

/// One group's counts (a department, a matter, a month, or all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub label: String,
    pub checks: i64,
    pub hits: i64,
    pub answered: i64,
    pub applied: i64,
    pub measures: i64,
}

impl Group {
    fn add(&mut self, c: &Cell) {
        self.checks += c.checks;
        self.hits += c.hits;
        self.answered += c.answered;
        self.applied += c.applied;
        self.measures += c.measures;
    }

    /// Percent of checks with hits that have feedback; `None` without hits.
    pub fn feedback_rate(&self) -> Option<f64> {
        (self.hits > 0).then(|| self.answered as f64 * 100.0 / self.hits as f64)
    }
}

/// A matter with measures and no check in the period, and its department's checks in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncheckedMatter {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub unit_checks: i64,
}

/// A department whose matters have measures and that made no check this month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleUnit {
    pub unit: String,
    pub matters: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JointStats {
    /// The period counted (ISO dates) and the month of the idle-unit view (`YYYY-MM`).
    pub from: String,
    pub to: String,
    pub this_month: String,
    pub total: Group,
    pub by_unit: Vec<Group>,
    pub by_matter: Vec<Group>,
    /// Oldest first.
    pub by_month: Vec<Group>,
    pub unchecked: Vec<UncheckedMatter>,
    pub idle: Vec<IdleUnit>,
}

fn roll(cells: &[Cell], key: impl Fn(&Cell) -> String) -> Vec<Group> {
    let mut map: BTreeMap<String, Group> = BTreeMap::new();
    for c in cells {
        let k = key(c);
        map.entry(k.clone())
            .or_insert_with(|| Group {
                label: k,
                ..Group::default()
            })
            .add(c);
    }
    map.into_values().collect()
}

/// Rolls the cells up by department and matter (most checks first) and by month (oldest first).
pub fn summarise(cells: &[Cell]) -> (Group, Vec<Group>, Vec<Group>, Vec<Group>) {
    let mut total = Group {
        label: "合计".into(),
        ..Group::default()
    };
    for c in cells {
        total.add(c);
    }
    let busiest = |mut g: Vec<Group>| {
        g.sort_by(|a, b| b.checks.cmp(&a.checks).then(a.label.cmp(&b.label)));
        g
    };
    (
        total,
        busiest(roll(cells, |c| c.unit.clone())),
        busiest(roll(cells, |c| format!("{}（{}）", c.matter, c.unit))),
        roll(cells, |c| c.month.clone()),
    )
}

/// A rate as the page and the export show it.
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{r:.1}%"))
}

pub const EXPORT_HEADERS: [&str; 8] = [
    "维度",
    "名称",
    "核查次数",
    "命中次数",
    "已反馈",
    "反馈率",
    "采取措施次数",
    "采取措施条数",
];

/// The statistics as one sheet: every group of every dimension, then the 应查必查 lines.
pub fn export_rows(s: &JointStats) -> Vec<Vec<String>> {
    let line = |dim: &str, g: &Group| {
        vec![
            dim.to_string(),
            g.label.clone(),
            g.checks.to_string(),
            g.hits.to_string(),
            g.answered.to_string(),
            rate_text(g.feedback_rate()),
            g.applied.to_string(),
            g.measures.to_string(),
        ]
    };
    let mut rows = vec![line("合计", &s.total)];
    for (dim, groups) in [
        ("部门", &s.by_unit),
        ("事项", &s.by_matter),
        ("月份", &s.by_month),
    ] {
        rows.extend(groups.iter().map(|g| line(dim, g)));
    }
    for m in &s.unchecked {
        rows.push(vec![
            "应查未查事项".into(),
            format!("{} {}（{}）", m.code, m.name, m.unit),
            "0".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format!("本部门同期核查 {} 次", m.unit_checks),
        ]);
    }
    for u in &s.idle {
        rows.push(vec![
            "本月未核查部门".into(),
            u.unit.clone(),
            "0".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format!("有措施的事项 {} 个", u.matters),
        ]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(unit: &str, matter: &str, month: &str, n: [i64; 5]) -> Cell {
        Cell {
            unit: unit.into(),
            matter: matter.into(),
            month: month.into(),
            checks: n[0],
            hits: n[1],
            answered: n[2],
            applied: n[3],
            measures: n[4],
        }
    }

    #[test]
    fn cells_roll_up_by_unit_matter_and_month() {
        let cells = vec![
            cell("发改委", "项目审批", "2026-11", [10, 2, 2, 1, 3]),
            cell("发改委", "项目核准", "2026-12", [5, 1, 0, 0, 0]),
            cell("交通局", "运输许可", "2026-12", [20, 0, 0, 0, 0]),
        ];
        let (total, units, matters, months) = summarise(&cells);
        assert_eq!(
            (total.checks, total.hits, total.answered, total.measures),
            (35, 3, 2, 3)
        );
        assert_eq!(rate_text(total.feedback_rate()), "66.7%");
        assert_eq!(units[0].label, "交通局", "most checks first");
        assert_eq!(units[0].feedback_rate(), None, "no hits, no rate");
        assert_eq!((units[1].checks, units[1].hits), (15, 3));
        assert_eq!(matters.len(), 3);
        assert_eq!(
            months.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
            ["2026-11", "2026-12"]
        );
        assert_eq!(months[1].checks, 25);
    }

    #[test]
    fn the_export_has_every_dimension_and_the_gaps() {
        let cells = vec![cell("发改委", "项目审批", "2026-12", [4, 1, 1, 1, 2])];
        let (total, by_unit, by_matter, by_month) = summarise(&cells);
        let s = JointStats {
            total,
            by_unit,
            by_matter,
            by_month,
            unchecked: vec![UncheckedMatter {
                code: "XX-1".into(),
                name: "食品经营许可".into(),
                unit: "市场监管局".into(),
                unit_checks: 0,
            }],
            idle: vec![IdleUnit {
                unit: "市场监管局".into(),
                matters: 1,
            }],
            ..JointStats::default()
        };
        let rows = export_rows(&s);
        assert_eq!(rows.len(), 6);
        assert!(rows.iter().all(|r| r.len() == EXPORT_HEADERS.len()));
        assert_eq!(rows[0][5], "100.0%");
        assert_eq!(rows[4][0], "应查未查事项");
        assert_eq!(rows[5][1], "市场监管局");
    }
}
