//! 栏目与敏感词: the column tree (order, kind, update rule, visibility, function page, who works in
//! it) and the sensitive-word list. For the credit office's site administrators.
use crate::cms::api::{get_site_admin, DeleteColumn, GrantColumn, SaveColumn, SetWord};
use crate::cms::model::{ColumnAdmin, ColumnEdit, SiteAdmin};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

const KINDS: [(&str, &str); 5] = [
    ("news", "动态类（2 周内须更新）"),
    ("notice", "通知公告类（6 个月内须更新）"),
    ("policy", "政策文件类（6 个月内须更新）"),
    ("service", "办事服务类"),
    ("general", "其他"),
];

#[component]
pub fn SiteAdminPage() -> impl IntoView {
    let save = ServerAction::<SaveColumn>::new();
    let delete = ServerAction::<DeleteColumn>::new();
    let grant = ServerAction::<GrantColumn>::new();
    let word = ServerAction::<SetWord>::new();
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                delete.version().get(),
                grant.version().get(),
                word.version().get(),
            )
        },
        |_| get_site_admin(),
    );
    let editing = RwSignal::new(None::<ColumnAdmin>);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) || matches!(delete.value().get(), Some(Ok(_)))
        {
            editing.set(None);
        }
    });
    view! {
        <Title text="栏目与敏感词" />
        <p><a href="/console/cms">"← 返回文章列表"</a></p>
        <h1>"栏目与敏感词"</h1>
        {await_view(data, move |s: SiteAdmin| view! {
            <Columns s=s.clone() editing save delete grant />
            <Words s word />
        })}
    }
}

