//! Evaluation capture: observers, notes, objective ratings (P/S/M/U), the improvement
//! plan and the self-assessment — what the after-action report is made of.
//!
//! The types here are the core's (and the wire's); events store their own
//! ([`crate::events::payload`], converted in `stored`). [`Evaluation`] is the part of
//! the exercise [`super::State`] that the hot wash and the debrief fill. [`self_assessment_results`] turns the raw scores into what the console
//! and the report show (mean, spread, count per statement and per group).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::events::Event;
use crate::ids::{ObserverId, ParticipantId};
use crate::lang::Lang;
use crate::scenario::Scenario;

use super::state::Stamp;

/// How well an objective was met (HSEEP's P/S/M/U).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl Rating {
    /// Every rating, best first.
    pub const ALL: [Rating; 4] = [Rating::P, Rating::S, Rating::M, Rating::U];

    /// The letter.
    pub fn letter(self) -> &'static str {
        match self {
            Rating::P => "P",
            Rating::S => "S",
            Rating::M => "M",
            Rating::U => "U",
        }
    }

    /// What the letter means.
    pub fn meaning(self) -> &'static str {
        self.meaning_in(Lang::En)
    }

    /// What the letter means, in `lang` (the letters stay P/S/M/U in every language,
    /// as in HSEEP).
    pub fn meaning_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Rating::P) => "Performed without challenges",
            (Lang::En, Rating::S) => "Performed with some challenges",
            (Lang::En, Rating::M) => "Performed with major challenges",
            (Lang::En, Rating::U) => "Unable to be performed",
            (Lang::Fr, Rating::P) => "Réalisé sans difficulté",
            (Lang::Fr, Rating::S) => "Réalisé avec quelques difficultés",
            (Lang::Fr, Rating::M) => "Réalisé avec des difficultés majeures",
            (Lang::Fr, Rating::U) => "Non réalisé",
        }
    }
}

/// The capability element an improvement belongs to (POETE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Plans, policies, procedures.
    Planning,
    /// Structures, roles, staffing.
    Organisation,
    /// Systems, tools, supplies.
    Equipment,
    /// Training and awareness.
    Training,
    /// Exercising and testing.
    Exercise,
}

impl Capability {
    /// Every element, in POETE order.
    pub const ALL: [Capability; 5] = [
        Capability::Planning,
        Capability::Organisation,
        Capability::Equipment,
        Capability::Training,
        Capability::Exercise,
    ];

    /// The element's name, capitalised.
    pub fn label(self) -> &'static str {
        self.label_in(Lang::En)
    }

    /// The element's name, capitalised, in `lang`.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Capability::Planning) => "Planning",
            (Lang::En, Capability::Organisation) => "Organisation",
            (Lang::En, Capability::Equipment) => "Equipment",
            (Lang::En, Capability::Training) => "Training",
            (Lang::En, Capability::Exercise) => "Exercise",
            (Lang::Fr, Capability::Planning) => "Planification",
            (Lang::Fr, Capability::Organisation) => "Organisation",
            (Lang::Fr, Capability::Equipment) => "Équipement",
            (Lang::Fr, Capability::Training) => "Formation",
            (Lang::Fr, Capability::Exercise) => "Exercice",
        }
    }
}

/// One line of the improvement plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImprovementItem {
    /// What went wrong or is missing.
    pub issue: String,
    /// What will be done about it.
    pub corrective_action: String,
    /// The resilience domain (group id) it belongs to; for a group's proposal, the
    /// server fills in the proposer's group.
    #[serde(default)]
    pub group_id: String,
    /// Planning, organisation, equipment, training or exercise.
    pub capability: Capability,
    /// The organisation responsible (e.g. "Central Bank", "BaobabPay").
    #[serde(default)]
    pub responsible_org: String,
    /// The person or role who owns it.
    #[serde(default)]
    pub owner: String,
    /// Due date, the plan's completion date, `YYYY-MM-DD` (may be left empty).
    #[serde(default)]
    pub due: String,
    /// Start date, `YYYY-MM-DD` (may be left empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub start: String,
    /// How urgent, when decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Where the work stands (the plan's status column), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
}

