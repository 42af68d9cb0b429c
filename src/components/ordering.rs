//! The ordering lens (chapter 5.4): the order records were produced in,
//! next to the order each consumer processed them. Within a partition the
//! order always holds; across partitions it does not, unless there is one.

use std::rc::Rc;

use std::collections::BTreeSet;

use offsetlab_protocol::{Key, TopicPartition};
use yew::prelude::*;

use super::in_slot_order;
use super::palette::key_colour;
use crate::i18n::{Lang, Text};
use crate::redraw::Panel;
use crate::view::ClusterView;

/// Chips shown per row: the most recent ones.
const SHOWN: usize = 36;
/// Consumer rows shown at once.
const ROWS: usize = 6;

#[derive(Properties, PartialEq)]
pub struct OrderingProps {
    pub lang: Lang,
    pub view: Rc<ClusterView>,
    /// The consumer whose panel is open: its row comes first.
    pub selected: Option<String>,
    pub follow: Option<String>,
    pub on_follow: Callback<Option<String>>,
}

#[derive(Properties, PartialEq)]
pub struct KeyPickerProps {
    pub lang: Lang,
    /// Shared with the view; unchanged (same Rc) until a new key appears,
    /// so the list is not redrawn on every tick.
    pub keys: Rc<BTreeSet<Key>>,
    pub follow: Option<String>,
    pub on_follow: Callback<Option<String>>,
}

#[function_component]
pub fn KeyPicker(props: &KeyPickerProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let follow = props.follow.as_deref();
    let on_change = props.on_follow.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        Some(select.value()).filter(|v| !v.is_empty())
    });
    html! {
        <label>
            { t(Text::FollowKey) }
            <select id="follow-key" onchange={on_change}>
                <option value="" selected={follow.is_none()}>{ t(Text::AllKeys) }</option>
                { for props.keys.iter().map(|k| html! { <option value={k.to_string()} selected={follow == Some(&**k)}>{ k.to_string() }</option> }) }
            </select>
        </label>
    }
}

/// One record in an order row. `index` is its place in the row's list: a
/// chip keeps its element (keyed by `index` modulo the row's length) while
/// it stays in view and is placed by CSS `order`, so a row that moves on
/// rewrites only the chips that enter it, and moves no element.
fn chip(
    view: &ClusterView,
    (index, first): (usize, usize),
    tp: &TopicPartition,
    offset: i64,
    follow: Option<&str>,
    duplicate: bool,
) -> (usize, Html) {
    let key = view.partition(tp).and_then(|p| p.record(offset)).and_then(|r| r.key.clone());
    let dim = follow.is_some_and(|f| key.as_deref() != Some(f));
    let label = key.as_deref().unwrap_or("∅").to_string();
    let slot = index % SHOWN;
    let chip = html! {
        // The partition number is drawn from `data-p` by the style sheet.
        <span key={slot} class={classes!("order-chip", dim.then_some("dim"), duplicate.then_some("duplicate"))}
              style={format!("order:{};background:{}", index - first, key_colour(key.as_deref()))}
              data-p={tp.partition.to_string()}
              title={format!("{tp} @{offset}{}", if duplicate { " (duplicate)" } else { "" })}>
            { label }
        </span>
    };
    (slot, chip)
}

#[function_component]
pub fn Ordering(props: &OrderingProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let view = &props.view;
    let follow = props.follow.as_deref();
    let keys = &view.keys;
    let first = view.produced.len().saturating_sub(SHOWN);
    let produced = in_slot_order(
        view.produced.tail(SHOWN).map(|(i, (tp, o))| chip(view, (i, first), tp, *o, follow, false)),
        SHOWN,
    );
    // A few rows keep the lens readable (and cheap with 32 consumers): the
    // selected consumer first, then the others in order.
    let mut readers: Vec<_> = view.consumers.iter().filter(|(_, c)| !c.processed.is_empty()).collect();
    offsetlab_model::sort::sort_by_key(&mut readers, |(id, _)| {
        props.selected.as_deref() != Some(id.as_str())
    });
    let hidden = readers.len().saturating_sub(ROWS);
    let consumers = readers.into_iter().take(ROWS).map(|(id, c)| {
        let v = &c.order;
        let across = match v.first_overtake {
            None => t(Text::OrderKept).to_string(),
            Some(i) => format!("{} #{}", t(Text::OrderDiffers), i + 1),
        };
        let within = if v.in_partition_order { t(Text::PartitionOrderKept) } else { t(Text::PartitionOrderBroken) };
        let first = c.processed.len().saturating_sub(SHOWN);
        let chips = in_slot_order(
            c.processed.tail(SHOWN).map(|(i, p)| chip(view, (i, first), &p.partition, p.offset, follow, p.redelivered)),
            SHOWN,
        );
        html! {
            <div class="order-row" data-consumer={id.clone()} data-in-order={v.first_overtake.is_none().to_string()}>
                <span class="order-label">{ id.clone() }</span>
                <span class="order-chips">{ for chips }</span>
                <span class="order-verdict">{ format!("{within} · {across}") }</span>
            </div>
        }
    });
    html! {
        <section class="panel ordering" id="ordering" data-in-view={Panel::Ordering.key()}>
            <header>
                <h2>{ t(Text::OrderingLens) }</h2>
                <KeyPicker lang={props.lang} keys={keys.clone()} follow={props.follow.clone()} on_follow={props.on_follow.clone()} />
            </header>
            <div class="order-row produced">
                <span class="order-label">{ t(Text::ProducedOrder) }</span>
                <span class="order-chips">{ for produced }</span>
            </div>
            { for consumers }
            if hidden > 0 {
                <p class="order-more">{ format!("+{hidden} {}", t(Text::MoreConsumers)) }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::sim::Sim;

    fn run(id: &str, until_ms: u64) -> ClusterView {
        let mut sim = Sim::new(crate::scenarios::text(id).unwrap()).unwrap();
        ClusterView::fold(&sim.advance_to(until_ms).events)
    }

    #[test]
    fn one_partition_keeps_produce_order_three_do_not() {
        let one = run("ordering-1-partition", 20_000);
        let three = run("ordering-3-partitions", 20_000);
        for (name, view, kept) in [("1 partition", &one, true), ("3 partitions", &three, false)] {
            let (id, c) = view.consumers.iter().find(|(_, c)| !c.processed.is_empty()).unwrap();
            let v = &c.order;
            assert!(v.first_deliveries > 5, "{name}: {id} processed {}", v.first_deliveries);
            assert!(v.in_partition_order, "{name}: order within a partition always holds");
            assert_eq!(v.first_overtake.is_none(), kept, "{name}: {v:?}");
        }
    }
}
