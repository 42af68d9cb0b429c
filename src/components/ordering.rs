//! The ordering lens (chapter 5.4): the order records were produced in,
//! next to the order each consumer processed them. Within a partition the
//! order always holds; across partitions it does not, unless there is one.

use std::collections::BTreeMap;
use std::rc::Rc;

use offsetlab_protocol::TopicPartition;
use yew::prelude::*;

use super::palette::key_colour;
use crate::i18n::{Lang, Text};
use crate::view::{ClusterView, ConsumerView};

/// Chips shown per row: the most recent ones.
const SHOWN: usize = 36;

/// How one consumer's processing order compares with the produce order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderVerdict {
    /// Records it processed for the first time.
    pub first_deliveries: usize,
    /// Within each partition, offsets only went up (on first delivery).
    pub in_partition_order: bool,
    /// Index (in its first deliveries) of the first record processed
    /// before one that was produced earlier; `None` = produce order kept.
    pub first_overtake: Option<usize>,
}

/// Compares a consumer's first deliveries with the global produce order.
pub fn verdict(view: &ClusterView, c: &ConsumerView) -> OrderVerdict {
    let produced_at: BTreeMap<(&TopicPartition, i64), usize> = view
        .produced
        .iter()
        .enumerate()
        .map(|(i, (tp, o))| ((tp, *o), i))
        .collect();
    let mut last_in_partition: BTreeMap<&TopicPartition, i64> = BTreeMap::new();
    let mut in_partition_order = true;
    let mut highest = None;
    let mut first_overtake = None;
    let mut first_deliveries = 0;
    for p in c.processed.iter().filter(|p| !p.redelivered) {
        if let Some(&last) = last_in_partition.get(&p.partition) {
            in_partition_order &= p.offset > last;
        }
        last_in_partition.insert(&p.partition, p.offset);
        if let Some(&index) = produced_at.get(&(&p.partition, p.offset)) {
            if highest.is_some_and(|h| index < h) && first_overtake.is_none() {
                first_overtake = Some(first_deliveries);
            }
            highest = highest.max(Some(index));
        }
        first_deliveries += 1;
    }
    OrderVerdict {
        first_deliveries,
        in_partition_order,
        first_overtake,
    }
}

#[derive(Properties, PartialEq)]
pub struct OrderingProps {
    pub lang: Lang,
    pub view: Rc<ClusterView>,
    pub follow: Option<String>,
    pub on_follow: Callback<Option<String>>,
}

fn chip(
    view: &ClusterView,
    tp: &TopicPartition,
    offset: i64,
    follow: Option<&str>,
    duplicate: bool,
) -> Html {
    let key = view
        .partition(tp)
        .and_then(|p| p.record(offset))
        .and_then(|r| r.key.clone());
    let dim = follow.is_some_and(|f| key.as_deref() != Some(f));
    let label = key.as_deref().unwrap_or("∅").to_string();
    html! {
        <span class={classes!("order-chip", dim.then_some("dim"), duplicate.then_some("duplicate"))}
              style={format!("background:{}", key_colour(key.as_deref()))}
              title={format!("{tp} @{offset}{}", if duplicate { " (duplicate)" } else { "" })}>
            { label }<sub>{ tp.partition }</sub>
        </span>
    }
}

#[function_component]
pub fn Ordering(props: &OrderingProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let view = &props.view;
    let follow = props.follow.as_deref();
    let keys: std::collections::BTreeSet<String> = view
        .produced
        .iter()
        .filter_map(|(tp, o)| {
            view.partition(tp)?
                .record(*o)?
                .key
                .as_deref()
                .map(String::from)
        })
        .collect();
    let on_change = props.on_follow.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        Some(select.value()).filter(|v| !v.is_empty())
    });
    let produced = view
        .produced
        .iter()
        .rev()
        .take(SHOWN)
        .rev()
        .map(|(tp, o)| chip(view, tp, *o, follow, false));
    let consumers = view.consumers.iter().filter(|(_, c)| !c.processed.is_empty()).map(|(id, c)| {
        let v = verdict(view, c);
        let across = match v.first_overtake {
            None => t(Text::OrderKept).to_string(),
            Some(i) => format!("{} #{}", t(Text::OrderDiffers), i + 1),
        };
        let within = if v.in_partition_order { t(Text::PartitionOrderKept) } else { t(Text::PartitionOrderBroken) };
        let chips = c.processed.iter().rev().take(SHOWN).rev().map(|p| chip(view, &p.partition, p.offset, follow, p.redelivered));
        html! {
            <div class="order-row" data-consumer={id.clone()} data-in-order={v.first_overtake.is_none().to_string()}>
                <span class="order-label">{ id.clone() }</span>
                <span class="order-chips">{ for chips }</span>
                <span class="order-verdict">{ format!("{within} · {across}") }</span>
            </div>
        }
    });
    html! {
        <section class="panel ordering" id="ordering">
            <header>
                <h2>{ t(Text::OrderingLens) }</h2>
                <label>
                    { t(Text::FollowKey) }
                    <select id="follow-key" onchange={on_change}>
                        <option value="" selected={follow.is_none()}>{ t(Text::AllKeys) }</option>
                        { for keys.iter().map(|k| html! { <option value={k.clone()} selected={follow == Some(k.as_str())}>{ k.clone() }</option> }) }
                    </select>
                </label>
            </header>
            <div class="order-row produced">
                <span class="order-label">{ t(Text::ProducedOrder) }</span>
                <span class="order-chips">{ for produced }</span>
            </div>
            { for consumers }
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
            let (id, c) = view
                .consumers
                .iter()
                .find(|(_, c)| !c.processed.is_empty())
                .unwrap();
            let v = verdict(view, c);
            assert!(
                v.first_deliveries > 5,
                "{name}: {id} processed {}",
                v.first_deliveries
            );
            assert!(
                v.in_partition_order,
                "{name}: order within a partition always holds"
            );
            assert_eq!(v.first_overtake.is_none(), kept, "{name}: {v:?}");
        }
    }
}
