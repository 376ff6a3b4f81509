//! Merging a channel's pushes of one commit into `batch` frames.
//!
//! Under load the actor commits many events at once: a hundred answers of a group in
//! one commit would be a hundred frames for each of the group's phones. Instead,
//! consecutive pushes of one commit in one channel that go to exactly the same sockets
//! of it are sent as one delivery whose frame is `{"type":"batch","pushes":[…]}`: the
//! pushes' own frames, joined, not serialized again. A push on its own is sent as it is.
//!
//! The merged delivery carries the first push's `seq`. A batch lies within one commit,
//! and a welcome or a move always covers whole commits, so a socket keeps or drops all
//! of a batch (`seq` is only compared with those).

use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;

use super::handle::Delivery;
use super::view::Audience;
use crate::lang::Lang;

/// Whose channel the pushes are in.
#[derive(Debug, Clone, Copy)]
pub(super) enum ChannelKind<'a> {
    /// The facilitator's.
    Facilitator,
    /// The observers'.
    Observers,
    /// The shared screen.
    Projector,
    /// One group's participants.
    Group(&'a str),
}

/// Which sockets of a channel a push is for, as far as merging goes: pushes with the
/// same key go to the same sockets of that channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// Every socket of the channel.
    Whole,
    /// Every socket of a group's channel, kept apart from the group's own pushes: a moved
    /// participant's socket forwards these from its old channel
    /// (`Subscription::rehome`).
    Everyone,
}

fn key(channel: ChannelKind, audience: &Audience) -> Option<Key> {
    match (channel, audience) {
        // For one socket of the channel: never merged.
        (_, Audience::Moved { .. } | Audience::Participant { .. } | Audience::Removed { .. }) => None,
        (ChannelKind::Group(_), Audience::Everyone) => Some(Key::Everyone),
        // Every other push in a channel is for all of its sockets: the facilitator's and
        // the observers' channels carry only what each may see, the projector's only
        // everyone's and its own, a group's only its own besides the two above.
        _ => Some(Key::Whole),
    }
}

/// The audience of a merged delivery: one that picks the same sockets of the channel.
fn merged_audience(channel: ChannelKind, key: Key) -> Audience {
    match (key, channel) {
        (Key::Whole, ChannelKind::Facilitator) => Audience::FacilitatorOnly,
        (Key::Whole, ChannelKind::Observers) => Audience::ObserversOnly,
        (Key::Whole, ChannelKind::Projector) => Audience::Projector,
        (Key::Whole, ChannelKind::Group(g)) => Audience::Group { group_id: g.to_owned(), with_facilitator: false },
        (Key::Everyone, _) => Audience::Everyone,
    }
}

/// A channel's pushes of one commit, in log order, with runs for the same sockets merged.
pub(super) fn coalesce(channel: ChannelKind, pushes: Vec<Delivery>) -> Vec<Delivery> {
    let mut out = Vec::with_capacity(pushes.len());
    let mut run: Vec<Delivery> = Vec::new();
    let mut run_key = None;
    for d in pushes {
        let k = key(channel, &d.audience).map(|k| (k, d.lang));
        if k.is_none() || k != run_key {
            flush(channel, run_key, &mut run, &mut out);
        }
        run_key = k;
        run.push(d);
    }
    flush(channel, run_key, &mut run, &mut out);
    out
}

/// Pushes in different languages are never merged (a socket takes one language).
fn flush(channel: ChannelKind, key: Option<(Key, Option<Lang>)>, run: &mut Vec<Delivery>, out: &mut Vec<Delivery>) {
    match (run.len(), key) {
        (0, _) => {}
        (1, _) | (_, None) => out.append(run),
        (_, Some((key, lang))) => {
            let frame = batch_frame(run.iter().map(|d| &d.frame));
            out.push(Delivery { seq: run[0].seq, audience: Arc::new(merged_audience(channel, key)), frame, lang });
            run.clear();
        }
    }
}

