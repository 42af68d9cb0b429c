//! Keyboard shortcuts: Space plays or pauses, → steps (or scrubs forward
//! while looking back), ← scrubs back, PageDown/PageUp (n/p) walk the
//! guide's moments. Keys typed into form fields are
//! left alone.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::Callback;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    TogglePlay,
    Forward,
    Back,
    /// The guide's next / previous moment (PageDown / PageUp, n / p):
    /// what a presenter's clicker sends.
    NextStep,
    PreviousStep,
}

/// Listens on the document until the returned listener is dropped.
pub fn listen(on_shortcut: Callback<Shortcut>) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    // Not passive: Space and PageDown must not also scroll the page.
    let options = EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(&document, "keydown", options, move |event| {
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
            "PageDown" => Shortcut::NextStep,
            "PageUp" => Shortcut::PreviousStep,
            "n" if !typing => Shortcut::NextStep,
            "p" if !typing => Shortcut::PreviousStep,
            _ => return,
        };
        event.prevent_default();
        on_shortcut.emit(shortcut);
    }))
}
