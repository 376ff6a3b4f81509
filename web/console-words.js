// console-words.js: every word the facilitator's console (and an observer's) shows, in
// English and French, side by side so a missing translation shows at a glance; error
// codes as texts in both languages; numbers, dates and durations as each reader expects.
// Loaded by the console only: the phone page (ui.js, 60 KB budget) does not carry it.
//
// French follows exercise practice: « stimulus » (never « inject »), « retour à chaud »,
// « plan d'amélioration », « Capacité » for a capability (« Domaine » is a resilience
// domain), « évaluateur », « exercice sur table », « animateur »; a non-breaking space
// (\u00a0) before « : ; ? ! ».
//
// - w(key, vars): a word; `{name}` placeholders are filled from vars, or the entry is a
//   function of vars (plurals);
// - localise(root): fills the page's static words (data-w, data-w-placeholder,
//   data-w-aria-label, data-w-alt, data-w-title);
// - errorText(code, message): what a refusal says (the server's English message only for
//   a code this table does not know).
// The evaluation and report panels' words are in console-words-evaluation.js, the
// scenario authoring card's in console-words-authoring.js, the conditional injects' in
// console-words-conditions.js.

import { lang } from '/assets/ui.js';
import { evaluationWords } from '/assets/console-words-evaluation.js';
import { authoringWords } from '/assets/console-words-authoring.js';
import { conditionWords } from '/assets/console-words-conditions.js';

export { lang };
/** The locale numbers and dates are written in. */
export const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
const FR = lang === 'fr' ? 1 : 0;
/** Plural choice: English 1 is singular, French 0 and 1 are. */
const one = (n) => (FR ? n < 2 : n === 1);
const S = '\u00a0'; // the space before « : ; ? ! » in French

