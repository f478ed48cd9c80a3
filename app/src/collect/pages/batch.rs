//! One batch: progress while checking, the outcome, faults by rule and by row, the error report,
//! the mapping of unknown headers, and confirmation.
use crate::collect::api::*;
use crate::collect::model::{channel_label, status_label, BatchDetail, MappingNeed};
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn BatchPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let (level, page) = (param("level"), page_param());
    let confirm = ServerAction::<ConfirmBatch>::new();
    let discard = ServerAction::<DiscardBatch>::new();
    let mapping = ServerAction::<SaveMapping>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                level.get(),
                page.get(),
                confirm.version().get(),
                discard.version().get(),
                mapping.version().get(),
            )
        },
        |(id, l, p, _, _, _)| get_batch(id, l, p),
    );
    let error = Signal::derive(move || {
        confirm
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| discard.value().get().and_then(|r| r.err()))
            .or_else(|| mapping.value().get().and_then(|r| r.err()))
    });
    let done = move || confirm.value().get().and_then(|r| r.ok());
    view! {
        <Title text="报送批次" />
        <p><a href="/console/collect">"← 返回数据报送"</a></p>
        <h1>"报送批次"</h1>
        <FormAlert error />
        {move || done().map(|m| view! { <div class="notice notice-success" role="status" data-testid="confirm-result">{m}</div> })}
        {await_view(data, move |d| view! { <BatchView d confirm discard mapping /> })}
    }
}

fn seconds_text(s: f64) -> String {
    if s < 60.0 {
        format!("约 {} 秒", s.ceil() as i64)
    } else {
        format!("约 {} 分钟", (s / 60.0).ceil() as i64)
    }
}

