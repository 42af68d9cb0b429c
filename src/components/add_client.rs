//! Adding clients while a scenario runs: start a consumer (alone or in a
//! group, subscribe or assign, commit strategy, processing time), start and
//! stop a producer, and produce N records now. Every form is checked before
//! anything is sent; what the model refuses anyway (a duplicate producer
//! id, say) comes back through the app's error banner.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use offsetlab_model::config::ConsumerConfig;
use offsetlab_model::model::{ConsumerSpec, Input, KeyPattern, ProducerSpec, Subscription};
use offsetlab_model::sort;
use offsetlab_protocol::{CommitStrategy, TopicPartition};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::partition_picker::partition_checks;
use crate::redraw::Panel;

use crate::i18n::Lang;
use crate::i18n::live::LiveText;
use crate::i18n::options::{Label, commit_strategy, config_error, number_range, produce_n};
use crate::view::{ClusterView, ConsumerStatus};

#[derive(Properties, PartialEq)]
pub struct AddClientProps {
    pub lang: Lang,
    pub view: Rc<ClusterView>,
    /// An action for the model, applied at the current virtual time (live:
    /// turned into the gateway's commands).
    pub on_input: Callback<Input>,
    /// Live mode: the group prefix the gateway's consumers must use. The
    /// form then suggests a group with it, and hides producers (the gateway
    /// runs none).
    #[prop_or_default]
    pub group_prefix: Option<String>,
}

/// The consumer options the form offers besides `auto.offset.reset`, with
/// their choices; an empty choice leaves Kafka's default.
pub const MORE_OPTIONS: [(&str, &[&str]); 3] = [
    ("enable.auto.commit", &["true", "false"]),
    ("partition.assignment.strategy", &["range", "roundrobin", "cooperative-sticky"]),
    ("session.timeout.ms", &["10000", "30000", "45000"]),
];

/// Upper bounds that keep one click from freezing the page: the model
/// does as much work as a person asks for, synchronously.
pub const MAX_PROCESSING_MS: u64 = 60_000;
pub const MAX_RATE_PER_SEC: u64 = 1_000;
pub const MAX_PRODUCE_NOW: u64 = 1_000;
pub const MAX_RANDOM_KEYS: u64 = 1_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadMode {
    #[default]
    Subscribe,
    Assign,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeyMode {
    #[default]
    None,
    Cycle,
    Random,
}

/// The form fields an error can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    ConsumerId,
    GroupId,
    Topics,
    Partitions,
    Commit,
    Processing,
    OffsetReset,
    ProducerId,
    ProducerTopic,
    Rate,
    Keys,
    ProduceTopic,
    ProduceCount,
    ProducePartition,
    Options,
}

impl Field {
    fn id(self) -> &'static str {
        match self {
            Field::ConsumerId => "add-error-consumer-id",
            Field::GroupId => "add-error-group-id",
            Field::Topics => "add-error-topics",
            Field::Partitions => "add-error-partitions",
            Field::Commit => "add-error-commit",
            Field::Processing => "add-error-processing",
            Field::OffsetReset => "add-error-offset-reset",
            Field::ProducerId => "add-error-producer-id",
            Field::ProducerTopic => "add-error-producer-topic",
            Field::Rate => "add-error-rate",
            Field::Keys => "add-error-keys",
            Field::ProduceTopic => "add-error-produce-topic",
            Field::ProduceCount => "add-error-produce-count",
            Field::ProducePartition => "add-error-produce-partition",
            Field::Options => "add-error-options",
        }
    }
}

/// What is wrong with a form, and where.
pub type FormError = (Field, String);

/// The consumer form as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerForm {
    pub id: String,
    pub group_id: String,
    pub read: ReadMode,
    pub topics: BTreeSet<String>,
    pub partitions: BTreeSet<TopicPartition>,
    pub commit: CommitStrategy,
    pub processing_ms: String,
    pub offset_reset: String,
    /// More consumer options (`MORE_OPTIONS`); absent = Kafka's default.
    pub options: BTreeMap<String, String>,
    /// Live: the group must start with the gateway's prefix.
    pub group_prefix: Option<String>,
}

/// The producer form as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProducerForm {
    pub id: String,
    pub topic: String,
    pub rate: String,
    pub keys: KeyMode,
    pub key_list: String,
    pub key_count: String,
}

/// A whole number within `[min, max]`.
pub fn parse_bounded(text: &str, min: u64, max: u64) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|n| (min..=max).contains(n))
}

fn bounded(text: &str, min: u64, max: u64, field: Field, lang: Lang) -> Result<u64, FormError> {
    parse_bounded(text, min, max).ok_or_else(|| (field, number_range(min, max, lang)))
}

