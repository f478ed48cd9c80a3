//! Page frame: skip link, header with collapsible navigation, main landmark, footer.
use super::elder::ElderSwitch;
use crate::SITE_NAME;
use leptos::prelude::*;

/// Navigation entries after the columns.
const NAV_TAIL: &[(&str, &str)] = &[("/search", "站内搜索"), ("/tools/uscc", "代码校验")];

type NavResult = Result<Vec<crate::portal::model::ColumnInfo>, crate::error::AppError>;

/// Where the navigation's columns come from: a Resource where the page hydrates (the browser reads
/// what the server serialized), an async value on static pages (nothing to serialize for).
#[derive(Clone)]
enum NavSource {
    Hydrated(Resource<NavResult>),
    Static(ArcAsyncDerived<NavResult>),
    /// The server lists its routes at start-up by rendering the app without its state.
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    NoRequest,
}

impl NavSource {
    fn for_this_render() -> Self {
        #[cfg(feature = "ssr")]
        if use_context::<crate::server::AppState>().is_none() {
            return NavSource::NoRequest;
        }
        if crate::rendering_static_page() {
            NavSource::Static(ArcAsyncDerived::new(crate::portal::api::portal_nav))
        } else {
            NavSource::Hydrated(Resource::new(|| (), |_| crate::portal::api::portal_nav()))
        }
    }

    async fn columns(self) -> NavResult {
        match self {
            NavSource::Hydrated(r) => r.await,
            NavSource::Static(d) => d.await,
            NavSource::NoRequest => Ok(vec![]),
        }
    }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // The top-level columns, as the CMS orders them.
    let source = NavSource::for_this_render();
    let column_links = move || {
        let source = source.clone();
        Suspend::new(async move {
            source.columns().await.ok().map(|list| {
                list.into_iter()
                    .filter(|c| c.parent_code.is_none())
                    .map(|c| view! { <li><a href=c.href()>{c.name.clone()}</a></li> })
                    .collect_view()
            })
        })
    };
    view! {
        <a class="skip-link" href="#main">"跳到主要内容"</a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"信"</span>
                    <span class="brand-name">{SITE_NAME}</span>
                </a>
                <ElderSwitch />
                // The checkbox opens the menu on phones without JavaScript.
                <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label="展开或收起导航菜单" />
                <label for="nav-toggle" class="nav-toggle-label" aria-hidden="true">"菜单"</label>
                <nav class="site-nav" aria-label="主导航">
                    <ul>
                        <li><a href="/">"首页"</a></li>
                        <Suspense fallback=|| ()>{column_links}</Suspense>
                        {NAV_TAIL.iter().map(|(href, label)| view! { <li><a href=*href>{*label}</a></li> }).collect_view()}
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <p>"主办：湘西土家族苗族自治州社会信用体系建设领导小组办公室"</p>
                <p>"本平台公示的信用信息来源于各信源单位，如有异议请通过" <a class="footer-link" href="/column/objection">"异议申诉"</a> "提出。"</p>
                <p><a class="footer-link" href="/login">"工作人员登录"</a></p>
            </div>
        </footer>
    }
}
