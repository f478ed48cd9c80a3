//! The cleaning rules' stable codes and Chinese descriptions (docs/domain.md §6). A fault carries one of these
//! codes; statistics, error reports, the API and the per-class switches all use them.
use serde::{Deserialize, Serialize};

/// Whether a fault stops the row from being published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Level::Error => "错误",
            Level::Warning => "提示",
        }
    }
}

/// One rule of the cleaning pipeline: (code, duty of docs/domain.md §6, short name, level, can be switched off).
pub struct Rule {
    pub code: &'static str,
    pub duty: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub optional: bool,
}

const fn rule(code: &'static str, duty: &'static str, name: &'static str, level: Level) -> Rule {
    Rule {
        code,
        duty,
        name,
        level,
        optional: true,
    }
}

const fn fixed(code: &'static str, duty: &'static str, name: &'static str, level: Level) -> Rule {
    Rule {
        code,
        duty,
        name,
        level,
        optional: false,
    }
}

use Level::{Error as E, Warning as W};

pub const REQUIRED: &str = "REQ_MISSING";
pub const CONDITIONAL: &str = "REQ_CONDITIONAL";
pub const TOO_LONG: &str = "LEN_EXCEEDED";
pub const ENUM: &str = "ENUM_INVALID";
pub const DATE: &str = "DATE_INVALID";
pub const DATE_FUTURE: &str = "DATE_FUTURE";
pub const DATE_RANGE: &str = "DATE_RANGE_INVERTED";
pub const DISPLAY_BEFORE_DECISION: &str = "DATE_DISPLAY_BEFORE_DECISION";
pub const MONEY: &str = "AMOUNT_INVALID";
pub const MONEY_NEGATIVE: &str = "AMOUNT_NEGATIVE";
pub const FINE_WITHOUT_CATEGORY: &str = "FINE_WITHOUT_CATEGORY";
pub const FINE_MISSING: &str = "FINE_AMOUNT_MISSING";
pub const CONFISCATION_MISSING: &str = "CONFISCATION_AMOUNT_MISSING";
pub const SUSPENSION_MISSING: &str = "SUSPENDED_LICENCE_MISSING";
pub const KIND_MISMATCH: &str = "SUBJECT_KIND_MISMATCH";
pub const AREA_UNKNOWN: &str = "AREA_CODE_UNKNOWN";
pub const USCC_DIVISION_UNLISTED: &str = "USCC_DIVISION_UNLISTED";
pub const TEXT_ID: &str = "TEXT_ID_UNMASKED";
pub const TEXT_PHONE: &str = "TEXT_PHONE_UNMASKED";
pub const ID_NUMBER: &str = "ID_NUMBER_INVALID";
pub const NAME_CONFLICT: &str = "NAME_CODE_CONFLICT";
pub const SUBJECT_KEY_WEAK: &str = "SUBJECT_KEY_UNCONFIRMED";
pub const DUPLICATE: &str = "DUPLICATE";
pub const KEY_CONFLICT: &str = "KEY_CONFLICT_IN_BATCH";
pub const MINOR_WARNING: &str = "SEVERITY_MINOR";
pub const PERSON_PENALTY: &str = "PERSON_PENALTY_HIDDEN";
pub const AUTHORITY_UNKNOWN: &str = "AUTHORITY_UNKNOWN";

/// Every rule the pipeline applies. USCC and resident-ID faults keep the codes of their own rules
/// (`USCC_*`, `RID_*`), listed here so that an operator sees and can count them.
pub const RULES: &[Rule] = &[
    fixed(REQUIRED, "逻辑校验", "必填项为空", E),
    rule(CONDITIONAL, "逻辑校验", "条件必填项为空", E),
    fixed(TOO_LONG, "逻辑校验", "内容超长", E),
    fixed(ENUM, "逻辑校验", "代码值不在取值范围内", E),
    fixed(DATE, "逻辑校验", "日期格式错误", E),
    rule(DATE_FUTURE, "逻辑校验", "决定日期晚于今天", E),
    rule(DATE_RANGE, "逻辑校验", "有效期起止颠倒", E),
    rule(
        DISPLAY_BEFORE_DECISION,
        "逻辑校验",
        "公示截止期早于决定日期",
        E,
    ),
    fixed(MONEY, "逻辑校验", "金额格式错误", E),
    rule(MONEY_NEGATIVE, "逻辑校验", "金额为负数", E),
    rule(
        FINE_WITHOUT_CATEGORY,
        "逻辑校验",
        "有罚款金额但处罚类别无“罚款”",
        E,
    ),
    rule(FINE_MISSING, "逻辑校验", "处罚类别含“罚款”但无罚款金额", E),
    rule(
        CONFISCATION_MISSING,
        "逻辑校验",
        "处罚类别含“没收”但无没收金额",
        E,
    ),
    rule(
        SUSPENSION_MISSING,
        "逻辑校验",
        "处罚类别含暂扣或吊销但无证照名称",
        E,
    ),
    rule(KIND_MISMATCH, "逻辑校验", "证件与主体类别不一致", E),
    rule(AREA_UNKNOWN, "逻辑校验", "行政区划代码不存在", E),
    fixed(
        "USCC_EMPTY",
        "统一社会信用代码校验",
        "统一社会信用代码为空",
        E,
    ),
    fixed(
        "USCC_LENGTH",
        "统一社会信用代码校验",
        "统一社会信用代码位数错误",
        E,
    ),
    fixed(
        "USCC_CHARSET",
        "统一社会信用代码校验",
        "统一社会信用代码含非法字符",
        E,
    ),
    fixed(
        "USCC_AUTHORITY",
        "统一社会信用代码校验",
        "登记管理部门代码错误",
        E,
    ),
    fixed(
        "USCC_ORG_TYPE",
        "统一社会信用代码校验",
        "机构类别代码错误",
        E,
    ),
    fixed(
        "USCC_DIVISION",
        "统一社会信用代码校验",
        "登记管理机关行政区划码错误",
        E,
    ),
    fixed(
        "USCC_ORG_CODE_CHECK",
        "统一社会信用代码校验",
        "组织机构代码校验码错误",
        E,
    ),
    fixed(
        "USCC_CHECK_CHAR",
        "统一社会信用代码校验",
        "统一社会信用代码校验码错误",
        E,
    ),
    rule(
        USCC_DIVISION_UNLISTED,
        "统一社会信用代码校验",
        "行政区划码不在代码表中",
        W,
    ),
    fixed(ID_NUMBER, "脱敏处理", "证件号码无效", E),
    // The platform masks them (the original is sealed): a warning with the count, never a rejection.
    // Switching these off silences the warning only.
    rule(TEXT_ID, "脱敏处理", "文本中的身份证号码已脱敏", W),
    rule(TEXT_PHONE, "脱敏处理", "文本中的手机号码已脱敏", W),
    rule(
        NAME_CONFLICT,
        "统一社会信用代码校验",
        "名称与法人库不一致",
        W,
    ),
    rule(
        SUBJECT_KEY_WEAK,
        "重复数据处理",
        "无代码主体，按名称和区划匹配，待确认",
        W,
    ),
    fixed(DUPLICATE, "重复数据处理", "重复数据（已忽略）", W),
    fixed(
        KEY_CONFLICT,
        "重复数据处理",
        "同一批次内同一记录出现两次且内容不同",
        E,
    ),
    rule(MINOR_WARNING, "逻辑校验", "轻微失信原则上不公示", W),
    rule(PERSON_PENALTY, "脱敏处理", "自然人处罚信息原则上不公示", W),
    fixed(
        AUTHORITY_UNKNOWN,
        "缺失补全",
        "机关名称不在信源单位名录中，无法补全代码",
        E,
    ),
];

