//! The after-action report exports of a fixed exercise log: snapshots of Markdown, CSV,
//! JSON and HTML (ended and still running), the CSV through a real CSV parser, markup
//! in answers kept inert, and no secret in any format. The same log in French: Markdown
//! and HTML snapshots, and no English fixed word left in them.
//!
//! The log is built here event by event with fixed ids and wall times, from the fixture
//! quick-demo scenario (tests/fixtures/scenarios), and must replay like a stored one. Snapshots live in
//! tests/snapshots/; review a change with `INSTA_UPDATE=always cargo test --test export`
//! and `git diff tests/snapshots`.

use std::collections::BTreeMap;
use std::path::Path;

use tabletop::debrief::export::text::{EN, FR};
use tabletop::debrief::export::{Format, html, markdown, render_text, render_text_as, render_text_in};
use tabletop::debrief::report::Attribution;
use tabletop::events::payload::{NoteCategory, Priority, Progress};
use tabletop::events::{Author, Capability, Event, ImprovementItem, Rating, Recorded};
use tabletop::exercise::{Phase, State};
use tabletop::ids::{ExerciseId, ObserverId, ParticipantId};
use tabletop::lang::Lang;
use uuid::Uuid;

/// 2026-11-25T11:10:00Z.
const T0: u64 = 1_795_605_000_000;
const EXERCISE: ExerciseId = ExerciseId(Uuid::from_u128(0x0193_7e2a_0000_7000_8000_0000_0000_0001));
const AWA: ParticipantId = ParticipantId(Uuid::from_u128(0xa1));
const FATOU: ParticipantId = ParticipantId(Uuid::from_u128(0xa2));
const OUSMANE: ParticipantId = ParticipantId(Uuid::from_u128(0xa3));
const NDEYE: ParticipantId = ParticipantId(Uuid::from_u128(0xa4));
const OBSERVER: ObserverId = ObserverId(Uuid::from_u128(0xb1));

const SECRETS: [&str; 7] = [
    "FACILITATOR-SECRET-KEY",
    "OBSERVER-SECRET-KEY",
    "RESUME-SECRET-AWA",
    "RESUME-SECRET-FATOU",
    "RESUME-SECRET-OUSMANE",
    "RESUME-SECRET-NDEYE",
    "K7QMP3XD",
];

const AWA_FIRST: &str =
    "Hold transfers from swapped SIMs, call the CEO, and say \"stop\".\nRéponse : « arrêt »\nJërëjëf";
const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(1)>";
const PIPE: &str = "Yes | row 12 of the register";
const BACKSLASH: &str = "The CEO decides; C:\\ops\\playbook.md is *the* plan";
const AWA_WRAP: &str = "SIM-swap hold, owner Awa, by 15 December";

/// Appends events with consecutive seqs at `T0 + seconds`.
struct Log(Vec<Recorded>);

impl Log {
    fn at(&mut self, seconds: u64, event: Event) -> &mut Self {
        let seq = self.0.len() as u64 + 1;
        self.0.push(Recorded { seq, wall_ms: T0 + seconds * 1000, event });
        self
    }
}

fn join(id: ParticipantId, name: &str, group: &str, token: &str, organisation: Option<&str>) -> Event {
    Event::ParticipantJoined {
        participant_id: id,
        name: name.into(),
        group_id: group.into(),
        resume_token: token.into(),
        organisation: organisation.map(str::to_owned),
        sector: None,
        email: None,
    }
}

fn answer(id: ParticipantId, group: &str, inject: &str, text: &str, client: &str) -> Event {
    Event::ResponseSubmitted {
        participant_id: id,
        group_id: group.into(),
        inject_id: inject.into(),
        text: text.into(),
        client_msg_id: client.into(),
        options: vec![],
        contribution: false,
    }
}

#[allow(clippy::too_many_arguments)]
fn item(
    issue: &str,
    action: &str,
    group: &str,
    capability: Capability,
    org: &str,
    owner: &str,
    due: &str,
) -> ImprovementItem {
    ImprovementItem {
        issue: issue.into(),
        corrective_action: action.into(),
        group_id: group.into(),
        capability,
        responsible_org: org.into(),
        owner: owner.into(),
        due: due.into(),
        start: String::new(),
        priority: None,
        progress: None,
    }
}

