//! A portable digest of an event stream, so that native and wasm32 runs can
//! be compared against one recorded constant.
//!
//! FNV-1a 64 over each event's JSON followed by `\n` (the `--json` output of
//! the runner). Written by hand: no hasher whose output may differ between
//! platforms or versions.

use offsetlab_protocol::Event;

use crate::scenario::{Scenario, ScenarioError};

/// The recorded digest of `static/scenarios/two-groups.toml` run to 15000 ms.
/// The native test (`tests/scenario.rs`) and the browser test (wasm32) both
/// assert it, so a platform difference in the model fails one of them. Any
/// intended change to the model or the event format changes it: re-record.
pub const TWO_GROUPS_DIGEST_AT_15000_MS: u64 = 0x0de1_7345_eeaa_17b2;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64 bits.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Incremental digest of events.
#[derive(Clone, Debug)]
pub struct EventDigest {
    hash: u64,
    events: u64,
}

impl Default for EventDigest {
    fn default() -> Self {
        EventDigest { hash: FNV_OFFSET, events: 0 }
    }
}

impl EventDigest {
    pub fn add(&mut self, event: &Event) {
        let json = serde_json::to_string(event).expect("events always serialize");
        for &b in json.as_bytes().iter().chain(b"\n") {
            self.hash ^= u64::from(b);
            self.hash = self.hash.wrapping_mul(FNV_PRIME);
        }
        self.events += 1;
    }

    pub fn value(&self) -> u64 {
        self.hash
    }

    pub fn events(&self) -> u64 {
        self.events
    }
}

/// Loads a scenario, runs it to `until_ms` and returns the digest of its
/// whole event stream. The browser test calls this on wasm32 and compares
/// with the native result.
pub fn scenario_digest(toml_text: &str, until_ms: u64) -> Result<u64, ScenarioError> {
    let scenario = Scenario::parse(toml_text)?;
    let mut digest = EventDigest::default();
    scenario.run(until_ms, |e| digest.add(e))?;
    Ok(digest.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_reference_values() {
        // From the FNV reference test suite.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
