//! 异议申诉 (`/objection`): who may object, the grounds and the 2 + 2 + 10 working-day steps; the
//! objection form (`/objection/apply?record=…`) and the complaint form (`/complaint/apply`, a record
//! optional). Plain multipart forms that work without JavaScript, posted to axum routes
//! (docs/domain.md §11).
use crate::cases::api::get_record_target;
use crate::cases::intake::{GROUNDS, MAX_FILES};
use crate::cases::model::RecordTarget;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::form::CsrfField;
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Where the objection form posts.
pub const OBJECTION_SUBMIT_PATH: &str = "/objection/submit";
/// Where the complaint form posts.
pub const COMPLAINT_SUBMIT_PATH: &str = "/complaint/submit";

const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.ofd,.wps";

#[component]
pub fn ObjectionPage() -> impl IntoView {
    view! {
        <Title text="异议申诉" />
        <Breadcrumbs trail=vec![] here="异议申诉".to_string() />
        <section class="panel narrow" aria-labelledby="objection-title">
            <h1 id="objection-title">"异议申诉"</h1>
            <p>"信用主体（或其委托的代理人）认为本平台公示的本单位信用信息有下列情形之一的，可以免费提出异议申诉："</p>
            <ul class="grounds">
                {GROUNDS.iter().map(|(_, label)| view! { <li>{*label}</li> }).collect_view()}
            </ul>
            <h2>"办理流程和时限（工作日）"</h2>
            <ol class="steps">
                <li>"在" <a href="/credit">"信用信息查询"</a> "中找到本单位，在有关信息下点击“提出异议”，填写理由并上传证明材料。"</li>
                <li>"信用办 2 个工作日内决定是否受理；受理后该信息标注“异议处理中”，必要时暂停公示。"</li>
                <li>"平台 2 个工作日内核查自身数据处理情况；属于认定单位数据的，转认定单位在 10 个工作日内核实。"</li>
                <li>"核实完毕后答复申请人；信息确有错误的，由认定单位更正后重新报送。需要补正材料的，补正期间不计入办理期限。"</li>
            </ol>
            <p>"也可以通过电话、窗口或信函提出，由工作人员代为登记。对平台服务或信息的其他意见，可以" <a href="/complaint/apply">"在线投诉"</a> "。"</p>
            <p class="actions">
                <a class="button" href="/credit">"查找信息并提出异议"</a>
                " "
                <a class="button button-secondary" href="/track">"办理进度查询"</a>
            </p>
        </section>
    }
}

/// The facts of the record a form is about.
#[component]
fn TargetFacts(t: RecordTarget) -> impl IntoView {
    let penalty = t.record_kind == "penalty";
    view! {
        <dl class="facts" data-testid="objection-target">
            <dt>"主体名称"</dt><dd>{t.subject_name}</dd>
            <dt>{if penalty { "处罚决定书文号" } else { "许可决定文书号" }}</dt><dd>{t.decision_no}</dd>
            <dt>"决定日期"</dt><dd>{t.decision_date}</dd>
            <dt>{if penalty { "处罚机关" } else { "许可机关" }}</dt><dd>{t.authority}</dd>
            {(!t.title.is_empty()).then(|| view! { <dt>{if penalty { "违法行为类型" } else { "许可决定文书名称" }}</dt><dd>{t.title.clone()}</dd> })}
        </dl>
    }
}

