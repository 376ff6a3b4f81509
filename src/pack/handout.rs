//! Participant handouts: one page per group — the exercise's title, the group's name,
//! focus and breakout room, the ground rules, and how to join: the join address with
//! its QR code (drawn here as SVG) and the join code when known, else a line saying the
//! facilitator gives them. Nothing about the injects.

use std::fmt::Write;

use qrcode::QrCode;
use qrcode::render::svg;

use super::{Ctx, Document};

/// Writes one handout per group.
pub fn write(out: &mut String, c: &Ctx<'_>) {
    let (s, w) = (c.s, c.w);
    c.open_doc(out, Document::Handouts, w.handouts);
    let join = c.o.join_url.as_deref().map(|url| (url, qr(url)));
    for g in &s.groups {
        let _ = writeln!(
            out,
            "<article class=\"page handout\" data-group=\"{}\">\n<p class=\"kicker\">{} · {}</p>\n<h2>{}</h2>",
            c.t(&g.id),
            c.t(w.handout),
            c.t(&s.title),
            c.t(&g.name)
        );
        out.push_str("<dl class=\"facts\">\n");
        if !g.focus.trim().is_empty() {
            let _ = writeln!(out, "<dt>{}</dt><dd class=\"text\">{}</dd>", c.t(w.focus), c.t(&g.focus));
        }
        if let Some(room) = s.breakout_room(&g.id) {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", c.t(w.room), c.t(&room));
        }
        out.push_str("</dl>\n");
        let _ = writeln!(out, "<h3>{}</h3>", c.t(w.how_to_join));
        match &join {
            Some((url, code)) => {
                let _ = writeln!(
                    out,
                    "<div class=\"join-box\">{}<div><p>{}</p><p class=\"join-url\">{}</p>{}</div></div>",
                    code.as_deref().unwrap_or_default(),
                    c.t(w.join_scan),
                    c.t(url),
                    c.o.join_code
                        .as_deref()
                        .map(|k| format!(
                            "<p>{} <strong class=\"join-url\">{}</strong></p>",
                            c.t(&w.colon(w.join_code)),
                            c.t(k)
                        ))
                        .unwrap_or_default()
                );
            }
            None => {
                let _ = writeln!(out, "<p class=\"join-given\">{}</p>", c.t(w.join_given));
            }
        }
        if !s.ground_rules.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>", c.t(w.ground_rules));
            c.list(out, "rules", s.ground_rules.iter().map(|r| r.as_str()));
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}

/// The join address as an SVG QR code (its XML declaration dropped: it goes inline);
/// `None` when the address is too long for a QR code.
fn qr(url: &str) -> Option<String> {
    let code = QrCode::new(url.as_bytes()).ok()?;
    let svg = code.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    Some(svg.find("<svg").map_or(svg.clone(), |i| svg[i..].to_owned()))
}
