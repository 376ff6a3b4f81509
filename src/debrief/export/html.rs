//! HTML export: the after-action report as one self-contained, printable page.
//!
//! The sections, their order and their words are the shared `outline`; this module
//! says how each piece is written in HTML. No script at all; the stylesheet is inline
//! (the page is a download, opened from disk) and prints as a clean A4 report (any
//! browser's Save as PDF gives the document the server's PDF is): a cover page (title,
//! handling marking, organiser, venue, date, the non-attribution statement), each
//! section from a new page, the marking at the top and bottom of every page and
//! "Page N of M" (CSS `@page` margin boxes, written by `Markup::cover` with the
//! report's marking as an escaped CSS string), table rows and charts not split. On
//! screen the cover is the page's head. The charts (responses grid, maturity radar and
//! heatmap, the statements' bars) are inline SVG. Every piece of user text goes through
//! [`escape`]; long text keeps its line breaks through CSS (`white-space: pre-wrap`,
//! class `text`), not through markup. The PDF export prints this page.

use std::fmt::Write;

use super::markup::{
    AnswerRow, Column, CoverPage, Inject, Markup, Para, ProfileTable, Rating, ResponsesFigure, Section, Table,
};
use super::outline;
use super::text::{DASH, Words, sentence_case};
use crate::debrief::report::Report;
use crate::exercise::evaluation::StatementResult;
use crate::lang::Lang;

const STYLE: &str = include_str!("report.css");

/// What French adds to the stylesheet: the non-breaking space before the colon the
/// stylesheet puts after the cover's labels, and the plan's dates (written out, day and
/// month held together) free to wrap before the year, so the plan's text keeps its room.
const FRENCH_STYLE: &str = ".cover-facts dt::after { content: \"\\00a0:\"; }\ntd.due { white-space: normal; }\n";

/// The columns of a group's self-assessment: the statement, its mean as a bar and as
/// figures, and a chart of the scores.
fn statement_columns(w: &'static Words) -> [Column; 6] {
    [
        Column::text(w.statement),
        Column::text(w.mean_of_5),
        Column::num(w.mean),
        Column::num(w.min_max),
        Column::num(w.count),
        Column::text(w.scores),
    ]
}

/// The report as an HTML page, in the report's language (`<html lang>` too).
pub fn render(r: &Report) -> String {
    let mut h = Html(String::with_capacity(16 * 1024), Marks::default(), Words::of(r.language));
    outline::render(&mut h, r);
    h.0
}

/// The page being written, where the cover's pieces go in it, and its words.
struct Html(String, Marks, &'static Words);

/// Places in the page [`Markup::cover`] writes into, once [`Markup::start`] has
/// written the head and the title.
#[derive(Default)]
struct Marks {
    /// Just before `</head>`: the page margins' stylesheet (marking, page numbers).
    head_end: usize,
    /// Just before the cover's `</header>`: the cover's facts.
    cover_end: usize,
}

impl Html {
    /// Opens a table: its head and body.
    fn open_table(&mut self, class: &str, columns: &[Column]) {
        self.0.push_str("<table");
        if !class.is_empty() {
            let _ = write!(self.0, " class=\"{class}\"");
        }
        self.0.push_str(">\n<thead><tr>");
        for c in columns {
            let class = if c.numeric { " class=\"num\"" } else { "" };
            let _ = write!(self.0, "<th{class}>{}</th>", c.label);
        }
        self.0.push_str("</tr></thead>\n<tbody>\n");
    }

    fn close_table(&mut self) {
        self.0.push_str("</tbody>\n</table>\n");
    }

    /// Table cells, each with its class (if not empty).
    fn cells<'a>(&mut self, classes: &[&str], cells: impl IntoIterator<Item = &'a String>) {
        for (class, cell) in classes.iter().zip(cells) {
            if class.is_empty() {
                let _ = write!(self.0, "<td>{cell}</td>");
            } else {
                let _ = write!(self.0, "<td class=\"{class}\">{cell}</td>");
            }
        }
    }

    /// A table of rows of cells, each column's cells with their class.
    fn plain_table(&mut self, class: &str, columns: &[Column], classes: &[&str], rows: &[Vec<String>]) {
        self.open_table(class, columns);
        for row in rows {
            self.0.push_str("<tr>");
            self.cells(classes, row);
            self.0.push_str("</tr>\n");
        }
        self.close_table();
    }
}

