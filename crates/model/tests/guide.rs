//! Guided scenarios: every built-in scenario has a guide in English and
//! Korean, and every expectation in it holds when the scenario runs to the
//! step's moment ("assert the outcome the scenario teaches"). Also the
//! `[guide]` format: errors that name the line, and writing it back.

mod common;

use common::*;
use offsetlab_model::guide::{Bound, Check, Count, ExpectTarget, Expectation};
use offsetlab_model::scenario::ScenarioRun;
use offsetlab_model::{Scenario, check_expectation};
use offsetlab_protocol::{GroupState, TopicPartition};

fn hangul(t: &str) -> bool {
    t.chars().any(|c| ('가'..='힣').contains(&c))
}

#[test]
fn every_built_in_scenario_teaches_what_its_guide_says() {
    let mut checked = 0;
    let names = built_in();
    for name in &names {
        let s = Scenario::parse(&load(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let g = s.guide.as_ref().unwrap_or_else(|| panic!("{name} has no [guide]"));
        assert!(!g.question.is_empty() && !g.explanation.is_empty(), "{name}");
        assert!(g.question_ko.as_deref().is_some_and(hangul), "{name}: question_ko");
        assert!(g.explanation_ko.as_deref().is_some_and(hangul), "{name}: explanation_ko");
        assert!(g.steps.len() >= 2, "{name}: a guide walks through at least two moments");
        for (n, step) in g.steps.iter().enumerate() {
            assert!(!step.text.is_empty(), "{name}: step {}", n + 1);
            assert!(step.text_ko.as_deref().is_some_and(hangul), "{name}: step {} has no Korean text", n + 1);
        }
        let expected = g.steps.iter().filter(|s| s.expect.is_some()).count();
        assert!(expected >= 1, "{name}: nothing is asserted");
        match s.check_guide() {
            Ok(held) => assert_eq!(held, expected, "{name}"),
            Err(failures) => {
                let lines: Vec<String> = failures.iter().map(|e| e.to_string()).collect();
                panic!("{name}.toml teaches something else than it says:\n{}", lines.join("\n"));
            }
        }
        checked += expected;
    }
    assert_eq!(names.len(), 15);
    assert!(checked >= 75, "{checked} expectations");
}

/// The same checks, done the way the front end would: jump to a step's
/// moment with `ScenarioRun::advance` and call `check_expectation`.
#[test]
fn expectations_hold_at_their_moment_and_not_before() {
    let s = Scenario::parse(&load("auto-commit-crash-duplicates")).unwrap();
    let dups = Expectation::new(
        ExpectTarget::Group("app".into()),
        vec![Check::Count(Count::Duplicates, Bound::AtLeast(1))],
    );
    let mut run = ScenarioRun::new(&s).unwrap();
    run.advance(17_000).unwrap();
    let err = check_expectation(&run.model, &dups).unwrap_err();
    assert_eq!(err.to_string(), "group \"app\": duplicates is 0, expected at least 1");
    run.advance(18_500).unwrap();
    assert_eq!(check_expectation(&run.model, &dups), Ok(()));

    // Before a group or consumer exists, the expectation fails and says why.
    let s = Scenario::parse(&load("ordering-3-partitions")).unwrap();
    let mut run = ScenarioRun::new(&s).unwrap();
    run.advance(1000).unwrap();
    let c1 = Expectation::new(ExpectTarget::Consumer("c1".into()), vec![Check::InProduceOrder(false)]);
    assert!(check_expectation(&run.model, &c1).unwrap_err().to_string().contains("has not started"));
    let g =
        Expectation::new(ExpectTarget::Group("orders-app".into()), vec![Check::State(GroupState::Stable)]);
    assert!(check_expectation(&run.model, &g).unwrap_err().to_string().contains("does not exist yet"));
    run.advance(4001).unwrap();
    assert_eq!(check_expectation(&run.model, &c1), Ok(()));
    assert_eq!(check_expectation(&run.model, &g), Ok(()));
    // Every failed check is reported, with what was found.
    let wrong = Expectation::new(
        ExpectTarget::Consumer("c1".into()),
        vec![
            Check::InProduceOrder(true),
            Check::Partitions(vec![TopicPartition::new("orders", 0)]),
            Check::Count(Count::Processed, Bound::AtMost(10)),
        ],
    );
    let err = check_expectation(&run.model, &wrong).unwrap_err();
    assert_eq!(
        err.mismatches,
        vec![
            "in_produce_order is false, expected true".to_string(),
            "holds [orders-0, orders-1, orders-2], expected [orders-0]".to_string(),
            "processed is 30, expected at most 10".to_string(),
        ]
    );
}

const HEADER: &str = "version = 1\nseed = 1\nuntil_ms = 20000\n[[topics]]\nname = \"orders\"\npartitions = 2\n\n[[consumers]]\nid = \"c1\"\nsubscribe = [\"orders\"]\n[consumers.config]\n\"group.id\" = \"g\"\n\n[guide]\nquestion = \"Q?\"\nexplanation = \"E.\"\n\n[[guide.steps]]\nat_ms = 1000\ntext = \"look\"\n";

fn err(expect: &str) -> String {
    Scenario::parse(&format!("{HEADER}expect = {expect}\n")).unwrap_err().to_string()
}

#[test]
fn bad_guides_get_errors_that_name_the_line() {
    // The expect line is line 21; `expect = ` takes 9 columns. Each case:
    // the table, where the error points (the value at fault, or the whole
    // table), and the message.
    let cases = [
        (
            r#"{ group = "g", duplicates_at_leest = 1 }"#,
            "1 }",
            "unknown key `duplicates_at_leest` for a group (known: state, committed, generation, generation_at_least,",
        ),
        (r#"{ group = "h", members = 1 }"#, "\"h\"", "no consumer has group.id \"h\""),
        (r#"{ consumer = "c9", processed = 1 }"#, "\"c9\"", "consumer \"c9\" is not defined"),
        (
            r#"{ group = "g", consumer = "c1", members = 1 }"#,
            "{",
            "needs exactly one of `group` or `consumer`",
        ),
        (r#"{ members = 1 }"#, "{", "needs exactly one of `group` or `consumer`"),
        (r#"{ group = "g" }"#, "{", "checks nothing"),
        (
            r#"{ group = "g", status = "running" }"#,
            "\"running\"",
            "`status` applies to a consumer, not a group",
        ),
        (r#"{ consumer = "c1", lag = 0 }"#, "0 }", "`lag` applies to a group, not a consumer"),
        (r#"{ group = "g", state = "Happy" }"#, "\"Happy\"", "`state` must be one of \"Empty\""),
        (
            r#"{ group = "g", committed = { "orders-5" = 3 } }"#,
            "{ \"orders-5\"",
            "partition orders-5 does not exist",
        ),
        (
            r#"{ group = "g", committed = { "orders-0" = -3 } }"#,
            "{ \"orders-0\"",
            "`committed` must be a table of partitions and offsets",
        ),
        (r#"{ consumer = "c1", duplicates = -1 }"#, "-1", "`duplicates` must be a whole number, 0 or more"),
        (r#"{ consumer = "c1", member = "yes" }"#, "\"yes\"", "`member` must be true or false"),
        (
            r#"{ consumer = "c1", error = "Boom" }"#,
            "\"Boom\"",
            "`error` must be one of \"NoOffsetForPartition\"",
        ),
        (r#"{ consumer = "c1", partitions = ["orders"] }"#, "[", "`orders` is not a partition"),
    ];
    for (expect, at, message) in cases {
        let column = 10 + expect.find(at).unwrap();
        let got = err(expect);
        let prefix = format!("line 21, column {column}: ");
        assert!(
            got.starts_with(&prefix) && got.contains(message),
            "{expect}\n  got:      {got}\n  expected: {prefix}...{message}"
        );
    }
    let steps = |a: u64, b: u64| {
        format!(
            "{HEADER}\n[[guide.steps]]\nat_ms = {a}\ntext = \"a\"\n\n[[guide.steps]]\nat_ms = {b}\ntext = \"b\"\n"
        )
    };
    let got = Scenario::parse(&steps(5000, 4000)).unwrap_err().to_string();
    assert!(got.starts_with("line 27, column 9: guide step 3: at_ms 4000 comes before"), "{got}");
    let got = Scenario::parse(&steps(5000, 20_001)).unwrap_err().to_string();
    assert!(
        got.starts_with("line 27, column 9: guide step 3: at_ms 20001 is after the end of the run"),
        "{got}"
    );
    let got = Scenario::parse(&format!("{HEADER}colour = \"red\"\n")).unwrap_err().to_string();
    assert!(got.contains("line 21") && got.contains("colour"), "{got}");
    let got = Scenario::parse("version = 1\n[guide]\nexplanation = \"E\"\n").unwrap_err().to_string();
    assert!(got.contains("question"), "{got}");
}

#[test]
fn guides_are_written_back_and_read_as_themselves() {
    let text = format!(
        "{HEADER}text_ko = \"보기\"\nexpect = {{ consumer = \"c1\", partitions = [\"orders-1\", \"orders-0\"], position = {{ \"orders-0\" = 0 }}, largest_poll_at_most = 500, in_produce_order = true, error = \"IllegalState\", status = \"running\" }}\n\n[[guide.steps]]\nat_ms = 1000\ntext = \"same moment\"\n\n[[guide.steps]]\nat_ms = 2000\ntext = \"group\"\nexpect = {{ group = \"g\", state = \"Stable\", generation = 1, committed = {{ \"orders-1\" = 0 }}, lag_at_least = 0, idle_members = 0 }}\n"
    );
    let s = Scenario::parse(&text).unwrap();
    let g = s.guide.as_ref().unwrap();
    assert_eq!(g.steps.len(), 3);
    assert_eq!(g.question_in(true), "Q?", "English when there is no Korean");
    assert_eq!(g.steps[0].text_in(true), "보기");
    let e = g.steps[0].expect.as_ref().unwrap();
    // Checks are kept in key order; partitions sorted.
    let keys: Vec<String> = e.checks.iter().map(Check::key).collect();
    assert_eq!(
        keys,
        ["error", "in_produce_order", "largest_poll_at_most", "partitions", "position", "status"]
    );
    assert_eq!(
        e.to_string(),
        "{ consumer = \"c1\", error = \"IllegalState\", in_produce_order = true, largest_poll_at_most = 500, partitions = [\"orders-0\", \"orders-1\"], position = { \"orders-0\" = 0 }, status = \"running\" }"
    );
    assert_eq!(g.steps[1].expect, None);
    let written = s.to_toml();
    assert!(written.contains("\n[guide]\nquestion = \"Q?\"\nexplanation = \"E.\"\n"), "{written}");
    let back = Scenario::parse(&written).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.to_toml(), written);
    // Checking them names the steps that do not hold, by line.
    let failures = s.check_guide().unwrap_err();
    let lines: Vec<Option<u32>> = failures.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(19), Some(29)]);
    assert!(
        failures[1].to_string().starts_with("line 29: guide step 3 at 2000 ms: group \"g\": "),
        "{}",
        failures[1]
    );
}

fn sim(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_offsetlab-sim")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn runner_walks_through_a_guide() {
    let dir = common::scenarios_dir();
    let file = format!("{dir}/auto-commit-crash-duplicates.toml");
    let (code, out, _) = sim(&["guide", &file]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("Why can auto commit lead to duplicates after a crash?\n"), "{out}");
    assert!(out.contains(" 6.   18500 ms  Watch the duplicates counter"), "{out}");
    assert!(out.contains("ok    { group = \"app\", duplicates = 20, lost = 0 }"), "{out}");

    // A wrong expectation: exit code 1, the step and what was found.
    let tmp = std::env::temp_dir().join(format!("offsetlab-guide-test-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let wrong = tmp.join("wrong.toml");
    let text =
        std::fs::read_to_string(&file).unwrap().replace("duplicates = 20, lost = 0", "duplicates = 19");
    std::fs::write(&wrong, text).unwrap();
    let (code, out, _) = sim(&["guide", wrong.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL  { group = \"app\", duplicates = 19 }"), "{out}");
    assert!(out.contains("group \"app\": duplicates is 20, expected 19"), "{out}");
    assert!(out.ends_with("1 expectation(s) failed\n"), "{out}");

    // No guide, or run options: exit code 2.
    let bare = tmp.join("bare.toml");
    std::fs::write(&bare, "version = 1\n").unwrap();
    assert_eq!(sim(&["guide", bare.to_str().unwrap()]).0, 2);
    assert_eq!(sim(&["guide", &file, "--json"]).0, 2);
    std::fs::remove_dir_all(&tmp).ok();
}
