//! The report of the DFS scenario's profile self-assessment, from a hand-written log:
//! seven participants of four organisations in three sectors rate their own
//! organisation; snapshots of Markdown, HTML and JSON by group (the scenario's default:
//! no name, no cell of fewer than 3 raters) and with names (every cell), and the facts
//! those rules rest on checked outright; the same profile in French (Markdown, HTML).

use std::collections::BTreeMap;
use std::path::Path;

use tabletop::debrief::export::{Format, render_text_as, render_text_in};
use tabletop::debrief::report::Attribution;
use tabletop::events::{Event, Recorded};
use tabletop::ids::{ExerciseId, ParticipantId};
use tabletop::lang::Lang;
use uuid::Uuid;

/// 2026-12-03T11:00:00Z.
const T0: u64 = 1_796_295_600_000;
const EXERCISE: ExerciseId = ExerciseId(Uuid::from_u128(0x0193_7e2a_0000_7000_8000_0000_0000_0002));

/// (name, organisation, sector): BaobabPay has 3 raters, the Central Bank 2, the others 1.
const ROOM: [(&str, &str, &str); 7] = [
    ("Awa Njie", "BaobabPay", "emoney"),
    ("Bakary Sonko", "BaobabPay", "emoney"),
    ("Codou Faye", "BaobabPay", "emoney"),
    ("Fatou Ceesay", "Central Bank", "central-bank"),
    ("Haddy Jobe", "Central Bank", "central-bank"),
    ("Ebrima Touray", "Atlantic Cell", "mno"),
    ("Modou Lo", "Trust Bank", "bank"),
];

fn id(n: usize) -> ParticipantId {
    ParticipantId(Uuid::from_u128(0xc0 + n as u128))
}

fn log() -> Vec<Recorded> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios/dfs-salary-tide.toml");
    let scenario = tabletop::scenario::load::load_file(&file).expect("the DFS scenario loads");
    let statements: Vec<String> =
        scenario.self_assessment.as_ref().unwrap().statements.iter().map(|s| s.id.clone()).collect();
    let groups: Vec<String> = scenario.groups.iter().map(|g| g.id.clone()).collect();
    let mut events = vec![Event::ExerciseCreated {
        exercise_id: EXERCISE,
        scenario: Box::new((&scenario).into()),
        join_code: "P4QMP3XD".into(),
        facilitator_key: "FACILITATOR-SECRET-KEY".into(),
    }];
    for (n, (name, organisation, sector)) in ROOM.iter().enumerate() {
        events.push(Event::ParticipantJoined {
            participant_id: id(n),
            name: (*name).into(),
            group_id: groups[n % groups.len()].clone(),
            resume_token: format!("RESUME-SECRET-{n}"),
            organisation: Some((*organisation).into()),
            sector: Some((*sector).into()),
            email: None,
        });
    }
    events.push(Event::ClockStarted);
    events.push(Event::InjectReleased { inject_id: "payday-fraud-wave".into(), manual: false });
    events.push(Event::SelfAssessmentOpened);
    for n in 0..ROOM.len() {
        let mut scores = BTreeMap::new();
        let mut dont_know = std::collections::BTreeSet::new();
        for (j, statement) in statements.iter().enumerate() {
            match (n * 5 + j * j + n * j) % 7 {
                6 => {
                    dont_know.insert(statement.clone());
                }
                x => {
                    scores.insert(statement.clone(), 1 + (x % 5) as u8);
                }
            }
        }
        events.push(Event::SelfAssessmentRated {
            participant_id: id(n),
            group_id: groups[n % groups.len()].clone(),
            scores,
            dont_know,
        });
    }
    events.push(Event::SelfAssessmentClosed);
    events.push(Event::ExerciseEnded);
    (events.into_iter().enumerate())
        .map(|(i, event)| Recorded { seq: i as u64 + 1, wall_ms: T0 + i as u64 * 20_000, event })
        .collect()
}

