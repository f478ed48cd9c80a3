//! 发布包: group approved articles and publish them together, now or at a set time.
use crate::cms::api::{get_release, list_releases, ChangeRelease, CreateRelease};
use crate::cms::model::{ReleaseArticle, ReleaseChange, ReleaseDetail};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ReleasesPage() -> impl IntoView {
    let create = ServerAction::<CreateRelease>::new();
    let data = Resource::new(move || create.version().get(), |_| list_releases());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/console/cms/releases/{id}"), Default::default());
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="发布包" />
        <p><a href="/console/cms">"← 返回文章列表"</a></p>
        <h1>"发布包"</h1>
        <p class="hint">"把几篇已审核的文章放进一个发布包，可以同时发布（立即或定时）：要么全部发布，要么都不发布。"</p>
        <section class="panel" aria-labelledby="new-release">
            <h2 id="new-release">"新建发布包"</h2>
            <ActionForm action=create attr:class="inline-form">
                <CsrfField />
                <FormAlert error fields=&["name"] />
                <label for="release-name">"名称"</label>
                <input id="release-name" type="text" name="name" maxlength="100" required />
                <button type="submit" class="button">"新建"</button>
            </ActionForm>
        </section>
        {await_view(data, |rows| view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="release-list">
                    <caption class="sr-only">"发布包"</caption>
                    <thead><tr>
                        <th scope="col">"名称"</th><th scope="col">"状态"</th><th scope="col">"文章数"</th>
                        <th scope="col">"发布时间"</th><th scope="col">"创建人"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td data-label="名称"><a href=format!("/console/cms/releases/{}", r.public_id)>{r.name}</a></td>
                                <td data-label="状态"><span class=format!("status status-{}", r.status)>{r.status_label}</span></td>
                                <td data-label="文章数">{r.articles}</td>
                                <td data-label="发布时间">{r.published_at.or(r.publish_at).unwrap_or_default()}</td>
                                <td data-label="创建人">{format!("{}（{}）", r.created_by, r.created_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

#[component]
pub fn ReleasePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let change = ServerAction::<ChangeRelease>::new();
    let data = Resource::new(
        move || (id.get(), change.version().get()),
        |(id, _)| get_release(id),
    );
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    view! {
        <Title text="发布包" />
        <p><a href="/console/cms/releases">"← 返回发布包列表"</a></p>
        <FormAlert error fields=&["publish_at"] />
        {await_view(data, move |d: ReleaseDetail| view! { <Release d change /> })}
    }
}

#[component]
fn Release(d: ReleaseDetail, change: ServerAction<ChangeRelease>) -> impl IntoView {
    let r = d.release.clone();
    let id = r.public_id.clone();
    let open = r.status == "open";
    let pending = open || r.status == "scheduled";
    // One form per move: the move is a hidden field, like the article workflow.
    let move_form = {
        let id = id.clone();
        move |op: ReleaseChange, article: String, extra: AnyView| {
            let id = id.clone();
            view! {
                <ActionForm action=change attr:class="inline-form">
                    <CsrfField />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="change" value=op.code() />
                    <input type="hidden" name="article" value=article />
                    {extra}
                    <button type="submit" class=if op == ReleaseChange::Remove || op == ReleaseChange::Cancel { "button button-secondary" } else { "button" } data-change=op.code()>{op.label()}</button>
                </ActionForm>
            }
        }
    };
    let article_rows = {
        let move_form = &move_form;
        d.articles
            .into_iter()
            .map(|a: ReleaseArticle| {
                let remove = open.then(|| move_form(ReleaseChange::Remove, a.public_id.clone(), ().into_any()));
                view! {
                    <tr>
                        <td data-label="标题"><a href=format!("/console/cms/{}", a.public_id)>{a.title}</a></td>
                        <td data-label="栏目">{a.column}</td>
                        <td data-label="状态"><span class=format!("status status-{}", a.status.code())>{a.status.label()}</span></td>
                        <td data-label="操作">{remove}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let candidates = d.candidates;
    view! {
        <h1>{format!("发布包：{}", r.name)}</h1>
        <p class="article-state" data-testid="release-status">
            "状态：" <strong>{r.status_label.clone()}</strong>
            {r.publish_at.clone().filter(|_| r.status == "scheduled").map(|t| view! { <span class="hint">{format!(" 定于 {t} 发布")}</span> })}
            {r.published_at.clone().map(|t| view! { <span class="hint">{format!(" 发布于 {t}")}</span> })}
        </p>
        <section class="panel" aria-labelledby="release-articles">
            <h2 id="release-articles">{format!("包内文章（{} 篇）", r.articles)}</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="release-articles">
                    <caption class="sr-only">"包内文章"</caption>
                    <thead><tr><th scope="col">"标题"</th><th scope="col">"栏目"</th><th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                    <tbody>{article_rows}</tbody>
                </table>
            </div>
            {(open && !candidates.is_empty()).then(|| {
                let options = candidates.into_iter().map(|c| view! {
                    <option value=c.public_id>{format!("{}（{}）", c.title, c.column)}</option>
                }).collect_view();
                let select = view! {
                    <label for="release-add">"加入已审核的文章"</label>
                    <select id="release-add" name="article">{options}</select>
                }.into_any();
                view! {
                    <ActionForm action=change attr:class="inline-form">
                        <CsrfField />
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="change" value=ReleaseChange::Add.code() />
                        {select}
                        <button type="submit" class="button" data-change="add">{ReleaseChange::Add.label()}</button>
                    </ActionForm>
                }
            })}
            {(open && r.articles == 0).then(|| view! { <p class="hint">"目前没有可加入的文章：文章审核通过后才能放入发布包。"</p> })}
        </section>
        {pending.then(|| view! {
            <section class="panel" aria-labelledby="release-moves">
                <h2 id="release-moves">"发布"</h2>
                <div class="workflow-moves">
                    {move_form(ReleaseChange::Publish, String::new(), ().into_any())}
                    {open.then(|| move_form(ReleaseChange::Schedule, String::new(), view! {
                        <label>"发布时间（北京时间）" <input type="datetime-local" name="publish_at" required /></label>
                    }.into_any()))}
                    {(!open).then(|| move_form(ReleaseChange::Unschedule, String::new(), ().into_any()))}
                    {move_form(ReleaseChange::Cancel, String::new(), ().into_any())}
                </div>
            </section>
        })}
    }
}
