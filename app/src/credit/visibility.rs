//! What the public may see of a credit record (docs/domain.md §3.3, §7): the display period, repaired and
//! withdrawn records, natural persons, minors, warnings and minor-severity penalties. The choices that
//! differ by place are the `DisclosurePolicy` (a setting); the SQL below and `penalty_shown` say the same.
use crate::rules::date::Ymd;
use crate::rules::mask::MaskRule;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisclosurePolicy {
    /// Penalties on natural persons (Order 58: not published in principle; default off).
    pub publish_person_penalties: bool,
    /// Penalties that are only a warning (market-regulation rules: not published; default off).
    pub publish_warnings: bool,
    /// Minor (轻微) penalties (2025 regime: not published in principle; default off).
    pub publish_minor: bool,
    /// How ID numbers of natural persons are masked where they must be shown.
    pub id_mask: MaskRule,
}

impl Default for DisclosurePolicy {
    fn default() -> Self {
        DisclosurePolicy {
            publish_person_penalties: false,
            publish_warnings: false,
            publish_minor: false,
            id_mask: MaskRule::RESIDENT_ID,
        }
    }
}

/// The 行政相对人类别 of a natural person in the 双公示 standard.
pub const PERSON_CATEGORY: &str = "自然人";

/// The facts about a penalty that decide whether it is shown.
#[derive(Debug, Clone, Default)]
pub struct PenaltyFacts {
    pub published: bool,
    pub withdrawn: bool,
    pub repaired: bool,
    pub taken_down: bool,
    /// Display suspended by the operator while an objection is open (docs/domain.md §11).
    pub suspended: bool,
    pub decision_date: String,
    pub display_until: String,
    pub severity: String,
    pub categories: String,
    pub subject_category: String,
    /// Natural persons only.
    pub birth_date: Option<String>,
}

/// Whether the person was under 18 on `on` (both `YYYY-MM-DD`).
pub fn minor_on(birth_date: &str, on: &str) -> bool {
    match (Ymd::parse_iso(birth_date), Ymd::parse_iso(on)) {
        (Some(b), Some(d)) => b.add_months(18 * 12) > d,
        // An unreadable birth date could hide a minor: do not publish.
        _ => true,
    }
}

/// Whether a penalty is on public display on `today`.
pub fn penalty_shown(p: &PenaltyFacts, policy: &DisclosurePolicy, today: &str) -> bool {
    let person = p.subject_category == PERSON_CATEGORY;
    p.published
        && !p.withdrawn
        && !p.repaired
        && !p.taken_down
        && !p.suspended
        && p.decision_date.as_str() <= today
        && p.display_until.as_str() >= today
        && (policy.publish_minor || p.severity != "minor")
        && (policy.publish_warnings || p.categories.trim() != "警告")
        && (!person
            || (policy.publish_person_penalties
                && !p
                    .birth_date
                    .as_deref()
                    .is_none_or(|b| minor_on(b, &p.decision_date))))
}

/// `today` as an SQL literal: it comes from the clock, never from a request.
fn day(today: Ymd) -> String {
    format!("'{}'", today.iso())
}

/// A natural person who was a minor on the record's decision date (`r` is the record's alias).
fn minor_subject(r: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM subjects ms WHERE ms.id = {r}.subject_id AND (ms.birth_date IS NULL OR ms.birth_date > \
         CAST(CAST(substr({r}.decision_date, 1, 4) AS INTEGER) - 18 AS TEXT) || substr({r}.decision_date, 5)))"
    )
}

/// The SQL condition for penalties on public display (`r` is the table's alias). Mirrors `penalty_shown`.
pub fn penalty_sql(r: &str, policy: &DisclosurePolicy, today: Ymd) -> String {
    let t = day(today);
    let mut sql = format!(
        "{r}.published = 1 AND {r}.withdrawn = 0 AND {r}.repaired = 0 AND {r}.taken_down_at IS NULL \
         AND {r}.display_suspended = 0 AND {r}.decision_date <= {t} AND {r}.display_until >= {t}"
    );
    if !policy.publish_minor {
        sql.push_str(&format!(" AND {r}.severity <> 'minor'"));
    }
    if !policy.publish_warnings {
        sql.push_str(&format!(" AND {r}.categories <> '警告'"));
    }
    if policy.publish_person_penalties {
        sql.push_str(&format!(
            " AND ({r}.subject_category <> '{PERSON_CATEGORY}' OR NOT {})",
            minor_subject(r)
        ));
    } else {
        sql.push_str(&format!(" AND {r}.subject_category <> '{PERSON_CATEGORY}'"));
    }
    sql
}

