//! Java consumer properties → librdkafka properties, for confluent-kafka
//! (Python) and rdkafka (Rust), which both hand their configuration to
//! librdkafka as is.
//!
//! Checked against librdkafka 2.12.1's CONFIGURATION.md and the checks in
//! its `rdkafka_conf.c` (the version rdkafka 0.39 bundles):
//!
//! | Java | librdkafka | why |
//! |---|---|---|
//! | `bootstrap.servers`, `client.id`, `group.id`, `group.instance.id`, `group.protocol`, `enable.auto.commit`, `auto.commit.interval.ms`, `session.timeout.ms`, `heartbeat.interval.ms`, `max.poll.interval.ms`, `fetch.min.bytes`, `fetch.max.bytes`, `max.partition.fetch.bytes` | same name | same meaning; values outside librdkafka's range are clamped, with a comment |
//! | `fetch.max.wait.ms` | `fetch.wait.max.ms` | librdkafka's name |
//! | `auto.offset.reset=none` | `auto.offset.reset=error` | librdkafka's word for "raise an error" |
//! | `max.poll.records` | none | librdkafka has no such property: the batch size goes to `consume(num_messages=...)` (Python) or the poll loop (Rust) |
//! | `request.timeout.ms` | `socket.timeout.ms` | librdkafka's `request.timeout.ms` is a producer property (ignored by consumers); `socket.timeout.ms` is its timeout for network requests |
//! | `partition.assignment.strategy` | `range`, `roundrobin`, `cooperative-sticky` | librdkafka has no eager `sticky` assignor and refuses a list that mixes eager and cooperative assignors |
//! | no `group.id` | `group.id` set to a name of its own, `enable.auto.commit=false` | librdkafka's `assign()` needs a group.id and confluent-kafka's `Consumer` refuses to start without one |
//!
//! And two rules librdkafka enforces and Java does not: `max.poll.interval.ms`
//! must be at least `session.timeout.ms`, and an explicit `fetch.max.bytes`
//! must be at least `message.max.bytes` (1000000 unless set).

use offsetlab_model::assignor::AssignmentStrategy;
use offsetlab_protocol::CommitStrategy;

use crate::plan::{Plan, Prop, strategies};

/// librdkafka's range for an integer property, inclusive.
fn range(key: &str) -> Option<(i64, i64)> {
    Some(match key {
        "auto.commit.interval.ms" => (0, 86_400_000),
        "fetch.max.bytes" => (0, 2_147_483_135),
        "fetch.wait.max.ms" => (0, 300_000),
        "fetch.min.bytes" => (1, 100_000_000),
        "heartbeat.interval.ms" => (1, 3_600_000),
        "max.partition.fetch.bytes" => (1, 1_000_000_000),
        "max.poll.interval.ms" => (1, 86_400_000),
        "session.timeout.ms" => (1, 3_600_000),
        "socket.timeout.ms" => (10, 300_000),
        "message.max.bytes" => (1000, 1_000_000_000),
        _ => return None,
    })
}

/// librdkafka's defaults where a rule below compares two properties.
const SESSION_TIMEOUT_DEFAULT: i64 = 45_000;
const MAX_POLL_INTERVAL_DEFAULT: i64 = 300_000;
const MESSAGE_MAX_BYTES_DEFAULT: i64 = 1_000_000;
/// The broker's `group.min.session.timeout.ms` default.
const BROKER_MIN_SESSION_TIMEOUT: i64 = 6000;

fn clamp(mut p: Prop) -> Prop {
    if let (Some((lo, hi)), Ok(v)) = (range(&p.key), p.value.parse::<i64>()) {
        let c = v.clamp(lo, hi);
        if c != v {
            p.notes.push(format!("librdkafka accepts {lo}..{hi} here; Java's value was {v}."));
            p.value = c.to_string();
        }
    }
    p
}

