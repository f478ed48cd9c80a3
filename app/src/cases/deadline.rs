//! Case deadlines in working days (docs/domain.md §10, §11, §13a): the working days of each step, kept
//! as one setting (`cases.deadlines`) the credit office edits; the clock a case carries, and what each
//! move of the flow (`flow::ClockEffect`) does to it. Pure: the calendar comes from the database.
use super::flow::{ClockEffect, Kind};
use crate::help::consult::{deadline, Deadline};
use crate::rules::date::Ymd;
use crate::rules::workdays::Calendar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The setting's key.
pub const SETTING: &str = "cases.deadlines";
/// The longest step the office may set.
pub const MAX_DAYS: u32 = 60;

/// Working days per `<kind>.<step>`; `<kind>.extend` is the one extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines(pub BTreeMap<String, u32>);

/// The defaults: repair decided within 3 working days of receipt and the result within 10 of
/// applying (§10); objections 2 + 2 + 10 (§11). Reply, complaint and extension days are this
/// platform's examples, to be set by the office.
pub const DEFAULTS: &[(&str, u32, &str)] = &[
    ("repair.decide", 3, "信用修复：认定单位收到后作出决定"),
    ("repair.result", 10, "信用修复：自申请之日起告知结果"),
    ("repair.extend", 10, "信用修复：延期（一次）"),
    ("objection.accept", 2, "异议申诉：受理"),
    ("objection.check", 2, "异议申诉：平台核查"),
    ("objection.verify", 10, "异议申诉：认定单位核实"),
    ("objection.reply", 2, "异议申诉：答复申请人"),
    ("objection.extend", 10, "异议申诉：延期（一次）"),
    ("complaint.accept", 2, "投诉：受理"),
    ("complaint.handle", 10, "投诉：办理答复"),
];

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines(
            DEFAULTS
                .iter()
                .map(|(k, d, _)| ((*k).to_string(), *d))
                .collect(),
        )
    }
}

impl Deadlines {
    /// The working days of a step (the default when the setting lacks it).
    pub fn days(&self, kind: Kind, step: &str) -> u32 {
        let key = format!("{}.{step}", kind.code());
        self.0
            .get(&key)
            .copied()
            .or_else(|| {
                DEFAULTS
                    .iter()
                    .find(|(k, _, _)| *k == key)
                    .map(|(_, d, _)| *d)
            })
            .unwrap_or(10)
            .clamp(1, MAX_DAYS)
    }

    /// The stored setting merged over the defaults; unknown keys dropped, values clamped.
    pub fn merged(stored: &BTreeMap<String, u32>) -> Self {
        let mut d = Deadlines::default();
        for (k, v) in d.0.iter_mut() {
            if let Some(s) = stored.get(k) {
                *v = (*s).clamp(1, MAX_DAYS);
            }
        }
        d
    }
}

/// The deadline clock of one case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clock {
    /// The running step (`None` once closed or before the first one).
    pub step: Option<String>,
    pub step_started_on: Option<Ymd>,
    pub step_due_on: Option<Ymd>,
    /// The whole case's deadline (repair: the result), if the kind has one.
    pub result_due_on: Option<Ymd>,
    /// Waiting for the applicant since this day.
    pub paused_since: Option<Ymd>,
    /// Working days the clock stood still, in total.
    pub paused_days: u32,
    pub extended: bool,
}

impl Clock {
    /// The clock of a case submitted on `today`.
    pub fn new(kind: Kind, cal: &Calendar, today: Ymd, d: &Deadlines) -> Clock {
        let flow = kind.flow();
        let mut c = Clock {
            result_due_on: flow
                .result_step
                .map(|s| cal.add_working_days(today, d.days(kind, s))),
            ..Clock::default()
        };
        if let Some(step) = flow.first_step {
            c.start(kind, cal, today, d, step);
        }
        c
    }

