//! `cargo xtask <task>`: the project's own setup and test driver.
//!
//! Everything a fresh machine lacks (the wasm32 target, trunk,
//! wasm-bindgen-cli, Chromium, npm packages) is installed here, at pinned
//! versions, and skipped when already present.

mod split;
mod steps;
mod tools;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

const USAGE: &str = "\
cargo xtask <task> [options]

Tasks:
  serve [--port N] [--address IP] [--release]
        Install what is missing, then serve the app offline with trunk
        (default http://127.0.0.1:8080).
  dist [--out DIR]
        Build the app as the tests and benchmark serve it (release, its
        .wasm split in two: what starts the page, and the rest) into DIR
        (default dist/), for any static web server.
  test [STEP...]
        Install what is missing, then run every check in order, stopping at
        the first broken one, and end with `N passed, N failed`.
        Steps: fmt, clippy, clippy-wasm, native, model-deps, model-wasm,
        browser, e2e. Name some to run only those.
  bench [--seconds N]
        The model's criterion benchmark (records delivered through poll per
        second, next to a baseline loop), the gateway's relay benchmark (records
        per second to a browser socket next to kcat, and memory with 200 idle +
        20 busy sockets), then the browser benchmark: the
        release build plays 256 partitions / 32 consumers / 4 groups at 20x in
        headless Chromium for N seconds (default 10) and prints frame times
        and the gzipped .wasm sizes; then how long the page takes to show over
        slow networks. Results go in BENCHMARKS.md by hand.
  broker [--port N]
        Install the nisshi broker (once, with the nightly toolchain) and run
        it in memory on 127.0.0.1:N (default 9092) until Ctrl-C.
  live [--port N] [--broker-port N]
        A workshop in one command: build the app, start the broker and the
        gateway (with --allow-write), and serve both on
        http://127.0.0.1:N/ (default 8081). To use an existing cluster
        instead, run the gateway yourself (see the README).
  help  Print this.

Build output goes to $CARGO_TARGET_DIR, default ~/.cache/offsetlab/target,
so a kept machine reuses it across clones.";

#[derive(Debug)]
pub enum Error {
    /// A tool could not be found or installed; says how to do it by hand.
    Tool {
        name: String,
        why: String,
        by_hand: String,
    },
    Usage(String),
    Step(String),
}

impl Error {
    pub fn tool(name: &str, why: String, by_hand: &str) -> Self {
        Error::Tool { name: name.to_string(), why, by_hand: by_hand.to_string() }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Tool { name, why, by_hand } => {
                write!(f, "cannot set up {name}: {why}\n  install it by hand with: {by_hand}")
            }
            Error::Usage(msg) => write!(f, "{msg}\n\n{USAGE}"),
            Error::Step(msg) => f.write_str(msg),
        }
    }
}

/// The workspace root: xtask lives one level below it.
pub fn project_root() -> PathBuf {
    // `cargo xtask` (cargo run) sets it at run time; the built-in value is
    // where this binary was built, which may be another checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

/// The shared build directory: `$CARGO_TARGET_DIR`, else one under
/// ~/.cache so that every clone on a kept machine reuses it.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(project_root);
    home.join(".cache").join("offsetlab").join("target")
}

