//! Reading scenario files: parse (TOML or JSON), validate, and keep the valid ones.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Scenario;
use super::locate::{LineCol, line_col, locate_toml, path_to_string};
use super::locate_json::locate_json;
use super::validate::{Problem, validate};

/// A problem with a scenario file, displayed as `FILE:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct LoadError {
    /// The file as given (or a label such as `<input>`).
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// The syntax a scenario is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioFormat {
    /// TOML, the authoring format.
    Toml,
    /// JSON, through the same serde model.
    Json,
}

impl ScenarioFormat {
    /// The format for a file name, by extension; `None` for other files.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "toml" => Some(Self::Toml),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Reads an attachment file by its path relative to the scenario file.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> std::io::Result<Vec<u8>>;

/// Parses and validates one scenario that has no folder (its attachment files, if any,
/// cannot be read); every problem found is returned, located.
pub fn parse_scenario(source: &str, format: ScenarioFormat, file: &str) -> Result<Scenario, Vec<LoadError>> {
    let no_folder = |_: &str| -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "this scenario has no folder to read files from"))
    };
    parse_scenario_with(source, format, file, &no_folder)
}

/// Parses and validates one scenario, reading its attachment files with `read`.
pub fn parse_scenario_with(
    source: &str,
    format: ScenarioFormat,
    file: &str,
    read: ReadFile<'_>,
) -> Result<Scenario, Vec<LoadError>> {
    let at = |pos: LineCol, message: String| LoadError { file: file.to_owned(), line: pos.line, col: pos.col, message };
    let mut scenario: Scenario = match format {
        ScenarioFormat::Toml => toml::from_str(source).map_err(|e| {
            let pos = e.span().map_or(LineCol { line: 1, col: 1 }, |s| line_col(source, s.start));
            vec![at(pos, e.message().trim().to_owned())]
        })?,
        ScenarioFormat::Json => serde_json::from_str(source).map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; the position goes in front instead.
            let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m).to_owned();
            let line = e.line().max(1);
            vec![at(LineCol { line, col: char_col(source, line, e.column()) }, message)]
        })?,
    };
    super::texts::settle(&mut scenario);
    let mut problems = super::attachment::resolve(&mut scenario, read);
    problems.extend(validate(&scenario));
    if problems.is_empty() {
        return Ok(scenario);
    }
    Err(locate(source, format, file, problems, ""))
}

/// The column, in characters from 1, of serde_json's byte column `byte_col` on `line`
/// (a line with accents or emoji would otherwise point past its end).
fn char_col(source: &str, line: usize, byte_col: usize) -> usize {
    let text = source.split('\n').nth(line - 1).unwrap_or("");
    let mut end = byte_col.saturating_sub(1).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().count() + 1
}

/// Turns problems (paths in the document) into located errors, `prefix` before each message.
fn locate(source: &str, format: ScenarioFormat, file: &str, problems: Vec<Problem>, prefix: &str) -> Vec<LoadError> {
    let at = |pos: LineCol, message: String| LoadError {
        file: file.to_owned(),
        line: pos.line,
        col: pos.col,
        message: format!("{prefix}{message}"),
    };
    problems
        .into_iter()
        .map(|p| match format {
            ScenarioFormat::Toml => at(locate_toml(source, &p.path), p.message),
            ScenarioFormat::Json => {
                at(locate_json(source, &p.path), format!("{} (at {})", p.message, path_to_string(&p.path)))
            }
        })
        .collect()
}

/// The [`super::lint`] warnings of a parsed scenario, located in its source:
/// `FILE:LINE:COL: warning: message`.
pub fn warnings(source: &str, format: ScenarioFormat, file: &str, scenario: &Scenario) -> Vec<LoadError> {
    locate(source, format, file, super::lint::lint(scenario), "warning: ")
}

/// Reads, parses and validates one scenario file, and lints it: the scenario and its
/// located warnings, or every error.
pub fn check_file(path: &Path) -> Result<(Scenario, Vec<LoadError>), Vec<LoadError>> {
    let scenario = load_file(path)?;
    let file = path.display().to_string();
    let format = ScenarioFormat::from_path(path).unwrap_or(ScenarioFormat::Toml);
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let warnings = warnings(&source, format, &file, &scenario);
    Ok((scenario, warnings))
}

/// Whether a file is the scenario format's JSON Schema (`*.schema.json`), not a scenario.
fn is_schema(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".schema.json"))
}

/// Reads, parses and validates one scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, Vec<LoadError>> {
    let file = path.display().to_string();
    let fail = |message: String| vec![LoadError { file: file.clone(), line: 1, col: 1, message }];
    let format = ScenarioFormat::from_path(path).ok_or_else(|| fail("not a .toml or .json file".into()))?;
    let source = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    parse_scenario_with(&source, format, &file, &|name| std::fs::read(folder.join(name)))
}

