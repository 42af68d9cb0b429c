//! The Java producer's default partitioner.
//!
//! Records with a key go to `toPositive(murmur2(key)) % partitions`, exactly as
//! Kafka's `BuiltInPartitioner.partitionForKey`, so the model puts a key on the
//! same partition a Java producer would. (librdkafka's default,
//! `consistent_random`, hashes with CRC32 and places keys differently.)
//! Records without a key use [`StickyPartitioner`].

use serde::{Deserialize, Serialize};

use crate::rng::Pcg32;

/// Kafka's `batch.size` default, in bytes.
pub const DEFAULT_BATCH_SIZE_BYTES: u32 = 16_384;

/// MurmurHash2, 32-bit, as Kafka's `org.apache.kafka.common.utils.Utils.murmur2`.
///
/// Java has no unsigned ints; its `>>>` is a logical shift, which is what
/// `u32 >>` does here, and its multiplications wrap, so computing in `u32`
/// and reinterpreting the result as `i32` gives Java's bits exactly.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;

    // Java takes `data.length` as an int; keys longer than 2 GiB cannot exist there.
    let length = data.len() as u32;
    let mut h = SEED ^ length;

    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }

    // The Java `switch` falls through from case 3 to case 1.
    let tail = chunks.remainder();
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }

    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (not `abs`, which would
/// overflow on `i32::MIN`).
pub fn to_positive(n: i32) -> i32 {
    n & 0x7fff_ffff
}

/// The partition the Java producer picks for a record with this key.
///
/// A topic always has at least one partition; `num_partitions < 1` is treated
/// as 1 (answer 0) so that bad input cannot panic (Java would throw).
pub fn partition_for_key(key: &[u8], num_partitions: i32) -> i32 {
    to_positive(murmur2(key)) % num_partitions.max(1)
}

/// Partitions records without a key the way KIP-480 ("sticky partitioner")
/// does: all keyless records go to one partition until a batch's worth of
/// bytes has gone there, then the producer moves to another partition, so
/// batches fill up instead of being spread thin.
///
/// Simplifications, documented for the UI:
/// - The switch happens once `batch_size_bytes` have been sent to the current
///   partition, counting the record that crosses the line (KIP-794's
///   `BuiltInPartitioner.updatePartitionInfo` rule), rather than when the
///   accumulator happens to open a new batch (KIP-480).
/// - The next partition is drawn uniformly from all other partitions with the
///   model's [`Pcg32`], never the current one when there are two or more
///   (KIP-480's `StickyPartitionCache` rule; KIP-794 may draw the same one).
/// - KIP-794's adaptive switching (weighting partitions by broker queue sizes,
///   `partitioner.adaptive.partitioning.enable`) and skipping unavailable
///   partitions (`partitioner.availability.timeout.ms`) are not modelled: the
///   model has no broker latency to adapt to.
/// - Java keeps one sticky partition per topic; keep one `StickyPartitioner`
///   per producer and topic to match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StickyPartitioner {
    batch_size_bytes: u32,
    /// The partition keyless records currently go to; `None` before the first record.
    current: Option<i32>,
    /// Bytes sent to `current` since the last switch.
    produced_bytes: u64,
}

impl Default for StickyPartitioner {
    fn default() -> Self {
        StickyPartitioner::new(DEFAULT_BATCH_SIZE_BYTES)
    }
}

impl StickyPartitioner {
    /// A partitioner that switches after `batch_size_bytes` (Kafka's
    /// `batch.size`; 0 is treated as 1, as Kafka requires at least 1).
    pub fn new(batch_size_bytes: u32) -> Self {
        StickyPartitioner { batch_size_bytes: batch_size_bytes.max(1), current: None, produced_bytes: 0 }
    }

    pub fn batch_size_bytes(&self) -> u32 {
        self.batch_size_bytes
    }

    /// The partition the next keyless record will go to, if one has been chosen.
    pub fn current_partition(&self) -> Option<i32> {
        self.current
    }

    /// Picks the partition for one keyless record of `record_bytes` bytes in a
    /// topic with `num_partitions` partitions, and accounts for its bytes.
    ///
    /// If the topic shrank below the sticky partition (the model lets a
    /// scenario recreate a topic), a new partition is drawn. `num_partitions
    /// < 1` is treated as 1.
    pub fn partition(&mut self, num_partitions: i32, record_bytes: u32, rng: &mut Pcg32) -> i32 {
        let num_partitions = num_partitions.max(1);
        let partition = match self.current {
            Some(p) if (0..num_partitions).contains(&p) => p,
            _ => {
                self.produced_bytes = 0;
                random_partition(num_partitions, rng)
            }
        };
        self.current = Some(partition);
        self.produced_bytes += u64::from(record_bytes);
        if self.produced_bytes >= u64::from(self.batch_size_bytes) {
            self.current = Some(other_partition(partition, num_partitions, rng));
            self.produced_bytes = 0;
        }
        partition
    }
}

fn random_partition(num_partitions: i32, rng: &mut Pcg32) -> i32 {
    // num_partitions is in 1..=i32::MAX, so both conversions are lossless.
    rng.below(num_partitions as u32) as i32
}

