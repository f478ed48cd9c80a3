//! Configuration: environment variables, optionally preceded by a `KEY=VALUE` file.
//! Environment variables win over the file.
use crate::error::AppError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Demo and development: generated secret, demo data, adjustable clock allowed.
    Demo,
    /// Production: refuses to start without a secret, refuses demo data and default passwords.
    Production,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Master secret as given (APP_SECRET or the content of APP_SECRET_FILE); `None` in demo until generated.
    pub secret: Option<String>,
    /// Test hooks (clock control) are served only when set, and never in production.
    pub test_hooks: bool,
    pub log_json: bool,
    /// How often the job runner polls, in milliseconds.
    pub job_poll_ms: u64,
    /// The site's public origin (scheme://host[:port]) for the cross-site check behind a proxy.
    pub public_origin: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind our own reverse proxy).
    pub trust_proxy: bool,
    /// Login attempts allowed per client IP per minute (per instance).
    pub login_rate_per_minute: u32,
    /// Public credit searches (and subject pages) per IP per minute (`APP_SEARCH_RATE_PER_MIN`).
    pub search_rate_per_minute: u32,
    /// Public report requests per IP per hour (`APP_REPORT_RATE_PER_HOUR`).
    pub report_rate_per_hour: u32,
    /// Public consultations (help centre) per IP per hour (`APP_CONSULT_RATE_PER_HOUR`).
    pub consult_rate_per_hour: u32,
    /// Online credit commitments per IP per hour (`APP_COMMITMENT_RATE_PER_HOUR`).
    pub commitment_rate_per_hour: u32,
    /// Case lookups by tracking code (`/track`) per IP per minute (`APP_TRACK_RATE_PER_MIN`).
    pub track_rate_per_minute: u32,
    /// Requests per minute of an API key without its own limit (`APP_API_RATE_PER_MIN`).
    pub api_rate_per_minute: u32,
    /// Public list downloads (XLSX) per IP per minute (`APP_EXPORT_RATE_PER_MIN`).
    pub export_rate_per_minute: u32,
    /// Rows in one public list download (`APP_LIST_EXPORT_MAX_ROWS`).
    pub list_export_max_rows: i64,
    /// Largest data file a unit may upload, in MB.
    pub upload_max_mb: u64,
    /// Hosts an exchange pull may be redirected to besides the configured address's own host
    /// (`APP_EXCHANGE_ALLOW_HOSTS`, comma-separated).
    pub exchange_allow_hosts: Vec<String>,
    /// Where notices to applicants go (`APP_NOTICE_CHANNEL`): `log` (default) writes a log line and
    /// the notice table only; an SMS or email gateway is a further channel of `cases::notice`.
    pub notice_channel: String,
    /// The link to the provincial platform (docs/province-interface.md).
    pub province: ProvinceLink,
}

/// Where and how the push reaches the province (`APP_PROVINCE_*`). Without a URL the push is off:
/// messages wait in the outbox and the push log says why.
#[derive(Debug, Clone, Default)]
pub struct ProvinceLink {
    /// Base URL of the provincial interface (`APP_PROVINCE_URL`); the push goes to `{url}/push`.
    pub url: Option<String>,
    /// Our key id at the province (`APP_PROVINCE_KEY_ID`).
    pub key_id: String,
    /// The shared signing secret (`APP_PROVINCE_SECRET` or `APP_PROVINCE_SECRET_FILE`).
    pub secret: Option<String>,
    /// Seconds one request may take (`APP_PROVINCE_TIMEOUT_SECS`, default 30).
    pub timeout_secs: u64,
    /// Messages per request (`APP_PROVINCE_BATCH`, default 500).
    pub batch: usize,
    /// Seconds a user waits for the province's answer about a subject (`APP_PROVINCE_QUERY_TIMEOUT_SECS`, default 5).
    pub query_timeout_secs: u64,
    /// Minutes an answer about a subject is reused (`APP_PROVINCE_CACHE_MINUTES`, default 60).
    pub cache_minutes: u64,
}

