//! Running totals per consumer: what its fetches, polls and processing
//! looked like over the whole run. The model keeps them as it emits events
//! ([`crate::Model::consumer_stats`]); the expectations of guided
//! scenarios check them.
//!
//! They belong to a consumer id, not to one instance: a consumer that
//! crashed and started again keeps adding to the same totals, as a view
//! that folds the event stream by consumer id would.

use std::collections::{BTreeMap, BTreeSet};

use offsetlab_protocol::TopicPartition;

/// An error a consumer reported (an event of the same name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsumerError {
    /// `auto.offset.reset = none` and no committed offset.
    NoOffsetForPartition,
    /// The position fell outside the log.
    OffsetOutOfRange,
    /// A call the Java client rejects (e.g. `subscribe()` after `assign()`).
    IllegalState,
}

impl ConsumerError {
    pub const ALL: [ConsumerError; 3] =
        [ConsumerError::NoOffsetForPartition, ConsumerError::OffsetOutOfRange, ConsumerError::IllegalState];

    /// The name scenario files use (the Java exception without `Exception`).
    pub fn name(self) -> &'static str {
        match self {
            ConsumerError::NoOffsetForPartition => "NoOffsetForPartition",
            ConsumerError::OffsetOutOfRange => "OffsetOutOfRange",
            ConsumerError::IllegalState => "IllegalState",
        }
    }

    pub fn from_name(name: &str) -> Option<ConsumerError> {
        ConsumerError::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// One consumer's running totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerStats {
    /// Fetch responses received (empty ones included).
    pub fetches: u64,
    /// Records in the largest fetch response.
    pub largest_fetch: u64,
    /// The longest time the broker held one of its fetches
    /// (`fetch.min.bytes` not yet ready, at most `fetch.max.wait.ms`).
    pub longest_fetch_wait_ms: u64,
    /// `poll()` calls that returned records.
    pub polls: u64,
    /// Records the largest `poll()` returned (at most `max.poll.records`).
    pub largest_poll: u32,
    /// Records processed, redeliveries included.
    pub processed: u64,
    /// Processings of records its group (or, without a group, the consumer
    /// itself) had processed before.
    pub duplicates: u64,
    /// Partitions it gave up in rebalances (`onPartitionsRevoked`), added
    /// up: an eager rebalance revokes all of them, a cooperative one only
    /// those that move.
    pub revoked: u64,
    /// Among first deliveries, offsets only went up within each partition.
    pub in_partition_order: bool,
    /// Among first deliveries, no record was processed after one produced
    /// later (across all partitions: the produce order was kept).
    pub in_produce_order: bool,
    /// Errors it reported at least once.
    pub errors: BTreeSet<ConsumerError>,
    highest_seq: Option<u64>,
    last_offset: BTreeMap<TopicPartition, i64>,
}

impl Default for ConsumerStats {
    fn default() -> Self {
        ConsumerStats {
            fetches: 0,
            largest_fetch: 0,
            longest_fetch_wait_ms: 0,
            polls: 0,
            largest_poll: 0,
            processed: 0,
            duplicates: 0,
            revoked: 0,
            in_partition_order: true,
            in_produce_order: true,
            errors: BTreeSet::new(),
            highest_seq: None,
            last_offset: BTreeMap::new(),
        }
    }
}

impl ConsumerStats {
    pub(crate) fn fetch_answered(&mut self, records: u64, waited_ms: u64) {
        self.fetches += 1;
        self.largest_fetch = self.largest_fetch.max(records);
        self.longest_fetch_wait_ms = self.longest_fetch_wait_ms.max(waited_ms);
    }

    pub(crate) fn poll_returned(&mut self, count: u32) {
        if count > 0 {
            self.polls += 1;
            self.largest_poll = self.largest_poll.max(count);
        }
    }

    /// `count` records of `tp` from `first` were processed, `redelivered`
    /// of them again; `first_delivery(offset)` tells which were new to the
    /// group and `seq(offset)` their place in the produce order.
    pub(crate) fn processed(
        &mut self,
        tp: &TopicPartition,
        first: i64,
        count: u32,
        redelivered: u32,
        first_delivery: impl Fn(i64) -> bool,
        seq: impl Fn(i64) -> u64,
    ) {
        self.processed += u64::from(count);
        self.duplicates += u64::from(redelivered);
        if redelivered == count || count == 0 {
            return;
        }
        let end = first + i64::from(count);
        // Within one partition, offsets and produce order go up together:
        // a range is checked by its first and last first delivery.
        let (lo, hi) = if redelivered == 0 {
            (first, end - 1)
        } else {
            let mut fresh = (first..end).filter(|&o| first_delivery(o));
            let Some(lo) = fresh.next() else { return };
            (lo, fresh.last().unwrap_or(lo))
        };
        if let Some(last) = self.last_offset.insert(tp.clone(), hi) {
            self.in_partition_order &= lo > last;
        }
        let (lo_seq, hi_seq) = (seq(lo), seq(hi));
        if self.highest_seq.is_some_and(|h| lo_seq < h) {
            self.in_produce_order = false;
        }
        self.highest_seq = self.highest_seq.max(Some(hi_seq));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_across_and_within_partitions() {
        let (a, b) = (TopicPartition::new("t", 0), TopicPartition::new("t", 1));
        let mut s = ConsumerStats::default();
        // seq = offset * 2 on a, offset * 2 + 1 on b: produced alternately.
        s.processed(&a, 0, 2, 0, |_| true, |o| o as u64 * 2);
        assert!(s.in_produce_order);
        s.processed(&b, 0, 1, 0, |_| true, |o| o as u64 * 2 + 1);
        assert!(!s.in_produce_order, "b-0 was produced before a-1");
        assert!(s.in_partition_order);
        // Redelivered records do not count for the order...
        s.processed(&a, 0, 2, 2, |_| false, |o| o as u64 * 2);
        assert!(s.in_partition_order);
        assert_eq!((s.processed, s.duplicates), (5, 2));
        // ...first deliveries that go back within a partition do.
        s.processed(&a, 5, 1, 0, |_| true, |o| o as u64 * 2);
        s.processed(&a, 3, 1, 0, |_| true, |o| o as u64 * 2);
        assert!(!s.in_partition_order);
    }

    #[test]
    fn fetches_and_polls() {
        let mut s = ConsumerStats::default();
        s.fetch_answered(0, 500);
        s.fetch_answered(7, 120);
        s.poll_returned(0);
        s.poll_returned(3);
        assert_eq!((s.fetches, s.largest_fetch, s.longest_fetch_wait_ms), (2, 7, 500));
        assert_eq!((s.polls, s.largest_poll), (1, 3));
        assert_eq!(ConsumerError::from_name("IllegalState"), Some(ConsumerError::IllegalState));
    }
}