/// The scenarios shipped with tabletop, embedded in the binary: the catalog when the
/// scenarios folder does not exist, so `tabletop serve` works from any directory.
#[derive(rust_embed::Embed)]
#[folder = "scenarios/"]
struct Shipped;

/// The scenarios the server offers, loaded from a folder at startup.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    scenarios: Vec<Arc<Scenario>>,
}

impl Catalog {
    /// A catalog of these scenarios, sorted by id (the caller keeps ids unique).
    pub fn from_scenarios(mut scenarios: Vec<Arc<Scenario>>) -> Self {
        scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        Catalog { scenarios }
    }

    /// The scenario files in `dir` (`.toml` and `.json`, not a JSON Schema), sorted by name.
    pub fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| ScenarioFormat::from_path(p).is_some() && !is_schema(p))
            .collect();
        files.sort();
        Ok(files)
    }

    /// Loads every `.toml` and `.json` file in `dir` (sorted by file name). Files with
    /// problems are skipped and their problems returned, so the others still load.
    pub fn load_dir(dir: &Path) -> (Self, Vec<LoadError>) {
        let mut problems = Vec::new();
        let files = match Catalog::files(dir) {
            Ok(files) => files,
            Err(e) => {
                problems.push(LoadError {
                    file: dir.display().to_string(),
                    line: 1,
                    col: 1,
                    message: format!("cannot read the scenarios folder: {e}"),
                });
                Vec::new()
            }
        };
        let mut catalog = Catalog::default();
        for path in files {
            match load_file(&path) {
                Ok(s) if catalog.get(&s.id).is_some() => problems.push(LoadError {
                    file: path.display().to_string(),
                    line: 1,
                    col: 1,
                    message: format!("scenario id \"{}\" is already used by another file; skipped", s.id),
                }),
                Ok(s) => catalog.scenarios.push(Arc::new(s)),
                Err(mut errs) => problems.append(&mut errs),
            }
        }
        catalog.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        (catalog, problems)
    }

    /// What the server loads: the folder when it exists, else the shipped scenarios.
    pub fn load(dir: &Path) -> (Self, Vec<LoadError>) {
        if dir.is_dir() {
            Catalog::load_dir(dir)
        } else {
            tracing::info!(dir = %dir.display(), "no scenarios folder; using the shipped scenarios");
            Catalog::shipped()
        }
    }

    /// The shipped scenarios embedded in the binary.
    pub fn shipped() -> (Self, Vec<LoadError>) {
        let mut catalog = Catalog::default();
        let mut problems = Vec::new();
        let mut names: Vec<_> = Shipped::iter().collect();
        names.sort();
        for name in names {
            let path = Path::new(name.as_ref());
            let (Some(format), Some(file)) = (ScenarioFormat::from_path(path), Shipped::get(&name)) else { continue };
            if name.contains('/') || name.ends_with(".schema.json") {
                continue; // attachments and the JSON Schema, not scenarios
            }
            let source = String::from_utf8_lossy(&file.data);
            let read = |file: &str| {
                Shipped::get(file).map(|f| f.data.into_owned()).ok_or_else(|| std::io::ErrorKind::NotFound.into())
            };
            match parse_scenario_with(&source, format, &format!("(shipped) {name}"), &read) {
                Ok(s) => catalog.scenarios.push(Arc::new(s)),
                Err(mut errs) => problems.append(&mut errs),
            }
        }
        catalog.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        (catalog, problems)
    }

    /// The scenario with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// All scenarios, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Scenario>> {
        self.scenarios.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_syntax_error_is_located() {
        let errs = parse_scenario("id = \"x\"\ntitle = \n", ScenarioFormat::Toml, "s.toml").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].to_string().starts_with("s.toml:2:"), "{}", errs[0]);
    }

    #[test]
    fn a_missing_field_is_reported_with_its_name() {
        let errs = parse_scenario("id = \"x\"\ntitle = \"T\"\n", ScenarioFormat::Toml, "s.toml").unwrap_err();
        assert!(errs[0].message.contains("duration_minutes"), "{}", errs[0]);
    }

    #[test]
    fn the_shipped_scenarios_are_embedded_and_valid() {
        let (catalog, problems) = Catalog::shipped();
        assert_eq!(problems, vec![]);
        let ids: Vec<&str> = catalog.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["dfs-salary-tide", "dfs-salary-tide-extended", "quick-demo"]);
        for id in ["dfs-salary-tide", "dfs-salary-tide-extended"] {
            let dfs = catalog.get(id).unwrap();
            let groups: Vec<&str> = dfs.groups.iter().map(|g| g.id.as_str()).collect();
            assert_eq!(groups, ["risk", "governance", "testing", "training", "protection", "incident"]);
            assert_eq!(dfs.languages(), [super::super::Lang::En, super::super::Lang::Fr], "{id}");
            assert!(dfs.sectors.len() >= 10);
            let plan = dfs.self_assessment.as_ref().unwrap();
            assert_eq!(plan.mode, super::super::AssessmentMode::Profile);
            assert_eq!(plan.levels.len(), 5);
            for g in &groups {
                assert!(plan.for_group(g).count() >= 3, "a profile needs three statements per domain: {g}");
            }
            let images = dfs.injects.iter().flat_map(|i| &i.attachments).filter(|a| a.content.is_some()).count();
            assert!(images >= 1, "{id} shows at least one attachment file");
        }
    }

    /// The 50-minute workshop slot: about 30 minutes of play in modules that reach every
    /// group, each group with 3 to 6 questions and never idle for more than 8 play minutes
    /// between its first and last inject.
    #[test]
    fn the_shipped_workshop_scenario_fits_the_slot_and_keeps_every_group_busy() {
        let (catalog, _) = Catalog::shipped();
        let dfs = catalog.get("dfs-salary-tide").unwrap();
        assert!((28..=35).contains(&dfs.duration_minutes), "{} minutes of play", dfs.duration_minutes);
        let timed: Vec<_> = dfs.timed_order().into_iter().map(|i| &dfs.injects[i]).collect();
        assert!((3..=4).contains(&timed.len()), "3-4 modules, not {}", timed.len());
        for g in &dfs.groups {
            let mine: Vec<_> = timed.iter().filter(|i| i.targets.includes(&g.id)).collect();
            let questions: usize = mine.iter().map(|i| i.questions_for(&g.id).len()).sum();
            assert!((3..=6).contains(&questions), "{}: {questions} questions", g.id);
            for pair in mine.windows(2) {
                let gap = pair[1].at.unwrap() - pair[0].at.unwrap();
                assert!(gap <= 8.0, "{} idle for {gap} minutes after {}", g.id, pair[0].id);
            }
            for inject in &mine {
                assert!(
                    inject.questions.get(&g.id).is_some_and(|q| !q.as_slice().is_empty()),
                    "{} has its own question in {}",
                    g.id,
                    inject.id
                );
            }
        }
    }

    const MINIMAL: &str = "id = \"x\"\ntitle = \"T\"\nduration_minutes = 5\n[[groups]]\nid = \"g\"\nname = \"G\"\n";

    #[test]
    fn the_language_is_en_by_default_and_fr_when_said() {
        let english = parse_scenario(MINIMAL, ScenarioFormat::Toml, "s.toml").unwrap();
        assert_eq!(english.language, super::super::Lang::En);
        let french = format!("language = \"fr\"\n{MINIMAL}");
        let french = parse_scenario(&french, ScenarioFormat::Toml, "s.toml").unwrap();
        assert_eq!(french.language, super::super::Lang::Fr);
        let json = serde_json::to_string(&french).unwrap();
        assert!(json.contains("\"language\":\"fr\""), "{json}");
        let again = parse_scenario(&json, ScenarioFormat::Json, "s.json").unwrap();
        assert_eq!(again, french);
        assert!(!serde_json::to_string(&english).unwrap().contains("language"), "English is not written out");
    }

    #[test]
    fn an_unknown_language_is_located_at_its_value() {
        let source = MINIMAL.replacen("duration_minutes", "language = \"de\"\nduration_minutes", 1);
        assert!(source.starts_with("id = \"x\"\ntitle = \"T\"\nlanguage = \"de\"\n"), "{source}");
        let errs = parse_scenario(&source, ScenarioFormat::Toml, "s.toml").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(
            errs[0].to_string(),
            "s.toml:3:12: language must be \"en\" (English) or \"fr\" (French), not \"de\""
        );
        let json = "{\n  \"id\": \"x\",\n  \"language\": \"fr-FR\",\n  \"title\": \"T\"\n}";
        let errs = parse_scenario(json, ScenarioFormat::Json, "s.json").unwrap_err();
        assert_eq!(errs[0].line, 3, "{}", errs[0]);
        assert!(errs[0].message.contains("not \"fr-FR\""), "{}", errs[0]);
    }

    #[test]
    fn a_json_syntax_error_has_line_and_column_once() {
        let errs = parse_scenario("{\n  \"id\": \"x\",\n  oops\n}", ScenarioFormat::Json, "s.json").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(!errs[0].message.contains("line"), "{}", errs[0].message);
    }
}
