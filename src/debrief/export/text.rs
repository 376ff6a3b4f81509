//! The words of the after-action report: every section title, column header, label
//! and fixed sentence a reader sees in the Markdown and HTML exports, in one place.
//!
//! Constants hold the words; the functions put values into fixed phrases. Nothing here
//! knows about markup: values come in already escaped for the format at hand, and the
//! formats add their own emphasis around what they are given.

/// What the document is; its title is this, a colon and the exercise's title.
pub const REPORT: &str = "After-action report";
/// The kicker above the title (HTML).
pub const REPORT_AND_PLAN: &str = "After-action report and improvement plan";
/// The status of an exercise that has not ended.
pub const IN_PROGRESS: &str = "In progress";
/// Stands for an empty value.
pub const DASH: &str = "—";

/// Section: the overview.
pub const OVERVIEW: &str = "Exercise overview";
/// Section: the injects with their answers.
pub const TIMELINE: &str = "Timeline";
/// Section: ratings and notes per objective.
pub const ANALYSIS: &str = "Analysis of objectives";
/// Notes tied to no inject and no objective.
pub const GENERAL_NOTES: &str = "General notes";
/// Section: the self-assessment.
pub const SELF_ASSESSMENT: &str = "Self-assessment";
/// Appendix A.
pub const IMPROVEMENT_PLAN: &str = "Appendix A: Improvement plan";
/// Appendix B.
pub const PARTICIPANTS_APPENDIX: &str = "Appendix B: Participants";

/// Overview fact.
pub const EXERCISE: &str = "Exercise";
/// Overview fact.
pub const SCENARIO: &str = "Scenario";
/// Overview fact.
pub const DATE: &str = "Date";
/// Overview fact.
pub const STARTED: &str = "Started";
/// Heading of the questions an inject asked.
pub const QUESTIONS_ASKED: &str = "Questions asked";
/// Who the questions for every target group were for.
pub const ALL_TARGET_GROUPS: &str = "Every group";
/// Heading of an inject's expected actions.
pub const EXPECTED_ACTIONS: &str = "Expected actions";
/// The start fact before the clock started.
pub const NOT_STARTED: &str = "not started yet";
/// Overview fact.
pub const STATUS: &str = "Status";
/// Overview fact.
pub const PLANNED_DURATION: &str = "Planned duration";
/// Overview fact and column header.
pub const PLAY_TIME: &str = "Play time";
/// Overview fact and column header.
pub const PARTICIPANTS: &str = "Participants";
/// Heading of the scenario's objectives.
pub const OBJECTIVES: &str = "Objectives";
/// Heading of the scenario's groups.
pub const GROUPS: &str = "Groups";

/// Column header.
pub const GROUP: &str = "Group";
/// Column header.
pub const PARTICIPANT: &str = "Participant";
/// Column header.
pub const ANSWER: &str = "Answer";
/// In place of a group's answers when it gave none.
pub const NO_ANSWER: &str = "no answer";
/// The timeline when no inject went out.
pub const NO_INJECT: &str = "No inject has been released.";
/// Heading of the skipped injects.
pub const SKIPPED_INJECTS: &str = "Skipped injects";
/// Who sent an inject (mid-sentence; see [`sender_line`]).
pub const FROM: &str = "from";
/// Heading of a list of notes.
pub const NOTES: &str = "Notes";

/// The P/S/M/U legend: each letter and what it means.
pub const RATING_LEGEND: [(&str, &str); 4] = [
    ("P", "performed without challenges"),
    ("S", "with some challenges"),
    ("M", "with major challenges"),
    ("U", "unable to be performed"),
];
/// Label of an objective's rating.
pub const RATING: &str = "Rating";
/// An objective without a rating (mid-sentence; [`sentence_case`] at the start).
pub const NOT_RATED: &str = "not rated yet";
/// Label of a rating's strengths.
pub const STRENGTHS: &str = "Strengths";
/// Label of a rating's areas for improvement.
pub const AREAS_FOR_IMPROVEMENT: &str = "Areas for improvement";

/// Said of example self-assessment statements.
pub const EXAMPLE_STATEMENTS: &str =
    "The statements are examples shipped with the scenario, not an agreed assessment instrument.";
