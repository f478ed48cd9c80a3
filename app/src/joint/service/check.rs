//! The 联合奖惩 check (docs/domain.md §8): a subject, checked for a service matter, against the list
//! entries in force on the check's day; the answer names the hits and the matter's measures for the
//! lists hit, and is logged with who, when, matter, subject and hits. One code path for the console,
//! the data API, the embedded page and the batch check.
//!
//! The reads go through the fast read path (`server::db::read_pool`): service systems call this for
//! every case they handle. The log row is the check's trace; it is not also an audit line, since the
//! audit chain would serialise every check behind one hash (the feedback, a change, is audited).
use super::super::check::{feedback_due, overdue, Subject, DEFAULT_FEEDBACK_DAYS};
use super::super::lifecycle::{Term, LIST_CLASSES};
use super::super::measures::list_kind_label;
use super::super::model::{CheckFeedback, CheckHit, CheckMeasure, CheckView};
use crate::error::AppError;
use crate::rules::date::{beijing_minute, Ymd};
use crate::rules::workdays::Calendar;
use crate::server::db::{BindValue, ReadValue};
use crate::server::{calendar, settings, AppState};
use serde_json::Value;
use sqlx::Row;

/// The setting with the working days a handler has for feedback.
pub const FEEDBACK_DAYS: &str = "joint.feedback_days";
/// Subjects one name may match (former names included).
const MAX_NAMED: usize = 10;

/// Who checks, and through which channel (`console`, `api`, `embed`, `batch`).
#[derive(Debug, Clone)]
pub struct Checker {
    pub channel: &'static str,
    pub user_id: Option<i64>,
    pub key_id: Option<i64>,
    pub batch_id: Option<i64>,
    /// As the log shows it: a user name or `apikey:<prefix>`.
    pub name: String,
}

/// A matter a check is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub department_id: i64,
    pub department: String,
    pub county_code: Option<String>,
}

fn text(row: &[ReadValue], i: usize) -> String {
    row.get(i).and_then(ReadValue::text).unwrap_or_default()
}

fn int(row: &[ReadValue], i: usize) -> Option<i64> {
    row.get(i).and_then(ReadValue::int)
}

/// An active matter by its code.
pub async fn matter_by_code(state: &AppState, code: &str) -> Result<Option<MatterRef>, AppError> {
    let rows = state
        .db
        .readers
        .fetch(
            &state.db.pool,
            "SELECT m.id, m.code, m.name, m.department_id, d.name, d.county_code FROM matters m \
             JOIN departments d ON d.id = m.department_id WHERE m.code = $1 AND m.active = 1",
            &[code.trim().to_string()],
        )
        .await?;
    Ok(rows.first().map(|r| MatterRef {
        id: int(r, 0).unwrap_or_default(),
        code: text(r, 1),
        name: text(r, 2),
        department_id: int(r, 3).unwrap_or_default(),
        department: text(r, 4),
        county_code: r.get(5).and_then(ReadValue::text),
    }))
}

/// The registered subjects a query names: (id, name).
async fn subjects(state: &AppState, subject: &Subject) -> Result<Vec<(i64, String)>, AppError> {
    let (sql, bind) = match subject {
        Subject::Uscc(code) => (
            "SELECT id, name FROM subjects WHERE uscc = $1",
            code.clone(),
        ),
        Subject::IdNumber(n) => (
            "SELECT id, name FROM subjects WHERE id_number_hmac = $1",
            state.secrets.id_hmac(n),
        ),
        // A name names organisations only (a person's name is not an identifier); a former name counts.
        Subject::Name(name) => (
            "SELECT s.id, s.name FROM subjects s WHERE s.name = $1 AND s.kind <> 'person' \
             UNION SELECT s.id, s.name FROM subject_names n JOIN subjects s ON s.id = n.subject_id \
             WHERE n.name = $1 AND s.kind <> 'person' LIMIT 10",
            name.clone(),
        ),
    };
    let rows = state.db.readers.fetch(&state.db.pool, sql, &[bind]).await?;
    Ok(rows
        .iter()
        .take(MAX_NAMED)
        .filter_map(|r| Some((int(r, 0)?, text(r, 1))))
        .collect())
}

