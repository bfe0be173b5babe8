//! Rules first, the model second: on candidate sentences where the rules found nothing the
//! model may add an event; a weak rule event the model strongly disagrees with is vetoed. Every
//! decision is written into `evidence.rule` as `model:TYPE@p`, so it can be audited and undone.

use crate::discovery::ModelError;
use crate::examples::label_name;
use crate::head::Head;
use sitrep_core::coder::SentenceView;
use sitrep_core::ontology::goldstein;
use sitrep_core::{DatePrecision, Document, Event, EventType, Evidence};

/// Anything that gives class probabilities for sentences, in its head's label order.
pub trait SentenceClassifier {
    fn head(&self) -> &Head;
    fn classify(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, ModelError>;
}

#[derive(Debug, Clone)]
pub struct Policy {
    /// Add an event where the rules found none when the model's best type has at least this.
    pub add_min: f32,
    /// Only rule events below this confidence can be vetoed: confident rules win.
    pub veto_below: f32,
    /// A veto needs the model this sure of another label ...
    pub veto_min: f32,
    /// ... and at most this sure of the rule's own type.
    pub veto_max_rule: f32,
    /// A vetoed event takes the model's type (when that is an event type) instead of going.
    pub relabel: bool,
    pub additions: bool,
    pub vetoes: bool,
    /// Where the rules give one sentence events of several types, drop those the model gives
    /// less than this probability while it gives another of the sentence's types at least
    /// `sibling_min`: the rules fired on several words, the model says which reading holds.
    pub sibling_max: f32,
    pub sibling_min: f32,
    /// Confidence of an added event is the model's probability times this: the model gives
    /// no trigger span and guesses roles, so it stays below the rules.
    pub added_confidence_scale: f32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            add_min: 0.5,
            veto_below: 0.75,
            veto_min: 0.9,
            veto_max_rule: 0.02,
            relabel: false,
            additions: true,
            vetoes: true,
            sibling_max: 0.1,
            sibling_min: 0.3,
            added_confidence_scale: 0.7,
        }
    }
}

/// Worth asking the model about: two actors, or one actor and a trigger-like word.
pub fn is_candidate(v: &SentenceView) -> bool {
    v.actors.len() >= 2 || (!v.actors.is_empty() && v.triggers > 0)
}

/// Combines the rule events of `doc` with the classifier's opinions on its sentences.
/// Only sentences where the model can change something are classified.
pub fn combine(
    doc: &Document,
    views: &[SentenceView],
    rules: Vec<Event>,
    classifier: &dyn SentenceClassifier,
    policy: &Policy,
) -> Result<Vec<Event>, ModelError> {
    let in_sentence = |e: &Event, v: &SentenceView| e.evidence.start == v.start;
    let asks: Vec<usize> = views
        .iter()
        .enumerate()
        .filter(|(_, v)| {
            let mine: Vec<&Event> = rules.iter().filter(|e| in_sentence(e, v)).collect();
            if mine.is_empty() {
                policy.additions && is_candidate(v)
            } else {
                policy.vetoes && mine.iter().any(|e| e.confidence < policy.veto_below)
                    || policy.sibling_max > 0.0 && mine.iter().any(|e| e.event != mine[0].event)
            }
        })
        .map(|(i, _)| i)
        .collect();
    let texts: Vec<&str> = asks
        .iter()
        .map(|&i| &doc.text[views[i].start..views[i].end])
        .collect();
    let probs = if texts.is_empty() {
        Vec::new()
    } else {
        classifier.classify(&texts)?
    };
    let head = classifier.head();
    let mut opinion: Vec<Option<&[f32]>> = vec![None; views.len()];
    for (&i, p) in asks.iter().zip(&probs) {
        opinion[i] = Some(p);
    }

    let mut out = Vec::with_capacity(rules.len());
    let mut placed = vec![false; rules.len()];
    for (v, op) in views.iter().zip(&opinion) {
        let mine: Vec<usize> = (0..rules.len())
            .filter(|&k| !placed[k] && in_sentence(&rules[k], v))
            .collect();
        for &k in &mine {
            placed[k] = true;
        }
        for &k in &mine {
            let e = &rules[k];
            match op {
                Some(p) if outranked(e, mine.iter().map(|&j| rules[j].event), p, head, policy) => {}
                Some(p) if policy.vetoes && e.confidence < policy.veto_below => {
                    if let Some(e) = judge(e.clone(), p, head, policy) {
                        out.push(e);
                    }
                }
                _ => out.push(e.clone()),
            }
        }
        if mine.is_empty() {
            if let Some(p) = op {
                let (label, prob) = head.best(p);
                if let Some(t) = label.filter(|_| prob >= policy.add_min) {
                    out.push(added_event(doc, v, t, prob, policy));
                }
            }
        }
    }
    // events outside any viewed sentence (none today) pass through untouched
    out.extend(
        rules
            .into_iter()
            .zip(placed)
            .filter(|(_, p)| !p)
            .map(|(e, _)| e),
    );
    Ok(out)
}

