//! Reading an MSEL sheet back into injects, and into a scenario that passes the normal
//! validation.

use std::collections::{BTreeMap, HashSet};

use csv::StringRecord;

use super::{ATTACHMENT_SEP, Column, Field, MselError, YES, parse_header, parse_minutes};
use crate::lang::Lang;
use crate::scenario::load::ReadFile;
use crate::scenario::validate::{PathSeg, Problem, validate};
use crate::scenario::{
    ALL_GROUPS, Attachment, ChoiceOption, Group, Inject, Objective, Questions, ResponseKind, Scenario, ScenarioFormat,
    Targets, Text, parse_scenario_with,
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

/// One data row being read; problems go to `errors`.
struct RowReader<'s, 'e> {
    sheet: &'s Sheet<'s>,
    row: usize,
    cells: &'s StringRecord,
    errors: &'e mut Vec<MselError>,
}

impl<'s> RowReader<'s, '_> {
    fn cell(&self, field: &Field, lang: Option<Lang>) -> &'s str {
        let cells: &'s StringRecord = self.cells;
        self.sheet.col(field, lang).and_then(|c| cells.get(c - 1)).unwrap_or("")
    }

    fn error(&mut self, field: &Field, lang: Option<Lang>, message: String) {
        let col = self.sheet.col(field, lang).unwrap_or(1);
        self.errors.push(self.sheet.at(self.row, col, message));
    }

    /// The cell in every extra language.
    fn translations(&self, field: &Field) -> Vec<(Lang, &'s str)> {
        self.sheet.extra.iter().map(|&l| (l, self.cell(field, Some(l)))).collect()
    }

    /// A text field; `None` when empty in every language.
    fn text(&self, field: &Field) -> Option<Text> {
        let main = self.cell(field, None);
        let extra = self.translations(field);
        if main.is_empty() && extra.iter().all(|(_, t)| t.is_empty()) {
            return None;
        }
        Some(self.sheet.text(main, extra))
    }

    /// A one-per-line field: the same number of lines in each language.
    fn lines(&mut self, field: &Field) -> Vec<Text> {
        let main = split_lines(self.cell(field, None));
        let mut extra: Vec<(Lang, Vec<String>)> = Vec::new();
        for (lang, cell) in self.translations(field) {
            let lines = split_lines(cell);
            if !lines.is_empty() && lines.len() != main.len() {
                let message = format!(
                    "{} lines here and {} in the main column: one translation per line",
                    lines.len(),
                    main.len()
                );
                self.error(field, Some(lang), message);
            }
            extra.push((lang, lines));
        }
        (0..main.len())
            .map(|i| {
                let tr = extra.iter().map(|(l, lines)| (*l, lines.get(i).map_or("", String::as_str))).collect();
                self.sheet.text(&main[i], tr)
            })
            .collect()
    }

    fn minutes(&mut self, field: &Field) -> Option<f64> {
        let cell = self.cell(field, None).trim();
        if cell.is_empty() {
            return None;
        }
        parse_minutes(cell).map_err(|m| self.error(field, None, m)).ok()
    }

    fn yes(&mut self, field: &Field) -> bool {
        let cell = self.cell(field, None).trim();
        match cell.to_lowercase().as_str() {
            "" | "no" => false,
            "yes" | "y" | "x" => true,
            _ => {
                self.error(field, None, format!("write \"{YES}\" or leave it empty, not \"{cell}\""));
                false
            }
        }
    }

    /// The row as an inject (the `n`th); `None` when it cannot be one.
    fn inject(&mut self, n: usize) -> Option<Inject> {
        let before = self.errors.len();
        let Some(title) = self.text(&Field::Title) else {
            self.error(&Field::Title, None, "this row has no title: every inject needs one".into());
            return None;
        };
        let mut id = self.cell(&Field::InjectId, None).trim().to_owned();
        if id.is_empty() {
            id = ChoiceOption::from_label(title.any_text(), n + 1).id;
        }
        let at = self.minutes(&Field::Time);
        if self.yes(&Field::Contingency) && at.is_some() {
            self.error(
                &Field::Contingency,
                None,
                "a contingency inject has no time: empty one of the two cells".into(),
            );
        }
        let inject = Inject {
            id,
            at,
            title,
            body: self.text(&Field::Body).unwrap_or_default(),
            from: self.text(&Field::From),
            channel: self.text(&Field::Channel),
            targets: self.targets(),
            questions: self.questions(),
            response: self.response(),
            respond_within_minutes: self.minutes(&Field::RespondWithin),
            objectives: ids(self.cell(&Field::Objectives, None)),
            expected_actions: self.lines(&Field::ExpectedActions),
            facilitator_notes: self.text(&Field::FacilitatorNotes),
            attachments: self.attachments(),
            collect_improvements: self.yes(&Field::CollectImprovements),
        };
        (self.errors.len() == before).then_some(inject)
    }

    fn targets(&mut self) -> Targets {
        let cell = self.cell(&Field::Targets, None).trim();
        if cell.eq_ignore_ascii_case(ALL_GROUPS) {
            return Targets::All;
        }
        let list = ids(cell);
        for id in &list {
            if !self.sheet.groups.iter().any(|g| g.id == *id) {
                let known: Vec<&str> = self.sheet.groups.iter().map(|g| g.id.as_str()).collect();
                self.error(&Field::Targets, None, format!("no group \"{id}\" (groups: {})", known.join(", ")));
            }
        }
        Targets::Groups(list)
    }

    fn questions(&mut self) -> BTreeMap<String, Questions> {
        let mut out = BTreeMap::new();
        let fields = std::iter::once(Field::QuestionsAll)
            .chain(self.sheet.groups.iter().map(|g| Field::Questions(g.id.clone())));
        for field in fields {
            let key = match &field {
                Field::Questions(id) => id.clone(),
                _ => ALL_GROUPS.to_owned(),
            };
            let mut qs = self.lines(&field);
            match qs.len() {
                0 => {}
                1 => drop(out.insert(key, Questions::One(qs.remove(0)))),
                _ => drop(out.insert(key, Questions::Many(qs))),
            }
        }
        out
    }

    fn response(&mut self) -> ResponseKind {
        let cell = self.cell(&Field::Response, None).trim();
        let (multiple, list) = if cell.is_empty() || cell.eq_ignore_ascii_case("text") {
            return ResponseKind::Text;
        } else if let Some(list) = strip_word(cell, "choices:") {
            (true, list)
        } else if let Some(list) = strip_word(cell, "choice:") {
            (false, list)
        } else {
            let message = format!(
                "write text, \"choice: id=Label; id=Label\" or \"choices: …\" (several may be chosen), not \"{cell}\""
            );
            self.error(&Field::Response, None, message);
            return ResponseKind::Text;
        };
        let items = options_of(list);
        if items.len() < 2 || items.iter().any(|(_, label)| label.is_empty()) {
            let message =
                format!("\"{cell}\" does not read as options: write \"choice: id=Label; id=Label\", two or more");
            self.error(&Field::Response, None, message);
            return ResponseKind::Text;
        }
        let ids: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, (id, label))| id.clone().unwrap_or_else(|| ChoiceOption::from_label(label.as_str(), i + 1).id))
            .collect();
        let mut translated: Vec<Vec<(Lang, String)>> = vec![Vec::new(); items.len()];
        for (lang, cell) in self.translations(&Field::Response) {
            for (i, (id, label)) in options_of(cell.trim()).into_iter().enumerate() {
                let found = match &id {
                    Some(id) => ids.iter().position(|o| o == id),
                    None => (i < ids.len()).then_some(i),
                };
                match found {
                    Some(j) => translated[j].push((lang, label)),
                    None => {
                        let message = format!("no option \"{}\" in the main column", id.unwrap_or(label));
                        self.error(&Field::Response, Some(lang), message);
                    }
                }
            }
        }
        let options = items
            .iter()
            .zip(ids)
            .zip(&translated)
            .map(|(((_, label), id), tr)| {
                let label = self.sheet.text(label, tr.iter().map(|(l, t)| (*l, t.as_str())).collect());
                ChoiceOption { id, label }
            })
            .collect();
        ResponseKind::Choice { options, multiple }
    }

    fn attachments(&mut self) -> Vec<Attachment> {
        let mut fields: Vec<AttachmentFields> = Vec::new();
        for line in split_lines(self.cell(&Field::Attachments, None)) {
            let mut a = AttachmentFields::default();
            for (i, part) in line.split(ATTACHMENT_SEP).enumerate() {
                match part.split_once('=') {
                    Some(("file", v)) => a.file = Some(unescape(v)),
                    Some(("url", v)) => a.url = Some(unescape(v)),
                    Some((key, v)) if text_key(key).is_some() => {
                        a.texts.insert(text_key(key).unwrap_or_default(), (unescape(v), Vec::new()));
                    }
                    _ if i == 0 => a.file = Some(part.trim().to_owned()),
                    _ => {
                        let message = format!(
                            "\"{part}\": an attachment's fields are file=, url=, title=, text=, caption=, alt="
                        );
                        self.error(&Field::Attachments, None, message);
                    }
                }
            }
            fields.push(a);
        }
        for (lang, cell) in self.translations(&Field::Attachments) {
            let lines: Vec<&str> = cell.lines().collect();
            if lines.len() > fields.len() {
                let message = format!(
                    "{} lines for {} attachments: one line per attachment, in order",
                    lines.len(),
                    fields.len()
                );
                self.error(&Field::Attachments, Some(lang), message);
            }
            for (line, a) in lines.iter().zip(&mut fields) {
                for part in line.split(ATTACHMENT_SEP).filter(|p| !p.trim().is_empty()) {
                    match part.split_once('=') {
                        Some((key, v)) if text_key(key).is_some() => {
                            a.texts.entry(text_key(key).unwrap_or_default()).or_default().1.push((lang, unescape(v)));
                        }
                        _ => {
                            let message = format!("\"{part}\": translated fields are title=, text=, caption=, alt=");
                            self.error(&Field::Attachments, Some(lang), message);
                        }
                    }
                }
            }
        }
        fields.into_iter().map(|a| a.build(self.sheet)).collect()
    }
}

