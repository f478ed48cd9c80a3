//! The shared crate: pages, shared types and rules for both the browser (hydrate) and the server (ssr).
#![recursion_limit = "256"]

pub mod admin;
pub mod auth;
pub mod cases;
pub mod cms;
pub mod collect;
pub mod commitments;
pub mod credit;
pub mod error;
pub mod help;
pub mod joint;
pub mod paging;
pub mod partner;
pub mod portal;
pub mod province;
pub mod rules;
pub mod stats;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

pub const SITE_NAME: &str = "湘西州公共信用信息平台";

/// Runs before first paint: applies the 长辈版 (large text) choice kept in localStorage or the cookie.
/// It carries the request nonce like Leptos's own scripts, which is how the server knows to allow it.
pub const ELDER_PREPAINT_SCRIPT: &str = "try{if(localStorage.getItem('elder')==='1'||document.cookie.indexOf('elder=1')!==-1){document.documentElement.classList.add('elder')}}catch(e){}";

/// The public reading pages (home, columns, articles, site search) work without the WASM, so they are
/// sent without it: a phone reads them with no 1 MB download and no hydration. The little they do in
/// the browser (长辈版, print) is this script. Every other page hydrates.
pub const STATIC_PAGE_SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){\
var f=document.querySelector('form.elder-switch');if(f){f.addEventListener('submit',function(e){e.preventDefault();\
var r=document.documentElement,on=!r.classList.contains('elder');r.classList.toggle('elder',on);\
try{localStorage.setItem('elder',on?'1':'0')}catch(x){}\
document.cookie=on?'elder=1; path=/; max-age=31536000; samesite=lax':'elder=0; path=/; max-age=0; samesite=lax'})}\
document.querySelectorAll('button[data-print]').forEach(function(b){b.hidden=false;b.addEventListener('click',function(){window.print()})});\
document.body.setAttribute('data-enhanced','true')});";

/// Paths served as static pages (see `STATIC_PAGE_SCRIPT`).
pub fn is_static_page(path: &str) -> bool {
    path == "/"
        || path.starts_with("/column/")
        || path.starts_with("/article/")
        || path == "/search"
        || path == "/credit"
        || path.starts_with("/credit/")
        || path == "/verify"
        || path.starts_with("/verify/")
        || matches!(
            path,
            "/help" | "/help/track" | "/help/qa" | "/help/training"
        )
        || path == "/stats"
        || matches!(path, "/track" | "/repair" | "/objection")
}

/// Whether the page being rendered is a static one (on the server; the browser only ever renders
/// hydrated pages).
pub fn rendering_static_page() -> bool {
    #[cfg(feature = "ssr")]
    return use_context::<http::request::Parts>().is_some_and(|p| is_static_page(p.uri.path()));
    #[cfg(not(feature = "ssr"))]
    false
}

