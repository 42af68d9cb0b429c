use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use offsetlab_model::model::{ConsumerSpec, Input};
use offsetlab_protocol::{Command, TopicPartition};
use yew::prelude::*;

use crate::components::add_client::AddClient;
use crate::components::client_code::ClientCode;
use crate::components::console::Console;
use crate::components::consumer_panel::ConsumerPanel;
use crate::components::controls::Controls;
use crate::components::groups::Groups;
use crate::components::guide::Guide;
use crate::components::live_panel::LivePanel;
use crate::components::ordering::Ordering;
use crate::components::palette::consumer_colour;
use crate::components::partition_log::LogRow;
use crate::components::timeline::Timeline;
use crate::components::topic::{PAGE, Topic};
use crate::components::{EmptyState, Header};
use crate::i18n::live::LiveText;
use crate::i18n::problems;
use crate::i18n::{Lang, Text};
use crate::recording;
use crate::redraw::{Panel, Redraw};
use crate::scenarios;
use crate::source::in_view::InViewWatch;
use crate::source::keys::{self, Shortcut};
use crate::source::live::{self, LiveClient};
use crate::source::prefs;
use crate::source::sim::{self, Advance, Sim};
use crate::source::url;
use crate::source::{clipboard, fetch, file};
use crate::state::{Action, Connection, Delivery, LiveAction, Mode, SeekPreview, State};
use crate::view::ClusterView;

/// The running scenario: its text (for restart) and its model.
type SimSlot = Rc<RefCell<Option<Sim>>>;
/// The connection to the gateway, while live mode is connected or trying.
type LiveSlot = Rc<RefCell<Option<LiveClient>>>;

/// Opens a connection to the gateway, closing any earlier one.
fn connect_live(slot: &LiveSlot, dispatch: &Callback<Action>, url: &str, token: &str) {
    let client = LiveClient::connect(url.trim().to_string(), token.to_string(), dispatch.clone());
    *slot.borrow_mut() = Some(client);
}

/// One topic's drawing: the log rows of its current page and the highest
/// lag of every partition (for the overview strip).
struct TopicRows {
    name: String,
    rows: Vec<LogRow>,
    lags: Vec<i64>,
    page: usize,
}

fn topic_rows(
    view: &ClusterView,
    pages: &BTreeMap<String, usize>,
    preview: Option<&SeekPreview>,
    redraw: &mut Redraw,
) -> Vec<TopicRows> {
    let colour = |id: &str| consumer_colour(view.consumers.get(id).map_or(0, |c| c.ordinal as usize));
    view.topics
        .iter()
        .map(|(topic, t)| {
            let count = t.partitions.len();
            let page = pages.get(topic).copied().unwrap_or(0).min(count.saturating_sub(1) / PAGE);
            let tp = |p: usize| TopicPartition::new(topic.clone(), i32::try_from(p).unwrap_or(i32::MAX));
            let lags = redraw.lags(topic, || {
                (0..count)
                    .map(|p| view.groups.keys().filter_map(|g| view.lag(g, &tp(p))).max().unwrap_or(0))
                    .collect()
            });
            let rows = (page * PAGE..((page + 1) * PAGE).min(count))
                .filter_map(|p| {
                    let tp = tp(p);
                    redraw.row(&tp, || LogRow::build(view, &tp, &colour, preview))
                })
                .collect();
            TopicRows { name: topic.clone(), rows, lags, page }
        })
        .collect()
}

/// Hands what the model produced to the reducer; refused scripted steps
/// show in the error banner.
fn deliver(dispatch: &Callback<Action>, advance: Advance, now_ms: u64) {
    dispatch.emit(Action::Deliver(delivery(advance, now_ms)));
}

fn delivery(advance: Advance, now_ms: u64) -> Delivery {
    Delivery {
        events: advance.events,
        refused: advance.refused,
        checks: advance.checks,
        now_ms: Some(now_ms),
        ..Delivery::default()
    }
}

/// Starts a scenario and runs it to `t_ms`, paused, and says whether it
/// started. A file that does not parse leaves the current run alone and
/// says what is wrong, and where.
fn start_scenario(sim: &SimSlot, dispatch: &Callback<Action>, id: String, text: &str, t_ms: u64) -> bool {
    match Sim::new(text) {
        Ok(mut s) => {
            let first = s.advance_to(t_ms);
            let info = s.info(id);
            let now_ms = s.now_ms();
            *sim.borrow_mut() = Some(s);
            dispatch.emit(Action::ScenarioLoaded(info));
            deliver(dispatch, first, now_ms);
            true
        }
        Err(e) => {
            dispatch.emit(Action::ShowError(Some(format!("{id}: {e}"))));
            false
        }
    }
}

