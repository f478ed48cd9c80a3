//! 嵌入核查 (`/console/joint/embed`): how a unit puts the check into its own system — the one-line
//! script, the ticket its server asks for — and which origins may frame each unit's page (the credit
//! office sets them).
use crate::joint::api::{embed_units, SaveEmbedOrigins};
use crate::joint::embed::{snippet, PAGE_PATH};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EmbedPage() -> impl IntoView {
    let save = ServerAction::<SaveEmbedOrigins>::new();
    let data = Resource::new(move || save.version().get(), |_| embed_units());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    view! {
        <Title text="嵌入核查" />
        <p class="small"><a href="/console/joint/check">"← 联合奖惩核查"</a></p>
        <h1>"在本单位业务系统中嵌入核查"</h1>
        {await_view(data, move |s| {
            let may_edit = s.may_edit;
            let origin = if s.origin.is_empty() { "https://信用平台地址".to_string() } else { s.origin.clone() };
            view! {
                <section class="panel" aria-labelledby="embed-how-h">
                    <h2 id="embed-how-h">"接入步骤"</h2>
                    <ol>
                        <li>"请安全管理员为本单位发放带“联合奖惩核查”权限的接口密钥（接口密钥 → 其他权限）。"</li>
                        <li>"本单位系统后台用该密钥调用 "<code>"POST /api/v1/embed-tickets"</code>"（请求体 "<code>"{\"handler\": \"办理人姓名或工号\"}"</code>"），取得当天有效的核查票据。密钥只能保存在后台，不得写入网页。"</li>
                        <li>"在办件页面中放入下面一行代码，填入事项编码和票据："</li>
                    </ol>
                    <pre class="code" data-testid="embed-snippet"><code>{snippet(&origin, "事项编码")}</code></pre>
                    <p class="hint">{format!("代码会在其后插入核查页面（{PAGE_PATH}）。只有信用办为本单位登记的网址来源可以嵌入该页面，其他网站嵌入时浏览器会拒绝显示。")}</p>
                </section>
                <section class="panel" aria-labelledby="embed-origins-h">
                    <h2 id="embed-origins-h">"允许嵌入的网址来源"</h2>
                    <FormAlert error />
                    {move || save.value().get().and_then(Result::ok).map(|_| view! {
                        <div class="notice notice-success" role="status" data-testid="origins-saved">"已保存。"</div>
                    })}
                    <div class="table-wrap">
                        <table class="data" data-testid="embed-origins">
                            <thead><tr><th>"单位"</th><th>"允许嵌入的来源"</th></tr></thead>
                            <tbody>
                                {s.units.into_iter().map(|(id, name, origins)| {
                                    let text = origins.join(" ");
                                    view! {
                                        <tr>
                                            <td>{name.clone()}</td>
                                            <td>{if may_edit {
                                                view! {
                                                    <ActionForm action=save attr:class="inline-form">
                                                        <CsrfField />
                                                        <input type="hidden" name="unit" value=id.clone() />
                                                        <label class="sr-only" for=format!("eo-{id}")>{format!("{name}允许嵌入的来源")}</label>
                                                        <input id=format!("eo-{id}") name="origins" type="text" value=text
                                                            placeholder="如 https://zwfw.xxz.gov.cn（多个用空格分隔）" />
                                                        <button type="submit" class="button button-secondary">"保存"</button>
                                                    </ActionForm>
                                                }.into_any()
                                            } else if text.is_empty() {
                                                view! { <span class="muted">"未登记（不能嵌入）"</span> }.into_any()
                                            } else {
                                                view! { <span>{text}</span> }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })}
    }
}
