//! Inject cards, for participants: one page per inject per targeted group, in run-of-show
//! order — the inject as that group reads it (number, release time, title, sender and
//! channel, text, attachments: text inline, images embedded, other files named), that
//! group's questions only, the poll's options as tick boxes, and a box for the answer
//! that takes the rest of the page. The offline fallback.
//!
//! Only participant-side fields are read here: never the expected actions, the
//! facilitator notes or the condition (the tests hold the cards to that).

use std::fmt::Write;

use super::{Ctx, Document, play_time, run_order};
use crate::scenario::attachment::FileKind;
use crate::scenario::{Attachment, Inject, ResponseKind};

/// Writes every card.
pub fn write(out: &mut String, c: &Ctx<'_>) {
    let (s, w) = (c.s, c.w);
    c.open_doc(out, Document::Cards, w.cards);
    for i in run_order(s) {
        let inj = &s.injects[i];
        for g in s.target_groups(inj) {
            let _ = writeln!(
                out,
                "<article class=\"page card\" data-inject=\"{}\" data-group=\"{}\">\n<div class=\"card-head\">\
                 <span class=\"kicker\">{} {}{}</span><span class=\"group\">{}</span></div>\n\
                 <h2><span class=\"no\">{}</span>{}</h2>",
                c.t(&inj.id),
                c.t(&g.id),
                c.t(w.card),
                c.t(&c.numbers[i]),
                inj.at.map(|at| format!(" · {}", play_time(at))).unwrap_or_default(),
                c.t(&g.name),
                c.t(&c.numbers[i]),
                c.t(&inj.title)
            );
            sender(out, c, inj);
            let _ = writeln!(out, "<blockquote class=\"text\">{}</blockquote>", c.t(inj.body.trim()));
            if !inj.attachments.is_empty() {
                out.push_str("<div class=\"attachments\">\n");
                for a in &inj.attachments {
                    attachment(out, c, a);
                }
                out.push_str("</div>\n");
            }
            let questions = inj.questions_for(&g.id);
            if !questions.is_empty() {
                let _ = writeln!(out, "<h3>{}</h3>", c.t(w.questions));
                out.push_str("<ol class=\"questions\">\n");
                for q in &questions {
                    let _ = writeln!(out, "<li class=\"text\">{}</li>", c.t(q));
                }
                out.push_str("</ol>\n");
            }
            poll(out, c, inj);
            let prompt = if inj.collect_improvements { w.improvements_prompt } else { w.your_answer };
            let _ = writeln!(
                out,
                "<div class=\"answer\"><h3>{}</h3><div class=\"lines\"></div></div>\n</article>",
                c.t(prompt)
            );
        }
    }
    out.push_str("</section>\n");
}

/// The inject's sender and channel, as participants read them.
pub(super) fn sender(out: &mut String, c: &Ctx<'_>, inj: &Inject) {
    let w = c.w;
    let mut parts = Vec::new();
    if let Some(from) = inj.from.as_deref().filter(|f| !f.trim().is_empty()) {
        parts.push(format!("<strong>{}</strong> {}", c.t(&w.colon(w.from)), c.t(from)));
    }
    if let Some(channel) = inj.channel.as_deref().filter(|f| !f.trim().is_empty()) {
        parts.push(format!("<strong>{}</strong> {}", c.t(&w.colon(w.channel)), c.t(channel)));
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "<p class=\"sender\">{}</p>", parts.join(" · "));
    }
}

/// A poll's options as tick boxes; nothing for free text.
pub(super) fn poll(out: &mut String, c: &Ctx<'_>, inj: &Inject) {
    let ResponseKind::Choice { options, multiple } = &inj.response else { return };
    let _ = writeln!(out, "<h3>{}</h3>", c.t(if *multiple { c.w.poll_several } else { c.w.poll }));
    c.list(out, "ticks", options.iter().map(|o| o.label.as_str()));
}

/// One attachment as printed: a text handout inline, an image embedded, a link or any
/// other file named.
fn attachment(out: &mut String, c: &Ctx<'_>, a: &Attachment) {
    out.push_str("<div class=\"attachment\">\n");
    if !a.title.trim().is_empty() {
        let _ = writeln!(out, "<h4>{}</h4>", c.t(&a.title));
    }
    if let Some(text) = a.text.as_deref() {
        let _ = writeln!(out, "<blockquote class=\"text\">{}</blockquote>", c.t(text.trim()));
    }
    if let Some(url) = a.url.as_deref() {
        let _ = writeln!(out, "<p class=\"url\">{}</p>", c.t(url));
    }
    if let Some(file) = a.file.as_deref() {
        let alt = a.alt.as_deref().or(a.caption.as_deref()).unwrap_or(file);
        let image = a
            .content
            .as_ref()
            .filter(|f| f.kind() == FileKind::Image)
            .and_then(|f| f.bytes.as_ref().map(|b| format!("data:{};base64,{}", f.media_type, base64(b))));
        match image {
            Some(src) => {
                let _ = writeln!(out, "<img src=\"{}\" alt=\"{}\">", c.t(&src), c.t(alt));
            }
            None => {
                let _ = writeln!(out, "<p class=\"file\">{} {}</p>", c.t(&c.w.colon(c.w.file)), c.t(file));
            }
        }
        if let Some(caption) = a.caption.as_deref() {
            let _ = writeln!(out, "<p class=\"caption text\">{}</p>", c.t(caption));
        }
    }
    out.push_str("</div>\n");
}

/// Standard base64 (RFC 4648, with padding), for the images' `data:` URLs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads_like_rfc_4648() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
