//! The shape of a scenario before anyone plays it: per group, a lane of its timed
//! injects over play time (release, answer window, questions), its idle gaps and its
//! question count; which injects serve each objective; the contingency injects; and the
//! [`super::lint`] warnings. Pure: computed from a [`Scenario`] alone, so the console's
//! upload check and `GET /api/scenarios/{id}/preview` show the same thing.

use serde::Serialize;

use super::{Inject, Scenario};

/// A scenario's schedule and coverage, for the author and the facilitator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    /// The scenario's id.
    pub id: String,
    /// Its title, in its main language.
    pub title: String,
    /// Planned play minutes: the lanes' right edge.
    pub duration_minutes: u32,
    /// One lane per group, in the scenario's group order.
    pub lanes: Vec<Lane>,
    /// Each objective and the injects (timed or contingency) that serve it.
    pub objectives: Vec<ObjectiveCoverage>,
    /// Injects without `at` or `when`: released by hand, not in any lane.
    pub contingency: Vec<InjectRef>,
    /// Injects with `when`: released when groups do (or fail to do) something, not in
    /// any lane; each with its condition in plain words.
    pub conditional: Vec<ConditionalRef>,
    /// The lint warnings, as messages (the upload check also gives them located).
    pub warnings: Vec<String>,
}

/// One group's timed injects over play time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    /// The group's id.
    pub group_id: String,
    /// Its display name.
    pub name: String,
    /// The timed injects it receives, in release order.
    pub injects: Vec<LaneInject>,
    /// Questions it is asked across those injects.
    pub questions: usize,
    /// Play time without a new inject: between consecutive injects, then to the end.
    pub gaps: Vec<Gap>,
}

/// A timed inject in a group's lane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneInject {
    /// The inject's id.
    pub id: String,
    /// Its headline.
    pub title: String,
    /// Release, in play minutes.
    pub at_minutes: f64,
    /// The answer window, in play minutes (none: no deadline).
    pub respond_within_minutes: Option<f64>,
    /// Questions this group is asked in it.
    pub questions: usize,
}

/// A stretch of play time in which a group receives nothing new.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// From this play minute (the previous release; 0 when the group starts late).
    pub from_minutes: f64,
    /// To this play minute (the next release, or the end of play).
    pub to_minutes: f64,
    /// Its length in minutes.
    pub minutes: f64,
    /// Longer than [`idle_limit_minutes`]: the lint warns about it between two injects.
    pub long: bool,
}

/// An objective and the injects that serve it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveCoverage {
    /// The objective's id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Ids of the injects that list it, in file order.
    pub injects: Vec<String>,
}

/// An inject named by id and headline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InjectRef {
    /// The inject's id.
    pub id: String,
    /// Its headline.
    pub title: String,
}

/// A conditional inject and what releases it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionalRef {
    /// The inject's id.
    pub id: String,
    /// Its headline.
    pub title: String,
    /// Its condition in plain words, in the scenario's language.
    pub when: String,
}

/// The longest a group may wait between two of its injects before the lint warns:
/// 8 minutes, or a quarter of the play time when that is longer.
pub fn idle_limit_minutes(s: &Scenario) -> f64 {
    (f64::from(s.duration_minutes) / 4.0).max(8.0)
}

/// The timed injects `group_id` receives, in release order.
pub fn timed_for<'a>(s: &'a Scenario, group_id: &str) -> Vec<&'a Inject> {
    s.timed_order().into_iter().map(|i| &s.injects[i]).filter(|inj| inj.targets.includes(group_id)).collect()
}

