//! The live room on the wire: the briefing a participant reads in the lobby, who is in
//! their group and who is its scribe, how many have joined (projector and console),
//! and a poll's tally.

use std::collections::BTreeMap;

use serde::Serialize;

use super::evaluation::ObjectiveView;
use crate::ids::ParticipantId;

/// Participant: what the lobby shows before the start (and keeps under a link).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefingView {
    /// The scenario's ground rules, one per entry.
    pub ground_rules: Vec<String>,
    /// What the exercise sets out to test.
    pub objectives: Vec<ObjectiveView>,
    /// `individual` or `group` (a scribe writes the group's answer).
    pub answer_mode: &'static str,
    /// The group's members, in join order: the first [`MAX_LISTED_MEMBERS`] (the scribe
    /// always among them).
    pub members: Vec<MemberView>,
    /// The group has more members than `members` lists.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub more_members: bool,
}

/// Most members a briefing or a `group_members` push lists. A discussion group is far
/// smaller; the cap keeps a join's push to a huge group (a load test's 800) from
/// growing with the group, which made a room's joins cost the square of its size.
pub const MAX_LISTED_MEMBERS: usize = 24;

/// A member of a group, as the group sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberView {
    /// Their id (compare with `you.participant_id`).
    pub participant_id: ParticipantId,
    /// Display name.
    pub name: String,
    /// Whether they write the group's answer (group answer mode).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub scribe: bool,
}

/// Projector and console: how many have joined, per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendanceView {
    /// Log position of the latest change.
    pub seq: u64,
    /// Participants joined.
    pub joined: usize,
    /// Members per group id.
    pub groups: BTreeMap<String, usize>,
}

/// A poll's results: counts per option, per group and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TallyView {
    /// Log position of the latest answer counted.
    pub seq: u64,
    /// The poll (an inject id).
    pub inject_id: String,
    /// The options, in order.
    pub options: Vec<OptionView>,
    /// Answers counted per option id, per group id (only groups that answered).
    pub by_group: BTreeMap<String, BTreeMap<String, usize>>,
    /// Answers counted per option id, all groups together.
    pub total: BTreeMap<String, usize>,
    /// How many answers were counted (one per participant, or per group in group mode).
    pub answers: usize,
}

/// A poll's option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionView {
    /// Option id, as `respond` sends it.
    pub id: String,
    /// What participants read.
    pub label: String,
}
