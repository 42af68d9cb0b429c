//! Guided scenarios: the `[guide]` table of a scenario file (see
//! SCENARIOS.md) and the checker for its expectations.
//!
//! A guide asks a question, answers it in a short explanation, and walks
//! through moments of the run ([`GuideStep`]): a time to jump to, what to
//! look at then, and optionally an [`Expectation`], an outcome at that
//! moment that [`check_expectation`] verifies against the model. Tests run
//! every built-in scenario's guide and assert each expectation, so a
//! scenario cannot drift away from what it says it teaches.

use std::collections::BTreeMap;
use std::fmt;

use offsetlab_protocol::{GroupState, TopicPartition};

use crate::model::{ConsumerStatus, Model};
use crate::scenario::{SourceLine, quote};
use crate::stats::ConsumerError;

/// The `[guide]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guide {
    /// The question the scenario answers.
    pub question: String,
    pub question_ko: Option<String>,
    /// A short paragraph that answers it.
    pub explanation: String,
    pub explanation_ko: Option<String>,
    /// `[[guide.steps]]`, in time order.
    pub steps: Vec<GuideStep>,
}

/// One `[[guide.steps]]` entry: a moment worth looking at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuideStep {
    /// The moment to jump to: the state after everything the run does at
    /// this millisecond (what the UI shows when its clock reads `at_ms`).
    pub at_ms: u64,
    /// What to look at then.
    pub text: String,
    pub text_ko: Option<String>,
    /// What must be true then (tests assert it).
    pub expect: Option<Expectation>,
    pub line: SourceLine,
}

fn pick<'a>(en: &'a str, ko: Option<&'a str>, korean: bool) -> &'a str {
    match ko {
        Some(ko) if korean => ko,
        _ => en,
    }
}

impl Guide {
    /// The question in Korean when asked for and given, else in English.
    pub fn question_in(&self, korean: bool) -> &str {
        pick(&self.question, self.question_ko.as_deref(), korean)
    }

    pub fn explanation_in(&self, korean: bool) -> &str {
        pick(&self.explanation, self.explanation_ko.as_deref(), korean)
    }
}

impl GuideStep {
    pub fn text_in(&self, korean: bool) -> &str {
        pick(&self.text, self.text_ko.as_deref(), korean)
    }
}

/// What an expectation is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExpectTarget {
    /// `group = "id"`: a consumer group (as its coordinator sees it).
    Group(String),
    /// `consumer = "id"`: a consumer (its view, and its totals over the run).
    Consumer(String),
}

impl ExpectTarget {
    pub fn kind(&self) -> TargetKind {
        match self {
            ExpectTarget::Group(_) => TargetKind::Group,
            ExpectTarget::Consumer(_) => TargetKind::Consumer,
        }
    }
}

impl fmt::Display for ExpectTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectTarget::Group(g) => write!(f, "group \"{g}\""),
            ExpectTarget::Consumer(c) => write!(f, "consumer \"{c}\""),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Group,
    Consumer,
}

impl TargetKind {
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Group => "group",
            TargetKind::Consumer => "consumer",
        }
    }
}

/// A number an expectation can bound (`name`, `name_at_least`, `name_at_most`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Count {
    // Groups.
    /// The group's generation (one more per completed rebalance).
    Generation,
    /// Members the coordinator has.
    Members,
    /// Members with no partitions assigned.
    IdleMembers,
    /// Total lag: per partition the group reads or committed, high
    /// watermark − committed offset (log start offset without a commit).
    Lag,
    /// Records skipped on purpose (`auto.offset.reset = latest`, seek forward).
    Skipped,
    /// Records the group never processed and will not (see `accounting`).
    Lost,
    // Groups and consumers.
    /// Group: distinct records processed at least once. Consumer: records
    /// it processed, redeliveries included.
    Processed,
    /// Processings of records processed before (by the group; for a
    /// consumer, the ones it did).
    Duplicates,
    // Consumers.
    /// Fetch responses received.
    Fetches,
    /// Records in its largest fetch response.
    LargestFetch,
    /// Longest time the broker held one of its fetches, in ms.
    LongestFetchWaitMs,
    /// `poll()` calls that returned records.
    Polls,
    /// Records its largest `poll()` returned.
    LargestPoll,
    /// Partitions it gave up in rebalances, added up over the run.
    Revoked,
}

