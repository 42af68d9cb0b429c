//! The error banner's messages in the reader's language.
//!
//! English is the message as the model and the app write it. Korean
//! recognises their phrasings frame by frame ("line 49: at 9000 ms: consumer
//! "c1" is not running" is a file line, a scripted moment and a refusal) and
//! keeps the English of a part it does not know: the scenario reader's rarer
//! messages (its commonest are here) and what the browser says. TOML syntax
//! errors (toml_parser's whole list) are translated too. The tests build every `ModelError`
//! through its `Display`, so a reworded message is noticed.

use super::Lang;
use super::options::config_error_ko;

/// The message a link or menu choice gets for a scenario that is not built in.
pub fn no_such_scenario(id: &str) -> String {
    format!("no built-in scenario is called \"{id}\"")
}

/// The message for a built-in scenario whose file could not be fetched.
pub fn scenario_unavailable(id: &str, reason: &str) -> String {
    format!("could not load the scenario \"{id}\": {reason}")
}

/// A scripted step the model refused after a person changed the run (say,
/// the scenario crashes a consumer they already crashed).
pub fn skipped_after_changes(refusal: &str) -> String {
    format!("{SKIPPED_AFTER_CHANGES}{refusal}")
}

const SKIPPED_AFTER_CHANGES: &str = "scenario step skipped, since you changed this run: ";

/// Why playback stopped at `source::sim::RECORD_LIMIT`.
pub const RECORD_LIMIT_REACHED: &str = "this run has produced 1,000,000 records, as many as a browser page can keep, so the clock stops here. Scrub back, export, restart, or give the producers a lower rate_per_sec or a count";

/// Why playback stopped at `heap::MEMORY_LIMIT`.
pub const MEMORY_LIMIT_REACHED: &str = "this run holds 1 GB of memory, as much as a browser page can safely keep, so the clock stops here. Scrub back, export, restart, or run it with fewer partitions, consumers or rebalances";

/// A guide step's expectation that did not hold after a person changed the
/// run: the guide describes the run as written, so this is no fault of it.
pub fn failed_after_changes(why: &str) -> String {
    format!("{FAILED_AFTER_CHANGES}{why}")
}

const FAILED_AFTER_CHANGES: &str = "you changed this run: ";

/// What a link's unreadable parameters (`UrlState::unreadable`) mean for
/// the page, one line each.
pub fn link_unreadable(unreadable: &[(&str, String)]) -> String {
    let lines: Vec<String> = unreadable
        .iter()
        .map(|(key, value)| match *key {
            "t" => format!("the link's t=\"{value}\" is not a whole number of milliseconds; the run opens at 0 ms"),
            "run" => "the link's run (a whole scenario) is damaged, perhaps cut short when it was copied; it cannot be opened".into(),
            key => format!("the link's {key}=\"{value}\" cannot be read; it was left out"),
        })
        .collect();
    lines.join("\n")
}

/// `message` (one problem per line) in `lang`.
pub fn problem(message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => message.to_string(),
        Lang::Ko => message.lines().map(ko).collect::<Vec<_>>().join("\n"),
    }
}

fn ko(m: &str) -> String {
    known_ko(m).unwrap_or_else(|| m.to_string())
}

/// `prefix"NAME"suffix` → NAME, a name without quotes (so `topic "u" of
/// producer "p1" is …` is not read as one topic called `u" of producer "p1`).
fn quoted<'a>(m: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    let name = m.strip_prefix(prefix)?.strip_prefix('"')?.strip_suffix(suffix)?.strip_suffix('"')?;
    (!name.contains('"')).then_some(name)
}

fn digits(s: &str) -> Option<&str> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// Whole messages (or the part after a frame), English → Korean.
const FIXED_KO: &[(&str, &str)] = &[
    (
        MEMORY_LIMIT_REACHED,
        "이 실행이 메모리를 1 GB 차지해 브라우저 페이지가 안전하게 담을 수 있는 한도에 이르렀으므로 시계가 여기서 멈춥니다. 되감거나, 내보내거나, 처음부터 다시 하거나, 파티션·컨슈머·리밸런스를 줄여 실행하세요",
    ),
    (
        RECORD_LIMIT_REACHED,
        "이 실행은 레코드를 1,000,000개 만들었습니다. 브라우저 페이지가 담을 수 있는 만큼이라 시계가 여기서 멈춥니다. 되감거나, 내보내거나, 처음부터 다시 하거나, 프로듀서의 rate_per_sec를 낮추거나 count를 정하세요",
    ),
    ("integer number overflowed", "정수가 너무 큽니다"),
    ("seek offset must not be negative", "seek 오프셋은 음수일 수 없습니다"),
    ("`count` must be 1 to 1000000", "`count`는 1에서 1000000 사이여야 합니다"),
    ("`partition` must be a string like \"orders-0\"", "`partition`은 \"orders-0\" 같은 문자열이어야 합니다"),
    (
        "`partition` of produce is a partition number, e.g. 2",
        "produce의 `partition`은 파티션 번호입니다 (예: 2)",
    ),
    (
        "keys must be \"none\", { cycle = [\"a\", \"b\"] } or { random = 5 }",
        "keys는 \"none\", { cycle = [\"a\", \"b\"] }, { random = 5 } 중 하나여야 합니다",
    ),
    (
        "expect needs exactly one of `group` or `consumer`",
        "expect: `group`과 `consumer` 중 정확히 하나가 필요합니다",
    ),
    (
        "expect checks nothing (add e.g. `state` or `processed`)",
        "expect: 확인하는 것이 없습니다 (예: `state`나 `processed`를 넣으세요)",
    ),
    // After `consumer "c1": ` or `producer "p1": `.
    ("the poll timeout must be at least 1 ms", "poll 타임아웃은 1 ms 이상이어야 합니다"),
    (
        "subscribe() needs a group.id (use assign without a group)",
        "subscribe()에는 group.id가 필요합니다 (그룹 없이 읽으려면 assign()을 쓰세요)",
    ),
    ("rate must be at least 1 per second", "전송 속도는 초당 1건 이상이어야 합니다"),
    ("the key cycle is empty", "순환할 키 목록이 비어 있습니다"),
    ("random keys need at least 1 key", "무작위 키에는 키가 1개 이상 필요합니다"),
    // A guide check's mismatch.
    (
        "the group does not exist yet (no member has joined it)",
        "그룹이 아직 없습니다 (참여한 멤버가 없습니다)",
    ),
    ("the consumer has not started yet", "컨슈머가 아직 시작하지 않았습니다"),
    ("it is a member of its group, expected not to be", "그룹의 멤버입니다 (기대: 멤버가 아님)"),
    ("it is not a member of a group, expected to be", "그룹의 멤버가 아닙니다 (기대: 멤버)"),
];

