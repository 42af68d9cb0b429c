//! Browser tests of the consumer panel and the add-client form, rendered
//! on their own in headless Chromium with views folded from built-in
//! scenarios; every click's `Input` is recorded and checked.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use offsetlab::components::add_client::{AddClient, AddClientProps};
use offsetlab::components::consumer_panel::ConsumerPanel;
use offsetlab::i18n::Lang;
use offsetlab::state::SeekPreview;
use offsetlab::view::ClusterView;
use offsetlab_model::model::{ConsumerSpec, Input, KeyPattern, Subscription};
use offsetlab_model::scenario::{Scenario, ScenarioRun};
use offsetlab_protocol::{Command, Event, PartitionOffset, TopicPartition};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

mod support;

use support::{find, new_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

// -- scaffolding ---------------------------------------------------------------

/// Runs a built-in scenario to `until_ms`, applying person actions at their
/// times, and returns the model (for specs) and the folded view.
fn run(id: &str, actions: &[(u64, Input)], until_ms: u64) -> (ScenarioRun, Rc<ClusterView>) {
    let text = support::scenario_text(id);
    let mut run = ScenarioRun::new(&Scenario::parse(text).unwrap()).unwrap();
    let mut events: Vec<Event> = Vec::new();
    for (at, input) in actions {
        run.advance(*at).unwrap();
        run.model.handle(input.clone(), *at).unwrap();
    }
    run.advance(until_ms).unwrap();
    events.extend(std::iter::from_fn(|| run.model.poll_event()));
    let view = Rc::new(ClusterView::fold(&events));
    (run, view)
}

struct Recorder<T>(Rc<RefCell<Vec<T>>>);

impl<T: Clone + 'static> Recorder<T> {
    fn new() -> Self {
        Recorder(Rc::default())
    }
    fn callback(&self) -> Callback<T> {
        let log = self.0.clone();
        Callback::from(move |x| log.borrow_mut().push(x))
    }
    fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
    fn last(&self) -> Option<T> {
        self.0.borrow().last().cloned()
    }
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    lang: Lang,
    view: Rc<ClusterView>,
    consumer: String,
    spec: Option<ConsumerSpec>,
    on_input: Callback<Input>,
    on_preview: Callback<Option<SeekPreview>>,
    on_command: Option<Callback<Command>>,
}

/// The panel as the app mounts it: the preview goes round through state.
#[function_component]
fn Harness(p: &HarnessProps) -> Html {
    let preview = use_state(|| None::<SeekPreview>);
    let on_preview = {
        let preview = preview.clone();
        let record = p.on_preview.clone();
        Callback::from(move |next: Option<SeekPreview>| {
            record.emit(next.clone());
            preview.set(next);
        })
    };
    html! {
        <ConsumerPanel
            lang={p.lang}
            view={p.view.clone()}
            consumer={p.consumer.clone()}
            preview={(*preview).clone()}
            on_input={p.on_input.clone()}
            {on_preview}
            on_close={Callback::noop()}
            spec={p.spec.clone()}
            on_command={p.on_command.clone()}
        />
    }
}

struct Panel {
    root: Element,
    inputs: Recorder<Input>,
    previews: Recorder<Option<SeekPreview>>,
    commands: Recorder<Command>,
}

async fn mount_panel(lang: Lang, view: Rc<ClusterView>, consumer: &str, spec: Option<ConsumerSpec>) -> Panel {
    mount(lang, view, consumer, spec, false).await
}

/// The panel as live mode mounts it: with the gateway's own commands.
async fn mount_live_panel(lang: Lang, view: Rc<ClusterView>, consumer: &str) -> Panel {
    mount(lang, view, consumer, None, true).await
}

async fn mount(
    lang: Lang,
    view: Rc<ClusterView>,
    consumer: &str,
    spec: Option<ConsumerSpec>,
    live: bool,
) -> Panel {
    let root = new_root();
    let inputs = Recorder::new();
    let previews = Recorder::new();
    let commands = Recorder::new();
    yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            lang,
            view,
            consumer: consumer.into(),
            spec,
            on_input: inputs.callback(),
            on_preview: previews.callback(),
            on_command: live.then(|| commands.callback()),
        },
    )
    .render();
    settle().await;
    Panel { root, inputs, previews, commands }
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn disabled(root: &Element, selector: &str) -> bool {
    find(root, selector).has_attribute("disabled")
}

