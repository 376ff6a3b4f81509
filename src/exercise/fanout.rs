//! The push channels of one exercise, one per audience: the facilitator, the observers,
//! the projector, and each group.
//!
//! A socket reads exactly one channel, so it is woken only by pushes that may concern
//! it (an answer wakes its group and the control room, not every phone in the room), and
//! it still sees its pushes in log order. Messages for everyone go into every channel;
//! the frame is shared, not copied. The facilitator and the observers read channels of
//! their own, so what only the facilitator may see (an observer's key) is never in a
//! channel an observer reads. A push for one participant (a profile's take-away) goes
//! into their group's channel as a delivery of its own: it takes one slot of that
//! bounded channel per participant, and every other socket of the group skips it.
//! What a socket takes from its channel is decided by its
//! [`super::subscription::Subscription`].

use std::sync::OnceLock;

use tokio::sync::broadcast;

use super::coalesce::{ChannelKind as Kind, coalesce};
use super::handle::{Delivery, Viewer};
use super::view::Audience;

/// Slots of each channel: how far a socket may fall behind before it is dropped (4008)
/// and resumes. A channel's slots are allocated when its first socket subscribes.
#[derive(Debug, Clone, Copy)]
pub struct ChannelSizes {
    /// The facilitator's and the observers' channels (they carry every group's answers).
    pub control: usize,
    /// Each group's channel.
    pub group: usize,
    /// The projector's channel.
    pub projector: usize,
}

impl Default for ChannelSizes {
    fn default() -> Self {
        Self { control: 2048, group: 512, projector: 128 }
    }
}

type Channel = OnceLock<broadcast::Sender<Delivery>>;

/// The senders, owned by the actor. A channel is made when its first socket subscribes
/// (its slots are allocated then): an exercise nobody has opened since the server
/// started, such as an ended one, holds no push buffers.
#[derive(Debug)]
pub struct Channels {
    sizes: ChannelSizes,
    facilitator: Channel,
    observers: Channel,
    projector: Channel,
    groups: Box<[(String, Channel)]>,
}

/// Channel 0 is the facilitator's, 1 the observers', 2 the projector's, 3.. the groups'.
const FIRST_GROUP: usize = 3;

impl Channels {
    /// Channels for an exercise with these groups.
    pub fn new<'a>(group_ids: impl IntoIterator<Item = &'a str>, sizes: ChannelSizes) -> Self {
        Channels {
            sizes,
            facilitator: OnceLock::new(),
            observers: OnceLock::new(),
            projector: OnceLock::new(),
            groups: group_ids.into_iter().map(|g| (g.to_owned(), OnceLock::new())).collect(),
        }
    }

    /// Puts a batch's deliveries, in log order, into the channels of their audiences.
    /// Nobody listening is fine. Within a channel, consecutive pushes for the same
    /// sockets go out as one `batch` frame (see [`coalesce`]): when a hundred answers
    /// of a group are stored in one commit, each phone of the group is woken once and
    /// sent one frame, not a hundred.
    pub fn send_all(&self, deliveries: impl IntoIterator<Item = Delivery>) {
        let mut queued: Vec<Vec<Delivery>> = vec![Vec::new(); FIRST_GROUP + self.groups.len()];
        let (all, groups) = (0..queued.len(), FIRST_GROUP..queued.len());
        for d in deliveries {
            let mut put = |channel: usize, d: Delivery| queued[channel].push(d);
            match &*d.audience {
                Audience::Everyone => {
                    for channel in all.clone() {
                        put(channel, d.clone());
                    }
                }
                Audience::Facilitator => {
                    put(0, d.clone());
                    put(1, d);
                }
                Audience::FacilitatorOnly => put(0, d),
                Audience::ObserversOnly => put(1, d),
                Audience::Projector => put(2, d),
                Audience::Group { group_id, with_facilitator } => {
                    if *with_facilitator {
                        put(0, d.clone());
                        put(1, d.clone());
                    }
                    if let Some(i) = self.groups.iter().position(|(g, _)| g == group_id) {
                        put(FIRST_GROUP + i, d);
                    }
                }
                // Their group's channel; only their socket takes it.
                Audience::Participant { group_id, .. } | Audience::Removed { group_id, .. } => {
                    if let Some(i) = self.groups.iter().position(|(g, _)| g == group_id) {
                        put(FIRST_GROUP + i, d);
                    }
                }
                // Rare: every group channel, the moved person's socket picks it out.
                Audience::Moved { .. } => {
                    for channel in groups.clone() {
                        put(channel, d.clone());
                    }
                }
            }
        }
        for (channel, pushes) in queued.into_iter().enumerate() {
            let (kind, cell) = match channel {
                0 => (Kind::Facilitator, &self.facilitator),
                1 => (Kind::Observers, &self.observers),
                2 => (Kind::Projector, &self.projector),
                g => (Kind::Group(&self.groups[g - FIRST_GROUP].0), &self.groups[g - FIRST_GROUP].1),
            };
            if let Some(tx) = cell.get().filter(|_| !pushes.is_empty()) {
                for d in coalesce(kind, pushes) {
                    let _ = tx.send(d);
                }
            }
        }
    }

    /// The channel a viewer reads (participants: their group's).
    pub fn subscribe(&self, viewer: Viewer, group_id: Option<&str>) -> broadcast::Receiver<Delivery> {
        let open = |cell: &Channel, size: usize| cell.get_or_init(|| broadcast::channel(size).0).subscribe();
        match viewer {
            Viewer::Facilitator => open(&self.facilitator, self.sizes.control),
            Viewer::Observer(_) => open(&self.observers, self.sizes.control),
            Viewer::Projector => open(&self.projector, self.sizes.projector),
            Viewer::Participant(_) => match group_id.and_then(|g| self.group(g)) {
                Some(cell) => open(cell, self.sizes.group),
                // A participant is always in a scenario group; read nothing rather than all.
                None => broadcast::channel(1).1,
            },
        }
    }

    fn group(&self, group_id: &str) -> Option<&Channel> {
        self.groups.iter().find(|(g, _)| g == group_id).map(|(_, cell)| cell)
    }
}

