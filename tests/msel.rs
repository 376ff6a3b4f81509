//! The `tabletop msel` commands through the real binary: a shipped scenario exported as
//! an MSEL sheet and imported onto itself parses to the same scenario (attachment files
//! included); the sheet has the documented header and one row per inject; a sheet
//! imported without a base scenario validates; and each kind of problem in a sheet is
//! reported at `FILE:ROW:COL`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tabletop::scenario::load::load_file;
use tabletop::scenario::{Scenario, ScenarioFormat, parse_scenario_with};

fn tabletop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tabletop")).args(args).output().expect("the tabletop binary runs")
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `tabletop msel export FILE`, which must succeed.
fn export(scenario: &Path) -> String {
    let out = tabletop(&["msel", "export", &scenario.display().to_string()]);
    assert!(out.status.success(), "export {}: {}", scenario.display(), text(&out.stderr));
    text(&out.stdout)
}

/// Reads a scenario file, its attachment files from `folder`.
fn parse_in(path: &Path, folder: &Path) -> Scenario {
    let source = std::fs::read_to_string(path).unwrap();
    parse_scenario_with(&source, ScenarioFormat::Toml, &path.display().to_string(), &|f| std::fs::read(folder.join(f)))
        .unwrap_or_else(|e| panic!("{} reads back: {e:?}", path.display()))
}

