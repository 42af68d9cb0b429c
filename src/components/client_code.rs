//! Client code (chapter 5.3): the consumer on screen as a Java, Python or
//! Rust program (`offsetlab_codegen`), in tabs, with a copy button.
//!
//! The code is generated from the consumer's spec as its source started
//! it, so it follows the options, the commit strategy and subscribe() or
//! assign(). Copying is browser IO: the text goes out through `on_copy`
//! (the app hands it to `source::clipboard`).

use offsetlab_codegen::{Language, generate};
use offsetlab_model::ConsumerSpec;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::i18n::codegen::{CodeText, needs};

#[derive(Properties, PartialEq)]
pub struct ClientCodeProps {
    pub lang: Lang,
    /// The consumer as its source started it (the model's `consumer_spec`).
    /// Without it (a source that does not say) the panel says there is no code.
    pub spec: Option<ConsumerSpec>,
    /// The topics on screen: a consumer that has not subscribed yet gets a
    /// program subscribing to them.
    #[prop_or_default]
    pub topics: Vec<String>,
    /// The shown code, when the person asks to copy it.
    pub on_copy: Callback<String>,
}

/// The element id of a language's tab.
pub fn tab_id(language: Language) -> String {
    format!("client-code-tab-{}", language.name().to_ascii_lowercase())
}

/// The tab an arrow key (or Home/End) moves to from `from`, wrapping
/// around; `None` for other keys.
pub fn tab_after_key(from: Language, key: &str) -> Option<Language> {
    let all = Language::ALL;
    let i = all.iter().position(|l| *l == from).unwrap_or(0);
    let n = all.len();
    Some(match key {
        "ArrowRight" | "ArrowDown" => all[(i + 1) % n],
        "ArrowLeft" | "ArrowUp" => all[(i + n - 1) % n],
        "Home" => all[0],
        "End" => all[n - 1],
        _ => return None,
    })
}

#[function_component]
pub fn ClientCode(props: &ClientCodeProps) -> Html {
    let lang = props.lang;
    let language = use_state(|| Language::Java);
    // The text last copied: "Copied" shows while that very text is on screen.
    let copied = use_state(|| None::<String>);
    let code = use_memo((props.spec.clone(), props.topics.clone(), *language), |(spec, topics, language)| {
        spec.as_ref().map(|s| generate(*language, s, topics))
    });
    // Roving focus: after an arrow key the selected tab takes the focus.
    let tabs: Vec<NodeRef> =
        use_memo((), |()| Language::ALL.iter().map(|_| NodeRef::default()).collect::<Vec<_>>()).to_vec();
    let focus_tab = use_state(|| false);
    {
        let tabs = tabs.clone();
        let focus_tab = focus_tab.clone();
        use_effect_with((*language, *focus_tab), move |(language, focus)| {
            if *focus {
                let i = Language::ALL.iter().position(|l| l == language).unwrap_or(0);
                if let Some(el) = tabs[i].cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
                focus_tab.set(false);
            }
        });
    }

    let body = match code.as_ref() {
        None => html! { <p class="client-code-empty">{ CodeText::NoSpec.get(lang) }</p> },
        Some(code) => {
            let is_copied = copied.as_deref() == Some(code.as_str());
            let on_copy_click = {
                let on_copy = props.on_copy.clone();
                let copied = copied.clone();
                let code = code.clone();
                Callback::from(move |_: MouseEvent| {
                    on_copy.emit(code.clone());
                    copied.set(Some(code.clone()));
                })
            };
            let current = *language;
            html! {
                <>
                    <div class="client-code-bar">
                        <div class="client-code-tabs" role="tablist" aria-label={CodeText::LanguagesLabel.get(lang)}>
                            { for Language::ALL.iter().zip(&tabs).map(|(&l, node)| {
                                let selected = l == current;
                                let onclick = {
                                    let language = language.clone();
                                    Callback::from(move |_: MouseEvent| language.set(l))
                                };
                                let onkeydown = {
                                    let language = language.clone();
                                    let focus_tab = focus_tab.clone();
                                    Callback::from(move |e: KeyboardEvent| {
                                        if let Some(next) = tab_after_key(l, &e.key()) {
                                            e.prevent_default();
                                            language.set(next);
                                            focus_tab.set(true);
                                        }
                                    })
                                };
                                html! {
                                    <button
                                        type="button"
                                        role="tab"
                                        ref={node.clone()}
                                        id={tab_id(l)}
                                        class={classes!("client-code-tab", selected.then_some("selected"))}
                                        aria-selected={if selected { "true" } else { "false" }}
                                        aria-controls="client-code-panel"
                                        tabindex={if selected { "0" } else { "-1" }}
                                        {onclick}
                                        {onkeydown}
                                    >
                                        { l.name() }
                                    </button>
                                }
                            }) }
                        </div>
                        <button
                            type="button"
                            id="client-code-copy"
                            class={classes!("client-code-copy", is_copied.then_some("copied"))}
                            title={CodeText::CopyHelp.get(lang)}
                            onclick={on_copy_click}
                        >
                            { if is_copied { CodeText::Copied.get(lang) } else { CodeText::Copy.get(lang) } }
                        </button>
                        <span class="visually-hidden" aria-live="polite">
                            { if is_copied { CodeText::Copied.get(lang) } else { "" } }
                        </span>
                    </div>
                    <div role="tabpanel" id="client-code-panel" aria-labelledby={tab_id(current)}>
                        <p class="client-code-needs">
                            { needs(current, lang) }
                            if current != Language::Java {
                                <br />{ CodeText::LibrdkafkaNote.get(lang) }
                            }
                        </p>
                        <pre class="client-code-text" tabindex="0"><code
                            class={format!("language-{}", current.name().to_ascii_lowercase())}
                            lang="en"
                        >{ code.clone() }</code></pre>
                    </div>
                </>
            }
        }
    };

    html! {
        <section class="panel client-code" id="client-code" aria-labelledby="client-code-title">
            <h2 id="client-code-title">{ CodeText::Title.get(lang) }</h2>
            <p class="client-code-intro">{ CodeText::Intro.get(lang) }</p>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_move_between_tabs_and_wrap() {
        assert_eq!(tab_after_key(Language::Java, "ArrowRight"), Some(Language::Python));
        assert_eq!(tab_after_key(Language::Rust, "ArrowRight"), Some(Language::Java));
        assert_eq!(tab_after_key(Language::Java, "ArrowLeft"), Some(Language::Rust));
        assert_eq!(tab_after_key(Language::Python, "Home"), Some(Language::Java));
        assert_eq!(tab_after_key(Language::Python, "End"), Some(Language::Rust));
        assert_eq!(tab_after_key(Language::Python, "a"), None);
        assert_eq!(tab_id(Language::Python), "client-code-tab-python");
    }
}
