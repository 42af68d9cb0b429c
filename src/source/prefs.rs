//! The reader's language: remembered in localStorage, else taken from the
//! browser, else English.

use gloo::storage::{LocalStorage, Storage};

use crate::i18n::Lang;

const LANG_KEY: &str = "offsetlab.lang";

/// The language to start in.
pub fn initial_lang() -> Lang {
    if let Ok(tag) = LocalStorage::get::<String>(LANG_KEY)
        && let Some(lang) = Lang::from_tag(&tag)
    {
        return lang;
    }
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// Remembers the choice and sets `<html lang>` so screen readers and fonts
/// follow it. Storage can be refused (private mode, embeds); that only costs
/// the memory of the choice, so the error is ignored.
pub fn apply_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.tag());
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.tag());
    }
}
