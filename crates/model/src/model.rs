//! The sans-IO model: a broker with topic logs and classic group
//! coordinators, producers, and consumers running a poll loop.
//!
//! Driving it (like quinn-proto): feed actions with [`Model::handle`], run
//! internal timers with [`Model::handle_timeout`] (or [`Model::run_until`]),
//! ask [`Model::next_wakeup`] when time matters next, and drain
//! [`Model::poll_event`]. Time is virtual milliseconds; nothing here reads a
//! clock, does IO or asks the OS for randomness.
//!
//! Simplifications (the UI says so):
//! - One broker; it is every partition's leader and every group's
//!   coordinator. The high watermark is the log end offset (acks=all, no lag).
//! - Requests are answered instantly, except fetches, which take
//!   [`FETCH_ROUND_TRIP_MS`] and are held by the broker up to
//!   `fetch.max.wait.ms` until `fetch.min.bytes` are ready.
//! - One fetch in flight per consumer (there is one broker).
//! - JoinGroup and SyncGroup complete in the same millisecond once the
//!   coordinator has every member's JoinGroup.
//! - The group never becomes `Dead` (offsets do not expire).

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::Arc;

use offsetlab_protocol::{
    CommitKind, CommitStrategy, CommitTrigger, Event, EventKind, EvictReason, FetchedRange, GroupState,
    KafkaError, Key, LeaveReason, MemberAssignment, PartitionOffset, PolledRange, PositionReason,
    ProducedRecord, RebalanceProtocol, TopicPartition,
};

use crate::accounting::{Accounts, PartitionAccount, Tally};
use crate::assignor::{self, AssignmentStrategy, MemberSubscription};
use crate::config::{BrokerConfig, ConfigError, ConsumerConfig, OffsetReset};
use crate::log::{PartitionLog, RECORD_OVERHEAD_BYTES, Record, Topic};
use crate::partitioner::{StickyPartitioner, partition_for_key};
use crate::rng::Pcg32;
use crate::stats::{ConsumerError, ConsumerStats};
use crate::vec_map::VecMap;

/// Network round trip of a fetch. It keeps a consumer with
/// `fetch.min.bytes = 0` and nothing to read from spinning within one
/// millisecond.
pub const FETCH_ROUND_TRIP_MS: u64 = 1;

/// The application's `poll(Duration)` timeout when a scenario names none.
pub const DEFAULT_POLL_TIMEOUT_MS: u64 = 100;

/// Kafka's `batch.size` default, used by the sticky partitioner.
pub const DEFAULT_BATCH_SIZE_BYTES: u32 = crate::partitioner::DEFAULT_BATCH_SIZE_BYTES;

/// What a consumer reads: topics through a group, partitions by hand, or nothing yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscription {
    /// `subscribe(topics)`: group management.
    Topics(Vec<String>),
    /// `assign(partitions)`: no group membership.
    Partitions(Vec<TopicPartition>),
    None,
}

/// A consumer application: Kafka properties plus what the application does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerSpec {
    pub id: String,
    /// Kafka property names → values, e.g. `"max.poll.records" → "10"`.
    pub properties: BTreeMap<String, String>,
    pub subscription: Subscription,
    /// Time the application spends per record.
    pub processing_ms: u64,
    pub commit: CommitStrategy,
    /// The timeout the application passes to `poll()`.
    pub poll_timeout_ms: u64,
}

impl ConsumerSpec {
    pub fn new(id: impl Into<String>) -> Self {
        ConsumerSpec {
            id: id.into(),
            properties: BTreeMap::new(),
            subscription: Subscription::None,
            processing_ms: 0,
            commit: CommitStrategy::Auto,
            poll_timeout_ms: DEFAULT_POLL_TIMEOUT_MS,
        }
    }

    pub fn property(mut self, key: &str, value: impl ToString) -> Self {
        self.properties.insert(key.to_string(), value.to_string());
        self
    }

    pub fn subscribe<T: Into<String>>(mut self, topics: impl IntoIterator<Item = T>) -> Self {
        self.subscription = Subscription::Topics(topics.into_iter().map(Into::into).collect());
        self
    }

    pub fn assign(mut self, partitions: impl IntoIterator<Item = TopicPartition>) -> Self {
        self.subscription = Subscription::Partitions(partitions.into_iter().collect());
        self
    }

    pub fn processing_ms(mut self, ms: u64) -> Self {
        self.processing_ms = ms;
        self
    }

    pub fn commit(mut self, strategy: CommitStrategy) -> Self {
        self.commit = strategy;
        self
    }
}

/// How a producer picks keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyPattern {
    /// No keys: the sticky partitioner spreads records in batches.
    None,
    /// These keys in turn.
    Cycle(Vec<String>),
    /// `key-0` .. `key-{n-1}`, drawn uniformly.
    Random(u32),
}

/// A producer that appends records at a steady rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducerSpec {
    pub id: String,
    pub topic: String,
    pub rate_per_sec: u32,
    /// Total records; `None` = until stopped.
    pub count: Option<u64>,
    pub keys: KeyPattern,
    /// Explicit partition (overrides the partitioner).
    pub partition: Option<i32>,
    /// Modeled value size; `None` = the length of the value text
    /// (`{producer}-{sequence}`).
    pub value_bytes: Option<u32>,
    /// `batch.size`, for the sticky partitioner.
    pub batch_size_bytes: u32,
}

impl ProducerSpec {
    pub fn new(id: impl Into<String>, topic: impl Into<String>, rate_per_sec: u32) -> Self {
        ProducerSpec {
            id: id.into(),
            topic: topic.into(),
            rate_per_sec,
            count: None,
            keys: KeyPattern::None,
            partition: None,
            value_bytes: None,
            batch_size_bytes: DEFAULT_BATCH_SIZE_BYTES,
        }
    }
}

/// Everything fixed at the start of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelConfig {
    pub seed: u64,
    pub broker: BrokerConfig,
    /// Topic name and partition count.
    pub topics: Vec<(String, i32)>,
}

