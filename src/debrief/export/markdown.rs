//! Markdown export: the after-action report and improvement plan (AAR/IP) as one
//! document.
//!
//! Sections follow the HSEEP shape: overview, timeline (each inject with every target
//! group's answers in one table), analysis per objective, notes, self-assessment,
//! Appendix A (improvement plan), Appendix B (participants). Every piece of user text
//! goes through [`inline`], which keeps it on one source line and escapes what Markdown
//! or HTML would read as markup — so a `|` cannot break a table and `<script>` is
//! shown as text, never run.

use std::fmt::Write;

use crate::debrief::report::{GroupAnswers, InjectReport, NoteReport, Report};
use crate::exercise::evaluation::ItemStatus;

/// The report as Markdown.
pub fn render(r: &Report) -> String {
    let mut md = String::new();
    let o = &r.overview;
    let _ = writeln!(md, "# After-action report: {}\n", inline(&o.title));
    if !r.ended() {
        let _ = writeln!(
            md,
            "> **In progress** — the exercise has not ended; this report shows the log as of {} ({}).\n",
            human_utc(&o.as_of_utc),
            o.play_time
        );
    }
    overview(&mut md, r);
    timeline(&mut md, r);
    analysis(&mut md, r);
    self_assessment(&mut md, r);
    improvement_plan(&mut md, r);
    participants(&mut md, r);
    md
}

fn overview(md: &mut String, r: &Report) {
    let o = &r.overview;
    md.push_str("## Exercise overview\n\n| | |\n|---|---|\n");
    let status = if r.ended() {
        format!("Ended {}", o.ended_at_utc.as_deref().map(human_utc).unwrap_or_default())
    } else {
        "In progress".to_owned()
    };
    let rows = [
        ("Exercise", format!("{} ({})", inline(&o.title), o.exercise_id)),
        ("Scenario", inline(&o.scenario_id)),
        ("Date", format!("{} (UTC)", o.date)),
        ("Started", human_utc(&o.created_at_utc)),
        ("Status", status),
        ("Planned duration", format!("{} min", o.planned_duration_minutes)),
        ("Play time", o.play_time.clone()),
        ("Participants", o.participant_count.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {v} |");
    }
    if !o.summary.is_empty() {
        let _ = writeln!(md, "\n{}", inline(&o.summary));
    }
    md.push_str("\n### Objectives\n\n");
    for obj in &o.objectives {
        let _ = writeln!(md, "- **{}** — {}", inline(&obj.id), inline(&obj.text));
    }
    md.push_str("\n### Groups\n\n| Group | Participants |\n|---|---:|\n");
    for g in &o.groups {
        let _ = writeln!(md, "| {} | {} |", inline(&g.name), g.participants);
    }
    md.push('\n');
}

fn timeline(md: &mut String, r: &Report) {
    md.push_str("## Timeline\n\n");
    if r.injects.is_empty() {
        md.push_str("No inject has been released.\n\n");
    }
    for inject in &r.injects {
        inject_section(md, inject);
    }
    if !r.skipped.is_empty() {
        md.push_str("### Skipped injects\n\n");
        for s in &r.skipped {
            let _ = writeln!(md, "- Inject {} — {} (skipped at {})", s.number, inline(&s.title), s.play_time);
        }
        md.push('\n');
    }
}

fn inject_section(md: &mut String, i: &InjectReport) {
    let _ = writeln!(md, "### Inject {} — {}\n", i.number, inline(&i.title));
    let targets: Vec<String> = i.targets.iter().map(|g| inline(&g.name)).collect();
    let how = if i.manual { "released by hand" } else { "released by the clock" };
    let _ = writeln!(md, "*{} · {} · {how} · to {}*\n", i.play_time, human_utc(&i.released_at_utc), targets.join(", "));
    if let Some(from) = &i.from {
        let channel = i.channel.as_deref().map(|c| format!(" ({})", inline(c))).unwrap_or_default();
        let _ = writeln!(md, "From: {}{channel}\n", inline(from));
    }
    let _ = writeln!(md, "> {}\n", inline(&i.body));
    md.push_str("| Group | Participant | Play time | Answer |\n|---|---|---|---|\n");
    for g in &i.answers {
        answer_rows(md, g);
    }
    md.push('\n');
    notes_list(md, "Notes", &i.notes);
}

fn answer_rows(md: &mut String, g: &GroupAnswers) {
    if g.answers.is_empty() {
        let _ = writeln!(md, "| {} | — | — | *no answer* |", inline(&g.group_name));
    }
    for a in &g.answers {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            inline(&g.group_name),
            inline(&a.participant_name),
            a.play_time,
            inline(&a.text)
        );
    }
}

