//! The live panel: the gateway's URL and token, connect and disconnect, the
//! connection and cluster status, the read-only badge, the gateway's errors
//! in words, and the cluster-wide actions (watch a topic, create a topic).
//! Per-consumer actions and "produce now" are the offline panels', turned
//! into gateway commands by the app.

use offsetlab_protocol::Command;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::add_client::parse_bounded;
use crate::i18n::Lang;
use crate::i18n::live::{LiveText, broker_text, connection_text, live_error_text, refresh_now};
use crate::i18n::options::number_range;
use crate::source::live::{WATCH_WINDOW, is_ws_url};
use crate::state::{Connection, LiveState};

/// Partitions a topic created here may have.
pub const MAX_PARTITIONS: u64 = 256;
/// The refresh intervals the gateway accepts (`set_refresh`).
pub const MIN_REFRESH_MS: u64 = 100;
pub const MAX_REFRESH_MS: u64 = 60_000;
/// Intervals offered in the field's list; any other in range may be typed.
pub const REFRESH_CHOICES: [u32; 6] = [250, 500, 1_000, 2_000, 5_000, 10_000];

#[derive(Properties, PartialEq)]
pub struct LivePanelProps {
    pub lang: Lang,
    pub live: LiveState,
    /// The topics the view knows, for the watch list.
    pub topics: Vec<String>,
    pub on_url: Callback<String>,
    pub on_token: Callback<String>,
    pub on_connect: Callback<()>,
    pub on_disconnect: Callback<()>,
    pub on_command: Callback<Command>,
    pub on_dismiss_errors: Callback<()>,
}