impl Markup for Html {
    fn words(&self) -> &'static Words {
        self.2
    }

    fn text(&self, text: &str) -> String {
        escape(text)
    }

    fn strong(&self, text: &str) -> String {
        format!("<strong>{text}</strong>")
    }

    fn em(&self, text: &str) -> String {
        format!("<em>{text}</em>")
    }

    fn key(&self, key: &str) -> String {
        format!("<b>{key}</b>")
    }

    fn score(&self, score: u8) -> String {
        self.key(&score.to_string())
    }

    fn small(&self, text: &str) -> String {
        format!("<small>{text}</small>")
    }

    fn flag(&self, flag: &str) -> String {
        format!("<span class=\"proposed\">{flag}</span>")
    }

    fn prose(&self, text: &str) -> String {
        format!("<span class=\"text\">{text}</span>")
    }

    fn start(&mut self, title: &str, in_progress: Option<&str>) {
        let _ = write!(
            self.0,
            "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
            self.2.lang.code(),
            self.2.report_title(title),
            if self.2.lang == Lang::Fr { FRENCH_STYLE } else { "" }
        );
        self.1.head_end = self.0.rfind("</head>").unwrap_or(self.0.len());
        let _ = writeln!(
            self.0,
            "<header class=\"cover\">\n<p class=\"kicker\">{}</p>\n<h1>{title}</h1>",
            self.2.report_and_plan
        );
        if let Some(sentence) = in_progress {
            let _ = writeln!(self.0, "<p class=\"banner\">{} — {sentence}</p>", self.2.in_progress);
        }
        self.1.cover_end = self.0.len();
        self.0.push_str("</header>\n");
    }

    /// The cover's facts and statement go into the header [`Markup::start`] wrote (on
    /// screen, the report's head; in print, a page of its own); the marking and page
    /// numbers go into every printed page's margins.
    fn cover(&mut self, cover: &CoverPage) {
        let w = self.2;
        let mut facts = String::new();
        if !cover.marking.is_empty() {
            let _ = writeln!(
                facts,
                "<p class=\"marking {}\"><span class=\"label\">{}</span> <strong>{}</strong></p>",
                marking_class(&cover.marking_raw),
                w.colon(w.marking),
                cover.marking
            );
        }
        facts.push_str("<dl class=\"cover-facts\">\n");
        for (label, value) in [(w.organiser, &cover.organiser), (w.venue, &cover.venue), (w.date, &cover.date)] {
            if !value.is_empty() {
                let _ = writeln!(facts, "<div><dt>{label}</dt><dd>{value}</dd></div>");
            }
        }
        facts.push_str("</dl>\n");
        if let Some(statement) = &cover.non_attribution {
            let _ = writeln!(facts, "<p class=\"non-attribution\">{statement}</p>");
        }
        self.0.insert_str(self.1.cover_end, &facts);
        self.0.insert_str(self.1.head_end, &page_margins(&cover.marking_raw, w));
    }

    /// The chart, then how to read it and each group's counts.
    fn responses(&mut self, figure: &ResponsesFigure) {
        let _ = writeln!(self.0, "<div class=\"responses-grid\">\n<h3>{}</h3>", self.2.responses);
        let _ = writeln!(self.0, "<figure class=\"chart-figure\">{}</figure>", figure.chart);
        self.paragraph(Para::Meta, &figure.definition);
        self.list(&figure.lines);
        self.0.push_str("</div>\n");
    }

    fn finish(&mut self, footer: &str) {
        let _ = writeln!(self.0, "<footer>{footer}</footer>\n</body>\n</html>");
    }

    fn section(&mut self, section: Section) {
        let (appendix, id) = match section {
            Section::ExecutiveSummary => (false, "executive-summary"),
            Section::Overview => (false, "overview"),
            Section::Timeline => (false, "timeline"),
            Section::Analysis => (false, "analysis"),
            Section::SelfAssessment => (false, "self-assessment"),
            Section::Domains => (false, "domains"),
            Section::ImprovementPlan => (true, "appendix-a"),
            Section::Participants => (true, "appendix-b"),
        };
        let class = if appendix { " class=\"appendix\"" } else { "" };
        let _ = writeln!(self.0, "<section{class} id=\"{id}\">\n<h2>{}</h2>", section.title(self.2));
    }

    fn end_section(&mut self) {
        self.0.push_str("</section>\n");
    }

    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.0, "<h3>{text}</h3>");
    }

    fn general_notes_heading(&mut self) {
        self.heading(self.2.general_notes);
    }

    fn paragraph(&mut self, kind: Para, text: &str) {
        let class = match kind {
            Para::Prose => "text",
            Para::Meta => "meta",
            Para::Empty => "none",
        };
        let _ = writeln!(self.0, "<p class=\"{class}\">{text}</p>");
    }

    fn list(&mut self, items: &[String]) {
        self.0.push_str("<ul>\n");
        for item in items {
            let _ = writeln!(self.0, "<li>{item}</li>");
        }
        self.0.push_str("</ul>\n");
    }

    fn facts(&mut self, rows: &[(&str, String)]) {
        self.0.push_str("<table class=\"facts\">\n");
        for (label, value) in rows {
            let _ = writeln!(self.0, "<tr><th>{label}</th><td>{value}</td></tr>");
        }
        self.0.push_str("</table>\n");
    }

    fn table(&mut self, table: Table, rows: &[Vec<String>]) {
        let (class, cells) = classes(table);
        self.plain_table(class, &table.columns(self.2), cells, rows);
    }

    fn inject(&mut self, inject: &Inject) {
        self.0.push_str("<article class=\"inject\">\n");
        self.heading(&inject.heading);
        self.paragraph(Para::Meta, &inject.release_line(self.2, true));
        let _ = writeln!(self.0, "<blockquote class=\"text\">{}</blockquote>", inject.body);
    }

    /// The group's name heads its rows (spanning them); a group without an answer
    /// says so across the other columns.
    fn answers(&mut self, table: Table, rows: &[AnswerRow]) {
        let (class, cells) = classes(table);
        let columns = table.columns(self.2);
        self.open_table(class, &columns);
        for row in rows {
            self.0.push_str("<tr>");
            match row.span {
                Some(1) => {
                    let _ = write!(self.0, "<th>{}</th>", row.group);
                }
                Some(span) => {
                    let _ = write!(self.0, "<th rowspan=\"{span}\">{}</th>", row.group);
                }
                None => {}
            }
            match &row.answer {
                Some(answer) => self.cells(&cells[1..], answer),
                None => {
                    let span = columns.len() - 1;
                    let _ = write!(self.0, "<td colspan=\"{span}\" class=\"none\">{}</td>", self.2.no_answer);
                }
            }
            self.0.push_str("</tr>\n");
        }
        self.close_table();
    }

    fn end_inject(&mut self) {
        self.0.push_str("</article>\n");
    }

    fn asked(&mut self, questions: &[(String, Vec<String>)], expected: &[String]) {
        self.0.push_str("<div class=\"asked\">\n");
        if !questions.is_empty() {
            let _ = writeln!(self.0, "<h4>{}</h4>\n<dl class=\"questions\">", self.2.questions_asked);
            for (to, qs) in questions {
                let _ = writeln!(self.0, "<dt>{to}</dt>");
                for q in qs {
                    let _ = writeln!(self.0, "<dd>{q}</dd>");
                }
            }
            self.0.push_str("</dl>\n");
        }
        if !expected.is_empty() {
            let _ = writeln!(self.0, "<h4>{}</h4>", self.2.expected_actions);
            self.list(expected);
        }
        self.0.push_str("</div>\n");
    }

    fn notes(&mut self, lines: &[String]) {
        self.0.push_str("<ul class=\"notes\">\n");
        for line in lines {
            let _ = writeln!(self.0, "<li class=\"note\">{line}</li>");
        }
        self.0.push_str("</ul>\n");
    }

    fn rating(&mut self, rating: Option<&Rating>) {
        let w = self.2;
        let Some(rt) = rating else {
            return self.paragraph(Para::Empty, &format!("{}.", sentence_case(w.not_rated)));
        };
        let labelled = |label: &str, value: &str| format!("{} {}", self.strong(&w.colon(label)), self.prose(value));
        let _ = writeln!(
            self.0,
            "<div class=\"rating\"><p><span class=\"letter\">{}</span>{} ({})</p>\n<p>{}</p>\n<p>{}</p></div>",
            rt.letter,
            self.strong(rt.meaning),
            w.rated_by(&rt.rated_by),
            labelled(w.strengths, &rt.strengths),
            labelled(w.areas_for_improvement, &rt.areas_for_improvement)
        );
    }

    fn statements(&mut self, statements: &[StatementResult]) {
        let w = self.2;
        let rows: Vec<Vec<String>> = statements
            .iter()
            .map(|s| {
                let range = match (s.min, s.max) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => DASH.to_owned(),
                };
                vec![
                    escape(&s.text),
                    mean_bar(s.mean, w),
                    w.mean_score(s.mean),
                    range,
                    w.number(s.count),
                    histogram(&s.histogram, w),
                ]
            })
            .collect();
        self.plain_table("scores", &statement_columns(w), &["", "", "num", "num", "num", ""], &rows);
    }

    fn profile(&mut self, profile: &ProfileTable) {
        self.0.push_str("<div class=\"charts\">\n");
        let _ = writeln!(self.0, "<figure>{}</figure>", profile.radar);
        if let Some(heatmap) = &profile.heatmap {
            let _ = writeln!(self.0, "<figure>{heatmap}</figure>");
        }
        self.0.push_str("</div>\n<table class=\"profile\">\n<thead><tr>");
        let _ = write!(self.0, "<th>{}</th><th class=\"num\">{}</th>", self.2.who, self.2.raters);
        for d in &profile.domains {
            let _ = write!(self.0, "<th class=\"num\">{d}</th>");
        }
        self.0.push_str("</tr></thead>\n<tbody>\n");
        for row in &profile.rows {
            let _ = write!(self.0, "<tr><th>{}</th><td class=\"num\">{}</td>", row.label, row.raters);
            for cell in &row.cells {
                let _ = write!(self.0, "<td class=\"num\">{cell}</td>");
            }
            self.0.push_str("</tr>\n");
        }
        self.0.push_str("</tbody>\n</table>\n");
    }

    fn participants(&mut self, rows: &[Vec<String>]) {
        self.table(Table::Participants, rows);
    }
}

