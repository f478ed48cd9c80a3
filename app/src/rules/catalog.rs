//! The credit catalogue's data classes and their fields (DOMAIN §5). The built-in classes below seed the
//! catalogue tables; from then on the database copy is what the pipeline reads, so an operator can add
//! synonyms, relax optional fields, switch rules off or define new classes without a release.
use serde::{Deserialize, Serialize};

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

fn licence_fields() -> Vec<F> {
    vec![
        f(
            "subject_name",
            "行政相对人名称",
            Some("XK_XDR_MC"),
            &["XK_XDR"],
            T::Text,
            R,
        )
        .syn(&["相对人名称", "企业名称", "单位名称"]),
        f(
            "subject_category",
            "行政相对人类别",
            Some("XK_XDR_LB"),
            &[],
            T::Enum,
            R,
        )
        .syn(&["相对人类别", "主体类别"])
        .options(SUBJECT_CATEGORIES),
        f(
            "subject_uscc",
            "统一社会信用代码",
            Some("XK_XDR_SHXYM"),
            &["XK_XDR_SHXYM"],
            T::Uscc,
            C,
        )
        .syn(&["社会信用代码", "行政相对人统一社会信用代码", "信用代码"]),
        f(
            "reg_no",
            "工商注册号",
            Some("XK_XDR_GSZC"),
            &["XK_XDR_GSDJ"],
            T::Text,
            O,
        )
        .syn(&["工商登记码", "注册号"]),
        f(
            "org_code",
            "组织机构代码",
            Some("XK_XDR_ZZJG"),
            &["XK_XDR_ZDM"],
            T::Text,
            O,
        ),
        f(
            "tax_no",
            "税务登记号",
            Some("XK_XDR_SWDJ"),
            &["XK_XDR_SWDJ"],
            T::Text,
            O,
        ),
        f(
            "institution_no",
            "事业单位证书号",
            Some("XK_XDR_SYDW"),
            &[],
            T::Text,
            O,
        ),
        f(
            "social_org_no",
            "社会组织登记证号",
            Some("XK_XDR_SHZZ"),
            &[],
            T::Text,
            O,
        ),
        f(
            "legal_rep",
            "法定代表人",
            Some("XK_FRDB"),
            &["XK_FR"],
            T::Text,
            C,
        )
        .syn(&["法定代表人姓名", "法人代表"]),
        f(
            "legal_rep_id_type",
            "法定代表人证件类型",
            Some("XK_FR_ZJLX"),
            &[],
            T::Enum,
            O,
        )
        .options(ID_TYPES),
        f(
            "legal_rep_id",
            "法定代表人证件号码",
            Some("XK_FR_ZJHM"),
            &[],
            T::IdNumber,
            O,
        )
        .syn(&["法定代表人身份证号"]),
        f(
            "person_id_type",
            "证件类型",
            Some("XK_XDR_ZJLX"),
            &[],
            T::Enum,
            O,
        )
        .syn(&["相对人证件类型"])
        .options(ID_TYPES),
        f(
            "person_id",
            "证件号码",
            Some("XK_XDR_ZJHM"),
            &["XK_XDR_SFZ"],
            T::IdNumber,
            C,
        )
        .syn(&["相对人证件号码", "身份证号码", "身份证号"]),
        f(
            "decision_doc_name",
            "行政许可决定文书名称",
            Some("XK_XKWS"),
            &["XK_XMMC"],
            T::Text,
            R,
        )
        .syn(&["许可决定文书名称", "项目名称", "许可文书名称"]),
        f(
            "decision_no",
            "行政许可决定文书号",
            Some("XK_WSH"),
            &["XK_WSH"],
            T::Text,
            R,
        )
        .syn(&["许可文书号", "决定文书号", "文书号", "许可决定书文号"]),
        f(
            "licence_category",
            "许可类别",
            Some("XK_XKLB"),
            &["XK_SPLB"],
            T::Enum,
            R,
        )
        .syn(&["审批类别"])
        .options(LICENCE_CATEGORIES),
        f(
            "certificate_name",
            "许可证书名称",
            Some("XK_XKZS"),
            &[],
            T::Text,
            O,
        ),
        f("licence_no", "许可编号", Some("XK_XKBH"), &[], T::Text, O).syn(&["许可证编号"]),
        f(
            "content",
            "许可内容",
            Some("XK_NR"),
            &["XK_NR"],
            T::FreeText,
            R,
        )
        .max(4000)
        .syn(&["许可事项内容"]),
        f(
            "decision_date",
            "许可决定日期",
            Some("XK_JDRQ"),
            &["XK_JDRQ"],
            T::Date,
            R,
        )
        .syn(&["决定日期", "许可日期"]),
        f("valid_from", "有效期自", Some("XK_YXQZ"), &[], T::Date, R).syn(&["有效期起"]),
        f(
            "valid_to",
            "有效期至",
            Some("XK_YXQZI"),
            &["XK_JZQ"],
            T::DateOrLong,
            R,
        )
        .syn(&["有效期止", "截止日期", "截止期"]),
        f(
            "authority",
            "许可机关",
            Some("XK_XKJG"),
            &["XK_XZJG"],
            T::Text,
            R,
        )
        .syn(&["许可机关名称", "审批机关"]),
        f(
            "authority_uscc",
            "许可机关统一社会信用代码",
            Some("XK_XKJGDM"),
            &[],
            T::Uscc,
            R,
        )
        .syn(&["许可机关代码"]),
        f("state", "当前状态", Some("XK_ZT"), &["XK_ZT"], T::Enum, R)
            .syn(&["状态"])
            .options(LICENCE_STATES),
        f(
            "source_unit",
            "数据来源单位",
            Some("XK_LYDW"),
            &[],
            T::Text,
            R,
        )
        .syn(&["数据来源"]),
        f(
            "source_unit_uscc",
            "数据来源单位统一社会信用代码",
            Some("XK_LYDWDM"),
            &[],
            T::Uscc,
            R,
        )
        .syn(&["数据来源单位代码"]),
        f("area_code", "地方编码", None, &["DFBM"], T::AreaCode, O).syn(&["行政区划代码"]),
        f("remark", "备注", Some("BZ"), &["BZ"], T::FreeText, O).max(1000),
    ]
}

