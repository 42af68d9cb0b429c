//! Splits a release build's `.wasm` in two, so a page starts from the code it
//! runs first and fetches the rest while it is already drawing.
//!
//! binaryen's `wasm-split` does the work, guided by a profile: the built app
//! runs, instrumented, in headless Chromium (`xtask/split-profile.mjs` opens
//! its first screens, the scenario menu and every built-in scenario embedded
//! and linked, in both languages and the ways people reach them), and every
//! function that ran stays in the first module. The others move to a second
//! module that shares the first one's memory and function table, with the
//! read-only data only they use (`data`). Until it has loaded, their table
//! slots hold placeholders. The code is split twice from the same build: by
//! every first screen's profile (a page that opens a scenario starts from
//! that first module) and by the menu's alone (the bare page starts from
//! that one, a third the size); a script in the page chooses and preloads
//! the pair. The loader added to wasm-bindgen's JS fetches the second module
//! as soon as the first has started (for a live-mode link, together with
//! the first, and waits for both); a placeholder called before that loads it
//! on the spot, synchronously, then makes the call.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Error, run_status, tools};

mod data;

/// Where the release build's linker writes its map (`release_wasm`).
pub fn linker_map() -> PathBuf {
    crate::target_dir().join("wasm-release.map")
}

/// The file names beside trunk's `<name>_bg.wasm`, which becomes the first
/// module of the split for every first screen: its rest, and the first
/// module and rest of the split for the bare menu.
const REST_SUFFIX: &str = "_bg.rest.wasm";
const MENU_SUFFIX: &str = "_bg.menu.wasm";
const MENU_REST_SUFFIX: &str = "_bg.menu.rest.wasm";

/// One split's two modules, for the build's log.
pub struct Modules {
    pub first: PathBuf,
    pub first_bytes: u64,
    pub rest: PathBuf,
    pub rest_bytes: u64,
    /// The read-only data moved with the code that uses it.
    pub moved_statics: usize,
    pub moved_bytes: u32,
}