/// Fetches a built-in scenario's file, then starts it at `t_ms` and, once
/// it started, calls `started`. A file that cannot be fetched says so and
/// changes nothing.
fn load_built_in(sim: &SimSlot, dispatch: &Callback<Action>, id: String, t_ms: u64, started: Callback<()>) {
    let sim = sim.clone();
    let dispatch = dispatch.clone();
    let url = scenarios::url(&id);
    fetch::text(
        url,
        Callback::from(move |text: Result<String, String>| match text {
            Ok(text) => {
                if start_scenario(&sim, &dispatch, id.clone(), &text, t_ms) {
                    started.emit(());
                }
            }
            Err(e) => dispatch.emit(Action::ShowError(Some(problems::scenario_unavailable(&id, &e)))),
        }),
    );
}

/// The last problem, in the reader's language, with a button that puts it
/// away (the next action that works clears it too).
fn error_banner(message: &str, lang: Lang, on_dismiss: &Callback<MouseEvent>) -> Html {
    html! {
        <div class="error-banner" role="alert">
            <span>{ problems::problem(message, lang) }</span>
            <button type="button" class="dismiss" id="dismiss-error" onclick={on_dismiss.clone()}
                    aria-label={Text::ClosePanel.get(lang)} title={Text::ClosePanel.get(lang)}>{ "×" }</button>
        </div>
    }
}

