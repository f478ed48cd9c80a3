//! Row checks against the planted faults of the collection acceptance test.
use super::row::{
    check, Authority, Checked, Context, RegistryEntry, SubjectKey, SubjectKind, Unit,
};
use super::rules as r;
use crate::rules::catalog::{builtin_classes, ClassSpec};
use crate::rules::date::Ymd;
use crate::rules::disclosure::{Regime, Severity};
use crate::rules::mask::MaskRule;

const TODAY: Ymd = Ymd::new(2026, 11, 29);

fn penalty() -> ClassSpec {
    builtin_classes().remove(1)
}

fn licence() -> ClassSpec {
    builtin_classes().remove(0)
}

fn unit() -> Unit {
    Unit {
        name: "湘西州市场监督管理局".into(),
        uscc: Some(unit_uscc()),
        county_code: Some("433100".into()),
    }
}

fn row(spec: &ClassSpec, pairs: &[(&str, &str)]) -> Vec<String> {
    let mut v = vec![String::new(); spec.fields.len()];
    for (k, val) in pairs {
        v[spec.index_of(k).unwrap_or_else(|| panic!("no field {k}"))] = val.to_string();
    }
    v
}

fn good_penalty() -> Vec<(&'static str, &'static str)> {
    vec![
        ("subject_name", "湘西某某商贸有限公司"),
        ("subject_category", "法人及非法人组织"),
        ("subject_uscc", "91433101MA4L0XXX0X"),
        ("legal_rep", "张三"),
        ("decision_no", "湘西市监罚〔2026〕12号"),
        ("violation_type", "销售不合格产品"),
        ("violation_facts", "经查，当事人销售不合格产品。"),
        ("legal_basis", "《产品质量法》第四十九条"),
        ("categories", "警告；罚款"),
        ("content", "警告并处罚款0.5万元"),
        ("fine", "0.5"),
        ("decision_date", "2026/3/7"),
        ("authority", "湘西州市场监督管理局"),
    ]
}

fn run(spec: &ClassSpec, pairs: &[(&str, &str)]) -> Checked {
    let regime = Regime::regime_2025();
    let unit = unit();
    let ctx = Context {
        today: TODAY,
        regime: &regime,
        unit: &unit,
        supplied: None,
        id_mask: MaskRule::RESIDENT_ID,
        authorities: &[],
    };
    check(spec, &ctx, row(spec, pairs), 7, None)
}

fn run_with(spec: &ClassSpec, pairs: &[(&str, &str)], authorities: &[Authority]) -> Checked {
    let regime = Regime::regime_2025();
    let unit = unit();
    let ctx = Context {
        today: TODAY,
        regime: &regime,
        unit: &unit,
        supplied: None,
        id_mask: MaskRule::RESIDENT_ID,
        authorities,
    };
    check(spec, &ctx, row(spec, pairs), 7, None)
}

fn codes(c: &Checked) -> Vec<&str> {
    c.faults.iter().map(|f| f.code.as_str()).collect()
}

fn with(
    base: Vec<(&'static str, &'static str)>,
    key: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = base.into_iter().filter(|(k, _)| *k != key).collect();
    v.push((key, value));
    v
}

fn unit_uscc() -> String {
    crate::rules::uscc::compose('1', '1', "433100", 77)
}

fn valid_uscc() -> &'static str {
    // A code composed by the rules themselves, in Jishou.
    Box::leak(crate::rules::uscc::compose('9', '1', "433101", 4242).into_boxed_str())
}

