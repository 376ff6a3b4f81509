//! The phrases in both languages: English as it always read, French with its plural
//! rule, word order and typography.

use super::*;

/// A non-breaking space and a narrow one, spelt out so the expectations read.
const NB: char = '\u{a0}';
const NN: char = '\u{202f}';

#[test]
fn utc_reads_as_date_and_time() {
    assert_eq!(EN.human_utc("2026-11-25T11:10:00.000Z"), "2026-11-25 11:10:00 UTC");
    assert_eq!(FR.human_utc("2026-11-25T11:10:00.000Z"), format!("25{NB}novembre 2026 à 11:10:00 UTC"));
    assert_eq!(FR.human_utc("soon"), "soon");
}

#[test]
fn phrases_read_as_sentences() {
    assert_eq!(sentence_case("from"), "From");
    assert_eq!(sentence_case(""), "");
    assert_eq!(EN.skipped("Partner", "T+02:01"), "Partner (skipped at T+02:01)");
    assert_eq!(EN.about_inject(None, "Partner"), "inject Partner");
    assert_eq!(
        EN.release("T+00:00", "now", "released by hand", Some("Ops"), "A, B"),
        "T+00:00 · now · released by hand · from Ops · to A, B"
    );
    assert_eq!(EN.note_context("observer", "T+01:00", &[]), "observer, T+01:00");
    assert_eq!(EN.mean_score(None), DASH);
    assert_eq!(EN.sender_line("Ops"), "From: Ops");
}

#[test]
fn french_phrases_put_words_in_french_order_with_french_spaces() {
    assert_eq!(FR.report_title("Salary Tide"), format!("Rapport de retour d'expérience (RETEX){NB}: Salary Tide"));
    assert_eq!(FR.inject(3, "Rançongiciel"), "Stimulus 3 — Rançongiciel");
    assert_eq!(FR.skipped("Partenaire", "T+02:01"), "Partenaire (écarté à T+02:01)");
    assert_eq!(
        FR.release("T+00:00", "maintenant", FR.released_by(true), Some("Ops"), "A, B"),
        format!("T+00:00 · maintenant · diffusé manuellement · émetteur{NB}: Ops · destinataires{NB}: A, B")
    );
    assert_eq!(FR.sender_line("Ops"), format!("Émetteur{NB}: Ops"));
    assert_eq!(
        FR.note_context("observer", "T+01:00", &[FR.about_inject(Some(1), "Alerte"), FR.about_objective("o1")]),
        "observateur, T+01:00, concernant le stimulus 1 Alerte, l'objectif o1"
    );
    assert_eq!(FR.note_context("facilitator", "T+01:00", &[]), "animateur, T+01:00");
    assert_eq!(FR.note("**Awa**", "observateur, T+01:00", "Vite"), format!("**Awa** (observateur, T+01:00){NB}: Vite"));
    assert_eq!(FR.ended("25 novembre"), "Terminé le 25 novembre");
    assert_eq!(FR.date_utc("2026-11-25"), format!("25{NB}novembre 2026 (UTC)"));
    assert_eq!(FR.minutes(50), format!("50{NB}min"));
    assert_eq!(FR.rated_by("Animateur"), format!("évaluateur{NB}: Animateur"));
    assert_eq!(
        FR.rating_legend(|l| format!("**{l}**")),
        format!(
            "Échelle de cotation — **P**{NB}: réalisé sans difficulté · **S**{NB}: réalisé avec quelques \
             difficultés · **M**{NB}: réalisé avec des difficultés majeures · **U**{NB}: non réalisé."
        )
    );
    assert_eq!(
        FR.in_progress_since("hier", "T+05:00"),
        format!("l'exercice n'est pas terminé{NN}; ce rapport reflète le journal au hier (T+05:00).")
    );
}

#[test]
fn french_counts_take_the_singular_for_zero_and_one_and_agree() {
    assert_eq!(
        FR.key_counts(4, 2, 2, 1, 5),
        format!("4 participants issus de 2 organisations{NN}; 2 stimuli diffusés (1 écarté){NN}; 5 réponses.")
    );
    assert_eq!(
        FR.key_counts(1, 0, 1, 2, 0),
        format!("1 participant issu de 0 organisation{NN}; 1 stimulus diffusé (2 écartés){NN}; 0 réponse.")
    );
    assert_eq!(EN.key_counts(1, 0, 1, 0, 0), "1 participant from 0 organisations; 1 inject released; 0 answers.");
    assert_eq!(FR.injects(&[1]), format!("Stimulus{NB}: 1"));
    assert_eq!(FR.injects(&[1, 3]), format!("Stimuli{NB}: 1, 3"));
    assert_eq!(EN.injects(&[1]), "Injects: 1", "English reads as it always did");
    assert_eq!(
        FR.first_answer("Risque", Some(37_000), 2, 2),
        format!("Risque{NB}: 0{NB}min{NB}37{NB}s (réponse à 2 stimuli sur 2)")
    );
    assert_eq!(
        FR.first_answer("Risque", Some(125_000), 1, 2),
        format!("Risque{NB}: 2{NB}min{NB}5{NB}s (réponse à 1 stimulus sur 2)")
    );
    assert_eq!(FR.first_answer("Tests", None, 0, 2), format!("Tests{NB}: aucune réponse (0 sur 2 stimuli)"));
    assert_eq!(FR.first_answer("Tests", None, 0, 0), format!("Tests{NB}: aucun stimulus reçu"));
    assert_eq!(EN.first_answer("Risk", Some(37_000), 2, 2), "Risk: 0:37 (answered 2 of 2 injects)");
    assert_eq!(
        FR.objective_rating("respond", Some("P"), true, 1),
        format!("respond{NB}: P (consensus{NN}; 1 évaluateur)")
    );
    assert_eq!(
        FR.objective_rating("learn", Some("M"), false, 2),
        format!("learn{NB}: M (pas encore de consensus{NN}; 2 évaluateurs)")
    );
    assert_eq!(FR.objective_rating("learn", None, false, 0), format!("learn{NB}: pas encore coté"));
    assert_eq!(FR.top_item("Écrire", "Incident", "", 1, Some("Élevée")), "Écrire (Incident, priorité élevée, 1 vote)");
    assert_eq!(
        FR.response_counts("**Risque**", 1, 0, 0),
        format!("**Risque**{NB}: 1 à temps, 0 en retard, 0 sans réponse (sur 1 envoyé)")
    );
    assert_eq!(FR.sector_count("Banque", 3, 1), format!("Banque{NB}: 3 participants, 1 organisation"));
}

