// ui.js: DOM helpers that only ever insert text (never HTML), play-time formatting, and
// the participant pages' strings in English and French.

/** Builds an element. Strings and numbers become text nodes; null/false are skipped.
 *  attrs: properties like id, className, type, value, disabled; `data-*`/`aria-*`/`for`
 *  as attributes; `on*` functions as event listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'for' || k === 'role') el.setAttribute(k, v);
    else el[k] = v;
  }
  append(el, children);
  return el;
}

/** Appends children (text or nodes, nested arrays allowed) as text or elements. */
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** Sets an element's text (the only way user text reaches the page). */
export function text(el, value) {
  el.textContent = value ?? '';
  return el;
}

/** Play time as T+mm:ss (T+h:mm:ss past an hour). */
export function playTime(ms) {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const two = (n) => String(n).padStart(2, '0');
  if (s >= 3600) return `T+${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  return `T+${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

/** A random id for client messages (works without a secure context). */
export function randomId() {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Shows a state in an element (a pill): its `data-state`, which the styles colour, and
 *  its text. */
export function showState(el, state, label = state) {
  el.dataset.state = state;
  return text(el, label);
}

/** Play time now, from a `clock` message {state, play_ms, wall_ms, speed}:
 *  `play_ms + (now - wall_ms) * speed` while running, `play_ms` otherwise. The message is
 *  the clock as of when the server sent it, so `now - wall_ms` is measured on this
 *  device's monotonic clock from the message's arrival, and a phone whose wall clock is
 *  wrong still shows the right play time. */
function clockReader(clock) {
  const at = performance.now();
  return () => (clock.state === 'running' ? clock.play_ms + (performance.now() - at) * clock.speed : clock.play_ms);
}

/** The page's play clock, shown in `el` and ticking every second: `label(clock, playMs)`
 *  is its text and the clock's state its `data-state`. `set(clock)` with the welcome's
 *  `clock` and every `clock` push (at once, as it arrives); `current` is the last one. */
export function playClock(el, label) {
  let clock = null;
  let read = () => 0;
  const tick = () => {
    if (clock) showState(el, clock.state, label(clock, read()));
  };
  setInterval(tick, 1000);
  return {
    get current() {
      return clock;
    },
    set(c) {
      clock = c;
      read = clockReader(c);
      tick();
    },
  };
}

const STRINGS = {
  en: {
    // The debrief's hot wash (the console's words are in console-words.js).
    db_objectives: 'Objectives and ratings',
    db_all_objectives: 'All objectives',
    db_not_rated: 'Not rated yet',
    db_consensus: 'consensus, {name}',
    db_latest: 'no consensus yet, latest: {name}',
    db_strengths: 'Strengths:',
    db_areas: 'Areas for improvement:',
    db_evaluators: 'Every evaluator:',
    db_items: 'Improvement plan',
    db_capability: 'Capability:',
    db_owner: 'Owner:',
    db_proposed_by: 'proposed by {name}',
    db_no_plan: 'No improvement item yet.',
    rating_P: 'Performed without challenges',
    rating_S: 'Performed with some challenges',
    rating_M: 'Performed with major challenges',
    rating_U: 'Unable to be performed',
    join_title: 'Join the exercise',
    join_code: 'Join code',
    your_name: 'Your name',
    your_organisation: 'Your organisation (optional)',
    your_sector: 'Sector (optional)',
    no_sector: '—',
    join_email: 'Your email',
    join_email_note: 'For the breakout room assignment only.',
    join_email_bad: 'Please check your email address.',
    join_group: 'Your group (optional)',
    join_any: 'Any group: the facilitator balances them',
    join_in_group: '{n} in this group',
    room_n: 'Go to breakout room {n} — {group}',
    room_named: 'Go to {room}',
    join: 'Join',
    joining: 'Joining…',
    conn_connecting: 'Connecting…',
    conn_online: 'Online',
    conn_offline: 'Offline — reconnecting…',
    conn_stopped: 'Disconnected',
    clock_lobby: 'Waiting to start',
    clock_running: 'Running',
    clock_paused: 'Paused',
    clock_ended: 'Ended',
    your_group: 'Your group',
    waiting: 'The first inject will appear here when the exercise starts.',
    questions: 'Questions for your group',
    answers: "Your group's answers",
    no_answers: 'No answer yet.',
    answer_label: 'Your answer for the group',
    send: 'Send',
    sending: 'Sending… (kept on this phone until it arrives)',
    sent: 'Sent ✓',
    draft: 'Draft saved on this phone',
    earlier: 'Earlier',
    announcements: 'From the facilitator',
    from: 'From',
    moved: 'The facilitator moved you to another group.',
    leave: 'Leave',
    err_unknown_join_code: 'No exercise has this code. Check it on the shared screen.',
    err_unknown_sector: 'Please pick a sector from the list.',
    err_exercise_ended: 'This exercise has ended.',
    err_exercise_full: 'This exercise is full.',
    err_invalid_text: 'Please type something first.',
    err_too_long: 'That is too long.',
    err_bad_credentials: 'Your session has expired. Please join again.',
    err_rate_limited: 'Too many answers at once. Your answer is kept here: send it again in a minute.',
    err_quota_exceeded: 'You have reached the limit of answers for this exercise. Your answer is kept here; tell the facilitator.',
    err_storage_unavailable: 'The server could not save your answer. It is kept here: send it again in a moment.',
    err_duplicate_id: 'This answer clashed with an earlier one. It is kept here: send it again.',
    err_removed: 'The facilitator removed you from this exercise.',
    err_joining_locked: 'The facilitator has closed joining for now. Ask them to open it.',
    join_name_bad: 'Please choose another name: not empty, and not a role such as Facilitator.',
    err_other: 'Something went wrong: ',
    err_self_assessment_unavailable: 'The self-assessment is not open.',
    err_invalid_value: 'Please check what you entered (dates as YYYY-MM-DD).',
    sa_title: 'Self-assessment',
    sa_example: 'Example statements, to adapt to your organisation.',
    sa_send: 'Send my scores',
    sa_pick: 'Choose a score first.',
    sa_closed: 'The self-assessment is closed.',
    sa_domain_of: 'Domain {n} of {total} — {name}',
    sa_answered: '{n} of {total} answered',
    sa_dont_know: "Don't know",
    sa_back: 'Back',
    sa_next: 'Next',
    sa_finish: 'Finish',
    sa_done: 'Done — thank you',
    sa_summary: "You answered {n} of {total} statements, {dk} \"don't know\".",
    sa_unanswered: '{n} not answered yet.',
    sa_goto_unanswered: 'Answer them',
    sa_change: 'You can change your answers until the facilitator closes the self-assessment.',
    sa_closed_thanks: 'Thank you — the self-assessment is closed.',
    sa_yours: 'Your answers',
    sa_none: 'Not answered',
    sa_unsent: '{n} answers did not reach the server before it closed.',
    imp_title: 'Propose a fix',
    imp_issue: 'Issue: what went wrong or is missing',
    imp_action: 'Corrective action',
    imp_capability: 'Capability',
    imp_org: 'Responsible organisation',
    imp_owner: 'Owner (person or role)',
    imp_due: 'Due date',
    imp_send: 'Propose',
    imp_need: 'Fill in the issue and the corrective action.',
    imp_list: "Your group's improvement plan",
    imp_none: 'No item yet.',
    cap_planning: 'Planning',
    cap_organisation: 'Organisation',
    cap_equipment: 'Equipment',
    cap_training: 'Training',
    cap_exercise: 'Exercise',
    st_proposed: 'proposed',
    st_accepted: 'accepted',
    st_dropped: 'dropped',
    due: 'due',
    new_inject: 'New inject',
    to_answer: 'Answer',
    to_answer_label: 'Answer: go to the answer box',
    ann_from: 'From the facilitator:',
    ann_dismiss: 'Dismiss this announcement',
    briefing: 'About this exercise: your group, rules, objectives',
    lobby_exercise: 'Exercise',
    lobby_you: 'You',
    lobby_you_mark: '(you)',
    lobby_scribe_mark: '(scribe)',
    lobby_members: 'In your group',
    lobby_rules: 'Ground rules',
    lobby_objectives: 'Objectives',
    lobby_scenario: 'The scenario',
    lobby_how: 'How it works',
    how_group: "Answer as a group: agree together, then one of you sends the group's answer. Everyone in your group sees it.",
    how_scribe: "Answer as a group: agree together; your group's scribe writes and sends the answer. Everyone in your group sees it.",
    how_drafts: 'What you type is kept on this phone until it is sent, even if the connection drops.',
    how_back: 'You can close this page and come back later with the same link, on this phone.',
  },
  fr: {
    // Le retour à chaud du débriefing (les mots de la console sont dans console-words.js).
    db_objectives: 'Objectifs et évaluations',
    db_all_objectives: 'Tous les objectifs',
    db_not_rated: 'Pas encore évalué',
    db_consensus: 'consensus, {name}',
    db_latest: 'pas encore de consensus, dernière évaluation\u00a0: {name}',
    db_strengths: 'Points forts\u00a0:',
    db_areas: "Axes d'amélioration\u00a0:",
    db_evaluators: 'Tous les évaluateurs\u00a0:',
    db_items: "Plan d'amélioration",
    db_capability: 'Capacité\u00a0:',
    db_owner: 'Responsable\u00a0:',
    db_proposed_by: 'proposé par {name}',
    db_no_plan: "Aucune action d'amélioration pour le moment.",
    rating_P: 'Réalisé sans difficulté',
    rating_S: 'Réalisé avec quelques difficultés',
    rating_M: 'Réalisé avec des difficultés majeures',
    rating_U: 'Non réalisé',
    join_title: "Rejoindre l'exercice",
    join_code: 'Code',
    your_name: 'Votre nom',
    your_organisation: 'Votre organisation (facultatif)',
    your_sector: 'Secteur (facultatif)',
    no_sector: '—',
    join_email: 'Votre adresse e-mail',
    join_email_note: 'Uniquement pour la répartition dans les salles de sous-groupe.',
    join_email_bad: 'Vérifiez votre adresse e-mail.',
    join_group: 'Votre groupe (facultatif)',
    join_any: "Peu importe\u00a0: l'animateur équilibre les groupes",
    join_in_group: '{n} dans ce groupe',
    room_n: 'Allez dans la salle de sous-groupe {n} — {group}',
    room_named: 'Allez dans la salle {room}',
    join: 'Rejoindre',
    joining: 'Connexion…',
    conn_connecting: 'Connexion…',
    conn_online: 'En ligne',
    conn_offline: 'Hors ligne — reconnexion…',
    conn_stopped: 'Déconnecté',
    clock_lobby: 'En attente du début',
    clock_running: 'En cours',
    clock_paused: 'En pause',
    clock_ended: 'Terminé',
    your_group: 'Votre groupe',
    waiting: "Le premier stimulus s'affichera ici au début de l'exercice.",
    questions: 'Questions pour votre groupe',
    answers: 'Réponses de votre groupe',
    no_answers: 'Pas encore de réponse.',
    answer_label: 'Votre réponse pour le groupe',
    send: 'Envoyer',
    sending: "Envoi… (gardé sur ce téléphone jusqu'à réception)",
    sent: 'Envoyé ✓',
    draft: 'Brouillon gardé sur ce téléphone',
    earlier: 'Plus tôt',
    announcements: "De l'animateur",
    from: 'De',
    moved: "L'animateur vous a changé de groupe.",
    leave: 'Quitter',
    err_unknown_join_code: "Aucun exercice n'a ce code. Vérifiez-le sur l'écran partagé.",
    err_unknown_sector: 'Choisissez un secteur dans la liste.',
    err_exercise_ended: 'Cet exercice est terminé.',
    err_exercise_full: 'Cet exercice est complet.',
    err_invalid_text: "Écrivez d'abord quelque chose.",
    err_too_long: 'Le texte est trop long.',
    err_bad_credentials: 'Votre session a expiré. Rejoignez à nouveau.',
    err_rate_limited: 'Trop de réponses à la fois. Votre réponse est gardée ici : renvoyez-la dans une minute.',
    err_quota_exceeded: "Vous avez atteint la limite de réponses pour cet exercice. Votre réponse est gardée ici ; prévenez l'animateur.",
    err_storage_unavailable: "Le serveur n'a pas pu enregistrer votre réponse. Elle est gardée ici : renvoyez-la dans un instant.",
    err_duplicate_id: 'Cette réponse est entrée en conflit avec une précédente. Elle est gardée ici : renvoyez-la.',
    err_removed: "L'animateur vous a retiré de cet exercice.",
    err_joining_locked: "L'animateur a fermé les inscriptions pour le moment. Demandez-lui de les rouvrir.",
    join_name_bad: 'Choisissez un autre nom : non vide, et pas un rôle comme Animateur.',
    err_other: 'Une erreur est survenue : ',
    err_self_assessment_unavailable: "L'auto-évaluation n'est pas ouverte.",
    err_invalid_value: 'Vérifiez votre saisie (dates au format AAAA-MM-JJ).',
    sa_title: 'Auto-évaluation',
    sa_example: 'Énoncés donnés en exemple, à adapter à votre organisation.',
    sa_send: 'Envoyer mes notes',
    sa_pick: "Choisissez d'abord une note.",
    sa_closed: "L'auto-évaluation est close.",
    sa_domain_of: 'Domaine {n} sur {total} — {name}',
    sa_answered: '{n} réponses sur {total}',
    sa_dont_know: 'Je ne sais pas',
    sa_back: 'Retour',
    sa_next: 'Suivant',
    sa_finish: 'Terminer',
    sa_done: 'Terminé — merci',
    sa_summary: 'Vous avez répondu à {n} énoncés sur {total}, dont {dk} « je ne sais pas ».',
    sa_unanswered: '{n} sans réponse pour le moment.',
    sa_goto_unanswered: 'Y répondre',
    sa_change: "Vous pouvez modifier vos réponses jusqu'à la clôture par l'animateur.",
    sa_closed_thanks: "Merci — l'auto-évaluation est close.",
    sa_yours: 'Vos réponses',
    sa_none: 'Sans réponse',
    sa_unsent: '{n} réponses ne sont pas parvenues au serveur avant la clôture.',
    sa_1: 'Inexistant',
    sa_2: 'Ponctuel ou prévu',
    sa_3: 'Défini et partiellement appliqué',
    sa_4: "Appliqué dans toute l'organisation",
    sa_5: 'Testé et amélioré',
    imp_title: 'Proposer une amélioration',
    imp_issue: 'Problème : ce qui a manqué ou mal fonctionné',
    imp_action: 'Action corrective',
    imp_capability: 'Domaine',
    imp_org: 'Organisation responsable',
    imp_owner: 'Responsable (personne ou fonction)',
    imp_due: 'Échéance',
    imp_send: 'Proposer',
    imp_need: "Indiquez le problème et l'action corrective.",
    imp_list: "Plan d'amélioration de votre groupe",
    imp_none: 'Aucun élément pour le moment.',
    cap_planning: 'Planification',
    cap_organisation: 'Organisation',
    cap_equipment: 'Équipement',
    cap_training: 'Formation',
    cap_exercise: 'Exercices',
    st_proposed: 'proposé',
    st_accepted: 'accepté',
    st_dropped: 'écarté',
    due: 'échéance',
    new_inject: 'Nouveau stimulus',
    to_answer: 'Répondre',
    to_answer_label: 'Répondre\u00a0: aller à la zone de réponse',
    ann_from: "De l'animateur\u00a0:",
    ann_dismiss: 'Masquer cette annonce',
    briefing: "À propos de l'exercice\u00a0: votre groupe, règles, objectifs",
    lobby_exercise: 'Exercice',
    lobby_you: 'Vous',
    lobby_you_mark: '(vous)',
    lobby_scribe_mark: '(secrétaire)',
    lobby_members: 'Dans votre groupe',
    lobby_rules: 'Règles du jeu',
    lobby_objectives: 'Objectifs',
    lobby_scenario: 'Le scénario',
    lobby_how: "Mode d'emploi",
    how_group: "Répondez en groupe\u00a0: mettez-vous d'accord, puis l'un de vous envoie la réponse du groupe. Tout votre groupe la voit.",
    how_scribe: "Répondez en groupe\u00a0: mettez-vous d'accord\u00a0; le secrétaire du groupe écrit et envoie la réponse. Tout votre groupe la voit.",
    how_drafts: "Ce que vous écrivez reste sur ce téléphone jusqu'à l'envoi, même si la connexion coupe.",
    how_back: 'Vous pouvez fermer cette page et revenir plus tard avec le même lien, sur ce téléphone.',
  },
};

/** The language asked for the scenario's texts: ?lang=, else the browser's (the server
 *  answers in it if the scenario is written in it, else in the scenario's own). */
export const readLang = new URLSearchParams(location.search).get('lang') || navigator.language || '';

/** The page language: ?lang=fr|en, else the browser's, else English. */
export const lang = (() => {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked && STRINGS[asked]) return asked;
  return (navigator.languages || [navigator.language || 'en']).some((l) => l.startsWith('fr')) ? 'fr' : 'en';
})();

/** A translated string. */
export function t(key) {
  return STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
}

/** A translated string with `{name}` placeholders filled from `vars`. */
export function tf(key, vars) {
  return t(key).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A user-facing message for a server error code. */
export function errorText(code, message) {
  const known = STRINGS[lang]['err_' + code];
  return known ?? t('err_other') + (message || code);
}
