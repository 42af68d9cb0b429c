//! Export: `Scenario::to_toml` writes a file that reads back as the same
//! scenario, and `Scenario::with_inputs` adds a person's actions so that the
//! exported file replays the run exactly.

mod common;

use std::collections::BTreeMap;

use common::*;
use offsetlab_model::scenario::{ScenarioRun, StepAction};
use offsetlab_model::{ConsumerSpec, EventDigest, Input, KeyPattern, ProducerSpec, Scenario};
use offsetlab_protocol::{CommitStrategy, Event, EventKind};

fn digest(s: &Scenario, until: u64) -> u64 {
    let mut d = EventDigest::default();
    s.run(until, |e| d.add(e)).unwrap();
    d.value()
}

#[test]
fn every_built_in_scenario_reads_back_as_itself() {
    let names = built_in();
    assert!(names.len() >= 15, "{names:?}");
    for name in &names {
        let original = Scenario::parse(&load(name)).unwrap();
        let text = original.to_toml();
        let back = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}\n--- written:\n{text}"));
        assert_eq!(back, original, "{name}:\n{text}");
        assert_eq!(back.to_toml(), text, "{name}: writing is stable");
        assert_eq!(
            digest(&back, back.until_ms),
            digest(&original, original.until_ms),
            "{name}: the same run"
        );
    }
}

/// What the front end does: run the scenario, apply each person's input at
/// the current virtual time after the model ran to it, skip scripted steps
/// the model refuses. Returns the events and the inputs the model accepted.
fn live(s: &Scenario, inputs: &[(u64, Input)], until: u64) -> (Vec<Event>, Vec<(u64, Input)>) {
    let mut run = ScenarioRun::new(s).unwrap();
    let mut accepted = Vec::new();
    for (at, input) in inputs {
        while run.advance(*at).is_err() {}
        if run.model.handle(input.clone(), *at).is_ok() {
            accepted.push((*at, input.clone()));
        }
    }
    while run.advance(until).is_err() {}
    (std::iter::from_fn(|| run.model.poll_event()).collect(), accepted)
}

fn replay(s: &Scenario, recorded: &[(u64, Input)], until: u64) -> (Scenario, Vec<Event>) {
    let text = s.with_inputs(recorded).unwrap().to_toml();
    let exported = Scenario::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let (events, _) = live(&exported, &[], until);
    (exported, events)
}

fn crash(c: &str) -> Input {
    Input::Crash { consumer: c.into() }
}

#[test]
fn a_run_with_a_persons_actions_replays_exactly() {
    let s = Scenario::parse(&load("two-groups")).unwrap();
    let billing_3 = ConsumerSpec::new("billing-3")
        .property("group.id", "billing")
        .property("auto.offset.reset", "earliest")
        .subscribe(["orders"])
        .processing_ms(30)
        .commit(CommitStrategy::SyncPerPoll);
    let extra = ProducerSpec {
        keys: KeyPattern::Cycle(vec!["a\"b".into(), "키".into()]),
        count: Some(12),
        ..ProducerSpec::new("ui-p1", "orders", 4)
    };
    let inputs = vec![
        // Paused at 2 s: several actions in the same millisecond.
        (
            2000,
            Input::Produce {
                topic: "orders".into(),
                partition: Some(2),
                key: Some("k".into()),
                value: None,
                count: 5,
            },
        ),
        (2000, Input::StartConsumer(billing_3.clone())),
        (2000, Input::StartProducer(extra.clone())),
        (4500, Input::Seek { consumer: "audit-1".into(), partition: tp("orders", 0), offset: 1 }),
        (6000, crash("billing-1")),
        (
            7000,
            Input::ChangeConfig {
                consumer: "audit-1".into(),
                changes: BTreeMap::from([
                    ("max.poll.records".into(), "3".into()),
                    ("client.id".into(), "audit \"one\"".into()),
                ]),
            },
        ),
        (8000, Input::StopProducer { producer: "ui-p1".into() }),
        (9000, Input::StartConsumer(Scenario::parse(&load("two-groups")).unwrap().consumers[0].spec.clone())),
        (9500, Input::DeleteRecords { partition: tp("orders", 1), before_offset: 2 }),
        (10_000, Input::StartProducer(extra)),
        (11_000, crash("billing-3")),
        (12_000, Input::StartConsumer(billing_3)),
    ];
    let until = 40_000;
    let (events, recorded) = live(&s, &inputs, until);
    assert_eq!(recorded.len(), inputs.len(), "the model took every input");
    let (exported, replayed) = replay(&s, &recorded, until);
    assert_eq!(replayed.len(), events.len());
    assert_eq!(replayed, events);
    // New clients are declared and started by actions; the rest are actions.
    assert_eq!(exported.consumers.len(), 4);
    assert!(!exported.consumers[3].autostart);
    assert_eq!(exported.producers.len(), 2);
    assert!(!exported.producers[1].autostart);
    assert_eq!(exported.actions.len(), inputs.len());
    assert!(exported.actions.iter().all(|a| a.after_timers));
    assert!(matches!(&exported.actions[1].action, StepAction::StartConsumer(c) if c.id == "billing-3"));
}