/// Splits the `.wasm` of trunk's release build in `dist` twice, by two
/// profiles: every first screen's (the first module keeps trunk's file
/// name, a page that opens a scenario or live mode starts from it) and the
/// bare menu's (which the bare page starts from). The JS glue and the page
/// learn to load them.
pub fn split_dist(dist: &Path) -> Result<[Modules; 2], Error> {
    let (wasm_split, lib_dir) = tools::ensure_wasm_split()?;
    let wasm = only_file(dist, "_bg.wasm")?;
    let js = only_file(dist, ".js")?;
    let stem = file_name(&wasm).trim_end_matches("_bg.wasm").to_string();
    let beside = |suffix: &str| dist.join(format!("{stem}{suffix}"));

    let work = crate::target_dir().join("split-work");
    let _ = std::fs::remove_dir_all(&work);
    copy_dir(dist, &work)?;
    // The copy runs the instrumented wasm, which the page's hash no longer fits.
    let work_index = work.join("index.html");
    write(&work_index, drop_integrity(&read(&work_index)?, &[&file_name(&wasm)]).as_bytes())?;
    let profiles = work.join("profiles");
    std::fs::create_dir_all(&profiles)
        .map_err(|e| Error::Step(format!("cannot create {}: {e}", profiles.display())))?;
    let tool = |args: &[&std::ffi::OsStr]| {
        let mut cmd = Command::new(&wasm_split);
        cmd.env("LD_LIBRARY_PATH", &lib_dir).args(args);
        run_status(&mut cmd)
    };
    // The instrumented build has the same imports, so it runs with the same
    // JS; it only adds an export that writes which functions ran.
    tool(&[
        "--instrument".as_ref(),
        wasm.as_os_str(),
        "-o".as_ref(),
        work.join(file_name(&wasm)).as_os_str(),
    ])?;
    run_status(
        tools::node()
            .env("OFFSETLAB_DIST", &work)
            .env("OFFSETLAB_PROFILE_DIR", &profiles)
            .arg("xtask/split-profile.mjs"),
    )?;
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&profiles)
        .map_err(|e| Error::Step(format!("cannot read {}: {e}", profiles.display())))?
    {
        pages.push(entry.map_err(|e| Error::Step(e.to_string()))?.path());
    }
    pages.sort();
    let statics = linker_statics()?;
    // One profile per page the script opened (`menu-*` or `scenario-*`): a
    // function any of a split's pages ran stays in its first module.
    let split = |pages: &[&PathBuf], name: &str, first: &Path, rest: &Path| -> Result<Modules, Error> {
        let profile = work.join(format!("{name}.profile"));
        let mut merge: Vec<&std::ffi::OsStr> = vec!["--merge-profiles".as_ref()];
        merge.extend(pages.iter().map(|p| p.as_os_str()));
        merge.extend(["-o".as_ref(), profile.as_os_str()]);
        tool(&merge)?;
        let profile_arg = format!("--profile={}", profile.display());
        tool(&[
            wasm.as_os_str(),
            profile_arg.as_ref(),
            "--import-namespace=primary".as_ref(),
            "--placeholder-namespace=placeholder".as_ref(),
            "-o1".as_ref(),
            first.as_os_str(),
            "-o2".as_ref(),
            rest.as_os_str(),
        ])?;
        let moved = move_data(first, rest, &statics)?;
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        Ok(Modules {
            first: first.to_path_buf(),
            first_bytes: size(first),
            rest: rest.to_path_buf(),
            rest_bytes: size(rest),
            moved_statics: moved.statics,
            moved_bytes: moved.bytes,
        })
    };
    let named = |prefix: &str| pages.iter().filter(|p| file_name(p).starts_with(prefix)).collect::<Vec<_>>();
    let menu_pages = named("menu-");
    if menu_pages.is_empty() || menu_pages.len() == pages.len() {
        return Err(Error::Step(format!(
            "expected menu-* and scenario-* profiles in {}",
            profiles.display()
        )));
    }
    let menu = split(&menu_pages, "menu", &beside(MENU_SUFFIX), &beside(MENU_REST_SUFFIX))?;
    let all = split(
        &pages.iter().collect::<Vec<_>>(),
        "every-first-screen",
        &work.join("first.wasm"),
        &beside(REST_SUFFIX),
    )?;
    move_file(&all.first, &wasm)?;
    let all = Modules { first: wasm.clone(), ..all };

    let glue = read(&js)?;
    let glue = add_loader(&glue, &file_name(&all.rest), &file_name(&menu.first), &file_name(&menu.rest))
        .map_err(|e| Error::Step(format!("{}: {e}", js.display())))?;
    write(&js, glue.as_bytes())?;
    // trunk's index.html pins the JS and the wasm it built by their hashes;
    // both changed here, and they are served from the same origin.
    let index = dist.join("index.html");
    let page = read(&index)?;
    let page = drop_integrity(&page, &[&file_name(&js), &file_name(&wasm)]);
    let page = choose_preload(&page, &file_name(&wasm), &file_name(&menu.first))
        .map_err(|e| Error::Step(format!("{}: {e}", index.display())))?;
    write(&index, page.as_bytes())?;
    let _ = std::fs::remove_dir_all(&work);
    Ok([all, menu])
}

/// The statics the linker placed in this build, from its map
/// (`release_wasm` asks for it).
fn linker_statics() -> Result<Vec<data::Static>, Error> {
    let map = linker_map();
    // The map is written by each link; one older than the linked .wasm is
    // not this build's.
    let linked = crate::target_dir().join("wasm32-unknown-unknown/wasm-release/offsetlab.wasm");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(&map), modified(&linked)) {
        (Some(m), Some(w)) if m + std::time::Duration::from_secs(60) >= w => {}
        _ => {
            return Err(Error::Step(format!(
                "no linker map from this build at {} (the build directory's path must have no spaces)",
                map.display()
            )));
        }
    }
    data::statics_from_map(&read(&map)?).map_err(|e| Error::Step(format!("{}: {e}", map.display())))
}

/// Moves the read-only data only the second module uses into it (`data`).
fn move_data(first: &Path, rest: &Path, statics: &[data::Static]) -> Result<data::Moved, Error> {
    let bytes =
        |p: &Path| std::fs::read(p).map_err(|e| Error::Step(format!("cannot read {}: {e}", p.display())));
    let (first_out, rest_out, moved) = data::move_rest_only_data(&bytes(first)?, &bytes(rest)?, statics)
        .map_err(|e| Error::Step(format!("cannot move data into the second module: {e}")))?;
    write(first, &first_out)?;
    write(rest, &rest_out)?;
    Ok(moved)
}

