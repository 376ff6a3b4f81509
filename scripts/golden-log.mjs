#!/usr/bin/env node
// Writes a golden log: the data dir of one whole Salary Tide exercise, played by a given
// tabletop binary, that every later build must keep opening and replaying identically
// (tests/fixtures/golden/README.md).
//
//   node scripts/golden-log.mjs --bin PATH_TO_TABLETOP --out DIR
//
// It starts the binary on a fresh data dir, creates an exercise of `dfs-salary-tide`,
// plays it over the public websocket protocol so that every event kind (src/events) is
// written at least once, checks that through the timeline, stops the server
// gracefully, and copies only `tabletop.db` into DIR, with `events.jsonl` (every stored
// row, for review) next to it. Last, it opens a copy of that file with the same binary
// and checks that the timeline reads back unchanged.
//
// Each step waits for the server's `ack` (or the push it needs) before the next one, so
// the log has the same events in the same order on every run; only wall times, ids,
// keys and tokens differ. To cover a new event kind, add it to EVENT_KINDS and add a step
// (a small named async function) to STEPS, then write a NEW directory (dfs-v2, …): a
// golden log that was committed is never rewritten.
//
// From dfs-v4 on it plays dfs-salary-tide-extended (`--scenario`): the 50-minute
// dfs-salary-tide was redesigned into four modules with new ids, and the half-day
// version keeps the storyline's inject and option ids this script answers. Its log holds
// a scenario written in English and French (the snapshot's `translations`) and image
// attachments (the store's `files` table).
//
// From dfs-v5 on the scenario has conditional injects: the facilitator fires one and
// cancels another (condition_fired, condition_cancelled).
//
// From dfs-v6 on the facilitator locks joining, removes a late phone and opens joining
// again (joining_locked, participant_removed, joining_unlocked).
//
// From dfs-v3 on the exercise is played in group answer mode, so the scribe's and the
// members' contributions are in the log: the shipped dfs-salary-tide has
// `answer_mode = "group"` since; the server loads a copy of the shipped scenarios that
// makes sure of it (the scenario is stored in the log, so the copy is all that needs it).

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { WsClient } from '../tests/browser/wsclient.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/// The scenario played: `--scenario` (dfs-v1 to dfs-v3 played dfs-salary-tide before its
/// redesign; its inject ids live on in the half-day version, which dfs-v4 plays).
let SCENARIO = 'dfs-salary-tide-extended';
const ADMIN_TOKEN = 'golden-log-admin-token';
const DB_FILE = 'tabletop.db';
const TIMEOUT = 15_000;

/// Every event kind of the build (src/events); the log must hold each at least once.
const EVENT_KINDS = [
  'exercise_created',
  'participant_joined',
  'clock_started',
  'clock_paused',
  'clock_resumed',
  'speed_changed',
  'inject_released',
  'inject_skipped',
  'participant_moved',
  'announcement_made',
  'response_submitted',
  'exercise_ended',
  'observer_added',
  'note_added',
  'objective_rated',
  'improvement_proposed',
  'improvement_accepted',
  'improvement_dropped',
  'self_assessment_opened',
  'self_assessment_closed',
  'self_assessment_rated',
  'report_edited',
  'adoption_opened',
  'adoption_closed',
  'priorities_voted',
  'projector_switched',
  'scribe_assigned',
  'condition_fired',
  'condition_cancelled',
  'joining_locked',
  'joining_unlocked',
  'participant_removed',
];

/// The room, in joining order. Groups are filled fewest-first in scenario order, so the
/// first six land one per group and the last two double up risk and governance.
/// Each says which organisation and sector they speak for (dfs-v2 on), but Kéba; Lamin
/// spells BaobabPay differently and is kept under the room's first spelling.
const PEOPLE = [
  { key: 'aissatou', name: 'Aïssatou Ndiaye-Touré', group: 'risk', organisation: 'BaobabPay', sector: 'emoney' },
  { key: 'ndeye', name: "N'Deye O'Connor", group: 'governance', organisation: 'Central Bank', sector: 'central-bank' },
  { key: 'ebrima', name: 'Ebrima Jallow 🦁', group: 'testing', organisation: 'Baobab Mobile', sector: 'mno' },
  { key: 'lamin', name: '<b>Lamin</b> Ceesay', group: 'training', organisation: ' baobabpay ', sector: 'emoney' },
  { key: 'fatoumata', name: 'Fatoumata Bâ', group: 'protection', organisation: 'Baobab Mobile', sector: 'mno' },
  { key: 'josemaria', name: 'José-María Núñez', group: 'incident', organisation: 'Trust « Bank »', sector: 'bank' },
  { key: 'ousmane', name: 'Ousmane « Ous » Sowe', group: 'risk', organisation: 'BaobabPay', sector: 'emoney' },
  { key: 'keba', name: 'Kéba Darboe', group: 'governance' },
];

/// Timed injects after the opening one, in play order: the clock releases them at 600×.
const TIMED_AFTER_OPENING = [
  'inside-help',
  'partner-api-abuse',
  'agent-system-ransomware',
  'ussd-signalling-attack',
  'viral-rumour',
  'notification-deadlines',
  'contagion',
  'recovery',
];