impl Count {
    pub const ALL: [Count; 14] = [
        Count::Generation,
        Count::Members,
        Count::IdleMembers,
        Count::Lag,
        Count::Skipped,
        Count::Lost,
        Count::Processed,
        Count::Duplicates,
        Count::Fetches,
        Count::LargestFetch,
        Count::LongestFetchWaitMs,
        Count::Polls,
        Count::LargestPoll,
        Count::Revoked,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Count::Generation => "generation",
            Count::Members => "members",
            Count::IdleMembers => "idle_members",
            Count::Lag => "lag",
            Count::Skipped => "skipped",
            Count::Lost => "lost",
            Count::Processed => "processed",
            Count::Duplicates => "duplicates",
            Count::Fetches => "fetches",
            Count::LargestFetch => "largest_fetch",
            Count::LongestFetchWaitMs => "longest_fetch_wait_ms",
            Count::Polls => "polls",
            Count::LargestPoll => "largest_poll",
            Count::Revoked => "revoked",
        }
    }

    pub fn from_name(name: &str) -> Option<Count> {
        Count::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn applies_to(self, kind: TargetKind) -> bool {
        use Count::*;
        match self {
            Generation | Members | IdleMembers | Lag | Skipped | Lost => kind == TargetKind::Group,
            Processed | Duplicates => true,
            Fetches | LargestFetch | LongestFetchWaitMs | Polls | LargestPoll | Revoked => {
                kind == TargetKind::Consumer
            }
        }
    }
}

/// How a [`Count`] is bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bound {
    /// `name = n`
    Exactly(u64),
    /// `name_at_least = n`
    AtLeast(u64),
    /// `name_at_most = n`
    AtMost(u64),
}

impl Bound {
    pub fn holds(self, actual: u64) -> bool {
        match self {
            Bound::Exactly(n) => actual == n,
            Bound::AtLeast(n) => actual >= n,
            Bound::AtMost(n) => actual <= n,
        }
    }

    pub fn value(self) -> u64 {
        match self {
            Bound::Exactly(n) | Bound::AtLeast(n) | Bound::AtMost(n) => n,
        }
    }

    /// The key suffix: `""`, `"_at_least"`, `"_at_most"`.
    pub fn suffix(self) -> &'static str {
        match self {
            Bound::Exactly(_) => "",
            Bound::AtLeast(_) => "_at_least",
            Bound::AtMost(_) => "_at_most",
        }
    }

    fn words(self) -> String {
        match self {
            Bound::Exactly(n) => format!("{n}"),
            Bound::AtLeast(n) => format!("at least {n}"),
            Bound::AtMost(n) => format!("at most {n}"),
        }
    }
}

/// One thing an expectation checks. Which apply to groups and which to
/// consumers: see [`Check::applies_to`] and SCENARIOS.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Group: `state = "Stable"`.
    State(GroupState),
    /// Group: `committed = { "orders-0" = 12 }`, the committed offsets of
    /// these partitions (others are not checked).
    Committed(BTreeMap<TopicPartition, i64>),
    /// Consumer: `status = "running"` (`crashed`, `closed`, `failed`).
    Status(ConsumerStatus),
    /// Consumer: `member = true`: its group's coordinator has it as a
    /// member (a crashed consumer stays one until its session times out).
    Member(bool),
    /// Consumer: `partitions = ["orders-0"]`, exactly the partitions it
    /// holds (`[]`: none, e.g. an idle member).
    Partitions(Vec<TopicPartition>),
    /// Consumer: `position = { "orders-0" = 12 }`, its positions (the next
    /// offset `poll()` returns) on these partitions.
    Position(BTreeMap<TopicPartition, i64>),
    /// Consumer: `in_produce_order = false`: whether it processed records
    /// (first deliveries) in the order they were produced, across partitions.
    InProduceOrder(bool),
    /// Consumer: `in_partition_order = true`: offsets only went up within
    /// each partition (first deliveries).
    InPartitionOrder(bool),
    /// Consumer: `error = "NoOffsetForPartition"`: it reported this error
    /// at least once.
    Error(ConsumerError),
    /// `name`, `name_at_least`, `name_at_most` (see [`Count`]).
    Count(Count, Bound),
}

