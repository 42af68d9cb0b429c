//! Kafka's client-side partition assignors (classic group protocol).
//!
//! In the classic protocol the group leader, a consumer, computes the
//! assignment with the strategy the coordinator selected
//! ([`select_strategy`]). These are ports of the Java consumer's assignors in
//! `org.apache.kafka.clients.consumer` (Kafka 3.x): `RangeAssignor`,
//! `RoundRobinAssignor`, `StickyAssignor` and `CooperativeStickyAssignor`
//! (both built on `AbstractStickyAssignor`), and they give the same
//! assignments as the Java code, including its tie-breaks.
//!
//! The Java code iterates `HashMap`s in a few places where the order changes
//! the result (for example which members of a sticky group keep an extra
//! partition). To give the same answer, this module reproduces `java.util.HashMap`'s
//! iteration order for the keys involved (the private `java` module). The leader builds
//! its member map from the JoinGroup response, so the order of `members`
//! passed to [`assign`] plays the role of the response's member order; it only
//! matters for member ids whose hashes fall into the same bucket.
//!
//! Not modelled, and where the port deliberately differs from Java:
//! - Rack-aware assignment (KIP-881): the model has no racks, so it is the
//!   Java behaviour with no `client.rack` set.
//! - Input the Java client cannot produce is cleaned up instead of rejected:
//!   a repeated member id keeps its first entry, repeated topics and owned
//!   partitions count once, owned partitions of topics no member subscribes to,
//!   unknown topics or partitions outside the topic are ignored, and negative
//!   generations mean "no generation" (as in `ConsumerProtocolSubscription`).
//! - Java's sticky assignors call the subscriptions "all equal" when the
//!   member iterated first has an empty subscription, and then hand partitions
//!   to members that did not subscribe to them; here subscriptions are equal
//!   only when they really are.
//! - In the general (unequal subscriptions) sticky algorithm, Java may move a
//!   partition back to its owner of an older generation even when that member
//!   no longer subscribes to the topic, or fail when the member takes no part
//!   in the reassignment; here that shortcut is taken only when it is valid.
//! - Java's sticky assignor object remembers the highest generation it has
//!   ever seen across rebalances; [`assign`] is stateless and uses the highest
//!   generation among the given members (the same unless generations go
//!   backwards).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::str::FromStr;

use offsetlab_protocol::TopicPartition;
use serde::{Deserialize, Serialize};

/// `partition.assignment.strategy`: which assignor the group leader runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssignmentStrategy {
    #[serde(alias = "org.apache.kafka.clients.consumer.RangeAssignor")]
    Range,
    #[serde(rename = "roundrobin", alias = "org.apache.kafka.clients.consumer.RoundRobinAssignor")]
    RoundRobin,
    #[serde(alias = "org.apache.kafka.clients.consumer.StickyAssignor")]
    Sticky,
    #[serde(alias = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")]
    CooperativeSticky,
}

/// How a group rebalances (Java's `ConsumerPartitionAssignor.RebalanceProtocol`).
/// Ordered like Java's enum: `Eager < Cooperative`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RebalanceProtocol {
    /// Every member revokes all its partitions before rejoining.
    Eager,
    /// Members keep what does not move; moving partitions are revoked first
    /// and assigned in a follow-up rebalance (KIP-429).
    Cooperative,
}

impl AssignmentStrategy {
    pub const ALL: [AssignmentStrategy; 4] = [
        AssignmentStrategy::Range,
        AssignmentStrategy::RoundRobin,
        AssignmentStrategy::Sticky,
        AssignmentStrategy::CooperativeSticky,
    ];

    /// The protocol name the consumer sends in JoinGroup (the assignor's `name()`).
    pub fn name(self) -> &'static str {
        match self {
            AssignmentStrategy::Range => "range",
            AssignmentStrategy::RoundRobin => "roundrobin",
            AssignmentStrategy::Sticky => "sticky",
            AssignmentStrategy::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The Java class configured in `partition.assignment.strategy`.
    pub fn class_name(self) -> &'static str {
        match self {
            AssignmentStrategy::Range => "org.apache.kafka.clients.consumer.RangeAssignor",
            AssignmentStrategy::RoundRobin => "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            AssignmentStrategy::Sticky => "org.apache.kafka.clients.consumer.StickyAssignor",
            AssignmentStrategy::CooperativeSticky => {
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"
            }
        }
    }

    /// The protocol a group using only this assignor rebalances with: only
    /// `cooperative-sticky` is cooperative.
    pub fn rebalance_protocol(self) -> RebalanceProtocol {
        match self {
            AssignmentStrategy::CooperativeSticky => RebalanceProtocol::Cooperative,
            _ => RebalanceProtocol::Eager,
        }
    }

    /// The protocols the assignor supports (`supportedProtocols()`):
    /// `cooperative-sticky` also works eagerly, the others only eagerly.
    pub fn supported_protocols(self) -> &'static [RebalanceProtocol] {
        match self {
            AssignmentStrategy::CooperativeSticky => {
                &[RebalanceProtocol::Cooperative, RebalanceProtocol::Eager]
            }
            _ => &[RebalanceProtocol::Eager],
        }
    }
}

/// The rebalance protocol a consumer configured with these assignors uses,
/// as `ConsumerCoordinator` picks it: the highest protocol every configured
/// assignor supports. So Kafka 3.x's default `[range, cooperative-sticky]`
/// rebalances eagerly. `None` when the list is empty (Java rejects that
/// configuration).
pub fn rebalance_protocol_for(assignors: &[AssignmentStrategy]) -> Option<RebalanceProtocol> {
    let first = assignors.first()?;
    first
        .supported_protocols()
        .iter()
        .copied()
        .filter(|p| assignors.iter().all(|a| a.supported_protocols().contains(p)))
        .max()
}

impl fmt::Display for AssignmentStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown `partition.assignment.strategy` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseAssignmentStrategyError {
    pub input: String,
}

impl fmt::Display for ParseAssignmentStrategyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown partition assignment strategy {}; valid names are ",
            crate::scenario::quote(&self.input)
        )?;
        for (i, s) in AssignmentStrategy::ALL.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{} ({})", s.name(), s.class_name())?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseAssignmentStrategyError {}

impl FromStr for AssignmentStrategy {
    type Err = ParseAssignmentStrategyError;

    /// Accepts the protocol names and the Java class names, as written in a
    /// consumer config (surrounding whitespace is ignored, as Kafka's list
    /// parser does).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        AssignmentStrategy::ALL
            .into_iter()
            .find(|a| a.name() == s || a.class_name() == s)
            .ok_or_else(|| ParseAssignmentStrategyError { input: s.to_owned() })
    }
}

/// One member's JoinGroup subscription, as the leader's assignor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSubscription {
    pub member_id: String,
    /// `group.instance.id` of a static member (KIP-345).
    #[serde(default)]
    pub group_instance_id: Option<String>,
    /// Subscribed topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// What the member owns now (cooperative and sticky input).
    #[serde(default)]
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation `owned_partitions` were assigned in; when two members
    /// claim a partition, the higher generation keeps it.
    #[serde(default)]
    pub generation: Option<i32>,
}

impl MemberSubscription {
    /// A member that owns nothing yet.
    pub fn new<T: Into<String>>(member_id: impl Into<String>, topics: impl IntoIterator<Item = T>) -> Self {
        MemberSubscription {
            member_id: member_id.into(),
            group_instance_id: None,
            topics: topics.into_iter().map(Into::into).collect(),
            owned_partitions: Vec::new(),
            generation: None,
        }
    }

    /// The same member as a static member with this `group.instance.id`.
    pub fn with_group_instance_id(mut self, group_instance_id: impl Into<String>) -> Self {
        self.group_instance_id = Some(group_instance_id.into());
        self
    }

    /// The same member, owning `partitions` since `generation`.
    pub fn with_owned(
        mut self,
        partitions: impl IntoIterator<Item = TopicPartition>,
        generation: Option<i32>,
    ) -> Self {
        self.owned_partitions = partitions.into_iter().collect();
        self.generation = generation;
        self
    }
}

/// Computes the group's assignment with `strategy`, as the Java assignor of
/// that name does.
///
/// Only topics some member subscribes to and that have at least one partition
/// in `partitions_per_topic` are assigned; others are ignored, as the Java
/// assignor ignores topics without metadata. Every member id is a key of the
/// result, with an empty list when it gets nothing (an idle member); each
/// list is sorted.
///
/// For [`AssignmentStrategy::CooperativeSticky`] a partition that must move
/// from one current member to another is left out of this round: its owner
/// revokes it, notices the revocation, and rejoins, and the follow-up
/// rebalance assigns it (Java's `CooperativeStickyAssignor.adjustAssignment`).
/// So a group is stable only once an assignment revokes nothing.
pub fn assign(
    strategy: AssignmentStrategy,
    partitions_per_topic: &BTreeMap<String, i32>,
    members: &[MemberSubscription],
) -> BTreeMap<String, Vec<TopicPartition>> {
    let group = Group::new(partitions_per_topic, members);
    let per_member = match strategy {
        AssignmentStrategy::Range => group.range(),
        AssignmentStrategy::RoundRobin => group.round_robin(),
        AssignmentStrategy::Sticky => group.sticky(false),
        AssignmentStrategy::CooperativeSticky => group.sticky(true),
    };
    group.output(per_member)
}

/// The classic group coordinator's choice of protocol
/// (`ClassicGroup.selectProtocol`): among the strategies every member
/// supports, each member votes for the first one in its own preference
/// order, and the most votes win.
///
/// Ties are broken as the Java code does, by the iteration order of its
/// `HashMap` of votes, which for these four names is
/// `sticky`, `range`, `roundrobin`, `cooperative-sticky`.
/// `None` when there are no members or no strategy all of them support (the
/// coordinator rejects such a member with `INCONSISTENT_GROUP_PROTOCOL`).
pub fn select_strategy(preferences: &[Vec<AssignmentStrategy>]) -> Option<AssignmentStrategy> {
    if preferences.is_empty() {
        return None;
    }
    let candidates: Vec<AssignmentStrategy> = AssignmentStrategy::ALL
        .into_iter()
        .filter(|s| preferences.iter().all(|member| member.contains(s)))
        .collect();
    // Votes in the order the Java map first sees each name.
    let mut votes: Vec<(AssignmentStrategy, u32)> = Vec::new();
    for member in preferences {
        let vote = member.iter().find(|s| candidates.contains(s))?;
        match votes.iter_mut().find(|(s, _)| s == vote) {
            Some((_, n)) => *n += 1,
            None => votes.push((*vote, 1)),
        }
    }
    let hashes: Vec<i32> = votes.iter().map(|(s, _)| java::string_hash(s.name())).collect();
    // `stream().max(comparingInt(count))` keeps the first of equal maxima.
    let mut best: Option<(AssignmentStrategy, u32)> = None;
    for i in java::hash_map_order(&hashes) {
        let (s, n) = votes[i];
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s)
}

/// Reproductions of the Java library behaviour the assignors' results depend on.
mod java {
    use std::cmp::Ordering;

    /// `String.hashCode()`: over UTF-16 code units, wrapping.
    pub fn string_hash(s: &str) -> i32 {
        s.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
    }

    /// `String.compareTo`: UTF-16 code units, then length. Differs from Rust's
    /// byte order only for characters above U+FFFF versus U+E000..U+FFFF.
    pub fn cmp_str(a: &str, b: &str) -> Ordering {
        a.encode_utf16().cmp(b.encode_utf16())
    }

    /// `TopicPartition.hashCode()`.
    pub fn topic_partition_hash(topic_hash: i32, partition: i32) -> i32 {
        31i32.wrapping_mul(31i32.wrapping_add(partition)).wrapping_add(topic_hash)
    }

    /// `HashMap.hash`: the bucket index uses the high bits too.
    fn spread(hash: i32) -> u32 {
        let h = hash as u32;
        h ^ (h >> 16)
    }

    const INITIAL_CAPACITY: usize = 16;
    /// A bin this long is treeified, or the table doubled while it is small.
    const TREEIFY_THRESHOLD: usize = 9;
    const MIN_TREEIFY_CAPACITY: usize = 64;

    fn bucket(spread_hash: u32, capacity: usize) -> usize {
        spread_hash as usize & (capacity - 1)
    }

    /// The capacity after a key went into a bin that is now `bin_len` long,
    /// making `len` keys (`putVal`'s resize rules; load factor 0.75).
    fn grown(capacity: usize, bin_len: usize, len: usize) -> usize {
        let mut capacity = capacity;
        if bin_len >= TREEIFY_THRESHOLD && capacity < MIN_TREEIFY_CAPACITY {
            capacity *= 2;
        }
        if len > capacity / 4 * 3 {
            capacity *= 2;
        }
        capacity
    }

    /// The iteration order of a `new HashMap<>()` into which distinct keys
    /// with these hash codes were put in this order (no removals): by bucket,
    /// and by insertion within a bucket (resizes keep that relative order).
    /// Treeified bins (nine or more keys in one bucket of a table of 64 or
    /// more) iterate differently in Java and are not reproduced.
    pub fn hash_map_order(hashes: &[i32]) -> Vec<usize> {
        let spread_hashes: Vec<u32> = hashes.iter().map(|&h| spread(h)).collect();
        let mut capacity = INITIAL_CAPACITY;
        for len in 1..=spread_hashes.len() {
            let b = bucket(spread_hashes[len - 1], capacity);
            let bin_len = spread_hashes[..len].iter().filter(|&&h| bucket(h, capacity) == b).count();
            capacity = grown(capacity, bin_len, len);
        }
        let mut order: Vec<usize> = (0..hashes.len()).collect();
        crate::sort::sort_by_key(&mut order, |&i| bucket(spread_hashes[i], capacity));
        order
    }

    /// A `new HashSet<>()` whose only observed behaviour is which element
    /// `iterator().next()` returns, under inserts and removes.
    #[derive(Clone, Debug)]
    pub struct HashSet<T> {
        capacity: usize,
        next_seq: u64,
        /// element, spread hash, insertion sequence (its place in its bin's chain)
        entries: Vec<(T, u32, u64)>,
    }

    impl<T: Copy + PartialEq> HashSet<T> {
        pub fn new() -> Self {
            HashSet { capacity: INITIAL_CAPACITY, next_seq: 0, entries: Vec::new() }
        }

