//! Conditional injects: `when = …` on an inject releases it when groups do (or fail to
//! do) something, instead of (or besides) at a play time.
//!
//! ```toml
//! [[injects]]
//! id = "m2-central-bank-call"
//! targets = ["governance"]
//! when.no_answer = { group = "incident", inject = "m1-first-alert", within_minutes = 5 }
//! ```
//!
//! The kinds: [`Condition::NoAnswer`] (a group has not answered an inject within so
//! many play minutes of its release), [`Condition::Answered`], [`Condition::Chose`] (a
//! group picked an option of a poll), [`Condition::AllAnswered`] (every targeted group
//! with members answered), and `any = [...]` / `all = [...]` to combine them. The
//! inject then goes to its own `targets`, whoever triggered it. With `at` as well, the
//! condition is first checked at that play time (the inject never goes out before it).
//!
//! This module is the authoring model and its plain words ([`Condition::describe`]);
//! the exercise evaluates conditions (`exercise::conditions`), the validator checks
//! their references and cycles.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::validate::{PathSeg, Problem};
use super::{Scenario, minutes_to_ms};
use crate::lang::Lang;

/// What has to happen for a conditional inject to go out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// `group` has not answered `inject` within `within_minutes` play minutes of its
    /// release (checked at that deadline; never true if the inject is skipped).
    NoAnswer(NoAnswer),
    /// `group` has answered `inject`.
    Answered(GroupInject),
    /// `group` chose `option` (an option id) in the poll `inject`.
    Chose(Chose),
    /// Every group `inject` went to, that has members, has answered it.
    AllAnswered(InjectOnly),
    /// At least one of the conditions holds.
    Any(Vec<Condition>),
    /// Every one of the conditions holds.
    All(Vec<Condition>),
}

/// A group's silence on an inject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoAnswer {
    /// The group expected to answer.
    pub group: String,
    /// The inject it should answer.
    pub inject: String,
    /// Play minutes after the inject's release.
    pub within_minutes: f64,
}

/// A group and an inject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInject {
    /// The group.
    pub group: String,
    /// The inject.
    pub inject: String,
}

/// A group's choice in a poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chose {
    /// The group.
    pub group: String,
    /// The poll (an inject answered by a choice).
    pub inject: String,
    /// The option's id.
    pub option: String,
}

/// An inject alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InjectOnly {
    /// The inject.
    pub inject: String,
}

impl NoAnswer {
    /// The allowed silence in play milliseconds.
    pub fn within_ms(&self) -> u64 {
        minutes_to_ms(self.within_minutes)
    }
}

impl Condition {
    /// The injects this condition looks at, each once, in the order written.
    pub fn injects(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.visit(&mut |c| {
            let id = match c {
                Condition::NoAnswer(n) => Some(n.inject.as_str()),
                Condition::Answered(a) => Some(a.inject.as_str()),
                Condition::Chose(c) => Some(c.inject.as_str()),
                Condition::AllAnswered(a) => Some(a.inject.as_str()),
                Condition::Any(_) | Condition::All(_) => None,
            };
            if let Some(id) = id.filter(|id| !out.contains(id)) {
                out.push(id);
            }
        });
        out
    }

