//! The schedule as a chart: one lane per group over play minutes, each timed inject a
//! mark at its release with its number, and its answer window a bar after it — the
//! console's authoring preview (`web/console-authoring.js`), drawn on the server as SVG
//! from [`crate::scenario::preview::preview`]. Labels are escaped here.

use std::fmt::Write;

use crate::charts::escape;
use crate::scenario::Scenario;
use crate::scenario::preview::preview;

/// Drawing width, in SVG units (the page shows it at its full width).
const WIDTH: f64 = 720.0;
/// Room left of the lanes for the groups' names.
const LABEL: f64 = 170.0;
/// Height of one lane.
const LANE: f64 = 30.0;
/// Room above the lanes for the minutes' scale.
const TOP: f64 = 22.0;

/// The lanes chart of `s`; `numbers` are the injects' numbers (indexed like
/// `s.injects`), `words` the legend (`release`, `answer window`) and the minutes' unit.
pub fn chart(s: &Scenario, numbers: &[String], words: [&str; 3]) -> String {
    let [release, window, unit] = words;
    let p = preview(s);
    let end = f64::from(p.duration_minutes.max(1));
    let span = WIDTH - LABEL - 10.0;
    let x = |m: f64| LABEL + span * (m.clamp(0.0, end) / end);
    let height = TOP + LANE * p.lanes.len() as f64 + 30.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-label=\"{}\" font-family=\"DejaVu Sans, Arial, sans-serif\">",
        escape(&s.title)
    );
    // The scale: a tick every 5 minutes (10 past an hour of play), labelled.
    let step = if end > 90.0 {
        15.0
    } else if end > 40.0 {
        10.0
    } else {
        5.0
    };
    let mut m = 0.0;
    while m <= end + 1e-9 {
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" y1=\"{TOP}\" x2=\"{0:.1}\" y2=\"{1:.1}\" stroke=\"#e2e8f0\"/>\
             <text x=\"{0:.1}\" y=\"{2:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#475569\">{3}</text>",
            x(m),
            TOP + LANE * p.lanes.len() as f64,
            TOP - 8.0,
            m as u64
        );
        m += step;
    }
    let _ = write!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"#475569\">{}</text>",
        LABEL - 8.0,
        TOP - 8.0,
        escape(unit)
    );
    let number = |id: &str| s.inject(id).map(|(i, _)| numbers.get(i).cloned().unwrap_or_default()).unwrap_or_default();
    for (row, lane) in p.lanes.iter().enumerate() {
        let y = TOP + LANE * row as f64;
        let mid = y + LANE / 2.0;
        let fill = if row % 2 == 0 { "#f8fafc" } else { "#ffffff" };
        let _ = write!(
            svg,
            "<rect x=\"0\" y=\"{y:.1}\" width=\"{WIDTH}\" height=\"{LANE}\" fill=\"{fill}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#111\">{}</text>",
            LABEL - 8.0,
            mid + 4.0,
            escape(&shorten(&lane.name, 26))
        );
        for inj in &lane.injects {
            let x0 = x(inj.at_minutes);
            if let Some(w) = inj.respond_within_minutes {
                let x1 = x(inj.at_minutes + w);
                let _ = write!(
                    svg,
                    "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\" rx=\"2\" fill=\"#bfdbfe\" \
                     stroke=\"#1d4ed8\" stroke-width=\"0.6\"/>",
                    mid - 5.0,
                    (x1 - x0).max(1.0)
                );
            }
            let _ = write!(
                svg,
                "<line x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x0:.1}\" y2=\"{:.1}\" stroke=\"#1e3a8a\" stroke-width=\"2\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" fill=\"#1e3a8a\">{}</text>",
                y + 3.0,
                y + LANE - 3.0,
                x0 + 2.5,
                y + 10.0,
                escape(&number(&inj.id))
            );
        }
    }
    // The legend.
    let ly = TOP + LANE * p.lanes.len() as f64 + 18.0;
    let _ = write!(
        svg,
        "<line x1=\"{LABEL}\" y1=\"{:.1}\" x2=\"{LABEL}\" y2=\"{:.1}\" stroke=\"#1e3a8a\" stroke-width=\"2\"/>\
         <text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"10\" fill=\"#334155\">{}</text>\
         <rect x=\"{:.1}\" y=\"{:.1}\" width=\"24\" height=\"10\" rx=\"2\" fill=\"#bfdbfe\" stroke=\"#1d4ed8\" \
         stroke-width=\"0.6\"/><text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"10\" fill=\"#334155\">{}</text></svg>",
        ly - 10.0,
        ly + 2.0,
        LABEL + 6.0,
        escape(release),
        LABEL + 110.0,
        ly - 9.0,
        LABEL + 140.0,
        escape(window)
    );
    svg
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}
