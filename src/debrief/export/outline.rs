//! The outline of the after-action report: the one walk through a [`Report`] that the
//! Markdown and HTML exports share.
//!
//! [`render`] holds the order of the sections and every decision about what is shown
//! (which parts are left out when empty, what stands in for a missing answer or
//! rating, what a note is about); the words come from the format's [`Words`]
//! ([`Markup::words`], the report's language). A format implements
//! [`Markup`]: how user text is escaped, a few inline marks, and how each kind of
//! block is written. User text reaches a format only through [`Markup::text`].

use super::markup::{
    AnswerRow, CoverPage, Inject, Markup, Para, ProfileLine, ProfileTable, Rating, ResponsesFigure, Section, Table,
};
use super::text::{DASH, Words, titled};
use crate::charts::{self, HeatRow, Series, TextSize};
use crate::debrief::report::{
    Answer, Attribution, InjectReport, NoteReport, PollReport, ProfileReport, ProfileRowReport, Report,
    responses_definition,
};
use crate::exercise::evaluation::ItemStatus;
use crate::lang::Lang;

/// Writes the whole report through `m`.
pub(super) fn render(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    let o = &r.overview;
    let as_of = w.human_utc(&o.as_of_utc);
    let in_progress = (!r.ended()).then(|| w.in_progress_since(&as_of, &o.play_time));
    let title = m.text(&o.title);
    m.start(&title, in_progress.as_deref());
    cover(m, r);
    executive_summary(m, r);
    overview(m, r);
    timeline(m, r);
    analysis(m, r);
    self_assessment(m, r);
    domains(m, r);
    improvement_plan(m, r);
    participants(m, r);
    m.finish(&w.footer(o.as_of_seq, &as_of));
}

/// The facilitator's text, then the key figures, each group of figures as a list.
fn executive_summary(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    let e = &r.executive_summary;
    let k = &e.key_figures;
    m.section(Section::ExecutiveSummary);
    if e.text.trim().is_empty() {
        m.paragraph(Para::Empty, w.no_summary_text);
    }
    for para in e.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let para = m.prose(&m.text(para));
        m.paragraph(Para::Prose, &para);
    }
    m.heading(w.key_figures);
    let counts = w.key_counts(k.participants, k.organisations, k.injects_released, k.injects_skipped, k.answers);
    m.paragraph(Para::Meta, &counts);
    let sectors: Vec<String> =
        k.sectors.iter().map(|s| w.sector_count(&m.text(&s.label), s.participants, s.organisations)).collect();
    if !sectors.is_empty() {
        m.list(&sectors);
    }
    if k.first_answer.iter().any(|g| g.sent > 0) {
        m.heading(w.first_answer);
        let lines: Vec<String> = (k.first_answer.iter().filter(|g| g.sent > 0))
            .map(|g| w.first_answer(&m.text(&g.group_name), g.median_ms, g.answered, g.sent))
            .collect();
        m.list(&lines);
    }
    if !k.objective_ratings.is_empty() {
        m.heading(w.objective_ratings);
        let lines: Vec<String> = (k.objective_ratings.iter())
            .map(|o| w.objective_rating(&m.text(&o.objective_id), o.rating, o.consensus, o.evaluators))
            .collect();
        m.list(&lines);
    }
    if !k.maturity.is_empty() {
        m.heading(w.room_maturity);
        let lines: Vec<String> = k.maturity.iter().map(|d| w.domain_mean(&m.text(&d.domain), d.mean, d.n)).collect();
        m.list(&lines);
    }
    if !k.top_items.is_empty() {
        m.heading(w.top_items);
        let lines: Vec<String> = (k.top_items.iter())
            .map(|i| {
                let priority = i.priority.map(|p| p.label_in(w.lang));
                w.top_item(
                    &m.text(&i.corrective_action),
                    &m.text(&i.domain),
                    &m.text(&i.responsible_org),
                    i.votes,
                    priority,
                )
            })
            .collect();
        m.list(&lines);
    }
    m.end_section();
}

