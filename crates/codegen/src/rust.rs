//! Rust: a program for the rdkafka crate (`BaseConsumer`, librdkafka inside).

use offsetlab_protocol::CommitStrategy;

use crate::code::Code;
use crate::escape::rust as lit;
use crate::librdkafka;
use crate::plan::{Plan, Read};

/// `entry`: `None` for a program with `fn main`; `Some(name)` for a
/// module with `pub fn name()` and a public `config()`, so several
/// programs can live in one crate.
pub fn generate(plan: &Plan, entry: Option<&str>) -> String {
    let mut c = Code::new("    ", "//", true);
    c.comments(0, &[format!("Consumer {} as OffsetLab runs it.", lit(&plan.id))]);
    c.comments(0, &plan.summary());
    c.comments(
        0,
        &[
            "Needs rdkafka = \"0.39\" in Cargo.toml, which takes librdkafka's property names: they differ",
            "from Java's in places.",
        ],
    );
    let assign = matches!(plan.read, Read::Assign(_));
    let commits = plan.commit != CommitStrategy::Auto;
    c.blank();
    c.line(0, "use std::time::Duration;");
    c.blank();
    if assign {
        c.line(0, "use rdkafka::TopicPartitionList;");
    }
    c.line(0, "use rdkafka::config::ClientConfig;");
    let consumer_items =
        if commits { "BaseConsumer, CommitMode, Consumer" } else { "BaseConsumer, Consumer" };
    c.line(0, &format!("use rdkafka::consumer::{{{consumer_items}}};"));
    c.line(0, "use rdkafka::error::KafkaResult;");
    c.line(0, "use rdkafka::message::{BorrowedMessage, Message};");
    c.blank();
    c.comments(0, &[librdkafka::max_poll_records_note(plan, "poll_batch() below caps each batch")]);
    c.line(0, &format!("const MAX_POLL_RECORDS: usize = {};", plan.max_poll_records));
    c.line(0, &format!("const POLL_TIMEOUT: Duration = Duration::from_millis({});", plan.poll_timeout_ms));
    c.blank();

    let vis = if entry.is_some() { "pub " } else { "" };
    c.line(0, &format!("{vis}fn config() -> ClientConfig {{"));
    c.line(1, "let mut config = ClientConfig::new();");
    c.line(1, "config");
    let props = librdkafka::properties(plan);
    for (i, p) in props.iter().enumerate() {
        c.comments(2, &p.notes);
        let end = if i + 1 == props.len() { ";" } else { "" };
        call(&mut c, 2, ".set", &[lit(&p.key), lit(&p.value)], end);
    }
    c.line(1, "config");
    c.line(0, "}");
    c.blank();

    match entry {
        None => c.line(0, "fn main() -> KafkaResult<()> {"),
        Some(name) => c.line(0, &format!("pub fn {name}() -> KafkaResult<()> {{")),
    }
    let close = if plan.group_id.is_some() && !assign {
        "Dropping the consumer closes it: it leaves the group at once (and auto commit commits)."
    } else {
        "Dropping the consumer closes it."
    };
    c.comments(1, &[close]);
    c.line(1, "let consumer: BaseConsumer = config().create()?;");
    match &plan.read {
        Read::Assign(tps) => {
            c.comments(1, &["No group membership: no rebalances, these partitions only."]);
            c.line(1, "let mut partitions = TopicPartitionList::new();");
            for tp in tps {
                call(&mut c, 1, "partitions.add_partition", &[lit(&tp.topic), tp.partition.to_string()], ";");
            }
            c.line(1, "consumer.assign(&partitions)?;");
        }
        _ => {
            let (topics, note) = plan.topics();
            c.comments(1, &note.into_iter().collect::<Vec<_>>());
            let list: Vec<String> = topics.iter().map(|t| lit(t)).collect();
            c.list(1, 1, "consumer.subscribe(&[", &list, "])?;");
        }
    }
    c.line(1, "loop {");
    c.line(2, "let batch = poll_batch(&consumer)?;");
    if plan.commit == CommitStrategy::SyncBeforeProcessing {
        c.comments(
            2,
            &[
                "Commit first, then process: at-most-once. A crash while processing loses these records.",
                "(A commit with nothing new to commit is an error, hence the check.)",
            ],
        );
        c.line(2, "if !batch.is_empty() {");
        c.line(3, "consumer.commit_consumer_state(CommitMode::Sync)?;");
        c.line(2, "}");
    }
    c.line(2, "for message in &batch {");
    c.line(3, "process(message);");
    if plan.commit == CommitStrategy::SyncPerRecord {
        c.comments(
            3,
            &["Commit this record alone: librdkafka commits its offset + 1, the next one to read."],
        );
        c.line(3, "consumer.commit_message(message, CommitMode::Sync)?;");
    }
    c.line(2, "}");
    match plan.commit {
        CommitStrategy::SyncPerPoll | CommitStrategy::AsyncPerPoll => {
            let (mode, why) = if plan.commit == CommitStrategy::SyncPerPoll {
                ("Sync", "After processing: at-least-once. Commits the offsets after the records polled.")
            } else {
                ("Async", "After processing, without waiting for the answer.")
            };
            c.comments(2, &[why, "(A commit with nothing new to commit is an error, hence the check.)"]);
            c.line(2, "if !batch.is_empty() {");
            c.line(3, &format!("consumer.commit_consumer_state(CommitMode::{mode})?;"));
            c.line(2, "}");
        }
        CommitStrategy::Auto if plan.auto_commit => {
            c.comments(
                2,
                &["No commit call: librdkafka commits in the background every auto.commit.interval.ms."],
            );
        }
        _ => {}
    }
    c.line(1, "}");
    c.line(0, "}");
    c.blank();
    c.comments(
        0,
        &[
            "Like Java's poll(): waits up to POLL_TIMEOUT for a record, then takes what is",
            "already fetched, up to MAX_POLL_RECORDS.",
        ],
    );
    c.line(0, "fn poll_batch(consumer: &BaseConsumer) -> KafkaResult<Vec<BorrowedMessage<'_>>> {");
    c.line(1, "let mut batch = Vec::new();");
    c.line(1, "let mut timeout = POLL_TIMEOUT;");
    c.line(1, "while batch.len() < MAX_POLL_RECORDS {");
    c.line(2, "match consumer.poll(timeout) {");
    c.line(3, "Some(message) => batch.push(message?),");
    c.line(3, "None => break,");
    c.line(2, "}");
    c.line(2, "timeout = Duration::ZERO;");
    c.line(1, "}");
    c.line(1, "Ok(batch)");
    c.line(0, "}");
    c.blank();
    c.line(0, "fn process(message: &BorrowedMessage<'_>) {");
    c.comments(1, &plan.process_notes());
    c.line(1, "let value = message.payload().map(String::from_utf8_lossy);");
    c.line(1, "let (topic, partition) = (message.topic(), message.partition());");
    c.line(1, "println!(\"{topic}-{partition} offset {}: {value:?}\", message.offset());");
    c.line(0, "}");
    c.finish()
}

/// `name(args)end` laid out as rustfmt does by default: on one line while
/// the arguments take at most 60 columns (`fn_call_width`) and the line
/// 100, else one argument a line.
fn call(c: &mut Code, depth: usize, name: &str, args: &[String], end: &str) {
    let joined = args.join(", ");
    let line = format!("{name}({joined}){end}");
    if joined.chars().count() <= 60 && line.chars().count() + depth * 4 <= 100 {
        c.line(depth, &line);
        return;
    }
    c.line(depth, &format!("{name}("));
    for a in args {
        c.line(depth + 1, &format!("{a},"));
    }
    c.line(depth, &format!("){end}"));
}
