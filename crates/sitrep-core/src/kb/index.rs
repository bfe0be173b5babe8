//! Aho-Corasick indexes over normalised aliases. A document is normalised once into a string of
//! token norms joined by spaces; matches that start and end on token boundaries are kept and the
//! longest leftmost wins.

use super::Kb;
use crate::text::{tokenize, Token};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap as HashMap;

/// What an alias can mean. Indexes point into the KB's vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sense {
    /// The country's name: "Israel".
    Country(usize),
    /// An adjective or demonym: "Israeli", "Israelis".
    Demonym(usize),
    /// A seat of government standing for the government: "the Kremlin".
    Capital(usize),
    Person(usize),
    Org(usize),
    /// A generic agent or title (index into `Kb::agents`).
    Agent(usize),
    Place(usize),
}

#[derive(Debug, Clone, Copy)]
struct SenseEntry {
    sense: Sense,
    /// Short all-capital aliases ("US", "UN", "IS") only match text written in capitals.
    caps_only: bool,
    /// Aliases that are also common words ("Turkey", "Mobile") need a capital initial.
    cased: bool,
}

#[derive(Default)]
pub struct AliasIndex {
    ac: Option<AhoCorasick>,
    /// For large indexes instead of `ac`: first token of any alias → most tokens such an alias has.
    first_tokens: HashMap<String, usize>,
    senses: Vec<Vec<SenseEntry>>,
    /// Normalised alias → pattern number, for lookups by name.
    by_norm: HashMap<String, usize>,
}

/// One alias found in a token sequence: tokens `start..end` (indexes into the slice searched).
#[derive(Debug, Clone)]
pub struct AliasMatch {
    pub start: usize,
    pub end: usize,
    pub senses: Vec<Sense>,
}

/// Normalises an alias exactly as document text is normalised.
pub fn normalize_alias(alias: &str) -> String {
    // most names are plain ASCII words, which the tokenizer would only lowercase and split on
    // spaces; doing that directly keeps loading the 120k-name KB fast
    if alias.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ') {
        let mut s = String::with_capacity(alias.len());
        for w in alias.split_ascii_whitespace() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
        }
        return s;
    }
    let toks = tokenize(alias, 0);
    let mut s = String::with_capacity(alias.len());
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&t.norm);
    }
    s
}

fn caps_only(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.len() <= 4
        && letters.iter().all(|c| c.is_uppercase())
        && !alias.contains('.')
}

/// Above this many aliases an index is searched by hashing instead of with an automaton.
const AUTOMATON_MAX_PATTERNS: usize = 20_000;

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    senses: Vec<Vec<SenseEntry>>,
    by_norm: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, alias: &str, sense: Sense) {
        self.add_cased(alias, sense, false);
    }

    fn add_cased(&mut self, alias: &str, sense: Sense, cased: bool) {
        let norm = normalize_alias(alias);
        if norm.is_empty() {
            return;
        }
        let idx = *self.by_norm.entry(norm.clone()).or_insert_with(|| {
            self.patterns.push(norm);
            self.senses.push(Vec::new());
            self.patterns.len() - 1
        });
        let entry = SenseEntry {
            sense,
            caps_only: caps_only(alias),
            cased,
        };
        let v = &mut self.senses[idx];
        match v.iter_mut().find(|e| e.sense == sense) {
            // one spelling of the name is enough to match in any case
            Some(e) => {
                e.caps_only &= entry.caps_only;
                e.cased &= entry.cased;
            }
            None => v.push(entry),
        }
    }

    fn build(self) -> AliasIndex {
        self.build_with(AUTOMATON_MAX_PATTERNS)
    }

    fn build_with(self, automaton_max: usize) -> AliasIndex {
        // Building any Aho-Corasick automaton over the ~120k gazetteer names takes most of a
        // second; since matches must start and end on token boundaries anyway, a large index
        // is searched by hashing token runs instead, which builds in a few milliseconds.
        if self.patterns.len() > automaton_max {
            let mut first_tokens: HashMap<String, usize> = HashMap::default();
            for p in &self.patterns {
                let n = p.split(' ').count();
                let first = p.split(' ').next().unwrap_or_default();
                let e = first_tokens.entry(first.to_string()).or_insert(0);
                *e = (*e).max(n);
            }
            return AliasIndex {
                ac: None,
                first_tokens,
                senses: self.senses,
                by_norm: self.by_norm,
            };
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.patterns)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.patterns)
            })
            .ok();
        AliasIndex {
            ac,
            first_tokens: HashMap::default(),
            senses: self.senses,
            by_norm: self.by_norm,
        }
    }
}