fn scores(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
    pairs.iter().map(|(s, v)| ((*s).to_owned(), *v)).collect()
}

/// Everything up to the ratings; the clock still runs.
fn running_log() -> Vec<Recorded> {
    let scenario_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios/quick-demo.toml");
    let scenario = tabletop::scenario::load::load_file(&scenario_file).expect("quick-demo loads");
    let observer = Author::Observer { observer_id: OBSERVER };
    let mut log = Log(Vec::new());
    log.at(
        0,
        Event::ExerciseCreated {
            exercise_id: EXERCISE,
            scenario: Box::new((&scenario).into()),
            join_code: "K7QMP3XD".into(),
            facilitator_key: "FACILITATOR-SECRET-KEY".into(),
        },
    )
    .at(30, join(AWA, "Awa Njie", "risk", "RESUME-SECRET-AWA", Some("BaobabPay")))
    .at(31, join(FATOU, "Fatou Ceesay", "incident", "RESUME-SECRET-FATOU", Some("Central Bank")))
    .at(32, join(OUSMANE, "Ousmane Sène", "risk", "RESUME-SECRET-OUSMANE", Some("BaobabPay")))
    .at(33, join(NDEYE, "Ndèye Fall", "governance", "RESUME-SECRET-NDEYE", None))
    .at(
        40,
        Event::ObserverAdded { observer_id: OBSERVER, name: "Mariama Bâ".into(), key: "OBSERVER-SECRET-KEY".into() },
    )
    .at(60, Event::ClockStarted)
    .at(60, Event::InjectReleased { inject_id: "first-alert".into(), manual: false })
    .at(105, answer(AWA, "risk", "first-alert", AWA_FIRST, "c1"))
    .at(130, answer(FATOU, "incident", "first-alert", XSS, "c2"))
    .at(150, answer(OUSMANE, "risk", "first-alert", PIPE, "c3"))
    .at(170, answer(NDEYE, "governance", "first-alert", BACKSLASH, "c4"))
    .at(180, Event::ClockPaused)
    .at(240, Event::ClockResumed)
    .at(241, Event::InjectSkipped { inject_id: "partner-api".into() })
    .at(
        250,
        Event::NoteAdded {
            note_id: "note-1".into(),
            author: observer,
            inject_id: Some("first-alert".into()),
            objective_id: Some("respond".into()),
            group_id: Some("incident".into()),
            text: "Risk named an owner | fast; incident's answer was <b>unreadable</b>.".into(),
            client_msg_id: None,
            category: Some(NoteCategory::AreaForImprovement),
        },
    )
    .at(
        260,
        Event::NoteAdded {
            note_id: "note-2".into(),
            author: Author::Facilitator,
            inject_id: None,
            objective_id: None,
            group_id: None,
            text: "Everyone joined within a minute.".into(),
            client_msg_id: None,
            category: Some(NoteCategory::Strength),
        },
    )
    .at(300, Event::InjectReleased { inject_id: "wrap-up".into(), manual: true })
    .at(330, answer(AWA, "risk", "wrap-up", AWA_WRAP, "c5"));
    let proposed = |id: &str, who, it| Event::ImprovementProposed {
        item_id: id.into(),
        participant_id: who,
        item: it,
        client_msg_id: None,
    };
    log.at(
        340,
        proposed(
            "item-1",
            AWA,
            item(
                "SIM-swap fraud is not in the register",
                "Add it, with a threshold",
                "risk",
                Capability::Planning,
                "BaobabPay",
                "Risk officer Awa",
                "2026-12-15",
            ),
        ),
    )
    .at(345, proposed("item-2", FATOU, item("No playbook", "Write one", "incident", Capability::Planning, "", "", "")))
    .at(
        350,
        Event::ImprovementAccepted {
            item_id: "item-2".into(),
            item: ImprovementItem {
                start: "2026-12-07".into(),
                priority: Some(Priority::High),
                progress: Some(Progress::InProgress),
                ..item(
                    "No SIM-swap playbook",
                    "Write and test a SIM-swap playbook, then train the \"Ops\" team",
                    "incident",
                    Capability::Training,
                    "BaobabPay, Ops",
                    "Head of operations",
                    "2027-01-31",
                )
            },
        },
    )
    .at(
        355,
        Event::ImprovementAccepted {
            item_id: "item-3".into(),
            item: item(
                "Nobody named to declare",
                "Name a duty officer",
                "governance",
                Capability::Organisation,
                "Central Bank",
                "Head of supervision",
                "",
            ),
        },
    )
    .at(
        360,
        proposed("item-4", OUSMANE, item("Old laptops", "Buy new ones", "risk", Capability::Equipment, "", "", "")),
    )
    .at(365, Event::ImprovementDropped { item_id: "item-4".into() })
    .at(370, Event::SelfAssessmentOpened)
    .at(
        380,
        Event::SelfAssessmentRated {
            participant_id: AWA,
            group_id: "risk".into(),
            scores: scores(&[("risk-register", 4), ("risk-partners", 2)]),
            dont_know: Default::default(),
        },
    )
    .at(
        381,
        Event::SelfAssessmentRated {
            participant_id: OUSMANE,
            group_id: "risk".into(),
            scores: scores(&[("risk-register", 3)]),
            dont_know: Default::default(),
        },
    )
    .at(
        382,
        Event::SelfAssessmentRated {
            participant_id: NDEYE,
            group_id: "governance".into(),
            scores: scores(&[("governance-decides", 5)]),
            dont_know: Default::default(),
        },
    )
    .at(
        383,
        Event::SelfAssessmentRated {
            participant_id: FATOU,
            group_id: "incident".into(),
            scores: scores(&[("incident-playbook", 1)]),
            dont_know: Default::default(),
        },
    )
    .at(390, Event::SelfAssessmentClosed)
    .at(
        400,
        Event::ObjectiveRated {
            objective_id: "respond".into(),
            author: observer,
            rating: Rating::S,
            strengths: "Every group answered within two minutes.".into(),
            areas_for_improvement: "Incident hesitated to revoke | the key.".into(),
        },
    )
    .at(
        410,
        Event::ObjectiveRated {
            objective_id: "learn".into(),
            author: Author::Facilitator,
            rating: Rating::M,
            strengths: String::new(),
            areas_for_improvement: "Owners named, few dates.".into(),
        },
    );
    log.0
}

