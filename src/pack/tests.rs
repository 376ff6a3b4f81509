//! The pack's HTML from the shipped DFS scenario: what the participant pages withhold,
//! what the facilitator guide holds, one card per inject and group, French words, and
//! escaping.

use super::*;
use crate::scenario::load::load_file;

fn dfs() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/dfs-salary-tide.toml");
    load_file(&path).expect("the shipped scenario loads")
}

/// The HTML of one document: from its `<section>` to the next `</section>`.
fn section(html: &str, d: Document) -> &str {
    let start =
        html.find(&format!("data-doc=\"{}\"", d.name())).unwrap_or_else(|| panic!("no {} in the pack", d.name()));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn pack(s: &Scenario, lang: Option<Lang>) -> String {
    render(s, &PackOptions { lang, ..PackOptions::default() })
}

/// What the page shows for a text: typeset in `lang` and escaped, as written.
fn shown(text: &str, lang: Lang) -> String {
    crate::charts::escape(&lang.typeset(text.trim()))
}

#[test]
fn participant_pages_hold_no_expected_action_and_no_facilitator_note() {
    let s = dfs();
    for lang in Lang::ALL {
        let html = pack(&s, Some(lang));
        let read = s.in_lang(lang);
        let guide = section(&html, Document::Guide);
        let participant = [section(&html, Document::Cards), section(&html, Document::Handouts)];
        let mut withheld = 0;
        for inj in &read.injects {
            let secrets = inj.expected_actions.iter().map(|a| a.as_str()).chain(inj.facilitator_notes.as_deref());
            for secret in secrets {
                let secret = shown(secret, lang);
                assert!(guide.contains(&secret), "the guide holds {secret:?}");
                for page in participant {
                    assert!(!page.contains(&secret), "a participant page holds {secret:?}");
                }
                withheld += 1;
            }
        }
        assert!(withheld > 10, "the scenario has secrets to withhold ({withheld})");
    }
}

#[test]
fn a_card_holds_only_its_groups_questions() {
    let s = dfs();
    let html = pack(&s, None);
    let cards = section(&html, Document::Cards);
    for inj in &s.injects {
        for g in s.target_groups(inj) {
            let marker = format!("data-inject=\"{}\" data-group=\"{}\"", inj.id, g.id);
            let start = cards.find(&marker).unwrap_or_else(|| panic!("no card for {marker}"));
            let end = cards[start..].find("</article>").unwrap() + start;
            let card = &cards[start..end];
            for q in inj.questions_for(&g.id) {
                assert!(card.contains(&shown(&q, s.language)), "{marker} asks {q:?}");
            }
            for other in s.target_groups(inj).filter(|o| o.id != g.id) {
                for q in inj.questions.get(&other.id).map(|q| q.strings()).unwrap_or_default() {
                    assert!(!card.contains(&shown(&q, s.language)), "{marker} holds {}'s question {q:?}", other.id);
                }
            }
        }
    }
}

#[test]
fn one_card_per_inject_and_targeted_group_and_every_title_in_the_guide() {
    let s = dfs();
    let html = pack(&s, None);
    let expected: usize = s.injects.iter().map(|i| s.target_groups(i).count()).sum();
    assert_eq!(section(&html, Document::Cards).matches("<article class=\"page card\"").count(), expected);
    assert_eq!(section(&html, Document::Handouts).matches("<article class=\"page handout\"").count(), s.groups.len());
    let guide = section(&html, Document::Guide);
    for inj in &s.injects {
        assert!(guide.contains(&shown(&inj.title, s.language)), "the guide names {}", inj.id);
    }
    assert!(guide.contains("contingency (released by hand)"), "contingency injects say so");
    assert!(section(&html, Document::Evaluator).contains("Performed with major challenges"));
}

#[test]
fn french_pack_has_french_words_and_french_text() {
    let s = dfs();
    let html = pack(&s, Some(Lang::Fr));
    assert!(html.starts_with("<!doctype html>\n<html lang=\"fr\">"));
    for word in
        ["Guide de l&#39;animateur", "Fiche de stimulus", "Réservé à l&#39;équipe d&#39;animation", "Non réalisé"]
    {
        assert!(html.contains(word), "{word}");
    }
    assert!(html.contains("\"Page \" counter(page) \" sur \" counter(pages)"));
    assert!(html.contains(&shown(&s.in_lang(Lang::Fr).injects[0].title, Lang::Fr)));
    assert!(!html.contains("Facilitator guide"));
}

#[test]
fn scenario_text_is_escaped() {
    let mut s = dfs();
    s.title = crate::scenario::Text::plain("<script>alert(1)</script>");
    s.injects[0].title = crate::scenario::Text::plain("<img src=x onerror=alert(1)>");
    s.report.marking = "TLP:RED\"; } </style><script>x</script>".into();
    let html = pack(&s, Some(Lang::En));
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img src=x"), "no injected element");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn only_prints_the_documents_asked_and_the_join_address_when_known() {
    let s = dfs();
    let documents = Documents::parse("cards,handouts").unwrap();
    let options =
        PackOptions { documents, join_url: Some("https://tt.example/join/ABCD-1234".into()), ..PackOptions::default() };
    let html = render(&s, &options);
    assert!(!html.contains("data-doc=\"guide\"") && !html.contains("data-doc=\"evaluator\""));
    assert!(!html.contains("data-doc=\"sitman\""));
    assert!(html.contains("https://tt.example/join/ABCD-1234") && html.contains("<svg"));
    assert_eq!(Documents::parse("participants").unwrap(), Documents::parse("handouts, cards").unwrap());
    assert!(Documents::parse("secrets").is_err());
    assert!(pack(&s, None).contains("The facilitator gives you the address"));
}

#[test]
fn times_read_as_play_minutes_and_clock() {
    assert_eq!(play_time(8.0), "T+08");
    assert_eq!(play_time(7.5), "T+7.5");
    assert_eq!(clock_time(parse_start("11:18").unwrap(), 24.0), "11:42");
    assert_eq!(clock_time(parse_start("23:50").unwrap(), 20.0), "00:10");
    assert!(parse_start("25:00").is_err() && parse_start("noon").is_err());
    let s = dfs();
    let html = render(&s, &PackOptions { start_minutes: Some(11 * 60 + 18), ..PackOptions::default() });
    assert!(section(&html, Document::Guide).contains("<td class=\"time\">11:26</td>"), "module 2 at T+8");
}

#[test]
fn conditions_are_in_the_facilitator_guide_in_plain_words_and_on_no_participant_page() {
    let s = dfs();
    for lang in Lang::ALL {
        let html = pack(&s, Some(lang));
        let read = s.in_lang(lang);
        let guide = section(&html, Document::Guide);
        let others = [Document::Sitman, Document::Cards, Document::Handouts].map(|d| section(&html, d));
        let conditional: Vec<&Inject> = read.injects.iter().filter(|i| i.when.is_some()).collect();
        assert!(conditional.len() >= 2, "the DFS session has conditional injects");
        for inj in conditional {
            let words = shown(&inj.when.as_ref().unwrap().describe(&read, lang), lang);
            assert!(guide.contains(&words), "{lang:?}: the guide says {words:?}");
            for page in others {
                assert!(!page.contains(&words), "{lang:?}: a participant page says {words:?}");
            }
            // The SITMAN does not name injects outside the schedule.
            assert!(!others[0].contains(&shown(&inj.title, lang)), "the SITMAN names {:?}", inj.title.as_str());
        }
        let w = Words::of(lang);
        assert!(guide.contains(&shown(w.conditional, lang)), "the run of show says conditional");
        assert!(others[0].contains(&shown(w.unscheduled, lang)));
    }
}