/// A callback that sends `to_action(input)` to the reducer, the same one on
/// every render: yew compares callbacks by identity, and a new one would
/// redraw the component it is given to on every frame.
#[hook]
fn use_action<IN: 'static>(
    dispatcher: UseReducerDispatcher<State>,
    to_action: fn(IN) -> Action,
) -> Callback<IN> {
    use_callback((), move |input: IN, _| dispatcher.dispatch(to_action(input)))
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(url::current().lang.unwrap_or_else(prefs::initial_lang)));
    let sim: SimSlot = use_mut_ref(|| None);
    let live_slot: LiveSlot = use_mut_ref(|| None);
    let entries = use_memo((), |()| scenarios::entries());

    {
        let lang = state.lang;
        use_effect_with(lang, move |&lang| prefs::apply_lang(lang));
    }

    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    // What the panels that redraw in turns are given (see `use_action`).
    let select = use_action(state.dispatcher(), |id| Action::SelectConsumer(Some(id)));
    let on_page = use_action(state.dispatcher(), |(topic, page)| Action::PartitionPage(topic, page));
    let on_follow = use_action(state.dispatcher(), Action::Follow);
    let on_print = use_action(state.dispatcher(), Action::SetPrint);
    let on_preview = use_action(state.dispatcher(), Action::PreviewSeek);
    let dismiss_error = use_action(state.dispatcher(), |_: MouseEvent| Action::ShowError(None));
    let on_close_panel = use_action(state.dispatcher(), |()| Action::SelectConsumer(None));
    let on_scrub = use_action(state.dispatcher(), Action::ScrubTo);
    let on_toggle_category = use_action(state.dispatcher(), Action::ToggleCategory);

    let load = {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| load_built_in(&sim, &dispatch, id, 0, Callback::noop()))
    };

    // A scenario file from disk. The reader must outlive the read.
    let reader = use_mut_ref(|| None);
    let open_file = {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let on_done = {
                let sim = sim.clone();
                let dispatch = dispatch.clone();
                Callback::from(move |read: Result<(String, String), String>| match read {
                    Ok((name, text)) => {
                        start_scenario(&sim, &dispatch, format!("file:{name}"), &text, 0);
                    }
                    Err(e) => dispatch.emit(Action::ShowError(Some(e))),
                })
            };
            *reader.borrow_mut() = file::read_scenario(&input, on_done);
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };
    // The run as a scenario file: the scenario plus what a person did.
    let export = {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        let name = state
            .scenario
            .as_ref()
            .map(|s| s.id.trim_start_matches("file:").trim_end_matches(".toml").to_string());
        Callback::from(move |_: MouseEvent| {
            let file = format!("{}-run.toml", name.as_deref().unwrap_or("offsetlab"));
            let saved =
                sim.borrow().as_ref().map(|s| s.export().and_then(|text| file::save_text(&file, &text)));
            if let Some(Err(e)) = saved {
                dispatch.emit(Action::ShowError(Some(e)));
            }
        })
    };
    // The timeline as a recording: replayable anywhere without its source.
    let save_recording = {
        let dispatch = dispatch.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(info) = &state.scenario else { return };
            let header = recording::Header {
                offsetlab_recording: recording::FORMAT_VERSION,
                protocol_version: offsetlab_protocol::PROTOCOL_VERSION,
                name: info.name.clone(),
                name_ko: info.name_ko.clone(),
                description: info.description.clone(),
                description_ko: info.description_ko.clone(),
            };
            let stem = info.id.trim_start_matches("file:").split('.').next().unwrap_or("offsetlab");
            let text = recording::write(&header, state.timeline.iter());
            if let Err(e) = file::save_text(&format!("{stem}.recording.jsonl"), &text) {
                dispatch.emit(Action::ShowError(Some(e)));
            }
        })
    };
    // Live: the session so far (the gateway's events and its observations)
    // as a recording; opened later, it replays offline.
    let save_live_recording = {
        let dispatch = dispatch.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let url = match &state.live.connection {
                Connection::Connecting { url }
                | Connection::Connected { url }
                | Connection::Reconnecting { url, .. } => url.clone(),
                Connection::Closed => state.live.url.clone(),
            };
            let date = file::local_date_time();
            let text = recording::write(&recording::live_header(&url, &date), state.timeline.iter());
            if let Err(e) = file::save_text(&recording::live_file_name(&date), &text) {
                dispatch.emit(Action::Live(LiveAction::Refused(e)));
            }
        })
    };
    // A link to exactly this: the run (by name, or the whole file when it
    // came from disk or a person changed it), the moment and the view.
    let share = {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(info) = &state.scenario else { return };
            let builtin = scenarios::is_built_in(&info.id);
            let run = match sim.borrow().as_ref() {
                Some(s) if !builtin || s.has_person_inputs() => match s.export() {
                    Ok(text) => Some(text),
                    Err(e) => return dispatch.emit(Action::ShowError(Some(e))),
                },
                _ => None,
            };
            let link = url::UrlState {
                scenario: builtin.then(|| info.id.clone()),
                run,
                t_ms: Some(state.view().now_ms),
                lang: Some(state.lang),
                consumer: state.selected.clone(),
                follow: state.follow.clone(),
                speed: Some(state.speed),
                ..url::UrlState::default()
            };
            dispatch.emit(Action::ShowShareLink(url::replace(&link.to_query())));
        })
    };
    let restart = {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        let id = state.scenario.as_ref().map(|s| s.id.clone()).unwrap_or_default();
        Callback::from(move |()| {
            let text = sim.borrow().as_ref().map(|s| s.text.clone());
            if let Some(text) = text {
                start_scenario(&sim, &dispatch, id.clone(), &text, 0);
            }
        })
    };

    // A link can open a scenario at a moment: ?scenario=ID&t=MS.
    {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        let live_slot = live_slot.clone();
        use_effect_with((), move |()| {
            let url = url::current();
            // Live: the gateway's URL (the page's own /ws unless a link
            // names one) and token; `?live` or `?gateway=` connects at once.
            let gateway = url.gateway.clone().unwrap_or_else(live::default_url);
            let token = url.token.clone().unwrap_or_default();
            dispatch.emit(Action::Live(LiveAction::SetUrl(gateway.clone())));
            if url.token.is_some() {
                dispatch.emit(Action::Live(LiveAction::SetToken(token.clone())));
                // The secret leaves the address bar, so a copied address does not carry it.
                url::replace(&url::UrlState { token: None, ..url.clone() }.to_query());
            }
            if url.live || url.gateway.is_some() {
                dispatch.emit(Action::SetMode(Mode::Live));
                connect_live(&live_slot, &dispatch, &gateway, &token);
            }
            if url.present {
                dispatch.emit(Action::SetPresent(true));
            }
            // The view choices a shared link carries.
            if let Some(speed) = url.speed {
                dispatch.emit(Action::SetSpeed(speed));
            }
            // A value the link could not give is said, not just dropped: once
            // its run has started (starting clears the banner), else at once.
            let unreadable = (!url.unreadable.is_empty()).then(|| problems::link_unreadable(&url.unreadable));
            // These are about the run, so they wait for it.
            let started = {
                let sim = sim.clone();
                let dispatch = dispatch.clone();
                let url = url.clone();
                let unreadable = unreadable.clone();
                Callback::from(move |()| {
                    if unreadable.is_some() {
                        dispatch.emit(Action::ShowError(unreadable.clone()));
                    }
                    if url.consumer.is_some() {
                        dispatch.emit(Action::SelectConsumer(url.consumer.clone()));
                    }
                    if url.follow.is_some() {
                        dispatch.emit(Action::Follow(url.follow.clone()));
                    }
                    if url.autoplay && sim.borrow().is_some() {
                        dispatch.emit(Action::SetPlaying(true));
                    }
                })
            };
            let t_ms = url.t_ms.unwrap_or(0);
            if let Some(run) = &url.run {
                if start_scenario(&sim, &dispatch, "link".into(), run, t_ms) {
                    started.emit(());
                }
            } else if let Some(id) = url.scenario.as_deref().filter(|id| scenarios::is_built_in(id)) {
                load_built_in(&sim, &dispatch, id.to_string(), t_ms, started);
            } else {
                // No run to wait for: what is wrong with the link, one line each.
                let lines = [url.scenario.as_deref().map(problems::no_such_scenario), unreadable];
                let message = lines.into_iter().flatten().collect::<Vec<_>>().join("\n");
                if !message.is_empty() {
                    dispatch.emit(Action::ShowError(Some(message)));
                }
            }
        });
    }

    // While playing, a timer advances the model; dropping it stops.
    {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        let speed = state.speed_factor();
        use_effect_with((state.playing, state.speed, state.scenario.clone()), move |(playing, _, _)| {
            let on_tick = Callback::from(move |tick: sim::Tick| {
                dispatch.emit(Action::Deliver(Delivery {
                    achieved_speed: tick.achieved_speed,
                    reached_end: tick.at_end,
                    ..delivery(tick.advance, tick.now_ms)
                }));
            });
            let timer = playing.then(|| sim::play(sim, speed, on_tick));
            move || drop(timer)
        });
    }

    let step = {
        let sim = sim.clone();
        let state = state.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            if state.scrub.is_some() {
                state.dispatch(Action::ScrubTo(Some(state.position() + 1)));
                return;
            }
            let stepped = sim.borrow_mut().as_mut().map(|s| (s.step(), s.now_ms()));
            if let Some((advance, now_ms)) = stepped {
                deliver(&dispatch, advance, now_ms);
            }
        })
    };
    // A person's action on the model: applied at the current virtual time.
    // The same callback on every render (see `use_action`).
    let on_input = {
        let sim = sim.clone();
        let dispatcher = state.dispatcher();
        use_callback((), move |input, _| {
            let result =
                sim.borrow_mut().as_mut().map(|s| s.handle(input).map(|advance| (advance, s.now_ms())));
            match result {
                Some(Ok((advance, now_ms))) => {
                    dispatcher.dispatch(Action::ShowError(None));
                    dispatcher.dispatch(Action::Deliver(delivery(advance, now_ms)));
                }
                Some(Err(e)) => dispatcher.dispatch(Action::ShowError(Some(e))),
                None => {}
            }
        })
    };
    // A guide step: forward runs the model to the moment, back scrubs to it.
    let jump = {
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |t: u64| {
            let ahead = sim.borrow_mut().as_mut().filter(|s| t > s.now_ms()).map(|s| s.advance_to(t));
            match ahead {
                Some(advance) => {
                    dispatch.emit(Action::ScrubTo(None));
                    deliver(&dispatch, advance, t);
                }
                None => dispatch.emit(Action::ScrubToTime(t)),
            }
        })
    };
    let toggle_play = {
        let state = state.clone();
        Callback::from(move |()| {
            if state.scenario.is_some() {
                state.dispatch(Action::SetPlaying(!state.playing));
            }
        })
    };

    // Keyboard: Space, → and ←, for as long as the app is mounted.
    {
        let state = state.clone();
        let step = step.clone();
        let toggle_play = toggle_play.clone();
        let jump = jump.clone();
        let on_shortcut = Callback::from(move |s: Shortcut| match s {
            Shortcut::TogglePlay => toggle_play.emit(()),
            Shortcut::Forward if !state.playing => step.emit(()),
            Shortcut::Back if state.position() > 0 => {
                state.dispatch(Action::ScrubTo(Some(state.position() - 1)))
            }
            Shortcut::NextStep | Shortcut::PreviousStep => {
                let Some(guide) = state.scenario.as_ref().and_then(|s| s.guide.clone()) else { return };
                let now = state.view().now_ms;
                let target = if s == Shortcut::NextStep {
                    guide.steps.iter().find(|step| step.at_ms > now)
                } else {
                    guide.steps.iter().rev().find(|step| step.at_ms < now)
                };
                if let Some(step) = target {
                    jump.emit(step.at_ms);
                }
            }
            _ => {}
        });
        // Re-registered on every render so the handler sees current state.
        use_effect(move || {
            let listener = keys::listen(on_shortcut);
            move || drop(listener)
        });
    }

    // Which parts of the page are in view (redraw.rs redraws the others
    // rarely while playing). Looked for again when parts may have appeared:
    // a run loaded, a page of partitions, a consumer's panel, new topics.
    let in_view_watch = use_mut_ref(|| None::<InViewWatch>);
    {
        let dispatcher = state.dispatcher();
        let parts = (
            state.scenario.as_ref().map(|s| s.id.clone()),
            state.mode,
            state.partition_pages.clone(),
            state.selected.clone(),
            state.view().topics.len(),
        );
        use_effect_with(parts, move |_| {
            let mut watch = in_view_watch.borrow_mut();
            if watch.is_none() {
                *watch = InViewWatch::start(Callback::from(move |changes| {
                    dispatcher.dispatch(Action::InView(changes))
                }));
            }
            if let Some(watch) = watch.as_ref() {
                watch.observe_all();
            }
        });
    }

    // Live: a command for the gateway; without a connection it is refused
    // with the reason.
    let on_command = {
        let live_slot = live_slot.clone();
        let dispatch = dispatch.clone();
        let lang = state.lang;
        Callback::from(move |command: Command| {
            let sent = live_slot.borrow().as_ref().map(|c| c.send(command));
            if sent != Some(true) {
                dispatch.emit(Action::Live(LiveAction::Refused(LiveText::NotConnected.get(lang).into())));
            }
        })
    };
    // Live: the offline panels' actions, as the gateway's commands.
    let on_live_input = {
        let on_command = on_command.clone();
        let dispatch = dispatch.clone();
        let lang = state.lang;
        Callback::from(move |input: Input| match live::commands_for(input) {
            Ok(commands) => commands.into_iter().for_each(|c| on_command.emit(c)),
            Err(name) => dispatch.emit(Action::Live(LiveAction::Refused(format!(
                "{name}: {}",
                LiveText::NotInLive.get(lang)
            )))),
        })
    };
    let connect = {
        let live_slot = live_slot.clone();
        let dispatch = dispatch.clone();
        let (url, token) = (state.live.url.clone(), state.live.token.clone());
        Callback::from(move |()| connect_live(&live_slot, &dispatch, &url, &token))
    };
    let disconnect = {
        let live_slot = live_slot.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            *live_slot.borrow_mut() = None;
            dispatch.emit(Action::Live(LiveAction::Closed));
        })
    };
    // Switching to Live connects to the gateway in the URL field; back to
    // Offline closes the connection.
    let on_mode = {
        let live_slot = live_slot.clone();
        let sim = sim.clone();
        let dispatch = dispatch.clone();
        let connect = connect.clone();
        let current = state.mode;
        Callback::from(move |mode: Mode| {
            if mode == current {
                return;
            }
            *live_slot.borrow_mut() = None;
            // The two sources never mix: the model's run ends too.
            *sim.borrow_mut() = None;
            dispatch.emit(Action::SetMode(mode));
            if mode == Mode::Live {
                connect.emit(());
            }
        })
    };

    // Read once: the embed layout is the page's, not a choice in the app.
    let embed = *use_memo((), |()| url::current().embed);
    let on_lang = dispatch.reform(Action::SetLang);
    let lang = state.lang;

    let open_button = html! {
        <label class="file-button" title={Text::OpenFileHelp.get(lang)}>
            { Text::OpenFile.get(lang) }
            <input type="file" id="open-file" accept=".toml,.jsonl,text/plain,application/json" onchange={open_file} />
        </label>
    };
    // The view itself, the same offline and live: logs, order, console,
    // the selected consumer's panel, groups, adding clients, the timeline.
    let redraw = use_mut_ref(Redraw::default);
    let workspace = |on_input: Callback<Input>,
                     on_consumer_command: Option<Callback<Command>>,
                     spec: Option<ConsumerSpec>,
                     client_code: Html,
                     // The add-client form, when clients can be added: its
                     // group prefix (live) or none.
                     add_client: Option<Option<String>>,
                     scrub_disabled: Option<AttrValue>| {
        let mut redraw = redraw.borrow_mut();
        redraw.for_run(match state.mode {
            Mode::Live => Some("live".to_string()),
            Mode::Offline => state.scenario.as_ref().map(|s| s.id.clone()),
        });
        redraw.begin(state.playing, state.seek_preview.as_ref(), &state.in_view);
        let current = state.view();
        let rows = topic_rows(current, &state.partition_pages, state.seek_preview.as_ref(), &mut redraw);
        let (events, position) = redraw.timeline(&state.timeline, state.position());
        let mut view = |panel: Panel| redraw.view(panel, current);
        html! {
            <>
                <div class="workspace">
                    <div class="main-col">
                        <div class="panel logs" id="logs">
                            { for rows.into_iter().map(|t| html! {
                                <Topic {lang} name={t.name} rows={t.rows} lags={t.lags} page={t.page}
                                    on_page={on_page.clone()}
                                    on_select={select.clone()} follow={state.follow.clone()} />
                            }) }
                        </div>
                        <Ordering {lang} view={view(Panel::Ordering)} selected={state.selected.clone()} follow={state.follow.clone()} on_follow={on_follow.clone()} />
                        <Console {lang} view={view(Panel::Console)} consumer={state.selected.clone()} options={state.print}
                            on_options={on_print.clone()} playing={state.playing} />
                        { client_code }
                    </div>
                    <div class="side">
                        if let Some(consumer) = state.selected.clone() {
                            <ConsumerPanel
                                {lang}
                                view={view(Panel::Consumer)}
                                {consumer}
                                preview={state.seek_preview.clone()}
                                on_input={on_input.clone()}
                                on_preview={on_preview.clone()}
                                on_close={on_close_panel.clone()}
                                {spec}
                                on_command={on_consumer_command}
                            />
                        }
                        <Groups view={view(Panel::Groups)} {lang} on_select={select.clone()} />
                        if let Some(group_prefix) = add_client {
                            <AddClient {lang} view={view(Panel::AddClient)} on_input={on_input.clone()} {group_prefix} />
                        }
                    </div>
                </div>
                <div class="panel">
                    <Timeline
                        {lang}
                        {events}
                        {position}
                        hidden={state.hidden.clone()}
                        playing={state.playing}
                        on_scrub={on_scrub.clone()}
                        on_toggle_category={on_toggle_category.clone()}
                        {scrub_disabled}
                    />
                </div>
            </>
        }
    };

    let body = match &state.scenario {
        _ if state.mode == Mode::Live => {
            let view = state.view().clone();
            let writable = state.live.writable();
            let add_client = match &state.live.hello {
                Some(hello) if writable => Some(Some(hello.group_prefix.clone())),
                _ => None,
            };
            html! {
                <main class="running live">
                    <p class="mode-hint">{ LiveText::Hint.get(lang) }</p>
                    <LivePanel
                        {lang}
                        live={state.live.clone()}
                        topics={view.topics.keys().cloned().collect::<Vec<_>>()}
                        on_url={dispatch.reform(|url| Action::Live(LiveAction::SetUrl(url)))}
                        on_token={dispatch.reform(|token| Action::Live(LiveAction::SetToken(token)))}
                        on_connect={connect.clone()}
                        on_disconnect={disconnect.clone()}
                        on_command={on_command.clone()}
                        on_dismiss_errors={dispatch.reform(|()| Action::Live(LiveAction::DismissErrors))}
                    />
                    <div class="controls live-controls" role="toolbar" aria-label={Text::Playback.get(lang)}>
                        <span class="cp-note" id="live-no-model">{ LiveText::NoModelToPlay.get(lang) }</span>
                        <button type="button" id="save-recording" onclick={save_live_recording}
                            disabled={state.timeline.is_empty()}
                            title={if state.timeline.is_empty() { LiveText::SaveRecordingEmpty.get(lang) } else { Text::SaveRecordingHelp.get(lang) }}>
                            { Text::SaveRecording.get(lang) }
                        </button>
                        <span class="clock" id="clock" title={Text::ClockHelp.get(lang)}>{ crate::components::controls::clock(view.now_ms) }</span>
                    </div>
                    { workspace(on_live_input.clone(), writable.then(|| on_command.clone()), None, html! {}, add_client, Some(LiveText::AlwaysNow.get(lang).into())) }
                </main>
            }
        }
        None => html! {
            <main>
                <p class="mode-hint">{ Text::OfflineHint.get(lang) }</p>
                if let Some(e) = &state.error {
                    { error_banner(e, lang, &dismiss_error) }
                }
                <EmptyState {lang} scenarios={(*entries).clone()} on_load={load.clone()} />
                <p class="open-file-row">{ open_button }</p>
            </main>
        },
        Some(info) => {
            let view = state.view().clone();
            let client_code = match state.selected.clone() {
                Some(consumer) => html! {
                    <ClientCode
                        {lang}
                        spec={sim.borrow().as_ref().and_then(|s| s.consumer_spec(&consumer))}
                        topics={view.topics.keys().cloned().collect::<Vec<_>>()}
                        on_copy={Callback::from(|code: String| clipboard::copy_text(&code))}
                    />
                },
                None => html! {},
            };
            html! {
                <main class="running">
                    <div class="scenario-bar">
                        <button type="button" id="to-menu" onclick={dispatch.reform(|_: MouseEvent| Action::CloseScenario)}>
                            { format!("← {}", Text::Scenarios.get(lang)) }
                        </button>
                        <h2 id="scenario-name">{ info.name(lang).to_string() }</h2>
                        <span class="summary">{ info.description(lang).to_string() }</span>
                        { open_button }
                        if !info.recording {
                            <button type="button" id="export" onclick={export} title={Text::ExportHelp.get(lang)}>{ Text::Export.get(lang) }</button>
                        }
                        if !info.recording {
                            <button type="button" id="share" onclick={share} title={Text::ShareHelp.get(lang)}>{ Text::Share.get(lang) }</button>
                        }
                        <button type="button" id="save-recording" onclick={save_recording} title={Text::SaveRecordingHelp.get(lang)}>{ Text::SaveRecording.get(lang) }</button>
                    </div>
                    if let Some(guide) = info.guide.clone() {
                        <Guide {lang} {guide} now_ms={view.now_ms} checks={state.guide_checks.clone()} on_jump={jump.clone()} />
                    }
                    if let Some(link) = &state.share_link {
                        <div class="share-link">
                            <label for="share-link">{ Text::ShareReady.get(lang) }</label>
                            <input id="share-link" type="text" readonly=true value={link.clone()} />
                            <button type="button" onclick={dispatch.reform(|_: MouseEvent| Action::ShowShareLink(None))}>{ "×" }</button>
                        </div>
                    }
                    if let Some(e) = &state.error {
                        { error_banner(e, lang, &dismiss_error) }
                    }
                    <Controls
                        {lang}
                        playing={state.playing}
                        speed={state.speed}
                        now_ms={view.now_ms}
                        achieved_speed={state.achieved_speed}
                        on_toggle_play={toggle_play.clone()}
                        on_step={step.clone()}
                        on_speed={dispatch.reform(Action::SetSpeed)}
                        on_restart={restart}
                    />
                    { workspace(on_input.clone(), None, sim.borrow().as_ref().and_then(|s| s.consumer_spec(state.selected.as_deref().unwrap_or_default())), client_code, Some(None), None) }
                    if embed {
                        <p class="embed-credit">
                            <a href={format!("./?scenario={}", info.id)} target="_blank" rel="noopener">{ Text::OpenInOffsetLab.get(lang) }</a>
                        </p>
                    }
                </main>
            }
        }
    };
    html! {
        <div class={classes!("app", embed.then_some("embed"), state.present.then_some("present"))}>
            <Header
                {lang}
                mode={state.mode}
                {on_lang}
                {on_mode}
                present={state.present}
                on_present={dispatch.reform(Action::SetPresent)}
            />
            { body }
        </div>
    }
}
