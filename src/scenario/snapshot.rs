//! The authoring model to and from the snapshot stored in `exercise_created`
//! ([`crate::events::ScenarioSnapshot`]): the edge between what authors write and what
//! the log keeps. Field for field, both ways; the JSON of the two is the same today
//! (a test holds it), but each may change for its own reasons.

use crate::events::scenario::{
    ScenarioSnapshot, StoredAttachment, StoredGroup, StoredInject, StoredObjective, StoredOption, StoredQuestions,
    StoredReportSettings, StoredResponse, StoredSector, StoredSelfAssessment, StoredStatement, StoredTargets,
};

use super::{
    AnswerMode, AssessmentMode, Attachment, Attribution, ChoiceOption, Group, Inject, Lang, Objective, Questions,
    ReportSettings, ResponseKind, Scenario, Sector, SelfAssessmentPlan, Statement, Targets,
};

impl From<&Scenario> for ScenarioSnapshot {
    fn from(s: &Scenario) -> Self {
        ScenarioSnapshot {
            id: s.id.clone(),
            title: s.title.clone(),
            language: (s.language != Lang::En).then(|| s.language.code().to_owned()),
            summary: s.summary.clone(),
            duration_minutes: s.duration_minutes,
            self_select_groups: s.self_select_groups,
            ask_email: s.ask_email,
            answer_mode: (s.answer_mode == AnswerMode::Group).then(|| "group".to_owned()),
            ground_rules: s.ground_rules.clone(),
            objectives: s
                .objectives
                .iter()
                .map(|o| StoredObjective { id: o.id.clone(), text: o.text.clone() })
                .collect(),
            groups: s
                .groups
                .iter()
                .map(|g| StoredGroup {
                    id: g.id.clone(),
                    name: g.name.clone(),
                    focus: g.focus.clone(),
                    breakout_room: g.breakout_room.clone(),
                })
                .collect(),
            sectors: s.sectors.iter().map(|x| StoredSector { id: x.id.clone(), label: x.label.clone() }).collect(),
            injects: s.injects.iter().map(stored_inject).collect(),
            self_assessment: s.self_assessment.as_ref().map(|p| StoredSelfAssessment {
                mode: (p.mode == AssessmentMode::Profile).then(|| "profile".to_owned()),
                example: p.example,
                levels: p.levels.clone(),
                intro: p.intro.clone(),
                statements: p
                    .statements
                    .iter()
                    .map(|st| StoredStatement { id: st.id.clone(), group: st.group.clone(), text: st.text.clone() })
                    .collect(),
            }),
            report: (s.report != ReportSettings::default()).then(|| StoredReportSettings {
                organiser: s.report.organiser.clone(),
                venue: s.report.venue.clone(),
                marking: s.report.marking.clone(),
                attribution: match s.report.attribution {
                    Attribution::Names => None,
                    Attribution::Group => Some("group".to_owned()),
                },
            }),
        }
    }
}

fn stored_inject(i: &Inject) -> StoredInject {
    StoredInject {
        id: i.id.clone(),
        at: i.at,
        title: i.title.clone(),
        body: i.body.clone(),
        from: i.from.clone(),
        channel: i.channel.clone(),
        targets: match &i.targets {
            Targets::All => StoredTargets::All,
            Targets::Groups(ids) => StoredTargets::Groups(ids.clone()),
        },
        questions: i
            .questions
            .iter()
            .map(|(g, q)| {
                let q = match q {
                    Questions::One(q) => StoredQuestions::One(q.clone()),
                    Questions::Many(qs) => StoredQuestions::Many(qs.clone()),
                };
                (g.clone(), q)
            })
            .collect(),
        response: match &i.response {
            ResponseKind::Text => StoredResponse::Text,
            ResponseKind::Choice { options, multiple } => StoredResponse::Choice {
                options: options
                    .iter()
                    .map(|o| StoredOption::Full { id: o.id.clone(), label: o.label.clone() })
                    .collect(),
                multiple: *multiple,
            },
        },
        respond_within_minutes: i.respond_within_minutes,
        objectives: i.objectives.clone(),
        expected_actions: i.expected_actions.clone(),
        facilitator_notes: i.facilitator_notes.clone(),
        attachments: i
            .attachments
            .iter()
            .map(|a| StoredAttachment { title: a.title.clone(), text: a.text.clone(), url: a.url.clone() })
            .collect(),
        collect_improvements: i.collect_improvements,
    }
}

