//! Scenario files: a versioned, hand-writable TOML format (see SCENARIOS.md).
//!
//! Parsing checks everything that can be checked before running (names,
//! references, partitions, configs) and reports the line and column of the
//! offending value. Problems that only show while running (e.g. producing to
//! a partition that does not exist yet cannot happen, but a consumer that is
//! not running when an action targets it can) are reported with the line of
//! the action.
//!
//! A parsed [`Scenario`] keeps what the file declares (producers, consumers,
//! actions, in file order), so that [`Scenario::to_toml`] can write it back
//! and [`Scenario::with_inputs`] can add what a person did during a run
//! (see `export.rs`).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use offsetlab_protocol::{CommitStrategy, Event, GroupState, TopicPartition};
use toml::Spanned;

use crate::config::{BrokerConfig, ConsumerConfig};
use crate::guide::{
    Bound, CHECK_KEYS, Check, Count, ExpectTarget, Expectation, Guide, GuideStep, TargetKind,
    status_from_name,
};
use crate::model::{
    ConsumerSpec, DEFAULT_BATCH_SIZE_BYTES, DEFAULT_POLL_TIMEOUT_MS, Input, KeyPattern, Model, ModelConfig,
    ModelError, ProducerSpec, Subscription,
};
use crate::stats::ConsumerError;

mod export;
mod read;

use read::{Settings, Value};

/// A value of the file, with its span.
type Item<'i> = Spanned<toml::de::DeValue<'i>>;

/// The only format version this build reads.
pub const SCENARIO_VERSION: i64 = 1;

/// A problem in a scenario file, with its position when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

struct FileDef {
    version: Spanned<i64>,
    name: String,
    description: String,
    name_ko: Option<String>,
    description_ko: Option<String>,
    seed: u64,
    until_ms: Option<u64>,
    broker: Settings,
    topics: Vec<TopicDef>,
    producers: Vec<ProducerDef>,
    consumers: Vec<ConsumerDef>,
    actions: Vec<ActionDef>,
    guide: Option<GuideDef>,
}

struct GuideDef {
    question: String,
    question_ko: Option<String>,
    explanation: String,
    explanation_ko: Option<String>,
    steps: Vec<GuideStepDef>,
}

struct GuideStepDef {
    at_ms: Spanned<u64>,
    text: String,
    text_ko: Option<String>,
    expect: Option<Spanned<Settings>>,
}

struct TopicDef {
    name: Spanned<String>,
    partitions: Spanned<i64>,
}

struct ProducerDef {
    id: Spanned<String>,
    topic: Spanned<String>,
    rate_per_sec: Spanned<i64>,
    count: Option<u64>,
    start_ms: u64,
    keys: Option<Spanned<Value>>,
    partition: Option<Spanned<i64>>,
    value_bytes: Option<u32>,
    batch_size: Option<u32>,
    autostart: bool,
}

struct ConsumerDef {
    id: Spanned<String>,
    subscribe: Option<Spanned<Vec<String>>>,
    assign: Option<Spanned<Vec<Spanned<String>>>>,
    processing_ms: u64,
    commit: Option<Spanned<String>>,
    poll_timeout_ms: Option<Spanned<u64>>,
    start_ms: u64,
    autostart: bool,
    config: Settings,
}

struct ActionDef {
    at_ms: u64,
    after_timers: bool,
    action: Spanned<String>,
    consumer: Option<Spanned<String>>,
    producer: Option<Spanned<String>>,
    topic: Option<Spanned<String>>,
    topics: Option<Spanned<Vec<String>>>,
    partition: Option<Spanned<Value>>,
    partitions: Option<Spanned<Vec<Spanned<String>>>>,
    offset: Option<Spanned<i64>>,
    key: Option<String>,
    value: Option<String>,
    count: Option<Spanned<i64>>,
    config: Option<Spanned<Settings>>,
}

// Readers of the structs above (see `read.rs`): fields in declaration
// order, as serde listed them in `unknown field` messages.

fn text(v: &Item) -> Result<String, read::Error> {
    read::string(v).map(Spanned::into_inner)
}

fn number(v: &Item) -> Result<u64, read::Error> {
    read::uint(v).map(Spanned::into_inner)
}

fn each<T>(v: &Item, item: fn(&Item) -> Result<T, read::Error>) -> Result<Vec<T>, read::Error> {
    read::array(v, &item).map(Spanned::into_inner)
}

impl FileDef {
    fn read(v: &Item) -> Result<FileDef, read::Error> {
        const FIELDS: &[&str] = &[
            "version",
            "name",
            "description",
            "name_ko",
            "description_ko",
            "seed",
            "until_ms",
            "broker",
            "topics",
            "producers",
            "consumers",
            "actions",
            "guide",
        ];
        let mut version = None;
        let mut f = FileDef {
            version: Spanned::new(0..0, 0),
            name: String::new(),
            description: String::new(),
            name_ko: None,
            description_ko: None,
            seed: 0,
            until_ms: None,
            broker: Settings::new(),
            topics: Vec::new(),
            producers: Vec::new(),
            consumers: Vec::new(),
            actions: Vec::new(),
            guide: None,
        };
        let span = read::table(v, "struct FileDef", FIELDS, &mut |k, v| {
            match k {
                "version" => version = Some(read::int(v)?),
                "name" => f.name = text(v)?,
                "description" => f.description = text(v)?,
                "name_ko" => f.name_ko = Some(text(v)?),
                "description_ko" => f.description_ko = Some(text(v)?),
                "seed" => f.seed = number(v)?,
                "until_ms" => f.until_ms = Some(number(v)?),
                "broker" => f.broker = read::settings(v)?.into_inner(),
                "topics" => f.topics = each(v, TopicDef::read)?,
                "producers" => f.producers = each(v, ProducerDef::read)?,
                "consumers" => f.consumers = each(v, ConsumerDef::read)?,
                "actions" => f.actions = each(v, ActionDef::read)?,
                _ => f.guide = Some(GuideDef::read(v)?),
            }
            Ok(())
        })?;
        f.version = read::required(version, "version", &span)?;
        Ok(f)
    }
}

