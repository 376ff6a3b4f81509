//! The scenario as stored in `exercise_created`: a snapshot taken at creation, so an
//! exercise replays the same way whatever later happens to the file.
//!
//! This mirrors the authoring model (`crate::scenario`) field for field, with the same
//! JSON, but it is its own type: authoring refuses unknown fields to catch typos, while
//! the snapshot tolerates them, so a data dir whose scenarios carry fields a later
//! build added still opens. Conversions live with the authoring model
//! (`scenario::snapshot`), never here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole scenario as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSnapshot {
    /// Scenario id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The language it is written in, `en` or `fr` (added after dfs-v2: absent there,
    /// and absent for English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Situation summary.
    #[serde(default)]
    pub summary: String,
    /// Planned play duration in minutes.
    pub duration_minutes: u32,
    /// Participants may pick their group.
    #[serde(default)]
    pub self_select_groups: bool,
    /// The join form asks for an email (added after dfs-v2).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ask_email: bool,
    /// `group` when a scribe writes each group's answer; absent: `individual` (added
    /// after dfs-v2; a word this build does not know is read as `individual`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_mode: Option<String>,
    /// Ground rules read in the lobby (added after dfs-v2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ground_rules: Vec<String>,
    /// Objectives.
    #[serde(default)]
    pub objectives: Vec<StoredObjective>,
    /// Breakout groups, in display order.
    pub groups: Vec<StoredGroup>,
    /// Sectors participants may name when they join (added after dfs-v1: absent there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<StoredSector>,
    /// Timed and contingency injects.
    #[serde(default)]
    pub injects: Vec<StoredInject>,
    /// Self-assessment statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<StoredSelfAssessment>,
    /// The report's cover and attribution (added after dfs-v1: absent there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<StoredReportSettings>,
    /// Every language the scenario is written in, main first, when more than one
    /// (added after dfs-v3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The texts in languages other than `language`: language code → the text's path in
    /// the scenario (`injects[2].questions.risk[0]`) → text (added after dfs-v3; the
    /// fields above hold the main language's text).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

/// The report settings as stored; every field optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoredReportSettings {
    /// Organiser.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organiser: String,
    /// Venue or platform.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub venue: String,
    /// Handling marking.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub marking: String,
    /// `names` or `group` (absent: `names`; a word this build does not know is read as
    /// `group`, the private choice: see the conversion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

/// An objective as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredObjective {
    /// Objective id.
    pub id: String,
    /// The objective.
    pub text: String,
}

/// A group as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredGroup {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Focus.
    #[serde(default)]
    pub focus: String,
    /// Breakout room name (added after dfs-v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout_room: Option<String>,
}

/// A sector as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSector {
    /// Sector id.
    pub id: String,
    /// Label.
    pub label: String,
}

/// The self-assessment plan as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSelfAssessment {
    /// `profile`, or absent for group mode (added after dfs-v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The statements are examples.
    #[serde(default)]
    pub example: bool,
    /// The scale's level descriptions, 1 to 5 (added after dfs-v1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// Text read before rating.
    #[serde(default)]
    pub intro: String,
    /// Statements.
    pub statements: Vec<StoredStatement>,
}

/// A self-assessment statement as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredStatement {
    /// Statement id.
    pub id: String,
    /// The group that rates it.
    pub group: String,
    /// The statement.
    pub text: String,
}

/// An inject as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredInject {
    /// Inject id.
    pub id: String,
    /// Play minutes of a timed inject; absent for a contingency inject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<f64>,
    /// Headline.
    pub title: String,
    /// Text.
    pub body: String,
    /// Simulated originator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Delivery method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `"all"` or a list of group ids.
    pub targets: StoredTargets,
    /// Questions per group id (`all`: every targeted group); a string or a list.
    #[serde(default)]
    pub questions: BTreeMap<String, StoredQuestions>,
    /// How groups answer.
    #[serde(default)]
    pub response: StoredResponse,
    /// Answer window in play minutes (added after dfs-v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_within_minutes: Option<f64>,
    /// Objective ids served.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Expected player actions.
    #[serde(default)]
    pub expected_actions: Vec<String>,
    /// Controller notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator_notes: Option<String>,
    /// Handouts.
    #[serde(default)]
    pub attachments: Vec<StoredAttachment>,
    /// The inject asks for improvement-plan items.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collect_improvements: bool,
    /// What releases it besides (or instead of) `at` (added after dfs-v4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<StoredCondition>,
}

/// A conditional inject's condition as stored: the authored shape
/// (`{ "no_answer": { "group": …, "inject": …, "within_minutes": 5 } }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredCondition {
    /// A group has not answered an inject within so many play minutes of its release.
    NoAnswer {
        /// Group id.
        group: String,
        /// Inject id.
        inject: String,
        /// Play minutes.
        within_minutes: f64,
    },
    /// A group has answered an inject.
    Answered {
        /// Group id.
        group: String,
        /// Inject id.
        inject: String,
    },
    /// A group chose an option of a poll.
    Chose {
        /// Group id.
        group: String,
        /// Inject id.
        inject: String,
        /// Option id.
        option: String,
    },
    /// Every targeted group with members has answered an inject.
    AllAnswered {
        /// Inject id.
        inject: String,
    },
    /// One of these holds.
    Any(Vec<StoredCondition>),
    /// All of these hold.
    All(Vec<StoredCondition>),
}

/// Who an inject goes to, as stored: the string `"all"` or a list of group ids.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredTargets {
    /// `"all"`: every group.
    All,
    /// Group ids.
    Groups(Vec<String>),
}

impl Serialize for StoredTargets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StoredTargets::All => s.serialize_str("all"),
            StoredTargets::Groups(ids) => ids.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for StoredTargets {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Word(String),
            List(Vec<String>),
        }
        match Repr::deserialize(d)? {
            Repr::Word(w) if w == "all" => Ok(StoredTargets::All),
            Repr::Word(w) => Err(serde::de::Error::custom(format!("targets \"{w}\" is neither \"all\" nor a list"))),
            Repr::List(ids) => Ok(StoredTargets::Groups(ids)),
        }
    }
}

/// Questions for one group as stored: one string or a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StoredQuestions {
    /// One question.
    One(String),
    /// Several, in order.
    Many(Vec<String>),
}

/// How an inject is answered, as stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredResponse {
    /// Free text.
    #[default]
    Text,
    /// A poll.
    Choice {
        /// The options, in order.
        options: Vec<StoredOption>,
        /// Several may be chosen (added after dfs-v2).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        multiple: bool,
    },
}

/// A poll's option as stored: a label alone (dfs-v1 and dfs-v2, whose ids are derived
/// from the label and position the same way as when authored) or with its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StoredOption {
    /// Label only.
    Label(String),
    /// Id and label.
    Full {
        /// Option id.
        id: String,
        /// Label.
        label: String,
    },
}

/// A handout as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAttachment {
    /// Label (empty for a file with a caption).
    #[serde(default)]
    pub title: String,
    /// Inline text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The file: its name as authored, media type and content hash (the bytes are in
    /// the store's files, by hash) (added after dfs-v3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<StoredFile>,
    /// Caption shown under the file (added after dfs-v3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Alt text of the file (added after dfs-v3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// An attachment file as stored in the snapshot: what names it, not its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// The path as authored, relative to the scenario file.
    pub name: String,
    /// Media type, e.g. `image/png`.
    pub media_type: String,
    /// Lowercase hex SHA-256 of the bytes.
    pub hash: String,
    /// Size in bytes.
    pub size: u64,
}
