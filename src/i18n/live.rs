//! Live mode's texts: the connection, the gateway's errors (one sentence per
//! `ErrorCode`), and what a real cluster does not tell.

use offsetlab_protocol::ErrorCode;

use super::Lang;
use crate::state::{BrokerStatus, Connection, LiveError, LiveErrorKind};

fn pick(lang: Lang, en: &'static str, ko: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// Declares the texts with both languages in one arm, so a text without a
/// translation does not compile, and lists them all for the tests.
macro_rules! live_texts {
    ($($name:ident => ($en:expr, $ko:expr),)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum LiveText { $($name,)* }

        impl LiveText {
            pub const ALL: &'static [LiveText] = &[$(LiveText::$name,)*];

            pub fn get(self, lang: Lang) -> &'static str {
                match self { $(LiveText::$name => pick(lang, $en, $ko),)* }
            }
        }
    };
}

live_texts! {
    Hint => (
        "Live: a real Kafka cluster, observed through the OffsetLab gateway.",
        "라이브: OffsetLab 게이트웨이를 통해 실제 Kafka 클러스터를 관찰합니다."
    ),
    Title => ("Gateway", "게이트웨이"),
    GatewayUrl => ("Gateway URL", "게이트웨이 URL"),
    GatewayUrlHelp => (
        "The gateway's WebSocket; by default the /ws of the server this page came from",
        "게이트웨이의 WebSocket 주소. 기본값은 이 페이지를 보낸 서버의 /ws입니다"
    ),
    Token => ("Token", "토큰"),
    TokenHelp => (
        "The gateway's shared secret (--token), if it has one; never put in a shared link",
        "게이트웨이의 공유 비밀값(--token)이 있으면 입력하세요. 공유 링크에는 절대 넣지 않습니다"
    ),
    Connect => ("Connect", "연결"),
    Disconnect => ("Disconnect", "연결 끊기"),
    ConnectionLabel => ("Connection", "연결"),
    ClusterLabel => ("Cluster", "클러스터"),
    ReadOnly => ("read-only", "읽기 전용"),
    ReadOnlyNote => (
        "The gateway is read-only (start it with --allow-write): it only observes the cluster.",
        "게이트웨이가 읽기 전용입니다(쓰기를 허용하려면 --allow-write로 시작하세요). 클러스터를 관찰만 합니다."
    ),
    Writable => ("writes allowed", "쓰기 허용"),
    Errors => ("Gateway errors", "게이트웨이 오류"),
    ClearErrors => ("Clear", "지우기"),
    BrokerReachable => ("the gateway reaches the cluster", "게이트웨이가 클러스터에 연결되어 있습니다"),
    BrokerUnreachable => ("the gateway cannot reach the cluster", "게이트웨이가 클러스터에 연결하지 못합니다"),
    BrokerUnknown => (
        "waiting for the gateway to report the cluster",
        "게이트웨이가 클러스터 상태를 알려 주기를 기다리는 중"
    ),
    CreateTopic => ("Create a topic", "토픽 만들기"),
    TopicName => ("Topic", "토픽"),
    PartitionCount => ("Partitions", "파티션 수"),
    Create => ("Create", "만들기"),
    TopicNameInvalid => (
        "a topic name: letters, digits, '.', '_' and '-', at most 249",
        "토픽 이름: 영문자, 숫자, '.', '_', '-'로 249자 이내"
    ),
    WatchTitle => ("Watch a topic", "토픽 지켜보기"),
    WatchHelp => (
        "Shows the last 200 records of each partition on the logs, then every new one",
        "파티션마다 마지막 레코드 200개를 로그에 보여 주고, 이후 새 레코드를 계속 보여 줍니다"
    ),
    Watch => ("Watch", "지켜보기"),
    Unwatch => ("Stop watching", "그만 지켜보기"),
    Watched => ("watched", "지켜보는 중"),
    Unknown => ("unknown", "알 수 없음"),
    MembersUnknown => ("members unknown (the broker did not say)", "멤버 알 수 없음 (브로커가 알려 주지 않음)"),
    OtherMembersUnknown => (
        "other members unknown (the broker did not list them)",
        "다른 멤버 알 수 없음 (브로커가 목록을 알려 주지 않음)"
    ),
    CursorsUnknown => (
        "position and processed: unknown (not a consumer of this gateway; the broker does not tell)",
        "포지션과 처리 완료 지점: 알 수 없음 (이 게이트웨이의 컨슈머가 아니며, 브로커는 알려 주지 않습니다)"
    ),
    AssignmentUnknown => ("assignment unknown", "할당 알 수 없음"),
    RecordingName => ("Live", "라이브"),
    RecordingDescription => (
        "Recorded from a real Kafka cluster through the OffsetLab gateway: what its consumers did and what it observed.",
        "OffsetLab 게이트웨이를 통해 실제 Kafka 클러스터에서 녹화했습니다: 게이트웨이 컨슈머가 한 일과 관찰한 클러스터 상태."
    ),
    SaveRecordingEmpty => ("nothing to record yet", "아직 녹화할 것이 없습니다"),
    NoModelToPlay => (
        "Live: a real cluster runs in real time; there is no model to play, step or speed up",
        "라이브: 실제 클러스터는 실시간으로 동작합니다. 재생, 한 단계, 속도 조절할 모델이 없습니다"
    ),
    AlwaysNow => (
        "Live: the view is always now; the cluster's past is not kept",
        "라이브: 화면은 항상 현재입니다. 클러스터의 과거는 보관하지 않습니다"
    ),
    NotConnected => ("not connected to the gateway", "게이트웨이에 연결되어 있지 않습니다"),
    NotInLive => (
        "not available in live mode (the gateway has no such command)",
        "라이브 모드에서는 할 수 없습니다 (게이트웨이에 해당 명령이 없습니다)"
    ),
    GroupPrefix => (
        "the gateway's consumers must use a group that starts with",
        "게이트웨이 컨슈머의 그룹 이름은 다음으로 시작해야 합니다:"
    ),
    RefreshLabel => ("Observe every (ms)", "관찰 주기 (ms)"),
    RefreshHelp => (
        "How often the gateway describes the cluster for this page (watermarks, groups, committed offsets, lag): 100 to 60000 ms",
        "게이트웨이가 이 페이지를 위해 클러스터(워터마크, 그룹, 커밋된 오프셋, 랙)를 조회하는 주기: 100~60000ms"
    ),
    RefreshSet => ("Set", "적용"),
    RefreshUnchanged => ("already the current interval", "이미 현재 주기입니다"),
    CommitAsync => ("commitAsync() now", "지금 commitAsync()"),
    CommitAsyncHelp => (
        "commitAsync(): commits the current positions of all assigned partitions without waiting for the answer",
        "commitAsync(): 할당된 모든 파티션의 현재 포지션을 응답을 기다리지 않고 커밋합니다"
    ),
    CommitOffsetsTitle => ("Commit these offsets", "이 오프셋 커밋"),
    CommitOffsetsHelp => (
        "commitSync(offsets): commits exactly these offsets (the next record to read), whatever the position is. An empty field is left out.",
        "commitSync(offsets): 포지션과 상관없이 정확히 이 오프셋(다음에 읽을 레코드)을 커밋합니다. 빈 칸은 커밋하지 않습니다."
    ),
    CommitOffsetsAction => ("Commit these offsets", "이 오프셋 커밋"),
    CommitOffsetsNone => ("nothing to commit: every field is empty", "커밋할 것이 없습니다: 모든 칸이 비어 있습니다"),
    CommitOffsetsFixFirst => ("fix the offsets marked first", "표시된 오프셋을 먼저 고치세요"),
    NotCommitted => ("not committed", "커밋 안 함"),
    OffsetCol => ("offset to commit", "커밋할 오프셋"),
    AssignorConfigured => ("configured", "설정값"),
    AssignorConfiguredHelp => (
        "The broker did not say which assignor the group chose; this is what the gateway's own consumers in it are configured with (partition.assignment.strategy).",
        "브로커가 그룹이 고른 할당자를 알려 주지 않았습니다. 이 값은 그룹에 속한 게이트웨이 컨슈머의 설정(partition.assignment.strategy)입니다."
    ),
    Request => ("request", "요청"),
    ProtocolMismatch => (
        "this page speaks protocol version 1; the gateway speaks",
        "이 페이지는 프로토콜 버전 1을 사용합니다. 게이트웨이의 버전:"
    ),
}

