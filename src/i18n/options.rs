//! Texts of the consumer panel and the add-client form, in English and
//! Korean: one-line explanations of every consumer option, labels, and the
//! messages with numbers in them. Kafka's own words (poll(), seek(),
//! position, generation) stay as they are in both languages.

use offsetlab_model::config::ConfigError;
use offsetlab_protocol::CommitStrategy;

use super::Lang;

fn pick(lang: Lang, en: &'static str, ko: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// One line on what a consumer option does, for every key of
/// `CONSUMER_DEFAULTS`; `None` for a key the model does not know.
pub fn option_help(key: &str, lang: Lang) -> Option<&'static str> {
    let (en, ko) = match key {
        "auto.commit.interval.ms" => (
            "how often auto commit commits the positions, during poll()",
            "자동 커밋이 poll() 안에서 포지션을 커밋하는 주기",
        ),
        "auto.offset.reset" => (
            "where to start without a valid committed offset: earliest, latest or none (an error)",
            "유효한 커밋 오프셋이 없을 때 읽기 시작할 곳: earliest(처음), latest(끝), none(오류)",
        ),
        "bootstrap.servers" => (
            "brokers to contact first (informational here: the model is its own broker)",
            "처음 접속할 브로커 목록 (여기서는 참고용: 모델이 곧 브로커입니다)",
        ),
        "client.id" => (
            "a name for this client in broker logs and metrics",
            "브로커 로그와 메트릭에 나오는 이 클라이언트의 이름",
        ),
        "enable.auto.commit" => (
            "commit the positions automatically inside poll()",
            "poll() 안에서 포지션을 자동으로 커밋할지 여부",
        ),
        "fetch.max.bytes" => (
            "most bytes one fetch response carries (an oversized first batch still comes)",
            "fetch 응답 하나에 담기는 최대 바이트 수 (첫 배치가 더 커도 받아 옵니다)",
        ),
        "fetch.max.wait.ms" => (
            "longest the broker holds a fetch while waiting for fetch.min.bytes",
            "fetch.min.bytes만큼 모이기를 브로커가 기다리는 최대 시간",
        ),
        "fetch.min.bytes" => (
            "least data the broker waits for before it answers a fetch",
            "브로커가 fetch에 답하기 전에 기다리는 최소 데이터 양",
        ),
        "group.id" => (
            "the consumer group to join; empty = no group, read with assign()",
            "가입할 컨슈머 그룹; 비우면 그룹 없이 assign()으로 읽습니다",
        ),
        "group.instance.id" => (
            "static membership: a restart within session.timeout.ms causes no rebalance",
            "정적 멤버십: session.timeout.ms 안에 다시 시작하면 리밸런스가 일어나지 않습니다",
        ),
        "group.protocol" => (
            "classic (JoinGroup/SyncGroup) or consumer (KIP-848, not modelled offline)",
            "classic(JoinGroup/SyncGroup) 또는 consumer(KIP-848, 오프라인 모델에는 없음)",
        ),
        "heartbeat.interval.ms" => (
            "how often heartbeats go out; below session.timeout.ms, usually a third of it",
            "하트비트를 보내는 주기; session.timeout.ms보다 작아야 하며 보통 그 3분의 1",
        ),
        "max.partition.fetch.bytes" => {
            ("most bytes per partition in one fetch", "fetch 한 번에 파티션마다 가져오는 최대 바이트 수")
        }
        "max.poll.interval.ms" => (
            "longest gap between poll() calls before the consumer leaves the group",
            "poll() 호출 사이의 최대 간격; 넘기면 컨슈머가 그룹을 떠납니다",
        ),
        "max.poll.records" => ("most records one poll() returns", "poll() 한 번이 돌려주는 최대 레코드 수"),
        "partition.assignment.strategy" => (
            "assignors by preference: range, roundrobin, sticky, cooperative-sticky",
            "선호 순서대로 적은 할당 전략: range, roundrobin, sticky, cooperative-sticky",
        ),
        "request.timeout.ms" => (
            "how long the client waits for a broker's answer (informational here)",
            "클라이언트가 브로커의 응답을 기다리는 최대 시간 (여기서는 참고용)",
        ),
        "session.timeout.ms" => (
            "no heartbeat for this long and the coordinator evicts the member",
            "이 시간 동안 하트비트가 없으면 코디네이터가 멤버를 그룹에서 내보냅니다",
        ),
        _ => return None,
    };
    Some(pick(lang, en, ko))
}

