//! Objections and complaints (docs/domain.md §11): taken from the public form (with its files) or
//! entered by staff for a phone call, the counter or a letter. Checked, the record and its subject
//! matched, every file judged before any is stored, then the case, its first step, its materials and
//! (an objection) the record's mark written in one transaction with the audit line.
use super::super::deadline::Clock;
use super::super::intake::{self, Checked, Intake};
use super::super::model::{Applied, RecordTarget};
use super::apply::Upload;
use super::materials::{attach, insert_case, NewCase};
use super::{add_step, suspend};
use crate::auth::policy::Action;
use crate::error::AppError;
use crate::server::audit::Actor;
use crate::server::authz::Caller;
use crate::server::session::RequestMeta;
use crate::server::{calendar, AppState};
use sqlx::Row;

/// The record a form names, with what the case needs of it.
struct Target {
    id: i64,
    public: RecordTarget,
    uscc: String,
    department_id: Option<i64>,
    county_code: Option<String>,
}

async fn target(state: &AppState, record: &str) -> Result<Target, AppError> {
    for (kind, table, no, title) in [
        ("penalty", "penalties", "decision_no", "violation_type"),
        ("licence", "licences", "decision_no", "decision_doc_name"),
    ] {
        let found = sqlx::query(&format!(
            "SELECT r.id, r.public_id, r.{no} AS decision_no, r.decision_date, r.authority, r.{title} AS title, \
             r.objection_open, r.department_id, s.name, s.uscc, s.county_code \
             FROM {table} r JOIN subjects s ON s.id = r.subject_id \
             WHERE r.public_id = $1 AND r.published = 1 AND r.withdrawn = 0"
        ))
        .bind(record)
        .fetch_optional(&state.db.pool)
        .await?;
        if let Some(r) = found {
            return Ok(Target {
                id: r.try_get("id")?,
                public: RecordTarget {
                    record_public_id: r.try_get("public_id")?,
                    record_kind: kind.into(),
                    subject_name: r.try_get("name")?,
                    decision_no: r.try_get("decision_no")?,
                    decision_date: r.try_get("decision_date")?,
                    authority: r.try_get("authority")?,
                    title: r.try_get::<Option<String>, _>("title")?.unwrap_or_default(),
                    objection_open: r.try_get::<i64, _>("objection_open")? != 0,
                },
                uscc: r.try_get::<Option<String>, _>("uscc")?.unwrap_or_default(),
                department_id: r.try_get("department_id")?,
                county_code: r.try_get("county_code")?,
            });
        }
    }
    Err(AppError::NotFound("该信用信息".into()))
}

/// The record an objection or complaint form is about (public facts only).
pub async fn record_target(state: &AppState, record: &str) -> Result<RecordTarget, AppError> {
    Ok(target(state, record).await?.public)
}

/// The record of a checked form, matched to its subject; `None` for a complaint about the service.
async fn matched(state: &AppState, c: &Checked) -> Result<Option<Target>, AppError> {
    let Some(record) = &c.record else {
        return Ok(None);
    };
    let t = target(state, record).await?;
    if c.kind != super::super::flow::Kind::Objection {
        return Ok(Some(t));
    }
    if t.public.objection_open {
        return Err(AppError::Conflict(
            "该信息已有正在办理的异议申诉，请凭查询码查看进度。".into(),
        ));
    }
    if c.uscc.as_deref() != Some(t.uscc.as_str()) {
        return Err(AppError::field(
            "uscc",
            "USCC_MISMATCH",
            "统一社会信用代码与该信息的主体不一致：异议申诉须由信息主体或其代理人提出。",
        ));
    }
    Ok(Some(t))
}

/// Who filed it, and how the history names them.
struct Filer {
    actor: Actor,
    step_actor: (Option<i64>, String),
    step_text: String,
    audit: &'static str,
}

