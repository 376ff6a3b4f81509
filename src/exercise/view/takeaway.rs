//! A participant's take-away from a closed profile self-assessment: their
//! organisation's maturity profile next to the room's, drawn as a radar and written as a
//! one-page HTML document they can keep.
//!
//! The small-cell rule holds here as everywhere outside the console: an organisation
//! (or the room) with fewer than [`MIN_CELL`] raters is never shown. Then the
//! participant sees their own answers instead (their domain means, which are theirs to
//! see) and a line saying why; a domain cell of fewer than [`MIN_CELL`] raters in a row
//! that is shown has no figure ([`crate::exercise::profile::Cell::public`]). The view is
//! built per participant and only ever sent to that participant.
//!
//! The document, its radar and its rows' labels are in the exercise's language (the
//! scenario's `language`): [`EN`] or [`FR`] below, figures with the language's decimal
//! separator, the date written as the language writes it.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::charts::{self, Series, TextSize, escape};
use crate::exercise::profile::{MIN_CELL, Profile, Row, profile, room_label};
use crate::exercise::state::Participant;
use crate::ids::ParticipantId;
use crate::lang::{Lang, NBSP};
use crate::protocol::{DomainView, TakeawayKind, TakeawayRow, TakeawayView};
use crate::scenario::SCALE;
use crate::time::rfc3339;

use super::Localized;

/// The take-away's words in one language.
struct Words {
    /// The document's title, and the radar's.
    title: &'static str,
    /// What the participant's own answers are called.
    own: &'static str,
    /// What a figure withheld under the small-cell rule is called.
    fewer: &'static str,
    /// A domain the participant gave no score in.
    no_score: &'static str,
    /// The organisation of a participant who gave none.
    not_given: &'static str,
    /// Label of the exercise's title.
    exercise: &'static str,
    /// Label of the organisation.
    organisation: &'static str,
    /// Label of the date.
    date: &'static str,
    /// Header of the domains' column.
    domain: &'static str,
    /// Heading of the scale.
    scale: &'static str,
    /// How the figures are made.
    how: &'static str,
    /// The organisation had fewer than three raters.
    organisation_small: &'static str,
    /// The participant named no organisation.
    no_organisation: &'static str,
    /// The room had fewer than three raters.
    room_small: &'static str,
    /// The download's name, before the organisation and the date.
    file: &'static str,
}

/// English.
const EN: Words = Words {
    title: "Maturity profile",
    own: "Your answers",
    fewer: "fewer than 3",
    no_score: "no score",
    not_given: "not given",
    exercise: "Exercise:",
    organisation: "Organisation:",
    date: "Date:",
    domain: "Domain",
    scale: "The scale",
    how: "Each person rated their own organisation. A person's domain score is the mean of their scores on that \
          domain's statements (\"don't know\" is not counted); a row's figure is the mean of its raters' domain \
          scores. Figures from fewer than 3 people are never shown.",
    organisation_small: "Your organisation: fewer than 3 people rated it, so its profile is not shown. These are \
                         your own answers.",
    no_organisation: "You did not give an organisation when joining: these are your own answers.",
    room_small: "The room: fewer than 3 people rated, so its profile is not shown.",
    file: "maturity-profile",
};

/// French.
const FR: Words = Words {
    title: "Profil de maturité",
    own: "Vos réponses",
    fewer: "moins de 3",
    no_score: "aucune note",
    not_given: "non indiquée",
    exercise: "Exercice\u{a0}:",
    organisation: "Organisation\u{a0}:",
    date: "Date\u{a0}:",
    domain: "Domaine",
    scale: "L'échelle",
    how: "Chaque personne a évalué sa propre organisation. Le score d'une personne dans un domaine est la moyenne \
          de ses notes aux énoncés de ce domaine («\u{202f}je ne sais pas\u{202f}» n'est pas compté)\u{202f}; la valeur d'une \
          ligne est la moyenne des scores de ses répondants. Les valeurs issues de moins de 3 personnes ne sont \
          jamais affichées.",
    organisation_small: "Votre organisation\u{a0}: moins de 3 personnes l'ont évaluée, son profil n'est donc pas \
                         affiché. Voici vos propres réponses.",
    no_organisation: "Vous n'avez pas indiqué d'organisation en rejoignant\u{a0}: voici vos propres réponses.",
    room_small: "La salle\u{a0}: moins de 3 personnes ont répondu, son profil n'est donc pas affiché.",
    file: "profil-de-maturite",
};

