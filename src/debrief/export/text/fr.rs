//! The report's words in French, as exercise practitioners write them: an inject is a
//! *stimulus*, the after-action report a *rapport de retour d'expérience (RETEX)*, the
//! improvement plan a *plan d'amélioration*, a rating a *cotation* (P/S/M/U kept), a
//! capability element a *capacité* (a *domaine* is one of the resilience domains, the
//! groups), strengths and areas for improvement *points forts* and *axes
//! d'amélioration*, an improvement item an *action* (feminine), its owner the *pilote*.
//!
//! Typography: a non-breaking space (U+00A0) before `:`, a narrow one (U+202F) before
//! `;` and inside « »; after a colon, lower case.

use super::Words;
use crate::lang::Lang;

/// French.
pub static FR: Words = Words {
    lang: Lang::Fr,
    report: "Rapport de retour d'expérience (RETEX)",
    report_and_plan: "Rapport de retour d'expérience (RETEX) et plan d'amélioration",
    in_progress: "En cours",

    executive_summary: "Synthèse",
    overview: "Présentation de l'exercice",
    timeline: "Chronologie",
    analysis: "Analyse des objectifs",
    general_notes: "Notes générales",
    self_assessment: "Auto-évaluation",
    domains: "Points forts et axes d'amélioration par domaine",
    improvement_plan: "Annexe A\u{a0}: plan d'amélioration",
    participants_appendix: "Annexe B\u{a0}: participants",

    exercise: "Exercice",
    scenario: "Scénario",
    date: "Date",
    started: "Début",
    not_started: "pas encore commencé",
    status: "Statut",
    planned_duration: "Durée prévue",
    play_time: "Temps de jeu",
    participants: "Participants",
    objectives: "Objectifs",
    groups: "Groupes",

    group: "Groupe",
    participant: "Participant",
    answer: "Réponse",
    questions_asked: "Questions posées",
    all_target_groups: "Tous les groupes",
    expected_actions: "Actions attendues",
    handouts: "Documents remis",
    no_answer: "pas de réponse",
    no_inject: "Aucun stimulus n'a été diffusé.",
    skipped_injects: "Stimuli écartés",
    notes: "Notes",
    responses: "Vue d'ensemble des réponses",
    late: "en retard",
    contribution: "Contribution",
    poll_results: "Résultats du sondage",

    rating: "Cotation",
    not_rated: "pas encore coté",
    no_rating: "aucune pour l'instant",
    strengths: "Points forts",
    areas_for_improvement: "Axes d'amélioration",
    evaluator_ratings: "Cotation de chaque évaluateur",
    no_consensus: "Pas encore de consensus\u{a0}: c'est la cotation du dernier évaluateur. L'animateur cote \
                   l'objectif pour arrêter la cotation consensuelle.",
    consensus: "consensus",

    example_statements: "Les énoncés sont des exemples fournis avec le scénario, et non un instrument d'évaluation \
                         validé.",
    statement: "Énoncé",
    mean: "Moyenne",
    min: "Min",
    max: "Max",
    count: "Nombre",
    mean_of_5: "Moyenne sur 5",
    min_max: "Min–max",
    scores: "Notes de 1 à 5",
    no_score: "aucune note",
    maturity_profile: "Profil de maturité",
    by_sector: "Maturité par secteur",
    fewer_than_3: "moins de 3",
    small_cells: "Les valeurs issues de moins de 3 répondants ne sont pas affichées\u{a0}: on ne peut ainsi en \
                  déduire les réponses d'aucune organisation.",
    who: "Qui",
    raters: "Répondants",

    no_summary_text: "L'animateur n'a pas encore rédigé la synthèse.",
    key_figures: "Chiffres clés",
    first_answer: "Délai médian de première réponse",
    top_items: "Actions d'amélioration prioritaires",
    objective_ratings: "Cotation des objectifs",
    room_maturity: "Maturité de la salle (moyenne de 1 à 5)",
    observations: "Observations",
    nothing_noted: "Rien n'a été relevé pour ce domaine.",

    no_plan_item: "Aucune action d'amélioration pour l'instant.",
    proposed: "(proposée)",
    observers: "Observateurs",
    names: "Noms",
    who_was_there: "Qui était présent",
    sector: "Secteur",
    organisation: "Organisation",
    organisations: "Organisations",
    counted_not_named: "Les réponses sont attribuées aux groupes, non aux personnes\u{a0}: les participants sont ici \
                        comptés, sans être nommés.",

    marking: "Marquage",
    organiser: "Organisateur",
    venue: "Lieu / plateforme",

    rating_legend: [
        ("P", "réalisé sans difficulté"),
        ("S", "réalisé avec quelques difficultés"),
        ("M", "réalisé avec des difficultés majeures"),
        ("U", "non réalisé"),
    ],
    evaluator_columns: ["Évaluateur", "Cotation", "Points forts", "Axes d'amélioration"],
    plan_columns: [
        "N°",
        "Problème",
        "Action corrective",
        "Domaine",
        "Capacité",
        "Organisation responsable",
        "Pilote",
        "Date de début",
        "Date d'achèvement",
        "Priorité",
        "Statut",
        "Votes",
    ],
    plan_csv_header: [
        "N°",
        "Identifiant",
        "Statut dans le plan",
        "Identifiant du domaine",
        "Domaine",
        "Capacité",
        "Problème",
        "Action corrective",
        "Organisation responsable",
        "Pilote",
        "Date de début",
        "Date d'achèvement",
        "Priorité",
        "Statut",
        "Votes",
        "Proposée par",
    ],
};