#[test]
fn a_clean_penalty_passes_and_is_filled_and_derived() {
    let spec = penalty();
    let c = run(&spec, &with(good_penalty(), "subject_uscc", valid_uscc()));
    assert!(!c.has_errors(), "{:?}", c.faults);
    assert_eq!(c.get(&spec, "decision_date"), "2026-03-07");
    assert_eq!(c.get(&spec, "categories"), "警告;罚款");
    assert_eq!(c.get(&spec, "source_unit"), "湘西州市场监督管理局");
    assert_eq!(c.get(&spec, "authority_uscc"), unit_uscc());
    let filled: Vec<&str> = c
        .filled
        .iter()
        .map(|(i, _)| spec.fields[*i].key.as_str())
        .collect();
    assert_eq!(
        filled,
        vec!["source_unit", "source_unit_uscc", "authority_uscc"]
    );
    let terms = c.penalty.unwrap();
    assert_eq!(terms.severity, Severity::General);
    assert_eq!(terms.display_until, Ymd::new(2027, 3, 7));
    assert_eq!(terms.fine_fen, Some(500_000));
    assert_eq!(c.kind, SubjectKind::Organisation);
    assert_eq!(c.subject, Some(SubjectKey::Uscc(valid_uscc().into())));
}

#[test]
fn bad_check_character_is_reported_with_its_code_and_row() {
    let spec = penalty();
    let mut code = valid_uscc().to_string();
    let last = code.pop().unwrap();
    code.push(if last == '0' { '1' } else { '0' });
    let code: &'static str = Box::leak(code.into_boxed_str());
    let c = run(&spec, &with(good_penalty(), "subject_uscc", code));
    assert_eq!(codes(&c), vec!["USCC_CHECK_CHAR"]);
    assert_eq!(c.faults[0].row, 7);
    assert_eq!(c.faults[0].field, "subject_uscc");
    assert!(
        c.faults[0].message.contains("第18位校验码错误"),
        "{}",
        c.faults[0].message
    );
}

#[test]
fn inverted_dates_are_reported() {
    let spec = licence();
    let c = run(
        &spec,
        &[
            ("subject_name", "湘西某某商贸有限公司"),
            ("subject_uscc", valid_uscc()),
            ("legal_rep", "李四"),
            ("decision_doc_name", "食品经营许可决定书"),
            ("decision_no", "JY14331010001"),
            ("licence_category", "普通"),
            ("content", "食品经营"),
            ("decision_date", "2026-01-05"),
            ("valid_from", "2026-01-05"),
            ("valid_to", "2021-01-04"),
            ("authority", "湘西州市场监督管理局"),
            ("state", "0"),
        ],
    );
    assert_eq!(codes(&c), vec![r::DATE_RANGE]);
    assert_eq!(c.get(&spec, "subject_category"), "法人及非法人组织");
    assert_eq!(c.get(&spec, "state"), "有效");
}

#[test]
fn missing_required_field_names_the_field() {
    let spec = penalty();
    let base: Vec<_> = with(good_penalty(), "subject_uscc", valid_uscc())
        .into_iter()
        .filter(|(k, _)| *k != "legal_basis")
        .collect();
    let c = run(&spec, &base);
    assert_eq!(codes(&c), vec![r::REQUIRED]);
    assert!(c.faults[0].message.contains("处罚依据"));
    assert!(c.faults[0].message.contains("CF_YJ"));
}

#[test]
fn fine_without_its_category_and_category_without_fine() {
    let spec = penalty();
    let c = run(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "categories",
            "警告",
        ),
    );
    assert!(
        codes(&c).contains(&r::FINE_WITHOUT_CATEGORY),
        "{:?}",
        codes(&c)
    );
    let c = run(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "fine",
            "",
        ),
    );
    assert_eq!(codes(&c), vec![r::FINE_MISSING]);
}

/// A resident ID built by the rules (吉首, born 1990-01-01), and its default public form.
fn jishou_id() -> String {
    crate::rules::resident_id::compose("433101", Ymd::new(1990, 1, 1), 201)
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
        .collect()
}

fn masked_id() -> String {
    crate::rules::mask::resident_id(&jishou_id())
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn unmasked_id_in_a_public_text_field_is_masked_with_a_warning() {
    let spec = penalty();
    let facts = "当事人张三（身份证号11010519491231002X）销售不合格产品。";
    let c = run(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "violation_facts",
            facts,
        ),
    );
    assert_eq!(codes(&c), vec![r::TEXT_ID]);
    assert!(
        !c.has_errors(),
        "the platform masks it: not the unit's fault"
    );
    assert_eq!(
        c.get(&spec, "violation_facts"),
        "当事人张三（身份证号110105********002X）销售不合格产品。"
    );
    assert!(
        c.faults[0].message.contains("违法事实"),
        "{}",
        c.faults[0].message
    );
    assert!(
        c.faults[0].message.contains("1 个身份证号码已脱敏"),
        "{}",
        c.faults[0].message
    );
    assert!(!c.faults[0].message.contains("11010519491231002X"));
    let i = spec.index_of("violation_facts").unwrap();
    assert_eq!(
        c.originals,
        vec![(i, facts.to_string())],
        "the original is kept for sealing"
    );
}