impl GuideDef {
    fn read(v: &Item) -> Result<GuideDef, read::Error> {
        const FIELDS: &[&str] = &["question", "question_ko", "explanation", "explanation_ko", "steps"];
        let (mut question, mut question_ko, mut explanation, mut explanation_ko) = (None, None, None, None);
        let mut steps = Vec::new();
        let span = read::table(v, "struct GuideDef", FIELDS, &mut |k, v| {
            match k {
                "question" => question = Some(text(v)?),
                "question_ko" => question_ko = Some(text(v)?),
                "explanation" => explanation = Some(text(v)?),
                "explanation_ko" => explanation_ko = Some(text(v)?),
                _ => steps = each(v, GuideStepDef::read)?,
            }
            Ok(())
        })?;
        Ok(GuideDef {
            question: read::required(question, "question", &span)?,
            question_ko,
            explanation: read::required(explanation, "explanation", &span)?,
            explanation_ko,
            steps,
        })
    }
}

impl GuideStepDef {
    fn read(v: &Item) -> Result<GuideStepDef, read::Error> {
        const FIELDS: &[&str] = &["at_ms", "text", "text_ko", "expect"];
        let (mut at_ms, mut text_en, mut text_ko, mut expect) = (None, None, None, None);
        let span = read::table(v, "struct GuideStepDef", FIELDS, &mut |k, v| {
            match k {
                "at_ms" => at_ms = Some(read::uint(v)?),
                "text" => text_en = Some(text(v)?),
                "text_ko" => text_ko = Some(text(v)?),
                _ => expect = Some(read::settings(v)?),
            }
            Ok(())
        })?;
        Ok(GuideStepDef {
            at_ms: read::required(at_ms, "at_ms", &span)?,
            text: read::required(text_en, "text", &span)?,
            text_ko,
            expect,
        })
    }
}

impl TopicDef {
    fn read(v: &Item) -> Result<TopicDef, read::Error> {
        let (mut name, mut partitions) = (None, None);
        let span = read::table(v, "struct TopicDef", &["name", "partitions"], &mut |k, v| {
            match k {
                "name" => name = Some(read::string(v)?),
                _ => partitions = Some(read::int(v)?),
            }
            Ok(())
        })?;
        Ok(TopicDef {
            name: read::required(name, "name", &span)?,
            partitions: read::required(partitions, "partitions", &span)?,
        })
    }
}

impl ProducerDef {
    fn read(v: &Item) -> Result<ProducerDef, read::Error> {
        const FIELDS: &[&str] = &[
            "id",
            "topic",
            "rate_per_sec",
            "count",
            "start_ms",
            "keys",
            "partition",
            "value_bytes",
            "batch_size",
            "autostart",
        ];
        let (mut id, mut topic, mut rate_per_sec) = (None, None, None);
        let mut p = ProducerDef {
            id: Spanned::new(0..0, String::new()),
            topic: Spanned::new(0..0, String::new()),
            rate_per_sec: Spanned::new(0..0, 0),
            count: None,
            start_ms: 0,
            keys: None,
            partition: None,
            value_bytes: None,
            batch_size: None,
            autostart: true,
        };
        let span = read::table(v, "struct ProducerDef", FIELDS, &mut |k, v| {
            match k {
                "id" => id = Some(read::string(v)?),
                "topic" => topic = Some(read::string(v)?),
                "rate_per_sec" => rate_per_sec = Some(read::int(v)?),
                "count" => p.count = Some(number(v)?),
                "start_ms" => p.start_ms = number(v)?,
                "keys" => p.keys = Some(read::value(v)?),
                "partition" => p.partition = Some(read::int(v)?),
                "value_bytes" => p.value_bytes = Some(read::u32(v)?),
                "batch_size" => p.batch_size = Some(read::u32(v)?),
                _ => p.autostart = read::flag(v)?,
            }
            Ok(())
        })?;
        p.id = read::required(id, "id", &span)?;
        p.topic = read::required(topic, "topic", &span)?;
        p.rate_per_sec = read::required(rate_per_sec, "rate_per_sec", &span)?;
        Ok(p)
    }
}

impl ConsumerDef {
    fn read(v: &Item) -> Result<ConsumerDef, read::Error> {
        const FIELDS: &[&str] = &[
            "id",
            "subscribe",
            "assign",
            "processing_ms",
            "commit",
            "poll_timeout_ms",
            "start_ms",
            "autostart",
            "config",
        ];
        let mut id = None;
        let mut c = ConsumerDef {
            id: Spanned::new(0..0, String::new()),
            subscribe: None,
            assign: None,
            processing_ms: 0,
            commit: None,
            poll_timeout_ms: None,
            start_ms: 0,
            autostart: true,
            config: Settings::new(),
        };
        let span = read::table(v, "struct ConsumerDef", FIELDS, &mut |k, v| {
            match k {
                "id" => id = Some(read::string(v)?),
                "subscribe" => c.subscribe = Some(read::strings(v)?),
                "assign" => c.assign = Some(read::spanned_strings(v)?),
                "processing_ms" => c.processing_ms = number(v)?,
                "commit" => c.commit = Some(read::string(v)?),
                "poll_timeout_ms" => c.poll_timeout_ms = Some(read::uint(v)?),
                "start_ms" => c.start_ms = number(v)?,
                "autostart" => c.autostart = read::flag(v)?,
                _ => c.config = read::settings(v)?.into_inner(),
            }
            Ok(())
        })?;
        c.id = read::required(id, "id", &span)?;
        Ok(c)
    }
}

