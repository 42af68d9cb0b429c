//! The clipboard: copying generated client code.
//!
//! `navigator.clipboard.writeText` exists only in secure contexts (https,
//! localhost); a static host on plain http has no `navigator.clipboard`.
//! There, or when the browser refuses, the text is copied the old way: a
//! hidden `<textarea>`, selected, and `document.execCommand("copy")`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::Promise;

/// Copies `text` to the clipboard. Call it from a click handler: browsers
/// only allow copying on a person's gesture. Failures go to the console;
/// the code stays on screen to be selected by hand.
pub fn copy_text(text: &str) {
    let Some(window) = web_sys::window() else { return };
    let clipboard = window.navigator().clipboard();
    // An insecure context has no navigator.clipboard: calling writeText on
    // `undefined` would throw.
    if clipboard.is_undefined() || clipboard.is_null() {
        copy_with_textarea(text);
        return;
    }
    let promise: Promise = clipboard.write_text(text);
    let fallback_text = text.to_string();
    let on_error = Closure::once(move |_: JsValue| copy_with_textarea(&fallback_text));
    // Only a rejection matters. The closure must outlive the promise, which
    // settles after this returns: it is leaked (once per click, a few bytes).
    let _ = promise.catch(&on_error);
    on_error.forget();
}

/// `document.execCommand("copy")` on a hidden textarea holding `text`.
fn copy_with_textarea(text: &str) {
    let copied = (|| {
        let document = web_sys::window()?.document()?;
        let area: web_sys::HtmlTextAreaElement = document.create_element("textarea").ok()?.dyn_into().ok()?;
        area.set_value(text);
        // Off screen, and read-only so no keyboard opens on phones.
        let _ = area.set_attribute("readonly", "");
        let _ = area.set_attribute("style", "position:fixed;top:-1000px;left:-1000px;opacity:0");
        let body = document.body()?;
        body.append_child(&area).ok()?;
        area.select();
        let ok = document.dyn_ref::<web_sys::HtmlDocument>()?.exec_command("copy").unwrap_or(false);
        let _ = body.remove_child(&area);
        Some(ok)
    })();
    if copied != Some(true) {
        web_sys::console::warn_1(
            &"OffsetLab: the browser did not copy the code; select it and copy it by hand".into(),
        );
    }
}
