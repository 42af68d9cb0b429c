//! A segmented switch (a radio group drawn as buttons): one control for the
//! mode and the language, so both look and behave alike.

use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Segment<T: Clone + PartialEq> {
    pub value: T,
    pub label: AttrValue,
    /// A disabled segment still shows, with its reason as a tooltip.
    pub disabled_reason: Option<AttrValue>,
}

#[derive(Properties, PartialEq)]
pub struct SegmentedProps<T: Clone + PartialEq + 'static> {
    pub label: AttrValue,
    pub id: AttrValue,
    pub segments: Vec<Segment<T>>,
    pub selected: T,
    pub on_select: Callback<T>,
}

#[function_component]
pub fn Segmented<T: Clone + PartialEq + 'static>(props: &SegmentedProps<T>) -> Html {
    html! {
        <div class="segmented" role="radiogroup" aria-label={props.label.clone()} id={props.id.clone()}>
            { for props.segments.iter().enumerate().map(|(i, seg)| {
                let checked = seg.value == props.selected;
                let disabled = seg.disabled_reason.is_some();
                let onclick = {
                    let on_select = props.on_select.clone();
                    let value = seg.value.clone();
                    Callback::from(move |_: MouseEvent| on_select.emit(value.clone()))
                };
                html! {
                    <button
                        type="button"
                        role="radio"
                        id={format!("{}-{i}", props.id)}
                        class={classes!("segment", checked.then_some("checked"))}
                        aria-checked={if checked { "true" } else { "false" }}
                        {disabled}
                        title={seg.disabled_reason.clone()}
                        {onclick}
                    >
                        { seg.label.clone() }
                    </button>
                }
            }) }
        </div>
    }
}
