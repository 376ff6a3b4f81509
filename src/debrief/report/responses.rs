//! The responses grid of the report: for every group and every released inject, whether
//! the group answered on time, late, not at all, or was not sent the inject.
//!
//! A group's answer to an inject with an answer window (`respond_within_minutes`) is
//! **on time** when its first answer came within the window (in play time: pauses and
//! speed changes count as the clock does), **late** when after. Without a window,
//! "on time" is read off the order of events: the first answer came before the next
//! inject released to that group (for the group's last inject: before the exercise
//! ended, or at all while play goes on); those times are wall-clock times of the log
//! (RFC 3339 UTC, in one fixed format, so they order as text). **Not answered**: the
//! group gave none. A member's contribution is never the group's answer.
//!
//! Built from the report's own injects and answers, so it is deterministic like the
//! rest of the report and carries no participant's name.

use serde::Serialize;

use super::{GroupRef, InjectReport};
use crate::charts::{self, Mark, ResponseCell};
use crate::lang::Lang;

/// One sentence saying how cells are read (the report prints it under the chart).
pub const DEFINITION: &str = "On time: a group's first answer came within the inject's answer window \
                              (without one: before the next inject it was sent; its last inject: before the \
                              end). Late: after that.";

/// [`DEFINITION`] in `lang`.
pub fn definition(lang: Lang) -> &'static str {
    match lang {
        Lang::En => DEFINITION,
        Lang::Fr => {
            "À temps\u{a0}: la première réponse du groupe est arrivée dans le délai de réponse du stimulus \
             (sans délai\u{a0}: avant le stimulus suivant qui lui a été envoyé\u{a0}; pour son dernier \
             stimulus\u{a0}: avant la fin). En retard\u{a0}: après."
        }
    }
}

/// Groups × released injects.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResponseGrid {
    /// The released injects, in release order: the grid's columns.
    pub injects: Vec<GridInject>,
    /// One row per group of the scenario, in scenario order.
    pub groups: Vec<GroupResponses>,
    /// Cells of every group added up.
    pub totals: ResponseCounts,
}

/// A column of the grid.
#[derive(Debug, Clone, Serialize)]
pub struct GridInject {
    /// Release number (the number the report prints).
    pub release_number: usize,
    /// Inject id.
    pub inject_id: String,
    /// Title.
    pub title: String,
}

/// A row of the grid: one group's cells, one per released inject, and their counts.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResponses {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// One per column.
    pub cells: Vec<GridCell>,
    /// The cells counted.
    pub counts: ResponseCounts,
}

/// One group and one inject.
#[derive(Debug, Clone, Serialize)]
pub struct GridCell {
    /// Inject id (the column's).
    pub inject_id: String,
    /// How the group met the inject.
    pub status: ResponseStatus,
    /// How many answers the group gave to it.
    pub answers: usize,
    /// Play time of its first answer, `T+mm:ss`.
    pub first_answer_play_time: Option<String>,
    /// How long after the release its first answer came, in play time: `+m:ss`.
    pub time_to_first_answer: Option<String>,
    /// Wall time of its first answer, RFC 3339 UTC.
    pub first_answer_at_utc: Option<String>,
}

/// How a group met an inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// First answer before the next inject to the group (or before the end).
    OnTime,
    /// First answer after that.
    Late,
    /// Sent, and no answer.
    NotAnswered,
    /// The inject did not go to the group.
    NotSent,
}

impl ResponseStatus {
    /// The chart's mark for it.
    pub fn mark(self) -> Mark {
        match self {
            ResponseStatus::OnTime => Mark::OnTime,
            ResponseStatus::Late => Mark::Late,
            ResponseStatus::NotAnswered => Mark::NotAnswered,
            ResponseStatus::NotSent => Mark::NotSent,
        }
    }
}

/// Cells counted by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ResponseCounts {
    /// Answered on time.
    pub on_time: usize,
    /// Answered late.
    pub late: usize,
    /// Sent and not answered.
    pub not_answered: usize,
    /// Not sent to the group.
    pub not_sent: usize,
}

impl ResponseCounts {
    fn add(&mut self, status: ResponseStatus) {
        *match status {
            ResponseStatus::OnTime => &mut self.on_time,
            ResponseStatus::Late => &mut self.late,
            ResponseStatus::NotAnswered => &mut self.not_answered,
            ResponseStatus::NotSent => &mut self.not_sent,
        } += 1;
    }

    fn merge(&mut self, other: ResponseCounts) {
        self.on_time += other.on_time;
        self.late += other.late;
        self.not_answered += other.not_answered;
        self.not_sent += other.not_sent;
    }
}

