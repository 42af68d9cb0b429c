//! Consumer and broker configuration, by Kafka's property names.
//!
//! Every option of the chapter's 5.1 is here with Kafka's default. Values come
//! in as strings (as in a Java `Properties` file) and are validated the way the
//! Java client and the broker validate them, with messages that name the key.

use std::collections::BTreeMap;
use std::fmt;

use crate::assignor::AssignmentStrategy;

/// What `auto.offset.reset` does when there is no valid offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetReset {
    Earliest,
    Latest,
    /// Raise `NoOffsetForPartitionException` / `OffsetOutOfRangeException`.
    None,
}

impl OffsetReset {
    pub fn name(self) -> &'static str {
        match self {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
            OffsetReset::None => "none",
        }
    }
}

/// A configuration problem, naming the property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError { key: key.to_string(), message: message.into() }
}

/// The consumer properties the model knows, with Kafka's defaults.
/// `group.id`, `group.instance.id` and `client.id` have no default.
pub const CONSUMER_DEFAULTS: &[(&str, &str)] = &[
    ("auto.commit.interval.ms", "5000"),
    ("auto.offset.reset", "latest"),
    ("bootstrap.servers", "localhost:9092"),
    ("client.id", ""),
    // Kafka: true, except without group.id, where it defaults to false.
    ("enable.auto.commit", "true"),
    ("fetch.max.bytes", "52428800"),
    ("fetch.max.wait.ms", "500"),
    ("fetch.min.bytes", "1"),
    ("group.id", ""),
    ("group.instance.id", ""),
    ("group.protocol", "classic"),
    ("heartbeat.interval.ms", "3000"),
    ("max.partition.fetch.bytes", "1048576"),
    ("max.poll.interval.ms", "300000"),
    ("max.poll.records", "500"),
    ("partition.assignment.strategy", "range,cooperative-sticky"),
    ("request.timeout.ms", "30000"),
    ("session.timeout.ms", "45000"),
];

/// A validated consumer configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerConfig {
    /// Informational offline: the model is its own broker.
    pub bootstrap_servers: String,
    /// Informational (Kafka uses it in logs and metrics).
    pub client_id: Option<String>,
    pub group_id: Option<String>,
    pub group_instance_id: Option<String>,
    pub fetch_min_bytes: u32,
    pub fetch_max_bytes: u32,
    pub fetch_max_wait_ms: u64,
    pub max_partition_fetch_bytes: u32,
    pub max_poll_records: u32,
    pub max_poll_interval_ms: u64,
    pub session_timeout_ms: u64,
    pub heartbeat_interval_ms: u64,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: u64,
    pub auto_offset_reset: OffsetReset,
    /// Informational offline: requests never get lost in the model.
    pub request_timeout_ms: u64,
    pub partition_assignment_strategy: Vec<AssignmentStrategy>,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig::from_properties(&BTreeMap::new()).expect("the defaults are valid")
    }
}

/// Parses a Java `int` property that must be at least `min`.
fn int(props: &BTreeMap<String, String>, key: &str, min: i64) -> Result<i64, ConfigError> {
    let raw = props.get(key).map(String::as_str).unwrap_or_else(|| default_of(key));
    let value: i64 = raw.trim().parse().map_err(|_| err(key, format!("must be an integer, got `{raw}`")))?;
    if value < min {
        return Err(err(key, format!("must be at least {min}, got {value}")));
    }
    // Kafka declares these as Java ints.
    if value > i64::from(i32::MAX) {
        return Err(err(key, format!("must be at most {} (a Java int), got {value}", i32::MAX)));
    }
    Ok(value)
}

fn default_of(key: &str) -> &'static str {
    CONSUMER_DEFAULTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .expect("every parsed key has a default entry")
}