impl ActionDef {
    fn read(v: &Item) -> Result<ActionDef, read::Error> {
        const FIELDS: &[&str] = &[
            "at_ms",
            "after_timers",
            "action",
            "consumer",
            "producer",
            "topic",
            "topics",
            "partition",
            "partitions",
            "offset",
            "key",
            "value",
            "count",
            "config",
        ];
        let (mut at_ms, mut action) = (None, None);
        let mut a = ActionDef {
            at_ms: 0,
            after_timers: false,
            action: Spanned::new(0..0, String::new()),
            consumer: None,
            producer: None,
            topic: None,
            topics: None,
            partition: None,
            partitions: None,
            offset: None,
            key: None,
            value: None,
            count: None,
            config: None,
        };
        let span = read::table(v, "struct ActionDef", FIELDS, &mut |k, v| {
            match k {
                "at_ms" => at_ms = Some(number(v)?),
                "after_timers" => a.after_timers = read::flag(v)?,
                "action" => action = Some(read::string(v)?),
                "consumer" => a.consumer = Some(read::string(v)?),
                "producer" => a.producer = Some(read::string(v)?),
                "topic" => a.topic = Some(read::string(v)?),
                "topics" => a.topics = Some(read::strings(v)?),
                "partition" => a.partition = Some(read::value(v)?),
                "partitions" => a.partitions = Some(read::spanned_strings(v)?),
                "offset" => a.offset = Some(read::int(v)?),
                "key" => a.key = Some(text(v)?),
                "value" => a.value = Some(text(v)?),
                "count" => a.count = Some(read::int(v)?),
                _ => a.config = Some(read::settings(v)?),
            }
            Ok(())
        })?;
        a.at_ms = read::required(at_ms, "at_ms", &span)?;
        a.action = read::required(action, "action", &span)?;
        Ok(a)
    }
}

/// What a step does when it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepAction {
    Input(Input),
    /// Start a declared consumer; after a `change_config` the model's
    /// current spec for it is used.
    StartConsumer(ConsumerSpec),
    StartProducer(ProducerSpec),
}

/// The line of the file that declared something (1-based), if it came
/// from a file. Where a thing was written is not what it is: two
/// `SourceLine`s are always equal, so a scenario written out and read back
/// equals the original.
#[derive(Clone, Copy, Debug, Default)]
pub struct SourceLine(pub Option<u32>);

impl PartialEq for SourceLine {
    fn eq(&self, _: &SourceLine) -> bool {
        true
    }
}

impl Eq for SourceLine {}

/// One timed step of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at_ms: u64,
    /// `after_timers = true`: runs after what the model itself does at
    /// `at_ms` (heartbeats, fetches, polls, produce ticks), as an action a
    /// person takes in the UI does; otherwise before it.
    pub after_timers: bool,
    pub line: SourceLine,
    pub action: StepAction,
}

/// A `[[producers]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducerEntry {
    pub spec: ProducerSpec,
    pub start_ms: u64,
    /// `false`: only a `start_producer` action starts it.
    pub autostart: bool,
    pub line: SourceLine,
}

/// A `[[consumers]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerEntry {
    pub spec: ConsumerSpec,
    pub start_ms: u64,
    /// `false`: only a `start` action starts it.
    pub autostart: bool,
    pub line: SourceLine,
}

/// A parsed scenario: everything the file says, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// Korean title and description (`name_ko`, `description_ko`), if given.
    pub name_ko: Option<String>,
    pub description_ko: Option<String>,
    /// Seed, broker settings and topics.
    pub config: ModelConfig,
    /// How long the scenario runs unless told otherwise.
    pub until_ms: u64,
    pub producers: Vec<ProducerEntry>,
    pub consumers: Vec<ConsumerEntry>,
    /// `[[actions]]`; `start` and `start_producer` carry the declared spec.
    pub actions: Vec<Step>,
    /// `[guide]`: the question the scenario answers and the moments to
    /// look at (see [`crate::guide`]).
    pub guide: Option<Guide>,
}

/// Turns byte spans into line/column numbers.
struct Source<'a> {
    text: &'a str,
}

impl Source<'_> {
    fn pos(&self, span: &Range<usize>) -> (u32, u32) {
        let start = span.start.min(self.text.len());
        let before = &self.text[..start];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        (line, column)
    }

    fn line(&self, span: &Range<usize>) -> u32 {
        self.pos(span).0
    }

    fn err(&self, span: &Range<usize>, message: impl Into<String>) -> ScenarioError {
        let (line, column) = self.pos(span);
        ScenarioError { line: Some(line), column: Some(column), message: message.into() }
    }
}

/// A double-quoted literal: quote, backslash and the common control
/// characters escape the same way in TOML, Java, Python and Rust; `other`
/// writes every other character in the language's own way (codegen's
/// literals use it too).
pub fn quoted(s: &str, other: impl Fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => other(c, &mut out),
        }
    }
    out.push('"');
    out
}

/// `s` as a TOML basic string (also how messages quote what a file or a
/// person wrote).
pub(crate) fn quote(s: &str) -> String {
    quoted(s, |c, out| {
        if c.is_control() {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    })
}

/// A TOML value as a Kafka property string; nested tables become dotted keys
/// (so `max.poll.records = 10` works without quotes).
fn flatten(
    src: &Source,
    prefix: &str,
    map: &BTreeMap<String, Spanned<Value>>,
    out: &mut BTreeMap<String, (String, Range<usize>)>,
) -> Result<(), ScenarioError> {
    for (k, v) in map {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        let span = v.span();
        flatten_value(src, &key, v.get_ref(), &span, out)?;
    }
    Ok(())
}

fn flatten_value(
    src: &Source,
    key: &str,
    value: &Value,
    span: &Range<usize>,
    out: &mut BTreeMap<String, (String, Range<usize>)>,
) -> Result<(), ScenarioError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Array(items) => {
            let mut parts = Vec::new();
            for item in items {
                match item {
                    Value::String(s) => parts.push(s.clone()),
                    _ => return Err(src.err(span, format!("`{key}`: list items must be strings"))),
                }
            }
            parts.join(",")
        }
        Value::Table(t) => {
            for (k, v) in t {
                flatten_value(src, &format!("{key}.{k}"), v, span, out)?;
            }
            return Ok(());
        }
        _ => {
            return Err(src.err(span, format!("`{key}`: expected a string, integer, boolean or list")));
        }
    };
    if out.insert(key.to_string(), (text, span.clone())).is_some() {
        return Err(src.err(span, format!("`{key}` is set twice")));
    }
    Ok(())
}