#[test]
fn full_width_spaced_and_zero_width_ids_are_masked() {
    let spec = penalty();
    let n = jishou_id();
    for written in [
        full_width(&n),
        format!("{} {} {} {}", &n[..6], &n[6..10], &n[10..14], &n[14..]),
        format!("{}\u{200B}{}\u{200C}{}", &n[..6], &n[6..14], &n[14..]),
        format!("{}\u{3000}{}", full_width(&n[..9]), &n[9..]),
    ] {
        let facts = leak(format!("经查，当事人（身份证：{written}）无照经营。"));
        let c = run(
            &spec,
            &with(
                with(good_penalty(), "subject_uscc", valid_uscc()),
                "violation_facts",
                facts,
            ),
        );
        assert!(!c.has_errors(), "{written}: {:?}", c.faults);
        assert_eq!(codes(&c), vec![r::TEXT_ID], "{written}");
        assert_eq!(
            c.get(&spec, "violation_facts"),
            format!("经查，当事人（身份证：{}）无照经营。", masked_id()),
            "{written}: the rest of the text is kept as written"
        );
    }
}

#[test]
fn ids_in_any_text_field_are_masked_even_the_decision_number() {
    let spec = penalty();
    let n = jishou_id();
    let decision = leak(format!("湘西市监罚〔2026〕{}号", full_width(&n)));
    let two = leak(format!("{n}与{}", full_width(&n)));
    let c = run(
        &spec,
        &with(
            with(
                with(good_penalty(), "subject_uscc", valid_uscc()),
                "decision_no",
                decision,
            ),
            "content",
            two,
        ),
    );
    assert!(!c.has_errors(), "{:?}", c.faults);
    assert_eq!(
        c.get(&spec, "decision_no"),
        format!("湘西市监罚〔2026〕{}号", masked_id())
    );
    assert_eq!(
        c.get(&spec, "content"),
        format!("{}与{}", masked_id(), masked_id())
    );
    let messages: Vec<&str> = c.faults.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("2 个身份证号码已脱敏")),
        "{messages:?}"
    );
    assert_eq!(c.originals.len(), 2);
}

#[test]
fn phones_split_by_spaces_are_masked() {
    let spec = penalty();
    let c = run(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "violation_facts",
            "举报人电话 138 1234 5678，经查属实。",
        ),
    );
    assert_eq!(codes(&c), vec![r::TEXT_PHONE]);
    assert!(!c.has_errors());
    assert_eq!(
        c.get(&spec, "violation_facts"),
        "举报人电话 138****5678，经查属实。"
    );
}

#[test]
fn switching_the_rule_off_silences_the_warning_but_still_masks() {
    let mut spec = penalty();
    spec.disabled_rules = vec![r::TEXT_ID.into(), r::TEXT_PHONE.into()];
    let c = run(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "violation_facts",
            "当事人（11010519491231002X，13812345678）销售不合格产品。",
        ),
    );
    assert!(codes(&c).is_empty(), "{:?}", c.faults);
    assert_eq!(
        c.get(&spec, "violation_facts"),
        "当事人（110105********002X，138****5678）销售不合格产品。"
    );
    assert_eq!(c.originals.len(), 1);
}

fn ecology_uscc() -> String {
    crate::rules::uscc::compose('1', '1', "433100", 78)
}

