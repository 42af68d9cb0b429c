//! `cargo xtask test`: every check, in order, stopping at the first broken
//! one. Test counts are read from each runner's own closing lines so the
//! summary says how many tests ran, not how many steps.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{Error, project_root, target_dir, tools};

/// Crates that must never be in the model's tree: it has no IO, no clock and
/// no OS randomness, and must build for wasm32 alone.
const MODEL_FORBIDDEN: &[&str] = &["tokio", "web-sys", "js-sys", "getrandom", "rdkafka"];

const STEPS: &[&str] =
    &["fmt", "clippy", "clippy-wasm", "native", "model-deps", "model-wasm", "browser", "e2e"];

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Reads a runner's closing lines: cargo test and wasm-bindgen-test
    /// (`test result: ok. 3 passed; 0 failed; ...`) and node's spec reporter
    /// (`ℹ pass 3` / `ℹ fail 0`).
    fn read_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                if let [.., n, kind] = words[..] {
                    match (kind, n.parse::<u64>()) {
                        ("passed", Ok(n)) => self.passed += n,
                        ("failed", Ok(n)) => self.failed += n,
                        _ => {}
                    }
                }
            }
        } else if let Some(n) = line.strip_prefix("ℹ pass ").and_then(|n| n.parse::<u64>().ok()) {
            self.passed += n;
        } else if let Some(n) = line.strip_prefix("ℹ fail ").and_then(|n| n.parse::<u64>().ok()) {
            self.failed += n;
        }
    }
}

/// Runs `cmd`, echoing its stdout while counting test results.
fn run_counted(cmd: &mut Command, tally: &mut Tally) -> Result<(), Error> {
    let shown = format!("{cmd:?}");
    let mut child =
        cmd.stdout(Stdio::piped()).spawn().map_err(|e| Error::Step(format!("cannot start {shown}: {e}")))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            tally.read_line(&line);
        }
    }
    let status = child.wait().map_err(|e| Error::Step(format!("{shown}: {e}")))?;
    if status.success() { Ok(()) } else { Err(Error::Step(format!("{shown} exited with {status}"))) }
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(project_root()).args(args);
    cmd
}