pub(super) fn build_actor_index(kb: &Kb) -> AliasIndex {
    let mut b = Builder::default();
    for (i, c) in kb.countries.iter().enumerate() {
        b.add_cased(&c.name, Sense::Country(i), c.cased.applies(&c.name));
        for a in &c.aliases {
            b.add_cased(a, Sense::Country(i), c.cased.applies(a));
        }
        for a in &c.adjectives {
            b.add_cased(a, Sense::Demonym(i), c.cased.applies(a));
        }
        for a in &c.capitals {
            b.add_cased(a, Sense::Capital(i), c.cased.applies(a));
        }
    }
    // people's names are proper names: "Rice" and "Gates" must not fire on "rice" and "gates"
    for (i, p) in kb.people.iter().enumerate() {
        b.add_cased(&p.name, Sense::Person(i), true);
        for a in &p.aliases {
            b.add_cased(a, Sense::Person(i), true);
        }
    }
    for (i, o) in kb.orgs.iter().enumerate() {
        b.add_cased(&o.name, Sense::Org(i), o.cased.applies(&o.name));
        for a in &o.aliases {
            b.add_cased(a, Sense::Org(i), o.cased.applies(a));
        }
    }
    for (i, a) in kb.agents.iter().enumerate() {
        b.add(&a.term, Sense::Agent(i));
    }
    b.build()
}

pub(super) fn build_place_index(kb: &Kb) -> AliasIndex {
    // sized up front: growing a 120k-entry table step by step costs more than filling it
    let n = kb.places.iter().map(|p| 1 + p.aliases.len()).sum::<usize>() + kb.countries.len() * 4;
    let mut b = Builder {
        patterns: Vec::with_capacity(n),
        senses: Vec::with_capacity(n),
        by_norm: HashMap::with_capacity_and_hasher(n, Default::default()),
    };
    for (i, p) in kb.places.iter().enumerate() {
        b.add_cased(&p.name, Sense::Place(i), p.cased.applies(&p.name));
        for a in &p.aliases {
            b.add_cased(a, Sense::Place(i), p.cased.applies(a));
        }
    }
    for (i, c) in kb.countries.iter().enumerate() {
        b.add_cased(&c.name, Sense::Country(i), c.cased.applies(&c.name));
        for a in &c.aliases {
            b.add_cased(a, Sense::Country(i), c.cased.applies(a));
        }
    }
    b.build()
}

/// A token sequence prepared for alias search: norms joined by single spaces.
pub struct Normalized {
    text: String,
    /// Byte offset of each token in `text`, and one past the end.
    starts: Vec<usize>,
}

impl Normalized {
    pub fn new(tokens: &[Token]) -> Normalized {
        let mut text = String::with_capacity(tokens.len() * 6);
        let mut starts = Vec::with_capacity(tokens.len() + 1);
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            starts.push(text.len());
            text.push_str(&t.norm);
        }
        starts.push(text.len() + 1);
        Normalized { text, starts }
    }
}

impl AliasIndex {
    pub fn len(&self) -> usize {
        self.senses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.senses.is_empty()
    }

    /// The senses of a name typed by a user (normalised like document text).
    pub fn lookup(&self, name: &str) -> Vec<Sense> {
        self.by_norm
            .get(&normalize_alias(name))
            .map(|i| self.senses[*i].iter().map(|e| e.sense).collect())
            .unwrap_or_default()
    }

    /// Longest-leftmost, non-overlapping alias matches over `tokens` of `src`.
    pub fn find(&self, src: &str, tokens: &[Token]) -> Vec<AliasMatch> {
        let best = match &self.ac {
            Some(ac) => self.best_by_automaton(ac, tokens),
            None => self.best_by_hash(tokens),
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some((end, pid)) = best[i] else {
                i += 1;
                continue;
            };
            let senses: Vec<Sense> = self.senses[pid]
                .iter()
                .filter(|e| !e.caps_only || is_caps(&src[tokens[i].start..tokens[end - 1].end]))
                .filter(|e| !e.cased || has_upper(&src[tokens[i].start..tokens[end - 1].end]))
                .map(|e| e.sense)
                .collect();
            if senses.is_empty() {
                i += 1;
                continue;
            }
            out.push(AliasMatch {
                start: i,
                end,
                senses,
            });
            i = end;
        }
        out
    }

    /// Longest alias starting at each token, as (end token, pattern), found with the automaton.
    fn best_by_automaton(&self, ac: &AhoCorasick, tokens: &[Token]) -> Vec<Option<(usize, usize)>> {
        let norm = Normalized::new(tokens);
        // token starts are sorted, so a binary search maps a byte offset to its token
        let tok_at = |off: usize| norm.starts.binary_search(&off).ok();
        let mut best: Vec<Option<(usize, usize)>> = vec![None; tokens.len()];
        for m in ac.find_overlapping_iter(&norm.text) {
            let Some(ts) = tok_at(m.start()) else {
                continue;
            };
            // the match must end where a token ends: at the text's end or before a space
            if m.end() != norm.text.len() && norm.text.as_bytes()[m.end()] != b' ' {
                continue;
            }
            let Some(te) = tok_at(m.end() + 1) else {
                continue;
            };
            let pid = m.pattern().as_usize();
            if best[ts].is_none_or(|(e, _)| te > e) {
                best[ts] = Some((te, pid));
            }
        }
        best
    }

