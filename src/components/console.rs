//! The console-consumer pane (5.2): what a consumer receives, printed the
//! way `kafka-console-consumer` prints it, with its `print.*` choices, and
//! the command line that starts an equivalent console consumer.

use std::rc::Rc;

use yew::prelude::*;

use crate::console::{PrintOptions, command_line, lines};
use crate::i18n::{Lang, Text};
use crate::redraw::Panel;
use crate::view::ClusterView;

/// Lines kept on screen; fewer while playing, where each costs a redraw.
const LINES: usize = 60;
const LINES_PLAYING: usize = 12;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub lang: Lang,
    pub view: Rc<ClusterView>,
    /// The consumer to print for: the selected one, else the first that
    /// has received records.
    pub consumer: Option<String>,
    pub options: PrintOptions,
    pub on_options: Callback<PrintOptions>,
    pub playing: bool,
}

#[function_component]
pub fn Console(props: &ConsoleProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let view = &props.view;
    let chosen = props
        .consumer
        .as_ref()
        .and_then(|id| view.consumers.get_key_value(id))
        .or_else(|| view.consumers.iter().find(|(_, c)| !c.processed.is_empty()));
    let Some((id, c)) = chosen else { return html! {} };
    let o = props.options;
    let toggle = |set: fn(&mut PrintOptions)| {
        let mut next = o;
        set(&mut next);
        props.on_options.reform(move |_: Event| next)
    };
    let flags: [(&str, bool, Callback<Event>); 5] = [
        ("print.timestamp", o.timestamp, toggle(|o| o.timestamp = !o.timestamp)),
        ("print.partition", o.partition, toggle(|o| o.partition = !o.partition)),
        ("print.offset", o.offset, toggle(|o| o.offset = !o.offset)),
        ("print.key", o.key, toggle(|o| o.key = !o.key)),
        ("print.value", o.value, toggle(|o| o.value = !o.value)),
    ];
    let (command, note) = command_line(c, o);
    let shown = lines(view, c, o, if props.playing { LINES_PLAYING } else { LINES });
    html! {
        <section class="panel console-pane" id="console" data-consumer={id.clone()} data-in-view={Panel::Console.key()}>
            <header>
                <h2>{ format!("{} · {id}", t(Text::ConsoleTitle)) }</h2>
                <div class="print-flags">
                    { for flags.into_iter().map(|(name, on, onchange)| html! {
                        <label><input type="checkbox" checked={on} {onchange} data-flag={name} />{ name }</label>
                    }) }
                </div>
            </header>
            <code class="console-command" id="console-command">{ format!("$ {command}") }</code>
            if let Some(note) = note {
                <p class="console-note">{ note }</p>
            }
            <pre class="console-output" id="console-output" aria-label={t(Text::ConsoleTitle)}><div>
                { for shown.into_iter().map(|line| html! { <div class="console-line">{ line }</div> }) }
            </div></pre>
        </section>
    }
}
