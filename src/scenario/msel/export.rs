//! Writing a scenario's injects as an MSEL sheet (CSV, one row per inject).

use super::{ATTACHMENT_SEP, Column, Field, ID_SEP, YES, columns, header, minutes};
use crate::lang::Lang;
use crate::scenario::{ALL_GROUPS, Attachment, Inject, ResponseKind, Scenario, Targets, Text};

/// Why an inject cannot be written as a row.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An entry of a one-per-line cell (a question, an expected action) holds a line
    /// break: it would read back as two entries.
    #[error("inject \"{inject}\": {what} cannot be written in one cell line: {text:?}")]
    Unwritable {
        /// The inject's id.
        inject: String,
        /// Which field.
        what: String,
        /// The offending text.
        text: String,
    },
    /// The CSV writer failed.
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The injects of `s` as an MSEL sheet: the header row, then one row per inject, in
/// file order.
pub fn export(s: &Scenario) -> Result<String, ExportError> {
    let langs = s.languages();
    let group_ids: Vec<String> = s.groups.iter().map(|g| g.id.clone()).collect();
    let cols = columns(&group_ids, &langs[1..]);
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(cols.iter().map(|c| header_of(s, c)))?;
    for (n, inject) in s.injects.iter().enumerate() {
        let row = cols.iter().map(|c| cell(n, inject, c)).collect::<Result<Vec<_>, _>>()?;
        // A designer's `=` or `-` at the start of a cell stays text in their spreadsheet.
        out.write_record(row.iter().map(|c| crate::spreadsheet::as_text(c).into_owned()))?;
    }
    let bytes = out.into_inner().map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("the CSV writer writes the UTF-8 it is given"))
}

/// A column's header, with the group's name in the column's language.
fn header_of(s: &Scenario, column: &Column) -> String {
    let name = match &column.field {
        Field::Questions(id) => s.group(id).map_or("", |g| in_lang(&g.name, column.lang.unwrap_or(s.language))),
        _ => "",
    };
    header(column, name)
}

/// The text in `lang` exactly: the main text for the main language, the translation
/// (or nothing) for another, so that an absent translation stays absent.
fn in_lang(t: &Text, lang: Lang) -> &str {
    t.translations().find(|(l, _)| *l == lang).map_or(t.as_str(), |(_, text)| text)
}

/// The text for a column: the main text, or the column language's translation.
fn text_for<'a>(t: &'a Text, column: &Column) -> &'a str {
    match column.lang {
        None => t.as_str(),
        Some(lang) => t.translations().find(|(l, _)| *l == lang).map_or("", |(_, text)| text),
    }
}

/// One cell of an inject's row.
fn cell(n: usize, inject: &Inject, column: &Column) -> Result<String, ExportError> {
    let text = |t: &Option<Text>| t.as_ref().map_or(String::new(), |t| text_for(t, column).to_owned());
    let yes = |b: bool| if b { YES.to_owned() } else { String::new() };
    Ok(match &column.field {
        Field::EventNo => (n + 1).to_string(),
        Field::InjectId => inject.id.clone(),
        Field::Time => inject.at.map(minutes).unwrap_or_default(),
        Field::Contingency => yes(inject.at.is_none() && inject.when.is_none()),
        Field::When => inject.when.as_ref().map(when).unwrap_or_default(),
        Field::RespondWithin => inject.respond_within_minutes.map(minutes).unwrap_or_default(),
        Field::Targets => match &inject.targets {
            Targets::All => ALL_GROUPS.to_owned(),
            Targets::Groups(ids) => ids.join(ID_SEP),
        },
        Field::From => text(&inject.from),
        Field::Channel => text(&inject.channel),
        Field::Title => text_for(&inject.title, column).to_owned(),
        Field::Body => text_for(&inject.body, column).to_owned(),
        Field::QuestionsAll => questions(inject, ALL_GROUPS, column)?,
        Field::Questions(id) => questions(inject, id, column)?,
        Field::Response => response(&inject.response, column),
        Field::ExpectedActions => lines(inject, "an expected action", &inject.expected_actions, column)?,
        Field::Objectives => inject.objectives.join(ID_SEP),
        Field::FacilitatorNotes => text(&inject.facilitator_notes),
        Field::Attachments => attachments(inject, column),
        Field::CollectImprovements => yes(inject.collect_improvements),
    })
}

