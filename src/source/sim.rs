//! The offline source: runs a scenario on the deterministic model in the
//! page and hands its events to the reducer. The model is pure; this only
//! decides how far virtual time moves and when (the browser's timer).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use offsetlab_model::model::Input;
use offsetlab_model::scenario::{Scenario, ScenarioRun};
use offsetlab_protocol::Event;
use yew::Callback;

/// Real milliseconds between ticks while playing.
pub const TICK_MS: u32 = 40;

/// A scenario run plus its virtual clock.
pub struct Sim {
    run: ScenarioRun,
    now_ms: u64,
    /// Where the scenario's author meant it to end; playback pauses there.
    pub until_ms: u64,
    pub name: String,
    pub description: String,
}

impl Sim {
    /// Parses and starts a scenario; a bad file gives the parser's message
    /// (with its line), never a panic.
    pub fn new(toml: &str) -> Result<Sim, String> {
        let scenario = Scenario::parse(toml).map_err(|e| e.to_string())?;
        let run = ScenarioRun::new(&scenario).map_err(|e| e.to_string())?;
        Ok(Sim {
            run,
            now_ms: 0,
            until_ms: scenario.until_ms,
            name: scenario.name,
            description: scenario.description,
        })
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn drain(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.run.model.poll_event()).collect()
    }

    /// Runs the model and the scenario's steps up to `to_ms`.
    pub fn advance_to(&mut self, to_ms: u64) -> Result<Vec<Event>, String> {
        let to_ms = to_ms.max(self.now_ms);
        self.run.advance(to_ms).map_err(|e| e.to_string())?;
        self.now_ms = to_ms;
        Ok(self.drain())
    }

    /// Moves to the next moment at which something happens, and returns
    /// what happened then. Empty only when nothing is left to happen.
    pub fn step(&mut self) -> Result<Vec<Event>, String> {
        loop {
            let next = [self.run.model.next_wakeup(), self.run.next_step_at()]
                .into_iter()
                .flatten()
                .map(|t| t.max(self.now_ms))
                .min();
            let Some(next) = next else {
                return Ok(Vec::new());
            };
            let events = self.advance_to(next)?;
            if !events.is_empty() {
                return Ok(events);
            }
        }
    }

    /// A person's action, applied now.
    pub fn handle(&mut self, input: Input) -> Result<Vec<Event>, String> {
        self.run
            .model
            .handle(input, self.now_ms)
            .map_err(|e| e.to_string())?;
        Ok(self.drain())
    }
}

/// What the clock reports to the app.
pub enum Tick {
    Events(Vec<Event>),
    /// The scenario reached its planned end; playback stops there.
    ReachedEnd,
    Failed(String),
}

/// Advances `sim` by `TICK_MS × speed` virtual milliseconds on every tick
/// until dropped.
pub fn play(sim: Rc<RefCell<Option<Sim>>>, speed: f64, on_tick: Callback<Tick>) -> Interval {
    let step_ms = (f64::from(TICK_MS) * speed).round().max(1.0) as u64;
    Interval::new(TICK_MS, move || {
        let mut guard = sim.borrow_mut();
        let Some(sim) = guard.as_mut() else { return };
        let now = sim.now_ms();
        // Stop once at the scenario's planned end; playing again goes on.
        let target = if now < sim.until_ms {
            (now + step_ms).min(sim.until_ms)
        } else {
            now + step_ms
        };
        let tick = match sim.advance_to(target) {
            Ok(events) if target == sim.until_ms => {
                on_tick.emit(Tick::Events(events));
                Tick::ReachedEnd
            }
            Ok(events) => Tick::Events(events),
            Err(e) => Tick::Failed(e),
        };
        drop(guard);
        on_tick.emit(tick);
    })
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
            let events = by_steps.step().unwrap();
            assert!(
                !events.is_empty(),
                "a step always shows something while the scenario runs"
            );
            stepped.extend(events);
        }
        let mut by_ticks = Sim::new(ORDERING).unwrap();
        let mut ticked = by_ticks.advance_to(1_000).unwrap();
        ticked.extend(by_ticks.advance_to(by_steps.now_ms()).unwrap());
        assert_eq!(stepped, ticked);
    }

    #[test]
    fn a_bad_scenario_is_an_error_with_its_line() {
        let err = Sim::new("version = 1\nname = 3\n").err().unwrap();
        assert!(err.contains("line 2"), "{err}");
    }
}