impl Words {
    fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// What every participant's take-away is made from, computed once for the room: the
/// profile and each rater's own domain means (one pass over the scores, so closing a
/// room of a thousand does not read every score a thousand times).
pub(super) struct Takeaways {
    profile: Profile,
    /// Each rater's (sum, count) of scores per domain, in the profile's domain order.
    own: BTreeMap<ParticipantId, Vec<(f64, usize)>>,
}

impl Takeaways {
    /// None unless the self-assessment is a profile.
    pub(super) fn of(state: &Localized<'_>) -> Option<Takeaways> {
        let profile = profile(state.scenario, &state.evaluation, &state.participants)?;
        let plan = state.scenario.self_assessment.as_ref()?;
        let domain_of: BTreeMap<&str, usize> = (plan.statements.iter())
            .filter_map(|s| profile.domains.iter().position(|(d, _)| *d == s.group).map(|i| (s.id.as_str(), i)))
            .collect();
        let mut own: BTreeMap<ParticipantId, Vec<(f64, usize)>> = BTreeMap::new();
        for ((statement, who), score) in &state.evaluation.scores {
            if let Some(&d) = domain_of.get(statement.as_str()) {
                let sums = own.entry(*who).or_insert_with(|| vec![(0.0, 0); profile.domains.len()]);
                sums[d].0 += f64::from(*score);
                sums[d].1 += 1;
            }
        }
        Some(Takeaways { profile, own })
    }

    /// Participant `p`'s take-away, in the exercise's language.
    pub(super) fn of_participant(&self, state: &Localized<'_>, p: &Participant) -> TakeawayView {
        let lang = state.scenario.language;
        let words = Words::of(lang);
        let profile = &self.profile;
        let domains: Vec<DomainView> =
            profile.domains.iter().map(|(id, name)| DomainView { id: id.clone(), name: name.clone() }).collect();
        let organisation_row = (profile.organisations.iter())
            .find(|row| row.raters >= MIN_CELL && row.key.is_some() && row.key == p.organisation);
        let yours = match organisation_row {
            Some(row) => public_row(TakeawayKind::Organisation, row, lang),
            None => self.own_answers(p, words),
        };
        let room = public_row(TakeawayKind::Room, &profile.overall, lang);
        let axes: Vec<String> = domains.iter().map(|d| d.name.clone()).collect();
        let mut series = vec![Series { label: yours.label.clone(), values: yours.means.clone() }];
        if !room.withheld {
            series.push(Series { label: room.label.clone(), values: room.means.clone() });
        }
        let radar = charts::radar_in(lang, words.title, &axes, &series, TextSize::PHONE);
        let date = rfc3339(p.joined.wall_ms).chars().take(10).collect::<String>();
        let html = document(state, p, &domains, &yours, &room, &radar, &date);
        let file_name =
            format!("{}-{}-{date}.html", words.file, slug(p.organisation.as_deref().unwrap_or("my-answers")));
        TakeawayView { domains, organisation: p.organisation.clone(), yours, room, radar, html, file_name }
    }

