//! Consumers to generate code for in the validity tests: every consumer of
//! a scenario file, and edge cases (texts that need escaping, every commit
//! strategy with every way of reading, options librdkafka spells or bounds
//! differently). Pure: the caller reads the files.

use offsetlab_model::scenario::StepAction;
use offsetlab_model::{ConsumerSpec, Input, Scenario};
use offsetlab_protocol::{CommitStrategy, TopicPartition};

/// A consumer, the topics on screen with it, and a name that is a Rust
/// identifier (for a module) and a file name.
#[derive(Clone, Debug)]
pub struct Sample {
    pub name: String,
    pub spec: ConsumerSpec,
    pub topics: Vec<String>,
}

/// `text` as a lowercase identifier: `billing-1` → `billing_1`.
fn ident(text: &str) -> String {
    let s: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    s.trim_matches('_').to_string()
}

/// Every consumer a scenario file starts: those it declares and those its
/// actions start, each once. `stem` is the file name without `.toml`.
pub fn scenario(stem: &str, text: &str) -> Result<Vec<Sample>, String> {
    let scenario = Scenario::parse(text).map_err(|e| format!("{stem}.toml: {e}"))?;
    let topics: Vec<String> = scenario.config.topics.iter().map(|(t, _)| t.clone()).collect();
    let mut specs: Vec<ConsumerSpec> = scenario.consumers.iter().map(|c| c.spec.clone()).collect();
    for step in &scenario.actions {
        let spec = match &step.action {
            StepAction::StartConsumer(spec) | StepAction::Input(Input::StartConsumer(spec)) => spec,
            _ => continue,
        };
        if !specs.contains(spec) {
            specs.push(spec.clone());
        }
    }
    Ok(specs
        .into_iter()
        .enumerate()
        .map(|(i, spec)| Sample {
            name: format!("{}_{i}_{}", ident(stem), ident(&spec.id)),
            spec,
            topics: topics.clone(),
        })
        .collect())
}

/// Texts that would break a literal or a comment if written as they are.
pub const AWKWARD_TEXTS: &[&str] = &[
    "c\"1\\",
    "line\nbreak */ \\u000a \\\" '''",
    "주문-소비자",
    "\u{202e}evil\u{2066} \u{2028}\t\u{7}",
    "emoji 😀 and ${dollar} {braces} %s %n",
];

/// Edge cases: awkward ids, topics and values; every commit strategy with
/// subscribe, assign and no subscription, with and without a group; and
/// every option set away from its default.
pub fn edge_cases() -> Vec<Sample> {
    let mut out = Vec::new();
    let mut push = |name: String, spec: ConsumerSpec, topics: Vec<String>| {
        out.push(Sample { name: format!("edge_{}_{name}", out.len()), spec, topics });
    };
    for (i, text) in AWKWARD_TEXTS.iter().enumerate() {
        let spec = ConsumerSpec::new(*text)
            .property("group.id", text)
            .property("client.id", text)
            .property("group.instance.id", text)
            .property("bootstrap.servers", format!("{text}:9092"))
            .subscribe([*text, "plain"])
            .commit(CommitStrategy::SyncPerPoll);
        push(format!("awkward_subscribe_{i}"), spec, vec![]);
        let spec = ConsumerSpec::new(*text)
            .assign([TopicPartition::new(*text, 0), TopicPartition::new(*text, 7)])
            .commit(CommitStrategy::SyncPerRecord);
        push(format!("awkward_assign_{i}"), spec, vec![]);
        push(format!("awkward_nothing_{i}"), ConsumerSpec::new(*text), vec![text.to_string()]);
    }
    for commit in CommitStrategy::ALL {
        for group in [true, false] {
            let base = |id: &str| {
                let spec = ConsumerSpec::new(id).commit(commit).processing_ms(20);
                if group { spec.property("group.id", "g") } else { spec }
            };
            let tag = format!("{}_{}", commit.name(), if group { "group" } else { "nogroup" });
            push(format!("{tag}_subscribe"), base("s").subscribe(["a", "b"]), vec![]);
            let many: Vec<TopicPartition> =
                (0..12).map(|p| TopicPartition::new("a-long-topic-name", p)).collect();
            push(format!("{tag}_assign"), base("a").assign(many), vec![]);
            push(format!("{tag}_nothing"), base("n"), vec!["a".into(), "b".into()]);
            push(format!("{tag}_nothing_no_topics"), base("n"), vec![]);
        }
    }
    let options = [
        ("auto.commit.interval.ms", "100"),
        ("auto.offset.reset", "none"),
        ("enable.auto.commit", "true"),
        ("fetch.max.bytes", "500"),
        ("fetch.max.wait.ms", "400000"),
        ("fetch.min.bytes", "0"),
        ("group.protocol", "classic"),
        ("heartbeat.interval.ms", "1000"),
        ("max.partition.fetch.bytes", "0"),
        ("max.poll.interval.ms", "2000"),
        ("max.poll.records", "1"),
        ("partition.assignment.strategy", "org.apache.kafka.clients.consumer.StickyAssignor, range"),
        ("request.timeout.ms", "5"),
        ("session.timeout.ms", "6000"),
    ];
    let mut every = ConsumerSpec::new("every-option").subscribe(["t"]).processing_ms(1000);
    every = every.property("group.id", "g");
    for (k, v) in options {
        every = every.property(k, v);
    }
    every.poll_timeout_ms = 1234;
    push("every_option".into(), every, vec![]);
    for strategy in [
        "range",
        "roundrobin",
        "sticky",
        "cooperative-sticky",
        "sticky,range",
        "roundrobin,cooperative-sticky",
    ] {
        let spec = ConsumerSpec::new("c")
            .property("group.id", "g")
            .property("partition.assignment.strategy", strategy)
            .subscribe(["t"]);
        push(format!("assignors_{}", ident(strategy)), spec, vec![]);
    }
    for (poll, session) in [("10000", "45000"), ("7000", "10000"), ("45000", "45000"), ("3000000", "3000000")]
    {
        let spec = ConsumerSpec::new("c")
            .property("group.id", "g")
            .property("max.poll.interval.ms", poll)
            .property("session.timeout.ms", session)
            .subscribe(["t"]);
        push(format!("poll_interval_{poll}_{session}"), spec, vec![]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_names_are_unique_identifiers() {
        let samples = edge_cases();
        let mut names: Vec<&str> = samples.iter().map(|s| s.name.as_str()).collect();
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
