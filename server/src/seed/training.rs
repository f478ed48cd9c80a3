//! Demo training (培训): a repair training that took place (three people signed in, each with a
//! certificate number), a platform training to come, and two handouts in the materials column
//! (培训资料), generated here as PDF files and stored the way an editor's upload is.
use app::credit::service::pdf::{self, Block, Doc, Style};
use app::error::AppError;
use app::help::training::rules;
use app::portal::model::Attachment;
use app::rules::date::Ymd;
use app::server::authz::Caller;
use app::server::AppState;
use sqlx::Row;

const SOURCE: &str = "湘西州社会信用体系建设领导小组办公室";

struct Session {
    title: &'static str,
    kind: &'static str,
    /// Days from the seed's day (negative: past).
    days: i64,
    time: &'static str,
    place: &'static str,
    capacity: i64,
    status: &'static str,
}

const PAST: Session = Session {
    title: "信用修复专题培训（第四期）",
    kind: "repair",
    days: -12,
    time: "09:30",
    place: "湘西州政务服务中心三楼第二会议室（吉首市世纪大道）",
    capacity: 40,
    status: "done",
};

const UPCOMING: Session = Session {
    title: "湘西州公共信用信息平台使用及双公示数据报送培训",
    kind: "platform",
    days: 9,
    time: "14:30",
    place: "线上会议（腾讯会议，会议号由组织单位通知）",
    capacity: 120,
    status: "planned",
};

/// (name, organisation, USCC, phone) of the repair training's attendees. The codes pass the check
/// digits but are made up for the demo, not real companies'.
const ATTENDEES: &[(&str, &str, &str, &str)] = &[
    (
        "向建华",
        "吉首市武陵商贸有限公司",
        "91433101MA4L123461",
        "13907431234",
    ),
    (
        "彭丽萍",
        "凤凰县沱江旅游服务有限公司",
        "91433123MA4P67893P",
        "18974367821",
    ),
    (
        "田志军",
        "泸溪县鑫达运输有限公司",
        "91433122MA4Q24683T",
        "15874321096",
    ),
];

async fn insert_session(
    state: &AppState,
    s: &Session,
    as_of: Ymd,
    now: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query(
        "INSERT INTO training_sessions (public_id, title, kind, session_date, start_time, place, department_id, \
         capacity, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, '湘西州信用办', $9, $9) RETURNING id",
    )
    .bind(uuid::Uuid::now_v7().simple().to_string())
    .bind(s.title)
    .bind(s.kind)
    .bind(as_of.add_days(s.days).iso())
    .bind(s.time)
    .bind(s.place)
    .bind(s.capacity)
    .bind(s.status)
    .bind(now)
    .fetch_one(&state.db.pool)
    .await?
    .try_get(0)?)
}

