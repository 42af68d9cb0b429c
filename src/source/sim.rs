//! The offline source: runs a scenario on the deterministic model in the
//! page and hands its events to the reducer. The model is pure; this only
//! decides how far virtual time moves and when (the browser's timer).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo::render::{AnimationFrame, request_animation_frame};
use offsetlab_model::model::{ConsumerSpec, Input};
use offsetlab_model::scenario::{Scenario, ScenarioRun};
use offsetlab_protocol::Event;
use yew::Callback;

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

/// A scenario run (or a recording's replay) plus its virtual clock.
pub struct Sim {
    /// The file's text, kept so that Restart works for files too.
    pub text: Rc<str>,
    engine: Engine,
    now_ms: u64,
    /// Where the scenario's author meant it to end (a recording: its last
    /// event); playback pauses there.
    pub until_ms: u64,
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
        Ok(Sim { text: text.into(), engine, now_ms: 0, until_ms })
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// True when a person acted on the run: a link to it must carry the
    /// exported file, not just the scenario's name.
    pub fn has_person_inputs(&self) -> bool {
        matches!(&self.engine, Engine::Model { inputs, .. } if !inputs.is_empty())
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
        let to_ms = to_ms.max(self.now_ms);
        self.now_ms = to_ms;
        match &mut self.engine {
            Engine::Model { scenario, run, next_check, .. } => {
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
                        refused.push(e.to_string());
                    }
                    while let Some(step) = steps.get(*next_check).filter(|s| s.at_ms <= stop) {
                        let held = step.expect.as_ref().map_or(Ok(()), |expect| {
                            offsetlab_model::check_expectation(&run.model, expect).map_err(|f| f.to_string())
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
        let mut out = Advance::default();
        while let Some(next) = self.next_moment() {
            let mut advance = self.advance_to(next.max(self.now_ms));
            out.refused.append(&mut advance.refused);
            out.checks.append(&mut advance.checks);
            if !advance.events.is_empty() {
                out.events = advance.events;
                break;
            }
        }
        out
    }

    /// A person's action, applied now, and recorded for export.
    pub fn handle(&mut self, input: Input) -> Result<Vec<Event>, String> {
        match &mut self.engine {
            Engine::Model { run, inputs, .. } => {
                run.model.handle(input.clone(), self.now_ms).map_err(|e| e.to_string())?;
                inputs.push((self.now_ms, input));
                Ok(std::iter::from_fn(|| run.model.poll_event()).collect())
            }
            Engine::Recording { .. } => Err(RECORDING_ONLY.into()),
        }
    }
}

/// What a recording answers to actions and to export.
const RECORDING_ONLY: &str = "this is a recording: it replays what happened. To act on consumers or export a scenario, open a scenario.";

/// Real milliseconds of model work per tick at most; the rest of the frame
/// is for drawing. When the model cannot keep up with the chosen speed,
/// virtual time falls behind (and the achieved speed is shown) instead of
/// the page freezing.
pub const MODEL_BUDGET_MS: f64 = 3.0;
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

/// Playback: one tick per animation frame, until dropped.
pub struct Player {
    /// The next frame's request; taking it cancels playback.
    next: Rc<RefCell<Option<AnimationFrame>>>,
}

impl Drop for Player {
    fn drop(&mut self) {
        self.next.borrow_mut().take();
    }
}

/// Asks for the next animation frame to run `tick`, unless the player is
/// gone.
fn request_tick(next: Weak<RefCell<Option<AnimationFrame>>>, tick: Rc<RefCell<dyn FnMut()>>) {
    let Some(slot) = next.upgrade() else { return };
    let frame = request_animation_frame(move |_| {
        (tick.borrow_mut())();
        request_tick(next, tick);
    });
    *slot.borrow_mut() = Some(frame);
}

/// Plays `sim` at `speed` (virtual ms per real ms) until dropped: on every
/// animation frame the clock moves by the real time elapsed times `speed`,
/// within the model's time budget. Ticking in the frame (not on a timer)
/// puts the model's work and the redraw it causes in the same frame, and
/// never two ticks in one.
pub fn play(sim: Rc<RefCell<Option<Sim>>>, speed: f64, on_tick: Callback<Tick>) -> Player {
    let mut last_real = now_real_ms();
    // Progress over the current measuring window: (real ms, virtual ms).
    let mut window = (0.0_f64, 0_u64);
    let mut achieved_speed = None;
    let tick = move || {
        let started = now_real_ms();
        let elapsed = (started - last_real).clamp(0.0, 250.0);
        last_real = started;
        let mut guard = sim.borrow_mut();
        let Some(sim) = guard.as_mut() else { return };
        let from = sim.now_ms();
        let wanted = (elapsed * speed).round().max(1.0) as u64;
        let target = if from < sim.until_ms { (from + wanted).min(sim.until_ms) } else { from + wanted };
        let mut advance = Advance::default();
        while sim.now_ms() < target {
            let mut slice = sim.advance_to((sim.now_ms() + SLICE_MS).min(target));
            advance.events.append(&mut slice.events);
            advance.refused.append(&mut slice.refused);
            advance.checks.append(&mut slice.checks);
            if now_real_ms() - started > MODEL_BUDGET_MS {
                break;
            }
        }
        let at_end = sim.now_ms() == sim.until_ms && from < sim.until_ms;
        window.0 += elapsed;
        window.1 += sim.now_ms() - from;
        if window.0 >= 1000.0 {
            achieved_speed = Some(window.1 as f64 / window.0);
            window = (0.0, 0);
        }
        let now_ms = sim.now_ms();
        drop(guard);
        on_tick.emit(Tick { advance, at_end, achieved_speed, now_ms });
    };
    let player = Player { next: Rc::new(RefCell::new(None)) };
    request_tick(Rc::downgrade(&player.next), Rc::new(RefCell::new(tick)));
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
    fn a_refused_scripted_step_is_reported_and_the_run_goes_on() {
        // The scenario crashes c1 at 9 s; a person crashed it first.
        let text = include_str!("../../static/scenarios/auto-commit-crash-duplicates.toml");
        let mut sim = Sim::new(text).unwrap();
        sim.advance_to(8_000);
        assert!(sim.handle(Input::Crash { consumer: "c1".into() }).is_ok());
        let advance = sim.advance_to(30_000);
        assert_eq!(advance.refused.len(), 1, "{:?}", advance.refused);
        assert!(advance.refused[0].contains("line"), "{:?}", advance.refused);
        assert_eq!(sim.now_ms(), 30_000);
        let processed_by_c2 = advance.events.iter().any(|e| {
            matches!(&e.kind, offsetlab_protocol::EventKind::RecordsProcessed { consumer, .. } if consumer == "c2")
        });
        assert!(processed_by_c2, "c2 took over after c1's crash");
    }

    #[test]
    fn an_exported_run_replays_what_the_person_did() {
        let text = include_str!("../../static/scenarios/two-groups.toml");
        let mut live = Sim::new(text).unwrap();
        let mut events = live.advance_to(4_000).events;
        events.extend(live.handle(Input::Crash { consumer: "billing-1".into() }).unwrap());
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