/// Kafka's rule for topic names: 1 to 249 of `[a-zA-Z0-9._-]`, not `.` or `..`.
pub fn valid_topic_name(name: &str) -> bool {
    (1..=249).contains(&name.len())
        && name != "."
        && name != ".."
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `CreateTopic` for the form, or what is wrong with it.
pub fn create_topic(name: &str, partitions: &str, lang: Lang) -> Result<Command, String> {
    let topic = name.trim();
    if !valid_topic_name(topic) {
        return Err(LiveText::TopicNameInvalid.get(lang).into());
    }
    let partitions =
        parse_bounded(partitions, 1, MAX_PARTITIONS).ok_or_else(|| number_range(1, MAX_PARTITIONS, lang))?;
    Ok(Command::CreateTopic { topic: topic.to_string(), partitions: i32::try_from(partitions).unwrap_or(1) })
}

/// `SetRefresh` for the typed interval, or what is wrong with it.
pub fn set_refresh(text: &str, lang: Lang) -> Result<Command, String> {
    parse_bounded(text, MIN_REFRESH_MS, MAX_REFRESH_MS)
        .and_then(|ms| u32::try_from(ms).ok())
        .map(|interval_ms| Command::SetRefresh { interval_ms })
        .ok_or_else(|| number_range(MIN_REFRESH_MS, MAX_REFRESH_MS, lang))
}

fn value_of(e: InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[function_component]
pub fn LivePanel(props: &LivePanelProps) -> Html {
    let lang = props.lang;
    let t = |text: LiveText| text.get(lang);
    let live = &props.live;
    let topic_name = use_state(String::new);
    let partitions = use_state(|| "3".to_string());
    let watch_choice = use_state(String::new);
    // The interval as typed; `None` shows the current one.
    let refresh_draft = use_state(|| None::<String>);

    let connected = matches!(live.connection, Connection::Connected { .. });
    let idle = live.connection == Connection::Closed;
    let url_ok = is_ws_url(live.url.trim());
    let on_url = props.on_url.reform(value_of);
    let on_token = props.on_token.reform(value_of);
    let connect_reason: Option<AttrValue> = (!url_ok).then(|| t(LiveText::GatewayUrlHelp).into());

    let status_class = match live.connection {
        Connection::Closed => "live-closed",
        Connection::Connecting { .. } => "live-connecting",
        Connection::Connected { .. } => "live-connected",
        Connection::Reconnecting { .. } => "live-reconnecting",
    };

    // Watch: the chosen topic, else the first one not watched yet.
    let unwatched: Vec<&String> = props.topics.iter().filter(|t| !live.watched.contains(*t)).collect();
    let watch_topic = Some((*watch_choice).clone())
        .filter(|c| unwatched.contains(&c))
        .or_else(|| unwatched.first().map(|t| (*t).clone()));
    let on_watch_choice = {
        let watch_choice = watch_choice.clone();
        Callback::from(move |e: Event| {
            watch_choice.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_watch = {
        let on_command = props.on_command.clone();
        let topic = watch_topic.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(topic) = topic.clone() {
                on_command.emit(Command::Watch { topic, window: WATCH_WINDOW });
            }
        })
    };

    let create = create_topic(&topic_name, &partitions, lang);
    let on_create = {
        let on_command = props.on_command.clone();
        let command = create.as_ref().ok().cloned();
        let topic_name = topic_name.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(command) = command.clone() {
                on_command.emit(command);
                topic_name.set(String::new());
            }
        })
    };
    let typed_name = !topic_name.trim().is_empty();

    let current_refresh = live.hello.as_ref().map_or(0, |h| h.refresh_ms);
    let asked_refresh = live.refresh_sent.map(|(_, ms)| ms);
    let refresh_text =
        (*refresh_draft).clone().unwrap_or_else(|| asked_refresh.unwrap_or(current_refresh).to_string());
    let refresh = set_refresh(&refresh_text, lang);
    let refresh_reason: Option<String> = match &refresh {
        Err(why) => Some(why.clone()),
        Ok(Command::SetRefresh { interval_ms })
            if *interval_ms == current_refresh && asked_refresh.is_none() =>
        {
            Some(t(LiveText::RefreshUnchanged).into())
        }
        Ok(_) => None,
    };
    let on_refresh = {
        let on_command = props.on_command.clone();
        let command = refresh.as_ref().ok().cloned().filter(|_| refresh_reason.is_none());
        let refresh_draft = refresh_draft.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(command) = command.clone() {
                on_command.emit(command);
                refresh_draft.set(None);
            }
        })
    };
    let on_refresh_input = {
        let refresh_draft = refresh_draft.clone();
        Callback::from(move |e: InputEvent| refresh_draft.set(Some(value_of(e))))
    };

    html! {
        <section class="panel live-panel" id="live-panel" data-connection={status_class}>
            <h2>{ t(LiveText::Title) }</h2>
            <div class="ac-grid">
                <label for="live-url">{ t(LiveText::GatewayUrl) }</label>
                <input id="live-url" type="text" autocomplete="off" spellcheck="false"
                    value={live.url.clone()} title={t(LiveText::GatewayUrlHelp)}
                    aria-invalid={if url_ok { "false" } else { "true" }}
                    disabled={!idle} oninput={on_url} />
                <label for="live-token">{ t(LiveText::Token) }</label>
                <input id="live-token" type="password" autocomplete="off"
                    value={live.token.clone()} title={t(LiveText::TokenHelp)}
                    disabled={!idle} oninput={on_token} />
            </div>
            <div class="consumer-actions">
                if idle {
                    <button type="button" id="live-connect" class="primary" disabled={connect_reason.is_some()}
                        title={connect_reason.clone()}
                        onclick={props.on_connect.reform(|_: MouseEvent| ())}>{ t(LiveText::Connect) }</button>
                } else {
                    <button type="button" id="live-disconnect"
                        onclick={props.on_disconnect.reform(|_: MouseEvent| ())}>{ t(LiveText::Disconnect) }</button>
                }
                if let Some(hello) = &live.hello {
                    if hello.read_only {
                        <span class="chip read-only-badge" id="live-read-only" title={t(LiveText::ReadOnlyNote)}>{ t(LiveText::ReadOnly) }</span>
                    } else {
                        <span class="chip writable-badge" id="live-writable">{ t(LiveText::Writable) }</span>
                    }
                    <span class="cp-note">{ format!("v{} · protocol {}", hello.gateway_version, hello.protocol_version) }</span>
                }
            </div>
            <dl class="group-facts live-status">
                <dt>{ t(LiveText::ConnectionLabel) }</dt>
                <dd id="live-status" class={status_class} aria-live="polite">{ connection_text(&live.connection, lang) }</dd>
                if connected {
                    <dt>{ t(LiveText::ClusterLabel) }</dt>
                    <dd id="live-broker" class={classes!(live.broker.as_ref().map(|b| if b.reachable { "reachable" } else { "unreachable" }))}>
                        { broker_text(live.broker.as_ref(), lang) }
                    </dd>
                }
            </dl>
            if connected && live.hello.is_some() {
                <form class="live-refresh" id="live-refresh-form" onsubmit={on_refresh}>
                    <label for="live-refresh">{ t(LiveText::RefreshLabel) }</label>
                    <input id="live-refresh" type="text" inputmode="numeric" autocomplete="off" size="6"
                        value={refresh_text.clone()} list="live-refresh-choices" title={t(LiveText::RefreshHelp)}
                        aria-invalid={if refresh.is_err() { "true" } else { "false" }}
                        aria-describedby={if refresh.is_err() { "live-refresh-error" } else { "live-refresh-now" }}
                        oninput={on_refresh_input} />
                    <datalist id="live-refresh-choices">
                        { for REFRESH_CHOICES.iter().map(|ms| html! { <option value={ms.to_string()} /> }) }
                    </datalist>
                    <button type="submit" id="live-refresh-set" disabled={refresh_reason.is_some()}
                        title={refresh_reason.clone().unwrap_or_else(|| t(LiveText::RefreshHelp).into())}>{ t(LiveText::RefreshSet) }</button>
                    <span class="cp-note" id="live-refresh-now" aria-live="polite">{ refresh_now(current_refresh, asked_refresh, lang) }</span>
                    if let Err(why) = &refresh {
                        <p class="cfg-error" id="live-refresh-error" role="alert">{ why.clone() }</p>
                    }
                </form>
            }
            if live.hello.as_ref().is_some_and(|h| h.protocol_version != offsetlab_protocol::PROTOCOL_VERSION) {
                <p class="cfg-error">{ format!("{} {}", t(LiveText::ProtocolMismatch), live.hello.as_ref().map_or(0, |h| h.protocol_version)) }</p>
            }
            if !live.errors.is_empty() {
                <div class="error-banner live-errors" role="alert" id="live-errors">
                    <strong>{ t(LiveText::Errors) }</strong>
                    <ul>
                        { for live.errors.iter().rev().map(|e| html! { <li>{ live_error_text(e, lang) }</li> }) }
                    </ul>
                    <button type="button" id="live-clear-errors" onclick={props.on_dismiss_errors.reform(|_: MouseEvent| ())}>{ t(LiveText::ClearErrors) }</button>
                </div>
            }
            if connected {
                <details class="cp-section" id="live-watch" open={true}>
                    <summary>{ t(LiveText::WatchTitle) }</summary>
                    <p class="cp-help">{ t(LiveText::WatchHelp) }</p>
                    <div class="consumer-actions">
                        <select id="live-watch-topic" disabled={unwatched.is_empty()} onchange={on_watch_choice}>
                            { for unwatched.iter().map(|topic| html! {
                                <option value={(*topic).clone()} selected={watch_topic.as_ref() == Some(*topic)}>{ (*topic).clone() }</option>
                            }) }
                        </select>
                        <button type="button" id="live-watch-add" disabled={watch_topic.is_none()} onclick={on_watch}>{ t(LiveText::Watch) }</button>
                    </div>
                    <p class="live-watched">
                        { for live.watched.iter().map(|topic| {
                            let onclick = {
                                let topic = topic.clone();
                                props.on_command.reform(move |_: MouseEvent| Command::Unwatch { topic: topic.clone() })
                            };
                            html! {
                                <span class="chip tp-chip" data-watched={topic.clone()}>
                                    { format!("{topic} · {}", t(LiveText::Watched)) }
                                    <button type="button" class="close" title={t(LiveText::Unwatch)} aria-label={t(LiveText::Unwatch)} {onclick}>{ "×" }</button>
                                </span>
                            }
                        }) }
                    </p>
                </details>
                if live.writable() {
                    <details class="cp-section" id="live-create-topic">
                        <summary>{ t(LiveText::CreateTopic) }</summary>
                        <div class="ac-grid">
                            <label for="live-topic-name">{ t(LiveText::TopicName) }</label>
                            <input id="live-topic-name" type="text" autocomplete="off" spellcheck="false"
                                value={(*topic_name).clone()}
                                aria-invalid={if typed_name && create.is_err() { "true" } else { "false" }}
                                oninput={{ let s = topic_name.clone(); Callback::from(move |e: InputEvent| s.set(value_of(e))) }} />
                            <label for="live-topic-partitions">{ t(LiveText::PartitionCount) }</label>
                            <input id="live-topic-partitions" type="text" inputmode="numeric" autocomplete="off"
                                value={(*partitions).clone()}
                                oninput={{ let s = partitions.clone(); Callback::from(move |e: InputEvent| s.set(value_of(e))) }} />
                        </div>
                        if let (true, Err(why)) = (typed_name, &create) {
                            <p class="cfg-error" id="live-create-error" role="alert">{ why.clone() }</p>
                        }
                        <div class="consumer-actions">
                            <button type="button" id="live-create" class="primary" disabled={create.is_err()}
                                title={create.as_ref().err().cloned()} onclick={on_create}>{ t(LiveText::Create) }</button>
                        </div>
                    </details>
                } else {
                    <p class="cp-note" id="live-read-only-note">{ t(LiveText::ReadOnlyNote) }</p>
                }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_follow_kafkas_rule() {
        assert!(valid_topic_name("orders.v2_x-1"));
        assert!(!valid_topic_name("") && !valid_topic_name("..") && !valid_topic_name("a b"));
        assert!(!valid_topic_name(&"x".repeat(250)));
        assert_eq!(
            create_topic(" orders ", "3", Lang::En),
            Ok(Command::CreateTopic { topic: "orders".into(), partitions: 3 })
        );
        assert!(create_topic("orders", "0", Lang::En).is_err());
        assert!(create_topic("or ders", "3", Lang::Ko).unwrap_err().contains("토픽"));
    }

    #[test]
    fn refresh_intervals_are_what_the_gateway_accepts() {
        assert_eq!(set_refresh(" 250 ", Lang::En), Ok(Command::SetRefresh { interval_ms: 250 }));
        assert_eq!(set_refresh("100", Lang::En), Ok(Command::SetRefresh { interval_ms: 100 }));
        assert_eq!(set_refresh("60000", Lang::En), Ok(Command::SetRefresh { interval_ms: 60_000 }));
        for bad in ["99", "60001", "-5", "1.5", "", "fast", "99999999999999999999"] {
            assert_eq!(set_refresh(bad, Lang::En), Err("a whole number from 100 to 60000".into()), "{bad}");
        }
        assert!(set_refresh("0", Lang::Ko).unwrap_err().contains("정수"));
        assert!(REFRESH_CHOICES.iter().all(|ms| set_refresh(&ms.to_string(), Lang::En).is_ok()));
    }
}