/// The printed pages' margins: the marking at the top and bottom centre of every page
/// (when there is one), `Page N of M` (`Page N sur M`) at the bottom right (CSS paged
/// media margin boxes; Chromium prints them from version 131).
fn page_margins(marking: &str, w: &Words) -> String {
    let mut css = String::from("<style>\n@page {\n");
    if !marking.trim().is_empty() {
        let m = css_string(marking.trim());
        let _ = writeln!(css, "  @top-center {{ content: {m}; }}\n  @bottom-center {{ content: {m}; }}");
    }
    let _ = write!(css, "  @bottom-right {{ content: {}; }}\n}}\n</style>\n", w.page_numbers_css());
    css
}

/// Text as a quoted CSS string: anything but letters, digits, space and `:.,-_/()+`
/// is written as a hexadecimal escape, so no quote, backslash, `<` or line break can
/// end the string or the `<style>` element.
pub(crate) fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if (c.is_alphanumeric() && !c.is_control()) || " :.,-_/()+".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// A class for the well-known Traffic Light Protocol markings (their colours on the
/// cover); `custom` for any other.
fn marking_class(marking: &str) -> &'static str {
    let m = marking.trim().to_ascii_uppercase().replace(' ', "");
    if m.starts_with("TLP:RED") {
        "tlp-red"
    } else if m.starts_with("TLP:AMBER") {
        "tlp-amber"
    } else if m.starts_with("TLP:GREEN") {
        "tlp-green"
    } else if m.starts_with("TLP:CLEAR") || m.starts_with("TLP:WHITE") {
        "tlp-clear"
    } else {
        "custom"
    }
}

