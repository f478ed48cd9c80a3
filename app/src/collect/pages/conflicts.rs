//! 名称核实: incoming names that differ from the registry's name for the same code. The operator keeps
//! the registry name or takes the new one (the old name stays in the subject's name history).
use crate::collect::api::*;
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let (status, page) = (param("status"), page_param());
    let resolve = ServerAction::<ResolveConflict>::new();
    let data = Resource::new(
        move || (status.get(), page.get(), resolve.version().get()),
        |(s, p, _)| list_conflicts(s, p),
    );
    let error = Signal::derive(move || resolve.value().get().and_then(|r| r.err()));
    view! {
        <Title text="名称核实" />
        <h1>"名称核实"</h1>
        <p class="muted">"报送数据中的名称与法人库中同一统一社会信用代码的名称不一致。请核实后保留法人库名称，或采用新名称（原名称记入曾用名）。"</p>
        <form class="filters" method="get" aria-label="筛选任务">
            <label>"状态"
                <select name="status">
                    <option value="">"待核实"</option>
                    <option value="kept" selected=move || status.get() == "kept">"已保留原名称"</option>
                    <option value="renamed" selected=move || status.get() == "renamed">"已采用新名称"</option>
                    <option value="all" selected=move || status.get() == "all">"全部"</option>
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
        <FormAlert error />
        {await_view(data, move |p| {
            if p.rows.is_empty() {
                return view! { <p class="empty">"没有待核实的名称。"</p> }.into_any();
            }
            let pages = p.pages();
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="conflict-list">
                        <caption class="sr-only">"名称与代码不一致的主体"</caption>
                        <thead><tr>
                            <th scope="col">"统一社会信用代码"</th><th scope="col">"法人库名称"</th><th scope="col">"报送名称"</th>
                            <th scope="col">"报送单位"</th><th scope="col">"发现时间"</th><th scope="col">"处理"</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|c| {
                                let open = c.status == "open";
                                let (id1, id2) = (c.public_id.clone(), c.public_id.clone());
                                view! {
                                    <tr>
                                        <td data-label="代码"><code>{c.uscc}</code></td>
                                        <td data-label="法人库名称">{c.registry_name}</td>
                                        <td data-label="报送名称">{c.incoming_name}</td>
                                        <td data-label="报送单位">{c.unit}{c.batch.map(|b| view! { " · " <a href=format!("/console/collect/batch/{b}")>"批次"</a> })}</td>
                                        <td data-label="发现时间">{bj(&c.created_at)}</td>
                                        <td data-label="处理">
                                            {if open {
                                                view! {
                                                    <div class="actions">
                                                        <ActionForm action=resolve>
                                                            <CsrfField />
                                                            <input type="hidden" name="id" value=id1 />
                                                            <input type="hidden" name="decision" value="keep" />
                                                            <button type="submit" class="button button-secondary">"保留法人库名称"</button>
                                                        </ActionForm>
                                                        <ActionForm action=resolve>
                                                            <CsrfField />
                                                            <input type="hidden" name="id" value=id2 />
                                                            <input type="hidden" name="decision" value="rename" />
                                                            <button type="submit" class="button">"采用新名称"</button>
                                                        </ActionForm>
                                                    </div>
                                                }.into_any()
                                            } else {
                                                view! { <span>{if c.status == "kept" { "已保留原名称".to_string() } else { format!("已更名为“{}”", c.current_name) }}</span> }.into_any()
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=p.page pages total=p.total />
            }.into_any()
        })}
    }
}