/** A count as its reader writes it (1 234 in French). */
export const count = (n) => Number(n).toLocaleString(locale);
/** A number with `digits` decimals (3,25 in French). */
export const num = (x, digits) => Number(x).toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** A share as a percentage (25 %: a narrow no-break space in French). */
export const percent = (n) => (FR ? `${n}\u202f%` : `${n}%`);
/** A YYYY-MM-DD date as its reader writes it (31/03/2026 in French); other text as is. */
export function date(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
  if (!m || !FR) return ymd;
  return `${m[3]}/${m[2]}/${m[1]}`;
}
/** A wall-clock moment (ms since the epoch), in the reader's way. */
export const dateTime = (ms) => new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
/** Time left (play ms): 1:12 / 0:42 in English, « 1 min 12 s » / « 42 s » in French. */
export function left(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  if (!FR) return `${m}:${String(s % 60).padStart(2, '0')}`;
  if (!m) return `${s}${S}s`;
  return s % 60 ? `${m}${S}min${S}${String(s % 60).padStart(2, '0')}${S}s` : `${m}${S}min`;
}
/** A list of names: "a, b and c" / « a, b et c ». */
export function list(items) {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${FR ? 'et' : 'and'} ${items[items.length - 1]}`;
}

const WORDS = {
  // ---- the page, sign-in and the list of exercises ----------------------------------
  doc_title: ['Facilitator · tabletop', "Console de l'animateur · tabletop"],
  doc_title_exercise: ['{title} · facilitator', '{title} · animateur'],
  topbar: ['tabletop · facilitator', 'tabletop · animateur'],
  language: ['Language', 'Langue'],
  signin: ['Sign in', 'Connexion'],
  token_label: ['Admin token (printed when the server starts)', "Jeton d'administration (affiché au démarrage du serveur)"],
  signin_submit: ['Sign in', 'Se connecter'],
  signin_wrong: ['That token is not right.', "Ce jeton n'est pas le bon."],
  new_exercise: ['New exercise', 'Nouvel exercice'],
  choose_scenario: ['Choose a scenario, then create the exercise.', "Choisissez un scénario, puis créez l'exercice sur table."],
  scenarios: ['Scenarios', 'Scénarios'],
  create: ['Create exercise', "Créer l'exercice"],
  scenario_meta: [
    (v) => `${v.min} min · ${v.groups} group${one(v.groups) ? '' : 's'} · ${v.injects} inject${one(v.injects) ? '' : 's'}`,
    (v) => `${v.min}${S}min · ${v.groups} groupe${one(v.groups) ? '' : 's'} · ${v.injects} stimulus`,
  ],
  open: ['Open', 'Ouvrir'],
  none_yet: ['None yet.', 'Aucun pour le moment.'],
  none_found: ['No exercise matches.', 'Aucun exercice ne correspond.'],
  exercises_heading: ['Exercises', 'Exercices'],
  search_label: ['Search', 'Rechercher'],
  search_placeholder: ['title, scenario or join code', "titre, scénario ou code d'accès"],
  show_label: ['Show', 'Afficher'],
  status_current: ['Live and ended', 'En cours et terminés'],
  status_live: ['Live', 'En cours'],
  status_ended: ['Ended', 'Terminés'],
  status_archived: ['Archived', 'Archivés'],
  status_all: ['All', 'Tous'],
  exercise_line: [
    (v) => `${v.phase} · code ${v.code} · ${v.n} participant${one(v.n) ? '' : 's'} · ${v.when}`,
    (v) => `${v.phase} · code ${v.code} · ${v.n} participant${one(v.n) ? '' : 's'} · ${v.when}`,
  ],
  archived_tag: ['archived', 'archivé'],
  run_again_as_tag: ['run again: its code leads to the new run', `relancé${S}: son code mène au nouvel exercice`],
  run_again_from_tag: ['a re-run', 'une relance'],
  run_again: ['Run again', 'Relancer'],
  run_again_title: [
    'A fresh exercise of the same scenario that takes over this join code and projector link (this one stays readable)',
    `Un nouvel exercice du même scénario, qui reprend ce code d'accès et ce lien d'écran partagé (celui-ci reste consultable)`,
  ],
  run_again_twice: ['This exercise was run again already: run the new one again.', `Cet exercice a déjà été relancé${S}: relancez le nouveau.`],
  archive: ['Archive', 'Archiver'],
  archive_title: ['Hide it from this list; it stays readable (debrief, exports)', `Le retirer de cette liste${S}; il reste consultable (débriefing, exports)`],
  unarchive: ['Unarchive', 'Désarchiver'],
  archive_end_first: ['End the exercise before archiving it.', "Terminez l'exercice avant de l'archiver."],
  delete: ['Delete', 'Supprimer'],
  confirm_delete: [
    'Delete “{title}” (code {code}, {when}) for good? Its log, answers and report are gone; this cannot be undone.',
    `Supprimer définitivement «\u202f{title}\u202f» (code {code}, {when})${S}? Son journal, ses réponses et son rapport disparaissent${S}; c'est irréversible.`,
  ],
  delete_yes: ['Delete for good', 'Supprimer définitivement'],
  keep_it: ['Keep it', 'Le garder'],
  phase_lobby: ['lobby', 'pas commencé'],
  phase_running: ['running', 'en cours'],
  phase_paused: ['paused', 'en pause'],
  phase_ended: ['ended', 'terminé'],
  conn_connecting: ['connecting…', 'connexion…'],
  conn_online: ['online', 'en ligne'],
  conn_offline: ['offline: reconnecting…', 'hors ligne\u00a0: reconnexion…'],
  conn_stopped: ['disconnected', 'déconnecté'],
  observer_badge: ['Observer: {name}', `Observateur${S}: {name}`],
  observer_link_bad: ['This observer link is not valid: ask the facilitator for a new one.', `Ce lien d'observateur n'est pas valide${S}: demandez-en un nouveau à l'animateur.`],
  not_connected: ['Not connected; try again in a moment.', `Pas de connexion${S}; réessayez dans un instant.`],
  facilitator: ['Facilitator', 'Animateur'],
  colon: [': ', `${S}: `],

  // ---- join box, clock and controls --------------------------------------------------
  join_code: ['Join code', "Code d'accès"],
  open_projector: ['Open projector view', 'Écran partagé ↗'],
  open_debrief: ['Open debrief', 'Débriefing ↗'],
  debrief_title: ['Step through the exercise for the hot wash; download the after-action report', `Dérouler l'exercice pour le retour à chaud${S}; télécharger le rapport`],
  projector_title: ['The shared screen, in a new tab: put it on the projector', `L'écran partagé, dans un nouvel onglet${S}: à afficher au projecteur`],
  all_exercises: ['All exercises', 'Tous les exercices'],
  start: ['Start', 'Démarrer'],
  pause: ['Pause', 'Pause'],
  resume: ['Resume', 'Reprendre'],
  speed: ['Speed', 'Vitesse'],
  speed_1: ['1× (real time)', '1× (temps réel)'],
  speed_60: ['60× (rehearsal)', '60× (répétition)'],
  end: ['End exercise', "Terminer l'exercice"],
  announcement: ['Announcement', 'Annonce'],
  announce_placeholder: ['e.g. Five minutes left on this inject', `ex.${S}: Plus que cinq minutes sur ce stimulus`],
  announce: ['Announce', 'Annoncer'],
  confirm_end: ['End the exercise for everyone? Participants can no longer answer.', `Terminer l'exercice pour tout le monde${S}? Les participants ne pourront plus répondre.`],
  keep_playing: ['Keep playing', 'Continuer'],
  clock_lobby: ['lobby', 'avant le début'],
  clock_running: ['running', 'en cours'],
  clock_paused: ['paused', 'en pause'],
  clock_ended: ['ended', 'terminé'],
  next: ['Next: {title} at {time}', `Prochain${S}: {title} à {time}`],
  no_next: ['No timed inject pending.', 'Plus aucun stimulus programmé.'],
  next_deadline: [
    (v) => `Next deadline: ${v.group}${v.more ? ` and ${v.more} more group${one(v.more) ? '' : 's'}` : ''} due in ${v.left} on ${v.title}`,
    (v) => `Prochaine échéance${S}: ${v.group}${v.more ? ` et ${v.more} autre${one(v.more) ? '' : 's'} groupe${one(v.more) ? '' : 's'}` : ''} dans ${v.left} («${S}${v.title}${S}»)`,
  ],
  overdue_count: [
    (v) => `${v.n} answer${one(v.n) ? '' : 's'} overdue`,
    (v) => `${v.n} réponse${one(v.n) ? '' : 's'} hors délai`,
  ],
  announced: ['Last announcement ({time}):', `Dernière annonce ({time})${S}:`],

  // ---- the grid and its answer windows ----------------------------------------------
  who_answered: ['Who has answered', 'Qui a répondu'],
  group: ['Group', 'Groupe'],
  legend: ['What the colours mean', 'Légende des couleurs'],
  legend_on_time: ['✓ answered on time', '✓ répondu à temps'],
  legend_late: ['⚠ answered late', '⚠ répondu en retard'],
  legend_due_soon: ['◷ due within a minute', '◷ échéance <\u00a01\u00a0min'],
  legend_overdue: ['✗ overdue: no answer', '✗ hors délai, sans réponse'],
  badge_on_time: ['✓ on time', '✓ à temps'],
  badge_late: ['⚠ late', '⚠ en retard'],
  badge_due_soon: ['◷ {left}', '◷ {left}'],
  badge_overdue: ['✗ overdue', '✗ hors délai'],
  sr_on_time: ['answered on time', 'réponse à temps'],
  sr_late: ['answered late', 'réponse en retard'],
  sr_due_soon: ['no answer yet, due in {left}', 'pas encore de réponse, échéance dans {left}'],
  sr_overdue: ['overdue: no answer', 'hors délai\u00a0: pas de réponse'],
  sr_open: ['no answer yet, due at {time}', 'pas encore de réponse, échéance à {time}'],
  sr_answers: [(v) => `${v.n} answer${one(v.n) ? '' : 's'}`, (v) => `${v.n} réponse${one(v.n) ? '' : 's'}`],
  not_targeted: ['not sent to this group', 'non envoyé à ce groupe'],
  contributions_n: [(v) => `+${v.n}`, (v) => `+${v.n}`],
  contributions_sr: [(v) => `${v.n} contribution${one(v.n) ? '' : 's'}`, (v) => `${v.n} contribution${one(v.n) ? '' : 's'}`],
  group_answer_mark: ["Group's answer", 'Réponse du groupe'],
  contributions_mark: ['Contributions (not the group answer)', 'Contributions (pas la réponse du groupe)'],
  contribution_mark: ['(contribution)', '(contribution)'],
  late_mark: ['(late)', '(en retard)'],
  answer_line: ['{name}: {text}', `{name}${S}: {text}`],

  // ---- the injects table and the current inject ---------------------------------------
  injects: ['Injects', 'Stimulus'],
  when: ['When', 'Quand'],
  inject: ['Inject', 'Stimulus'],
  to: ['To', 'Destinataires'],
  status: ['Status', 'Statut'],
  actions: ['Actions', 'Actions'],
  contingency: ['contingency', 'de réserve'],
  release_now: ['Release now', 'Diffuser'],
  skip: ['Skip', 'Écarter'],
  status_pending: ['pending', 'en attente'],
  status_released: ['released at {time}', 'diffusé à {time}'],
  status_skipped: ['skipped at {time}', 'écarté à {time}'],
  notes_expected: ['Notes and expected actions', 'Notes et actions attendues'],
  objectives_list: ['Objectives: {list}', `Objectifs${S}: {list}`],
  all_groups: ['all groups', 'tous les groupes'],
  con_current: ['Current inject', 'Stimulus en cours'],
  con_next_inject: ['Next inject', 'Prochain stimulus'],
  con_none_yet: ['No inject in this scenario.', "Ce scénario n'a aucun stimulus."],
  con_released_at: ['Released at {time} to {groups}', `Diffusé à {time} — destinataires${S}: {groups}`],
  con_due_at: ['Due at {time}, to {groups}', `Prévu à {time} — destinataires${S}: {groups}`],
  con_contingency: ['Contingency inject (released by hand), to {groups}', `Stimulus de réserve (diffusé à la main) — destinataires${S}: {groups}`],
  con_every_group: ['Every group', 'Tous les groupes'],
  con_answered: ['{n} of {total} groups answered', `Groupes ayant répondu${S}: {n} sur {total}`],
  con_facilitator_notes: ['Facilitator notes', "Notes de l'animateur"],
  con_expected: ['Expected actions', 'Actions attendues'],
  con_objectives: ['Objectives:', `Objectifs${S}:`],
  con_questions: ['Questions by group', 'Questions par groupe'],
  con_window: ['due by {time}', 'échéance\u00a0: {time}'],

  // ---- polls and the shared screen ----------------------------------------------------
  polls: ['Polls', 'Sondages'],
  screen_now: ['Screen: {view}', `Écran${S}: {view}`],
  screen_now_title: ['What the shared screen shows: {view}', `Ce qu'affiche l'écran partagé${S}: {view}`],
  view_play: ['play', 'jeu'],
  view_briefing: ['briefing', 'briefing'],
  view_poll: ['poll results', 'résultats du sondage'],
  view_results: ['self-assessment results', "résultats de l'auto-évaluation"],
  view_adoption: ['adoption board', "tableau d'adoption"],
  show_briefing: ['Briefing', 'Briefing'],
  show_briefing_label: ['Put the briefing slide on the shared screen', "Afficher le briefing sur l'écran partagé"],
  back_to_play_label: ['Take the briefing off the shared screen: back to play', `Retirer le briefing de l'écran partagé${S}: revenir au jeu`],
  back_to_play: ['Back to play', 'Revenir au jeu'],
  show_poll: ['Show results', 'Afficher les résultats'],
  hide_poll: ['Hide results', 'Masquer les résultats'],
  show_poll_label: ['Show results of {title} on the shared screen', `Afficher les résultats de «${S}{title}${S}» sur l'écran partagé`],
  hide_poll_label: ['Hide results of {title} from the shared screen', `Retirer les résultats de «${S}{title}${S}» de l'écran partagé`],
  poll_answers: [(v) => `${v.n} answer${one(v.n) ? '' : 's'}`, (v) => `${v.n} réponse${one(v.n) ? '' : 's'}`],
  poll_multiple: ['several choices allowed', 'plusieurs choix possibles'],
  poll_option: ['Option', 'Option'],
  poll_all: ['All groups', 'Tous les groupes'],
  poll_on_screen: ['on the shared screen', "à l'écran"],
  poll_count_label: [(v) => `${v.option}: ${v.n} of ${v.total}`, (v) => `${v.option}${S}: ${v.n} sur ${v.total}`],
  switching: ['Switching…', 'Changement…'],

  // ---- groups, scribes and breakouts ---------------------------------------------------
  groups: ['Groups', 'Groupes'],
  joined: [(v) => `${v.n} joined`, (v) => `${v.n} inscrit${one(v.n) ? '' : 's'}`],
  group_count: ['{name} ({n})', '{name} ({n})'],
  breakout_room: ['Breakout room: {room}', `Salle de sous-groupe${S}: {room}`],
  room_n: ['Breakout room {n}', 'Salle de sous-groupe {n}'],
  scribe: ['Scribe', 'Secrétaire'],
  scribe_label: ['Scribe of {group}', 'Secrétaire du groupe {group}'],
  scribe_none: ['— no scribe yet —', '— pas encore de secrétaire —'],
  scribe_mark: ['scribe', 'secrétaire'],
  scribe_changed: ['{name} is now the scribe of {group}.', '{name} est désormais secrétaire du groupe {group}.'],
  no_members: ['Nobody yet.', 'Personne pour le moment.'],
  select_member: ['Select {name}', 'Sélectionner {name}'],
  move_one: ['Move {name} to another group', 'Changer {name} de groupe'],
  selected: [(v) => `${v.n} selected`, (v) => `${v.n} sélectionné${one(v.n) ? '' : 's'}`],
  move_to: ['Move to…', 'Déplacer vers…'],
  move_to_choose: ['— choose a group —', '— choisir un groupe —'],
  move_selected: ['Move', 'Déplacer'],
  move_pick: ['Tick participants, then choose a group.', 'Cochez des participants, puis choisissez un groupe.'],
  moved_n: [
    (v) => `Moved ${v.n} participant${one(v.n) ? '' : 's'} to ${v.group}.`,
    (v) => `${v.n} participant${one(v.n) ? '' : 's'} déplacé${one(v.n) ? '' : 's'} vers ${v.group}.`,
  ],
  clear_selection: ['Clear selection', 'Tout désélectionner'],
  rebalance: ['Rebalance groups', 'Rééquilibrer les groupes'],
  rebalanced: ['Groups rebalanced.', 'Groupes rééquilibrés.'],
  cancel: ['Cancel', 'Annuler'],
  lock_joining: ['Lock joining', 'Fermer les inscriptions'],
  earlier_answers: ['{n} earlier answers — show', '{n} réponses antérieures — afficher'],
  unlock_joining: ['Unlock joining', 'Rouvrir les inscriptions'],
  joining_locked: ['Joining is locked: nobody new can join.', 'Inscriptions fermées : personne de plus ne peut rejoindre.'],
  remove: ['Remove', 'Retirer'],
  remove_one: ['Remove {name} from the exercise', "Retirer {name} de l'exercice"],
  remove_title: ['Remove {name}?', 'Retirer {name} ?'],
  remove_explain: ['They leave the exercise and cannot come back with this phone. Their answers stay, marked "removed".', "La personne quitte l'exercice et ne peut plus revenir avec ce téléphone. Ses réponses restent, marquées « retiré »."],
  removed_one: ['{name} was removed.', '{name} a été retiré(e).'],
  removed_mark: ['(removed)', '(retiré)'],
  breakouts_csv: ['Download breakout rooms (CSV)', 'Télécharger les salles de sous-groupe (CSV)'],
  breakouts_file: ['Breakout rooms (CSV)', 'Salles de sous-groupe (CSV)'],
  breakout_tools: ['Breakout rooms', 'Salles de sous-groupe'],
  pack_print: ['Exercise pack (print)', "Dossier d'exercice (impression)"],
  pack_title: ['Situation manual, facilitator and evaluator guides, handouts and inject cards, to print (PDF; HTML when this server cannot print)', `Manuel de situation, guides de l'animateur et de l'évaluateur, documents et fiches de stimulus à imprimer (PDF${S}; HTML si ce serveur ne sait pas imprimer)`],
  pack_html_instead: ['This server cannot print PDFs: the pack was saved as HTML; print it from your browser.', `Ce serveur ne sait pas produire de PDF${S}: le dossier a été enregistré en HTML${S}; imprimez-le depuis le navigateur.`],

  // ---- downloads -----------------------------------------------------------------------
  preparing: ['Preparing {label}…', 'Préparation\u00a0: {label}…'],
  download_failed: ['{label} failed: {why}', `{label}${S}: échec ({why})`],
  downloaded: ['{label} downloaded', '{label}\u00a0: téléchargé'],
  server_answered: ['the server answered {status}', 'le serveur a répondu {status}'],
  unreachable: ['could not reach the server', 'serveur injoignable'],

  ...evaluationWords(one, S),
  ...authoringWords(one, S),
  ...conditionWords(one, S),
};