/// Why `after_timers`: a person acts after the model did what was due at
/// that millisecond. Crashing a consumer in the millisecond of its heartbeat
/// shows it: before the heartbeat, the coordinator evicts it a heartbeat
/// interval earlier.
#[test]
fn after_timers_is_what_makes_the_replay_exact() {
    let s = Scenario::parse(&load("auto-commit-crash-duplicates")).unwrap();
    // c1's heartbeats: find one, and crash it then.
    let (events, _) = live(&s, &[], 8000);
    let beat = events
        .iter()
        .rev()
        .find(|e| matches!(&e.kind, EventKind::HeartbeatSent { consumer, .. } if consumer == "c1"))
        .unwrap()
        .at_ms;
    let inputs = vec![(beat, crash("c1"))];
    let until = 40_000;
    let (events, recorded) = live(&s, &inputs, until);
    let (_, replayed) = replay(&s, &recorded, until);
    assert_eq!(replayed, events);

    let evicted = |events: &[Event]| {
        events
            .iter()
            .find(|e| matches!(&e.kind, EventKind::MemberEvicted { consumer, .. } if consumer == "c1"))
            .map(|e| e.at_ms)
    };
    let text = s.with_inputs(&recorded).unwrap().to_toml().replace("after_timers = true\n", "");
    let before = Scenario::parse(&text).unwrap();
    let (without, _) = live(&before, &[], until);
    assert!(
        evicted(&without).unwrap() < evicted(&events).unwrap(),
        "{:?} vs {:?}",
        evicted(&without),
        evicted(&events)
    );
}

#[test]
fn inputs_the_format_cannot_express_are_errors_that_name_them() {
    let s = Scenario::parse(&load("two-groups")).unwrap();
    let err = |inputs: Vec<(u64, Input)>| s.with_inputs(&inputs).unwrap_err().to_string();

    let e = err(vec![(100, crash("billing-1")), (50, crash("audit-1"))]);
    assert!(e.starts_with("input 2 at 50 ms (crash): inputs must be in time order"), "{e}");

    let e = err(vec![(100, crash("nobody"))]);
    assert_eq!(
        e,
        "input 1 at 100 ms (crash): consumer \"nobody\" is not in the scenario and no earlier input started it"
    );

    let restarted = s.consumers[0].spec.clone().property("max.poll.records", "5");
    let e = err(vec![(100, crash("billing-1")), (200, Input::StartConsumer(restarted.clone()))]);
    assert!(
        e.starts_with(
            "input 2 at 200 ms (start): consumer \"billing-1\" was started with a setup that differs"
        ) && e.contains("max.poll.records: \"5\" instead of unset"),
        "{e}"
    );
    // ... unless the scenario changed it that way first.
    let ok = s.with_inputs(&[
        (
            100,
            Input::ChangeConfig {
                consumer: "billing-1".into(),
                changes: BTreeMap::from([("max.poll.records".into(), "5".into())]),
            },
        ),
        (150, crash("billing-1")),
        (200, Input::StartConsumer(restarted)),
    ]);
    assert!(ok.is_ok(), "{ok:?}");

    let produce = |partition, count| Input::Produce {
        topic: "orders".into(),
        partition,
        key: None,
        value: None,
        count,
    };
    assert!(err(vec![(1, produce(None, 0))]).contains("1 to 1000000 records"));
    assert!(err(vec![(1, produce(Some(3), 1))]).contains("topic \"orders\" has no partition 3"));
    assert!(
        err(vec![(1, Input::StopProducer { producer: "ghost".into() })])
            .contains("producer \"ghost\" is not in the scenario")
    );
    // Caught when the file is read back: named by input, not by line.
    let e = err(vec![
        (1, crash("billing-1")),
        (2, Input::Seek { consumer: "audit-1".into(), partition: tp("orders", 7), offset: 0 }),
    ]);
    assert!(
        e.starts_with("input 2 at 2 ms (seek) cannot be written as a scenario file: ")
            && e.contains("partition orders-7 does not exist"),
        "{e}"
    );
    let e = err(vec![(5, Input::StartConsumer(ConsumerSpec::new("bad").property("max.poll.records", "0")))]);
    assert!(
        e.starts_with("input 1 at 5 ms (start) cannot be written as a scenario file: ")
            && e.contains("max.poll.records"),
        "{e}"
    );
}

