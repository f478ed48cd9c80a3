//! The credit catalogue's data classes and their fields (docs/domain.md §5). The built-in classes below seed the
//! catalogue tables; from then on the database copy is what the pipeline reads, so an operator can add
//! synonyms, relax optional fields, switch rules off or define new classes without a release.
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// How a field's text is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    /// Free text shown to the public: scanned for unmasked ID and phone numbers.
    FreeText,
    Date,
    /// A date that may read "长期" (stored as 2099-12-31).
    DateOrLong,
    /// 万元 with up to 6 decimals, stored as fen.
    Money,
    /// One of `options` (aliases allowed, e.g. v1 state digits).
    Enum,
    /// Several of `options`, separated by ; ， 、 or ,.
    MultiEnum,
    Uscc,
    /// An ID number whose kind is given by a sibling "证件类型" field (resident ID when empty).
    IdNumber,
    /// A six-digit GB/T 2260 area code.
    AreaCode,
}

impl FieldType {
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::FreeText => "free_text",
            FieldType::Date => "date",
            FieldType::DateOrLong => "date_or_long",
            FieldType::Money => "money",
            FieldType::Enum => "enum",
            FieldType::MultiEnum => "multi_enum",
            FieldType::Uscc => "uscc",
            FieldType::IdNumber => "id_number",
            FieldType::AreaCode => "area_code",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    pub fn label(&self) -> &'static str {
        match self {
            FieldType::Text => "文本",
            FieldType::FreeText => "公开文本",
            FieldType::Date => "日期",
            FieldType::DateOrLong => "日期或长期",
            FieldType::Money => "金额（万元）",
            FieldType::Enum => "单选代码",
            FieldType::MultiEnum => "多选代码",
            FieldType::Uscc => "统一社会信用代码",
            FieldType::IdNumber => "证件号码",
            FieldType::AreaCode => "行政区划代码",
        }
    }

    pub const ALL: [FieldType; 10] = [
        FieldType::Text,
        FieldType::FreeText,
        FieldType::Date,
        FieldType::DateOrLong,
        FieldType::Money,
        FieldType::Enum,
        FieldType::MultiEnum,
        FieldType::Uscc,
        FieldType::IdNumber,
        FieldType::AreaCode,
    ];
}

/// Whether a field must be filled. Conditional fields are checked by the class's own logic rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Required,
    Conditional,
    Optional,
}

impl Requirement {
    pub fn as_str(&self) -> &'static str {
        match self {
            Requirement::Required => "required",
            Requirement::Conditional => "conditional",
            Requirement::Optional => "optional",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Required, Self::Conditional, Self::Optional]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Requirement::Required => "必填",
            Requirement::Conditional => "条件必填",
            Requirement::Optional => "选填",
        }
    }
}

/// One field of a data class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// Column of the typed table, or JSON key of a generic record.
    pub key: String,
    pub name: String,
    pub code_v2: Option<String>,
    pub codes_v1: Vec<String>,
    /// Other Chinese headers seen in the wild.
    pub synonyms: Vec<String>,
    pub field_type: FieldType,
    pub requirement: Requirement,
    /// Allowed values (Enum, MultiEnum); `alias=value` entries map other spellings.
    pub options: Vec<String>,
    /// Longest accepted value in characters.
    pub max_len: usize,
}

impl FieldSpec {
    /// Every header this field answers to, as written in the catalogue.
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.code_v2.as_deref())
            .chain(self.codes_v1.iter().map(String::as_str))
            .chain(self.synonyms.iter().map(String::as_str))
    }

    /// The canonical option for a value, following aliases; None when the value is not allowed.
    pub fn option_for<'a>(&'a self, value: &str) -> Option<&'a str> {
        let value = value.trim();
        self.options.iter().find_map(|o| match o.split_once('=') {
            Some((alias, canon)) if alias == value => Some(canon),
            None if o == value => Some(o.as_str()),
            _ => None,
        })
    }

    /// Options without their aliases, for messages and pick lists.
    pub fn canonical_options(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for o in &self.options {
            let canon = o.split_once('=').map_or(o.as_str(), |(_, c)| c);
            if !out.contains(&canon) {
                out.push(canon);
            }
        }
        out
    }
}

