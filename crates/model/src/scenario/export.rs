//! Writing scenarios back out: [`Scenario::to_toml`] and
//! [`Scenario::with_inputs`], which adds the actions a person took during a
//! run so that the exported file replays that run.

use std::collections::BTreeMap;

use offsetlab_protocol::{CommitStrategy, TopicPartition};

use super::{
    ConsumerEntry, ProducerEntry, Scenario, ScenarioError, ScenarioRun, SourceLine, Step, StepAction, quote,
};
use crate::config::BrokerConfig;
use crate::guide::Guide;
use crate::model::{
    ConsumerSpec, DEFAULT_BATCH_SIZE_BYTES, DEFAULT_POLL_TIMEOUT_MS, Input, KeyPattern, ProducerSpec,
    Subscription,
};

/// How far past the last added input a run goes when the inputs reach past
/// the scenario's planned end (the same margin a file without `until_ms` gets).
const UNTIL_MARGIN_MS: u64 = 30_000;

fn is_bare_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn key(k: &str) -> String {
    if is_bare_key(k) { k.to_string() } else { quote(k) }
}

fn string_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", items.join(", "))
}

fn partition_name(tp: &TopicPartition) -> String {
    format!("{}-{}", tp.topic, tp.partition)
}

fn partition_list(tps: &[TopicPartition]) -> String {
    let names: Vec<String> = tps.iter().map(partition_name).collect();
    string_list(names.iter().map(String::as_str))
}

/// A Kafka property value as the parser reads it back to the same string:
/// integers and booleans bare, an assignor list as a list, the rest quoted.
fn property_value(name: &str, value: &str) -> String {
    if value.parse::<i64>().is_ok_and(|i| i.to_string() == value) {
        return value.to_string();
    }
    if value == "true" || value == "false" {
        return value.to_string();
    }
    if name == "partition.assignment.strategy" && value.contains(',') {
        return string_list(value.split(','));
    }
    quote(value)
}

fn inline_properties(props: &BTreeMap<String, String>) -> String {
    if props.is_empty() {
        return "{}".into();
    }
    let items: Vec<String> =
        props.iter().map(|(k, v)| format!("{} = {}", quote(k), property_value(k, v))).collect();
    format!("{{ {} }}", items.join(", "))
}

/// The file's name for what an input or step does.
fn input_action_name(input: &Input) -> &'static str {
    match input {
        Input::StartConsumer(_) => "start",
        Input::StartProducer(_) => "start_producer",
        Input::StopProducer { .. } => "stop_producer",
        Input::Produce { .. } => "produce",
        Input::DeleteRecords { .. } => "delete_records",
        Input::Crash { .. } => "crash",
        Input::Close { .. } => "close",
        Input::StopPolling { .. } => "stop_polling",
        Input::ResumePolling { .. } => "resume_polling",
        Input::Pause { .. } => "pause",
        Input::Resume { .. } => "resume",
        Input::Seek { .. } => "seek",
        Input::SeekToBeginning { .. } => "seek_to_beginning",
        Input::SeekToEnd { .. } => "seek_to_end",
        Input::Subscribe { .. } => "subscribe",
        Input::Assign { .. } => "assign",
        Input::Unsubscribe { .. } => "unsubscribe",
        Input::CommitSync { .. } => "commit_sync",
        Input::ChangeConfig { .. } => "change_config",
    }
}

