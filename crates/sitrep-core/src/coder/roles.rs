//! Who did it to whom: the source is the trigger's agent (its subject, a possessor "Israel's
//! invasion", a modifier "Hamas custody", or a "by X" phrase), the target its patient or
//! recipient (the first actor after it in the same clause). Passives swap the two.

use super::lexicon::TriggerMatch;
use super::mentions::{Mention, MentionKind};
use super::words::{is, BE_FORMS, CLAUSE_OPENERS, REPORTING_VERBS};
use crate::text::{Token, TokenKind};
use std::collections::HashSet;

pub struct Roles {
    /// Mention indexes (a whole compound group each).
    pub source: Vec<usize>,
    pub target: Vec<usize>,
    pub passive: bool,
    /// Where the subject ends, so the status window starts after it.
    pub subject_end: Option<usize>,
    /// Token range whose quantities belong to the event.
    pub quantity_span: (usize, usize),
}

const PARTICIPLES: &[&str] = &[
    "held", "shot", "hit", "put", "set", "struck", "fought", "sent", "kept", "led", "seen", "met",
    "beaten", "thrown", "taken", "given", "driven", "stolen", "bound", "caught", "sought", "sold",
    "built", "cut", "hurt", "left", "made", "found", "told", "brought", "hung", "slain", "shut",
];

pub fn is_participle(w: &str) -> bool {
    (w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn")) && w.len() > 3
        || is(PARTICIPLES, w)
}

fn group(ments: &[Mention], i: usize) -> Vec<usize> {
    let g = ments[i].group;
    (0..ments.len()).filter(|k| ments[*k].group == g).collect()
}

/// The end of the clause that starts after token `from`: a semicolon, a sentence end, or a comma
/// that opens a new clause ("…, which", "…, said").
pub fn clause_end(toks: &[Token], from: usize) -> usize {
    let mut k = from;
    while k < toks.len() {
        let w = toks[k].norm.as_str();
        if matches!(w, ";" | "." | "!" | "?" | ":") {
            return k;
        }
        if w == ","
            && toks.get(k + 1).is_some_and(|n| {
                is(CLAUSE_OPENERS, &n.norm)
                    || is(REPORTING_VERBS, &n.norm)
                    || n.norm.ends_with("ing")
            })
        {
            return k;
        }
        if is(REPORTING_VERBS, w) && k > from {
            return k;
        }
        // "…, China said." / "…, a military spokesman announced": trailing attribution
        if w == "," {
            let rest = &toks[k + 1..];
            let until = rest
                .iter()
                .position(|t| t.norm == ",")
                .unwrap_or(rest.len());
            if rest[..until].iter().any(|t| is(REPORTING_VERBS, &t.norm)) {
                return k;
            }
        }
        k += 1;
    }
    toks.len()
}

/// Subordinators that open a fronted clause ("While Israel prepares …, clashes …"): its actors
/// are not the subject of the main clause's triggers.
const SUBORDINATORS: &[&str] = &[
    "while",
    "as",
    "if",
    "although",
    "though",
    "when",
    "whereas",
    "despite",
    "after",
    "before",
    "because",
    "since",
    "unless",
    "amid",
    "following",
    "with",
];

/// End of a fronted subordinate clause (the first comma), if the sentence opens with one.
fn fronted_clause_end(toks: &[Token]) -> Option<usize> {
    if !toks.first().is_some_and(|t| is(SUBORDINATORS, &t.norm)) {
        return None;
    }
    toks.iter().position(|t| t.norm == ",")
}

/// Whether the trigger reads as a noun: after a determiner, possessive or preposition.
pub fn is_nominal(toks: &[Token], f: usize) -> bool {
    let prev = |k: usize| {
        f.checked_sub(k)
            .map(|i| toks[i].norm.as_str())
            .unwrap_or("")
    };
    // "to attack" is an infinitive; "to talks", "to the negotiation" are nouns
    if prev(1) == "to" {
        let h = toks[f].norm.as_str();
        return ["s", "tion", "ment", "ance", "ence", "ure"]
            .iter()
            .any(|suf| h.ends_with(suf));
    }
    let det = |w: &str| {
        is(super::words::DETERMINERS, w) || is(super::words::PREPOSITIONS, w) || w == "'s"
    };
    det(prev(1))
        || (det(prev(2))
            && !is(BE_FORMS, prev(1))
            && !matches!(
                prev(1),
                "has" | "have" | "had" | "will" | "would" | "not" | "to"
            ))
        || toks.get(f + 1).is_some_and(|t| t.norm == "of")
}

const AUXILIARIES: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "also",
    "previously",
    "now",
    "still",
    "then",
    "later",
    "again",
    "recently",
    "already",
];

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "inside",
    "across",
    "from",
    "during",
    "throughout",
    "within",
    "along",
    "outside",
];

