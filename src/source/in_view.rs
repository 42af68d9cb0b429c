//! Which parts of the page are in view: an IntersectionObserver over the
//! elements marked `data-in-view="key"`, reported as (key, in view) pairs.
//! While a run plays, parts out of view are redrawn rarely (redraw.rs).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::Callback;

/// The attribute naming an observed part.
const ATTRIBUTE: &str = "data-in-view";

/// Watches until dropped.
pub struct InViewWatch {
    observer: IntersectionObserver,
    _on_entries: Closure<dyn FnMut(web_sys::js_sys::Array)>,
}

impl InViewWatch {
    /// None when the browser has no IntersectionObserver: then every part
    /// counts as in view.
    pub fn start(on_change: Callback<Vec<(String, bool)>>) -> Option<Self> {
        let on_entries =
            Closure::<dyn FnMut(web_sys::js_sys::Array)>::new(move |entries: web_sys::js_sys::Array| {
                let changes: Vec<(String, bool)> = entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                    .filter_map(|e| Some((e.target().get_attribute(ATTRIBUTE)?, e.is_intersecting())))
                    .collect();
                if !changes.is_empty() {
                    on_change.emit(changes);
                }
            });
        let options = IntersectionObserverInit::new();
        // Just outside the viewport counts as in view: a part scrolled to
        // is already current.
        options.set_root_margin("200px 0px");
        let observer =
            IntersectionObserver::new_with_options(on_entries.as_ref().unchecked_ref(), &options).ok()?;
        Some(Self { observer, _on_entries: on_entries })
    }

    /// Observes every marked element now in the page (observing one twice
    /// is harmless; removed ones simply stop reporting).
    pub fn observe_all(&self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(found) = document.query_selector_all(&format!("[{ATTRIBUTE}]")) else { return };
        for i in 0..found.length() {
            if let Some(element) = found.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                self.observer.observe(&element);
            }
        }
    }
}

impl Drop for InViewWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