/// An improvement item's priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Do first.
    High,
    /// Do soon.
    Medium,
    /// Do when possible.
    Low,
}

impl Priority {
    /// What a reader sees.
    pub fn label(self) -> &'static str {
        self.label_in(Lang::En)
    }

    /// What a reader sees, in `lang`.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Priority::High) => "High",
            (Lang::En, Priority::Medium) => "Medium",
            (Lang::En, Priority::Low) => "Low",
            (Lang::Fr, Priority::High) => "Élevée",
            (Lang::Fr, Priority::Medium) => "Moyenne",
            (Lang::Fr, Priority::Low) => "Faible",
        }
    }
}

/// Where an improvement item's work stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Not started.
    NotStarted,
    /// Under way.
    InProgress,
    /// Done.
    Complete,
    /// Given up.
    Cancelled,
}

impl Progress {
    /// What a reader sees.
    pub fn label(self) -> &'static str {
        self.label_in(Lang::En)
    }

    /// What a reader sees, in `lang`.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Progress::NotStarted) => "Not started",
            (Lang::En, Progress::InProgress) => "In progress",
            (Lang::En, Progress::Complete) => "Complete",
            (Lang::En, Progress::Cancelled) => "Cancelled",
            (Lang::Fr, Progress::NotStarted) => "Non commencé",
            (Lang::Fr, Progress::InProgress) => "En cours",
            (Lang::Fr, Progress::Complete) => "Terminé",
            (Lang::Fr, Progress::Cancelled) => "Annulé",
        }
    }
}

/// Who wrote a note or a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Author {
    /// The facilitator.
    Facilitator,
    /// An observer (evaluator).
    Observer {
        /// Which one.
        observer_id: ObserverId,
    },
}

/// An observer (evaluator): sees what the facilitator sees, read-only, and adds notes
/// and ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observer {
    /// Their id.
    pub id: ObserverId,
    /// Name as the facilitator typed it.
    pub name: String,
    /// Their secret key.
    pub key: String,
    /// When the facilitator added them.
    pub added: Stamp,
}

/// A note taken during play or debrief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The note's id.
    pub id: String,
    /// When it was taken.
    pub stamp: Stamp,
    /// Who took it.
    pub author: Author,
    /// The inject it is about (none: the exercise as a whole).
    pub inject_id: Option<String>,
    /// The objective it bears on.
    pub objective_id: Option<String>,
    /// The group it is about.
    pub group_id: Option<String>,
    /// The note.
    pub text: String,
    /// The author's client id for it (re-sends are stored once).
    pub client_msg_id: Option<String>,
    /// A strength or an area for improvement (none: an observation).
    pub category: Option<NoteCategory>,
}

/// What a note says about performance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteCategory {
    /// Something that went well.
    Strength,
    /// Something to improve.
    AreaForImprovement,
}

/// One evaluator's current rating of an objective (their later rating replaces their
/// earlier one; other evaluators' ratings stand beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveRating {
    /// When it was given.
    pub stamp: Stamp,
    /// Who gave it.
    pub author: Author,
    /// P, S, M or U.
    pub rating: Rating,
    /// What went well.
    pub strengths: String,
    /// What to improve.
    pub areas_for_improvement: String,
}

/// Where an improvement-plan item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// A group proposed it; the facilitator has not accepted it yet.
    Proposed,
    /// In the plan.
    Accepted,
    /// Left out of the plan.
    Dropped,
}

impl ItemStatus {
    /// The status as written in exports: `proposed`, `accepted` or `dropped`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Proposed => "proposed",
            ItemStatus::Accepted => "accepted",
            ItemStatus::Dropped => "dropped",
        }
    }

    /// The status as a reader reads it in `lang`: the stored word in English, the
    /// French one (an item is an *action*, feminine) in French.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, status) => status.as_str(),
            (Lang::Fr, ItemStatus::Proposed) => "proposée",
            (Lang::Fr, ItemStatus::Accepted) => "acceptée",
            (Lang::Fr, ItemStatus::Dropped) => "écartée",
        }
    }
}

