//! The guide of a scenario: the question it answers, a short explanation,
//! and the moments to look at, each a button that takes the whole view
//! there. In presentation mode the keyboard walks through them.

use std::collections::BTreeMap;
use std::rc::Rc;

use offsetlab_model::guide::Guide as GuideText;
use yew::prelude::*;

use super::controls::clock;
use crate::i18n::{Lang, Text, problems};

#[derive(Properties, PartialEq)]
pub struct GuideProps {
    pub lang: Lang,
    pub guide: Rc<GuideText>,
    /// The virtual time on screen: the step at or before it is current.
    pub now_ms: u64,
    /// Steps reached in this run: whether their expectation held.
    pub checks: BTreeMap<usize, Result<(), String>>,
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

/// What the model says about a step's expectation on this run: ✓ held,
/// ✗ did not (and why: a person may have changed the run), or ○ not yet
/// reached. The expectation itself is the tooltip, in the file's words.
fn check_badge(expect: &str, held: Option<&Result<(), String>>, lang: Lang) -> Html {
    let why = held.and_then(|h| h.as_ref().err()).map(|why| problems::expectation_failure(why, lang));
    let (class, mark, title) = match (held, &why) {
        (Some(Ok(())), _) => ("ok", "✓", format!("{} {expect}", Text::ExpectationHeld.get(lang))),
        (Some(Err(_)), Some(why)) => {
            ("failed", "✗", format!("{} {expect}: {why}", Text::ExpectationFailed.get(lang)))
        }
        _ => ("pending", "○", format!("{} {expect}", Text::ExpectationPending.get(lang))),
    };
    html! {
        <span class={classes!("check", class)} data-check={class} {title}>
            { mark }
            if let Some(why) = why {
                <span class="check-why">{ why }</span>
            }
        </span>
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
        // A <details>, so a presenter can fold the guide away and give the
        // logs the projector's height; the browser keeps it folded across
        // redraws, since the `open` yew writes does not change.
        <details class="panel guide" id="guide" open=true>
            <summary><h2 class="guide-question">{ with_code(g.question_in(korean)) }</h2></summary>
            <p class="guide-explanation">{ with_code(g.explanation_in(korean)) }</p>
            <ol class="guide-steps">
                { for g.steps.iter().enumerate().map(|(i, step)| {
                    let at = step.at_ms;
                    html! {
                        <li class={classes!("guide-step", (current == Some(i)).then_some("current"))} data-at={at.to_string()}>
                            <button type="button" onclick={props.on_jump.reform(move |_: MouseEvent| at)}
                                    title={Text::JumpHere.get(props.lang)}>{ clock(at) }</button>
                            <span>{ with_code(step.text_in(korean)) }</span>
                            if let Some(expect) = &step.expect {
                                { check_badge(&expect.to_string(), props.checks.get(&i), props.lang) }
                            }
                        </li>
                    }
                }) }
            </ol>
        </details>
    }
}
