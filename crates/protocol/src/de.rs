//! `Deserialize` for [`Event`] and [`Frame`], written by hand.
//!
//! Both are internally tagged (`"type"`, `"frame"`), and `Event` flattens its
//! kind. serde's derive buffers such maps into its private `Content` and
//! instantiates every variant's visitor for it (and for every deserializer
//! that reaches it): the largest single item of the browser's wasm. Here the
//! object is read once into a `serde_json::Map`, and the fields are taken
//! out of it by name, each with its type's own `Deserialize` from a
//! `serde_json::Value`. The JSON accepted and the messages are serde's
//! (`missing field`, `unknown variant ..., expected one of ...`, `invalid
//! type`); Serialize stays derived.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::{ClusterObservation, Event, EventKind, Frame};

/// The fields of one JSON object, taken out by name. Fields nobody takes
/// are ignored, as serde's derive does.
struct Fields(Map<String, Value>);

/// Reads a JSON object and makes a `T` of its fields. The making happens
/// inside `visit_map`, so that serde_json's errors keep saying where (the
/// end of the object, as with serde's derive).
struct Object<T> {
    expecting: &'static str,
    make: fn(Fields) -> Result<T, serde_json::Error>,
}

impl<'de, T> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<T, A::Error> {
        let mut map = Map::new();
        while let Some((k, v)) = access.next_entry::<String, Value>()? {
            map.insert(k, v);
        }
        (self.make)(Fields(map)).map_err(A::Error::custom)
    }
}

impl Fields {
    /// The field `name`; when it is missing, `None` for an `Option` and an
    /// error for anything else (serde's `missing field`).
    fn get<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, serde_json::Error> {
        match self.0.remove(name) {
            Some(v) => T::deserialize(v),
            None => T::deserialize(Missing(name)),
        }
    }

    /// The tag, and the variant `read` makes of the other fields.
    fn tagged<T>(
        mut self,
        tag: &'static str,
        variants: &'static [&'static str],
        read: fn(&str, &mut Fields) -> Result<Option<T>, serde_json::Error>,
    ) -> Result<T, serde_json::Error> {
        let name: String = self.get(tag)?;
        read(&name, &mut self)?.ok_or_else(|| de::Error::unknown_variant(&name, variants))
    }
}

