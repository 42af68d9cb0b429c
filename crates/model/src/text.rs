//! One human-readable line per event (the runner's default output).

use offsetlab_protocol::{Event, EventKind, PartitionOffset, TopicPartition};

fn tps(ps: &[TopicPartition]) -> String {
    if ps.is_empty() {
        return "(none)".into();
    }
    ps.iter().map(|tp| tp.to_string()).collect::<Vec<_>>().join(", ")
}

fn offsets(os: &[PartitionOffset]) -> String {
    os.iter().map(|o| format!("{}-{}@{}", o.topic, o.partition, o.offset)).collect::<Vec<_>>().join(", ")
}

/// The line for an event, or `None` for routine noise that the human view
/// leaves out (polls that returned nothing, fetches that returned nothing).
pub fn event_line(event: &Event) -> Option<String> {
    let text = match &event.kind {
        EventKind::ModelStarted { seed } => format!("model started, seed {seed}"),
        EventKind::TopicCreated { topic, partitions } => {
            format!("topic {topic} created with {partitions} partitions")
        }
        EventKind::RecordsProduced { producer, topic, partition, first_offset, records } => {
            let keys: Vec<&str> = records.iter().map(|r| r.key.as_deref().unwrap_or("null")).collect();
            format!(
                "{} produced {} to {topic}-{partition} at offset {first_offset} (keys {})",
                producer.as_deref().unwrap_or("action"),
                records.len(),
                keys.join(",")
            )
        }
        EventKind::RecordsDeleted { topic, partition, log_start_offset } => {
            format!("records deleted: {topic}-{partition} log start offset is now {log_start_offset}")
        }
        EventKind::ConsumerStarted { consumer, group, processing_ms, commit, .. } => format!(
            "{consumer} started (group {}, {processing_ms} ms per record, commit {})",
            group.as_deref().unwrap_or("none"),
            commit.name()
        ),
        EventKind::Subscribed { consumer, topics } => {
            format!("{consumer} subscribe({})", topics.join(", "))
        }
        EventKind::Unsubscribed { consumer } => format!("{consumer} unsubscribe()"),
        EventKind::ManuallyAssigned { consumer, partitions } => {
            format!("{consumer} assign({})", tps(partitions))
        }
        // Fetch requests are routine; the answers that carry records are shown.
        EventKind::FetchSent { .. } => return None,
        EventKind::FetchAnswered { consumer, waited_ms, partitions } => {
            let total: u32 = partitions.iter().map(|p| p.count).sum();
            if total == 0 {
                return None;
            }
            let parts: Vec<String> = partitions
                .iter()
                .filter(|p| p.count > 0)
                .map(|p| {
                    format!(
                        "{}-{} {}..={}",
                        p.topic,
                        p.partition,
                        p.first_offset,
                        p.first_offset + i64::from(p.count) - 1
                    )
                })
                .collect();
            format!("{consumer} fetched {total} records after {waited_ms} ms: {}", parts.join(", "))
        }
        EventKind::PollReturned { consumer, count, records } => {
            if *count == 0 {
                return None;
            }
            let parts: Vec<String> = records
                .iter()
                .map(|r| {
                    format!(
                        "{}-{} {}..={}",
                        r.topic,
                        r.partition,
                        r.first_offset,
                        r.first_offset + i64::from(r.count) - 1
                    )
                })
                .collect();
            format!("{consumer} poll() returned {count}: {}", parts.join(", "))
        }
        EventKind::RecordsProcessed { consumer, topic, partition, first_offset, count, redelivered } => {
            let last = first_offset + i64::from(*count) - 1;
            let range =
                if *count == 1 { format!("{first_offset}") } else { format!("{first_offset}..={last}") };
            let again = if *redelivered > 0 { format!(" ({redelivered} DUPLICATE)") } else { String::new() };
            format!("{consumer} processed {topic}-{partition} {range}{again}")
        }
        EventKind::RecordsLost { group, topic, partition, first_offset, count } => {
            format!(
                "LOST: group {group} will never process {count} records of {topic}-{partition} from {first_offset}"
            )
        }
        EventKind::CommitRequested { consumer, kind, trigger, offsets: os, .. } => {
            format!("{consumer} commit {} ({}): {}", kind.name(), trigger.name(), offsets(os))
        }
        EventKind::CommitCompleted { consumer, error, .. } => match error {
            None => format!("{consumer} commit ok"),
            Some(e) => format!("{consumer} commit FAILED: {e:?}"),
        },
        EventKind::HeartbeatSent { consumer, generation, .. } => {
            format!("{consumer} heartbeat (generation {generation})")
        }
        EventKind::HeartbeatAnswered { consumer, error, .. } => match error {
            None => return None,
            Some(e) => format!("{consumer} heartbeat answered {e:?}"),
        },
        EventKind::JoinGroupSent { consumer, group, member_id, owned_partitions, .. } => format!(
            "{consumer} JoinGroup {group} as {} owning {}",
            if member_id.is_empty() { "new member" } else { member_id },
            tps(owned_partitions)
        ),
        EventKind::JoinGroupAnswered { consumer, generation, leader, error, member_id, .. } => match error {
            None => format!("{consumer} joined as {member_id}, generation {generation}, leader {leader}"),
            Some(e) => format!("{consumer} JoinGroup failed: {e:?}"),
        },
        EventKind::MemberJoined { group, member_id, static_rejoin, .. } => {
            let how = if *static_rejoin { " (static member back, no rebalance)" } else { "" };
            format!("group {group}: member {member_id} added{how}")
        }
        EventKind::MemberLeft { group, member_id, reason, .. } => {
            format!("group {group}: member {member_id} left ({reason:?})")
        }
        EventKind::MemberEvicted { group, member_id, reason, .. } => {
            format!("group {group}: member {member_id} evicted ({reason:?})")
        }
        EventKind::GroupStateChanged { group, from, to, generation } => {
            format!("group {group}: {from:?} -> {to:?} (generation {generation})")
        }
        EventKind::RebalanceStarted { group, generation, reason } => {
            format!("group {group}: rebalance of generation {generation} ({reason})")
        }
        EventKind::RebalanceCompleted { group, generation, protocol, assignor, assignments, .. } => {
            let parts: Vec<String> =
                assignments.iter().map(|a| format!("{} <- {}", a.consumer, tps(&a.partitions))).collect();
            format!(
                "group {group}: generation {generation} assigned by {assignor} ({protocol:?}): {}",
                parts.join("; ")
            )
        }
        EventKind::PartitionsRevoked { consumer, partitions, .. } => {
            format!("{consumer} revoked {}", tps(partitions))
        }
        EventKind::PartitionsAssigned { consumer, partitions, assignment, generation, .. } => format!(
            "{consumer} assigned {} (now {}, generation {generation})",
            tps(partitions),
            tps(assignment)
        ),
        EventKind::PartitionsLost { consumer, partitions, .. } => {
            format!("{consumer} lost {}", tps(partitions))
        }
        EventKind::PositionChanged { consumer, topic, partition, offset, reason } => {
            format!("{consumer} position {topic}-{partition} = {offset} ({reason:?})")
        }
        EventKind::Paused { consumer, partitions } => format!("{consumer} pause({})", tps(partitions)),
        EventKind::Resumed { consumer, partitions } => format!("{consumer} resume({})", tps(partitions)),
        EventKind::PollingStopped { consumer } => format!("{consumer} stopped calling poll()"),
        EventKind::PollingResumed { consumer } => format!("{consumer} calls poll() again"),
        EventKind::ConsumerCrashed { consumer } => format!("{consumer} CRASHED"),
        EventKind::ConsumerClosed { consumer } => format!("{consumer} closed"),
        EventKind::ConsumerConfigChanged { consumer, changes } => {
            let cs: Vec<String> = changes.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{consumer} config changed ({}), restarting", cs.join(", "))
        }
        EventKind::NoOffsetForPartition { consumer, topic, partition } => {
            format!("{consumer} NoOffsetForPartitionException: {topic}-{partition}")
        }
        EventKind::OffsetOutOfRange {
            consumer,
            topic,
            partition,
            offset,
            log_start_offset,
            high_watermark,
        } => format!(
            "{consumer} OffsetOutOfRange: {topic}-{partition} offset {offset} outside {log_start_offset}..{high_watermark}"
        ),
        EventKind::IllegalState { consumer, message } => {
            format!("{consumer} IllegalStateException: {message}")
        }
        EventKind::ConsumerFailed { consumer, error } => format!("{consumer} FAILED: {error:?}"),
        EventKind::ClusterObserved { observation } => format!(
            "cluster observed: {} topics, {} groups{}",
            observation.topics.len(),
            observation.groups.len(),
            if observation.full { "" } else { " changed" }
        ),
    };
    Some(format!("{:>8} ms  {text}", event.at_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use offsetlab_protocol::{CommitKind, CommitTrigger, EventKind, PartitionOffset};

    #[test]
    fn a_commit_request_keeps_the_case_of_ids_and_topics() {
        let event = Event {
            at_ms: 7,
            kind: EventKind::CommitRequested {
                consumer: "Billing-1".into(),
                group: "Billing".into(),
                kind: CommitKind::Async,
                trigger: CommitTrigger::Interval,
                offsets: vec![PartitionOffset { topic: "Orders".into(), partition: 2, offset: 9 }],
            },
        };
        let line = event_line(&event).unwrap();
        assert!(line.ends_with("ms  Billing-1 commit async (interval): Orders-2@9"), "{line}");
    }
}
