//! What a document format implements to write the after-action report: the
//! [`Markup`] trait, and the pieces the shared [`outline`](super::outline) hands it —
//! sections, paragraphs, tables with their columns, an inject, its answers, a rating —
//! with user text already escaped through [`Markup::text`] (but for the self-assessment
//! statements, whose figures each format draws its own way) and fixed words from the
//! format's [`Words`] (the report's language).

use super::text::Words;
use crate::exercise::evaluation::StatementResult;

/// How a document format writes the report's pieces. Inline methods return the
/// marked-up text; block methods append to the document.
pub(super) trait Markup {
    /// The fixed words of the report's language.
    fn words(&self) -> &'static Words;
    /// User text, escaped so it shows as the same text and never as markup.
    fn text(&self, text: &str) -> String;
    /// Strong emphasis, for names and labels.
    fn strong(&self, text: &str) -> String;
    /// Emphasis.
    fn em(&self, text: &str) -> String;
    /// The key of a legend entry (the `P` of the rating legend).
    fn key(&self, key: &str) -> String;
    /// A score on the self-assessment scale, in the scale's legend.
    fn score(&self, score: u8) -> String;
    /// Detail after a title or value, in smaller print where the format has it.
    fn small(&self, text: &str) -> String;
    /// A status flag in front of an item's text.
    fn flag(&self, flag: &str) -> String;
    /// User text within a line, keeping its line breaks.
    fn prose(&self, text: &str) -> String;

    /// The document's head: its title (the exercise's, escaped) and, while play goes
    /// on, the sentence that says the report is a snapshot.
    fn start(&mut self, title: &str, in_progress: Option<&str>);
    /// The document's foot.
    fn finish(&mut self, footer: &str);
    /// Opens a section.
    fn section(&mut self, section: Section);
    /// Closes the section opened last.
    fn end_section(&mut self);
    /// A heading within a section.
    fn heading(&mut self, text: &str);
    /// The heading of the general notes.
    fn general_notes_heading(&mut self);
    /// A paragraph.
    fn paragraph(&mut self, kind: Para, text: &str);
    /// A bulleted list.
    fn list(&mut self, items: &[String]);
    /// Label–value rows (the overview's facts).
    fn facts(&mut self, rows: &[(&str, String)]);
    /// One of the plain tables, a row of cells per item.
    fn table(&mut self, table: Table, rows: &[Vec<String>]);
    /// Opens an inject: its heading, release line and text.
    fn inject(&mut self, inject: &Inject);
    /// What the inject asked and what was expected: per group (or every group) its
    /// questions, then the expected actions; either may be empty, not both.
    fn asked(&mut self, questions: &[(String, Vec<String>)], expected: &[String]);
    /// The inject's answers, group by group, in [`Table::Answers`] (named) or
    /// [`Table::AnswersByGroup`].
    fn answers(&mut self, table: Table, rows: &[AnswerRow]);
    /// Closes the inject.
    fn end_inject(&mut self);
    /// Notes, one line each (never empty).
    fn notes(&mut self, lines: &[String]);
    /// An objective's rating, or that it has none.
    fn rating(&mut self, rating: Option<&Rating>);
    /// One group's self-assessment statements, as they are: the format escapes their
    /// text and shows the figures its own way.
    fn statements(&mut self, statements: &[StatementResult]);
    /// The maturity profile: charts where the format draws them, then the table.
    fn profile(&mut self, profile: &ProfileTable);
    /// Appendix B: rows of [`Table::Participants`].
    fn participants(&mut self, rows: &[Vec<String>]);

    /// The cover page: organiser, venue, date, handling marking and the
    /// non-attribution statement, after [`Markup::start`]. Formats without a cover
    /// page leave it out.
    fn cover(&mut self, _cover: &CoverPage) {}

    /// The responses grid (groups × injects): its heading, the chart where the format
    /// draws, how to read it, and each group's counts.
    fn responses(&mut self, figure: &ResponsesFigure) {
        self.heading(self.words().responses);
        self.paragraph(Para::Meta, &figure.definition);
        self.list(&figure.lines);
    }
}

/// The responses grid as the formats write it.
pub(super) struct ResponsesFigure {
    /// The chart (SVG, escaped by its drawer).
    pub chart: String,
    /// How the cells are read.
    pub definition: String,
    /// Per group: its name (escaped) and its counts.
    pub lines: Vec<String>,
}

/// The cover page, its values escaped (empty when not set).
pub(super) struct CoverPage {
    pub organiser: String,
    pub venue: String,
    pub date: String,
    /// The handling marking as written, e.g. `TLP:AMBER` (escaped).
    pub marking: String,
    /// The marking as the scenario wrote it, unescaped: for the page margins, which
    /// the HTML format writes as a CSS string.
    pub marking_raw: String,
    pub non_attribution: Option<String>,
}