/// An improvement-plan item and how it got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvement {
    /// The item's id.
    pub id: String,
    /// The item as it stands (edited by the facilitator if they changed it).
    pub item: ImprovementItem,
    /// Proposed, accepted or dropped.
    pub status: ItemStatus,
    /// The participant who proposed it, if a group did.
    pub proposed_by: Option<ParticipantId>,
    /// When it was first proposed or added.
    pub created: Stamp,
    /// The proposer's client id for it (re-sends are stored once).
    pub client_msg_id: Option<String>,
}

/// The most accepted items one participant may put first on the adoption board.
pub const MAX_PRIORITY_VOTES: usize = 3;

/// Whether participants can vote on the adoption board now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionPhase {
    /// Not opened yet.
    #[default]
    NotOpened,
    /// Participants can vote.
    Open,
    /// Closed by the facilitator; the votes stand (it can be opened again).
    Closed,
}

/// What the shared screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectorView {
    /// The join code, the clock and the released injects' titles.
    #[default]
    Play,
    /// The self-assessment's results (aggregates only).
    Results,
    /// The adoption board with the votes.
    Adoption,
    /// The briefing slide before the start.
    Briefing,
    /// A poll's results (the inject in [`Evaluation::projector_poll`]).
    Poll,
}

/// Whether participants can rate their statements now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfAssessmentPhase {
    /// Not opened yet.
    #[default]
    NotOpened,
    /// Participants can rate.
    Open,
    /// Closed by the facilitator; the scores stand (it can be opened again).
    Closed,
}

/// Everything captured for the report, folded from the log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// Observers, in the order they were added.
    pub observers: Vec<Observer>,
    /// Notes, in log order.
    pub notes: Vec<Note>,
    /// Per objective id, each evaluator's current rating, in the order they first
    /// rated it. The facilitator's is the consensus ([`Evaluation::consensus`]).
    pub ratings: BTreeMap<String, Vec<ObjectiveRating>>,
    /// Improvement-plan items, in the order they were created.
    pub improvements: Vec<Improvement>,
    /// Whether the self-assessment is open.
    pub self_assessment: SelfAssessmentPhase,
    /// Latest score per (statement id, participant).
    pub scores: BTreeMap<(String, ParticipantId), u8>,
    /// Statements a participant answered "don't know" (their latest answer for it).
    pub dont_know: std::collections::BTreeSet<(String, ParticipantId)>,
    /// The report's executive summary, as the facilitator wrote it.
    pub executive_summary: String,
    /// The report's handling marking as the facilitator set it (none: the scenario's).
    pub marking: Option<String>,
    /// Whether participants can vote for priorities.
    pub adoption: AdoptionPhase,
    /// Each participant's vote set: the accepted items they put first.
    pub votes: BTreeMap<ParticipantId, Vec<String>>,
    /// What the shared screen shows.
    pub projector: ProjectorView,
    /// The poll (inject id) the shared screen shows with [`ProjectorView::Poll`].
    pub projector_poll: Option<String>,
}

impl Evaluation {
    /// The observer with this id.
    pub fn observer(&self, id: ObserverId) -> Option<&Observer> {
        self.observers.iter().find(|o| o.id == id)
    }

    /// The improvement item with this id.
    pub fn improvement(&self, id: &str) -> Option<&Improvement> {
        self.improvements.iter().find(|i| i.id == id)
    }

    /// Mutable access to the improvement item with this id.
    pub fn improvement_mut(&mut self, id: &str) -> Option<&mut Improvement> {
        self.improvements.iter_mut().find(|i| i.id == id)
    }

