//! The offline source: runs a scenario on the deterministic model in the
//! page and hands its events to the reducer. The model is pure; this only
//! decides how far virtual time moves and when (the browser's timer).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo::render::{AnimationFrame, request_animation_frame};
use offsetlab_model::model::{ConsumerSpec, Input};
use offsetlab_model::scenario::{Scenario, ScenarioRun};
use offsetlab_protocol::Event;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::Callback;

use crate::heap::MEMORY_LIMIT;
use crate::i18n::problems;
use crate::recording;
use crate::state::ScenarioInfo;

/// What moving the clock produced.
#[derive(Debug, Default, PartialEq)]
pub struct Advance {
    pub events: Vec<Event>,
    /// Scripted steps the model refused, with the scenario line.
    pub refused: Vec<String>,
    /// Guide steps reached, by index, with whether their expectation held
    /// on this run at exactly their moment (the reason when it did not).
    pub checks: Vec<(usize, Result<(), String>)>,
}

impl Advance {
    /// `later` after this.
    pub fn append(&mut self, mut later: Advance) {
        self.events.append(&mut later.events);
        self.refused.append(&mut later.refused);
        self.checks.append(&mut later.checks);
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.refused.is_empty() && self.checks.is_empty()
    }
}

/// What produces the events.
enum Engine {
    /// A scenario running on the model; a person can act on it.
    Model {
        // Boxed: these are large and a recording needs none of them.
        scenario: Box<Scenario>,
        run: Box<ScenarioRun>,
        /// What a person did, when: exported as the scenario's actions.
        inputs: Vec<(u64, Input)>,
        /// The next guide step whose expectation is still to check.
        next_check: usize,
    },
    /// A recording: its events, handed out as the clock reaches them.
    Recording { header: recording::Header, events: Vec<Event>, next: usize },
}

/// Records a run may produce before it stops. The page keeps every record
/// (the model's log, the view's, and the timeline's events, so scrubbing
/// back works): a million added about 110 MB to Chromium's pages here.
/// Unbounded, a file producing 1,000,000 records a second took the tab
/// past 4 GB in under a minute, and the page died.
pub const RECORD_LIMIT: u64 = 1_000_000;
/// Virtual milliseconds between checks of the record limit: at the
/// largest rate a file may give (1,000,000 a second) one slice's records
/// are a tenth of the limit.
const LIMIT_SLICE_MS: u64 = 100;

/// A scenario run (or a recording's replay) plus its virtual clock.
pub struct Sim {
    /// The file's text, kept so that Restart works for files too.
    pub text: Rc<str>,
    engine: Engine,
    now_ms: u64,
    /// Records the model produced so far, against `record_limit`.
    records_produced: u64,
    record_limit: u64,
    memory_limit: u64,
    /// Where the scenario's author meant it to end (a recording: its last
    /// event); playback pauses there.
    pub until_ms: u64,
    /// What playback ran ahead of the screen (the model runs in idle time,
    /// its events are drawn on the next frame). Whatever hands out events
    /// hands these out first, so they stay in order.
    pending: Advance,
}

impl Sim {
    /// Parses and starts a scenario, or opens a recording; a bad file gives
    /// the parser's message (with its line), never a panic.
    pub fn new(text: &str) -> Result<Sim, String> {
        let (engine, until_ms) = if recording::looks_like_recording(text) {
            let (header, events) = recording::read(text)?;
            let end = events.last().map_or(0, |e| e.at_ms);
            (Engine::Recording { header, events, next: 0 }, end)
        } else {
            let scenario = Scenario::parse(text).map_err(|e| e.to_string())?;
            let run = ScenarioRun::new(&scenario).map_err(|e| e.to_string())?;
            let until_ms = scenario.until_ms;
            (
                Engine::Model {
                    scenario: Box::new(scenario),
                    run: Box::new(run),
                    inputs: Vec::new(),
                    next_check: 0,
                },
                until_ms,
            )
        };
        Ok(Sim {
            text: text.into(),
            engine,
            now_ms: 0,
            records_produced: 0,
            record_limit: RECORD_LIMIT,
            memory_limit: MEMORY_LIMIT,
            until_ms,
            pending: Advance::default(),
        })
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// True when a person acted on the run: a link to it must carry the
    /// exported file, not just the scenario's name.
    pub fn has_person_inputs(&self) -> bool {
        matches!(&self.engine, Engine::Model { inputs, .. } if !inputs.is_empty())
    }

    /// Why the clock stopped for good, once the run produced `RECORD_LIMIT`
    /// records or the page's heap reached `MEMORY_LIMIT`. A person can still
    /// act, scrub back, export or restart.
    pub fn limit_reached(&self) -> Option<&'static str> {
        if self.records_produced >= self.record_limit {
            Some(problems::RECORD_LIMIT_REACHED)
        } else if crate::heap::live_bytes() >= self.memory_limit {
            Some(problems::MEMORY_LIMIT_REACHED)
        } else {
            None
        }
    }

