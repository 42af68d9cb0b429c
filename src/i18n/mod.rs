//! Every piece of text the UI shows, in English and Korean.
//!
//! `Text::get` matches on the key and returns both translations at once, so a
//! key without a Korean (or English) text does not compile.

pub mod codegen;
pub mod events;
pub mod live;
pub mod options;
pub mod problems;

/// True when `text` has a Hangul syllable: a Korean entry left in English
/// would still compile, so the tests look.
#[cfg(test)]
pub(crate) fn hangul(text: &str) -> bool {
    text.chars().any(|c| ('가'..='힣').contains(&c))
}

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "ko")]
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's own name, which a person looks for in a switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// Picks a language from a browser tag such as `ko-KR` or `en-US`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Tagline,
    ModeLabel,
    ModeOffline,
    ModeLive,
    OfflineHint,
    LanguageLabel,
    EmptyTitle,
    EmptyIntro,
    EmptyStepTopic,
    EmptyStepConsumers,
    EmptyStepWatch,
    EmptyChapterNote,
    Offset,
    Key,
    Value,
    LogStart,
    HighWatermark,
    Position,
    PositionShort,
    Processed,
    CommittedOffset,
    CommittedShort,
    Lag,
    OlderRecords,
    NewerRecords,
    StateEmpty,
    StatePreparingRebalance,
    StateCompletingRebalance,
    StateStable,
    StateDead,
    Eager,
    Cooperative,
    Heartbeat,
    Session,
    SessionTimeoutHelp,
    Idle,
    Generation,
    Revoked,
    Protocol,
    Assignor,
    Duplicates,
    Lost,
    RebalanceHistory,
    Running,
    Crashed,
    Closed,
    Failed,
    ConsumerGroups,
    ManualAssignment,
    Playback,
    Play,
    Pause,
    PlayHelp,
    Step,
    StepHelp,
    Speed,
    Restart,
    ClockHelp,
    Timeline,
    BackToNow,
    EventFilter,
    PickScenario,
    ClosePanel,
    CommitNow,
    Crash,
    CloseConsumer,
    KeptBy,
    RevokedWaiting,
    AwaitingFirstAssignment,
    AwaitingAssignment,
    PhaseRevoke,
    PhaseJoin,
    PhaseSync,
    PhaseAssign,
    OrderingLens,
    FollowKey,
    AllKeys,
    ProducedOrder,
    OrderKept,
    OrderDiffers,
    PartitionOrderKept,
    PartitionOrderBroken,
    OpenFile,
    OpenFileHelp,
    Scenarios,
    PartitionOverview,
    PartitionsShown,
    MoreConsumers,
    AchievedSpeed,
    AchievedSpeedHelp,
    Export,
    ExportHelp,
    Replays,
    Skips,
    ConsoleTitle,
    OpenInOffsetLab,
    SaveRecording,
    SaveRecordingHelp,
    Share,
    ShareHelp,
    ShareReady,
    JumpHere,
    Present,
    PresentHelp,
    ExpectationHeld,
    ExpectationFailed,
    ExpectationPending,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        let (en, ko) = match self {
            Text::Tagline => (
                "See how Kafka consumers really work",
                "Kafka 컨슈머가 실제로 어떻게 동작하는지 눈으로 확인하세요",
            ),
            Text::ModeLabel => ("Data source", "데이터 소스"),
            Text::ModeOffline => ("Offline", "오프라인"),
            Text::ModeLive => ("Live", "라이브"),
            Text::OfflineHint => (
                "Offline: a deterministic model of Kafka runs in your browser. No server needed.",
                "오프라인: 결정적(deterministic) Kafka 모델이 브라우저 안에서 실행됩니다. 서버가 필요 없습니다.",
            ),
            Text::LanguageLabel => ("Language", "언어"),
            Text::EmptyTitle => ("Nothing is running yet", "아직 실행 중인 것이 없습니다"),
            Text::EmptyIntro => (
                "OffsetLab draws each partition of a topic as a log and puts every consumer's cursors on it: position, processed and committed offset.",
                "OffsetLab은 토픽의 각 파티션을 로그로 그리고, 그 위에 컨슈머마다 커서를 표시합니다: 포지션(position), 처리 완료 지점, 커밋된 오프셋.",
            ),
            Text::EmptyStepTopic => (
                "Create a topic and choose how many partitions it has.",
                "토픽을 만들고 파티션 수를 정하세요.",
            ),
            Text::EmptyStepConsumers => (
                "Add producers and consumers, alone or in consumer groups.",
                "프로듀서와 컨슈머를 추가하세요. 단독으로도, 컨슈머 그룹으로도 실행할 수 있습니다.",
            ),
            Text::EmptyStepWatch => (
                "Press play and watch polls, commits and rebalances happen.",
                "재생을 누르고 poll, 커밋, 리밸런스가 일어나는 모습을 지켜보세요.",
            ),
            Text::EmptyChapterNote => (
                "Each scenario follows a section of the consumer chapter: options, ordering, groups, commits, assign() and seek().",
                "각 시나리오는 컨슈머 장의 절을 따라갑니다: 옵션, 메시지 순서, 컨슈머 그룹, 커밋, assign(), seek().",
            ),
            Text::Offset => ("offset", "오프셋"),
            Text::Key => ("key", "키"),
            Text::Value => ("value", "값"),
            Text::LogStart => ("log start", "로그 시작"),
            Text::HighWatermark => (
                "high watermark: consumers can read up to here",
                "하이 워터마크: 컨슈머는 여기까지 읽을 수 있습니다",
            ),
            Text::Position => (
                "position: the offset of the next record poll() returns",
                "포지션: 다음 poll()이 돌려줄 레코드의 오프셋",
            ),
            Text::PositionShort => ("pos", "포지션"),
            Text::Processed => (
                "processed: the application has finished records before this offset",
                "처리 완료: 애플리케이션이 이 오프셋 앞까지 처리를 마쳤습니다",
            ),
            Text::CommittedOffset => (
                "committed offset: where the group resumes after a restart or rebalance",
                "커밋된 오프셋: 재시작이나 리밸런스 후 그룹이 다시 읽기 시작하는 지점",
            ),
            Text::CommittedShort => ("committed", "커밋"),
            Text::Lag => ("lag", "랙"),
            Text::OlderRecords => ("older records not shown", "표시되지 않은 이전 레코드"),
            Text::NewerRecords => ("newer records not shown", "표시되지 않은 새 레코드"),
            Text::StateEmpty => ("Empty", "Empty (멤버 없음)"),
            Text::StatePreparingRebalance => ("PreparingRebalance", "PreparingRebalance (리밸런스 준비)"),
            Text::StateCompletingRebalance => ("CompletingRebalance", "CompletingRebalance (할당 대기)"),
            Text::StateStable => ("Stable", "Stable (안정)"),
            Text::StateDead => ("Dead", "Dead (삭제됨)"),
            Text::Eager => ("eager", "이거(eager)"),
            Text::Cooperative => ("cooperative", "협력적(cooperative)"),
            Text::Heartbeat => ("heartbeat", "하트비트"),
            Text::Session => ("session", "세션"),
            Text::SessionTimeoutHelp => (
                "time left before session.timeout.ms evicts this member without a heartbeat",
                "하트비트 없이 session.timeout.ms가 지나 이 멤버가 그룹에서 제외되기까지 남은 시간",
            ),
            Text::Idle => {
                ("idle: no partition left for this member", "유휴: 이 멤버에게 남은 파티션이 없습니다")
            }
            Text::Generation => ("generation", "제너레이션"),
            Text::Revoked => ("revoked", "회수"),
            Text::Protocol => ("protocol", "프로토콜"),
            Text::Assignor => ("assignor", "할당 전략"),
            Text::Duplicates => ("duplicates", "중복 처리"),
            Text::Lost => ("lost", "유실"),
            Text::RebalanceHistory => ("rebalances", "리밸런스 기록"),
            Text::Running => ("running", "실행 중"),
            Text::Crashed => ("crashed", "비정상 종료"),
            Text::Closed => ("closed", "종료"),
            Text::Failed => ("failed", "실패"),
            Text::ConsumerGroups => ("Consumer groups", "컨슈머 그룹"),
            Text::ManualAssignment => ("Manually assigned", "수동 할당"),
            Text::Playback => ("Playback", "재생"),
            Text::Play => ("Play", "재생"),
            Text::Pause => ("Pause", "일시정지"),
            Text::PlayHelp => {
                ("Play or pause the virtual clock (Space)", "가상 시계를 재생하거나 멈춥니다 (스페이스)")
            }
            Text::Step => ("Step", "한 단계"),
            Text::StepHelp => (
                "Advance to the next moment something happens (→)",
                "다음 일이 일어나는 시점까지 진행합니다 (→)",
            ),
            Text::Speed => ("Speed", "속도"),
            Text::Restart => ("Restart", "처음부터"),
            Text::ClockHelp => ("Virtual time since the scenario started", "시나리오 시작 후 흐른 가상 시간"),
            Text::Timeline => ("Timeline", "타임라인"),
            Text::BackToNow => ("Back to now", "현재로"),
            Text::EventFilter => ("Show events", "표시할 이벤트"),
            Text::PickScenario => (
                "Pick a scenario to start. Each one runs Kafka's consumer protocol in your browser.",
                "시나리오를 골라 시작하세요. 각 시나리오는 Kafka 컨슈머 프로토콜을 브라우저 안에서 실행합니다.",
            ),
            Text::ClosePanel => ("Close", "닫기"),
            Text::CommitNow => ("commitSync() now", "지금 commitSync()"),
            Text::Crash => ("Crash (kill -9)", "비정상 종료 (kill -9)"),
            Text::CloseConsumer => ("close()", "close()"),
            Text::KeptBy => ("kept by", "유지:"),
            Text::RevokedWaiting => ("revoked, waiting for the new assignment", "회수됨, 새 할당 대기 중"),
            Text::AwaitingFirstAssignment => ("waiting for its first assignment", "첫 할당 대기 중"),
            Text::AwaitingAssignment => (
                "no partitions while the group rebalances: waiting for its assignment",
                "리밸런스 중이라 파티션 없음: 할당 대기 중",
            ),
            Text::PhaseRevoke => ("revoke", "회수"),
            Text::PhaseJoin => ("JoinGroup", "JoinGroup"),
            Text::PhaseSync => ("SyncGroup", "SyncGroup"),
            Text::PhaseAssign => ("assign", "할당"),
            Text::OrderingLens => ("Order: produced vs processed", "순서: 전송 순서와 처리 순서"),
            Text::FollowKey => ("Follow a key", "키 따라가기"),
            Text::AllKeys => ("all keys", "모든 키"),
            Text::ProducedOrder => ("produced", "전송 순서"),
            Text::OrderKept => ("across partitions: same as produce order", "파티션 사이: 전송 순서와 같음"),
            Text::OrderDiffers => {
                ("across partitions: differs from produce order at", "파티션 사이: 전송 순서와 다름, 위치")
            }
            Text::PartitionOrderKept => {
                ("within each partition: in offset order", "각 파티션 안: 오프셋 순서대로")
            }
            Text::PartitionOrderBroken => (
                "within a partition: out of offset order (seek back?)",
                "파티션 안: 오프셋 순서가 바뀜 (seek로 되돌림?)",
            ),
            Text::OpenFile => ("Open a scenario file…", "시나리오 파일 열기…"),
            Text::OpenFileHelp => (
                "A TOML scenario file (see SCENARIOS.md) or a saved recording; errors name the line",
                "TOML 시나리오 파일(SCENARIOS.md 참고) 또는 저장한 녹화 파일. 오류가 있으면 줄 번호를 알려 줍니다",
            ),
            Text::Scenarios => ("Scenarios", "시나리오 목록"),
            Text::PartitionOverview => {
                ("All partitions, shaded by lag", "전체 파티션 (랙에 따라 색이 진해짐)")
            }
            Text::PartitionsShown => ("partitions", "파티션"),
            Text::MoreConsumers => (
                "more consumers: select one to see its order first",
                "명의 컨슈머가 더 있습니다. 컨슈머를 선택하면 그 순서가 맨 위에 나옵니다",
            ),
            Text::AchievedSpeed => ("running at", "실제 속도"),
            Text::AchievedSpeedHelp => (
                "The model cannot keep up with the chosen speed on this machine; virtual time runs slower instead of the page freezing.",
                "이 기기에서는 모델이 선택한 속도를 따라가지 못합니다. 화면이 멈추는 대신 가상 시간이 더 느리게 흐릅니다.",
            ),
            Text::Export => ("Export run", "실행 내보내기"),
            Text::ExportHelp => (
                "Save this scenario with everything you did as a TOML file that replays this run exactly",
                "지금까지 한 조작을 포함한 시나리오를 TOML 파일로 저장합니다. 이 실행을 그대로 재현합니다",
            ),
            Text::Replays => ("replays", "다시 읽기"),
            Text::Skips => ("skips", "건너뛰기"),
            Text::ConsoleTitle => ("Console consumer", "콘솔 컨슈머"),
            Text::OpenInOffsetLab => ("Open in OffsetLab ↗", "OffsetLab에서 열기 ↗"),
            Text::SaveRecording => ("Save recording", "녹화 저장"),
            Text::SaveRecordingHelp => (
                "Save every event so far as a recording (JSON Lines) that replays anywhere, also without the cluster it came from",
                "지금까지의 모든 이벤트를 녹화 파일(JSON Lines)로 저장합니다. 원래 클러스터 없이도 어디서나 재생할 수 있습니다",
            ),
            Text::Share => ("Share link", "링크 공유"),
            Text::ShareHelp => (
                "Put a link to exactly this moment and view in the address bar",
                "지금 이 순간과 화면 설정을 그대로 여는 링크를 주소창에 넣습니다",
            ),
            Text::ShareReady => {
                ("The address bar now links here; copy it:", "주소창이 지금 화면을 가리킵니다. 복사하세요:")
            }
            Text::JumpHere => ("Show this moment", "이 순간으로 이동"),
            Text::Present => ("Present", "발표 모드"),
            Text::PresentHelp => (
                "Presentation mode: large type and high contrast for a projector; PageDown/PageUp (or n/p) walk the guide",
                "발표 모드: 프로젝터용 큰 글자와 높은 대비. PageDown/PageUp(또는 n/p)으로 가이드 단계를 넘깁니다",
            ),
            Text::ExpectationHeld => ("Checked on this run, holds:", "이 실행에서 확인함, 성립:"),
            Text::ExpectationFailed => {
                ("Checked on this run, does not hold:", "이 실행에서 확인함, 성립하지 않음:")
            }
            Text::ExpectationPending => {
                ("To be checked when the run gets here:", "실행이 여기에 이르면 확인:")
            }
        };
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