/// The register as the demo seed has it: short name, full name, aliases.
fn register() -> Vec<Authority> {
    vec![
        Authority::new(
            &unit_uscc(),
            [
                "湘西州市场监督管理局",
                "湘西土家族苗族自治州市场监督管理局",
                "州市场监管局",
            ],
        ),
        Authority::new(
            &ecology_uscc(),
            [
                "湘西州生态环境局",
                "湘西土家族苗族自治州生态环境局",
                "州生态环境局",
            ],
        ),
    ]
}

#[test]
fn authorities_written_by_any_of_their_names_get_their_code_from_the_register() {
    let spec = penalty();
    let base = with(good_penalty(), "subject_uscc", valid_uscc());
    for (written, code) in [
        ("湘西土家族苗族自治州市场监督管理局", unit_uscc()),
        ("湘西州市场监督管理局", unit_uscc()),
        ("　州市场监管局 ", unit_uscc()),
        ("湘西土家族苗族自治州 生态环境局", ecology_uscc()),
        ("州生态环境局", ecology_uscc()),
    ] {
        let c = run_with(
            &spec,
            &with(base.clone(), "authority", written),
            &register(),
        );
        assert!(!c.has_errors(), "{written}: {:?}", c.faults);
        assert_eq!(c.get(&spec, "authority_uscc"), code, "{written}");
        let i = spec.index_of("authority_uscc").unwrap();
        assert!(
            c.filled.contains(&(i, "信源单位名录".to_string())),
            "{written}: filled with its source {:?}",
            c.filled
        );
    }
    // A code the unit sent is kept.
    let given = leak(ecology_uscc());
    let c = run_with(
        &spec,
        &with(
            with(base.clone(), "authority_uscc", given),
            "authority",
            "湘西州市场监督管理局",
        ),
        &register(),
    );
    assert_eq!(c.get(&spec, "authority_uscc"), ecology_uscc());
}

#[test]
fn an_unknown_authority_is_the_only_fault_and_names_the_fix() {
    let spec = penalty();
    let base = with(good_penalty(), "subject_uscc", valid_uscc());
    let c = run_with(&spec, &with(base, "authority", "湘西州某某局"), &register());
    assert_eq!(codes(&c), vec![r::AUTHORITY_UNKNOWN]);
    assert_eq!(c.faults[0].field, "authority_uscc");
    assert!(
        c.faults[0].message.contains("湘西州某某局"),
        "{}",
        c.faults[0].message
    );
    assert!(
        c.faults[0].message.contains("别名"),
        "{}",
        c.faults[0].message
    );
    // Two departments claiming one name fill nothing rather than guess.
    let mut clash = register();
    clash.push(Authority::new(valid_uscc(), ["州市场监管局"]));
    assert_eq!(
        crate::rules::clean::row::authority_code(&clash, "州市场监管局"),
        None
    );
    assert_eq!(
        crate::rules::clean::row::authority_code(&clash, "湘西州市场监督管理局"),
        Some(unit_uscc().as_str())
    );
}

#[test]
fn a_revoked_v1_penalty_state_is_read() {
    let spec = penalty();
    let base = with(good_penalty(), "subject_uscc", valid_uscc());
    let c = run(&spec, &with(base.clone(), "state", "1"));
    assert!(!c.has_errors(), "{:?}", c.faults);
    assert_eq!(c.get(&spec, "state"), "撤销");
    assert_eq!(
        run(&spec, &with(base, "state", "0")).get(&spec, "state"),
        "有效"
    );
}

#[test]
fn future_decision_and_display_before_decision() {
    let spec = penalty();
    let base = with(good_penalty(), "subject_uscc", valid_uscc());
    let c = run(&spec, &with(base.clone(), "decision_date", "2027-01-01"));
    assert_eq!(codes(&c), vec![r::DATE_FUTURE]);
    let c = run(&spec, &with(base, "display_until_given", "2026-01-01"));
    assert_eq!(codes(&c), vec![r::DISPLAY_BEFORE_DECISION]);
}