/// A uniformly drawn partition other than `current` (when there is another).
fn other_partition(current: i32, num_partitions: i32, rng: &mut Pcg32) -> i32 {
    if num_partitions < 2 {
        return 0;
    }
    // Draw among the n - 1 others and skip over `current`: uniform, one draw, no retry loop.
    let drawn = rng.below((num_partitions - 1) as u32) as i32;
    if drawn >= current { drawn + 1 } else { drawn }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's `UtilsTest.testMurmur2`, all six cases.
    #[test]
    fn murmur2_matches_kafka_utils_test() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            (b"abc", 479_470_107),
        ];
        for (data, expected) in cases {
            assert_eq!(murmur2(data), expected, "murmur2({:?})", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn murmur2_handles_empty_and_high_bytes() {
        // Bytes >= 0x80 are negative in Java; `& 0xff` makes them unsigned, as here.
        let _ = murmur2(&[]);
        let _ = murmur2(&[0xff, 0x80, 0x7f]);
        assert_ne!(murmur2(&[0xff]), murmur2(&[0x7f]));
    }

    #[test]
    fn to_positive_clears_the_sign_bit() {
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(5), 5);
        assert_eq!(to_positive(-973_932_308), 1_173_551_340);
    }

    #[test]
    fn partition_for_key_is_java_default() {
        // toPositive(-973932308) = 1173551340; 1173551340 % 3 = 0, % 10 = 0, % 7 = 3.
        assert_eq!(partition_for_key(b"21", 3), 0);
        assert_eq!(partition_for_key(b"21", 10), 0);
        assert_eq!(partition_for_key(b"21", 7), 3);
        // toPositive(479470107) % 6 = 3
        assert_eq!(partition_for_key(b"abc", 6), 479_470_107 % 6);
        for n in 1..50 {
            let p = partition_for_key(b"foobar", n);
            assert!((0..n).contains(&p));
        }
        assert_eq!(partition_for_key(b"foobar", 0), 0);
        assert_eq!(partition_for_key(b"foobar", -4), 0);
    }

    #[test]
    fn sticky_partitioner_sticks_for_a_batch_then_moves() {
        let mut rng = Pcg32::new(9, 9);
        let mut sticky = StickyPartitioner::new(1000);
        let first = sticky.partition(4, 300, &mut rng);
        assert_eq!(sticky.partition(4, 300, &mut rng), first);
        assert_eq!(sticky.partition(4, 300, &mut rng), first);
        // The fourth record crosses 1000 bytes: it still goes to `first`...
        assert_eq!(sticky.partition(4, 300, &mut rng), first);
        // ...and the next one goes elsewhere.
        let second = sticky.partition(4, 300, &mut rng);
        assert_ne!(second, first);
        assert!((0..4).contains(&second));
    }

    #[test]
    fn sticky_partitioner_never_repeats_with_two_or_more_partitions() {
        for seed in 0..50u64 {
            let mut rng = Pcg32::new(seed, 1);
            let mut sticky = StickyPartitioner::default();
            let mut previous = None;
            for _ in 0..200 {
                // Every record fills a batch, so every record switches.
                let p = sticky.partition(2 + (seed % 5) as i32, DEFAULT_BATCH_SIZE_BYTES, &mut rng);
                assert_ne!(Some(p), previous, "seed {seed}");
                previous = Some(p);
            }
        }
    }

    #[test]
    fn sticky_partitioner_spreads_over_all_partitions() {
        let mut rng = Pcg32::new(3, 3);
        let mut sticky = StickyPartitioner::new(1);
        let mut seen = [0u32; 5];
        for _ in 0..5_000 {
            seen[sticky.partition(5, 10, &mut rng) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800), "{seen:?}");
    }

    #[test]
    fn sticky_partitioner_survives_odd_input() {
        let mut rng = Pcg32::new(1, 1);
        let mut sticky = StickyPartitioner::new(0);
        assert_eq!(sticky.batch_size_bytes(), 1);
        assert_eq!(sticky.partition(1, 100, &mut rng), 0);
        assert_eq!(sticky.partition(1, 100, &mut rng), 0);
        assert_eq!(sticky.partition(0, 0, &mut rng), 0);
        assert_eq!(sticky.partition(-3, u32::MAX, &mut rng), 0);
        // Topic shrinks below the sticky partition: a valid one is drawn.
        let mut sticky = StickyPartitioner::new(u32::MAX);
        let mut p = sticky.partition(100, 1, &mut rng);
        while p < 3 {
            sticky = StickyPartitioner::new(u32::MAX);
            p = sticky.partition(100, 1, &mut rng);
        }
        assert!((0..3).contains(&sticky.partition(3, 1, &mut rng)));
    }

    #[test]
    fn sticky_partitioner_is_deterministic_and_serializable() {
        let run = || {
            let mut rng = Pcg32::new(77, 2);
            let mut sticky = StickyPartitioner::new(500);
            (0..100).map(|i| sticky.partition(6, 37 + i, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(run(), run());

        let mut rng = Pcg32::new(77, 2);
        let mut sticky = StickyPartitioner::new(500);
        sticky.partition(6, 100, &mut rng);
        let json = serde_json::to_string(&sticky).unwrap();
        let back: StickyPartitioner = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sticky);
    }
}
