//! One row of an MSEL sheet read into an inject: its cells, in the main language and
//! each extra one, with a problem at the cell for anything that does not read.

use std::collections::BTreeMap;

use csv::StringRecord;

use super::Sheet;
use crate::lang::Lang;
use crate::scenario::msel::{ATTACHMENT_SEP, Field, MselError, YES, parse_minutes};
use crate::scenario::{
    ALL_GROUPS, Attachment, ChoiceOption, Condition, Inject, Questions, ResponseKind, Targets, Text,
};

/// One data row being read; problems go to `errors`.
pub(super) struct RowReader<'s, 'e> {
    pub(super) sheet: &'s Sheet<'s>,
    pub(super) row: usize,
    pub(super) cells: &'s StringRecord,
    pub(super) errors: &'e mut Vec<MselError>,
}

impl<'s> RowReader<'s, '_> {
    fn cell(&self, field: &Field, lang: Option<Lang>) -> &'s str {
        let cells: &'s StringRecord = self.cells;
        let cell = self.sheet.col(field, lang).and_then(|c| cells.get(c - 1)).unwrap_or("");
        crate::spreadsheet::from_text(cell)
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
    pub(super) fn inject(&mut self, n: usize) -> Option<Inject> {
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
            when: self.when(),
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

    /// The condition cell: the scenario file's inline table, or empty.
    fn when(&mut self) -> Option<Condition> {
        #[derive(serde::Deserialize)]
        struct Cell {
            when: Condition,
        }
        let cell = self.cell(&Field::When, None).trim();
        if cell.is_empty() {
            return None;
        }
        match toml::from_str::<Cell>(&format!("when = {cell}")) {
            Ok(c) => Some(c.when),
            Err(e) => {
                let why = e.message().to_owned();
                self.error(
                    &Field::When,
                    None,
                    format!("{why}: write it as in a scenario file, e.g. {{ answered = {{ group = \"incident\", inject = \"alert\" }} }}"),
                );
                None
            }
        }
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

/// A text's translations as read, by language.
type Translations = Vec<(Lang, String)>;

/// An attachment's fields as read from its line(s): texts by key, main text and translations.
#[derive(Default)]
struct AttachmentFields {
    file: Option<String>,
    url: Option<String>,
    texts: BTreeMap<&'static str, (String, Translations)>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_with_ids_bare_labels_or_one_per_line() {
        assert_eq!(
            options_of("pay=Pay the ransom; Do not pay"),
            [(Some("pay".into()), "Pay the ransom".into()), (None, "Do not pay".into())]
        );
        assert_eq!(
            options_of("a=Oui ; non\nb=Peut-être"),
            [(Some("a".into()), "Oui ; non".into()), (Some("b".into()), "Peut-être".into())],
            "one per line when a label holds a ;"
        );
        assert_eq!(options_of("Pay = yes; no")[0], (None, "Pay = yes".into()), "only an id may stand before =");
    }

    #[test]
    fn attachment_fields_unescape_line_breaks_pipes_and_backslashes() {
        assert_eq!(unescape(r"IPs\n- 192.0.2.1 \| C:\\tmp \x"), "IPs\n- 192.0.2.1 | C:\\tmp \\x");
        assert_eq!(strip_word("Choices: a; b", "choices:"), Some("a; b"));
        assert_eq!(ids(" risk ;incident; "), ["risk", "incident"]);
    }
}