    /// Longest alias starting at each token, found by looking up runs of token norms.
    fn best_by_hash(&self, tokens: &[Token]) -> Vec<Option<(usize, usize)>> {
        let mut best = vec![None; tokens.len()];
        let mut key = String::new();
        for (i, t) in tokens.iter().enumerate() {
            let Some(&longest) = self.first_tokens.get(t.norm.as_str()) else {
                continue;
            };
            for n in (1..=longest.min(tokens.len() - i)).rev() {
                key.clear();
                for (k, u) in tokens[i..i + n].iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(&u.norm);
                }
                if let Some(&pid) = self.by_norm.get(key.as_str()) {
                    best[i] = Some((i + n, pid));
                    break;
                }
            }
        }
        best
    }
}

/// Enough to tell "Turkey" from "turkey" while letting "al-Qaeda" through.
fn has_upper(s: &str) -> bool {
    s.chars().any(char::is_uppercase)
}

fn is_caps(s: &str) -> bool {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(aliases: &[(&str, Sense)]) -> AliasIndex {
        let mut b = Builder::default();
        for (a, s) in aliases {
            b.add(a, *s);
        }
        b.build()
    }

    fn spans(ix: &AliasIndex, s: &str) -> Vec<String> {
        let toks = tokenize(s, 0);
        ix.find(s, &toks)
            .iter()
            .map(|m| s[toks[m.start].start..toks[m.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn longest_match_wins_and_boundaries_hold() {
        let ix = index(&[
            ("Israel", Sense::Country(0)),
            ("Israel-Lebanon border", Sense::Place(0)),
            ("Lebanon", Sense::Country(1)),
            ("US", Sense::Country(2)),
            ("Benjamin Netanyahu", Sense::Person(0)),
            ("Netanyahu", Sense::Person(0)),
        ]);
        assert_eq!(
            spans(&ix, "clashes on the Israel-Lebanon border"),
            ["Israel-Lebanon border"]
        );
        assert_eq!(spans(&ix, "Israel and Lebanon"), ["Israel", "Lebanon"]);
        assert_eq!(spans(&ix, "Israel Lebanon"), ["Israel", "Lebanon"]);
        assert_eq!(
            spans(&ix, "Benjamin Netanyahu met Netanyahu’s aides"),
            ["Benjamin Netanyahu", "Netanyahu"]
        );
        assert_eq!(spans(&ix, "the Israeli army"), Vec::<String>::new());
    }

    #[test]
    fn hashed_index_finds_what_the_automaton_finds() {
        let aliases = [
            ("Israel", Sense::Country(0)),
            ("Israel-Lebanon border", Sense::Place(0)),
            ("Lebanon", Sense::Country(1)),
            ("Benjamin Netanyahu", Sense::Person(0)),
            ("Netanyahu", Sense::Person(0)),
            ("New York", Sense::Place(1)),
            ("New York City", Sense::Place(2)),
        ];
        let mut b = Builder::default();
        for (a, s) in aliases {
            b.add(a, s);
        }
        let hashed = b.build_with(0);
        let auto = index(&aliases);
        for text in [
            "clashes on the Israel-Lebanon border near Lebanon",
            "Benjamin Netanyahu flew from New York City to New York, then Israel",
            "nothing here",
        ] {
            assert_eq!(spans(&hashed, text), spans(&auto, text), "{text}");
        }
        assert_eq!(spans(&hashed, "New York City"), ["New York City"]);
    }

    #[test]
    fn short_capital_aliases_need_capitals() {
        let ix = index(&[("US", Sense::Country(0))]);
        assert_eq!(spans(&ix, "The US said"), ["US"]);
        assert!(spans(&ix, "he told us").is_empty());
    }

    #[test]
    fn cased_aliases_need_a_capital_initial() {
        let mut b = Builder::default();
        b.add_cased("Turkey", Sense::Country(0), true);
        b.add_cased("Mobile", Sense::Place(0), true);
        b.add("Ankara", Sense::Country(0));
        let ix = b.build();
        assert_eq!(spans(&ix, "Turkey and Ankara"), ["Turkey", "Ankara"]);
        assert_eq!(spans(&ix, "they ate turkey in ankara"), ["ankara"]);
        assert!(spans(&ix, "a mobile clinic").is_empty());
        assert_eq!(spans(&ix, "flooding in Mobile"), ["Mobile"]);
    }

    #[test]
    fn lookup_normalises_the_query() {
        let ix = index(&[("Recep Tayyip Erdoğan", Sense::Person(3))]);
        assert_eq!(ix.lookup("recep tayyip ERDOGAN"), [Sense::Person(3)]);
        assert!(ix.lookup("Erdogan").is_empty());
    }
}
