//! Matching a file's header row to the catalogue's fields: v1 codes, v2 codes, Chinese names, synonyms,
//! and the mappings a unit confirmed earlier for headers nobody else uses.
use crate::rules::catalog::{ClassSpec, Requirement};
use crate::rules::normalize;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Canonical form for comparing headers: half-width, no spaces or BOM, codes upper-cased, Chinese and
/// ASCII brackets the same.
pub fn header_key(raw: &str) -> String {
    normalize::to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}' && *c != '*')
        .map(|c| match c {
            '【' | '[' => '(',
            '】' | ']' => ')',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Columns the platform adds to its own error report; a corrected report can be uploaded as it is.
pub const REPORT_ROW: &str = "原行号";
pub const REPORT_FAULTS: &str = "错误说明";
/// A remembered mapping to this key means "ignore this column".
pub const IGNORE: &str = "_ignore";

/// How each column of the file maps to a field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderMap {
    /// Per file column: the field index it fills, if any.
    pub columns: Vec<Option<usize>>,
    /// Headers matched to no field, with their column number (0-based).
    pub unknown: Vec<(usize, String)>,
    /// Required fields no column fills (they may still be filled from trusted sources).
    pub missing_required: Vec<usize>,
}

impl HeaderMap {
    pub fn is_complete(&self) -> bool {
        self.unknown.is_empty()
    }

    /// Per field: whether some column fills it (a file without the column cannot carry the field).
    pub fn supplied(&self, fields: usize) -> Vec<bool> {
        (0..fields)
            .map(|i| self.columns.contains(&Some(i)))
            .collect()
    }
}

/// Resolves headers against the class. `remembered` maps a unit's own header keys to field keys.
/// Two columns may fill one field only when the field takes several values (v1 CF_CFLB1 + CF_CFLB2).
pub fn resolve(
    spec: &ClassSpec,
    headers: &[String],
    remembered: &HashMap<String, String>,
) -> HeaderMap {
    let mut lookup: HashMap<String, usize> = HashMap::new();
    for (i, field) in spec.fields.iter().enumerate() {
        for h in field.headers() {
            lookup.entry(header_key(h)).or_insert(i);
        }
    }
    let mut ignored = std::collections::HashSet::new();
    for (header, key) in remembered {
        if key == IGNORE {
            ignored.insert(header_key(header));
        } else if let Some(i) = spec.index_of(key) {
            lookup.entry(header_key(header)).or_insert(i);
        }
    }
    // Headers ignored by design, unless a field or the unit's own mapping claims them.
    for h in crate::rules::catalog::IGNORED_HEADERS {
        let k = header_key(h);
        if !lookup.contains_key(&k) {
            ignored.insert(k);
        }
    }
    let mut map = HeaderMap::default();
    for (col, raw) in headers.iter().enumerate() {
        let key = header_key(raw);
        if key.is_empty() || key == REPORT_ROW || key == REPORT_FAULTS || ignored.contains(&key) {
            map.columns.push(None);
            continue;
        }
        match lookup.get(&key) {
            Some(&i) => map.columns.push(Some(i)),
            None => {
                map.columns.push(None);
                map.unknown.push((col, raw.trim().to_string()));
            }
        }
    }
    for (i, field) in spec.fields.iter().enumerate() {
        if field.requirement == Requirement::Required && !map.columns.contains(&Some(i)) {
            map.missing_required.push(i);
        }
    }
    map
}

/// Gathers one row's cells into per-field values (empty when absent). Multi-value fields joined from
/// several columns are separated by `;`.
pub fn gather(spec: &ClassSpec, map: &HeaderMap, cells: &[String]) -> Vec<String> {
    let mut values = vec![String::new(); spec.fields.len()];
    for (col, target) in map.columns.iter().enumerate() {
        let (Some(i), Some(cell)) = (target, cells.get(col)) else {
            continue;
        };
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let Some(value) = values.get_mut(*i) else {
            continue;
        };
        if value.is_empty() {
            *value = cell.to_string();
        } else {
            value.push(';');
            value.push_str(cell);
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalog::builtin_classes;

    fn penalty() -> ClassSpec {
        builtin_classes().remove(1)
    }

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn v1_v2_chinese_and_synonyms_all_resolve() {
        let spec = penalty();
        let none = HashMap::new();
        let v2 = resolve(
            &spec,
            &headers(&["CF_WSH", "cf_xdr_mc", "\u{feff}CF_JDRQ"]),
            &none,
        );
        let cn = resolve(
            &spec,
            &headers(&["行政处罚决定书文号", "行政相对人名称 ", "处罚决定日期"]),
            &none,
        );
        let syn = resolve(
            &spec,
            &headers(&["处罚文书号", "当事人名称", "处罚日期"]),
            &none,
        );
        let v1 = resolve(&spec, &headers(&["CF_WSH", "CF_XDR_MC", "CF_JDRQ"]), &none);
        for m in [&v2, &cn, &syn, &v1] {
            assert!(m.is_complete(), "{m:?}");
            let keys: Vec<&str> = m
                .columns
                .iter()
                .map(|c| spec.fields[c.unwrap()].key.as_str())
                .collect();
            assert_eq!(keys, vec!["decision_no", "subject_name", "decision_date"]);
        }
        assert!(v2
            .missing_required
            .contains(&spec.index_of("authority").unwrap()));
    }

    #[test]
    fn unknown_headers_are_reported_and_remembered_ones_used() {
        let spec = penalty();
        let mut remembered = HashMap::new();
        let h = headers(&["CF_WSH", "案件编号"]);
        let m = resolve(&spec, &h, &remembered);
        assert_eq!(m.unknown, vec![(1, "案件编号".to_string())]);
        remembered.insert("案件编号".to_string(), "remark".to_string());
        let m = resolve(&spec, &h, &remembered);
        assert!(m.is_complete());
        assert_eq!(m.columns[1], spec.index_of("remark"));
        remembered.insert("案件编号".to_string(), IGNORE.to_string());
        let m = resolve(&spec, &h, &remembered);
        assert!(m.is_complete());
        assert_eq!(m.columns[1], None);
    }

    #[test]
    fn every_v1_code_of_the_standard_is_known() {
        // docs/domain.md §5.3: a department's v1 export never stops for mapping.
        let spec = penalty();
        let v1 = [
            "CF_WSH",
            "CF_CFMC",
            "CF_CFLB1",
            "CF_CFLB2",
            "CF_SY",
            "CF_YJ",
            "CF_XDR_MC",
            "CF_XDR_SHXYM",
            "CF_XDR_ZDM",
            "CF_XDR_GSDJ",
            "CF_XDR_SWDJ",
            "CF_XDR_SFZ",
            "CF_FR",
            "CF_JG",
            "CF_JDRQ",
            "CF_XZJG",
            "CF_ZT",
            "DFBM",
            "SJC",
            "BZ",
        ];
        let m = resolve(&spec, &headers(&v1), &HashMap::new());
        assert!(m.is_complete(), "{:?}", m.unknown);
        assert_eq!(m.columns[16], spec.index_of("state"));
        assert_eq!(m.columns[18], None, "SJC is ignored by design");
        let licence = builtin_classes().remove(0);
        let v1 = [
            "XK_WSH",
            "XK_XMMC",
            "XK_SPLB",
            "XK_NR",
            "XK_XDR",
            "XK_XDR_SHXYM",
            "XK_XDR_ZDM",
            "XK_XDR_GSDJ",
            "XK_XDR_SWDJ",
            "XK_XDR_SFZ",
            "XK_FR",
            "XK_JDRQ",
            "XK_JZQ",
            "XK_XZJG",
            "XK_ZT",
            "DFBM",
            "SJC",
            "BZ",
        ];
        let m = resolve(&licence, &headers(&v1), &HashMap::new());
        assert!(m.is_complete(), "{:?}", m.unknown);
        // A unit that maps SJC to a field of its own keeps its mapping.
        let remembered = [("SJC".to_string(), "remark".to_string())].into();
        let m = resolve(&spec, &headers(&["SJC"]), &remembered);
        assert_eq!(m.columns[0], spec.index_of("remark"));
    }

    #[test]
    fn two_category_columns_join() {
        let spec = penalty();
        let m = resolve(&spec, &headers(&["CF_CFLB1", "CF_CFLB2"]), &HashMap::new());
        let v = gather(&spec, &m, &headers(&["罚款", "没收违法所得"]));
        assert_eq!(v[spec.index_of("categories").unwrap()], "罚款;没收违法所得");
    }
}
