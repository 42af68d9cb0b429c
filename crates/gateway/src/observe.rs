//! Observing a cluster the gateway does not control: topics and their
//! watermarks, consumer groups with members, assignments and committed
//! offsets, as `kafka-consumer-groups --describe` shows them.
//!
//! Each observation costs a fixed number of round trips however many
//! partitions and groups there are: one Metadata request, two batched
//! ListOffsets (earliest, latest), one ListGroups + DescribeGroups, and the
//! groups' OffsetFetch requests sent all at once.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_void};
use std::time::{Duration, Instant};

use offsetlab_protocol::{
    ClusterObservation, GroupOffset, ObservedGroup, ObservedMember, ObservedPartition, ObservedTopic,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{Offset, TopicPartitionList};

use crate::consumer_protocol::{assignment_partitions, subscription_topics};

/// Everything known about the cluster at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    pub topics: BTreeMap<String, ObservedTopic>,
    pub groups: BTreeMap<String, ObservedGroup>,
}

impl Observation {
    pub fn full(&self, at_ms: u64) -> ClusterObservation {
        ClusterObservation {
            at_ms,
            full: true,
            topics: self.topics.values().cloned().collect(),
            removed_topics: Vec::new(),
            groups: self.groups.values().cloned().collect(),
            removed_groups: Vec::new(),
        }
    }

    /// What changed since `before`; `None` when nothing did. A topic lists
    /// only its changed partitions; a group is sent whole when anything in it
    /// changed (groups are small; partial group deltas would not pay).
    pub fn delta_since(&self, before: &Observation, at_ms: u64) -> Option<ClusterObservation> {
        let mut delta = ClusterObservation { at_ms, ..ClusterObservation::default() };
        for (name, topic) in &self.topics {
            match before.topics.get(name) {
                Some(old) if old == topic => {}
                Some(old) => {
                    let partitions: Vec<ObservedPartition> =
                        topic.partitions.iter().filter(|p| !old.partitions.contains(p)).cloned().collect();
                    delta.topics.push(ObservedTopic { partitions, ..topic.clone() });
                }
                None => delta.topics.push(topic.clone()),
            }
        }
        delta.removed_topics =
            before.topics.keys().filter(|name| !self.topics.contains_key(*name)).cloned().collect();
        delta.groups = self
            .groups
            .iter()
            .filter(|(name, group)| before.groups.get(*name) != Some(group))
            .map(|(_, group)| group.clone())
            .collect();
        delta.removed_groups =
            before.groups.keys().filter(|name| !self.groups.contains_key(*name)).cloned().collect();
        let unchanged = delta.topics.is_empty()
            && delta.removed_topics.is_empty()
            && delta.groups.is_empty()
            && delta.removed_groups.is_empty();
        (!unchanged).then_some(delta)
    }
}

pub struct Observer {
    consumer: BaseConsumer,
}

impl Observer {
    pub fn new(config: &crate::Config) -> Result<Observer, String> {
        let consumer = config
            .client_config()
            .set("client.id", "offsetlab-gateway-observer")
            .create::<BaseConsumer>()
            .map_err(|e| format!("cannot create a Kafka client: {e}"))?;
        Ok(Observer { consumer })
    }