fn render(format: Format, attribution: Attribution) -> String {
    render_text_as(&log(), format, Some(attribution)).expect("the log exports")
}

#[test]
fn by_group_no_name_and_no_cell_of_fewer_than_3_raters_with_names_every_cell() {
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json, Attribution::Group)).unwrap();
    let profile = &json["self_assessment"]["profile"];
    assert_eq!(profile["small_cells_withheld"], true);
    let rows = || {
        std::iter::once(&profile["overall"])
            .chain(profile["sectors"].as_array().unwrap())
            .chain(profile["organisations"].as_array().unwrap())
    };
    let mut withheld = 0;
    for row in rows() {
        for cell in row["cells"].as_array().unwrap() {
            let small = cell["n"].as_u64().unwrap() < 3;
            assert_eq!(cell["mean"].is_null(), small, "{row}");
            withheld += usize::from(small);
        }
    }
    assert!(withheld >= 6 * 4, "the Central Bank, Atlantic Cell, Trust Bank and the small sectors are withheld");
    for format in [Format::Markdown, Format::Json, Format::Html] {
        let text = render(format, Attribution::Group);
        for (name, _, _) in ROOM {
            assert!(!text.contains(name), "{format:?} by group names {name}");
        }
    }
    let named: serde_json::Value = serde_json::from_str(&render(Format::Json, Attribution::Names)).unwrap();
    for row in named["self_assessment"]["profile"]["organisations"].as_array().unwrap() {
        for cell in row["cells"].as_array().unwrap() {
            assert_eq!(cell["mean"].is_null(), cell["n"] == 0, "with names every rated cell has its figure: {row}");
        }
    }
    let maturity = &json["executive_summary"]["key_figures"]["maturity"];
    assert_eq!(maturity.as_array().unwrap().len(), 6, "the room's maturity per domain in the key figures");
    let html = render(Format::Html, Attribution::Group);
    assert!(html.contains("class=\"chart radar\"") && html.contains("<svg"), "the HTML embeds the charts");
}

#[test]
fn snapshots_by_group_and_with_names() {
    for (attribution, suffix) in [(Attribution::Group, "by_group"), (Attribution::Names, "names")] {
        insta::assert_snapshot!(format!("profile_{suffix}_md"), render(Format::Markdown, attribution));
        insta::assert_snapshot!(format!("profile_{suffix}_json"), render(Format::Json, attribution));
        insta::assert_snapshot!(format!("profile_{suffix}_html"), render(Format::Html, attribution));
    }
}

/// The profile in French: the room's row, the withheld cells, the figures' decimal
/// comma and the charts' words; reviewed line by line when accepted.
#[test]
fn the_profile_in_french() {
    let md = render_text_in(&log(), Format::Markdown, None, Some(Lang::Fr)).unwrap();
    let html = render_text_in(&log(), Format::Html, None, Some(Lang::Fr)).unwrap();
    assert!(md.contains("| Ensemble des participants | 7 |"), "{md}");
    assert!(md.contains("moins de 3") && !md.contains("fewer than 3"), "{md}");
    assert!(html.contains("aria-label=\"Profil de maturité\"") && html.contains("aria-label=\"Maturité par secteur\""));
    assert!(html.contains(">moins de 3</text>"), "the heatmap says why a cell has no figure");
    let heat = &html[html.find("class=\"chart heatmap\"").unwrap()..];
    let figures: Vec<&str> = heat.split("</text>").filter_map(|t| t.rsplit('>').next()).collect();
    assert!(figures.iter().any(|f| f.len() == 3 && f.as_bytes()[1] == b','), "decimal commas: {figures:?}");
    assert!(!figures.iter().any(|f| f.len() == 3 && f.as_bytes()[1] == b'.'), "no decimal point: {figures:?}");
    insta::assert_snapshot!("profile_by_group_fr_md", md);
    insta::assert_snapshot!("profile_by_group_fr_html", html);
}
