//! Sends a file from the editor to `/console/cms/upload` (multipart, with the CSRF token) and reads
//! back the stored file or the server's message.
use crate::portal::model::Attachment;

/// The page's CSRF token (rendered by `CsrfField`).
pub fn csrf_token() -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("input[name=csrf_token]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

pub async fn upload(file: web_sys::File, csrf: String) -> Result<Attachment, String> {
    fn failed<E>(_: E) -> String {
        "上传失败：网络中断，请重试。".to_string()
    }
    let form = web_sys::FormData::new().map_err(failed)?;
    form.append_with_str("csrf_token", &csrf).map_err(failed)?;
    form.append_with_blob_and_filename("file", &file, &file.name())
        .map_err(failed)?;
    let response = gloo_net::http::Request::post("/console/cms/upload")
        .body(form)
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    let text = response.text().await.map_err(failed)?;
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| "上传失败：服务器的回答无法读取。".to_string())
    } else {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let field = v
            .pointer("/error/fields/0/message")
            .and_then(serde_json::Value::as_str);
        let message = v
            .pointer("/error/message")
            .and_then(serde_json::Value::as_str);
        Err(field
            .or(message)
            .unwrap_or("上传失败，请重试。")
            .to_string())
    }
}