/// Kafka's default for an option, as the config editor shows it.
pub fn option_default(key: &str, default: &str, lang: Lang) -> String {
    match key {
        // Kafka turns auto commit off when there is no group to commit to.
        "enable.auto.commit" => {
            pick(lang, "true (false without group.id)", "true (group.id가 없으면 false)").into()
        }
        _ if default.is_empty() => Label::NoneValue.get(lang).into(),
        _ => default.into(),
    }
}

/// Values an option takes, offered as suggestions in its input box.
pub fn option_choices(key: &str) -> &'static [&'static str] {
    match key {
        "auto.offset.reset" => &["earliest", "latest", "none"],
        "enable.auto.commit" => &["true", "false"],
        "group.protocol" => &["classic", "consumer"],
        "partition.assignment.strategy" => {
            &["range", "roundrobin", "sticky", "cooperative-sticky", "range,cooperative-sticky"]
        }
        _ => &[],
    }
}

/// The model's `ConfigError` in the person's language. English is the
/// model's own message; Korean recognises the model's phrasings and falls
/// back to the English text for anything new (the test below notices).
pub fn config_error(e: &ConfigError, lang: Lang) -> String {
    match lang {
        Lang::En => e.message.clone(),
        Lang::Ko => config_error_ko(&e.message).unwrap_or_else(|| e.message.clone()),
    }
}

pub(super) fn config_error_ko(m: &str) -> Option<String> {
    if let Some(got) = m.strip_prefix("must be an integer, got ") {
        return Some(format!("정수여야 합니다 (입력: {got})"));
    }
    if let Some(rest) = m.strip_prefix("must be at least ") {
        let (min, got) = rest.split_once(", got ")?;
        return Some(format!("{min} 이상이어야 합니다 (입력: {got})"));
    }
    if let Some(rest) = m.strip_prefix("must be at most ") {
        let (max, got) = rest.split_once(" (a Java int), got ")?;
        return Some(format!("{max} 이하여야 합니다 (Java int, 입력: {got})"));
    }
    if m.starts_with("unknown consumer property") {
        return Some("모델이 모르는 컨슈머 속성입니다".into());
    }
    if m.starts_with("static membership needs") {
        return Some("정적 멤버십에는 `group.id`가 필요합니다".into());
    }
    if m.starts_with("`consumer` (KIP-848) is not modeled") {
        return Some("`consumer`(KIP-848) 프로토콜은 오프라인 모델에 없습니다. `classic`을 쓰세요".into());
    }
    if let Some(got) = m.strip_prefix("must be `classic` or `consumer`, got ") {
        return Some(format!("`classic` 또는 `consumer`여야 합니다 (입력: {got})"));
    }
    if m.starts_with("cannot be true without") {
        return Some("`group.id` 없이는 true일 수 없습니다 (커밋할 그룹이 없습니다)".into());
    }
    if let Some(got) = m.strip_prefix("must be true or false, got ") {
        return Some(format!("true 또는 false여야 합니다 (입력: {got})"));
    }
    if let Some(got) = m.strip_prefix("must be one of earliest, latest, none; got ") {
        return Some(format!("earliest, latest, none 중 하나여야 합니다 (입력: {got})"));
    }
    if let Some(rest) = m.strip_prefix("unknown assignor ") {
        let name = rest.split(" (").next().unwrap_or(rest);
        return Some(format!(
            "알 수 없는 할당 전략 {name} (가능: range, roundrobin, sticky, cooperative-sticky)"
        ));
    }
    if m.starts_with("needs at least one assignor") {
        return Some("할당 전략이 하나 이상 필요합니다".into());
    }
    if let Some(rest) = m.strip_prefix("must be lower than session.timeout.ms (") {
        let numbers = rest.split(')').next()?;
        return Some(format!(
            "session.timeout.ms보다 작아야 합니다 ({numbers}). Kafka는 그 3분의 1 이하를 권장합니다"
        ));
    }
    None
}