    /// Counts the records in events the model just produced.
    fn count_records(&mut self, events: &[Event]) {
        for e in events {
            if let offsetlab_protocol::EventKind::RecordsProduced { records, .. } = &e.kind {
                self.records_produced += records.len() as u64;
            }
        }
    }

    /// True for a recording: it replays what happened; nothing can be done
    /// to it.
    pub fn is_recording(&self) -> bool {
        matches!(self.engine, Engine::Recording { .. })
    }

    /// The titles, for the scenario bar and the menu.
    pub fn info(&self, id: String) -> ScenarioInfo {
        match &self.engine {
            Engine::Model { scenario, .. } => ScenarioInfo::of_scenario(id, scenario),
            Engine::Recording { header, .. } => ScenarioInfo::of_recording(id, header),
        }
    }

    /// How the model would start this consumer again (after a crash or a
    /// close): its spec as the scenario and later changes left it.
    pub fn consumer_spec(&self, id: &str) -> Option<ConsumerSpec> {
        match &self.engine {
            Engine::Model { run, .. } => run.model.consumer_spec(id).cloned(),
            Engine::Recording { .. } => None,
        }
    }

    /// The scenario with everything a person did so far appended, as a
    /// file that replays this run exactly.
    pub fn export(&self) -> Result<String, String> {
        match &self.engine {
            Engine::Model { scenario, inputs, .. } => {
                scenario.with_inputs(inputs).map(|s| s.to_toml()).map_err(|e| e.to_string())
            }
            Engine::Recording { .. } => Err(RECORDING_ONLY.into()),
        }
    }

    /// Runs the model and the scenario's steps (or the recording) up to
    /// `to_ms`. A scripted step the model refuses (say, crashing a consumer
    /// a person already crashed) is reported and skipped; the run goes on.
    pub fn advance_to(&mut self, to_ms: u64) -> Advance {
        let mut out = self.take_pending();
        out.append(self.run_to(to_ms));
        out
    }

    /// Runs ahead of the screen up to `to_ms`; the next `take_pending` (or
    /// anything else that hands out events) hands out what it produced.
    pub fn run_ahead(&mut self, to_ms: u64) {
        let advance = self.run_to(to_ms);
        self.pending.append(advance);
    }

    /// What playback ran ahead of the screen, from the oldest.
    pub fn take_pending(&mut self) -> Advance {
        std::mem::take(&mut self.pending)
    }

    /// Runs to `to_ms` in slices, so a long jump (a link's `t=`, a guide
    /// step) stops at the record limit too, within a slice's records of it.
    fn run_to(&mut self, to_ms: u64) -> Advance {
        let mut out = Advance::default();
        loop {
            if let Some(why) = self.limit_reached() {
                if to_ms > self.now_ms {
                    out.refused.push(why.to_string());
                }
                return out;
            }
            let advance = self.run_model_to((self.now_ms + LIMIT_SLICE_MS).min(to_ms));
            self.count_records(&advance.events);
            out.append(advance);
            if self.now_ms >= to_ms {
                return out;
            }
        }
    }

