//! 定时交换 (scheduled exchange): for each source unit whose catalogue entry has an exchange address,
//! the platform pulls the file on the entry's schedule, and a file it has not seen before becomes a
//! batch of the `exchange` channel, checked like an upload. The unit (or the credit office) reads the
//! outcome and confirms as usual. A failed pull is recorded on the entry and raises an alarm, which
//! clears at the next good pull. Each entry is claimed with a compare-and-set on its next time, so two
//! server instances never pull the same entry twice.
use super::intake::{self, Submission};
use super::upload_limits;
use crate::error::AppError;
use crate::rules::catalog::FREQUENCIES;
use crate::server::alarms::{self, Severity};
use crate::server::authz::Caller;
use crate::server::AppState;
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

pub const SCAN_JOB: &str = "collect.exchange_scan";
/// How long one pull may take over the network.
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Redirects followed at most in one pull.
const MAX_REDIRECTS: usize = 5;

/// Whether a pull of the configured address `first` may follow a redirect to `to`: a move on the
/// configured host (another path, or http → https on the default port), or to a host the operator
/// listed in `APP_EXCHANGE_ALLOW_HOSTS`. Anything else is refused, so that a unit's server (or one
/// pretending to be it) cannot send the platform into its own network: loopback, the cloud
/// metadata address, internal hosts.
pub fn redirect_allowed(first: &reqwest::Url, to: &reqwest::Url, allow_hosts: &[String]) -> bool {
    let Some(host) = to
        .host_str()
        .filter(|_| matches!(to.scheme(), "http" | "https"))
    else {
        return false;
    };
    if allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return true;
    }
    let same_host = first
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case(host));
    // `port()` is None on the scheme's default port.
    let same_port =
        to.port().is_none() || to.port_or_known_default() == first.port_or_known_default();
    same_host && same_port
}

/// The HTTP client of a pull: a time limit and the redirect rule above.
fn http_client(state: &AppState) -> Result<reqwest::Client, String> {
    let allow = state.config.exchange_allow_hosts.clone();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let first = attempt.previous().first().cloned();
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("重定向超过 {MAX_REDIRECTS} 次"))
        } else if first.is_some_and(|f| redirect_allowed(&f, attempt.url(), &allow)) {
            attempt.follow()
        } else {
            let to = attempt.url().to_string();
            attempt.error(format!(
                "对方重定向到 {to}，不在交换地址的主机上，也不在 APP_EXCHANGE_ALLOW_HOSTS 中，已拒绝"
            ))
        }
    });
    reqwest::Client::builder()
        .timeout(HTTP_TIMEOUT)
        .redirect(policy)
        .build()
        .map_err(|e| format!("无法建立连接：{e}"))
}

/// An error with its causes ("error following redirect" alone does not say why).
pub fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push('：');
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Time between two pulls of an entry: its catalogue frequency (real-time sources hourly).
pub fn interval(frequency: &str) -> time::Duration {
    match frequency {
        "realtime" => time::Duration::hours(1),
        f => time::Duration::days(
            FREQUENCIES
                .iter()
                .find(|(c, _, _)| *c == f)
                .map_or(1, |(_, _, days)| *days),
        ),
    }
}

/// A `file:///` address must name a file in the exchange folder of the data directory: operators
/// configure addresses, but the platform never reads its own files on their behalf.
pub fn exchange_file(state: &AppState, url: &str) -> Result<PathBuf, String> {
    let folder = state.config.data_path("exchange");
    let path = Path::new(url.strip_prefix("file://").unwrap_or(url));
    let inside = path.is_absolute()
        && !path.components().any(|c| matches!(c, Component::ParentDir))
        && path.starts_with(&folder);
    if inside {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "服务器文件须放在交换目录 {} 之下，例如 file://{}/单位/处罚.csv。",
            folder.display(),
            folder.display()
        ))
    }
}

/// What one pull came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pulled {
    /// A new batch (public id), queued for checking.
    Batch(String),
    /// The same content as last time: nothing to do.
    Unchanged,
    Failed(String),
}