/// About 3,000 characters of one group's answer (BMP only, so characters = UTF-16 units).
const LONG_ANSWER = (() => {
  let text = '';
  for (let n = 1; text.length < 3_000; n++) {
    text += `Point ${n}: the spokesperson gives a short holding statement before the deadline, ` +
      `checks the Central Bank's role first, and confirms no figure that is not verified (réf. ${n}). `;
  }
  return `${text.slice(0, 2_999).trimEnd()}.`;
})();

/// What the groups type: every awkward kind of text a phone can send.
const ANSWERS = {
  french: '« Nous gelons les transferts des SIM échangées depuis moins de 72 h » — décision de la ' +
    "directrice des risques. Coût estimé : 1,2 M GMD ; ça dépasse le seuil d'alerte, " +
    "l'équipe a été prévenue à 6 h 45.",
  emojiQuotes: 'We call the Central Bank now 📞🚨 and "hold" means \'hold\'. ' +
    'Logs go to C:\\Incidents\\2025\\payday\\ and the filter is \\d{10} ✅',
  whitespace: '   Last SIM-swap test: never.\n\tAction 1:\tbook an end-to-end test\r\n' +
    '\tAction 2:\tovernight monitoring with an on-call analyst   ',
  script: '<script>alert(1)</script> Our call-centre script is <i>missing</i> & <img src=x onerror=alert(2)>',
  hyperlink: '=HYPERLINK("http://x","y")',
  arabic: 'نعلن حادثة من المستوى الأول الآن — Severity 1 declared by the CISO at 06:40.',
  spreadsheet: '+SUM(A1) -2+3 @cmd: the SahelLink key is revoked, a new one stays on their servers.',
  choice: 'Escalate first: the board decides with the police in the room.',
  doNotPay: 'Do not pay',
  contribution: 'Ousmane (risk): the exposure is above our alert threshold — say so to the board.',
  mouUnsure: "Nobody here knows whether it was signed; it should name one lead and one report.",
  journalistTraining: 'Our spokesperson was never trained for a hostile interview; one message: your money is safe.',
  movedAnswer: 'Testing (since the move): USSD, STK and SS7 were never in scope; we load-test USSD before next payday.',
  recoveryRisk: 'Register: SIM-swap exposure with a money figure and an owner, by 2027-03-31.',
  recoveryGovernance: 'One MOU between the Telecom Regulator and the Central Bank, signed before next payday.',
};

// ------------------------------------------------------------------ the exercise, step by step

// Each step is given `x`, the exercise so far: `base` (the server's URL), `exercise`
// (`exercise_id`, `join_code`, `facilitator_key`), the sockets `fac` (facilitator) and `obs`
// (observer), and `people` by key (`ws`, `id`, `name`, `group`), plus what a step leaves
// for a later one.
const STEPS = [
  createExercise,
  everyoneJoins,
  facilitatorOpensConsole,
  clockStartsAndOpeningInjectGoesOut,
  facilitatorFiresACondition,
  groupsAnswerTheOpeningInject,
  phoneResendsAnAnswer,
  facilitatorReleasesAContingencyInject,
  facilitatorSkipsAContingencyInject,
  groupsAnswerTheJournalist,
  facilitatorAnnounces,
  facilitatorAddsAnObserver,
  observerTakesNotesAndRates,
  facilitatorTakesNotesAndRates,
  facilitatorPausesAndSpeedsUp,
  clockReleasesTheTimedInjects,
  facilitatorSlowsDownForTheHotWash,
  groupsAnswerTheTimedInjects,
  aMemberContributesAndTheScribeChanges,
  facilitatorShowsThePoll,
  facilitatorMovesAParticipant,
  movedParticipantAnswersForTheNewGroup,
  groupsProposeImprovements,
  facilitatorSettlesTheImprovementPlan,
  facilitatorReplacesTheObserversRating,
  groupsRateThemselves,
  facilitatorShowsTheResults,
  facilitatorCancelsACondition,
  facilitatorLocksTheRoomAndRemovesAPhone,
  facilitatorEndsTheExercise,
  evaluationGoesOnAfterTheEnd,
  facilitatorWritesTheSummary,
  theRoomVotesOnTheAdoptionBoard,
];

/// POST /api/exercises: the exercise of the shipped DFS scenario (exercise_created).
async function createExercise(x) {
  const body = { scenario_id: SCENARIO };
  const r = await api(x.base, '/api/exercises', { method: 'POST', token: ADMIN_TOKEN, body });
  if (r.status !== 201) throw new Error(`create exercise: HTTP ${r.status} ${r.body}`);
  x.exercise = r.json;
}

