//! One line of text per event for the timeline's event log, in English and
//! Korean, and the category the log filters by. Kafka's own names (poll(),
//! JoinGroup, generation) stay as they are in both languages.

use offsetlab_protocol::{EventKind, PartitionOffset, TopicPartition};

use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Produce,
    Fetch,
    Commit,
    Heartbeat,
    Membership,
    Rebalance,
    Position,
    Error,
    Lifecycle,
    /// Live mode: what the gateway observed of the cluster.
    Observed,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Produce,
        Category::Fetch,
        Category::Commit,
        Category::Heartbeat,
        Category::Membership,
        Category::Rebalance,
        Category::Position,
        Category::Error,
        Category::Lifecycle,
        Category::Observed,
    ];

    pub fn of(kind: &EventKind) -> Category {
        use EventKind as K;
        match kind {
            K::RecordsProduced { .. } | K::RecordsDeleted { .. } | K::TopicCreated { .. } => {
                Category::Produce
            }
            K::FetchSent { .. }
            | K::FetchAnswered { .. }
            | K::PollReturned { .. }
            | K::RecordsProcessed { .. } => Category::Fetch,
            K::CommitCompleted { error: Some(_), .. } => Category::Error,
            K::CommitRequested { .. } | K::CommitCompleted { .. } => Category::Commit,
            K::HeartbeatAnswered { error: Some(_), .. } => Category::Rebalance,
            K::HeartbeatSent { .. } | K::HeartbeatAnswered { .. } => Category::Heartbeat,
            K::JoinGroupSent { .. }
            | K::JoinGroupAnswered { .. }
            | K::MemberJoined { .. }
            | K::MemberLeft { .. }
            | K::MemberEvicted { .. } => Category::Membership,
            K::GroupStateChanged { .. }
            | K::RebalanceStarted { .. }
            | K::RebalanceCompleted { .. }
            | K::PartitionsRevoked { .. }
            | K::PartitionsAssigned { .. }
            | K::PartitionsLost { .. } => Category::Rebalance,
            K::PositionChanged { .. }
            | K::Paused { .. }
            | K::Resumed { .. }
            | K::Subscribed { .. }
            | K::Unsubscribed { .. }
            | K::ManuallyAssigned { .. } => Category::Position,
            K::RecordsLost { .. }
            | K::NoOffsetForPartition { .. }
            | K::OffsetOutOfRange { .. }
            | K::IllegalState { .. }
            | K::ConsumerFailed { .. } => Category::Error,
            K::ModelStarted { .. }
            | K::ConsumerStarted { .. }
            | K::PollingStopped { .. }
            | K::PollingResumed { .. }
            | K::ConsumerCrashed { .. }
            | K::ConsumerClosed { .. }
            | K::ConsumerConfigChanged { .. } => Category::Lifecycle,
            K::ClusterObserved { .. } => Category::Observed,
        }
    }

    /// The CSS class of the category's lines and filter (`cat-commit`).
    pub fn class(self) -> &'static str {
        match self {
            Category::Produce => "cat-produce",
            Category::Fetch => "cat-fetch",
            Category::Commit => "cat-commit",
            Category::Heartbeat => "cat-heartbeat",
            Category::Membership => "cat-membership",
            Category::Rebalance => "cat-rebalance",
            Category::Position => "cat-position",
            Category::Error => "cat-error",
            Category::Lifecycle => "cat-lifecycle",
            Category::Observed => "cat-observed",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (en, ko) = match self {
            Category::Produce => ("produce", "프로듀스"),
            Category::Fetch => ("fetch & poll", "페치·poll"),
            Category::Commit => ("commits", "커밋"),
            Category::Heartbeat => ("heartbeats", "하트비트"),
            Category::Membership => ("membership", "멤버십"),
            Category::Rebalance => ("rebalances", "리밸런스"),
            Category::Position => ("positions", "포지션"),
            Category::Error => ("errors", "오류"),
            Category::Lifecycle => ("consumers", "컨슈머"),
            Category::Observed => ("observed", "관측"),
        };
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

fn tps(list: &[TopicPartition]) -> String {
    if list.is_empty() {
        return "∅".into();
    }
    list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn offsets(list: &[PartitionOffset]) -> String {
    list.iter().map(|o| format!("{}-{}@{}", o.topic, o.partition, o.offset)).collect::<Vec<_>>().join(", ")
}

/// A short sentence for one event.
pub fn describe(kind: &EventKind, lang: Lang) -> String {
    use EventKind as K;
    let ko = lang == Lang::Ko;
    let pick = |en: String, ko_text: String| if ko { ko_text } else { en };
    match kind {
        K::ModelStarted { seed } => {
            pick(format!("model started (seed {seed})"), format!("모델 시작 (시드 {seed})"))
        }
        K::TopicCreated { topic, partitions } => pick(
            format!("topic {topic} created, {partitions} partitions"),
            format!("토픽 {topic} 생성, 파티션 {partitions}개"),
        ),
        K::RecordsProduced { producer, topic, partition, first_offset, records } => {
            let who = producer.as_deref().unwrap_or("→");
            let n = records.len();
            let last = first_offset + i64::try_from(n).unwrap_or(0) - 1;
            pick(
                format!("{who} produced {n} to {topic}-{partition} (offsets {first_offset}–{last})"),
                format!("{who}: {topic}-{partition}에 {n}개 전송 (오프셋 {first_offset}–{last})"),
            )
        }
        K::RecordsDeleted { topic, partition, log_start_offset } => pick(
            format!("records deleted: {topic}-{partition} log start offset → {log_start_offset}"),
            format!("레코드 삭제: {topic}-{partition} 로그 시작 오프셋 → {log_start_offset}"),
        ),
        K::ConsumerStarted { consumer, group, commit, .. } => {
            let group = group.as_deref().unwrap_or("–");
            pick(
                format!("{consumer} started (group.id {group}, commit {})", commit.name()),
                format!("{consumer} 시작 (group.id {group}, 커밋 {})", commit.name()),
            )
        }
        K::Subscribed { consumer, topics } => {
            format!("{consumer} subscribe({})", topics.join(", "))
        }
        K::Unsubscribed { consumer } => format!("{consumer} unsubscribe()"),
        K::ManuallyAssigned { consumer, partitions } => format!("{consumer} assign({})", tps(partitions)),
        K::FetchSent { consumer, partitions } => pick(
            format!("{consumer} fetch from {}", offsets(partitions)),
            format!("{consumer} 페치 요청: {}", offsets(partitions)),
        ),
        K::FetchAnswered { consumer, waited_ms, partitions } => {
            let n: u32 = partitions.iter().map(|p| p.count).sum();
            pick(
                format!("broker answered {consumer}'s fetch: {n} records after {waited_ms} ms"),
                format!("브로커가 {consumer}의 페치에 응답: {waited_ms} ms 뒤 레코드 {n}개"),
            )
        }
        K::PollReturned { consumer, count, .. } => pick(
            format!("{consumer} poll() returned {count} records"),
            format!("{consumer} poll()이 레코드 {count}개 반환"),
        ),
        K::RecordsProcessed { consumer, topic, partition, first_offset, count, redelivered } => {
            let last = first_offset + i64::from(*count) - 1;
            let dup = if *redelivered > 0 {
                pick(format!(", {redelivered} duplicates"), format!(", 중복 {redelivered}개"))
            } else {
                String::new()
            };
            pick(
                format!("{consumer} processed {topic}-{partition} {first_offset}–{last}{dup}"),
                format!("{consumer} 처리 완료 {topic}-{partition} {first_offset}–{last}{dup}"),
            )
        }
        K::RecordsLost { group, topic, partition, first_offset, count } => pick(
            format!(
                "{group} lost {count} records of {topic}-{partition} from {first_offset}: committed, never processed"
            ),
            format!(
                "{group}: {topic}-{partition}의 {first_offset}부터 {count}개 유실 (커밋됐지만 처리되지 않음)"
            ),
        ),
        K::CommitRequested { consumer, kind, trigger, offsets: o, .. } => pick(
            format!("{consumer} commit {} ({}): {}", kind.name(), trigger.name(), offsets(o)),
            format!("{consumer} 커밋 요청 {} ({}): {}", kind.name(), trigger.name(), offsets(o)),
        ),
        K::CommitCompleted { consumer, group, offsets: o, error: None, .. } => pick(
            format!("{group} committed {} (by {consumer})", offsets(o)),
            format!("{group} 커밋 완료 {} ({consumer})", offsets(o)),
        ),
        K::CommitCompleted { consumer, error: Some(e), .. } => pick(
            format!("{consumer}'s commit failed: {}", e.name()),
            format!("{consumer}의 커밋 실패: {}", e.name()),
        ),
        K::HeartbeatSent { consumer, generation, .. } => pick(
            format!("{consumer} heartbeat (generation {generation})"),
            format!("{consumer} 하트비트 (제너레이션 {generation})"),
        ),
        K::HeartbeatAnswered { consumer, error: None, .. } => pick(
            format!("coordinator answered {consumer}'s heartbeat"),
            format!("코디네이터가 {consumer}의 하트비트에 응답"),
        ),
        K::HeartbeatAnswered { consumer, error: Some(e), .. } => pick(
            format!("heartbeat answer to {consumer}: {}: rejoin in the next poll()", e.name()),
            format!("{consumer} 하트비트 응답: {}: 다음 poll()에서 다시 참여", e.name()),
        ),
        K::JoinGroupSent { consumer, group, .. } => format!("{consumer} → JoinGroup {group}"),
        K::JoinGroupAnswered { consumer, generation, leader, error, .. } => match error {
            None => pick(
                format!("JoinGroup answered {consumer}: generation {generation}, leader {leader}"),
                format!("{consumer} JoinGroup 응답: 제너레이션 {generation}, 리더 {leader}"),
            ),
            Some(e) => format!("JoinGroup {consumer}: {}", e.name()),
        },
        K::MemberJoined { group, consumer, static_rejoin, .. } => {
            if *static_rejoin {
                pick(
                    format!("{consumer} rejoined {group} as the same static member: no rebalance"),
                    format!("{consumer}이(가) 같은 정적 멤버로 {group}에 복귀: 리밸런스 없음"),
                )
            } else {
                pick(format!("{consumer} joined {group}"), format!("{consumer}이(가) {group}에 참여"))
            }
        }
        K::MemberLeft { group, consumer, reason, .. } => pick(
            format!("{consumer} left {group} ({})", reason.name()),
            format!("{consumer}이(가) {group}에서 나감 ({})", reason.name()),
        ),
        K::MemberEvicted { group, consumer, reason, .. } => pick(
            format!("coordinator evicted {consumer} from {group} ({})", reason.name()),
            format!("코디네이터가 {consumer}을(를) {group}에서 제외 ({})", reason.name()),
        ),
        K::GroupStateChanged { group, from, to, generation } => pick(
            format!("{group}: {} → {} (generation {generation})", from.name(), to.name()),
            format!("{group}: {} → {} (제너레이션 {generation})", from.name(), to.name()),
        ),
        K::RebalanceStarted { group, reason, .. } => {
            pick(format!("{group} rebalance starts: {reason}"), format!("{group} 리밸런스 시작: {reason}"))
        }
        K::RebalanceCompleted { group, generation, protocol, assignor, assignments, .. } => {
            let plan = assignments
                .iter()
                .map(|a| format!("{} [{}]", a.consumer, tps(&a.partitions)))
                .collect::<Vec<_>>()
                .join("; ");
            pick(
                format!("{group} generation {generation} ({}, {assignor}): {plan}", protocol.name()),
                format!("{group} 제너레이션 {generation} ({}, {assignor}): {plan}", protocol.name()),
            )
        }
        K::PartitionsRevoked { consumer, partitions, .. } => pick(
            format!("{consumer} revoked {}", tps(partitions)),
            format!("{consumer} 파티션 회수: {}", tps(partitions)),
        ),
        K::PartitionsAssigned { consumer, partitions, .. } => pick(
            format!("{consumer} assigned {}", tps(partitions)),
            format!("{consumer} 파티션 할당: {}", tps(partitions)),
        ),
        K::PartitionsLost { consumer, partitions, .. } => pick(
            format!("{consumer} lost {} (no longer a member; cannot commit)", tps(partitions)),
            format!("{consumer} 파티션 상실: {} (멤버가 아님, 커밋 불가)", tps(partitions)),
        ),
        K::PositionChanged { consumer, topic, partition, offset, reason } => pick(
            format!("{consumer} position {topic}-{partition} → {offset} ({})", reason.name()),
            format!("{consumer} 포지션 {topic}-{partition} → {offset} ({})", reason.name()),
        ),
        K::Paused { consumer, partitions } => format!("{consumer} pause({})", tps(partitions)),
        K::Resumed { consumer, partitions } => format!("{consumer} resume({})", tps(partitions)),
        K::PollingStopped { consumer } => pick(
            format!("{consumer} stopped calling poll() (heartbeats go on)"),
            format!("{consumer}이(가) poll() 호출을 멈춤 (하트비트는 계속)"),
        ),
        K::PollingResumed { consumer } => {
            pick(format!("{consumer} calls poll() again"), format!("{consumer}이(가) 다시 poll() 호출"))
        }
        K::ConsumerCrashed { consumer } => pick(
            format!("{consumer} crashed: no commit, no LeaveGroup"),
            format!("{consumer} 비정상 종료: 커밋도 LeaveGroup도 없음"),
        ),
        K::ConsumerClosed { consumer } => {
            pick(format!("{consumer} close() finished"), format!("{consumer} close() 완료"))
        }
        K::ConsumerConfigChanged { consumer, changes } => {
            let list = changes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
            pick(
                format!("{consumer} restarts with {list}"),
                format!("{consumer}이(가) {list} 설정으로 재시작"),
            )
        }
        K::NoOffsetForPartition { consumer, topic, partition } => pick(
            format!(
                "{consumer}: NoOffsetForPartitionException on {topic}-{partition} (auto.offset.reset=none)"
            ),
            format!(
                "{consumer}: {topic}-{partition}에서 NoOffsetForPartitionException (auto.offset.reset=none)"
            ),
        ),
        K::OffsetOutOfRange { consumer, topic, partition, offset, log_start_offset, high_watermark } => pick(
            format!(
                "{consumer}: offset {offset} out of range on {topic}-{partition} [{log_start_offset}, {high_watermark}]"
            ),
            format!(
                "{consumer}: {topic}-{partition}의 오프셋 {offset}이(가) 범위 밖 [{log_start_offset}, {high_watermark}]"
            ),
        ),
        K::IllegalState { consumer, message } => {
            format!("{consumer}: IllegalStateException: {message}")
        }
        K::ConsumerFailed { consumer, error } => {
            pick(format!("{consumer} failed: {}", error.name()), format!("{consumer} 실패: {}", error.name()))
        }
        K::ClusterObserved { observation: o } => {
            let topics: Vec<String> = o
                .topics
                .iter()
                .flat_map(|t| {
                    t.partitions
                        .iter()
                        .map(move |p| format!("{}-{} HW {}", t.topic, p.partition, p.high_watermark))
                })
                .collect();
            let groups: Vec<String> = o.groups.iter().map(|g| format!("{} {}", g.group, g.state)).collect();
            let what = [topics.join(", "), groups.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            if o.full {
                pick(format!("observed the cluster: {what}"), format!("클러스터 관측: {what}"))
            } else {
                pick(format!("observed a change: {what}"), format!("관측된 변화: {what}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use offsetlab_protocol::{CommitKind, CommitTrigger, PartitionOffset};

    #[test]
    fn a_commit_request_keeps_the_case_of_ids_and_topics() {
        let kind = EventKind::CommitRequested {
            consumer: "Billing-1".into(),
            group: "Billing".into(),
            kind: CommitKind::Sync,
            trigger: CommitTrigger::AfterPoll,
            offsets: vec![PartitionOffset { topic: "Orders".into(), partition: 0, offset: 5 }],
        };
        assert_eq!(describe(&kind, Lang::En), "Billing-1 commit sync (after_poll): Orders-0@5");
        assert_eq!(describe(&kind, Lang::Ko), "Billing-1 커밋 요청 sync (after_poll): Orders-0@5");
    }
}
