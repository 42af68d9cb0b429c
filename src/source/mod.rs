//! All browser IO lives here; components and the reducer stay pure.

pub mod clipboard;
pub mod fetch;
pub mod file;
pub mod in_view;
pub mod keys;
pub mod live;
pub mod prefs;
pub mod sim;
pub mod url;
