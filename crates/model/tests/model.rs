//! Behaviour of the model, by the issue's numbered points.

mod common;

use std::collections::BTreeMap;

use common::*;
use offsetlab_model::partitioner::{murmur2, partition_for_key};
use offsetlab_model::{ConsumerSpec, ConsumerStatus, Input, KeyPattern, ModelError, ProducerSpec};
use offsetlab_protocol::{
    CommitKind, CommitStrategy, CommitTrigger, EventKind, EvictReason, GroupState, KafkaError, LeaveReason,
    PositionReason,
};

// 1. Sans-IO core ------------------------------------------------------------

#[test]
fn same_seed_and_inputs_give_the_same_events() {
    let run = |seed: u64| {
        let text = load("eager-vs-cooperative").replace("seed = 21", &format!("seed = {seed}"));
        let scenario = offsetlab_model::Scenario::parse(&text).unwrap();
        let mut out = Vec::new();
        scenario.run(20_000, |e| out.push(serde_json::to_string(e).unwrap())).unwrap();
        out
    };
    assert_eq!(run(21), run(21));
    assert_ne!(run(21), run(22), "the seed matters (member ids, random keys)");
}

#[test]
fn time_is_virtual_and_only_moves_forward() {
    let mut m = model(&[("t", 1)]);
    assert_eq!(m.next_wakeup(), None, "nothing scheduled");
    m.handle(Input::StartConsumer(group_consumer("c1", "g", &["t"])), 100).unwrap();
    assert_eq!(m.now(), 100);
    assert_eq!(m.next_wakeup(), Some(100));
    m.run_until(150);
    let err = m.handle(Input::Crash { consumer: "c1".into() }, 120).unwrap_err();
    assert!(matches!(err, ModelError::TimeWentBackwards { now: 120, current: 150 }));
    assert!(err.to_string().contains("backwards"));
    // Every event carries its virtual time, in order.
    let events = drain(&mut m);
    assert!(events.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    assert!(events.iter().all(|e| e.at_ms <= 150));
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let mut m = model(&[("t", 2)]);
    let cases = vec![
        Input::Crash { consumer: "nobody".into() },
        Input::Produce { topic: "nope".into(), partition: None, key: None, value: None, count: 1 },
        Input::Produce { topic: "t".into(), partition: Some(5), key: None, value: None, count: 1 },
        Input::DeleteRecords { partition: tp("t", 0), before_offset: 10 },
        Input::StartConsumer(ConsumerSpec::new("c").property("max.poll.records", "0")),
        Input::StartConsumer(ConsumerSpec::new("c").subscribe(["t"])),
        Input::StartConsumer(ConsumerSpec::new("c").commit(CommitStrategy::SyncPerPoll)),
        Input::StartConsumer(
            ConsumerSpec::new("c")
                .property("group.id", "g")
                .property("session.timeout.ms", "5000")
                .property("heartbeat.interval.ms", "1000"),
        ),
        Input::StartConsumer(ConsumerSpec::new("c").assign([tp("t", 9)])),
        Input::StartProducer(ProducerSpec::new("p", "t", 0)),
        Input::StartProducer(ProducerSpec {
            keys: KeyPattern::Cycle(vec![]),
            ..ProducerSpec::new("p", "t", 1)
        }),
        Input::ChangeConfig { consumer: "nobody".into(), changes: BTreeMap::new() },
    ];
    for input in cases {
        let shown = format!("{input:?}");
        let e = m.handle(input, 0).expect_err(&shown);
        assert!(!e.to_string().is_empty());
    }
    m.handle(Input::StartConsumer(group_consumer("c1", "g", &["t"])), 0).unwrap();
    assert!(matches!(
        m.handle(Input::StartConsumer(group_consumer("c1", "g", &["t"])), 0),
        Err(ModelError::ConsumerRunning(_))
    ));
}

// 2. Topics, logs, producers ---------------------------------------------------

#[test]
fn kafka_murmur2_test_vectors() {
    assert_eq!(murmur2(b"21"), -973_932_308);
    assert_eq!(murmur2(b"foobar"), -790_332_482);
    assert_eq!(murmur2(b"abc"), 479_470_107);
}

#[test]
fn keyed_records_go_where_java_puts_them_and_explicit_partitions_win() {
    let mut m = model(&[("t", 5)]);
    for key in ["a", "b", "user-17", "21"] {
        produce(&mut m, "t", None, Some(key), 1, 0);
    }
    produce(&mut m, "t", Some(3), Some("a"), 1, 0);
    let events = drain(&mut m);
    let placed: Vec<(Option<String>, i32)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RecordsProduced { partition, records, .. } => {
                Some((records[0].key.as_deref().map(str::to_string), *partition))
            }
            _ => None,
        })
        .collect();
    for (key, partition) in &placed[..4] {
        assert_eq!(*partition, partition_for_key(key.as_ref().unwrap().as_bytes(), 5));
    }
    assert_eq!(placed[4].1, 3);
}

