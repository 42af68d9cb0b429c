//! Export, property-tested:
//! - any scenario written with `to_toml` reads back as itself;
//! - a built-in scenario plus random actions of a person, exported with
//!   `with_inputs(..).to_toml()`, replays the same event stream as the run
//!   the person saw.
//!
//! proptest prints the failing case and persists it.

use std::collections::BTreeMap;

use offsetlab_model::guide::{Bound, Check, Count, ExpectTarget, Expectation, Guide, GuideStep, TargetKind};
use offsetlab_model::scenario::{ConsumerEntry, ProducerEntry, ScenarioRun, SourceLine, Step, StepAction};
use offsetlab_model::{
    BrokerConfig, ConsumerError, ConsumerSpec, ConsumerStatus, Input, KeyPattern, ModelConfig, ProducerSpec,
    Scenario, Subscription,
};
use offsetlab_protocol::{CommitStrategy, Event, GroupState, TopicPartition};
use proptest::prelude::*;

// The model's own test helpers: one list of built-in scenarios for both.
#[path = "../../model/tests/common/mod.rs"]
mod common;
use common::{built_in, load};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

// -- generated scenarios --------------------------------------------------

#[derive(Clone, Debug)]
struct RawProducer {
    topic: usize,
    rate: u32,
    count: Option<u64>,
    keys: u8,
    key_list: Vec<String>,
    partition: Option<u8>,
    value_bytes: Option<u32>,
    batch: Option<u32>,
    start_ms: u64,
    autostart: bool,
}

#[derive(Clone, Debug)]
struct RawConsumer {
    mode: u8,
    topics: Vec<bool>,
    partitions: Vec<(usize, u8)>,
    props: Vec<(u8, u32)>,
    client_id: Option<String>,
    processing_ms: u64,
    commit: usize,
    poll_timeout_ms: u64,
    start_ms: u64,
    autostart: bool,
}

#[derive(Clone, Debug)]
struct RawAction {
    at_ms: u64,
    after_timers: bool,
    kind: u8,
    who: usize,
    topic: usize,
    partition: u8,
    offset: i64,
    count: u32,
    key: Option<String>,
    value: Option<String>,
    change: (u8, u32),
}

#[derive(Clone, Debug)]
struct RawGuide {
    texts: (String, Option<String>, String, Option<String>),
    steps: Vec<RawStep>,
}

#[derive(Clone, Debug)]
struct RawStep {
    at_ms: u64,
    text: String,
    text_ko: Option<String>,
    expect: Option<RawExpect>,
}

/// (a group rather than a consumer, which one, checks as (kind, n))
type RawExpect = (bool, usize, Vec<(u8, u64)>);

/// Property values that are valid whatever else a consumer sets.
fn property(choice: u8, n: u32) -> (&'static str, String) {
    match choice % 7 {
        0 => ("max.poll.records", (1 + n % 1000).to_string()),
        1 => ("fetch.max.wait.ms", (n % 2000).to_string()),
        2 => ("auto.offset.reset", ["earliest", "latest", "none"][n as usize % 3].to_string()),
        3 => (
            "partition.assignment.strategy",
            [
                "range",
                "cooperative-sticky",
                "cooperative-sticky,range",
                "roundrobin, sticky",
                "org.apache.kafka.clients.consumer.StickyAssignor",
            ][n as usize % 5]
                .to_string(),
        ),
        4 => ("fetch.min.bytes", (n % 100_000).to_string()),
        5 => ("auto.commit.interval.ms", (n % 100_000).to_string()),
        _ => ("max.partition.fetch.bytes", (1 + n % 1_000_000_000).to_string()),
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z ]{0,12}",
        "[가-힣 ,.]{0,12}",
        any::<String>(),
        Just("\"\\\n\t'''\"\"\"#[x]".to_string()),
    ]
}

