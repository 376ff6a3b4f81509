//! Scenario text in one or several languages.
//!
//! Any text of a scenario (a title, an inject's body, a question, an option's label…)
//! may be written as a plain string, in the scenario's `language`, or as a table of
//! languages: `title = { en = "Payday", fr = "Jour de paie" }` (or the dotted keys
//! `title.en = "…"`, `title.fr = "…"`). Lists of texts (questions, expected actions,
//! ground rules, levels) may also be one list per language:
//! `questions.risk.en = ["…", "…"]`, `questions.risk.fr = ["…", "…"]`.
//!
//! A [`Text`] dereferences to its text in the scenario's language, so the code that
//! shows a scenario reads it as a `&str`. [`super::texts`] walks every text of a
//! scenario, which gives one language's copy of a scenario ([`super::Scenario::in_lang`]),
//! the check that every text exists in every declared language, and the stored
//! translations of a snapshot.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::lang::Lang;

/// A text in the scenario's language, with its translations.
#[derive(Debug, Clone, Eq, Default)]
pub struct Text {
    /// The text in the main language (empty until [`Text::settle`] for a table that is
    /// read before the scenario's language is known).
    main: String,
    /// The language of `main`, once settled; `None` for a plain string not yet settled.
    main_lang: Option<Lang>,
    /// The text in other languages (before settling: every entry of a table).
    other: BTreeMap<Lang, String>,
}

impl Text {
    /// A text in one language only (the scenario's).
    pub fn plain(text: impl Into<String>) -> Self {
        Text { main: text.into(), main_lang: None, other: BTreeMap::new() }
    }

    /// A text from a table of languages; [`Text::settle`] picks the main one.
    pub fn table(texts: impl IntoIterator<Item = (Lang, String)>) -> Self {
        Text { main: String::new(), main_lang: None, other: texts.into_iter().collect() }
    }

    /// Sets every French text of it with French typography ([`Lang::typeset`]).
    pub fn typeset(&mut self) {
        if self.main_lang == Some(Lang::Fr) {
            self.main = Lang::Fr.typeset(&self.main);
        }
        if let Some(fr) = self.other.get_mut(&Lang::Fr) {
            *fr = Lang::Fr.typeset(fr);
        }
    }

    /// Makes `lang` the main language: a table's entry in it becomes the text that
    /// `Deref` gives (the former main text becomes a translation). A table read without
    /// it keeps an empty main text (which [`Text::missing`] reports); a text settled
    /// before keeps its main text, now read as `lang`'s.
    pub fn settle(&mut self, lang: Lang) {
        if self.main_lang == Some(lang) {
            return;
        }
        if let Some(text) = self.other.remove(&lang) {
            let previous = std::mem::replace(&mut self.main, text);
            if let Some(previous_lang) = self.main_lang
                && !previous.is_empty()
            {
                self.other.insert(previous_lang, previous);
            }
        }
        self.main_lang = Some(lang);
    }

    /// The text in `lang`, falling back to the main language.
    pub fn get(&self, lang: Lang) -> &str {
        if self.main_lang == Some(lang) || self.main_lang.is_none() && self.other.is_empty() {
            return &self.main;
        }
        self.other.get(&lang).map_or(self.main.as_str(), String::as_str)
    }

    /// Whether the text is written in `lang` (a plain text, before settling, is written
    /// in whatever the main language is).
    pub fn has(&self, lang: Lang) -> bool {
        match self.main_lang {
            Some(main) if main == lang => !self.main.is_empty(),
            None if self.other.is_empty() => true,
            _ => self.other.contains_key(&lang),
        }
    }

    /// The languages of `langs` this text lacks; none for an empty text (an optional
    /// field left out needs no translation).
    pub fn missing(&self, langs: &[Lang]) -> Vec<Lang> {
        if self.main.is_empty() && self.other.is_empty() {
            return Vec::new();
        }
        langs.iter().copied().filter(|&l| !self.has(l)).collect()
    }

    /// The languages this text is written in besides the main one, with their text.
    pub fn translations(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.other.iter().map(|(l, t)| (*l, t.as_str()))
    }