/// Eight phones join one after the other; every group gets someone (participant_joined).
async function everyoneJoins(x) {
  for (const person of PEOPLE) {
    const ws = await WsClient.connect(x.base);
    const { organisation, sector } = person;
    ws.send({ type: 'join', join_code: x.exercise.join_code, name: person.name, organisation, sector });
    const welcome = await reply(ws, (m) => m.type === 'welcome', `welcome of ${person.name}`);
    if (welcome.group.id !== person.group) {
      throw new Error(`${person.name} landed in ${welcome.group.id}, expected ${person.group}`);
    }
    x.people[person.key] = { ...person, ws, id: welcome.you.participant_id };
  }
}

/// The facilitator's console (no event).
async function facilitatorOpensConsole(x) {
  x.fac = await WsClient.connect(x.base);
  x.fac.send({ type: 'facilitate', exercise_id: x.exercise.exercise_id, facilitator_key: x.exercise.facilitator_key });
  await reply(x.fac, (m) => m.type === 'welcome', 'facilitator welcome');
}

/// Start at real speed: the clock releases the T+0 inject in the same commit
/// (clock_started, inject_released by the clock). The next one is due at T+4 min.
async function clockStartsAndOpeningInjectGoesOut(x) {
  await command(x.fac, { type: 'start' });
  const inject = await push(x.fac, (m) => m.type === 'inject' && m.inject_id === 'payday-fraud-wave');
  if (inject.manual !== false) throw new Error('the opening inject should be released by the clock');
}

/// The Central Bank's call waits for incident response's silence; the facilitator
/// fires it now (condition_fired, manual, then its release to governance) (dfs-v5 on).
async function facilitatorFiresACondition(x) {
  await command(x.fac, { type: 'fire_condition', inject_id: 'central-bank-call' });
  await push(x.people.ndeye.ws, (m) => m.type === 'inject' && m.inject_id === 'central-bank-call');
}

/// Governance never chose to pay: the facilitator cancels the ransom's fallout before
/// the end (condition_cancelled) (dfs-v5 on).
async function facilitatorCancelsACondition(x) {
  await command(x.fac, { type: 'cancel_condition', inject_id: 'ransom-paid-fallout' });
}

/// A phone nobody knows joins late and answers; the facilitator locks joining (a
/// second stranger is refused with joining_locked), removes the first (their socket is
/// closed, their answer stays), then opens joining again (joining_locked,
/// participant_removed, joining_unlocked) (dfs-v6 on).
async function facilitatorLocksTheRoomAndRemovesAPhone(x) {
  const ws = await WsClient.connect(x.base);
  ws.send({ type: 'join', join_code: x.exercise.join_code, name: 'Modou Late' });
  const welcome = await reply(ws, (m) => m.type === 'welcome', 'welcome of the late phone');
  const stranger = { ws, id: welcome.you.participant_id };
  await command(x.fac, { type: 'lock_joining' });
  await push(x.fac, (m) => m.type === 'joining' && m.locked === true);
  const refused = await WsClient.connect(x.base);
  refused.send({ type: 'join', join_code: x.exercise.join_code, name: 'Second Stranger' });
  const error = await refused.waitFor((m) => m.type === 'error' || m.type === 'welcome', { what: 'locked join', timeout: TIMEOUT });
  if (error.code !== 'joining_locked') throw new Error(`a join while locked: ${JSON.stringify(error)}`);
  refused.close();
  await command(x.fac, { type: 'remove_participant', participant_id: stranger.id });
  await push(x.fac, (m) => m.type === 'participant' && m.change === 'removed' && m.participant.participant_id === stranger.id);
  stranger.ws.close();
  await command(x.fac, { type: 'unlock_joining' });
  await push(x.fac, (m) => m.type === 'joining' && m.locked === false);
}

/// Every group answers the opening inject with awkward text (response_submitted).
async function groupsAnswerTheOpeningInject(x) {
  await answer(x, 'aissatou', 'payday-fraud-wave', ANSWERS.french);
  x.resent = await answer(x, 'ndeye', 'payday-fraud-wave', ANSWERS.emojiQuotes, 'ndeye-payday-1');
  await answer(x, 'ebrima', 'payday-fraud-wave', ANSWERS.whitespace);
  await answer(x, 'lamin', 'payday-fraud-wave', ANSWERS.script);
  await answer(x, 'fatoumata', 'payday-fraud-wave', ANSWERS.hyperlink);
  await answer(x, 'josemaria', 'payday-fraud-wave', ANSWERS.arabic);
}

/// A phone that lost the ack sends the same answer again: acked with the same seq,
/// stored once.
async function phoneResendsAnAnswer(x) {
  const again = await answer(x, 'ndeye', 'payday-fraud-wave', ANSWERS.emojiQuotes, 'ndeye-payday-1');
  if (again.seq !== x.resent.seq) throw new Error(`re-sent answer acked as seq ${again.seq}, first ${x.resent.seq}`);
}

/// Communication is not coming up: the journalist calls (inject_released, manual).
async function facilitatorReleasesAContingencyInject(x) {
  await command(x.fac, { type: 'release', inject_id: 'journalist-call' });
  const inject = await push(x.fac, (m) => m.type === 'inject' && m.inject_id === 'journalist-call');
  if (inject.manual !== true) throw new Error('journalist-call should be a manual release');
}

