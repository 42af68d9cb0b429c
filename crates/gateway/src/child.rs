//! A gateway-owned consumer runs in a process of its own, so that a crash can
//! be a real crash: the gateway kills the process, and the broker sees a
//! member that stopped heartbeating (no commit, no LeaveGroup) and evicts it
//! after `session.timeout.ms`, as it would a machine that lost power.
//!
//! The process runs the application loop of rust-rdkafka's at-least-once
//! example: poll, process each record for `processing_ms`, commit by the
//! chosen strategy. It reads [`ChildRequest`]s as JSON lines on stdin and
//! writes [`ChildMessage`]s as JSON lines on stdout. librdkafka's callbacks
//! only send to the stdout channel.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use offsetlab_protocol::{
    Command, CommitKind, CommitStrategy, CommitTrigger, Event, EventKind, KafkaError, PartitionOffset,
    PolledRange, PositionReason, TopicPartition,
};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError as RdError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use serde::{Deserialize, Serialize};

use crate::hub::unix_ms;

/// The first line the gateway writes: everything the consumer is made of.
/// Sent on stdin rather than argv or the environment so that security
/// settings do not show in a process listing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChildSetup {
    pub bootstrap_servers: String,
    pub kafka_options: Vec<(String, String)>,
    pub consumer: String,
    pub group: Option<String>,
    pub config: BTreeMap<String, String>,
    pub processing_ms: u64,
    pub commit: CommitStrategy,
    pub epoch_unix_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRequest {
    pub seq: u64,
    pub command: Command,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChildMessage {
    Event {
        event: Event,
    },
    Reply {
        seq: u64,
        error: Option<String>,
    },
    /// Something the cluster said that is not the answer to a request.
    Error {
        message: String,
    },
}

/// Java's consumer properties, as people type them from the chapter, in
/// librdkafka's spelling. `max.poll.records` is Java's alone: the loop
/// here applies it. Anything not listed is refused, so a browser cannot
/// change where the consumer connects or how it authenticates.
pub fn librdkafka_config(config: &BTreeMap<String, String>) -> Result<(Vec<(String, String)>, u32), String> {
    let mut out = Vec::new();
    let mut max_poll_records = 500;
    for (key, value) in config {
        let value = value.trim();
        match key.as_str() {
            "max.poll.records" => {
                max_poll_records = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=100_000).contains(n))
                    .ok_or_else(|| format!("max.poll.records must be 1 to 100000, got `{value}`"))?;
            }
            "partition.assignment.strategy" => {
                let mut names = Vec::new();
                for strategy in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let class = strategy.rsplit('.').next().unwrap_or(strategy);
                    names.push(match class {
                        "range" | "RangeAssignor" => "range",
                        "roundrobin" | "RoundRobinAssignor" => "roundrobin",
                        "cooperative-sticky" | "CooperativeStickyAssignor" => "cooperative-sticky",
                        other => {
                            return Err(format!(
                                "partition.assignment.strategy `{other}` is not available in librdkafka \
                                 (range, roundrobin, cooperative-sticky)"
                            ));
                        }
                    });
                }
                out.push((key.clone(), names.join(",")));
            }
            "fetch.max.wait.ms" => out.push(("fetch.wait.max.ms".into(), value.into())),
            "auto.offset.reset"
            | "enable.auto.commit"
            | "auto.commit.interval.ms"
            | "session.timeout.ms"
            | "heartbeat.interval.ms"
            | "max.poll.interval.ms"
            | "group.instance.id"
            | "fetch.min.bytes"
            | "fetch.max.bytes"
            | "max.partition.fetch.bytes"
            | "isolation.level"
            | "client.id" => out.push((key.clone(), value.into())),
            other => return Err(format!("`{other}` cannot be set from a browser")),
        }
    }
    Ok((out, max_poll_records))
}