/// Reads `KEY=VALUE` lines; `#` starts a comment; values may be quoted.
pub fn parse_env_file(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            (k.trim().to_string(), v.to_string())
        })
        .collect()
}

impl Config {
    /// Loads from the process environment. `production_flag` is the CLI's `--production`.
    pub fn from_env(production_flag: bool) -> Result<Self, AppError> {
        let mut vars: HashMap<String, String> = HashMap::new();
        if let Ok(file) = std::env::var("APP_CONFIG_FILE") {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                AppError::field(
                    "APP_CONFIG_FILE",
                    "CONFIG_FILE",
                    format!("无法读取配置文件 {file}：{e}"),
                )
            })?;
            vars.extend(parse_env_file(&text));
        }
        vars.extend(std::env::vars());
        Self::from_vars(&vars, production_flag)
    }

    pub fn from_vars(
        vars: &HashMap<String, String>,
        production_flag: bool,
    ) -> Result<Self, AppError> {
        let get = |k: &str| vars.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let production =
            production_flag || get("APP_ENV").is_some_and(|v| v.eq_ignore_ascii_case("production"));
        let mode = if production {
            Mode::Production
        } else {
            Mode::Demo
        };
        let data_dir = PathBuf::from(get("APP_DATA_DIR").unwrap_or("data"));
        let database_url = get("DATABASE_URL").map(str::to_owned).unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("credit.db").display())
        });
        let secret = match (get("APP_SECRET"), get("APP_SECRET_FILE")) {
            (Some(s), _) => Some(s.to_string()),
            (None, Some(path)) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| {
                        AppError::field(
                            "APP_SECRET_FILE",
                            "SECRET_FILE",
                            format!("无法读取密钥文件 {path}：{e}"),
                        )
                    })?
                    .trim()
                    .to_string(),
            ),
            (None, None) => None,
        };
        if mode == Mode::Production {
            match &secret {
                None => {
                    return Err(AppError::field(
                        "APP_SECRET",
                        "SECRET_MISSING",
                        "生产模式必须提供主密钥：设置环境变量 APP_SECRET 或 APP_SECRET_FILE（至少32个字符）。",
                    ))
                }
                Some(s) if s.len() < 32 => {
                    return Err(AppError::field("APP_SECRET", "SECRET_SHORT", "主密钥至少需要32个字符。"))
                }
                _ => {}
            }
        }
        let flag = |k: &str| get(k).is_some_and(|v| matches!(v, "1" | "true" | "yes"));
        let province = province_link(&get)?;
        Ok(Config {
            mode,
            database_url,
            data_dir,
            secret,
            test_hooks: mode == Mode::Demo && flag("APP_TEST_HOOKS"),
            log_json: flag("APP_LOG_JSON"),
            job_poll_ms: get("APP_JOB_POLL_MS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(2_000),
            public_origin: get("APP_PUBLIC_ORIGIN").map(str::to_owned),
            trust_proxy: flag("APP_TRUST_PROXY"),
            login_rate_per_minute: get("APP_LOGIN_RATE_PER_MIN")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(10),
            search_rate_per_minute: get("APP_SEARCH_RATE_PER_MIN")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(120),
            report_rate_per_hour: get("APP_REPORT_RATE_PER_HOUR")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(30),
            consult_rate_per_hour: get("APP_CONSULT_RATE_PER_HOUR")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(5),
            track_rate_per_minute: get("APP_TRACK_RATE_PER_MIN")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(20),
            api_rate_per_minute: get("APP_API_RATE_PER_MIN")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(600),
            commitment_rate_per_hour: get("APP_COMMITMENT_RATE_PER_HOUR")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(5),
            export_rate_per_minute: get("APP_EXPORT_RATE_PER_MIN")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(10),
            list_export_max_rows: get("APP_LIST_EXPORT_MAX_ROWS")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(10_000),
            upload_max_mb: get("APP_UPLOAD_MAX_MB")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(200),
            exchange_allow_hosts: get("APP_EXCHANGE_ALLOW_HOSTS")
                .unwrap_or_default()
                .split(',')
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
            notice_channel: get("APP_NOTICE_CHANNEL")
                .unwrap_or("log")
                .trim()
                .to_ascii_lowercase(),
            province,
        })
    }

    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }

    /// Where a demo secret is kept when none is configured.
    pub fn demo_secret_path(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    pub fn data_path(&self, name: &str) -> PathBuf {
        Path::new(&self.data_dir).join(name)
    }
}