/// Keys that are not counts, with the target they apply to.
pub const CHECK_KEYS: &[(&str, TargetKind)] = &[
    ("state", TargetKind::Group),
    ("committed", TargetKind::Group),
    ("status", TargetKind::Consumer),
    ("member", TargetKind::Consumer),
    ("partitions", TargetKind::Consumer),
    ("position", TargetKind::Consumer),
    ("in_produce_order", TargetKind::Consumer),
    ("in_partition_order", TargetKind::Consumer),
    ("error", TargetKind::Consumer),
];

impl Check {
    /// The key a scenario file writes it with.
    pub fn key(&self) -> String {
        match self {
            Check::State(_) => "state".into(),
            Check::Committed(_) => "committed".into(),
            Check::Status(_) => "status".into(),
            Check::Member(_) => "member".into(),
            Check::Partitions(_) => "partitions".into(),
            Check::Position(_) => "position".into(),
            Check::InProduceOrder(_) => "in_produce_order".into(),
            Check::InPartitionOrder(_) => "in_partition_order".into(),
            Check::Error(_) => "error".into(),
            Check::Count(c, b) => format!("{}{}", c.name(), b.suffix()),
        }
    }

    pub fn applies_to(&self, kind: TargetKind) -> bool {
        match self {
            Check::Count(c, _) => c.applies_to(kind),
            other => {
                let key = other.key();
                CHECK_KEYS.iter().any(|(k, t)| *k == key && *t == kind)
            }
        }
    }

    /// The value as a TOML value (inline).
    pub fn toml_value(&self) -> String {
        let offsets = |m: &BTreeMap<TopicPartition, i64>| {
            if m.is_empty() {
                return "{}".to_string();
            }
            let items: Vec<String> =
                m.iter().map(|(tp, o)| format!("{} = {o}", quote(&tp.to_string()))).collect();
            format!("{{ {} }}", items.join(", "))
        };
        match self {
            Check::State(s) => format!("\"{}\"", s.name()),
            Check::Committed(m) | Check::Position(m) => offsets(m),
            Check::Status(s) => format!("\"{}\"", status_name(*s)),
            Check::Member(b) | Check::InProduceOrder(b) | Check::InPartitionOrder(b) => b.to_string(),
            Check::Partitions(ps) => {
                let items: Vec<String> = ps.iter().map(|tp| quote(&tp.to_string())).collect();
                format!("[{}]", items.join(", "))
            }
            Check::Error(e) => format!("\"{}\"", e.name()),
            Check::Count(_, b) => b.value().to_string(),
        }
    }
}

pub fn status_name(s: ConsumerStatus) -> &'static str {
    match s {
        ConsumerStatus::Running => "running",
        ConsumerStatus::Crashed => "crashed",
        ConsumerStatus::Closed => "closed",
        ConsumerStatus::Failed => "failed",
    }
}

pub fn status_from_name(name: &str) -> Option<ConsumerStatus> {
    [ConsumerStatus::Running, ConsumerStatus::Crashed, ConsumerStatus::Closed, ConsumerStatus::Failed]
        .into_iter()
        .find(|s| status_name(*s) == name)
}

/// `expect = { group = "app", duplicates_at_least = 1 }`: checks about one
/// group or one consumer at a step's moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub target: ExpectTarget,
    /// Ordered by key (as [`Expectation::new`] orders them), so that a
    /// scenario written out and read back is equal.
    pub checks: Vec<Check>,
}

impl Expectation {
    /// An expectation with its checks in canonical (key) order.
    pub fn new(target: ExpectTarget, mut checks: Vec<Check>) -> Expectation {
        crate::sort::sort_by_key(&mut checks, Check::key);
        Expectation { target, checks }
    }

