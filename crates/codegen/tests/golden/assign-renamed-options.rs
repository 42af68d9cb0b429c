// Consumer "report \"eu\\west\"" as OffsetLab runs it.
// It assigns itself its partitions (no group membership) and commits synchronously after processing
// each batch (at-least-once).
// Needs rdkafka = "0.39" in Cargo.toml, which takes librdkafka's property names: they differ
// from Java's in places.

use std::time::Duration;

use rdkafka::TopicPartitionList;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::KafkaResult;
use rdkafka::message::{BorrowedMessage, Message};

// max.poll.records = 10: librdkafka has no such property; poll_batch() below caps each batch.
const MAX_POLL_RECORDS: usize = 10;
const POLL_TIMEOUT: Duration = Duration::from_millis(250);

fn config() -> ClientConfig {
    let mut config = ClientConfig::new();
    config
        // Brokers to contact first; the client finds the others from them.
        .set("bootstrap.servers", "localhost:9092")
        // assign() uses no group management: the group is only where offsets are committed.
        .set("group.id", "reporting")
        // The application commits (below), so the client must not.
        .set("enable.auto.commit", "false")
        // Where to start without a valid committed offset.
        // Java's "none": consuming returns an error instead of resetting.
        .set("auto.offset.reset", "error")
        // Longest the broker holds a fetch while waiting for fetch.min.bytes.
        // Java's fetch.max.wait.ms.
        .set("fetch.wait.max.ms", "1000")
        // Least data the broker waits for before it answers a fetch.
        // librdkafka accepts 1..100000000 here; Java's value was 0.
        .set("fetch.min.bytes", "1")
        // Longest gap between poll() calls before the client leaves the group.
        .set("max.poll.interval.ms", "20000")
        // Assignors, in order of preference.
        // librdkafka has no eager sticky assignor: cooperative-sticky is its sticky one, and it
        // rebalances incrementally.
        .set("partition.assignment.strategy", "cooperative-sticky")
        // How long the client waits for a broker's answer.
        // librdkafka's request.timeout.ms is a producer property; socket.timeout.ms is its timeout
        // for network requests.
        .set("socket.timeout.ms", "20000")
        // librdkafka needs max.poll.interval.ms >= session.timeout.ms: lowered from 45000 to keep
        // max.poll.interval.ms.
        .set("session.timeout.ms", "20000");
    config
}

fn main() -> KafkaResult<()> {
    // Dropping the consumer closes it.
    let consumer: BaseConsumer = config().create()?;
    // No group membership: no rebalances, these partitions only.
    let mut partitions = TopicPartitionList::new();
    partitions.add_partition("orders", 1);
    partitions.add_partition("주문", 2);
    consumer.assign(&partitions)?;
    loop {
        let batch = poll_batch(&consumer)?;
        for message in &batch {
            process(message);
        }
        // After processing: at-least-once. Commits the offsets after the records polled.
        // (A commit with nothing new to commit is an error, hence the check.)
        if !batch.is_empty() {
            consumer.commit_consumer_state(CommitMode::Sync)?;
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
    // Your processing goes here; the consumer on screen spends 50 ms per record.
    let value = message.payload().map(String::from_utf8_lossy);
    let (topic, partition) = (message.topic(), message.partition());
    println!("{topic}-{partition} offset {}: {value:?}", message.offset());
}