impl From<&ScenarioSnapshot> for Scenario {
    fn from(s: &ScenarioSnapshot) -> Self {
        Scenario {
            id: s.id.clone(),
            title: s.title.clone(),
            // A language this build does not know is read as English: the report still
            // opens, in the default language.
            language: s.language.as_deref().and_then(Lang::parse).unwrap_or_default(),
            summary: s.summary.clone(),
            duration_minutes: s.duration_minutes,
            self_select_groups: s.self_select_groups,
            ask_email: s.ask_email,
            // A mode this build does not know: everyone answers, as before scribes.
            answer_mode: match s.answer_mode.as_deref() {
                Some("group") => AnswerMode::Group,
                _ => AnswerMode::Individual,
            },
            ground_rules: s.ground_rules.clone(),
            objectives: s.objectives.iter().map(|o| Objective { id: o.id.clone(), text: o.text.clone() }).collect(),
            groups: s
                .groups
                .iter()
                .map(|g| Group {
                    id: g.id.clone(),
                    name: g.name.clone(),
                    focus: g.focus.clone(),
                    breakout_room: g.breakout_room.clone(),
                })
                .collect(),
            sectors: s.sectors.iter().map(|x| Sector { id: x.id.clone(), label: x.label.clone() }).collect(),
            injects: s.injects.iter().map(inject).collect(),
            self_assessment: s.self_assessment.as_ref().map(|p| SelfAssessmentPlan {
                // A mode this build does not know rates like a profile: everyone, every domain.
                mode: match p.mode.as_deref() {
                    None | Some("group") => AssessmentMode::Group,
                    Some(_) => AssessmentMode::Profile,
                },
                example: p.example,
                levels: p.levels.clone(),
                intro: p.intro.clone(),
                statements: p
                    .statements
                    .iter()
                    .map(|st| Statement { id: st.id.clone(), group: st.group.clone(), text: st.text.clone() })
                    .collect(),
            }),
            report: s.report.as_ref().map_or_else(ReportSettings::default, |r| ReportSettings {
                organiser: r.organiser.clone(),
                venue: r.venue.clone(),
                marking: r.marking.clone(),
                // A word this build does not know (a later build's mode) leaves names
                // out: the private reading.
                attribution: match r.attribution.as_deref() {
                    None | Some("names") => Attribution::Names,
                    Some(_) => Attribution::Group,
                },
            }),
        }
    }
}

fn inject(i: &StoredInject) -> Inject {
    Inject {
        id: i.id.clone(),
        at: i.at,
        title: i.title.clone(),
        body: i.body.clone(),
        from: i.from.clone(),
        channel: i.channel.clone(),
        targets: match &i.targets {
            StoredTargets::All => Targets::All,
            StoredTargets::Groups(ids) => Targets::Groups(ids.clone()),
        },
        questions: i
            .questions
            .iter()
            .map(|(g, q)| {
                let q = match q {
                    StoredQuestions::One(q) => Questions::One(q.clone()),
                    StoredQuestions::Many(qs) => Questions::Many(qs.clone()),
                };
                (g.clone(), q)
            })
            .collect(),
        response: match &i.response {
            StoredResponse::Text => ResponseKind::Text,
            StoredResponse::Choice { options, multiple } => ResponseKind::Choice {
                options: options
                    .iter()
                    .enumerate()
                    .map(|(n, o)| match o {
                        StoredOption::Label(label) => ChoiceOption::from_label(label, n + 1),
                        StoredOption::Full { id, label } => ChoiceOption { id: id.clone(), label: label.clone() },
                    })
                    .collect(),
                multiple: *multiple,
            },
        },
        respond_within_minutes: i.respond_within_minutes,
        objectives: i.objectives.clone(),
        expected_actions: i.expected_actions.clone(),
        facilitator_notes: i.facilitator_notes.clone(),
        attachments: i
            .attachments
            .iter()
            .map(|a| Attachment { title: a.title.clone(), text: a.text.clone(), url: a.url.clone() })
            .collect(),
        collect_improvements: i.collect_improvements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Catalog;

    #[test]
    fn the_snapshot_of_every_shipped_scenario_is_the_same_json_and_converts_back_unchanged() {
        let (catalog, problems) = Catalog::shipped();
        assert!(problems.is_empty(), "{problems:?}");
        let mut seen = 0;
        for scenario in catalog.iter() {
            let snapshot = ScenarioSnapshot::from(&**scenario);
            assert_eq!(
                serde_json::to_value(&snapshot).unwrap(),
                serde_json::to_value(&**scenario).unwrap(),
                "{}: what the log stores is what the old build stored",
                scenario.id
            );
            assert_eq!(&Scenario::from(&snapshot), &**scenario);
            seen += 1;
        }
        assert!(seen >= 2);
    }

    #[test]
    fn the_language_is_stored_when_it_is_not_english_and_old_or_unknown_ones_read_as_english() {
        let (catalog, _) = Catalog::shipped();
        let mut french = (**catalog.get("quick-demo").unwrap()).clone();
        french.language = Lang::Fr;
        let snapshot = ScenarioSnapshot::from(&french);
        assert_eq!(snapshot.language.as_deref(), Some("fr"));
        assert_eq!(serde_json::to_value(&snapshot).unwrap(), serde_json::to_value(&french).unwrap());
        assert_eq!(Scenario::from(&snapshot), french);

        let english = ScenarioSnapshot::from(&**catalog.get("quick-demo").unwrap());
        assert_eq!(english.language, None, "an English scenario stores what older builds stored");
        let mut later = english.clone();
        later.language = Some("de".into());
        assert_eq!(Scenario::from(&later).language, Lang::En, "a later build's language opens in English");
    }
}
