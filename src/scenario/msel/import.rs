//! Reading an MSEL sheet back into injects, and into a scenario that passes the normal
//! validation. [`row`] reads one row into an inject.

mod row;

use std::collections::{BTreeMap, HashSet};

use csv::StringRecord;
use row::RowReader;

use super::{Column, Field, MselError, parse_header};
use crate::lang::Lang;
use crate::scenario::load::ReadFile;
use crate::scenario::validate::{PathSeg, Problem, validate};
use crate::scenario::{
    ALL_GROUPS, ChoiceOption, Group, Inject, Objective, Scenario, ScenarioFormat, Text, parse_scenario_with,
};

/// A sheet read into a scenario.
#[derive(Debug)]
pub struct Imported {
    /// The scenario, parsed and validated from `toml`.
    pub scenario: Scenario,
    /// The scenario file to write.
    pub toml: String,
    /// What the author should know (e.g. objective texts to write), one line each.
    pub notes: Vec<String>,
}

/// Reads an MSEL sheet (`source`, named `file` in problems). With `base`, the sheet's
/// injects replace the base scenario's; without, a minimal scenario is built around
/// them (id and title from the file name, groups from the headers, objectives from the
/// ids used). Attachment files are read with `read`. Every problem is returned.
pub fn import(
    source: &str,
    file: &str,
    base: Option<&Scenario>,
    read: ReadFile<'_>,
) -> Result<Imported, Vec<MselError>> {
    let records = read_records(source, file)?;
    let Some((head, rows)) = records.split_first() else {
        return Err(vec![MselError { file: file.into(), row: 1, col: 1, message: "the sheet is empty".into() }]);
    };
    let sheet = Sheet::from_header(file, head, base)?;
    let mut errors = Vec::new();
    let mut injects = Vec::new();
    let mut row_of = Vec::new();
    for (i, record) in rows.iter().enumerate() {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = RowReader { sheet: &sheet, row: i + 2, cells: record, errors: &mut errors };
        if let Some(inject) = row.inject(injects.len()) {
            injects.push(inject);
            row_of.push(i + 2);
        }
    }
    check_unique_ids(&sheet, &injects, &row_of, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut notes = Vec::new();
    let mut scenario = match base {
        Some(base) => Scenario { injects, ..base.clone() },
        None => sheet.minimal_scenario(injects, &mut notes),
    };
    // Tables of languages get their main text first (fields left out when empty look at it).
    crate::scenario::texts::settle(&mut scenario);
    let toml =
        toml::to_string_pretty(&scenario).map_err(|e| vec![sheet.at(1, 1, format!("cannot write TOML: {e}"))])?;
    let problems = problems_of(&toml, read);
    if !problems.is_empty() {
        return Err(problems.into_iter().map(|p| sheet.locate(&p, &row_of)).collect());
    }
    let scenario = parse_scenario_with(&toml, ScenarioFormat::Toml, "<imported>", read).map_err(|errs| {
        errs.into_iter()
            .map(|e| sheet.at(1, 1, format!("the scenario written does not read back: {e}")))
            .collect::<Vec<_>>()
    })?;
    Ok(Imported { scenario, toml, notes })
}

/// Every record of the CSV, header first; a byte-order mark (LibreOffice, Excel) is skipped.
fn read_records(source: &str, file: &str) -> Result<Vec<StringRecord>, Vec<MselError>> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(source.as_bytes());
    reader.records().enumerate().map(|(i, r)| r.map_err(|e| vec![csv_error(file, i + 1, &e)])).collect()
}

fn csv_error(file: &str, row: usize, e: &csv::Error) -> MselError {
    MselError { file: file.into(), row, col: 1, message: format!("not a readable CSV row: {e}") }
}

/// The sheet's columns and what they say about the scenario.
struct Sheet<'a> {
    file: String,
    columns: Vec<Column>,
    /// The language of the unsuffixed columns.
    main: Lang,
    /// Languages of suffixed columns, in order of first appearance.
    extra: Vec<Lang>,
    /// The groups: the base scenario's, or those of the questions headers.
    groups: Vec<Group>,
    base: Option<&'a Scenario>,
}