    fn run_model_to(&mut self, to_ms: u64) -> Advance {
        let to_ms = to_ms.max(self.now_ms);
        self.now_ms = to_ms;
        match &mut self.engine {
            Engine::Model { scenario, run, next_check, inputs } => {
                let mut refused = Vec::new();
                let mut checks = Vec::new();
                // Stop at each guide step on the way: its expectation is
                // about the state at exactly that moment.
                let steps = scenario.guide.as_ref().map_or(&[][..], |g| &g.steps[..]);
                let stops = steps[*next_check..].iter().map(|s| s.at_ms).take_while(|&t| t <= to_ms);
                for stop in stops.chain([to_ms]) {
                    // Each refused step is consumed, so this ends after at
                    // most one pass per remaining step.
                    while let Err(e) = run.advance(stop) {
                        // After a person's own actions a refusal is theirs
                        // to expect, not a broken scenario: say so.
                        refused.push(if inputs.is_empty() {
                            e.to_string()
                        } else {
                            problems::skipped_after_changes(&e.to_string())
                        });
                    }
                    while let Some(step) = steps.get(*next_check).filter(|s| s.at_ms <= stop) {
                        let held = step.expect.as_ref().map_or(Ok(()), |expect| {
                            offsetlab_model::check_expectation(&run.model, expect).map_err(|f| {
                                if inputs.is_empty() {
                                    f.to_string()
                                } else {
                                    problems::failed_after_changes(&f.to_string())
                                }
                            })
                        });
                        checks.push((*next_check, held));
                        *next_check += 1;
                    }
                }
                Advance { events: std::iter::from_fn(|| run.model.poll_event()).collect(), refused, checks }
            }
            Engine::Recording { events, next, .. } => {
                let due = events[*next..].iter().take_while(|e| e.at_ms <= to_ms).count();
                let out = events[*next..*next + due].to_vec();
                *next += due;
                Advance { events: out, ..Advance::default() }
            }
        }
    }

    /// When something happens next, if anything will.
    fn next_moment(&self) -> Option<u64> {
        match &self.engine {
            Engine::Model { run, .. } => {
                [run.model.next_wakeup(), run.next_step_at()].into_iter().flatten().min()
            }
            Engine::Recording { events, next, .. } => events.get(*next).map(|e| e.at_ms),
        }
    }

    /// Moves to the next moment at which something happens, and returns
    /// what happened then. No events only when nothing is left to happen.
    pub fn step(&mut self) -> Advance {
        let mut out = self.take_pending();
        while let Some(next) = self.next_moment() {
            if let Some(why) = self.limit_reached() {
                out.refused.push(why.to_string());
                break;
            }
            let advance = self.run_to(next.max(self.now_ms));
            let moved = !advance.events.is_empty();
            out.append(advance);
            if moved {
                break;
            }
        }
        out
    }

    /// A person's action, applied now, and recorded for export; what it
    /// caused comes after anything playback ran ahead.
    pub fn handle(&mut self, input: Input) -> Result<Advance, String> {
        match &mut self.engine {
            Engine::Model { run, inputs, .. } => {
                run.model.handle(input.clone(), self.now_ms).map_err(|e| e.to_string())?;
                inputs.push((self.now_ms, input));
                let caused: Vec<Event> = std::iter::from_fn(|| run.model.poll_event()).collect();
                self.count_records(&caused);
                let mut out = self.take_pending();
                out.events.extend(caused);
                Ok(out)
            }
            Engine::Recording { .. } => Err(RECORDING_ONLY.into()),
        }
    }
}

/// What a recording answers to actions and to export.
pub(crate) const RECORDING_ONLY: &str = "this is a recording: it replays what happened. To act on consumers or export a scenario, open a scenario.";

/// Real milliseconds of model work per frame where the browser has no idle
/// callbacks (Safari), or when a busy page gave the model no idle period in
/// time. When the model cannot keep up with the chosen speed, virtual time
/// falls behind (and the achieved speed is shown) instead of the page
/// freezing.
pub const MODEL_BUDGET_MS: f64 = 3.0;
/// The model stops with this much of an idle period left: its last slice
/// must not run into the next frame.
const IDLE_MARGIN_MS: f64 = 1.0;
/// How long the model waits for an idle period before it runs anyway.
const IDLE_TIMEOUT_MS: u32 = 50;
/// Virtual milliseconds per slice between budget checks.
const SLICE_MS: u64 = 10;

/// One tick's outcome.
pub struct Tick {
    pub advance: Advance,
    /// The scenario reached its planned end; playback stops there.
    pub at_end: bool,
    /// Virtual ms per real ms over the last second, once measured.
    pub achieved_speed: Option<f64>,
    /// The virtual clock after this tick.
    pub now_ms: u64,
}