struct ChildContext {
    out: mpsc::Sender<ChildMessage>,
    consumer: String,
    group: String,
    epoch_unix_ms: u64,
    /// Commit callbacks still to come for commits already reported (sync ones).
    reported_commits: AtomicU32,
    /// Async commits whose callback has not come yet.
    async_commits: AtomicU32,
}

impl ChildContext {
    fn now_ms(&self) -> u64 {
        unix_ms().saturating_sub(self.epoch_unix_ms)
    }

    fn emit(&self, kind: EventKind) {
        // The gateway gone means stdin closes too; the loop ends on that.
        let _ = self.out.send(ChildMessage::Event { event: Event { at_ms: self.now_ms(), kind } });
    }
}

impl ClientContext for ChildContext {}

impl ConsumerContext for ChildContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(list) = rebalance {
            let partitions = partitions_of(list);
            let (consumer_name, group) = (self.consumer.clone(), self.group.clone());
            if consumer.assignment_lost() {
                self.emit(EventKind::PartitionsLost { consumer: consumer_name, group, partitions });
            } else {
                self.emit(EventKind::PartitionsRevoked { consumer: consumer_name, group, partitions });
            }
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(list) => {
                let assignment = consumer.assignment().map(|a| partitions_of(&a)).unwrap_or_default();
                self.emit(EventKind::PartitionsAssigned {
                    consumer: self.consumer.clone(),
                    group: self.group.clone(),
                    generation: generation(consumer),
                    partitions: partitions_of(list),
                    assignment,
                });
            }
            Rebalance::Revoke(_) => {}
            Rebalance::Error(e) => {
                let _ = self.out.send(ChildMessage::Error {
                    message: format!("{}: rebalance failed: {e}", self.consumer),
                });
            }
        }
    }

    fn commit_callback(&self, result: rdkafka::error::KafkaResult<()>, offsets: &TopicPartitionList) {
        // Sync commits were reported where they were made.
        if take_one(&self.reported_commits) {
            return;
        }
        let kind = if take_one(&self.async_commits) { CommitKind::Async } else { CommitKind::Auto };
        if kind == CommitKind::Auto {
            // librdkafka commits in the background; the request is reported
            // with its answer, as the browser cannot see it leave.
            self.emit(EventKind::CommitRequested {
                consumer: self.consumer.clone(),
                group: self.group.clone(),
                kind,
                trigger: CommitTrigger::Interval,
                offsets: offsets_of(offsets),
            });
        }
        if let Err(RdError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) = result {
            // Nothing new to commit: librdkafka answers this for an idle interval.
            return;
        }
        let error = self.kafka_error(result.err());
        self.emit(EventKind::CommitCompleted {
            consumer: self.consumer.clone(),
            group: self.group.clone(),
            kind,
            offsets: offsets_of(offsets),
            error,
        });
    }
}

impl ChildContext {
    /// Kafka's name for an error; the full text goes to the browser as an error frame.
    fn kafka_error(&self, error: Option<RdError>) -> Option<KafkaError> {
        let error = error?;
        let code = error.rdkafka_error_code();
        let known = match code {
            Some(RDKafkaErrorCode::RebalanceInProgress) => Some(KafkaError::RebalanceInProgress),
            Some(RDKafkaErrorCode::UnknownMemberId) => Some(KafkaError::UnknownMemberId),
            Some(RDKafkaErrorCode::IllegalGeneration) => Some(KafkaError::IllegalGeneration),
            Some(RDKafkaErrorCode::FencedInstanceId) => Some(KafkaError::FencedInstanceId),
            Some(RDKafkaErrorCode::CoordinatorNotAvailable) => Some(KafkaError::CoordinatorNotAvailable),
            Some(RDKafkaErrorCode::NotCoordinator) => Some(KafkaError::NotCoordinator),
            Some(RDKafkaErrorCode::RequestTimedOut | RDKafkaErrorCode::OperationTimedOut) => {
                Some(KafkaError::RequestTimedOut)
            }
            _ => None,
        };
        let _ = self.out.send(ChildMessage::Error { message: format!("{}: {error}", self.consumer) });
        Some(known.unwrap_or(KafkaError::UnknownServerError))
    }
}