/// The repair training's sign-in list: everyone signed in at the start, with a certificate number.
async fn insert_attendees(state: &AppState, session_id: i64, day: Ymd) -> Result<(), AppError> {
    for (i, (name, organisation, uscc, phone)) in ATTENDEES.iter().enumerate() {
        let signed = format!("{}T01:{:02}:00.000Z", day.iso(), 20 + i);
        sqlx::query(
            "INSERT INTO training_attendees (public_id, session_id, name, organisation, uscc, phone_enc, \
             phone_masked, signed_in_at, certificate_no, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $8)",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(session_id)
        .bind(*name)
        .bind(*organisation)
        .bind(*uscc)
        .bind(state.secrets.encrypt_id(phone))
        .bind(app::rules::mask::phone(phone))
        .bind(&signed)
        .bind(rules::certificate_no(day.year, i as i64 + 1))
        .execute(&state.db.pool)
        .await?;
    }
    Ok(())
}

/// A handout: (file name, title, summary, paragraphs).
type Handout = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const HANDOUTS: &[Handout] = &[
    (
        "信用修复培训讲义.pdf",
        "信用修复培训讲义",
        "信用修复的条件、申请材料、办理时限和信用承诺，供参加信用修复培训的企业使用。",
        &[
            "一、可以申请修复的情形：行政处罚信息公示期满最短公示期，且已履行行政处罚决定规定的义务、纠正失信行为。",
            "二、申请材料：信用修复申请书、履行义务的证明材料、信用承诺书；委托代理人办理的，另附授权委托书和代理人身份证明。",
            "三、办理时限：认定部门自收到申请之日起 3 个工作日内作出是否受理的决定，申请人自申请之日起 10 个工作日内获得结果。",
            "四、修复完成后，相关信息在本平台停止公示，信用报告中标注“已修复”。信用修复不收取任何费用。",
            "五、参加信用修复培训并签到的，获得培训证书编号，申请信用修复时填写该编号。",
        ],
    ),
    (
        "双公示数据报送操作手册.pdf",
        "双公示数据报送操作手册",
        "信源单位报送行政许可、行政处罚信息的操作步骤、校验规则和常见错误。",
        &[
            "一、报送时限：行政许可、行政处罚信息应在作出决定之日起 7 个工作日内报送并公示。",
            "二、报送方式：在“数据报送”中下载模板，按模板填写后上传；也可通过接口报送。",
            "三、校验规则：统一社会信用代码须通过校验位检查；决定日期不得晚于报送日期；处罚依据须写明法律法规名称和条款。",
            "四、常见错误：代码缺位或含空格、把决定文书号写入处罚事由、日期格式不正确。校验未通过的记录可在“数据质量”中查看原因并更正后重报。",
        ],
    ),
];

fn handout_pdf(title: &str, paragraphs: &[&str]) -> Result<Vec<u8>, AppError> {
    let mut blocks = vec![
        Block::Centered(Style::Title, title.to_string()),
        Block::Centered(Style::Note, SOURCE.to_string()),
        Block::Rule,
    ];
    blocks.extend(
        paragraphs
            .iter()
            .map(|p| Block::Text(Style::Body, 0.0, (*p).to_string())),
    );
    pdf::render(&Doc {
        title: title.to_string(),
        blocks,
        qr_url: "/help/training".into(),
        footer: format!("{SOURCE} · 培训资料"),
    })
}

/// Writes the handouts into the materials column and publishes them; answers how many.
async fn handouts(state: &AppState, caller: &Caller, as_of: Ymd) -> Result<u64, AppError> {
    let now = state.clock.now_text();
    for (i, (file, title, summary, paragraphs)) in HANDOUTS.iter().enumerate() {
        let bytes = handout_pdf(title, paragraphs)?;
        let stored: Attachment =
            app::cms::service::uploads::store(state, caller, file, &bytes).await?;
        let attachments =
            serde_json::to_string(&[stored]).map_err(|e| AppError::internal("seed", e))?;
        let body = paragraphs
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>();
        let day = as_of.add_days(-(i as i64 * 5 + 13));
        let mut tx = state.db.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO articles (public_id, column_code, columns, title, summary, body_html, source, author, status, \
             published_at, attachments, created_by, created_at, updated_at) \
             VALUES ($1, 'training', '[\"training\"]', $2, $3, $4, $5, '湘西州信用办', 'published', $6, $7, $8, $9, $9) \
             RETURNING id",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(*title)
        .bind(*summary)
        .bind(&body)
        .bind(SOURCE)
        .bind(format!("{}T02:00:00.000Z", day.iso()))
        .bind(&attachments)
        .bind(caller.user.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        app::cms::service::live::put_live(&mut tx, id, &now).await?;
        tx.commit().await?;
    }
    Ok(HANDOUTS.len() as u64)
}

/// Seeds the sessions (once) and the handouts; answers how many articles were written.
pub async fn seed(state: &AppState, as_of: Ymd) -> Result<u64, AppError> {
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM training_sessions")
        .fetch_one(&state.db.pool)
        .await?
        .try_get(0)?;
    if existing > 0 {
        return Ok(0);
    }
    let now = state.clock.now_text();
    let past = insert_session(state, &PAST, as_of, &now).await?;
    insert_attendees(state, past, as_of.add_days(PAST.days)).await?;
    insert_session(state, &UPCOMING, as_of, &now).await?;
    let caller = super::site_content::editor(state).await?;
    handouts(state, &caller, as_of).await
}
