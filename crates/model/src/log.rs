//! Topics and partition logs.
//!
//! A partition's records live in one `Vec`, indexed by offset: deleting
//! records only moves the log start offset (the memory stays, so that views
//! can still show what was there). Byte sizes are kept as prefix sums, so the
//! size of any offset range, and how many records fit in a byte budget, cost
//! O(1) and O(log n): fetches work on ranges, never record by record.
//!
//! Record size model: `RECORD_OVERHEAD_BYTES + key bytes + value bytes`, the
//! approximate size of a record inside a v2 record batch (length, attributes,
//! timestamp and offset deltas, key and value lengths, header count). The
//! batch header (61 bytes) is not counted.

use std::sync::Arc;

use offsetlab_protocol::Key;

/// Per-record overhead in the record size model.
pub const RECORD_OVERHEAD_BYTES: u32 = 10;

/// One record of a partition log. Its offset is its index in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub timestamp_ms: u64,
    /// Place in the produce order across every partition of every topic
    /// (0, 1, 2, ... in the order the model appended records).
    pub seq: u64,
    pub key: Option<Key>,
    pub value: Arc<str>,
    /// Modeled size in bytes (see the module docs).
    pub bytes: u32,
}

/// One partition's log.
#[derive(Clone, Debug, Default)]
pub struct PartitionLog {
    records: Vec<Record>,
    /// `cum_bytes[i]` = bytes of records `0..i`; one longer than `records`.
    cum_bytes: Vec<u64>,
    log_start_offset: i64,
}

impl PartitionLog {
    pub fn new() -> Self {
        PartitionLog { records: Vec::new(), cum_bytes: vec![0], log_start_offset: 0 }
    }

    /// With `acks=all` and no replication lag modeled, every appended record
    /// is committed at once: the high watermark is the log end offset.
    pub fn high_watermark(&self) -> i64 {
        self.records.len() as i64
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    pub fn append(&mut self, record: Record) -> i64 {
        let offset = self.high_watermark();
        let last = *self.cum_bytes.last().expect("cum_bytes starts with 0");
        self.cum_bytes.push(last + u64::from(record.bytes));
        self.records.push(record);
        offset
    }

    /// The record at `offset`, also if it was deleted (views may show it greyed out).
    pub fn record(&self, offset: i64) -> Option<&Record> {
        usize::try_from(offset).ok().and_then(|i| self.records.get(i))
    }

    /// Records `from..to` (offsets within `0..=high_watermark`).
    pub fn records(&self, from: i64, to: i64) -> &[Record] {
        &self.records[from as usize..to as usize]
    }

    /// Bytes of the records in `from..to`.
    pub fn bytes(&self, from: i64, to: i64) -> u64 {
        self.cum_bytes[to as usize] - self.cum_bytes[from as usize]
    }

    /// The end of the longest range from `from` whose bytes fit in `budget`;
    /// with `at_least_one`, one record is returned even if it alone is larger
    /// (Kafka returns an oversized first batch so that consumers make progress).
    pub fn fit(&self, from: i64, budget: u64, at_least_one: bool) -> i64 {
        let hw = self.high_watermark();
        if from >= hw {
            return from;
        }
        let base = self.cum_bytes[from as usize];
        // The last index whose prefix sum stays within base + budget.
        let limit = base.saturating_add(budget);
        let end = self.cum_bytes[from as usize..].partition_point(|&c| c <= limit) - 1 + from as usize;
        let end = end as i64;
        if end == from && at_least_one { from + 1 } else { end }
    }

    /// Moves the log start offset up (`deleteRecords`); never down.
    pub fn delete_before(&mut self, offset: i64) {
        self.log_start_offset = self.log_start_offset.max(offset.min(self.high_watermark()));
    }
}

/// A topic: a name and its partitions.
#[derive(Clone, Debug)]
pub struct Topic {
    pub name: String,
    pub partitions: Vec<PartitionLog>,
}

impl Topic {
    pub fn partition_count(&self) -> i32 {
        self.partitions.len() as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(bytes: u32) -> Record {
        Record { timestamp_ms: 0, seq: 0, key: None, value: Arc::from("v"), bytes }
    }

    #[test]
    fn offsets_watermarks_and_byte_ranges() {
        let mut log = PartitionLog::new();
        assert_eq!(log.high_watermark(), 0);
        for b in [10, 20, 30, 40] {
            log.append(rec(b));
        }
        assert_eq!(log.high_watermark(), 4);
        assert_eq!(log.bytes(1, 3), 50);
        assert_eq!(log.fit(0, 30, false), 2);
        assert_eq!(log.fit(0, 29, false), 1);
        assert_eq!(log.fit(0, 5, false), 0);
        assert_eq!(log.fit(0, 5, true), 1);
        assert_eq!(log.fit(2, 1000, false), 4);
        assert_eq!(log.fit(4, 1000, true), 4);
        log.delete_before(2);
        assert_eq!(log.log_start_offset(), 2);
        log.delete_before(1);
        assert_eq!(log.log_start_offset(), 2, "the log start never moves back");
        log.delete_before(99);
        assert_eq!(log.log_start_offset(), 4, "capped at the high watermark");
        assert_eq!(log.record(0).unwrap().bytes, 10, "deleted records stay readable for views");
    }
}
