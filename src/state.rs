//! The one reducer: every change to what the UI shows goes through
//! `State::apply(Action)`, as in yew's function_todomvc example.
//!
//! The timeline is the list of events a source delivered; what the screen
//! shows is the fold of that list (`ClusterView`), or of a prefix of it
//! while the person scrubs back in time.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use offsetlab_protocol::{Event, TopicPartition};
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

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub mode: Mode,
    /// False until a gateway can be reached; Live cannot be chosen before.
    pub live_available: bool,
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
}

impl Default for State {
    fn default() -> Self {
        Self {
            lang: Lang::default(),
            mode: Mode::default(),
            live_available: false,
            scenario: None,
            timeline: Timeline::default(),
            head: Rc::default(),
            scrub: None,
            playing: false,
            speed: 2,
            error: None,
            // Heartbeats and fetches come many times a second; they would
            // bury everything else, so they start hidden.
            hidden: BTreeSet::from([Category::Heartbeat, Category::Fetch]),
            selected: None,
            seek_preview: None,
            follow: None,
            partition_pages: BTreeMap::new(),
            achieved_speed: None,
            print: PrintOptions::default(),
            share_link: None,
            present: false,
            guide_checks: BTreeMap::new(),
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
    SetPrint(PrintOptions),
    ShowShareLink(Option<String>),
    SetPresent(bool),
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
            live_available: self.live_available,
            speed: self.speed,
            hidden: self.hidden,
            present: self.present,
            ..State::default()
        }
    }

    /// The pure transition, testable without a browser.
    pub fn apply(mut self, action: Action) -> State {
        match action {
            Action::SetLang(lang) => self.lang = lang,
            // Choosing Live without a gateway would leave an empty, broken
            // view; the switch is disabled, and the reducer holds the line too.
            Action::SetMode(Mode::Live) if !self.live_available => {}
            Action::SetMode(mode) => self.mode = mode,
            Action::CloseScenario => self = self.without_run(),
            Action::ScenarioLoaded(info) => {
                self = self.without_run();
                self.scenario = Some(info);
            }
            Action::Deliver(Delivery { events, refused, achieved_speed, reached_end, now_ms, checks }) => {
                self.guide_checks.extend(checks);
                if !events.is_empty() || now_ms.is_some_and(|t| t > self.head.now_ms) {
                    let head = Rc::make_mut(&mut self.head);
                    for e in &events {
                        head.apply(e);
                    }
                    head.now_ms = head.now_ms.max(now_ms.unwrap_or(0));
                    self.timeline.push(events);
                }
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
            Action::ToggleCategory(c) => {
                if !self.hidden.remove(&c) {
                    self.hidden.insert(c);
                }
            }
        }
        self
    }
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
    fn language_switches_both_ways() {
        let s = State::new(Lang::En).apply(Action::SetLang(Lang::Ko));
        assert_eq!(s.lang, Lang::Ko);
        assert_eq!(s.apply(Action::SetLang(Lang::En)).lang, Lang::En);
    }

    #[test]
    fn live_mode_is_refused_without_a_gateway() {
        let s = State::new(Lang::En);
        assert_eq!(s.clone().apply(Action::SetMode(Mode::Live)).mode, Mode::Offline);
        let with_gateway = State { live_available: true, ..s };
        assert_eq!(with_gateway.apply(Action::SetMode(Mode::Live)).mode, Mode::Live);
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
