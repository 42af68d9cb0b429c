//! Random action sequences against the model, checking its invariants after
//! every step:
//! - at most one owner per partition per group generation;
//! - committed offset ≤ high watermark;
//! - per consumer and partition, `poll()` returns consecutive offsets unless
//!   the position was moved, and records are processed in the order polled;
//! - delivery accounting agrees with the events (processed, duplicates, lost,
//!   skipped are disjoint and within the log).
//!
//! proptest prints the failing case (seed and inputs) and persists it; the
//! model's own seed is part of the generated case.

use std::collections::{BTreeMap, VecDeque};

use offsetlab_model::{BrokerConfig, ConsumerSpec, Input, Model, ModelConfig};
use offsetlab_protocol::{CommitStrategy, Event, EventKind, TopicPartition};
use proptest::prelude::*;

const TOPICS: &[(&str, i32)] = &[("t", 3), ("u", 2)];
const GROUP_CONSUMERS: usize = 4;

fn all_partitions() -> Vec<TopicPartition> {
    TOPICS.iter().flat_map(|(t, n)| (0..*n).map(move |p| TopicPartition::new(*t, p))).collect()
}

#[derive(Clone, Debug)]
struct ConsumerSetup {
    processing_ms: u64,
    commit: CommitStrategy,
    auto_commit: bool,
    strategy: &'static str,
    static_member: bool,
    max_poll_records: u32,
    reset: &'static str,
}

#[derive(Clone, Debug)]
enum Action {
    Advance(u64),
    Produce { topic: usize, key: Option<u8>, count: u32 },
    Crash(usize),
    Close(usize),
    Start(usize),
    StopPolling(usize),
    ResumePolling(usize),
    Seek { consumer: usize, partition: usize, offset: i64 },
    SeekToBeginning(usize),
    SeekToEnd(usize),
    Pause { consumer: usize, partition: usize },
    Resume { consumer: usize, partition: usize },
    Delete { partition: usize, offset_frac: u8 },
    ChangeMaxPollRecords { consumer: usize, records: u32 },
    CommitSync(usize),
}

fn setup() -> impl Strategy<Value = ConsumerSetup> {
    (
        prop_oneof![Just(0u64), Just(5), Just(50)],
        prop_oneof![
            Just(CommitStrategy::Auto),
            Just(CommitStrategy::SyncPerRecord),
            Just(CommitStrategy::SyncPerPoll),
            Just(CommitStrategy::AsyncPerPoll),
            Just(CommitStrategy::SyncBeforeProcessing),
        ],
        any::<bool>(),
        prop_oneof![Just("range"), Just("roundrobin"), Just("sticky"), Just("cooperative-sticky")],
        any::<bool>(),
        1u32..20,
        prop_oneof![Just("earliest"), Just("latest")],
    )
        .prop_map(
            |(processing_ms, commit, auto_commit, strategy, static_member, max_poll_records, reset)| {
                ConsumerSetup {
                    processing_ms,
                    commit,
                    auto_commit,
                    strategy,
                    static_member,
                    max_poll_records,
                    reset,
                }
            },
        )
}

