//! The web form channel: one record typed in the console, checked by the same pipeline as a file. The
//! page runs the shared rules as the user types; this is the server's word on what is stored.
use super::{batches, catalogue, intake, pipeline};
use crate::collect::model::FormSpec;
use crate::error::AppError;
use crate::server::authz::Caller;
use crate::server::{settings, AppState};
use sqlx::Row;

/// The class, unit and rules the form (and the browser's pre-check of a CSV) runs with.
pub async fn spec(
    state: &AppState,
    caller: &Caller,
    class: &str,
    department: Option<i64>,
) -> Result<FormSpec, AppError> {
    let department_id = batches::submitting_unit(state, caller, department).await?;
    let (class_id, class) = catalogue::load(state, class).await?;
    let row = sqlx::query("SELECT name, uscc, county_code FROM departments WHERE id = $1")
        .bind(department_id)
        .fetch_one(&state.db.pool)
        .await?;
    let remembered = catalogue::remembered_headers(state, department_id, class_id)
        .await?
        .into_iter()
        .collect();
    Ok(FormSpec {
        class,
        department_id,
        unit: crate::rules::clean::row::Unit {
            name: row.try_get("name")?,
            uscc: row.try_get("uscc")?,
            county_code: row.try_get("county_code")?,
        },
        regime: settings::disclosure_regime(state).await?,
        today: state.clock.today(),
        remembered,
        authorities: super::directory::authorities(state).await?,
        id_mask: super::directory::id_mask(state).await?,
    })
}

/// Longest value a form field takes; the catalogue's own limits are checked by the rules.
const MAX_VALUE_CHARS: usize = 10_000;

/// Stores one record as a batch of the `form` channel and checks it. Returns the batch's public id;
/// the clerk reads the outcome and confirms there, as for a file.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    class: &str,
    department: Option<i64>,
    values: &std::collections::HashMap<String, String>,
) -> Result<String, AppError> {
    let department_id = batches::submitting_unit(state, caller, department).await?;
    let (_, spec) = catalogue::load(state, class).await?;
    let mut record = vec![String::new(); spec.fields.len()];
    for (key, value) in values {
        let unknown = || {
            AppError::field(
                "record",
                "FIELD_UNKNOWN",
                format!("数据类别中没有字段 {key}：请刷新页面，按最新目录填写。"),
            )
        };
        // `record` has one slot per field.
        let i = spec.index_of(key).ok_or_else(unknown)?;
        let (Some(field), Some(slot)) = (spec.fields.get(i), record.get_mut(i)) else {
            return Err(unknown());
        };
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(AppError::field(
                key,
                "VALUE_TOO_LONG",
                format!("“{}”超过 {MAX_VALUE_CHARS} 个字，请精简。", field.name),
            ));
        }
        *slot = value.clone();
    }
    if record.iter().all(|v| v.trim().is_empty()) {
        return Err(AppError::field(
            "record",
            "FORM_EMPTY",
            "表单是空的：请至少填写必填项后再提交。",
        ));
    }
    let sub = intake::Submission {
        class_code: class,
        department_id,
        user_id: Some(caller.user.user_id),
        channel: "form",
    };
    let mut tx = state.db.begin().await?;
    let (id, public_id) = intake::insert(&mut tx, state, &sub, None).await?;
    caller
        .audit(
            &mut tx,
            state,
            "collect.form_submit",
            Some(("batch", &public_id)),
            serde_json::json!({ "class": class }),
        )
        .await?;
    tx.commit().await?;
    pipeline::check_record(state, id, record).await?;
    Ok(public_id)
}
