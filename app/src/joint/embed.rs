//! The embedded check page (docs/domain.md §8) as rules: which origins may frame a department's page
//! (its Content-Security-Policy `frame-ancestors`), and the one-line snippet a department puts in its own
//! system. Pure and shared with the WASM.
use crate::error::FieldError;

/// The most origins one department may list.
pub const MAX_ORIGINS: usize = 10;
/// The page a department's system frames, and the script that frames it.
pub const PAGE_PATH: &str = "/embed/check";
pub const SCRIPT_PATH: &str = "/embed/check.js";

/// Reads a list of origins (separated by spaces, commas or new lines): each `http(s)://host[:port]`,
/// without a path. Answers them normalised (lower case, no trailing slash), without repeats.
pub fn parse_origins(text: &str) -> Result<Vec<String>, FieldError> {
    let bad = |message: String| FieldError {
        field: "origins".into(),
        code: "ORIGIN_INVALID".into(),
        message,
    };
    let mut out: Vec<String> = vec![];
    for raw in text.split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == ';') {
        let o = raw.trim().trim_end_matches('/').to_ascii_lowercase();
        if o.is_empty() {
            continue;
        }
        let rest = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"))
            .ok_or_else(|| bad(format!("“{raw}”不是网址来源：应以 https:// 或 http:// 开头，如 https://zwfw.xxz.gov.cn。")))?;
        let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            && !host.starts_with(['.', '-']);
        let port_ok =
            port.is_empty() || (port.len() <= 5 && port.parse::<u16>().is_ok_and(|p| p > 0));
        if !host_ok || !port_ok {
            return Err(bad(format!(
                "“{raw}”不是网址来源：只写协议、域名和端口，不带路径，如 https://zwfw.xxz.gov.cn:8443。"
            )));
        }
        if !out.contains(&o) {
            out.push(o);
        }
    }
    if out.len() > MAX_ORIGINS {
        return Err(bad(format!("最多填写 {MAX_ORIGINS} 个来源。")));
    }
    Ok(out)
}

/// The `frame-ancestors` sources for a department's origins: none listed, no framing at all.
pub fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "'none'".into()
    } else {
        origins.join(" ")
    }
}

/// The line a department's page carries (`origin`: this platform's; `ticket`: from
/// `POST /api/v1/embed-tickets`, filled in by the department's server).
pub fn snippet(origin: &str, matter: &str) -> String {
    format!(
        "<script src=\"{origin}{SCRIPT_PATH}\" data-matter=\"{matter}\" data-ticket=\"（由本单位系统后台申请的核查票据）\" async></script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_schemes_hosts_and_ports_only() {
        assert_eq!(
            parse_origins(
                "https://ZWFW.xxz.gov.cn/,  http://10.1.2.3:8080\nhttps://zwfw.xxz.gov.cn"
            ),
            Ok(vec![
                "https://zwfw.xxz.gov.cn".to_string(),
                "http://10.1.2.3:8080".to_string()
            ])
        );
        assert_eq!(parse_origins("  "), Ok(vec![]));
        for bad in [
            "zwfw.xxz.gov.cn",
            "https://a.cn/path",
            "https://a.cn:0",
            "javascript://x",
            "https://a b",
            "https://*.cn",
        ] {
            assert_eq!(
                parse_origins(bad).map_err(|e| e.code),
                Err("ORIGIN_INVALID".into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn no_origin_means_no_framing() {
        assert_eq!(frame_ancestors(&[]), "'none'");
        let two = vec!["https://a.cn".to_string(), "http://b.cn:81".to_string()];
        assert_eq!(frame_ancestors(&two), "https://a.cn http://b.cn:81");
    }
}