fn now_real_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// How far virtual time moves: real time since the model last ran, times
/// the speed.
struct Clock {
    speed: f64,
    last_real: f64,
    /// Progress over the current measuring window: (real ms, virtual ms).
    window: (f64, u64),
    achieved_speed: Option<f64>,
    /// The virtual clock of the last tick handed out.
    shown_ms: u64,
}

impl Clock {
    /// Runs the model ahead of the screen for the real time that passed,
    /// until `out_of_time` (checked between slices) says stop.
    fn run_model(&mut self, sim: &mut Sim, out_of_time: impl Fn(f64) -> bool) {
        let started = now_real_ms();
        let elapsed = (started - self.last_real).clamp(0.0, 250.0);
        self.last_real = started;
        let from = sim.now_ms();
        let wanted = (elapsed * self.speed).round().max(1.0) as u64;
        let target = if sim.limit_reached().is_some() {
            from
        } else if from < sim.until_ms {
            (from + wanted).min(sim.until_ms)
        } else {
            from + wanted
        };
        while sim.now_ms() < target {
            sim.run_ahead((sim.now_ms() + SLICE_MS).min(target));
            if out_of_time(started) {
                break;
            }
        }
        self.window.0 += elapsed;
        self.window.1 += sim.now_ms() - from;
        if self.window.0 >= 1000.0 {
            self.achieved_speed = Some(self.window.1 as f64 / self.window.0);
            self.window = (0.0, 0);
        }
    }

    /// What the model ran ahead, handed out for the screen; nothing when
    /// nothing moved.
    fn tick(&mut self, sim: &mut Sim) -> Option<Tick> {
        let mut advance = sim.take_pending();
        let now_ms = sim.now_ms();
        // At a limit playback ends, and says why, each time it is started
        // again.
        let limit = sim.limit_reached();
        if let Some(why) = limit
            && !advance.refused.iter().any(|r| r == why)
        {
            advance.refused.push(why.to_string());
        }
        let limited = limit.is_some();
        if advance.is_empty() && now_ms == self.shown_ms {
            return None;
        }
        let at_end = limited || (now_ms == sim.until_ms && self.shown_ms < sim.until_ms);
        self.shown_ms = now_ms;
        Some(Tick { advance, at_end, achieved_speed: self.achieved_speed, now_ms })
    }
}

/// What playback keeps between frames.
struct Playback {
    sim: Rc<RefCell<Option<Sim>>>,
    clock: Clock,
    on_tick: Callback<Tick>,
    /// `None` where the browser has no idle callbacks.
    idle: Option<Idle>,
}

/// The idle callback that runs the model, and its pending request.
struct Idle {
    callback: Closure<dyn FnMut(web_sys::IdleDeadline)>,
    requested: Option<u32>,
}

impl Playback {
    /// The tick to hand out now, if anything moved.
    fn take_tick(&mut self) -> Option<Tick> {
        let mut guard = self.sim.try_borrow_mut().ok()?;
        self.clock.tick(guard.as_mut()?)
    }

    /// Runs the model ahead, within `MODEL_BUDGET_MS` and until
    /// `out_of_time` says stop, even in a longer idle period: every event
    /// the model makes is work for the next frame's redraw.
    fn run_model(&mut self, out_of_time: impl Fn() -> bool) {
        let Ok(mut guard) = self.sim.try_borrow_mut() else { return };
        if let Some(sim) = guard.as_mut() {
            self.clock.run_model(sim, |started| now_real_ms() - started > MODEL_BUDGET_MS || out_of_time());
        }
    }

    /// Asks for an idle period to run the model in, unless one is asked
    /// for already. False where the browser cannot.
    fn request_idle(&mut self) -> bool {
        let Some(Idle { callback, requested }) = &mut self.idle else { return false };
        if requested.is_none() {
            let options = web_sys::IdleRequestOptions::new();
            options.set_timeout(IDLE_TIMEOUT_MS);
            *requested = web_sys::window().and_then(|w| {
                w.request_idle_callback_with_options(callback.as_ref().unchecked_ref(), &options).ok()
            });
        }
        requested.is_some()
    }
}

