//! 上传前预检: when a unit picks a CSV, the browser decodes it (UTF-8, else GBK/GB18030 as the server
//! does) and runs the shared rules in the WASM, a slice at a time with progress, before anything is
//! sent. The upload itself is unchanged: the server checks everything again.
use crate::rules::clean::precheck::{PrecheckReport, MAX_ROWS};
use crate::rules::clean::rules;
use leptos::html::Input;
use leptos::prelude::*;

/// Faults listed on the page; the counts and the rule table cover every checked row.
const LISTED: usize = 50;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Precheck {
    #[default]
    Idle,
    Running {
        done: u64,
        total: u64,
    },
    Done(PrecheckReport),
    /// Not a CSV: the server checks it after upload.
    Skipped(String),
    Failed(String),
}

/// Starts (or restarts) the pre-check of the file chosen in `input`, for a class and unit.
pub fn start(
    input: NodeRef<Input>,
    class: String,
    department: String,
    out: RwSignal<Precheck>,
    generation: RwSignal<u64>,
) {
    let run = generation.get_untracked() + 1;
    generation.set(run);
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = input
            .get_untracked()
            .and_then(|el| el.files())
            .and_then(|l| l.get(0))
        else {
            out.set(Precheck::Idle);
            return;
        };
        if !file.name().to_lowercase().ends_with(".csv") {
            out.set(Precheck::Skipped(
                "XLSX 文件在上传后由服务器检查；CSV 文件会在上传前先在浏览器里预检。".into(),
            ));
            return;
        }
        out.set(Precheck::Running { done: 0, total: 0 });
        leptos::task::spawn_local(async move {
            let result = browser::run(file, class, department, out, generation, run).await;
            if generation.get_untracked() == run {
                match result {
                    Ok(Some(report)) => out.set(Precheck::Done(report)),
                    Ok(None) => {}
                    Err(message) => out.set(Precheck::Failed(message)),
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (input, class, department, out);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Precheck;
    use crate::collect::api::get_form_spec;
    use crate::rules::clean::precheck::{PrecheckReport, Prechecker, MAX_ROWS};
    use crate::rules::clean::row::Context;
    use leptos::prelude::*;

    /// Rows checked between two repaints.
    const SLICE: usize = 2_000;

    pub async fn run(
        file: web_sys::File,
        class: String,
        department: String,
        out: RwSignal<Precheck>,
        generation: RwSignal<u64>,
        run: u64,
    ) -> Result<Option<PrecheckReport>, String> {
        let spec = get_form_spec(class, department)
            .await
            .map_err(|e| format!("无法取得目录规则：{e}"))?;
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| "无法读取所选文件，请重新选择。".to_string())?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let text = decode(&bytes)?;
        let remembered = spec.remembered.iter().cloned().collect();
        let ctx = Context {
            today: spec.today,
            regime: &spec.regime,
            unit: &spec.unit,
            supplied: None,
            id_mask: spec.id_mask,
            authorities: &spec.authorities,
        };
        let lines = text.bytes().filter(|b| *b == b'\n').count() as u64;
        let total = lines.saturating_sub(1).clamp(1, MAX_ROWS);
        let mut p = Prechecker::new(&spec.class, &remembered, &text);
        while !p.is_done() {
            let done = p.step(&ctx, SLICE);
            if generation.get_untracked() != run {
                return Ok(None);
            }
            out.set(Precheck::Running { done, total });
            next_frame().await;
        }
        Ok(Some(p.report))
    }

    /// UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GB18030, a superset of
    /// GBK: the server decides the same way.
    fn decode(bytes: &[u8]) -> Result<String, String> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Ok(text.to_string());
        }
        web_sys::TextDecoder::new_with_label("gb18030")
            .and_then(|d| d.decode_with_u8_array(bytes))
            .map_err(|_| "文件既不是 UTF-8 也不是 GBK 编码，请另存为 CSV（UTF-8）后再试。".into())
    }

    /// Lets the page repaint between slices.
    async fn next_frame() {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

#[component]
pub fn PrecheckPanel(state: RwSignal<Precheck>) -> impl IntoView {
    move || {
        match state.get() {
        Precheck::Idle => ().into_any(),
        Precheck::Skipped(m) => view! { <p class="muted" data-testid="precheck">{m}</p> }.into_any(),
        Precheck::Failed(m) => view! {
            <div class="notice notice-error" role="alert" data-testid="precheck">{format!("预检未完成：{m}（仍可上传，由服务器检查）")}</div>
        }.into_any(),
        Precheck::Running { done, total } => view! {
            <div class="precheck" role="status" data-testid="precheck">
                <label>{format!("正在浏览器中预检：已检查 {done} 行")}
                    <progress max=total.max(1) value=done.min(total)></progress>
                </label>
            </div>
        }.into_any(),
        Precheck::Done(r) => view! { <PrecheckResult r /> }.into_any(),
    }
    }
}

#[component]
fn PrecheckResult(r: PrecheckReport) -> impl IntoView {
    let summary = if let Some(m) = &r.unreadable {
        format!("预检发现文件无法读取：{m}")
    } else if r.is_clean() {
        format!("预检通过：{} 行均符合目录规则。", r.rows)
    } else {
        format!(
            "预检完成：共 {} 行，有误 {} 行，仅有提示 {} 行。可先修改文件再上传；有误的行上传后不会发布。",
            r.rows, r.faulty_rows, r.warning_rows
        )
    };
    let class = if r.is_clean() {
        "notice notice-success"
    } else {
        "notice notice-warning"
    };
    let unknown = (!r.unknown_headers.is_empty()).then(|| view! {
        <p>{format!("以下表头不在目录中，上传后请指定对应字段（或忽略）：{}", r.unknown_headers.join("、"))}</p>
    });
    let missing = (!r.missing_required.is_empty()).then(|| {
        view! {
            <p>{format!("文件缺少必填字段的列：{}", r.missing_required.join("、"))}</p>
        }
    });
    let truncated = r.truncated.then(|| view! {
        <p class="muted">{format!("文件超过 {MAX_ROWS} 行：浏览器只预检前 {MAX_ROWS} 行，其余在上传后检查。")}</p>
    });
    let by_rule = (!r.by_rule.is_empty()).then(|| view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="precheck-rules">
                <caption>"按规则汇总"</caption>
                <thead><tr><th scope="col">"规则"</th><th scope="col">"代码"</th><th scope="col">"条数"</th></tr></thead>
                <tbody>
                    {r.by_rule.iter().map(|(code, n)| view! {
                        <tr>
                            <td data-label="规则">{rules::find(code).map_or("", |x| x.name)}</td>
                            <td data-label="代码"><code>{code.clone()}</code></td>
                            <td data-label="条数">{*n}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    });
    let listed = (!r.faults.is_empty()).then(|| view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="precheck-faults">
                <caption>{format!("问题明细（前 {} 条）", r.faults.len().min(LISTED))}</caption>
                <thead><tr><th scope="col">"行号"</th><th scope="col">"级别"</th><th scope="col">"说明"</th></tr></thead>
                <tbody>
                    {r.faults.iter().take(LISTED).map(|f| view! {
                        <tr>
                            <td data-label="行号">{f.row}</td>
                            <td data-label="级别">{f.level.label()}</td>
                            <td data-label="说明">{format!("{}（{}）", f.message, f.code)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    });
    view! {
        <section class="precheck" aria-labelledby="precheck-title" data-testid="precheck">
            <h3 id="precheck-title">"上传前预检"</h3>
            <p class=class role="status">{summary}</p>
            {unknown}
            {missing}
            {truncated}
            {by_rule}
            {listed}
            <p class="muted">"重复记录、与已发布记录的比对和法人库名称核对在上传后进行。"</p>
        </section>
    }
}
