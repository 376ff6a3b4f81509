//! The authoring model to and from the snapshot stored in `exercise_created`
//! ([`crate::events::ScenarioSnapshot`]): the edge between what authors write and what
//! the log keeps. Field for field, both ways. Texts are stored in the scenario's main
//! language where older builds stored them; other languages go in the snapshot's
//! `translations`, by path ([`super::texts`]). For a scenario in one language the JSON of
//! the two is the same (a test holds it).

use std::collections::BTreeMap;

use crate::events::scenario::{
    ScenarioSnapshot, StoredAttachment, StoredCondition, StoredFile, StoredGroup, StoredInject, StoredObjective,
    StoredOption, StoredQuestions, StoredReportSettings, StoredResponse, StoredSector, StoredSelfAssessment,
    StoredStatement, StoredTargets,
};

use super::attachment::FileContent;
use super::condition::{Chose, Condition, GroupInject, InjectOnly, NoAnswer};
use super::{
    AnswerMode, AssessmentMode, Attachment, Attribution, ChoiceOption, Group, Inject, Lang, Objective, Questions,
    ReportSettings, ResponseKind, Scenario, Sector, SelfAssessmentPlan, Statement, Targets, Text, texts,
};

fn s(t: &Text) -> String {
    t.to_string()
}

fn strings(ts: &[Text]) -> Vec<String> {
    ts.iter().map(s).collect()
}

fn plain(t: &str) -> Text {
    Text::plain(t)
}

fn plains(ts: &[String]) -> Vec<Text> {
    ts.iter().map(|t| plain(t)).collect()
}

impl From<&Scenario> for ScenarioSnapshot {
    fn from(sc: &Scenario) -> Self {
        ScenarioSnapshot {
            id: sc.id.clone(),
            title: s(&sc.title),
            language: (sc.language != Lang::En).then(|| sc.language.code().to_owned()),
            summary: s(&sc.summary),
            duration_minutes: sc.duration_minutes,
            self_select_groups: sc.self_select_groups,
            ask_email: sc.ask_email,
            answer_mode: (sc.answer_mode == AnswerMode::Group).then(|| "group".to_owned()),
            ground_rules: strings(&sc.ground_rules),
            objectives: sc.objectives.iter().map(|o| StoredObjective { id: o.id.clone(), text: s(&o.text) }).collect(),
            groups: sc
                .groups
                .iter()
                .map(|g| StoredGroup {
                    id: g.id.clone(),
                    name: s(&g.name),
                    focus: s(&g.focus),
                    breakout_room: g.breakout_room.clone(),
                })
                .collect(),
            sectors: sc.sectors.iter().map(|x| StoredSector { id: x.id.clone(), label: s(&x.label) }).collect(),
            injects: sc.injects.iter().map(stored_inject).collect(),
            self_assessment: sc.self_assessment.as_ref().map(|p| StoredSelfAssessment {
                mode: (p.mode == AssessmentMode::Profile).then(|| "profile".to_owned()),
                example: p.example,
                levels: strings(&p.levels),
                intro: s(&p.intro),
                statements: p
                    .statements
                    .iter()
                    .map(|st| StoredStatement { id: st.id.clone(), group: st.group.clone(), text: s(&st.text) })
                    .collect(),
            }),
            report: (sc.report != ReportSettings::default()).then(|| StoredReportSettings {
                organiser: s(&sc.report.organiser),
                venue: s(&sc.report.venue),
                marking: sc.report.marking.clone(),
                attribution: match sc.report.attribution {
                    Attribution::Names => None,
                    Attribution::Group => Some("group".to_owned()),
                },
            }),
            languages: if sc.is_multilingual() {
                sc.languages().iter().map(|l| l.code().to_owned()).collect()
            } else {
                Vec::new()
            },
            translations: texts::translations(sc)
                .into_iter()
                .map(|(lang, by_path)| (lang.code().to_owned(), by_path))
                .collect(),
        }
    }
}

