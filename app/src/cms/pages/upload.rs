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
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| "上传失败：网络中断，请重试。".to_string();
    let form = web_sys::FormData::new().map_err(failed)?;
    form.append_with_str("csrf_token", &csrf).map_err(failed)?;
    form.append_with_blob_and_filename("file", &file, &file.name())
        .map_err(failed)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let request =
        web_sys::Request::new_with_str_and_init("/console/cms/upload", &init).map_err(failed)?;
    let window = web_sys::window().ok_or("上传失败")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| "上传失败".to_string())?;
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
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