/// Column header.
pub const STATEMENT: &str = "Statement";
/// Column header.
pub const MEAN: &str = "Mean";
/// Column header (Markdown).
pub const MIN: &str = "Min";
/// Column header (Markdown).
pub const MAX: &str = "Max";
/// Column header.
pub const COUNT: &str = "Count";
/// Column header of the mean's bar (HTML).
pub const MEAN_OF_5: &str = "Mean of 5";
/// Column header (HTML).
pub const MIN_MAX: &str = "Min–max";
/// Column header of the scores' chart (HTML).
pub const SCORES: &str = "Scores 1–5";
/// The bar of a statement nobody scored, to a screen reader (HTML).
pub const NO_SCORE: &str = "no score";

/// Title of the executive summary.
pub const EXECUTIVE_SUMMARY: &str = "Executive summary";
/// The executive summary before the facilitator wrote one.
pub const NO_SUMMARY_TEXT: &str = "The facilitator has not written the summary yet.";
/// Heading of the key figures.
pub const KEY_FIGURES: &str = "Key figures";
/// Heading of the median time to first answer.
pub const FIRST_ANSWER: &str = "Median time to first answer";
/// Heading of the items to do first.
pub const TOP_ITEMS: &str = "Improvement items to do first";
/// Heading of the objectives' consensus ratings.
pub const OBJECTIVE_RATINGS: &str = "Objective ratings";
/// Heading of the room's maturity.
pub const ROOM_MATURITY: &str = "Maturity of the room (mean 1–5)";
/// Title of the per-domain section.
pub const DOMAINS: &str = "Strengths and areas for improvement by domain";
/// Heading of a domain's other notes.
pub const OBSERVATIONS: &str = "Observations";
/// A domain without notes or items.
pub const NOTHING_NOTED: &str = "Nothing was noted for this domain.";
/// Heading of every evaluator's rating of an objective.
pub const EVALUATOR_RATINGS: &str = "Every evaluator's rating";
/// The objective has evaluators' ratings but no consensus yet.
pub const NO_CONSENSUS: &str =
    "Not a consensus yet: the latest evaluator's rating. The facilitator rates the objective to give the consensus.";
/// Marks the consensus rating.
pub const CONSENSUS: &str = "consensus";
/// Column headers of the evaluators' ratings.
pub const EVALUATOR_COLUMNS: [&str; 4] = ["Evaluator", "Rating", "Strengths", "Areas for improvement"];

/// The improvement plan when it has no item.
pub const NO_PLAN_ITEM: &str = "No improvement item yet.";
/// Column headers of the improvement plan.
pub const PLAN_COLUMNS: [&str; 12] = [
    "#",
    "Issue",
    "Corrective action",
    "Domain",
    "Capability element",
    "Responsible organisation",
    "Owner",
    "Start date",
    "Completion date",
    "Priority",
    "Status",
    "Votes",
];
/// Flags an item a group proposed and nobody accepted yet.
pub const PROPOSED: &str = "(proposed)";
/// The row of the observers in Appendix B.
pub const OBSERVERS: &str = "Observers";
/// Column header.
pub const NAMES: &str = "Names";
/// Heading of the maturity profile.
pub const MATURITY_PROFILE: &str = "Maturity profile";
/// Title of the sectors × domains chart.
pub const BY_SECTOR: &str = "Maturity by sector";
/// A cell withheld under the small-cell rule.
pub const FEWER_THAN_3: &str = "fewer than 3";
/// Says why some cells have no figure.
pub const SMALL_CELLS: &str =
    "Figures from fewer than 3 raters are not shown, so no organisation's answers can be read off.";
/// Column header of the profile table's rows.
pub const WHO: &str = "Who";
/// Column header.
pub const RATERS: &str = "Raters";
/// Heading of who was in the room (sectors and organisations).
pub const WHO_WAS_THERE: &str = "Who was in the room";
/// Column header.
pub const SECTOR: &str = "Sector";
/// Column header.
pub const ORGANISATION: &str = "Organisation";
/// Column header.
pub const ORGANISATIONS: &str = "Organisations";
/// Says why Appendix B has no names (attribution by group).
pub const COUNTED_NOT_NAMED: &str =
    "Answers are attributed to groups, not to people: participants are counted here, not named.";

/// `After-action report: <title>`.
pub fn report_title(title: &str) -> String {
    format!("{REPORT}: {title}")
}

