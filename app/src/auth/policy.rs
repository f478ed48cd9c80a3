//! The one authorisation policy: role × action × scope. Every server function and REST handler asks
//! it (through `server::authz`), the console navigation reads it, and the matrix test walks it.
use super::model::Role;
use serde::{Deserialize, Serialize};

/// What a caller wants to do. One variant per permission, named after the business action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Open the console at all (every role but the subject account).
    ConsoleEnter,
    UserView,
    UserCreate,
    /// Edit, disable and enable an account.
    UserUpdate,
    UserUnlock,
    UserResetPassword,
    UserEndSessions,
    /// Grant and revoke roles.
    RoleGrant,
    /// Departments and counties.
    OrgView,
    OrgManage,
    /// Password, session and login policy.
    PolicyView,
    PolicyEdit,
    HolidayView,
    HolidayEdit,
    AuditView,
    AuditExport,
    AlarmView,
    AlarmHandle,
    /// The credit catalogue: classes, fields, rules, source units.
    CatalogueView,
    CatalogueManage,
    /// Send data: upload a file, fix and resend rows, map unknown headers.
    DataSubmit,
    /// Batches, their faults and error reports.
    BatchView,
    /// Publish or discard a checked batch.
    BatchConfirm,
    /// Stored records and their version history.
    RecordView,
    /// Take a record off public view (revoked or changed decisions).
    RecordWithdraw,
    /// Read the text as sent of fields whose ID or phone numbers were masked (every read audited).
    RecordUnmask,
    /// Make and revoke API keys (the security admin's keys, docs/domain.md §2).
    ApiKeyManage,
    /// Read and export the keys' access log (who called what, when, how many rows).
    ApiAccessView,
    /// Resolve name/code conflicts of the subject registry.
    ConflictResolve,
    /// The due-date board (到期更新) and the unit's reminders.
    DueView,
    /// Quality control: metrics, trends, monthly reports, league table.
    QualityView,
    /// The subject registry (法人库): subjects, their register details and former names.
    SubjectView,
    /// The CMS: see the article list, articles and their history.
    CmsView,
    /// Write and change articles (采编), upload their pictures and files.
    ArticleEdit,
    // One permission per workflow move (`cms::workflow::Transition`).
    ArticleSubmit,
    ArticleWithdraw,
    ArticleReopen,
    ArticleRequestChanges,
    ArticleApprove,
    ArticlePublish,
    ArticleSchedule,
    ArticleUnschedule,
    ArticleUnpublish,
    ArticleArchive,
    /// Columns, the sensitive-word list and the CMS settings.
    CmsManage,
    /// Search subjects in the console (natural persons included, masked).
    CreditSearch,
    /// Pull a subject's credit report for a service matter (logged and audited).
    CreditReportPull,
    /// The report request log and its statistics.
    CreditReportStats,
    /// The 公示规则: display-period regime and what the public may see.
    DisclosureView,
    DisclosureEdit,
    /// The public's consultations (咨询) in the console: the list and one consultation.
    ConsultView,
    /// Send a consultation to a unit to answer; set the working days to answer.
    ConsultRoute,
    ConsultAnswer,
    /// Publish an answered consultation (texts masked) as public Q&A, or take it down.
    ConsultPublish,
    /// Training sessions (培训) and their sign-in lists: create, edit, sign in, export.
    TrainingManage,
    /// Credit commitments (信用承诺) accepted by the unit: the console list.
    CommitmentView,
    /// Record a commitment's fulfilment (已履约 / 未履约) as a new version through the pipeline.
    CommitmentFulfil,
    /// The statistics dashboard, its exports and the monthly statistics report.
    StatsView,
    /// Cases (credit repair, objections, complaints): the desk's list and one case.
    CaseView,
    /// The credit office's moves: accept and assign to a unit, hand off, reject, reply; the deadlines.
    CaseAssign,
    /// The unit's moves: decide (approve, refuse), ask for materials, return, extend once.
    CaseDecide,
    /// A subject account's own cases (those on its bound USCC), at `/my/cases`.
    CaseOwn,
    /// The 联合奖惩 measures list (read).
    MeasureView,
    /// Import the national measures list, add local measures, retire one.
    MeasureManage,
    /// Service matters and their measures (read, within the scope).
    MatterView,
    /// Save and import service matters.
    MatterManage,
    /// Check subjects against the lists for a matter (one or a spreadsheet), and see the check log.
    CheckRun,
    /// Record the feedback on a check (measures applied or not).
    CheckFeedback,
    /// The 联合奖惩 statistics and the 应查必查 view.
    CheckStats,
    /// The push log to the province (messages, schedules, lag).
    PushView,
    /// Resend messages, push now, set the push schedule.
    PushManage,
    /// Ask the province about a subject our register lacks (法人库, report desk).
    UpstreamQuery,
}

