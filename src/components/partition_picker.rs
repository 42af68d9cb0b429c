//! Checkboxes for every partition of every topic, grouped by topic: how a
//! person picks partitions for `assign()`, in the consumer panel and in the
//! add-consumer form alike.

use std::collections::BTreeSet;

use offsetlab_protocol::TopicPartition;
use yew::prelude::*;

use crate::view::ClusterView;

/// `on_toggle(tp)` gives the callback for one checkbox.
pub fn partition_checks(
    view: &ClusterView,
    id: &'static str,
    chosen: &BTreeSet<TopicPartition>,
    disabled: bool,
    on_toggle: impl Fn(TopicPartition) -> Callback<Event>,
) -> Html {
    html! {
        <div {id} class="cp-checks">
            { for view.topics.iter().map(|(topic, tv)| html! {
                <fieldset>
                    <legend>{ topic.clone() }</legend>
                    { for (0..tv.partitions.len()).filter_map(|p| i32::try_from(p).ok()).map(|p| {
                        let tp = TopicPartition::new(topic.clone(), p);
                        html! {
                            <label class="cp-check">
                                <input type="checkbox" data-tp={tp.to_string()}
                                    checked={chosen.contains(&tp)}
                                    {disabled}
                                    onchange={on_toggle(tp.clone())} />
                                { tp.to_string() }
                            </label>
                        }
                    }) }
                </fieldset>
            }) }
        </div>
    }
}