/// `prefix"NAME"suffix` messages, English → Korean with `{}` for the name.
const QUOTED_KO: &[(&str, &str, &str)] = &[
    ("no built-in scenario is called ", "", "\"{}\"이라는 내장 시나리오가 없습니다"),
    ("consumer ", " is not defined", "컨슈머 \"{}\"은(는) 정의되어 있지 않습니다"),
    ("producer ", " is not defined", "프로듀서 \"{}\"은(는) 정의되어 있지 않습니다"),
    ("consumer ", " is already running", "컨슈머 \"{}\"은(는) 이미 실행 중입니다"),
    ("producer ", " is already running", "프로듀서 \"{}\"은(는) 이미 실행 중입니다"),
    ("consumer ", " is not running", "컨슈머 \"{}\"은(는) 실행 중이 아닙니다"),
    ("consumer ", " has not started", "컨슈머 \"{}\"은(는) 아직 시작하지 않았습니다"),
    ("topic ", " does not exist", "토픽 \"{}\"이(가) 없습니다"),
    ("topic ", " is not defined", "토픽 \"{}\"이(가) 정의되어 있지 않습니다"),
    ("topic ", " is defined twice", "토픽 \"{}\"이(가) 두 번 정의되었습니다"),
    (
        "topic name ",
        " must be non-empty without spaces",
        "토픽 이름 \"{}\"은(는) 비어 있지 않고 공백이 없어야 합니다",
    ),
    ("consumer id ", " is empty or defined twice", "컨슈머 id \"{}\"이(가) 비어 있거나 두 번 정의되었습니다"),
    (
        "producer id ",
        " is empty or defined twice",
        "프로듀서 id \"{}\"이(가) 비어 있거나 두 번 정의되었습니다",
    ),
    (
        "consumer ",
        " has both subscribe and assign; Kafka allows only one",
        "컨슈머 \"{}\"에 subscribe와 assign이 모두 있습니다. Kafka는 하나만 허용합니다",
    ),
    ("no consumer has group.id ", "", "group.id가 \"{}\"인 컨슈머가 없습니다"),
];

/// A message of one of the two tables above.
fn table_ko(m: &str) -> Option<String> {
    if let Some((_, ko)) = FIXED_KO.iter().find(|(en, _)| *en == m) {
        return Some((*ko).to_string());
    }
    QUOTED_KO
        .iter()
        .find_map(|(prefix, suffix, ko)| quoted(m, prefix, suffix).map(|name| ko.replacen("{}", name, 1)))
}

fn known_ko(m: &str) -> Option<String> {
    // Frames: a step skipped after a person's changes, a file's line (and
    // column), a scripted action's moment.
    if let Some(rest) = m.strip_prefix(SKIPPED_AFTER_CHANGES) {
        return Some(format!("직접 바꾼 실행이라 시나리오 단계를 건너뛰었습니다: {}", ko(rest)));
    }
    if let Some(rest) = m.strip_prefix("line ") {
        let (place, rest) = rest.split_once(": ")?;
        let place = match place.split_once(", column ") {
            Some((line, column)) => format!("{}행 {}열", digits(line)?, digits(column)?),
            None => format!("{}행", digits(place)?),
        };
        return Some(format!("{place}: {}", ko(rest)));
    }
    if let Some((ms, rest)) = m.strip_prefix("at ").and_then(|r| r.split_once(" ms: ")) {
        return Some(format!("{} ms 시점: {}", digits(ms)?, ko(rest)));
    }
    if let Some(ko) = table_ko(m) {
        return Some(ko);
    }
    if let Some(rest) = m.strip_prefix("could not load the scenario \"") {
        let (id, reason) = rest.split_once("\": ")?;
        return Some(format!("시나리오 \"{id}\"을 불러오지 못했습니다: {reason}"));
    }
    if let Some(rest) = m.strip_prefix("the link's ") {
        if rest.starts_with("run (a whole scenario) is damaged") {
            return Some(
                "링크의 run(시나리오 전체)이 손상되었습니다. 복사할 때 잘렸을 수 있습니다. 열 수 없습니다"
                    .into(),
            );
        }
        let (param, rest) = rest.split_once("=\"")?;
        let (value, rest) = rest.split_once("\" ")?;
        return match rest {
            "is not a whole number of milliseconds; the run opens at 0 ms" => {
                Some(format!("링크의 {param}=\"{value}\"은(는) 밀리초 정수가 아닙니다. 0 ms에서 엽니다"))
            }
            "cannot be read; it was left out" => {
                Some(format!("링크의 {param}=\"{value}\"을(를) 읽을 수 없어 뺐습니다"))
            }
            _ => None,
        };
    }
    if let Some(ko) = scenario_file_ko(m) {
        return Some(ko);
    }
    if let Some(ko) = toml_syntax_ko(m) {
        return Some(ko);
    }
    // The model's refusals (`ModelError`) not in the tables.
    if let Some(tp) = m.strip_prefix("partition ").and_then(|r| r.strip_suffix(" does not exist")) {
        return Some(format!("파티션 {tp}이(가) 없습니다"));
    }
    if let Some((tp, rest)) =
        m.strip_prefix("partition ").and_then(|r| r.split_once(" does not exist (topic \""))
    {
        let (topic, n) = rest.strip_suffix(')')?.split_once("\" has ")?;
        return Some(format!("파티션 {tp}이(가) 없습니다 (토픽 \"{topic}\"의 파티션은 {n}개)"));
    }
    if let Some(rest) = m.strip_prefix("time went backwards: input at ") {
        let (now, current) = rest.strip_suffix(" ms")?.split_once(" ms, model already at ")?;
        return Some(format!("시간이 거꾸로 갔습니다: 입력은 {now} ms인데 모델은 이미 {current} ms입니다"));
    }
    if let Some(rest) = m.strip_prefix("seek offset must not be negative, got ") {
        return Some(format!("seek 오프셋은 음수일 수 없습니다 (입력: {rest})"));
    }
    // "consumer "c1": …" and "producer "p1": …": a refusal about one client.
    for (who, who_ko) in [("consumer \"", "컨슈머"), ("producer \"", "프로듀서")] {
        if let Some((name, rest)) = m.strip_prefix(who).and_then(|r| r.split_once("\": ")) {
            return Some(format!("{who_ko} \"{name}\": {}", client_ko(rest)?));
        }
    }
    // A file that cannot be opened: "NAME: larger than …", "NAME: cannot read the file: …".
    if let Some((name, rest)) = m.split_once(": larger than ") {
        let (kib, _) = rest.split_once(" KiB; ")?;
        return Some(format!(
            "{name}: {kib} KiB보다 큽니다. 시나리오 파일은 작은 TOML, 녹화는 그보다 큰 JSON Lines입니다"
        ));
    }
    if let Some((name, why)) = m.split_once(": cannot read the file: ") {
        return Some(format!("{name}: 파일을 읽을 수 없습니다: {why}"));
    }
    if m.starts_with("this is a recording:") {
        return Some(
            "녹화입니다: 일어난 일을 다시 보여 줄 뿐입니다. 컨슈머를 조작하거나 시나리오로 내보내려면 시나리오를 여세요."
                .into(),
        );
    }
    // A scenario's source before its error: "seek: line 3, column 1: …".
    if let Some((source, rest)) =
        m.split_once(": ").filter(|(s, r)| !s.contains(' ') && r.starts_with("line "))
    {
        return Some(format!("{source}: {}", known_ko(rest)?));
    }
    None
}