pub fn assign(
    toks: &[Token],
    ments: &[Mention],
    trig: &TriggerMatch,
    locative_object: bool,
    trigger_words: &HashSet<usize>,
) -> Roles {
    let f = trig.first();
    let l = trig.last();
    let head = toks[f].norm.as_str();
    let end = clause_end(toks, l + 1);

    // "… by Hamas": an agent phrase shortly after the trigger
    let by_agent = (l + 1..end.min(l + 8))
        .find(|&k| toks[k].norm == "by")
        .and_then(|k| {
            ments
                .iter()
                .position(|m| m.start > k && m.start <= k + 3 && m.prep.as_deref() == Some("by"))
        });
    let be_before = (f.saturating_sub(3)..f).any(|k| is(BE_FORMS, &toks[k].norm));
    // "hostages held by Hamas": a participle right after the phrase it modifies
    let modified = ments.iter().position(|m| {
        m.end == f && m.kind != MentionKind::Pronoun(super::mentions::PronounKind::Neuter)
    });
    // "was put under investigation", "came under attack": the subject undergoes the event
    let under = f > 0 && toks[f - 1].norm == "under";
    let passive =
        under || is_participle(head) && (be_before || (by_agent.is_some() && modified.is_some()));

    // possessor ("Israel's invasion") or a named modifier right before ("Hamas custody")
    let possessor = ments.iter().position(|m| {
        m.possessive
            && m.end < f
            && f <= m.end + 3
            && !(m.end + 1..f).any(|k| toks[k].kind == TokenKind::Punct)
    });
    // "Israeli strikes", "in Hamas custody": a name modifying a noun trigger is its agent
    let compound = ments.iter().position(|m| {
        m.end == f
            && matches!(m.kind, MentionKind::Named)
            && !m.plural
            && (m.adjectival || is_nominal(toks, f))
    });

    // subject: the nearest actor on the left not inside a prepositional phrase, preferring one
    // in the trigger's own clause; a participle after a comma or "and" (", urging them") takes
    // the main clause's subject
    let participial =
        f > 0 && matches!(toks[f - 1].norm.as_str(), "," | "and") && head.ends_with("ing");
    let fronted = fronted_clause_end(toks);
    let in_fronted = fronted.is_some_and(|e| f < e);
    let nominal = is_nominal(toks, f);
    let clause_from = super::status::clause_start(toks, f, 0);
    let asides = parentheticals(toks, ments);
    let candidates: Vec<usize> = (0..ments.len())
        .filter(|&i| ments[i].end <= f && ments[i].prep.is_none() && !ments[i].possessive)
        // "Pakistan, a key U.S. ally, has refused": names inside an aside the trigger is not in
        .filter(|&i| {
            !asides
                .iter()
                .any(|&(a, b)| a <= ments[i].start && ments[i].end <= b && !(a <= f && f < b))
        })
        .filter(|&i| in_fronted || fronted.is_none_or(|e| ments[i].start > e))
        .collect();
    // "Israel attacked Gaza and killed 20 people", "… has refused … and has urged": a verb
    // coordinated with an earlier one shares its subject, not the object before the "and"
    let coordinated = !nominal
        && (0..f)
            .rev()
            .find(|&k| !is(AUXILIARIES, &toks[k].norm))
            .is_some_and(|k| toks[k].norm == "and");
    let subject = if coordinated {
        let and = (0..f).rev().find(|&k| toks[k].norm == "and").unwrap_or(0);
        candidates
            .iter()
            .copied()
            .filter(|&i| ments[i].end <= and)
            .find(|&i| fronted.is_none_or(|e| ments[i].start > e))
            .or_else(|| candidates.last().copied())
    } else if participial {
        candidates
            .iter()
            .copied()
            .find(|&i| fronted.is_none_or(|e| ments[i].start > e))
    } else {
        // a noun inside an adverbial phrase ("… in a bomb attack") belongs to the clause's
        // subject, not to the object nearest it
        let adverbial = nominal
            && matches!(
                governing_prep(toks, f),
                Some("in" | "during" | "with" | "by" | "through")
            );
        let mut in_clause_iter = candidates
            .iter()
            .copied()
            .filter(|&i| ments[i].start >= clause_from);
        let in_clause = if adverbial {
            in_clause_iter.next()
        } else {
            in_clause_iter.next_back()
        };
        // a noun's agent is not looked for beyond its clause ("…, emphasizing that negotiations")
        // unless that clause is the predicate of an earlier subject ("The US, …, is playing a
        // role as a negotiator")
        let predicate = toks
            .get(clause_from)
            .is_some_and(|t| is(AUXILIARIES, &t.norm));
        in_clause.or_else(|| {
            if nominal && !predicate {
                None
            } else {
                candidates.last().copied()
            }
        })
    };
    // a noun in a fronted phrase ("Despite the release of two hostages, Hamas …") takes the
    // main clause's subject as its agent
    let main_subject = if in_fronted && nominal {
        fronted.and_then(|e| {
            ments
                .iter()
                .position(|m| m.start > e && m.prep.is_none() && !m.possessive)
        })
    } else {
        None
    };

    // the object: the first actor after the trigger within its clause, not the "by" agent;
    // a place governed by "in"/"at" is the object only when nothing else is ("will evacuate
    // the settlements in Gaza", "troops for a force in Liberia") and the caller allows it
    let trig_words: HashSet<usize> = trig.words.iter().copied().collect();
    let object_where = |locative_ok: bool| {
        ments
            .iter()
            .enumerate()
            .find(|(i, m)| {
                m.start > f
                    && (!trig_words.contains(&m.start) || m.kind == MentionKind::Named)
                    // "military aid": a bare agent word modifying another trigger is no target
                    && !(m.kind == MentionKind::Generic && trigger_words.contains(&m.end))
                    && m.start < end
                    && Some(*i) != by_agent
                    && m.start <= l + 14
                    && (locative_ok || !m.prep.as_deref().is_some_and(|p| is(LOCATIVE, p)))
            })
            .map(|(i, _)| i)
    };
    let object = object_where(false).or_else(|| {
        if locative_object {
            object_where(true)
        } else {
            None
        }
    });

    let (mut source, mut target): (Option<usize>, Option<usize>) = if passive {
        (by_agent, modified.or(subject))
    } else if subject.is_some_and(|s| nominal && suffered(toks, ments[s].end, f)) {
        // "two shoppers died in drone strikes": who dies in an attack is its target
        (by_agent, subject)
    } else {
        let owner = possessor.or(compound);
        let s = owner.or(subject).or(main_subject).or(by_agent);
        // "10 Americans … in Hamas custody": with the agent inside the noun phrase, the patient
        // is the actor before it
        let t = object.or_else(|| {
            owner.and_then(|o| {
                (0..ments.len())
                    .rev()
                    .find(|&i| ments[i].end <= ments[o].start && i != o)
            })
        });
        (s, t)
    };
    if source.is_some() && source == target {
        target = None;
    }
    // "Israel-Lebanon border", "Israel-Hamas clashes": a hyphenated pair is source and target
    if source.is_none() || target.is_none() {
        let anchor = target.or(source);
        if let Some((p, q)) = anchor.and_then(|x| hyphen_pair(toks, ments, x)) {
            source = Some(p);
            target = Some(q);
        }
    }
    let subject_end = source
        .filter(|s| !passive && Some(*s) == subject)
        .map(|s| ments[s].end)
        .filter(|e| *e <= f);
    let qstart = source
        .map(|s| ments[s].start.min(f))
        .unwrap_or(f.saturating_sub(6));
    let qend = target
        .map(|t| ments[t].end.max(l + 1))
        .unwrap_or(end)
        .max(l + 1)
        .min(toks.len());
    let mut src_group = source.map(|s| group(ments, s)).unwrap_or_default();
    let mut tgt_group = target.map(|t| group(ments, t)).unwrap_or_default();
    // a trigger between two members of one compound: keep them apart
    if !src_group.is_empty() && src_group == tgt_group {
        src_group = vec![source.unwrap_or_default()];
        tgt_group = vec![target.unwrap_or_default()];
    }
    Roles {
        source: src_group,
        target: tgt_group,
        passive,
        subject_end,
        quantity_span: (qstart, qend),
    }
}

