//! Exact output for two consumers in every language, kept in
//! `tests/golden/`. A change to the generator shows here as a diff;
//! `UPDATE_GOLDEN=1 cargo test -p offsetlab-codegen --test golden` rewrites
//! the files (then read the diff before committing it).

use std::path::PathBuf;

use offsetlab_codegen::{Language, generate};
use offsetlab_model::ConsumerSpec;
use offsetlab_protocol::{CommitStrategy, TopicPartition};

/// Read at run time, not with `env!`: a build directory shared by two
/// checkouts would otherwise compare with the other checkout's files.
fn golden_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
        .join("tests/golden")
}

fn extension(language: Language) -> &'static str {
    match language {
        Language::Java => "java",
        Language::Python => "py",
        Language::Rust => "rs",
    }
}

fn check(name: &str, spec: &ConsumerSpec, topics: &[String]) {
    let mut stale = Vec::new();
    for language in Language::ALL {
        let got = generate(language, spec, topics);
        let path = golden_dir().join(format!("{name}.{}", extension(language)));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            eprintln!("--- {} differs; generated:\n{got}", path.display());
            stale.push(path.display().to_string());
        }
    }
    assert!(stale.is_empty(), "generated code differs from {stale:?} (UPDATE_GOLDEN=1 rewrites them)");
}

/// manual-commit.toml's c1: subscribe, commitSync(offsets) after each record.
#[test]
fn manual_commit_per_record() {
    let spec = ConsumerSpec::new("c1")
        .property("group.id", "app")
        .property("auto.offset.reset", "earliest")
        .property("enable.auto.commit", "false")
        .property("session.timeout.ms", "10000")
        .subscribe(["events"])
        .processing_ms(10)
        .commit(CommitStrategy::SyncPerRecord);
    check("manual-commit-c1", &spec, &[]);
}

/// Options that librdkafka names or bounds differently, assign(), and an
/// id and topic that need escaping.
#[test]
fn assign_with_renamed_options() {
    let mut spec = ConsumerSpec::new("report \"eu\\west\"")
        .property("group.id", "reporting")
        .property("enable.auto.commit", "false")
        .property("auto.offset.reset", "none")
        .property("fetch.min.bytes", "0")
        .property("fetch.max.wait.ms", "1000")
        .property("max.poll.records", "10")
        .property("max.poll.interval.ms", "20000")
        .property("partition.assignment.strategy", "sticky")
        .property("request.timeout.ms", "20000")
        .assign([TopicPartition::new("orders", 1), TopicPartition::new("주문", 2)])
        .processing_ms(50)
        .commit(CommitStrategy::SyncPerPoll);
    spec.poll_timeout_ms = 250;
    check("assign-renamed-options", &spec, &[]);
}
