//! Scenario files: reading one a person picked, saving an exported one.

use gloo::file::callbacks::{FileReader, read_as_text};
use wasm_bindgen::JsCast;
use yew::Callback;

/// The largest scenario file accepted; a scenario is a page of text, and a
/// huge file is a mistake, not a scenario.
pub const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// Reads the first file of an `<input type=file>`; `on_done` gets the file
/// name and its text, or a message. Keep the returned reader alive until it
/// calls back (dropping it cancels the read).
pub fn read_scenario(
    input: &web_sys::HtmlInputElement,
    on_done: Callback<Result<(String, String), String>>,
) -> Option<FileReader> {
    let file = input.files()?.get(0)?;
    let name = file.name();
    if u64::try_from(file.size() as i64).unwrap_or(u64::MAX) > MAX_SCENARIO_BYTES {
        on_done.emit(Err(format!(
            "{name}: larger than {} KiB; a scenario file is small TOML",
            MAX_SCENARIO_BYTES / 1024
        )));
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
