//! Every text of a scenario, with its place in the document.
//!
//! [`walk`] visits each [`Text`] with its path (`injects[3].questions.risk[1]`), which
//! gives: the scenario in one language ([`Scenario::in_lang`]), the check that each
//! text is written in every declared language ([`missing_translations`]), and the
//! translations a stored snapshot keeps by path ([`translations`], [`apply_translations`]).

use std::collections::BTreeMap;

use super::locate::path_to_string;
use super::validate::{PathSeg, Problem};
use super::{Lang, Questions, Scenario, Text};

/// Calls `f` with every text of the scenario and its path in the document.
pub fn walk(s: &mut Scenario, f: &mut dyn FnMut(&[PathSeg], &mut Text)) {
    let mut path = Vec::new();
    let at = |path: &mut Vec<PathSeg>, segs: &[PathSeg], t: &mut Text, f: &mut dyn FnMut(&[PathSeg], &mut Text)| {
        let len = path.len();
        path.extend_from_slice(segs);
        f(path, t);
        path.truncate(len);
    };
    let k = |k: &str| PathSeg::Key(k.to_owned());
    let i = PathSeg::Index;

    at(&mut path, &[k("title")], &mut s.title, f);
    at(&mut path, &[k("summary")], &mut s.summary, f);
    for (n, rule) in s.ground_rules.iter_mut().enumerate() {
        at(&mut path, &[k("ground_rules"), i(n)], rule, f);
    }
    for (n, o) in s.objectives.iter_mut().enumerate() {
        at(&mut path, &[k("objectives"), i(n), k("text")], &mut o.text, f);
    }
    for (n, g) in s.groups.iter_mut().enumerate() {
        at(&mut path, &[k("groups"), i(n), k("name")], &mut g.name, f);
        at(&mut path, &[k("groups"), i(n), k("focus")], &mut g.focus, f);
    }
    for (n, x) in s.sectors.iter_mut().enumerate() {
        at(&mut path, &[k("sectors"), i(n), k("label")], &mut x.label, f);
    }
    for (n, inj) in s.injects.iter_mut().enumerate() {
        let base = [k("injects"), i(n)];
        let mut here = |segs: &[PathSeg], t: &mut Text, f: &mut dyn FnMut(&[PathSeg], &mut Text)| {
            let full: Vec<PathSeg> = base.iter().cloned().chain(segs.iter().cloned()).collect();
            at(&mut path, &full, t, f);
        };
        here(&[k("title")], &mut inj.title, f);
        here(&[k("body")], &mut inj.body, f);
        if let Some(t) = &mut inj.from {
            here(&[k("from")], t, f);
        }
        if let Some(t) = &mut inj.channel {
            here(&[k("channel")], t, f);
        }
        for (g, qs) in &mut inj.questions {
            match qs {
                Questions::One(q) => here(&[k("questions"), k(g)], q, f),
                Questions::Many(qs) => {
                    for (j, q) in qs.iter_mut().enumerate() {
                        here(&[k("questions"), k(g), i(j)], q, f);
                    }
                }
            }
        }
        if let super::ResponseKind::Choice { options, .. } = &mut inj.response {
            for (j, o) in options.iter_mut().enumerate() {
                here(&[k("response"), k("options"), i(j), k("label")], &mut o.label, f);
            }
        }
        for (j, a) in inj.expected_actions.iter_mut().enumerate() {
            here(&[k("expected_actions"), i(j)], a, f);
        }
        if let Some(t) = &mut inj.facilitator_notes {
            here(&[k("facilitator_notes")], t, f);
        }
        for (j, a) in inj.attachments.iter_mut().enumerate() {
            here(&[k("attachments"), i(j), k("title")], &mut a.title, f);
            for (key, t) in [("text", &mut a.text), ("caption", &mut a.caption), ("alt", &mut a.alt)] {
                if let Some(t) = t {
                    here(&[k("attachments"), i(j), k(key)], t, f);
                }
            }
        }
    }
    if let Some(plan) = &mut s.self_assessment {
        at(&mut path, &[k("self_assessment"), k("intro")], &mut plan.intro, f);
        for (n, l) in plan.levels.iter_mut().enumerate() {
            at(&mut path, &[k("self_assessment"), k("levels"), i(n)], l, f);
        }
        for (n, st) in plan.statements.iter_mut().enumerate() {
            at(&mut path, &[k("self_assessment"), k("statements"), i(n), k("text")], &mut st.text, f);
        }
    }
    at(&mut path, &[k("report"), k("organiser")], &mut s.report.organiser, f);
    at(&mut path, &[k("report"), k("venue")], &mut s.report.venue, f);
}

