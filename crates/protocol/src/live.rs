//! Live mode: what a browser and the gateway say to each other over one
//! WebSocket.
//!
//! Browser → gateway: a [`Request`], `{"id":7,"command":"subscribe",...}`.
//! `id` is the browser's own number; the gateway answers every request that
//! has one with an `ack` or an `error` frame carrying it.
//!
//! Gateway → browser: a [`Frame`], `{"frame":"events",...}`. What gateway-owned
//! consumers do arrives as the same [`Event`]s the offline model emits (so one
//! reducer folds both); what the gateway observes of the whole cluster, for
//! clients it does not own, arrives as `cluster` frames: a full picture first,
//! then deltas. `at_ms` is milliseconds since the gateway started.

use serde::{Deserialize, Serialize};

use crate::{CommitStrategy, Event, PartitionOffset, TopicPartition};

/// A command with the browser's id for the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    #[serde(flatten)]
    pub command: Command,
}

/// What a browser asks of the gateway. Everything that writes to the cluster
/// (produce, gateway-owned consumers, which commit and join groups) needs a
/// gateway started with `--allow-write`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// The first command on every socket. `token` is the gateway's shared
    /// secret when it has one; nothing else is answered before this.
    Hello {
        #[serde(default)]
        token: Option<String>,
    },
    /// How often the gateway observes the cluster for this browser.
    SetRefresh {
        interval_ms: u32,
    },
    /// Tail a topic: the last `window` records of each partition, then every
    /// new record, as `records_produced` events.
    Watch {
        topic: String,
        window: u32,
    },
    Unwatch {
        topic: String,
    },
    CreateTopic {
        topic: String,
        partitions: i32,
    },
    /// `count` records; no partition and no key: the client's partitioner picks.
    Produce {
        topic: String,
        #[serde(default)]
        partition: Option<i32>,
        #[serde(default)]
        key: Option<String>,
        #[serde(default)]
        value: Option<String>,
        count: u32,
    },
    /// A consumer the gateway owns: its own process, running the
    /// application loop (poll, process for `processing_ms` per record, commit
    /// by `commit`). `config` holds Kafka consumer properties.
    StartConsumer {
        consumer: String,
        #[serde(default)]
        group: Option<String>,
        #[serde(default)]
        config: std::collections::BTreeMap<String, String>,
        processing_ms: u64,
        commit: CommitStrategy,
    },
    Subscribe {
        consumer: String,
        topics: Vec<String>,
    },
    Assign {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Unsubscribe {
        consumer: String,
    },
    Seek {
        consumer: String,
        partition: TopicPartition,
        offset: i64,
    },
    /// Empty `partitions` = every assigned partition.
    SeekToBeginning {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    SeekToEnd {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Pause {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    Resume {
        consumer: String,
        partitions: Vec<TopicPartition>,
    },
    /// The application stops calling `poll()`; librdkafka's heartbeats go on.
    StopPolling {
        consumer: String,
    },
    ResumePolling {
        consumer: String,
    },
    /// `commitSync()` of the current positions.
    CommitSync {
        consumer: String,
    },
    /// `commitAsync()` of the current positions.
    CommitAsync {
        consumer: String,
    },
    /// `commitSync(offsets)`: exactly these offsets.
    CommitOffsets {
        consumer: String,
        offsets: Vec<PartitionOffset>,
    },
    /// `close()`: commit if auto commit is on, revoke, LeaveGroup.
    Close {
        consumer: String,
    },
    /// Kill the consumer's process: no commit, no LeaveGroup; the group
    /// notices after `session.timeout.ms`.
    Crash {
        consumer: String,
    },
}

/// What the gateway tells a browser. (`Deserialize`: see `de.rs`.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "frame", rename_all = "snake_case")]
pub enum Frame {
    /// The answer to `hello`: what this gateway allows.
    Hello {
        protocol_version: u32,
        gateway_version: String,
        read_only: bool,
        group_prefix: String,
        refresh_ms: u32,
        max_frame_bytes: u32,
    },
    /// Whether the gateway can reach the cluster; sent on every change.
    Broker {
        at_ms: u64,
        reachable: bool,
        message: Option<String>,
    },
    /// What gateway-owned consumers and watched topics did, in order.
    Events {
        events: Vec<Event>,
    },
    /// The cluster as observed. `full`: replace everything known; otherwise
    /// only what changed is listed.
    Cluster(ClusterObservation),
    Ack {
        id: u32,
    },
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u32>,
        code: ErrorCode,
        message: String,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterObservation {
    pub at_ms: u64,
    pub full: bool,
    pub topics: Vec<ObservedTopic>,
    pub removed_topics: Vec<String>,
    pub groups: Vec<ObservedGroup>,
    pub removed_groups: Vec<String>,
}

/// A topic's partitions; in a delta, only the partitions that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedTopic {
    pub topic: String,
    pub partition_count: i32,
    pub partitions: Vec<ObservedPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedPartition {
    pub partition: i32,
    pub log_start_offset: i64,
    pub high_watermark: i64,
}

/// A consumer group as `kafka-consumer-groups --describe` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedGroup {
    pub group: String,
    /// As the coordinator names it: `Stable`, `PreparingRebalance`, ...
    pub state: String,
    /// `consumer` for Kafka consumers; empty when the group has no members.
    pub protocol_type: String,
    /// The assignor the group chose (`range`, `cooperative-sticky`, ...), if
    /// the broker said.
    pub assignor: Option<String>,
    /// `None`: the broker did not say who the members are (some brokers
    /// answer DescribeGroups without them).
    pub members: Option<Vec<ObservedMember>>,
    /// Committed offsets, with lag against the high watermark.
    pub offsets: Vec<GroupOffset>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedMember {
    pub member_id: String,
    pub client_id: String,
    pub client_host: String,
    /// Decoded from the member's ConsumerProtocol subscription; `None` when
    /// the bytes were absent or not a consumer subscription.
    pub topics: Option<Vec<String>>,
    /// Decoded from the member's ConsumerProtocol assignment.
    pub assignment: Option<Vec<TopicPartition>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOffset {
    pub topic: String,
    pub partition: i32,
    pub committed_offset: i64,
    /// High watermark − committed offset; `None` when the watermark is unknown.
    pub lag: Option<i64>,
}

/// Why a request was refused or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame is not JSON, or not a request.
    MalformedJson,
    /// The `command` is not one this gateway knows.
    UnknownCommand,
    /// A field is missing, has the wrong type, or a value is out of range.
    InvalidCommand,
    /// Larger than `max_frame_bytes`.
    FrameTooLarge,
    /// `hello` first, with the right token.
    Unauthorized,
    /// Writes need a gateway started with `--allow-write`.
    ReadOnly,
    /// Gateway-owned groups must start with the gateway's `--group-prefix`.
    GroupPrefix,
    UnknownConsumer,
    ConsumerExists,
    /// The cluster answered with an error.
    Kafka,
    /// The cluster cannot be reached.
    BrokerUnavailable,
    /// This browser fell behind and missed events; a full observation follows.
    Lagged,
    /// Too many commands too fast; this one was not carried out.
    RateLimited,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::MalformedJson,
        ErrorCode::UnknownCommand,
        ErrorCode::InvalidCommand,
        ErrorCode::FrameTooLarge,
        ErrorCode::Unauthorized,
        ErrorCode::ReadOnly,
        ErrorCode::GroupPrefix,
        ErrorCode::UnknownConsumer,
        ErrorCode::ConsumerExists,
        ErrorCode::Kafka,
        ErrorCode::BrokerUnavailable,
        ErrorCode::Lagged,
        ErrorCode::RateLimited,
    ];

    /// The spelling used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::UnknownCommand => "unknown_command",
            ErrorCode::InvalidCommand => "invalid_command",
            ErrorCode::FrameTooLarge => "frame_too_large",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::GroupPrefix => "group_prefix",
            ErrorCode::UnknownConsumer => "unknown_consumer",
            ErrorCode::ConsumerExists => "consumer_exists",
            ErrorCode::Kafka => "kafka",
            ErrorCode::BrokerUnavailable => "broker_unavailable",
            ErrorCode::Lagged => "lagged",
            ErrorCode::RateLimited => "rate_limited",
        }
    }
}

impl Command {
    /// Whether the command changes the cluster (needs `--allow-write`).
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            Command::Hello { .. }
                | Command::SetRefresh { .. }
                | Command::Watch { .. }
                | Command::Unwatch { .. }
        )
    }

    /// The gateway-owned consumer the command is for, if any.
    pub fn consumer(&self) -> Option<&str> {
        match self {
            Command::Hello { .. }
            | Command::SetRefresh { .. }
            | Command::Watch { .. }
            | Command::Unwatch { .. }
            | Command::CreateTopic { .. }
            | Command::Produce { .. } => None,
            Command::StartConsumer { consumer, .. }
            | Command::Subscribe { consumer, .. }
            | Command::Assign { consumer, .. }
            | Command::Unsubscribe { consumer }
            | Command::Seek { consumer, .. }
            | Command::SeekToBeginning { consumer, .. }
            | Command::SeekToEnd { consumer, .. }
            | Command::Pause { consumer, .. }
            | Command::Resume { consumer, .. }
            | Command::StopPolling { consumer }
            | Command::ResumePolling { consumer }
            | Command::CommitSync { consumer }
            | Command::CommitAsync { consumer }
            | Command::CommitOffsets { consumer, .. }
            | Command::Close { consumer }
            | Command::Crash { consumer } => Some(consumer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventKind;

    fn round_trip<T>(value: &T, json: &str)
    where
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
    {
        assert_eq!(serde_json::to_string(value).unwrap(), json);
        let back: T = serde_json::from_str(json).unwrap();
        assert_eq!(&back, value);
    }

    #[test]
    fn requests_exact_json() {
        round_trip(
            &Request { id: Some(1), command: Command::Hello { token: Some("s3cret".into()) } },
            r#"{"id":1,"command":"hello","token":"s3cret"}"#,
        );
        round_trip(
            &Request { id: None, command: Command::Watch { topic: "orders".into(), window: 50 } },
            r#"{"command":"watch","topic":"orders","window":50}"#,
        );
        round_trip(
            &Request {
                id: Some(2),
                command: Command::Produce {
                    topic: "orders".into(),
                    partition: None,
                    key: Some("k1".into()),
                    value: None,
                    count: 3,
                },
            },
            r#"{"id":2,"command":"produce","topic":"orders","partition":null,"key":"k1","value":null,"count":3}"#,
        );
        round_trip(
            &Request {
                id: Some(3),
                command: Command::StartConsumer {
                    consumer: "c1".into(),
                    group: Some("offsetlab.demo".into()),
                    config: [("enable.auto.commit".to_string(), "false".to_string())].into(),
                    processing_ms: 10,
                    commit: CommitStrategy::SyncPerPoll,
                },
            },
            r#"{"id":3,"command":"start_consumer","consumer":"c1","group":"offsetlab.demo","config":{"enable.auto.commit":"false"},"processing_ms":10,"commit":"sync_per_poll"}"#,
        );
        round_trip(
            &Request {
                id: Some(4),
                command: Command::Seek {
                    consumer: "c1".into(),
                    partition: TopicPartition::new("orders", 1),
                    offset: 42,
                },
            },
            r#"{"id":4,"command":"seek","consumer":"c1","partition":{"topic":"orders","partition":1},"offset":42}"#,
        );
        round_trip(
            &Request {
                id: Some(5),
                command: Command::CommitOffsets {
                    consumer: "c1".into(),
                    offsets: vec![PartitionOffset { topic: "orders".into(), partition: 0, offset: 7 }],
                },
            },
            r#"{"id":5,"command":"commit_offsets","consumer":"c1","offsets":[{"topic":"orders","partition":0,"offset":7}]}"#,
        );
        round_trip(
            &Request { id: Some(6), command: Command::Crash { consumer: "c1".into() } },
            r#"{"id":6,"command":"crash","consumer":"c1"}"#,
        );
    }

    #[test]
    fn optional_fields_may_be_left_out() {
        let request: Request = serde_json::from_str(r#"{"command":"hello"}"#).unwrap();
        assert_eq!(request, Request { id: None, command: Command::Hello { token: None } });
        let request: Request =
            serde_json::from_str(r#"{"command":"produce","topic":"t","count":1}"#).unwrap();
        assert_eq!(
            request.command,
            Command::Produce { topic: "t".into(), partition: None, key: None, value: None, count: 1 }
        );
    }

    #[test]
    fn unknown_commands_and_fields_are_refused() {
        assert!(serde_json::from_str::<Request>(r#"{"command":"format_disk"}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"command":"crash","consumer":"c","now":true}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"command":"crash"}"#).is_err());
    }

    #[test]
    fn frames_exact_json() {
        round_trip(
            &Frame::Hello {
                protocol_version: 1,
                gateway_version: "0.1.0".into(),
                read_only: true,
                group_prefix: "offsetlab.".into(),
                refresh_ms: 1000,
                max_frame_bytes: 65536,
            },
            r#"{"frame":"hello","protocol_version":1,"gateway_version":"0.1.0","read_only":true,"group_prefix":"offsetlab.","refresh_ms":1000,"max_frame_bytes":65536}"#,
        );
        round_trip(
            &Frame::Broker { at_ms: 5, reachable: false, message: Some("connection refused".into()) },
            r#"{"frame":"broker","at_ms":5,"reachable":false,"message":"connection refused"}"#,
        );
        round_trip(
            &Frame::Events {
                events: vec![Event { at_ms: 12, kind: EventKind::ConsumerCrashed { consumer: "c1".into() } }],
            },
            r#"{"frame":"events","events":[{"at_ms":12,"type":"consumer_crashed","consumer":"c1"}]}"#,
        );
        round_trip(&Frame::Ack { id: 9 }, r#"{"frame":"ack","id":9}"#);
        round_trip(
            &Frame::Error { id: Some(9), code: ErrorCode::ReadOnly, message: "read-only".into() },
            r#"{"frame":"error","id":9,"code":"read_only","message":"read-only"}"#,
        );
        round_trip(
            &Frame::Error { id: None, code: ErrorCode::MalformedJson, message: "x".into() },
            r#"{"frame":"error","code":"malformed_json","message":"x"}"#,
        );
    }

    #[test]
    fn cluster_frame_exact_json() {
        let frame = Frame::Cluster(ClusterObservation {
            at_ms: 1000,
            full: true,
            topics: vec![ObservedTopic {
                topic: "orders".into(),
                partition_count: 1,
                partitions: vec![ObservedPartition { partition: 0, log_start_offset: 0, high_watermark: 10 }],
            }],
            removed_topics: vec![],
            groups: vec![ObservedGroup {
                group: "billing".into(),
                state: "Stable".into(),
                protocol_type: "consumer".into(),
                assignor: Some("range".into()),
                members: Some(vec![ObservedMember {
                    member_id: "m-1".into(),
                    client_id: "rdkafka".into(),
                    client_host: "/127.0.0.1".into(),
                    topics: Some(vec!["orders".into()]),
                    assignment: Some(vec![TopicPartition::new("orders", 0)]),
                }]),
                offsets: vec![GroupOffset {
                    topic: "orders".into(),
                    partition: 0,
                    committed_offset: 7,
                    lag: Some(3),
                }],
            }],
            removed_groups: vec!["old".into()],
        });
        round_trip(
            &frame,
            concat!(
                r#"{"frame":"cluster","at_ms":1000,"full":true,"#,
                r#""topics":[{"topic":"orders","partition_count":1,"partitions":[{"partition":0,"log_start_offset":0,"high_watermark":10}]}],"#,
                r#""removed_topics":[],"#,
                r#""groups":[{"group":"billing","state":"Stable","protocol_type":"consumer","assignor":"range","#,
                r#""members":[{"member_id":"m-1","client_id":"rdkafka","client_host":"/127.0.0.1","topics":["orders"],"assignment":[{"topic":"orders","partition":0}]}],"#,
                r#""offsets":[{"topic":"orders","partition":0,"committed_offset":7,"lag":3}]}],"#,
                r#""removed_groups":["old"]}"#
            ),
        );
    }

    #[test]
    fn live_kafka_errors_exact_json() {
        use crate::KafkaError;
        for (error, json) in [
            (KafkaError::CoordinatorNotAvailable, r#""COORDINATOR_NOT_AVAILABLE""#),
            (KafkaError::NotCoordinator, r#""NOT_COORDINATOR""#),
            (KafkaError::RequestTimedOut, r#""REQUEST_TIMED_OUT""#),
            (KafkaError::UnknownServerError, r#""UNKNOWN_SERVER_ERROR""#),
        ] {
            round_trip(&error, json);
        }
    }

    #[test]
    fn error_code_names_match_json() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.name()));
        }
    }
}