/// One sentence for each way the gateway can refuse or fail.
pub fn error_code_text(code: ErrorCode, lang: Lang) -> &'static str {
    match code {
        ErrorCode::MalformedJson => pick(
            lang,
            "The gateway could not read a request from this page as JSON.",
            "게이트웨이가 이 페이지의 요청을 JSON으로 읽지 못했습니다.",
        ),
        ErrorCode::UnknownCommand => pick(
            lang,
            "The gateway does not know this command (is it an older version?).",
            "게이트웨이가 모르는 명령입니다 (게이트웨이 버전이 오래되었나요?).",
        ),
        ErrorCode::InvalidCommand => pick(
            lang,
            "The gateway refused the request: a field is missing, has the wrong type or is out of range.",
            "게이트웨이가 요청을 거부했습니다: 필드가 없거나, 형식이 틀렸거나, 범위를 벗어났습니다.",
        ),
        ErrorCode::FrameTooLarge => pick(
            lang,
            "The request is larger than the gateway accepts.",
            "요청이 게이트웨이가 받는 크기보다 큽니다.",
        ),
        ErrorCode::Unauthorized => pick(
            lang,
            "The gateway refused the connection: the token is missing or wrong.",
            "게이트웨이가 연결을 거부했습니다: 토큰이 없거나 틀렸습니다.",
        ),
        ErrorCode::ReadOnly => pick(
            lang,
            "The gateway is read-only (start it with --allow-write); nothing was changed.",
            "게이트웨이가 읽기 전용입니다(--allow-write로 시작하세요). 아무것도 바뀌지 않았습니다.",
        ),
        ErrorCode::GroupPrefix => pick(
            lang,
            "The gateway's consumers may only join groups that start with its group prefix.",
            "게이트웨이 컨슈머는 게이트웨이의 그룹 접두어로 시작하는 그룹에만 참여할 수 있습니다.",
        ),
        ErrorCode::UnknownConsumer => pick(
            lang,
            "The gateway has no consumer by that name.",
            "게이트웨이에 그런 이름의 컨슈머가 없습니다.",
        ),
        ErrorCode::ConsumerExists => pick(
            lang,
            "The gateway already runs a consumer by that name.",
            "게이트웨이에서 같은 이름의 컨슈머가 이미 실행 중입니다.",
        ),
        ErrorCode::Kafka => {
            pick(lang, "The Kafka cluster answered with an error.", "Kafka 클러스터가 오류로 응답했습니다.")
        }
        ErrorCode::BrokerUnavailable => pick(
            lang,
            "The gateway cannot reach the Kafka cluster right now.",
            "게이트웨이가 지금 Kafka 클러스터에 연결할 수 없습니다.",
        ),
        ErrorCode::Lagged => pick(
            lang,
            "This page fell behind and missed some events; a full picture of the cluster follows.",
            "이 페이지가 뒤처져 일부 이벤트를 놓쳤습니다. 클러스터 전체 상태를 다시 받습니다.",
        ),
        ErrorCode::RateLimited => pick(
            lang,
            "Too many requests in a short time; this one was not carried out. Try again in a moment.",
            "짧은 시간에 요청이 너무 많아 이 요청은 처리하지 않았습니다. 잠시 후 다시 시도하세요.",
        ),
    }
}

