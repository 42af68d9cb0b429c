//! Keyboard shortcuts: Space plays or pauses, → steps (or scrubs forward
//! while looking back), ← scrubs back. Keys typed into form fields are
//! left alone.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::Callback;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    TogglePlay,
    Forward,
    Back,
}

/// Listens on the document until the returned listener is dropped.
pub fn listen(on_shortcut: Callback<Shortcut>) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    Some(EventListener::new(&document, "keydown", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        let shortcut = match event.key().as_str() {
            " " if !typing => Shortcut::TogglePlay,
            "ArrowRight" if !typing => Shortcut::Forward,
            "ArrowLeft" if !typing => Shortcut::Back,
            _ => return,
        };
        event.prevent_default();
        on_shortcut.emit(shortcut);
    }))
}