#[test]
fn french_adoption_agrees_with_the_number_of_voters() {
    let voted = |n| FR.adoption(n, 3);
    assert_eq!(
        voted(0),
        format!("Tableau d'adoption{NB}: aucun participant n'a choisi de priorité (jusqu'à 3 priorités chacun).")
    );
    assert_eq!(
        voted(1),
        format!(
            "Tableau d'adoption{NB}: 1 participant a choisi jusqu'à 3 priorités{NN}; la colonne Votes les décompte."
        )
    );
    assert_eq!(
        voted(12),
        format!(
            "Tableau d'adoption{NB}: 12 participants ont choisi chacun jusqu'à 3 priorités{NN}; la colonne Votes les \
             décompte."
        )
    );
}

#[test]
fn french_figures_have_a_decimal_comma() {
    assert_eq!(FR.cell(Some(3.25), 4), format!("3,25 (n{NB}={NB}4)"));
    assert_eq!(EN.cell(Some(3.25), 4), "3.25 (n 4)");
    assert_eq!(FR.cell(None, 2), "moins de 3");
    assert_eq!(FR.cell(None, 0), DASH);
    assert_eq!(FR.domain_mean("Risque", None, 2), format!("Risque{NB}: moins de 3 répondants"));
    assert_eq!(FR.domain_mean("Risque", Some(2.5), 12), format!("Risque{NB}: 2,50 (n{NB}={NB}12)"));
    assert_eq!(FR.raters(2, Some(3.0)), format!("(répondants{NB}: 2, moyenne 3,00)"));
    assert_eq!(FR.mean_of(3.5), "moyenne 3,50 sur 5");
    assert_eq!(FR.plan_items(&[1, 3]), format!("Plan d'amélioration (annexe A){NB}: n°{NB}1, n°{NB}3"));
    assert_eq!(FR.number(12_000), format!("12{NN}000"));
}

#[test]
fn every_french_colon_semicolon_and_guillemet_has_its_space() {
    // Each fixed word of the French table, and each phrase with its separators.
    let mut texts: Vec<String> = FR.labels().into_iter().map(|(_, t)| t.to_owned()).collect();
    texts.extend([
        FR.key_counts(2, 2, 2, 2, 2),
        FR.adoption(2, 3),
        FR.footer(12, "hier"),
        FR.scale(&["1 Inexistant".into()]),
        FR.score_counts(&[0, 1, 2, 3, 4]),
        FR.rating_legend(str::to_owned),
        FR.in_progress_since("hier", "T+01:00"),
    ]);
    for text in texts {
        for (i, c) in text.char_indices() {
            let before = text[..i].chars().next_back();
            let after = text[i + c.len_utf8()..].chars().next();
            let in_a_time =
                c == ':' && before.is_some_and(|b| b.is_ascii_digit()) && after.is_some_and(|a| a.is_ascii_digit());
            if matches!(c, ':' | ';' | '?' | '!' | '»') && !in_a_time {
                assert!(matches!(before, Some(NB | NN)), "no non-breaking space before {c:?} in {text:?}");
            }
            if c == '«' {
                assert!(matches!(after, Some(NB | NN)), "no non-breaking space after « in {text:?}");
            }
        }
    }
}

#[test]
fn the_tables_differ_where_the_languages_do() {
    // Words spelt the same in both languages: these and nothing else.
    let same = ["Date", "Participants", "Participant", "Notes", "Observations", "Min", "Max", "Min–max", "consensus"];
    let same = [&same[..], &["Organisation", "Organisations", "Votes", "Contribution"]].concat();
    let french: Vec<&str> = FR.labels().into_iter().map(|(_, t)| t).collect();
    for (name, english) in EN.labels() {
        assert_eq!(french.contains(&english), same.contains(&english), "{name}: {english:?}");
    }
    assert_eq!(EN.labels().len(), FR.labels().len());
    assert_eq!(Words::of(Lang::Fr).lang, Lang::Fr);
    assert_eq!(Words::of(Lang::En).lang, Lang::En);
}