    /// Folds one evaluation event in; other events are ignored.
    pub fn apply(&mut self, event: &Event, stamp: Stamp) {
        match event {
            Event::ObserverAdded { observer_id, name, key } => {
                self.observers.push(Observer { id: *observer_id, name: name.clone(), key: key.clone(), added: stamp })
            }
            Event::NoteAdded { note_id, author, inject_id, objective_id, group_id, text, client_msg_id, category } => {
                self.notes.push(Note {
                    id: note_id.clone(),
                    stamp,
                    author: (*author).into(),
                    inject_id: inject_id.clone(),
                    objective_id: objective_id.clone(),
                    group_id: group_id.clone(),
                    text: text.clone(),
                    client_msg_id: client_msg_id.clone(),
                    category: category.map(Into::into),
                })
            }
            Event::ObjectiveRated { objective_id, author, rating, strengths, areas_for_improvement } => {
                let rating = ObjectiveRating {
                    stamp,
                    author: (*author).into(),
                    rating: (*rating).into(),
                    strengths: strengths.clone(),
                    areas_for_improvement: areas_for_improvement.clone(),
                };
                let ratings = self.ratings.entry(objective_id.clone()).or_default();
                match ratings.iter_mut().find(|r| r.author == rating.author) {
                    Some(earlier) => *earlier = rating,
                    None => ratings.push(rating),
                }
            }
            Event::ReportEdited { executive_summary, marking } => {
                if let Some(text) = executive_summary {
                    self.executive_summary = text.clone();
                }
                if let Some(marking) = marking {
                    self.marking = Some(marking.clone()).filter(|m| !m.is_empty());
                }
            }
            Event::AdoptionOpened => self.adoption = AdoptionPhase::Open,
            Event::AdoptionClosed => self.adoption = AdoptionPhase::Closed,
            Event::PrioritiesVoted { participant_id, item_ids } => {
                if item_ids.is_empty() {
                    self.votes.remove(participant_id);
                } else {
                    self.votes.insert(*participant_id, item_ids.clone());
                }
            }
            Event::ProjectorSwitched { view, inject_id } => {
                self.projector = (*view).into();
                self.projector_poll = inject_id.clone();
            }
            Event::ImprovementProposed { item_id, participant_id, item, client_msg_id } => {
                self.improvements.push(Improvement {
                    id: item_id.clone(),
                    item: item.into(),
                    status: ItemStatus::Proposed,
                    proposed_by: Some(*participant_id),
                    created: stamp,
                    client_msg_id: client_msg_id.clone(),
                })
            }
            Event::ImprovementAccepted { item_id, item } => match self.improvement_mut(item_id) {
                Some(existing) => {
                    existing.item = item.into();
                    existing.status = ItemStatus::Accepted;
                }
                None => self.improvements.push(Improvement {
                    id: item_id.clone(),
                    item: item.into(),
                    status: ItemStatus::Accepted,
                    proposed_by: None,
                    created: stamp,
                    client_msg_id: None,
                }),
            },
            Event::ImprovementDropped { item_id } => {
                if let Some(existing) = self.improvement_mut(item_id) {
                    existing.status = ItemStatus::Dropped;
                }
            }
            Event::SelfAssessmentOpened => self.self_assessment = SelfAssessmentPhase::Open,
            Event::SelfAssessmentClosed => self.self_assessment = SelfAssessmentPhase::Closed,
            Event::SelfAssessmentRated { participant_id, scores, dont_know, .. } => {
                for (statement, score) in scores {
                    let key = (statement.clone(), *participant_id);
                    self.dont_know.remove(&key);
                    self.scores.insert(key, *score);
                }
                for statement in dont_know {
                    let key = (statement.clone(), *participant_id);
                    self.scores.remove(&key);
                    self.dont_know.insert(key);
                }
            }
            _ => {}
        }
    }

    /// Every evaluator's current rating of an objective, first rater first.
    pub fn ratings_of(&self, objective_id: &str) -> &[ObjectiveRating] {
        self.ratings.get(objective_id).map_or(&[], Vec::as_slice)
    }

    /// The consensus rating of an objective: the facilitator's.
    pub fn consensus(&self, objective_id: &str) -> Option<&ObjectiveRating> {
        self.ratings_of(objective_id).iter().find(|r| r.author == Author::Facilitator)
    }