#[test]
fn producers_follow_rate_count_and_key_patterns() {
    let mut m = model(&[("t", 3)]);
    let spec = ProducerSpec {
        count: Some(10),
        keys: KeyPattern::Cycle(vec!["x".into(), "y".into()]),
        ..ProducerSpec::new("p", "t", 4)
    };
    m.handle(Input::StartProducer(spec), 1000).unwrap();
    m.run_until(10_000);
    let events = drain(&mut m);
    let times: Vec<u64> =
        events.iter().filter(|e| e.kind.type_name() == "records_produced").map(|e| e.at_ms).collect();
    assert_eq!(
        times,
        vec![1000, 1250, 1500, 1750, 2000, 2250, 2500, 2750, 3000, 3250],
        "4 per second, 10 in all"
    );
    let total: i64 = m.topic_names().iter().map(|_| 0).sum::<i64>()
        + (0..3).map(|p| m.partition_log(&tp("t", p)).unwrap().high_watermark()).sum::<i64>();
    assert_eq!(total, 10);
    // Random keys draw from key-0..key-{n-1}; keyless records stick to a partition per batch.
    let mut m = model(&[("t", 4)]);
    m.handle(
        Input::StartProducer(ProducerSpec {
            count: Some(50),
            keys: KeyPattern::Random(3),
            ..ProducerSpec::new("r", "t", 1000)
        }),
        0,
    )
    .unwrap();
    m.handle(Input::StartProducer(ProducerSpec { count: Some(20), ..ProducerSpec::new("s", "t", 1000) }), 0)
        .unwrap();
    m.run_until(1000);
    let events = drain(&mut m);
    let mut keys = std::collections::BTreeSet::new();
    let mut sticky_partitions = std::collections::BTreeSet::new();
    for e in &events {
        if let EventKind::RecordsProduced { producer: Some(p), partition, records, .. } = &e.kind {
            for r in records {
                if p == "r" {
                    keys.insert(r.key.as_deref().unwrap().to_string());
                } else {
                    assert!(r.key.is_none());
                    sticky_partitions.insert(*partition);
                }
            }
        }
    }
    assert_eq!(keys.into_iter().collect::<Vec<_>>(), vec!["key-0", "key-1", "key-2"]);
    assert_eq!(sticky_partitions.len(), 1, "20 small records fit in one 16 KiB batch: one partition");
}

#[test]
fn delete_records_moves_the_log_start_and_out_of_range_positions_reset() {
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 10, 0);
    let spec = ConsumerSpec::new("c1")
        .property("group.id", "g")
        .property("auto.offset.reset", "earliest")
        .assign([tp("t", 0)])
        .processing_ms(1000)
        .property("max.poll.records", "1")
        .commit(CommitStrategy::SyncPerRecord)
        .property("enable.auto.commit", "false");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.run_until(2500);
    m.handle(Input::Crash { consumer: "c1".into() }, 2500).unwrap();
    m.handle(Input::DeleteRecords { partition: tp("t", 0), before_offset: 6 }, 3000).unwrap();
    assert_eq!(m.partition_log(&tp("t", 0)).unwrap().log_start_offset(), 6);
    let spec = m.consumer_spec("c1").unwrap().clone();
    m.handle(Input::StartConsumer(spec), 4000).unwrap();
    m.run_until(20_000);
    let events = drain(&mut m);
    let oor = first(&events, "offset_out_of_range").expect("committed 2 is below the log start 6");
    assert!(matches!(&oor.kind, EventKind::OffsetOutOfRange { offset: 2, log_start_offset: 6, .. }));
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::PositionChanged { offset: 6, reason: PositionReason::ResetEarliest, .. }
    )));
    // Records 2..6 were deleted before the group read them: lost to retention.
    let lost: u32 = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RecordsLost { count, .. } => Some(*count),
            _ => None,
        })
        .sum();
    assert_eq!(lost, 4);
    assert_eq!(m.accounting()["g"][&tp("t", 0)].lost, 4);
}

// 3. Consumer options and their visible effects --------------------------------

#[test]
fn max_poll_records_caps_every_poll() {
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 25, 0);
    m.handle(Input::StartConsumer(group_consumer("c1", "g", &["t"]).property("max.poll.records", "10")), 0)
        .unwrap();
    m.run_until(1000);
    let counts: Vec<u32> = drain(&mut m)
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PollReturned { count, .. } if *count > 0 => Some(*count),
            _ => None,
        })
        .collect();
    assert_eq!(counts, vec![10, 10, 5]);
}

