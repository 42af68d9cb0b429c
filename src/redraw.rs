//! While a run plays, a frame redraws only part of the page: each log row
//! and each panel has its turn once every few frames and shows what it
//! showed last time in between. A frame then costs yew's diff and the
//! browser's style, layout and paint for a fraction of the page, so heavy
//! runs keep the page near the display's rate. A part out of view (see
//! source/in_view.rs) is redrawn only twice a second, and at once when it
//! comes into view. Paused, stepped or scrubbed, everything is drawn from
//! the current view at once.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use offsetlab_protocol::TopicPartition;

use crate::components::partition_log::LogRow;
use crate::state::{SeekPreview, Timeline};
use crate::view::ClusterView;

/// Frames between two redraws of a log row or a panel while playing.
pub const CYCLE: u64 = 4;
/// The same for the panels whose whole content changes at every redraw
/// under load (the ordering lens's chips, the event log's lines, the
/// overview's squares): at 7.5 redraws a second they are still readable.
const SLOW_CYCLE: u64 = 8;
/// The same for any part out of view: kept roughly current (for a reader
/// who scrolls, and for anything reading the page) at little cost.
const OUT_OF_VIEW_CYCLE: u64 = 32;

/// The parts of the page that take turns, each on its own frame (log rows
/// take turns by partition number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Panel {
    Overview,
    Ordering,
    Console,
    Groups,
    Timeline,
    Consumer,
    AddClient,
}

impl Panel {
    /// The `data-in-view` key of its element.
    pub fn key(self) -> &'static str {
        match self {
            Panel::Overview => "overview",
            Panel::Ordering => "ordering",
            Panel::Console => "console",
            Panel::Groups => "groups",
            Panel::Timeline => "timeline",
            Panel::Consumer => "consumer-panel",
            Panel::AddClient => "add-client",
        }
    }

    /// The `data-in-view` key of a log row.
    pub fn row_key(tp: &TopicPartition) -> String {
        format!("row:{tp}")
    }

    /// (frames between redraws, which frame of those).
    fn turn(self) -> (u64, u64) {
        match self {
            Panel::Ordering => (SLOW_CYCLE, 1),
            Panel::Overview => (SLOW_CYCLE, 3),
            Panel::Timeline => (SLOW_CYCLE, 5),
            Panel::AddClient => (SLOW_CYCLE, 7),
            Panel::Console => (CYCLE, 0),
            Panel::Groups => (CYCLE, 2),
            Panel::Consumer => (CYCLE, 3),
        }
    }
}

/// What was drawn last, per part.
#[derive(Default)]
pub struct Redraw {
    /// The run (scenario or live session) it was drawn from.
    run: Option<String>,
    frame: u64,
    playing: bool,
    views: BTreeMap<Panel, Rc<ClusterView>>,
    rows: BTreeMap<TopicPartition, Option<LogRow>>,
    /// Per topic, the overview strip's highest lag of every partition.
    lags: BTreeMap<String, Vec<i64>>,
    /// The event log's list and position as drawn last.
    timeline: Option<(Timeline, usize)>,
    /// A seek preview changes rows at once, whatever their turn.
    preview: Option<SeekPreview>,
    /// Parts reported in or out of view, and those that came into view
    /// since the last frame (drawn at once).
    in_view: BTreeMap<String, bool>,
    came_into_view: BTreeSet<String>,
}

impl Redraw {
    /// Forgets everything drawn from another run: a new scenario (or
    /// live) must not show the last one's rows for a frame.
    pub fn for_run(&mut self, run: Option<String>) {
        if self.run != run {
            *self = Redraw { run, ..Redraw::default() };
        }
    }

    /// Starts a frame's render.
    pub fn begin(&mut self, playing: bool, preview: Option<&SeekPreview>, in_view: &BTreeMap<String, bool>) {
        self.playing = playing;
        self.came_into_view = offsetlab_model::sort::btree_set(
            in_view
                .iter()
                .filter(|(key, shown)| **shown && self.in_view.get(*key) == Some(&false))
                .map(|(key, _)| key.clone()),
        );
        if self.in_view != *in_view {
            self.in_view = in_view.clone();
        }
        if playing {
            self.frame = self.frame.wrapping_add(1);
        }
        if self.preview.as_ref() != preview {
            self.preview = preview.cloned();
            self.rows.clear();
        }
    }

    fn due(&self, key: &str, (cycle, turn): (u64, u64)) -> bool {
        if !self.playing || self.came_into_view.contains(key) {
            return true;
        }
        let cycle = if self.in_view.get(key) == Some(&false) { OUT_OF_VIEW_CYCLE } else { cycle };
        turn % cycle == self.frame % cycle
    }

    /// Whether `panel` is drawn from the current view in this frame.
    pub fn panel_due(&self, panel: Panel) -> bool {
        self.due(panel.key(), panel.turn())
    }

    /// The view `panel` draws in this frame: the current one on its turn,
    /// else the one it drew last.
    pub fn view(&mut self, panel: Panel, current: &Rc<ClusterView>) -> Rc<ClusterView> {
        let due = self.panel_due(panel);
        redrawn(&mut self.views, &panel, due, || current.clone())
    }

    /// The event list and position the event log draws in this frame.
    pub fn timeline(&mut self, current: &Timeline, position: usize) -> (Timeline, usize) {
        // Not through `redrawn`: a map of one entry would be a BTreeMap
        // type of its own, 6 KB of wasm (gzipped) for nothing.
        if self.panel_due(Panel::Timeline) {
            self.timeline = None;
        }
        self.timeline.get_or_insert_with(|| (current.clone(), position)).clone()
    }