fn parse_partition(src: &Source, s: &str, span: &Range<usize>) -> Result<TopicPartition, ScenarioError> {
    let bad = || src.err(span, format!("`{s}` is not a partition; write topic-partition, e.g. \"orders-0\""));
    let (topic, p) = s.rsplit_once('-').ok_or_else(bad)?;
    let partition: i32 = p.parse().map_err(|_| bad())?;
    if topic.is_empty() {
        return Err(bad());
    }
    Ok(TopicPartition::new(topic, partition))
}

impl Scenario {
    /// Parses and checks a scenario file.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let src = Source { text };
        let file = read::document(text).and_then(|root| FileDef::read(&root)).map_err(|e| {
            let (line, column) = e.span.map(|s| src.pos(&s)).unzip();
            ScenarioError { line, column, message: e.message }
        })?;
        if *file.version.get_ref() != SCENARIO_VERSION {
            return Err(src.err(
                &file.version.span(),
                format!(
                    "unsupported scenario version {} (this build reads version {SCENARIO_VERSION})",
                    file.version.get_ref()
                ),
            ));
        }

        let mut broker_props = BTreeMap::new();
        flatten(&src, "", &file.broker, &mut broker_props)?;
        let broker = BrokerConfig::from_properties(&crate::sort::btree_map(
            broker_props.iter().map(|(k, (v, _))| (k.clone(), v.clone())),
        ))
        .map_err(|e| match broker_props.get(&e.key) {
            Some((_, span)) => src.err(span, format!("broker: {e}")),
            None => ScenarioError { line: None, column: None, message: format!("broker: {e}") },
        })?;

