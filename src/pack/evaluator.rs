//! The evaluator guide (staff only): the objectives with what each HSEEP rating means
//! (P/S/M/U, the words of [`Rating::meaning_in`]), then one observation sheet per inject
//! in run-of-show order: its title, time and groups, the objectives it serves, lined
//! space for observations and its expected actions as a checklist.

use std::fmt::Write;

use super::{Ctx, Document, release_short, run_order, target_names};
use crate::exercise::evaluation::Rating;

/// Writes the evaluator guide.
pub fn write(out: &mut String, c: &Ctx<'_>) {
    let (s, w) = (c.s, c.w);
    c.open_doc(out, Document::Evaluator, w.evaluator);
    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.rating_scale));
    out.push_str("<table class=\"scale\"><tbody>\n");
    for r in Rating::ALL {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", r.letter(), c.t(r.meaning_in(w.lang)));
    }
    out.push_str("</tbody></table>\n");
    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.objectives));
    if s.objectives.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", c.t(w.none));
    }
    let letters = Rating::ALL.map(|r| format!("☐ {}", r.letter())).join("   ");
    for o in &s.objectives {
        let _ = writeln!(
            out,
            "<div class=\"observation objective\"><p class=\"text\"><strong>{}</strong> {}</p>\
             <p class=\"rating-line\">{} {letters}</p></div>",
            c.t(&o.id),
            c.t(&o.text),
            c.t(&w.colon(w.rating))
        );
    }

    let _ = writeln!(out, "<h2>{}</h2>", c.t(w.observation_sheets));
    for i in run_order(s) {
        let inj = &s.injects[i];
        let _ = writeln!(
            out,
            "<div class=\"observation inject\" data-inject=\"{}\">\n<h3><span class=\"no\">{}</span>{}</h3>\n\
             <p class=\"meta\">{} · {}</p>",
            c.t(&inj.id),
            c.t(&c.numbers[i]),
            c.t(&inj.title),
            c.t(&release_short(inj, w)),
            c.t(&target_names(s, inj, w))
        );
        let served: Vec<&str> =
            s.objectives.iter().filter(|o| inj.objectives.contains(&o.id)).map(|o| o.text.as_str()).collect();
        if !served.is_empty() {
            let _ = writeln!(out, "<h4>{}</h4>", c.t(w.served_objectives));
            c.list(out, "served", served);
        }
        if !inj.expected_actions.is_empty() {
            let _ = writeln!(out, "<h4>{}</h4>", c.t(w.expected_actions));
            c.list(out, "checklist", inj.expected_actions.iter().map(|a| a.as_str()));
        }
        let _ = writeln!(out, "<h4>{}</h4>\n<div class=\"lines\"></div>\n</div>", c.t(w.observations));
    }
    out.push_str("</section>\n");
}