/// Playback: the model runs in the browser's idle periods between frames,
/// and each animation frame draws what it produced, until dropped.
pub struct Player {
    /// The next frame's request; taking it cancels playback.
    next: Rc<RefCell<Option<AnimationFrame>>>,
    playback: Rc<RefCell<Playback>>,
}

impl Drop for Player {
    fn drop(&mut self) {
        self.next.borrow_mut().take();
        let Ok(mut playback) = self.playback.try_borrow_mut() else { return };
        if let Some(Idle { requested: Some(handle), .. }) = playback.idle.take()
            && let Some(window) = web_sys::window()
        {
            window.cancel_idle_callback(handle);
        }
        // Paused, the page shows everything the model ran.
        let tick = playback.take_tick();
        let on_tick = playback.on_tick.clone();
        drop(playback);
        if let Some(tick) = tick {
            on_tick.emit(tick);
        }
    }
}

/// Asks for the next animation frame to run `frame`, unless the player is
/// gone.
fn request_frame(next: Weak<RefCell<Option<AnimationFrame>>>, frame: Rc<dyn Fn()>) {
    let Some(slot) = next.upgrade() else { return };
    let request = request_animation_frame(move |_| {
        frame();
        request_frame(next, frame);
    });
    *slot.borrow_mut() = Some(request);
}

