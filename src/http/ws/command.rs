//! A client message as an exercise command: the one place that maps the wire's
//! `ClientMsg` to the core's `Command`, minting the ids the server chooses (observer
//! keys, note and improvement ids).

use crate::exercise::Command;
use crate::ids::{ObserverId, new_item_id, new_secret};
use crate::protocol::ClientMsg;

/// The command for a message, and the client's id for it (echoed in `ack` and `error`).
pub(super) fn from_message(msg: ClientMsg) -> (Command, Option<String>) {
    let mut client_msg_id = None;
    let cmd = match msg {
        ClientMsg::Start => Command::Start,
        ClientMsg::Pause => Command::Pause,
        ClientMsg::Resume => Command::Resume,
        ClientMsg::Release { inject_id } => Command::Release { inject_id },
        ClientMsg::Skip { inject_id } => Command::Skip { inject_id },
        ClientMsg::SetSpeed { speed } => Command::SetSpeed { speed },
        ClientMsg::Move { participant_id, group_id } => Command::Move { participant_id, group_id },
        ClientMsg::Announce { text } => Command::Announce { text },
        ClientMsg::End => Command::End,
        ClientMsg::Respond { inject_id, text, client_msg_id: id } => {
            client_msg_id = Some(id.clone());
            Command::Respond { inject_id, text, client_msg_id: id }
        }
        ClientMsg::AddObserver { name } => {
            Command::AddObserver { name, observer_id: ObserverId::new(), key: new_secret() }
        }
        ClientMsg::Note { inject_id, objective_id, group_id, text, client_msg_id: id } => {
            client_msg_id = id.clone();
            Command::AddNote { note_id: new_item_id(), inject_id, objective_id, group_id, text, client_msg_id: id }
        }
        ClientMsg::RateObjective { objective_id, rating, strengths, areas_for_improvement, client_msg_id: id } => {
            client_msg_id = id;
            Command::RateObjective { objective_id, rating, strengths, areas_for_improvement }
        }
        ClientMsg::ProposeImprovement { item, client_msg_id: id } => {
            client_msg_id = id.clone();
            Command::ProposeImprovement { item_id: new_item_id(), item, client_msg_id: id }
        }
        ClientMsg::AcceptImprovement { item_id, item } => {
            Command::AcceptImprovement { item_id: item_id.unwrap_or_else(new_item_id), item }
        }
        ClientMsg::DropImprovement { item_id } => Command::DropImprovement { item_id },
        ClientMsg::OpenSelfAssessment => Command::OpenSelfAssessment,
        ClientMsg::CloseSelfAssessment => Command::CloseSelfAssessment,
        ClientMsg::SelfAssess { scores, client_msg_id: id } => {
            client_msg_id = id;
            Command::RateSelf { scores }
        }
    };
    (cmd, client_msg_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_notes_keep_their_client_id_and_server_ids_are_minted_here() {
        let (cmd, id) = from_message(ClientMsg::Respond {
            inject_id: "first-alert".into(),
            text: "Freeze swapped SIMs".into(),
            client_msg_id: "draft-1".into(),
        });
        assert!(matches!(cmd, Command::Respond { client_msg_id, .. } if client_msg_id == "draft-1"));
        assert_eq!(id.as_deref(), Some("draft-1"));
        let (a, _) = from_message(ClientMsg::AddObserver { name: "Fatou".into() });
        let (b, _) = from_message(ClientMsg::AddObserver { name: "Fatou".into() });
        match (a, b) {
            (
                Command::AddObserver { key: ka, observer_id: ia, .. },
                Command::AddObserver { key: kb, observer_id: ib, .. },
            ) => {
                assert!(ka != kb && ia != ib, "each observer gets a fresh key and id");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(from_message(ClientMsg::End).1, None);
    }
}
