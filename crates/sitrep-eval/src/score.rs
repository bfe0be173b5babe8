//! Scoring predictions against gold, at three levels of strictness.
//!
//! Within each document, gold events and predicted events are paired one to one (a maximum
//! matching, trying first the predictions that also fit at the stricter levels), so a duplicate
//! prediction finds no partner and counts as a false alarm.
//! A pair is allowed at level
//! - `type` when the predicted type is one the gold accepts (its label, or any `event_accept`);
//! - `type+source` when also some predicted source country equals some gold source country
//!   (country = first three letters of the code; with compound actors one shared country is
//!   enough, and one gold event still pairs with one prediction);
//! - `type+source+target` when also the target countries share one.
//!
//! A gold event without a source is not scored at the source levels, and one without a target
//! not at the target level. A prediction that would pair with such an unscored event (at the
//! levels it does support) is left out of that level rather than called a false alarm.
//!
//! Per type, a gold event counts under its label's type (DEMAND → REQUEST); a prediction paired
//! with it counts under that same type (so an accepted APPEAL for a gold DEMAND is a right
//! REQUEST), and an unpaired prediction under its own type. Macro scores average over the types
//! seen in gold or predictions; a precision or recall with nothing to divide by counts as 0.

use crate::gold::{country_of, GoldActor, GoldDoc, GoldEvent};
use crate::matching::{max_matching, max_matching_ranked};
use serde::Serialize;
use sitrep_core::{ActorRef, Event, EventType};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Level {
    #[serde(rename = "type")]
    Type,
    #[serde(rename = "type+source")]
    Source,
    #[serde(rename = "type+source+target")]
    Dyad,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Type, Level::Source, Level::Dyad];

    pub fn name(self) -> &'static str {
        match self {
            Level::Type => "type",
            Level::Source => "type+source",
            Level::Dyad => "type+source+target",
        }
    }

    /// The strictest level a gold event can be scored at.
    pub fn supported_by(g: &GoldEvent) -> Level {
        match (g.source.is_empty(), g.target.is_empty()) {
            (true, _) => Level::Type,
            (false, true) => Level::Source,
            (false, false) => Level::Dyad,
        }
    }
}

fn countries(actors: &[ActorRef]) -> Vec<String> {
    actors.iter().map(|a| country_of(&a.code)).collect()
}

fn overlap(gold: &[GoldActor], pred: &[String]) -> bool {
    gold.iter().any(|g| pred.contains(&g.country))
}

/// Whether prediction `p` may pair with gold `g` at `level`.
fn compatible(level: Level, g: &GoldEvent, p: &Event, src: &[String], tgt: &[String]) -> bool {
    g.accepts(p.event)
        && (level < Level::Source || overlap(&g.source, src))
        && (level < Level::Dyad || overlap(&g.target, tgt))
}

/// What became of one prediction at one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Paired with this gold event of the document.
    Matched(usize),
    /// Would pair only with a gold event not scored at this level.
    Unscored,
    FalseAlarm,
}

/// The pairing of one document, per level: for each gold event the prediction it got (`None`:
/// a miss, or not scored at that level), and what became of each prediction.
#[derive(Debug, Clone)]
pub struct DocOutcome {
    pub gold: Vec<[Option<usize>; 3]>,
    pub pred: Vec<[Mark; 3]>,
}

impl DocOutcome {
    pub fn is_perfect(&self, docs_gold: &[GoldEvent]) -> bool {
        let missed = self.gold.iter().zip(docs_gold).any(|(m, g)| {
            Level::ALL
                .iter()
                .any(|&l| l <= Level::supported_by(g) && m[l as usize].is_none())
        });
        !missed && !self.pred.iter().any(|m| m.contains(&Mark::FalseAlarm))
    }
}

