// debrief-words.js: every word the debrief page shows, in English and French, and the
// numbers and dates as each language writes them. The page's language follows ?lang=
// and the browser (ui.js `lang`). French follows exercise practice: an inject is a
// « stimulus », the hot wash the « retour à chaud », the report the « rapport de retour
// d'expérience (RETEX) » with its « plan d'amélioration », a rating a « cotation », the
// capability element a « capacité », « points forts », « axes d'amélioration »,
// « évaluateur », the item's owner its « pilote »; a non-breaking space before « : » and
// a narrow one before « ; ? ! ». These tables live here, not in ui.js, which phones load
// within a tight budget.

import { lang as pageLang } from '/assets/ui.js';

/** The page language: `en` or `fr`. */
export const lang = pageLang === 'fr' ? 'fr' : 'en';

const LOCALE = { en: 'en-GB', fr: 'fr-FR' };

const WORDS = {
  en: {
    page_title: 'Debrief — tabletop',
    debrief: 'Debrief',
    debrief_of: (title) => `Debrief — ${title}`,
    doc_title: (title) => `Debrief — ${title}`,
    steps_nav: 'Debrief steps',
    prev: '← Previous',
    next: 'Next →',
    refresh: 'Refresh',
    language: 'Language',
    exports_nav: 'Download the report',
    report: 'Report:',
    plan_alone: 'The improvement plan alone',
    plan_csv: 'Plan CSV',
    plan_json: 'Plan JSON',
    answers_by: 'Answers',
    attribute: 'Attribute answers',
    by_group: 'by group',
    with_names: 'with names',
    print_hint: "This server cannot make PDFs. Use your browser's Print → Save as PDF.",
    print_again: 'Print…',
    print_close: 'Close',
    print_frame: 'The report, ready to print',
    key_label: 'Facilitator or observer key',
    key_submit: 'Open debrief',
    expected: 'Expected actions',
    notes: 'Notes',
    objectives: 'Objectives and ratings',
    all_objectives: 'All objectives',
    responses_title: 'Responses at a glance',
    responses_alt: 'Responses',
    profile_title: 'Maturity profile',
    profile_hint: 'The room and each sector, as the report attributed by group shows them: a sector of fewer than 3 raters has no figure.',
    radar_alt: 'Maturity profile',
    heatmap_alt: 'Maturity by sector',
    sa_title: 'Self-assessment',
    sa_example: '(Example statements.)',
    sa_open: 'Still open: press Refresh for the latest scores.',
    sa_mean: 'Mean',
    sa_raters: (n) => (n === 1 ? '1 rater' : `${n} raters`),
    sa_statement: 'Statement',
    sa_spread: 'Spread',
    sa_count: 'Count',

    // Loading, keys and errors.
    no_exercise: 'No exercise given: open this page as /debrief?exercise=<exercise id>.',
    unreachable: 'Could not reach the server. Check the connection and press Refresh.',
    server_answered: (status, text) => `The server answered ${status} ${text || ''}`.trim(),
    server_error: (code, message, status) => message || `The server answered ${status} (${code})`,
    key_refused: (why) => `That key was refused: ${why}`,
    enter_key: 'Enter the facilitator or observer key of this exercise.',
    phase_live: (phase) => `Exercise ${({ lobby: 'in the lobby', running: 'running', paused: 'paused' })[phase] || phase} — press Refresh for new answers`,
    phase_ended: 'Exercise ended',

    // A step: one released inject.
    no_inject: 'No inject has been released yet.',
    to_all: 'To all groups',
    to_groups: (names) => `To ${names}`,
    by_hand: 'released by hand',
    released_because: (words) => `Released because ${words}`,
    fired_by_facilitator: (words) => `Fired by the facilitator before its condition held: ${words}`,
    cancelled_title: 'Cancelled conditions',
    cancelled_line: (words) => `: ${words}`,
    not_targeted: '(not targeted)',
    no_answer: 'No answer',
    unknown_author: 'Unknown',
    note_objective: (id) => `objective ${id}`,

    // The live room: polls, answer windows, the group's answer and contributions.
    window: (minutes, until) => `Answer window: ${minutes} min, until ${until}`,
    timing: { on_time: 'on time', late: 'late', none: 'no answer' },
    timing_counts: (c) => `${c.on_time} on time · ${c.late} late · ${c.none} no answer`,
    late: 'late',
    contribution: 'contribution',
    contributions: (n) => `Contributions (${n})`,
    group_answer: "The group's answer",
    scribe: 'scribe',
    earlier: (n) => (n === 1 ? '1 earlier version' : `${n} earlier versions`),
    superseded: 'changed later',
    not_counted: 'no option chosen: not counted',
    poll_title: 'Poll: the latest choices',
    poll_option: 'Option',
    poll_all: 'All groups',
    poll_rule: {
      individual: (n) => (n === 1 ? "1 answer counted: each participant's latest choice." : `${n} answers counted: each participant's latest choice.`),
      group: (n) => (n === 1 ? "1 group answer counted: each group's latest answer." : `${n} group answers counted: each group's latest answer.`),
    },
    poll_none: 'No choice yet.',
    poll_caption: (title) => `Poll results of ${title}, per group and for all groups`,

    // The hot wash: objectives, ratings and the improvement plan.
    not_rated: 'Not rated yet',
    consensus: (name) => `consensus, ${name}`,
    latest: (name) => `no consensus yet, latest: ${name}`,
    facilitator: 'Facilitator',
    strengths: 'Strengths:',
    areas: 'Areas for improvement:',
    evaluators: 'Every evaluator:',
    items: 'Improvement plan',
    capability: 'Capability:',
    owner: 'Owner:',
    proposed_by: (name) => `proposed by ${name}`,
    due: 'due',
    rating: {
      P: 'Performed without challenges',
      S: 'Performed with some challenges',
      M: 'Performed with major challenges',
      U: 'Unable to be performed',
    },
    cap: { planning: 'Planning', organisation: 'Organisation', equipment: 'Equipment', training: 'Training', exercise: 'Exercise' },
    status: { proposed: 'proposed', accepted: 'accepted', dropped: 'dropped' },

    // Downloads.
    preparing: (label) => `Preparing ${label}…`,
    no_printer: "No PDF printer on this server: use your browser's Print → Save as PDF.",
    print_failed: (label, why) => `${label}: this server cannot make PDFs, and the print view did not open (${why})`,
    no_export: 'this server has no report export',
    answered: (status) => `the server answered ${status}`,
    export_error: (code, message) => `${message} (${code})`,
    failed: (label, why) => `${label} failed: ${why}`,
    downloaded: (label) => `${label} downloaded`,
    unreachable_short: 'could not reach the server',
  },
  fr: {
    page_title: 'Retour à chaud — tabletop',
    debrief: 'Retour à chaud',
    debrief_of: (title) => `Retour à chaud — ${title}`,
    doc_title: (title) => `Retour à chaud — ${title}`,
    steps_nav: 'Étapes du retour à chaud',
    prev: '← Précédent',
    next: 'Suivant →',
    refresh: 'Actualiser',
    language: 'Langue',
    exports_nav: "Télécharger le rapport de retour d'expérience (RETEX)",
    report: 'Rapport RETEX\u00a0:',
    plan_alone: "Le plan d'amélioration seul",
    plan_csv: 'Plan CSV',
    plan_json: 'Plan JSON',
    answers_by: 'Réponses',
    attribute: 'Attribution des réponses',
    by_group: 'par groupe',
    with_names: 'avec les noms',
    print_hint: 'Ce serveur ne sait pas produire de PDF. Utilisez Imprimer → Enregistrer au format PDF de votre navigateur.',
    print_again: 'Imprimer…',
    print_close: 'Fermer',
    print_frame: 'Le rapport, prêt à imprimer',
    key_label: "Clé de l'animateur ou d'un évaluateur",
    key_submit: 'Ouvrir le retour à chaud',
    expected: 'Actions attendues',
    notes: 'Notes',
    objectives: 'Objectifs et cotations',
    all_objectives: 'Tous les objectifs',
    responses_title: "Les réponses d'un coup d'œil",
    responses_alt: 'Réponses',
    profile_title: 'Profil de maturité',
    profile_hint: "La salle et chaque secteur, tels que les montre le rapport attribué par groupe\u00a0: un secteur de moins de 3 répondants n'a pas de valeur.",
    radar_alt: 'Profil de maturité',
    heatmap_alt: 'Maturité par secteur',
    sa_title: 'Auto-évaluation',
    sa_example: '(Énoncés donnés en exemple.)',
    sa_open: 'Encore ouverte\u00a0: actualisez pour les dernières notes.',
    sa_mean: 'Moyenne',
    sa_raters: (n) => (n > 1 ? `${n} répondants` : `${n} répondant`),
    sa_statement: 'Énoncé',
    sa_spread: 'Étendue',
    sa_count: 'Nombre',

    no_exercise: "Aucun exercice indiqué\u00a0: ouvrez cette page sous la forme /debrief?exercise=<identifiant de l'exercice>.",
    unreachable: 'Le serveur est injoignable. Vérifiez la connexion, puis actualisez.',
    server_answered: (status) => `Le serveur a répondu ${status}.`,
    server_error: (code, message, status) => ({
      unauthorized: 'Clé refusée.',
      not_found: "Aucun exercice n'a cet identifiant.",
      unavailable: "Le serveur s'arrête\u00a0; réessayez dans un instant.",
      internal: 'Erreur interne du serveur.',
    })[code] || `Le serveur a répondu ${status} (${code}).`,
    key_refused: () => "Cette clé a été refusée. Saisissez la clé de l'animateur ou d'un évaluateur de cet exercice.",
    enter_key: "Saisissez la clé de l'animateur ou d'un évaluateur de cet exercice.",
    phase_live: (phase) => `Exercice ${({ lobby: 'pas encore commencé', running: 'en cours', paused: 'en pause' })[phase] || phase} — actualisez pour voir les nouvelles réponses`,
    phase_ended: 'Exercice terminé',

    no_inject: "Aucun stimulus n'a encore été diffusé.",
    to_all: 'Pour tous les groupes',
    to_groups: (names) => `Pour\u00a0: ${names}`,
    by_hand: 'diffusé à la main',
    released_because: (words) => `Diffusé car ${words}`,
    fired_by_facilitator: (words) => `Déclenché par l'animateur avant que sa condition soit remplie\u00a0: ${words}`,
    cancelled_title: 'Conditions annulées',
    cancelled_line: (words) => `\u00a0: ${words}`,
    not_targeted: '(non destinataire)',
    no_answer: 'Pas de réponse',
    unknown_author: 'Inconnu',
    note_objective: (id) => `objectif ${id}`,

    window: (minutes, until) => `Délai de réponse\u00a0: ${minutes}\u00a0min, jusqu'à ${until}`,
    timing: { on_time: 'à temps', late: 'en retard', none: 'sans réponse' },
    timing_counts: (c) => `${c.on_time} à temps · ${c.late} en retard · ${c.none} sans réponse`,
    late: 'en retard',
    contribution: 'contribution',
    contributions: (n) => `Contributions (${n})`,
    group_answer: 'La réponse du groupe',
    scribe: 'secrétaire',
    earlier: (n) => (n > 1 ? `${n} versions précédentes` : `${n} version précédente`),
    superseded: 'modifié ensuite',
    not_counted: 'aucune option choisie\u00a0: non compté',
    poll_title: 'Sondage\u00a0: les derniers choix',
    poll_option: 'Option',
    poll_all: 'Tous les groupes',
    poll_rule: {
      individual: (n) => (n > 1 ? `${n} réponses comptées\u00a0: le dernier choix de chaque participant.` : `${n} réponse comptée\u00a0: le dernier choix de chaque participant.`),
      group: (n) => (n > 1 ? `${n} réponses de groupe comptées\u00a0: la dernière réponse de chaque groupe.` : `${n} réponse de groupe comptée\u00a0: la dernière réponse de chaque groupe.`),
    },
    poll_none: 'Pas encore de choix.',
    poll_caption: (title) => `Résultats du sondage «\u00a0${title}\u00a0», par groupe et pour tous les groupes`,

    not_rated: 'Pas encore coté',
    consensus: (name) => `consensus, ${name}`,
    latest: (name) => `pas encore de consensus, dernière cotation\u00a0: ${name}`,
    facilitator: 'Animateur',
    strengths: 'Points forts\u00a0:',
    areas: "Axes d'amélioration\u00a0:",
    evaluators: 'Tous les évaluateurs\u00a0:',
    items: "Plan d'amélioration",
    capability: 'Capacité\u00a0:',
    owner: 'Pilote\u00a0:',
    proposed_by: (name) => `proposée par ${name}`,
    due: 'échéance',
    rating: {
      P: 'Réalisé sans difficulté',
      S: 'Réalisé avec quelques difficultés',
      M: 'Réalisé avec des difficultés majeures',
      U: 'Non réalisé',
    },
    cap: { planning: 'Planification', organisation: 'Organisation', equipment: 'Équipement', training: 'Formation', exercise: 'Exercices' },
    status: { proposed: 'proposée', accepted: 'acceptée', dropped: 'écartée' },

    preparing: (label) => `Préparation\u00a0: ${label}…`,
    no_printer: 'Ce serveur ne produit pas de PDF\u00a0: utilisez Imprimer → Enregistrer au format PDF de votre navigateur.',
    print_failed: (label, why) => `${label}\u00a0: ce serveur ne produit pas de PDF, et la vue d'impression ne s'est pas ouverte (${why})`,
    no_export: "ce serveur n'exporte pas de rapport",
    answered: (status) => `le serveur a répondu ${status}`,
    export_error: (code) => `refusé par le serveur (${code})`,
    failed: (label, why) => `${label}\u00a0: échec, ${why}`,
    downloaded: (label) => `${label}\u00a0: téléchargé`,
    unreachable_short: 'serveur injoignable',
  },
};

