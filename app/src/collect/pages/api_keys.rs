//! 接口密钥 (security admin): make a key for a unit's or a partner's system, scoped to the classes it
//! submits and reads, checks and reports, with its own rate limit; it is shown once. Revoke a key, which
//! stops it at once. The keys' calls are in the access log (`/console/api-access`).
use crate::collect::api::*;
use crate::rules::date::beijing_minute as bj;
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let data = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| revoke.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text="接口密钥" />
        <h1>"接口密钥"</h1>
        <p class="muted">"信源单位的业务系统凭密钥调用数据报送接口（文档：" <a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a> "）。密钥只在生成时显示一次，平台只保存其摘要；吊销后立即失效。"</p>
        <FormAlert error fields=&[] />
        {move || create.value().get().and_then(|r| r.ok()).map(|k| view! {
            <div class="notice notice-success" role="status" data-testid="new-key">
                <p>{format!("已为“{}”生成密钥。请立即复制并交给对方系统管理员，离开本页后无法再次查看：", k.name)}</p>
                <p><code class="hash">{k.key}</code></p>
            </div>
        })}
        {await_view(data, move |p| {
            let n = p.classes.len();
            view! {
                <section class="panel" aria-labelledby="new-key-title">
                    <h2 id="new-key-title">"生成密钥"</h2>
                    <ActionForm action=create attr:class="stack">
                        <CsrfField />
                        <label for="key-name">"用途"</label>
                        <input id="key-name" name="name" required maxlength="60" placeholder="如：市场监管局行政处罚系统" />
                        <label for="key-unit">"所属单位"</label>
                        <select id="key-unit" name="department" required>
                            {p.units.iter().map(|u| view! { <option value=u.id.to_string()>{u.name.clone()}</option> }).collect_view()}
                        </select>
                        <fieldset>
                            <legend>"可报送的数据类别"</legend>
                            <div class="checks">
                                {p.classes.iter().enumerate().map(|(i, c)| view! {
                                    <label><input type="checkbox" name=format!("scopes[{i}]") value=c.code.clone() />{c.name.clone()}</label>
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <fieldset>
                            <legend>"可读取的公示数据类别（合作系统接口）"</legend>
                            <div class="checks">
                                {p.classes.iter().enumerate().map(|(i, c)| view! {
                                    <label><input type="checkbox" name=format!("scopes[{}]", n + i) value=format!("read:{}", c.code) />{c.name.clone()}</label>
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <fieldset>
                            <legend>"其他权限"</legend>
                            <label class="check"><input type="checkbox" name=format!("scopes[{}]", 2 * n) value="check" />"联合奖惩核查（本单位办理事项的核查与反馈）"</label>
                            <label class="check"><input type="checkbox" name=format!("scopes[{}]", 2 * n + 1) value="report" />"按办理事项出具公共信用信息报告"</label>
                        </fieldset>
                        <label for="key-rate">"每分钟请求上限"</label>
                        <input id="key-rate" name="rate_per_min" type="number" min="1" inputmode="numeric" aria-describedby="key-rate-hint" />
                        <p id="key-rate-hint" class="hint">"留空则使用平台默认值；超过上限的请求返回 429 和 Retry-After。"</p>
                        <button type="submit" class="button">"生成密钥"</button>
                    </ActionForm>
                </section>
                {if p.keys.is_empty() {
                    view! { <p class="empty">"尚未生成密钥。"</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="data-table" data-testid="key-list">
                                <caption class="sr-only">"接口密钥"</caption>
                                <thead><tr>
                                    <th scope="col">"用途"</th><th scope="col">"单位"</th><th scope="col">"前缀"</th>
                                    <th scope="col">"权限"</th><th scope="col">"每分钟上限"</th><th scope="col">"最近使用"</th><th scope="col">"状态"</th>
                                </tr></thead>
                                <tbody>
                                    {p.keys.into_iter().map(|k| {
                                        let active = k.revoked_at.is_empty();
                                        let id = k.public_id.clone();
                                        view! {
                                            <tr>
                                                <td data-label="用途">{k.name}</td>
                                                <td data-label="单位">{k.unit}</td>
                                                <td data-label="前缀"><code>{format!("xxc_{}_…", k.prefix)}</code></td>
                                                <td data-label="权限">{k.scopes.replace(';', "、")}</td>
                                                <td data-label="每分钟上限">{if k.rate_per_min > 0 { k.rate_per_min.to_string() } else { "默认".to_string() }}</td>
                                                <td data-label="最近使用">{if k.last_used_at.is_empty() { "从未".to_string() } else { bj(&k.last_used_at) }}</td>
                                                <td data-label="状态">
                                                    {if active {
                                                        view! {
                                                            <ActionForm action=revoke>
                                                                <CsrfField />
                                                                <input type="hidden" name="id" value=id />
                                                                <button type="submit" class="button button-secondary">"吊销"</button>
                                                            </ActionForm>
                                                        }.into_any()
                                                    } else {
                                                        view! { <span>{format!("已于 {} 吊销", bj(&k.revoked_at))}</span> }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            }
        })}
    }
}
