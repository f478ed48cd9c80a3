//! 在线填报: one record typed into a form built from the catalogue. The shared rules run in the browser
//! as the user types (the same `row::check` the server runs); the server checks again on submit and
//! shows the batch for confirmation. Without JavaScript the form still posts and the batch page shows
//! what the rules found.
use crate::collect::api::*;
use crate::collect::model::{FormSpec, SubmitOptions};
use crate::rules::catalog::{FieldSpec, FieldType, Requirement, PENALTY};
use crate::rules::clean::row::{self, Checked, Context};
use crate::rules::clean::rules::Level;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use crate::ui::table::param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// Runs the class's rules on the form's values, exactly as the server will for this unit.
pub fn check_values(spec: &FormSpec, values: Vec<String>) -> Checked {
    let ctx = Context {
        today: spec.today,
        regime: &spec.regime,
        unit: &spec.unit,
        supplied: None,
        id_mask: spec.id_mask,
        authorities: &spec.authorities,
    };
    row::check(&spec.class, &ctx, values, 1, None)
}

#[component]
pub fn FormPage() -> impl IntoView {
    let (class, department) = (param("class"), param("department"));
    let class = Memo::new(move |_| {
        let c = class.get();
        if c.is_empty() {
            PENALTY.to_string()
        } else {
            c
        }
    });
    let options = Resource::new(|| (), |_| get_submit_options());
    let spec = Resource::new(
        move || (class.get(), department.get()),
        |(c, d)| get_form_spec(c, d),
    );
    view! {
        <Title text="在线填报" />
        <h1>"在线填报"</h1>
        <p class="muted">
            "逐条填写一条记录：边填边按信用目录的规则检查。提交后生成一个批次，在批次页确认后发布；批量数据请用"
            <a href="/console/collect">"文件上传"</a>"。"
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                options.await.ok().map(|o| view! { <ClassPicker o class=class.get_untracked() department=department.get_untracked() /> })
            })}
        </Suspense>
        {await_view(spec, |s| view! { <RecordForm spec=s /> })}
    }
}

