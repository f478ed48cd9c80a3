//! The publishing workflow (采编 → 审核 → 发布), as pure rules: the states, which move needs which
//! permission, and the four-eyes checks. The service applies them in a transaction.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Draft,
    InReview,
    Approved,
    Scheduled,
    Published,
    Unpublished,
    Archived,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::InReview,
        Status::Approved,
        Status::Scheduled,
        Status::Published,
        Status::Unpublished,
        Status::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Approved => "approved",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
            Status::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::InReview => "待审核",
            Status::Approved => "已审核待发布",
            Status::Scheduled => "定时发布",
            Status::Published => "已发布",
            Status::Unpublished => "已撤下",
            Status::Archived => "已归档",
        }
    }
}

/// A move of the workflow. Each has a named permission (`Action`) in the policy table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Transition {
    /// The editor sends the draft for review.
    Submit,
    /// The editor takes a submission back to keep editing.
    Withdraw,
    /// The reviewer sends it back with comments.
    RequestChanges,
    Approve,
    Publish,
    /// Publish at a set time (the scheduler does it).
    Schedule,
    /// Cancel a scheduled publication.
    Unschedule,
    Unpublish,
    Archive,
    /// An archived article becomes a draft again.
    Reopen,
}

impl Transition {
    pub const ALL: [Transition; 10] = [
        Transition::Submit,
        Transition::Withdraw,
        Transition::RequestChanges,
        Transition::Approve,
        Transition::Publish,
        Transition::Schedule,
        Transition::Unschedule,
        Transition::Unpublish,
        Transition::Archive,
        Transition::Reopen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Withdraw => "withdraw",
            Transition::RequestChanges => "request_changes",
            Transition::Approve => "approve",
            Transition::Publish => "publish",
            Transition::Schedule => "schedule",
            Transition::Unschedule => "unschedule",
            Transition::Unpublish => "unpublish",
            Transition::Archive => "archive",
            Transition::Reopen => "reopen",
        }
    }

    pub fn parse(code: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Transition::Submit => "提交审核",
            Transition::Withdraw => "撤回修改",
            Transition::RequestChanges => "退回修改",
            Transition::Approve => "审核通过",
            Transition::Publish => "立即发布",
            Transition::Schedule => "定时发布",
            Transition::Unschedule => "取消定时",
            Transition::Unpublish => "撤下",
            Transition::Archive => "归档",
            Transition::Reopen => "重新编辑",
        }
    }

    /// The permission of the policy table this move needs.
    pub fn action(self) -> crate::auth::policy::Action {
        use crate::auth::policy::Action::*;
        match self {
            Transition::Submit => ArticleSubmit,
            Transition::Withdraw => ArticleWithdraw,
            Transition::Reopen => ArticleReopen,
            Transition::RequestChanges => ArticleRequestChanges,
            Transition::Approve => ArticleApprove,
            Transition::Publish => ArticlePublish,
            Transition::Schedule => ArticleSchedule,
            Transition::Unschedule => ArticleUnschedule,
            Transition::Unpublish => ArticleUnpublish,
            Transition::Archive => ArticleArchive,
        }
    }

    /// The states it starts from, and where it leads.
    pub fn moves(self) -> (&'static [Status], Status) {
        use Status::*;
        match self {
            Transition::Submit => (&[Draft], InReview),
            Transition::Withdraw => (&[InReview], Draft),
            Transition::RequestChanges => (&[InReview], Draft),
            Transition::Approve => (&[InReview], Approved),
            Transition::Publish => (&[Approved], Published),
            Transition::Schedule => (&[Approved], Scheduled),
            Transition::Unschedule => (&[Scheduled], Approved),
            Transition::Unpublish => (&[Published], Unpublished),
            Transition::Archive => (&[Draft, Unpublished], Archived),
            Transition::Reopen => (&[Archived], Draft),
        }
    }

    /// Whether a comment is required (sending back needs a reason the editor can act on).
    pub fn needs_comment(self) -> bool {
        matches!(self, Transition::RequestChanges)
    }
}

/// The people on an article, for the four-eyes rules.
#[derive(Debug, Clone, Default)]
pub struct Hands {
    /// Who created the article.
    pub author: Option<i64>,
    /// Who saved the text under review (the latest version).
    pub last_editor: Option<i64>,
    /// Who approved it.
    pub approver: Option<i64>,
}

/// Why a move is refused, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    WrongState { from: Status },
    OwnWork,
    PublisherApproved,
}

impl Refusal {
    pub fn message(&self, t: Transition) -> String {
        match self {
            Refusal::WrongState { from } => format!(
                "文章当前状态为“{}”，不能执行“{}”。请刷新页面查看最新状态。",
                from.label(),
                t.label()
            ),
            Refusal::OwnWork => {
                "不能审核自己撰写或修改的文章（审核人不能是作者）。请由其他审核人审核。".into()
            }
            Refusal::PublisherApproved => {
                "您审核通过了这篇文章，按规定应由另一位发布人发布。如确需本人发布，请管理员开启“审核人可发布”设置。"
                    .into()
            }
        }
    }
}