    /// The participant's own domain means: the mean of their scores on each domain's
    /// statements ("don't know" is no score), as the profile counts a rater.
    fn own_answers(&self, p: &Participant, words: &Words) -> TakeawayRow {
        let sums = self.own.get(&p.id);
        let means = (0..self.profile.domains.len())
            .map(|d| match sums.map(|s| s[d]) {
                Some((sum, n)) if n > 0 => Some(round2(sum / n as f64)),
                _ => None,
            })
            .collect();
        TakeawayRow {
            kind: TakeawayKind::OwnAnswers,
            label: words.own.to_owned(),
            n: usize::from(sums.is_some()),
            means,
            withheld: false,
        }
    }
}

/// A profile row as shown outside the console: withheld whole below [`MIN_CELL`]
/// raters, and each cell below it without a figure; the room labelled in `lang`.
fn public_row(kind: TakeawayKind, row: &Row, lang: Lang) -> TakeawayRow {
    let withheld = row.raters < MIN_CELL;
    let label = if kind == TakeawayKind::Room { room_label(lang).to_owned() } else { row.label.clone() };
    TakeawayRow {
        kind,
        label,
        n: row.raters,
        means: row.cells.iter().map(|c| if withheld { None } else { c.public().mean }).collect(),
        withheld,
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A file-name-safe form of `text`: lowercase ASCII letters and digits joined by `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() { "my-organisation".to_owned() } else { out.to_owned() }
}

/// A figure for the table: the mean, or why there is none.
fn figure(row: &TakeawayRow, value: Option<f64>, lang: Lang) -> String {
    let words = Words::of(lang);
    match value {
        Some(v) => lang.decimal(v, 2),
        None if row.kind == TakeawayKind::OwnAnswers => words.no_score.to_owned(),
        None => words.fewer.to_owned(),
    }
}

/// The one-page HTML document: self-contained (inline style and SVG, no script, no
/// link), every text escaped, printable on one A4 page.
fn document(
    state: &Localized<'_>,
    p: &Participant,
    domains: &[DomainView],
    yours: &TakeawayRow,
    room: &TakeawayRow,
    radar: &str,
    date: &str,
) -> String {
    let lang = state.scenario.language;
    let words = Words::of(lang);
    let title = &state.scenario.title;
    let organisation = p.organisation.as_deref().unwrap_or(words.not_given);
    let mut html = String::with_capacity(radar.len() + 6_000);
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — {} — {}</title><style>{STYLE}</style></head><body>",
        lang.code(),
        words.title,
        escape(organisation),
        escape(title)
    );
    let _ = write!(
        html,
        "<h1>{}</h1><p class=\"meta\"><b>{}</b> {}<br><b>{}</b> {}<br><b>{}</b> {}</p>",
        words.title,
        words.exercise,
        escape(title),
        words.organisation,
        escape(organisation),
        words.date,
        escape(&lang.date(date))
    );
    for line in notes(p, yours, room, words) {
        let _ = write!(html, "<p class=\"note\">{}</p>", escape(line));
    }
    let _ = write!(html, "<figure>{radar}</figure>");
    let _ = write!(
        html,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        words.domain,
        escape(&row_heading(yours, lang)),
        escape(&row_heading(room, lang))
    );
    for (i, d) in domains.iter().enumerate() {
        let (a, b) = (yours.means.get(i).copied().flatten(), room.means.get(i).copied().flatten());
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            escape(&d.name),
            escape(&figure(yours, a, lang)),
            escape(&figure(room, b, lang))
        );
    }
    let _ = write!(html, "</tbody></table><h2>{}</h2><ol class=\"scale\">", words.scale);
    let plan = state.scenario.self_assessment.as_ref();
    for (score, _) in SCALE {
        let level = plan.map_or_else(|| crate::scenario::scale_label(score, lang), |plan| plan.level_in(score, lang));
        let (name, description) = level.split_once(':').map_or((level, ""), |(n, d)| (n.trim(), d.trim()));
        let _ = write!(html, "<li value=\"{score}\"><b>{}</b>", escape(name));
        if !description.is_empty() {
            let _ = write!(html, " — {}", escape(description));
        }
        html.push_str("</li>");
    }
    // Fixed words with no markup in them: written as they are.
    let _ = writeln!(html, "</ol><p class=\"how\">{}</p></body></html>", words.how);
    html
}

/// The heading of a row's column: its label and how many rated.
fn row_heading(row: &TakeawayRow, lang: Lang) -> String {
    match row.kind {
        TakeawayKind::OwnAnswers => row.label.clone(),
        _ if row.withheld => row.label.clone(),
        _ => format!("{} (n{NBSP}={NBSP}{})", row.label, lang.integer(row.n)),
    }
}

/// The lines that say what is not shown, and why.
fn notes(p: &Participant, yours: &TakeawayRow, room: &TakeawayRow, words: &Words) -> Vec<&'static str> {
    let mut out = Vec::new();
    if yours.kind == TakeawayKind::OwnAnswers {
        out.push(if p.organisation.is_some() { words.organisation_small } else { words.no_organisation });
    }
    if room.withheld {
        out.push(words.room_small);
    }
    out
}

/// The inline stylesheet of the document: readable on a phone, one A4 page in print.
const STYLE: &str = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;\
max-width:46rem;margin:1.5rem auto;padding:0 1rem}h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.1rem;\
margin:1.2rem 0 .4rem}.meta{color:#374151}.note{background:#fef3c7;border-left:4px solid #b45309;padding:.4rem .6rem}\
figure{margin:.5rem 0}figure svg{max-width:100%;height:auto}table{border-collapse:collapse;width:100%}\
th,td{border-bottom:1px solid #e5e7eb;padding:.3rem .4rem;text-align:left}td{font-variant-numeric:tabular-nums}\
.scale{padding-left:1.4rem}.how{color:#4b5563;font-size:.85rem}\
@media print{@page{size:A4;margin:12mm}body{margin:0;max-width:none;font-size:11pt}figure svg{max-height:95mm}\
.note{border-left-color:#000}}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_is_a_lowercase_ascii_slug() {
        assert_eq!(slug("Central Bank of The Gambia"), "central-bank-of-the-gambia");
        assert_eq!(slug("  <Ü&>  "), "my-organisation");
        assert_eq!(slug("BaobabPay / e-money"), "baobabpay-e-money");
    }
}