        pub fn insert(&mut self, value: T, hash: i32) {
            if self.entries.iter().any(|(v, _, _)| *v == value) {
                return;
            }
            let h = spread(hash);
            self.entries.push((value, h, self.next_seq));
            self.next_seq += 1;
            let b = bucket(h, self.capacity);
            let bin_len = self.entries.iter().filter(|(_, e, _)| bucket(*e, self.capacity) == b).count();
            self.capacity = grown(self.capacity, bin_len, self.entries.len());
        }

        pub fn remove(&mut self, value: T) {
            self.entries.retain(|(v, _, _)| *v != value);
        }

        pub fn is_empty(&self) -> bool {
            self.entries.is_empty()
        }

        /// The element Java's iterator returns first.
        pub fn first(&self) -> Option<T> {
            self.entries
                .iter()
                .min_by_key(|(_, h, seq)| (bucket(*h, self.capacity), *seq))
                .map(|(v, _, _)| *v)
        }
    }
}

/// A topic-partition inside the assignors: (topic index, partition). Topic
/// indices follow Java's string order, so the tuple order is Java's
/// `(topic, partition)` order.
type Tp = (usize, i32);

/// A member, cleaned up (see the module docs).
struct Member<'a> {
    id: &'a str,
    group_instance_id: Option<&'a str>,
    /// All subscribed topics, known or not (sticky's "all subscriptions equal").
    raw_topics: BTreeSet<&'a str>,
    /// Subscribed topics that exist, as topic indices.
    topics: BTreeSet<usize>,
    /// Owned partitions that exist, of topics the group subscribes to, in the member's order.
    owned: Vec<Tp>,
    /// `None` when absent or negative.
    generation: Option<i32>,
}

/// The assignors' common input.
struct Group<'a> {
    /// Topics some member subscribes to that have partitions, in Java string order.
    topics: Vec<&'a str>,
    counts: Vec<i32>,
    topic_hashes: Vec<i32>,
    /// In the given order, without repeated ids.
    members: Vec<Member<'a>>,
    /// Java `HashMap` iteration order of the member ids: the order in which
    /// the Java assignors visit `subscriptions`.
    hash_order: Vec<usize>,
    /// Each member's position in Java string order of member ids.
    rank: Vec<usize>,
    /// The member at each rank.
    by_rank: Vec<usize>,
}

impl<'a> Group<'a> {
    fn new(partitions_per_topic: &'a BTreeMap<String, i32>, subscriptions: &'a [MemberSubscription]) -> Self {
        let mut seen_ids = BTreeSet::new();
        let unique: Vec<&MemberSubscription> =
            subscriptions.iter().filter(|m| seen_ids.insert(m.member_id.as_str())).collect();

        let subscribed = unique
            .iter()
            .flat_map(|m| m.topics.iter())
            .filter(|t| partitions_per_topic.get(t.as_str()).is_some_and(|&n| n > 0))
            .map(String::as_str);
        let mut topics: Vec<&str> = crate::sort::btree_set(subscribed).into_iter().collect();
        crate::sort::sort_by(&mut topics, |a, b| java::cmp_str(a, b));
        let index = crate::sort::btree_map(topics.iter().enumerate().map(|(i, t)| (*t, i)));
        let counts: Vec<i32> = topics.iter().map(|t| partitions_per_topic[*t]).collect();
        let topic_hashes = topics.iter().map(|t| java::string_hash(t)).collect();

        let members: Vec<Member> = unique
            .iter()
            .map(|m| {
                let mut seen = BTreeSet::new();
                let owned = m
                    .owned_partitions
                    .iter()
                    .filter_map(|tp| {
                        let t = *index.get(tp.topic.as_str())?;
                        ((0..counts[t]).contains(&tp.partition) && seen.insert((t, tp.partition)))
                            .then_some((t, tp.partition))
                    })
                    .collect();
                Member {
                    id: &m.member_id,
                    group_instance_id: m.group_instance_id.as_deref(),
                    raw_topics: crate::sort::btree_set(m.topics.iter().map(String::as_str)),
                    topics: crate::sort::btree_set(
                        m.topics.iter().filter_map(|t| index.get(t.as_str()).copied()),
                    ),
                    owned,
                    generation: m.generation.filter(|&g| g >= 0),
                }
            })
            .collect();

        let id_hashes: Vec<i32> = members.iter().map(|m| java::string_hash(m.id)).collect();
        let hash_order = java::hash_map_order(&id_hashes);
        let mut by_rank: Vec<usize> = (0..members.len()).collect();
        crate::sort::sort_by(&mut by_rank, |&a, &b| java::cmp_str(members[a].id, members[b].id));
        let mut rank = vec![0; members.len()];
        for (r, &m) in by_rank.iter().enumerate() {
            rank[m] = r;
        }
        Group { topics, counts, topic_hashes, members, hash_order, rank, by_rank }
    }

    fn partitions_of(&self, topic: usize) -> impl Iterator<Item = Tp> + use<> {
        (0..self.counts[topic]).map(move |p| (topic, p))
    }

    fn total_partitions(&self) -> usize {
        self.counts.iter().map(|&c| c as usize).sum()
    }

    fn output(&self, per_member: Vec<Vec<Tp>>) -> BTreeMap<String, Vec<TopicPartition>> {
        crate::sort::btree_map(self.members.iter().zip(per_member).map(|(m, tps)| {
            let mut list: Vec<TopicPartition> =
                tps.into_iter().map(|(t, p)| TopicPartition::new(self.topics[t], p)).collect();
            crate::sort::sort(&mut list);
            (m.id.to_owned(), list)
        }))
    }

    /// `AbstractPartitionAssignor.MemberInfo` order: static members first,
    /// by `group.instance.id`, then dynamic members by member id. Java sorts
    /// stably, starting from the `subscriptions` iteration order.
    fn member_info_order(&self) -> Vec<usize> {
        let mut order = self.hash_order.clone();
        crate::sort::sort_by(&mut order, |&a, &b| {
            let (a, b) = (&self.members[a], &self.members[b]);
            match (a.group_instance_id, b.group_instance_id) {
                (Some(x), Some(y)) => java::cmp_str(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => java::cmp_str(a.id, b.id),
            }
        });
        order
    }

    /// `RangeAssignor`: per topic, the subscribed members in `MemberInfo`
    /// order each take a consecutive range of `P / C` partitions, the first
    /// `P % C` of them one more.
    fn range(&self) -> Vec<Vec<Tp>> {
        let mut assignment = vec![Vec::new(); self.members.len()];
        let order = self.member_info_order();
        for topic in 0..self.topics.len() {
            let consumers: Vec<usize> =
                order.iter().copied().filter(|&m| self.members[m].topics.contains(&topic)).collect();
            if consumers.is_empty() {
                continue;
            }
            let count = self.counts[topic] as usize;
            let (per_consumer, with_extra) = (count / consumers.len(), count % consumers.len());
            let mut partitions = self.partitions_of(topic);
            for (i, &m) in consumers.iter().enumerate() {
                let take = per_consumer + usize::from(i < with_extra);
                assignment[m].extend(partitions.by_ref().take(take));
            }
        }
        assignment
    }

    /// `RoundRobinAssignor`: all partitions, topics in name order, dealt to
    /// the members in `MemberInfo` order in turn, skipping members that do
    /// not subscribe to the partition's topic.
    fn round_robin(&self) -> Vec<Vec<Tp>> {
        let mut assignment = vec![Vec::new(); self.members.len()];
        let order = self.member_info_order();
        if order.is_empty() {
            return assignment;
        }
        let mut next = 0;
        for topic in 0..self.topics.len() {
            for tp in self.partitions_of(topic) {
                // Every known topic has a subscriber, so this finds one within a lap.
                while !self.members[order[next]].topics.contains(&topic) {
                    next = (next + 1) % order.len();
                }
                assignment[order[next]].push(tp);
                next = (next + 1) % order.len();
            }
        }
        assignment
    }

    /// `AbstractStickyAssignor.assignPartitions`, plus the
    /// `CooperativeStickyAssignor` adjustment when `cooperative`.
    fn sticky(&self, cooperative: bool) -> Vec<Vec<Tp>> {
        if self.members.is_empty() {
            return Vec::new();
        }
        let claims = self.resolve_claims();
        let all_equal = self.members.windows(2).all(|w| w[0].raw_topics == w[1].raw_topics);
        let (mut assignment, transferring) = if all_equal {
            let (assignment, transferring) = self.constrained(&claims);
            (assignment, Some(transferring))
        } else {
            (self.general(&claims), None)
        };
        if cooperative {
            // Withhold every partition that would go straight from one member to another.
            let transferring =
                transferring.unwrap_or_else(|| self.partitions_transferring_ownership(&assignment));
            for (tp, member) in transferring {
                assignment[member].retain(|&x| x != tp);
            }
        }
        assignment
    }

    /// Who keeps which owned partition (`allSubscriptionsEqual`'s
    /// bookkeeping): a partition claimed by several members goes to the
    /// highest generation; claimed twice in the same generation, it is taken
    /// from both and remembered in `multiple_owners`.
    fn resolve_claims(&self) -> Claims {
        let mut owned = vec![Vec::new(); self.members.len()];
        let mut owner_of: BTreeMap<Tp, usize> = BTreeMap::new();
        let mut multiple_owners = BTreeSet::new();
        let mut max_generation = -1;
        let generation = |m: usize| self.members[m].generation.unwrap_or(-1);
        for &m in &self.hash_order {
            max_generation = max_generation.max(generation(m));
            for &tp in &self.members[m].owned {
                match owner_of.get(&tp).copied() {
                    None => {
                        owned[m].push(tp);
                        owner_of.insert(tp, m);
                    }
                    Some(other) if generation(m) == generation(other) => {
                        multiple_owners.insert(tp);
                        remove_first(&mut owned[other], tp);
                        owner_of.insert(tp, m);
                    }
                    Some(other) if generation(m) > generation(other) => {
                        owned[m].push(tp);
                        remove_first(&mut owned[other], tp);
                        owner_of.insert(tp, m);
                    }
                    Some(_) => {}
                }
            }
        }
        Claims { owned, multiple_owners, max_generation }
    }

    /// `ConstrainedAssignmentBuilder`, used when all members subscribe to the
    /// same topics: every member gets `minQuota` or `maxQuota` partitions and
    /// keeps as many owned ones as that allows. Returns the assignment and the
    /// partitions given to a member other than their previous owner.
    fn constrained(&self, claims: &Claims) -> (Vec<Vec<Tp>>, BTreeMap<Tp, usize>) {
        let n = self.members.len();
        let total = self.total_partitions();
        let min_quota = total / n;
        let max_quota = total.div_ceil(n);
        let expected_over_min = total % n;
        let mut current_over_min = 0;

        let mut assignment: Vec<Vec<Tp>> = vec![Vec::new(); n];
        let mut assigned = BTreeSet::new();
        let mut maybe_revoked: BTreeMap<Tp, usize> = BTreeMap::new();
        let mut under_min: Vec<usize> = Vec::new();
        let mut exactly_min: VecDeque<usize> = VecDeque::new();

        // Keep owned partitions up to the quotas; the iteration order decides
        // who of several big owners keeps maxQuota.
        for &m in &self.hash_order {
            let mut owned: Vec<Tp> =
                claims.owned[m].iter().copied().filter(|tp| !claims.multiple_owners.contains(tp)).collect();
            crate::sort::sort_by_key(&mut owned, |&(topic, partition)| (partition, topic));
            let keep = if owned.len() < min_quota {
                under_min.push(m);
                owned.len()
            } else if owned.len() >= max_quota && current_over_min < expected_over_min {
                current_over_min += 1;
                if current_over_min == expected_over_min {
                    exactly_min.clear();
                }
                max_quota
            } else {
                if current_over_min < expected_over_min {
                    exactly_min.push_back(m);
                }
                min_quota
            };
            for &tp in &owned[keep..] {
                maybe_revoked.insert(tp, m);
            }
            assigned.extend(owned[..keep].iter().copied());
            assignment[m].extend_from_slice(&owned[..keep]);
        }

        let unassigned: Vec<Tp> = (0..self.topics.len())
            .flat_map(|t| self.partitions_of(t))
            .filter(|tp| !assigned.contains(tp))
            .collect();
        crate::sort::sort_by_key(&mut under_min, |&m| self.rank[m]);
        crate::sort::sort_by_key(exactly_min.make_contiguous(), |&m| self.rank[m]);

        // Deal the rest round-robin to members under minQuota, then one each
        // to members at minQuota until enough members have maxQuota.
        let mut transferring = BTreeMap::new();
        let mut next = 0; // Java's iterator over `under_min`
        for tp in unassigned {
            let (m, from_under_min) = if next < under_min.len() {
                next += 1;
                (under_min[next - 1], true)
            } else if !under_min.is_empty() {
                next = 1;
                (under_min[0], true)
            } else if let Some(m) = exactly_min.pop_front() {
                (m, false)
            } else {
                debug_assert!(false, "no member left for {tp:?}; quotas {min_quota}/{max_quota}");
                break;
            };
            assignment[m].push(tp);
            if maybe_revoked.get(&tp).is_some_and(|&owner| owner != m) || claims.multiple_owners.contains(&tp)
            {
                transferring.insert(tp, m);
            }
            let count = assignment[m].len();
            if count == min_quota {
                debug_assert!(from_under_min, "a member at minQuota reached minQuota again");
                if from_under_min {
                    next -= 1;
                    under_min.remove(next);
                    exactly_min.push_back(m);
                }
            } else if count == max_quota {
                current_over_min += 1;
            }
        }
        // `verifyUnfilledMembers`: anyone still listed as unfilled must be at
        // minQuota, with all maxQuota places taken.
        debug_assert!(
            under_min.is_empty()
                || (current_over_min == expected_over_min
                    && under_min.iter().all(|&m| assignment[m].len() == min_quota)),
            "members left under minQuota"
        );
        (assignment, transferring)
    }

    /// `CooperativeStickyAssignor.computePartitionsTransferringOwnership`:
    /// partitions assigned to one member while another member owned them.
    fn partitions_transferring_ownership(&self, assignment: &[Vec<Tp>]) -> BTreeMap<Tp, usize> {
        let mut added = BTreeMap::new();
        let mut revoked = BTreeSet::new();
        for (m, assigned) in assignment.iter().enumerate() {
            let owned = &self.members[m].owned;
            added.extend(assigned.iter().filter(|tp| !owned.contains(tp)).map(|&tp| (tp, m)));
            revoked.extend(owned.iter().filter(|tp| !assigned.contains(tp)).copied());
        }
        added.retain(|tp, _| revoked.contains(tp));
        added
    }

    /// `GeneralAssignmentBuilder`, for members with different subscriptions.
    fn general(&self, claims: &Claims) -> Vec<Vec<Tp>> {
        General::new(self, claims).build()
    }
}

/// Owned partitions after resolving conflicting claims.
struct Claims {
    owned: Vec<Vec<Tp>>,
    multiple_owners: BTreeSet<Tp>,
    max_generation: i32,
}

fn remove_first(list: &mut Vec<Tp>, tp: Tp) {
    if let Some(i) = list.iter().position(|&x| x == tp) {
        list.remove(i);
    }
}

/// The state of `AbstractStickyAssignor.GeneralAssignmentBuilder`.
///
/// It keeps owned partitions the owner still subscribes to, gives each
/// unassigned partition to the least loaded member that can take it, then
/// moves partitions from members with more to members with at least two
/// fewer until no such move is possible, and keeps the result only if it is
/// better balanced (or there was nothing to keep).
struct General<'g, 'a> {
    group: &'g Group<'a>,
    /// Members subscribed to each topic (`topic2AllPotentialConsumers`).
    potential_consumers: Vec<Vec<usize>>,
    /// `currentAssignment`.
    current: Vec<Vec<Tp>>,
    /// `currentPartitionConsumer`.
    owner: BTreeMap<Tp, usize>,
    /// `sortedCurrentSubscriptions`: (assigned count, rank of member id).
    by_load: BTreeSet<(usize, usize)>,
    /// Members that take part in the reassignment (not in `fixedAssignments`).
    participating: Vec<bool>,
    /// The older assignment per partition (`prevAssignment`): member, generation.
    previous: BTreeMap<Tp, (usize, i32)>,
    movements: PartitionMovements,
}

impl<'g, 'a> General<'g, 'a> {
    fn new(group: &'g Group<'a>, claims: &Claims) -> Self {
        let n = group.members.len();
        let potential_consumers = (0..group.topics.len())
            .map(|t| {
                group.hash_order.iter().copied().filter(|&m| group.members[m].topics.contains(&t)).collect()
            })
            .collect();
        let current = claims.owned.clone();
        let owner = crate::sort::btree_map(
            current.iter().enumerate().flat_map(|(m, tps)| tps.iter().map(move |&tp| (tp, m))),
        );

        // Partitions last owned in an older generation, by the newest of those owners.
        let mut previous: BTreeMap<Tp, (usize, i32)> = BTreeMap::new();
        for &m in &group.hash_order {
            let generation = match group.members[m].generation {
                Some(g) if g < claims.max_generation => g,
                None if claims.max_generation > -1 => -1,
                _ => continue,
            };
            for &tp in &group.members[m].owned {
                if previous.get(&tp).is_none_or(|&(_, g)| generation > g) {
                    previous.insert(tp, (m, generation));
                }
            }
        }

        General {
            group,
            potential_consumers,
            current,
            owner,
            by_load: BTreeSet::new(),
            participating: vec![true; n],
            previous,
            movements: PartitionMovements::default(),
        }
    }

