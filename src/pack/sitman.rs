//! The situation manual (SITMAN), for everyone in the room: the overview (title,
//! summary, organiser, venue, marking, play time), the objectives, the groups with their
//! focus and breakout room, the schedule (lanes chart; injects outside it are not named), the
//! ground rules and the roles. Nothing staff-only: no inject text, no expected actions.

use std::fmt::Write;

use super::{Ctx, Document, lanes};
use crate::scenario::AnswerMode;

/// Writes the SITMAN.
pub fn write(out: &mut String, c: &Ctx<'_>) {
    let (s, w) = (c.s, c.w);
    c.open_doc(out, Document::Sitman, w.sitman);
    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.overview));
    let _ = writeln!(out, "<h3 class=\"title\">{}</h3>", c.t(&s.title));
    c.prose(out, "summary", &s.summary);
    out.push_str("<dl class=\"facts\">\n");
    let duration = format!("{} {}", s.duration_minutes, w.minutes);
    for (label, value) in [
        (w.organiser, s.report.organiser.as_str()),
        (w.venue, s.report.venue.as_str()),
        (w.marking, s.report.marking.as_str()),
        (w.play_time, duration.as_str()),
    ] {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", c.t(label), c.t(value));
        }
    }
    out.push_str("</dl>\n");

    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.objectives));
    if s.objectives.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", c.t(w.none));
    } else {
        out.push_str("<ol class=\"objectives\">\n");
        for o in &s.objectives {
            let _ = writeln!(out, "<li class=\"text\">{}</li>", c.t(&o.text));
        }
        out.push_str("</ol>\n");
    }

    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.groups));
    let _ = writeln!(
        out,
        "<table class=\"groups\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        c.t(w.group),
        c.t(w.focus),
        c.t(w.room)
    );
    for g in &s.groups {
        let room = s.breakout_room(&g.id).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"text\">{}</td><td class=\"room\">{}</td></tr>",
            c.t(&g.name),
            c.t(&g.focus),
            c.t(&room)
        );
    }
    out.push_str("</tbody></table>\n");

    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.schedule));
    let chart = lanes::chart(s, &c.numbers, [w.lanes_legend_release, w.lanes_legend_window, w.minutes]);
    let _ = writeln!(out, "<figure class=\"lanes\">{chart}<figcaption>{}</figcaption></figure>", c.t(w.lanes_intro));
    let _ = writeln!(out, "<h3>{}</h3>", c.t(w.contingency_injects));
    // Participants read the SITMAN: injects released by hand or by a condition are the
    // facilitator's surprise, so they are counted out, never named.
    let unscheduled = s.injects.iter().any(|i| !super::timed(i));
    let _ = writeln!(out, "<p>{}</p>", c.t(if unscheduled { w.unscheduled } else { w.no_contingency }));

    if !s.ground_rules.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>", c.t(w.ground_rules));
        c.list(out, "rules", s.ground_rules.iter().map(|r| r.as_str()));
    }

    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.roles));
    let mut roles = vec![w.role_facilitator, w.role_groups];
    if s.answer_mode == AnswerMode::Group {
        roles.push(w.role_scribe);
    }
    roles.push(w.role_observers);
    c.list(out, "roles", roles);
    out.push_str("</section>\n");
}