impl<'a> Sheet<'a> {
    fn from_header(file: &str, head: &StringRecord, base: Option<&'a Scenario>) -> Result<Self, Vec<MselError>> {
        let at = |col: usize, message: String| MselError { file: file.into(), row: 1, col, message };
        let cells: Vec<&str> = head.iter().collect();
        let used = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (i, text) in cells[..used].iter().enumerate() {
            match parse_header(text) {
                Some(p) if parsed.iter().any(|q: &super::ParsedHeader| q.column == p.column) => {
                    errors.push(at(i + 1, format!("the column \"{}\" appears twice", text.trim())));
                }
                Some(p) => parsed.push(p),
                None => errors.push(at(
                    i + 1,
                    format!("unknown column \"{}\" (see docs/authoring.md, MSEL spreadsheets)", text.trim()),
                )),
            }
        }
        let suffixes: Vec<Lang> = parsed.iter().filter_map(|p| p.column.lang).collect();
        let main = base.map_or(if suffixes.contains(&Lang::En) { Lang::Fr } else { Lang::En }, |b| b.language);
        let mut extra: Vec<Lang> = Vec::new();
        for (i, p) in parsed.iter().enumerate() {
            let Some(lang) = p.column.lang else { continue };
            if lang == main || base.is_some_and(|b| !b.languages().contains(&lang)) {
                errors.push(at(i + 1, format!("the scenario is not written in {} as an extra language", lang.code())));
            } else if !extra.contains(&lang) {
                extra.push(lang);
            }
        }
        for (field, name) in [(Field::Title, "Title"), (Field::Body, "Inject text"), (Field::Targets, "Targets")] {
            if !parsed.iter().any(|p| p.column == Column { field: field.clone(), lang: None }) {
                errors.push(at(1, format!("the sheet has no \"{name}\" column")));
            }
        }
        let groups = match base {
            Some(b) => {
                for (i, p) in parsed.iter().enumerate() {
                    if let Field::Questions(id) = &p.column.field
                        && b.group(id).is_none()
                    {
                        errors.push(at(i + 1, format!("no group \"{id}\" in the base scenario")));
                    }
                }
                b.groups.clone()
            }
            None => groups_of_headers(&parsed, main),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let columns = parsed.into_iter().map(|p| p.column).collect();
        Ok(Sheet { file: file.into(), columns, main, extra, groups, base })
    }

    fn at(&self, row: usize, col: usize, message: String) -> MselError {
        MselError { file: self.file.clone(), row, col, message }
    }

    /// The 1-based column of a field in a language (`None`: main).
    fn col(&self, field: &Field, lang: Option<Lang>) -> Option<usize> {
        self.columns.iter().position(|c| c.field == *field && c.lang == lang).map(|i| i + 1)
    }

    /// A scenario around the injects: id and title from the file name, the groups of
    /// the headers, the objectives used (their text: the id, to be written).
    fn minimal_scenario(&self, injects: Vec<Inject>, notes: &mut Vec<String>) -> Scenario {
        let stem = std::path::Path::new(&self.file).file_stem().and_then(|s| s.to_str()).unwrap_or("msel");
        let every_lang = |text: &str| self.text(text, self.extra.iter().map(|&l| (l, text)).collect());
        let mut objectives: Vec<Objective> = Vec::new();
        for id in injects.iter().flat_map(|i| &i.objectives) {
            if !objectives.iter().any(|o| o.id == *id) {
                objectives.push(Objective { id: id.clone(), text: every_lang(id) });
            }
        }
        if !objectives.is_empty() {
            let ids: Vec<&str> = objectives.iter().map(|o| o.id.as_str()).collect();
            notes.push(format!(
                "{} objectives have their id as text: write their text ({})",
                ids.len(),
                ids.join(", ")
            ));
        }
        let end = injects
            .iter()
            .filter_map(|i| i.at.map(|at| at + i.respond_within_minutes.unwrap_or(0.0)))
            .fold(1.0, f64::max);
        let mut languages = vec![self.main];
        languages.extend(&self.extra);
        Scenario {
            schema: None,
            id: ChoiceOption::from_label(stem, 1).id,
            title: every_lang(stem),
            language: self.main,
            languages: if self.extra.is_empty() { Vec::new() } else { languages },
            summary: Text::default(),
            duration_minutes: end.ceil() as u32,
            self_select_groups: false,
            ask_email: false,
            answer_mode: Default::default(),
            ground_rules: Vec::new(),
            objectives,
            groups: self.groups.clone(),
            sectors: Vec::new(),
            injects,
            self_assessment: None,
            report: Default::default(),
        }
    }

    /// A text from its main-language value and its translations (empty ones left out).
    fn text(&self, main: &str, extra: Vec<(Lang, &str)>) -> Text {
        let extra: Vec<(Lang, String)> =
            extra.into_iter().filter(|(_, t)| !t.is_empty()).map(|(l, t)| (l, t.to_owned())).collect();
        if extra.is_empty() {
            return Text::plain(main);
        }
        let main = (!main.is_empty()).then(|| (self.main, main.to_owned()));
        Text::table(main.into_iter().chain(extra))
    }

    /// A validation problem at its cell: an inject's field at the inject's row, anything
    /// else at the header row (naming where in the scenario it is).
    fn locate(&self, p: &Problem, row_of: &[usize]) -> MselError {
        let key = |i: usize| match p.path.get(i) {
            Some(PathSeg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        if let (Some("injects"), Some(PathSeg::Index(n))) = (key(0), p.path.get(1)) {
            let field = match (key(2), key(3)) {
                (Some("questions"), Some(ALL_GROUPS)) => Some(Field::QuestionsAll),
                (Some("questions"), Some(g)) => Some(Field::Questions(g.to_owned())),
                (Some(k), _) => field_of_key(k),
                _ => None,
            };
            let col = field.and_then(|f| self.col(&f, None)).unwrap_or(1);
            return self.at(row_of.get(*n).copied().unwrap_or(1), col, p.message.clone());
        }
        let col = if key(0) == Some("objectives") { self.col(&Field::Objectives, None).unwrap_or(1) } else { 1 };
        let place = if self.base.is_some() { "the base scenario" } else { "the scenario built" };
        self.at(1, col, format!("{} (in {place}, at {})", p.message, crate::scenario::locate::path_to_string(&p.path)))
    }
}

/// The column of an inject's key in the scenario file.
fn field_of_key(key: &str) -> Option<Field> {
    Some(match key {
        "id" => Field::InjectId,
        "at" => Field::Time,
        "when" => Field::When,
        "respond_within_minutes" => Field::RespondWithin,
        "targets" => Field::Targets,
        "from" => Field::From,
        "channel" => Field::Channel,
        "title" => Field::Title,
        "body" => Field::Body,
        "questions" => Field::QuestionsAll,
        "response" => Field::Response,
        "expected_actions" => Field::ExpectedActions,
        "objectives" => Field::Objectives,
        "facilitator_notes" => Field::FacilitatorNotes,
        "attachments" => Field::Attachments,
        "collect_improvements" => Field::CollectImprovements,
        _ => return None,
    })
}

/// The groups named by the `Questions: Name [id]` headers, in order, with their names in
/// each language the headers give.
fn groups_of_headers(parsed: &[super::ParsedHeader], main: Lang) -> Vec<Group> {
    let mut names: Vec<(String, BTreeMap<Lang, String>)> = Vec::new();
    for p in parsed {
        let (Field::Questions(id), Some(name)) = (&p.column.field, &p.group_name) else { continue };
        let lang = p.column.lang.unwrap_or(main);
        match names.iter_mut().find(|(g, _)| g == id) {
            Some((_, by_lang)) => {
                by_lang.insert(lang, name.clone());
            }
            None => names.push((id.clone(), BTreeMap::from([(lang, name.clone())]))),
        }
    }
    names
        .into_iter()
        .map(|(id, by_lang)| {
            let name = if by_lang.len() == 1 {
                Text::plain(by_lang.into_values().next().unwrap_or_default())
            } else {
                Text::table(by_lang)
            };
            Group { id, name, focus: Text::default(), breakout_room: None }
        })
        .collect()
}

/// Inject ids are unique: the second use is an error at its cell.
fn check_unique_ids(sheet: &Sheet, injects: &[Inject], row_of: &[usize], errors: &mut Vec<MselError>) {
    let mut seen: HashSet<&str> = HashSet::new();
    let col = sheet.col(&Field::InjectId, None).unwrap_or(1);
    for (inject, row) in injects.iter().zip(row_of) {
        if !seen.insert(&inject.id) {
            errors.push(sheet.at(*row, col, format!("inject id \"{}\" is already used by an earlier row", inject.id)));
        }
    }
}

/// The validation problems of a scenario file, with their paths (before they are located
/// in the file): what `parse_scenario_with` checks.
fn problems_of(toml: &str, read: ReadFile<'_>) -> Vec<Problem> {
    let mut scenario: Scenario = match toml::from_str(toml) {
        Ok(s) => s,
        Err(e) => {
            return vec![Problem {
                path: Vec::new(),
                message: format!("the scenario written does not parse: {}", e.message()),
            }];
        }
    };
    crate::scenario::texts::settle(&mut scenario);
    let mut problems = crate::scenario::attachment::resolve(&mut scenario, read);
    problems.extend(validate(&scenario));
    problems
}