/// The loader, added to wasm-bindgen's JS glue. `REST_FILE` is the split-off
/// module's name. Tested by the end-to-end tests, which all run the split
/// build (`tests/e2e/split.test.mjs` for the loader's own cases).
const LOADER: &str = r#"
// Added by `cargo xtask` (xtask/src/split.rs): the code and data a page does
// not use on its first screen are in a second module, fetched while a person
// reads. The code is split twice: the bare page (the scenario menu) starts
// from the menu's module, which the page chose and preloaded (index.html); any other
// page from the first module with every first screen (a scenario embedded or
// linked). A live-mode link fetches both modules together and starts when
// both are there, since live mode needs the rest at once.
const offsetlabFromMenu = globalThis.offsetlabStartsFromMenu === true;
const offsetlabRestUrl = new URL(offsetlabFromMenu ? 'MENU_REST_FILE' : 'REST_FILE', import.meta.url);
const offsetlabOpensAtOnce = typeof location !== 'undefined'
    && [...new URLSearchParams(location.search)].some(([key, value]) => key === 'live' && value !== '0' && value !== 'false');
// The first module this page starts from: trunk's, or the menu's.
function offsetlabFirstPath(path) {
    return offsetlabFromMenu ? new URL('MENU_FILE', import.meta.url) : path;
}
let offsetlabFirst, offsetlabTable, offsetlabRest, offsetlabRestCompiled;
function offsetlabRestCompile() {
    offsetlabRestCompiled ??= fetch(offsetlabRestUrl)
        .then((response) => {
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            return response.arrayBuffer();
        })
        .then((bytes) => WebAssembly.compile(bytes));
    return offsetlabRestCompiled;
}
function offsetlabRestInstantiate(module) {
    // Instantiating the second module fills the table's placeholder slots.
    if (offsetlabRest === undefined) offsetlabRest = new WebAssembly.Instance(module, { primary: offsetlabFirst.exports });
}
function offsetlabRestNow() {
    if (offsetlabRest !== undefined) return;
    // A placeholder was called before the fetch finished: the call cannot
    // wait, so the module is fetched and compiled synchronously.
    const request = new XMLHttpRequest();
    try {
        request.open('GET', offsetlabRestUrl, false);
        request.overrideMimeType('text/plain; charset=x-user-defined');
        request.send();
    } catch (e) {
        offsetlabRestFailed(String(e));
    }
    if (request.status !== 200) offsetlabRestFailed(`${offsetlabRestUrl}: HTTP ${request.status}`);
    const text = request.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    offsetlabRestInstantiate(new WebAssembly.Module(bytes));
}
// Says so on the page, in its language, then fails the call that needed it.
function offsetlabRestFailed(why) {
    const message = document.documentElement.lang === 'ko'
        ? `OffsetLab의 나머지 코드를 불러오지 못했습니다 (${why}). 페이지를 새로 고치세요.`
        : `OffsetLab could not load the rest of its code (${why}). Reload the page.`;
    console.error(message);
    if (!document.getElementById('offsetlab-load-error')) {
        const banner = document.createElement('p');
        banner.id = 'offsetlab-load-error';
        banner.className = 'error-banner';
        banner.setAttribute('role', 'alert');
        banner.textContent = message;
        document.body.prepend(banner);
    }
    throw new Error(message);
}
function offsetlabSplitImports(imports) {
    if (offsetlabOpensAtOnce) offsetlabRestCompile();
    imports.placeholder = new Proxy({}, {
        get: (_, slot) => (...args) => {
            offsetlabRestNow();
            return offsetlabTable.get(Number(slot))(...args);
        },
    });
    return imports;
}
function offsetlabSplitStarted(instance) {
    offsetlabFirst = instance;
    offsetlabTable = Object.values(instance.exports).find((e) => e instanceof WebAssembly.Table);
}
async function offsetlabBeforeStart(instance) {
    offsetlabSplitStarted(instance);
    const rest = offsetlabRestCompile().then(offsetlabRestInstantiate);
    if (offsetlabOpensAtOnce) await rest.catch(() => {});
    rest.catch((e) => console.warn(`OffsetLab: the rest of its code will load when first needed (${e})`));
}
"#;

