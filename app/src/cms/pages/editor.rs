//! The article editor: the text (with the rich-text body, cover and attachments), the workflow moves
//! the caller may make, the pre-publication check, the history of every move and the saved versions
//! with their differences. Saving over someone else's newer save is refused with their name and time.
use super::policy_fields::PolicyFields;
use super::rich_text::RichText;
use crate::cms::api::*;
use crate::cms::model::{
    ArticleContent, ArticleDetail, ArticleEvent, ArticleSave, FieldDiff, Finding, RevisionRow,
};
use crate::cms::workflow::Transition;
use crate::error::AppError;
use crate::portal::api::portal_nav;
use crate::portal::model::{Attachment, ColumnInfo};
use crate::ui::form::{CsrfField, FormAlert};
use crate::ui::status::await_view;
use leptos::form::ActionForm;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ArticleEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // One resource and one server call for the page. On the server the console frame may render the
    // page twice and drop the first copy; a second call that starts after an await in the dropped copy
    // finds no context and fails, and its error would be what the browser hydrates against.
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            if id.is_empty() {
                Ok((portal_nav().await?, None))
            } else {
                let d = get_cms_article(id).await?;
                Ok((d.columns.clone(), Some(d)))
            }
        },
    );
    // Kept here, above the editor that is rebuilt after each save, so the confirmation stays visible.
    let saved = RwSignal::new(None::<String>);
    view! {
        <Title text="编辑文章" />
        <p><a href="/console/cms">"← 返回文章列表"</a></p>
        {await_view(data, move |(columns, d): (Vec<ColumnInfo>, Option<ArticleDetail>)| {
            view! { <Editor d columns saved on_saved=Callback::new(move |_| data.refetch()) /> }
        })}
    }
}