/// The CSIRT indicator list will not be needed (inject_skipped).
async function facilitatorSkipsAContingencyInject(x) {
  await command(x.fac, { type: 'skip', inject_id: 'csirt-indicators' });
}

/// Governance's scribe writes a long answer; training a short one.
async function groupsAnswerTheJournalist(x) {
  await answer(x, 'ndeye', 'journalist-call', LONG_ANSWER);
  await answer(x, 'lamin', 'journalist-call', ANSWERS.journalistTraining);
}

/// A word to the whole room (announcement_made).
async function facilitatorAnnounces(x) {
  const text = 'Répondez pour votre domaine 🙏 — "5 minutes" left on this inject.';
  await command(x.fac, { type: 'announce', text });
}

/// The facilitator gives an evaluator a key; the evaluator opens the console with it
/// (observer_added).
async function facilitatorAddsAnObserver(x) {
  const name = 'Évaluatrice Fatou Sarr';
  await command(x.fac, { type: 'add_observer', name });
  const added = await push(x.fac, (m) => m.type === 'observer' && m.name === name && m.key);
  x.obs = await WsClient.connect(x.base);
  x.obs.send({ type: 'observe', exercise_id: x.exercise.exercise_id, observer_key: added.key });
  await reply(x.obs, (m) => m.type === 'welcome' && m.role === 'observer', 'observer welcome');
}

/// The observer notes an inject, an objective, a group and the whole exercise, and rates
/// coordination (note_added, objective_rated).
async function observerTakesNotesAndRates(x) {
  const note = (tags, text) => command(x.obs, { type: 'note', ...tags, text });
  await note({ inject_id: 'payday-fraud-wave' }, 'Risk named a decision-maker within 3 minutes.');
  await note({ objective_id: 'coordinate' }, 'Nobody is sure whether an MOU exists ' +
    '« entre le régulateur et la BC ».');
  await note({ group_id: 'training' }, 'Training answered with <b>markup</b>; check the report escapes it.');
  await note({ group_id: 'risk', category: 'strength' }, 'Risk froze swapped SIMs within minutes.');
  await note({ group_id: 'protection', inject_id: 'payday-fraud-wave', category: 'area_for_improvement' },
    'Protection had no SIM-change feed; "we would see it tomorrow".');
  await note({}, 'Room energy good; 8 phones connected 👍');
  await command(x.obs, {
    type: 'rate_objective',
    objective_id: 'coordinate',
    rating: 'S',
    strengths: 'Early heads-up to the Central Bank.',
    areas_for_improvement: 'No written notification threshold.',
  });
}

/// The facilitator notes one inject for one group and objective, and rates containment.
async function facilitatorTakesNotesAndRates(x) {
  await command(x.fac, {
    type: 'note',
    inject_id: 'journalist-call',
    objective_id: 'communicate',
    group_id: 'governance',
    text: 'Holding statement drafted in time;\nno check with the Central Bank.',
  });
  await command(x.fac, {
    type: 'rate_objective',
    objective_id: 'contain',
    rating: 'M',
    strengths: '',
    areas_for_improvement: 'Holds on swapped SIMs came late.',
  });
}

/// Pause, then rehearsal speed while paused (clock_paused, speed_changed).
async function facilitatorPausesAndSpeedsUp(x) {
  await command(x.fac, { type: 'pause' });
  await command(x.fac, { type: 'set_speed', speed: 600 });
}

/// Resume at 600×: the clock releases the eight remaining timed injects within seconds
/// (clock_resumed, inject_released by the clock). Nothing else is sent until the last one
/// is out, so their order in the log is fixed.
async function clockReleasesTheTimedInjects(x) {
  await command(x.fac, { type: 'resume' });
  for (const id of TIMED_AFTER_OPENING) {
    const inject = await push(x.fac, (m) => m.type === 'inject' && m.inject_id === id, { timeout: 30_000 });
    if (inject.manual !== false) throw new Error(`${id} should be released by the clock`);
  }
}

/// Back to real time for the hot wash (speed_changed, running).
async function facilitatorSlowsDownForTheHotWash(x) {
  await command(x.fac, { type: 'set_speed', speed: 1 });
}

/// Several groups answer the timed injects (after their answer windows, at 600×: late),
/// two polls among them: the ransom decision and whether an MOU exists.
async function groupsAnswerTheTimedInjects(x) {
  await answer(x, 'aissatou', 'partner-api-abuse', ANSWERS.spreadsheet);
  await answer(x, 'fatoumata', 'agent-system-ransomware', ANSWERS.choice, undefined, ['escalate']);
  await answer(x, 'josemaria', 'agent-system-ransomware', ANSWERS.doNotPay, undefined, ['refuse']);
  await answer(x, 'ndeye', 'notification-deadlines', ANSWERS.mouUnsure, undefined, ['unsure']);
  await answer(x, 'aissatou', 'recovery', ANSWERS.recoveryRisk);
  await answer(x, 'ndeye', 'recovery', ANSWERS.recoveryGovernance);
}

