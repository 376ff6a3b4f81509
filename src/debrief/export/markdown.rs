//! Markdown export: the after-action report and improvement plan (AAR/IP) as one
//! document.
//!
//! The sections, their order and their words are the shared `outline` (HSEEP shape:
//! overview, timeline, analysis per objective, self-assessment, Appendix A and B); this
//! module says how each piece is written in Markdown: headings, pipe tables, bold
//! labels. Every piece of user text goes through [`inline`], which keeps it on one
//! source line and escapes what Markdown or HTML would read as markup — so a `|`
//! cannot break a table and `<script>` is shown as text, never run.

use std::fmt::Write;

use super::markup::{AnswerRow, Column, Inject, Markup, Para, ProfileTable, Rating, Section, Table};
use super::outline;
use super::text::{DASH, Words, titled};
use crate::debrief::report::Report;
use crate::exercise::evaluation::StatementResult;

/// The columns of a group's self-assessment: the figures, then how many gave each
/// score.
fn statement_columns(w: &'static Words) -> [Column; 10] {
    [
        Column::text(w.statement),
        Column::num(w.mean),
        Column::num(w.min),
        Column::num(w.max),
        Column::num(w.count),
        Column::num("1"),
        Column::num("2"),
        Column::num("3"),
        Column::num("4"),
        Column::num("5"),
    ]
}

/// The report as Markdown, in the report's language.
pub fn render(r: &Report) -> String {
    let mut md = Markdown(String::new(), Words::of(r.language));
    outline::render(&mut md, r);
    md.0
}

/// The document being written, and its words. Every block ends with a blank line, but
/// Appendix B, which ends the document.
struct Markdown(String, &'static Words);

impl Markdown {
    /// A block of one line.
    fn line(&mut self, line: &str) {
        let _ = writeln!(self.0, "{line}\n");
    }

    /// A pipe table.
    fn pipe_table(&mut self, columns: &[Column], rows: impl IntoIterator<Item = Vec<String>>) {
        let labels: Vec<&str> = columns.iter().map(|c| c.label).collect();
        let rules: String = columns.iter().map(|c| if c.numeric { "---:|" } else { "---|" }).collect();
        let _ = writeln!(self.0, "| {} |\n|{rules}", labels.join(" | "));
        for row in rows {
            let _ = writeln!(self.0, "| {} |", row.join(" | "));
        }
        self.0.push('\n');
    }
}

impl Markup for Markdown {
    fn words(&self) -> &'static Words {
        self.1
    }

    fn text(&self, text: &str) -> String {
        inline(text)
    }

    fn strong(&self, text: &str) -> String {
        format!("**{text}**")
    }

    fn em(&self, text: &str) -> String {
        format!("*{text}*")
    }

    fn key(&self, key: &str) -> String {
        self.strong(key)
    }

    fn score(&self, score: u8) -> String {
        score.to_string()
    }

    fn small(&self, text: &str) -> String {
        text.to_owned()
    }

    fn flag(&self, flag: &str) -> String {
        self.em(flag)
    }

    fn prose(&self, text: &str) -> String {
        text.to_owned()
    }

    fn start(&mut self, title: &str, in_progress: Option<&str>) {
        self.line(&format!("# {}", self.1.report_title(title)));
        if let Some(sentence) = in_progress {
            self.line(&format!("> {} — {sentence}", self.strong(self.1.in_progress)));
        }
    }

    fn finish(&mut self, _footer: &str) {}

    fn section(&mut self, section: Section) {
        self.line(&format!("## {}", section.title(self.1)));
    }

    fn end_section(&mut self) {}

    fn heading(&mut self, text: &str) {
        self.line(&format!("### {text}"));
    }

    fn general_notes_heading(&mut self) {
        self.line(&format!("## {}", self.1.general_notes));
    }

    fn paragraph(&mut self, _kind: Para, text: &str) {
        self.line(text);
    }

    fn list(&mut self, items: &[String]) {
        for item in items {
            let _ = writeln!(self.0, "- {item}");
        }
        self.0.push('\n');
    }

    fn facts(&mut self, rows: &[(&str, String)]) {
        self.0.push_str("| | |\n|---|---|\n");
        for (label, value) in rows {
            let _ = writeln!(self.0, "| {label} | {value} |");
        }
        self.0.push('\n');
    }

    fn table(&mut self, table: Table, rows: &[Vec<String>]) {
        self.pipe_table(&table.columns(self.1), rows.iter().cloned());
    }

    fn inject(&mut self, inject: &Inject) {
        self.line(&format!("### {}", inject.heading));
        self.line(&self.em(&inject.release_line(self.1, false)));
        if let Some(sender) = &inject.sender {
            self.line(&self.1.sender_line(sender));
        }
        self.line(&format!("> {}", inject.body));
    }

    fn answers(&mut self, table: Table, rows: &[AnswerRow]) {
        let columns = table.columns(self.1);
        let mut no_answer = vec![DASH.to_owned(); columns.len() - 2];
        no_answer.push(self.em(self.1.no_answer));
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| [&row.group].into_iter().chain(row.answer.as_ref().unwrap_or(&no_answer)).cloned().collect())
            .collect();
        self.pipe_table(&columns, rows);
    }

    fn asked(&mut self, questions: &[(String, Vec<String>)], expected: &[String]) {
        if !questions.is_empty() {
            self.line(&self.strong(self.1.questions_asked));
            let items: Vec<String> =
                questions.iter().map(|(to, qs)| format!("{} {}", self.em(&self.1.colon(to)), qs.join(" / "))).collect();
            self.list(&items);
        }
        if !expected.is_empty() {
            self.line(&self.strong(self.1.expected_actions));
            self.list(expected);
        }
    }

    fn end_inject(&mut self) {}

    fn notes(&mut self, lines: &[String]) {
        self.line(&self.strong(self.1.notes));
        self.list(lines);
    }

    fn rating(&mut self, rating: Option<&Rating>) {
        let w = self.1;
        let Some(rt) = rating else {
            return self.line(&format!("{} {}.", self.strong(&w.colon(w.rating)), w.no_rating));
        };
        let grade = self.strong(&format!("{} {}", w.colon(w.rating), titled(rt.letter, rt.meaning)));
        self.line(&format!("{grade} ({})", w.rated_by(&rt.rated_by)));
        for (label, value) in [(w.strengths, &rt.strengths), (w.areas_for_improvement, &rt.areas_for_improvement)] {
            self.line(&format!("{} {value}", self.strong(&w.colon(label))));
        }
    }

    fn statements(&mut self, statements: &[StatementResult]) {
        let w = self.1;
        let figure = |v: Option<u8>| v.map_or_else(|| DASH.to_owned(), |v| v.to_string());
        let rows = statements.iter().map(|s| {
            let mut row = vec![inline(&s.text), w.mean_score(s.mean), figure(s.min), figure(s.max), w.number(s.count)];
            row.extend(s.histogram.iter().map(|&n| w.number(n)));
            row
        });
        self.pipe_table(&statement_columns(w), rows);
    }

    fn profile(&mut self, profile: &ProfileTable) {
        let w = self.1;
        let mut columns = vec![Column::text(w.who), Column::num(w.raters)];
        columns.extend(profile.domains.iter().map(|_| Column::num("")));
        let mut head = format!("| {} | {} |", w.who, w.raters);
        for d in &profile.domains {
            let _ = write!(head, " {d} |");
        }
        let rule: String = columns.iter().map(|c| if c.numeric { "---:|" } else { "---|" }).collect();
        let _ = writeln!(self.0, "{head}\n|{rule}");
        for row in &profile.rows {
            let _ = writeln!(self.0, "| {} | {} | {} |", row.label, row.raters, row.cells.join(" | "));
        }
        self.0.push('\n');
    }

    fn participants(&mut self, rows: &[Vec<String>]) {
        for row in rows {
            let who = self.1.colon(&format!("{} ({})", self.strong(&row[0]), row[1]));
            let _ = writeln!(self.0, "- {who} {}", row[2]);
        }
        self.0.push('\n');
    }
}