/// An error as a person reads it: what it means, the request it answers,
/// and the gateway's own message.
pub fn live_error_text(error: &LiveError, lang: Lang) -> String {
    let sentence = match error.kind {
        LiveErrorKind::Gateway(code) => error_code_text(code, lang),
        LiveErrorKind::MalformedFrame => pick(
            lang,
            "The gateway sent a frame this page cannot read (is it another version?).",
            "게이트웨이가 이 페이지가 읽을 수 없는 프레임을 보냈습니다 (버전이 다른가요?).",
        ),
        LiveErrorKind::Refused => pick(lang, "Not sent:", "보내지 않음:"),
        LiveErrorKind::MemoryLimit => pick(
            lang,
            "This page holds 1 GB of memory, as much as a browser page can safely keep, so live mode stopped receiving. Save the recording, then reload the page to watch again.",
            "이 페이지가 메모리를 1 GB 차지해 브라우저 페이지가 안전하게 담을 수 있는 한도에 이르렀으므로 라이브 모드가 수신을 멈췄습니다. 녹화를 저장한 뒤 페이지를 새로 고쳐 다시 보세요.",
        ),
    };
    let mut text = sentence.to_string();
    if let Some(command) = &error.command {
        text.push_str(&format!(" ({} {command})", LiveText::Request.get(lang)));
    }
    if !error.message.is_empty() {
        text.push_str(&format!(" — {}", error.message));
    }
    text
}