/// The list entries of these subjects in force on `on`.
async fn hits(state: &AppState, subject_ids: &[i64], on: Ymd) -> Result<Vec<CheckHit>, AppError> {
    if subject_ids.is_empty() {
        return Ok(vec![]);
    }
    let ids = subject_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let classes = LIST_CLASSES
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = state
        .db
        .readers
        .fetch(
            &state.db.pool,
            &format!(
                "SELECT dc.code, g.payload FROM generic_records g JOIN data_classes dc ON dc.id = g.class_id \
                 WHERE g.subject_id IN ({ids}) AND dc.code IN ({classes}) AND g.published = 1 \
                 AND g.withdrawn = 0 ORDER BY g.id"
            ),
            &[],
        )
        .await?;
    let mut out = vec![];
    for r in rows {
        let class = text(&r, 0);
        let Ok(Value::Object(p)) = serde_json::from_str::<Value>(&text(&r, 1)) else {
            continue;
        };
        if !Term::from_payload(&p).in_force(on) {
            continue;
        }
        let list = class.trim_end_matches("_list").to_string();
        let get = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let person = get("person_id");
        out.push(CheckHit {
            list_label: list_kind_label(&list).to_string(),
            list,
            subject_name: if person.is_empty() {
                get("subject_name")
            } else {
                format!("{}（{person}）", get("subject_name"))
            },
            authority: get("authority"),
            basis: get("basis"),
            listed_on: get("listed_on"),
            removed_on: get("removed_on"),
        });
    }
    Ok(out)
}

/// The matter's measures in use for the lists hit.
async fn measures(
    state: &AppState,
    matter_id: i64,
    hits: &[CheckHit],
) -> Result<Vec<CheckMeasure>, AppError> {
    if hits.is_empty() {
        return Ok(vec![]);
    }
    let rows = state
        .db
        .readers
        .fetch(
            &state.db.pool,
            "SELECT ms.code, ms.kind, ms.list_kind, ms.content, ms.basis, ms.agency FROM matter_measures mm \
             JOIN measures ms ON ms.id = mm.measure_id WHERE mm.matter_id = CAST($1 AS BIGINT) AND ms.retired_at IS NULL \
             ORDER BY ms.code",
            &[matter_id.to_string()],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| CheckMeasure {
            code: text(r, 0),
            kind: text(r, 1),
            list: text(r, 2),
            content: text(r, 3),
            basis: text(r, 4),
            agency: text(r, 5),
        })
        .filter(|m| hits.iter().any(|h| h.list == m.list))
        .collect())
}

/// The calendar and the feedback days in force (kept a minute: every check with hits reads them).
pub async fn feedback_terms(state: &AppState) -> Result<(Calendar, u32), AppError> {
    if let Some(t) = state.caches.feedback_terms.get() {
        return Ok(t);
    }
    let days = settings::get_or(state, FEEDBACK_DAYS, DEFAULT_FEEDBACK_DAYS).await?;
    let terms = (
        calendar::load(&state.db).await?,
        days.clamp(1, super::feedback::MAX_FEEDBACK_DAYS),
    );
    state.caches.feedback_terms.put(terms.clone());
    Ok(terms)
}

/// A check evaluated but not yet logged: what the handler sees, and the log row's own values.
pub struct Evaluated {
    pub view: CheckView,
    subject_kind: &'static str,
    id_enc: Option<String>,
    id_hmac: Option<String>,
    subject_id: Option<i64>,
    now: String,
}

/// Finds the hits and measures of `subject` for `matter` on the clock's day.
pub async fn evaluate(
    state: &AppState,
    by: &Checker,
    matter: &MatterRef,
    subject: &Subject,
) -> Result<Evaluated, AppError> {
    let today = state.clock.today();
    let now = state.clock.now_text();
    let found = subjects(state, subject).await?;
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    let hits = hits(state, &ids, today).await?;
    let measures = measures(state, matter.id, &hits).await?;
    let due = if hits.is_empty() {
        None
    } else {
        let (cal, days) = feedback_terms(state).await?;
        Some(feedback_due(&cal, today, days))
    };
    let subject_name = found
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let (id_enc, id_hmac) = match subject {
        Subject::IdNumber(n) => (
            Some(state.secrets.encrypt_id(n)),
            Some(state.secrets.id_hmac(n)),
        ),
        _ => (None, None),
    };
    Ok(Evaluated {
        view: CheckView {
            public_id: uuid::Uuid::new_v4().simple().to_string(),
            matter_code: matter.code.clone(),
            matter_name: matter.name.clone(),
            department: matter.department.clone(),
            subject_shown: subject.shown(),
            subject_name,
            channel: by.channel.into(),
            checked_by: by.name.clone(),
            checked_at: beijing_minute(&now),
            checked_on: today.iso(),
            hits,
            measures,
            feedback_due: due.map(|d| d.iso()),
            feedback: None,
            overdue: false,
        },
        subject_kind: subject.kind().as_str(),
        id_enc,
        id_hmac,
        subject_id: ids.first().copied(),
        now,
    })
}

