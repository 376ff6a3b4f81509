//! Scenario files: the model an exercise is played from.
//!
//! A scenario is authored as TOML (JSON is accepted through the same serde model) and
//! holds the objectives, the breakout groups and the injects with their questions.
//! [`load`] reads and parses files, [`validate`] checks what serde cannot (unknown
//! groups, duplicate ids, timing), and [`locate`] (TOML) and [`locate_json`] turn a
//! problem's path in the document into `line:col`, so authors get `FILE:LINE:COL: message`.
//! [`preview`] draws a valid scenario's schedule per group and [`lint`] warns about its
//! shape (idle groups, unbalanced questions, windows that close after play ends).
//!
//! The scenario is copied into the exercise's first event when an exercise is created,
//! so an exercise replays the same way even if the file is later edited.

pub mod attachment;
pub mod condition;
pub mod lint;
pub mod load;
pub mod locate;
pub mod locate_json;
pub mod msel;
pub mod poll;
pub mod preview;
pub mod schema;
pub mod snapshot;
pub mod text;
pub mod texts;
pub mod validate;

#[cfg(test)]
mod fuzz;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::lang::Lang;
pub use condition::Condition;
pub use load::{Catalog, LoadError, ScenarioFormat, parse_scenario, parse_scenario_with};
pub use poll::ChoiceOption;
pub use text::Text;
pub use validate::Problem;

/// The key in an inject's `questions` table that applies to every targeted group.
pub const ALL_GROUPS: &str = "all";

/// A whole tabletop scenario, as authored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema an editor checks a JSON scenario against (`"$schema"`); read and
    /// ignored, never written.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    /// Stable identifier, used by `POST /api/exercises` (`[a-z0-9_-]`).
    pub id: String,
    /// Title shown to the facilitator and participants.
    pub title: Text,
    /// The language the scenario is written in (`en` or `fr`; default `en`): the
    /// after-action report is written in it unless the reader asks for another.
    #[serde(default, skip_serializing_if = "Lang::is_default")]
    pub language: Lang,
    /// Every language the scenario is written in (default: `language` alone); each text
    /// must exist in each, and participants read the one they ask for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Lang>,
    /// One-paragraph situation summary (the SITMAN's scope).
    #[serde(default)]
    pub summary: Text,
    /// Planned play duration in minutes; timed injects must fall within it.
    pub duration_minutes: u32,
    /// When true, a participant may name the group to join; otherwise groups are balanced.
    #[serde(default)]
    pub self_select_groups: bool,
    /// When true, the join form asks for an email address (for the breakout assignment
    /// the Zoom host imports); it is shown to the facilitator only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ask_email: bool,
    /// Whether each member answers for themselves or a scribe writes the group's answer.
    #[serde(default, skip_serializing_if = "AnswerMode::is_individual")]
    pub answer_mode: AnswerMode,
    /// The ground rules read in the lobby before the start (no-fault, answer for your
    /// own domain, …), one rule per entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "text::text_list")]
    #[schemars(with = "text::TextList")]
    pub ground_rules: Vec<Text>,
    /// What the exercise sets out to test; each must be served by at least one inject.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// The breakout groups, in display order (ties in balancing go to the earlier one).
    pub groups: Vec<Group>,
    /// The sectors participants may say they speak for when they join (e.g. central
    /// bank, mobile network operator), in display order; none: the question is not asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
    /// The master scenario events list: timed and contingency injects.
    #[serde(default)]
    pub injects: Vec<Inject>,
    /// Statements each group rates 1–5 about its own domain, after play.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessmentPlan>,
    /// What the after-action report says on its cover, and how it attributes answers.
    #[serde(default, skip_serializing_if = "ReportSettings::is_default")]
    pub report: ReportSettings,
}

/// Who writes a group's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerMode {
    /// Every member's answer is an answer of the group (each one counts).
    #[default]
    Individual,
    /// Each group has a scribe: the scribe's answer is the group's answer; the other
    /// members add contributions the group sees.
    Group,
}

impl AnswerMode {
    fn is_individual(&self) -> bool {
        *self == AnswerMode::Individual
    }
}

