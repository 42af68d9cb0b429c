//! The live source: one WebSocket to the gateway. It says `hello` first,
//! hands every frame to the reducer as an `Action`, and after a lost
//! connection (a gateway restart, a network blip) tries again with
//! exponential backoff until a `hello` is answered.
//!
//! What is decided here is pure and tested natively (`Backoff`, the default
//! URL, reading a frame, a person's `Input` as gateway `Command`s); the
//! socket itself only exists in the browser.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::{Rc, Weak};

use gloo::timers::callback::Timeout;
use offsetlab_model::model::{Input, Subscription};
use offsetlab_protocol::{ClusterObservation, Command, ErrorCode, Frame, Request};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};
use yew::Callback;

use crate::state::{Action, LiveAction};

/// The first wait after a lost connection; it doubles up to `MAX_DELAY_MS`.
pub const FIRST_DELAY_MS: u32 = 500;
pub const MAX_DELAY_MS: u32 = 10_000;
/// Records of each partition a watched topic shows at first.
pub const WATCH_WINDOW: u32 = 200;
/// Topics the first full observation watches by itself.
pub const AUTO_WATCH_TOPICS: usize = 8;
/// How much of a frame that cannot be read is quoted in the error.
const QUOTED_CHARS: usize = 120;

/// The wait before try `failures + 1`: 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s.
pub fn backoff_ms(failures: u32) -> u32 {
    FIRST_DELAY_MS.saturating_mul(1u32 << failures.min(16)).min(MAX_DELAY_MS)
}

/// The reconnect schedule: failures since the last answered `hello`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// A `hello` was answered: the next loss starts from the first delay.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// The connection was lost: the number of the next try and the wait
    /// before it.
    pub fn next_try(&mut self) -> (u32, u32) {
        let delay = backoff_ms(self.failures);
        self.failures = self.failures.saturating_add(1);
        (self.failures, delay)
    }
}

/// The gateway on the page's own origin: `ws://` for `http:`, `wss://` for
/// `https:`, at `/ws`.
pub fn default_url_for(protocol: &str, host: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}/ws")
}

/// The default gateway URL for this page.
pub fn default_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let protocol = location.as_ref().and_then(|l| l.protocol().ok()).unwrap_or_default();
    let host = location.as_ref().and_then(|l| l.host().ok()).unwrap_or_else(|| "127.0.0.1:8080".into());
    default_url_for(&protocol, &host)
}

/// Whether `url` can be handed to `new WebSocket()`: `ws://` or `wss://`
/// with a host.
pub fn is_ws_url(url: &str) -> bool {
    let rest = url.strip_prefix("ws://").or_else(|| url.strip_prefix("wss://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.chars().any(char::is_whitespace)
    })
}

/// Reads one text frame from the gateway; what is not a frame comes back
/// as a sentence saying why, with the start of the text.
pub fn parse_frame(text: &str) -> Result<Frame, String> {
    serde_json::from_str(text).map_err(|e| {
        let quoted: String = text.chars().take(QUOTED_CHARS).collect();
        let more = if text.chars().count() > QUOTED_CHARS { "…" } else { "" };
        format!("{e}: {quoted}{more}")
    })
}

/// The first request on every socket.
pub fn hello(token: &str) -> Request {
    let token = token.trim();
    Request { id: None, command: Command::Hello { token: (!token.is_empty()).then(|| token.to_string()) } }
}

/// The topics a first full observation watches by itself: the first few,
/// without Kafka's internal topics (`__consumer_offsets`).
pub fn auto_watch(observation: &ClusterObservation) -> Vec<String> {
    observation
        .topics
        .iter()
        .map(|t| t.topic.clone())
        .filter(|t| !t.starts_with("__"))
        .take(AUTO_WATCH_TOPICS)
        .collect()
}