/// TOML syntax errors, as the toml crate writes them: what is wrong, then
/// `, expected ` and what could come there (`]`, "newline", "digits"), or
/// `nothing`. Literals in backquotes stay as they are.
fn toml_syntax_ko(m: &str) -> Option<String> {
    let (what, expected) = match m.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (m, None),
    };
    let (_, what_ko) = TOML_SYNTAX_KO.iter().find(|(en, _)| *en == what)?;
    match expected {
        None | Some("nothing") => Some((*what_ko).to_string()),
        Some(list) => {
            let items: Option<Vec<String>> = list.split(", ").map(toml_expected_ko).collect();
            Some(format!("{what_ko} (기대: {})", items?.join(", ")))
        }
    }
}

/// One thing a TOML syntax error says could come: a literal in backquotes
/// as it is, a word from `TOML_EXPECTED_KO`, or a date-time field's range
/// ("hour between 00 and 23").
fn toml_expected_ko(item: &str) -> Option<String> {
    if item.starts_with('`') {
        // "`-` (YYYY-MM) or `:` (HH:MM)", "`T` between date and time".
        return Some(item.replace(" or ", " 또는 ").replace(" between date and time", " (날짜와 시각 사이)"));
    }
    if let Some((_, ko)) = TOML_EXPECTED_KO.iter().find(|(en, _)| *en == item) {
        return Some((*ko).to_string());
    }
    let (unit, range) = item.split_once(" between ")?;
    let (low, high) = range.split_once(" and ")?;
    let unit = match unit {
        "day" => "일",
        "hour" | "hours" => "시",
        "minute" | "minutes" => "분",
        "month" => "월",
        "second" => "초",
        _ => return None,
    };
    Some(format!("{}~{} 사이의 {unit}", digits(low)?, digits(high)?))
}

