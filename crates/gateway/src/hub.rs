//! The hub: what every connected browser shares. Observations, the events of
//! gateway-owned consumers and watched topics go in; each browser gets a
//! catch-up (a full observation and the recent events) and then a broadcast
//! feed.
//!
//! Nothing that feeds the hub ever waits for a browser: frames go out on a
//! bounded broadcast channel and a browser that falls behind is told it
//! lagged and resynchronised, while Kafka's loops carry on.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use offsetlab_protocol::{Event, EventKind, Frame, GroupOffset};
use tokio::sync::broadcast;

use crate::observe::Observation;

/// A frame serialised once for every browser. `topic`: records of a
/// watched topic, which only the browsers watching it receive. `seq` orders
/// frames, so a browser that starts watching skips what its catch-up holds.
#[derive(Debug)]
pub struct Outgoing {
    pub seq: u64,
    pub topic: Option<String>,
    pub text: String,
}

pub type SharedFrame = Arc<Outgoing>;

/// How many frames a browser may fall behind before it is resynchronised.
/// Frames of records hold at most a tail batch each, so this bounds what
/// a stalled browser can make the gateway keep.
const BROADCAST_CAPACITY: usize = 1024;
/// Events of gateway-owned consumers kept for browsers that connect later.
const CONSUMER_HISTORY: usize = 20_000;
/// Watched records kept per partition for browsers that connect later.
pub const MAX_WATCH_WINDOW: u32 = 100_000;
/// Events per catch-up frame, so no single frame grows without bound.
const CATCH_UP_CHUNK: usize = 2000;

pub struct Hub {
    start: Instant,
    /// The gateway's start as Unix milliseconds: child processes stamp their
    /// events against it.
    pub epoch_unix_ms: u64,
    frames: broadcast::Sender<SharedFrame>,
    state: Mutex<HubState>,
    next_connection: AtomicU64,
    next_seq: AtomicU64,
    shutting_down: AtomicBool,
    default_refresh_ms: u32,
    /// The watch generation the tail has assigned: a watch is answered once
    /// the tail reads its topic, so what is produced after the answer is seen.
    tail_generation: tokio::sync::watch::Sender<u64>,
}

#[derive(Default)]
struct HubState {
    observation: Option<Observation>,
    broker: Option<(bool, Option<String>)>,
    last_at_ms: u64,
    consumer_events: VecDeque<Event>,
    /// Per watched partition, the last records seen (as events).
    watched_records: BTreeMap<(String, i32), VecDeque<Event>>,
    refresh_ms: BTreeMap<u64, u32>,
    /// Topic → connection → window.
    watches: BTreeMap<String, BTreeMap<u64, u32>>,
    watch_generation: u64,
    /// What the gateway's consumers processed, per group and partition, so
    /// a record processed again in the same group counts as redelivered
    /// (a consumer process cannot know what another one processed).
    processed: Processed,
    /// The latest successful commit of a gateway-owned consumer per group
    /// and partition, with when browsers saw it: (the hub's `now_ms` when
    /// it came, committed offset). The hub's clock, not the event's time:
    /// consumer processes stamp events with the wall clock, and observations
    /// start on the hub's monotonic one; compared across the two, a wall
    /// clock ahead made an old commit look newer than every observation.
    commits: BTreeMap<(String, String, i32), (u64, i64)>,
}

/// Processed offsets as sorted, disjoint `[start, end)` ranges.
#[derive(Default)]
struct Processed {
    group_of: BTreeMap<String, String>,
    ranges: BTreeMap<(String, String, i32), Vec<(i64, i64)>>,
}

impl Processed {
    /// Fills in `redelivered` of a `records_processed` event, and remembers
    /// which group each consumer is in.
    fn account(&mut self, event: &mut Event) {
        match &mut event.kind {
            EventKind::ConsumerStarted { consumer, group, .. } => {
                // Without a group a consumer is its own group, as in the model.
                self.group_of.insert(consumer.clone(), group.clone().unwrap_or_else(|| consumer.clone()));
            }
            EventKind::RecordsProcessed { consumer, topic, partition, first_offset, count, redelivered } => {
                let group = self.group_of.get(consumer.as_str()).cloned().unwrap_or_else(|| consumer.clone());
                let ranges = self.ranges.entry((group, topic.clone(), *partition)).or_default();
                let (start, end) = (*first_offset, *first_offset + i64::from(*count));
                let seen: i64 = ranges.iter().map(|(s, e)| ((*e).min(end) - (*s).max(start)).max(0)).sum();
                *redelivered = u32::try_from(seen).unwrap_or(*count);
                add_range(ranges, start, end);
            }
            _ => {}
        }
    }
}