#[component]
pub fn ObjectionApplyPage() -> impl IntoView {
    let (record, error) = (param("record"), param("error"));
    let chosen = !record.get_untracked().trim().is_empty();
    view! {
        <Title text="提出异议申诉" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=vec![("/objection".to_string(), "异议申诉".to_string())] here="提出异议申诉".to_string() />
        {if chosen {
            let data = Resource::new(move || record.get(), get_record_target);
            await_view(data, move |t| {
                let blocked = t.objection_open;
                view! {
                    <section class="panel narrow" aria-labelledby="apply-title">
                        <h1 id="apply-title">"提出异议申诉"</h1>
                        <TargetFacts t=t.clone() />
                        {if blocked {
                            view! { <p class="notice" data-testid="apply-blocked">"该信息已有正在办理的异议申诉（异议处理中），请凭查询码查看进度。"</p> }.into_any()
                        } else {
                            view! { <IntakeForm objection=true record=t.record_public_id.clone() error=error.get_untracked() /> }.into_any()
                        }}
                    </section>
                }
            })
            .into_any()
        } else {
            view! {
                <section class="panel narrow">
                    <p>"请先在" <a href="/credit">"信用信息查询"</a> "中找到有异议的信息，再点击其下方的“提出异议”。"</p>
                </section>
            }
            .into_any()
        }}
    }
}

#[component]
pub fn ComplaintApplyPage() -> impl IntoView {
    let (record, error) = (param("record"), param("error"));
    let chosen = !record.get_untracked().trim().is_empty();
    view! {
        <Title text="在线投诉" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=vec![("/objection".to_string(), "异议申诉".to_string())] here="在线投诉".to_string() />
        <section class="panel narrow" aria-labelledby="complaint-title">
            <h1 id="complaint-title">"在线投诉"</h1>
            <p>"对平台公示的信息或平台的服务有意见的，可以在此投诉。信用办 2 个工作日内受理，受理后 10 个工作日内答复。"</p>
            {if chosen {
                let data = Resource::new(move || record.get(), get_record_target);
                await_view(data, move |t| view! {
                    <TargetFacts t=t.clone() />
                    <IntakeForm objection=false record=t.record_public_id.clone() error=error.get_untracked() />
                })
                .into_any()
            } else {
                view! { <IntakeForm objection=false record=String::new() error=error.get_untracked() /> }.into_any()
            }}
        </section>
    }
}

/// The objection or complaint form: a multipart POST, no JavaScript needed.
#[component]
fn IntakeForm(objection: bool, record: String, error: String) -> impl IntoView {
    let path = if objection {
        OBJECTION_SUBMIT_PATH
    } else {
        COMPLAINT_SUBMIT_PATH
    };
    let action = if record.is_empty() {
        path.to_string()
    } else {
        format!("{path}?record={}", crate::ui::url::encode(&record))
    };
    view! {
        {(!error.is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="apply-error"><p>{error.clone()}</p></div>
        })}
        <form method="post" action=action enctype="multipart/form-data" class="stack repair-form">
            <CsrfField />
            <input type="hidden" name="record" value=record />
            <label for="uscc">{if objection { "统一社会信用代码" } else { "涉及主体的统一社会信用代码（选填）" }}</label>
            <input id="uscc" name="uscc" type="text" maxlength="18" required=objection autocomplete="off"
                autocapitalize="characters" spellcheck="false" />
            {objection.then(|| view! {
                <label for="ground">"异议理由"</label>
                <select id="ground" name="ground" required>
                    <option value="">"请选择"</option>
                    {GROUNDS.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                </select>
            })}
            <label for="description">{if objection { "具体情况和诉求" } else { "投诉内容" }}</label>
            <textarea id="description" name="description" rows="4" maxlength="2000" required></textarea>
            <label for="name">"申请人姓名"</label>
            <input id="name" name="name" type="text" maxlength="30" required autocomplete="name" />
            <label for="contact">"联系电话"</label>
            <input id="contact" name="contact" type="tel" maxlength="20" required autocomplete="tel" inputmode="tel" />
            <label for="proof">{format!("证明材料（选填，最多 {MAX_FILES} 份，图片或 PDF/Word）")}</label>
            <input id="proof" name="proof" type="file" multiple accept=ACCEPT />
            <label class="check"><input type="checkbox" name="agent" value="1" />"代理人申请"</label>
            <label for="authorisation">"授权委托书及代理人身份证明（代理人申请时必传）"</label>
            <input id="authorisation" name="authorisation" type="file" accept=ACCEPT />
            <button type="submit" class="button">"提交"</button>
        </form>
    }
}
