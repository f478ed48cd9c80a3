//! 信用修复 (`/repair`): what repair is and how to apply, with the guides and the tracking page; and
//! the application form (`/repair/apply?record=…`), a plain multipart form that works without
//! JavaScript, posted to the axum route `SUBMIT_PATH` (docs/domain.md §10).
use crate::cases::api::get_repair_target;
use crate::cases::model::RepairTarget;
use crate::cases::repair::{self, COMMITMENT, MAX_FILES};
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::form::CsrfField;
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Where the application form posts.
pub const SUBMIT_PATH: &str = "/repair/submit";

#[component]
pub fn RepairPage() -> impl IntoView {
    view! {
        <Title text="信用修复" />
        <Breadcrumbs trail=vec![] here="信用修复".to_string() />
        <section class="panel narrow" aria-labelledby="repair-title">
            <h1 id="repair-title">"信用修复"</h1>
            <p>"行政处罚信息公示满最短公示期（2025 年规则：一般失信行为 3 个月，严重失信行为 1 年；2023 年规则：3 个月；每条记录旁显示可申请的日期），且已纠正失信行为、履行法定义务的市场主体，可以在线申请信用修复。信用修复免费办理。"</p>
            <ol class="steps">
                <li>"在" <a href="/credit">"信用信息查询"</a> "中找到本单位，在处罚信息下点击“申请信用修复”。"</li>
                <li>"填写申请人和联系方式，上传罚款缴纳凭证、整改报告等证明材料，阅读并勾选信用修复承诺。"</li>
                <li>"认定单位自收到申请之日起 3 个工作日内作出决定，自申请之日起 10 个工作日内告知结果。"</li>
                <li>"凭提交后显示的查询码随时查看办理进度。准予修复的，处罚信息即时停止公示。"</li>
            </ol>
            <p class="actions">
                <a class="button" href="/credit">"查找处罚信息并申请"</a>
                " "
                <a class="button button-secondary" href="/track">"办理进度查询"</a>
            </p>
            <p><a href="/column/repair">"信用修复办事指南和政策文件"</a></p>
        </section>
    }
}

/// A hydrated page: the record is read through a resource, so the server's answer travels with the
/// HTML and the browser renders the same form.
#[component]
pub fn RepairApplyPage() -> impl IntoView {
    let (record, error) = (param("record"), param("error"));
    let chosen = !record.get_untracked().trim().is_empty();
    view! {
        <Title text="申请信用修复" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=vec![("/repair".to_string(), "信用修复".to_string())] here="申请信用修复".to_string() />
        {if chosen {
            let data = Resource::new(move || record.get(), get_repair_target);
            await_view(data, move |t| view! { <ApplyForm t error=error.get_untracked() /> }).into_any()
        } else {
            view! {
                <section class="panel narrow">
                    <p>"请先在" <a href="/credit">"信用信息查询"</a> "中找到要修复的处罚信息，再点击其下方的“申请信用修复”。"</p>
                </section>
            }
            .into_any()
        }}
    }
}

#[component]
fn ApplyForm(t: RepairTarget, error: String) -> impl IntoView {
    let facts = view! {
        <dl class="facts" data-testid="repair-target">
            <dt>"主体名称"</dt><dd>{t.subject_name.clone()}</dd>
            <dt>"处罚决定书文号"</dt><dd>{t.decision_no.clone()}</dd>
            <dt>"处罚决定日期"</dt><dd>{t.decision_date.clone()}</dd>
            <dt>"处罚机关"</dt><dd>{t.authority.clone()}</dd>
            <dt>"违法行为类型"</dt><dd>{t.title.clone()}</dd>
        </dl>
    };
    let blocked = t
        .blocked
        .clone()
        .or_else(|| (!t.eligible).then(|| repair::not_yet(&t.repair_eligible_from)));
    let action = format!(
        "{SUBMIT_PATH}?record={}",
        crate::ui::url::encode(&t.record_public_id)
    );
    view! {
        <section class="panel narrow" aria-labelledby="apply-title">
            <h1 id="apply-title">"申请信用修复"</h1>
            {facts}
            {(!error.is_empty()).then(|| view! {
                <div class="notice notice-error" role="alert" data-testid="apply-error"><p>{error.clone()}</p></div>
            })}
            {match blocked {
                Some(why) => view! { <p class="notice" data-testid="apply-blocked">{why}</p> }.into_any(),
                None => view! {
                    <form method="post" action=action enctype="multipart/form-data" class="stack repair-form">
                        <CsrfField />
                        <input type="hidden" name="record" value=t.record_public_id.clone() />
                        <label for="uscc">"统一社会信用代码"</label>
                        <input id="uscc" name="uscc" type="text" maxlength="18" required autocomplete="off"
                            autocapitalize="characters" spellcheck="false" />
                        <label for="name">"申请人姓名"</label>
                        <input id="name" name="name" type="text" maxlength="30" required autocomplete="name" />
                        <label for="contact">"联系电话"</label>
                        <input id="contact" name="contact" type="tel" maxlength="20" required autocomplete="tel" inputmode="tel" />
                        <label for="proof">{format!("履行义务的证明材料（罚款缴纳凭证、整改报告等，1–{MAX_FILES} 份，图片或 PDF/Word）")}</label>
                        <input id="proof" name="proof" type="file" multiple required
                            accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.ofd,.wps" />
                        <label class="check"><input type="checkbox" name="agent" value="1" />"代理人申请"</label>
                        <label for="authorisation">"授权委托书及代理人身份证明（代理人申请时必传）"</label>
                        <input id="authorisation" name="authorisation" type="file"
                            accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.ofd,.wps" />
                        <label for="certificate_no">"信用修复培训证书编号（选填）"</label>
                        <input id="certificate_no" name="certificate_no" type="text" maxlength="30" autocomplete="off" />
                        <label for="note">"补充说明（选填）"</label>
                        <textarea id="note" name="note" rows="3" maxlength="1000"></textarea>
                        <fieldset class="commitment">
                            <legend>"信用修复承诺书"</legend>
                            <p class="pre-line" data-testid="commitment-text">{COMMITMENT}</p>
                            <label class="check"><input type="checkbox" name="commitment" value="1" required />"本人已阅读并同意以上承诺"</label>
                        </fieldset>
                        <button type="submit" class="button">"提交申请"</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