/// What a seek to the edited offset would do, counted against the position.
pub fn seek_effect_text(effect: SeekEffectText, lang: Lang) -> String {
    match (effect, lang) {
        (SeekEffectText::Replays(1), Lang::En) => "replays 1 record".into(),
        (SeekEffectText::Replays(n), Lang::En) => format!("replays {n} records"),
        (SeekEffectText::Replays(n), Lang::Ko) => format!("레코드 {n}개를 다시 읽습니다"),
        (SeekEffectText::Skips(1), Lang::En) => "skips 1 record".into(),
        (SeekEffectText::Skips(n), Lang::En) => format!("skips {n} records"),
        (SeekEffectText::Skips(n), Lang::Ko) => format!("레코드 {n}개를 건너뜁니다"),
        (SeekEffectText::Stays, Lang::En) => "the position stays where it is".into(),
        (SeekEffectText::Stays, Lang::Ko) => "포지션이 그대로입니다".into(),
        (SeekEffectText::NoPosition(o), Lang::En) => {
            format!("no position yet: the next poll() reads from offset {o}")
        }
        (SeekEffectText::NoPosition(o), Lang::Ko) => {
            format!("아직 포지션이 없습니다: 다음 poll()은 오프셋 {o}부터 읽습니다")
        }
        (SeekEffectText::OutOfRange { start, end }, Lang::En) => format!(
            "outside the log [{start}, {end}]: the next fetch gets OffsetOutOfRange and auto.offset.reset decides"
        ),
        (SeekEffectText::OutOfRange { start, end }, Lang::Ko) => format!(
            "로그 범위 [{start}, {end}] 밖입니다: 다음 fetch가 OffsetOutOfRange를 받고 auto.offset.reset이 위치를 정합니다"
        ),
    }
}

/// The numbers `seek_effect_text` words (kept free of the component's types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekEffectText {
    Replays(i64),
    Skips(i64),
    Stays,
    NoPosition(i64),
    OutOfRange { start: i64, end: i64 },
}

/// Why the consumer's actions are disabled.
pub fn not_running(id: &str, status: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{id} is not running ({status}); start it again to use these actions"),
        Lang::Ko => {
            // No particle after the id: which one fits depends on how it is read.
            format!("{id}: 실행 중이 아닙니다 ({status}). 이 동작을 쓰려면 다시 시작하세요")
        }
    }
}

pub fn produce_n(n: u32, lang: Lang) -> String {
    match lang {
        Lang::En if n == 1 => "Produce 1 record".into(),
        Lang::En => format!("Produce {n} records"),
        Lang::Ko => format!("레코드 {n}개 보내기"),
    }
}

/// "a whole number from min to max", for form fields.
pub fn number_range(min: u64, max: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("a whole number from {min} to {max}"),
        Lang::Ko => format!("{min}부터 {max}까지의 정수를 입력하세요"),
    }
}

pub fn commit_strategy(s: CommitStrategy, lang: Lang) -> &'static str {
    match s {
        CommitStrategy::Auto => {
            pick(lang, "auto commit (enable.auto.commit)", "자동 커밋 (enable.auto.commit)")
        }
        CommitStrategy::SyncPerRecord => {
            pick(lang, "commitSync(offsets) after each record", "레코드마다 commitSync(offsets)")
        }
        CommitStrategy::SyncPerPoll => pick(
            lang,
            "commitSync() after processing each poll (at-least-once)",
            "poll 결과를 처리한 뒤 commitSync() (최소 한 번)",
        ),
        CommitStrategy::AsyncPerPoll => {
            pick(lang, "commitAsync() after processing each poll", "poll 결과를 처리한 뒤 commitAsync()")
        }
        CommitStrategy::SyncBeforeProcessing => pick(
            lang,
            "commitSync() before processing (at-most-once)",
            "처리하기 전에 commitSync() (최대 한 번)",
        ),
    }
}

/// Declares the labels with both languages in one arm, so a label without
/// a translation does not compile, and lists them all for the tests.
macro_rules! labels {
    ($($name:ident => ($en:expr, $ko:expr),)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Label { $($name,)* }

        impl Label {
            pub const ALL: &'static [Label] = &[$(Label::$name,)*];

            pub fn get(self, lang: Lang) -> &'static str {
                match self { $(Label::$name => pick(lang, $en, $ko),)* }
            }
        }
    };
}

