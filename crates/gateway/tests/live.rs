//! The gateway against a real Kafka-protocol broker on loopback: what a
//! browser sees of topics, groups, gateway-owned consumers, rebalances and
//! commits, checked against an independent client.

mod support;

use std::time::Duration;

use offsetlab_protocol::{Command, CommitStrategy, EventKind, Frame, TopicPartition};
use support::{Broker, Gateway, committed_by_python, config};

fn start_consumer(consumer: &str, group: &str, extra: &[(&str, &str)], commit: CommitStrategy) -> Command {
    let mut config: std::collections::BTreeMap<String, String> =
        [("auto.offset.reset", "earliest")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for (k, v) in extra {
        config.insert(k.to_string(), v.to_string());
    }
    Command::StartConsumer {
        consumer: consumer.into(),
        group: Some(group.into()),
        config,
        processing_ms: 0,
        commit,
    }
}

async fn writable(broker: &Broker) -> (Gateway, support::Browser) {
    let mut config = config(&broker.bootstrap());
    config.allow_write = true;
    let gateway = Gateway::start(config).await;
    let mut browser = gateway.connect().await;
    assert!(matches!(browser.hello(None).await, Frame::Hello { read_only: false, .. }));
    (gateway, browser)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topics_watermarks_and_keyed_records() {
    let broker = Broker::start();
    let (gateway, mut browser) = writable(&broker).await;
    browser.request(Command::CreateTopic { topic: "orders".into(), partitions: 3 }).await.unwrap();
    browser.request(Command::Watch { topic: "orders".into(), window: 100 }).await.unwrap();
    for key in ["alice", "bob", "carol"] {
        browser
            .request(Command::Produce {
                topic: "orders".into(),
                partition: None,
                key: Some(key.into()),
                value: None,
                count: 4,
            })
            .await
            .unwrap();
    }
    browser
        .wait_for(Duration::from_secs(15), "watermarks summing to 12", |b| {
            (0..3).map(|p| b.high_watermark("orders", p).unwrap_or(0)).sum::<i64>() == 12
        })
        .await;
    browser.wait_for(Duration::from_secs(15), "12 records on the tail", |b| b.records_seen() == 12).await;
    // Java's partitioner: all records of one key in one partition, in order.
    for key in ["alice", "bob", "carol"] {
        let mut partitions = std::collections::BTreeSet::new();
        for event in &browser.events {
            if let EventKind::RecordsProduced { partition, records, .. } = &event.kind
                && records.iter().any(|r| r.key.as_deref() == Some(key))
            {
                partitions.insert(*partition);
            }
        }
        assert_eq!(partitions.len(), 1, "{key} in {partitions:?}");
    }
    // murmur2("alice") % 3, as Kafka's Java client computes it.
    let expected = offsetlab_model::partitioner::partition_for_key(b"alice", 3);
    assert!(browser.events.iter().any(|e| matches!(&e.kind,
        EventKind::RecordsProduced { partition, records, .. }
            if *partition == expected && records.iter().any(|r| r.key.as_deref() == Some("alice")))));
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_shares_partitions_and_close_moves_them() {
    let broker = Broker::start();
    let (gateway, mut browser) = writable(&broker).await;
    browser.request(Command::CreateTopic { topic: "t".into(), partitions: 4 }).await.unwrap();
    browser
        .request(Command::Produce { topic: "t".into(), partition: None, key: None, value: None, count: 40 })
        .await
        .unwrap();
    for c in ["c1", "c2"] {
        browser
            .request(start_consumer(c, "offsetlab.share", &[], CommitStrategy::SyncPerPoll))
            .await
            .unwrap();
        browser.request(Command::Subscribe { consumer: c.into(), topics: vec!["t".into()] }).await.unwrap();
    }
    browser
        .wait_for(Duration::from_secs(30), "c1 and c2 each holding 2 partitions", |b| {
            b.assignment("c1").len() == 2 && b.assignment("c2").len() == 2
        })
        .await;
    let mut all = browser.assignment("c1");
    all.extend(browser.assignment("c2"));
    all.sort();
    assert_eq!(all, (0..4).map(|p| ("t".to_string(), p)).collect::<Vec<_>>());
    // What a browser shows as c1's configuration names the real cluster,
    // so its console command and client code do.
    let started = browser.events.iter().find_map(|e| match &e.kind {
        EventKind::ConsumerStarted { consumer, config, .. } if consumer == "c1" => Some(config.clone()),
        _ => None,
    });
    let config = started.expect("c1's consumer_started event");
    assert_eq!(config.get("bootstrap.servers"), Some(&broker.bootstrap()), "{config:?}");
    assert_eq!(config.get("group.id").map(String::as_str), Some("offsetlab.share"));
    browser
        .wait_for(Duration::from_secs(20), "all 40 records processed", |b| {
            b.processed("c1") + b.processed("c2") == 40
        })
        .await;

    let closed_at = std::time::Instant::now();
    browser.request(Command::Close { consumer: "c1".into() }).await.unwrap();
    browser
        .wait_for(Duration::from_secs(15), "c2 holding all 4 partitions", |b| b.assignment("c2").len() == 4)
        .await;
    assert!(
        closed_at.elapsed() < Duration::from_secs(10),
        "close moved partitions in {:?}",
        closed_at.elapsed()
    );
    assert!(
        browser
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::ConsumerClosed { consumer } if consumer == "c1"))
    );

    // The commits, read back by an independent client.
    let committed = committed_by_python(&broker.bootstrap(), "offsetlab.share");
    let total: i64 = committed.iter().map(|(_, _, o)| o).sum();
    assert_eq!(total, 40, "{committed:?}");
    // The observer's picture of the group agrees.
    browser
        .wait_for(Duration::from_secs(10), "the observed group's committed offsets", |b| {
            b.cluster.groups.iter().any(|g| {
                g.group == "offsetlab.share"
                    && g.offsets.iter().map(|o| o.committed_offset).sum::<i64>() == 40
            })
        })
        .await;

    // A second group reads everything again.
    browser.request(start_consumer("other", "offsetlab.second", &[], CommitStrategy::Auto)).await.unwrap();
    browser.request(Command::Subscribe { consumer: "other".into(), topics: vec!["t".into()] }).await.unwrap();
    browser
        .wait_for(Duration::from_secs(30), "the second group reading all 40", |b| b.processed("other") == 40)
        .await;
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_moves_partitions_only_after_the_session_timeout() {
    let broker = Broker::start();
    let (gateway, mut browser) = writable(&broker).await;
    browser.request(Command::CreateTopic { topic: "t".into(), partitions: 2 }).await.unwrap();
    // Auto commit, but not before the crash: what c1 processed is read again (5.6.1).
    let session = [
        ("session.timeout.ms", "6000"),
        ("heartbeat.interval.ms", "500"),
        ("auto.commit.interval.ms", "60000"),
    ];
    for c in ["c1", "c2"] {
        browser.request(start_consumer(c, "offsetlab.crash", &session, CommitStrategy::Auto)).await.unwrap();
        browser.request(Command::Subscribe { consumer: c.into(), topics: vec!["t".into()] }).await.unwrap();
    }
    browser
        .wait_for(Duration::from_secs(30), "one partition each", |b| {
            b.assignment("c1").len() == 1 && b.assignment("c2").len() == 1
        })
        .await;
    // Records after the group settled: no rebalance commits them.
    for partition in 0..2 {
        browser
            .request(Command::Produce {
                topic: "t".into(),
                partition: Some(partition),
                key: None,
                value: None,
                count: 10,
            })
            .await
            .unwrap();
    }
    browser
        .wait_for(Duration::from_secs(30), "one partition each, all processed", |b| {
            b.assignment("c1").len() == 1
                && b.assignment("c2").len() == 1
                && b.processed("c1") + b.processed("c2") == 20
        })
        .await;
    let crashed_at = std::time::Instant::now();
    browser.request(Command::Crash { consumer: "c1".into() }).await.unwrap();
    // Nothing moves while the broker still thinks c1 is alive.
    browser.drain(Duration::from_secs(3)).await;
    assert_eq!(browser.assignment("c2").len(), 1, "c2 got c1's partition before the session timeout");
    browser
        .wait_for(Duration::from_secs(20), "c2 holding both partitions", |b| b.assignment("c2").len() == 2)
        .await;
    let moved_after = crashed_at.elapsed();
    // c2 reads c1's uncommitted records again: the gateway counts them as duplicates.
    browser
        .wait_for(Duration::from_secs(20), "c2 processing c1's records again", |b| b.processed("c2") == 20)
        .await;
    let redelivered: u32 = browser
        .events
        .iter()
        .map(|e| match &e.kind {
            EventKind::RecordsProcessed { consumer, redelivered, .. } if consumer == "c2" => *redelivered,
            _ => 0,
        })
        .sum();
    assert_eq!(redelivered, 10, "c1's ten records, processed again by c2");
    assert!(
        moved_after >= Duration::from_secs(5),
        "moved after {moved_after:?}, before the 6 s session timeout"
    );
    assert!(
        browser
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::ConsumerCrashed { consumer } if consumer == "c1"))
    );
    // A crashed consumer left no LeaveGroup and sent no close.
    assert!(
        !browser
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::ConsumerClosed { consumer } if consumer == "c1"))
    );
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seek_and_explicit_commits() {
    let broker = Broker::start();
    let (gateway, mut browser) = writable(&broker).await;
    browser.request(Command::CreateTopic { topic: "s".into(), partitions: 1 }).await.unwrap();
    browser
        .request(Command::Produce {
            topic: "s".into(),
            partition: Some(0),
            key: None,
            value: None,
            count: 10,
        })
        .await
        .unwrap();
    browser
        .request(start_consumer(
            "c",
            "offsetlab.seek",
            &[("enable.auto.commit", "false")],
            CommitStrategy::Auto,
        ))
        .await
        .unwrap();
    browser
        .request(Command::Assign { consumer: "c".into(), partitions: vec![TopicPartition::new("s", 0)] })
        .await
        .unwrap();
    browser.wait_for(Duration::from_secs(20), "10 records processed", |b| b.processed("c") == 10).await;
    browser
        .request(Command::Seek { consumer: "c".into(), partition: TopicPartition::new("s", 0), offset: 4 })
        .await
        .unwrap();
    browser.wait_for(Duration::from_secs(20), "6 records read again", |b| b.processed("c") == 16).await;
    browser
        .request(Command::CommitOffsets {
            consumer: "c".into(),
            offsets: vec![offsetlab_protocol::PartitionOffset { topic: "s".into(), partition: 0, offset: 7 }],
        })
        .await
        .unwrap();
    assert_eq!(committed_by_python(&broker.bootstrap(), "offsetlab.seek"), vec![("s".to_string(), 0, 7)]);
    let commits: Vec<_> =
        browser.events.iter().filter(|e| matches!(e.kind, EventKind::CommitCompleted { .. })).collect();
    assert!(
        commits.iter().any(|e| matches!(&e.kind,
            EventKind::CommitCompleted { consumer, error: None, offsets, .. } if consumer == "c" && offsets[0].offset == 7)),
        "{commits:#?}"
    );
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_stops_reading_stalls_no_one() {
    let broker = Broker::start();
    let (gateway, mut writer) = writable(&broker).await;
    writer.request(Command::CreateTopic { topic: "busy".into(), partitions: 4 }).await.unwrap();
    // A browser that watches the topic and then never reads its socket.
    let mut stalled = gateway.connect().await;
    stalled.hello(None).await;
    stalled.request(Command::Watch { topic: "busy".into(), window: 100 }).await.unwrap();
    let mut reader = gateway.connect().await;
    reader.hello(None).await;
    reader.request(Command::Watch { topic: "busy".into(), window: 100 }).await.unwrap();
    let value = "x".repeat(200);
    for _ in 0..10 {
        writer
            .request(Command::Produce {
                topic: "busy".into(),
                partition: None,
                key: None,
                value: Some(value.clone()),
                count: 10_000,
            })
            .await
            .unwrap();
    }
    // The reading browser gets all 100,000 records (~25 MB of frames) while
    // the other one has read nothing.
    reader
        .wait_for(Duration::from_secs(60), "all records on the reading browser", |b| {
            b.records_seen() == 100_000
        })
        .await;
    assert_eq!(stalled.records_seen(), 0);
    // The stalled browser's socket still works when it reads again.
    stalled.request(Command::SetRefresh { interval_ms: 1000 }).await.unwrap();
    gateway.stop().await;
}

/// Topic `a` (one partition, 6 records) and consumer `c` of `group`,
/// without auto commit, subscribed to it.
async fn six_records_and_consumer_c(browser: &mut support::Browser, group: &str, commit: CommitStrategy) {
    browser.request(Command::CreateTopic { topic: "a".into(), partitions: 1 }).await.unwrap();
    browser
        .request(Command::Produce { topic: "a".into(), partition: Some(0), key: None, value: None, count: 6 })
        .await
        .unwrap();
    browser.request(start_consumer("c", group, &[("enable.auto.commit", "false")], commit)).await.unwrap();
    browser.request(Command::Subscribe { consumer: "c".into(), topics: vec!["a".into()] }).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_async_without_polling_reaches_the_broker() {
    let broker = Broker::start();
    let (gateway, mut browser) = writable(&broker).await;
    six_records_and_consumer_c(&mut browser, "offsetlab.async", CommitStrategy::Auto).await;
    browser.wait_for(Duration::from_secs(20), "6 records processed", |b| b.processed("c") == 6).await;
    browser.request(Command::StopPolling { consumer: "c".into() }).await.unwrap();
    browser.request(Command::CommitAsync { consumer: "c".into() }).await.unwrap();
    // librdkafka sends the commit without a poll; only its callback waits for one.
    browser
        .wait_for(Duration::from_secs(10), "the observed committed offset", |b| {
            b.cluster
                .groups
                .iter()
                .any(|g| g.group == "offsetlab.async" && g.offsets.iter().any(|o| o.committed_offset == 6))
        })
        .await;
    assert_eq!(committed_by_python(&broker.bootstrap(), "offsetlab.async"), vec![("a".to_string(), 0, 6)]);
    gateway.stop().await;
}

/// The browser learns of the explicit sync commit (at 2) from the
/// consumer's event; of the commitAsync() right after it (at 6) only from
/// the observer, as its callback waits for a poll that never comes. The
/// broker holds the 2 for a few milliseconds, so the observer reads 6
/// before and after: the browser must still be told 6.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_seen_only_by_the_observer_replaces_a_reported_one() {
    let broker = Broker::start();
    let (gateway, mut browser) = writable(&broker).await;
    // Observations 2 s apart: the two commits nearly always fall between two of them.
    browser.request(Command::SetRefresh { interval_ms: 2000 }).await.unwrap();
    six_records_and_consumer_c(&mut browser, "offsetlab.unreported", CommitStrategy::SyncPerPoll).await;
    let key = ("offsetlab.unreported".to_string(), "a".to_string(), 0);
    browser
        .wait_for(Duration::from_secs(20), "6 processed, committed and observed", |b| {
            b.processed("c") == 6
                && b.cluster.groups.iter().any(|g| {
                    g.group == "offsetlab.unreported" && g.offsets.iter().any(|o| o.committed_offset == 6)
                })
        })
        .await;
    browser.request(Command::StopPolling { consumer: "c".into() }).await.unwrap();
    browser
        .request(Command::CommitOffsets {
            consumer: "c".into(),
            offsets: vec![offsetlab_protocol::PartitionOffset { topic: "a".into(), partition: 0, offset: 2 }],
        })
        .await
        .unwrap();
    browser.request(Command::CommitAsync { consumer: "c".into() }).await.unwrap();
    browser
        .wait_for(Duration::from_secs(10), "the browser to show the async commit", |b| {
            b.shown_committed.get(&key) == Some(&6)
        })
        .await;
    assert_eq!(
        committed_by_python(&broker.bootstrap(), "offsetlab.unreported"),
        vec![("a".to_string(), 0, 6)]
    );
    gateway.stop().await;
}