/// Escapes user text so it renders as the same text, on one line, anywhere in the
/// document (table cells included): `<`, `>` and a `&` that would start a character
/// reference become entities, Markdown's
/// punctuation (`\ ` * _ [ ] | ~ #`) is backslash-escaped, line breaks become `<br>`,
/// and a leading list, heading or indentation marker is neutralised.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    // Leading spaces would make indented code; `-`, `+`, `=` and `1.` would make lists
    // or headings.
    while chars.peek() == Some(&' ') {
        chars.next();
        out.push_str("&#32;");
    }
    if let Some(&c) = chars.peek()
        && matches!(c, '-' | '+' | '=')
    {
        out.push('\\');
    }
    let mut leading_digits = true;
    while let Some(c) = chars.next() {
        match c {
            '&' if starts_entity(chars.clone()) => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if leading_digits && !out.is_empty() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        leading_digits = leading_digits && c.is_ascii_digit();
    }
    out
}

/// Whether the text after a `&` reads as a character reference (`amp;`, `#39;`,
/// `#x27;`), which Markdown would decode: only then must the `&` be escaped.
fn starts_entity(rest: impl Iterator<Item = char>) -> bool {
    for (len, c) in rest.enumerate() {
        if c == ';' {
            return len > 0;
        }
        if !(c.is_ascii_alphanumeric() || (c == '#' && len == 0)) || len > 32 {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_keeps_tables_intact_and_markup_inert() {
        assert_eq!(inline("a | b"), "a \\| b");
        assert_eq!(inline("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(inline("one\r\ntwo\nthree\rfour"), "one<br>two<br>three<br>four");
        assert_eq!(inline("C:\\temp *bold* [link](x)"), "C:\\\\temp \\*bold\\* \\[link\\](x)");
        assert_eq!(inline("&lt; &#60; &#x3c;"), "&amp;lt; &amp;\\#60; &amp;\\#x3c;");
        assert_eq!(inline("Training & awareness; R&D"), "Training & awareness; R&D");
        assert_eq!(inline("Réponse : « arrêt »"), "Réponse : « arrêt »");
    }

    #[test]
    fn inline_neutralises_block_markers_at_the_start() {
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("# title"), "\\# title");
        assert_eq!(inline("12. twelve"), "12\\. twelve");
        assert_eq!(inline("    code"), "&#32;&#32;&#32;&#32;code");
        assert_eq!(inline("v1.2 ok"), "v1.2 ok");
        assert_eq!(inline("a-b"), "a-b");
    }
}
