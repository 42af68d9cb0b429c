//! Wire types shared by the front end, the offline model and the gateway.
//!
//! Numbers follow Kafka's own widths: offsets are `i64`, partitions `i32`,
//! generations `i32`; virtual time is `u64` milliseconds. No `usize` here, so
//! the JSON is the same on wasm32 and on 64-bit hosts.

use serde::{Deserialize, Serialize};

mod de;
mod event;
mod live;
pub use event::*;
pub use live::*;

/// The version of this protocol; bumped on every incompatible change.
pub const PROTOCOL_VERSION: u32 = 1;

/// A topic and partition, as Kafka names them (`TopicPartition`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        Self { topic: topic.into(), partition }
    }
}

impl std::fmt::Display for TopicPartition {
    /// Kafka's own spelling: `orders-2`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_partition_exact_json() {
        let tp = TopicPartition::new("orders", 2);
        assert_eq!(serde_json::to_string(&tp).unwrap(), r#"{"topic":"orders","partition":2}"#);
        let back: TopicPartition = serde_json::from_str(r#"{"topic":"orders","partition":2}"#).unwrap();
        assert_eq!(back, tp);
        assert_eq!(tp.to_string(), "orders-2");
    }
}
