//! Status pages and messages: not found, errors.
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="页面不存在" />
        <section class="status-page">
            <h1>"页面不存在（404）"</h1>
            <p>"您访问的页面不存在或已被移除。请检查网址，或从下面的链接继续。"</p>
            <p><a class="button" href="/">"返回首页"</a></p>
        </section>
    }
}

/// Shows an error from a server function in Chinese, with the reference id for internal errors. On the
/// server it also gives the page the error's status (a forbidden page answers 403).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = http::StatusCode::from_u16(error.status()) {
            res.set_status(code);
        }
    }
    let (title, hint, link) = match &error {
        AppError::Forbidden => (
            "无权访问（403）",
            "您的账户没有访问此内容的权限。如确需使用，请联系安全管理员授权。",
            Some(("/console", "返回工作台")),
        ),
        AppError::Unauthorized => ("请先登录（401）", "", Some(("/login", "前往登录"))),
        _ => ("出错了", "", None),
    };
    let hint = view! {
        <p>{(!hint.is_empty()).then_some(hint)}{link.map(|(href, text)| view! { <a href=href>{text}</a> })}</p>
    };
    view! {
        <div class="notice notice-error" role="alert" data-status=error.status()>
            <strong>{title}"："</strong>
            {error.to_string()}
            {hint}
        </div>
    }
}

/// A server resource shown when it arrives: "正在加载…" meanwhile, the page on success, and the error
/// notice (with its HTTP status) on failure. The one loading pattern of every data page.
pub fn await_view<T, V>(
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => render(value).into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Like `await_view`, for the pages sent without hydration (`crate::is_static_page`): the data is
/// fetched by an async derived value rather than a Resource, so the server does not serialize it a
/// second time into the page for a hydration that never comes. The fetch runs once per render (the
/// Suspense calls its children more than once on the server: a fetch inside them ran three times),
/// and again when the signals it reads change (a client-side navigation renders these pages too).
pub fn await_fetch<T, V, F, Fut>(
    fetch: F,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let data = ArcAsyncDerived::new(fetch);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || {
                let render = render.clone();
                let data = data.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => render(value).into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