/// A table's class and the classes of its columns' cells.
fn classes(table: Table) -> (&'static str, &'static [&'static str]) {
    match table {
        Table::Groups => ("", &["", "num"]),
        Table::Answers => ("answers", &["", "", "time", "text"]),
        Table::AnswersByGroup => ("answers", &["", "time", "text"]),
        Table::Sectors => ("", &["", "num", "num"]),
        Table::Organisations => ("", &["", "", "num"]),
        Table::Plan => ("plan", &["num", "text", "text", "", "", "", "", "due", "due", "", "", "num"]),
        Table::Participants => ("", &["", "num", ""]),
        Table::EvaluatorRatings => ("ratings", &["", "", "text", "text"]),
    }
}

/// The mean as a horizontal bar on a 0–5 scale, said to a screen reader in `w`'s words.
fn mean_bar(mean: Option<f64>, w: &Words) -> String {
    let width = mean.map_or(0.0, |m| (m / 5.0 * 100.0).clamp(0.0, 100.0));
    let label = mean.map_or_else(|| w.no_score.to_owned(), |m| w.mean_of(m));
    format!(
        "<svg width=\"120\" height=\"12\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"{label}\"><rect width=\"100\" height=\"10\" fill=\"#e5e7eb\"/>\
         <rect width=\"{width:.1}\" height=\"10\" fill=\"#1d4ed8\"/></svg>"
    )
}

/// How many gave 1 to 5, as five columns with their counts.
fn histogram(counts: &[usize; 5], w: &Words) -> String {
    let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg width=\"100\" height=\"34\" viewBox=\"0 0 100 34\" role=\"img\" aria-label=\"{}\">",
        w.score_counts(counts)
    );
    for (i, &c) in counts.iter().enumerate() {
        let height = (c as f64 / top * 20.0).round();
        let x = i * 20;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"{height}\" fill=\"#1d4ed8\"/>\
             <text x=\"{}\" y=\"33\" font-size=\"10\" text-anchor=\"middle\">{c}</text>",
            x + 2,
            22.0 - height,
            x + 10
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` become character references; everything else is kept as is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::debrief::export::text::{EN, FR};

    #[test]
    fn escape_makes_markup_inert_text() {
        assert_eq!(
            escape("<script>alert(1)</script><img src=x onerror=alert(1)>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape("\"a\" & 'b'"), "&quot;a&quot; &amp; &#39;b&#39;");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("Réponse : « arrêt », Jërëjëf\n"), "Réponse : « arrêt », Jërëjëf\n");
    }

    #[test]
    fn the_marking_is_a_css_string_that_cannot_break_out() {
        assert_eq!(css_string("TLP:AMBER+STRICT"), "\"TLP:AMBER+STRICT\"");
        let evil = css_string("x\"; } </style><script>alert(1)</script>\\\n");
        assert!(!evil.contains('<') && !evil[1..evil.len() - 1].contains('"') && !evil.contains('\n'), "{evil}");
        assert!(evil.starts_with("\"x\\22 \\3b "), "{evil}");
        let css = page_margins("TLP:RED", &EN);
        assert!(css.contains("@top-center { content: \"TLP:RED\"; }") && css.contains("counter(pages)"));
        assert!(css.contains("\"Page \" counter(page) \" of \" counter(pages)"), "{css}");
        assert!(!page_margins("", &EN).contains("@top-center"), "no marking, no header");
        assert!(page_margins("", &FR).contains("\"Page \" counter(page) \" sur \" counter(pages)"));
        assert_eq!(marking_class(" tlp:amber+strict"), "tlp-amber");
        assert_eq!(marking_class("Restricted"), "custom");
    }

    #[test]
    fn bars_scale_with_the_mean() {
        assert!(mean_bar(Some(2.5), &EN).contains("width=\"50.0\""));
        assert!(mean_bar(None, &EN).contains("no score"));
        assert!(mean_bar(Some(2.5), &FR).contains("aria-label=\"moyenne 2,50 sur 5\""));
        assert!(mean_bar(None, &FR).contains("aucune note"));
        let h = histogram(&[0, 1, 0, 2, 0], &EN);
        assert!(h.contains("height=\"20\""), "{h}");
        assert!(h.contains("scores 1 to 5: 0, 1, 0, 2, 0"));
        assert!(histogram(&[0, 1, 0, 2, 0], &FR).contains("notes de 1 à 5\u{a0}: 0, 1, 0, 2, 0"));
    }
}