/// How far a permission reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// Only rows of the caller's own department.
    OwnDepartment,
    /// Only rows within the caller's own county.
    OwnCounty,
    /// The whole platform.
    All,
}

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user, for their own account (works while a password change is pending).
    SignedIn,
    Action(Action),
    /// A unit's system with an API key (`Authorization: Bearer …`); sessions are not accepted.
    ApiKey,
}

use Action::*;
use Role::*;
use Scope::*;

/// The policy table. A role not listed for an action may not perform it. 三员分立: the system admin
/// manages accounts but cannot grant roles or read the audit log; the security admin grants roles and
/// sets policy but cannot create accounts; the audit admin only reads the audit log.
pub const POLICY: &[(Role, Action, Scope)] = &[
    (Clerk, ConsoleEnter, OwnDepartment),
    (County, ConsoleEnter, OwnCounty),
    (CmsEditor, ConsoleEnter, All),
    (CmsReviewer, ConsoleEnter, All),
    (CmsPublisher, ConsoleEnter, All),
    (Operator, ConsoleEnter, All),
    (SystemAdmin, ConsoleEnter, All),
    (SecurityAdmin, ConsoleEnter, All),
    (AuditAdmin, ConsoleEnter, All),
    // Accounts: created and maintained by the system admin, roles by the security admin.
    (SystemAdmin, UserView, All),
    (SecurityAdmin, UserView, All),
    (SystemAdmin, UserCreate, All),
    (SystemAdmin, UserUpdate, All),
    (SystemAdmin, UserUnlock, All),
    (SystemAdmin, UserResetPassword, All),
    (SystemAdmin, UserEndSessions, All),
    (SecurityAdmin, RoleGrant, All),
    // Organisation: everyone in the office sees it; a clerk sees their department, a county its area.
    (Clerk, OrgView, OwnDepartment),
    (County, OrgView, OwnCounty),
    (Operator, OrgView, All),
    (SystemAdmin, OrgView, All),
    (SecurityAdmin, OrgView, All),
    (SystemAdmin, OrgManage, All),
    (SecurityAdmin, PolicyView, All),
    (SystemAdmin, PolicyView, All),
    (SecurityAdmin, PolicyEdit, All),
    (Operator, HolidayView, All),
    (SystemAdmin, HolidayView, All),
    (Operator, HolidayEdit, All),
    (SystemAdmin, HolidayEdit, All),
    (AuditAdmin, AuditView, All),
    (AuditAdmin, AuditExport, All),
    (Operator, AlarmView, All),
    (SystemAdmin, AlarmView, All),
    (Operator, AlarmHandle, All),
    (SystemAdmin, AlarmHandle, All),
    // Collection: a clerk works for their unit, a county user watches the units of the county, the
    // credit office runs the catalogue and may act for any unit.
    (Clerk, CatalogueView, OwnDepartment),
    (County, CatalogueView, OwnCounty),
    (Operator, CatalogueView, All),
    (Operator, CatalogueManage, All),
    (County, SubjectView, OwnCounty),
    (Operator, SubjectView, All),
    (Clerk, DataSubmit, OwnDepartment),
    (Operator, DataSubmit, All),
    // CMS: editors write, reviewers review, publishers publish (docs/domain.md §2, §13); the credit office
    // manages the columns and the word list and may follow every article.
    (CmsEditor, CmsView, All),
    (CmsReviewer, CmsView, All),
    (CmsPublisher, CmsView, All),
    (Operator, CmsView, All),
    (CmsEditor, ArticleEdit, All),
    (CmsEditor, ArticleSubmit, All),
    (CmsEditor, ArticleWithdraw, All),
    (CmsEditor, ArticleReopen, All),
    (CmsReviewer, ArticleRequestChanges, All),
    (CmsReviewer, ArticleApprove, All),
    (CmsPublisher, ArticlePublish, All),
    (CmsPublisher, ArticleSchedule, All),
    (CmsPublisher, ArticleUnschedule, All),
    (CmsPublisher, ArticleUnpublish, All),
    (CmsPublisher, ArticleArchive, All),
    (Operator, CmsManage, All),
    (Clerk, BatchView, OwnDepartment),
    (County, BatchView, OwnCounty),
    (Operator, BatchView, All),
    (Clerk, BatchConfirm, OwnDepartment),
    (Operator, BatchConfirm, All),
    (Clerk, RecordView, OwnDepartment),
    (County, RecordView, OwnCounty),
    (Operator, RecordView, All),
    (Clerk, RecordWithdraw, OwnDepartment),
    (Operator, RecordWithdraw, All),
    // The unit that sent a text and the credit office may read it unmasked; county users may not.
    (Clerk, RecordUnmask, OwnDepartment),
    (Operator, RecordUnmask, All),
    (SecurityAdmin, ApiKeyManage, All),
    (SecurityAdmin, ApiAccessView, All),
    (Operator, ConflictResolve, All),
    (Clerk, DueView, OwnDepartment),
    (County, DueView, OwnCounty),
    (Operator, DueView, All),
    (Clerk, QualityView, OwnDepartment),
    (County, QualityView, OwnCounty),
    (Operator, QualityView, All),
    // Credit reports: counter staff pull reports for the matters they handle; the office watches.
    (Clerk, CreditSearch, OwnDepartment),
    (County, CreditSearch, OwnCounty),
    (Operator, CreditSearch, All),
    (Clerk, CreditReportPull, OwnDepartment),
    (County, CreditReportPull, OwnCounty),
    (Operator, CreditReportPull, All),
    (County, CreditReportStats, OwnCounty),
    (Operator, CreditReportStats, All),
    // What is published is the credit office's decision.
    (Operator, DisclosureView, All),
    (Operator, DisclosureEdit, All),
    // Consultations (docs/domain.md §13): the credit office routes, the unit it chose answers (or
    // the office itself), the office publishes.
    (Clerk, ConsultView, OwnDepartment),
    (Operator, ConsultView, All),
    (Operator, ConsultRoute, All),
    (Clerk, ConsultAnswer, OwnDepartment),
    (Operator, ConsultAnswer, All),
    (Operator, ConsultPublish, All),
    // Statistics of the platform: the credit office's regular analysis (二.2).
    (Operator, StatsView, All),
    // Training for the platform's users and for credit repair (三.1(6), docs/domain.md §10).
    (Operator, TrainingManage, All),
    // Cases (docs/domain.md §10, §11): the office assigns, the unit whose record it is decides; a
    // county user follows its county's cases.
    (Clerk, CaseView, OwnDepartment),
    (County, CaseView, OwnCounty),
    (Operator, CaseView, All),
    (Operator, CaseAssign, All),
    (Clerk, CaseDecide, OwnDepartment),
    (Operator, CaseDecide, All),
    // A subject account follows the cases on its own USCC (the service filters by it).
    (Subject, CaseOwn, All),
    // Commitments (docs/domain.md §10): the accepting unit tracks fulfilment, a county watches its units.
    (Clerk, CommitmentView, OwnDepartment),
    (County, CommitmentView, OwnCounty),
    (Operator, CommitmentView, All),
    (Clerk, CommitmentFulfil, OwnDepartment),
    (Operator, CommitmentFulfil, All),
    // 联合奖惩 (docs/domain.md §8): the measures are the same for everyone who checks; the office keeps them.
    (Clerk, MeasureView, All),
    (County, MeasureView, All),
    (Operator, MeasureView, All),
    (Operator, MeasureManage, All),
    (Clerk, MatterView, OwnDepartment),
    (County, MatterView, OwnCounty),
    (Operator, MatterView, All),
    (Operator, MatterManage, All),
    // The check runs where matters are handled: a clerk for its unit's matters, a county user for its
    // county's; the office checks for any and keeps the statistics.
    (Clerk, CheckRun, OwnDepartment),
    (County, CheckRun, OwnCounty),
    (Operator, CheckRun, All),
    (Clerk, CheckFeedback, OwnDepartment),
    (County, CheckFeedback, OwnCounty),
    (Operator, CheckFeedback, All),
    (Operator, CheckStats, All),
    // The exchange with the province is the office's: units see their own records, not the channel.
    (Operator, PushView, All),
    (Operator, PushManage, All),
    // Whoever looks subjects up for a matter may ask the province about one we do not hold.
    (Clerk, UpstreamQuery, OwnDepartment),
    (County, UpstreamQuery, OwnCounty),
    (Operator, UpstreamQuery, All),
];