    /// Adds or replaces the text in `lang` (a translation when `lang` is not the main one).
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        if self.main_lang == Some(lang) {
            self.main = text.into();
        } else {
            self.other.insert(lang, text.into());
        }
    }

    /// This text in `lang` alone (the main text where it has no translation).
    pub fn localized(&self, lang: Lang) -> Text {
        Text { main: self.get(lang).to_owned(), main_lang: Some(lang), other: BTreeMap::new() }
    }

    /// The main text, or before settling the first language's: what an id is derived from.
    pub fn any_text(&self) -> &str {
        if self.main.is_empty() { self.other.values().next().map_or("", String::as_str) } else { &self.main }
    }

    /// The text in the main language.
    pub fn as_str(&self) -> &str {
        &self.main
    }
}

/// Texts are equal when they read the same in every language: the main language only
/// matters once there are translations.
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.main == other.main
            && self.other == other.other
            && (self.other.is_empty() || self.main_lang == other.main_lang)
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.main
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.main)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::plain(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::plain(s)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.main
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.main == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.main == *other
    }
}

/// A plain text is written as a string; a text with translations as a table of
/// languages, main language first.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.other.is_empty() {
            return s.serialize_str(&self.main);
        }
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        if let Some(lang) = self.main_lang
            && !self.main.is_empty()
        {
            map.serialize_entry(lang.code(), &self.main)?;
        }
        for (lang, text) in &self.other {
            map.serialize_entry(lang.code(), text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, or a table of languages such as { en = \"…\", fr = \"…\" }")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::plain(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::plain(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut texts = BTreeMap::new();
        while let Some(code) = map.next_key::<String>()? {
            let lang = language_key::<A::Error>(&code)?;
            texts.insert(lang, map.next_value::<String>()?);
        }
        if texts.is_empty() {
            return Err(de::Error::custom("a table of languages needs at least one language, e.g. en = \"…\""));
        }
        Ok(Text::table(texts))
    }
}

fn language_key<E: de::Error>(code: &str) -> Result<Lang, E> {
    Lang::ALL.into_iter().find(|l| l.code() == code).ok_or_else(|| {
        E::custom(format!("\"{code}\" is not a language of scenario texts: use en (English) or fr (French)"))
    })
}

/// A list of texts as authored: a list (each entry a string or a table of languages),
/// or a table with one list per language, same length and order.
pub fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Text>, D::Error> {
    d.deserialize_any(TextListVisitor)
}

struct TextListVisitor;

impl<'de> Visitor<'de> for TextListVisitor {
    type Value = Vec<Text>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of texts, or one list per language such as { en = [\"…\"], fr = [\"…\"] }")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Text>, A::Error> {
        let mut out = Vec::new();
        while let Some(t) = seq.next_element::<Text>()? {
            out.push(t);
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Text>, A::Error> {
        let mut lists: Vec<(Lang, Vec<String>)> = Vec::new();
        while let Some(code) = map.next_key::<String>()? {
            let lang = language_key::<A::Error>(&code)?;
            lists.push((lang, map.next_value()?));
        }
        zip_lists(lists).map_err(de::Error::custom)
    }
}

/// One text per position from one list per language; the lists must have the same length.
pub fn zip_lists(lists: Vec<(Lang, Vec<String>)>) -> Result<Vec<Text>, String> {
    let Some((first_lang, first)) = lists.first() else {
        return Err("a table of languages needs at least one language, e.g. en = [\"…\"]".into());
    };
    for (lang, list) in &lists[1..] {
        if list.len() != first.len() {
            return Err(format!(
                "the {lang} list has {} entries and the {first_lang} list {}: each entry needs its translation, in the same order",
                list.len(),
                first.len()
            ));
        }
    }
    Ok((0..first.len()).map(|i| Text::table(lists.iter().map(|(lang, list)| (*lang, list[i].clone())))).collect())
}

/// The JSON Schema of a text: a string, or an object of languages with at least one.
impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A text: a string in the scenario's language, or an object of languages such as { \"en\": \"…\", \"fr\": \"…\" }.",
            "anyOf": [
                { "type": "string" },
                per_language(serde_json::json!({ "type": "string" })),
            ]
        })
    }
}

/// A list of texts as authored (see [`text_list`]), for the JSON Schema.
pub struct TextList;

impl schemars::JsonSchema for TextList {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TextList".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let text = generator.subschema_for::<Text>();
        schemars::json_schema!({
            "description": "A list of texts, or one list per language such as { \"en\": [\"…\"], \"fr\": [\"…\"] }, same length and order.",
            "anyOf": [
                { "type": "array", "items": text },
                per_language(serde_json::json!({ "type": "array", "items": { "type": "string" } })),
            ]
        })
    }
}

