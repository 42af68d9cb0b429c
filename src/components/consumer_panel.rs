//! The selected consumer: its actions (commitSync, pause/resume, stop and
//! resume polling, seek with a preview, assign, crash, close, start again)
//! and its configuration, validated before anything is sent. Live, for a
//! gateway-owned consumer, also commitAsync() and commitSync(offsets).
//!
//! What the person is typing (the seek offset, ticked partitions, edited
//! options) is a draft local to the panel; everything that changes the
//! cluster goes out through `on_input` (live, the app turns each input into
//! the gateway's commands), and the seek preview through `on_preview` into
//! the app's reducer. The two commits the model has no input for go out
//! through `on_command`, which only live mode passes.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use offsetlab_model::config::{CONSUMER_DEFAULTS, ConfigError, ConsumerConfig};
use offsetlab_model::model::{ConsumerSpec, Input};
use offsetlab_protocol::{Command, PartitionOffset, TopicPartition};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::partition_picker::partition_checks;
use crate::redraw::Panel;

use crate::i18n::live::LiveText;
use crate::i18n::options::{
    Label, SeekEffectText, config_error, not_running, option_choices, option_default, option_help,
    seek_effect_text,
};
use crate::i18n::{Lang, Text};
use crate::state::SeekPreview;
use crate::view::{ClusterView, ConsumerStatus, ConsumerView};

#[derive(Properties, PartialEq)]
pub struct ConsumerPanelProps {
    pub lang: Lang,
    pub view: Rc<ClusterView>,
    pub consumer: String,
    pub preview: Option<SeekPreview>,
    /// An action for the model; its answer (events or an error) comes back
    /// through the reducer.
    pub on_input: Callback<Input>,
    pub on_preview: Callback<Option<SeekPreview>>,
    pub on_close: Callback<()>,
    /// How the source started this consumer (the model's `consumer_spec`):
    /// what "start again" sends, and the base the config editor validates
    /// against. Without it, the view's effective config is the base and
    /// starting again is disabled, since the view does not carry the
    /// processing time, commit strategy or poll timeout.
    #[prop_or_default]
    pub spec: Option<ConsumerSpec>,
    /// Live: the gateway's commands that have no model input
    /// (`commitAsync()`, `commitSync(offsets)`). `None` offline, where the
    /// panel does not offer them.
    #[prop_or_default]
    pub on_command: Option<Callback<Command>>,
}

// ---------------------------------------------------------------------------
// Pure helpers (tested natively below).

/// What seeking `offset` does, measured from the current `position`, on a
/// log spanning `[log_start, high_watermark]` (seeking to the high
/// watermark itself is valid: the next poll waits for new records).
pub fn seek_effect(
    position: Option<i64>,
    offset: i64,
    log_start: i64,
    high_watermark: i64,
) -> SeekEffectText {
    if offset < log_start || offset > high_watermark {
        return SeekEffectText::OutOfRange { start: log_start, end: high_watermark };
    }
    match position {
        None => SeekEffectText::NoPosition(offset),
        Some(p) if offset < p => SeekEffectText::Replays(p.min(high_watermark) - offset),
        // Records already deleted below the log start are gone, not skipped.
        Some(p) if offset > p.max(log_start) => SeekEffectText::Skips(offset - p.max(log_start)),
        Some(_) => SeekEffectText::Stays,
    }
}

/// A seek offset as typed: a whole number, 0 or more.
pub fn parse_offset(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|o| *o >= 0)
}

/// The text in a "commit these offsets" field: what was typed, else the
/// consumer's position, else nothing (left out).
pub fn commit_offset_text(
    typed: &BTreeMap<TopicPartition, String>,
    position: Option<i64>,
    tp: &TopicPartition,
) -> String {
    typed.get(tp).cloned().unwrap_or_else(|| position.map(|p| p.to_string()).unwrap_or_default())
}

/// What "commit these offsets" sends for `(partition, text)` rows: each
/// non-empty text as an offset, in partition order. `Err`: the partitions
/// whose text is not a whole number, 0 or more.
pub fn offsets_to_commit<'a>(
    rows: impl IntoIterator<Item = (&'a TopicPartition, String)>,
) -> Result<Vec<PartitionOffset>, BTreeSet<TopicPartition>> {
    let mut offsets = Vec::new();
    let mut invalid = BTreeSet::new();
    for (tp, text) in rows {
        if text.trim().is_empty() {
            continue;
        }
        match parse_offset(&text) {
            Some(offset) => {
                offsets.push(PartitionOffset { topic: tp.topic.clone(), partition: tp.partition, offset })
            }
            None => {
                invalid.insert(tp.clone());
            }
        }
    }
    if invalid.is_empty() { Ok(offsets) } else { Err(invalid) }
}

/// The edits that differ from the consumer's current effective config,
/// trimmed; an empty value means "back to Kafka's default".
pub fn config_changes(
    current: &BTreeMap<String, String>,
    edits: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    offsetlab_model::sort::btree_map(
        edits
            .iter()
            .map(|(k, v)| (k, v.trim()))
            .filter(|(k, v)| current.get(*k).map_or("", |c| c.as_str()) != *v)
            .map(|(k, v)| (k.clone(), v.to_string())),
    )
}