/// The same exercise, ended.
fn ended_log() -> Vec<Recorded> {
    let mut log = Log(running_log());
    log.at(420, Event::ExerciseEnded)
        .at(
            425,
            Event::ObjectiveRated {
                objective_id: "respond".into(),
                author: Author::Facilitator,
                rating: Rating::P,
                strengths: "Fast, named owners.".into(),
                areas_for_improvement: String::new(),
            },
        )
        .at(
            430,
            Event::ReportEdited {
                executive_summary: Some(
                    "The room found its SIM-swap gaps.\n\nTwo actions are <b>due</b> before March.".into(),
                ),
                marking: Some("TLP:RED".into()),
            },
        )
        .at(435, Event::AdoptionOpened)
        .at(436, Event::PrioritiesVoted { participant_id: AWA, item_ids: vec!["item-2".into(), "item-3".into()] })
        .at(437, Event::PrioritiesVoted { participant_id: FATOU, item_ids: vec!["item-2".into()] })
        .at(438, Event::AdoptionClosed);
    log.0
}

fn render(log: &[Recorded], format: Format) -> String {
    render_text(log, format).expect("the log exports")
}

#[test]
fn the_logs_replay_like_stored_ones() {
    assert_eq!(State::replay(&running_log()).unwrap().phase(), Phase::Running);
    let ended = State::replay(&ended_log()).unwrap();
    assert_eq!(ended.phase(), Phase::Ended);
    assert_eq!(ended.responses.len(), 5);
}

#[test]
fn snapshots_of_the_ended_exercise() {
    let log = ended_log();
    insta::assert_snapshot!("ended_md", render(&log, Format::Markdown));
    insta::assert_snapshot!("ended_csv", render(&log, Format::Csv));
    insta::assert_snapshot!("ended_json", render(&log, Format::Json));
    insta::assert_snapshot!("ended_html", render(&log, Format::Html));
}

