//! The end-of-run summary (the headless runner prints it; tests read it).
//!
//! Built by folding the event stream, like a view would, plus the model's
//! final state for committed offsets, watermarks and accounting.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use offsetlab_protocol::{Event, EventKind, Key, MemberAssignment, RebalanceProtocol, TopicPartition};
use serde::Serialize;

use crate::model::Model;

/// One processed record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessedRecord {
    pub partition: TopicPartition,
    pub offset: i64,
    pub key: Option<Key>,
}

/// Committed offset and lag of one partition in one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionLag {
    pub partition: TopicPartition,
    pub committed: Option<i64>,
    pub high_watermark: i64,
    pub log_start_offset: i64,
    /// High watermark − committed offset (from the log start without a commit).
    pub lag: i64,
}

/// Delivery totals of one group (or group-less consumer) and partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub partition: TopicPartition,
    pub processed: u64,
    pub duplicates: u64,
    pub lost: u64,
    pub skipped: u64,
}

/// One completed rebalance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rebalance {
    pub at_ms: u64,
    pub group: String,
    pub generation: i32,
    pub protocol: RebalanceProtocol,
    pub assignor: String,
    pub assignments: Vec<MemberAssignment>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub until_ms: u64,
    pub events: u64,
    pub groups: BTreeMap<String, Vec<PartitionLag>>,
    /// Consumer id → processed records in processing order.
    pub processed: BTreeMap<String, Vec<ProcessedRecord>>,
    /// Group (or group-less consumer) → per-partition delivery totals.
    pub delivery: BTreeMap<String, Vec<Delivery>>,
    pub rebalances: Vec<Rebalance>,
}

/// Folds events into a [`Summary`].
#[derive(Default)]
pub struct SummaryBuilder {
    events: u64,
    processed: BTreeMap<String, Vec<(TopicPartition, i64, u32)>>,
    rebalances: Vec<Rebalance>,
}

impl SummaryBuilder {
    pub fn observe(&mut self, event: &Event) {
        self.events += 1;
        match &event.kind {
            EventKind::RecordsProcessed { consumer, topic, partition, first_offset, count, .. } => {
                self.processed.entry(consumer.clone()).or_default().push((
                    TopicPartition::new(topic.clone(), *partition),
                    *first_offset,
                    *count,
                ));
            }
            EventKind::RebalanceCompleted { group, generation, protocol, assignor, assignments, .. } => {
                self.rebalances.push(Rebalance {
                    at_ms: event.at_ms,
                    group: group.clone(),
                    generation: *generation,
                    protocol: *protocol,
                    assignor: assignor.clone(),
                    assignments: assignments.clone(),
                });
            }
            _ => {}
        }
    }

    pub fn finish(self, model: &Model) -> Summary {
        let mut groups = BTreeMap::new();
        for g in model.group_ids() {
            let view = model.group_view(&g).expect("listed group exists");
            // Every partition of every topic the group committed to or is assigned.
            let mut tps: Vec<TopicPartition> = view.committed.keys().cloned().collect();
            for (_, _, ps) in &view.members {
                tps.extend(ps.iter().cloned());
            }
            crate::sort::sort(&mut tps);
            tps.dedup();
            let lags = tps
                .into_iter()
                .filter_map(|tp| {
                    let log = model.partition_log(&tp)?;
                    let committed = view.committed.get(&tp).copied();
                    let hw = log.high_watermark();
                    Some(PartitionLag {
                        lag: hw - committed.unwrap_or(log.log_start_offset()).max(log.log_start_offset()),
                        partition: tp,
                        committed,
                        high_watermark: hw,
                        log_start_offset: log.log_start_offset(),
                    })
                })
                .collect();
            groups.insert(g, lags);
        }
        let processed = crate::sort::btree_map(self.processed.into_iter().map(|(c, ranges)| {
            let mut out = Vec::new();
            for (tp, first, count) in ranges {
                let log = model.partition_log(&tp);
                for offset in first..first + i64::from(count) {
                    let key = log.and_then(|l| l.record(offset)).and_then(|r| r.key.clone());
                    out.push(ProcessedRecord { partition: tp.clone(), offset, key });
                }
            }
            (c, out)
        }));
        let delivery = crate::sort::btree_map(model.accounting().into_iter().map(|(k, m)| {
            let v = m
                .into_iter()
                .map(|(tp, a)| Delivery {
                    partition: tp,
                    processed: a.processed,
                    duplicates: a.duplicates,
                    lost: a.lost,
                    skipped: a.skipped,
                })
                .collect();
            (k, v)
        }));
        Summary {
            until_ms: model.now(),
            events: self.events,
            groups,
            processed,
            delivery,
            rebalances: self.rebalances,
        }
    }
}