    fn subscribes(&self, m: usize, topic: usize) -> bool {
        self.group.members[m].topics.contains(&topic)
    }

    fn load_key(&self, m: usize) -> (usize, usize) {
        (self.current[m].len(), self.group.rank[m])
    }

    fn max_assignment_size(&self, m: usize) -> usize {
        self.group.members[m].topics.iter().map(|&t| self.group.counts[t] as usize).sum()
    }

    fn build(mut self) -> Vec<Vec<Tp>> {
        let group = self.group;
        let n = group.members.len();

        // Keep owned partitions of subscribed topics; drop the rest.
        let mut revocation_required = false;
        let mut assigned = BTreeSet::new();
        for m in 0..n {
            let mut kept = std::mem::take(&mut self.current[m]);
            kept.retain(|tp| {
                let keep = group.members[m].topics.contains(&tp.0);
                revocation_required |= !keep;
                keep
            });
            assigned.extend(kept.iter().copied());
            self.current[m] = kept;
        }

        // Topics with fewer potential consumers first, then by name.
        let mut sorted_topics: Vec<usize> = (0..group.topics.len()).collect();
        crate::sort::sort_by_key(&mut sorted_topics, |&t| (self.potential_consumers[t].len(), t));
        let mut sorted_partitions: Vec<Tp> =
            sorted_topics.iter().flat_map(|&t| group.partitions_of(t)).collect();
        let mut unassigned: Vec<Tp> =
            sorted_partitions.iter().copied().filter(|tp| !assigned.contains(tp)).collect();

        self.by_load = crate::sort::btree_set((0..n).map(|m| self.load_key(m)));
        let initializing = self.by_load.last().is_some_and(|&(load, _)| load == 0);

        for &tp in &unassigned {
            if let Some(m) = self.least_loaded_subscriber(tp.0) {
                self.give(tp, m);
            }
        }

        // Only partitions with two or more potential consumers can move...
        let movable = |tp: &Tp| self.potential_consumers[tp.0].len() >= 2;
        sorted_partitions.retain(movable);
        unassigned.retain(movable);
        // ...and only members that lack partitions or hold movable ones take part.
        for m in 0..n {
            let can_participate = self.current[m].len() < self.max_assignment_size(m)
                || self.current[m].iter().any(|tp| self.potential_consumers[tp.0].len() >= 2);
            if !can_participate {
                self.by_load.remove(&self.load_key(m));
                self.participating[m] = false;
            }
        }

        let before = (self.current.clone(), self.owner.clone());
        if !revocation_required {
            // First try to balance by moving only the newly assigned partitions.
            self.perform_reassignments(&unassigned);
        }
        let reassigned = self.perform_reassignments(&sorted_partitions);
        if !initializing && reassigned && self.balance_score(&self.current) >= self.balance_score(&before.0) {
            // Moving things around did not help: keep the assignment as it was.
            (self.current, self.owner) = before;
        }
        self.current
    }

    /// The first member in load order that subscribes to `topic`.
    fn least_loaded_subscriber(&self, topic: usize) -> Option<usize> {
        self.by_load.iter().map(|&(_, r)| self.group.by_rank[r]).find(|&m| self.subscribes(m, topic))
    }

    /// Assigns an unassigned partition (`maybeAssignPartition`).
    fn give(&mut self, tp: Tp, m: usize) {
        self.by_load.remove(&self.load_key(m));
        self.current[m].push(tp);
        self.owner.insert(tp, m);
        self.by_load.insert(self.load_key(m));
    }

    /// Sum of the load differences over all pairs of participating members.
    fn balance_score(&self, assignment: &[Vec<Tp>]) -> i64 {
        let loads: Vec<i64> = (0..assignment.len())
            .filter(|&m| self.participating[m])
            .map(|m| assignment[m].len() as i64)
            .collect();
        let mut score = 0;
        for (i, a) in loads.iter().enumerate() {
            for b in &loads[i + 1..] {
                score += (a - b).abs();
            }
        }
        score
    }

    /// Balanced: loads differ by at most one, or no member could take a
    /// partition from a member with two or more partitions more.
    fn is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.by_load.first(), self.by_load.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        for &(load, r) in &self.by_load {
            let m = self.group.by_rank[r];
            if load == self.max_assignment_size(m) {
                continue;
            }
            for &t in &self.group.members[m].topics {
                for tp in self.group.partitions_of(t) {
                    match self.owner.get(&tp) {
                        Some(&other) if other != m && load + 1 < self.current[other].len() => {
                            return false;
                        }
                        _ => {}
                    }
                }
            }
        }
        true
    }

    fn perform_reassignments(&mut self, partitions: &[Tp]) -> bool {
        let mut reassigned = false;
        // Java repeats until a pass changes nothing. Each pass normally evens
        // out the loads; the bound only guarantees that a browser tab cannot
        // spin forever if some input made the moves cycle.
        let max_passes = (partitions.len() + 1) * (self.group.members.len() + 1);
        for _ in 0..max_passes {
            let mut modified = false;
            for &tp in partitions {
                if self.is_balanced() {
                    break;
                }
                let Some(&m) = self.owner.get(&tp) else {
                    debug_assert!(false, "{tp:?} has no owner");
                    continue;
                };
                let load = self.current[m].len();
                if let Some(&(previous, _)) = self.previous.get(&tp) {
                    // Back to the member that had it in an older generation, if that
                    // member takes part and can take it (Java does not check; see module docs).
                    if self.participating[previous]
                        && self.subscribes(previous, tp.0)
                        && load > self.current[previous].len() + 1
                    {
                        self.reassign(tp, previous);
                        reassigned = true;
                        modified = true;
                        continue;
                    }
                }
                let better =
                    self.potential_consumers[tp.0].iter().any(|&other| load > self.current[other].len() + 1);
                if better && let Some(target) = self.least_loaded_subscriber(tp.0) {
                    self.reassign(tp, target);
                    reassigned = true;
                    modified = true;
                }
            }
            if !modified {
                return reassigned;
            }
        }
        debug_assert!(false, "reassignment did not settle");
        reassigned
    }

    /// Moves `tp` (or, to undo an earlier move, a partition of the same topic
    /// that went the opposite way) to `to`.
    fn reassign(&mut self, tp: Tp, to: usize) {
        let Some(&from) = self.owner.get(&tp) else {
            debug_assert!(false, "{tp:?} has no owner");
            return;
        };
        let moved = self.movements.partition_to_move(tp, from, to);
        let Some(&from) = self.owner.get(&moved) else {
            debug_assert!(false, "{moved:?} has no owner");
            return;
        };
        let (from_key, to_key) = (self.load_key(from), self.load_key(to));
        self.by_load.remove(&from_key);
        self.by_load.remove(&to_key);
        self.movements.record_move(moved, from, to, self.group.topic_hashes[moved.0]);
        remove_first(&mut self.current[from], moved);
        self.current[to].push(moved);
        self.owner.insert(moved, to);
        self.by_load.insert(self.load_key(to));
        self.by_load.insert(self.load_key(from));
    }
}

/// `AbstractStickyAssignor.PartitionMovements`: the net moves made while
/// balancing, so that a move can cancel an earlier opposite one instead of
/// shuffling partitions of one topic back and forth between two members.
#[derive(Default)]
struct PartitionMovements {
    /// partition -> (member it came from, member it is at)
    by_partition: BTreeMap<Tp, (usize, usize)>,
    /// topic -> (from, to) -> partitions; Java's `HashSet` order decides
    /// which partition an undo picks.
    by_topic: BTreeMap<usize, BTreeMap<(usize, usize), java::HashSet<Tp>>>,
}

impl PartitionMovements {
    fn remove_record(&mut self, tp: Tp) -> Option<(usize, usize)> {
        let pair = self.by_partition.remove(&tp)?;
        if let Some(pairs) = self.by_topic.get_mut(&tp.0) {
            if let Some(set) = pairs.get_mut(&pair) {
                set.remove(tp);
                if set.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&tp.0);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, tp: Tp, pair: (usize, usize), topic_hash: i32) {
        self.by_partition.insert(tp, pair);
        self.by_topic
            .entry(tp.0)
            .or_default()
            .entry(pair)
            .or_insert_with(java::HashSet::new)
            .insert(tp, java::topic_partition_hash(topic_hash, tp.1));
    }

    fn record_move(&mut self, tp: Tp, from: usize, to: usize, topic_hash: i32) {
        match self.remove_record(tp) {
            // Moving back to where it came from cancels the earlier move.
            Some((origin, _)) if origin == to => {}
            Some((origin, _)) => self.add_record(tp, (origin, to), topic_hash),
            None => self.add_record(tp, (from, to), topic_hash),
        }
    }

    /// `getTheActualPartitionToBeMoved`: if a partition of this topic already
    /// moved from `to` to (the origin of) `from`, move that one back instead.
    fn partition_to_move(&self, tp: Tp, from: usize, to: usize) -> Tp {
        let Some(pairs) = self.by_topic.get(&tp.0) else {
            return tp;
        };
        let from = self.by_partition.get(&tp).map_or(from, |&(origin, _)| origin);
        pairs.get(&(to, from)).and_then(java::HashSet::first).unwrap_or(tp)
    }
}

#[cfg(test)]
mod tests {
    use super::AssignmentStrategy::{CooperativeSticky, Range, RoundRobin, Sticky};
    use super::*;
    use crate::rng::Pcg32;

    type Assignment = BTreeMap<String, Vec<TopicPartition>>;

    fn tp(topic: &str, partition: i32) -> TopicPartition {
        TopicPartition::new(topic, partition)
    }

    fn partitions_per_topic(topics: &[(&str, i32)]) -> BTreeMap<String, i32> {
        topics.iter().map(|&(t, n)| (t.to_owned(), n)).collect()
    }

    /// Kafka tests' `subscription(topics, i)`: owns nothing, no generation.
    fn fresh(id: &str, topics: &[&str]) -> MemberSubscription {
        MemberSubscription::new(id, topics.iter().copied())
    }

    /// Kafka tests' `buildSubscriptionV2Above(topics, partitions, generation, i)`.
    fn owning(id: &str, topics: &[&str], owned: &[TopicPartition], generation: i32) -> MemberSubscription {
        fresh(id, topics).with_owned(owned.iter().cloned(), Some(generation))
    }

    fn sorted(mut partitions: Vec<TopicPartition>) -> Vec<TopicPartition> {
        crate::sort::sort(&mut partitions);
        partitions
    }

    fn is_fully_balanced(assignment: &Assignment) -> bool {
        let sizes = assignment.values().map(Vec::len);
        sizes.clone().max().unwrap_or(0) <= sizes.min().unwrap_or(0) + 1
    }

    /// Kafka tests' `subscriptions` map: a re-put member keeps its place, a
    /// new one goes last (all that matters for Java's `HashMap` order).
    #[derive(Default)]
    struct Subscriptions(Vec<MemberSubscription>);

    impl Subscriptions {
        fn put(&mut self, member: MemberSubscription) {
            match self.0.iter_mut().find(|m| m.member_id == member.member_id) {
                Some(existing) => *existing = member,
                None => self.0.push(member),
            }
        }