fn title(root: &Element, selector: &str) -> String {
    find(root, selector).get_attribute("title").unwrap_or_default()
}

async fn click(root: &Element, selector: &str) {
    find(root, selector).click();
    settle().await;
}

fn bubbling(name: &str) -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    web_sys::Event::new_with_event_init_dict(name, &init).unwrap()
}

/// Types into a text box as a person would (yew listens for `input`).
async fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).dyn_into().unwrap();
    input.set_value(value);
    input.dispatch_event(&bubbling("input")).unwrap();
    settle().await;
}

async fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = find(root, selector).dyn_into().unwrap();
    select.set_value(value);
    select.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
}

fn value(root: &Element, selector: &str) -> String {
    find(root, selector).dyn_into::<HtmlInputElement>().unwrap().value()
}

fn tp(topic: &str, p: i32) -> TopicPartition {
    TopicPartition::new(topic, p)
}

// -- the consumer panel ----------------------------------------------------------

#[wasm_bindgen_test]
async fn consumer_actions_send_the_right_inputs() {
    let (_, view) = run("two-groups", &[], 5_000);
    let assigned: Vec<TopicPartition> = view.consumers["audit-1"].assignment.iter().cloned().collect();
    assert_eq!(assigned.len(), 3, "audit-1 alone reads all of orders");
    let p = mount_panel(Lang::En, view, "audit-1", None).await;
    let r = &p.root;
    assert_eq!(text(r, "h2"), "audit-1");
    assert!(text(r, ".cp-facts").contains("group audit"));

    click(r, "#action-commit").await;
    click(r, "#action-poll").await;
    click(r, "tr[data-tp='orders-1'] .pause-toggle").await;
    click(r, "#action-close").await;
    click(r, "#action-crash").await;
    let who = || "audit-1".to_string();
    assert_eq!(
        p.inputs.take(),
        vec![
            Input::CommitSync { consumer: who() },
            Input::StopPolling { consumer: who() },
            Input::Pause { consumer: who(), partitions: vec![tp("orders", 1)] },
            Input::Close { consumer: who() },
            Input::Crash { consumer: who() },
        ]
    );
    // A subscribed consumer cannot assign(): the button says why, and
    // unsubscribe() is offered.
    assert!(disabled(r, "#assign-apply"));
    assert!(title(r, "#assign-apply").contains("mutually exclusive"));
    click(r, "#unsubscribe").await;
    assert_eq!(p.inputs.take(), vec![Input::Unsubscribe { consumer: who() }]);
    // Running: nothing to start again.
    assert!(r.query_selector("#action-restart").unwrap().is_none());
    // Offline, the model has no commitAsync() or commitSync(offsets) on demand.
    assert!(r.query_selector("#action-commit-async").unwrap().is_none());
    assert!(r.query_selector("#cp-commit-offsets").unwrap().is_none());
    r.remove();
}