/// The participants' names and ids, as they would appear in a report.
const NAMED: [&str; 8] = [
    "Awa Njie",
    "Fatou Ceesay",
    "Ousmane Sène",
    "Ndèye Fall",
    "00000000-0000-0000-0000-0000000000a1",
    "00000000-0000-0000-0000-0000000000a2",
    "00000000-0000-0000-0000-0000000000a3",
    "00000000-0000-0000-0000-0000000000a4",
];

/// A plan item's owner is what the group typed for the plan, not attribution: the test
/// data names a role there, so any participant's name found below leaked.
#[test]
fn attributed_by_group_no_format_names_a_participant_and_by_name_every_one_does() {
    let log = ended_log();
    for format in [Format::Markdown, Format::Csv, Format::Json, Format::Html] {
        let by_group = render_text_as(&log, format, Some(Attribution::Group)).unwrap();
        for named in NAMED {
            assert!(!by_group.contains(named), "{format:?} by group names {named}");
        }
        assert!(by_group.contains("Hold transfers from swapped SIMs"), "{format:?}: the answers are all there");
        let with_names = render_text_as(&log, format, Some(Attribution::Names)).unwrap();
        assert!(with_names.contains("Awa Njie") && with_names.contains("Fatou Ceesay"), "{format:?} with names");
    }
    insta::assert_snapshot!(
        "ended_by_group_md",
        render_text_as(&log, Format::Markdown, Some(Attribution::Group)).unwrap()
    );
    insta::assert_snapshot!(
        "ended_by_group_json",
        render_text_as(&log, Format::Json, Some(Attribution::Group)).unwrap()
    );
    insta::assert_snapshot!(
        "ended_by_group_html",
        render_text_as(&log, Format::Html, Some(Attribution::Group)).unwrap()
    );
}

#[test]
fn snapshots_of_the_running_exercise() {
    let log = running_log();
    insta::assert_snapshot!("running_md", render(&log, Format::Markdown));
    insta::assert_snapshot!("running_json", render(&log, Format::Json));
    insta::assert_snapshot!("running_html", render(&log, Format::Html));
}

#[test]
fn a_running_exercise_says_in_progress_at_the_top() {
    let log = running_log();
    let md = render(&log, Format::Markdown);
    let top: Vec<&str> = md.lines().take(3).collect();
    assert!(top[2].starts_with("> **In progress**"), "{top:?}");
    let html = render(&log, Format::Html);
    let body = &html[html.find("<body>").unwrap()..];
    assert!(
        body[..body.find("<section").unwrap()].contains("<p class=\"banner\">In progress"),
        "banner before the first section"
    );
    let json: serde_json::Value = serde_json::from_str(&render(&log, Format::Json)).unwrap();
    assert_eq!(json["overview"]["phase"], "in_progress");
    assert_eq!(json["overview"]["ended_at_utc"], serde_json::Value::Null);

    let ended = ended_log();
    assert!(!render(&ended, Format::Markdown).contains("> **In progress**"), "no banner once ended");
    assert!(!render(&ended, Format::Html).contains("<p class=\"banner\">In progress"), "no banner once ended");
    let json: serde_json::Value = serde_json::from_str(&render(&ended, Format::Json)).unwrap();
    assert_eq!(json["overview"]["phase"], "ended");
    assert_eq!(json["overview"]["play_time"], "T+05:00");
}