/// The editor's state: one signal per field of the text, plus the page's save and upload state.
/// Every part is a signal or node reference, so the whole is `Copy` and each part of the form takes it.
#[derive(Clone, Copy)]
struct Draft {
    title: RwSignal<String>,
    subtitle: RwSignal<String>,
    source: RwSignal<String>,
    author: RwSignal<String>,
    summary: RwSignal<String>,
    cover_alt: RwSignal<String>,
    tags: RwSignal<String>,
    home: RwSignal<String>,
    also: RwSignal<Vec<String>>,
    headline: RwSignal<bool>,
    cover: RwSignal<Option<String>>,
    attachments: RwSignal<Vec<Attachment>>,
    policy: RwSignal<crate::rules::policy_doc::PolicyDoc>,
    dirty: RwSignal<bool>,
    area: NodeRef<Div>,
    error: RwSignal<Option<AppError>>,
    /// A refused upload, shown beside its file field: (field, message).
    upload_error: RwSignal<Option<(&'static str, String)>>,
    busy: RwSignal<bool>,
}

impl Draft {
    fn new(c: &ArticleContent) -> Self {
        Self {
            title: RwSignal::new(c.title.clone()),
            subtitle: RwSignal::new(c.subtitle.clone()),
            source: RwSignal::new(c.source.clone()),
            author: RwSignal::new(c.author.clone()),
            summary: RwSignal::new(c.summary.clone()),
            cover_alt: RwSignal::new(c.cover_alt.clone()),
            tags: RwSignal::new(c.tags.join("，")),
            home: RwSignal::new(c.columns.first().cloned().unwrap_or_default()),
            also: RwSignal::new(c.columns.iter().skip(1).cloned().collect()),
            headline: RwSignal::new(c.headline),
            cover: RwSignal::new(c.cover.clone()),
            attachments: RwSignal::new(c.attachments.clone()),
            policy: RwSignal::new(super::policy_fields::initial(c.policy.clone())),
            dirty: RwSignal::new(false),
            area: NodeRef::new(),
            error: RwSignal::new(None),
            upload_error: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The text as it stands in the form, the body read from the rich-text area.
    fn content(self) -> ArticleContent {
        let body = self.area.get().map(|a| a.inner_html()).unwrap_or_default();
        let home = self.home.get_untracked();
        let mut cols = vec![home.clone()];
        cols.extend(self.also.get_untracked().into_iter().filter(|c| *c != home));
        ArticleContent {
            title: self.title.get_untracked(),
            subtitle: self.subtitle.get_untracked(),
            columns: cols,
            source: self.source.get_untracked(),
            author: self.author.get_untracked(),
            cover: self.cover.get_untracked(),
            cover_alt: self.cover_alt.get_untracked(),
            summary: self.summary.get_untracked(),
            body_html: body,
            tags: self
                .tags
                .get_untracked()
                .split([',', '，', ';', '；', '、'])
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            attachments: self.attachments.get_untracked(),
            headline: self.headline.get_untracked(),
            // Kept by the server only when the home column is a policy-kind column.
            policy: Some(self.policy.get_untracked()),
        }
    }

    /// Sets a text field from an input event and marks the draft changed.
    fn input(self, field: RwSignal<String>) -> impl Fn(leptos::ev::Event) + Copy + 'static {
        move |ev| {
            field.set(event_target_value(&ev));
            self.dirty.set(true);
        }
    }

    /// The message under field `name`: a refused upload first, else the save's error for it.
    fn field_error(self, name: &'static str) -> impl IntoView {
        move || {
            let refused = self
                .upload_error
                .get()
                .filter(|(f, _)| *f == name)
                .map(|(_, m)| m);
            refused
                .or_else(|| crate::ui::form::field_message(&self.error.get(), name))
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
        }
    }

    /// The change handler of a file field: uploads the chosen file and puts it where `target` says.
    fn upload_to(self, target: &'static str) -> impl Fn(leptos::ev::Event) + Copy + 'static {
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                let Some(input) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                else {
                    return;
                };
                let Some(file) = input.files().and_then(|f| f.get(0)) else {
                    return;
                };
                let token = super::upload::csrf_token();
                self.busy.set(true);
                leptos::task::spawn_local(async move {
                    match super::upload::upload(file, token).await {
                        Ok(stored) => {
                            self.upload_error.set(None);
                            self.place(target, stored);
                            self.dirty.set(true);
                        }
                        Err(m) => self.upload_error.set(Some((target, m))),
                    }
                    input.set_value("");
                    self.busy.set(false);
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (ev, target);
        }
    }

    /// Puts an uploaded file in place: the cover, an image in the body, or a new attachment.
    #[cfg(feature = "hydrate")]
    fn place(self, target: &'static str, stored: Attachment) {
        match target {
            "cover" => self.cover.set(Some(stored.file)),
            "image" => {
                let alt =
                    super::rich_text::ask("图片说明（供视障读者使用，必填）").unwrap_or_default();
                if let Some(a) = self.area.get() {
                    let _ = a.focus();
                }
                super::rich_text::command(
                    "insertHTML",
                    Some(&format!(
                        "<img src=\"/files/{}\" alt=\"{}\">",
                        stored.file,
                        alt.replace('"', "“")
                    )),
                );
            }
            _ => self.attachments.update(|list| list.push(stored)),
        }
    }
}

#[component]
fn Editor(
    d: Option<ArticleDetail>,
    columns: Vec<ColumnInfo>,
    saved: RwSignal<Option<String>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let c = d
        .as_ref()
        .map(|d| d.content.clone())
        .unwrap_or_else(|| ArticleContent {
            columns: vec!["news".into()],
            source: "湘西州信用办".into(),
            ..Default::default()
        });
    let draft = Draft::new(&c);
    let Draft {
        dirty,
        error,
        busy,
        area,
        ..
    } = draft;
    let version = RwSignal::new(d.as_ref().map_or(0, |d| d.version));
    let may_edit = d.as_ref().is_none_or(|d| d.may_edit);
    let navigate = use_navigate();
    let pid = d.as_ref().map(|d| d.public_id.clone());
    let save = move |_| {
        let s = ArticleSave {
            public_id: pid.clone(),
            version: version.get_untracked(),
            content: draft.content(),
        };
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let is_new = s.public_id.is_none();
            match save_article(s).await {
                Ok((id, v)) => {
                    error.set(None);
                    version.set(v);
                    dirty.set(false);
                    saved.set(Some(format!("已保存为第 {v} 版。")));
                    if is_new {
                        navigate(&format!("/console/cms/{id}"), Default::default());
                    } else {
                        on_saved.run(());
                    }
                }
                Err(e) => {
                    saved.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let on_change = Callback::new(move |_| {
        dirty.set(true);
        saved.set(None);
    });
    view! {
        <h1>{if d.is_some() { "编辑文章" } else { "新建文章" }}</h1>
        {d.as_ref().map(status_line)}
        <CsrfField />
        <section class="panel editor" aria-label="文章内容">
            <FormAlert error=Signal::derive(move || error.get()) fields=&["title", "columns", "summary", "tags", "doc_issuer", "doc_number", "doc_level", "doc_status", "doc_issued_on", "doc_effective_on"] />
            <TextFields draft columns=columns.clone() />
            <PolicyFields policy=draft.policy home=draft.home dirty error columns />
            <span class="label-text" id="body-label">"正文"</span>
            <RichText initial=c.body_html.clone() area on_change />
            <label class="upload-inline">"插入图片" <input type="file" accept=".png,.jpg,.jpeg,.gif,.webp" on:change=draft.upload_to("image") /></label>
            {draft.field_error("image")}
            <CoverFields draft />
            <AttachmentFields draft />
            <label for="a-tags">"标签（用逗号分开）"</label>
            <input id="a-tags" type="text" prop:value=move || draft.tags.get() on:input=draft.input(draft.tags) />
            {draft.field_error("tags")}
            <div class="form-actions">
                <button type="button" class="button" on:click=save disabled=move || busy.get() || !may_edit>
                    {move || if busy.get() { "正在保存…" } else { "保存" }}
                </button>
                <span role="status" class="hint">{move || if dirty.get() { Some("有未保存的修改".to_string()) } else { saved.get() }}</span>
            </div>
        </section>
        {d.map(|d| view! { <Workflow d on_saved /> })}
    }
}

/// The article's state, version, author and whether the portal shows it.
fn status_line(d: &ArticleDetail) -> impl IntoView {
    view! {
        <p class="article-state" data-testid="article-status">
            "状态：" <strong>{d.status.label()}</strong>
            <span>{format!("（第 {} 版，作者 {}）", d.version, d.author)}</span>
            {d.on_portal.then(|| view! { <span class="tag">"网站上可见"</span> })}
            {d.publish_at.clone().map(|t| view! { <span class="hint">{format!(" 定于 {t} 发布")}</span> })}
        </p>
    }
}

/// Title, subtitle, columns, source, author and summary.
#[component]
fn TextFields(draft: Draft, columns: Vec<ColumnInfo>) -> impl IntoView {
    let Draft {
        title,
        subtitle,
        source,
        author,
        summary,
        home,
        also,
        dirty,
        ..
    } = draft;
    view! {
        <label for="a-title">"标题" <span class="required-mark" aria-hidden="true">"*"</span></label>
        <input id="a-title" type="text" maxlength="200" prop:value=move || title.get() on:input=draft.input(title) aria-required="true" />
        {draft.field_error("title")}
        <label for="a-subtitle">"副标题"</label>
        <input id="a-subtitle" type="text" prop:value=move || subtitle.get() on:input=draft.input(subtitle) />
        <div class="form-grid">
            <div>
                <label for="a-home">"所属栏目"</label>
                <select id="a-home" on:change=draft.input(home)>
                    {columns.iter().map(|col| {
                        let code = col.code.clone();
                        view! { <option value=col.code.clone() selected=move || home.get() == code>{col.name.clone()}</option> }
                    }).collect_view()}
                </select>
                {draft.field_error("columns")}
            </div>
            <div>
                <label for="a-source">"来源"</label>
                <input id="a-source" type="text" prop:value=move || source.get() on:input=draft.input(source) />
            </div>
            <div>
                <label for="a-author">"作者"</label>
                <input id="a-author" type="text" prop:value=move || author.get() on:input=draft.input(author) />
            </div>
        </div>
        <fieldset class="chips">
            <legend>"同时发布到"</legend>
            {columns.iter().map(|col| {
                let code = col.code.clone();
                let code2 = col.code.clone();
                view! {
                    <label class="chip">
                        <input type="checkbox" prop:checked=move || also.get().contains(&code)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let code = code2.clone();
                                also.update(|l| { l.retain(|c| *c != code); if on { l.push(code); } });
                                dirty.set(true);
                            } />
                        {col.name.clone()}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <label for="a-summary">"摘要"</label>
        <textarea id="a-summary" rows="2" maxlength="500" prop:value=move || summary.get() on:input=draft.input(summary)></textarea>
    }
}

/// The cover image with its description, and the front-page headline mark.
#[component]
fn CoverFields(draft: Draft) -> impl IntoView {
    let Draft {
        cover,
        cover_alt,
        headline,
        dirty,
        ..
    } = draft;
    view! {
        <div class="form-grid">
            <div>
                <label for="a-cover">"封面图（首页头条用）"</label>
                <input id="a-cover" type="file" accept=".png,.jpg,.jpeg,.gif,.webp" on:change=draft.upload_to("cover") />
                {draft.field_error("cover")}
                {move || cover.get().map(|f| view! {
                    <p><img class="cover-preview" src=format!("/files/{f}") alt="封面图预览" />
                    <button type="button" class="button button-secondary" on:click=move |_| { cover.set(None); dirty.set(true); }>"移除封面"</button></p>
                })}
            </div>
            <div>
                <label for="a-cover-alt">"封面图说明"</label>
                <input id="a-cover-alt" type="text" prop:value=move || cover_alt.get() on:input=draft.input(cover_alt) />
                <label class="check"><input type="checkbox" prop:checked=move || headline.get() on:change=move |ev| { headline.set(event_target_checked(&ev)); dirty.set(true); } />" 首页头条"</label>
            </div>
        </div>
    }
}

/// The attachment upload and the list of attached files.
#[component]
fn AttachmentFields(draft: Draft) -> impl IntoView {
    let Draft {
        attachments, dirty, ..
    } = draft;
    view! {
        <label for="a-attach">"附件（PDF、Word、Excel、WPS、OFD）"</label>
        <input id="a-attach" type="file" accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.ofd,.mp4" on:change=draft.upload_to("attachment") />
        {draft.field_error("attachment")}
        <ul class="attachment-list" data-testid="attachments">
            {move || attachments.get().into_iter().enumerate().map(|(i, a): (usize, Attachment)| view! {
                <li><span>{a.name.clone()}</span><span class="hint">{format!("（{}）", a.size_text())}</span>
                    <button type="button" class="link" on:click=move |_| { attachments.update(|l| { if i < l.len() { l.remove(i); } }); dirty.set(true); }>"删除"</button>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The moves the caller may make now, the pre-publication check, history and versions.
#[component]
fn Workflow(d: ArticleDetail, on_saved: Callback<()>) -> impl IntoView {
    let moved = ServerAction::<MoveArticle>::new();
    let restore = ServerAction::<RestoreRevision>::new();
    let expiry = ServerAction::<SetArticleExpiry>::new();
    Effect::new(move |_| {
        if matches!(moved.value().get(), Some(Ok(_)))
            || matches!(restore.value().get(), Some(Ok(_)))
            || matches!(expiry.value().get(), Some(Ok(_)))
        {
            on_saved.run(());
        }
    });
    let ArticleDetail {
        public_id,
        version,
        allowed,
        may_set_expiry,
        unpublish_at,
        findings,
        events,
        revisions,
        ..
    } = d;
    view! {
        <section class="panel" aria-labelledby="wf-title">
            <h2 id="wf-title">"审核与发布"</h2>
            <Moves id=public_id.clone() allowed moved expiry may_set_expiry expires=unpublish_at />
            <h3>"发布前检查"</h3>
            {findings_view(findings)}
        </section>
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">"操作记录"</h2>
            {history_view(events)}
        </section>
        <Revisions id=public_id current=version revisions restore />
    }
}

/// The workflow moves the caller may make, each its own form, and the expiry form.
#[component]
fn Moves(
    id: String,
    allowed: Vec<Transition>,
    moved: ServerAction<MoveArticle>,
    expiry: ServerAction<SetArticleExpiry>,
    may_set_expiry: bool,
    expires: Option<String>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        moved
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| expiry.value().get().and_then(Result::err))
    });
    view! {
        <FormAlert error />
        {if allowed.is_empty() {
            view! { <p class="hint">"您当前没有可执行的操作。"</p> }.into_any()
        } else {
            view! {
                <div class="workflow-moves">
                    {allowed.into_iter().map(|t| {
                        let id = id.clone();
                        view! {
                            <ActionForm action=moved attr:class="move-form">
                                <CsrfField />
                                <input type="hidden" name="id" value=id.clone() />
                                <input type="hidden" name="transition" value=t.code() />
                                {matches!(t, Transition::RequestChanges | Transition::Approve).then(|| view! {
                                    <label>{if t == Transition::RequestChanges { "修改意见（必填）" } else { "审核意见" }}
                                        <textarea name="comment" rows="2"></textarea></label>
                                })}
                                {(t == Transition::Schedule).then(|| view! {
                                    <label>"发布时间（北京时间）" <input type="datetime-local" name="publish_at" required /></label>
                                })}
                                <button type="submit" class="button" data-transition=t.code()>{t.label()}</button>
                            </ActionForm>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        }}
        {may_set_expiry.then(|| {
            view! {
                <ActionForm action=expiry attr:class="move-form">
                    <CsrfField />
                    <input type="hidden" name="id" value=id />
                    <label>"到期撤下时间（北京时间，可不填）" <input type="datetime-local" name="unpublish_at" /></label>
                    <button type="submit" class="button button-secondary">"设置到期撤下"</button>
                    <span class="hint" data-testid="expiry">{expires.map_or("未设置到期撤下。".to_string(), |t| format!("将于 {t} 自动撤下（提交空白可取消）。"))}</span>
                </ActionForm>
            }
        })}
    }
}

/// The pre-publication check: what blocks publication and what is only a hint.
fn findings_view(findings: Vec<Finding>) -> impl IntoView {
    if findings.is_empty() {
        view! { <p class="result-good">"未发现问题。"</p> }.into_any()
    } else {
        view! {
            <ul class="findings" data-testid="findings">
                {findings.into_iter().map(|f: Finding| view! {
                    <li class=if f.blocks { "result-bad" } else { "result-warn" }>
                        {format!("{}{}", if f.blocks { "不能发布：" } else { "提示：" }, f.message)}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// Every move made on the article, oldest first.
fn history_view(events: Vec<ArticleEvent>) -> impl IntoView {
    view! {
        <ol class="history" data-testid="history">
            {events.into_iter().map(|e| view! {
                <li>
                    <time>{e.at}</time>
                    <span class="who">{e.actor}</span>
                    <strong>{Transition::parse(&e.action).map(|t| t.label().to_string()).unwrap_or_else(|| event_label(&e.action).to_string())}</strong>
                    <span class="hint">{format!("（第 {} 版，{}）", e.version, e.to_status.label())}</span>
                    {(!e.comment.is_empty()).then(|| view! { <blockquote>{e.comment}</blockquote> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The saved versions: preview, compare with the one before, restore; and the comparison shown.
#[component]
fn Revisions(
    id: String,
    current: i64,
    revisions: Vec<RevisionRow>,
    restore: ServerAction<RestoreRevision>,
) -> impl IntoView {
    // An action, not a resource: nothing here has to match between the server's page and the browser's.
    let diff = ServerAction::<DiffRevisions>::new();
    let diff_of = RwSignal::new(None::<i64>);
    view! {
        <section class="panel" aria-labelledby="rev-title">
            <h2 id="rev-title">"历史版本"</h2>
            <table class="data-table">
                <thead><tr><th scope="col">"版本"</th><th scope="col">"保存人"</th><th scope="col">"时间"</th><th scope="col">"操作"</th></tr></thead>
                <tbody>
                    {revisions.into_iter().map(|r| {
                        let v = r.version;
                        let id = id.clone();
                        view! {
                            <tr>
                                <td data-label="版本">{format!("第 {v} 版")}</td>
                                <td data-label="保存人">{r.saved_by}</td>
                                <td data-label="时间">{r.saved_at}</td>
                                <td data-label="操作">
                                    <a class="button button-secondary" href=format!("/console/preview/{id}/{v}")>"预览"</a>
                                    {(v > 1).then(|| {
                                        let id = id.clone();
                                        view! { <button type="button" class="button button-secondary" on:click=move |_| {
                                            diff_of.set(Some(v));
                                            diff.dispatch(DiffRevisions { id: id.clone(), from: v - 1, to: v });
                                        }>"与上一版比较"</button> }
                                    })}
                                    {(v != current).then(|| view! {
                                        <ActionForm action=restore attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=id.clone() />
                                            <input type="hidden" name="version" value=v />
                                            <button type="submit" class="button button-secondary">"恢复此版本"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || diff.value().get().map(|result| match result {
                Err(e) => view! { <div class="notice notice-error" role="alert">{e.to_string()}</div> }.into_any(),
                Ok(list) => diff_view(diff_of.get_untracked().unwrap_or_default(), list).into_any(),
            })}
        </section>
    }
}

/// The fields that differ between version `to` and the one before it.
fn diff_view(to: i64, list: Vec<FieldDiff>) -> impl IntoView {
    view! {
        <div class="diff" data-testid="diff" aria-live="polite">
            <h3>{format!("第 {to} 版与上一版的不同")}</h3>
            {if list.is_empty() { view! { <p>"两个版本内容相同。"</p> }.into_any() } else { view! {
                <table class="data-table">
                    <thead><tr><th scope="col">"字段"</th><th scope="col">"修改前"</th><th scope="col">"修改后"</th></tr></thead>
                    <tbody>{list.into_iter().map(|f: FieldDiff| view! {
                        <tr><td>{f.label}</td><td><del>{f.before}</del></td><td><ins>{f.after}</ins></td></tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any() }}
        </div>
    }
}

fn event_label(action: &str) -> &'static str {
    match action {
        "create" => "创建",
        "edit" => "修改（回到草稿）",
        "scheduled_publish" => "定时发布",
        "scheduled_unpublish" => "到期撤下",
        "expiry" => "设置到期撤下",
        "release_publish" => "随发布包定时发布",
        _ => "操作",
    }
}