/// wasm-bindgen's glue with the loader: its imports gain the placeholders,
/// the async start loads the first module the page chose, its instance is
/// known before `main` runs, and the rest is fetched (for a live-mode link,
/// waited for). Errors if the glue is not what the pinned wasm-bindgen writes.
fn add_loader(glue: &str, rest_file: &str, menu_file: &str, menu_rest_file: &str) -> Result<String, String> {
    let imports = "const imports = __wbg_get_imports();";
    let loaded = "const { instance, module } = await __wbg_load(await module_or_path, imports);";
    let start = "    wasm.__wbindgen_start();";
    let fetched = "module_or_path = fetch(module_or_path);";
    if glue.matches(imports).count() != 2
        || glue.matches(loaded).count() != 1
        || glue.matches(start).count() != 1
        || glue.matches(fetched).count() != 1
    {
        return Err(format!(
            "wasm-bindgen's glue changed: expected `{imports}` twice, and `{loaded}`, `{}` and `{fetched}` once",
            start.trim()
        ));
    }
    let glue = glue
        .replace(imports, "const imports = offsetlabSplitImports(__wbg_get_imports());")
        .replace(fetched, "module_or_path = fetch(offsetlabFirstPath(module_or_path));")
        .replace(loaded, &format!("{loaded}\n    await offsetlabBeforeStart(instance);"))
        .replace(start, &format!("    offsetlabSplitStarted(instance);\n{start}"));
    let loader = LOADER
        .replace("MENU_REST_FILE", menu_rest_file)
        .replace("REST_FILE", rest_file)
        .replace("MENU_FILE", menu_file);
    Ok(format!("{glue}{loader}"))
}

/// trunk's page with its preload of the `.wasm` replaced by a script that
/// preloads the first module this page starts from (the loader's rule, in
/// `offsetlabStartsFromMenu`): the menu's on the bare page. Errors if trunk
/// wrote the preload otherwise.
fn choose_preload(page: &str, first_file: &str, menu_file: &str) -> Result<String, String> {
    let end = format!("{first_file}\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">");
    let start = "<link rel=\"preload\" href=\"";
    let changed = || format!("trunk's preload of {first_file} changed: expected one `{start}…{end}`");
    let [at] = page.match_indices(&end).map(|(at, _)| at).collect::<Vec<_>>()[..] else {
        return Err(changed());
    };
    let from =
        page[..at].rfind(start).filter(|&from| !page[from + 1..at].contains('<')).ok_or_else(changed)?;
    let prefix = &page[from + start.len()..at];
    let (href, menu_href) = (format!("{prefix}{first_file}"), format!("{prefix}{menu_file}"));
    let script = format!(
        r#"<script>
// Added by `cargo xtask` (xtask/src/split.rs): the bare page, which opens no
// scenario, shared run or live mode, starts from the menu's module. Preloads
// the module this page starts from.
(() => {{
  const query = new URLSearchParams(location.search);
  const menu = !['scenario', 'run', 'live'].some((key) => query.has(key));
  window.offsetlabStartsFromMenu = menu;
  const link = Object.assign(document.createElement('link'), {{ rel: 'preload', as: 'fetch', type: 'application/wasm', crossOrigin: 'anonymous' }});
  link.href = menu ? {menu_href:?} : {href:?};
  document.head.append(link);
}})();
</script>"#
    );
    Ok(format!("{}{script}{}", &page[..from], &page[at + end.len()..]))
}

/// `page` without the `integrity` attribute of the tags naming `files`.
fn drop_integrity(page: &str, files: &[&str]) -> String {
    page.split_inclusive('>')
        .map(|tag| {
            if !files.iter().any(|f| tag.contains(&format!("/{f}\""))) {
                return tag.to_string();
            }
            match tag.find(" integrity=\"") {
                Some(at) => {
                    let value = at + " integrity=\"".len();
                    let end = tag[value..].find('"').map_or(tag.len(), |e| value + e + 1);
                    format!("{}{}", &tag[..at], &tag[end..])
                }
                None => tag.to_string(),
            }
        })
        .collect()
}

fn only_file(dir: &Path, suffix: &str) -> Result<PathBuf, Error> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Step(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && file_name(p).ends_with(suffix) && !file_name(p).ends_with(REST_SUFFIX))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(Error::Step(format!(
            "expected one *{suffix} in {}, found {} (split twice?)",
            dir.display(),
            found.len()
        ))),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::Step(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| Error::Step(format!("cannot write {}: {e}", path.display())))
}