/// The after-action report's cover and attribution, as the scenario sets them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Who runs the exercise, e.g. "Telecom Regulator, with ITU".
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub organiser: Text,
    /// Where or how it is held, e.g. "Online (Zoom)".
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub venue: Text,
    /// Handling marking printed on every page, e.g. "TLP:AMBER".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub marking: String,
    /// Whom answers are attributed to in exports unless asked otherwise.
    #[serde(default, skip_serializing_if = "Attribution::is_names")]
    pub attribution: Attribution,
}

impl ReportSettings {
    fn is_default(&self) -> bool {
        *self == ReportSettings::default()
    }
}

/// Whom exported answers are attributed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// Each answer with its author's name.
    #[default]
    Names,
    /// Each answer to its group only (no-fault, non-attribution practice); participants
    /// are counted, not named.
    Group,
}

impl Attribution {
    fn is_names(&self) -> bool {
        *self == Attribution::Names
    }
}

/// The self-assessment a scenario brings: statements per domain (a group id), rated on
/// the [`SCALE`]. In [`AssessmentMode::Group`] the members of each group rate their
/// group's statements; in [`AssessmentMode::Profile`] every participant rates their own
/// organisation on every domain's statements, which gives a maturity profile per
/// organisation, per sector and for the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentPlan {
    /// Who rates what (default: each group its own statements).
    #[serde(default, skip_serializing_if = "AssessmentMode::is_group")]
    pub mode: AssessmentMode,
    /// True when the statements are examples to adapt, not an agreed instrument; the
    /// report says so.
    #[serde(default)]
    pub example: bool,
    /// What participants read before rating.
    #[serde(default)]
    pub intro: Text,
    /// What each level of the scale means, 1 to 5, in the scenario's words (default:
    /// the [`SCALE`]'s labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "text::text_list")]
    #[schemars(with = "text::TextList")]
    pub levels: Vec<Text>,
    /// The statements, each for one domain.
    pub statements: Vec<Statement>,
}

/// Who rates the self-assessment's statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentMode {
    /// The members of each group rate their group's statements.
    #[default]
    Group,
    /// Every participant rates their organisation on every statement.
    Profile,
}

impl AssessmentMode {
    fn is_group(&self) -> bool {
        *self == AssessmentMode::Group
    }
}

/// One self-assessment statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = domain_is_group)]
pub struct Statement {
    /// Unique within the scenario.
    pub id: String,
    /// Its domain: the group that rates it in group mode (`domain` in the file is the
    /// same field).
    #[serde(alias = "domain")]
    pub group: String,
    /// The statement, e.g. "SIM-swap fraud is in our risk register".
    pub text: Text,
}

/// The schema of a [`Statement`]: `domain` is the same field as `group` (a serde alias,
/// which schemars does not list), and one of the two is required.
fn domain_is_group(schema: &mut schemars::Schema) {
    if let Some(group) = schema.get("properties").and_then(|p| p.get("group")).cloned()
        && let Some(serde_json::Value::Object(props)) = schema.get_mut("properties")
    {
        props.insert("domain".into(), group);
    }
    if let Some(serde_json::Value::Array(required)) = schema.get_mut("required") {
        required.retain(|r| r != "group");
    }
    schema.insert("oneOf".into(), serde_json::json!([{ "required": ["group"] }, { "required": ["domain"] }]));
}

/// The self-assessment scale: score and meaning.
pub const SCALE: [(u8, &str); 5] = [
    (1, "Not in place"),
    (2, "Ad hoc or planned"),
    (3, "Defined and partly applied"),
    (4, "Applied across the organisation"),
    (5, "Tested and improved"),
];

/// The scale's labels in French, in [`SCALE`]'s order.
const SCALE_FR: [&str; 5] = [
    "Inexistant",
    "Ponctuel ou prévu",
    "Défini et partiellement appliqué",
    "Appliqué dans toute l'organisation",
    "Testé et amélioré",
];

/// What `score` (1–5) means on the default scale, in `lang`.
pub fn scale_label(score: u8, lang: Lang) -> &'static str {
    let i = usize::from(score.clamp(1, 5) - 1);
    match lang {
        Lang::En => SCALE[i].1,
        Lang::Fr => SCALE_FR[i],
    }
}

