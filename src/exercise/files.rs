//! Who may read an attachment file, and the links that say so.
//!
//! An image on a phone is fetched by `<img src>`, which sends no credentials. So each
//! view gets capability links: `/files/{exercise}/{scope}/{hash}?k={tag}`, where the
//! scope is the control room (`c`: facilitator and observers, every file), the shared
//! screen (`s`: files of released injects) or one group (`g.{id}`: files of injects
//! released to that group), and the tag is an HMAC-SHA256 of the three under the
//! exercise's facilitator key. A participant cannot forge another group's link, and a
//! link works only once the inject is released to its scope: an unreleased inject's
//! file answers 404 like an unknown one.

use sha2::{Digest, Sha256};

use crate::ids::{ExerciseId, secrets_equal};

use super::state::{InjectStatus, State};

/// Whose view a file link is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileScope {
    /// The facilitator and observers: every file of the scenario.
    Control,
    /// The shared screen: files of released injects.
    Screen,
    /// One group: files of injects released to it.
    Group(String),
}

impl FileScope {
    /// The scope as written in links.
    pub fn as_segment(&self) -> String {
        match self {
            FileScope::Control => "c".into(),
            FileScope::Screen => "s".into(),
            FileScope::Group(g) => format!("g.{g}"),
        }
    }

    /// A scope from a link's segment.
    pub fn parse(segment: &str) -> Option<Self> {
        match segment {
            "c" => Some(FileScope::Control),
            "s" => Some(FileScope::Screen),
            _ => segment.strip_prefix("g.").filter(|g| !g.is_empty()).map(|g| FileScope::Group(g.to_owned())),
        }
    }
}

/// HMAC-SHA256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner = Sha256::new().chain_update(block.map(|b| b ^ 0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(block.map(|b| b ^ 0x5c)).chain_update(inner).finalize().to_vec()
}

/// The tag of a link: 128 bits of the HMAC, in hex.
fn tag(key: &str, exercise: ExerciseId, scope: &FileScope, hash: &str) -> String {
    let message = format!("{exercise}/{}/{hash}", scope.as_segment());
    hmac_sha256(key.as_bytes(), message.as_bytes())[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The link to a file for `scope`.
pub fn link(state: &State, scope: &FileScope, hash: &str) -> String {
    link_with_key(&state.facilitator_key, state.exercise_id, scope, hash)
}

/// The link to a file of `exercise` for `scope`, made with the exercise's facilitator key.
pub fn link_with_key(key: &str, exercise: ExerciseId, scope: &FileScope, hash: &str) -> String {
    let tag = tag(key, exercise, scope, hash);
    format!("/files/{exercise}/{}/{hash}?k={tag}", scope.as_segment())
}

/// The media type of the file if the link's tag is right and its scope may read it now.
pub fn readable(state: &State, scope: &FileScope, hash: &str, given_tag: &str) -> Option<String> {
    let expected = tag(&state.facilitator_key, state.exercise_id, scope, hash);
    if !secrets_equal(given_tag, &expected) {
        return None;
    }
    state.scenario.injects.iter().zip(&state.injects).find_map(|(inject, status)| {
        let content = inject.attachments.iter().filter_map(|a| a.content.as_ref()).find(|c| c.hash == hash)?;
        let released = matches!(status, InjectStatus::Released(_));
        let may = match scope {
            FileScope::Control => true,
            FileScope::Screen => released,
            FileScope::Group(g) => released && inject.targets.includes(g),
        };
        may.then(|| content.media_type.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn scopes_read_back_from_their_segment() {
        for scope in [FileScope::Control, FileScope::Screen, FileScope::Group("incident".into())] {
            assert_eq!(FileScope::parse(&scope.as_segment()), Some(scope));
        }
        assert_eq!(FileScope::parse("g."), None);
        assert_eq!(FileScope::parse("x"), None);
    }
}
