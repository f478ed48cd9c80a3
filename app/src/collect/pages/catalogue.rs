//! 信用目录: the data classes; one class's fields, cleaning rules and source units; and, for the credit
//! office, the forms that change them (fields, rule switches, units with frequency and exchange
//! address, new classes). Every form is a plain post, so it works without JavaScript.
use crate::collect::api::*;
use crate::collect::model::{ClassDetail, RuleView, SourceView, UnitOption};
use crate::rules::catalog::{frequency_label, FieldSpec, FieldType, Requirement, FREQUENCIES};
use crate::rules::catalog_edit::CORE_FIELDS;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_classes());
    let me = use_context::<crate::auth::model::Me>();
    let may_manage = me.is_some_and(|m| {
        crate::auth::policy::may(&m.roles, crate::auth::policy::Action::CatalogueManage)
    });
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
                            <span class="small">{format!("{} 个字段 · {} 个报送单位{}", c.fields, c.units, if c.builtin { " · 内置" } else { " · 自定义" })}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {may_manage.then(|| view! { <NewClassForm /> })}
    }
}

#[component]
fn NewClassForm() -> impl IntoView {
    let create = ServerAction::<CreateClass>::new();
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <section class="panel" aria-labelledby="new-class">
            <h2 id="new-class">"新增数据类别"</h2>
            <p class="muted">"新类别自带主体名称、统一社会信用代码、证件号码、文书编号、作出日期和作出单位，其余字段创建后添加。"</p>
            <FormAlert error />
            <ActionForm action=create attr:class="stack">
                <CsrfField />
                <label for="class-code">"类别代码"</label>
                <input id="class-code" name="code" required pattern="[a-z][a-z0-9_]{2,31}" aria-describedby="class-code-hint" />
                <p class="field-hint" id="class-code-hint">"小写字母开头，只含小写字母、数字和下划线，例如 tax_rating"</p>
                <label for="class-name">"类别名称"</label>
                <input id="class-name" name="name" required maxlength="40" />
                <button type="submit" class="button">"创建类别"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ClassPage() -> impl IntoView {
    let params = use_params_map();
    let saved = param("saved");
    let rule = ServerAction::<SwitchClassRule>::new();
    let source = ServerAction::<SaveClassSource>::new();
    let remove_source = ServerAction::<RemoveClassSource>::new();
    let remove_field = ServerAction::<RemoveClassField>::new();
    let pull = ServerAction::<ExchangeNow>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                rule.version().get()
                    + source.version().get()
                    + remove_source.version().get()
                    + remove_field.version().get()
                    + pull.version().get(),
            )
        },
        |(code, _)| get_class(code),
    );
    let error = Signal::derive(move || {
        [
            rule.value().get().and_then(|r| r.err()),
            source.value().get().and_then(|r| r.err()),
            remove_source.value().get().and_then(|r| r.err()),
            remove_field.value().get().and_then(|r| r.err()),
            pull.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <Title text="数据类别" />
        <p><a href="/console/catalogue">"← 返回信用目录"</a></p>
        {move || (saved.get() == "1").then(|| view! { <p class="notice notice-success" role="status">"已保存，下一次检查即按新目录执行。"</p> })}
        <FormAlert error />
        {move || pull.value().get().and_then(|r| r.ok()).map(|m| view! { <p class="notice notice-info" role="status" data-testid="exchange-result">{m}</p> })}
        {await_view(data, move |c| view! { <ClassView c rule source remove_source remove_field pull /> })}
    }
}

#[component]
fn ClassView(
    c: ClassDetail,
    rule: ServerAction<SwitchClassRule>,
    source: ServerAction<SaveClassSource>,
    remove_source: ServerAction<RemoveClassSource>,
    remove_field: ServerAction<RemoveClassField>,
    pull: ServerAction<ExchangeNow>,
) -> impl IntoView {
    let code = c.spec.code.clone();
    let manage = c.may_manage;
    let removable = move |key: &str| manage && !c.builtin && !CORE_FIELDS.contains(&key);
    let add_field = (manage && !c.builtin).then(|| {
        view! { <p><a class="button" href=format!("/console/catalogue/{code}/new-field")>"新增字段"</a></p> }
    });
    let code_for_fields = c.spec.code.clone();
    view! {
        <h1>{c.spec.name.clone()}</h1>
        <p class="muted">{format!("类别代码 {} · {}", c.spec.code, if c.builtin { "内置类别：字段按国家标准，可增加表头别名、取值别名和提高填报要求" } else { "自定义类别" })}</p>
        <h2>"字段"</h2>
        {add_field}
        <div class="table-wrap">
            <table class="data-table" data-testid="field-list">
                <caption class="sr-only">"字段、代码与取值"</caption>
                <thead><tr>
                    <th scope="col">"字段"</th><th scope="col">"新版代码"</th><th scope="col">"旧版代码"</th>
                    <th scope="col">"其他表头"</th><th scope="col">"类型"</th><th scope="col">"要求"</th><th scope="col">"取值"</th>
                    {manage.then(|| view! { <th scope="col">"操作"</th> })}
                </tr></thead>
                <tbody>
                    {c.spec.fields.iter().map(|f| {
                        let edit = format!("/console/catalogue/{}/field/{}", code_for_fields, f.key);
                        let can_remove = removable(&f.key);
                        let (class, key) = (code_for_fields.clone(), f.key.clone());
                        view! {
                            <tr>
                                <td data-label="字段">{f.name.clone()}</td>
                                <td data-label="新版代码"><code>{f.code_v2.clone().unwrap_or_default()}</code></td>
                                <td data-label="旧版代码"><code>{f.codes_v1.join("、")}</code></td>
                                <td data-label="其他表头">{f.synonyms.join("、")}</td>
                                <td data-label="类型">{f.field_type.label()}</td>
                                <td data-label="要求">{f.requirement.label()}</td>
                                <td data-label="取值">{f.canonical_options().join("、")}</td>
                                {manage.then(|| view! {
                                    <td data-label="操作" class="actions">
                                        <a href=edit aria-label=format!("编辑字段{}", f.name)>"编辑"</a>
                                        {can_remove.then(|| view! {
                                            <ActionForm action=remove_field attr:class="inline-form">
                                                <CsrfField />
                                                <input type="hidden" name="class" value=class.clone() />
                                                <input type="hidden" name="key" value=key.clone() />
                                                <button type="submit" class="link">"删除"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                })}
                            </tr>
                        }
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
                    {c.rules.into_iter().map(|r| view! { <RuleRow r class=c.spec.code.clone() manage rule /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"报送单位"</h2>
        <SourceTable sources=c.sources class=c.spec.code.clone() manage remove_source pull />
        {manage.then(|| view! { <SourceForm class=c.spec.code.clone() units=c.units source /> })}
    }
}

#[component]
fn RuleRow(
    r: RuleView,
    class: String,
    manage: bool,
    rule: ServerAction<SwitchClassRule>,
) -> impl IntoView {
    let state = match (r.enabled, r.optional) {
        (true, false) => "启用（必选）",
        (true, true) => "启用",
        _ => "已停用",
    };
    let (rule_code, rule_name) = (r.code.clone(), r.name.clone());
    let toggle = (manage && (r.optional || !r.enabled)).then(move || {
        view! {
            <ActionForm action=rule attr:class="inline-form">
                <CsrfField />
                <input type="hidden" name="class" value=class />
                <input type="hidden" name="code" value=rule_code />
                <input type="hidden" name="enabled" value=(!r.enabled).to_string() />
                <button type="submit" class="link" aria-label=format!("{}规则{}", if r.enabled { "停用" } else { "启用" }, rule_name)>
                    {if r.enabled { "停用" } else { "启用" }}
                </button>
            </ActionForm>
        }
    });
    view! {
        <tr data-rule=r.code.clone()>
            <td data-label="规则">{r.name}</td><td data-label="代码"><code>{r.code.clone()}</code></td><td data-label="职责">{r.duty}</td><td data-label="级别">{r.level}</td>
            <td data-label="本类别"><span data-testid="rule-state">{state}</span>" "{toggle}</td>
        </tr>
    }
}

#[component]
fn SourceTable(
    sources: Vec<SourceView>,
    class: String,
    manage: bool,
    remove_source: ServerAction<RemoveClassSource>,
    pull: ServerAction<ExchangeNow>,
) -> impl IntoView {
    if sources.is_empty() {
        return view! { <p class="empty">"尚未指定报送单位。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="source-list">
                <caption class="sr-only">"报送单位、频率与定时交换"</caption>
                <thead><tr>
                    <th scope="col">"单位"</th><th scope="col">"频率"</th><th scope="col">"定时交换地址"</th><th scope="col">"最近一次交换"</th>
                    {manage.then(|| view! { <th scope="col">"操作"</th> })}
                </tr></thead>
                <tbody>
                    {sources.into_iter().map(|s| { let class = class.clone(); view! {
                        <tr>
                            <td data-label="单位">{s.unit.clone()}</td>
                            <td data-label="频率">{frequency_label(&s.frequency)}</td>
                            <td data-label="定时交换地址"><code>{if s.exchange_url.is_empty() { "—".to_string() } else { s.exchange_url.clone() }}</code></td>
                            <td data-label="最近一次交换">{if s.last_exchange.is_empty() { "—".to_string() } else { s.last_exchange.clone() }}</td>
                            {manage.then(|| view! {
                                <td data-label="操作" class="actions">
                                    {(!s.exchange_url.is_empty()).then(|| { let (class, unit) = (class.clone(), s.unit.clone()); view! {
                                        <ActionForm action=pull attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="class" value=class />
                                            <input type="hidden" name="department" value=s.department_id.to_string() />
                                            <button type="submit" class="link" aria-label=format!("立即交换{unit}的数据")>"立即交换"</button>
                                        </ActionForm>
                                    }})}
                                    <ActionForm action=remove_source attr:class="inline-form">
                                        <CsrfField />
                                        <input type="hidden" name="class" value=class />
                                        <input type="hidden" name="department" value=s.department_id.to_string() />
                                        <button type="submit" class="link" aria-label=format!("移除报送单位{}", s.unit)>"移除"</button>
                                    </ActionForm>
                                </td>
                            })}
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn SourceForm(
    class: String,
    units: Vec<UnitOption>,
    source: ServerAction<SaveClassSource>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="source-form">
            <h3 id="source-form">"添加或修改报送单位"</h3>
            <p class="muted">"同一单位再次保存即修改其频率和交换地址。填写交换地址后，平台按频率定时拉取该地址的 CSV 或 XLSX 文件，生成批次并检查（确认发布仍由单位或信用办完成）。"</p>
            <ActionForm action=source attr:class="stack">
                <CsrfField />
                <input type="hidden" name="class" value=class />
                <label for="source-unit">"单位"</label>
                <select id="source-unit" name="department" required>
                    {units.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.name}</option> }).collect_view()}
                </select>
                <label for="source-frequency">"报送频率"</label>
                <select id="source-frequency" name="frequency" required>
                    {FREQUENCIES.iter().map(|(code, label, _)| view! { <option value=*code selected=*code == "monthly">{*label}</option> }).collect_view()}
                </select>
                <label for="source-url">"定时交换地址（可选）"</label>
                <input id="source-url" name="exchange_url" placeholder="https://… 或 file:///…" aria-describedby="source-url-hint" />
                <p class="field-hint" id="source-url-hint">"http(s) 网址或服务器上的文件路径（file:///）；留空表示该单位自行报送。"</p>
                <button type="submit" class="button">"保存报送单位"</button>
            </ActionForm>
        </section>
    }
}

/// Editing one field, or adding one to a class an operator defined (`/new-field`).
#[component]
pub fn FieldEditPage() -> impl IntoView {
    let params = use_params_map();
    let class = move || params.read().get("code").unwrap_or_default();
    let key = move || params.read().get("key");
    let data = Resource::new(class, get_class);
    view! {
        <Title text="编辑字段" />
        <p><a href=move || format!("/console/catalogue/{}", class())>"← 返回数据类别"</a></p>
        {await_view(data, move |c| {
            let field = match key() {
                Some(k) => match c.spec.field(&k) {
                    Some(f) => Some(f.clone()),
                    None => return view! { <p class="empty">"该类别中没有这个字段。"</p> }.into_any(),
                },
                None => None,
            };
            view! { <FieldForm c field /> }.into_any()
        })}
    }
}

#[component]
fn FieldForm(c: ClassDetail, field: Option<FieldSpec>) -> impl IntoView {
    let save = ServerAction::<SaveClassField>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let is_new = field.is_none();
    let f = field.unwrap_or(FieldSpec {
        key: String::new(),
        name: String::new(),
        code_v2: None,
        codes_v1: vec![],
        synonyms: vec![],
        field_type: FieldType::Text,
        requirement: Requirement::Optional,
        options: vec![],
        max_len: 200,
    });
    // Built-in fields keep their national name, type and code; the inputs stay but cannot change.
    let fixed = c.builtin;
    let title = if is_new {
        format!("{}：新增字段", c.spec.name)
    } else {
        format!("{}：{}", c.spec.name, f.name)
    };
    let message = move |name: &'static str| {
        move || {
            crate::ui::form::field_message(&error.get(), name)
                .map(|m| view! { <p class="field-error">{m}</p> })
        }
    };
    view! {
        <h1>{title}</h1>
        {fixed.then(|| view! { <p class="notice notice-info">"内置字段：名称、类型和新版代码按国家标准固定；可以增加旧版代码和其他表头、为标准取值添加别名（别名=标准值）、调整最大长度，或把要求提高（不能放宽）。"</p> })}
        <FormAlert error fields=&["key", "name", "field_type", "requirement", "options", "max_len", "synonyms"] />
        <ActionForm action=save attr:class="stack" attr:data-testid="field-form">
            <CsrfField />
            <input type="hidden" name="class" value=c.spec.code.clone() />
            <input type="hidden" name="is_new" value=is_new.to_string() />
            <label for="field-key">"字段代码"</label>
            <input id="field-key" name="field[key]" value=f.key.clone() required readonly=!is_new />
            {message("key")}
            <label for="field-name">"字段名称"</label>
            <input id="field-name" name="field[name]" value=f.name.clone() required readonly=fixed />
            {message("name")}
            <label for="field-code-v2">"新版代码"</label>
            <input id="field-code-v2" name="field[code_v2]" value=f.code_v2.clone().unwrap_or_default() readonly=fixed />
            <label for="field-codes-v1">"旧版代码（多个用“；”分隔）"</label>
            <input id="field-codes-v1" name="field[codes_v1]" value=f.codes_v1.join("；") />
            <label for="field-synonyms">"其他表头（多个用“；”分隔）"</label>
            <textarea id="field-synonyms" name="field[synonyms]" rows="2">{f.synonyms.join("；")}</textarea>
            {message("synonyms")}
            <label for="field-type">"类型"</label>
            <select id="field-type" name="field[field_type]">
                {FieldType::ALL.iter().filter(|t| !fixed || **t == f.field_type).map(|t| view! {
                    <option value=t.as_str() selected=*t == f.field_type>{t.label()}</option>
                }).collect_view()}
            </select>
            {message("field_type")}
            <label for="field-requirement">"填报要求"</label>
            <select id="field-requirement" name="field[requirement]">
                {[Requirement::Required, Requirement::Conditional, Requirement::Optional].into_iter().map(|r| view! {
                    <option value=r.as_str() selected=r == f.requirement>{r.label()}</option>
                }).collect_view()}
            </select>
            {message("requirement")}
            <label for="field-options">"取值（单选、多选字段；多个用“；”分隔，别名写作 别名=标准值）"</label>
            <textarea id="field-options" name="field[options]" rows="3">{f.options.join("；")}</textarea>
            {message("options")}
            <label for="field-max-len">"最大长度（字）"</label>
            <input id="field-max-len" name="field[max_len]" type="number" min="1" max="10000" value=f.max_len.to_string() required />
            {message("max_len")}
            <button type="submit" class="button">"保存字段"</button>
        </ActionForm>
    }
}