/// The librdkafka assignor list for Java's, and a note when it differs.
fn assignors(value: &str) -> (String, Option<String>) {
    let Some(list) = strategies(value) else { return (value.to_string(), None) };
    let mut notes = Vec::new();
    let mut out: Vec<AssignmentStrategy> = Vec::new();
    for s in list {
        let s = if s == AssignmentStrategy::Sticky {
            notes.push(
                "librdkafka has no eager sticky assignor: cooperative-sticky is its sticky one, and it \
                 rebalances incrementally.",
            );
            AssignmentStrategy::CooperativeSticky
        } else {
            s
        };
        if out.first().is_some_and(|f| f.rebalance_protocol() != s.rebalance_protocol()) {
            notes.push(
                "librdkafka refuses eager and cooperative assignors in one list: the first kind stays.",
            );
            continue;
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    notes.dedup();
    let names: Vec<&str> = out.iter().map(|s| s.name()).collect();
    (names.join(","), (!notes.is_empty()).then(|| notes.join(" ")))
}

/// librdkafka's properties for the plan, in the plan's order, with the
/// reason for every difference from Java's in the comments.
pub fn properties(plan: &Plan) -> Vec<Prop> {
    let mut out: Vec<Prop> = Vec::new();
    for p in &plan.props {
        let mut p = p.clone();
        match p.key.as_str() {
            "max.poll.records" => continue,
            "enable.auto.commit" if plan.auto_commit && plan.commit == CommitStrategy::Auto => {
                p.notes = vec![
                    "Auto commit: librdkafka commits the offsets after the records it handed out, in the \
                     background every auto.commit.interval.ms."
                        .into(),
                ];
            }
            "fetch.max.wait.ms" => {
                p.key = "fetch.wait.max.ms".into();
                p.notes.push("Java's fetch.max.wait.ms.".into());
            }
            "auto.offset.reset" if p.value.eq_ignore_ascii_case("none") => {
                p.value = "error".into();
                p.notes.push("Java's \"none\": consuming returns an error instead of resetting.".into());
            }
            "request.timeout.ms" => {
                p.key = "socket.timeout.ms".into();
                p.notes.push(
                    "librdkafka's request.timeout.ms is a producer property; socket.timeout.ms is its \
                     timeout for network requests."
                        .into(),
                );
            }
            "partition.assignment.strategy" => {
                let (value, note) = assignors(&p.value);
                p.value = value;
                p.notes.extend(note);
            }
            _ => {}
        }
        out.push(clamp(p));
    }

    if plan.group_id.is_none() {
        // After bootstrap.servers, where Java would have it.
        out.insert(
            1.min(out.len()),
            Prop::new(
                "group.id",
                format!("{}-standalone", plan.id),
                Some(
                    "Java needs no group.id here, librdkafka does (even for assign()); the group \
                     is never joined."
                        .into(),
                ),
            ),
        );
        out.insert(
            2.min(out.len()),
            Prop::new(
                "enable.auto.commit",
                "false",
                Some("Off, as Java turns it off without a group.id.".into()),
            ),
        );
    }

    let get = |out: &[Prop], key: &str, default: i64| {
        out.iter().find(|p| p.key == key).and_then(|p| p.value.parse::<i64>().ok()).unwrap_or(default)
    };
    let set = |out: &mut Vec<Prop>, key: &str, value: i64, note: String| match out
        .iter_mut()
        .find(|p| p.key == key)
    {
        Some(p) => {
            p.value = value.to_string();
            p.notes.push(note);
        }
        None => out.push(Prop { key: key.into(), value: value.to_string(), notes: vec![note] }),
    };

    // librdkafka: "`max.poll.interval.ms` must be >= `session.timeout.ms`".
    let session = get(&out, "session.timeout.ms", SESSION_TIMEOUT_DEFAULT);
    let poll = get(&out, "max.poll.interval.ms", MAX_POLL_INTERVAL_DEFAULT);
    let heartbeat = get(&out, "heartbeat.interval.ms", 3000);
    if poll < session {
        if poll >= BROKER_MIN_SESSION_TIMEOUT && poll > heartbeat {
            set(
                &mut out,
                "session.timeout.ms",
                poll,
                format!(
                    "librdkafka needs max.poll.interval.ms >= session.timeout.ms: lowered from {session} \
                     to keep max.poll.interval.ms."
                ),
            );
        } else {
            set(
                &mut out,
                "max.poll.interval.ms",
                session,
                format!(
                    "librdkafka needs max.poll.interval.ms >= session.timeout.ms: raised from {poll}; \
                     Java's shorter interval cannot be had here."
                ),
            );
        }
    }

    // librdkafka: an explicit "`fetch.max.bytes` must be >= `message.max.bytes`".
    if let Some(fetch) = out.iter().find(|p| p.key == "fetch.max.bytes").and_then(|p| p.value.parse().ok()) {
        let fetch: i64 = fetch;
        if fetch < MESSAGE_MAX_BYTES_DEFAULT {
            let (lo, _) = range("message.max.bytes").unwrap_or((1000, 0));
            let size = fetch.max(lo);
            if size != fetch {
                set(
                    &mut out,
                    "fetch.max.bytes",
                    size,
                    format!("Raised from {fetch}: message.max.bytes cannot go below {lo}."),
                );
            }
            set(
                &mut out,
                "message.max.bytes",
                size,
                "librdkafka wants fetch.max.bytes >= message.max.bytes (its largest request).".into(),
            );
        }
    }
    out
}

/// The line about `max.poll.records`, which librdkafka does not have;
/// `instead` says what caps a batch in the program.
pub fn max_poll_records_note(plan: &Plan, instead: &str) -> String {
    let from = if plan.props.iter().any(|p| p.key == "max.poll.records") { "" } else { " (Kafka's default)" };
    format!("max.poll.records = {}{from}: librdkafka has no such property; {instead}.", plan.max_poll_records)
}

#[cfg(test)]
mod tests {
    use offsetlab_model::ConsumerSpec;

    use super::*;

    fn map(spec: ConsumerSpec) -> Vec<(String, String)> {
        properties(&Plan::new(&spec, &[])).into_iter().map(|p| (p.key, p.value)).collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn renames_and_drops() {
        let spec = ConsumerSpec::new("c1")
            .property("group.id", "g")
            .property("fetch.max.wait.ms", "100")
            .property("max.poll.records", "10")
            .property("auto.offset.reset", "none")
            .property("request.timeout.ms", "20000")
            .subscribe(["t"]);
        assert_eq!(
            map(spec),
            kv(&[
                ("bootstrap.servers", "localhost:9092"),
                ("group.id", "g"),
                ("enable.auto.commit", "true"),
                ("auto.offset.reset", "error"),
                ("fetch.wait.max.ms", "100"),
                ("socket.timeout.ms", "20000"),
            ])
        );
    }

    #[test]
    fn assignor_lists_librdkafka_accepts() {
        assert_eq!(assignors("range").0, "range");
        assert_eq!(assignors("sticky").0, "cooperative-sticky");
        assert_eq!(assignors("range,cooperative-sticky").0, "range");
        assert_eq!(assignors("range, sticky, roundrobin").0, "range,roundrobin");
        assert_eq!(assignors("cooperative-sticky,range").0, "cooperative-sticky");
    }

    #[test]
    fn a_group_for_a_consumer_without_one() {
        let spec = ConsumerSpec::new("c1").assign([offsetlab_protocol::TopicPartition::new("t", 0)]);
        assert_eq!(
            map(spec),
            kv(&[
                ("bootstrap.servers", "localhost:9092"),
                ("group.id", "c1-standalone"),
                ("enable.auto.commit", "false"),
            ])
        );
    }

    #[test]
    fn cross_property_rules() {
        // A short poll interval keeps its value; the session timeout comes down to it.
        let spec = ConsumerSpec::new("c").property("group.id", "g").property("max.poll.interval.ms", "10000");
        let m = map(spec);
        assert!(m.contains(&("max.poll.interval.ms".into(), "10000".into())));
        assert!(m.contains(&("session.timeout.ms".into(), "10000".into())));
        // Below the broker's least session timeout, the poll interval goes up instead.
        let spec = ConsumerSpec::new("c").property("group.id", "g").property("max.poll.interval.ms", "2000");
        let m = map(spec);
        assert!(m.contains(&("max.poll.interval.ms".into(), "45000".into())));
        assert!(!m.iter().any(|(k, _)| k == "session.timeout.ms"));
        // A small fetch.max.bytes brings message.max.bytes down with it.
        let spec = ConsumerSpec::new("c").property("group.id", "g").property("fetch.max.bytes", "500");
        let m = map(spec);
        assert!(m.contains(&("fetch.max.bytes".into(), "1000".into())));
        assert!(m.contains(&("message.max.bytes".into(), "1000".into())));
        // fetch.min.bytes = 0 is Java's "answer at once"; librdkafka's least is 1.
        let spec = ConsumerSpec::new("c").property("group.id", "g").property("fetch.min.bytes", "0");
        assert!(map(spec).contains(&("fetch.min.bytes".into(), "1".into())));
    }
}
