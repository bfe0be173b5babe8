//! Aho-Corasick indexes over normalised aliases. A document is normalised once into a string of
//! token norms joined by spaces; matches that start and end on token boundaries are kept and the
//! longest leftmost wins.

use super::Kb;
use crate::text::{tokenize, Token};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

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
}

#[derive(Default)]
pub struct AliasIndex {
    ac: Option<AhoCorasick>,
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

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    senses: Vec<Vec<SenseEntry>>,
    by_norm: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, alias: &str, sense: Sense) {
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
        };
        let v = &mut self.senses[idx];
        match v.iter_mut().find(|e| e.sense == sense) {
            // one spelling of the name is enough to match in any case
            Some(e) => e.caps_only &= entry.caps_only,
            None => v.push(entry),
        }
    }

    fn build(self) -> AliasIndex {
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
            senses: self.senses,
            by_norm: self.by_norm,
        }
    }
}

pub(super) fn build_actor_index(kb: &Kb) -> AliasIndex {
    let mut b = Builder::default();
    for (i, c) in kb.countries.iter().enumerate() {
        b.add(&c.name, Sense::Country(i));
        for a in &c.aliases {
            b.add(a, Sense::Country(i));
        }
        for a in &c.adjectives {
            b.add(a, Sense::Demonym(i));
        }
        for a in &c.capitals {
            b.add(a, Sense::Capital(i));
        }
    }
    for (i, p) in kb.people.iter().enumerate() {
        b.add(&p.name, Sense::Person(i));
        for a in &p.aliases {
            b.add(a, Sense::Person(i));
        }
    }
    for (i, o) in kb.orgs.iter().enumerate() {
        b.add(&o.name, Sense::Org(i));
        for a in &o.aliases {
            b.add(a, Sense::Org(i));
        }
    }
    for (i, a) in kb.agents.iter().enumerate() {
        b.add(&a.term, Sense::Agent(i));
    }
    b.build()
}

pub(super) fn build_place_index(kb: &Kb) -> AliasIndex {
    let mut b = Builder::default();
    for (i, p) in kb.places.iter().enumerate() {
        b.add(&p.name, Sense::Place(i));
        for a in &p.aliases {
            b.add(a, Sense::Place(i));
        }
    }
    for (i, c) in kb.countries.iter().enumerate() {
        b.add(&c.name, Sense::Country(i));
        for a in &c.aliases {
            b.add(a, Sense::Country(i));
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
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let norm = Normalized::new(tokens);
        let start_tok: HashMap<usize, usize> = norm
            .starts
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i))
            .collect();
        // best (longest) match starting at each token
        let mut best: Vec<Option<(usize, usize)>> = vec![None; tokens.len()];
        for m in ac.find_overlapping_iter(&norm.text) {
            let Some(&ts) = start_tok.get(&m.start()) else {
                continue;
            };
            // the match must end where a token ends: at the text's end or before a space
            if m.end() != norm.text.len() && norm.text.as_bytes()[m.end()] != b' ' {
                continue;
            }
            let Some(&te) = start_tok.get(&(m.end() + 1)) else {
                continue;
            };
            let pid = m.pattern().as_usize();
            if best[ts].is_none_or(|(e, _)| te > e) {
                best[ts] = Some((te, pid));
            }
        }
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
    fn short_capital_aliases_need_capitals() {
        let ix = index(&[("US", Sense::Country(0))]);
        assert_eq!(spans(&ix, "The US said"), ["US"]);
        assert!(spans(&ix, "he told us").is_empty());
    }

    #[test]
    fn lookup_normalises_the_query() {
        let ix = index(&[("Recep Tayyip Erdoğan", Sense::Person(3))]);
        assert_eq!(ix.lookup("recep tayyip ERDOGAN"), [Sense::Person(3)]);
        assert!(ix.lookup("Erdogan").is_empty());
    }
}