/// Whether another type the rules found in the sentence is far likelier than this event's.
fn outranked(
    e: &Event,
    types: impl Iterator<Item = EventType>,
    probs: &[f32],
    head: &Head,
    policy: &Policy,
) -> bool {
    let own = head.probability_of(probs, Some(e.event));
    own < policy.sibling_max
        && types
            .filter(|t| *t != e.event)
            .any(|t| head.probability_of(probs, Some(t)) >= policy.sibling_min)
}

/// A weak rule event under the model's eye: kept, relabelled or dropped.
fn judge(mut e: Event, probs: &[f32], head: &Head, policy: &Policy) -> Option<Event> {
    let (label, prob) = head.best(probs);
    let own = head.probability_of(probs, Some(e.event));
    if label == Some(e.event) || prob < policy.veto_min || own > policy.veto_max_rule {
        return Some(e);
    }
    match label {
        Some(t) if policy.relabel => {
            e.evidence
                .rule
                .push_str(&format!("+model:{}@{prob:.2}", t.as_str()));
            set_type(&mut e, t);
            Some(e)
        }
        _ => None,
    }
}

fn set_type(e: &mut Event, t: EventType) {
    let cameo = t.default_cameo().to_string();
    e.event = t;
    e.goldstein = goldstein(&cameo);
    e.cameo = cameo;
    e.quad_class = t.quad_class();
    e.mode.clear();
}

