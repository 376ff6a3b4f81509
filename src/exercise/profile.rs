//! The maturity profile of a profile-mode self-assessment: every participant rated their
//! own organisation on every domain's statements; this turns the scores into a profile
//! per organisation, per sector and for the room.
//!
//! The arithmetic, stated once (tests and the report recompute it this way):
//! - a rater's **domain score** is the mean of their scores for that domain's statements
//!   ("don't know" is no score); a rater with no score in a domain does not count there;
//! - a row's **cell** for a domain (the room, a sector, an organisation) is the mean of
//!   its raters' domain scores, with the lowest and highest of them and `n`, how many;
//! - means, lowest and highest are rounded to two decimals.
//!
//! Small cells: a cell with fewer than [`MIN_CELL`] raters would let a reader guess one
//! organisation's answers. The console shows every cell with its `n`; everywhere else
//! (projector, participants, exports attributed by group) such cells are withheld
//! ([`Cell::public`]).

use std::collections::BTreeMap;

use crate::ids::ParticipantId;
use crate::lang::Lang;
use crate::scenario::{AssessmentMode, Scenario};

use super::evaluation::Evaluation;
use super::state::Participant;

/// The fewest raters a cell needs before it is shown outside the console.
pub const MIN_CELL: usize = 3;

/// One domain of one row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Mean of the raters' domain scores (none without raters).
    pub mean: Option<f64>,
    /// Lowest rater's domain score.
    pub min: Option<f64>,
    /// Highest rater's domain score.
    pub max: Option<f64>,
    /// Raters with a score in the domain.
    pub n: usize,
}

impl Cell {
    /// The cell as shown outside the console: withheld (no figures, `n` kept) below
    /// [`MIN_CELL`] raters.
    pub fn public(self) -> Cell {
        if self.n >= MIN_CELL { self } else { Cell { mean: None, min: None, max: None, n: self.n } }
    }

    fn of(scores: &[f64]) -> Cell {
        if scores.is_empty() {
            return Cell { mean: None, min: None, max: None, n: 0 };
        }
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Cell { mean: Some(round2(mean)), min: Some(round2(min)), max: Some(round2(max)), n: scores.len() }
    }
}

/// A row of the profile: the room, a sector or an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Sector id or organisation name; none for the room, or for "no sector given".
    pub key: Option<String>,
    /// What a reader sees.
    pub label: String,
    /// Participants of the row who scored at least one statement.
    pub raters: usize,
    /// One cell per domain, in the order of [`Profile::domains`].
    pub cells: Vec<Cell>,
}

/// The whole profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The domains (group id, name), in scenario order.
    pub domains: Vec<(String, String)>,
    /// The room.
    pub overall: Row,
    /// Each scenario sector with raters, in scenario order, then those who gave none.
    pub sectors: Vec<Row>,
    /// Each organisation with raters, first named first.
    pub organisations: Vec<Row>,
}

impl Row {
    /// The row as shown outside the console: cells under [`MIN_CELL`] raters withheld.
    pub fn public(mut self) -> Row {
        self.cells = self.cells.into_iter().map(Cell::public).collect();
        self
    }
}

impl Profile {
    /// The profile as shown outside the console (projector, group-attributed
    /// exports): the room and the sectors with small cells withheld, no organisation.
    pub fn public(self) -> Profile {
        Profile {
            domains: self.domains,
            overall: self.overall.public(),
            sectors: self.sectors.into_iter().map(Row::public).collect(),
            organisations: vec![],
        }
    }
}

/// What the room's row is called, in `lang`.
pub fn room_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "All participants",
        Lang::Fr => "Ensemble des participants",
    }
}

/// What the row of the participants who named no sector is called, in `lang`.
pub fn no_sector_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No sector given",
        Lang::Fr => "Secteur non indiqué",
    }
}

/// The profile of a profile-mode self-assessment (none in group mode), its rows
/// labelled in English.
pub fn profile(scenario: &Scenario, eval: &Evaluation, participants: &[Participant]) -> Option<Profile> {
    profile_in(Lang::En, scenario, eval, participants)
}