#[test]
fn the_csv_has_one_row_per_response_through_a_real_parser() {
    let text = render(&ended_log(), Format::Csv);
    assert!(text.starts_with(
        "exercise,inject_number,inject_title,released_at_utc,play_time,group_id,group_name,participant,response,submitted_at_utc,choices,contribution,late\r\n"
    ));
    assert!(text.ends_with("\r\n"));
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header.len(), 13);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    // This text-only exercise has no poll, no scribe and no answer window: the last three
    // columns (choices, contribution, late) are empty.
    assert!(rows.iter().all(|r| r.len() == 13 && r[10..].iter().all(String::is_empty)), "{rows:?}");
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r[..10].to_vec()).collect();
    let ex = EXERCISE.to_string();
    let first = ["1", "First alert", "2026-11-25T11:11:00.000Z"];
    // Numbered in release order: partner-api (second in the file) was skipped.
    let wrap = ["2", "Wrap-up", "2026-11-25T11:15:00.000Z"];
    let expected: Vec<Vec<&str>> = vec![
        [
            &[ex.as_str()][..],
            &first,
            &["T+00:45", "risk", "Risk management", "Awa Njie", AWA_FIRST, "2026-11-25T11:11:45.000Z"],
        ]
        .concat(),
        [
            &[ex.as_str()][..],
            &first,
            &["T+01:30", "risk", "Risk management", "Ousmane Sène", PIPE, "2026-11-25T11:12:30.000Z"],
        ]
        .concat(),
        [
            &[ex.as_str()][..],
            &first,
            &["T+01:50", "governance", "Governance", "Ndèye Fall", BACKSLASH, "2026-11-25T11:12:50.000Z"],
        ]
        .concat(),
        [
            &[ex.as_str()][..],
            &first,
            &["T+01:10", "incident", "Incident response", "Fatou Ceesay", XSS, "2026-11-25T11:12:10.000Z"],
        ]
        .concat(),
        [
            &[ex.as_str()][..],
            &wrap,
            &["T+03:30", "risk", "Risk management", "Awa Njie", AWA_WRAP, "2026-11-25T11:15:30.000Z"],
        ]
        .concat(),
    ];
    assert_eq!(rows, expected);
}

#[test]
fn markup_in_answers_stays_inert_text() {
    let html = render(&ended_log(), Format::Html);
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script element at all");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;b&gt;unreadable&lt;/b&gt;"));
    for tag in html.split('<').skip(1).map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())]) {
        assert!(!tag.to_ascii_lowercase().contains("onerror"), "an onerror attribute in a tag: <{tag}>");
        assert!(!tag.to_ascii_lowercase().starts_with("img"), "an img element: <{tag}>");
    }

    let md = render(&ended_log(), Format::Markdown);
    assert!(!md.contains("<script") && !md.contains("<img"), "no raw tags in the Markdown");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(md.contains("Yes \\| row 12 of the register"));
    assert!(md.contains("C:\\\\ops\\\\playbook.md is \\*the\\* plan"));
    assert!(md.contains("say \"stop\".<br>Réponse : « arrêt »<br>Jërëjëf"));
    // Every answer row of inject 1 still has exactly five unescaped pipes (four cells).
    let inject1 = &md[md.find("### Inject 1").unwrap()..md.find("### Inject 2").unwrap()];
    let rows: Vec<&str> = inject1.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Group")).collect();
    assert_eq!(rows.len(), 7, "four answers and three groups without one:\n{inject1}");
    for row in rows {
        let pipes = row.match_indices('|').filter(|(i, _)| !row[..*i].ends_with('\\')).count();
        assert_eq!(pipes, 5, "{row}");
    }
}

#[test]
fn no_format_holds_a_secret() {
    for log in [running_log(), ended_log()] {
        for format in [Format::Markdown, Format::Csv, Format::Json, Format::Html] {
            let text = render(&log, format);
            for secret in SECRETS {
                assert!(!text.contains(secret), "{format:?} holds {secret}");
            }
        }
    }
}

