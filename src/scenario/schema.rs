//! The scenario format's JSON Schema, derived from the model with `schemars`
//! (`tabletop schema`; shipped as `scenarios/scenario.schema.json`, which editors use to
//! complete keys and flag typos: docs/authoring.md, "Editor support").
//!
//! Texts, lists of texts, targets, questions and languages have hand-written schemas
//! (their serde forms are hand-written too); the rest follows the derives.

/// The JSON Schema of a scenario file, pretty-printed, ending with a newline.
pub fn json() -> String {
    let schema = schemars::schema_for!(super::Scenario);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::Value;

    use super::*;
    use crate::scenario::{ScenarioFormat, parse_scenario};

    const SHIPPED: [&str; 3] = ["dfs-salary-tide.toml", "dfs-salary-tide-extended.toml", "quick-demo.toml"];

    fn scenarios() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
    }

    #[test]
    fn the_shipped_schema_is_the_one_the_model_gives() {
        let shipped = std::fs::read_to_string(scenarios().join("scenario.schema.json")).unwrap_or_default();
        assert!(
            shipped == json(),
            "scenarios/scenario.schema.json is out of date with the scenario model; update it with:\n\n    cargo run -- schema > scenarios/scenario.schema.json\n"
        );
    }

    /// Checks `value` against `schema` for the keywords schemars writes ($ref, anyOf,
    /// oneOf, type, const, enum, properties, required, additionalProperties,
    /// minProperties, items); returns the first mismatch with its path.
    fn check(root: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
        let Some(schema) = schema.as_object() else { return Ok(()) }; // `true`
        if let Some(Value::String(r)) = schema.get("$ref") {
            let target = r.strip_prefix("#").and_then(|p| root.pointer(p)).ok_or(format!("no {r}"))?;
            check(root, target, value, path)?;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                let errs: Vec<String> = branches.iter().filter_map(|b| check(root, b, value, path).err()).collect();
                if errs.len() == branches.len() {
                    return Err(format!("{path}: no branch of {key} fits: {}", errs.join(" / ")));
                }
            }
        }
        if let Some(types) = schema.get("type") {
            let fits = |t: &Value| match t.as_str() {
                Some("string") => value.is_string(),
                Some("integer") => value.is_i64() || value.is_u64(),
                Some("number") => value.is_number(),
                Some("boolean") => value.is_boolean(),
                Some("array") => value.is_array(),
                Some("object") => value.is_object(),
                Some("null") => value.is_null(),
                _ => false,
            };
            let ok = match types {
                Value::Array(ts) => ts.iter().any(fits),
                t => fits(t),
            };
            if !ok {
                return Err(format!("{path}: {value} is not of type {types}"));
            }
        }
        if schema.get("const").is_some_and(|c| c != value) {
            return Err(format!("{path}: {value} is not {}", schema["const"]));
        }
        if let Some(Value::Array(options)) = schema.get("enum")
            && !options.contains(value)
        {
            return Err(format!("{path}: {value} is not one of {options:?}"));
        }
        if let (Some(Value::Object(map)), Some(props)) =
            (value.as_object().map(|m| Value::Object(m.clone())), schema.get("properties"))
        {
            for (k, v) in &map {
                match props.get(k) {
                    Some(p) => check(root, p, v, &format!("{path}.{k}"))?,
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        return Err(format!("{path}: unknown key {k}"));
                    }
                    None => {}
                }
            }
            for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                if !map.contains_key(r.as_str().unwrap_or_default()) {
                    return Err(format!("{path}: {r} is required"));
                }
            }
        }
        if let (Some(obj), Some(Value::Number(min))) = (value.as_object(), schema.get("minProperties"))
            && (obj.len() as u64) < min.as_u64().unwrap_or(0)
        {
            return Err(format!("{path}: fewer than {min} keys"));
        }
        if let (Some(items), Some(Value::Array(list))) = (schema.get("items"), Some(value))
            && !items.is_boolean()
        {
            for (i, v) in list.iter().enumerate() {
                check(root, items, v, &format!("{path}[{i}]"))?;
            }
        }
        Ok(())
    }

    fn schema() -> Value {
        serde_json::from_str(&json()).unwrap()
    }

    #[test]
    fn the_shipped_scenarios_fit_the_schema() {
        let schema = schema();
        for name in SHIPPED {
            let source = std::fs::read_to_string(scenarios().join(name)).unwrap();
            let value = serde_json::to_value(toml::from_str::<toml::Value>(&source).unwrap()).unwrap();
            check(&schema, &schema, &value, name).unwrap();
        }
    }

    #[test]
    fn the_schema_refuses_a_misspelt_key_and_a_bad_target() {
        let schema = schema();
        let source = std::fs::read_to_string(scenarios().join("quick-demo.toml")).unwrap();
        let mut value = serde_json::to_value(toml::from_str::<toml::Value>(&source).unwrap()).unwrap();
        value["injects"][0]["tagets"] = "all".into();
        let err = check(&schema, &schema, &value, "demo").unwrap_err();
        assert!(err.contains("unknown key tagets"), "{err}");
        value["injects"][0].as_object_mut().unwrap().remove("tagets");
        value["injects"][0]["targets"] = "everyone".into();
        assert!(check(&schema, &schema, &value, "demo").is_err());
        value["injects"][0]["targets"] = serde_json::json!(["risk"]);
        value["title"] = serde_json::json!({ "de": "Titel" });
        assert!(check(&schema, &schema, &value, "demo").is_err(), "a text's languages are en and fr");
    }

    #[test]
    fn the_attachment_content_is_not_in_the_schema_and_dollar_schema_is() {
        let schema = schema();
        let attachment = &schema["$defs"]["Attachment"]["properties"];
        assert!(attachment.get("file").is_some() && attachment.get("content").is_none(), "{attachment}");
        assert!(schema["properties"].get("$schema").is_some());
    }

    const MINIMAL: &str = "id = \"x\"\ntitle = \"T\"\nduration_minutes = 5\n[[groups]]\nid = \"g\"\nname = \"G\"\n";

    #[test]
    fn editors_schema_directives_are_accepted_and_ignored() {
        let plain = parse_scenario(MINIMAL, ScenarioFormat::Toml, "s.toml").unwrap();
        let toml = format!("#:schema ./scenario.schema.json\n{MINIMAL}");
        assert_eq!(parse_scenario(&toml, ScenarioFormat::Toml, "s.toml").unwrap(), plain);
        let json = r#"{ "$schema": "./scenario.schema.json", "id": "x", "title": "T", "duration_minutes": 5,
            "groups": [{ "id": "g", "name": "G" }] }"#;
        let read = parse_scenario(json, ScenarioFormat::Json, "s.json").unwrap();
        assert_eq!(read.schema.as_deref(), Some("./scenario.schema.json"));
        assert_eq!(crate::scenario::Scenario { schema: None, ..read.clone() }, plain);
        assert!(!serde_json::to_string(&read).unwrap().contains("$schema"), "never written");
        let typo = json.replace("$schema", "$schemas");
        assert!(parse_scenario(&typo, ScenarioFormat::Json, "s.json").is_err(), "other keys are still refused");
    }
}
