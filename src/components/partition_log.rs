//! One partition drawn as a log: records as cells (colour = key), the log
//! start offset and high watermark marked, each consumer's position and
//! processed mark in its own lane above, each group's committed offset and
//! lag in a lane below.

use yew::prelude::*;

use super::in_slot_order;
use super::palette::key_colour;
use crate::i18n::live::LiveText;
use crate::i18n::{Lang, Text};
use crate::redraw::Panel;
use crate::state::SeekPreview;
use crate::view::{ClusterView, Cursors, PartitionView};
use offsetlab_protocol::TopicPartition;

/// How many records a log shows at once; older and newer ones are elided.
pub const WINDOW: i64 = 30;
/// The strip under a log's cells moves in steps this long, so cells keep
/// their places while the window moves within a step.
const STRIP: i64 = 1024;
/// Records kept visible before the lowest cursor, for context.
const CONTEXT: i64 = 3;

#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerLane {
    pub consumer: String,
    pub colour: &'static str,
    pub position: Option<i64>,
    pub processed: Option<i64>,
    /// Owns the partition now; a former owner's cursors are drawn faded.
    pub owner: bool,
    /// Where a seek being prepared would move the position.
    pub seek_to: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupLane {
    pub group: String,
    pub committed: Option<i64>,
    pub lag: Option<i64>,
    /// Where the partition stands while the group rebalances.
    pub rebalancing: Option<LaneRebalance>,
    /// Live: the member that owns the partition is not the gateway's, so
    /// its position and processed mark are unknown.
    pub outside_owner: Option<String>,
}

/// A partition during its group's rebalance. Eager rebalancing revokes
/// everything first, so every partition shows as unowned; cooperative keeps
/// the owners of partitions that stay.
#[derive(Clone, Debug, PartialEq)]
pub enum LaneRebalance {
    /// Still owned, by this member.
    KeptBy(String),
    /// Revoked, waiting for the new assignment.
    Revoked,
    /// The group's first rebalance: nothing was owned, so nothing revoked.
    AwaitingFirst,
}

impl LaneRebalance {
    fn class(&self) -> &'static str {
        match self {
            LaneRebalance::KeptBy(_) => "kept",
            LaneRebalance::Revoked => "revoked",
            LaneRebalance::AwaitingFirst => "awaiting",
        }
    }

    fn badge(&self, lang: Lang) -> String {
        match self {
            LaneRebalance::KeptBy(owner) => format!("⟳ {} {owner}", Text::KeptBy.get(lang)),
            LaneRebalance::Revoked => format!("⟳ {}", Text::RevokedWaiting.get(lang)),
            LaneRebalance::AwaitingFirst => format!("⟳ {}", Text::AwaitingFirstAssignment.get(lang)),
        }
    }
}

/// Everything one log row draws, computed from the view so the component
/// only renders.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub tp: TopicPartition,
    pub partition: PartitionView,
    pub consumers: Vec<ConsumerLane>,
    pub groups: Vec<GroupLane>,
    /// The first offset drawn; the window is `[start, end)`.
    pub start: i64,
    pub end: i64,
}

impl LogRow {
    pub fn build(
        view: &ClusterView,
        tp: &TopicPartition,
        consumer_colours: &dyn Fn(&str) -> &'static str,
        preview: Option<&SeekPreview>,
    ) -> Option<LogRow> {
        let partition = view.partition(tp)?.clone();
        let consumers: Vec<ConsumerLane> = view
            .consumers
            .iter()
            .filter_map(|(id, c)| {
                let seek_to = preview.filter(|p| p.consumer == *id && p.partition == *tp).map(|p| p.offset);
                let cursors = c.cursors.get(tp).copied().or(seek_to.map(|_| Cursors::default()))?;
                Some(ConsumerLane {
                    consumer: id.clone(),
                    colour: consumer_colours(id),
                    position: cursors.position,
                    processed: cursors.processed,
                    owner: c.assignment.contains(tp),
                    seek_to,
                })
            })
            .collect();
        let groups: Vec<GroupLane> = view
            .groups
            .iter()
            .filter_map(|(id, g)| {
                let committed = g.committed.get(tp).copied();
                let rebalancing = g.rebalancing();
                let members = || view.consumers.iter().filter(|(_, c)| c.group.as_deref() == Some(id));
                let subscribed = members().any(|(_, c)| c.subscription.contains(&tp.topic));
                let outside_owner = (g.observed.is_some() && !g.members.is_empty())
                    .then(|| view.group_members(id))
                    .and_then(|rows| rows.into_iter().find(|m| m.outside && m.partitions.contains(tp)))
                    .map(|m| m.consumer);
                if committed.is_none() && !(rebalancing && subscribed) && outside_owner.is_none() {
                    return None;
                }
                let lane_rebalance = || match members().find(|(_, c)| c.assignment.contains(tp)) {
                    Some((owner, _)) => LaneRebalance::KeptBy(owner.clone()),
                    None if g.generation <= 0 && !g.generation_unknown() => LaneRebalance::AwaitingFirst,
                    None => LaneRebalance::Revoked,
                };
                Some(GroupLane {
                    group: id.clone(),
                    committed,
                    lag: view.lag(id, tp),
                    rebalancing: (rebalancing && subscribed).then(lane_rebalance),
                    outside_owner,
                })
            })
            .collect();
        let (start, end) = window(&partition, &consumers, &groups);
        Some(LogRow { tp: tp.clone(), partition, consumers, groups, start, end })
    }
}

