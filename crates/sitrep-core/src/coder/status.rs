//! Whether an event happened: asserted, or negated / hypothetical / planned / intended / reported,
//! read from the words between the clause's start (or the subject) and the trigger.

use super::words::*;
use crate::event::Status;
use crate::text::Token;

/// Why a status was chosen: the cue word, for the rule id.
pub struct StatusCue {
    pub status: Status,
    pub cue: String,
    /// The cue is a commitment ("will", "pledged to", "vowed to"): an intent to act.
    pub commitment: bool,
}

/// The start of the clause holding token `at`: after the last ; or , (or a clause opener).
pub fn clause_start(toks: &[Token], at: usize, floor: usize) -> usize {
    let mut k = at;
    while k > floor {
        let w = toks[k - 1].norm.as_str();
        if matches!(w, ";" | "," | ":" | "(" | "\u{2014}" | "\u{2013}") {
            return k;
        }
        k -= 1;
    }
    floor
}

/// Status of a trigger whose first word is at `first`, given the window start `from`.
pub fn detect(toks: &[Token], from: usize, first: usize, last: usize) -> StatusCue {
    let window: Vec<&str> = toks[from..first].iter().map(|t| t.norm.as_str()).collect();
    let head = toks[first].norm.as_str();
    let asserted = StatusCue {
        status: Status::Asserted,
        cue: String::new(),
        commitment: false,
    };
    let cue = |status, w: &str, commitment| StatusCue {
        status,
        cue: w.to_string(),
        commitment,
    };
    // the trigger word itself can carry the mode: "potential" is never the head, but
    // "alleged attack", "planned strike" are modifiers inside the window
    for w in window.iter().rev() {
        if is(NEGATIONS, w) || is(NEGATING_VERBS, w) {
            // "not only" does not negate
            return cue(Status::Negated, w, false);
        }
    }
    // "said they would meet": reported intent, not a hypothesis
    // (the reporting verb may sit before the clause: "NATO confirmed it would tighten …")
    let reported_intent = toks[..first]
        .iter()
        .any(|t| is(REPORTING_VERBS, &t.norm) || t.norm == "saying");
    for (k, w) in window.iter().enumerate().rev() {
        // …but not "a law that would allow", "would have allowed", "would need to"
        let relative = k > 0 && matches!(window[k - 1], "that" | "which" | "who");
        let counterfactual = window
            .get(k + 1)
            .is_some_and(|n| matches!(*n, "have" | "need"));
        if *w == "would" && reported_intent && !relative && !counterfactual {
            return cue(Status::Planned, w, true);
        }
        if is(HYPOTHETICAL, w) {
            return cue(Status::Hypothetical, w, false);
        }
    }
    for w in window.iter().rev() {
        if is(COMMITMENTS, w) {
            return cue(Status::Planned, w, true);
        }
    }
    for (k, w) in window.iter().enumerate().rev() {
        if is(AVERTING, w) && *w != "against" {
            return cue(Status::Hypothetical, w, false);
        }
        if *w == "against" && k + 1 == window.len() && head.ends_with("ing") {
            return cue(Status::Hypothetical, w, false);
        }
    }
    for w in window.iter().rev() {
        if matches!(
            *w,
            "pledge"
                | "pledged"
                | "pledges"
                | "vow"
                | "vowed"
                | "vows"
                | "promise"
                | "promised"
                | "promises"
                | "offer"
                | "offered"
                | "offers"
                | "willing"
                | "ready"
        ) {
            return cue(Status::Planned, w, true);
        }
        if is(PLANNED, w) {
            let commitment = matches!(*w, "will" | "'ll" | "shall");
            return cue(Status::Planned, w, commitment);
        }
    }
    for w in window.iter().rev() {
        if is(INTENDED, w) {
            return cue(Status::Intended, w, false);
        }
    }
    for w in window.iter().rev() {
        if is(REPORTED, w) {
            return cue(Status::Reported, w, false);
        }
    }
    let _ = last;
    asserted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn st(s: &str, trigger: &str) -> Status {
        let toks = tokenize(s, 0);
        let i = toks.iter().position(|t| t.norm == trigger).unwrap();
        let from = clause_start(&toks, i, 0);
        detect(&toks, from, i, i).status
    }

    #[test]
    fn cues_set_the_status() {
        assert_eq!(st("Hamas has not made demands", "made"), Status::Negated);
        assert_eq!(
            st(
                "talks that could result in the release of hostages",
                "release"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            st("Israel prepares for a large invasion", "invasion"),
            Status::Planned
        );
        assert_eq!(
            st("efforts to stall the invasion", "invasion"),
            Status::Hypothetical
        );
        assert_eq!(st("hostages believed held", "held"), Status::Reported);
        assert_eq!(
            st(
                "While Israel prepares for an invasion, clashes intensified",
                "clashes"
            ),
            Status::Asserted
        );
        assert_eq!(st("troops attacked the town", "attacked"), Status::Asserted);
    }
}
