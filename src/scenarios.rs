//! The built-in scenarios (static/scenarios), bundled by build.rs.

use offsetlab_model::scenario::Scenario;

use crate::state::ScenarioInfo;

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// Every built-in scenario that parses, with its titles. One that does
/// not is a bug caught by the test below, not something to show a person.
pub fn entries() -> Vec<ScenarioInfo> {
    BUILT_IN
        .iter()
        .filter_map(|(id, text)| {
            Some(ScenarioInfo::of_scenario((*id).to_string(), &Scenario::parse(text).ok()?))
        })
        .collect()
}

pub fn text(id: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_parses_and_has_a_name() {
        assert!(!BUILT_IN.is_empty());
        for (id, text) in BUILT_IN {
            let parsed = Scenario::parse(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(!parsed.name.is_empty(), "{id} has no name");
            assert!(parsed.name_ko.is_some(), "{id} has no Korean name");
        }
        assert_eq!(entries().len(), BUILT_IN.len());
        assert!(text("ordering-3-partitions").is_some());
    }
}
