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

/// Shows an error from a server function in Chinese, with the reference id for internal errors.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <strong>"出错了："</strong>
            {error.to_string()}
        </div>
    }
}