impl Summary {
    /// Total duplicates and losses of a group (or group-less consumer).
    pub fn duplicates_and_lost(&self, key: &str) -> (u64, u64) {
        self.delivery
            .get(key)
            .map_or((0, 0), |v| v.iter().fold((0, 0), |(d, l), x| (d + x.duplicates, l + x.lost)))
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== summary at {} ms ({} events)", self.until_ms, self.events)?;
        writeln!(f, "-- committed offsets and lag")?;
        if self.groups.is_empty() {
            writeln!(f, "   (no groups)")?;
        }
        for (g, lags) in &self.groups {
            writeln!(f, "   group {g}")?;
            for l in lags {
                let committed = l.committed.map_or("-".to_string(), |c| c.to_string());
                writeln!(
                    f,
                    "     {:<16} committed {:>6}  high watermark {:>6}  lag {:>6}",
                    l.partition.to_string(),
                    committed,
                    l.high_watermark,
                    l.lag
                )?;
            }
        }
        writeln!(f, "-- processed records, in order (partition, offset, key)")?;
        for (c, recs) in &self.processed {
            let mut line = String::new();
            for (n, r) in recs.iter().enumerate() {
                if n > 0 {
                    line.push_str(", ");
                }
                let key = r.key.as_deref().unwrap_or("null");
                let _ = write!(line, "({}, {}, {key})", r.partition.partition, r.offset);
                if n >= 199 && recs.len() > 200 {
                    let _ = write!(line, ", ... {} more", recs.len() - 200);
                    break;
                }
            }
            writeln!(f, "   {c} ({} records): {line}", recs.len())?;
        }
        writeln!(f, "-- duplicates and losses")?;
        for (k, v) in &self.delivery {
            let (d, l) = self.duplicates_and_lost(k);
            let processed: u64 = v.iter().map(|x| x.processed).sum();
            let skipped: u64 = v.iter().map(|x| x.skipped).sum();
            writeln!(f, "   {k}: {processed} processed, {d} duplicates, {l} lost, {skipped} skipped")?;
            for x in v.iter().filter(|x| x.duplicates > 0 || x.lost > 0) {
                writeln!(f, "     {}: {} duplicates, {} lost", x.partition, x.duplicates, x.lost)?;
            }
        }
        writeln!(f, "-- rebalances")?;
        if self.rebalances.is_empty() {
            writeln!(f, "   (none)")?;
        }
        for r in &self.rebalances {
            let protocol = match r.protocol {
                RebalanceProtocol::Eager => "eager",
                RebalanceProtocol::Cooperative => "cooperative",
            };
            writeln!(
                f,
                "   {} ms  group {} generation {} ({}, {protocol})",
                r.at_ms, r.group, r.generation, r.assignor
            )?;
            for a in &r.assignments {
                let ps: Vec<String> = a.partitions.iter().map(|tp| tp.to_string()).collect();
                writeln!(
                    f,
                    "     {} [{}]: {}",
                    a.consumer,
                    a.member_id,
                    if ps.is_empty() { "(idle)".into() } else { ps.join(", ") }
                )?;
            }
        }
        Ok(())
    }
}