#[test]
fn fetch_min_bytes_waits_for_data_or_fetch_max_wait_ms() {
    // Each record is 10 (overhead) + 1 (key) + 7 ("value-0") = 18 bytes.
    let mut m = model(&[("t", 1)]);
    let spec = ConsumerSpec::new("c1")
        .assign([tp("t", 0)])
        .property("auto.offset.reset", "earliest")
        .property("fetch.min.bytes", "50")
        .property("fetch.max.wait.ms", "2000");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    produce(&mut m, "t", Some(0), Some("k"), 1, 100);
    m.run_until(1000);
    let events = drain(&mut m);
    assert_eq!(
        count_kind(&events, "fetch_answered"),
        0,
        "18 bytes < fetch.min.bytes: the broker holds the fetch"
    );
    produce(&mut m, "t", Some(0), Some("k"), 2, 1200);
    m.run_until(1300);
    let events = drain(&mut m);
    let answer = first(&events, "fetch_answered").unwrap();
    assert_eq!(answer.at_ms, 1200, "54 bytes >= 50: answered as soon as they are there");
    assert!(matches!(&answer.kind, EventKind::FetchAnswered { waited_ms: 1200, .. }));
    // With too little data the answer comes after fetch.max.wait.ms.
    produce(&mut m, "t", Some(0), Some("k"), 1, 1500);
    m.run_until(6000);
    let events = drain(&mut m);
    let waits: Vec<u64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::FetchAnswered { waited_ms, .. } => Some(*waited_ms),
            _ => None,
        })
        .collect();
    assert!(waits.contains(&2000), "{waits:?}");
}

#[test]
fn fetch_byte_limits_cap_what_a_fetch_returns() {
    let mut m = model(&[("t", 2)]);
    // 18-byte records: 10 in each partition.
    produce(&mut m, "t", Some(0), Some("k"), 10, 0);
    produce(&mut m, "t", Some(1), Some("k"), 10, 0);
    let spec = ConsumerSpec::new("c1")
        .assign([tp("t", 0), tp("t", 1)])
        .property("auto.offset.reset", "earliest")
        .property("max.partition.fetch.bytes", "40")
        .property("fetch.max.bytes", "60");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.run_until(2);
    let events = drain(&mut m);
    let answer = first(&events, "fetch_answered").unwrap();
    let EventKind::FetchAnswered { partitions, .. } = &answer.kind else { unreachable!() };
    // Partition 0: 40 bytes per partition → 2 records (36 bytes); then 24 left of
    // fetch.max.bytes → 1 record from partition 1.
    assert_eq!(partitions.iter().map(|p| p.count).collect::<Vec<_>>(), vec![2, 1]);
    // One oversized record is still returned so that the consumer makes progress.
    let mut m = model(&[("t", 1)]);
    m.handle(
        Input::Produce {
            topic: "t".into(),
            partition: Some(0),
            key: None,
            value: Some("x".repeat(100)),
            count: 1,
        },
        0,
    )
    .unwrap();
    let spec = ConsumerSpec::new("c1")
        .assign([tp("t", 0)])
        .property("auto.offset.reset", "earliest")
        .property("max.partition.fetch.bytes", "10");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.run_until(5);
    assert_eq!(processed(&drain(&mut m), "c1"), vec![(0, 0)]);
}

#[test]
fn auto_offset_reset_earliest_latest_none() {
    for (reset, expect) in [("earliest", Some(0)), ("latest", Some(5)), ("none", None)] {
        let mut m = model(&[("t", 1)]);
        produce(&mut m, "t", Some(0), None, 5, 0);
        let spec = ConsumerSpec::new("c1")
            .property("group.id", "g")
            .property("auto.offset.reset", reset)
            .assign([tp("t", 0)]);
        m.handle(Input::StartConsumer(spec), 10).unwrap();
        m.run_until(500);
        let events = drain(&mut m);
        let view = m.consumer("c1").unwrap();
        match expect {
            Some(pos) => assert!(view.partitions[0].position >= Some(pos), "{reset}"),
            None => {
                assert!(first(&events, "no_offset_for_partition").is_some());
                assert_eq!(view.partitions[0].position, None);
                assert_eq!(count_kind(&events, "fetch_sent"), 0, "the partition is not fetched");
            }
        }
        if reset == "latest" {
            assert!(processed(&events, "c1").is_empty());
            assert_eq!(m.accounting()["g"][&tp("t", 0)].skipped, 5, "latest skips the existing records");
        }
    }
    // A seek gets a `none` consumer going again.
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 5, 0);
    let spec = ConsumerSpec::new("c1")
        .property("group.id", "g")
        .property("auto.offset.reset", "none")
        .assign([tp("t", 0)]);
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.handle(Input::Seek { consumer: "c1".into(), partition: tp("t", 0), offset: 2 }, 100).unwrap();
    m.run_until(500);
    assert_eq!(processed(&drain(&mut m), "c1"), vec![(0, 2), (0, 3), (0, 4)]);
}