/// Builds the `ConsumerSpec` the form describes, with the checks the model
/// makes (`Model::check_consumer`) so that a bad form is never sent.
pub fn consumer_spec(form: &ConsumerForm, view: &ClusterView, lang: Lang) -> Result<ConsumerSpec, FormError> {
    let id = form.id.trim();
    if id.is_empty() {
        return Err((Field::ConsumerId, Label::IdRequired.get(lang).into()));
    }
    if view.consumers.get(id).is_some_and(|c| c.status == ConsumerStatus::Running) {
        return Err((Field::ConsumerId, Label::IdRunning.get(lang).into()));
    }
    let group = form.group_id.trim();
    if let Some(prefix) = form.group_prefix.as_deref().filter(|p| !group.starts_with(*p)) {
        return Err((Field::GroupId, format!("{} \"{prefix}\"", LiveText::GroupPrefix.get(lang))));
    }
    let mut properties = BTreeMap::new();
    properties.insert("auto.offset.reset".to_string(), form.offset_reset.clone());
    if !group.is_empty() {
        properties.insert("group.id".into(), group.into());
    }
    properties
        .extend(form.options.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.clone(), v.clone())));
    // Without a group.id Kafka's enable.auto.commit defaults to false, so
    // nothing else needs setting for either case.
    ConsumerConfig::from_properties(&properties).map_err(|e| {
        let field = match e.key.as_str() {
            "auto.offset.reset" => Field::OffsetReset,
            key if form.options.contains_key(key) => Field::Options,
            _ => Field::GroupId,
        };
        (field, config_error(&e, lang))
    })?;
    let subscription = match form.read {
        ReadMode::Subscribe if group.is_empty() => {
            return Err((Field::GroupId, Label::SubscribeNeedsGroup.get(lang).into()));
        }
        ReadMode::Subscribe => {
            let topics: Vec<String> =
                form.topics.iter().filter(|t| view.topics.contains_key(*t)).cloned().collect();
            if topics.is_empty() {
                return Err((Field::Topics, Label::PickTopic.get(lang).into()));
            }
            Subscription::Topics(topics)
        }
        ReadMode::Assign => {
            let partitions: Vec<TopicPartition> =
                form.partitions.iter().filter(|tp| view.partition(tp).is_some()).cloned().collect();
            if partitions.is_empty() {
                return Err((Field::Partitions, Label::PickPartition.get(lang).into()));
            }
            Subscription::Partitions(partitions)
        }
    };
    if form.commit != CommitStrategy::Auto && group.is_empty() {
        return Err((Field::Commit, Label::StrategyNeedsGroup.get(lang).into()));
    }
    let processing_ms = bounded(&form.processing_ms, 0, MAX_PROCESSING_MS, Field::Processing, lang)?;
    let mut spec = ConsumerSpec::new(id).processing_ms(processing_ms).commit(form.commit);
    spec.properties = properties;
    spec.subscription = subscription;
    Ok(spec)
}

/// Builds the `ProducerSpec` the form describes; it runs until stopped.
pub fn producer_spec(form: &ProducerForm, view: &ClusterView, lang: Lang) -> Result<ProducerSpec, FormError> {
    let id = form.id.trim();
    if id.is_empty() {
        return Err((Field::ProducerId, Label::IdRequired.get(lang).into()));
    }
    if !view.topics.contains_key(&form.topic) {
        return Err((Field::ProducerTopic, Label::NoTopics.get(lang).into()));
    }
    let rate = bounded(&form.rate, 1, MAX_RATE_PER_SEC, Field::Rate, lang)?;
    let keys = match form.keys {
        KeyMode::None => KeyPattern::None,
        KeyMode::Cycle => {
            let keys: Vec<String> =
                form.key_list.split(',').map(str::trim).filter(|k| !k.is_empty()).map(String::from).collect();
            if keys.is_empty() {
                return Err((Field::Keys, Label::KeysNeeded.get(lang).into()));
            }
            KeyPattern::Cycle(keys)
        }
        KeyMode::Random => {
            KeyPattern::Random(bounded(&form.key_count, 1, MAX_RANDOM_KEYS, Field::Keys, lang)? as u32)
        }
    };
    let mut spec = ProducerSpec::new(id, form.topic.clone(), rate as u32);
    spec.keys = keys;
    Ok(spec)
}

/// `Input::Produce` for "produce N records now"; an empty key means none
/// (the sticky partitioner spreads them).
pub fn produce_now(
    topic: &str,
    count: &str,
    key: &str,
    partition: &str,
    view: &ClusterView,
    lang: Lang,
) -> Result<Input, FormError> {
    let Some(t) = view.topics.get(topic) else {
        return Err((Field::ProduceTopic, Label::NoTopics.get(lang).into()));
    };
    let count = bounded(count, 1, MAX_PRODUCE_NOW, Field::ProduceCount, lang)? as u32;
    let key = key.trim();
    let partition = match partition.trim() {
        "" => None,
        p => {
            let last = (t.partitions.len() as u64).saturating_sub(1);
            let p = bounded(p, 0, last, Field::ProducePartition, lang)?;
            Some(i32::try_from(p).unwrap_or(i32::MAX))
        }
    };
    Ok(Input::Produce {
        topic: topic.to_string(),
        partition,
        key: (!key.is_empty()).then(|| key.to_string()),
        value: None,
        count,
    })
}

