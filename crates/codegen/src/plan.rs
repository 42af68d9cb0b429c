//! What every language's program says, worked out once from a
//! [`ConsumerSpec`]: the properties that differ from Kafka's defaults (by
//! Java's names and values), how the consumer reads, and how it commits.

use offsetlab_model::ConsumerSpec;
use offsetlab_model::Subscription;
use offsetlab_model::assignor::AssignmentStrategy;
use offsetlab_model::config::{CONSUMER_DEFAULTS, parse_strategy};
use offsetlab_protocol::{CommitStrategy, TopicPartition};

/// One configuration line: key, value, and why it is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prop {
    pub key: String,
    pub value: String,
    /// Comment lines above the property (no `//` or `#`).
    pub notes: Vec<String>,
}

impl Prop {
    pub fn new(key: &str, value: impl Into<String>, note: Option<String>) -> Prop {
        Prop { key: key.to_string(), value: value.into(), notes: note.into_iter().collect() }
    }
}

/// How the program gets its partitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// `subscribe(topics)`: group management.
    Subscribe(Vec<String>),
    /// `assign(partitions)`: no group membership.
    Assign(Vec<TopicPartition>),
    /// The consumer on screen reads nothing yet; the program subscribes to
    /// these topics (every topic on screen) and says so.
    NothingYet(Vec<String>),
}

/// The program, language-independent.
#[derive(Clone, Debug)]
pub struct Plan {
    pub id: String,
    pub group_id: Option<String>,
    /// Java's properties in order: bootstrap.servers, group.id,
    /// enable.auto.commit (when there is a group), then the other
    /// non-default ones by name.
    pub props: Vec<Prop>,
    pub read: Read,
    pub commit: CommitStrategy,
    /// `enable.auto.commit` as the Java client resolves it.
    pub auto_commit: bool,
    pub max_poll_records: u32,
    pub max_poll_interval_ms: u64,
    pub processing_ms: u64,
    pub poll_timeout_ms: u64,
}

pub fn default_of(key: &str) -> Option<&'static str> {
    CONSUMER_DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Assignor names in a `partition.assignment.strategy` value, or `None`
/// when one is not an assignor Kafka ships.
pub fn strategies(value: &str) -> Option<Vec<AssignmentStrategy>> {
    let mut out = Vec::new();
    for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let s = parse_strategy(name)?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Some(out)
}

/// Whether `value` says what Kafka's default for `key` says: numbers by
/// value, assignors by name (a class name and its short name are one
/// assignor), everything else by trimmed text.
fn is_default(key: &str, value: &str) -> bool {
    let Some(default) = default_of(key) else { return false };
    let value = value.trim();
    if key == "partition.assignment.strategy" {
        return strategies(value).is_some_and(|s| Some(s) == strategies(default));
    }
    match (value.parse::<i64>(), default.parse::<i64>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => value.eq_ignore_ascii_case(default),
    }
}

fn number(spec: &ConsumerSpec, key: &str) -> u64 {
    spec.properties
        .get(key)
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| default_of(key).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Why a property is set, in a line; `None` for one the model does not know.
fn note(key: &str) -> Option<&'static str> {
    Some(match key {
        "auto.commit.interval.ms" => "How often auto commit commits the positions.",
        "auto.offset.reset" => "Where to start without a valid committed offset.",
        "client.id" => "A name for this client in broker logs and metrics.",
        "fetch.max.bytes" => "Most bytes one fetch response carries.",
        "fetch.max.wait.ms" => "Longest the broker holds a fetch while waiting for fetch.min.bytes.",
        "fetch.min.bytes" => "Least data the broker waits for before it answers a fetch.",
        "group.instance.id" => "Static membership: a restart within session.timeout.ms causes no rebalance.",
        "group.protocol" => "The group protocol: classic (JoinGroup/SyncGroup) or consumer (KIP-848).",
        "heartbeat.interval.ms" => "How often the background thread sends heartbeats.",
        "max.partition.fetch.bytes" => "Most bytes per partition in one fetch.",
        "max.poll.interval.ms" => "Longest gap between poll() calls before the client leaves the group.",
        "max.poll.records" => "Most records one poll() returns.",
        "partition.assignment.strategy" => "Assignors, in order of preference.",
        "request.timeout.ms" => "How long the client waits for a broker's answer.",
        "session.timeout.ms" => "No heartbeat for this long and the coordinator evicts the member.",
        _ => return None,
    })
}

