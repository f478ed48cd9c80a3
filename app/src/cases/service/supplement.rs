//! The applicant's supplement (补正) through the tracking page: while a case waits for materials, the
//! code opens a form for the text and files; sending them is the applicant's `resubmit` move (the
//! clock resumes), the files stored with purpose `supplement`. Every file is judged before anything
//! is stored or moved: a refused upload changes nothing.
use super::super::flow::{self, By};
use super::apply::Upload;
use super::moves;
use crate::error::AppError;
use crate::server::audit::Actor;
use crate::server::session::RequestMeta;
use crate::server::AppState;

/// Files per supplement.
pub const MAX_FILES: usize = 5;

/// Sends a supplement to the case with tracking code `typed`; answers the normalised code.
pub async fn send(
    state: &AppState,
    meta: &RequestMeta,
    typed: &str,
    text: &str,
    files: Vec<Upload>,
) -> Result<String, AppError> {
    let s = super::public::by_code(state, typed).await?;
    let text = text.trim();
    if text.chars().count() > moves::MAX_TEXT {
        return Err(AppError::field(
            "text",
            "TEXT_TOO_LONG",
            "说明不能超过 2000 字。",
        ));
    }
    let m =
        flow::check(s.kind.flow(), &s.state, "resubmit", text, s.clock.extended).map_err(|r| {
            match r {
                flow::Refusal::TextRequired => {
                    AppError::field("text", "TEXT_REQUIRED", "请说明补正的内容。")
                }
                _ => AppError::Conflict("本案当前不需要补正材料。".into()),
            }
        })?;
    if m.by != By::Applicant {
        return Err(AppError::Forbidden);
    }
    if files.len() > MAX_FILES {
        return Err(AppError::field(
            "supplement",
            "PROOF_COUNT",
            format!("补正材料最多上传 {MAX_FILES} 份。"),
        ));
    }
    super::materials::judge(&files)?;
    let stored = super::materials::store(state, &files).await?;
    let who = Actor {
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        ..Actor::named("申请人")
    };
    moves::commit(state, &s, m, text, &who, "申请人", s.department_id, &stored).await?;
    Ok(s.tracking_code)
}