/// Takes a public objection or complaint with its files.
pub async fn submit(
    state: &AppState,
    meta: &RequestMeta,
    form: &Intake,
    files: Vec<Upload>,
) -> Result<Applied, AppError> {
    let count = |p: &str| files.iter().filter(|f| f.purpose == p).count();
    let checked = intake::check(form, count("proof"), count("authorisation"), false)?;
    let filer = Filer {
        actor: Actor {
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            ..Actor::named(&format!("{}申请人", checked.kind.label()))
        },
        step_actor: (None, "申请人".into()),
        step_text: format!("在网站提交{}。", checked.kind.label()),
        audit: "apply",
    };
    open(state, &checked, &files, &filer).await
}

/// Staff enter an objection or complaint received by phone, at the counter or by letter.
pub async fn enter(state: &AppState, caller: &Caller, form: &Intake) -> Result<Applied, AppError> {
    let staff = caller.clone().require(Action::CaseAssign)?;
    let checked = intake::check(form, 0, 0, true)?;
    let filer = Filer {
        actor: staff.actor(),
        step_actor: (Some(staff.user.user_id), staff.user.display_name.clone()),
        step_text: format!(
            "登记{}来源的{}（申请人：{}）。",
            intake::channel_label(checked.channel),
            checked.kind.label(),
            checked.name
        ),
        audit: "enter",
    };
    open(state, &checked, &[], &filer).await
}

async fn open(
    state: &AppState,
    c: &Checked,
    files: &[Upload],
    filer: &Filer,
) -> Result<Applied, AppError> {
    let t = matched(state, c).await?;
    super::materials::judge(files)?;
    let stored = super::materials::store(state, files).await?;
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let clock = Clock::new(c.kind, &cal, today, &super::deadlines(state).await?);
    let now = state.clock.now_text();
    let public_id = uuid::Uuid::now_v7().simple().to_string();
    let details = serde_json::json!({
        "ground": c.ground,
        "description": c.description,
    });
    let (subject_name, subject_uscc) = match &t {
        Some(t) => (t.public.subject_name.clone(), t.uscc.clone()),
        None => ("平台服务".to_string(), c.uscc.clone().unwrap_or_default()),
    };
    let record = t.as_ref().map_or(("none", 0, ""), |t| {
        (
            t.public.record_kind.as_str(),
            t.id,
            t.public.record_public_id.as_str(),
        )
    });
    let mut tx = state.db.begin().await?;
    let (case_id, code) = insert_case(
        &mut tx,
        &NewCase {
            public_id: &public_id,
            kind: c.kind.code(),
            state: c.kind.flow().initial,
            record,
            subject: (&subject_name, &subject_uscc),
            department_id: t.as_ref().and_then(|t| t.department_id),
            county_code: t.as_ref().and_then(|t| t.county_code.as_deref()),
            applicant_name: &c.name,
            contact: (
                state.secrets.encrypt_id(c.contact.value()),
                c.contact.masked(),
            ),
            by_agent: c.by_agent,
            details: &details,
            clock: &clock,
            channel: c.channel,
            submitted_on: &today.iso(),
            now: &now,
        },
    )
    .await?;
    let step = add_step(
        &mut tx,
        case_id,
        "submit",
        None,
        c.kind.flow().initial,
        (filer.step_actor.0, &filer.step_actor.1),
        &filer.step_text,
        None,
        &now,
    )
    .await?;
    attach(&mut tx, case_id, step, &stored, &now).await?;
    if c.kind == super::super::flow::Kind::Objection {
        suspend::mark(&mut tx, record.0, record.1).await?;
    }
    let due = clock.next_due().map(|d| d.iso()).unwrap_or_default();
    filer
        .actor
        .audit(
            &mut tx,
            state,
            &format!("cases.{}.{}", c.kind.code(), filer.audit),
            Some(("case", &public_id)),
            serde_json::json!({ "record": record.2, "channel": c.channel, "files": stored.len(), "due": due }),
        )
        .await?;
    tx.commit().await?;
    crate::cases::notice::on_submitted(state, case_id).await;
    Ok(Applied {
        code,
        result_due_on: due,
    })
}
