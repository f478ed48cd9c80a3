//! Disclosure periods of penalty information (docs/domain.md §7). Regimes are data: an operator picks one
//! (and may edit its months); the built-in ones are the 2025 rules (default) and NDRC Order 58 (2023).
use super::date::Ymd;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Severity {
    Minor,
    General,
    Serious,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::General => "general",
            Severity::Serious => "serious",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Severity::Minor => "轻微",
            Severity::General => "一般",
            Severity::Serious => "严重",
        }
    }

    /// Reads the optional 失信严重程度 column (Chinese label or code).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "轻微" | "minor" => Some(Severity::Minor),
            "一般" | "general" => Some(Severity::General),
            "严重" | "serious" => Some(Severity::Serious),
            _ => None,
        }
    }
}

/// Penalty categories of 行政处罚法 (2021) art. 9.
pub const PENALTY_CATEGORIES: &[&str] = &[
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
];

const SERIOUS_CATEGORIES: &[&str] = &[
    "吊销许可证件",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
];

/// Severity derived from the categories when the source unit gives none.
pub fn severity_from_categories<'a>(categories: impl IntoIterator<Item = &'a str>) -> Severity {
    let cats: Vec<&str> = categories
        .into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if cats.iter().any(|c| SERIOUS_CATEGORIES.contains(c)) {
        Severity::Serious
    } else if !cats.is_empty() && cats.iter().all(|c| *c == "警告" || *c == "通报批评") {
        Severity::Minor
    } else {
        Severity::General
    }
}

/// Minimum and maximum display months per severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regime {
    pub code: String,
    pub name: String,
    /// (min, max) months for minor, general, serious.
    pub minor: (i32, i32),
    pub general: (i32, i32),
    pub serious: (i32, i32),
}

impl Regime {
    /// 国办发〔2025〕22号 and the 2026 repair measures (default).
    pub fn regime_2025() -> Self {
        Regime {
            code: "2025".into(),
            name: "2025年规则（默认）".into(),
            minor: (0, 3),
            general: (3, 12),
            serious: (12, 36),
        }
    }

    /// NDRC Order 58 (2023): 3 months to 3 years for all.
    pub fn regime_2023() -> Self {
        Regime {
            code: "2023".into(),
            name: "2023年规则（发改委58号令）".into(),
            minor: (3, 36),
            general: (3, 36),
            serious: (3, 36),
        }
    }

    fn months(&self, s: Severity) -> (i32, i32) {
        match s {
            Severity::Minor => self.minor,
            Severity::General => self.general,
            Severity::Serious => self.serious,
        }
    }

    /// Display end: the given 公示截止期 clamped to the maximum, or the decision date plus the maximum.
    pub fn display_until(&self, decision: Ymd, severity: Severity, given: Option<Ymd>) -> Ymd {
        let max_end = decision.add_months(self.months(severity).1);
        match given {
            Some(g) if g >= decision => g.min(max_end),
            _ => max_end,
        }
    }

    /// The first day a repair can be applied for.
    pub fn repair_eligible_from(&self, decision: Ymd, severity: Severity) -> Ymd {
        decision.add_months(self.months(severity).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_is_derived_from_categories() {
        assert_eq!(
            severity_from_categories(["罚款", "吊销许可证件"]),
            Severity::Serious
        );
        assert_eq!(severity_from_categories(["警告"]), Severity::Minor);
        assert_eq!(
            severity_from_categories(["警告", "通报批评"]),
            Severity::Minor
        );
        assert_eq!(
            severity_from_categories(["警告", "罚款"]),
            Severity::General
        );
        assert_eq!(
            severity_from_categories(Vec::<&str>::new()),
            Severity::General
        );
        assert_eq!(severity_from_categories(["行政拘留"]), Severity::Serious);
    }

    #[test]
    fn display_windows_2025() {
        let r = Regime::regime_2025();
        let d = Ymd::new(2025, 3, 31);
        assert_eq!(
            r.display_until(d, Severity::General, None),
            Ymd::new(2026, 3, 31)
        );
        assert_eq!(
            r.display_until(d, Severity::Serious, None),
            Ymd::new(2028, 3, 31)
        );
        assert_eq!(
            r.display_until(d, Severity::Minor, None),
            Ymd::new(2025, 6, 30)
        );
        // A given end beyond the maximum is clamped; a shorter one is kept.
        assert_eq!(
            r.display_until(d, Severity::General, Some(Ymd::new(2030, 1, 1))),
            Ymd::new(2026, 3, 31)
        );
        assert_eq!(
            r.display_until(d, Severity::General, Some(Ymd::new(2025, 9, 1))),
            Ymd::new(2025, 9, 1)
        );
        assert_eq!(
            r.repair_eligible_from(d, Severity::General),
            Ymd::new(2025, 6, 30)
        );
        assert_eq!(
            r.repair_eligible_from(d, Severity::Serious),
            Ymd::new(2026, 3, 31)
        );
    }

    #[test]
    fn display_windows_2023() {
        let r = Regime::regime_2023();
        let d = Ymd::new(2024, 1, 15);
        assert_eq!(
            r.display_until(d, Severity::Minor, None),
            Ymd::new(2027, 1, 15)
        );
        assert_eq!(
            r.repair_eligible_from(d, Severity::Serious),
            Ymd::new(2024, 4, 15)
        );
    }
}