#[test]
fn the_improvement_plan_puts_accepted_items_first_and_leaves_dropped_ones_out() {
    let json: serde_json::Value = serde_json::from_str(&render(&ended_log(), Format::Json)).unwrap();
    assert_eq!(json["format"], "tabletop-report");
    assert_eq!(json["version"], 1);
    let plan: Vec<(&str, &str)> = json["improvement_plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["item_id"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(plan, [("item-2", "accepted"), ("item-3", "accepted"), ("item-1", "proposed")]);
    let md = render(&ended_log(), Format::Markdown);
    assert!(md.contains("| 3 | *(proposed)* SIM-swap fraud is not in the register |"), "{md}");
    assert!(!md.contains("Old laptops"));
    assert_eq!(json["timeline"]["entries"].as_array().unwrap().len(), ended_log().len());
}

/// Expected versus observed: each released inject carries the questions each group was
/// asked and the expected actions, next to the answers.
#[test]
fn each_inject_says_what_was_asked_and_what_was_expected() {
    let json: serde_json::Value = serde_json::from_str(&render(&ended_log(), Format::Json)).unwrap();
    let first = &json["injects"][0];
    assert_eq!(first["inject_id"], "first-alert");
    assert_eq!(first["questions"][0]["group"], serde_json::Value::Null, "the questions for every group first");
    assert_eq!(first["questions"][0]["questions"][0], "What does your group do first, and who decides?");
    assert_eq!(first["questions"][1]["group"]["id"], "risk");
    assert_eq!(first["expected_actions"][0], "Activate the incident plan");
    let html = render(&ended_log(), Format::Html);
    let inject = &html[html.find("First alert").unwrap()..];
    let (asked, answers) =
        (inject.find("Questions asked").unwrap(), inject.find("Hold transfers from swapped SIMs").unwrap());
    assert!(
        asked < inject.find("Activate the incident plan").unwrap() && asked < answers,
        "asked, then expected, then observed"
    );
}

fn render_fr(log: &[Recorded], format: Format) -> String {
    render_text_in(log, format, None, Some(Lang::Fr)).expect("the log exports in French")
}

/// The log as if its scenario were written in French (`language = "fr"`).
fn in_french(mut log: Vec<Recorded>) -> Vec<Recorded> {
    match &mut log[0].event {
        Event::ExerciseCreated { scenario, .. } => scenario.language = Some("fr".into()),
        other => panic!("the log starts with {other:?}"),
    }
    log
}

/// The French report, asked for with `lang`: reviewed line by line when accepted.
#[test]
fn snapshots_of_the_ended_exercise_in_french() {
    let log = ended_log();
    insta::assert_snapshot!("ended_fr_md", render_fr(&log, Format::Markdown));
    insta::assert_snapshot!("ended_fr_html", render_fr(&log, Format::Html));
    insta::assert_snapshot!("running_fr_md", render_fr(&running_log(), Format::Markdown));
}

/// A scenario written in French gives a French report unless English is asked for, and
/// a scenario in English an English one unless French is: the same documents either way.
#[test]
fn the_report_is_in_the_scenarios_language_unless_another_is_asked() {
    let (english, french) = (ended_log(), in_french(ended_log()));
    for format in [Format::Markdown, Format::Html, Format::Json, Format::Csv, Format::PlanCsv, Format::PlanJson] {
        assert_eq!(render(&french, format), render_fr(&english, format), "{format:?}");
        assert_eq!(render_text_in(&french, format, None, Some(Lang::En)).unwrap(), render(&english, format));
    }
    let md = render(&french, Format::Markdown);
    assert!(md.starts_with("# Rapport de retour d'expérience (RETEX)\u{a0}: Quick demo — rehearsal"), "{md}");
    assert!(render(&french, Format::Html).contains("<html lang=\"fr\">"));
    assert!(render(&english, Format::Html).contains("<html lang=\"en\">"));
}

/// What the JSON and the plan's CSV carry in French: the data's own words, while the
/// machine values and the responses' CSV stay the same in both languages.
#[test]
fn the_json_and_the_plans_csv_carry_french_words_and_the_same_machine_values() {
    let log = ended_log();
    let fr: serde_json::Value = serde_json::from_str(&render_fr(&log, Format::Json)).unwrap();
    let en: serde_json::Value = serde_json::from_str(&render(&log, Format::Json)).unwrap();
    assert_eq!(fr["language"], "fr");
    assert_eq!(en.get("language"), None, "English reports read as before");
    let respond = |v: &serde_json::Value| v["objectives"][0]["rating"].clone();
    assert_eq!(respond(&fr)["meaning"], "Réalisé sans difficulté");
    assert_eq!(respond(&fr)["rated_by"], "Animateur");
    assert_eq!((respond(&fr)["letter"].clone(), respond(&en)["letter"].clone()), ("P".into(), "P".into()));
    assert_eq!(fr["general_notes"][0]["author"], "Animateur");
    assert_eq!(fr["general_notes"][0]["author_role"], "facilitator", "a machine value");
    assert_eq!(fr["improvement_plan"][0]["capability"], "training", "a machine value");
    // The scenario sets no levels: the default scale, in the report's language.
    assert_eq!(fr["self_assessment"]["scale"][0]["meaning"], "Inexistant");
    assert_eq!(en["self_assessment"]["scale"][0]["meaning"], "Not in place");
    assert_eq!(render_fr(&log, Format::Csv), render(&log, Format::Csv), "the responses' CSV has no fixed word");

    let plan = render_fr(&log, Format::PlanCsv);
    let mut reader = csv::Reader::from_reader(plan.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, FR.plan_csv_header);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("Capacité")], "Formation");
    assert_eq!(&rows[0][col("Priorité")], "Élevée");
    assert_eq!(&rows[0][col("Statut")], "En cours");
    assert_eq!(&rows[0][col("Statut dans le plan")], "acceptée");
    assert_eq!(&rows[2][col("Statut dans le plan")], "proposée");
    assert_eq!(&rows[0][col("Date de début")], "2026-12-07", "spreadsheets read ISO dates");
}

