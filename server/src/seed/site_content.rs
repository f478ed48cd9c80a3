//! The demo portal's service content: guides for 信用服务 and 办事指南, and forms to download, so
//! that every article column of the demo site has real content and the site passes its own health
//! board (issue 19). The forms are generated here and stored the way an editor's upload is.
use app::auth::model::Role;
use app::error::AppError;
use app::portal::model::Attachment;
use app::rules::date::Ymd;
use app::server::authz::Caller;
use app::server::session::{RequestMeta, SessionUser};
use app::server::AppState;
use sqlx::Row;
use std::collections::HashMap;
use std::io::Write;

/// A form offered for download.
enum Form {
    /// A fill-in sheet: (item, what to write) rows under a header.
    Sheet {
        file: &'static str,
        sheet: &'static str,
        rows: &'static [(&'static str, &'static str)],
    },
    /// A letter template: its paragraphs, the first one its title.
    Letter {
        file: &'static str,
        paragraphs: &'static [&'static str],
    },
}

impl Form {
    fn file_name(&self) -> &'static str {
        match self {
            Form::Sheet { file, .. } | Form::Letter { file, .. } => file,
        }
    }
}

struct Guide {
    column: &'static str,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    forms: &'static [Form],
}

const SOURCE: &str = "湘西州社会信用体系建设领导小组办公室";

const REPAIR_SHEET: Form = Form::Sheet {
    file: "信用修复申请表.xlsx",
    sheet: "信用修复申请表",
    rows: &[
        ("申请主体名称", "与营业执照一致的全称"),
        ("统一社会信用代码", "18 位代码，可在“代码校验”页核对"),
        ("法定代表人（负责人）", ""),
        ("经办人姓名及联系电话", "委托他人办理的，另附授权委托书"),
        ("拟修复信息类别", "行政处罚信息 / 严重失信主体名单 / 其他"),
        ("行政处罚决定书文号", "例如：湘西市监罚〔2026〕12号"),
        ("作出决定的部门", ""),
        ("履行义务情况", "罚款缴纳、整改完成等情况，附证明材料"),
        (
            "最短公示期届满日期",
            "以平台记录页显示的“可申请修复日期”为准",
        ),
        ("申请事项", "申请提前停止公示该条信息"),
        ("申请主体（盖章）及日期", ""),
    ],
};

const COMMITMENT_LETTER: Form = Form::Letter {
    file: "信用修复承诺书（范本）.docx",
    paragraphs: &[
        "信用修复承诺书",
        "本单位（名称：__________，统一社会信用代码：__________）就行政处罚决定书（文号：__________）所涉失信行为申请信用修复，现郑重承诺：",
        "一、本单位已经纠正失信行为，依法履行了行政处罚决定规定的全部义务，所提交的申请材料真实、准确、完整。",
        "二、本单位将严格遵守法律法规和行业规范，诚信经营，不再发生同类违法失信行为。",
        "三、本承诺书将在湘西州公共信用信息平台公开，接受社会监督。如违反承诺，愿意依法承担相应责任，并同意将违背承诺的情况记入信用记录。",
        "承诺单位（盖章）：__________    法定代表人（签字）：__________",
        "日期：____年__月__日",
    ],
};

const OBJECTION_SHEET: Form = Form::Sheet {
    file: "信用信息异议申请表.xlsx",
    sheet: "异议申请表",
    rows: &[
        ("申请人名称", "信息主体本人或单位全称"),
        ("统一社会信用代码或身份证件号码", ""),
        ("联系人及联系电话", "用于告知处理结果"),
        (
            "异议信息所在页面",
            "信用信息查询结果中该条信息的网址或记录编号",
        ),
        ("异议信息内容", "行政许可 / 行政处罚 / 名单信息等，写明文号"),
        (
            "异议理由",
            "信息错误、遗漏、重复、不应公开、超期公示或与决定机关记录不一致",
        ),
        ("证明材料清单", "逐项列明所附材料"),
        ("申请人（签字或盖章）及日期", ""),
    ],
};

