//! What the screen shows, as a fold over the event list.
//!
//! Offline and live sources emit the same `offsetlab_protocol::Event`s, and
//! `ClusterView::apply` folds them one at a time. The timeline is the event
//! list, so the view at any earlier moment is the fold of a prefix: scrubbing
//! and replay need nothing else.

use std::collections::{BTreeMap, BTreeSet};

use offsetlab_model::vec_map::VecMap;
use std::rc::Rc;

use crate::append_log::AppendLog;
use crate::shared::Shared;

use offsetlab_model::sort;
use offsetlab_protocol::ClusterObservation;
use offsetlab_protocol::{
    Event, EventKind, GroupState, Key, MemberAssignment, PartitionOffset, RebalanceProtocol, TopicPartition,
};

/// A gap of unknown records longer than this is not filled: the log starts
/// over at the new offset (a live topic's offsets can be in the millions).
const MAX_GAP: i64 = 10_000;
/// More partitions than this in a cluster frame is not believed.
const MAX_OBSERVED_PARTITIONS: usize = 100_000;

/// One record on a partition log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordView {
    pub key: Option<Key>,
    pub value: std::sync::Arc<str>,
    pub produced_at_ms: u64,
    /// Place in the produce order across all partitions.
    pub seq: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartitionView {
    /// Records from `base_offset` on; those below the log start offset are
    /// deleted but kept here so the log can draw them as gone.
    pub records: AppendLog<RecordView>,
    /// The offset of `records[0]`: 0 offline; live, where the first record
    /// seen sits (a watched topic shows only its last records).
    pub base_offset: i64,
    pub log_start_offset: i64,
    /// The high watermark the broker reported (live mode), which may run
    /// ahead of the records seen here.
    pub observed_high_watermark: Option<i64>,
}

impl PartitionView {
    /// One past the last record seen here.
    pub fn known_end(&self) -> i64 {
        self.base_offset.saturating_add(i64::try_from(self.records.len()).unwrap_or(i64::MAX))
    }

    /// The log end offset; with no transactions this is also the high
    /// watermark a `read_uncommitted` consumer may read up to. Live, the
    /// broker's word when it is ahead of the records seen.
    pub fn high_watermark(&self) -> i64 {
        self.known_end().max(self.observed_high_watermark.unwrap_or(0))
    }

    /// The record at `offset`, when it was seen.
    pub fn record(&self, offset: i64) -> Option<&RecordView> {
        offset
            .checked_sub(self.base_offset)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.records.get(i))
    }
}

/// A consumer's processing order against the produce order, kept up to
/// date as records are processed (first deliveries only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderTracker {
    pub first_deliveries: u64,
    /// Within each partition, offsets only went up.
    pub in_partition_order: bool,
    /// Index (among first deliveries) of the first record processed after
    /// one that was produced later; `None` = produce order kept.
    pub first_overtake: Option<u64>,
    highest_seq: Option<u64>,
    last_offset: VecMap<TopicPartition, i64>,
}

impl Default for OrderTracker {
    fn default() -> Self {
        Self {
            first_deliveries: 0,
            in_partition_order: true,
            first_overtake: None,
            highest_seq: None,
            last_offset: VecMap::new(),
        }
    }
}