    /// Calls `f` on this condition and every condition inside it, depth first.
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Condition)) {
        f(self);
        if let Condition::Any(cs) | Condition::All(cs) = self {
            for c in cs {
                c.visit(f);
            }
        }
    }

    /// The condition in plain words, as the console, the guides and the report say
    /// it: "Incident response has not answered “First alert” within 5 min". Names come
    /// from `scenario` (read it in the reader's language), fixed words are in `lang`.
    pub fn describe(&self, scenario: &Scenario, lang: Lang) -> String {
        let mut words = self.words(scenario, lang, false);
        if let Some(first) = words.chars().next() {
            let upper: String = first.to_uppercase().collect();
            words.replace_range(..first.len_utf8(), &upper);
        }
        words
    }

    /// The condition in plain words as a clause, for "released because …": as
    /// [`Condition::describe`], without the capital (an acronym such as "CSIRT" keeps it).
    pub fn clause(&self, scenario: &Scenario, lang: Lang) -> String {
        let words = self.words(scenario, lang, false);
        let first_word = words.split(' ').next().unwrap_or("");
        if first_word.chars().skip(1).any(char::is_uppercase) {
            return words;
        }
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => words,
        }
    }

    fn words(&self, s: &Scenario, lang: Lang, nested: bool) -> String {
        let group = |id: &str| s.group(id).map_or_else(|| id.to_owned(), |g| g.name.to_string());
        let inject = |id: &str| quoted(lang, &s.inject(id).map_or_else(|| id.to_owned(), |(_, i)| i.title.to_string()));
        match (self, lang) {
            (Condition::NoAnswer(n), Lang::En) => format!(
                "{} has not answered {} within {} min",
                group(&n.group),
                inject(&n.inject),
                lang.decimal(n.within_minutes, 1).trim_end_matches(".0")
            ),
            (Condition::NoAnswer(n), Lang::Fr) => format!(
                "{} n’a pas répondu à {} dans les {}\u{a0}min",
                group(&n.group),
                inject(&n.inject),
                lang.decimal(n.within_minutes, 1).trim_end_matches(",0")
            ),
            (Condition::Answered(a), Lang::En) => format!("{} has answered {}", group(&a.group), inject(&a.inject)),
            (Condition::Answered(a), Lang::Fr) => format!("{} a répondu à {}", group(&a.group), inject(&a.inject)),
            (Condition::Chose(c), _) => {
                let option = s
                    .inject(&c.inject)
                    .and_then(|(_, i)| i.response.options().iter().find(|o| o.id == c.option))
                    .map_or_else(|| c.option.clone(), |o| o.label.to_string());
                match lang {
                    Lang::En => {
                        format!("{} chose {} in {}", group(&c.group), quoted(lang, &option), inject(&c.inject))
                    }
                    Lang::Fr => {
                        format!("{} a choisi {} à {}", group(&c.group), quoted(lang, &option), inject(&c.inject))
                    }
                }
            }
            (Condition::AllAnswered(a), Lang::En) => format!("every group sent {} has answered it", inject(&a.inject)),
            (Condition::AllAnswered(a), Lang::Fr) => {
                format!("tous les groupes destinataires de {} ont répondu", inject(&a.inject))
            }
            (Condition::Any(cs) | Condition::All(cs), _) => {
                let joint = match (self, lang) {
                    (Condition::Any(_), Lang::En) => " or ",
                    (Condition::Any(_), Lang::Fr) => " ou ",
                    (_, Lang::En) => " and ",
                    (_, Lang::Fr) => " et ",
                };
                let parts: Vec<String> = cs.iter().map(|c| c.words(s, lang, true)).collect();
                let joined = parts.join(joint);
                if nested && cs.len() > 1 { format!("({joined})") } else { joined }
            }
        }
    }
}

/// The problems of every inject's condition: unknown groups, injects and options, a
/// group the inject never reaches, a poll that is not one, a silence of no length,
/// an empty `any`/`all`, and injects whose conditions wait for each other.
pub(super) fn problems(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, inject) in s.injects.iter().enumerate() {
        if let Some(when) = &inject.when {
            let path = vec![PathSeg::Key("injects".into()), PathSeg::Index(i), PathSeg::Key("when".into())];
            check(s, &inject.id, when, path, &mut out);
        }
    }
    out.extend(cycles(s));
    out
}