/// What toml_parser (and toml) call a syntax error, English → Korean.
const TOML_SYNTAX_KO: &[(&str, &str)] = &[
    ("`_` may only go between digits", "`_`는 숫자 사이에만 쓸 수 있습니다"),
    ("cannot recurse further; max recursion depth met", "중첩이 너무 깊습니다"),
    ("recursion limit", "중첩이 너무 깊습니다"),
    ("carriage return must be followed by newline", "캐리지 리턴 뒤에는 줄바꿈이 와야 합니다"),
    ("duplicate key", "키가 중복되었습니다"),
    ("extra `=`", "`=`가 하나 더 있습니다"),
    ("extra assignment between key-value pairs", "키-값 쌍 사이에 `=`가 하나 더 있습니다"),
    ("extra comma in array", "배열에 쉼표가 하나 더 있습니다"),
    ("extra comma in inline table", "인라인 테이블에 쉼표가 하나 더 있습니다"),
    ("integers with a radix cannot be signed", "진법 접두사가 있는 정수에는 부호를 붙일 수 없습니다"),
    ("invalid basic string", "기본 문자열이 잘못되었습니다"),
    ("invalid binary number", "2진수가 잘못되었습니다"),
    ("invalid boolean", "불리언 값이 잘못되었습니다"),
    ("invalid comment character", "주석에 쓸 수 없는 문자입니다"),
    ("invalid date", "날짜가 잘못되었습니다"),
    ("invalid date-time", "날짜-시간이 잘못되었습니다"),
    ("invalid datetime", "날짜-시간이 잘못되었습니다"),
    ("invalid exponent", "지수가 잘못되었습니다"),
    ("invalid float", "실수가 잘못되었습니다"),
    ("invalid fraction", "소수부가 잘못되었습니다"),
    ("invalid hexadecimal number", "16진수가 잘못되었습니다"),
    ("invalid inline table element", "인라인 테이블의 요소가 잘못되었습니다"),
    ("invalid integer number", "정수가 잘못되었습니다"),
    ("invalid key", "키가 잘못되었습니다"),
    ("invalid key-value pair", "키-값 쌍이 잘못되었습니다"),
    ("invalid literal string", "리터럴 문자열이 잘못되었습니다"),
    ("invalid mantissa", "가수부가 잘못되었습니다"),
    ("invalid multi-line basic string", "여러 줄 기본 문자열이 잘못되었습니다"),
    ("invalid multi-line literal string", "여러 줄 리터럴 문자열이 잘못되었습니다"),
    ("invalid octal number", "8진수가 잘못되었습니다"),
    ("invalid offset", "시간대 오프셋이 잘못되었습니다"),
    ("invalid string", "문자열이 잘못되었습니다"),
    ("invalid table", "테이블이 잘못되었습니다"),
    ("invalid time", "시각이 잘못되었습니다"),
    ("invalid unquoted key", "따옴표 없는 키가 잘못되었습니다"),
    ("invalid value", "값이 잘못되었습니다"),
    ("key with no value", "값이 없는 키입니다"),
    ("keys cannot be multi-line basic strings", "키는 여러 줄 기본 문자열일 수 없습니다"),
    ("keys cannot be multi-line literal strings", "키는 여러 줄 리터럴 문자열일 수 없습니다"),
    ("missing array opening", "배열을 여는 `[`가 없습니다"),
    ("missing assignment between key-value pairs", "키와 값 사이에 `=`가 없습니다"),
    ("missing comma between array elements", "배열 요소 사이에 쉼표가 없습니다"),
    ("missing comma between key-value pairs", "키-값 쌍 사이에 쉼표가 없습니다"),
    ("missing comment start", "주석을 여는 `#`가 없습니다"),
    ("missing escaped value", "`\\` 뒤에 이스케이프할 문자가 없습니다"),
    ("missing inline table opening", "인라인 테이블을 여는 `{`가 없습니다"),
    ("missing key for inline table element", "인라인 테이블 요소에 키가 없습니다"),
    ("missing opening quote", "여는 따옴표가 없습니다"),
    ("missing table open", "테이블을 여는 `[`가 없습니다"),
    ("missing value for key", "키에 값이 없습니다"),
    ("missing value", "값이 없습니다"),
    ("radix must be lowercase", "진법 접두사는 소문자여야 합니다"),
    ("redundant integer number prefix", "정수 접두사가 중복되었습니다"),
    ("redundant numeric sign", "부호가 중복되었습니다"),
    ("string values must be quoted", "문자열 값은 따옴표로 감싸야 합니다"),
    ("too few unicode value digits", "유니코드 값의 자릿수가 모자랍니다"),
    ("unclosed array table", "배열 테이블이 닫히지 않았습니다"),
    ("unclosed array", "배열이 닫히지 않았습니다"),
    ("unclosed inline table", "인라인 테이블이 닫히지 않았습니다"),
    ("unclosed table", "테이블이 닫히지 않았습니다"),
    ("unexpected `=` in array", "배열 안에 `=`가 있습니다"),
    ("unexpected content between comment and newline", "주석과 줄바꿈 사이에 예상하지 못한 내용이 있습니다"),
    ("unexpected content", "예상하지 못한 내용입니다"),
    ("unexpected key or value", "예상하지 못한 키나 값입니다"),
    ("unexpected leading zero", "숫자 앞에 0을 붙일 수 없습니다"),
    ("unexpected sign", "예상하지 못한 부호입니다"),
    ("unquoted keys cannot be empty", "따옴표 없는 키는 비어 있을 수 없습니다"),
];

/// What could come instead, in toml_parser's and toml's words.
const TOML_EXPECTED_KO: &[(&str, &str)] = &[
    ("+OFFSET", "+오프셋"),
    ("-OFFSET", "-오프셋"),
    ("a four-digit year (YYYY)", "네 자리 연도 (YYYY)"),
    ("a two-digit day (DD)", "두 자리 일 (DD)"),
    ("a two-digit hour (HH)", "두 자리 시 (HH)"),
    ("a two-digit minute (MM)", "두 자리 분 (MM)"),
    ("a two-digit month (MM)", "두 자리 월 (MM)"),
    ("a two-digit second (SS)", "두 자리 초 (SS)"),
    ("basic string", "기본 문자열"),
    ("characters", "문자"),
    ("date", "날짜"),
    ("date-time", "날짜-시간"),
    ("day", "일"),
    ("digits", "숫자"),
    ("hour", "시"),
    ("key", "키"),
    ("letters", "글자"),
    ("literal string", "리터럴 문자열"),
    ("minute", "분"),
    ("month", "월"),
    ("multi-line basic string", "여러 줄 기본 문자열"),
    ("nanosecond", "나노초"),
    ("nanoseconds overflowed", "너무 큰 나노초"),
    ("newline", "줄바꿈"),
    ("non-double-quote visible characters", "큰따옴표가 아닌 보이는 문자"),
    ("non-single-quote characters", "작은따옴표가 아닌 문자"),
    ("non-single-quote visible characters", "작은따옴표가 아닌 보이는 문자"),
    ("numbers", "숫자"),
    ("offset", "시간대 오프셋"),
    ("printable characters", "출력 가능한 문자"),
    ("second", "초"),
    ("time", "시각"),
    ("unicode hexadecimal value", "유니코드 16진 값"),
    ("value", "값"),
    ("year or hour", "연도나 시"),
];

