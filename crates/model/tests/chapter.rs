//! The chapter, reproduced: every section of the source notes that the model
//! must teach, run from the built-in scenario files.

// Native tests: std's sorts stay out of the wasm (clippy.toml).
#![allow(clippy::disallowed_methods)]

mod common;

use common::*;
use offsetlab_model::Scenario;
use offsetlab_model::summary::{Summary, SummaryBuilder};
use offsetlab_protocol::{Event, EventKind};

fn run(name: &str) -> (Summary, Vec<Event>) {
    let scenario = Scenario::parse(&load(name)).unwrap();
    let mut events = Vec::new();
    let mut builder = SummaryBuilder::default();
    let model = scenario
        .run(scenario.until_ms, |e| {
            builder.observe(e);
            events.push(e.clone());
        })
        .unwrap();
    (builder.finish(&model), events)
}

/// Produce order of (partition, offset) in one topic.
fn produce_order(events: &[Event]) -> Vec<(i32, i64)> {
    let mut out = Vec::new();
    for e in events {
        if let EventKind::RecordsProduced { partition, first_offset, records, .. } = &e.kind {
            for i in 0..records.len() as i64 {
                out.push((*partition, first_offset + i));
            }
        }
    }
    out
}

#[test]
fn ch5_4_three_partitions_order_differs_from_produce_order() {
    let (summary, events) = run("ordering-3-partitions");
    let consumed = processed(&events, "c1");
    let produced = produce_order(&events);
    assert_eq!(consumed.len(), 30);
    let mut a = consumed.clone();
    let mut b = produced.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "every record is read exactly once");
    assert_ne!(consumed, produced, "across partitions the order differs");
    // Within each partition, offsets come in order.
    for p in 0..3 {
        let offsets: Vec<i64> = consumed.iter().filter(|(q, _)| *q == p).map(|(_, o)| *o).collect();
        assert!(offsets.windows(2).all(|w| w[0] < w[1]), "partition {p}: {offsets:?}");
    }
    // The same key always lands on the same partition.
    let recs = &summary.processed["c1"];
    for r in recs {
        let same_key_partition = recs.iter().find(|x| x.key == r.key).unwrap().partition.partition;
        assert_eq!(r.partition.partition, same_key_partition);
    }
}

#[test]
fn ch5_4_one_partition_gives_total_order() {
    let (_, events) = run("ordering-1-partition");
    let consumed = processed(&events, "c1");
    assert_eq!(consumed, produce_order(&events));
    assert_eq!(consumed.len(), 30);
}

#[test]
fn ch5_5_two_groups_each_receive_every_record() {
    let (summary, events) = run("two-groups");
    let billing: usize = ["billing-1", "billing-2"].iter().map(|c| processed(&events, c).len()).sum();
    assert_eq!(billing, 30);
    assert_eq!(processed(&events, "audit-1").len(), 30);
    assert!(!processed(&events, "billing-1").is_empty() && !processed(&events, "billing-2").is_empty());
    for g in ["billing", "audit"] {
        let lags = &summary.groups[g];
        assert!(lags.iter().all(|l| l.lag == 0), "{g}: {lags:?}");
        assert_eq!(summary.duplicates_and_lost(g), (0, 0));
        let processed: u64 = summary.delivery[g].iter().map(|d| d.processed).sum();
        assert_eq!(processed, 30);
    }
}

#[test]
fn ch5_6_1_auto_commit_and_crash_give_duplicates() {
    let (summary, events) = run("auto-commit-crash-duplicates");
    let (dups, lost) = summary.duplicates_and_lost("app");
    assert!(dups > 0, "the records processed after the last auto commit come again");
    assert_eq!(lost, 0);
    // The duplicates are exactly the records c1 processed after its last
    // successful commit before the crash.
    let crash = first(&events, "consumer_crashed").unwrap().at_ms;
    let last_commit = events
        .iter()
        .rev()
        .filter(|e| e.at_ms <= crash)
        .filter_map(|e| match &e.kind {
            EventKind::CommitCompleted { consumer, offsets, error: None, .. } if consumer == "c1" => {
                Some(offsets[0].offset)
            }
            _ => None,
        })
        .next()
        .unwrap();
    let c1_after: Vec<i64> =
        processed(&events, "c1").into_iter().map(|(_, o)| o).filter(|o| *o >= last_commit).collect();
    assert_eq!(dups, c1_after.len() as u64);
    let redelivered: u32 = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RecordsProcessed { consumer, redelivered, .. } if consumer == "c2" => {
                Some(*redelivered)
            }
            _ => None,
        })
        .sum();
    assert_eq!(u64::from(redelivered), dups);
    // c2 took over only after c1's session timed out.
    let evicted = first(&events, "member_evicted").unwrap();
    assert!(evicted.at_ms >= crash + 6_000);
    assert_eq!(summary.processed["c2"].first().unwrap().offset, last_commit);
}