/// What follows [`IN_PROGRESS`] at the top of a report made during play.
pub fn in_progress(as_of: &str, play_time: &str) -> String {
    format!("the exercise has not ended; this report shows the log as of {as_of} ({play_time}).")
}

/// The status of an exercise that has ended.
pub fn ended(at: &str) -> String {
    format!("Ended {at}")
}

/// The exercise's date.
pub fn date(date: &str) -> String {
    format!("{date} (UTC)")
}

/// A duration in minutes.
pub fn minutes(minutes: u32) -> String {
    format!("{minutes} min")
}

/// A name and what it stands for: `respond — Respond: …`.
pub fn titled(name: &str, text: &str) -> String {
    format!("{name} — {text}")
}

/// An inject's heading.
pub fn inject(number: usize, title: &str) -> String {
    titled(&format!("Inject {number}"), title)
}

/// A skipped inject.
pub fn skipped(title: &str, play_time: &str) -> String {
    format!("{title} (skipped at {play_time})")
}

/// How an inject went out.
pub fn released_by(manual: bool) -> &'static str {
    if manual { "released by hand" } else { "released by the clock" }
}

/// The line under an inject's heading: when, how, (from whom,) to whom.
pub fn release(play_time: &str, at: &str, how: &str, sender: Option<&str>, targets: &str) -> String {
    let from = sender.map(|s| format!(" · {FROM} {s}")).unwrap_or_default();
    format!("{play_time} · {at} · {how}{from} · to {targets}")
}

/// Who sent an inject, as a line of its own.
pub fn sender_line(sender: &str) -> String {
    format!("{}: {sender}", sentence_case(FROM))
}

/// The inject a note is about.
pub fn about_inject(number: Option<usize>, title: &str) -> String {
    match number {
        Some(number) => format!("inject {number} {title}"),
        None => format!("inject {title}"),
    }
}

/// The objective a note bears on.
pub fn about_objective(id: &str) -> String {
    format!("objective {id}")
}

/// What stands in brackets after a note's author: role, play time and what it is
/// about (inject, objective, group), if anything.
pub fn note_context(role: &str, play_time: &str, about: &[String]) -> String {
    let about = if about.is_empty() { String::new() } else { format!(", on {}", about.join(", ")) };
    format!("{role}, {play_time}{about}")
}

/// The P/S/M/U legend, each letter through `key`.
pub fn rating_legend(key: impl Fn(&str) -> String) -> String {
    let letters: Vec<String> =
        RATING_LEGEND.iter().map(|(letter, meaning)| format!("{} {meaning}", key(letter))).collect();
    format!("Ratings: {}.", letters.join(" · "))
}

/// The injects that serve an objective.
pub fn injects(numbers: &[usize]) -> String {
    let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
    format!("Injects: {}", numbers.join(", "))
}

/// The key figures' first line.
pub fn key_counts(
    participants: usize,
    organisations: usize,
    released: usize,
    skipped: usize,
    answers: usize,
) -> String {
    let skipped = if skipped > 0 { format!(" ({skipped} skipped)") } else { String::new() };
    format!(
        "{} from {}; {} released{skipped}; {}.",
        count(participants, "participant", "participants"),
        count(organisations, "organisation", "organisations"),
        count(released, "inject", "injects"),
        count(answers, "answer", "answers"),
    )
}

/// A sector's share of the room.
pub fn sector_count(label: &str, participants: usize, organisations: usize) -> String {
    format!(
        "{label}: {}, {}",
        count(participants, "participant", "participants"),
        count(organisations, "organisation", "organisations")
    )
}

/// A group's median time to first answer.
pub fn first_answer(group: &str, median_ms: Option<u64>, answered: usize, sent: usize) -> String {
    match median_ms {
        Some(ms) => {
            let s = ms / 1000;
            format!("{group}: {}:{:02} (answered {answered} of {})", s / 60, s % 60, count(sent, "inject", "injects"))
        }
        None if sent == 0 => format!("{group}: no inject sent"),
        None => format!("{group}: no answer (0 of {})", count(sent, "inject", "injects")),
    }
}

