//! What `kafka-console-consumer` would print for a consumer (chapter 5.2):
//! each record formatted as Kafka's `DefaultMessageFormatter` does, and the
//! command line that starts an equivalent console consumer.

use offsetlab_protocol::TopicPartition;

use crate::view::{ClusterView, ConsumerView, RecordView};

/// The formatter's `print.*` properties (`key.separator` stays a tab).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintOptions {
    pub timestamp: bool,
    pub partition: bool,
    pub offset: bool,
    pub key: bool,
    pub value: bool,
}

impl Default for PrintOptions {
    /// Kafka's defaults: the value only.
    fn default() -> Self {
        Self { timestamp: false, partition: false, offset: false, key: false, value: true }
    }
}

impl PrintOptions {
    /// The `--property` flags that differ from the defaults.
    pub fn properties(&self) -> Vec<String> {
        let d = PrintOptions::default();
        [
            ("print.timestamp", self.timestamp, d.timestamp),
            ("print.partition", self.partition, d.partition),
            ("print.offset", self.offset, d.offset),
            ("print.key", self.key, d.key),
            ("print.value", self.value, d.value),
        ]
        .into_iter()
        .filter(|(_, on, default)| on != default)
        .map(|(name, on, _)| format!("--property {name}={on}"))
        .collect()
    }
}

/// One record as the formatter writes it: fields in Kafka's order
/// (timestamp, partition, offset, key, value), tab-separated, `null` for a
/// missing key. Timestamps are the model's virtual milliseconds.
pub fn format_record(o: PrintOptions, partition: i32, offset: i64, r: &RecordView) -> String {
    let mut fields = Vec::new();
    if o.timestamp {
        fields.push(format!("CreateTime:{}", r.produced_at_ms));
    }
    if o.partition {
        fields.push(format!("Partition:{partition}"));
    }
    if o.offset {
        fields.push(format!("Offset:{offset}"));
    }
    if o.key {
        fields.push(r.key.as_deref().unwrap_or("null").to_string());
    }
    if o.value {
        fields.push(r.value.to_string());
    }
    fields.join("\t")
}

/// The last `n` records the consumer received, formatted, oldest first
/// (re-deliveries included: the console prints whatever poll() returns).
pub fn lines(view: &ClusterView, c: &ConsumerView, o: PrintOptions, n: usize) -> Vec<String> {
    c.processed
        .tail(n)
        .filter_map(|(_, p)| {
            let r = view.partition(&p.partition)?.record(p.offset)?;
            Some(format_record(o, p.partition.partition, p.offset, r))
        })
        .collect()
}

/// Quotes a shell word when it needs it.
fn shell(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_.,:/=@".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The console consumer that reads like this one, and what it cannot copy.
/// It reads one topic (or a pattern), and with `--partition` a single
/// partition and no group, as Kafka's `ConsoleConsumer` requires.
pub fn command_line(c: &ConsumerView, o: PrintOptions) -> (String, Option<String>) {
    let mut args = vec!["kafka-console-consumer.sh".to_string()];
    let bootstrap = c.config.get("bootstrap.servers").map_or("localhost:9092", String::as_str);
    args.push(format!("--bootstrap-server {}", shell(bootstrap)));
    let reset = c.config.get("auto.offset.reset").map_or("latest", String::as_str);
    let mut note = None;
    if c.manual_assignment {
        let partitions: Vec<&TopicPartition> = c.assignment.iter().collect();
        if let Some(tp) = partitions.first() {
            args.push(format!("--topic {} --partition {}", shell(&tp.topic), tp.partition));
            args.push(format!("--offset {}", if reset == "earliest" { "earliest" } else { "latest" }));
        }
        if partitions.len() > 1 {
            note = Some(format!("{} partitions assigned; the console consumer reads one", partitions.len()));
        }
    } else {
        match c.subscription.as_slice() {
            [topic] => args.push(format!("--topic {}", shell(topic))),
            topics => args.push(format!("--include {}", shell(&topics.join("|")))),
        }
        if let Some(group) = &c.group {
            args.push(format!("--group {}", shell(group)));
        }
        if reset == "earliest" {
            args.push("--from-beginning".into());
        }
    }
    if reset == "none" {
        args.push("--consumer-property auto.offset.reset=none".into());
    }
    args.extend(o.properties());
    (args.join(" "), note)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn record(key: Option<&str>) -> RecordView {
        RecordView { key: key.map(Into::into), value: "hello".into(), produced_at_ms: 1500, seq: 0 }
    }

    #[test]
    fn formats_fields_in_kafkas_order_with_tabs() {
        let all = PrintOptions { timestamp: true, partition: true, offset: true, key: true, value: true };
        assert_eq!(
            format_record(all, 2, 7, &record(Some("k1"))),
            "CreateTime:1500\tPartition:2\tOffset:7\tk1\thello"
        );
        assert_eq!(format_record(PrintOptions::default(), 2, 7, &record(Some("k1"))), "hello");
        let key_only = PrintOptions { key: true, value: false, ..PrintOptions::default() };
        assert_eq!(format_record(key_only, 0, 0, &record(None)), "null");
    }

    fn consumer(config: &[(&str, &str)]) -> ConsumerView {
        ConsumerView {
            group: Some("app".into()),
            subscription: vec!["orders".into()],
            config: config
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
                .into(),
            ..ConsumerView::default()
        }
    }

    #[test]
    fn command_line_for_a_group_member_reading_from_the_beginning() {
        let c = consumer(&[("auto.offset.reset", "earliest")]);
        let o = PrintOptions { key: true, offset: true, ..PrintOptions::default() };
        assert_eq!(
            command_line(&c, o),
            (
                "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group app \
                 --from-beginning --property print.offset=true --property print.key=true"
                    .to_string(),
                None
            )
        );
    }

    #[test]
    fn command_line_for_assign_takes_one_partition_and_no_group() {
        let mut c = consumer(&[("auto.offset.reset", "latest"), ("bootstrap.servers", "broker:9092")]);
        c.manual_assignment = true;
        c.assignment = [TopicPartition::new("orders", 1), TopicPartition::new("orders", 2)].into();
        let (line, note) = command_line(&c, PrintOptions::default());
        assert_eq!(
            line,
            "kafka-console-consumer.sh --bootstrap-server broker:9092 --topic orders --partition 1 --offset latest"
        );
        assert!(note.unwrap().contains("2 partitions"));
    }

    #[test]
    fn odd_names_are_quoted_for_the_shell() {
        let mut c = consumer(&[("auto.offset.reset", "none")]);
        c.subscription = vec!["it's".into(), "b".into()];
        let (line, _) = command_line(&c, PrintOptions::default());
        assert!(line.contains(r"--include 'it'\''s|b'"), "{line}");
        assert!(line.ends_with("--consumer-property auto.offset.reset=none"), "{line}");
    }
}
