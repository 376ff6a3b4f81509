//! The load scenario: six groups like the real DFS scenario and [`INJECTS`] contingency
//! injects aimed at every group, so the tool releases exactly one inject per fan-out
//! round by hand (nothing is released by the clock).

use std::path::Path;

use anyhow::{Context, Result};

/// The scenario id the tool creates exercises from.
pub const ID: &str = "load-test";
/// Contingency injects in the scenario: the most fan-out rounds one exercise can play.
pub const INJECTS: usize = 60;
/// File name written into the scenarios folder.
pub const FILE: &str = "load-test.toml";

/// The groups, as in `scenarios/dfs-salary-tide.toml`.
pub const GROUPS: [(&str, &str); 6] = [
    ("risk", "Risk management"),
    ("governance", "Governance"),
    ("testing", "Testing"),
    ("training", "Training & awareness"),
    ("protection", "Protection"),
    ("incident", "Incident response"),
];

/// The id of inject `n` (from 1).
pub fn inject_id(n: usize) -> String {
    format!("load-{n:03}")
}

/// The round (from 0) an inject id belongs to: `load-001` is round 0.
pub fn round_of(inject_id: &str) -> Option<usize> {
    inject_id.strip_prefix("load-")?.parse::<usize>().ok()?.checked_sub(1)
}

/// The scenario as TOML.
pub fn toml() -> String {
    let mut s = String::from(
        "# Written by tabletop-load: six groups and contingency injects for every group,\n\
         # released one per round by the load tool's facilitators.\n\
         id = \"load-test\"\n\
         title = \"Load test\"\n\
         summary = \"Synthetic scenario for tabletop-load: every inject goes to every group.\"\n\
         duration_minutes = 60\n\n\
         [[objectives]]\n\
         id = \"carry\"\n\
         text = \"Carry the room: every participant gets every inject once and every answer is kept.\"\n",
    );
    for (id, name) in GROUPS {
        s.push_str(&format!("\n[[groups]]\nid = \"{id}\"\nname = \"{name}\"\nfocus = \"Load group {id}\"\n"));
    }
    for n in 1..=INJECTS {
        s.push_str(&format!(
            "\n[[injects]]\n\
             id = \"{id}\"\n\
             title = \"Load inject {n}\"\n\
             from = \"tabletop-load\"\n\
             channel = \"email\"\n\
             targets = \"all\"\n\
             objectives = [\"carry\"]\n\
             body = \"Inject {n} of the load test. A customer reports an emptied wallet after a SIM swap; \
             more reports arrive every minute.\"\n\
             questions.all = \"What does your group do first, and who decides?\"\n\
             expected_actions = [\"Answer\"]\n",
            id = inject_id(n)
        ));
    }
    s
}

/// Writes the scenario into `dir` (created if needed).
pub fn write(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(FILE);
    std::fs::write(&path, toml()).with_context(|| format!("cannot write {}", path.display()))
}

/// The scenario parsed and validated by the server's own loader.
pub fn parsed() -> Result<tabletop::scenario::Scenario> {
    tabletop::scenario::parse_scenario(&toml(), tabletop::scenario::ScenarioFormat::Toml, FILE).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the load scenario does not validate:\n{}", lines.join("\n"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_scenario_validates_with_contingency_injects_for_all() {
        let s = parsed().unwrap();
        assert_eq!(s.id, ID);
        assert_eq!(s.groups.len(), 6);
        assert_eq!(s.injects.len(), INJECTS);
        assert!(s.injects.iter().all(|i| i.at.is_none()));
        assert_eq!(round_of(&inject_id(1)), Some(0));
        assert_eq!(round_of(&inject_id(60)), Some(59));
        assert_eq!(round_of("first-alert"), None);
    }
}