fn raw_producer() -> impl Strategy<Value = RawProducer> {
    (
        (
            0usize..4,
            1u32..2000,
            proptest::option::of(0u64..1000),
            0u8..3,
            proptest::collection::vec(text(), 1..3),
        ),
        (
            proptest::option::of(0u8..8),
            proptest::option::of(any::<u32>()),
            proptest::option::of(1u32..100_000),
            0u64..100_000,
            any::<bool>(),
        ),
    )
        .prop_map(
            |((topic, rate, count, keys, key_list), (partition, value_bytes, batch, start_ms, autostart))| {
                RawProducer {
                    topic,
                    rate,
                    count,
                    keys,
                    key_list,
                    partition,
                    value_bytes,
                    batch,
                    start_ms,
                    autostart,
                }
            },
        )
}

fn raw_consumer() -> impl Strategy<Value = RawConsumer> {
    (
        (
            0u8..3,
            proptest::collection::vec(any::<bool>(), 4),
            proptest::collection::vec((0usize..4, 0u8..8), 0..4),
            proptest::collection::vec((any::<u8>(), any::<u32>()), 0..4),
            proptest::option::of(text()),
        ),
        (
            prop_oneof![Just(0u64), 0u64..1000],
            0usize..5,
            prop_oneof![Just(100u64), 1u64..5000],
            0u64..100_000,
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (mode, topics, partitions, props, client_id),
                (processing_ms, commit, poll_timeout_ms, start_ms, autostart),
            )| {
                RawConsumer {
                    mode,
                    topics,
                    partitions,
                    props,
                    client_id,
                    processing_ms,
                    commit,
                    poll_timeout_ms,
                    start_ms,
                    autostart,
                }
            },
        )
}

fn raw_guide() -> impl Strategy<Value = RawGuide> {
    let step = (
        0u64..200_000,
        text(),
        proptest::option::of(text()),
        proptest::option::of((
            any::<bool>(),
            0usize..8,
            proptest::collection::vec((any::<u8>(), 0u64..1_000_000), 1..5),
        )),
    )
        .prop_map(|(at_ms, text, text_ko, expect)| RawStep { at_ms, text, text_ko, expect });
    (
        (text(), proptest::option::of(text()), text(), proptest::option::of(text())),
        proptest::collection::vec(step, 0..6),
    )
        .prop_map(|(texts, steps)| RawGuide { texts, steps })
}

/// One check of an expectation about a group (`group`) or a consumer.
fn raw_check(group: bool, kind: u8, n: u64, tp: &dyn Fn(u64) -> TopicPartition) -> Check {
    let bound = |n: u64| match n % 3 {
        0 => Bound::Exactly(n),
        1 => Bound::AtLeast(n),
        _ => Bound::AtMost(n),
    };
    let states = [
        GroupState::Empty,
        GroupState::PreparingRebalance,
        GroupState::CompletingRebalance,
        GroupState::Stable,
    ];
    let statuses =
        [ConsumerStatus::Running, ConsumerStatus::Crashed, ConsumerStatus::Closed, ConsumerStatus::Failed];
    let offsets = |n: u64| BTreeMap::from([(tp(n), (n / 7) as i64), (tp(n / 3), (n / 11) as i64)]);
    if group {
        match kind % 4 {
            0 => Check::State(states[n as usize % states.len()]),
            1 => Check::Committed(offsets(n)),
            _ => {
                let counts: Vec<Count> =
                    Count::ALL.into_iter().filter(|c| c.applies_to(TargetKind::Group)).collect();
                Check::Count(counts[kind as usize % counts.len()], bound(n))
            }
        }
    } else {
        match kind % 9 {
            0 => Check::Status(statuses[n as usize % statuses.len()]),
            1 => Check::Member(n.is_multiple_of(2)),
            2 => {
                let mut ps: Vec<TopicPartition> = (0..n % 3).map(|i| tp(n + i)).collect();
                ps.sort();
                ps.dedup();
                Check::Partitions(ps)
            }
            3 => Check::Position(offsets(n)),
            4 => Check::InProduceOrder(n.is_multiple_of(2)),
            5 => Check::InPartitionOrder(!n.is_multiple_of(2)),
            6 => Check::Error(ConsumerError::ALL[n as usize % ConsumerError::ALL.len()]),
            _ => {
                let counts: Vec<Count> =
                    Count::ALL.into_iter().filter(|c| c.applies_to(TargetKind::Consumer)).collect();
                Check::Count(counts[kind as usize % counts.len()], bound(n))
            }
        }
    }
}