/** Error codes (server and client) as texts; the code is shown beside them for support. */
const ERRORS = {
  // HTTP
  unauthorized: ['That key or token is not valid.', "Cette clé ou ce jeton n'est pas valide."],
  bad_request: ['The request was not understood.', "La requête n'a pas été comprise."],
  unknown_scenario: ['That scenario is not loaded on this server.', "Ce scénario n'est pas chargé sur ce serveur."],
  invalid_scenario: ['The scenario has problems.', 'Le scénario comporte des erreurs.'],
  conflict: ['That would replace another file or scenario.', 'Cela remplacerait un autre fichier ou scénario.'],
  unsupported: ['That kind of file is not accepted yet.', "Ce type de fichier n'est pas encore accepté."],
  not_found: ['No such exercise.', 'Exercice introuvable.'],
  no_route: ['No such address on this server.', "Cette adresse n'existe pas sur ce serveur."],
  method_not_allowed: ['The server does not take this request here.', "Le serveur n'accepte pas cette requête ici."],
  unsupported_media_type: ['The request was not JSON.', "La requête n'était pas du JSON."],
  too_large: ['That is too large for the server.', 'Trop volumineux pour le serveur.'],
  unavailable: ['The server is shutting down; try again in a moment.', "Le serveur s'arrête\u00a0; réessayez dans un instant."],
  internal: ['The server had a problem (details in its log).', 'Le serveur a rencontré un problème (détails dans son journal).'],
  foreign_origin: ['This page is not served by the exercise server.', "Cette page ne vient pas du serveur de l'exercice."],
  unknown_format: ['That export format does not exist.', "Ce format d'export n'existe pas."],
  unknown_attribution: ['That attribution does not exist.', "Cette attribution n'existe pas."],
  unknown_chart: ['That chart does not exist.', "Ce graphique n'existe pas."],
  no_such_chart: ['This exercise has no such chart.', "Cet exercice n'a pas ce graphique."],
  pdf_unavailable: ['This server cannot print PDFs: use the HTML report and your browser’s Save as PDF.', "Ce serveur ne sait pas produire de PDF\u00a0: ouvrez le rapport HTML et enregistrez-le en PDF depuis le navigateur."],
  // The websocket
  malformed: ['The server could not read that message.', 'Le serveur n’a pas pu lire ce message.'],
  invalid_message: ['That message is missing something.', 'Il manque quelque chose à ce message.'],
  unknown_type: ['The server does not know that command.', 'Le serveur ne connaît pas cette commande.'],
  not_identified: ['Not signed in to the exercise yet.', "Pas encore connecté à l'exercice."],
  already_identified: ['Already signed in to the exercise.', "Déjà connecté à l'exercice."],
  unknown_join_code: ['No exercise has this code.', "Aucun exercice n'a ce code."],
  unknown_exercise: ['This exercise does not exist on this server.', "Cet exercice n'existe pas sur ce serveur."],
  bad_credentials: ['This key does not open this exercise.', "Cette clé n'ouvre pas cet exercice."],
  forbidden: ['Your role may not do that.', "Votre rôle ne permet pas de faire cela."],
  unknown_inject: ['That inject does not exist.', "Ce stimulus n'existe pas."],
  unknown_group: ['That group does not exist.', "Ce groupe n'existe pas."],
  unknown_participant: ['That participant is not in this exercise.', "Ce participant n'est pas dans cet exercice."],
  unknown_sector: ['That sector does not exist.', "Ce secteur n'existe pas."],
  inject_not_pending: ['That inject was already released or skipped.', 'Ce stimulus a déjà été diffusé ou écarté.'],
  condition_not_armed: ['That condition is no longer armed.', "Cette condition n'est plus en attente."],
  no_condition: ['That inject has no condition.', "Ce stimulus n'a pas de condition."],
  inject_not_released: ['That inject has not been released yet.', "Ce stimulus n'a pas encore été diffusé."],
  wrong_phase: ['Not possible at this point of the exercise.', "Impossible à ce stade de l'exercice."],
  exercise_ended: ['The exercise has ended.', "L'exercice est terminé."],
  invalid_speed: ['The speed must be between 0.1× and 600×.', 'La vitesse doit être comprise entre 0,1× et 600×.'],
  too_long: ['That is too long.', 'Le texte est trop long.'],
  invalid_text: ['Type something first.', "Écrivez d'abord quelque chose."],
  exercise_full: ['The exercise is full.', "L'exercice est complet."],
  rate_limited: ['Too fast; try again in a moment.', `Trop rapide${S}; réessayez dans un instant.`],
  storage_unavailable: ['The server could not save it; nothing changed. Try again.', "Le serveur n'a pas pu l'enregistrer\u00a0; rien n'a changé. Réessayez."],
  unknown_objective: ['That objective does not exist.', "Cet objectif n'existe pas."],
  unknown_item: ['That improvement item does not exist.', "Cette action d'amélioration n'existe pas."],
  unknown_statement: ['That statement does not exist.', "Cet énoncé n'existe pas."],
  self_assessment_unavailable: ['The self-assessment is not available.', "L'auto-évaluation n'est pas disponible."],
  adoption_unavailable: ['Voting is not open.', "Le vote n'est pas ouvert."],
  too_many_votes: ['Too many votes.', 'Trop de voix.'],
  invalid_value: ['Please check what you entered (dates as YYYY-MM-DD).', 'Vérifiez votre saisie (dates au format AAAA-MM-JJ).'],
  too_many: ['The exercise has reached its maximum.', "L'exercice a atteint son maximum."],
  unknown_option: ['That poll option does not exist.', "Cette option de sondage n'existe pas."],
  invalid_choice: ['This poll takes one choice.', "Ce sondage n'accepte qu'un choix."],
  not_a_poll: ['That inject is not a poll.', "Ce stimulus n'est pas un sondage."],
  window_closed: ['The answer window has closed.', 'Le délai de réponse est écoulé.'],
  not_scribe: ["Only the group's scribe may do that.", 'Seul le secrétaire du groupe peut le faire.'],
  no_scribes: ['This exercise has no scribes (each participant answers).', "Cet exercice n'a pas de secrétaires (chacun répond)."],
  not_in_group: ['That person is not in this group.', "Cette personne n'est pas dans ce groupe."],
};

/** A word in the page's language (English where a French one is missing). */
export function w(key, vars = {}) {
  const pair = WORDS[key];
  if (!pair) return key;
  const v = pair[FR] ?? pair[0];
  if (typeof v === 'function') return v(vars);
  return v.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** What a refusal says: the code's text, then the code (the server's English message
 *  only for a code this table does not know). */
export function errorText(code, message) {
  const pair = ERRORS[code];
  const said = pair ? pair[FR] : (message || code);
  return code ? `${said} (${code})` : said;
}

/** Every key of the table (tests check both languages are there). */
export const keys = () => Object.keys(WORDS);

/** Fills the static words of `root`: an element's text from data-w, and its
 *  placeholder, aria-label, alt and title from data-w-placeholder, … */
export function localise(root = document) {
  for (const el of root.querySelectorAll('[data-w]')) {
    const v = w(el.dataset.w);
    if (el.textContent !== v) el.textContent = v;
  }
  for (const attr of ['placeholder', 'aria-label', 'alt', 'title']) {
    for (const el of root.querySelectorAll(`[data-w-${attr}]`)) el.setAttribute(attr, w(el.getAttribute(`data-w-${attr}`)));
  }
}