fn add_range(ranges: &mut Vec<(i64, i64)>, start: i64, end: i64) {
    ranges.push((start, end));
    ranges.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *ranges = merged;
}

impl Hub {
    pub fn new(default_refresh_ms: u32) -> Hub {
        let epoch_unix_ms = unix_ms();
        Hub {
            start: Instant::now(),
            epoch_unix_ms,
            frames: broadcast::channel(BROADCAST_CAPACITY).0,
            state: Mutex::new(HubState::default()),
            next_connection: AtomicU64::new(1),
            next_seq: AtomicU64::new(1),
            shutting_down: AtomicBool::new(false),
            default_refresh_ms,
            tail_generation: tokio::sync::watch::Sender::new(0),
        }
    }

    fn state(&self) -> MutexGuard<'_, HubState> {
        // A panic while holding the lock is a bug elsewhere; the state is
        // still consistent enough to keep serving.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn connection_id(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    pub fn shut_down(&self) {
        self.shutting_down.store(true, Ordering::Relaxed);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Relaxed)
    }

    /// Called with the state lock held, so `seq` follows the order of sends.
    fn send(&self, frame: &Frame, topic: Option<String>) {
        let seq = self.next_seq.fetch_add(1, Ordering::Relaxed);
        // No receivers is not an error: nobody is watching yet.
        let _ = self.frames.send(Arc::new(Outgoing { seq, topic, text: encode(frame) }));
    }

    /// Broadcasts a frame that is not kept for later browsers (errors
    /// about gateway-owned consumers, for example).
    pub fn broadcast(&self, frame: &Frame) {
        let _state = self.state();
        self.send(frame, None);
    }

    /// An observation that began at `started_ms`. A commit of a gateway-owned
    /// consumer that browsers saw after that moment is newer than what the
    /// observation read, so it wins: a browser never sees a committed offset
    /// go back to an older value because an observation was slow.
    pub fn observed(&self, mut observation: Observation, started_ms: u64) {
        let mut state = self.state();
        let at_ms = self.now_ms();
        for group in observation.groups.values_mut() {
            for offset in &mut group.offsets {
                let key = (group.group.clone(), offset.topic.clone(), offset.partition);
                if let Some((committed_at, committed)) = state.commits.get(&key)
                    && *committed_at >= started_ms
                    && *committed != offset.committed_offset
                {
                    set_committed(offset, *committed);
                }
            }
        }
        if state.broker.as_ref().is_none_or(|(reachable, _)| !reachable) {
            state.broker = Some((true, None));
            self.send(&Frame::Broker { at_ms, reachable: true, message: None }, None);
        }
        let frame = match &state.observation {
            None => Some(observation.full(at_ms)),
            Some(before) => observation.delta_since(before, at_ms),
        };
        if let Some(frame) = frame {
            self.send(&Frame::Cluster(frame), None);
        }
        state.observation = Some(observation);
    }

    pub fn broker_unreachable(&self, message: String) {
        let mut state = self.state();
        if state.broker.as_ref().is_some_and(|(reachable, old)| !reachable && old.as_ref() == Some(&message))
        {
            return;
        }
        tracing::warn!("cluster unreachable: {message}");
        let frame = Frame::Broker { at_ms: self.now_ms(), reachable: false, message: Some(message.clone()) };
        state.broker = Some((false, Some(message)));
        self.send(&frame, None);
    }

    /// Events of gateway-owned consumers and watched topics. Times are made
    /// monotonic: the timeline of a browser never goes backwards.
    pub fn publish(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let mut state = self.state();
        let received_ms = self.now_ms();
        let mut others = Vec::new();
        let mut records: BTreeMap<String, Vec<Event>> = BTreeMap::new();
        for mut event in events {
            event.at_ms = event.at_ms.max(state.last_at_ms);
            state.last_at_ms = event.at_ms;
            if let EventKind::RecordsProduced { topic, partition, .. } = &event.kind {
                let window = state.watches.get(topic).and_then(|w| w.values().max().copied()).unwrap_or(0);
                let window = usize::try_from(window).unwrap_or(usize::MAX);
                let kept = state.watched_records.entry((topic.clone(), *partition)).or_default();
                kept.push_back(event.clone());
                // Whole ranges are dropped while the rest still fills the window.
                let mut held: usize = kept.iter().map(records_in).sum();
                while kept.len() > 1 && held - kept.front().map_or(0, records_in) >= window {
                    held -= kept.front().map_or(0, records_in);
                    kept.pop_front();
                }
                records.entry(topic.clone()).or_default().push(event);
            } else {
                state.processed.account(&mut event);
                if let EventKind::CommitCompleted { group, offsets, error: None, .. } = &event.kind {
                    for o in offsets {
                        state
                            .commits
                            .insert((group.clone(), o.topic.clone(), o.partition), (received_ms, o.offset));
                        // Browsers show this commit now, so the next observation
                        // is compared with it: a later commit that only the
                        // observer sees (commitAsync() by a consumer that does not
                        // poll, so its callback never runs) is then a change, and
                        // is sent even when the observer never read this one.
                        let observed = state.observation.as_mut().and_then(|s| s.groups.get_mut(group));
                        for offset in observed.into_iter().flat_map(|g| &mut g.offsets) {
                            if offset.topic == o.topic && offset.partition == o.partition {
                                set_committed(offset, o.offset);
                            }
                        }
                    }
                }
                state.consumer_events.push_back(event.clone());
                while state.consumer_events.len() > CONSUMER_HISTORY {
                    state.consumer_events.pop_front();
                }
                others.push(event);
            }
        }
        if !others.is_empty() {
            self.send(&Frame::Events { events: others }, None);
        }
        for (topic, events) in records {
            self.send(&Frame::Events { events }, Some(topic));
        }
    }

    /// A new browser's catch-up frames (the recent events of gateway-owned
    /// consumers, then the cluster as last observed) and its feed, taken under
    /// one lock so nothing falls between them. Records of watched topics
    /// come with `watch`.
    pub fn subscribe(&self) -> (Vec<String>, broadcast::Receiver<SharedFrame>) {
        let state = self.state();
        let receiver = self.frames.subscribe();
        let mut frames = Vec::new();
        if let Some((reachable, message)) = &state.broker {
            frames.push(encode(&Frame::Broker {
                at_ms: self.now_ms(),
                reachable: *reachable,
                message: message.clone(),
            }));
        }
        let events: Vec<Event> = state.consumer_events.iter().cloned().collect();
        for chunk in events.chunks(CATCH_UP_CHUNK) {
            frames.push(encode(&Frame::Events { events: chunk.to_vec() }));
        }
        // After the history, not before: a browser shows the committed offset
        // that came last, and the observation is now, while the history's
        // last commit may have been undone since by one no event reported.
        if let Some(observation) = &state.observation {
            frames.push(encode(&Frame::Cluster(observation.full(self.now_ms()))));
        }
        (frames, receiver)
    }

    /// The refresh interval: the shortest any browser asked for.
    pub fn refresh_ms(&self) -> u32 {
        self.state().refresh_ms.values().min().copied().unwrap_or(self.default_refresh_ms)
    }

    pub fn set_refresh(&self, connection: u64, interval_ms: u32) {
        self.state().refresh_ms.insert(connection, interval_ms);
    }

    /// Starts (or changes) a browser's watch of a topic. Returns the catch-up
    /// (the last `window` records of each partition seen so far), the
    /// sequence number after which the feed's frames of this topic are new,
    /// and the watch generation to pass to `tail_caught_up`.
    pub fn watch(&self, connection: u64, topic: &str, window: u32) -> (u64, Vec<String>, u64) {
        let mut state = self.state();
        let window = window.min(MAX_WATCH_WINDOW);
        state.watches.entry(topic.to_string()).or_default().insert(connection, window);
        state.watch_generation += 1;
        let window = usize::try_from(window).unwrap_or(usize::MAX);
        let mut events: Vec<Event> = Vec::new();
        for ((t, _), kept) in &state.watched_records {
            if t != topic {
                continue;
            }
            let mut held = 0;
            let start = kept
                .iter()
                .rev()
                .position(|e| {
                    held += records_in(e);
                    held >= window
                })
                .map_or(0, |from_back| kept.len() - 1 - from_back);
            events.extend(kept.iter().skip(start).cloned());
        }
        events.sort_by_key(|e| e.at_ms);
        let frames = events
            .chunks(CATCH_UP_CHUNK)
            .map(|chunk| encode(&Frame::Events { events: chunk.to_vec() }))
            .collect();
        // Everything sent so far is in the catch-up or older.
        (self.next_seq.load(Ordering::Relaxed).saturating_sub(1), frames, state.watch_generation)
    }

    /// The tail has assigned what was watched up to `generation`.
    pub fn tail_assigned(&self, generation: u64) {
        self.tail_generation.send_replace(generation);
    }

    /// Waits until the tail has assigned the watches up to `generation`;
    /// false when it did not within `timeout` (a topic that does not exist
    /// yet, or a cluster that cannot be reached).
    pub async fn tail_caught_up(&self, generation: u64, timeout: std::time::Duration) -> bool {
        let mut assigned = self.tail_generation.subscribe();
        tokio::time::timeout(timeout, assigned.wait_for(|g| *g >= generation)).await.is_ok_and(|r| r.is_ok())
    }

    pub fn unwatch(&self, connection: u64, topic: &str) {
        let mut state = self.state();
        Self::remove_watch(&mut state, connection, topic);
        state.watch_generation += 1;
    }

    fn remove_watch(state: &mut HubState, connection: u64, topic: &str) {
        if let Some(watchers) = state.watches.get_mut(topic) {
            watchers.remove(&connection);
            if watchers.is_empty() {
                state.watches.remove(topic);
                state.watched_records.retain(|(t, _), _| t != topic);
            }
        }
    }

    /// Watched topics with their largest window, and a number that changes
    /// whenever the set does.
    pub fn watched(&self) -> (u64, BTreeMap<String, u32>) {
        let state = self.state();
        let topics = state
            .watches
            .iter()
            .map(|(topic, w)| (topic.clone(), w.values().max().copied().unwrap_or(0)))
            .collect();
        (state.watch_generation, topics)
    }

    /// A browser went away: its refresh wish and watches go with it.
    pub fn disconnected(&self, connection: u64) {
        let mut state = self.state();
        state.refresh_ms.remove(&connection);
        let topics: BTreeSet<String> = state.watches.keys().cloned().collect();
        for topic in topics {
            Self::remove_watch(&mut state, connection, &topic);
        }
        state.watch_generation += 1;
    }
}

