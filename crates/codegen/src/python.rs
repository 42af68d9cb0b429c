//! Python: a script for confluent-kafka (`Consumer`, librdkafka inside).

use offsetlab_protocol::CommitStrategy;

use crate::code::Code;
use crate::escape::python as lit;
use crate::librdkafka;
use crate::plan::{Plan, Read};

/// A configuration value as Python writes it: librdkafka takes numbers and
/// booleans as Python values as well as strings.
fn value(v: &str) -> String {
    if v.parse::<i64>().is_ok() {
        return v.to_string();
    }
    match v.to_ascii_lowercase().as_str() {
        "true" => "True".into(),
        "false" => "False".into(),
        _ => lit(v),
    }
}

/// Milliseconds as Python seconds: `100` → `0.1`, `2000` → `2.0`.
fn seconds(ms: u64) -> String {
    let (s, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        return format!("{s}.0");
    }
    let frac = format!("{frac:03}");
    format!("{s}.{}", frac.trim_end_matches('0'))
}

pub fn generate(plan: &Plan) -> String {
    let mut c = Code::new("    ", "#", true);
    c.comments(0, &[format!("Consumer {} as OffsetLab runs it.", lit(&plan.id))]);
    c.comments(0, &plan.summary());
    c.comments(
        0,
        &[
            "Needs confluent-kafka (pip install confluent-kafka), which takes librdkafka's property names:",
            "they differ from Java's in places.",
        ],
    );
    let assign = matches!(plan.read, Read::Assign(_));
    let import = if assign { "Consumer, KafkaException, TopicPartition" } else { "Consumer, KafkaException" };
    c.blank();
    c.line(0, &format!("from confluent_kafka import {import}"));
    c.blank();
    c.line(0, "CONFIG = {");
    for p in librdkafka::properties(plan) {
        c.comments(1, &p.notes);
        c.line(1, &format!("{}: {},", lit(&p.key), value(&p.value)));
    }
    c.line(0, "}");
    c.blank();
    c.comments(0, &[librdkafka::max_poll_records_note(plan, "consume(num_messages=...) caps each batch")]);
    c.line(0, &format!("MAX_POLL_RECORDS = {}", plan.max_poll_records));
    c.line(0, &format!("POLL_TIMEOUT_S = {}", seconds(plan.poll_timeout_ms)));
    c.blank();
    c.blank();
    c.line(0, "def process(msg):");
    c.comments(1, &plan.process_notes());
    c.line(1, "print(f\"{msg.topic()}-{msg.partition()} offset {msg.offset()}: {msg.value()!r}\")");
    c.blank();
    c.blank();
    c.line(0, "def main():");
    c.line(1, "consumer = Consumer(CONFIG)");
    c.line(1, "try:");
    match &plan.read {
        Read::Assign(tps) => {
            c.comments(2, &["No group membership: no rebalances, these partitions only."]);
            let list: Vec<String> = tps
                .iter()
                .map(|tp| format!("TopicPartition({}, {})", lit(&tp.topic), tp.partition))
                .collect();
            c.list(2, 1, "consumer.assign([", &list, "])");
        }
        _ => {
            let (topics, note) = plan.topics();
            c.comments(2, &note.into_iter().collect::<Vec<_>>());
            let list: Vec<String> = topics.iter().map(|t| lit(t)).collect();
            c.list(2, 1, "consumer.subscribe([", &list, "])");
        }
    }
    c.line(2, "while True:");
    c.comments(3, &["Like Java's poll(): waits up to the timeout, returns at most MAX_POLL_RECORDS."]);
    c.line(3, "msgs = consumer.consume(num_messages=MAX_POLL_RECORDS, timeout=POLL_TIMEOUT_S)");
    if plan.commit == CommitStrategy::SyncBeforeProcessing {
        c.comments(
            3,
            &[
                "Commit first, then process: at-most-once. A crash while processing loses these records.",
                "(commit() with nothing new to commit raises, hence the check.)",
            ],
        );
        c.line(3, "if msgs:");
        c.line(4, "consumer.commit(asynchronous=False)");
    }
    c.line(3, "for msg in msgs:");
    c.line(4, "if msg.error():");
    c.line(5, "raise KafkaException(msg.error())");
    c.line(4, "process(msg)");
    if plan.commit == CommitStrategy::SyncPerRecord {
        c.comments(
            4,
            &["Commit this record alone: librdkafka commits its offset + 1, the next one to read."],
        );
        c.line(4, "consumer.commit(message=msg, asynchronous=False)");
    }
    match plan.commit {
        CommitStrategy::SyncPerPoll => {
            c.comments(
                3,
                &[
                    "After processing: at-least-once. Commits the offsets after the records consume() returned.",
                    "(commit() with nothing new to commit raises, hence the check.)",
                ],
            );
            c.line(3, "if msgs:");
            c.line(4, "consumer.commit(asynchronous=False)");
        }
        CommitStrategy::AsyncPerPoll => {
            c.comments(3, &["After processing, without waiting for the answer."]);
            c.line(3, "if msgs:");
            c.line(4, "consumer.commit(asynchronous=True)");
        }
        CommitStrategy::Auto if plan.auto_commit => {
            c.comments(
                3,
                &["No commit call: librdkafka commits in the background every auto.commit.interval.ms."],
            );
        }
        _ => {}
    }
    c.line(1, "except KeyboardInterrupt:");
    c.line(2, "pass");
    c.line(1, "finally:");
    let close = if plan.group_id.is_some() && !assign {
        "close(): leaves the group at once, so its partitions move without waiting for session.timeout.ms."
    } else {
        "close(): releases the connections."
    };
    c.comments(2, &[close]);
    c.line(2, "consumer.close()");
    c.blank();
    c.blank();
    c.line(0, "if __name__ == \"__main__\":");
    c.line(1, "main()");
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_values() {
        assert_eq!(value("10"), "10");
        assert_eq!(value("false"), "False");
        assert_eq!(value("earliest"), "\"earliest\"");
        assert_eq!(seconds(100), "0.1");
        assert_eq!(seconds(0), "0.0");
        assert_eq!(seconds(2000), "2.0");
        assert_eq!(seconds(1250), "1.25");
    }
}
