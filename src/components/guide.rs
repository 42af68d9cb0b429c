//! The guide of a scenario: the question it answers, a short explanation,
//! and the moments to look at, each a button that takes the whole view
//! there. In presentation mode the keyboard walks through them.

use std::rc::Rc;

use offsetlab_model::guide::Guide as GuideText;
use yew::prelude::*;

use super::controls::clock;
use crate::i18n::{Lang, Text};

#[derive(Properties, PartialEq)]
pub struct GuideProps {
    pub lang: Lang,
    pub guide: Rc<GuideText>,
    /// The virtual time on screen: the step at or before it is current.
    pub now_ms: u64,
    pub on_jump: Callback<u64>,
}

/// Text with `backticked` Kafka names set as code, as the guides write them.
pub fn with_code(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 { html! { <code>{ part.to_string() }</code> } } else { html! { part.to_string() } }
        }) }
    }
}

/// The index of the step on screen at `now_ms`: the last one at or before it.
pub fn current_step(guide: &GuideText, now_ms: u64) -> Option<usize> {
    guide.steps.iter().rposition(|s| s.at_ms <= now_ms)
}

#[function_component]
pub fn Guide(props: &GuideProps) -> Html {
    let korean = props.lang == Lang::Ko;
    let g = &props.guide;
    let current = current_step(g, props.now_ms);
    html! {
        <section class="panel guide" id="guide">
            <h2 class="guide-question">{ with_code(g.question_in(korean)) }</h2>
            <p class="guide-explanation">{ with_code(g.explanation_in(korean)) }</p>
            <ol class="guide-steps">
                { for g.steps.iter().enumerate().map(|(i, step)| {
                    let at = step.at_ms;
                    html! {
                        <li class={classes!("guide-step", (current == Some(i)).then_some("current"))} data-at={at.to_string()}>
                            <button type="button" onclick={props.on_jump.reform(move |_: MouseEvent| at)}
                                    title={Text::JumpHere.get(props.lang)}>{ clock(at) }</button>
                            <span>{ with_code(step.text_in(korean)) }</span>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