/// Where records of a class are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    /// Licences and penalties: typed tables, searched and counted.
    Typed,
    /// Classes an operator defines: one generic table with a JSON payload.
    Generic,
}

impl Storage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Storage::Typed => "typed",
            Storage::Generic => "generic",
        }
    }
}

/// A data class with its fields and the rules switched off for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSpec {
    pub code: String,
    pub name: String,
    pub storage: Storage,
    pub fields: Vec<FieldSpec>,
    /// Rule codes an operator switched off for this class.
    pub disabled_rules: Vec<String>,
}

impl ClassSpec {
    pub fn field(&self, key: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn rule_enabled(&self, code: &str) -> bool {
        !self.disabled_rules.iter().any(|c| c == code)
    }
}

/// Subject kinds as written in the 行政相对人类别 field.
pub const SUBJECT_CATEGORIES: &[&str] = &[
    "法人及非法人组织",
    "自然人",
    "个体工商户",
    "法人和非法人组织=法人及非法人组织",
    "法人=法人及非法人组织",
    "非法人组织=法人及非法人组织",
];

pub const CATEGORY_ORGANISATION: &str = "法人及非法人组织";
pub const CATEGORY_PERSON: &str = "自然人";
pub const CATEGORY_INDIVIDUAL_BUSINESS: &str = "个体工商户";

/// ID document types; an empty type means a resident ID card.
pub const ID_TYPES: &[&str] = &[
    "身份证",
    "居民身份证=身份证",
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "外国人永久居留身份证",
];

struct F {
    key: &'static str,
    name: &'static str,
    v2: Option<&'static str>,
    v1: &'static [&'static str],
    syn: &'static [&'static str],
    ty: FieldType,
    req: Requirement,
    options: &'static [&'static str],
    max_len: usize,
}

const fn f(
    key: &'static str,
    name: &'static str,
    v2: Option<&'static str>,
    v1: &'static [&'static str],
    ty: FieldType,
    req: Requirement,
) -> F {
    F {
        key,
        name,
        v2,
        v1,
        syn: &[],
        ty,
        req,
        options: &[],
        max_len: 200,
    }
}

impl F {
    const fn syn(mut self, syn: &'static [&'static str]) -> Self {
        self.syn = syn;
        self
    }
    const fn options(mut self, options: &'static [&'static str]) -> Self {
        self.options = options;
        self
    }
    const fn max(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }
    fn build(&self) -> FieldSpec {
        FieldSpec {
            key: self.key.into(),
            name: self.name.into(),
            code_v2: self.v2.map(Into::into),
            codes_v1: self.v1.iter().map(|s| s.to_string()).collect(),
            synonyms: self.syn.iter().map(|s| s.to_string()).collect(),
            field_type: self.ty,
            requirement: self.req,
            options: self.options.iter().map(|s| s.to_string()).collect(),
            max_len: self.max_len,
        }
    }
}

use FieldType as T;
use Requirement::{Conditional as C, Optional as O, Required as R};

const LICENCE_CATEGORIES: &[&str] = &["普通", "特许", "认可", "核准", "登记", "其他"];
/// v1 state digits follow the 2016 exchange standard: 0 正常, 1 撤销, 2 异议, 3 其他. Only 正常 means the
/// licence stands; 异议 and 其他 are read as 无效 so that nothing doubtful is shown as valid.
const LICENCE_STATES: &[&str] = &[
    "有效",
    "无效",
    "撤销",
    "撤回",
    "正常=有效",
    "0=有效",
    "1=撤销",
    "2=无效",
    "3=无效",
];

