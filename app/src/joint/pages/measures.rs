//! 措施清单 (`/console/joint/measures`): the measures with filters (in the URL); for the credit office,
//! the import of the national base list's spreadsheet (a multipart form, all rows or none), a local
//! measure's form, and retiring a measure with its reason.
use crate::auth::policy::{may, Action};
use crate::joint::api::{list_measures, AddMeasure, RetireMeasure};
use crate::joint::measures::{KINDS, LIST_KINDS};
use crate::joint::model::{MeasureFilter, MeasureRow};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

/// Where the import form posts, and the sample spreadsheet.
pub const IMPORT_PATH: &str = "/console/joint/measures/import";
pub const SAMPLE_PATH: &str = "/console/joint/measures/sample.xlsx";

fn may_manage() -> bool {
    use_context::<crate::auth::model::Me>().is_some_and(|me| may(&me.roles, Action::MeasureManage))
}

#[component]
pub fn MeasuresPage() -> impl IntoView {
    let (q, list_kind, kind, status) = (
        param("q"),
        param("list_kind"),
        param("kind"),
        param("status"),
    );
    let (imported, error, page) = (param("imported"), param("error"), page_param());
    let add = ServerAction::<AddMeasure>::new();
    let retire = ServerAction::<RetireMeasure>::new();
    let data = Resource::new(
        move || {
            (
                MeasureFilter {
                    q: q.get(),
                    list_kind: list_kind.get(),
                    kind: kind.get(),
                    status: status.get(),
                },
                page.get(),
                add.version().get() + retire.version().get(),
            )
        },
        |(f, page, _)| list_measures(f, page),
    );
    let manage = may_manage();
    view! {
        <Title text="联合奖惩措施清单" />
        <h1>"联合奖惩措施清单"</h1>
        <p class="hint">"按《全国失信惩戒措施基础清单》和守信激励措施整理，每项措施写明适用名单、依据和实施部门；措施与办理事项关联后，核查时按事项给出应当采取的措施。措施只停用、不删除，历史核查记录仍可查到当时的措施。"</p>
        {move || (!imported.get().is_empty()).then(|| {
            let parts: Vec<String> = imported.get().split(',').map(str::to_string).collect();
            let n = |i: usize| parts.get(i).cloned().unwrap_or_else(|| "0".into());
            view! {
                <div class="notice notice-success" role="status" data-testid="measures-imported">
                    {format!("导入完成：新增 {} 项，更新 {} 项，未变 {} 项。", n(0), n(1), n(2))}
                </div>
            }
        })}
        {move || (!error.get().is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="measures-error"><p class="pre-line">{error.get()}</p></div>
        })}
        {manage.then(|| view! { <ImportPanel /> })}
        <form class="filters" method="get" action="/console/joint/measures">
            <label>"关键词"<input type="search" name="q" value=move || q.get() /></label>
            <label>"适用名单"
                <select name="list_kind">
                    <option value="">"全部"</option>
                    {LIST_KINDS.iter().map(|(c, l)| view! { <option value=*c selected=move || list_kind.get() == *c>{*l}</option> }).collect_view()}
                </select>
            </label>
            <label>"类型"
                <select name="kind">
                    <option value="">"全部"</option>
                    {KINDS.iter().map(|(c, l)| view! { <option value=*c selected=move || kind.get() == *c>{*l}</option> }).collect_view()}
                </select>
            </label>
            <label>"状态"
                <select name="status">
                    {[("", "使用中"), ("retired", "已停用"), ("all", "全部")].into_iter().map(|(c, l)| view! {
                        <option value=c selected=move || status.get() == c>{l}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"查询"</button>
        </form>
        {await_view(data, move |l| {
            let pages = ((l.total + l.per_page - 1) / l.per_page.max(1)).max(1);
            view! {
                <p class="small muted">{format!("共 {} 项", l.total)}</p>
                <MeasureTable rows=l.rows manage retire />
                <Pager page=l.page pages total=l.total />
            }
        })}
        {manage.then(|| view! { <AddForm add /> })}
    }
}

#[component]
fn ImportPanel() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="import-h">
            <h2 id="import-h">"导入基础清单"</h2>
            <p class="hint">"XLSX 表格，第一行为表头：措施编号、措施类型（激励/惩戒，可省略）、适用名单、措施内容、依据、实施部门。按编号新增或更新；任何一行有误则整表不导入，并逐行说明。"</p>
            <form method="post" action=IMPORT_PATH enctype="multipart/form-data" class="stack" data-testid="measures-import">
                <CsrfField />
                <label for="measures-file">"清单文件（XLSX）"</label>
                <input id="measures-file" type="file" name="file" required
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                <p class="actions">
                    <button type="submit" class="button">"导入"</button>
                    " "<a href=SAMPLE_PATH download>"下载样例（含约 20 项措施及来源说明）"</a>
                </p>
            </form>
        </section>
    }
}