/// Per domain: maturity, strengths, areas for improvement, observations, plan items.
fn domains(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    m.section(Section::Domains);
    let plan_number = |id: &str| r.improvement_plan.iter().position(|i| i.item_id == id).map(|n| n + 1);
    for d in &r.domains {
        m.heading(&m.text(&d.group_name));
        if let Some(mt) = &d.maturity {
            m.paragraph(Para::Meta, &w.domain_mean(w.maturity_profile, mt.mean, mt.n));
        }
        let empty = d.strengths.is_empty() && d.areas_for_improvement.is_empty() && d.observations.is_empty();
        if empty && d.improvement_items.is_empty() {
            m.paragraph(Para::Empty, w.nothing_noted);
            continue;
        }
        for (label, notes_of) in [
            (w.strengths, &d.strengths),
            (w.areas_for_improvement, &d.areas_for_improvement),
            (w.observations, &d.observations),
        ] {
            if !notes_of.is_empty() {
                m.paragraph(Para::Meta, &m.strong(label));
                let lines: Vec<String> = notes_of.iter().map(|n| note(m, n)).collect();
                m.list(&lines);
            }
        }
        let numbers: Vec<usize> = d.improvement_items.iter().filter_map(|id| plan_number(id)).collect();
        if !numbers.is_empty() {
            m.paragraph(Para::Meta, &w.plan_items(&numbers));
        }
    }
    m.end_section();
}

fn overview(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    let o = &r.overview;
    m.section(Section::Overview);
    let status = match &o.ended_at_utc {
        Some(at) if r.ended() => w.ended(&w.human_utc(at)),
        _ => w.in_progress.to_owned(),
    };
    let facts = [
        (w.exercise, format!("{} {}", m.text(&o.title), m.small(&format!("({})", o.exercise_id)))),
        (w.scenario, m.text(&o.scenario_id)),
        (w.date, w.date_utc(&o.date)),
        (w.started, o.started_at_utc.as_deref().map_or_else(|| w.not_started.to_owned(), |at| w.human_utc(at))),
        (w.status, status),
        (w.planned_duration, w.minutes(o.planned_duration_minutes)),
        (w.play_time, o.play_time.clone()),
        (w.participants, w.number(o.participant_count)),
    ];
    m.facts(&facts);
    if !o.summary.is_empty() {
        let summary = m.text(&o.summary);
        m.paragraph(Para::Prose, &summary);
    }
    m.heading(w.objectives);
    let objectives: Vec<String> =
        o.objectives.iter().map(|obj| titled(&m.strong(&m.text(&obj.id)), &m.text(&obj.text))).collect();
    m.list(&objectives);
    m.heading(w.groups);
    let groups: Vec<Vec<String>> = o.groups.iter().map(|g| vec![m.text(&g.name), w.number(g.participants)]).collect();
    m.table(Table::Groups, &groups);
    m.end_section();
}

fn timeline(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    m.section(Section::Timeline);
    if r.injects.is_empty() {
        m.paragraph(Para::Empty, w.no_inject);
    } else {
        responses(m, r);
    }
    for i in &r.injects {
        inject(m, i, r.attribution == Attribution::Names);
    }
    if !r.skipped.is_empty() {
        m.heading(w.skipped_injects);
        let skipped: Vec<String> = r.skipped.iter().map(|s| w.skipped(&m.text(&s.title), &s.play_time)).collect();
        m.list(&skipped);
    }
    m.end_section();
}

fn inject(m: &mut impl Markup, i: &InjectReport, named: bool) {
    let w = m.words();
    let targets: Vec<String> = i.targets.iter().map(|g| m.text(&g.name)).collect();
    let sender = i.from.as_ref().map(|from| match &i.channel {
        Some(channel) => format!("{} ({})", m.text(from), m.text(channel)),
        None => m.text(from),
    });
    let inject = Inject {
        heading: w.inject(i.release_number, &m.text(&i.title)),
        play_time: i.play_time.clone(),
        released_at: w.human_utc(&i.released_at_utc),
        how: match &i.released_because {
            Some(c) => w.released_because(i.manual, &m.text(c)),
            None => w.released_by(i.manual).to_owned(),
        },
        sender,
        targets: targets.join(", "),
        body: m.text(&i.body),
    };
    m.inject(&inject);
    if !i.handouts.is_empty() {
        let handouts: Vec<String> = i.handouts.iter().map(|h| m.text(h)).collect();
        m.facts(&[(w.handouts, handouts.join("; "))]);
    }
    let questions: Vec<(String, Vec<String>)> = i
        .questions
        .iter()
        .map(|q| {
            let to = q.group.as_ref().map_or_else(|| w.all_target_groups.to_owned(), |g| m.text(&g.name));
            (to, q.questions.iter().map(|text| m.text(text)).collect())
        })
        .collect();
    let expected: Vec<String> = i.expected_actions.iter().map(|a| m.text(a)).collect();
    if !questions.is_empty() || !expected.is_empty() {
        m.asked(&questions, &expected);
    }
    let mut rows = Vec::new();
    for g in &i.answers {
        let group = m.text(&g.group_name);
        if g.answers.is_empty() {
            rows.push(AnswerRow { group: group.clone(), span: Some(1), answer: None });
        }
        for (n, a) in g.answers.iter().enumerate() {
            let when = match a.late {
                true => format!("{} {}", a.play_time, m.small(w.late)),
                false => a.play_time.clone(),
            };
            rows.push(AnswerRow {
                group: group.clone(),
                span: (n == 0).then_some(g.answers.len()),
                answer: Some(
                    (a.participant_name.as_ref().map(|name| m.text(name)).into_iter())
                        .chain([when, answer_text(m, a)])
                        .collect(),
                ),
            });
        }
    }
    m.answers(if named { Table::Answers } else { Table::AnswersByGroup }, &rows);
    if let Some(poll) = &i.poll {
        m.heading(w.poll_results);
        m.list(&poll_lines(m, poll));
    }
    notes(m, &i.notes);
    m.end_inject();
}