    /// One observation; an `Err` says why the cluster could not be read.
    pub fn observe(&self, timeout: Duration) -> Result<Observation, String> {
        let deadline = Instant::now() + timeout;
        let left = || deadline.saturating_duration_since(Instant::now());
        let metadata =
            self.consumer.fetch_metadata(None, left()).map_err(|e| format!("cannot read metadata: {e}"))?;
        let mut topics = BTreeMap::new();
        let mut all = TopicPartitionList::new();
        for topic in metadata.topics() {
            // Internal topics (`__consumer_offsets`) are the broker's, not the user's.
            if topic.name().starts_with("__") || topic.error().is_some() {
                continue;
            }
            let partition_count = i32::try_from(topic.partitions().len()).unwrap_or(i32::MAX);
            for partition in topic.partitions() {
                all.add_partition(topic.name(), partition.id());
            }
            topics.insert(
                topic.name().to_string(),
                ObservedTopic { topic: topic.name().to_string(), partition_count, partitions: Vec::new() },
            );
        }
        if all.count() > 0 {
            let starts = list_offsets(&self.consumer, &all, Offset::Beginning, left())?;
            let ends = list_offsets(&self.consumer, &all, Offset::End, left())?;
            for ((topic, partition), high_watermark) in ends {
                let log_start_offset = starts.get(&(topic.clone(), partition)).copied().unwrap_or(0);
                if let Some(observed) = topics.get_mut(&topic) {
                    observed.partitions.push(ObservedPartition {
                        partition,
                        log_start_offset,
                        high_watermark,
                    });
                }
            }
            for topic in topics.values_mut() {
                topic.partitions.sort_by_key(|p| p.partition);
            }
        }
        let groups = self.observe_groups(&topics, left())?;
        Ok(Observation { topics, groups })
    }

    fn observe_groups(
        &self,
        topics: &BTreeMap<String, ObservedTopic>,
        timeout: Duration,
    ) -> Result<BTreeMap<String, ObservedGroup>, String> {
        let list =
            self.consumer.fetch_group_list(None, timeout).map_err(|e| format!("cannot list groups: {e}"))?;
        let mut groups = BTreeMap::new();
        for group in list.groups() {
            // Connect clusters and other non-consumer groups keep offsets elsewhere.
            if !(group.protocol_type() == "consumer" || group.protocol_type().is_empty()) {
                continue;
            }
            let members = if group.members().is_empty() && group.state() != "Empty" {
                // The group has members (it is not Empty) but the broker did not list them.
                None
            } else {
                Some(
                    group
                        .members()
                        .iter()
                        .map(|m| ObservedMember {
                            member_id: m.id().to_string(),
                            client_id: m.client_id().to_string(),
                            client_host: m.client_host().to_string(),
                            topics: m.metadata().and_then(subscription_topics),
                            assignment: m.assignment().and_then(assignment_partitions),
                        })
                        .collect(),
                )
            };
            groups.insert(
                group.name().to_string(),
                ObservedGroup {
                    group: group.name().to_string(),
                    state: group.state().to_string(),
                    protocol_type: group.protocol_type().to_string(),
                    assignor: (!group.protocol().is_empty()).then(|| group.protocol().to_string()),
                    members,
                    offsets: Vec::new(),
                },
            );
        }
        let names: Vec<String> = groups.keys().cloned().collect();
        for (name, offsets) in list_group_offsets(&self.consumer, &names, timeout) {
            let Some(group) = groups.get_mut(&name) else { continue };
            // A group whose offsets cannot be read keeps an empty list; the
            // rest of the observation is still true.
            let Ok(offsets) = offsets else { continue };
            group.offsets = offsets
                .into_iter()
                .filter(|(_, _, committed)| *committed >= 0)
                .map(|(topic, partition, committed_offset)| {
                    let lag = topics
                        .get(&topic)
                        .and_then(|t| t.partitions.iter().find(|p| p.partition == partition))
                        .map(|p| (p.high_watermark - committed_offset).max(0));
                    GroupOffset { topic, partition, committed_offset, lag }
                })
                .collect();
            group.offsets.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        }
        Ok(groups)
    }
}

/// Log start offsets (`Offset::Beginning`) or high watermarks
/// (`Offset::End`) of many partitions: ListOffsets with timestamp -2 or -1,
/// one request per broker however many partitions.
pub fn list_offsets(
    consumer: &BaseConsumer,
    partitions: &TopicPartitionList,
    timestamp: Offset,
    timeout: Duration,
) -> Result<BTreeMap<(String, i32), i64>, String> {
    let mut query = partitions.clone();
    query.set_all_offsets(timestamp).map_err(|e| e.to_string())?;
    let answer =
        consumer.offsets_for_times(query, timeout).map_err(|e| format!("cannot list offsets: {e}"))?;
    Ok(answer
        .elements()
        .iter()
        .filter_map(|e| match e.offset() {
            Offset::Offset(offset) => Some(((e.topic().to_string(), e.partition()), offset)),
            _ => None,
        })
        .collect())
}

