//! Rebalance fidelity: what each member tells the leader in JoinGroup, which
//! protocol a consumer rebalances with, and when a cooperative member
//! rejoins. Each test names the Java code it follows.

// Native tests: std's sorts stay out of the wasm (clippy.toml).
#![allow(clippy::disallowed_methods)]

mod common;

use std::collections::BTreeMap;

use common::*;
use offsetlab_model::assignor::{self, AssignmentStrategy, MemberSubscription};
use offsetlab_model::{ConsumerSpec, Input, Model};
use offsetlab_protocol::{
    CommitTrigger, Event, EventKind, MemberAssignment, RebalanceProtocol, TopicPartition,
};

/// Every `RebalanceCompleted` of `group`: (generation, protocol, assignor, assignments).
fn rebalances(events: &[Event], group: &str) -> Vec<(i32, RebalanceProtocol, String, Vec<MemberAssignment>)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RebalanceCompleted {
                group: g, generation, protocol, assignor, assignments, ..
            } if g == group => Some((*generation, *protocol, assignor.clone(), assignments.clone())),
            _ => None,
        })
        .collect()
}

fn of<'a>(assignments: &'a [MemberAssignment], consumer: &str) -> &'a MemberAssignment {
    assignments
        .iter()
        .find(|a| a.consumer == consumer)
        .unwrap_or_else(|| panic!("{consumer} not in {assignments:?}"))
}

fn revoked(events: &[Event], consumer: &str) -> Vec<(u64, Vec<TopicPartition>)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PartitionsRevoked { consumer: c, partitions, .. } if c == consumer => {
                Some((e.at_ms, partitions.clone()))
            }
            _ => None,
        })
        .collect()
}

fn with_strategy(id: &str, strategy: &str) -> ConsumerSpec {
    group_consumer(id, "g", &["t"])
        .property("partition.assignment.strategy", strategy)
        .property("session.timeout.ms", "10000")
        .property("heartbeat.interval.ms", "1000")
        .property("max.poll.interval.ms", "10000")
}

/// (a) `StickyAssignor` is eager: the member revokes everything before it
/// joins, so its JoinGroup carries what it last got in its user data
/// (`subscriptionUserData`: the partitions and generation of its last
/// `onAssignment`), and that survives losing the partitions. A member that
/// was away for a rebalance therefore claims its old partitions with its
/// old generation, and the leader's assignor prefers the members of the
/// newer generation (`AbstractStickyAssignor.allSubscriptionsEqual`).
#[test]
fn sticky_members_send_their_last_assignment_with_its_own_generation() {
    let mut m = model_with(&[("t", 6)], 3000);
    for id in ["s1", "s2", "s3"] {
        m.handle(Input::StartConsumer(with_strategy(id, "sticky")), 0).unwrap();
    }
    m.run_until(5000);
    // s3 stops polling: after max.poll.interval.ms it leaves (partitions
    // lost); s1 and s2 rebalance without it. Then it comes back.
    m.handle(Input::StopPolling { consumer: "s3".into() }, 5000).unwrap();
    m.run_until(20_000);
    m.handle(Input::ResumePolling { consumer: "s3".into() }, 20_000).unwrap();
    m.run_until(30_000);
    let events = drain(&mut m);
    let r = rebalances(&events, "g");
    let gens: Vec<i32> = r.iter().map(|(g, ..)| *g).collect();
    assert_eq!(gens, vec![1, 2, 3], "{r:?}");
    let (a1, a2, a3) = (&r[0].3, &r[1].3, &r[2].3);
    assert!(a2.iter().all(|a| a.consumer != "s3"), "s3 left: {a2:?}");

    // Sticky: s1 and s2 keep what they had in generation 1.
    for c in ["s1", "s2"] {
        let before = &of(a1, c).partitions;
        assert!(
            before.iter().all(|tp| of(a2, c).partitions.contains(tp)),
            "{c} kept its partitions: {before:?} -> {:?}",
            of(a2, c).partitions
        );
    }

    // Generation 3 is exactly what Java's StickyAssignor computes when s1 and
    // s2 claim their generation-2 partitions and s3 its generation-1 ones.
    let mut subs: Vec<MemberSubscription> = a3
        .iter()
        .map(|a| {
            let (owned, generation) = if a.consumer == "s3" {
                (of(a1, "s3").partitions.clone(), 1)
            } else {
                (of(a2, &a.consumer).partitions.clone(), 2)
            };
            MemberSubscription::new(a.member_id.clone(), ["t"]).with_owned(owned, Some(generation))
        })
        .collect();
    subs.sort_by(|x, y| x.member_id.cmp(&y.member_id));
    let expected =
        assignor::assign(AssignmentStrategy::Sticky, &BTreeMap::from([("t".to_string(), 6)]), &subs);
    let got: BTreeMap<String, Vec<TopicPartition>> =
        a3.iter().map(|a| (a.member_id.clone(), a.partitions.clone())).collect();
    assert_eq!(got, expected);
    // Each of s1 and s2 keeps two of its three partitions.
    for c in ["s1", "s2"] {
        let kept = of(a3, c).partitions.iter().filter(|tp| of(a2, c).partitions.contains(tp)).count();
        assert_eq!(kept, 2, "{c}: {a2:?} -> {a3:?}");
    }
}

