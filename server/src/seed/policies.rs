//! Demo 政策法规: real national documents with their real issuing bodies, 文号 and dates (a 文号 left
//! empty where it is not published with the document), and 湘西州 local documents that are demo
//! data and say so. Published the way the CMS publishes (`live::put_live`).
use app::error::AppError;
use app::rules::date::Ymd;
use app::server::AppState;
use sqlx::Row;

/// One document: title, issuer, 文号, level, issued, effective, status, summary.
struct Doc {
    title: &'static str,
    issuer: &'static str,
    number: &'static str,
    level: &'static str,
    issued: &'static str,
    effective: &'static str,
    status: &'static str,
    summary: &'static str,
}

/// Marks a local example in its summary and body.
const DEMO_MARK: &str = "【演示文件】";

const DOCS: &[Doc] = &[
    Doc {
        title: "国务院关于印发社会信用体系建设规划纲要（2014—2020年）的通知",
        issuer: "国务院",
        number: "国发〔2014〕21号",
        level: "national",
        issued: "2014-06-14",
        effective: "",
        status: "effective",
        summary: "我国第一部国家级社会信用体系建设专项规划，部署政务诚信、商务诚信、社会诚信和司法公信建设。",
    },
    Doc {
        title: "国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见",
        issuer: "国务院",
        number: "国发〔2016〕33号",
        level: "national",
        issued: "2016-05-30",
        effective: "",
        status: "effective",
        summary: "建立完善守信联合激励和失信联合惩戒制度，健全褒扬和激励诚信、约束和惩戒失信的机制。",
    },
    Doc {
        title: "国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见",
        issuer: "国务院办公厅",
        number: "国办发〔2019〕35号",
        level: "national",
        issued: "2019-07-09",
        effective: "",
        status: "effective",
        summary: "创新事前环节信用监管、加强事中环节信用监管、完善事后环节信用监管，推行信用承诺和信用修复。",
    },
    Doc {
        title: "国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见",
        issuer: "国务院办公厅",
        number: "国办发〔2020〕49号",
        level: "national",
        issued: "2020-12-07",
        effective: "",
        status: "effective",
        summary: "规范失信行为认定、严重失信主体名单认定和失信惩戒措施，依法依规开展信用修复。",
    },
    Doc {
        title: "失信行为纠正后的信用信息修复管理办法（试行）",
        issuer: "国家发展和改革委员会",
        number: "国家发展改革委令2023年第58号",
        level: "national",
        issued: "2023-01-13",
        effective: "2023-05-01",
        status: "effective",
        summary: "规定失信信息的公示期限、信用修复的条件、程序和办理时限。",
    },
    Doc {
        title: "关于推进社会信用体系建设高质量发展促进形成新发展格局的意见",
        issuer: "中共中央办公厅 国务院办公厅",
        number: "",
        level: "national",
        issued: "2022-03-29",
        effective: "",
        status: "effective",
        summary: "以健全的信用机制畅通国内大循环、以良好的信用环境支撑国内国际双循环。",
    },
    Doc {
        title: "优化营商环境条例",
        issuer: "国务院",
        number: "国务院令第722号",
        level: "national",
        issued: "2019-10-22",
        effective: "2020-01-01",
        status: "effective",
        summary: "明确市场主体保护、市场环境、政务服务、监管执法和法治保障的制度要求，推行以信用为基础的分级分类监管。",
    },
    Doc {
        title: "中华人民共和国政府信息公开条例",
        issuer: "国务院",
        number: "国务院令第711号",
        level: "national",
        issued: "2019-04-03",
        effective: "2019-05-15",
        status: "effective",
        summary: "2019年修订，规定行政机关主动公开和依申请公开政府信息的范围、程序和监督保障。",
    },
    Doc {
        title: "中华人民共和国行政处罚法",
        issuer: "全国人民代表大会常务委员会",
        number: "中华人民共和国主席令第七十号",
        level: "national",
        issued: "2021-01-22",
        effective: "2021-07-15",
        status: "effective",
        summary: "2021年修订，规定具有一定社会影响的行政处罚决定应当依法公开。",
    },
    Doc {
        title: "国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见",
        issuer: "国务院办公厅",
        number: "国办发〔2015〕51号",
        level: "national",
        issued: "2015-06-24",
        effective: "",
        status: "effective",
        summary: "推动政府信息公开和数据开放，运用大数据提高对市场主体的服务和监管水平。",
    },
    Doc {
        title: "湘西州社会信用体系建设示范创建工作方案",
        issuer: "湘西州社会信用体系建设领导小组办公室",
        number: "",
        level: "prefecture",
        issued: "2025-03-18",
        effective: "2025-04-01",
        status: "effective",
        summary: "本地示例：明确全州诚信示范街区、示范企业创建的条件、评选程序和动态管理。",
    },
    Doc {
        title: "湘西州公共信用信息管理暂行办法",
        issuer: "湘西州社会信用体系建设领导小组办公室",
        number: "",
        level: "prefecture",
        issued: "2019-11-20",
        effective: "2020-01-01",
        status: "repealed",
        summary: "本地示例：已被新的公共信用信息管理规定取代，仅供查阅。",
    },
    Doc {
        title: "凤凰县旅游市场信用承诺实施方案",
        issuer: "凤凰县社会信用体系建设工作领导小组办公室",
        number: "",
        level: "county",
        issued: "2025-06-10",
        effective: "2025-07-01",
        status: "amended",
        summary: "本地示例：旅游经营者作出信用承诺、承诺公示和履约核查的办法。",
    },
];