/// Plays `sim` at `speed` (virtual ms per real ms) until dropped: virtual
/// time moves by the real time elapsed times `speed`, as far as the model
/// keeps up. The model runs in idle periods (so it never delays a frame)
/// and each animation frame draws what it ran since the last one.
pub fn play(sim: Rc<RefCell<Option<Sim>>>, speed: f64, on_tick: Callback<Tick>) -> Player {
    let shown_ms = sim.borrow().as_ref().map_or(0, Sim::now_ms);
    let clock = Clock { speed, last_real: now_real_ms(), window: (0.0, 0), achieved_speed: None, shown_ms };
    let playback = Rc::new(RefCell::new(Playback { sim, clock, on_tick, idle: None }));
    let weak = Rc::downgrade(&playback);
    let idle = Closure::<dyn FnMut(web_sys::IdleDeadline)>::new(move |deadline: web_sys::IdleDeadline| {
        let Some(playback) = weak.upgrade() else { return };
        let Ok(mut playback) = playback.try_borrow_mut() else { return };
        if let Some(idle) = &mut playback.idle {
            idle.requested = None;
        }
        // Called on the timeout (no idle period came), it has the budget only.
        let timed_out = deadline.did_timeout();
        playback.run_model(|| !timed_out && deadline.time_remaining() < IDLE_MARGIN_MS);
    });
    playback.borrow_mut().idle = Some(Idle { callback: idle, requested: None });
    let weak = Rc::downgrade(&playback);
    let frame = move || {
        let Some(playback) = weak.upgrade() else { return };
        let tick = {
            let mut playback = playback.borrow_mut();
            if !playback.request_idle() {
                // No idle callbacks here: the model runs in the frame.
                playback.idle = None;
                playback.run_model(|| false);
            }
            playback.take_tick()
        };
        // Not borrowed: the tick may end playback, which drops the player.
        if let Some(tick) = tick {
            let on_tick = playback.borrow().on_tick.clone();
            on_tick.emit(tick);
        }
    };
    let player = Player { next: Rc::new(RefCell::new(None)), playback };
    request_frame(Rc::downgrade(&player.next), Rc::new(frame));
    player
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDERING: &str = include_str!("../../static/scenarios/ordering-3-partitions.toml");

    #[test]
    fn steps_and_ticks_reach_the_same_state() {
        let mut by_steps = Sim::new(ORDERING).unwrap();
        let mut stepped = Vec::new();
        while by_steps.now_ms() < 3_000 {
            let step = by_steps.step();
            assert!(!step.events.is_empty(), "a step always shows something while the scenario runs");
            assert!(step.refused.is_empty());
            stepped.extend(step.events);
        }
        let mut by_ticks = Sim::new(ORDERING).unwrap();
        let mut ticked = by_ticks.advance_to(1_000).events;
        ticked.extend(by_ticks.advance_to(by_steps.now_ms()).events);
        assert_eq!(stepped, ticked);
    }

    #[test]
    fn what_ran_ahead_of_the_screen_comes_first_from_every_way_out() {
        // Playback runs the model ahead in idle time; a step, an action or
        // a jump in between must hand those events out before their own.
        let whole = Sim::new(ORDERING).unwrap().advance_to(6_000).events;
        let mut sim = Sim::new(ORDERING).unwrap();
        sim.run_ahead(5_000);
        sim.run_ahead(5_500);
        let mut got = sim.advance_to(6_000).events;
        assert_eq!(got, whole);
        assert!(sim.take_pending().is_empty(), "handed out once");

        let mut sim = Sim::new(ORDERING).unwrap();
        sim.run_ahead(5_000);
        got = sim.step().events;
        let ahead = got.iter().filter(|e| e.at_ms <= 5_000).count();
        assert!(ahead > 0 && got[ahead..].iter().all(|e| e.at_ms > 5_000), "then the next moment");
        assert_eq!(got, whole[..got.len()]);

        let mut sim = Sim::new(ORDERING).unwrap();
        sim.run_ahead(5_000);
        let handled = sim.handle(Input::Crash { consumer: "c1".into() }).unwrap();
        assert_eq!(handled.events[..ahead], whole[..ahead]);
        assert!(handled.events.len() > ahead, "and then what the crash caused");
    }

    #[test]
    fn a_refused_scripted_step_is_reported_and_the_run_goes_on() {
        // The scenario crashes c1 at 9 s; a person crashed it first.
        let text = include_str!("../../static/scenarios/auto-commit-crash-duplicates.toml");
        let mut sim = Sim::new(text).unwrap();
        sim.advance_to(8_000);
        assert!(sim.handle(Input::Crash { consumer: "c1".into() }).is_ok());
        let advance = sim.advance_to(30_000);
        assert_eq!(
            advance.refused,
            [
                "scenario step skipped, since you changed this run: line 49: at 9000 ms: consumer \"c1\" is not running"
            ]
        );
        assert_eq!(sim.now_ms(), 30_000);
        // The guide's last step counts duplicates of the run as written; a
        // crash 1 s early leaves fewer, and the reason names the change.
        let (_, last) = advance.checks.last().unwrap();
        assert!(
            last.as_ref()
                .is_err_and(|why| why.starts_with("you changed this run: group \"app\": duplicates is ")),
            "{last:?}"
        );
        let processed_by_c2 = advance.events.iter().any(|e| {
            matches!(&e.kind, offsetlab_protocol::EventKind::RecordsProcessed { consumer, .. } if consumer == "c2")
        });
        assert!(processed_by_c2, "c2 took over after c1's crash");
    }

    #[test]
    fn a_flood_of_records_stops_at_the_record_limit_and_says_why() {
        let flood = r#"version = 1
name = "flood"
seed = 1
until_ms = 3600000
[[topics]]
name = "t"
partitions = 2
[[producers]]
id = "p1"
topic = "t"
rate_per_sec = 100000
[[consumers]]
id = "c1"
subscribe = ["t"]
[consumers.config]
"group.id" = "g"
"#;
        let produced = |a: &Advance| -> u64 {
            a.events
                .iter()
                .map(|e| match &e.kind {
                    offsetlab_protocol::EventKind::RecordsProduced { records, .. } => records.len() as u64,
                    _ => 0,
                })
                .sum()
        };
        let mut sim = Sim::new(flood).unwrap();
        sim.record_limit = 20_000;
        // One jump to the end of the hour, as a link's t= would ask.
        let advance = sim.advance_to(3_600_000);
        let records = produced(&advance);
        assert!((20_000..=30_000).contains(&records), "stops within a slice of the limit: {records}");
        assert!(sim.now_ms() < 1_000, "the clock stopped at {} ms", sim.now_ms());
        assert_eq!(advance.refused, [problems::RECORD_LIMIT_REACHED]);
        // Stepping and jumping on say why and produce nothing; no loop.
        let at = sim.now_ms();
        let step = sim.step();
        assert_eq!(
            (step.events.len(), &step.refused[..]),
            (0, &[problems::RECORD_LIMIT_REACHED.to_string()][..])
        );
        assert_eq!(sim.advance_to(at + 5_000).events, []);
        assert_eq!(sim.now_ms(), at);
        // A person can still act on the run.
        assert!(sim.handle(Input::Crash { consumer: "c1".into() }).is_ok());
        // The heap's limit stops a run the same way.
        let mut held = Sim::new(flood).unwrap();
        held.memory_limit = 0;
        let advance = held.advance_to(1_000);
        assert_eq!((advance.events.len(), held.now_ms()), (0, 0));
        assert_eq!(advance.refused, [problems::MEMORY_LIMIT_REACHED]);
        // The message names the limit in force.
        assert_eq!(RECORD_LIMIT, 1_000_000);
        assert_eq!(MEMORY_LIMIT, 1 << 30);
        assert!(problems::MEMORY_LIMIT_REACHED.contains("1 GB"));
        assert!(problems::RECORD_LIMIT_REACHED.contains("1,000,000 records"));
    }

    #[test]
    fn an_exported_run_replays_what_the_person_did() {
        let text = include_str!("../../static/scenarios/two-groups.toml");
        let mut live = Sim::new(text).unwrap();
        let mut events = live.advance_to(4_000).events;
        events.extend(live.handle(Input::Crash { consumer: "billing-1".into() }).unwrap().events);
        events.extend(live.advance_to(20_000).events);
        let exported = live.export().unwrap();
        assert!(exported.contains("crash"), "{exported}");
        let mut replay = Sim::new(&exported).unwrap();
        assert_eq!(replay.advance_to(20_000).events, events, "the file replays the run event for event");
    }

    #[test]
    fn a_recording_replays_the_recorded_events_on_the_clock_and_refuses_actions() {
        let text = include_str!("../../static/scenarios/auto-commit-crash-duplicates.toml");
        let mut live = Sim::new(text).unwrap();
        let events = live.advance_to(20_000).events;
        let header = recording::Header {
            offsetlab_recording: recording::FORMAT_VERSION,
            protocol_version: offsetlab_protocol::PROTOCOL_VERSION,
            name: "recorded".into(),
            name_ko: None,
            description: String::new(),
            description_ko: None,
        };
        let mut replay = Sim::new(&recording::write(&header, &events)).unwrap();
        assert!(replay.is_recording());
        assert_eq!(replay.until_ms, events.last().unwrap().at_ms);
        let mut replayed = replay.advance_to(9_000).events;
        assert!(replayed.iter().all(|e| e.at_ms <= 9_000));
        let stepped = replay.step();
        assert!(!stepped.events.is_empty() && stepped.events.iter().all(|e| e.at_ms > 9_000));
        replayed.extend(stepped.events);
        replayed.extend(replay.advance_to(20_000).events);
        assert_eq!(replayed, events);
        assert!(replay.handle(Input::Crash { consumer: "c2".into() }).unwrap_err().contains("recording"));
        assert!(replay.export().is_err());
        assert_eq!(replay.info("r".into()).name, "recorded");
    }

    #[test]
    fn guide_expectations_are_checked_at_their_moment_on_the_actual_run() {
        let text = include_str!("../../static/scenarios/auto-commit-crash-duplicates.toml");
        let steps = Scenario::parse(text).unwrap().guide.unwrap().steps.len();
        // In slices, as playback does: every step is checked once, and holds.
        let mut sim = Sim::new(text).unwrap();
        let mut checks = Vec::new();
        for t in (0..=30_000).step_by(700) {
            checks.extend(sim.advance_to(t).checks);
        }
        assert_eq!(checks.iter().map(|(i, _)| *i).collect::<Vec<_>>(), (0..steps).collect::<Vec<_>>());
        assert!(checks.iter().all(|(_, held)| held.is_ok()), "{checks:?}");
        // A person who closes c1 before its crash changes the lesson: the
        // duplicates step no longer holds, and says why.
        let mut changed = Sim::new(text).unwrap();
        changed.advance_to(6_000);
        changed.handle(Input::Close { consumer: "c1".into() }).unwrap();
        let failed: Vec<String> =
            changed.advance_to(30_000).checks.into_iter().filter_map(|(_, held)| held.err()).collect();
        assert!(!failed.is_empty());
    }

    #[test]
    fn a_bad_scenario_is_an_error_with_its_line() {
        let err = Sim::new("version = 1\nname = 3\n").err().unwrap();
        assert!(err.contains("line 2"), "{err}");
    }
}