/// The scenario reader's commonest messages: a missing, unknown, repeated or
/// mistyped key, and an action that lacks a field. Values and names inside
/// them (`string "abc"`, `a map`) are the file's and TOML's own words.
fn scenario_file_ko(m: &str) -> Option<String> {
    if let Some(key) = m.strip_prefix("missing field ") {
        return Some(format!("{key} 항목이 없습니다"));
    }
    if let Some((key, expected)) = m.strip_prefix("unknown field ").and_then(|r| r.split_once(", expected "))
    {
        // "`a` or `b`", "one of `a`, `b`, `c`": the names alone.
        let expected = expected.trim_start_matches("one of ").replace("` or `", "`, `");
        return Some(format!("알 수 없는 항목 {key} (가능: {expected})"));
    }
    for (invalid, invalid_ko) in
        [("invalid type: ", "형식이 맞지 않습니다"), ("invalid value: ", "값이 맞지 않습니다")]
    {
        if let Some((found, expected)) = m.strip_prefix(invalid).and_then(|r| r.split_once(", expected ")) {
            return Some(format!("{invalid_ko}: {found} (기대: {expected})"));
        }
    }
    if let Some(key) = m.strip_suffix(" is set twice") {
        return Some(format!("{key}이(가) 두 번 설정되었습니다"));
    }
    if let Some(rest) = m.strip_prefix("action ") {
        let (action, rest) = rest.split_once(' ')?;
        let action = format!("동작 {}", digits(action.trim_end_matches(':'))?);
        if let Some(field) =
            rest.split_once(") needs ").map(|(kind, field)| (kind.trim_start_matches('('), field))
        {
            return Some(format!("{action} ({}): {} 항목이 필요합니다", field.0, field.1));
        }
        if let Some((kind, field)) = rest.strip_prefix('(').and_then(|r| r.split_once("): ")) {
            let field = field.strip_suffix(" does not apply here")?;
            return Some(format!("{action} ({kind}): {field} 항목은 여기에 쓸 수 없습니다"));
        }
        if let Some((kind, known)) =
            rest.strip_prefix("unknown action \"").and_then(|r| r.split_once("\" (known: "))
        {
            return Some(format!("{action}: 알 수 없는 동작 \"{kind}\" (가능: {}", known));
        }
        // "action 3: consumer "c1": …", "action 3: seek offset must not be negative".
        return Some(format!("{action}: {}", ko(rest)));
    }
    // A guide step's expectation: "guide step 2: expect: …".
    if let Some(rest) = m.strip_prefix("guide step ") {
        let (number, rest) = rest.split_once(": ")?;
        let step = format!("가이드 {}단계", digits(number)?);
        if let Some(rest) = rest.strip_prefix("expect: ") {
            return Some(format!("{step} expect: {}", expect_ko(rest)?));
        }
        if let Some(ko) = table_ko(rest) {
            return Some(format!("{step} {ko}"));
        }
        if let Some((at, until)) = rest
            .strip_prefix("at_ms ")
            .and_then(|r| r.split_once(" is after the end of the run (until_ms = "))
        {
            return Some(format!("{step}: at_ms {at}이(가) 실행이 끝난 뒤입니다 (until_ms = {until}"));
        }
        if let Some(rest) = rest.strip_prefix("at_ms ") {
            let (at, previous) = rest.split_once(" comes before the previous step's ")?;
            let previous = previous.strip_suffix("; steps go in time order")?;
            return Some(format!(
                "{step}: at_ms {at}이(가) 앞 단계의 {previous}보다 이릅니다. 단계는 시간 순서대로 씁니다"
            ));
        }
        return None;
    }
    if let Some(rest) = m.strip_prefix("broker: ") {
        return Some(format!("broker: {}", client_ko(rest)?));
    }
    // Definitions: topics, producers, consumers and what they name.
    if let Some((name, got)) =
        m.strip_prefix("topic \"").and_then(|r| r.split_once("\" needs 1 to 10000 partitions, got "))
    {
        return Some(format!("토픽 \"{name}\"의 파티션 수는 1에서 10000 사이여야 합니다 (입력: {got})"));
    }
    if let Some((name, partition)) =
        m.strip_prefix("topic \"").and_then(|r| r.split_once("\" has no partition "))
    {
        return Some(format!("토픽 \"{name}\"에는 파티션 {partition}이(가) 없습니다"));
    }
    for (who, who_ko) in [("producer", "프로듀서"), ("consumer", "컨슈머")] {
        if let Some((topic, rest)) =
            m.strip_prefix("topic \"").and_then(|r| r.split_once(&format!("\" of {who} \"")))
        {
            let id = rest.strip_suffix("\" is not defined")?;
            return Some(format!("{who_ko} \"{id}\"의 토픽 \"{topic}\"이(가) 정의되어 있지 않습니다"));
        }
        if let Some((id, number)) = m
            .strip_prefix(&format!("{who} \""))
            .and_then(|r| r.split_once("\" in action "))
            .and_then(|(id, r)| Some((id, r.strip_suffix(" is not defined")?)))
        {
            return Some(format!("동작 {number}의 {who_ko} \"{id}\"이(가) 정의되어 있지 않습니다"));
        }
    }
    if let Some(s) = m
        .strip_prefix('`')
        .and_then(|r| r.strip_suffix("` is not a partition; write topic-partition, e.g. \"orders-0\""))
    {
        return Some(format!("`{s}`은(는) 파티션이 아닙니다. 토픽-파티션으로 쓰세요 (예: \"orders-0\")"));
    }
    if let Some(got) = m.strip_prefix("rate_per_sec must be 1 to 1000000, got ") {
        return Some(format!("rate_per_sec은(는) 1에서 1000000 사이여야 합니다 (입력: {got})"));
    }
    if let Some((strategy, known)) =
        m.strip_prefix("unknown commit strategy \"").and_then(|r| r.split_once("\" (known: "))
    {
        return Some(format!("알 수 없는 커밋 전략 \"{strategy}\" (가능: {known}"));
    }
    if let Some(key) = m.strip_suffix(": expected a string, integer, boolean or list") {
        return Some(format!("{key}: 문자열, 정수, 불리언, 목록 중 하나여야 합니다"));
    }
    if let Some(key) = m.strip_suffix(": list items must be strings") {
        return Some(format!("{key}: 목록의 항목은 문자열이어야 합니다"));
    }
    None
}