/// v1 penalty states (CF_ZT) use the same digits; a revoked (撤销) penalty is withdrawn from view.
const PENALTY_STATES: &[&str] = &[
    "有效",
    "撤销",
    "异议",
    "其他",
    "正常=有效",
    "0=有效",
    "1=撤销",
    "2=异议",
    "3=其他",
];

/// Headers of older exports that carry nothing the platform keeps, ignored by design so that they never
/// stop a file for mapping: SJC is the exporting system's update timestamp (the platform records its
/// own times). A field of the catalogue that names one of these headers takes precedence.
pub const IGNORED_HEADERS: &[&str] = &["SJC"];

/// The national field tables of the licence and penalty classes (docs/domain.md §5.1–5.3), kept as data in
/// `data/national_fields.tsv` and parsed once, here and in the browser alike.
static NATIONAL_FIELDS: LazyLock<Vec<(&'static str, FieldSpec)>> = LazyLock::new(|| {
    include_str!("data/national_fields.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(national_field)
        .collect()
});

/// One row of `data/national_fields.tsv`: class, key, name, v2 code ("-" for none), v1 codes, synonyms,
/// type, requirement, options, max length. A malformed row is skipped (the tests count the rows).
fn national_field(line: &'static str) -> Option<(&'static str, FieldSpec)> {
    let mut cols = line.split('\t');
    let class = cols.next()?;
    let (key, name, v2) = (cols.next()?, cols.next()?, cols.next()?);
    let (v1, synonyms) = (cols.next()?, cols.next()?);
    let field_type = FieldType::parse(cols.next()?)?;
    let requirement = Requirement::parse(cols.next()?)?;
    let options = national_options(cols.next()?);
    let max_len = cols.next()?.parse().ok()?;
    let field = FieldSpec {
        key: key.into(),
        name: name.into(),
        code_v2: (v2 != "-").then(|| v2.into()),
        codes_v1: cell_list(v1),
        synonyms: cell_list(synonyms),
        field_type,
        requirement,
        options,
        max_len,
    };
    Some((class, field))
}