/// The widest scope any of the roles has for the action, or `None` when none may perform it.
pub fn scope_for(roles: &[Role], action: Action) -> Option<Scope> {
    POLICY
        .iter()
        .filter(|(r, a, _)| *a == action && roles.contains(r))
        .map(|(_, _, s)| *s)
        .max()
}

pub fn may(roles: &[Role], action: Action) -> bool {
    scope_for(roles, action).is_some()
}

/// Every server function (its path under `/api/`) and every REST endpoint of the app, with who may
/// call it. The matrix test requires each registered route to appear here, and calls each as every role.
pub const ENDPOINTS: &[(&str, Access)] = &[
    ("portal/home", Access::Public),
    ("portal/nav", Access::Public),
    ("portal/column", Access::Public),
    ("portal/article", Access::Public),
    ("portal/search", Access::Public),
    ("portal/policies", Access::Public),
    ("help/faq", Access::Public),
    ("credit/search", Access::Public),
    ("credit/subject", Access::Public),
    ("credit/list", Access::Public),
    ("credit/record", Access::Public),
    ("credit/verify", Access::Public),
    ("credit/request_form", Access::Public),
    ("credit/staff_search", Access::Action(Action::CreditSearch)),
    (
        "credit/staff_report",
        Access::Action(Action::CreditReportPull),
    ),
    (
        "credit/report_stats",
        Access::Action(Action::CreditReportStats),
    ),
    ("credit/disclosure", Access::Action(Action::DisclosureView)),
    (
        "credit/disclosure_save",
        Access::Action(Action::DisclosureEdit),
    ),
    ("GET /api/v1/credit/search", Access::Public),
    ("help/home", Access::Public),
    ("help/consult_submit", Access::Public),
    ("help/track", Access::Public),
    ("help/qa", Access::Public),
    ("help/consults", Access::Action(ConsultView)),
    ("help/consult", Access::Action(ConsultView)),
    ("help/consult_route", Access::Action(ConsultRoute)),
    ("help/consult_answer", Access::Action(ConsultAnswer)),
    ("help/consult_publish", Access::Action(ConsultPublish)),
    ("help/answer_days_save", Access::Action(ConsultRoute)),
    ("training/public", Access::Public),
    ("commitments/form", Access::Public),
    ("commitments/submit", Access::Public),
    ("commitments/list", Access::Action(CommitmentView)),
    ("commitments/fulfilment", Access::Action(CommitmentFulfil)),
    ("training/sessions", Access::Action(TrainingManage)),
    ("training/session", Access::Action(TrainingManage)),
    ("training/session_save", Access::Action(TrainingManage)),
    ("training/attendee_add", Access::Action(TrainingManage)),
    ("training/sign_in", Access::Action(TrainingManage)),
    (
        "POST /console/export/training.xlsx",
        Access::Action(TrainingManage),
    ),
    ("GET /credit/lists/{list}/export.xlsx", Access::Public),
    ("cases/track", Access::Public),
    ("cases/repair_target", Access::Public),
    ("POST /repair/submit", Access::Public),
    ("GET /case-files/{case}/{file}", Access::Action(CaseView)),
    ("cases/record_target", Access::Public),
    ("POST /objection/submit", Access::Public),
    ("POST /complaint/submit", Access::Public),
    ("POST /track/supplement", Access::Public),
    ("cases/enter", Access::Action(CaseAssign)),
    ("cases/suspend", Access::Action(CaseAssign)),
    ("cases/list", Access::Action(CaseView)),
    ("cases/case", Access::Action(CaseView)),
    ("cases/move", Access::Action(CaseView)),
    ("cases/deadlines", Access::Action(CaseAssign)),
    ("cases/deadlines_save", Access::Action(CaseAssign)),
    ("cases/mine", Access::Action(CaseOwn)),
    ("cases/stats", Access::Action(CaseView)),
    (
        "POST /console/export/case_stats.xlsx",
        Access::Action(CaseView),
    ),
    ("joint/measures", Access::Action(MeasureView)),
    ("joint/measure_add", Access::Action(MeasureManage)),
    ("joint/measure_retire", Access::Action(MeasureManage)),
    (
        "POST /console/joint/measures/import",
        Access::Action(MeasureManage),
    ),
    (
        "GET /console/joint/measures/sample.xlsx",
        Access::Action(MeasureManage),
    ),
    ("joint/matters", Access::Action(MatterView)),
    ("joint/matter_save", Access::Action(MatterManage)),
    ("joint/check_form", Access::Action(CheckRun)),
    ("joint/check", Access::Action(CheckRun)),
    ("joint/checks", Access::Action(CheckRun)),
    ("joint/check_get", Access::Action(CheckRun)),
    ("joint/check_feedback", Access::Action(CheckFeedback)),
    ("joint/check_batch", Access::Action(CheckRun)),
    ("joint/stats", Access::Action(CheckStats)),
    ("joint/feedback_days", Access::Action(CheckStats)),
    ("joint/feedback_days_save", Access::Action(CheckStats)),
    ("joint/embed_units", Access::Action(CheckRun)),
    ("joint/embed_origins_save", Access::Action(MatterManage)),
    (
        "POST /console/export/joint_stats.xlsx",
        Access::Action(CheckStats),
    ),
    ("POST /console/joint/check/batch", Access::Action(CheckRun)),
    (
        "GET /console/joint/batches/{id}/results.xlsx",
        Access::Action(CheckRun),
    ),
    (
        "POST /console/joint/matters/import",
        Access::Action(MatterManage),
    ),
    ("province/push_log", Access::Action(PushView)),
    ("province/push_resend", Access::Action(PushManage)),
    ("province/push_now", Access::Action(PushManage)),
    ("province/push_schedule", Access::Action(PushManage)),
    ("province/upstream_subject", Access::Action(UpstreamQuery)),
    (
        "POST /console/province/push/export.xlsx",
        Access::Action(PushView),
    ),
    (
        "POST /console/province/push/export.csv",
        Access::Action(PushView),
    ),
    ("stats/public", Access::Public),
    ("stats/dashboard", Access::Action(Action::StatsView)),
    ("POST /console/export/stats.xlsx", Access::Action(StatsView)),
    ("POST /credit/report", Access::Public),
    ("GET /verify/{code}/report.pdf", Access::Public),
    ("POST /verify/check", Access::Public),
    ("GET /verify/public-key.pem", Access::Public),
    ("auth/login", Access::Public),
    ("auth/totp", Access::Public),
    ("auth/logout", Access::Public),
    ("auth/me", Access::Public),
    ("auth/notice", Access::Public),
    ("account/overview", Access::SignedIn),
    ("account/password", Access::SignedIn),
    ("account/totp_begin", Access::SignedIn),
    ("account/totp_confirm", Access::SignedIn),
    ("account/end_other_sessions", Access::SignedIn),
    ("admin/users", Access::Action(UserView)),
    ("admin/user", Access::Action(UserView)),
    ("admin/user_create", Access::Action(UserCreate)),
    ("admin/user_update", Access::Action(UserUpdate)),
    ("admin/user_status", Access::Action(UserUpdate)),
    ("admin/user_unlock", Access::Action(UserUnlock)),
    (
        "admin/user_reset_password",
        Access::Action(UserResetPassword),
    ),
    ("admin/user_end_sessions", Access::Action(UserEndSessions)),
    ("admin/user_roles", Access::Action(RoleGrant)),
    ("admin/orgs", Access::Action(OrgView)),
    ("admin/department", Access::Action(OrgView)),
    ("admin/department_save", Access::Action(OrgManage)),
    ("admin/county_save", Access::Action(OrgManage)),
    ("admin/policy", Access::Action(PolicyView)),
    ("admin/policy_save", Access::Action(PolicyEdit)),
    ("admin/holidays", Access::Action(HolidayView)),
    ("admin/holiday_save", Access::Action(HolidayEdit)),
    ("admin/holiday_delete", Access::Action(HolidayEdit)),
    ("admin/holiday_import", Access::Action(HolidayEdit)),
    ("admin/audit", Access::Action(AuditView)),
    ("admin/audit_event", Access::Action(AuditView)),
    ("admin/audit_verify", Access::Action(AuditView)),
    ("admin/alarms", Access::Action(AlarmView)),
    ("admin/alarm_handle", Access::Action(AlarmHandle)),
    ("collect/options", Access::Action(DataSubmit)),
    ("collect/batches", Access::Action(BatchView)),
    ("collect/batch", Access::Action(BatchView)),
    ("collect/batch_confirm", Access::Action(BatchConfirm)),
    ("collect/batch_discard", Access::Action(BatchConfirm)),
    ("collect/batch_mapping", Access::Action(DataSubmit)),
    ("collect/form_spec", Access::Action(DataSubmit)),
    ("collect/form_submit", Access::Action(DataSubmit)),
    ("subjects/search", Access::Action(SubjectView)),
    ("subjects/subject", Access::Action(SubjectView)),
    ("catalogue/classes", Access::Action(CatalogueView)),
    ("catalogue/class", Access::Action(CatalogueView)),
    ("catalogue/field_save", Access::Action(CatalogueManage)),
    ("catalogue/field_remove", Access::Action(CatalogueManage)),
    ("catalogue/rule_switch", Access::Action(CatalogueManage)),
    ("catalogue/source_save", Access::Action(CatalogueManage)),
    ("catalogue/source_remove", Access::Action(CatalogueManage)),
    (
        "catalogue/source_exchange_now",
        Access::Action(CatalogueManage),
    ),
    ("catalogue/class_create", Access::Action(CatalogueManage)),
    ("records/search", Access::Action(RecordView)),
    ("records/record", Access::Action(RecordView)),
    ("records/withdraw", Access::Action(RecordWithdraw)),
    ("records/originals", Access::Action(RecordUnmask)),
    ("collect/conflicts", Access::Action(ConflictResolve)),
    ("collect/conflict_resolve", Access::Action(ConflictResolve)),
    ("apikeys/list", Access::Action(ApiKeyManage)),
    ("apikeys/create", Access::Action(ApiKeyManage)),
    ("apikeys/revoke", Access::Action(ApiKeyManage)),
    ("partner/access_log", Access::Action(ApiAccessView)),
    (
        "POST /console/export/api_access.xlsx",
        Access::Action(ApiAccessView),
    ),
    ("collect/due", Access::Action(DueView)),
    ("collect/reminder_read", Access::Action(DueView)),
    ("collect/quality", Access::Action(QualityView)),
    ("collect/quality_report", Access::Action(QualityView)),
    // REST endpoints (axum handlers), named by method and path.
    ("cms/articles", Access::Action(Action::CmsView)),
    ("cms/article", Access::Action(Action::CmsView)),
    ("cms/article_save", Access::Action(Action::ArticleEdit)),
    ("cms/article_move", Access::Action(Action::CmsView)),
    ("cms/article_diff", Access::Action(Action::CmsView)),
    ("cms/article_preview", Access::Action(Action::CmsView)),
    (
        "cms/article_expiry",
        Access::Action(Action::ArticleUnpublish),
    ),
    ("cms/releases", Access::Action(Action::CmsView)),
    ("cms/health", Access::Action(Action::CmsView)),
    ("cms/site", Access::Action(Action::CmsManage)),
    ("cms/column_save", Access::Action(Action::CmsManage)),
    ("cms/column_delete", Access::Action(Action::CmsManage)),
    ("cms/column_grant", Access::Action(Action::CmsManage)),
    ("cms/word_set", Access::Action(Action::CmsManage)),
    ("cms/health_check", Access::Action(Action::CmsView)),
    ("cms/release", Access::Action(Action::CmsView)),
    ("cms/release_create", Access::Action(Action::ArticlePublish)),
    ("cms/release_change", Access::Action(Action::ArticlePublish)),
    ("cms/article_restore", Access::Action(Action::ArticleEdit)),
    ("cms/article_checks", Access::Action(Action::CmsView)),
    (
        "POST /console/cms/upload",
        Access::Action(Action::ArticleEdit),
    ),
    ("GET /healthz", Access::Public),
    ("GET /sitemap.xml", Access::Public),
    ("GET /rss/{feed}", Access::Public),
    ("GET /files/{name}", Access::Public),
    ("GET /readyz", Access::Public),
    ("POST /elder", Access::Public),
    // Demo mode with APP_TEST_HOOKS=1 only; never served in production.
    ("POST /__test/clock", Access::Public),
    ("POST /__test/user", Access::Public),
    ("POST /console/export/users.xlsx", Access::Action(UserView)),
    ("POST /console/export/orgs.xlsx", Access::Action(OrgView)),
    (
        "POST /console/export/holidays.xlsx",
        Access::Action(HolidayView),
    ),
    (
        "POST /console/export/audit.xlsx",
        Access::Action(AuditExport),
    ),
    (
        "POST /console/export/alarms.xlsx",
        Access::Action(AlarmView),
    ),
    (
        "POST /console/export/reports.xlsx",
        Access::Action(CreditReportStats),
    ),
    ("POST /console/collect/upload", Access::Action(DataSubmit)),
    (
        "POST /console/collect/errors.xlsx",
        Access::Action(BatchView),
    ),
    (
        "GET /console/quality/report.xlsx",
        Access::Action(QualityView),
    ),
    // The data API for units' systems (OpenAPI at /api/v1/openapi.json).
    ("GET /api/v1/openapi.json", Access::Public),
    ("POST /api/v1/batches/{class}", Access::ApiKey),
    ("POST /api/v1/checks", Access::ApiKey),
    ("POST /api/v1/checks/{id}/feedback", Access::ApiKey),
    ("POST /api/v1/embed-tickets", Access::ApiKey),
    // The embedded check page answers the holder of a ticket its unit's key asked for; a session
    // counts for nothing there (the frame would not carry it).
    ("GET /embed/check", Access::ApiKey),
    ("POST /embed/check", Access::ApiKey),
    ("GET /embed/check.js", Access::Public),
    ("GET /embed/check.css", Access::Public),
    ("GET /api/v1/batches/{id}", Access::ApiKey),
    ("POST /api/v1/batches/{id}/confirm", Access::ApiKey),
    // The partner API: read scopes per class, report issue for a service matter, the change feed.
    ("GET /api/v1/subjects/{uscc}", Access::ApiKey),
    ("GET /api/v1/subjects/{uscc}/records", Access::ApiKey),
    ("POST /api/v1/reports", Access::ApiKey),
    ("GET /api/v1/changes", Access::ApiKey),
];

pub fn access_of(endpoint: &str) -> Option<Access> {
    ENDPOINTS
        .iter()
        .find(|(p, _)| *p == endpoint)
        .map(|(_, a)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_roles_are_separated_in_the_policy() {
        assert!(may(&[SystemAdmin], UserCreate));
        assert!(!may(&[SystemAdmin], RoleGrant));
        assert!(!may(&[SystemAdmin], AuditView));
        assert!(may(&[SecurityAdmin], RoleGrant));
        assert!(!may(&[SecurityAdmin], UserCreate));
        assert!(!may(&[SecurityAdmin], AuditView));
        assert!(may(&[AuditAdmin], AuditView));
        assert!(!may(&[AuditAdmin], UserUpdate));
    }

    #[test]
    fn widest_scope_wins() {
        assert_eq!(scope_for(&[Clerk], OrgView), Some(OwnDepartment));
        assert_eq!(scope_for(&[Clerk, Operator], OrgView), Some(All));
        assert_eq!(scope_for(&[Subject], ConsoleEnter), None);
        assert_eq!(scope_for(&[], ConsoleEnter), None);
    }

    #[test]
    fn endpoints_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (p, _) in ENDPOINTS {
            assert!(seen.insert(*p), "{p} listed twice");
        }
    }
}
