//! Exact JSON of every event variant: the wire format is a contract with the
//! front end and the gateway, so any change must show up here.

use std::collections::BTreeMap;
use std::sync::Arc;

use offsetlab_protocol::*;

fn tp(topic: &str, partition: i32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

fn po(topic: &str, partition: i32, offset: i64) -> PartitionOffset {
    PartitionOffset {
        topic: topic.into(),
        partition,
        offset,
    }
}

fn cases() -> Vec<(EventKind, &'static str)> {
    let c = || "c1".to_string();
    let g = || "g1".to_string();
    vec![(
        EventKind::ModelStarted { seed: 42 },
        r#"{"at_ms":7,"type":"model_started","seed":42}"#,
    )]
}

#[test]
fn every_variant_has_exact_json_and_round_trips() {
    let mut seen = std::collections::BTreeSet::new();
    for (kind, json) in cases() {
        seen.insert(kind.type_name());
        let event = Event { at_ms: 7, kind };
        assert_eq!(serde_json::to_string(&event).unwrap(), json);
        let back: Event = serde_json::from_str(json).unwrap();
        assert_eq!(back, event, "{json}");
    }
    assert_eq!(seen.len(), 40, "every variant needs a case; have {seen:?}");
}
