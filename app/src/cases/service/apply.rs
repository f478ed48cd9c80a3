//! The public repair application (docs/domain.md §10): checked, the record and its subject matched, the
//! training certificate (if given) matched, every file checked by content before anything is stored,
//! the files stored by the CMS's upload store, then the case, its first step and its materials written
//! in one transaction with the audit line. A refused file stores nothing and loses nothing.
use super::super::deadline::Clock;
use super::super::flow::Kind;
use super::super::model::{Applied, RepairTarget};
use super::super::repair::{self, Application, COMMITMENT};
use super::add_step;
use super::materials::{attach, insert_case, NewCase};
use crate::commitments::service::repair::{record_repair_commitment, RepairCommitment};
use crate::error::AppError;
use crate::server::audit::Actor;
use crate::server::session::RequestMeta;
use crate::server::{calendar, AppState};
use sqlx::Row;

/// One uploaded file: which input it came from (`proof` or `authorisation`), its name and bytes.
pub struct Upload {
    pub purpose: &'static str,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Who applied, as the audit records an anonymous citizen.
fn applicant(meta: &RequestMeta) -> Actor {
    Actor {
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        ..Actor::named("信用修复申请人")
    }
}

/// The penalty an application names, with what decides whether it may be repaired.
struct Target {
    id: i64,
    public: RepairTarget,
    uscc: String,
    department_id: Option<i64>,
    county_code: Option<String>,
}

async fn target(state: &AppState, record: &str) -> Result<Target, AppError> {
    let r = sqlx::query(
        "SELECT p.id, p.public_id, p.decision_no, p.decision_date, p.authority, p.violation_type, \
         p.repair_eligible_from, p.repaired, p.department_id, s.name, s.uscc, s.county_code \
         FROM penalties p JOIN subjects s ON s.id = p.subject_id \
         WHERE p.public_id = $1 AND p.published = 1 AND p.withdrawn = 0",
    )
    .bind(record)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("处罚信息".into()))?;
    let id: i64 = r.try_get("id")?;
    let from: String = r.try_get("repair_eligible_from")?;
    let today = state.clock.today().iso();
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases WHERE kind = 'repair' AND record_kind = 'penalty' AND record_id = $1 \
         AND state IN ('submitted', 'assigned', 'supplement')",
    )
    .bind(id)
    .fetch_one(&state.db.pool)
    .await?;
    let blocked = if r.try_get::<i64, _>("repaired")? != 0 {
        Some("该处罚信息已完成信用修复。".to_string())
    } else if open > 0 {
        Some("该处罚信息已有正在办理的信用修复申请，请凭查询码查看进度。".to_string())
    } else {
        None
    };
    Ok(Target {
        id,
        public: RepairTarget {
            record_public_id: r.try_get("public_id")?,
            subject_name: r.try_get("name")?,
            decision_no: r.try_get("decision_no")?,
            decision_date: r.try_get("decision_date")?,
            authority: r.try_get("authority")?,
            title: r.try_get("violation_type")?,
            eligible: repair::eligible(&from, &today),
            repair_eligible_from: from,
            blocked,
        },
        uscc: r.try_get::<Option<String>, _>("uscc")?.unwrap_or_default(),
        department_id: r.try_get("department_id")?,
        county_code: r.try_get("county_code")?,
    })
}

/// The record an application form is about (public).
pub async fn repair_target(state: &AppState, record: &str) -> Result<RepairTarget, AppError> {
    Ok(target(state, record).await?.public)
}

async fn certificate_matches(state: &AppState, no: &str, uscc: &str) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_attendees a JOIN training_sessions s ON s.id = a.session_id \
         WHERE a.certificate_no = $1 AND a.uscc = $2 AND a.signed_in_at IS NOT NULL AND s.kind = 'repair'",
    )
    .bind(no)
    .bind(uscc)
    .fetch_one(&state.db.pool)
    .await?;
    Ok(n > 0)
}

