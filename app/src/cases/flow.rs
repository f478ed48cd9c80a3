//! The case engine's flows as data (docs/domain.md §10, §11): for each kind of case its states and
//! the moves between them, each move with the permission it needs, whether it needs a text, and what
//! it does to the deadline clock. The service applies a move in one transaction; nothing here knows
//! the database, so a new kind is a new table, not new code.
use crate::auth::policy::Action;
use serde::{Deserialize, Serialize};

/// What a case is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// 信用修复 (docs/domain.md §10).
    Repair,
    /// 异议申诉 (docs/domain.md §11).
    Objection,
    /// 投诉.
    Complaint,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Repair, Kind::Objection, Kind::Complaint];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Repair => "repair",
            Kind::Objection => "objection",
            Kind::Complaint => "complaint",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Repair => "信用修复",
            Kind::Objection => "异议申诉",
            Kind::Complaint => "投诉",
        }
    }

    /// The kind's flow.
    pub fn flow(self) -> &'static Flow {
        match self {
            Kind::Repair => &REPAIR,
            Kind::Objection => &OBJECTION,
            Kind::Complaint => &COMPLAINT,
        }
    }
}

/// Who makes a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Staff holding this permission (with its scope).
    Staff(Action),
    /// The applicant, with the tracking code (no account).
    Applicant,
}

/// What a move does to the deadline clock (`cases::deadline::Clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEffect {
    /// Nothing changes.
    Keep,
    /// A new step starts today with this step's working days.
    Start(&'static str),
    /// Waiting for the applicant: the clock stands still.
    Pause,
    /// The applicant answered: the days stood still push the deadlines.
    Resume,
    /// Once per case, with a reason: the deadlines move by the extension's working days.
    Extend,
    /// The case is closed.
    Stop,
}

/// One move of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub code: &'static str,
    /// The button's label.
    pub label: &'static str,
    pub from: &'static [&'static str],
    /// The state after the move (the same state for an extension or a hand-off).
    pub to: &'static str,
    pub by: By,
    /// A reason or answer must be written (refusal, request for materials, extension …).
    pub needs_text: bool,
    pub clock: ClockEffect,
    /// The move sends the case to a (new) unit: the form asks which.
    pub picks_unit: bool,
}

/// A state of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub code: &'static str,
    /// What staff and the applicant read.
    pub label: &'static str,
    /// No move leaves it.
    pub closed: bool,
}

/// One kind's flow.
#[derive(Debug)]
pub struct Flow {
    pub kind: Kind,
    pub states: &'static [State],
    /// The state of a new case.
    pub initial: &'static str,
    /// The step whose clock starts on submission, if any.
    pub first_step: Option<&'static str>,
    /// The overall clock from submission to the result (repair: the result within 10 working days).
    pub result_step: Option<&'static str>,
    pub moves: &'static [Move],
}

impl Flow {
    pub fn state(&self, code: &str) -> Option<&'static State> {
        self.states.iter().find(|s| s.code == code)
    }

    pub fn state_label(&self, code: &str) -> &'static str {
        self.state(code).map_or("未知状态", |s| s.label)
    }

    pub fn find(&self, code: &str) -> Option<&'static Move> {
        self.moves.iter().find(|m| m.code == code)
    }

    /// The moves possible from `state`, in table order.
    pub fn moves_from<'a>(&'a self, state: &'a str) -> impl Iterator<Item = &'static Move> + 'a {
        self.moves.iter().filter(move |m| m.from.contains(&state))
    }
}

/// Every state of every flow once, for the desk's filter: (code, label), the label of the first flow
/// that has it (`submitted` reads the same in all).
pub fn all_states() -> Vec<(&'static str, &'static str)> {
    let mut seen: Vec<(&'static str, &'static str)> = vec![];
    for k in Kind::ALL {
        for st in k.flow().states {
            if !seen.iter().any(|(c, _)| *c == st.code) {
                seen.push((st.code, st.label));
            }
        }
    }
    seen
}

/// Why a move cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownMove,
    WrongState,
    TextRequired,
    AlreadyExtended,
}

impl Refusal {
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::UnknownMove => "没有这个办理操作。",
            Refusal::WrongState => "案件当前状态下不能进行此操作，请刷新后查看。",
            Refusal::TextRequired => "请填写理由或说明。",
            Refusal::AlreadyExtended => "本案已延期一次，不能再次延期。",
        }
    }
}

/// Checks a move against the case's state; the permission is checked by the service (policy table).
pub fn check(
    flow: &Flow,
    state: &str,
    code: &str,
    text: &str,
    extended: bool,
) -> Result<&'static Move, Refusal> {
    let m = flow.find(code).ok_or(Refusal::UnknownMove)?;
    if !m.from.contains(&state) {
        return Err(Refusal::WrongState);
    }
    if m.needs_text && text.trim().is_empty() {
        return Err(Refusal::TextRequired);
    }
    if m.clock == ClockEffect::Extend && extended {
        return Err(Refusal::AlreadyExtended);
    }
    Ok(m)
}

