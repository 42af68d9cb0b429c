use yew::prelude::*;

use crate::components::{EmptyState, Header};
use crate::i18n::{Lang, Text};
use crate::source::prefs;
use crate::state::{Action, Mode, State};

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(prefs::initial_lang()));

    {
        let lang = state.lang;
        use_effect_with(lang, move |&lang| prefs::apply_lang(lang));
    }

    let on_lang = {
        let state = state.clone();
        Callback::from(move |lang: Lang| state.dispatch(Action::SetLang(lang)))
    };
    let on_mode = {
        let state = state.clone();
        Callback::from(move |mode: Mode| state.dispatch(Action::SetMode(mode)))
    };

    html! {
        <div class="app">
            <Header
                lang={state.lang}
                mode={state.mode}
                live_available={state.live_available}
                {on_lang}
                {on_mode}
            />
            <main>
                <p class="mode-hint">{ Text::OfflineHint.get(state.lang) }</p>
                <EmptyState lang={state.lang} />
            </main>
        </div>
    }
}
