//! View components: data and callbacks in through `PartialEq` props, no IO.

pub mod empty_state;
pub mod header;
pub mod segmented;

pub use empty_state::EmptyState;
pub use header::Header;
pub use segmented::{Segment, Segmented};