type GroupOffsets = Result<Vec<(String, i32, i64)>, String>;

/// Committed offsets of many groups. librdkafka's ListConsumerGroupOffsets
/// takes one group per call, so every call is sent before any answer is
/// awaited: the requests travel together, not one by one.
fn list_group_offsets(
    consumer: &BaseConsumer,
    groups: &[String],
    timeout: Duration,
) -> BTreeMap<String, GroupOffsets> {
    use rdkafka::bindings as rd;

    let mut answers = BTreeMap::new();
    if groups.is_empty() {
        return answers;
    }
    let rk = consumer.client().native_ptr();
    let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX).max(1);
    // SAFETY: `rk` stays valid while `consumer` lives (this whole function).
    // Every object created here is destroyed here; librdkafka copies the
    // request and the options when a call is made.
    unsafe {
        let queue = rd::rd_kafka_queue_new(rk);
        let mut sent = 0usize;
        for (index, group) in groups.iter().enumerate() {
            let Ok(name) = CString::new(group.as_str()) else {
                answers.insert(group.clone(), Err("group name contains NUL".to_string()));
                continue;
            };
            let options = rd::rd_kafka_AdminOptions_new(
                rk,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
            );
            let mut errstr = [0 as std::ffi::c_char; 256];
            rd::rd_kafka_AdminOptions_set_request_timeout(
                options,
                timeout_ms,
                errstr.as_mut_ptr(),
                errstr.len(),
            );
            rd::rd_kafka_AdminOptions_set_opaque(options, index as *mut c_void);
            let mut request = rd::rd_kafka_ListConsumerGroupOffsets_new(name.as_ptr(), std::ptr::null());
            rd::rd_kafka_ListConsumerGroupOffsets(rk, &mut request, 1, options, queue);
            rd::rd_kafka_ListConsumerGroupOffsets_destroy(request);
            rd::rd_kafka_AdminOptions_destroy(options);
            sent += 1;
        }
        let deadline = Instant::now() + timeout + Duration::from_millis(500);
        let mut received = 0usize;
        while received < sent {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let event = rd::rd_kafka_queue_poll(queue, i32::try_from(left.as_millis()).unwrap_or(i32::MAX));
            if event.is_null() {
                continue;
            }
            received += 1;
            let index = rd::rd_kafka_event_opaque(event) as usize;
            let Some(group) = groups.get(index) else {
                rd::rd_kafka_event_destroy(event);
                continue;
            };
            let answer =
                if rd::rd_kafka_event_error(event) != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                    Err(c_string(rd::rd_kafka_event_error_string(event)))
                } else {
                    read_group_result(rd::rd_kafka_event_ListConsumerGroupOffsets_result(event))
                };
            answers.insert(group.clone(), answer);
            rd::rd_kafka_event_destroy(event);
        }
        rd::rd_kafka_queue_destroy(queue);
    }
    for group in groups {
        answers.entry(group.clone()).or_insert_with(|| Err("no answer in time".to_string()));
    }
    answers
}

/// SAFETY: `result` is a ListConsumerGroupOffsets result owned by a live event.
unsafe fn read_group_result(
    result: *const rdkafka::bindings::rd_kafka_ListConsumerGroupOffsets_result_t,
) -> GroupOffsets {
    use rdkafka::bindings as rd;
    if result.is_null() {
        return Err("not a ListConsumerGroupOffsets result".to_string());
    }
    let mut count = 0usize;
    // SAFETY: guaranteed by the caller; librdkafka owns the returned arrays.
    unsafe {
        let results = rd::rd_kafka_ListConsumerGroupOffsets_result_groups(result, &mut count);
        let mut offsets = Vec::new();
        for i in 0..count {
            let group_result = *results.add(i);
            let error = rd::rd_kafka_group_result_error(group_result);
            if !error.is_null() {
                return Err(c_string(rd::rd_kafka_error_string(error)));
            }
            let list = rd::rd_kafka_group_result_partitions(group_result);
            if list.is_null() {
                continue;
            }
            let cnt = usize::try_from((*list).cnt).unwrap_or(0);
            for j in 0..cnt {
                let element = &*(*list).elems.add(j);
                if element.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
                    || element.topic.is_null()
                {
                    continue;
                }
                offsets.push((c_string(element.topic), element.partition, element.offset));
            }
        }
        Ok(offsets)
    }
}