/// The properties the restarted consumer would have, as the model computes
/// them for `Input::ChangeConfig`.
pub fn would_be(
    base: &BTreeMap<String, String>,
    changes: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut props = base.clone();
    for (k, v) in changes {
        if v.is_empty() {
            props.remove(k);
        } else {
            props.insert(k.clone(), v.clone());
        }
    }
    props
}

/// Checks the would-be config the way the model will, so that a bad value
/// is shown next to its field and never sent.
pub fn validate_changes(
    base: &BTreeMap<String, String>,
    changes: &BTreeMap<String, String>,
) -> Result<(), ConfigError> {
    ConsumerConfig::from_properties(&would_be(base, changes)).map(|_| ())
}

fn status_text(status: ConsumerStatus, lang: Lang) -> &'static str {
    match status {
        ConsumerStatus::Running => Text::Running.get(lang),
        ConsumerStatus::Crashed => Text::Crashed.get(lang),
        ConsumerStatus::Closed => Text::Closed.get(lang),
        ConsumerStatus::Failed => Text::Failed.get(lang),
    }
}

fn status_class(status: ConsumerStatus) -> &'static str {
    match status {
        ConsumerStatus::Running => "status-running",
        ConsumerStatus::Crashed => "status-crashed",
        ConsumerStatus::Closed => "status-closed",
        ConsumerStatus::Failed => "status-failed",
    }
}

/// Whether the consumer reads through `subscribe()` (so `assign()` would be
/// an IllegalStateException).
fn subscribed(c: &ConsumerView) -> bool {
    !c.manual_assignment && !c.subscription.is_empty()
}

// ---------------------------------------------------------------------------
// The draft: what the person is editing, per consumer.

#[derive(Clone, Debug, Default, PartialEq)]
struct Draft {
    consumer: String,
    seek_partition: Option<TopicPartition>,
    seek_offset: String,
    /// `None` until a box is ticked: until then the current assignment shows.
    assign: Option<BTreeSet<TopicPartition>>,
    /// Option → text in its box, kept even when invalid.
    edits: BTreeMap<String, String>,
    /// "Commit these offsets": the fields a person typed in; the others
    /// follow the position.
    commit_offsets: BTreeMap<TopicPartition, String>,
}

impl Draft {
    fn for_consumer(consumer: &str) -> Draft {
        Draft { consumer: consumer.to_string(), ..Draft::default() }
    }
}

/// A change to the draft. It names the consumer so that a draft left from
/// another consumer (the panel stays mounted when the selection moves) is
/// dropped rather than applied to the wrong one.
struct Edit {
    consumer: String,
    change: Box<dyn FnOnce(&mut Draft)>,
}

impl Reducible for Draft {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut next = if self.consumer == edit.consumer {
            (*self).clone()
        } else {
            Draft::for_consumer(&edit.consumer)
        };
        (edit.change)(&mut next);
        Rc::new(next)
    }
}

type EditFn = Rc<dyn Fn(Box<dyn FnOnce(&mut Draft)>)>;

// ---------------------------------------------------------------------------

