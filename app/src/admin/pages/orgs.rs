//! Departments and counties: the list (scoped to the caller), one department's profile, and editing.
use crate::admin::api::*;
use crate::admin::model::DepartmentDetail;
use crate::ui::form::{CsrfField, Field, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager, SortHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OrgsPage() -> impl IntoView {
    let (q, sort, page) = (param("q"), param("sort"), page_param());
    let save_dept = ServerAction::<SaveDepartment>::new();
    let save_cty = ServerAction::<SaveCounty>::new();
    let data = Resource::new(
        move || {
            (
                q.get(),
                sort.get(),
                page.get(),
                save_dept.version().get() + save_cty.version().get(),
            )
        },
        |(q, sort, page, _)| list_orgs(q, sort, page, false),
    );
    let dept_error = Signal::derive(move || save_dept.value().get().and_then(|r| r.err()));
    let cty_error = Signal::derive(move || save_cty.value().get().and_then(|r| r.err()));
    view! {
        <Title text="单位与区县" />
        <h1>"信源单位与区县"</h1>
        <form class="filters" method="get" role="search" aria-label="筛选单位">
            <label>"关键字"<input name="q" value=move || q.get() placeholder="单位名称或编码" /></label>
            <button type="submit" class="button">"查询"</button>
        </form>
        <form class="export" method="post" action="/console/export/orgs.xlsx">
            <CsrfField />
            <input type="hidden" name="q" value=move || q.get() />
            <input type="hidden" name="sort" value=move || sort.get() />
            <button type="submit" class="button button-secondary">"导出 Excel"</button>
        </form>
        {await_view(data, move |o| {
                        let manage = o.can_manage;
                        let counties = o.counties.clone();
                        let (total, page_no, pages) = (o.departments.total, o.departments.page, o.departments.pages());
                        view! {
                            <h2>"信源单位"</h2>
                            <div class="table-wrap">
                                <table class="data-table" data-testid="departments-table">
                                    <thead><tr>
                                        <SortHeader key="code" label="编码" />
                                        <SortHeader key="name" label="名称" />
                                        <SortHeader key="county" label="所在区县" />
                                        <th scope="col">"统一社会信用代码"</th>
                                        <SortHeader key="users" label="账户数" />
                                        <th scope="col">"状态"</th>
                                    </tr></thead>
                                    <tbody>
                                        {o.departments.rows.into_iter().map(|d| view! {
                                            <tr>
                                                <td data-label="编码">{d.code}</td>
                                                <td data-label="名称"><a href=format!("/console/orgs/{}", d.public_id)>{d.name}</a></td>
                                                <td data-label="所在区县">{d.county_name}</td>
                                                <td data-label="统一社会信用代码">{d.uscc}</td>
                                                <td data-label="账户数">{d.users}</td>
                                                <td data-label="状态">{if d.active { "启用" } else { "停用" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=page_no pages total />
                            <h2>"区县"</h2>
                            <div class="table-wrap">
                                <table class="data-table">
                                    <thead><tr><th scope="col">"代码"</th><th scope="col">"名称"</th><th scope="col">"排序"</th><th scope="col">"信源单位数"</th></tr></thead>
                                    <tbody>
                                        {o.counties.into_iter().map(|c| view! {
                                            <tr><td data-label="代码">{c.code}</td><td data-label="名称">{c.name}</td><td data-label="排序">{c.sort_order}</td><td data-label="信源单位数">{c.departments}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {manage.then(|| view! {
                                <section class="panel" aria-labelledby="dept-new">
                                    <h2 id="dept-new">"新增或修改信源单位"</h2>
                                    <p class="muted">"按单位编码识别：编码已存在时请在单位详情页修改。"</p>
                                    <FormAlert error=dept_error fields=&["code", "name", "full_name", "aliases", "uscc"] />
                                    <ActionForm action=save_dept>
                                        <Field name="code" label="单位编码" required=true error=dept_error />
                                        <Field name="name" label="单位名称" required=true error=dept_error />
                                        <Field name="full_name" label="单位全称（可选，如 湘西土家族苗族自治州市场监督管理局）" error=dept_error />
                                        <Field name="aliases" label="别名（可选，分号分隔：文件中机关的其他写法）" error=dept_error />
                                        <Field name="uscc" label="统一社会信用代码（可选）" error=dept_error />
                                        <div class="field">
                                            <label for="f-county_code">"所在区县"</label>
                                            <select id="f-county_code" name="county_code">
                                                <option value="">"州直"</option>
                                                {counties.into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <input type="hidden" name="active" value="true" />
                                        <button type="submit" class="button">"保存单位"</button>
                                    </ActionForm>
                                </section>
                                <section class="panel" aria-labelledby="county-new">
                                    <h2 id="county-new">"新增或修改区县"</h2>
                                    <FormAlert error=cty_error fields=&["code", "name"] />
                                    <ActionForm action=save_cty>
                                        <Field name="code" label="区县代码（6 位）" required=true error=cty_error />
                                        <Field name="name" label="名称" required=true error=cty_error />
                                        <Field name="sort_order" label="排序" kind="number" value="0" error=cty_error />
                                        <button type="submit" class="button">"保存区县"</button>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any()
                    })}
    }
}

#[component]
pub fn DepartmentPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_department,
    );
    view! {
        <Title text="信源单位" />
        <p><a href="/console/orgs">"← 返回单位列表"</a></p>
        {await_view(data, move |d| view! { <DepartmentView d /> })}
    }
}

#[component]
fn DepartmentView(d: DepartmentDetail) -> impl IntoView {
    let edit = d
        .can_manage
        .then(|| view! { <DepartmentEdit row=d.row.clone() /> });
    view! {
        <h1 data-testid="department-name">{d.row.name.clone()}</h1>
        <section class="panel">
            <dl class="facts">
                <dt>"单位编码"</dt><dd>{d.row.code.clone()}</dd>
                <dt>"单位全称"</dt><dd>{d.row.full_name.clone()}</dd>
                <dt>"别名"</dt><dd data-testid="department-aliases">{d.row.aliases.replace(';', "、")}</dd>
                <dt>"统一社会信用代码"</dt><dd>{d.row.uscc.clone()}</dd>
                <dt>"所在区县"</dt><dd>{d.row.county_name.clone()}</dd>
                <dt>"行政许可记录"</dt><dd>{d.licences}</dd>
                <dt>"行政处罚记录"</dt><dd>{d.penalties}</dd>
                <dt>"最近决定日期"</dt><dd>{d.latest_decision.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
        </section>
        <section class="panel">
            <h2>"本单位账户"</h2>
            {if d.accounts.is_empty() {
                view! { <p class="empty">"暂无账户"</p> }.into_any()
            } else {
                view! { <ul>{d.accounts.into_iter().map(|(u, n)| view! { <li>{format!("{n}（{u}）")}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        {edit}
    }
}

/// Editing a department: its names (full name and aliases feed the fill of authorities' codes).
#[component]
fn DepartmentEdit(row: crate::admin::model::DepartmentRow) -> impl IntoView {
    let save = ServerAction::<SaveDepartment>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    view! {
        <section class="panel" aria-labelledby="dept-edit">
            <h2 id="dept-edit">"修改单位"</h2>
            <p class="muted">"处罚机关、许可机关按单位名称、全称或别名匹配，匹配后自动补全其统一社会信用代码。"</p>
            <FormAlert error=error fields=&["code", "name", "full_name", "aliases", "uscc"] />
            {move || saved().then(|| view! { <p class="notice" role="status">"已保存，刷新页面查看。"</p> })}
            <ActionForm action=save>
                <input type="hidden" name="id" value=row.public_id.clone() />
                <Field name="code" label="单位编码" required=true value=row.code.clone() error=error />
                <Field name="name" label="单位名称" required=true value=row.name.clone() error=error />
                <Field name="full_name" label="单位全称" value=row.full_name.clone() error=error />
                <Field name="aliases" label="别名（分号分隔）" value=row.aliases.clone() error=error />
                <Field name="uscc" label="统一社会信用代码" value=row.uscc.clone() error=error />
                <input type="hidden" name="county_code" value=row.county_code.clone() />
                <input type="hidden" name="active" value=row.active.to_string() />
                <button type="submit" class="button">"保存"</button>
            </ActionForm>
        </section>
    }
}