fn check(s: &Scenario, owner: &str, c: &Condition, path: Vec<PathSeg>, out: &mut Vec<Problem>) {
    let at = |kind: &str, field: &str| {
        let mut p = path.clone();
        p.extend([PathSeg::Key(kind.into()), PathSeg::Key(field.into())]);
        p
    };
    let mut report = |path: Vec<PathSeg>, message: String| {
        out.push(Problem { path, message: format!("inject \"{owner}\": {message}") });
    };
    // The referenced inject, reported when unknown.
    let inject = |kind: &str, id: &str, report: &mut dyn FnMut(Vec<PathSeg>, String)| {
        let found = s.inject(id).map(|(_, i)| i);
        if found.is_none() {
            report(at(kind, "inject"), format!("its condition names unknown inject \"{id}\""));
        }
        found
    };
    let reaches =
        |kind: &str, group: &str, target: Option<&super::Inject>, report: &mut dyn FnMut(Vec<PathSeg>, String)| {
            if s.group(group).is_none() {
                report(at(kind, "group"), format!("its condition names unknown group \"{group}\""));
            } else if let Some(t) = target.filter(|t| !t.targets.includes(group)) {
                report(
                    at(kind, "group"),
                    format!("its condition waits for \"{group}\", but inject \"{}\" never reaches that group", t.id),
                );
            }
        };
    match c {
        Condition::NoAnswer(n) => {
            let target = inject("no_answer", &n.inject, &mut report);
            reaches("no_answer", &n.group, target, &mut report);
            if !n.within_minutes.is_finite() || n.within_minutes <= 0.0 {
                report(at("no_answer", "within_minutes"), "within_minutes must be more than 0".into());
            }
        }
        Condition::Answered(a) => {
            let target = inject("answered", &a.inject, &mut report);
            reaches("answered", &a.group, target, &mut report);
        }
        Condition::Chose(c) => {
            let target = inject("chose", &c.inject, &mut report);
            reaches("chose", &c.group, target, &mut report);
            if let Some(t) = target {
                let options = t.response.options();
                if options.is_empty() {
                    report(at("chose", "inject"), format!("\"{}\" is not a poll: nothing to choose", t.id));
                } else if !options.iter().any(|o| o.id == c.option) {
                    let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                    report(
                        at("chose", "option"),
                        format!("poll \"{}\" has no option \"{}\" (options: {})", t.id, c.option, ids.join(", ")),
                    );
                }
            }
        }
        Condition::AllAnswered(a) => {
            inject("all_answered", &a.inject, &mut report);
        }
        Condition::Any(cs) | Condition::All(cs) => {
            let kind = if matches!(c, Condition::Any(_)) { "any" } else { "all" };
            if cs.is_empty() {
                let mut p = path.clone();
                p.push(PathSeg::Key(kind.into()));
                report(p, format!("{kind} = [] lists no condition"));
            }
            for (k, sub) in cs.iter().enumerate() {
                let mut p = path.clone();
                p.extend([PathSeg::Key(kind.into()), PathSeg::Index(k)]);
                check(s, owner, sub, p, out);
            }
        }
    }
}