    /// The overview strip's lags for `topic`: computed on the overview's
    /// turn, else the ones drawn last.
    pub fn lags(&mut self, topic: &str, compute: impl FnOnce() -> Vec<i64>) -> Vec<i64> {
        let due = self.panel_due(Panel::Overview);
        redrawn(&mut self.lags, topic, due, compute)
    }

    /// The log row for `tp` in this frame: built on its turn (or when it
    /// was never drawn), else the one drawn last.
    pub fn row(&mut self, tp: &TopicPartition, build: impl FnOnce() -> Option<LogRow>) -> Option<LogRow> {
        let due = self.due(&Panel::row_key(tp), (CYCLE, u64::try_from(tp.partition).unwrap_or(0)));
        redrawn(&mut self.rows, tp, due, build)
    }
}

/// What a part draws in this frame: on its turn (or when it was never
/// drawn), `draw()`, kept in `drawn` under `key`; else what it drew last.
fn redrawn<K, Q, T>(drawn: &mut BTreeMap<K, T>, key: &Q, due: bool, draw: impl FnOnce() -> T) -> T
where
    K: Ord + Borrow<Q>,
    Q: Ord + ToOwned<Owned = K> + ?Sized,
    T: Clone,
{
    match drawn.get(key) {
        Some(last) if !due => last.clone(),
        _ => {
            let now = draw();
            drawn.insert(key.to_owned(), now.clone());
            now
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(now_ms: u64) -> Rc<ClusterView> {
        let mut view = ClusterView::default();
        view.now_ms = now_ms;
        Rc::new(view)
    }

    #[test]
    fn paused_everything_is_current() {
        let mut r = Redraw::default();
        for now in 0..10 {
            r.begin(false, None, &BTreeMap::new());
            assert_eq!(r.view(Panel::Groups, &view(now)).now_ms, now);
        }
    }

    #[test]
    fn playing_each_panel_is_redrawn_once_per_cycle() {
        let mut r = Redraw::default();
        let mut seen = Vec::new();
        for now in 0..(CYCLE * 3) {
            r.begin(true, None, &BTreeMap::new());
            seen.push(r.view(Panel::Groups, &view(now)).now_ms);
        }
        // Redrawn on its turn, and shows that frame's view until the next.
        let changes = seen.windows(2).filter(|w| w[0] != w[1]).count();
        assert_eq!(changes, 3, "{seen:?}");
        // The ordering lens takes turns half as often.
        let mut ordering = Vec::new();
        for now in 0..(SLOW_CYCLE * 3) {
            r.begin(true, None, &BTreeMap::new());
            ordering.push(r.view(Panel::Ordering, &view(now)).now_ms);
        }
        assert_eq!(ordering.windows(2).filter(|w| w[0] != w[1]).count(), 3, "{ordering:?}");
        assert!(seen.windows(2).all(|w| w[1] >= w[0] && w[1] - w[0] <= CYCLE));
        // Pausing draws the current view at once.
        r.begin(false, None, &BTreeMap::new());
        assert_eq!(r.view(Panel::Groups, &view(99)).now_ms, 99);
    }

    #[test]
    fn out_of_view_parts_are_redrawn_rarely_and_at_once_when_they_come_into_view() {
        let mut r = Redraw::default();
        let out = BTreeMap::from([("groups".to_string(), false)]);
        let mut seen = Vec::new();
        for now in 0..OUT_OF_VIEW_CYCLE {
            r.begin(true, None, &out);
            seen.push(r.view(Panel::Groups, &view(now)).now_ms);
        }
        assert_eq!(seen.windows(2).filter(|w| w[0] != w[1]).count(), 1, "{seen:?}");
        let back = BTreeMap::from([("groups".to_string(), true)]);
        r.begin(true, None, &back);
        assert_eq!(r.view(Panel::Groups, &view(500)).now_ms, 500, "drawn as it comes into view");
    }

    #[test]
    fn another_run_starts_from_nothing_drawn() {
        let mut r = Redraw::default();
        r.for_run(Some("a".into()));
        r.begin(false, None, &BTreeMap::new());
        r.view(Panel::Groups, &view(7));
        r.begin(true, None, &BTreeMap::new());
        r.for_run(Some("b".into()));
        r.begin(true, None, &BTreeMap::new());
        assert_eq!(r.view(Panel::Groups, &view(0)).now_ms, 0, "nothing of run a is shown");
    }

    #[test]
    fn rows_take_turns_and_a_preview_redraws_them_all() {
        let mut r = Redraw::default();
        let tps: Vec<TopicPartition> = (0..8).map(|p| TopicPartition::new("t", p)).collect();
        let built = std::cell::Cell::new(0);
        let frame = |r: &mut Redraw, preview: Option<&SeekPreview>| {
            r.begin(true, preview, &BTreeMap::new());
            for tp in &tps {
                r.row(tp, || {
                    built.set(built.get() + 1);
                    None
                });
            }
        };
        frame(&mut r, None);
        assert_eq!(built.get(), 8, "first drawn in full");
        frame(&mut r, None);
        assert_eq!(built.get(), 10, "then a quarter per frame");
        let preview = SeekPreview { consumer: "c".into(), partition: tps[0].clone(), offset: 3 };
        frame(&mut r, Some(&preview));
        assert_eq!(built.get(), 18, "a new preview redraws every row");
    }
}
