//! The audit viewer (audit admin only): filters, one event in full, chain verification, export.
use crate::admin::api::*;
use crate::admin::model::{audit_action_label, outcome_label, AuditDetail};
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::CsrfField;
use crate::ui::status::{await_view, ErrorNotice};
use crate::ui::table::{page_param, param, Pager, SortHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let (actor, action, outcome, from, to, sort, page) = (
        param("actor"),
        param("action"),
        param("outcome"),
        param("from"),
        param("to"),
        param("sort"),
        page_param(),
    );
    let data = Resource::new(
        move || {
            (
                actor.get(),
                action.get(),
                outcome.get(),
                from.get(),
                to.get(),
                sort.get(),
                page.get(),
            )
        },
        |(a, b, c, d, e, s, p)| list_audit(a, b, c, d, e, s, p),
    );
    let verify = Action::new(|_: &()| verify_audit_chain());
    view! {
        <Title text="审计日志" />
        <h1>"审计日志"</h1>
        <section class="panel" aria-labelledby="chain-title">
            <h2 id="chain-title">"审计链状态"</h2>
            <p class="muted">"每条记录保存前一条记录的哈希和本条的 HMAC 签名。校验会逐条检查，发现修改、删除或顺序变动时指出具体位置。"</p>
            <button class="button" on:click=move |_| { verify.dispatch(()); } disabled=move || verify.pending().get()>
                {move || if verify.pending().get() { "正在校验…" } else { "校验审计链" }}
            </button>
            {move || verify.value().get().map(|r| match r {
                Ok(s) => view! {
                    <div class=if s.intact { "notice notice-success" } else { "notice notice-error" } role="status" data-testid="chain-status">
                        <strong>{if s.intact { "完整" } else { "已被破坏" }}</strong>"："{s.message}
                        {s.checkpoint.map(|c| view! { <br /><span class="small">{c}</span> })}
                    </div>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
        <form class="filters" method="get" role="search" aria-label="筛选审计记录">
            <label>"操作人"<input name="actor" value=move || actor.get() /></label>
            <label>"操作代码"<input name="action" value=move || action.get() placeholder="如 auth.login" /></label>
            <label>"结果"
                <select name="outcome">
                    <option value="">"全部"</option>
                    <option value="success" selected=move || outcome.get() == "success">"成功"</option>
                    <option value="failure" selected=move || outcome.get() == "failure">"失败"</option>
                    <option value="denied" selected=move || outcome.get() == "denied">"拒绝"</option>
                </select>
            </label>
            <label>"起始日期"<input type="date" name="from" value=move || from.get() /></label>
            <label>"截止日期"<input type="date" name="to" value=move || to.get() /></label>
            <button type="submit" class="button">"查询"</button>
        </form>
        <form class="export" method="post" action="/console/export/audit.xlsx">
            <CsrfField />
            <input type="hidden" name="actor" value=move || actor.get() />
            <input type="hidden" name="action" value=move || action.get() />
            <input type="hidden" name="outcome" value=move || outcome.get() />
            <input type="hidden" name="from" value=move || from.get() />
            <input type="hidden" name="to" value=move || to.get() />
            <input type="hidden" name="sort" value=move || sort.get() />
            <button type="submit" class="button button-secondary">"导出 Excel"</button>
        </form>
        {await_view(data, move |p| {
                        let pages = p.pages();
                        view! {
                            <div class="table-wrap">
                                <table class="data-table" data-testid="audit-table">
                                    <thead><tr>
                                        <SortHeader key="id" label="序号" />
                                        <SortHeader key="at" label="时间" />
                                        <SortHeader key="actor" label="操作人" />
                                        <SortHeader key="action" label="操作" />
                                        <th scope="col">"对象"</th>
                                        <SortHeader key="outcome" label="结果" />
                                        <th scope="col">"IP"</th>
                                    </tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td data-label="序号"><a href=format!("/console/audit/{}", r.id)>{r.id}</a></td>
                                                <td data-label="时间">{bj(&r.at)}</td>
                                                <td data-label="操作人">{r.actor_name}</td>
                                                <td data-label="操作">{audit_action_label(&r.action)}<span class="muted small">{format!(" {}", r.action)}</span></td>
                                                <td data-label="对象">{r.object}</td>
                                                <td data-label="结果">{outcome_label(&r.outcome)}</td>
                                                <td data-label="IP">{r.ip}</td>
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

#[component]
pub fn AuditEventPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|i| i.parse::<i64>().ok())
                .unwrap_or(0)
        },
        get_audit_event,
    );
    view! {
        <Title text="审计记录" />
        <p><a href="/console/audit">"← 返回审计日志"</a></p>
        {await_view(data, move |d| view! { <AuditEventView d /> })}
    }
}

#[component]
fn AuditEventView(d: AuditDetail) -> impl IntoView {
    view! {
        <h1>{format!("审计记录 #{}", d.row.id)}</h1>
        <dl class="facts">
            <dt>"时间"</dt><dd>{format!("{}（北京时间；UTC {}）", bj(&d.row.at), d.row.at)}</dd>
            <dt>"操作人"</dt><dd>{d.row.actor_name}</dd>
            <dt>"角色"</dt><dd>{d.row.role}</dd>
            <dt>"操作"</dt><dd>{audit_action_label(&d.row.action)}" ("{d.row.action.clone()}")"</dd>
            <dt>"对象"</dt><dd>{d.row.object}</dd>
            <dt>"结果"</dt><dd>{outcome_label(&d.row.outcome)}</dd>
            <dt>"IP"</dt><dd>{d.row.ip}</dd>
            <dt>"浏览器"</dt><dd class="ua">{d.user_agent}</dd>
            <dt>"前一条哈希"</dt><dd><code class="hash">{d.prev_hash}</code></dd>
            <dt>"HMAC"</dt><dd><code class="hash">{d.hmac}</code></dd>
        </dl>
        <h2>"详情"</h2>
        <pre class="detail">{d.detail}</pre>
    }
}