/// Which class (and, for the credit office, which unit) to fill in: a GET form, so it works without
/// JavaScript and the choice is in the address.
#[component]
fn ClassPicker(o: SubmitOptions, class: String, department: String) -> impl IntoView {
    let units = (!o.units.is_empty()).then(|| {
        view! {
            <label>"报送单位"
                <select name="department">
                    {o.units.iter().map(|u| {
                        let id = u.id.to_string();
                        let selected = id == department;
                        view! { <option value=id selected=selected>{u.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    });
    view! {
        <form class="filters" method="get" aria-label="选择数据类别">
            <label>"数据类别"
                <select name="class">
                    {o.classes.iter().map(|c| view! {
                        <option value=c.code.clone() selected=c.code == class>{c.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            {units}
            <button type="submit" class="button">"切换"</button>
        </form>
    }
}

#[component]
fn RecordForm(spec: FormSpec) -> impl IntoView {
    let submit = ServerAction::<SubmitRecord>::new();
    let error = Signal::derive(move || submit.value().get().and_then(|r| r.err()));
    let fields = spec.class.fields.clone();
    let n = fields.len();
    // Fields the platform fills from the unit itself (数据来源单位 …) are shown, not typed.
    let auto: Vec<Option<String>> = {
        let initial = check_values(&spec, vec![String::new(); n]);
        (0..n)
            .map(|i| {
                let filled = initial.filled.iter().any(|(f, _)| *f == i);
                // `check_values` returns one value per field.
                filled.then(|| initial.values.get(i).cloned().unwrap_or_default())
            })
            .collect()
    };
    let values: Vec<RwSignal<String>> = (0..n).map(|_| RwSignal::new(String::new())).collect();
    let touched: Vec<RwSignal<bool>> = (0..n).map(|_| RwSignal::new(false)).collect();
    let tried = RwSignal::new(false);
    let department = spec.department_id.to_string();
    let class_code = spec.class.code.clone();
    let unit_name = spec.unit.name.clone();
    let spec = StoredValue::new(spec);
    let checked = {
        let values = values.clone();
        Memo::new(move |_| {
            let raw: Vec<String> = values.iter().map(|v| v.get()).collect();
            spec.with_value(|s| check_values(s, raw))
        })
    };
    let counts = move || {
        checked.with(|c| {
            let errors = c.faults.iter().filter(|f| f.level == Level::Error).count();
            (errors, c.faults.len() - errors)
        })
    };
    let block_if_faulty = move |ev: leptos::ev::MouseEvent| {
        if counts().0 > 0 {
            ev.prevent_default();
            tried.set(true);
            focus_first_fault(&checked.get_untracked());
        }
    };
    // Faults no input shows: whole-row ones, and those of fields the platform fills.
    let auto_keys: Vec<String> = fields
        .iter()
        .zip(&auto)
        .filter(|(_, a)| a.is_some())
        .map(|(f, _)| f.key.clone())
        .collect();
    let started = {
        let touched = touched.clone();
        Signal::derive(move || tried.get() || touched.iter().any(|t| t.get()))
    };
    let row_faults = move || {
        if !started.get() {
            return vec![];
        }
        checked.with(|c| {
            c.faults
                .iter()
                .filter(|f| f.field.is_empty() || auto_keys.contains(&f.field))
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="panel" aria-labelledby="form-title">
            <h2 id="form-title">{spec.with_value(|s| s.class.name.clone())}</h2>
            <p>"报送单位："<strong>{unit_name}</strong></p>
            <FormAlert error fields=&[] />
            <ActionForm action=submit attr:class="stack record-form" attr:data-testid="record-form">
                <CsrfField />
                <input type="hidden" name="class" value=class_code />
                <input type="hidden" name="department" value=department />
                {fields.into_iter().zip(auto).zip(values.iter().copied().zip(touched.iter().copied())).map(|((f, auto), (value, touched))| {
                    let input = match auto {
                        Some(v) => view! { <AutoField f v /> }.into_any(),
                        None => view! {
                            <InputField f value touched tried checked />
                        }.into_any(),
                    };
                    input
                }).collect_view()}
                <div class="check-summary" role="status" aria-live="polite" data-testid="form-summary">
                    {move || {
                        if !started.get() {
                            return "填写时即按目录规则逐项检查；标 * 的为必填项。".to_string();
                        }
                        let (errors, warnings) = counts();
                        match (errors, warnings) {
                            (0, 0) => "按目录规则检查：通过，可以提交。".to_string(),
                            (0, w) => format!("按目录规则检查：没有错误，{w} 条提示，可以提交。"),
                            (e, w) => format!("按目录规则检查：还有 {e} 处错误{}，请按字段下的提示修改。", if w > 0 { format!("、{w} 条提示") } else { String::new() }),
                        }
                    }}
                    <ul>{move || row_faults().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
                <button type="submit" class="button" on:click=block_if_faulty>"提交检查"</button>
            </ActionForm>
        </section>
    }
}

/// A field filled from the unit: shown so the clerk sees what will be stored.
#[component]
fn AutoField(f: FieldSpec, v: String) -> impl IntoView {
    view! {
        <div class="field">
            <span class="label-text">{f.name.clone()}</span>
            <p class="auto-value">{v}<span class="muted">"（由平台按报送单位自动填写）"</span></p>
        </div>
    }
}

#[component]
fn InputField(
    f: FieldSpec,
    value: RwSignal<String>,
    touched: RwSignal<bool>,
    tried: RwSignal<bool>,
    checked: Memo<Checked>,
) -> impl IntoView {
    let id = format!("f-{}", f.key);
    let err_id = format!("{id}-err");
    let hint_id = format!("{id}-hint");
    let name = format!("record[{}]", f.key);
    let key = f.key.clone();
    let messages = Signal::derive(move || {
        if !(touched.get() || tried.get()) {
            return vec![];
        }
        checked.with(|c| {
            c.faults
                .iter()
                .filter(|x| x.field == key)
                .map(|x| (x.level, x.message.clone()))
                .collect::<Vec<_>>()
        })
    });
    let invalid =
        Signal::derive(move || messages.with(|m| m.iter().any(|(l, _)| *l == Level::Error)));
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        Signal::derive(move || {
            if messages.with(Vec::is_empty) {
                hint_id.clone()
            } else {
                format!("{hint_id} {err_id}")
            }
        })
    };
    let hint = field_hint(&f);
    // No HTML `required`: the platform fills some required fields itself (the authority's code when
    // the unit decided), so the browser's own check would refuse valid forms. The rules decide.
    let required = f.requirement == Requirement::Required;
    let on_input = move |ev| {
        value.set(event_target_value(&ev));
    };
    let mark = move |_| touched.set(true);
    let control = match f.field_type {
        FieldType::Enum => view! {
            <select id=id.clone() name=name.clone() aria-required=required.to_string()
                aria-invalid=move || invalid.get().to_string() aria-describedby=described
                on:change=move |ev| { value.set(event_target_value(&ev)); touched.set(true); }>
                <option value="">"请选择"</option>
                {f.canonical_options().into_iter().map(|o| view! { <option value=o.to_string()>{o.to_string()}</option> }).collect_view()}
            </select>
        }.into_any(),
        FieldType::FreeText if f.max_len > 200 => view! {
            <textarea id=id.clone() name=name.clone() rows="3" aria-required=required.to_string()
                aria-invalid=move || invalid.get().to_string() aria-describedby=described
                prop:value=move || value.get() on:input=on_input on:blur=mark></textarea>
        }.into_any(),
        t => view! {
            <input id=id.clone() name=name.clone() aria-required=required.to_string()
                type=if t == FieldType::Date { "date" } else { "text" }
                inputmode=(t == FieldType::Money).then_some("decimal")
                aria-invalid=move || invalid.get().to_string() aria-describedby=described
                prop:value=move || value.get() on:input=on_input on:blur=mark />
        }.into_any(),
    };
    let chips = (f.field_type == FieldType::MultiEnum)
        .then(|| view! { <OptionChips f=f.clone() value touched /> });
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>
                {f.name.clone()}
                {required.then(|| view! { <span class="required-mark" aria-label="必填">"*"</span> })}
            </label>
            {control}
            {chips}
            <p class="field-hint" id=hint_id>{hint}</p>
            <div id=err_id>
                {move || messages.get().into_iter().map(|(level, m)| view! {
                    <p class=if level == Level::Error { "field-error" } else { "field-warning" }>{m}</p>
                }).collect_view()}
            </div>
        </div>
    }
}

/// Tick boxes for a multi-choice field, once the page runs in the browser; they edit the text box,
/// which is what the form sends (and what a user without JavaScript types into).
#[component]
fn OptionChips(f: FieldSpec, value: RwSignal<String>, touched: RwSignal<bool>) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let options: Vec<String> = f
        .canonical_options()
        .into_iter()
        .map(str::to_string)
        .collect();
    move || {
        mounted.get().then(|| {
            let options = options.clone();
            view! {
                <fieldset class="chips">
                    <legend class="sr-only">{format!("{}（可多选）", f.name)}</legend>
                    {options.into_iter().map(|o| {
                        let has = {
                            let o = o.clone();
                            move || value.with(|v| crate::rules::clean::values::split_multi(v).any(|x| x == o))
                        };
                        let toggle = {
                            let o = o.clone();
                            move |_| {
                                let mut chosen: Vec<String> = value.with(|v| crate::rules::clean::values::split_multi(v).map(str::to_string).collect());
                                match chosen.iter().position(|x| *x == o) {
                                    Some(p) => { chosen.remove(p); }
                                    None => chosen.push(o.clone()),
                                }
                                value.set(chosen.join("；"));
                                touched.set(true);
                            }
                        };
                        view! {
                            <label class="chip"><input type="checkbox" prop:checked=has on:change=toggle />{o.clone()}</label>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
    }
}

fn field_hint(f: &FieldSpec) -> String {
    let mut parts = vec![f.requirement.label().to_string()];
    if let Some(code) = &f.code_v2 {
        parts.push(format!("代码 {code}"));
    }
    match f.field_type {
        FieldType::MultiEnum => parts.push(format!(
            "可多选，用“；”分隔：{}",
            f.canonical_options().join("；")
        )),
        FieldType::DateOrLong => parts.push("日期如 2026-03-07，长期有效填“长期”".into()),
        FieldType::Money => parts.push("单位万元，最多 6 位小数".into()),
        FieldType::Uscc => parts.push("18 位统一社会信用代码".into()),
        _ => {}
    }
    if f.max_len > 0 && matches!(f.field_type, FieldType::Text | FieldType::FreeText) {
        parts.push(format!("不超过 {} 字", f.max_len));
    }
    parts.join("；")
}

/// Moves focus to the first field with an error, so keyboard and screen-reader users land on it.
fn focus_first_fault(c: &Checked) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let first = c
            .faults
            .iter()
            .find(|f| f.level == Level::Error && !f.field.is_empty());
        if let Some(el) = first
            .and_then(|f| document().get_element_by_id(&format!("f-{}", f.field)))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = c;
}