    fn start(&mut self, kind: Kind, cal: &Calendar, today: Ymd, d: &Deadlines, step: &str) {
        self.step = Some(step.to_string());
        self.step_started_on = Some(today);
        self.step_due_on = Some(cal.add_working_days(today, d.days(kind, step)));
        self.paused_since = None;
    }

    /// The clock after a move with `effect` made on `today`.
    pub fn after(
        &self,
        effect: ClockEffect,
        kind: Kind,
        cal: &Calendar,
        today: Ymd,
        d: &Deadlines,
    ) -> Clock {
        let mut c = self.clone();
        match effect {
            ClockEffect::Keep => {}
            ClockEffect::Start(step) => c.start(kind, cal, today, d, step),
            ClockEffect::Pause => {
                if c.paused_since.is_none() {
                    c.paused_since = Some(today);
                }
            }
            ClockEffect::Resume => {
                if let Some(since) = c.paused_since.take() {
                    let stood = cal.working_days_between(since, today);
                    c.paused_days += stood;
                    c.step_due_on = c.step_due_on.map(|due| cal.add_working_days(due, stood));
                    c.result_due_on = c.result_due_on.map(|due| cal.add_working_days(due, stood));
                }
            }
            ClockEffect::Extend => {
                let more = d.days(kind, "extend");
                c.extended = true;
                c.step_due_on = c.step_due_on.map(|due| cal.add_working_days(due, more));
                c.result_due_on = c.result_due_on.map(|due| cal.add_working_days(due, more));
            }
            ClockEffect::Stop => {
                c.step = None;
                c.step_due_on = None;
                c.result_due_on = None;
                c.paused_since = None;
            }
        }
        c
    }

