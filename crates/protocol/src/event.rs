//! Events: what happened, when. The offline model emits them and the gateway
//! will translate what it observes on a real cluster into the same shapes, so a
//! view folds one list of events into its state either way (the list is the
//! timeline).
//!
//! JSON shape: `{"at_ms":1200,"type":"poll_returned",...fields}`. Field names
//! are snake_case; Kafka's own names are kept where Kafka has one (error codes
//! such as `REBALANCE_IN_PROGRESS`, group states such as `PreparingRebalance`).
//!
//! Cost: record-level events come in ranges (a poll returns offset ranges per
//! partition, processing is reported per contiguous range), so a poll of 500
//! records is one event, not 500.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::TopicPartition;

/// A record key. Shared, so that passing keys from the log into events
/// copies a pointer, not the bytes.
pub type Key = Arc<str>;

/// One event at one virtual time. (`Deserialize`: see `de.rs`.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Virtual time in milliseconds since the start of the run.
    pub at_ms: u64,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A record as produced: key (if any) and value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducedRecord {
    pub key: Option<Key>,
    pub value: Arc<str>,
}

/// A partition and an offset: a fetch position, or a committed offset (the
/// offset of the next record to read, i.e. last processed + 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
}

/// What one fetch response held for one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchedRange {
    pub topic: String,
    pub partition: i32,
    /// The fetch offset: the first record returned (if `count > 0`).
    pub first_offset: i64,
    pub count: u32,
    /// Modeled size of the returned records (see the model's record size model).
    pub bytes: u64,
    pub high_watermark: i64,
    pub log_start_offset: i64,
}

/// The records one `poll()` returned from one partition: `count` records
/// with consecutive offsets from `first_offset`, and their keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolledRange {
    pub topic: String,
    pub partition: i32,
    pub first_offset: i64,
    pub count: u32,
    /// One entry per record, in offset order.
    pub keys: Vec<Option<Key>>,
}

/// One member's share of a rebalance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAssignment {
    pub member_id: String,
    pub consumer: String,
    pub partitions: Vec<TopicPartition>,
}

/// Who asked for a commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitKind {
    /// `enable.auto.commit`: the client commits its positions by itself.
    Auto,
    /// `commitSync()`: blocks until the coordinator answers.
    Sync,
    /// `commitAsync()`: does not block and does not retry.
    Async,
}

/// Why a commit happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitTrigger {
    /// `auto.commit.interval.ms` passed; checked during `poll()`.
    Interval,
    /// Before the consumer rejoins its group (partitions may be revoked).
    Rebalance,
    /// During `close()`.
    Close,
    /// The application commits after each processed record.
    AfterRecord,
    /// The application commits after processing all records of a poll.
    AfterPoll,
    /// The application commits right after `poll()`, before processing (at-most-once).
    BeforeProcessing,
    /// An explicit commit action (a person pressed "commit").
    Action,
}

/// How the application in a consumer commits; one of the patterns of 5.6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitStrategy {
    /// The application never commits; `enable.auto.commit` does (or nothing does).
    Auto,
    /// `commitSync(offsets)` after each processed record.
    SyncPerRecord,
    /// `commitSync()` after processing each poll's records (at-least-once).
    SyncPerPoll,
    /// `commitAsync()` after processing each poll's records.
    AsyncPerPoll,
    /// `commitSync()` right after `poll()`, before processing (at-most-once).
    SyncBeforeProcessing,
}

impl KafkaError {
    pub const ALL: [KafkaError; 10] = [
        KafkaError::RebalanceInProgress,
        KafkaError::UnknownMemberId,
        KafkaError::IllegalGeneration,
        KafkaError::FencedInstanceId,
        KafkaError::InconsistentGroupProtocol,
        KafkaError::InvalidSessionTimeout,
        KafkaError::CoordinatorNotAvailable,
        KafkaError::NotCoordinator,
        KafkaError::RequestTimedOut,
        KafkaError::UnknownServerError,
    ];