/// `format!("{x:.1}")`, digit for digit, without core's float formatting,
/// which these few labels were the only users of (8 KB of gzipped wasm).
/// The value is exactly `m * 2^e`; its tenths are rounded half to even on
/// that exact value, as core does.
pub fn one_decimal(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = if exponent == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exponent - 1075) };
    if e >= 0 {
        return format!("{sign}{}.0", big_decimal(m, e.unsigned_abs()));
    }
    // 10m < 2^57, so from 2^-58 down the tenths are under a half: zero.
    let shift = e.unsigned_abs();
    let tenths = if shift >= 58 {
        0
    } else {
        let scaled = m * 10;
        let (whole, rest, half) = (scaled >> shift, scaled & ((1 << shift) - 1), 1 << (shift - 1));
        whole + u64::from(rest > half || (rest == half && whole % 2 == 1))
    };
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// `m * 2^e` in decimal, for floats of 2^53 and more (whole numbers).
fn big_decimal(m: u64, mut e: u32) -> String {
    const BASE: u64 = 1_000_000_000;
    // Little-endian base-10^9 digits; each step doubles up to 29 times,
    // which keeps a digit times 2^29 plus the carry within u64.
    let mut digits = vec![m % BASE, m / BASE % BASE, m / BASE / BASE];
    while e > 0 {
        let step = e.min(29);
        let mut carry = 0;
        for d in &mut digits {
            let v = (*d << step) + carry;
            *d = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            digits.push(carry % BASE);
            carry /= BASE;
        }
        e -= step;
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    let mut out = digits.last().map(u64::to_string).unwrap_or_default();
    for d in digits.iter().rev().skip(1) {
        out.push_str(&format!("{d:09}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_decimal_is_core_formatting() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Ties and near-ties, floats without fractions (from 2^52), the
        // largest, the subnormal; each is also tried negated.
        let mut values =
            vec![0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.75, 0.95, 1.25, 2.5, 9.95, 99.95, 1e22, 1e300];
        values.extend([(2f64).powi(52) - 0.5, (2f64).powi(53) + 2.0, f64::MAX, f64::MIN_POSITIVE, 1e-320]);
        values.extend([f64::INFINITY, f64::NAN]);
        for ms in 0..100_000u32 {
            values.push(f64::from(ms) / 1000.0);
        }
        for _ in 0..100_000 {
            values.push(f64::from_bits(next()));
            // Ordinary magnitudes too: random bits are mostly huge or tiny.
            values.push((next() % 10_000_000) as f64 / (1 + next() % 1000) as f64);
        }
        for v in values {
            for v in [v, -v] {
                assert_eq!(one_decimal(v), format!("{v:.1}"), "{v:e} ({:#x})", v.to_bits());
            }
        }
    }

    #[test]
    fn tags_round_trip_and_browser_tags_are_understood() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("ko-KR"), Some(Lang::Ko));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de-DE"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn korean_text_is_korean() {
        // A Korean entry left in English would still compile; catch it here.
        assert!(hangul(Text::EmptyTitle.get(Lang::Ko)));
        assert_ne!(Text::EmptyTitle.get(Lang::Ko), Text::EmptyTitle.get(Lang::En));
    }
}