/// An attachment's fields as read from its line(s): texts by key, main text and translations.
#[derive(Default)]
struct AttachmentFields {
    file: Option<String>,
    url: Option<String>,
    texts: BTreeMap<&'static str, (String, Vec<(Lang, String)>)>,
}

impl AttachmentFields {
    fn build(mut self, sheet: &Sheet) -> Attachment {
        let mut text = |key: &str| {
            self.texts
                .remove(key)
                .map(|(main, tr)| sheet.text(&main, tr.iter().map(|(l, t)| (*l, t.as_str())).collect()))
        };
        Attachment {
            title: text("title").unwrap_or_default(),
            text: text("text"),
            caption: text("caption"),
            alt: text("alt"),
            url: self.url,
            file: self.file,
            content: None,
        }
    }
}

/// An attachment's field as written on its line: `\\n` a line break, `\\|` a `|`,
/// `\\\\` a backslash (any other backslash is kept).
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(next @ ('|' | '\\')) => out.push(next),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// An attachment's text field by its key.
fn text_key(key: &str) -> Option<&'static str> {
    ["title", "text", "caption", "alt"].into_iter().find(|k| *k == key)
}

/// Ids separated by `;` (spaces around them ignored).
fn ids(cell: &str) -> Vec<String> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Non-empty lines of a cell (a trailing `\r` from a spreadsheet removed).
fn split_lines(cell: &str) -> Vec<String> {
    cell.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

/// `cell` without a leading word (any case), trimmed.
fn strip_word<'c>(cell: &'c str, word: &str) -> Option<&'c str> {
    let head = cell.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| cell[word.len()..].trim())
}

/// Options as `id=Label` or `Label`, separated by `;` or one per line.
fn options_of(list: &str) -> Vec<(Option<String>, String)> {
    let items: Vec<&str> = if list.contains('\n') { list.lines().collect() } else { list.split(';').collect() };
    items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| match item.split_once('=') {
            Some((id, label)) if is_id(id.trim()) => (Some(id.trim().to_owned()), label.trim().to_owned()),
            _ => (None, item.to_owned()),
        })
        .collect()
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
