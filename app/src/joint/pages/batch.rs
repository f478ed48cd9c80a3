//! 批量核查: a spreadsheet of subjects checked in the background for one matter — the upload form on
//! the check page, and the batch's page with its progress and the results to download.
use crate::joint::api::get_check_batch;
use crate::joint::model::{CheckBatchView, MatterChoice};
use crate::ui::form::CsrfField;
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where the batch check's spreadsheet posts.
pub const CHECK_BATCH_PATH: &str = "/console/joint/check/batch";

/// A spreadsheet of subjects, checked in the background for one matter.
#[component]
pub fn BatchForm(matters: Vec<MatterChoice>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="batch-h">
            <h2 id="batch-h">"批量核查"</h2>
            <p class="hint">"上传 XLSX 表格，第一行为表头，含“统一社会信用代码”“单位名称”“公民身份号码”或“核查对象”列之一（每行取第一个有值的列）。一次最多 50,000 个主体，后台核查，可查看进度并下载结果。"</p>
            <form method="post" action=CHECK_BATCH_PATH enctype="multipart/form-data" class="stack" data-testid="batch-form">
                <CsrfField />
                <label for="bt-matter">"办理事项"</label>
                <select id="bt-matter" name="matter" required>
                    {matters.into_iter().map(|m| view! { <option value=m.code.clone()>{format!("{}（{}）", m.name, m.department)}</option> }).collect_view()}
                </select>
                <label for="bt-file">"主体名单（XLSX）"</label>
                <input id="bt-file" type="file" name="file" required
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                <button type="submit" class="button">"开始批量核查"</button>
            </form>
        </section>
    }
}

#[component]
pub fn CheckBatchPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let data = Resource::new(move || id.get(), get_check_batch);
    view! {
        <Title text="批量核查" />
        <p class="small"><a href="/console/joint/check">"← 联合奖惩核查"</a></p>
        <h1>"批量核查"</h1>
        {await_view(data, |b| view! { <BatchProgress b /> })}
    }
}

#[component]
fn BatchProgress(b: CheckBatchView) -> impl IntoView {
    let working = matches!(b.status.as_str(), "queued" | "running");
    let to_check = (b.rows_total - b.rows_faulty).max(0);
    let pct = (b.rows_done * 100 / to_check.max(1)).min(100);
    view! {
        // While working, the page refreshes itself (also without JavaScript) to show progress.
        {working.then(|| view! { <Meta http_equiv="refresh" content="1" /> })}
        <dl class="facts">
            <dt>"办理事项"</dt><dd>{format!("{}（{}）", b.matter, b.department)}</dd>
            <dt>"文件"</dt><dd>{b.file_name.clone()}</dd>
            <dt>"提交时间"</dt><dd>{b.created_at.clone()}</dd>
        </dl>
        <div class="panel" role="status" aria-live="polite" data-testid="batch-progress" data-status=b.status.clone()>
            {if working {
                view! {
                    <p><strong>{if b.status == "queued" { "排队中…" } else { "正在核查…" }}</strong>
                        {format!("已核查 {} / {} 个主体", b.rows_done, to_check)}</p>
                    <progress max="100" value=pct.to_string() aria-label="核查进度">{format!("{pct}%")}</progress>
                }.into_any()
            } else if b.status == "done" {
                view! {
                    <p data-testid="batch-done"><strong>"核查完成。"</strong>
                        {format!("共 {} 行：核查 {} 个主体，命中名单 {} 个；{} 行无法核查。", b.rows_total, b.rows_done, b.rows_hit, b.rows_faulty)}
                        {b.seconds.map(|s| format!("用时 {s} 秒。"))}</p>
                    <p><a class="button" href=format!("/console/joint/batches/{}/results.xlsx", b.public_id) download="" data-testid="batch-results">"下载核查结果（XLSX）"</a></p>
                    <p class="hint">"命中名单的核查须逐条反馈措施采取情况："<a href="/console/joint/checks?state=awaiting">"待反馈的核查"</a></p>
                }.into_any()
            } else {
                view! { <p class="notice notice-error">{format!("核查失败：{}", b.message.clone().unwrap_or_default())}</p> }.into_any()
            }}
        </div>
    }
}
