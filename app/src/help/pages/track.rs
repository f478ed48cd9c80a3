//! 咨询查询 (`/help/track`): the asker reads the status and the answer by tracking code (a GET form,
//! so it works without JavaScript). After a question is sent, the form's redirect lands here.
use crate::help::api::track_consultation;
use crate::help::model::Tracked;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::status::await_fetch;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn TrackPage() -> impl IntoView {
    let (code, new) = (param("code"), param("new"));
    view! {
        <Title text="咨询查询" />
        <Meta name="robots" content="noindex" />
        <Breadcrumbs trail=vec![("/help".to_string(), "帮助中心".to_string())] here="咨询查询".to_string() />
        {move || (!code.get().trim().is_empty()).then(|| await_fetch(
            move || track_consultation(code.get()),
            move |t| view! { <TrackedView t new=!new.get_untracked().is_empty() /> },
        ))}
        <section class="panel narrow" aria-labelledby="track-title">
            <h2 id="track-title">"咨询查询"</h2>
            <form method="get" action="/help/track" class="track-form">
                <label for="track-code">"查询码"</label>
                <div class="input-row">
                    <input id="track-code" name="code" type="text" maxlength="20" autocomplete="off"
                        autocapitalize="characters" spellcheck="false" required aria-describedby="track-hint"
                        value=move || code.get() />
                    <button type="submit" class="button">"查询"</button>
                </div>
                <p id="track-hint" class="hint">"查询码为提交咨询后页面显示的 10 位字母和数字，不区分大小写。"</p>
            </form>
        </section>
    }
}

#[component]
fn TrackedView(t: Tracked, new: bool) -> impl IntoView {
    let answered = t.status == "answered";
    view! {
        <section class="panel narrow" aria-labelledby="tracked-title" data-testid="tracked">
            {new.then(|| view! {
                <div class="notice notice-success" role="status">
                    <p><strong>"咨询已提交。"</strong>"请记下查询码，凭码查看办理进度和答复："</p>
                    <p class="tracking-code" data-testid="tracking-code">{t.code.clone()}</p>
                    <p>{format!("我们将在 {} 前答复。", t.due_on)}</p>
                </div>
            })}
            <h1 id="tracked-title">"咨询办理情况"</h1>
            <dl class="facts">
                <dt>"查询码"</dt><dd>{t.code.clone()}</dd>
                <dt>"状态"</dt><dd data-testid="tracked-status">{t.status_label.clone()}</dd>
                <dt>"咨询类别"</dt><dd>{t.topic.clone()}</dd>
                <dt>"提交日期"</dt><dd>{t.received_on.clone()}</dd>
                <dt>"答复期限"</dt><dd>{t.due_on.clone()}</dd>
                <dt>"联系方式"</dt><dd>{t.contact_masked.clone()}</dd>
                {t.department.clone().map(|d| view! { <dt>"承办单位"</dt><dd>{d}</dd> })}
            </dl>
            <h2>"咨询内容"</h2>
            <p class="pre-line">{t.question.clone()}</p>
            {if answered {
                view! {
                    <h2>"答复"</h2>
                    <p class="small muted">{t.answered_at.clone().map(|a| format!("答复时间 {a}"))}</p>
                    <p class="pre-line" data-testid="tracked-answer">{t.answer.clone()}</p>
                }.into_any()
            } else {
                view! { <p class="hint">"正在办理，答复后可在此页查看。"</p> }.into_any()
            }}
        </section>
    }
}
