//! Scenario files: parsing, errors that name the line, the runner, and the
//! determinism digest.

mod common;

use std::process::Command;

use common::load;
use offsetlab_model::digest::TWO_GROUPS_DIGEST_AT_15000_MS;
use offsetlab_model::{Scenario, scenario_digest};

const HEADER: &str = "version = 1\nseed = 1\n[[topics]]\nname = \"orders\"\npartitions = 2\n";

fn err(body: &str) -> String {
    Scenario::parse(&format!("{HEADER}{body}")).unwrap_err().to_string()
}

#[test]
fn bad_files_get_errors_that_name_the_line() {
    let consumer =
        "[[consumers]]\nid = \"c1\"\nsubscribe = [\"orders\"]\n[consumers.config]\n\"group.id\" = \"g\"\n";
    let cases: Vec<(String, &str)> = vec![
        // (file body after the header, expected message)
        (
            format!(
                "{consumer}[[actions]]\nat_ms = 5\naction = \"crash\"\nconsumer = \"c1\"\n\n[[actions]]\nat_ms = 6\naction = \"crash\"\nconsumer = \"c3\"\n"
            ),
            "line 19, column 12: consumer \"c3\" in action 2 is not defined",
        ),
        (
            format!("{consumer}[[actions]]\nat_ms = 5\naction = \"crash\"\n"),
            "line 13, column 10: action 1 (crash) needs `consumer`",
        ),
        (
            format!("{consumer}[[actions]]\nat_ms = 5\naction = \"crash\"\nconsumer = \"c1\"\noffset = 3\n"),
            "line 13, column 10: action 1 (crash): `offset` does not apply here",
        ),
        (
            format!("{consumer}[[actions]]\nat_ms = 5\naction = \"explode\"\n"),
            "line 13, column 10: action 1: unknown action \"explode\"",
        ),
        (
            format!("{consumer}\"max.poll.records\" = 0\n"),
            "line 11, column 22: consumer \"c1\": `max.poll.records`: must be at least 1, got 0",
        ),
        (
            "[[consumers]]\nid = \"c1\"\nassign = [\"orders-7\"]\n".into(),
            "line 8, column 11: partition orders-7 does not exist (topic \"orders\" has 2)",
        ),
        (
            "[[consumers]]\nid = \"c1\"\nassign = [\"orders7\"]\n".into(),
            "line 8, column 11: `orders7` is not a partition",
        ),
        (
            "[[consumers]]\nid = \"c1\"\nsubscribe = [\"payments\"]\n".into(),
            "line 8, column 13: topic \"payments\" of consumer \"c1\" is not defined",
        ),
        (
            "[[consumers]]\nid = \"c1\"\ncommit = \"sometimes\"\n".into(),
            "line 8, column 10: unknown commit strategy \"sometimes\"",
        ),
        (
            "[[consumers]]\nid = \"c1\"\nsubscribe = [\"orders\"]\n".into(),
            "line 7, column 6: consumer \"c1\": subscribe() needs a group.id",
        ),
        (
            "[[producers]]\nid = \"p\"\ntopic = \"orders\"\nrate_per_sec = 0\n".into(),
            "line 9, column 16: rate_per_sec must be 1 to 1000000",
        ),
        (
            "[[producers]]\nid = \"p\"\ntopic = \"orders\"\nrate_per_sec = 1\nkeys = 5\n".into(),
            "line 10, column 8: keys must be",
        ),
        ("[[consumers]]\nid = \"c1\"\ncolour = \"red\"\n".into(), "line 8, column 1: unknown field `colour`"),
        (
            "[[topics]]\nname = \"orders\"\npartitions = 1\n".into(),
            "line 7, column 8: topic \"orders\" is defined twice",
        ),
        (
            "[broker]\n\"group.min.session.timeout.ms\" = \"x\"\n".into(),
            "line 7, column 34: broker: `group.min.session.timeout.ms`: must be an integer",
        ),
        ("seed = [\n".into(), "line 6"),
    ];
    for (body, expected) in cases {
        let e = err(&body);
        assert!(
            e.starts_with(expected) || e.contains(expected),
            "expected `{expected}`\n     got `{e}`\nfor:\n{HEADER}{body}"
        );
    }
    let e = Scenario::parse("version = 2\n").unwrap_err().to_string();
    assert_eq!(e, "line 1, column 11: unsupported scenario version 2 (this build reads version 1)");
    assert!(Scenario::parse("seed = 1\n").unwrap_err().to_string().contains("missing field `version`"));
}

#[test]
fn runtime_problems_name_the_action_line() {
    // Crashing a consumer that has not started yet.
    let text = format!(
        "{HEADER}[[consumers]]\nid = \"c1\"\nautostart = false\nassign = [\"orders-0\"]\n\n[[actions]]\nat_ms = 5\naction = \"crash\"\nconsumer = \"c1\"\n"
    );
    let s = Scenario::parse(&text).unwrap();
    let e = s.run(100, |_| {}).unwrap_err().to_string();
    assert_eq!(e, "line 13: at 5 ms: consumer \"c1\" has not started");
}