/// An answer's cell: a contribution's flag, a poll's choice in bold, then the text.
fn answer_text(m: &impl Markup, a: &Answer) -> String {
    let mut parts = Vec::new();
    if a.contribution {
        parts.push(m.flag(m.words().contribution));
    }
    if !a.choices.is_empty() {
        let chosen: Vec<String> = a.choices.iter().map(|c| m.text(c)).collect();
        parts.push(m.strong(&chosen.join(", ")));
    }
    if !a.text.is_empty() {
        parts.push(m.text(&a.text));
    }
    parts.join(" ")
}

/// A poll's results, one line per option: the count over all groups, then per group.
fn poll_lines(m: &impl Markup, poll: &PollReport) -> Vec<String> {
    let w = m.words();
    (poll.options.iter().enumerate())
        .map(|(k, label)| {
            let groups: Vec<String> = (poll.by_group.iter())
                .filter(|g| g.counts[k] > 0)
                .map(|g| format!("{} {}", m.text(&g.group_name), g.counts[k]))
                .collect();
            let detail = if groups.is_empty() { String::new() } else { format!(" ({})", groups.join(", ")) };
            format!("{} {}{detail}", m.strong(&w.lang.colon(&m.text(label))), poll.total[k])
        })
        .collect()
}

fn notes(m: &mut impl Markup, notes: &[NoteReport]) {
    if notes.is_empty() {
        return;
    }
    let lines: Vec<String> = notes.iter().map(|n| note(m, n)).collect();
    m.notes(&lines);
}

/// `<author> (<role>, <play time>, on <what>): <text>`.
fn note(m: &impl Markup, n: &NoteReport) -> String {
    let w = m.words();
    let mut about = Vec::new();
    if let Some(title) = &n.inject_title {
        about.push(w.about_inject(n.inject_release_number, &m.text(title)));
    }
    if let Some(objective) = &n.objective_id {
        about.push(w.about_objective(&m.text(objective)));
    }
    if let Some(group) = &n.group {
        about.push(m.text(&group.name));
    }
    let context = w.note_context(n.author_role, &n.play_time, &about);
    w.note(&m.strong(&m.text(&n.author)), &context, &m.prose(&m.text(&n.text)))
}

fn analysis(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    m.section(Section::Analysis);
    let legend = w.rating_legend(|letter| m.key(letter));
    m.paragraph(Para::Meta, &legend);
    for a in &r.objectives {
        let heading = titled(&m.text(&a.objective_id), &m.text(&a.text));
        m.heading(&heading);
        if !a.released_injects.is_empty() {
            m.paragraph(Para::Meta, &w.injects(&a.released_injects));
        }
        let rating = a.rating.as_ref().map(|rt| Rating {
            letter: rt.letter,
            meaning: rt.meaning,
            rated_by: m.text(&rt.rated_by),
            strengths: or_dash(m, &rt.strengths),
            areas_for_improvement: or_dash(m, &rt.areas_for_improvement),
        });
        m.rating(rating.as_ref());
        if a.rating.as_ref().is_some_and(|r| !r.consensus) {
            m.paragraph(Para::Meta, w.no_consensus);
        }
        if a.ratings.len() > 1 {
            m.paragraph(Para::Meta, &m.strong(w.evaluator_ratings));
            let rows: Vec<Vec<String>> = (a.ratings.iter())
                .map(|rt| {
                    let who = match rt.consensus {
                        true => format!("{} {}", m.text(&rt.rated_by), m.small(&format!("({})", w.consensus))),
                        false => m.text(&rt.rated_by),
                    };
                    vec![
                        who,
                        format!("{} {}", m.key(rt.letter), rt.meaning),
                        or_dash(m, &rt.strengths),
                        or_dash(m, &rt.areas_for_improvement),
                    ]
                })
                .collect();
            m.table(Table::EvaluatorRatings, &rows);
        }
        notes(m, &a.notes);
    }
    if !r.general_notes.is_empty() {
        m.general_notes_heading();
        notes(m, &r.general_notes);
    }
    m.end_section();
}