/// (b) `ConsumerCoordinator` picks its rebalance protocol from its own
/// assignor list: the highest protocol every configured assignor supports.
/// `[cooperative-sticky, range]` selects cooperative-sticky in the group but
/// rebalances eagerly: everything is revoked before rejoining and there is
/// no follow-up rebalance.
#[test]
fn cooperative_sticky_with_range_configured_rebalances_eagerly() {
    let mut m = model(&[("t", 6)]);
    let spec = |id: &str| with_strategy(id, "cooperative-sticky,range");
    m.handle(Input::StartConsumer(spec("c1")), 0).unwrap();
    m.handle(Input::StartConsumer(spec("c2")), 0).unwrap();
    m.run_until(10_000);
    let before = drain(&mut m);
    let last = rebalances(&before, "g").last().cloned().unwrap();
    m.handle(Input::StartConsumer(spec("c3")), 10_000).unwrap();
    m.run_until(25_000);
    let events = drain(&mut m);
    let r = rebalances(&events, "g");
    assert_eq!(r.len(), 1, "one rebalance, no follow-up: {r:?}");
    let (generation, protocol, assignor, _) = &r[0];
    assert_eq!(*generation, last.0 + 1);
    assert_eq!(assignor, "cooperative-sticky");
    assert_eq!(*protocol, RebalanceProtocol::Eager);
    for c in ["c1", "c2"] {
        let all = of(&last.3, c).partitions.clone();
        assert!(!all.is_empty());
        assert_eq!(
            revoked(&events, c).into_iter().map(|(_, p)| p).collect::<Vec<_>>(),
            vec![all],
            "{c} revokes everything it owned, once"
        );
    }
}

/// (b) The protocol in `RebalanceCompleted` is what the members do: only
/// `[cooperative-sticky]` alone is cooperative; a group with any eager
/// member reports eager.
#[test]
fn the_reported_protocol_follows_the_members_configuration() {
    let protocol_of = |lists: &[&str]| {
        let mut m = model(&[("t", 4)]);
        for (n, list) in lists.iter().enumerate() {
            m.handle(Input::StartConsumer(with_strategy(&format!("c{n}"), list)), 0).unwrap();
        }
        m.run_until(5000);
        let events = drain(&mut m);
        let r = rebalances(&events, "g");
        let (_, protocol, assignor, _) = r.last().unwrap().clone();
        (protocol, assignor)
    };
    use RebalanceProtocol::{Cooperative, Eager};
    assert_eq!(
        protocol_of(&["cooperative-sticky", "cooperative-sticky"]),
        (Cooperative, "cooperative-sticky".into())
    );
    assert_eq!(
        protocol_of(&["cooperative-sticky,range", "cooperative-sticky,range"]),
        (Eager, "cooperative-sticky".into())
    );
    assert_eq!(
        protocol_of(&["range,cooperative-sticky", "range,cooperative-sticky"]),
        (Eager, "range".into())
    );
    // A rolling upgrade half done: one member still eager.
    assert_eq!(
        protocol_of(&["cooperative-sticky", "cooperative-sticky,range"]),
        (Eager, "cooperative-sticky".into())
    );
    assert_eq!(protocol_of(&["sticky"]), (Eager, "sticky".into()));
}

/// (c) `ConsumerCoordinator.onJoinComplete` (cooperative): a member whose
/// assignment lacks something it owned revokes that and requests a rejoin;
/// a member that loses nothing does not. The group settles once an
/// assignment revokes nothing.
fn check_cooperative_follow_ups(events: &[Event], group: &str) -> usize {
    // Ownership per consumer from the event stream.
    let mut owned: BTreeMap<String, Vec<TopicPartition>> = BTreeMap::new();
    let mut follow_ups = 0;
    let r = rebalances(events, group);
    for (i, (generation, protocol, _, assignments)) in r.iter().enumerate() {
        assert_eq!(*protocol, RebalanceProtocol::Cooperative);
        let at = events
            .iter()
            .find(|e| matches!(&e.kind, EventKind::RebalanceCompleted { group: g, generation: n, .. } if g == group && n == generation))
            .unwrap()
            .at_ms;
        // Ownership just before this rebalance completed.
        for e in events.iter().filter(|e| e.at_ms <= at) {
            match &e.kind {
                EventKind::PartitionsAssigned { consumer, group: g, assignment, generation: n, .. }
                    if g == group && n < generation =>
                {
                    owned.insert(consumer.clone(), assignment.clone());
                }
                EventKind::PartitionsRevoked { consumer, group: g, partitions }
                    if g == group && e.at_ms < at =>
                {
                    if let Some(o) = owned.get_mut(consumer) {
                        o.retain(|tp| !partitions.contains(tp));
                    }
                }
                EventKind::PartitionsLost { consumer, group: g, .. } if g == group && e.at_ms < at => {
                    owned.remove(consumer);
                }
                _ => {}
            }
        }
        let must_revoke: Vec<&str> = assignments
            .iter()
            .filter(|a| owned.get(&a.consumer).is_some_and(|o| o.iter().any(|tp| !a.partitions.contains(tp))))
            .map(|a| a.consumer.as_str())
            .collect();
        let next = r.get(i + 1);
        if must_revoke.is_empty() {
            continue;
        }
        follow_ups += 1;
        // Each of them revokes exactly owned − assigned and rejoins: the next
        // generation follows.
        for c in &must_revoke {
            let a = of(assignments, c);
            let expect: Vec<TopicPartition> =
                owned[*c].iter().filter(|tp| !a.partitions.contains(tp)).cloned().collect();
            assert!(
                revoked(events, c).contains(&(at, expect.clone())),
                "generation {generation}: {c} revokes {expect:?}"
            );
        }
        assert_eq!(
            next.map(|n| n.0),
            Some(generation + 1),
            "generation {generation} revoked from {must_revoke:?}: a follow-up rebalance"
        );
    }
    follow_ups
}