fn move_file(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::rename(from, to)
        .map_err(|e| Error::Step(format!("cannot move {} to {}: {e}", from.display(), to.display())))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(to).map_err(|e| Error::Step(format!("cannot create {}: {e}", to.display())))?;
    for entry in
        std::fs::read_dir(from).map_err(|e| Error::Step(format!("cannot read {}: {e}", from.display())))?
    {
        let path = entry.map_err(|e| Error::Step(format!("cannot read {}: {e}", from.display())))?.path();
        let target = to.join(file_name(&path));
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| {
                Error::Step(format!("cannot copy {} to {}: {e}", path.display(), target.display()))
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "function initSync(module) {\n    const imports = __wbg_get_imports();\n}\nasync function __wbg_init_once(m) {\n    const imports = __wbg_get_imports();\n    if (typeof module_or_path === 'string') {\n        module_or_path = fetch(module_or_path);\n    }\n    const { instance, module } = await __wbg_load(await module_or_path, imports);\n}\nfunction __wbg_finalize_init(instance, module) {\n    wasm = instance.exports;\n    wasm.__wbindgen_start();\n    return wasm;\n}\n";

    #[test]
    fn the_loader_wraps_both_import_sites_and_starts_before_main() {
        let glue = add_loader(GLUE, "app_bg.rest.wasm", "app_bg.menu.wasm", "app_bg.menu.rest.wasm").unwrap();
        assert_eq!(glue.matches("offsetlabSplitImports(__wbg_get_imports())").count(), 2);
        assert!(glue.contains("    offsetlabSplitStarted(instance);\n    wasm.__wbindgen_start();"));
        assert!(glue.contains("module_or_path = fetch(offsetlabFirstPath(module_or_path));"));
        assert!(glue.contains("imports);\n    await offsetlabBeforeStart(instance);\n}"));
        assert!(glue.contains(
            "new URL(offsetlabFromMenu ? 'app_bg.menu.rest.wasm' : 'app_bg.rest.wasm', import.meta.url)"
        ));
        assert!(glue.contains("new URL('app_bg.menu.wasm', import.meta.url)"));
    }

    #[test]
    fn a_changed_glue_is_an_error_not_a_silent_miss() {
        let err = add_loader(
            &GLUE.replace("wasm.__wbindgen_start();", "wasm.start();"),
            "r.wasm",
            "m.wasm",
            "mr.wasm",
        )
        .unwrap_err();
        assert!(err.contains("wasm-bindgen's glue changed"), "{err}");
    }

    #[test]
    fn the_page_preloads_the_first_module_it_starts_from() {
        let page = r#"<head><link rel="modulepreload" href="/app-1.js" crossorigin="anonymous"><link rel="preload" href="/app-1_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm"></head>"#;
        let out = choose_preload(page, "app-1_bg.wasm", "app-1_bg.menu.wasm").unwrap();
        assert!(out.starts_with(
            r#"<head><link rel="modulepreload" href="/app-1.js" crossorigin="anonymous"><script>"#
        ));
        assert!(out.ends_with("</script></head>"), "{out}");
        assert!(out.contains(r#"link.href = menu ? "/app-1_bg.menu.wasm" : "/app-1_bg.wasm";"#), "{out}");
        assert!(!out.contains("<link rel=\"preload\""));
        let err = choose_preload(&page.replace(" as=\"fetch\"", ""), "app-1_bg.wasm", "m.wasm").unwrap_err();
        assert!(err.contains("trunk's preload of app-1_bg.wasm changed"), "{err}");
    }

    #[test]
    fn integrity_is_dropped_only_for_the_changed_files() {
        let page = r#"<link rel="stylesheet" href="/style-1.css" integrity="sha384-A"/><link rel="modulepreload" href="/app-1.js" crossorigin="anonymous" integrity="sha384-B"><link rel="preload" href="/app-1_bg.wasm" integrity="sha384-C" as="fetch">"#;
        let out = drop_integrity(page, &["app-1.js", "app-1_bg.wasm"]);
        assert_eq!(
            out,
            r#"<link rel="stylesheet" href="/style-1.css" integrity="sha384-A"/><link rel="modulepreload" href="/app-1.js" crossorigin="anonymous"><link rel="preload" href="/app-1_bg.wasm" as="fetch">"#
        );
    }
}