fn raw_action() -> impl Strategy<Value = RawAction> {
    (
        (0u64..100_000, any::<bool>(), 0u8..19, 0usize..8, 0usize..4, 0u8..8),
        (
            -1i64..1000,
            1u32..100,
            proptest::option::of(text()),
            proptest::option::of(text()),
            (any::<u8>(), any::<u32>()),
        ),
    )
        .prop_map(
            |((at_ms, after_timers, kind, who, topic, partition), (offset, count, key, value, change))| {
                RawAction {
                    at_ms,
                    after_timers,
                    kind,
                    who,
                    topic,
                    partition,
                    offset,
                    count,
                    key,
                    value,
                    change,
                }
            },
        )
}

#[allow(clippy::too_many_arguments)]
fn build(
    seed: u64,
    texts: (String, String, Option<String>, Option<String>),
    broker: (u64, u64, u64),
    topics: Vec<(u8, i32)>,
    producers: Vec<RawProducer>,
    consumers: Vec<RawConsumer>,
    actions: Vec<RawAction>,
    until_ms: u64,
    guide: Option<RawGuide>,
) -> Scenario {
    const NAMES: [&str; 6] = ["orders", "t", "orders-eu", "a.b_c", "주문", "x-1"];
    let mut topic_list: Vec<(String, i32)> = Vec::new();
    for (n, p) in topics {
        let name = NAMES[n as usize % NAMES.len()].to_string();
        if !topic_list.iter().any(|(t, _)| *t == name) {
            topic_list.push((name, p));
        }
    }
    let topic = |i: usize| &topic_list[i % topic_list.len()];
    let tp = |t: usize, p: u8| {
        let (name, n) = topic(t);
        TopicPartition::new(name.clone(), i32::from(p) % n)
    };

    let producers: Vec<ProducerEntry> = producers
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let (name, n) = topic(p.topic);
            ProducerEntry {
                spec: ProducerSpec {
                    id: format!("p{i}"),
                    topic: name.clone(),
                    rate_per_sec: p.rate,
                    count: p.count,
                    keys: match p.keys {
                        0 => KeyPattern::None,
                        1 => KeyPattern::Cycle(p.key_list),
                        _ => KeyPattern::Random(1 + p.rate),
                    },
                    partition: p.partition.map(|x| i32::from(x) % n),
                    value_bytes: p.value_bytes,
                    batch_size_bytes: p.batch.unwrap_or(16_384),
                },
                start_ms: p.start_ms,
                autostart: p.autostart,
                line: SourceLine(None),
            }
        })
        .collect();

    let consumers: Vec<ConsumerEntry> = consumers
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut spec = ConsumerSpec::new(format!("c{i}"));
            let commit = CommitStrategy::ALL[c.commit];
            spec.subscription = match c.mode {
                0 => Subscription::None,
                1 => Subscription::Topics(
                    topic_list
                        .iter()
                        .zip(&c.topics)
                        .filter(|(_, on)| **on)
                        .map(|((t, _), _)| t.clone())
                        .collect(),
                ),
                _ => Subscription::Partitions(c.partitions.iter().map(|(t, p)| tp(*t, *p)).collect()),
            };
            if matches!(spec.subscription, Subscription::Topics(_))
                || commit != CommitStrategy::Auto
                || i % 2 == 0
            {
                spec = spec.property("group.id", format!("g{}", i % 3));
            }
            for (choice, n) in c.props {
                let (k, v) = property(choice, n);
                spec = spec.property(k, v);
            }
            if let Some(id) = c.client_id {
                spec = spec.property("client.id", id);
            }
            spec.processing_ms = c.processing_ms;
            spec.commit = commit;
            spec.poll_timeout_ms = c.poll_timeout_ms;
            ConsumerEntry { spec, start_ms: c.start_ms, autostart: c.autostart, line: SourceLine(None) }
        })
        .collect();

    let actions: Vec<Step> = actions
        .into_iter()
        .filter_map(|a| {
            let action = |a: &RawAction| -> Option<StepAction> {
                let consumer = consumers.get(a.who % consumers.len().max(1));
                let producer = producers.get(a.who % producers.len().max(1));
                let c = || consumer.map(|c| c.spec.id.clone());
                let partitions = vec![tp(a.topic, a.partition), tp(a.topic + 1, a.partition / 2)];
                let input = match a.kind {
                    0 => return consumer.map(|c| StepAction::StartConsumer(c.spec.clone())),
                    1 => Input::Crash { consumer: c()? },
                    2 => Input::Close { consumer: c()? },
                    3 => Input::StopPolling { consumer: c()? },
                    4 => Input::ResumePolling { consumer: c()? },
                    5 => Input::Pause { consumer: c()?, partitions },
                    6 => Input::Resume { consumer: c()?, partitions: vec![] },
                    7 => Input::Seek {
                        consumer: c()?,
                        partition: tp(a.topic, a.partition),
                        offset: a.offset.max(0),
                    },
                    8 => Input::SeekToBeginning { consumer: c()?, partitions: vec![] },
                    9 => Input::SeekToEnd { consumer: c()?, partitions },
                    10 => Input::Assign { consumer: c()?, partitions },
                    11 => Input::Subscribe { consumer: c()?, topics: vec![topic(a.topic).0.clone()] },
                    12 => Input::Unsubscribe { consumer: c()? },
                    13 => Input::CommitSync { consumer: c()? },
                    14 => {
                        let (k, v) = property(a.change.0, a.change.1);
                        let v = if a.change.1.is_multiple_of(5) { String::new() } else { v };
                        Input::ChangeConfig { consumer: c()?, changes: BTreeMap::from([(k.to_string(), v)]) }
                    }
                    15 => Input::Produce {
                        topic: topic(a.topic).0.clone(),
                        partition: a.partition.is_multiple_of(2).then(|| tp(a.topic, a.partition).partition),
                        key: a.key.clone(),
                        value: a.value.clone(),
                        count: a.count,
                    },
                    16 => {
                        Input::DeleteRecords { partition: tp(a.topic, a.partition), before_offset: a.offset }
                    }
                    17 => return producer.map(|p| StepAction::StartProducer(p.spec.clone())),
                    _ => Input::StopProducer { producer: producer?.spec.id.clone() },
                };
                Some(StepAction::Input(input))
            };
            action(&a).map(|action| Step {
                at_ms: a.at_ms,
                after_timers: a.after_timers,
                line: SourceLine(None),
                action,
            })
        })
        .collect();
    let groups: Vec<String> = {
        let mut g: Vec<String> =
            consumers.iter().filter_map(|c| c.spec.properties.get("group.id").cloned()).collect();
        g.sort();
        g.dedup();
        g
    };
    let guide = guide.map(|g| {
        let mut steps: Vec<GuideStep> = g
            .steps
            .into_iter()
            .map(|s| {
                let expect = s.expect.and_then(|(group, who, checks)| {
                    let target = if group {
                        ExpectTarget::Group(groups.get(who % groups.len().max(1))?.clone())
                    } else {
                        ExpectTarget::Consumer(consumers.get(who % consumers.len().max(1))?.spec.id.clone())
                    };
                    let is_group = matches!(target, ExpectTarget::Group(_));
                    let tp = |n: u64| tp(n as usize, (n / 4) as u8);
                    let mut list: Vec<Check> = Vec::new();
                    for (kind, n) in checks {
                        let c = raw_check(is_group, kind, n, &tp);
                        if !list.iter().any(|x| x.key() == c.key()) {
                            list.push(c);
                        }
                    }
                    Some(Expectation::new(target, list))
                });
                GuideStep {
                    at_ms: s.at_ms.min(until_ms),
                    text: s.text,
                    text_ko: s.text_ko,
                    expect,
                    line: SourceLine(None),
                }
            })
            .collect();
        steps.sort_by_key(|s| s.at_ms);
        let (question, question_ko, explanation, explanation_ko) = g.texts;
        Guide { question, question_ko, explanation, explanation_ko, steps }
    });
    Scenario {
        name: texts.0,
        description: texts.1,
        name_ko: texts.2,
        description_ko: texts.3,
        config: ModelConfig {
            seed,
            broker: BrokerConfig {
                group_initial_rebalance_delay_ms: broker.0,
                group_min_session_timeout_ms: broker.1,
                group_max_session_timeout_ms: broker.2,
            },
            topics: topic_list,
        },
        until_ms,
        producers,
        consumers,
        actions,
        guide,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn written_scenarios_read_back_as_themselves(
        seed in 0..=i64::MAX as u64,
        texts in (text(), text(), proptest::option::of(text()), proptest::option::of(text())),
        broker in (prop_oneof![Just(3000u64), 0u64..10_000], prop_oneof![Just(6000u64), 0u64..45_000], prop_oneof![Just(1_800_000u64), 45_000u64..2_000_000]),
        topics in proptest::collection::vec((any::<u8>(), 1i32..9), 1..4),
        producers in proptest::collection::vec(raw_producer(), 0..4),
        consumers in proptest::collection::vec(raw_consumer(), 0..5),
        actions in proptest::collection::vec(raw_action(), 0..12),
        until_ms in 0..=i64::MAX as u64,
        guide in proptest::option::of(raw_guide()),
    ) {
        let s = build(seed, texts, broker, topics, producers, consumers, actions, until_ms, guide);
        let written = s.to_toml();
        let back = Scenario::parse(&written);
        prop_assert!(back.is_ok(), "{}\n--- written:\n{written}", back.unwrap_err());
        let back = back.unwrap();
        prop_assert_eq!(&back, &s, "{}", written);
        prop_assert_eq!(back.to_toml(), written);
    }
}

