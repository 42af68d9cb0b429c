//! Helpers shared by the model's integration tests.
#![allow(dead_code)]
// Native tests: std's sorts stay out of the wasm (clippy.toml).
#![allow(clippy::disallowed_methods)]

use offsetlab_model::{BrokerConfig, ConsumerSpec, Input, Model, ModelConfig};
use offsetlab_protocol::{Event, EventKind, TopicPartition};

pub fn tp(topic: &str, partition: i32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

/// A model with these topics and no initial rebalance delay (so tests need
/// not wait 3 s for the first assignment).
pub fn model(topics: &[(&str, i32)]) -> Model {
    model_with(topics, 0)
}

pub fn model_with(topics: &[(&str, i32)], initial_delay_ms: u64) -> Model {
    let broker =
        BrokerConfig { group_initial_rebalance_delay_ms: initial_delay_ms, ..BrokerConfig::default() };
    Model::new(ModelConfig {
        seed: 1,
        broker,
        topics: topics.iter().map(|(t, p)| (t.to_string(), *p)).collect(),
    })
    .unwrap()
}

/// A group consumer subscribed to `topics`, reading from the earliest offset.
pub fn group_consumer(id: &str, group: &str, topics: &[&str]) -> ConsumerSpec {
    ConsumerSpec::new(id)
        .property("group.id", group)
        .property("auto.offset.reset", "earliest")
        .subscribe(topics.iter().copied())
}

pub fn produce(m: &mut Model, topic: &str, partition: Option<i32>, key: Option<&str>, count: u32, at: u64) {
    m.handle(
        Input::Produce { topic: topic.into(), partition, key: key.map(Into::into), value: None, count },
        at,
    )
    .unwrap();
}

pub fn drain(m: &mut Model) -> Vec<Event> {
    std::iter::from_fn(|| m.poll_event()).collect()
}

/// (partition, offset) of every record `consumer` processed, in order.
pub fn processed(events: &[Event], consumer: &str) -> Vec<(i32, i64)> {
    let mut out = Vec::new();
    for e in events {
        if let EventKind::RecordsProcessed { consumer: c, partition, first_offset, count, .. } = &e.kind
            && c == consumer
        {
            for o in *first_offset..first_offset + i64::from(*count) {
                out.push((*partition, o));
            }
        }
    }
    out
}

pub fn count_kind(events: &[Event], type_name: &str) -> usize {
    events.iter().filter(|e| e.kind.type_name() == type_name).count()
}

pub fn first<'a>(events: &'a [Event], type_name: &str) -> Option<&'a Event> {
    events.iter().find(|e| e.kind.type_name() == type_name)
}

/// static/scenarios, found at run time: `env!("CARGO_MANIFEST_DIR")` is baked
/// in when the test is built, so a build directory shared by two checkouts
/// (a kept CI machine) would read the other checkout's files.
pub fn scenarios_dir() -> String {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
    format!("{manifest_dir}/../../static/scenarios")
}

pub fn load(name: &str) -> String {
    let path = format!("{}/{name}.toml", scenarios_dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every built-in scenario (static/scenarios/*.toml), by file name, sorted.
pub fn built_in() -> Vec<String> {
    let dir = scenarios_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "toml").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}
