//! The body editor: a `contenteditable` area with a toolbar (headings, bold, lists, links, tables,
//! pictures). What is pasted from Word or WPS is stripped of Office markup first; the server cleans the
//! HTML again with its allow-list when it is saved. Browser-only code sits behind `hydrate`.
use leptos::html::Div;
use leptos::prelude::*;

/// Runs an editing command on the selection (the browser's own editing commands).
#[allow(unused_variables)]
pub fn command(name: &str, value: Option<&str>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.exec_command_with_show_ui_and_value(name, false, value.unwrap_or(""));
        }
    }
}

/// Asks the user for a value (a link address, a picture description).
#[cfg(feature = "hydrate")]
pub fn ask(question: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.prompt_with_message(question).ok().flatten())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// On the server there is no one to ask.
#[cfg(not(feature = "hydrate"))]
pub fn ask(_question: &str) -> Option<String> {
    None
}

const EMPTY_TABLE: &str = "<table><thead><tr><th>表头</th><th>表头</th><th>表头</th></tr></thead><tbody><tr><td></td><td></td><td></td></tr><tr><td></td><td></td><td></td></tr></tbody></table><p></p>";

#[component]
pub fn RichText(
    initial: String,
    area: NodeRef<Div>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let tool = move |label: &'static str, title: &'static str, run: fn()| {
        view! {
            <button type="button" class="tool" title=title aria-label=title
                on:mousedown=|ev| ev.prevent_default()
                on:click=move |_| { run(); on_change.run(()); }>
                {label}
            </button>
        }
    };
    view! {
        <div class="rich-text">
            <div class="toolbar" role="toolbar" aria-label="正文格式">
                {tool("标题", "二级标题", || command("formatBlock", Some("h2")))}
                {tool("小标题", "三级标题", || command("formatBlock", Some("h3")))}
                {tool("正文", "普通段落", || command("formatBlock", Some("p")))}
                {tool("B", "加粗", || command("bold", None))}
                {tool("I", "倾斜", || command("italic", None))}
                {tool("• 列表", "项目列表", || command("insertUnorderedList", None))}
                {tool("1. 列表", "编号列表", || command("insertOrderedList", None))}
                {tool("链接", "插入链接", || {
                    if let Some(url) = ask("链接地址（以 http:// 或 https:// 开头）") {
                        command("createLink", Some(&url));
                    }
                })}
                {tool("表格", "插入表格", || command("insertHTML", Some(EMPTY_TABLE)))}
                {tool("清除格式", "清除格式", || command("removeFormat", None))}
            </div>
            <div
                node_ref=area
                class="editor-area"
                contenteditable="true"
                role="textbox"
                aria-multiline="true"
                aria-label="正文"
                data-testid="body-editor"
                inner_html=initial
                on:input=move |_| on_change.run(())
                on:paste=move |ev| {
                    #[cfg(feature = "hydrate")]
                    {
                        if let Some(html) = ev.clipboard_data().and_then(|d| d.get_data("text/html").ok()).filter(|h| !h.is_empty()) {
                            ev.prevent_default();
                            command("insertHTML", Some(&crate::cms::html::strip_office_markup(&html)));
                            on_change.run(());
                        }
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
            ></div>
        </div>
    }
}