const AUTHORISATION_LETTER: Form = Form::Letter {
    file: "授权委托书（范本）.docx",
    paragraphs: &[
        "授权委托书",
        "委托单位：__________（统一社会信用代码：__________）",
        "受托人：__________（身份证件号码：__________，联系电话：__________）",
        "现委托上述受托人代表本单位向湘西州公共信用信息平台办理 □信用报告申请 □信用修复 □异议申诉 事项，受托人在办理过程中提交的材料和签署的文件，本单位均予以承认。",
        "委托期限：自____年__月__日至____年__月__日。",
        "委托单位（盖章）：__________    法定代表人（签字）：__________",
        "日期：____年__月__日",
    ],
};

const GUIDES: &[Guide] = &[
    Guide {
        column: "services",
        title: "信用服务事项一览",
        summary: "信用信息查询、信用报告、信用承诺、信用修复和异议申诉的办理渠道与时限。",
        body: "<p>湘西州公共信用信息平台面向企业、个体工商户和社会公众提供以下信用服务，均<strong>免费办理</strong>。</p>\
<table><thead><tr><th>事项</th><th>办理渠道</th><th>时限</th></tr></thead><tbody>\
<tr><td><a href=\"/credit\">信用信息查询</a></td><td>本网站，随时查询</td><td>即时</td></tr>\
<tr><td><a href=\"/column/report\">信用报告</a></td><td>本网站申请，<a href=\"/verify\">在线核验</a></td><td>即时出具</td></tr>\
<tr><td><a href=\"/column/commitment\">信用承诺</a></td><td>本网站、政务服务窗口</td><td>承诺即公示</td></tr>\
<tr><td><a href=\"/column/repair\">信用修复</a></td><td>本网站、政务服务窗口</td><td>10 个工作日内告知结果</td></tr>\
<tr><td><a href=\"/column/objection\">异议申诉</a></td><td>本网站、电话、窗口、信函</td><td>受理后按时限办结</td></tr>\
</tbody></table>\
<p>申请材料的表格和范本可在<a href=\"/column/download\">下载</a>栏目获取。有疑问可拨打 12345 政务服务便民热线，或通过<a href=\"/help/consult\">咨询留言</a>提问。</p>",
        forms: &[],
    },
    Guide {
        column: "repair",
        title: "行政处罚信息信用修复办理指南",
        summary: "纠正失信行为、履行法定义务后，可申请提前停止公示行政处罚信息。",
        body: "<h2>办理依据</h2>\
<p>《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）和湘西州信用修复有关规定。</p>\
<h2>申请条件</h2>\
<ol><li>行政处罚信息的最短公示期已经届满（在<a href=\"/credit\">信用信息查询</a>中打开该条记录，可看到“可申请修复日期”）；</li>\
<li>已经纠正失信行为，履行了行政处罚决定规定的义务（如缴清罚款、完成整改）；</li>\
<li>作出公开信用承诺。</li></ol>\
<h2>申请材料</h2>\
<ul><li>信用修复申请表；</li><li>履行行政处罚决定的证明材料（如罚没款缴纳凭证、整改报告）；</li>\
<li>信用修复承诺书；</li><li>委托他人办理的，另附授权委托书和受托人身份证件。</li></ul>\
<p>表格和范本见<a href=\"/column/download\">下载</a>栏目。</p>\
<h2>办理流程</h2>\
<ol><li><strong>申请</strong>：通过本平台或政务服务大厅信用窗口提交材料；</li>\
<li><strong>受理</strong>：收到申请之日起 3 个工作日内作出是否受理的决定，材料不全的一次性告知需补正的内容；</li>\
<li><strong>审核</strong>：核实履行义务情况，必要时征求作出处罚决定部门的意见；</li>\
<li><strong>结果</strong>：自申请之日起 10 个工作日内告知结果。同意修复的，该条信息停止公示，同步报送省级平台；不同意的，书面说明理由。</li></ol>\
<h2>温馨提示</h2>\
<p>信用修复不收取任何费用。任何机构以“付费修复”“快速修复”为名收费的，请拨打 12345 举报。已修复的信息在专项信用报告中标注“已修复”。</p>",
        forms: &[REPAIR_SHEET, COMMITMENT_LETTER],
    },
    Guide {
        column: "repair",
        title: "信用修复常见问题解答",
        summary: "哪些信息可以修复、多久可以申请、修复后如何显示。",
        body: "<h3>问：所有行政处罚信息都可以申请修复吗？</h3>\
<p>答：最短公示期届满、已履行处罚决定规定的义务并作出信用承诺的，均可申请。法律、法规和党中央、国务院政策文件明确规定不可修复的除外。</p>\
<h3>问：最短公示期从什么时候起算？</h3>\
<p>答：自行政处罚决定作出之日起算。平台在每条记录上显示“可申请修复日期”和“公示截止日期”。</p>\
<h3>问：不申请修复会一直公示吗？</h3>\
<p>答：不会。公示期届满后，平台自动停止公示该条信息。</p>\
<h3>问：修复后还能在信用报告里看到吗？</h3>\
<p>答：修复后的信息不再在网站公示；专项信用报告按规定标注“已修复”。</p>",
        forms: &[],
    },
    Guide {
        column: "objection",
        title: "信用信息异议申诉办理指南",
        summary: "认为平台公示的本人（本单位）信用信息有误，可以提出异议申诉。",
        body: "<h2>谁可以申请</h2>\
<p>信用信息主体本人（本单位），或其委托的代理人，对涉及自身的信用信息提出异议。</p>\
<h2>可以提出异议的情形</h2>\
<ul><li>信息错误、遗漏或重复；</li><li>依法不应公开的信息被公开；</li><li>超过公示期限仍在公示；</li>\
<li>与作出决定的部门记录不一致。</li></ul>\
<h2>申请渠道</h2>\
<p>本平台、12345 政务服务便民热线、政务服务大厅信用窗口或信函。线下提交的，由工作人员录入系统，同样获得查询码。</p>\
<h2>办理流程和时限</h2>\
<ol><li>平台收到申请后 2 个工作日内决定是否受理；</li>\
<li>平台 2 个工作日内核查自身数据处理情况；</li>\
<li>需信源单位核实的，信源单位 10 个工作日内核实答复；</li>\
<li>平台将处理结果告知申请人，信息确有错误的予以更正或撤下。</li></ol>\
<p>处理期间，该条信息标注“异议处理中”，必要时暂停公示。申请表见<a href=\"/column/download\">下载</a>栏目。</p>",
        forms: &[OBJECTION_SHEET],
    },
    Guide {
        column: "commitment",
        title: "信用承诺办理指南",
        summary: "审批替代型、主动型、信用修复型和行业自律型信用承诺的办理和公示。",
        body: "<h2>承诺类型</h2>\
<ul><li><strong>审批替代型</strong>：办理告知承诺制事项时，以书面承诺代替部分证明材料；</li>\
<li><strong>主动型</strong>：市场主体主动向社会作出诚信经营承诺；</li>\
<li><strong>信用修复型</strong>：申请信用修复时作出的守信承诺；</li>\
<li><strong>行业自律型</strong>：行业协会商会组织会员作出的自律承诺。</li></ul>\
<h2>如何办理</h2>\
<ol><li>按事项要求填写承诺书（范本见<a href=\"/column/download\">下载</a>栏目），由法定代表人签字并加盖公章；</li>\
<li>在办理事项时向受理单位提交，或通过政务服务窗口提交；</li>\
<li>承诺内容记入信用记录，并在平台公开，接受社会监督。</li></ol>\
<h2>违诺后果</h2>\
<p>承诺不实或未履行承诺的，受理单位依法处理，违诺情况作为失信信息记入信用记录。</p>",
        forms: &[],
    },
    Guide {
        column: "report",
        title: "公共信用信息报告申请指南",
        summary: "在本平台申请公共信用信息报告或专项信用报告，可代替无违法违规证明。",
        body: "<h2>报告种类</h2>\
<ul><li><strong>公共信用信息报告</strong>：反映企业的基本信息、行政许可、行政处罚、红黑名单、信用承诺等公共信用信息；</li>\
<li><strong>专项信用报告</strong>：按申请的领域和期间（最长 5 年）出具，可代替有关部门的无违法违规证明。</li></ul>\
<h2>申请步骤</h2>\
<ol><li>打开<a href=\"/credit\">信用信息查询</a>，输入企业名称或统一社会信用代码；</li>\
<li>进入该企业的信用信息页面，选择“申请信用报告”；</li>\
<li>填写用途等信息后提交，平台即时生成带有编号、核验码和二维码的报告，可下载打印。</li></ol>\
<h2>真伪核验</h2>\
<p>收到信用报告的单位可在<a href=\"/verify\">报告核验</a>页面输入核验码，或用手机扫描报告上的二维码，核对报告真伪和内容。</p>\
<p>信用报告免费出具。委托他人办理的，请使用<a href=\"/column/download\">下载</a>栏目的授权委托书范本。</p>",
        forms: &[AUTHORISATION_LETTER],
    },
    Guide {
        column: "guide",
        title: "信用信息查询服务指南",
        summary: "查询企业、个体工商户的基本信息、行政许可、行政处罚和名单信息。",
        body: "<h2>查询方式</h2>\
<p>打开<a href=\"/credit\">信用信息查询</a>，输入市场主体名称（可只输入其中几个字）或 18 位统一社会信用代码，点击“查询”。手机上无需安装任何软件。</p>\
<h2>可以查到的信息</h2>\
<ul><li>基本信息：名称、统一社会信用代码、法定代表人、登记地址；</li>\
<li>公示期内的行政许可和行政处罚信息（<a href=\"/credit/lists/penalties\">双公示</a>）；</li>\
<li>守信激励和失信惩戒名单（<a href=\"/credit/lists/red\">红黑名单</a>）。</li></ul>\
<h2>说明</h2>\
<p>信息来源于各信源单位，超过公示期的信息不再显示。对信息有异议的，请按<a href=\"/column/objection\">异议申诉</a>指南办理。</p>",
        forms: &[],
    },
    Guide {
        column: "guide",
        title: "统一社会信用代码校验服务指南",
        summary: "核对 18 位统一社会信用代码的编码规则和校验码。",
        body: "<p>统一社会信用代码由 18 位阿拉伯数字或大写英文字母组成，依据《法人和其他组织统一社会信用代码编码规则》（GB 32100—2015）编制，最后一位是校验码。</p>\
<p>在<a href=\"/tools/uscc\">代码校验</a>页面输入代码，即可检查代码的长度、字符和校验码是否正确，并显示登记管理部门、机构类别和登记地。</p>\
<p>校验通过只说明代码符合编码规则，主体是否真实存在，请在<a href=\"/credit\">信用信息查询</a>中核实。</p>",
        forms: &[],
    },
    Guide {
        column: "download",
        title: "信用修复申请表和承诺书（范本）",
        summary: "申请行政处罚信息信用修复所需的申请表和信用修复承诺书。",
        body: "<p>申请信用修复时，请下载并填写以下材料，连同履行义务的证明材料一并提交。办理流程见<a href=\"/column/repair\">信用修复</a>栏目。</p>",
        forms: &[REPAIR_SHEET, COMMITMENT_LETTER],
    },
    Guide {
        column: "download",
        title: "信用信息异议申请表",
        summary: "对平台公示的信用信息提出异议时填写。",
        body: "<p>对平台公示的本人（本单位）信用信息有异议的，请下载填写本表，连同证明材料提交。办理流程见<a href=\"/column/objection\">异议申诉</a>栏目。</p>",
        forms: &[OBJECTION_SHEET],
    },
    Guide {
        column: "download",
        title: "授权委托书（范本）",
        summary: "委托他人办理信用报告、信用修复或异议申诉时使用。",
        body: "<p>委托他人代为办理信用服务事项的，请下载本范本填写，由委托单位盖章、法定代表人签字。</p>",
        forms: &[AUTHORISATION_LETTER],
    },
];

