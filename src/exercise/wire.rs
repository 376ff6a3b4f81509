//! The core's values to and from their wire form ([`crate::protocol`]): the edge
//! between the core and clients. The views (`view`) send the core's values out;
//! `http::ws` brings clients' ratings and improvement items in.

use crate::protocol as wire;

use super::clock::Phase;
use super::evaluation::{
    AdoptionPhase, Author, Capability, GroupResult, ImprovementItem, ItemStatus, NoteCategory, Priority, Progress,
    ProjectorView, Rating, SelfAssessmentPhase, StatementResult,
};
use super::profile::{Cell, Profile, Row};

impl From<Phase> for wire::ClockState {
    fn from(p: Phase) -> Self {
        match p {
            Phase::Lobby => wire::ClockState::Lobby,
            Phase::Running => wire::ClockState::Running,
            Phase::Paused => wire::ClockState::Paused,
            Phase::Ended => wire::ClockState::Ended,
        }
    }
}

impl From<Rating> for wire::Rating {
    fn from(r: Rating) -> Self {
        match r {
            Rating::P => wire::Rating::P,
            Rating::S => wire::Rating::S,
            Rating::M => wire::Rating::M,
            Rating::U => wire::Rating::U,
        }
    }
}

impl From<wire::Rating> for Rating {
    fn from(r: wire::Rating) -> Self {
        match r {
            wire::Rating::P => Rating::P,
            wire::Rating::S => Rating::S,
            wire::Rating::M => Rating::M,
            wire::Rating::U => Rating::U,
        }
    }
}

impl From<Capability> for wire::Capability {
    fn from(c: Capability) -> Self {
        match c {
            Capability::Planning => wire::Capability::Planning,
            Capability::Organisation => wire::Capability::Organisation,
            Capability::Equipment => wire::Capability::Equipment,
            Capability::Training => wire::Capability::Training,
            Capability::Exercise => wire::Capability::Exercise,
        }
    }
}

impl From<wire::Capability> for Capability {
    fn from(c: wire::Capability) -> Self {
        match c {
            wire::Capability::Planning => Capability::Planning,
            wire::Capability::Organisation => Capability::Organisation,
            wire::Capability::Equipment => Capability::Equipment,
            wire::Capability::Training => Capability::Training,
            wire::Capability::Exercise => Capability::Exercise,
        }
    }
}

impl From<&ImprovementItem> for wire::ImprovementItem {
    fn from(i: &ImprovementItem) -> Self {
        wire::ImprovementItem {
            issue: i.issue.clone(),
            corrective_action: i.corrective_action.clone(),
            group_id: i.group_id.clone(),
            capability: i.capability.into(),
            responsible_org: i.responsible_org.clone(),
            owner: i.owner.clone(),
            due: i.due.clone(),
            start: i.start.clone(),
            priority: i.priority.map(Into::into),
            progress: i.progress.map(Into::into),
        }
    }
}

impl From<wire::ImprovementItem> for ImprovementItem {
    fn from(i: wire::ImprovementItem) -> Self {
        ImprovementItem {
            issue: i.issue,
            corrective_action: i.corrective_action,
            group_id: i.group_id,
            capability: i.capability.into(),
            responsible_org: i.responsible_org,
            owner: i.owner,
            due: i.due,
            start: i.start,
            priority: i.priority.map(Into::into),
            progress: i.progress.map(Into::into),
        }
    }
}

impl From<Priority> for wire::Priority {
    fn from(p: Priority) -> Self {
        match p {
            Priority::High => wire::Priority::High,
            Priority::Medium => wire::Priority::Medium,
            Priority::Low => wire::Priority::Low,
        }
    }
}

impl From<wire::Priority> for Priority {
    fn from(p: wire::Priority) -> Self {
        match p {
            wire::Priority::High => Priority::High,
            wire::Priority::Medium => Priority::Medium,
            wire::Priority::Low => Priority::Low,
        }
    }
}

impl From<Progress> for wire::Progress {
    fn from(p: Progress) -> Self {
        match p {
            Progress::NotStarted => wire::Progress::NotStarted,
            Progress::InProgress => wire::Progress::InProgress,
            Progress::Complete => wire::Progress::Complete,
            Progress::Cancelled => wire::Progress::Cancelled,
        }
    }
}

impl From<wire::Progress> for Progress {
    fn from(p: wire::Progress) -> Self {
        match p {
            wire::Progress::NotStarted => Progress::NotStarted,
            wire::Progress::InProgress => Progress::InProgress,
            wire::Progress::Complete => Progress::Complete,
            wire::Progress::Cancelled => Progress::Cancelled,
        }
    }
}

