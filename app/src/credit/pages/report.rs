//! Requesting a credit report (a plain form to `POST /credit/report`, which answers with the
//! verification page of the new report) and verifying one by code or by its file.
use crate::credit::api::{report_request_form, verify_report};
use crate::credit::model::ReportCheck;
use crate::portal::pages::parts::Breadcrumbs;
use crate::ui::form::CsrfField;
use crate::ui::status::await_fetch;
use crate::ui::table::param;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where the report request form posts (an axum handler: it answers with a redirect, script or not).
pub const REQUEST_PATH: &str = "/credit/report";
/// Where a downloaded report is uploaded to be checked.
pub const CHECK_PATH: &str = "/verify/check";

#[component]
pub fn ReportRequestPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let error = param("error");
    let (applicant, purpose) = (param("applicant"), param("purpose"));
    view! {
        <Title text="申请信用报告" />
        <Meta name="robots" content="noindex" />
        {await_fetch(move || report_request_form(id.get()), move |b| {
            let subject = format!("/credit/subject/{}", b.public_id);
            view! {
                <Breadcrumbs trail=vec![("/credit".to_string(), "信用信息查询".to_string()), (subject, b.name.clone())] here="申请信用报告".to_string() />
                <section class="panel narrow" aria-labelledby="request-title">
                    <h1 id="request-title">"申请公共信用信息报告"</h1>
                    <p>{format!("报告主体：{}（{}）", b.name, b.uscc)}</p>
                    <p class="hint">"报告包含该主体处于公示期内的公共信用信息，按国家规定的栏目顺序排列，附验证码、二维码和平台电子签名，可供招投标、评优评先、融资贷款等使用。"</p>
                    {move || (!error.get().is_empty()).then(|| view! { <div class="notice notice-error" role="alert">{error.get()}</div> })}
                    <form method="post" action=REQUEST_PATH class="report-request">
                        <CsrfField />
                        <input type="hidden" name="subject" value=b.public_id.clone() />
                        <input type="hidden" name="kind" value="public" />
                        <div class="field">
                            <label for="applicant">"申请人（姓名或单位名称）"</label>
                            <input id="applicant" name="applicant" type="text" required minlength="2" maxlength="50" autocomplete="name" value=move || applicant.get() />
                        </div>
                        <div class="field">
                            <label for="purpose">"查询用途"</label>
                            <input id="purpose" name="purpose" type="text" required minlength="2" maxlength="100" list="purposes" value=move || purpose.get() aria-describedby="purpose-hint" />
                            <datalist id="purposes">
                                <option value="招投标" /><option value="融资贷款" /><option value="评优评先" /><option value="行政审批" /><option value="合作洽谈" />
                            </datalist>
                            <p id="purpose-hint" class="field-hint">"例如：招投标、融资贷款。"</p>
                        </div>
                        <button type="submit" class="button button-block">"生成报告"</button>
                    </form>
                    <p class="muted small">"专项信用报告（代替无违法违规证明）请到政务服务窗口，由经办部门为您出具。"</p>
                </section>
            }
        })}
    }
}

#[component]
pub fn VerifyHomePage() -> impl IntoView {
    let (result, code) = (param("result"), param("code"));
    view! {
        <Title text="信用报告核验" />
        {move || (!code.get().trim().is_empty()).then(|| await_fetch(
            move || verify_report(code.get()),
            |c| view! { <CheckView c issued=false checked=false /> },
        ))}
        <section class="panel narrow" aria-labelledby="verify-title">
            <h1 id="verify-title">"信用报告核验"</h1>
            {move || match result.get().as_str() {
                "altered" => Some(view! {
                    <div class="notice notice-error check-result result-bad" role="alert">
                        <strong>"验证失败："</strong>"该文件不是本平台出具的报告，或出具后已被改动。请以平台核验页面显示的内容为准。"
                    </div>
                }.into_any()),
                "missing" => Some(view! { <div class="notice notice-error" role="alert">"请选择要核验的报告文件（PDF）。"</div> }.into_any()),
                _ => None,
            }}
            <form method="get" action="/verify" class="verify-code">
                <label for="verify-code">"验证码"</label>
                <div class="input-row">
                    <input id="verify-code" name="code" type="text" maxlength="20" autocomplete="off" required aria-describedby="verify-code-hint" />
                    <button type="submit" class="button">"核验"</button>
                </div>
                <p id="verify-code-hint" class="hint">"验证码印在报告首页，也可扫描报告右上角的二维码直接打开核验页面。"</p>
            </form>
            <form method="post" action=CHECK_PATH enctype="multipart/form-data" class="verify-file">
                <label for="verify-file">"或上传报告文件，检查它是否被改动"</label>
                <input id="verify-file" name="file" type="file" accept="application/pdf,.pdf" required />
                <button type="submit" class="button button-light">"检查文件"</button>
            </form>
            <p class="muted small">"报告文件末尾附有平台的 Ed25519 签名。离线校验所用的公钥："<a href="/verify/public-key.pem">"下载公钥"</a></p>
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let (issued, checked) = (param("issued"), param("checked"));
    view! {
        <Title text="信用报告核验结果" />
        <Meta name="robots" content="noindex" />
        {await_fetch(
            move || verify_report(code.get()),
            move |c| view! { <CheckView c issued=!issued.get_untracked().is_empty() checked=!checked.get_untracked().is_empty() /> },
        )}
    }
}

#[component]
fn CheckView(c: ReportCheck, issued: bool, checked: bool) -> impl IntoView {
    let download = format!("/verify/{}/report.pdf", c.verify_code);
    let file_name = format!("{}.pdf", c.serial);
    view! {
        <section class="panel" aria-labelledby="check-title">
            <h1 id="check-title">"信用报告核验结果"</h1>
            {issued.then(|| view! { <div class="notice notice-success" role="status">"报告已生成。请下载保存，或记下验证码以便他人核验。"</div> })}
            {if c.signature_valid {
                view! {
                    <p class="check-result result-good" role="status"><strong>"真实有效"</strong>
                        {if checked { "：上传的文件与平台出具的报告一致，未被改动。" } else { "：该报告由本平台出具，签名校验通过。" }}
                    </p>
                }.into_any()
            } else {
                view! { <p class="check-result result-bad" role="alert"><strong>"验证失败"</strong>"：平台存档的报告签名不符，请联系信用办。"</p> }.into_any()
            }}
            <dl class="facts">
                <dt>"报告类型"</dt><dd>{c.kind_label.clone()}</dd>
                <dt>"报告编号"</dt><dd>{c.serial.clone()}</dd>
                <dt>"验证码"</dt><dd>{c.verify_code.clone()}</dd>
                <dt>"报告主体"</dt><dd>{c.subject_name.clone()}</dd>
                <dt>"统一社会信用代码"</dt><dd>{c.subject_code.clone()}</dd>
                <dt>"出具时间"</dt><dd>{c.issued_at.clone()}</dd>
                <dt>"查询期"</dt><dd>{c.period.clone()}</dd>
                <dt>"文件摘要（SHA-256）"</dt><dd><code class="hash">{c.pdf_sha256.clone()}</code></dd>
            </dl>
            <p class="actions">
                <a class="button" href=download download=file_name type="application/pdf">"下载报告（PDF）"</a>
                <a class="button button-light" href="/verify">"核验其他报告"</a>
            </p>
        </section>
        <section class="panel" aria-labelledby="contents-title">
            <h2 id="contents-title">"报告所含内容"</h2>
            <ol class="report-contents">
                <li>"基本信息"</li>
                {c.contents.into_iter().map(|(title, items)| view! {
                    <li>{title}
                        <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