/// The first `{prefix}{n}` (n from 1) not taken.
pub fn free_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|n| format!("{prefix}{n}")).find(|id| !taken(id)).unwrap_or_else(|| prefix.to_string())
}

// ---------------------------------------------------------------------------

/// What the person typed. Fields left `None` show a suggestion that
/// follows the view (a free id, the first topic) until edited.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    consumer_id: Option<String>,
    group_id: Option<String>,
    read: ReadMode,
    topics: Option<BTreeSet<String>>,
    partitions: BTreeSet<TopicPartition>,
    commit: CommitStrategy,
    processing_ms: String,
    offset_reset: String,
    options: BTreeMap<String, String>,
    producer_id: Option<String>,
    producer_topic: Option<String>,
    rate: String,
    keys: KeyMode,
    key_list: String,
    key_count: String,
    /// Producers started from this form, for the stop list.
    started: BTreeSet<String>,
    stop_id: String,
    produce_topic: Option<String>,
    produce_count: String,
    produce_key: String,
    produce_partition: String,
    /// Which of the three sections the person has opened.
    consumer_open: bool,
    producer_open: bool,
    produce_open: bool,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            consumer_id: None,
            group_id: None,
            read: ReadMode::Subscribe,
            topics: None,
            partitions: BTreeSet::new(),
            commit: CommitStrategy::Auto,
            processing_ms: "20".into(),
            // Kafka's default is latest; earliest shows the records already
            // in the log being read, which is what people come to see.
            offset_reset: "earliest".into(),
            options: BTreeMap::new(),
            producer_id: None,
            producer_topic: None,
            rate: "5".into(),
            keys: KeyMode::None,
            key_list: "k1,k2,k3".into(),
            key_count: "8".into(),
            started: BTreeSet::new(),
            stop_id: String::new(),
            produce_topic: None,
            produce_count: "10".into(),
            produce_key: String::new(),
            produce_partition: String::new(),
            consumer_open: false,
            producer_open: false,
            produce_open: false,
        }
    }
}

struct Edit(Box<dyn FnOnce(&mut Draft)>);

impl Reducible for Draft {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut next = (*self).clone();
        (edit.0)(&mut next);
        Rc::new(next)
    }
}

type EditFn = Rc<dyn Fn(Box<dyn FnOnce(&mut Draft)>)>;

fn text_input(edit: &EditFn, set: fn(&mut Draft, String)) -> Callback<InputEvent> {
    let edit = edit.clone();
    Callback::from(move |e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        edit(Box::new(move |d| set(d, value)));
    })
}

fn select_input(edit: &EditFn, set: fn(&mut Draft, String)) -> Callback<Event> {
    let edit = edit.clone();
    Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        edit(Box::new(move |d| set(d, value)));
    })
}

fn error_line(error: &Option<FormError>, field: Field) -> Html {
    match error {
        Some((f, message)) if *f == field => html! {
            <p class="cfg-error" id={field.id()} role="alert">{ message.clone() }</p>
        },
        _ => html! {},
    }
}

fn topic_options(view: &ClusterView, selected: &str) -> Html {
    html! {
        { for view.topics.keys().map(|t| html! {
            <option value={t.clone()} selected={t == selected}>{ t.clone() }</option>
        }) }
    }
}

/// A topic the person chose, if it still exists, else the first topic.
fn pick_topic(view: &ClusterView, chosen: &Option<String>) -> String {
    chosen
        .clone()
        .filter(|t| view.topics.contains_key(t))
        .unwrap_or_else(|| view.topics.keys().next().cloned().unwrap_or_default())
}

fn invalid(error: &Option<FormError>, field: Field) -> &'static str {
    if matches!(error, Some((f, _)) if *f == field) { "true" } else { "false" }
}

fn reason(error: &Option<FormError>) -> Option<AttrValue> {
    error.as_ref().map(|(_, m)| AttrValue::from(m.clone()))
}