/// The preview of a scenario.
pub fn preview(s: &Scenario) -> Preview {
    let limit = idle_limit_minutes(s);
    let end = f64::from(s.duration_minutes);
    let lanes = s
        .groups
        .iter()
        .map(|g| {
            let injects: Vec<LaneInject> = timed_for(s, &g.id)
                .into_iter()
                .map(|inj| LaneInject {
                    id: inj.id.clone(),
                    title: inj.title.to_string(),
                    at_minutes: inj.at.unwrap_or_default(),
                    respond_within_minutes: inj.respond_within_minutes,
                    questions: inj.questions_for(&g.id).len(),
                })
                .collect();
            let mut gaps = Vec::new();
            let mut from = 0.0;
            for (i, inj) in injects.iter().enumerate() {
                if inj.at_minutes > from {
                    let between = i > 0;
                    gaps.push(gap(from, inj.at_minutes, between && inj.at_minutes - from > limit));
                }
                from = inj.at_minutes;
            }
            if end > from {
                gaps.push(gap(from, end, false));
            }
            Lane {
                group_id: g.id.clone(),
                name: g.name.to_string(),
                questions: injects.iter().map(|i| i.questions).sum(),
                injects,
                gaps,
            }
        })
        .collect();
    let objectives = s
        .objectives
        .iter()
        .map(|o| ObjectiveCoverage {
            id: o.id.clone(),
            text: o.text.to_string(),
            injects: s.injects.iter().filter(|i| i.objectives.contains(&o.id)).map(|i| i.id.clone()).collect(),
        })
        .collect();
    let contingency = s
        .injects
        .iter()
        .filter(|i| i.at.is_none() && i.when.is_none())
        .map(|i| InjectRef { id: i.id.clone(), title: i.title.to_string() })
        .collect();
    let conditional = s
        .injects
        .iter()
        .filter_map(|i| {
            let when = i.when.as_ref()?.describe(s, s.language);
            Some(ConditionalRef { id: i.id.clone(), title: i.title.to_string(), when })
        })
        .collect();
    Preview {
        id: s.id.clone(),
        title: s.title.to_string(),
        duration_minutes: s.duration_minutes,
        lanes,
        objectives,
        contingency,
        conditional,
        warnings: super::lint::lint(s).into_iter().map(|p| p.message).collect(),
    }
}

fn gap(from: f64, to: f64, long: bool) -> Gap {
    Gap { from_minutes: from, to_minutes: to, minutes: to - from, long }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ScenarioFormat, parse_scenario};

    const TWO_GROUPS: &str = r#"
id = "p"
title = "P"
duration_minutes = 40
[[objectives]]
id = "o1"
text = "Coordinate"
[[objectives]]
id = "o2"
text = "Communicate"
[[groups]]
id = "risk"
name = "Risk"
[[groups]]
id = "comms"
name = "Comms"
[[injects]]
id = "first"
at = 0
respond_within_minutes = 5
title = "First"
body = "B"
targets = "all"
objectives = ["o1"]
questions.all = "Q?"
questions.risk = ["R1?", "R2?"]
[[injects]]
id = "second"
at = 20
title = "Second"
body = "B"
targets = ["risk"]
objectives = ["o1"]
questions.risk = "R3?"
[[injects]]
id = "spare"
title = "Spare"
body = "B"
targets = ["comms"]
objectives = ["o2"]
questions.comms = "C?"
"#;

    #[test]
    fn lanes_hold_each_groups_timed_injects_questions_and_gaps() {
        let s = parse_scenario(TWO_GROUPS, ScenarioFormat::Toml, "p.toml").unwrap();
        let p = preview(&s);
        assert_eq!(p.lanes.len(), 2);
        let risk = &p.lanes[0];
        assert_eq!(risk.group_id, "risk");
        let ids: Vec<&str> = risk.injects.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["first", "second"]);
        assert_eq!((risk.injects[0].questions, risk.injects[0].respond_within_minutes), (3, Some(5.0)));
        assert_eq!(risk.questions, 4);
        assert_eq!(risk.gaps, [gap(0.0, 20.0, true), gap(20.0, 40.0, false)]);
        let comms = &p.lanes[1];
        assert_eq!((comms.injects.len(), comms.questions), (1, 1));
        assert_eq!(comms.gaps, [gap(0.0, 40.0, false)], "the last inject to the end");
    }

    #[test]
    fn objectives_list_their_injects_and_contingencies_are_apart() {
        let s = parse_scenario(TWO_GROUPS, ScenarioFormat::Toml, "p.toml").unwrap();
        let p = preview(&s);
        assert_eq!(p.objectives[0].injects, ["first", "second"]);
        assert_eq!(p.objectives[1].injects, ["spare"]);
        assert_eq!(p.contingency, [InjectRef { id: "spare".into(), title: "Spare".into() }]);
        assert!(p.warnings.iter().any(|w| w.contains("\"risk\" waits 20 min")), "{:?}", p.warnings);
    }

    #[test]
    fn a_group_that_starts_late_has_a_gap_from_the_start_that_is_not_long() {
        let s = parse_scenario(&TWO_GROUPS.replace("at = 0", "at = 15"), ScenarioFormat::Toml, "p.toml").unwrap();
        let comms = &preview(&s).lanes[1];
        assert_eq!(comms.gaps[0], gap(0.0, 15.0, false));
    }
}