/// The province link from the environment: a URL needs a signing secret, since an unsigned push would
/// be refused by the province anyway.
fn province_link<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Result<ProvinceLink, AppError> {
    let url = get("APP_PROVINCE_URL").map(|u| u.trim_end_matches('/').to_string());
    let secret = match (get("APP_PROVINCE_SECRET"), get("APP_PROVINCE_SECRET_FILE")) {
        (Some(s), _) => Some(s.to_string()),
        (None, Some(path)) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| {
                    AppError::field(
                        "APP_PROVINCE_SECRET_FILE",
                        "SECRET_FILE",
                        format!("无法读取省平台签名密钥文件 {path}：{e}"),
                    )
                })?
                .trim()
                .to_string(),
        ),
        (None, None) => None,
    };
    if url.is_some() && secret.is_none() {
        return Err(AppError::field(
            "APP_PROVINCE_SECRET",
            "PROVINCE_SECRET_MISSING",
            "设置了省平台地址 APP_PROVINCE_URL，还须设置签名密钥 APP_PROVINCE_SECRET 或 APP_PROVINCE_SECRET_FILE。",
        ));
    }
    Ok(ProvinceLink {
        url,
        key_id: get("APP_PROVINCE_KEY_ID").unwrap_or("xiangxi").to_string(),
        secret,
        timeout_secs: get("APP_PROVINCE_TIMEOUT_SECS")
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(30),
        batch: get("APP_PROVINCE_BATCH")
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(500),
        query_timeout_secs: get("APP_PROVINCE_QUERY_TIMEOUT_SECS")
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(5),
        cache_minutes: get("APP_PROVINCE_CACHE_MINUTES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(60),
    })
}

/// The site's address for absolute links (feeds, the QR code of reports): the configured public
/// origin, else the request's host.
pub fn site_origin(config: &Config, headers: Option<&http::HeaderMap>) -> String {
    if let Some(o) = &config.public_origin {
        return o.trim_end_matches('/').to_string();
    }
    let host = headers
        .and_then(|h| h.get(http::header::HOST))
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn production_refuses_to_start_without_a_secret() {
        let err = Config::from_vars(&vars(&[("APP_ENV", "production")]), false).unwrap_err();
        assert!(err.to_string().contains("APP_SECRET"));
        assert!(Config::from_vars(&vars(&[]), true).is_err());
        assert!(Config::from_vars(&vars(&[("APP_SECRET", "short")]), true).is_err());
        let ok = Config::from_vars(&vars(&[("APP_SECRET", &"k".repeat(40))]), true).unwrap();
        assert!(ok.is_production());
    }

    #[test]
    fn demo_defaults_to_sqlite_under_data() {
        let c = Config::from_vars(&vars(&[]), false).unwrap();
        assert_eq!(c.mode, Mode::Demo);
        assert_eq!(c.database_url, "sqlite://data/credit.db?mode=rwc");
    }

    #[test]
    fn test_hooks_never_in_production() {
        let v = vars(&[("APP_TEST_HOOKS", "1"), ("APP_SECRET", &"k".repeat(40))]);
        assert!(Config::from_vars(&v, false).unwrap().test_hooks);
        assert!(!Config::from_vars(&v, true).unwrap().test_hooks);
    }

    #[test]
    fn env_file_parsing() {
        let m = parse_env_file("# c\nDATABASE_URL=\"postgres://x\"\n\nAPP_ENV = production\n");
        assert_eq!(m["DATABASE_URL"], "postgres://x");
        assert_eq!(m["APP_ENV"], "production");
    }
}
