//! The printable exercise pack: the paper side of an exercise, built from the scenario
//! file alone, for the room whose network fails (and for the binder on the table).
//!
//! One HTML page with a print stylesheet (A4, the handling marking and "Page N of M" in
//! every page's margins, each document and each card from a new page), printed to PDF
//! by the same headless Chromium as the after-action report
//! ([`crate::debrief::export::pdf`]). The documents, in order:
//!
//! - [`sitman`]: the situation manual, for everyone: overview, objectives, groups, the
//!   schedule (the lanes chart of [`lanes`] and the contingency injects), ground rules
//!   and roles.
//! - [`guide`]: the facilitator guide, staff only: the run of show (play time T+mm and,
//!   with a start time, the clock), every inject with its questions per group, expected
//!   actions, facilitator notes and condition, then the hot-wash prompts.
//! - [`evaluator`]: the evaluator guide, staff only: the objectives with the P/S/M/U
//!   scale, then an observation sheet per inject with its expected actions as a
//!   checklist.
//! - [`handout`]: one page per group, for participants: the group, its focus, the
//!   ground rules and how to join (the join address and its QR code when known).
//! - [`cards`]: one page per inject per targeted group, for participants: the inject as
//!   that group reads it (attachments, that group's questions, the poll) and a box for
//!   the answer; the offline fallback.
//!
//! What a participant may not see never reaches the handouts and the cards: they are
//! written from the inject's participant-side fields only (no expected actions, no
//! facilitator notes, no condition, no other group's questions). The staff documents
//! carry "Staff only" in every page's margin (a named `@page`). [`Documents`] picks
//! which documents are printed (`--only cards,handouts`). Every scenario text is
//! escaped ([`crate::charts::escape`]); the page has no script. Fixed words are in
//! [`words`], English and French.

pub mod cards;
pub mod evaluator;
pub mod guide;
pub mod handout;
pub mod lanes;
mod page;
pub mod sitman;
pub mod words;

#[cfg(test)]
mod tests;

use std::fmt::Write;

use crate::lang::Lang;
use crate::scenario::{Inject, Scenario};
pub use page::render;
use words::Words;

/// One document of the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The situation manual.
    Sitman,
    /// The facilitator guide (staff only).
    Guide,
    /// The evaluator guide (staff only).
    Evaluator,
    /// One handout per group.
    Handouts,
    /// One card per inject per targeted group.
    Cards,
}

impl Document {
    /// Every document, in the pack's order.
    pub const ALL: [Document; 5] =
        [Document::Sitman, Document::Guide, Document::Evaluator, Document::Handouts, Document::Cards];

    /// The name `--only` and `?only=` take.
    pub fn name(self) -> &'static str {
        match self {
            Document::Sitman => "sitman",
            Document::Guide => "guide",
            Document::Evaluator => "evaluator",
            Document::Handouts => "handouts",
            Document::Cards => "cards",
        }
    }

    /// Whether only the exercise staff may read it.
    pub fn staff_only(self) -> bool {
        matches!(self, Document::Guide | Document::Evaluator)
    }
}

/// The documents to print, in the pack's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents(Vec<Document>);

impl Default for Documents {
    fn default() -> Self {
        Documents(Document::ALL.to_vec())
    }
}

impl Documents {
    /// A comma-separated list of document names (`cards,handouts`); `participants`
    /// stands for the handouts and the cards, `all` for every document.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut picked = Vec::new();
        for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word.to_ascii_lowercase().as_str() {
                "all" => picked.extend(Document::ALL),
                "participants" => picked.extend([Document::Handouts, Document::Cards]),
                w => picked.push(Document::ALL.into_iter().find(|d| d.name() == w).ok_or_else(|| {
                    format!(
                        "unknown document \"{word}\": use sitman, guide, evaluator, handouts, cards, participants or all"
                    )
                })?),
            }
        }
        if picked.is_empty() {
            return Err("no document named: use sitman, guide, evaluator, handouts, cards, participants or all".into());
        }
        Ok(Documents(Document::ALL.into_iter().filter(|d| picked.contains(d)).collect()))
    }

    /// Whether `d` is printed.
    pub fn has(&self, d: Document) -> bool {
        self.0.contains(&d)
    }

    /// The documents, in the pack's order.
    pub fn iter(&self) -> impl Iterator<Item = Document> + '_ {
        self.0.iter().copied()
    }
}

/// How to build a pack.
#[derive(Debug, Clone, Default)]
pub struct PackOptions {
    /// The language asked for; none: the scenario's.
    pub lang: Option<Lang>,
    /// The join address for the handouts (and its QR code); none: the facilitator gives it.
    pub join_url: Option<String>,
    /// The join code, printed under the address when known.
    pub join_code: Option<String>,
    /// The wall-clock time play starts at, in minutes after midnight (`--start HH:MM`).
    pub start_minutes: Option<u32>,
    /// Which documents to print.
    pub documents: Documents,
}