    /// As the file writes it: `{ group = "app", duplicates_at_least = 1 }`.
    pub fn to_toml_inline(&self) -> String {
        let mut items = vec![match &self.target {
            ExpectTarget::Group(g) => format!("group = {}", quote(g)),
            ExpectTarget::Consumer(c) => format!("consumer = {}", quote(c)),
        }];
        items.extend(self.checks.iter().map(|c| format!("{} = {}", c.key(), c.toml_value())));
        format!("{{ {} }}", items.join(", "))
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_toml_inline())
    }
}

/// Why an expectation does not hold: one line per failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectationFailure {
    pub target: ExpectTarget,
    /// E.g. `duplicates is 0, expected at least 1`.
    pub mismatches: Vec<String>,
}

impl fmt::Display for ExpectationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.target, self.mismatches.join("; "))
    }
}

impl std::error::Error for ExpectationFailure {}

fn offsets_text(m: &BTreeMap<TopicPartition, Option<i64>>) -> String {
    let items: Vec<String> = m
        .iter()
        .map(|(tp, o)| format!("{tp} = {}", o.map_or("none".to_string(), |o| o.to_string())))
        .collect();
    items.join(", ")
}

/// Checks `expect` against the model's state now (call it after running
/// the scenario to the step's `at_ms`, e.g. with
/// [`crate::scenario::ScenarioRun::advance`]).
pub fn check_expectation(model: &Model, expect: &Expectation) -> Result<(), ExpectationFailure> {
    let fail = |mismatches: Vec<String>| {
        if mismatches.is_empty() {
            Ok(())
        } else {
            Err(ExpectationFailure { target: expect.target.clone(), mismatches })
        }
    };
    let mut bad = Vec::new();
    match &expect.target {
        ExpectTarget::Group(id) => {
            let Some(view) = model.group_view(id) else {
                return fail(vec!["the group does not exist yet (no member has joined it)".into()]);
            };
            let totals = group_totals(model, id);
            for check in &expect.checks {
                match check {
                    Check::State(s) if view.state != *s => {
                        bad.push(format!("state is {}, expected {}", view.state.name(), s.name()));
                    }
                    Check::Committed(want) => {
                        let got: BTreeMap<TopicPartition, Option<i64>> = crate::sort::btree_map(
                            want.keys().map(|tp| (tp.clone(), view.committed.get(tp).copied())),
                        );
                        if got.iter().any(|(tp, o)| *o != want.get(tp).copied()) {
                            let want =
                                crate::sort::btree_map(want.iter().map(|(tp, o)| (tp.clone(), Some(*o))));
                            bad.push(format!(
                                "committed {}, expected {}",
                                offsets_text(&got),
                                offsets_text(&want)
                            ));
                        }
                    }
                    Check::Count(c, b) => {
                        let actual = match c {
                            Count::Generation => view.generation.max(0) as u64,
                            Count::Members => view.members.len() as u64,
                            Count::IdleMembers => {
                                view.members.iter().filter(|(_, _, ps)| ps.is_empty()).count() as u64
                            }
                            Count::Lag => group_lag(model, &view),
                            Count::Processed => totals.processed,
                            Count::Duplicates => totals.duplicates,
                            Count::Lost => totals.lost,
                            Count::Skipped => totals.skipped,
                            _ => unreachable!("parsing allows only group counts"),
                        };
                        if !b.holds(actual) {
                            bad.push(format!("{} is {actual}, expected {}", c.name(), b.words()));
                        }
                    }
                    _ => {}
                }
            }
        }
        ExpectTarget::Consumer(id) => {
            let (Some(view), Some(stats)) = (model.consumer(id), model.consumer_stats(id)) else {
                return fail(vec!["the consumer has not started yet".into()]);
            };
            for check in &expect.checks {
                match check {
                    Check::Status(s) if view.status != *s => {
                        bad.push(format!(
                            "status is {}, expected {}",
                            status_name(view.status),
                            status_name(*s)
                        ));
                    }
                    Check::Member(want) => {
                        let is = view
                            .group
                            .as_deref()
                            .and_then(|g| model.group_view(g))
                            .is_some_and(|g| g.members.iter().any(|(_, consumer, _)| consumer == id));
                        if is != *want {
                            bad.push(if is {
                                "it is a member of its group, expected not to be".into()
                            } else {
                                "it is not a member of a group, expected to be".into()
                            });
                        }
                    }
                    Check::Partitions(want) => {
                        let mut got: Vec<TopicPartition> =
                            view.partitions.iter().map(|p| p.partition.clone()).collect();
                        crate::sort::sort(&mut got);
                        if got != *want {
                            let names = |v: &[TopicPartition]| {
                                let v: Vec<String> = v.iter().map(|tp| tp.to_string()).collect();
                                format!("[{}]", v.join(", "))
                            };
                            bad.push(format!("holds {}, expected {}", names(&got), names(want)));
                        }
                    }
                    Check::Position(want) => {
                        let got: BTreeMap<TopicPartition, Option<i64>> =
                            crate::sort::btree_map(want.keys().map(|tp| {
                                let p = view.partitions.iter().find(|p| p.partition == *tp);
                                (tp.clone(), p.and_then(|p| p.position))
                            }));
                        if got.iter().any(|(tp, o)| *o != want.get(tp).copied()) {
                            let want =
                                crate::sort::btree_map(want.iter().map(|(tp, o)| (tp.clone(), Some(*o))));
                            bad.push(format!(
                                "position {}, expected {}",
                                offsets_text(&got),
                                offsets_text(&want)
                            ));
                        }
                    }
                    Check::InProduceOrder(want) if stats.in_produce_order != *want => {
                        bad.push(format!("in_produce_order is {}, expected {want}", stats.in_produce_order));
                    }
                    Check::InPartitionOrder(want) if stats.in_partition_order != *want => {
                        bad.push(format!(
                            "in_partition_order is {}, expected {want}",
                            stats.in_partition_order
                        ));
                    }
                    Check::Error(e) if !stats.errors.contains(e) => {
                        bad.push(format!("it has not reported {}", e.name()));
                    }
                    Check::Count(c, b) => {
                        let actual = match c {
                            Count::Processed => stats.processed,
                            Count::Duplicates => stats.duplicates,
                            Count::Fetches => stats.fetches,
                            Count::LargestFetch => stats.largest_fetch,
                            Count::LongestFetchWaitMs => stats.longest_fetch_wait_ms,
                            Count::Polls => stats.polls,
                            Count::LargestPoll => u64::from(stats.largest_poll),
                            Count::Revoked => stats.revoked,
                            _ => unreachable!("parsing allows only consumer counts"),
                        };
                        if !b.holds(actual) {
                            bad.push(format!("{} is {actual}, expected {}", c.name(), b.words()));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    fail(bad)
}

#[derive(Default)]
struct Totals {
    processed: u64,
    duplicates: u64,
    lost: u64,
    skipped: u64,
}

fn group_totals(model: &Model, group: &str) -> Totals {
    let mut t = Totals::default();
    if let Some(parts) = model.accounting().get(group) {
        for a in parts.values() {
            t.processed += a.processed;
            t.duplicates += a.duplicates;
            t.lost += a.lost;
            t.skipped += a.skipped;
        }
    }
    t
}

/// Lag over every partition the group committed to or has assigned, as the
/// runner's summary counts it.
fn group_lag(model: &Model, view: &crate::model::GroupView) -> u64 {
    let mut tps: Vec<&TopicPartition> = view.committed.keys().collect();
    for (_, _, ps) in &view.members {
        tps.extend(ps);
    }
    crate::sort::sort(&mut tps);
    tps.dedup();
    tps.into_iter()
        .filter_map(|tp| {
            let log = model.partition_log(tp)?;
            let start = log.log_start_offset();
            let from = view.committed.get(tp).copied().unwrap_or(start).max(start);
            Some((log.high_watermark() - from).max(0) as u64)
        })
        .sum()
}