/// The keys of one `[[actions]]` entry after `at_ms`: `action` and its fields.
fn action_fields(action: &StepAction) -> Vec<(&'static str, String)> {
    let input = match action {
        StepAction::StartConsumer(spec) => {
            return vec![("action", quote("start")), ("consumer", quote(&spec.id))];
        }
        StepAction::StartProducer(spec) => {
            return vec![("action", quote("start_producer")), ("producer", quote(&spec.id))];
        }
        StepAction::Input(input) => input,
    };
    let mut f = vec![("action", quote(input_action_name(input)))];
    let consumer = |f: &mut Vec<(&'static str, String)>, c: &str| f.push(("consumer", quote(c)));
    match input {
        // Not produced by the parser; the closest the file can say.
        Input::StartConsumer(spec) => consumer(&mut f, &spec.id),
        Input::StartProducer(ProducerSpec { id: producer, .. }) | Input::StopProducer { producer } => {
            f.push(("producer", quote(producer)))
        }
        Input::Produce { topic, partition, key, value, count } => {
            f.push(("topic", quote(topic)));
            if let Some(p) = partition {
                f.push(("partition", p.to_string()));
            }
            if let Some(k) = key {
                f.push(("key", quote(k)));
            }
            if let Some(v) = value {
                f.push(("value", quote(v)));
            }
            if *count != 1 {
                f.push(("count", count.to_string()));
            }
        }
        Input::DeleteRecords { partition, before_offset } => {
            f.push(("partition", quote(&partition_name(partition))));
            f.push(("offset", before_offset.to_string()));
        }
        Input::Crash { consumer: c }
        | Input::Close { consumer: c }
        | Input::StopPolling { consumer: c }
        | Input::ResumePolling { consumer: c }
        | Input::Unsubscribe { consumer: c }
        | Input::CommitSync { consumer: c } => consumer(&mut f, c),
        Input::Pause { consumer: c, partitions }
        | Input::Resume { consumer: c, partitions }
        | Input::Assign { consumer: c, partitions } => {
            consumer(&mut f, c);
            f.push(("partitions", partition_list(partitions)));
        }
        Input::SeekToBeginning { consumer: c, partitions } | Input::SeekToEnd { consumer: c, partitions } => {
            consumer(&mut f, c);
            if !partitions.is_empty() {
                f.push(("partitions", partition_list(partitions)));
            }
        }
        Input::Seek { consumer: c, partition, offset } => {
            consumer(&mut f, c);
            f.push(("partition", quote(&partition_name(partition))));
            f.push(("offset", offset.to_string()));
        }
        Input::Subscribe { consumer: c, topics } => {
            consumer(&mut f, c);
            f.push(("topics", string_list(topics.iter().map(String::as_str))));
        }
        Input::ChangeConfig { consumer: c, changes } => {
            consumer(&mut f, c);
            f.push(("config", inline_properties(changes)));
        }
    }
    f
}

/// Text being written, with the line each block starts on.
#[derive(Default)]
struct Out {
    text: String,
    line: u32,
}

impl Out {
    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
        self.line += 1;
    }

    fn kv(&mut self, k: &str, v: impl AsRef<str>) {
        self.line(&format!("{} = {}", key(k), v.as_ref()));
    }

    /// Starts a block after a blank line; returns its first line (1-based).
    fn block(&mut self, header: &str) -> u32 {
        self.line("");
        self.line(header);
        self.line
    }
}

/// Where each entry of the written file starts.
struct Rendered {
    text: String,
    producer_lines: Vec<u32>,
    consumer_lines: Vec<u32>,
    action_lines: Vec<u32>,
}

fn write_producer(out: &mut Out, p: &ProducerEntry) -> u32 {
    let line = out.block("[[producers]]");
    let s = &p.spec;
    out.kv("id", quote(&s.id));
    out.kv("topic", quote(&s.topic));
    out.kv("rate_per_sec", s.rate_per_sec.to_string());
    if let Some(c) = s.count {
        out.kv("count", c.to_string());
    }
    if p.start_ms != 0 {
        out.kv("start_ms", p.start_ms.to_string());
    }
    match &s.keys {
        KeyPattern::None => {}
        KeyPattern::Cycle(keys) => {
            out.kv("keys", format!("{{ cycle = {} }}", string_list(keys.iter().map(String::as_str))))
        }
        KeyPattern::Random(n) => out.kv("keys", format!("{{ random = {n} }}")),
    }
    if let Some(partition) = s.partition {
        out.kv("partition", partition.to_string());
    }
    if let Some(b) = s.value_bytes {
        out.kv("value_bytes", b.to_string());
    }
    if s.batch_size_bytes != DEFAULT_BATCH_SIZE_BYTES {
        out.kv("batch_size", s.batch_size_bytes.to_string());
    }
    if !p.autostart {
        out.kv("autostart", "false");
    }
    line
}

fn write_consumer(out: &mut Out, c: &ConsumerEntry) -> u32 {
    let line = out.block("[[consumers]]");
    let s = &c.spec;
    out.kv("id", quote(&s.id));
    match &s.subscription {
        Subscription::Topics(topics) => {
            out.kv("subscribe", string_list(topics.iter().map(String::as_str)));
        }
        Subscription::Partitions(tps) => out.kv("assign", partition_list(tps)),
        Subscription::None => {}
    }
    if s.processing_ms != 0 {
        out.kv("processing_ms", s.processing_ms.to_string());
    }
    if s.commit != CommitStrategy::Auto {
        out.kv("commit", quote(s.commit.name()));
    }
    if s.poll_timeout_ms != DEFAULT_POLL_TIMEOUT_MS {
        out.kv("poll_timeout_ms", s.poll_timeout_ms.to_string());
    }
    if c.start_ms != 0 {
        out.kv("start_ms", c.start_ms.to_string());
    }
    if !c.autostart {
        out.kv("autostart", "false");
    }
    if !s.properties.is_empty() {
        out.line("[consumers.config]");
        for (k, v) in &s.properties {
            out.kv(k, property_value(k, v));
        }
    }
    line
}