/// An object with one optional property per language, each matching `value`, at least
/// one of them, and no other property.
pub fn per_language(value: serde_json::Value) -> serde_json::Value {
    let properties: serde_json::Map<String, serde_json::Value> =
        Lang::ALL.iter().map(|l| (l.code().to_owned(), value.clone())).collect();
    serde_json::json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "minProperties": 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize, Debug)]
    struct Doc {
        title: Text,
        #[serde(default, deserialize_with = "text_list")]
        rules: Vec<Text>,
    }

    #[test]
    fn a_string_is_the_main_text_and_a_table_settles_on_the_scenario_language() {
        let doc: Doc = toml::from_str("title = \"Payday\"").unwrap();
        assert_eq!(&*doc.title, "Payday");
        assert_eq!(doc.title.get(Lang::Fr), "Payday", "a plain text is the same in every language");
        assert!(doc.title.has(Lang::Fr));

        let mut doc: Doc = toml::from_str("title.en = \"Payday\"\ntitle.fr = \"Jour de paie\"").unwrap();
        doc.title.settle(Lang::Fr);
        assert_eq!(&*doc.title, "Jour de paie");
        assert_eq!(doc.title.get(Lang::En), "Payday");
        doc.title.settle(Lang::En);
        assert_eq!(&*doc.title, "Payday");
        assert_eq!(doc.title.get(Lang::Fr), "Jour de paie");
        assert_eq!(
            doc.title.localized(Lang::Fr),
            Text { main: "Jour de paie".into(), main_lang: Some(Lang::Fr), other: BTreeMap::new() }
        );
    }

    #[test]
    fn settling_again_swaps_the_main_text_or_keeps_it_when_the_language_has_none() {
        let mut t = Text::table([(Lang::En, "Payday".to_owned()), (Lang::Fr, "Jour de paie".to_owned())]);
        t.settle(Lang::En);
        t.settle(Lang::Fr);
        assert_eq!((&*t, t.get(Lang::En)), ("Jour de paie", "Payday"));
        let mut plain = Text::plain("Payday");
        plain.settle(Lang::En);
        plain.settle(Lang::Fr);
        assert_eq!(&*plain, "Payday", "a text with no French keeps its words");
    }

    #[test]
    fn a_settled_plain_text_lacks_the_other_declared_languages() {
        let mut t = Text::plain("Payday");
        t.settle(Lang::En);
        assert_eq!(t.missing(&[Lang::En, Lang::Fr]), [Lang::Fr]);
        let mut table = Text::table([(Lang::Fr, "Jour de paie".to_owned())]);
        table.settle(Lang::En);
        assert_eq!(table.missing(&[Lang::En, Lang::Fr]), [Lang::En]);
        assert_eq!(Text::default().missing(&[Lang::En, Lang::Fr]), Vec::<Lang>::new());
    }

    #[test]
    fn unknown_languages_and_uneven_lists_are_errors() {
        let err = toml::from_str::<Doc>("title = { en = \"A\", de = \"B\" }").unwrap_err();
        assert!(err.message().contains("\"de\" is not a language"), "{err}");
        let err = toml::from_str::<Doc>("title = \"A\"\nrules.en = [\"a\", \"b\"]\nrules.fr = [\"a\"]").unwrap_err();
        assert!(err.message().contains("the fr list has 1 entries and the en list 2"), "{err}");
    }

    #[test]
    fn lists_per_language_zip_into_texts_and_write_back_as_tables() {
        let mut doc: Doc =
            toml::from_str("title = \"T\"\nrules.en = [\"One\", \"Two\"]\nrules.fr = [\"Un\", \"Deux\"]").unwrap();
        for r in &mut doc.rules {
            r.settle(Lang::En);
        }
        assert_eq!(doc.rules.iter().map(|r| r.get(Lang::Fr)).collect::<Vec<_>>(), ["Un", "Deux"]);
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(json, r#"{"title":"T","rules":[{"en":"One","fr":"Un"},{"en":"Two","fr":"Deux"}]}"#);
        let again: Doc = serde_json::from_str(&json).unwrap();
        assert_eq!(again.rules[1].get(Lang::Fr), "Deux");
    }
}