fn penalty_fields() -> Vec<F> {
    vec![
        f(
            "subject_name",
            "行政相对人名称",
            Some("CF_XDR_MC"),
            &["CF_XDR_MC"],
            T::Text,
            R,
        )
        .syn(&["相对人名称", "被处罚单位", "企业名称", "当事人名称"]),
        f(
            "subject_category",
            "行政相对人类别",
            Some("CF_XDR_LB"),
            &[],
            T::Enum,
            R,
        )
        .syn(&["相对人类别", "主体类别"])
        .options(SUBJECT_CATEGORIES),
        f(
            "subject_uscc",
            "统一社会信用代码",
            Some("CF_XDR_SHXYM"),
            &["CF_XDR_SHXYM"],
            T::Uscc,
            C,
        )
        .syn(&["社会信用代码", "行政相对人统一社会信用代码", "信用代码"]),
        f("reg_no", "工商注册号", None, &["CF_XDR_GSDJ"], T::Text, O).syn(&["工商登记码"]),
        f(
            "org_code",
            "组织机构代码",
            None,
            &["CF_XDR_ZDM"],
            T::Text,
            O,
        ),
        f("tax_no", "税务登记号", None, &["CF_XDR_SWDJ"], T::Text, O),
        f(
            "legal_rep",
            "法定代表人",
            Some("CF_FRDB"),
            &["CF_FR"],
            T::Text,
            C,
        )
        .syn(&["法定代表人姓名", "法人代表"]),
        f(
            "legal_rep_id_type",
            "法定代表人证件类型",
            Some("CF_FR_ZJLX"),
            &[],
            T::Enum,
            O,
        )
        .options(ID_TYPES),
        f(
            "legal_rep_id",
            "法定代表人证件号码",
            Some("CF_FR_ZJHM"),
            &[],
            T::IdNumber,
            O,
        )
        .syn(&["法定代表人身份证号"]),
        f(
            "person_id_type",
            "证件类型",
            Some("CF_XDR_ZJLX"),
            &[],
            T::Enum,
            O,
        )
        .syn(&["相对人证件类型"])
        .options(ID_TYPES),
        f(
            "person_id",
            "证件号码",
            Some("CF_XDR_ZJHM"),
            &["CF_XDR_SFZ"],
            T::IdNumber,
            C,
        )
        .syn(&["相对人证件号码", "身份证号码", "身份证号"]),
        f(
            "decision_no",
            "行政处罚决定书文号",
            Some("CF_WSH"),
            &["CF_WSH"],
            T::Text,
            R,
        )
        .syn(&[
            "行政处罚决定文书号",
            "处罚文书号",
            "处罚决定书文号",
            "决定书文号",
        ]),
        f(
            "violation_type",
            "违法行为类型",
            Some("CF_WFXW"),
            &["CF_CFMC"],
            T::Text,
            R,
        )
        .syn(&["处罚名称", "违法行为"]),
        f(
            "violation_facts",
            "违法事实",
            Some("CF_SY"),
            &["CF_SY"],
            T::FreeText,
            R,
        )
        .max(4000)
        .syn(&["处罚事由", "主要违法事实"]),
        f(
            "legal_basis",
            "处罚依据",
            Some("CF_YJ"),
            &["CF_YJ"],
            T::FreeText,
            R,
        )
        .max(2000)
        .syn(&["处罚法律依据"]),
        f(
            "categories",
            "处罚类别",
            Some("CF_CFLB"),
            &["CF_CFLB1", "CF_CFLB2"],
            T::MultiEnum,
            R,
        )
        .syn(&["处罚种类"])
        .options(super::disclosure::PENALTY_CATEGORIES),
        f(
            "content",
            "处罚内容",
            Some("CF_NR"),
            &["CF_JG"],
            T::FreeText,
            R,
        )
        .max(4000)
        .syn(&["处罚结果"]),
        f(
            "fine",
            "罚款金额（万元）",
            Some("CF_NR_FK"),
            &[],
            T::Money,
            C,
        )
        .syn(&["罚款金额", "罚款金额(万元)"]),
        f(
            "confiscated",
            "没收违法所得、没收非法财物的金额（万元）",
            Some("CF_NR_WFFF"),
            &[],
            T::Money,
            C,
        )
        .syn(&[
            "没收金额",
            "没收违法所得金额",
            "没收违法所得、没收非法财物的金额(万元)",
        ]),
        f(
            "suspended_licence",
            "暂扣或吊销证照名称及编号",
            Some("CF_NR_ZKDX"),
            &[],
            T::Text,
            C,
        )
        .syn(&["暂扣或吊销证照名称"]),
        f(
            "decision_date",
            "处罚决定日期",
            Some("CF_JDRQ"),
            &["CF_JDRQ"],
            T::Date,
            R,
        )
        .syn(&["决定日期", "处罚日期"]),
        f(
            "penalty_valid_until",
            "处罚有效期",
            Some("CF_YXQ"),
            &[],
            T::DateOrLong,
            O,
        ),
        f(
            "display_until_given",
            "公示截止期",
            Some("CF_GSJZQ"),
            &[],
            T::Date,
            O,
        )
        .syn(&["公示截止日期"]),
        f(
            "authority",
            "处罚机关",
            Some("CF_CFJG"),
            &["CF_XZJG"],
            T::Text,
            R,
        )
        .syn(&["处罚机关名称", "作出处罚决定的机关"]),
        f(
            "authority_uscc",
            "处罚机关统一社会信用代码",
            Some("CF_CFJGDM"),
            &[],
            T::Uscc,
            R,
        )
        .syn(&["处罚机关代码"]),
        f(
            "source_unit",
            "数据来源单位",
            Some("CF_SJLY"),
            &[],
            T::Text,
            R,
        )
        .syn(&["数据来源"]),
        f(
            "source_unit_uscc",
            "数据来源单位统一社会信用代码",
            Some("CF_SJLYDM"),
            &[],
            T::Uscc,
            R,
        )
        .syn(&["数据来源单位代码"]),
        f("severity", "失信严重程度", None, &[], T::Enum, O)
            .syn(&["严重程度"])
            .options(&["轻微", "一般", "严重"]),
        f("area_code", "地方编码", None, &["DFBM"], T::AreaCode, O).syn(&["行政区划代码"]),
        f("remark", "备注", Some("BZ"), &["BZ"], T::FreeText, O).max(1000),
        f("state", "当前状态", None, &["CF_ZT"], T::Enum, O)
            .syn(&["处罚状态", "状态"])
            .options(PENALTY_STATES),
    ]
}

/// Fields common to the list classes (red, black, watch): DOMAIN §8.
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

/// The built-in classes of DOMAIN §5 and §8, in catalogue order.
pub fn builtin_classes() -> Vec<ClassSpec> {
    vec![
        class(LICENCE, "行政许可", Storage::Typed, licence_fields()),
        class(PENALTY, "行政处罚", Storage::Typed, penalty_fields()),
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
