//! Scenario files: reading one a person picked, saving an exported one.

use gloo::file::callbacks::{FileReader, read_as_text};
use wasm_bindgen::JsCast;
use yew::Callback;

/// The largest scenario file accepted; a scenario is a page of text, and a
/// huge file is a mistake, not a scenario.
pub const MAX_SCENARIO_BYTES: u64 = 1 << 20;
/// The largest recording accepted (`.jsonl`): a live session of some
/// minutes, its records and observations, is several megabytes.
pub const MAX_RECORDING_BYTES: u64 = 64 << 20;

/// How large a file of this name may be.
pub fn max_bytes(name: &str) -> u64 {
    if name.ends_with(".jsonl") { MAX_RECORDING_BYTES } else { MAX_SCENARIO_BYTES }
}

/// Reads the first file of an `<input type=file>`; `on_done` gets the file
/// name and its text, or a message. Keep the returned reader alive until it
/// calls back (dropping it cancels the read).
pub fn read_scenario(
    input: &web_sys::HtmlInputElement,
    on_done: Callback<Result<(String, String), String>>,
) -> Option<FileReader> {
    let file = input.files()?.get(0)?;
    let name = file.name();
    let max = max_bytes(&name);
    if u64::try_from(file.size() as i64).unwrap_or(u64::MAX) > max {
        let what =
            if max == MAX_SCENARIO_BYTES { "a scenario file is small TOML" } else { "too large a recording" };
        on_done.emit(Err(format!("{name}: larger than {} KiB; {what}", max / 1024)));
        return None;
    }
    let file = gloo::file::File::from(file);
    Some(read_as_text(&file, move |result| {
        on_done.emit(
            result.map(|text| (name.clone(), text)).map_err(|e| format!("{name}: cannot read the file: {e}")),
        );
    }))
}

/// Offers `text` to the person as a downloaded file called `name`.
pub fn save_text(name: &str, text: &str) -> Result<(), String> {
    let blob = gloo::file::Blob::new_with_options(text, Some("application/toml"));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into()
        .map_err(|_| "cannot create a link")?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    Ok(())
}

/// The local date and time, `YYYY-MM-DD HH:MM`, for naming a recording.
pub fn local_date_time() -> String {
    let now = web_sys::js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date(),
        now.get_hours(),
        now.get_minutes()
    )
}