pub fn match_doc(doc: &GoldDoc, preds: &[Event]) -> DocOutcome {
    let src: Vec<Vec<String>> = preds.iter().map(|p| countries(&p.source)).collect();
    let tgt: Vec<Vec<String>> = preds.iter().map(|p| countries(&p.target)).collect();
    let mut gold = vec![[None; 3]; doc.events.len()];
    let mut pred = vec![[Mark::FalseAlarm; 3]; preds.len()];
    for level in Level::ALL {
        let li = level as usize;
        let scored: Vec<usize> = (0..doc.events.len())
            .filter(|&g| Level::supported_by(&doc.events[g]) >= level)
            .collect();
        // prefer predictions that also fit at stricter levels, so the type-level pair (which
        // status and actor accuracy read) is the prediction that got the actors right
        let m = max_matching_ranked(scored.len(), preds.len(), |gi, p| {
            let g = &doc.events[scored[gi]];
            let fits = |l: Level| compatible(l, g, &preds[p], &src[p], &tgt[p]);
            if !fits(level) {
                return None;
            }
            Some(2 - Level::ALL.iter().filter(|&&l| l > level && fits(l)).count() as u32)
        });
        for (gi, p) in m.iter().enumerate() {
            if let Some(p) = p {
                gold[scored[gi]][li] = Some(*p);
                pred[*p][li] = Mark::Matched(scored[gi]);
            }
        }
        // the rest may only stand for gold events too thin for this level: leave those out
        let unscored: Vec<usize> = (0..doc.events.len())
            .filter(|&g| Level::supported_by(&doc.events[g]) < level)
            .collect();
        let left: Vec<usize> = (0..preds.len())
            .filter(|&p| pred[p][li] == Mark::FalseAlarm)
            .collect();
        let m = max_matching(unscored.len(), left.len(), |gi, pi| {
            let g = &doc.events[unscored[gi]];
            let p = left[pi];
            compatible(Level::supported_by(g), g, &preds[p], &src[p], &tgt[p])
        });
        for pi in m.into_iter().flatten() {
            pred[left[pi]][li] = Mark::Unscored;
        }
    }
    DocOutcome { gold, pred }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TypeScore {
    /// Gold events of this type scored at the level, and how many were found.
    pub gold: usize,
    pub found: usize,
    /// Predictions of this type scored at the level, and how many were right.
    pub predicted: usize,
    pub right: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl TypeScore {
    fn finish(&mut self) {
        self.precision = ratio(self.right, self.predicted);
        self.recall = ratio(self.found, self.gold);
        self.f1 = f1(self.precision, self.recall);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelScore {
    pub level: Level,
    pub gold: usize,
    pub predicted: usize,
    pub true_positives: usize,
    pub false_alarms: usize,
    pub misses: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub macro_f1: f64,
    pub per_type: BTreeMap<EventType, TypeScore>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
    pub accuracy: f64,
}

impl Accuracy {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.correct += ok as usize;
    }
    fn finish(&mut self) {
        self.accuracy = ratio(self.correct, self.total);
    }
}

/// Rows are gold types, columns predicted types; "NONE" stands for a miss (column) or a false
/// alarm (row). Pairs matched at the type level sit on the diagonal under the gold's type;
/// leftovers of one document are paired (same source country first, then in order) to show
/// which type the coder gave instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub documents: usize,
    pub gold_events: usize,
    pub predicted_events: usize,
    pub levels: Vec<LevelScore>,
    /// Over type-level pairs whose gold gives a status: the predicted status is accepted.
    pub status: Accuracy,
    /// Over the actors of type-level pairs' gold events: a predicted actor in the same role has
    /// the same full code ("ISR GOV"), or the same country.
    pub actor_code: Accuracy,
    pub actor_country: Accuracy,
    /// Over gold quantities of type-level pairs: the prediction has one with the same value.
    pub quantities: Accuracy,
    pub confusion: Confusion,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn same_code(a: &str, b: &str) -> bool {
    a.split_whitespace()
        .map(str::to_ascii_uppercase)
        .eq(b.split_whitespace().map(str::to_ascii_uppercase))
}

/// Scores `preds[i]` against `docs[i]`; returns the figures and each document's pairing.
pub fn evaluate(docs: &[GoldDoc], preds: &[Vec<Event>]) -> (Scores, Vec<DocOutcome>) {
    let outcomes: Vec<DocOutcome> = docs
        .iter()
        .zip(preds)
        .map(|(d, p)| match_doc(d, p))
        .collect();
    let mut levels = Vec::new();
    for level in Level::ALL {
        let li = level as usize;
        let mut per_type: BTreeMap<EventType, TypeScore> = BTreeMap::new();
        for ((d, p), o) in docs.iter().zip(preds).zip(&outcomes) {
            for (g, m) in d.events.iter().zip(&o.gold) {
                if Level::supported_by(g) < level {
                    continue;
                }
                let t = per_type.entry(g.event).or_default();
                t.gold += 1;
                t.found += m[li].is_some() as usize;
            }
            for (e, m) in p.iter().zip(&o.pred) {
                let (ty, right) = match m[li] {
                    Mark::Unscored => continue,
                    Mark::Matched(g) => (d.events[g].event, true),
                    Mark::FalseAlarm => (e.event, false),
                };
                let t = per_type.entry(ty).or_default();
                t.predicted += 1;
                t.right += right as usize;
            }
        }
        per_type.values_mut().for_each(TypeScore::finish);
        let gold: usize = per_type.values().map(|t| t.gold).sum();
        let predicted: usize = per_type.values().map(|t| t.predicted).sum();
        let tp: usize = per_type.values().map(|t| t.found).sum();
        let (precision, recall) = (ratio(tp, predicted), ratio(tp, gold));
        let n = per_type.len().max(1) as f64;
        levels.push(LevelScore {
            level,
            gold,
            predicted,
            true_positives: tp,
            false_alarms: predicted - tp,
            misses: gold - tp,
            precision,
            recall,
            f1: f1(precision, recall),
            macro_precision: per_type.values().map(|t| t.precision).sum::<f64>() / n,
            macro_recall: per_type.values().map(|t| t.recall).sum::<f64>() / n,
            macro_f1: per_type.values().map(|t| t.f1).sum::<f64>() / n,
            per_type,
        });
    }

    let mut status = Accuracy::default();
    let mut actor_code = Accuracy::default();
    let mut actor_country = Accuracy::default();
    let mut quantities = Accuracy::default();
    for ((d, p), o) in docs.iter().zip(preds).zip(&outcomes) {
        for (g, m) in d.events.iter().zip(&o.gold) {
            let Some(pi) = m[Level::Type as usize] else {
                continue;
            };
            let e = &p[pi];
            if g.status.is_some() {
                status.add(g.status_accept.contains(&e.status));
            }
            for (gold_actors, pred_actors) in [(&g.source, &e.source), (&g.target, &e.target)] {
                for a in gold_actors {
                    actor_code.add(pred_actors.iter().any(|x| same_code(&x.code, &a.code)));
                    actor_country.add(pred_actors.iter().any(|x| country_of(&x.code) == a.country));
                }
            }
            for q in &g.quantities {
                quantities.add(
                    e.quantities
                        .iter()
                        .any(|x| (x.value - q.value).abs() < 1e-9),
                );
            }
        }
    }
    for a in [
        &mut status,
        &mut actor_code,
        &mut actor_country,
        &mut quantities,
    ] {
        a.finish();
    }

    let scores = Scores {
        documents: docs.len(),
        gold_events: docs.iter().map(|d| d.events.len()).sum(),
        predicted_events: preds.iter().map(Vec::len).sum(),
        levels,
        status,
        actor_code,
        actor_country,
        quantities,
        confusion: confusion(docs, preds, &outcomes),
    };
    (scores, outcomes)
}

fn confusion(docs: &[GoldDoc], preds: &[Vec<Event>], outcomes: &[DocOutcome]) -> Confusion {
    let mut cells: BTreeMap<(Option<EventType>, Option<EventType>), usize> = BTreeMap::new();
    let ti = Level::Type as usize;
    for ((d, p), o) in docs.iter().zip(preds).zip(outcomes) {
        let mut gold_left = Vec::new();
        for (g, m) in d.events.iter().zip(&o.gold) {
            match m[ti] {
                Some(_) => *cells.entry((Some(g.event), Some(g.event))).or_default() += 1,
                None => gold_left.push(g),
            }
        }
        let mut pred_left: Vec<&Event> = p
            .iter()
            .zip(&o.pred)
            .filter(|(_, m)| m[ti] == Mark::FalseAlarm)
            .map(|(e, _)| e)
            .collect();
        for g in gold_left {
            let same_source = pred_left
                .iter()
                .position(|e| overlap(&g.source, &countries(&e.source)));
            let pick = same_source.or(if pred_left.is_empty() { None } else { Some(0) });
            let got = pick.map(|i| pred_left.remove(i).event);
            *cells.entry((Some(g.event), got)).or_default() += 1;
        }
        for e in pred_left {
            *cells.entry((None, Some(e.event))).or_default() += 1;
        }
    }
    let mut types: Vec<EventType> = EventType::ALL
        .iter()
        .copied()
        .filter(|t| cells.keys().any(|(g, p)| *g == Some(*t) || *p == Some(*t)))
        .collect();
    types.sort();
    let idx = |t: Option<EventType>| {
        t.and_then(|t| types.iter().position(|x| *x == t))
            .unwrap_or(types.len())
    };
    let mut counts = vec![vec![0; types.len() + 1]; types.len() + 1];
    for ((g, p), n) in cells {
        counts[idx(g)][idx(p)] += n;
    }
    let mut labels: Vec<String> = types.iter().map(|t| t.as_str().to_string()).collect();
    labels.push("NONE".into());
    Confusion { labels, counts }
}