#[wasm_bindgen_test]
async fn live_commits_async_and_exactly_the_offsets_typed() {
    let (_, view) = run("two-groups", &[], 5_000);
    let position = |p: i32| view.consumers["audit-1"].cursors[&tp("orders", p)].position.unwrap();
    let positions: Vec<i64> = (0..3).map(position).collect();
    let p = mount_live_panel(Lang::En, view.clone(), "audit-1").await;
    let r = &p.root;
    let who = || "audit-1".to_string();
    click(r, "#action-commit-async").await;
    assert_eq!(p.commands.take(), [Command::CommitAsync { consumer: who() }]);
    assert!(title(r, "#action-commit-async").contains("without waiting"));

    // One field per assigned partition, filled with the position.
    let field = |p: i32| format!("#cp-commit-offsets .cp-commit-row[data-tp='orders-{p}'] input");
    for p in 0..3 {
        assert_eq!(value(r, &field(p)), positions[p as usize].to_string());
    }
    // Not a whole number, 0 or more: said next to the field, and not sent.
    for bad in ["-1", "2.5", "two"] {
        type_into(r, &field(0), bad).await;
        let row = "#cp-commit-offsets .cp-commit-row[data-tp='orders-0']";
        assert_eq!(text(r, &format!("{row} .cfg-error")), "The offset must be a whole number, 0 or more");
        assert_eq!(find(r, &field(0)).get_attribute("aria-invalid").as_deref(), Some("true"));
        assert!(disabled(r, "#commit-offsets"));
        assert_eq!(title(r, "#commit-offsets"), "fix the offsets marked first");
    }
    // An empty field is left out.
    type_into(r, &field(0), "2").await;
    type_into(r, &field(2), "").await;
    assert!(r.query_selector("#cp-commit-offsets .cfg-error").unwrap().is_none());
    click(r, "#commit-offsets").await;
    let po = |partition, offset| PartitionOffset { topic: "orders".into(), partition, offset };
    assert_eq!(
        p.commands.take(),
        [Command::CommitOffsets { consumer: who(), offsets: vec![po(0, 2), po(1, positions[1])] }]
    );
    // Sent: the fields follow the position again.
    assert_eq!(value(r, &field(0)), positions[0].to_string());
    for p in 0..3 {
        type_into(r, &field(p), " ").await;
    }
    assert!(disabled(r, "#commit-offsets"));
    assert_eq!(title(r, "#commit-offsets"), "nothing to commit: every field is empty");
    assert!(p.inputs.take().is_empty(), "live-only commits are commands, not model inputs");
    r.remove();

    let p = mount_live_panel(Lang::Ko, view, "audit-1").await;
    assert_eq!(text(&p.root, "#action-commit-async"), "지금 commitAsync()");
    assert_eq!(text(&p.root, "#cp-commit-offsets summary"), "이 오프셋 커밋");
    type_into(&p.root, &field(1), "x").await;
    assert_eq!(text(&p.root, "#cp-commit-offsets .cfg-error"), "오프셋은 0 이상의 정수여야 합니다");
    p.root.remove();
}

#[wasm_bindgen_test]
async fn paused_partitions_and_stopped_polling_offer_the_way_back() {
    let pause = Input::Pause { consumer: "audit-1".into(), partitions: vec![tp("orders", 2)] };
    let stop = Input::StopPolling { consumer: "audit-1".into() };
    let (_, view) = run("two-groups", &[(4_000, pause), (4_000, stop)], 5_000);
    let p = mount_panel(Lang::En, view, "audit-1", None).await;
    let r = &p.root;
    assert!(text(r, "tr[data-tp='orders-2']").contains("paused"));
    assert_eq!(text(r, "tr[data-tp='orders-2'] .pause-toggle"), "resume()");
    assert!(text(r, ".cp-facts").contains("not calling poll()"));
    assert_eq!(text(r, "#action-poll"), "Call poll() again");
    click(r, "tr[data-tp='orders-2'] .pause-toggle").await;
    click(r, "#action-poll").await;
    assert_eq!(
        p.inputs.take(),
        vec![
            Input::Resume { consumer: "audit-1".into(), partitions: vec![tp("orders", 2)] },
            Input::ResumePolling { consumer: "audit-1".into() },
        ]
    );
    r.remove();
}

