//! [`Subscription`]: one socket's view of the exercise's push channels.
//!
//! Which frames a socket takes, what a move means for it and what falling behind means
//! are decided here, synchronously, so they are unit-tested without sockets; the
//! transport (`http::ws`) only waits for [`Subscription::ready`], writes what
//! [`Subscription::take`] gives and maps [`Fell`] to a close code.
//!
//! A socket reads exactly one channel (its audience's: the facilitator's, the
//! observers', the projector's or its group's), so everything in it is for the socket
//! except what its welcome already covered (`seq` at or below `covered_seq`), a move of
//! another participant and a push for another participant alone. A move of this
//! participant stops the taking: the socket asks the actor for its new channel and hands
//! the answer to [`Subscription::rehome`].

use crate::lang::Lang;
use axum::extract::ws::Utf8Bytes;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

use super::handle::{Delivery, Rehomed, Viewer};
use super::view::Audience;

/// Why a socket can read no further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fell {
    /// It fell so far behind that its channel dropped pushes: it must resume (with its
    /// `last_seq`) to catch up. Close code 4008.
    Behind,
    /// The exercise stopped sending (its actor is gone).
    Closed,
    /// The facilitator removed this participant: the socket closes (a resume is refused
    /// with `removed`).
    Removed,
}

/// What [`Subscription::take`] stopped at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Nothing more is waiting (or the limit or the given `seq` was reached).
    Done,
    /// This participant was moved: rehome before taking more.
    Moved,
}

/// A socket's subscription to its audience's channel.
#[derive(Debug)]
pub struct Subscription {
    viewer: Viewer,
    /// The language this socket reads the scenario in (`None`: it has one).
    lang: Option<Lang>,
    group_id: Option<String>,
    deliveries: broadcast::Receiver<Delivery>,
    /// Pushes up to this log position were covered by the welcome (or the `moved`).
    covered_seq: u64,
    /// A delivery received by [`Subscription::ready`], not yet taken.
    waiting: Option<Delivery>,
}

impl Subscription {
    /// A subscription whose welcome covered the log up to `covered_seq`.
    pub(crate) fn new(
        viewer: Viewer,
        lang: Option<Lang>,
        group_id: Option<String>,
        deliveries: broadcast::Receiver<Delivery>,
        covered_seq: u64,
    ) -> Self {
        Subscription { viewer, lang, group_id, deliveries, covered_seq, waiting: None }
    }

    /// The language this socket reads the scenario in.
    pub fn lang(&self) -> Option<Lang> {
        self.lang
    }

    /// Whether a delivery is in this socket's language (or in every language).
    fn reads(&self, d: &Delivery) -> bool {
        d.lang.is_none() || d.lang == self.lang
    }

    /// Who reads it.
    pub fn viewer(&self) -> Viewer {
        self.viewer
    }

    /// The participant's current group (participants only).
    pub fn group_id(&self) -> Option<&str> {
        self.group_id.as_deref()
    }

    /// Waits until a delivery is waiting. Cancel-safe: a delivery received is kept for
    /// the next [`Subscription::take`].
    pub async fn ready(&mut self) -> Result<(), Fell> {
        if self.waiting.is_none() {
            self.waiting = Some(self.deliveries.recv().await.map_err(fell)?);
        }
        Ok(())
    }