/// Makes a `trunk build --release` or `trunk serve --release` build a
/// smaller download: std compiled with the app (at rustup's opt-level 3,
/// .cargo/config.toml) and panics as a bare abort, so panic messages and
/// their formatting leave the `.wasm` (22 KB of 508 KB gzipped,
/// BENCHMARKS.md). Both are unstable options; RUSTC_BOOTSTRAP lets the
/// stable compiler take them, for this build only. Debug builds
/// (`trunk serve`) keep panic messages. Without reference types, which
/// wasm-bindgen then does not use, Debian's wasm-split can read the build
/// (`build_release_dist`).
pub fn release_wasm(cmd: &mut Command) -> Result<&mut Command, Error> {
    tools::ensure_std_sources()?;
    let mut flags =
        "-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types".to_string();
    // The linker's map says where each static starts and ends, which the
    // split needs to move data as well as code (split::data). Cargo splits
    // these flags at spaces, so a build directory with one gets no map.
    let map = split::linker_map();
    if !map.to_string_lossy().contains(char::is_whitespace) {
        flags.push_str(&format!(" -Clink-arg=--Map={}", map.display()));
    }
    Ok(cmd
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", flags))
}

/// Whether a release build must be split (the tests and the benchmark
/// measure the split build) or may stay one module when the tools for the
/// split cannot be had (`dist` and `live` on a machine without Chromium).
#[derive(Clone, Copy)]
pub enum Split {
    Required,
    IfPossible,
}

/// The release build the benchmark, the end-to-end tests and live mode
/// serve: trunk's build into `dist`, its `.wasm` then split so a page
/// starts from the code it runs first (`split`). The split needs Chromium,
/// which runs the build once to see what that code is.
pub fn build_release_dist(
    dist: &std::path::Path,
    node_modules: &std::path::Path,
    split: Split,
) -> Result<(), Error> {
    let chromium = match (tools::ensure_chromium(), split) {
        (Err(e), Split::Required) => return Err(e),
        (chromium, _) => chromium,
    };
    run_status(
        release_wasm(&mut Command::new("trunk"))?
            .current_dir(project_root())
            .env("PATH", tools::path_with(&node_modules.join(".bin"))?)
            .args(["build", "--release", "--offline", "--dist"])
            .arg(dist),
    )?;
    let result = chromium.and_then(|_| split::split_dist(dist));
    match (result, split) {
        (Ok([all, menu]), _) => {
            for (split, starts) in [(all, "a page that opens a scenario"), (menu, "the bare page")] {
                println!(
                    "xtask: split the wasm: {} ({} bytes) starts {starts}, {} ({} bytes) loads after, \
                     with {} read-only statics ({} bytes) only its code uses",
                    split.first.display(),
                    split.first_bytes,
                    split.rest.display(),
                    split.rest_bytes,
                    split.moved_statics,
                    split.moved_bytes
                );
            }
            Ok(())
        }
        (Err(e), Split::Required) => Err(e),
        (Err(e), Split::IfPossible) => {
            println!("xtask: the .wasm stays one module, since it could not be split: {e}");
            Ok(())
        }
    }
}

/// Runs a command with inherited output; an error names it when it fails.
pub fn run_status(cmd: &mut Command) -> Result<(), Error> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| Error::Step(format!("cannot start {shown}: {e}")))?;
    if status.success() { Ok(()) } else { Err(Error::Step(format!("{shown} exited with {status}"))) }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Children (cargo, trunk) inherit the shared build directory.
    // SAFETY: single-threaded at this point; nothing else reads the environment.
    unsafe { std::env::set_var("CARGO_TARGET_DIR", target_dir()) };
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some("serve") => serve(&args[1..]),
        Some("dist") => dist(&args[1..]),
        Some("test") => steps::test(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("broker") => broker(&args[1..]),
        Some("live") => live(&args[1..]),
        Some(other) => Err(Error::Usage(format!("unknown task `{other}`"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--flag value` pairs; unknown flags are errors, not ignored.
fn flag_values<'a>(
    args: &'a [String],
    known: &[&str],
    switches: &[&str],
) -> Result<Vec<(&'a str, &'a str)>, Error> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if switches.contains(&arg.as_str()) {
            out.push((arg.as_str(), ""));
        } else if known.contains(&arg.as_str()) {
            let value = it.next().ok_or_else(|| Error::Usage(format!("{arg} needs a value")))?;
            out.push((arg.as_str(), value.as_str()));
        } else {
            return Err(Error::Usage(format!("unknown option `{arg}`")));
        }
    }
    Ok(out)
}

fn serve(args: &[String]) -> Result<(), Error> {
    let mut port = "8080".to_string();
    let mut address = "127.0.0.1".to_string();
    let mut release = false;
    for (flag, value) in flag_values(args, &["--port", "--address"], &["--release"])? {
        match flag {
            "--port" => {
                value
                    .parse::<u16>()
                    .map_err(|_| Error::Usage(format!("--port {value}: not a port number")))?;
                port = value.to_string();
            }
            "--address" => {
                value
                    .parse::<std::net::IpAddr>()
                    .map_err(|_| Error::Usage(format!("--address {value}: not an IP address")))?;
                address = value.to_string();
            }
            _ => release = true,
        }
    }
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    let mut cmd = Command::new("trunk");
    cmd.current_dir(project_root()).args(["serve", "--offline", "--address", &address, "--port", &port]);
    if release {
        // Release builds run wasm-opt, which comes from npm.
        let modules = tools::ensure_node_modules()?;
        release_wasm(&mut cmd)?.arg("--release").env("PATH", tools::path_with(&modules.join(".bin"))?);
    }
    println!("xtask: serving OffsetLab at http://{address}:{port}/ (Ctrl-C stops)");
    run_status(&mut cmd)
}

fn dist(args: &[String]) -> Result<(), Error> {
    let mut out = project_root().join("dist");
    for (_, value) in flag_values(args, &["--out"], &[])? {
        // trunk runs in the project root; the split reads where it wrote.
        out = std::env::current_dir()
            .map_err(|e| Error::Step(format!("cannot read the current directory: {e}")))?
            .join(value);
    }
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    let modules = tools::ensure_node_modules()?;
    build_release_dist(&out, &modules, Split::IfPossible)?;
    println!("xtask: built {}", out.display());
    Ok(())
}

fn bench(args: &[String]) -> Result<(), Error> {
    let mut seconds = "10".to_string();
    for (_, value) in flag_values(args, &["--seconds"], &[])? {
        value.parse::<u32>().map_err(|_| Error::Usage(format!("--seconds {value}: not a whole number")))?;
        seconds = value.to_string();
    }
    let root = project_root();
    println!("==> model: cargo bench -p offsetlab-model --bench poll_throughput");
    run_status(
        Command::new("cargo")
            .current_dir(&root)
            .args(["bench", "-p", "offsetlab-model", "--bench", "poll_throughput", "--"])
            .args(["--warm-up-time", "1", "--measurement-time", "5"]),
    )?;
    println!("\n==> relay: cargo bench -p offsetlab-gateway --bench relay (gateway vs kcat, and memory)");
    let nisshi = tools::ensure_nisshi()?;
    let (kcat, kcat_lib) = tools::ensure_kcat()?;
    run_status(
        Command::new("cargo")
            .current_dir(&root)
            .args(["bench", "-p", "offsetlab-gateway", "--bench", "relay"])
            .env("OFFSETLAB_NISSHI", nisshi)
            .env("KCAT", kcat)
            .env("KCAT_LIBRARY_PATH", kcat_lib),
    )?;
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    let modules = tools::ensure_node_modules()?;
    let dist = target_dir().join("bench-dist");
    println!("\n==> browser: cargo xtask dist, then benches/browser/frames.mjs for {seconds} s and load.mjs");
    build_release_dist(&dist, &modules, Split::Required)?;
    for script in ["benches/browser/frames.mjs", "benches/browser/load.mjs"] {
        run_status(tools::node().env("OFFSETLAB_DIST", &dist).env("BENCH_SECONDS", &seconds).arg(script))?;
    }
    Ok(())
}

fn port_flag(value: &str, flag: &str) -> Result<u16, Error> {
    value.parse::<u16>().map_err(|_| Error::Usage(format!("{flag} {value}: not a port number")))
}

/// The broker command line of ../shared/design/BROKER.md: in memory, no
/// rebalance delay, listening on loopback only.
fn broker_command(port: u16) -> Result<Command, Error> {
    let program = tools::ensure_nisshi()?;
    let dir = tools::cache_dir().join(format!("broker-{port}"));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Step(format!("cannot create {}: {e}", dir.display())))?;
    let url = format!("tcp://127.0.0.1:{port}");
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .args(["broker", "--listener-url", &url, "--advertised-listener-url", &url])
        .args(["--storage-engine", "memory://offsetlab/", "--cluster-id", "offsetlab"])
        .args(["--group-initial-rebalance-delay", "0s"]);
    Ok(cmd)
}

fn broker(args: &[String]) -> Result<(), Error> {
    let mut port = 9092;
    for (flag, value) in flag_values(args, &["--port"], &[])? {
        port = port_flag(value, flag)?;
    }
    println!("xtask: Kafka-protocol broker (nisshi) at 127.0.0.1:{port}, in memory (Ctrl-C stops)");
    run_status(&mut broker_command(port)?)
}

fn live(args: &[String]) -> Result<(), Error> {
    let mut port = 8081;
    let mut broker_port = 9092;
    for (flag, value) in flag_values(args, &["--port", "--broker-port"], &[])? {
        match flag {
            "--port" => port = port_flag(value, flag)?,
            _ => broker_port = port_flag(value, flag)?,
        }
    }
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    let modules = tools::ensure_node_modules()?;
    let root = project_root();
    let dist = target_dir().join("live-dist");
    build_release_dist(&dist, &modules, Split::IfPossible)?;
    run_status(Command::new("cargo").current_dir(&root).args(["build", "-p", "offsetlab-gateway"]))?;
    let mut broker = broker_command(broker_port)?
        .spawn()
        .map_err(|e| Error::Step(format!("cannot start the broker: {e}")))?;
    println!(
        "xtask: broker at 127.0.0.1:{broker_port}; OffsetLab live at http://127.0.0.1:{port}/ (Ctrl-C stops)"
    );
    let gateway = run_status(
        Command::new(target_dir().join("debug").join("offsetlab-gateway"))
            .args(["--bootstrap-servers", &format!("127.0.0.1:{broker_port}")])
            .args(["--listen", &format!("127.0.0.1:{port}"), "--allow-write", "--static-dir"])
            .arg(&dist),
    );
    let _ = broker.kill();
    let _ = broker.wait();
    gateway
}
