//! The console's 公示规则 form (`DisclosureRules`) to and from what the platform keeps: the regime
//! (`rules::disclosure::Regime`) and the `DisclosurePolicy`, with the checks a save must pass.
use crate::credit::model::DisclosureRules;
use crate::credit::visibility::DisclosurePolicy;
use crate::error::FieldError;
use crate::rules::disclosure::Regime;
use crate::rules::mask::MaskRule;

/// Longest display period any regime may set (months): the longest of docs/domain.md §7 is 3 years; a
/// typo such as 360 must not keep a record up for 30.
pub const MAX_MONTHS: i32 = 60;

pub fn to_form(regime: &Regime, policy: &DisclosurePolicy) -> DisclosureRules {
    let code = if *regime == Regime::regime_2025() {
        "2025"
    } else if *regime == Regime::regime_2023() {
        "2023"
    } else {
        "custom"
    };
    DisclosureRules {
        regime: code.into(),
        minor_min: regime.minor.0,
        minor_max: regime.minor.1,
        general_min: regime.general.0,
        general_max: regime.general.1,
        serious_min: regime.serious.0,
        serious_max: regime.serious.1,
        publish_person_penalties: policy.publish_person_penalties,
        publish_warnings: policy.publish_warnings,
        publish_minor: policy.publish_minor,
        mask_head: policy.id_mask.head as u32,
        mask_tail: policy.id_mask.tail as u32,
        updated_at: String::new(),
        updated_by: String::new(),
    }
}

/// The regime and policy a valid form stands for, or the problems by field.
pub fn from_form(f: &DisclosureRules) -> Result<(Regime, DisclosurePolicy), Vec<FieldError>> {
    let mut problems = vec![];
    let mut problem = |field: &str, message: String| {
        problems.push(FieldError {
            field: field.into(),
            code: "DISCLOSURE_RANGE".into(),
            message,
        })
    };
    let regime = match f.regime.as_str() {
        "2025" => Regime::regime_2025(),
        "2023" => Regime::regime_2023(),
        "custom" => {
            for (label, field, (min, max)) in [
                ("轻微", "minor", (f.minor_min, f.minor_max)),
                ("一般", "general", (f.general_min, f.general_max)),
                ("严重", "serious", (f.serious_min, f.serious_max)),
            ] {
                if !(0..=MAX_MONTHS).contains(&min) || !(1..=MAX_MONTHS).contains(&max) {
                    problem(
                        &format!("{field}_max"),
                        format!("{label}失信的公示期限应在 0–{MAX_MONTHS} 个月之间，最长期限至少 1 个月。"),
                    );
                } else if min > max {
                    problem(
                        &format!("{field}_min"),
                        format!("{label}失信的最短公示期限（{min} 个月）不能超过最长期限（{max} 个月）。"),
                    );
                }
            }
            Regime {
                code: "custom".into(),
                name: "本地规则".into(),
                minor: (f.minor_min, f.minor_max),
                general: (f.general_min, f.general_max),
                serious: (f.serious_min, f.serious_max),
            }
        }
        _ => {
            problem("regime", "请选择一种公示期限规则。".into());
            Regime::regime_2025()
        }
    };
    // Showing more of an ID number than §3.3 allows would publish personal data.
    let (head, tail) = (f.mask_head as usize, f.mask_tail as usize);
    if head > MaskRule::RESIDENT_ID.head {
        problem(
            "mask_head",
            format!("身份证号前面最多显示 {} 位。", MaskRule::RESIDENT_ID.head),
        );
    }
    if tail > MaskRule::RESIDENT_ID.tail {
        problem(
            "mask_tail",
            format!("身份证号后面最多显示 {} 位。", MaskRule::RESIDENT_ID.tail),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        regime,
        DisclosurePolicy {
            publish_person_penalties: f.publish_person_penalties,
            publish_warnings: f.publish_warnings,
            publish_minor: f.publish_minor,
            id_mask: MaskRule { head, tail },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_round_trip_and_are_named() {
        for regime in [Regime::regime_2025(), Regime::regime_2023()] {
            let form = to_form(&regime, &DisclosurePolicy::default());
            assert_ne!(form.regime, "custom");
            let (back, policy) = from_form(&form).unwrap();
            assert_eq!(back, regime);
            assert_eq!(policy, DisclosurePolicy::default());
        }
    }

    #[test]
    fn custom_months_are_checked() {
        let mut f = to_form(&Regime::regime_2025(), &DisclosurePolicy::default());
        f.regime = "custom".into();
        f.general_min = 6;
        f.general_max = 24;
        let (r, _) = from_form(&f).unwrap();
        assert_eq!(r.general, (6, 24));
        assert_eq!(r.code, "custom");
        f.serious_min = 40;
        f.serious_max = 36;
        let e = from_form(&f).unwrap_err();
        assert_eq!(e[0].field, "serious_min");
        assert!(e[0].message.contains("不能超过"));
        f.serious_min = 12;
        f.serious_max = 360;
        assert_eq!(from_form(&f).unwrap_err()[0].field, "serious_max");
    }

    #[test]
    fn the_mask_never_shows_more_than_the_standard() {
        let mut f = to_form(&Regime::regime_2025(), &DisclosurePolicy::default());
        f.mask_head = 3;
        f.mask_tail = 2;
        assert_eq!(
            from_form(&f).unwrap().1.id_mask,
            MaskRule { head: 3, tail: 2 }
        );
        f.mask_head = 14;
        f.mask_tail = 5;
        let fields: Vec<_> = from_form(&f)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["mask_head", "mask_tail"]);
        f.mask_head = 6;
        f.mask_tail = 4;
        f.regime = "1999".into();
        assert_eq!(from_form(&f).unwrap_err()[0].field, "regime");
    }
}
