//! View components: data and callbacks in through `PartialEq` props, no IO.

pub mod add_client;
pub mod client_code;
pub mod console;
pub mod consumer_panel;
pub mod controls;
pub mod empty_state;
pub mod groups;
pub mod guide;
pub mod header;
pub mod live_panel;
pub mod ordering;
pub mod palette;
pub mod partition_log;
pub mod partition_picker;
pub mod segmented;
pub mod timeline;
pub mod topic;

use yew::Html;

pub use empty_state::EmptyState;
pub use header::Header;
pub use segmented::{Segment, Segmented};

/// Elements keyed by slot (a place that keeps its element while the thing
/// in it scrolls through, as log cells and order chips do), in slot order:
/// yew then never moves an element, it only rewrites the slots whose
/// contents changed. Each item is (slot, element), slots below `slots`.
pub fn in_slot_order(items: impl Iterator<Item = (usize, Html)>, slots: usize) -> impl Iterator<Item = Html> {
    let mut placed: Vec<Option<Html>> = vec![None; slots];
    for (slot, item) in items {
        if let Some(place) = placed.get_mut(slot) {
            *place = Some(item);
        }
    }
    placed.into_iter().flatten()
}