        let mut topics = Vec::new();
        for t in &file.topics {
            let name = t.name.get_ref();
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(src
                    .err(&t.name.span(), format!("topic name \"{name}\" must be non-empty without spaces")));
            }
            if topics.iter().any(|(n, _)| n == name) {
                return Err(src.err(&t.name.span(), format!("topic \"{name}\" is defined twice")));
            }
            let p = *t.partitions.get_ref();
            if !(1..=10_000).contains(&p) {
                return Err(src.err(
                    &t.partitions.span(),
                    format!("topic \"{name}\" needs 1 to 10000 partitions, got {p}"),
                ));
            }
            topics.push((name.clone(), p as i32));
        }
        let config = ModelConfig { seed: file.seed, broker, topics };
        // A model of the topics, to check consumer specs exactly as the run will.
        let probe = Model::new(config.clone()).map_err(|e| ScenarioError {
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        let check_tp = |tp: &TopicPartition, span: &Range<usize>| -> Result<(), ScenarioError> {
            match probe.partition_count(&tp.topic) {
                None => Err(src.err(span, format!("topic \"{}\" is not defined", tp.topic))),
                Some(n) if tp.partition < 0 || tp.partition >= n => {
                    Err(src
                        .err(span, format!("partition {tp} does not exist (topic \"{}\" has {n})", tp.topic)))
                }
                Some(_) => Ok(()),
            }
        };

        let mut producers = Vec::new();
        let mut producer_ids: BTreeMap<String, ProducerSpec> = BTreeMap::new();
        for p in &file.producers {
            let id = p.id.get_ref().clone();
            if id.is_empty() || producer_ids.contains_key(&id) {
                return Err(src.err(&p.id.span(), format!("producer id \"{id}\" is empty or defined twice")));
            }
            let topic = p.topic.get_ref().clone();
            let Some(n) = probe.partition_count(&topic) else {
                return Err(src
                    .err(&p.topic.span(), format!("topic \"{topic}\" of producer \"{id}\" is not defined")));
            };
            let rate = *p.rate_per_sec.get_ref();
            if !(1..=1_000_000).contains(&rate) {
                return Err(
                    src.err(&p.rate_per_sec.span(), format!("rate_per_sec must be 1 to 1000000, got {rate}"))
                );
            }
            let partition = match &p.partition {
                Some(s) if (0..i64::from(n)).contains(s.get_ref()) => Some(*s.get_ref() as i32),
                Some(s) => {
                    return Err(
                        src.err(&s.span(), format!("topic \"{topic}\" has no partition {}", s.get_ref()))
                    );
                }
                None => None,
            };
            let keys = match &p.keys {
                None => KeyPattern::None,
                Some(v) => parse_keys(&src, v)?,
            };
            let spec = ProducerSpec {
                id: id.clone(),
                topic,
                rate_per_sec: rate as u32,
                count: p.count,
                keys,
                partition,
                value_bytes: p.value_bytes,
                batch_size_bytes: p.batch_size.unwrap_or(DEFAULT_BATCH_SIZE_BYTES),
            };
            producer_ids.insert(id, spec.clone());
            producers.push(ProducerEntry {
                spec,
                start_ms: p.start_ms,
                autostart: p.autostart,
                line: SourceLine(Some(src.line(&p.id.span()))),
            });
        }

        let mut consumers = Vec::new();
        let mut consumer_ids = BTreeMap::new();
        for c in &file.consumers {
            let id = c.id.get_ref().clone();
            if id.is_empty() || consumer_ids.contains_key(&id) {
                return Err(src.err(&c.id.span(), format!("consumer id \"{id}\" is empty or defined twice")));
            }
            let mut props = BTreeMap::new();
            flatten(&src, "", &c.config, &mut props)?;
            let subscription = match (&c.subscribe, &c.assign) {
                (Some(_), Some(a)) => {
                    return Err(src.err(
                        &a.span(),
                        format!("consumer \"{id}\" has both subscribe and assign; Kafka allows only one"),
                    ));
                }
                (Some(s), None) => {
                    for t in s.get_ref() {
                        if probe.partition_count(t).is_none() {
                            return Err(src.err(
                                &s.span(),
                                format!("topic \"{t}\" of consumer \"{id}\" is not defined"),
                            ));
                        }
                    }
                    Subscription::Topics(s.get_ref().clone())
                }
                (None, Some(a)) => {
                    let mut tps = Vec::new();
                    for s in a.get_ref() {
                        let tp = parse_partition(&src, s.get_ref(), &s.span())?;
                        check_tp(&tp, &s.span())?;
                        tps.push(tp);
                    }
                    Subscription::Partitions(tps)
                }
                (None, None) => Subscription::None,
            };
            let commit = match &c.commit {
                None => CommitStrategy::Auto,
                Some(s) => CommitStrategy::from_name(s.get_ref()).ok_or_else(|| {
                    let names: Vec<&str> = CommitStrategy::ALL.iter().map(|s| s.name()).collect();
                    src.err(
                        &s.span(),
                        format!("unknown commit strategy \"{}\" (known: {})", s.get_ref(), names.join(", ")),
                    )
                })?,
            };
            let spec = ConsumerSpec {
                id: id.clone(),
                properties: crate::sort::btree_map(props.iter().map(|(k, (v, _))| (k.clone(), v.clone()))),
                subscription,
                processing_ms: c.processing_ms,
                commit,
                poll_timeout_ms: c.poll_timeout_ms.as_ref().map_or(DEFAULT_POLL_TIMEOUT_MS, |s| *s.get_ref()),
            };
            probe.check_consumer(&spec).map_err(|e| match &e {
                ModelError::Config { error, .. } => match props.get(&error.key) {
                    Some((_, span)) => src.err(span, e.to_string()),
                    None => src.err(&c.id.span(), e.to_string()),
                },
                _ => src.err(&c.id.span(), e.to_string()),
            })?;
            consumer_ids.insert(id, spec.clone());
            consumers.push(ConsumerEntry {
                spec,
                start_ms: c.start_ms,
                autostart: c.autostart,
                line: SourceLine(Some(src.line(&c.id.span()))),
            });
        }

        let mut actions = Vec::new();
        for (n, a) in file.actions.iter().enumerate() {
            let number = n + 1;
            let kind = a.action.get_ref().as_str();
            let line = src.line(&a.action.span());
            let step = parse_action(&src, number, kind, a, &consumer_ids, &producer_ids, &check_tp)?;
            actions.push(Step {
                at_ms: a.at_ms,
                after_timers: a.after_timers,
                line: SourceLine(Some(line)),
                action: step,
            });
        }
        let mut scenario = Scenario {
            name: file.name,
            description: file.description,
            name_ko: file.name_ko,
            description_ko: file.description_ko,
            config,
            until_ms: 0,
            producers,
            consumers,
            actions,
            guide: None,
        };
        let last = scenario.steps().last().map_or(0, |s| s.at_ms);
        scenario.until_ms = file.until_ms.unwrap_or(last + 30_000);
        if let Some(g) = &file.guide {
            // Every group a consumer names, as declared or changed by an action.
            let mut groups: BTreeMap<String, ()> = BTreeMap::new();
            for c in &scenario.consumers {
                if let Some(g) = c.spec.properties.get("group.id") {
                    groups.insert(g.clone(), ());
                }
            }
            for a in &scenario.actions {
                if let StepAction::Input(Input::ChangeConfig { changes, .. }) = &a.action
                    && let Some(g) = changes.get("group.id").filter(|g| !g.is_empty())
                {
                    groups.insert(g.clone(), ());
                }
            }
            let known = KnownIds { consumers: &consumer_ids, groups: &groups };
            scenario.guide = Some(parse_guide(&src, g, scenario.until_ms, &known, &check_tp)?);
        }
        Ok(scenario)
    }

    /// Every step in the order a run applies them: by time; at the same
    /// time the `after_timers` ones last, otherwise file order (producers,
    /// then consumers, then actions).
    pub fn steps(&self) -> Vec<Step> {
        let starts_producers = self.producers.iter().filter(|p| p.autostart).map(|p| Step {
            at_ms: p.start_ms,
            after_timers: false,
            line: p.line,
            action: StepAction::StartProducer(p.spec.clone()),
        });
        let starts_consumers = self.consumers.iter().filter(|c| c.autostart).map(|c| Step {
            at_ms: c.start_ms,
            after_timers: false,
            line: c.line,
            action: StepAction::StartConsumer(c.spec.clone()),
        });
        let mut steps: Vec<Step> =
            starts_producers.chain(starts_consumers).chain(self.actions.iter().cloned()).collect();
        // Stable: equal keys keep file order.
        crate::sort::sort_by_key(&mut steps, |s| (s.at_ms, s.after_timers));
        steps
    }

    /// Runs the scenario through its guide (see [`crate::guide`]): to each
    /// step's `at_ms` in turn, checking the step's expectation there.
    /// Returns how many expectations held, or one error per step whose
    /// expectation did not (or a scripted step the model refused), naming
    /// the step's line.
    pub fn check_guide(&self) -> Result<usize, Vec<ScenarioError>> {
        let Some(guide) = &self.guide else {
            return Ok(0);
        };
        let mut run = ScenarioRun::new(self).map_err(|e| vec![e])?;
        let mut failures = Vec::new();
        let mut held = 0;
        for (n, step) in guide.steps.iter().enumerate() {
            let Some(expect) = &step.expect else { continue };
            run.advance(step.at_ms).map_err(|e| vec![e])?;
            // The run keeps its events queued; a guide check does not need them.
            while run.model.poll_event().is_some() {}
            match crate::guide::check_expectation(&run.model, expect) {
                Ok(()) => held += 1,
                Err(f) => failures.push(ScenarioError {
                    line: step.line.0,
                    column: None,
                    message: format!("guide step {} at {} ms: {f}", n + 1, step.at_ms),
                }),
            }
        }
        if failures.is_empty() { Ok(held) } else { Err(failures) }
    }

    /// Runs the scenario to `until_ms`, handing every event to `on_event`,
    /// and returns the model in its final state.
    pub fn run(&self, until_ms: u64, mut on_event: impl FnMut(&Event)) -> Result<Model, ScenarioError> {
        let mut run = ScenarioRun::new(self)?;
        run.advance(until_ms)?;
        while let Some(e) = run.model.poll_event() {
            on_event(&e);
        }
        Ok(run.model)
    }
}

/// What a guide's expectations may name.
struct KnownIds<'a> {
    consumers: &'a BTreeMap<String, ConsumerSpec>,
    groups: &'a BTreeMap<String, ()>,
}