#[test]
fn the_shipped_scenarios_round_trip_through_an_msel_sheet() {
    for name in ["dfs-salary-tide.toml", "dfs-salary-tide-extended.toml", "quick-demo.toml"] {
        let original = load_file(&shipped(name)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("msel.csv");
        std::fs::write(&sheet, export(&shipped(name))).unwrap();
        let out = dir.path().join("imported.toml");
        let run = tabletop(&[
            "msel",
            "import",
            &sheet.display().to_string(),
            "--base",
            &shipped(name).display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        assert!(run.status.success(), "{name}: {}", text(&run.stderr));
        // Attachment paths stay relative to the base scenario's folder.
        let imported = parse_in(&out, &shipped(""));
        assert_eq!(imported.injects, original.injects, "{name}: the injects");
        assert_eq!(imported, original, "{name}");
        let files = imported.injects.iter().flat_map(|i| &i.attachments).filter(|a| a.content.is_some()).count();
        if name.starts_with("dfs") {
            assert!(files >= 2, "{name}: the attachment files are read ({files})");
        }
    }
}

#[test]
fn the_sheet_has_the_documented_header_and_one_row_per_inject() {
    let sheet = export(&shipped("quick-demo.toml"));
    let mut reader = csv::Reader::from_reader(sheet.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let groups = [
        "Risk management [risk]",
        "Governance [governance]",
        "Testing [testing]",
        "Training & awareness [training]",
        "Protection [protection]",
        "Incident response [incident]",
    ];
    let demo = load_file(&shipped("quick-demo.toml")).unwrap();
    let names: Vec<String> = demo.groups.iter().map(|g| format!("{} [{}]", g.name, g.id)).collect();
    assert_eq!(names, groups, "the quick demo's groups");
    let mut expected: Vec<String> = [
        "Event no.",
        "Inject id",
        "Time (T+mm)",
        "Contingency",
        "When (condition)",
        "Respond within (min)",
        "Targets",
        "From",
        "Channel",
        "Title",
        "Inject text",
        "Questions (all groups)",
    ]
    .map(str::to_owned)
    .to_vec();
    expected.extend(groups.iter().map(|g| format!("Questions: {g}")));
    expected.extend(
        ["Response", "Expected actions", "Objectives", "Facilitator notes", "Attachments", "Collect improvements"]
            .map(str::to_owned),
    );
    assert_eq!(header, expected);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), demo.injects.len());
    assert_eq!(rows[1].iter().take(7).collect::<Vec<_>>(), ["2", "partner-api", "2", "", "", "", "risk; incident"]);
    assert_eq!(&rows[2][header.len() - 1], "yes", "the wrap-up collects improvements");
    assert_eq!(
        &rows[0][header.iter().position(|h| h == "Expected actions").unwrap()],
        "Activate the incident plan\nHold transfers from recently swapped SIMs"
    );

    let dfs = load_file(&shipped("dfs-salary-tide.toml")).unwrap();
    let sheet = export(&shipped("dfs-salary-tide.toml"));
    let mut reader = csv::Reader::from_reader(sheet.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(reader.records().count(), dfs.injects.len(), "one row per inject");
    let after =
        |h: &str| header[header.iter().position(|x| x == h).unwrap_or_else(|| panic!("{h} in {header:?}")) + 1].clone();
    assert_eq!(after("Title"), "Title [fr]");
    assert_eq!(after("Inject text"), "Inject text [fr]");
    assert_eq!(after("Questions: Risk management [risk]"), "Questions: Gestion des risques [risk] [fr]");
    assert_eq!(after("Attachments"), "Attachments [fr]");
    assert_eq!(after("Targets"), "From", "ids are not translated");
    let when = header.iter().position(|h| h == "When (condition)").unwrap();
    let rows: Vec<csv::StringRecord> = reader_rows(&sheet);
    let call = rows.iter().find(|r| &r[1] == "m1-central-bank-call").unwrap();
    assert_eq!(
        &call[when], r#"{ no_answer = { group = "incident", inject = "m1-payday-fraud-wave", within_minutes = 5.0 } }"#,
        "a condition is written as the scenario file writes it"
    );
    assert_eq!(
        &call[header.iter().position(|h| h == "Contingency").unwrap()],
        "",
        "a conditional inject is not a contingency"
    );
}

fn reader_rows(sheet: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(sheet.as_bytes()).records().map(Result::unwrap).collect()
}

#[test]
fn a_sheet_without_a_base_builds_a_scenario_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("salary-tide.csv");
    std::fs::write(&sheet, export(&shipped("dfs-salary-tide.toml"))).unwrap();
    // Without a base, attachment paths are relative to the sheet's folder.
    let attachments = dir.path().join("attachments");
    std::fs::create_dir(&attachments).unwrap();
    for f in ["fake-sms.svg", "social-post.svg"] {
        std::fs::copy(shipped("attachments").join(f), attachments.join(f)).unwrap();
    }
    let out = dir.path().join("salary-tide.toml");
    let run = tabletop(&["msel", "import", &sheet.display().to_string(), "--out", &out.display().to_string()]);
    let stderr = text(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("note: 6 objectives have their id as text: write their text"), "{stderr}");
    let check = tabletop(&["validate", &out.display().to_string()]);
    assert!(check.status.success(), "{}{}", text(&check.stdout), text(&check.stderr));

    let built = parse_in(&out, dir.path());
    let dfs = load_file(&shipped("dfs-salary-tide.toml")).unwrap();
    assert_eq!(built.id, "salary-tide");
    assert_eq!(built.languages(), dfs.languages());
    assert_eq!(built.injects, dfs.injects, "the same injects as the scenario exported");
    let groups: Vec<(&str, String)> =
        built.groups.iter().map(|g| (g.id.as_str(), g.name.get(tabletop::lang::Lang::Fr).to_owned())).collect();
    let expected: Vec<(&str, String)> =
        dfs.groups.iter().map(|g| (g.id.as_str(), g.name.get(tabletop::lang::Lang::Fr).to_owned())).collect();
    assert_eq!(groups, expected, "groups and their French names come from the headers");
}

/// `tabletop msel import` of `sheet` (as `msel.csv`) onto the quick demo: must fail
/// with exactly these `ROW:COL: message part` problems, in order.
fn assert_problems(sheet: &str, expected: &[(usize, usize, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("msel.csv");
    std::fs::write(&path, sheet).unwrap();
    let file = path.display().to_string();
    let run = tabletop(&["msel", "import", &file, "--base", &shipped("quick-demo.toml").display().to_string()]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(run.stdout.is_empty(), "no scenario is written");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one line per problem:\n{stderr}");
    for (line, (row, col, part)) in lines.iter().zip(expected) {
        let prefix = format!("{file}:{row}:{col}: ");
        assert!(line.starts_with(&prefix) && line.contains(part), "expected {prefix}…{part}…, got:\n{line}");
    }
}

const HEADER: &str = "Inject id,Time (T+mm),Targets,Title,Inject text,Questions (all groups),Response\n";

#[test]
fn each_problem_in_a_sheet_is_reported_at_its_row_and_column() {
    let rows = [
        "a,soon,all,Alert,Wallets drained.,Who decides?,text",
        "b,1,risk;treasury,Leak,Keys leaked.,Who rotates?,",
        "c,2,all,Ransom,Pay?,Your call?,choice: pay=Pay",
        "d,3,all,,No title here.,Why?,",
        "e,3,risk,Echo,Once.,Why?,",
        "e,4,risk,Echo again,Twice.,Why?,",
        "f,2.5,all,Poll,Pick.,Which?,vote: a; b",
    ];
    assert_problems(
        &format!("{HEADER}{}\n", rows.join("\n")),
        &[
            (2, 2, "\"soon\" is not a number of minutes"),
            (3, 3, "no group \"treasury\""),
            (4, 7, "does not read as options"),
            (5, 4, "this row has no title"),
            (8, 7, "write text, \"choice: id=Label; id=Label\""),
            (7, 1, "inject id \"e\" is already used"),
        ],
    );
}

#[test]
fn an_unknown_column_is_reported_on_the_header_row() {
    assert_problems(
        "Inject id,Tittle,Targets,Title,Inject text\na,Alert,all,Alert,Body\n",
        &[(1, 2, "unknown column \"Tittle\"")],
    );
}

#[test]
fn validation_problems_point_at_the_cell_and_a_bom_and_trailing_empty_columns_are_tolerated() {
    // The scenario's own rules (an inject beyond the duration, a question for a group
    // the inject does not target) come back at the inject's row and the field's column.
    let sheet = format!("\u{feff}{}", HEADER.replace('\n', ",Objectives,,\n"))
        + "a,99,risk,Late,Too late.,Why?,text,respond,,\n"
        + "b,0,risk,First,Body,,,learn,,\n"
        + "c,1,all,Second,Body,Who?,,respond,,\n";
    assert_problems(&sheet, &[(2, 2, "beyond the planned duration"), (3, 3, "without a question for it")]);
}

#[test]
fn a_condition_cell_that_does_not_read_or_names_an_unknown_inject_is_reported_at_its_cell() {
    let header = "Inject id,Time (T+mm),When (condition),Targets,Title,Inject text,Questions (all groups),Objectives\n";
    let alert = "a,0,,all,Alert,Wallets drained.,Who decides?,respond; learn";
    let unreadable = "b,,{ silent = { group = \"risk\" } },risk,Call,The bank calls.,Who calls back?,";
    assert_problems(&format!("{header}{alert}\n{unreadable}\n"), &[(3, 3, "unknown variant `silent`")]);
    let ghost = "c,,\"{ answered = { group = \"\"risk\"\", inject = \"\"ghost\"\" } }\",risk,Echo,Once.,Why?,";
    assert_problems(&format!("{header}{alert}\n{ghost}\n"), &[(3, 3, "its condition names unknown inject \"ghost\"")]);
}

#[test]
fn cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_they_were() {
    let source = std::fs::read_to_string(shipped("quick-demo.toml")).unwrap();
    let source = source
        .replacen("title = \"First alert\"", "title = \"=HYPERLINK(\\\"http://x.example\\\")\"", 1)
        .replacen("from = \"BaobabPay customer care\"", "from = \"-40 wallets\"", 1)
        .replacen("channel = \"email\"", "channel = \"@ops\"", 1);
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("formulas.toml");
    std::fs::write(&scenario, &source).unwrap();
    let original = parse_in(&scenario, &shipped(""));
    let sheet = export(&scenario);
    let first = reader_rows(&sheet).into_iter().next().expect("a first inject row");
    for cell in ["'=HYPERLINK(\"http://x.example\")", "'-40 wallets", "'@ops"] {
        assert!(first.iter().any(|c| c == cell), "{cell} in {first:?}");
    }
    assert!(first.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])), "{first:?}");

    let path = dir.path().join("msel.csv");
    std::fs::write(&path, &sheet).unwrap();
    let out = dir.path().join("imported.toml");
    let (base, written) = (scenario.display().to_string(), out.display().to_string());
    let run = tabletop(&["msel", "import", &path.display().to_string(), "--base", &base, "--out", &written]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(parse_in(&out, &shipped("")), original, "the leading ' is taken off again");
}
