//! Type-checks the Rust that `offsetlab-codegen` generates against the real
//! rdkafka crate (0.39, librdkafka bundled): `build.rs` writes one module
//! per consumer of every built-in scenario and every edge case, and this
//! crate includes them, so `cargo build -p offsetlab-codegen-check` (and
//! `cargo test --workspace`) fails when a generated program does not
//! compile. The tests then hand every program's configuration to
//! librdkafka itself.
//!
//! Only this crate depends on rdkafka; the generator does not.

/// One generated program.
pub struct Program {
    /// The module it is in (a sample's name).
    pub module: &'static str,
    /// The consumer's id.
    pub consumer: &'static str,
    /// Its configuration, as the program builds it.
    pub config: fn() -> rdkafka::ClientConfig,
    /// The program's `main`, renamed (it polls forever; never called here).
    pub run: fn() -> rdkafka::error::KafkaResult<()>,
}

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