#[test]
fn ch5_6_2_commit_after_processing_gives_no_duplicates() {
    let (summary, events) = run("manual-commit");
    assert_eq!(summary.duplicates_and_lost("app"), (0, 0));
    assert!(first(&events, "consumer_crashed").is_some());
    let all: Vec<i64> = ["c1", "c2"].iter().flat_map(|c| processed(&events, c)).map(|(_, o)| o).collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(sorted, (0..100).collect::<Vec<_>>(), "each record processed exactly once");
    assert!(events.iter().all(|e| !matches!(&e.kind, EventKind::CommitRequested { kind, .. } if *kind == offsetlab_protocol::CommitKind::Auto)));
}

#[test]
fn ch5_6_3_assign_reads_named_partitions_without_a_group() {
    let (summary, events) = run("assign");
    assert!(processed(&events, "c1").iter().all(|(p, _)| *p == 0));
    assert!(processed(&events, "c2").iter().all(|(p, _)| *p == 1 || *p == 2));
    assert_eq!(processed(&events, "c1").len() + processed(&events, "c2").len(), 36);
    for kind in ["join_group_sent", "heartbeat_sent", "rebalance_started", "rebalance_completed"] {
        assert_eq!(count_kind(&events, kind), 0, "{kind}: assign() has no group membership");
    }
    // Commits work with a group.id, without membership.
    assert!(summary.groups["reporting"].iter().all(|l| l.committed == Some(l.high_watermark)));
    // subscribe() after assign() is rejected, as Java's IllegalStateException.
    let e = first(&events, "illegal_state").unwrap();
    assert!(
        matches!(&e.kind, EventKind::IllegalState { consumer, message } if consumer == "c1" && message.contains("mutually exclusive"))
    );
}

#[test]
fn ch5_6_4_seek_rereads_from_an_offset() {
    let (summary, events) = run("seek");
    let c1 = processed(&events, "c1");
    let seek = events
        .iter()
        .find(|e| {
            matches!(
                &e.kind,
                EventKind::PositionChanged { reason: offsetlab_protocol::PositionReason::Seek, .. }
            )
        })
        .unwrap();
    // The first record processed after the seek is offset 3.
    let after: Vec<i64> = events
        .iter()
        .filter(|e| e.at_ms >= seek.at_ms)
        .filter_map(|e| match &e.kind {
            EventKind::RecordsProcessed { first_offset, .. } => Some(*first_offset),
            _ => None,
        })
        .collect();
    assert_eq!(after[0], 3);
    assert!(c1.len() > 30 - 4, "records before the seek are read again");
    let (dups, lost) = summary.duplicates_and_lost("replay");
    assert!(dups > 0);
    assert_eq!(lost, 0);
    // seek_to_end skipped records: counted as skipped, not lost.
    let skipped: u64 = summary.delivery["replay"].iter().map(|d| d.skipped).sum();
    assert!(skipped > 0);
}

#[test]
fn eager_revokes_everything_cooperative_only_what_moves() {
    let (summary, events) = run("eager-vs-cooperative");
    let revoked_at = |consumer: &str, after: u64| -> Vec<usize> {
        events
            .iter()
            .filter(|e| e.at_ms >= after)
            .filter_map(|e| match &e.kind {
                EventKind::PartitionsRevoked { consumer: c, partitions, .. } if c == consumer => {
                    Some(partitions.len())
                }
                _ => None,
            })
            .collect()
    };
    // Before the join at 10 s, e1 and k1 own 3 partitions each.
    assert_eq!(revoked_at("e1", 10_000).first(), Some(&3), "eager: all three revoked");
    assert_eq!(revoked_at("k1", 10_000).first(), Some(&1), "cooperative: only the moving one");
    // The cooperative group needs a follow-up rebalance (one more generation).
    let last_gen =
        |g: &str| summary.rebalances.iter().filter(|r| r.group == g).map(|r| r.generation).max().unwrap();
    assert_eq!(last_gen("eager") + 1, last_gen("cooperative"));
    for g in ["eager", "cooperative"] {
        assert_eq!(summary.duplicates_and_lost(g), (0, 0), "{g}");
        let last = summary.rebalances.iter().rfind(|r| r.group == g).unwrap();
        assert!(last.assignments.iter().all(|a| a.partitions.len() == 2), "{g}: balanced at the end");
    }
}

#[test]
fn every_built_in_scenario_loads_and_runs() {
    let dir = common::scenarios_dir();
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let mut n = 0;
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let text = std::fs::read_to_string(path).unwrap();
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!scenario.name.is_empty() && !scenario.description.is_empty(), "{}", path.display());
        let mut count = 0;
        scenario.run(scenario.until_ms, |_| count += 1).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(count > 10, "{}", path.display());
        n += 1;
    }
    for required in [
        "ordering-3-partitions",
        "ordering-1-partition",
        "two-groups",
        "auto-commit-crash-duplicates",
        "manual-commit",
        "assign",
        "seek",
        "eager-vs-cooperative",
    ] {
        assert!(names.iter().any(|p| p.file_stem().unwrap() == required), "{required}.toml is missing");
    }
    assert!(n >= 8);
}
