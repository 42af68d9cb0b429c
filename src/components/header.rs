use yew::prelude::*;

use super::{Segment, Segmented};
use crate::i18n::{Lang, Text};
use crate::state::Mode;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lang: Lang,
    pub mode: Mode,
    pub on_lang: Callback<Lang>,
    pub on_mode: Callback<Mode>,
    pub present: bool,
    pub on_present: Callback<bool>,
}

#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let lang = props.lang;
    let modes = vec![
        Segment { value: Mode::Offline, label: Text::ModeOffline.get(lang).into(), disabled_reason: None },
        // Always choosable: the live panel's connection status says why
        // nothing shows when no gateway answers.
        Segment { value: Mode::Live, label: Text::ModeLive.get(lang).into(), disabled_reason: None },
    ];
    let langs = Lang::ALL
        .iter()
        .map(|&l| Segment { value: l, label: l.native_name().into(), disabled_reason: None })
        .collect::<Vec<_>>();
    html! {
        <header class="app-header">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <rect x="2" y="6" width="28" height="5" rx="1.5" />
                    <rect x="2" y="14" width="22" height="5" rx="1.5" />
                    <rect x="2" y="22" width="16" height="5" rx="1.5" />
                    <path d="M26 12 L26 30" class="cursor" />
                </svg>
                <div>
                    <h1>{ "OffsetLab" }</h1>
                    <p class="tagline">{ Text::Tagline.get(lang) }</p>
                </div>
            </div>
            <nav class="switches">
                <Segmented<Mode>
                    id="mode-switch"
                    label={Text::ModeLabel.get(lang)}
                    segments={modes}
                    selected={props.mode}
                    on_select={props.on_mode.clone()}
                />
                <Segmented<Lang>
                    id="lang-switch"
                    label={Text::LanguageLabel.get(lang)}
                    segments={langs}
                    selected={lang}
                    on_select={props.on_lang.clone()}
                />
                <button type="button" id="present" class={classes!("present-toggle", props.present.then_some("on"))}
                        aria-pressed={if props.present { "true" } else { "false" }}
                        title={Text::PresentHelp.get(lang)}
                        onclick={{ let on = !props.present; props.on_present.reform(move |_: MouseEvent| on) }}>
                    { Text::Present.get(lang) }
                </button>
            </nav>
        </header>
    }
}
