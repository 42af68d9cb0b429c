//! The selected consumer: its actions (commit now, pause/resume, seek with
//! a preview, assign, crash, close) and its configuration.

use std::rc::Rc;

use offsetlab_model::model::Input;
use yew::prelude::*;

use crate::i18n::{Lang, Text};
use crate::state::SeekPreview;
use crate::view::{ClusterView, ConsumerStatus};

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
}

#[function_component]
pub fn ConsumerPanel(props: &ConsumerPanelProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let Some(c) = props.view.consumers.get(&props.consumer) else {
        return html! {};
    };
    let id = props.consumer.clone();
    let running = c.status == ConsumerStatus::Running;
    let send = |make: fn(String) -> Input| {
        let id = id.clone();
        props.on_input.reform(move |_: MouseEvent| make(id.clone()))
    };
    html! {
        <section class="panel consumer-panel" id="consumer-panel" data-consumer={id.clone()}>
            <header>
                <h2>{ id.clone() }</h2>
                <button type="button" class="close" onclick={props.on_close.reform(|_: MouseEvent| ())} aria-label={t(Text::ClosePanel)}>{ "×" }</button>
            </header>
            <div class="consumer-actions">
                <button type="button" id="action-commit" disabled={!running} onclick={send(|consumer| Input::CommitSync { consumer })}>{ t(Text::CommitNow) }</button>
                <button type="button" id="action-crash" disabled={!running} onclick={send(|consumer| Input::Crash { consumer })}>{ t(Text::Crash) }</button>
                <button type="button" id="action-close" disabled={!running} onclick={send(|consumer| Input::Close { consumer })}>{ t(Text::CloseConsumer) }</button>
            </div>
        </section>
    }
}
