//! Identifiers and secrets: exercise, participant and observer ids, join codes, keys, tokens.
//!
//! Ids are UUIDv7 (time-ordered). Secrets come from the thread-local CSPRNG and are
//! compared in constant time. None of them is ever written to the logs.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Declares a UUIDv7 id type: `new()`, `Display`, `FromStr`, serde as a plain string.
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// Identifies one exercise (one run of a scenario).
    ExerciseId
);
uuid_id!(
    /// Identifies one participant within an exercise.
    ParticipantId
);
uuid_id!(
    /// Identifies one observer (evaluator) of an exercise.
    ObserverId
);

/// A new id for a note or an improvement-plan item (a UUIDv7 as text).
pub fn new_item_id() -> String {
    Uuid::now_v7().to_string()
}

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Length of a join code: 31^8 ≈ 8.5e11 codes, with failed attempts limited per socket.
pub const JOIN_CODE_LEN: usize = 8;
/// Characters of keys and tokens (lower-case base32).
const KEY_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";

fn random_string(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())] as char).collect()
}

/// A new join code, e.g. `K7QMP3XD`.
pub fn new_join_code() -> String {
    random_string(CODE_ALPHABET, JOIN_CODE_LEN)
}

/// Normalizes a typed join code: upper case, spaces and dashes removed.
pub fn normalize_join_code(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// Whether a normalized code could be a join code (letters and digits, not too long);
/// what the QR endpoint draws for any such code.
pub fn is_join_code(code: &str) -> bool {
    (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A new secret of 160 bits: facilitator keys and the admin token.
pub fn new_secret() -> String {
    random_string(KEY_ALPHABET, 32)
}

/// A new resume token: names its exercise (so any server can route it) plus 160 secret bits.
pub fn new_resume_token(exercise: ExerciseId) -> String {
    format!("{}.{}", exercise.0.simple(), new_secret())
}

/// The exercise a resume token belongs to, if it is well-formed.
pub fn resume_token_exercise(token: &str) -> Option<ExerciseId> {
    let (exercise, secret) = token.split_once('.')?;
    if secret.len() != 32 {
        return None;
    }
    Uuid::try_parse(exercise).ok().map(ExerciseId)
}

/// Compares two secrets without leaking, through timing, where they differ or how long
/// the right one is: both are hashed (SHA-256, time depending only on each one's own
/// length) and the digests compared with a fold over all 32 bytes.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    let diff = x.iter().zip(y.iter()).fold(0u8, |acc, (p, q)| acc | (p ^ q));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_codes_avoid_ambiguous_characters_and_normalize() {
        for _ in 0..200 {
            let code = new_join_code();
            assert_eq!(code.len(), JOIN_CODE_LEN);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
        assert_eq!(normalize_join_code(" k7qm-p3xd "), "K7QMP3XD");
    }

    #[test]
    fn resume_tokens_name_their_exercise() {
        let ex = ExerciseId::new();
        let token = new_resume_token(ex);
        assert_eq!(resume_token_exercise(&token), Some(ex));
        assert_eq!(resume_token_exercise("nonsense"), None);
        assert_eq!(resume_token_exercise(&format!("{}.short", ex.0.simple())), None);
    }

    #[test]
    fn secrets_compare_by_value() {
        let s = new_secret();
        assert!(secrets_equal(&s, &s.clone()));
        assert!(!secrets_equal(&s, &new_secret()));
        assert!(!secrets_equal(&s, &s[1..]));
    }
}