/// Checks a move against the state and the four-eyes rules. `live`: the article is on the portal
/// (its published text), which may be true while a newer text is in the workflow. `publisher_may_approve`
/// is the administrator's setting that lets the approver also publish (small offices).
pub fn check(
    t: Transition,
    from: Status,
    live: bool,
    actor: i64,
    hands: &Hands,
    publisher_may_approve: bool,
) -> Result<Status, Refusal> {
    // A live article can always be taken down, whatever its newer text is doing; that text keeps its state.
    if t == Transition::Unpublish {
        return match (live, from) {
            (true, Status::Published) => Ok(Status::Unpublished),
            (true, s) if s != Status::Archived => Ok(s),
            _ => Err(Refusal::WrongState { from }),
        };
    }
    let (starts, to) = t.moves();
    if !starts.contains(&from) {
        return Err(Refusal::WrongState { from });
    }
    match t {
        Transition::Approve | Transition::RequestChanges
            if hands.author == Some(actor) || hands.last_editor == Some(actor) =>
        {
            Err(Refusal::OwnWork)
        }
        Transition::Publish | Transition::Schedule
            if hands.approver == Some(actor) && !publisher_may_approve =>
        {
            Err(Refusal::PublisherApproved)
        }
        _ => Ok(to),
    }
}

/// Saving new text: where the article goes. Any edit after approval (or during review) returns it to
/// draft, so the changed text is reviewed again; a published article stays on the portal as it was
/// until the new text is published.
pub fn after_edit(from: Status) -> Status {
    match from {
        Status::Archived => Status::Archived,
        _ => Status::Draft,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: i64 = 1;
    const B: i64 = 2;
    const C: i64 = 3;

    fn hands() -> Hands {
        Hands {
            author: Some(A),
            last_editor: Some(A),
            approver: None,
        }
    }

    #[test]
    fn the_happy_path_runs_through_every_state() {
        let h = hands();
        assert_eq!(
            check(Transition::Submit, Status::Draft, false, A, &h, false),
            Ok(Status::InReview)
        );
        assert_eq!(
            check(Transition::Approve, Status::InReview, false, B, &h, false),
            Ok(Status::Approved)
        );
        let h = Hands {
            approver: Some(B),
            ..h
        };
        assert_eq!(
            check(Transition::Schedule, Status::Approved, false, C, &h, false),
            Ok(Status::Scheduled)
        );
        assert_eq!(
            check(
                Transition::Unschedule,
                Status::Scheduled,
                false,
                C,
                &h,
                false
            ),
            Ok(Status::Approved)
        );
        assert_eq!(
            check(Transition::Publish, Status::Approved, false, C, &h, false),
            Ok(Status::Published)
        );
        assert_eq!(
            check(Transition::Unpublish, Status::Published, true, C, &h, false),
            Ok(Status::Unpublished)
        );
        assert_eq!(
            check(
                Transition::Archive,
                Status::Unpublished,
                false,
                C,
                &h,
                false
            ),
            Ok(Status::Archived)
        );
        assert_eq!(
            check(Transition::Reopen, Status::Archived, false, A, &h, false),
            Ok(Status::Draft)
        );
    }

    #[test]
    fn the_author_cannot_review_her_own_article() {
        let h = hands();
        assert_eq!(
            check(Transition::Approve, Status::InReview, false, A, &h, true),
            Err(Refusal::OwnWork)
        );
        assert_eq!(
            check(
                Transition::RequestChanges,
                Status::InReview,
                false,
                A,
                &h,
                true
            ),
            Err(Refusal::OwnWork)
        );
        // Nor can someone who edited the text under review.
        let h = Hands {
            last_editor: Some(B),
            ..hands()
        };
        assert_eq!(
            check(Transition::Approve, Status::InReview, false, B, &h, false),
            Err(Refusal::OwnWork)
        );
    }

    #[test]
    fn the_approver_publishes_only_when_the_administrator_allows_it() {
        let h = Hands {
            approver: Some(B),
            ..hands()
        };
        assert_eq!(
            check(Transition::Publish, Status::Approved, false, B, &h, false),
            Err(Refusal::PublisherApproved)
        );
        assert_eq!(
            check(Transition::Schedule, Status::Approved, false, B, &h, false),
            Err(Refusal::PublisherApproved)
        );
        assert_eq!(
            check(Transition::Publish, Status::Approved, false, B, &h, true),
            Ok(Status::Published)
        );
    }

    #[test]
    fn moves_from_the_wrong_state_are_refused() {
        let h = hands();
        assert_eq!(
            check(Transition::Publish, Status::Draft, false, C, &h, false),
            Err(Refusal::WrongState {
                from: Status::Draft
            })
        );
        assert_eq!(
            check(Transition::Approve, Status::Approved, false, B, &h, false),
            Err(Refusal::WrongState {
                from: Status::Approved
            })
        );
        assert!(Refusal::WrongState {
            from: Status::Draft
        }
        .message(Transition::Publish)
        .contains("草稿"));
    }

    #[test]
    fn a_live_article_can_be_taken_down_while_its_new_text_is_in_review() {
        let h = hands();
        assert_eq!(
            check(Transition::Unpublish, Status::InReview, true, C, &h, false),
            Ok(Status::InReview)
        );
        assert_eq!(
            check(Transition::Unpublish, Status::Published, true, C, &h, false),
            Ok(Status::Unpublished)
        );
        assert!(check(Transition::Unpublish, Status::Draft, false, C, &h, false).is_err());
    }

    #[test]
    fn any_edit_after_approval_returns_to_draft() {
        for s in [
            Status::InReview,
            Status::Approved,
            Status::Scheduled,
            Status::Published,
            Status::Unpublished,
        ] {
            assert_eq!(after_edit(s), Status::Draft, "{s:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for t in Transition::ALL {
            assert_eq!(Transition::parse(t.code()), Some(t));
            let _ = t.action();
        }
    }
}