/// Ousmane, risk's second member, adds a contribution (not risk's answer); Kéba takes
/// over as governance's scribe (scribe_assigned).
async function aMemberContributesAndTheScribeChanges(x) {
  await answer(x, 'ousmane', 'payday-fraud-wave', ANSWERS.contribution);
  await command(x.fac, { type: 'assign_scribe', group_id: 'governance', participant_id: x.people.keba.id });
  await push(x.people.ndeye.ws, (m) => m.type === 'group_members' && m.members.some((p) => p.name === 'Kéba Darboe' && p.scribe));
}

/// The shared screen shows the ransom poll's results, then play again (projector_switched).
async function facilitatorShowsThePoll(x) {
  await command(x.fac, { type: 'show_on_projector', view: 'poll', inject_id: 'agent-system-ransomware' });
  await command(x.fac, { type: 'show_on_projector', view: 'play' });
}

/// Ousmane moves from risk to testing (participant_moved).
async function facilitatorMovesAParticipant(x) {
  const ousmane = x.people.ousmane;
  await command(x.fac, { type: 'move', participant_id: ousmane.id, group_id: 'testing' });
  await push(ousmane.ws, (m) => m.type === 'moved' && m.group.id === 'testing');
  ousmane.group = 'testing';
}

/// He answers an inject that went to testing and never to risk.
async function movedParticipantAnswersForTheNewGroup(x) {
  await answer(x, 'ousmane', 'ussd-signalling-attack', ANSWERS.movedAnswer);
}

/// After the recovery inject (collect_improvements), two groups propose fixes
/// (improvement_proposed). The facilitator's `improvement` push carries the item ids.
async function groupsProposeImprovements(x) {
  x.proposals = {};
  x.proposals.protection = await propose(x, 'fatoumata', {
    issue: 'SIM-change signals reach BaobabPay hours late',
    corrective_action: 'Real-time SIM-change feed from Baobab Mobile; hold transfers 48 h after a swap',
    capability: 'equipment',
    responsible_org: 'Baobab Mobile & BaobabPay',
    owner: 'Head of fraud',
    due: '2027-01-15',
  });
  x.proposals.governance = await propose(x, 'ndeye', {
    issue: 'No "pre-approved" holding statement',
    corrective_action: 'Draft statements for fraud, outage and rumour; approve them with the Central Bank',
    capability: 'planning',
    responsible_org: '',
    owner: '',
    due: '',
  });
}

/// Accept one proposal edited, add a new item of the facilitator's own, drop the other
/// proposal (improvement_accepted ×2, improvement_dropped).
async function facilitatorSettlesTheImprovementPlan(x) {
  await command(x.fac, {
    type: 'accept_improvement',
    item_id: x.proposals.protection,
    item: {
      issue: 'SIM-change signals reach BaobabPay hours late',
      corrective_action: 'Real-time SIM-change feed; hold outgoing transfers 72 h after a swap (edited)',
      group_id: 'protection',
      capability: 'equipment',
      responsible_org: 'Baobab Mobile',
      owner: 'CISO, Baobab Mobile',
      due: '2027-01-29',
      start: '2026-12-07',
      priority: 'high',
      progress: 'in_progress',
    },
  });
  await command(x.fac, {
    type: 'accept_improvement',
    item: {
      issue: 'Regulator–central bank MOU missing for cross-sector incidents',
      corrective_action: 'Draft and sign an MOU: one lead, one report, shared contacts',
      group_id: 'governance',
      capability: 'organisation',
      responsible_org: 'Central Bank; Telecom Regulator',
      owner: 'Deputy Governor',
      due: '2027-06-30',
      priority: 'medium',
      progress: 'not_started',
    },
  });
  await command(x.fac, { type: 'drop_improvement', item_id: x.proposals.governance });
}

/// The facilitator rates coordination after the observer did: the facilitator's is the
/// consensus, the observer's stands beside it (dfs-v1: it replaced it).
async function facilitatorReplacesTheObserversRating(x) {
  await command(x.fac, {
    type: 'rate_objective',
    objective_id: 'coordinate',
    rating: 'P',
    strengths: 'One joint report agreed in the end.',
    areas_for_improvement: '',
  });
}

/// Self-assessment: five groups rate their statements, Aïssatou changes one score
/// (self_assessment_opened, _rated, _closed).
async function groupsRateThemselves(x) {
  await command(x.fac, { type: 'open_self_assessment' });
  await selfAssess(x, 'aissatou', { 'risk-1': 2, 'risk-2': 1, 'risk-3': 3 });
  await selfAssess(x, 'ndeye', { 'governance-1': 3, 'governance-2': 1, 'governance-3': 2 });
  await selfAssess(x, 'ousmane', { 'testing-1': 1, 'testing-3': 2 });
  await selfAssess(x, 'lamin', { 'training-1': 4, 'training-2': 5, 'training-3': 3 });
  await selfAssess(x, 'josemaria', { 'incident-1': 3, 'incident-2': 2, 'incident-3': 4 });
  await selfAssess(x, 'aissatou', { 'risk-2': 4 });
  await command(x.people.fatoumata.ws, {
    type: 'self_assess',
    scores: { 'protection-1': 2, 'risk-1': 3 },
    dont_know: ['protection-2', 'incident-1'],
  });
  await command(x.fac, { type: 'close_self_assessment' });
}