fn notes_list(md: &mut String, title: &str, notes: &[NoteReport]) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(md, "**{title}**\n");
    for n in notes {
        let mut about = Vec::new();
        if let (Some(num), Some(t)) = (n.inject_number, &n.inject_title) {
            about.push(format!("inject {num} {}", inline(t)));
        }
        if let Some(o) = &n.objective_id {
            about.push(format!("objective {}", inline(o)));
        }
        if let Some(g) = &n.group {
            about.push(inline(&g.name));
        }
        let about = if about.is_empty() { String::new() } else { format!(", on {}", about.join(", ")) };
        let _ = writeln!(
            md,
            "- **{}** ({}, {}{about}): {}",
            inline(&n.author),
            n.author_role,
            n.play_time,
            inline(&n.text)
        );
    }
    md.push('\n');
}

fn analysis(md: &mut String, r: &Report) {
    md.push_str("## Analysis of objectives\n\n");
    md.push_str("Ratings: **P** performed without challenges · **S** with some challenges · **M** with major challenges · **U** unable to be performed.\n\n");
    for a in &r.objectives {
        let _ = writeln!(md, "### {} — {}\n", inline(&a.objective_id), inline(&a.text));
        if !a.inject_numbers.is_empty() {
            let nums: Vec<String> = a.inject_numbers.iter().map(usize::to_string).collect();
            let _ = writeln!(md, "Injects: {}\n", nums.join(", "));
        }
        match &a.rating {
            Some(rt) => {
                let _ =
                    writeln!(md, "**Rating: {} — {}** (rated by {})\n", rt.letter, rt.meaning, inline(&rt.rated_by));
                let _ = writeln!(md, "**Strengths:** {}\n", or_dash(&rt.strengths));
                let _ = writeln!(md, "**Areas for improvement:** {}\n", or_dash(&rt.areas_for_improvement));
            }
            None => md.push_str("**Rating:** not rated yet.\n\n"),
        }
        notes_list(md, "Notes", &a.notes);
    }
    if !r.general_notes.is_empty() {
        md.push_str("## General notes\n\n");
        notes_list(md, "Notes", &r.general_notes);
    }
}

fn self_assessment(md: &mut String, r: &Report) {
    let Some(sa) = &r.self_assessment else { return };
    md.push_str("## Self-assessment\n\n");
    if sa.example {
        md.push_str(
            "*The statements are examples shipped with the scenario, not an agreed assessment instrument.*\n\n",
        );
    }
    if !sa.intro.is_empty() {
        let _ = writeln!(md, "{}\n", inline(&sa.intro));
    }
    let scale: Vec<String> = sa.scale.iter().map(|s| format!("{} {}", s.score, s.meaning)).collect();
    let _ = writeln!(md, "Scale: {}.\n", scale.join(" · "));
    for g in &sa.groups {
        let mean = g.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"));
        let _ = writeln!(md, "### {} (raters: {}, mean {mean})\n", inline(&g.group_name), g.raters);
        md.push_str("| Statement | Mean | Min | Max | Count | 1 | 2 | 3 | 4 | 5 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for s in &g.statements {
            let num = |v: Option<u8>| v.map_or_else(|| "—".to_owned(), |v| v.to_string());
            let mean = s.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"));
            let h = s.histogram.map(|n| n.to_string()).join(" | ");
            let _ =
                writeln!(md, "| {} | {mean} | {} | {} | {} | {h} |", inline(&s.text), num(s.min), num(s.max), s.count);
        }
        md.push('\n');
    }
}