impl SelfAssessmentPlan {
    /// The statements of one domain (group), in file order.
    pub fn for_group<'a>(&'a self, group_id: &'a str) -> impl Iterator<Item = &'a Statement> {
        self.statements.iter().filter(move |s| s.group == group_id)
    }

    /// The statements a member of `group_id` rates: their group's, or all in profile mode.
    pub fn rated_by<'a>(&'a self, group_id: &'a str) -> impl Iterator<Item = &'a Statement> {
        let all = self.mode == AssessmentMode::Profile;
        self.statements.iter().filter(move |s| all || s.group == group_id)
    }

    /// What level `score` (1–5) means: the scenario's words, or the [`SCALE`]'s label.
    pub fn level(&self, score: u8) -> &str {
        self.level_in(score, Lang::En)
    }

    /// What level `score` (1–5) means: the scenario's words, or the default scale's
    /// label in `lang` ([`scale_label`]).
    pub fn level_in(&self, score: u8, lang: Lang) -> &str {
        let i = usize::from(score.clamp(1, 5) - 1);
        self.levels.get(i).map_or_else(|| scale_label(score, lang), |l| l.as_str())
    }
}

/// An exercise objective (HSEEP: what capability the exercise evaluates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Identifier referenced by injects' `objectives`.
    pub id: String,
    /// The objective as written in the exercise plan.
    pub text: Text,
}

/// A sector of the room, e.g. "Central bank" or "Mobile-money / e-money issuer".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// Identifier sent by the join form and kept in the log (`[a-z0-9_-]`).
    pub id: String,
    /// What participants read.
    pub label: Text,
}

/// A breakout group, e.g. one resilience domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Identifier used in targets, questions and the wire protocol.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// What this group looks at, shown under its name.
    #[serde(default)]
    pub focus: Text,
    /// The name of its breakout room (e.g. in Zoom); none: "Breakout room N" by the
    /// group's position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout_room: Option<String>,
}

/// One inject of the MSEL: a piece of the unfolding incident pushed to groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Identifier, unique in the scenario.
    pub id: String,
    /// Play minutes from the start at which it is released; absent for a contingency
    /// inject, which the facilitator releases by hand (or its condition releases). With
    /// `when`, the earliest play time its condition is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<f64>,
    /// What groups do (or fail to do) that releases it: see [`condition`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Short headline.
    pub title: Text,
    /// The inject text the groups read.
    pub body: Text,
    /// Simulated originator ("CEO of BaobabPay", "Central Bank").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Text>,
    /// Delivery method as in an MSEL: email, phone call, news, social post, memo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Text>,
    /// Which groups receive it.
    pub targets: Targets,
    /// Questions per group id; the key `all` applies to every targeted group.
    #[serde(default)]
    pub questions: BTreeMap<String, Questions>,
    /// How groups answer.
    #[serde(default)]
    pub response: ResponseKind,
    /// The answer window: groups are due to answer within this many play minutes of
    /// the release (later answers are accepted and marked late); none: no deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_within_minutes: Option<f64>,
    /// Objective ids this inject serves.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Expected player actions: facilitator-only.
    #[serde(default, deserialize_with = "text::text_list")]
    #[schemars(with = "text::TextList")]
    pub expected_actions: Vec<Text>,
    /// Controller/evaluator notes: facilitator-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator_notes: Option<Text>,
    /// Handouts shown with the inject (text or a link), visible to its targets.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The inject asks groups for improvement-plan items (issue, fix, owner, due
    /// date); the participant page shows a form for them under it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collect_improvements: bool,
}

/// Who an inject goes to: the string `"all"` or a list of group ids.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// Every group.
    All,
    /// The listed groups, in the order written.
    Groups(Vec<String>),
}

/// Questions for one group: a single text or a list (or one list per language).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Questions {
    /// One question.
    One(Text),
    /// Several questions, in order.
    Many(Vec<Text>),
}

/// How an inject is answered.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ResponseKind {
    /// Free text (the default).
    #[default]
    Text,
    /// A poll: one (or with `multiple`, several) of the listed options, with optional
    /// free text beside it (the "why").
    Choice {
        /// The options offered, in order: labels or `{ id, label }`.
        #[serde(deserialize_with = "poll::options_from_authored")]
        #[schemars(with = "Vec<poll::AuthoredOption>")]
        options: Vec<ChoiceOption>,
        /// Several options may be chosen at once.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        multiple: bool,
    },
}