fn stored_inject(i: &Inject) -> StoredInject {
    StoredInject {
        id: i.id.clone(),
        at: i.at,
        title: s(&i.title),
        body: s(&i.body),
        from: i.from.as_ref().map(s),
        channel: i.channel.as_ref().map(s),
        targets: match &i.targets {
            Targets::All => StoredTargets::All,
            Targets::Groups(ids) => StoredTargets::Groups(ids.clone()),
        },
        questions: i
            .questions
            .iter()
            .map(|(g, q)| {
                let q = match q {
                    Questions::One(q) => StoredQuestions::One(s(q)),
                    Questions::Many(qs) => StoredQuestions::Many(strings(qs)),
                };
                (g.clone(), q)
            })
            .collect(),
        response: match &i.response {
            ResponseKind::Text => StoredResponse::Text,
            ResponseKind::Choice { options, multiple } => StoredResponse::Choice {
                options: options.iter().map(|o| StoredOption::Full { id: o.id.clone(), label: s(&o.label) }).collect(),
                multiple: *multiple,
            },
        },
        respond_within_minutes: i.respond_within_minutes,
        objectives: i.objectives.clone(),
        expected_actions: strings(&i.expected_actions),
        facilitator_notes: i.facilitator_notes.as_ref().map(s),
        attachments: i
            .attachments
            .iter()
            .map(|a| StoredAttachment {
                title: s(&a.title),
                text: a.text.as_ref().map(s),
                url: a.url.clone(),
                file: a.file.as_ref().zip(a.content.as_ref()).map(|(name, c)| StoredFile {
                    name: name.clone(),
                    media_type: c.media_type.clone(),
                    hash: c.hash.clone(),
                    size: c.size,
                }),
                caption: a.caption.as_ref().map(s),
                alt: a.alt.as_ref().map(s),
            })
            .collect(),
        collect_improvements: i.collect_improvements,
        when: i.when.as_ref().map(stored_condition),
    }
}

impl From<&ScenarioSnapshot> for Scenario {
    fn from(sn: &ScenarioSnapshot) -> Self {
        let mut scenario = Scenario {
            schema: None,
            id: sn.id.clone(),
            title: plain(&sn.title),
            // A language this build does not know is read as English: the report still
            // opens, in the default language.
            language: sn.language.as_deref().and_then(Lang::parse).unwrap_or_default(),
            languages: sn.languages.iter().filter_map(|l| Lang::parse(l)).collect(),
            summary: plain(&sn.summary),
            duration_minutes: sn.duration_minutes,
            self_select_groups: sn.self_select_groups,
            ask_email: sn.ask_email,
            // A mode this build does not know: everyone answers, as before scribes.
            answer_mode: match sn.answer_mode.as_deref() {
                Some("group") => AnswerMode::Group,
                _ => AnswerMode::Individual,
            },
            ground_rules: plains(&sn.ground_rules),
            objectives: sn.objectives.iter().map(|o| Objective { id: o.id.clone(), text: plain(&o.text) }).collect(),
            groups: sn
                .groups
                .iter()
                .map(|g| Group {
                    id: g.id.clone(),
                    name: plain(&g.name),
                    focus: plain(&g.focus),
                    breakout_room: g.breakout_room.clone(),
                })
                .collect(),
            sectors: sn.sectors.iter().map(|x| Sector { id: x.id.clone(), label: plain(&x.label) }).collect(),
            injects: sn.injects.iter().map(inject).collect(),
            self_assessment: sn.self_assessment.as_ref().map(|p| SelfAssessmentPlan {
                // A mode this build does not know rates like a profile: everyone, every domain.
                mode: match p.mode.as_deref() {
                    None | Some("group") => AssessmentMode::Group,
                    Some(_) => AssessmentMode::Profile,
                },
                example: p.example,
                levels: plains(&p.levels),
                intro: plain(&p.intro),
                statements: p
                    .statements
                    .iter()
                    .map(|st| Statement { id: st.id.clone(), group: st.group.clone(), text: plain(&st.text) })
                    .collect(),
            }),
            report: sn.report.as_ref().map_or_else(ReportSettings::default, |r| ReportSettings {
                organiser: plain(&r.organiser),
                venue: plain(&r.venue),
                marking: r.marking.clone(),
                // A word this build does not know (a later build's mode) leaves names
                // out: the private reading.
                attribution: match r.attribution.as_deref() {
                    None | Some("names") => Attribution::Names,
                    Some(_) => Attribution::Group,
                },
            }),
        };
        texts::settle(&mut scenario);
        // Languages this build does not know are left out.
        let translations: BTreeMap<Lang, BTreeMap<String, String>> =
            sn.translations.iter().filter_map(|(code, by_path)| Some((Lang::parse(code)?, by_path.clone()))).collect();
        texts::apply_translations(&mut scenario, &translations);
        scenario
    }
}