/// A section of the report, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    ExecutiveSummary,
    Overview,
    Timeline,
    Analysis,
    SelfAssessment,
    Domains,
    ImprovementPlan,
    Participants,
}

impl Section {
    /// The section's title in `w`'s language.
    pub fn title(self, w: &'static Words) -> &'static str {
        match self {
            Section::ExecutiveSummary => w.executive_summary,
            Section::Overview => w.overview,
            Section::Timeline => w.timeline,
            Section::Analysis => w.analysis,
            Section::SelfAssessment => w.self_assessment,
            Section::Domains => w.domains,
            Section::ImprovementPlan => w.improvement_plan,
            Section::Participants => w.participants_appendix,
        }
    }
}

/// What a paragraph holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Para {
    /// User text.
    Prose,
    /// Facts about what follows (legends, inject numbers).
    Meta,
    /// Says that there is nothing to show.
    Empty,
}

/// A table's column: its header and whether it holds numbers (right-aligned).
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    pub label: &'static str,
    pub numeric: bool,
}

impl Column {
    /// A column of text.
    pub const fn text(label: &'static str) -> Self {
        Column { label, numeric: false }
    }

    /// A column of numbers.
    pub const fn num(label: &'static str) -> Self {
        Column { label, numeric: true }
    }
}

/// The tables both formats share the columns of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    /// The scenario's groups and their sizes.
    Groups,
    /// An inject's answers, with who wrote them.
    Answers,
    /// An inject's answers, attributed to groups only.
    AnswersByGroup,
    /// Appendix A.
    Plan,
    /// Appendix B: group, count, names.
    Participants,
    /// Participants per sector.
    Sectors,
    /// Participants per organisation.
    Organisations,
    /// Every evaluator's rating of an objective.
    EvaluatorRatings,
}

impl Table {
    /// The table's columns, headed in `w`'s language.
    pub fn columns(self, w: &'static Words) -> Vec<Column> {
        use Column as C;
        match self {
            Table::Groups => vec![C::text(w.group), C::num(w.participants)],
            Table::Answers => vec![C::text(w.group), C::text(w.participant), C::text(w.play_time), C::text(w.answer)],
            Table::AnswersByGroup => vec![C::text(w.group), C::text(w.play_time), C::text(w.answer)],
            Table::Sectors => vec![C::text(w.sector), C::num(w.participants), C::num(w.organisations)],
            Table::Organisations => vec![C::text(w.organisation), C::text(w.sector), C::num(w.participants)],
            Table::Plan => {
                // The number and the votes are figures; every other column is text.
                let last = w.plan_columns.len() - 1;
                (w.plan_columns.iter().enumerate())
                    .map(|(i, &label)| if i == 0 || i == last { C::num(label) } else { C::text(label) })
                    .collect()
            }
            Table::Participants => vec![C::text(w.group), C::num(w.count), C::text(w.names)],
            Table::EvaluatorRatings => w.evaluator_columns.iter().map(|&label| C::text(label)).collect(),
        }
    }
}

/// A released inject, its values escaped.
pub(super) struct Inject {
    pub heading: String,
    pub play_time: String,
    pub released_at: String,
    pub how: String,
    /// Who sent it, with the channel: `name (channel)`.
    pub sender: Option<String>,
    pub targets: String,
    pub body: String,
}

impl Inject {
    /// The line under the heading, in `w`'s words; `with_sender` puts the sender in it.
    pub fn release_line(&self, w: &Words, with_sender: bool) -> String {
        let sender = self.sender.as_deref().filter(|_| with_sender);
        w.release(&self.play_time, &self.released_at, &self.how, sender, &self.targets)
    }
}

/// A row of an inject's answers table.
pub(super) struct AnswerRow {
    /// The group's name.
    pub group: String,
    /// On a group's first row, how many rows the group has.
    pub span: Option<usize>,
    /// The cells after the group's (participant when named, play time, answer); none
    /// when the group gave no answer.
    pub answer: Option<Vec<String>>,
}

/// The maturity profile as both formats write it: labels escaped, cells as text, and
/// the charts (SVG, escaped by their drawer) for the formats that show pictures.
pub(super) struct ProfileTable {
    /// Column headers: the domains.
    pub domains: Vec<String>,
    /// The room, then each sector, then each organisation.
    pub rows: Vec<ProfileLine>,
    /// Radar of the room.
    pub radar: String,
    /// Sectors × domains, when there are sectors.
    pub heatmap: Option<String>,
}

/// One row of the profile table.
pub(super) struct ProfileLine {
    pub label: String,
    pub raters: String,
    pub cells: Vec<String>,
}

/// An objective's rating, its values escaped.
pub(super) struct Rating {
    pub letter: &'static str,
    pub meaning: &'static str,
    pub rated_by: String,
    pub strengths: String,
    pub areas_for_improvement: String,
}
