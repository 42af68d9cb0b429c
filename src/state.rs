//! The one reducer: every change to what the UI shows goes through
//! `State::apply(Action)`, as in yew's function_todomvc example.
//!
//! The timeline is the list of events a source delivered; what the screen
//! shows is the fold of that list (`ClusterView`), or of a prefix of it
//! while the person scrubs back in time.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use offsetlab_protocol::{Command, ErrorCode, Frame};
use offsetlab_protocol::{Event, EventKind, TopicPartition};
use yew::Reducible;

use offsetlab_model::guide::Guide;
use offsetlab_model::scenario::Scenario;

use crate::console::PrintOptions;
use crate::i18n::Lang;
use crate::i18n::events::Category;
use crate::recording;
use crate::view::ClusterView;

/// Where the view's data comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The built-in deterministic model, running in the browser.
    #[default]
    Offline,
    /// A real cluster through the gateway.
    Live,
}

/// Playback speeds: virtual milliseconds per real millisecond.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];
/// `SPEEDS` as `{}` writes them, written out: formatting floats would bring
/// in core's float formatting (see `i18n::one_decimal`).
pub const SPEED_LABELS: [&str; 7] = ["0.25", "0.5", "1", "2", "5", "10", "20"];

/// One delivery from a source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Delivery {
    pub events: Vec<Event>,
    /// Scripted steps the model refused; shown, and the run goes on.
    pub refused: Vec<String>,
    /// Virtual ms per real ms lately, when measured.
    pub achieved_speed: Option<f64>,
    /// The scenario reached its planned end: playback stops.
    pub reached_end: bool,
    /// The source's clock after these events (virtual time can pass with
    /// no event in it).
    pub now_ms: Option<u64>,
    /// Guide steps reached, with whether their expectation held.
    pub checks: Vec<(usize, Result<(), String>)>,
}

impl Delivery {
    pub fn events(events: Vec<Event>) -> Self {
        Self { events, ..Self::default() }
    }
}

/// Which scenario runs: a built-in one (by file stem) or a file a person
/// opened (`file:NAME`), with its titles in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScenarioInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub name_ko: Option<String>,
    pub description_ko: Option<String>,
    /// A recording replays events; it cannot be acted on or exported as a
    /// scenario.
    pub recording: bool,
    /// The scenario's guide: a question, its answer, moments to look at.
    pub guide: Option<Rc<Guide>>,
}

impl ScenarioInfo {
    pub fn of_scenario(id: String, s: &Scenario) -> Self {
        ScenarioInfo {
            id,
            name: s.name.clone(),
            description: s.description.clone(),
            name_ko: s.name_ko.clone(),
            description_ko: s.description_ko.clone(),
            recording: false,
            guide: s.guide.clone().map(Rc::new),
        }
    }

    pub fn of_recording(id: String, h: &recording::Header) -> Self {
        ScenarioInfo {
            id,
            name: h.name.clone(),
            description: h.description.clone(),
            name_ko: h.name_ko.clone(),
            description_ko: h.description_ko.clone(),
            recording: true,
            guide: None,
        }
    }

    /// The title in `lang`; a file without a Korean title shows its own.
    pub fn name(&self, lang: Lang) -> &str {
        match (lang, &self.name_ko) {
            (Lang::Ko, Some(ko)) => ko,
            _ => &self.name,
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        match (lang, &self.description_ko) {
            (Lang::Ko, Some(ko)) => ko,
            _ => &self.description,
        }
    }
}

/// A seek a person is about to make, drawn on the log before it happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeekPreview {
    pub consumer: String,
    pub partition: TopicPartition,
    pub offset: i64,
}

/// The event list, appended in chunks (one per tick) so that cloning the
/// state for a render never copies the events themselves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    chunks: Vec<Rc<Vec<Event>>>,
    len: usize,
}

impl Timeline {
    pub fn push(&mut self, events: Vec<Event>) {
        if !events.is_empty() {
            self.len += events.len();
            self.chunks.push(Rc::new(events));
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The events before `end`, newest first, with their indices. Skips
    /// whole chunks past `end`, so looking at the recent past costs little
    /// however long the timeline is.
    pub fn rev_before(&self, end: usize) -> impl Iterator<Item = (usize, &Event)> {
        let mut chunk_end = self.len;
        self.chunks
            .iter()
            .rev()
            .map(move |chunk| {
                chunk_end -= chunk.len();
                (chunk_end, chunk)
            })
            .filter(move |(start, _)| *start < end)
            .flat_map(move |(start, chunk)| {
                let visible = (end - start).min(chunk.len());
                chunk[..visible].iter().enumerate().rev().map(move |(i, e)| (start + i, e))
            })
    }
}

/// How the connection to the gateway stands (live mode).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Connection {
    /// Not connected, and not trying.
    #[default]
    Closed,
    /// Opening the socket, or waiting for the answer to `hello`.
    Connecting { url: String },
    /// `hello` answered: frames flow.
    Connected { url: String },
    /// Lost; the next try starts in `delay_ms` (try number `attempt`).
    Reconnecting { url: String, attempt: u32, delay_ms: u32, reason: Option<String> },
}

/// What the gateway's `hello` said it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelloInfo {
    pub protocol_version: u32,
    pub gateway_version: String,
    pub read_only: bool,
    pub group_prefix: String,
    pub refresh_ms: u32,
}