    /// Moves up to `max` waiting deliveries with a `seq` up to `up_to` into `frames`,
    /// leaving out what is not for this socket; stops early at this participant's move.
    pub fn take(&mut self, max: usize, up_to: u64, frames: &mut Vec<Utf8Bytes>) -> Result<Taken, Fell> {
        for _ in 0..max {
            let delivery = match self.waiting.take() {
                Some(d) => d,
                None => match self.deliveries.try_recv() {
                    Ok(d) => d,
                    Err(TryRecvError::Empty) => return Ok(Taken::Done),
                    Err(TryRecvError::Lagged(_)) => return Err(Fell::Behind),
                    Err(TryRecvError::Closed) => return Err(Fell::Closed),
                },
            };
            if !self.reads(&delivery) {
                continue;
            }
            if delivery.seq > up_to {
                self.waiting = Some(delivery);
                return Ok(Taken::Done);
            }
            if delivery.seq <= self.covered_seq {
                continue;
            }
            match (&*delivery.audience, self.viewer) {
                (Audience::Moved { participant_id, .. }, Viewer::Participant(me)) if *participant_id == me => {
                    return Ok(Taken::Moved);
                }
                (Audience::Moved { .. }, _) => {}
                (Audience::Removed { participant_id, .. }, Viewer::Participant(me)) if *participant_id == me => {
                    return Err(Fell::Removed);
                }
                (Audience::Removed { .. }, _) => {}
                (Audience::Participant { participant_id, .. }, Viewer::Participant(me)) if *participant_id == me => {
                    frames.push(delivery.frame);
                }
                (Audience::Participant { .. }, _) => {}
                _ => frames.push(delivery.frame),
            }
        }
        Ok(Taken::Done)
    }

