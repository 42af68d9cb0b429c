//! Helpers shared by the browser test files (not a test target itself).

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A fresh element under `<body>` to mount something into.
pub fn new_root() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Lets yew run its scheduled renders and effects.
pub async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

/// The element `selector` finds under `root`; a test fails when there is none.
pub fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap()
}

/// The built-in scenarios' texts, as build.rs lists them (the app fetches
/// them; a test reads them here).
#[allow(dead_code)]
mod bundled {
    use offsetlab::scenarios::BuiltIn;
    include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));
}

/// A built-in scenario's text.
#[allow(dead_code)]
pub fn scenario_text(id: &str) -> &'static str {
    bundled::TEXTS
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no built-in scenario {id}"))
}