    /// Kafka's own spelling, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            KafkaError::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            KafkaError::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            KafkaError::IllegalGeneration => "ILLEGAL_GENERATION",
            KafkaError::FencedInstanceId => "FENCED_INSTANCE_ID",
            KafkaError::InconsistentGroupProtocol => "INCONSISTENT_GROUP_PROTOCOL",
            KafkaError::InvalidSessionTimeout => "INVALID_SESSION_TIMEOUT",
            KafkaError::CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
            KafkaError::NotCoordinator => "NOT_COORDINATOR",
            KafkaError::RequestTimedOut => "REQUEST_TIMED_OUT",
            KafkaError::UnknownServerError => "UNKNOWN_SERVER_ERROR",
        }
    }
}

impl GroupState {
    pub const ALL: [GroupState; 5] = [
        GroupState::Empty,
        GroupState::PreparingRebalance,
        GroupState::CompletingRebalance,
        GroupState::Stable,
        GroupState::Dead,
    ];

    /// The coordinator's name for the state, as `kafka-consumer-groups`
    /// prints it and as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
        }
    }

    pub fn from_name(name: &str) -> Option<GroupState> {
        GroupState::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl RebalanceProtocol {
    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            RebalanceProtocol::Eager => "eager",
            RebalanceProtocol::Cooperative => "cooperative",
        }
    }
}

impl LeaveReason {
    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            LeaveReason::Close => "close",
            LeaveReason::Unsubscribe => "unsubscribe",
            LeaveReason::MaxPollIntervalExceeded => "max_poll_interval_exceeded",
        }
    }
}

impl EvictReason {
    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            EvictReason::SessionTimeout => "session_timeout",
            EvictReason::RebalanceTimeout => "rebalance_timeout",
            EvictReason::Fenced => "fenced",
        }
    }
}

impl PositionReason {
    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            PositionReason::Committed => "committed",
            PositionReason::ResetEarliest => "reset_earliest",
            PositionReason::ResetLatest => "reset_latest",
            PositionReason::Seek => "seek",
            PositionReason::SeekToBeginning => "seek_to_beginning",
            PositionReason::SeekToEnd => "seek_to_end",
        }
    }
}

impl CommitKind {
    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            CommitKind::Auto => "auto",
            CommitKind::Sync => "sync",
            CommitKind::Async => "async",
        }
    }
}

impl CommitTrigger {
    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            CommitTrigger::Interval => "interval",
            CommitTrigger::Rebalance => "rebalance",
            CommitTrigger::Close => "close",
            CommitTrigger::AfterRecord => "after_record",
            CommitTrigger::AfterPoll => "after_poll",
            CommitTrigger::BeforeProcessing => "before_processing",
            CommitTrigger::Action => "action",
        }
    }
}

impl CommitStrategy {
    pub const ALL: [CommitStrategy; 5] = [
        CommitStrategy::Auto,
        CommitStrategy::SyncPerRecord,
        CommitStrategy::SyncPerPoll,
        CommitStrategy::AsyncPerPoll,
        CommitStrategy::SyncBeforeProcessing,
    ];

    /// The spelling used in JSON and in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            CommitStrategy::Auto => "auto",
            CommitStrategy::SyncPerRecord => "sync_per_record",
            CommitStrategy::SyncPerPoll => "sync_per_poll",
            CommitStrategy::AsyncPerPoll => "async_per_poll",
            CommitStrategy::SyncBeforeProcessing => "sync_before_processing",
        }
    }

    pub fn from_name(name: &str) -> Option<CommitStrategy> {
        CommitStrategy::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Kafka error codes the model can answer with, spelled as Kafka spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KafkaError {
    /// The group is rebalancing: the member must rejoin.
    RebalanceInProgress,
    /// The coordinator does not know this member (evicted, or it left).
    UnknownMemberId,
    /// The member's generation is not the group's current one.
    IllegalGeneration,
    /// Another consumer took over this `group.instance.id`.
    FencedInstanceId,
    /// The member's strategies share none with the group's.
    InconsistentGroupProtocol,
    /// `session.timeout.ms` outside the broker's bounds.
    InvalidSessionTimeout,
    /// No coordinator for the group yet (live mode: a broker starting or down).
    CoordinatorNotAvailable,
    /// The broker asked is no longer the group's coordinator.
    NotCoordinator,
    /// No answer in time.
    RequestTimedOut,
    /// Any other error a live cluster answers with; the gateway sends its
    /// text in an error frame.
    UnknownServerError,
}

/// The classic group coordinator's states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

/// How members give up partitions in a rebalance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RebalanceProtocol {
    /// Every member revokes all its partitions before rejoining.
    Eager,
    /// Members keep what does not move; moved partitions are revoked first and
    /// assigned in a follow-up rebalance (KIP-429).
    Cooperative,
}