#[wasm_bindgen_test]
async fn seek_previews_and_counts_replayed_and_skipped_records() {
    // c1 reads orders-0 by assign(); it stops polling at 1.5 s so that the
    // log grows past its position.
    let stop = Input::StopPolling { consumer: "c1".into() };
    let (_, view) = run("seek", &[(1_500, stop)], 9_000);
    let c1 = &view.consumers["c1"];
    let position = c1.cursors[&tp("orders", 0)].position.unwrap();
    let hw = view.partition(&tp("orders", 0)).unwrap().high_watermark();
    assert!(position >= 2 && hw - position >= 2, "{position} / {hw}");
    let p = mount_panel(Lang::En, view.clone(), "c1", None).await;
    let r = &p.root;
    assert!(disabled(r, "#seek-apply"), "nothing typed yet");

    type_into(r, "#seek-offset", &(position - 2).to_string()).await;
    assert!(text(r, "#seek-effect").starts_with("replays 2 records"), "{}", text(r, "#seek-effect"));
    let preview = |offset| Some(SeekPreview { consumer: "c1".into(), partition: tp("orders", 0), offset });
    assert_eq!(p.previews.last(), Some(preview(position - 2)));
    assert!(
        text(r, "#seek-effect").contains("previewed on the log"),
        "the preview came back through the state"
    );

    type_into(r, "#seek-offset", &hw.to_string()).await;
    assert_eq!(text(r, "#seek-effect"), format!("skips {} records · previewed on the log", hw - position));
    assert_eq!(p.previews.last(), Some(preview(hw)));

    // Past the high watermark: out of range, said as Kafka says it.
    type_into(r, "#seek-offset", &(hw + 5).to_string()).await;
    assert!(text(r, "#seek-effect").contains("OffsetOutOfRange"));

    // Not a number: never previewed, never sent, kept in the box.
    type_into(r, "#seek-offset", "ten").await;
    assert_eq!(p.previews.last(), Some(None));
    assert!(text(r, "#seek-effect").contains("whole number"));
    assert!(disabled(r, "#seek-apply"));
    assert_eq!(value(r, "#seek-offset"), "ten");

    // Cancel ends the preview and empties the box.
    type_into(r, "#seek-offset", "1").await;
    click(r, "#seek-cancel").await;
    assert_eq!(p.previews.last(), Some(None));
    assert_eq!(value(r, "#seek-offset"), "");
    assert!(p.inputs.take().is_empty());

    // Applying sends seek() and ends the preview.
    type_into(r, "#seek-offset", "1").await;
    click(r, "#seek-apply").await;
    assert_eq!(
        p.inputs.take(),
        vec![Input::Seek { consumer: "c1".into(), partition: tp("orders", 0), offset: 1 }]
    );
    assert_eq!(p.previews.last(), Some(None));

    click(r, "#seek-beginning").await;
    click(r, "#seek-end").await;
    assert_eq!(
        p.inputs.take(),
        vec![
            Input::SeekToBeginning { consumer: "c1".into(), partitions: vec![tp("orders", 0)] },
            Input::SeekToEnd { consumer: "c1".into(), partitions: vec![tp("orders", 0)] },
        ]
    );
    r.remove();

    // The same preview in Korean.
    let p = mount_panel(Lang::Ko, view, "c1", None).await;
    type_into(&p.root, "#seek-offset", &(position - 2).to_string()).await;
    assert!(
        text(&p.root, "#seek-effect").starts_with("레코드 2개를 다시 읽습니다"),
        "{}",
        text(&p.root, "#seek-effect")
    );
    type_into(&p.root, "#seek-offset", &hw.to_string()).await;
    assert!(text(&p.root, "#seek-effect").starts_with(&format!("레코드 {}개를 건너뜁니다", hw - position)));
    p.root.remove();
}