/// Conditional injects that wait, through their conditions, for themselves: none of
/// them can go out by its condition. Each cycle is reported once, at the `when` of its
/// first inject in file order.
fn cycles(s: &Scenario) -> Vec<Problem> {
    let waits_for = |i: usize| -> Vec<usize> {
        s.injects[i]
            .when
            .as_ref()
            .map_or_else(Vec::new, |w| w.injects().into_iter().filter_map(|id| s.inject(id).map(|(j, _)| j)).collect())
    };
    let mut out = Vec::new();
    let mut reported = vec![false; s.injects.len()];
    for start in 0..s.injects.len() {
        if reported[start] {
            continue;
        }
        // Depth-first from `start`, looking for a way back to it.
        let mut stack = vec![(start, vec![start])];
        let mut seen = vec![false; s.injects.len()];
        while let Some((at, trail)) = stack.pop() {
            for next in waits_for(at) {
                if next == start {
                    let mut names: Vec<&str> = trail.iter().map(|&k| s.injects[k].id.as_str()).collect();
                    names.push(&s.injects[start].id);
                    trail.iter().for_each(|&k| reported[k] = true);
                    out.push(Problem {
                        path: vec![PathSeg::Key("injects".into()), PathSeg::Index(start), PathSeg::Key("when".into())],
                        message: format!(
                            "conditions wait for each other ({}): none of these injects can go out by its condition",
                            names.join(" → ")
                        ),
                    });
                    stack.clear();
                    break;
                }
                if !seen[next] {
                    seen[next] = true;
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
    out
}

/// `text` in the language's quotation marks.
fn quoted(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => format!("“{text}”"),
        Lang::Fr => format!("«\u{202f}{text}\u{202f}»"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        toml::from_str(
            r#"
            id = "s"
            title = "S"
            duration_minutes = 30
            groups = [{ id = "incident", name = "Incident response" }, { id = "gov", name = "Governance" }]
            [[injects]]
            id = "alert"
            at = 0
            title = "First alert"
            body = "b"
            targets = "all"
            questions.all = "?"
            [[injects]]
            id = "ransom"
            at = 5
            title = "Ransom demand"
            body = "b"
            targets = ["gov"]
            questions.gov = "?"
            response = { kind = "choice", options = [{ id = "pay", label = "Pay" }, "Refuse"] }
            [[injects]]
            id = "call"
            title = "Central bank calls"
            body = "b"
            targets = ["gov"]
            questions.gov = "?"
            when.any = [
              { no_answer = { group = "incident", inject = "alert", within_minutes = 5 } },
              { all = [{ chose = { group = "gov", inject = "ransom", option = "pay" } }, { all_answered = { inject = "alert" } }] },
            ]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn conditions_read_from_toml_and_say_themselves_in_plain_words() {
        let s = scenario();
        let when = s.injects[2].when.as_ref().unwrap();
        assert_eq!(when.injects(), ["alert", "ransom"]);
        assert_eq!(
            when.describe(&s, Lang::En),
            "Incident response has not answered “First alert” within 5 min or (Governance chose “Pay” in \
             “Ransom demand” and every group sent “First alert” has answered it)"
        );
        assert!(when.clause(&s, Lang::En).starts_with("incident response has not answered"));
        let fr = when.describe(&s, Lang::Fr);
        assert!(
            fr.starts_with(
                "Incident response n’a pas répondu à «\u{202f}First alert\u{202f}» dans les 5\u{a0}min ou ("
            ),
            "{fr}"
        );
    }

    #[test]
    fn the_preview_lists_conditional_injects_apart_from_contingency_ones() {
        let p = super::super::preview::preview(&scenario());
        assert!(p.contingency.is_empty(), "{:?}", p.contingency);
        assert_eq!(p.conditional.len(), 1);
        assert_eq!(p.conditional[0].id, "call");
        assert!(p.conditional[0].when.starts_with("Incident response has not answered"));
        assert!(p.lanes.iter().all(|l| l.injects.iter().all(|i| i.id != "call")));
    }

    #[test]
    fn an_unknown_kind_or_field_is_refused() {
        let bad = |when: &str| toml::from_str::<Condition>(when).err().unwrap().to_string();
        assert!(bad("silent = { group = \"a\", inject = \"b\" }").contains("unknown variant"));
        assert!(bad("answered = { group = \"a\", inject = \"b\", minutes = 3 }").contains("unknown field"));
    }

    #[test]
    fn validate_names_each_bad_reference_at_its_line_and_column() {
        let source = r#"id = "s"
title = "S"
duration_minutes = 30
groups = [{ id = "incident", name = "Incident response" }, { id = "gov", name = "Governance" }]
[[injects]]
id = "alert"
at = 0
title = "First alert"
body = "b"
targets = ["incident"]
questions.all = "?"
[[injects]]
id = "ransom"
at = 5
title = "Ransom demand"
body = "b"
targets = ["gov"]
questions.gov = "?"
response = { kind = "choice", options = [{ id = "pay", label = "Pay" }, "Refuse"] }
[[injects]]
id = "call"
title = "Call"
body = "b"
targets = ["gov"]
questions.gov = "?"
when.any = [
  { no_answer = { group = "gov", inject = "alert", within_minutes = 0 } },
  { chose = { group = "gov", inject = "ransom", option = "negotiate" } },
  { answered = { group = "nobody", inject = "ghost" } },
  { chose = { group = "incident", inject = "alert", option = "x" } },
]
[[injects]]
id = "loop-a"
title = "A"
body = "b"
targets = ["gov"]
questions.gov = "?"
when.answered = { group = "gov", inject = "loop-b" }
[[injects]]
id = "loop-b"
title = "B"
body = "b"
targets = ["gov"]
questions.gov = "?"
when.all_answered = { inject = "loop-a" }
"#;
        let errors = super::super::parse_scenario(source, super::super::ScenarioFormat::Toml, "c.toml").unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let has = |needle: &str| assert!(shown.iter().any(|e| e.contains(needle)), "no {needle:?} in {shown:#?}");
        has("c.toml:27:19: inject \"call\": its condition waits for \"gov\", but inject \"alert\" never reaches");
        has("c.toml:27:52: inject \"call\": within_minutes must be more than 0");
        has("c.toml:28:49: inject \"call\": poll \"ransom\" has no option \"negotiate\" (options: pay, refuse)");
        has("c.toml:29:36: inject \"call\": its condition names unknown inject \"ghost\"");
        has("c.toml:29:18: inject \"call\": its condition names unknown group \"nobody\"");
        has("\"alert\" is not a poll");
        has("c.toml:38:1: conditions wait for each other (loop-a → loop-b → loop-a)");
        assert_eq!(shown.iter().filter(|e| e.contains("wait for each other")).count(), 1, "{shown:#?}");
    }

    #[test]
    fn an_inject_waiting_for_itself_is_a_cycle() {
        let mut s = scenario();
        s.injects[2].when = Some(Condition::Answered(GroupInject { group: "gov".into(), inject: "call".into() }));
        let p = problems(&s);
        assert!(p.iter().any(|p| p.message.contains("(call → call)")), "{p:?}");
        assert!(problems(&scenario()).is_empty(), "{:?}", problems(&scenario()));
    }
}