/// A condition as the scenario file's inline table, on one line.
fn when(condition: &crate::scenario::Condition) -> String {
    toml::Value::try_from(condition).map(|v| v.to_string()).unwrap_or_default()
}

/// The questions under one key, one per line.
fn questions(inject: &Inject, key: &str, column: &Column) -> Result<String, ExportError> {
    let Some(qs) = inject.questions.get(key) else { return Ok(String::new()) };
    lines(inject, &format!("a question for {key}"), qs.as_slice(), column)
}

/// Texts one per line; a text with a line break cannot be one line.
fn lines(inject: &Inject, what: &str, texts: &[Text], column: &Column) -> Result<String, ExportError> {
    let texts: Vec<&str> = texts.iter().map(|t| text_for(t, column)).collect();
    if let Some(bad) = texts.iter().find(|t| t.contains('\n')) {
        return Err(unwritable(inject, what, bad));
    }
    if texts.iter().all(|t| t.is_empty()) {
        return Ok(String::new());
    }
    Ok(texts.join("\n"))
}

fn unwritable(inject: &Inject, what: &str, text: &str) -> ExportError {
    ExportError::Unwritable { inject: inject.id.clone(), what: what.to_owned(), text: text.to_owned() }
}

/// `text`, or `choice: id=Label; id=Label` (`choices:` when several may be chosen); in
/// an extra language's column the options' labels alone, `id=Label; …`. Options are one
/// per line instead when a label holds a `;`.
fn response(response: &ResponseKind, column: &Column) -> String {
    let ResponseKind::Choice { options, multiple } = response else {
        return if column.lang.is_none() { "text".to_owned() } else { String::new() };
    };
    let labels: Vec<String> = options.iter().map(|o| format!("{}={}", o.id, text_for(&o.label, column))).collect();
    if column.lang.is_some() && options.iter().all(|o| text_for(&o.label, column).is_empty()) {
        return String::new();
    }
    let sep = if labels.iter().any(|l| l.contains(';')) { "\n" } else { ID_SEP };
    let list = labels.join(sep);
    match column.lang {
        Some(_) => list,
        None => {
            let word = if *multiple { "choices:" } else { "choice:" };
            let space = if sep == "\n" { "\n" } else { " " };
            format!("{word}{space}{list}")
        }
    }
}

/// One attachment per line: `file=… | url=… | title=… | text=… | caption=… | alt=…`
/// (the fields it has); in an extra language's column its translated fields alone.
fn attachments(inject: &Inject, column: &Column) -> String {
    let mut lines = Vec::new();
    for a in &inject.attachments {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        if column.lang.is_none() {
            fields.extend(a.file.as_deref().map(|f| ("file", f)));
            fields.extend(a.url.as_deref().map(|u| ("url", u)));
        }
        fields.extend(attachment_texts(a).map(|(key, t)| (key, text_for(t, column))).filter(|(_, t)| !t.is_empty()));
        lines.push(fields.iter().map(|(k, v)| format!("{k}={}", escape(v))).collect::<Vec<_>>().join(ATTACHMENT_SEP));
    }
    if lines.iter().all(String::is_empty) {
        return String::new();
    }
    lines.join("\n")
}

/// An attachment's field on its line: a backslash as `\\`, a line break as `\n`, a `|`
/// as `\|` (so that ` | ` only separates fields).
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\n', "\\n").replace('|', "\\|")
}

/// An attachment's texts, by key.
pub(super) fn attachment_texts(a: &Attachment) -> impl Iterator<Item = (&'static str, &Text)> {
    [("title", Some(&a.title)), ("text", a.text.as_ref()), ("caption", a.caption.as_ref()), ("alt", a.alt.as_ref())]
        .into_iter()
        .filter_map(|(k, t)| t.map(|t| (k, t)))
}