#[wasm_bindgen_test]
async fn config_errors_show_inline_and_block_sending() {
    let (_, view) = run("two-groups", &[], 3_000);
    let p = mount_panel(Lang::En, view, "billing-1", None).await;
    let r = &p.root;
    let hb = "[data-key='heartbeat.interval.ms']";
    // Every option is listed with its Kafka default and an explanation.
    assert_eq!(
        r.query_selector_all(".cfg-row").unwrap().length(),
        offsetlab_model::config::CONSUMER_DEFAULTS.len() as u32
    );
    let mpr = "[data-key='max.poll.records']";
    assert!(text(r, &format!("{mpr} .cfg-help")).contains("most records one poll() returns"));
    assert!(text(r, &format!("{mpr} .cfg-meta")).contains("default: 500"));
    assert!(disabled(r, "#config-apply"), "nothing changed yet");

    type_into(r, &format!("{hb} input"), "50000").await;
    let error = text(r, &format!("{hb} .cfg-error"));
    assert!(error.contains("lower than session.timeout.ms (50000 >= 45000)"), "{error}");
    assert!(disabled(r, "#config-apply"));
    assert_eq!(value(r, &format!("{hb} input")), "50000", "kept in the box");
    click(r, "#config-apply").await;

    type_into(r, &format!("{hb} input"), "3000").await;
    type_into(r, &format!("{mpr} input"), "lots").await;
    assert!(text(r, &format!("{mpr} .cfg-error")).contains("must be an integer"));
    assert!(r.query_selector(&format!("{hb} .cfg-error")).unwrap().is_none());

    type_into(r, &format!("{mpr} input"), "10").await;
    type_into(r, "[data-key='session.timeout.ms'] input", "12000").await;
    assert!(r.query_selector(".cfg-error").unwrap().is_none());
    assert!(!disabled(r, "#config-apply"));
    click(r, "#config-apply").await;
    assert_eq!(
        p.inputs.take(),
        vec![Input::ChangeConfig {
            consumer: "billing-1".into(),
            // heartbeat is back at its current value: not a change.
            changes: BTreeMap::from([
                ("max.poll.records".to_string(), "10".to_string()),
                ("session.timeout.ms".to_string(), "12000".to_string()),
            ]),
        }],
        "only the valid change was ever sent"
    );

    // An unknown assignor, and the discard button.
    let pas = "[data-key='partition.assignment.strategy']";
    type_into(r, &format!("{pas} input"), "range,fair").await;
    assert!(text(r, &format!("{pas} .cfg-error")).contains("unknown assignor `fair`"));
    click(r, "#config-discard").await;
    assert!(r.query_selector(".cfg-error").unwrap().is_none());
    assert_eq!(value(r, &format!("{mpr} input")), "500");
    r.remove();
}

#[wasm_bindgen_test]
async fn korean_panel_and_config_errors() {
    let (_, view) = run("two-groups", &[], 3_000);
    let p = mount_panel(Lang::Ko, view, "billing-1", None).await;
    let r = &p.root;
    assert_eq!(text(r, "#action-commit"), "지금 commitSync()");
    assert!(
        text(r, "[data-key='max.poll.records'] .cfg-help").contains("poll() 한 번이 돌려주는 최대 레코드 수")
    );
    assert!(text(r, "#cp-config summary").contains("설정"));
    type_into(r, "[data-key='heartbeat.interval.ms'] input", "50000").await;
    let error = text(r, "[data-key='heartbeat.interval.ms'] .cfg-error");
    assert!(error.contains("session.timeout.ms보다 작아야 합니다 (50000 >= 45000)"), "{error}");
    assert!(title(r, "#config-apply").contains("표시된 값을 먼저 고치세요"));
    r.remove();
}

#[wasm_bindgen_test]
async fn a_crashed_consumer_can_only_start_again() {
    let (model, view) = run("auto-commit-crash-duplicates", &[], 9_500);
    let spec = model.model.consumer_spec("c1").cloned();
    assert!(spec.is_some());
    let p = mount_panel(Lang::En, view.clone(), "c1", spec.clone()).await;
    let r = &p.root;
    assert_eq!(text(r, ".cp-status"), "crashed");
    for action in ["#action-commit", "#action-crash", "#action-close", "#action-poll"] {
        assert!(disabled(r, action), "{action}");
        assert!(title(r, action).contains("c1 is not running (crashed)"), "{action}: {}", title(r, action));
    }
    assert!(text(r, "#cp-stopped").contains("not running"));
    // It lost its partitions with the crash: nothing to seek on.
    assert!(r.query_selector("#seek-offset").unwrap().is_none());
    assert!(text(r, "#seek-none").contains("needs an assigned partition"));
    assert!(disabled(r, "#assign-apply"));
    assert!(!disabled(r, "#action-restart"));
    click(r, "#action-restart").await;
    assert_eq!(p.inputs.take(), vec![Input::StartConsumer(spec.unwrap())]);

    // Options of a stopped consumer apply to its next start.
    assert_eq!(text(r, "#config-apply"), "Apply (used when it starts again)");
    r.remove();

    // Without the spec the view cannot say how it was started.
    let p = mount_panel(Lang::Ko, view, "c1", None).await;
    assert!(disabled(&p.root, "#action-restart"));
    assert!(title(&p.root, "#action-restart").contains("다시 시작할 수 없습니다"));
    assert_eq!(text(&p.root, ".cp-status"), "비정상 종료");
    p.root.remove();
}

