//! The pack's HTML page: the head with the print stylesheet, the page margins (the
//! handling marking, "Page N of M", and per document its name top left and, on the
//! staff documents, "Staff only" top right, as named `@page` rules), then each
//! document chosen.

use std::fmt::Write;

use super::words::Words;
use super::{Ctx, Document, PackOptions, cards, evaluator, guide, handout, sitman};
use crate::debrief::export::html::css_string;
use crate::scenario::Scenario;

const STYLE: &str = include_str!("pack.css");

/// The pack of `scenario` as one self-contained HTML page (no script; images inline).
pub fn render(scenario: &Scenario, options: &PackOptions) -> String {
    let lang = options.lang.unwrap_or(scenario.language);
    let s = scenario.in_lang(scenario.reading_lang(Some(lang)));
    let w = Words::of(lang);
    let c = Ctx { numbers: super::numbers(&s), s: &s, w, o: options };
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
        lang.code(),
        c.t(w.pack),
        c.t(&s.title),
        margins(&s.report.marking, w)
    );
    let mut any = false;
    for d in options.documents.iter() {
        any = true;
        match d {
            Document::Sitman => sitman::write(&mut out, &c),
            Document::Guide => guide::write(&mut out, &c),
            Document::Evaluator => evaluator::write(&mut out, &c),
            Document::Handouts => handout::write(&mut out, &c),
            Document::Cards => cards::write(&mut out, &c),
        }
    }
    if !any {
        let _ = writeln!(out, "<p>{}</p>", c.t(w.nothing_selected));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The name a document's pages carry in their top-left margin.
fn margin_name(d: Document, w: &Words) -> &'static str {
    match d {
        Document::Sitman => w.sitman,
        Document::Guide => w.guide,
        Document::Evaluator => w.evaluator,
        Document::Handouts => w.handout,
        Document::Cards => w.card,
    }
}

/// The page margins: the marking at the top and bottom of every page, the page number
/// bottom right, and each document's name top left (its pages are a named page).
fn margins(marking: &str, w: &Words) -> String {
    let mut css = String::from("@page {\n");
    if !marking.trim().is_empty() {
        let m = css_string(marking.trim());
        let _ = writeln!(css, "  @top-center {{ content: {m}; }}\n  @bottom-center {{ content: {m}; }}");
    }
    let _ = writeln!(css, "  @bottom-right {{ content: {}; }}\n}}", w.page_of);
    for d in Document::ALL {
        let staff = if d.staff_only() {
            format!(" @top-right {{ content: {}; color: #b91c1c; font-weight: 700; }}", css_string(w.staff_only))
        } else {
            String::new()
        };
        let _ = writeln!(
            css,
            "@page {0} {{ @top-left {{ content: {1}; }}{staff} }}\nsection.doc.{0} {{ page: {0}; }}",
            d.name(),
            css_string(margin_name(d, w)),
        );
    }
    css
}