/// Whether the gateway reaches the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerStatus {
    pub reachable: bool,
    pub message: Option<String>,
}

/// Where a live error comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveErrorKind {
    /// An `error` frame from the gateway.
    Gateway(ErrorCode),
    /// A frame the browser could not read.
    MalformedFrame,
    /// An action live mode cannot carry out (or not now).
    Refused,
    /// The page's heap reached `heap::MEMORY_LIMIT`: live mode stopped
    /// receiving, so the page does not die.
    MemoryLimit,
}

/// An error to show in the live panel, with the request it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveError {
    pub kind: LiveErrorKind,
    /// The gateway's (or the browser's) own words.
    pub message: String,
    /// The command the error answers, as the protocol names it.
    pub command: Option<String>,
}

/// The live errors kept on screen, newest last.
pub const LIVE_ERRORS_KEPT: usize = 20;

/// Live mode: the connection, what the gateway said, and what is pending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveState {
    /// The gateway's WebSocket URL as typed; empty = the page's own `/ws`.
    pub url: String,
    /// The gateway's shared secret, if it has one (never in a link).
    pub token: String,
    pub connection: Connection,
    pub hello: Option<HelloInfo>,
    pub broker: Option<BrokerStatus>,
    pub errors: Vec<LiveError>,
    /// Requests sent and not answered yet: id → command name.
    pub pending: BTreeMap<u32, String>,
    /// Topics whose records this browser tails.
    pub watched: BTreeSet<String>,
    /// A `set_refresh` waiting for its ack: request id and interval. The
    /// ack makes it the current interval (`hello.refresh_ms`).
    pub refresh_sent: Option<(u32, u32)>,
}

impl LiveState {
    /// Whether the gateway accepts writes (topics, produce, its consumers).
    pub fn writable(&self) -> bool {
        matches!(self.connection, Connection::Connected { .. })
            && self.hello.as_ref().is_some_and(|h| !h.read_only)
    }

    fn push_error(&mut self, error: LiveError) {
        self.errors.push(error);
        let extra = self.errors.len().saturating_sub(LIVE_ERRORS_KEPT);
        self.errors.drain(..extra);
    }
}

/// What the live source (or a person, in the live panel) reports.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveAction {
    SetUrl(String),
    SetToken(String),
    /// A socket is being opened.
    Connecting {
        url: String,
    },
    /// The socket was lost; another try follows after `delay_ms`.
    Reconnecting {
        url: String,
        attempt: u32,
        delay_ms: u32,
        reason: Option<String>,
    },
    /// Closed and not retrying: a person disconnected, or the gateway
    /// refused the token.
    Closed,
    /// A frame from the gateway.
    Frame(Frame),
    /// A frame that could not be read: the reason.
    Malformed(String),
    /// A request went out.
    Sent {
        id: u32,
        command: Command,
    },
    /// Something live mode cannot do (now): the reason.
    Refused(String),
    /// The page's heap reached `heap::MEMORY_LIMIT`; the source has closed
    /// the socket and stopped reconnecting (a `Closed` follows).
    MemoryLimitReached,
    DismissErrors,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub mode: Mode,
    /// The loaded scenario, if any.
    pub scenario: Option<ScenarioInfo>,
    pub timeline: Timeline,
    /// The fold of the whole timeline.
    pub head: Rc<ClusterView>,
    /// While scrubbing: how many events the view folds, and that fold.
    pub scrub: Option<(usize, Rc<ClusterView>)>,
    pub playing: bool,
    /// Index into `SPEEDS`.
    pub speed: usize,
    /// The last error to show (a bad scenario file, a refused action).
    pub error: Option<String>,
    /// Event categories the event log hides.
    pub hidden: BTreeSet<Category>,
    /// The consumer whose panel is open.
    pub selected: Option<String>,
    pub seek_preview: Option<SeekPreview>,
    /// The record key the ordering lens follows; other keys are dimmed.
    pub follow: Option<String>,
    /// Which page of partitions each large topic shows.
    pub partition_pages: BTreeMap<String, usize>,
    /// Parts of the page (by their `data-in-view` key) reported in or out
    /// of view; a part never reported counts as in view.
    pub in_view: BTreeMap<String, bool>,
    /// The playback speed actually reached, when the model could not keep
    /// up with the chosen one.
    pub achieved_speed: Option<f64>,
    /// The console pane's `print.*` choices.
    pub print: PrintOptions,
    /// A link to what is on screen, shown for copying.
    pub share_link: Option<String>,
    /// Presentation mode: large type and high contrast for a projector.
    pub present: bool,
    /// Guide steps reached in this run: held, or why not.
    pub guide_checks: BTreeMap<usize, Result<(), String>>,
    pub live: LiveState,
}