fn take_one(counter: &AtomicU32) -> bool {
    counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok()
}

/// The group generation the consumer is in; -1 before it joined.
fn generation(consumer: &BaseConsumer<ChildContext>) -> i32 {
    use rdkafka::bindings as rd;
    // SAFETY: the pointer is the live consumer's; the metadata object is
    // ours and destroyed here.
    unsafe {
        let metadata = rd::rd_kafka_consumer_group_metadata(consumer.client().native_ptr());
        if metadata.is_null() {
            return -1;
        }
        let generation = rd::rd_kafka_consumer_group_metadata_generation_id(metadata);
        rd::rd_kafka_consumer_group_metadata_destroy(metadata);
        generation
    }
}

fn partitions_of(list: &TopicPartitionList) -> Vec<TopicPartition> {
    list.elements().iter().map(|e| TopicPartition::new(e.topic(), e.partition())).collect()
}

fn offsets_of(list: &TopicPartitionList) -> Vec<PartitionOffset> {
    list.elements()
        .iter()
        .filter_map(|e| match e.offset() {
            Offset::Offset(offset) => {
                Some(PartitionOffset { topic: e.topic().to_string(), partition: e.partition(), offset })
            }
            _ => None,
        })
        .collect()
}

fn list_of(partitions: &[TopicPartition]) -> TopicPartitionList {
    let mut list = TopicPartitionList::new();
    for tp in partitions {
        list.add_partition(&tp.topic, tp.partition);
    }
    list
}

/// One record as the loop keeps it: no borrow of the consumer.
struct Polled {
    topic: String,
    partition: i32,
    offset: i64,
    key: Option<String>,
}

struct Loop {
    consumer: BaseConsumer<ChildContext>,
    processing: Duration,
    commit: CommitStrategy,
    max_poll_records: u32,
    polling: bool,
}

impl Loop {
    fn ctx(&self) -> &ChildContext {
        self.consumer.context()
    }

    fn emit(&self, kind: EventKind) {
        self.ctx().emit(kind);
    }

    fn name(&self) -> String {
        self.ctx().consumer.clone()
    }

    /// The positions to commit: `commitSync()` without arguments commits
    /// each assigned partition's position.
    fn positions(&self) -> TopicPartitionList {
        let mut list = TopicPartitionList::new();
        if let Ok(positions) = self.consumer.position() {
            for e in positions.elements() {
                if let Offset::Offset(offset) = e.offset() {
                    let _ = list.add_partition_offset(e.topic(), e.partition(), Offset::Offset(offset));
                }
            }
        }
        list
    }

    fn commit(
        &self,
        kind: CommitKind,
        trigger: CommitTrigger,
        list: &TopicPartitionList,
    ) -> Result<(), String> {
        if list.count() == 0 {
            return Ok(());
        }
        let ctx = self.ctx();
        let offsets = offsets_of(list);
        self.emit(EventKind::CommitRequested {
            consumer: self.name(),
            group: ctx.group.clone(),
            kind,
            trigger,
            offsets: offsets.clone(),
        });
        match kind {
            CommitKind::Async => {
                ctx.async_commits.fetch_add(1, Ordering::Relaxed);
                if let Err(e) = self.consumer.commit(list, CommitMode::Async) {
                    take_one(&ctx.async_commits);
                    let error = ctx.kafka_error(Some(e.clone()));
                    self.emit(EventKind::CommitCompleted {
                        consumer: self.name(),
                        group: ctx.group.clone(),
                        kind,
                        offsets,
                        error,
                    });
                    return Err(e.to_string());
                }
                Ok(())
            }
            CommitKind::Sync | CommitKind::Auto => {
                ctx.reported_commits.fetch_add(1, Ordering::Relaxed);
                let result = self.consumer.commit(list, CommitMode::Sync);
                let text = result.as_ref().err().map(ToString::to_string);
                let error = ctx.kafka_error(result.err());
                self.emit(EventKind::CommitCompleted {
                    consumer: self.name(),
                    group: ctx.group.clone(),
                    kind: CommitKind::Sync,
                    offsets,
                    error,
                });
                text.map_or(Ok(()), Err)
            }
        }
    }

