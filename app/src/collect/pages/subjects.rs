//! 法人库: find a subject by name or code, and read one with its register details, former names,
//! open name checks and the records each class holds for it.
use crate::collect::api::*;
use crate::collect::model::SubjectDetail;
use crate::province::pages::upstream::UpstreamPanel;
use crate::rules::date::beijing_minute as bj;
use crate::ui::status::await_view;
use crate::ui::table::{page_param, param, Pager};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SubjectsPage() -> impl IntoView {
    let (q, page) = (param("q"), page_param());
    let data = Resource::new(
        move || (q.get(), page.get()),
        |(q, p)| search_subjects(q, p),
    );
    view! {
        <Title text="法人库" />
        <h1>"法人库"</h1>
        <p class="muted">"信用主体由各单位报送的数据自动建立，也可由信用办导入登记信息（server import-subjects）；更名留有历史。"</p>
        <form class="filters" method="get" role="search" aria-label="查找信用主体">
            <label>"名称、统一社会信用代码或其开头几位"<input name="q" value=move || q.get() /></label>
            <button type="submit" class="button">"查找"</button>
        </form>
        <UpstreamPanel q />
        {await_view(data, |p| {
            if p.rows.is_empty() {
                return view! { <p class="empty">"没有找到符合条件的主体。"</p> }.into_any();
            }
            let pages = p.pages();
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="subject-list">
                        <caption class="sr-only">"信用主体"</caption>
                        <thead><tr>
                            <th scope="col">"名称"</th><th scope="col">"代码或证件号"</th><th scope="col">"类别"</th>
                            <th scope="col">"区县"</th><th scope="col">"更新时间"</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|s| view! {
                                <tr>
                                    <td data-label="名称"><a href=format!("/console/subjects/{}", s.public_id)>{s.name}</a></td>
                                    <td data-label="代码或证件号"><code>{s.identifier}</code></td>
                                    <td data-label="类别">{s.kind}</td>
                                    <td data-label="区县">{s.county}</td>
                                    <td data-label="更新时间">{bj(&s.updated_at)}</td>
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
pub fn SubjectPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_subject,
    );
    view! {
        <Title text="信用主体" />
        <p><a href="/console/subjects">"← 返回法人库"</a></p>
        {await_view(data, |s| view! { <SubjectView s /> })}
    }
}

#[component]
fn SubjectView(s: SubjectDetail) -> impl IntoView {
    let dash = |v: &str| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.to_string()
        }
    };
    let source = match s.source.split_once(':') {
        Some(("registry", file)) => format!("登记信息导入（{file}）"),
        Some(("batch", _)) => "由报送数据建立".to_string(),
        _ => dash(&s.source),
    };
    let code = s.row.identifier.clone();
    view! {
        <h1>{s.row.name.clone()}</h1>
        {(s.open_conflicts > 0).then(|| view! {
            <p class="notice notice-warning">{format!("有 {} 条名称核实任务待处理：", s.open_conflicts)}<a href="/console/conflicts">"去核实"</a></p>
        })}
        <dl class="facts" data-testid="subject-facts">
            <dt>"代码或证件号"</dt><dd><code>{dash(&s.row.identifier)}</code></dd>
            <dt>"类别"</dt><dd>{s.row.kind.clone()}</dd>
            <dt>"法定代表人"</dt><dd>{dash(&s.legal_rep)}</dd>
            <dt>"区县"</dt><dd>{dash(&s.row.county)}</dd>
            <dt>"住所"</dt><dd>{dash(&s.address)}</dd>
            <dt>"成立日期"</dt><dd>{dash(&s.established_on)}</dd>
            <dt>"注册号"</dt><dd>{dash(&s.reg_no)}</dd>
            <dt>"组织机构代码"</dt><dd>{dash(&s.org_code)}</dd>
            <dt>"来源"</dt><dd>{source}</dd>
            <dt>"建立时间"</dt><dd>{bj(&s.created_at)}</dd>
        </dl>
        <h2>"曾用名"</h2>
        {if s.names.is_empty() {
            view! { <p class="empty">"没有曾用名。"</p> }.into_any()
        } else {
            view! {
                <ul data-testid="former-names">
                    {s.names.into_iter().map(|(name, until, from)| view! {
                        <li>{format!("{name}（{} 起不再使用 · {from}）", bj(&until))}</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"信用记录"</h2>
        <ul data-testid="subject-records">
            {s.records.into_iter().map(|(kind, label, n)| {
                let link = (n > 0 && (kind == "penalty" || kind == "licence"))
                    .then(|| format!("/console/records?kind={kind}&q={}", crate::ui::url::encode(&code)));
                view! {
                    <li>{match link {
                        Some(href) => view! { <a href=href>{format!("{label}：{n} 条")}</a> }.into_any(),
                        None => view! { <span>{format!("{label}：{n} 条")}</span> }.into_any(),
                    }}</li>
                }
            }).collect_view()}
        </ul>
    }
}
