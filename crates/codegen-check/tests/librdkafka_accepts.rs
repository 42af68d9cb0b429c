//! Every generated configuration, handed to librdkafka: `create()` checks
//! each property name and value, and rules between them (such as
//! `max.poll.interval.ms >= session.timeout.ms`). No broker is needed;
//! `log_level` 0 keeps the "connection refused" lines out of the output.

use std::time::Instant;

use offsetlab_codegen_check::PROGRAMS;
use rdkafka::consumer::BaseConsumer;

#[test]
fn librdkafka_accepts_every_generated_config() {
    let started = Instant::now();
    let mut refused = Vec::new();
    for p in PROGRAMS {
        let mut config = (p.config)();
        config.set("log_level", "0");
        match config.create::<BaseConsumer>() {
            Ok(consumer) => drop(consumer),
            Err(e) => refused.push(format!("{} (consumer {:?}): {e}", p.module, p.consumer)),
        }
    }
    assert!(refused.is_empty(), "librdkafka refused:\n{}", refused.join("\n"));
    println!("{} configurations accepted by librdkafka in {:.1?}", PROGRAMS.len(), started.elapsed());
}