#[function_component]
pub fn AddClient(props: &AddClientProps) -> Html {
    let handle = use_reducer(Draft::default);
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let d = (*handle).clone();
    let edit: EditFn = {
        let handle = handle.clone();
        Rc::new(move |f| handle.dispatch(Edit(f)))
    };
    // A section's form is built only while it is open: a closed one is not
    // checked on every redraw, and its code is not needed for the page's
    // first screen (xtask/src/split.rs).
    let on_toggle = |set: fn(&mut Draft, bool)| {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            let open = e.target_unchecked_into::<web_sys::Element>().has_attribute("open");
            edit(Box::new(move |d| set(d, open)));
        })
    };
    html! {
        <section class="panel add-client" id="add-client" data-in-view={Panel::AddClient.key()}>
            <h2>{ l(Label::AddTitle) }</h2>
            if props.view.topics.is_empty() {
                <p class="cp-note">{ l(Label::NoTopics) }</p>
            }
            <details class="cp-section" id="add-consumer" open={d.consumer_open}
                ontoggle={on_toggle(|d, open| d.consumer_open = open)}>
                <summary>{ l(Label::AddConsumer) }</summary>
                if d.consumer_open {
                    { consumer_section(props, &d, &edit) }
                }
            </details>

            if props.group_prefix.is_none() {
            <details class="cp-section" id="add-producer" open={d.producer_open}
                ontoggle={on_toggle(|d, open| d.producer_open = open)}>
                <summary>{ l(Label::Producers) }</summary>
                if d.producer_open {
                    { producer_section(props, &d, &edit) }
                }
            </details>
            }

            <details class="cp-section" id="add-produce" open={d.produce_open}
                ontoggle={on_toggle(|d, open| d.produce_open = open)}>
                <summary>{ l(Label::ProduceNow) }</summary>
                if d.produce_open {
                    { produce_section(props, &d, &edit) }
                }
            </details>
        </section>
    }
}

