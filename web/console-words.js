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

import { lang } from '/assets/ui.js';

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
  choose_scenario: ['Choose a scenario, then create the exercise.', "Choisissez un scénario, puis créez l'exercice."],
  scenarios: ['Scenarios', 'Scénarios'],
  create: ['Create exercise', "Créer l'exercice"],
  reopen: ['Reopen an exercise', 'Rouvrir un exercice'],
  scenario_meta: [
    (v) => `${v.min} min · ${v.groups} group${one(v.groups) ? '' : 's'} · ${v.injects} inject${one(v.injects) ? '' : 's'}`,
    (v) => `${v.min}${S}min · ${v.groups} groupe${one(v.groups) ? '' : 's'} · ${v.injects} stimulus`,
  ],
  open: ['Open', 'Ouvrir'],
  exercise_meta: [
    (v) => `${v.title} · ${v.phase} · code ${v.code} · ${v.n} participant${one(v.n) ? '' : 's'} · ${v.when}`,
    (v) => `${v.title} · ${v.phase} · code ${v.code} · ${v.n} participant${one(v.n) ? '' : 's'} · ${v.when}`,
  ],
  none_yet: ['None yet.', 'Aucun pour le moment.'],
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
  win_on_time: ['on time', 'à temps'],
  win_late: ['late', 'en retard'],
  win_due_soon: ['due soon', 'échéance proche'],
  win_overdue: ['overdue', 'hors délai'],
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
  release_now: ['Release now', 'Diffuser maintenant'],
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
  back_to_play_label: ['Take the briefing off the shared screen: back to play', "Retirer le briefing de l'écran partagé : revenir au jeu"],
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
  breakouts_csv: ['Download breakout rooms (CSV)', 'Télécharger les salles de sous-groupe (CSV)'],
  breakouts_file: ['Breakout rooms (CSV)', 'Salles de sous-groupe (CSV)'],
  breakout_tools: ['Breakout rooms', 'Salles de sous-groupe'],

  // ---- downloads -----------------------------------------------------------------------
  preparing: ['Preparing {label}…', 'Préparation\u00a0: {label}…'],
  download_failed: ['{label} failed: {why}', `{label}${S}: échec ({why})`],
  downloaded: ['{label} downloaded', '{label}\u00a0: téléchargé'],
  server_answered: ['the server answered {status}', 'le serveur a répondu {status}'],
  unreachable: ['could not reach the server', 'serveur injoignable'],

  // ---- evaluation: notes, observers, objectives -----------------------------------------
  evaluation: ['Evaluation', 'Évaluation'],
  notes: ['Notes', 'Notes'],
  note: ['Note', 'Note'],
  note_placeholder: ['What you saw, who did what, a quote', 'Ce que vous avez vu, qui a fait quoi, une citation'],
  kind: ['Kind', 'Type'],
  cat_observation: ['Observation', 'Observation'],
  cat_strength: ['Strength', 'Point fort'],
  cat_area_for_improvement: ['Area for improvement', "Axe d'amélioration"],
  objective: ['Objective', 'Objectif'],
  add_note: ['Add note', 'Ajouter la note'],
  no_inject: ['— no inject —', '— aucun stimulus —'],
  no_objective: ['— no objective —', '— aucun objectif —'],
  no_group: ['— no group —', '— aucun groupe —'],
  no_notes: ['No notes yet.', 'Pas encore de note.'],
  type_note_first: ['Type the note first.', "Écrivez d'abord la note."],
  saving: ['Saving…', 'Enregistrement…'],
  saved: ['Saved ✓', 'Enregistré ✓'],
  not_saved_yet: ['Not saved yet', 'Pas encore enregistré'],
  observers: ['Observers', 'Observateurs'],
  observer_name: ['Observer name', "Nom de l'observateur"],
  add_observer: ['Add observer', 'Ajouter un observateur'],
  no_observers: ['No observers yet.', "Pas encore d'observateur."],
  observer_link_for: ['Observer link for {name}', "Lien d'observateur pour {name}"],
  copy_link_for: ['Copy the observer link for {name}', "Copier le lien d'observateur pour {name}"],
  copy_link: ['Copy link', 'Copier le lien'],
  copied: ['Copied ✓', 'Copié ✓'],
  copy_by_hand: ['Select the link and copy it', 'Sélectionnez le lien et copiez-le'],
  objectives: ['Objectives', 'Objectifs'],
  rating_scale: ['P: performed without challenges · S: with some challenges · M: with major challenges · U: unable to be performed.',
    `P${S}: réalisé sans difficulté · S${S}: avec quelques difficultés · M${S}: avec des difficultés majeures · U${S}: non réalisé.`],
  ratings_side: ["Every evaluator's rating stays side by side;", `les évaluations de chaque évaluateur restent côte à côte${S};`],
  ratings_yours: ["yours, the facilitator's, is", "la vôtre, celle de l'animateur, est"],
  ratings_theirs: ["the facilitator's is", "celle de l'animateur est"],
  ratings_consensus: ['the consensus the report uses.', 'le consensus retenu par le rapport.'],
  rating_P: ['Performed without challenges', 'Réalisé sans difficulté'],
  rating_S: ['Performed with some challenges', 'Réalisé avec quelques difficultés'],
  rating_M: ['Performed with major challenges', 'Réalisé avec des difficultés majeures'],
  rating_U: ['Unable to be performed', 'Non réalisé'],
  no_objectives: ['This scenario has no objectives to rate.', "Ce scénario n'a pas d'objectif à évaluer."],
  choose_rating: ['Choose a rating…', 'Choisir une évaluation…'],
  save_consensus: ['Save consensus rating', 'Enregistrer le consensus'],
  save_mine: ['Save my rating', 'Enregistrer mon évaluation'],
  consensus_heading: ['Consensus rating (yours, the facilitator\u2019s: the report uses it)', `Évaluation consensuelle (la vôtre, celle de l'animateur${S}: le rapport la retient)`],
  your_rating: ['Your rating', 'Votre évaluation'],
  rating: ['Rating', 'Évaluation'],
  strengths: ['Strengths', 'Points forts'],
  areas: ['Areas for improvement', "Axes d'amélioration"],
  choose_psmu: ['Choose P, S, M or U first.', "Choisissez d'abord P, S, M ou U."],
  consensus_tag: ['Consensus', 'Consensus'],
  evaluator_tag: ['Evaluator', 'Évaluateur'],
  strengths_colon: ['Strengths: ', `Points forts${S}: `],
  areas_colon: ['Areas for improvement: ', `Axes d'amélioration${S}: `],
  consensus_colon: ['Consensus: ', `Consensus${S}: `],
  latest_colon: ['No consensus yet · latest: ', `Pas encore de consensus · dernière évaluation${S}: `],
  not_rated: ['Not rated yet.', 'Pas encore évalué.'],
  nobody_rated: ['No evaluator has rated this objective yet.', "Aucun évaluateur n'a encore évalué cet objectif."],
  filled_from: ["Not saved: filled in from {name}'s rating", `Non enregistré${S}: repris de l'évaluation de {name}`],

  // ---- the improvement plan ------------------------------------------------------------
  improvement_plan: ['Improvement plan', "Plan d'amélioration"],
  plan_alone: ['Download the plan alone:', `Télécharger le plan seul${S}:`],
  plan_csv: ['Plan as CSV', 'Plan en CSV'],
  plan_json: ['Plan as JSON', 'Plan en JSON'],
  add_item: ['Add an item', 'Ajouter une action'],
  edit_then_accept: ['Edit, then accept', 'Modifier, puis accepter'],
  issue: ['Issue', 'Problème'],
  corrective_action: ['Corrective action', 'Action corrective'],
  capability: ['Capability', 'Capacité'],
  cap_planning: ['Planning', 'Planification'],
  cap_organisation: ['Organisation', 'Organisation'],
  cap_equipment: ['Equipment', 'Équipement'],
  cap_training: ['Training', 'Formation'],
  cap_exercise: ['Exercise', 'Exercices'],
  responsible_org: ['Responsible organisation', 'Organisation responsable'],
  owner: ['Owner', 'Responsable'],
  start_date: ['Start date', 'Date de début'],
  due_date: ['Completion date (due)', "Date d'achèvement (échéance)"],
  priority: ['Priority', 'Priorité'],
  not_set: ['— not set —', '— non défini —'],
  prio_high: ['High', 'Haute'],
  prio_medium: ['Medium', 'Moyenne'],
  prio_low: ['Low', 'Basse'],
  progress_not_started: ['Not started', 'Non commencé'],
  progress_in_progress: ['In progress', 'En cours'],
  progress_complete: ['Complete', 'Terminé'],
  progress_cancelled: ['Cancelled', 'Annulé'],
  add_to_plan: ['Add to the plan', 'Ajouter au plan'],
  save_changes: ['Save changes', 'Enregistrer les modifications'],
  accept_edited: ['Accept edited item', "Accepter l'action modifiée"],
  cancel_edit: ['Cancel edit', 'Annuler la modification'],
  section_proposed: ['Proposed by the groups', 'Proposées par les groupes'],
  section_accepted: ['Accepted', 'Acceptées'],
  section_dropped: ['Dropped', 'Écartées'],
  section_count: ['{title} ({n})', '{title} ({n})'],
  item_start: ['start {date}', 'début {date}'],
  item_due: ['due {date}', 'échéance {date}'],
  proposed_by: [' · proposed by {name}', ' · proposé par {name}'],
  issue_colon: ['Issue: ', `Problème${S}: `],
  action_colon: ['Action: ', `Action${S}: `],
  priority_is: ['Priority: {value}', `Priorité${S}: {value}`],
  status_is: ['Status: {value}', `Statut${S}: {value}`],
  not_set_short: ['not set', 'non défini'],
  accept: ['Accept', 'Accepter'],
  edit: ['Edit', 'Modifier'],
  drop: ['Drop', 'Écarter'],
  need_issue_action: ['An issue and a corrective action are needed.', 'Il faut un problème et une action corrective.'],
  start_after_due: ['The start date is after the completion date.', "La date de début est après la date d'achèvement."],

  // ---- the self-assessment -----------------------------------------------------------------
  self_assessment: ['Self-assessment', 'Auto-évaluation'],
  sa_open: ['Open self-assessment', "Ouvrir l'auto-évaluation"],
  sa_reopen: ['Reopen self-assessment', "Rouvrir l'auto-évaluation"],
  sa_close: ['Close self-assessment', "Clore l'auto-évaluation"],
  sa_not_opened: ['Not opened yet', 'Pas encore ouverte'],
  sa_open_state: ['Open: participants are rating', `Ouverte${S}: les participants répondent`],
  sa_closed: ['Closed', 'Close'],
  radar_alt: ["Radar chart: the room's maturity per domain", `Graphique radar${S}: maturité de la salle par domaine`],
  radar_caption: ['Maturity per domain (1–5), the whole room', 'Maturité par domaine (1–5), toute la salle'],
  heatmap_alt: ['Heatmap: maturity per sector and domain', `Carte de chaleur${S}: maturité par secteur et par domaine`],
  heatmap_caption: ['Sectors × domains, as in the report', 'Secteurs × domaines, comme dans le rapport'],
  cell_explained: ['Each cell: mean (n raters, lowest–highest).', 'Chaque cellule\u00a0: moyenne (n évaluateurs, minimum–maximum).'],
  small_mark: ['n<3: console only', 'n<3\u00a0: console seulement'],
  small_explained: ['marks a cell of fewer than 3 raters: this console is the only place it shows; the shared screen, the phones and the group-attributed report withhold it.',
    `signale une cellule de moins de 3 évaluateurs${S}: elle ne s'affiche que dans cette console${S}; l'écran partagé, les téléphones et le rapport attribué par groupe la masquent.`],
  per_statement: ['Per statement', 'Par énoncé'],
  statement: ['Statement', 'Énoncé'],
  mean: ['Mean', 'Moyenne'],
  spread: ['Spread', 'Écart'],
  count_head: ['Count', 'Nombre'],
  sa_group_head: [
    (v) => [`${v.name} · mean `, ` · `, ` rater${one(v.n) ? '' : 's'}`],
    (v) => [`${v.name} · moyenne `, ` · `, ` évaluateur${one(v.n) ? '' : 's'}`],
  ],
  raters_n: [(v) => `${v.n} rater${one(v.n) ? '' : 's'}`, (v) => `${v.n} évaluateur${one(v.n) ? '' : 's'}`],
  who: ['Who', 'Qui'],
  sectors: ['Sectors', 'Secteurs'],
  organisations: ['Organisations', 'Organisations'],
  nobody_rated_domain: ['Nobody in this row rated this domain', "Personne dans cette ligne n'a évalué ce domaine"],
  cell_title: [
    (v) => `${v.domain}: mean ${v.mean} of ${v.n} rater${one(v.n) ? '' : 's'}, lowest ${v.min}, highest ${v.max}`,
    (v) => `${v.domain}${S}: moyenne ${v.mean} sur ${v.n} évaluateur${one(v.n) ? '' : 's'}, minimum ${v.min}, maximum ${v.max}`,
  ],
  histogram_title: ['1–5: {counts}', `1–5${S}: {counts}`],

  // ---- report, shared screen and adoption board --------------------------------------------
  report_and_screen: ['Report and shared screen', 'Rapport et écran partagé'],
  shared_screen: ['Shared screen', 'Écran partagé'],
  what_screen_shows: ['What the shared screen shows', "Ce qu'affiche l'écran partagé"],
  show_play: ['Play', 'Jeu'],
  show_briefing_short: ['Briefing', 'Briefing'],
  show_results: ['Show results', 'Afficher les résultats'],
  adoption_board: ['Adoption board', "Tableau d'adoption"],
  screen_shows: ['The shared screen shows: {view}.', `L'écran partagé affiche${S}: {view}.`],
  screen_view_play: ['Play (join code, clock, injects)', 'Jeu (code, horloge, stimulus)'],
  screen_view_briefing: ['Briefing (objectives, ground rules, groups)', 'Briefing (objectifs, règles du jeu, groupes)'],
  screen_view_poll: ['Poll results: {title}', `Résultats du sondage${S}: {title}`],
  screen_view_results: ['Self-assessment results', "Résultats de l'auto-évaluation"],
  screen_view_adoption: ['Adoption board', "Tableau d'adoption"],
  preview_title: ['Results as the shared screen shows them', "Les résultats tels que l'écran partagé les affiche"],
  preview_radar_alt: ["Radar chart of the room's maturity, as on the shared screen", `Graphique radar de la maturité de la salle, comme sur l'écran partagé`],
  preview_withheld: ['Cells under 3 raters are withheld on the screen.', "Les cellules de moins de 3 évaluateurs ne s'affichent pas à l'écran."],
  preview_few: [
    (v) => `${v.n} rater${one(v.n) ? '' : 's'} so far: under 3, the screen shows no figure yet.`,
    (v) => `${v.n} évaluateur${one(v.n) ? '' : 's'} pour le moment${S}: moins de 3, l'écran n'affiche encore aucun chiffre.`,
  ],
  preview_room_sectors: ['{n} raters; the screen shows the room and the sectors.', `{n} évaluateurs${S}; l'écran affiche la salle et les secteurs.`],
  preview_room_groups: ['{n} raters; the screen shows the room and the groups.', `{n} évaluateurs${S}; l'écran affiche la salle et les groupes.`],
  fewer_than_3: ['fewer than 3 raters', 'moins de 3 évaluateurs'],
  mean_is: ['mean {mean}', 'moyenne {mean}'],
  report: ['Report', 'Rapport'],
  executive_summary: ['Executive summary', 'Synthèse'],
  summary_placeholder: ['What happened, what went well, what must change first. Blank lines between paragraphs.',
    "Ce qui s'est passé, ce qui a bien fonctionné, ce qui doit changer en premier. Une ligne vide entre les paragraphes."],
  marking: ['Handling marking', 'Marquage de diffusion'],
  marking_placeholder: ['e.g. TLP:AMBER', `ex.${S}: TLP:AMBER`],
  marking_default: ["On the cover and every page. Leave it empty for the scenario's {marking}.", 'Sur la couverture et chaque page. Laissez vide pour celui du scénario ({marking}).'],
  marking_none: ['On the cover and every page (e.g. TLP:AMBER). Empty: none.', `Sur la couverture et chaque page (ex.${S}: TLP:AMBER). Vide${S}: aucun.`],
  save_report: ['Save report text', 'Enregistrer le texte du rapport'],
  open_voting: ['Open voting', 'Ouvrir le vote'],
  reopen_voting: ['Reopen voting', 'Rouvrir le vote'],
  close_voting: ['Close voting', 'Clore le vote'],
  adoption_not_opened: ['Not opened yet', 'Pas encore ouvert'],
  adoption_open: ['Open: participants are voting', `Ouvert${S}: les participants votent`],
  adoption_closed: ['Closed', 'Clos'],
  adoption_summary: [
    (v) => `${v.items} accepted item${one(v.items) ? '' : 's'} · ${v.voters} participant${one(v.voters) ? ' has' : 's have'} voted · up to ${v.max} votes each`,
    (v) => `${v.items} action${one(v.items) ? '' : 's'} retenue${one(v.items) ? '' : 's'} · ${v.voters} participant${one(v.voters) ? ' a' : 's ont'} voté · jusqu'à ${v.max} voix chacun`,
  ],
  adoption_empty: ['No accepted item yet: accept improvement-plan items first; they appear here by domain and responsible organisation.',
    `Aucune action retenue pour le moment${S}: acceptez d'abord des actions du plan d'amélioration${S}; elles apparaissent ici par domaine et par organisation responsable.`],
  votes: ['Votes', 'Voix'],
  domain: ['Domain', 'Domaine'],
  issue_and_action: ['Issue and corrective action', 'Problème et action corrective'],
  votes_n: [(v) => `${v.n} vote${one(v.n) ? '' : 's'}`, (v) => `${v.n} voix`],
};

/** Error codes (server and client) as texts; the code is shown beside them for support. */
const ERRORS = {
  // HTTP
  unauthorized: ['That key or token is not valid.', "Cette clé ou ce jeton n'est pas valide."],
  bad_request: ['The request was not understood.', "La requête n'a pas été comprise."],
  unknown_scenario: ['That scenario is not loaded on this server.', "Ce scénario n'est pas chargé sur ce serveur."],
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