/// Makes the scenario's `language` the main language of every text, and sets its
/// French texts with French typography (authors type plain spaces before `?`).
pub fn settle(s: &mut Scenario) {
    let lang = s.language;
    walk(s, &mut |_, t| {
        t.settle(lang);
        t.typeset();
    });
}

/// One problem per text that lacks a declared language, and one at the first text
/// written in a language the scenario does not declare (it would never be shown).
pub fn missing_translations(s: &Scenario) -> Vec<Problem> {
    let langs = s.languages();
    let mut copy = s.clone();
    let mut problems = Vec::new();
    let mut undeclared_told = false;
    walk(&mut copy, &mut |path, t| {
        if let Some((extra, _)) = t.translations().find(|(l, _)| !langs.contains(l))
            && !std::mem::replace(&mut undeclared_told, true)
        {
            problems.push(Problem {
                path: path.to_vec(),
                message: format!(
                    "{} has a {extra} text, but {extra} is not among the scenario's languages: add languages = [{}]",
                    path_to_string(path),
                    langs.iter().chain([&extra]).map(|l| format!("\"{l}\"")).collect::<Vec<_>>().join(", ")
                ),
            });
        }
        let missing = t.missing(&langs);
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|l| l.code()).collect();
            problems.push(Problem {
                path: path.to_vec(),
                message: format!("{} has no {} text", path_to_string(path), names.join(" or ")),
            });
        }
    });
    problems
}

/// The texts in each language other than the main one, by path: what a stored
/// snapshot keeps beside its main texts.
pub fn translations(s: &Scenario) -> BTreeMap<Lang, BTreeMap<String, String>> {
    let mut copy = s.clone();
    let mut out: BTreeMap<Lang, BTreeMap<String, String>> = BTreeMap::new();
    walk(&mut copy, &mut |path, t| {
        for (lang, text) in t.translations() {
            out.entry(lang).or_default().insert(path_to_string(path), text.to_owned());
        }
    });
    out
}

/// Puts stored translations back on the texts they were taken from; paths that no
/// longer match a text are ignored.
pub fn apply_translations(s: &mut Scenario, translations: &BTreeMap<Lang, BTreeMap<String, String>>) {
    if translations.is_empty() {
        return;
    }
    walk(s, &mut |path, t| {
        let key = path_to_string(path);
        for (lang, texts) in translations {
            if let Some(text) = texts.get(&key) {
                t.set(*lang, text.clone());
            }
        }
    });
}

impl Scenario {
    /// The languages the scenario is written in, its main language first.
    pub fn languages(&self) -> Vec<Lang> {
        let mut langs = vec![self.language];
        langs.extend(self.languages.iter().copied().filter(|l| *l != self.language));
        langs
    }

    /// The language among the scenario's that a reader asking for `wanted` gets: that
    /// one if the scenario is written in it, else the scenario's main language.
    pub fn reading_lang(&self, wanted: Option<Lang>) -> Lang {
        wanted.filter(|l| self.languages().contains(l)).unwrap_or(self.language)
    }