/// Whether a verb of suffering ("died", "were killed") stands between a subject and a noun
/// trigger after it: the subject is then the one the act befell.
fn suffered(toks: &[Token], from: usize, to: usize) -> bool {
    (from..to).any(|k| match toks[k].norm.as_str() {
        "died" | "perished" | "drowned" => true,
        "killed" | "wounded" | "injured" | "hurt" => k > 0 && is(BE_FORMS, &toks[k - 1].norm),
        _ => false,
    })
}

/// Asides set off by commas after a name: an apposition ("Pakistan, a key U.S. ally in the
/// war, has …") or a relative clause ("Hamas, which rules Gaza, said …"), as token ranges.
fn parentheticals(toks: &[Token], ments: &[Mention]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for m in ments {
        let open = m.end;
        let opens = toks.get(open).is_some_and(|t| t.norm == ",")
            && toks.get(open + 1).is_some_and(|t| {
                matches!(
                    t.norm.as_str(),
                    "a" | "an" | "the" | "one" | "another" | "which" | "who" | "whose"
                )
            });
        if !opens {
            continue;
        }
        if let Some(close) = (open + 2..toks.len().min(open + 16))
            .find(|&k| matches!(toks[k].norm.as_str(), "," | ";" | "." | ":"))
        {
            if toks[close].norm == "," {
                out.push((open + 1, close));
            }
        }
    }
    out
}

