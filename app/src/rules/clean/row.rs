//! Checking one row of a data class: fill from trusted sources, then field rules, then the class's logic
//! rules (docs/domain.md §6.1–6.5). Pure: the server and the browser run exactly this.
use super::rules::{self as r, Fault, Level};
use super::values::{self, MoneyError};
use crate::rules::catalog::{
    ClassSpec, FieldType, Requirement, CATEGORY_INDIVIDUAL_BUSINESS, CATEGORY_ORGANISATION,
    CATEGORY_PERSON, LICENCE, PENALTY,
};
use crate::rules::date::Ymd;
use crate::rules::disclosure::{severity_from_categories, Regime, Severity};
use crate::rules::mask::MaskRule;
use crate::rules::{division, normalize, pii, resident_id, uscc};
use serde::{Deserialize, Serialize};

/// The uploading unit: the trusted source for the 数据来源单位 fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    pub uscc: Option<String>,
    pub county_code: Option<String>,
}

/// What the subject registry (法人库) already knows about a code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub name: String,
    pub legal_rep: Option<String>,
    pub county_code: Option<String>,
}

/// A department as the fill of an authority's code knows it: every name it goes by (full name, short
/// name, aliases), normalised, and its code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    names: Vec<String>,
    uscc: String,
}

impl Authority {
    pub fn new<'n>(uscc: &str, names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut list: Vec<String> = vec![];
        for n in names.into_iter().map(normalize_name) {
            if !n.is_empty() && !list.contains(&n) {
                list.push(n);
            }
        }
        Authority {
            names: list,
            uscc: normalize::identifier(uscc),
        }
    }

    pub fn uscc(&self) -> &str {
        &self.uscc
    }
}

/// A department's aliases as one text (stored `;`-separated; typed with ; ； 、 or new lines).
pub fn split_aliases(text: &str) -> Vec<String> {
    text.split([';', '；', '、', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The code of the one department that goes by `name`; none when no department does, or when
/// departments with different codes share the name.
pub fn authority_code<'a>(directory: &'a [Authority], name: &str) -> Option<&'a str> {
    let key = normalize_name(name);
    if key.is_empty() {
        return None;
    }
    let mut found: Option<&str> = None;
    for a in directory.iter().filter(|a| a.names.contains(&key)) {
        match found {
            Some(code) if code != a.uscc => return None,
            _ => found = Some(a.uscc.as_str()),
        }
    }
    found.filter(|c| !c.is_empty())
}

pub struct Context<'a> {
    pub today: Ymd,
    pub regime: &'a Regime,
    pub unit: &'a Unit,
    /// Per field: whether the source can carry it at all (its file has the column). v1 files have no
    /// amount columns, so "罚款 without an amount" is not their fault. `None`: every field can be sent.
    pub supplied: Option<&'a [bool]>,
    /// How ID numbers found in text are masked on the public copy (the disclosure policy's rule).
    pub id_mask: MaskRule,
    /// The department register, for filling authorities' codes (docs/domain.md §6.4).
    pub authorities: &'a [Authority],
}

impl Context<'_> {
    fn can_carry(&self, spec: &ClassSpec, key: &str) -> bool {
        match (self.supplied, spec.index_of(key)) {
            (None, _) => true,
            (Some(s), Some(i)) => s.get(i).copied().unwrap_or(false),
            (Some(_), None) => false,
        }
    }
}

/// How a record's subject is identified for matching and de-duplication (docs/domain.md §6.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubjectKey {
    Uscc(String),
    /// The normalised 18-digit number; the server turns it into its HMAC before storing anything.
    Person(String),
    /// Normalised name + area code: a weak key an operator confirms.
    NameArea(String, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubjectKind {
    Organisation,
    IndividualBusiness,
    Person,
}

impl SubjectKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            SubjectKind::Organisation => "organisation",
            SubjectKind::IndividualBusiness => "individual_business",
            SubjectKind::Person => "person",
        }
    }
}

/// Values computed for a penalty (docs/domain.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyTerms {
    pub severity: Severity,
    pub display_until: Ymd,
    pub repair_eligible_from: Ymd,
    pub fine_fen: Option<i64>,
    pub confiscated_fen: Option<i64>,
}