/// The demo editor, as the one who uploaded the forms and wrote the guides.
pub(super) async fn editor(state: &AppState) -> Result<Caller, AppError> {
    let r = sqlx::query(
        "SELECT id, public_id, username, display_name FROM users WHERE username = 'editor'",
    )
    .fetch_one(&state.db.pool)
    .await?;
    Ok(Caller {
        user: SessionUser {
            user_id: r.try_get("id")?,
            public_id: r.try_get("public_id")?,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            roles: vec![Role::CmsEditor],
            department_id: None,
            county_code: None,
            credit_office: true,
            must_change_password: false,
            must_enrol_totp: false,
            totp_enabled: false,
            login_id: 0,
        },
        meta: RequestMeta {
            ip: None,
            user_agent: Some("seed-demo".into()),
        },
        scope: app::auth::policy::Scope::All,
    })
}

fn sheet_bytes(sheet: &str, rows: &[(&str, &str)]) -> Result<Vec<u8>, AppError> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(item, hint)| vec![(*item).to_string(), String::new(), (*hint).to_string()])
        .collect();
    crate::http::export::xlsx(sheet, &["项目", "填写内容", "填写说明"], &rows)
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal Word document (OOXML): the first paragraph bold as its title.
fn letter_bytes(paragraphs: &[&str]) -> Result<Vec<u8>, AppError> {
    let err = |e: zip::result::ZipError| AppError::internal("docx", e);
    let io = |e: std::io::Error| AppError::internal("docx", e);
    let body: String = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let props = if i == 0 {
                "<w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val=\"36\"/></w:rPr>"
            } else {
                "<w:r>"
            };
            format!("<w:p>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", xml_text(p))
        })
        .collect();
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>"
                .to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>"
                .to_string(),
        ),
        (
            "word/document.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .map_err(err)?;
        zip.write_all(text.as_bytes()).map_err(io)?;
    }
    Ok(zip.finish().map_err(err)?.into_inner())
}

