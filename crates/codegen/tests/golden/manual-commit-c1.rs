// Consumer "c1" as OffsetLab runs it.
// It subscribes as a group member and commits each record synchronously after processing it
// (at-least-once).
// Needs rdkafka = "0.39" in Cargo.toml, which takes librdkafka's property names: they differ
// from Java's in places.

use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::KafkaResult;
use rdkafka::message::{BorrowedMessage, Message};

// max.poll.records = 500 (Kafka's default): librdkafka has no such property; poll_batch() below
// caps each batch.
const MAX_POLL_RECORDS: usize = 500;
const POLL_TIMEOUT: Duration = Duration::from_millis(100);

fn config() -> ClientConfig {
    let mut config = ClientConfig::new();
    config
        // Brokers to contact first; the client finds the others from them.
        .set("bootstrap.servers", "localhost:9092")
        // The consumer group: members share the partitions, offsets are committed per group.
        .set("group.id", "app")
        // The application commits (below), so the client must not.
        .set("enable.auto.commit", "false")
        // Where to start without a valid committed offset.
        .set("auto.offset.reset", "earliest")
        // No heartbeat for this long and the coordinator evicts the member.
        .set("session.timeout.ms", "10000");
    config
}

fn main() -> KafkaResult<()> {
    // Dropping the consumer closes it: it leaves the group at once (and auto commit commits).
    let consumer: BaseConsumer = config().create()?;
    consumer.subscribe(&["events"])?;
    loop {
        let batch = poll_batch(&consumer)?;
        for message in &batch {
            process(message);
            // Commit this record alone: librdkafka commits its offset + 1, the next one to read.
            consumer.commit_message(message, CommitMode::Sync)?;
        }
    }
}

// Like Java's poll(): waits up to POLL_TIMEOUT for a record, then takes what is
// already fetched, up to MAX_POLL_RECORDS.
fn poll_batch(consumer: &BaseConsumer) -> KafkaResult<Vec<BorrowedMessage<'_>>> {
    let mut batch = Vec::new();
    let mut timeout = POLL_TIMEOUT;
    while batch.len() < MAX_POLL_RECORDS {
        match consumer.poll(timeout) {
            Some(message) => batch.push(message?),
            None => break,
        }
        timeout = Duration::ZERO;
    }
    Ok(batch)
}

fn process(message: &BorrowedMessage<'_>) {
    // Your processing goes here; the consumer on screen spends 10 ms per record.
    let value = message.payload().map(String::from_utf8_lossy);
    let (topic, partition) = (message.topic(), message.partition());
    println!("{topic}-{partition} offset {}: {value:?}", message.offset());
}
