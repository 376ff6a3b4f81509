//! A welcome's answers, paged: however many answers an exercise holds, a welcome
//! carries at most the latest [`PER_THREAD`] per (inject, group) and at most
//! [`WELCOME_ANSWER_BYTES`] of them in all, the group's standing answer always among
//! them, and says per (inject, group) how many older ones there are. A client fetches
//! those with `older_responses`, a page at a time (at most [`PAGE_BYTES`]), so no frame
//! the server builds comes near a socket's write limit.

use std::collections::{BTreeMap, HashSet};

use crate::protocol::{OlderResponses, ResponseView};

use super::super::state::ResponseRecord;
use super::{Localized, response_view};

/// Most answers per (inject, group) in a welcome.
pub const PER_THREAD: usize = 20;
/// Most bytes of answer text in one welcome (the standing answers always go in).
pub const WELCOME_ANSWER_BYTES: usize = 4 * 1024 * 1024;
/// Most bytes of answer text in one page of older answers.
pub const PAGE_BYTES: usize = 1024 * 1024;
/// Most answers in one page of older answers.
pub const PAGE_MAX: usize = 200;

fn bytes(r: &ResponseRecord) -> usize {
    r.text.len() + r.options.iter().map(String::len).sum::<usize>() + 256
}

/// The answers of `records` (in log order) a welcome carries, and how many older ones
/// each (inject, group) has beyond them.
pub fn welcome_answers<'a>(
    state: &Localized<'_>,
    records: impl Iterator<Item = &'a ResponseRecord>,
) -> (Vec<ResponseView>, Vec<OlderResponses>) {
    let mut threads: BTreeMap<(&str, &str), Vec<&ResponseRecord>> = BTreeMap::new();
    for r in records {
        threads.entry((r.inject_id.as_str(), r.group_id.as_str())).or_default().push(r);
    }
    // The group's standing answer (group mode: the scribe's latest) goes in first.
    let mut kept: HashSet<u64> = HashSet::new();
    let mut budget = WELCOME_ANSWER_BYTES;
    for (inject, group) in threads.keys() {
        for r in state.answers_of(inject, group).into_iter().rev().take(1) {
            if kept.insert(r.stamp.seq) {
                budget = budget.saturating_sub(bytes(r));
            }
        }
    }
    // Then the latest of every thread, newest first, while the budget lasts.
    let mut candidates: Vec<&ResponseRecord> =
        threads.values().flat_map(|rs| rs.iter().rev().take(PER_THREAD).copied()).collect();
    candidates.sort_by_key(|r| std::cmp::Reverse(r.stamp.seq));
    for r in candidates {
        if kept.contains(&r.stamp.seq) {
            continue;
        }
        let b = bytes(r);
        if b > budget {
            break;
        }
        budget -= b;
        kept.insert(r.stamp.seq);
    }
    let mut views = Vec::new();
    let mut older = Vec::new();
    for ((inject, group), rs) in &threads {
        views.extend(rs.iter().filter(|r| kept.contains(&r.stamp.seq)).map(|r| response_view(state, r)));
        let skipped = rs.iter().filter(|r| !kept.contains(&r.stamp.seq)).count();
        if skipped > 0 {
            // The newest run carried whole; older ones are fetched before its first.
            let run = rs.iter().rev().take_while(|r| kept.contains(&r.stamp.seq)).last();
            older.push(OlderResponses {
                inject_id: (*inject).to_owned(),
                group_id: (*group).to_owned(),
                count: skipped,
                before_seq: run.map_or(u64::MAX, |r| r.stamp.seq),
            });
        }
    }
    views.sort_by_key(|v| v.seq);
    (views, older)
}

/// A page of the answers of `records` to one inject (of one group, when given) stored
/// before `before_seq`, newest last: at most `limit` (and [`PAGE_MAX`]) answers and
/// [`PAGE_BYTES`] bytes; `more` says whether older ones remain.
pub fn older_page<'a>(
    state: &Localized<'_>,
    records: impl DoubleEndedIterator<Item = &'a ResponseRecord>,
    before_seq: u64,
    limit: usize,
) -> (Vec<ResponseView>, bool) {
    let limit = limit.clamp(1, PAGE_MAX);
    let mut page = Vec::new();
    let mut budget = PAGE_BYTES;
    let mut more = false;
    for r in records.rev().filter(|r| r.stamp.seq < before_seq) {
        let b = bytes(r);
        if page.len() == limit || (b > budget && !page.is_empty()) {
            more = true;
            break;
        }
        budget = budget.saturating_sub(b);
        page.push(response_view(state, r));
    }
    page.reverse();
    (page, more)
}
