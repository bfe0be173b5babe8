//! Indexes over normalised aliases. An alias is the token norms of its name joined by spaces;
//! text is searched by looking up runs of token norms that start with a token some alias starts
//! with, and the longest leftmost match wins.
//!
//! Loading must stay well under 100 ms for the ~120k names of the gazetteer, so an index is
//! built without an allocation per name: the normalised names lie end to end in one string,
//! are found through a table of their hashes, and their senses lie in one vector by ranges.
//! An Aho-Corasick automaton over the names was tried: a DFA over the ~3k actor names alone
//! took ~25 ms to build and searched sentences more slowly than the token-run lookups.

use super::Kb;
use crate::text::{tokenize, Token};
use hashbrown::HashTable;
use std::hash::BuildHasher;

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

/// A sense and when it may match, in 32 bits (the gazetteer has 120k of them): the kind of
/// sense, two flags, and the index into the KB's vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SenseEntry(u32);

impl SenseEntry {
    const INDEX_BITS: u32 = 27;
    const INDEX_MASK: u32 = (1 << Self::INDEX_BITS) - 1;
    /// Short all-capital aliases ("US", "UN", "IS") only match text written in capitals.
    const CAPS_ONLY: u32 = 1 << 27;
    /// Aliases that are also common words ("Turkey", "Mobile") need a capital initial.
    const CASED: u32 = 1 << 28;
    const FLAGS: u32 = Self::CAPS_ONLY | Self::CASED;

    fn new(sense: Sense, caps_only: bool, cased: bool) -> SenseEntry {
        let (kind, i) = match sense {
            Sense::Country(i) => (0, i),
            Sense::Demonym(i) => (1, i),
            Sense::Capital(i) => (2, i),
            Sense::Person(i) => (3, i),
            Sense::Org(i) => (4, i),
            Sense::Agent(i) => (5, i),
            Sense::Place(i) => (6, i),
        };
        let i = u32::try_from(i)
            .ok()
            .filter(|i| *i <= Self::INDEX_MASK)
            .expect("fewer than 2^27 KB entries of a kind");
        let mut bits = kind << 29 | i;
        if caps_only {
            bits |= Self::CAPS_ONLY;
        }
        if cased {
            bits |= Self::CASED;
        }
        SenseEntry(bits)
    }

    fn sense(self) -> Sense {
        let i = (self.0 & Self::INDEX_MASK) as usize;
        match self.0 >> 29 {
            0 => Sense::Country(i),
            1 => Sense::Demonym(i),
            2 => Sense::Capital(i),
            3 => Sense::Person(i),
            4 => Sense::Org(i),
            5 => Sense::Agent(i),
            _ => Sense::Place(i),
        }
    }

    fn caps_only(self) -> bool {
        self.0 & Self::CAPS_ONLY != 0
    }

    fn cased(self) -> bool {
        self.0 & Self::CASED != 0
    }

    fn same_sense(self, other: SenseEntry) -> bool {
        self.0 & !Self::FLAGS == other.0 & !Self::FLAGS
    }

    /// One spelling of a name is enough to match in any case: a flag stays only if both
    /// spellings have it.
    fn merge_flags(&mut self, other: SenseEntry) {
        self.0 &= other.0 | !Self::FLAGS;
    }
}

/// No name: the end of a chain.
const NONE: u32 = u32::MAX;

