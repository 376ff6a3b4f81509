//! Warnings about a valid scenario's shape: what plays, but plays badly. A group with no
//! timed inject, a group left idle too long between two of its injects, a group asked far
//! fewer or far more questions than the others, an objective only contingency injects
//! serve, an answer window that closes after play ends.
//!
//! Each warning is a [`Problem`] with its path in the document, located like an error
//! (`tabletop validate` prints `FILE:LINE:COL: warning: …`). What [`super::validate`]
//! already refuses (an objective no inject serves, questions for a group an inject does
//! not target) is an error there, not a warning here.

use super::preview::{idle_limit_minutes, timed_for};
use super::validate::{PathSeg, Problem};
use super::{Scenario, minutes_to_ms};

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

/// Minutes as the console writes them: whole when whole, else one decimal.
fn min(m: f64) -> String {
    if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.1}") }
}

/// The warnings for a scenario that passed [`super::validate::validate`].
pub fn lint(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    let position = |id: &str| s.injects.iter().position(|i| i.id == id).unwrap_or_default();
    let limit = idle_limit_minutes(s);
    let mut counts = Vec::new(); // (group index, questions) of the groups that play
    for (gi, g) in s.groups.iter().enumerate() {
        let mine = timed_for(s, &g.id);
        if mine.is_empty() {
            out.push(Problem {
                path: vec![key("groups"), PathSeg::Index(gi), key("id")],
                message: format!("group \"{}\" receives no timed inject", g.id),
            });
            continue;
        }
        counts.push((gi, mine.iter().map(|i| i.questions_for(&g.id).len()).sum::<usize>()));
        for pair in mine.windows(2) {
            let (a, b) = (pair[0].at.unwrap_or_default(), pair[1].at.unwrap_or_default());
            if b - a > limit {
                out.push(Problem {
                    path: vec![key("injects"), PathSeg::Index(position(&pair[1].id)), key("at")],
                    message: format!(
                        "group \"{}\" waits {} min between \"{}\" (T+{}) and \"{}\" (T+{}): more than {} min",
                        g.id,
                        min(b - a),
                        pair[0].id,
                        min(a),
                        pair[1].id,
                        min(b),
                        min(limit)
                    ),
                });
            }
        }
    }
    if counts.len() > 1 {
        let mean = counts.iter().map(|(_, n)| *n as f64).sum::<f64>() / counts.len() as f64;
        for &(gi, n) in &counts {
            let (n, low, high) = (n as f64, mean / 2.0, mean * 2.0);
            if n < low || n > high {
                let side = if n < low { "less than half" } else { "more than twice" };
                let plural = if n == 1.0 { "" } else { "s" };
                out.push(Problem {
                    path: vec![key("groups"), PathSeg::Index(gi), key("id")],
                    message: format!(
                        "group \"{}\" is asked {n} question{plural}, {side} the mean of {:.1} per group",
                        s.groups[gi].id, mean
                    ),
                });
            }
        }
    }
    for (oi, o) in s.objectives.iter().enumerate() {
        let serving: Vec<_> = s.injects.iter().filter(|i| i.objectives.contains(&o.id)).collect();
        if !serving.is_empty() && serving.iter().all(|i| i.at.is_none() || i.when.is_some()) {
            out.push(Problem {
                path: vec![key("objectives"), PathSeg::Index(oi), key("id")],
                message: format!("objective \"{}\" is served only by contingency or conditional injects", o.id),
            });
        }
    }
    let end_ms = u64::from(s.duration_minutes) * 60_000;
    for (i, inj) in s.injects.iter().enumerate() {
        let (Some(at), Some(window)) = (inj.at, inj.respond_within_minutes) else { continue };
        if minutes_to_ms(at + window) > end_ms {
            out.push(Problem {
                path: vec![key("injects"), PathSeg::Index(i), key("respond_within_minutes")],
                message: format!(
                    "inject \"{}\" at T+{} with a {} min window: answers are due at T+{}, after play ends at T+{}",
                    inj.id,
                    min(at),
                    min(window),
                    min(at + window),
                    s.duration_minutes
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Catalog, ScenarioFormat, parse_scenario};

    fn scenario(injects: &str) -> Scenario {
        let base = r#"
id = "l"
title = "L"
duration_minutes = 30
[[objectives]]
id = "o1"
text = "O"
[[groups]]
id = "risk"
name = "Risk"
[[groups]]
id = "comms"
name = "Comms"
"#;
        parse_scenario(&format!("{base}{injects}"), ScenarioFormat::Toml, "l.toml").unwrap()
    }

    fn inject(id: &str, at: Option<f64>, targets: &str, questions: &str) -> String {
        let at = at.map_or(String::new(), |m| format!("at = {m}\n"));
        format!(
            "[[injects]]\nid = \"{id}\"\n{at}title = \"T\"\nbody = \"B\"\ntargets = {targets}\nobjectives = [\"o1\"]\n{questions}\n"
        )
    }

    fn messages(s: &Scenario) -> Vec<String> {
        lint(s).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn a_balanced_scenario_has_no_warning() {
        let s = scenario(
            &[
                inject("a", Some(0.0), "\"all\"", "questions.all = \"Q?\""),
                inject("b", Some(8.0), "\"all\"", "questions.all = \"Q?\""),
                inject("c", Some(16.0), "\"all\"", "questions.all = \"Q?\""),
            ]
            .concat(),
        );
        assert_eq!(messages(&s), Vec::<String>::new());
    }

    #[test]
    fn a_group_without_timed_inject_is_warned_about() {
        let s = scenario(
            &[
                inject("a", Some(0.0), "[\"risk\"]", "questions.risk = \"Q?\""),
                inject("spare", None, "[\"comms\"]", "questions.comms = \"Q?\""),
            ]
            .concat(),
        );
        assert_eq!(messages(&s), ["group \"comms\" receives no timed inject"]);
    }

    #[test]
    fn a_long_idle_stretch_between_two_injects_is_warned_about() {
        let s = scenario(
            &[
                inject("a", Some(0.0), "\"all\"", "questions.all = \"Q?\""),
                inject("b", Some(5.0), "\"all\"", "questions.all = \"Q?\""),
                inject("c", Some(14.0), "[\"risk\"]", "questions.risk = \"Q?\""),
            ]
            .concat(),
        );
        assert_eq!(messages(&s), ["group \"risk\" waits 9 min between \"b\" (T+5) and \"c\" (T+14): more than 8 min"]);
        // A quarter of a long exercise is the limit when it is more than 8 minutes.
        let mut long = s.clone();
        long.duration_minutes = 40;
        assert_eq!(messages(&long), Vec::<String>::new());
    }

    #[test]
    fn unbalanced_question_counts_are_warned_about_on_both_sides() {
        let s = scenario(
            &[inject(
                "a",
                Some(0.0),
                "\"all\"",
                "questions.all = \"Q?\"\nquestions.risk = [\"R1?\", \"R2?\", \"R3?\", \"R4?\"]",
            )]
            .concat(),
        );
        // risk 5, comms 1: mean 3; 1 < 1.5 and 5 <= 6.
        assert_eq!(messages(&s), ["group \"comms\" is asked 1 question, less than half the mean of 3.0 per group"]);
        let mut three = s.clone();
        three.groups.push(three.groups[1].clone());
        three.groups[2].id = "ops".into();
        // risk 5, comms 1, ops 1: mean 2.33; 5 > 4.67 and 1 < 1.17.
        assert_eq!(
            messages(&three),
            [
                "group \"risk\" is asked 5 questions, more than twice the mean of 2.3 per group",
                "group \"comms\" is asked 1 question, less than half the mean of 2.3 per group",
                "group \"ops\" is asked 1 question, less than half the mean of 2.3 per group",
            ]
        );
    }

    #[test]
    fn an_objective_served_only_by_contingencies_and_a_late_window_are_warned_about() {
        let mut source = [
            inject("a", Some(0.0), "\"all\"", "questions.all = \"Q?\""),
            inject("b", Some(8.0), "\"all\"", "questions.all = \"Q?\"\nrespond_within_minutes = 5"),
            inject("c", Some(16.0), "\"all\"", "questions.all = \"Q?\"\nrespond_within_minutes = 15"),
            inject("spare", None, "\"all\"", "questions.all = \"Q?\""),
        ]
        .concat();
        source = source.replacen("objectives = [\"o1\"]", "objectives = []", 3);
        let s = scenario(&source);
        assert_eq!(
            messages(&s),
            [
                "objective \"o1\" is served only by contingency or conditional injects",
                "inject \"c\" at T+16 with a 15 min window: answers are due at T+31, after play ends at T+30",
            ]
        );
    }

    #[test]
    fn the_shipped_scenarios_have_no_warning() {
        let (catalog, _) = Catalog::shipped();
        for s in catalog.iter() {
            assert_eq!(messages(s), Vec::<String>::new(), "{}", s.id);
        }
    }
}
