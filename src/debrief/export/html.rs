//! HTML export: the after-action report as one self-contained, printable page.
//!
//! No script at all; the stylesheet is inline (the page is a download, opened from
//! disk) and prints as a clean A4 report: appendices start on a new page, table rows
//! are not split. The self-assessment chart is inline SVG. Every piece of user text
//! goes through [`escape`]; long text keeps its line breaks through CSS
//! (`white-space: pre-wrap`), not through markup. The PDF export prints this page.

use std::fmt::Write;

use super::markdown::human_utc;
use crate::debrief::report::{InjectReport, NoteReport, Report};
use crate::exercise::evaluation::{ItemStatus, StatementResult};

const STYLE: &str = include_str!("report.css");

/// The report as an HTML page.
pub fn render(r: &Report) -> String {
    let o = &r.overview;
    let mut h = String::with_capacity(16 * 1024);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>After-action report: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&o.title)
    );
    let _ = writeln!(h, "<header>\n<p class=\"kicker\">After-action report and improvement plan</p>");
    let _ = writeln!(h, "<h1>{}</h1>", escape(&o.title));
    if !r.ended() {
        let _ = writeln!(
            h,
            "<p class=\"banner\">In progress — the exercise has not ended; this report shows the log as of {} ({}).</p>",
            human_utc(&o.as_of_utc),
            o.play_time
        );
    }
    h.push_str("</header>\n");
    overview(&mut h, r);
    timeline(&mut h, r);
    analysis(&mut h, r);
    self_assessment(&mut h, r);
    improvement_plan(&mut h, r);
    participants(&mut h, r);
    let _ = writeln!(
        h,
        "<footer>Made by tabletop from the exercise log: events 1–{}, last at {}.</footer>\n</body>\n</html>",
        o.as_of_seq,
        human_utc(&o.as_of_utc)
    );
    h
}

