//! Server functions of training. Thin: authorise, call the service.
use super::model::{PublicTraining, SessionDetail, SessionList};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::policy::Action;
#[cfg(feature = "ssr")]
use crate::server::authz;

/// The public training page: upcoming sessions and the materials.
#[server(endpoint = "training/public")]
pub async fn get_public_training() -> Result<PublicTraining, AppError> {
    authz::serve_public(move |state| async move { super::service::sessions::public(&state).await })
        .await
}

#[server(endpoint = "training/sessions")]
pub async fn list_training_sessions() -> Result<SessionList, AppError> {
    authz::serve(Action::TrainingManage, move |state, _caller| async move {
        super::service::sessions::list(&state).await
    })
    .await
}

#[server(endpoint = "training/session")]
pub async fn get_training_session(id: String) -> Result<SessionDetail, AppError> {
    authz::serve(Action::TrainingManage, move |state, _caller| async move {
        super::service::sessions::detail(&state, &id).await
    })
    .await
}

pub use save_session_fn::{save_training_session, SaveTrainingSession};

/// The arguments of `save_training_session` are the form's fields, posted by name; the lint is allowed
/// on a module because the server macro does not carry a function's own `#[allow]` to every copy.
#[allow(clippy::too_many_arguments)]
mod save_session_fn {
    use super::*;

    /// Creates a session (`id` empty) or edits one; answers its id.
    #[server(endpoint = "training/session_save")]
    pub async fn save_training_session(
        #[server(default)] id: String,
        #[server(default)] title: String,
        #[server(default)] kind: String,
        #[server(default)] date: String,
        #[server(default)] time: String,
        #[server(default)] place: String,
        #[server(default)] department: String,
        #[server(default)] capacity: String,
        #[server(default)] status: String,
    ) -> Result<String, AppError> {
        authz::serve(Action::TrainingManage, move |state, caller| async move {
            let input = crate::help::training::rules::SessionInput {
                title,
                kind,
                date,
                time,
                place,
                department,
                capacity,
                status,
            };
            crate::help::training::service::sessions::save(&state, &caller, &id, &input).await
        })
        .await
    }
}

/// Adds a person to a session's sign-in list.
#[server(endpoint = "training/attendee_add")]
pub async fn add_training_attendee(
    session: String,
    #[server(default)] name: String,
    #[server(default)] organisation: String,
    #[server(default)] uscc: String,
    #[server(default)] phone: String,
) -> Result<String, AppError> {
    authz::serve(Action::TrainingManage, move |state, caller| async move {
        let input = super::rules::AttendeeInput {
            name,
            organisation,
            uscc,
            phone,
        };
        super::service::attendees::add(&state, &caller, &session, &input).await
    })
    .await
}

/// Signs an attendee in; answers the certificate number of a repair training.
#[server(endpoint = "training/sign_in")]
pub async fn sign_in_attendee(id: String) -> Result<Option<String>, AppError> {
    authz::serve(Action::TrainingManage, move |state, caller| async move {
        super::service::attendees::sign_in(&state, &caller, &id).await
    })
    .await
}