/// The window follows the cursors: it starts a little before the lowest
/// cursor and runs to the high watermark, or WINDOW records when that is
/// too far.
pub fn window(partition: &PartitionView, consumers: &[ConsumerLane], groups: &[GroupLane]) -> (i64, i64) {
    let hw = partition.high_watermark();
    let lowest = consumers
        .iter()
        .filter(|c| c.owner)
        .flat_map(|c| [c.position, c.processed, c.seek_to])
        .flatten()
        .chain(groups.iter().filter_map(|g| g.committed))
        .min()
        .unwrap_or(hw)
        .min(hw);
    // Near the end, a full window that ends at the high watermark.
    let start = (lowest - CONTEXT).max(0).min((hw - WINDOW).max(0));
    // Where reading happens comes first: when the cursors span more than
    // the window, the furthest position (or seek target) stays in view and
    // older marks run off the left edge, where their offsets are named and
    // a lag span runs on past it.
    let furthest = consumers.iter().filter(|c| c.owner).flat_map(|c| [c.position, c.seek_to]).flatten().max();
    let start = furthest.map_or(start, |f| start.max(f.min(hw) + 2 - WINDOW)).max(0);
    (start, (start + WINDOW).min(hw))
}

/// A cell's type size class for an offset this long (the style sheet
/// shrinks long offsets to fit the cell).
fn digits_class(offset: i64) -> Option<&'static str> {
    match offset {
        ..=999 => None,
        1_000..=9_999 => Some("digits-4"),
        10_000..=99_999 => Some("digits-5"),
        _ => Some("digits-6"),
    }
}

/// "seek → 12 · replays 7" / "skips 3": what a seek to `to` would do.
pub fn seek_text(position: Option<i64>, to: i64, lang: Lang) -> String {
    match position {
        Some(from) if to < from => format!("→ {to} · {} {}", Text::Replays.get(lang), from - to),
        Some(from) if to > from => format!("→ {to} · {} {}", Text::Skips.get(lang), to - from),
        _ => format!("→ {to}"),
    }
}

#[derive(Properties, PartialEq)]
pub struct PartitionLogProps {
    pub row: LogRow,
    pub lang: Lang,
    pub on_select: Callback<String>,
    /// The key the ordering lens follows: other records are dimmed.
    pub follow: Option<String>,
}

/// Left edge of the gap before `offset`, in cells, as a CSS length.
fn at(offset: i64, start: i64) -> String {
    format!("calc(var(--cell) * {})", offset - start)
}