/// The grid of `groups` (scenario order) × `injects` (release order), the exercise
/// having ended at `ended_at_utc` (none: still in play).
pub fn grid<'a>(
    groups: impl IntoIterator<Item = &'a crate::scenario::Group>,
    injects: &[InjectReport],
    ended_at_utc: Option<&str>,
) -> ResponseGrid {
    let groups: Vec<GroupRef> =
        groups.into_iter().map(|g| GroupRef { id: g.id.clone(), name: g.name.to_string() }).collect();
    let mut totals = ResponseCounts::default();
    let rows = groups
        .into_iter()
        .map(|g| {
            let sent = |i: &InjectReport| i.targets.iter().any(|t| t.id == g.id);
            let mut counts = ResponseCounts::default();
            let cells: Vec<GridCell> = (injects.iter().enumerate())
                .map(|(n, inject)| {
                    let group = inject.answers.iter().find(|a| a.group_id == g.id);
                    let answers = group.map_or(&[][..], |a| &a.answers[..]);
                    let first = group.and_then(|a| a.first_answer.as_ref());
                    let status = if !sent(inject) {
                        ResponseStatus::NotSent
                    } else if let Some(first) = first {
                        let next = injects[n + 1..].iter().find(|i| sent(i)).map(|i| i.released_at_utc.as_str());
                        match next.or(ended_at_utc) {
                            _ if inject.respond_within_minutes.is_some() && first.late => ResponseStatus::Late,
                            _ if inject.respond_within_minutes.is_some() => ResponseStatus::OnTime,
                            Some(deadline) if first.at_utc.as_str() >= deadline => ResponseStatus::Late,
                            _ => ResponseStatus::OnTime,
                        }
                    } else {
                        ResponseStatus::NotAnswered
                    };
                    counts.add(status);
                    GridCell {
                        inject_id: inject.inject_id.clone(),
                        status,
                        answers: answers.iter().filter(|a| !a.contribution).count(),
                        first_answer_play_time: first.map(|a| a.play_time.clone()),
                        time_to_first_answer: first.map(|a| wait(a.play_ms.saturating_sub(inject.play_ms))),
                        first_answer_at_utc: first.map(|a| a.at_utc.clone()),
                    }
                })
                .collect();
            totals.merge(counts);
            GroupResponses { group_id: g.id, group_name: g.name, cells, counts }
        })
        .collect();
    ResponseGrid {
        injects: (injects.iter())
            .map(|i| GridInject {
                release_number: i.release_number,
                inject_id: i.inject_id.clone(),
                title: i.title.clone(),
            })
            .collect(),
        groups: rows,
        totals,
    }
}

/// A wait in play time as `+m:ss` (`+1:05:00` past an hour).
fn wait(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..3600 => format!("+{}:{:02}", s / 60, s % 60),
        _ => format!("+{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60),
    }
}