#[test]
fn heartbeats_run_on_their_own_schedule_while_processing() {
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 3, 0);
    let spec =
        group_consumer("c1", "g", &["t"]).processing_ms(10_000).property("heartbeat.interval.ms", "2000");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.run_until(20_000);
    let events = drain(&mut m);
    let beats: Vec<u64> =
        events.iter().filter(|e| e.kind.type_name() == "heartbeat_sent").map(|e| e.at_ms).collect();
    assert_eq!(
        beats[..5],
        [2000, 4000, 6000, 8000, 10_000],
        "every heartbeat.interval.ms, processing or not"
    );
    assert_eq!(count_kind(&events, "member_evicted"), 0);
}

#[test]
fn a_crashed_member_is_evicted_after_session_timeout() {
    let mut m = model(&[("t", 2)]);
    let spec = |id: &str| group_consumer(id, "g", &["t"]).property("session.timeout.ms", "10000");
    m.handle(Input::StartConsumer(spec("c1")), 0).unwrap();
    m.handle(Input::StartConsumer(spec("c2")), 0).unwrap();
    m.run_until(5000);
    m.handle(Input::Crash { consumer: "c1".into() }, 5000).unwrap();
    m.run_until(40_000);
    let events = drain(&mut m);
    let ev = first(&events, "member_evicted").unwrap();
    let EventKind::MemberEvicted { consumer, reason, .. } = &ev.kind else { unreachable!() };
    assert_eq!((consumer.as_str(), *reason), ("c1", EvictReason::SessionTimeout));
    // c1's last heartbeat was at 3000 (then c2 joined; heartbeats every 3 s): 3000 + 10000.
    assert!(ev.at_ms > 5000 && ev.at_ms <= 15_000, "{}", ev.at_ms);
    assert_eq!(count_kind(&events, "member_left"), 0, "a crash sends no LeaveGroup");
    let g = m.group_view("g").unwrap();
    assert_eq!(g.members.len(), 1);
    assert_eq!(g.members[0].2.len(), 2, "c2 owns both partitions now");
}

#[test]
fn exceeding_max_poll_interval_makes_the_member_leave_and_its_commit_fail() {
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 2, 0);
    let slow = group_consumer("slow", "g", &["t"])
        .processing_ms(8000)
        .commit(CommitStrategy::SyncPerPoll)
        .property("enable.auto.commit", "false")
        .property("max.poll.interval.ms", "10000");
    m.handle(Input::StartConsumer(slow), 0).unwrap();
    m.handle(Input::StartConsumer(group_consumer("other", "g", &["t"])), 1).unwrap();
    m.run_until(40_000);
    let events = drain(&mut m);
    let left = first(&events, "member_left").unwrap();
    assert!(
        matches!(&left.kind, EventKind::MemberLeft { consumer, reason: LeaveReason::MaxPollIntervalExceeded, .. } if consumer == "slow")
    );
    assert_eq!(left.at_ms, 10_000, "no poll() for max.poll.interval.ms since the poll at 0");
    let failed = events.iter().find(|e| {
        matches!(&e.kind, EventKind::CommitCompleted { consumer, error: Some(KafkaError::UnknownMemberId), .. } if consumer == "slow")
    });
    assert!(failed.is_some(), "its commit after processing fails: the group moved on");
    assert!(first(&events, "partitions_lost").is_some());
    let dups: u64 = m.accounting()["g"].values().map(|a| a.duplicates).sum();
    assert!(dups > 0, "the other member processed them again");
}

#[test]
fn a_busy_member_delays_the_rebalance_until_its_next_poll() {
    let mut m = model(&[("t", 2)]);
    produce(&mut m, "t", Some(0), None, 1, 0);
    produce(&mut m, "t", Some(1), None, 1, 0);
    m.handle(Input::StartConsumer(group_consumer("busy", "g", &["t"]).processing_ms(20_000)), 0).unwrap();
    m.run_until(100);
    m.handle(Input::StartConsumer(group_consumer("new", "g", &["t"])), 1000).unwrap();
    m.run_until(60_000);
    let events = drain(&mut m);
    let done: Vec<u64> = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::RebalanceCompleted { generation: 2, .. }))
        .map(|e| e.at_ms)
        .collect();
    // busy polled at ~1 ms with 2 records × 20 s: its next poll() (and rejoin) is at ~40 s.
    assert_eq!(done.len(), 1);
    assert!(done[0] >= 40_000, "{done:?}");
}

