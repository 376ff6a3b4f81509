//! The core's evaluation values to and from their stored form in events
//! ([`crate::events::payload`]): the edge between the log and the core. `decide` writes
//! stored values; `apply` reads them back into the core's.

use crate::events;

use super::evaluation::{Author, Capability, ImprovementItem, Rating};

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
        }
    }
}