impl ResponseKind {
    /// The options of a poll (none for free text).
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            ResponseKind::Text => &[],
            ResponseKind::Choice { options, .. } => options,
        }
    }
}

/// A handout attached to an inject: a text, a link, or a file from the scenario's
/// folder (an image, a voice note, a PDF) with its caption and alt text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Label shown for the handout (optional for a file, which has its caption).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub title: Text,
    /// Inline text of the handout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// A link, shown as text (never fetched by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A file, relative to the scenario file: PNG, JPEG, SVG, WebP, MP3, M4A, OGG, WAV or PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Shown under the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<Text>,
    /// What the file shows, for screen readers and when it cannot be shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<Text>,
    /// The file's content, read when the scenario is loaded (not written out).
    #[serde(skip)]
    pub content: Option<attachment::FileContent>,
}

/// Questions are equal when they ask the same things in the same order: one question
/// and a list of that one question are the same (an MSEL cell cannot tell them apart).
impl PartialEq for Questions {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Questions {
    /// The questions in the main language.
    pub fn strings(&self) -> Vec<String> {
        self.as_slice().iter().map(|q| q.to_string()).collect()
    }

    /// The questions as a slice-like list.
    pub fn as_slice(&self) -> &[Text] {
        match self {
            Questions::One(q) => std::slice::from_ref(q),
            Questions::Many(qs) => qs,
        }
    }
}

impl Targets {
    /// Whether `group_id` receives an inject with these targets.
    pub fn includes(&self, group_id: &str) -> bool {
        match self {
            Targets::All => true,
            Targets::Groups(ids) => ids.iter().any(|g| g == group_id),
        }
    }
}

impl Inject {
    /// Play time of a timed inject in milliseconds; `None` for contingency injects.
    pub fn at_play_ms(&self) -> Option<u64> {
        self.at.map(minutes_to_ms)
    }

    /// The answer window in play milliseconds, if the inject has one.
    pub fn window_ms(&self) -> Option<u64> {
        self.respond_within_minutes.map(minutes_to_ms)
    }

    /// The questions shown to `group_id`: those for `all`, then the group's own.
    pub fn questions_for(&self, group_id: &str) -> Vec<String> {
        [ALL_GROUPS, group_id]
            .iter()
            .filter_map(|key| self.questions.get(*key))
            .flat_map(|qs| qs.as_slice().iter().map(|q| q.to_string()))
            .collect()
    }
}

impl Scenario {
    /// The sector with this id.
    pub fn sector(&self, id: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.id == id)
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The index and inject with this id.
    pub fn inject(&self, id: &str) -> Option<(usize, &Inject)> {
        self.injects.iter().enumerate().find(|(_, i)| i.id == id)
    }

    /// The breakout room a group meets in: its `breakout_room`, or "Breakout room N" by
    /// its position, in the scenario's language (the room names the host types in Zoom).
    pub fn breakout_room(&self, group_id: &str) -> Option<String> {
        let (i, g) = self.groups.iter().enumerate().find(|(_, g)| g.id == group_id)?;
        let numbered = |n: usize| match self.language {
            Lang::En => format!("Breakout room {n}"),
            Lang::Fr => format!("Salle de sous-groupe {n}"),
        };
        Some(g.breakout_room.clone().unwrap_or_else(|| numbered(i + 1)))
    }

    /// Ids of the groups an inject reaches, in scenario order.
    pub fn target_groups<'a>(&'a self, inject: &'a Inject) -> impl Iterator<Item = &'a Group> {
        self.groups.iter().filter(|g| inject.targets.includes(&g.id))
    }