/// An expectation's target kind, as `TargetKind::name` writes it.
fn target_ko(kind: &str) -> &str {
    match kind {
        "group" => "그룹",
        "consumer" => "컨슈머",
        other => other,
    }
}

/// What follows `guide step N: expect` in an expectation's error.
fn expect_ko(m: &str) -> Option<String> {
    if let Some((key, what)) = m.strip_prefix('`').and_then(|r| r.split_once("` must be ")) {
        let what = match what {
            "a string" => "문자열".to_string(),
            "true or false" => "true 또는 false".to_string(),
            "a whole number, 0 or more" => "0 이상의 정수".to_string(),
            "a list of partitions, e.g. [\"orders-0\"]" => "파티션 목록 (예: [\"orders-0\"])".to_string(),
            other => other.trim_start_matches("one of ").to_string(),
        };
        return Some(format!("`{key}`은(는) {what}이어야 합니다"));
    }
    if let Some(rest) = m.strip_prefix("unknown key `") {
        let (key, rest) = rest.split_once("` for a ")?;
        let (kind, known) = rest.split_once(" (known: ")?;
        return Some(format!("{}에 없는 키 `{key}` (가능: {known}", target_ko(kind)));
    }
    if let Some((key, rest)) = m.strip_prefix('`').and_then(|r| r.split_once("` applies to a ")) {
        let (right, wrong) = rest.split_once(", not a ")?;
        return Some(format!(
            "`{key}`은(는) {}이 아니라 {}에 쓰는 키입니다",
            target_ko(wrong),
            target_ko(right)
        ));
    }
    table_ko(m)
}

/// What follows `consumer "c1": ` or `producer "p1": `.
fn client_ko(m: &str) -> Option<String> {
    // A config error: "`key`: message".
    if let Some((key, message)) = m.strip_prefix('`').and_then(|r| r.split_once("`: ")) {
        return Some(format!("`{key}`: {}", config_error_ko(message).unwrap_or_else(|| message.to_string())));
    }
    if let Some(strategy) =
        m.strip_prefix("commit strategy ").and_then(|r| r.strip_suffix(" needs a group.id to commit to"))
    {
        return Some(format!("커밋 전략 {strategy}에는 커밋할 group.id가 필요합니다"));
    }
    table_ko(m)
}

/// Why a guide step's expectation did not hold (`ExpectationFailure`:
/// `group "app": duplicates is 10, expected 20; lost is 1, expected 0`) in
/// `lang`. The checks keep the scenario file's names (`duplicates`).
pub fn expectation_failure(why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => why.to_string(),
        Lang::Ko => {
            if let Some(why) = why.strip_prefix(FAILED_AFTER_CHANGES) {
                return format!("직접 바꾼 실행입니다: {}", expectation_failure(why, lang));
            }
            let Some((target, mismatches)) = why.split_once(": ") else { return why.to_string() };
            let target = if let Some(g) = quoted(target, "group ", "") {
                format!("그룹 \"{g}\"")
            } else if let Some(c) = quoted(target, "consumer ", "") {
                format!("컨슈머 \"{c}\"")
            } else {
                return why.to_string();
            };
            let mismatches: Vec<String> =
                mismatches.split("; ").map(|m| mismatch_ko(m).unwrap_or_else(|| m.to_string())).collect();
            format!("{target}: {}", mismatches.join("; "))
        }
    }
}

