//! Taking a question from the public: checked, the contact sealed with the ID-number key and masked,
//! a tracking code issued and the due date set on the holiday calendar; audited in the same
//! transaction.
use crate::error::AppError;
use crate::help::consult::{self, Question, CODE_LEN};
use crate::help::model::Submitted;
use crate::server::audit::Actor;
use crate::server::session::RequestMeta;
use crate::server::{calendar, AppState};
use rand::Rng;

/// Who asked, as the audit records an anonymous citizen.
fn asker(meta: &RequestMeta) -> Actor {
    Actor {
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        ..Actor::named("公众咨询")
    }
}

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    let random: [u32; CODE_LEN - 1] = std::array::from_fn(|_| rng.gen());
    consult::tracking_code(&random)
}

pub async fn submit(
    state: &AppState,
    meta: &RequestMeta,
    q: &Question,
) -> Result<Submitted, AppError> {
    let checked = consult::check(q)?;
    let today = state.clock.today();
    let days = super::due::answer_days(state).await?;
    let due = consult::due_on(&calendar::load(&state.db).await?, today, days);
    let now = state.clock.now_text();
    let public_id = uuid::Uuid::now_v7().simple().to_string();
    // 31^9 codes: a clash is all but impossible, but the unique index decides; try again on one.
    for _ in 0..3 {
        let code = new_code();
        let mut tx = state.db.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO consultations (public_id, tracking_code, topic, question, asker_name, contact_enc, \
             contact_masked, consent_publish, status, received_on, due_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', $9, $10, $11, $11) \
             ON CONFLICT (tracking_code) DO NOTHING",
        )
        .bind(&public_id)
        .bind(&code)
        .bind(checked.topic)
        .bind(&checked.text)
        .bind(&checked.name)
        .bind(state.secrets.encrypt_id(checked.contact.value()))
        .bind(checked.contact.masked())
        .bind(i64::from(checked.consent_publish))
        .bind(today.iso())
        .bind(due.iso())
        .bind(&now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            continue;
        }
        asker(meta)
            .audit(
                &mut tx,
                state,
                "help.consult.submit",
                Some(("consultation", &public_id)),
                serde_json::json!({ "topic": checked.topic, "due_on": due.iso() }),
            )
            .await?;
        tx.commit().await?;
        return Ok(Submitted {
            code,
            due_on: due.iso(),
        });
    }
    Err(AppError::internal(
        "tracking code",
        "three clashes in a row",
    ))
}