/// `{"type":"batch","pushes":[…]}` around frames that are JSON objects already.
pub fn batch_frame<'a>(frames: impl Iterator<Item = &'a Utf8Bytes> + Clone) -> Utf8Bytes {
    const HEAD: &str = r#"{"type":"batch","pushes":["#;
    let len = frames.clone().map(|f| f.len() + 1).sum::<usize>();
    let mut json = String::with_capacity(HEAD.len() + len + 2);
    json.push_str(HEAD);
    for (i, frame) in frames.enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(frame.as_str());
    }
    json.push_str("]}");
    Utf8Bytes::from(json)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::ids::ParticipantId;

    fn push(seq: u64, audience: Audience) -> Delivery {
        Delivery {
            seq,
            audience: Arc::new(audience),
            frame: Utf8Bytes::from(json!({"type": "x", "seq": seq}).to_string()),
            lang: None,
        }
    }

    fn group(g: &str, with_facilitator: bool) -> Audience {
        Audience::Group { group_id: g.into(), with_facilitator }
    }

    /// Each delivery as (seq, audience, seqs inside).
    fn shape(out: Vec<Delivery>) -> Vec<(u64, Audience, Vec<u64>)> {
        out.into_iter()
            .map(|d| {
                let v: Value = serde_json::from_str(d.frame.as_str()).unwrap();
                let inner = match v["type"].as_str() {
                    Some("batch") => {
                        v["pushes"].as_array().unwrap().iter().map(|p| p["seq"].as_u64().unwrap()).collect()
                    }
                    _ => vec![v["seq"].as_u64().unwrap()],
                };
                (d.seq, (*d.audience).clone(), inner)
            })
            .collect()
    }

    #[test]
    fn a_groups_run_of_answers_is_one_batch_and_pushes_for_everyone_stay_apart() {
        let moved = Audience::Moved { participant_id: ParticipantId::new(), group_id: "risk".into() };
        let pushes = vec![
            push(1, group("risk", true)),
            push(2, group("risk", false)),
            push(3, group("risk", true)),
            push(4, Audience::Everyone),
            push(5, Audience::Everyone),
            push(6, moved.clone()),
            push(7, moved.clone()),
            push(8, group("risk", true)),
        ];
        assert_eq!(
            shape(coalesce(ChannelKind::Group("risk"), pushes)),
            [
                (1, group("risk", false), vec![1, 2, 3]),
                (4, Audience::Everyone, vec![4, 5]),
                (6, moved.clone(), vec![6]),
                (7, moved, vec![7]),
                (8, group("risk", true), vec![8]),
            ]
        );
    }

    #[test]
    fn the_facilitators_channel_merges_all_groups_answers_and_its_own_pushes() {
        let pushes = vec![
            push(1, group("risk", true)),
            push(2, group("incident", true)),
            push(3, Audience::Everyone),
            push(4, Audience::Facilitator),
            push(5, Audience::FacilitatorOnly),
        ];
        assert_eq!(
            shape(coalesce(ChannelKind::Facilitator, pushes)),
            [(1, Audience::FacilitatorOnly, vec![1, 2, 3, 4, 5])]
        );
        let projector = vec![push(1, Audience::Projector), push(2, Audience::Everyone)];
        assert_eq!(shape(coalesce(ChannelKind::Projector, projector)), [(1, Audience::Projector, vec![1, 2])]);
    }

    #[test]
    fn a_batch_frame_is_the_pushes_own_json_in_order() {
        let frames = [Utf8Bytes::from(r#"{"type":"a","text":"say \"hi\", ]}"}"#), Utf8Bytes::from(r#"{"type":"b"}"#)];
        let v: Value = serde_json::from_str(batch_frame(frames.iter()).as_str()).unwrap();
        assert_eq!(v, json!({"type": "batch", "pushes": [{"type": "a", "text": "say \"hi\", ]}"}, {"type": "b"}]}));
    }
}