    fn resolve(&self, partitions: &[TopicPartition]) -> Vec<TopicPartition> {
        if partitions.is_empty() {
            self.consumer.assignment().map(|a| partitions_of(&a)).unwrap_or_default()
        } else {
            partitions.to_vec()
        }
    }

    fn seek(&self, tp: &TopicPartition, offset: Offset, reason: PositionReason) -> Result<(), String> {
        let numeric = match offset {
            Offset::Offset(n) => n,
            _ => {
                let (low, high) = self
                    .consumer
                    .fetch_watermarks(&tp.topic, tp.partition, Duration::from_secs(5))
                    .map_err(|e| format!("cannot read the watermarks of {tp}: {e}"))?;
                if offset == Offset::Beginning { low } else { high }
            }
        };
        self.consumer
            .seek(&tp.topic, tp.partition, Offset::Offset(numeric), Duration::from_secs(5))
            .map_err(|e| format!("cannot seek {tp}: {e}"))?;
        self.emit(EventKind::PositionChanged {
            consumer: self.name(),
            topic: tp.topic.clone(),
            partition: tp.partition,
            offset: numeric,
            reason,
        });
        Ok(())
    }

    /// Carries out one command; `Ok(false)` ends the loop (close).
    fn handle(&mut self, command: &Command) -> Result<bool, String> {
        let consumer = self.name();
        match command {
            Command::Subscribe { topics, .. } => {
                let names: Vec<&str> = topics.iter().map(String::as_str).collect();
                self.consumer.subscribe(&names).map_err(|e| format!("cannot subscribe: {e}"))?;
                self.emit(EventKind::Subscribed { consumer, topics: topics.clone() });
            }
            Command::Assign { partitions, .. } => {
                let mut list = TopicPartitionList::new();
                for tp in partitions {
                    list.add_partition_offset(&tp.topic, tp.partition, Offset::Stored)
                        .map_err(|e| e.to_string())?;
                }
                self.consumer.assign(&list).map_err(|e| format!("cannot assign: {e}"))?;
                self.emit(EventKind::ManuallyAssigned { consumer, partitions: partitions.clone() });
            }
            Command::Unsubscribe { .. } => {
                self.consumer.unsubscribe();
                self.emit(EventKind::Unsubscribed { consumer });
            }
            Command::Seek { partition, offset, .. } => {
                self.seek(partition, Offset::Offset(*offset), PositionReason::Seek)?;
            }
            Command::SeekToBeginning { partitions, .. } => {
                for tp in self.resolve(partitions) {
                    self.seek(&tp, Offset::Beginning, PositionReason::SeekToBeginning)?;
                }
            }
            Command::SeekToEnd { partitions, .. } => {
                for tp in self.resolve(partitions) {
                    self.seek(&tp, Offset::End, PositionReason::SeekToEnd)?;
                }
            }
            Command::Pause { partitions, .. } => {
                let partitions = self.resolve(partitions);
                self.consumer.pause(&list_of(&partitions)).map_err(|e| format!("cannot pause: {e}"))?;
                self.emit(EventKind::Paused { consumer, partitions });
            }
            Command::Resume { partitions, .. } => {
                let partitions = self.resolve(partitions);
                self.consumer.resume(&list_of(&partitions)).map_err(|e| format!("cannot resume: {e}"))?;
                self.emit(EventKind::Resumed { consumer, partitions });
            }
            Command::StopPolling { .. } => {
                self.polling = false;
                self.emit(EventKind::PollingStopped { consumer });
            }
            Command::ResumePolling { .. } => {
                self.polling = true;
                self.emit(EventKind::PollingResumed { consumer });
            }
            Command::CommitSync { .. } => {
                self.commit(CommitKind::Sync, CommitTrigger::Action, &self.positions())?
            }
            Command::CommitAsync { .. } => {
                self.commit(CommitKind::Async, CommitTrigger::Action, &self.positions())?
            }
            Command::CommitOffsets { offsets, .. } => {
                let mut list = TopicPartitionList::new();
                for o in offsets {
                    list.add_partition_offset(&o.topic, o.partition, Offset::Offset(o.offset))
                        .map_err(|e| e.to_string())?;
                }
                self.commit(CommitKind::Sync, CommitTrigger::Action, &list)?;
            }
            Command::Close { .. } => return Ok(false),
            other => return Err(format!("`{}` is not a consumer command", command_name(other))),
        }
        Ok(true)
    }

