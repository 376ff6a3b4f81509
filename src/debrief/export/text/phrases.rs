//! The report's sentences with values in them: one method each, the languages side by
//! side, so word order, agreement and punctuation are each language's own.

use super::{DASH, Words, sentence_case, titled};
use crate::lang::{Lang, NBSP, NNBSP};

impl Words {
    /// `After-action report: <title>`.
    pub fn report_title(&self, title: &str) -> String {
        format!("{} {title}", self.colon(self.report))
    }

    /// What follows [`Words::in_progress`] at the top of a report made during play.
    pub fn in_progress_since(&self, as_of: &str, play_time: &str) -> String {
        match self.lang {
            Lang::En => format!("the exercise has not ended; this report shows the log as of {as_of} ({play_time})."),
            Lang::Fr => {
                format!("l'exercice n'est pas terminé{NNBSP}; ce rapport reflète le journal au {as_of} ({play_time}).")
            }
        }
    }

    /// The status of an exercise that has ended.
    pub fn ended(&self, at: &str) -> String {
        match self.lang {
            Lang::En => format!("Ended {at}"),
            Lang::Fr => format!("Terminé le {at}"),
        }
    }

    /// The exercise's date (`YYYY-MM-DD`, UTC).
    pub fn date_utc(&self, date: &str) -> String {
        format!("{} (UTC)", self.day(date))
    }

    /// A duration in minutes.
    pub fn minutes(&self, minutes: u32) -> String {
        match self.lang {
            Lang::En => format!("{minutes} min"),
            Lang::Fr => format!("{minutes}{NBSP}min"),
        }
    }

    /// An inject's heading: `Inject 3 — Title`, `Stimulus 3 — Title`.
    pub fn inject(&self, number: usize, title: &str) -> String {
        match self.lang {
            Lang::En => titled(&format!("Inject {number}"), title),
            Lang::Fr => titled(&format!("Stimulus {number}"), title),
        }
    }

    /// A skipped inject.
    pub fn skipped(&self, title: &str, play_time: &str) -> String {
        match self.lang {
            Lang::En => format!("{title} (skipped at {play_time})"),
            Lang::Fr => format!("{title} (écarté à {play_time})"),
        }
    }

