//! MSEL spreadsheets: a scenario's injects as the master scenario events list that
//! exercise designers keep in a spreadsheet, one row per inject.
//!
//! [`export`] writes the injects of a scenario as CSV with a documented header row
//! (docs/authoring.md, "MSEL spreadsheets"); [`import`] reads such a sheet back into
//! injects, either replacing the injects of a base scenario or building a minimal
//! scenario around them, and runs the scenario's normal validation, reporting each
//! problem at its cell as `FILE:ROW:COL: message` ([`MselError`]).
//!
//! The round trip is exact: a scenario exported and imported onto itself parses to the
//! same [`Scenario`]. In a scenario written in several languages, each text column is
//! repeated per extra language with a suffix (`Title [fr]`) right after its main column.
//!
//! [`Scenario`]: super::Scenario

mod export;
mod import;

pub use export::{ExportError, export};
pub use import::{Imported, import};

use crate::lang::Lang;

/// A problem in an MSEL spreadsheet, displayed as `FILE:ROW:COL: message` (row 1 is
/// the header row; columns count from 1), like a scenario file's [`super::LoadError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{row}:{col}: {message}")]
pub struct MselError {
    /// The spreadsheet as given (or a label such as `<input>`).
    pub file: String,
    /// Row, from 1 (the header row).
    pub row: usize,
    /// Column, from 1.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// What a column of the sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The inject's position, from 1 (written for people; ignored on import).
    EventNo,
    /// The inject's id.
    InjectId,
    /// Play minutes of release; empty for a contingency inject.
    Time,
    /// `yes` for a contingency inject.
    Contingency,
    /// A conditional inject's condition, as the scenario file's inline table
    /// (`{ no_answer = { group = "incident", inject = "alert", within_minutes = 5 } }`).
    When,
    /// The answer window in play minutes.
    RespondWithin,
    /// `all` or group ids separated by `; `.
    Targets,
    /// Simulated originator.
    From,
    /// Delivery method.
    Channel,
    /// Short headline.
    Title,
    /// The inject text.
    Body,
    /// Questions for every targeted group, one per line.
    QuestionsAll,
    /// Questions for one group (its id), one per line.
    Questions(String),
    /// `text`, `choice: id=Label; …` or `choices: …`.
    Response,
    /// Expected player actions, one per line.
    ExpectedActions,
    /// Objective ids separated by `; `.
    Objectives,
    /// Controller and evaluator notes.
    FacilitatorNotes,
    /// Handouts, one per line: `file=… | title=… | caption=… | alt=…`.
    Attachments,
    /// `yes` when the inject collects improvement-plan items.
    CollectImprovements,
}

/// The columns before the per-group questions, and whether each is a text (repeated per
/// extra language).
const BEFORE_GROUPS: [(Field, &str, bool); 12] = [
    (Field::EventNo, "Event no.", false),
    (Field::InjectId, "Inject id", false),
    (Field::Time, "Time (T+mm)", false),
    (Field::Contingency, "Contingency", false),
    (Field::When, "When (condition)", false),
    (Field::RespondWithin, "Respond within (min)", false),
    (Field::Targets, "Targets", false),
    (Field::From, "From", true),
    (Field::Channel, "Channel", true),
    (Field::Title, "Title", true),
    (Field::Body, "Inject text", true),
    (Field::QuestionsAll, "Questions (all groups)", true),
];

/// The columns after the per-group questions.
const AFTER_GROUPS: [(Field, &str, bool); 6] = [
    (Field::Response, "Response", true),
    (Field::ExpectedActions, "Expected actions", true),
    (Field::Objectives, "Objectives", false),
    (Field::FacilitatorNotes, "Facilitator notes", true),
    (Field::Attachments, "Attachments", true),
    (Field::CollectImprovements, "Collect improvements", false),
];

/// The start of a group's questions header: `Questions: <Group name> [<group id>]`.
const GROUP_QUESTIONS: &str = "Questions: ";

/// The word for "yes" in the Contingency and Collect improvements columns.
const YES: &str = "yes";

/// Separator of ids in one cell (targets, objectives).
const ID_SEP: &str = "; ";

/// Separator of an attachment's fields on its line.
const ATTACHMENT_SEP: &str = " | ";

/// One column: what it holds, in which language (`None`: the scenario's main language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// What the column holds.
    pub field: Field,
    /// The language of a text column's extra copy; `None` for the main language.
    pub lang: Option<Lang>,
}

/// The header of a column; `group_name` is the group's name in the column's language
/// (for a group's questions only).
fn header(column: &Column, group_name: &str) -> String {
    let name = match &column.field {
        Field::Questions(id) => format!("{GROUP_QUESTIONS}{group_name} [{id}]"),
        field => field_name(field).unwrap_or_default().to_owned(),
    };
    match column.lang {
        Some(lang) => format!("{name} [{}]", lang.code()),
        None => name,
    }
}