#[test]
fn nested_and_quoted_property_names_are_the_same_thing() {
    let a = format!(
        "{HEADER}[[consumers]]\nid = \"c1\"\nassign = [\"orders-0\"]\n[consumers.config]\nmax.poll.records = 7\n"
    );
    let b = format!(
        "{HEADER}[[consumers]]\nid = \"c1\"\nassign = [\"orders-0\"]\n[consumers.config]\n\"max.poll.records\" = 7\n"
    );
    assert_eq!(Scenario::parse(&a).unwrap(), Scenario::parse(&b).unwrap());
    let both = format!(
        "{HEADER}[[consumers]]\nid = \"c1\"\n[consumers.config]\n\"max.poll.records\" = 7\nmax.poll.records = 8\n"
    );
    assert!(Scenario::parse(&both).unwrap_err().to_string().contains("set twice"));
}

#[test]
fn determinism_digest_matches_the_recorded_constant() {
    let text = load("two-groups");
    let a = scenario_digest(&text, 15_000).unwrap();
    let b = scenario_digest(&text, 15_000).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, TWO_GROUPS_DIGEST_AT_15000_MS, "digest 0x{a:016x}");
    assert_ne!(scenario_digest(&text, 14_000).unwrap(), a);
}

fn sim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_offsetlab-sim")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn runner_prints_events_and_summary() {
    let file = format!("{}/auto-commit-crash-duplicates.toml", common::scenarios_dir());
    let (code, out, _) = sim(&["run", &file, "--until", "30000"]);
    assert_eq!(code, 0);
    assert!(out.contains("c1 CRASHED"));
    assert!(out.contains("== summary at 30000 ms"));
    assert!(out.contains("events-0         committed    100"));
    assert!(out.contains("app: 100 processed, 20 duplicates, 0 lost"));
    assert!(out.contains("generation 3 (range, eager)"));
    assert!(out.contains("c2 (75 records): (0, 25, null)"));

    let (code, out, _) = sim(&["run", &file, "--json", "--until=2000"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    for l in &lines[..lines.len() - 1] {
        let e: offsetlab_protocol::Event = serde_json::from_str(l).unwrap();
        assert!(e.at_ms <= 2000);
    }
    let summary: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(summary["summary"]["until_ms"], 2000);
}

#[test]
fn runner_rejects_bad_arguments_with_exit_code_2() {
    let good = format!("{}/seek.toml", common::scenarios_dir());
    for args in [
        vec![],
        vec!["walk"],
        vec!["run"],
        vec!["run", "/nonexistent.toml"],
        vec!["run", &good, "--until"],
        vec!["run", &good, "--until", "soon"],
        vec!["run", &good, "--colour"],
        vec!["run", &good, "extra"],
    ] {
        let (code, out, err) = sim(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(!err.is_empty() && !err.contains("panicked"), "{args:?}: {err}");
    }
    let dir = std::env::temp_dir().join(format!("offsetlab-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, format!("{HEADER}[[actions]]\nat_ms = 1\naction = \"crash\"\nconsumer = \"c3\"\n"))
        .unwrap();
    let (code, _, err) = sim(&["run", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("line 9, column 12: consumer \"c3\" in action 1 is not defined"), "{err}");
    let (code, out, _) = sim(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("usage"));
}

#[test]
fn every_built_in_scenario_has_korean_text() {
    let dir = common::scenarios_dir();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let s = Scenario::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let hangul =
            |t: &Option<String>| t.as_deref().is_some_and(|t| t.chars().any(|c| ('가'..='힣').contains(&c)));
        assert!(hangul(&s.name_ko), "{path:?}: name_ko");
        assert!(hangul(&s.description_ko), "{path:?}: description_ko");
        assert!(!s.name.is_empty() && !s.description.is_empty(), "{path:?}");
        seen += 1;
    }
    assert_eq!(seen, common::built_in().len());
    assert_eq!(seen, 15);
}

#[test]
fn korean_keys_are_optional_and_read_as_written() {
    let s = Scenario::parse(HEADER).unwrap();
    assert_eq!((s.name_ko, s.description_ko), (None, None));
    let s = Scenario::parse(&format!(
        "name_ko = \"컨슈머 그룹\"\ndescription_ko = \"오프셋을 \\\"커밋\\\"합니다.\"\n{HEADER}"
    ))
    .unwrap();
    assert_eq!(s.name_ko.as_deref(), Some("컨슈머 그룹"));
    assert_eq!(s.description_ko.as_deref(), Some("오프셋을 \"커밋\"합니다."));
    assert_eq!(Scenario::parse(&s.to_toml()).unwrap(), s);
}