fn inject(i: &StoredInject) -> Inject {
    Inject {
        id: i.id.clone(),
        at: i.at,
        when: i.when.as_ref().map(condition),
        title: plain(&i.title),
        body: plain(&i.body),
        from: i.from.as_deref().map(plain),
        channel: i.channel.as_deref().map(plain),
        targets: match &i.targets {
            StoredTargets::All => Targets::All,
            StoredTargets::Groups(ids) => Targets::Groups(ids.clone()),
        },
        questions: i
            .questions
            .iter()
            .map(|(g, q)| {
                let q = match q {
                    StoredQuestions::One(q) => Questions::One(plain(q)),
                    StoredQuestions::Many(qs) => Questions::Many(plains(qs)),
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
                        StoredOption::Label(label) => ChoiceOption::from_label(label.as_str(), n + 1),
                        StoredOption::Full { id, label } => ChoiceOption { id: id.clone(), label: plain(label) },
                    })
                    .collect(),
                multiple: *multiple,
            },
        },
        respond_within_minutes: i.respond_within_minutes,
        objectives: i.objectives.clone(),
        expected_actions: plains(&i.expected_actions),
        facilitator_notes: i.facilitator_notes.as_deref().map(plain),
        attachments: i
            .attachments
            .iter()
            .map(|a| Attachment {
                title: plain(&a.title),
                text: a.text.as_deref().map(plain),
                url: a.url.clone(),
                file: a.file.as_ref().map(|f| f.name.clone()),
                caption: a.caption.as_deref().map(plain),
                alt: a.alt.as_deref().map(plain),
                content: a.file.as_ref().map(|f| FileContent {
                    hash: f.hash.clone(),
                    media_type: f.media_type.clone(),
                    size: f.size,
                    bytes: None,
                }),
            })
            .collect(),
        collect_improvements: i.collect_improvements,
    }
}

fn stored_condition(c: &Condition) -> StoredCondition {
    match c {
        Condition::NoAnswer(n) => StoredCondition::NoAnswer {
            group: n.group.clone(),
            inject: n.inject.clone(),
            within_minutes: n.within_minutes,
        },
        Condition::Answered(a) => StoredCondition::Answered { group: a.group.clone(), inject: a.inject.clone() },
        Condition::Chose(c) => {
            StoredCondition::Chose { group: c.group.clone(), inject: c.inject.clone(), option: c.option.clone() }
        }
        Condition::AllAnswered(a) => StoredCondition::AllAnswered { inject: a.inject.clone() },
        Condition::Any(cs) => StoredCondition::Any(cs.iter().map(stored_condition).collect()),
        Condition::All(cs) => StoredCondition::All(cs.iter().map(stored_condition).collect()),
    }
}

fn condition(c: &StoredCondition) -> Condition {
    match c {
        StoredCondition::NoAnswer { group, inject, within_minutes } => Condition::NoAnswer(NoAnswer {
            group: group.clone(),
            inject: inject.clone(),
            within_minutes: *within_minutes,
        }),
        StoredCondition::Answered { group, inject } => {
            Condition::Answered(GroupInject { group: group.clone(), inject: inject.clone() })
        }
        StoredCondition::Chose { group, inject, option } => {
            Condition::Chose(Chose { group: group.clone(), inject: inject.clone(), option: option.clone() })
        }
        StoredCondition::AllAnswered { inject } => Condition::AllAnswered(InjectOnly { inject: inject.clone() }),
        StoredCondition::Any(cs) => Condition::Any(cs.iter().map(condition).collect()),
        StoredCondition::All(cs) => Condition::All(cs.iter().map(condition).collect()),
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
            if !scenario.is_multilingual()
                && !scenario.injects.iter().any(|i| i.attachments.iter().any(|a| a.file.is_some()))
            {
                assert_eq!(
                    serde_json::to_value(&snapshot).unwrap(),
                    serde_json::to_value(&**scenario).unwrap(),
                    "{}: what the log stores is what the old build stored",
                    scenario.id
                );
            }
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
