//! Lists the built-in scenarios (static/scenarios/*.toml) with their titles
//! for the menu. The files themselves are copied into dist (index.html) and
//! fetched when chosen, so their text is not part of every download.

// Runs at build time, not in the wasm (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::path::Path;

use toml::de::{DeTable, DeValue};

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
    let mut listed = String::from(
        "/// Each built-in scenario's titles, by file name.\npub const BUILT_IN: &[BuiltIn] = &[\n",
    );
    let mut texts = String::from(
        "/// (id, TOML text) of each built-in scenario, for tests.\n#[cfg(test)]\npub const TEXTS: &[(&str, &str)] = &[\n",
    );
    for path in files {
        let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        // A file that does not parse is listed without titles; the test
        // in src/scenarios.rs names it.
        let table = DeTable::parse(&text).map(|t| t.into_inner()).unwrap_or_default();
        let field = |key: &str| {
            let value = table.iter().find(|(k, _)| {
                let k: &str = k.get_ref();
                k == key
            });
            match value.map(|(_, v)| v.get_ref()) {
                Some(DeValue::String(s)) => s.to_string(),
                _ => String::new(),
            }
        };
        listed.push_str(&format!(
            "    BuiltIn {{ id: {id:?}, name: {:?}, name_ko: {:?}, description: {:?}, description_ko: {:?} }},\n",
            field("name"),
            field("name_ko"),
            field("description"),
            field("description_ko"),
        ));
        texts.push_str(&format!("    ({id:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    listed.push_str("];\n");
    texts.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("scenarios.rs");
    if let Err(e) = std::fs::write(&target, listed + &texts) {
        panic!("cannot write {}: {e}", target.display());
    }
}