fn parse_guide(
    src: &Source,
    g: &GuideDef,
    until_ms: u64,
    known: &KnownIds,
    check_tp: &PartitionCheck,
) -> Result<Guide, ScenarioError> {
    let mut steps = Vec::new();
    let mut previous = 0;
    for (n, s) in g.steps.iter().enumerate() {
        let number = n + 1;
        let at = *s.at_ms.get_ref();
        if at < previous {
            return Err(src.err(
                &s.at_ms.span(),
                format!("guide step {number}: at_ms {at} comes before the previous step's {previous}; steps go in time order"),
            ));
        }
        if at > until_ms {
            return Err(src.err(
                &s.at_ms.span(),
                format!(
                    "guide step {number}: at_ms {at} is after the end of the run (until_ms = {until_ms})"
                ),
            ));
        }
        previous = at;
        let expect = match &s.expect {
            Some(e) => Some(parse_expectation(src, number, e, known, check_tp)?),
            None => None,
        };
        steps.push(GuideStep {
            at_ms: at,
            text: s.text.clone(),
            text_ko: s.text_ko.clone(),
            expect,
            line: SourceLine(Some(src.line(&s.at_ms.span()))),
        });
    }
    Ok(Guide {
        question: g.question.clone(),
        question_ko: g.question_ko.clone(),
        explanation: g.explanation.clone(),
        explanation_ko: g.explanation_ko.clone(),
        steps,
    })
}

fn parse_expectation(
    src: &Source,
    number: usize,
    e: &Spanned<BTreeMap<String, Spanned<Value>>>,
    known: &KnownIds,
    check_tp: &PartitionCheck,
) -> Result<Expectation, ScenarioError> {
    let map = e.get_ref();
    let here = format!("guide step {number}: expect");
    let string = |v: &Spanned<Value>, key: &str| -> Result<String, ScenarioError> {
        v.get_ref()
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| src.err(&v.span(), format!("{here}: `{key}` must be a string")))
    };
    let target = match (map.get("group"), map.get("consumer")) {
        (Some(g), None) => {
            let id = string(g, "group")?;
            if !known.groups.contains_key(&id) {
                return Err(src.err(&g.span(), format!("{here}: no consumer has group.id \"{id}\"")));
            }
            ExpectTarget::Group(id)
        }
        (None, Some(c)) => {
            let id = string(c, "consumer")?;
            if !known.consumers.contains_key(&id) {
                return Err(src.err(&c.span(), format!("{here}: consumer \"{id}\" is not defined")));
            }
            ExpectTarget::Consumer(id)
        }
        _ => {
            return Err(src.err(&e.span(), format!("{here} needs exactly one of `group` or `consumer`")));
        }
    };
    let kind = target.kind();
    let mut checks = Vec::new();
    for (key, v) in map {
        if key == "group" || key == "consumer" {
            continue;
        }
        let check = parse_check(src, &here, key, v, check_tp)?;
        let Some(check) = check else {
            let mut names: Vec<String> =
                CHECK_KEYS.iter().filter(|(_, t)| *t == kind).map(|(k, _)| k.to_string()).collect();
            for c in Count::ALL.into_iter().filter(|c| c.applies_to(kind)) {
                names.push(format!("{0}, {0}_at_least, {0}_at_most", c.name()));
            }
            return Err(src.err(
                &v.span(),
                format!("{here}: unknown key `{key}` for a {} (known: {})", kind.name(), names.join(", ")),
            ));
        };
        if !check.applies_to(kind) {
            let other = match kind {
                TargetKind::Group => TargetKind::Consumer,
                TargetKind::Consumer => TargetKind::Group,
            };
            return Err(src.err(
                &v.span(),
                format!("{here}: `{key}` applies to a {}, not a {}", other.name(), kind.name()),
            ));
        }
        checks.push(check);
    }
    if checks.is_empty() {
        return Err(src.err(&e.span(), format!("{here} checks nothing (add e.g. `state` or `processed`)")));
    }
    Ok(Expectation::new(target, checks))
}

/// One key of an `expect` table; `None` for a key that means nothing.
fn parse_check(
    src: &Source,
    here: &str,
    key: &str,
    v: &Spanned<Value>,
    check_tp: &PartitionCheck,
) -> Result<Option<Check>, ScenarioError> {
    let span = v.span();
    let value = v.get_ref();
    let err = |what: &str| src.err(&span, format!("{here}: `{key}` must be {what}"));
    let boolean = || value.as_bool().ok_or_else(|| err("true or false"));
    let text = || value.as_str().ok_or_else(|| err("a string"));
    let partition = |s: &str| -> Result<TopicPartition, ScenarioError> {
        let tp = parse_partition(src, s, &span)?;
        check_tp(&tp, &span)?;
        Ok(tp)
    };
    let offsets = || -> Result<BTreeMap<TopicPartition, i64>, ScenarioError> {
        let what = "a table of partitions and offsets, e.g. { \"orders-0\" = 12 }";
        let table = value.as_table().ok_or_else(|| err(what))?;
        let mut out = BTreeMap::new();
        for (p, o) in table {
            let o = o.as_integer().filter(|o| *o >= 0).ok_or_else(|| err(what))?;
            out.insert(partition(p)?, o);
        }
        if out.is_empty() {
            return Err(err(what));
        }
        Ok(out)
    };
    let check = match key {
        "state" => {
            let s = text()?;
            Check::State(GroupState::from_name(s).ok_or_else(|| {
                err("one of \"Empty\", \"PreparingRebalance\", \"CompletingRebalance\", \"Stable\", \"Dead\"")
            })?)
        }
        "committed" => Check::Committed(offsets()?),
        "position" => Check::Position(offsets()?),
        "status" => Check::Status(
            status_from_name(text()?)
                .ok_or_else(|| err("one of \"running\", \"crashed\", \"closed\", \"failed\""))?,
        ),
        "member" => Check::Member(boolean()?),
        "in_produce_order" => Check::InProduceOrder(boolean()?),
        "in_partition_order" => Check::InPartitionOrder(boolean()?),
        "error" => {
            let names: Vec<String> = ConsumerError::ALL.iter().map(|e| format!("\"{}\"", e.name())).collect();
            Check::Error(
                ConsumerError::from_name(text()?)
                    .ok_or_else(|| err(&format!("one of {}", names.join(", "))))?,
            )
        }
        "partitions" => {
            let items = value.as_array().ok_or_else(|| err("a list of partitions, e.g. [\"orders-0\"]"))?;
            let mut tps = Vec::new();
            for i in items {
                tps.push(partition(
                    i.as_str().ok_or_else(|| err("a list of partitions, e.g. [\"orders-0\"]"))?,
                )?);
            }
            crate::sort::sort(&mut tps);
            tps.dedup();
            Check::Partitions(tps)
        }
        _ => {
            let (base, bound): (&str, fn(u64) -> Bound) = if let Some(b) = key.strip_suffix("_at_least") {
                (b, Bound::AtLeast)
            } else if let Some(b) = key.strip_suffix("_at_most") {
                (b, Bound::AtMost)
            } else {
                (key, Bound::Exactly)
            };
            let Some(count) = Count::from_name(base) else {
                return Ok(None);
            };
            let n = value.as_integer().filter(|n| *n >= 0).ok_or_else(|| err("a whole number, 0 or more"))?;
            Check::Count(count, bound(n as u64))
        }
    };
    Ok(Some(check))
}

