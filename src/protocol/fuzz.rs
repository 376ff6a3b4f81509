//! Generated inputs through [`super::parse`], the one way a client's frame comes in:
//! arbitrary bytes, and arbitrary well-formed-ish messages (every type the protocol
//! knows, its fields present or missing, right or wrongly typed, with odd strings and
//! numbers, extra fields). No panic, and a typed answer: a message of the type sent, or a
//! [`super::Refusal`] with one of its stable codes.
//!
//! [`message`] is also what `exercise::tests::fuzz` sends through `decide`.
//! CI runs a few thousand cases; the long run is `scripts/fuzz` (docs/operations.md).

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::client::{Incoming, client_types, parse};

/// The codes a refusal may carry.
pub(crate) const REFUSALS: [&str; 5] =
    ["malformed", "invalid_message", "unknown_type", "not_identified", "already_identified"];

/// What a field holds, to generate plausible and implausible values for it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Inject,
    Group,
    Objective,
    Item,
    Participant,
    Participants,
    Exercise,
    Speed,
    Seq,
    ImprovementItem,
    View,
    Rating,
    Category,
    Scores,
    Texts,
}

/// The fields of each message type (`client_types()` names them all).
fn fields(ty: &str) -> &'static [(&'static str, Kind)] {
    use Kind::*;
    match ty {
        "join" => &[
            ("join_code", Text),
            ("name", Text),
            ("group_id", Group),
            ("organisation", Text),
            ("sector", Text),
            ("email", Text),
            ("lang", Text),
        ],
        "resume" => &[("resume_token", Text), ("last_seq", Seq), ("lang", Text)],
        "project" => &[("join_code", Text), ("lang", Text)],
        "observe" => &[("exercise_id", Exercise), ("observer_key", Text), ("last_seq", Seq), ("lang", Text)],
        "facilitate" => &[("exercise_id", Exercise), ("facilitator_key", Text), ("last_seq", Seq), ("lang", Text)],
        "release" | "skip" | "fire_condition" | "cancel_condition" => &[("inject_id", Inject)],
        "set_speed" => &[("speed", Speed)],
        "move" => &[("participant_id", Participant), ("group_id", Group)],
        "move_participants" => &[("participant_ids", Participants), ("group_id", Group)],
        "assign_scribe" => &[("group_id", Group), ("participant_id", Participant)],
        "announce" => &[("text", Text)],
        "respond" => &[("inject_id", Inject), ("text", Text), ("options", Texts)],
        "add_observer" => &[("name", Text)],
        "note" => &[
            ("inject_id", Inject),
            ("objective_id", Objective),
            ("group_id", Group),
            ("text", Text),
            ("category", Category),
        ],
        "rate_objective" => {
            &[("objective_id", Objective), ("rating", Rating), ("strengths", Text), ("areas_for_improvement", Text)]
        }
        "propose_improvement" => &[("item", ImprovementItem)],
        "accept_improvement" => &[("item_id", Item), ("item", ImprovementItem)],
        "drop_improvement" => &[("item_id", Item)],
        "self_assess" => &[("scores", Scores), ("dont_know", Texts)],
        "edit_report" => &[("executive_summary", Text), ("marking", Text)],
        "vote_priorities" => &[("item_ids", Texts)],
        "show_on_projector" => &[("view", View), ("inject_id", Inject)],
        _ => &[],
    }
}

/// Ids a generated message may name, so many messages reach past the parser: the test
/// scenario's injects, groups and objective, and the participants of the state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Known {
    /// Participant ids (UUID strings).
    pub participants: Vec<String>,
    /// Improvement item ids.
    pub items: Vec<String>,
}

const INJECTS: [&str; 5] = ["first", "second", "third", "spare", "first-alert"];
const GROUPS: [&str; 4] = ["risk", "incident", "protection", "nowhere"];

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ]{0,12}",
        2 => any::<String>(),
        1 => "\\PC{0,200}",
        1 => Just(String::new()),
        1 => Just("=cmd|' /C calc'!A0".to_owned()),
        1 => (1usize..20_000).prop_map(|n| "x".repeat(n)),
        1 => Just("\u{202e}\u{200b}Facilitator\u{0}".to_owned()),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (-1000.0f64..1000.0).prop_map(|f| json!(f)),
    ]
    .boxed()
}

/// Any JSON value, a few levels deep.
fn odd() -> BoxedStrategy<Value> {
    let leaf =
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool), number(), text().prop_map(Value::String),];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

fn one_of(pool: Vec<String>) -> BoxedStrategy<String> {
    if pool.is_empty() {
        return text();
    }
    prop_oneof![4 => prop::sample::select(pool), 1 => text()].boxed()
}

fn ids(of: &[&str]) -> Vec<String> {
    of.iter().map(|s| (*s).to_owned()).collect()
}

fn uuid() -> BoxedStrategy<String> {
    any::<u128>().prop_map(|n| uuid::Uuid::from_u128(n).to_string()).boxed()
}