    /// The next date that must be kept: the earlier of the step's and the result's.
    pub fn next_due(&self) -> Option<Ymd> {
        match (self.step_due_on, self.result_due_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Where the case stands on `today`; a paused clock is never late.
    pub fn standing(&self, cal: &Calendar, today: Ymd) -> Option<Deadline> {
        if self.paused_since.is_some() {
            return Some(Deadline::InTime);
        }
        self.next_due().map(|due| deadline(cal, today, due))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Ymd {
        Ymd::new(y, m, d)
    }

    #[test]
    fn national_day_is_skipped_and_adjusted_weekends_count() {
        let cal = Calendar::builtin();
        // 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked (调休).
        assert_eq!(cal.add_working_days(ymd(2025, 9, 26), 2), ymd(2025, 9, 29));
        assert_eq!(
            cal.add_working_days(ymd(2025, 9, 30), 10),
            ymd(2025, 10, 21)
        );
        // An objection received on Tuesday 30 September: accept by 10 October, the platform check
        // (from the 9th) by the 11th, a Saturday worked; the unit's 10 days by the 24th.
        let d = Deadlines::default();
        let c = Clock::new(Kind::Objection, &cal, ymd(2025, 9, 30), &d);
        assert_eq!(c.step.as_deref(), Some("accept"));
        assert_eq!(c.step_due_on, Some(ymd(2025, 10, 10)));
        let c = c.after(
            ClockEffect::Start("check"),
            Kind::Objection,
            &cal,
            ymd(2025, 10, 9),
            &d,
        );
        assert_eq!(c.step_due_on, Some(ymd(2025, 10, 11)));
        let c = c.after(
            ClockEffect::Start("verify"),
            Kind::Objection,
            &cal,
            ymd(2025, 10, 11),
            &d,
        );
        assert_eq!(c.step_due_on, Some(ymd(2025, 10, 24)));
        assert_eq!(c.standing(&cal, ymd(2025, 10, 22)), Some(Deadline::InTime));
        assert_eq!(c.standing(&cal, ymd(2025, 10, 23)), Some(Deadline::DueSoon));
        assert_eq!(c.standing(&cal, ymd(2025, 10, 28)), Some(Deadline::Overdue));
    }

    #[test]
    fn across_the_year_boundary() {
        let cal = Calendar::builtin();
        // 31 December worked, 1–3 January off, Sunday 4 January 2026 worked.
        assert_eq!(cal.add_working_days(ymd(2025, 12, 30), 3), ymd(2026, 1, 5));
        let d = Deadlines::default();
        let c = Clock::new(Kind::Repair, &cal, ymd(2025, 12, 30), &d);
        assert_eq!(c.step, None, "repair waits for the office's assignment");
        // 10 working days: Dec 31, Jan 4, 5, 6, 7, 8, 9, 12, 13, 14.
        assert_eq!(c.result_due_on, Some(ymd(2026, 1, 14)));
        let c = c.after(
            ClockEffect::Start("decide"),
            Kind::Repair,
            &cal,
            ymd(2025, 12, 31),
            &d,
        );
        assert_eq!(c.step_due_on, Some(ymd(2026, 1, 6)));
        assert_eq!(c.next_due(), Some(ymd(2026, 1, 6)));
    }

    #[test]
    fn a_pause_pushes_the_deadlines() {
        let cal = Calendar::default();
        let d = Deadlines::default();
        // Applied Friday 4 December 2026: result by 18 December.
        let c = Clock::new(Kind::Repair, &cal, ymd(2026, 12, 4), &d);
        assert_eq!(c.result_due_on, Some(ymd(2026, 12, 18)));
        // Received by the unit Monday the 7th: decide by Thursday the 10th.
        let c = c.after(
            ClockEffect::Start("decide"),
            Kind::Repair,
            &cal,
            ymd(2026, 12, 7),
            &d,
        );
        assert_eq!(c.step_due_on, Some(ymd(2026, 12, 10)));
        // Materials asked for on Tuesday the 8th, sent on Monday the 14th: 4 working days stood still.
        let c = c.after(ClockEffect::Pause, Kind::Repair, &cal, ymd(2026, 12, 8), &d);
        assert_eq!(c.standing(&cal, ymd(2026, 12, 30)), Some(Deadline::InTime));
        let c = c.after(
            ClockEffect::Resume,
            Kind::Repair,
            &cal,
            ymd(2026, 12, 14),
            &d,
        );
        assert_eq!(c.paused_days, 4);
        assert_eq!(c.paused_since, None);
        assert_eq!(c.step_due_on, Some(ymd(2026, 12, 16)));
        assert_eq!(c.result_due_on, Some(ymd(2026, 12, 24)));
    }

    #[test]
    fn one_extension_and_a_stop() {
        let cal = Calendar::builtin();
        let mut stored = BTreeMap::new();
        stored.insert("repair.extend".to_string(), 5);
        stored.insert("repair.decide".to_string(), 500);
        stored.insert("bogus".to_string(), 1);
        let d = Deadlines::merged(&stored);
        assert_eq!(d.days(Kind::Repair, "decide"), MAX_DAYS);
        assert!(!d.0.contains_key("bogus"));
        let d = Deadlines::merged(&BTreeMap::from([("repair.extend".to_string(), 5)]));
        let c = Clock::new(Kind::Repair, &cal, ymd(2026, 9, 24), &d);
        let c = c.after(
            ClockEffect::Start("decide"),
            Kind::Repair,
            &cal,
            ymd(2026, 9, 25),
            &d,
        );
        // 2026: 1–7 October off; Sunday 20 September and Saturday 10 October worked.
        assert_eq!(c.step_due_on, Some(ymd(2026, 9, 30)));
        let c = c.after(
            ClockEffect::Extend,
            Kind::Repair,
            &cal,
            ymd(2026, 9, 29),
            &d,
        );
        assert!(c.extended);
        // Five more working days: Oct 8, 9, 10 (Saturday worked), 12, 13.
        assert_eq!(c.step_due_on, Some(ymd(2026, 10, 13)));
        let c = c.after(ClockEffect::Stop, Kind::Repair, &cal, ymd(2026, 10, 9), &d);
        assert_eq!(
            (
                c.step.clone(),
                c.next_due(),
                c.standing(&cal, ymd(2027, 1, 1))
            ),
            (None, None, None)
        );
    }
}