impl From<Author> for wire::Author {
    fn from(a: Author) -> Self {
        match a {
            Author::Facilitator => wire::Author::Facilitator,
            Author::Observer { observer_id } => wire::Author::Observer { observer_id },
        }
    }
}

impl From<ItemStatus> for wire::ItemStatus {
    fn from(s: ItemStatus) -> Self {
        match s {
            ItemStatus::Proposed => wire::ItemStatus::Proposed,
            ItemStatus::Accepted => wire::ItemStatus::Accepted,
            ItemStatus::Dropped => wire::ItemStatus::Dropped,
        }
    }
}

impl From<SelfAssessmentPhase> for wire::SelfAssessmentPhase {
    fn from(p: SelfAssessmentPhase) -> Self {
        match p {
            SelfAssessmentPhase::NotOpened => wire::SelfAssessmentPhase::NotOpened,
            SelfAssessmentPhase::Open => wire::SelfAssessmentPhase::Open,
            SelfAssessmentPhase::Closed => wire::SelfAssessmentPhase::Closed,
        }
    }
}

impl From<GroupResult> for wire::GroupResult {
    fn from(g: GroupResult) -> Self {
        wire::GroupResult {
            group_id: g.group_id,
            group_name: g.group_name,
            raters: g.raters,
            mean: g.mean,
            statements: g.statements.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<StatementResult> for wire::StatementResult {
    fn from(s: StatementResult) -> Self {
        wire::StatementResult {
            statement_id: s.statement_id,
            text: s.text,
            count: s.count,
            mean: s.mean,
            min: s.min,
            max: s.max,
            histogram: s.histogram,
        }
    }
}

impl From<Cell> for wire::CellView {
    fn from(c: Cell) -> Self {
        wire::CellView { mean: c.mean, min: c.min, max: c.max, n: c.n }
    }
}

impl From<Row> for wire::ProfileRowView {
    fn from(r: Row) -> Self {
        wire::ProfileRowView {
            id: r.key,
            label: r.label,
            raters: r.raters,
            cells: r.cells.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Profile> for wire::ProfileView {
    fn from(p: Profile) -> Self {
        wire::ProfileView {
            domains: p.domains.into_iter().map(|(id, name)| wire::DomainView { id, name }).collect(),
            overall: p.overall.into(),
            sectors: p.sectors.into_iter().map(Into::into).collect(),
            organisations: p.organisations.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<wire::ProjectorView> for ProjectorView {
    fn from(v: wire::ProjectorView) -> Self {
        match v {
            wire::ProjectorView::Play => ProjectorView::Play,
            wire::ProjectorView::Results => ProjectorView::Results,
            wire::ProjectorView::Adoption => ProjectorView::Adoption,
            wire::ProjectorView::Briefing => ProjectorView::Briefing,
            wire::ProjectorView::Poll => ProjectorView::Poll,
        }
    }
}

impl From<ProjectorView> for wire::ProjectorView {
    fn from(v: ProjectorView) -> Self {
        match v {
            ProjectorView::Play => wire::ProjectorView::Play,
            ProjectorView::Results => wire::ProjectorView::Results,
            ProjectorView::Adoption => wire::ProjectorView::Adoption,
            ProjectorView::Briefing => wire::ProjectorView::Briefing,
            ProjectorView::Poll => wire::ProjectorView::Poll,
        }
    }
}

impl From<AdoptionPhase> for wire::AdoptionPhase {
    fn from(p: AdoptionPhase) -> Self {
        match p {
            AdoptionPhase::NotOpened => wire::AdoptionPhase::NotOpened,
            AdoptionPhase::Open => wire::AdoptionPhase::Open,
            AdoptionPhase::Closed => wire::AdoptionPhase::Closed,
        }
    }
}

impl From<wire::NoteCategory> for NoteCategory {
    fn from(c: wire::NoteCategory) -> Self {
        match c {
            wire::NoteCategory::Strength => NoteCategory::Strength,
            wire::NoteCategory::AreaForImprovement => NoteCategory::AreaForImprovement,
        }
    }
}

impl From<NoteCategory> for wire::NoteCategory {
    fn from(c: NoteCategory) -> Self {
        match c {
            NoteCategory::Strength => wire::NoteCategory::Strength,
            NoteCategory::AreaForImprovement => wire::NoteCategory::AreaForImprovement,
        }
    }
}