/// The header of a fixed column (all but a group's questions).
fn field_name(field: &Field) -> Option<&'static str> {
    BEFORE_GROUPS.iter().chain(&AFTER_GROUPS).find(|(f, _, _)| f == field).map(|(_, name, _)| *name)
}

/// Whether a field is a text, repeated per extra language.
fn is_text(field: &Field) -> bool {
    matches!(field, Field::Questions(_)) || BEFORE_GROUPS.iter().chain(&AFTER_GROUPS).any(|(f, _, t)| f == field && *t)
}

/// The columns of a sheet for these groups (ids) and extra languages, in order.
fn columns(group_ids: &[String], extra: &[Lang]) -> Vec<Column> {
    let mut out = Vec::new();
    let mut push = |field: Field| {
        let text = is_text(&field);
        out.push(Column { field: field.clone(), lang: None });
        if text {
            out.extend(extra.iter().map(|&l| Column { field: field.clone(), lang: Some(l) }));
        }
    };
    BEFORE_GROUPS.iter().for_each(|(f, _, _)| push(f.clone()));
    group_ids.iter().for_each(|id| push(Field::Questions(id.clone())));
    AFTER_GROUPS.iter().for_each(|(f, _, _)| push(f.clone()));
    out
}

/// A header read back: the column, and for a group's questions the group's name as the
/// header gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ParsedHeader {
    column: Column,
    group_name: Option<String>,
}

/// Reads a header; `None` for a header that names no column.
fn parse_header(text: &str) -> Option<ParsedHeader> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix(GROUP_QUESTIONS) {
        // `Name [id]` or `Name [id] [fr]`: the language is a second bracket at the end.
        let (rest, lang) = match split_bracket(rest) {
            Some((inner, code)) if split_bracket(inner).is_some() => (inner, Some(lang_of(code)?)),
            _ => (rest, None),
        };
        let (name, id) = split_bracket(rest)?;
        let column = Column { field: Field::Questions(id.trim().to_owned()), lang };
        return Some(ParsedHeader { column, group_name: Some(name.trim().to_owned()) });
    }
    let fixed = |name: &str| BEFORE_GROUPS.iter().chain(&AFTER_GROUPS).find(|(_, n, _)| *n == name);
    if let Some((field, _, _)) = fixed(text) {
        return Some(ParsedHeader { column: Column { field: field.clone(), lang: None }, group_name: None });
    }
    let (name, code) = split_bracket(text)?;
    let (field, _, true) = fixed(name.trim())? else { return None };
    Some(ParsedHeader { column: Column { field: field.clone(), lang: Some(lang_of(code)?) }, group_name: None })
}

/// `"text [inner]"` → `("text", "inner")`.
fn split_bracket(text: &str) -> Option<(&str, &str)> {
    let (before, inner) = text.strip_suffix(']')?.rsplit_once(" [")?;
    Some((before, inner))
}

/// A language by its exact code (`en`, `fr`).
fn lang_of(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

/// Play minutes as written in a cell: `8`, `12.5`.
fn minutes(m: f64) -> String {
    format!("{m}")
}

/// Play minutes from a cell: `8`, `12.5`, `12,5` or `T+8`; never negative.
fn parse_minutes(cell: &str) -> Result<f64, String> {
    let text = cell.trim();
    let number = text.strip_prefix("T+").unwrap_or(text).replace(',', ".");
    match number.trim().parse::<f64>() {
        Ok(m) if m.is_finite() && m >= 0.0 => Ok(m),
        _ => Err(format!("\"{text}\" is not a number of minutes (write e.g. 8 or 12.5)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_back_as_their_columns() {
        let extra = [Lang::Fr];
        for column in columns(&["risk".into(), "fr".into()], &extra) {
            let name = if column.lang.is_some() { "Gestion des risques" } else { "Risk management" };
            let text = header(&column, name);
            let parsed = parse_header(&text).unwrap_or_else(|| panic!("{text} reads back"));
            assert_eq!(parsed.column, column, "{text}");
            if matches!(column.field, Field::Questions(_)) {
                assert_eq!(parsed.group_name.as_deref(), Some(name), "{text}");
            }
        }
        assert_eq!(
            parse_header("Questions: French [fr]").unwrap().column,
            Column { field: Field::Questions("fr".into()), lang: None },
            "a group may be called fr"
        );
        assert_eq!(parse_header("Tittle"), None);
        assert_eq!(parse_header("Targets [fr]"), None, "ids are not translated");
        assert_eq!(parse_header("Title [de]"), None);
    }

    #[test]
    fn minutes_are_whole_or_fractional_and_never_negative() {
        assert_eq!(minutes(8.0), "8");
        assert_eq!(minutes(12.5), "12.5");
        assert_eq!(parse_minutes(" 12,5 "), Ok(12.5));
        assert_eq!(parse_minutes("T+8"), Ok(8.0));
        assert!(parse_minutes("-1").is_err());
        assert!(parse_minutes("soon").unwrap_err().contains("\"soon\" is not a number of minutes"));
    }
}
