// console-words-conditions.js: the words of the console's conditional injects (the
// Conditions card, the plan's "conditional" rows, Fire now and Cancel and their
// confirmation), English and French side by side; merged into the console's table by
// console-words.js. French: « stimulus » for an inject, « animateur », a condition is
// « remplie », a fired one « déclenchée ».

/** The conditions words: `one` chooses plurals, `S` is the space before « : ; ? ! ». */
export function conditionWords(one, S) {
  const q = (t) => `«\u202f${t}\u202f»`; // French quotes around a title
  return {
    conditions_title: ['Conditional injects', 'Stimulus conditionnels'],
    conditions_hint: [
      'Each goes out by itself when its condition holds. Fire now releases it at once; Cancel leaves it to release or skip by hand.',
      `Chacun part de lui-même quand sa condition est remplie. Déclencher le diffuse aussitôt${S}; Annuler le laisse à diffuser ou écarter à la main.`,
    ],
    conditions_armed: [
      (v) => `${v.n} armed`,
      (v) => `${v.n} en attente`,
    ],
    conditional: ['conditional', 'conditionnel'],
    con_conditional: ['Conditional inject (released when its condition holds), to {groups}', `Stimulus conditionnel (diffusé quand sa condition est remplie) — destinataires${S}: {groups}`],
    cond_status_armed: ['armed', 'en attente'],
    cond_status_fired: ['fired', 'déclenchée'],
    cond_status_cancelled: ['cancelled', 'annulée'],
    cond_status_overtaken: ['overtaken', 'devancée'],
    cond_fires_in: ['fires in {left}', 'se déclenche dans {left}'],
    cond_waiting: ['waiting for groups', 'en attente des groupes'],
    cond_never: ['can no longer hold by itself: fire it, release it or skip it by hand', `ne peut plus être remplie d'elle-même${S}: déclenchez-la, ou diffusez ou écartez le stimulus à la main`],
    cond_fired_at: ['fired at {time}', 'déclenchée à {time}'],
    cond_fired_by_hand: ['fired at {time} by the facilitator', "déclenchée à {time} par l'animateur"],
    cond_cancelled_at: ['cancelled at {time}: release or skip it by hand', `annulée à {time}${S}: diffusez ou écartez le stimulus à la main`],
    cond_cancelled: ['cancelled at {time}', 'annulée à {time}'],
    cond_overtaken: ['overtaken: released or skipped by hand first', 'devancée\u00a0: diffusé ou écarté à la main avant'],
    part_holds: ['holds', 'remplie'],
    part_waiting: ['waiting', 'en attente'],
    part_counting: ['holds in {left}', 'remplie dans {left}'],
    part_never: ['can no longer hold', 'ne peut plus être remplie'],
    cond_parts: ['Its parts', 'Ses éléments'],
    fire_now: ['Fire now', 'Déclencher'],
    fire_now_label: [(v) => `Fire now: release “${v.title}”`, (v) => `Déclencher maintenant${S}: diffuser ${q(v.title)}`],
    cancel_condition: ['Cancel', 'Annuler'],
    cancel_condition_label: [(v) => `Cancel the condition of “${v.title}”`, (v) => `Annuler la condition de ${q(v.title)}`],
    confirm_cancel_condition: [
      (v) => `Cancel the condition of “${v.title}”? It will no longer go out by itself; you can still release or skip it by hand.`,
      (v) => `Annuler la condition de ${q(v.title)}${S}? Il ne partira plus de lui-même${S}; vous pourrez toujours le diffuser ou l'écarter à la main.`,
    ],
    cancel_condition_yes: ['Cancel the condition', 'Annuler la condition'],
    keep_condition: ['Keep it armed', 'La garder en attente'],
    cond_sending: ['Sending…', 'Envoi…'],
  };
}