/// SAFETY: `ptr` is null or a NUL-terminated string that outlives the call.
unsafe fn c_string(ptr: *const std::ffi::c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned()
}

/// The observation loop, on a thread of its own (librdkafka calls block).
pub fn spawn(
    config: &crate::Config,
    hub: std::sync::Arc<crate::hub::Hub>,
) -> Result<std::thread::JoinHandle<()>, String> {
    let observer = Observer::new(config)?;
    std::thread::Builder::new()
        .name("observer".into())
        .spawn(move || {
            while !hub.is_shutting_down() {
                let started = Instant::now();
                let started_ms = hub.now_ms();
                match observer.observe(Duration::from_secs(5)) {
                    Ok(observation) => hub.observed(observation, started_ms),
                    Err(message) => hub.broker_unreachable(message),
                }
                let interval = Duration::from_millis(u64::from(hub.refresh_ms()));
                while started.elapsed() < interval && !hub.is_shutting_down() {
                    std::thread::sleep(Duration::from_millis(20).min(interval));
                }
            }
        })
        .map_err(|e| format!("cannot start the observer thread: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(name: &str, hws: &[i64]) -> ObservedTopic {
        ObservedTopic {
            topic: name.into(),
            partition_count: i32::try_from(hws.len()).unwrap(),
            partitions: hws
                .iter()
                .enumerate()
                .map(|(p, hw)| ObservedPartition {
                    partition: i32::try_from(p).unwrap(),
                    log_start_offset: 0,
                    high_watermark: *hw,
                })
                .collect(),
        }
    }

    fn group(name: &str, state: &str) -> ObservedGroup {
        ObservedGroup {
            group: name.into(),
            state: state.into(),
            protocol_type: "consumer".into(),
            assignor: Some("range".into()),
            members: None,
            offsets: vec![],
        }
    }

    #[test]
    fn delta_lists_only_what_changed() {
        let before = Observation {
            topics: [("a".to_string(), topic("a", &[1, 2, 3])), ("gone".to_string(), topic("gone", &[0]))]
                .into(),
            groups: [("g".to_string(), group("g", "Stable")), ("h".to_string(), group("h", "Stable"))].into(),
        };
        assert_eq!(before.delta_since(&before, 5), None);
        let after = Observation {
            topics: [("a".to_string(), topic("a", &[1, 7, 3])), ("new".to_string(), topic("new", &[4]))]
                .into(),
            groups: [
                ("g".to_string(), group("g", "PreparingRebalance")),
                ("h".to_string(), group("h", "Stable")),
            ]
            .into(),
        };
        let delta = after.delta_since(&before, 9).unwrap();
        assert!(!delta.full);
        assert_eq!(delta.at_ms, 9);
        assert_eq!(delta.topics.len(), 2);
        assert_eq!(delta.topics[0].topic, "a");
        assert_eq!(
            delta.topics[0].partitions,
            vec![ObservedPartition { partition: 1, log_start_offset: 0, high_watermark: 7 }]
        );
        assert_eq!(delta.topics[1], topic("new", &[4]));
        assert_eq!(delta.removed_topics, vec!["gone".to_string()]);
        assert_eq!(delta.groups, vec![group("g", "PreparingRebalance")]);
        assert!(delta.removed_groups.is_empty());
        let full = after.full(10);
        assert!(full.full);
        assert_eq!(full.topics.len(), 2);
        assert_eq!(full.groups.len(), 2);
    }
}
