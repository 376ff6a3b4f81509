//! The words of the after-action report, per language: every section title, column
//! header, label and fixed sentence a reader sees in the Markdown and HTML exports
//! (and the plan's CSV header), in one table per language.
//!
//! - [`Words`]: the table's shape. Its single words and sentences are fields, listed
//!   once in the `words!` invocation below, so [`Words::labels`] walks them all.
//! - `en` and `fr`: the two tables, [`EN`] and [`FR`].
//! - `phrases`: the sentences with values in them, as methods on [`Words`] that match
//!   on the language, both languages side by side (plural rules, word order,
//!   punctuation).
//!
//! The words the report's data carries itself (what a P/S/M/U letter means, the
//! capability elements, priorities and statuses, "All participants", the
//! non-attribution statement, the responses chart's legend) live with their types, each
//! with an `_in(lang)` variant; numbers, dates and the French colon are [`Lang`]'s.
//!
//! Nothing here knows about markup: values come in already escaped for the format at
//! hand, and the formats add their own emphasis around what they are given.

mod en;
mod fr;
mod phrases;

pub use en::EN;
pub use fr::FR;

use crate::lang::Lang;

/// Stands for an empty value, in every language.
pub const DASH: &str = "—";

/// Defines [`Words`] from its single words and sentences, and [`Words::labels`] over
/// the same list, so no field can be left out of the walk.
macro_rules! words {
    ($( $(#[$doc:meta])* $name:ident, )*) => {
        /// The report's fixed words in one language: [`EN`] or [`FR`], chosen with
        /// [`Words::of`].
        #[derive(Debug)]
        pub struct Words {
            /// The language of these words.
            pub lang: Lang,
            $( $(#[$doc])* pub $name: &'static str, )*
            /// The P/S/M/U legend: each letter and what it means (the letters stay).
            pub rating_legend: [(&'static str, &'static str); 4],
            /// Column headers of every evaluator's rating of an objective.
            pub evaluator_columns: [&'static str; 4],
            /// Column headers of the improvement plan (Appendix A).
            pub plan_columns: [&'static str; 12],
            /// The header row of the improvement plan alone as CSV: English keeps the
            /// field names (`issue`, `corrective_action`: what scripts read); French
            /// has the IP's column names, as a spreadsheet reader reads them.
            pub plan_csv_header: [&'static str; 16],
        }

        impl Words {
            /// Every heading, label and fixed sentence of the report with its name: the
            /// single fields, the legend's meanings and the tables' column headers
            /// (not the CSV header, whose English names are field names).
            pub fn labels(&self) -> Vec<(&'static str, &'static str)> {
                let mut all = vec![$( (stringify!($name), self.$name), )*];
                all.extend(self.rating_legend.iter().map(|(_, meaning)| ("rating_legend", *meaning)));
                all.extend(self.evaluator_columns.iter().map(|c| ("evaluator_columns", *c)));
                all.extend(self.plan_columns.iter().map(|c| ("plan_columns", *c)));
                all
            }
        }
    };
}

words! {
    /// What the document is; its title is this, a colon and the exercise's title.
    report,
    /// The kicker above the title (HTML).
    report_and_plan,
    /// The status of an exercise that has not ended.
    in_progress,

    /// Section: the facilitator's summary and the key figures.
    executive_summary,
    /// Section: the overview.
    overview,
    /// Section: the injects with their answers.
    timeline,
    /// Section: ratings and notes per objective.
    analysis,
    /// Notes tied to no inject and no objective.
    general_notes,
    /// Section: the self-assessment.
    self_assessment,
    /// Section: strengths and areas for improvement per domain.
    domains,
    /// Appendix A.
    improvement_plan,
    /// Appendix B.
    participants_appendix,

    /// Overview fact.
    exercise,
    /// Overview fact.
    scenario,
    /// Overview and cover fact.
    date,
    /// Overview fact: when the clock started.
    started,
    /// The start fact before the clock started.
    not_started,
    /// Overview fact.
    status,
    /// Overview fact.
    planned_duration,
    /// Overview fact and column header.
    play_time,
    /// Overview fact and column header.
    participants,
    /// Heading of the scenario's objectives.
    objectives,
    /// Heading of the scenario's groups.
    groups,

    /// Column header.
    group,
    /// Column header.
    participant,
    /// Column header.
    answer,
    /// Heading of the questions an inject asked.
    questions_asked,
    /// Who the questions for every target group were for.
    all_target_groups,
    /// Heading of an inject's expected actions.
    expected_actions,
    /// Label of an inject's handouts (images, voice notes, documents).
    handouts,
    /// In place of a group's answers when it gave none.
    no_answer,
    /// The timeline when no inject went out.
    no_inject,
    /// Heading of the skipped injects.
    skipped_injects,
    /// Heading of a list of notes.
    notes,
    /// Heading of the responses grid.
    responses,
    /// Marks an answer given after the inject's answer window closed.
    late,
    /// Marks a member's contribution (group answer mode), not the group's answer.
    contribution,
    /// Heading of a poll's results under its inject.
    poll_results,

    /// Label of an objective's rating.
    rating,
    /// An objective without a rating, on its own (mid-sentence; sentence case at the
    /// start).
    not_rated,
    /// What follows the rating's label when there is none.
    no_rating,
    /// Label of a rating's strengths.
    strengths,
    /// Label of a rating's areas for improvement.
    areas_for_improvement,
    /// Heading of every evaluator's rating of an objective.
    evaluator_ratings,
    /// The objective has evaluators' ratings but no consensus yet.
    no_consensus,
    /// Marks the consensus rating.
    consensus,

    /// Said of example self-assessment statements.
    example_statements,
    /// Column header.
    statement,
    /// Column header.
    mean,
    /// Column header (Markdown).
    min,
    /// Column header (Markdown).
    max,
    /// Column header.
    count,
    /// Column header of the mean's bar (HTML).
    mean_of_5,
    /// Column header (HTML).
    min_max,
    /// Column header of the scores' chart (HTML).
    scores,
    /// The bar of a statement nobody scored, to a screen reader (HTML).
    no_score,
    /// Heading of the maturity profile, and the radar's title.
    maturity_profile,
    /// Title of the sectors × domains chart.
    by_sector,
    /// A cell withheld under the small-cell rule.
    fewer_than_3,
    /// Says why some cells have no figure.
    small_cells,
    /// Column header of the profile table's rows.
    who,
    /// Column header.
    raters,

    /// The executive summary before the facilitator wrote one.
    no_summary_text,
    /// Heading of the key figures.
    key_figures,
    /// Heading of the median time to first answer.
    first_answer,
    /// Heading of the items to do first.
    top_items,
    /// Heading of the objectives' consensus ratings.
    objective_ratings,
    /// Heading of the room's maturity.
    room_maturity,
    /// Heading of a domain's other notes.
    observations,
    /// A domain without notes or items.
    nothing_noted,

    /// The improvement plan when it has no item.
    no_plan_item,
    /// Flags an item a group proposed and nobody accepted yet.
    proposed,
    /// The row of the observers in Appendix B.
    observers,
    /// Column header.
    names,
    /// Heading of who was in the room (sectors and organisations).
    who_was_there,
    /// Column header.
    sector,
    /// Column header.
    organisation,
    /// Column header.
    organisations,
    /// Says why Appendix B has no names (attribution by group).
    counted_not_named,

    /// Cover label of the handling marking (before a colon).
    marking,
    /// Cover fact.
    organiser,
    /// Cover fact.
    venue,
}

impl Words {
    /// The table of `lang`.
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    /// A label and its colon, as the language writes it (`Rating:`, `Cotation :`).
    pub fn colon(&self, label: &str) -> String {
        self.lang.colon(label)
    }

    /// A count as the language writes it (French groups digits from 10 000).
    pub fn number(&self, n: usize) -> String {
        self.lang.integer(n)
    }

    /// `n` and a noun, singular or plural by the language's rule.
    pub fn count(&self, n: usize, one: &str, many: &str) -> String {
        self.lang.count(n, one, many)
    }

    /// A date `YYYY-MM-DD` as the language writes it (French: `25 novembre 2026`);
    /// anything else as given.
    pub fn day(&self, iso: &str) -> String {
        self.lang.date(iso)
    }

    /// `2026-11-25T11:10:00.000Z` → `2026-11-25 11:10:00 UTC`, or in French
    /// `25 novembre 2026 à 11:10:00 UTC`.
    pub fn human_utc(&self, rfc3339: &str) -> String {
        match (rfc3339.get(..10), rfc3339.get(11..19)) {
            (Some(date), Some(time)) => match self.lang {
                Lang::En => format!("{date} {time} UTC"),
                Lang::Fr => format!("{} à {time} UTC", self.day(date)),
            },
            _ => rfc3339.to_owned(),
        }
    }
}

/// A name and what it stands for: `respond — Respond: …`.
pub fn titled(name: &str, text: &str) -> String {
    format!("{name} — {text}")
}

/// The text with its first letter in upper case, for words kept in lower case that
/// also start a sentence.
pub fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
