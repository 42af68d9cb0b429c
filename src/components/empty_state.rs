use yew::prelude::*;

use crate::i18n::{Lang, Text};

#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    pub lang: Lang,
}

/// What a newcomer sees before anything runs: what the picture will show
/// and the three steps to get there.
#[function_component]
pub fn EmptyState(props: &EmptyStateProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    html! {
        <section class="empty-state" id="empty-state">
            <div class="empty-illustration" aria-hidden="true">
                { for (0..3).map(|p| html! {
                    <div class="demo-log">
                        <span class="demo-label">{ format!("P{p}") }</span>
                        { for (0..(9 - p * 2)).map(|_| html! { <span class="demo-record" /> }) }
                    </div>
                }) }
            </div>
            <h2>{ t(Text::EmptyTitle) }</h2>
            <p class="empty-intro">{ t(Text::EmptyIntro) }</p>
            <ol class="empty-steps">
                <li>{ t(Text::EmptyStepTopic) }</li>
                <li>{ t(Text::EmptyStepConsumers) }</li>
                <li>{ t(Text::EmptyStepWatch) }</li>
            </ol>
            <p class="empty-note">{ t(Text::EmptyChapterNote) }</p>
        </section>
    }
}