/// A missing field: `None` for an `Option`, an error for everything else.
struct Missing(&'static str);

impl<'de> Deserializer<'de> for Missing {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// `match` arms of the variants: `"json_name" => Variant { field, ... }`.
/// Also the list of names in declaration order, for `unknown variant`.
macro_rules! variants {
    ($ty:ident, $names:ident, $read:ident; $($name:literal => $variant:ident { $($field:ident),* $(,)? }),* $(,)?) => {
        const $names: &[&str] = &[$($name),*];

        fn $read(name: &str, f: &mut Fields) -> Result<Option<$ty>, serde_json::Error> {
            Ok(Some(match name {
                $($name => $ty::$variant { $($field: f.get(stringify!($field))?),* },)*
                _ => return Ok(None),
            }))
        }
    };
}

variants! { EventKind, EVENT_TYPES, event_kind;
    "model_started" => ModelStarted { seed },
    "topic_created" => TopicCreated { topic, partitions },
    "records_produced" => RecordsProduced { producer, topic, partition, first_offset, records },
    "records_deleted" => RecordsDeleted { topic, partition, log_start_offset },
    "consumer_started" => ConsumerStarted { consumer, group, config, processing_ms, commit },
    "subscribed" => Subscribed { consumer, topics },
    "unsubscribed" => Unsubscribed { consumer },
    "manually_assigned" => ManuallyAssigned { consumer, partitions },
    "fetch_sent" => FetchSent { consumer, partitions },
    "fetch_answered" => FetchAnswered { consumer, waited_ms, partitions },
    "poll_returned" => PollReturned { consumer, count, records },
    "records_processed" => RecordsProcessed { consumer, topic, partition, first_offset, count, redelivered },
    "records_lost" => RecordsLost { group, topic, partition, first_offset, count },
    "commit_requested" => CommitRequested { consumer, group, kind, trigger, offsets },
    "commit_completed" => CommitCompleted { consumer, group, kind, offsets, error },
    "heartbeat_sent" => HeartbeatSent { consumer, group, member_id, generation },
    "heartbeat_answered" => HeartbeatAnswered { consumer, group, error },
    "join_group_sent" => JoinGroupSent { consumer, group, member_id, group_instance_id, strategies, owned_partitions },
    "join_group_answered" => JoinGroupAnswered { consumer, group, member_id, generation, leader, error },
    "member_joined" => MemberJoined { group, member_id, consumer, group_instance_id, static_rejoin },
    "member_left" => MemberLeft { group, member_id, consumer, reason },
    "member_evicted" => MemberEvicted { group, member_id, consumer, reason },
    "group_state_changed" => GroupStateChanged { group, from, to, generation },
    "rebalance_started" => RebalanceStarted { group, generation, reason },
    "rebalance_completed" => RebalanceCompleted { group, generation, protocol, assignor, leader, assignments },
    "partitions_revoked" => PartitionsRevoked { consumer, group, partitions },
    "partitions_assigned" => PartitionsAssigned { consumer, group, generation, partitions, assignment },
    "partitions_lost" => PartitionsLost { consumer, group, partitions },
    "position_changed" => PositionChanged { consumer, topic, partition, offset, reason },
    "paused" => Paused { consumer, partitions },
    "resumed" => Resumed { consumer, partitions },
    "polling_stopped" => PollingStopped { consumer },
    "polling_resumed" => PollingResumed { consumer },
    "consumer_crashed" => ConsumerCrashed { consumer },
    "consumer_closed" => ConsumerClosed { consumer },
    "consumer_config_changed" => ConsumerConfigChanged { consumer, changes },
    "no_offset_for_partition" => NoOffsetForPartition { consumer, topic, partition },
    "offset_out_of_range" => OffsetOutOfRange { consumer, topic, partition, offset, log_start_offset, high_watermark },
    "illegal_state" => IllegalState { consumer, message },
    "consumer_failed" => ConsumerFailed { consumer, error },
    "cluster_observed" => ClusterObserved { observation },
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(Object { expecting: "struct Event", make: event })
    }
}

fn event(mut f: Fields) -> Result<Event, serde_json::Error> {
    let at_ms = f.get("at_ms")?;
    Ok(Event { at_ms, kind: f.tagged("type", EVENT_TYPES, event_kind)? })
}

/// The variants of [`Frame`] but `cluster`, whose fields are the
/// observation's own.
fn frame(name: &str, f: &mut Fields) -> Result<Option<Frame>, serde_json::Error> {
    Ok(Some(match name {
        "hello" => Frame::Hello {
            protocol_version: f.get("protocol_version")?,
            gateway_version: f.get("gateway_version")?,
            read_only: f.get("read_only")?,
            group_prefix: f.get("group_prefix")?,
            refresh_ms: f.get("refresh_ms")?,
            max_frame_bytes: f.get("max_frame_bytes")?,
        },
        "broker" => Frame::Broker {
            at_ms: f.get("at_ms")?,
            reachable: f.get("reachable")?,
            message: f.get("message")?,
        },
        "events" => Frame::Events { events: f.get("events")? },
        "cluster" => {
            Frame::Cluster(ClusterObservation::deserialize(Value::Object(std::mem::take(&mut f.0)))?)
        }
        "ack" => Frame::Ack { id: f.get("id")? },
        "error" => Frame::Error { id: f.get("id")?, code: f.get("code")?, message: f.get("message")? },
        _ => return Ok(None),
    }))
}

const FRAMES: &[&str] = &["hello", "broker", "events", "cluster", "ack", "error"];

impl<'de> Deserialize<'de> for Frame {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(Object {
            expecting: "internally tagged enum Frame",
            make: |f| f.tagged("frame", FRAMES, frame),
        })
    }
}