/// The outcome of checking one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// Canonical text per field: ISO dates, canonical options, normalised identifiers, trimmed text.
    pub values: Vec<String>,
    /// Fields filled from a trusted source: (field index, source).
    pub filled: Vec<(usize, String)>,
    pub faults: Vec<Fault>,
    pub kind: SubjectKind,
    pub subject: Option<SubjectKey>,
    pub penalty: Option<PenaltyTerms>,
    /// Text fields whose personal numbers were masked in `values`: (field index, the text as sent).
    /// Stored only encrypted, for authorised staff (docs/domain.md §3.3).
    #[serde(default)]
    pub originals: Vec<(usize, String)>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.faults.iter().any(Fault::is_error)
    }

    /// The value of field `i`; empty past the end (`values` has one entry per field).
    pub fn value(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }

    pub fn get<'a>(&'a self, spec: &ClassSpec, key: &str) -> &'a str {
        spec.index_of(key)
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }
}

struct Row<'a> {
    spec: &'a ClassSpec,
    row: u64,
    values: Vec<String>,
    faults: Vec<Fault>,
    originals: Vec<(usize, String)>,
}

impl Row<'_> {
    fn idx(&self, key: &str) -> Option<usize> {
        self.spec.index_of(key)
    }

    fn val(&self, key: &str) -> &str {
        self.idx(key).map_or("", |i| self.value(i))
    }

    /// The value of field `i` (`values` has one entry per field).
    fn value(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }

    fn set_value(&mut self, i: usize, value: String) {
        if let Some(slot) = self.values.get_mut(i) {
            *slot = value;
        }
    }

    fn label(&self, i: usize) -> String {
        let Some(f) = self.spec.fields.get(i) else {
            return String::new();
        };
        match &f.code_v2 {
            Some(code) => format!("“{}”（{}）", f.name, code),
            None => format!("“{}”", f.name),
        }
    }

    fn fault(&mut self, field: Option<usize>, code: &str, message: String) {
        if !self.spec.rule_enabled(code) {
            return;
        }
        let level = r::find(code).map_or(Level::Error, |rule| rule.level);
        self.faults.push(Fault {
            row: self.row,
            field: field
                .and_then(|i| self.spec.fields.get(i))
                .map(|f| f.key.clone())
                .unwrap_or_default(),
            code: code.to_string(),
            level,
            message,
        });
    }

    fn fault_at(&mut self, key: &str, code: &str, message: String) {
        let i = self.idx(key);
        self.fault(i, code, message);
    }
}

/// Checks one row. `raw` holds one value per catalogue field (see `headers::gather`); `row` is the
/// unit's row number, used in messages.
pub fn check(
    spec: &ClassSpec,
    ctx: &Context,
    raw: Vec<String>,
    row: u64,
    registry: Option<&RegistryEntry>,
) -> Checked {
    let mut r = Row {
        spec,
        row,
        values: raw,
        faults: Vec::new(),
        originals: Vec::new(),
    };
    r.values.resize(spec.fields.len(), String::new());
    let mut filled = Vec::new();
    fill(&mut r, ctx, registry, &mut filled);
    for i in 0..spec.fields.len() {
        check_field(&mut r, ctx, i);
    }
    let kind = subject_kind(&mut r);
    let penalty = match spec.code.as_str() {
        PENALTY => penalty_rules(&mut r, ctx),
        LICENCE => {
            licence_rules(&mut r, ctx);
            None
        }
        _ => None,
    };
    let subject = subject_key(&mut r, ctx, kind);
    if let (Some(reg), Some(SubjectKey::Uscc(code))) = (registry, &subject) {
        let name = r.val("subject_name").to_string();
        if !name.is_empty() && normalize_name(&name) != normalize_name(&reg.name) {
            r.fault_at(
                "subject_name",
                r::NAME_CONFLICT,
                format!(
                    "名称“{name}”与法人库中代码 {code} 的名称“{}”不一致：已记为待核实任务，请核对名称或代码。",
                    reg.name
                ),
            );
        }
    }
    Checked {
        values: r.values,
        filled,
        faults: r.faults,
        kind,
        subject,
        penalty,
        originals: r.originals,
    }
}

