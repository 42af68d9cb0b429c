//! Client code for a consumer of the OffsetLab model (chapter 5.3): the
//! same consumer as a Java (`KafkaConsumer`), Python (`confluent-kafka`) or
//! Rust (`rdkafka` 0.39) program, with its configuration and commit strategy.
//!
//! Pure: a [`ConsumerSpec`] in, source text out; no IO.
//!
//! - Configuration: `bootstrap.servers`, `group.id` and (with a group)
//!   `enable.auto.commit` always, then only what differs from Kafka's
//!   defaults ([`offsetlab_model::config::CONSUMER_DEFAULTS`]), each with a
//!   line on why. Python and Rust configure librdkafka, whose names and
//!   ranges differ in places: see [`librdkafka`] for every mapping.
//! - Commit strategy ([`offsetlab_protocol::CommitStrategy`]): `auto` = no commit call;
//!   `sync_per_record` = commit each record's offset + 1 after processing
//!   it; `sync_per_poll` / `async_per_poll` = commit after processing the
//!   batch; `sync_before_processing` = commit right after `poll()`, then
//!   process (at-most-once).
//! - `subscribe()` or `assign()` as the consumer does; the time it spends
//!   per record is a comment in the `process` stub.
//!
//! Every text from a person (ids, topics, values) is written as an escaped
//! string literal ([`escape`]), also where it appears in a comment.

use offsetlab_model::ConsumerSpec;

mod code;
pub mod escape;
mod java;
pub mod librdkafka;
mod plan;
mod python;
mod rust;
pub mod samples;

pub use java::CLASS_NAME as JAVA_CLASS_NAME;

/// A language the code is generated in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Java,
    Python,
    Rust,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Java, Language::Python, Language::Rust];

    /// The language's name, the same in every UI language.
    pub fn name(self) -> &'static str {
        match self {
            Language::Java => "Java",
            Language::Python => "Python",
            Language::Rust => "Rust",
        }
    }

    /// The client library the code uses.
    pub fn client(self) -> &'static str {
        match self {
            Language::Java => "org.apache.kafka:kafka-clients",
            Language::Python => "confluent-kafka",
            Language::Rust => "rdkafka 0.39",
        }
    }

    /// A file name for the code.
    pub fn file_name(self) -> &'static str {
        match self {
            Language::Java => "ConsumerApp.java",
            Language::Python => "consumer.py",
            Language::Rust => "main.rs",
        }
    }
}

/// The code for `spec` in `language`. `topics` are the topics on screen:
/// a consumer that has not subscribed yet gets a program subscribing to them.
pub fn generate(language: Language, spec: &ConsumerSpec, topics: &[String]) -> String {
    match language {
        Language::Java => java(spec, topics),
        Language::Python => python(spec, topics),
        Language::Rust => rust(spec, topics),
    }
}

/// A Java class `ConsumerApp` with `main`, for the Apache Kafka client.
pub fn java(spec: &ConsumerSpec, topics: &[String]) -> String {
    java::generate(&plan::Plan::new(spec, topics))
}

/// A Python script for confluent-kafka.
pub fn python(spec: &ConsumerSpec, topics: &[String]) -> String {
    python::generate(&plan::Plan::new(spec, topics))
}

/// A Rust program (`fn main`) for rdkafka 0.39.
pub fn rust(spec: &ConsumerSpec, topics: &[String]) -> String {
    rust::generate(&plan::Plan::new(spec, topics), None)
}

/// The Rust program as a module body: `pub fn {entry}()` instead of
/// `fn main()`, and a public `config()`, so that many programs can be
/// compiled in one crate. `entry` must be a Rust identifier.
pub fn rust_module(spec: &ConsumerSpec, topics: &[String], entry: &str) -> String {
    assert!(
        entry.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && entry.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "`{entry}` is not a Rust identifier"
    );
    rust::generate(&plan::Plan::new(spec, topics), Some(entry))
}