#[wasm_bindgen_test]
async fn assign_picks_partitions_from_every_topic() {
    let (_, view) = run("assign", &[], 3_000);
    let p = mount_panel(Lang::En, view, "c1", None).await;
    let r = &p.root;
    // c1 has no group.id: nothing to commit to.
    assert!(disabled(r, "#action-commit"));
    assert!(title(r, "#action-commit").contains("needs a group.id"));
    let boxes = r.query_selector_all("#assign-list input").unwrap().length();
    assert_eq!(boxes, 3);
    let checked = |sel: &str| find(r, sel).dyn_into::<HtmlInputElement>().unwrap().checked();
    assert!(checked("#assign-list input[data-tp='orders-0']"), "current");
    click(r, "#assign-list input[data-tp='orders-2']").await;
    click(r, "#assign-apply").await;
    assert_eq!(
        p.inputs.take(),
        vec![Input::Assign { consumer: "c1".into(), partitions: vec![tp("orders", 0), tp("orders", 2)] }]
    );
    r.remove();
}

// -- adding clients -----------------------------------------------------------------

async fn mount_add(lang: Lang, view: Rc<ClusterView>) -> (Element, Recorder<Input>) {
    let root = new_root();
    let inputs = Recorder::new();
    yew::Renderer::<AddClient>::with_root_and_props(
        root.clone(),
        AddClientProps { lang, view, on_input: inputs.callback(), group_prefix: None },
    )
    .render();
    settle().await;
    // Each section's form is built when the person opens it.
    for section in ["#add-consumer", "#add-producer", "#add-produce"] {
        assert!(
            root.query_selector(&format!("{section} input")).unwrap().is_none(),
            "{section} starts closed and empty"
        );
        click(&root, &format!("{section} > summary")).await;
    }
    (root, inputs)
}

#[wasm_bindgen_test]
async fn add_a_consumer_with_inline_errors() {
    let (_, view) = run("two-groups", &[], 3_000);
    let (r, inputs) = mount_add(Lang::En, view).await;
    // Suggestions: a free id, the first group, the first topic.
    assert_eq!(value(&r, "#add-consumer-id"), "c1");
    assert_eq!(value(&r, "#add-group-id"), "audit");

    type_into(&r, "#add-group-id", "").await;
    assert!(text(&r, "#add-error-group-id").contains("subscribe() needs a group.id"));
    assert!(disabled(&r, "#add-consumer-start"));
    type_into(&r, "#add-consumer-id", "billing-2").await;
    assert!(text(&r, "#add-error-consumer-id").contains("already running"));

    type_into(&r, "#add-consumer-id", "c7").await;
    type_into(&r, "#add-group-id", "billing").await;
    choose(&r, "#add-commit", "sync_per_poll").await;
    type_into(&r, "#add-processing", "abc").await;
    assert!(text(&r, "#add-error-processing").contains("whole number from 0 to 60000"));
    assert_eq!(value(&r, "#add-processing"), "abc");
    type_into(&r, "#add-processing", "30").await;
    click(&r, "#add-consumer-start").await;
    let sent = inputs.take();
    let [Input::StartConsumer(spec)] = sent.as_slice() else { panic!("{sent:?}") };
    assert_eq!(spec.id, "c7");
    assert_eq!(spec.properties.get("group.id").map(String::as_str), Some("billing"));
    assert_eq!(spec.subscription, Subscription::Topics(vec!["orders".into()]));
    assert_eq!(spec.processing_ms, 30);
    assert_eq!(spec.commit.name(), "sync_per_poll");

    // assign() without a group, two partitions.
    click(&r, "#add-read-assign").await;
    type_into(&r, "#add-group-id", "").await;
    choose(&r, "#add-commit", "auto").await;
    assert!(text(&r, "#add-error-partitions").contains("at least one partition"));
    click(&r, "#add-partitions input[data-tp='orders-0']").await;
    click(&r, "#add-partitions input[data-tp='orders-2']").await;
    click(&r, "#add-consumer-start").await;
    let sent = inputs.take();
    let [Input::StartConsumer(spec)] = sent.as_slice() else { panic!("{sent:?}") };
    assert_eq!(spec.subscription, Subscription::Partitions(vec![tp("orders", 0), tp("orders", 2)]));
    assert!(!spec.properties.contains_key("group.id"));
    r.remove();
}

