//! Public 统一社会信用代码校验 tool. Checks as the user types with the shared WASM rules; without
//! JavaScript the GET form reloads the page and the server renders the same result.
use crate::rules::uscc::{self, UsccInfo};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsccCheckPage() -> impl IntoView {
    let initial = use_query_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let (code, set_code) = signal(initial.clone());
    let result = Memo::new(move |_| {
        let c = code.get();
        (!c.trim().is_empty()).then(|| uscc::validate(&c))
    });
    view! {
        <Title text="统一社会信用代码校验" />
        <section class="panel narrow">
            <h1>"统一社会信用代码校验"</h1>
            <p class="hint">"按国家标准 GB 32100-2015 检查代码的长度、字符、登记管理部门、机构类别、行政区划码和校验位。输入时即时校验；也可点“校验”按钮。"</p>
            <form method="get" action="/tools/uscc" class="check-form">
                <label for="code">"统一社会信用代码"</label>
                <div class="input-row">
                    <input
                        id="code"
                        name="code"
                        type="text"
                        inputmode="latin"
                        autocomplete="off"
                        spellcheck="false"
                        maxlength="40"
                        placeholder="例如 91433101MA4L0XXXXX"
                        value=initial
                        aria-describedby="code-result"
                        on:input=move |ev| set_code.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button">"校验"</button>
                </div>
            </form>
            <div id="code-result" class="check-result" role="status" aria-live="polite" data-testid="uscc-result">
                {move || match result.get() {
                    None => view! { <p class="hint">"请输入18位统一社会信用代码。"</p> }.into_any(),
                    Some(Ok(info)) => view! { <ValidCode info /> }.into_any(),
                    Some(Err(e)) => view! {
                        <p class="result-bad" data-code=e.code()>
                            <span aria-hidden="true">"✗ "</span>{e.message()}
                        </p>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn ValidCode(info: UsccInfo) -> impl IntoView {
    let division = match info.division_name {
        Some(name) => format!("{}（{}）", info.division_code, name),
        None => info.division_code.clone(),
    };
    let warning = (!info.division_listed).then(|| {
        view! {
            <p class="result-warn" role="note">
                "提示：行政区划码“" {info.division_code.clone()} "”不在现行 GB/T 2260 代码表中，可能是已撤销的旧代码，请核对。"
            </p>
        }
    });
    view! {
        <p class="result-good" data-code="OK"><span aria-hidden="true">"✓ "</span>"代码有效：" {info.code.clone()}</p>
        <dl class="facts">
            <dt>"登记管理部门"</dt><dd>{info.authority}</dd>
            <dt>"机构类别"</dt><dd>{info.org_type.unwrap_or("（该登记管理部门未细分）")}</dd>
            <dt>"登记管理机关行政区划码"</dt><dd>{division}</dd>
            <dt>"组织机构代码"</dt><dd>{info.org_code}</dd>
        </dl>
        {warning}
    }
}
