//! The core's evaluation values to and from their stored form in events
//! ([`crate::events::payload`]): the edge between the log and the core. `decide` writes
//! stored values; `apply` reads them back into the core's.

use crate::events;

use super::evaluation::{Author, Capability, ImprovementItem, NoteCategory, Priority, Progress, ProjectorView, Rating};

impl From<Rating> for events::Rating {
    fn from(r: Rating) -> Self {
        match r {
            Rating::P => events::Rating::P,
            Rating::S => events::Rating::S,
            Rating::M => events::Rating::M,
            Rating::U => events::Rating::U,
        }
    }
}

impl From<events::Rating> for Rating {
    fn from(r: events::Rating) -> Self {
        match r {
            events::Rating::P => Rating::P,
            events::Rating::S => Rating::S,
            events::Rating::M => Rating::M,
            events::Rating::U => Rating::U,
        }
    }
}

impl From<Capability> for events::Capability {
    fn from(c: Capability) -> Self {
        match c {
            Capability::Planning => events::Capability::Planning,
            Capability::Organisation => events::Capability::Organisation,
            Capability::Equipment => events::Capability::Equipment,
            Capability::Training => events::Capability::Training,
            Capability::Exercise => events::Capability::Exercise,
        }
    }
}

impl From<events::Capability> for Capability {
    fn from(c: events::Capability) -> Self {
        match c {
            events::Capability::Planning => Capability::Planning,
            events::Capability::Organisation => Capability::Organisation,
            events::Capability::Equipment => Capability::Equipment,
            events::Capability::Training => Capability::Training,
            events::Capability::Exercise => Capability::Exercise,
        }
    }
}

impl From<Author> for events::Author {
    fn from(a: Author) -> Self {
        match a {
            Author::Facilitator => events::Author::Facilitator,
            Author::Observer { observer_id } => events::Author::Observer { observer_id },
        }
    }
}

impl From<events::Author> for Author {
    fn from(a: events::Author) -> Self {
        match a {
            events::Author::Facilitator => Author::Facilitator,
            events::Author::Observer { observer_id } => Author::Observer { observer_id },
        }
    }
}

impl From<ImprovementItem> for events::ImprovementItem {
    fn from(i: ImprovementItem) -> Self {
        events::ImprovementItem {
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

impl From<&events::ImprovementItem> for ImprovementItem {
    fn from(i: &events::ImprovementItem) -> Self {
        ImprovementItem {
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

impl From<Priority> for events::payload::Priority {
    fn from(p: Priority) -> Self {
        match p {
            Priority::High => events::payload::Priority::High,
            Priority::Medium => events::payload::Priority::Medium,
            Priority::Low => events::payload::Priority::Low,
        }
    }
}

impl From<events::payload::Priority> for Priority {
    fn from(p: events::payload::Priority) -> Self {
        match p {
            events::payload::Priority::High => Priority::High,
            events::payload::Priority::Medium => Priority::Medium,
            events::payload::Priority::Low => Priority::Low,
        }
    }
}

impl From<Progress> for events::payload::Progress {
    fn from(p: Progress) -> Self {
        match p {
            Progress::NotStarted => events::payload::Progress::NotStarted,
            Progress::InProgress => events::payload::Progress::InProgress,
            Progress::Complete => events::payload::Progress::Complete,
            Progress::Cancelled => events::payload::Progress::Cancelled,
        }
    }
}

impl From<events::payload::Progress> for Progress {
    fn from(p: events::payload::Progress) -> Self {
        match p {
            events::payload::Progress::NotStarted => Progress::NotStarted,
            events::payload::Progress::InProgress => Progress::InProgress,
            events::payload::Progress::Complete => Progress::Complete,
            events::payload::Progress::Cancelled => Progress::Cancelled,
        }
    }
}

impl From<ProjectorView> for events::ProjectorView {
    fn from(v: ProjectorView) -> Self {
        match v {
            ProjectorView::Play => events::ProjectorView::Play,
            ProjectorView::Results => events::ProjectorView::Results,
            ProjectorView::Adoption => events::ProjectorView::Adoption,
            ProjectorView::Briefing => events::ProjectorView::Briefing,
            ProjectorView::Poll => events::ProjectorView::Poll,
        }
    }
}

impl From<events::ProjectorView> for ProjectorView {
    fn from(v: events::ProjectorView) -> Self {
        match v {
            events::ProjectorView::Play => ProjectorView::Play,
            events::ProjectorView::Results => ProjectorView::Results,
            events::ProjectorView::Adoption => ProjectorView::Adoption,
            events::ProjectorView::Briefing => ProjectorView::Briefing,
            events::ProjectorView::Poll => ProjectorView::Poll,
        }
    }
}

impl From<NoteCategory> for events::payload::NoteCategory {
    fn from(c: NoteCategory) -> Self {
        match c {
            NoteCategory::Strength => events::payload::NoteCategory::Strength,
            NoteCategory::AreaForImprovement => events::payload::NoteCategory::AreaForImprovement,
        }
    }
}

impl From<events::payload::NoteCategory> for NoteCategory {
    fn from(c: events::payload::NoteCategory) -> Self {
        match c {
            events::payload::NoteCategory::Strength => NoteCategory::Strength,
            events::payload::NoteCategory::AreaForImprovement => NoteCategory::AreaForImprovement,
        }
    }
}
