//! The live tail of watched topics: one consumer without a group, assigned
//! every partition of every watched topic, starting `window` records before
//! the end. What it reads goes to the hub as `records_produced` events, so
//! the browser draws them on the logs as it draws the model's.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use offsetlab_protocol::{Event, EventKind, ProducedRecord};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};

use crate::hub::Hub;
use crate::observe::list_offsets;

/// Longer values are cut: the browser shows a glimpse, not the payload.
const VALUE_CHARS: usize = 120;
/// Records read before the hub hears of them: one frame per batch, not per record.
const BATCH_RECORDS: usize = 1000;

pub fn spawn(config: &crate::Config, hub: Arc<Hub>) -> Result<std::thread::JoinHandle<()>, String> {
    let consumer: BaseConsumer = config
        .client_config()
        .set("client.id", "offsetlab-gateway-tail")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false")
        // librdkafka prefetches up to 64 MB by default; the tail's readers are
        // browsers, and a smaller queue keeps the gateway small.
        .set("queued.max.messages.kbytes", "16384")
        // When that queue is full librdkafka waits this long before fetching
        // again (1 s by default): the tail drains fast, so ask again soon.
        .set("fetch.queue.backoff.ms", "10")
        // A group id is needed by librdkafka for assign(); nothing is committed with it.
        .set("group.id", "offsetlab-gateway-tail")
        .create()
        .map_err(|e| format!("cannot create the tail consumer: {e}"))?;
    std::thread::Builder::new()
        .name("tail".into())
        .spawn(move || run(&consumer, &hub))
        .map_err(|e| format!("cannot start the tail thread: {e}"))
}

fn run(consumer: &BaseConsumer, hub: &Hub) {
    let mut seen_generation = u64::MAX;
    let mut assigned: BTreeSet<String> = BTreeSet::new();
    // Where each assigned partition was started, for reassigning before anything is read.
    let mut starts: BTreeMap<(String, i32), i64> = BTreeMap::new();
    // Watched topics not found yet.
    let mut missing: BTreeSet<String> = BTreeSet::new();
    let mut retry_at = Instant::now();
    while !hub.is_shutting_down() {
        let (generation, watched) = hub.watched();
        if generation != seen_generation || (assigned.len() < watched.len() && Instant::now() >= retry_at) {
            assigned = reassign(consumer, &watched, &assigned, &mut starts, &mut missing);
            seen_generation = generation;
            hub.tail_assigned(generation);
            retry_at = Instant::now() + Duration::from_millis(200);
        }
        if assigned.is_empty() {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        }
        let mut events: Vec<Event> = Vec::new();
        let mut timeout = Duration::from_millis(100);
        let mut read = 0;
        while read < BATCH_RECORDS {
            match consumer.poll(timeout) {
                Some(Ok(message)) => {
                    read += 1;
                    let record = ProducedRecord {
                        key: message.key().map(|k| String::from_utf8_lossy(k).into()),
                        value: message
                            .payload()
                            .map(|v| String::from_utf8_lossy(v).chars().take(VALUE_CHARS).collect::<String>())
                            .unwrap_or_default()
                            .into(),
                    };
                    append(
                        &mut events,
                        hub.now_ms(),
                        message.topic(),
                        message.partition(),
                        message.offset(),
                        record,
                    );
                }
                Some(Err(e)) => {
                    tracing::debug!("tail: {e}");
                    break;
                }
                None => break,
            }
            timeout = Duration::ZERO;
        }
        hub.publish(events);
    }
}

/// Adds a record to the last event when it continues that event's range.
fn append(
    events: &mut Vec<Event>,
    at_ms: u64,
    topic: &str,
    partition: i32,
    offset: i64,
    record: ProducedRecord,
) {
    if let Some(Event {
        kind: EventKind::RecordsProduced { topic: t, partition: p, first_offset, records, .. },
        ..
    }) = events.last_mut()
        && t == topic
        && *p == partition
        && *first_offset + i64::try_from(records.len()).unwrap_or(i64::MAX) == offset
    {
        records.push(record);
        return;
    }
    events.push(Event {
        at_ms,
        kind: EventKind::RecordsProduced {
            producer: None,
            topic: topic.to_string(),
            partition,
            first_offset: offset,
            records: vec![record],
        },
    });
}

