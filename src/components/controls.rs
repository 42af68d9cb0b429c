//! Playback: play/pause, single step, speed, restart, and the virtual clock.

use yew::prelude::*;

use crate::i18n::{Lang, Text, one_decimal};
use crate::state::{SPEED_LABELS, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub lang: Lang,
    pub playing: bool,
    pub speed: usize,
    pub now_ms: u64,
    /// Shown when clearly below the chosen speed.
    pub achieved_speed: Option<f64>,
    pub on_toggle_play: Callback<()>,
    pub on_step: Callback<()>,
    pub on_speed: Callback<usize>,
    pub on_restart: Callback<()>,
}

/// Icons as inline SVG: symbol glyphs such as ⏸ are missing from many fonts.
fn icon(path: &'static str) -> Html {
    html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d={path} /></svg> }
}

const PLAY: &str = "M4 2.5v11l9-5.5z";
const PAUSE: &str = "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z";
const STEP: &str = "M2.5 2.5v11l7-5.5zM10.5 2.5h3v11h-3z";
const RESTART: &str = "M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.8.6A3.6 3.6 0 1 0 8 4.4V6.5L4.5 3.5 8 .5z";

pub fn clock(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let toggle = props.on_toggle_play.reform(|_: MouseEvent| ());
    let step = props.on_step.reform(|_: MouseEvent| ());
    let restart = props.on_restart.reform(|_: MouseEvent| ());
    let on_speed = props.on_speed.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        select.value().parse().unwrap_or(2)
    });
    html! {
        <div class="controls" role="toolbar" aria-label={t(Text::Playback)}>
            <button type="button" id="play" class="primary" onclick={toggle} title={t(Text::PlayHelp)}>
                if props.playing { { icon(PAUSE) } { t(Text::Pause) } } else { { icon(PLAY) } { t(Text::Play) } }
            </button>
            <button type="button" id="step" onclick={step} disabled={props.playing} title={t(Text::StepHelp)}>
                { icon(STEP) } { t(Text::Step) }
            </button>
            <label class="speed">
                { t(Text::Speed) }
                <select id="speed" onchange={on_speed}>
                    { for SPEED_LABELS.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == props.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            if let Some(achieved) = props.achieved_speed.filter(|a| props.playing && *a < SPEEDS[props.speed.min(SPEEDS.len() - 1)] * 0.9) {
                <span class="achieved" id="achieved-speed" title={t(Text::AchievedSpeedHelp)}>{ format!("{} {}×", t(Text::AchievedSpeed), one_decimal(achieved)) }</span>
            }
            <button type="button" id="restart" onclick={restart}>{ icon(RESTART) } { t(Text::Restart) }</button>
            <span class="clock" id="clock" title={t(Text::ClockHelp)}>{ clock(props.now_ms) }</span>
        </div>
    }
}