// -- a person's actions, exported and replayed ----------------------------

/// What a person does, resolved against the run when it happens.
#[derive(Clone, Debug)]
enum Person {
    Wait(u64),
    Crash(usize),
    Close(usize),
    StopPolling(usize),
    ResumePolling(usize),
    CommitSync(usize),
    /// Start a consumer again with the spec the model has for it.
    Restart(usize),
    AddConsumer {
        group: usize,
        processing_ms: u64,
        commit: usize,
    },
    AddProducer {
        topic: usize,
        rate: u32,
        keys: u8,
    },
    StopProducer(usize),
    Produce {
        topic: usize,
        partition: Option<u8>,
        key: Option<u8>,
        count: u32,
    },
    Seek {
        consumer: usize,
        partition: u8,
        offset: i64,
    },
    SeekToBeginning(usize),
    SeekToEnd(usize),
    Pause {
        consumer: usize,
        partition: u8,
    },
    Resume {
        consumer: usize,
        partition: u8,
    },
    MaxPollRecords {
        consumer: usize,
        records: u32,
    },
    DeleteRecords {
        topic: usize,
        partition: u8,
        offset: i64,
    },
    Unsubscribe(usize),
    Subscribe {
        consumer: usize,
        topic: usize,
    },
}

fn person() -> impl Strategy<Value = Person> {
    let c = 0usize..12;
    prop_oneof![
        6 => prop_oneof![Just(0u64), 1u64..4000].prop_map(Person::Wait),
        2 => c.clone().prop_map(Person::Crash),
        1 => c.clone().prop_map(Person::Close),
        1 => c.clone().prop_map(Person::StopPolling),
        1 => c.clone().prop_map(Person::ResumePolling),
        1 => c.clone().prop_map(Person::CommitSync),
        2 => c.clone().prop_map(Person::Restart),
        1 => (0usize..4, prop_oneof![Just(0u64), 1u64..200], 0usize..5).prop_map(|(group, processing_ms, commit)| Person::AddConsumer { group, processing_ms, commit }),
        1 => (0usize..3, 1u32..50, 0u8..3).prop_map(|(topic, rate, keys)| Person::AddProducer { topic, rate, keys }),
        1 => (0usize..4).prop_map(Person::StopProducer),
        2 => (0usize..3, proptest::option::of(0u8..8), proptest::option::of(0u8..5), 1u32..20).prop_map(|(topic, partition, key, count)| Person::Produce { topic, partition, key, count }),
        1 => (c.clone(), 0u8..8, 0i64..60).prop_map(|(consumer, partition, offset)| Person::Seek { consumer, partition, offset }),
        1 => c.clone().prop_map(Person::SeekToBeginning),
        1 => c.clone().prop_map(Person::SeekToEnd),
        1 => (c.clone(), 0u8..8).prop_map(|(consumer, partition)| Person::Pause { consumer, partition }),
        1 => (c.clone(), 0u8..8).prop_map(|(consumer, partition)| Person::Resume { consumer, partition }),
        1 => (c.clone(), 1u32..50).prop_map(|(consumer, records)| Person::MaxPollRecords { consumer, records }),
        1 => (0usize..3, 0u8..8, -1i64..40).prop_map(|(topic, partition, offset)| Person::DeleteRecords { topic, partition, offset }),
        1 => c.clone().prop_map(Person::Unsubscribe),
        1 => (c, 0usize..3).prop_map(|(consumer, topic)| Person::Subscribe { consumer, topic }),
    ]
}