fn improvement_plan(md: &mut String, r: &Report) {
    md.push_str("## Appendix A: Improvement plan\n\n");
    if r.improvement_plan.is_empty() {
        md.push_str("No improvement item yet.\n\n");
        return;
    }
    md.push_str(
        "| # | Issue | Corrective action | Domain | Capability element | Responsible organisation | Owner | Due |\n",
    );
    md.push_str("|---:|---|---|---|---|---|---|---|\n");
    for (n, item) in r.improvement_plan.iter().enumerate() {
        let issue = if item.status == ItemStatus::Proposed {
            format!("*(proposed)* {}", inline(&item.issue))
        } else {
            inline(&item.issue)
        };
        let _ = writeln!(
            md,
            "| {} | {issue} | {} | {} | {} | {} | {} | {} |",
            n + 1,
            inline(&item.corrective_action),
            inline(&item.group_name),
            item.capability.label(),
            inline(&item.responsible_org),
            inline(&item.owner),
            inline(&item.due)
        );
    }
    md.push('\n');
}

fn participants(md: &mut String, r: &Report) {
    md.push_str("## Appendix B: Participants\n\n");
    for g in &r.participants {
        let names: Vec<String> = g.names.iter().map(|n| inline(n)).collect();
        let names = if names.is_empty() { "—".to_owned() } else { names.join(", ") };
        let _ = writeln!(md, "- **{}** ({}): {names}", inline(&g.group_name), g.names.len());
    }
    if !r.observers.is_empty() {
        let names: Vec<String> = r.observers.iter().map(|n| inline(n)).collect();
        let _ = writeln!(md, "- **Observers** ({}): {}", names.len(), names.join(", "));
    }
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() { "—".to_owned() } else { inline(text) }
}

/// `2026-11-25T11:10:00.000Z` → `2026-11-25 11:10:00 UTC`.
pub fn human_utc(rfc3339: &str) -> String {
    match rfc3339.get(..19) {
        Some(s) => format!("{} UTC", s.replacen('T', " ", 1)),
        None => rfc3339.to_owned(),
    }
}

/// Escapes user text so it renders as the same text, on one line, anywhere in the
/// document (table cells included): `<`, `>` and a `&` that would start a character
/// reference become entities, Markdown's
/// punctuation (`\ ` * _ [ ] | ~ #`) is backslash-escaped, line breaks become `<br>`,
/// and a leading list, heading or indentation marker is neutralised.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    // Leading spaces would make indented code; `-`, `+`, `=` and `1.` would make lists
    // or headings.
    while chars.peek() == Some(&' ') {
        chars.next();
        out.push_str("&#32;");
    }
    if let Some(&c) = chars.peek() {
        if matches!(c, '-' | '+' | '=') {
            out.push('\\');
        }
    }
    let mut leading_digits = true;
    while let Some(c) = chars.next() {
        match c {
            '&' if starts_entity(chars.clone()) => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if leading_digits && !out.is_empty() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        leading_digits = leading_digits && c.is_ascii_digit();
    }
    out
}

/// Whether the text after a `&` reads as a character reference (`amp;`, `#39;`,
/// `#x27;`), which Markdown would decode: only then must the `&` be escaped.
fn starts_entity(rest: impl Iterator<Item = char>) -> bool {
    for (len, c) in rest.enumerate() {
        if c == ';' {
            return len > 0;
        }
        if !(c.is_ascii_alphanumeric() || (c == '#' && len == 0)) || len > 32 {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_keeps_tables_intact_and_markup_inert() {
        assert_eq!(inline("a | b"), "a \\| b");
        assert_eq!(inline("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(inline("one\r\ntwo\nthree\rfour"), "one<br>two<br>three<br>four");
        assert_eq!(inline("C:\\temp *bold* [link](x)"), "C:\\\\temp \\*bold\\* \\[link\\](x)");
        assert_eq!(inline("&lt; &#60; &#x3c;"), "&amp;lt; &amp;\\#60; &amp;\\#x3c;");
        assert_eq!(inline("Training & awareness; R&D"), "Training & awareness; R&D");
        assert_eq!(inline("Réponse : « arrêt »"), "Réponse : « arrêt »");
    }

    #[test]
    fn inline_neutralises_block_markers_at_the_start() {
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("# title"), "\\# title");
        assert_eq!(inline("12. twelve"), "12\\. twelve");
        assert_eq!(inline("    code"), "&#32;&#32;&#32;&#32;code");
        assert_eq!(inline("v1.2 ok"), "v1.2 ok");
        assert_eq!(inline("a-b"), "a-b");
    }

    #[test]
    fn utc_reads_as_date_and_time() {
        assert_eq!(human_utc("2026-11-25T11:10:00.000Z"), "2026-11-25 11:10:00 UTC");
    }
}