/** The debrief's words in the page's language. */
export const W = WORDS[lang];

/** A number with `digits` decimals (French: a decimal comma). */
export const number = (v, digits = 0) =>
  v.toLocaleString(LOCALE[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A share (0–1) as a whole percentage (French: « 25 % » with a narrow no-break space,
 *  written here: browsers' number formats differ on which space). */
export const percent = (share) => {
  const n = number(Math.round(share * 100));
  return lang === 'fr' ? `${n}\u202f%` : `${n}%`;
};

/** A `YYYY-MM-DD` date written out (« 31 mars 2026 », "31 March 2026") with no-break
 *  spaces; other text as is. */
export function date(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || '');
  if (!m) return ymd || '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const written = new Intl.DateTimeFormat(LOCALE[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
  return written.replace(/ /g, '\u00a0'); // one date, one line
}

/** Whole minutes of a duration in ms (an answer window). */
export const minutes = (ms) => number(Math.round(ms / 60_000));

/** Writes the page's static words: `data-w="key"` sets an element's text,
 *  `data-w-<attribute>="key"` one of its attributes; sets `<html lang>` and the title. */
export function translatePage(root = document) {
  document.documentElement.lang = lang;
  document.title = W.page_title;
  for (const el of root.querySelectorAll('[data-w]')) el.textContent = W[el.dataset.w];
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith('data-w-')) el.setAttribute(attr.slice(7), W[el.getAttribute(attr)]);
    }
  }
}