        fn remove(&mut self, member_id: &str) {
            self.0.retain(|m| m.member_id != member_id);
        }

        fn get(&self, member_id: &str) -> &MemberSubscription {
            self.0.iter().find(|m| m.member_id == member_id).expect("member")
        }

        fn topics(&self, member_id: &str) -> Vec<String> {
            self.get(member_id).topics.clone()
        }
    }

    /// Kafka's `AbstractStickyAssignorTest.verifyValidityAndBalance`, with
    /// `CooperativeStickyAssignorTest`'s override: for the cooperative
    /// assignor, run the follow-up rebalances (at most four) until nothing is
    /// revoked, updating `subscriptions` and `assignment` in place, then check
    /// that every partition is assigned to a subscriber at most once and that
    /// no partition could move to a member with two or more fewer.
    fn verify_validity_and_balance(
        strategy: AssignmentStrategy,
        topics: &BTreeMap<String, i32>,
        subscriptions: &mut Subscriptions,
        assignment: &mut Assignment,
    ) {
        if strategy == CooperativeSticky {
            let mut rebalances = 0;
            while revokes_partitions(subscriptions, assignment) {
                for member in &mut subscriptions.0 {
                    member.owned_partitions = assignment[&member.member_id].clone();
                    member.generation = Some(1);
                }
                *assignment = assign(strategy, topics, &subscriptions.0);
                rebalances += 1;
                assert!(rebalances <= 4, "no stable assignment after 4 follow-up rebalances");
            }
        }
        assert_eq!(assignment.len(), subscriptions.0.len());
        let consumers: Vec<&String> = assignment.keys().collect();
        for (i, consumer) in consumers.iter().enumerate() {
            let mine = &assignment[*consumer];
            let subscribed = subscriptions.topics(consumer);
            for partition in mine {
                assert!(
                    subscribed.contains(&partition.topic),
                    "{partition} assigned to {consumer}, not subscribed"
                );
            }
            for other in &consumers[i + 1..] {
                let theirs = &assignment[*other];
                assert!(mine.iter().all(|p| !theirs.contains(p)), "{consumer} and {other} share partitions");
                if mine.len().abs_diff(theirs.len()) > 1 {
                    let shared_topic = mine.iter().any(|p| theirs.iter().any(|q| q.topic == p.topic));
                    assert!(
                        !shared_topic,
                        "partitions can move between {consumer} and {other}: {assignment:?}"
                    );
                }
            }
        }
    }

    /// `CooperativeStickyAssignorTest.verifyCooperativeValidity`: no partition
    /// is revoked from one member and assigned to another in the same round;
    /// true when something is revoked (a follow-up rebalance is due).
    fn revokes_partitions(subscriptions: &Subscriptions, assignment: &Assignment) -> bool {
        let mut added = BTreeSet::new();
        let mut revoked = BTreeSet::new();
        for (consumer, assigned) in assignment {
            let owned = &subscriptions.get(consumer).owned_partitions;
            revoked.extend(owned.iter().filter(|p| !assigned.contains(p)).cloned());
            added.extend(assigned.iter().filter(|p| !owned.contains(p)).cloned());
        }
        let both: Vec<_> = added.intersection(&revoked).collect();
        assert!(both.is_empty(), "revoked and reassigned in one rebalance: {both:?}");
        !revoked.is_empty()
    }

    /// An approximation of `AbstractStickyAssignor.isSticky()`: among
    /// partitions with exactly one previous owner, still in the group and
    /// subscribed, no two members of a topic swapped partitions.
    fn is_sticky(subscriptions: &Subscriptions, assignment: &Assignment) -> bool {
        let mut claimers: BTreeMap<&TopicPartition, Vec<&MemberSubscription>> = BTreeMap::new();
        for member in &subscriptions.0 {
            for p in &member.owned_partitions {
                claimers.entry(p).or_default().push(member);
            }
        }
        let mut moves: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
        for (consumer, assigned) in assignment {
            for p in assigned {
                if let Some([from]) = claimers.get(p).map(Vec::as_slice)
                    && from.member_id != *consumer
                    && from.topics.contains(&p.topic)
                {
                    moves.insert((p.topic.as_str(), from.member_id.as_str(), consumer.as_str()));
                }
            }
        }
        moves.iter().all(|&(t, a, b)| !moves.contains(&(t, b, a)))
    }

    const STICKY_ASSIGNORS: [AssignmentStrategy; 2] = [Sticky, CooperativeSticky];

    // ---- names, parsing, serde ----