/// [`profile`] with the room's row and the row without a sector labelled in `lang`
/// (sectors and organisations keep the scenario's and the room's words).
pub fn profile_in(lang: Lang, scenario: &Scenario, eval: &Evaluation, participants: &[Participant]) -> Option<Profile> {
    let plan = scenario.self_assessment.as_ref().filter(|p| p.mode == AssessmentMode::Profile)?;
    let domains: Vec<(String, String)> = (scenario.groups.iter())
        .filter(|g| plan.for_group(&g.id).next().is_some())
        .map(|g| (g.id.clone(), g.name.to_string()))
        .collect();
    let domain_of: BTreeMap<&str, usize> = (plan.statements.iter())
        .filter_map(|s| domains.iter().position(|(d, _)| *d == s.group).map(|i| (s.id.as_str(), i)))
        .collect();
    // Each rater's domain scores.
    let mut sums: BTreeMap<ParticipantId, Vec<(f64, usize)>> = BTreeMap::new();
    for ((statement, who), score) in &eval.scores {
        if let Some(&d) = domain_of.get(statement.as_str()) {
            let row = sums.entry(*who).or_insert_with(|| vec![(0.0, 0); domains.len()]);
            row[d].0 += f64::from(*score);
            row[d].1 += 1;
        }
    }
    let domain_scores: BTreeMap<ParticipantId, Vec<Option<f64>>> = sums
        .into_iter()
        .map(|(who, row)| (who, row.into_iter().map(|(sum, n)| (n > 0).then(|| sum / n as f64)).collect()))
        .collect();
    let row = |key: Option<String>, label: String, raters: Vec<&Participant>| {
        let rated: Vec<&Vec<Option<f64>>> = raters.iter().filter_map(|p| domain_scores.get(&p.id)).collect();
        let cells = (0..domains.len())
            .map(|d| Cell::of(&rated.iter().filter_map(|scores| scores[d]).collect::<Vec<f64>>()))
            .collect();
        Row { key, label, raters: rated.len(), cells }
    };
    let everyone: Vec<&Participant> = participants.iter().collect();
    let mut sectors: Vec<Row> = (scenario.sectors.iter())
        .map(|s| row(Some(s.id.clone()), s.label.to_string(), of(participants, |p| p.sector.as_deref() == Some(&s.id))))
        .filter(|r| r.raters > 0)
        .collect();
    let unsorted = row(None, no_sector_label(lang).into(), of(participants, |p| p.sector.is_none()));
    if unsorted.raters > 0 && !scenario.sectors.is_empty() {
        sectors.push(unsorted);
    }
    let mut organisations: Vec<&str> = Vec::new();
    for o in participants.iter().filter_map(|p| p.organisation.as_deref()) {
        if !organisations.contains(&o) {
            organisations.push(o);
        }
    }
    let organisations = (organisations.into_iter())
        .map(|o| row(Some(o.to_owned()), o.to_owned(), of(participants, |p| p.organisation.as_deref() == Some(o))))
        .filter(|r| r.raters > 0)
        .collect();
    Some(Profile { overall: row(None, room_label(lang).into(), everyone), sectors, organisations, domains })
}

fn of(participants: &[Participant], keep: impl Fn(&Participant) -> bool) -> Vec<&Participant> {
    participants.iter().filter(|p| keep(p)).collect()
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_the_mean_of_the_raters_domain_scores_and_small_ones_stay_private() {
        let cell = Cell::of(&[2.0, 3.5, 4.0]);
        assert_eq!(cell, Cell { mean: Some(3.17), min: Some(2.0), max: Some(4.0), n: 3 });
        assert_eq!(cell.public(), cell);
        let two = Cell::of(&[1.0, 5.0]);
        assert_eq!(two.public(), Cell { mean: None, min: None, max: None, n: 2 }, "fewer than three: withheld");
        assert_eq!(Cell::of(&[]).n, 0);
    }
}
