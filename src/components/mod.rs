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

pub use empty_state::EmptyState;
pub use header::Header;
pub use segmented::{Segment, Segmented};