/// An objective's consensus rating in the key figures.
pub fn objective_rating(id: &str, letter: Option<&str>, consensus: bool, evaluators: usize) -> String {
    let evaluators = count(evaluators, "evaluator", "evaluators");
    match letter {
        Some(letter) if consensus => format!("{id}: {letter} (consensus; {evaluators})"),
        Some(letter) => format!("{id}: {letter} (no consensus yet; {evaluators})"),
        None => format!("{id}: {NOT_RATED}"),
    }
}

/// A domain's maturity in the key figures.
pub fn domain_mean(domain: &str, mean: Option<f64>, n: usize) -> String {
    match (mean, n) {
        (Some(mean), n) => format!("{domain}: {mean:.2} (n {n})"),
        (None, 0) => format!("{domain}: {DASH}"),
        (None, _) => format!("{domain}: {FEWER_THAN_3} raters"),
    }
}

/// An item to do first.
pub fn top_item(action: &str, domain: &str, org: &str, votes: usize, priority: Option<&str>) -> String {
    let mut facts = vec![domain.to_owned()];
    if !org.is_empty() {
        facts.push(org.to_owned());
    }
    if let Some(p) = priority {
        facts.push(format!("priority {}", p.to_lowercase()));
    }
    if votes > 0 {
        facts.push(count(votes, "vote", "votes"));
    }
    format!("{action} ({})", facts.join(", "))
}

/// `1 vote`, `2 votes`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A domain's items in the improvement plan, by their Appendix A numbers.
pub fn plan_items(numbers: &[usize]) -> String {
    let numbers: Vec<String> = numbers.iter().map(|n| format!("#{n}")).collect();
    format!("Improvement plan (Appendix A): {}", numbers.join(", "))
}

/// How the adoption board went.
pub fn adoption(voters: usize, max_votes: usize) -> String {
    format!(
        "Adoption board: {} chose up to {max_votes} priorities each; the Votes column counts them.",
        count(voters, "participant", "participants")
    )
}

/// Who rated an objective.
pub fn rated_by(name: &str) -> String {
    format!("rated by {name}")
}

/// The self-assessment scale, its steps given as `<score> <meaning>`.
pub fn scale(steps: &[String]) -> String {
    format!("Scale: {}.", steps.join(" · "))
}

/// How many in a group rated and their mean.
pub fn raters(raters: usize, mean: Option<f64>) -> String {
    format!("(raters: {raters}, mean {})", self::mean(mean))
}

/// A mean score, or [`DASH`].
pub fn mean(mean: Option<f64>) -> String {
    mean.map_or_else(|| DASH.to_owned(), |m| format!("{m:.2}"))
}

/// A statement's mean, to a screen reader (HTML).
pub fn mean_of_5(mean: f64) -> String {
    format!("mean {mean:.2} of 5")
}

/// How many gave each score, to a screen reader (HTML).
pub fn score_counts(counts: &[usize; 5]) -> String {
    format!("scores 1 to 5: {}", counts.map(|c| c.to_string()).join(", "))
}

/// The line at the foot of the page (HTML).
pub fn footer(as_of_seq: u64, as_of: &str) -> String {
    format!("Made by tabletop from the exercise log: events 1–{as_of_seq}, last at {as_of}.")
}

/// The text with its first letter in upper case, for words kept here in lower case
/// that also start a sentence.
pub fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `2026-11-25T11:10:00.000Z` → `2026-11-25 11:10:00 UTC`.
pub fn human_utc(rfc3339: &str) -> String {
    match rfc3339.get(..19) {
        Some(s) => format!("{} UTC", s.replacen('T', " ", 1)),
        None => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_reads_as_date_and_time() {
        assert_eq!(human_utc("2026-11-25T11:10:00.000Z"), "2026-11-25 11:10:00 UTC");
    }

    #[test]
    fn phrases_read_as_sentences() {
        assert_eq!(sentence_case(FROM), "From");
        assert_eq!(sentence_case(""), "");
        assert_eq!(skipped("Partner", "T+02:01"), "Partner (skipped at T+02:01)");
        assert_eq!(about_inject(None, "Partner"), "inject Partner");
        assert_eq!(
            release("T+00:00", "now", "released by hand", Some("Ops"), "A, B"),
            "T+00:00 · now · released by hand · from Ops · to A, B"
        );
        assert_eq!(note_context("observer", "T+01:00", &[]), "observer, T+01:00");
        assert_eq!(mean(None), DASH);
    }
}