fn write_action(out: &mut Out, a: &Step) -> u32 {
    let line = out.block("[[actions]]");
    out.kv("at_ms", a.at_ms.to_string());
    if a.after_timers {
        out.kv("after_timers", "true");
    }
    for (k, v) in action_fields(&a.action) {
        out.kv(k, v);
    }
    line
}

fn write_guide(out: &mut Out, g: &Guide) {
    out.block("[guide]");
    out.kv("question", quote(&g.question));
    if let Some(q) = &g.question_ko {
        out.kv("question_ko", quote(q));
    }
    out.kv("explanation", quote(&g.explanation));
    if let Some(e) = &g.explanation_ko {
        out.kv("explanation_ko", quote(e));
    }
    for s in &g.steps {
        out.block("[[guide.steps]]");
        out.kv("at_ms", s.at_ms.to_string());
        out.kv("text", quote(&s.text));
        if let Some(t) = &s.text_ko {
            out.kv("text_ko", quote(t));
        }
        if let Some(e) = &s.expect {
            out.kv("expect", e.to_toml_inline());
        }
    }
}

impl Scenario {
    fn render(&self) -> Rendered {
        let mut out = Out::default();
        out.kv("version", super::SCENARIO_VERSION.to_string());
        if !self.name.is_empty() {
            out.kv("name", quote(&self.name));
        }
        if let Some(n) = &self.name_ko {
            out.kv("name_ko", quote(n));
        }
        if !self.description.is_empty() {
            out.kv("description", quote(&self.description));
        }
        if let Some(d) = &self.description_ko {
            out.kv("description_ko", quote(d));
        }
        out.kv("seed", self.config.seed.to_string());
        out.kv("until_ms", self.until_ms.to_string());

        let b = &self.config.broker;
        let d = BrokerConfig::default();
        let broker = [
            (
                "group.initial.rebalance.delay.ms",
                b.group_initial_rebalance_delay_ms,
                d.group_initial_rebalance_delay_ms,
            ),
            ("group.min.session.timeout.ms", b.group_min_session_timeout_ms, d.group_min_session_timeout_ms),
            ("group.max.session.timeout.ms", b.group_max_session_timeout_ms, d.group_max_session_timeout_ms),
        ];
        if broker.iter().any(|(_, v, default)| v != default) {
            out.block("[broker]");
            for (k, v, default) in broker {
                if v != default {
                    out.kv(k, v.to_string());
                }
            }
        }
        for (name, partitions) in &self.config.topics {
            out.block("[[topics]]");
            out.kv("name", quote(name));
            out.kv("partitions", partitions.to_string());
        }
        let producer_lines = self.producers.iter().map(|p| write_producer(&mut out, p)).collect();
        let consumer_lines = self.consumers.iter().map(|c| write_consumer(&mut out, c)).collect();
        let action_lines = self.actions.iter().map(|a| write_action(&mut out, a)).collect();
        if let Some(g) = &self.guide {
            write_guide(&mut out, g);
        }
        Rendered { text: out.text, producer_lines, consumer_lines, action_lines }
    }

    /// The scenario as a version-1 file. For any scenario that
    /// [`Scenario::parse`] or [`Scenario::with_inputs`] returned,
    /// `Scenario::parse(&s.to_toml())` equals `s` (source lines aside) and
    /// runs the same. Defaults are left out; `until_ms` is always written.
    pub fn to_toml(&self) -> String {
        self.render().text
    }

