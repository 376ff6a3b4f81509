//! CSV exports for spreadsheets: one row per response ([`render`]), and the improvement
//! plan alone ([`render_plan`]).
//!
//! Language: the responses' header row is field names ([`HEADER`]) in every language,
//! and the rest is what people typed, so it is the same file whatever the report's
//! language. The plan is a document people read in a spreadsheet: in French its header
//! row is the IP's column names and its capability, priority, status and plan status
//! are French words; in English the header is the field names ([`PLAN_HEADER`]) and the
//! words English. Dates stay `YYYY-MM-DD` and numbers bare digits, which every
//! spreadsheet reads.
//!
//! RFC 4180: fields holding a comma, a double quote, CR or LF are quoted, quotes
//! inside are doubled, lines end with CRLF; UTF-8 without a byte-order mark. Rows
//! follow the report: injects in release order, then target groups in scenario order,
//! then answers in the order they were stored (group answer mode: the group's answer,
//! then contributions). `choices` holds a poll's chosen options by label (`; ` between
//! several), `contribution` and `late` are `yes` or empty.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR before
//! one) as a formula: an answer typed as `=HYPERLINK("http://…")` would become a live
//! link on the regulator's laptop. Such cells are written with a leading `'`, which
//! spreadsheets show as text and hide (OWASP's advice for CSV injection).

use super::text::Words;
use crate::debrief::report::Report;

/// The header row, exactly.
pub const HEADER: [&str; 13] = [
    "exercise",
    "inject_number",
    "inject_title",
    "released_at_utc",
    "play_time",
    "group_id",
    "group_name",
    "participant",
    "response",
    "submitted_at_utc",
    "choices",
    "contribution",
    "late",
];

/// The responses of a report as CSV.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    row(&mut out, HEADER);
    let exercise = report.overview.exercise_id.to_string();
    for inject in &report.injects {
        let number = inject.release_number.to_string();
        for group in &inject.answers {
            for a in &group.answers {
                let choices = a.choices.join("; ");
                row(
                    &mut out,
                    [
                        &exercise,
                        &number,
                        &inject.title,
                        &inject.released_at_utc,
                        &a.play_time,
                        &group.group_id,
                        &group.group_name,
                        a.participant_name.as_deref().unwrap_or(""),
                        &a.text,
                        &a.submitted_at_utc,
                        &choices,
                        if a.contribution { "yes" } else { "" },
                        if a.late { "yes" } else { "" },
                    ],
                );
            }
        }
    }
    out
}

/// The header row of the improvement plan alone in English, exactly (HSEEP's IP
/// columns, as field names).
pub const PLAN_HEADER: [&str; 16] = [
    "number",
    "item_id",
    "plan_status",
    "domain_id",
    "domain",
    "capability",
    "issue",
    "corrective_action",
    "responsible_organisation",
    "owner",
    "start_date",
    "completion_date",
    "priority",
    "status",
    "votes",
    "proposed_by",
];

/// The improvement plan alone as CSV: one row per item, accepted first, in the
/// report's order (the number is the report's Appendix A number), in the report's
/// language.
pub fn render_plan(report: &Report) -> String {
    let lang = report.language;
    let mut out = String::new();
    row(&mut out, Words::of(lang).plan_csv_header);
    for (n, item) in report.improvement_plan.iter().enumerate() {
        let number = (n + 1).to_string();
        let votes = item.votes.to_string();
        row(
            &mut out,
            [
                &number,
                &item.item_id,
                item.status.label_in(lang),
                &item.group_id,
                &item.group_name,
                item.capability.label_in(lang),
                &item.issue,
                &item.corrective_action,
                &item.responsible_org,
                &item.owner,
                &item.start_date,
                &item.due,
                item.priority.map_or("", |p| p.label_in(lang)),
                item.progress.map_or("", |p| p.label_in(lang)),
                &votes,
                item.proposed_by.as_deref().unwrap_or(""),
            ],
        );
    }
    out
}

fn row<const N: usize>(out: &mut String, fields: [&str; N]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f);
    }
    out.push_str("\r\n");
}

/// Writes one field: neutralised when a spreadsheet would run it, quoted when it must be.
pub fn field(out: &mut String, value: &str) {
    let value = crate::spreadsheet::as_text(value);
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(v: &str) -> String {
        let mut s = String::new();
        field(&mut s, v);
        s
    }

    #[test]
    fn fields_are_quoted_only_when_needed_and_quotes_doubled() {
        assert_eq!(quoted("plain « arrêt »"), "plain « arrêt »");
        assert_eq!(quoted("a,b"), "\"a,b\"");
        assert_eq!(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quoted("two\r\nlines"), "\"two\r\nlines\"");
        assert_eq!(quoted("cr\ronly"), "\"cr\ronly\"");
        assert_eq!(quoted(""), "");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised_and_read_back_as_text() {
        let cells =
            ["=HYPERLINK(\"http://x\",\"y\")", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "a=b", "Yes - row 12"];
        let mut out = String::new();
        row(&mut out, cells);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_bytes());
        let read: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(
            read,
            ["'=HYPERLINK(\"http://x\",\"y\")", "'+SUM(A1)", "'-2+3", "'@cmd", "'\t=1", "'\r=1", "a=b", "Yes - row 12"]
        );
    }
}