#[test]
fn inputs_past_the_planned_end_extend_it() {
    let s = Scenario::parse(&load("seek")).unwrap();
    assert_eq!(s.until_ms, 16_000);
    let inside = s.with_inputs(&[(15_000, crash("c1"))]).unwrap();
    assert_eq!(inside.until_ms, 16_000);
    let past = s.with_inputs(&[(20_000, crash("c1"))]).unwrap();
    assert_eq!(past.until_ms, 50_000);
    assert_eq!(s.with_inputs(&[]).unwrap(), s);
}

#[test]
fn awkward_strings_and_values_survive() {
    let text = r#"version = 1
name = "Quotes \" and \\ backslashes\nand a new line"
description = "tab\there, unicode ✓"
seed = 9223372036854775807
until_ms = 1

[broker]
group.initial.rebalance.delay.ms = 0
"group.max.session.timeout.ms" = 50000

[[topics]]
name = "orders-eu"
partitions = 3

[[producers]]
id = "p \"1\""
topic = "orders-eu"
rate_per_sec = 3
count = 4
start_ms = 7
keys = { cycle = ["", "ä", "\u0001"] }
partition = 2
value_bytes = 0
batch_size = 1
autostart = false

[[consumers]]
id = "c.1"
assign = ["orders-eu-2", "orders-eu-0"]
commit = "sync_before_processing"
poll_timeout_ms = 1
autostart = false
start_ms = 3
[consumers.config]
group.id = "g"
"client.id" = "007"
max.poll.records = 10
enable.auto.commit = false
partition.assignment.strategy = ["sticky", " range"]

[[consumers]]
id = "c2"
subscribe = []
[consumers.config]
"group.id" = "-5x"

[[actions]]
at_ms = 0
action = "start_producer"
producer = "p \"1\""

[[actions]]
at_ms = 0
after_timers = true
action = "change_config"
consumer = "c.1"
config = { "max.poll.records" = "", "fetch.max.wait.ms" = 0 }

[[actions]]
at_ms = 5
action = "produce"
topic = "orders-eu"
key = ""
value = "v\n"
count = 3

[[actions]]
at_ms = 6
action = "delete_records"
partition = "orders-eu-1"
offset = -1

[[actions]]
at_ms = 7
action = "seek_to_end"
consumer = "c.1"
partitions = []
"#;
    let s = Scenario::parse(text).unwrap();
    let written = s.to_toml();
    assert_eq!(Scenario::parse(&written).unwrap(), s, "{written}");
    assert!(written.contains("\"client.id\" = \"007\""), "{written}");
    assert!(written.contains("\"partition.assignment.strategy\" = [\"sticky\", \" range\"]"), "{written}");
}

#[test]
fn after_timers_steps_come_last_in_their_millisecond() {
    let s = Scenario::parse(
        r#"version = 1
[[topics]]
name = "t"
partitions = 1
[[producers]]
id = "p"
topic = "t"
rate_per_sec = 1
start_ms = 5
autostart = false
[[consumers]]
id = "c"
assign = ["t-0"]
[[actions]]
at_ms = 5
after_timers = true
action = "crash"
consumer = "c"
[[actions]]
at_ms = 5
action = "start_producer"
producer = "p"
[[consumers]]
id = "late"
assign = ["t-0"]
start_ms = 5
"#,
    )
    .unwrap();
    let steps = s.steps();
    let order: Vec<(u64, &str)> = steps
        .iter()
        .map(|step| {
            let what = match &step.action {
                StepAction::StartConsumer(c) => c.id.as_str(),
                StepAction::StartProducer(p) => p.id.as_str(),
                StepAction::Input(Input::Crash { .. }) => "crash",
                StepAction::Input(_) => "other",
            };
            (step.at_ms, what)
        })
        .collect();
    // p does not start by itself; at 5 ms: late (a consumer entry), then
    // start_producer (file order), then the crash (after_timers).
    assert_eq!(order, vec![(0, "c"), (5, "late"), (5, "p"), (5, "crash")]);
    assert_eq!(s.until_ms, 30_005);
}
