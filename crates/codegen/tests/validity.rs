//! The generated code is valid (issue 6, item 3):
//! - Python: `python3 -m py_compile` on every program (python3 must exist).
//! - Java: syntax and JDK types with `javac`'s own API (`tests/support/CheckJava.java`),
//!   without Kafka's jars; skipped with a notice when there is no JDK.
//! - Rust: `rustfmt --check` (style, for pasting into a project); the type
//!   check against rdkafka is the `offsetlab-codegen-check` crate.
//! - With confluent-kafka installed, every Python configuration is handed to
//!   librdkafka (`Consumer(CONFIG)`), which rejects unknown names and bad values.
//!
//! For every consumer of every built-in scenario and every edge case of
//! `offsetlab_codegen::samples`.

// Native tests: std's sorts stay out of the wasm (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use offsetlab_codegen::samples::{self, Sample};
use offsetlab_codegen::{Language, generate};

/// Read at run time, not with `env!`: a build directory shared by two
/// checkouts would otherwise point at the checkout it was built in.
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
}

fn root() -> PathBuf {
    manifest_dir().join("../..")
}

fn all_samples() -> Vec<Sample> {
    let dir = root().join("static/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios in {}", dir.display());
    let mut out = Vec::new();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        out.extend(samples::scenario(&stem, &text).unwrap());
    }
    out.extend(samples::edge_cases());
    out
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("offsetlab-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes every sample's program; Java files each in a directory of their
/// own, as the public class must be in `ConsumerApp.java`.
fn write_all(dir: &Path, language: Language) -> Vec<PathBuf> {
    all_samples()
        .iter()
        .map(|s| {
            let code = generate(language, &s.spec, &s.topics);
            let path = match language {
                Language::Java => {
                    std::fs::create_dir_all(dir.join(&s.name)).unwrap();
                    dir.join(&s.name).join(offsetlab_codegen::JAVA_CLASS_NAME).with_extension("java")
                }
                Language::Python => dir.join(format!("{}.py", s.name)),
                Language::Rust => dir.join(format!("{}.rs", s.name)),
            };
            std::fs::write(&path, code).unwrap();
            path
        })
        .collect()
}

fn on_path(program: &str, version_arg: &str) -> bool {
    Command::new(program).arg(version_arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn python_compiles() {
    assert!(
        on_path("python3", "--version"),
        "python3 is not on PATH; it is needed to check the Python output"
    );
    let dir = TempDir::new("py");
    let files = write_all(&dir.0, Language::Python);
    let (ok, out) = run(Command::new("python3").args(["-m", "py_compile"]).args(&files));
    assert!(ok, "py_compile failed:\n{out}");
    println!("py_compile: {} programs compiled", files.len());
}

#[test]
fn python_config_is_accepted_by_librdkafka() {
    let probe = Command::new("python3").args(["-c", "import confluent_kafka"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("notice: confluent_kafka is not installed; Python configurations not handed to librdkafka");
        return;
    }
    let dir = TempDir::new("py-conf");
    let files = write_all(&dir.0, Language::Python);
    // Import each program (its main() does not run), build the consumer
    // from its CONFIG, close it; no broker is needed for that.
    let script = r#"
import importlib.util, sys
from confluent_kafka import Consumer
bad = 0
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("generated", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        # log_level 0: no "connection refused" lines; there is no broker.
        Consumer(dict(module.CONFIG, log_level=0)).close()
    except Exception as e:
        bad += 1
        print(f"{path}: {e}")
print(f"{len(sys.argv) - 1} configurations, {bad} refused")
sys.exit(1 if bad else 0)
"#;
    let (ok, out) = run(Command::new("python3").arg("-c").arg(script).args(&files));
    assert!(ok, "librdkafka refused configurations:\n{out}");
    println!("{}", out.trim());
}

#[test]
fn java_parses_and_type_checks_without_kafka() {
    if !on_path("javac", "-version") || !on_path("java", "-version") {
        println!("notice: no JDK (javac) on PATH; the Java output was not checked");
        return;
    }
    let dir = TempDir::new("java");
    let files = write_all(&dir.0, Language::Java);
    let checker = manifest_dir().join("tests/support/CheckJava.java");
    let (ok, out) = run(Command::new("java").arg(checker).args(&files));
    assert!(ok, "javac found errors:\n{out}");
    println!("{}", out.trim());
}

#[test]
fn rust_is_rustfmt_clean() {
    if !on_path("rustfmt", "--version") {
        println!("notice: rustfmt is not on PATH; the Rust output's formatting was not checked");
        return;
    }
    let dir = TempDir::new("rs");
    let files = write_all(&dir.0, Language::Rust);
    let (ok, out) = run(Command::new("rustfmt").args(["--edition", "2024", "--check"]).args(&files));
    assert!(ok, "rustfmt would change the generated Rust:\n{out}");
}

#[test]
fn every_scenario_consumer_is_covered() {
    let samples = all_samples();
    // Eight scenario files with two to six consumers each, plus the edge cases.
    assert!(samples.iter().filter(|s| !s.name.starts_with("edge_")).count() >= 8);
    assert!(samples.iter().any(|s| s.spec.id.contains('"')));
}