    /// Switches a moved participant to the new group's channel. Pushes for everyone
    /// still waiting in the old channel, up to where the `moved` message takes over, are
    /// returned first, in order, then the `moved` frame; the old group's own pushes are
    /// dropped (the `moved` message holds the new group's).
    pub fn rehome(&mut self, rehomed: Rehomed) -> Result<Vec<Utf8Bytes>, Fell> {
        let mut old = std::mem::replace(&mut self.deliveries, rehomed.deliveries);
        let mut frames = Vec::new();
        let lang = self.lang;
        let mut forward = |d: Delivery| {
            if (d.lang.is_none() || d.lang == lang)
                && d.seq > self.covered_seq
                && d.seq <= rehomed.covered_seq
                && *d.audience == Audience::Everyone
            {
                frames.push(d.frame);
            }
        };
        if let Some(d) = self.waiting.take() {
            forward(d);
        }
        loop {
            match old.try_recv() {
                Ok(d) => forward(d),
                // Pushes for everyone were lost in the old channel: resume to catch up.
                Err(TryRecvError::Lagged(_)) => return Err(Fell::Behind),
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        self.group_id = Some(rehomed.group_id);
        self.covered_seq = rehomed.covered_seq;
        frames.push(rehomed.frame);
        Ok(frames)
    }
}

fn fell(e: RecvError) -> Fell {
    match e {
        RecvError::Lagged(_) => Fell::Behind,
        RecvError::Closed => Fell::Closed,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::exercise::fanout::{ChannelSizes, Channels};
    use crate::ids::{ObserverId, ParticipantId};

    fn push(seq: u64, audience: Audience) -> Delivery {
        Delivery { seq, audience: Arc::new(audience), frame: Utf8Bytes::from(format!("{seq}")), lang: None }
    }

    fn group(g: &str) -> Audience {
        Audience::Group { group_id: g.into(), with_facilitator: true }
    }

    fn taken(sub: &mut Subscription) -> (Vec<String>, Taken) {
        let mut frames = Vec::new();
        let step = sub.take(64, u64::MAX, &mut frames).unwrap();
        (frames.iter().map(|f| f.to_string()).collect(), step)
    }

    /// The seqs of the pushes in frames, a `batch` frame's included.
    fn seqs(frames: &[String]) -> Vec<u64> {
        frames
            .iter()
            .flat_map(|f| match serde_json::from_str::<serde_json::Value>(f).unwrap() {
                serde_json::Value::Number(n) => vec![n.as_u64().unwrap()],
                batch => batch["pushes"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect(),
            })
            .collect()
    }

    fn subscribe(ch: &Channels, viewer: Viewer, group_id: Option<&str>, covered_seq: u64) -> Subscription {
        Subscription::new(viewer, None, group_id.map(str::to_owned), ch.subscribe(viewer, group_id), covered_seq)
    }

    #[test]
    fn a_socket_takes_its_own_language_and_the_untagged_pushes_merged_per_language() {
        let ch = Channels::new(["risk"], ChannelSizes::default());
        let me = ParticipantId::new();
        let viewer = Viewer::Participant(me);
        let mut french =
            Subscription::new(viewer, Some(Lang::Fr), Some("risk".into()), ch.subscribe(viewer, Some("risk")), 0);
        let mut english =
            Subscription::new(viewer, Some(Lang::En), Some("risk".into()), ch.subscribe(viewer, Some("risk")), 0);
        let tagged = |seq, lang| Delivery { lang: Some(lang), ..push(seq, group("risk")) };
        // One commit, built once per language, English first (as the actor sorts them).
        ch.send_all([
            tagged(1, Lang::En),
            tagged(2, Lang::En),
            tagged(1, Lang::Fr),
            tagged(2, Lang::Fr),
            push(3, group("risk")),
        ]);
        for (sub, lang) in [(&mut french, Lang::Fr), (&mut english, Lang::En)] {
            let mut frames = Vec::new();
            assert_eq!(sub.take(100, u64::MAX, &mut frames).unwrap(), Taken::Done);
            let frames: Vec<String> = frames.iter().map(|f| f.to_string()).collect();
            assert_eq!(seqs(&frames), [1, 2, 3], "{lang}: its own language's pushes once each, then the untagged one");
        }
    }

    #[test]
    fn a_socket_takes_what_its_welcome_did_not_cover_in_log_order() {
        let ch = Channels::new(["risk", "incident"], ChannelSizes::default());
        let mut risk = subscribe(&ch, Viewer::Participant(ParticipantId::new()), Some("risk"), 2);
        ch.send_all([push(2, Audience::Everyone)]);
        ch.send_all([push(3, group("risk")), push(4, group("incident")), push(5, Audience::Everyone)]);
        assert_eq!(taken(&mut risk), (vec!["3".into(), "5".into()], Taken::Done), "2 was in the welcome");
    }

    #[test]
    fn take_respects_its_limit_and_its_seq_and_keeps_the_rest_for_later() {
        let ch = Channels::new(["risk"], ChannelSizes::default());
        let mut f = subscribe(&ch, Viewer::Facilitator, None, 0);
        for seq in 1..=5 {
            ch.send_all([push(seq, Audience::Facilitator)]);
        }
        let mut frames = Vec::new();
        f.take(2, u64::MAX, &mut frames).unwrap();
        assert_eq!(frames, ["1", "2"]);
        f.take(64, 3, &mut frames).unwrap();
        assert_eq!(frames, ["1", "2", "3"], "stops before a seq it was not asked for");
        assert_eq!(taken(&mut f).0, ["4", "5"]);
    }

    #[test]
    fn a_move_of_this_participant_stops_the_taking_and_another_ones_is_skipped() {
        let ch = Channels::new(["risk", "incident"], ChannelSizes::default());
        let me = ParticipantId::new();
        let mut mine = subscribe(&ch, Viewer::Participant(me), Some("risk"), 0);
        let mut neighbour = subscribe(&ch, Viewer::Participant(ParticipantId::new()), Some("risk"), 0);
        let moved = Audience::Moved { participant_id: me, group_id: "incident".into() };
        ch.send_all([push(1, group("risk")), push(2, moved), push(3, Audience::Everyone), push(4, group("risk"))]);
        assert_eq!(taken(&mut mine), (vec!["1".into()], Taken::Moved));
        assert_eq!(taken(&mut neighbour), (vec!["1".into(), "3".into(), "4".into()], Taken::Done));

        // The actor answers with the new channel, subscribed as of seq 4.
        let rehomed = Rehomed {
            group_id: "incident".into(),
            frame: Utf8Bytes::from_static("moved"),
            covered_seq: 4,
            deliveries: ch.subscribe(Viewer::Participant(me), Some("incident")),
        };
        let frames = mine.rehome(rehomed).unwrap();
        assert_eq!(frames, ["3", "moved"], "everyone's push before the move, not risk's own, then moved");
        assert_eq!(mine.group_id(), Some("incident"));
        ch.send_all([push(5, group("incident")), push(6, group("risk"))]);
        assert_eq!(taken(&mut mine).0, ["5"]);
    }

    #[test]
    fn a_push_for_one_participant_reaches_only_their_socket() {
        let ch = Channels::new(["risk"], ChannelSizes::default());
        let (awa, bako) = (ParticipantId::new(), ParticipantId::new());
        let mut awas = subscribe(&ch, Viewer::Participant(awa), Some("risk"), 0);
        let mut bakos = subscribe(&ch, Viewer::Participant(bako), Some("risk"), 0);
        let mut control = subscribe(&ch, Viewer::Facilitator, None, 0);
        let to = |participant_id| Audience::Participant { participant_id, group_id: "risk".into() };
        ch.send_all([push(1, to(awa)), push(1, to(bako)), push(1, Audience::Facilitator), push(2, group("risk"))]);
        assert_eq!(seqs(&taken(&mut awas).0), [1, 2]);
        assert_eq!(seqs(&taken(&mut bakos).0), [1, 2]);
        let frames = |rx: &mut broadcast::Receiver<Delivery>| {
            std::iter::from_fn(|| rx.try_recv().ok()).map(|d| (*d.audience).clone()).collect::<Vec<_>>()
        };
        let mut raw = ch.subscribe(Viewer::Participant(awa), Some("risk"));
        ch.send_all([push(3, to(awa)), push(3, to(bako))]);
        assert_eq!(frames(&mut raw), [to(awa), to(bako)], "never merged: each is its own delivery");
        assert_eq!(seqs(&taken(&mut control).0), [1, 2], "not in the control room's channel");
    }

    #[test]
    fn falling_behind_is_reported_not_skipped() {
        let sizes = ChannelSizes { group: 4, ..ChannelSizes::default() };
        let ch = Channels::new(["risk"], sizes);
        let mut slow = subscribe(&ch, Viewer::Participant(ParticipantId::new()), Some("risk"), 0);
        for seq in 1..=10 {
            ch.send_all([push(seq, group("risk"))]);
        }
        assert_eq!(slow.take(64, u64::MAX, &mut Vec::new()), Err(Fell::Behind));
    }

    #[test]
    fn no_frame_for_the_facilitator_alone_reaches_an_observer() {
        let ch = Channels::new(["risk"], ChannelSizes::default());
        let mut observer = subscribe(&ch, Viewer::Observer(ObserverId::new()), None, 0);
        let mut facilitator = subscribe(&ch, Viewer::Facilitator, None, 0);
        let every_audience = [
            Audience::FacilitatorOnly,
            Audience::ObserversOnly,
            Audience::Facilitator,
            Audience::Everyone,
            group("risk"),
            Audience::Group { group_id: "risk".into(), with_facilitator: false },
            Audience::Projector,
            Audience::Moved { participant_id: ParticipantId::new(), group_id: "risk".into() },
        ];
        for (i, audience) in every_audience.iter().enumerate() {
            // One commit per push and several per commit: merged frames must not leak either.
            ch.send_all([push(2 * i as u64 + 1, audience.clone())]);
            ch.send_all([push(2 * i as u64 + 2, audience.clone()), push(100 + i as u64, Audience::Facilitator)]);
        }
        let seen = seqs(&taken(&mut observer).0);
        assert!(!seen.contains(&1) && !seen.contains(&2), "facilitator-only pushes reached an observer: {seen:?}");
        assert!(seen.contains(&3) && seen.contains(&4), "observers' own pushes arrive: {seen:?}");
        let seen = seqs(&taken(&mut facilitator).0);
        assert!(seen.contains(&1) && seen.contains(&2) && !seen.contains(&3) && !seen.contains(&4), "{seen:?}");
    }
}