fn overview(h: &mut String, r: &Report) {
    let o = &r.overview;
    h.push_str("<section id=\"overview\">\n<h2>Exercise overview</h2>\n<table class=\"facts\">\n");
    let status = match &o.ended_at_utc {
        Some(at) if r.ended() => format!("Ended {}", human_utc(at)),
        _ => "In progress".to_owned(),
    };
    let rows = [
        ("Exercise", format!("{} <small>({})</small>", escape(&o.title), o.exercise_id)),
        ("Scenario", escape(&o.scenario_id)),
        ("Date", format!("{} (UTC)", o.date)),
        ("Started", human_utc(&o.created_at_utc)),
        ("Status", status),
        ("Planned duration", format!("{} min", o.planned_duration_minutes)),
        ("Play time", o.play_time.clone()),
        ("Participants", o.participant_count.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    h.push_str("</table>\n");
    if !o.summary.is_empty() {
        let _ = writeln!(h, "<p class=\"text\">{}</p>", escape(&o.summary));
    }
    h.push_str("<h3>Objectives</h3>\n<ul>\n");
    for obj in &o.objectives {
        let _ = writeln!(h, "<li><strong>{}</strong> — {}</li>", escape(&obj.id), escape(&obj.text));
    }
    h.push_str("</ul>\n<h3>Groups</h3>\n<table>\n<thead><tr><th>Group</th><th class=\"num\">Participants</th></tr></thead>\n<tbody>\n");
    for g in &o.groups {
        let _ = writeln!(h, "<tr><td>{}</td><td class=\"num\">{}</td></tr>", escape(&g.name), g.participants);
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn timeline(h: &mut String, r: &Report) {
    h.push_str("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
    if r.injects.is_empty() {
        h.push_str("<p class=\"none\">No inject has been released.</p>\n");
    }
    for i in &r.injects {
        inject(h, i);
    }
    if !r.skipped.is_empty() {
        h.push_str("<h3>Skipped injects</h3>\n<ul>\n");
        for s in &r.skipped {
            let _ = writeln!(h, "<li>Inject {} — {} (skipped at {})</li>", s.number, escape(&s.title), s.play_time);
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

fn inject(h: &mut String, i: &InjectReport) {
    let _ = writeln!(h, "<article class=\"inject\">\n<h3>Inject {} — {}</h3>", i.number, escape(&i.title));
    let targets: Vec<String> = i.targets.iter().map(|g| escape(&g.name)).collect();
    let how = if i.manual { "released by hand" } else { "released by the clock" };
    let from = match (&i.from, &i.channel) {
        (Some(f), Some(c)) => format!(" · from {} ({})", escape(f), escape(c)),
        (Some(f), None) => format!(" · from {}", escape(f)),
        _ => String::new(),
    };
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} · {} · {how}{from} · to {}</p>",
        i.play_time,
        human_utc(&i.released_at_utc),
        targets.join(", ")
    );
    let _ = writeln!(h, "<blockquote class=\"text\">{}</blockquote>", escape(&i.body));
    h.push_str("<table class=\"answers\">\n<thead><tr><th>Group</th><th>Participant</th><th>Play time</th><th>Answer</th></tr></thead>\n<tbody>\n");
    for g in &i.answers {
        if g.answers.is_empty() {
            let _ = writeln!(
                h,
                "<tr><th>{}</th><td colspan=\"3\" class=\"none\">no answer</td></tr>",
                escape(&g.group_name)
            );
        }
        for (n, a) in g.answers.iter().enumerate() {
            h.push_str("<tr>");
            match (n, g.answers.len()) {
                (0, 1) => {
                    let _ = write!(h, "<th>{}</th>", escape(&g.group_name));
                }
                (0, rows) => {
                    let _ = write!(h, "<th rowspan=\"{rows}\">{}</th>", escape(&g.group_name));
                }
                _ => {}
            }
            let _ = writeln!(
                h,
                "<td>{}</td><td class=\"time\">{}</td><td class=\"text\">{}</td></tr>",
                escape(&a.participant_name),
                a.play_time,
                escape(&a.text)
            );
        }
    }
    h.push_str("</tbody>\n</table>\n");
    notes(h, &i.notes);
    h.push_str("</article>\n");
}

fn notes(h: &mut String, notes: &[NoteReport]) {
    if notes.is_empty() {
        return;
    }
    h.push_str("<ul class=\"notes\">\n");
    for n in notes {
        let mut about = Vec::new();
        if let (Some(num), Some(t)) = (n.inject_number, &n.inject_title) {
            about.push(format!("inject {num} {}", escape(t)));
        }
        if let Some(o) = &n.objective_id {
            about.push(format!("objective {}", escape(o)));
        }
        if let Some(g) = &n.group {
            about.push(escape(&g.name));
        }
        let about = if about.is_empty() { String::new() } else { format!(", on {}", about.join(", ")) };
        let _ = writeln!(
            h,
            "<li class=\"note\"><strong>{}</strong> ({}, {}{about}): <span class=\"text\">{}</span></li>",
            escape(&n.author),
            n.author_role,
            n.play_time,
            escape(&n.text)
        );
    }
    h.push_str("</ul>\n");
}

fn analysis(h: &mut String, r: &Report) {
    h.push_str("<section id=\"analysis\">\n<h2>Analysis of objectives</h2>\n");
    h.push_str("<p class=\"meta\">Ratings: <b>P</b> performed without challenges · <b>S</b> with some challenges · <b>M</b> with major challenges · <b>U</b> unable to be performed.</p>\n");
    for a in &r.objectives {
        let _ = writeln!(h, "<h3>{} — {}</h3>", escape(&a.objective_id), escape(&a.text));
        if !a.inject_numbers.is_empty() {
            let nums: Vec<String> = a.inject_numbers.iter().map(usize::to_string).collect();
            let _ = writeln!(h, "<p class=\"meta\">Injects: {}</p>", nums.join(", "));
        }
        match &a.rating {
            Some(rt) => {
                let _ = writeln!(
                    h,
                    "<div class=\"rating\"><p><span class=\"letter\">{}</span><strong>{}</strong> (rated by {})</p>\n\
                     <p><strong>Strengths:</strong> <span class=\"text\">{}</span></p>\n\
                     <p><strong>Areas for improvement:</strong> <span class=\"text\">{}</span></p></div>",
                    rt.letter,
                    rt.meaning,
                    escape(&rt.rated_by),
                    or_dash(&rt.strengths),
                    or_dash(&rt.areas_for_improvement)
                );
            }
            None => h.push_str("<p class=\"none\">Not rated yet.</p>\n"),
        }
        notes(h, &a.notes);
    }
    if !r.general_notes.is_empty() {
        h.push_str("<h3>General notes</h3>\n");
        notes(h, &r.general_notes);
    }
    h.push_str("</section>\n");
}

fn self_assessment(h: &mut String, r: &Report) {
    let Some(sa) = &r.self_assessment else { return };
    h.push_str("<section id=\"self-assessment\">\n<h2>Self-assessment</h2>\n");
    if sa.example {
        h.push_str("<p class=\"meta\"><em>The statements are examples shipped with the scenario, not an agreed assessment instrument.</em></p>\n");
    }
    if !sa.intro.is_empty() {
        let _ = writeln!(h, "<p class=\"text\">{}</p>", escape(&sa.intro));
    }
    let scale: Vec<String> = sa.scale.iter().map(|s| format!("<b>{}</b> {}", s.score, s.meaning)).collect();
    let _ = writeln!(h, "<p class=\"meta\">Scale: {}.</p>", scale.join(" · "));
    for g in &sa.groups {
        let mean = g.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"));
        let _ = writeln!(h, "<h3>{} <small>(raters: {}, mean {mean})</small></h3>", escape(&g.group_name), g.raters);
        h.push_str("<table class=\"scores\">\n<thead><tr><th>Statement</th><th>Mean of 5</th><th class=\"num\">Mean</th><th class=\"num\">Min–max</th><th class=\"num\">Count</th><th>Scores 1–5</th></tr></thead>\n<tbody>\n");
        for s in &g.statements {
            statement_row(h, s);
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}

fn statement_row(h: &mut String, s: &StatementResult) {
    let mean = s.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"));
    let range = match (s.min, s.max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "—".to_owned(),
    };
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{mean}</td><td class=\"num\">{range}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        escape(&s.text),
        mean_bar(s.mean),
        s.count,
        histogram(&s.histogram)
    );
}

/// The mean as a horizontal bar on a 0–5 scale.
fn mean_bar(mean: Option<f64>) -> String {
    let width = mean.map_or(0.0, |m| (m / 5.0 * 100.0).clamp(0.0, 100.0));
    let label = mean.map_or_else(|| "no score".to_owned(), |m| format!("mean {m:.2} of 5"));
    format!(
        "<svg width=\"120\" height=\"12\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" \
         aria-label=\"{label}\"><rect width=\"100\" height=\"10\" fill=\"#e5e7eb\"/>\
         <rect width=\"{width:.1}\" height=\"10\" fill=\"#1d4ed8\"/></svg>"
    )
}

/// How many gave 1 to 5, as five columns with their counts.
fn histogram(counts: &[usize; 5]) -> String {
    let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg width=\"100\" height=\"34\" viewBox=\"0 0 100 34\" role=\"img\" aria-label=\"scores 1 to 5: {}\">",
        counts.map(|c| c.to_string()).join(", ")
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

fn improvement_plan(h: &mut String, r: &Report) {
    h.push_str("<section class=\"appendix\" id=\"appendix-a\">\n<h2>Appendix A: Improvement plan</h2>\n");
    if r.improvement_plan.is_empty() {
        h.push_str("<p class=\"none\">No improvement item yet.</p>\n</section>\n");
        return;
    }
    h.push_str("<table class=\"plan\">\n<thead><tr><th class=\"num\">#</th><th>Issue</th><th>Corrective action</th><th>Domain</th><th>Capability element</th><th>Responsible organisation</th><th>Owner</th><th>Due</th></tr></thead>\n<tbody>\n");
    for (n, item) in r.improvement_plan.iter().enumerate() {
        let proposed =
            if item.status == ItemStatus::Proposed { "<span class=\"proposed\">(proposed)</span> " } else { "" };
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{}</td><td class=\"text\">{proposed}{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"due\">{}</td></tr>",
            n + 1,
            escape(&item.issue),
            escape(&item.corrective_action),
            escape(&item.group_name),
            item.capability.label(),
            escape(&item.responsible_org),
            escape(&item.owner),
            escape(&item.due)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn participants(h: &mut String, r: &Report) {
    h.push_str("<section class=\"appendix\" id=\"appendix-b\">\n<h2>Appendix B: Participants</h2>\n<table>\n<thead><tr><th>Group</th><th class=\"num\">Count</th><th>Names</th></tr></thead>\n<tbody>\n");
    for g in &r.participants {
        let names: Vec<String> = g.names.iter().map(|n| escape(n)).collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&g.group_name),
            g.names.len(),
            if names.is_empty() { "—".to_owned() } else { names.join(", ") }
        );
    }
    if !r.observers.is_empty() {
        let names: Vec<String> = r.observers.iter().map(|n| escape(n)).collect();
        let _ = writeln!(
            h,
            "<tr><td>Observers</td><td class=\"num\">{}</td><td>{}</td></tr>",
            names.len(),
            names.join(", ")
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() { "—".to_owned() } else { escape(text) }
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
    fn bars_scale_with_the_mean() {
        assert!(mean_bar(Some(2.5)).contains("width=\"50.0\""));
        assert!(mean_bar(None).contains("no score"));
        let h = histogram(&[0, 1, 0, 2, 0]);
        assert!(h.contains("height=\"20\""), "{h}");
        assert!(h.contains("scores 1 to 5: 0, 1, 0, 2, 0"));
    }
}
