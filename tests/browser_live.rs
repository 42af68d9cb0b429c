//! Browser tests of live mode's pieces, rendered on their own in headless
//! Chromium: the live panel (status, read-only, errors in both languages,
//! cluster-wide actions) and the views of a cluster folded from gateway
//! frames (members and cursors the broker did not tell stay "unknown").
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use offsetlab::components::groups::{Groups, GroupsProps};
use offsetlab::components::live_panel::{LivePanel, LivePanelProps};
use offsetlab::i18n::Lang;
use offsetlab::state::{Action, Connection, LiveAction, Mode, State};
use offsetlab_protocol::{
    ClusterObservation, Command, ErrorCode, Frame, GroupOffset, ObservedGroup, ObservedMember,
    ObservedPartition, ObservedTopic, TopicPartition,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

mod support;

use support::{find, new_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn frame(f: Frame) -> Action {
    Action::Live(LiveAction::Frame(f))
}

fn hello(read_only: bool) -> Action {
    frame(Frame::Hello {
        protocol_version: 1,
        gateway_version: "0.1.0".into(),
        read_only,
        group_prefix: "offsetlab.".into(),
        refresh_ms: 1000,
        max_frame_bytes: 65536,
    })
}

fn observation() -> ClusterObservation {
    ClusterObservation {
        at_ms: 1_000,
        full: true,
        topics: vec![ObservedTopic {
            topic: "orders".into(),
            partition_count: 2,
            partitions: vec![
                ObservedPartition { partition: 0, log_start_offset: 0, high_watermark: 12 },
                ObservedPartition { partition: 1, log_start_offset: 0, high_watermark: 5 },
            ],
        }],
        removed_topics: vec![],
        groups: vec![
            ObservedGroup {
                group: "billing".into(),
                state: "Stable".into(),
                protocol_type: "consumer".into(),
                assignor: Some("range".into()),
                members: Some(vec![ObservedMember {
                    member_id: "m-1".into(),
                    client_id: "billing-app".into(),
                    client_host: "/10.0.0.9".into(),
                    topics: Some(vec!["orders".into()]),
                    assignment: Some(vec![TopicPartition::new("orders", 0)]),
                }]),
                offsets: vec![GroupOffset {
                    topic: "orders".into(),
                    partition: 0,
                    committed_offset: 9,
                    lag: Some(3),
                }],
            },
            ObservedGroup {
                group: "audit".into(),
                state: "Stable".into(),
                protocol_type: "consumer".into(),
                assignor: None,
                members: None,
                offsets: vec![],
            },
        ],
        removed_groups: vec![],
    }
}

/// The state after connecting to a gateway and one full observation.
fn live_state(read_only: bool) -> State {
    State::new(Lang::En)
        .apply(Action::SetMode(Mode::Live))
        .apply(Action::Live(LiveAction::SetUrl("ws://gw.test/ws".into())))
        .apply(Action::Live(LiveAction::Connecting { url: "ws://gw.test/ws".into() }))
        .apply(hello(read_only))
        .apply(frame(Frame::Broker { at_ms: 5, reachable: true, message: None }))
        .apply(frame(Frame::Cluster(observation())))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

async fn mount_groups(state: &State, lang: Lang) -> Element {
    let root = new_root();
    yew::Renderer::<Groups>::with_root_and_props(
        root.clone(),
        GroupsProps { view: state.view().clone(), lang, on_select: Callback::noop() },
    )
    .render();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn observed_groups_say_what_the_broker_did_not() {
    let state = live_state(true);
    for (lang, members_unknown, unknown) in [
        (Lang::En, "members unknown (the broker did not say)", "unknown"),
        (Lang::Ko, "멤버 알 수 없음 (브로커가 알려 주지 않음)", "알 수 없음"),
    ] {
        let root = mount_groups(&state, lang).await;
        assert_eq!(text(&root, "[data-group='audit'] .members-unknown"), members_unknown);
        assert!(root.query_selector("[data-group='billing'] .members-unknown").unwrap().is_none());
        // An outside member: who it is and what it owns, never where it reads.
        let member = find(&root, "[data-group='billing'] li.member.outside");
        assert!(member.text_content().unwrap().contains("billing-app"));
        assert!(text(&root, "[data-group='billing'] .cursors-unknown").contains(unknown));
        assert_eq!(text(&root, "[data-group='billing'] dd.generation"), unknown);
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn a_delta_updates_what_the_views_show() {
    let mut state = live_state(true);
    let view = state.view().clone();
    assert_eq!(view.lag("billing", &TopicPartition::new("orders", 0)), Some(3));
    state = state.apply(frame(Frame::Cluster(ClusterObservation {
        at_ms: 2_000,
        full: false,
        topics: vec![ObservedTopic {
            topic: "orders".into(),
            partition_count: 2,
            partitions: vec![ObservedPartition { partition: 0, log_start_offset: 0, high_watermark: 20 }],
        }],
        groups: vec![ObservedGroup { members: None, ..observation().groups[0].clone() }],
        ..ClusterObservation::default()
    })));
    assert_eq!(state.view().lag("billing", &TopicPartition::new("orders", 0)), Some(11));
    let root = mount_groups(&state, Lang::En).await;
    assert_eq!(
        text(&root, "[data-group='billing'] .members-unknown"),
        "members unknown (the broker did not say)"
    );
    assert!(root.query_selector("[data-group='billing'] li.member").unwrap().is_none());
    root.remove();
}

struct Panel {
    root: Element,
    commands: Rc<RefCell<Vec<Command>>>,
}

async fn mount_panel(state: &State, lang: Lang) -> Panel {
    let root = new_root();
    let commands: Rc<RefCell<Vec<Command>>> = Rc::default();
    let log = commands.clone();
    yew::Renderer::<LivePanel>::with_root_and_props(
        root.clone(),
        LivePanelProps {
            lang,
            live: state.live.clone(),
            topics: state.view().topics.keys().cloned().collect(),
            on_url: Callback::noop(),
            on_token: Callback::noop(),
            on_connect: Callback::noop(),
            on_disconnect: Callback::noop(),
            on_command: Callback::from(move |c| log.borrow_mut().push(c)),
            on_dismiss_errors: Callback::noop(),
        },
    )
    .render();
    settle().await;
    Panel { root, commands }
}

#[wasm_bindgen_test]
async fn error_frames_read_as_sentences_in_both_languages() {
    let state = live_state(true)
        .apply(Action::Live(LiveAction::Sent { id: 4, command: Command::Crash { consumer: "c1".into() } }))
        .apply(frame(Frame::Error { id: Some(4), code: ErrorCode::UnknownConsumer, message: "no c1".into() }))
        .apply(Action::Live(LiveAction::Malformed("expected value at line 1 column 1: <html>".into())));
    let p = mount_panel(&state, Lang::En).await;
    let errors = text(&p.root, "#live-errors");
    assert!(errors.contains("The gateway has no consumer by that name. (request crash) — no c1"), "{errors}");
    assert!(errors.contains("The gateway sent a frame this page cannot read"), "{errors}");
    assert_eq!(text(&p.root, "#live-status"), "connected to ws://gw.test/ws");
    assert_eq!(text(&p.root, "#live-broker").trim(), "the gateway reaches the cluster");
    assert_eq!(text(&p.root, "#live-read-only"), "read-only");
    assert!(text(&p.root, "#live-read-only-note").contains("--allow-write"));
    assert!(p.root.query_selector("#live-create-topic").unwrap().is_none(), "no writes offered");
    p.root.remove();
    let p = mount_panel(&state, Lang::Ko).await;
    let errors = text(&p.root, "#live-errors");
    assert!(errors.contains("게이트웨이에 그런 이름의 컨슈머가 없습니다. (요청 crash) — no c1"), "{errors}");
    assert!(text(&p.root, "#live-read-only-note").contains("읽기 전용"));
    p.root.remove();
}

#[wasm_bindgen_test]
async fn a_full_page_memory_stops_live_mode_and_says_so_in_both_languages() {
    // What the live source dispatches when the page's heap reaches
    // `heap::MEMORY_LIMIT`: the error, then the socket closed for good.
    let state = live_state(true)
        .apply(Action::Live(LiveAction::MemoryLimitReached))
        .apply(Action::Live(LiveAction::Closed));
    assert_eq!(state.live.connection, Connection::Closed);
    let p = mount_panel(&state, Lang::En).await;
    let errors = text(&p.root, "#live-errors");
    assert!(errors.contains("This page holds 1 GB of memory"), "{errors}");
    assert!(errors.contains("Save the recording, then reload the page"), "{errors}");
    assert_eq!(text(&p.root, "#live-status"), "not connected");
    p.root.remove();
    let p = mount_panel(&state, Lang::Ko).await;
    let errors = text(&p.root, "#live-errors");
    assert!(errors.contains("메모리를 1 GB 차지해") && !errors.contains("memory"), "{errors}");
    p.root.remove();
}

#[wasm_bindgen_test]
async fn a_writable_gateway_offers_topics_and_watching() {
    let state = live_state(false);
    let p = mount_panel(&state, Lang::En).await;
    assert_eq!(text(&p.root, "#live-writable"), "writes allowed");
    find(&p.root, "#live-watch-add").click();
    settle().await;
    let input: HtmlInputElement = find(&p.root, "#live-topic-name").dyn_into().unwrap();
    input.set_value("payments");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    settle().await;
    find(&p.root, "#live-create").click();
    settle().await;
    assert_eq!(
        *p.commands.borrow(),
        [
            Command::Watch { topic: "orders".into(), window: 200 },
            Command::CreateTopic { topic: "payments".into(), partitions: 3 },
        ]
    );
    p.root.remove();
}

#[wasm_bindgen_test]
async fn reconnecting_says_when_the_next_try_is() {
    let state = live_state(false).apply(Action::Live(LiveAction::Reconnecting {
        url: "ws://gw.test/ws".into(),
        attempt: 2,
        delay_ms: 1_000,
        reason: Some("code 1006".into()),
    }));
    assert!(matches!(state.live.connection, Connection::Reconnecting { .. }));
    let p = mount_panel(&state, Lang::En).await;
    assert_eq!(
        text(&p.root, "#live-status"),
        "connection lost (code 1006); trying again in 1.0 s (attempt 2)"
    );
    assert!(p.root.query_selector("#live-watch").unwrap().is_none(), "no actions without a connection");
    assert!(p.root.query_selector("#live-disconnect").unwrap().is_some());
    p.root.remove();
}

/// The gateway's own consumer c1, in a group the broker lists with a bare
/// member (nisshi: Kafka's member id, no client id, no assignment).
fn owned_consumer_state() -> State {
    owned_consumer_state_with(Default::default())
}

/// As `owned_consumer_state`, with c1 started with `config`.
fn owned_consumer_state_with(config: std::collections::BTreeMap<String, String>) -> State {
    use offsetlab_protocol::{CommitStrategy, Event, EventKind};
    let tp = |p| TopicPartition::new("orders", p);
    let events = vec![
        Event {
            at_ms: 1_100,
            kind: EventKind::ConsumerStarted {
                consumer: "c1".into(),
                group: Some("offsetlab.e2e".into()),
                config,
                processing_ms: 10,
                commit: CommitStrategy::SyncPerPoll,
            },
        },
        Event {
            at_ms: 1_110,
            kind: EventKind::Subscribed { consumer: "c1".into(), topics: vec!["orders".into()] },
        },
        Event {
            at_ms: 1_120,
            kind: EventKind::PartitionsAssigned {
                consumer: "c1".into(),
                group: "offsetlab.e2e".into(),
                generation: 1,
                partitions: vec![tp(0), tp(1)],
                assignment: vec![tp(0), tp(1)],
            },
        },
    ];
    let observed = ClusterObservation {
        at_ms: 1_200,
        full: false,
        groups: vec![ObservedGroup {
            group: "offsetlab.e2e".into(),
            state: "Stable".into(),
            protocol_type: "consumer".into(),
            assignor: None,
            members: Some(vec![ObservedMember {
                member_id: "c1-f3866743-028f".into(),
                client_id: String::new(),
                client_host: String::new(),
                topics: None,
                assignment: None,
            }]),
            offsets: vec![GroupOffset {
                topic: "orders".into(),
                partition: 0,
                committed_offset: 5,
                lag: Some(7),
            }],
        }],
        ..ClusterObservation::default()
    };
    live_state(false).apply(frame(Frame::Events { events })).apply(frame(Frame::Cluster(observed)))
}

#[wasm_bindgen_test]
async fn the_gateways_own_consumer_is_known_in_its_group() {
    let state = owned_consumer_state();
    let root = mount_groups(&state, Lang::En).await;
    let group = "[data-group='offsetlab.e2e']";
    assert_eq!(text(&root, &format!("{group} dd.generation")), "1");
    let member = find(&root, &format!("{group} li.member[data-consumer='c1']"));
    assert!(!member.get_attribute("class").unwrap_or_default().contains("outside"));
    assert_eq!(member.get_attribute("data-generation").as_deref(), Some("1"));
    let shown = member.text_content().unwrap_or_default();
    assert!(shown.contains("orders-0–1"), "{shown}");
    assert!(!shown.contains("unknown"), "{shown}");
    assert!(root.query_selector(&format!("{group} .cursors-unknown")).unwrap().is_none());
    assert!(root.query_selector(&format!("{group} .members-unknown")).unwrap().is_none());
    assert_eq!(root.query_selector_all(&format!("{group} li.member")).unwrap().length(), 1);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_group_whose_broker_did_not_name_the_assignor_shows_the_configured_one() {
    let assignor = "[data-group='offsetlab.e2e'] dd.assignor";
    // c1 does not set partition.assignment.strategy: nothing is known.
    let root = mount_groups(&owned_consumer_state(), Lang::En).await;
    assert_eq!(text(&root, assignor), "–");
    root.remove();
    let config = [("partition.assignment.strategy".to_string(), "range".to_string())].into();
    let state = owned_consumer_state_with(config);
    for (lang, shown) in [(Lang::En, "range (configured)"), (Lang::Ko, "range (설정값)")] {
        let root = mount_groups(&state, lang).await;
        assert_eq!(text(&root, assignor).trim(), shown);
        let dd = find(&root, assignor);
        assert!(dd.class_name().contains("assignor-configured"));
        assert!(dd.title().contains("partition.assignment.strategy"), "{}", dd.title());
        // What a broker did say is shown as it said it, unmarked.
        assert_eq!(text(&root, "[data-group='billing'] dd.assignor"), "range");
        root.remove();
    }
}

async fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn the_refresh_interval_is_checked_inline_and_set() {
    let state = live_state(true);
    let p = mount_panel(&state, Lang::En).await;
    let r = &p.root;
    let field = || find(r, "#live-refresh").dyn_into::<HtmlInputElement>().unwrap();
    // Read-only gateways take it too: it only changes what this page sees.
    assert_eq!(field().value(), "1000", "the hello's interval");
    assert_eq!(text(r, "#live-refresh-now"), "now every 1000 ms");
    assert!(find(r, "#live-refresh-set").has_attribute("disabled"), "nothing to change");
    for bad in ["99", "60001", "fast", ""] {
        type_into(r, "#live-refresh", bad).await;
        assert_eq!(field().get_attribute("aria-invalid").as_deref(), Some("true"), "{bad}");
        assert_eq!(text(r, "#live-refresh-error"), "a whole number from 100 to 60000");
        assert!(find(r, "#live-refresh-set").has_attribute("disabled"));
    }
    type_into(r, "#live-refresh", "250").await;
    assert!(r.query_selector("#live-refresh-error").unwrap().is_none());
    find(r, "#live-refresh-set").click();
    settle().await;
    assert_eq!(*p.commands.borrow(), [Command::SetRefresh { interval_ms: 250 }]);
    p.root.remove();

    // Sent and awaiting its ack: the field shows what was asked for.
    let state = state
        .apply(Action::Live(LiveAction::Sent { id: 9, command: Command::SetRefresh { interval_ms: 250 } }));
    let p = mount_panel(&state, Lang::Ko).await;
    assert_eq!(find(&p.root, "#live-refresh").dyn_into::<HtmlInputElement>().unwrap().value(), "250");
    assert_eq!(text(&p.root, "#live-refresh-now"), "현재 1000ms마다, 250ms로 바꾸는 중…");
    type_into(&p.root, "#live-refresh", "5").await;
    assert_eq!(text(&p.root, "#live-refresh-error"), "100부터 60000까지의 정수를 입력하세요");
    p.root.remove();
    let state = state.apply(frame(Frame::Ack { id: 9 }));
    let p = mount_panel(&state, Lang::En).await;
    assert_eq!(text(&p.root, "#live-refresh-now"), "now every 250 ms");
    p.root.remove();
}
