//! 网站内容: every article the caller works on, newest change first, filtered by state and title.
use crate::cms::api::list_articles;
use crate::cms::workflow::Status;
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ArticlesPage() -> impl IntoView {
    let (status, q, page) = (param("status"), param("q"), page_param());
    let data = Resource::new(
        move || (status.get(), q.get(), page.get()),
        |(s, q, p)| list_articles(s, q, p),
    );
    view! {
        <Title text="网站内容" />
        <div class="page-head">
            <h1>"网站内容"</h1>
            <span class="page-actions">
                <a class="button button-secondary" href="/console/cms/health">"网站健康检查"</a>
                <a class="button button-secondary" href="/console/cms/site">"栏目与敏感词"</a>
                <a class="button button-secondary" href="/console/cms/releases">"发布包"</a>
                <a class="button" href="/console/cms/new">"新建文章"</a>
            </span>
        </div>
        <form class="filters" method="get" role="search" aria-label="筛选文章">
            <label>"状态"
                <select name="status">
                    <option value="" selected=move || status.get().is_empty()>"全部"</option>
                    {Status::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || status.get() == s.code()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"标题" <input type="search" name="q" value=move || q.get() /></label>
            <button type="submit" class="button button-secondary">"筛选"</button>
        </form>
        {await_view(data, |p| {
            let pages = p.pages();
            let (page, total) = (p.page, p.total);
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="article-list">
                        <caption class="sr-only">"文章"</caption>
                        <thead><tr>
                            <th scope="col">"标题"</th><th scope="col">"栏目"</th><th scope="col">"状态"</th>
                            <th scope="col">"作者"</th><th scope="col">"最近修改"</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|a| view! {
                                <tr>
                                    <td data-label="标题"><a href=format!("/console/cms/{}", a.public_id)>{a.title}</a></td>
                                    <td data-label="栏目">{a.column_name}</td>
                                    <td data-label="状态">
                                        <span class=format!("status status-{}", a.status.code())>{a.status.label()}</span>
                                        {a.on_portal.then(|| view! { <span class="tag">"网站上可见"</span> })}
                                        {a.publish_at.map(|t| view! { <span class="hint">{format!("定于 {t}")}</span> })}
                                    </td>
                                    <td data-label="作者">{a.author}</td>
                                    <td data-label="最近修改">{a.updated_at}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page pages total />
            }
        })}
    }
}
