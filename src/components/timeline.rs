//! The timeline: a scrubber over the event list and the event log, filtered
//! by category. Moving the scrubber shows the whole view at that moment.

use std::collections::BTreeSet;

use yew::prelude::*;

use super::controls::clock;
use crate::i18n::events::{Category, describe};
use crate::i18n::{Lang, Text};
use crate::redraw::Panel;
use crate::state::Timeline as Events;

/// The newest entries the log lists; older ones are reached by scrubbing.
/// Fewer while playing: nobody reads a list that scrolls every frame, and
/// each row costs layout.
const SHOWN: usize = 80;
const SHOWN_PLAYING: usize = 20;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub lang: Lang,
    pub events: Events,
    /// How many events the view shows (the whole list when not scrubbing).
    pub position: usize,
    pub hidden: BTreeSet<Category>,
    pub playing: bool,
    pub on_scrub: Callback<Option<usize>>,
    pub on_toggle_category: Callback<Category>,
    /// Why the scrubber cannot be moved (live: the view is always now).
    #[prop_or_default]
    pub scrub_disabled: Option<AttrValue>,
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let len = props.events.len();
    let on_input = {
        let on_scrub = props.on_scrub.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let n: usize = input.value().parse().unwrap_or(len);
            on_scrub.emit((n < len).then_some(n));
        })
    };
    let rows: Vec<Html> = props
        .events
        .rev_before(props.position)
        .filter(|(_, e)| !props.hidden.contains(&Category::of(&e.kind)))
        .take(if props.playing { SHOWN_PLAYING } else { SHOWN })
        .map(|(i, e)| {
            let category = Category::of(&e.kind);
            let onclick = props.on_scrub.reform(move |_: MouseEvent| Some(i + 1));
            let mut line = html! {
                <li class={classes!("event", category.class())} {onclick} data-type={e.kind.type_name()}>
                    <time>{ clock(e.at_ms) }</time>
                    <span class="cat">{ category.name(props.lang) }</span>
                    <span class="what">{ describe(&e.kind, props.lang) }</span>
                </li>
            };
            // Keyed by event while paused. While playing, the lines are all
            // new at every redraw: unkeyed, they are rewritten in place
            // instead of removed and created.
            if let Html::VTag(tag) = &mut line
                && !props.playing
            {
                std::rc::Rc::make_mut(tag).key = Some(i.into());
            }
            line
        })
        .collect();
    html! {
        <section class="timeline" data-in-view={Panel::Timeline.key()}>
            <div class="scrubber">
                <label for="scrubber">{ t(Text::Timeline) }</label>
                <input type="range" id="scrubber" min="0" max={len.to_string()} value={props.position.to_string()}
                       oninput={on_input} aria-valuetext={format!("{} / {len}", props.position)}
                       disabled={props.scrub_disabled.is_some()} title={props.scrub_disabled.clone()} />
                <span class="scrub-count">{ format!("{} / {len}", props.position) }</span>
                if props.position < len {
                    <button type="button" id="to-now" onclick={props.on_scrub.reform(|_: MouseEvent| None)}>{ t(Text::BackToNow) }</button>
                }
            </div>
            <div class="filters" role="group" aria-label={t(Text::EventFilter)}>
                { for Category::ALL.iter().map(|&c| {
                    let onchange = props.on_toggle_category.reform(move |_: Event| c);
                    html! {
                        <label class={classes!("filter", c.class())}>
                            <input type="checkbox" checked={!props.hidden.contains(&c)} {onchange} />
                            { c.name(props.lang) }
                        </label>
                    }
                }) }
            </div>
            <ol class="event-log" id="event-log">{ for rows }</ol>
        </section>
    }
}