/// The HTML document. `elder` comes from the cookie when rendering without JavaScript in mind.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let elder = ui::elder::elder_cookie_set();
    let static_page = rendering_static_page();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN" class=if elder { "elder" } else { "" }>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#9f1d20" />
                <link rel="icon" href="/favicon.ico" />
                <script nonce=leptos::nonce::use_nonce() inner_html=ELDER_PREPAINT_SCRIPT></script>
                <HashedStylesheet options=options.clone() id="leptos" />
                {if static_page {
                    view! { <script nonce=leptos::nonce::use_nonce() inner_html=STATIC_PAGE_SCRIPT></script> }.into_any()
                } else {
                    view! { <HydrationScripts options /> }.into_any()
                }}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Every page title goes through this one helper (escaped on the server: see ui/head.rs).
        <Title formatter=ui::head::document_title />
        <Router>
            <ui::layout::Layout>
                <Routes fallback=ui::status::NotFound>
                    <Route path=StaticSegment("") view=portal::pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("column"), ParamSegment("code")) view=portal::pages::column::ColumnPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("article"), ParamSegment("id")) view=portal::pages::article::ArticlePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("search") view=portal::pages::search::SearchPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("credit") view=credit::pages::search::CreditSearchPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("credit"), StaticSegment("subject"), ParamSegment("id")) view=credit::pages::subject::CreditSubjectPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("credit"), StaticSegment("subject"), ParamSegment("id"), StaticSegment("report")) view=credit::pages::report::ReportRequestPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("credit"), StaticSegment("lists"), ParamSegment("list")) view=credit::pages::lists::CreditListPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("credit"), StaticSegment("record"), ParamSegment("kind"), ParamSegment("id")) view=credit::pages::lists::CreditRecordPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("verify") view=credit::pages::report::VerifyHomePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("verify"), ParamSegment("code")) view=credit::pages::report::VerifyPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("stats") view=stats::pages::public::PublicStatsPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("tools"), StaticSegment("uscc")) view=portal::pages::uscc_check::UsccCheckPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("commitments"), StaticSegment("new")) view=commitments::pages::public::CommitmentNewPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("commitments"), StaticSegment("submitted")) view=commitments::pages::public::CommitmentSubmittedPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("help"), StaticSegment("faq")) view=help::faq::FaqPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("help") view=help::pages::home::HelpHomePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("help"), StaticSegment("consult")) view=help::pages::consult::ConsultPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("help"), StaticSegment("track")) view=help::pages::track::TrackPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("help"), StaticSegment("qa")) view=help::pages::qa::QaPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("help"), StaticSegment("training")) view=help::training::pages::public::TrainingPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("track") view=cases::pages::track::TrackPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("my"), StaticSegment("cases")) view=cases::pages::mine::MyCasesPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("repair") view=cases::pages::repair::RepairPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("repair"), StaticSegment("apply")) view=cases::pages::repair::RepairApplyPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("objection") view=cases::pages::objection::ObjectionPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("objection"), StaticSegment("apply")) view=cases::pages::objection::ObjectionApplyPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("complaint"), StaticSegment("apply")) view=cases::pages::objection::ComplaintApplyPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("login") view=auth::pages::LoginPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("login"), StaticSegment("totp")) view=auth::pages::TotpPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("account") view=auth::pages::AccountPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("account"), StaticSegment("password")) view=auth::pages::ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("account"), StaticSegment("totp")) view=auth::pages::TotpEnrolPage ssr=SsrMode::Async />
                    // A saved version in the portal's frame (not the console's): exactly what readers will see.
                    <Route path=(StaticSegment("console"), StaticSegment("preview"), ParamSegment("id"), ParamSegment("version")) view=cms::pages::preview::ArticlePreviewPage ssr=SsrMode::Async />
                    <ParentRoute path=StaticSegment("console") view=admin::pages::console::ConsoleLayout ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=admin::pages::console::ConsoleHome />
                        <Route path=StaticSegment("users") view=admin::pages::users::UsersPage />
                        <Route path=StaticSegment("cms") view=cms::pages::list::ArticlesPage />
                        <Route path=StaticSegment("help") view=help::pages::desk::ConsultsPage />
                        <Route path=StaticSegment("commitments") view=commitments::pages::console::CommitmentsDeskPage />
                        <Route path=(StaticSegment("help"), ParamSegment("id")) view=help::pages::desk::ConsultDeskPage />
                        <Route path=StaticSegment("training") view=help::training::pages::console::TrainingSessionsPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("measures")) view=joint::pages::measures::MeasuresPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("matters")) view=joint::pages::matters::MattersPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("check")) view=joint::pages::check::CheckPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("stats")) view=joint::pages::stats::JointStatsPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("embed")) view=joint::pages::embed::EmbedPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("checks")) view=joint::pages::check::CheckLogPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("checks"), ParamSegment("id")) view=joint::pages::check::CheckDetailPage />
                        <Route path=(StaticSegment("joint"), StaticSegment("batches"), ParamSegment("id")) view=joint::pages::batch::CheckBatchPage />
                        <Route path=(StaticSegment("province"), StaticSegment("push")) view=province::pages::push_log::PushLogPage />
                        <Route path=StaticSegment("cases") view=cases::pages::desk::CasesPage />
                        <Route path=(StaticSegment("cases"), StaticSegment("stats")) view=cases::pages::stats::CaseStatsPage />
                        <Route path=(StaticSegment("cases"), StaticSegment("deadlines")) view=cases::pages::deadlines::CaseDeadlinesPage />
                        <Route path=(StaticSegment("cases"), ParamSegment("id")) view=cases::pages::desk::CaseDeskPage />
                        <Route path=(StaticSegment("training"), ParamSegment("id")) view=help::training::pages::session::TrainingSessionPage />
                        <Route path=(StaticSegment("cms"), StaticSegment("new")) view=cms::pages::editor::ArticleEditPage />
                        <Route path=(StaticSegment("cms"), StaticSegment("releases")) view=cms::pages::releases::ReleasesPage />
                        <Route path=(StaticSegment("cms"), StaticSegment("health")) view=cms::pages::health::HealthPage />
                        <Route path=(StaticSegment("cms"), StaticSegment("site")) view=cms::pages::site::SiteAdminPage />
                        <Route path=(StaticSegment("cms"), StaticSegment("releases"), ParamSegment("id")) view=cms::pages::releases::ReleasePage />
                        <Route path=(StaticSegment("cms"), ParamSegment("id")) view=cms::pages::editor::ArticleEditPage />
                        <Route path=(StaticSegment("users"), ParamSegment("id")) view=admin::pages::users::UserPage />
                        <Route path=StaticSegment("orgs") view=admin::pages::orgs::OrgsPage />
                        <Route path=(StaticSegment("orgs"), ParamSegment("id")) view=admin::pages::orgs::DepartmentPage />
                        <Route path=StaticSegment("security") view=admin::pages::settings::PolicyPage />
                        <Route path=StaticSegment("holidays") view=admin::pages::settings::HolidaysPage />
                        <Route path=StaticSegment("audit") view=admin::pages::audit::AuditPage />
                        <Route path=(StaticSegment("audit"), ParamSegment("id")) view=admin::pages::audit::AuditEventPage />
                        <Route path=StaticSegment("alarms") view=admin::pages::alarms::AlarmsPage />
                        <Route path=StaticSegment("collect") view=collect::pages::batches::BatchesPage />
                        <Route path=(StaticSegment("collect"), StaticSegment("batch"), ParamSegment("id")) view=collect::pages::batch::BatchPage />
                        <Route path=(StaticSegment("collect"), StaticSegment("form")) view=collect::pages::form::FormPage />
                        <Route path=StaticSegment("api-keys") view=collect::pages::api_keys::ApiKeysPage />
                        <Route path=StaticSegment("api-access") view=partner::pages::access_log::ApiAccessPage />
                        <Route path=StaticSegment("conflicts") view=collect::pages::conflicts::ConflictsPage />
                        <Route path=StaticSegment("due") view=collect::pages::due::DuePage />
                        <Route path=StaticSegment("quality") view=collect::pages::quality::QualityPage />
                        <Route path=(StaticSegment("quality"), StaticSegment("report"), ParamSegment("unit")) view=collect::pages::quality::QualityReportPage />
                        <Route path=StaticSegment("records") view=collect::pages::records::RecordsPage />
                        <Route path=StaticSegment("subjects") view=collect::pages::subjects::SubjectsPage />
                        <Route path=(StaticSegment("subjects"), ParamSegment("id")) view=collect::pages::subjects::SubjectPage />
                        <Route path=(StaticSegment("records"), ParamSegment("kind"), ParamSegment("id")) view=collect::pages::records::RecordPage />
                        <Route path=StaticSegment("credit") view=credit::pages::desk::ReportDeskPage />
                        <Route path=StaticSegment("disclosure") view=credit::pages::disclosure::DisclosurePage />
                        <Route path=(StaticSegment("credit"), StaticSegment("reports")) view=credit::pages::desk::ReportStatsPage />
                        <Route path=StaticSegment("stats") view=stats::pages::console::StatsDashboardPage />
                        <Route path=(StaticSegment("stats"), StaticSegment("monthly")) view=stats::pages::console::MonthlyStatsPage />
                        <Route path=StaticSegment("catalogue") view=collect::pages::catalogue::CataloguePage />
                        <Route path=(StaticSegment("catalogue"), ParamSegment("code")) view=collect::pages::catalogue::ClassPage />
                        <Route path=(StaticSegment("catalogue"), ParamSegment("code"), StaticSegment("field"), ParamSegment("key")) view=collect::pages::catalogue::FieldEditPage />
                        <Route path=(StaticSegment("catalogue"), ParamSegment("code"), StaticSegment("new-field")) view=collect::pages::catalogue::FieldEditPage />
                    </ParentRoute>
                </Routes>
            </ui::layout::Layout>
        </Router>
    }
}