    /// Indices of timed injects (those the clock releases: an `at` and no `when`) in
    /// release order: by `at`, then by position in the file.
    pub fn timed_order(&self) -> Vec<usize> {
        let timed = |i: &Inject| i.at.is_some() && i.when.is_none();
        let mut order: Vec<usize> = (0..self.injects.len()).filter(|&i| timed(&self.injects[i])).collect();
        order.sort_by_key(|&i| (self.injects[i].at_play_ms(), i));
        order
    }
}

/// Converts play minutes (possibly fractional) to whole milliseconds.
pub fn minutes_to_ms(minutes: f64) -> u64 {
    (minutes * 60_000.0).round().max(0.0) as u64
}

impl<'de> Deserialize<'de> for Questions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum PerLang {
            One(String),
            Many(Vec<String>),
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            One(String),
            Many(Vec<Text>),
            Langs(BTreeMap<Lang, PerLang>),
        }
        let bad = |m: &str| serde::de::Error::custom(m);
        match Repr::deserialize(d).map_err(|_: D::Error| {
            bad("questions are a text, a list of texts, or one list per language such as { en = [\"…\"], fr = [\"…\"] }")
        })? {
            Repr::One(q) => Ok(Questions::One(Text::plain(q))),
            Repr::Many(qs) => Ok(Questions::Many(qs)),
            Repr::Langs(langs) if langs.values().all(|q| matches!(q, PerLang::One(_))) => {
                Ok(Questions::One(Text::table(langs.into_iter().map(|(l, q)| match q {
                    PerLang::One(q) => (l, q),
                    PerLang::Many(_) => unreachable!("all are single questions"),
                }))))
            }
            Repr::Langs(langs) => {
                let lists = langs
                    .into_iter()
                    .map(|(l, q)| match q {
                        PerLang::One(q) => (l, vec![q]),
                        PerLang::Many(qs) => (l, qs),
                    })
                    .collect();
                text::zip_lists(lists).map(Questions::Many).map_err(serde::de::Error::custom)
            }
        }
    }
}

impl Serialize for Targets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Targets::All => s.serialize_str(ALL_GROUPS),
            Targets::Groups(ids) => ids.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Word(String),
            List(Vec<String>),
        }
        match Repr::deserialize(d)? {
            Repr::Word(w) if w == ALL_GROUPS => Ok(Targets::All),
            Repr::Word(w) => {
                Err(serde::de::Error::custom(format!("targets must be \"all\" or a list of group ids, not \"{w}\"")))
            }
            Repr::List(ids) => Ok(Targets::Groups(ids)),
        }
    }
}

/// `"all"` or a list of group ids.
impl JsonSchema for Targets {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Targets".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Which groups receive the inject: \"all\" or a list of group ids.",
            "anyOf": [
                { "const": ALL_GROUPS },
                { "type": "array", "items": { "type": "string" } },
            ]
        })
    }
}

/// A question, a list of questions, or per language a question or a list.
impl JsonSchema for Questions {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Questions".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let text = generator.subschema_for::<Text>();
        let one_or_many = serde_json::json!({
            "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }]
        });
        schemars::json_schema!({
            "description": "Questions for one group: a text, a list of texts, or per language a text or a list.",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": text },
                text::per_language(one_or_many),
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_for_a_group_put_all_first_then_its_own() {
        let inject: Inject = toml::from_str(
            r#"
            id = "x"
            title = "t"
            body = "b"
            targets = ["risk", "governance"]
            questions.all = "Shared?"
            questions.risk = ["Risk one?", "Risk two?"]
            "#,
        )
        .unwrap();
        assert_eq!(inject.questions_for("risk"), ["Shared?", "Risk one?", "Risk two?"]);
        assert_eq!(inject.questions_for("governance"), ["Shared?"]);
        assert!(inject.targets.includes("risk"));
        assert!(!inject.targets.includes("testing"));
    }

    #[test]
    fn targets_accept_all_or_a_list_and_reject_other_words() {
        #[derive(Deserialize)]
        struct T {
            targets: Targets,
        }
        assert_eq!(toml::from_str::<T>("targets = \"all\"").unwrap().targets, Targets::All);
        let err = toml::from_str::<T>("targets = \"everyone\"").err().unwrap();
        assert!(err.to_string().contains("\"all\" or a list"), "{err}");
    }

    #[test]
    fn fractional_minutes_become_whole_milliseconds() {
        assert_eq!(minutes_to_ms(0.5), 30_000);
        assert_eq!(minutes_to_ms(36.0), 2_160_000);
    }
}
