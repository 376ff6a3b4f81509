//! Semantic checks on a parsed scenario: what serde cannot see.
//!
//! Each [`Problem`] carries the path of the offending value in the document
//! (`injects[3].targets[1]`), which [`super::locate`] turns into `line:col`.

use std::collections::HashSet;

use super::{ALL_GROUPS, AssessmentMode, ResponseKind, Scenario, Targets};

/// One step of a path into the scenario document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    /// A table key.
    Key(String),
    /// An array position.
    Index(usize),
}

/// A semantic problem found in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the document the problem is.
    pub path: Vec<PathSeg>,
    /// What is wrong, in the author's words.
    pub message: String,
}

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

/// Checks everything serde does not: ids, references between sections and timing.
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |path: Vec<PathSeg>, message: String| problems.push(Problem { path, message });

    check_id(&s.id, vec![key("id")], &mut report);
    if s.title.trim().is_empty() {
        report(vec![key("title")], "title is empty".into());
    }
    if s.duration_minutes == 0 {
        report(vec![key("duration_minutes")], "duration_minutes must be at least 1".into());
    }
    if s.groups.is_empty() {
        report(vec![key("groups")], "a scenario needs at least one group".into());
    }

    let mut seen = HashSet::new();
    for (i, o) in s.objectives.iter().enumerate() {
        let path = vec![key("objectives"), PathSeg::Index(i), key("id")];
        check_id(&o.id, path.clone(), &mut report);
        if !seen.insert(o.id.as_str()) {
            report(path, format!("duplicate objective id \"{}\"", o.id));
        }
    }
    let mut seen = HashSet::new();
    for (i, g) in s.groups.iter().enumerate() {
        let path = vec![key("groups"), PathSeg::Index(i), key("id")];
        check_id(&g.id, path.clone(), &mut report);
        if g.id == ALL_GROUPS {
            report(path.clone(), "\"all\" is reserved and cannot be a group id".into());
        }
        if !seen.insert(g.id.as_str()) {
            report(path, format!("duplicate group id \"{}\"", g.id));
        }
    }

    let mut seen = HashSet::new();
    for (i, sector) in s.sectors.iter().enumerate() {
        let at = |k: &str| vec![key("sectors"), PathSeg::Index(i), key(k)];
        check_id(&sector.id, at("id"), &mut report);
        if !seen.insert(sector.id.as_str()) {
            report(at("id"), format!("duplicate sector id \"{}\"", sector.id));
        }
        if sector.label.trim().is_empty() {
            report(at("label"), format!("sector \"{}\" has an empty label", sector.id));
        }
    }

    if s.report.marking.chars().count() > 40 {
        report(vec![key("report"), key("marking")], "report.marking is longer than 40 characters".into());
    }

    let is_group = |id: &str| s.groups.iter().any(|g| g.id == id);
    let is_objective = |id: &str| s.objectives.iter().any(|o| o.id == id);
    let mut seen = HashSet::new();
    for (i, inj) in s.injects.iter().enumerate() {
        let at = |k: &str| vec![key("injects"), PathSeg::Index(i), key(k)];
        check_id(&inj.id, at("id"), &mut report);
        if !seen.insert(inj.id.as_str()) {
            report(at("id"), format!("duplicate inject id \"{}\"", inj.id));
        }
        if inj.title.trim().is_empty() {
            report(at("title"), format!("inject \"{}\" has an empty title", inj.id));
        }
        if inj.body.trim().is_empty() {
            report(at("body"), format!("inject \"{}\" has an empty body", inj.id));
        }
        if let Some(minutes) = inj.at {
            if !minutes.is_finite() || minutes < 0.0 {
                report(at("at"), format!("inject \"{}\": at must be 0 or more minutes", inj.id));
            } else if minutes > f64::from(s.duration_minutes) {
                report(
                    at("at"),
                    format!(
                        "inject \"{}\" at {minutes} min is beyond the planned duration of {} min",
                        inj.id, s.duration_minutes
                    ),
                );
            }
        }
        if let Targets::Groups(ids) = &inj.targets {
            if ids.is_empty() {
                report(at("targets"), format!("inject \"{}\" targets no group", inj.id));
            }
            for (j, g) in ids.iter().enumerate() {
                if !is_group(g) {
                    let mut path = at("targets");
                    path.push(PathSeg::Index(j));
                    report(path, format!("inject \"{}\" targets unknown group \"{g}\"", inj.id));
                }
            }
        }
        for q in inj.questions.keys() {
            let mut path = at("questions");
            path.push(key(q));
            if q != ALL_GROUPS && !is_group(q) {
                report(path, format!("inject \"{}\" has questions for unknown group \"{q}\"", inj.id));
            } else if q != ALL_GROUPS && !inj.targets.includes(q) {
                report(path, format!("inject \"{}\" has questions for \"{q}\", which it does not target", inj.id));
            }
        }
        for g in s.target_groups(inj) {
            if inj.questions_for(&g.id).is_empty() {
                report(
                    at("targets"),
                    format!("inject \"{}\" targets group \"{}\" without a question for it", inj.id, g.id),
                );
            }
        }
        for (j, o) in inj.objectives.iter().enumerate() {
            if !is_objective(o) {
                let mut path = at("objectives");
                path.push(PathSeg::Index(j));
                report(path, format!("inject \"{}\" serves unknown objective \"{o}\"", inj.id));
            }
        }
        if let ResponseKind::Choice { options, .. } = &inj.response {
            if options.len() < 2 {
                report(at("response"), format!("inject \"{}\": a choice needs at least two options", inj.id));
            }
            let mut seen = HashSet::new();
            for (j, o) in options.iter().enumerate() {
                let path =
                    || vec![key("injects"), PathSeg::Index(i), key("response"), key("options"), PathSeg::Index(j)];
                check_id(&o.id, path(), &mut report);
                if !seen.insert(o.id.as_str()) {
                    report(path(), format!("inject \"{}\": two options have the id \"{}\"", inj.id, o.id));
                }
                if o.label.trim().is_empty() {
                    report(path(), format!("inject \"{}\": option \"{}\" has an empty label", inj.id, o.id));
                }
            }
        }
        if let Some(minutes) = inj.respond_within_minutes
            && (!minutes.is_finite() || minutes <= 0.0)
        {
            report(
                at("respond_within_minutes"),
                format!("inject \"{}\": respond_within_minutes must be more than 0", inj.id),
            );
        }
    }

    for (i, rule) in s.ground_rules.iter().enumerate() {
        if rule.trim().is_empty() {
            report(vec![key("ground_rules"), PathSeg::Index(i)], format!("ground rule {} is empty", i + 1));
        }
    }
    for (i, g) in s.groups.iter().enumerate() {
        if g.breakout_room.as_deref().is_some_and(|r| r.trim().is_empty()) {
            report(
                vec![key("groups"), PathSeg::Index(i), key("breakout_room")],
                format!("group \"{}\" has an empty breakout_room", g.id),
            );
        }
    }

    if let Some(plan) = &s.self_assessment {
        let mut seen = HashSet::new();
        for (i, st) in plan.statements.iter().enumerate() {
            let at = |k: &str| vec![key("self_assessment"), key("statements"), PathSeg::Index(i), key(k)];
            check_id(&st.id, at("id"), &mut report);
            if !seen.insert(st.id.as_str()) {
                report(at("id"), format!("duplicate statement id \"{}\"", st.id));
            }
            if !is_group(&st.group) {
                report(at("group"), format!("statement \"{}\" is for unknown group \"{}\"", st.id, st.group));
            }
            if st.text.trim().is_empty() {
                report(at("text"), format!("statement \"{}\" has an empty text", st.id));
            }
        }
        if plan.statements.is_empty() {
            report(vec![key("self_assessment"), key("statements")], "self_assessment has no statements".into());
        }
        if !plan.levels.is_empty() && plan.levels.len() != 5 {
            report(
                vec![key("self_assessment"), key("levels")],
                format!("self_assessment.levels needs five descriptions (1 to 5), not {}", plan.levels.len()),
            );
        }
        for (i, level) in plan.levels.iter().enumerate() {
            if level.trim().is_empty() {
                report(
                    vec![key("self_assessment"), key("levels"), PathSeg::Index(i)],
                    format!("level {} is empty", i + 1),
                );
            }
        }
        if plan.mode == AssessmentMode::Profile && !plan.statements.is_empty() {
            for g in s.groups.iter().filter(|g| plan.for_group(&g.id).next().is_none()) {
                report(
                    vec![key("self_assessment"), key("mode")],
                    format!("a profile needs statements for every domain: none for \"{}\"", g.id),
                );
            }
        }
    }

    for (i, o) in s.objectives.iter().enumerate() {
        if !s.injects.iter().any(|inj| inj.objectives.contains(&o.id)) {
            report(
                vec![key("objectives"), PathSeg::Index(i), key("id")],
                format!("objective \"{}\" is served by no inject", o.id),
            );
        }
    }
    problems.extend(super::condition::problems(s));
    problems.extend(super::texts::missing_translations(s));
    problems
}