    /// Votes per accepted item id (items nobody voted for are absent).
    pub fn vote_counts(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for id in self.votes.values().flatten() {
            *counts.entry(id.as_str()).or_default() += 1;
        }
        counts
    }

    /// The note this author already sent under this client id.
    pub fn note_by_client_id(&self, author: Author, client_msg_id: &str) -> Option<&Note> {
        self.notes.iter().find(|n| n.author == author && n.client_msg_id.as_deref() == Some(client_msg_id))
    }

    /// The proposal this participant already sent under this client id.
    pub fn proposal_by_client_id(&self, who: ParticipantId, client_msg_id: &str) -> Option<&Improvement> {
        self.improvements
            .iter()
            .find(|i| i.proposed_by == Some(who) && i.client_msg_id.as_deref() == Some(client_msg_id))
    }

    /// One participant's current scores, by statement id.
    pub fn scores_of(&self, who: ParticipantId) -> BTreeMap<String, u8> {
        self.scores.iter().filter(|((_, p), _)| *p == who).map(|((s, _), v)| (s.clone(), *v)).collect()
    }

    /// The statements one participant answered "don't know".
    pub fn dont_know_of(&self, who: ParticipantId) -> Vec<String> {
        self.dont_know.iter().filter(|(_, p)| *p == who).map(|(s, _)| s.clone()).collect()
    }
}

/// The scores one statement received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementResult {
    /// Statement id.
    pub statement_id: String,
    /// The statement.
    pub text: String,
    /// How many participants rated it.
    pub count: usize,
    /// Mean score (none before the first rating).
    pub mean: Option<f64>,
    /// Lowest score given.
    pub min: Option<u8>,
    /// Highest score given.
    pub max: Option<u8>,
    /// How many gave 1, 2, 3, 4 and 5.
    pub histogram: [usize; 5],
}

/// One group's self-assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Participants of the group who rated at least one statement.
    pub raters: usize,
    /// Mean over all the group's scores.
    pub mean: Option<f64>,
    /// Per statement, in file order.
    pub statements: Vec<StatementResult>,
}

/// Self-assessment results per group (groups without statements are left out).
pub fn self_assessment_results(scenario: &Scenario, eval: &Evaluation) -> Vec<GroupResult> {
    let Some(plan) = &scenario.self_assessment else { return vec![] };
    scenario
        .groups
        .iter()
        .filter(|g| plan.for_group(&g.id).next().is_some())
        .map(|g| {
            let mut all = Vec::new();
            let mut raters = std::collections::BTreeSet::new();
            let statements = plan
                .for_group(&g.id)
                .map(|st| {
                    let scores: Vec<(ParticipantId, u8)> = eval
                        .scores
                        .range((st.id.clone(), ParticipantId(uuid::Uuid::nil()))..)
                        .take_while(|((s, _), _)| *s == st.id)
                        .map(|((_, p), v)| (*p, *v))
                        .collect();
                    raters.extend(scores.iter().map(|(p, _)| *p));
                    let values: Vec<u8> = scores.iter().map(|(_, v)| *v).collect();
                    all.extend_from_slice(&values);
                    let mut histogram = [0; 5];
                    for v in &values {
                        histogram[usize::from(v.clamp(&1, &5) - 1)] += 1;
                    }
                    StatementResult {
                        statement_id: st.id.clone(),
                        text: st.text.to_string(),
                        count: values.len(),
                        mean: mean(&values),
                        min: values.iter().min().copied(),
                        max: values.iter().max().copied(),
                        histogram,
                    }
                })
                .collect();
            GroupResult {
                group_id: g.id.clone(),
                group_name: g.name.to_string(),
                raters: raters.len(),
                mean: mean(&all),
                statements,
            }
        })
        .collect()
}

fn mean(values: &[u8]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let sum: f64 = values.iter().map(|&v| f64::from(v)).sum();
    Some((sum / values.len() as f64 * 100.0).round() / 100.0)
}