    /// How an inject went out.
    pub fn released_by(&self, manual: bool) -> &'static str {
        match (self.lang, manual) {
            (Lang::En, true) => "released by hand",
            (Lang::En, false) => "released by the clock",
            (Lang::Fr, true) => "diffusé manuellement",
            (Lang::Fr, false) => "diffusé à l'heure prévue",
        }
    }

    /// How a conditional inject went out: because its `condition` (in plain words, as
    /// a clause) held, or by hand before it did.
    pub fn released_because(&self, manual: bool, condition: &str) -> String {
        match (self.lang, manual) {
            (Lang::En, false) => format!("released because {condition}"),
            (Lang::En, true) => format!("released by hand before its condition held ({condition})"),
            (Lang::Fr, false) => format!("diffusé car {condition}"),
            (Lang::Fr, true) => format!("diffusé manuellement avant que sa condition ne soit remplie ({condition})"),
        }
    }

    /// The line under an inject's heading: when, how, (from whom,) to whom.
    pub fn release(&self, play_time: &str, at: &str, how: &str, sender: Option<&str>, targets: &str) -> String {
        match self.lang {
            Lang::En => {
                let from = sender.map(|s| format!(" · from {s}")).unwrap_or_default();
                format!("{play_time} · {at} · {how}{from} · to {targets}")
            }
            Lang::Fr => {
                let from = sender.map(|s| format!(" · {} {s}", self.colon("émetteur"))).unwrap_or_default();
                format!("{play_time} · {at} · {how}{from} · {} {targets}", self.colon("destinataires"))
            }
        }
    }

    /// Who sent an inject, as a line of its own.
    pub fn sender_line(&self, sender: &str) -> String {
        match self.lang {
            Lang::En => format!("{} {sender}", self.colon(&sentence_case("from"))),
            Lang::Fr => format!("{} {sender}", self.colon("Émetteur")),
        }
    }

    /// The inject a note is about.
    pub fn about_inject(&self, number: Option<usize>, title: &str) -> String {
        let word = match self.lang {
            Lang::En => "inject",
            Lang::Fr => "le stimulus",
        };
        match number {
            Some(number) => format!("{word} {number} {title}"),
            None => format!("{word} {title}"),
        }
    }

    /// The objective a note bears on.
    pub fn about_objective(&self, id: &str) -> String {
        match self.lang {
            Lang::En => format!("objective {id}"),
            Lang::Fr => format!("l'objectif {id}"),
        }
    }

    /// What stands in brackets after a note's author: role (`facilitator` or
    /// `observer`, as the report stores it), play time and what it is about (inject,
    /// objective, group), if anything.
    pub fn note_context(&self, role: &str, play_time: &str, about: &[String]) -> String {
        let (role, on) = match (self.lang, role) {
            (Lang::En, role) => (role, "on"),
            (Lang::Fr, "facilitator") => ("animateur", "concernant"),
            (Lang::Fr, _) => ("observateur", "concernant"),
        };
        let about = if about.is_empty() { String::new() } else { format!(", {on} {}", about.join(", ")) };
        format!("{role}, {play_time}{about}")
    }

    /// A note: `<author> (<context>): <text>`, the pieces already marked up.
    pub fn note(&self, author: &str, context: &str, text: &str) -> String {
        format!("{} {text}", self.colon(&format!("{author} ({context})")))
    }

    /// The P/S/M/U legend, each letter through `key`.
    pub fn rating_legend(&self, key: impl Fn(&str) -> String) -> String {
        match self.lang {
            Lang::En => {
                let letters: Vec<String> =
                    self.rating_legend.iter().map(|(letter, meaning)| format!("{} {meaning}", key(letter))).collect();
                format!("Ratings: {}.", letters.join(" · "))
            }
            Lang::Fr => {
                let letters: Vec<String> = (self.rating_legend.iter())
                    .map(|(letter, meaning)| format!("{} {meaning}", self.colon(&key(letter))))
                    .collect();
                format!("Échelle de cotation — {}.", letters.join(" · "))
            }
        }
    }

    /// A rating: `P — Performed without challenges`.
    pub fn grade(&self, letter: &str, meaning: &str) -> String {
        titled(letter, meaning)
    }

    /// The injects that serve an objective.
    pub fn injects(&self, numbers: &[usize]) -> String {
        let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
        let label = match (self.lang, numbers.len()) {
            (Lang::En, _) => "Injects",
            (Lang::Fr, 1) => "Stimulus",
            (Lang::Fr, _) => "Stimuli",
        };
        format!("{} {}", self.colon(label), numbers.join(", "))
    }

    /// The key figures' first line.
    pub fn key_counts(
        &self,
        participants: usize,
        organisations: usize,
        released: usize,
        skipped: usize,
        answers: usize,
    ) -> String {
        match self.lang {
            Lang::En => {
                let skipped = if skipped > 0 { format!(" ({skipped} skipped)") } else { String::new() };
                format!(
                    "{} from {}; {} released{skipped}; {}.",
                    self.count(participants, "participant", "participants"),
                    self.count(organisations, "organisation", "organisations"),
                    self.count(released, "inject", "injects"),
                    self.count(answers, "answer", "answers"),
                )
            }
            Lang::Fr => {
                let skipped = match skipped {
                    0 => String::new(),
                    n => format!(" ({})", self.count(n, "écarté", "écartés")),
                };
                format!(
                    "{} de {}{NNBSP}; {}{skipped}{NNBSP}; {}.",
                    self.count(participants, "participant issu", "participants issus"),
                    self.count(organisations, "organisation", "organisations"),
                    self.count(released, "stimulus diffusé", "stimuli diffusés"),
                    self.count(answers, "réponse", "réponses"),
                )
            }
        }
    }

    /// A sector's share of the room.
    pub fn sector_count(&self, label: &str, participants: usize, organisations: usize) -> String {
        let participants = self.count(participants, "participant", "participants");
        let organisations = self.count(organisations, "organisation", "organisations");
        format!("{} {participants}, {organisations}", self.colon(label))
    }

    /// A group's median time to first answer.
    pub fn first_answer(&self, group: &str, median_ms: Option<u64>, answered: usize, sent: usize) -> String {
        let group = self.colon(group);
        match (self.lang, median_ms) {
            (Lang::En, Some(ms)) => {
                let s = ms / 1000;
                let sent = self.count(sent, "inject", "injects");
                format!("{group} {}:{:02} (answered {answered} of {sent})", s / 60, s % 60)
            }
            (Lang::En, None) if sent == 0 => format!("{group} no inject sent"),
            (Lang::En, None) => format!("{group} no answer (0 of {})", self.count(sent, "inject", "injects")),
            (Lang::Fr, Some(ms)) => {
                let s = ms / 1000;
                let answered = self.count(answered, "stimulus", "stimuli");
                format!("{group} {}{NBSP}min{NBSP}{}{NBSP}s (réponse à {answered} sur {sent})", s / 60, s % 60)
            }
            (Lang::Fr, None) if sent == 0 => format!("{group} aucun stimulus reçu"),
            (Lang::Fr, None) => format!("{group} aucune réponse (0 sur {})", self.count(sent, "stimulus", "stimuli")),
        }
    }

    /// An objective's consensus rating in the key figures.
    pub fn objective_rating(&self, id: &str, letter: Option<&str>, consensus: bool, evaluators: usize) -> String {
        let id = self.colon(id);
        let (evaluators, not_yet, semicolon) = match self.lang {
            Lang::En => (self.count(evaluators, "evaluator", "evaluators"), "no consensus yet", ";".to_owned()),
            Lang::Fr => {
                (self.count(evaluators, "évaluateur", "évaluateurs"), "pas encore de consensus", format!("{NNBSP};"))
            }
        };
        match letter {
            Some(letter) if consensus => format!("{id} {letter} ({}{semicolon} {evaluators})", self.consensus),
            Some(letter) => format!("{id} {letter} ({not_yet}{semicolon} {evaluators})"),
            None => format!("{id} {}", self.not_rated),
        }
    }

    /// A figure of the profile: the mean with its raters (`3.25 (n 4)`, `3,25 (n = 4)`),
    /// "fewer than 3" when withheld, a dash without raters.
    pub fn cell(&self, mean: Option<f64>, n: usize) -> String {
        match (mean, n, self.lang) {
            (Some(mean), n, Lang::En) => format!("{mean:.2} (n {n})"),
            (Some(mean), n, Lang::Fr) => format!("{} (n{NBSP}={NBSP}{})", self.lang.decimal(mean, 2), self.number(n)),
            (None, 0, _) => DASH.to_owned(),
            (None, _, _) => self.fewer_than_3.to_owned(),
        }
    }

    /// A domain's maturity in the key figures.
    pub fn domain_mean(&self, domain: &str, mean: Option<f64>, n: usize) -> String {
        let raters = match self.lang {
            Lang::En => "raters",
            Lang::Fr => "répondants",
        };
        match (mean, n) {
            (None, n) if n > 0 => format!("{} {} {raters}", self.colon(domain), self.fewer_than_3),
            (mean, n) => format!("{} {}", self.colon(domain), self.cell(mean, n)),
        }
    }

    /// An item to do first: the action, then its domain, organisation, priority
    /// (`priority`: its label in this language) and votes.
    pub fn top_item(&self, action: &str, domain: &str, org: &str, votes: usize, priority: Option<&str>) -> String {
        let mut facts = vec![domain.to_owned()];
        if !org.is_empty() {
            facts.push(org.to_owned());
        }
        if let Some(p) = priority {
            facts.push(match self.lang {
                Lang::En => format!("priority {}", p.to_lowercase()),
                Lang::Fr => format!("priorité {}", p.to_lowercase()),
            });
        }
        if votes > 0 {
            facts.push(self.count(votes, "vote", "votes"));
        }
        format!("{action} ({})", facts.join(", "))
    }

    /// A domain's items in the improvement plan, by their Appendix A numbers.
    pub fn plan_items(&self, numbers: &[usize]) -> String {
        match self.lang {
            Lang::En => {
                let numbers: Vec<String> = numbers.iter().map(|n| format!("#{n}")).collect();
                format!("Improvement plan (Appendix A): {}", numbers.join(", "))
            }
            Lang::Fr => {
                let numbers: Vec<String> = numbers.iter().map(|n| format!("n°{NBSP}{n}")).collect();
                format!("{} {}", self.colon("Plan d'amélioration (annexe A)"), numbers.join(", "))
            }
        }
    }

    /// How the adoption board went.
    pub fn adoption(&self, voters: usize, max_votes: usize) -> String {
        let votes = self.plan_columns[11];
        match (self.lang, voters) {
            (Lang::En, _) => format!(
                "Adoption board: {} chose up to {max_votes} priorities each; the {votes} column counts them.",
                self.count(voters, "participant", "participants")
            ),
            (Lang::Fr, 0) => format!(
                "{} aucun participant n'a choisi de priorité (jusqu'à {} chacun).",
                self.colon("Tableau d'adoption"),
                self.count(max_votes, "priorité", "priorités")
            ),
            (Lang::Fr, 1) => format!(
                "{} 1 participant a choisi jusqu'à {}{NNBSP}; la colonne {votes} les décompte.",
                self.colon("Tableau d'adoption"),
                self.count(max_votes, "priorité", "priorités")
            ),
            (Lang::Fr, n) => format!(
                "{} {} participants ont choisi chacun jusqu'à {}{NNBSP}; la colonne {votes} les décompte.",
                self.colon("Tableau d'adoption"),
                self.number(n),
                self.count(max_votes, "priorité", "priorités")
            ),
        }
    }

    /// Who rated an objective.
    pub fn rated_by(&self, name: &str) -> String {
        match self.lang {
            Lang::En => format!("rated by {name}"),
            Lang::Fr => format!("{} {name}", self.colon("évaluateur")),
        }
    }

    /// A group's answers to every inject it was sent, counted: `<group>: 2 on time, …`.
    pub fn response_counts(&self, group: &str, on_time: usize, late: usize, not_answered: usize) -> String {
        let sent = on_time + late + not_answered;
        match self.lang {
            Lang::En => format!(
                "{} {on_time} on time, {late} late, {not_answered} not answered (of {sent} sent)",
                self.colon(group)
            ),
            Lang::Fr => format!(
                "{} {} à temps, {} en retard, {} sans réponse (sur {})",
                self.colon(group),
                self.number(on_time),
                self.number(late),
                self.number(not_answered),
                self.count(sent, "envoyé", "envoyés")
            ),
        }
    }

    /// The self-assessment scale, its steps given as `<score> <meaning>`.
    pub fn scale(&self, steps: &[String]) -> String {
        let label = match self.lang {
            Lang::En => "Scale",
            Lang::Fr => "Échelle",
        };
        format!("{} {}.", self.colon(label), steps.join(" · "))
    }

    /// How many in a group rated and their mean.
    pub fn raters(&self, raters: usize, mean: Option<f64>) -> String {
        match self.lang {
            Lang::En => format!("(raters: {raters}, mean {})", self.mean_score(mean)),
            Lang::Fr => format!("(répondants{NBSP}: {}, moyenne {})", self.number(raters), self.mean_score(mean)),
        }
    }

    /// A mean score with two decimals, or [`DASH`].
    pub fn mean_score(&self, mean: Option<f64>) -> String {
        mean.map_or_else(|| DASH.to_owned(), |m| self.lang.decimal(m, 2))
    }

    /// A statement's mean, to a screen reader (HTML).
    pub fn mean_of(&self, mean: f64) -> String {
        match self.lang {
            Lang::En => format!("mean {mean:.2} of 5"),
            Lang::Fr => format!("moyenne {} sur 5", self.lang.decimal(mean, 2)),
        }
    }

    /// How many gave each score, to a screen reader (HTML).
    pub fn score_counts(&self, counts: &[usize; 5]) -> String {
        let counts = counts.map(|c| self.number(c)).join(", ");
        match self.lang {
            Lang::En => format!("scores 1 to 5: {counts}"),
            Lang::Fr => format!("{} {counts}", self.colon("notes de 1 à 5")),
        }
    }

    /// The line at the foot of the page (HTML).
    pub fn footer(&self, as_of_seq: u64, as_of: &str) -> String {
        match self.lang {
            Lang::En => format!("Made by tabletop from the exercise log: events 1–{as_of_seq}, last at {as_of}."),
            Lang::Fr => format!(
                "Produit par tabletop à partir du journal de l'exercice{NBSP}: événements 1 à {as_of_seq}, le dernier \
                 du {as_of}."
            ),
        }
    }

    /// The printed pages' number, as CSS `content`: `"Page " counter(page) " of " …`.
    pub fn page_numbers_css(&self) -> &'static str {
        match self.lang {
            Lang::En => "\"Page \" counter(page) \" of \" counter(pages)",
            Lang::Fr => "\"Page \" counter(page) \" sur \" counter(pages)",
        }
    }
}
