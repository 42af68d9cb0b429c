//! Finds the tools OffsetLab needs and installs what is missing, at pinned
//! versions, from the package registries only (crates.io, Debian, npm).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Error, project_root, run_status};

pub const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen = "=…"` pin in the root Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The first line a command prints for `--version`, if it runs at all.
fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().next().unwrap_or("").trim().to_string())
}

/// `node` in the project root, told where Debian's Chromium is: the
/// scripts (end-to-end tests, benchmarks, the split's profile) drive it
/// with playwright-core.
pub fn node() -> Command {
    let mut cmd = Command::new("node");
    cmd.current_dir(project_root());
    if let Some(chromium) = which("chromium") {
        cmd.env("CHROMIUM", chromium);
    }
    cmd
}

/// Where a program is on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

pub fn ensure_wasm_target() -> Result<(), Error> {
    ensure_rustup("target", WASM_TARGET)
}

/// Adds a rustup `kind` (`target` or `component`) called `name` unless
/// `rustup KIND list --installed` lists it already.
fn ensure_rustup(kind: &str, name: &str) -> Result<(), Error> {
    let installed = Command::new("rustup")
        .args([kind, "list", "--installed"])
        .output()
        .map_err(|e| Error::tool("rustup", format!("cannot run rustup: {e}"), "install Rust with rustup"))?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == name) {
        return Ok(());
    }
    let by_hand = format!("rustup {kind} add {name}");
    println!("xtask: installing {name} ({by_hand})");
    run_status(Command::new("rustup").args([kind, "add", name]))
        .map_err(|e| Error::tool(name, e.to_string(), &by_hand))
}

/// std's sources (rustup's rust-src) and std's own dependencies from
/// crates.io, for the release build that compiles std itself
/// (`crate::release_wasm`). Fetched here, once, so trunk can build offline.
pub fn ensure_std_sources() -> Result<(), Error> {
    ensure_rustup("component", "rust-src")?;
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| Error::tool("rustc", format!("cannot run rustc: {e}"), "install Rust with rustup"))?;
    let library = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim())
        .join("lib/rustlib/src/rust/library/Cargo.toml");
    // std's workspace uses unstable cargo features; RUSTC_BOOTSTRAP lets the
    // stable cargo read it, as it does for the build itself.
    run_status(
        Command::new("cargo")
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fetch", "--quiet", "--target", WASM_TARGET, "--manifest-path"])
            .arg(&library),
    )
    .map_err(|e| Error::tool("std's dependencies", e.to_string(), "cargo fetch (see xtask/src/tools.rs)"))
}

/// Installs `krate` at `version` with cargo unless `program --version`
/// already reports it.
fn ensure_cargo_tool(program: &str, krate: &str, version: &str, locked: bool) -> Result<(), Error> {
    let want = format!("{program} {version}");
    match version_of(program) {
        Some(have) if have.starts_with(&want) => return Ok(()),
        Some(have) => println!("xtask: found {have}, need {want}: reinstalling"),
        None => {
            println!("xtask: {program} not found: installing {krate} {version} (this takes minutes, once)")
        }
    }
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    let by_hand =
        format!("cargo install {krate} --version {version}{}", if locked { " --locked" } else { "" });
    println!("xtask: running `{by_hand}`");
    // Tools go to ~/.cargo/bin; never into the project's shared target dir.
    cmd.env_remove("CARGO_TARGET_DIR");
    run_status(&mut cmd).map_err(|e| Error::tool(krate, e.to_string(), &by_hand))?;
    match version_of(program) {
        Some(have) if have.starts_with(&want) => Ok(()),
        other => Err(Error::tool(
            krate,
            format!("installed, but `{program} --version` says {other:?}; is ~/.cargo/bin first on PATH?"),
            &by_hand,
        )),
    }
}

pub fn ensure_trunk() -> Result<(), Error> {
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)
}

/// wasm-bindgen-cli also brings wasm-bindgen-test-runner. It is installed
/// without `--locked`: its lock file names a webpki-roots release that the
/// registry no longer has (../shared/design/TOOLCHAIN.md).
pub fn ensure_wasm_bindgen() -> Result<(), Error> {
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", WASM_BINDGEN_VERSION, false)
}

/// True when fontconfig knows a font with Korean glyphs. Without one the
/// Korean UI renders as empty boxes in headless screenshots.
fn has_korean_font() -> bool {
    // fc-list comes with the `fontconfig` package, which may be absent.
    Path::new("/usr/share/fonts/truetype/nanum").is_dir()
        || Command::new("fc-list")
            .arg(":lang=ko")
            .output()
            .map(|o| o.status.success() && !o.stdout.is_empty())
            .unwrap_or(false)
}

/// Debian's chromium and chromium-driver for browser and end-to-end tests,
/// and a Korean font (fonts-nanum) so screenshots of the Korean UI show
/// text. Returns the chromedriver path.
pub fn ensure_chromium() -> Result<PathBuf, Error> {
    let mut missing = Vec::new();
    if which("chromium").is_none() {
        missing.push("chromium");
    }
    if which("chromedriver").is_none() {
        missing.push("chromium-driver");
    }
    if !has_korean_font() {
        missing.push("fonts-nanum");
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    which("chromedriver").ok_or_else(|| {
        Error::tool(
            "chromium-driver",
            "installed but not on PATH".into(),
            "sudo apt-get install -y chromium-driver",
        )
    })
}

/// Installs Debian packages, as root or through passwordless sudo.
fn apt_install(packages: &[&str]) -> Result<(), Error> {
    let by_hand = format!("sudo apt-get install -y {}", packages.join(" "));
    println!("xtask: installing Debian packages: {}", packages.join(" "));
    let mut install = vec!["install", "-y", "-q"];
    install.extend_from_slice(packages);
    apt_get(&["update", "-q"])
        .and_then(|()| apt_get(&install))
        .map_err(|e| Error::tool(&packages.join(", "), e, &by_hand))
}

/// Runs apt-get as root or through passwordless sudo.
fn apt_get(args: &[&str]) -> Result<(), String> {
    let is_root =
        Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
    let sudo: &[&str] = if is_root {
        &[]
    } else if which("sudo").is_some() {
        &["sudo", "-n"]
    } else {
        return Err("not root, and no sudo to run apt-get with".into());
    };
    let mut all: Vec<&str> = sudo.to_vec();
    all.push("apt-get");
    all.extend_from_slice(args);
    let mut cmd = Command::new(all[0]);
    cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
    run_status(&mut cmd).map_err(|e| e.to_string())
}

/// binaryen's wasm-split, which the npm package lacks, from Debian's
/// `binaryen` package, unpacked under the cache rather than installed: its
/// wasm-opt is too old for trunk, and must not shadow npm's on PATH.
/// Returns the program and the LD_LIBRARY_PATH it needs.
pub fn ensure_wasm_split() -> Result<(PathBuf, PathBuf), Error> {
    let dir = cache_dir().join("binaryen-deb");
    let unpacked = dir.join("root");
    let program = unpacked.join("usr/bin/wasm-split");
    let library = |root: &Path| find_file(root, &|name| name.starts_with("libbinaryen.so"));
    if program.is_file()
        && let Some(lib) = library(&unpacked)
    {
        return Ok((program, lib.parent().map(Path::to_path_buf).unwrap_or_default()));
    }
    let by_hand =
        "apt-get download binaryen, then dpkg-deb -x binaryen_*.deb ~/.cache/offsetlab/binaryen-deb/root";
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Step(format!("cannot create {}: {e}", dir.display())))?;
    println!("xtask: fetching Debian's binaryen for wasm-split (apt-get download binaryen)");
    // Downloading needs no root; a fresh machine may have no package lists
    // yet, and updating them does.
    let download = || {
        run_status(Command::new("apt-get").args(["download", "-q", "binaryen"]).current_dir(&dir))
            .map_err(|e| e.to_string())
    };
    download()
        .or_else(|_| apt_get(&["update", "-q"]).and_then(|()| download()))
        .map_err(|e| Error::tool("binaryen", e, by_hand))?;
    let deb = find_file(&dir, &|name| name.starts_with("binaryen_") && name.ends_with(".deb"))
        .ok_or_else(|| Error::tool("binaryen", "apt-get download left no .deb".into(), by_hand))?;
    run_status(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked))
        .map_err(|e| Error::tool("binaryen", e.to_string(), by_hand))?;
    let lib = library(&unpacked)
        .ok_or_else(|| Error::tool("binaryen", "the package has no libbinaryen.so".into(), by_hand))?;
    if !program.is_file() {
        return Err(Error::tool("binaryen", "the package has no wasm-split".into(), by_hand));
    }
    Ok((program, lib.parent().map(Path::to_path_buf).unwrap_or_default()))
}

/// The npm packages in package.json: binaryen (wasm-opt for release builds)
/// and playwright-core (drives Chromium in the end-to-end tests; it never
/// downloads a browser). Skips `npm ci` when the lock file is unchanged.
pub fn ensure_node_modules() -> Result<PathBuf, Error> {
    let root = project_root();
    let modules = root.join("node_modules");
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| Error::Step(format!("cannot read package-lock.json: {e}")))?;
    let stamp = modules.join(".offsetlab-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..]) {
        return Ok(modules);
    }
    if which("npm").is_none() {
        return Err(Error::tool("npm", "not found".into(), "sudo apt-get install -y nodejs npm"));
    }
    println!("xtask: installing npm packages (npm ci): binaryen, playwright-core");
    run_status(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&root))
        .map_err(|e| Error::tool("npm packages", e.to_string(), "npm ci"))?;
    std::fs::write(&stamp, &lock)
        .map_err(|e| Error::Step(format!("cannot write {}: {e}", stamp.display())))?;
    Ok(modules)
}

/// PATH with `dir` in front, so trunk finds the npm wasm-opt.
pub fn path_with(dir: &Path) -> Result<std::ffi::OsString, Error> {
    let mut dirs = vec![dir.to_path_buf()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).map_err(|e| Error::Step(format!("cannot put {} on PATH: {e}", dir.display())))
}

pub const NISSHI_VERSION: &str = "0.8.1";
pub const CONFLUENT_KAFKA_VERSION: &str = "2.16.1";

/// Where the project keeps what it installs outside cargo's and apt's places.
pub fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("offsetlab")
}

/// nisshi, the Kafka-protocol broker the gateway's tests run against
/// (../shared/design/BROKER.md). It needs a newer rustc than stable, so it is
/// built with the machine's nightly toolchain, once.
pub fn ensure_nisshi() -> Result<PathBuf, Error> {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let program = home.join(".cargo").join("bin").join("nisshi");
    let stamp = cache_dir().join("nisshi.version");
    if program.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(NISSHI_VERSION) {
        return Ok(program);
    }
    let by_hand = format!(
        "cargo +nightly install nisshi@{NISSHI_VERSION} --locked --no-default-features --features dynostore"
    );
    let listed =
        Command::new("cargo").args(["install", "--list"]).output().map(|o| o.stdout).unwrap_or_default();
    let installed = String::from_utf8_lossy(&listed)
        .lines()
        .any(|l| l.starts_with(&format!("nisshi v{NISSHI_VERSION}:")));
    if !installed {
        println!("xtask: installing the nisshi {NISSHI_VERSION} broker (about 10 minutes, once): {by_hand}");
        let mut cmd = Command::new("cargo");
        cmd.args(["+nightly", "install", &format!("nisshi@{NISSHI_VERSION}"), "--locked"])
            .args(["--no-default-features", "--features", "dynostore"])
            .env_remove("CARGO_TARGET_DIR");
        run_status(&mut cmd).map_err(|e| Error::tool("nisshi", e.to_string(), &by_hand))?;
    }
    if !program.is_file() {
        return Err(Error::tool(
            "nisshi",
            format!("not found at {} after installing", program.display()),
            &by_hand,
        ));
    }
    let _ = std::fs::create_dir_all(cache_dir());
    let _ = std::fs::write(&stamp, NISSHI_VERSION);
    Ok(program)
}

/// A Python virtual environment with confluent-kafka: an independent Kafka
/// client for the gateway's tests (it reads back committed offsets), and the
/// current librdkafka that kcat needs. Returns the venv's python.
pub fn ensure_python_kafka() -> Result<PathBuf, Error> {
    let venv = cache_dir().join("venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join(".offsetlab-confluent-kafka");
    if python.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(CONFLUENT_KAFKA_VERSION) {
        return Ok(python);
    }
    let by_hand = format!(
        "python3 -m venv {0} && {0}/bin/pip install confluent-kafka=={CONFLUENT_KAFKA_VERSION}",
        venv.display()
    );
    println!("xtask: preparing Python with confluent-kafka {CONFLUENT_KAFKA_VERSION} in {}", venv.display());
    if !python.is_file() {
        run_status(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .map_err(|e| Error::tool("python venv", e.to_string(), &by_hand))?;
    }
    run_status(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "-q", "--disable-pip-version-check"])
            .arg(format!("confluent-kafka=={CONFLUENT_KAFKA_VERSION}")),
    )
    .map_err(|e| Error::tool("confluent-kafka", e.to_string(), &by_hand))?;
    std::fs::write(&stamp, CONFLUENT_KAFKA_VERSION)
        .map_err(|e| Error::Step(format!("cannot write {}: {e}", stamp.display())))?;
    Ok(python)
}

/// Debian's kcat with confluent-kafka's current librdkafka (Debian's own
/// 2.0.2 cannot talk to nisshi). Returns kcat and the LD_LIBRARY_PATH to
/// run it with.
pub fn ensure_kcat() -> Result<(PathBuf, PathBuf), Error> {
    if which("kcat").is_none() {
        apt_install(&["kcat"])?;
    }
    let kcat = which("kcat")
        .ok_or_else(|| Error::tool("kcat", "not on PATH".into(), "sudo apt-get install -y kcat"))?;
    ensure_python_kafka()?;
    let lib_dir = cache_dir().join("kcat-lib");
    let link = lib_dir.join("librdkafka.so.1");
    if !link.exists() {
        let venv_lib = cache_dir().join("venv").join("lib");
        let found = find_file(&venv_lib, &|name| name.starts_with("librdkafka") && name.contains(".so"))
            .ok_or_else(|| {
                Error::tool("librdkafka for kcat", format!("no librdkafka in {}", venv_lib.display()), "")
            })?;
        std::fs::create_dir_all(&lib_dir)
            .map_err(|e| Error::Step(format!("cannot create {}: {e}", lib_dir.display())))?;
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&found, &link)
            .map_err(|e| Error::Step(format!("cannot link {}: {e}", link.display())))?;
    }
    Ok((kcat, lib_dir))
}

fn find_file(dir: &Path, matches: &dyn Fn(&str) -> bool) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, matches) {
                return Some(found);
            }
        } else if path.file_name().and_then(|n| n.to_str()).is_some_and(matches) {
            return Some(path);
        }
    }
    None
}