fn check_id(id: &str, path: Vec<PathSeg>, report: &mut impl FnMut(Vec<PathSeg>, String)) {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !ok {
        report(path, format!("\"{id}\" is not a valid id: use 1-64 of a-z, 0-9, - and _"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
id = "t"
title = "T"
duration_minutes = 10
[[objectives]]
id = "o1"
text = "Objective"
[[groups]]
id = "risk"
name = "Risk"
[[groups]]
id = "incident"
name = "Incident"
"#;

    fn problems(injects: &str) -> Vec<String> {
        let s: Scenario = toml::from_str(&format!("{BASE}{injects}")).unwrap();
        validate(&s).into_iter().map(|p| p.message).collect()
    }

    const GOOD: &str = r#"
[[injects]]
id = "a"
at = 1
title = "A"
body = "B"
targets = "all"
objectives = ["o1"]
questions.all = "Q?"
"#;

    #[test]
    fn a_good_scenario_has_no_problem() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
    }

    #[test]
    fn unknown_targets_and_question_groups_are_reported() {
        let p = problems(
            &GOOD
                .replace("targets = \"all\"", "targets = [\"risk\", \"nobody\"]")
                .replace("questions.all = \"Q?\"", "questions.risk = \"Q?\"\nquestions.ghost = \"Q?\""),
        );
        assert!(p.iter().any(|m| m.contains("unknown group \"nobody\"")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("questions for unknown group \"ghost\"")), "{p:?}");
    }

    #[test]
    fn sectors_need_valid_unique_ids_and_labels() {
        let sectors = "[[sectors]]\nid = \"bank\"\nlabel = \"Bank\"\n[[sectors]]\nid = \"bank\"\nlabel = \" \"\n\
                       [[sectors]]\nid = \"Central Bank\"\nlabel = \"Central bank\"\n";
        let p = problems(&format!("{sectors}{GOOD}"));
        assert!(p.iter().any(|m| m == "duplicate sector id \"bank\""), "{p:?}");
        assert!(p.iter().any(|m| m == "sector \"bank\" has an empty label"), "{p:?}");
        assert!(p.iter().any(|m| m.contains("\"Central Bank\" is not a valid id")), "{p:?}");
    }

    #[test]
    fn a_targeted_group_without_question_is_reported() {
        let p = problems(&GOOD.replace("questions.all", "questions.risk"));
        assert_eq!(p, ["inject \"a\" targets group \"incident\" without a question for it"]);
    }

    #[test]
    fn at_beyond_duration_duplicates_and_unserved_objectives_are_reported() {
        let twice = format!("{GOOD}{GOOD}").replacen("at = 1", "at = 11", 1);
        let p = problems(&twice.replace("objectives = [\"o1\"]", "objectives = []"));
        assert!(p.iter().any(|m| m.contains("beyond the planned duration of 10 min")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("duplicate inject id \"a\"")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("objective \"o1\" is served by no inject")), "{p:?}");
    }

    #[test]
    fn bad_ids_and_short_choices_are_reported() {
        let p = problems(
            &GOOD
                .replace("id = \"a\"", "id = \"Bad Id\"")
                .replace("questions.all", "response = { kind = \"choice\", options = [\"only\"] }\nquestions.all"),
        );
        assert!(p.iter().any(|m| m.contains("\"Bad Id\" is not a valid id")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("at least two options")), "{p:?}");
        let p = problems(
            &GOOD
                .replace("questions.all", "response = { kind = \"choice\", options = [\"Pay\", {id = \"pay\", label = \"Pay now\"}, {id = \"No!\", label = \" \"}] }\nquestions.all"),
        );
        assert!(p.iter().any(|m| m.contains("two options have the id \"pay\"")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("\"No!\" is not a valid id")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("option \"No!\" has an empty label")), "{p:?}");
        let p = problems(&GOOD.replace("questions.all", "respond_within_minutes = 0\nquestions.all"));
        assert!(p.iter().any(|m| m.contains("respond_within_minutes must be more than 0")), "{p:?}");
    }
}