#[test]
fn subject_kind_and_identifiers_must_agree() {
    let spec = penalty();
    let person = vec![
        ("subject_name", "张三"),
        ("subject_category", "自然人"),
        ("person_id", "11010519491231002X"),
        ("decision_no", "湘西市监罚〔2026〕13号"),
        ("violation_type", "无照经营"),
        ("violation_facts", "无照经营"),
        ("legal_basis", "《无证无照经营查处办法》"),
        ("categories", "罚款"),
        ("content", "罚款0.1万元"),
        ("fine", "0.1"),
        ("decision_date", "2026-03-07"),
        ("authority", "湘西州市场监督管理局"),
    ];
    let c = run(&spec, &person);
    assert!(!c.has_errors(), "{:?}", c.faults);
    assert_eq!(
        c.subject,
        Some(SubjectKey::Person("11010519491231002X".into()))
    );
    assert_eq!(codes(&c), vec![r::PERSON_PENALTY]);
    let c = run(&spec, &with(person.clone(), "subject_uscc", valid_uscc()));
    assert!(codes(&c).contains(&r::KIND_MISMATCH));
    let c = run(&spec, &with(person, "person_id", "110105194912310021"));
    assert!(codes(&c).contains(&r::ID_NUMBER));
}

#[test]
fn unknown_category_values_and_bad_amounts() {
    let spec = penalty();
    let base = with(good_penalty(), "subject_uscc", valid_uscc());
    let c = run(&spec, &with(base.clone(), "categories", "罚款;记过"));
    assert_eq!(codes(&c), vec![r::ENUM]);
    assert!(c.faults[0].message.contains("记过"));
    let c = run(&spec, &with(base.clone(), "fine", "-2"));
    assert!(codes(&c).contains(&r::MONEY_NEGATIVE));
    let c = run(&spec, &with(base, "fine", "五千"));
    assert!(codes(&c).contains(&r::MONEY));
}

#[test]
fn name_conflict_with_the_registry_is_a_warning() {
    let spec = penalty();
    let regime = Regime::regime_2025();
    let unit = unit();
    let ctx = Context {
        today: TODAY,
        regime: &regime,
        unit: &unit,
        supplied: None,
        id_mask: MaskRule::RESIDENT_ID,
        authorities: &[],
    };
    let registry = RegistryEntry {
        name: "湘西另一家有限公司".into(),
        legal_rep: Some("王五".into()),
        county_code: None,
    };
    let values = row(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "legal_rep",
            "",
        ),
    );
    let c = check(&spec, &ctx, values, 3, Some(&registry));
    assert_eq!(codes(&c), vec![r::NAME_CONFLICT]);
    assert!(!c.has_errors());
    assert_eq!(c.get(&spec, "legal_rep"), "王五");
}

#[test]
fn switched_off_rules_stay_silent_but_fixed_ones_cannot_be() {
    let mut spec = penalty();
    spec.disabled_rules = vec![r::FINE_WITHOUT_CATEGORY.into()];
    let c = run(
        &spec,
        &with(
            with(good_penalty(), "subject_uscc", valid_uscc()),
            "categories",
            "警告",
        ),
    );
    assert!(!codes(&c).contains(&r::FINE_WITHOUT_CATEGORY));
    assert!(r::RULES
        .iter()
        .filter(|x| !x.optional)
        .any(|x| x.code == r::REQUIRED));
}

#[test]
fn serious_categories_make_a_serious_penalty_with_its_window() {
    let spec = penalty();
    let c = run(
        &spec,
        &with(
            with(
                with(good_penalty(), "subject_uscc", valid_uscc()),
                "categories",
                "罚款;吊销许可证件",
            ),
            "suspended_licence",
            "食品经营许可证 JY14331010001",
        ),
    );
    assert!(!c.has_errors(), "{:?}", c.faults);
    let t = c.penalty.unwrap();
    assert_eq!(t.severity, Severity::Serious);
    assert_eq!(t.display_until, Ymd::new(2029, 3, 7));
    assert_eq!(t.repair_eligible_from, Ymd::new(2027, 3, 7));
}

