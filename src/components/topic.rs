//! A topic: its partitions as logs. Topics with many partitions show one
//! page of logs at a time, under an overview strip of every partition
//! shaded by its highest lag, so a 256-partition topic stays readable and
//! cheap to draw.

use yew::prelude::*;

use super::partition_log::{LogRow, PartitionLog};
use crate::i18n::{Lang, Text};

/// Partitions drawn in detail at once.
pub const PAGE: usize = 16;

#[derive(Properties, PartialEq)]
pub struct TopicProps {
    pub lang: Lang,
    pub name: String,
    /// The partitions of the current page, in order.
    pub rows: Vec<LogRow>,
    /// Highest lag over all groups, per partition (all partitions).
    pub lags: Vec<i64>,
    pub page: usize,
    pub on_page: Callback<(String, usize)>,
    pub on_select: Callback<String>,
    pub follow: Option<String>,
}

fn shade(lag: i64) -> &'static str {
    match lag {
        ..=0 => "lag-0",
        1..=9 => "lag-1",
        10..=99 => "lag-2",
        _ => "lag-3",
    }
}

#[derive(Properties, PartialEq)]
struct OverviewProps {
    lang: Lang,
    name: String,
    lags: Vec<i64>,
    page: usize,
    on_page: Callback<(String, usize)>,
}

/// A square per partition, shaded by its highest lag; a click shows its
/// page. Its own component: it is redrawn only when a lag or the page
/// changes, and one listener serves every square.
#[function_component]
fn Overview(props: &OverviewProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    // The square under the pointer (or its partition number).
    fn square(e: &MouseEvent) -> Option<(web_sys::Element, usize)> {
        let square = e.target_dyn_into::<web_sys::Element>()?;
        let p = square.get_attribute("data-p")?.parse().ok()?;
        Some((square, p))
    }
    let onclick = {
        let (name, on_page) = (props.name.clone(), props.on_page.clone());
        Callback::from(move |e: MouseEvent| {
            // Between the squares is no partition.
            if let Some((_, p)) = square(&e) {
                on_page.emit((name.clone(), p / PAGE));
            }
        })
    };
    // A square's lag is written into its tooltip when the pointer reaches
    // it: lags change on every redraw under load, and rewriting 256 titles
    // each time would be most of this strip's cost.
    let onmouseover = {
        let (name, lags, lag) = (props.name.clone(), props.lags.clone(), t(Text::Lag));
        Callback::from(move |e: MouseEvent| {
            if let Some((square, p)) = square(&e) {
                let lag_now = lags.get(p).copied().unwrap_or(0);
                // A failed write leaves the square without a tooltip: nothing to report.
                let _ = square.set_attribute("title", &format!("{name}-{p} · {lag} {lag_now}"));
            }
        })
    };
    html! {
        <div class="overview" role="group" aria-label={t(Text::PartitionOverview)} {onclick} {onmouseover}>
            { for props.lags.iter().enumerate().map(|(p, &lag)| html! {
                <button type="button" data-p={p.to_string()} aria-label={format!("{}-{p}", props.name)}
                    class={classes!("ov", shade(lag), (p / PAGE == props.page).then_some("shown"))} />
            }) }
        </div>
    }
}

#[function_component]
pub fn Topic(props: &TopicProps) -> Html {
    let t = |text: Text| text.get(props.lang);
    let count = props.lags.len();
    let pages = count.div_ceil(PAGE).max(1);
    let first = props.page * PAGE;
    let last = (first + PAGE).min(count).saturating_sub(1);
    let go = |page: usize| {
        let name = props.name.clone();
        props.on_page.reform(move |_: MouseEvent| (name.clone(), page))
    };
    html! {
        <section class="topic" data-topic={props.name.clone()}>
            <h3>{ props.name.clone() }</h3>
            if pages > 1 {
                <Overview lang={props.lang} name={props.name.clone()} lags={props.lags.clone()} page={props.page} on_page={props.on_page.clone()} />
                <div class="pager">
                    <button type="button" class="page-prev" disabled={props.page == 0} onclick={go(props.page.saturating_sub(1))}>{ "‹" }</button>
                    <span>{ format!("{} {first}–{last} / {count}", t(Text::PartitionsShown)) }</span>
                    <button type="button" class="page-next" disabled={props.page + 1 >= pages} onclick={go(props.page + 1)}>{ "›" }</button>
                </div>
            }
            { for props.rows.iter().cloned().map(|row| html! {
                <PartitionLog {row} lang={props.lang} on_select={props.on_select.clone()} follow={props.follow.clone()} />
            }) }
        </section>
    }
}
