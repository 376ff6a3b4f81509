//! The facilitator guide (staff only): the run of show — number, play time, the clock
//! when a start time is given, inject, groups, answer window — then each inject in that
//! order with its sender and channel, its condition in plain words, its text, its
//! questions per group, its poll, expected actions and facilitator notes; then the
//! hot-wash prompts.

use std::fmt::Write;

use super::{Ctx, Document, clock_time, condition_words, release_short, release_words, run_order, target_names};
use crate::scenario::Inject;

/// Writes the facilitator guide.
pub fn write(out: &mut String, c: &Ctx<'_>) {
    let (s, w) = (c.s, c.w);
    c.open_doc(out, Document::Guide, w.guide);
    let order = run_order(s);
    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.run_of_show));
    let clock = c.o.start_minutes;
    let _ = write!(out, "<table class=\"run\"><thead><tr><th>{}</th><th class=\"time\">T+</th>", c.t(w.number));
    if clock.is_some() {
        let _ = write!(out, "<th class=\"time\">{}</th>", c.t(w.clock));
    }
    let _ = writeln!(
        out,
        "<th>{}</th><th>{}</th><th class=\"time\">{}</th></tr></thead><tbody>",
        c.t(w.inject),
        c.t(w.targets),
        c.t(w.answer_within)
    );
    for &i in &order {
        let inj = &s.injects[i];
        let _ =
            write!(out, "<tr><td>{}</td><td class=\"time\">{}</td>", c.t(&c.numbers[i]), c.t(&release_short(inj, w)));
        if let Some(start) = clock {
            let time = inj.at.map(|at| clock_time(start, at)).unwrap_or_default();
            let _ = write!(out, "<td class=\"time\">{time}</td>");
        }
        let when = condition_words(inj, s, w.lang)
            .map_or_else(String::new, |words| format!("<br><small class=\"condition\">{}</small>", c.t(&words)));
        let _ = writeln!(
            out,
            "<td>{}{when}</td><td>{}</td><td class=\"time\">{}</td></tr>",
            c.t(&inj.title),
            c.t(&target_names(s, inj, w)),
            window(inj, w.minutes)
        );
    }
    out.push_str("</tbody></table>\n");

    for &i in &order {
        write_inject(out, c, i);
    }

    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.hot_wash));
    out.push_str("<ol class=\"hot-wash\">\n");
    for prompt in w.hot_wash_prompts {
        let _ = writeln!(out, "<li>{}</li>", c.t(prompt));
    }
    out.push_str("</ol>\n</section>\n");
}

/// The answer window, e.g. `7 min`; empty without one.
fn window(inj: &Inject, unit: &str) -> String {
    inj.respond_within_minutes.map(|m| format!("{m} {unit}")).unwrap_or_default()
}

/// One inject as the facilitator reads it, everything staff-only included.
fn write_inject(out: &mut String, c: &Ctx<'_>, i: usize) {
    let (s, w) = (c.s, c.w);
    let inj = &s.injects[i];
    let _ = writeln!(
        out,
        "<div class=\"inject\" data-inject=\"{}\">\n<h3><span class=\"no\">{}</span>{}</h3>",
        c.t(&inj.id),
        c.t(&c.numbers[i]),
        c.t(&inj.title)
    );
    let mut meta = vec![release_words(inj, w)];
    if let Some(start) = c.o.start_minutes
        && let Some(at) = inj.at
    {
        meta.push(clock_time(start, at));
    }
    meta.push(target_names(s, inj, w));
    if inj.respond_within_minutes.is_some() {
        meta.push(format!("{} {}", w.answer_within, window(inj, w.minutes)));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", c.t(&meta.join(" · ")));
    if let Some(condition) = condition_words(inj, s, w.lang) {
        let _ = writeln!(
            out,
            "<p class=\"condition\"><strong>{}</strong> {}</p>",
            c.t(&w.colon(w.condition)),
            c.t(&condition)
        );
    }
    super::cards::sender(out, c, inj);
    let _ = writeln!(out, "<blockquote class=\"text\">{}</blockquote>", c.t(inj.body.trim()));
    for a in &inj.attachments {
        let name = a.file.as_deref().unwrap_or_default();
        let label = [a.title.as_str(), a.caption.as_deref().unwrap_or_default(), name]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .unwrap_or_default();
        let _ = writeln!(out, "<p class=\"meta\">{} {}</p>", c.t(&w.colon(w.attachments)), c.t(label));
    }
    let asked: Vec<(String, Vec<String>)> = s
        .target_groups(inj)
        .map(|g| (g.name.to_string(), inj.questions_for(&g.id)))
        .filter(|(_, q)| !q.is_empty())
        .collect();
    if !asked.is_empty() {
        let _ = writeln!(out, "<h4>{}</h4>\n<dl class=\"questions\">", c.t(w.questions));
        for (group, questions) in asked {
            let _ = writeln!(out, "<dt>{}</dt>", c.t(&group));
            for q in questions {
                let _ = writeln!(out, "<dd class=\"text\">{}</dd>", c.t(&q));
            }
        }
        out.push_str("</dl>\n");
    }
    super::cards::poll(out, c, inj);
    if !inj.expected_actions.is_empty() {
        let _ = writeln!(out, "<h4>{}</h4>", c.t(w.expected_actions));
        c.list(out, "expected", inj.expected_actions.iter().map(|a| a.as_str()));
    }
    if let Some(notes) = inj.facilitator_notes.as_deref().filter(|n| !n.trim().is_empty()) {
        let _ = writeln!(
            out,
            "<div class=\"staff-note\"><strong>{}</strong>\n<p class=\"text\">{}</p></div>",
            c.t(w.facilitator_notes),
            c.t(notes.trim())
        );
    }
    out.push_str("</div>\n");
}