impl Default for State {
    fn default() -> Self {
        Self {
            lang: Lang::default(),
            mode: Mode::default(),
            scenario: None,
            timeline: Timeline::default(),
            head: Rc::default(),
            scrub: None,
            playing: false,
            speed: 2,
            error: None,
            // Heartbeats and fetches come many times a second; they would
            // bury everything else, so they start hidden.
            hidden: offsetlab_model::sort::btree_set([Category::Heartbeat, Category::Fetch]),
            selected: None,
            seek_preview: None,
            follow: None,
            partition_pages: BTreeMap::new(),
            in_view: BTreeMap::new(),
            achieved_speed: None,
            print: PrintOptions::default(),
            share_link: None,
            present: false,
            guide_checks: BTreeMap::new(),
            live: LiveState::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetMode(Mode),
    /// A new run starts: the timeline is cleared.
    ScenarioLoaded(ScenarioInfo),
    /// Back to the scenario menu.
    CloseScenario,
    /// What a source delivered in one go: one action, so one render, per
    /// frame of playback.
    Deliver(Delivery),
    SetPlaying(bool),
    SetSpeed(usize),
    /// Show the view after the first `n` events; `None` returns to now.
    ScrubTo(Option<usize>),
    /// Show the view at a moment of virtual time (all events up to it).
    ScrubToTime(u64),
    ShowError(Option<String>),
    ToggleCategory(Category),
    SelectConsumer(Option<String>),
    PreviewSeek(Option<SeekPreview>),
    Follow(Option<String>),
    /// Show a page of a topic's partitions.
    PartitionPage(String, usize),
    /// Parts of the page scrolled into or out of view.
    InView(Vec<(String, bool)>),
    SetPrint(PrintOptions),
    ShowShareLink(Option<String>),
    SetPresent(bool),
    /// Live mode: the connection and the gateway's frames.
    Live(LiveAction),
}

impl State {
    pub fn new(lang: Lang) -> Self {
        Self { lang, ..Self::default() }
    }

    /// How many events the view folds.
    pub fn position(&self) -> usize {
        self.scrub.as_ref().map_or(self.timeline.len(), |(n, _)| *n)
    }

    /// What the screen shows: the scrubbed moment, or now.
    pub fn view(&self) -> &Rc<ClusterView> {
        self.scrub.as_ref().map_or(&self.head, |(_, v)| v)
    }

    pub fn speed_factor(&self) -> f64 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// The state with no run in it: the person's preferences stay.
    fn without_run(self) -> State {
        State {
            lang: self.lang,
            mode: self.mode,
            speed: self.speed,
            hidden: self.hidden,
            present: self.present,
            live: self.live,
            ..State::default()
        }
    }

    /// Folds a source's events into the head and the timeline.
    fn deliver_events(&mut self, events: Vec<Event>, now_ms: Option<u64>) {
        if !events.is_empty() || now_ms.is_some_and(|t| t > self.head.now_ms) {
            let head = Rc::make_mut(&mut self.head);
            for e in &events {
                head.apply(e);
            }
            head.now_ms = head.now_ms.max(now_ms.unwrap_or(0));
            self.timeline.push(events);
        }
    }

    fn apply_live(mut self, action: LiveAction) -> State {
        let live = &mut self.live;
        match action {
            LiveAction::SetUrl(url) => live.url = url,
            LiveAction::SetToken(token) => live.token = token,
            LiveAction::DismissErrors => live.errors.clear(),
            // What the source reports only counts while live mode is on: a
            // late frame from a socket being closed changes nothing.
            _ if self.mode != Mode::Live => {}
            LiveAction::Connecting { url } => {
                live.connection = Connection::Connecting { url };
                live.hello = None;
            }
            LiveAction::Reconnecting { url, attempt, delay_ms, reason } => {
                live.connection = Connection::Reconnecting { url, attempt, delay_ms, reason };
                live.hello = None;
                live.pending.clear();
                live.refresh_sent = None;
            }
            LiveAction::Closed => {
                live.connection = Connection::Closed;
                live.hello = None;
                live.broker = None;
                live.pending.clear();
                live.refresh_sent = None;
            }
            LiveAction::Malformed(reason) => live.push_error(LiveError {
                kind: LiveErrorKind::MalformedFrame,
                message: reason,
                command: None,
            }),
            LiveAction::Refused(reason) => {
                live.push_error(LiveError { kind: LiveErrorKind::Refused, message: reason, command: None })
            }
            LiveAction::MemoryLimitReached => live.push_error(LiveError {
                kind: LiveErrorKind::MemoryLimit,
                message: String::new(),
                command: None,
            }),
            LiveAction::Sent { id, command } => {
                match &command {
                    Command::Watch { topic, .. } => {
                        live.watched.insert(topic.clone());
                    }
                    Command::Unwatch { topic } => {
                        live.watched.remove(topic);
                    }
                    Command::SetRefresh { interval_ms } => live.refresh_sent = Some((id, *interval_ms)),
                    _ => {}
                }
                live.pending.insert(id, command_name(&command));
            }
            LiveAction::Frame(frame) => return self.apply_frame(frame),
        }
        self
    }

    fn apply_frame(mut self, frame: Frame) -> State {
        match frame {
            Frame::Hello {
                protocol_version, gateway_version, read_only, group_prefix, refresh_ms, ..
            } => {
                let url = match &self.live.connection {
                    Connection::Connecting { url }
                    | Connection::Connected { url }
                    | Connection::Reconnecting { url, .. } => url.clone(),
                    Connection::Closed => String::new(),
                };
                // A new connection is a new live run: the gateway's clock and
                // its consumers may have started over.
                let live = std::mem::take(&mut self.live);
                self = self.without_run();
                self.live = LiveState {
                    connection: Connection::Connected { url },
                    hello: Some(HelloInfo {
                        protocol_version,
                        gateway_version,
                        read_only,
                        group_prefix,
                        refresh_ms,
                    }),
                    watched: BTreeSet::new(),
                    pending: BTreeMap::new(),
                    refresh_sent: None,
                    broker: None,
                    ..live
                };
            }
            Frame::Broker { reachable, message, at_ms } => {
                self.live.broker = Some(BrokerStatus { reachable, message });
                Rc::make_mut(&mut self.head).now_ms = self.head.now_ms.max(at_ms);
            }
            Frame::Events { events } => self.deliver_events(events, None),
            // Observations go in the timeline like events, so a live
            // session scrubs and records as a whole.
            Frame::Cluster(observation) => self.deliver_events(
                vec![Event { at_ms: observation.at_ms, kind: EventKind::ClusterObserved { observation } }],
                None,
            ),
            Frame::Ack { id } => {
                self.live.pending.remove(&id);
                if let Some((_, interval_ms)) = self.live.refresh_sent.filter(|(sent, _)| *sent == id) {
                    self.live.refresh_sent = None;
                    if let Some(hello) = &mut self.live.hello {
                        hello.refresh_ms = interval_ms;
                    }
                }
            }
            Frame::Error { id, code, message } => {
                if code == ErrorCode::Lagged {
                    // The gateway starts this browser over from a full
                    // observation and the recent events: drop what we had.
                    self = self.without_run();
                }
                if self.live.refresh_sent.is_some_and(|(sent, _)| Some(sent) == id) {
                    self.live.refresh_sent = None;
                }
                let command = id.and_then(|id| self.live.pending.remove(&id));
                self.live.push_error(LiveError { kind: LiveErrorKind::Gateway(code), message, command });
            }
        }
        self
    }

    /// The pure transition, testable without a browser.
    pub fn apply(mut self, action: Action) -> State {
        match action {
            Action::SetLang(lang) => self.lang = lang,
            Action::SetMode(mode) if mode == self.mode => {}
            // The two sources never mix: switching starts from nothing.
            Action::SetMode(mode) => {
                self = self.without_run();
                self.mode = mode;
                self.live.connection = Connection::Closed;
                self.live.hello = None;
                self.live.broker = None;
                self.live.pending.clear();
                self.live.refresh_sent = None;
                self.live.watched.clear();
            }
            Action::Live(action) => return self.apply_live(action),
            // Live, there is no model to play and the past of the cluster is
            // not kept: the view is always now.
            Action::SetPlaying(_) | Action::ScrubTo(_) | Action::ScrubToTime(_)
                if self.mode == Mode::Live => {}
            Action::CloseScenario => self = self.without_run(),
            Action::ScenarioLoaded(info) => {
                self = self.without_run();
                self.scenario = Some(info);
            }
            Action::Deliver(Delivery { events, refused, achieved_speed, reached_end, now_ms, checks }) => {
                self.guide_checks.extend(checks);
                self.deliver_events(events, now_ms);
                if !refused.is_empty() {
                    self.error = Some(refused.join("\n"));
                }
                if achieved_speed.is_some() {
                    self.achieved_speed = achieved_speed;
                }
                if reached_end {
                    self.playing = false;
                }
            }
            Action::SetPlaying(playing) => {
                self.playing = playing;
                // Playing always shows now; the past is read-only.
                if playing {
                    self.scrub = None;
                }
            }
            Action::SetSpeed(i) => {
                self.speed = i.min(SPEEDS.len() - 1);
                self.achieved_speed = None;
            }
            Action::ScrubTo(None) => self.scrub = None,
            Action::ScrubTo(Some(n)) if n >= self.timeline.len() => self.scrub = None,
            Action::ScrubToTime(t) if t >= self.head.now_ms => self.scrub = None,
            Action::ScrubToTime(t) => {
                let n = self.timeline.iter().take_while(|e| e.at_ms <= t).count();
                let mut view = ClusterView::fold(self.timeline.iter().take(n));
                view.now_ms = t;
                self.playing = false;
                self.scrub = Some((n, Rc::new(view)));
            }
            Action::ScrubTo(Some(n)) => {
                self.playing = false;
                self.scrub = Some((n, Rc::new(ClusterView::fold(self.timeline.iter().take(n)))));
            }
            Action::ShowError(error) => self.error = error,
            Action::SelectConsumer(consumer) => {
                self.seek_preview = None;
                self.selected = consumer;
            }
            Action::PreviewSeek(preview) => self.seek_preview = preview,
            Action::Follow(key) => self.follow = key,
            Action::SetPrint(print) => self.print = print,
            Action::ShowShareLink(link) => self.share_link = link,
            Action::SetPresent(present) => self.present = present,
            Action::PartitionPage(topic, page) => {
                self.partition_pages.insert(topic, page);
            }
            Action::InView(changes) => self.in_view.extend(changes),
            Action::ToggleCategory(c) => {
                if !self.hidden.remove(&c) {
                    self.hidden.insert(c);
                }
            }
        }
        self
    }
}

/// A command's name as the protocol spells it (`create_topic`, ...).
pub fn command_name(command: &Command) -> String {
    serde_json::to_value(command)
        .ok()
        .and_then(|v| v.get("command").and_then(|c| c.as_str()).map(String::from))
        .unwrap_or_default()
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = (*self).clone().apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use offsetlab_protocol::EventKind;

    use super::*;

    fn info(id: &str) -> ScenarioInfo {
        ScenarioInfo { id: id.into(), name: id.into(), ..ScenarioInfo::default() }
    }

    fn topic(at_ms: u64, name: &str) -> Event {
        Event { at_ms, kind: EventKind::TopicCreated { topic: name.into(), partitions: 1 } }
    }

    #[test]
    fn speed_labels_are_the_speeds() {
        assert_eq!(SPEEDS.map(|s| s.to_string()), SPEED_LABELS);
    }

    #[test]
    fn language_switches_both_ways() {
        let s = State::new(Lang::En).apply(Action::SetLang(Lang::Ko));
        assert_eq!(s.lang, Lang::Ko);
        assert_eq!(s.apply(Action::SetLang(Lang::En)).lang, Lang::En);
    }

    #[test]
    fn live_mode_can_always_be_chosen() {
        // Without a gateway the connection status explains why nothing shows.
        let s = State::new(Lang::En);
        assert_eq!(s.apply(Action::SetMode(Mode::Live)).mode, Mode::Live);
    }

    fn live() -> State {
        State::new(Lang::En).apply(Action::SetMode(Mode::Live))
    }

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

    #[test]
    fn connection_goes_connecting_connected_reconnecting_and_back() {
        let url = "ws://127.0.0.1:8080/ws".to_string();
        let s = live().apply(Action::Live(LiveAction::Connecting { url: url.clone() }));
        assert_eq!(s.live.connection, Connection::Connecting { url: url.clone() });
        assert!(!s.live.writable());
        let s = s.apply(hello(false));
        assert_eq!(s.live.connection, Connection::Connected { url: url.clone() });
        assert!(s.live.writable());
        assert_eq!(s.live.hello.as_ref().map(|h| h.group_prefix.as_str()), Some("offsetlab."));
        let s = s
            .apply(Action::Live(LiveAction::Sent {
                id: 1,
                command: Command::Watch { topic: "t".into(), window: 200 },
            }))
            .apply(Action::Deliver(Delivery::events(vec![topic(5, "t")])));
        assert_eq!((s.live.watched.len(), s.live.pending.len(), s.timeline.len()), (1, 1, 1));
        let lost = Action::Live(LiveAction::Reconnecting {
            url: url.clone(),
            attempt: 1,
            delay_ms: 500,
            reason: Some("code 1006".into()),
        });
        let s = s.apply(lost);
        assert!(matches!(s.live.connection, Connection::Reconnecting { attempt: 1, delay_ms: 500, .. }));
        assert!(!s.live.writable() && s.live.hello.is_none() && s.live.pending.is_empty());
        assert_eq!(s.timeline.len(), 1, "what was seen stays on screen while reconnecting");
        let s = s.apply(Action::Live(LiveAction::Connecting { url: url.clone() })).apply(hello(true));
        assert_eq!(s.live.connection, Connection::Connected { url });
        assert!(s.timeline.is_empty(), "a new connection is a new live run");
        assert!(!s.live.writable(), "read-only gateway");
        let closed = s.apply(Action::Live(LiveAction::Closed));
        assert_eq!(closed.live.connection, Connection::Closed);
    }

    #[test]
    fn switching_back_to_offline_disconnects_and_ignores_late_frames() {
        let s = live()
            .apply(Action::Live(LiveAction::SetUrl("ws://gw:9/ws".into())))
            .apply(Action::Live(LiveAction::Connecting { url: "ws://gw:9/ws".into() }))
            .apply(hello(false))
            .apply(Action::SetMode(Mode::Offline));
        assert_eq!(
            (s.mode, &s.live.connection, s.live.hello.is_none()),
            (Mode::Offline, &Connection::Closed, true)
        );
        assert_eq!(s.live.url, "ws://gw:9/ws", "the typed URL is kept");
        let late = s.clone().apply(frame(Frame::Events { events: vec![topic(1, "x")] }));
        assert!(late.timeline.is_empty() && late.view().topics.is_empty());
        let refused = s.apply(Action::SetMode(Mode::Live)).apply(Action::ScrubTo(Some(0)));
        assert_eq!(refused.scrub, None, "live is always now");
    }

    #[test]
    fn events_and_cluster_frames_fold_into_one_view() {
        use offsetlab_protocol::{ClusterObservation, ObservedPartition, ObservedTopic};
        let observation = ClusterObservation {
            at_ms: 50,
            full: true,
            topics: vec![ObservedTopic {
                topic: "orders".into(),
                partition_count: 2,
                partitions: vec![ObservedPartition { partition: 1, log_start_offset: 3, high_watermark: 40 }],
            }],
            ..ClusterObservation::default()
        };
        let s = live()
            .apply(hello(false))
            .apply(frame(Frame::Events { events: vec![topic(10, "a")] }))
            .apply(frame(Frame::Cluster(observation)));
        // The observation is in the timeline too: a live session scrubs and records whole.
        assert_eq!(s.timeline.len(), 2);
        assert!(matches!(s.timeline.iter().last().map(|e| &e.kind), Some(EventKind::ClusterObserved { .. })));
        assert_eq!(s.view().topics.keys().collect::<Vec<_>>(), ["a", "orders"]);
        let p1 = s.view().partition(&TopicPartition::new("orders", 1)).unwrap();
        assert_eq!((p1.log_start_offset, p1.high_watermark()), (3, 40));
        assert_eq!(s.view().now_ms, 50);
    }

    /// A live session as the gateway sends it: a topic observed, records
    /// tailed, its own consumer assigned, processing and committing, and
    /// observations of the group (members not listed) and the watermarks.
    fn live_session() -> State {
        use offsetlab_protocol::{
            ClusterObservation, CommitKind, CommitStrategy, GroupOffset, ObservedGroup, ObservedPartition,
            ObservedTopic, PartitionOffset, PolledRange, ProducedRecord,
        };
        let tp = |p| TopicPartition::new("orders", p);
        let observation = |at_ms, full, hw, committed: Option<i64>| ClusterObservation {
            at_ms,
            full,
            topics: vec![ObservedTopic {
                topic: "orders".into(),
                partition_count: 2,
                partitions: vec![
                    ObservedPartition { partition: 0, log_start_offset: 0, high_watermark: hw },
                    ObservedPartition { partition: 1, log_start_offset: 0, high_watermark: 0 },
                ],
            }],
            removed_topics: vec![],
            groups: committed
                .map(|offset| ObservedGroup {
                    group: "offsetlab.demo".into(),
                    state: "Stable".into(),
                    protocol_type: "consumer".into(),
                    assignor: None,
                    members: None,
                    offsets: vec![GroupOffset {
                        topic: "orders".into(),
                        partition: 0,
                        committed_offset: offset,
                        lag: Some(hw - offset),
                    }],
                })
                .into_iter()
                .collect(),
            removed_groups: vec![],
        };
        let event = |at_ms, kind| Event { at_ms, kind };
        let c1 = || "c1".to_string();
        live()
            .apply(Action::Live(LiveAction::Connecting { url: "ws://gw.test:8081/ws".into() }))
            .apply(hello(false))
            .apply(frame(Frame::Broker { at_ms: 5, reachable: true, message: None }))
            .apply(frame(Frame::Cluster(observation(10, true, 3, None))))
            .apply(frame(Frame::Events {
                events: vec![event(
                    20,
                    EventKind::RecordsProduced {
                        producer: None,
                        topic: "orders".into(),
                        partition: 0,
                        first_offset: 0,
                        records: ["a", "b", "c"]
                            .map(|k| ProducedRecord { key: Some(k.into()), value: format!("v-{k}").into() })
                            .into(),
                    },
                )],
            }))
            .apply(frame(Frame::Events {
                events: vec![
                    event(
                        30,
                        EventKind::ConsumerStarted {
                            consumer: c1(),
                            group: Some("offsetlab.demo".into()),
                            config: BTreeMap::new(),
                            processing_ms: 10,
                            commit: CommitStrategy::SyncPerPoll,
                        },
                    ),
                    event(31, EventKind::Subscribed { consumer: c1(), topics: vec!["orders".into()] }),
                    event(
                        40,
                        EventKind::PartitionsAssigned {
                            consumer: c1(),
                            group: "offsetlab.demo".into(),
                            generation: 1,
                            partitions: vec![tp(0), tp(1)],
                            assignment: vec![tp(0), tp(1)],
                        },
                    ),
                    event(
                        50,
                        EventKind::PollReturned {
                            consumer: c1(),
                            count: 3,
                            records: vec![PolledRange {
                                topic: "orders".into(),
                                partition: 0,
                                first_offset: 0,
                                count: 3,
                                keys: vec![Some("a".into()), Some("b".into()), Some("c".into())],
                            }],
                        },
                    ),
                    event(
                        80,
                        EventKind::RecordsProcessed {
                            consumer: c1(),
                            topic: "orders".into(),
                            partition: 0,
                            first_offset: 0,
                            count: 3,
                            redelivered: 0,
                        },
                    ),
                ],
            }))
            // The observer's clock ran ahead of the consumer's process.
            .apply(frame(Frame::Cluster(observation(95, false, 3, Some(0)))))
            .apply(frame(Frame::Events {
                events: vec![event(
                    90,
                    EventKind::CommitCompleted {
                        consumer: c1(),
                        group: "offsetlab.demo".into(),
                        kind: CommitKind::Sync,
                        offsets: vec![PartitionOffset { topic: "orders".into(), partition: 0, offset: 3 }],
                        error: None,
                    },
                )],
            }))
            .apply(frame(Frame::Cluster(observation(120, false, 3, Some(3)))))
    }

    #[test]
    fn a_live_session_saved_as_a_recording_replays_offline_to_the_same_view() {
        use crate::source::sim::Sim;
        let live = live_session();
        let tp0 = TopicPartition::new("orders", 0);
        assert_eq!(live.timeline.len(), 10);
        assert_eq!(live.view().groups["offsetlab.demo"].committed[&tp0], 3);

        let header = recording::live_header("ws://gw.test:8081/ws", "2026-11-26 03:10");
        let text = recording::write(&header, live.timeline.iter());
        assert!(recording::looks_like_recording(&text));
        let (read_header, events) = recording::read(&text).unwrap();
        assert_eq!(read_header.name, "Live: gw.test:8081 2026-11-26 03:10");
        assert!(events.iter().any(|e| matches!(e.kind, EventKind::ClusterObserved { .. })));

        // Opened as a file: the replay, played to its end, folds to the same view
        // (the one event that arrived after a later observation now carries its time).
        let mut sim = Sim::new(&text).unwrap();
        let info = sim.info("file:live.recording.jsonl".into());
        assert!(info.recording);
        let until = sim.until_ms;
        let replay =
            State::new(Lang::En).apply(Action::ScenarioLoaded(info)).apply(Action::Deliver(Delivery {
                now_ms: Some(until),
                ..Delivery::events(sim.advance_to(until).events)
            }));
        let (offline, live_view) = (replay.view(), live.view());
        assert_eq!(offline.topics.keys().collect::<Vec<_>>(), ["orders"]);
        let p0 = offline.partition(&tp0).unwrap();
        assert_eq!(
            (p0.log_start_offset, p0.high_watermark(), p0.record(2).and_then(|r| r.key.as_deref())),
            (0, 3, Some("c"))
        );
        assert_eq!(offline.groups["offsetlab.demo"].committed[&tp0], 3);
        assert_eq!(offline.lag("offsetlab.demo", &tp0), Some(0));
        assert_eq!(offline.group_members("offsetlab.demo"), live_view.group_members("offsetlab.demo"));
        assert_eq!(offline.group_generation("offsetlab.demo"), Some(1));
        assert_eq!(offline.topics, live_view.topics);
        assert_eq!(offline.groups, live_view.groups);
        assert_eq!(offline.consumers["c1"].cursors, live_view.consumers["c1"].cursors);
        assert_eq!(offline.now_ms, live_view.now_ms);

        // A session whose times never went back replays to exactly the same view.
        let ordered: Vec<Event> = live.timeline.iter().filter(|e| e.at_ms != 90).cloned().collect();
        let text = recording::write(&header, &ordered);
        let (_, events) = recording::read(&text).unwrap();
        assert_eq!(ClusterView::fold(&events), ClusterView::fold(&ordered));
    }

    #[test]
    fn a_lagged_browser_starts_over_from_the_catch_up() {
        let s = live()
            .apply(hello(false))
            .apply(frame(Frame::Events { events: vec![topic(10, "a")] }))
            .apply(frame(Frame::Error { id: None, code: ErrorCode::Lagged, message: "fell behind".into() }));
        // The catch-up that follows carries everything again: nothing may count twice.
        assert!(s.timeline.is_empty() && s.view().topics.is_empty());
        assert!(matches!(s.live.connection, Connection::Connected { .. }));
        assert_eq!(s.live.errors.len(), 1);
    }

    #[test]
    fn the_refresh_interval_changes_when_the_gateway_acks_it() {
        let refresh = |s: &State| s.live.hello.as_ref().map(|h| h.refresh_ms);
        let sent = |id, interval_ms| {
            Action::Live(LiveAction::Sent { id, command: Command::SetRefresh { interval_ms } })
        };
        let s = live().apply(hello(false));
        assert_eq!(refresh(&s), Some(1000), "hello says the current interval");
        // Sent but not acked: still the gateway's value.
        let s = s.apply(sent(3, 250));
        assert_eq!((refresh(&s), s.live.refresh_sent), (Some(1000), Some((3, 250))));
        // Another request's ack changes nothing; its own ack does.
        let s = s.apply(frame(Frame::Ack { id: 2 }));
        assert_eq!(refresh(&s), Some(1000));
        let s = s.apply(frame(Frame::Ack { id: 3 }));
        assert_eq!((refresh(&s), s.live.refresh_sent), (Some(250), None));
        // Refused: the interval stays, and the error says which request.
        let s = s.apply(sent(4, 99)).apply(frame(Frame::Error {
            id: Some(4),
            code: ErrorCode::InvalidCommand,
            message: "interval_ms must be 100 to 60000".into(),
        }));
        assert_eq!((refresh(&s), s.live.refresh_sent), (Some(250), None));
        assert_eq!(s.live.errors[0].command.as_deref(), Some("set_refresh"));
        // A late ack after a reconnect does not apply to the new gateway.
        let s = s.apply(sent(5, 5000)).apply(hello(false)).apply(frame(Frame::Ack { id: 5 }));
        assert_eq!(refresh(&s), Some(1000));
    }

    #[test]
    fn error_frames_are_kept_with_the_request_they_answer() {
        let s = live()
            .apply(hello(true))
            .apply(Action::Live(LiveAction::Sent {
                id: 7,
                command: Command::CreateTopic { topic: "t".into(), partitions: 3 },
            }))
            .apply(frame(Frame::Error {
                id: Some(7),
                code: ErrorCode::ReadOnly,
                message: "read-only".into(),
            }))
            .apply(Action::Live(LiveAction::Malformed("expected value at line 1 column 1: <html>".into())));
        assert!(s.live.pending.is_empty());
        assert_eq!(
            s.live.errors[0],
            LiveError {
                kind: LiveErrorKind::Gateway(ErrorCode::ReadOnly),
                message: "read-only".into(),
                command: Some("create_topic".into()),
            }
        );
        assert_eq!(s.live.errors[1].kind, LiveErrorKind::MalformedFrame);
        let many = (0..30).fold(s, |s, i| s.apply(Action::Live(LiveAction::Refused(format!("r{i}")))));
        assert_eq!(many.live.errors.len(), LIVE_ERRORS_KEPT);
        assert_eq!(many.live.errors.last().unwrap().message, "r29");
        assert!(many.apply(Action::Live(LiveAction::DismissErrors)).live.errors.is_empty());
    }

    #[test]
    fn command_names_are_the_protocols() {
        assert_eq!(command_name(&Command::CommitSync { consumer: "c".into() }), "commit_sync");
        assert_eq!(
            command_name(&Command::StartConsumer {
                consumer: "c".into(),
                group: None,
                config: BTreeMap::new(),
                processing_ms: 0,
                commit: offsetlab_protocol::CommitStrategy::Auto,
            }),
            "start_consumer"
        );
    }

    #[test]
    fn reducer_keeps_the_same_rc_when_nothing_changes() {
        let s = Rc::new(State::new(Lang::En));
        let same = s.clone().reduce(Action::SetLang(Lang::En));
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn events_fold_into_the_head_and_scrubbing_shows_a_prefix() {
        let s = State::new(Lang::En)
            .apply(Action::ScenarioLoaded(info("demo")))
            .apply(Action::Deliver(Delivery::events(vec![topic(0, "a"), topic(5, "b")])))
            .apply(Action::Deliver(Delivery::events(vec![topic(9, "c")])));
        assert_eq!(s.timeline.len(), 3);
        assert_eq!(s.timeline.iter().nth(2).map(|e| e.at_ms), Some(9));
        assert_eq!(s.view().topics.len(), 3);
        let back = s.apply(Action::SetPlaying(true)).apply(Action::ScrubTo(Some(1)));
        assert!(!back.playing, "scrubbing pauses playback");
        assert_eq!(back.view().topics.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(back.head.topics.len(), 3, "now is kept while looking back");
        let now = back.apply(Action::ScrubTo(None));
        assert_eq!(now.view().topics.len(), 3);
    }

    #[test]
    fn rev_before_walks_back_from_a_position_across_chunks() {
        let mut t = Timeline::default();
        t.push((0..3).map(|i| topic(i, "a")).collect());
        t.push((3..5).map(|i| topic(i, "b")).collect());
        t.push((5..9).map(|i| topic(i, "c")).collect());
        let times = |end| t.rev_before(end).map(|(i, e)| (i, e.at_ms)).collect::<Vec<_>>();
        assert_eq!(times(9).len(), 9);
        assert_eq!(times(9)[0], (8, 8));
        assert_eq!(times(4), vec![(3, 3), (2, 2), (1, 1), (0, 0)]);
        assert_eq!(times(0), vec![]);
        assert_eq!(times(100).len(), 9, "an end past the timeline is the whole of it");
    }

    #[test]
    fn scrubbing_to_a_time_folds_everything_up_to_it() {
        let s = State::new(Lang::En).apply(Action::Deliver(Delivery::events(vec![
            topic(0, "a"),
            topic(5, "b"),
            topic(9, "c"),
        ])));
        let at6 = s.clone().apply(Action::ScrubToTime(6));
        assert_eq!(at6.view().topics.len(), 2);
        assert_eq!(at6.view().now_ms, 6);
        assert_eq!(at6.position(), 2);
        assert_eq!(s.apply(Action::ScrubToTime(9)).scrub, None, "now is not a scrub");
    }

    #[test]
    fn the_clock_follows_the_source_even_without_events() {
        let quiet = Delivery { now_ms: Some(2_500), ..Delivery::events(vec![topic(1_000, "a")]) };
        let s = State::new(Lang::En).apply(Action::Deliver(quiet));
        assert_eq!(s.view().now_ms, 2_500);
        let later = s.apply(Action::Deliver(Delivery { now_ms: Some(4_000), ..Delivery::default() }));
        assert_eq!((later.view().now_ms, later.timeline.len()), (4_000, 1));
    }

    #[test]
    fn loading_a_scenario_starts_a_new_timeline_but_keeps_preferences() {
        let s = State::new(Lang::Ko)
            .apply(Action::SetSpeed(5))
            .apply(Action::Deliver(Delivery::events(vec![topic(0, "a")])))
            .apply(Action::ScenarioLoaded(info("next")));
        assert!(s.timeline.is_empty());
        let id = s.scenario.as_ref().map(|i| i.id.as_str());
        assert_eq!((s.lang, s.speed, id), (Lang::Ko, 5, Some("next")));
        assert_eq!(s.clone().apply(Action::CloseScenario).scenario, None);
        assert_eq!(s.apply(Action::SetSpeed(99)).speed, SPEEDS.len() - 1);
    }
}