pub fn test(args: &[String]) -> Result<(), Error> {
    for name in args {
        if !STEPS.contains(&name.as_str()) {
            return Err(Error::Usage(format!("unknown step `{name}`; steps are: {}", STEPS.join(", "))));
        }
    }
    let selected: Vec<&str> =
        STEPS.iter().copied().filter(|s| args.is_empty() || args.iter().any(|a| a == s)).collect();
    let started = Instant::now();

    warn_if_disk_low();
    println!("xtask: checking tools");
    let needs_wasm = selected.iter().any(|s| ["clippy-wasm", "model-wasm", "browser", "e2e"].contains(s));
    let needs_browser = selected.iter().any(|s| ["browser", "e2e"].contains(s));
    let mut chromedriver = None;
    let mut node_modules = None;
    if needs_wasm {
        tools::ensure_wasm_target()?;
    }
    if needs_browser {
        tools::ensure_wasm_bindgen()?;
        chromedriver = Some(tools::ensure_chromium()?);
    }
    if selected.contains(&"e2e") {
        tools::ensure_trunk()?;
        node_modules = Some(tools::ensure_node_modules()?);
    }
    // The gateway's tests run against a real broker and read back commits
    // with an independent client.
    let mut live_env: Vec<(&str, PathBuf)> = Vec::new();
    if selected.iter().any(|s| ["native", "e2e"].contains(s)) {
        live_env.push(("OFFSETLAB_NISSHI", tools::ensure_nisshi()?));
        live_env.push(("OFFSETLAB_PYTHON", tools::ensure_python_kafka()?));
    }

    let mut tally = Tally::default();
    let total = selected.len();
    for (i, step) in selected.iter().enumerate() {
        println!("\n==> [{}/{total}] {step}", i + 1);
        let step_started = Instant::now();
        let before_failed = tally.failed;
        let result = match *step {
            "fmt" => run_counted(&mut cargo(&["fmt", "--all", "--check"]), &mut tally),
            "clippy" => run_counted(
                &mut cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
                &mut tally,
            ),
            // The browser-only code (cfg wasm32) is linted too.
            "clippy-wasm" => run_counted(
                &mut cargo(&[
                    "clippy",
                    "-p",
                    "offsetlab",
                    "--target",
                    tools::WASM_TARGET,
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]),
                &mut tally,
            ),
            "native" => {
                run_counted(cargo(&["test", "--workspace"]).envs(live_env.iter().cloned()), &mut tally)
            }
            "model-deps" => model_deps(&mut tally),
            "model-wasm" => run_counted(
                &mut cargo(&["build", "-p", "offsetlab-model", "--target", tools::WASM_TARGET]),
                &mut tally,
            ),
            "browser" => {
                let mut cmd =
                    cargo(&["test", "-p", "offsetlab", "--target", tools::WASM_TARGET, "--test", "*"]);
                if let Some(driver) = &chromedriver {
                    cmd.env("CHROMEDRIVER", driver);
                }
                with_scratch_tmp("browser-tmp", &mut cmd, |cmd| run_counted(cmd, &mut tally))
            }
            "e2e" => e2e(node_modules.clone().unwrap_or_default(), &live_env, &mut tally),
            other => unreachable!("step {other} is in STEPS but has no runner"),
        };
        match result {
            Ok(()) => println!("==> {step}: ok ({:.0?})", step_started.elapsed()),
            Err(e) => {
                // A broken build or lint has no test counts of its own; it
                // still counts as a failure in the summary.
                if tally.failed == before_failed {
                    tally.failed += 1;
                }
                eprintln!("\nxtask: step `{step}` failed: {e}");
                println!("{} passed, {} failed", tally.passed, tally.failed);
                return Err(Error::Step(format!("step `{step}` failed")));
            }
        }
    }
    println!("\nxtask: all {total} steps ok in {:.0?}", started.elapsed());
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// `cargo tree -p offsetlab-model` (normal, build and dev edges) must not
/// contain a forbidden crate.
fn model_deps(tally: &mut Tally) -> Result<(), Error> {
    let out = cargo(&["tree", "-p", "offsetlab-model", "--prefix", "none", "-e", "normal,build,dev"])
        .output()
        .map_err(|e| Error::Step(format!("cannot run cargo tree: {e}")))?;
    if !out.status.success() {
        return Err(Error::Step(format!("cargo tree failed: {}", String::from_utf8_lossy(&out.stderr))));
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    let found: Vec<&str> = MODEL_FORBIDDEN
        .iter()
        .copied()
        .filter(|name| tree.lines().any(|l| l.split_whitespace().next() == Some(name)))
        .collect();
    if found.is_empty() {
        println!("offsetlab-model depends on none of: {}", MODEL_FORBIDDEN.join(", "));
        tally.passed += 1;
        Ok(())
    } else {
        tally.failed += 1;
        Err(Error::Step(format!("offsetlab-model must not depend on {}", found.join(", "))))
    }
}

/// Builds the app as it is served (release, wasm-opt from npm, split in
/// two), then drives the built `dist/` in headless Chromium with
/// playwright-core.
fn e2e(node_modules: PathBuf, live_env: &[(&str, PathBuf)], tally: &mut Tally) -> Result<(), Error> {
    let root = project_root();
    // Live mode's test serves the build from the real gateway.
    run_counted(&mut cargo(&["build", "-p", "offsetlab-gateway"]), tally)?;
    let dist = target_dir().join("e2e-dist");
    crate::build_release_dist(&dist, &node_modules, crate::Split::Required)?;

    let e2e_dir = root.join("tests").join("e2e");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&e2e_dir)
        .map_err(|e| Error::Step(format!("cannot read {}: {e}", e2e_dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Step(format!("no *.test.mjs in {}", e2e_dir.display())));
    }
    let mut node = tools::node();
    node.env("OFFSETLAB_DIST", &dist)
        .env("OFFSETLAB_SCREENSHOTS", e2e_dir.join("screenshots"))
        .env("OFFSETLAB_GATEWAY", target_dir().join("debug").join("offsetlab-gateway"))
        .envs(live_env.iter().cloned())
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .args(&files);
    with_scratch_tmp("e2e-tmp", &mut node, |node| run_counted(node, tally))
}

/// A full run from nothing writes about 6 GB of builds. When the disk is
/// fuller than that, compilers fail with "No space left on device" midway;
/// saying so up front names the cause.
fn warn_if_disk_low() {
    const NEEDED_KB: u64 = 6 * 1024 * 1024;
    let dir = target_dir();
    let _ = std::fs::create_dir_all(&dir);
    let Ok(out) = Command::new("df").arg("-Pk").arg(&dir).output() else { return };
    let text = String::from_utf8_lossy(&out.stdout);
    // POSIX df: a header, then "fs blocks used available capacity mount".
    let free_kb = text.lines().nth(1).and_then(|l| l.split_whitespace().nth(3)?.parse::<u64>().ok());
    if let Some(free_kb) = free_kb.filter(|&kb| kb < NEEDED_KB) {
        eprintln!(
            "xtask: warning: {} MB free on the disk of {}; a full run from nothing needs about {} MB",
            free_kb / 1024,
            dir.display(),
            NEEDED_KB / 1024
        );
    }
}

/// Runs `cmd` with `TMPDIR` set to a fresh directory in the build directory,
/// removed afterwards. chromedriver leaves each session's Chromium profile
/// (about 60 MB) in the temporary directory when wasm-bindgen-test-runner
/// stops it, four per run; on a kept machine they filled the disk.
fn with_scratch_tmp(
    name: &str,
    cmd: &mut Command,
    run: impl FnOnce(&mut Command) -> Result<(), Error>,
) -> Result<(), Error> {
    let tmp = target_dir().join(name);
    // What a run killed midway left behind goes first.
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)
        .map_err(|e| Error::Step(format!("cannot create {}: {e}", tmp.display())))?;
    let result = run(cmd.env("TMPDIR", &tmp));
    if let Err(e) = std::fs::remove_dir_all(&tmp) {
        eprintln!("xtask: warning: cannot remove {}: {e}", tmp.display());
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_wasm_bindgen_and_node_totals() {
        let mut t = Tally::default();
        t.read_line(
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
        );
        t.read_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out; finished in 0.23s");
        t.read_line("ℹ pass 4");
        t.read_line("ℹ fail 1");
        t.read_line("running 12 tests");
        assert_eq!((t.passed, t.failed), (19, 3));
    }
}