fn added_event(
    doc: &Document,
    v: &SentenceView,
    t: EventType,
    prob: f32,
    policy: &Policy,
) -> Event {
    let source: Vec<_> = v.actors.first().cloned().into_iter().collect();
    let target: Vec<_> = v.actors.get(1).cloned().into_iter().collect();
    let cameo = t.default_cameo().to_string();
    let mut rule = format!("model:{}@{prob:.2}", label_name(Some(t)));
    if !v.status_cue.is_empty() {
        rule.push_str(&format!("+{}:{}", v.status.as_str(), v.status_cue));
    }
    Event {
        id: Event::make_id(&doc.id, v.start, t, &source),
        doc_id: doc.id.clone(),
        date: doc.date,
        date_precision: DatePrecision::Day,
        event: t,
        mode: String::new(),
        context: Vec::new(),
        goldstein: goldstein(&cameo),
        cameo,
        quad_class: t.quad_class(),
        source,
        target,
        status: v.status,
        location: None,
        quantities: Vec::new(),
        evidence: Evidence {
            sentence: doc.text[v.start..v.end].to_string(),
            start: v.start,
            end: v.end,
            trigger: String::new(),
            trigger_start: v.start,
            trigger_end: v.start,
            rule,
        },
        confidence: prob * policy.added_confidence_scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::Label;
    use crate::head::TrainOptions;
    use sitrep_core::coder::{Coder, CoderOptions};
    use sitrep_core::{Kb, Status};
    use std::cell::RefCell;

    /// Says the same distribution for every sentence, and counts what it was asked.
    struct Fixed {
        head: Head,
        label: Label,
        p: f32,
        asked: RefCell<Vec<String>>,
    }

    impl Fixed {
        fn new(label: Label, p: f32) -> Fixed {
            let xs = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
            let head = Head::train_labelled(
                &xs,
                &[None, Some(EventType::Threaten)],
                &[],
                &TrainOptions {
                    epochs: 1,
                    ..TrainOptions::default()
                },
            );
            Fixed {
                head,
                label,
                p,
                asked: RefCell::new(Vec::new()),
            }
        }
    }

    impl SentenceClassifier for Fixed {
        fn head(&self) -> &Head {
            &self.head
        }
        fn classify(&self, s: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
            self.asked
                .borrow_mut()
                .extend(s.iter().map(|x| x.to_string()));
            let k = self.head.labels.len();
            let rest = (1.0 - self.p) / (k - 1) as f32;
            let c = self
                .head
                .labels
                .iter()
                .position(|l| l == label_name(self.label))
                .unwrap();
            Ok(s.iter()
                .map(|_| (0..k).map(|i| if i == c { self.p } else { rest }).collect())
                .collect())
        }
    }

    fn run(text: &str, clf: &Fixed, policy: &Policy) -> (Vec<Event>, Vec<Event>) {
        let kb = Kb::embedded();
        let coder = Coder::new(&kb, CoderOptions::default());
        let doc = Document::new(chrono::NaiveDate::from_ymd_opt(2024, 5, 2).unwrap(), text);
        let rules = coder.code(&doc);
        let views = coder.sentence_views(&doc);
        let out = combine(&doc, &views, rules.clone(), clf, policy).unwrap();
        (rules, out)
    }

    #[test]
    fn adds_an_event_where_the_rules_found_none() {
        let text = "Russia and Ukraine traded fire across the river. The weather was mild.";
        let clf = Fixed::new(Some(EventType::Assault), 0.9);
        let (rules, out) = run(text, &clf, &Policy::default());
        assert!(rules.is_empty(), "{rules:?}");
        assert_eq!(out.len(), 1, "{out:?}");
        let e = &out[0];
        assert_eq!(e.event, EventType::Assault);
        assert_eq!(e.evidence.rule, "model:ASSAULT@0.90");
        assert_eq!(e.source[0].code, "RUS");
        assert_eq!(e.target[0].code, "UKR");
        assert!(e.confidence < 0.7);
        // the actor-less sentence is never embedded
        assert_eq!(clf.asked.borrow().len(), 1);
    }

    #[test]
    fn adds_nothing_when_unsure_or_when_the_model_says_none() {
        let text = "Russia and Ukraine traded fire across the river.";
        let (_, out) = run(
            text,
            &Fixed::new(Some(EventType::Assault), 0.3),
            &Policy::default(),
        );
        assert!(out.is_empty());
        let (_, out) = run(text, &Fixed::new(None, 0.95), &Policy::default());
        assert!(out.is_empty());
    }

    #[test]
    fn added_events_carry_the_sentence_status() {
        let text = "Russia did not trade fire with Ukraine on Monday.";
        let clf = Fixed::new(Some(EventType::Assault), 0.9);
        let (rules, out) = run(text, &clf, &Policy::default());
        if rules.is_empty() {
            assert_eq!(out[0].status, Status::Negated, "{out:?}");
        }
    }

    #[test]
    fn vetoes_only_weak_rule_events() {
        let text = "Iran threatened Israel.";
        let clf = Fixed::new(Some(EventType::Agree), 0.95);
        let strict = Policy {
            veto_below: 0.0,
            ..Policy::default()
        };
        let (rules, out) = run(text, &clf, &strict);
        assert!(!rules.is_empty());
        assert_eq!(rules, out, "confident rules win");
        assert!(clf.asked.borrow().is_empty(), "nothing to ask the model");

        let lax = Policy {
            veto_below: 1.0,
            relabel: true,
            ..Policy::default()
        };
        let (_, out) = run(text, &clf, &lax);
        assert_eq!(out[0].event, EventType::Agree);
        assert!(
            out[0].evidence.rule.ends_with("+model:AGREE@0.95"),
            "{out:?}"
        );
        let drop = Policy {
            relabel: false,
            ..lax
        };
        let (_, out) = run(text, &clf, &drop);
        assert!(out.is_empty());
    }
}