/// Consumers 0..4 are in group "g" (subscribe both topics); consumer 4 is
/// "solo", assigned t-0 and u-1 with group "h".
fn action() -> impl Strategy<Value = Action> {
    let c = 0usize..GROUP_CONSUMERS + 1;
    let p = 0usize..5;
    prop_oneof![
        6 => (1u64..8000).prop_map(Action::Advance),
        4 => (0usize..2, proptest::option::of(0u8..6), 1u32..30).prop_map(|(topic, key, count)| Action::Produce { topic, key, count }),
        1 => c.clone().prop_map(Action::Crash),
        1 => c.clone().prop_map(Action::Close),
        2 => c.clone().prop_map(Action::Start),
        1 => c.clone().prop_map(Action::StopPolling),
        1 => c.clone().prop_map(Action::ResumePolling),
        1 => (c.clone(), p.clone(), 0i64..40).prop_map(|(consumer, partition, offset)| Action::Seek { consumer, partition, offset }),
        1 => c.clone().prop_map(Action::SeekToBeginning),
        1 => c.clone().prop_map(Action::SeekToEnd),
        1 => (c.clone(), p.clone()).prop_map(|(consumer, partition)| Action::Pause { consumer, partition }),
        1 => (c.clone(), p.clone()).prop_map(|(consumer, partition)| Action::Resume { consumer, partition }),
        1 => (p, any::<u8>()).prop_map(|(partition, offset_frac)| Action::Delete { partition, offset_frac }),
        1 => (c.clone(), 1u32..50).prop_map(|(consumer, records)| Action::ChangeMaxPollRecords { consumer, records }),
        1 => c.prop_map(Action::CommitSync),
    ]
}

fn consumer_id(i: usize) -> String {
    if i < GROUP_CONSUMERS { format!("c{i}") } else { "solo".to_string() }
}

fn spec(i: usize, s: &ConsumerSetup) -> ConsumerSpec {
    let mut spec = ConsumerSpec::new(consumer_id(i))
        .property("auto.offset.reset", s.reset)
        .property("enable.auto.commit", s.auto_commit)
        .property("auto.commit.interval.ms", 1000)
        .property("max.poll.records", s.max_poll_records)
        .property("session.timeout.ms", 6000)
        .property("heartbeat.interval.ms", 2000)
        .property("max.poll.interval.ms", 20_000)
        .processing_ms(s.processing_ms)
        .commit(s.commit);
    if i < GROUP_CONSUMERS {
        spec = spec
            .property("group.id", "g")
            .property("partition.assignment.strategy", s.strategy)
            .subscribe(["t", "u"]);
        if s.static_member {
            spec = spec.property("group.instance.id", format!("instance-{i}"));
        }
    } else {
        spec =
            spec.property("group.id", "h").assign([TopicPartition::new("t", 0), TopicPartition::new("u", 1)]);
    }
    spec
}

/// Folds the event stream and checks what it can see in it.
#[derive(Default)]
struct Checker {
    /// (consumer, partition) → where the next poll must start, if known.
    next_poll: BTreeMap<(String, TopicPartition), i64>,
    /// consumer → polled-but-unprocessed ranges, in order.
    in_hand: BTreeMap<String, VecDeque<(TopicPartition, i64, u32)>>,
    /// consumer → accounting key.
    key: BTreeMap<String, String>,
    /// accounting key → (records processed, of which redelivered, reported lost).
    totals: BTreeMap<String, (u64, u64, u64)>,
}

