//! Browser tests of the client code panel (chapter 5.3), rendered on its
//! own in headless Chromium: the tabs, the code each shows for a built-in
//! scenario's consumer, the copy button, both languages, and no spec.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use offsetlab::components::client_code::{ClientCode, ClientCodeProps};
use offsetlab::i18n::Lang;
use offsetlab_model::model::ConsumerSpec;
use offsetlab_model::scenario::Scenario;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

mod support;

use support::{find, new_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

/// A consumer of a built-in scenario, and the scenario's topics.
fn consumer(scenario: &str, id: &str) -> (ConsumerSpec, Vec<String>) {
    let text = support::scenario_text(scenario);
    let s = Scenario::parse(text).unwrap();
    let spec = s.consumers.iter().find(|c| c.spec.id == id).expect("consumer in the scenario").spec.clone();
    (spec, s.config.topics.iter().map(|(t, _)| t.clone()).collect())
}

struct Mounted {
    root: Element,
    copies: Rc<RefCell<Vec<String>>>,
}

async fn mount(lang: Lang, spec: Option<ConsumerSpec>, topics: Vec<String>) -> Mounted {
    let root = new_root();
    let copies: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = copies.clone();
    yew::Renderer::<ClientCode>::with_root_and_props(
        root.clone(),
        ClientCodeProps { lang, spec, topics, on_copy: Callback::from(move |t| log.borrow_mut().push(t)) },
    )
    .render();
    settle().await;
    Mounted { root, copies }
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

async fn click(root: &Element, selector: &str) {
    find(root, selector).click();
    settle().await;
}

fn selected_tab(root: &Element) -> String {
    text(root, "[role=tab][aria-selected=true]")
}

#[wasm_bindgen_test]
async fn tabs_show_each_language_for_the_consumer() {
    let (spec, topics) = consumer("manual-commit", "c1");
    let m = mount(Lang::En, Some(spec), topics).await;
    assert_eq!(text(&m.root, "#client-code-title"), "Client code");
    // Java first: the per-record commit with offset + 1.
    assert_eq!(selected_tab(&m.root), "Java");
    let java = text(&m.root, "#client-code-panel code");
    assert!(java.contains("public class ConsumerApp"), "{java}");
    assert!(java.contains("new OffsetAndMetadata(record.offset() + 1)"), "{java}");
    assert!(java.contains("props.setProperty(\"enable.auto.commit\", \"false\");"), "{java}");
    assert!(text(&m.root, ".client-code-needs").contains("ConsumerApp.java"));

    click(&m.root, "#client-code-tab-python").await;
    assert_eq!(selected_tab(&m.root), "Python");
    let python = text(&m.root, "#client-code-panel code");
    assert!(python.contains("from confluent_kafka import Consumer"), "{python}");
    assert!(python.contains("consumer.commit(message=msg, asynchronous=False)"), "{python}");
    assert!(text(&m.root, ".client-code-needs").contains("librdkafka"));
    assert_eq!(
        find(&m.root, "[role=tabpanel]").get_attribute("aria-labelledby").as_deref(),
        Some("client-code-tab-python")
    );

    click(&m.root, "#client-code-tab-rust").await;
    let rust = text(&m.root, "#client-code-panel code");
    assert!(rust.contains("consumer.commit_message(message, CommitMode::Sync)?;"), "{rust}");
    // Only the selected tab is in the tab order.
    assert_eq!(find(&m.root, "#client-code-tab-rust").get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(find(&m.root, "#client-code-tab-java").get_attribute("tabindex").as_deref(), Some("-1"));
}

#[wasm_bindgen_test]
async fn copy_hands_out_the_code_on_screen() {
    let (spec, topics) = consumer("assign", "c2");
    let m = mount(Lang::En, Some(spec), topics).await;
    click(&m.root, "#client-code-tab-python").await;
    assert_eq!(text(&m.root, "#client-code-copy"), "Copy");
    click(&m.root, "#client-code-copy").await;
    let shown = text(&m.root, "#client-code-panel code");
    assert_eq!(m.copies.borrow().as_slice(), std::slice::from_ref(&shown));
    assert!(
        shown.contains("consumer.assign([TopicPartition(\"orders\", 1), TopicPartition(\"orders\", 2)])")
    );
    assert_eq!(text(&m.root, "#client-code-copy"), "Copied");
    // Another language is other code: not copied yet.
    click(&m.root, "#client-code-tab-java").await;
    assert_eq!(text(&m.root, "#client-code-copy"), "Copy");
}

#[wasm_bindgen_test]
async fn korean_labels_and_english_code() {
    let (spec, topics) = consumer("auto-commit-crash-duplicates", "c1");
    let m = mount(Lang::Ko, Some(spec), topics).await;
    assert_eq!(text(&m.root, "#client-code-title"), "클라이언트 코드");
    assert_eq!(text(&m.root, "#client-code-copy"), "복사");
    assert_eq!(find(&m.root, "[role=tablist]").get_attribute("aria-label").as_deref(), Some("코드 언어"));
    let java = text(&m.root, "#client-code-panel code");
    assert!(java.contains("props.setProperty(\"enable.auto.commit\", \"true\");"), "{java}");
    assert!(java.contains("No commit call"), "{java}");
}

#[wasm_bindgen_test]
async fn without_a_spec_there_is_no_code() {
    let m = mount(Lang::En, None, vec![]).await;
    assert!(text(&m.root, ".client-code-empty").contains("No code"));
    assert!(m.root.query_selector("#client-code-copy").unwrap().is_none());
}

#[wasm_bindgen_test]
fn copying_to_the_clipboard_does_not_throw() {
    // Headless Chromium may refuse the clipboard; the fallback runs then.
    offsetlab::source::clipboard::copy_text("OffsetLab");
}