impl Pulled {
    fn status(&self) -> &'static str {
        match self {
            Pulled::Batch(_) => "batch",
            Pulled::Unchanged => "unchanged",
            Pulled::Failed(_) => "failed",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Pulled::Batch(_) => "已取得新文件，生成批次并开始检查".into(),
            Pulled::Unchanged => "文件与上次相同，未生成批次".into(),
            Pulled::Failed(m) => format!("交换失败：{m}"),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Entry {
    id: i64,
    #[sqlx(rename = "code")]
    class_code: String,
    class_name: String,
    department_id: i64,
    unit_name: String,
    frequency: String,
    #[sqlx(rename = "exchange_url")]
    url: String,
    #[sqlx(rename = "last_exchange_sha256")]
    last_sha: Option<String>,
    #[sqlx(rename = "next_exchange_at")]
    next_at: Option<String>,
}

const ENTRY_SQL: &str =
    "SELECT s.id, c.code, c.name AS class_name, s.department_id, d.name AS unit_name, \
    s.frequency, s.exchange_url, s.last_exchange_sha256, s.next_exchange_at FROM class_sources s \
    JOIN data_classes c ON c.id = s.class_id JOIN departments d ON d.id = s.department_id \
    WHERE s.exchange_url IS NOT NULL AND c.active = 1 AND d.active = 1";

/// Pulls every entry that is due. Returns (unit, class, outcome) for each entry this instance pulled.
pub async fn run_due(state: &AppState) -> Result<Vec<(String, String, Pulled)>, AppError> {
    let now = state.clock.now_text();
    let due: Vec<Entry> = sqlx::query_as(&format!(
        "{ENTRY_SQL} AND (s.next_exchange_at IS NULL OR s.next_exchange_at <= $1) ORDER BY s.id"
    ))
    .bind(&now)
    .fetch_all(&state.db.pool)
    .await?;
    let mut done = vec![];
    for e in due {
        if let Some(pulled) = claim_and_pull(state, &e, None).await? {
            done.push((e.unit_name, e.class_name, pulled));
        }
    }
    Ok(done)
}

/// Pulls one entry now (the console's 立即交换), whatever its schedule.
pub async fn pull_now(
    state: &AppState,
    caller: &Caller,
    class: &str,
    department_id: i64,
) -> Result<String, AppError> {
    let e: Entry = sqlx::query_as(&format!(
        "{ENTRY_SQL} AND c.code = $1 AND s.department_id = $2"
    ))
    .bind(class)
    .bind(department_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("该单位的交换地址".into()))?;
    let pulled = claim_and_pull(state, &e, Some(caller))
        .await?
        .ok_or_else(|| AppError::Conflict("另一个实例正在交换该单位的数据，请稍后刷新。".into()))?;
    Ok(pulled.message())
}

/// Claims the entry (moves its next time on; only the instance whose update lands pulls), pulls,
/// and records the outcome (with its audit row when an operator asked for it). None when another
/// instance claimed it first.
async fn claim_and_pull(
    state: &AppState,
    e: &Entry,
    asked_by: Option<&Caller>,
) -> Result<Option<Pulled>, AppError> {
    let now = state.clock.now();
    let next = crate::server::clock::rfc3339(now + interval(&e.frequency));
    let claimed = sqlx::query(
        "UPDATE class_sources SET next_exchange_at = $2 WHERE id = $1 AND COALESCE(next_exchange_at, '') = $3",
    )
    .bind(e.id)
    .bind(&next)
    .bind(e.next_at.clone().unwrap_or_default())
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(None);
    }
    let pulled = pull(state, e).await;
    let (sha, pulled) = match pulled {
        Ok(p) => p,
        Err(message) => (None, Pulled::Failed(message)),
    };
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE class_sources SET last_exchange_at = $2, last_exchange_status = $3, last_exchange_message = $4, \
         last_exchange_sha256 = COALESCE($5, last_exchange_sha256) WHERE id = $1",
    )
    .bind(e.id)
    .bind(state.clock.now_text())
    .bind(pulled.status())
    .bind(pulled.message())
    .bind(sha)
    .execute(&mut *tx)
    .await?;
    if let Some(caller) = asked_by {
        caller
            .audit(
                &mut tx,
                state,
                "catalogue.exchange_now",
                Some(("data_class", &e.class_code)),
                serde_json::json!({ "unit": e.unit_name, "outcome": pulled.message() }),
            )
            .await?;
    }
    tx.commit().await?;
    let key = format!("collect.exchange:{}", e.id);
    match &pulled {
        Pulled::Failed(m) => {
            alarms::raise(
                &state.db,
                &state.clock,
                &key,
                Severity::Warning,
                &format!("{}“{}”定时交换失败", e.unit_name, e.class_name),
                &format!("地址 {}：{m}", e.url),
            )
            .await?;
        }
        _ => alarms::resolve_key(&state.db, &state.clock, &key, "交换恢复正常，自动解除。").await?,
    }
    tracing::info!(unit = %e.unit_name, class = %e.class_code, outcome = %pulled.message(), "exchange");
    Ok(Some(pulled))
}