/// The check log's columns, in the order of `log_row`.
pub const LOG_COLUMNS: [&str; 21] = [
    "public_id",
    "matter_id",
    "department_id",
    "channel",
    "user_id",
    "api_key_id",
    "batch_id",
    "row_no",
    "checked_by",
    "subject_kind",
    "subject_shown",
    "subject_id_enc",
    "subject_id_hmac",
    "subject_id",
    "subject_name",
    "checked_on",
    "checked_at",
    "hit_count",
    "hits",
    "measures",
    "feedback_due",
];

/// An evaluated check as a row of the log (`row_no`: its row in a batch's spreadsheet).
pub fn log_row(
    by: &Checker,
    matter: &MatterRef,
    e: &Evaluated,
    row_no: Option<i64>,
) -> Vec<BindValue> {
    let v = &e.view;
    vec![
        BindValue::Text(v.public_id.clone()),
        BindValue::Int(matter.id),
        BindValue::Int(matter.department_id),
        BindValue::str(by.channel),
        BindValue::opt_int(by.user_id),
        BindValue::opt_int(by.key_id),
        BindValue::opt_int(by.batch_id),
        BindValue::opt_int(row_no),
        BindValue::Text(by.name.clone()),
        BindValue::str(e.subject_kind),
        BindValue::Text(v.subject_shown.clone()),
        BindValue::opt(e.id_enc.clone()),
        BindValue::opt(e.id_hmac.clone()),
        BindValue::opt_int(e.subject_id),
        BindValue::Text(v.subject_name.clone()),
        BindValue::Text(v.checked_on.clone()),
        BindValue::Text(e.now.clone()),
        BindValue::Int(v.hits.len() as i64),
        BindValue::Text(to_json(&v.hits)),
        BindValue::Text(to_json(&v.measures)),
        BindValue::opt(v.feedback_due.clone()),
    ]
}

/// Checks `subject` for `matter` and logs the check. Answers what the handler sees.
pub async fn run(
    state: &AppState,
    by: &Checker,
    matter: &MatterRef,
    subject: &Subject,
) -> Result<CheckView, AppError> {
    let e = evaluate(state, by, matter, subject).await?;
    // Group-committed with the checks of other requests (`server::db::append`).
    let row = log_row(by, matter, &e, None);
    state
        .db
        .appenders
        .of(&state.db, "joint_checks", &LOG_COLUMNS)
        .append(row)
        .await?;
    Ok(e.view)
}

/// The hits and measures as logged (JSON; a list of plain structs always serialises).
fn to_json<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// A logged check by its public id: (department id, county code of the department, the view).
pub async fn get(
    state: &AppState,
    public_id: &str,
) -> Result<(i64, Option<String>, CheckView), AppError> {
    let r = sqlx::query(
        "SELECT j.*, m.code AS matter_code, m.name AS matter_name, d.name AS department, d.county_code \
         FROM joint_checks j JOIN matters m ON m.id = j.matter_id JOIN departments d ON d.id = j.department_id \
         WHERE j.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该核查记录".into()))?;
    let parse = |k: &str| -> Result<String, AppError> { Ok(r.try_get::<String, _>(k)?) };
    let hits: Vec<CheckHit> = serde_json::from_str(&parse("hits")?).unwrap_or_default();
    let measures: Vec<CheckMeasure> = serde_json::from_str(&parse("measures")?).unwrap_or_default();
    let due: Option<String> = r.try_get("feedback_due")?;
    let at: Option<String> = r.try_get("feedback_at")?;
    let feedback = match &at {
        Some(at) => Some(CheckFeedback {
            applied: r.try_get::<Option<i64>, _>("applied")?.unwrap_or(0) == 1,
            measures: r
                .try_get::<Option<String>, _>("applied_measures")?
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            result: r
                .try_get::<Option<String>, _>("result")?
                .unwrap_or_default(),
            reason: r
                .try_get::<Option<String>, _>("reason")?
                .unwrap_or_default(),
            at: beijing_minute(at),
            by: r
                .try_get::<Option<String>, _>("feedback_by")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    let late = due
        .as_deref()
        .and_then(Ymd::parse_iso)
        .is_some_and(|d| overdue(d, at.is_some(), state.clock.today()));
    Ok((
        r.try_get("department_id")?,
        r.try_get("county_code")?,
        CheckView {
            public_id: parse("public_id")?,
            matter_code: parse("matter_code")?,
            matter_name: parse("matter_name")?,
            department: parse("department")?,
            subject_shown: parse("subject_shown")?,
            subject_name: parse("subject_name")?,
            channel: parse("channel")?,
            checked_by: parse("checked_by")?,
            checked_at: beijing_minute(&parse("checked_at")?),
            checked_on: parse("checked_on")?,
            hits,
            measures,
            feedback_due: due,
            feedback,
            overdue: late,
        },
    ))
}