fn parse_keys(src: &Source, v: &Spanned<Value>) -> Result<KeyPattern, ScenarioError> {
    let bad = || src.err(&v.span(), "keys must be \"none\", { cycle = [\"a\", \"b\"] } or { random = 5 }");
    match v.get_ref() {
        Value::String(s) if s == "none" => Ok(KeyPattern::None),
        Value::Table(t) if t.len() == 1 => match t.iter().next().expect("one entry") {
            (k, Value::Array(items)) if k == "cycle" && !items.is_empty() => items
                .iter()
                .map(|i| i.as_str().map(str::to_string).ok_or_else(bad))
                .collect::<Result<Vec<_>, _>>()
                .map(KeyPattern::Cycle),
            (k, Value::Integer(n)) if k == "random" && (1..=1_000_000).contains(n) => {
                Ok(KeyPattern::Random(*n as u32))
            }
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

/// Checks that a partition exists; errors point at the span.
type PartitionCheck<'a> = dyn Fn(&TopicPartition, &Range<usize>) -> Result<(), ScenarioError> + 'a;

/// Which optional fields each action takes (besides `at_ms` and `action`).
const ACTION_FIELDS: &[(&str, &[&str], &[&str])] = &[
    // (action, required, optional)
    ("start", &["consumer"], &[]),
    ("crash", &["consumer"], &[]),
    ("close", &["consumer"], &[]),
    ("stop_polling", &["consumer"], &[]),
    ("resume_polling", &["consumer"], &[]),
    ("pause", &["consumer", "partitions"], &[]),
    ("resume", &["consumer", "partitions"], &[]),
    ("seek", &["consumer", "partition", "offset"], &[]),
    ("seek_to_beginning", &["consumer"], &["partitions"]),
    ("seek_to_end", &["consumer"], &["partitions"]),
    ("assign", &["consumer", "partitions"], &[]),
    ("subscribe", &["consumer", "topics"], &[]),
    ("unsubscribe", &["consumer"], &[]),
    ("commit_sync", &["consumer"], &[]),
    ("change_config", &["consumer", "config"], &[]),
    ("produce", &["topic"], &["partition", "key", "value", "count"]),
    ("delete_records", &["partition", "offset"], &[]),
    ("start_producer", &["producer"], &[]),
    ("stop_producer", &["producer"], &[]),
];

fn parse_action(
    src: &Source,
    number: usize,
    kind: &str,
    a: &ActionDef,
    consumers: &BTreeMap<String, ConsumerSpec>,
    producers: &BTreeMap<String, ProducerSpec>,
    check_tp: &PartitionCheck,
) -> Result<StepAction, ScenarioError> {
    let Some((_, required, optional)) = ACTION_FIELDS.iter().find(|(k, _, _)| *k == kind) else {
        let names: Vec<&str> = ACTION_FIELDS.iter().map(|(k, _, _)| *k).collect();
        return Err(src.err(
            &a.action.span(),
            format!("action {number}: unknown action \"{kind}\" (known: {})", names.join(", ")),
        ));
    };
    let present: [(&str, bool); 10] = [
        ("consumer", a.consumer.is_some()),
        ("producer", a.producer.is_some()),
        ("topic", a.topic.is_some()),
        ("topics", a.topics.is_some()),
        ("partition", a.partition.is_some()),
        ("partitions", a.partitions.is_some()),
        ("offset", a.offset.is_some()),
        ("key", a.key.is_some()),
        ("value", a.value.is_some()),
        ("count", a.count.is_some()),
    ];
    let present_config = ("config", a.config.is_some());
    for (field, is) in present.iter().chain(std::iter::once(&present_config)) {
        if *is && !required.contains(field) && !optional.contains(field) {
            return Err(
                src.err(&a.action.span(), format!("action {number} ({kind}): `{field}` does not apply here"))
            );
        }
        if !*is && required.contains(field) {
            return Err(src.err(&a.action.span(), format!("action {number} ({kind}) needs `{field}`")));
        }
    }
    let consumer = match &a.consumer {
        Some(c) => {
            let id = c.get_ref();
            if !consumers.contains_key(id) {
                return Err(
                    src.err(&c.span(), format!("consumer \"{id}\" in action {number} is not defined"))
                );
            }
            id.clone()
        }
        None => String::new(),
    };
    let partition = |v: &Spanned<Value>| -> Result<TopicPartition, ScenarioError> {
        let s = v
            .get_ref()
            .as_str()
            .ok_or_else(|| src.err(&v.span(), "`partition` must be a string like \"orders-0\""))?;
        let tp = parse_partition(src, s, &v.span())?;
        check_tp(&tp, &v.span())?;
        Ok(tp)
    };
    let partitions = || -> Result<Vec<TopicPartition>, ScenarioError> {
        let mut out = Vec::new();
        if let Some(ps) = &a.partitions {
            for s in ps.get_ref() {
                let tp = parse_partition(src, s.get_ref(), &s.span())?;
                check_tp(&tp, &s.span())?;
                out.push(tp);
            }
        }
        Ok(out)
    };
    let input = match kind {
        "start" => return Ok(StepAction::StartConsumer(consumers[&consumer].clone())),
        "crash" => Input::Crash { consumer },
        "close" => Input::Close { consumer },
        "stop_polling" => Input::StopPolling { consumer },
        "resume_polling" => Input::ResumePolling { consumer },
        "pause" => Input::Pause { consumer, partitions: partitions()? },
        "resume" => Input::Resume { consumer, partitions: partitions()? },
        "seek" => {
            let offset = a.offset.as_ref().expect("required");
            if *offset.get_ref() < 0 {
                return Err(
                    src.err(&offset.span(), format!("action {number}: seek offset must not be negative"))
                );
            }
            Input::Seek {
                consumer,
                partition: partition(a.partition.as_ref().expect("required"))?,
                offset: *offset.get_ref(),
            }
        }
        "seek_to_beginning" => Input::SeekToBeginning { consumer, partitions: partitions()? },
        "seek_to_end" => Input::SeekToEnd { consumer, partitions: partitions()? },
        "assign" => Input::Assign { consumer, partitions: partitions()? },
        "subscribe" => {
            Input::Subscribe { consumer, topics: a.topics.as_ref().expect("required").get_ref().clone() }
        }
        "unsubscribe" => Input::Unsubscribe { consumer },
        "commit_sync" => Input::CommitSync { consumer },
        "change_config" => {
            let config = a.config.as_ref().expect("required");
            let mut props = BTreeMap::new();
            flatten(src, "", config.get_ref(), &mut props)?;
            let mut merged = consumers[&consumer].properties.clone();
            for (k, (v, _)) in &props {
                merged.insert(k.clone(), v.clone());
            }
            merged.retain(|_, v| !v.is_empty());
            if let Err(e) = ConsumerConfig::from_properties(&merged) {
                let span = props.get(&e.key).map_or(config.span(), |(_, s)| s.clone());
                return Err(src.err(&span, format!("action {number}: consumer \"{consumer}\": {e}")));
            }
            Input::ChangeConfig {
                consumer,
                changes: crate::sort::btree_map(props.into_iter().map(|(k, (v, _))| (k, v))),
            }
        }
        "produce" => {
            let topic = a.topic.as_ref().expect("required");
            let p = match &a.partition {
                Some(v) => {
                    let n = v.get_ref().as_integer().ok_or_else(|| {
                        src.err(&v.span(), "`partition` of produce is a partition number, e.g. 2")
                    })?;
                    let tp = TopicPartition::new(topic.get_ref().clone(), n as i32);
                    check_tp(&tp, &v.span())?;
                    Some(n as i32)
                }
                None => {
                    check_tp(&TopicPartition::new(topic.get_ref().clone(), 0), &topic.span())?;
                    None
                }
            };
            let count = match &a.count {
                Some(c) if (1..=1_000_000).contains(c.get_ref()) => *c.get_ref() as u32,
                Some(c) => return Err(src.err(&c.span(), "`count` must be 1 to 1000000")),
                None => 1,
            };
            Input::Produce {
                topic: topic.get_ref().clone(),
                partition: p,
                key: a.key.clone(),
                value: a.value.clone(),
                count,
            }
        }
        "delete_records" => Input::DeleteRecords {
            partition: partition(a.partition.as_ref().expect("required"))?,
            before_offset: *a.offset.as_ref().expect("required").get_ref(),
        },
        "start_producer" | "stop_producer" => {
            let p = a.producer.as_ref().expect("required");
            let Some(spec) = producers.get(p.get_ref()) else {
                return Err(src.err(
                    &p.span(),
                    format!("producer \"{}\" in action {number} is not defined", p.get_ref()),
                ));
            };
            if kind == "start_producer" {
                return Ok(StepAction::StartProducer(spec.clone()));
            }
            Input::StopProducer { producer: spec.id.clone() }
        }
        _ => unreachable!("every action in ACTION_FIELDS is handled"),
    };
    Ok(StepAction::Input(input))
}

/// A scenario being run step by step (the front end advances it with the
/// clock; the headless runner in one go).
pub struct ScenarioRun {
    pub model: Model,
    steps: Vec<Step>,
    next: usize,
}

impl ScenarioRun {
    pub fn new(scenario: &Scenario) -> Result<ScenarioRun, ScenarioError> {
        let model = Model::new(scenario.config.clone()).map_err(|e| ScenarioError {
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        Ok(ScenarioRun { model, steps: scenario.steps(), next: 0 })
    }

    /// Applies the steps due up to `until_ms` and runs the model to it.
    /// Events stay queued in the model (`model.poll_event()`).
    pub fn advance(&mut self, until_ms: u64) -> Result<(), ScenarioError> {
        while let Some(step) = self.steps.get(self.next) {
            if step.at_ms > until_ms {
                break;
            }
            self.next += 1;
            let input = match &step.action {
                StepAction::Input(i) => i.clone(),
                StepAction::StartConsumer(spec) => Input::StartConsumer(
                    self.model.consumer_spec(&spec.id).cloned().unwrap_or_else(|| spec.clone()),
                ),
                StepAction::StartProducer(spec) => Input::StartProducer(spec.clone()),
            };
            let at = step.at_ms.max(self.model.now());
            if step.after_timers {
                // As a person's action in the UI: the model has run to `at`.
                self.model.run_until(at);
            }
            self.model.handle(input, at).map_err(|e| {
                // Every consumer an action names is declared (checked when
                // parsing), so an unknown one here has simply not started.
                let e = match e {
                    ModelError::UnknownConsumer(c) => format!("consumer \"{c}\" has not started"),
                    e => e.to_string(),
                };
                ScenarioError {
                    line: step.line.0,
                    column: None,
                    message: format!("at {} ms: {e}", step.at_ms),
                }
            })?;
        }
        self.model.run_until(until_ms);
        Ok(())
    }

    /// The time of the next scripted step, if any.
    pub fn next_step_at(&self) -> Option<u64> {
        self.steps.get(self.next).map(|s| s.at_ms)
    }
}