/// The add-consumer form: id, group, subscribe or assign, commit strategy,
/// processing time and more options.
#[inline(never)]
fn consumer_section(props: &AddClientProps, d: &Draft, edit: &EditFn) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let view = &props.view;
    let consumer_form = ConsumerForm {
        id: d.consumer_id.clone().unwrap_or_else(|| free_id("c", |id| view.consumers.contains_key(id))),
        group_id: d.group_id.clone().unwrap_or_else(|| match &props.group_prefix {
            Some(prefix) => format!("{prefix}demo"),
            None => view.groups.keys().next().cloned().unwrap_or_default(),
        }),
        read: d.read,
        topics: d.topics.clone().unwrap_or_else(|| sort::btree_set(view.topics.keys().take(1).cloned())),
        partitions: d.partitions.clone(),
        commit: d.commit,
        processing_ms: d.processing_ms.clone(),
        offset_reset: d.offset_reset.clone(),
        options: d.options.clone(),
        group_prefix: props.group_prefix.clone(),
    };
    let consumer_result = consumer_spec(&consumer_form, view, lang);
    let consumer_error = consumer_result.as_ref().err().cloned();
    let on_start_consumer = {
        let on_input = props.on_input.clone();
        let spec = consumer_result.as_ref().ok().cloned();
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(spec) = spec.clone() {
                on_input.emit(Input::StartConsumer(spec));
                // The next one gets a fresh suggested id.
                edit(Box::new(|d| d.consumer_id = None));
            }
        })
    };
    let toggle_topic = |topic: String| {
        let edit = edit.clone();
        let current = consumer_form.topics.clone();
        Callback::from(move |_: Event| {
            let mut next = current.clone();
            if !next.remove(&topic) {
                next.insert(topic.clone());
            }
            edit(Box::new(move |d| d.topics = Some(next)));
        })
    };
    let toggle_partition = |tp: TopicPartition| {
        let edit = edit.clone();
        Callback::from(move |_: Event| {
            let tp = tp.clone();
            edit(Box::new(move |d| {
                if !d.partitions.remove(&tp) {
                    d.partitions.insert(tp);
                }
            }));
        })
    };
    let set_read = |mode: ReadMode| {
        let edit = edit.clone();
        Callback::from(move |_: Event| edit(Box::new(move |d| d.read = mode)))
    };

    html! {
        <>
            <div class="ac-grid">
                <label for="add-consumer-id">{ l(Label::ConsumerId) }</label>
                <input id="add-consumer-id" type="text" autocomplete="off" spellcheck="false"
                    value={consumer_form.id.clone()}
                    aria-invalid={invalid(&consumer_error, Field::ConsumerId)}
                    oninput={text_input(edit, |d, v| d.consumer_id = Some(v))} />
                { error_line(&consumer_error, Field::ConsumerId) }
                <label for="add-group-id">{ l(Label::GroupId) }</label>
                <input id="add-group-id" type="text" autocomplete="off" spellcheck="false"
                    value={consumer_form.group_id.clone()}
                    aria-invalid={invalid(&consumer_error, Field::GroupId)}
                    oninput={text_input(edit, |d, v| d.group_id = Some(v))} />
                { error_line(&consumer_error, Field::GroupId) }
            </div>
            <fieldset class="ac-read">
                <legend>{ l(Label::ReadWith) }</legend>
                <label class="cp-check">
                    <input type="radio" name="add-read" id="add-read-subscribe"
                        checked={d.read == ReadMode::Subscribe}
                        onchange={set_read(ReadMode::Subscribe)} />
                    { l(Label::ReadSubscribe) }
                </label>
                <label class="cp-check">
                    <input type="radio" name="add-read" id="add-read-assign"
                        checked={d.read == ReadMode::Assign}
                        onchange={set_read(ReadMode::Assign)} />
                    { l(Label::ReadAssign) }
                </label>
            </fieldset>
            if d.read == ReadMode::Subscribe {
                <fieldset class="cp-checks" id="add-topics">
                    <legend>{ l(Label::Topics) }</legend>
                    { for view.topics.keys().map(|topic| html! {
                        <label class="cp-check">
                            <input type="checkbox" data-topic={topic.clone()}
                                checked={consumer_form.topics.contains(topic)}
                                onchange={toggle_topic(topic.clone())} />
                            { topic.clone() }
                        </label>
                    }) }
                </fieldset>
                { error_line(&consumer_error, Field::Topics) }
            } else {
                { partition_checks(view, "add-partitions", &d.partitions, false, toggle_partition) }
                { error_line(&consumer_error, Field::Partitions) }
            }
            <div class="ac-grid">
                <label for="add-commit">{ l(Label::CommitStrategyLabel) }</label>
                <select id="add-commit" aria-invalid={invalid(&consumer_error, Field::Commit)}
                    onchange={select_input(edit, |d, v| {
                        if let Some(s) = CommitStrategy::from_name(&v) {
                            d.commit = s;
                        }
                    })}>
                    { for CommitStrategy::ALL.iter().map(|s| html! {
                        <option value={s.name()} selected={*s == d.commit}>{ commit_strategy(*s, lang) }</option>
                    }) }
                </select>
                { error_line(&consumer_error, Field::Commit) }
                <label for="add-processing">{ l(Label::ProcessingMs) }</label>
                <input id="add-processing" type="text" inputmode="numeric" autocomplete="off"
                    value={d.processing_ms.clone()}
                    aria-invalid={invalid(&consumer_error, Field::Processing)}
                    oninput={text_input(edit, |d, v| d.processing_ms = v)} />
                { error_line(&consumer_error, Field::Processing) }
                <label for="add-offset-reset">{ "auto.offset.reset" }</label>
                <select id="add-offset-reset" title={l(Label::OffsetResetKafkaDefault)}
                    onchange={select_input(edit, |d, v| d.offset_reset = v)}>
                    { for ["earliest", "latest", "none"].iter().map(|v| html! {
                        <option value={*v} selected={*v == d.offset_reset}>{ *v }</option>
                    }) }
                </select>
                { error_line(&consumer_error, Field::OffsetReset) }
            </div>
            <p class="cp-help">{ l(Label::OffsetResetKafkaDefault) }</p>
            <details class="cp-section" id="add-more-options">
                <summary>{ l(Label::MoreOptions) }</summary>
                <div class="ac-grid">
                    { for MORE_OPTIONS.iter().map(|(key, choices)| {
                        let key = *key;
                        let chosen = d.options.get(key).cloned().unwrap_or_default();
                        let onchange = {
                            let edit = edit.clone();
                            Callback::from(move |e: Event| {
                                let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                                edit(Box::new(move |d| {
                                    d.options.insert(key.to_string(), value);
                                }));
                            })
                        };
                        html! {
                            <>
                                <label for={format!("add-option-{key}")}>{ key }</label>
                                <select id={format!("add-option-{key}")} data-option={key} {onchange}>
                                    <option value="" selected={chosen.is_empty()}>{ l(Label::KafkaDefault) }</option>
                                    { for choices.iter().map(|v| html! {
                                        <option value={*v} selected={chosen == *v}>{ *v }</option>
                                    }) }
                                </select>
                            </>
                        }
                    }) }
                </div>
                { error_line(&consumer_error, Field::Options) }
            </details>
            <div class="consumer-actions">
                <button type="button" id="add-consumer-start" class="primary"
                    disabled={consumer_error.is_some()} title={reason(&consumer_error)}
                    onclick={on_start_consumer}>{ l(Label::StartConsumer) }</button>
            </div>
        </>
    }
}