#[component]
fn BatchView(
    d: BatchDetail,
    confirm: ServerAction<ConfirmBatch>,
    discard: ServerAction<DiscardBatch>,
    mapping: ServerAction<SaveMapping>,
) -> impl IntoView {
    let b = d.batch.clone();
    let working = b.status == "checking";
    // While checking, the page refreshes itself (also without JavaScript) to show progress.
    let refresh = working.then(|| view! { <Meta http_equiv="refresh" content="2" /> });
    let progress = working.then(|| {
        let mut parts = vec![format!("已检查 {} 行", d.rows_done)];
        if let Some(s) = d.speed {
            parts.push(format!("每秒 {:.0} 行", s));
        }
        if let Some(r) = d.remaining_secs {
            parts.push(format!("剩余{}", seconds_text(r)));
        }
        let pct = (b.rows_total > 0).then(|| (d.rows_done * 100 / b.rows_total.max(1)).min(100));
        view! {
            <div class="panel" role="status" aria-live="polite" data-testid="batch-progress">
                <p><strong>"正在检查…"</strong>{parts.join("，")}</p>
                {pct.map(|p| view! { <progress max="100" value=p.to_string() aria-label="检查进度">{format!("{p}%")}</progress> })}
            </div>
        }
    });
    let bid = b.public_id.clone();
    let actions = (b.status == "checked").then(|| {
        let (bid1, bid2) = (bid.clone(), bid.clone());
        view! {
            <div class="actions">
                {d.can_confirm.then(|| view! {
                    {if b.rows_new + b.rows_update > 0 {
                        view! {
                            <ActionForm action=confirm>
                                <CsrfField />
                                <input type="hidden" name="id" value=bid1 />
                                <button type="submit" class="button" data-testid="confirm-batch" disabled=move || confirm.pending().get()>
                                    {format!("确认发布 {} 条新增、{} 条更新", b.rows_new, b.rows_update)}
                                </button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        // Nothing would be published: say so instead of offering an empty confirmation.
                        view! {
                            <p class="notice notice-info" data-testid="nothing-to-publish">
                                "本批次没有可发布的记录：请下载有误数据，修改后重新上传；或作废本批次。"
                            </p>
                        }.into_any()
                    }}
                    <ActionForm action=discard>
                        <CsrfField />
                        <input type="hidden" name="id" value=bid2 />
                        <button type="submit" class="button button-secondary">"作废本批次"</button>
                    </ActionForm>
                })}
            </div>
        }
    });
    let error_download = (b.rows_faulty > 0).then(|| view! {
        <form method="post" action="/console/collect/errors.xlsx" class="export">
            <CsrfField />
            <input type="hidden" name="batch" value=bid.clone() />
            <button type="submit" class="button button-secondary" data-testid="download-errors">
                {format!("下载 {} 条有误数据（Excel，含错误说明，改好后可直接重新上传）", b.rows_faulty)}
            </button>
        </form>
    });
    let mapping_form = d
        .mapping
        .clone()
        .filter(|_| d.can_submit)
        .map(|m| view! { <MappingForm bid=bid.clone() m mapping /> });
    let faults = d.faults.clone();
    let pages = faults.pages();
    view! {
        {refresh}
        <dl class="facts" data-testid="batch-facts">
            <dt>"状态"</dt><dd><span class=format!("badge badge-{}", b.status) data-testid="batch-status">{status_label(&b.status)}</span></dd>
            <dt>"单位"</dt><dd>{b.unit_name.clone()}</dd>
            <dt>"数据类别"</dt><dd>{b.class_name.clone()}</dd>
            <dt>"来源"</dt><dd>{format!("{}{}", channel_label(&b.channel), if b.file_name.is_empty() { String::new() } else { format!("：{}", b.file_name) })}</dd>
            <dt>"文件编码"</dt><dd>{if d.encoding.is_empty() { "—".to_string() } else { d.encoding.clone() }}</dd>
            <dt>"提交"</dt><dd>{format!("{} · {}", b.created_by, bj(&b.created_at))}</dd>
            {(!d.checked_at.is_empty()).then(|| view! { <dt>"检查完成"</dt><dd>{bj(&d.checked_at)}</dd> })}
            {(!d.confirmed_at.is_empty()).then(|| view! { <dt>"确认发布"</dt><dd>{bj(&d.confirmed_at)}</dd> })}
        </dl>
        {(!d.error.is_empty()).then(|| view! { <div class="notice notice-error" role="alert" data-testid="batch-error">{d.error.clone()}</div> })}
        {progress}
        {mapping_form}
        {(!working && b.status != "uploaded" && b.status != "failed").then(|| view! {
            <ul class="counts" data-testid="batch-counts">
                <li><strong>{b.rows_total}</strong>"行数据"</li>
                <li><strong data-testid="count-new">{b.rows_new}</strong>"条新增"</li>
                <li><strong data-testid="count-update">{b.rows_update}</strong>"条更新"</li>
                <li><strong data-testid="count-duplicate">{b.rows_duplicate}</strong>"条重复（忽略）"</li>
                <li><strong data-testid="count-faulty">{b.rows_faulty}</strong>"条有误"</li>
                <li><strong>{d.rows_warning}</strong>"条有提示"</li>
            </ul>
        })}
        {actions}
        {error_download}
        {(!d.rule_counts.is_empty()).then(|| view! {
            <h2>"按规则统计"</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="rule-counts">
                    <caption class="sr-only">"各规则涉及的行数"</caption>
                    <thead><tr><th scope="col">"规则"</th><th scope="col">"代码"</th><th scope="col">"级别"</th><th scope="col">"行数"</th></tr></thead>
                    <tbody>
                        {d.rule_counts.iter().map(|r| view! {
                            <tr><td data-label="规则">{r.name.clone()}</td><td data-label="代码"><code>{r.code.clone()}</code></td><td data-label="级别">{if r.level == "error" { "错误" } else { "提示" }}</td><td data-label="行数">{r.rows}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {(faults.total > 0).then(|| view! {
            <h2>"问题明细"</h2>
            <form class="filters" method="get" aria-label="筛选问题">
                <label>"级别"
                    <select name="level">
                        <option value="">"全部"</option>
                        <option value="error">"错误（须改正）"</option>
                        <option value="warning">"提示"</option>
                    </select>
                </label>
                <button type="submit" class="button">"筛选"</button>
            </form>
            <div class="table-wrap">
                <table class="data-table" data-testid="fault-list">
                    <caption class="sr-only">"问题明细（按数据行号）"</caption>
                    <thead><tr><th scope="col">"数据行"</th><th scope="col">"字段"</th><th scope="col">"说明"</th><th scope="col">"规则代码"</th></tr></thead>
                    <tbody>
                        {faults.rows.into_iter().map(|f| view! {
                            <tr class=format!("fault-{}", f.level)>
                                <td data-label="数据行">{f.row_no}</td>
                                <td data-label="字段">{f.field}</td>
                                <td data-label="说明">{f.message}</td>
                                <td data-label="规则代码"><code>{f.code}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=faults.page pages total=faults.total />
        })}
    }
}

#[component]
fn MappingForm(bid: String, m: MappingNeed, mapping: ServerAction<SaveMapping>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="mapping-title" data-testid="mapping-form">
            <h2 id="mapping-title">"请指定表头对应的字段"</h2>
            <p class="muted">"以下表头不在信用目录中。请选择每列对应的字段（或忽略此列）；选择会为本单位记住，下次上传自动识别。"</p>
            <ActionForm action=mapping>
                <CsrfField />
                <input type="hidden" name="id" value=bid />
                {m.headers.iter().enumerate().map(|(i, h)| {
                    let select_id = format!("map-{i}");
                    view! {
                        <input type="hidden" name=format!("header[{i}]") value=h.clone() />
                        <label for=select_id.clone()>{format!("表头“{h}”")}</label>
                        <select id=select_id name=format!("field[{i}]") required>
                            <option value="">"请选择…"</option>
                            <option value="_ignore">"忽略此列"</option>
                            {m.fields.iter().map(|(k, n)| view! { <option value=k.clone()>{n.clone()}</option> }).collect_view()}
                        </select>
                    }
                }).collect_view()}
                <button type="submit" class="button">"保存并重新检查"</button>
            </ActionForm>
        </section>
    }
}