#[test]
fn invalid_configs_are_rejected_with_the_key_named() {
    let mut m = model(&[("t", 1)]);
    let bad = [
        ("heartbeat.interval.ms", "60000", "heartbeat.interval.ms"),
        ("partition.assignment.strategy", "fair", "unknown assignor"),
        ("fetch.max.wait.ms", "-5", "at least 0"),
        ("session.timeout.ms", "2000000", "group.max.session.timeout.ms"),
    ];
    for (key, value, needle) in bad {
        let spec = group_consumer("c1", "g", &["t"]).property(key, value);
        let e = m.handle(Input::StartConsumer(spec), 0).unwrap_err().to_string();
        assert!(e.contains(needle), "{key}={value}: {e}");
    }
}

// 4. Commits --------------------------------------------------------------------

fn commit_triggers(events: &[offsetlab_protocol::Event], consumer: &str) -> Vec<(CommitKind, CommitTrigger)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CommitRequested { consumer: c, kind, trigger, .. } if c == consumer => {
                Some((*kind, *trigger))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn each_commit_strategy_commits_when_it_should() {
    for (strategy, expected) in [
        (CommitStrategy::SyncPerRecord, (CommitKind::Sync, CommitTrigger::AfterRecord, 6)),
        (CommitStrategy::SyncPerPoll, (CommitKind::Sync, CommitTrigger::AfterPoll, 2)),
        (CommitStrategy::AsyncPerPoll, (CommitKind::Async, CommitTrigger::AfterPoll, 2)),
        (CommitStrategy::SyncBeforeProcessing, (CommitKind::Sync, CommitTrigger::BeforeProcessing, 2)),
    ] {
        let mut m = model(&[("t", 1)]);
        produce(&mut m, "t", Some(0), None, 6, 0);
        let spec = group_consumer("c1", "g", &["t"])
            .commit(strategy)
            .property("enable.auto.commit", "false")
            .property("max.poll.records", "3")
            .processing_ms(10);
        m.handle(Input::StartConsumer(spec), 0).unwrap();
        m.run_until(3000);
        let events = drain(&mut m);
        let triggers = commit_triggers(&events, "c1");
        assert_eq!(triggers.len(), expected.2, "{strategy:?}: {triggers:?}");
        assert!(triggers.iter().all(|t| (t.0, t.1) == (expected.0, expected.1)), "{strategy:?}");
        assert_eq!(m.group_view("g").unwrap().committed[&tp("t", 0)], 6);
    }
}

#[test]
fn auto_commit_runs_on_the_interval_during_poll_and_on_close() {
    let mut m = model(&[("t", 1)]);
    let spec = group_consumer("c1", "g", &["t"]).property("auto.commit.interval.ms", "1000");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    produce(&mut m, "t", Some(0), None, 3, 10);
    m.run_until(2600);
    m.handle(Input::Close { consumer: "c1".into() }, 2600).unwrap();
    let events = drain(&mut m);
    let triggers = commit_triggers(&events, "c1");
    assert_eq!(triggers.iter().filter(|t| t.1 == CommitTrigger::Interval).count(), 2, "{triggers:?}");
    assert_eq!(triggers.last(), Some(&(CommitKind::Auto, CommitTrigger::Close)));
    assert!(first(&events, "member_left").is_some(), "close() sends LeaveGroup");
    assert_eq!(m.consumer("c1").unwrap().status, ConsumerStatus::Closed);
}

#[test]
fn commit_before_processing_then_crash_loses_records() {
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 10, 0);
    let spec = |id: &str| {
        group_consumer(id, "g", &["t"])
            .commit(CommitStrategy::SyncBeforeProcessing)
            .property("enable.auto.commit", "false")
            .property("session.timeout.ms", "6000")
            .property("heartbeat.interval.ms", "2000")
            .processing_ms(100)
    };
    m.handle(Input::StartConsumer(spec("c1")), 0).unwrap();
    m.run_until(350);
    m.handle(Input::Crash { consumer: "c1".into() }, 350).unwrap();
    m.handle(Input::StartConsumer(spec("c2")), 400).unwrap();
    m.run_until(30_000);
    let events = drain(&mut m);
    let lost: Vec<(i64, u32)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RecordsLost { first_offset, count, .. } => Some((*first_offset, *count)),
            _ => None,
        })
        .collect();
    // c1 committed 10 at ~1 ms, processed 0..=2, crashed holding 3..=9.
    assert_eq!(lost, vec![(3, 7)]);
    assert_eq!(m.accounting()["g"][&tp("t", 0)].lost, 7);
    assert!(processed(&events, "c2").is_empty(), "c2 starts at the committed offset 10");
}