/// Assigns the watched topics: those already assigned continue where they
/// are (from their position, or from where they were started when nothing
/// was read yet), new ones start `window` records before their end.
/// Returns the topics that could be assigned (a topic that does not exist
/// yet is tried again).
fn reassign(
    consumer: &BaseConsumer,
    watched: &BTreeMap<String, u32>,
    assigned: &BTreeSet<String>,
    starts: &mut BTreeMap<(String, i32), i64>,
    missing: &mut BTreeSet<String>,
) -> BTreeSet<String> {
    let positions: BTreeMap<(String, i32), Offset> = consumer
        .position()
        .map(|list| {
            list.elements().iter().map(|e| ((e.topic().to_string(), e.partition()), e.offset())).collect()
        })
        .unwrap_or_default();
    starts.retain(|(topic, _), _| watched.contains_key(topic));
    missing.retain(|topic| watched.contains_key(topic));
    // Which partitions continue where they are, and which need a start.
    let mut plan: Vec<(String, i32, Option<Offset>, u32, bool)> = Vec::new();
    let mut now_assigned = BTreeSet::new();
    let mut fresh = TopicPartitionList::new();
    for (topic, window) in watched {
        let found = consumer.fetch_metadata(Some(topic), Duration::from_secs(2)).ok().and_then(|metadata| {
            metadata
                .topics()
                .iter()
                .find(|t| t.name() == topic && t.error().is_none() && !t.partitions().is_empty())
                .map(|t| t.partitions().iter().map(|p| p.id()).collect::<Vec<i32>>())
        });
        let Some(partitions) = found else {
            // Not there yet (just created, or not at all): tried again soon.
            missing.insert(topic.clone());
            continue;
        };
        // A topic that appeared after it was watched is new from its start.
        let new_since_watch = missing.remove(topic);
        for partition in partitions {
            let key = (topic.clone(), partition);
            let continued = match (positions.get(&key), starts.get(&key)) {
                (Some(Offset::Offset(o)), _) if assigned.contains(topic) => Some(Offset::Offset(*o)),
                // Assigned, nothing read yet: the same numeric start again.
                // A relative start (the tail of the log) would skip what was
                // produced since.
                (_, Some(start)) if assigned.contains(topic) => Some(Offset::Offset(*start)),
                _ => {
                    fresh.add_partition(topic, partition);
                    None
                }
            };
            plan.push((topic.clone(), partition, continued, *window, new_since_watch));
        }
        now_assigned.insert(topic.clone());
    }
    // New partitions' watermarks, batched (one request per broker).
    let (lows, highs) = if fresh.count() == 0 {
        (BTreeMap::new(), BTreeMap::new())
    } else {
        let timeout = Duration::from_secs(2);
        (
            list_offsets(consumer, &fresh, Offset::Beginning, timeout).unwrap_or_default(),
            list_offsets(consumer, &fresh, Offset::End, timeout).unwrap_or_default(),
        )
    };
    let mut list = TopicPartitionList::new();
    for (topic, partition, continued, window, new_since_watch) in plan {
        let key = (topic.clone(), partition);
        let start = continued.unwrap_or_else(|| match (lows.get(&key), highs.get(&key)) {
            (Some(&low), Some(&high)) => {
                let start = if new_since_watch { low } else { low.max(high - i64::from(window.max(1))) };
                starts.insert(key, start);
                Offset::Offset(start)
            }
            _ => Offset::OffsetTail(i64::from(window.max(1))),
        });
        let _ = list.add_partition_offset(&topic, partition, start);
    }
    if let Err(e) = consumer.assign(&list) {
        tracing::warn!("tail: cannot assign: {e}");
        return BTreeSet::new();
    }
    now_assigned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(v: &str) -> ProducedRecord {
        ProducedRecord { key: None, value: v.into() }
    }

    #[test]
    fn contiguous_records_share_an_event() {
        let mut events = Vec::new();
        append(&mut events, 1, "t", 0, 5, record("a"));
        append(&mut events, 1, "t", 0, 6, record("b"));
        append(&mut events, 1, "t", 1, 0, record("c"));
        // A gap (compaction, transaction markers) starts a new range.
        append(&mut events, 2, "t", 1, 2, record("d"));
        let shape: Vec<(i32, i64, usize)> = events
            .iter()
            .map(|e| match &e.kind {
                EventKind::RecordsProduced { partition, first_offset, records, .. } => {
                    (*partition, *first_offset, records.len())
                }
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(shape, vec![(0, 5, 2), (1, 0, 1), (1, 2, 1)]);
    }
}
