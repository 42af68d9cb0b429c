//! Java: a complete class for the Apache Kafka client (`KafkaConsumer`).

use offsetlab_protocol::CommitStrategy;

use crate::code::{Code, WIDTH};
use crate::escape::java as lit;
use crate::plan::{Plan, Read};

/// The generated class; the file must be called `ConsumerApp.java`.
pub const CLASS_NAME: &str = "ConsumerApp";

pub fn generate(plan: &Plan) -> String {
    let mut c = Code::new("    ", "//", false);
    c.comments(0, &[format!("Consumer {} as OffsetLab runs it.", lit(&plan.id))]);
    c.comments(0, &plan.summary());
    c.comments(0, &["Needs org.apache.kafka:kafka-clients; save as ConsumerApp.java."]);

    let assign = matches!(plan.read, Read::Assign(_));
    let per_record = plan.commit == CommitStrategy::SyncPerRecord;
    let mut imports = vec!["java.time.Duration", "java.util.List"];
    if per_record {
        imports.push("java.util.Map");
    }
    imports.push("java.util.Properties");
    c.blank();
    for i in &imports {
        c.line(0, &format!("import {i};"));
    }
    c.blank();
    let mut kafka = vec![
        "org.apache.kafka.clients.consumer.ConsumerRecord",
        "org.apache.kafka.clients.consumer.ConsumerRecords",
        "org.apache.kafka.clients.consumer.KafkaConsumer",
    ];
    if per_record {
        kafka.push("org.apache.kafka.clients.consumer.OffsetAndMetadata");
    }
    if assign || per_record {
        kafka.push("org.apache.kafka.common.TopicPartition");
    }
    kafka.push("org.apache.kafka.common.errors.WakeupException");
    kafka.push("org.apache.kafka.common.serialization.StringDeserializer");
    for i in &kafka {
        c.line(0, &format!("import {i};"));
    }
    c.blank();

    c.line(0, &format!("public class {CLASS_NAME} {{"));
    c.line(1, "public static void main(String[] args) {");
    c.line(2, "Properties props = new Properties();");
    for p in &plan.props {
        c.comments(2, &p.notes);
        let one = format!("props.setProperty({}, {});", lit(&p.key), lit(&p.value));
        if one.len() + 8 <= WIDTH {
            c.line(2, &one);
        } else {
            c.line(2, &format!("props.setProperty({},", lit(&p.key)));
            c.line(4, &format!("{});", lit(&p.value)));
        }
    }
    c.blank();
    c.comments(2, &["Keys and values as text; other types need other deserializers."]);
    c.line(2, "KafkaConsumer<String, String> consumer =");
    c.line(4, "new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());");
    c.comments(
        2,
        &[
            "On Ctrl+C: wakeup() makes a blocked poll() throw WakeupException, so the loop",
            "ends and close() runs on this thread (the consumer is not thread-safe).",
        ],
    );
    c.line(2, "Thread mainThread = Thread.currentThread();");
    c.line(2, "Runtime.getRuntime().addShutdownHook(new Thread(() -> {");
    c.line(3, "consumer.wakeup();");
    c.line(3, "try {");
    c.line(4, "mainThread.join();");
    c.line(3, "} catch (InterruptedException e) {");
    c.line(4, "Thread.currentThread().interrupt();");
    c.line(3, "}");
    c.line(2, "}));");
    c.blank();
    c.line(2, "try {");
    match &plan.read {
        Read::Assign(tps) => {
            c.comments(3, &["No group membership: no rebalances, these partitions only."]);
            let list: Vec<String> = tps
                .iter()
                .map(|tp| format!("new TopicPartition({}, {})", lit(&tp.topic), tp.partition))
                .collect();
            c.list(3, 2, "consumer.assign(List.of(", &list, "));");
        }
        _ => {
            let (topics, note) = plan.topics();
            c.comments(3, &note.into_iter().collect::<Vec<_>>());
            let list: Vec<String> = topics.iter().map(|t| lit(t)).collect();
            c.list(3, 2, "consumer.subscribe(List.of(", &list, "));");
        }
    }
    c.line(3, "while (true) {");
    c.comments(
        4,
        &[format!(
            "Waits up to {} ms for records; returns at most max.poll.records ({}).",
            plan.poll_timeout_ms, plan.max_poll_records
        )],
    );
    c.line(
        4,
        &format!(
            "ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis({}));",
            plan.poll_timeout_ms
        ),
    );
    if plan.commit == CommitStrategy::SyncBeforeProcessing {
        c.comments(
            4,
            &["Commit first, then process: at-most-once. A crash while processing loses these records."],
        );
        c.line(4, "consumer.commitSync();");
    }
    c.line(4, "for (ConsumerRecord<String, String> record : records) {");
    c.line(5, "process(record);");
    if per_record {
        c.comments(5, &["Commit this record alone: the committed offset is the next one to read."]);
        c.line(5, "consumer.commitSync(Map.of(");
        c.line(7, "new TopicPartition(record.topic(), record.partition()),");
        c.line(7, "new OffsetAndMetadata(record.offset() + 1)));");
    }
    c.line(4, "}");
    match plan.commit {
        CommitStrategy::SyncPerPoll => {
            c.comments(
                4,
                &["After processing: at-least-once. Commits the positions of every assigned partition."],
            );
            c.line(4, "consumer.commitSync();");
        }
        CommitStrategy::AsyncPerPoll => {
            c.comments(
                4,
                &["After processing, without waiting; a failed commitAsync() is not retried (a later one covers it)."],
            );
            c.line(4, "consumer.commitAsync();");
        }
        CommitStrategy::Auto if plan.auto_commit => {
            c.comments(
                4,
                &["No commit call: the next poll() auto-commits once auto.commit.interval.ms has passed."],
            );
        }
        _ => {}
    }
    c.line(3, "}");
    c.line(2, "} catch (WakeupException e) {");
    c.comments(3, &["Shutting down."]);
    c.line(2, "} finally {");
    let close = if plan.group_id.is_some() && !assign {
        "close(): leaves the group at once, so its partitions move without waiting for session.timeout.ms."
    } else {
        "close(): releases the connections."
    };
    c.comments(3, &[close]);
    c.line(3, "consumer.close();");
    c.line(2, "}");
    c.line(1, "}");
    c.blank();
    c.line(1, "static void process(ConsumerRecord<String, String> record) {");
    c.comments(2, &plan.process_notes());
    c.line(2, "System.out.printf(\"%s-%d offset %d: %s%n\",");
    c.line(4, "record.topic(), record.partition(), record.offset(), record.value());");
    c.line(1, "}");
    c.line(0, "}");
    c.finish()
}
