//! Consumer groups and their members: state, generation, protocol, assignor,
//! who owns which partitions, heartbeats and the session countdown, idle
//! members, duplicate and loss counters, and the rebalance history.

use std::rc::Rc;

use yew::prelude::*;

use super::palette::consumer_colour;
use crate::i18n::live::LiveText;
use crate::i18n::{Lang, Text, one_decimal};
use crate::redraw::Panel;
use crate::view::{ClusterView, ConsumerStatus, ConsumerView, GroupView, group_state_named};
use offsetlab_protocol::{GroupState, RebalanceProtocol, TopicPartition};

#[derive(Properties, PartialEq)]
pub struct GroupsProps {
    pub view: Rc<ClusterView>,
    pub lang: Lang,
    /// A click on a consumer opens its panel.
    pub on_select: Callback<String>,
}

pub fn group_state_text(state: GroupState, lang: Lang) -> &'static str {
    match state {
        GroupState::Empty => Text::StateEmpty.get(lang),
        GroupState::PreparingRebalance => Text::StatePreparingRebalance.get(lang),
        GroupState::CompletingRebalance => Text::StateCompletingRebalance.get(lang),
        GroupState::Stable => Text::StateStable.get(lang),
        GroupState::Dead => Text::StateDead.get(lang),
    }
}

/// Partitions as chips, consecutive ones of a topic folded into a range
/// (`load-0–31`), so a member with 32 partitions is one chip, not 32.
pub fn partition_chips(partitions: &[TopicPartition]) -> Vec<Html> {
    let mut ranges: Vec<(&str, i32, i32)> = Vec::new();
    for tp in partitions {
        match ranges.last_mut() {
            Some((topic, _, last)) if *topic == tp.topic && *last + 1 == tp.partition => *last = tp.partition,
            _ => ranges.push((&tp.topic, tp.partition, tp.partition)),
        }
    }
    ranges
        .into_iter()
        .map(|(topic, first, last)| {
            let label =
                if first == last { format!("{topic}-{first}") } else { format!("{topic}-{first}–{last}") };
            html! { <span class="chip tp-chip">{ label }</span> }
        })
        .collect()
}

/// How long the "assign" phase stays lit after a rebalance completes.
const ASSIGN_SHOWN_MS: u64 = 1500;

/// Where a rebalance is: 0 revoke, 1 JoinGroup, 2 SyncGroup, 3 assign;
/// and whether anything was revoked in it (nothing is in a first join, or in
/// a cooperative rebalance where nothing moves).
pub fn rebalance_phase(g: &GroupView, now_ms: u64) -> Option<(usize, bool)> {
    let last = g.rebalances.last()?;
    let revoked = !last.revoked.is_empty();
    match g.state {
        GroupState::PreparingRebalance => Some((1, revoked)),
        GroupState::CompletingRebalance => Some((2, revoked)),
        GroupState::Stable
            if last.completed_ms.is_some_and(|done| now_ms.saturating_sub(done) < ASSIGN_SHOWN_MS) =>
        {
            Some((3, revoked))
        }
        _ => None,
    }
}

fn seconds(ms: u64) -> String {
    format!("{} s", one_decimal(ms as f64 / 1000.0))
}

fn consumer_chip(id: &str, c: Option<&ConsumerView>, on_select: &Callback<String>) -> Html {
    let colour = consumer_colour(c.map_or(0, |c| c.ordinal as usize));
    let onclick = {
        let id = id.to_string();
        on_select.reform(move |_: MouseEvent| id.clone())
    };
    html! {
        <button type="button" class="chip consumer-chip" style={format!("--who:{colour}")} {onclick}>{ id }</button>
    }
}