/// Names compare without spaces and with half-width brackets: （湘西）and (湘西) are one name.
pub fn normalize_name(name: &str) -> String {
    normalize::to_half_width(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn fill(
    r: &mut Row,
    ctx: &Context,
    registry: Option<&RegistryEntry>,
    filled: &mut Vec<(usize, String)>,
) {
    let mut set = |r: &mut Row, key: &str, value: Option<String>, source: &str| {
        if let (Some(i), Some(v)) = (r.idx(key), value) {
            if r.value(i).trim().is_empty() && !v.is_empty() {
                r.set_value(i, v);
                filled.push((i, source.to_string()));
            }
        }
    };
    let unit = ctx.unit;
    set(r, "source_unit", Some(unit.name.clone()), "上报单位信息");
    // A department written by any of its names (full, short, alias) gets its code from the register;
    // the uploading unit is the source of last resort for its own fields.
    for (name_key, code_key) in [
        ("source_unit", "source_unit_uscc"),
        ("authority", "authority_uscc"),
    ] {
        let name = r.val(name_key).to_string();
        if let Some(code) = authority_code(ctx.authorities, &name) {
            set(r, code_key, Some(code.to_string()), REGISTER_SOURCE);
        } else if code_key == "source_unit_uscc"
            || normalize_name(&name) == normalize_name(&unit.name)
        {
            set(r, code_key, unit.uscc.clone(), "上报单位信息");
        }
    }
    if let Some(reg) = registry {
        set(r, "legal_rep", reg.legal_rep.clone(), "法人库");
    }
    // The category follows from the identifiers given; a person's number or a 92 code says it all.
    let inferred = if !r.val("subject_uscc").trim().is_empty() {
        let code = normalize::identifier(r.val("subject_uscc"));
        Some(if code.starts_with("92") {
            CATEGORY_INDIVIDUAL_BUSINESS
        } else {
            CATEGORY_ORGANISATION
        })
    } else if !r.val("person_id").trim().is_empty() {
        Some(CATEGORY_PERSON)
    } else {
        None
    };
    set(
        r,
        "subject_category",
        inferred.map(String::from),
        "由证件号码推断",
    );
}

/// Where a code filled from the department register says it came from.
const REGISTER_SOURCE: &str = "信源单位名录";

/// The name field whose department gives a code field its value.
fn named_by(code_key: &str) -> Option<&'static str> {
    match code_key {
        "authority_uscc" => Some("authority"),
        "source_unit_uscc" => Some("source_unit"),
        _ => None,
    }
}

fn check_field(r: &mut Row, ctx: &Context, i: usize) {
    let spec = r.spec;
    let Some(field) = spec.fields.get(i) else {
        return;
    };
    let (ty, requirement, max_len) = (field.field_type, field.requirement, field.max_len);
    let raw = r.value(i).trim().to_string();
    if raw.is_empty() {
        let named = named_by(&field.key)
            .and_then(|k| r.idx(k))
            .map(|n| (n, r.value(n).trim().to_string()))
            .filter(|(_, name)| !name.is_empty());
        if let (Some((n, name)), Requirement::Required) = (named, requirement) {
            let msg = format!(
                "{}“{name}”在信源单位名录中找不到对应的代码，无法补全{}：请填写该代码，或请信用办在“单位与区县”中为该单位登记此名称（全称、简称或别名）及其代码。",
                r.label(n),
                r.label(i)
            );
            r.fault(Some(i), r::AUTHORITY_UNKNOWN, msg);
        } else if requirement == Requirement::Required {
            let msg = format!("{}为空：此项必填，请补充后重新上传。", r.label(i));
            r.fault(Some(i), r::REQUIRED, msg);
        }
        r.set_value(i, String::new());
        return;
    }
    if raw.chars().count() > max_len {
        let msg = format!(
            "{}超过{max_len}个字（当前{}个字），请精简后重新上传。",
            r.label(i),
            raw.chars().count()
        );
        r.fault(Some(i), r::TOO_LONG, msg);
        return;
    }
    let canonical = match ty {
        FieldType::Text | FieldType::FreeText => Some(desensitise(r, ctx, i, &raw)),
        FieldType::Date | FieldType::DateOrLong => {
            let parsed = if ty == FieldType::Date {
                values::parse_date(&raw)
            } else {
                values::parse_date_or_long(&raw)
            };
            if parsed.is_none() {
                let long = if ty == FieldType::DateOrLong {
                    "，长期有效请填“长期”"
                } else {
                    ""
                };
                let msg = format!(
                    "{}“{raw}”不是有效日期：请填写如 2025-03-07 或 2025年3月7日 的日期{long}。",
                    r.label(i)
                );
                r.fault(Some(i), r::DATE, msg);
            }
            parsed.map(|d| d.iso())
        }
        FieldType::Money => match values::parse_wan_yuan(&raw) {
            Ok(fen) => Some(values::fen_to_wan_yuan(fen)),
            Err(MoneyError::Negative) => {
                let msg = format!("{}“{raw}”为负数：金额不能小于 0。", r.label(i));
                r.fault(Some(i), r::MONEY_NEGATIVE, msg);
                None
            }
            Err(_) => {
                let msg = format!(
                    "{}“{raw}”不是有效金额：请填写以万元为单位的数字，最多 6 位小数（如 0.5）。",
                    r.label(i)
                );
                r.fault(Some(i), r::MONEY, msg);
                None
            }
        },
        FieldType::Enum => match field.option_for(&raw) {
            Some(v) => Some(v.to_string()),
            None => {
                let msg = format!(
                    "{}“{raw}”不在取值范围内，应为：{}。",
                    r.label(i),
                    field.canonical_options().join(" / ")
                );
                r.fault(Some(i), r::ENUM, msg);
                None
            }
        },
        FieldType::MultiEnum => {
            let mut out: Vec<&str> = Vec::new();
            let mut bad: Vec<String> = Vec::new();
            for part in values::split_multi(&raw) {
                match field.option_for(part) {
                    Some(v) if !out.contains(&v) => out.push(v),
                    Some(_) => {}
                    None => bad.push(part.to_string()),
                }
            }
            if bad.is_empty() {
                Some(out.join(";"))
            } else {
                let msg = format!(
                    "{}中的“{}”不在取值范围内，应为：{}；多个值用分号分隔。",
                    r.label(i),
                    bad.join("、"),
                    field.canonical_options().join(" / ")
                );
                r.fault(Some(i), r::ENUM, msg);
                None
            }
        }
        FieldType::Uscc => match uscc::validate(&raw) {
            Ok(info) => {
                if !info.division_listed {
                    let msg = format!(
                        "{}的行政区划码 {} 不在 GB/T 2260 代码表中（可能是已撤销的旧代码），请核实。",
                        r.label(i),
                        info.division_code
                    );
                    r.fault(Some(i), r::USCC_DIVISION_UNLISTED, msg);
                }
                Some(info.code)
            }
            Err(e) => {
                let msg = format!("{}：{}", r.label(i), e.message());
                r.fault(Some(i), e.code(), msg);
                None
            }
        },
        FieldType::IdNumber => check_id_number(r, ctx, i, &raw),
        FieldType::AreaCode => {
            let code = normalize::identifier(&raw);
            if code.len() == 6 && division::is_listed(&code) {
                Some(code)
            } else {
                let msg = format!(
                    "{}“{raw}”不是有效的行政区划代码：应为 GB/T 2260 中的6位代码（如湘西州 433100）。",
                    r.label(i)
                );
                r.fault(Some(i), r::AREA_UNKNOWN, msg);
                None
            }
        }
    };
    r.set_value(i, canonical.unwrap_or(raw));
}

/// Masks personal numbers in a text field on the public copy and keeps the text as sent for sealing
/// (docs/domain.md §6.2: the platform's duty, a warning to the unit). Switching the warnings off silences
/// them; the masking itself cannot be switched off.
fn desensitise(r: &mut Row, ctx: &Context, i: usize, raw: &str) -> String {
    let m = pii::mask(raw, ctx.today, ctx.id_mask);
    if !m.changed() {
        return m.text;
    }
    r.originals.push((i, raw.to_string()));
    if m.ids > 0 {
        let msg = format!(
            "{}中的 {} 个身份证号码已脱敏：公开时显示为 {} 的形式，原文加密保存，仅授权人员可查看。",
            r.label(i),
            m.ids,
            ctx.id_mask.apply("433101199001012014")
        );
        r.fault(Some(i), r::TEXT_ID, msg);
    }
    if m.phones > 0 {
        let msg = format!(
            "{}中的 {} 个手机号码已脱敏：公开时显示为 138****1234 的形式，原文加密保存。",
            r.label(i),
            m.phones
        );
        r.fault(Some(i), r::TEXT_PHONE, msg);
    }
    m.text
}

/// The sibling type field of an ID number field: person_id ← person_id_type, legal_rep_id ← legal_rep_id_type.
fn check_id_number(r: &mut Row, ctx: &Context, i: usize, raw: &str) -> Option<String> {
    let type_key = format!(
        "{}_type",
        r.spec.fields.get(i).map_or("", |f| f.key.as_str())
    );
    let id_type = r.val(&type_key).trim().to_string();
    let resident = id_type.is_empty() || id_type == "身份证" || id_type == "居民身份证";
    if !resident {
        return Some(normalize::identifier(raw));
    }
    match resident_id::validate(raw, ctx.today) {
        Ok(info) => Some(info.number),
        Err(e) => {
            let msg = format!("{}：{}", r.label(i), e.message());
            r.fault(Some(i), r::ID_NUMBER, msg);
            None
        }
    }
}

fn subject_kind(r: &mut Row) -> SubjectKind {
    let category = r.val("subject_category").to_string();
    let uscc = r.val("subject_uscc").to_string();
    let person_id = r.val("person_id").to_string();
    let kind = match category.as_str() {
        CATEGORY_PERSON => SubjectKind::Person,
        CATEGORY_INDIVIDUAL_BUSINESS => SubjectKind::IndividualBusiness,
        _ => SubjectKind::Organisation,
    };
    if r.idx("subject_category").is_none() {
        // Classes without a category field (lists, commitments): the identifiers decide.
        return if uscc.is_empty() && !person_id.is_empty() {
            SubjectKind::Person
        } else if uscc.starts_with("92") {
            SubjectKind::IndividualBusiness
        } else {
            SubjectKind::Organisation
        };
    }
    match kind {
        SubjectKind::Organisation => {
            if uscc.is_empty() {
                r.fault_at(
                    "subject_uscc",
                    r::CONDITIONAL,
                    "行政相对人类别为法人及非法人组织时，统一社会信用代码必填，请补充。".into(),
                );
            } else if uscc.starts_with("92") {
                r.fault_at(
                    "subject_category",
                    r::KIND_MISMATCH,
                    format!("统一社会信用代码 {uscc} 属于个体工商户，行政相对人类别却是法人及非法人组织，请改正其一。"),
                );
            }
            if r.idx("legal_rep").is_some() && r.val("legal_rep").is_empty() {
                r.fault_at(
                    "legal_rep",
                    r::CONDITIONAL,
                    "行政相对人类别为法人及非法人组织时，法定代表人必填，请补充。".into(),
                );
            }
            if !person_id.is_empty() {
                r.fault_at(
                    "person_id",
                    r::KIND_MISMATCH,
                    "法人及非法人组织不应填写自然人证件号码：法定代表人证件请填在“法定代表人证件号码”。".into(),
                );
            }
        }
        SubjectKind::IndividualBusiness => {
            if !uscc.is_empty() && !uscc.starts_with("92") {
                r.fault_at(
                    "subject_category",
                    r::KIND_MISMATCH,
                    format!(
                        "个体工商户的统一社会信用代码应以 92 开头，{uscc} 不是，请核对类别或代码。"
                    ),
                );
            }
        }
        SubjectKind::Person => {
            if !uscc.is_empty() {
                r.fault_at(
                    "subject_uscc",
                    r::KIND_MISMATCH,
                    "行政相对人类别为自然人时不应填写统一社会信用代码，请核对类别。".into(),
                );
            }
            if person_id.is_empty() && r.idx("person_id").is_some() {
                r.fault_at(
                    "person_id",
                    r::CONDITIONAL,
                    "行政相对人类别为自然人时，证件号码必填，请补充。".into(),
                );
            }
        }
    }
    kind
}

fn date_of(r: &Row, key: &str) -> Option<Ymd> {
    Ymd::parse_iso(r.val(key))
}

fn not_in_future(r: &mut Row, ctx: &Context, key: &str) {
    if let Some(d) = date_of(r, key) {
        if d > ctx.today {
            let i = r.idx(key);
            let msg = format!(
                "{}{} 晚于今天（{}）：决定日期不能是将来的日期，请核对。",
                i.map(|i| r.label(i)).unwrap_or_default(),
                d.iso(),
                ctx.today.iso()
            );
            r.fault(i, r::DATE_FUTURE, msg);
        }
    }
}

fn licence_rules(r: &mut Row, ctx: &Context) {
    not_in_future(r, ctx, "decision_date");
    if let (Some(from), Some(to)) = (date_of(r, "valid_from"), date_of(r, "valid_to")) {
        if from > to {
            r.fault_at(
                "valid_to",
                r::DATE_RANGE,
                format!(
                    "有效期自 {} 晚于有效期至 {}：起止日期颠倒，请核对。",
                    from.iso(),
                    to.iso()
                ),
            );
        }
    }
}

fn penalty_rules(r: &mut Row, ctx: &Context) -> Option<PenaltyTerms> {
    not_in_future(r, ctx, "decision_date");
    let decision = date_of(r, "decision_date");
    let cats: Vec<String> = r
        .val("categories")
        .split(';')
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
    let has = |name: &str| cats.iter().any(|c| c == name);
    let fine = values::parse_wan_yuan(r.val("fine")).ok();
    let confiscated = values::parse_wan_yuan(r.val("confiscated")).ok();
    if fine.is_some_and(|f| f > 0) && !has("罚款") {
        r.fault_at(
            "fine",
            r::FINE_WITHOUT_CATEGORY,
            format!(
                "填写了罚款金额 {} 万元，但处罚类别中没有“罚款”：请在处罚类别中加上“罚款”，或删去金额。",
                r.val("fine")
            ),
        );
    }
    if has("罚款") && r.val("fine").is_empty() && ctx.can_carry(r.spec, "fine") {
        r.fault_at(
            "fine",
            r::FINE_MISSING,
            "处罚类别含“罚款”，罚款金额（万元）必填，请补充。".into(),
        );
    }
    if (has("没收违法所得") || has("没收非法财物"))
        && r.val("confiscated").is_empty()
        && ctx.can_carry(r.spec, "confiscated")
    {
        r.fault_at(
            "confiscated",
            r::CONFISCATION_MISSING,
            "处罚类别含没收违法所得或没收非法财物，没收金额（万元）必填，请补充。".into(),
        );
    }
    if (has("暂扣许可证件") || has("吊销许可证件"))
        && r.val("suspended_licence").is_empty()
        && ctx.can_carry(r.spec, "suspended_licence")
    {
        r.fault_at(
            "suspended_licence",
            r::SUSPENSION_MISSING,
            "处罚类别含暂扣或吊销许可证件，暂扣或吊销证照名称及编号必填，请补充。".into(),
        );
    }
    let given = date_of(r, "display_until_given");
    if let (Some(d), Some(g)) = (decision, given) {
        if g < d {
            r.fault_at(
                "display_until_given",
                r::DISPLAY_BEFORE_DECISION,
                format!(
                    "公示截止期 {} 早于处罚决定日期 {}：请核对两个日期。",
                    g.iso(),
                    d.iso()
                ),
            );
        }
    }
    if let (Some(d), Some(until)) = (decision, date_of(r, "penalty_valid_until")) {
        if until < d {
            r.fault_at(
                "penalty_valid_until",
                r::DATE_RANGE,
                format!(
                    "处罚有效期 {} 早于处罚决定日期 {}：请核对两个日期。",
                    until.iso(),
                    d.iso()
                ),
            );
        }
    }
    let severity = Severity::parse(r.val("severity"))
        .unwrap_or_else(|| severity_from_categories(cats.iter().map(String::as_str)));
    if severity == Severity::Minor {
        r.fault_at(
            "categories",
            r::MINOR_WARNING,
            "仅含警告或通报批评，属轻微失信：原则上不公示，公示最长3个月。".into(),
        );
    }
    if r.val("subject_category") == CATEGORY_PERSON {
        r.fault_at(
            "subject_category",
            r::PERSON_PENALTY,
            "自然人的行政处罚信息原则上不公示，将按平台设置处理并脱敏。".into(),
        );
    }
    let decision = decision?;
    Some(PenaltyTerms {
        severity,
        display_until: ctx.regime.display_until(decision, severity, given),
        repair_eligible_from: ctx.regime.repair_eligible_from(decision, severity),
        fine_fen: fine,
        confiscated_fen: confiscated,
    })
}

fn subject_key(r: &mut Row, ctx: &Context, kind: SubjectKind) -> Option<SubjectKey> {
    let uscc = r.val("subject_uscc");
    if !uscc.is_empty() {
        // An invalid code is already an error; guessing the subject by name would hide it.
        return uscc::validate(uscc)
            .ok()
            .map(|_| SubjectKey::Uscc(uscc.to_string()));
    }
    let person_id = r.val("person_id");
    if kind == SubjectKind::Person
        && !person_id.is_empty()
        && resident_id::validate(person_id, ctx.today).is_ok()
    {
        return Some(SubjectKey::Person(person_id.to_string()));
    }
    if kind == SubjectKind::Person {
        return None;
    }
    let name = normalize_name(r.val("subject_name"));
    if name.is_empty() {
        return None;
    }
    let area = Some(r.val("area_code").to_string())
        .filter(|a| !a.is_empty())
        .or_else(|| ctx.unit.county_code.clone())
        .unwrap_or_default();
    r.fault_at(
        "subject_uscc",
        r::SUBJECT_KEY_WEAK,
        format!("未提供统一社会信用代码，按名称“{name}”和区划 {area} 匹配主体，待信用办确认。"),
    );
    Some(SubjectKey::NameArea(name, area))
}