/// `HH:MM` (24-hour) as minutes after midnight.
pub fn parse_start(s: &str) -> Result<u32, String> {
    let bad = || format!("\"{s}\" is not a start time: use HH:MM, e.g. 09:30");
    let (h, m) = s.trim().split_once([':', 'h', 'H']).ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// The inject's condition in plain words, for the facilitator guide; `None` when it has
/// none.
pub fn condition_words(inject: &Inject, scenario: &Scenario, lang: Lang) -> Option<String> {
    inject.when.as_ref().map(|w| w.describe(scenario, lang))
}

/// When an inject goes out, as the run of show and the inject's heading say it: `T+08`
/// for a timed inject, "contingency (released by hand)" for one without `at` or `when`,
/// "conditional (…)" for one with `when` (after its `at`, if it has one). The one place
/// that tells them apart.
pub fn release_words(inject: &Inject, w: &Words) -> String {
    match (inject.at, &inject.when) {
        (Some(at), None) => play_time(at),
        (None, None) => w.contingency.to_owned(),
        (None, Some(_)) => w.conditional.to_owned(),
        (Some(at), Some(_)) => format!("{} · {}", play_time(at), w.conditional),
    }
}

/// The same, short, for a table's time column: `T+08`, "by hand", "on condition".
pub fn release_short(inject: &Inject, w: &Words) -> String {
    match (inject.at, &inject.when) {
        (Some(at), None) => play_time(at),
        (None, None) => w.contingency_short.to_owned(),
        (None, Some(_)) => w.conditional_short.to_owned(),
        (Some(at), Some(_)) => format!("{} · {}", play_time(at), w.conditional_short),
    }
}

/// Whether the clock releases the inject (an `at` and no `when`).
fn timed(inject: &Inject) -> bool {
    inject.at.is_some() && inject.when.is_none()
}

/// Play minutes as `T+mm` (`T+7.5` for a fractional minute).
pub fn play_time(minutes: f64) -> String {
    if minutes.fract() == 0.0 { format!("T+{:02}", minutes as u64) } else { format!("T+{minutes}") }
}

/// The wall-clock time of a play minute, from a start time (minutes after midnight).
pub fn clock_time(start_minutes: u32, at: f64) -> String {
    let total = (f64::from(start_minutes) + at).round() as u64 % (24 * 60);
    format!("{:02}:{:02}", total / 60, total % 60)
}

/// The injects' numbers: timed injects `1`, `2`… in release order, then the others
/// (contingency and conditional) `C1`, `C2`… in file order; indexed like `scenario.injects`.
pub fn numbers(s: &Scenario) -> Vec<String> {
    let mut out = vec![String::new(); s.injects.len()];
    for (n, i) in s.timed_order().into_iter().enumerate() {
        out[i] = (n + 1).to_string();
    }
    for (n, i) in (0..s.injects.len()).filter(|&i| !timed(&s.injects[i])).enumerate() {
        out[i] = format!("C{}", n + 1);
    }
    out
}

/// Indices of the injects in run-of-show order: timed ones by release, then the
/// contingency and conditional ones in file order.
pub fn run_order(s: &Scenario) -> Vec<usize> {
    let mut order = s.timed_order();
    order.extend((0..s.injects.len()).filter(|&i| !timed(&s.injects[i])));
    order
}

/// The names of the groups an inject goes to, joined; "All groups" for `all`.
fn target_names(s: &Scenario, inject: &Inject, w: &Words) -> String {
    match inject.targets {
        crate::scenario::Targets::All => w.all_groups.to_owned(),
        crate::scenario::Targets::Groups(_) => {
            s.target_groups(inject).map(|g| g.name.to_string()).collect::<Vec<_>>().join(", ")
        }
    }
}

/// What the documents write with: the scenario as read, the words, the options, the
/// injects' numbers.
pub struct Ctx<'a> {
    pub s: &'a Scenario,
    pub w: &'static Words,
    pub o: &'a PackOptions,
    pub numbers: Vec<String>,
}

impl Ctx<'_> {
    /// Text as HTML: typeset for the language, escaped.
    pub fn t(&self, text: &str) -> String {
        crate::charts::escape(&self.w.lang.typeset(text))
    }

    /// A paragraph of scenario text, line breaks kept.
    pub fn prose(&self, out: &mut String, class: &str, text: &str) {
        if !text.trim().is_empty() {
            let _ = writeln!(out, "<p class=\"text {class}\">{}</p>", self.t(text.trim()));
        }
    }

    /// A list of texts (`<ul>`), nothing when empty.
    pub fn list<'t>(&self, out: &mut String, class: &str, items: impl IntoIterator<Item = &'t str>) {
        let items: Vec<&str> = items.into_iter().filter(|i| !i.trim().is_empty()).collect();
        if items.is_empty() {
            return;
        }
        let _ = writeln!(out, "<ul class=\"{class}\">");
        for i in items {
            let _ = writeln!(out, "<li class=\"text\">{}</li>", self.t(i.trim()));
        }
        out.push_str("</ul>\n");
    }

    /// Opens a document's section: a named page (its margin says what it is, and "Staff
    /// only" on staff documents), its kicker and title — but for the handouts and cards,
    /// whose pages are whole sheets that say in their margin and head what they are.
    pub fn open_doc(&self, out: &mut String, d: Document, title: &str) {
        let _ = writeln!(out, "<section class=\"doc {}\" data-doc=\"{}\">", d.name(), d.name());
        if matches!(d, Document::Handouts | Document::Cards) {
            return;
        }
        if d.staff_only() {
            let _ = writeln!(out, "<p class=\"staff-banner\">{}</p>", self.t(self.w.staff_only));
        }
        let _ = writeln!(out, "<p class=\"kicker\">{}</p>", self.t(&self.s.title));
        let _ = writeln!(out, "<h1>{}</h1>", self.t(title));
    }
}