fn self_assessment(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    let Some(sa) = &r.self_assessment else { return };
    m.section(Section::SelfAssessment);
    if sa.example {
        let example = m.em(w.example_statements);
        m.paragraph(Para::Meta, &example);
    }
    if !sa.intro.is_empty() {
        let intro = m.text(&sa.intro);
        m.paragraph(Para::Prose, &intro);
    }
    let steps: Vec<String> = sa.scale.iter().map(|s| format!("{} {}", m.score(s.score), m.text(&s.meaning))).collect();
    m.paragraph(Para::Meta, &w.scale(&steps));
    if let Some(p) = &sa.profile {
        profile(m, p);
    }
    for g in &sa.groups {
        let heading = format!("{} {}", m.text(&g.group_name), m.small(&w.raters(g.raters, g.mean)));
        m.heading(&heading);
        m.statements(&g.statements);
    }
    m.end_section();
}

/// The maturity profile: charts (where the format draws) and one table of rows × domains.
fn profile(m: &mut impl Markup, p: &ProfileReport) {
    let w = m.words();
    m.heading(w.maturity_profile);
    if p.small_cells_withheld {
        m.paragraph(Para::Meta, w.small_cells);
    }
    let domains: Vec<String> = p.domains.iter().map(|d| d.name.clone()).collect();
    let (radar, heatmap) = profile_charts(p, w.lang);
    let lines: Vec<ProfileLine> = std::iter::once(&p.overall)
        .chain(&p.sectors)
        .chain(&p.organisations)
        .map(|row| ProfileLine {
            label: m.text(&row.label),
            raters: w.number(row.raters),
            cells: row.cells.iter().map(|c| w.cell(c.mean, c.n)).collect(),
        })
        .collect();
    let headers: Vec<String> = domains.iter().map(|d| m.text(d)).collect();
    m.profile(&ProfileTable { domains: headers, rows: lines, radar, heatmap });
}

/// The profile's radar (the room) and sectors × domains heatmap, as the report draws
/// them in `lang`: a withheld cell reads "fewer than 3", never a figure. No heatmap
/// without sectors.
pub fn profile_charts(p: &ProfileReport, lang: Lang) -> (String, Option<String>) {
    let w = Words::of(lang);
    let domains: Vec<String> = p.domains.iter().map(|d| d.name.clone()).collect();
    let values = |row: &ProfileRowReport| row.cells.iter().map(|c| c.mean).collect::<Vec<_>>();
    let room = [Series { label: p.overall.label.clone(), values: values(&p.overall) }];
    let radar = charts::radar_in(lang, w.maturity_profile, &domains, &room, TextSize::NORMAL);
    let heat_rows: Vec<HeatRow> = std::iter::once(&p.overall)
        .chain(&p.sectors)
        .map(|row| {
            let withheld = row.cells.iter().any(|c| c.mean.is_none() && c.n > 0);
            let missing = if withheld { w.fewer_than_3 } else { DASH };
            HeatRow { label: row.label.clone(), values: values(row), missing: missing.to_owned() }
        })
        .collect();
    let heatmap = (!p.sectors.is_empty()).then(|| charts::heatmap_in(lang, w.by_sector, &domains, &heat_rows));
    (radar, heatmap)
}

/// The responses grid as the report draws it in its language: its title, and how the
/// cells are read under the legend (the debrief page's image).
pub fn responses_chart(r: &Report) -> String {
    r.responses.chart(r.language, Words::of(r.language).responses, responses_definition(r.language))
}