async fn store_form(
    state: &AppState,
    caller: &Caller,
    form: &Form,
) -> Result<Attachment, AppError> {
    let bytes = match form {
        Form::Sheet { sheet, rows, .. } => sheet_bytes(sheet, rows)?,
        Form::Letter { paragraphs, .. } => letter_bytes(paragraphs)?,
    };
    app::cms::service::uploads::store(state, caller, form.file_name(), &bytes).await
}

/// Writes the guides with their forms and publishes them; answers how many articles were written.
pub async fn seed(state: &AppState, as_of: Ymd) -> Result<u64, AppError> {
    let caller = editor(state).await?;
    let now = state.clock.now_text();
    // A form attached to two articles is one stored file (a workbook's bytes carry the time it was made).
    let mut stored: HashMap<&str, Attachment> = HashMap::new();
    for (i, g) in GUIDES.iter().enumerate() {
        let mut attachments = vec![];
        for form in g.forms {
            let name = form.file_name();
            if !stored.contains_key(name) {
                stored.insert(name, store_form(state, &caller, form).await?);
            }
            attachments.extend(stored.get(name).cloned());
        }
        let attachments =
            serde_json::to_string(&attachments).map_err(|e| AppError::internal("seed", e))?;
        let day = as_of.add_days(-(i as i64 * 3 + 2));
        let mut tx = state.db.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO articles (public_id, column_code, columns, title, summary, body_html, source, author, status, \
             published_at, attachments, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, '湘西州信用办', 'published', $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(g.column)
        .bind(format!("[\"{}\"]", g.column))
        .bind(g.title)
        .bind(g.summary)
        .bind(g.body)
        .bind(SOURCE)
        .bind(format!("{}T01:30:00.000Z", day.iso()))
        .bind(&attachments)
        .bind(caller.user.user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        app::cms::service::live::put_live(&mut tx, id, &now).await?;
        tx.commit().await?;
    }
    Ok(GUIDES.len() as u64)
}