fn hash_str(s: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// String `i` of strings stored end to end in `text`, ending at `ends`.
fn nth<'a>(text: &'a str, ends: &[u32], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

/// A set of distinct strings numbered in insertion order, stored end to end in one string
/// and found through a hash table of their numbers: no allocation per string, 5 bytes of
/// table per string.
#[derive(Default)]
struct Names {
    text: String,
    /// String `i` is `text[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<u32>,
    table: HashTable<u32>,
}

impl Names {
    fn with_capacity(names: usize, bytes: usize) -> Names {
        Names {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(names),
            table: HashTable::with_capacity(names),
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get_str(&self, i: usize) -> &str {
        nth(&self.text, &self.ends, i)
    }

    fn find(&self, s: &str, hash: u64) -> Option<usize> {
        self.table
            .find(hash, |&i| self.get_str(i as usize) == s)
            .map(|&i| i as usize)
    }

    fn get(&self, s: &str) -> Option<usize> {
        self.find(s, hash_str(s))
    }

    /// Takes the string written to `text` after byte `start` as a name: its number, and
    /// whether it is new (if not, the copy is removed again).
    fn intern_tail(&mut self, start: usize) -> (usize, bool) {
        let hash = hash_str(&self.text[start..]);
        if let Some(i) = self.find(&self.text[start..], hash) {
            self.text.truncate(start);
            return (i, false);
        }
        let i = self.ends.len();
        let id = u32::try_from(i).expect("fewer than 4 billion names");
        self.ends
            .push(u32::try_from(self.text.len()).expect("names under 4 GB"));
        let Names { text, ends, table } = self;
        table.insert_unique(hash, id, |&j| hash_str(nth(text, ends, j as usize)));
        (i, true)
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get_str(i))
    }
}

/// The first tokens of aliases, each with the most tokens an alias starting with it has.
#[derive(Default)]
struct FirstTokens {
    /// (alias whose text starts with the token, the token's length in bytes, most tokens).
    tokens: Vec<(u32, u32, u32)>,
    table: HashTable<u32>,
}

impl FirstTokens {
    fn token<'a>(&self, names: &'a Names, k: u32) -> &'a str {
        let (name, len, _) = self.tokens[k as usize];
        &names.get_str(name as usize)[..len as usize]
    }

    /// The most tokens of an alias starting with `token`.
    fn longest(&self, names: &Names, token: &str) -> Option<usize> {
        self.table
            .find(hash_str(token), |&k| self.token(names, k) == token)
            .map(|&k| self.tokens[k as usize].2 as usize)
    }

    /// Notes new alias `name`.
    fn add(&mut self, names: &Names, name: usize) {
        let text = names.get_str(name).as_bytes();
        let len = text.iter().position(|&b| b == b' ').unwrap_or(text.len());
        let count = 1 + text[len..].iter().filter(|&&b| b == b' ').count() as u32;
        let token = &names.get_str(name)[..len];
        let hash = hash_str(token);
        if let Some(&k) = self.table.find(hash, |&k| self.token(names, k) == token) {
            let longest = &mut self.tokens[k as usize].2;
            *longest = (*longest).max(count);
            return;
        }
        let k = self.tokens.len() as u32;
        self.tokens.push((name as u32, len as u32, count));
        let FirstTokens { tokens, table } = self;
        table.insert_unique(hash, k, |&j| {
            let (name, len, _) = tokens[j as usize];
            hash_str(&names.get_str(name as usize)[..len as usize])
        });
    }
}

#[derive(Default)]
pub struct AliasIndex {
    /// The first token of any alias → most tokens such an alias has.
    first_tokens: FirstTokens,
    /// The normalised aliases.
    names: Names,
    /// The senses of alias `i` are `senses[sense_ends[i - 1]..sense_ends[i]]`.
    sense_ends: Vec<u32>,
    senses: Vec<SenseEntry>,
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
    let mut s = String::with_capacity(alias.len());
    normalize_alias_into(alias, &mut s);
    s
}

/// `normalize_alias`, appended to `out`.
fn normalize_alias_into(alias: &str, out: &mut String) {
    // Most names are ASCII words, perhaps joined by hyphens ("Saint-Denis"); the tokenizer
    // would only lowercase the words and make each hyphen a token of its own. Doing that
    // directly keeps loading the 120k-name KB fast.
    if alias
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b' ' || b == b'-')
    {
        let mut first = true;
        for w in alias.split_ascii_whitespace() {
            for (k, part) in w.split('-').enumerate() {
                if k > 0 {
                    push_token(out, &mut first, "-");
                }
                if !part.is_empty() {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    out.extend(part.bytes().map(|b| b.to_ascii_lowercase() as char));
                }
            }
        }
        return;
    }
    let mut first = true;
    for t in tokenize(alias, 0) {
        push_token(out, &mut first, &t.norm);
    }
}

fn push_token(out: &mut String, first: &mut bool, norm: &str) {
    if !*first {
        out.push(' ');
    }
    *first = false;
    out.push_str(norm);
}

/// Short all-capital names: at most four letters, all capitals, no dots ("US", not "U.S.").
fn caps_only(alias: &str) -> bool {
    let mut letters = 0;
    for c in alias.chars() {
        if c == '.' || (c.is_alphabetic() && !c.is_uppercase()) {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
            if letters > 4 {
                return false;
            }
        }
    }
    letters > 0
}

/// Collects aliases and their senses. Senses are chained per alias while adding (one vector
/// for all) and laid out by alias when built.
#[derive(Default)]
struct Builder {
    names: Names,
    /// First and last sense added for each alias.
    chain: Vec<(u32, u32)>,
    entries: Vec<SenseEntry>,
    /// The sense added after this one for the same alias, or `NONE`.
    next: Vec<u32>,
}

impl Builder {
    fn with_capacity(aliases: usize, bytes: usize) -> Builder {
        Builder {
            names: Names::with_capacity(aliases, bytes),
            chain: Vec::with_capacity(aliases),
            entries: Vec::with_capacity(aliases),
            next: Vec::with_capacity(aliases),
        }
    }

    fn add(&mut self, alias: &str, sense: Sense) {
        self.add_cased(alias, sense, false);
    }

