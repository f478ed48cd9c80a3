//! The measures list (措施清单, docs/domain.md §8) as rules: what a measure is, how a row of the
//! national base list's spreadsheet (or the console's form) becomes one, and the sample the demo
//! ships. Pure and shared with the WASM (the form's labels and options come from here).
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};

/// Which list a measure applies to: (code, label).
pub const LIST_KINDS: [(&str, &str); 3] = [
    ("red", "红名单（守信激励对象）"),
    ("black", "黑名单（严重失信主体）"),
    ("watch", "重点关注名单"),
];

/// A reward (激励) or a sanction (惩戒): (code, label).
pub const KINDS: [(&str, &str); 2] = [("reward", "激励"), ("sanction", "惩戒")];

/// The longest texts a measure keeps.
pub const MAX_CONTENT: usize = 500;
pub const MAX_BASIS: usize = 1000;
pub const MAX_AGENCY: usize = 200;
pub const MAX_CODE: usize = 32;

pub fn list_kind_label(code: &str) -> &'static str {
    LIST_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, l)| l)
}

pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, l)| l)
}

/// The catalogue class of a list kind's entries.
pub fn list_class(list_kind: &str) -> Option<&'static str> {
    match list_kind {
        "red" => Some("red_list"),
        "black" => Some("black_list"),
        "watch" => Some("watch_list"),
        _ => None,
    }
}

/// A list kind as people write it in a spreadsheet: 红名单, 守信激励对象, 黑名单, 严重失信主体名单, 重点关注名单 …
pub fn parse_list_kind(raw: &str) -> Option<&'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    if let Some((c, _)) = LIST_KINDS.iter().find(|(c, _)| *c == t) {
        return Some(c);
    }
    if t.contains("红") || t.contains("守信") || t.contains("激励") {
        Some("red")
    } else if t.contains("关注") {
        Some("watch")
    } else if t.contains("黑") || t.contains("失信") {
        Some("black")
    } else {
        None
    }
}

/// 激励 or 惩戒 as written (empty: what the list implies — rewards for the red list).
pub fn parse_kind(raw: &str, list_kind: Option<&str>) -> Option<&'static str> {
    let t = raw.trim();
    match t {
        "" => list_kind.map(|l| if l == "red" { "reward" } else { "sanction" }),
        "reward" | "sanction" => KINDS.iter().find(|(c, _)| *c == t).map(|(c, _)| *c),
        _ if t.contains("激励") || t.contains("奖励") => Some("reward"),
        _ if t.contains("惩戒") || t.contains("约束") => Some("sanction"),
        _ => None,
    }
}

/// A measure as a form or a spreadsheet row gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureInput {
    /// The list's number (JC-01 …); a local measure may leave it empty and gets one.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub list_kind: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub agency: String,
}

/// A checked measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub code: Option<String>,
    pub kind: &'static str,
    pub list_kind: &'static str,
    pub content: String,
    pub basis: String,
    pub agency: String,
}

fn text(errors: &mut Vec<FieldError>, field: &str, label: &str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.is_empty() {
        errors.push(FieldError {
            field: field.into(),
            code: "REQUIRED".into(),
            message: format!("请填写{label}。"),
        });
    } else if v.chars().count() > max {
        errors.push(FieldError {
            field: field.into(),
            code: "TOO_LONG".into(),
            message: format!("{label}不超过 {max} 字，请精简。"),
        });
    }
    v.to_string()
}

/// Checks one measure: every problem at once, in Chinese.
pub fn check(m: &MeasureInput) -> Result<Measure, Vec<FieldError>> {
    let mut errors = vec![];
    let code = m.code.trim();
    if code.chars().count() > MAX_CODE || code.chars().any(char::is_whitespace) {
        errors.push(FieldError {
            field: "code".into(),
            code: "CODE_INVALID".into(),
            message: format!("措施编号不超过 {MAX_CODE} 个字符，不含空格。"),
        });
    }
    let list_kind = parse_list_kind(&m.list_kind);
    if list_kind.is_none() {
        errors.push(FieldError {
            field: "list_kind".into(),
            code: "LIST_KIND_INVALID".into(),
            message: "适用名单请填写红名单、黑名单或重点关注名单。".into(),
        });
    }
    let kind = parse_kind(&m.kind, list_kind);
    if kind.is_none() {
        errors.push(FieldError {
            field: "kind".into(),
            code: "KIND_INVALID".into(),
            message: "措施类型请填写“激励”或“惩戒”。".into(),
        });
    }
    let content = text(&mut errors, "content", "措施内容", &m.content, MAX_CONTENT);
    let basis = text(&mut errors, "basis", "措施依据", &m.basis, MAX_BASIS);
    let agency = text(&mut errors, "agency", "实施部门", &m.agency, MAX_AGENCY);
    match (kind, list_kind) {
        (Some(kind), Some(list_kind)) if errors.is_empty() => Ok(Measure {
            code: (!code.is_empty()).then(|| code.to_string()),
            kind,
            list_kind,
            content,
            basis,
            agency,
        }),
        _ => Err(errors),
    }
}