/// The local documents already in the demo catalogue get their document fields too (demo data).
const LOCAL_CATALOGUE: &[(&str, &str)] = &[
    ("湘西州失信惩戒措施基础清单（2026年版）", "2026-01-15"),
    ("湘西州信用修复管理办法", "2025-09-01"),
    ("关于进一步完善信用承诺制度的实施意见", "2025-05-20"),
];

fn body(d: &Doc) -> String {
    let note = if d.level == "national" {
        "全文以发文机关公布的文本为准，可在中国政府网或发文机关网站查阅。".to_string()
    } else {
        format!("{DEMO_MARK}本文件为平台演示数据，不是正式发布的文件。")
    };
    format!("<p>{}</p><p>{note}</p>", d.summary)
}

/// Adds the documents and publishes them; `as_of` dates their appearance on the portal.
pub async fn seed(state: &AppState, as_of: Ymd) -> Result<(), AppError> {
    let now = state.clock.now_text();
    let mut tx = state.db.begin().await?;
    for (i, d) in DOCS.iter().enumerate() {
        let published = format!(
            "{}T01:30:00.000Z",
            as_of.add_days(-(i as i64 * 9 + 3)).iso()
        );
        let summary = if d.level == "national" {
            d.summary.to_string()
        } else {
            format!("{DEMO_MARK}{}", d.summary)
        };
        let id: i64 = sqlx::query(
            "INSERT INTO articles (public_id, column_code, columns, title, summary, body_html, source, status, \
             published_at, created_at, updated_at, doc_issuer, doc_number, doc_level, doc_issued_on, \
             doc_effective_on, doc_status) \
             VALUES ($1, 'policy', '[\"policy\"]', $2, $3, $4, $5, 'published', $6, $7, $7, $5, $8, $9, $10, $11, $12) \
             RETURNING id",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(d.title)
        .bind(&summary)
        .bind(body(d))
        .bind(d.issuer)
        .bind(&published)
        .bind(&now)
        .bind(d.number)
        .bind(d.level)
        .bind(d.issued)
        .bind((!d.effective.is_empty()).then_some(d.effective))
        .bind(d.status)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        app::cms::service::live::put_live(&mut tx, id, &now).await?;
    }
    for (title, issued) in LOCAL_CATALOGUE {
        let found = sqlx::query(
            "UPDATE articles SET doc_issuer = '湘西州社会信用体系建设领导小组办公室', doc_level = 'prefecture', \
             doc_issued_on = $2, doc_status = 'effective', summary = $3 || summary \
             WHERE column_code = 'policy' AND title = $1 AND doc_level = '' RETURNING id",
        )
        .bind(*title)
        .bind(*issued)
        .bind(DEMO_MARK)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = found {
            app::cms::service::live::put_live(&mut tx, row.try_get("id")?, &now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
