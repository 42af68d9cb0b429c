//! Bundles every built-in scenario (static/scenarios/*.toml) into the app,
//! so the menu works offline and in embeds without fetching files.

use std::path::Path;

fn main() {
    // Read at run time, not with env!(): cargo may reuse a compiled build
    // script from a checkout at another path that shares the target dir.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest_dir).join("static").join("scenarios");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut out = String::from(
        "/// (id, TOML text) of each built-in scenario, by file name.\npub const BUILT_IN: &[(&str, &str)] = &[\n",
    );
    for path in files {
        let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        out.push_str(&format!("    ({id:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("scenarios.rs");
    if let Err(e) = std::fs::write(&target, out) {
        panic!("cannot write {}: {e}", target.display());
    }
}