fn improvement_plan(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    m.section(Section::ImprovementPlan);
    if r.improvement_plan.is_empty() {
        m.paragraph(Para::Empty, w.no_plan_item);
    } else {
        let rows: Vec<Vec<String>> = r
            .improvement_plan
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let issue = match item.status {
                    ItemStatus::Proposed => format!("{} {}", m.flag(w.proposed), m.text(&item.issue)),
                    _ => m.text(&item.issue),
                };
                vec![
                    w.number(n + 1),
                    issue,
                    m.text(&item.corrective_action),
                    m.text(&item.group_name),
                    item.capability.label_in(w.lang).to_owned(),
                    m.text(&item.responsible_org),
                    m.text(&item.owner),
                    m.text(&w.day(&item.start_date)),
                    m.text(&w.day(&item.due)),
                    item.priority.map_or("", |p| p.label_in(w.lang)).to_owned(),
                    item.progress.map_or("", |p| p.label_in(w.lang)).to_owned(),
                    w.number(item.votes),
                ]
            })
            .collect();
        m.table(Table::Plan, &rows);
    }
    if let Some(a) = &r.adoption {
        m.paragraph(Para::Meta, &w.adoption(a.voters, a.max_votes));
    }
    m.end_section();
}

fn participants(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    m.section(Section::Participants);
    if r.attribution == Attribution::Group {
        m.paragraph(Para::Meta, w.counted_not_named);
    }
    let mut rows: Vec<Vec<String>> =
        r.participants.iter().map(|g| vec![m.text(&g.group_name), w.number(g.count), names(m, &g.names)]).collect();
    if !r.observers.is_empty() {
        rows.push(vec![w.observers.to_owned(), w.number(r.observers.len()), names(m, &r.observers)]);
    }
    m.participants(&rows);
    let counted = |n: usize| w.number(n);
    let sectors_named = r.sectors.iter().any(|s| s.participants > 0);
    if sectors_named || !r.organisations.is_empty() {
        m.heading(w.who_was_there);
    }
    if sectors_named {
        let rows: Vec<Vec<String>> = (r.sectors.iter().filter(|s| s.participants > 0))
            .map(|s| vec![m.text(&s.label), counted(s.participants), counted(s.organisations)])
            .collect();
        m.table(Table::Sectors, &rows);
    }
    if !r.organisations.is_empty() {
        let label = |id: &str| r.sectors.iter().find(|s| s.sector_id.as_deref() == Some(id)).map(|s| s.label.as_str());
        let rows: Vec<Vec<String>> = (r.organisations.iter())
            .map(|o| {
                let sector = o.sector_id.as_deref().and_then(label).map_or_else(|| DASH.to_owned(), |l| m.text(l));
                vec![m.text(&o.name), sector, counted(o.participants)]
            })
            .collect();
        m.table(Table::Organisations, &rows);
    }
    m.end_section();
}

/// Names, comma-separated, or [`DASH`] when there are none.
fn names(m: &impl Markup, names: &[String]) -> String {
    if names.is_empty() {
        return DASH.to_owned();
    }
    names.iter().map(|n| m.text(n)).collect::<Vec<_>>().join(", ")
}

/// User text, or [`DASH`] when it is blank.
fn or_dash(m: &impl Markup, text: &str) -> String {
    if text.trim().is_empty() { DASH.to_owned() } else { m.text(text) }
}

/// The cover page (formats that have one): the report's cover, escaped.
fn cover(m: &mut impl Markup, r: &Report) {
    let c = &r.cover;
    let page = CoverPage {
        organiser: m.text(&c.organiser),
        venue: m.text(&c.venue),
        date: m.words().date_utc(&c.date),
        marking: m.text(&c.marking),
        marking_raw: c.marking.clone(),
        non_attribution: c.non_attribution.as_deref().map(|s| m.text(s)),
    };
    m.cover(&page);
}

/// The responses grid: the chart, how to read it, each group's counts.
fn responses(m: &mut impl Markup, r: &Report) {
    let w = m.words();
    let lines = (r.responses.groups.iter())
        .map(|g| {
            let c = g.counts;
            w.response_counts(&m.strong(&m.text(&g.group_name)), c.on_time, c.late, c.not_answered)
        })
        .collect();
    m.responses(&ResponsesFigure {
        // How to read it is said under the chart, in the document's text.
        chart: r.responses.chart(w.lang, w.responses, ""),
        definition: responses_definition(w.lang).to_owned(),
        lines,
    });
}
