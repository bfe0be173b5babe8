//! The working list for improving the coder: every document with a miss or a false alarm at
//! any level, with its sentence, the gold events, and the predicted events with the rule that
//! fired.

use crate::gold::{GoldActor, GoldDoc};
use crate::score::{DocOutcome, Level, Mark};
use serde::Serialize;
use sitrep_core::{ActorRef, Event};

/// Per level: "hit", "miss", or "unscored" (the gold lacks the actors that level needs).
#[derive(Debug, Clone, Serialize)]
pub struct GoldLine {
    pub id: String,
    pub label: String,
    pub source: Vec<String>,
    pub target: Vec<String>,
    pub levels: [&'static str; 3],
}

/// Per level: "right", "false_alarm", or "unscored" (it stands for a gold event that level
/// does not score).
#[derive(Debug, Clone, Serialize)]
pub struct PredLine {
    pub event: String,
    pub mode: String,
    pub status: String,
    pub source: Vec<String>,
    pub target: Vec<String>,
    pub trigger: String,
    pub rule: String,
    pub levels: [&'static str; 3],
}

#[derive(Debug, Clone, Serialize)]
pub struct DocErrors {
    pub doc_id: String,
    pub text: String,
    pub gold: Vec<GoldLine>,
    pub predicted: Vec<PredLine>,
}

fn gold_codes(a: &[GoldActor]) -> Vec<String> {
    a.iter().map(|x| x.code.clone()).collect()
}

fn pred_codes(a: &[ActorRef]) -> Vec<String> {
    a.iter().map(|x| x.code.clone()).collect()
}

pub fn collect_errors(
    docs: &[GoldDoc],
    preds: &[Vec<Event>],
    outcomes: &[DocOutcome],
) -> Vec<DocErrors> {
    let mut out = Vec::new();
    for ((d, p), o) in docs.iter().zip(preds).zip(outcomes) {
        if o.is_perfect(&d.events) {
            continue;
        }
        let gold = d
            .events
            .iter()
            .zip(&o.gold)
            .map(|(g, m)| {
                let mark = |l: Level| match (l <= Level::supported_by(g), m[l as usize]) {
                    (false, _) => "unscored",
                    (true, Some(_)) => "hit",
                    (true, None) => "miss",
                };
                GoldLine {
                    id: g.id.clone(),
                    label: g.label.clone(),
                    source: gold_codes(&g.source),
                    target: gold_codes(&g.target),
                    levels: [mark(Level::Type), mark(Level::Source), mark(Level::Dyad)],
                }
            })
            .collect();
        let predicted = p
            .iter()
            .zip(&o.pred)
            .map(|(e, m)| {
                let mark = |k: Mark| match k {
                    Mark::Matched(_) => "right",
                    Mark::Unscored => "unscored",
                    Mark::FalseAlarm => "false_alarm",
                };
                PredLine {
                    event: e.event.as_str().to_string(),
                    mode: e.mode.clone(),
                    status: e.status.as_str().to_string(),
                    source: pred_codes(&e.source),
                    target: pred_codes(&e.target),
                    trigger: e.evidence.trigger.clone(),
                    rule: e.evidence.rule.clone(),
                    levels: [mark(m[0]), mark(m[1]), mark(m[2])],
                }
            })
            .collect();
        out.push(DocErrors {
            doc_id: d.id.clone(),
            text: d.text.clone(),
            gold,
            predicted,
        });
    }
    out
}
