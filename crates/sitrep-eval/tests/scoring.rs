//! Scoring on small hand-made gold/prediction pairs whose P/R/F1 are worked out by hand.

use chrono::NaiveDate;
use sitrep_core::{ActorRef, Event, EventType, Evidence, Status};
use sitrep_eval::score::{evaluate, Level, Scores};
use sitrep_eval::{collect_errors, parse_gold};

fn actor(code: &str) -> ActorRef {
    let mut parts = code.split(' ');
    let country = parts.next().unwrap_or("");
    ActorRef::new(code, country, parts.next().unwrap_or(""), "")
}

fn ev(t: EventType, src: &[&str], tgt: &[&str]) -> Event {
    Event {
        id: String::new(),
        doc_id: String::new(),
        date: NaiveDate::from_ymd_opt(2001, 1, 1).unwrap(),
        date_precision: Default::default(),
        event: t,
        mode: String::new(),
        context: Vec::new(),
        cameo: t.default_cameo().to_string(),
        goldstein: 0.0,
        quad_class: t.quad_class(),
        source: src.iter().map(|c| actor(c)).collect(),
        target: tgt.iter().map(|c| actor(c)).collect(),
        status: Status::Asserted,
        location: None,
        quantities: Vec::new(),
        evidence: Evidence {
            sentence: String::new(),
            start: 0,
            end: 0,
            trigger: "w".into(),
            trigger_start: 0,
            trigger_end: 0,
            rule: format!("test/{}", t.as_str().to_lowercase()),
            also: Vec::new(),
        },
        confidence: 1.0,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// Five documents of my own: a compound source without target, a legacy FIGHT label predicted
// twice, a wrong source country next to a wrong type, an accepted alternative type with a
// status, and an event the coder missed.
const GOLD: &str = r#"
{"id":"A","date":"2001-01-01","text":"Hungarian and Romanian ministers agreed to open a joint border post.","event":"AGREE","source":[{"actorText":"Hungarian","code":"HUN","sector":"GOV"},{"actorText":"Romanian","code":"ROU"}],"target":""}
{"id":"B","date":"2001-01-01","text":"Israeli artillery shelled villages in southern Lebanon.","event":"FIGHT","source":[{"actorText":"Israeli artillery","code":"ISR","sector":"MIL"}],"target":[{"actorText":"Lebanon","code":"LBN"}]}
{"id":"C","date":"2001-01-01","text":"Ivorian rebels turned down a Senegalese peace offer.","event":"REJECT","source":[{"actorText":"Ivorian rebels","code":"CIV REB"}],"target":[{"actorText":"Senegalese","code":"SEN"}]}
{"id":"D","date":"2001-01-01","text":"Washington pressed Israel to hold off its offensive.","event":"DEMAND","event_accept":["DEMAND","APPEAL"],"status":"planned","status_accept":["planned","intended"],"source":[{"actorText":"Washington","code":"USA GOV"}],"target":[{"actorText":"Israel","code":"ISR"}]}
{"id":"E","date":"2001-01-01","text":"The United States froze Iranian assets.","event":"SANCTION","source":[{"actorText":"United States","code":"USA"}],"target":[{"actorText":"Iranian","code":"IRN"}]}
"#;

fn scored() -> (Scores, Vec<sitrep_eval::DocErrors>) {
    let docs = parse_gold("hand.jsonl", GOLD).unwrap();
    let mut appeal = ev(EventType::Appeal, &["USA GOV"], &["ISR"]);
    appeal.status = Status::Intended;
    let preds = vec![
        vec![ev(EventType::Agree, &["ROU GOV"], &["HUN"])],
        vec![
            ev(EventType::Assault, &["ISR MIL"], &["LBN"]),
            ev(EventType::Assault, &["ISR MIL"], &["LBN"]),
        ],
        vec![
            ev(EventType::Reject, &["FRA"], &["SEN"]),
            ev(EventType::Threaten, &["CIV"], &["SEN"]),
        ],
        vec![appeal],
        vec![],
    ];
    let (s, outcomes) = evaluate(&docs, &preds);
    (s, collect_errors(&docs, &preds, &outcomes))
}

#[test]
fn type_level_counts_duplicates_as_false_alarms() {
    let (s, _) = scored();
    let l = &s.levels[Level::Type as usize];
    assert_eq!((l.gold, l.predicted, l.true_positives), (5, 6, 4));
    assert!(close(l.precision, 4.0 / 6.0));
    assert!(close(l.recall, 0.8));
    assert!(close(l.f1, 2.0 * (4.0 / 6.0) * 0.8 / (4.0 / 6.0 + 0.8)));
    let assault = &l.per_type[&EventType::Assault];
    assert_eq!(
        (
            assault.gold,
            assault.found,
            assault.predicted,
            assault.right
        ),
        (1, 1, 2, 1)
    );
    assert!(close(assault.f1, 2.0 / 3.0));
    // the accepted APPEAL is a right REQUEST; APPEAL itself never shows
    let request = &l.per_type[&EventType::Request];
    assert_eq!(
        (
            request.gold,
            request.found,
            request.predicted,
            request.right
        ),
        (1, 1, 1, 1)
    );
    assert!(!l.per_type.contains_key(&EventType::Appeal));
    // AGREE, REQUEST, REJECT 1; ASSAULT 2/3; THREATEN (false alarm) and SANCTION (miss) 0
    assert_eq!(l.per_type.len(), 6);
    assert!(close(l.macro_f1, (3.0 + 2.0 / 3.0) / 6.0));
}

#[test]
fn source_level_needs_one_shared_country_of_a_compound_actor() {
    let (s, _) = scored();
    let l = &s.levels[Level::Source as usize];
    // A (ROU is one of HUN+ROU) and B and D match; C's source is wrong, E is missed
    assert_eq!((l.gold, l.predicted, l.true_positives), (5, 6, 3));
    assert!(close(l.precision, 0.5));
    assert!(close(l.recall, 0.6));
    assert!(close(l.f1, 6.0 / 11.0));
}

#[test]
fn target_level_leaves_out_gold_without_target_and_what_stands_for_it() {
    let (s, _) = scored();
    let l = &s.levels[Level::Dyad as usize];
    // A's gold has an empty target: neither it nor its AGREE prediction is scored here
    assert_eq!((l.gold, l.predicted, l.true_positives), (4, 5, 2));
    assert!(close(l.precision, 0.4));
    assert!(close(l.recall, 0.5));
    assert!(close(l.f1, 4.0 / 9.0));
    assert!(!l.per_type.contains_key(&EventType::Agree));
}

#[test]
fn status_and_actor_accuracy_over_matched_pairs() {
    let (s, _) = scored();
    assert_eq!((s.status.correct, s.status.total), (1, 1));
    // A: HUN GOV no, ROU≠ROU GOV; B: 2 of 2; C: CIV REB no, SEN yes; D: 2 of 2
    assert_eq!((s.actor_code.correct, s.actor_code.total), (5, 8));
    assert_eq!((s.actor_country.correct, s.actor_country.total), (6, 8));
}

#[test]
fn confusion_puts_pairs_on_the_diagonal_and_leftovers_against_none() {
    let (s, _) = scored();
    let c = &s.confusion;
    assert_eq!(
        c.labels,
        ["AGREE", "REQUEST", "REJECT", "THREATEN", "SANCTION", "ASSAULT", "NONE"]
    );
    let at = |g: &str, p: &str| {
        let i = c.labels.iter().position(|l| l == g).unwrap();
        let j = c.labels.iter().position(|l| l == p).unwrap();
        c.counts[i][j]
    };
    assert_eq!(at("AGREE", "AGREE"), 1);
    assert_eq!(at("REQUEST", "REQUEST"), 1);
    assert_eq!(at("NONE", "ASSAULT"), 1);
    assert_eq!(at("NONE", "THREATEN"), 1);
    assert_eq!(at("SANCTION", "NONE"), 1);
    let total: usize = c.counts.iter().flatten().sum();
    assert_eq!(total, 4 + 2 + 1);
}

#[test]
fn wrong_types_show_as_confusions() {
    let gold = r#"{"id":"F","date":"2001-01-01","text":"Tehran blamed the envoy.","event":"DISAPPROVE","source":[{"actorText":"Tehran","code":"IRN GOV"}]}"#;
    let docs = parse_gold("f.jsonl", gold).unwrap();
    let preds = vec![vec![ev(EventType::Reject, &["IRN GOV"], &[])]];
    let (s, _) = evaluate(&docs, &preds);
    let c = &s.confusion;
    assert_eq!(c.labels, ["ACCUSE", "REJECT", "NONE"]);
    assert_eq!(c.counts[0][1], 1);
    assert_eq!(s.levels[0].true_positives, 0);
    assert_eq!(s.levels[0].f1, 0.0);
}

#[test]
fn error_list_names_misses_false_alarms_and_rules() {
    let (_, errors) = scored();
    let ids: Vec<&str> = errors.iter().map(|e| e.doc_id.as_str()).collect();
    // A has a compound gold whose target is empty: right at every level it supports
    assert_eq!(ids, ["B", "C", "E"]);
    let b = &errors[0];
    assert_eq!(b.predicted[1].levels, ["false_alarm"; 3]);
    assert_eq!(b.predicted[1].rule, "test/assault");
    let c = &errors[1];
    assert_eq!(c.gold[0].levels, ["hit", "miss", "miss"]);
    assert_eq!(c.predicted[1].levels[0], "false_alarm");
    assert!(errors[2].predicted.is_empty());
    assert_eq!(errors[2].gold[0].levels, ["miss"; 3]);
}

#[test]
fn perfect_predictions_score_one_everywhere() {
    let docs = parse_gold("g.jsonl", GOLD).unwrap();
    let preds: Vec<Vec<Event>> = docs
        .iter()
        .map(|d| {
            d.events
                .iter()
                .map(|g| {
                    let src: Vec<&str> = g.source.iter().map(|a| a.code.as_str()).collect();
                    let tgt: Vec<&str> = g.target.iter().map(|a| a.code.as_str()).collect();
                    let mut e = ev(g.event, &src, &tgt);
                    e.status = g.status.unwrap_or_default();
                    e
                })
                .collect()
        })
        .collect();
    let (s, outcomes) = evaluate(&docs, &preds);
    for l in &s.levels {
        assert!(close(l.f1, 1.0) && close(l.macro_f1, 1.0), "{:?}", l.level);
    }
    assert!(close(s.actor_code.accuracy, 1.0));
    assert!(collect_errors(&docs, &preds, &outcomes).is_empty());
}

#[test]
fn the_type_level_pair_is_the_prediction_with_the_right_actors() {
    let gold = r#"{"id":"G","date":"2001-01-01","text":"Israeli jets struck Lebanese villages.","event":"ASSAULT","source":[{"actorText":"Israeli jets","code":"ISR MIL"}],"target":[{"actorText":"Lebanese","code":"LBN"}]}"#;
    let docs = parse_gold("g.jsonl", gold).unwrap();
    let preds = vec![vec![
        ev(EventType::Assault, &["SYR"], &["ISR"]),
        ev(EventType::Assault, &["ISR MIL"], &["LBN"]),
    ]];
    let (s, outcomes) = evaluate(&docs, &preds);
    assert_eq!(outcomes[0].gold[0], [Some(1); 3]);
    assert_eq!((s.actor_code.correct, s.actor_code.total), (2, 2));
    for l in &s.levels {
        assert_eq!((l.true_positives, l.false_alarms), (1, 1), "{:?}", l.level);
    }
}