#[function_component]
pub fn Groups(props: &GroupsProps) -> Html {
    let view = &props.view;
    let lang = props.lang;
    let t = |text: Text| text.get(lang);
    let now = view.now_ms;
    let groups = view.groups.iter().map(|(id, g)| {
        let protocol = match g.protocol {
            Some(RebalanceProtocol::Eager) => t(Text::Eager),
            Some(RebalanceProtocol::Cooperative) => t(Text::Cooperative),
            None => "–",
        };
        let rebalancing = g.rebalancing();
        let unknown = LiveText::Unknown.get(lang);
        // Live: the coordinator's own word for a state the model lacks.
        let state = match &g.observed {
            Some(o) if group_state_named(&o.state).is_none() => o.state.clone(),
            _ => group_state_text(g.state, lang).to_string(),
        };
        let members_unknown = g.observed.as_ref().is_some_and(|o| o.members_unknown);
        // The broker listed no one, but the gateway's own members are known.
        let rows = view.group_members(id);
        let members_unknown_text = if rows.is_empty() {
            LiveText::MembersUnknown
        } else {
            LiveText::OtherMembersUnknown
        };
        let phases = rebalance_phase(g, now).map(|(current, revoked)| {
            let names = [Text::PhaseRevoke, Text::PhaseJoin, Text::PhaseSync, Text::PhaseAssign];
            html! {
                <div class="phases" aria-label={t(Text::RebalanceHistory)}>
                    { for names.iter().enumerate().map(|(i, name)| {
                        let class = if i == current { "now" } else if i < current && (i > 0 || revoked) { "done" } else { "" };
                        html! { <span class={classes!("phase", class)}>{ t(*name) }</span> }
                    }) }
                </div>
            }
        });
        // Live, the gateway's own consumers are known from their events;
        // only what neither they nor the broker said is unknown.
        let members = rows.iter().map(|m| {
            let c = view.consumers.get(&m.consumer);
            let beat = c.and_then(|c| c.last_heartbeat_ms).is_some_and(|at| now.saturating_sub(at) < 400);
            let session = c.and_then(|c| c.session_left_ms(now));
            // Live, a member the gateway does not own: the broker tells who it
            // is and what it owns, never where it reads.
            let outside = m.outside;
            // Without partitions in a rebalance, a member waits for its
            // assignment; idle is for a member the assignment left out.
            let without = m.partitions.is_empty() && !m.assignment_unknown;
            let idle = without && !rebalancing;
            html! {
                <li class={classes!("member", idle.then_some("idle"), outside.then_some("outside"))}
                    title={m.member_id.clone()} data-consumer={m.consumer.clone()}
                    data-generation={m.generation.map(|g| g.to_string())}>
                    if outside {
                        <span class="chip consumer-chip">{ m.consumer.clone() }</span>
                    } else {
                        { consumer_chip(&m.consumer, c.map(|c| &**c), &props.on_select) }
                    }
                    <span class={classes!("heartbeat", beat.then_some("beat"))} title={t(Text::Heartbeat)}>{ "♥" }</span>
                    if let Some(left) = session {
                        <span class="session" title={t(Text::SessionTimeoutHelp)}>{ format!("{} {}", t(Text::Session), seconds(left)) }</span>
                    }
                    <span class="member-partitions">
                        if idle {
                            <span class="idle-badge">{ t(Text::Idle) }</span>
                        } else if without {
                            <span class="idle-badge awaiting">{ t(Text::AwaitingAssignment) }</span>
                        }
                        if m.assignment_unknown {
                            <span class="idle-badge unknown">{ LiveText::AssignmentUnknown.get(lang) }</span>
                        }
                        { for partition_chips(&m.partitions) }
                    </span>
                    if outside {
                        <span class="cursors-unknown cp-note" title={LiveText::CursorsUnknown.get(lang)}>{ LiveText::CursorsUnknown.get(lang) }</span>
                    }
                </li>
            }
        });
        let history = g.rebalances.iter().rev().take(6).map(|r| {
            let when = match r.completed_ms {
                Some(done) => format!("{} → {}", seconds(r.started_ms), seconds(done)),
                None => format!("{} …", seconds(r.started_ms)),
            };
            html! {
                <li>
                    <strong>{ format!("{} {}", t(Text::Generation), r.generation) }</strong>
                    { format!(" · {} · {when}", r.reason) }
                    if !r.revoked.is_empty() {
                        <span class="revoked">{ format!(" · {} {}", t(Text::Revoked), r.revoked.iter().map(|(_, ps)| ps.len()).sum::<usize>()) }</span>
                    }
                </li>
            }
        });
        html! {
            <section class={classes!("group", rebalancing.then_some("rebalancing"))} data-group={id.clone()}>
                <header>
                    <h3>{ id.clone() }</h3>
                    <span class={classes!("state", format!("state-{}", g.state.name()).to_ascii_lowercase())}>{ state }</span>
                </header>
                <dl class="group-facts">
                    <dt>{ t(Text::Generation) }</dt>
                    <dd class="generation">{ view.group_generation(id).map_or_else(|| unknown.to_string(), |g| g.to_string()) }</dd>
                    <dt>{ t(Text::Protocol) }</dt><dd>{ protocol }</dd>
                    <dt>{ t(Text::Assignor) }</dt>
                    // Live, a broker that does not say (nisshi): what the
                    // gateway's own members are configured with, marked so.
                    if let (None, Some(configured)) = (&g.assignor, g.observed.as_ref().and_then(|_| view.configured_assignor(id))) {
                        <dd class="assignor assignor-configured" title={LiveText::AssignorConfiguredHelp.get(lang)}>
                            { format!("{configured} ({})", LiveText::AssignorConfigured.get(lang)) }
                        </dd>
                    } else {
                        <dd class="assignor">{ g.assignor.clone().unwrap_or_else(|| "–".into()) }</dd>
                    }
                    <dt>{ t(Text::Duplicates) }</dt><dd class="duplicates" data-count={g.duplicates.to_string()}>{ g.duplicates }</dd>
                    <dt>{ t(Text::Lost) }</dt><dd class="lost" data-count={g.lost.to_string()}>{ g.lost }</dd>
                </dl>
                { for phases }
                if members_unknown {
                    <p class="cp-note members-unknown">{ members_unknown_text.get(lang) }</p>
                }
                <ul class="members">{ for members }</ul>
                if !g.rebalances.is_empty() {
                    <details class="rebalances">
                        <summary>{ format!("{} ({})", t(Text::RebalanceHistory), g.rebalances.len()) }</summary>
                        <ol>{ for history }</ol>
                    </details>
                }
            </section>
        }
    });
    let loners = view.consumers.iter().filter(|(_, c)| c.group.is_none() || c.manual_assignment).map(|(id, c)| {
        let status = match c.status {
            ConsumerStatus::Running => t(Text::Running),
            ConsumerStatus::Crashed => t(Text::Crashed),
            ConsumerStatus::Closed => t(Text::Closed),
            ConsumerStatus::Failed => t(Text::Failed),
        };
        html! {
            <li class="member" data-consumer={id.clone()}>
                { consumer_chip(id, Some(c), &props.on_select) }
                <span class="status">{ format!("assign() · {status}") }</span>
                { for c.assignment.iter().map(|tp| html! { <span class="chip tp-chip">{ tp.to_string() }</span> }) }
            </li>
        }
    });
    html! {
        <aside class="groups" data-in-view={Panel::Groups.key()}>
            <h2>{ t(Text::ConsumerGroups) }</h2>
            { for groups }
            if view.consumers.values().any(|c| c.group.is_none() || c.manual_assignment) {
                <section class="group">
                    <header><h3>{ t(Text::ManualAssignment) }</h3></header>
                    <ul class="members">{ for loners }</ul>
                </section>
            }
        </aside>
    }
}