impl Checker {
    fn observe(&mut self, e: &Event) -> Result<(), String> {
        match &e.kind {
            EventKind::ConsumerStarted { consumer, group, .. } => {
                self.key.insert(consumer.clone(), group.clone().unwrap_or_else(|| consumer.clone()));
                self.in_hand.insert(consumer.clone(), VecDeque::new());
                self.next_poll.retain(|(c, _), _| c != consumer);
            }
            EventKind::ConsumerCrashed { consumer }
            | EventKind::ConsumerClosed { consumer }
            | EventKind::ConsumerFailed { consumer, .. } => {
                self.in_hand.insert(consumer.clone(), VecDeque::new());
            }
            EventKind::PositionChanged { consumer, topic, partition, offset, .. } => {
                self.next_poll
                    .insert((consumer.clone(), TopicPartition::new(topic.clone(), *partition)), *offset);
            }
            EventKind::PollReturned { consumer, records, .. } => {
                for r in records {
                    let tp = TopicPartition::new(r.topic.clone(), r.partition);
                    let k = (consumer.clone(), tp.clone());
                    if let Some(expected) = self.next_poll.get(&k)
                        && *expected != r.first_offset
                    {
                        return Err(format!(
                            "{} ms: {consumer} polled {tp} from {} but its position was {expected}",
                            e.at_ms, r.first_offset
                        ));
                    }
                    if r.keys.len() != r.count as usize {
                        return Err(format!("{consumer}: {} keys for {} records", r.keys.len(), r.count));
                    }
                    self.next_poll.insert(k, r.first_offset + i64::from(r.count));
                    self.in_hand.entry(consumer.clone()).or_default().push_back((
                        tp,
                        r.first_offset,
                        r.count,
                    ));
                }
            }
            EventKind::RecordsProcessed { consumer, topic, partition, first_offset, count, redelivered } => {
                let tp = TopicPartition::new(topic.clone(), *partition);
                let q = self.in_hand.entry(consumer.clone()).or_default();
                let Some(front) = q.front_mut() else {
                    return Err(format!(
                        "{} ms: {consumer} processed {tp} {first_offset} that no poll returned",
                        e.at_ms
                    ));
                };
                if front.0 != tp || front.1 != *first_offset || front.2 < *count {
                    return Err(format!(
                        "{} ms: {consumer} processed {tp} {first_offset}+{count}, but next in hand is {front:?}",
                        e.at_ms
                    ));
                }
                front.1 += i64::from(*count);
                front.2 -= count;
                if front.2 == 0 {
                    q.pop_front();
                }
                let key = self.key[consumer].clone();
                let t = self.totals.entry(key).or_default();
                t.0 += u64::from(*count);
                t.1 += u64::from(*redelivered);
            }
            EventKind::RecordsLost { group, count, .. } => {
                self.totals.entry(group.clone()).or_default().2 += u64::from(*count);
            }
            EventKind::RebalanceCompleted { assignments, group, generation, .. } => {
                let mut seen = BTreeMap::new();
                for a in assignments {
                    for tp in &a.partitions {
                        if let Some(other) = seen.insert(tp.clone(), a.member_id.clone()) {
                            return Err(format!(
                                "{group} generation {generation}: {tp} assigned to {other} and {}",
                                a.member_id
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn check_state(m: &Model, checker: &Checker) -> Result<(), String> {
    // At most one owner per partition per group generation, in the consumers' own state.
    let mut owners: BTreeMap<(String, i32, TopicPartition), String> = BTreeMap::new();
    for id in m.consumer_ids() {
        let c = m.consumer(&id).unwrap();
        if c.generation < 0 || c.status != offsetlab_model::ConsumerStatus::Running {
            continue;
        }
        let Some(group) = &c.group else { continue };
        for p in &c.partitions {
            if let Some(other) = owners.insert((group.clone(), c.generation, p.partition.clone()), id.clone())
            {
                return Err(format!(
                    "{group} generation {}: {} owned by {other} and {id}",
                    c.generation, p.partition
                ));
            }
        }
    }
    // Committed offset ≤ high watermark.
    for g in m.group_ids() {
        for (tp, committed) in m.group_view(&g).unwrap().committed {
            let hw = m.partition_log(&tp).unwrap().high_watermark();
            if committed > hw {
                return Err(format!("{g}: committed {committed} > high watermark {hw} on {tp}"));
            }
        }
    }
    // Accounting agrees with the events.
    let accounting = m.accounting();
    for (key, parts) in &accounting {
        let mut processings = 0;
        let mut duplicates = 0;
        let mut lost = 0;
        for (tp, a) in parts {
            let hw = m.partition_log(tp).unwrap().high_watermark() as u64;
            if a.processed + a.lost + a.skipped > hw {
                return Err(format!("{key} {tp}: {a:?} exceeds the high watermark {hw}"));
            }
            processings += a.processed + a.duplicates;
            duplicates += a.duplicates;
            lost += a.lost;
        }
        let (p, d, l) = checker.totals.get(key).copied().unwrap_or_default();
        if (p, d) != (processings, duplicates) {
            return Err(format!(
                "{key}: events say {p} processings / {d} duplicates, accounting {processings} / {duplicates}"
            ));
        }
        if lost > l {
            return Err(format!("{key}: accounting has {lost} lost, events reported only {l}"));
        }
    }
    Ok(())
}

fn apply(m: &mut Model, now: &mut u64, a: &Action, setups: &[ConsumerSetup]) {
    let tps = all_partitions();
    let c = |i: &usize| consumer_id(*i);
    let input = match a {
        Action::Advance(ms) => {
            *now += ms;
            m.run_until(*now);
            return;
        }
        Action::Produce { topic, key, count } => Input::Produce {
            topic: TOPICS[*topic].0.into(),
            partition: None,
            key: key.map(|k| format!("k{k}")),
            value: None,
            count: *count,
        },
        Action::Crash(i) => Input::Crash { consumer: c(i) },
        Action::Close(i) => Input::Close { consumer: c(i) },
        Action::Start(i) => {
            Input::StartConsumer(m.consumer_spec(&c(i)).cloned().unwrap_or_else(|| spec(*i, &setups[*i])))
        }
        Action::StopPolling(i) => Input::StopPolling { consumer: c(i) },
        Action::ResumePolling(i) => Input::ResumePolling { consumer: c(i) },
        Action::Seek { consumer, partition, offset } => {
            Input::Seek { consumer: c(consumer), partition: tps[*partition].clone(), offset: *offset }
        }
        Action::SeekToBeginning(i) => Input::SeekToBeginning { consumer: c(i), partitions: vec![] },
        Action::SeekToEnd(i) => Input::SeekToEnd { consumer: c(i), partitions: vec![] },
        Action::Pause { consumer, partition } => {
            Input::Pause { consumer: c(consumer), partitions: vec![tps[*partition].clone()] }
        }
        Action::Resume { consumer, partition } => {
            Input::Resume { consumer: c(consumer), partitions: vec![tps[*partition].clone()] }
        }
        Action::Delete { partition, offset_frac } => {
            let tp = tps[*partition].clone();
            let hw = m.partition_log(&tp).unwrap().high_watermark();
            Input::DeleteRecords { partition: tp, before_offset: hw * i64::from(*offset_frac) / 255 }
        }
        Action::ChangeMaxPollRecords { consumer, records } => Input::ChangeConfig {
            consumer: c(consumer),
            changes: BTreeMap::from([("max.poll.records".to_string(), records.to_string())]),
        },
        Action::CommitSync(i) => Input::CommitSync { consumer: c(i) },
    };
    // Actions on consumers that are not running are rejected with an error:
    // that is the contract (no panic, no state change).
    let _ = m.handle(input, *now);
}

proptest! {
    // 64 cases by default; PROPTEST_CASES=5000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_for_random_action_sequences(
        seed in any::<u64>(),
        delay in prop_oneof![Just(0u64), Just(3000)],
        setups in proptest::collection::vec(setup(), GROUP_CONSUMERS + 1),
        actions in proptest::collection::vec(action(), 1..60),
    ) {
        let mut m = Model::new(ModelConfig {
            seed,
            broker: BrokerConfig { group_initial_rebalance_delay_ms: delay, ..BrokerConfig::default() },
            topics: TOPICS.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
        }).unwrap();
        let mut now = 0;
        for (i, s) in setups.iter().enumerate() {
            m.handle(Input::StartConsumer(spec(i, s)), 0).unwrap();
        }
        let mut checker = Checker::default();
        for (step, a) in actions.iter().chain(std::iter::once(&Action::Advance(60_000))).enumerate() {
            apply(&mut m, &mut now, a, &setups);
            while let Some(e) = m.poll_event() {
                if let Err(msg) = checker.observe(&e) {
                    prop_assert!(false, "seed {seed}, step {step} ({a:?}): {msg}");
                }
            }
            if let Err(msg) = check_state(&m, &checker) {
                prop_assert!(false, "seed {seed}, step {step} ({a:?}): {msg}");
            }
        }
    }
}