/// Why a member sent LeaveGroup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// `close()`.
    Close,
    /// `unsubscribe()`.
    Unsubscribe,
    /// No `poll()` for `max.poll.interval.ms`: the client leaves on its own.
    MaxPollIntervalExceeded,
}

/// Why the coordinator removed a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvictReason {
    /// No heartbeat for `session.timeout.ms`.
    SessionTimeout,
    /// Did not rejoin within the rebalance timeout (its `max.poll.interval.ms`).
    RebalanceTimeout,
    /// A new consumer with the same `group.instance.id` replaced it.
    Fenced,
}

/// Why a position changed other than by consuming.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionReason {
    /// Resumed from the group's committed offset.
    Committed,
    /// `auto.offset.reset = earliest`: the log start offset.
    ResetEarliest,
    /// `auto.offset.reset = latest`: the high watermark.
    ResetLatest,
    Seek,
    SeekToBeginning,
    SeekToEnd,
}

/// Everything that can happen. See the module docs for the JSON shape.
/// Read as part of an [`Event`] (see `de.rs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The run begins; everything else follows from this seed and the inputs.
    ModelStarted {
        seed: u64,
    },
    TopicCreated {
        topic: String,
        partitions: i32,
    },
    /// Records appended to one partition, at consecutive offsets from `first_offset`.
    /// `producer` is `None` for records produced by an action.
    RecordsProduced {
        producer: Option<String>,
        topic: String,
        partition: i32,
        first_offset: i64,
        records: Vec<ProducedRecord>,
    },
    /// Delete records: the log start offset moved up to `log_start_offset`.
    RecordsDeleted {
        topic: String,
        partition: i32,
        log_start_offset: i64,
    },
    /// A consumer instance started with this effective configuration
    /// (Kafka property names; every modeled option, defaults included).
    ConsumerStarted {
        consumer: String,
        group: Option<String>,
        config: BTreeMap<String, String>,
        processing_ms: u64,
        commit: CommitStrategy,
    },
    /// `subscribe(topics)`.
    Subscribed {
        consumer: String,
        topics: Vec<String>,
    },
    /// `unsubscribe()`.
    Unsubscribed {
        consumer: String,
    },
    /// `assign(partitions)`: manual assignment, no group membership.
    ManuallyAssigned {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    /// A fetch request left the consumer, one position per partition.
    FetchSent {
        consumer: String,
        partitions: Vec<PartitionOffset>,
    },
    /// The broker answered a fetch (once `fetch.min.bytes` were ready, or after
    /// `fetch.max.wait.ms`); `waited_ms` is how long the broker held it.
    FetchAnswered {
        consumer: String,
        waited_ms: u64,
        partitions: Vec<FetchedRange>,
    },
    /// `poll()` returned; `records` is empty when it timed out with nothing.
    PollReturned {
        consumer: String,
        count: u32,
        records: Vec<PolledRange>,
    },
    /// The application finished processing `count` records from `first_offset`;
    /// `redelivered` of them had already been processed in this group (duplicates).
    RecordsProcessed {
        consumer: String,
        topic: String,
        partition: i32,
        first_offset: i64,
        count: u32,
        redelivered: u32,
    },
    /// The group's committed offset passed records nobody in it processed.
    /// `group` is the consumer id for consumers without `group.id`.
    RecordsLost {
        group: String,
        topic: String,
        partition: i32,
        first_offset: i64,
        count: u32,
    },
    CommitRequested {
        consumer: String,
        group: String,
        kind: CommitKind,
        trigger: CommitTrigger,
        offsets: Vec<PartitionOffset>,
    },
    /// The coordinator's answer; the offsets are committed only if `error` is `None`.
    CommitCompleted {
        consumer: String,
        group: String,
        kind: CommitKind,
        offsets: Vec<PartitionOffset>,
        error: Option<KafkaError>,
    },
    HeartbeatSent {
        consumer: String,
        group: String,
        member_id: String,
        generation: i32,
    },
    HeartbeatAnswered {
        consumer: String,
        group: String,
        error: Option<KafkaError>,
    },
    /// JoinGroup request; `member_id` is empty for a new member.
    JoinGroupSent {
        consumer: String,
        group: String,
        member_id: String,
        group_instance_id: Option<String>,
        strategies: Vec<String>,
        owned_partitions: Vec<TopicPartition>,
    },
    /// JoinGroup answer (after every member joined or the rebalance timed out).
    JoinGroupAnswered {
        consumer: String,
        group: String,
        member_id: String,
        generation: i32,
        leader: String,
        error: Option<KafkaError>,
    },
    /// The coordinator added a member. `static_rejoin`: a known
    /// `group.instance.id` came back and took over without a rebalance.
    MemberJoined {
        group: String,
        member_id: String,
        consumer: String,
        group_instance_id: Option<String>,
        static_rejoin: bool,
    },
    MemberLeft {
        group: String,
        member_id: String,
        consumer: String,
        reason: LeaveReason,
    },
    MemberEvicted {
        group: String,
        member_id: String,
        consumer: String,
        reason: EvictReason,
    },
    GroupStateChanged {
        group: String,
        from: GroupState,
        to: GroupState,
        generation: i32,
    },
    /// The coordinator starts a rebalance of the current `generation`.
    RebalanceStarted {
        group: String,
        generation: i32,
        reason: String,
    },
    /// SyncGroup: the leader's assignment for the new `generation`.
    RebalanceCompleted {
        group: String,
        generation: i32,
        /// How the members rebalance. Each consumer uses the highest protocol
        /// all of its configured assignors support (so `[cooperative-sticky,
        /// range]` is eager even when cooperative-sticky is selected); the
        /// group is cooperative only when every member is.
        protocol: RebalanceProtocol,
        assignor: String,
        leader: String,
        assignments: Vec<MemberAssignment>,
    },
    /// `onPartitionsRevoked`: the consumer gives these up (after committing, if it does).
    PartitionsRevoked {
        consumer: String,
        group: String,
        partitions: Vec<TopicPartition>,
    },
    /// `onPartitionsAssigned`: newly added partitions, and the whole assignment now.
    PartitionsAssigned {
        consumer: String,
        group: String,
        generation: i32,
        partitions: Vec<TopicPartition>,
        assignment: Vec<TopicPartition>,
    },
    /// `onPartitionsLost`: the member was no longer in the group; no commit possible.
    PartitionsLost {
        consumer: String,
        group: String,
        partitions: Vec<TopicPartition>,
    },
    PositionChanged {
        consumer: String,
        topic: String,
        partition: i32,
        offset: i64,
        reason: PositionReason,
    },
    Paused {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Resumed {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    /// The application stopped calling `poll()` (busy or hung); heartbeats go on.
    PollingStopped {
        consumer: String,
    },
    PollingResumed {
        consumer: String,
    },
    /// The process died: no commit, no LeaveGroup.
    ConsumerCrashed {
        consumer: String,
    },
    /// `close()` finished.
    ConsumerClosed {
        consumer: String,
    },
    /// A config change: Kafka fixes a client's config at construction, so the
    /// consumer is closed and a new instance starts with these changes applied.
    ConsumerConfigChanged {
        consumer: String,
        changes: BTreeMap<String, String>,
    },
    /// `poll()` threw `NoOffsetForPartitionException` (`auto.offset.reset = none`
    /// and no committed offset): the partition is not fetched until a seek.
    NoOffsetForPartition {
        consumer: String,
        topic: String,
        partition: i32,
    },
    /// The position is outside `[log start offset, high watermark]`;
    /// `auto.offset.reset` decides what happens (`none`: the error stays).
    OffsetOutOfRange {
        consumer: String,
        topic: String,
        partition: i32,
        offset: i64,
        log_start_offset: i64,
        high_watermark: i64,
    },
    /// A call the Java client rejects with `IllegalStateException`.
    IllegalState {
        consumer: String,
        message: String,
    },
    /// A fatal error ended the consumer (e.g. `FENCED_INSTANCE_ID`).
    ConsumerFailed {
        consumer: String,
        error: KafkaError,
    },
    /// Live mode: what the gateway observed of the cluster (watermarks,
    /// groups and their committed offsets), kept in the timeline so a live
    /// session can be scrubbed and recorded like any other.
    ClusterObserved {
        observation: crate::ClusterObservation,
    },
}

impl EventKind {
    /// The `type` tag of this event, as in JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::ModelStarted { .. } => "model_started",
            EventKind::TopicCreated { .. } => "topic_created",
            EventKind::RecordsProduced { .. } => "records_produced",
            EventKind::RecordsDeleted { .. } => "records_deleted",
            EventKind::ConsumerStarted { .. } => "consumer_started",
            EventKind::Subscribed { .. } => "subscribed",
            EventKind::Unsubscribed { .. } => "unsubscribed",
            EventKind::ManuallyAssigned { .. } => "manually_assigned",
            EventKind::FetchSent { .. } => "fetch_sent",
            EventKind::FetchAnswered { .. } => "fetch_answered",
            EventKind::PollReturned { .. } => "poll_returned",
            EventKind::RecordsProcessed { .. } => "records_processed",
            EventKind::RecordsLost { .. } => "records_lost",
            EventKind::CommitRequested { .. } => "commit_requested",
            EventKind::CommitCompleted { .. } => "commit_completed",
            EventKind::HeartbeatSent { .. } => "heartbeat_sent",
            EventKind::HeartbeatAnswered { .. } => "heartbeat_answered",
            EventKind::JoinGroupSent { .. } => "join_group_sent",
            EventKind::JoinGroupAnswered { .. } => "join_group_answered",
            EventKind::MemberJoined { .. } => "member_joined",
            EventKind::MemberLeft { .. } => "member_left",
            EventKind::MemberEvicted { .. } => "member_evicted",
            EventKind::GroupStateChanged { .. } => "group_state_changed",
            EventKind::RebalanceStarted { .. } => "rebalance_started",
            EventKind::RebalanceCompleted { .. } => "rebalance_completed",
            EventKind::PartitionsRevoked { .. } => "partitions_revoked",
            EventKind::PartitionsAssigned { .. } => "partitions_assigned",
            EventKind::PartitionsLost { .. } => "partitions_lost",
            EventKind::PositionChanged { .. } => "position_changed",
            EventKind::Paused { .. } => "paused",
            EventKind::Resumed { .. } => "resumed",
            EventKind::PollingStopped { .. } => "polling_stopped",
            EventKind::PollingResumed { .. } => "polling_resumed",
            EventKind::ConsumerCrashed { .. } => "consumer_crashed",
            EventKind::ConsumerClosed { .. } => "consumer_closed",
            EventKind::ConsumerConfigChanged { .. } => "consumer_config_changed",
            EventKind::NoOffsetForPartition { .. } => "no_offset_for_partition",
            EventKind::OffsetOutOfRange { .. } => "offset_out_of_range",
            EventKind::IllegalState { .. } => "illegal_state",
            EventKind::ConsumerFailed { .. } => "consumer_failed",
            EventKind::ClusterObserved { .. } => "cluster_observed",
        }
    }
}