/// The form's checks and the record's, and every file's content, before anything is stored:
/// answers the checked form and the record it concerns.
async fn checked(
    state: &AppState,
    form: &Application,
    files: &[Upload],
) -> Result<(repair::Checked, Target), AppError> {
    let count = |p: &str| files.iter().filter(|f| f.purpose == p).count();
    let checked = repair::check(form, count("proof"), count("authorisation"))?;
    let t = target(state, &checked.record).await?;
    if let Some(why) = &t.public.blocked {
        return Err(AppError::Conflict(why.clone()));
    }
    if !t.public.eligible {
        return Err(AppError::field(
            "record",
            "NOT_YET_ELIGIBLE",
            repair::not_yet(&t.public.repair_eligible_from),
        ));
    }
    if t.uscc != checked.uscc {
        return Err(AppError::field(
            "uscc",
            "USCC_MISMATCH",
            "统一社会信用代码与该处罚信息的主体不一致，请核对。",
        ));
    }
    if let Some(no) = &checked.certificate_no {
        if !certificate_matches(state, no, &checked.uscc).await? {
            return Err(AppError::field(
                "certificate_no",
                "CERTIFICATE_UNKNOWN",
                "未找到该主体已签到的信用修复培训证书，请核对证书编号或留空。",
            ));
        }
    }
    super::materials::judge(files)?;
    Ok((checked, t))
}

/// Takes an application. Answers the tracking code and the date the result is due.
pub async fn submit(
    state: &AppState,
    meta: &RequestMeta,
    form: &Application,
    files: Vec<Upload>,
) -> Result<Applied, AppError> {
    let (checked, t) = checked(state, form, &files).await?;
    let who = applicant(meta);
    let stored = super::materials::store(state, &files).await?;
    let cal = calendar::load(&state.db).await?;
    let today = state.clock.today();
    let clock = Clock::new(Kind::Repair, &cal, today, &super::deadlines(state).await?);
    let result_due = clock.result_due_on.map(|d| d.iso()).unwrap_or_default();
    let now = state.clock.now_text();
    let public_id = uuid::Uuid::now_v7().simple().to_string();
    let details = serde_json::json!({
        "commitment": COMMITMENT,
        "commitment_accepted_at": now,
        "certificate_no": checked.certificate_no,
        "note": checked.note,
    });
    let mut tx = state.db.begin().await?;
    let (case_id, code) = insert_case(
        &mut tx,
        &NewCase {
            public_id: &public_id,
            kind: "repair",
            state: "submitted",
            record: ("penalty", t.id, &t.public.record_public_id),
            subject: (&t.public.subject_name, &checked.uscc),
            department_id: t.department_id,
            county_code: t.county_code.as_deref(),
            applicant_name: &checked.name,
            contact: (
                state.secrets.encrypt_id(checked.contact.value()),
                checked.contact.masked(),
            ),
            by_agent: checked.by_agent,
            details: &details,
            clock: &clock,
            channel: "portal",
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
        "submitted",
        (None, "申请人"),
        "提交信用修复申请，并作出信用修复承诺。",
        None,
        &now,
    )
    .await?;
    attach(&mut tx, case_id, step, &stored, &now).await?;
    // The 信用修复型 commitment enters the commitments register with the application.
    if let Some(department_id) = t.department_id {
        let batch = record_repair_commitment(
            &mut tx,
            state,
            &RepairCommitment {
                subject_name: t.public.subject_name.clone(),
                subject_uscc: checked.uscc.clone(),
                text: COMMITMENT.to_string(),
                department_id,
                case_ref: code.clone(),
            },
        )
        .await?;
        let mut with_batch = details.clone();
        if let Some(map) = with_batch.as_object_mut() {
            map.insert("commitment_batch".into(), serde_json::Value::String(batch));
        }
        sqlx::query("UPDATE cases SET details = $1 WHERE id = $2")
            .bind(with_batch.to_string())
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
    }
    who.audit(
            &mut tx,
            state,
            "cases.repair.apply",
            Some(("case", &public_id)),
            serde_json::json!({ "record": t.public.record_public_id, "files": stored.len(), "result_due_on": result_due }),
        )
        .await?;
    tx.commit().await?;
    crate::cases::notice::on_submitted(state, case_id).await;
    Ok(Applied {
        code,
        result_due_on: result_due,
    })
}