fn set_committed(offset: &mut GroupOffset, committed: i64) {
    let change = committed - offset.committed_offset;
    offset.committed_offset = committed;
    offset.lag = offset.lag.map(|lag| (lag - change).max(0));
}

/// Wall-clock milliseconds since 1970: the one clock the gateway and its
/// consumer processes share, so their events line up on one timeline.
pub fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn records_in(event: &Event) -> usize {
    match &event.kind {
        EventKind::RecordsProduced { records, .. } => records.len(),
        _ => 0,
    }
}

pub fn encode(frame: &Frame) -> String {
    // Frames are plain data (strings, numbers, maps with string keys):
    // serialising them cannot fail.
    serde_json::to_string(frame).expect("frames serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn produced(topic: &str, offset: i64) -> Event {
        Event {
            at_ms: 0,
            kind: EventKind::RecordsProduced {
                producer: None,
                topic: topic.into(),
                partition: 0,
                first_offset: offset,
                records: vec![offsetlab_protocol::ProducedRecord { key: None, value: "v".into() }],
            },
        }
    }

    #[test]
    fn late_browsers_catch_up_and_times_never_go_back() {
        let hub = Hub::new(1000);
        hub.watch(1, "t", 2);
        hub.publish(vec![Event { at_ms: 50, kind: EventKind::ConsumerCrashed { consumer: "c".into() } }]);
        hub.publish(vec![produced("t", 0), produced("t", 1), produced("t", 2)]);
        // A new browser gets the consumers' events...
        let (frames, _feed) = hub.subscribe();
        assert_eq!(frames.len(), 1);
        let Frame::Events { events } = serde_json::from_str::<Frame>(&frames[0]).unwrap() else { panic!() };
        assert!(matches!(events[..], [Event { at_ms: 50, kind: EventKind::ConsumerCrashed { .. } }]));
        // ...and a topic's records when it watches it: the last two of the
        // window of 2, stamped at or after the crash's 50 ms.
        let (since, frames, _) = hub.watch(2, "t", 2);
        let Frame::Events { events } = serde_json::from_str::<Frame>(&frames[0]).unwrap() else { panic!() };
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.at_ms >= 50));
        assert!(matches!(events[1].kind, EventKind::RecordsProduced { first_offset: 2, .. }));
        assert!(since >= 2, "the frames already sent are covered by the catch-up");
    }

    #[test]
    fn records_go_out_tagged_with_their_topic() {
        let hub = Hub::new(1000);
        let (_, mut feed) = hub.subscribe();
        hub.watch(1, "t", 10);
        hub.publish(vec![
            produced("t", 0),
            Event { at_ms: 1, kind: EventKind::ConsumerCrashed { consumer: "c".into() } },
        ]);
        let first = feed.try_recv().unwrap();
        let second = feed.try_recv().unwrap();
        assert_eq!((first.topic.as_deref(), second.topic.as_deref()), (None, Some("t")));
        assert!(first.seq < second.seq);
    }

    #[test]
    fn records_processed_again_in_a_group_are_redelivered() {
        let hub = Hub::new(1000);
        let (_, mut feed) = hub.subscribe();
        let started = |consumer: &str| Event {
            at_ms: 0,
            kind: EventKind::ConsumerStarted {
                consumer: consumer.into(),
                group: Some("g".into()),
                config: BTreeMap::new(),
                processing_ms: 0,
                commit: offsetlab_protocol::CommitStrategy::Auto,
            },
        };
        let processed = |consumer: &str, first_offset: i64, count: u32| Event {
            at_ms: 1,
            kind: EventKind::RecordsProcessed {
                consumer: consumer.into(),
                topic: "t".into(),
                partition: 0,
                first_offset,
                count,
                redelivered: 0,
            },
        };
        // c1 processes 0..10 and crashes; c2 takes over from the committed 5.
        hub.publish(vec![started("c1"), started("c2"), processed("c1", 0, 10), processed("c2", 5, 10)]);
        let Frame::Events { events } = serde_json::from_str(&feed.try_recv().unwrap().text).unwrap() else {
            panic!()
        };
        let redelivered: Vec<u32> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::RecordsProcessed { redelivered, .. } => Some(redelivered),
                _ => None,
            })
            .collect();
        assert_eq!(redelivered, vec![0, 5]);
    }

    /// Group `g` with partition `t`-0 committed at `committed`, high watermark 10.
    fn observation(committed: i64) -> Observation {
        use offsetlab_protocol::ObservedGroup;
        Observation {
            topics: BTreeMap::new(),
            groups: [(
                "g".to_string(),
                ObservedGroup {
                    group: "g".into(),
                    state: "Stable".into(),
                    protocol_type: "consumer".into(),
                    assignor: None,
                    members: None,
                    offsets: vec![GroupOffset {
                        topic: "t".into(),
                        partition: 0,
                        committed_offset: committed,
                        lag: Some(10 - committed),
                    }],
                },
            )]
            .into(),
        }
    }

    fn committed(at_ms: u64, offset: i64) -> Event {
        Event {
            at_ms,
            kind: EventKind::CommitCompleted {
                consumer: "c".into(),
                group: "g".into(),
                kind: offsetlab_protocol::CommitKind::Sync,
                offsets: vec![offsetlab_protocol::PartitionOffset {
                    topic: "t".into(),
                    partition: 0,
                    offset,
                }],
                error: None,
            },
        }
    }

    /// The committed offsets (and lags) of the cluster frames sent.
    fn committed_sent(feed: &mut broadcast::Receiver<SharedFrame>) -> Vec<(i64, Option<i64>)> {
        std::iter::from_fn(|| feed.try_recv().ok())
            .filter_map(|f| match serde_json::from_str::<Frame>(&f.text).ok()? {
                Frame::Cluster(c) => Some(c.groups[0].offsets[0].clone()),
                _ => None,
            })
            .map(|o| (o.committed_offset, o.lag))
            .collect()
    }

    /// An observation's start after everything the hub received so far.
    fn started_later(hub: &Hub) -> u64 {
        hub.now_ms() + 1
    }

    #[test]
    fn a_slow_observation_does_not_undo_a_newer_commit() {
        let hub = Hub::new(1000);
        let (_, mut feed) = hub.subscribe();
        let began = hub.now_ms();
        hub.publish(vec![committed(100, 5)]);
        // Begun before the commit, read before it reached the broker: 2.
        hub.observed(observation(2), began);
        // Begun after it: what the broker says stands, even when lower.
        hub.observed(observation(1), started_later(&hub));
        assert_eq!(committed_sent(&mut feed), vec![(5, Some(5)), (1, Some(9))]);
    }

    #[test]
    fn a_commit_stamped_by_a_clock_ahead_does_not_hide_later_observations() {
        let hub = Hub::new(1000);
        let (_, mut feed) = hub.subscribe();
        // A consumer process's wall clock a minute ahead of the hub's.
        hub.publish(vec![committed(hub.now_ms() + 60_000, 2)]);
        // commitAsync() by a consumer that does not poll: only the observer
        // sees 5, and it began after the hub had the commit of 2.
        hub.observed(observation(5), started_later(&hub));
        assert_eq!(committed_sent(&mut feed), vec![(5, Some(5))]);
    }

    #[test]
    fn a_late_browser_ends_its_catch_up_on_the_observation_not_an_older_commit() {
        let hub = Hub::new(1000);
        hub.observed(observation(5), 0);
        hub.publish(vec![committed(100, 2)]);
        // commitAsync() by a consumer that does not poll: only the observer sees it.
        hub.observed(observation(6), started_later(&hub));
        let (frames, _feed) = hub.subscribe();
        let frames: Vec<Frame> = frames.iter().map(|f| serde_json::from_str(f).unwrap()).collect();
        let [.., Frame::Events { events }, Frame::Cluster(now)] = &frames[..] else { panic!("{frames:?}") };
        assert!(matches!(events[..], [Event { at_ms: 100, kind: EventKind::CommitCompleted { .. } }]));
        assert_eq!(now.groups[0].offsets[0].committed_offset, 6, "what the page shows last");
    }

    #[test]
    fn an_observation_equal_to_the_last_but_not_to_a_commit_since_is_sent() {
        let hub = Hub::new(1000);
        let (_, mut feed) = hub.subscribe();
        hub.observed(observation(6), 0);
        // Browsers now show 2; a commit of 6 that no event reports follows
        // before the observer reads the 2, so it reads 6 again.
        hub.publish(vec![committed(100, 2)]);
        hub.observed(observation(6), started_later(&hub));
        assert_eq!(committed_sent(&mut feed), vec![(6, Some(4)), (6, Some(4))]);
    }

    #[test]
    fn ranges_merge() {
        let mut ranges = vec![];
        add_range(&mut ranges, 5, 10);
        add_range(&mut ranges, 0, 3);
        add_range(&mut ranges, 3, 5);
        add_range(&mut ranges, 20, 21);
        assert_eq!(ranges, vec![(0, 10), (20, 21)]);
    }

    #[test]
    fn refresh_is_the_shortest_asked_and_leaves_with_the_browser() {
        let hub = Hub::new(1000);
        assert_eq!(hub.refresh_ms(), 1000);
        hub.set_refresh(1, 300);
        hub.set_refresh(2, 2000);
        assert_eq!(hub.refresh_ms(), 300);
        hub.watch(1, "t", 10);
        hub.disconnected(1);
        assert_eq!(hub.refresh_ms(), 2000);
        assert!(hub.watched().1.is_empty());
    }

    #[test]
    fn a_full_observation_then_deltas() {
        let hub = Hub::new(1000);
        let (_, mut feed) = hub.subscribe();
        hub.observed(Observation::default(), 0);
        hub.observed(Observation::default(), 0);
        let first: Frame = serde_json::from_str(&feed.try_recv().unwrap().text).unwrap();
        assert!(matches!(first, Frame::Broker { reachable: true, .. }));
        let second: Frame = serde_json::from_str(&feed.try_recv().unwrap().text).unwrap();
        assert!(matches!(second, Frame::Cluster(ref c) if c.full));
        // The same observation again changes nothing: no frame.
        assert!(feed.try_recv().is_err());
    }
}
