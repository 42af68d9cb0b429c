//! The built-in scenarios (static/scenarios): their titles are bundled by
//! build.rs for the menu; a file is fetched from the page's own
//! `scenarios/` folder when it is chosen (source/fetch.rs).

use crate::state::ScenarioInfo;

/// A built-in scenario's file name and titles.
pub struct BuiltIn {
    pub id: &'static str,
    pub name: &'static str,
    pub name_ko: &'static str,
    pub description: &'static str,
    pub description_ko: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// Every built-in scenario, with its titles, for the menu.
pub fn entries() -> Vec<ScenarioInfo> {
    BUILT_IN
        .iter()
        .map(|b| ScenarioInfo {
            id: b.id.to_string(),
            name: b.name.to_string(),
            description: b.description.to_string(),
            name_ko: Some(b.name_ko.to_string()),
            description_ko: Some(b.description_ko.to_string()),
            recording: false,
            guide: None,
        })
        .collect()
}

pub fn is_built_in(id: &str) -> bool {
    BUILT_IN.iter().any(|b| b.id == id)
}

/// Where the page finds a built-in scenario's file (index.html copies
/// them into dist).
pub fn url(id: &str) -> String {
    format!("scenarios/{id}.toml")
}

/// A built-in scenario's text, bundled for tests only.
#[cfg(test)]
pub fn text(id: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use offsetlab_model::scenario::Scenario;

    #[test]
    fn every_bundled_scenario_parses_and_the_menu_shows_its_titles() {
        assert!(!BUILT_IN.is_empty());
        assert_eq!(BUILT_IN.len(), TEXTS.len());
        for (b, (id, text)) in BUILT_IN.iter().zip(TEXTS) {
            assert_eq!(b.id, *id);
            let parsed = Scenario::parse(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(b.name, parsed.name, "{id}");
            assert_eq!(Some(b.name_ko), parsed.name_ko.as_deref(), "{id} has a Korean name");
            assert_eq!(b.description, parsed.description, "{id}");
            assert_eq!(Some(b.description_ko), parsed.description_ko.as_deref(), "{id}");
        }
        assert!(is_built_in("ordering-3-partitions"));
        assert!(!is_built_in("nope"));
        assert_eq!(url("seek"), "scenarios/seek.toml");
    }
}