/// A person's action, as the offline panels make it, in the gateway's
/// words. What the gateway has no command for comes back as the action's
/// name.
pub fn commands_for(input: Input) -> Result<Vec<Command>, &'static str> {
    Ok(match input {
        Input::StartConsumer(spec) => {
            let mut config = spec.properties;
            let group = config.remove("group.id");
            let start = Command::StartConsumer {
                consumer: spec.id.clone(),
                group,
                config,
                processing_ms: spec.processing_ms,
                commit: spec.commit,
            };
            let read = match spec.subscription {
                Subscription::Topics(topics) => Some(Command::Subscribe { consumer: spec.id, topics }),
                Subscription::Partitions(partitions) => {
                    Some(Command::Assign { consumer: spec.id, partitions })
                }
                _ => None,
            };
            std::iter::once(start).chain(read).collect()
        }
        Input::Produce { topic, partition, key, value, count } => {
            vec![Command::Produce { topic, partition, key, value, count }]
        }
        Input::Crash { consumer } => vec![Command::Crash { consumer }],
        Input::Close { consumer } => vec![Command::Close { consumer }],
        Input::StopPolling { consumer } => vec![Command::StopPolling { consumer }],
        Input::ResumePolling { consumer } => vec![Command::ResumePolling { consumer }],
        Input::Pause { consumer, partitions } => vec![Command::Pause { consumer, partitions }],
        Input::Resume { consumer, partitions } => vec![Command::Resume { consumer, partitions }],
        Input::Seek { consumer, partition, offset } => vec![Command::Seek { consumer, partition, offset }],
        Input::SeekToBeginning { consumer, partitions } => {
            vec![Command::SeekToBeginning { consumer, partitions }]
        }
        Input::SeekToEnd { consumer, partitions } => vec![Command::SeekToEnd { consumer, partitions }],
        Input::Subscribe { consumer, topics } => vec![Command::Subscribe { consumer, topics }],
        Input::Assign { consumer, partitions } => vec![Command::Assign { consumer, partitions }],
        Input::Unsubscribe { consumer } => vec![Command::Unsubscribe { consumer }],
        Input::CommitSync { consumer } => vec![Command::CommitSync { consumer }],
        Input::StartProducer(_) => return Err("start_producer"),
        Input::StopProducer { .. } => return Err("stop_producer"),
        Input::DeleteRecords { .. } => return Err("delete_records"),
        Input::ChangeConfig { .. } => return Err("change_config"),
    })
}

// ---------------------------------------------------------------------------
// The socket (browser only at run time).

type Handler<E> = Closure<dyn FnMut(E)>;

struct Handlers {
    _open: Handler<web_sys::Event>,
    _message: Handler<MessageEvent>,
    _close: Handler<CloseEvent>,
}

struct Inner {
    url: String,
    token: String,
    dispatch: Callback<Action>,
    socket: Option<WebSocket>,
    handlers: Option<Handlers>,
    retry: Option<Timeout>,
    backoff: Backoff,
    next_id: u32,
    /// `hello` answered on the current socket.
    ready: bool,
    /// Watched topics, watched again on every new connection.
    watched: BTreeSet<String>,
    /// The refresh interval a person chose, asked for again on every new
    /// connection (a gateway starts each browser at its default).
    refresh_ms: Option<u32>,
    auto_watched: bool,
    /// No more tries: a person disconnected, or the token was refused.
    stopped: bool,
}

/// A connection to the gateway for as long as this value lives; dropping
/// it closes the socket and stops reconnecting.
pub struct LiveClient {
    inner: Rc<RefCell<Inner>>,
}

impl LiveClient {
    /// Connects to `url` and keeps connecting; everything it learns goes to
    /// `dispatch`.
    pub fn connect(url: String, token: String, dispatch: Callback<Action>) -> LiveClient {
        let inner = Rc::new(RefCell::new(Inner {
            url,
            token,
            dispatch,
            socket: None,
            handlers: None,
            retry: None,
            backoff: Backoff::default(),
            next_id: 1,
            ready: false,
            watched: BTreeSet::new(),
            refresh_ms: None,
            auto_watched: false,
            stopped: false,
        }));
        open(&inner);
        LiveClient { inner }
    }

    /// Sends a request; false when it could not go out (no `hello`
    /// answered yet, or the socket refused it).
    pub fn send(&self, command: Command) -> bool {
        send(&self.inner, command).is_some()
    }
}

impl Drop for LiveClient {
    fn drop(&mut self) {
        shut(&mut self.inner.borrow_mut());
    }
}

/// Closes the socket for good: no callbacks, no reconnecting. The handlers
/// themselves stay (this may run inside one of them).
fn shut(i: &mut Inner) {
    i.stopped = true;
    i.retry = None;
    if let Some(socket) = i.socket.take() {
        socket.set_onopen(None);
        socket.set_onmessage(None);
        socket.set_onclose(None);
        let _ = socket.close();
    }
}

fn send(inner: &Rc<RefCell<Inner>>, command: Command) -> Option<()> {
    let (id, dispatch) = {
        let mut i = inner.borrow_mut();
        let socket = i.socket.clone().filter(|_| i.ready)?;
        let id = i.next_id;
        i.next_id = i.next_id.wrapping_add(1).max(1);
        let text = serde_json::to_string(&Request { id: Some(id), command: command.clone() }).ok()?;
        socket.send_with_str(&text).ok()?;
        match &command {
            Command::Watch { topic, .. } => {
                i.watched.insert(topic.clone());
            }
            Command::Unwatch { topic } => {
                i.watched.remove(topic);
            }
            Command::SetRefresh { interval_ms } => i.refresh_ms = Some(*interval_ms),
            _ => {}
        }
        (id, i.dispatch.clone())
    };
    dispatch.emit(Action::Live(LiveAction::Sent { id, command }));
    Some(())
}