#[test]
fn amount_rules_are_silent_when_the_file_cannot_carry_the_amount() {
    let spec = penalty();
    let regime = Regime::regime_2025();
    let unit = unit();
    // A v1 file: every column but the amounts.
    let supplied: Vec<bool> = spec
        .fields
        .iter()
        .map(|f| f.key != "fine" && f.key != "confiscated")
        .collect();
    let ctx = Context {
        today: TODAY,
        regime: &regime,
        unit: &unit,
        supplied: Some(&supplied),
        id_mask: MaskRule::RESIDENT_ID,
        authorities: &[],
    };
    let pairs = with(
        with(good_penalty(), "subject_uscc", valid_uscc()),
        "fine",
        "",
    );
    let c = check(&spec, &ctx, row(&spec, &pairs), 1, None);
    assert!(!codes(&c).contains(&r::FINE_MISSING), "{:?}", codes(&c));
    // With the column present but empty, the rule speaks.
    let all = vec![true; spec.fields.len()];
    let ctx = Context {
        supplied: Some(&all),
        ..ctx
    };
    let c = check(&spec, &ctx, row(&spec, &pairs), 1, None);
    assert!(codes(&c).contains(&r::FINE_MISSING));
}

fn precheck_ctx<'a>(regime: &'a Regime, unit: &'a Unit) -> Context<'a> {
    Context {
        today: TODAY,
        regime,
        unit,
        supplied: None,
        id_mask: MaskRule::RESIDENT_ID,
        authorities: &[],
    }
}

#[test]
fn precheck_reports_rows_rules_and_unknown_headers_like_the_server() {
    use super::precheck::precheck;
    let spec = penalty();
    let (regime, unit) = (Regime::regime_2025(), unit());
    let ctx = precheck_ctx(&regime, &unit);
    let good = valid_uscc();
    let csv = format!(
        "行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,处罚机关,备用列\n\
         湘西甲公司,法人及非法人组织,{good},张三,罚〔2026〕1号,违法,事实,依据,警告,警告,,2026-03-07,湘西州市场监督管理局,x\n\
         ,,,,,,,,,,,,,\n\
         湘西乙公司,法人及非法人组织,{good},李四,罚〔2026〕2号,违法,事实,依据,罚款,罚款,,2026-03-07,湘西州市场监督管理局,x\n"
    );
    let r = precheck(&spec, &ctx, &Default::default(), &csv);
    assert_eq!(r.unknown_headers, vec!["备用列".to_string()]);
    assert_eq!(r.rows, 2, "the blank line is skipped");
    assert_eq!(r.faulty_rows, 1);
    assert_eq!(r.warning_rows, 1, "a warning-only row is not faulty");
    let found: Vec<(u64, &str)> = r.faults.iter().map(|f| (f.row, f.code.as_str())).collect();
    // Row numbers count the blank line, as the server's do.
    assert_eq!(found, vec![(1, r::MINOR_WARNING), (3, r::FINE_MISSING)]);
    assert_eq!(r.by_rule.len(), 2);
    assert!(!r.is_clean());

    let remembered = [("备用列".to_string(), super::headers::IGNORE.to_string())].into();
    let r = precheck(&spec, &ctx, &remembered, &csv);
    assert!(r.unknown_headers.is_empty(), "a remembered mapping is used");
}

#[test]
fn precheck_names_an_empty_file_and_stops_at_its_row_limit() {
    use super::precheck::{precheck, Prechecker, MAX_ROWS};
    let spec = penalty();
    let (regime, unit) = (Regime::regime_2025(), unit());
    let ctx = precheck_ctx(&regime, &unit);
    let r = precheck(&spec, &ctx, &Default::default(), "");
    assert!(r.unreadable.unwrap().contains("空"));
    let mut text = String::from("行政相对人名称\n");
    for i in 0..MAX_ROWS + 3 {
        text.push_str(&format!("公司{i}\n"));
    }
    let mut p = Prechecker::new(&spec, &Default::default(), &text);
    let mut steps = 0;
    while !p.is_done() {
        p.step(&ctx, 10_000);
        steps += 1;
    }
    assert!(steps > 1, "checked a slice at a time");
    assert_eq!(p.report.rows, MAX_ROWS);
    assert!(p.report.truncated);
    assert!(p
        .report
        .missing_required
        .contains(&"行政处罚决定书文号".to_string()));
}