impl Plan {
    pub fn new(spec: &ConsumerSpec, topics: &[String]) -> Plan {
        let get =
            |key: &str| spec.properties.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let group_id = get("group.id");
        let auto_commit = match get("enable.auto.commit") {
            Some(v) => v.eq_ignore_ascii_case("true"),
            // Kafka: true with a group.id, false without one.
            None => group_id.is_some(),
        };

        let mut props = vec![Prop::new(
            "bootstrap.servers",
            get("bootstrap.servers").unwrap_or_else(|| "localhost:9092".into()),
            Some("Brokers to contact first; the client finds the others from them.".into()),
        )];
        if let Some(g) = &group_id {
            let why = match spec.subscription {
                Subscription::Partitions(_) => {
                    "assign() uses no group management: the group is only where offsets are committed."
                }
                _ => "The consumer group: members share the partitions, offsets are committed per group.",
            };
            props.push(Prop::new("group.id", g.clone(), Some(why.into())));
            let why = match (spec.commit, auto_commit) {
                (CommitStrategy::Auto, true) => {
                    "Auto commit: poll() commits the positions every auto.commit.interval.ms."
                }
                (CommitStrategy::Auto, false) => {
                    "Nothing commits (no auto commit, no commit call): a restart starts over from auto.offset.reset."
                }
                (_, false) => "The application commits (below), so the client must not.",
                (_, true) => {
                    "Auto commit stays on (Kafka's default), so it commits as well as the calls below."
                }
            };
            props.push(Prop::new("enable.auto.commit", auto_commit.to_string(), Some(why.into())));
        }
        for (key, value) in &spec.properties {
            let handled = ["bootstrap.servers", "group.id", "enable.auto.commit"];
            if handled.contains(&key.as_str()) || value.trim().is_empty() || is_default(key, value) {
                continue;
            }
            let mut value = value.trim().to_string();
            if key == "partition.assignment.strategy" {
                // Java's property takes class names; "range" alone is not one.
                if let Some(list) = strategies(&value) {
                    value = list.iter().map(|s| s.class_name()).collect::<Vec<_>>().join(",");
                }
            }
            let mut p = Prop::new(key, value, note(key).map(str::to_string));
            if key == "auto.commit.interval.ms" && !auto_commit {
                p.notes.push("Unused here: auto commit is off.".into());
            }
            props.push(p);
        }

        let read = match &spec.subscription {
            Subscription::Topics(t) => Read::Subscribe(t.clone()),
            Subscription::Partitions(p) => Read::Assign(p.clone()),
            Subscription::None => Read::NothingYet(topics.to_vec()),
        };
        Plan {
            id: spec.id.clone(),
            group_id,
            props,
            read,
            commit: spec.commit,
            auto_commit,
            max_poll_records: number(spec, "max.poll.records").clamp(1, u64::from(u32::MAX)) as u32,
            max_poll_interval_ms: number(spec, "max.poll.interval.ms"),
            processing_ms: spec.processing_ms,
            poll_timeout_ms: spec.poll_timeout_ms,
        }
    }

