//! Demo FAQ (常见问题): questions and answers about the platform in the CMS column `faq`, grouped by
//! their first tag, published the way the CMS publishes. The answers follow docs/domain.md (display
//! periods §7, reports §9, repair §10, objections §11, consultations §13).
use app::error::AppError;
use app::rules::date::Ymd;
use app::server::AppState;
use sqlx::Row;

/// (group tag, question, answer paragraphs), in the order the page shows them.
const ENTRIES: &[(&str, &str, &[&str])] = &[
    (
        "信用查询",
        "如何查询一家企业的信用信息？",
        &[
            "在首页或“信用信息查询”页面输入企业名称（可只输入其中的连续几个字）或18位统一社会信用代码，点击“查询”即可。",
            "查询结果页列出该主体的基本信息、行政许可、行政处罚以及红黑名单等信息。查询无需注册账号。",
        ],
    ),
    (
        "信用查询",
        "统一社会信用代码输错了怎么办？",
        &[
            "统一社会信用代码共18位，最后一位是校验码。可使用“统一社会信用代码校验”工具检查代码是否有效，工具会提示哪一位可能有误。",
        ],
    ),
    (
        "信用查询",
        "为什么查不到某个自然人的行政处罚信息？",
        &[
            "按照国家发展改革委令2023年第58号等规定，涉及自然人的行政处罚信息原则上不在网上公示；法律法规要求公示的，也会对姓名、身份证号等个人信息作脱敏处理。",
        ],
    ),
    (
        "双公示",
        "什么是“双公示”？",
        &[
            "“双公示”是指行政许可和行政处罚信息自作出决定之日起7个工作日内在“信用中国”网站和地方信用门户网站公开。",
            "本平台公示湘西州各行政机关报送的行政许可和行政处罚决定，可按主体名称、决定文书号、决定机关和日期检索。",
        ],
    ),
    (
        "双公示",
        "行政处罚信息要公示多长时间？",
        &[
            "公示期限按失信程度确定：轻微失信信息原则上不公示，确需公示的最长3个月；一般失信信息最短3个月、最长1年；严重失信信息最短1年、最长3年。",
            "公示期满后信息自动撤下，不再在网上显示。",
        ],
    ),
    (
        "信用修复",
        "行政处罚信息可以申请信用修复吗？",
        &[
            "可以。满足最短公示期限、已经纠正失信行为并履行了处罚决定规定的义务（如已缴纳罚款），并作出信用承诺的，可以申请信用修复。",
            "信用修复不收取任何费用，请警惕以“代办信用修复”为名收费的机构。",
        ],
    ),
    (
        "信用修复",
        "申请信用修复需要准备哪些材料，多久能办结？",
        &[
            "需提交信用修复申请书、已履行法定义务的证明材料和信用修复承诺书；委托他人办理的，还需提供授权委托书和代理人身份证明。",
            "决定机关在收到材料后3个工作日内提出意见，申请人一般在申请之日起10个工作日内收到办理结果。修复成功后，相关信息不再公示，信用报告中标注“已修复”。",
        ],
    ),
    (
        "异议申诉",
        "发现自己的信用信息有误，如何提出异议？",
        &[
            "信息主体或其代理人可对本主体的信息提出异议，理由包括信息错误、遗漏、重复、不应公开、超期公示或与决定机关记录不一致等。",
            "可通过本平台“异议申诉”栏目、电话、窗口或信函提出。受理后会给出查询码，凭查询码可随时查看办理进度。",
        ],
    ),
    (
        "异议申诉",
        "异议一般多久处理完？",
        &[
            "平台在2个工作日内决定是否受理，再用2个工作日核查平台自身的处理情况；需要信息提供单位核实的，一般在10个工作日内核实完毕后答复申请人。",
            "处理期间，相关信息会加注异议标记，必要时可暂停公示。",
        ],
    ),
    (
        "信用报告",
        "如何获取企业的信用报告？可以代替无违法违规证明吗？",
        &[
            "在企业的信用信息页面可申请公共信用信息报告或专项信用报告。专项信用报告可按需选择领域，查询期最长5年，可用于代替有关部门出具的无违法违规证明。",
        ],
    ),
    (
        "信用报告",
        "如何核验一份信用报告的真伪？",
        &[
            "每份报告都有报告编号、验证码和二维码。扫描二维码，或在“报告核验”页面输入验证码，即可查看平台留存的报告信息，与手中的报告对照。",
        ],
    ),
    (
        "平台使用",
        "在网上咨询问题，多久能得到答复？",
        &[
            "在“咨询”页面留言无需注册账号，提交后会得到一个查询码。工作人员一般在5个工作日内答复（节假日顺延），凭查询码即可查看答复。",
            "也可以先在本页搜索常见问题，多数问题可以直接找到答案。",
        ],
    ),
];

fn body(paragraphs: &[&str]) -> String {
    paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect()
}

/// Adds the questions and publishes them, oldest first so the page keeps this order.
pub async fn seed(state: &AppState, as_of: Ymd) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let start = as_of.add_days(-90);
    let mut tx = state.db.begin().await?;
    for (i, (group, question, answer)) in ENTRIES.iter().enumerate() {
        let published = format!("{}T02:00:00.000Z", start.add_days(i as i64).iso());
        let id: i64 = sqlx::query(
            "INSERT INTO articles (public_id, column_code, columns, title, summary, body_html, source, status, \
             published_at, created_at, updated_at, tags) \
             VALUES ($1, 'faq', '[\"faq\"]', $2, '', $3, '湘西州信用办', 'published', $4, $5, $5, $6) RETURNING id",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(*question)
        .bind(body(answer))
        .bind(&published)
        .bind(&now)
        .bind(*group)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        app::cms::service::live::put_live(&mut tx, id, &now).await?;
    }
    tx.commit().await?;
    Ok(())
}
