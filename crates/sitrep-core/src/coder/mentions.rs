//! Actor mentions in a sentence: KB alias matches merged into noun phrases ("Israeli Prime
//! Minister Benjamin Netanyahu", "US officials", "Sudan's army"), appositions folded, compound
//! actors grouped ("The US, in collaboration with Qatar"), and pronouns found for resolution.

use super::words::{is, DETERMINERS, PREPOSITIONS};
use crate::event::ActorRef;
use crate::kb::{Kb, Sense};
use crate::text::{Token, TokenKind};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A country, person or organisation the KB knows.
    Named,
    /// An agent word with no country ("officials", "police"); a country may come from context.
    Generic,
    /// A pronoun or short reference ("them", "both nations", "the group"), resolved later.
    Pronoun(PronounKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PronounKind {
    /// they, them, their
    Plural,
    /// it, its
    Neuter,
    /// he, him, his, she, her
    Person,
    /// both nations, the two countries, both sides
    Pair,
    /// the group, the movement, the militants
    Group,
    /// the country, the nation
    Country,
}

#[derive(Debug, Clone)]
pub struct Mention {
    /// Token range within the sentence.
    pub start: usize,
    pub end: usize,
    pub actor: ActorRef,
    pub kind: MentionKind,
    /// The preposition governing the phrase ("with Israeli leadership" → "with").
    pub prep: Option<String>,
    /// Mentions joined into one compound actor share a group number.
    pub group: usize,
    /// Followed by a possessive 's.
    pub possessive: bool,
    /// A person, or a title naming one ("the president").
    pub singular_person: bool,
    /// Whether the phrase is a generic plural ("protesters", "Israelis").
    pub plural: bool,
    /// The phrase ends in a country adjective ("Israeli" in "Israeli strikes").
    pub adjectival: bool,
    /// A pronoun in object position ("warned it", "urging them"), which cannot refer to the
    /// subject of its own clause.
    pub object_case: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Role {
    Agent,
    Title,
    Demonym,
    Country,
    Capital,
    Org,
    Person,
}

struct Piece {
    start: usize,
    end: usize,
    role: Role,
    sense: Sense,
}

fn pick_sense(senses: &[Sense]) -> Option<(Role, Sense)> {
    let mut best: Option<(Role, Sense)> = None;
    for s in senses {
        let r = match s {
            Sense::Person(_) => Role::Person,
            Sense::Org(_) => Role::Org,
            Sense::Country(_) => Role::Country,
            Sense::Capital(_) => Role::Capital,
            Sense::Demonym(_) => Role::Demonym,
            Sense::Agent(_) => Role::Agent,
            Sense::Place(_) => continue,
        };
        if best.is_none_or(|(b, _)| r > b) {
            best = Some((r, *s));
        }
    }
    best
}

fn is_capitalised(tok: &Token, src: &str) -> bool {
    tok.kind == TokenKind::Word && tok.text(src).chars().next().is_some_and(char::is_uppercase)
}

/// Finds the mentions of one sentence. `src` is the document text.
pub fn find(kb: &Kb, src: &str, toks: &[Token], date: NaiveDate) -> Vec<Mention> {
    let mut pieces: Vec<Piece> = Vec::new();
    for m in kb.actors.find(src, toks) {
        let Some((mut role, sense)) = pick_sense(&m.senses) else {
            continue;
        };
        if let Sense::Agent(i) = sense {
            if kb.agents[i].title {
                role = Role::Title;
            }
        }
        pieces.push(Piece {
            start: m.start,
            end: m.end,
            role,
            sense,
        });
    }

    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        // grow a phrase while the next piece is adjacent (or separated by 's, a hyphen or up to
        // two lowercase modifiers before an agent head)
        let mut j = i + 1;
        while j < pieces.len() && joins(&pieces[j - 1], &pieces[j], toks, src) {
            j += 1;
        }
        let phrase = &pieces[i..j];
        let mut end = phrase[phrase.len() - 1].end;
        // a title followed by capitalised words names a person the KB does not know
        if phrase[phrase.len() - 1].role == Role::Title {
            while end < toks.len()
                && is_capitalised(&toks[end], src)
                && end - phrase[phrase.len() - 1].end < 3
            {
                end += 1;
            }
        }
        // the name may itself hold a KB word ("Defence Secretary Tom King"): it is the person's
        // name, not a second actor
        let mut next = j;
        while next < pieces.len() && pieces[next].start < end {
            next += 1;
        }
        let start = phrase[0].start;
        let text = &src[toks[start].start..toks[end - 1].end];
        let (actor, kind, singular_person, plural) =
            compose(kb, phrase, text, date, &toks[start..end]);
        let adjectival = phrase[phrase.len() - 1].role == Role::Demonym && !plural;
        out.push(Mention {
            start,
            end,
            actor,
            kind,
            prep: None,
            group: 0,
            possessive: toks
                .get(end)
                .is_some_and(|t| t.norm == "'s" || t.norm == "'"),
            singular_person,
            plural,
            adjectival,
            object_case: false,
        });
        i = next;
    }
    // "ethnic Albanians" names an ethnic group, not a nationality: the country is unknown
    for m in out.iter_mut() {
        if m.start > 0
            && toks[m.start - 1].norm == "ethnic"
            && m.kind == MentionKind::Named
            && m.actor.kb == m.actor.country
        {
            let sector = if m.actor.sector.is_empty() {
                "CVL".to_string()
            } else {
                m.actor.sector.clone()
            };
            m.actor = ActorRef::new(&m.actor.text, "", &sector, "");
            m.kind = MentionKind::Generic;
        }
    }
    // "anti-Syria journalist": a name after "anti-" says what the actor opposes, not who it is
    out.retain(|m| {
        !(m.start >= 2
            && toks[m.start - 1].norm == "-"
            && matches!(toks[m.start - 2].norm.as_str(), "anti" | "pro" | "non"))
    });
    add_pronouns(&mut out, toks);
    fold_appositions(&mut out, toks);
    for m in out.iter_mut() {
        m.prep = governing_prep(toks, m.start);
    }
    // "in Khartoum", "from Washington": a seat of government after a locative preposition is a
    // place, not the government
    let capital_only: Vec<bool> = out
        .iter()
        .map(|m| {
            m.kind == MentionKind::Named
                && m.actor.sector == "GOV"
                && m.actor.kb == m.actor.country
                && is_capital_text(kb, &m.actor)
        })
        .collect();
    let mut k = 0;
    out.retain(|m| {
        let drop = capital_only[k]
            && matches!(
                m.prep.as_deref(),
                Some(
                    "in" | "at"
                        | "near"
                        | "from"
                        | "into"
                        | "outside"
                        | "inside"
                        | "across"
                        | "around"
                )
            );
        k += 1;
        !drop
    });
    group_compounds(&mut out, toks);
    out
}

fn joins(a: &Piece, b: &Piece, toks: &[Token], src: &str) -> bool {
    let gap = &toks[a.end..b.start];
    let modifier = matches!(
        a.role,
        Role::Demonym | Role::Country | Role::Capital | Role::Title
    );
    let head_is_agent = matches!(b.role, Role::Agent | Role::Title);
    if gap.is_empty() {
        // "Lebanese Hezbollah", "Biden administration", "President Biden" join; two named
        // heads side by side ("Israel Hamas war") stay two actors
        return modifier || head_is_agent;
    }
    // "Taiwan's Vice Foreign Minister"
    if b.role == Role::Title
        && matches!(a.role, Role::Country | Role::Org)
        && gap.len() >= 2
        && gap.len() <= 3
        && gap[0].norm == "'s"
        && gap[1..].iter().all(|t| is_capitalised(t, src))
    {
        return true;
    }
    if gap.len() == 1 && (gap[0].norm == "'s" || gap[0].norm == "-") {
        // "Sudan's army" is one actor; "Israel-Lebanon" is two
        return a.role != Role::Agent && head_is_agent;
    }
    // "British Defence Secretary": capitalised words between a country word and a title
    if b.role == Role::Title
        && matches!(a.role, Role::Demonym | Role::Country)
        && gap.len() <= 2
        && gap.iter().all(|t| is_capitalised(t, src))
    {
        return true;
    }
    // "Israeli security officials", "Lebanese terror group": lowercase modifiers before a head
    let named_modifier = matches!(
        a.role,
        Role::Demonym | Role::Country | Role::Org | Role::Person
    );
    head_is_agent
        && named_modifier
        && gap.len() <= 2
        && gap.iter().all(|t| {
            // verb forms ("Britain mobilized army reservists") never sit inside a noun phrase
            t.kind == TokenKind::Word
                && !t.norm.ends_with("ed")
                && !t.norm.ends_with("ing")
                && !is_capitalised(t, src)
                && !is(PREPOSITIONS, &t.norm)
                && !is(
                    &[
                        "and", "or", "but", "has", "have", "had", "is", "was", "are", "were",
                        "will", "said", "the", "a", "an",
                    ],
                    &t.norm,
                )
        })
}

fn compose(
    kb: &Kb,
    phrase: &[Piece],
    text: &str,
    date: NaiveDate,
    toks: &[Token],
) -> (ActorRef, MentionKind, bool, bool) {
    let head = phrase.last().map(|p| p.role).unwrap_or(Role::Agent);
    let agent_sector = phrase.iter().rev().find_map(|p| match p.sense {
        Sense::Agent(i) if matches!(p.role, Role::Agent | Role::Title) => {
            Some(kb.agents[i].sector.clone())
        }
        _ => None,
    });
    let title = head == Role::Title || phrase.iter().any(|p| p.role == Role::Title);
    if let Some(p) = phrase.iter().find(|p| p.role == Role::Person) {
        let Sense::Person(i) = p.sense else {
            unreachable!()
        };
        let person = &kb.people[i];
        let (country, sector) = match person.role_on(date) {
            Some((r, _)) => (r.country.clone(), r.sector.clone()),
            None => (String::new(), String::new()),
        };
        // "the Biden administration": the person's country, the agent's sector
        let sector = if matches!(head, Role::Agent) {
            agent_sector.unwrap_or(sector)
        } else {
            sector
        };
        let single = !matches!(head, Role::Agent);
        return (
            ActorRef::new(text, &country, &sector, &person.id),
            MentionKind::Named,
            single,
            !single,
        );
    }
    if let Some(p) = phrase.iter().find(|p| p.role == Role::Org) {
        let Sense::Org(i) = p.sense else {
            unreachable!()
        };
        let o = &kb.orgs[i];
        return (
            ActorRef::new(text, &o.country, &o.sector, &o.id),
            MentionKind::Named,
            false,
            false,
        );
    }
    let country = phrase.iter().find_map(|p| match p.sense {
        Sense::Country(i) | Sense::Demonym(i) | Sense::Capital(i) => Some(i),
        _ => None,
    });
    match country {
        Some(ci) => {
            let c = &kb.countries[ci];
            let capital = phrase.iter().any(|p| p.role == Role::Capital);
            // "Israelis", "10 Americans": a plural demonym on its own means the people
            let plural_demonym = head == Role::Demonym
                && toks
                    .last()
                    .is_some_and(|t| t.norm.ends_with('s') && t.norm.len() > 3);
            let sector = match (&agent_sector, capital, plural_demonym) {
                (Some(s), _, _) => s.clone(),
                (None, true, _) => "GOV".to_string(),
                (None, false, true) => "CVL".to_string(),
                _ => String::new(),
            };
            let plural = plural_demonym || (agent_sector.is_some() && !title && plural_head(toks));
            (
                ActorRef::new(text, &c.code, &sector, &c.code),
                MentionKind::Named,
                title,
                plural,
            )
        }
        None => {
            let sector = agent_sector.unwrap_or_default();
            (
                ActorRef::new(text, "", &sector, ""),
                MentionKind::Generic,
                title,
                !title && plural_head(toks),
            )
        }
    }
}

/// Whether a phrase's head names many ("officials", "troops", "police") rather than one body
/// that "it" can stand for ("the government said it would …", "the army and its allies").
fn plural_head(toks: &[Token]) -> bool {
    toks.last().is_some_and(|t| {
        let w = t.norm.as_str();
        (w.ends_with('s') && !w.ends_with("ss")) || matches!(w, "police" | "people" | "clergy")
    })
}

fn is_capital_text(kb: &Kb, a: &ActorRef) -> bool {
    kb.country(&a.country).is_some_and(|c| {
        c.capitals
            .iter()
            .any(|cap| crate::kb::normalize_alias(cap) == crate::kb::normalize_alias(&a.text))
    })
}

fn pronoun_at(toks: &[Token], i: usize) -> Option<(PronounKind, usize)> {
    let w = toks[i].norm.as_str();
    let next = toks.get(i + 1).map(|t| t.norm.as_str()).unwrap_or("");
    let pair_nouns = [
        "nations",
        "countries",
        "sides",
        "governments",
        "states",
        "parties",
        "leaders",
    ];
    match w {
        "they" | "them" | "their" => Some((PronounKind::Plural, 1)),
        "it" | "its" => Some((PronounKind::Neuter, 1)),
        "he" | "him" | "his" | "she" | "her" => Some((PronounKind::Person, 1)),
        "both" if pair_nouns.contains(&next) => Some((PronounKind::Pair, 2)),
        "the"
            if next == "two"
                && toks
                    .get(i + 2)
                    .is_some_and(|t| pair_nouns.contains(&t.norm.as_str())) =>
        {
            Some((PronounKind::Pair, 3))
        }
        "the"
            if matches!(
                next,
                "group" | "movement" | "organisation" | "organization" | "militia"
            ) =>
        {
            Some((PronounKind::Group, 2))
        }
        "the" if matches!(next, "country" | "nation" | "kingdom" | "republic") => {
            Some((PronounKind::Country, 2))
        }
        _ => None,
    }
}

/// "them", "him" are objects; "it" and "her" are objects unless a verb follows ("it will").
fn object_case(toks: &[Token], i: usize) -> bool {
    let next = toks.get(i + 1).map(|t| t.norm.as_str()).unwrap_or("");
    match toks[i].norm.as_str() {
        "them" | "him" => true,
        "it" | "her" => {
            let verb_follows = matches!(
                next,
                "will"
                    | "would"
                    | "could"
                    | "can"
                    | "may"
                    | "might"
                    | "must"
                    | "should"
                    | "has"
                    | "had"
                    | "is"
                    | "was"
                    | "did"
                    | "does"
                    | "'s"
            ) || next.ends_with("ed")
                || (next.ends_with('s') && !next.ends_with("ss"));
            !verb_follows && i > 0
        }
        _ => false,
    }
}

fn add_pronouns(out: &mut Vec<Mention>, toks: &[Token]) {
    // names come sorted by start and pronouns are found left to right, so one pointer to the
    // first name not yet passed answers every overlap question: a sentence of pronouns stays
    // "both parties", "the two sides": a reference to a pair named before, not the generic
    // agent its noun names (which would take a country from the sentence)
    let pairs: Vec<(usize, usize)> = (0..toks.len())
        .filter_map(|i| match pronoun_at(toks, i) {
            Some((PronounKind::Pair, len)) => Some((i, i + len)),
            _ => None,
        })
        .collect();
    if !pairs.is_empty() {
        out.retain(|m| {
            !(m.kind == MentionKind::Generic
                && pairs.iter().any(|&(a, b)| a <= m.start && m.end <= b))
        });
    }
    // linear instead of scanning all earlier mentions at every word
    let named = out.len();
    crate::work::add(toks.len() + named);
    let mut k = 0;
    let mut i = 0;
    while i < toks.len() {
        while k < named && out[k].end <= i {
            k += 1;
        }
        if k < named && out[k].start <= i {
            i += 1;
            continue;
        }
        if let Some((kind, len)) = pronoun_at(toks, i) {
            let end = (i + len).min(toks.len());
            if !(k < named && out[k].start < end) {
                out.push(Mention {
                    start: i,
                    end,
                    actor: ActorRef::default(),
                    kind: MentionKind::Pronoun(kind),
                    prep: None,
                    group: 0,
                    possessive: matches!(toks[i].norm.as_str(), "their" | "its" | "his" | "her"),
                    singular_person: kind == PronounKind::Person,
                    adjectival: false,
                    object_case: object_case(toks, i),
                    plural: matches!(kind, PronounKind::Plural | PronounKind::Pair),
                });
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out.sort_by_key(|m| m.start);
}

/// "the Lebanese terror group, Hezbollah," → one mention, coded as Hezbollah.
fn fold_appositions(out: &mut Vec<Mention>, toks: &[Token]) {
    let mut i = 0;
    while i + 1 < out.len() {
        let (a, b) = (&out[i], &out[i + 1]);
        // "the Lebanese terror group, Hezbollah": up to three lowercase words before the comma
        let comma_between = b.start > a.end
            && b.start <= a.end + 4
            && toks[b.start - 1].norm == ","
            && toks[a.end..b.start - 1].iter().all(|t| {
                t.kind == TokenKind::Word && t.norm.chars().all(|c| c.is_lowercase() || c == '-')
            });
        let closes = toks.get(b.end).is_none_or(|t| t.kind == TokenKind::Punct);
        let a_vague = a.kind == MentionKind::Generic
            || (a.actor.sector.is_empty() && a.kind == MentionKind::Named && !a.plural);
        let compatible = a.actor.country.is_empty() || a.actor.country == b.actor.country;
        if comma_between
            && closes
            && a_vague
            && compatible
            && b.kind == MentionKind::Named
            && !a.possessive
        {
            let start = a.start;
            out[i + 1].start = start;
            out.remove(i);
            continue;
        }
        i += 1;
    }
}

const QUANTITY_HEADS: &[&str] = &[
    "hundreds",
    "thousands",
    "tens",
    "millions",
    "dozens",
    "scores",
    "dozen",
    "hundred",
    "thousand",
    "million",
    "number",
    "numbers",
    "group",
    "groups",
    "crowd",
    "crowds",
    "band",
    "some",
    "many",
    "most",
    "all",
    "several",
    "one",
    "two",
    "three",
    "four",
    "five",
    "both",
    "none",
    "each",
    "majority",
    "handful",
];

fn governing_prep(toks: &[Token], start: usize) -> Option<String> {
    let mut k = start;
    let mut skipped = 0;
    while k > 0 {
        k -= 1;
        let w = toks[k].norm.as_str();
        // "thousands of protesters", "dozens of soldiers", "one of the rebels": the phrase is
        // the head of its noun phrase, not a prepositional object
        if w == "of"
            && k > 0
            && (toks[k - 1].kind == TokenKind::Number || is(QUANTITY_HEADS, &toks[k - 1].norm))
        {
            return None;
        }
        if is(PREPOSITIONS, w) {
            return Some(w.to_string());
        }
        if is(DETERMINERS, w) && skipped < 3 {
            skipped += 1;
            continue;
        }
        if toks[k].kind == TokenKind::Number && skipped < 3 {
            skipped += 1;
            continue;
        }
        if matches!(w, "over" | "than" | "more" | "some" | "about" | "least") && skipped < 4 {
            skipped += 1;
            continue;
        }
        return None;
    }
    None
}

/// Words between two mentions that join them into one compound actor.
fn compound_separator(toks: &[Token], from: usize, to: usize) -> bool {
    let words: Vec<&str> = toks[from..to]
        .iter()
        .map(|t| t.norm.as_str())
        .filter(|w| *w != ",")
        .collect();
    // "the speaker and a group of deputies", "the minister and several of his aides": a
    // quantity of people joined by "and" is part of the compound
    let quantified = words.len() >= 3
        && words.len() <= 5
        && words[0] == "and"
        && words.last() == Some(&"of")
        && words[1..words.len() - 1].iter().all(|w| {
            is(DETERMINERS, w) || is(QUANTITY_HEADS, w) || matches!(*w, "his" | "her" | "their")
        });
    quantified
        || matches!(
            words.as_slice(),
            ["and"]
                | ["and", "other"]
                | ["and", "the"]
                | ["as", "well", "as"]
                | ["along", "with"]
                | ["together", "with"]
                | ["in", "collaboration", "with"]
                | ["in", "cooperation", "with"]
                | ["in", "coordination", "with"]
                | ["jointly", "with"]
                | ["or"]
        )
}

fn is_comma_between(toks: &[Token], a: &Mention, b: &Mention) -> bool {
    b.start == a.end + 1 && toks[a.end].norm == ","
}

fn group_compounds(out: &mut [Mention], toks: &[Token]) {
    let mut g = 0;
    for i in 0..out.len() {
        if i > 0 {
            let (a, b) = (&out[i - 1], &out[i]);
            let pronoun = matches!(a.kind, MentionKind::Pronoun(_))
                || matches!(b.kind, MentionKind::Pronoun(_));
            let worded = b.start > a.end && compound_separator(toks, a.end, b.start);
            // a bare comma only joins a list that goes on to an "and": "X, Y and Z"
            let listed = is_comma_between(toks, a, b)
                && out
                    .get(i + 1)
                    .is_some_and(|c| c.start > b.end && compound_separator(toks, b.end, c.start));
            if pronoun || a.possessive || !(worded || listed) {
                g += 1;
            }
        }
        out[i].group = g;
    }
    // "in Afghanistan and Iraq": later members of a compound share the first one's preposition
    for i in 1..out.len() {
        if out[i].group == out[i - 1].group && out[i].prep.is_none() {
            out[i].prep = out[i - 1].prep.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::sentences;

    fn mentions(s: &str) -> Vec<(String, String, usize)> {
        let kb = Kb::embedded();
        let sent = &sentences(s)[0];
        find(
            &kb,
            s,
            &sent.tokens,
            NaiveDate::from_ymd_opt(2023, 11, 7).unwrap(),
        )
        .into_iter()
        .map(|m| {
            (
                s[sent.tokens[m.start].start..sent.tokens[m.end - 1].end].to_string(),
                m.actor.code,
                m.group,
            )
        })
        .collect()
    }

    #[test]
    fn merges_modifiers_titles_and_people() {
        let m = mentions(
            "Israeli Prime Minister Benjamin Netanyahu met US officials and Egypt's army.",
        );
        assert_eq!(m[0].0, "Israeli Prime Minister Benjamin Netanyahu");
        assert_eq!(m[0].1, "ISR GOV");
        assert_eq!(
            (m[1].0.as_str(), m[1].1.as_str()),
            ("US officials", "USA GOV")
        );
        assert_eq!(
            (m[2].0.as_str(), m[2].1.as_str()),
            ("Egypt's army", "EGY MIL")
        );
        assert_eq!(m[1].2, m[2].2, "joined by 'and' into one compound");
    }

    #[test]
    fn appositions_fold_and_compounds_group() {
        let m = mentions("He warned the Lebanese militant group, Hezbollah, and the US, in collaboration with Qatar, replied.");
        let codes: Vec<_> = m.iter().map(|x| x.1.as_str()).collect();
        assert!(codes.contains(&"LBN REB"), "{m:?}");
        let us = m.iter().find(|x| x.1 == "USA").unwrap();
        let qa = m.iter().find(|x| x.1 == "QAT").unwrap();
        assert_eq!(us.2, qa.2);
    }

    #[test]
    fn people_are_coded_by_date() {
        let kb = Kb::embedded();
        let s = "Netanyahu spoke.";
        let sent = &sentences(s)[0];
        let d2022 = NaiveDate::from_ymd_opt(2022, 6, 1).unwrap();
        let m = find(&kb, s, &sent.tokens, d2022);
        assert_eq!(m[0].actor.code, "ISR OPP");
    }
}