/// Actions a person or a scenario takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Starts a consumer instance (again, after a crash or close).
    StartConsumer(ConsumerSpec),
    StartProducer(ProducerSpec),
    StopProducer {
        producer: String,
    },
    /// Produce `count` records now. No key and no partition: sticky partitioning.
    Produce {
        topic: String,
        partition: Option<i32>,
        key: Option<String>,
        value: Option<String>,
        count: u32,
    },
    /// `deleteRecords`: moves the log start offset to `before_offset`.
    DeleteRecords {
        partition: TopicPartition,
        before_offset: i64,
    },
    /// The process dies: no commit, no LeaveGroup.
    Crash {
        consumer: String,
    },
    /// `close()`: after the current batch, commit (auto commit), revoke, LeaveGroup.
    Close {
        consumer: String,
    },
    /// The application stops calling `poll()` (heartbeats continue).
    StopPolling {
        consumer: String,
    },
    ResumePolling {
        consumer: String,
    },
    Pause {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Resume {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Seek {
        consumer: String,
        partition: TopicPartition,
        offset: i64,
    },
    /// Empty `partitions` = all assigned partitions (as in Java).
    SeekToBeginning {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    SeekToEnd {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Subscribe {
        consumer: String,
        topics: Vec<String>,
    },
    Assign {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Unsubscribe {
        consumer: String,
    },
    /// `commitSync()` now, outside the application's own strategy.
    CommitSync {
        consumer: String,
    },
    /// Kafka fixes a client's config at construction: the consumer is closed
    /// (cleanly, after its current batch) and restarted with the changes.
    /// An empty value removes the property (back to the default).
    ChangeConfig {
        consumer: String,
        changes: BTreeMap<String, String>,
    },
}

/// Input the model cannot act on. Never a panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    TimeWentBackwards { now: u64, current: u64 },
    UnknownConsumer(String),
    UnknownProducer(String),
    UnknownTopic(String),
    UnknownPartition(TopicPartition),
    ConsumerRunning(String),
    ConsumerNotRunning(String),
    DuplicateProducer(String),
    Config { consumer: String, error: ConfigError },
    Invalid(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::TimeWentBackwards { now, current } => {
                write!(f, "time went backwards: input at {now} ms, model already at {current} ms")
            }
            ModelError::UnknownConsumer(c) => write!(f, "consumer \"{c}\" is not defined"),
            ModelError::UnknownProducer(p) => write!(f, "producer \"{p}\" is not defined"),
            ModelError::UnknownTopic(t) => write!(f, "topic \"{t}\" does not exist"),
            ModelError::UnknownPartition(tp) => write!(f, "partition {tp} does not exist"),
            ModelError::ConsumerRunning(c) => write!(f, "consumer \"{c}\" is already running"),
            ModelError::ConsumerNotRunning(c) => write!(f, "consumer \"{c}\" is not running"),
            ModelError::DuplicateProducer(p) => write!(f, "producer \"{p}\" is already running"),
            ModelError::Config { consumer, error } => write!(f, "consumer \"{consumer}\": {error}"),
            ModelError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ModelError {}

/// Lifecycle of a consumer instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumerStatus {
    Running,
    Crashed,
    Closed,
    /// A fatal error (e.g. fenced static member) ended it.
    Failed,
}

/// One partition as one consumer sees it: its three cursors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionCursor {
    pub partition: TopicPartition,
    /// Next offset `poll()` returns.
    pub position: Option<i64>,
    /// Last processed offset + 1.
    pub processed: Option<i64>,
    /// The group's committed offset.
    pub committed: Option<i64>,
    pub paused: bool,
    /// Fetched records waiting for `poll()`.
    pub buffered: u32,
}

/// A snapshot of one consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerView {
    pub id: String,
    pub status: ConsumerStatus,
    pub group: Option<String>,
    pub member_id: Option<String>,
    pub generation: i32,
    pub subscription: Subscription,
    pub partitions: Vec<PartitionCursor>,
    pub polling_stopped: bool,
}

/// A snapshot of one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupView {
    pub id: String,
    pub state: GroupState,
    pub generation: i32,
    pub leader: Option<String>,
    pub assignor: Option<String>,
    /// Member id, consumer id, assigned partitions.
    pub members: Vec<(String, String, Vec<TopicPartition>)>,
    pub committed: BTreeMap<TopicPartition, i64>,
}

// ---------------------------------------------------------------------------
// Internal state

struct Producer {
    spec: ProducerSpec,
    topic: usize,
    rng: Pcg32,
    sticky: StickyPartitioner,
    start_ms: u64,
    produced: u64,
    stopped: bool,
    /// Keys as shared strings, so records share them instead of copying.
    key_table: Vec<Key>,
}

impl Producer {
    fn next_at(&self) -> Option<u64> {
        if self.stopped || self.spec.count.is_some_and(|c| self.produced >= c) {
            return None;
        }
        // Integer schedule: record n at start + n * 1000 / rate, exact on every platform.
        Some(self.start_ms + self.produced * 1000 / u64::from(self.spec.rate_per_sec))
    }
}

/// One assigned partition inside a consumer.
#[derive(Clone, Debug)]
struct PartState {
    tp: TopicPartition,
    topic: usize,
    position: Option<i64>,
    /// Fetched records not yet returned are `position..fetched_end`.
    fetched_end: i64,
    processed: Option<i64>,
    paused: bool,
    /// `auto.offset.reset = none` raised: not fetched until a seek.
    reset_error: bool,
}

impl PartState {
    fn new(tp: TopicPartition, topic: usize) -> Self {
        PartState {
            tp,
            topic,
            position: None,
            fetched_end: 0,
            processed: None,
            paused: false,
            reset_error: false,
        }
    }

    fn buffered(&self) -> i64 {
        self.position.map_or(0, |p| (self.fetched_end - p).max(0))
    }

    fn fetchable(&self) -> bool {
        self.position.is_some() && !self.paused && !self.reset_error && self.buffered() == 0
    }
}

struct FetchInFlight {
    sent_at: u64,
    deadline: u64,
    /// Set once the broker can answer (enough bytes, or an error).
    answer_at: Option<u64>,
    /// Partition and fetch offset.
    parts: Vec<(TopicPartition, usize, i64)>,
}

impl FetchInFlight {
    fn due(&self) -> u64 {
        self.answer_at.unwrap_or(self.deadline)
    }
}

/// Records a poll returned, not yet processed.
struct BatchRange {
    tp: TopicPartition,
    first: i64,
    count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum App {
    /// About to call `poll()`.
    BetweenPolls,
    /// Inside `poll(timeout)`, waiting for records or the group.
    Polling { deadline: u64 },
    /// Processing the records of the last poll.
    Processing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AfterBatch {
    Close,
    Restart,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    None,
    Subscribed,
    Assigned,
}

struct JoinResult {
    member_id: String,
    generation: i32,
    assignment: Vec<TopicPartition>,
    /// The assignor the group selected (its `onAssignment` runs).
    strategy: Option<AssignmentStrategy>,
    error: Option<KafkaError>,
}

/// What a consumer's assignor objects remember between rebalances, from
/// their last `onAssignment` (only the selected assignor's runs). It
/// survives losing the partitions; a restarted consumer starts empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct AssignorMemory {
    /// `StickyAssignor`: the partitions and generation of its last
    /// assignment, sent as its user data.
    sticky: Option<(Vec<TopicPartition>, i32)>,
    /// `CooperativeStickyAssignor`: the generation, sent as its user data.
    cooperative_sticky_generation: Option<i32>,
}

struct Consumer {
    spec: ConsumerSpec,
    config: ConsumerConfig,
    /// Incremented on every start, so that a group's record of an old
    /// instance cannot reach the new one.
    instance: u32,
    rng: Pcg32,
    status: ConsumerStatus,
    app: App,
    app_wake: u64,
    stalled: bool,
    after_batch: Option<AfterBatch>,
    mode: Mode,
    topics: Vec<String>,
    parts: Vec<PartState>,
    member_id: Option<String>,
    generation: i32,
    assignors: AssignorMemory,
    join_in_flight: bool,
    pending_join: Option<JoinResult>,
    needs_join: bool,
    lost_pending: bool,
    heartbeat_at: Option<u64>,
    last_poll_at: u64,
    next_auto_commit_at: u64,
    fetch: Option<FetchInFlight>,
    batch: VecDeque<BatchRange>,
}

impl Consumer {
    fn account_key(&self) -> &str {
        self.config.group_id.as_deref().unwrap_or(&self.spec.id)
    }

    fn part_index(&self, tp: &TopicPartition) -> Option<usize> {
        self.parts.binary_search_by(|p| p.tp.cmp(tp)).ok()
    }

    fn is_member(&self) -> bool {
        self.mode == Mode::Subscribed && self.member_id.is_some() && self.generation >= 0
    }

    fn protocol(&self) -> assignor::RebalanceProtocol {
        assignor::rebalance_protocol_for(&self.config.partition_assignment_strategy)
            .unwrap_or(assignor::RebalanceProtocol::Eager)
    }

    fn assigned(&self) -> Vec<TopicPartition> {
        self.parts.iter().map(|p| p.tp.clone()).collect()
    }
}

struct Member {
    consumer: usize,
    instance: u32,
    consumer_id: String,
    group_instance_id: Option<String>,
    topics: Vec<String>,
    strategies: Vec<AssignmentStrategy>,
    /// JoinGroup metadata: the partitions the member owns as it joins...
    owned: Vec<TopicPartition>,
    /// ...its own generation (-1: none), and its assignors' user data.
    generation: i32,
    assignors: AssignorMemory,
    /// The protocol its configured assignors agree on.
    protocol: assignor::RebalanceProtocol,
    rebalance_timeout_ms: u64,
    session_timeout_ms: u64,
    session_deadline: u64,
    awaiting_join: bool,
}

struct Group {
    id: String,
    state: GroupState,
    generation: i32,
    leader: Option<String>,
    assignor: Option<AssignmentStrategy>,
    members: VecMap<String, Member>,
    /// `group.instance.id` → member id.
    statics: VecMap<String, String>,
    committed: VecMap<TopicPartition, i64>,
    join_deadline: Option<u64>,
    /// In `group.initial.rebalance.delay.ms` after the first member joined an empty group.
    initial_delay: bool,
    rebalance_started_at: u64,
    assignment: BTreeMap<String, Vec<TopicPartition>>,
}

impl Group {
    fn session_due(&self) -> Option<u64> {
        self.members.values().filter(|m| !m.awaiting_join).map(|m| m.session_deadline).min()
    }
}

#[derive(Clone, Copy, Debug)]
enum Due {
    Producer(usize),
    GroupJoin(usize),
    GroupSession(usize),
    Fetch(usize),
    Heartbeat(usize),
    PollTimer(usize),
    App(usize),
}

/// The model. See the module docs.
pub struct Model {
    now: u64,
    seed: u64,
    broker: BrokerConfig,
    topics: Vec<Topic>,
    topic_index: VecMap<String, usize>,
    /// Sticky partitioners for keyless produce actions, per topic.
    action_sticky: VecMap<usize, StickyPartitioner>,
    action_rng: Pcg32,
    producers: Vec<Producer>,
    producer_index: VecMap<String, usize>,
    consumers: Vec<Consumer>,
    consumer_index: VecMap<String, usize>,
    groups: Vec<Group>,
    group_index: VecMap<String, usize>,
    accounts: Accounts,
    /// Records appended so far (the next record's `seq`).
    produced_total: u64,
    /// Per consumer id, parallel to `consumers` (kept across restarts).
    stats: Vec<ConsumerStats>,
    events: VecDeque<Event>,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("now", &self.now)
            .field("seed", &self.seed)
            .field("topics", &self.topic_index.keys().collect::<Vec<_>>())
            .field("consumers", &self.consumer_index.keys().collect::<Vec<_>>())
            .field("groups", &self.group_index.keys().collect::<Vec<_>>())
            .field("queued_events", &self.events.len())
            .finish()
    }
}

/// FNV-1a 64 of a name: picks a stable random stream per producer or consumer,
/// so that adding one entity never shifts another's random numbers.
fn stream_of(kind: &str, name: &str, instance: u32) -> u64 {
    crate::digest::fnv1a64(format!("{kind}/{name}/{instance}").as_bytes())
}

fn sorted(mut v: Vec<TopicPartition>) -> Vec<TopicPartition> {
    crate::sort::sort(&mut v);
    v.dedup();
    v
}

/// What the leader's assignor reads from a member's JoinGroup metadata for
/// `strategy`: owned partitions and their generation.
///
/// - `sticky` is eager and reads only its user data: the partitions and
///   generation of the member's last assignment, kept even after the member
///   lost them (`StickyAssignor.subscriptionUserData` / `memberData`).
/// - `cooperative-sticky` reads the owned partitions and generation of the
///   subscription (`ConsumerProtocolSubscription` v2+), falling back to the
///   generation in its user data when the member has none
///   (`CooperativeStickyAssignor.memberData`).
/// - `range` and `roundrobin` ignore both.
fn join_metadata(strategy: AssignmentStrategy, m: &Member) -> (Vec<TopicPartition>, Option<i32>) {
    let own = (m.generation >= 0).then_some(m.generation);
    match strategy {
        AssignmentStrategy::Sticky => match &m.assignors.sticky {
            Some((partitions, generation)) => (partitions.clone(), Some(*generation)),
            None => (Vec::new(), None),
        },
        AssignmentStrategy::CooperativeSticky => {
            (m.owned.clone(), own.or(m.assignors.cooperative_sticky_generation))
        }
        AssignmentStrategy::Range | AssignmentStrategy::RoundRobin => (m.owned.clone(), own),
    }
}

fn to_protocol(p: assignor::RebalanceProtocol) -> RebalanceProtocol {
    match p {
        assignor::RebalanceProtocol::Eager => RebalanceProtocol::Eager,
        assignor::RebalanceProtocol::Cooperative => RebalanceProtocol::Cooperative,
    }
}

impl Model {
    /// A model with these topics, at time 0.
    pub fn new(config: ModelConfig) -> Result<Model, ModelError> {
        let mut model = Model {
            now: 0,
            seed: config.seed,
            broker: config.broker,
            topics: Vec::new(),
            topic_index: VecMap::new(),
            action_sticky: VecMap::new(),
            action_rng: Pcg32::new(config.seed, stream_of("actions", "", 0)),
            producers: Vec::new(),
            producer_index: VecMap::new(),
            consumers: Vec::new(),
            consumer_index: VecMap::new(),
            groups: Vec::new(),
            group_index: VecMap::new(),
            accounts: Accounts::new(),
            produced_total: 0,
            stats: Vec::new(),
            events: VecDeque::new(),
        };
        model.emit(EventKind::ModelStarted { seed: config.seed });
        for (name, partitions) in config.topics {
            if name.is_empty() {
                return Err(ModelError::Invalid("a topic needs a name".into()));
            }
            if model.topic_index.contains_key(&name) {
                return Err(ModelError::Invalid(format!("topic \"{name}\" is defined twice")));
            }
            if !(1..=10_000).contains(&partitions) {
                return Err(ModelError::Invalid(format!(
                    "topic \"{name}\" needs 1 to 10000 partitions, got {partitions}"
                )));
            }
            model.topic_index.insert(name.clone(), model.topics.len());
            model.topics.push(Topic {
                name: name.clone(),
                partitions: (0..partitions).map(|_| PartitionLog::new()).collect(),
            });
            model.emit(EventKind::TopicCreated { topic: name, partitions });
        }
        Ok(model)
    }

    // -- driving -------------------------------------------------------------

    /// The current virtual time.
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Applies an action at `now`. Timers due before `now` run first; timers
    /// due exactly at `now` run after the action (in the next
    /// `handle_timeout`/`run_until`).
    pub fn handle(&mut self, input: Input, now: u64) -> Result<(), ModelError> {
        if now < self.now {
            return Err(ModelError::TimeWentBackwards { now, current: self.now });
        }
        if now > 0 {
            self.handle_timeout(now - 1);
        }
        self.now = now;
        self.apply(input)
    }

    /// Runs every timer due at or before `now`, in time order, and advances
    /// the clock to `now`.
    pub fn handle_timeout(&mut self, now: u64) {
        while let Some((t, due)) = self.next_due() {
            if t > now {
                break;
            }
            self.now = self.now.max(t);
            self.fire(due);
        }
        self.now = self.now.max(now);
    }

    /// When the next internal timer is due, if any.
    pub fn next_wakeup(&self) -> Option<u64> {
        self.next_due().map(|(t, _)| t.max(self.now))
    }

    /// The next output event, oldest first.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Runs until `now` (same as `handle_timeout`).
    pub fn run_until(&mut self, now: u64) {
        self.handle_timeout(now);
    }

    fn emit(&mut self, kind: EventKind) {
        self.note_stats(&kind);
        self.events.push_back(Event { at_ms: self.now, kind });
    }

    /// Keeps the per-consumer running totals ([`ConsumerStats`]) up to date.
    fn note_stats(&mut self, kind: &EventKind) {
        let consumer = match kind {
            EventKind::FetchAnswered { consumer, .. }
            | EventKind::PollReturned { consumer, .. }
            | EventKind::RecordsProcessed { consumer, .. }
            | EventKind::PartitionsRevoked { consumer, .. }
            | EventKind::NoOffsetForPartition { consumer, .. }
            | EventKind::OffsetOutOfRange { consumer, .. }
            | EventKind::IllegalState { consumer, .. } => consumer,
            _ => return,
        };
        let Some(&i) = self.consumer_index.get(consumer) else {
            return;
        };
        let stats = &mut self.stats[i];
        match kind {
            EventKind::FetchAnswered { waited_ms, partitions, .. } => {
                stats.fetch_answered(partitions.iter().map(|p| u64::from(p.count)).sum(), *waited_ms);
            }
            EventKind::PollReturned { count, .. } => stats.poll_returned(*count),
            EventKind::RecordsProcessed { topic, partition, first_offset, count, redelivered, .. } => {
                let tp = TopicPartition::new(topic.clone(), *partition);
                let seq = |o: i64| {
                    let t = self.topic_index[topic];
                    self.topics[t].partitions[*partition as usize].record(o).map_or(0, |r| r.seq)
                };
                let key = self.consumers[i].account_key();
                let tally = self.accounts.get(key).and_then(|m| m.get(&tp));
                // First deliveries in this group: processed exactly once so far.
                let first = |o: i64| tally.is_none_or(|t| t.count(o) <= 1);
                stats.processed(&tp, *first_offset, *count, *redelivered, first, seq);
            }
            EventKind::PartitionsRevoked { partitions, .. } => stats.revoked += partitions.len() as u64,
            EventKind::NoOffsetForPartition { .. } => {
                stats.errors.insert(ConsumerError::NoOffsetForPartition);
            }
            EventKind::OffsetOutOfRange { .. } => {
                stats.errors.insert(ConsumerError::OffsetOutOfRange);
            }
            EventKind::IllegalState { .. } => {
                stats.errors.insert(ConsumerError::IllegalState);
            }
            _ => {}
        }
    }

    fn next_due(&self) -> Option<(u64, Due)> {
        let mut best: Option<(u64, Due)> = None;
        let mut consider = |t: u64, d: Due| {
            if best.is_none_or(|(b, _)| t < b) {
                best = Some((t, d));
            }
        };
        for (i, p) in self.producers.iter().enumerate() {
            if let Some(t) = p.next_at() {
                consider(t, Due::Producer(i));
            }
        }
        for (i, g) in self.groups.iter().enumerate() {
            if let Some(t) = g.join_deadline {
                consider(t, Due::GroupJoin(i));
            }
            if let Some(t) = g.session_due() {
                consider(t, Due::GroupSession(i));
            }
        }
        for (i, c) in self.consumers.iter().enumerate() {
            if c.status != ConsumerStatus::Running {
                continue;
            }
            if let Some(f) = &c.fetch {
                consider(f.due(), Due::Fetch(i));
            }
            if let Some(t) = c.heartbeat_at {
                consider(t, Due::Heartbeat(i));
            }
            if c.is_member() && !matches!(c.app, App::Polling { .. }) {
                consider(c.last_poll_at + c.config.max_poll_interval_ms, Due::PollTimer(i));
            }
            if !c.stalled {
                consider(c.app_wake, Due::App(i));
            }
        }
        best
    }

    fn fire(&mut self, due: Due) {
        match due {
            Due::Producer(i) => self.produce_tick(i),
            Due::GroupJoin(g) => self.join_deadline_passed(g),
            Due::GroupSession(g) => self.expire_sessions(g),
            Due::Fetch(c) => self.answer_fetch(c),
            Due::Heartbeat(c) => self.heartbeat(c),
            Due::PollTimer(c) => self.poll_interval_exceeded(c),
            Due::App(c) => self.app_step(c),
        }
    }

    // -- inputs --------------------------------------------------------------

    fn consumer_idx(&self, id: &str) -> Result<usize, ModelError> {
        self.consumer_index.get(id).copied().ok_or_else(|| ModelError::UnknownConsumer(id.to_string()))
    }

    fn running_idx(&self, id: &str) -> Result<usize, ModelError> {
        let i = self.consumer_idx(id)?;
        if self.consumers[i].status != ConsumerStatus::Running {
            return Err(ModelError::ConsumerNotRunning(id.to_string()));
        }
        Ok(i)
    }

    fn topic_idx(&self, topic: &str) -> Result<usize, ModelError> {
        self.topic_index.get(topic).copied().ok_or_else(|| ModelError::UnknownTopic(topic.to_string()))
    }

    fn check_partition(&self, tp: &TopicPartition) -> Result<usize, ModelError> {
        let t = self.topic_idx(&tp.topic)?;
        if tp.partition < 0 || tp.partition >= self.topics[t].partition_count() {
            return Err(ModelError::UnknownPartition(tp.clone()));
        }
        Ok(t)
    }

    fn apply(&mut self, input: Input) -> Result<(), ModelError> {
        match input {
            Input::StartConsumer(spec) => self.start_consumer(spec),
            Input::StartProducer(spec) => self.start_producer(spec),
            Input::StopProducer { producer } => {
                let i = *self.producer_index.get(&producer).ok_or(ModelError::UnknownProducer(producer))?;
                self.producers[i].stopped = true;
                Ok(())
            }
            Input::Produce { topic, partition, key, value, count } => {
                self.produce_action(&topic, partition, key, value, count)
            }
            Input::DeleteRecords { partition, before_offset } => {
                self.delete_records(&partition, before_offset)
            }
            Input::Crash { consumer } => {
                let i = self.running_idx(&consumer)?;
                self.crash(i);
                Ok(())
            }
            Input::Close { consumer } => {
                let i = self.running_idx(&consumer)?;
                self.request_close(i, AfterBatch::Close);
                Ok(())
            }
            Input::StopPolling { consumer } => {
                let i = self.running_idx(&consumer)?;
                let c = &mut self.consumers[i];
                if !c.stalled {
                    c.stalled = true;
                    // A stalled application is not inside poll(), so max.poll.interval.ms runs.
                    if matches!(c.app, App::Polling { .. }) {
                        c.app = App::BetweenPolls;
                    }
                    self.emit(EventKind::PollingStopped { consumer });
                }
                Ok(())
            }
            Input::ResumePolling { consumer } => {
                let i = self.running_idx(&consumer)?;
                let now = self.now;
                let c = &mut self.consumers[i];
                if c.stalled {
                    c.stalled = false;
                    c.app_wake = c.app_wake.max(now);
                    self.emit(EventKind::PollingResumed { consumer });
                }
                Ok(())
            }
            Input::Pause { consumer, partitions } => self.set_paused(&consumer, partitions, true),
            Input::Resume { consumer, partitions } => self.set_paused(&consumer, partitions, false),
            Input::Seek { consumer, partition, offset } => {
                let i = self.running_idx(&consumer)?;
                self.check_partition(&partition)?;
                if offset < 0 {
                    return Err(ModelError::Invalid(format!(
                        "seek offset must not be negative, got {offset}"
                    )));
                }
                self.seek(i, vec![partition], |_| offset, PositionReason::Seek);
                Ok(())
            }
            Input::SeekToBeginning { consumer, partitions } => {
                let i = self.running_idx(&consumer)?;
                for tp in &partitions {
                    self.check_partition(tp)?;
                }
                let starts: BTreeMap<TopicPartition, i64> = self.log_bounds(i, &partitions, true);
                self.seek(i, partitions, |tp| starts[tp], PositionReason::SeekToBeginning);
                Ok(())
            }
            Input::SeekToEnd { consumer, partitions } => {
                let i = self.running_idx(&consumer)?;
                for tp in &partitions {
                    self.check_partition(tp)?;
                }
                let ends = self.log_bounds(i, &partitions, false);
                self.seek(i, partitions, |tp| ends[tp], PositionReason::SeekToEnd);
                Ok(())
            }
            Input::Subscribe { consumer, topics } => {
                let i = self.running_idx(&consumer)?;
                self.subscribe(i, topics);
                Ok(())
            }
            Input::Assign { consumer, partitions } => {
                let i = self.running_idx(&consumer)?;
                for tp in &partitions {
                    self.check_partition(tp)?;
                }
                self.assign(i, partitions);
                Ok(())
            }
            Input::Unsubscribe { consumer } => {
                let i = self.running_idx(&consumer)?;
                self.unsubscribe(i);
                Ok(())
            }
            Input::CommitSync { consumer } => {
                let i = self.running_idx(&consumer)?;
                if self.consumers[i].config.group_id.is_none() {
                    self.emit(EventKind::IllegalState {
                        consumer,
                        message: "commitSync() needs a group.id (InvalidGroupIdException)".into(),
                    });
                } else {
                    self.commit_positions(i, CommitKind::Sync, CommitTrigger::Action);
                }
                Ok(())
            }
            Input::ChangeConfig { consumer, changes } => self.change_config(&consumer, changes),
        }
    }

    pub fn check_consumer(&self, spec: &ConsumerSpec) -> Result<ConsumerConfig, ModelError> {
        let config = ConsumerConfig::from_properties(&spec.properties)
            .map_err(|error| ModelError::Config { consumer: spec.id.clone(), error })?;
        if config.group_id.is_some() {
            self.broker
                .check_session_timeout(config.session_timeout_ms)
                .map_err(|error| ModelError::Config { consumer: spec.id.clone(), error })?;
        }
        if spec.id.is_empty() {
            return Err(ModelError::Invalid("a consumer needs an id".into()));
        }
        if spec.poll_timeout_ms == 0 {
            return Err(ModelError::Invalid(format!(
                "consumer \"{}\": the poll timeout must be at least 1 ms",
                spec.id
            )));
        }
        if spec.commit != CommitStrategy::Auto && config.group_id.is_none() {
            return Err(ModelError::Invalid(format!(
                "consumer \"{}\": commit strategy {} needs a group.id to commit to",
                spec.id,
                spec.commit.name()
            )));
        }
        match &spec.subscription {
            Subscription::Topics(_) if config.group_id.is_none() => {
                return Err(ModelError::Invalid(format!(
                    "consumer \"{}\": subscribe() needs a group.id (use assign without a group)",
                    spec.id
                )));
            }
            Subscription::Partitions(ps) => {
                for tp in ps {
                    self.check_partition(tp)?;
                }
            }
            _ => {}
        }
        Ok(config)
    }

    fn start_consumer(&mut self, spec: ConsumerSpec) -> Result<(), ModelError> {
        let config = self.check_consumer(&spec)?;
        let existing = self.consumer_index.get(&spec.id).copied();
        let instance = match existing {
            Some(i) if self.consumers[i].status == ConsumerStatus::Running => {
                return Err(ModelError::ConsumerRunning(spec.id));
            }
            Some(i) => self.consumers[i].instance + 1,
            None => 0,
        };
        let now = self.now;
        let consumer = Consumer {
            rng: Pcg32::new(self.seed, stream_of("consumer", &spec.id, instance)),
            instance,
            status: ConsumerStatus::Running,
            app: App::BetweenPolls,
            app_wake: now,
            stalled: false,
            after_batch: None,
            mode: Mode::None,
            topics: Vec::new(),
            parts: Vec::new(),
            member_id: None,
            generation: -1,
            assignors: AssignorMemory::default(),
            join_in_flight: false,
            pending_join: None,
            needs_join: false,
            lost_pending: false,
            heartbeat_at: None,
            last_poll_at: now,
            next_auto_commit_at: now + config.auto_commit_interval_ms,
            fetch: None,
            batch: VecDeque::new(),
            spec: spec.clone(),
            config,
        };
        let i = match existing {
            Some(i) => {
                self.consumers[i] = consumer;
                i
            }
            None => {
                self.consumer_index.insert(spec.id.clone(), self.consumers.len());
                self.consumers.push(consumer);
                self.stats.push(ConsumerStats::default());
                self.consumers.len() - 1
            }
        };
        let c = &self.consumers[i];
        self.emit(EventKind::ConsumerStarted {
            consumer: spec.id.clone(),
            group: c.config.group_id.clone(),
            config: c.config.to_properties(),
            processing_ms: spec.processing_ms,
            commit: spec.commit,
        });
        match spec.subscription {
            Subscription::Topics(topics) => self.subscribe(i, topics),
            Subscription::Partitions(ps) => self.assign(i, ps),
            Subscription::None => {}
        }
        Ok(())
    }

    fn start_producer(&mut self, spec: ProducerSpec) -> Result<(), ModelError> {
        let topic = self.topic_idx(&spec.topic)?;
        if let Some(&i) = self.producer_index.get(&spec.id)
            && self.producers[i].next_at().is_some()
        {
            return Err(ModelError::DuplicateProducer(spec.id));
        }
        if spec.rate_per_sec == 0 {
            return Err(ModelError::Invalid(format!(
                "producer \"{}\": rate must be at least 1 per second",
                spec.id
            )));
        }
        if let Some(p) = spec.partition {
            self.check_partition(&TopicPartition::new(spec.topic.clone(), p))?;
        }
        let key_table: Vec<Key> = match &spec.keys {
            KeyPattern::None => Vec::new(),
            KeyPattern::Cycle(keys) if keys.is_empty() => {
                return Err(ModelError::Invalid(format!("producer \"{}\": the key cycle is empty", spec.id)));
            }
            KeyPattern::Cycle(keys) => keys.iter().map(|k| Key::from(k.as_str())).collect(),
            KeyPattern::Random(0) => {
                return Err(ModelError::Invalid(format!(
                    "producer \"{}\": random keys need at least 1 key",
                    spec.id
                )));
            }
            KeyPattern::Random(n) => (0..*n).map(|k| Key::from(format!("key-{k}"))).collect(),
        };
        let restarts = self.producer_index.get(&spec.id).map_or(0, |&i| self.producers[i].produced as u32);
        let producer = Producer {
            rng: Pcg32::new(self.seed, stream_of("producer", &spec.id, restarts)),
            sticky: StickyPartitioner::new(spec.batch_size_bytes),
            topic,
            start_ms: self.now,
            produced: 0,
            stopped: false,
            key_table,
            spec,
        };
        match self.producer_index.get(&producer.spec.id) {
            Some(&i) => self.producers[i] = producer,
            None => {
                self.producer_index.insert(producer.spec.id.clone(), self.producers.len());
                self.producers.push(producer);
            }
        }
        Ok(())
    }

    // -- producing -----------------------------------------------------------

    fn produce_tick(&mut self, i: usize) {
        let now = self.now;
        let mut batch: Option<(i32, i64, Vec<ProducedRecord>)> = None;
        let mut flushed = Vec::new();
        loop {
            let p = &mut self.producers[i];
            match p.next_at() {
                Some(t) if t <= now => {}
                _ => break,
            }
            let seq = p.produced;
            p.produced += 1;
            let key = match &p.spec.keys {
                KeyPattern::None => None,
                KeyPattern::Cycle(_) => Some(p.key_table[(seq % p.key_table.len() as u64) as usize].clone()),
                KeyPattern::Random(n) => Some(p.key_table[p.rng.below(*n) as usize].clone()),
            };
            let value: Arc<str> = Arc::from(format!("{}-{seq}", p.spec.id));
            let bytes = RECORD_OVERHEAD_BYTES
                + key.as_ref().map_or(0, |k| k.len() as u32)
                + p.spec.value_bytes.unwrap_or(value.len() as u32);
            let n = self.topics[p.topic].partition_count();
            let partition = match (&p.spec.partition, &key) {
                (Some(part), _) => *part,
                (None, Some(k)) => partition_for_key(k.as_bytes(), n),
                (None, None) => p.sticky.partition(n, bytes, &mut p.rng),
            };
            let topic = p.topic;
            let seq = self.produced_total;
            self.produced_total += 1;
            let offset = self.topics[topic].partitions[partition as usize].append(Record {
                timestamp_ms: now,
                seq,
                key: key.clone(),
                value: value.clone(),
                bytes,
            });
            match &mut batch {
                Some((bp, _, records)) if *bp == partition => records.push(ProducedRecord { key, value }),
                _ => {
                    if let Some(b) = batch.take() {
                        flushed.push(b);
                    }
                    batch = Some((partition, offset, vec![ProducedRecord { key, value }]));
                }
            }
        }
        flushed.extend(batch);
        let p = &self.producers[i];
        let (producer, topic) = (p.spec.id.clone(), self.topics[p.topic].name.clone());
        for (partition, first_offset, records) in flushed {
            self.emit(EventKind::RecordsProduced {
                producer: Some(producer.clone()),
                topic: topic.clone(),
                partition,
                first_offset,
                records,
            });
        }
        self.wake_fetches();
    }

    fn produce_action(
        &mut self,
        topic: &str,
        partition: Option<i32>,
        key: Option<String>,
        value: Option<String>,
        count: u32,
    ) -> Result<(), ModelError> {
        let t = self.topic_idx(topic)?;
        if let Some(p) = partition {
            self.check_partition(&TopicPartition::new(topic, p))?;
        }
        let n = self.topics[t].partition_count();
        let key: Option<Key> = key.map(|k| Key::from(k.as_str()));
        let mut groups: Vec<(i32, i64, Vec<ProducedRecord>)> = Vec::new();
        for k in 0..count {
            let value: Arc<str> = Arc::from(value.clone().unwrap_or_else(|| format!("value-{k}")).as_str());
            let bytes =
                RECORD_OVERHEAD_BYTES + key.as_ref().map_or(0, |k| k.len() as u32) + value.len() as u32;
            let part = match (partition, &key) {
                (Some(p), _) => p,
                (None, Some(k)) => partition_for_key(k.as_bytes(), n),
                (None, None) => self
                    .action_sticky
                    .entry(t)
                    .or_insert_with(|| StickyPartitioner::new(DEFAULT_BATCH_SIZE_BYTES))
                    .partition(n, bytes, &mut self.action_rng),
            };
            let seq = self.produced_total;
            self.produced_total += 1;
            let offset = self.topics[t].partitions[part as usize].append(Record {
                timestamp_ms: self.now,
                seq,
                key: key.clone(),
                value: value.clone(),
                bytes,
            });
            match groups.last_mut() {
                Some((p, _, rs)) if *p == part => rs.push(ProducedRecord { key: key.clone(), value }),
                _ => groups.push((part, offset, vec![ProducedRecord { key: key.clone(), value }])),
            }
        }
        for (partition, first_offset, records) in groups {
            self.emit(EventKind::RecordsProduced {
                producer: None,
                topic: topic.to_string(),
                partition,
                first_offset,
                records,
            });
        }
        self.wake_fetches();
        Ok(())
    }

    fn delete_records(&mut self, tp: &TopicPartition, before_offset: i64) -> Result<(), ModelError> {
        let t = self.check_partition(tp)?;
        let log = &mut self.topics[t].partitions[tp.partition as usize];
        let hw = log.high_watermark();
        // Kafka: -1 means the high watermark.
        let target = if before_offset == -1 { hw } else { before_offset };
        if target < 0 || target > hw {
            return Err(ModelError::Invalid(format!(
                "delete records of {tp} before {before_offset}: OFFSET_OUT_OF_RANGE (high watermark {hw})"
            )));
        }
        log.delete_before(target);
        let log_start_offset = log.log_start_offset();
        self.emit(EventKind::RecordsDeleted {
            topic: tp.topic.clone(),
            partition: tp.partition,
            log_start_offset,
        });
        self.wake_fetches();
        Ok(())
    }

    // -- fetching ------------------------------------------------------------

    /// Whether the broker would answer this fetch now.
    fn fetch_ready(&self, c: &Consumer, f: &FetchInFlight) -> bool {
        let mut bytes = 0u64;
        for (tp, t, offset) in &f.parts {
            let log = &self.topics[*t].partitions[tp.partition as usize];
            if *offset < log.log_start_offset() || *offset > log.high_watermark() {
                return true;
            }
            bytes +=
                log.bytes(*offset, log.high_watermark()).min(u64::from(c.config.max_partition_fetch_bytes));
        }
        bytes >= u64::from(c.config.fetch_min_bytes)
    }

    /// After the logs changed: fetches the broker is holding may be answerable now.
    fn wake_fetches(&mut self) {
        let now = self.now;
        for i in 0..self.consumers.len() {
            let c = &self.consumers[i];
            let Some(f) = &c.fetch else { continue };
            if c.status != ConsumerStatus::Running || f.answer_at.is_some() {
                continue;
            }
            if self.fetch_ready(c, f) {
                let f = self.consumers[i].fetch.as_mut().expect("checked above");
                f.answer_at = Some(now.max(f.sent_at + FETCH_ROUND_TRIP_MS));
            }
        }
    }

    fn send_fetch(&mut self, i: usize) {
        let now = self.now;
        let c = &self.consumers[i];
        if c.fetch.is_some() {
            return;
        }
        let parts: Vec<(TopicPartition, usize, i64)> = c
            .parts
            .iter()
            .filter(|p| p.fetchable())
            .map(|p| (p.tp.clone(), p.topic, p.position.expect("fetchable has a position")))
            .collect();
        if parts.is_empty() {
            return;
        }
        let mut f = FetchInFlight {
            sent_at: now,
            deadline: now + c.config.fetch_max_wait_ms.max(FETCH_ROUND_TRIP_MS),
            answer_at: None,
            parts,
        };
        if self.fetch_ready(c, &f) {
            f.answer_at = Some(now + FETCH_ROUND_TRIP_MS);
        }
        let partitions = f
            .parts
            .iter()
            .map(|(tp, _, o)| PartitionOffset {
                topic: tp.topic.clone(),
                partition: tp.partition,
                offset: *o,
            })
            .collect();
        self.consumers[i].fetch = Some(f);
        self.emit(EventKind::FetchSent { consumer: self.consumers[i].spec.id.clone(), partitions });
    }

    fn answer_fetch(&mut self, i: usize) {
        let Some(f) = self.consumers[i].fetch.take() else {
            return;
        };
        let now = self.now;
        let (max_partition, mut remaining) = {
            let c = &self.consumers[i].config;
            (u64::from(c.max_partition_fetch_bytes), u64::from(c.fetch_max_bytes))
        };
        let mut ranges = Vec::new();
        let mut out_of_range = Vec::new();
        let mut first_data = true;
        for (tp, t, offset) in &f.parts {
            let c = &self.consumers[i];
            // Responses for partitions that were revoked, paused or sought meanwhile are dropped.
            let Some(pi) = c.part_index(tp) else { continue };
            let part = &c.parts[pi];
            if part.position != Some(*offset) || part.paused || part.buffered() > 0 {
                continue;
            }
            let log = &self.topics[*t].partitions[tp.partition as usize];
            let (start, hw) = (log.log_start_offset(), log.high_watermark());
            if *offset < start || *offset > hw {
                out_of_range.push((tp.clone(), *offset));
                continue;
            }
            let end = log.fit(*offset, max_partition.min(remaining), first_data);
            let bytes = log.bytes(*offset, end);
            if end > *offset {
                first_data = false;
                remaining = remaining.saturating_sub(bytes);
                self.consumers[i].parts[pi].fetched_end = end;
            }
            ranges.push(FetchedRange {
                topic: tp.topic.clone(),
                partition: tp.partition,
                first_offset: *offset,
                count: (end - offset) as u32,
                bytes,
                high_watermark: hw,
                log_start_offset: start,
            });
        }
        let consumer = self.consumers[i].spec.id.clone();
        self.emit(EventKind::FetchAnswered { consumer, waited_ms: now - f.sent_at, partitions: ranges });
        for (tp, offset) in out_of_range {
            self.offset_out_of_range(i, &tp, offset);
        }
        self.kick(i);
    }

    fn offset_out_of_range(&mut self, i: usize, tp: &TopicPartition, offset: i64) {
        let t = self.topic_index[&tp.topic];
        let log = &self.topics[t].partitions[tp.partition as usize];
        let (start, hw) = (log.log_start_offset(), log.high_watermark());
        let consumer = self.consumers[i].spec.id.clone();
        self.emit(EventKind::OffsetOutOfRange {
            consumer,
            topic: tp.topic.clone(),
            partition: tp.partition,
            offset,
            log_start_offset: start,
            high_watermark: hw,
        });
        let Some(pi) = self.consumers[i].part_index(tp) else {
            return;
        };
        match self.consumers[i].config.auto_offset_reset {
            OffsetReset::Earliest => self.set_position(i, pi, start, PositionReason::ResetEarliest),
            OffsetReset::Latest => {
                self.mark_skipped(i, tp, start, hw);
                self.set_position(i, pi, hw, PositionReason::ResetLatest);
            }
            // Java throws OffsetOutOfRangeException from poll(); the partition stays stuck until a seek.
            OffsetReset::None => self.consumers[i].parts[pi].reset_error = true,
        }
    }

    fn set_position(&mut self, i: usize, pi: usize, offset: i64, reason: PositionReason) {
        let c = &mut self.consumers[i];
        let p = &mut c.parts[pi];
        p.position = Some(offset);
        p.fetched_end = offset;
        p.reset_error = false;
        let (topic, partition) = (p.tp.topic.clone(), p.tp.partition);
        let consumer = c.spec.id.clone();
        self.emit(EventKind::PositionChanged { consumer, topic, partition, offset, reason });
    }

    fn mark_skipped(&mut self, i: usize, tp: &TopicPartition, from: i64, to: i64) {
        // Only records that exist can be skipped (a seek may go past the end).
        let hw = self.partition_log(tp).map_or(0, PartitionLog::high_watermark);
        let to = to.min(hw);
        if to > from {
            let key = self.consumers[i].account_key().to_string();
            self.accounts.entry(key).or_default().entry(tp.clone()).or_default().mark_skipped(from, to);
        }
    }

    /// Wakes the application if it is blocked in `poll()`.
    fn kick(&mut self, i: usize) {
        let now = self.now;
        let c = &mut self.consumers[i];
        if matches!(c.app, App::Polling { .. }) {
            c.app_wake = now;
        }
    }

    // -- the application's poll loop -----------------------------------------

    fn app_step(&mut self, i: usize) {
        match self.consumers[i].app {
            App::BetweenPolls => {
                if let Some(after) = self.consumers[i].after_batch.take() {
                    self.close_now(i, after);
                    return;
                }
                let now = self.now;
                let c = &mut self.consumers[i];
                c.app = App::Polling { deadline: now + c.spec.poll_timeout_ms };
                c.last_poll_at = now;
                self.poll_step(i);
            }
            App::Polling { .. } => self.poll_step(i),
            App::Processing => self.process_next(i),
        }
    }

    fn poll_step(&mut self, i: usize) {
        if self.consumers[i].mode == Mode::Subscribed && !self.ensure_active_group(i) {
            self.wait_in_poll(i);
            return;
        }
        if self.consumers[i].status != ConsumerStatus::Running {
            return;
        }
        self.maybe_auto_commit(i);
        self.update_positions(i);
        if self.return_records(i) {
            return;
        }
        self.send_fetch(i);
        self.wait_in_poll(i);
    }

    /// Nothing to return yet: wait for a kick, or return empty at the deadline.
    fn wait_in_poll(&mut self, i: usize) {
        let now = self.now;
        let c = &mut self.consumers[i];
        let App::Polling { deadline } = c.app else {
            return;
        };
        if now >= deadline {
            c.app = App::BetweenPolls;
            c.app_wake = now;
            let consumer = c.spec.id.clone();
            self.emit(EventKind::PollReturned { consumer, count: 0, records: Vec::new() });
        } else {
            c.app_wake = deadline;
        }
    }

    /// Returns up to `max.poll.records` buffered records, partition by partition.
    fn return_records(&mut self, i: usize) -> bool {
        let c = &mut self.consumers[i];
        let max = c.config.max_poll_records;
        let mut total = 0u32;
        let mut ranges = Vec::new();
        for p in c.parts.iter_mut() {
            if total == max {
                break;
            }
            let (Some(pos), false) = (p.position, p.paused) else {
                continue;
            };
            let available = p.fetched_end - pos;
            if available <= 0 {
                continue;
            }
            let n = (available.min(i64::from(max - total))) as u32;
            let records =
                self.topics[p.topic].partitions[p.tp.partition as usize].records(pos, pos + i64::from(n));
            let keys: Vec<Option<Key>> = records.iter().map(|r| r.key.clone()).collect();
            ranges.push(PolledRange {
                topic: p.tp.topic.clone(),
                partition: p.tp.partition,
                first_offset: pos,
                count: n,
                keys,
            });
            c.batch.push_back(BatchRange { tp: p.tp.clone(), first: pos, count: n });
            p.position = Some(pos + i64::from(n));
            total += n;
        }
        if total == 0 {
            return false;
        }
        let consumer = c.spec.id.clone();
        let (processing_ms, strategy) = (c.spec.processing_ms, c.spec.commit);
        c.app = App::Processing;
        c.app_wake = self.now + processing_ms;
        self.emit(EventKind::PollReturned { consumer, count: total, records: ranges });
        // Java sends the next fetches before returning, to overlap them with processing.
        self.send_fetch(i);
        if strategy == CommitStrategy::SyncBeforeProcessing {
            self.commit_positions(i, CommitKind::Sync, CommitTrigger::BeforeProcessing);
        }
        if processing_ms == 0 {
            self.process_next(i);
        }
        true
    }

    /// Processes the next record (or, with zero processing time, everything).
    fn process_next(&mut self, i: usize) {
        let c = &self.consumers[i];
        let instant = c.spec.processing_ms == 0;
        let per_record = c.spec.commit == CommitStrategy::SyncPerRecord;
        loop {
            let c = &mut self.consumers[i];
            let Some(front) = c.batch.front_mut() else {
                break;
            };
            // With zero processing time a whole range is one event, unless the
            // application commits after every record.
            let n = if instant && !per_record { front.count } else { 1 };
            let (tp, first) = (front.tp.clone(), front.first);
            front.first += i64::from(n);
            front.count -= n;
            if front.count == 0 {
                c.batch.pop_front();
            }
            if let Some(pi) = c.part_index(&tp) {
                c.parts[pi].processed = Some(first + i64::from(n));
            }
            let key = c.account_key().to_string();
            let consumer = c.spec.id.clone();
            let tally = self.accounts.entry(key).or_default().entry(tp.clone()).or_default();
            let redelivered = tally.processed(first, n);
            self.emit(EventKind::RecordsProcessed {
                consumer,
                topic: tp.topic.clone(),
                partition: tp.partition,
                first_offset: first,
                count: n,
                redelivered,
            });
            if per_record {
                let offsets =
                    vec![PartitionOffset { topic: tp.topic, partition: tp.partition, offset: first + 1 }];
                self.commit(i, offsets, CommitKind::Sync, CommitTrigger::AfterRecord);
                if self.consumers[i].status != ConsumerStatus::Running {
                    return;
                }
            }
            if !instant {
                break;
            }
        }
        let now = self.now;
        let c = &mut self.consumers[i];
        if !c.batch.is_empty() {
            c.app_wake = now + c.spec.processing_ms;
            return;
        }
        // The batch is done: commit per poll, then poll again.
        c.app = App::BetweenPolls;
        c.app_wake = now;
        match c.spec.commit {
            CommitStrategy::SyncPerPoll => {
                self.commit_positions(i, CommitKind::Sync, CommitTrigger::AfterPoll)
            }
            CommitStrategy::AsyncPerPoll => {
                self.commit_positions(i, CommitKind::Async, CommitTrigger::AfterPoll)
            }
            _ => {}
        }
    }

    fn maybe_auto_commit(&mut self, i: usize) {
        let now = self.now;
        let c = &mut self.consumers[i];
        if !c.config.enable_auto_commit || now < c.next_auto_commit_at {
            return;
        }
        c.next_auto_commit_at = now + c.config.auto_commit_interval_ms;
        self.commit_positions(i, CommitKind::Auto, CommitTrigger::Interval);
    }

    /// Partitions without a position start from the committed offset, or
    /// from `auto.offset.reset`.
    fn update_positions(&mut self, i: usize) {
        for pi in 0..self.consumers[i].parts.len() {
            let c = &self.consumers[i];
            let p = &c.parts[pi];
            if p.position.is_some() || p.reset_error {
                continue;
            }
            let tp = p.tp.clone();
            let committed = c.config.group_id.as_ref().and_then(|g| {
                self.group_index.get(g).and_then(|&gi| self.groups[gi].committed.get(&tp).copied())
            });
            if let Some(offset) = committed {
                self.set_position(i, pi, offset, PositionReason::Committed);
                continue;
            }
            let log = &self.topics[p.topic].partitions[tp.partition as usize];
            let (start, hw) = (log.log_start_offset(), log.high_watermark());
            match c.config.auto_offset_reset {
                OffsetReset::Earliest => {
                    // Records deleted before the group ever started were not its to read.
                    self.mark_skipped(i, &tp, 0, start);
                    self.set_position(i, pi, start, PositionReason::ResetEarliest);
                }
                OffsetReset::Latest => {
                    self.mark_skipped(i, &tp, 0, hw);
                    self.set_position(i, pi, hw, PositionReason::ResetLatest);
                }
                OffsetReset::None => {
                    self.consumers[i].parts[pi].reset_error = true;
                    let consumer = self.consumers[i].spec.id.clone();
                    self.emit(EventKind::NoOffsetForPartition {
                        consumer,
                        topic: tp.topic,
                        partition: tp.partition,
                    });
                }
            }
        }
    }

    // -- commits -------------------------------------------------------------

    /// Commits the positions of all assigned partitions (`commitSync()` /
    /// auto commit): the offsets after the records earlier polls returned.
    fn commit_positions(&mut self, i: usize, kind: CommitKind, trigger: CommitTrigger) {
        let c = &self.consumers[i];
        let offsets: Vec<PartitionOffset> = c
            .parts
            .iter()
            .filter_map(|p| {
                let pos = p.position?;
                // Unvalidated positions beyond the log end are not committed.
                let hw = self.topics[p.topic].partitions[p.tp.partition as usize].high_watermark();
                (pos <= hw).then(|| PartitionOffset {
                    topic: p.tp.topic.clone(),
                    partition: p.tp.partition,
                    offset: pos,
                })
            })
            .collect();
        if offsets.is_empty() {
            return;
        }
        self.commit(i, offsets, kind, trigger);
    }

    fn commit(&mut self, i: usize, offsets: Vec<PartitionOffset>, kind: CommitKind, trigger: CommitTrigger) {
        let Some(group) = self.consumers[i].config.group_id.clone() else {
            return;
        };
        let consumer = self.consumers[i].spec.id.clone();
        self.emit(EventKind::CommitRequested {
            consumer: consumer.clone(),
            group: group.clone(),
            kind,
            trigger,
            offsets: offsets.clone(),
        });
        let gi = self.group(&group);
        let error = self.check_commit(i, gi);
        if error.is_none() {
            for o in &offsets {
                self.groups[gi].committed.insert(TopicPartition::new(o.topic.clone(), o.partition), o.offset);
            }
        }
        self.emit(EventKind::CommitCompleted {
            consumer,
            group: group.clone(),
            kind,
            offsets: offsets.clone(),
            error,
        });
        if error.is_none() {
            for o in offsets {
                self.settle(&group, &TopicPartition::new(o.topic, o.partition));
            }
        }
    }

    /// The coordinator's OffsetCommit checks.
    fn check_commit(&self, i: usize, gi: usize) -> Option<KafkaError> {
        let c = &self.consumers[i];
        let g = &self.groups[gi];
        if c.mode != Mode::Subscribed {
            // A standalone (assign) consumer commits with generation -1; the
            // coordinator only accepts that while no member uses the group.
            return (!g.members.is_empty()).then_some(KafkaError::UnknownMemberId);
        }
        let Some(member_id) = &c.member_id else {
            return Some(KafkaError::UnknownMemberId);
        };
        match g.members.get(member_id) {
            None => Some(self.unknown_member_error(g, c)),
            Some(_) if c.generation != g.generation => Some(KafkaError::IllegalGeneration),
            Some(_) if g.state == GroupState::CompletingRebalance => Some(KafkaError::RebalanceInProgress),
            Some(_) => None,
        }
    }

    fn unknown_member_error(&self, g: &Group, c: &Consumer) -> KafkaError {
        match &c.config.group_instance_id {
            Some(inst) if g.statics.get(inst).is_some_and(|m| Some(m) != c.member_id.as_ref()) => {
                KafkaError::FencedInstanceId
            }
            _ => KafkaError::UnknownMemberId,
        }
    }

    /// Reports records the group's committed offset has passed that nobody
    /// processed and nobody holds any more.
    fn settle(&mut self, key: &str, tp: &TopicPartition) {
        let Some(&gi) = self.group_index.get(key) else {
            return;
        };
        let Some(&committed) = self.groups[gi].committed.get(tp) else {
            return;
        };
        let mut upto = committed;
        for c in &self.consumers {
            if c.status == ConsumerStatus::Running && c.account_key() == key {
                for b in c.batch.iter().filter(|b| &b.tp == tp) {
                    upto = upto.min(b.first);
                }
            }
        }
        let Some(tally) = self.accounts.get_mut(key).and_then(|m| m.get_mut(tp)) else {
            // Nothing processed or skipped yet: start a tally so the loss is recorded.
            let mut tally = Tally::default();
            let lost = tally.settle(upto);
            self.accounts.entry(key.to_string()).or_default().insert(tp.clone(), tally);
            self.emit_lost(key, tp, lost);
            return;
        };
        let lost = tally.settle(upto);
        self.emit_lost(key, tp, lost);
    }

    fn emit_lost(&mut self, key: &str, tp: &TopicPartition, lost: Vec<(i64, u32)>) {
        for (first_offset, count) in lost {
            self.emit(EventKind::RecordsLost {
                group: key.to_string(),
                topic: tp.topic.clone(),
                partition: tp.partition,
                first_offset,
                count,
            });
        }
    }

    /// Drops records in hand (crash, close, revoke) and settles losses for them.
    fn drop_in_hand(&mut self, i: usize) {
        let batch: Vec<BatchRange> = self.consumers[i].batch.drain(..).collect();
        let key = self.consumers[i].account_key().to_string();
        let tps = crate::sort::btree_set(batch.into_iter().map(|b| b.tp));
        for tp in tps {
            self.settle(&key, &tp);
        }
    }

    // -- group membership (client side) --------------------------------------

    /// Java's `ensureActiveGroup` inside `poll()`: apply a finished join,
    /// or (re)join. True when the consumer may fetch.
    fn ensure_active_group(&mut self, i: usize) -> bool {
        // A join answer can require an immediate rejoin (cooperative); bounded.
        for _ in 0..4 {
            if let Some(result) = self.consumers[i].pending_join.take() {
                self.apply_join_result(i, result);
                if self.consumers[i].status != ConsumerStatus::Running {
                    return false;
                }
            }
            if self.consumers[i].lost_pending {
                self.partitions_lost(i);
            }
            let c = &self.consumers[i];
            if c.join_in_flight {
                return false;
            }
            if c.member_id.is_none() || c.generation < 0 || c.needs_join {
                self.prepare_and_join(i);
                continue;
            }
            return true;
        }
        false
    }

    fn prepare_and_join(&mut self, i: usize) {
        let c = &self.consumers[i];
        // onJoinPrepare: auto commit (sync) before giving anything up.
        if c.is_member() && c.config.enable_auto_commit {
            self.commit_positions(i, CommitKind::Auto, CommitTrigger::Rebalance);
        }
        let c = &self.consumers[i];
        if c.protocol() == assignor::RebalanceProtocol::Eager {
            let all = c.assigned();
            self.revoke(i, &all);
        } else {
            // Cooperative: only partitions of topics no longer subscribed go now.
            let gone: Vec<TopicPartition> =
                c.parts.iter().filter(|p| !c.topics.contains(&p.tp.topic)).map(|p| p.tp.clone()).collect();
            self.revoke(i, &gone);
        }
        let c = &mut self.consumers[i];
        c.needs_join = false;
        c.join_in_flight = true;
        c.heartbeat_at = None;
        let group = c.config.group_id.clone().expect("subscribed consumers have a group.id");
        let owned = c.assigned();
        let member_id = c.member_id.clone();
        let event = EventKind::JoinGroupSent {
            consumer: c.spec.id.clone(),
            group: group.clone(),
            member_id: member_id.clone().unwrap_or_default(),
            group_instance_id: c.config.group_instance_id.clone(),
            strategies: c.config.partition_assignment_strategy.iter().map(|s| s.name().to_string()).collect(),
            owned_partitions: owned.clone(),
        };
        self.emit(event);
        let gi = self.group(&group);
        self.coordinator_join(gi, i, member_id, owned);
    }

    /// `onPartitionsRevoked` for `tps` (no commit here; callers commit first).
    fn revoke(&mut self, i: usize, tps: &[TopicPartition]) {
        if tps.is_empty() {
            return;
        }
        let c = &mut self.consumers[i];
        c.parts.retain(|p| !tps.contains(&p.tp));
        if let Some(f) = &mut c.fetch {
            f.parts.retain(|(tp, _, _)| !tps.contains(tp));
        }
        let consumer = c.spec.id.clone();
        let group = c.config.group_id.clone().unwrap_or_default();
        self.emit(EventKind::PartitionsRevoked { consumer, group, partitions: tps.to_vec() });
    }

    fn partitions_lost(&mut self, i: usize) {
        let c = &mut self.consumers[i];
        c.lost_pending = false;
        if c.parts.is_empty() {
            return;
        }
        let partitions = c.assigned();
        c.parts.clear();
        c.fetch = None;
        let consumer = c.spec.id.clone();
        let group = c.config.group_id.clone().unwrap_or_default();
        self.emit(EventKind::PartitionsLost { consumer, group, partitions });
    }

    fn apply_join_result(&mut self, i: usize, r: JoinResult) {
        let now = self.now;
        let c = &mut self.consumers[i];
        c.join_in_flight = false;
        if let Some(error) = r.error {
            self.fail(i, error);
            return;
        }
        c.member_id = Some(r.member_id);
        c.generation = r.generation;
        // The selected assignor's onAssignment.
        match r.strategy {
            Some(AssignmentStrategy::Sticky) => {
                c.assignors.sticky = Some((sorted(r.assignment.clone()), r.generation));
            }
            Some(AssignmentStrategy::CooperativeSticky) => {
                c.assignors.cooperative_sticky_generation = Some(r.generation);
            }
            _ => {}
        }
        c.heartbeat_at = Some(now + c.config.heartbeat_interval_ms);
        let owned = c.assigned();
        let revoked: Vec<TopicPartition> =
            owned.iter().filter(|tp| !r.assignment.contains(tp)).cloned().collect();
        let added: Vec<TopicPartition> =
            r.assignment.iter().filter(|tp| !owned.contains(tp)).cloned().collect();
        if !revoked.is_empty() {
            // Cooperative (`onJoinComplete`): give up owned − assigned and
            // rejoin; their new owner gets them in the follow-up rebalance.
            // No commit here: the auto commit ran before the JoinGroup
            // (`onJoinPrepare`) and nothing was polled since. (An eager
            // member owns nothing by now: it revoked everything before
            // joining.)
            self.revoke(i, &revoked);
            self.consumers[i].needs_join = true;
        }
        let c = &mut self.consumers[i];
        for tp in &added {
            let t = self.topic_index[&tp.topic];
            c.parts.push(PartState::new(tp.clone(), t));
        }
        crate::sort::sort_by(&mut c.parts, |a, b| a.tp.cmp(&b.tp));
        let consumer = c.spec.id.clone();
        let group = c.config.group_id.clone().unwrap_or_default();
        self.emit(EventKind::PartitionsAssigned {
            consumer,
            group,
            generation: r.generation,
            partitions: added,
            assignment: sorted(r.assignment),
        });
    }

    fn heartbeat(&mut self, i: usize) {
        let now = self.now;
        let c = &self.consumers[i];
        let (Some(member_id), Some(group)) = (c.member_id.clone(), c.config.group_id.clone()) else {
            self.consumers[i].heartbeat_at = None;
            return;
        };
        let consumer = c.spec.id.clone();
        let generation = c.generation;
        self.emit(EventKind::HeartbeatSent {
            consumer: consumer.clone(),
            group: group.clone(),
            member_id: member_id.clone(),
            generation,
        });
        let gi = self.group(&group);
        let error = {
            let g = &mut self.groups[gi];
            match g.members.get_mut(&member_id) {
                None => Some(self.unknown_member_error(&self.groups[gi], &self.consumers[i])),
                Some(m) => {
                    m.session_deadline = now + m.session_timeout_ms;
                    if g.state == GroupState::PreparingRebalance || g.state == GroupState::CompletingRebalance
                    {
                        Some(KafkaError::RebalanceInProgress)
                    } else if generation != g.generation {
                        Some(KafkaError::IllegalGeneration)
                    } else {
                        None
                    }
                }
            }
        };
        self.emit(EventKind::HeartbeatAnswered { consumer, group, error });
        let c = &mut self.consumers[i];
        c.heartbeat_at = Some(now + c.config.heartbeat_interval_ms);
        match error {
            None => {}
            Some(KafkaError::RebalanceInProgress) => {
                c.needs_join = true;
                self.kick(i);
            }
            Some(KafkaError::FencedInstanceId) => self.fail(i, KafkaError::FencedInstanceId),
            Some(_) => {
                // UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION: no longer in the group; rejoin as new.
                c.member_id = None;
                c.generation = -1;
                c.heartbeat_at = None;
                c.lost_pending = true;
                c.needs_join = true;
                self.kick(i);
            }
        }
    }

    /// The heartbeat thread noticed no `poll()` for `max.poll.interval.ms`.
    fn poll_interval_exceeded(&mut self, i: usize) {
        let c = &mut self.consumers[i];
        let member_id = c.member_id.take();
        c.generation = -1;
        c.heartbeat_at = None;
        c.lost_pending = true;
        c.needs_join = true;
        // Static members send no LeaveGroup (KIP-345): the coordinator keeps
        // them until their session times out.
        if c.config.group_instance_id.is_none()
            && let (Some(member_id), Some(group)) = (member_id, c.config.group_id.clone())
        {
            let gi = self.group(&group);
            self.member_leaves(gi, &member_id, LeaveReason::MaxPollIntervalExceeded);
        }
    }

    fn fail(&mut self, i: usize, error: KafkaError) {
        let consumer = self.consumers[i].spec.id.clone();
        self.emit(EventKind::ConsumerFailed { consumer, error });
        self.stop(i, ConsumerStatus::Failed);
    }

    fn stop(&mut self, i: usize, status: ConsumerStatus) {
        self.drop_in_hand(i);
        let c = &mut self.consumers[i];
        c.status = status;
        c.parts.clear();
        c.fetch = None;
        c.heartbeat_at = None;
        c.pending_join = None;
        c.join_in_flight = false;
        c.member_id = None;
        c.generation = -1;
    }

    fn crash(&mut self, i: usize) {
        let consumer = self.consumers[i].spec.id.clone();
        self.emit(EventKind::ConsumerCrashed { consumer });
        self.stop(i, ConsumerStatus::Crashed);
    }

    fn request_close(&mut self, i: usize, after: AfterBatch) {
        let c = &mut self.consumers[i];
        if c.app == App::Processing && !c.stalled {
            // close() runs on the application thread, after the current batch.
            c.after_batch = Some(after);
        } else {
            self.close_now(i, after);
        }
    }

    fn close_now(&mut self, i: usize, after: AfterBatch) {
        let c = &self.consumers[i];
        if c.config.enable_auto_commit && (c.is_member() || c.mode == Mode::Assigned) {
            self.commit_positions(i, CommitKind::Auto, CommitTrigger::Close);
        }
        let c = &self.consumers[i];
        if c.mode == Mode::Subscribed {
            let all = c.assigned();
            self.revoke(i, &all);
            self.leave_if_dynamic(i, LeaveReason::Close);
        }
        let consumer = self.consumers[i].spec.id.clone();
        self.stop(i, ConsumerStatus::Closed);
        self.emit(EventKind::ConsumerClosed { consumer });
        if after == AfterBatch::Restart {
            let spec = self.consumers[i].spec.clone();
            if let Err(e) = self.start_consumer(spec) {
                // The new config was validated when it was changed.
                unreachable!("restart with a validated config failed: {e}");
            }
        }
    }

    fn leave_if_dynamic(&mut self, i: usize, reason: LeaveReason) {
        let c = &self.consumers[i];
        if c.config.group_instance_id.is_some() {
            return;
        }
        if let (Some(member_id), Some(group)) = (c.member_id.clone(), c.config.group_id.clone()) {
            let gi = self.group(&group);
            self.member_leaves(gi, &member_id, reason);
        }
    }

    fn subscribe(&mut self, i: usize, topics: Vec<String>) {
        let c = &mut self.consumers[i];
        let consumer = c.spec.id.clone();
        if c.mode == Mode::Assigned {
            self.emit(EventKind::IllegalState {
                consumer,
                message: "Subscription to topics, partitions and pattern are mutually exclusive".into(),
            });
            return;
        }
        if c.config.group_id.is_none() {
            self.emit(EventKind::IllegalState {
                consumer,
                message:
                    "To use the group management or offset commit APIs, you must provide a valid group.id"
                        .into(),
            });
            return;
        }
        let mut topics = topics;
        crate::sort::sort(&mut topics);
        topics.dedup();
        c.mode = Mode::Subscribed;
        if c.topics != topics {
            c.topics = topics.clone();
            c.needs_join = true;
            self.kick(i);
        }
        self.consumers[i].spec.subscription = Subscription::Topics(topics.clone());
        self.emit(EventKind::Subscribed { consumer, topics });
    }

    fn assign(&mut self, i: usize, partitions: Vec<TopicPartition>) {
        let c = &mut self.consumers[i];
        let consumer = c.spec.id.clone();
        if c.mode == Mode::Subscribed {
            self.emit(EventKind::IllegalState {
                consumer,
                message: "Subscription to topics, partitions and pattern are mutually exclusive".into(),
            });
            return;
        }
        let partitions = sorted(partitions);
        c.mode = Mode::Assigned;
        c.parts.retain(|p| partitions.contains(&p.tp));
        if let Some(f) = &mut c.fetch {
            f.parts.retain(|(tp, _, _)| partitions.contains(tp));
        }
        for tp in &partitions {
            if c.part_index(tp).is_none() {
                let t = self.topic_index[&tp.topic];
                c.parts.push(PartState::new(tp.clone(), t));
                crate::sort::sort_by(&mut c.parts, |a, b| a.tp.cmp(&b.tp));
            }
        }
        c.spec.subscription = Subscription::Partitions(partitions.clone());
        self.emit(EventKind::ManuallyAssigned { consumer, partitions });
        self.kick(i);
    }

    fn unsubscribe(&mut self, i: usize) {
        let c = &self.consumers[i];
        if c.mode == Mode::Subscribed {
            let all = c.assigned();
            self.revoke(i, &all);
            self.leave_if_dynamic(i, LeaveReason::Unsubscribe);
        }
        let c = &mut self.consumers[i];
        c.parts.clear();
        c.fetch = None;
        c.mode = Mode::None;
        c.topics.clear();
        c.member_id = None;
        c.generation = -1;
        c.heartbeat_at = None;
        c.join_in_flight = false;
        c.pending_join = None;
        c.needs_join = false;
        c.lost_pending = false;
        c.spec.subscription = Subscription::None;
        let consumer = c.spec.id.clone();
        self.emit(EventKind::Unsubscribed { consumer });
    }

    fn not_assigned(&mut self, i: usize, tp: &TopicPartition) {
        let consumer = self.consumers[i].spec.id.clone();
        self.emit(EventKind::IllegalState {
            consumer,
            message: format!("No current assignment for partition {tp}"),
        });
    }

    fn targets(&mut self, i: usize, partitions: Vec<TopicPartition>) -> Vec<usize> {
        let partitions = if partitions.is_empty() { self.consumers[i].assigned() } else { partitions };
        let mut out = Vec::new();
        for tp in &partitions {
            match self.consumers[i].part_index(tp) {
                Some(pi) => out.push(pi),
                None => self.not_assigned(i, tp),
            }
        }
        out
    }

    fn log_bounds(
        &self,
        i: usize,
        partitions: &[TopicPartition],
        start: bool,
    ) -> BTreeMap<TopicPartition, i64> {
        let all;
        let partitions = if partitions.is_empty() {
            all = self.consumers[i].assigned();
            &all
        } else {
            partitions
        };
        crate::sort::btree_map(partitions.iter().filter_map(|tp| {
            let t = *self.topic_index.get(&tp.topic)?;
            let log = self.topics[t].partitions.get(tp.partition as usize)?;
            Some((tp.clone(), if start { log.log_start_offset() } else { log.high_watermark() }))
        }))
    }

    fn seek(
        &mut self,
        i: usize,
        partitions: Vec<TopicPartition>,
        to: impl Fn(&TopicPartition) -> i64,
        reason: PositionReason,
    ) {
        for pi in self.targets(i, partitions) {
            let tp = self.consumers[i].parts[pi].tp.clone();
            let offset = to(&tp);
            if let Some(old) = self.consumers[i].parts[pi].position {
                // Jumping forward skips records on purpose; not a loss.
                self.mark_skipped(i, &tp, old, offset);
            }
            self.set_position(i, pi, offset, reason);
        }
        self.kick(i);
    }

    fn set_paused(
        &mut self,
        consumer: &str,
        partitions: Vec<TopicPartition>,
        paused: bool,
    ) -> Result<(), ModelError> {
        let i = self.running_idx(consumer)?;
        for tp in &partitions {
            self.check_partition(tp)?;
        }
        let targets = self.targets(i, partitions);
        let mut changed = Vec::new();
        for pi in targets {
            let p = &mut self.consumers[i].parts[pi];
            p.paused = paused;
            changed.push(p.tp.clone());
        }
        if changed.is_empty() {
            return Ok(());
        }
        let consumer = consumer.to_string();
        self.emit(if paused {
            EventKind::Paused { consumer, partitions: changed }
        } else {
            EventKind::Resumed { consumer, partitions: changed }
        });
        self.kick(i);
        Ok(())
    }

    fn change_config(&mut self, consumer: &str, changes: BTreeMap<String, String>) -> Result<(), ModelError> {
        let i = self.consumer_idx(consumer)?;
        let mut spec = self.consumers[i].spec.clone();
        for (k, v) in &changes {
            if v.is_empty() {
                spec.properties.remove(k);
            } else {
                spec.properties.insert(k.clone(), v.clone());
            }
        }
        self.check_consumer(&spec)?;
        self.emit(EventKind::ConsumerConfigChanged { consumer: consumer.to_string(), changes });
        self.consumers[i].spec = spec;
        if self.consumers[i].status == ConsumerStatus::Running {
            self.request_close(i, AfterBatch::Restart);
        }
        Ok(())
    }

    // -- the group coordinator -----------------------------------------------

    fn group(&mut self, id: &str) -> usize {
        if let Some(&gi) = self.group_index.get(id) {
            return gi;
        }
        self.group_index.insert(id.to_string(), self.groups.len());
        self.groups.push(Group {
            id: id.to_string(),
            state: GroupState::Empty,
            generation: 0,
            leader: None,
            assignor: None,
            members: VecMap::new(),
            statics: VecMap::new(),
            committed: VecMap::new(),
            join_deadline: None,
            initial_delay: false,
            rebalance_started_at: 0,
            assignment: BTreeMap::new(),
        });
        self.groups.len() - 1
    }

    fn set_state(&mut self, gi: usize, to: GroupState) {
        let g = &mut self.groups[gi];
        if g.state == to {
            return;
        }
        let from = g.state;
        g.state = to;
        let (group, generation) = (g.id.clone(), g.generation);
        self.emit(EventKind::GroupStateChanged { group, from, to, generation });
    }

    fn start_rebalance(&mut self, gi: usize, reason: String) {
        let now = self.now;
        let g = &mut self.groups[gi];
        let timeout = g.members.values().map(|m| m.rebalance_timeout_ms).max().unwrap_or(0);
        g.join_deadline = Some(now + timeout);
        g.rebalance_started_at = now;
        g.initial_delay = false;
        let (group, generation) = (g.id.clone(), g.generation);
        self.emit(EventKind::RebalanceStarted { group, generation, reason });
        self.set_state(gi, GroupState::PreparingRebalance);
    }

    fn answer(&mut self, i: usize, instance: u32, result: JoinResult) {
        let c = &mut self.consumers[i];
        if c.instance == instance && c.status == ConsumerStatus::Running {
            c.pending_join = Some(result);
            self.kick(i);
        }
    }

    fn coordinator_join(
        &mut self,
        gi: usize,
        i: usize,
        member_id: Option<String>,
        owned: Vec<TopicPartition>,
    ) {
        let now = self.now;
        let c = &self.consumers[i];
        let (instance, consumer_id) = (c.instance, c.spec.id.clone());
        let strategies = c.config.partition_assignment_strategy.clone();
        let protocol = c.protocol();
        // ConsumerCoordinator.metadata(): each member sends its own
        // generation with what it owns.
        let (generation, assignor_memory) = (c.generation, c.assignors.clone());
        let instance_id = c.config.group_instance_id.clone();
        let topics = c.topics.clone();
        let (rebalance_timeout_ms, session_timeout_ms) =
            (c.config.max_poll_interval_ms, c.config.session_timeout_ms);
        let group = self.groups[gi].id.clone();

        // INCONSISTENT_GROUP_PROTOCOL: no strategy in common with the others.
        let mut lists: Vec<Vec<AssignmentStrategy>> = self.groups[gi]
            .members
            .iter()
            .filter(|(id, _)| Some(*id) != member_id.as_ref())
            .map(|(_, m)| m.strategies.clone())
            .collect();
        lists.push(strategies.clone());
        if assignor::select_strategy(&lists).is_none() {
            let result = JoinResult {
                member_id: member_id.unwrap_or_default(),
                generation: -1,
                assignment: Vec::new(),
                strategy: None,
                error: Some(KafkaError::InconsistentGroupProtocol),
            };
            self.emit(EventKind::JoinGroupAnswered {
                consumer: consumer_id,
                group,
                member_id: result.member_id.clone(),
                generation: -1,
                leader: String::new(),
                error: result.error,
            });
            self.answer(i, instance, result);
            return;
        }

        let mut member_id = member_id.filter(|m| self.groups[gi].members.contains_key(m));
        let mut static_rejoin = false;
        if member_id.is_none() {
            // A known group.instance.id takes over its old member (KIP-345).
            let old = instance_id.as_ref().and_then(|inst| self.groups[gi].statics.get(inst).cloned());
            let new_id = {
                let c = &mut self.consumers[i];
                format!("{}-{:08x}", consumer_id, c.rng.next_u32())
            };
            if let Some(old_id) = old {
                let g = &mut self.groups[gi];
                if let Some(old_member) = g.members.remove(&old_id) {
                    let unchanged = old_member.topics == topics && old_member.strategies == strategies;
                    if let Some(a) = g.assignment.remove(&old_id) {
                        g.assignment.insert(new_id.clone(), a);
                    }
                    if g.leader.as_ref() == Some(&old_id) {
                        g.leader = Some(new_id.clone());
                    }
                    static_rejoin = g.state == GroupState::Stable && unchanged;
                }
            }
            let g = &mut self.groups[gi];
            if let Some(inst) = &instance_id {
                g.statics.insert(inst.clone(), new_id.clone());
            }
            g.members.insert(
                new_id.clone(),
                Member {
                    consumer: i,
                    instance,
                    consumer_id: consumer_id.clone(),
                    group_instance_id: instance_id.clone(),
                    topics: topics.clone(),
                    strategies: strategies.clone(),
                    owned: owned.clone(),
                    generation,
                    assignors: assignor_memory.clone(),
                    protocol,
                    rebalance_timeout_ms,
                    session_timeout_ms,
                    session_deadline: now + session_timeout_ms,
                    awaiting_join: false,
                },
            );
            self.emit(EventKind::MemberJoined {
                group: group.clone(),
                member_id: new_id.clone(),
                consumer: consumer_id.clone(),
                group_instance_id: instance_id.clone(),
                static_rejoin,
            });
            member_id = Some(new_id);
        }
        let member_id = member_id.expect("set above");

        if static_rejoin {
            // Same subscription, group stable: the old assignment, no rebalance.
            let g = &self.groups[gi];
            let result = JoinResult {
                member_id: member_id.clone(),
                generation: g.generation,
                assignment: g.assignment.get(&member_id).cloned().unwrap_or_default(),
                strategy: g.assignor,
                error: None,
            };
            let leader = g.leader.clone().unwrap_or_default();
            self.emit(EventKind::JoinGroupAnswered {
                consumer: consumer_id,
                group,
                member_id,
                generation: result.generation,
                leader,
                error: None,
            });
            self.answer(i, instance, result);
            return;
        }

        let g = &mut self.groups[gi];
        let m = g.members.get_mut(&member_id).expect("member exists");
        m.consumer = i;
        m.instance = instance;
        m.topics = topics;
        m.strategies = strategies;
        m.owned = owned;
        m.generation = generation;
        m.assignors = assignor_memory;
        m.protocol = protocol;
        m.rebalance_timeout_ms = rebalance_timeout_ms;
        m.session_timeout_ms = session_timeout_ms;
        m.awaiting_join = true;
        match g.state {
            GroupState::Empty | GroupState::Dead => {
                let delay = self.broker.group_initial_rebalance_delay_ms;
                self.start_rebalance(gi, format!("member {member_id} joined the empty group"));
                let g = &mut self.groups[gi];
                if delay > 0 {
                    g.initial_delay = true;
                    g.join_deadline = Some(now + delay.min(rebalance_timeout_ms));
                }
            }
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.start_rebalance(gi, format!("member {member_id} is joining"));
            }
            GroupState::PreparingRebalance => {
                if g.initial_delay {
                    // InitialDelayedJoin: each new member extends the wait, up to the rebalance timeout.
                    let delay = self.broker.group_initial_rebalance_delay_ms;
                    let cap = g.rebalance_started_at
                        + g.members.values().map(|m| m.rebalance_timeout_ms).max().unwrap_or(0);
                    g.join_deadline = Some((now + delay).min(cap).max(g.join_deadline.unwrap_or(0)));
                } else {
                    let cap = g.rebalance_started_at + rebalance_timeout_ms;
                    g.join_deadline = Some(g.join_deadline.unwrap_or(cap).max(cap));
                }
            }
        }
        self.try_complete_join(gi);
    }

    fn try_complete_join(&mut self, gi: usize) {
        let g = &self.groups[gi];
        if g.state == GroupState::PreparingRebalance
            && !g.initial_delay
            && g.members.values().all(|m| m.awaiting_join)
        {
            self.complete_join(gi);
        }
    }

    fn join_deadline_passed(&mut self, gi: usize) {
        let g = &mut self.groups[gi];
        g.join_deadline = None;
        if g.state != GroupState::PreparingRebalance {
            return;
        }
        g.initial_delay = false;
        // Members that did not rejoin within the rebalance timeout are removed.
        let late: Vec<String> =
            g.members.iter().filter(|(_, m)| !m.awaiting_join).map(|(id, _)| id.clone()).collect();
        for member_id in late {
            if let Some(m) = self.remove_member(gi, &member_id) {
                let group = self.groups[gi].id.clone();
                self.emit(EventKind::MemberEvicted {
                    group,
                    member_id,
                    consumer: m.consumer_id,
                    reason: EvictReason::RebalanceTimeout,
                });
            }
        }
        self.complete_join(gi);
    }

    fn remove_member(&mut self, gi: usize, member_id: &str) -> Option<Member> {
        let g = &mut self.groups[gi];
        let m = g.members.remove(member_id)?;
        if let Some(inst) = &m.group_instance_id
            && g.statics.get(inst).map(String::as_str) == Some(member_id)
        {
            g.statics.remove(inst);
        }
        g.assignment.remove(member_id);
        Some(m)
    }

    fn complete_join(&mut self, gi: usize) {
        let now = self.now;
        let g = &mut self.groups[gi];
        g.join_deadline = None;
        g.initial_delay = false;
        g.generation += 1;
        if g.members.is_empty() {
            g.leader = None;
            g.assignor = None;
            g.assignment.clear();
            self.set_state(gi, GroupState::Empty);
            return;
        }
        self.set_state(gi, GroupState::CompletingRebalance);
        let g = &mut self.groups[gi];
        let lists: Vec<Vec<AssignmentStrategy>> = g.members.values().map(|m| m.strategies.clone()).collect();
        let strategy = assignor::select_strategy(&lists)
            .or_else(|| lists.first().and_then(|l| l.first().copied()))
            .expect("members have at least one strategy");
        g.assignor = Some(strategy);
        if !g.leader.as_ref().is_some_and(|l| g.members.contains_key(l)) {
            g.leader = g.members.keys().next().cloned();
        }
        let leader = g.leader.clone().expect("a group with members has a leader");
        let generation = g.generation;
        let group = g.id.clone();
        let answers: Vec<(String, String)> =
            g.members.iter().map(|(id, m)| (id.clone(), m.consumer_id.clone())).collect();
        for (member_id, consumer) in answers {
            self.emit(EventKind::JoinGroupAnswered {
                consumer,
                group: group.clone(),
                member_id,
                generation,
                leader: leader.clone(),
                error: None,
            });
        }
        // The leader computes the assignment with the selected assignor (SyncGroup).
        let g = &self.groups[gi];
        let mut partitions_per_topic = BTreeMap::new();
        for m in g.members.values() {
            for t in &m.topics {
                if let Some(&ti) = self.topic_index.get(t) {
                    partitions_per_topic.insert(t.clone(), self.topics[ti].partition_count());
                }
            }
        }
        let subscriptions: Vec<MemberSubscription> = g
            .members
            .iter()
            .map(|(id, m)| {
                let (owned_partitions, generation) = join_metadata(strategy, m);
                MemberSubscription {
                    member_id: id.clone(),
                    group_instance_id: m.group_instance_id.clone(),
                    topics: m.topics.clone(),
                    owned_partitions,
                    generation,
                }
            })
            .collect();
        // Each member rebalances with its own protocol; the group is
        // cooperative only when all of them are (a rolling upgrade from
        // eager is not, until its last member is).
        let protocol =
            g.members.values().map(|m| m.protocol).min().unwrap_or(assignor::RebalanceProtocol::Eager);
        let mut assignment = assignor::assign(strategy, &partitions_per_topic, &subscriptions);
        for id in g.members.keys() {
            assignment.entry(id.clone()).or_default();
        }
        let assignments = assignment
            .iter()
            .map(|(id, ps)| MemberAssignment {
                member_id: id.clone(),
                consumer: g.members[id].consumer_id.clone(),
                partitions: ps.clone(),
            })
            .collect();
        self.emit(EventKind::RebalanceCompleted {
            group,
            generation,
            protocol: to_protocol(protocol),
            assignor: strategy.name().to_string(),
            leader,
            assignments,
        });
        self.set_state(gi, GroupState::Stable);
        let g = &mut self.groups[gi];
        g.assignment = assignment.clone();
        let mut answers = Vec::new();
        for (id, m) in g.members.iter_mut() {
            m.awaiting_join = false;
            m.session_deadline = now + m.session_timeout_ms;
            answers.push((m.consumer, m.instance, id.clone()));
        }
        for (ci, instance, member_id) in answers {
            let result = JoinResult {
                assignment: assignment.get(&member_id).cloned().unwrap_or_default(),
                member_id,
                generation,
                strategy: Some(strategy),
                error: None,
            };
            self.answer(ci, instance, result);
        }
    }

    fn expire_sessions(&mut self, gi: usize) {
        let now = self.now;
        let expired: Vec<String> = self.groups[gi]
            .members
            .iter()
            .filter(|(_, m)| !m.awaiting_join && m.session_deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for member_id in expired {
            if let Some(m) = self.remove_member(gi, &member_id) {
                let group = self.groups[gi].id.clone();
                self.emit(EventKind::MemberEvicted {
                    group,
                    member_id: member_id.clone(),
                    consumer: m.consumer_id,
                    reason: EvictReason::SessionTimeout,
                });
                self.after_member_removed(gi, format!("member {member_id} was removed: session timeout"));
            }
        }
    }

    fn member_leaves(&mut self, gi: usize, member_id: &str, reason: LeaveReason) {
        if let Some(m) = self.remove_member(gi, member_id) {
            let group = self.groups[gi].id.clone();
            self.emit(EventKind::MemberLeft {
                group,
                member_id: member_id.to_string(),
                consumer: m.consumer_id,
                reason,
            });
            self.after_member_removed(gi, format!("member {member_id} left the group"));
        }
    }

    fn after_member_removed(&mut self, gi: usize, reason: String) {
        match self.groups[gi].state {
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.start_rebalance(gi, reason);
                self.try_complete_join(gi);
            }
            GroupState::PreparingRebalance => self.try_complete_join(gi),
            GroupState::Empty | GroupState::Dead => {}
        }
    }

    // -- views ---------------------------------------------------------------

    pub fn topic_names(&self) -> Vec<String> {
        self.topics.iter().map(|t| t.name.clone()).collect()
    }

    pub fn partition_count(&self, topic: &str) -> Option<i32> {
        self.topic_index.get(topic).map(|&t| self.topics[t].partition_count())
    }

    pub fn partition_log(&self, tp: &TopicPartition) -> Option<&PartitionLog> {
        let t = *self.topic_index.get(&tp.topic)?;
        self.topics[t].partitions.get(usize::try_from(tp.partition).ok()?)
    }

    pub fn consumer_ids(&self) -> Vec<String> {
        self.consumers.iter().map(|c| c.spec.id.clone()).collect()
    }

    pub fn consumer_spec(&self, id: &str) -> Option<&ConsumerSpec> {
        self.consumer_index.get(id).map(|&i| &self.consumers[i].spec)
    }

    pub fn consumer(&self, id: &str) -> Option<ConsumerView> {
        let c = &self.consumers[*self.consumer_index.get(id)?];
        let committed = |tp: &TopicPartition| {
            let g = c.config.group_id.as_ref()?;
            self.groups[*self.group_index.get(g)?].committed.get(tp).copied()
        };
        Some(ConsumerView {
            id: c.spec.id.clone(),
            status: c.status,
            group: c.config.group_id.clone(),
            member_id: c.member_id.clone(),
            generation: c.generation,
            subscription: c.spec.subscription.clone(),
            partitions: c
                .parts
                .iter()
                .map(|p| PartitionCursor {
                    partition: p.tp.clone(),
                    position: p.position,
                    processed: p.processed,
                    committed: committed(&p.tp),
                    paused: p.paused,
                    buffered: p.buffered() as u32,
                })
                .collect(),
            polling_stopped: c.stalled,
        })
    }

    pub fn group_ids(&self) -> Vec<String> {
        self.group_index.keys().cloned().collect()
    }

    pub fn group_view(&self, id: &str) -> Option<GroupView> {
        let g = &self.groups[*self.group_index.get(id)?];
        Some(GroupView {
            id: g.id.clone(),
            state: g.state,
            generation: g.generation,
            leader: g.leader.clone(),
            assignor: g.assignor.map(|a| a.name().to_string()),
            members: g
                .members
                .iter()
                .map(|(id, m)| {
                    (id.clone(), m.consumer_id.clone(), g.assignment.get(id).cloned().unwrap_or_default())
                })
                .collect(),
            committed: crate::sort::btree_map(g.committed.iter().map(|(tp, offset)| (tp.clone(), *offset))),
        })
    }

    /// Delivery accounting per group (or group-less consumer) and partition.
    pub fn accounting(&self) -> BTreeMap<String, BTreeMap<TopicPartition, PartitionAccount>> {
        crate::sort::btree_map(self.accounts.iter().map(|(k, m)| {
            (k.clone(), crate::sort::btree_map(m.iter().map(|(tp, t)| (tp.clone(), t.totals()))))
        }))
    }

    /// Running totals of consumer `id` over the whole run (all its
    /// instances: a restart does not reset them).
    pub fn consumer_stats(&self, id: &str) -> Option<&ConsumerStats> {
        self.consumer_index.get(id).map(|&i| &self.stats[i])
    }

    /// How often the group (or group-less consumer) `key` processed this offset.
    pub fn processed_count(&self, key: &str, tp: &TopicPartition, offset: i64) -> u32 {
        self.accounts.get(key).and_then(|m| m.get(tp)).map_or(0, |t| t.count(offset))
    }
}
