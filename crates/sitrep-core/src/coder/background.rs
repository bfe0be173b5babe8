//! Events told as background to a sentence's main event: inside a subordinate or relative
//! clause that follows it ("lifted the curfew in the province, where riots killed 28",
//! "eased the measures as police cracked down on nationalists") or inside a fronted one
//! ("Despite warnings of famine, the government refused …"). News reports code the main
//! event; the clause only says when, why or where it happened.

use super::lexicon::TriggerMatch;
use super::words::is;
use super::words::BE_FORMS;
use crate::ontology::EventType;
use crate::text::{Token, TokenKind};

/// Words that open a subordinate or relative clause after the main one, or the speech that
/// justifies it ("refused to meet him, saying he would only welcome him in the capital"). "which", "who",
/// "after", "if" and "when" are left out: in longer reports their clauses often carry an event
/// of their own ("arrested the head of an NGO, which has accused the police of …").
const OPENERS: &[&str] = &[
    "as", "since", "before", "until", "unless", "because", "where", "whom", "saying", "adding",
];

/// Words that open a fronted subordinate clause ending at the first comma.
const FRONTED: &[&str] = &[
    "despite",
    "although",
    "though",
    "while",
    "as",
    "after",
    "since",
    "amid",
    "following",
    "because",
    "when",
];

/// Whether `as` at `k` opens a clause ("as the opposition threatened to storm it") rather than
/// a comparison or a role ("as well as", "such as", "ordered out as illegal aliens"): a clause
/// has a finite verb within a few words.
fn opens_clause(toks: &[Token], k: usize) -> bool {
    if toks[k].norm != "as" {
        return true;
    }
    let prev = k.checked_sub(1).map(|p| toks[p].norm.as_str());
    if matches!(prev, Some("such" | "as" | "so" | "well")) {
        return false;
    }
    toks[k + 1..]
        .iter()
        .take(6)
        .take_while(|t| t.kind == TokenKind::Word)
        .any(|t| {
            let w = t.norm.as_str();
            (w.ends_with("ed") && w.len() > 4) || is(BE_FORMS, w) || is(FINITE, w)
        })
}

/// Finite verbs and auxiliaries that mark a clause after "as".
const FINITE: &[&str] = &[
    "has", "have", "had", "will", "would", "could", "can", "may", "might", "did", "do", "does",
    "met", "began", "fought", "took", "held", "came", "went", "made", "fled", "stood",
];

/// Triggers in a background clause. Each has a main event (a trigger `can_lead` accepts, before
/// the clause opener; for a fronted clause, after its comma), so a sentence never loses all its
/// events this way.
pub fn background_triggers(
    toks: &[Token],
    triggers: &[TriggerMatch],
    can_lead: impl Fn(usize) -> bool,
    event_of: impl Fn(usize) -> Option<EventType>,
) -> Vec<usize> {
    let live = |i: usize| can_lead(i);
    let mut out = Vec::new();
    let fronted_end = toks
        .first()
        .filter(|t| is(FRONTED, &t.norm))
        .and_then(|_| toks.iter().position(|t| t.norm == ","));
    for (j, t) in triggers.iter().enumerate() {
        if !live(j) {
            continue;
        }
        let f = t.first();
        if let Some(c) = fronted_end {
            let main_after = triggers
                .iter()
                .enumerate()
                .any(|(i, o)| live(i) && o.first() > c);
            if t.last() < c && main_after {
                out.push(j);
                continue;
            }
        }
        // "rejected the proposal, urging India to sign another": a participial clause after the
        // main one says how or why the main event happened; one of the main event's own type
        // ("attacked the camp, killing 156") tells its outcome and is merged into it later
        // A main event told by a noun ("are engaged in talks, urging them to …") leaves the
        // participle a speech act of its own.
        let participle = f > 0
            && toks[f - 1].norm == ","
            && toks[f].norm.ends_with("ing")
            && !(0..j).any(|i| live(i) && event_of(i) == event_of(j))
            && (0..j).any(|i| live(i) && !super::roles::is_nominal(toks, triggers[i].first()));
        // the nearest clause opener before the trigger, within its sentence part
        let opener = (0..f)
            .rev()
            // a comma or "but" closes the clause: what follows is the main clause again
            .take_while(|&k| !matches!(toks[k].norm.as_str(), ";" | ":" | "," | "but"))
            .find(|&k| is(OPENERS, &toks[k].norm) && opens_clause(toks, k));
        let Some(k) = opener.or(participle.then(|| f - 1)) else {
            continue;
        };
        let main_before = triggers.iter().enumerate().any(|(i, o)| {
            i != j && live(i) && o.last() < k && fronted_end.is_none_or(|c| o.first() > c)
        });
        if main_before {
            out.push(j);
        }
    }
    out
}
