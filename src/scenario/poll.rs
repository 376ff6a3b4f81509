//! Polls: an inject whose answer is a choice among options (the ransom decision, "who
//! notifies first?", a 1–5 confidence rating), single or multiple, with an optional
//! "why" text beside it.
//!
//! Authors write an option as a label (`"Pay the ransom"`, its id derived: `pay-the-ransom`)
//! or as `{ id = "pay", label = "Pay the ransom" }` when other parts of the scenario
//! name it. Answers carry option ids; the tally counts them.

use serde::{Deserialize, Serialize};

use super::Text;

/// One option of a choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceOption {
    /// Stable id sent by `respond` and kept in the log (`[a-z0-9_-]`).
    pub id: String,
    /// What participants read.
    pub label: Text,
}

impl ChoiceOption {
    /// An option written as a label alone: its id is the label's slug, or `option-N`
    /// (1-based `position`) when the label has no Latin letter or digit.
    pub fn from_label(label: impl Into<Text>, position: usize) -> Self {
        let label = label.into();
        let mut id = String::new();
        for c in label.any_text().chars().flat_map(char::to_lowercase).map(unaccented) {
            if c.is_ascii_alphanumeric() {
                id.push(c);
            } else if !id.is_empty() && !id.ends_with('-') {
                id.push('-');
            }
        }
        let mut id = id.trim_end_matches('-').to_owned();
        id.truncate(40);
        let id = id.trim_end_matches('-').to_owned();
        let id = if id.is_empty() { format!("option-{position}") } else { id };
        ChoiceOption { id, label }
    }
}

/// A French or other Latin letter without its accent (`é` → `e`), so ids read like the label.
fn unaccented(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ÿ' => 'y',
        other => other,
    }
}

/// The options as authored: labels or `{ id, label }` tables, mixed freely.
pub fn options_from_authored<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ChoiceOption>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Authored {
        Label(Text),
        Full { id: String, label: Text },
    }
    let authored = Vec::<Authored>::deserialize(d)?;
    Ok(authored
        .into_iter()
        .enumerate()
        .map(|(i, a)| match a {
            Authored::Label(label) => ChoiceOption::from_label(label, i + 1),
            Authored::Full { id, label } => ChoiceOption { id, label },
        })
        .collect())
}

/// An option as authored, for the JSON Schema: a label, or `{ id, label }`.
pub struct AuthoredOption;

impl schemars::JsonSchema for AuthoredOption {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ChoiceOption".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let text = generator.subschema_for::<Text>();
        schemars::json_schema!({
            "description": "An option: its label (the id derived from it), or { id, label } when other parts of the scenario name it.",
            "anyOf": [
                text,
                {
                    "type": "object",
                    "properties": { "id": { "type": "string" }, "label": text },
                    "required": ["id", "label"],
                    "additionalProperties": false,
                },
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_give_slug_ids() {
        assert_eq!(ChoiceOption::from_label("Pay the ransom", 1).id, "pay-the-ransom");
        assert_eq!(ChoiceOption::from_label("  Do not pay!  ", 2).id, "do-not-pay");
        assert_eq!(ChoiceOption::from_label("Escalate — board & police", 3).id, "escalate-board-police");
        assert_eq!(ChoiceOption::from_label("5", 5).id, "5");
        assert_eq!(ChoiceOption::from_label("Élevé, à payer", 1).id, "eleve-a-payer");
        assert_eq!(ChoiceOption::from_label("—", 4).id, "option-4");
        let long = ChoiceOption::from_label("word ".repeat(30), 1).id;
        assert!(long.len() <= 40 && !long.ends_with('-'), "{long}");
    }
}