#[component]
fn MeasureTable(
    rows: Vec<MeasureRow>,
    manage: bool,
    retire: ServerAction<RetireMeasure>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"没有符合条件的措施。"</p> }.into_any();
    }
    let error = Signal::derive(move || retire.value().get().and_then(|r| r.err()));
    view! {
        <FormAlert error />
        <div class="table-wrap">
            <table class="data" data-testid="measure-list">
                <thead><tr><th>"编号"</th><th>"类型"</th><th>"适用名单"</th><th>"措施内容"</th><th>"依据"</th><th>"实施部门"</th><th>"来源"</th><th>"状态"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|m| {
                        let id = m.public_id.clone();
                        let retired = m.retired_on.clone();
                        let code = m.code.clone();
                        view! {
                            <tr data-code=code>
                                <td>{m.code}</td>
                                <td>{m.kind_label}</td>
                                <td>{m.list_label}</td>
                                <td>{m.content}</td>
                                <td class="small">{m.basis}</td>
                                <td class="small">{m.agency}</td>
                                <td>{m.origin_label}</td>
                                <td>{match retired {
                                    Some(day) => view! { <span>{format!("{day} 停用：{}", m.retired_reason.unwrap_or_default())}</span> }.into_any(),
                                    None if manage => view! {
                                        <ActionForm action=retire attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=id />
                                            <label class="visually-hidden" for=format!("retire-{}", m.public_id)>"停用原因"</label>
                                            <input id=format!("retire-{}", m.public_id) name="reason" type="text" maxlength="500" required placeholder="停用原因" />
                                            <button type="submit" class="button button-secondary">"停用"</button>
                                        </ActionForm>
                                    }.into_any(),
                                    None => view! { <span>"使用中"</span> }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A local measure (the province's or the prefecture's own).
#[component]
fn AddForm(add: ServerAction<AddMeasure>) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" aria-labelledby="add-h">
            <h2 id="add-h">"新增本地措施"</h2>
            {move || add.value().get().and_then(Result::ok).map(|_| view! {
                <div class="notice notice-success" role="status" data-testid="measure-added">"已新增措施。"</div>
            })}
            <FormAlert error />
            <ActionForm action=add attr:class="stack" attr:data-testid="measure-add">
                <CsrfField />
                <label for="m-code">"措施编号（选填，留空由平台编为 L-0001 起）"</label>
                <input id="m-code" name="measure[code]" type="text" maxlength="32" />
                <label for="m-list">"适用名单"</label>
                <select id="m-list" name="measure[list_kind]" required>
                    {LIST_KINDS.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                </select>
                <label for="m-kind">"措施类型"</label>
                <select id="m-kind" name="measure[kind]">
                    <option value="">"按名单（红名单为激励，其余为惩戒）"</option>
                    {KINDS.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                </select>
                <label for="m-content">"措施内容"</label>
                <textarea id="m-content" name="measure[content]" rows="2" maxlength="500" required></textarea>
                <label for="m-basis">"依据"</label>
                <textarea id="m-basis" name="measure[basis]" rows="2" maxlength="1000" required></textarea>
                <label for="m-agency">"实施部门"</label>
                <input id="m-agency" name="measure[agency]" type="text" maxlength="200" required />
                <button type="submit" class="button">"新增措施"</button>
            </ActionForm>
        </section>
    }
}
