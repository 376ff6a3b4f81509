//! The live room, read from the state: who is in a group and who writes its answer
//! (the scribe), when an inject's answer window closes and who answered late, the
//! group's answer among its members' texts, and a poll's tally.
//!
//! Everything here is derived from the log on demand, so replay gives the same
//! answers: a scribe who leaves the group hands the role on without an event.

use std::collections::BTreeMap;

use crate::scenario::{AnswerMode, ChoiceOption};

use super::state::{InjectStatus, Participant, ResponseRecord, State};

/// A poll's counts: per group, then per option (same order as `options`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Log position of the latest answer counted (0: none).
    pub seq: u64,
    /// The options, in order.
    pub options: Vec<ChoiceOption>,
    /// Counts per option, per group id (groups that answered).
    pub by_group: BTreeMap<String, Vec<usize>>,
    /// Counts per option over all groups.
    pub total: Vec<usize>,
    /// Answers counted.
    pub answers: usize,
}

impl State {
    /// The members of a group, in join order.
    pub fn members<'a>(&'a self, group_id: &'a str) -> impl Iterator<Item = &'a Participant> + 'a {
        self.participants.iter().filter(move |p| p.group_id == group_id)
    }

    /// Whether each group's answer comes from a scribe.
    pub fn group_answers(&self) -> bool {
        self.scenario.answer_mode == AnswerMode::Group
    }

    /// Who writes the group's answer (group answer mode): the scribe chosen for it while
    /// they are still in the group, else its earliest member.
    pub fn scribe(&self, group_id: &str) -> Option<&Participant> {
        if !self.group_answers() {
            return None;
        }
        let chosen = self.scribes.get(group_id).and_then(|id| self.participant(*id));
        chosen.filter(|p| p.group_id == group_id).or_else(|| self.participants.iter().find(|p| p.group_id == group_id))
    }

    /// The play time by which groups are due to answer the inject: its release plus its
    /// answer window (none: not released, or no window).
    pub fn due_play_ms(&self, inject_id: &str) -> Option<u64> {
        let (i, inject) = self.scenario.inject(inject_id)?;
        match self.injects[i] {
            InjectStatus::Released(at) => inject.window_ms().map(|w| at.play_ms + w),
            _ => None,
        }
    }

    /// Whether an answer came after its inject's answer window closed.
    pub fn is_late(&self, r: &ResponseRecord) -> bool {
        self.due_play_ms(&r.inject_id).is_some_and(|due| r.stamp.play_ms > due)
    }

    /// The answers that stand for a group on an inject: in group mode the scribe's
    /// latest (none before the scribe answers); otherwise every member's, in order.
    pub fn answers_of<'a>(&'a self, inject_id: &'a str, group_id: &'a str) -> Vec<&'a ResponseRecord> {
        let mut of_group = self.responses.iter().filter(move |r| r.inject_id == inject_id && r.group_id == group_id);
        if self.group_answers() {
            of_group.rfind(|r| !r.contribution).into_iter().collect()
        } else {
            of_group.collect()
        }
    }

    /// The tally of a poll (none: the inject is not a poll). Each participant's latest
    /// choice counts once, in the group they answered for; in group mode, each
    /// group's answer counts once.
    pub fn tally(&self, inject_id: &str) -> Option<Tally> {
        let (_, inject) = self.scenario.inject(inject_id)?;
        let options = inject.response.options().to_vec();
        if options.is_empty() {
            return None;
        }
        let mut latest: BTreeMap<(String, String), &ResponseRecord> = BTreeMap::new();
        for r in self.responses.iter().filter(|r| r.inject_id == inject_id && !r.options.is_empty()) {
            if r.contribution {
                continue;
            }
            let voter = if self.group_answers() { String::new() } else { r.participant_id.to_string() };
            latest.insert((r.group_id.clone(), voter), r);
        }
        let mut tally = Tally {
            seq: latest.values().map(|r| r.stamp.seq).max().unwrap_or(0),
            total: vec![0; options.len()],
            by_group: BTreeMap::new(),
            answers: latest.len(),
            options,
        };
        for ((group, _), r) in &latest {
            let counts = tally.by_group.entry(group.clone()).or_insert_with(|| vec![0; tally.options.len()]);
            for chosen in &r.options {
                if let Some(i) = tally.options.iter().position(|o| &o.id == chosen) {
                    counts[i] += 1;
                    tally.total[i] += 1;
                }
            }
        }
        Some(tally)
    }
}
