//! Exports of the after-action report: Markdown, CSV, JSON, HTML and PDF.
//!
//! Each format is a pure function of the log (through [`Report`] and the
//! [`Timeline`]), one small module per format; PDF is the HTML page printed by a
//! headless Chromium. [`export`] is what the HTTP endpoint and the `tabletop export`
//! command call.
//!
//! - [`markdown`]: the AAR/IP as Markdown, user text escaped so tables stay intact.
//! - [`csv`]: one row per response (RFC 4180).
//! - [`json`]: the report and the timeline, for other tools.
//! - [`html`]: one self-contained, printable A4 page without script.
//! - [`pdf`]: the HTML page through `chromium --headless --print-to-pdf`.
//!
//! Markdown and HTML are the same document: both walk the report through
//! `outline` (sections, order, what is shown) in the words of [`text`], and differ
//! only in how they write each piece (`markup`).
//!
//! Every report is in one language: the scenario's (`language`), unless the reader
//! asks for another (`?lang=`, `--lang`, read by [`parse_language`]). It decides every
//! fixed word of Markdown, HTML and PDF, the French decimal comma and dates, and the
//! words the report's data carries into JSON (see [`Report`]); the CSV of responses has
//! none (its header is field names in every language), the plan's CSV has its header
//! and labels in it (see [`csv`]).

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
mod markup;
mod outline;
pub mod pdf;
pub mod text;

pub use outline::{profile_charts, responses_chart};

use std::path::Path;
use std::str::FromStr;

use super::report::{Attribution, Report};
use super::timeline::timeline_in;
use crate::events::Recorded;
use crate::exercise::state::InvalidLog;
use crate::lang::Lang;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown after-action report (`md`).
    Markdown,
    /// One row per response (`csv`).
    Csv,
    /// The report and the timeline as JSON (`json`).
    Json,
    /// A printable HTML page (`html`).
    Html,
    /// The HTML page as PDF (`pdf`).
    Pdf,
    /// The improvement plan alone, one row per item in the IP's columns (`plan-csv`).
    PlanCsv,
    /// The improvement plan alone as JSON (`plan-json`).
    PlanJson,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Format; 7] =
        [Format::Markdown, Format::Csv, Format::Json, Format::Html, Format::Pdf, Format::PlanCsv, Format::PlanJson];

    /// The name used in `?format=` and `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::PlanCsv => "plan-csv",
            Format::PlanJson => "plan-json",
            other => other.extension(),
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv | Format::PlanCsv => "csv",
            Format::Json | Format::PlanJson => "json",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Csv | Format::PlanCsv => "text/csv; charset=utf-8",
            Format::Json | Format::PlanJson => "application/json",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }

    /// The download's file name: `<scenario-id>-<yyyy-mm-dd>-aar.<ext>`, or
    /// `…-responses.csv` for the CSV of responses, `…-improvement-plan.<ext>` for the
    /// plan alone.
    pub fn file_name(self, report: &Report) -> String {
        let scenario: String = report
            .overview
            .scenario_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        let what = match self {
            Format::Csv => "responses",
            Format::PlanCsv | Format::PlanJson => "improvement-plan",
            _ => "aar",
        };
        format!("{scenario}-{}-{what}.{}", report.overview.date, self.extension())
    }
}

/// `group` or `names`, as the export endpoint and `tabletop export` take it.
pub fn parse_attribution(s: &str) -> Result<Attribution, ExportError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "group" | "groups" => Ok(Attribution::Group),
        "names" | "name" => Ok(Attribution::Names),
        _ => Err(ExportError::UnknownAttribution(s.to_owned())),
    }
}