#[wasm_bindgen_test]
async fn producers_start_stop_and_produce_now() {
    let (_, view) = run("two-groups", &[], 3_000);
    let (r, inputs) = mount_add(Lang::En, view.clone()).await;
    choose(&r, "#add-keys-mode", "cycle").await;
    type_into(&r, "#add-keys-list", "a, b").await;
    type_into(&r, "#add-producer-rate", "0").await;
    assert!(text(&r, "#add-error-rate").contains("from 1 to 1000"));
    type_into(&r, "#add-producer-rate", "8").await;
    click(&r, "#add-producer-start").await;
    let sent = inputs.take();
    let [Input::StartProducer(spec)] = sent.as_slice() else { panic!("{sent:?}") };
    assert_eq!((spec.id.as_str(), spec.topic.as_str(), spec.rate_per_sec), ("ui-p1", "orders", 8));
    assert_eq!(spec.keys, KeyPattern::Cycle(vec!["a".into(), "b".into()]));
    assert_eq!(value(&r, "#add-producer-stop-id"), "ui-p1");
    assert_eq!(value(&r, "#add-producer-id"), "ui-p2", "next free id");
    click(&r, "#add-producer-stop").await;
    assert_eq!(inputs.take(), vec![Input::StopProducer { producer: "ui-p1".into() }]);

    type_into(&r, "#produce-count", "3").await;
    type_into(&r, "#produce-key", "user-7").await;
    assert_eq!(text(&r, "#produce-now"), "Produce 3 records");
    click(&r, "#produce-now").await;
    assert_eq!(
        inputs.take(),
        vec![Input::Produce {
            topic: "orders".into(),
            partition: None,
            key: Some("user-7".into()),
            value: None,
            count: 3
        }]
    );
    r.remove();

    let (r, _) = mount_add(Lang::Ko, view).await;
    assert_eq!(text(&r, "#add-client h2"), "클라이언트 추가");
    assert_eq!(text(&r, "#produce-now"), "레코드 10개 보내기");
    type_into(&r, "#produce-count", "0").await;
    assert!(text(&r, "#add-error-produce-count").contains("1부터 1000까지의 정수"));
    r.remove();
}

#[wasm_bindgen_test]
async fn a_preview_on_a_partition_no_longer_owned_is_dropped() {
    // c1 crashed at 9 s: its partitions are gone, so is any seek on them.
    let (_, view) = run("auto-commit-crash-duplicates", &[], 9_500);
    let root = new_root();
    let previews = Recorder::new();
    yew::Renderer::<ConsumerPanel>::with_root_and_props(
        root.clone(),
        offsetlab::components::consumer_panel::ConsumerPanelProps {
            lang: Lang::En,
            view,
            consumer: "c1".into(),
            preview: Some(SeekPreview { consumer: "c1".into(), partition: tp("events", 0), offset: 3 }),
            on_input: Callback::noop(),
            on_preview: previews.callback(),
            on_close: Callback::noop(),
            spec: None,
            on_command: None,
        },
    )
    .render();
    settle().await;
    assert_eq!(previews.take(), vec![None]);
    root.remove();
}
