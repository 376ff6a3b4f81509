//! The languages tabletop writes for readers in — English and French — and the few
//! rules of writing that differ between them: the decimal separator, digit groups,
//! singular and plural, dates, and the space French puts before `:`.
//!
//! A scenario says which language it is written in (`language = "en" | "fr"`); what
//! tabletop writes around the scenario's text (the after-action report today) follows
//! it unless the reader asks for another ([`Lang::parse`] reads `?lang=` and `--lang`).
//! The words themselves live with what they name; this module only knows how numbers,
//! dates and labels are written in each language.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A language tabletop writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (`en`), the default.
    #[default]
    En,
    /// French (`fr`).
    Fr,
}

/// The French non-breaking space (U+00A0), before `:` and between a number and its unit.
pub const NBSP: char = '\u{a0}';
/// The French narrow non-breaking space (U+202F), before `;` `?` `!`, inside « », and
/// between groups of digits.
pub const NNBSP: char = '\u{202f}';

/// The French months, for dates written out.
const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// A language from a code as people and browsers write it: `en`, `FR`, `fr-FR`,
    /// `fr_CA`, ` en-GB ` (the primary subtag decides); `None` for any other.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.code()))
    }

    /// The two-letter code: `en` or `fr` (also the HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// `text` with the spaces this language's typography keeps with their neighbour:
    /// in French, the space before `:` becomes a no-break space and the one before
    /// `;` `?` `!` `»` and after `«` a narrow no-break space, so a phone never puts a
    /// lone `?` on the next line. Authors type plain spaces. Other languages: unchanged.
    pub fn typeset(self, text: &str) -> String {
        if self != Lang::Fr || !text.contains(' ') {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        let mut prev = None;
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            let joined = match (c, next, prev) {
                (' ', Some(':'), _) => Some(NBSP),
                (' ', Some(';' | '?' | '!' | '»'), _) => Some(NNBSP),
                (' ', _, Some('«')) => Some(NNBSP),
                _ => None,
            };
            out.push(joined.unwrap_or(c));
            prev = Some(c);
        }
        out
    }

    /// True for English, the default (for `skip_serializing_if`).
    pub fn is_default(&self) -> bool {
        *self == Lang::En
    }

    /// `value` with `places` decimals: `3.25` in English, `3,25` in French.
    pub fn decimal(self, value: f64, places: usize) -> String {
        let text = format!("{value:.places$}");
        match self {
            Lang::En => text,
            Lang::Fr => text.replace('.', ","),
        }
    }

    /// A count as written in running text: as is in English; in French in groups of
    /// three digits from 10 000 up, separated by a narrow non-breaking space.
    pub fn integer(self, n: usize) -> String {
        let digits = n.to_string();
        if self == Lang::En || digits.len() < 5 {
            return digits;
        }
        let mut out = String::with_capacity(digits.len() + 8);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(NNBSP);
            }
            out.push(d);
        }
        out
    }

    /// `n` and the noun in the singular or the plural: English takes the singular for
    /// 1 only (`0 answers`, `1 answer`), French for 0 and 1 (`0 réponse`, `1 réponse`).
    pub fn count(self, n: usize, one: &str, many: &str) -> String {
        let singular = match self {
            Lang::En => n == 1,
            Lang::Fr => n <= 1,
        };
        format!("{} {}", self.integer(n), if singular { one } else { many })
    }

    /// A label followed by a colon: `Date:` in English, `Date :` (with a non-breaking
    /// space) in French.
    pub fn colon(self, label: &str) -> String {
        match self {
            Lang::En => format!("{label}:"),
            Lang::Fr => format!("{label}{NBSP}:"),
        }
    }

    /// A date `YYYY-MM-DD` as a reader reads it: as is in English, written out in
    /// French (`25 novembre 2026`, `1er décembre 2026`). Anything else is given back
    /// unchanged.
    pub fn date(self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let (Lang::Fr, [y, m, d]) = (self, parts.as_slice()) else { return iso.to_owned() };
        let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<usize>(), d.parse::<u32>()) else {
            return iso.to_owned();
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return iso.to_owned();
        }
        let day = if day == 1 { "1er".to_owned() } else { day.to_string() };
        format!("{day}{NBSP}{} {year}", MOIS[month - 1])
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Exactly `"en"` or `"fr"`, as scenario files and stored logs write it; any other word
/// is an error that says which are known.
impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Lang::ALL.into_iter().find(|l| l.code() == code).ok_or_else(|| {
            serde::de::Error::custom(format!("language must be \"en\" (English) or \"fr\" (French), not \"{code}\""))
        })
    }
}