/// Start a producer (id, topic, rate, keys), and stop one started here.
#[inline(never)]
fn producer_section(props: &AddClientProps, d: &Draft, edit: &EditFn) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let view = &props.view;
    let no_topics = view.topics.is_empty();
    let producer_form = ProducerForm {
        id: d.producer_id.clone().unwrap_or_else(|| free_id("ui-p", |id| d.started.contains(id))),
        topic: pick_topic(view, &d.producer_topic),
        rate: d.rate.clone(),
        keys: d.keys,
        key_list: d.key_list.clone(),
        key_count: d.key_count.clone(),
    };
    let producer_result = producer_spec(&producer_form, view, lang);
    let producer_error = producer_result.as_ref().err().cloned();
    let on_start_producer = {
        let on_input = props.on_input.clone();
        let spec = producer_result.as_ref().ok().cloned();
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(spec) = spec.clone() {
                let id = spec.id.clone();
                on_input.emit(Input::StartProducer(spec));
                edit(Box::new(move |d| {
                    d.stop_id = id.clone();
                    d.started.insert(id);
                    d.producer_id = None;
                }));
            }
        })
    };
    let stop_id = d.stop_id.trim().to_string();
    let on_stop_producer = {
        let on_input = props.on_input.clone();
        let edit = edit.clone();
        let stop_id = stop_id.clone();
        Callback::from(move |_: MouseEvent| {
            if stop_id.is_empty() {
                return;
            }
            on_input.emit(Input::StopProducer { producer: stop_id.clone() });
            let id = stop_id.clone();
            edit(Box::new(move |d| {
                d.started.remove(&id);
                d.stop_id = d.started.iter().next_back().cloned().unwrap_or_default();
            }));
        })
    };

    html! {
        <>
            <div class="ac-grid">
                <label for="add-producer-id">{ l(Label::ProducerId) }</label>
                <input id="add-producer-id" type="text" autocomplete="off" spellcheck="false"
                    value={producer_form.id.clone()}
                    aria-invalid={invalid(&producer_error, Field::ProducerId)}
                    oninput={text_input(edit, |d, v| d.producer_id = Some(v))} />
                { error_line(&producer_error, Field::ProducerId) }
                <label for="add-producer-topic">{ l(Label::Topic) }</label>
                <select id="add-producer-topic" disabled={no_topics}
                    onchange={select_input(edit, |d, v| d.producer_topic = Some(v))}>
                    { topic_options(view, &producer_form.topic) }
                </select>
                { error_line(&producer_error, Field::ProducerTopic) }
                <label for="add-producer-rate">{ l(Label::Rate) }</label>
                <input id="add-producer-rate" type="text" inputmode="numeric" autocomplete="off"
                    value={d.rate.clone()}
                    aria-invalid={invalid(&producer_error, Field::Rate)}
                    oninput={text_input(edit, |d, v| d.rate = v)} />
                { error_line(&producer_error, Field::Rate) }
                <label for="add-keys-mode">{ l(Label::Keys) }</label>
                <select id="add-keys-mode" onchange={select_input(edit, |d, v| {
                    d.keys = match v.as_str() {
                        "cycle" => KeyMode::Cycle,
                        "random" => KeyMode::Random,
                        _ => KeyMode::None,
                    };
                })}>
                    <option value="none" selected={d.keys == KeyMode::None}>{ l(Label::KeysNone) }</option>
                    <option value="cycle" selected={d.keys == KeyMode::Cycle}>{ l(Label::KeysCycle) }</option>
                    <option value="random" selected={d.keys == KeyMode::Random}>{ l(Label::KeysRandom) }</option>
                </select>
                if d.keys == KeyMode::Cycle {
                    <label for="add-keys-list">{ l(Label::KeysList) }</label>
                    <input id="add-keys-list" type="text" autocomplete="off" spellcheck="false"
                        value={d.key_list.clone()}
                        aria-invalid={invalid(&producer_error, Field::Keys)}
                        oninput={text_input(edit, |d, v| d.key_list = v)} />
                } else if d.keys == KeyMode::Random {
                    <label for="add-keys-count">{ l(Label::KeysCount) }</label>
                    <input id="add-keys-count" type="text" inputmode="numeric" autocomplete="off"
                        value={d.key_count.clone()}
                        aria-invalid={invalid(&producer_error, Field::Keys)}
                        oninput={text_input(edit, |d, v| d.key_count = v)} />
                }
                { error_line(&producer_error, Field::Keys) }
            </div>
            <div class="consumer-actions">
                <button type="button" id="add-producer-start" class="primary"
                    disabled={producer_error.is_some()} title={reason(&producer_error)}
                    onclick={on_start_producer}>{ l(Label::StartProducer) }</button>
            </div>
            <div class="ac-grid ac-stop">
                <label for="add-producer-stop-id">{ l(Label::ProducerToStop) }</label>
                <input id="add-producer-stop-id" type="text" autocomplete="off" spellcheck="false"
                    list="add-started-producers" placeholder="p1"
                    value={d.stop_id.clone()}
                    oninput={text_input(edit, |d, v| d.stop_id = v)} />
                <datalist id="add-started-producers">
                    { for d.started.iter().map(|p| html! { <option value={p.clone()} /> }) }
                </datalist>
            </div>
            <div class="consumer-actions">
                <button type="button" id="add-producer-stop" disabled={stop_id.is_empty()}
                    title={stop_id.is_empty().then(|| AttrValue::from(Label::IdRequired.get(lang)))}
                    onclick={on_stop_producer}>{ l(Label::StopProducer) }</button>
            </div>
        </>
    }
}

