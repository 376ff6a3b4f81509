//! A client message as an exercise request: the one place that maps the wire's
//! [`Action`] to the core's [`Command`], converting the wire's values and minting the
//! ids the server chooses (observer keys, note and improvement ids).

use crate::exercise::{Command, OlderQuery};
use crate::ids::{ObserverId, new_item_id, new_secret};
use crate::protocol::Action;

/// What a message asks of the exercise.
#[derive(Debug)]
pub(crate) enum Ask {
    /// Run a command as the socket's role (boxed: a command with an improvement item is
    /// far larger than a sync point).
    Command(Box<Command>),
    /// A sync point (`ping`): answered once every earlier push has been sent.
    Sync,
    /// A page of older answers (a read; answered with an `older_responses` frame).
    Older(OlderQuery),
}

/// The request for an action; `client_msg_id` is the message's own (`respond` needs it
/// as the answer's id; a missing one was refused by `parse`).
pub(crate) fn from_action(action: Action, client_msg_id: Option<&str>) -> Ask {
    let client_id = || client_msg_id.map(str::to_owned);
    Ask::Command(Box::new(match action {
        Action::Ping => return Ask::Sync,
        Action::OlderResponses { inject_id, group_id, before_seq, limit } => {
            return Ask::Older(OlderQuery { inject_id, group_id, before_seq, limit });
        }
        Action::Start => Command::Start,
        Action::Pause => Command::Pause,
        Action::ResumeClock => Command::ResumeClock,
        Action::Release { inject_id } => Command::Release { inject_id },
        Action::Skip { inject_id } => Command::Skip { inject_id },
        Action::FireCondition { inject_id } => Command::FireCondition { inject_id },
        Action::CancelCondition { inject_id } => Command::CancelCondition { inject_id },
        Action::SetSpeed { speed } => Command::SetSpeed { speed },
        Action::Move { participant_id, group_id } => Command::Move { participant_id, group_id },
        Action::MoveParticipants { participant_ids, group_id } => {
            Command::MoveParticipants { participant_ids, group_id }
        }
        Action::Rebalance => Command::Rebalance,
        Action::AssignScribe { group_id, participant_id } => Command::AssignScribe { group_id, participant_id },
        Action::Announce { text } => Command::Announce { text },
        Action::LockJoining => Command::LockJoining,
        Action::UnlockJoining => Command::UnlockJoining,
        Action::RemoveParticipant { participant_id } => Command::RemoveParticipant { participant_id },
        Action::End => Command::End,
        Action::Respond { inject_id, text, options } => {
            Command::Respond { inject_id, text, options, client_msg_id: client_id().unwrap_or_default() }
        }
        Action::AddObserver { name } => {
            Command::AddObserver { name, observer_id: ObserverId::new(), key: new_secret() }
        }
        Action::Note { inject_id, objective_id, group_id, text, category } => Command::AddNote {
            note_id: new_item_id(),
            inject_id,
            objective_id,
            group_id,
            text,
            client_msg_id: client_id(),
            category: category.map(Into::into),
        },
        Action::RateObjective { objective_id, rating, strengths, areas_for_improvement } => {
            Command::RateObjective { objective_id, rating: rating.into(), strengths, areas_for_improvement }
        }
        Action::ProposeImprovement { item } => {
            Command::ProposeImprovement { item_id: new_item_id(), item: item.into(), client_msg_id: client_id() }
        }
        Action::AcceptImprovement { item_id, item } => {
            Command::AcceptImprovement { item_id: item_id.unwrap_or_else(new_item_id), item: item.into() }
        }
        Action::DropImprovement { item_id } => Command::DropImprovement { item_id },
        Action::OpenSelfAssessment => Command::OpenSelfAssessment,
        Action::CloseSelfAssessment => Command::CloseSelfAssessment,
        Action::SelfAssess { scores, dont_know } => {
            Command::RateSelf { scores, dont_know: dont_know.into_iter().collect() }
        }
        Action::EditReport { executive_summary, marking } => Command::EditReport { executive_summary, marking },
        Action::OpenAdoption => Command::OpenAdoption,
        Action::CloseAdoption => Command::CloseAdoption,
        Action::VotePriorities { item_ids } => Command::VotePriorities { item_ids },
        Action::ShowOnProjector { view, inject_id } => Command::ShowOnProjector { view: view.into(), inject_id },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_notes_keep_their_client_id_and_server_ids_are_minted_here() {
        let respond =
            Action::Respond { inject_id: "first-alert".into(), text: "Freeze swapped SIMs".into(), options: vec![] };
        let Ask::Command(cmd) = from_action(respond, Some("draft-1")) else { panic!("a command") };
        assert!(matches!(*cmd, Command::Respond { client_msg_id, .. } if client_msg_id == "draft-1"));
        let add = || from_action(Action::AddObserver { name: "Fatou".into() }, None);
        match (add(), add()) {
            (Ask::Command(a), Ask::Command(b)) => match (*a, *b) {
                (
                    Command::AddObserver { key: ka, observer_id: ia, .. },
                    Command::AddObserver { key: kb, observer_id: ib, .. },
                ) => assert!(ka != kb && ia != ib, "each observer gets a fresh key and id"),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert!(matches!(from_action(Action::Ping, Some("x")), Ask::Sync));
        assert!(matches!(from_action(Action::ResumeClock, None), Ask::Command(c) if *c == Command::ResumeClock));
    }
}
