//! Generated scenario files through the loader and validator (`tabletop validate`'s
//! path: parse, validate, lint): the shipped scenarios mutated — lines deleted,
//! duplicated or replaced, values swapped between lines, random bytes and strings
//! inserted — in TOML and as JSON. No panic, and every problem is located: `file:line:col`
//! with a line and column inside the text.
//!
//! CI runs a few thousand cases; the long run is `scripts/fuzz` (docs/operations.md).

use proptest::prelude::*;

use super::load::{LoadError, ScenarioFormat, parse_scenario, warnings};

const SHIPPED: [&str; 3] = [
    include_str!("../../scenarios/quick-demo.toml"),
    include_str!("../../scenarios/dfs-salary-tide.toml"),
    include_str!("../../scenarios/dfs-salary-tide-extended.toml"),
];

/// One edit of a scenario's text; indices are taken modulo what is there.
#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    ReplaceLine(usize, String),
    SwapValues(usize, usize),
    InsertBytes(usize, Vec<u8>),
    InsertText(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = || any::<usize>();
    let junk = prop_oneof![
        "\\PC{0,40}",
        Just("[[injects]]".to_owned()),
        Just("id = \"first-alert\"".to_owned()),
        Just("at = -1".to_owned()),
        Just("targets = [\"nope\"]".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("{".to_owned()),
        Just("\u{feff}\r\n\t".to_owned()),
        "[a-z_]{1,12} = [0-9]{1,12}",
    ];
    prop_oneof![
        3 => i().prop_map(Edit::DeleteLine),
        2 => i().prop_map(Edit::DuplicateLine),
        2 => (i(), junk.clone()).prop_map(|(n, s)| Edit::ReplaceLine(n, s)),
        3 => (i(), i()).prop_map(|(a, b)| Edit::SwapValues(a, b)),
        1 => (i(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(n, b)| Edit::InsertBytes(n, b)),
        2 => (i(), junk).prop_map(|(n, s)| Edit::InsertText(n, s)),
    ]
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_owned).collect();
    for e in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match e {
            Edit::DeleteLine(i) => {
                lines.remove(i % n);
            }
            Edit::DuplicateLine(i) => lines.insert(i % n, lines[i % n].clone()),
            Edit::ReplaceLine(i, s) => lines[i % n] = s.clone(),
            Edit::SwapValues(a, b) => {
                let value = |l: &str| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned()));
                if let (Some((ka, va)), Some((kb, vb))) = (value(&lines[a % n]), value(&lines[b % n])) {
                    lines[a % n] = format!("{ka}={vb}");
                    lines[b % n] = format!("{kb}={va}");
                }
            }
            Edit::InsertBytes(i, bytes) => {
                let line = &mut lines[i % n];
                let at = (i / n.max(1)) % (line.len() + 1);
                let mut raw = line.clone().into_bytes();
                raw.splice(at..at, bytes.iter().copied());
                *line = String::from_utf8_lossy(&raw).into_owned();
            }
            Edit::InsertText(i, s) => lines.insert(i % (n + 1), s.clone()),
        }
    }
    lines.join("\n")
}

fn as_json(toml_source: &str) -> String {
    let value: serde_json::Value = toml::from_str(toml_source).expect("a shipped scenario parses");
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// Every problem names the file and a line and column inside `source`.
fn located(source: &str, file: &str, errors: &[LoadError]) -> Result<(), TestCaseError> {
    let lines = source.split('\n').count();
    for e in errors {
        prop_assert_eq!(&e.file, file);
        prop_assert!(e.line >= 1 && e.line <= lines, "line {} of {} lines: {}", e.line, lines, e);
        let width = source.split('\n').nth(e.line - 1).map_or(0, |l| l.chars().count());
        prop_assert!(e.col >= 1 && e.col <= width + 1, "col {} of a {}-char line: {}", e.col, width, e);
        let display = e.to_string();
        let prefix = format!("{}:{}:{}: ", file, e.line, e.col);
        prop_assert!(display.starts_with(&prefix), "{display}");
    }
    Ok(())
}

fn check(source: &str, format: ScenarioFormat, file: &str) -> Result<(), TestCaseError> {
    match parse_scenario(source, format, file) {
        Ok(scenario) => located(source, file, &warnings(source, format, file, &scenario)),
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "a refused scenario says why");
            located(source, file, &errors)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(1_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_toml_scenarios_are_loaded_or_refused_with_located_errors(
        which in prop_oneof![6 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)],
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let source = apply(SHIPPED[which], &edits);
        check(&source, ScenarioFormat::Toml, "fuzz.toml")?;
    }

    #[test]
    fn mutated_json_scenarios_are_loaded_or_refused_with_located_errors(edits in prop::collection::vec(edit(), 1..6)) {
        let source = apply(&as_json(SHIPPED[0]), &edits);
        check(&source, ScenarioFormat::Json, "fuzz.json")?;
    }

    #[test]
    fn arbitrary_text_is_refused_with_a_located_error(text in "\\PC{0,400}") {
        check(&text, ScenarioFormat::Toml, "any.toml")?;
        check(&text, ScenarioFormat::Json, "any.json")?;
    }
}

/// Cases per property: `PROPTEST_CASES` when set (the long run, `scripts/fuzz`), else `ci`
/// (the scenario layer sits below the protocol's fuzz helpers, so it keeps its own).
fn cases(ci: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(ci)
}