/// Whether `word` stands in `text` as a whole word (not inside a longer one).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every piece of text the log's people and scenario wrote, as the JSON report holds it
/// (ids, times and machine values left out), longest first.
fn user_texts(log: &[Recorded]) -> Vec<String> {
    const MACHINE: [&str; 12] = [
        "format",
        "language",
        "attribution",
        "phase",
        "status",
        "mode",
        "capability",
        "priority",
        "progress",
        "author_role",
        "category",
        "play_time",
    ];
    fn walk(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                let machine = MACHINE.contains(&key) || key == "id" || key.ends_with("_id") || key.ends_with("_utc");
                if !machine && s.chars().count() >= 3 {
                    out.push(s.clone());
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, key, out)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, k, out)),
            _ => {}
        }
    }
    let json: serde_json::Value = serde_json::from_str(&render_fr(log, Format::Json)).unwrap();
    let mut out = Vec::new();
    walk(&json, "", &mut out);
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// The French report holds none of the English table's headings, labels and sentences
/// once what people wrote is taken out; words spelt the same in both languages are
/// listed, and so are the English phrases' own words.
#[test]
fn a_french_report_has_no_english_fixed_word() {
    const SAME: [&str; 13] = [
        "Date",
        "Participants",
        "Participant",
        "Notes",
        "Observations",
        "Min",
        "Max",
        "Min–max",
        "consensus",
        "Organisation",
        "Organisations",
        "Votes",
        "Contribution",
    ];
    const PHRASES: [&str; 16] = [
        "Inject",
        "Injects",
        "inject",
        "released by",
        "on time",
        "not answered",
        "answered",
        "rated by",
        "Ratings",
        "Scale",
        "raters",
        "Made by tabletop",
        "Adoption board",
        "of 5",
        "skipped",
        "Improvement plan",
    ];
    for log in [ended_log(), running_log()] {
        let users = user_texts(&log);
        for (format, escape) in
            [(Format::Markdown, markdown::inline as fn(&str) -> String), (Format::Html, html::escape)]
        {
            let mut text = render_fr(&log, format);
            for user in &users {
                text = text.replace(&escape(user), "");
            }
            if format == Format::Html {
                // The stylesheets, class names and ids are not the reader's words.
                let style = text.find("<style>").unwrap();
                let end = text.find("</head>").unwrap();
                text.replace_range(style..end, "");
                // The charts' pattern ids (`url(#tt-responses-late)`) are names, not words.
                while let Some(at) = text.find("url(#") {
                    let end = at + text[at..].find(')').unwrap();
                    text.replace_range(at..=end, "");
                }
                for attribute in [" class=\"", " id=\""] {
                    while let Some(at) = text.find(attribute) {
                        let value_end = at + attribute.len() + text[at + attribute.len()..].find('"').unwrap();
                        text.replace_range(at..=value_end, "");
                    }
                }
            }
            // `#` heads the English plan's first column, and Markdown's headings.
            assert!(!text.contains("| # |") && !text.contains("<th class=\"num\">#</th>"), "{format:?}");
            for (name, english) in EN.labels() {
                if !SAME.contains(&english) && english != "#" {
                    assert!(!has_word(&text, english), "{format:?}: English {name} {english:?} in:\n{text}");
                }
            }
            for english in PHRASES {
                assert!(!has_word(&text, english), "{format:?}: English {english:?} in:\n{text}");
            }
            if format == Format::Markdown {
                let decimal_point =
                    text.as_bytes().windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
                assert!(!decimal_point, "a decimal point in French:\n{text}");
            }
        }
    }
}