#[test]
fn crash_is_not_close() {
    let mut m = model(&[("t", 2)]);
    m.handle(Input::StartConsumer(group_consumer("a", "g", &["t"])), 0).unwrap();
    m.handle(Input::StartConsumer(group_consumer("b", "g", &["t"])), 0).unwrap();
    m.run_until(4000);
    drain(&mut m);
    m.handle(Input::Crash { consumer: "a".into() }, 4000).unwrap();
    let events = drain(&mut m);
    assert_eq!(count_kind(&events, "commit_requested"), 0);
    assert_eq!(count_kind(&events, "member_left"), 0);
    m.handle(Input::Close { consumer: "b".into() }, 4100).unwrap();
    let events = drain(&mut m);
    assert!(first(&events, "commit_requested").is_some(), "close() auto-commits");
    assert!(first(&events, "member_left").is_some(), "close() sends LeaveGroup");
    assert!(first(&events, "partitions_revoked").is_some());
}

// 5. Groups -----------------------------------------------------------------------

#[test]
fn group_states_generations_and_the_initial_delay() {
    let mut m = model_with(&[("t", 4)], 3000);
    m.handle(Input::StartConsumer(group_consumer("c1", "g", &["t"])), 0).unwrap();
    m.handle(Input::StartConsumer(group_consumer("c2", "g", &["t"])), 1000).unwrap();
    m.run_until(10_000);
    let events = drain(&mut m);
    let states: Vec<(u64, GroupState, i32)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::GroupStateChanged { to, generation, .. } => Some((e.at_ms, *to, *generation)),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
        vec![
            (0, GroupState::PreparingRebalance, 0),
            (4000, GroupState::CompletingRebalance, 1),
            (4000, GroupState::Stable, 1),
        ],
        "the second join at 1 s extends group.initial.rebalance.delay.ms to 4 s; one rebalance for both"
    );
    let g = m.group_view("g").unwrap();
    assert_eq!(g.generation, 1);
    assert_eq!(g.assignor.as_deref(), Some("range"));
    // Leave → PreparingRebalance → new generation; last member leaves → Empty.
    m.handle(Input::Close { consumer: "c1".into() }, 10_000).unwrap();
    m.run_until(20_000);
    m.handle(Input::Close { consumer: "c2".into() }, 20_000).unwrap();
    let g = m.group_view("g").unwrap();
    assert_eq!(g.state, GroupState::Empty);
    assert_eq!(g.generation, 3);
}

#[test]
fn more_members_than_partitions_leaves_some_idle() {
    let mut m = model_with(&[("t", 2)], 3000);
    for c in ["c1", "c2", "c3"] {
        m.handle(Input::StartConsumer(group_consumer(c, "g", &["t"])), 0).unwrap();
    }
    m.run_until(5000);
    let g = m.group_view("g").unwrap();
    let sizes: Vec<usize> = g.members.iter().map(|(_, _, ps)| ps.len()).collect();
    assert_eq!(sizes, vec![1, 1, 0]);
}

#[test]
fn several_groups_read_independently() {
    let mut m = model(&[("t", 2)]);
    produce(&mut m, "t", Some(0), None, 5, 0);
    produce(&mut m, "t", Some(1), None, 5, 0);
    m.handle(Input::StartConsumer(group_consumer("a1", "a", &["t"])), 0).unwrap();
    m.handle(Input::StartConsumer(group_consumer("b1", "b", &["t"])), 0).unwrap();
    m.run_until(1000);
    m.handle(Input::Crash { consumer: "a1".into() }, 1000).unwrap();
    m.run_until(2000);
    let events = drain(&mut m);
    assert_eq!(processed(&events, "a1").len(), 10);
    assert_eq!(processed(&events, "b1").len(), 10);
    assert_eq!(m.group_view("b").unwrap().members.len(), 1, "a crash in group a does not touch group b");
}

