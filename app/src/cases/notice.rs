//! Notices to applicants (SMS or email) through a configurable channel (`APP_NOTICE_CHANNEL`): on
//! submission (with the tracking code), on a request for materials and on the closing result. Every
//! notice is recorded in `case_notices` with the recipient masked; the raw contact stays encrypted in
//! `cases` and is decrypted only inside the channel's delivery. The default `log` channel sends
//! nothing: it writes a log line (masked recipient, no text) and the table row. A gateway is one more
//! variant of `Channel`.
use super::flow::{ClockEffect, Kind, Move};
use super::service::Stored;
use crate::error::AppError;
use crate::server::AppState;
use sqlx::Row;

/// What a notice says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The application arrived: the tracking code.
    Submitted,
    /// The unit asks for materials (the clock stands still).
    Materials,
    /// The case is closed: approved, refused, replied or rejected.
    Result,
}

impl Template {
    pub fn code(self) -> &'static str {
        match self {
            Template::Submitted => "case.submitted",
            Template::Materials => "case.materials",
            Template::Result => "case.result",
        }
    }
}

/// The longest part of a move's text a notice quotes (an SMS is short; the tracking page has it all).
const QUOTE: usize = 120;

fn quoted(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return String::new();
    }
    let mut q: String = t.chars().take(QUOTE).collect();
    if t.chars().count() > QUOTE {
        q.push('…');
    }
    format!("：{q}")
}

/// The notice's text.
pub fn text(template: Template, kind: Kind, code: &str, state_label: &str, said: &str) -> String {
    let kind = kind.label();
    match template {
        Template::Submitted => format!(
            "【湘西州信用平台】您的{kind}申请已收到，查询码 {code}，请妥善保存，可凭码在“办理进度查询”查看进度和结果。"
        ),
        Template::Materials => format!(
            "【湘西州信用平台】您的{kind}申请（查询码 {code}）需要补正材料{}。补正期间不计入办理期限。",
            quoted(said)
        ),
        Template::Result => format!(
            "【湘西州信用平台】您的{kind}申请（查询码 {code}）已办结，结果：{state_label}{}。",
            quoted(said)
        ),
    }
}

/// The notice a move sends, if any: a request for materials pauses the clock; a closing move ends it.
pub fn for_move(kind: Kind, m: &Move) -> Option<Template> {
    let closes = kind.flow().state(m.to).is_some_and(|s| s.closed);
    if closes {
        Some(Template::Result)
    } else if m.clock == ClockEffect::Pause {
        Some(Template::Materials)
    } else {
        None
    }
}

/// Where notices go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Nothing leaves the server: a log line and the notice table.
    Log,
}

impl Channel {
    /// The configured channel; an unknown name falls back to `log` (with a warning), so a typo never
    /// sends to an unexpected place.
    pub fn configured(state: &AppState) -> Channel {
        match state.config.notice_channel.as_str() {
            "log" | "" => Channel::Log,
            other => {
                tracing::warn!(channel = other, "unknown notice channel; using log");
                Channel::Log
            }
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::Log => "log",
        }
    }

    /// Delivers one notice. The sealed contact is opened here and nowhere else; the log channel
    /// only checks that it opens (a contact that cannot be read is a failed notice).
    async fn deliver(
        self,
        state: &AppState,
        sealed: &str,
        masked: &str,
        n: &Outgoing<'_>,
    ) -> Result<(), AppError> {
        let contact = state.secrets.decrypt_id(sealed)?;
        match self {
            Channel::Log => {
                let kind = if contact.contains('@') {
                    "email"
                } else {
                    "sms"
                };
                tracing::info!(
                    channel = "log",
                    case = n.case_id,
                    medium = kind,
                    to = masked,
                    template = n.template.code(),
                    "case notice (not sent: log channel)"
                );
                Ok(())
            }
        }
    }
}

struct Outgoing<'a> {
    case_id: i64,
    template: Template,
    body: &'a str,
}

/// Sends one notice about case `case_id` and records it. Called after the case's transaction has
/// committed: a failure is logged and recorded, never answered to the applicant or the clerk.
async fn send(state: &AppState, case_id: i64, template: Template, said: &str) {
    if let Err(e) = try_send(state, case_id, template, said).await {
        tracing::warn!(case = case_id, template = template.code(), error = %e, "case notice not recorded");
    }
}

async fn try_send(
    state: &AppState,
    case_id: i64,
    template: Template,
    said: &str,
) -> Result<(), AppError> {
    let r = sqlx::query(
        "SELECT kind, state, tracking_code, contact_enc, contact_masked FROM cases WHERE id = $1",
    )
    .bind(case_id)
    .fetch_one(&state.db.pool)
    .await?;
    let kind: String = r.try_get("kind")?;
    let kind = Kind::parse(&kind).ok_or_else(|| AppError::internal("case kind", kind.clone()))?;
    let st: String = r.try_get("state")?;
    let code: String = r.try_get("tracking_code")?;
    let masked: String = r.try_get("contact_masked")?;
    let sealed: String = r.try_get("contact_enc")?;
    let body = text(template, kind, &code, kind.flow().state_label(&st), said);
    let channel = Channel::configured(state);
    let n = Outgoing {
        case_id,
        template,
        body: &body,
    };
    let status = match channel.deliver(state, &sealed, &masked, &n).await {
        Ok(()) => "sent",
        Err(e) => {
            tracing::warn!(case = case_id, channel = channel.code(), error = %e, "case notice failed");
            "failed"
        }
    };
    sqlx::query(
        "INSERT INTO case_notices (case_id, channel, recipient, template, body, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(case_id)
    .bind(channel.code())
    .bind(&masked)
    .bind(template.code())
    .bind(n.body)
    .bind(status)
    .bind(state.clock.now_text())
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// The notice of a new application (its tracking code). Every intake path calls this once, after its
/// transaction has committed.
pub async fn on_submitted(state: &AppState, case_id: i64) {
    send(state, case_id, Template::Submitted, "").await;
}

/// The notice a move sends (request for materials, closing result), if any; after its commit.
pub(crate) async fn on_move(state: &AppState, s: &Stored, m: &Move, said: &str) {
    if let Some(t) = for_move(s.kind, m) {
        send(state, s.id, t, said).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_pick_their_notice() {
        let flow = Kind::Repair.flow();
        let pick = |code: &str| flow.find(code).and_then(|m| for_move(Kind::Repair, m));
        assert_eq!(pick("approve"), Some(Template::Result));
        assert_eq!(pick("refuse"), Some(Template::Result));
        assert_eq!(pick("assign"), None);
        let asks = flow
            .moves
            .iter()
            .find(|m| m.clock == ClockEffect::Pause)
            .and_then(|m| for_move(Kind::Repair, m));
        assert_eq!(asks, Some(Template::Materials));
    }

    #[test]
    fn texts_quote_briefly() {
        let t = text(Template::Submitted, Kind::Repair, "ABCD", "", "");
        assert!(t.contains("查询码 ABCD") && t.contains("信用修复"));
        let long = "材".repeat(300);
        let t = text(Template::Materials, Kind::Repair, "ABCD", "", &long);
        assert!(t.contains('…') && t.chars().count() < 220);
        let t = text(Template::Result, Kind::Repair, "ABCD", "准予修复", "");
        assert!(t.contains("结果：准予修复。"));
    }
}
