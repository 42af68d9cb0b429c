//! The built-in scenarios (static/scenarios), bundled by build.rs.

use offsetlab_model::scenario::Scenario;

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// What the scenario menu lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: &'static str,
    pub name: String,
    pub description: String,
}

/// Every built-in scenario that parses. One that does not is a bug caught by
/// the test below, not something to show a person.
pub fn entries() -> Vec<Entry> {
    BUILT_IN
        .iter()
        .filter_map(|(id, text)| {
            let s = Scenario::parse(text).ok()?;
            Some(Entry {
                id,
                name: s.name,
                description: s.description,
            })
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
        }
        assert_eq!(entries().len(), BUILT_IN.len());
        assert!(text("ordering-3-partitions").is_some());
    }
}
