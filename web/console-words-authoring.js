// console-words-authoring.js: the words of the console's scenario authoring card (upload,
// check, preview, save, reload), English and French side by side; merged into the
// console's table by console-words.js. French: « stimulus » for an inject, « animateur ».

/** The authoring words: `one` chooses plurals, `S` is the space before « : ; ? ! ». */
export function authoringWords(one, S) {
  return {
    author_heading: ['Check, preview and upload a scenario', 'Vérifier, prévisualiser et importer un scénario'],
    author_hint: [
      'A scenario file is checked before anything is saved; the scenarios folder is reloaded when its files change. An MSEL spreadsheet (CSV) completes the scenario chosen above, or makes a new one.',
      "Un fichier de scénario est vérifié avant tout enregistrement\u00a0; le dossier des scénarios est relu dès qu'un fichier change. Un tableur MSEL (CSV) complète le scénario choisi ci-dessus, ou en crée un nouveau.",
    ],
    upload_label: ['Upload scenario (TOML, JSON, CSV)', 'Importer un scénario (TOML, JSON, CSV)'],
    reload_scenarios: ['Reload', 'Relire le dossier'],
    save_scenario: ['Save to scenarios', 'Enregistrer dans les scénarios'],
    preview_of: ['Preview:', `Aperçu${S}:`],
    preview_title: ['Preview: {title}', `Aperçu${S}: {title}`],
    checking: ['Checking {file}…', 'Vérification de {file}…'],
    reloading: ['Reading the scenarios folder…', 'Lecture du dossier des scénarios…'],
    reloaded: [
      (v) => `Reloaded: ${v.n} scenario${one(v.n) ? '' : 's'}.`,
      (v) => `Dossier relu${S}: ${v.n} scénario${one(v.n) ? '' : 's'}.`,
    ],
    upload_problems: [
      (v) => `${v.file} has ${v.n} problem${one(v.n) ? '' : 's'}; nothing was saved.`,
      (v) => `${v.file} a ${v.n} problème${one(v.n) ? '' : 's'}${S}; rien n'a été enregistré.`,
    ],
    upload_ok: ['{file} is valid. Check the preview, then save it.', `{file} est valide. Vérifiez l'aperçu, puis enregistrez-le.`],
    saved_as: ['Saved as {file}: it is in the list above.', `Enregistré sous {file}${S}: il figure dans la liste ci-dessus.`],
    folder_problems: ['Files in the scenarios folder that could not be loaded:', `Fichiers du dossier des scénarios qui n'ont pas pu être chargés${S}:`],
    lanes_caption: [
      'Schedule per group: a block per inject at its T+ (its questions, then its title), as wide as its answer window (paler: no window); hatched: a long wait.',
      'Déroulé par groupe\u00a0: un bloc par stimulus à son T+ (ses questions, puis son titre), aussi large que son délai de réponse (plus pâle\u00a0: sans délai)\u00a0; hachuré\u00a0: une longue attente.',
    ],
    lanes_label: ['Schedule per group over play time', 'Déroulé par groupe sur le temps de jeu'],
    col_group: ['Group', 'Groupe'],
    col_injects: ['Injects', 'Stimulus'],
    col_questions: ['Questions', 'Questions'],
    col_longest_wait: ['Longest wait', 'Plus longue attente'],
    minutes: ['{n} min', `{n}${S}min`],
    long_waits: ['Idle gaps longer than {n} min', `Attentes de plus de {n}${S}min`],
    no_long_waits: ['No group waits too long.', 'Aucun groupe n\u2019attend trop longtemps.'],
    wait_between: ['{group}: {n} min from T+{from} to T+{to}', `{group}${S}: {n}${S}min de T+{from} à T+{to}`],
    objectives_heading: ['Objectives', 'Objectifs'],
    served_by: ['served by {injects}', 'couvert par {injects}'],
    not_served: ['not served', 'non couvert'],
    contingency_heading: ['Contingency injects (released by hand)', 'Stimulus de réserve (diffusés à la main)'],
    conditional_heading: ['Conditional injects (released when…)', 'Stimulus conditionnels (diffusés quand…)'],
    none: ['None.', 'Aucun.'],
    warnings_heading: ['Warnings', 'Avertissements'],
    no_warnings: ['No warning.', 'Aucun avertissement.'],
    inject_block: ['{title} · T+{at} · {q} question(s)', '{title} · T+{at} · {q} question(s)'],
  };
}
