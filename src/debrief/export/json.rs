//! JSON export: the whole report plus the timeline, for other tools.
//!
//! `{"format":"tabletop-report","version":1, …report…, "timeline": …}`; every field is
//! documented in docs/exports.md. Fields are only ever added within a version.

use serde::Serialize;

use crate::debrief::report::Report;
use crate::debrief::timeline::Timeline;

/// The value of the `format` field.
pub const FORMAT: &str = "tabletop-report";
/// The value of the `version` field.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    report: &'a Report,
    timeline: &'a Timeline,
}

/// The report and the timeline as pretty-printed JSON (with a final newline).
pub fn render(report: &Report, timeline: &Timeline) -> String {
    let doc = Document { format: FORMAT, version: VERSION, report, timeline };
    let mut out = serde_json::to_string_pretty(&doc).expect("the report serializes: no maps with non-string keys");
    out.push('\n');
    out
}

/// The value of the plan's `format` field.
pub const PLAN_FORMAT: &str = "tabletop-improvement-plan";

#[derive(Serialize)]
struct PlanDocument<'a> {
    format: &'static str,
    version: u32,
    exercise_id: String,
    title: &'a str,
    date: &'a str,
    marking: &'a str,
    items: &'a [crate::debrief::report::PlanItem],
}

/// The improvement plan alone: the cover's facts and the items, each in the IP's
/// columns (as `improvement_plan` in the report).
pub fn render_plan(report: &Report) -> String {
    let doc = PlanDocument {
        format: PLAN_FORMAT,
        version: VERSION,
        exercise_id: report.overview.exercise_id.to_string(),
        title: &report.cover.title,
        date: &report.cover.date,
        marking: &report.cover.marking,
        items: &report.improvement_plan,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("the plan serializes");
    out.push('\n');
    out
}