    /// What the program does, for the header comment; plus what would
    /// fail (the model refuses these consumers, the generator does not).
    pub fn summary(&self) -> Vec<String> {
        let read = match &self.read {
            Read::Subscribe(_) => "subscribes as a group member",
            Read::Assign(_) => "assigns itself its partitions (no group membership)",
            Read::NothingYet(_) => "has not subscribed yet",
        };
        let commit = match (self.commit, self.auto_commit) {
            (CommitStrategy::Auto, true) => {
                "lets auto commit commit (at-least-once: after a crash, what came after the last auto \
                 commit is delivered again)"
            }
            (CommitStrategy::Auto, false) => "commits nothing",
            (CommitStrategy::SyncPerRecord, _) => {
                "commits each record synchronously after processing it (at-least-once)"
            }
            (CommitStrategy::SyncPerPoll, _) => {
                "commits synchronously after processing each batch (at-least-once)"
            }
            (CommitStrategy::AsyncPerPoll, _) => {
                "commits asynchronously after processing each batch (at-least-once; a failed commit is not \
                 retried)"
            }
            (CommitStrategy::SyncBeforeProcessing, _) => {
                "commits synchronously before processing each batch (at-most-once: a crash loses the batch)"
            }
        };
        let mut out = vec![format!("It {read} and {commit}.")];
        if self.group_id.is_none() {
            if matches!(self.read, Read::Subscribe(_) | Read::NothingYet(_)) {
                out.push("Without a group.id, Java's subscribe() throws InvalidGroupIdException.".into());
            }
            if self.commit != CommitStrategy::Auto {
                out.push("Without a group.id, Java's commits throw InvalidGroupIdException.".into());
            }
        }
        out
    }

    /// The comment inside the `process` stub.
    pub fn process_notes(&self) -> Vec<String> {
        let mut notes = vec![match self.processing_ms {
            0 => "Your processing goes here; the consumer on screen takes no time per record.".to_string(),
            ms => format!("Your processing goes here; the consumer on screen spends {ms} ms per record."),
        }];
        let batch_ms = self.processing_ms.saturating_mul(u64::from(self.max_poll_records));
        if batch_ms > self.max_poll_interval_ms {
            notes.push(format!(
                "A full batch ({} records) takes {batch_ms} ms, more than max.poll.interval.ms ({} ms):",
                self.max_poll_records, self.max_poll_interval_ms
            ));
            notes.push("the client would leave the group before the next poll().".to_string());
        }
        notes
    }

    /// Topics the program subscribes to, and a note when the consumer on
    /// screen has not subscribed.
    pub fn topics(&self) -> (&[String], Option<&'static str>) {
        match &self.read {
            Read::Subscribe(t) => (t, None),
            Read::NothingYet(t) => {
                (t, Some("The consumer on screen has not subscribed yet; these are the topics on screen."))
            }
            Read::Assign(_) => (&[], None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_left_out_whatever_their_spelling() {
        let spec = ConsumerSpec::new("c1")
            .property("group.id", "g")
            .property("max.poll.records", " 500 ")
            .property("partition.assignment.strategy", "RangeAssignor, cooperative-sticky")
            .property("session.timeout.ms", "10000")
            .subscribe(["t"]);
        let plan = Plan::new(&spec, &[]);
        let keys: Vec<&str> = plan.props.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["bootstrap.servers", "group.id", "enable.auto.commit", "session.timeout.ms"]);
        assert!(plan.auto_commit);
    }

    #[test]
    fn assignors_become_class_names_for_java() {
        let spec = ConsumerSpec::new("c1")
            .property("group.id", "g")
            .property("partition.assignment.strategy", "cooperative-sticky");
        let plan = Plan::new(&spec, &["t".into()]);
        let p = plan.props.iter().find(|p| p.key == "partition.assignment.strategy").unwrap();
        assert_eq!(p.value, "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        assert_eq!(plan.read, Read::NothingYet(vec!["t".into()]));
    }

    #[test]
    fn without_a_group_nothing_auto_commits() {
        let plan = Plan::new(&ConsumerSpec::new("c1").assign([TopicPartition::new("t", 0)]), &[]);
        assert!(!plan.auto_commit);
        assert_eq!(plan.group_id, None);
        assert_eq!(plan.props.len(), 1);
    }
}