    /// One `poll()` and the processing of what it returned.
    fn poll_once(&mut self) {
        let mut batch: Vec<Polled> = Vec::new();
        let mut timeout = Duration::from_millis(100);
        while batch.len() < usize::try_from(self.max_poll_records).unwrap_or(usize::MAX) {
            match self.consumer.poll(timeout) {
                Some(Ok(message)) => batch.push(Polled {
                    topic: message.topic().to_string(),
                    partition: message.partition(),
                    offset: message.offset(),
                    key: message.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                }),
                Some(Err(e)) => {
                    let _ =
                        self.ctx().out.send(ChildMessage::Error { message: format!("{}: {e}", self.name()) });
                    break;
                }
                None => break,
            }
            // The rest of the batch is what is already fetched.
            timeout = Duration::ZERO;
        }
        if batch.is_empty() {
            return;
        }
        let ranges = ranges_of(&batch);
        self.emit(EventKind::PollReturned {
            consumer: self.name(),
            count: u32::try_from(batch.len()).unwrap_or(u32::MAX),
            records: ranges.clone(),
        });
        if self.commit == CommitStrategy::SyncBeforeProcessing {
            let _ = self.commit(CommitKind::Sync, CommitTrigger::BeforeProcessing, &self.positions());
        }
        let per_record =
            self.processing >= Duration::from_millis(20) || self.commit == CommitStrategy::SyncPerRecord;
        for range in &ranges {
            let count = if per_record { 1 } else { range.count };
            let mut first = range.first_offset;
            while first < range.first_offset + i64::from(range.count) {
                std::thread::sleep(self.processing * count);
                self.emit(EventKind::RecordsProcessed {
                    consumer: self.name(),
                    topic: range.topic.clone(),
                    partition: range.partition,
                    first_offset: first,
                    count,
                    redelivered: 0,
                });
                first += i64::from(count);
                if self.commit == CommitStrategy::SyncPerRecord {
                    let mut list = TopicPartitionList::new();
                    let _ = list.add_partition_offset(&range.topic, range.partition, Offset::Offset(first));
                    let _ = self.commit(CommitKind::Sync, CommitTrigger::AfterRecord, &list);
                }
            }
        }
        match self.commit {
            CommitStrategy::SyncPerPoll => {
                let _ = self.commit(CommitKind::Sync, CommitTrigger::AfterPoll, &self.positions());
            }
            CommitStrategy::AsyncPerPoll => {
                let _ = self.commit(CommitKind::Async, CommitTrigger::AfterPoll, &self.positions());
            }
            CommitStrategy::Auto | CommitStrategy::SyncPerRecord | CommitStrategy::SyncBeforeProcessing => {}
        }
    }
}