/// The first mention after mention `after`, still in the trigger's clause, governed by one of
/// `preps` ("complained to the UN over Israeli raids" → the one after "over").
pub fn later_with_prep(
    toks: &[Token],
    ments: &[Mention],
    trig: &TriggerMatch,
    after: usize,
    preps: &[&str],
) -> Option<usize> {
    let end = clause_end(toks, trig.last() + 1);
    (after + 1..ments.len()).find(|&k| {
        ments[k].start < end && ments[k].prep.as_deref().is_some_and(|p| preps.contains(&p))
    })
}

/// The pair (left, right) of mentions joined by a hyphen that `x` belongs to.
fn hyphen_pair(toks: &[Token], ments: &[Mention], x: usize) -> Option<(usize, usize)> {
    let joined =
        |p: usize, q: usize| ments[q].start == ments[p].end + 1 && toks[ments[p].end].norm == "-";
    if x + 1 < ments.len() && joined(x, x + 1) {
        return Some((x, x + 1));
    }
    if x > 0 && joined(x - 1, x) {
        return Some((x - 1, x));
    }
    None
}

/// Pairs (governor, dependent) of triggers where the dependent is what the governor's event is
/// about, not an event of its own: an infinitive complement ("agreed to cooperate", "urging them
/// to delay the invasion"), a direct object ("called for sanctions", "lifted the blockade"), or
/// the verb after "must".
pub fn complement_triggers(toks: &[Token], triggers: &[TriggerMatch]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (j, b) in triggers.iter().enumerate() {
        for (i, a) in triggers[..j].iter().enumerate() {
            let (from, to) = (a.last() + 1, b.first());
            if to < from || to - from > 8 {
                continue;
            }
            // "rejected Thursday a UN appeal": a day or an adverb between verb and object
            let gap: Vec<&Token> = toks[from..to]
                .iter()
                .filter(|t| !is(super::words::TIME_ADVERBS, &t.norm))
                .collect();
            let broken = gap.iter().any(|t| {
                matches!(
                    t.norm.as_str(),
                    ";" | "." | "," | "and" | "but" | "while" | "which" | "who" | "that"
                )
            });
            if broken {
                continue;
            }
            let has_to = gap.iter().any(|t| t.norm == "to");
            let modal = toks[a.first()].norm == "must" && to - from <= 3;
            let object = gap.len() <= 3
                && gap.iter().all(|t| {
                    t.kind == TokenKind::Word
                        && (is(super::words::DETERMINERS, &t.norm)
                            || t.norm == "'s"
                            || !t.norm.ends_with("ed"))
                        && !is(super::words::PREPOSITIONS, &t.norm)
                        && !is(BE_FORMS, &t.norm)
                        // "pledged it would make concessions": a clause, not an object
                        && !is(AUXILIARIES, &t.norm)
                        && !matches!(t.norm.as_str(), "it" | "they" | "he" | "she" | "we")
                })
                && !is(BE_FORMS, &toks[to].norm);
            if has_to || modal || object {
                out.push((i, j));
                break;
            }
        }
    }
    out
}

