//! 办理事项 (`/console/joint/matters`): each department's service matters and the measures that apply
//! to them. Everyone who checks sees the matters in their scope; the credit office saves a matter (by
//! code: the same code updates it) and imports a spreadsheet of matters (all rows or none).
use crate::auth::policy::{may, Action};
use crate::joint::api::{list_matters, SaveMatter};
use crate::joint::model::{MatterFilter, MatterList, MatterRow};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager, UnitFilter};
use leptos::prelude::*;
use leptos_meta::Title;

/// Where the matters import posts.
pub const MATTERS_IMPORT_PATH: &str = "/console/joint/matters/import";

#[component]
pub fn MattersPage() -> impl IntoView {
    let (q, unit, page) = (param("q"), param("unit"), page_param());
    let (imported, error, edit) = (param("imported"), param("error"), param("edit"));
    let save = ServerAction::<SaveMatter>::new();
    let data = Resource::new(
        move || {
            (
                MatterFilter {
                    q: q.get(),
                    unit: unit.get(),
                },
                page.get(),
                save.version().get(),
            )
        },
        |(f, page, _)| list_matters(f, page),
    );
    let manage = use_context::<crate::auth::model::Me>()
        .is_some_and(|me| may(&me.roles, Action::MatterManage));
    view! {
        <Title text="办理事项" />
        <p class="small"><a href="/console/joint/measures">"← 措施清单"</a></p>
        <h1>"办理事项与适用措施"</h1>
        <p class="hint">"各部门办理的政务服务事项，以及办理该事项时对红黑名单主体应当采取的激励或惩戒措施。核查按事项给出命中的名单和应采取的措施。"</p>
        {move || (!imported.get().is_empty()).then(|| {
            let parts: Vec<String> = imported.get().split(',').map(str::to_string).collect();
            let n = |i: usize| parts.get(i).cloned().unwrap_or_else(|| "0".into());
            view! { <div class="notice notice-success" role="status" data-testid="matters-imported">{format!("导入完成：新增 {} 个事项，更新 {} 个。", n(0), n(1))}</div> }
        })}
        {move || (!error.get().is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="matters-error"><p class="pre-line">{error.get()}</p></div>
        })}
        {await_view(data, move |l| {
            let pages = ((l.total + l.per_page - 1) / l.per_page.max(1)).max(1);
            let editing = l.rows.iter().find(|r| r.public_id == edit.get_untracked()).cloned();
            view! {
                <form class="filters" method="get" action="/console/joint/matters">
                    <label>"关键词"<input type="search" name="q" value=move || q.get() /></label>
                    <UnitFilter label="实施部门" units=l.units.clone() selected=unit />
                    <button type="submit" class="button">"查询"</button>
                </form>
                <p class="small muted">{format!("共 {} 个事项", l.total)}</p>
                <MatterTable rows=l.rows.clone() manage />
                <Pager page=l.page pages total=l.total />
                {manage.then(|| view! { <MatterForm list=l.clone() editing save /> })}
            }
        })}
        {manage.then(|| view! { <MattersImport /> })}
    }
}

#[component]
fn MatterTable(rows: Vec<MatterRow>, manage: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"没有符合条件的事项。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="matter-list">
                <thead><tr><th>"事项编码"</th><th>"事项名称"</th><th>"实施部门"</th><th>"适用措施"</th><th>"状态"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|m| view! {
                        <tr data-code=m.code.clone()>
                            <td>{if manage {
                                view! { <a href=format!("/console/joint/matters?edit={}#matter-form", m.public_id)>{m.code.clone()}</a> }.into_any()
                            } else {
                                view! { <span>{m.code.clone()}</span> }.into_any()
                            }}</td>
                            <td>{m.name}</td>
                            <td>{m.department}</td>
                            <td class="small">{if m.measures.is_empty() {
                                "—".to_string()
                            } else {
                                m.measures.iter().map(|(_, code, _)| code.clone()).collect::<Vec<_>>().join("、")
                            }}</td>
                            <td>{if m.active { "使用中" } else { "已停用" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A new matter, or the one being edited (`?edit=`): code, name, unit, its measures.
#[component]
fn MatterForm(
    list: MatterList,
    editing: Option<MatterRow>,
    save: ServerAction<SaveMatter>,
) -> impl IntoView {
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let e = editing.clone().unwrap_or_default();
    let chosen: Vec<String> = e.measures.iter().map(|(id, _, _)| id.clone()).collect();
    view! {
        <section class="panel" id="matter-form" aria-labelledby="matter-form-h">
            <h2 id="matter-form-h">{if editing.is_some() { "修改事项" } else { "新增事项" }}</h2>
            <p class="hint">"按事项编码保存：编码已存在的事项将被更新。"</p>
            {move || save.value().get().and_then(Result::ok).map(|_| view! {
                <div class="notice notice-success" role="status" data-testid="matter-saved">"事项已保存。"</div>
            })}
            <FormAlert error />
            <ActionForm action=save attr:class="stack" attr:data-testid="matter-form">
                <CsrfField />
                <label for="mt-code">"事项编码"</label>
                <input id="mt-code" name="matter[code]" type="text" maxlength="64" required value=e.code.clone() />
                <label for="mt-name">"事项名称"</label>
                <input id="mt-name" name="matter[name]" type="text" maxlength="200" required value=e.name.clone() />
                <label for="mt-unit">"实施部门"</label>
                <select id="mt-unit" name="matter[department]" required>
                    <option value="">"请选择"</option>
                    {list.units.iter().map(|(id, name)| view! {
                        <option value=id.clone() selected=*id == e.department_id>{name.clone()}</option>
                    }).collect_view()}
                </select>
                <fieldset class="measure-picks">
                    <legend>"适用措施"</legend>
                    {list.measures.iter().enumerate().map(|(i, m)| {
                        let id = format!("mt-measure-{i}");
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() name=format!("matter[measures][{i}]") value=m.public_id.clone()
                                    checked=chosen.contains(&m.public_id) />
                                <label for=id>{format!("{} {}（{}）", m.code, m.content, m.list_label)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <label class="check"><input type="checkbox" name="matter[inactive]" value="true" checked=!e.active && editing.is_some() />"停用该事项"</label>
                <button type="submit" class="button">"保存事项"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MattersImport() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="matters-import-h">
            <h2 id="matters-import-h">"导入事项"</h2>
            <p class="hint">"XLSX 表格，第一行为表头：事项编码、事项名称、实施部门（单位全称）、适用措施（措施编号，多个用顿号分隔）。按编码新增或更新；任何一行有误则整表不导入，并逐行说明。"</p>
            <form method="post" action=MATTERS_IMPORT_PATH enctype="multipart/form-data" class="stack" data-testid="matters-import">
                <CsrfField />
                <label for="matters-file">"事项文件（XLSX）"</label>
                <input id="matters-file" type="file" name="file" required
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                <button type="submit" class="button">"导入"</button>
            </form>
        </section>
    }
}
