//! Demo consultations (群众咨询) of the help centre in each state: answered and published as public
//! Q&A, answered (the asker did not agree to publication), routed to a unit, and new. Dated relative
//! to the seed's day so that none is overdue: the demo site's health board shows no failure.
use app::error::AppError;
use app::help::consult::{self, Status, CODE_LEN};
use app::rules::date::Ymd;
use app::server::{calendar, AppState};
use sqlx::Row;

struct Demo {
    topic: &'static str,
    question: &'static str,
    name: &'static str,
    contact: &'static str,
    /// Days before the seed's day it was received.
    days_ago: i64,
    /// The unit's code it was routed to (`None`: answered by the credit office itself, or new).
    unit: Option<&'static str>,
    status: Status,
    answer: Option<&'static str>,
    consent: bool,
    published: bool,
}

const DEMOS: &[Demo] = &[
    Demo {
        topic: "repair",
        question: "我公司去年因未按时报送年度报告被列入经营异常名录，现已补报。请问在本平台上显示的这条信息如何申请信用修复？需要准备哪些材料？",
        name: "向先生",
        contact: "13907431234",
        days_ago: 24,
        unit: Some("scjg"),
        status: Status::Answered,
        answer: Some("您好！被列入经营异常名录的企业补报年度报告后，可通过国家企业信用信息公示系统（湖南）向作出列入决定的市场监管部门申请移出经营异常名录。移出后，本平台的相关信息将同步更新。\n申请时一般需提交：移出申请书、补报的年度报告、营业执照复印件和经办人身份证明。具体材料以受理窗口的要求为准。如有疑问，可拨打湘西州市场监督管理局信用监管科电话咨询。"),
        consent: true,
        published: true,
    },
    Demo {
        topic: "report",
        question: "我们参加吉首市一个政府采购项目，招标文件要求提供公共信用信息报告。请问报告在哪里下载？对方怎么核验报告真伪？",
        name: "彭女士",
        contact: "peng.xm@163.com",
        days_ago: 17,
        unit: None,
        status: Status::Answered,
        answer: Some("您好！在本平台“信用信息查询”中搜索贵单位名称，进入主体页面后点击“申请信用报告”，填写申请人和查询用途即可免费生成公共信用信息报告（PDF）。\n报告首页印有验证码和二维码，采购人可在本平台“信用报告核验”页面输入验证码或上传报告文件核验真伪，也可扫描二维码直接核验。"),
        consent: true,
        published: true,
    },
    Demo {
        topic: "query",
        question: "我公司在凤凰县取得的食品经营许可证，在本平台上查不到，是没有公示吗？",
        name: "龙先生",
        contact: "0743-3221876",
        days_ago: 10,
        unit: Some("scjg"),
        status: Status::Answered,
        answer: Some("您好！经核实，贵公司的食品经营许可信息已由许可机关报送，因数据报送周期原因于近日完成公示，现可在“双公示”栏目查询到。行政许可信息应在作出决定之日起7个工作日内公示，如发现超期未公示，可继续通过本平台留言反映。"),
        consent: true,
        published: true,
    },
    Demo {
        topic: "objection",
        question: "平台上显示我公司有一条环保行政处罚，但该处罚决定已经被法院判决撤销了，请问怎么申请更正？",
        name: "田先生",
        contact: "13574321098",
        days_ago: 8,
        unit: Some("sthj"),
        status: Status::Answered,
        answer: Some("您好！处罚决定被撤销的，请持人民法院的生效判决书向湘西州生态环境局提出信息更正申请，我局核实后将撤回原公示信息并报送撤销结果，平台将在3个工作日内完成更新。您也可以在本平台“异议申诉”栏目在线提交异议申请。"),
        consent: false,
        published: false,
    },
    Demo {
        topic: "submission",
        question: "我们是泸溪县的一家运输企业，交通运输部门对我们的处罚已经按要求整改完毕，请问信息公示期是多久？到期后会自动撤下吗？",
        name: "张女士",
        contact: "18174321567",
        days_ago: 1,
        unit: Some("jt"),
        status: Status::Routed,
        answer: None,
        consent: true,
        published: false,
    },
    Demo {
        topic: "other",
        question: "保靖县一家黄金茶专业合作社想了解守信激励政策：信用记录良好的企业在申请银行贷款方面有哪些优惠？",
        name: "彭先生",
        contact: "15907436688",
        days_ago: 0,
        unit: None,
        status: Status::New,
        answer: None,
        consent: true,
        published: false,
    },
];

/// A fixed tracking code per demo (the seed is deterministic).
fn code(i: usize) -> String {
    let random: [u32; CODE_LEN - 1] =
        std::array::from_fn(|k| (i as u32 + 3) * 7919 + (k as u32) * 104_729);
    consult::tracking_code(&random)
}

/// A timestamp on `day` at `hour` Beijing time (UTC text).
fn at(day: Ymd, hour: u32) -> String {
    format!("{}T{:02}:17:00Z", day.iso(), hour.saturating_sub(8))
}

/// Adds the demo consultations; returns how many.
pub async fn seed(state: &AppState, as_of: Ymd) -> Result<usize, AppError> {
    let cal = calendar::load(&state.db).await?;
    let mut tx = state.db.begin().await?;
    for (i, d) in DEMOS.iter().enumerate() {
        let received = as_of.add_days(-d.days_ago);
        let due = consult::due_on(&cal, received, consult::DEFAULT_ANSWER_DAYS);
        let dept: Option<i64> = match d.unit {
            Some(code) => sqlx::query("SELECT id FROM departments WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("id"))
                .transpose()?,
            None => None,
        };
        // Answered a few working days after it came in, before it was due.
        let answered_on = cal.add_working_days(received, 3).min(as_of);
        let contact = consult::parse_contact(d.contact)
            .ok_or_else(|| AppError::internal("demo consultation", d.contact))?;
        let answered = d.status == Status::Answered;
        let public = |t: &str| t.replace(d.name, &app::rules::mask::person_name(d.name));
        sqlx::query(
            "INSERT INTO consultations (public_id, tracking_code, topic, question, asker_name, contact_enc, \
             contact_masked, consent_publish, status, department_id, received_on, due_on, created_at, \
             routed_at, routed_by, answer, answered_at, answered_by, published, published_at, \
             public_question, public_answer, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
             $21, $22, $13)",
        )
        .bind(format!("demo-consult-{}", i + 1))
        .bind(code(i))
        .bind(d.topic)
        .bind(d.question)
        .bind(d.name)
        .bind(state.secrets.encrypt_id(contact.value()))
        .bind(contact.masked())
        .bind(i64::from(d.consent))
        .bind(d.status.code())
        .bind(dept)
        .bind(received.iso())
        .bind(due.iso())
        .bind(at(received, 9))
        .bind(dept.map(|_| at(received, 15)))
        .bind(dept.map(|_| "信用办业务员（演示）"))
        .bind(d.answer)
        .bind(answered.then(|| at(answered_on, 16)))
        .bind(answered.then_some(if dept.is_some() { "承办单位经办人" } else { "信用办业务员（演示）" }))
        .bind(i64::from(d.published))
        .bind(d.published.then(|| at(answered_on, 17)))
        .bind(d.published.then(|| public(d.question)))
        .bind(d.answer.filter(|_| d.published).map(public))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(DEMOS.len())
}
