//! Prints the client code for a consumer of a scenario file:
//!
//! ```text
//! cargo run -p offsetlab-codegen --example client_code -- java static/scenarios/assign.toml c2
//! ```

use offsetlab_codegen::{Language, generate};
use offsetlab_model::Scenario;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [language, file, consumer] = &args[..] else {
        eprintln!("usage: client_code java|python|rust SCENARIO.toml CONSUMER_ID");
        std::process::exit(2);
    };
    let language = match language.as_str() {
        "java" => Language::Java,
        "python" => Language::Python,
        "rust" => Language::Rust,
        other => {
            eprintln!("unknown language {other}: java, python or rust");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1);
    });
    let scenario = Scenario::parse(&text).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1);
    });
    let topics: Vec<String> = scenario.config.topics.iter().map(|(t, _)| t.clone()).collect();
    let Some(entry) = scenario.consumers.iter().find(|c| &c.spec.id == consumer) else {
        let ids: Vec<&str> = scenario.consumers.iter().map(|c| c.spec.id.as_str()).collect();
        eprintln!("{file} has no consumer {consumer} (it has: {})", ids.join(", "));
        std::process::exit(1);
    };
    print!("{}", generate(language, &entry.spec, &topics));
}
