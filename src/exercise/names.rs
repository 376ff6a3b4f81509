//! Display names as the room reads them: one Unicode spelling (NFC), no invisible
//! characters that reorder or hide text (bidi controls, zero-width characters), spaces
//! collapsed; and no name that reads as a role of the room ("Facilitator",
//! "animateur", "admin"…), which a participant could use to pass for the organisers.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::decide::clean_text;
use super::error::ExerciseError;

/// Words a participant's name may not read as (compared without case, accents or
/// spacing), in English and French.
const ROLES: &[&str] = &[
    "facilitator",
    "facilitateur",
    "facilitatrice",
    "animateur",
    "animatrice",
    "admin",
    "administrator",
    "administrateur",
    "administratrice",
    "observer",
    "observateur",
    "observatrice",
    "organiser",
    "organizer",
    "organisateur",
    "organisatrice",
    "moderator",
    "moderateur",
    "moderatrice",
];

/// Whether `c` is a bidi control or a zero-width character: invisible, and able to
/// reorder or disguise the text around it.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A display name cleaned for the room, or why it is refused (`invalid_text`: empty
/// once cleaned, or a role's name; `too_long`).
pub fn display_name(name: &str, what: &'static str, max: usize) -> Result<String, ExerciseError> {
    let visible: String = name.nfc().filter(|&c| !is_invisible(c)).collect();
    let collapsed = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = clean_text(&collapsed, what, max)?;
    if reads_as_role(&name) {
        return Err(ExerciseError::ReservedName(name));
    }
    Ok(name)
}

/// Whether a name, or one of its words, reads as one of [`ROLES`] once case, accents,
/// and anything but letters are set aside ("F.A.C.I.L.I.T.A.T.O.R", "Animatéur",
/// "Admin Bob").
pub fn reads_as_role(name: &str) -> bool {
    let fold = |s: &str| -> String {
        s.nfkd()
            .filter(|&c| !is_combining_mark(c))
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let whole = fold(name);
    ROLES.contains(&whole.as_str())
        || name.split(|c: char| c.is_whitespace() || c == '-' || c == '_').any(|w| ROLES.contains(&fold(w).as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_nfc_without_invisible_characters_and_with_one_space_between_words() {
        let decomposed = "Jose\u{301}   \t Ma\u{200B}ria\u{202E}\u{FEFF}";
        assert_eq!(display_name(decomposed, "name", 60).unwrap(), "José Maria");
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{200D}',
            '\u{2060}', '\u{FEFF}',
        ] {
            assert_eq!(display_name(&format!("A{c}b"), "name", 60).unwrap(), "Ab", "{:04X}", c as u32);
        }
        // Nothing left once the invisible characters go: refused.
        assert_eq!(display_name("\u{200B}\u{202E} ", "name", 60).unwrap_err().code(), "invalid_text");
    }

    #[test]
    fn names_that_read_as_a_role_are_refused_whatever_the_case_accents_or_disguise() {
        for name in [
            "Facilitator",
            "FACILITATOR",
            "facilitator ",
            "Animateur",
            "animatéur",
            "Admin",
            "admin bob",
            "The Observer",
            "Organiser",
            "F.a.c.i.l.i.t.a.t.o.r",
            "Facili\u{200B}tator",
            "Fac\u{202E}ilitator",
            "Ａｄｍｉｎ",
        ] {
            let refused = display_name(name, "name", 60).unwrap_err();
            assert_eq!(refused.code(), "invalid_text", "{name}");
        }
        for name in ["Ana", "Adminah", "Observatory Team", "Léa Faci", "Organisation X"] {
            assert!(display_name(name, "name", 60).is_ok(), "{name}");
        }
    }
}