#[function_component]
pub fn ConsumerPanel(props: &ConsumerPanelProps) -> Html {
    let draft_handle = use_reducer(Draft::default);
    // A preview on a partition this consumer no longer owns (a rebalance,
    // a crash) would point at a seek that can no longer happen.
    let stale =
        props.preview.as_ref().is_some_and(|p| {
            p.consumer == props.consumer
                && !props.view.consumers.get(&props.consumer).is_some_and(|c| {
                    c.status == ConsumerStatus::Running && c.assignment.contains(&p.partition)
                })
        });
    {
        let on_preview = props.on_preview.clone();
        use_effect_with(stale, move |stale| {
            if *stale {
                on_preview.emit(None);
            }
        });
    }
    let Some(c) = props.view.consumers.get(&props.consumer) else {
        return html! {};
    };
    let lang = props.lang;
    let t = |text: Text| text.get(lang);
    let l = |label: Label| label.get(lang);
    let id = props.consumer.clone();
    let draft = if draft_handle.consumer == id { (*draft_handle).clone() } else { Draft::for_consumer(&id) };
    let edit: EditFn = {
        let handle = draft_handle.clone();
        let consumer = id.clone();
        Rc::new(move |change| handle.dispatch(Edit { consumer: consumer.clone(), change }))
    };
    let running = c.status == ConsumerStatus::Running;
    let stopped_reason: Option<AttrValue> =
        (!running).then(|| not_running(&id, status_text(c.status, lang), lang).into());
    // A disabled control says why; an enabled one what it does.
    let why = |reason: Option<AttrValue>, help: &'static str| -> AttrValue {
        reason.unwrap_or_else(|| help.into())
    };
    let send = |make: fn(String) -> Input| {
        let id = id.clone();
        props.on_input.reform(move |_: MouseEvent| make(id.clone()))
    };

    let commit_reason =
        stopped_reason.clone().or_else(|| c.group.is_none().then(|| l(Label::CommitNeedsGroup).into()));
    let (poll_label, poll_help, poll_input): (_, _, fn(String) -> Input) = if c.polling || !running {
        (Label::StopPolling, Label::StopPollingHelp, |consumer| Input::StopPolling { consumer })
    } else {
        (Label::ResumePolling, Label::ResumePollingHelp, |consumer| Input::ResumePolling { consumer })
    };
    let restart_reason: Option<AttrValue> = if running {
        Some(l(Label::AlreadyRunning).into())
    } else if props.spec.is_none() {
        Some(l(Label::StartAgainUnknown).into())
    } else {
        None
    };
    let restart = {
        let spec = props.spec.clone();
        let on_input = props.on_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(spec) = spec.clone() {
                on_input.emit(Input::StartConsumer(spec));
            }
        })
    };

    let facts = html! {
        <p class="cp-facts">
            <span class={classes!("cp-status", status_class(c.status))}>{ status_text(c.status, lang) }</span>
            <span>{ match &c.group {
                Some(g) => format!("{} {g}", l(Label::Group)),
                None => l(Label::NoGroup).to_string(),
            } }</span>
            if let Some(generation) = c.generation.filter(|g| *g >= 0 && running) {
                <span>{ format!("{} {generation}", t(Text::Generation)) }</span>
            }
            if subscribed(c) {
                <span class="cp-mono">{ format!("subscribe({})", c.subscription.join(", ")) }</span>
            } else if c.manual_assignment {
                <span>{ t(Text::ManualAssignment) }</span>
            }
            if running && !c.polling {
                <span class="cp-warn">{ l(Label::NotPolling) }</span>
            }
        </p>
    };

    html! {
        <section class="panel consumer-panel" id="consumer-panel" data-in-view={Panel::Consumer.key()} data-consumer={id.clone()} data-status={status_class(c.status)}>
            <header>
                <h2>{ id.clone() }</h2>
                <button type="button" class="close" onclick={props.on_close.reform(|_: MouseEvent| ())} aria-label={t(Text::ClosePanel)} title={t(Text::ClosePanel)}>{ "×" }</button>
            </header>
            { facts }
            if let Some(e) = &c.last_error {
                <p class="cp-last-error">{ format!("{}: {e}", l(Label::LastError)) }</p>
            }
            <div class="consumer-actions">
                <button type="button" id="action-commit" disabled={commit_reason.is_some()}
                    title={why(commit_reason.clone(), l(Label::CommitHelp))}
                    onclick={send(|consumer| Input::CommitSync { consumer })}>{ t(Text::CommitNow) }</button>
                if let Some(on_command) = &props.on_command {
                    <button type="button" id="action-commit-async" disabled={commit_reason.is_some()}
                        title={why(commit_reason.clone(), LiveText::CommitAsyncHelp.get(lang))}
                        onclick={{
                            let consumer = id.clone();
                            on_command.reform(move |_: MouseEvent| Command::CommitAsync { consumer: consumer.clone() })
                        }}>{ LiveText::CommitAsync.get(lang) }</button>
                }
                <button type="button" id="action-poll" disabled={!running}
                    title={why(stopped_reason.clone(), l(poll_help))}
                    onclick={send(poll_input)}>{ l(poll_label) }</button>
                <button type="button" id="action-crash" class="danger" disabled={!running}
                    title={why(stopped_reason.clone(), l(Label::CrashHelp))}
                    onclick={send(|consumer| Input::Crash { consumer })}>{ t(Text::Crash) }</button>
                <button type="button" id="action-close" disabled={!running}
                    title={why(stopped_reason.clone(), l(Label::CloseHelp))}
                    onclick={send(|consumer| Input::Close { consumer })}>{ t(Text::CloseConsumer) }</button>
                if !running {
                    <button type="button" id="action-restart" class="primary" disabled={restart_reason.is_some()}
                        title={why(restart_reason.clone(), l(Label::StartAgainHelp))}
                        onclick={restart}>{ l(Label::StartAgain) }</button>
                }
            </div>
            if let Some(reason) = &stopped_reason {
                <p class="cp-note" id="cp-stopped">{ reason.clone() }</p>
            }
            { partitions_section(props, c, running, &stopped_reason) }
            if let Some(on_command) = &props.on_command {
                { commit_offsets_section(props, c, &draft, &edit, on_command, &commit_reason) }
            }
            { seek_section(props, c, &draft, &edit, &stopped_reason) }
            { assign_section(props, c, &draft, &edit, running, &stopped_reason) }
            { config_section(props, c, &draft, &edit) }
        </section>
    }
}