/// Runs `s` as the front end does, with a person acting at the current
/// virtual time after the model ran to it; scripted steps the model refuses
/// are skipped. Returns the events and the inputs the model accepted.
fn live(s: &Scenario, people: &[Person], until: u64) -> (Vec<Event>, Vec<(u64, Input)>, u64) {
    let mut run = ScenarioRun::new(s).unwrap();
    let topics: Vec<(String, i32)> = s.config.topics.clone();
    let mut consumers: Vec<String> = s.consumers.iter().map(|c| c.spec.id.clone()).collect();
    let mut groups: Vec<String> =
        s.consumers.iter().filter_map(|c| c.spec.properties.get("group.id").cloned()).collect();
    groups.push("ui-group".into());
    let mut producers: Vec<String> = Vec::new();
    let mut now = 0;
    let mut accepted = Vec::new();
    for p in people {
        let c = |i: &usize| consumers[i % consumers.len()].clone();
        let t = |i: &usize| &topics[i % topics.len()];
        let tp = |i: &usize, p: &u8| {
            let (name, n) = t(i);
            TopicPartition::new(name.clone(), i32::from(*p) % n)
        };
        let input = match p {
            Person::Wait(ms) => {
                now += ms;
                continue;
            }
            Person::Crash(i) => Input::Crash { consumer: c(i) },
            Person::Close(i) => Input::Close { consumer: c(i) },
            Person::StopPolling(i) => Input::StopPolling { consumer: c(i) },
            Person::ResumePolling(i) => Input::ResumePolling { consumer: c(i) },
            Person::CommitSync(i) => Input::CommitSync { consumer: c(i) },
            Person::Restart(i) => {
                let id = c(i);
                let spec = run
                    .model
                    .consumer_spec(&id)
                    .cloned()
                    .or_else(|| s.consumers.iter().find(|e| e.spec.id == id).map(|e| e.spec.clone()))
                    .unwrap();
                Input::StartConsumer(spec)
            }
            Person::AddConsumer { group, processing_ms, commit } => {
                let id = format!("ui-c{}", consumers.len());
                consumers.push(id.clone());
                let mut spec = ConsumerSpec::new(id)
                    .property("group.id", &groups[group % groups.len()])
                    .property("auto.offset.reset", "earliest")
                    .subscribe([t(group).0.clone()])
                    .processing_ms(*processing_ms)
                    .commit(CommitStrategy::ALL[*commit]);
                if *commit != 0 {
                    spec = spec.property("enable.auto.commit", "false");
                }
                Input::StartConsumer(spec)
            }
            Person::AddProducer { topic, rate, keys } => {
                let id = format!("ui-p{}", producers.len());
                producers.push(id.clone());
                Input::StartProducer(ProducerSpec {
                    keys: match keys {
                        0 => KeyPattern::None,
                        1 => KeyPattern::Cycle(vec!["a".into(), "b".into()]),
                        _ => KeyPattern::Random(7),
                    },
                    ..ProducerSpec::new(id, t(topic).0.clone(), *rate)
                })
            }
            Person::StopProducer(i) => {
                if producers.is_empty() {
                    continue;
                }
                Input::StopProducer { producer: producers[i % producers.len()].clone() }
            }
            Person::Produce { topic, partition, key, count } => Input::Produce {
                topic: t(topic).0.clone(),
                partition: partition.map(|p| tp(topic, &p).partition),
                key: key.map(|k| format!("k{k}")),
                value: None,
                count: *count,
            },
            Person::Seek { consumer, partition, offset } => {
                Input::Seek { consumer: c(consumer), partition: tp(consumer, partition), offset: *offset }
            }
            Person::SeekToBeginning(i) => Input::SeekToBeginning { consumer: c(i), partitions: vec![] },
            Person::SeekToEnd(i) => Input::SeekToEnd { consumer: c(i), partitions: vec![] },
            Person::Pause { consumer, partition } => {
                Input::Pause { consumer: c(consumer), partitions: vec![tp(consumer, partition)] }
            }
            Person::Resume { consumer, partition } => {
                Input::Resume { consumer: c(consumer), partitions: vec![tp(consumer, partition)] }
            }
            Person::MaxPollRecords { consumer, records } => Input::ChangeConfig {
                consumer: c(consumer),
                changes: BTreeMap::from([("max.poll.records".to_string(), records.to_string())]),
            },
            Person::DeleteRecords { topic, partition, offset } => {
                Input::DeleteRecords { partition: tp(topic, partition), before_offset: *offset }
            }
            Person::Unsubscribe(i) => Input::Unsubscribe { consumer: c(i) },
            Person::Subscribe { consumer, topic } => {
                Input::Subscribe { consumer: c(consumer), topics: vec![t(topic).0.clone()] }
            }
        };
        while run.advance(now).is_err() {}
        if run.model.handle(input.clone(), now).is_ok() {
            accepted.push((now, input));
        }
    }
    let until = until.max(now + 5000);
    while run.advance(until).is_err() {}
    (std::iter::from_fn(|| run.model.poll_event()).collect(), accepted, until)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn an_exported_run_replays_what_the_person_saw(
        which in any::<usize>(),
        people in proptest::collection::vec(person(), 0..40),
    ) {
        let names = built_in();
        let name = names[which % names.len()].as_str();
        let s = Scenario::parse(&load(name)).unwrap();
        let (events, recorded, until) = live(&s, &people, s.until_ms);
        let exported = s.with_inputs(&recorded);
        prop_assert!(exported.is_ok(), "{name}: {}", exported.unwrap_err());
        let text = exported.unwrap().to_toml();
        let replay = Scenario::parse(&text).unwrap();
        let (replayed, _, _) = live(&replay, &[], until);
        if let Some(i) = events.iter().zip(&replayed).position(|(a, b)| a != b) {
            prop_assert!(false, "{name}: event {i} differs:\n  live:   {:?}\n  replay: {:?}\n--- exported:\n{text}", events[i], replayed[i]);
        }
        prop_assert_eq!(events.len(), replayed.len(), "{}", name);
    }
}