fn item() -> BoxedStrategy<Value> {
    let capability = one_of(ids(&["planning", "organisation", "equipment", "training", "exercise", "Planning"]));
    let date = prop_oneof![Just(String::new()), Just("2026-12-31".to_owned()), "[0-9-]{0,12}", text()];
    let choice = |of: &[&str]| prop::option::of(one_of(ids(of)));
    (
        text(),
        text(),
        capability,
        one_of(ids(&GROUPS)),
        (text(), text()),
        (date.clone(), date),
        choice(&["high", "medium", "low"]),
        choice(&["not_started", "in_progress", "complete", "cancelled"]),
    )
        .prop_map(|(issue, action, capability, group, (org, owner), (due, start), priority, progress)| {
            json!({"issue": issue, "corrective_action": action, "capability": capability, "group_id": group,
                   "responsible_org": org, "owner": owner, "due": due, "start": start,
                   "priority": priority, "progress": progress})
        })
        .boxed()
}

fn good(kind: Kind, known: &Known) -> BoxedStrategy<Value> {
    let s = |st: BoxedStrategy<String>| st.prop_map(Value::String).boxed();
    let list = |st: BoxedStrategy<String>| prop::collection::vec(st, 0..5).prop_map(|v| json!(v)).boxed();
    let participant = || prop_oneof![3 => one_of(known.participants.clone()), 1 => uuid()].boxed();
    match kind {
        Kind::Text => s(text()),
        Kind::Inject => s(one_of(ids(&INJECTS))),
        Kind::Group => s(one_of(ids(&GROUPS))),
        Kind::Objective => s(one_of(ids(&["o", "nope"]))),
        Kind::Item => s(one_of(known.items.clone())),
        Kind::Participant => s(participant()),
        Kind::Participants => list(participant()),
        Kind::Exercise => s(uuid()),
        Kind::Speed => prop_oneof![number(), (0.0f64..1000.0).prop_map(|f| json!(f))].boxed(),
        Kind::Seq => prop_oneof![any::<u64>().prop_map(Value::from), number()].boxed(),
        Kind::ImprovementItem => item(),
        Kind::View => s(one_of(ids(&["play", "results", "adoption", "briefing", "poll"]))),
        Kind::Rating => s(one_of(ids(&["P", "S", "M", "U", "p"]))),
        Kind::Category => s(one_of(ids(&["strength", "area_for_improvement"]))),
        Kind::Scores => prop::collection::btree_map(one_of(ids(&["r1", "s1", "i1"])), number(), 0..4)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
            .boxed(),
        Kind::Texts => list(one_of(ids(&["a", "b", "yes", "no"]).into_iter().chain(known.items.clone()).collect())),
    }
}

/// A client message shaped like one of the protocol's: a `type` it knows (now and then
/// one it does not), each field usually right, sometimes missing, null or any JSON; now
/// and then an extra field; a `client_msg_id` usually.
pub(crate) fn message(known: Known) -> BoxedStrategy<Value> {
    let types: Vec<String> = client_types().map(str::to_owned).collect();
    prop_oneof![9 => prop::sample::select(types), 1 => "[a-z_]{0,16}"]
        .prop_flat_map(move |ty| {
            let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = fields(&ty)
                .iter()
                .map(|&(name, kind)| {
                    prop_oneof![
                        12 => good(kind, &known).prop_map(move |v| Some((name.to_owned(), v))),
                        1 => Just(None),
                        1 => odd().prop_map(move |v| Some((name.to_owned(), v))),
                    ]
                    .boxed()
                })
                .collect();
            let extra = prop::option::weighted(0.1, ("[a-z_]{1,10}", odd()));
            let id = prop_oneof![6 => "[a-z0-9-]{1,20}".prop_map(Value::String), 1 => Just(Value::Null), 1 => odd()];
            let id = prop::option::weighted(0.9, id);
            (fields, extra, id).prop_map(move |(fields, extra, id)| {
                let mut m = Map::new();
                m.insert("type".into(), Value::String(ty.clone()));
                m.extend(fields.into_iter().flatten());
                if let Some((k, v)) = extra {
                    m.entry(k).or_insert(v);
                }
                if let Some(id) = id {
                    m.insert("client_msg_id".into(), id);
                }
                Value::Object(m)
            })
        })
        .boxed()
}

/// Parses `text` both before and after the handshake and checks the answer is typed.
fn parses_typed(text: &str) -> Result<(), TestCaseError> {
    for identified in [false, true] {
        match parse(text, identified) {
            Ok(Incoming::Hello(_)) => prop_assert!(!identified, "a hello is only parsed before the handshake"),
            Ok(Incoming::Message(_)) => prop_assert!(identified, "a message is only parsed after the handshake"),
            Err(r) => {
                prop_assert!(REFUSALS.contains(&r.code), "unknown refusal code {}", r.code);
                prop_assert!(!r.message.is_empty());
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_parsed_or_refused_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parses_typed(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn arbitrary_strings_are_parsed_or_refused_never_a_panic(text in "\\PC{0,300}") {
        parses_typed(&text)?;
    }

    #[test]
    fn messages_of_every_type_are_parsed_as_themselves_or_refused_with_a_code(msg in message(Known::default())) {
        let text = msg.to_string();
        parses_typed(&text)?;
        // A message that parses is the type it says (or its older name).
        if let Ok(Incoming::Message(m)) = parse(&text, true) {
            let tag: &str = super::ActionType::from(&m.action).into();
            let sent = msg["type"].as_str().unwrap_or_default();
            prop_assert!(tag == sent || (sent == "resume" && tag == "resume_clock"), "{sent} parsed as {tag}");
        }
    }
}

/// Cases per property: `PROPTEST_CASES` when set (the long run), else `ci`.
pub(crate) fn cases(ci: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(ci)
}