fn partitions_section(
    props: &ConsumerPanelProps,
    c: &ConsumerView,
    running: bool,
    stopped_reason: &Option<AttrValue>,
) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let committed = |tp: &TopicPartition| {
        c.group.as_ref().and_then(|g| props.view.groups.get(g)).and_then(|g| g.committed.get(tp).copied())
    };
    let dash = || "–".to_string();
    html! {
        <details class="cp-section" id="cp-partitions" open={true}>
            <summary>{ l(Label::Partitions) }</summary>
            if c.assignment.is_empty() {
                <p class="cp-note">{ l(Label::NoPartitions) }</p>
            } else {
                <table class="cp-table">
                    <thead><tr>
                        <th scope="col">{ l(Label::PartitionCol) }</th>
                        <th scope="col">{ l(Label::PositionCol) }</th>
                        <th scope="col">{ l(Label::CommittedCol) }</th>
                        <th scope="col"><span class="visually-hidden">{ l(Label::PauseAction) }</span></th>
                    </tr></thead>
                    <tbody>
                    { for c.assignment.iter().map(|tp| {
                        let paused = c.paused.contains(tp);
                        let position = c.cursors.get(tp).and_then(|k| k.position);
                        let (label, help) = if paused {
                            (Label::ResumeAction, Label::ResumeHelp)
                        } else {
                            (Label::PauseAction, Label::PauseHelp)
                        };
                        let onclick = {
                            let consumer = props.consumer.clone();
                            let partitions = vec![tp.clone()];
                            props.on_input.reform(move |_: MouseEvent| {
                                let (consumer, partitions) = (consumer.clone(), partitions.clone());
                                if paused {
                                    Input::Resume { consumer, partitions }
                                } else {
                                    Input::Pause { consumer, partitions }
                                }
                            })
                        };
                        html! {
                            <tr data-tp={tp.to_string()} class={classes!(paused.then_some("paused"))}>
                                <td class="cp-mono">{ tp.to_string() }</td>
                                <td class="cp-mono">{ position.map_or_else(dash, |p| p.to_string()) }</td>
                                <td class="cp-mono">{ committed(tp).map_or_else(dash, |p| p.to_string()) }</td>
                                <td>
                                    // Only the exception is worded; fetching is the normal case.
                                    if paused {
                                        <span class="cp-fetch-state is-paused">{ l(Label::Paused) }</span>
                                    }
                                    <button type="button" class="pause-toggle" disabled={!running}
                                        title={stopped_reason.clone().unwrap_or_else(|| l(help).into())}
                                        {onclick}>{ l(label) }</button>
                                </td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
            }
        </details>
    }
}

fn commit_offsets_section(
    props: &ConsumerPanelProps,
    c: &ConsumerView,
    draft: &Draft,
    edit: &EditFn,
    on_command: &Callback<Command>,
    commit_reason: &Option<AttrValue>,
) -> Html {
    let lang = props.lang;
    let l = |text: LiveText| text.get(lang);
    let position = |tp: &TopicPartition| c.cursors.get(tp).and_then(|k| k.position);
    let rows: Vec<(&TopicPartition, String)> = c
        .assignment
        .iter()
        .map(|tp| (tp, commit_offset_text(&draft.commit_offsets, position(tp), tp)))
        .collect();
    let result = offsets_to_commit(rows.iter().map(|(tp, text)| (*tp, text.clone())));
    let invalid = result.as_ref().err().cloned().unwrap_or_default();
    let reason: Option<AttrValue> = commit_reason.clone().or_else(|| match &result {
        Err(_) => Some(l(LiveText::CommitOffsetsFixFirst).into()),
        Ok(offsets) if offsets.is_empty() => Some(l(LiveText::CommitOffsetsNone).into()),
        Ok(_) => None,
    });
    let on_commit = {
        let on_command = on_command.clone();
        let consumer = props.consumer.clone();
        let offsets = result.clone().ok().filter(|_| reason.is_none());
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(offsets) = offsets.clone() {
                on_command.emit(Command::CommitOffsets { consumer: consumer.clone(), offsets });
                // The fields follow the position again.
                edit(Box::new(|d| d.commit_offsets.clear()));
            }
        })
    };
    html! {
        <details class="cp-section" id="cp-commit-offsets">
            <summary>{ l(LiveText::CommitOffsetsTitle) }</summary>
            <p class="cp-help">{ l(LiveText::CommitOffsetsHelp) }</p>
            if c.assignment.is_empty() {
                <p class="cp-note">{ Label::NoPartitions.get(lang) }</p>
            } else {
                <div class="cfg-rows cp-commit-rows">
                { for rows.iter().map(|(tp, text)| {
                    let tp = (*tp).clone();
                    let key = tp.to_string();
                    let input_id = format!("commit-offset-{key}");
                    let error_id = format!("{input_id}-error");
                    let bad = invalid.contains(&tp);
                    let oninput = {
                        let edit = edit.clone();
                        let tp = tp.clone();
                        Callback::from(move |e: InputEvent| {
                            let value = e.target_unchecked_into::<HtmlInputElement>().value();
                            let tp = tp.clone();
                            edit(Box::new(move |d| {
                                d.commit_offsets.insert(tp, value);
                            }));
                        })
                    };
                    html! {
                        <div class={classes!("cfg-row", "cp-commit-row", bad.then_some("invalid"))} data-tp={key.clone()}>
                            <label for={input_id.clone()} class="cfg-key">{ format!("{key} · {}", l(LiveText::OffsetCol)) }</label>
                            <input id={input_id.clone()} type="text" inputmode="numeric" autocomplete="off"
                                value={text.clone()} placeholder={l(LiveText::NotCommitted)}
                                disabled={commit_reason.is_some()}
                                aria-invalid={if bad { "true" } else { "false" }}
                                aria-describedby={bad.then(|| error_id.clone())}
                                {oninput} />
                            if bad {
                                <p class="cfg-error" id={error_id} role="alert">{ Label::OffsetInvalid.get(lang) }</p>
                            }
                        </div>
                    }
                }) }
                </div>
            }
            <div class="consumer-actions">
                <button type="button" id="commit-offsets" class="primary" disabled={reason.is_some()}
                    title={reason.clone().unwrap_or_else(|| l(LiveText::CommitOffsetsHelp).into())}
                    onclick={on_commit}>{ l(LiveText::CommitOffsetsAction) }</button>
                if !invalid.is_empty() {
                    <span class="cfg-error-summary">{ l(LiveText::CommitOffsetsFixFirst) }</span>
                }
            </div>
        </details>
    }
}

fn seek_section(
    props: &ConsumerPanelProps,
    c: &ConsumerView,
    draft: &Draft,
    edit: &EditFn,
    stopped_reason: &Option<AttrValue>,
) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let assigned: Vec<TopicPartition> = c.assignment.iter().cloned().collect();
    let chosen: Option<TopicPartition> =
        draft.seek_partition.clone().filter(|tp| assigned.contains(tp)).or_else(|| assigned.first().cloned());
    let typed = draft.seek_offset.trim();
    let offset = parse_offset(typed);
    let invalid = !typed.is_empty() && offset.is_none();
    let effect = chosen.as_ref().zip(offset).and_then(|(tp, offset)| {
        let p = props.view.partition(tp)?;
        let position = c.cursors.get(tp).and_then(|k| k.position);
        Some(seek_effect(position, offset, p.log_start_offset, p.high_watermark()))
    });
    let previewed = match (&props.preview, &chosen, offset) {
        (Some(p), Some(tp), Some(o)) => p.consumer == props.consumer && p.partition == *tp && p.offset == o,
        _ => false,
    };
    let preview_of = {
        let consumer = props.consumer.clone();
        move |tp: Option<TopicPartition>, offset: Option<i64>| {
            tp.zip(offset).map(|(partition, offset)| SeekPreview {
                consumer: consumer.clone(),
                partition,
                offset,
            })
        }
    };
    let on_partition = {
        let edit = edit.clone();
        let assigned = assigned.clone();
        let on_preview = props.on_preview.clone();
        let preview_of = preview_of.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let tp = select.value().parse::<usize>().ok().and_then(|i| assigned.get(i).cloned());
            on_preview.emit(preview_of(tp.clone(), offset));
            edit(Box::new(move |d| d.seek_partition = tp));
        })
    };
    let on_offset = {
        let edit = edit.clone();
        let on_preview = props.on_preview.clone();
        let chosen = chosen.clone();
        let preview_of = preview_of.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            on_preview.emit(preview_of(chosen.clone(), parse_offset(&text)));
            edit(Box::new(move |d| d.seek_offset = text));
        })
    };
    // Applying or cancelling ends the preview and empties the box.
    let finish = {
        let edit = edit.clone();
        let on_preview = props.on_preview.clone();
        move || {
            on_preview.emit(None);
            edit(Box::new(|d| d.seek_offset.clear()));
        }
    };
    let seek_reason: Option<AttrValue> = stopped_reason.clone().or_else(|| {
        if chosen.is_none() {
            Some(l(Label::SeekNeedsPartition).into())
        } else if offset.is_none() {
            Some(if invalid { l(Label::OffsetInvalid) } else { l(Label::SeekNeedsOffset) }.into())
        } else {
            None
        }
    });
    let to_end_reason: Option<AttrValue> =
        stopped_reason.clone().or_else(|| chosen.is_none().then(|| l(Label::SeekNeedsPartition).into()));
    let on_seek = {
        let on_input = props.on_input.clone();
        let consumer = props.consumer.clone();
        let chosen = chosen.clone();
        let finish = finish.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(partition), Some(offset)) = (chosen.clone(), offset) {
                on_input.emit(Input::Seek { consumer: consumer.clone(), partition, offset });
                finish();
            }
        })
    };
    let on_cancel = {
        let finish = finish.clone();
        Callback::from(move |_: MouseEvent| finish())
    };
    let seek_edge = |to_beginning: bool| {
        let on_input = props.on_input.clone();
        let consumer = props.consumer.clone();
        let chosen = chosen.clone();
        let finish = finish.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(tp) = chosen.clone() else { return };
            let (consumer, partitions) = (consumer.clone(), vec![tp]);
            on_input.emit(if to_beginning {
                Input::SeekToBeginning { consumer, partitions }
            } else {
                Input::SeekToEnd { consumer, partitions }
            });
            finish();
        })
    };
    let chosen_index = chosen.as_ref().and_then(|tp| assigned.iter().position(|a| a == tp));
    html! {
        <details class="cp-section" id="cp-seek" open={true}>
            <summary>{ l(Label::SeekTitle) }</summary>
            if assigned.is_empty() {
                <p class="cp-note" id="seek-none">{ l(Label::SeekNeedsPartition) }</p>
            } else {
                <div class="cp-seek-row">
                    <label>
                        <span>{ l(Label::SeekPartition) }</span>
                        <select id="seek-partition" onchange={on_partition}>
                            { for assigned.iter().enumerate().map(|(i, tp)| html! {
                                <option value={i.to_string()} selected={Some(i) == chosen_index}>{ tp.to_string() }</option>
                            }) }
                        </select>
                    </label>
                    <label>
                        <span>{ l(Label::SeekOffset) }</span>
                        <input id="seek-offset" type="text" inputmode="numeric" autocomplete="off"
                            value={draft.seek_offset.clone()}
                            aria-invalid={if invalid { "true" } else { "false" }}
                            aria-describedby="seek-effect"
                            oninput={on_offset} />
                    </label>
                </div>
                <p id="seek-effect" aria-live="polite" class={classes!(
                    "cp-seek-effect",
                    invalid.then_some("cfg-error"),
                    matches!(effect, Some(SeekEffectText::Replays(_))).then_some("replays"),
                    matches!(effect, Some(SeekEffectText::Skips(_))).then_some("skips"),
                )}>
                    if invalid {
                        { l(Label::OffsetInvalid) }
                    } else if let Some(effect) = effect {
                        { seek_effect_text(effect, lang) }
                        if previewed {
                            <span class="cp-previewed">{ format!(" · {}", l(Label::PreviewShown)) }</span>
                        }
                    }
                </p>
                <div class="consumer-actions">
                    <button type="button" id="seek-apply" class="primary" disabled={seek_reason.is_some()}
                        title={seek_reason.clone().unwrap_or_else(|| l(Label::SeekHelp).into())}
                        onclick={on_seek}>{ l(Label::SeekAction) }</button>
                    <button type="button" id="seek-cancel" disabled={draft.seek_offset.is_empty()} onclick={on_cancel}>{ l(Label::Cancel) }</button>
                    <button type="button" id="seek-beginning" disabled={to_end_reason.is_some()}
                        title={to_end_reason.clone().unwrap_or_else(|| l(Label::SeekToBeginningHelp).into())}
                        onclick={seek_edge(true)}>{ l(Label::SeekToBeginning) }</button>
                    <button type="button" id="seek-end" disabled={to_end_reason.is_some()}
                        title={to_end_reason.clone().unwrap_or_else(|| l(Label::SeekToEndHelp).into())}
                        onclick={seek_edge(false)}>{ l(Label::SeekToEnd) }</button>
                </div>
            }
        </details>
    }
}

