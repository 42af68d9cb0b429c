//! The deterministic consumer model (see ARCHITECTURE.md): no IO, no clock,
//! no OS randomness.
//!
//! - [`Model`]: the sans-IO core (`handle`, `handle_timeout`, `next_wakeup`,
//!   `poll_event`). Events are [`offsetlab_protocol::Event`].
//! - [`scenario`]: the TOML scenario format (see SCENARIOS.md).
//! - [`digest`]: a portable digest of an event stream ([`scenario_digest`]).
//! - [`summary`]: the end-of-run summary the headless runner prints.

pub mod accounting;
pub mod assignor;
pub mod config;
pub mod digest;
pub mod guide;
pub mod log;
pub mod model;
pub mod partitioner;
pub mod rng;
pub mod scenario;
pub mod sort;
pub mod stats;
pub mod summary;
pub mod text;
pub mod vec_map;

pub use config::{BrokerConfig, ConfigError, ConsumerConfig, OffsetReset};
pub use digest::{EventDigest, fnv1a64, scenario_digest};
pub use guide::{Expectation, ExpectationFailure, Guide, GuideStep, check_expectation};
pub use model::{
    ConsumerSpec, ConsumerStatus, ConsumerView, GroupView, Input, KeyPattern, Model, ModelConfig, ModelError,
    PartitionCursor, ProducerSpec, Subscription,
};
pub use scenario::{Scenario, ScenarioError};
pub use stats::{ConsumerError, ConsumerStats};
