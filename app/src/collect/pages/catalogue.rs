//! 信用目录: the data classes, and one class's fields, cleaning rules and source units.
use crate::collect::api::*;
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_classes());
    view! {
        <Title text="信用目录" />
        <h1>"信用目录"</h1>
        <p class="muted">"目录规定归集哪些数据、每类数据有哪些字段及其校验规则、由哪些单位按什么频率报送。"</p>
        {await_view(data, |classes| view! {
            <ul class="tiles" data-testid="class-list">
                {classes.into_iter().map(|c| view! {
                    <li>
                        <a class="tile" href=format!("/console/catalogue/{}", c.code)>
                            <strong>{c.name}</strong>
                            <span class="small">{format!("{} 个字段 · {} 个报送单位{}", c.fields, c.units, if c.builtin { " · 内置" } else { "" })}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
pub fn ClassPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_class,
    );
    view! {
        <Title text="数据类别" />
        <p><a href="/console/catalogue">"← 返回信用目录"</a></p>
        {await_view(data, |c| view! {
            <h1>{c.name.clone()}</h1>
            <h2>"字段"</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="field-list">
                    <caption class="sr-only">"字段、代码与取值"</caption>
                    <thead><tr>
                        <th scope="col">"字段"</th><th scope="col">"新版代码"</th><th scope="col">"旧版代码"</th>
                        <th scope="col">"其他表头"</th><th scope="col">"类型"</th><th scope="col">"要求"</th><th scope="col">"取值"</th>
                    </tr></thead>
                    <tbody>
                        {c.fields.into_iter().map(|f| view! {
                            <tr>
                                <td data-label="字段">{f.name}</td><td data-label="新版代码"><code>{f.code_v2}</code></td><td data-label="旧版代码"><code>{f.codes_v1}</code></td>
                                <td data-label="其他表头">{f.synonyms}</td><td data-label="类型">{f.field_type}</td><td data-label="要求">{f.requirement}</td><td data-label="取值">{f.options}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>"清洗规则"</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="rule-list">
                    <caption class="sr-only">"清洗规则及其在本类别的开关"</caption>
                    <thead><tr><th scope="col">"规则"</th><th scope="col">"代码"</th><th scope="col">"职责"</th><th scope="col">"级别"</th><th scope="col">"本类别"</th></tr></thead>
                    <tbody>
                        {c.rules.into_iter().map(|r| view! {
                            <tr>
                                <td data-label="规则">{r.name}</td><td data-label="代码"><code>{r.code}</code></td><td data-label="职责">{r.duty}</td><td data-label="级别">{r.level}</td>
                                <td data-label="本类别">{match (r.enabled, r.optional) { (true, false) => "启用（必选）", (true, true) => "启用", _ => "已停用" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>"报送单位"</h2>
            {if c.sources.is_empty() {
                view! { <p class="empty">"尚未指定报送单位。"</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="source-list">
                        {c.sources.into_iter().map(|s| view! { <li>{format!("{}（{}）", s.unit, s.frequency)}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        })}
    }
}
