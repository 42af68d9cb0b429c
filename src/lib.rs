//! OffsetLab's front end: a Yew app that draws Kafka partitions as logs with
//! consumer cursors on them. `state` holds the one reducer, `source` does all
//! browser IO, `components` only render props.

pub mod app;
pub mod append_log;
pub mod components;
pub mod console;
pub mod heap;
pub mod i18n;
pub mod recording;
pub mod redraw;
pub mod scenarios;
pub mod shared;
pub mod source;
pub mod state;
pub mod view;

/// Mounts the app on `<body>`; what `main` and the browser tests call.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
