//! Exact JSON of every event variant: the wire format is a contract with the
//! front end and the gateway, so any change must show up here.

use std::collections::BTreeMap;
use std::sync::Arc;

use offsetlab_protocol::*;

fn tp(topic: &str, partition: i32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

fn po(topic: &str, partition: i32, offset: i64) -> PartitionOffset {
    PartitionOffset { topic: topic.into(), partition, offset }
}

fn kinds() -> Vec<EventKind> {
    let c = || "c1".to_string();
    let g = || "g1".to_string();
    vec![
        EventKind::ModelStarted { seed: 42 },
        EventKind::TopicCreated { topic: "orders".into(), partitions: 3 },
        EventKind::RecordsProduced {
            producer: Some("p1".into()),
            topic: "orders".into(),
            partition: 1,
            first_offset: 10,
            records: vec![
                ProducedRecord { key: Some(Arc::from("a")), value: Arc::from("p1-0") },
                ProducedRecord { key: None, value: Arc::from("p1-1") },
            ],
        },
        EventKind::RecordsDeleted { topic: "orders".into(), partition: 0, log_start_offset: 5 },
        EventKind::ConsumerStarted {
            consumer: c(),
            group: Some(g()),
            config: BTreeMap::from([("max.poll.records".to_string(), "10".to_string())]),
            processing_ms: 100,
            commit: CommitStrategy::SyncPerPoll,
        },
        EventKind::Subscribed { consumer: c(), topics: vec!["orders".into()] },
        EventKind::Unsubscribed { consumer: c() },
        EventKind::ManuallyAssigned { consumer: c(), partitions: vec![tp("orders", 0)] },
        EventKind::FetchSent { consumer: c(), partitions: vec![po("orders", 0, 5)] },
        EventKind::FetchAnswered {
            consumer: c(),
            waited_ms: 500,
            partitions: vec![FetchedRange {
                topic: "orders".into(),
                partition: 0,
                first_offset: 5,
                count: 2,
                bytes: 40,
                high_watermark: 7,
                log_start_offset: 0,
            }],
        },
        EventKind::PollReturned {
            consumer: c(),
            count: 2,
            records: vec![PolledRange {
                topic: "orders".into(),
                partition: 0,
                first_offset: 5,
                count: 2,
                keys: vec![Some(Arc::from("k")), None],
            }],
        },
        EventKind::RecordsProcessed {
            consumer: c(),
            topic: "orders".into(),
            partition: 0,
            first_offset: 5,
            count: 2,
            redelivered: 1,
        },
        EventKind::RecordsLost {
            group: g(),
            topic: "orders".into(),
            partition: 0,
            first_offset: 3,
            count: 2,
        },
        EventKind::CommitRequested {
            consumer: c(),
            group: g(),
            kind: CommitKind::Auto,
            trigger: CommitTrigger::Interval,
            offsets: vec![po("orders", 0, 7)],
        },
        EventKind::CommitCompleted {
            consumer: c(),
            group: g(),
            kind: CommitKind::Sync,
            offsets: vec![po("orders", 0, 7)],
            error: Some(KafkaError::IllegalGeneration),
        },
        EventKind::HeartbeatSent { consumer: c(), group: g(), member_id: "c1-00ab".into(), generation: 2 },
        EventKind::HeartbeatAnswered {
            consumer: c(),
            group: g(),
            error: Some(KafkaError::RebalanceInProgress),
        },
        EventKind::JoinGroupSent {
            consumer: c(),
            group: g(),
            member_id: String::new(),
            group_instance_id: Some("i1".into()),
            strategies: vec!["range".into(), "cooperative-sticky".into()],
            owned_partitions: vec![tp("orders", 1)],
        },
        EventKind::JoinGroupAnswered {
            consumer: c(),
            group: g(),
            member_id: "c1-00ab".into(),
            generation: 3,
            leader: "c1-00ab".into(),
            error: None,
        },
        EventKind::MemberJoined {
            group: g(),
            member_id: "c1-00ab".into(),
            consumer: c(),
            group_instance_id: None,
            static_rejoin: false,
        },
        EventKind::MemberLeft {
            group: g(),
            member_id: "c1-00ab".into(),
            consumer: c(),
            reason: LeaveReason::MaxPollIntervalExceeded,
        },
        EventKind::MemberEvicted {
            group: g(),
            member_id: "c1-00ab".into(),
            consumer: c(),
            reason: EvictReason::SessionTimeout,
        },
        EventKind::GroupStateChanged {
            group: g(),
            from: GroupState::Stable,
            to: GroupState::PreparingRebalance,
            generation: 3,
        },
        EventKind::RebalanceStarted { group: g(), generation: 3, reason: "member c2-01 is joining".into() },
        EventKind::RebalanceCompleted {
            group: g(),
            generation: 4,
            protocol: RebalanceProtocol::Cooperative,
            assignor: "cooperative-sticky".into(),
            leader: "c1-00ab".into(),
            assignments: vec![MemberAssignment {
                member_id: "c1-00ab".into(),
                consumer: c(),
                partitions: vec![tp("orders", 0)],
            }],
        },
        EventKind::PartitionsRevoked { consumer: c(), group: g(), partitions: vec![tp("orders", 2)] },
        EventKind::PartitionsAssigned {
            consumer: c(),
            group: g(),
            generation: 4,
            partitions: vec![tp("orders", 0)],
            assignment: vec![tp("orders", 0), tp("orders", 1)],
        },
        EventKind::PartitionsLost { consumer: c(), group: g(), partitions: vec![tp("orders", 1)] },
        EventKind::PositionChanged {
            consumer: c(),
            topic: "orders".into(),
            partition: 0,
            offset: 12,
            reason: PositionReason::SeekToBeginning,
        },
        EventKind::Paused { consumer: c(), partitions: vec![tp("orders", 0)] },
        EventKind::Resumed { consumer: c(), partitions: vec![tp("orders", 0)] },
        EventKind::PollingStopped { consumer: c() },
        EventKind::PollingResumed { consumer: c() },
        EventKind::ConsumerCrashed { consumer: c() },
        EventKind::ConsumerClosed { consumer: c() },
        EventKind::ConsumerConfigChanged {
            consumer: c(),
            changes: BTreeMap::from([("max.poll.records".to_string(), "1".to_string())]),
        },
        EventKind::NoOffsetForPartition { consumer: c(), topic: "orders".into(), partition: 1 },
        EventKind::OffsetOutOfRange {
            consumer: c(),
            topic: "orders".into(),
            partition: 0,
            offset: 2,
            log_start_offset: 5,
            high_watermark: 9,
        },
        EventKind::IllegalState { consumer: c(), message: "mutually exclusive".into() },
        EventKind::ConsumerFailed { consumer: c(), error: KafkaError::FencedInstanceId },
        EventKind::ClusterObserved {
            observation: ClusterObservation {
                at_ms: 7,
                full: false,
                topics: vec![ObservedTopic {
                    topic: "orders".into(),
                    partition_count: 3,
                    partitions: vec![ObservedPartition {
                        partition: 1,
                        log_start_offset: 0,
                        high_watermark: 12,
                    }],
                }],
                removed_topics: vec![],
                groups: vec![],
                removed_groups: vec!["old".into()],
            },
        },
    ]
}

const EXPECTED: &[&str] = &[
    r#"{"at_ms":7,"type":"model_started","seed":42}"#,
    r#"{"at_ms":7,"type":"topic_created","topic":"orders","partitions":3}"#,
    r#"{"at_ms":7,"type":"records_produced","producer":"p1","topic":"orders","partition":1,"first_offset":10,"records":[{"key":"a","value":"p1-0"},{"key":null,"value":"p1-1"}]}"#,
    r#"{"at_ms":7,"type":"records_deleted","topic":"orders","partition":0,"log_start_offset":5}"#,
    r#"{"at_ms":7,"type":"consumer_started","consumer":"c1","group":"g1","config":{"max.poll.records":"10"},"processing_ms":100,"commit":"sync_per_poll"}"#,
    r#"{"at_ms":7,"type":"subscribed","consumer":"c1","topics":["orders"]}"#,
    r#"{"at_ms":7,"type":"unsubscribed","consumer":"c1"}"#,
    r#"{"at_ms":7,"type":"manually_assigned","consumer":"c1","partitions":[{"topic":"orders","partition":0}]}"#,
    r#"{"at_ms":7,"type":"fetch_sent","consumer":"c1","partitions":[{"topic":"orders","partition":0,"offset":5}]}"#,
    r#"{"at_ms":7,"type":"fetch_answered","consumer":"c1","waited_ms":500,"partitions":[{"topic":"orders","partition":0,"first_offset":5,"count":2,"bytes":40,"high_watermark":7,"log_start_offset":0}]}"#,
    r#"{"at_ms":7,"type":"poll_returned","consumer":"c1","count":2,"records":[{"topic":"orders","partition":0,"first_offset":5,"count":2,"keys":["k",null]}]}"#,
    r#"{"at_ms":7,"type":"records_processed","consumer":"c1","topic":"orders","partition":0,"first_offset":5,"count":2,"redelivered":1}"#,
    r#"{"at_ms":7,"type":"records_lost","group":"g1","topic":"orders","partition":0,"first_offset":3,"count":2}"#,
    r#"{"at_ms":7,"type":"commit_requested","consumer":"c1","group":"g1","kind":"auto","trigger":"interval","offsets":[{"topic":"orders","partition":0,"offset":7}]}"#,
    r#"{"at_ms":7,"type":"commit_completed","consumer":"c1","group":"g1","kind":"sync","offsets":[{"topic":"orders","partition":0,"offset":7}],"error":"ILLEGAL_GENERATION"}"#,
    r#"{"at_ms":7,"type":"heartbeat_sent","consumer":"c1","group":"g1","member_id":"c1-00ab","generation":2}"#,
    r#"{"at_ms":7,"type":"heartbeat_answered","consumer":"c1","group":"g1","error":"REBALANCE_IN_PROGRESS"}"#,
    r#"{"at_ms":7,"type":"join_group_sent","consumer":"c1","group":"g1","member_id":"","group_instance_id":"i1","strategies":["range","cooperative-sticky"],"owned_partitions":[{"topic":"orders","partition":1}]}"#,
    r#"{"at_ms":7,"type":"join_group_answered","consumer":"c1","group":"g1","member_id":"c1-00ab","generation":3,"leader":"c1-00ab","error":null}"#,
    r#"{"at_ms":7,"type":"member_joined","group":"g1","member_id":"c1-00ab","consumer":"c1","group_instance_id":null,"static_rejoin":false}"#,
    r#"{"at_ms":7,"type":"member_left","group":"g1","member_id":"c1-00ab","consumer":"c1","reason":"max_poll_interval_exceeded"}"#,
    r#"{"at_ms":7,"type":"member_evicted","group":"g1","member_id":"c1-00ab","consumer":"c1","reason":"session_timeout"}"#,
    r#"{"at_ms":7,"type":"group_state_changed","group":"g1","from":"Stable","to":"PreparingRebalance","generation":3}"#,
    r#"{"at_ms":7,"type":"rebalance_started","group":"g1","generation":3,"reason":"member c2-01 is joining"}"#,
    r#"{"at_ms":7,"type":"rebalance_completed","group":"g1","generation":4,"protocol":"cooperative","assignor":"cooperative-sticky","leader":"c1-00ab","assignments":[{"member_id":"c1-00ab","consumer":"c1","partitions":[{"topic":"orders","partition":0}]}]}"#,
    r#"{"at_ms":7,"type":"partitions_revoked","consumer":"c1","group":"g1","partitions":[{"topic":"orders","partition":2}]}"#,
    r#"{"at_ms":7,"type":"partitions_assigned","consumer":"c1","group":"g1","generation":4,"partitions":[{"topic":"orders","partition":0}],"assignment":[{"topic":"orders","partition":0},{"topic":"orders","partition":1}]}"#,
    r#"{"at_ms":7,"type":"partitions_lost","consumer":"c1","group":"g1","partitions":[{"topic":"orders","partition":1}]}"#,
    r#"{"at_ms":7,"type":"position_changed","consumer":"c1","topic":"orders","partition":0,"offset":12,"reason":"seek_to_beginning"}"#,
    r#"{"at_ms":7,"type":"paused","consumer":"c1","partitions":[{"topic":"orders","partition":0}]}"#,
    r#"{"at_ms":7,"type":"resumed","consumer":"c1","partitions":[{"topic":"orders","partition":0}]}"#,
    r#"{"at_ms":7,"type":"polling_stopped","consumer":"c1"}"#,
    r#"{"at_ms":7,"type":"polling_resumed","consumer":"c1"}"#,
    r#"{"at_ms":7,"type":"consumer_crashed","consumer":"c1"}"#,
    r#"{"at_ms":7,"type":"consumer_closed","consumer":"c1"}"#,
    r#"{"at_ms":7,"type":"consumer_config_changed","consumer":"c1","changes":{"max.poll.records":"1"}}"#,
    r#"{"at_ms":7,"type":"no_offset_for_partition","consumer":"c1","topic":"orders","partition":1}"#,
    r#"{"at_ms":7,"type":"offset_out_of_range","consumer":"c1","topic":"orders","partition":0,"offset":2,"log_start_offset":5,"high_watermark":9}"#,
    r#"{"at_ms":7,"type":"illegal_state","consumer":"c1","message":"mutually exclusive"}"#,
    r#"{"at_ms":7,"type":"consumer_failed","consumer":"c1","error":"FENCED_INSTANCE_ID"}"#,
    r#"{"at_ms":7,"type":"cluster_observed","observation":{"at_ms":7,"full":false,"topics":[{"topic":"orders","partition_count":3,"partitions":[{"partition":1,"log_start_offset":0,"high_watermark":12}]}],"removed_topics":[],"groups":[],"removed_groups":["old"]}}"#,
];

#[test]
fn every_variant_has_exact_json_and_round_trips() {
    let mut seen = std::collections::BTreeSet::new();
    for (kind, json) in kinds().into_iter().zip(EXPECTED.iter().copied()) {
        seen.insert(kind.type_name());
        let event = Event { at_ms: 7, kind };
        assert_eq!(serde_json::to_string(&event).unwrap(), json);
        let back: Event = serde_json::from_str(json).unwrap();
        assert_eq!(back, event, "{json}");
    }
    assert_eq!(kinds().len(), EXPECTED.len());
    assert_eq!(seen.len(), 41, "every variant needs a case; have {seen:?}");
}

#[test]
fn every_name_is_its_json() {
    names_are_json(&KafkaError::ALL, KafkaError::name);
    names_are_json(&GroupState::ALL, GroupState::name);
    for s in GroupState::ALL {
        assert_eq!(GroupState::from_name(s.name()), Some(s));
    }
    names_are_json(&[RebalanceProtocol::Eager, RebalanceProtocol::Cooperative], RebalanceProtocol::name);
    names_are_json(
        &[LeaveReason::Close, LeaveReason::Unsubscribe, LeaveReason::MaxPollIntervalExceeded],
        LeaveReason::name,
    );
    names_are_json(
        &[EvictReason::SessionTimeout, EvictReason::RebalanceTimeout, EvictReason::Fenced],
        EvictReason::name,
    );
    names_are_json(
        &[
            PositionReason::Committed,
            PositionReason::ResetEarliest,
            PositionReason::ResetLatest,
            PositionReason::Seek,
            PositionReason::SeekToBeginning,
            PositionReason::SeekToEnd,
        ],
        PositionReason::name,
    );
    names_are_json(&[CommitKind::Auto, CommitKind::Sync, CommitKind::Async], CommitKind::name);
    names_are_json(
        &[
            CommitTrigger::Interval,
            CommitTrigger::Rebalance,
            CommitTrigger::Close,
            CommitTrigger::AfterRecord,
            CommitTrigger::AfterPoll,
            CommitTrigger::BeforeProcessing,
            CommitTrigger::Action,
        ],
        CommitTrigger::name,
    );
}

/// Each value's `name()` is exactly its JSON string.
fn names_are_json<T: serde::Serialize + Copy + std::fmt::Debug>(values: &[T], name: fn(T) -> &'static str) {
    for &value in values {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, format!("\"{}\"", name(value)), "{value:?}");
    }
}