/// `en` or `fr` (also `EN`, `fr-FR`…: [`Lang::parse`]), as the export endpoint and
/// `tabletop export` take it.
pub fn parse_language(s: &str) -> Result<Lang, ExportError> {
    Lang::parse(s).ok_or_else(|| ExportError::UnknownLanguage(s.to_owned()))
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "html" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            "plan-csv" => Ok(Format::PlanCsv),
            "plan-json" => Ok(Format::PlanJson),
            _ => Err(ExportError::UnknownFormat(s.to_owned())),
        }
    }
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format name is not one of md, csv, json, html, pdf, plan-csv, plan-json.
    #[error("unknown export format \"{0}\": use md, csv, json, html, pdf, plan-csv or plan-json")]
    UnknownFormat(String),
    /// `attribution` is not `group` or `names`.
    #[error("unknown attribution \"{0}\": use group or names")]
    UnknownAttribution(String),
    /// `lang` is not a language the report is written in.
    #[error("unknown language \"{0}\": use en or fr")]
    UnknownLanguage(String),
    /// The stored log is not a valid exercise history.
    #[error(transparent)]
    InvalidLog(#[from] InvalidLog),
    /// No Chromium to print the PDF with.
    #[error("PDF export needs Chromium: {0}")]
    PdfUnavailable(String),
    /// Chromium ran but gave no PDF.
    #[error("PDF rendering failed: {0}")]
    PdfFailed(String),
}

/// A finished export: bytes with their name and type.
#[derive(Debug, Clone)]
pub struct Export {
    /// The format.
    pub format: Format,
    /// Suggested file name.
    pub file_name: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Renders a stored log in one of the text formats (all but PDF, which gives its HTML).
pub fn render_text(log: &[Recorded], format: Format) -> Result<String, ExportError> {
    render_report(&Report::from_log(log)?, log, format)
}

/// [`render_text`] attributed as asked (`None`: as the scenario says).
pub fn render_text_as(
    log: &[Recorded],
    format: Format,
    attribution: Option<Attribution>,
) -> Result<String, ExportError> {
    render_text_in(log, format, attribution, None)
}

/// [`render_text`] attributed as asked and in the language asked (`None`: as the
/// scenario says).
pub fn render_text_in(
    log: &[Recorded],
    format: Format,
    attribution: Option<Attribution>,
    language: Option<Lang>,
) -> Result<String, ExportError> {
    render_report(&Report::from_log_in(log, attribution, language)?, log, format)
}

fn render_report(report: &Report, log: &[Recorded], format: Format) -> Result<String, ExportError> {
    Ok(match format {
        Format::Markdown => markdown::render(report),
        Format::Csv => csv::render(report),
        Format::Json => {
            let timeline = timeline_in(log, Some(report.language))?;
            let timeline = match report.attribution {
                Attribution::Names => timeline,
                Attribution::Group => timeline.without_names(),
            };
            json::render(report, &timeline)
        }
        Format::Html | Format::Pdf => html::render(report),
        Format::PlanCsv => csv::render_plan(report),
        Format::PlanJson => json::render_plan(report),
    })
}

/// Exports a stored log in `format`, attributed and written as asked (`None`: as the
/// scenario says). `chromium` is the configured Chromium binary (`--chromium`), if any;
/// only PDF uses it.
pub async fn export(
    log: &[Recorded],
    format: Format,
    attribution: Option<Attribution>,
    language: Option<Lang>,
    chromium: Option<&Path>,
) -> Result<Export, ExportError> {
    let report = Report::from_log_in(log, attribution, language)?;
    let file_name = format.file_name(&report);
    let bytes = match format {
        Format::Pdf => pdf::render(&html::render(&report), chromium).await?,
        other => render_report(&report, log, other)?.into_bytes(),
    };
    Ok(Export { format, file_name, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_name_their_files() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
        }
        assert_eq!("Markdown".parse::<Format>().unwrap(), Format::Markdown);
        assert!(matches!("docx".parse::<Format>(), Err(ExportError::UnknownFormat(f)) if f == "docx"));
        assert_eq!(Format::Pdf.content_type(), "application/pdf");
    }

    #[test]
    fn languages_parse_loosely_and_an_unknown_one_is_a_typed_error() {
        assert_eq!(parse_language("fr").unwrap(), Lang::Fr);
        assert_eq!(parse_language("fr-FR").unwrap(), Lang::Fr);
        assert_eq!(parse_language("EN").unwrap(), Lang::En);
        let err = parse_language("de").unwrap_err();
        assert!(matches!(&err, ExportError::UnknownLanguage(l) if l == "de"), "{err:?}");
        assert_eq!(err.to_string(), "unknown language \"de\": use en or fr");
    }
}