/// A language code in a scenario file: `en` or `fr`.
impl schemars::JsonSchema for Lang {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Lang".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        schemars::json_schema!({ "description": "A language: en (English) or fr (French).", "enum": codes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_as_people_and_browsers_write_them() {
        for code in ["fr", "FR", "fr-FR", "fr_CA", " Fr ", "fr-"] {
            assert_eq!(Lang::parse(code), Some(Lang::Fr), "{code}");
        }
        for code in ["en", "EN", "en-GB", "en_US"] {
            assert_eq!(Lang::parse(code), Some(Lang::En), "{code}");
        }
        for code in ["", "de", "french", "f", "eng", "-fr"] {
            assert_eq!(Lang::parse(code), None, "{code}");
        }
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::default(), Lang::En);
    }

    #[test]
    fn the_stored_form_is_the_lowercase_code_and_nothing_else() {
        assert_eq!(serde_json::to_string(&Lang::Fr).unwrap(), "\"fr\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").unwrap(), Lang::En);
        let err = serde_json::from_str::<Lang>("\"fr-FR\"").unwrap_err().to_string();
        assert!(err.contains("language must be \"en\" (English) or \"fr\" (French), not \"fr-FR\""), "{err}");
    }

    #[test]
    fn french_numbers_have_a_decimal_comma_and_digit_groups_from_ten_thousand() {
        assert_eq!(Lang::En.decimal(3.254, 2), "3.25");
        assert_eq!(Lang::Fr.decimal(3.254, 2), "3,25");
        assert_eq!(Lang::Fr.decimal(4.0, 1), "4,0");
        assert_eq!(Lang::Fr.integer(9999), "9999");
        assert_eq!(Lang::Fr.integer(12_345), "12\u{202f}345");
        assert_eq!(Lang::Fr.integer(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(Lang::En.integer(1_234_567), "1234567", "English counts are unchanged");
    }

    #[test]
    fn french_takes_the_singular_for_zero_and_one() {
        assert_eq!(Lang::En.count(0, "answer", "answers"), "0 answers");
        assert_eq!(Lang::En.count(1, "answer", "answers"), "1 answer");
        assert_eq!(Lang::Fr.count(0, "réponse", "réponses"), "0 réponse");
        assert_eq!(Lang::Fr.count(1, "réponse", "réponses"), "1 réponse");
        assert_eq!(Lang::Fr.count(2, "stimulus", "stimuli"), "2 stimuli");
    }

    #[test]
    fn french_text_keeps_its_spaces_with_the_punctuation_and_english_is_unchanged() {
        let typed = "Qui décide ? Le DG : « vite » ; non !";
        let set = Lang::Fr.typeset(typed);
        assert_eq!(set, "Qui décide\u{202f}? Le DG\u{a0}: «\u{202f}vite\u{202f}»\u{202f}; non\u{202f}!");
        assert_eq!(Lang::Fr.typeset(&set), set, "typesetting twice changes nothing");
        assert_eq!(Lang::En.typeset(typed), typed);
        assert_eq!(Lang::Fr.typeset("http://x.org/a:b"), "http://x.org/a:b");
    }

    #[test]
    fn french_puts_a_non_breaking_space_before_the_colon() {
        assert_eq!(Lang::En.colon("Date"), "Date:");
        assert_eq!(Lang::Fr.colon("Date"), "Date\u{a0}:");
    }

    #[test]
    fn french_dates_are_written_out_and_anything_else_stays() {
        assert_eq!(Lang::En.date("2026-11-25"), "2026-11-25");
        assert_eq!(Lang::Fr.date("2026-11-25"), "25\u{a0}novembre 2026");
        assert_eq!(Lang::Fr.date("2026-12-01"), "1er\u{a0}décembre 2026");
        assert_eq!(Lang::Fr.date("2027-08-09"), "9\u{a0}août 2027");
        for odd in ["", "soon", "2026-13-01", "2026-1-5", "26-11-25", "2026-11-25T10:00"] {
            assert_eq!(Lang::Fr.date(odd), odd);
        }
    }
}