impl OrderTracker {
    fn record(&mut self, tp: &TopicPartition, offset: i64, seq: Option<u64>) {
        if let Some(last) = self.last_offset.insert(tp.clone(), offset) {
            self.in_partition_order &= offset > last;
        }
        if let Some(seq) = seq {
            if self.first_overtake.is_none() && self.highest_seq.is_some_and(|h| seq < h) {
                self.first_overtake = Some(self.first_deliveries);
            }
            self.highest_seq = self.highest_seq.max(Some(seq));
        }
        self.first_deliveries += 1;
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicView {
    pub partitions: Vec<Shared<PartitionView>>,
}

/// Where a consumer is on one partition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursors {
    /// The offset of the next record `poll()` returns.
    pub position: Option<i64>,
    /// One past the last record the application finished processing.
    pub processed: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConsumerStatus {
    #[default]
    Running,
    Crashed,
    Closed,
    Failed,
}

/// A record as one consumer processed it, in processing order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    pub partition: TopicPartition,
    pub offset: i64,
    pub at_ms: u64,
    /// Already processed in this group before: a duplicate.
    pub redelivered: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerView {
    /// Order of first appearance: gives each consumer a stable colour.
    pub ordinal: u32,
    pub group: Option<String>,
    pub config: Shared<BTreeMap<String, String>>,
    pub status: ConsumerStatus,
    pub member_id: Option<String>,
    pub generation: Option<i32>,
    /// Subscribed topics, or empty with `assign()`.
    pub subscription: Vec<String>,
    pub manual_assignment: bool,
    pub assignment: BTreeSet<TopicPartition>,
    pub cursors: VecMap<TopicPartition, Cursors>,
    pub paused: BTreeSet<TopicPartition>,
    pub polling: bool,
    pub last_heartbeat_ms: Option<u64>,
    pub last_poll_ms: Option<u64>,
    pub processed: AppendLog<Processed>,
    /// How its processing order compares with the produce order.
    pub order: OrderTracker,
    /// The last error the client raised, as Kafka names it.
    pub last_error: Option<String>,
}

impl ConsumerView {
    fn config_ms(&self, key: &str) -> Option<u64> {
        self.config.get(key).and_then(|v| v.parse().ok())
    }

    /// Milliseconds left before the coordinator evicts this member for
    /// missing heartbeats, counted from its last heartbeat.
    pub fn session_left_ms(&self, now_ms: u64) -> Option<u64> {
        let timeout = self.config_ms("session.timeout.ms")?;
        let last = self.last_heartbeat_ms?;
        Some((last + timeout).saturating_sub(now_ms))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebalanceView {
    pub generation: i32,
    pub reason: String,
    pub started_ms: u64,
    pub completed_ms: Option<u64>,
    pub protocol: Option<RebalanceProtocol>,
    pub assignor: Option<String>,
    pub assignments: Vec<MemberAssignment>,
    pub revoked: Vec<(String, Vec<TopicPartition>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberView {
    pub consumer: String,
    pub partitions: Vec<TopicPartition>,
    /// Live: the broker did not say which partitions this member owns.
    pub assignment_unknown: bool,
}

impl MemberView {
    fn new(consumer: String, partitions: Vec<TopicPartition>) -> Self {
        MemberView { consumer, partitions, assignment_unknown: false }
    }
}

/// A group member as the groups panel shows it (see
/// `ClusterView::group_members`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    /// The coordinator's member id, when known.
    pub member_id: Option<String>,
    pub consumer: String,
    pub partitions: Vec<TopicPartition>,
    /// Live: neither the broker nor the member's own events said what it owns.
    pub assignment_unknown: bool,
    /// Live: a client the gateway does not own; its position and processed
    /// marks are unknown.
    pub outside: bool,
    /// The generation the member's own rebalance callback reported.
    pub generation: Option<i32>,
}

/// What the broker said about a group (live mode), beyond what the group
/// view shares with the model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObservedGroupFacts {
    /// The coordinator's own name for the state (`Stable`, ...), also when
    /// it is one the model does not have.
    pub state: String,
    pub protocol_type: String,
    /// The broker did not list the members: none are shown as known.
    pub members_unknown: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupView {
    pub state: GroupState,
    pub generation: i32,
    pub protocol: Option<RebalanceProtocol>,
    pub assignor: Option<String>,
    pub leader: Option<String>,
    /// By member id.
    pub members: VecMap<String, MemberView>,
    /// The group's committed offsets: the offset to resume from.
    pub committed: VecMap<TopicPartition, i64>,
    pub duplicates: u64,
    pub lost: u64,
    pub rebalances: Vec<RebalanceView>,
    /// Live: the last observation of this group by the gateway.
    pub observed: Option<ObservedGroupFacts>,
}

impl GroupView {
    /// In a rebalance: between its start (a join) and the new assignment.
    pub fn rebalancing(&self) -> bool {
        matches!(self.state, GroupState::PreparingRebalance | GroupState::CompletingRebalance)
    }

    /// Live, a group seen only from the outside: its generation was never
    /// reported, so it is not shown as 0.
    pub fn generation_unknown(&self) -> bool {
        self.observed.is_some() && self.rebalances.is_empty() && self.generation == 0
    }
}

impl Default for GroupView {
    fn default() -> Self {
        Self {
            state: GroupState::Empty,
            generation: 0,
            protocol: None,
            assignor: None,
            leader: None,
            members: VecMap::new(),
            committed: VecMap::new(),
            duplicates: 0,
            lost: 0,
            rebalances: Vec::new(),
            observed: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterView {
    pub now_ms: u64,
    /// The ordinal the next new consumer gets.
    next_ordinal: u32,
    /// Every record in the order it was produced, across partitions: what
    /// the ordering lens compares processing orders with.
    pub produced: AppendLog<(TopicPartition, i64)>,
    /// Every record key seen, for the ordering lens's key picker.
    pub keys: Rc<BTreeSet<Key>>,
    pub topics: VecMap<String, TopicView>,
    pub consumers: VecMap<String, Shared<ConsumerView>>,
    pub groups: VecMap<String, Shared<GroupView>>,
    /// Live: topics and groups the last observations listed; a full
    /// observation replaces exactly these.
    observed_topics: BTreeSet<String>,
    observed_groups: BTreeSet<String>,
}

/// The model's group state for the coordinator's name, when it has one.
pub fn group_state_named(name: &str) -> Option<GroupState> {
    match name {
        "Empty" => Some(GroupState::Empty),
        "PreparingRebalance" => Some(GroupState::PreparingRebalance),
        "CompletingRebalance" => Some(GroupState::CompletingRebalance),
        "Stable" => Some(GroupState::Stable),
        "Dead" => Some(GroupState::Dead),
        _ => None,
    }
}

impl ClusterView {
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut view = Self::default();
        for event in events {
            view.apply(event);
        }
        view
    }

    pub fn partition(&self, tp: &TopicPartition) -> Option<&PartitionView> {
        self.topics.get(&tp.topic)?.partitions.get(usize::try_from(tp.partition).ok()?).map(|p| &**p)
    }

    /// Lag = high watermark − committed offset, per group and partition;
    /// `None` while the group has committed nothing there.
    pub fn lag(&self, group: &str, tp: &TopicPartition) -> Option<i64> {
        let committed = *self.groups.get(group)?.committed.get(tp)?;
        Some((self.partition(tp)?.high_watermark() - committed).max(0))
    }

    /// The group a consumer's accounting belongs to: its `group.id`, or
    /// the consumer itself when it has none (as the model reports it).
    fn accounting_group(&self, consumer: &str) -> String {
        self.consumers.get(consumer).and_then(|c| c.group.clone()).unwrap_or_else(|| consumer.to_string())
    }

    /// The consumer's view, created on first sight with the next ordinal.
    /// Runs for nearly every event, so the id is only copied into a key
    /// the first time a consumer appears.
    fn consumer_mut(&mut self, consumer: &str) -> &mut ConsumerView {
        if !self.consumers.contains_key(consumer) {
            let ordinal = self.next_ordinal;
            self.next_ordinal += 1;
            self.consumers
                .insert(consumer.to_string(), ConsumerView { ordinal, ..ConsumerView::default() }.into());
        }
        self.consumers.get_mut(consumer).expect("the consumer was inserted just above")
    }

    /// The group, added when new. Looked up before inserting: most events
    /// name a known group, and an owned key would cost an allocation each.
    fn group_mut(&mut self, group: &str) -> &mut GroupView {
        if !self.groups.contains_key(group) {
            self.groups.insert(group.to_string(), Shared::default());
        }
        self.groups.get_mut(group).expect("the group was inserted just above")
    }

    fn cursors(&mut self, consumer: &str, tp: TopicPartition) -> &mut Cursors {
        self.consumer_mut(consumer).cursors.entry(tp).or_default()
    }

    fn set_committed(&mut self, group: &str, offsets: &[PartitionOffset]) {
        let g = self.group_mut(group);
        for o in offsets {
            g.committed.insert(TopicPartition::new(o.topic.clone(), o.partition), o.offset);
        }
    }

    /// Folds what the gateway observed of the cluster (live mode): topics
    /// and partitions are created as needed with their log start offset and
    /// high watermark, groups with their state, assignor, members and
    /// committed offsets. A full observation replaces what earlier ones
    /// said; `removed_*` delete. What the broker did not say stays unknown.
    pub fn observe(&mut self, o: &ClusterObservation) {
        self.now_ms = self.now_ms.max(o.at_ms);
        if o.full {
            let listed = sort::btree_set(o.topics.iter().map(|t| t.topic.as_str()));
            let gone: Vec<String> =
                self.observed_topics.iter().filter(|t| !listed.contains(t.as_str())).cloned().collect();
            for t in gone {
                self.remove_topic(&t);
            }
            let listed = sort::btree_set(o.groups.iter().map(|g| g.group.as_str()));
            let gone: Vec<String> =
                self.observed_groups.iter().filter(|g| !listed.contains(g.as_str())).cloned().collect();
            for g in gone {
                self.remove_group(&g);
            }
        }
        for t in &o.removed_topics {
            self.remove_topic(t);
        }
        for g in &o.removed_groups {
            self.remove_group(g);
        }
        for t in &o.topics {
            let count = usize::try_from(t.partition_count).unwrap_or(0).min(MAX_OBSERVED_PARTITIONS);
            let topic = self.topics.entry(t.topic.clone()).or_default();
            if topic.partitions.len() < count {
                topic.partitions.resize(count, Shared::default());
            }
            for p in &t.partitions {
                let Some(view) = usize::try_from(p.partition).ok().and_then(|i| topic.partitions.get_mut(i))
                else {
                    continue;
                };
                view.log_start_offset = p.log_start_offset.max(0);
                view.observed_high_watermark = Some(p.high_watermark.max(0));
            }
            self.observed_topics.insert(t.topic.clone());
        }
        for g in &o.groups {
            let owned = |consumer: &str| self.consumers.contains_key(consumer);
            let view = self.groups.entry(g.group.clone()).or_default();
            if let Some(state) = group_state_named(&g.state) {
                view.state = state;
            }
            if let Some(assignor) = &g.assignor {
                view.assignor = Some(assignor.clone());
            }
            match &g.members {
                Some(members) => {
                    let before = std::mem::take(&mut view.members);
                    view.members = VecMap::from_iter(members.iter().map(|m| {
                        // A gateway-owned consumer keeps the name its events gave it.
                        let consumer = before
                            .get(&m.member_id)
                            .map_or_else(|| m.client_id.clone(), |v| v.consumer.clone());
                        let member = MemberView {
                            consumer,
                            partitions: m.assignment.clone().unwrap_or_default(),
                            assignment_unknown: m.assignment.is_none(),
                        };
                        (m.member_id.clone(), member)
                    }));
                }
                // Only members the gateway's own events reported stay.
                None => view.members.retain(|_, m| owned(&m.consumer)),
            }
            for offset in &g.offsets {
                view.committed.insert(
                    TopicPartition::new(offset.topic.clone(), offset.partition),
                    offset.committed_offset,
                );
            }
            view.observed = Some(ObservedGroupFacts {
                state: g.state.clone(),
                protocol_type: g.protocol_type.clone(),
                members_unknown: g.members.is_none(),
            });
            self.observed_groups.insert(g.group.clone());
        }
    }

    fn remove_topic(&mut self, topic: &str) {
        self.topics.remove(topic);
        self.observed_topics.remove(topic);
    }

    fn remove_group(&mut self, group: &str) {
        self.groups.remove(group);
        self.observed_groups.remove(group);
    }

    /// The gateway-owned (timeline-known) consumer a member the broker
    /// listed is: by member id, by client id (the gateway sets `client.id`
    /// to the consumer's name), or, when the broker left the client id out,
    /// by Kafka's member id form `<client.id>-<uuid>` (the longest name wins).
    fn known_consumer_of(&self, member_id: &str, m: &MemberView) -> Option<&str> {
        if let Some((id, _)) = self.consumers.iter().find(|(_, c)| c.member_id.as_deref() == Some(member_id))
        {
            return Some(id);
        }
        if let Some((id, _)) = self.consumers.get_key_value(m.consumer.as_str()) {
            return Some(id);
        }
        if !m.consumer.is_empty() {
            return None;
        }
        self.consumers
            .keys()
            .filter(|id| {
                member_id
                    .strip_prefix(id.as_str())
                    .is_some_and(|rest| rest.starts_with('-') && rest.len() > 1)
            })
            .max_by_key(|id| id.len())
            .map(String::as_str)
    }

    /// Consumers of `group` that the timeline shows as current members:
    /// started with this `group.id`, running and subscribed.
    fn running_members_of<'a>(
        &'a self,
        group: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a ConsumerView)> {
        self.consumers.iter().map(|(id, c)| (id, &**c)).filter(move |(_, c)| {
            c.group.as_deref() == Some(group)
                && c.status == ConsumerStatus::Running
                && !c.manual_assignment
                && !c.subscription.is_empty()
        })
    }

    /// A group's members as the groups panel shows them. Offline, the
    /// group's own members. Live (the group was observed), also the
    /// consumers whose own events say they are members (the gateway's):
    /// with the assignment and generation their rebalance callbacks
    /// reported, even when the broker lists them without a client id or
    /// assignment, or does not list members at all. Members the gateway
    /// does not own keep what the broker said, and their cursors are unknown.
    pub fn group_members(&self, group: &str) -> Vec<MemberRow> {
        let Some(g) = self.groups.get(group) else { return Vec::new() };
        let live = g.observed.is_some();
        let running: BTreeMap<&str, &ConsumerView> = if live {
            sort::btree_map(self.running_members_of(group).map(|(id, c)| (id.as_str(), c)))
        } else {
            BTreeMap::new()
        };
        let mut shown: BTreeSet<&str> = BTreeSet::new();
        let mut rows: Vec<MemberRow> = g
            .members
            .iter()
            .map(|(member_id, m)| {
                let known = if live { self.known_consumer_of(member_id, m) } else { None };
                match known.and_then(|id| running.get_key_value(id)) {
                    Some((&id, c)) if shown.insert(id) => MemberRow {
                        member_id: Some(member_id.clone()),
                        consumer: id.to_string(),
                        partitions: c.assignment.iter().cloned().collect(),
                        assignment_unknown: false,
                        outside: false,
                        generation: c.generation.filter(|g| *g >= 0),
                    },
                    _ => {
                        let consumer = known.map_or_else(|| m.consumer.clone(), str::to_string);
                        MemberRow {
                            member_id: Some(member_id.clone()),
                            outside: live && !self.knows_cursors_of(&consumer),
                            consumer,
                            partitions: m.partitions.clone(),
                            assignment_unknown: m.assignment_unknown,
                            generation: None,
                        }
                    }
                }
            })
            .collect();
        rows.extend(running.iter().filter(|(id, _)| !shown.contains(*id)).map(|(id, c)| MemberRow {
            member_id: c.member_id.clone(),
            consumer: id.to_string(),
            partitions: c.assignment.iter().cloned().collect(),
            assignment_unknown: false,
            outside: false,
            generation: c.generation.filter(|g| *g >= 0),
        }));
        rows
    }

    /// The group's generation: the coordinator's (offline, or live once a
    /// rebalance was seen); live otherwise the newest its own members'
    /// rebalance callbacks reported; `None` when nobody said.
    pub fn group_generation(&self, group: &str) -> Option<i32> {
        let g = self.groups.get(group)?;
        if !g.generation_unknown() {
            return Some(g.generation);
        }
        self.running_members_of(group).filter_map(|(_, c)| c.generation).filter(|g| *g >= 0).max()
    }

    /// Live: the assignor the gateway's own running members of `group` are
    /// configured with (`partition.assignment.strategy` as they started),
    /// for a group whose broker did not say which one it chose. Different
    /// configurations are listed apart; `None` when none of them sets it.
    pub fn configured_assignor(&self, group: &str) -> Option<String> {
        let configured = sort::btree_set(
            self.running_members_of(group)
                .filter_map(|(_, c)| c.config.get("partition.assignment.strategy"))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty()),
        );
        (!configured.is_empty()).then(|| configured.into_iter().collect::<Vec<_>>().join(" | "))
    }

    /// Whether `consumer` is one whose cursors this view knows: offline
    /// every consumer; live only those the gateway owns (others are
    /// members the broker listed, and it does not tell their position).
    pub fn knows_cursors_of(&self, consumer: &str) -> bool {
        self.consumers.contains_key(consumer)
    }

    pub fn apply(&mut self, event: &Event) {
        self.now_ms = self.now_ms.max(event.at_ms);
        let at = event.at_ms;
        match &event.kind {
            EventKind::TopicCreated { topic, partitions } => {
                let n = usize::try_from(*partitions).unwrap_or(0);
                self.topics.insert(topic.clone(), TopicView { partitions: vec![Shared::default(); n] });
            }
            EventKind::RecordsProduced { topic, partition, first_offset, records, .. } => {
                let Some(p) = self
                    .topics
                    .get_mut(topic)
                    .and_then(|t| t.partitions.get_mut(usize::try_from(*partition).ok()?))
                else {
                    return;
                };
                // Offsets are the log's own: records already here (a source
                // may repeat a range) are skipped, and a gap it skipped is
                // filled with unknown records.
                let tp = TopicPartition::new(topic.clone(), *partition);
                for (offset, r) in (*first_offset..).zip(records) {
                    // The first record seen, or one far past the others
                    // (live: a watched topic's tail), starts the log there.
                    if p.records.is_empty() && offset > p.base_offset
                        || offset.saturating_sub(p.known_end()) > MAX_GAP
                    {
                        p.records = AppendLog::default();
                        p.base_offset = offset;
                    }
                    // A gap is filled with unknown records, so offsets stay indices.
                    while p.known_end() < offset {
                        let seq = u64::try_from(self.produced.len()).unwrap_or(u64::MAX);
                        p.records.push(RecordView { key: None, value: "".into(), produced_at_ms: at, seq });
                        self.produced.push((tp.clone(), p.known_end() - 1));
                    }
                    if p.known_end() == offset {
                        let seq = u64::try_from(self.produced.len()).unwrap_or(u64::MAX);
                        p.records.push(RecordView {
                            key: r.key.clone(),
                            value: r.value.clone(),
                            produced_at_ms: at,
                            seq,
                        });
                        self.produced.push((tp.clone(), offset));
                        if let Some(key) = &r.key
                            && !self.keys.contains(key)
                        {
                            Rc::make_mut(&mut self.keys).insert(key.clone());
                        }
                    }
                }
            }
            EventKind::RecordsDeleted { topic, partition, log_start_offset } => {
                if let Some(p) = self
                    .topics
                    .get_mut(topic)
                    .and_then(|t| t.partitions.get_mut(usize::try_from(*partition).ok()?))
                {
                    p.log_start_offset = p.log_start_offset.max(*log_start_offset);
                }
            }
            EventKind::ConsumerStarted { consumer, group, config, .. } => {
                // A restart (config change) is a new client instance: its
                // cursors start over, its processing history stays.
                let c = self.consumer_mut(consumer);
                *c = ConsumerView {
                    ordinal: c.ordinal,
                    group: group.clone(),
                    config: config.clone().into(),
                    polling: true,
                    processed: std::mem::take(&mut c.processed),
                    ..ConsumerView::default()
                };
                if let Some(g) = group {
                    self.group_mut(g);
                }
            }
            EventKind::Subscribed { consumer, topics } => {
                let c = self.consumer_mut(consumer);
                c.subscription = topics.clone();
                c.manual_assignment = false;
            }
            EventKind::Unsubscribed { consumer } => {
                let c = self.consumer_mut(consumer);
                c.subscription.clear();
                c.assignment.clear();
            }
            EventKind::ManuallyAssigned { consumer, partitions } => {
                let c = self.consumer_mut(consumer);
                c.manual_assignment = true;
                c.assignment = sort::btree_set(partitions.iter().cloned());
            }
            EventKind::PollReturned { consumer, records, .. } => {
                let c = self.consumer_mut(consumer);
                c.last_poll_ms = Some(at);
                for r in records {
                    let tp = TopicPartition::new(r.topic.clone(), r.partition);
                    c.cursors.entry(tp).or_default().position = Some(r.first_offset + i64::from(r.count));
                }
            }
            EventKind::RecordsProcessed { consumer, topic, partition, first_offset, count, redelivered } => {
                let tp = TopicPartition::new(topic.clone(), *partition);
                self.cursors(consumer, tp.clone()).processed = Some(first_offset + i64::from(*count));
                if *redelivered > 0 {
                    let group = self.accounting_group(consumer);
                    self.group_mut(&group).duplicates += u64::from(*redelivered);
                }
                let seqs: Vec<Option<u64>> = (0..*count)
                    .map(|i| self.partition(&tp)?.record(first_offset + i64::from(i)).map(|r| r.seq))
                    .collect();
                let c = self.consumer_mut(consumer);
                // The model reports which of the range were duplicates, not
                // where: the first `redelivered` ones are re-reads of the
                // same run, which is how a replay after a crash looks.
                for (i, seq) in (0..*count).zip(seqs) {
                    let offset = first_offset + i64::from(i);
                    let redelivered = i < *redelivered;
                    if !redelivered {
                        c.order.record(&tp, offset, seq);
                    }
                    c.processed.push(Processed { partition: tp.clone(), offset, at_ms: at, redelivered });
                }
            }
            EventKind::RecordsLost { group, count, .. } => {
                self.group_mut(group).lost += u64::from(*count);
            }
            EventKind::CommitCompleted { group, offsets, error: None, .. } => {
                self.set_committed(group, offsets)
            }
            EventKind::CommitCompleted { .. } | EventKind::CommitRequested { .. } => {}
            EventKind::HeartbeatSent { consumer, .. } => {
                self.consumer_mut(consumer).last_heartbeat_ms = Some(at);
            }
            EventKind::JoinGroupAnswered { consumer, member_id, generation, error: None, .. } => {
                let c = self.consumer_mut(consumer);
                c.member_id = Some(member_id.clone());
                c.generation = Some(*generation);
            }
            EventKind::MemberJoined { group, member_id, consumer, .. } => {
                self.groups
                    .entry(group.clone())
                    .or_default()
                    .members
                    .insert(member_id.clone(), MemberView::new(consumer.clone(), Vec::new()));
                self.consumer_mut(consumer).member_id = Some(member_id.clone());
            }
            EventKind::MemberLeft { group, member_id, .. }
            | EventKind::MemberEvicted { group, member_id, .. } => {
                if let Some(g) = self.groups.get_mut(group) {
                    g.members.remove(member_id);
                }
            }
            EventKind::GroupStateChanged { group, to, generation, .. } => {
                let g = self.group_mut(group);
                g.state = *to;
                g.generation = *generation;
            }
            EventKind::RebalanceStarted { group, generation, reason } => {
                self.group_mut(group).rebalances.push(RebalanceView {
                    generation: *generation,
                    reason: reason.clone(),
                    started_ms: at,
                    completed_ms: None,
                    protocol: None,
                    assignor: None,
                    assignments: Vec::new(),
                    revoked: Vec::new(),
                });
            }
            EventKind::RebalanceCompleted { group, generation, protocol, assignor, leader, assignments } => {
                let g = self.group_mut(group);
                g.generation = *generation;
                g.protocol = Some(*protocol);
                g.assignor = Some(assignor.clone());
                g.leader = Some(leader.clone());
                for a in assignments {
                    g.members.insert(
                        a.member_id.clone(),
                        MemberView::new(a.consumer.clone(), a.partitions.clone()),
                    );
                }
                if let Some(r) = g.rebalances.last_mut().filter(|r| r.completed_ms.is_none()) {
                    r.completed_ms = Some(at);
                    r.generation = *generation;
                    r.protocol = Some(*protocol);
                    r.assignor = Some(assignor.clone());
                    r.assignments = assignments.clone();
                }
            }
            EventKind::PartitionsRevoked { consumer, group, partitions }
            | EventKind::PartitionsLost { consumer, group, partitions } => {
                let c = self.consumer_mut(consumer);
                // Cursors stay: the log shows where a former owner stopped.
                for tp in partitions {
                    c.assignment.remove(tp);
                }
                if let Some(r) = self.groups.get_mut(group).and_then(|g| g.rebalances.last_mut()) {
                    r.revoked.push((consumer.clone(), partitions.clone()));
                }
            }
            EventKind::PartitionsAssigned { consumer, generation, assignment, .. } => {
                let c = self.consumer_mut(consumer);
                c.generation = Some(*generation);
                c.assignment = sort::btree_set(assignment.iter().cloned());
            }
            EventKind::PositionChanged { consumer, topic, partition, offset, .. } => {
                self.cursors(consumer, TopicPartition::new(topic.clone(), *partition)).position =
                    Some(*offset);
            }
            EventKind::Paused { consumer, partitions } => {
                self.consumer_mut(consumer).paused.extend(partitions.iter().cloned());
            }
            EventKind::Resumed { consumer, partitions } => {
                let c = self.consumer_mut(consumer);
                for tp in partitions {
                    c.paused.remove(tp);
                }
            }
            EventKind::PollingStopped { consumer } => self.consumer_mut(consumer).polling = false,
            EventKind::PollingResumed { consumer } => self.consumer_mut(consumer).polling = true,
            EventKind::ConsumerCrashed { consumer } => self.stop_consumer(consumer, ConsumerStatus::Crashed),
            EventKind::ConsumerClosed { consumer } => self.stop_consumer(consumer, ConsumerStatus::Closed),
            EventKind::ClusterObserved { observation } => self.observe(observation),
            EventKind::ConsumerFailed { consumer, error } => {
                self.consumer_mut(consumer).last_error = Some(error.name().to_string());
                self.stop_consumer(consumer, ConsumerStatus::Failed);
            }
            EventKind::NoOffsetForPartition { consumer, .. } => {
                self.consumer_mut(consumer).last_error = Some("NoOffsetForPartitionException".into());
            }
            EventKind::OffsetOutOfRange { consumer, .. } => {
                self.consumer_mut(consumer).last_error = Some("OffsetOutOfRange".into());
            }
            EventKind::IllegalState { consumer, message } => {
                self.consumer_mut(consumer).last_error = Some(format!("IllegalStateException: {message}"));
            }
            EventKind::ModelStarted { .. }
            | EventKind::FetchSent { .. }
            | EventKind::FetchAnswered { .. }
            | EventKind::HeartbeatAnswered { .. }
            | EventKind::JoinGroupSent { .. }
            | EventKind::JoinGroupAnswered { .. }
            | EventKind::ConsumerConfigChanged { .. } => {}
        }
    }

    fn stop_consumer(&mut self, consumer: &str, status: ConsumerStatus) {
        let c = self.consumer_mut(consumer);
        c.status = status;
        c.polling = false;
        c.assignment.clear();
        c.paused.clear();
    }
}

#[cfg(test)]
mod tests {
    use offsetlab_protocol::{CommitKind, CommitStrategy, PolledRange, ProducedRecord};

    use super::*;

    fn ev(at_ms: u64, kind: EventKind) -> Event {
        Event { at_ms, kind }
    }

    fn tp(p: i32) -> TopicPartition {
        TopicPartition::new("orders", p)
    }

    fn produced(partition: i32, first_offset: i64, keys: &[&str]) -> EventKind {
        EventKind::RecordsProduced {
            producer: Some("p1".into()),
            topic: "orders".into(),
            partition,
            first_offset,
            records: keys
                .iter()
                .map(|k| ProducedRecord { key: Some((*k).into()), value: "v".into() })
                .collect(),
        }
    }

    fn started(consumer: &str, group: Option<&str>) -> EventKind {
        EventKind::ConsumerStarted {
            consumer: consumer.into(),
            group: group.map(Into::into),
            config: BTreeMap::from([("session.timeout.ms".to_string(), "45000".to_string())]),
            processing_ms: 10,
            commit: CommitStrategy::Auto,
        }
    }

    fn processed(
        consumer: &str,
        partition: i32,
        first_offset: i64,
        count: u32,
        redelivered: u32,
    ) -> EventKind {
        EventKind::RecordsProcessed {
            consumer: consumer.into(),
            topic: "orders".into(),
            partition,
            first_offset,
            count,
            redelivered,
        }
    }

    fn committed(consumer: &str, partition: i32, offset: i64) -> EventKind {
        EventKind::CommitCompleted {
            consumer: consumer.into(),
            group: "g".into(),
            kind: CommitKind::Auto,
            offsets: vec![PartitionOffset { topic: "orders".into(), partition, offset }],
            error: None,
        }
    }

    fn base() -> Vec<Event> {
        vec![
            ev(0, EventKind::TopicCreated { topic: "orders".into(), partitions: 2 }),
            ev(10, produced(0, 0, &["a", "b", "c"])),
            ev(20, produced(1, 0, &["d"])),
            ev(30, started("c1", Some("g"))),
        ]
    }

    #[test]
    fn logs_cursors_commits_and_lag() {
        let mut events = base();
        events.push(ev(
            40,
            EventKind::PollReturned {
                consumer: "c1".into(),
                count: 3,
                records: vec![PolledRange {
                    topic: "orders".into(),
                    partition: 0,
                    first_offset: 0,
                    count: 3,
                    keys: vec![Some("a".into()), Some("b".into()), Some("c".into())],
                }],
            },
        ));
        events.push(ev(50, processed("c1", 0, 0, 2, 0)));
        events.push(ev(60, committed("c1", 0, 2)));
        let view = ClusterView::fold(&events);
        assert_eq!(view.now_ms, 60);
        assert_eq!(view.partition(&tp(0)).unwrap().high_watermark(), 3);
        assert_eq!(view.partition(&tp(0)).unwrap().record(1).unwrap().key.as_deref(), Some("b"));
        let cursors = view.consumers["c1"].cursors[&tp(0)];
        assert_eq!(cursors, Cursors { position: Some(3), processed: Some(2) });
        assert_eq!(view.groups["g"].committed[&tp(0)], 2);
        assert_eq!(view.lag("g", &tp(0)), Some(1));
        assert_eq!(view.lag("g", &tp(1)), None, "nothing committed on partition 1 yet");
    }

    #[test]
    fn repeated_ranges_are_skipped_and_gaps_filled_so_offsets_stay_indices() {
        let mut events = base();
        events.push(ev(31, produced(0, 1, &["b", "c", "x"])));
        events.push(ev(32, produced(0, 6, &["y"])));
        let view = ClusterView::fold(&events);
        let p = view.partition(&tp(0)).unwrap();
        assert_eq!(p.high_watermark(), 7);
        let keys: Vec<Option<&str>> = (0..7).map(|o| p.record(o).unwrap().key.as_deref()).collect();
        assert_eq!(keys, [Some("a"), Some("b"), Some("c"), Some("x"), None, None, Some("y")]);
        assert_eq!(view.produced.len(), 8, "7 on partition 0 and 1 on partition 1");
        let seqs: Vec<u64> = (0..7).map(|o| p.record(o).unwrap().seq).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    }

    #[test]
    fn duplicates_and_losses_are_counted_per_group() {
        let mut events = base();
        events.push(ev(40, processed("c1", 0, 0, 3, 0)));
        events.push(ev(50, EventKind::ConsumerCrashed { consumer: "c1".into() }));
        events.push(ev(60, started("c2", Some("g"))));
        events.push(ev(70, processed("c2", 0, 0, 3, 2)));
        events.push(ev(
            80,
            EventKind::RecordsLost {
                group: "g".into(),
                topic: "orders".into(),
                partition: 1,
                first_offset: 0,
                count: 1,
            },
        ));
        let view = ClusterView::fold(&events);
        assert_eq!(view.groups["g"].duplicates, 2);
        assert_eq!(view.groups["g"].lost, 1);
        assert_eq!(view.consumers["c1"].status, ConsumerStatus::Crashed);
        let redelivered: Vec<bool> = view.consumers["c2"].processed.iter().map(|p| p.redelivered).collect();
        assert_eq!(redelivered, [true, true, false]);
    }

    #[test]
    fn a_prefix_of_the_timeline_is_the_earlier_view() {
        let mut events = base();
        events.push(ev(40, processed("c1", 0, 0, 1, 0)));
        events.push(ev(50, committed("c1", 0, 1)));
        events.push(ev(60, processed("c1", 0, 1, 2, 0)));
        events.push(ev(70, committed("c1", 0, 3)));
        let earlier = ClusterView::fold(&events[..6]);
        assert_eq!(earlier.groups["g"].committed[&tp(0)], 1);
        assert_eq!(ClusterView::fold(&events).groups["g"].committed[&tp(0)], 3);
    }

    #[test]
    fn rebalances_record_history_and_member_assignments() {
        let mut events = base();
        events.push(ev(
            40,
            EventKind::RebalanceStarted { group: "g".into(), generation: 0, reason: "member joined".into() },
        ));
        events.push(ev(
            45,
            EventKind::RebalanceCompleted {
                group: "g".into(),
                generation: 1,
                protocol: RebalanceProtocol::Eager,
                assignor: "range".into(),
                leader: "m1".into(),
                assignments: vec![MemberAssignment {
                    member_id: "m1".into(),
                    consumer: "c1".into(),
                    partitions: vec![tp(0), tp(1)],
                }],
            },
        ));
        events.push(ev(
            46,
            EventKind::PartitionsAssigned {
                consumer: "c1".into(),
                group: "g".into(),
                generation: 1,
                partitions: vec![tp(0), tp(1)],
                assignment: vec![tp(0), tp(1)],
            },
        ));
        let view = ClusterView::fold(&events);
        let g = &view.groups["g"];
        assert_eq!(g.generation, 1);
        assert_eq!(g.rebalances.len(), 1);
        assert_eq!(g.rebalances[0].completed_ms, Some(45));
        assert_eq!(g.members["m1"].partitions, vec![tp(0), tp(1)]);
        assert_eq!(view.consumers["c1"].assignment.len(), 2);
    }

    #[test]
    fn each_consumer_keeps_its_own_ordinal_whatever_event_comes_first() {
        let mut events = base();
        events.push(ev(31, EventKind::Subscribed { consumer: "c2".into(), topics: vec!["orders".into()] }));
        events.push(ev(32, started("c2", Some("g"))));
        events.push(ev(33, started("c1", Some("g"))));
        let view = ClusterView::fold(&events);
        assert_eq!((view.consumers["c1"].ordinal, view.consumers["c2"].ordinal), (0, 1));
    }

    #[test]
    fn session_countdown_runs_from_the_last_heartbeat() {
        let mut events = base();
        events.push(ev(
            1_000,
            EventKind::HeartbeatSent {
                consumer: "c1".into(),
                group: "g".into(),
                member_id: "m1".into(),
                generation: 1,
            },
        ));
        let view = ClusterView::fold(&events);
        assert_eq!(view.consumers["c1"].session_left_ms(11_000), Some(35_000));
        assert_eq!(view.consumers["c1"].session_left_ms(99_000), Some(0));
    }

    mod live {
        use offsetlab_protocol::{
            ClusterObservation, GroupOffset, ObservedGroup, ObservedMember, ObservedPartition, ObservedTopic,
        };

        use super::*;

        fn partition(p: i32, start: i64, hw: i64) -> ObservedPartition {
            ObservedPartition { partition: p, log_start_offset: start, high_watermark: hw }
        }

        fn group(name: &str, members: Option<Vec<ObservedMember>>, committed: i64) -> ObservedGroup {
            ObservedGroup {
                group: name.into(),
                state: "Stable".into(),
                protocol_type: "consumer".into(),
                assignor: Some("range".into()),
                members,
                offsets: vec![GroupOffset {
                    topic: "orders".into(),
                    partition: 0,
                    committed_offset: committed,
                    lag: None,
                }],
            }
        }

        fn member(id: &str, client: &str) -> ObservedMember {
            ObservedMember {
                member_id: id.into(),
                client_id: client.into(),
                client_host: "/10.0.0.1".into(),
                topics: Some(vec!["orders".into()]),
                assignment: Some(vec![tp(0), tp(1)]),
            }
        }

        fn full() -> ClusterObservation {
            ClusterObservation {
                at_ms: 1_000,
                full: true,
                topics: vec![
                    ObservedTopic {
                        topic: "orders".into(),
                        partition_count: 2,
                        partitions: vec![partition(0, 0, 100), partition(1, 5, 7)],
                    },
                    ObservedTopic {
                        topic: "old".into(),
                        partition_count: 1,
                        partitions: vec![partition(0, 0, 1)],
                    },
                ],
                removed_topics: vec![],
                groups: vec![
                    group("billing", Some(vec![member("m-1", "rdkafka")]), 60),
                    group("audit", None, 1),
                ],
                removed_groups: vec![],
            }
        }

        #[test]
        fn a_full_observation_then_a_delta_update_the_view() {
            let mut view = ClusterView::default();
            view.observe(&full());
            assert_eq!(view.topics.keys().collect::<Vec<_>>(), ["old", "orders"]);
            let p0 = view.partition(&tp(0)).unwrap();
            assert_eq!((p0.log_start_offset, p0.high_watermark()), (0, 100));
            assert_eq!(view.partition(&tp(1)).unwrap().log_start_offset, 5);
            let billing = &view.groups["billing"];
            assert_eq!((billing.state, billing.assignor.as_deref()), (GroupState::Stable, Some("range")));
            assert_eq!(billing.members["m-1"].consumer, "rdkafka");
            assert_eq!(billing.members["m-1"].partitions, vec![tp(0), tp(1)]);
            assert!(billing.generation_unknown());
            assert_eq!(view.lag("billing", &tp(0)), Some(40), "lag against the observed high watermark");

            let delta = ClusterObservation {
                at_ms: 2_000,
                full: false,
                topics: vec![ObservedTopic {
                    topic: "orders".into(),
                    partition_count: 3,
                    partitions: vec![partition(0, 10, 130)],
                }],
                removed_topics: vec!["old".into()],
                groups: vec![ObservedGroup {
                    state: "PreparingRebalance".into(),
                    ..group("billing", Some(vec![]), 120)
                }],
                removed_groups: vec![],
            };
            view.observe(&delta);
            assert_eq!(view.now_ms, 2_000);
            assert_eq!(view.topics.keys().collect::<Vec<_>>(), ["orders"]);
            assert_eq!(view.topics["orders"].partitions.len(), 3);
            let p0 = view.partition(&tp(0)).unwrap();
            assert_eq!((p0.log_start_offset, p0.high_watermark()), (10, 130));
            assert_eq!(view.partition(&tp(1)).unwrap().high_watermark(), 7, "unchanged partitions stay");
            let billing = &view.groups["billing"];
            assert_eq!(billing.state, GroupState::PreparingRebalance);
            assert!(billing.members.is_empty());
            assert_eq!(view.lag("billing", &tp(0)), Some(10));
            assert!(view.groups.contains_key("audit"), "a delta does not remove what it does not list");

            // A full observation replaces everything observed before.
            let again = ClusterObservation { groups: vec![], topics: vec![], ..full() };
            view.observe(&again);
            assert!(view.topics.is_empty() && view.groups.is_empty());
        }

        #[test]
        fn members_the_broker_did_not_list_stay_unknown() {
            let mut view = ClusterView::default();
            view.observe(&full());
            let audit = &view.groups["audit"];
            assert!(audit.members.is_empty());
            assert_eq!(audit.observed.as_ref().map(|o| o.members_unknown), Some(true));
            assert!(!view.knows_cursors_of("rdkafka"), "an outside client's position is not known");
            // Members listed before are not kept as if the broker still said so.
            view.observe(&ClusterObservation { groups: vec![group("billing", None, 60)], ..full() });
            assert!(view.groups["billing"].members.is_empty());
            assert!(view.groups["billing"].observed.as_ref().is_some_and(|o| o.members_unknown));
        }

        #[test]
        fn gateway_owned_consumers_keep_their_names_and_cursors() {
            let mut view = ClusterView::default();
            view.apply(&ev(0, started("c1", Some("billing"))));
            view.apply(&ev(
                1,
                EventKind::MemberJoined {
                    group: "billing".into(),
                    member_id: "m-1".into(),
                    consumer: "c1".into(),
                    group_instance_id: None,
                    static_rejoin: false,
                },
            ));
            view.observe(&full());
            assert_eq!(view.groups["billing"].members["m-1"].consumer, "c1");
            assert!(view.knows_cursors_of("c1"));
            view.observe(&ClusterObservation { groups: vec![group("billing", None, 60)], ..full() });
            assert!(view.groups["billing"].members.contains_key("m-1"), "its own events said so");
        }

        #[test]
        fn the_assignor_its_own_members_are_configured_with_is_known_when_the_broker_does_not_say() {
            let start = |consumer: &str, strategy: Option<&str>| {
                let mut config = BTreeMap::from([("session.timeout.ms".to_string(), "45000".to_string())]);
                if let Some(s) = strategy {
                    config.insert("partition.assignment.strategy".into(), s.into());
                }
                EventKind::ConsumerStarted {
                    consumer: consumer.into(),
                    group: Some("billing".into()),
                    config,
                    processing_ms: 10,
                    commit: CommitStrategy::Auto,
                }
            };
            let subscribe = |consumer: &str| EventKind::Subscribed {
                consumer: consumer.into(),
                topics: vec!["orders".into()],
            };
            let mut view = ClusterView::default();
            view.apply(&ev(0, start("c1", None)));
            view.apply(&ev(1, subscribe("c1")));
            assert_eq!(view.configured_assignor("billing"), None, "not set: nothing is known");
            view.apply(&ev(2, start("c2", Some("range"))));
            assert_eq!(view.configured_assignor("billing"), None, "not subscribed yet: not a member");
            view.apply(&ev(3, subscribe("c2")));
            assert_eq!(view.configured_assignor("billing").as_deref(), Some("range"));
            view.apply(&ev(4, start("c3", Some("cooperative-sticky"))));
            view.apply(&ev(5, subscribe("c3")));
            assert_eq!(view.configured_assignor("billing").as_deref(), Some("cooperative-sticky | range"));
            view.apply(&ev(6, EventKind::ConsumerCrashed { consumer: "c3".into() }));
            assert_eq!(view.configured_assignor("billing").as_deref(), Some("range"), "only running members");
            assert_eq!(view.configured_assignor("audit"), None);
        }

        /// What the gateway's own consumer reports of itself: started in
        /// `group`, subscribed, assigned both partitions in generation 3,
        /// polled, processed and committed.
        fn gateway_consumer(group_name: &str) -> Vec<Event> {
            vec![
                ev(0, started("c1", Some(group_name))),
                ev(1, EventKind::Subscribed { consumer: "c1".into(), topics: vec!["orders".into()] }),
                ev(
                    2,
                    EventKind::PartitionsAssigned {
                        consumer: "c1".into(),
                        group: group_name.into(),
                        generation: 3,
                        partitions: vec![tp(0), tp(1)],
                        assignment: vec![tp(0), tp(1)],
                    },
                ),
                ev(
                    3,
                    EventKind::PollReturned {
                        consumer: "c1".into(),
                        count: 2,
                        records: vec![PolledRange {
                            topic: "orders".into(),
                            partition: 0,
                            first_offset: 0,
                            count: 2,
                            keys: vec![None, None],
                        }],
                    },
                ),
                ev(4, processed("c1", 0, 0, 2, 0)),
            ]
        }

        fn observed(members: Option<Vec<ObservedMember>>) -> ClusterObservation {
            ClusterObservation {
                groups: vec![ObservedGroup { assignor: None, ..group("offsetlab.e2e", members, 2) }],
                ..full()
            }
        }

        /// nisshi lists the member with Kafka's member id (`<client.id>-<uuid>`)
        /// and no client id or assignment.
        fn bare_member(id: &str) -> ObservedMember {
            ObservedMember {
                member_id: id.into(),
                client_id: String::new(),
                client_host: String::new(),
                topics: None,
                assignment: None,
            }
        }

        fn row(consumer: &str, member_id: Option<&str>, generation: Option<i32>) -> MemberRow {
            MemberRow {
                member_id: member_id.map(Into::into),
                consumer: consumer.into(),
                partitions: vec![tp(0), tp(1)],
                assignment_unknown: false,
                outside: false,
                generation,
            }
        }

        #[test]
        fn the_gateways_own_consumer_is_a_known_member_of_its_live_group() {
            // Listed by the broker without client id or assignment: it is c1.
            let mut events = gateway_consumer("offsetlab.e2e");
            events.push(ev(
                5,
                EventKind::ClusterObserved { observation: observed(Some(vec![bare_member("c1-f386-6743")])) },
            ));
            let view = ClusterView::fold(&events);
            assert_eq!(view.group_members("offsetlab.e2e"), [row("c1", Some("c1-f386-6743"), Some(3))]);
            assert_eq!(view.group_generation("offsetlab.e2e"), Some(3));
            let c1 = &view.consumers["c1"].cursors[&tp(0)];
            assert_eq!((c1.position, c1.processed), (Some(2), Some(2)));
            // What the broker says stays: state and committed offset.
            let g = &view.groups["offsetlab.e2e"];
            assert_eq!((g.state, g.committed[&tp(0)]), (GroupState::Stable, 2));

            // The broker does not list members at all: c1 is still known.
            let mut events = gateway_consumer("offsetlab.e2e");
            events.push(ev(5, EventKind::ClusterObserved { observation: observed(None) }));
            let view = ClusterView::fold(&events);
            assert_eq!(view.group_members("offsetlab.e2e"), [row("c1", None, Some(3))]);
            assert_eq!(view.group_generation("offsetlab.e2e"), Some(3));
        }

        #[test]
        fn only_what_nobody_said_is_unknown() {
            let mut events = gateway_consumer("offsetlab.e2e");
            events.push(ev(
                5,
                EventKind::ClusterObserved {
                    observation: observed(Some(vec![bare_member("c1-aaaa"), member("m-9", "billing-app")])),
                },
            ));
            let view = ClusterView::fold(&events);
            let rows = view.group_members("offsetlab.e2e");
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[0], row("c1", Some("c1-aaaa"), Some(3)));
            assert_eq!((rows[1].consumer.as_str(), rows[1].outside), ("billing-app", true));
            assert!(!rows[1].assignment_unknown, "the broker said what it owns");

            // A member with no client id that is none of ours stays unknown.
            let mut events = gateway_consumer("offsetlab.e2e");
            events.push(ev(
                5,
                EventKind::ClusterObserved { observation: observed(Some(vec![bare_member("c10-bbbb")])) },
            ));
            let rows = ClusterView::fold(&events).group_members("offsetlab.e2e");
            assert_eq!(rows.len(), 2, "{rows:?}");
            assert!(rows[0].outside && rows[0].assignment_unknown && rows[0].generation.is_none());
            assert_eq!(rows[1], row("c1", None, Some(3)));

            // A group seen only from the outside: its generation is unknown.
            let mut view = ClusterView::default();
            view.observe(&full());
            assert_eq!(view.group_generation("billing"), None);
        }

        #[test]
        fn a_crashed_or_unsubscribed_consumer_is_not_shown_as_a_current_member() {
            let mut events = gateway_consumer("offsetlab.e2e");
            events.push(ev(5, EventKind::ClusterObserved { observation: observed(None) }));
            events.push(ev(6, EventKind::ConsumerCrashed { consumer: "c1".into() }));
            let view = ClusterView::fold(&events);
            assert!(view.group_members("offsetlab.e2e").is_empty());
            assert_eq!(view.group_generation("offsetlab.e2e"), None);
            // Listed by the broker until its session times out: named, with the broker's word.
            let mut events = gateway_consumer("offsetlab.e2e");
            events.push(ev(5, EventKind::ConsumerCrashed { consumer: "c1".into() }));
            events.push(ev(
                6,
                EventKind::ClusterObserved { observation: observed(Some(vec![bare_member("c1-cccc")])) },
            ));
            let rows = ClusterView::fold(&events).group_members("offsetlab.e2e");
            assert_eq!(rows.len(), 1);
            assert_eq!(
                (rows[0].consumer.as_str(), rows[0].outside, rows[0].assignment_unknown),
                ("c1", false, true)
            );
        }

        #[test]
        fn offline_groups_show_their_own_members_only() {
            let mut events = gateway_consumer("g");
            events.push(ev(
                5,
                EventKind::MemberJoined {
                    group: "g".into(),
                    member_id: "m1".into(),
                    consumer: "c1".into(),
                    group_instance_id: None,
                    static_rejoin: false,
                },
            ));
            let view = ClusterView::fold(&events);
            let rows = view.group_members("g");
            assert_eq!(rows.len(), 1);
            assert_eq!((rows[0].consumer.as_str(), rows[0].member_id.as_deref()), ("c1", Some("m1")));
            assert!(rows[0].partitions.is_empty(), "offline, the coordinator's view of the member");
            assert_eq!(view.group_generation("g"), Some(0));
        }

        #[test]
        fn a_watched_tail_starts_the_log_at_its_first_offset() {
            let mut view = ClusterView::default();
            view.observe(&full());
            view.apply(&ev(5, produced(0, 98, &["x", "y"])));
            let p0 = view.partition(&tp(0)).unwrap();
            assert_eq!((p0.base_offset, p0.known_end(), p0.high_watermark()), (98, 100, 100));
            assert_eq!(p0.record(99).and_then(|r| r.key.as_deref()), Some("y"));
            assert_eq!(p0.record(3), None, "not seen");
            // Far ahead: the log starts over rather than filling millions of cells.
            view.apply(&ev(6, produced(0, 5_000_000, &["z"])));
            let p0 = view.partition(&tp(0)).unwrap();
            assert_eq!((p0.base_offset, p0.records.len()), (5_000_000, 1));
        }
    }
}
