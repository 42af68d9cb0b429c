//! Browser tests: the real app mounted in headless Chromium
//! (wasm-bindgen-test; `cargo xtask test browser`).
#![cfg(target_arch = "wasm32")]

mod support;

use gloo::storage::Storage;
use offsetlab::app::App;
use support::{find, new_root, settle};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh App in its own element, with no remembered language.
async fn mount() -> Element {
    gloo::storage::LocalStorage::clear();
    let root = new_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn shell_shows_header_switches_and_empty_state() {
    let root = mount().await;
    assert_eq!(find(&root, "h1").text_content().unwrap(), "OffsetLab");
    assert!(find(&root, "#empty-state h2").text_content().unwrap().contains("Nothing is running yet"));
    assert_eq!(find(&root, "#mode-switch-0").get_attribute("aria-checked").as_deref(), Some("true"));
    root.remove();
}

#[wasm_bindgen_test]
async fn choosing_korean_rerenders_from_state_and_sets_html_lang() {
    let root = mount().await;
    find(&root, "#lang-switch-1").click();
    settle().await;
    assert!(find(&root, "#empty-state h2").text_content().unwrap().contains("아직 실행 중인 것이 없습니다"));
    assert_eq!(find(&root, "#lang-switch-1").get_attribute("aria-checked").as_deref(), Some("true"));
    let html_lang = gloo::utils::document().document_element().unwrap().get_attribute("lang");
    assert_eq!(html_lang.as_deref(), Some("ko"));
    assert_eq!(
        gloo::storage::LocalStorage::raw().get_item("offsetlab.lang").unwrap().as_deref(),
        Some("\"ko\"")
    );
    find(&root, "#lang-switch-0").click();
    settle().await;
    assert!(find(&root, "#empty-state h2").text_content().unwrap().contains("Nothing is running yet"));
    root.remove();
}

#[wasm_bindgen_test]
async fn live_mode_can_be_chosen_and_explains_a_missing_gateway() {
    let root = mount().await;
    let live = find(&root, "#mode-switch-1");
    assert!(!live.has_attribute("disabled"));
    live.click();
    settle().await;
    assert_eq!(find(&root, "#mode-switch-1").get_attribute("aria-checked").as_deref(), Some("true"));
    // The URL field holds the page's own /ws; the offline menu and the
    // model's playback controls are gone, and say why.
    let url: web_sys::HtmlInputElement = wasm_bindgen::JsCast::dyn_into(find(&root, "#live-url")).unwrap();
    let origin = gloo::utils::window().location().host().unwrap();
    assert_eq!(url.value(), format!("ws://{origin}/ws"));
    assert!(root.query_selector("#empty-state").unwrap().is_none());
    assert!(root.query_selector("#play").unwrap().is_none());
    assert!(find(&root, "#live-no-model").text_content().unwrap().contains("no model to play"));
    assert!(find(&root, "#scrubber").has_attribute("disabled"));
    // The test server has no gateway: the status says what happens.
    let status = find(&root, "#live-status").text_content().unwrap();
    assert!(status.starts_with("connecting to ws://") || status.starts_with("connection lost"), "{status}");
    assert!(root.query_selector("#live-disconnect").unwrap().is_some());
    // Back to offline: disconnected, the scenario menu again.
    find(&root, "#mode-switch-0").click();
    settle().await;
    assert!(root.query_selector("#live-panel").unwrap().is_none());
    assert!(find(&root, "#empty-state h2").text_content().unwrap().contains("Nothing is running yet"));
    root.remove();
}

/// The model in the browser produces the very event stream it produces
/// natively: the digest recorded by crates/model's native test.
#[wasm_bindgen_test]
fn model_is_deterministic_across_native_and_wasm32() {
    let two_groups = include_str!("../static/scenarios/two-groups.toml");
    assert_eq!(
        offsetlab_model::scenario_digest(two_groups, 15_000),
        Ok(offsetlab_model::digest::TWO_GROUPS_DIGEST_AT_15000_MS)
    );
}

/// Playback runs the model in idle periods and draws on animation frames:
/// what the ticks hand out, in order and with nothing left behind when
/// playback stops, is the run the model makes in one go.
#[wasm_bindgen_test]
async fn playback_hands_out_the_whole_run_in_order_and_flushes_when_stopped() {
    plays_the_whole_run().await;
}

/// Where the browser has no idle callbacks (Safari), the model runs in the
/// frame instead, with the same outcome.
#[wasm_bindgen_test]
async fn playback_without_idle_callbacks_runs_the_model_in_the_frame() {
    let window = gloo::utils::window();
    let key = wasm_bindgen::JsValue::from_str("requestIdleCallback");
    let idle = web_sys::js_sys::Reflect::get(&window, &key).unwrap();
    assert!(idle.is_function());
    web_sys::js_sys::Reflect::set(&window, &key, &wasm_bindgen::JsValue::UNDEFINED).unwrap();
    plays_the_whole_run().await;
    web_sys::js_sys::Reflect::set(&window, &key, &idle).unwrap();
}

async fn plays_the_whole_run() {
    use offsetlab::source::sim::{self, Sim, Tick};
    use std::cell::RefCell;
    use std::rc::Rc;

    let text = include_str!("../static/scenarios/two-groups.toml");
    let slot = Rc::new(RefCell::new(Some(Sim::new(text).unwrap())));
    let ticks: Rc<RefCell<Vec<Tick>>> = Rc::default();
    let on_tick = {
        let ticks = ticks.clone();
        yew::Callback::from(move |tick| ticks.borrow_mut().push(tick))
    };
    let player = sim::play(slot.clone(), 20.0, on_tick);
    yew::platform::time::sleep(std::time::Duration::from_millis(400)).await;
    drop(player);
    let now_ms = slot.borrow().as_ref().unwrap().now_ms();
    assert!(now_ms > 0, "the clock moved");
    let ticks = ticks.borrow();
    assert!(ticks.len() >= 2, "one tick per frame that moved, got {}", ticks.len());
    assert_eq!(ticks.last().unwrap().now_ms, now_ms, "stopping hands out what the model ran");
    let played: Vec<_> = ticks.iter().flat_map(|t| t.advance.events.iter().cloned()).collect();
    assert_eq!(played, Sim::new(text).unwrap().advance_to(now_ms).events);
    assert!(slot.borrow_mut().as_mut().unwrap().take_pending().is_empty());
}
