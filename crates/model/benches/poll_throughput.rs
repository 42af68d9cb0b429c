//! Records delivered through `poll()` per second: 64 partitions, 8 consumers
//! in one group, 1M records, zero processing time, events drained as a UI
//! would. Next to it, a baseline loop that only touches the same records
//! (clones each key, sums offsets), so the ratio shows the model's overhead.
//!
//! `cargo bench -p offsetlab-model --bench poll_throughput -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use offsetlab_model::{BrokerConfig, ConsumerSpec, Input, Model, ModelConfig};
use offsetlab_protocol::{EventKind, TopicPartition};

const PARTITIONS: i32 = 64;
const CONSUMERS: usize = 8;
const RECORDS: u64 = 1_000_000;

/// A model with 1M records in 64 partitions and 8 consumers that have just
/// joined the group (the rebalance completes at 3000 ms).
fn setup() -> Model {
    let mut m = Model::new(ModelConfig {
        seed: 1,
        broker: BrokerConfig::default(),
        topics: vec![("bench".into(), PARTITIONS)],
    })
    .unwrap();
    let per_partition = (RECORDS / PARTITIONS as u64) as u32;
    for p in 0..PARTITIONS {
        let count =
            if p == 0 { RECORDS as u32 - per_partition * (PARTITIONS as u32 - 1) } else { per_partition };
        m.handle(
            Input::Produce {
                topic: "bench".into(),
                partition: Some(p),
                key: Some(format!("key-{p}")),
                value: Some("v".repeat(100)),
                count,
            },
            0,
        )
        .unwrap();
    }
    for c in 0..CONSUMERS {
        let spec = ConsumerSpec::new(format!("c{c}"))
            .property("group.id", "bench")
            .property("auto.offset.reset", "earliest")
            .subscribe(["bench"]);
        m.handle(Input::StartConsumer(spec), 0).unwrap();
    }
    while m.poll_event().is_some() {}
    m
}

/// Runs the model until every record was returned by `poll()` and processed.
fn consume_all(m: &mut Model) -> u64 {
    let mut processed = 0u64;
    let mut polled = 0u64;
    let mut now = m.now();
    while processed < RECORDS {
        now += 100;
        assert!(now < 600_000, "the benchmark must finish: {processed} processed");
        m.run_until(now);
        while let Some(e) = m.poll_event() {
            match &e.kind {
                EventKind::PollReturned { count, .. } => polled += u64::from(*count),
                EventKind::RecordsProcessed { count, .. } => processed += u64::from(*count),
                _ => {}
            }
        }
    }
    assert_eq!(polled, RECORDS);
    processed
}

/// The floor: touch every record once (clone its key, sum the offsets).
fn baseline(m: &Model) -> u64 {
    let mut sum = 0u64;
    for p in 0..PARTITIONS {
        let log = m.partition_log(&TopicPartition::new("bench", p)).unwrap();
        for (offset, r) in log.records(0, log.high_watermark()).iter().enumerate() {
            let key = r.key.clone();
            sum = sum.wrapping_add(offset as u64 + key.map_or(0, |k| k.len() as u64));
        }
    }
    sum
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("poll_throughput");
    g.throughput(Throughput::Elements(RECORDS));
    g.sample_size(10);
    g.bench_function("model_poll_1M_records_64p_8c", |b| {
        b.iter_batched(setup, |mut m| black_box(consume_all(&mut m)), BatchSize::PerIteration)
    });
    let m = setup();
    g.bench_function("baseline_touch_1M_records", |b| b.iter(|| black_box(baseline(&m))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