/// Consecutive offsets of one partition, in the order polled.
fn ranges_of(batch: &[Polled]) -> Vec<PolledRange> {
    let mut ranges: Vec<PolledRange> = Vec::new();
    for record in batch {
        match ranges.last_mut() {
            Some(last)
                if last.topic == record.topic
                    && last.partition == record.partition
                    && last.first_offset + i64::from(last.count) == record.offset =>
            {
                last.count += 1;
                last.keys.push(record.key.as_deref().map(Into::into));
            }
            _ => ranges.push(PolledRange {
                topic: record.topic.clone(),
                partition: record.partition,
                first_offset: record.offset,
                count: 1,
                keys: vec![record.key.as_deref().map(Into::into)],
            }),
        }
    }
    ranges
}

pub fn command_name(command: &Command) -> String {
    serde_json::to_value(command)
        .ok()
        .and_then(|v| v.get("command").and_then(|c| c.as_str().map(str::to_string)))
        .unwrap_or_default()
}

/// The consumer process's `main`.
pub fn run_consumer_process() -> ExitCode {
    let mut first = String::new();
    let setup: ChildSetup = match std::io::stdin().read_line(&mut first).map(|_| serde_json::from_str(&first))
    {
        Ok(Ok(setup)) => setup,
        _ => {
            eprintln!("offsetlab consumer: expected a setup line on stdin");
            return ExitCode::from(2);
        }
    };
    let (out, outgoing) = mpsc::channel::<ChildMessage>();
    let writer = std::thread::spawn(move || {
        let mut stdout = std::io::stdout().lock();
        for message in outgoing {
            let Ok(line) = serde_json::to_string(&message) else { continue };
            if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
                break;
            }
        }
    });
    let (requests, incoming) = mpsc::channel::<ChildRequest>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            match serde_json::from_str::<ChildRequest>(&line) {
                Ok(request) => {
                    if requests.send(request).is_err() {
                        break;
                    }
                }
                Err(e) => eprintln!("offsetlab consumer: bad request line: {e}"),
            }
        }
        // stdin closed: the gateway is gone or closing us; dropping
        // `requests` tells the loop.
    });
    let code = run_loop(setup, out.clone(), &incoming);
    drop(out);
    let _ = writer.join();
    code
}