/// The spreadsheet's columns: (field, the headers it may have). The first row with content is the
/// header; columns may come in any order.
pub const COLUMNS: [(&str, &[&str]); 6] = [
    ("code", &["措施编号", "编号", "序号"]),
    ("kind", &["措施类型", "奖惩类型", "类型"]),
    ("list_kind", &["适用名单", "名单类型", "适用对象"]),
    ("content", &["措施内容", "措施", "惩戒措施", "激励措施"]),
    (
        "basis",
        &[
            "依据",
            "措施依据",
            "法律依据",
            "设定依据",
            "法律、法规和政策依据",
        ],
    ),
    ("agency", &["实施部门", "实施单位", "实施机关"]),
];

/// Where each field's column is; the missing required columns are one error naming them. The type
/// may be left out: it follows the list (rewards for the red list).
pub fn columns(headers: &[String]) -> Result<[Option<usize>; 6], AppError> {
    super::sheet::locate(headers, &COLUMNS, &["kind"]).map_err(|missing| {
        AppError::field(
            "file",
            "COLUMNS_MISSING",
            format!(
                "表格缺少以下列：{}。请使用“下载样例”中的表头（第一行为表头）。",
                missing.join("、")
            ),
        )
    })
}

/// One spreadsheet row as a measure input.
pub fn row_input(at: &[Option<usize>; 6], row: &[String]) -> MeasureInput {
    let cell = |i: usize| super::sheet::cell(at, row, i);
    MeasureInput {
        code: cell(0),
        kind: cell(1),
        list_kind: cell(2),
        content: cell(3),
        basis: cell(4),
        agency: cell(5),
    }
}

/// The demo's sample of the national base list, as spreadsheet rows (header first). Its first
/// comment line names the sources.
pub fn sample() -> (String, Vec<Vec<String>>) {
    let data = include_str!("data/measures_sample.tsv");
    let source = data
        .lines()
        .next()
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .unwrap_or_default();
    let header: Vec<String> = [
        "措施编号",
        "措施类型",
        "适用名单",
        "措施内容",
        "依据",
        "实施部门",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let rows = std::iter::once(header)
        .chain(
            data.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.split('\t').map(str::to_string).collect()),
        )
        .collect();
    (source, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(list: &str, kind: &str) -> MeasureInput {
        MeasureInput {
            code: "JC-99".into(),
            kind: kind.into(),
            list_kind: list.into(),
            content: "限制参加政府采购活动".into(),
            basis: "《中华人民共和国政府采购法》".into(),
            agency: "财政部门".into(),
        }
    }

    #[test]
    fn lists_and_kinds_as_people_write_them() {
        assert_eq!(parse_list_kind("严重失信主体名单"), Some("black"));
        assert_eq!(parse_list_kind("守信激励对象"), Some("red"));
        assert_eq!(parse_list_kind("重点关注名单"), Some("watch"));
        assert_eq!(parse_list_kind("白名单"), None);
        assert_eq!(parse_kind("", Some("red")), Some("reward"));
        assert_eq!(parse_kind("", Some("watch")), Some("sanction"));
        assert_eq!(parse_kind("联合惩戒", None), Some("sanction"));
        assert_eq!(parse_kind("其他", Some("red")), None);
    }

    #[test]
    fn a_measure_is_checked_whole() {
        let m = check(&input("黑名单", "")).unwrap();
        assert_eq!((m.list_kind, m.kind), ("black", "sanction"));
        assert_eq!(m.code.as_deref(), Some("JC-99"));
        let mut bad = input("白名单", "其他");
        bad.content = " ".into();
        bad.code = "JC 1".into();
        let fields: Vec<String> = check(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["code", "list_kind", "kind", "content"]);
    }

    #[test]
    fn columns_in_any_order_and_a_missing_one_named() {
        let h = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let at = columns(&h(&[
            "实施部门",
            "措施内容",
            "编号",
            "适用名单",
            "法律依据",
        ]))
        .unwrap();
        let row = h(&["财政部门", "限制采购", "JC-1", "黑名单", "政府采购法"]);
        let i = row_input(&at, &row);
        assert_eq!(
            (i.agency.as_str(), i.content.as_str(), i.kind.as_str()),
            ("财政部门", "限制采购", "")
        );
        let e = columns(&h(&["措施内容", "适用名单"])).unwrap_err();
        let text = format!("{e:?}");
        assert!(
            text.contains("措施编号") && text.contains("依据") && text.contains("实施部门"),
            "{text}"
        );
    }

    #[test]
    fn the_sample_checks_and_names_its_source() {
        let (source, rows) = sample();
        assert!(source.contains("国发〔2016〕33号"));
        let at = columns(&rows[0]).unwrap();
        assert!(rows.len() > 20);
        for r in &rows[1..] {
            assert!(check(&row_input(&at, r)).is_ok(), "{r:?}");
        }
    }
}