    /// This scenario plus the actions a person took during a run of it,
    /// each `(virtual time in ms, input)` as it was applied to the model
    /// (in time order). Written out with [`Scenario::to_toml`], the file
    /// replays that run:
    ///
    /// - every input becomes an `[[actions]]` entry with `after_timers =
    ///   true` (a person acts after what the model did at that millisecond),
    ///   in the order given;
    /// - a consumer or producer started that the file does not declare is
    ///   declared (`[[consumers]]` / `[[producers]]` with `autostart =
    ///   false`) and started by a `start` / `start_producer` action;
    /// - if the inputs reach past `until_ms`, it moves to the last one plus
    ///   30 s.
    ///
    /// An input the file format cannot express is an error naming it, never
    /// dropped: e.g. restarting a declared consumer with a setup other than
    /// the one the model has for it at that moment (a `start` action
    /// restarts it with that one), or acting on a consumer nobody started.
    /// To check restarts it replays the run up to the last input, so it
    /// costs about as much as that run when some input restarts a consumer.
    /// Inputs the model refused during the run may be left in: the replay
    /// refuses them at the same point.
    pub fn with_inputs(&self, inputs: &[(u64, Input)]) -> Result<Scenario, ScenarioError> {
        let mut out = self.clone();
        let mut consumer_ids = crate::sort::btree_set(self.consumers.iter().map(|c| c.spec.id.clone()));
        let mut producer_specs =
            crate::sort::btree_map(self.producers.iter().map(|p| (p.spec.id.clone(), p.spec.clone())));
        // A `start` action restarts a consumer with the spec the model has
        // for it then (changed by change_config, subscribe, assign...). To
        // check that a restart is exactly that, replay the run alongside,
        // as the front end ran it; only needed when something restarts.
        let mut started = crate::sort::btree_set(consumer_ids.iter().map(String::as_str));
        let restarts = inputs.iter().any(|(_, input)| match input {
            Input::StartConsumer(spec) => !started.insert(spec.id.as_str()),
            _ => false,
        });
        let mut run = if restarts { Some(ScenarioRun::new(self)?) } else { None };
        // Which input added each new entry, to name it in errors.
        let mut new_producers = Vec::new();
        let mut new_consumers = Vec::new();
        let mut previous_at = 0;

        for (n, (at, input)) in inputs.iter().enumerate() {
            let at = *at;
            let name = input_action_name(input);
            let err = |message: String| ScenarioError {
                line: None,
                column: None,
                message: format!("input {} at {at} ms ({name}): {message}", n + 1),
            };
            if at < previous_at {
                return Err(err(format!(
                    "inputs must be in time order (the one before was at {previous_at} ms)"
                )));
            }
            previous_at = at;
            if let Some(run) = &mut run {
                // A scripted step the model refuses is skipped, as in the UI.
                while run.advance(at).is_err() {}
            }

            let known_consumer = |id: &str| -> Result<(), ScenarioError> {
                if consumer_ids.contains(id) {
                    Ok(())
                } else {
                    Err(err(format!(
                        "consumer \"{id}\" is not in the scenario and no earlier input started it"
                    )))
                }
            };
            let action = match input {
                Input::StartConsumer(spec) => match out.consumers.iter().find(|c| c.spec.id == spec.id) {
                    None => {
                        out.consumers.push(ConsumerEntry {
                            spec: spec.clone(),
                            start_ms: 0,
                            autostart: false,
                            line: SourceLine(None),
                        });
                        new_consumers.push(n);
                        consumer_ids.insert(spec.id.clone());
                        StepAction::StartConsumer(spec.clone())
                    }
                    Some(declared) => {
                        let current = run
                            .as_ref()
                            .and_then(|r| r.model.consumer_spec(&spec.id))
                            .unwrap_or(&declared.spec);
                        if current != spec {
                            return Err(err(format!(
                                "consumer \"{}\" was started with a setup that differs from \
                                     the one the scenario gives it at that moment ({}); a \
                                     scenario file starts a declared consumer as declared, \
                                     changed only by its actions (change_config, subscribe, \
                                     assign, unsubscribe)",
                                spec.id,
                                spec_difference(current, spec)
                            )));
                        }
                        StepAction::StartConsumer(declared.spec.clone())
                    }
                },
                Input::StartProducer(spec) => match producer_specs.get(&spec.id) {
                    None => {
                        out.producers.push(ProducerEntry {
                            spec: spec.clone(),
                            start_ms: 0,
                            autostart: false,
                            line: SourceLine(None),
                        });
                        new_producers.push(n);
                        producer_specs.insert(spec.id.clone(), spec.clone());
                        StepAction::StartProducer(spec.clone())
                    }
                    Some(declared) if declared == spec => StepAction::StartProducer(spec.clone()),
                    Some(_) => {
                        return Err(err(format!(
                            "producer \"{}\" was started with a setup that differs from the one \
                             the scenario declares; a scenario file can only start it as declared",
                            spec.id
                        )));
                    }
                },
                Input::StopProducer { producer } => {
                    if !producer_specs.contains_key(producer) {
                        return Err(err(format!(
                            "producer \"{producer}\" is not in the scenario and no earlier input \
                             started it"
                        )));
                    }
                    StepAction::Input(input.clone())
                }
                Input::Produce { topic, partition, count, .. } => {
                    let Some((_, n)) = self.config.topics.iter().find(|(t, _)| t == topic) else {
                        return Err(err(format!("topic \"{topic}\" is not in the scenario")));
                    };
                    if let Some(p) = partition
                        && !(0..*n).contains(p)
                    {
                        return Err(err(format!("topic \"{topic}\" has no partition {p}")));
                    }
                    if !(1..=1_000_000).contains(count) {
                        return Err(err(format!(
                            "a scenario produces 1 to 1000000 records at once, not {count}"
                        )));
                    }
                    StepAction::Input(input.clone())
                }
                Input::DeleteRecords { .. } => StepAction::Input(input.clone()),
                Input::Crash { consumer }
                | Input::Close { consumer }
                | Input::StopPolling { consumer }
                | Input::ResumePolling { consumer }
                | Input::Pause { consumer, .. }
                | Input::Resume { consumer, .. }
                | Input::Seek { consumer, .. }
                | Input::SeekToBeginning { consumer, .. }
                | Input::SeekToEnd { consumer, .. }
                | Input::Subscribe { consumer, .. }
                | Input::Assign { consumer, .. }
                | Input::Unsubscribe { consumer }
                | Input::CommitSync { consumer } => {
                    known_consumer(consumer)?;
                    StepAction::Input(input.clone())
                }
                Input::ChangeConfig { consumer, .. } => {
                    known_consumer(consumer)?;
                    StepAction::Input(input.clone())
                }
            };
            if let Some(run) = &mut run {
                // What the model refuses it refused in the UI too: nothing happens.
                let _ = run.model.handle(input.clone(), at);
            }
            out.actions.push(Step { at_ms: at, after_timers: true, line: SourceLine(None), action });
        }
        if let Some((last, _)) = inputs.last()
            && *last >= out.until_ms
        {
            out.until_ms = last + UNTIL_MARGIN_MS;
        }

        // Whatever the checks above missed, the parser finds: the result
        // must read back as itself.
        let first_new_action = self.actions.len();
        let rendered = out.render();
        let input_at_line = |line: u32| -> Option<usize> {
            let mut blocks: Vec<(u32, Option<usize>)> = Vec::new();
            for (i, l) in rendered.producer_lines.iter().enumerate() {
                let new = i.checked_sub(self.producers.len()).map(|k| new_producers[k]);
                blocks.push((*l, new));
            }
            for (i, l) in rendered.consumer_lines.iter().enumerate() {
                let new = i.checked_sub(self.consumers.len()).map(|k| new_consumers[k]);
                blocks.push((*l, new));
            }
            for (i, l) in rendered.action_lines.iter().enumerate() {
                blocks.push((*l, i.checked_sub(first_new_action)));
            }
            blocks
                .into_iter()
                .filter(|(start, _)| *start <= line)
                .max_by_key(|(start, _)| *start)
                .and_then(|(_, input)| input)
        };
        let name_input = |n: Option<usize>| match n.and_then(|n| inputs.get(n).map(|i| (n, i))) {
            Some((n, (at, input))) => {
                format!("input {} at {at} ms ({})", n + 1, input_action_name(input))
            }
            None => "the inputs".to_string(),
        };
        let back = Scenario::parse(&rendered.text).map_err(|e| ScenarioError {
            line: None,
            column: None,
            message: format!(
                "{} cannot be written as a scenario file: {}",
                name_input(e.line.and_then(input_at_line)),
                e.message
            ),
        })?;
        if back != out {
            let differs = out
                .actions
                .iter()
                .zip(&back.actions)
                .position(|(a, b)| a != b)
                .and_then(|i| i.checked_sub(first_new_action));
            return Err(ScenarioError {
                line: None,
                column: None,
                message: format!("{} cannot be written as a scenario file exactly", name_input(differs)),
            });
        }
        Ok(back)
    }
}

/// What differs between two specs of one consumer, in a few words.
fn spec_difference(expected: &ConsumerSpec, got: &ConsumerSpec) -> String {
    let mut parts = Vec::new();
    let keys = crate::sort::btree_set(expected.properties.keys().chain(got.properties.keys()));
    for k in keys {
        let (a, b) = (expected.properties.get(k), got.properties.get(k));
        if a != b {
            let show = |v: Option<&String>| v.map_or("unset".to_string(), |v| format!("\"{v}\""));
            parts.push(format!("{k}: {} instead of {}", show(b), show(a)));
        }
    }
    if expected.subscription != got.subscription {
        parts.push("subscription".into());
    }
    if expected.processing_ms != got.processing_ms {
        parts.push("processing_ms".into());
    }
    if expected.commit != got.commit {
        parts.push("commit".into());
    }
    if expected.poll_timeout_ms != got.poll_timeout_ms {
        parts.push("poll_timeout_ms".into());
    }
    parts.join(", ")
}