#[component]
fn Columns(
    s: SiteAdmin,
    editing: RwSignal<Option<ColumnAdmin>>,
    save: ServerAction<SaveColumn>,
    delete: ServerAction<DeleteColumn>,
    grant: ServerAction<GrantColumn>,
) -> impl IntoView {
    let parents: Vec<(String, String)> = s
        .columns
        .iter()
        .filter(|c| c.edit.parent_code.is_empty())
        .map(|c| (c.edit.code.clone(), c.edit.name.clone()))
        .collect();
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let other_error = Signal::derive(move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| grant.value().get().and_then(Result::err))
    });
    view! {
        <section class="panel" aria-labelledby="columns-title">
            <div class="page-head">
                <h2 id="columns-title">"栏目"</h2>
                <button type="button" class="button" on:click=move |_| editing.set(Some(ColumnAdmin::default()))>"新建栏目"</button>
            </div>
            <p class="hint">"栏目按“排序”从小到大显示，子栏目排在上级栏目之后。有更新周期的栏目会在网站健康检查中按期提醒。"</p>
            <FormAlert error=other_error />
            <div class="table-wrap">
                <table class="data-table" data-testid="column-list">
                    <caption class="sr-only">"栏目"</caption>
                    <thead><tr>
                        <th scope="col">"栏目"</th><th scope="col">"代码"</th><th scope="col">"排序"</th><th scope="col">"类型"</th>
                        <th scope="col">"更新周期"</th><th scope="col">"显示"</th><th scope="col">"文章"</th><th scope="col">"负责人员"</th><th scope="col">"操作"</th>
                    </tr></thead>
                    <tbody>
                        {s.columns.into_iter().map(|c| {
                            let pick = c.clone();
                            let e = &c.edit;
                            view! {
                                <tr>
                                    <td data-label="栏目">{format!("{}{}", "　".repeat(c.depth), e.name)}</td>
                                    <td data-label="代码"><code>{e.code.clone()}</code></td>
                                    <td data-label="排序">{e.sort_order}</td>
                                    <td data-label="类型">{KINDS.iter().find(|(k, _)| *k == e.kind).map(|(_, l)| l.split('（').next().unwrap_or(l).to_string()).unwrap_or_default()}</td>
                                    <td data-label="更新周期">{e.update_days.map(|d| format!("{d} 天")).unwrap_or_else(|| "—".into())}</td>
                                    <td data-label="显示">{if e.visible { "显示" } else { "不显示" }}</td>
                                    <td data-label="文章">{c.articles}</td>
                                    <td data-label="负责人员">{if c.editors.is_empty() { "全部网站人员".to_string() } else { c.editors.join("、") }}</td>
                                    <td data-label="操作">
                                        <button type="button" class="button button-secondary" on:click=move |_| editing.set(Some(pick.clone()))>"编辑"</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {move || editing.get().map(|c| view! { <ColumnForm c parents=parents.clone() save save_error delete grant /> })}
    }
}

#[component]
fn ColumnForm(
    c: ColumnAdmin,
    parents: Vec<(String, String)>,
    save: ServerAction<SaveColumn>,
    save_error: Signal<Option<crate::error::AppError>>,
    delete: ServerAction<DeleteColumn>,
    grant: ServerAction<GrantColumn>,
) -> impl IntoView {
    let is_new = c.edit.code.is_empty();
    let e: ColumnEdit = c.edit.clone();
    let code = e.code.clone();
    let title = if is_new {
        "新建栏目".to_string()
    } else {
        format!("编辑栏目：{}", e.name)
    };
    let field_error = move |name: &'static str| {
        move || {
            crate::ui::form::field_message(&save_error.get(), name)
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
        }
    };
    let grants_view = (!is_new).then(|| {
        let items = c
            .editors
            .iter()
            .map(|u| {
                let (code, user, label) = (code.clone(), u.clone(), format!("取消 {u} 的负责权限"));
                view! {
                    <li class="chip">
                        {u.clone()}
                        <ActionForm action=grant attr:class="inline-form">
                            <CsrfField />
                            <input type="hidden" name="code" value=code />
                            <input type="hidden" name="username" value=user />
                            <input type="hidden" name="grant" value="false" />
                            <button type="submit" class="link" aria-label=label>"移除"</button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        let (add_code, delete_code) = (code.clone(), code.clone());
        view! {
            <h3>"负责人员"</h3>
            <p class="hint">"指定后，只有这些网站人员（及未指定栏目的人员）能在本栏目写稿、审核和发布。"</p>
            <ul class="chips">{items}</ul>
            <ActionForm action=grant attr:class="inline-form">
                <CsrfField />
                <input type="hidden" name="code" value=add_code />
                <input type="hidden" name="grant" value="true" />
                <label for="grant-user">"添加人员（用户名）"</label>
                <input id="grant-user" name="username" type="text" required />
                <button type="submit" class="button button-secondary">"添加"</button>
            </ActionForm>
            <h3>"删除栏目"</h3>
            <ActionForm action=delete attr:class="inline-form">
                <CsrfField />
                <input type="hidden" name="code" value=delete_code />
                <button type="submit" class="button button-secondary">"删除本栏目"</button>
                <span class="hint">" 只能删除没有文章和子栏目的栏目；否则请设为不显示。"</span>
            </ActionForm>
        }
    });
    view! {
        <section class="panel" aria-labelledby="column-form-title">
            <h2 id="column-form-title">{title}</h2>
            <ActionForm action=save attr:class="stack-form">
                <CsrfField />
                <FormAlert error=save_error fields=&["code", "name", "kind", "update_days", "link_path", "parent_code"] />
                <input type="hidden" name="original" value=code.clone() />
                <div class="form-grid">
                    <div>
                        <label for="col-code">"栏目代码（网址中使用）"</label>
                        <input id="col-code" name="code" type="text" value=e.code.clone() readonly=!is_new required maxlength="40" />
                        {field_error("code")}
                    </div>
                    <div>
                        <label for="col-name">"栏目名称"</label>
                        <input id="col-name" name="name" type="text" value=e.name.clone() required maxlength="20" />
                        {field_error("name")}
                    </div>
                    <div>
                        <label for="col-parent">"上级栏目"</label>
                        <select id="col-parent" name="parent_code">
                            <option value="" selected=e.parent_code.is_empty()>"（无，一级栏目）"</option>
                            {parents.into_iter().filter(|(p, _)| *p != e.code).map(|(p, n)| {
                                let selected = p == e.parent_code;
                                view! { <option value=p selected=selected>{n}</option> }
                            }).collect_view()}
                        </select>
                        {field_error("parent_code")}
                    </div>
                    <div>
                        <label for="col-order">"排序（小的在前）"</label>
                        <input id="col-order" name="sort_order" type="number" value=e.sort_order min="0" max="9999" />
                    </div>
                    <div>
                        <label for="col-kind">"栏目类型"</label>
                        <select id="col-kind" name="kind">
                            {KINDS.into_iter().map(|(k, l)| view! { <option value=k selected=e.kind == k>{l}</option> }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="col-days">"更新周期（天，留空为不要求）"</label>
                        <input id="col-days" name="update_days" type="number" min="1" max="3650" value=e.update_days.map(|d| d.to_string()).unwrap_or_default() />
                        {field_error("update_days")}
                    </div>
                    <div>
                        <label for="col-link">"功能页面（可选，如 /tools/uscc）"</label>
                        <input id="col-link" name="link_path" type="text" value=e.link_path.clone() maxlength="200" />
                        {field_error("link_path")}
                    </div>
                    <div>
                        <label class="check"><input type="checkbox" name="visible" value="true" checked=e.visible || is_new />" 在网站上显示"</label>
                    </div>
                </div>
                <label for="col-desc">"栏目说明"</label>
                <textarea id="col-desc" name="description" rows="2" maxlength="300">{e.description.clone()}</textarea>
                <div class="form-actions">
                    <button type="submit" class="button">"保存栏目"</button>
                </div>
            </ActionForm>
            {grants_view}
        </section>
    }
}

#[component]
fn Words(s: SiteAdmin, word: ServerAction<SetWord>) -> impl IntoView {
    let error = Signal::derive(move || word.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="words-title">
            <h2 id="words-title">"敏感词"</h2>
            <p class="hint">"发布前检查会查找这些词：“禁止发布”的词出现时不能发布，“提醒”的词只提示。"</p>
            <FormAlert error fields=&["word", "level"] />
            <ActionForm action=word attr:class="inline-form">
                <CsrfField />
                <label for="word-new">"词语"</label>
                <input id="word-new" name="word" type="text" required maxlength="50" />
                {move || crate::ui::form::field_message(&error.get(), "word").map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                <label for="word-level">"处理方式"</label>
                <select id="word-level" name="level">
                    <option value="block">"禁止发布"</option>
                    <option value="warn">"提醒"</option>
                </select>
                <button type="submit" class="button">"添加"</button>
            </ActionForm>
            {if s.words.is_empty() {
                view! { <p class="hint">"尚未设置敏感词。"</p> }.into_any()
            } else {
                view! {
                    <ul class="chips" data-testid="word-list">
                        {s.words.into_iter().map(|w| view! {
                            <li class="chip">
                                <span class=if w.blocks { "result-bad" } else { "" }>{format!("{}（{}）", w.word, if w.blocks { "禁止发布" } else { "提醒" })}</span>
                                <ActionForm action=word attr:class="inline-form">
                                    <CsrfField />
                                    <input type="hidden" name="word" value=w.word.clone() />
                                    <input type="hidden" name="level" value="" />
                                    <button type="submit" class="link" aria-label=format!("删除敏感词 {}", w.word)>"删除"</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