/// Improvement advice for a unit whose rows often break a rule (the monthly quality report).
pub fn advice(code: &str) -> String {
    let specific = match code {
        REQUIRED | CONDITIONAL => "在业务系统中把目录要求的必填项设为必填，导出前按“错误说明”补全空白字段。",
        TOO_LONG => "检查导出的文本是否混入了附件内容或重复段落，超长内容请精简或拆分。",
        ENUM => "使用信用目录中的标准代码值（如处罚类别、相对人类别），不要自拟名称或简写。",
        DATE | DATE_FUTURE => "日期统一按 YYYY-MM-DD 填写，导出前核对决定日期不晚于导出当日。",
        DATE_RANGE | DISPLAY_BEFORE_DECISION => "核对起止日期的先后顺序，公示截止期不得早于决定日期。",
        MONEY | MONEY_NEGATIVE => "金额列只填数字，单位为万元，不要带“元”“万元”等文字。",
        FINE_WITHOUT_CATEGORY | FINE_MISSING | CONFISCATION_MISSING | SUSPENSION_MISSING => {
            "处罚类别与处罚内容要一致：有罚款金额的须含“罚款”类别，含“罚款”“没收”“暂扣/吊销”的须填写对应金额或证照。"
        }
        KIND_MISMATCH => "按主体类别填写证件：法人和个体工商户填统一社会信用代码，自然人填身份证号码。",
        AREA_UNKNOWN | USCC_DIVISION_UNLISTED => "行政区划代码使用现行国家标准（GB/T 2260）六位代码。",
        ID_NUMBER => "核对身份证号码的位数和校验位，录入时避免手工输入，优先从证照系统带出。",
        TEXT_ID | TEXT_PHONE => "平台已对文本中的身份证号、手机号自动脱敏；请在业务系统中脱敏后再导出，减少个人信息的流转。",
        AUTHORITY_UNKNOWN => "处罚（许可）机关请写单位全称或简称；名录中没有的写法请报信用办登记为别名，或在文件中填写机关的统一社会信用代码。",
        DUPLICATE | KEY_CONFLICT => "每次只报送新增或变更的记录；同一文书号的记录只保留一行，变更时整行更新。",
        NAME_CONFLICT => "主体名称以营业执照为准，与法人库不一致的请核实主体是否已更名。",
        c if c.starts_with("USCC_") => {
            "统一社会信用代码请从营业执照或国家企业信用信息公示系统复制，核对18位长度和校验位。"
        }
        _ => "",
    };
    let name = find(code).map_or(code, |r| r.name);
    if specific.is_empty() {
        format!("“{name}”问题较多：请对照错误报告逐条核实后重报。")
    } else {
        format!("“{name}”问题较多：{specific}")
    }
}

pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// One problem found in one row (or in the file, when `row` is 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// 1-based data row number as the unit sees it in its file (header row excluded), 0 for the file.
    pub row: u64,
    /// Catalogue field key, or empty for the whole row.
    pub field: String,
    pub code: String,
    pub level: Level,
    pub message: String,
}

impl Fault {
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_uscc_codes_are_listed() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate rule code");
        use crate::rules::uscc::UsccError as U;
        for e in [
            U::Empty,
            U::WrongLength { len: 1 },
            U::ForbiddenChar {
                position: 1,
                ch: 'I',
            },
            U::UnknownAuthority { ch: 'B' },
            U::UnknownOrgType {
                authority: '9',
                ch: '9',
            },
            U::BadDivision {
                code: "990000".into(),
            },
            U::OrgCodeCheck {
                expected: '1',
                found: '2',
            },
            U::CheckChar {
                expected: '1',
                found: '2',
            },
        ] {
            assert!(find(e.code()).is_some(), "{} not listed", e.code());
        }
    }
}