fn open(inner: &Rc<RefCell<Inner>>) {
    let (url, dispatch) = {
        let mut i = inner.borrow_mut();
        // Never inside one of these handlers: `open` runs from `connect` or
        // the retry timer.
        i.handlers = None;
        i.ready = false;
        (i.url.clone(), i.dispatch.clone())
    };
    dispatch.emit(Action::Live(LiveAction::Connecting { url: url.clone() }));
    let socket = match WebSocket::new(&url) {
        Ok(socket) => socket,
        Err(e) => {
            let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
            inner.borrow_mut().stopped = true;
            dispatch.emit(Action::Live(LiveAction::Refused(format!("{url}: {why}"))));
            dispatch.emit(Action::Live(LiveAction::Closed));
            return;
        }
    };
    let weak = Rc::downgrade(inner);
    let on_open: Handler<web_sys::Event> = {
        let weak = weak.clone();
        Closure::new(move |_: web_sys::Event| {
            let Some(inner) = weak.upgrade() else { return };
            let i = inner.borrow();
            if let (Some(socket), Ok(text)) = (&i.socket, serde_json::to_string(&hello(&i.token))) {
                let _ = socket.send_with_str(&text);
            }
        })
    };
    let on_message: Handler<MessageEvent> = {
        let weak = weak.clone();
        Closure::new(move |e: MessageEvent| {
            if let Some(inner) = weak.upgrade() {
                on_message(&inner, e.data().as_string());
            }
        })
    };
    let on_close: Handler<CloseEvent> = Closure::new(move |e: CloseEvent| {
        if let Some(inner) = weak.upgrade() {
            on_close(&inner, &e);
        }
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut i = inner.borrow_mut();
    i.socket = Some(socket);
    i.handlers = Some(Handlers { _open: on_open, _message: on_message, _close: on_close });
}

fn on_message(inner: &Rc<RefCell<Inner>>, text: Option<String>) {
    let dispatch = inner.borrow().dispatch.clone();
    // Everything received is kept (the timeline, for scrubbing back), so a
    // long session could fill the page's memory; stop before the page dies.
    if crate::heap::live_bytes() >= crate::heap::MEMORY_LIMIT {
        shut(&mut inner.borrow_mut());
        dispatch.emit(Action::Live(LiveAction::MemoryLimitReached));
        dispatch.emit(Action::Live(LiveAction::Closed));
        return;
    }
    let Some(text) = text else {
        dispatch.emit(Action::Live(LiveAction::Malformed("a binary frame; the gateway sends text".into())));
        return;
    };
    let frame = match parse_frame(&text) {
        Ok(frame) => frame,
        Err(why) => return dispatch.emit(Action::Live(LiveAction::Malformed(why))),
    };
    // What this frame makes the client do next, decided before dispatching.
    let mut watch = Vec::new();
    let mut refresh = None;
    {
        let mut i = inner.borrow_mut();
        match &frame {
            Frame::Hello { .. } => {
                i.ready = true;
                i.backoff.reset();
                watch.extend(i.watched.iter().cloned());
                refresh = i.refresh_ms;
            }
            Frame::Cluster(o) if o.full && !i.auto_watched => {
                i.auto_watched = true;
                if i.watched.is_empty() {
                    watch = auto_watch(o);
                }
            }
            // A wrong token does not get better by trying again.
            Frame::Error { code: ErrorCode::Unauthorized, .. } => i.stopped = true,
            _ => {}
        }
    }
    dispatch.emit(Action::Live(LiveAction::Frame(frame)));
    for topic in watch {
        let _ = send(inner, Command::Watch { topic, window: WATCH_WINDOW });
    }
    if let Some(interval_ms) = refresh {
        let _ = send(inner, Command::SetRefresh { interval_ms });
    }
}

fn on_close(inner: &Rc<RefCell<Inner>>, e: &CloseEvent) {
    let (dispatch, next) = {
        let mut i = inner.borrow_mut();
        i.ready = false;
        i.socket = None;
        let next = (!i.stopped).then(|| i.backoff.next_try());
        (i.dispatch.clone(), next)
    };
    let Some((attempt, delay_ms)) = next else {
        dispatch.emit(Action::Live(LiveAction::Closed));
        return;
    };
    let reason = match e.reason() {
        r if r.is_empty() => format!("code {}", e.code()),
        r => format!("code {}: {r}", e.code()),
    };
    let url = inner.borrow().url.clone();
    dispatch.emit(Action::Live(LiveAction::Reconnecting { url, attempt, delay_ms, reason: Some(reason) }));
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(inner);
    let retry = Timeout::new(delay_ms, move || {
        if let Some(inner) = weak.upgrade()
            && !inner.borrow().stopped
        {
            open(&inner);
        }
    });
    inner.borrow_mut().retry = Some(retry);
}

#[cfg(test)]
mod tests {
    use offsetlab_model::model::{ConsumerSpec, ProducerSpec};
    use offsetlab_protocol::{CommitStrategy, ObservedTopic, TopicPartition};

    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_second_to_ten_and_starts_over_after_hello() {
        let mut b = Backoff::default();
        let tries: Vec<(u32, u32)> = (0..8).map(|_| b.next_try()).collect();
        assert_eq!(
            tries,
            [(1, 500), (2, 1_000), (3, 2_000), (4, 4_000), (5, 8_000), (6, 10_000), (7, 10_000), (8, 10_000)]
        );
        b.reset();
        assert_eq!(b.next_try(), (1, 500));
        assert_eq!(backoff_ms(u32::MAX), MAX_DELAY_MS, "no overflow however long it fails");
    }

    #[test]
    fn the_default_gateway_is_the_pages_own_origin() {
        assert_eq!(default_url_for("http:", "127.0.0.1:8080"), "ws://127.0.0.1:8080/ws");
        assert_eq!(default_url_for("https:", "lab.example"), "wss://lab.example/ws");
        assert!(is_ws_url("ws://127.0.0.1:8080/ws") && is_ws_url("wss://lab.example/ws"));
        assert!(!is_ws_url("http://127.0.0.1/ws") && !is_ws_url("ws://") && !is_ws_url("ws://a b/ws"));
    }

    #[test]
    fn frames_are_read_and_bad_ones_explained() {
        assert_eq!(parse_frame(r#"{"frame":"ack","id":3}"#), Ok(Frame::Ack { id: 3 }));
        let junk = parse_frame("{\"frame\":\"ack\"").unwrap_err();
        assert!(junk.contains("EOF") && junk.ends_with("{\"frame\":\"ack\""), "{junk}");
        let unknown = parse_frame(r#"{"frame":"gossip"}"#).unwrap_err();
        assert!(unknown.contains("gossip"), "{unknown}");
        let long = "x".repeat(500);
        assert!(parse_frame(&long).unwrap_err().ends_with('…'));
    }

    #[test]
    fn hello_carries_the_token_only_when_there_is_one() {
        assert_eq!(serde_json::to_string(&hello("")).unwrap(), r#"{"command":"hello","token":null}"#);
        assert_eq!(serde_json::to_string(&hello(" s3 ")).unwrap(), r#"{"command":"hello","token":"s3"}"#);
    }

    #[test]
    fn the_first_topics_are_watched_but_not_kafkas_own() {
        let topic = |name: &str| ObservedTopic { topic: name.into(), partition_count: 1, partitions: vec![] };
        let mut o = ClusterObservation { full: true, ..ClusterObservation::default() };
        o.topics.push(topic("__consumer_offsets"));
        o.topics.extend((0..10).map(|i| topic(&format!("t{i}"))));
        let watched = auto_watch(&o);
        assert_eq!(watched.len(), AUTO_WATCH_TOPICS);
        assert_eq!(watched[0], "t0");
    }

    #[test]
    fn panel_actions_become_gateway_commands() {
        let spec = ConsumerSpec::new("c1")
            .property("group.id", "offsetlab.demo")
            .property("auto.offset.reset", "earliest")
            .subscribe(["orders"])
            .processing_ms(20)
            .commit(CommitStrategy::SyncPerPoll);
        let commands = commands_for(Input::StartConsumer(spec)).unwrap();
        assert_eq!(
            commands,
            [
                Command::StartConsumer {
                    consumer: "c1".into(),
                    group: Some("offsetlab.demo".into()),
                    config: [("auto.offset.reset".to_string(), "earliest".to_string())].into(),
                    processing_ms: 20,
                    commit: CommitStrategy::SyncPerPoll,
                },
                Command::Subscribe { consumer: "c1".into(), topics: vec!["orders".into()] },
            ]
        );
        let seek =
            Input::Seek { consumer: "c1".into(), partition: TopicPartition::new("orders", 1), offset: 4 };
        assert_eq!(
            commands_for(seek).unwrap(),
            [Command::Seek { consumer: "c1".into(), partition: TopicPartition::new("orders", 1), offset: 4 }]
        );
        assert_eq!(
            commands_for(Input::CommitSync { consumer: "c1".into() }).unwrap(),
            [Command::CommitSync { consumer: "c1".into() }]
        );
        assert_eq!(
            commands_for(Input::Unsubscribe { consumer: "c1".into() }).unwrap(),
            [Command::Unsubscribe { consumer: "c1".into() }]
        );
        assert_eq!(
            commands_for(Input::StartProducer(ProducerSpec::new("p", "orders", 1))),
            Err("start_producer")
        );
    }
}