    /// Whether the scenario is written in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages().len() > 1
    }

    /// The scenario as read in `lang`: every text in that language (the main text where
    /// a translation is missing), `language` set to it. Ids are unchanged.
    pub fn in_lang(&self, lang: Lang) -> Scenario {
        let mut copy = self.clone();
        walk(&mut copy, &mut |_, t| *t = t.localized(lang));
        copy.language = lang;
        copy.languages = Vec::new();
        copy
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{ScenarioFormat, parse_scenario};

    use super::*;

    const BILINGUAL: &str = r#"
id = "x"
title = { en = "Payday", fr = "Jour de paie" }
languages = ["en", "fr"]
duration_minutes = 5
ground_rules.en = ["No fault.", "Be brief."]
ground_rules.fr = ["Sans reproche.", "Soyez brefs."]
[[groups]]
id = "risk"
name.en = "Risk"
name.fr = "Risques"
[[injects]]
id = "a"
at = 0
title.en = "Alert"
title.fr = "Alerte"
body = { en = "Wallets drained.", fr = "Portefeuilles vidés." }
targets = "all"
questions.risk.en = ["Who decides?", "By when?"]
questions.risk.fr = ["Qui décide ?", "D'ici quand ?"]
response = { kind = "choice", options = [{ id = "ceo", label = { en = "The CEO", fr = "Le DG" } }, { en = "The board", fr = "Le conseil" }] }
"#;

    #[test]
    fn a_bilingual_scenario_reads_in_each_language_with_the_same_ids() {
        let s = parse_scenario(BILINGUAL, ScenarioFormat::Toml, "s.toml").unwrap();
        assert_eq!(s.languages(), [Lang::En, Lang::Fr]);
        assert_eq!(&*s.title, "Payday");
        let fr = s.in_lang(Lang::Fr);
        assert_eq!(&*fr.title, "Jour de paie");
        assert_eq!(fr.ground_rules.iter().map(|r| r.as_str()).collect::<Vec<_>>(), ["Sans reproche.", "Soyez brefs."]);
        assert_eq!(&*fr.groups[0].name, "Risques");
        // French texts keep their space with the `?` (a narrow no-break space).
        assert_eq!(fr.injects[0].questions_for("risk"), ["Qui décide\u{202f}?", "D'ici quand\u{202f}?"]);
        let ids: Vec<_> = fr.injects[0].response.options().iter().map(|o| (o.id.as_str(), o.label.as_str())).collect();
        assert_eq!(
            ids,
            [("ceo", "Le DG"), ("the-board", "Le conseil")],
            "ids come from the authored id or the English label"
        );
        assert_eq!(s.in_lang(Lang::En).injects[0].questions_for("risk"), ["Who decides?", "By when?"]);
        assert_eq!(fr.language, Lang::Fr);
    }

    #[test]
    fn a_text_missing_in_a_declared_language_is_located() {
        let source = BILINGUAL.replace(
            "body = { en = \"Wallets drained.\", fr = \"Portefeuilles vidés.\" }",
            "body = \"Wallets drained.\"",
        );
        let errs = parse_scenario(&source, ScenarioFormat::Toml, "s.toml").unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].to_string(), "s.toml:17:1: injects[0].body has no fr text");
        let source = BILINGUAL
            .replace("title = { en = \"Payday\", fr = \"Jour de paie\" }", "title = { fr = \"Jour de paie\" }");
        let errs = parse_scenario(&source, ScenarioFormat::Toml, "s.toml").unwrap_err();
        assert!(errs.iter().any(|e| e.message == "title has no en text"), "{errs:?}");
    }

    #[test]
    fn a_text_in_an_undeclared_language_says_how_to_declare_it() {
        let source = BILINGUAL.replace("languages = [\"en\", \"fr\"]\n", "");
        let errs = parse_scenario(&source, ScenarioFormat::Toml, "s.toml").unwrap_err();
        let told: Vec<String> = errs.iter().map(ToString::to_string).filter(|e| e.contains("not among")).collect();
        assert_eq!(
            told,
            [
                "s.toml:3:1: title has a fr text, but fr is not among the scenario's languages: add languages = [\"en\", \"fr\"]"
            ],
            "once, at the first text"
        );
    }

    #[test]
    fn translations_are_kept_by_path_and_put_back() {
        let s = parse_scenario(BILINGUAL, ScenarioFormat::Toml, "s.toml").unwrap();
        let stored = translations(&s);
        assert_eq!(stored[&Lang::Fr]["injects[0].questions.risk[1]"], "D'ici quand\u{202f}?");
        assert_eq!(stored[&Lang::Fr]["injects[0].response.options[1].label"], "Le conseil");
        let mut english_only = s.in_lang(Lang::En);
        english_only.languages = s.languages.clone();
        settle(&mut english_only);
        apply_translations(&mut english_only, &stored);
        assert_eq!(english_only, s);
    }
}
