//! 办理进度查询 (`/track`): the applicant reads a case's state, its history and the next deadline by
//! tracking code — a GET form with the code in the URL, so it works on a phone without JavaScript.
use crate::cases::api::track_case;
use crate::cases::model::Tracked;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::status::await_fetch;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn TrackPage() -> impl IntoView {
    let (code, new, error) = (param("code"), param("new"), param("error"));
    view! {
        <Title text="办理进度查询" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=vec![] here="办理进度查询".to_string() />
        {move || (!code.get().trim().is_empty()).then(|| await_fetch(
            move || track_case(code.get()),
            move |t| view! { <TrackedView t new=!new.get_untracked().is_empty() error=error.get_untracked() /> },
        ))}
        <section class="panel narrow" aria-labelledby="track-title">
            // The page's one h1: the form's title until a case is shown, which then has its own.
            {move || if code.get().trim().is_empty() {
                view! { <h1 id="track-title">"办理进度查询"</h1> }.into_any()
            } else {
                view! { <h2 id="track-title">"办理进度查询"</h2> }.into_any()
            }}
            <form method="get" action="/track" class="track-form">
                <label for="track-code">"查询码"</label>
                <div class="input-row">
                    <input id="track-code" name="code" type="text" maxlength="24" autocomplete="off"
                        autocapitalize="characters" spellcheck="false" required aria-describedby="track-hint"
                        value=move || code.get() />
                    <button type="submit" class="button">"查询"</button>
                </div>
                <p id="track-hint" class="hint">"查询码为提交信用修复等申请后显示的 16 位字母和数字，不区分大小写。咨询留言请到" <a href="/help/track">"咨询查询"</a> "。"</p>
            </form>
        </section>
    }
}

#[component]
fn TrackedView(t: Tracked, new: bool, error: String) -> impl IntoView {
    let supplement =
        (t.state == "supplement").then(|| view! { <SupplementForm code=t.code.clone() error /> });
    view! {
        <section class="panel narrow" aria-labelledby="tracked-title" data-testid="tracked-case">
            {new.then(|| view! {
                <div class="notice notice-success" role="status">
                    <p><strong>"申请已提交。"</strong>"请记下查询码，凭码查看办理进度和结果："</p>
                    <p class="tracking-code" data-testid="tracking-code">{t.code.clone()}</p>
                    {t.next_due.clone().map(|d| view! { <p>{format!("将在 {d} 前告知办理结果。")}</p> })}
                </div>
            })}
            <h1 id="tracked-title">{format!("{}办理情况", t.kind_label)}</h1>
            <dl class="facts">
                <dt>"查询码"</dt><dd>{t.code.clone()}</dd>
                <dt>"申请事项"</dt><dd>{t.kind_label.clone()}</dd>
                <dt>"主体名称"</dt><dd>{t.subject_name.clone()}</dd>
                <dt>"当前状态"</dt><dd data-testid="tracked-state">{t.state_label.clone()}</dd>
                <dt>"提交日期"</dt><dd>{t.submitted_on.clone()}</dd>
                {t.next_due.clone().map(|d| view! { <dt>"办理期限"</dt><dd data-testid="tracked-due">{d}</dd> })}
            </dl>
            {t.waiting_for_applicant.then(|| view! {
                <p class="notice">"请按办理记录中的要求补正材料；补正期间不计入办理期限。"</p>
            })}
            {supplement}
            <h2>"办理记录"</h2>
            <ol class="timeline" data-testid="tracked-steps">
                {t.steps.into_iter().map(|s| view! {
                    <li>
                        <p><strong>{s.label}</strong>" · "{s.to_label}</p>
                        <p class="small muted">{format!("{} · {}", s.at, s.actor)}</p>
                        {(!s.text.is_empty()).then(|| view! { <p class="pre-line">{s.text}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// Where the supplement form posts.
pub const SUPPLEMENT_PATH: &str = "/track/supplement";

/// The applicant's supplement (补正): text and files, a multipart POST that works without JavaScript.
#[component]
fn SupplementForm(code: String, error: String) -> impl IntoView {
    let action = format!("{SUPPLEMENT_PATH}?code={}", crate::ui::url::encode(&code));
    view! {
        <h2>"补正材料"</h2>
        {(!error.is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="supplement-error"><p>{error.clone()}</p></div>
        })}
        <form method="post" action=action enctype="multipart/form-data" class="stack repair-form" data-testid="supplement-form">
            <crate::ui::form::CsrfField />
            <input type="hidden" name="code" value=code />
            <label for="supplement-text">"补正说明"</label>
            <textarea id="supplement-text" name="text" rows="3" maxlength="2000" required></textarea>
            <label for="supplement-files">"补正材料（最多 5 份，图片或 PDF/Word）"</label>
            <input id="supplement-files" name="supplement" type="file" multiple
                accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.ofd,.wps" />
            <button type="submit" class="button">"提交补正材料"</button>
        </form>
    }
}
