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

/// What moving the clock produced.
#[derive(Debug, Default, PartialEq)]
pub struct Advance {
    pub events: Vec<Event>,
    /// Scripted steps the model refused, with the scenario line.
    pub refused: Vec<String>,
}

/// A scenario run plus its virtual clock.
pub struct Sim {
    /// The scenario's TOML, kept so that Restart works for files too.
    pub text: Rc<str>,
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
            text: toml.into(),
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

    /// Runs the model and the scenario's steps up to `to_ms`. A scripted
    /// step the model refuses (say, crashing a consumer a person already
    /// crashed) is reported and skipped; the run goes on.
    pub fn advance_to(&mut self, to_ms: u64) -> Advance {
        let to_ms = to_ms.max(self.now_ms);
        let mut refused = Vec::new();
        // Each refused step is consumed, so this ends after at most one
        // pass per remaining step.
        while let Err(e) = self.run.advance(to_ms) {
            refused.push(e.to_string());
        }
        self.now_ms = to_ms;
        Advance {
            events: self.drain(),
            refused,
        }
    }

    /// Moves to the next moment at which something happens, and returns
    /// what happened then. No events only when nothing is left to happen.
    pub fn step(&mut self) -> Advance {
        let mut refused = Vec::new();
        loop {
            let next = [self.run.model.next_wakeup(), self.run.next_step_at()]
                .into_iter()
                .flatten()
                .map(|t| t.max(self.now_ms))
                .min();
            let Some(next) = next else {
                return Advance {
                    events: Vec::new(),
                    refused,
                };
            };
            let mut advance = self.advance_to(next);
            refused.append(&mut advance.refused);
            if !advance.events.is_empty() {
                return Advance {
                    events: advance.events,
                    refused,
                };
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

/// Advances `sim` by `TICK_MS × speed` virtual milliseconds on every tick
/// until dropped. `on_tick` gets what happened and whether the scenario
/// reached its planned end, where playback stops (playing again goes on).
pub fn play(
    sim: Rc<RefCell<Option<Sim>>>,
    speed: f64,
    on_tick: Callback<(Advance, bool)>,
) -> Interval {
    let step_ms = (f64::from(TICK_MS) * speed).round().max(1.0) as u64;
    Interval::new(TICK_MS, move || {
        let mut guard = sim.borrow_mut();
        let Some(sim) = guard.as_mut() else { return };
        let now = sim.now_ms();
        let target = if now < sim.until_ms {
            (now + step_ms).min(sim.until_ms)
        } else {
            now + step_ms
        };
        let advance = sim.advance_to(target);
        let at_end = target == sim.until_ms;
        drop(guard);
        on_tick.emit((advance, at_end));
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
            let step = by_steps.step();
            assert!(
                !step.events.is_empty(),
                "a step always shows something while the scenario runs"
            );
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
        assert!(
            sim.handle(Input::Crash {
                consumer: "c1".into()
            })
            .is_ok()
        );
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
    fn a_bad_scenario_is_an_error_with_its_line() {
        let err = Sim::new("version = 1\nname = 3\n").err().unwrap();
        assert!(err.contains("line 2"), "{err}");
    }
}