fn assign_section(
    props: &ConsumerPanelProps,
    c: &ConsumerView,
    draft: &Draft,
    edit: &EditFn,
    running: bool,
    stopped_reason: &Option<AttrValue>,
) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let chosen: BTreeSet<TopicPartition> = draft.assign.clone().unwrap_or_else(|| c.assignment.clone());
    let is_subscribed = subscribed(c);
    let reason: Option<AttrValue> =
        stopped_reason.clone().or_else(|| is_subscribed.then(|| l(Label::AssignExclusive).into()));
    let on_assign = {
        let on_input = props.on_input.clone();
        let consumer = props.consumer.clone();
        let partitions: Vec<TopicPartition> = chosen.iter().cloned().collect();
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            on_input.emit(Input::Assign { consumer: consumer.clone(), partitions: partitions.clone() });
            edit(Box::new(|d| d.assign = None));
        })
    };
    let on_unsubscribe = {
        let consumer = props.consumer.clone();
        props.on_input.reform(move |_: MouseEvent| Input::Unsubscribe { consumer: consumer.clone() })
    };
    let toggle = |tp: TopicPartition| {
        let edit = edit.clone();
        let chosen = chosen.clone();
        Callback::from(move |_: Event| {
            let mut next = chosen.clone();
            if !next.remove(&tp) {
                next.insert(tp.clone());
            }
            edit(Box::new(move |d| d.assign = Some(next)));
        })
    };
    html! {
        <details class="cp-section" id="cp-assign">
            <summary>{ l(Label::AssignTitle) }</summary>
            <p class="cp-help">{ l(Label::AssignHelp) }</p>
            if props.view.topics.is_empty() {
                <p class="cp-note">{ l(Label::NoTopics) }</p>
            }
            { partition_checks(&props.view, "assign-list", &chosen, reason.is_some(), toggle) }
            <div class="consumer-actions">
                <button type="button" id="assign-apply" class="primary" disabled={reason.is_some()}
                    title={reason.clone().unwrap_or_else(|| l(Label::AssignHelp).into())}
                    onclick={on_assign}>{ l(Label::AssignAction) }</button>
                if is_subscribed {
                    <button type="button" id="unsubscribe" disabled={!running}
                        title={stopped_reason.clone().unwrap_or_else(|| l(Label::UnsubscribeHelp).into())}
                        onclick={on_unsubscribe}>{ l(Label::Unsubscribe) }</button>
                }
            </div>
            if running && is_subscribed {
                <p class="cp-note">{ l(Label::AssignExclusive) }</p>
            }
        </details>
    }
}