impl ResponseGrid {
    /// The grid as an SVG chart in `lang` (see [`charts::responses_in`]): columns headed
    /// by release number and title, the first answer's play time in each answered cell,
    /// and `definition` (e.g. [`definition`]; may be empty) under the legend.
    pub fn chart(&self, lang: Lang, title: &str, definition: &str) -> String {
        let groups: Vec<String> = self.groups.iter().map(|g| g.group_name.clone()).collect();
        let injects: Vec<String> = self.injects.iter().map(|i| format!("{} {}", i.release_number, i.title)).collect();
        let cells: Vec<Vec<ResponseCell>> = (self.groups.iter())
            .map(|g| {
                (g.cells.iter())
                    .map(|c| ResponseCell { mark: c.status.mark(), first_answer: c.time_to_first_answer.clone() })
                    .collect()
            })
            .collect();
        charts::responses_in(lang, title, &groups, &injects, &cells, definition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::debrief::report::{Answer, EarliestAnswer, GroupAnswers};

    fn at(minute: u32) -> String {
        format!("2026-11-25T10:{minute:02}:00.000Z")
    }

    fn inject(n: usize, id: &str, minute: u32, targets: &[&str], answers: &[(&str, u32)]) -> InjectReport {
        let group = |id: &str| GroupRef { id: id.to_owned(), name: id.to_uppercase() };
        InjectReport {
            number: n,
            release_number: n,
            inject_id: id.to_owned(),
            title: format!("Inject {id}"),
            body: String::new(),
            from: None,
            channel: None,
            released_at_utc: at(minute),
            play_ms: u64::from(minute) * 60_000,
            play_time: String::new(),
            manual: false,
            released_because: None,
            targets: targets.iter().map(|t| group(t)).collect(),
            questions: vec![],
            expected_actions: vec![],
            handouts: Vec::new(),
            answers: targets
                .iter()
                .map(|t| {
                    let answers: Vec<Answer> = (answers.iter().filter(|(g, _)| g == t))
                        .map(|(_, m)| Answer {
                            participant_id: None,
                            participant_name: None,
                            submitted_at_utc: at(*m),
                            play_ms: u64::from(*m) * 60_000,
                            play_time: format!("T+{m:02}:00"),
                            text: "x".into(),
                            choices: vec![],
                            contribution: false,
                            late: false,
                        })
                        .collect();
                    let first_answer =
                        answers.iter().min_by(|a, b| a.submitted_at_utc.cmp(&b.submitted_at_utc)).map(|a| {
                            EarliestAnswer {
                                at_utc: a.submitted_at_utc.clone(),
                                play_ms: a.play_ms,
                                play_time: a.play_time.clone(),
                                late: false,
                            }
                        });
                    GroupAnswers { group_id: (*t).to_owned(), group_name: t.to_uppercase(), answers, first_answer }
                })
                .collect(),
            respond_within_minutes: None,
            poll: None,
            notes: vec![],
        }
    }

    fn groups() -> Vec<crate::scenario::Group> {
        ["a", "b"]
            .map(|id| crate::scenario::Group {
                id: id.into(),
                name: id.to_uppercase().into(),
                focus: Default::default(),
                breakout_room: None,
            })
            .to_vec()
    }

    #[test]
    fn on_time_is_before_the_next_inject_sent_to_the_group_and_late_after() {
        // 1 → a, b at :00; 2 → a only at :10; 3 → a, b at :20; ended at :30.
        let injects = [
            // a answers 1 at :05 (before 2 at :10: on time); b answers 1 at :15 (before
            // 3, b's next, at :20: on time, though after 2 went to a).
            inject(1, "one", 0, &["a", "b"], &[("a", 5), ("b", 15)]),
            // a answers 2 at :25, after 3 (:20): late.
            inject(2, "two", 10, &["a"], &[("a", 25)]),
            // 3: a answers at :29 (before the end: on time); b at :31 (after: late).
            inject(3, "three", 20, &["a", "b"], &[("a", 29), ("b", 31), ("b", 22)]),
        ];
        let grid = grid(&groups(), &injects, Some(&at(30)));
        let statuses = |row: usize| grid.groups[row].cells.iter().map(|c| c.status).collect::<Vec<_>>();
        use ResponseStatus::*;
        assert_eq!(statuses(0), [OnTime, Late, OnTime]);
        // b's first answer to 3 is the one at :22 (stored after the :31 one): on time.
        assert_eq!(statuses(1), [OnTime, NotSent, OnTime]);
        assert_eq!(grid.groups[1].cells[2].answers, 2);
        assert_eq!(grid.groups[1].cells[2].first_answer_play_time.as_deref(), Some("T+22:00"));
        assert_eq!(
            grid.groups[1].cells[2].time_to_first_answer.as_deref(),
            Some("+2:00"),
            "{:?}",
            grid.groups[1].cells[2]
        );
        assert_eq!(grid.totals, ResponseCounts { on_time: 4, late: 1, not_answered: 0, not_sent: 1 });
        assert_eq!(grid.injects.iter().map(|i| i.release_number).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn no_answer_is_not_answered_and_the_last_inject_in_play_has_no_deadline() {
        let injects = [inject(1, "one", 0, &["a", "b"], &[("a", 50)])];
        let live = grid(&groups(), &injects, None);
        assert_eq!(live.groups[0].cells[0].status, ResponseStatus::OnTime);
        assert_eq!(live.groups[1].cells[0].status, ResponseStatus::NotAnswered);
        let ended = grid(&groups(), &injects, Some(&at(40)));
        assert_eq!(ended.groups[0].cells[0].status, ResponseStatus::Late);
        assert_eq!(ended.groups[1].counts, ResponseCounts { not_answered: 1, ..ResponseCounts::default() });
        let svg = ended.chart(Lang::En, "Responses", DEFINITION);
        assert!(svg.contains(">late<") && svg.contains(">none<") && svg.contains("1 Inject one"));
        let svg = ended.chart(Lang::Fr, "Réponses", definition(Lang::Fr));
        assert!(svg.contains(">en retard<") && svg.contains(">aucune<"), "{svg}");
        assert!(svg.contains("dans le délai de réponse"), "the French definition: {svg}");
    }

    #[test]
    fn with_an_answer_window_late_is_the_window_not_the_next_inject() {
        let mut injects =
            [inject(1, "one", 0, &["a", "b"], &[("a", 5), ("b", 1)]), inject(2, "two", 2, &["a", "b"], &[])];
        injects[0].respond_within_minutes = Some(10.0);
        // a answered after the next inject but within the window; b before it but (say)
        // after a pause that the window counts in play time: the state marked it late.
        injects[0].answers[1].first_answer.as_mut().unwrap().late = true;
        let g = grid(&groups(), &injects, None);
        assert_eq!(g.groups[0].cells[0].status, ResponseStatus::OnTime);
        assert_eq!(g.groups[1].cells[0].status, ResponseStatus::Late);
    }
}
