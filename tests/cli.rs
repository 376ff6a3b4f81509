//! The `tabletop` binary's scenario commands: `validate` reports each problem as
//! `FILE:LINE:COL: message` on stdout and exits 1; `scenarios` lists the loadable
//! scenarios and reports the others on stderr. A server started on a folder with a
//! broken file offers the good scenarios only.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{ADMIN, TestServer};
use serde_json::{Value, json};

fn tabletop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .args(args)
        .env_remove("TABLETOP_SCENARIOS")
        .output()
        .expect("the tabletop binary runs")
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

/// A frozen copy of a scenario (tests/fixtures/scenarios): tests that only need a good
/// file do not change meaning when a shipped scenario is edited.
fn fixture(name: &str) -> PathBuf {
    common::scenarios_dir().join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Writes `source` as `name` in `dir`; returns the path as a string.
fn write(dir: &Path, name: &str, source: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    path.display().to_string()
}

/// `tabletop validate FILE`: must fail with exit code 1 and print exactly one problem
/// line per entry of `expected` — `(line, col, part of the message)` — in that order.
fn assert_problems(source: &str, ext: &str, expected: &[(usize, usize, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &format!("broken.{ext}"), source);
    let out = tabletop(&["validate", &file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "exit code; stdout:\n{text}\nstderr:\n{}", stderr(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one line per problem:\n{text}");
    for (got, (line, col, message)) in lines.iter().zip(expected) {
        let prefix = format!("{file}:{line}:{col}: ");
        assert!(got.starts_with(&prefix), "expected {prefix}…, got:\n{got}");
        let rest = &got[prefix.len()..];
        assert!(rest.contains(message), "expected a message with {message:?}, got:\n{got}");
        assert!(!rest.contains(" at line "), "the position is not repeated in the message: {got}");
    }
}

/// A valid scenario; the line numbers are used by the tests below.
const BASE: &str = r#"id = "broken"
title = "Broken on purpose"
duration_minutes = 10

[[objectives]]
id = "o1"
text = "First objective"

[[groups]]
id = "risk"
name = "Risk"

[[groups]]
id = "incident"
name = "Incident"

[[injects]]
id = "a"
at = 1
title = "A"
body = "Body A"
targets = ["risk", "incident"]
objectives = ["o1"]
questions.all = "What now?"
"#;

/// `source` with the whole line `line` replaced (1-based), asserting what was there.
fn with_line(source: &str, line: usize, was: &str, now: &str) -> String {
    let mut lines: Vec<&str> = source.lines().collect();
    assert_eq!(lines[line - 1], was, "BASE line {line}");
    lines[line - 1] = now;
    lines.join("\n") + "\n"
}

#[test]
fn the_shipped_scenarios_validate() {
    let dfs = shipped("dfs-salary-tide.toml");
    let extended = shipped("dfs-salary-tide-extended.toml");
    let demo = shipped("quick-demo.toml");
    let out = tabletop(&["validate", dfs.to_str().unwrap(), extended.to_str().unwrap(), demo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}\nstderr:\n{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "", "no problem lines");
    let err = stderr(&out);
    assert!(err.contains("dfs-salary-tide"), "{err}");
    assert!(err.contains("quick-demo"), "{err}");
}

#[test]
fn the_base_scenario_of_these_tests_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "base.toml", BASE);
    let out = tabletop(&["validate", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // `at` equal to the duration is still within it.
    let file = write(dir.path(), "edge.toml", &with_line(BASE, 19, "at = 1", "at = 10"));
    let out = tabletop(&["validate", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_toml_syntax_error_is_located() {
    let src = with_line(BASE, 3, "duration_minutes = 10", "duration_minutes = = 10");
    assert_problems(&src, "toml", &[(3, 20, "")]);
    // An unterminated string: where the closing quote is missing, at the end of line 20.
    let src = with_line(BASE, 20, "title = \"A\"", "title = \"A");
    assert_problems(&src, "toml", &[(20, 11, "")]);
    // A value of the wrong type points at the value.
    let src = with_line(BASE, 19, "at = 1", "at = \"soon\"");
    assert_problems(&src, "toml", &[(19, 6, "")]);
}

#[test]
fn the_language_is_en_or_fr_and_any_other_word_points_at_its_value() {
    let dir = tempfile::tempdir().unwrap();
    for good in ["en", "fr"] {
        let src = with_line(BASE, 3, "duration_minutes = 10", &format!("duration_minutes = 10\nlanguage = \"{good}\""));
        let out = tabletop(&["validate", &write(dir.path(), &format!("{good}.toml"), &src)]);
        assert_eq!(out.status.code(), Some(0), "{good}: {}", stdout(&out));
    }
    let src = with_line(BASE, 3, "duration_minutes = 10", "duration_minutes = 10\nlanguage = \"de\"");
    assert_problems(&src, "toml", &[(4, 12, "language must be \"en\" (English) or \"fr\" (French), not \"de\"")]);
    let src = with_line(BASE, 3, "duration_minutes = 10", "duration_minutes = 10\nlanguage = \"French\"");
    assert_problems(&src, "toml", &[(4, 12, "not \"French\"")]);
    let mut json: Value = toml::from_str(BASE).unwrap();
    json["language"] = json!("fr-FR");
    let src = serde_json::to_string_pretty(&json).unwrap();
    let (line, text) = src.lines().enumerate().find(|(_, l)| l.contains("\"fr-FR\"")).unwrap();
    // serde_json points at the value's closing quote.
    let col = text.find("\"fr-FR\"").unwrap() + "\"fr-FR\"".len();
    assert_problems(&src, "json", &[(line + 1, col, "not \"fr-FR\"")]);
}

#[test]
fn an_unknown_target_group_points_at_its_string() {
    let src = with_line(BASE, 22, "targets = [\"risk\", \"incident\"]", "targets = [\"risk\", \"nobody\"]");
    assert_problems(&src, "toml", &[(22, 20, "inject \"a\" targets unknown group \"nobody\"")]);

    // Two unknown groups: two problems, each at its own string.
    let src = with_line(
        BASE,
        22,
        "targets = [\"risk\", \"incident\"]",
        "targets = [\"nobody\", \"risk\", \"ghost\", \"incident\"]",
    );
    assert_problems(&src, "toml", &[(22, 12, "\"nobody\""), (22, 30, "\"ghost\"")]);

    // Columns count characters, not bytes (an inline inject with accents before the array).
    let inject = "injects = [{ id = \"a\", at = 1, title = \"Été à Dakar\", body = \"B\", targets = [\"risk\", \"nobody\"], \
                  objectives = [\"o1\"], questions = { all = \"Q?\" } }]";
    let tables = BASE.split("[[injects]]").next().unwrap().replacen("\n\n", &format!("\n{inject}\n\n"), 1);
    assert_eq!(tables.lines().nth(3), Some(inject));
    let line = 4;
    let col = inject.split("\"nobody\"").next().unwrap().chars().count() + 1;
    assert_eq!(col, 86, "in characters (the byte column would be 89)");
    let inline = tables;
    assert_problems(&inline, "toml", &[(line, col, "unknown group \"nobody\"")]);
}

#[test]
fn a_duplicate_inject_id_points_at_the_second_id() {
    let src = format!(
        "{BASE}\n[[injects]]\nid = \"a\"\nat = 2\ntitle = \"A again\"\nbody = \"Again\"\ntargets = \"all\"\nquestions.all = \"And now?\"\n"
    );
    assert_eq!(src.lines().nth(26), Some("id = \"a\""));
    assert_problems(&src, "toml", &[(27, 1, "duplicate inject id \"a\"")]);
}

#[test]
fn an_inject_beyond_the_duration_points_at_its_at() {
    let src = with_line(BASE, 19, "at = 1", "at = 11");
    assert_problems(&src, "toml", &[(19, 1, "at 11 min is beyond the planned duration of 10 min")]);
    let src = with_line(BASE, 19, "at = 1", "at = 10.5");
    assert_problems(&src, "toml", &[(19, 1, "beyond the planned duration of 10 min")]);
    let src = with_line(BASE, 19, "at = 1", "at = -1");
    assert_problems(&src, "toml", &[(19, 1, "at must be 0 or more minutes")]);
}

#[test]
fn a_targeted_group_without_a_question_points_at_the_targets() {
    let src = with_line(BASE, 24, "questions.all = \"What now?\"", "questions.risk = \"What now?\"");
    assert_problems(&src, "toml", &[(22, 1, "inject \"a\" targets group \"incident\" without a question for it")]);
}

#[test]
fn questions_for_an_unknown_group_point_at_the_key() {
    let src = format!("{BASE}questions.ghost = \"Boo?\"\n");
    assert_problems(&src, "toml", &[(25, 11, "questions for unknown group \"ghost\"")]);
}

#[test]
fn an_objective_no_inject_serves_points_at_its_id() {
    let src =
        BASE.replacen("\n[[groups]]", "\n[[objectives]]\nid = \"o2\"\ntext = \"Second objective\"\n\n[[groups]]", 1);
    assert_eq!(src.lines().nth(9), Some("id = \"o2\""));
    assert_problems(&src, "toml", &[(10, 1, "objective \"o2\" is served by no inject")]);
}

#[test]
fn self_assessment_statements_for_unknown_groups_or_with_duplicate_ids_are_located() {
    let src = format!(
        "{BASE}\n[self_assessment]\nexample = true\n\n[[self_assessment.statements]]\nid = \"s1\"\ngroup = \"risk\"\n\
         text = \"Fine\"\n\n[[self_assessment.statements]]\nid = \"s1\"\ngroup = \"ghost\"\ntext = \"Twice\"\n"
    );
    assert_eq!(src.lines().nth(34), Some("id = \"s1\""));
    assert_problems(
        &src,
        "toml",
        &[(35, 1, "duplicate statement id \"s1\""), (36, 1, "statement \"s1\" is for unknown group \"ghost\"")],
    );
    let empty = format!("{BASE}\n[self_assessment]\nstatements = []\n");
    assert_problems(&empty, "toml", &[(27, 1, "self_assessment has no statements")]);
}

#[test]
fn several_problems_are_all_reported_in_one_run() {
    let src = with_line(BASE, 19, "at = 1", "at = 11");
    let src = with_line(&src, 22, "targets = [\"risk\", \"incident\"]", "targets = [\"risk\", \"nobody\"]");
    assert_problems(&src, "toml", &[(19, 1, "beyond the planned duration"), (22, 20, "unknown group \"nobody\"")]);
}

#[test]
fn a_json_syntax_error_is_located() {
    let src = "{\n  \"id\": \"broken\",\n  \"title\" \"Broken\",\n  \"duration_minutes\": 10\n}\n";
    assert_problems(src, "json", &[(3, 11, "expected `:`")]);
    let src = "{\n  \"id\": \"broken\",\n  \"duration_minutes\": 10,\n  \"title\": \"T\",,\n  \"groups\": []\n}\n";
    assert_problems(src, "json", &[(4, 16, "key must be a string")]);
}

#[test]
fn json_scenarios_validate_and_their_problems_are_located_and_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let demo: Value = toml::from_str(&std::fs::read_to_string(fixture("quick-demo.toml")).unwrap()).unwrap();
    let file = write(dir.path(), "quick-demo.json", &serde_json::to_string_pretty(&demo).unwrap());
    let out = tabletop(&["validate", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Semantic problems point at the value, as in TOML: the line of `"nobody"`, pretty-printed
    // on its own line, and its column.
    let mut base: Value = toml::from_str(BASE).unwrap();
    base["injects"][0]["targets"] = json!(["risk", "nobody"]);
    let src = serde_json::to_string_pretty(&base).unwrap();
    let (line, text) = src.lines().enumerate().find(|(_, l)| l.contains("\"nobody\"")).unwrap();
    let col = text.find("\"nobody\"").unwrap() + 1;
    assert!(line > 10, "well inside the file");
    assert_problems(&src, "json", &[(line + 1, col, "targets unknown group \"nobody\" (at injects[0].targets[1])")]);
}

#[test]
fn validate_reports_every_bad_file_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture("quick-demo.toml");
    let bad = write(dir.path(), "bad.toml", &with_line(BASE, 19, "at = 1", "at = 11"));
    let yaml = write(dir.path(), "scenario.yaml", "id: x\n");
    let missing = dir.path().join("missing.toml").display().to_string();
    let out = tabletop(&["validate", good.to_str().unwrap(), &bad, &yaml, &missing]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with(&format!("{bad}:19:1: ")), "{text}");
    assert!(lines[1].starts_with(&format!("{yaml}:1:1: ")) && lines[1].contains(".toml or .json"), "{text}");
    assert!(lines[2].starts_with(&format!("{missing}:1:1: ")) && lines[2].contains("cannot read"), "{text}");
    assert!(!text.contains("quick-demo"), "{text}");
    assert!(stderr(&out).contains("quick-demo"), "the good file is reported ok on stderr");

    let out = tabletop(&["validate"]);
    assert_eq!(out.status.code(), Some(2), "no file is a usage error");
}

/// A folder with the two fixture scenarios copied in, plus `extra` files.
fn scenarios_folder(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["dfs-salary-tide.toml", "quick-demo.toml"] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    for (name, source) in extra {
        write(dir.path(), name, source);
    }
    dir
}

fn listed_ids(out: &Output) -> Vec<String> {
    stdout(out).lines().map(|l| l.split_whitespace().next().unwrap_or("").to_owned()).collect()
}

#[test]
fn scenarios_lists_the_good_files_and_reports_the_broken_one() {
    let broken = with_line(BASE, 22, "targets = [\"risk\", \"incident\"]", "targets = [\"risk\", \"nobody\"]");
    let dir = scenarios_folder(&[("broken.toml", &broken), ("notes.md", "# not a scenario\n")]);
    let out = tabletop(&["scenarios", "--scenarios", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a broken file fails the command");
    assert_eq!(listed_ids(&out), ["dfs-salary-tide", "quick-demo"], "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("Quick demo"), "{text}");
    let err = stderr(&out);
    let path = dir.path().join("broken.toml").display().to_string();
    let problems: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(problems.len(), 1, "{err}");
    assert!(
        problems[0].contains(&format!("{path}:22:20: inject \"a\" targets unknown group \"nobody\"")),
        "stderr: {err}"
    );
    assert!(!err.contains("notes.md"), "other files are ignored: {err}");
}

#[test]
fn scenarios_on_a_clean_folder_succeeds_and_a_duplicate_id_is_reported() {
    let dir = scenarios_folder(&[]);
    let out = tabletop(&["scenarios", "--scenarios", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(listed_ids(&out), ["dfs-salary-tide", "quick-demo"]);
    assert_eq!(stderr(&out).trim(), "");

    let copy = std::fs::read_to_string(fixture("quick-demo.toml")).unwrap();
    let dir = scenarios_folder(&[("z-copy.toml", &copy)]);
    let out = tabletop(&["scenarios", "--scenarios", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(listed_ids(&out), ["dfs-salary-tide", "quick-demo"]);
    let path = dir.path().join("z-copy.toml").display().to_string();
    assert!(stderr(&out).contains(&format!("{path}:1:1: ")), "{}", stderr(&out));
    assert!(stderr(&out).contains("already used"), "{}", stderr(&out));

    // No folder: the server falls back to the scenarios shipped in the binary, and
    // `scenarios` lists what the server would load.
    let missing = dir.path().join("no-such-folder");
    let out = tabletop(&["scenarios", "--scenarios", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(listed_ids(&out), ["dfs-salary-tide", "dfs-salary-tide-extended", "quick-demo"]);
    assert!(stderr(&out).contains("shipped in the binary"), "{}", stderr(&out));
}

/// A server on a folder with a broken file starts and offers the good scenarios only.
#[tokio::test]
async fn the_server_skips_a_broken_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("quick-demo.toml"), dir.path().join("quick-demo.toml")).unwrap();
    let broken = with_line(BASE, 19, "at = 1", "at = 11");
    write(dir.path(), "broken.toml", &broken);
    write(dir.path(), "syntax.json", "{ \"id\": ");
    let folder = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| o.scenarios_dir = folder).await;

    let res = server.http().get(format!("{}/api/scenarios", server.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["problems"], json!([]), "the problems are for the admin only");
    let list = body["scenarios"].as_array().expect("a list");
    assert_eq!(list.len(), 1, "{list:?}");
    let demo = &list[0];
    assert_eq!(demo["id"], "quick-demo");
    assert_eq!(demo["title"], "Quick demo — rehearsal");
    assert_eq!(demo["duration_minutes"], 5);
    assert!(demo["summary"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(demo["injects"], 3);
    let groups = demo["groups"].as_array().unwrap();
    let ids: Vec<&str> = groups.iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["risk", "governance", "testing", "training", "protection", "incident"]);
    for g in groups {
        assert!(g["name"].as_str().is_some_and(|n| !n.is_empty()), "{g}");
        assert_eq!(g.as_object().unwrap().len(), 2, "a listing's group has id and name only: {g}");
    }
    assert!(demo.get("objectives").is_none(), "no scenario content in the public listing");

    // The broken scenario cannot be played; the good one can.
    let res = server
        .http()
        .post(format!("{}/api/exercises", server.base))
        .bearer_auth(ADMIN)
        .json(&json!({"scenario_id": "broken"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_scenario");
    server.create("quick-demo").await;
}