#[function_component]
pub fn PartitionLog(props: &PartitionLogProps) -> Html {
    let LogRow { tp, partition, consumers, groups, start, end } = &props.row;
    let (start, end) = (*start, *end);
    let t = |text: Text| text.get(props.lang);
    let hw = partition.high_watermark();
    let lso = partition.log_start_offset;
    // Cells sit at fixed places on a strip that moves with the window: a
    // cell keeps its element (keyed by offset modulo the window) for as long
    // as its record is in view, so moving the window rewrites only the cells
    // that enter it; nothing is moved or re-laid out.
    let base = start - start.rem_euclid(STRIP);
    let cells = (start..end).map(|offset| {
        let record = partition.record(offset);
        let key = record.and_then(|r| r.key.as_deref());
        let deleted = offset < lso;
        let title = match record {
            Some(r) => format!(
                "{} {offset} · {} {} · {} {}",
                t(Text::Offset),
                t(Text::Key),
                r.key.as_deref().unwrap_or("null"),
                t(Text::Value),
                r.value
            ),
            None => format!("{} {offset}", t(Text::Offset)),
        };
        let slot = offset.rem_euclid(WINDOW);
        let cell = html! {
            <span key={slot} class={classes!("record", digits_class(offset), deleted.then_some("deleted"), props.follow.as_deref().is_some_and(|f| key != Some(f)).then_some("dim"))}
                  style={format!("left:{};background:{}", at(offset, base), if deleted { "transparent" } else { key_colour(key) })}
                  title={title} data-offset={offset.to_string()}>
                { offset }
            </span>
        };
        (usize::try_from(slot).unwrap_or(0), cell)
    });
    let cells = in_slot_order(cells, usize::try_from(WINDOW).unwrap_or(0));
    let older = start;
    let newer = hw - end;
    // A mark near the window's right end has its label on its left, where
    // it cannot run into the lag figure after the lane.
    let flip = |offset: i64| (offset - start > WINDOW - 5).then_some("flip");
    html! {
        <div class="log-row" data-partition={tp.to_string()} data-in-view={Panel::row_key(tp)}>
            <div class="log-label">
                <strong>{ tp.to_string() }</strong>
                <span class="log-meta">{ format!("{} {lso} · HW {hw}", t(Text::LogStart)) }</span>
            </div>
            <div class="log-body">
                { for consumers.iter().map(|c| html! {
                    <div class={classes!("lane", "consumer-lane", (!c.owner).then_some("former"))}
                         style={format!("--who:{}", c.colour)} data-consumer={c.consumer.clone()}>
                        <button type="button" class="lane-label" title={c.consumer.clone()} onclick={{
                            let id = c.consumer.clone();
                            props.on_select.reform(move |_: MouseEvent| id.clone())
                        }}><span class="id">{ c.consumer.clone() }</span></button>
                        <div class="lane-track">
                            if let Some(p) = c.processed.filter(|p| *p >= start) {
                                <span class="processed-bar" style={format!("width:{}", at(p.min(end), start))}
                                      title={format!("{} {p}", t(Text::Processed))} />
                            }
                            if let Some(p) = c.position.filter(|p| (start..=end).contains(p)) {
                                <span class={classes!("position-mark", flip(p))} style={format!("left:{}", at(p, start))}
                                      title={format!("{} {p}", t(Text::Position))}>
                                    <span class="mark-text">{ format!("{} {p}", t(Text::PositionShort)) }</span>
                                </span>
                            }
                            // Behind the window (another consumer reads further on): said at its left edge.
                            if let Some(p) = c.position.filter(|p| *p < start) {
                                <span class="position-mark off-left" title={format!("{} {p}", t(Text::Position))}>
                                    <span class="mark-text">{ format!("◀ {} {p}", t(Text::PositionShort)) }</span>
                                </span>
                            }
                            if let Some(to) = c.seek_to.filter(|to| (start..=end).contains(to)) {
                                // The preview: where the position lands, and the records
                                // between here and there that are read again or jumped over.
                                if let Some(from) = c.position.filter(|from| *from != to) {
                                    <span class={classes!("seek-span", if to < from { "replay" } else { "skip" })}
                                          style={format!("left:{};width:{}", at(from.min(to).max(start), start), at(from.max(to).min(end), from.min(to).max(start)))} />
                                }
                                <span class="seek-mark" style={format!("left:{}", at(to, start))} data-seek-to={to.to_string()}>
                                    <span class="mark-text">{ seek_text(c.position, to, props.lang) }</span>
                                </span>
                            }
                        </div>
                    </div>
                }) }
                <div class="track">
                    if older > 0 {
                        <span class="elided older" title={format!("{older} {}", t(Text::OlderRecords))}>{ format!("…{older}") }</span>
                    }
                    <div class="cells" style={format!("width:{}", at(end, start))}>
                        <div class="strip" style={format!("transform:translateX(calc(var(--cell) * {}))", base - start)}>
                            { for cells }
                        </div>
                        if newer == 0 {
                            <span class="hw-mark" style={format!("left:{}", at(hw, start))} title={format!("{} {hw}", t(Text::HighWatermark))}>
                                { "HW" }
                            </span>
                        }
                    </div>
                    if newer > 0 {
                        // The high watermark is past the window: say where.
                        <span class="elided" title={format!("{newer} {} · {} {hw}", t(Text::NewerRecords), t(Text::HighWatermark))}>
                            { format!("+{newer} → HW {hw}") }
                        </span>
                    }
                </div>
                { for groups.iter().map(|g| html! {
                    <div class={classes!("lane", "group-lane", g.rebalancing.as_ref().map(LaneRebalance::class))}
                         data-group={g.group.clone()}>
                        // A long name is cut short in the lane; the whole one shows on hover.
                        <span class="lane-label" title={g.group.clone()}>{ g.group.clone() }</span>
                        <div class="lane-track">
                            if let Some(c) = g.committed.filter(|c| (start..=end).contains(c)) {
                                <span class="lag-span" style={format!("left:{};width:{}", at(c, start), at(hw.min(end), c))} />
                                <span class={classes!("committed-mark", flip(c))} style={format!("left:{}", at(c, start))}
                                      title={format!("{} {c}", t(Text::CommittedOffset))}>
                                    <span class="mark-text">{ format!("{} {c}", t(Text::CommittedShort)) }</span>
                                </span>
                            }
                            // Committed before the window: the lag runs on past its left edge.
                            if let Some(c) = g.committed.filter(|c| *c < start) {
                                <span class="lag-span" style={format!("left:0;width:{}", at(hw.min(end), start))} />
                                <span class="committed-mark off-left" title={format!("{} {c}", t(Text::CommittedOffset))}>
                                    <span class="mark-text">{ format!("◀ {} {c}", t(Text::CommittedShort)) }</span>
                                </span>
                            }
                            if let Some(r) = &g.rebalancing {
                                <span class="rebalance-badge">{ r.badge(props.lang) }</span>
                            }
                        </div>
                        if let Some(owner) = &g.outside_owner {
                            <span class="cursors-unknown" title={LiveText::CursorsUnknown.get(props.lang)}>
                                { format!("{owner}: {} {}", t(Text::PositionShort), LiveText::Unknown.get(props.lang)) }
                            </span>
                        }
                        if let Some(lag) = g.lag {
                            <span class="lag-text">{ format!("{} {lag}", t(Text::Lag)) }</span>
                        }
                    </div>
                }) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::RecordView;

    fn partition(n: u64) -> PartitionView {
        let mut records = crate::append_log::AppendLog::default();
        records.extend((0..n).map(|seq| RecordView { key: None, value: "v".into(), produced_at_ms: 0, seq }));
        PartitionView { records, ..PartitionView::default() }
    }

    fn lane(position: i64) -> ConsumerLane {
        ConsumerLane {
            consumer: "c1".into(),
            colour: "#000",
            position: Some(position),
            processed: None,
            owner: true,
            seek_to: None,
        }
    }

    #[test]
    fn short_logs_show_everything() {
        assert_eq!(window(&partition(10), &[lane(4)], &[]), (0, 10));
    }

    #[test]
    fn long_logs_follow_the_lowest_cursor() {
        // A consumer far behind the high watermark: the window starts just
        // before it and elides the newest records.
        assert_eq!(window(&partition(1000), &[lane(500)], &[]), (497, 527));
        // Near the end, the window ends at the high watermark.
        assert_eq!(window(&partition(1000), &[lane(990)], &[]), (970, 1000));
        // With no cursors, the newest records show.
        assert_eq!(window(&partition(1000), &[], &[]), (970, 1000));
        // A committed offset a little behind the position pulls the window back.
        let near = GroupLane {
            group: "g".into(),
            committed: Some(975),
            lag: Some(25),
            rebalancing: None,
            outside_owner: None,
        };
        assert_eq!(window(&partition(1000), &[lane(990)], std::slice::from_ref(&near)), (970, 1000));
        let close = GroupLane { committed: Some(500), ..near.clone() };
        assert_eq!(window(&partition(1000), &[lane(510)], &[close]), (497, 527));
        // One far behind does not push the position out of view.
        let far = GroupLane { committed: Some(100), ..near };
        let (start, end) = window(&partition(1000), &[lane(600)], &[far]);
        assert!((start..end).contains(&600), "({start}, {end})");
        assert_eq!((start, end), (572, 602));
    }
}