fn mismatch_ko(m: &str) -> Option<String> {
    if let Some(ko) = table_ko(m) {
        return Some(ko);
    }
    if let Some(error) = m.strip_prefix("it has not reported ") {
        return Some(format!("{error} 오류를 보고하지 않았습니다"));
    }
    let bound = |want: &str| match (want.strip_prefix("at least "), want.strip_prefix("at most ")) {
        (Some(n), _) => format!("{n} 이상"),
        (_, Some(n)) => format!("{n} 이하"),
        _ => want.to_string(),
    };
    for (what, what_ko) in [("committed ", "커밋 "), ("position ", "포지션 "), ("holds ", "가진 파티션 ")]
    {
        if let Some((got, want)) = m.strip_prefix(what).and_then(|r| r.split_once(", expected ")) {
            return Some(format!("{what_ko}{got} (기대: {want})"));
        }
    }
    let (name, rest) = m.split_once(" is ")?;
    let (got, want) = rest.split_once(", expected ")?;
    Some(format!("{name} = {got} (기대: {})", bound(want)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::hangul;
    use offsetlab_model::config::ConfigError;
    use offsetlab_model::model::ModelError;
    use offsetlab_model::scenario::ScenarioError;
    use offsetlab_protocol::TopicPartition;

    #[test]
    fn every_model_refusal_reads_in_korean() {
        let config =
            ConfigError { key: "max.poll.records".into(), message: "must be at least 1, got 0".into() };
        let errors = [
            ModelError::TimeWentBackwards { now: 5, current: 9 },
            ModelError::UnknownConsumer("c1".into()),
            ModelError::UnknownProducer("p1".into()),
            ModelError::UnknownTopic("orders".into()),
            ModelError::UnknownPartition(TopicPartition::new("orders", 7)),
            ModelError::ConsumerRunning("c1".into()),
            ModelError::ConsumerNotRunning("c1".into()),
            ModelError::DuplicateProducer("p1".into()),
            ModelError::Config { consumer: "c1".into(), error: config },
            ModelError::Invalid("seek offset must not be negative, got -3".into()),
            ModelError::Invalid(
                "consumer \"c1\": subscribe() needs a group.id (use assign without a group)".into(),
            ),
            ModelError::Invalid("producer \"p1\": the key cycle is empty".into()),
        ];
        for e in errors {
            let en = e.to_string();
            let ko = known_ko(&en).unwrap_or_else(|| panic!("no Korean for {en:?}"));
            assert!(hangul(&ko), "{en} → {ko}");
            assert_eq!(problem(&en, Lang::En), en);
        }
        assert_eq!(
            problem(&ModelError::ConsumerNotRunning("c1".into()).to_string(), Lang::Ko),
            "컨슈머 \"c1\"은(는) 실행 중이 아닙니다"
        );
        assert_eq!(
            problem(&ModelError::UnknownPartition(TopicPartition::new("orders", 7)).to_string(), Lang::Ko),
            "파티션 orders-7이(가) 없습니다"
        );
    }

    #[test]
    fn frames_are_translated_around_what_is_known() {
        // A scripted action the person's own crash made impossible, as the
        // scenario runner writes it.
        let refused = ScenarioError {
            line: Some(49),
            column: None,
            message: format!("at 9000 ms: {}", ModelError::ConsumerNotRunning("c1".into())),
        };
        assert_eq!(
            problem(&refused.to_string(), Lang::Ko),
            "49행: 9000 ms 시점: 컨슈머 \"c1\"은(는) 실행 중이 아닙니다"
        );
        assert_eq!(
            problem(&skipped_after_changes(&refused.to_string()), Lang::Ko),
            "직접 바꾼 실행이라 시나리오 단계를 건너뛰었습니다: 49행: 9000 ms 시점: 컨슈머 \"c1\"은(는) 실행 중이 아닙니다"
        );
        // A parser message stays English inside a Korean frame.
        let parse = ScenarioError { line: Some(3), column: Some(7), message: "expected a table".into() };
        assert_eq!(
            problem(&format!("file:my.toml: {parse}"), Lang::Ko),
            "file:my.toml: 3행 7열: expected a table"
        );
        // Two refusals, one per line.
        assert_eq!(
            problem("consumer \"a\" is already running\nproducer \"p\" is not defined", Lang::Ko),
            "컨슈머 \"a\"은(는) 이미 실행 중입니다\n프로듀서 \"p\"은(는) 정의되어 있지 않습니다"
        );
        // What nothing here knows is shown as it is.
        assert_eq!(problem("the request failed", Lang::Ko), "the request failed");
        assert_eq!(problem("line x: something", Lang::Ko), "line x: something");
    }

    #[test]
    fn a_guide_step_that_did_not_hold_says_why_in_korean() {
        use offsetlab_model::guide::{ExpectTarget, ExpectationFailure};
        let failure = |target, mismatches: &[&str]| {
            ExpectationFailure { target, mismatches: mismatches.iter().map(|m| m.to_string()).collect() }
                .to_string()
        };
        let group = failure(
            ExpectTarget::Group("app".into()),
            &[
                "duplicates is 10, expected 20",
                "lost is 3, expected at most 0",
                "committed events-0 = 25, expected events-0 = 45",
            ],
        );
        assert_eq!(
            expectation_failure(&group, Lang::Ko),
            "그룹 \"app\": duplicates = 10 (기대: 20); lost = 3 (기대: 0 이하); 커밋 events-0 = 25 (기대: events-0 = 45)"
        );
        assert_eq!(expectation_failure(&group, Lang::En), group);
        // After a person changed the run, the reason says so first.
        assert_eq!(
            expectation_failure(
                &failed_after_changes(&failure(
                    ExpectTarget::Group("app".into()),
                    &["duplicates is 10, expected 20"]
                )),
                Lang::Ko
            ),
            "직접 바꾼 실행입니다: 그룹 \"app\": duplicates = 10 (기대: 20)"
        );
        let consumer = failure(
            ExpectTarget::Consumer("c1".into()),
            &[
                "the consumer has not started yet",
                "it has not reported NoOffsetForPartition",
                "holds [], expected [a-0]",
            ],
        );
        let ko = expectation_failure(&consumer, Lang::Ko);
        assert!(
            ko.starts_with("컨슈머 \"c1\": 컨슈머가 아직 시작하지 않았습니다; NoOffsetForPartition 오류를"),
            "{ko}"
        );
        assert!(ko.ends_with("가진 파티션 [] (기대: [a-0])"), "{ko}");
    }

    #[test]
    fn the_commonest_scenario_file_mistakes_read_in_korean() {
        use offsetlab_model::scenario::Scenario;
        let korean = |text: &str| {
            let e = Scenario::parse(text).expect_err(text).to_string();
            let ko = problem(&e, Lang::Ko);
            let english =
                [" is ", "expected", " or ", "one of", "needs", " must ", "defined", " not ", " of "];
            assert!(hangul(&ko) && english.iter().all(|w| !ko.contains(w)), "{e} → {ko}");
            ko
        };
        let head = "version = 1\nname = \"x\"\nseed = 1\n";
        assert_eq!(
            korean(&format!("{head}[[topics]]\nname = \"t\"\npartitions = \"three\"\n")),
            "6행 14열: 형식이 맞지 않습니다: string \"three\" (기대: i64)"
        );
        korean(&format!("{head}[[topics]]\nname = \"t\"\n"));
        korean(&format!("{head}[[topics]]\nname = \"t\"\npartitions = 1\ncolour = 2\n"));
        korean(&format!("{head}[[topics]]\nname = \"t\"\npartitions = 99999999999999999999999\n"));
        let consumer = "[[consumers]]\nid = \"c1\"\nassign = [\"t-0\"]\n";
        let topic = "[[topics]]\nname = \"t\"\npartitions = 1\n";
        korean(&format!(
            "{head}{topic}{consumer}[[actions]]\nat_ms = 5\naction = \"seek\"\nconsumer = \"c1\"\n"
        ));
        korean(&format!("{head}{topic}{consumer}[[actions]]\nat_ms = 5\naction = \"fly\"\n"));
        // The rest of the reader's own checks, each from a real file.
        let producer = "[[producers]]\nid = \"p1\"\ntopic = \"t\"\nrate_per_sec = 5\n";
        let guide = |expect: &str| {
            format!(
                "{head}{topic}{consumer}[guide]\nquestion = \"q\"\nexplanation = \"e\"\n[[guide.steps]]\nat_ms = 5\ntext = \"s\"\nexpect = {expect}\n"
            )
        };
        for text in [
            format!("{head}[[topics]]\nname = \"a b\"\npartitions = 1\n"),
            format!("{head}{topic}{topic}"),
            format!("{head}[[topics]]\nname = \"t\"\npartitions = 0\n"),
            format!("{head}{topic}[[consumers]]\nid = \"c1\"\nassign = [\"t-3\"]\n"),
            format!("{head}{topic}[[consumers]]\nid = \"c1\"\nassign = [\"u-0\"]\n"),
            format!("{head}{topic}[[consumers]]\nid = \"c1\"\nassign = [\"t0\"]\n"),
            format!("{head}{topic}{consumer}{consumer}"),
            format!("{head}{topic}[[consumers]]\nid = \"c1\"\nassign = [\"t-0\"]\nsubscribe = [\"t\"]\n"),
            format!("{head}{topic}[[consumers]]\nid = \"c1\"\nassign = [\"t-0\"]\ncommit = \"often\"\n"),
            format!("{head}{topic}[[producers]]\nid = \"p1\"\ntopic = \"u\"\nrate_per_sec = 5\n"),
            format!("{head}{topic}[[producers]]\nid = \"p1\"\ntopic = \"t\"\nrate_per_sec = 0\n"),
            format!("{head}{topic}{producer}{producer}"),
            format!("{head}{topic}{consumer}[[actions]]\nat_ms = 5\naction = \"crash\"\nconsumer = \"c9\"\n"),
            format!(
                "{head}{topic}{consumer}[[actions]]\nat_ms = 5\naction = \"seek\"\nconsumer = \"c1\"\npartition = \"t-0\"\noffset = -1\n"
            ),
            guide("{ group = \"nobody\", state = \"Stable\" }"),
            guide("{ consumer = \"c9\", status = \"running\" }"),
            guide("{ consumer = \"c1\", colour = 1 }"),
            guide("{ consumer = \"c1\" }"),
            guide("{ consumer = \"c1\", status = 1 }"),
            guide("{ consumer = \"c1\", state = \"Stable\" }"),
        ] {
            korean(&text);
        }
    }

    #[test]
    fn toml_syntax_errors_read_in_korean() {
        use offsetlab_model::scenario::Scenario;
        let korean = |text: &str| {
            let e = Scenario::parse(text).expect_err(text).to_string();
            let syntax = e.split_once(": ").map_or(e.as_str(), |(_, m)| m);
            assert!(toml_syntax_ko(syntax).is_some(), "not a TOML syntax error: {e}");
            let ko = problem(&e, Lang::Ko);
            // Outside backquotes, nothing English is left.
            let outside: String = ko.split('`').step_by(2).collect();
            assert!(hangul(&ko) && !outside.chars().any(|c| c.is_ascii_lowercase()), "{e} → {ko}");
            ko
        };
        assert_eq!(korean("[[topics]\nname = 'a'"), "1행 10열: 배열 테이블이 닫히지 않았습니다 (기대: `]`)");
        assert_eq!(korean("a = 1 b = 2"), "1행 9열: 예상하지 못한 키나 값입니다 (기대: 줄바꿈, `#`)");
        assert_eq!(korean("a = 01"), "1행 5열: 숫자 앞에 0을 붙일 수 없습니다");
        assert_eq!(korean("a = 1\na = 2"), "2행 1열: 키가 중복되었습니다");
        for text in [
            "a = ",
            "a = [1, 2",
            "a = {b = 1",
            "a b = 1",
            "[t\nx=1",
            "a = \"unterminated",
            "a = tru",
            "= 1",
            "a = [1,,2]",
            "a = 1979-05-27T",
            "a = 1979-13-27",
            "a = 1979-05-27T25:00:00",
            "a = 1.",
            "a = 1e",
            "a = \"\\q\"",
            "a = \"\u{1}\"",
            "a = 0X1",
            "a = +0x1",
            "a = 1__2",
            "a = [1 2]",
            "a = {b = 1 c = 2}",
            "a = {b = 1,,}",
            "a = 'x' # c\u{7}",
            "a = 1979-05-27T07:32:00+25:00",
            "a = 1979-05-27T07:32:00Zx",
            "a = 1979-05-27T07:32:00+0",
            "a = 1979-05",
            "a = 07:3",
        ] {
            korean(text);
        }
    }

    #[test]
    fn the_apps_own_messages_read_in_korean() {
        assert_eq!(problem(&no_such_scenario("nope"), Lang::Ko), "\"nope\"이라는 내장 시나리오가 없습니다");
        assert_eq!(
            problem(
                &scenario_unavailable("seek", "scenarios/seek.toml: the server answered 404 Not Found"),
                Lang::Ko
            ),
            "시나리오 \"seek\"을 불러오지 못했습니다: scenarios/seek.toml: the server answered 404 Not Found"
        );
        assert!(hangul(&problem(
            "my run.toml: larger than 256 KiB; a scenario file is small TOML",
            Lang::Ko
        )));
        assert!(hangul(&problem("a.toml: cannot read the file: NotReadableError", Lang::Ko)));
        assert!(hangul(&problem(crate::source::sim::RECORDING_ONLY, Lang::Ko)));
        let link = crate::source::url::UrlState::parse("?t=abc&lang=xx&speed=fast&run=%21");
        let text = link_unreadable(&link.unreadable);
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.starts_with("the link's t=\"abc\" is not a whole number"), "{text}");
        for line in problem(&text, Lang::Ko).lines() {
            assert!(hangul(line), "{line}");
        }
    }
}
