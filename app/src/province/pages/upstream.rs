//! The province's answer about a subject our register lacks (上级平台服务), shown beside local results
//! on the 法人库 and the report desk when someone searched by a full unified social credit code,
//! marked with its origin and time. Placed at the top level of a page: its resource must not be made
//! inside another resource's Suspense (that breaks hydration).
use crate::province::api::upstream_subject;
use crate::province::model::UpstreamAnswer;
use leptos::prelude::*;

/// The search text as a full code (18 characters, upper case), if it is one.
pub fn full_code(q: &str) -> Option<String> {
    let code = q.trim().to_ascii_uppercase();
    (code.chars().count() == 18 && code.chars().all(|c| c.is_ascii_alphanumeric())).then_some(code)
}

#[component]
pub fn UpstreamPanel(#[prop(into)] q: Signal<String>) -> impl IntoView {
    let answer = Resource::new(
        move || full_code(&q.get()),
        |code| async move {
            match code {
                Some(code) => upstream_subject(code).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || answer.get().map(|r| match r {
                Ok(None) => ().into_any(),
                Err(e) => view! {
                    <section class="panel" aria-labelledby="upstream-h" data-testid="upstream">
                        <h2 id="upstream-h">"省平台的信息"</h2>
                        <p class="notice notice-error" role="alert">{e.to_string()}</p>
                    </section>
                }.into_any(),
                Ok(Some(a)) => view! { <Answer a /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Answer(a: UpstreamAnswer) -> impl IntoView {
    let origin = format!(
        "来源：湖南省社会信用信息共享平台，{} {}",
        if a.cached {
            "缓存的答复，取得于"
        } else {
            "查询于"
        },
        a.fetched_at
    );
    view! {
        <section class="panel" aria-labelledby="upstream-h" data-testid="upstream">
            <h2 id="upstream-h">"省平台的信息"</h2>
            <p class="hint">"本地法人库没有该代码的主体，以下为省平台的答复。"</p>
            {match a.subject {
                None => view! { <p class="empty">"省平台也没有该主体。"</p> }.into_any(),
                Some(s) => view! {
                    <dl class="facts">
                        <dt>"名称"</dt><dd>{s.name}</dd>
                        <dt>"统一社会信用代码"</dt><dd><code>{s.uscc}</code></dd>
                        <dt>"法定代表人"</dt><dd>{s.legal_rep}</dd>
                        <dt>"成立日期"</dt><dd>{s.registered_on}</dd>
                        <dt>"住所"</dt><dd>{s.address}</dd>
                        <dt>"登记状态"</dt><dd>{s.status}</dd>
                        <dt>"省平台信用概况"</dt>
                        <dd>{format!("行政处罚 {} 条，行政许可 {} 条{}", s.penalties, s.licences,
                            if s.lists.is_empty() { String::new() } else { format!("；{}", s.lists.join("、")) })}</dd>
                    </dl>
                }.into_any(),
            }}
            <p class="small" data-testid="upstream-origin">{origin}</p>
        </section>
    }
}