/// A `|`-separated cell of the field table.
fn cell_list(cell: &str) -> Vec<String> {
    cell.split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// An options cell: `@NAME` is one of the named lists of this module, anything else a `|`-separated list.
fn national_options(cell: &str) -> Vec<String> {
    let named: &[&str] = match cell {
        "@SUBJECT_CATEGORIES" => SUBJECT_CATEGORIES,
        "@ID_TYPES" => ID_TYPES,
        "@LICENCE_CATEGORIES" => LICENCE_CATEGORIES,
        "@LICENCE_STATES" => LICENCE_STATES,
        "@PENALTY_STATES" => PENALTY_STATES,
        "@PENALTY_CATEGORIES" => super::disclosure::PENALTY_CATEGORIES,
        _ => return cell_list(cell),
    };
    named.iter().map(|s| s.to_string()).collect()
}

/// A built-in class whose fields are the national table's.
fn national_class(code: &str, name: &str) -> ClassSpec {
    ClassSpec {
        code: code.into(),
        name: name.into(),
        storage: Storage::Typed,
        fields: NATIONAL_FIELDS
            .iter()
            .filter(|(class, _)| *class == code)
            .map(|(_, field)| field.clone())
            .collect(),
        disabled_rules: Vec::new(),
    }
}

/// Fields common to the list classes (red, black, watch): docs/domain.md §8.
fn list_fields() -> Vec<F> {
    vec![
        f("subject_name", "主体名称", None, &[], T::Text, R).syn(&["名称", "企业名称"]),
        f("subject_uscc", "统一社会信用代码", None, &[], T::Uscc, C),
        f("person_id", "证件号码", None, &[], T::IdNumber, C).syn(&["身份证号码"]),
        f("authority", "认定单位", None, &[], T::Text, R).syn(&["列入单位", "认定部门"]),
        f("basis", "认定依据", None, &[], T::FreeText, R).max(2000),
        f("listed_on", "列入日期", None, &[], T::Date, R),
        f("removed_on", "移出日期", None, &[], T::Date, O),
        f("status", "状态", None, &[], T::Enum, R).options(&["有效", "已移出"]),
        f("remark", "备注", None, &[], T::FreeText, O).max(1000),
    ]
}

fn commitment_fields() -> Vec<F> {
    vec![
        f("subject_name", "承诺主体名称", None, &[], T::Text, R).syn(&["主体名称"]),
        f("subject_uscc", "统一社会信用代码", None, &[], T::Uscc, C),
        f("commitment_type", "承诺类型", None, &[], T::Enum, R).options(&[
            "审批替代型",
            "主动型",
            "信用修复型",
            "行业自律型",
        ]),
        f("text", "承诺内容", None, &[], T::FreeText, R).max(4000),
        f("committed_on", "承诺日期", None, &[], T::Date, R),
        f("accepting_unit", "承诺受理单位", None, &[], T::Text, R),
        f("fulfilment", "履约状态", None, &[], T::Enum, R).options(&["履约中", "已履约", "未履约"]),
    ]
}

fn class(code: &str, name: &str, storage: Storage, fields: Vec<F>) -> ClassSpec {
    ClassSpec {
        code: code.into(),
        name: name.into(),
        storage,
        fields: fields.iter().map(F::build).collect(),
        disabled_rules: Vec::new(),
    }
}

pub const LICENCE: &str = "licence";
pub const PENALTY: &str = "penalty";

/// The built-in classes of docs/domain.md §5 and §8, in catalogue order.
pub fn builtin_classes() -> Vec<ClassSpec> {
    vec![
        national_class(LICENCE, "行政许可"),
        national_class(PENALTY, "行政处罚"),
        class(
            "red_list",
            "守信激励对象（红名单）",
            Storage::Generic,
            list_fields(),
        ),
        class(
            "black_list",
            "严重失信主体名单（黑名单）",
            Storage::Generic,
            list_fields(),
        ),
        class(
            "watch_list",
            "重点关注名单",
            Storage::Generic,
            list_fields(),
        ),
        class(
            "commitment",
            "信用承诺",
            Storage::Generic,
            commitment_fields(),
        ),
    ]
}

/// Columns of a subject register (e.g. 市场监管's register of market entities) imported into the
/// 法人库: matched by the same header rules as data classes.
pub fn registry_spec() -> ClassSpec {
    class(
        "registry",
        "法人库登记信息",
        Storage::Generic,
        vec![
            f(
                "uscc",
                "统一社会信用代码",
                Some("TYSHXYDM"),
                &["SHXYDM"],
                T::Uscc,
                R,
            )
            .syn(&["社会信用代码", "信用代码"]),
            f("name", "名称", None, &["QYMC", "MC"], T::Text, R).syn(&[
                "企业名称",
                "主体名称",
                "单位名称",
                "市场主体名称",
            ]),
            f("legal_rep", "法定代表人", Some("FDDBR"), &[], T::Text, O).syn(&[
                "法定代表人（负责人）",
                "负责人",
                "经营者",
            ]),
            f("reg_no", "注册号", Some("ZCH"), &[], T::Text, O).syn(&["工商注册号"]),
            f("org_code", "组织机构代码", Some("ZZJGDM"), &[], T::Text, O),
            f("area_code", "行政区划代码", None, &[], T::AreaCode, O)
                .syn(&["所在地区划", "区划代码"]),
            f("address", "住所", None, &[], T::Text, O).syn(&[
                "地址",
                "经营场所",
                "住所（经营场所）",
            ]),
            f("established_on", "成立日期", None, &[], T::Date, O).syn(&["登记日期", "注册日期"]),
        ],
    )
}

/// Update frequencies a catalogue entry may have, with the days after which an update is due.
pub const FREQUENCIES: &[(&str, &str, i64)] = &[
    ("realtime", "实时", 1),
    ("daily", "每日", 1),
    ("weekly", "每周", 7),
    ("monthly", "每月", 31),
    ("quarterly", "每季度", 92),
    ("yearly", "每年", 366),
];

pub fn frequency_label(code: &str) -> &'static str {
    FREQUENCIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or("未设置", |(_, l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn national(class: &str, key: &str) -> FieldSpec {
        let spec = builtin_classes()
            .into_iter()
            .find(|c| c.code == class)
            .unwrap();
        spec.fields.into_iter().find(|f| f.key == key).unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn national_field_tables_load_from_their_data_file() {
        let rows = include_str!("data/national_fields.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(rows, 60, "every row of the table parses");
        assert_eq!(NATIONAL_FIELDS.len(), rows);
        let classes = builtin_classes();
        assert_eq!(classes[0].fields.len(), 29);
        assert_eq!(classes[1].fields.len(), 31);
        assert_eq!(classes[0].fields[0].key, "subject_name");
        assert_eq!(
            national(LICENCE, "subject_name"),
            FieldSpec {
                key: "subject_name".into(),
                name: "行政相对人名称".into(),
                code_v2: Some("XK_XDR_MC".into()),
                codes_v1: strings(&["XK_XDR"]),
                synonyms: strings(&["相对人名称", "企业名称", "单位名称"]),
                field_type: FieldType::Text,
                requirement: Requirement::Required,
                options: Vec::new(),
                max_len: 200,
            }
        );
        let valid_to = national(LICENCE, "valid_to");
        assert_eq!(valid_to.code_v2.as_deref(), Some("XK_YXQZI"));
        assert_eq!(valid_to.codes_v1, strings(&["XK_JZQ"]));
        assert_eq!(valid_to.field_type, FieldType::DateOrLong);
        let categories = national(PENALTY, "categories");
        assert_eq!(categories.codes_v1, strings(&["CF_CFLB1", "CF_CFLB2"]));
        assert_eq!(categories.field_type, FieldType::MultiEnum);
        assert_eq!(
            categories.options,
            strings(super::super::disclosure::PENALTY_CATEGORIES)
        );
        let fine = national(PENALTY, "fine");
        assert_eq!(fine.code_v2.as_deref(), Some("CF_NR_FK"));
        assert_eq!(fine.requirement, Requirement::Conditional);
        assert_eq!(fine.field_type, FieldType::Money);
        let state = national(PENALTY, "state");
        assert_eq!(state.code_v2, None);
        assert_eq!(state.options, strings(PENALTY_STATES));
        assert_eq!(national(PENALTY, "remark").max_len, 1000);
    }

    #[test]
    fn headers_are_unique_within_each_class() {
        for class in builtin_classes() {
            let mut seen = std::collections::HashMap::new();
            for field in &class.fields {
                for h in field.headers() {
                    if let Some(other) = seen.insert(h.to_string(), field.key.clone()) {
                        assert_eq!(
                            other, field.key,
                            "{}: header {h} names two fields",
                            class.code
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn options_follow_aliases() {
        let penalty = builtin_classes().remove(1);
        let state = builtin_classes()[0].field("state").cloned().unwrap();
        assert_eq!(state.option_for("0"), Some("有效"));
        assert_eq!(state.option_for("有效"), Some("有效"));
        assert_eq!(state.option_for("作废"), None);
        assert_eq!(
            state.canonical_options(),
            vec!["有效", "无效", "撤销", "撤回"]
        );
        let cats = penalty.field("categories").unwrap();
        assert_eq!(cats.option_for("罚款"), Some("罚款"));
    }

    #[test]
    fn field_types_round_trip() {
        for t in FieldType::ALL {
            assert_eq!(FieldType::parse(t.as_str()), Some(t));
        }
    }
}