#[test]
fn static_membership_restart_within_session_timeout_causes_no_rebalance() {
    let mut m = model(&[("t", 2)]);
    let spec = |id: &str, inst: &str| group_consumer(id, "g", &["t"]).property("group.instance.id", inst);
    m.handle(Input::StartConsumer(spec("c1", "i1")), 0).unwrap();
    m.handle(Input::StartConsumer(spec("c2", "i2")), 0).unwrap();
    m.run_until(5000);
    let before = m.group_view("g").unwrap();
    drain(&mut m);
    m.handle(Input::Close { consumer: "c1".into() }, 5000).unwrap();
    m.run_until(20_000);
    m.handle(Input::StartConsumer(spec("c1", "i1")), 20_000).unwrap();
    m.run_until(30_000);
    let events = drain(&mut m);
    assert_eq!(count_kind(&events, "member_left"), 0, "static members send no LeaveGroup on close");
    assert_eq!(count_kind(&events, "rebalance_started"), 0);
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::MemberJoined { static_rejoin: true, .. })));
    let after = m.group_view("g").unwrap();
    assert_eq!(after.generation, before.generation);
    let owned =
        |g: &offsetlab_model::GroupView, c: &str| g.members.iter().find(|x| x.1 == c).unwrap().2.clone();
    assert_eq!(owned(&after, "c1"), owned(&before, "c1"), "the same partitions come back");
    // Not back within session.timeout.ms (45 s): evicted, rebalance.
    m.handle(Input::Crash { consumer: "c1".into() }, 30_000).unwrap();
    m.run_until(90_000);
    let events = drain(&mut m);
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::MemberEvicted { reason: EvictReason::SessionTimeout, .. }))
    );
    assert!(m.group_view("g").unwrap().generation > before.generation);
}

#[test]
fn assignors_are_selected_by_vote_and_inconsistent_protocols_fail() {
    let mut m = model(&[("t", 4)]);
    let rr = |id: &str| {
        group_consumer(id, "g", &["t"]).property("partition.assignment.strategy", "roundrobin,range")
    };
    m.handle(Input::StartConsumer(rr("c1")), 0).unwrap();
    m.handle(Input::StartConsumer(rr("c2")), 0).unwrap();
    m.run_until(5000);
    assert_eq!(m.group_view("g").unwrap().assignor.as_deref(), Some("roundrobin"));
    let sticky = group_consumer("c3", "g", &["t"]).property("partition.assignment.strategy", "sticky");
    m.handle(Input::StartConsumer(sticky), 5000).unwrap();
    m.run_until(6000);
    let events = drain(&mut m);
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::ConsumerFailed { consumer, error: KafkaError::InconsistentGroupProtocol } if consumer == "c3")));
    assert_eq!(m.consumer("c3").unwrap().status, ConsumerStatus::Failed);
}

#[test]
fn assignments_match_the_assignor_and_one_owner_per_partition() {
    let mut m = model_with(&[("a", 3), ("b", 2)], 3000);
    for c in ["c1", "c2"] {
        m.handle(Input::StartConsumer(group_consumer(c, "g", &["a", "b"])), 0).unwrap();
    }
    m.run_until(5000);
    let g = m.group_view("g").unwrap();
    // Range per topic: a → 2 + 1, b → 1 + 1.
    let names: Vec<Vec<String>> =
        g.members.iter().map(|(_, _, ps)| ps.iter().map(|p| p.to_string()).collect()).collect();
    assert_eq!(names, vec![vec!["a-0", "a-1", "b-0"], vec!["a-2", "b-1"]]);
}

// 6. Manual assignment, seeking, pausing ----------------------------------------

#[test]
fn pause_stops_fetching_and_resume_continues() {
    let mut m = model(&[("t", 2)]);
    let spec =
        ConsumerSpec::new("c1").assign([tp("t", 0), tp("t", 1)]).property("auto.offset.reset", "earliest");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.handle(Input::Pause { consumer: "c1".into(), partitions: vec![tp("t", 1)] }, 10).unwrap();
    produce(&mut m, "t", Some(0), None, 3, 20);
    produce(&mut m, "t", Some(1), None, 3, 20);
    m.run_until(2000);
    let events = drain(&mut m);
    assert!(processed(&events, "c1").iter().all(|(p, _)| *p == 0));
    assert_eq!(processed(&events, "c1").len(), 3);
    m.handle(Input::Resume { consumer: "c1".into(), partitions: vec![tp("t", 1)] }, 2000).unwrap();
    m.run_until(3000);
    let events = drain(&mut m);
    assert_eq!(processed(&events, "c1"), vec![(1, 0), (1, 1), (1, 2)]);
}

