//! Headless runner: `offsetlab-sim run FILE [--until MS] [--json]`.
//!
//! Prints the event stream (human lines, or JSON lines with `--json`) and a
//! summary. `offsetlab-sim guide FILE` walks through the file's `[guide]`
//! steps instead and checks their expectations (exit code 1 if one fails).
//! Exit code 2 for bad arguments or a bad scenario file.

use std::process::ExitCode;

use offsetlab_model::scenario::ScenarioRun;
use offsetlab_model::summary::SummaryBuilder;
use offsetlab_model::text::event_line;
use offsetlab_model::{Scenario, check_expectation};

const USAGE: &str = "usage: offsetlab-sim run FILE [--until MS] [--json]
       offsetlab-sim guide FILE
  guide       walk through the [guide] steps and check their expectations
  FILE        a scenario file (TOML, see crates/model/SCENARIOS.md)
  --until MS  run to this virtual time in milliseconds (default: the scenario's until_ms)
  --json      print events as JSON lines, then the summary as one JSON object";

struct Args {
    guide: bool,
    file: String,
    until: Option<u64>,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let guide = match it.next().map(String::as_str) {
        Some("run") => false,
        Some("guide") => true,
        Some("-h" | "--help" | "help") => return Err(String::new()),
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("missing command".into()),
    };
    let mut file = None;
    let mut until = None;
    let mut json = false;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" if !guide => json = true,
            "--until" if !guide => {
                let v = it.next().ok_or("--until needs a value in milliseconds")?;
                until =
                    Some(v.parse().map_err(|_| format!("--until: `{v}` is not a number of milliseconds"))?);
            }
            s if s.starts_with("--until=") && !guide => {
                let v = &s["--until=".len()..];
                until =
                    Some(v.parse().map_err(|_| format!("--until: `{v}` is not a number of milliseconds"))?);
            }
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    Ok(Args { guide, file: file.ok_or("missing FILE")?, until, json })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("offsetlab-sim: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("offsetlab-sim: cannot read {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let scenario = match Scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    if args.guide {
        return walk_guide(&args.file, &scenario);
    }
    let until = args.until.unwrap_or(scenario.until_ms);
    let mut builder = SummaryBuilder::default();
    let json = args.json;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = scenario.run(until, |e| {
        use std::io::Write as _;
        builder.observe(e);
        let line = if json { serde_json::to_string(e).ok() } else { event_line(e) };
        if let Some(line) = line {
            let _ = writeln!(out, "{line}");
        }
    });
    let model = match result {
        Ok(m) => m,
        Err(e) => {
            drop(out);
            eprintln!("{}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let summary = builder.finish(&model);
    use std::io::Write as _;
    if json {
        let v = serde_json::json!({ "summary": summary });
        let _ = writeln!(out, "{v}");
    } else {
        let _ = write!(out, "\n{summary}");
    }
    ExitCode::SUCCESS
}

/// Prints each guide step, the expectation and whether it holds.
fn walk_guide(file: &str, scenario: &Scenario) -> ExitCode {
    let Some(guide) = &scenario.guide else {
        eprintln!("{file}: no [guide]");
        return ExitCode::from(2);
    };
    println!("{}\n  {}\n", guide.question, guide.explanation);
    let mut run = match ScenarioRun::new(scenario) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    for (n, step) in guide.steps.iter().enumerate() {
        if let Err(e) = run.advance(step.at_ms) {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
        while run.model.poll_event().is_some() {}
        println!("{:>2}. {:>7} ms  {}", n + 1, step.at_ms, step.text);
        if let Some(expect) = &step.expect {
            match check_expectation(&run.model, expect) {
                Ok(()) => println!("              ok    {expect}"),
                Err(f) => {
                    failed += 1;
                    println!("              FAIL  {expect}\n                    {f}");
                }
            }
        }
    }
    if failed > 0 {
        println!("\n{failed} expectation(s) failed");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