/// The shared screen shows the self-assessment's aggregates (projector_switched).
async function facilitatorShowsTheResults(x) {
  await command(x.fac, { type: 'show_on_projector', view: 'results' });
}

/// The executive summary and a stricter marking, written after the end (report_edited).
async function facilitatorWritesTheSummary(x) {
  await command(x.fac, {
    type: 'edit_report',
    executive_summary: 'Les groupes ont gelé les SIM échangées en 3 minutes.\n\n' +
      'Two gaps: no SIM-change feed, no <b>MOU</b> between "regulator" and central bank. =SUM(A1)',
    marking: 'TLP:AMBER+STRICT',
  });
}

/// The 12:00 session: the board opens, three people choose priorities (one changes her
/// mind, one withdraws), the screen shows it, it closes (adoption_opened,
/// priorities_voted, projector_switched, adoption_closed).
async function theRoomVotesOnTheAdoptionBoard(x) {
  await command(x.fac, { type: 'open_adoption' });
  await command(x.fac, { type: 'show_on_projector', view: 'adoption' });
  const board = await push(x.people.aissatou.ws, (m) => m.type === 'adoption' && m.state === 'open');
  const [first, second] = board.items.map((i) => i.item_id);
  const vote = (who, item_ids) => command(x.people[who].ws, { type: 'vote_priorities', item_ids });
  await vote('aissatou', [first, second]);
  await vote('ndeye', [second]);
  await vote('ebrima', [first]);
  await vote('aissatou', [second]);
  await vote('ebrima', []);
  await command(x.fac, { type: 'close_adoption' });
}

/// Play is over (exercise_ended).
async function facilitatorEndsTheExercise(x) {
  await command(x.fac, { type: 'end' });
}

/// The hot wash goes on after the end: one more note and rating.
async function evaluationGoesOnAfterTheEnd(x) {
  const text = 'Hot wash: every group named an owner; two gave dates.';
  await command(x.obs, { type: 'note', inject_id: 'recovery', text });
  await command(x.obs, {
    type: 'rate_objective',
    objective_id: 'learn',
    rating: 'S',
    strengths: 'Owners named.',
    areas_for_improvement: '"IT" is not an owner; "soon" is not a date.',
  });
}

// ------------------------------------------------------------------ what the log must hold

/// Reads the timeline back and fails unless every kind is there and the awkward answers
/// are as the server stores them (trimmed, control characters but \n and \t dropped).
function checkTimeline(timeline) {
  const counts = countKinds(timeline.entries);
  const missing = EVENT_KINDS.filter((k) => !counts[k]);
  if (missing.length) throw new Error(`the log lacks ${missing.join(', ')}`);
  const unknown = Object.keys(counts).filter((k) => !EVENT_KINDS.includes(k));
  if (unknown.length) throw new Error(`the log has kinds this script does not know: ${unknown.join(', ')}`);

  const released = timeline.entries.filter((e) => e.kind === 'inject_released');
  if (!released.some((e) => e.manual) || !released.some((e) => !e.manual)) {
    throw new Error('inject releases should be both manual and by the clock');
  }
  const texts = timeline.entries.filter((e) => e.kind === 'response_submitted').map((e) => e.text);
  const stored = (t) => t.trim().replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? c : ''));
  for (const sent of [...Object.values(ANSWERS), LONG_ANSWER]) {
    const n = texts.filter((t) => t === stored(sent)).length;
    if (n !== 1) throw new Error(`answer stored ${n} times: ${JSON.stringify(sent.slice(0, 60))}`);
  }
  const moved = timeline.entries.find(
    (e) => e.kind === 'response_submitted' && e.inject_id === 'ussd-signalling-attack',
  );
  if (moved?.group_id !== 'testing') throw new Error('the moved participant should answer for testing');
  return counts;
}