    #[test]
    fn names_parse_and_serialize_as_kafka_spells_them() {
        for s in AssignmentStrategy::ALL {
            assert_eq!(s.name().parse::<AssignmentStrategy>(), Ok(s));
            assert_eq!(s.class_name().parse::<AssignmentStrategy>(), Ok(s));
            assert_eq!(format!(" {} ", s.class_name()).parse::<AssignmentStrategy>(), Ok(s));
            assert_eq!(s.to_string(), s.name());
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.name()));
            assert_eq!(serde_json::from_str::<AssignmentStrategy>(&format!("\"{}\"", s.name())).unwrap(), s);
            assert_eq!(
                serde_json::from_str::<AssignmentStrategy>(&format!("\"{}\"", s.class_name())).unwrap(),
                s
            );
        }
        assert_eq!(serde_json::to_string(&RoundRobin).unwrap(), r#""roundrobin""#);
        assert_eq!(serde_json::to_string(&CooperativeSticky).unwrap(), r#""cooperative-sticky""#);
        assert!(serde_json::from_str::<AssignmentStrategy>(r#""round-robin""#).is_err());

        let err = "round-robin".parse::<AssignmentStrategy>().unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"round-robin\""), "{message}");
        for s in AssignmentStrategy::ALL {
            assert!(message.contains(s.name()) && message.contains(s.class_name()), "{message}");
        }
        assert!("Range".parse::<AssignmentStrategy>().is_err());
        assert!("".parse::<AssignmentStrategy>().is_err());
    }

    #[test]
    fn rebalance_protocols() {
        assert_eq!(CooperativeSticky.rebalance_protocol(), RebalanceProtocol::Cooperative);
        for s in [Range, RoundRobin, Sticky] {
            assert_eq!(s.rebalance_protocol(), RebalanceProtocol::Eager);
        }
        assert_eq!(serde_json::to_string(&RebalanceProtocol::Cooperative).unwrap(), r#""cooperative""#);
        assert_eq!(serde_json::to_string(&RebalanceProtocol::Eager).unwrap(), r#""eager""#);
        // ConsumerCoordinator: the highest protocol all configured assignors support.
        assert_eq!(rebalance_protocol_for(&[CooperativeSticky]), Some(RebalanceProtocol::Cooperative));
        assert_eq!(rebalance_protocol_for(&[Range, CooperativeSticky]), Some(RebalanceProtocol::Eager));
        assert_eq!(rebalance_protocol_for(&[CooperativeSticky, Sticky]), Some(RebalanceProtocol::Eager));
        assert_eq!(rebalance_protocol_for(&[]), None);
    }

    #[test]
    fn member_subscription_json() {
        let member =
            fresh("c1", &["orders"]).with_group_instance_id("i1").with_owned([tp("orders", 0)], Some(3));
        let json = serde_json::to_string(&member).unwrap();
        assert_eq!(
            json,
            r#"{"member_id":"c1","group_instance_id":"i1","topics":["orders"],"owned_partitions":[{"topic":"orders","partition":0}],"generation":3}"#
        );
        assert_eq!(serde_json::from_str::<MemberSubscription>(&json).unwrap(), member);
        let minimal: MemberSubscription = serde_json::from_str(r#"{"member_id":"c2"}"#).unwrap();
        assert_eq!(minimal, fresh("c2", &[]));
    }

    // ---- Java library emulation ----

    #[test]
    fn java_string_hash_and_order() {
        assert_eq!(java::string_hash(""), 0);
        assert_eq!(java::string_hash("range"), 108_280_125);
        assert_eq!(java::string_hash("consumer1"), -421_004_549);
        assert_eq!(java::cmp_str("a", "b"), Ordering::Less);
        assert_eq!(java::cmp_str("ab", "a"), Ordering::Greater);
        // U+FF5E sorts after U+1F600 in Java (surrogates are 0xD83D...), not in UTF-8 byte order.
        assert_eq!(java::cmp_str("\u{ff5e}", "\u{1f600}"), Ordering::Greater);
        assert_eq!("\u{ff5e}".cmp("\u{1f600}"), Ordering::Less);
    }

    #[test]
    fn java_hash_map_order() {
        let ids = ["consumer1", "consumer2", "consumer3", "consumer4"];
        let hashes: Vec<i32> = ids.iter().map(|s| java::string_hash(s)).collect();
        // Buckets 12, 11, 10, 9 of 16: Java iterates these in reverse.
        assert_eq!(java::hash_map_order(&hashes), [3, 2, 1, 0]);
        // Same bucket: insertion order.
        assert_eq!(java::hash_map_order(&[16, 32, 0]), [0, 1, 2]);
        // 13 keys resize the table to 32: 16 moves behind 15.
        let many: Vec<i32> = (0..13).map(|i| if i == 12 { 16 } else { i }).collect();
        let mut expected: Vec<usize> = (0..12).collect();
        expected.push(12);
        assert_eq!(java::hash_map_order(&many), expected);
        let wrapped: Vec<i32> = vec![16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        assert_eq!(java::hash_map_order(&wrapped), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0]);
        // Nine keys in one bin of a 16-table: treeifyBin resizes to 32 instead.
        let bin: Vec<i32> = (0..9).map(|i| i * 16).collect();
        assert_eq!(java::hash_map_order(&bin), [0, 2, 4, 6, 8, 1, 3, 5, 7]);
    }

    #[test]
    fn java_hash_set_first_element() {
        let mut set = java::HashSet::new();
        set.insert((0usize, 5), 21); // bucket 5
        set.insert((0, 1), 17); // bucket 1
        set.insert((0, 9), 1); // bucket 1, behind (0, 1)
        assert_eq!(set.first(), Some((0, 1)));
        set.remove((0, 1));
        assert_eq!(set.first(), Some((0, 9)));
        // Re-inserted: last in its bucket's chain.
        set.insert((0, 1), 17);
        assert_eq!(set.first(), Some((0, 9)));
        set.insert((0, 9), 1);
        assert_eq!(set.first(), Some((0, 9)), "inserting a present element changes nothing");
        set.remove((0, 9));
        set.remove((0, 1));
        set.remove((0, 5));
        assert!(set.is_empty());
        assert_eq!(set.first(), None);
    }

    // ---- select_strategy: ClassicGroupTest ----

    #[test]
    fn select_strategy_like_classic_group() {
        // ClassicGroupTest.testSelectProtocol
        let m1 = vec![Range, RoundRobin];
        let m2 = vec![RoundRobin, Range];
        let tie = select_strategy(&[m1.clone(), m2.clone()]);
        assert!(tie == Some(Range) || tie == Some(RoundRobin));
        assert_eq!(select_strategy(&[m1.clone(), m2.clone(), m2.clone()]), Some(RoundRobin));
        // ClassicGroupTest.testSelectProtocolRaisesIfNoMembers (Java throws)
        assert_eq!(select_strategy(&[]), None);
        // ClassicGroupTest.testSelectProtocolChoosesCompatibleProtocol ("foo" is not an assignor here)
        assert_eq!(select_strategy(&[m1, vec![RoundRobin]]), Some(RoundRobin));

        assert_eq!(select_strategy(&[vec![Range], vec![Sticky]]), None);
        assert_eq!(select_strategy(&[vec![Range], vec![]]), None);
        assert_eq!(
            select_strategy(&[vec![Range, CooperativeSticky], vec![CooperativeSticky]]),
            Some(CooperativeSticky)
        );
    }

    #[test]
    fn select_strategy_ties_follow_javas_hash_map_order() {
        // Each of two strategies gets one vote: Java keeps the first in its
        // HashMap's order, buckets sticky 8, range 9, roundrobin 10, cooperative-sticky 15.
        let all = [Sticky, Range, RoundRobin, CooperativeSticky];
        for (i, &a) in all.iter().enumerate() {
            for &b in &all[i + 1..] {
                for (x, y) in [(a, b), (b, a)] {
                    let prefs = [vec![x, y], vec![y, x]];
                    assert_eq!(select_strategy(&prefs), Some(a), "{x} vs {y}");
                }
            }
        }
    }

    // ---- RangeAssignorTest ----

    #[test]
    fn range_one_consumer_no_topic() {
        // RangeAssignorTest.testOneConsumerNoTopic
        let a = assign(Range, &BTreeMap::new(), &[fresh("consumer1", &[])]);
        assert_eq!(a, BTreeMap::from([("consumer1".to_owned(), vec![])]));
    }

    #[test]
    fn range_one_consumer_nonexistent_topic() {
        // RangeAssignorTest.testOneConsumerNonexistentTopic
        let a = assign(Range, &BTreeMap::new(), &[fresh("consumer1", &["topic1"])]);
        assert_eq!(a, BTreeMap::from([("consumer1".to_owned(), vec![])]));
    }

    #[test]
    fn range_one_consumer_one_topic_and_only_subscribed_topics() {
        // RangeAssignorTest.testOneConsumerOneTopic, testOnlyAssignsPartitionsFromSubscribedTopics
        let topics = partitions_per_topic(&[("topic1", 3), ("other", 3)]);
        let a = assign(Range, &topics, &[fresh("consumer1", &["topic1"])]);
        assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic1", 1), tp("topic1", 2)]);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn range_one_consumer_multiple_topics() {
        // RangeAssignorTest.testOneConsumerMultipleTopics
        let topics = partitions_per_topic(&[("topic1", 1), ("topic2", 2)]);
        let a = assign(Range, &topics, &[fresh("consumer1", &["topic1", "topic2"])]);
        assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic2", 0), tp("topic2", 1)]);
    }

    #[test]
    fn range_two_consumers_one_topic() {
        // RangeAssignorTest.testTwoConsumersOneTopicOnePartition, testTwoConsumersOneTopicTwoPartitions
        let members = [fresh("consumer1", &["topic1"]), fresh("consumer2", &["topic1"])];
        let a = assign(Range, &partitions_per_topic(&[("topic1", 1)]), &members);
        assert_eq!(a["consumer1"], [tp("topic1", 0)]);
        assert_eq!(a["consumer2"], []);
        let a = assign(Range, &partitions_per_topic(&[("topic1", 2)]), &members);
        assert_eq!(a["consumer1"], [tp("topic1", 0)]);
        assert_eq!(a["consumer2"], [tp("topic1", 1)]);
    }

    #[test]
    fn range_multiple_consumers_mixed_topics() {
        // RangeAssignorTest.testMultipleConsumersMixedTopics
        let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 2)]);
        let members = [
            fresh("consumer1", &["topic1"]),
            fresh("consumer2", &["topic1", "topic2"]),
            fresh("consumer3", &["topic1"]),
        ];
        let a = assign(Range, &topics, &members);
        assert_eq!(a["consumer1"], [tp("topic1", 0)]);
        assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)]);
        assert_eq!(a["consumer3"], [tp("topic1", 2)]);
    }

    #[test]
    fn range_two_consumers_two_topics_six_partitions() {
        // RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions
        let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 3)]);
        let members = [fresh("consumer1", &["topic1", "topic2"]), fresh("consumer2", &["topic1", "topic2"])];
        let a = assign(Range, &topics, &members);
        assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)]);
        assert_eq!(a["consumer2"], [tp("topic1", 2), tp("topic2", 2)]);
    }

    #[test]
    fn range_static_members_sort_by_instance_id_first() {
        // RangeAssignorTest.testTwoStaticConsumersTwoTopicsSixPartitions and
        // testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions
        let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let low = fresh("consumer-b", &both).with_group_instance_id("instance1");
        for high in
            [fresh("consumer-a", &both).with_group_instance_id("instance2"), fresh("consumer-a", &both)]
        {
            let a = assign(Range, &topics, &[low.clone(), high]);
            assert_eq!(a["consumer-b"], [tp("topic1", 0), tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)]);
            assert_eq!(a["consumer-a"], [tp("topic1", 2), tp("topic2", 2)]);
        }
    }

    #[test]
    fn range_static_member_assignment_persistent() {
        // RangeAssignorTest.testStaticMemberRangeAssignmentPersistent
        let topics = partitions_per_topic(&[("topic1", 5), ("topic2", 4)]);
        let both = ["topic1", "topic2"];
        let mut members: Vec<MemberSubscription> = (1..=3)
            .map(|i| fresh(&format!("consumer{i}"), &both).with_group_instance_id(format!("instance{i}")))
            .collect();
        members.push(fresh("consumer4", &both));
        let mut expected = BTreeMap::from([
            ("consumer1".to_owned(), vec![tp("topic1", 0), tp("topic1", 1), tp("topic2", 0)]),
            ("consumer2".to_owned(), vec![tp("topic1", 2), tp("topic2", 1)]),
            ("consumer3".to_owned(), vec![tp("topic1", 3), tp("topic2", 2)]),
            ("consumer4".to_owned(), vec![tp("topic1", 4), tp("topic2", 3)]),
        ]);
        assert_eq!(assign(Range, &topics, &members), expected);

        // Replace dynamic member 4 with a new dynamic member 5.
        members.pop();
        members.push(fresh("consumer5", &both));
        let four = expected.remove("consumer4").unwrap();
        expected.insert("consumer5".to_owned(), four);
        assert_eq!(assign(Range, &topics, &members), expected);
    }

    /// Kafka tests' `checkStaticAssignment`: the assignment keyed by group.instance.id.
    fn by_instance(members: &[MemberSubscription], a: &Assignment) -> BTreeMap<String, Vec<TopicPartition>> {
        members.iter().filter_map(|m| Some((m.group_instance_id.clone()?, a[&m.member_id].clone()))).collect()
    }

    #[test]
    fn range_static_member_assignment_persistent_after_member_id_changes() {
        // RangeAssignorTest.testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges
        let topics = partitions_per_topic(&[("topic1", 5), ("topic2", 5)]);
        let both = ["topic1", "topic2"];
        let mut members: Vec<MemberSubscription> = (1..=3)
            .map(|i| fresh(&format!("consumer{i}"), &both).with_group_instance_id(format!("instance{i}")))
            .collect();
        let expected = BTreeMap::from([
            (
                "instance1".to_owned(),
                vec![tp("topic1", 0), tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)],
            ),
            (
                "instance2".to_owned(),
                vec![tp("topic1", 2), tp("topic1", 3), tp("topic2", 2), tp("topic2", 3)],
            ),
            ("instance3".to_owned(), vec![tp("topic1", 4), tp("topic2", 4)]),
        ]);
        assert_eq!(by_instance(&members, &assign(Range, &topics, &members)), expected);
        members[2].member_id = "consumer4".to_owned();
        members[1].member_id = "consumer5".to_owned();
        assert_eq!(by_instance(&members, &assign(Range, &topics, &members)), expected);
    }

    // ---- RoundRobinAssignorTest ----

    #[test]
    fn round_robin_one_consumer() {
        // RoundRobinAssignorTest.testOneConsumerNoTopic, testOneConsumerNonexistentTopic,
        // testOneConsumerOneTopic, testOnlyAssignsPartitionsFromSubscribedTopics, testOneConsumerMultipleTopics
        let a = assign(RoundRobin, &BTreeMap::new(), &[fresh("consumer", &[])]);
        assert_eq!(a, BTreeMap::from([("consumer".to_owned(), vec![])]));
        let a = assign(RoundRobin, &BTreeMap::new(), &[fresh("consumer", &["topic"])]);
        assert_eq!(a, BTreeMap::from([("consumer".to_owned(), vec![])]));
        let topics = partitions_per_topic(&[("topic", 3), ("other", 3)]);
        let a = assign(RoundRobin, &topics, &[fresh("consumer", &["topic"])]);
        assert_eq!(a["consumer"], [tp("topic", 0), tp("topic", 1), tp("topic", 2)]);
        let topics = partitions_per_topic(&[("topic1", 1), ("topic2", 2)]);
        let a = assign(RoundRobin, &topics, &[fresh("consumer", &["topic1", "topic2"])]);
        assert_eq!(a["consumer"], [tp("topic1", 0), tp("topic2", 0), tp("topic2", 1)]);
    }

    #[test]
    fn round_robin_two_consumers_one_topic() {
        // RoundRobinAssignorTest.testTwoConsumersOneTopicOnePartition, testTwoConsumersOneTopicTwoPartitions
        let members = [fresh("consumer1", &["topic"]), fresh("consumer2", &["topic"])];
        let a = assign(RoundRobin, &partitions_per_topic(&[("topic", 1)]), &members);
        assert_eq!(a["consumer1"], [tp("topic", 0)]);
        assert_eq!(a["consumer2"], []);
        let a = assign(RoundRobin, &partitions_per_topic(&[("topic", 2)]), &members);
        assert_eq!(a["consumer1"], [tp("topic", 0)]);
        assert_eq!(a["consumer2"], [tp("topic", 1)]);
    }

    #[test]
    fn round_robin_multiple_consumers_mixed_topics() {
        // RoundRobinAssignorTest.testMultipleConsumersMixedTopics
        let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 2)]);
        let members = [
            fresh("consumer1", &["topic1"]),
            fresh("consumer2", &["topic1", "topic2"]),
            fresh("consumer3", &["topic1"]),
        ];
        let a = assign(RoundRobin, &topics, &members);
        assert_eq!(a["consumer1"], [tp("topic1", 0)]);
        assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)]);
        assert_eq!(a["consumer3"], [tp("topic1", 2)]);
    }

    #[test]
    fn round_robin_two_consumers_two_topics_six_partitions() {
        // RoundRobinAssignorTest.testTwoDynamicConsumersTwoTopicsSixPartitions,
        // testTwoStaticConsumersTwoTopicsSixPartitions, testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions
        let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let first = [tp("topic1", 0), tp("topic1", 2), tp("topic2", 1)];
        let second = [tp("topic1", 1), tp("topic2", 0), tp("topic2", 2)];
        let a = assign(RoundRobin, &topics, &[fresh("consumer1", &both), fresh("consumer2", &both)]);
        assert_eq!(a["consumer1"], first);
        assert_eq!(a["consumer2"], second);
        let b = fresh("consumer-b", &both).with_group_instance_id("instance1");
        for a_member in
            [fresh("consumer-a", &both).with_group_instance_id("instance2"), fresh("consumer-a", &both)]
        {
            let a = assign(RoundRobin, &topics, &[b.clone(), a_member]);
            assert_eq!(a["consumer-b"], first);
            assert_eq!(a["consumer-a"], second);
        }
    }

    #[test]
    fn round_robin_static_member_assignment_persistent() {
        // RoundRobinAssignorTest.testStaticMemberRoundRobinAssignmentPersistent
        let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let mut members: Vec<MemberSubscription> = (1..=3)
            .map(|i| fresh(&format!("consumer{i}"), &both).with_group_instance_id(format!("instance{i}")))
            .collect();
        members.push(fresh("consumer4", &both));
        let mut expected = BTreeMap::from([
            ("consumer1".to_owned(), vec![tp("topic1", 0), tp("topic2", 1)]),
            ("consumer2".to_owned(), vec![tp("topic1", 1), tp("topic2", 2)]),
            ("consumer3".to_owned(), vec![tp("topic1", 2)]),
            ("consumer4".to_owned(), vec![tp("topic2", 0)]),
        ]);
        assert_eq!(assign(RoundRobin, &topics, &members), expected);
        members.pop();
        members.push(fresh("consumer5", &both));
        let four = expected.remove("consumer4").unwrap();
        expected.insert("consumer5".to_owned(), four);
        assert_eq!(assign(RoundRobin, &topics, &members), expected);
    }

    #[test]
    fn round_robin_static_member_assignment_persistent_after_member_id_changes() {
        // RoundRobinAssignorTest.testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges
        let topics = partitions_per_topic(&[("topic1", 5), ("topic2", 5)]);
        let both = ["topic1", "topic2"];
        let mut members: Vec<MemberSubscription> = (1..=3)
            .map(|i| fresh(&format!("consumer{i}"), &both).with_group_instance_id(format!("instance{i}")))
            .collect();
        let expected = BTreeMap::from([
            (
                "instance1".to_owned(),
                vec![tp("topic1", 0), tp("topic1", 3), tp("topic2", 1), tp("topic2", 4)],
            ),
            ("instance2".to_owned(), vec![tp("topic1", 1), tp("topic1", 4), tp("topic2", 2)]),
            ("instance3".to_owned(), vec![tp("topic1", 2), tp("topic2", 0), tp("topic2", 3)]),
        ]);
        assert_eq!(by_instance(&members, &assign(RoundRobin, &topics, &members)), expected);
        members[2].member_id = "consumer4".to_owned();
        members[1].member_id = "consumer5".to_owned();
        assert_eq!(by_instance(&members, &assign(RoundRobin, &topics, &members)), expected);
    }

    // ---- AbstractStickyAssignorTest (run for both sticky assignors) ----

    fn run(
        strategy: AssignmentStrategy,
        topics: &BTreeMap<String, i32>,
        subscriptions: &Subscriptions,
    ) -> Assignment {
        assign(strategy, topics, &subscriptions.0)
    }

    #[test]
    fn sticky_one_consumer_no_topic_or_nonexistent_topic() {
        // AbstractStickyAssignorTest.testOneConsumerNoTopic, testOneConsumerNonexistentTopic
        for strategy in STICKY_ASSIGNORS {
            for (topics, subscribed) in
                [(partitions_per_topic(&[]), vec![]), (partitions_per_topic(&[("topic", 0)]), vec!["topic"])]
            {
                let mut subs = Subscriptions::default();
                subs.put(fresh("consumer", &subscribed));
                let mut a = run(strategy, &topics, &subs);
                assert_eq!(a, BTreeMap::from([("consumer".to_owned(), vec![])]));
                verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            }
        }
    }

    #[test]
    fn sticky_one_consumer_one_topic_and_only_subscribed_topics() {
        // AbstractStickyAssignorTest.testOneConsumerOneTopic, testOnlyAssignsPartitionsFromSubscribedTopics,
        // testOneConsumerMultipleTopics
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 3)]);
            let a = assign(strategy, &topics, &[fresh("consumer", &["topic"])]);
            assert_eq!(a["consumer"], [tp("topic", 0), tp("topic", 1), tp("topic", 2)]);

            let topics = partitions_per_topic(&[("topic", 2)]);
            let owned = [tp("topic", 0), tp("topic", 1), tp("other", 0), tp("other", 1)];
            let a = assign(strategy, &topics, &[owning("consumer", &["topic"], &owned, 1)]);
            assert_eq!(a["consumer"], [tp("topic", 0), tp("topic", 1)]);

            let topics = partitions_per_topic(&[("topic1", 1), ("topic2", 2)]);
            let a = assign(strategy, &topics, &[fresh("consumer", &["topic1", "topic2"])]);
            assert_eq!(a["consumer"], [tp("topic1", 0), tp("topic2", 0), tp("topic2", 1)]);
        }
    }

    #[test]
    fn sticky_two_consumers_one_topic() {
        // AbstractStickyAssignorTest.testTwoConsumersOneTopicOnePartition, testTwoConsumersOneTopicTwoPartitions
        for strategy in STICKY_ASSIGNORS {
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &["topic"]));
            subs.put(fresh("consumer2", &["topic"]));
            let topics = partitions_per_topic(&[("topic", 1)]);
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(is_fully_balanced(&a));

            let topics = partitions_per_topic(&[("topic", 2)]);
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic", 0)]);
            assert_eq!(a["consumer2"], [tp("topic", 1)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_multiple_consumers_mixed_topic_subscriptions() {
        // AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions (general algorithm)
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 2)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &["topic1"]));
            subs.put(fresh("consumer2", &["topic1", "topic2"]));
            subs.put(fresh("consumer3", &["topic1"]));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic1", 2)]);
            assert_eq!(a["consumer2"], [tp("topic2", 0), tp("topic2", 1)]);
            assert_eq!(a["consumer3"], [tp("topic1", 1)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(is_fully_balanced(&a));
        }
    }

    #[test]
    fn sticky_two_consumers_two_topics_six_partitions() {
        // AbstractStickyAssignorTest.testTwoConsumersTwoTopicsSixPartitions
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 3)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &["topic1", "topic2"]));
            subs.put(fresh("consumer2", &["topic1", "topic2"]));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic1", 2), tp("topic2", 1)]);
            assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 0), tp("topic2", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_consumer_owning_min_quota_expected_max_quota() {
        // AbstractStickyAssignorTest.testConsumerOwningMinQuotaExpectedMaxQuota
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 2), ("topic2", 3)]);
            let both = ["topic1", "topic2"];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &both, &[tp("topic1", 0), tp("topic2", 1)], 1));
            subs.put(owning("consumer2", &both, &[tp("topic1", 1), tp("topic2", 2)], 1));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], sorted(vec![tp("topic1", 0), tp("topic2", 1), tp("topic2", 0)]));
            assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(is_fully_balanced(&a));
        }
    }

    #[test]
    fn sticky_max_quota_consumers_more_than_expected() {
        // AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers.
        // Which of consumer1/consumer2 keeps two partitions depends on Java's
        // HashMap order of "consumer1", "consumer2", "consumer3" (buckets 12, 11, 10).
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 2), ("topic2", 2)]);
            let both = ["topic1", "topic2"];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &both, &[tp("topic1", 0), tp("topic2", 0)], 1));
            subs.put(owning("consumer2", &both, &[tp("topic1", 1), tp("topic2", 1)], 1));
            subs.put(owning("consumer3", &both, &[], 1));
            let mut a = run(strategy, &topics, &subs);
            // partitionsTransferringOwnership == {topic2-0: consumer3}
            let withheld = if strategy == CooperativeSticky { vec![] } else { vec![tp("topic2", 0)] };
            assert_eq!(a["consumer3"], withheld);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert_eq!(a["consumer1"], [tp("topic1", 0)]);
            assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 1)]);
            assert_eq!(a["consumer3"], [tp("topic2", 0)]);
            assert!(is_fully_balanced(&a));
        }
    }

    #[test]
    fn sticky_all_consumers_are_under_min_quota() {
        // AbstractStickyAssignorTest.testAllConsumersAreUnderMinQuota
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 2), ("topic2", 3)]);
            let both = ["topic1", "topic2"];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &both, &[tp("topic1", 0)], 1));
            subs.put(owning("consumer2", &both, &[tp("topic1", 1)], 1));
            subs.put(owning("consumer3", &both, &[], 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic2", 1)]);
            assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 2)]);
            assert_eq!(a["consumer3"], [tp("topic2", 0)]);
            assert!(is_fully_balanced(&a));
        }
    }

    #[test]
    fn sticky_add_remove_consumer_one_topic() {
        // AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 3)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &["topic"]));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic", 0), tp("topic", 1), tp("topic", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            subs.put(owning("consumer1", &["topic"], &a["consumer1"], 1));
            subs.put(owning("consumer2", &["topic"], &[], 1));
            let mut a = run(strategy, &topics, &subs);
            // partitionsTransferringOwnership == {topic-2: consumer2}
            let to_consumer2 = if strategy == CooperativeSticky { vec![] } else { vec![tp("topic", 2)] };
            assert_eq!(a["consumer2"], to_consumer2);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert_eq!(a["consumer1"], [tp("topic", 0), tp("topic", 1)]);
            assert_eq!(a["consumer2"], [tp("topic", 2)]);
            assert!(is_fully_balanced(&a));

            subs.remove("consumer1");
            subs.put(owning("consumer2", &["topic"], &a["consumer2"], 1));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer2"], [tp("topic", 0), tp("topic", 1), tp("topic", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_topic_balance_after_reassignment() {
        // AbstractStickyAssignorTest.testTopicBalanceAfterReassignment
        for strategy in STICKY_ASSIGNORS {
            let all = ["topic1", "topic2"];
            let topics = partitions_per_topic(&[("topic1", 12), ("topic2", 12)]);
            let per_topic = |a: &Assignment, n: usize| {
                for tps in a.values() {
                    for topic in all {
                        assert_eq!(tps.iter().filter(|p| p.topic == topic).count(), n, "{a:?}");
                    }
                }
            };
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &all));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            per_topic(&a, 12);

            subs.put(owning("consumer1", &all, &a["consumer1"], 1));
            subs.put(owning("consumer2", &all, &[], 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            per_topic(&a, 6);

            subs.put(owning("consumer1", &all, &a["consumer1"], 1));
            subs.put(owning("consumer2", &all, &a["consumer2"], 1));
            subs.put(owning("consumer3", &all, &[], 1));
            subs.put(owning("consumer4", &all, &[], 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            per_topic(&a, 3);

            subs.remove("consumer1");
            subs.remove("consumer2");
            subs.put(owning("consumer3", &all, &a["consumer3"], 1));
            subs.put(owning("consumer4", &all, &a["consumer4"], 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            per_topic(&a, 6);
        }
    }

    #[test]
    fn sticky_add_remove_two_consumers_two_topics() {
        // AbstractStickyAssignorTest.testAddRemoveTwoConsumersTwoTopics
        for strategy in STICKY_ASSIGNORS {
            let all = ["topic1", "topic2"];
            let topics = partitions_per_topic(&[("topic1", 3), ("topic2", 4)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &all));
            subs.put(fresh("consumer2", &all));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic1", 2), tp("topic2", 1), tp("topic2", 3)]);
            assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 0), tp("topic2", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            // add 2 consumers
            subs.put(owning("consumer1", &all, &a["consumer1"], 1));
            subs.put(owning("consumer2", &all, &a["consumer2"], 1));
            subs.put(owning("consumer3", &all, &[], 1));
            subs.put(owning("consumer4", &all, &[], 1));
            let mut a = run(strategy, &topics, &subs);
            // partitionsTransferringOwnership == {topic1-2: consumer3, topic2-3: consumer3, topic2-2: consumer4}
            if strategy == CooperativeSticky {
                assert_eq!(a["consumer3"], []);
                assert_eq!(a["consumer4"], []);
            }
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert_eq!(a["consumer1"], [tp("topic1", 0), tp("topic2", 1)]);
            assert_eq!(a["consumer2"], [tp("topic1", 1), tp("topic2", 0)]);
            assert_eq!(a["consumer3"], [tp("topic1", 2), tp("topic2", 3)]);
            assert_eq!(a["consumer4"], [tp("topic2", 2)]);
            assert!(is_fully_balanced(&a));

            // remove 2 consumers
            subs.remove("consumer1");
            subs.remove("consumer2");
            subs.put(owning("consumer3", &all, &a["consumer3"], 1));
            subs.put(owning("consumer4", &all, &a["consumer4"], 1));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(
                a["consumer3"],
                sorted(vec![tp("topic1", 2), tp("topic2", 3), tp("topic1", 0), tp("topic2", 1)])
            );
            assert_eq!(a["consumer4"], sorted(vec![tp("topic2", 2), tp("topic1", 1), tp("topic2", 0)]));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_poor_round_robin_assignment_scenario() {
        // AbstractStickyAssignorTest.testPoorRoundRobinAssignmentScenario
        for strategy in STICKY_ASSIGNORS {
            let topics: BTreeMap<String, i32> = (1..=5).map(|i| (format!("topic{i}"), i % 2 + 1)).collect();
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &["topic1", "topic2", "topic3", "topic4", "topic5"]));
            subs.put(fresh("consumer2", &["topic1", "topic3", "topic5"]));
            subs.put(fresh("consumer3", &["topic1", "topic3", "topic5"]));
            subs.put(fresh("consumer4", &["topic1", "topic2", "topic3", "topic4", "topic5"]));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_add_remove_topic_two_consumers() {
        // AbstractStickyAssignorTest.testAddRemoveTopicTwoConsumers
        for strategy in STICKY_ASSIGNORS {
            let mut topics = partitions_per_topic(&[("topic", 3)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &["topic"]));
            subs.put(fresh("consumer2", &["topic"]));
            let mut a = run(strategy, &topics, &subs);
            assert!(is_fully_balanced(&a));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            let (c1_first, c2_first) = (a["consumer1"].clone(), a["consumer2"].clone());
            assert_eq!(c1_first.len() + c2_first.len(), 3);

            topics.insert("topic2".to_owned(), 3);
            subs.put(owning("consumer1", &["topic", "topic2"], &a["consumer1"], 1));
            subs.put(owning("consumer2", &["topic", "topic2"], &a["consumer2"], 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(is_fully_balanced(&a));
            let (c1, c2) = (a["consumer1"].clone(), a["consumer2"].clone());
            assert!(c1.len() == 3 && c2.len() == 3);
            assert!(c1_first.iter().all(|p| c1.contains(p)));
            assert!(c2_first.iter().all(|p| c2.contains(p)));

            topics.remove("topic");
            subs.put(owning("consumer1", &["topic2"], &a["consumer1"], 1));
            subs.put(owning("consumer2", &["topic2"], &a["consumer2"], 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(is_fully_balanced(&a));
            let (c1_last, c2_last) = (a["consumer1"].clone(), a["consumer2"].clone());
            assert_eq!(c1_last.len() + c2_last.len(), 3);
            assert!(c1_last.iter().all(|p| c1.contains(p)));
            assert!(c2_last.iter().all(|p| c2.contains(p)));
        }
    }

    /// Kafka tests' `getTopicName` / `getConsumerName`: "t07", "c12".
    fn canonical(prefix: &str, i: usize, max: usize) -> String {
        format!("{prefix}{i:0width$}", width = max.to_string().len())
    }

    #[test]
    fn sticky_reassignment_after_one_consumer_leaves() {
        // AbstractStickyAssignorTest.testReassignmentAfterOneConsumerLeaves
        for strategy in STICKY_ASSIGNORS {
            let topics: BTreeMap<String, i32> = (1..20).map(|i| (canonical("t", i, 20), i as i32)).collect();
            let mut subs = Subscriptions::default();
            for i in 1..20 {
                let subscribed: Vec<String> = (1..=i).map(|j| canonical("t", j, 20)).collect();
                subs.put(MemberSubscription::new(canonical("c", i, 20), subscribed));
            }
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            for i in 1..20 {
                let id = canonical("c", i, 20);
                let member = subs.get(&id).clone().with_owned(a[&id].clone(), Some(1));
                subs.put(member);
            }
            subs.remove("c10");
            let mut a = run(strategy, &topics, &subs);
            assert!(is_sticky(&subs, &a));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_reassignment_after_one_consumer_added() {
        // AbstractStickyAssignorTest.testReassignmentAfterOneConsumerAdded
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 20)]);
            let mut subs = Subscriptions::default();
            for i in 1..10 {
                subs.put(fresh(&canonical("c", i, 10), &["topic"]));
            }
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            // The new member joins; the others (as in the Java test) send no owned partitions.
            subs.put(fresh(&canonical("c", 10, 10), &["topic"]));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_same_subscriptions() {
        // AbstractStickyAssignorTest.testSameSubscriptions
        for strategy in STICKY_ASSIGNORS {
            let topics: BTreeMap<String, i32> = (1..15).map(|i| (canonical("t", i, 15), i as i32)).collect();
            let all: Vec<String> = topics.keys().cloned().collect();
            let mut subs = Subscriptions::default();
            for i in 1..9 {
                subs.put(MemberSubscription::new(canonical("c", i, 9), all.clone()));
            }
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            for i in 1..9 {
                let id = canonical("c", i, 9);
                subs.put(
                    MemberSubscription::new(id.clone(), all.clone()).with_owned(a[&id].clone(), Some(1)),
                );
            }
            subs.remove(&canonical("c", 5, 9));
            let mut a = run(strategy, &topics, &subs);
            if strategy == Sticky {
                // Nothing is taken from a remaining member.
                for m in &subs.0 {
                    assert!(m.owned_partitions.iter().all(|p| a[&m.member_id].contains(p)));
                }
            }
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_subscription_not_equal_and_same_partition_claimed_in_three_generations() {
        // AbstractStickyAssignorTest.testSubscriptionNotEqualAndAssignSamePartitionWith3Generation
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 6), ("topic1", 1)]);
            for generations in [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]] {
                let mut subs = Subscriptions::default();
                subs.put(owning("consumer1", &["topic"], &[tp("topic", 0), tp("topic", 2)], generations[0]));
                let owned2 = [tp("topic", 1), tp("topic", 2), tp("topic", 3)];
                subs.put(owning("consumer2", &["topic"], &owned2, generations[1]));
                let owned3 = [tp("topic", 2), tp("topic", 4), tp("topic", 5)];
                subs.put(owning("consumer3", &["topic"], &owned3, generations[2]));
                subs.put(owning("consumer4", &["topic1"], &[tp("topic1", 0)], 2));
                let a = run(strategy, &topics, &subs);
                let all: Vec<&TopicPartition> = a.values().flatten().collect();
                let unique: BTreeSet<&TopicPartition> = all.iter().copied().collect();
                assert_eq!(all.len(), unique.len());
                if strategy == Sticky {
                    assert!(a.values().all(|l| (1..=2).contains(&l.len())), "{generations:?}: {a:?}");
                }
            }
        }
    }

    #[test]
    fn sticky_new_subscription() {
        // AbstractStickyAssignorTest.testNewSubscription
        for strategy in STICKY_ASSIGNORS {
            let topics: BTreeMap<String, i32> = (1..5).map(|i| (canonical("t", i, 5), 1)).collect();
            let mut subs = Subscriptions::default();
            for i in 0..3usize {
                // Java: for (j = i; j <= 3 * i - 2; j++)
                let subscribed: Vec<String> =
                    (i..(3 * i).saturating_sub(1)).map(|j| canonical("t", j, 5)).collect();
                subs.put(MemberSubscription::new(canonical("c", i, 3), subscribed));
            }
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            // The Java test adds a topic to consumer c0's subscription; owned partitions are not updated.
            subs.0[0].topics.push(canonical("t", 1, 5));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_move_existing_assignments() {
        // AbstractStickyAssignorTest.testMoveExistingAssignments
        for strategy in STICKY_ASSIGNORS {
            let topics: BTreeMap<String, i32> = (1..=6).map(|i| (format!("topic{i}"), 1)).collect();
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &["topic1", "topic2"], &[tp("topic1", 0)], 1));
            let owned2 = [tp("topic2", 0), tp("topic3", 0)];
            subs.put(owning("consumer2", &["topic1", "topic2", "topic3", "topic4"], &owned2, 1));
            let owned3 = [tp("topic4", 0), tp("topic5", 0), tp("topic6", 0)];
            subs.put(owning("consumer3", &["topic2", "topic3", "topic4", "topic5", "topic6"], &owned3, 1));
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_stickiness() {
        // AbstractStickyAssignorTest.testStickiness
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 3)]);
            let mut subs = Subscriptions::default();
            for i in 1..=4 {
                subs.put(fresh(&format!("consumer{i}"), &["topic1"]));
            }
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(a.values().all(|l| l.len() <= 1));
            let before = a.clone();

            // removing the potential group leader
            subs.remove("consumer1");
            for i in 2..=4 {
                let id = format!("consumer{i}");
                subs.put(owning(&id, &["topic1"], &a[&id], 1));
            }
            let mut a = run(strategy, &topics, &subs);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            for (consumer, tps) in &a {
                assert_eq!(tps.len(), 1, "{consumer}");
                assert!(
                    before[consumer].iter().all(|p| tps.contains(p)),
                    "stickiness was not honored for {consumer}"
                );
            }
        }
    }

    #[test]
    fn sticky_assignment_updated_for_deleted_topic() {
        // AbstractStickyAssignorTest.testAssignmentUpdatedForDeletedTopic,
        // testNoExceptionThrownWhenOnlySubscribedTopicDeleted
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic1", 1), ("topic3", 100)]);
            let a = assign(strategy, &topics, &[fresh("consumer", &["topic1", "topic2", "topic3"])]);
            assert_eq!(a.len(), 1);
            assert_eq!(a["consumer"].len(), 101);

            let topics = partitions_per_topic(&[("topic", 3)]);
            let a = assign(strategy, &topics, &[fresh("consumer", &["topic"])]);
            let member = owning("consumer", &["topic"], &a["consumer"], 1);
            let a = assign(strategy, &BTreeMap::new(), &[member]);
            assert_eq!(a, BTreeMap::from([("consumer".to_owned(), vec![])]));
        }
    }

    #[test]
    fn sticky_reassignment_with_random_subscriptions_and_changes() {
        // AbstractStickyAssignorTest.testReassignmentWithRandomSubscriptionsAndChanges,
        // with fewer rounds and the model's generator instead of java.util.Random.
        for strategy in STICKY_ASSIGNORS {
            let mut rng = Pcg32::new(0x5eed, 1);
            for round in 0..12u32 {
                let num_topics = 10 + rng.below(10) as usize;
                let all: Vec<String> = (0..num_topics).map(|i| canonical("t", i, 20)).collect();
                let topics: BTreeMap<String, i32> =
                    all.iter().enumerate().map(|(i, t)| (t.clone(), i as i32 + 1)).collect();
                let num_consumers = 20 + rng.below(20) as usize;
                let random_sublist = |rng: &mut Pcg32| {
                    let mut list = all.clone();
                    for _ in 0..rng.below(list.len() as u32) {
                        list.remove(rng.below(list.len() as u32) as usize);
                    }
                    list
                };
                let mut subs = Subscriptions::default();
                for i in 0..num_consumers {
                    subs.put(MemberSubscription::new(canonical("c", i, 40), random_sublist(&mut rng)));
                }
                let mut a = run(strategy, &topics, &subs);
                verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

                let mut subs = Subscriptions::default();
                for i in 0..num_consumers {
                    let id = canonical("c", i, 40);
                    let member = MemberSubscription::new(id.clone(), random_sublist(&mut rng));
                    subs.put(member.with_owned(a[&id].clone(), Some(1)));
                }
                let mut a = run(strategy, &topics, &subs);
                assert!(is_sticky(&subs, &a), "round {round}");
                verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            }
        }
    }

    #[test]
    fn sticky_all_consumers_reach_expected_quota_and_are_considered_filled() {
        // AbstractStickyAssignorTest.testAllConsumersReachExpectedQuotaAndAreConsideredFilled
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 4)]);
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &["topic"], &[tp("topic", 0), tp("topic", 1)], 1));
            subs.put(owning("consumer2", &["topic"], &[tp("topic", 2)], 1));
            subs.put(owning("consumer3", &["topic"], &[], 1));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic", 0), tp("topic", 1)]);
            assert_eq!(a["consumer2"], [tp("topic", 2)]);
            assert_eq!(a["consumer3"], [tp("topic", 3)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_owned_partitions_invalidated_for_stale_or_missing_generation() {
        // AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration,
        // testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration
        for strategy in STICKY_ASSIGNORS {
            for stale in [9, -1] {
                let topics = partitions_per_topic(&[("topic", 3), ("topic2", 3)]);
                let both = ["topic", "topic2"];
                let owned = [tp("topic", 0), tp("topic", 2), tp("topic2", 1)];
                let mut subs = Subscriptions::default();
                subs.put(owning("consumer1", &both, &owned, 10));
                subs.put(owning("consumer2", &both, &owned, stale));
                let mut a = run(strategy, &topics, &subs);
                assert_eq!(a["consumer1"], sorted(owned.to_vec()));
                assert_eq!(a["consumer2"], [tp("topic", 1), tp("topic2", 0), tp("topic2", 2)]);
                verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            }
        }
    }

    #[test]
    fn sticky_partition_claimed_by_multiple_consumers_in_same_generation() {
        // AbstractStickyAssignorTest.testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 3)]);
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &["topic"], &[tp("topic", 0), tp("topic", 1)], 1));
            subs.put(owning("consumer2", &["topic"], &[tp("topic", 0), tp("topic", 2)], 1));
            subs.put(owning("consumer3", &["topic"], &[], 1));
            let mut a = run(strategy, &topics, &subs);
            // partitionsTransferringOwnership == {topic-0: consumer3}
            let first = if strategy == CooperativeSticky { vec![] } else { vec![tp("topic", 0)] };
            assert_eq!(a["consumer3"], first);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert_eq!(a["consumer1"], [tp("topic", 1)]);
            assert_eq!(a["consumer2"], [tp("topic", 2)]);
            assert_eq!(a["consumer3"], [tp("topic", 0)]);
        }
    }

    #[test]
    fn sticky_ensure_partitions_assigned_to_highest_generation() {
        // AbstractStickyAssignorTest.testEnsurePartitionsAssignedToHighestGeneration
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 3), ("topic2", 3), ("topic3", 3)]);
            let all = ["topic", "topic2", "topic3"];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &all, &[tp("topic", 0), tp("topic2", 0), tp("topic3", 0)], 10));
            subs.put(owning("consumer2", &all, &[tp("topic", 1), tp("topic2", 1), tp("topic3", 1)], 9));
            subs.put(owning("consumer3", &all, &[tp("topic2", 1), tp("topic3", 0), tp("topic3", 2)], 8));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic", 0), tp("topic2", 0), tp("topic3", 0)]);
            assert_eq!(a["consumer2"], [tp("topic", 1), tp("topic2", 1), tp("topic3", 1)]);
            assert_eq!(a["consumer3"], [tp("topic", 2), tp("topic2", 2), tp("topic3", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_no_reassignment_on_current_members() {
        // AbstractStickyAssignorTest.testNoReassignmentOnCurrentMembers
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
            let all = ["topic", "topic2", "topic3", "topic1"];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &all, &[], -1));
            subs.put(owning("consumer2", &all, &[tp("topic", 0), tp("topic2", 0), tp("topic1", 0)], 9));
            subs.put(owning("consumer3", &all, &[tp("topic3", 2), tp("topic2", 2), tp("topic1", 1)], 8));
            subs.put(owning("consumer4", &all, &[tp("topic3", 1), tp("topic", 1), tp("topic", 2)], 7));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic1", 2), tp("topic2", 1), tp("topic3", 0)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(is_fully_balanced(&a));
        }
    }

    #[test]
    fn sticky_owned_partitions_invalidated_for_multiple_generations() {
        // AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration
        for strategy in STICKY_ASSIGNORS {
            let topics = partitions_per_topic(&[("topic", 3), ("topic2", 3)]);
            let both = ["topic", "topic2"];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", &both, &[tp("topic", 0), tp("topic2", 1), tp("topic", 1)], 10));
            subs.put(owning("consumer2", &both, &[tp("topic", 0), tp("topic2", 1), tp("topic2", 2)], 8));
            let mut a = run(strategy, &topics, &subs);
            assert_eq!(a["consumer1"], [tp("topic", 0), tp("topic", 1), tp("topic2", 1)]);
            assert_eq!(a["consumer2"], [tp("topic", 2), tp("topic2", 0), tp("topic2", 2)]);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    // ---- StickyAssignorTest and CooperativeStickyAssignorTest ----

    #[test]
    fn sticky_partition_claimed_twice_in_same_generation_is_invalidated() {
        // StickyAssignorTest / CooperativeStickyAssignorTest
        // .testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWith{Equal,Unequal}PartitionsPerConsumer
        for strategy in STICKY_ASSIGNORS {
            for (count, consumer1) in [(3, vec![tp("topic", 1)]), (4, vec![tp("topic", 1), tp("topic", 3)])] {
                let topics = partitions_per_topic(&[("topic", count)]);
                let mut subs = Subscriptions::default();
                subs.put(owning("consumer1", &["topic"], &[tp("topic", 0), tp("topic", 1)], 1));
                subs.put(owning("consumer2", &["topic"], &[tp("topic", 0), tp("topic", 2)], 1));
                subs.put(owning("consumer3", &["topic"], &[], 1));
                let mut a = run(strategy, &topics, &subs);
                assert_eq!(a["consumer1"], consumer1);
                assert_eq!(a["consumer2"], [tp("topic", 2)]);
                // The cooperative assignor treats topic-0 as owned until both have revoked it.
                let consumer3 = if strategy == CooperativeSticky { vec![] } else { vec![tp("topic", 0)] };
                assert_eq!(a["consumer3"], consumer3);
                verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
                assert!(is_fully_balanced(&a));
            }
        }
    }

    #[test]
    fn sticky_assignment_with_multiple_generations_1() {
        // StickyAssignorTest.testAssignmentWithMultipleGenerations1 (both subscription variants)
        for all_equal in [true, false] {
            let strategy = Sticky;
            let all = ["topic", "topic2"];
            let consumer2_topics: &[&str] = if all_equal { &all } else { &["topic"] };
            let topics = partitions_per_topic(&[("topic", 6), ("topic2", 6)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", &all));
            subs.put(fresh("consumer2", consumer2_topics));
            subs.put(fresh("consumer3", &all));
            let mut a = run(strategy, &topics, &subs);
            let (r1p1, r1p2, r1p3) = (a["consumer1"].clone(), a["consumer2"].clone(), a["consumer3"].clone());
            assert!(r1p1.len() == 4 && r1p2.len() == 4 && r1p3.len() == 4);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            subs.put(owning("consumer1", &all, &r1p1, 1));
            subs.put(owning("consumer2", consumer2_topics, &r1p2, 1));
            subs.remove("consumer3");
            let mut a = run(strategy, &topics, &subs);
            let (r2p1, r2p2) = (a["consumer1"].clone(), a["consumer2"].clone());
            assert!(r2p1.len() == 6 && r2p2.len() == 6);
            if all_equal {
                assert!(r1p1.iter().all(|p| r2p1.contains(p)));
            }
            assert!(r1p2.iter().all(|p| r2p2.contains(p)));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
            assert!(r2p2.iter().any(|p| r1p3.contains(p)));

            subs.remove("consumer1");
            subs.put(owning("consumer2", consumer2_topics, &r2p2, 2));
            subs.put(owning("consumer3", &all, &r1p3, 1));
            let mut a = run(strategy, &topics, &subs);
            let (r3p2, r3p3) = (a["consumer2"].clone(), a["consumer3"].clone());
            assert!(r3p2.len() == 6 && r3p3.len() == 6);
            assert!(r3p2.iter().all(|p| !r3p3.contains(p)));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_assignment_with_multiple_generations_2() {
        // StickyAssignorTest.testAssignmentWithMultipleGenerations2 (both subscription variants)
        for all_equal in [true, false] {
            let strategy = Sticky;
            let all = ["topic", "topic2", "topic3"];
            let c1_topics: &[&str] = if all_equal { &all } else { &["topic"] };
            let c3_topics: &[&str] = if all_equal { &all } else { &["topic", "topic2"] };
            let topics = partitions_per_topic(&[("topic", 4), ("topic2", 4), ("topic3", 4)]);
            let mut subs = Subscriptions::default();
            subs.put(fresh("consumer1", c1_topics));
            subs.put(fresh("consumer2", &all));
            subs.put(fresh("consumer3", c3_topics));
            let mut a = run(strategy, &topics, &subs);
            let (r1p1, r1p2, r1p3) = (a["consumer1"].clone(), a["consumer2"].clone(), a["consumer3"].clone());
            assert!(r1p1.len() == 4 && r1p2.len() == 4 && r1p3.len() == 4);
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            subs.remove("consumer1");
            subs.put(owning("consumer2", &all, &r1p2, 1));
            subs.remove("consumer3");
            let mut a = run(strategy, &topics, &subs);
            let r2p2 = a["consumer2"].clone();
            assert_eq!(r2p2.len(), 12);
            assert!(r1p2.iter().all(|p| r2p2.contains(p)));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);

            subs.put(owning("consumer1", c1_topics, &r1p1, 1));
            subs.put(owning("consumer2", &all, &r2p2, 2));
            subs.put(owning("consumer3", c3_topics, &r1p3, 1));
            let mut a = run(strategy, &topics, &subs);
            assert!(a.values().all(|l| l.len() == 4), "{a:?}");
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_assignment_with_conflicting_previous_generations() {
        // StickyAssignorTest.testAssignmentWithConflictingPreviousGenerations (both subscription variants)
        for all_equal in [true, false] {
            let strategy = Sticky;
            let all = ["topic", "topic2", "topic3"];
            let c1_topics: &[&str] = if all_equal { &all } else { &["topic"] };
            let c2_topics: &[&str] = if all_equal { &all } else { &["topic", "topic2"] };
            let topics = partitions_per_topic(&[("topic", 4), ("topic2", 4), ("topic3", 4)]);
            let t = |topic: &str, p: i32| tp(topic, p);
            let c1_owned = if all_equal {
                vec![
                    t("topic", 0),
                    t("topic", 1),
                    t("topic", 2),
                    t("topic2", 2),
                    t("topic2", 3),
                    t("topic3", 0),
                ]
            } else {
                vec![t("topic", 0), t("topic", 1), t("topic", 2), t("topic", 3)]
            };
            let c2_owned = vec![
                t("topic", 0),
                t("topic", 1),
                t("topic2", 0),
                t("topic2", 1),
                t("topic2", 2),
                t("topic2", 3),
            ];
            let c3_owned = vec![
                t("topic", 2),
                t("topic", 3),
                t("topic3", 0),
                t("topic3", 1),
                t("topic3", 2),
                t("topic3", 3),
            ];
            let mut subs = Subscriptions::default();
            subs.put(owning("consumer1", c1_topics, &c1_owned, 1));
            subs.put(owning("consumer2", c2_topics, &c2_owned, 2));
            subs.put(owning("consumer3", &all, &c3_owned, 2));
            let mut a = run(strategy, &topics, &subs);
            assert!(a.values().all(|l| l.len() == 4), "{a:?}");
            assert!(a["consumer2"].iter().all(|p| c2_owned.contains(p)));
            assert!(a["consumer3"].iter().all(|p| c3_owned.contains(p)));
            verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
        }
    }

    #[test]
    fn sticky_schema_backward_compatibility() {
        // StickyAssignorTest.testSchemaBackwardCompatibility: consumer2's old
        // user data carries owned partitions but no generation.
        let topics = partitions_per_topic(&[("topic", 3)]);
        let mut subs = Subscriptions::default();
        subs.put(owning("consumer1", &["topic"], &[tp("topic", 0), tp("topic", 2)], 1));
        subs.put(fresh("consumer2", &["topic"]).with_owned([tp("topic", 1)], None));
        subs.put(fresh("consumer3", &["topic"]));
        let mut a = run(Sticky, &topics, &subs);
        assert!(a.values().all(|l| l.len() == 1));
        assert!(a["consumer1"].iter().all(|p| [tp("topic", 0), tp("topic", 2)].contains(p)));
        assert_eq!(a["consumer2"], [tp("topic", 1)]);
        verify_validity_and_balance(Sticky, &topics, &mut subs, &mut a);
    }

    #[test]
    fn cooperative_sticky_keeps_owned_partitions_of_old_subscriptions() {
        // CooperativeStickyAssignorTest.testAssignorWithOldVersionSubscriptions (the
        // generation comes with the owned partitions here, so only the outcome is ported)
        let topics = partitions_per_topic(&[("topic1", 3)]);
        let mut subs = Subscriptions::default();
        subs.put(owning("consumer1", &["topic1"], &[tp("topic1", 0)], 1));
        subs.put(owning("consumer2", &["topic1"], &[tp("topic1", 1)], 1));
        subs.put(owning("consumer3", &["topic1"], &[], 1));
        let mut a = run(CooperativeSticky, &topics, &subs);
        assert_eq!(a["consumer1"], [tp("topic1", 0)]);
        assert_eq!(a["consumer2"], [tp("topic1", 1)]);
        assert_eq!(a["consumer3"], [tp("topic1", 2)]);
        verify_validity_and_balance(CooperativeSticky, &topics, &mut subs, &mut a);
    }

    // ---- properties over random groups (seeded; the seed is in every failure message) ----

    /// A random group: topics (some with 0 partitions), members with random
    /// or identical subscriptions (some to unknown topics), static members.
    fn random_group(rng: &mut Pcg32) -> (BTreeMap<String, i32>, Vec<MemberSubscription>, bool) {
        let num_topics = 1 + rng.below(5);
        let topics: BTreeMap<String, i32> = (0..num_topics)
            .map(|i| (format!("topic-{i}"), rng.below(9) as i32 - i32::from(i == 0)))
            .collect();
        let mut names: Vec<String> = topics.keys().cloned().collect();
        names.push("unknown".to_owned());
        let pick_topics =
            |rng: &mut Pcg32| -> Vec<String> { names.iter().filter(|_| rng.below(3) > 0).cloned().collect() };
        let same_subscriptions = rng.below(2) == 0;
        let shared = pick_topics(rng);
        let num_members = rng.below(9);
        let members = (0..num_members)
            .map(|i| {
                let id = format!("consumer-{}-{}", rng.below(100), i);
                let subscribed = if same_subscriptions { shared.clone() } else { pick_topics(rng) };
                let member = MemberSubscription::new(id, subscribed);
                if rng.below(4) == 0 {
                    member.with_group_instance_id(format!("instance-{}", rng.below(10)))
                } else {
                    member
                }
            })
            .collect();
        (topics, members, same_subscriptions)
    }

    /// Checks what every assignor guarantees; returns the partitions that
    /// should be assigned.
    fn check_valid(
        seed: u64,
        strategy: AssignmentStrategy,
        topics: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
        a: &Assignment,
    ) -> BTreeSet<TopicPartition> {
        let ids: BTreeSet<&str> = members.iter().map(|m| m.member_id.as_str()).collect();
        assert_eq!(a.keys().map(String::as_str).collect::<BTreeSet<_>>(), ids, "seed {seed} {strategy}");
        let mut seen = BTreeSet::new();
        for (id, list) in a {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "seed {seed} {strategy}: unsorted {list:?}");
            let member = members.iter().find(|m| &m.member_id == id).unwrap();
            for p in list {
                assert!(member.topics.contains(&p.topic), "seed {seed} {strategy}: {p} to unsubscribed {id}");
                assert!(
                    (0..topics[&p.topic]).contains(&p.partition),
                    "seed {seed} {strategy}: {p} does not exist"
                );
                assert!(seen.insert(p.clone()), "seed {seed} {strategy}: {p} assigned twice");
            }
        }
        let expected: BTreeSet<TopicPartition> = topics
            .iter()
            .filter(|(t, _)| members.iter().any(|m| m.topics.contains(t)))
            .flat_map(|(t, &n)| (0..n).map(move |p| tp(t, p)))
            .collect();
        if strategy != CooperativeSticky {
            assert_eq!(seen, expected, "seed {seed} {strategy}: not every subscribed partition assigned");
        }
        expected
    }

    /// Members owning what `a` gave them, in `generation`.
    fn owning_assignment(
        members: &[MemberSubscription],
        a: &Assignment,
        generation: i32,
    ) -> Vec<MemberSubscription> {
        members
            .iter()
            .map(|m| m.clone().with_owned(a.get(&m.member_id).cloned().unwrap_or_default(), Some(generation)))
            .collect()
    }

    /// A membership change: some members leave, some join, some change subscriptions.
    fn churn(
        rng: &mut Pcg32,
        topics: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
    ) -> Vec<MemberSubscription> {
        let mut next: Vec<MemberSubscription> =
            members.iter().filter(|_| rng.below(4) > 0).cloned().collect();
        for i in 0..rng.below(3) {
            let subscribed = match members.first() {
                Some(m) if rng.below(2) == 0 => m.topics.clone(),
                _ => topics.keys().filter(|_| rng.below(2) == 0).cloned().collect(),
            };
            next.push(MemberSubscription::new(format!("joiner-{}-{i}", rng.below(1000)), subscribed));
        }
        if rng.below(5) == 0
            && let Some(m) = next.first_mut()
        {
            m.topics.pop();
        }
        next
    }

    #[test]
    fn property_every_assignor_is_valid_and_deterministic() {
        for seed in 0..400u64 {
            let mut rng = Pcg32::new(seed, 11);
            let (topics, members, _) = random_group(&mut rng);
            for strategy in AssignmentStrategy::ALL {
                let a = assign(strategy, &topics, &members);
                check_valid(seed, strategy, &topics, &members, &a);
                assert_eq!(
                    assign(strategy, &topics, &members),
                    a,
                    "seed {seed} {strategy}: not deterministic"
                );

                // Again after churn, with owned partitions and a mix of generations.
                let mut next = owning_assignment(&churn(&mut rng, &topics, &members), &a, 3);
                for m in &mut next {
                    if rng.below(6) == 0 {
                        m.generation = [None, Some(1), Some(2), Some(4)][rng.below(4) as usize];
                    }
                }
                let b = assign(strategy, &topics, &next);
                check_valid(seed, strategy, &topics, &next, &b);
                assert_eq!(assign(strategy, &topics, &next), b, "seed {seed} {strategy}: not deterministic");
            }
        }
    }

    #[test]
    fn property_garbage_owned_partitions_do_not_break_assignors() {
        for seed in 0..300u64 {
            let mut rng = Pcg32::new(seed, 12);
            let (topics, mut members, _) = random_group(&mut rng);
            let names: Vec<String> = topics.keys().cloned().chain(["unknown".to_owned()]).collect();
            for m in &mut members {
                m.owned_partitions = (0..rng.below(8))
                    .map(|_| tp(&names[rng.below(names.len() as u32) as usize], rng.below(12) as i32 - 2))
                    .collect();
                m.generation = [None, Some(-5), Some(0), Some(1), Some(1), Some(2)][rng.below(6) as usize];
            }
            if let Some(first) = members.first().cloned() {
                members.push(first); // a repeated member id
            }
            let unique: Vec<MemberSubscription> = {
                let mut seen = BTreeSet::new();
                members.iter().filter(|m| seen.insert(m.member_id.clone())).cloned().collect()
            };
            for strategy in AssignmentStrategy::ALL {
                let a = assign(strategy, &topics, &members);
                check_valid(seed, strategy, &topics, &unique, &a);
            }
        }
    }

    #[test]
    fn property_range_and_round_robin_spread_evenly() {
        for seed in 0..300u64 {
            let mut rng = Pcg32::new(seed, 13);
            let (topics, members, same) = random_group(&mut rng);
            // Range: per topic, subscribers' counts differ by at most one, and the larger ranges come first.
            let a = assign(Range, &topics, &members);
            for (topic, &n) in topics.iter().filter(|&(_, &n)| n > 0) {
                let counts: Vec<usize> = members
                    .iter()
                    .filter(|m| m.topics.contains(topic))
                    .map(|m| a[&m.member_id].iter().filter(|p| &p.topic == topic).count())
                    .collect();
                if let (Some(max), Some(min)) = (counts.iter().max(), counts.iter().min()) {
                    assert!(max - min <= 1, "seed {seed}: range {topic} {counts:?}");
                    assert_eq!(counts.iter().sum::<usize>(), n as usize, "seed {seed}");
                }
            }
            // RoundRobin with identical subscriptions: totals differ by at most one.
            if same {
                let a = assign(RoundRobin, &topics, &members);
                assert!(is_fully_balanced(&a), "seed {seed}: round robin {a:?}");
            }
        }
    }

    #[test]
    fn property_sticky_assignors_balance_and_keep_partitions() {
        for seed in 0..400u64 {
            let mut rng = Pcg32::new(seed, 14);
            let (topics, members, same) = random_group(&mut rng);
            for strategy in STICKY_ASSIGNORS {
                // First assignment: nothing owned, so nothing withheld.
                let first = assign(strategy, &topics, &members);
                let expected = check_valid(seed, strategy, &topics, &members, &first);
                assert_eq!(first.values().flatten().count(), expected.len(), "seed {seed} {strategy}");
                if same {
                    assert!(is_fully_balanced(&first), "seed {seed} {strategy}: {first:?}");
                }

                // Stickiness: the same group, owning its assignment, keeps it exactly.
                let again = owning_assignment(&members, &first, 1);
                assert_eq!(assign(strategy, &topics, &again), first, "seed {seed} {strategy}: not sticky");

                // After churn: the cooperative rounds move nothing directly and
                // converge to a valid, balanced assignment; sticky keeps what it can.
                let next = owning_assignment(&churn(&mut rng, &topics, &members), &first, 1);
                let mut subs = Subscriptions(next.clone());
                let mut a = assign(strategy, &topics, &next);
                check_valid(seed, strategy, &topics, &next, &a);
                if strategy == Sticky {
                    let all_same = next.windows(2).all(|w| {
                        w[0].topics.iter().collect::<BTreeSet<_>>()
                            == w[1].topics.iter().collect::<BTreeSet<_>>()
                    });
                    if all_same {
                        // Members keep owned partitions up to the quota they end with.
                        for m in &next {
                            let kept =
                                m.owned_partitions.iter().filter(|p| a[&m.member_id].contains(p)).count();
                            let quota = a[&m.member_id].len();
                            assert!(kept >= m.owned_partitions.len().min(quota), "seed {seed}: {m:?} {a:?}");
                        }
                    }
                }
                verify_validity_and_balance(strategy, &topics, &mut subs, &mut a);
                let final_members = &subs.0;
                let all: usize = a.values().map(Vec::len).sum();
                let expected = check_valid(seed, Sticky, &topics, final_members, &a);
                assert_eq!(all, expected.len(), "seed {seed} {strategy}: final assignment incomplete");
                let all_same = final_members.windows(2).all(|w| {
                    w[0].topics.iter().collect::<BTreeSet<_>>() == w[1].topics.iter().collect::<BTreeSet<_>>()
                });
                if all_same {
                    assert!(is_fully_balanced(&a), "seed {seed} {strategy}: {a:?}");
                }
            }
        }
    }

    #[test]
    fn property_cooperative_never_moves_a_partition_directly() {
        for seed in 0..400u64 {
            let mut rng = Pcg32::new(seed, 15);
            let (topics, members, _) = random_group(&mut rng);
            let first = assign(CooperativeSticky, &topics, &members);
            let mut next = owning_assignment(&churn(&mut rng, &topics, &members), &first, 1);
            // Sometimes two members claim the same partition.
            if next.len() >= 2
                && rng.below(3) == 0
                && let Some(p) = next[0].owned_partitions.first().cloned()
            {
                next[1].owned_partitions.push(p);
                next[1].generation = Some(rng.below(3) as i32);
            }
            let a = assign(CooperativeSticky, &topics, &next);
            check_valid(seed, CooperativeSticky, &topics, &next, &a);
            for (id, list) in &a {
                let mine = &next.iter().find(|m| &m.member_id == id).unwrap().owned_partitions;
                for p in list.iter().filter(|p| !mine.contains(p)) {
                    let other = next.iter().find(|m| &m.member_id != id && m.owned_partitions.contains(p));
                    assert!(
                        other.is_none(),
                        "seed {seed}: {p} moved from {:?} to {id} directly",
                        other.map(|m| &m.member_id)
                    );
                }
            }
        }
    }
}