/// The SQL condition for licences on public display: valid today, not suspended during an objection,
/// and never a minor's.
pub fn licence_sql(r: &str, today: Ymd) -> String {
    let t = day(today);
    format!(
        "{r}.published = 1 AND {r}.withdrawn = 0 AND {r}.display_suspended = 0 AND {r}.state = '有效' AND {r}.decision_date <= {t} \
         AND {r}.valid_to >= {t} AND ({r}.subject_category <> '{PERSON_CATEGORY}' OR NOT {})",
        minor_subject(r)
    )
}

/// The SQL condition for list and commitment entries (generic records) on public display.
pub fn generic_sql(r: &str) -> String {
    format!(
        "{r}.published = 1 AND {r}.withdrawn = 0 AND NOT EXISTS (SELECT 1 FROM subjects gs WHERE gs.id = {r}.subject_id \
         AND gs.kind = 'person')"
    )
}

/// A name as the public sees it: natural persons keep only the surname.
pub fn public_name(name: &str, subject_category: &str) -> String {
    if subject_category == PERSON_CATEGORY {
        crate::rules::mask::person_name(name)
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn penalty() -> PenaltyFacts {
        PenaltyFacts {
            published: true,
            decision_date: "2026-01-10".into(),
            display_until: "2027-01-10".into(),
            severity: "general".into(),
            categories: "罚款".into(),
            subject_category: "法人及非法人组织".into(),
            ..Default::default()
        }
    }

    #[test]
    fn shown_only_inside_the_display_period() {
        let p = penalty();
        let policy = DisclosurePolicy::default();
        assert!(!penalty_shown(&p, &policy, "2026-01-09"));
        assert!(penalty_shown(&p, &policy, "2026-01-10"));
        assert!(penalty_shown(&p, &policy, "2027-01-10"));
        assert!(!penalty_shown(&p, &policy, "2027-01-11"));
    }

    #[test]
    fn repaired_withdrawn_taken_down_suspended_warnings_and_minor_are_hidden() {
        let policy = DisclosurePolicy::default();
        let today = "2026-06-01";
        for hide in [
            PenaltyFacts {
                repaired: true,
                ..penalty()
            },
            PenaltyFacts {
                withdrawn: true,
                ..penalty()
            },
            PenaltyFacts {
                taken_down: true,
                ..penalty()
            },
            PenaltyFacts {
                suspended: true,
                ..penalty()
            },
            PenaltyFacts {
                categories: "警告".into(),
                ..penalty()
            },
            PenaltyFacts {
                severity: "minor".into(),
                ..penalty()
            },
        ] {
            assert!(!penalty_shown(&hide, &policy, today), "{hide:?}");
        }
        let open = DisclosurePolicy {
            publish_warnings: true,
            publish_minor: true,
            ..Default::default()
        };
        let warning = PenaltyFacts {
            categories: "警告".into(),
            severity: "minor".into(),
            ..penalty()
        };
        assert!(penalty_shown(&warning, &open, today));
    }

    #[test]
    fn persons_only_when_allowed_and_never_minors() {
        let adult = PenaltyFacts {
            subject_category: PERSON_CATEGORY.into(),
            birth_date: Some("1990-05-01".into()),
            ..penalty()
        };
        let today = "2026-06-01";
        assert!(!penalty_shown(&adult, &DisclosurePolicy::default(), today));
        let allow = DisclosurePolicy {
            publish_person_penalties: true,
            ..Default::default()
        };
        assert!(penalty_shown(&adult, &allow, today));
        let minor = PenaltyFacts {
            birth_date: Some("2008-01-11".into()),
            ..adult.clone()
        };
        // 17 on the decision date (2026-01-10), though an adult by 2026-06-01: never shown.
        assert!(!penalty_shown(&minor, &allow, today));
        assert!(minor_on("2008-01-11", "2026-01-10"));
        assert!(!minor_on("2008-01-10", "2026-01-10"));
    }

    #[test]
    fn person_names_are_masked() {
        assert_eq!(public_name("张三丰", PERSON_CATEGORY), "张**");
        assert_eq!(public_name("凤凰商贸", "法人及非法人组织"), "凤凰商贸");
    }
}