fn non_empty(props: &BTreeMap<String, String>, key: &str) -> Option<String> {
    props.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Maps Kafka's assignor names, class names and short class names to an assignor.
pub fn parse_strategy(name: &str) -> Option<AssignmentStrategy> {
    let short = name.trim().rsplit('.').next().unwrap_or("");
    let canonical = match short {
        "range" | "RangeAssignor" => "range",
        "roundrobin" | "RoundRobinAssignor" => "roundrobin",
        "sticky" | "StickyAssignor" => "sticky",
        "cooperative-sticky" | "CooperativeStickyAssignor" => "cooperative-sticky",
        _ => return None,
    };
    canonical.parse().ok()
}

impl ConsumerConfig {
    /// Builds a configuration from Kafka properties; missing keys take Kafka's defaults.
    pub fn from_properties(props: &BTreeMap<String, String>) -> Result<ConsumerConfig, ConfigError> {
        for key in props.keys() {
            if !CONSUMER_DEFAULTS.iter().any(|(k, _)| k == key) {
                let known: Vec<&str> = CONSUMER_DEFAULTS.iter().map(|(k, _)| *k).collect();
                return Err(err(
                    key,
                    format!("unknown consumer property (the model knows: {})", known.join(", ")),
                ));
            }
        }
        let group_id = non_empty(props, "group.id");
        let group_instance_id = non_empty(props, "group.instance.id");
        if group_instance_id.is_some() && group_id.is_none() {
            return Err(err("group.instance.id", "static membership needs a `group.id`"));
        }
        let protocol = non_empty(props, "group.protocol").unwrap_or_else(|| "classic".into());
        match protocol.to_ascii_lowercase().as_str() {
            "classic" => {}
            "consumer" => {
                return Err(err(
                    "group.protocol",
                    "`consumer` (KIP-848) is not modeled offline; use `classic`",
                ));
            }
            other => {
                return Err(err("group.protocol", format!("must be `classic` or `consumer`, got `{other}`")));
            }
        }
        let enable_auto_commit = match props.get("enable.auto.commit").map(|v| v.trim().to_ascii_lowercase())
        {
            None => group_id.is_some(),
            Some(v) if v == "true" => {
                if group_id.is_none() {
                    // Kafka's InvalidConfigurationException for the same combination.
                    return Err(err("enable.auto.commit", "cannot be true without a `group.id`"));
                }
                true
            }
            Some(v) if v == "false" => false,
            Some(v) => {
                return Err(err("enable.auto.commit", format!("must be true or false, got `{v}`")));
            }
        };
        let auto_offset_reset = match non_empty(props, "auto.offset.reset").as_deref().unwrap_or("latest") {
            "earliest" => OffsetReset::Earliest,
            "latest" => OffsetReset::Latest,
            "none" => OffsetReset::None,
            other => {
                return Err(err(
                    "auto.offset.reset",
                    format!("must be one of earliest, latest, none; got `{other}`"),
                ));
            }
        };
        let strategies_raw = non_empty(props, "partition.assignment.strategy")
            .unwrap_or_else(|| default_of("partition.assignment.strategy").to_string());
        let mut partition_assignment_strategy = Vec::new();
        for name in strategies_raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let strategy = parse_strategy(name).ok_or_else(|| {
                err(
                    "partition.assignment.strategy",
                    format!(
                        "unknown assignor `{name}` (known: range, roundrobin, sticky, cooperative-sticky)"
                    ),
                )
            })?;
            if !partition_assignment_strategy.contains(&strategy) {
                partition_assignment_strategy.push(strategy);
            }
        }
        if partition_assignment_strategy.is_empty() {
            return Err(err("partition.assignment.strategy", "needs at least one assignor"));
        }

        let session_timeout_ms = int(props, "session.timeout.ms", 1)? as u64;
        let heartbeat_interval_ms = int(props, "heartbeat.interval.ms", 1)? as u64;
        if heartbeat_interval_ms >= session_timeout_ms {
            return Err(err(
                "heartbeat.interval.ms",
                format!(
                    "must be lower than session.timeout.ms ({heartbeat_interval_ms} >= {session_timeout_ms}); \
                     Kafka recommends at most a third of it"
                ),
            ));
        }
        Ok(ConsumerConfig {
            bootstrap_servers: non_empty(props, "bootstrap.servers")
                .unwrap_or_else(|| "localhost:9092".into()),
            client_id: non_empty(props, "client.id"),
            group_id,
            group_instance_id,
            fetch_min_bytes: int(props, "fetch.min.bytes", 0)? as u32,
            fetch_max_bytes: int(props, "fetch.max.bytes", 0)? as u32,
            fetch_max_wait_ms: int(props, "fetch.max.wait.ms", 0)? as u64,
            max_partition_fetch_bytes: int(props, "max.partition.fetch.bytes", 0)? as u32,
            max_poll_records: int(props, "max.poll.records", 1)? as u32,
            max_poll_interval_ms: int(props, "max.poll.interval.ms", 1)? as u64,
            session_timeout_ms,
            heartbeat_interval_ms,
            enable_auto_commit,
            auto_commit_interval_ms: int(props, "auto.commit.interval.ms", 0)? as u64,
            auto_offset_reset,
            request_timeout_ms: int(props, "request.timeout.ms", 0)? as u64,
            partition_assignment_strategy,
        })
    }

    /// Every modeled property with its effective value (defaults included),
    /// by Kafka's names; unset optional ones are left out.
    pub fn to_properties(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            m.insert(k.to_string(), v);
        };
        put("auto.commit.interval.ms", self.auto_commit_interval_ms.to_string());
        put("auto.offset.reset", self.auto_offset_reset.name().to_string());
        put("bootstrap.servers", self.bootstrap_servers.clone());
        if let Some(v) = &self.client_id {
            put("client.id", v.clone());
        }
        put("enable.auto.commit", self.enable_auto_commit.to_string());
        put("fetch.max.bytes", self.fetch_max_bytes.to_string());
        put("fetch.max.wait.ms", self.fetch_max_wait_ms.to_string());
        put("fetch.min.bytes", self.fetch_min_bytes.to_string());
        if let Some(v) = &self.group_id {
            put("group.id", v.clone());
        }
        if let Some(v) = &self.group_instance_id {
            put("group.instance.id", v.clone());
        }
        put("group.protocol", "classic".to_string());
        put("heartbeat.interval.ms", self.heartbeat_interval_ms.to_string());
        put("max.partition.fetch.bytes", self.max_partition_fetch_bytes.to_string());
        put("max.poll.interval.ms", self.max_poll_interval_ms.to_string());
        put("max.poll.records", self.max_poll_records.to_string());
        let names: Vec<&str> = self.partition_assignment_strategy.iter().map(|s| s.name()).collect();
        put("partition.assignment.strategy", names.join(","));
        put("request.timeout.ms", self.request_timeout_ms.to_string());
        put("session.timeout.ms", self.session_timeout_ms.to_string());
        m
    }
}