/// The preposition governing a noun trigger, skipping determiners and modifiers ("over two
/// Israeli air raids" → over).
pub fn governing_prep(toks: &[Token], f: usize) -> Option<&str> {
    let mut k = f;
    let mut skipped = 0;
    while k > 0 && skipped <= 6 {
        k -= 1;
        let w = toks[k].norm.as_str();
        if is(super::words::PREPOSITIONS, w)
            || matches!(w, "following" | "amid" | "amidst" | "after" | "before")
        {
            return Some(w);
        }
        if toks[k].kind == TokenKind::Punct && w != "-" {
            return None;
        }
        skipped += 1;
    }
    None
}

/// Noun triggers that only name an event as background or as the topic of another event:
/// "following the shooting", "in the wake of the execution", "rejected an offer for direct
/// talks", "complained over air raids".
pub fn argument_triggers(toks: &[Token], triggers: &[TriggerMatch]) -> Vec<usize> {
    let mut out = Vec::new();
    for (j, b) in triggers.iter().enumerate() {
        let f = b.first();
        if !is_nominal(toks, f) {
            continue;
        }
        let prep = governing_prep(toks, f);
        let background = matches!(
            prep,
            Some("following" | "after" | "before" | "during" | "amid" | "amidst" | "since")
        ) || (f >= 3 && toks[f - 3].norm == "wake")
            || (f >= 2 && toks[f - 2].norm == "because");
        let topic = matches!(
            prep,
            Some(
                "of" | "for"
                    | "on"
                    | "to"
                    | "with"
                    | "from"
                    | "against"
                    | "over"
                    | "about"
                    | "into"
                    | "at"
                    // "killed by a roadside bomb": the means of the event
                    | "by"
            )
        ) && triggers[..j].iter().any(|a| {
            // a verb governs its topic from afar; a noun only what follows it closely
            // ("a demonstration over fraud allegations")
            let reach = if is_nominal(toks, a.first()) { 4 } else { 12 };
            f > a.last()
                && f - a.last() <= reach
                && !toks[a.last() + 1..f].iter().any(|t| {
                    matches!(
                        t.norm.as_str(),
                        ";" | "," | "and" | "but" | "which" | "who" | "that" | "where"
                    )
                })
        });
        if background || topic {
            out.push(j);
        }
    }
    out
}

/// "Russia said Sudan must return the helicopter": the speaker demands, of the actor before
/// "must". Returns (speaker, addressee) mention indexes; none without a reporting verb.
pub fn obligation(
    toks: &[Token],
    ments: &[Mention],
    must: usize,
) -> Option<(usize, Option<usize>)> {
    let addressee = (0..ments.len())
        .rev()
        .find(|&i| ments[i].end <= must && must - ments[i].end <= 3);
    let report = (0..toks.len()).find(|&k| {
        is(REPORTING_VERBS, &toks[k].norm)
            || matches!(toks[k].norm.as_str(), "reminder" | "insisted" | "insists")
    })?;
    let speaker = if report < must {
        (0..ments.len())
            .rev()
            .find(|&i| ments[i].end <= report && ments[i].prep.is_none())
    } else {
        (0..ments.len())
            .rev()
            .find(|&i| ments[i].end <= report && ments[i].start > must)
    }?;
    Some((speaker, addressee.filter(|a| *a != speaker)))
}
