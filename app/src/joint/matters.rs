//! Service matters (办理事项, docs/domain.md §8) as rules: a matter has a code, a name, its department
//! and the measures that apply to it; a row of the matters spreadsheet names the department and the
//! measures' codes. Pure and shared with the WASM.
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};

pub const MAX_CODE: usize = 64;
pub const MAX_NAME: usize = 200;

/// A matter as the console's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    /// The department's public id.
    #[serde(default)]
    pub department: String,
    /// The measures' public ids.
    #[serde(default)]
    pub measures: Vec<String>,
    #[serde(default)]
    pub inactive: bool,
}

/// Checks the code and the name (the department and measures are matched by the service).
pub fn check(code: &str, name: &str) -> Result<(String, String), Vec<FieldError>> {
    let mut errors = vec![];
    let (code, name) = (code.trim(), name.trim());
    if code.is_empty() || code.chars().count() > MAX_CODE || code.chars().any(char::is_whitespace) {
        errors.push(FieldError {
            field: "code".into(),
            code: "CODE_INVALID".into(),
            message: format!(
                "请填写事项编码（不超过 {MAX_CODE} 个字符，不含空格），如政务服务事项的实施编码。"
            ),
        });
    }
    if name.is_empty() || name.chars().count() > MAX_NAME {
        errors.push(FieldError {
            field: "name".into(),
            code: "NAME_INVALID".into(),
            message: format!("请填写事项名称（不超过 {MAX_NAME} 字）。"),
        });
    }
    if errors.is_empty() {
        Ok((code.to_string(), name.to_string()))
    } else {
        Err(errors)
    }
}

/// The spreadsheet's columns: (field, the headers it may have).
pub const COLUMNS: [(&str, &[&str]); 4] = [
    ("code", &["事项编码", "事项编号", "实施编码", "编码"]),
    ("name", &["事项名称", "名称"]),
    ("department", &["实施部门", "办理部门", "部门"]),
    ("measures", &["适用措施", "措施编号", "关联措施"]),
];

/// Where each column is; the measures column may be missing (matters without measures yet).
pub fn columns(headers: &[String]) -> Result<[Option<usize>; 4], AppError> {
    super::sheet::locate(headers, &COLUMNS, &["measures"]).map_err(|missing| {
        AppError::field(
            "file",
            "COLUMNS_MISSING",
            format!(
                "表格缺少以下列：{}（第一行为表头：事项编码、事项名称、实施部门、适用措施）。",
                missing.join("、")
            ),
        )
    })
}

/// One row: (code, name, department as written, the measures' codes).
pub fn row_fields(
    at: &[Option<usize>; 4],
    row: &[String],
) -> (String, String, String, Vec<String>) {
    let cell = |i: usize| super::sheet::cell(at, row, i);
    (cell(0), cell(1), cell(2), split_codes(&cell(3)))
}

/// Measure codes as people list them in one cell: separated by 、 , ， ; ； or spaces.
pub fn split_codes(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for c in
        cell.split(|ch: char| matches!(ch, '、' | ',' | '，' | ';' | '；') || ch.is_whitespace())
    {
        let c = c.trim();
        if !c.is_empty() && !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_one_cell() {
        assert_eq!(
            split_codes("JC-01、JC-02，JC-01; JL-03  JL-04"),
            ["JC-01", "JC-02", "JL-03", "JL-04"]
        );
        assert!(split_codes(" ").is_empty());
    }

    #[test]
    fn a_matter_needs_a_code_and_a_name() {
        assert_eq!(
            check(" 11433100MB1234567X001 ", "食品经营许可").unwrap().0,
            "11433100MB1234567X001"
        );
        let fields: Vec<String> = check("a b", "")
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["code", "name"]);
        let h: Vec<String> = ["事项名称", "实施部门"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        assert!(format!("{:?}", columns(&h).unwrap_err()).contains("事项编码"));
    }
}
