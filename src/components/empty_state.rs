use yew::prelude::*;

use crate::i18n::{Lang, Text};
use crate::state::ScenarioInfo;

#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    pub lang: Lang,
    pub scenarios: Vec<ScenarioInfo>,
    pub on_load: Callback<String>,
}

/// What a newcomer sees before anything runs: what the picture will show,
/// and the scenarios to start from.
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
            <p><strong>{ t(Text::PickScenario) }</strong></p>
            <div class="scenario-menu" id="scenario-menu">
                { for props.scenarios.iter().map(|s| {
                    let id = s.id.clone();
                    let onclick = props.on_load.reform(move |_: MouseEvent| id.clone());
                    html! {
                        <button type="button" data-scenario={s.id.clone()} {onclick}>
                            <strong>{ s.name(props.lang).to_string() }</strong>
                            <span>{ s.description(props.lang).to_string() }</span>
                        </button>
                    }
                }) }
            </div>
            <p class="empty-note">{ t(Text::EmptyChapterNote) }</p>
        </section>
    }
}