/// The connection's status line.
pub fn connection_text(connection: &Connection, lang: Lang) -> String {
    match (connection, lang) {
        (Connection::Closed, Lang::En) => "not connected".into(),
        (Connection::Closed, Lang::Ko) => "연결되지 않음".into(),
        (Connection::Connecting { url }, Lang::En) => format!("connecting to {url}…"),
        (Connection::Connecting { url }, Lang::Ko) => format!("{url}에 연결하는 중…"),
        (Connection::Connected { url }, Lang::En) => format!("connected to {url}"),
        (Connection::Connected { url }, Lang::Ko) => format!("{url}에 연결됨"),
        (Connection::Reconnecting { attempt, delay_ms, reason, .. }, _) => {
            let seconds = super::one_decimal(f64::from(*delay_ms) / 1000.0);
            let why = reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            match lang {
                Lang::En => format!("connection lost{why}; trying again in {seconds} s (attempt {attempt})"),
                Lang::Ko => format!("연결이 끊겼습니다{why}. {seconds}초 뒤 다시 시도합니다 ({attempt}번째)"),
            }
        }
    }
}

/// The interval the gateway observes at for this page, and the one asked
/// for while its ack is awaited.
pub fn refresh_now(current_ms: u32, asked_ms: Option<u32>, lang: Lang) -> String {
    match (asked_ms, lang) {
        (None, Lang::En) => format!("now every {current_ms} ms"),
        (None, Lang::Ko) => format!("현재 {current_ms}ms마다"),
        (Some(asked), Lang::En) => format!("now every {current_ms} ms; asked for {asked} ms…"),
        (Some(asked), Lang::Ko) => format!("현재 {current_ms}ms마다, {asked}ms로 바꾸는 중…"),
    }
}

/// The cluster's status line.
pub fn broker_text(broker: Option<&BrokerStatus>, lang: Lang) -> String {
    match broker {
        None => LiveText::BrokerUnknown.get(lang).into(),
        Some(BrokerStatus { reachable: true, .. }) => LiveText::BrokerReachable.get(lang).into(),
        Some(BrokerStatus { reachable: false, message }) => {
            let text = LiveText::BrokerUnreachable.get(lang);
            match message {
                Some(m) => format!("{text}: {m}"),
                None => text.into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::hangul;

    const CODES: [ErrorCode; 13] = ErrorCode::ALL;

    #[test]
    fn every_text_has_english_and_korean() {
        for text in LiveText::ALL {
            let (en, ko) = (text.get(Lang::En), text.get(Lang::Ko));
            assert!(!en.is_empty() && en != ko, "{text:?}");
            assert!(hangul(ko), "{text:?}: {ko}");
        }
    }

    #[test]
    fn every_error_code_is_its_own_sentence_in_both_languages() {
        let mut seen = std::collections::BTreeSet::new();
        for code in CODES {
            let (en, ko) = (error_code_text(code, Lang::En), error_code_text(code, Lang::Ko));
            assert!(en.ends_with('.') && hangul(ko), "{code:?}");
            assert!(seen.insert(en), "{code:?} shares its sentence");
        }
    }

    #[test]
    fn an_error_reads_with_its_request_and_the_gateways_message() {
        let error = LiveError {
            kind: LiveErrorKind::Gateway(ErrorCode::ReadOnly),
            message: "writes need --allow-write".into(),
            command: Some("create_topic".into()),
        };
        assert_eq!(
            live_error_text(&error, Lang::En),
            "The gateway is read-only (start it with --allow-write); nothing was changed. \
             (request create_topic) — writes need --allow-write"
        );
        let ko = live_error_text(&error, Lang::Ko);
        assert!(
            ko.starts_with("게이트웨이가 읽기 전용입니다") && ko.ends_with("— writes need --allow-write"),
            "{ko}"
        );
    }

    #[test]
    fn the_status_line_says_when_the_next_try_is() {
        let lost = Connection::Reconnecting {
            url: "ws://h/ws".into(),
            attempt: 3,
            delay_ms: 2_000,
            reason: Some("code 1006".into()),
        };
        assert_eq!(
            connection_text(&lost, Lang::En),
            "connection lost (code 1006); trying again in 2.0 s (attempt 3)"
        );
        assert_eq!(
            connection_text(&lost, Lang::Ko),
            "연결이 끊겼습니다 (code 1006). 2.0초 뒤 다시 시도합니다 (3번째)"
        );
        let down = BrokerStatus { reachable: false, message: Some("connection refused".into()) };
        assert_eq!(
            broker_text(Some(&down), Lang::En),
            "the gateway cannot reach the cluster: connection refused"
        );
    }
}