#[test]
fn seek_to_beginning_and_end_and_illegal_seeks() {
    let mut m = model(&[("t", 2)]);
    produce(&mut m, "t", Some(0), None, 4, 0);
    let spec = ConsumerSpec::new("c1").assign([tp("t", 0)]).property("auto.offset.reset", "earliest");
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.run_until(100);
    m.handle(Input::SeekToBeginning { consumer: "c1".into(), partitions: vec![] }, 100).unwrap();
    // The fetch already in flight (sent at 1 ms, held up to 500 ms) is
    // dropped on arrival because the position moved; then it reads from 0.
    m.run_until(1000);
    let events = drain(&mut m);
    assert_eq!(processed(&events, "c1").len(), 8, "read twice");
    assert_eq!(m.accounting()["c1"][&tp("t", 0)].duplicates, 4);
    produce(&mut m, "t", Some(0), None, 4, 1000);
    m.handle(Input::SeekToEnd { consumer: "c1".into(), partitions: vec![tp("t", 0)] }, 1000).unwrap();
    m.run_until(2000);
    let events = drain(&mut m);
    assert!(processed(&events, "c1").is_empty());
    assert_eq!(m.accounting()["c1"][&tp("t", 0)].skipped, 4);
    // Seeking a partition that is not assigned: IllegalStateException.
    m.handle(Input::Seek { consumer: "c1".into(), partition: tp("t", 1), offset: 0 }, 2000).unwrap();
    let events = drain(&mut m);
    assert!(
        matches!(&first(&events, "illegal_state").unwrap().kind, EventKind::IllegalState { message, .. } if message.contains("t-1"))
    );
    assert!(
        m.handle(Input::Seek { consumer: "c1".into(), partition: tp("t", 0), offset: -1 }, 2000).is_err()
    );
}

#[test]
fn assign_and_subscribe_are_mutually_exclusive_both_ways() {
    let mut m = model(&[("t", 1)]);
    m.handle(Input::StartConsumer(group_consumer("c1", "g", &["t"])), 0).unwrap();
    m.handle(Input::Assign { consumer: "c1".into(), partitions: vec![tp("t", 0)] }, 10).unwrap();
    let events = drain(&mut m);
    assert!(first(&events, "illegal_state").is_some());
    // After unsubscribe(), assign() is fine.
    m.handle(Input::Unsubscribe { consumer: "c1".into() }, 20).unwrap();
    m.handle(Input::Assign { consumer: "c1".into(), partitions: vec![tp("t", 0)] }, 30).unwrap();
    let events = drain(&mut m);
    assert!(first(&events, "manually_assigned").is_some());
    assert_eq!(count_kind(&events, "illegal_state"), 0);
}

#[test]
fn stop_polling_and_change_config() {
    let mut m = model(&[("t", 1)]);
    m.handle(
        Input::StartConsumer(group_consumer("c1", "g", &["t"]).property("max.poll.interval.ms", "5000")),
        0,
    )
    .unwrap();
    m.run_until(1000);
    m.handle(Input::StopPolling { consumer: "c1".into() }, 1000).unwrap();
    m.run_until(7000);
    let events = drain(&mut m);
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::MemberLeft { reason: LeaveReason::MaxPollIntervalExceeded, .. }
    )));
    m.handle(Input::ResumePolling { consumer: "c1".into() }, 7000).unwrap();
    m.run_until(8000);
    let events = drain(&mut m);
    assert!(first(&events, "join_group_sent").is_some(), "rejoins at its next poll()");
    let changes = BTreeMap::from([("max.poll.records".to_string(), "7".to_string())]);
    m.handle(Input::ChangeConfig { consumer: "c1".into(), changes: changes.clone() }, 9000).unwrap();
    let events = drain(&mut m);
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.type_name()).collect();
    let i = kinds.iter().position(|k| *k == "consumer_config_changed").unwrap();
    assert!(kinds[i..].contains(&"consumer_closed") && kinds[i..].contains(&"consumer_started"), "{kinds:?}");
    let started = events.iter().rev().find(|e| e.kind.type_name() == "consumer_started").unwrap();
    assert!(
        matches!(&started.kind, EventKind::ConsumerStarted { config, .. } if config["max.poll.records"] == "7")
    );
    let bad = BTreeMap::from([("max.poll.records".to_string(), "zero".to_string())]);
    assert!(m.handle(Input::ChangeConfig { consumer: "c1".into(), changes: bad }, 9000).is_err());
}

#[test]
fn cursors_position_processed_committed() {
    let mut m = model(&[("t", 1)]);
    produce(&mut m, "t", Some(0), None, 10, 0);
    let spec = group_consumer("c1", "g", &["t"])
        .property("max.poll.records", "4")
        .property("enable.auto.commit", "false")
        .commit(CommitStrategy::SyncPerPoll)
        .processing_ms(100);
    m.handle(Input::StartConsumer(spec), 0).unwrap();
    m.run_until(251);
    let c = m.consumer("c1").unwrap();
    let p = &c.partitions[0];
    // Poll at 1 ms returned 0..=3; two processed by 201 ms; nothing committed yet.
    assert_eq!((p.position, p.processed, p.committed), (Some(4), Some(2), None));
    m.run_until(402);
    let p = m.consumer("c1").unwrap().partitions[0].clone();
    assert_eq!((p.position, p.processed, p.committed), (Some(8), Some(4), Some(4)));
}
