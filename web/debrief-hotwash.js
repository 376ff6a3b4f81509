// debrief-hotwash.js: what a hot wash discusses beside each inject on the debrief page,
// read from the after-action report's JSON (the one the JSON download gives, so the
// page and the files agree):
// - the objectives the inject serves, each with its rating (the facilitator's consensus,
//   else the latest evaluator's), its strengths and areas for improvement, and every
//   evaluator's letter;
// - in each group's column, that group's improvement-plan items (accepted, then
//   proposed; dropped ones are not in the report);
// - under the steps, every objective of the exercise with its rating.
// Every text goes in as text nodes (h()); nothing is parsed as markup. The words are the
// page's language (debrief-words.js); the facilitator's rating reads "Facilitator" in it.

import { h } from '/assets/ui.js';
import { W, date } from '/assets/debrief-words.js';

let report = null; // the JSON report, or null until (or unless) it loads

/** Keeps the report the page fetched (null: none). */
export function setReport(r) {
  report = r && Array.isArray(r.objectives) ? r : null;
}

/** The report's objectives that this inject serves (by its number in the scenario). */
function objectivesOf(injectId) {
  if (!report) return [];
  const number = (report.injects || []).find((i) => i.inject_id === injectId)?.number;
  if (number === undefined) return [];
  return report.objectives.filter((o) => (o.inject_numbers || []).includes(number));
}

const meaning = (letter) => W.rating[letter] ?? letter;

/** Who rated: the facilitator's consensus in the page's words, else the evaluator's name. */
const rater = (r) => (r.consensus ? W.facilitator : r.rated_by);

/** One objective: its rating letter, what it means, by whom, strengths and areas. */
function objectiveItem(o) {
  const r = o.rating;
  return h('li', { className: 'objective', 'data-objective-id': o.objective_id, 'data-rating': r?.letter ?? '' },
    h('p', { className: 'objective-head' },
      h('span', { className: 'rating-letter', 'aria-hidden': r ? null : 'true' }, r ? r.letter : '–'), ' ',
      h('span', { className: 'objective-text' }, o.text)),
    h('p', { className: 'rating-by' }, r
      ? `${meaning(r.letter)} — ${r.consensus ? W.consensus(rater(r)) : W.latest(rater(r))}`
      : W.not_rated),
    r?.strengths ? h('p', { className: 'rating-strengths' }, h('span', { className: 'label' }, W.strengths), ' ', r.strengths) : null,
    r?.areas_for_improvement ? h('p', { className: 'rating-areas' }, h('span', { className: 'label' }, W.areas), ' ', r.areas_for_improvement) : null,
    (o.ratings || []).length > 1 ? h('p', { className: 'rating-all' }, W.evaluators, ' ',
      (o.ratings || []).map((x) => `${rater(x)} ${x.letter}`).join(' · ')) : null);
}

/** Fills the inject's "Objectives and ratings" box; hides it when the inject serves none. */
export function showObjectives(box, list, injectId) {
  const objectives = objectivesOf(injectId);
  box.hidden = !objectives.length;
  list.replaceChildren(...objectives.map(objectiveItem));
}

/** A group's improvement-plan items for its column (null when it has none). */
export function groupItems(groupId) {
  const items = (report?.improvement_plan || []).filter((i) => i.group_id === groupId);
  if (!items.length) return null;
  return h('section', { className: 'group-items' },
    h('h4', {}, `${W.items} (${items.length})`),
    h('ul', {}, items.map((i) => h('li', { className: 'plan-item', 'data-item-id': i.item_id, 'data-status': i.status },
      h('p', { className: 'item-issue' }, i.issue),
      h('p', { className: 'item-action' }, '→ ', i.corrective_action),
      h('p', { className: 'item-meta' },
        h('span', { className: 'item-status' }, W.status[i.status] ?? i.status),
        [i.capability && `${W.capability} ${W.cap[i.capability] ?? i.capability}`,
          i.owner && `${W.owner} ${i.owner}`,
          i.responsible_org,
          i.due && `${W.due} ${date(i.due)}`,
          i.proposed_by && W.proposed_by(i.proposed_by)].filter(Boolean).map((x) => ` · ${x}`))))));
}

/** Every objective with its rating, under the steps (hidden without objectives). */
export function showAllObjectives(section, list) {
  const objectives = report?.objectives || [];
  section.hidden = !objectives.length;
  list.replaceChildren(...objectives.map(objectiveItem));
}