    fn add_cased(&mut self, alias: &str, sense: Sense, cased: bool) {
        let start = self.names.text.len();
        normalize_alias_into(alias, &mut self.names.text);
        if self.names.text.len() == start {
            return;
        }
        let (idx, new) = self.names.intern_tail(start);
        let entry = SenseEntry::new(sense, caps_only(alias), cased);
        let e = u32::try_from(self.entries.len()).expect("fewer than 4 billion senses");
        if new {
            self.chain.push((e, e));
        } else {
            let mut k = self.chain[idx].0;
            while k != NONE {
                let old = &mut self.entries[k as usize];
                if old.same_sense(entry) {
                    old.merge_flags(entry);
                    return;
                }
                k = self.next[k as usize];
            }
            let last = self.chain[idx].1;
            self.next[last as usize] = e;
            self.chain[idx].1 = e;
        }
        self.entries.push(entry);
        self.next.push(NONE);
    }

    fn build(self) -> AliasIndex {
        let mut senses = Vec::with_capacity(self.entries.len());
        let mut sense_ends = Vec::with_capacity(self.chain.len());
        for &(first, _) in &self.chain {
            let mut k = first;
            while k != NONE {
                senses.push(self.entries[k as usize]);
                k = self.next[k as usize];
            }
            sense_ends.push(senses.len() as u32);
        }
        let names = self.names;
        let mut first_tokens = FirstTokens {
            tokens: Vec::with_capacity(names.len()),
            table: HashTable::with_capacity(names.len()),
        };
        for i in 0..names.len() {
            first_tokens.add(&names, i);
        }
        AliasIndex {
            first_tokens,
            names,
            sense_ends,
            senses,
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
    let bytes = kb
        .places
        .iter()
        .map(|p| p.name.len() + p.aliases.iter().map(|a| a.len() + 4).sum::<usize>())
        .sum::<usize>();
    let mut b = Builder::with_capacity(n, bytes + bytes / 4);
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

impl AliasIndex {
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.len() == 0
    }

    /// The senses of alias `i`.
    fn senses_of(&self, i: usize) -> &[SenseEntry] {
        let start = if i == 0 {
            0
        } else {
            self.sense_ends[i - 1] as usize
        };
        &self.senses[start..self.sense_ends[i] as usize]
    }

    /// The senses of a name typed by a user (normalised like document text).
    pub fn lookup(&self, name: &str) -> Vec<Sense> {
        self.names
            .get(&normalize_alias(name))
            .map(|i| self.senses_of(i).iter().map(|e| e.sense()).collect())
            .unwrap_or_default()
    }

    /// Longest-leftmost, non-overlapping alias matches over `tokens` of `src`.
    pub fn find(&self, src: &str, tokens: &[Token]) -> Vec<AliasMatch> {
        let best = self.best_by_hash(tokens);
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some((end, pid)) = best[i] else {
                i += 1;
                continue;
            };
            let senses: Vec<Sense> = self
                .senses_of(pid)
                .iter()
                .filter(|e| !e.caps_only() || is_caps(&src[tokens[i].start..tokens[end - 1].end]))
                .filter(|e| !e.cased() || has_upper(&src[tokens[i].start..tokens[end - 1].end]))
                .map(|e| e.sense())
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

    /// Longest alias starting at each token, found by looking up runs of token norms.
    fn best_by_hash(&self, tokens: &[Token]) -> Vec<Option<(usize, usize)>> {
        let mut best = vec![None; tokens.len()];
        let mut key = String::new();
        let mut probes = tokens.len();
        for (i, t) in tokens.iter().enumerate() {
            let Some(longest) = self.first_tokens.longest(&self.names, &t.norm) else {
                continue;
            };
            for n in (1..=longest.min(tokens.len() - i)).rev() {
                probes += n;
                key.clear();
                for (k, u) in tokens[i..i + n].iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(&u.norm);
                }
                if let Some(pid) = self.names.get(&key) {
                    best[i] = Some((i + n, pid));
                    break;
                }
            }
        }
        crate::work::add(probes);
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

    /// Longest-leftmost matches by trying every alias at every token: what `find` must return.
    fn brute_force(aliases: &[&str], text: &str) -> Vec<String> {
        let toks = tokenize(text, 0);
        let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let end = aliases
                .iter()
                .filter_map(|a| {
                    let n = normalize_alias(a);
                    let len = n.split(' ').count();
                    (i + len <= toks.len() && norms[i..i + len].join(" ") == n).then_some(i + len)
                })
                .max();
            match end {
                Some(e) => {
                    out.push(text[toks[i].start..toks[e - 1].end].to_string());
                    i = e;
                }
                None => i += 1,
            }
        }
        out
    }

    const PLACES: [&str; 8] = [
        "Israel",
        "Israel-Lebanon border",
        "Lebanon",
        "New York",
        "New York City",
        "York",
        "Saint-Denis",
        "Ta'izz",
    ];

    #[test]
    fn finds_what_trying_every_alias_finds() {
        let ix = index(&PLACES.map(|a| (a, Sense::Place(0))));
        for text in [
            "clashes on the Israel-Lebanon border near Lebanon",
            "from New York City to New York, then York and Israel",
            "Saint-Denis and Ta'izz, Saint Denis and Taizz",
            "New New York City City",
            "nothing here",
        ] {
            assert_eq!(spans(&ix, text), brute_force(&PLACES, text), "{text}");
        }
        assert_eq!(spans(&ix, "New York City"), ["New York City"]);
    }

    proptest::proptest! {
        #[test]
        fn finds_what_trying_every_alias_finds_prop(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Israel", "-", "Lebanon", "border", "New", "York", "City", "Saint", "Denis",
                    "Ta'izz", "and", ",",
                ]),
                0..16,
            )
        ) {
            let ix = index(&PLACES.map(|a| (a, Sense::Place(0))));
            let text = words.join(" ");
            proptest::prop_assert_eq!(spans(&ix, &text), brute_force(&PLACES, &text));
        }
    }

    /// The shortcut for plain ASCII names must agree with the tokenizer it stands in for.
    fn normalize_by_tokens(alias: &str) -> String {
        let toks: Vec<String> = tokenize(alias, 0).into_iter().map(|t| t.norm).collect();
        toks.join(" ")
    }

    #[test]
    fn plain_names_normalise_as_the_tokenizer_does() {
        for a in [
            "Saint-Denis",
            "Israel-Lebanon border",
            "  New   York ",
            "a--b",
            "-",
            "x- -y",
            "Ta'izz",
            "U.S.",
            "Erdoğan",
            "",
        ] {
            assert_eq!(normalize_alias(a), normalize_by_tokens(a), "{a:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_names_normalise_as_the_tokenizer_does_prop(a in "[A-Za-z -]{0,24}") {
            proptest::prop_assert_eq!(normalize_alias(&a), normalize_by_tokens(&a));
        }
    }

    #[test]
    fn names_are_numbered_once_and_found_exactly() {
        let mut names = Names::default();
        let mut ids = Vec::new();
        for s in ["gaza", "gaza city", "gaza", "", "city"] {
            let start = names.text.len();
            names.text.push_str(s);
            ids.push(names.intern_tail(start));
        }
        assert_eq!(
            ids,
            [(0, true), (1, true), (0, false), (2, true), (3, true)]
        );
        assert_eq!(names.text, "gazagaza citycity");
        assert_eq!(names.get("gaza city"), Some(1));
        assert_eq!(names.get(""), Some(2));
        assert_eq!(names.get("gaz"), None);
        assert_eq!(
            names.iter().collect::<Vec<_>>(),
            ["gaza", "gaza city", "", "city"]
        );
    }

    #[test]
    fn packed_senses_round_trip() {
        let max = SenseEntry::INDEX_MASK as usize;
        for sense in [
            Sense::Country(0),
            Sense::Demonym(7),
            Sense::Capital(max),
            Sense::Person(1),
            Sense::Org(12345),
            Sense::Agent(3),
            Sense::Place(max - 1),
        ] {
            for (caps, cased) in [(false, false), (true, false), (false, true), (true, true)] {
                let e = SenseEntry::new(sense, caps, cased);
                assert_eq!((e.sense(), e.caps_only(), e.cased()), (sense, caps, cased));
            }
        }
        let mut a = SenseEntry::new(Sense::Place(5), true, true);
        let b = SenseEntry::new(Sense::Place(5), false, true);
        assert!(a.same_sense(b) && !a.same_sense(SenseEntry::new(Sense::Country(5), true, true)));
        a.merge_flags(b);
        assert_eq!(a, SenseEntry::new(Sense::Place(5), false, true));
    }

    #[test]
    #[should_panic(expected = "2^27")]
    fn too_large_an_index_is_refused() {
        SenseEntry::new(Sense::Place(1 << 27), false, false);
    }

    #[test]
    fn senses_keep_their_order_and_merge_per_sense() {
        let mut b = Builder::default();
        b.add_cased("Georgia", Sense::Country(0), true);
        b.add("Tbilisi", Sense::Capital(0));
        b.add("Georgia", Sense::Place(7));
        b.add("GEORGIA", Sense::Country(0));
        b.add("georgia", Sense::Place(8));
        let ix = b.build();
        assert_eq!(
            ix.lookup("Georgia"),
            [Sense::Country(0), Sense::Place(7), Sense::Place(8)]
        );
        assert_eq!(ix.lookup("tbilisi"), [Sense::Capital(0)]);
        // the uncased spelling of Country(0) lifts its need for a capital
        let toks = tokenize("georgia", 0);
        assert_eq!(ix.find("georgia", &toks)[0].senses.len(), 3);
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
