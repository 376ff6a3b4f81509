//! Modules depend one way (docs/architecture.md, "Modules depend one way"): the stored
//! format (`events`) on nothing of the crate but ids and time; the languages (`lang`) on
//! nothing at all; authoring (`scenario`) on `events` and `lang`; the wire (`protocol`)
//! on `scenario`; the core (`exercise`) on all of them. No cycle between them, so the
//! log and the wire cannot silently borrow a type that changes for the core's reasons.
//!
//! Read from the sources: every `crate::<module>` and `super::…` path that leaves a
//! module's folder, outside comments.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Which top-level modules each of these may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("events", &["ids", "time"]),
    ("lang", &[]),
    ("spreadsheet", &[]),
    ("scenario", &["events", "ids", "time", "lang", "spreadsheet"]),
    ("protocol", &["scenario", "ids", "time", "lang"]),
    ("exercise", &["events", "scenario", "protocol", "ids", "time", "lang", "store", "charts"]),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The top-level modules a source file names as `crate::<module>`, comments left out.
fn uses(source: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                used.insert(name);
            }
        }
        // `use crate::{a, b}` style.
        if let Some(group) = code.split("crate::{").nth(1) {
            for part in group.split([',', '}']) {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        }
    }
    used
}

#[test]
fn the_stored_format_the_wire_and_authoring_import_nothing_above_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    for (module, allowed) in ALLOWED {
        let dir = src.join(module);
        let sources = if dir.is_dir() { files(&dir) } else { vec![src.join(format!("{module}.rs"))] };
        assert!(!sources.is_empty(), "no sources for {module}");
        for file in sources {
            let text = std::fs::read_to_string(&file).unwrap();
            // Unit tests may reach wider (they build whole exercises).
            let text = text.split("#[cfg(test)]").next().unwrap();
            for used in uses(text) {
                if used != *module && !allowed.contains(&used.as_str()) {
                    broken.push(format!("{} uses crate::{used}", file.strip_prefix(&src).unwrap().display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "imports against the module order:\n{}", broken.join("\n"));
}

#[test]
fn the_reader_of_imports_sees_both_spellings() {
    let found = uses("use crate::events::Event;\nuse crate::{ids::X, time};\n// crate::protocol in a comment\n");
    assert_eq!(found, BTreeSet::from(["events".to_owned(), "ids".to_owned(), "time".to_owned()]));
}