#[test]
fn cooperative_members_rejoin_exactly_when_they_revoke() {
    let scenario = offsetlab_model::Scenario::parse(&load("eager-vs-cooperative")).unwrap();
    let mut events = Vec::new();
    scenario.run(scenario.until_ms, |e| events.push(e.clone())).unwrap();
    let r = rebalances(&events, "cooperative");
    assert_eq!(check_cooperative_follow_ups(&events, "cooperative"), 1, "{r:?}");
    // After the follow-up nothing is revoked and the group stays put.
    let last = r.last().unwrap();
    assert!(last.0 >= 3);
    let join_at = 10_000;
    let after: Vec<i32> = events
        .iter()
        .filter(|e| e.at_ms >= join_at)
        .filter_map(|e| match &e.kind {
            EventKind::RebalanceCompleted { group, generation, .. } if group == "cooperative" => {
                Some(*generation)
            }
            _ => None,
        })
        .collect();
    assert_eq!(after.len(), 2, "the join and one follow-up: {after:?}");
}

/// (c) with churn: members joining and leaving a cooperative group at
/// different times; every rebalance that revokes something is followed by
/// another, and every revocation is exactly owned − assigned.
#[test]
fn cooperative_follow_ups_under_churn() {
    let mut m = model(&[("t", 7)]);
    let spec = |id: &str| with_strategy(id, "cooperative-sticky");
    for (n, at) in [0, 0, 4000, 9000, 9000].iter().enumerate() {
        m.handle(Input::StartConsumer(spec(&format!("c{n}"))), *at).unwrap();
    }
    m.handle(Input::Close { consumer: "c1".into() }, 15_000).unwrap();
    m.handle(Input::Crash { consumer: "c3".into() }, 20_000).unwrap();
    m.handle(Input::StartConsumer(spec("c5")), 22_000).unwrap();
    m.run_until(60_000);
    let events = drain(&mut m);
    assert!(check_cooperative_follow_ups(&events, "g") >= 2);
    let owners = final_owners(&m);
    assert_eq!(owners.len(), 7, "every partition has an owner: {owners:?}");
}

fn final_owners(m: &Model) -> BTreeMap<TopicPartition, String> {
    let g = m.group_view("g").unwrap();
    let mut out = BTreeMap::new();
    for (_, consumer, ps) in g.members {
        for tp in ps {
            assert!(out.insert(tp, consumer.clone()).is_none());
        }
    }
    out
}

/// (c) Java revokes in `onJoinComplete` without committing: the auto commit
/// ran in `onJoinPrepare`, before the JoinGroup, and nothing was polled since.
#[test]
fn cooperative_revocation_after_the_assignment_does_not_commit_again() {
    let scenario = offsetlab_model::Scenario::parse(&load("eager-vs-cooperative")).unwrap();
    let mut events = Vec::new();
    scenario.run(scenario.until_ms, |e| events.push(e.clone())).unwrap();
    let mut checked = 0;
    for (i, e) in events.iter().enumerate() {
        let EventKind::PartitionsRevoked { consumer, group, .. } = &e.kind else {
            continue;
        };
        if group != "cooperative" {
            continue;
        }
        let completed = events[..i]
            .iter()
            .rposition(|e| matches!(&e.kind, EventKind::RebalanceCompleted { group: g, .. } if g == group))
            .unwrap();
        let commits = events[completed..i]
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::CommitRequested { consumer: c, trigger: CommitTrigger::Rebalance, .. } if c == consumer))
            .count();
        assert_eq!(commits, 0, "{consumer} at {} ms", e.at_ms);
        checked += 1;
    }
    assert_eq!(checked, 2, "k1 and k2 each give up one partition");
}
