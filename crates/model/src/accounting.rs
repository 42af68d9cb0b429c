//! Delivery accounting: per group (or per group-less consumer) and partition,
//! which offsets were processed once, processed again (duplicates), or lost.
//!
//! Definitions (what the summary and the UI show):
//! - processed: the application finished processing the record at least once.
//! - duplicates: processings beyond the first (sum of `count - 1`).
//! - skipped: never processed because the position jumped over it on purpose
//!   (`auto.offset.reset = latest`, a seek forward, or records that were
//!   already deleted when a group without a committed offset started at the
//!   log start). Not a loss: nobody meant to read them.
//! - lost: never processed, not skipped, and the group's committed offset has
//!   passed it while no live member still held it in hand (a crash after an
//!   at-most-once commit, or retention deleting unread records).
//! - pending: everything else (not yet read, or in hand right now).

use std::collections::BTreeMap;

use offsetlab_protocol::TopicPartition;

/// Per-offset delivery state of one partition for one group.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// How many times each offset was processed (index = offset).
    counts: Vec<u32>,
    skipped: Vec<bool>,
    /// Offsets below this have been checked for loss.
    settled_upto: i64,
}

/// Totals of one partition's [`Tally`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartitionAccount {
    /// Distinct offsets processed at least once.
    pub processed: u64,
    /// Processings beyond the first.
    pub duplicates: u64,
    pub lost: u64,
    pub skipped: u64,
}

impl Tally {
    fn ensure(&mut self, end: i64) {
        let end = end.max(0) as usize;
        if self.counts.len() < end {
            self.counts.resize(end, 0);
            self.skipped.resize(end, false);
        }
    }

    /// Counts one processing of each offset in `first..first + count`;
    /// returns how many of them had been processed before.
    pub fn processed(&mut self, first: i64, count: u32) -> u32 {
        let end = first + i64::from(count);
        self.ensure(end);
        let mut again = 0;
        for c in &mut self.counts[first as usize..end as usize] {
            again += u32::from(*c > 0);
            *c = c.saturating_add(1);
        }
        again
    }

    pub fn mark_skipped(&mut self, from: i64, to: i64) {
        if to <= from {
            return;
        }
        self.ensure(to);
        for s in &mut self.skipped[from.max(0) as usize..to as usize] {
            *s = true;
        }
    }

    /// Checks offsets up to `upto` for loss; returns the newly lost ranges
    /// as `(first offset, count)`.
    pub fn settle(&mut self, upto: i64) -> Vec<(i64, u32)> {
        let mut lost = Vec::new();
        if upto <= self.settled_upto {
            return lost;
        }
        self.ensure(upto);
        let mut run: Option<(i64, u32)> = None;
        for o in self.settled_upto..upto {
            let i = o as usize;
            if self.counts[i] == 0 && !self.skipped[i] {
                match &mut run {
                    Some((_, n)) => *n += 1,
                    None => run = Some((o, 1)),
                }
            } else if let Some(r) = run.take() {
                lost.push(r);
            }
        }
        lost.extend(run);
        self.settled_upto = upto;
        lost
    }

    pub fn count(&self, offset: i64) -> u32 {
        usize::try_from(offset).ok().and_then(|i| self.counts.get(i)).copied().unwrap_or(0)
    }

    pub fn totals(&self) -> PartitionAccount {
        let mut t = PartitionAccount::default();
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                t.processed += 1;
                t.duplicates += u64::from(c - 1);
            } else if self.skipped[i] {
                t.skipped += 1;
            } else if (i as i64) < self.settled_upto {
                t.lost += 1;
            }
        }
        t
    }
}

/// All tallies: accounting key (group id, or consumer id without a group) →
/// partition → tally.
pub type Accounts = BTreeMap<String, BTreeMap<TopicPartition, Tally>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processed_duplicates_skipped_lost() {
        let mut t = Tally::default();
        assert_eq!(t.processed(0, 3), 0);
        assert_eq!(t.processed(1, 3), 2);
        t.mark_skipped(5, 7);
        assert_eq!(t.settle(9), vec![(4, 1), (7, 2)]);
        assert_eq!(t.settle(9), vec![], "settled offsets are not reported twice");
        assert_eq!(t.totals(), PartitionAccount { processed: 4, duplicates: 2, lost: 3, skipped: 2 });
        // Processing a lost record later (after a seek back) makes it processed.
        t.processed(4, 1);
        assert_eq!(t.totals().lost, 2);
        assert_eq!(t.count(1), 2);
    }
}