fn config_section(props: &ConsumerPanelProps, c: &ConsumerView, draft: &Draft, edit: &EditFn) -> Html {
    let lang = props.lang;
    let l = |label: Label| label.get(lang);
    let running = c.status == ConsumerStatus::Running;
    let changes = config_changes(&c.config, &draft.edits);
    // The model applies changes to the spec it started the consumer with;
    // without it, the effective config is the closest base.
    let base = props.spec.as_ref().map_or_else(|| (*c.config).clone(), |s| s.properties.clone());
    let error = if changes.is_empty() { None } else { validate_changes(&base, &changes).err() };
    let apply_reason: Option<AttrValue> = match &error {
        Some(e) => Some(format!("{}: {}", l(Label::FixFirst), config_error(e, lang)).into()),
        None if changes.is_empty() => Some(l(Label::NothingChanged).into()),
        None => None,
    };
    let on_apply = {
        let on_input = props.on_input.clone();
        let consumer = props.consumer.clone();
        let changes = changes.clone();
        Callback::from(move |_: MouseEvent| {
            // Edits stay in their boxes: once the new instance starts they
            // equal the current values and count as unchanged again, and
            // if the model refuses them they are still there to fix.
            on_input.emit(Input::ChangeConfig { consumer: consumer.clone(), changes: changes.clone() });
        })
    };
    let on_discard = {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| edit(Box::new(|d| d.edits.clear())))
    };
    html! {
        <details class="cp-section" id="cp-config">
            <summary>{ l(Label::ConfigTitle) }</summary>
            <p class="cp-help">{ l(Label::ConfigRestartNote) }</p>
            <div class="cfg-rows">
            { for CONSUMER_DEFAULTS.iter().map(|(key, default)| {
                let key = *key;
                let current = c.config.get(key).cloned().unwrap_or_default();
                let text = draft.edits.get(key).cloned().unwrap_or_else(|| current.clone());
                let changed = changes.contains_key(key);
                let row_error = error.as_ref().filter(|e| e.key == key);
                let input_id = format!("cfg-{}", key.replace('.', "-"));
                let error_id = format!("{input_id}-error");
                let list_id = format!("{input_id}-choices");
                let choices = option_choices(key);
                let oninput = {
                    let edit = edit.clone();
                    Callback::from(move |e: InputEvent| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        let value = input.value();
                        edit(Box::new(move |d| {
                            d.edits.insert(key.to_string(), value);
                        }));
                    })
                };
                html! {
                    <div class={classes!("cfg-row", changed.then_some("changed"), row_error.is_some().then_some("invalid"))} data-key={key}>
                        <label for={input_id.clone()} class="cfg-key">{ key }</label>
                        if changed {
                            <span class="cfg-changed">{ l(Label::Changed) }</span>
                        }
                        <input id={input_id.clone()} type="text" autocomplete="off" spellcheck="false"
                            value={text}
                            placeholder={format!("{} ({})", option_default(key, default, lang), l(Label::EmptyMeansDefault))}
                            list={(!choices.is_empty()).then(|| list_id.clone())}
                            aria-invalid={if row_error.is_some() { "true" } else { "false" }}
                            aria-describedby={row_error.is_some().then(|| error_id.clone())}
                            {oninput} />
                        if !choices.is_empty() {
                            <datalist id={list_id}>
                                { for choices.iter().map(|v| html! { <option value={*v} /> }) }
                            </datalist>
                        }
                        if let Some(e) = row_error {
                            <p class="cfg-error" id={error_id} role="alert">{ config_error(e, lang) }</p>
                        }
                        <p class="cfg-help">{ option_help(key, lang).unwrap_or_default() }</p>
                        <p class="cfg-meta">
                            <span>{ format!("{}: ", l(Label::DefaultLabel)) }<code>{ option_default(key, default, lang) }</code></span>
                            <span>{ format!("{}: ", l(Label::CurrentLabel)) }<code>{ if current.is_empty() { l(Label::NoneValue).to_string() } else { current.clone() } }</code></span>
                        </p>
                    </div>
                }
            }) }
            </div>
            // An error on an option nobody is editing (the base itself) still shows.
            if let Some(e) = error.as_ref().filter(|e| !CONSUMER_DEFAULTS.iter().any(|(k, _)| *k == e.key)) {
                <p class="cfg-error" role="alert">{ format!("{}: {}", e.key, config_error(e, lang)) }</p>
            }
            <div class="consumer-actions cfg-actions">
                <button type="button" id="config-apply" class="primary" disabled={apply_reason.is_some()}
                    title={apply_reason.clone().unwrap_or_else(|| l(Label::ConfigRestartNote).into())}
                    onclick={on_apply}>{ l(if running { Label::ApplyConfig } else { Label::ApplyConfigStopped }) }</button>
                <button type="button" id="config-discard" disabled={draft.edits.is_empty()} onclick={on_discard}>{ l(Label::DiscardEdits) }</button>
                if error.is_some() {
                    <span class="cfg-error-summary">{ l(Label::FixFirst) }</span>
                }
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use offsetlab_model::scenario::{Scenario, ScenarioRun};

    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn seeking_back_replays_and_forward_skips() {
        // Log [0, 20), position 10.
        assert_eq!(seek_effect(Some(10), 3, 0, 20), SeekEffectText::Replays(7));
        assert_eq!(seek_effect(Some(10), 0, 0, 20), SeekEffectText::Replays(10));
        assert_eq!(seek_effect(Some(8), 20, 0, 20), SeekEffectText::Skips(12));
        assert_eq!(seek_effect(Some(10), 10, 0, 20), SeekEffectText::Stays);
        assert_eq!(seek_effect(None, 4, 0, 20), SeekEffectText::NoPosition(4));
    }

    #[test]
    fn seeking_outside_the_log_is_named_as_such() {
        // Records below 5 were deleted; the high watermark is 20.
        let out = SeekEffectText::OutOfRange { start: 5, end: 20 };
        assert_eq!(seek_effect(Some(10), 2, 5, 20), out);
        assert_eq!(seek_effect(Some(10), 21, 5, 20), out);
        assert_eq!(seek_effect(Some(10), 5, 5, 20), SeekEffectText::Replays(5));
        // A position left behind by deletion: only records still there count.
        assert_eq!(seek_effect(Some(2), 8, 5, 20), SeekEffectText::Skips(3));
        assert_eq!(seek_effect(Some(2), 5, 5, 20), SeekEffectText::Stays);
    }

    #[test]
    fn offsets_are_whole_non_negative_numbers() {
        assert_eq!(parse_offset(" 7 "), Some(7));
        assert_eq!(parse_offset("0"), Some(0));
        assert_eq!(parse_offset("-1"), None);
        assert_eq!(parse_offset("3.5"), None);
        assert_eq!(parse_offset("seven"), None);
        assert_eq!(parse_offset(""), None);
    }

    #[test]
    fn commit_offsets_follow_the_position_until_typed_and_leave_out_empty_fields() {
        let (t0, t1, t2) = (
            TopicPartition::new("orders", 0),
            TopicPartition::new("orders", 1),
            TopicPartition::new("orders", 2),
        );
        let mut typed = BTreeMap::new();
        assert_eq!(commit_offset_text(&typed, Some(5), &t0), "5");
        assert_eq!(commit_offset_text(&typed, None, &t1), "");
        typed.insert(t0.clone(), " 2 ".to_string());
        assert_eq!(commit_offset_text(&typed, Some(5), &t0), " 2 ");
        let offsets =
            offsets_to_commit([(&t0, " 2 ".into()), (&t1, String::new()), (&t2, "0".into())]).unwrap();
        let po = |p, offset| PartitionOffset { topic: "orders".into(), partition: p, offset };
        assert_eq!(offsets, [po(0, 2), po(2, 0)]);
        assert_eq!(offsets_to_commit([(&t1, "  ".to_string())]), Ok(vec![]));
        let invalid =
            offsets_to_commit([(&t0, "-1".into()), (&t1, "3".into()), (&t2, "two".into())]).unwrap_err();
        assert_eq!(invalid, BTreeSet::from([t0, t2]));
    }

    #[test]
    fn only_real_changes_are_sent_and_empty_means_default() {
        let current = map(&[("max.poll.records", "500"), ("group.id", "g")]);
        let edits = map(&[("max.poll.records", " 500 "), ("session.timeout.ms", "10000"), ("group.id", "")]);
        let changes = config_changes(&current, &edits);
        assert_eq!(changes, map(&[("session.timeout.ms", "10000"), ("group.id", "")]));
        let props = would_be(&current, &changes);
        assert!(!props.contains_key("group.id"));
        assert_eq!(props["session.timeout.ms"], "10000");
    }

    #[test]
    fn a_heartbeat_at_or_above_the_session_timeout_is_refused_before_sending() {
        let base = map(&[("group.id", "g"), ("session.timeout.ms", "45000")]);
        let e = validate_changes(&base, &map(&[("heartbeat.interval.ms", "50000")])).unwrap_err();
        assert_eq!(e.key, "heartbeat.interval.ms");
        assert!(e.message.contains("50000 >= 45000"), "{}", e.message);
        let e = validate_changes(&base, &map(&[("max.poll.records", "many")])).unwrap_err();
        assert_eq!(e.key, "max.poll.records");
        let e = validate_changes(&base, &map(&[("partition.assignment.strategy", "fair")])).unwrap_err();
        assert!(e.message.contains("unknown assignor"));
        assert!(validate_changes(&base, &map(&[("max.poll.records", "10")])).is_ok());
    }

    /// What the panel validates is what the model accepts: a change that
    /// passes `validate_changes` against the model's spec is applied.
    #[test]
    fn validated_changes_are_accepted_by_the_model() {
        let text = crate::scenarios::text("auto-commit-crash-duplicates").unwrap();
        let mut run = ScenarioRun::new(&Scenario::parse(text).unwrap()).unwrap();
        run.advance(2_000).unwrap();
        let spec = run.model.consumer_spec("c1").unwrap().clone();
        let good = map(&[("max.poll.records", "5"), ("auto.offset.reset", "latest")]);
        validate_changes(&spec.properties, &good).unwrap();
        run.model.handle(Input::ChangeConfig { consumer: "c1".into(), changes: good }, 2_000).unwrap();
        let bad = map(&[("heartbeat.interval.ms", "20000")]);
        let ours = validate_changes(&spec.properties, &bad).unwrap_err();
        let theirs =
            run.model.handle(Input::ChangeConfig { consumer: "c1".into(), changes: bad }, 2_000).unwrap_err();
        assert!(theirs.to_string().contains(&ours.message), "{theirs}");
    }
}