labels! {
    Group => ("group", "그룹"),
    NoGroup => ("no group.id", "group.id 없음"),
    SubscribedTo => ("subscribe()", "subscribe() 구독"),
    NotPolling => ("not calling poll()", "poll() 호출 멈춤"),
    LastError => ("last error", "마지막 오류"),
    CommitHelp => (
        "commitSync(): commits the current positions of all assigned partitions",
        "commitSync(): 할당된 모든 파티션의 현재 포지션을 커밋합니다"
    ),
    CommitNeedsGroup => (
        "commitSync() needs a group.id to commit to",
        "commitSync()에는 커밋할 group.id가 필요합니다"
    ),
    StopPolling => ("Stop calling poll()", "poll() 호출 멈추기"),
    ResumePolling => ("Call poll() again", "poll() 다시 호출"),
    StopPollingHelp => (
        "A busy or hung application: heartbeats go on, but after max.poll.interval.ms the consumer leaves the group",
        "바쁘거나 멈춘 애플리케이션: 하트비트는 계속되지만 max.poll.interval.ms가 지나면 컨슈머가 그룹을 떠납니다"
    ),
    ResumePollingHelp => (
        "The application calls poll() again",
        "애플리케이션이 다시 poll()을 호출합니다"
    ),
    CrashHelp => (
        "The process dies: no commit, no LeaveGroup; the coordinator notices after session.timeout.ms",
        "프로세스가 죽습니다: 커밋도 LeaveGroup도 없어서 코디네이터는 session.timeout.ms가 지나야 알아챕니다"
    ),
    CloseHelp => (
        "close(): after the current batch, commits (with auto commit), gives up its partitions and sends LeaveGroup",
        "close(): 처리 중인 배치를 마치고 (자동 커밋이면) 커밋한 뒤, 파티션을 내놓고 LeaveGroup을 보냅니다"
    ),
    StartAgain => ("Start again", "다시 시작"),
    StartAgainHelp => (
        "Starts a new instance with the same settings; in a group it resumes from the committed offsets",
        "같은 설정으로 새 인스턴스를 시작합니다. 그룹에 속하면 커밋된 오프셋부터 이어서 읽습니다"
    ),
    StartAgainUnknown => (
        "This view does not know how the consumer was started, so it cannot start it again",
        "이 화면은 컨슈머가 어떻게 시작되었는지 몰라서 다시 시작할 수 없습니다"
    ),
    AlreadyRunning => ("It is running", "실행 중입니다"),
    Partitions => ("Assigned partitions", "할당된 파티션"),
    NoPartitions => ("No partitions assigned", "할당된 파티션이 없습니다"),
    PartitionCol => ("partition", "파티션"),
    PositionCol => ("position", "포지션"),
    CommittedCol => ("committed", "커밋"),
    Paused => ("paused", "일시 중지"),
    PauseAction => ("pause()", "pause()"),
    ResumeAction => ("resume()", "resume()"),
    PauseHelp => (
        "pause(): poll() stops returning records of this partition; the assignment and heartbeats stay",
        "pause(): poll()이 이 파티션의 레코드를 더 돌려주지 않습니다. 할당과 하트비트는 그대로입니다"
    ),
    ResumeHelp => (
        "resume(): poll() returns records of this partition again",
        "resume(): poll()이 이 파티션의 레코드를 다시 돌려줍니다"
    ),
    SeekTitle => ("Move the position", "포지션 옮기기"),
    SeekPartition => ("partition", "파티션"),
    SeekOffset => ("offset", "오프셋"),
    SeekAction => ("seek()", "seek()"),
    Cancel => ("Cancel", "취소"),
    SeekToBeginning => ("seekToBeginning()", "seekToBeginning()"),
    SeekToEnd => ("seekToEnd()", "seekToEnd()"),
    SeekHelp => (
        "seek(): the next poll() reads from this offset",
        "seek(): 다음 poll()이 이 오프셋부터 읽습니다"
    ),
    SeekToBeginningHelp => (
        "Moves the position to the log start offset: everything still in the log is read again",
        "포지션을 로그 시작 오프셋으로 옮깁니다: 로그에 남은 레코드를 모두 다시 읽습니다"
    ),
    SeekToEndHelp => (
        "Moves the position to the high watermark: what is in the log now is skipped",
        "포지션을 하이 워터마크로 옮깁니다: 지금 로그에 있는 레코드는 건너뜁니다"
    ),
    SeekNeedsPartition => (
        "seek() needs an assigned partition",
        "seek()에는 할당된 파티션이 필요합니다"
    ),
    SeekNeedsOffset => ("Type an offset first", "먼저 오프셋을 입력하세요"),
    OffsetInvalid => (
        "The offset must be a whole number, 0 or more",
        "오프셋은 0 이상의 정수여야 합니다"
    ),
    PreviewShown => ("previewed on the log", "로그에 미리 표시됨"),
    AssignTitle => ("Assign partitions", "파티션 직접 할당"),
    AssignAction => ("assign()", "assign()"),
    AssignHelp => (
        "assign(): reads exactly these partitions, with no group membership and no rebalances",
        "assign(): 고른 파티션만 읽습니다. 그룹 멤버십도 리밸런스도 없습니다"
    ),
    AssignExclusive => (
        "This consumer uses subscribe(); subscribe() and assign() are mutually exclusive, so call unsubscribe() first",
        "이 컨슈머는 subscribe()를 쓰는 중입니다. subscribe()와 assign()은 함께 쓸 수 없으니 먼저 unsubscribe()를 호출하세요"
    ),
    AssignUnchanged => ("Pick a different set of partitions", "다른 파티션 조합을 고르세요"),
    Unsubscribe => ("unsubscribe()", "unsubscribe()"),
    UnsubscribeHelp => (
        "unsubscribe(): gives up all partitions and leaves the group",
        "unsubscribe(): 모든 파티션을 내놓고 그룹을 떠납니다"
    ),
    NoTopics => ("No topics yet", "아직 토픽이 없습니다"),
    ConfigTitle => ("Configuration", "설정"),
    ConfigRestartNote => (
        "Kafka fixes a consumer's configuration when it is created. Applying closes this consumer after its current batch and starts a new instance with the new settings; in a group, that is a rebalance.",
        "Kafka는 컨슈머를 만들 때 설정을 고정합니다. 적용하면 이 컨슈머는 처리 중인 배치를 마친 뒤 닫히고, 새 설정으로 새 인스턴스가 시작됩니다. 그룹에 속해 있다면 리밸런스가 일어납니다."
    ),
    DefaultLabel => ("default", "기본값"),
    CurrentLabel => ("now", "현재"),
    NoneValue => ("none", "없음"),
    EmptyMeansDefault => ("empty = Kafka's default", "비우면 Kafka 기본값"),
    Changed => ("changed", "변경됨"),
    ApplyConfig => ("Apply and restart", "적용하고 재시작"),
    ApplyConfigStopped => (
        "Apply (used when it starts again)",
        "적용 (다시 시작할 때 반영)"
    ),
    DiscardEdits => ("Discard changes", "변경 취소"),
    FixFirst => ("Fix the marked value first", "표시된 값을 먼저 고치세요"),
    NothingChanged => ("Nothing changed yet", "아직 바뀐 값이 없습니다"),
    AddTitle => ("Add clients", "클라이언트 추가"),
    AddConsumer => ("Add a consumer", "컨슈머 추가"),
    ConsumerId => ("consumer id", "컨슈머 id"),
    GroupId => ("group.id (empty: no group)", "group.id (비우면 그룹 없음)"),
    ReadWith => ("read with", "읽는 방법"),
    ReadSubscribe => ("subscribe(topics)", "subscribe(토픽)"),
    ReadAssign => ("assign(partitions)", "assign(파티션)"),
    Topics => ("topics", "토픽"),
    PartitionsLabel => ("partitions", "파티션"),
    CommitStrategyLabel => ("commit", "커밋 방식"),
    ProcessingMs => ("processing time per record (ms)", "레코드당 처리 시간 (ms)"),
    OffsetResetKafkaDefault => ("Kafka's default is latest", "Kafka 기본값은 latest입니다"),
    StartConsumer => ("Start consumer", "컨슈머 시작"),
    IdRequired => ("Give it an id", "id를 입력하세요"),
    IdRunning => (
        "A consumer with this id is already running",
        "이 id의 컨슈머가 이미 실행 중입니다"
    ),
    PickTopic => ("Pick at least one topic", "토픽을 하나 이상 고르세요"),
    PickPartition => ("Pick at least one partition", "파티션을 하나 이상 고르세요"),
    SubscribeNeedsGroup => (
        "subscribe() needs a group.id; without a group, use assign()",
        "subscribe()에는 group.id가 필요합니다. 그룹 없이 읽으려면 assign()을 쓰세요"
    ),
    StrategyNeedsGroup => (
        "This commit strategy needs a group.id to commit to",
        "이 커밋 방식에는 커밋할 group.id가 필요합니다"
    ),
    Producers => ("Producers", "프로듀서"),
    ProducerId => ("producer id", "프로듀서 id"),
    Topic => ("topic", "토픽"),
    Rate => ("records per second", "초당 레코드 수"),
    Keys => ("keys", "키"),
    KeysNone => ("no key (sticky partitioner)", "키 없음 (sticky 파티셔너)"),
    KeysCycle => ("these keys in turn", "이 키들을 차례로"),
    KeysRandom => ("random among key-0 … key-(n-1)", "key-0 … key-(n-1) 중 무작위"),
    KeysList => ("keys, comma-separated", "쉼표로 구분한 키"),
    KeysCount => ("how many keys", "키 개수"),
    KeysNeeded => ("List at least one key", "키를 하나 이상 적으세요"),
    StartProducer => ("Start producer", "프로듀서 시작"),
    StopProducer => ("Stop producer", "프로듀서 멈추기"),
    ProducerToStop => ("producer to stop", "멈출 프로듀서"),
    ProducerRunning => (
        "A producer with this id was started here and is still running",
        "이 id의 프로듀서를 여기서 시작했고 아직 실행 중입니다"
    ),
    ProduceNow => ("Produce now", "지금 보내기"),
    Count => ("how many", "개수"),
    KeyOptional => ("key (optional)", "키 (선택)"),
    PartitionOptional => ("partition (optional)", "파티션 (선택)"),
    MoreOptions => ("More options", "추가 옵션"),
    KafkaDefault => ("(Kafka's default)", "(Kafka 기본값)"),
    ProduceHelp => (
        "With a key, Kafka's default partitioner picks murmur2(key) % partitions; without one, the sticky partitioner fills one partition at a time",
        "키가 있으면 Kafka 기본 파티셔너가 murmur2(키) % 파티션 수로 고르고, 없으면 sticky 파티셔너가 한 번에 한 파티션씩 채웁니다"
    ),
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use offsetlab_model::config::{CONSUMER_DEFAULTS, ConsumerConfig};

    use super::*;
    use crate::i18n::hangul;

    #[test]
    fn every_consumer_option_has_help_in_both_languages() {
        for (key, _) in CONSUMER_DEFAULTS {
            let en = option_help(key, Lang::En).unwrap_or_else(|| panic!("{key}: no help"));
            let ko = option_help(key, Lang::Ko).unwrap();
            assert!(!en.is_empty() && en != ko, "{key}");
            assert!(hangul(ko), "{key}: Korean help is not Korean: {ko}");
        }
        assert_eq!(option_help("max.poll.record", Lang::En), None);
        assert_eq!(option_help("max.poll.records", Lang::Ko), Some("poll() 한 번이 돌려주는 최대 레코드 수"));
    }

    #[test]
    fn korean_labels_are_korean_except_kafka_calls() {
        for label in Label::ALL {
            let (en, ko) = (label.get(Lang::En), label.get(Lang::Ko));
            // Method names are Kafka's own words in both languages.
            let code = en.ends_with("()") && en == ko;
            assert!(code || hangul(ko), "{label:?}: {ko}");
        }
    }

    #[test]
    fn every_config_error_the_model_gives_has_a_korean_text() {
        let cases: &[&[(&str, &str)]] = &[
            &[("max.poll.records", "0")],
            &[("fetch.max.wait.ms", "soon")],
            &[("request.timeout.ms", "99999999999")],
            &[("max.poll.record", "1")],
            &[("group.instance.id", "i1")],
            &[("group.protocol", "consumer"), ("group.id", "g")],
            &[("group.protocol", "kraft")],
            &[("enable.auto.commit", "true")],
            &[("enable.auto.commit", "yes"), ("group.id", "g")],
            &[("auto.offset.reset", "smallest")],
            &[("partition.assignment.strategy", "fair")],
            &[("partition.assignment.strategy", ",")],
            &[("heartbeat.interval.ms", "50000"), ("session.timeout.ms", "45000")],
        ];
        for pairs in cases {
            let props: BTreeMap<String, String> =
                pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let e = ConsumerConfig::from_properties(&props).unwrap_err();
            assert_eq!(config_error(&e, Lang::En), e.message);
            let ko = config_error(&e, Lang::Ko);
            assert!(hangul(&ko), "{pairs:?}: no Korean for {:?}", e.message);
        }
    }

    #[test]
    fn seek_effects_read_naturally() {
        assert_eq!(seek_effect_text(SeekEffectText::Replays(7), Lang::En), "replays 7 records");
        assert_eq!(seek_effect_text(SeekEffectText::Skips(12), Lang::En), "skips 12 records");
        assert_eq!(seek_effect_text(SeekEffectText::Skips(1), Lang::En), "skips 1 record");
        assert_eq!(seek_effect_text(SeekEffectText::Replays(7), Lang::Ko), "레코드 7개를 다시 읽습니다");
        assert_eq!(produce_n(3, Lang::Ko), "레코드 3개 보내기");
    }
}