use Action::{CaseAssign, CaseDecide};

const fn mv(
    code: &'static str,
    label: &'static str,
    from: &'static [&'static str],
    to: &'static str,
    by: By,
    needs_text: bool,
    clock: ClockEffect,
) -> Move {
    Move {
        code,
        label,
        from,
        to,
        by,
        needs_text,
        clock,
        picks_unit: false,
    }
}

const fn to_unit(m: Move) -> Move {
    Move {
        picks_unit: true,
        ..m
    }
}

/// 信用修复 (docs/domain.md §10): the credit office receives the application and assigns it to the
/// unit whose record it is; the unit decides within 3 working days of receipt (it may ask once or more
/// for more materials, which stops the clock until the applicant answers, hand it back to the office,
/// or extend once with a reason); the applicant has the result within 10 working days of applying.
pub static REPAIR: Flow = Flow {
    kind: Kind::Repair,
    states: &[
        State {
            code: "submitted",
            label: "已提交，待受理",
            closed: false,
        },
        State {
            code: "assigned",
            label: "已受理，待认定单位决定",
            closed: false,
        },
        State {
            code: "supplement",
            label: "待申请人补正材料",
            closed: false,
        },
        State {
            code: "approved",
            label: "准予修复",
            closed: true,
        },
        State {
            code: "refused",
            label: "不予修复",
            closed: true,
        },
        State {
            code: "rejected",
            label: "不予受理",
            closed: true,
        },
    ],
    initial: "submitted",
    first_step: None,
    result_step: Some("result"),
    moves: &[
        to_unit(mv(
            "assign",
            "受理并分办",
            &["submitted"],
            "assigned",
            By::Staff(CaseAssign),
            false,
            ClockEffect::Start("decide"),
        )),
        mv(
            "reject",
            "不予受理",
            &["submitted"],
            "rejected",
            By::Staff(CaseAssign),
            true,
            ClockEffect::Stop,
        ),
        mv(
            "request_materials",
            "要求补正材料",
            &["assigned"],
            "supplement",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Pause,
        ),
        mv(
            "resubmit",
            "补正材料",
            &["supplement"],
            "assigned",
            By::Applicant,
            true,
            ClockEffect::Resume,
        ),
        mv(
            "approve",
            "准予修复",
            &["assigned"],
            "approved",
            By::Staff(CaseDecide),
            false,
            ClockEffect::Stop,
        ),
        mv(
            "refuse",
            "不予修复",
            &["assigned"],
            "refused",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Stop,
        ),
        mv(
            "return",
            "退回信用办",
            &["assigned"],
            "submitted",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Keep,
        ),
        to_unit(mv(
            "hand_off",
            "转其他单位办理",
            &["assigned"],
            "assigned",
            By::Staff(CaseAssign),
            true,
            ClockEffect::Start("decide"),
        )),
        mv(
            "extend",
            "延期（仅一次）",
            &["assigned"],
            "assigned",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Extend,
        ),
    ],
};

/// 异议申诉 (docs/domain.md §11; 信用广州's 2 + 2 + 10 working days): accept or reject, the platform
/// checks its own processing, the source unit verifies, the office replies. Pages come later; the
/// engine already runs it.
pub static OBJECTION: Flow = Flow {
    kind: Kind::Objection,
    states: &[
        State {
            code: "submitted",
            label: "已提交，待受理",
            closed: false,
        },
        State {
            code: "checking",
            label: "已受理，平台核查中",
            closed: false,
        },
        State {
            code: "verifying",
            label: "认定单位核实中",
            closed: false,
        },
        State {
            code: "supplement",
            label: "待申请人补正材料",
            closed: false,
        },
        State {
            code: "replying",
            label: "核实完毕，待答复",
            closed: false,
        },
        State {
            code: "replied",
            label: "已答复",
            closed: true,
        },
        State {
            code: "rejected",
            label: "不予受理",
            closed: true,
        },
    ],
    initial: "submitted",
    first_step: Some("accept"),
    result_step: None,
    moves: &[
        mv(
            "accept",
            "受理",
            &["submitted"],
            "checking",
            By::Staff(CaseAssign),
            false,
            ClockEffect::Start("check"),
        ),
        mv(
            "reject",
            "不予受理",
            &["submitted"],
            "rejected",
            By::Staff(CaseAssign),
            true,
            ClockEffect::Stop,
        ),
        to_unit(mv(
            "forward",
            "平台核查完毕，转单位核实",
            &["checking"],
            "verifying",
            By::Staff(CaseAssign),
            false,
            ClockEffect::Start("verify"),
        )),
        mv(
            "checked_reply",
            "平台核查即可答复",
            &["checking"],
            "replying",
            By::Staff(CaseAssign),
            true,
            ClockEffect::Start("reply"),
        ),
        mv(
            "request_materials",
            "要求补正材料",
            &["verifying"],
            "supplement",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Pause,
        ),
        mv(
            "resubmit",
            "补正材料",
            &["supplement"],
            "verifying",
            By::Applicant,
            true,
            ClockEffect::Resume,
        ),
        mv(
            "verified",
            "核实完毕",
            &["verifying"],
            "replying",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Start("reply"),
        ),
        mv(
            "return",
            "退回信用办",
            &["verifying"],
            "checking",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Keep,
        ),
        mv(
            "extend",
            "延期（仅一次）",
            &["verifying"],
            "verifying",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Extend,
        ),
        mv(
            "reply",
            "答复申请人",
            &["replying"],
            "replied",
            By::Staff(CaseAssign),
            true,
            ClockEffect::Stop,
        ),
    ],
};