/// Fetches the file; a content not seen last time becomes a batch. Returns (SHA-256, outcome).
async fn pull(state: &AppState, e: &Entry) -> Result<(Option<String>, Pulled), String> {
    let (name, bytes) = fetch(state, &e.url).await?;
    let sha = hex::encode(Sha256::digest(&bytes));
    if e.last_sha.as_deref() == Some(sha.as_str()) {
        return Ok((Some(sha), Pulled::Unchanged));
    }
    let sub = Submission {
        class_code: &e.class_code,
        department_id: e.department_id,
        user_id: None,
        channel: "exchange",
    };
    let (id, public_id) = intake::create_file_batch(state, &sub, &name, &bytes)
        .await
        .map_err(|err| err.to_string())?;
    intake::queue_check(state, id, "exchange")
        .await
        .map_err(|err| err.to_string())?;
    Ok((Some(sha), Pulled::Batch(public_id)))
}

async fn fetch(state: &AppState, url: &str) -> Result<(String, Vec<u8>), String> {
    let max = upload_limits::configured(state).max_bytes;
    let too_large = || format!("文件超过上限 {} MB。", max / 1_048_576);
    let name_of = |s: &str| {
        s.rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("exchange")
            .to_string()
    };
    if url.starts_with("file://") {
        let path = exchange_file(state, url)?;
        let len = std::fs::metadata(&path)
            .map_err(|e| format!("无法读取文件 {}：{e}", path.display()))?
            .len();
        if len > max {
            return Err(too_large());
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("无法读取文件：{e}"))?;
        return Ok((name_of(url), bytes));
    }
    let mut response = http_client(state)?
        .get(url)
        .send()
        .await
        .map_err(|e| format!("无法访问 {url}：{}", with_causes(&e)))?;
    if !response.status().is_success() {
        return Err(format!("对方返回 HTTP {}。", response.status().as_u16()));
    }
    // A web page or an API answer is not a data file, even though it is text.
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let spreadsheet = content_type.contains("spreadsheet");
    if content_type.contains("html")
        || content_type.contains("json")
        || (content_type.contains("xml") && !spreadsheet)
    {
        return Err(format!(
            "对方返回的不是 CSV 或 XLSX 文件（{content_type}），请核对交换地址。"
        ));
    }
    if response.content_length().is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("下载中断：{e}"))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Err(too_large());
        }
    }
    Ok((name_of(url.split(['?', '#']).next().unwrap_or(url)), bytes))
}

#[cfg(test)]
mod tests {
    use super::{interval, redirect_allowed};

    #[test]
    fn redirects_stay_on_the_configured_host_or_the_allow_list() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        let first = url("http://data.unit.example:8080/x.csv");
        let none: Vec<String> = vec![];
        let ok = |to: &str, allow: &[String]| redirect_allowed(&first, &url(to), allow);
        assert!(ok("http://data.unit.example:8080/y.csv", &none));
        assert!(
            ok("https://DATA.unit.example/y.csv", &none),
            "https upgrade"
        );
        assert!(!ok("http://data.unit.example:22/", &none), "another port");
        assert!(!ok("http://127.0.0.1:8080/y.csv", &none));
        assert!(!ok("http://localhost:8080/y.csv", &none));
        assert!(!ok("http://169.254.169.254/latest/meta-data/", &none));
        assert!(!ok("http://10.0.0.5/y.csv", &none));
        assert!(!ok("http://cdn.example/y.csv", &none));
        assert!(!ok("ftp://data.unit.example/y.csv", &none));
        let allow = vec!["cdn.example".to_string()];
        assert!(ok("https://cdn.example/y.csv", &allow));
        assert!(!ok("https://other.example/y.csv", &allow));
    }

    #[test]
    fn entries_are_pulled_on_their_catalogue_schedule() {
        assert_eq!(interval("realtime"), time::Duration::hours(1));
        assert_eq!(interval("daily"), time::Duration::days(1));
        assert_eq!(interval("weekly"), time::Duration::days(7));
        assert_eq!(interval("monthly"), time::Duration::days(31));
        assert_eq!(interval("unknown"), time::Duration::days(1));
    }
}