#[cfg(test)]
mod tests {
    use axum::extract::ws::Utf8Bytes;

    use super::*;
    use crate::ids::{ObserverId, ParticipantId};

    use std::sync::Arc;

    fn delivery(seq: u64, audience: Audience) -> Delivery {
        Delivery { seq, audience: Arc::new(audience), frame: Utf8Bytes::from(format!("{seq}")), lang: None }
    }

    fn seqs(rx: &mut broadcast::Receiver<Delivery>) -> Vec<u64> {
        std::iter::from_fn(|| rx.try_recv().ok()).map(|d| d.seq).collect()
    }

    #[test]
    fn each_socket_reads_one_channel_with_only_what_may_concern_it_in_log_order() {
        let ch = Channels::new(["risk", "incident"], ChannelSizes::default());
        let mut risk = ch.subscribe(Viewer::Participant(ParticipantId::new()), Some("risk"));
        let mut incident = ch.subscribe(Viewer::Participant(ParticipantId::new()), Some("incident"));
        let mut control = ch.subscribe(Viewer::Facilitator, None);
        let mut observer = ch.subscribe(Viewer::Observer(ObserverId::new()), None);
        let mut projector = ch.subscribe(Viewer::Projector, None);

        ch.send_all([delivery(1, Audience::Everyone)]);
        ch.send_all([delivery(2, Audience::Group { group_id: "risk".into(), with_facilitator: true })]);
        ch.send_all([delivery(3, Audience::Group { group_id: "incident".into(), with_facilitator: false })]);
        ch.send_all([delivery(4, Audience::Facilitator)]);
        ch.send_all([delivery(5, Audience::Projector)]);
        ch.send_all([delivery(6, Audience::FacilitatorOnly)]);
        ch.send_all([delivery(7, Audience::Moved { participant_id: ParticipantId::new(), group_id: "risk".into() })]);
        ch.send_all([delivery(8, Audience::Everyone)]);
        ch.send_all([delivery(9, Audience::ObserversOnly)]);
        ch.send_all([delivery(
            10,
            Audience::Participant { participant_id: ParticipantId::new(), group_id: "risk".into() },
        )]);

        assert_eq!(seqs(&mut risk), [1, 2, 7, 8, 10], "a move reaches every group's channel, one person's push theirs");
        assert_eq!(seqs(&mut incident), [1, 3, 7, 8]);
        assert_eq!(seqs(&mut control), [1, 2, 4, 6, 8]);
        assert_eq!(seqs(&mut observer), [1, 2, 4, 8, 9], "the facilitator's key (6) is not in the observers' channel");
        assert_eq!(seqs(&mut projector), [1, 5, 8]);
    }

    #[test]
    fn a_channel_is_made_by_its_first_subscriber_and_holds_only_later_pushes() {
        let ch = Channels::new(["risk"], ChannelSizes::default());
        ch.send_all([delivery(1, Audience::Everyone)]);
        assert!(ch.facilitator.get().is_none() && ch.group("risk").unwrap().get().is_none(), "no buffers yet");
        let mut risk = ch.subscribe(Viewer::Participant(ParticipantId::new()), Some("risk"));
        ch.send_all([delivery(2, Audience::Everyone)]);
        assert_eq!(seqs(&mut risk), [2]);
        assert!(ch.facilitator.get().is_none(), "the facilitator's channel waits for the facilitator");
    }

    #[test]
    fn one_commits_pushes_reach_each_channel_merged_per_run() {
        let ch = Channels::new(["risk", "incident"], ChannelSizes::default());
        let mut risk = ch.subscribe(Viewer::Participant(ParticipantId::new()), Some("risk"));
        let mut incident = ch.subscribe(Viewer::Participant(ParticipantId::new()), Some("incident"));
        let mut control = ch.subscribe(Viewer::Facilitator, None);
        let answer = |seq, g: &str| delivery(seq, Audience::Group { group_id: g.into(), with_facilitator: true });
        ch.send_all([delivery(1, Audience::Everyone), answer(2, "risk"), answer(3, "incident"), answer(4, "risk")]);

        let frames = |rx: &mut broadcast::Receiver<Delivery>| {
            std::iter::from_fn(|| rx.try_recv().ok()).map(|d| d.frame.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(frames(&mut risk), ["1", r#"{"type":"batch","pushes":[2,4]}"#]);
        assert_eq!(frames(&mut incident), ["1", "3"]);
        assert_eq!(frames(&mut control), [r#"{"type":"batch","pushes":[1,2,3,4]}"#]);
    }
}
