//! The batch check (docs/domain.md §8): a spreadsheet of subjects checked for one matter in the
//! background. The upload is read and its rows staged in one transaction with the batch (an ID number
//! only encrypted), a job checks them a chunk at a time — each chunk's checks are logged and its staged
//! rows removed in one transaction, so an interrupted batch resumes where it stopped — and the results
//! download as a spreadsheet.
use super::super::check::{parse_subject, row_subject, subject_columns, Subject, SubjectKind};
use super::super::model::CheckBatchView;
use super::check::{evaluate, log_row, Checker, MatterRef, LOG_COLUMNS};
use crate::error::AppError;
use crate::rules::date::beijing_minute;
use crate::rules::mask;
use crate::server::audit::Actor;
use crate::server::db::{multi_row, BindValue};
use crate::server::jobs::{self, NewJob};
use crate::server::AppState;
use sqlx::Row;

pub const JOB: &str = "joint.check_batch";
/// The most subjects one spreadsheet may carry.
pub const MAX_ROWS: usize = 50_000;
/// Rows checked and logged per transaction (and per progress update).
const CHUNK: i64 = 500;

/// A staged row: (row number, kind, value — an ID number encrypted —, as shown, fault).
type Staged = (i64, &'static str, String, String, Option<String>);

fn stage(state: &AppState, row_no: i64, text: &str, kind: SubjectKind) -> Staged {
    match parse_subject(text, kind, state.clock.today()) {
        Ok(s) => {
            let value = match &s {
                Subject::IdNumber(n) => state.secrets.encrypt_id(n),
                Subject::Uscc(v) | Subject::Name(v) => v.clone(),
            };
            (row_no, s.kind().as_str(), value, s.shown(), None)
        }
        Err(e) => {
            // A malformed number may still be a person's: never kept in clear.
            let digits = text.chars().filter(char::is_ascii_digit).count();
            let shown = if kind == SubjectKind::IdNumber || digits >= 12 {
                mask::resident_id(text)
            } else {
                text.chars().take(100).collect()
            };
            (row_no, kind.as_str(), String::new(), shown, Some(e.message))
        }
    }
}

/// Stages a spreadsheet's subjects for `matter` and queues the check. Answers the batch's public id.
pub async fn create(
    state: &AppState,
    by: &Actor,
    matter: &MatterRef,
    file_name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<String, AppError> {
    let columns = subject_columns(headers).map_err(|e| AppError::Validation(vec![e]))?;
    let staged: Vec<Staged> = rows
        .iter()
        .enumerate()
        // Row 1 is the header.
        .filter_map(|(i, r)| Some((i as i64 + 2, row_subject(&columns, r)?)))
        .map(|(n, (text, kind))| stage(state, n, &text, kind))
        .collect();
    if staged.is_empty() {
        return Err(AppError::field(
            "file",
            "FILE_EMPTY",
            "表格中没有要核查的主体。",
        ));
    }
    if staged.len() > MAX_ROWS {
        return Err(AppError::field(
            "file",
            "TOO_MANY_ROWS",
            format!(
                "一次最多核查 {MAX_ROWS} 个主体，本表有 {} 个：请分成几个表格。",
                staged.len()
            ),
        ));
    }
    let faulty = staged.iter().filter(|s| s.4.is_some()).count() as i64;
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO joint_check_batches (public_id, matter_id, department_id, user_id, file_name, status, \
         rows_total, rows_faulty, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8) RETURNING id",
    )
    .bind(&public_id)
    .bind(matter.id)
    .bind(matter.department_id)
    .bind(by.user_id)
    .bind(file_name.chars().take(200).collect::<String>())
    .bind(staged.len() as i64)
    .bind(faulty)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let values: Vec<Vec<BindValue>> = staged
        .into_iter()
        .map(|(n, kind, value, shown, fault)| {
            vec![
                BindValue::Int(id),
                BindValue::Int(n),
                BindValue::str(kind),
                BindValue::Text(value),
                BindValue::Text(shown),
                BindValue::opt(fault),
            ]
        })
        .collect();
    multi_row::insert_rows(
        &mut tx,
        state.db.backend,
        "joint_check_batch_rows",
        &[
            "batch_id",
            "row_no",
            "subject_kind",
            "subject_value",
            "subject_shown",
            "fault",
        ],
        &values,
    )
    .await?;
    let mut job = NewJob::new(JOB);
    job.payload = serde_json::json!({ "batch_id": id }).to_string();
    jobs::enqueue_in(&mut tx, state, job).await?;
    by.audit(
        &mut tx,
        state,
        "joint.check_batch",
        Some(("joint_check_batch", &public_id)),
        serde_json::json!({ "matter": matter.code, "rows": values.len(), "faulty": faulty }),
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Checks a batch's staged rows, a chunk per transaction, until none is left. A failed run leaves the
/// batch `failed` with the reason (its page says so); the job's retry resumes where it stopped.
pub async fn run(state: &AppState, batch_id: i64) -> Result<(), AppError> {
    let outcome = run_chunks(state, batch_id).await;
    if let Err(e) = &outcome {
        sqlx::query("UPDATE joint_check_batches SET status = 'failed', message = $2 WHERE id = $1")
            .bind(batch_id)
            .bind(format!("核查中断，系统将自动重试：{e}"))
            .execute(&state.db.pool)
            .await?;
    }
    outcome
}

async fn run_chunks(state: &AppState, batch_id: i64) -> Result<(), AppError> {
    let b = sqlx::query(
        "SELECT b.status, b.user_id, m.id AS matter_id, m.code, m.name, m.department_id, d.name AS department, \
         d.county_code, COALESCE(u.display_name, '') AS who FROM joint_check_batches b \
         JOIN matters m ON m.id = b.matter_id JOIN departments d ON d.id = m.department_id \
         LEFT JOIN users u ON u.id = b.user_id WHERE b.id = $1",
    )
    .bind(batch_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该批量核查".into()))?;
    if b.try_get::<String, _>("status")? == "done" {
        return Ok(());
    }
    let matter = MatterRef {
        id: b.try_get("matter_id")?,
        code: b.try_get("code")?,
        name: b.try_get("name")?,
        department_id: b.try_get("department_id")?,
        department: b.try_get("department")?,
        county_code: b.try_get("county_code")?,
    };
    let by = Checker {
        channel: "batch",
        user_id: b.try_get("user_id")?,
        key_id: None,
        batch_id: Some(batch_id),
        name: b.try_get("who")?,
    };
    sqlx::query("UPDATE joint_check_batches SET status = 'running', message = NULL WHERE id = $1")
        .bind(batch_id)
        .execute(&state.db.pool)
        .await?;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT id, row_no, subject_kind, subject_value FROM joint_check_batch_rows \
             WHERE batch_id = $1 AND fault IS NULL ORDER BY row_no LIMIT {CHUNK}"
        ))
        .bind(batch_id)
        .fetch_all(&state.db.pool)
        .await?;
        if rows.is_empty() {
            break;
        }
        let mut checked = Vec::with_capacity(rows.len());
        for r in &rows {
            let value: String = r.try_get("subject_value")?;
            let subject = match r.try_get::<String, _>("subject_kind")?.as_str() {
                "uscc" => Subject::Uscc(value),
                "id_number" => Subject::IdNumber(state.secrets.decrypt_id(&value)?),
                _ => Subject::Name(value),
            };
            let e = evaluate(state, &by, &matter, &subject).await?;
            checked.push((r.try_get::<i64, _>("row_no")?, e));
        }
        let hit = checked
            .iter()
            .filter(|(_, e)| !e.view.hits.is_empty())
            .count() as i64;
        let last_id: i64 = rows
            .last()
            .map(|r| r.try_get("id"))
            .transpose()?
            .unwrap_or(0);
        let log: Vec<Vec<BindValue>> = checked
            .iter()
            .map(|(row_no, e)| log_row(&by, &matter, e, Some(*row_no)))
            .collect();
        let mut tx = state.db.begin().await?;
        multi_row::insert_rows(
            &mut tx,
            state.db.backend,
            "joint_checks",
            &LOG_COLUMNS,
            &log,
        )
        .await?;
        let first_id: i64 = rows
            .first()
            .map(|r| r.try_get("id"))
            .transpose()?
            .unwrap_or(0);
        sqlx::query(
            "DELETE FROM joint_check_batch_rows WHERE batch_id = $1 AND fault IS NULL AND id >= $2 AND id <= $3",
        )
        .bind(batch_id)
        .bind(first_id)
        .bind(last_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE joint_check_batches SET rows_done = rows_done + $2, rows_hit = rows_hit + $3 WHERE id = $1",
        )
        .bind(batch_id)
        .bind(checked.len() as i64)
        .bind(hit)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    sqlx::query("UPDATE joint_check_batches SET status = 'done', finished_at = $2 WHERE id = $1")
        .bind(batch_id)
        .bind(state.clock.now_text())
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// A batch as its page shows it: (department id, the department's county, the view).
pub async fn get(
    state: &AppState,
    public_id: &str,
) -> Result<(i64, Option<String>, CheckBatchView), AppError> {
    let r = sqlx::query(
        "SELECT b.*, m.name AS matter, d.name AS department, d.county_code FROM joint_check_batches b \
         JOIN matters m ON m.id = b.matter_id JOIN departments d ON d.id = b.department_id WHERE b.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该批量核查".into()))?;
    let created: String = r.try_get("created_at")?;
    let finished: Option<String> = r.try_get("finished_at")?;
    let seconds = finished.as_deref().and_then(|f| {
        let parse = crate::server::clock::parse_rfc3339;
        Some((parse(f)? - parse(&created)?).whole_seconds())
    });
    Ok((
        r.try_get("department_id")?,
        r.try_get("county_code")?,
        CheckBatchView {
            public_id: r.try_get("public_id")?,
            matter: r.try_get("matter")?,
            department: r.try_get("department")?,
            file_name: r.try_get("file_name")?,
            status: r.try_get("status")?,
            rows_total: r.try_get("rows_total")?,
            rows_done: r.try_get("rows_done")?,
            rows_hit: r.try_get("rows_hit")?,
            rows_faulty: r.try_get("rows_faulty")?,
            message: r.try_get("message")?,
            created_at: beijing_minute(&created),
            seconds,
        },
    ))
}

/// The results as a table: one line per row of the spreadsheet, in its order.
pub async fn results(state: &AppState, public_id: &str) -> Result<Vec<Vec<String>>, AppError> {
    let checked = sqlx::query(
        "SELECT j.row_no, j.subject_shown, j.subject_name, j.hit_count, j.hits, j.measures, j.feedback_due \
         FROM joint_checks j JOIN joint_check_batches b ON b.id = j.batch_id WHERE b.public_id = $1",
    )
    .bind(public_id)
    .fetch_all(&state.db.pool)
    .await?;
    let faulty = sqlx::query(
        "SELECT r.row_no, r.subject_shown, r.fault FROM joint_check_batch_rows r \
         JOIN joint_check_batches b ON b.id = r.batch_id WHERE b.public_id = $1 AND r.fault IS NOT NULL",
    )
    .bind(public_id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut lines: Vec<(i64, Vec<String>)> = vec![];
    for r in checked {
        let hits: Vec<super::super::model::CheckHit> =
            serde_json::from_str(&r.try_get::<String, _>("hits")?).unwrap_or_default();
        let measures: Vec<super::super::model::CheckMeasure> =
            serde_json::from_str(&r.try_get::<String, _>("measures")?).unwrap_or_default();
        let row_no: i64 = r.try_get::<Option<i64>, _>("row_no")?.unwrap_or_default();
        let lists = hits
            .iter()
            .map(|h| format!("{}（{}，{}列入）", h.list_label, h.authority, h.listed_on))
            .collect::<Vec<_>>()
            .join("；");
        lines.push((
            row_no,
            vec![
                row_no.to_string(),
                r.try_get("subject_shown")?,
                r.try_get("subject_name")?,
                if hits.is_empty() {
                    "未命中".into()
                } else {
                    format!("命中 {} 条", hits.len())
                },
                lists,
                measures
                    .iter()
                    .map(|m| format!("{} {}", m.code, m.content))
                    .collect::<Vec<_>>()
                    .join("；"),
                r.try_get::<Option<String>, _>("feedback_due")?
                    .unwrap_or_default(),
            ],
        ));
    }
    for r in faulty {
        let row_no: i64 = r.try_get("row_no")?;
        lines.push((
            row_no,
            vec![
                row_no.to_string(),
                r.try_get("subject_shown")?,
                String::new(),
                format!(
                    "未核查：{}",
                    r.try_get::<Option<String>, _>("fault")?.unwrap_or_default()
                ),
                String::new(),
                String::new(),
                String::new(),
            ],
        ));
    }
    lines.sort_by_key(|(n, _)| *n);
    Ok(lines.into_iter().map(|(_, l)| l).collect())
}

/// The results spreadsheet's header.
pub const RESULT_HEADERS: [&str; 7] = [
    "表格行号",
    "核查对象",
    "匹配主体",
    "核查结果",
    "命中名单",
    "应采取的措施",
    "反馈期限",
];
