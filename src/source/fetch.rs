//! Files the page fetches from where it is served (the built-in scenarios).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

/// Fetches `url` as text and hands over the text, or why there is none.
pub fn text(url: String, on_done: Callback<Result<String, String>>) {
    wasm_bindgen_futures::spawn_local(async move { on_done.emit(get(&url).await) });
}

async fn get(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| reason(url, &e))?;
    let response: web_sys::Response = response.dyn_into().map_err(|e| reason(url, &e))?;
    if !response.ok() {
        return Err(format!("{url}: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = response.text().map_err(|e| reason(url, &e))?;
    let text = JsFuture::from(text).await.map_err(|e| reason(url, &e))?;
    text.as_string().ok_or_else(|| format!("{url}: the answer is not text"))
}

fn reason(url: &str, e: &wasm_bindgen::JsValue) -> String {
    let why = e
        .dyn_ref::<web_sys::js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the request failed".into());
    format!("{url}: {why}")
}
