//! 数据报送: upload a file for the caller's unit, and the list of batches with their outcome.
use crate::collect::api::*;
use crate::collect::model::{channel_label, status_label, SubmitOptions, BATCH_STATUSES};
use crate::collect::pages::precheck::{self, Precheck, PrecheckPanel};
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::CsrfField;
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BatchesPage() -> impl IntoView {
    let (status, page) = (param("status"), page_param());
    let options = Resource::new(|| (), |_| get_submit_options());
    let data = Resource::new(
        move || (status.get(), page.get()),
        |(s, p)| list_batches(s, p),
    );
    view! {
        <Title text="数据报送" />
        <h1>"数据报送"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Units that may only watch (county users) see the list without the upload form.
                options.await.ok().map(|o| view! { <UploadForm o /> })
            })}
        </Suspense>
        <h2>"报送批次"</h2>
        <form class="filters" method="get" aria-label="筛选批次">
            <label>"状态"
                <select name="status">
                    <option value="">"全部"</option>
                    {BATCH_STATUSES.iter().map(|(code, label)| view! {
                        <option value=*code selected=move || status.get() == *code>{*label}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
        {await_view(data, move |p| {
            if p.rows.is_empty() {
                return view! { <p class="empty">"还没有报送批次。"</p> }.into_any();
            }
            let pages = p.pages();
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="batch-list">
                        <caption class="sr-only">"报送批次列表"</caption>
                        <thead><tr>
                            <th scope="col">"时间"</th>
                            <th scope="col">"单位"</th>
                            <th scope="col">"类别"</th>
                            <th scope="col">"来源"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col">"新增 / 更新 / 重复 / 有误"</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|b| view! {
                                <tr>
                                    <td data-label="时间"><a href=format!("/console/collect/batch/{}", b.public_id)>{bj(&b.created_at)}</a></td>
                                    <td data-label="单位">{b.unit_name}</td>
                                    <td data-label="类别">{b.class_name}</td>
                                    <td data-label="来源">{format!("{}{}", channel_label(&b.channel), if b.file_name.is_empty() { String::new() } else { format!("：{}", b.file_name) })}</td>
                                    <td data-label="状态"><span class=format!("badge badge-{}", b.status)>{status_label(&b.status)}</span></td>
                                    <td data-label="新增/更新/重复/有误">{format!("{} / {} / {} / {}", b.rows_new, b.rows_update, b.rows_duplicate, b.rows_faulty)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=p.page pages total=p.total />
            }.into_any()
        })}
    }
}

/// A plain multipart form: works without JavaScript, and the server checks type, size and content.
/// With JavaScript a chosen CSV is pre-checked in the browser first.
#[component]
fn UploadForm(o: SubmitOptions) -> impl IntoView {
    let class = RwSignal::new(
        o.classes
            .first()
            .map(|c| c.code.clone())
            .unwrap_or_default(),
    );
    let department = RwSignal::new(
        o.units
            .first()
            .map(|u| u.id.to_string())
            .unwrap_or_default(),
    );
    let file = NodeRef::<leptos::html::Input>::new();
    let result = RwSignal::new(Precheck::Idle);
    let generation = RwSignal::new(0u64);
    let recheck = move || {
        precheck::start(
            file,
            class.get_untracked(),
            department.get_untracked(),
            result,
            generation,
        )
    };
    let unit_line = o
        .own_unit
        .clone()
        .map(|u| view! { <p>"报送单位："<strong>{u}</strong></p> });
    let unit_select = (!o.units.is_empty()).then(|| view! {
        <label for="upload-unit">"报送单位"</label>
        <select id="upload-unit" name="department" required
            on:change=move |ev| { department.set(event_target_value(&ev)); recheck(); }>
            {o.units.iter().map(|u| view! { <option value=u.id.to_string()>{u.name.clone()}</option> }).collect_view()}
        </select>
    });
    view! {
        <section class="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">"上传数据文件"</h2>
            <p class="muted">{format!(
                "支持 CSV（UTF-8 或 GBK 编码，自动识别）和 XLSX，最大 {} MB。表头可用新版（如 CF_WSH）或旧版字段代码，也可用中文名称；不认识的表头会请您指定对应字段，并为本单位记住。选择 CSV 后，浏览器会先按目录规则预检。",
                o.max_mb
            )}</p>
            <p><a href="/console/collect/form">"逐条在线填报 →"</a></p>
            <form method="post" action="/console/collect/upload" enctype="multipart/form-data" class="stack" data-testid="upload-form">
                <CsrfField />
                {unit_line}
                {unit_select}
                <label for="upload-class">"数据类别"</label>
                <select id="upload-class" name="class" required
                    on:change=move |ev| { class.set(event_target_value(&ev)); recheck(); }>
                    {o.classes.iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}
                </select>
                <label for="upload-file">"数据文件"</label>
                <input id="upload-file" type="file" name="file" required node_ref=file on:change=move |_| recheck()
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                <PrecheckPanel state=result />
                <button type="submit" class="button">"上传并检查"</button>
            </form>
        </section>
    }
}