/// Produce N records now, to a topic and optionally a key or partition.
#[inline(never)]
fn produce_section(props: &AddClientProps, d: &Draft, edit: &EditFn) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let view = &props.view;
    let no_topics = view.topics.is_empty();
    let produce_topic = pick_topic(view, &d.produce_topic);
    let produce_result =
        produce_now(&produce_topic, &d.produce_count, &d.produce_key, &d.produce_partition, view, lang);
    let produce_error = produce_result.as_ref().err().cloned();
    let on_produce = {
        let on_input = props.on_input.clone();
        let input = produce_result.as_ref().ok().cloned();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.clone() {
                on_input.emit(input);
            }
        })
    };
    let produce_label = match &produce_result {
        Ok(Input::Produce { count, .. }) => produce_n(*count, lang),
        _ => l(Label::ProduceNow).to_string(),
    };
    html! {
        <>
            <p class="cp-help">{ l(Label::ProduceHelp) }</p>
            <div class="ac-grid">
                <label for="produce-topic">{ l(Label::Topic) }</label>
                <select id="produce-topic" disabled={no_topics}
                    onchange={select_input(edit, |d, v| d.produce_topic = Some(v))}>
                    { topic_options(view, &produce_topic) }
                </select>
                { error_line(&produce_error, Field::ProduceTopic) }
                <label for="produce-count">{ l(Label::Count) }</label>
                <input id="produce-count" type="text" inputmode="numeric" autocomplete="off"
                    value={d.produce_count.clone()}
                    aria-invalid={invalid(&produce_error, Field::ProduceCount)}
                    oninput={text_input(edit, |d, v| d.produce_count = v)} />
                { error_line(&produce_error, Field::ProduceCount) }
                <label for="produce-key">{ l(Label::KeyOptional) }</label>
                <input id="produce-key" type="text" autocomplete="off" spellcheck="false"
                    value={d.produce_key.clone()}
                    oninput={text_input(edit, |d, v| d.produce_key = v)} />
                <label for="produce-partition">{ l(Label::PartitionOptional) }</label>
                <input id="produce-partition" type="text" inputmode="numeric" autocomplete="off"
                    value={d.produce_partition.clone()}
                    aria-invalid={invalid(&produce_error, Field::ProducePartition)}
                    oninput={text_input(edit, |d, v| d.produce_partition = v)} />
                { error_line(&produce_error, Field::ProducePartition) }
            </div>
            <div class="consumer-actions">
                <button type="button" id="produce-now" class="primary"
                    disabled={produce_error.is_some()} title={reason(&produce_error)}
                    onclick={on_produce}>{ produce_label }</button>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use offsetlab_model::scenario::{Scenario, ScenarioRun};

    use super::*;

    /// The two-groups scenario a few seconds in, and its model.
    fn two_groups() -> (ScenarioRun, ClusterView) {
        let text = crate::scenarios::text("two-groups").unwrap();
        let mut run = ScenarioRun::new(&Scenario::parse(text).unwrap()).unwrap();
        run.advance(3_000).unwrap();
        let events: Vec<_> = std::iter::from_fn(|| run.model.poll_event()).collect();
        (run, ClusterView::fold(&events))
    }

    fn form() -> ConsumerForm {
        ConsumerForm {
            id: "c9".into(),
            group_id: "billing".into(),
            read: ReadMode::Subscribe,
            topics: BTreeSet::from(["orders".to_string()]),
            partitions: BTreeSet::new(),
            commit: CommitStrategy::SyncPerPoll,
            processing_ms: "15".into(),
            offset_reset: "earliest".into(),
            options: BTreeMap::new(),
            group_prefix: None,
        }
    }

    #[test]
    fn live_forms_check_the_group_prefix_options_and_partition() {
        let (_, view) = two_groups();
        let live = ConsumerForm { group_prefix: Some("offsetlab.".into()), ..form() };
        let (field, message) = consumer_spec(&live, &view, Lang::En).unwrap_err();
        assert_eq!(field, Field::GroupId);
        assert!(message.ends_with("\"offsetlab.\""), "{message}");
        let ok = ConsumerForm {
            group_id: "offsetlab.demo".into(),
            options: BTreeMap::from([
                ("partition.assignment.strategy".to_string(), "cooperative-sticky".to_string()),
                ("session.timeout.ms".to_string(), String::new()),
            ]),
            ..live
        };
        let spec = consumer_spec(&ok, &view, Lang::En).unwrap();
        assert_eq!(spec.properties["partition.assignment.strategy"], "cooperative-sticky");
        assert!(!spec.properties.contains_key("session.timeout.ms"), "empty = Kafka's default");
        let bad = ConsumerForm {
            options: BTreeMap::from([("session.timeout.ms".to_string(), "soon".to_string())]),
            ..form()
        };
        assert_eq!(consumer_spec(&bad, &view, Lang::En).unwrap_err().0, Field::Options);
        let Ok(Input::Produce { partition, .. }) = produce_now("orders", "2", "", " 1 ", &view, Lang::En)
        else {
            panic!("a partition of orders")
        };
        assert_eq!(partition, Some(1));
        let far = produce_now("orders", "2", "", "99", &view, Lang::En);
        assert!(matches!(far, Err((Field::ProducePartition, _))));
    }

    #[test]
    fn a_consumer_form_becomes_the_spec_the_model_starts() {
        let (mut run, view) = two_groups();
        let spec = consumer_spec(&form(), &view, Lang::En).unwrap();
        assert_eq!(spec.id, "c9");
        assert_eq!(spec.subscription, Subscription::Topics(vec!["orders".into()]));
        assert_eq!(spec.processing_ms, 15);
        assert_eq!(spec.commit, CommitStrategy::SyncPerPoll);
        assert_eq!(spec.properties["group.id"], "billing");
        run.model.handle(Input::StartConsumer(spec), run.model.now()).unwrap();
    }

    #[test]
    fn consumer_form_errors_point_at_their_field() {
        let (_, view) = two_groups();
        let err = |f: ConsumerForm| consumer_spec(&f, &view, Lang::En).unwrap_err().0;
        assert_eq!(err(ConsumerForm { id: " ".into(), ..form() }), Field::ConsumerId);
        assert_eq!(
            err(ConsumerForm { id: "billing-1".into(), ..form() }),
            Field::ConsumerId,
            "billing-1 is running"
        );
        assert_eq!(
            err(ConsumerForm { group_id: String::new(), ..form() }),
            Field::GroupId,
            "subscribe() needs a group"
        );
        assert_eq!(err(ConsumerForm { topics: BTreeSet::new(), ..form() }), Field::Topics);
        assert_eq!(err(ConsumerForm { read: ReadMode::Assign, ..form() }), Field::Partitions);
        assert_eq!(
            err(ConsumerForm {
                group_id: String::new(),
                read: ReadMode::Assign,
                partitions: BTreeSet::from([TopicPartition::new("orders", 1)]),
                ..form()
            }),
            Field::Commit,
            "a manual commit strategy needs a group"
        );
        assert_eq!(err(ConsumerForm { processing_ms: "-5".into(), ..form() }), Field::Processing);
        assert_eq!(err(ConsumerForm { offset_reset: "smallest".into(), ..form() }), Field::OffsetReset);
        // Without a group, assign() with auto commit is fine.
        let lone = consumer_spec(
            &ConsumerForm {
                group_id: String::new(),
                read: ReadMode::Assign,
                partitions: BTreeSet::from([TopicPartition::new("orders", 1)]),
                commit: CommitStrategy::Auto,
                ..form()
            },
            &view,
            Lang::Ko,
        )
        .unwrap();
        assert!(!lone.properties.contains_key("group.id"));
    }

    #[test]
    fn producer_and_produce_now_forms() {
        let (mut run, view) = two_groups();
        let mut p = ProducerForm {
            id: "ui-p1".into(),
            topic: "orders".into(),
            rate: "4".into(),
            keys: KeyMode::Cycle,
            key_list: " a, b ,,".into(),
            key_count: "3".into(),
        };
        let spec = producer_spec(&p, &view, Lang::En).unwrap();
        assert_eq!(spec.keys, KeyPattern::Cycle(vec!["a".into(), "b".into()]));
        assert_eq!((spec.rate_per_sec, spec.count), (4, None));
        run.model.handle(Input::StartProducer(spec), run.model.now()).unwrap();
        p.key_list = " , ".into();
        assert_eq!(producer_spec(&p, &view, Lang::En).unwrap_err().0, Field::Keys);
        p.keys = KeyMode::Random;
        assert_eq!(producer_spec(&p, &view, Lang::En).unwrap().keys, KeyPattern::Random(3));
        p.rate = "0".into();
        assert_eq!(producer_spec(&p, &view, Lang::En).unwrap_err().0, Field::Rate);

        let input = produce_now("orders", "3", " k ", "", &view, Lang::En).unwrap();
        assert_eq!(
            input,
            Input::Produce {
                topic: "orders".into(),
                partition: None,
                key: Some("k".into()),
                value: None,
                count: 3
            }
        );
        run.model.handle(input, run.model.now()).unwrap();
        assert!(matches!(produce_now("orders", "", "", "", &view, Lang::En), Err((Field::ProduceCount, _))));
        assert!(matches!(
            produce_now("orders", "1001", "", "", &view, Lang::En),
            Err((Field::ProduceCount, _))
        ));
        assert!(matches!(produce_now("nope", "1", "", "", &view, Lang::En), Err((Field::ProduceTopic, _))));
        let Ok(Input::Produce { key, .. }) = produce_now("orders", "1", "  ", "", &view, Lang::En) else {
            panic!()
        };
        assert_eq!(key, None, "a blank key is no key");
    }

    #[test]
    fn suggested_ids_are_free() {
        let taken = ["c1", "c2"];
        assert_eq!(free_id("c", |id| taken.contains(&id)), "c3");
        assert_eq!(free_id("ui-p", |_| false), "ui-p1");
        assert_eq!(parse_bounded(" 7 ", 1, 10), Some(7));
        assert_eq!(parse_bounded("11", 1, 10), None);
    }
}
