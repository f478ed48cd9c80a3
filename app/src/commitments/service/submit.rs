//! A commitment made online by a subject (no account): checked, then sent through the collection
//! pipeline as the accepting unit's submission. It is published when the unit confirms the batch, or
//! at once for a 主动型 commitment when the setting says 承诺即公示.
use super::pipeline;
use crate::commitments::model::{CommitmentForm, Submitted};
use crate::commitments::rules::{
    self, Submission, IN_PROGRESS, PUBLISH_AT_ONCE_SETTING, VOLUNTARY,
};
use crate::error::AppError;
use crate::server::audit::Actor;
use crate::server::session::RequestMeta;
use crate::server::{settings, AppState};
use sqlx::Row;
use std::collections::HashMap;

/// The units a subject may name as accepting unit (active departments).
pub async fn form(state: &AppState) -> Result<CommitmentForm, AppError> {
    let units = sqlx::query("SELECT code, name FROM departments WHERE active = 1 ORDER BY code")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(CommitmentForm { units })
}

/// The department (id, name) of an active unit code.
async fn unit(state: &AppState, code: &str) -> Result<(i64, String), AppError> {
    let row = sqlx::query("SELECT id, name FROM departments WHERE code = $1 AND active = 1")
        .bind(code)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "unit",
                "UNIT_UNKNOWN",
                "所选受理单位不存在或已停用，请重新选择。",
            )
        })?;
    Ok((row.try_get("id")?, row.try_get("name")?))
}

/// Whether 主动型 commitments publish without waiting for the unit (承诺即公示).
pub async fn publish_at_once(state: &AppState) -> Result<bool, AppError> {
    settings::get_or(state, PUBLISH_AT_ONCE_SETTING, false).await
}

pub async fn submit(
    state: &AppState,
    meta: &RequestMeta,
    s: &Submission,
) -> Result<Submitted, AppError> {
    let c = rules::check(s)?;
    let (department_id, unit_name) = unit(state, &c.unit).await?;
    let values: HashMap<&str, String> = HashMap::from([
        ("subject_name", c.name.clone()),
        ("subject_uscc", c.uscc.clone()),
        ("commitment_type", c.kind.to_string()),
        ("text", c.text.clone()),
        ("committed_on", state.clock.today().iso()),
        ("accepting_unit", unit_name.clone()),
        ("fulfilment", IN_PROGRESS.to_string()),
    ]);
    let values = pipeline::ordered(state, &values).await?;
    let actor = Actor {
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        ..Actor::named("公众在线承诺")
    };
    let checked = pipeline::submit(
        state,
        &actor,
        department_id,
        values,
        "commitments.submit",
        serde_json::json!({ "type": c.kind, "uscc": c.uscc, "unit": unit_name }),
        Some(&c.contact),
    )
    .await?;
    let published = c.kind == VOLUNTARY && publish_at_once(state).await?;
    if published {
        pipeline::publish(state, checked.batch_id, &actor).await?;
    }
    Ok(Submitted {
        reference: checked.public_id,
        unit: unit_name,
        published,
    })
}