function countKinds(rows) {
  const counts = {};
  for (const r of rows) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

// ------------------------------------------------------------------ talking to the server

let nextId = 0;

/// Sends a command with a fresh `client_msg_id` and waits for its ack (fails on `error`).
function command(ws, msg, clientMsgId = `${msg.type}-${++nextId}`) {
  const seen = new Set(ws.messages);
  ws.send({ ...msg, client_msg_id: clientMsgId });
  return reply(
    ws,
    (m) => !seen.has(m) && m.type === 'ack' && m.client_msg_id === clientMsgId,
    `ack of ${msg.type} ${clientMsgId}`,
    (m) => !seen.has(m),
  );
}

/// A participant answers an inject for their group (with a poll's `options`); resolves
/// with the ack.
function answer(x, who, injectId, text, clientMsgId, options) {
  const msg = { type: 'respond', inject_id: injectId, text, ...(options ? { options } : {}) };
  return command(x.people[who].ws, msg, clientMsgId);
}

/// A participant proposes an improvement-plan item; resolves with its id.
async function propose(x, who, item) {
  const ack = await command(x.people[who].ws, { type: 'propose_improvement', item });
  const pushed = await push(x.fac, (m) => m.type === 'improvement' && m.seq === ack.seq && m.status === 'proposed');
  return pushed.item_id;
}

/// A participant scores their group's statements.
function selfAssess(x, who, scores) {
  return command(x.people[who].ws, { type: 'self_assess', scores });
}

/// Waits for the first message matching `pred`; an `error` (among those `fresh` accepts)
/// fails at once.
async function reply(ws, pred, what, fresh = () => true) {
  const m = await ws.waitFor((m) => pred(m) || (m.type === 'error' && fresh(m)), { what, timeout: TIMEOUT });
  if (m.type === 'error' && !pred(m)) throw new Error(`${what}: refused: ${m.code}: ${m.message}`);
  return m;
}

/// Waits for a push matching `pred` (received already or later).
function push(ws, pred, { timeout = TIMEOUT } = {}) {
  return ws.waitFor(pred, { what: 'push', timeout });
}

async function api(base, pathname, { method = 'GET', token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(new URL(pathname, base), { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

async function readTimeline(base, exercise) {
  const r = await api(base, `/api/exercises/${exercise.exercise_id}/timeline`, { token: exercise.facilitator_key });
  if (r.status !== 200) throw new Error(`timeline: HTTP ${r.status} ${r.body}`);
  return r.json;
}

// ------------------------------------------------------------------ the server process

const LISTENING = /^tabletop \S+ listening on (http:\/\/\S+)\s*$/;
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/// Starts `bin serve` on `dataDir`; resolves with `{child, base, log}` once it listens.
function startServer(bin, dataDir) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TABLETOP_')));
  env.RUST_LOG = 'tabletop=info';
  const args = [
    'serve',
    '--addr', '127.0.0.1:0',
    '--data-dir', dataDir,
    '--scenarios', groupModeScenarios(dataDir),
    '--admin-token', ADMIN_TOKEN,
    '--open', '',
    '--messages-per-second', '1000',
  ];
  const child = spawn(bin, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const log = [];
  readline.createInterface({ input: child.stderr }).on('line', (l) => log.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${bin} did not print its address within 20 s\n${log.join('\n')}`)),
      20_000,
    );
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      const m = LISTENING.exec(l);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1], log });
      }
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`${bin} exited (${code ?? signal}) before listening\n${log.join('\n')}`));
    });
  });
}

/// A copy of the shipped scenarios next to `dataDir`, dfs-salary-tide in group answer
/// mode (see the head of this file).
function groupModeScenarios(dataDir) {
  const dir = path.join(path.dirname(dataDir), 'scenarios');
  if (fs.existsSync(dir)) return dir;
  fs.mkdirSync(dir);
  // Attachment files (and any other folder) are copied as they are.
  fs.cpSync(path.join(REPO, 'scenarios'), dir, { recursive: true });
  for (const name of fs.readdirSync(path.join(REPO, 'scenarios')).filter((n) => n.endsWith('.toml'))) {
    let text = fs.readFileSync(path.join(REPO, 'scenarios', name), 'utf8');
    if (name === `${SCENARIO}.toml`) {
      // The shipped scenario is in group mode since dfs-v3 was written; keep the copy so.
      if (!/^answer_mode = "group"$/m.test(text)) {
        text = text.replace(/^duration_minutes = .*$/m, (line) => `${line}\nanswer_mode = "group"`);
      }
    }
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/// SIGTERM and wait: the server closes its sockets, commits and closes the store.
async function stopServer(server) {
  const { child } = server;
  if (child.exitCode !== null) throw new Error(`the server died early (${child.exitCode})\n${server.log.join('\n')}`);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the server stopped with ${code}, not 0\n${server.log.join('\n')}`);
}

// ------------------------------------------------------------------ the database file

/// Python's sqlite3 (Node 20 has none built in).
function python(script, ...args) {
  return execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/// Leaves the whole log in `tabletop.db`: the WAL must be gone or empty after a clean
/// close; if it is not, checkpoint it into the main file.
function settleWal(dataDir) {
  const db = path.join(dataDir, DB_FILE);
  const leftover = () => ['-wal', '-shm'].filter((s) => fs.existsSync(db + s) && fs.statSync(db + s).size > 0);
  if (leftover().length) {
    console.warn(`note: ${leftover().join(', ')} left after a clean stop; checkpointing`);
    python(`import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
busy, _, _ = c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
c.close()
sys.exit(1 if busy else 0)`, db);
  }
  const wal = db + '-wal';
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) throw new Error(`${wal} still holds data`);
}

/// Every stored row, in (exercise_id, seq) order, columns as stored (payload as text),
/// read from the file as it is (immutable: no lock, no -shm, nothing written).
function dumpEvents(db) {
  return python(`import json, sqlite3, sys, urllib.request
uri = "file:" + urllib.request.pathname2url(sys.argv[1]) + "?immutable=1"
c = sqlite3.connect(uri, uri=True)
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
rows = c.execute("SELECT exercise_id, seq, wall_ms, kind, version, payload FROM events ORDER BY exercise_id, seq")
for exercise_id, seq, wall_ms, kind, version, payload in rows:
    row = {"exercise_id": exercise_id, "seq": seq, "wall_ms": wall_ms, "kind": kind, "version": version,
           "payload": payload}
    sys.stdout.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\\n")
c.close()`, db);
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

// ------------------------------------------------------------------ main

async function main() {
  const { values } = parseArgs({ options: { bin: { type: 'string' }, out: { type: 'string' }, scenario: { type: 'string' } } });
  if (values.scenario) SCENARIO = values.scenario;
  if (!values.bin || !values.out) {
    console.error('usage: node scripts/golden-log.mjs --bin PATH_TO_TABLETOP --out DIR [--scenario ID]');
    process.exit(2);
  }
  const bin = path.resolve(values.bin);
  const out = path.resolve(values.out);
  if (fs.existsSync(path.join(out, DB_FILE)) || fs.existsSync(path.join(out, 'events.jsonl'))) {
    throw new Error(`${out} already holds a golden log; golden logs are never rewritten: write a new directory`);
  }
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabletop-golden-'));
  try {
    const played = await playExercise(bin, dataDir);
    const kept = keepDatabase(dataDir, played);
    await reopenWithTheSameBuild(bin, kept.db, played);
    // Only a log that passed every check lands in DIR.
    fs.mkdirSync(out, { recursive: true });
    fs.copyFileSync(kept.db, path.join(out, DB_FILE));
    fs.writeFileSync(path.join(out, 'events.jsonl'), kept.jsonl);
    fs.rmSync(dataDir, { recursive: true, force: true });

    console.log(`golden log written by ${version} (${bin})`);
    const size = fs.statSync(path.join(out, DB_FILE)).size;
    console.log(`  ${path.join(out, DB_FILE)}: ${size} bytes, sha256 ${kept.hash}`);
    console.log(`  ${path.join(out, 'events.jsonl')}: ${Buffer.byteLength(kept.jsonl)} bytes, ${kept.rows} events`);
    console.log(`  exercise ${played.exercise.exercise_id}`);
    for (const kind of EVENT_KINDS) console.log(`  ${String(played.counts[kind]).padStart(4)}  ${kind}`);
  } catch (e) {
    e.message += `\n(work files kept in ${dataDir})`;
    throw e;
  }
}

/// Plays every step on a server of `bin` over `dataDir`, checks the timeline, and stops
/// the server; resolves with the exercise, its timeline and the count of each kind.
async function playExercise(bin, dataDir) {
  const server = await startServer(bin, path.join(dataDir, 'data'));
  const x = { base: server.base, people: {} };
  for (const step of STEPS) {
    try {
      await step(x);
    } catch (e) {
      e.message = `step ${step.name}: ${e.message}\n--- server log ---\n${server.log.slice(-30).join('\n')}`;
      throw e;
    }
  }
  const timeline = await readTimeline(x.base, x.exercise);
  const counts = checkTimeline(timeline);
  for (const ws of [x.fac, x.obs, ...Object.values(x.people).map((p) => p.ws)]) ws.close();
  await stopServer(server);
  settleWal(path.join(dataDir, 'data'));
  return { exercise: x.exercise, timeline, counts };
}

/// Copies only the database out of the data dir (not the WAL, not an admin token) and
/// dumps its rows; the dump must agree with the timeline.
function keepDatabase(dataDir, { timeline, counts }) {
  const db = path.join(dataDir, 'kept', DB_FILE);
  fs.mkdirSync(path.dirname(db));
  fs.copyFileSync(path.join(dataDir, 'data', DB_FILE), db);
  const hash = sha256(db);
  const jsonl = dumpEvents(db);
  if (sha256(db) !== hash) throw new Error('reading the copy changed it');
  const rows = jsonl.trimEnd().split('\n').map((l) => JSON.parse(l));
  if (rows.length !== timeline.entries.length) {
    throw new Error(`${rows.length} rows stored, ${timeline.entries.length} in the timeline`);
  }
  if (JSON.stringify(countKinds(rows)) !== JSON.stringify(counts)) {
    throw new Error('stored kinds differ from the timeline');
  }
  return { db, hash, jsonl, rows: rows.length };
}

/// The build that wrote the log opens a copy of it and reads the same timeline back.
async function reopenWithTheSameBuild(bin, db, { exercise, timeline }) {
  const replayDir = path.join(path.dirname(db), '..', 'replay');
  fs.mkdirSync(replayDir);
  fs.copyFileSync(db, path.join(replayDir, DB_FILE));
  const server = await startServer(bin, replayDir);
  const replayed = await readTimeline(server.base, exercise);
  await stopServer(server);
  if (JSON.stringify(replayed) !== JSON.stringify(timeline)) throw new Error('the reopened log reads back differently');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`golden-log: ${e.stack ?? e}`);
    process.exit(1);
  },
);