fn run_loop(
    setup: ChildSetup,
    out: mpsc::Sender<ChildMessage>,
    incoming: &mpsc::Receiver<ChildRequest>,
) -> ExitCode {
    let (options, max_poll_records) = match librdkafka_config(&setup.config) {
        Ok(translated) => translated,
        Err(e) => {
            let _ = out.send(ChildMessage::Error { message: format!("{}: {e}", setup.consumer) });
            return ExitCode::from(2);
        }
    };
    let mut config = rdkafka::ClientConfig::new();
    config.set("bootstrap.servers", &setup.bootstrap_servers);
    for (key, value) in &setup.kafka_options {
        config.set(key, value);
    }
    config.set("client.id", &setup.consumer);
    if let Some(group) = &setup.group {
        config.set("group.id", group);
    }
    for (key, value) in &options {
        config.set(key, value);
    }
    config.set_log_level(rdkafka::config::RDKafkaLogLevel::Warning);
    let context = ChildContext {
        out: out.clone(),
        consumer: setup.consumer.clone(),
        group: setup.group.clone().unwrap_or_else(|| setup.consumer.clone()),
        epoch_unix_ms: setup.epoch_unix_ms,
        reported_commits: AtomicU32::new(0),
        async_commits: AtomicU32::new(0),
    };
    let consumer = match config.create_with_context::<_, BaseConsumer<ChildContext>>(context) {
        Ok(consumer) => consumer,
        Err(e) => {
            let _ = out.send(ChildMessage::Error {
                message: format!("{}: cannot create the consumer: {e}", setup.consumer),
            });
            return ExitCode::from(2);
        }
    };
    let mut effective: BTreeMap<String, String> = options.into_iter().collect();
    effective.insert("max.poll.records".into(), max_poll_records.to_string());
    // The browser's console command and client code name the real cluster
    // (the gateway's other Kafka options, credentials among them, stay here).
    effective.insert("bootstrap.servers".into(), setup.bootstrap_servers.clone());
    if let Some(group) = &setup.group {
        effective.insert("group.id".into(), group.clone());
    }
    let mut app = Loop {
        consumer,
        processing: Duration::from_millis(setup.processing_ms),
        commit: setup.commit,
        max_poll_records,
        polling: true,
    };
    app.emit(EventKind::ConsumerStarted {
        consumer: setup.consumer.clone(),
        group: setup.group.clone(),
        config: effective,
        processing_ms: setup.processing_ms,
        commit: setup.commit,
    });
    'run: loop {
        loop {
            match incoming.try_recv() {
                Ok(request) => {
                    let result = app.handle(&request.command);
                    let keep_going = *result.as_ref().unwrap_or(&true);
                    let _ = out.send(ChildMessage::Reply { seq: request.seq, error: result.err() });
                    if !keep_going {
                        break 'run;
                    }
                }
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => break 'run,
            }
        }
        if app.polling {
            app.poll_once();
        } else {
            // Not polling: librdkafka's own thread keeps heartbeating until
            // max.poll.interval.ms runs out, as Java's does.
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let consumer_name = app.name();
    // Dropping the consumer closes it: revoke (with its callback), commit if
    // auto commit is on, LeaveGroup.
    drop(app);
    let _ = out.send(ChildMessage::Event {
        event: Event {
            at_ms: unix_ms().saturating_sub(setup.epoch_unix_ms),
            kind: EventKind::ConsumerClosed { consumer: consumer_name },
        },
    });
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_properties_become_librdkafka_ones() {
        let config: BTreeMap<String, String> = [
            ("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
            ("fetch.max.wait.ms", "100"),
            ("max.poll.records", "10"),
            ("enable.auto.commit", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (options, max_poll_records) = librdkafka_config(&config).unwrap();
        assert_eq!(max_poll_records, 10);
        assert_eq!(
            options,
            vec![
                ("enable.auto.commit".to_string(), "false".to_string()),
                ("fetch.wait.max.ms".to_string(), "100".to_string()),
                ("partition.assignment.strategy".to_string(), "cooperative-sticky".to_string()),
            ]
        );
    }

    #[test]
    fn connection_and_security_settings_are_refused() {
        for key in ["bootstrap.servers", "sasl.password", "security.protocol", "group.id", "ssl.key.location"]
        {
            let config = [(key.to_string(), "x".to_string())].into();
            let error = librdkafka_config(&config).unwrap_err();
            assert!(error.contains("cannot be set from a browser"), "{key}: {error}");
        }
        let config = [("partition.assignment.strategy".to_string(), "StickyAssignor".to_string())].into();
        assert!(librdkafka_config(&config).unwrap_err().contains("not available in librdkafka"));
        let config = [("max.poll.records".to_string(), "0".to_string())].into();
        assert!(librdkafka_config(&config).is_err());
    }

    #[test]
    fn polled_records_become_ranges() {
        let polled = |p: i32, o: i64| Polled { topic: "t".into(), partition: p, offset: o, key: None };
        let ranges = ranges_of(&[polled(0, 5), polled(0, 6), polled(1, 0), polled(0, 8)]);
        let shape: Vec<(i32, i64, u32)> =
            ranges.iter().map(|r| (r.partition, r.first_offset, r.count)).collect();
        assert_eq!(shape, vec![(0, 5, 2), (1, 0, 1), (0, 8, 1)]);
    }

    #[test]
    fn child_messages_exact_json() {
        let reply = ChildMessage::Reply { seq: 3, error: None };
        assert_eq!(serde_json::to_string(&reply).unwrap(), r#"{"kind":"reply","seq":3,"error":null}"#);
        let request = ChildRequest { seq: 4, command: Command::Close { consumer: "c".into() } };
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"seq":4,"command":{"command":"close","consumer":"c"}}"#
        );
        assert_eq!(command_name(&request.command), "close");
    }
}