/// Broker-side settings that shape group behaviour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerConfig {
    /// How long the coordinator waits for more members before the first
    /// rebalance of an empty group.
    pub group_initial_rebalance_delay_ms: u64,
    pub group_min_session_timeout_ms: u64,
    pub group_max_session_timeout_ms: u64,
}

/// Broker properties the model knows, with Kafka's defaults.
pub const BROKER_DEFAULTS: &[(&str, &str)] = &[
    ("group.initial.rebalance.delay.ms", "3000"),
    ("group.max.session.timeout.ms", "1800000"),
    ("group.min.session.timeout.ms", "6000"),
];

impl Default for BrokerConfig {
    fn default() -> Self {
        BrokerConfig {
            group_initial_rebalance_delay_ms: 3000,
            group_min_session_timeout_ms: 6000,
            group_max_session_timeout_ms: 1_800_000,
        }
    }
}

impl BrokerConfig {
    pub fn from_properties(props: &BTreeMap<String, String>) -> Result<BrokerConfig, ConfigError> {
        for key in props.keys() {
            if !BROKER_DEFAULTS.iter().any(|(k, _)| k == key) {
                let known: Vec<&str> = BROKER_DEFAULTS.iter().map(|(k, _)| *k).collect();
                return Err(err(
                    key,
                    format!("unknown broker property (the model knows: {})", known.join(", ")),
                ));
            }
        }
        let get = |key: &str| -> Result<u64, ConfigError> {
            let raw = props.get(key).map(String::as_str).unwrap_or_else(|| {
                BROKER_DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).expect("listed")
            });
            let v: i64 =
                raw.trim().parse().map_err(|_| err(key, format!("must be an integer, got `{raw}`")))?;
            if v < 0 || v > i64::from(i32::MAX) {
                return Err(err(key, format!("must be between 0 and {}, got {v}", i32::MAX)));
            }
            Ok(v as u64)
        };
        let config = BrokerConfig {
            group_initial_rebalance_delay_ms: get("group.initial.rebalance.delay.ms")?,
            group_min_session_timeout_ms: get("group.min.session.timeout.ms")?,
            group_max_session_timeout_ms: get("group.max.session.timeout.ms")?,
        };
        if config.group_min_session_timeout_ms > config.group_max_session_timeout_ms {
            return Err(err("group.min.session.timeout.ms", "must not exceed group.max.session.timeout.ms"));
        }
        Ok(config)
    }

    /// The broker rejects JoinGroup with INVALID_SESSION_TIMEOUT outside its bounds.
    pub fn check_session_timeout(&self, session_timeout_ms: u64) -> Result<(), ConfigError> {
        if session_timeout_ms < self.group_min_session_timeout_ms
            || session_timeout_ms > self.group_max_session_timeout_ms
        {
            return Err(err(
                "session.timeout.ms",
                format!(
                    "{session_timeout_ms} is outside the broker's group.min.session.timeout.ms ({}) .. \
                     group.max.session.timeout.ms ({})",
                    self.group_min_session_timeout_ms, self.group_max_session_timeout_ms
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_match_kafka() {
        let c = ConsumerConfig::from_properties(&props(&[("group.id", "g")])).unwrap();
        assert_eq!(c.fetch_min_bytes, 1);
        assert_eq!(c.fetch_max_bytes, 52_428_800);
        assert_eq!(c.fetch_max_wait_ms, 500);
        assert_eq!(c.max_partition_fetch_bytes, 1_048_576);
        assert_eq!(c.max_poll_records, 500);
        assert_eq!(c.max_poll_interval_ms, 300_000);
        assert_eq!(c.session_timeout_ms, 45_000);
        assert_eq!(c.heartbeat_interval_ms, 3000);
        assert!(c.enable_auto_commit);
        assert_eq!(c.auto_commit_interval_ms, 5000);
        assert_eq!(c.auto_offset_reset, OffsetReset::Latest);
        assert_eq!(c.request_timeout_ms, 30_000);
        assert_eq!(
            c.partition_assignment_strategy,
            vec![AssignmentStrategy::Range, AssignmentStrategy::CooperativeSticky]
        );
        assert_eq!(c.group_instance_id, None);
        assert_eq!(c.bootstrap_servers, "localhost:9092");
        let p = c.to_properties();
        assert_eq!(p["partition.assignment.strategy"], "range,cooperative-sticky");
        assert_eq!(ConsumerConfig::from_properties(&p).unwrap(), c);
        // Without a group, auto commit is off by default, as in Kafka.
        assert!(!ConsumerConfig::default().enable_auto_commit);
    }

    #[test]
    fn rejects_bad_values_with_the_key_named() {
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: &[Case] = &[
            (&[("max.poll.records", "0")], "max.poll.records", "at least 1"),
            (&[("fetch.min.bytes", "-1")], "fetch.min.bytes", "at least 0"),
            (&[("fetch.max.wait.ms", "soon")], "fetch.max.wait.ms", "integer"),
            (&[("session.timeout.ms", "3000")], "heartbeat.interval.ms", "lower than session.timeout.ms"),
            (
                &[("partition.assignment.strategy", "fair")],
                "partition.assignment.strategy",
                "unknown assignor",
            ),
            (&[("auto.offset.reset", "smallest")], "auto.offset.reset", "earliest, latest, none"),
            (&[("enable.auto.commit", "true")], "enable.auto.commit", "group.id"),
            (&[("group.instance.id", "i1")], "group.instance.id", "group.id"),
            (&[("max.poll.record", "1")], "max.poll.record", "unknown consumer property"),
            (&[("group.protocol", "consumer"), ("group.id", "g")], "group.protocol", "not modeled"),
            (&[("request.timeout.ms", "99999999999")], "request.timeout.ms", "Java int"),
        ];
        for (pairs, key, needle) in cases {
            let e = ConsumerConfig::from_properties(&props(pairs)).unwrap_err();
            assert_eq!(e.key, *key, "{pairs:?}");
            assert!(e.to_string().contains(needle), "{e} should mention {needle}");
        }
    }

    #[test]
    fn accepts_java_class_names_for_assignors() {
        let c = ConsumerConfig::from_properties(&props(&[(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor, StickyAssignor",
        )]))
        .unwrap();
        assert_eq!(
            c.partition_assignment_strategy,
            vec![AssignmentStrategy::RoundRobin, AssignmentStrategy::Sticky]
        );
    }

    #[test]
    fn broker_bounds_on_session_timeout() {
        let b = BrokerConfig::default();
        assert!(b.check_session_timeout(45_000).is_ok());
        assert!(
            b.check_session_timeout(5999).unwrap_err().to_string().contains("group.min.session.timeout.ms")
        );
        assert!(b.check_session_timeout(1_800_001).is_err());
        let b = BrokerConfig::from_properties(&props(&[("group.initial.rebalance.delay.ms", "0")])).unwrap();
        assert_eq!(b.group_initial_rebalance_delay_ms, 0);
        assert!(BrokerConfig::from_properties(&props(&[("num.partitions", "3")])).is_err());
    }
}
