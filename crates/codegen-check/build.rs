//! Writes the Rust program of every consumer of every built-in scenario
//! (static/scenarios/*.toml) and of every edge case of
//! `offsetlab_codegen::samples` into `$OUT_DIR/generated.rs`, one module
//! each, so that building this crate type-checks them against rdkafka.

use std::fmt::Write;
use std::path::PathBuf;

use offsetlab_codegen::samples::{self, Sample};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let scenarios = manifest.join("../../static/scenarios");
    println!("cargo::rerun-if-changed={}", scenarios.display());

    let mut files: Vec<PathBuf> = std::fs::read_dir(&scenarios)
        .unwrap_or_else(|e| panic!("{}: {e}", scenarios.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut all: Vec<Sample> = Vec::new();
    for f in &files {
        println!("cargo::rerun-if-changed={}", f.display());
        let stem = f.file_stem().expect("a file name").to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        all.extend(samples::scenario(&stem, &text).unwrap_or_else(|e| panic!("{e}")));
    }
    all.extend(samples::edge_cases());

    let mut out = String::new();
    let _ = writeln!(out, "/// Every generated program.");
    let _ = writeln!(out, "pub const PROGRAMS: &[Program] = &[");
    for s in &all {
        let _ = writeln!(
            out,
            "    Program {{ module: {:?}, consumer: {:?}, config: {}::config, run: {}::run }},",
            s.name, s.spec.id, s.name, s.name
        );
    }
    let _ = writeln!(out, "];\n");
    for s in &all {
        let code = offsetlab_codegen::rust_module(&s.spec, &s.topics, "run");
        let _ = writeln!(out, "pub mod {} {{\n{code}}}\n", s.name);
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("generated.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