/// 投诉: accepted, handled by a unit, answered.
pub static COMPLAINT: Flow = Flow {
    kind: Kind::Complaint,
    states: &[
        State {
            code: "submitted",
            label: "已提交，待受理",
            closed: false,
        },
        State {
            code: "handling",
            label: "办理中",
            closed: false,
        },
        State {
            code: "replied",
            label: "已答复",
            closed: true,
        },
        State {
            code: "rejected",
            label: "不予受理",
            closed: true,
        },
    ],
    initial: "submitted",
    first_step: Some("accept"),
    result_step: None,
    moves: &[
        to_unit(mv(
            "accept",
            "受理并分办",
            &["submitted"],
            "handling",
            By::Staff(CaseAssign),
            false,
            ClockEffect::Start("handle"),
        )),
        mv(
            "reject",
            "不予受理",
            &["submitted"],
            "rejected",
            By::Staff(CaseAssign),
            true,
            ClockEffect::Stop,
        ),
        mv(
            "reply",
            "答复申请人",
            &["handling"],
            "replied",
            By::Staff(CaseDecide),
            true,
            ClockEffect::Stop,
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_move_joins_known_states() {
        for kind in Kind::ALL {
            let flow = kind.flow();
            assert_eq!(flow.kind, kind);
            assert!(flow.state(flow.initial).is_some());
            for m in flow.moves {
                assert!(flow.state(m.to).is_some(), "{} → {}", m.code, m.to);
                for f in m.from {
                    let s = flow
                        .state(f)
                        .unwrap_or_else(|| panic!("{} from {f}", m.code));
                    assert!(!s.closed, "{} leaves closed {f}", m.code);
                }
            }
            // Every open state can be left; closed ones cannot.
            for s in flow.states {
                assert_eq!(
                    flow.moves_from(s.code).next().is_none(),
                    s.closed,
                    "{}",
                    s.code
                );
            }
            assert_eq!(Kind::parse(kind.code()), Some(kind));
        }
    }

    #[test]
    fn the_repair_journey() {
        let f = &REPAIR;
        let assign = check(f, "submitted", "assign", "", false).unwrap();
        assert_eq!(assign.clock, ClockEffect::Start("decide"));
        assert!(assign.picks_unit);
        assert_eq!(
            check(f, "submitted", "approve", "", false),
            Err(Refusal::WrongState)
        );
        assert_eq!(
            check(f, "assigned", "refuse", "  ", false),
            Err(Refusal::TextRequired)
        );
        assert!(check(f, "assigned", "refuse", "罚款尚未缴纳", false).is_ok());
        let pause = check(f, "assigned", "request_materials", "请补充缴款凭证", false).unwrap();
        assert_eq!((pause.to, pause.clock), ("supplement", ClockEffect::Pause));
        let resume = check(f, "supplement", "resubmit", "已补充", false).unwrap();
        assert_eq!(
            (resume.by, resume.clock),
            (By::Applicant, ClockEffect::Resume)
        );
        assert!(check(f, "assigned", "extend", "案情复杂", false).is_ok());
        assert_eq!(
            check(f, "assigned", "extend", "再延", true),
            Err(Refusal::AlreadyExtended)
        );
        assert_eq!(
            check(f, "approved", "refuse", "x", false),
            Err(Refusal::WrongState)
        );
        assert_eq!(
            check(f, "assigned", "nope", "", false),
            Err(Refusal::UnknownMove)
        );
        let approve = f.find("approve").unwrap();
        assert_eq!(approve.by, By::Staff(Action::CaseDecide));
    }

    #[test]
    fn the_objection_flow_runs_two_two_ten() {
        let f = &OBJECTION;
        assert_eq!(f.first_step, Some("accept"));
        let steps: Vec<_> = ["accept", "forward", "verified"]
            .iter()
            .map(|m| f.find(m).unwrap().clock)
            .collect();
        assert_eq!(
            steps,
            [
                ClockEffect::Start("check"),
                ClockEffect::Start("verify"),
                ClockEffect::Start("reply")
            ]
        );
    }
}
