//! Indexes over normalised aliases. An alias is the token norms of its name; the aliases form
//! a trie over tokens, and text is searched by walking it from every token, so the longest
//! alias starting there is found with one lookup per token matched (most tokens start none).
//! The longest leftmost match wins.
//!
//! Loading must stay well under 100 ms for the ~120k names of the gazetteer, so an index is
//! built without an allocation per name: the trie's tokens lie end to end in one string, its
//! edges in one vector found through a hash table of their numbers, and the aliases' senses
//! in one vector by ranges. An Aho-Corasick automaton over the names was tried: a DFA over the
//! ~3k actor names alone took ~25 ms to build and searched sentences more slowly.

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

/// The hash of an edge: its parent node and its token's hash.
fn edge_hash(parent: u32, token_hash: u64) -> u64 {
    rustc_hash::FxBuildHasher.hash_one((parent, token_hash))
}

/// One edge of the trie: from node `parent` over a token to the node numbered one more than
/// the edge (node 0 is the root).
#[derive(Debug, Clone, Copy)]
struct Edge {
    parent: u32,
    /// The token: `text[start..start + len]`.
    start: u32,
    len: u32,
    /// The alias whose last token this is, or `NONE`.
    alias: u32,
}

/// Aliases as paths of tokens from the root, numbered in the order they were first added.
#[derive(Default)]
struct Trie {
    text: String,
    edges: Vec<Edge>,
    /// Edge numbers, found by `edge_hash`.
    table: HashTable<u32>,
    aliases: usize,
    /// One bit per hash value (modulo the length), set for the token of every edge from the
    /// root. Every token of a text is looked up from the root, and most start no alias; these
    /// bits (256 kB for the gazetteer) stay in cache where the table would miss it.
    first_bits: Vec<u64>,
}

impl Trie {
    fn with_capacity(edges: usize, bytes: usize) -> Trie {
        Trie {
            text: String::with_capacity(bytes),
            edges: Vec::with_capacity(edges),
            table: HashTable::with_capacity(edges),
            ..Trie::default()
        }
    }

    fn token(&self, e: u32) -> &str {
        let e = self.edges[e as usize];
        &self.text[e.start as usize..(e.start + e.len) as usize]
    }

    /// The edge from `node` over `token` (whose hash is `hash`).
    fn child(&self, node: u32, token: &str, hash: u64) -> Option<u32> {
        if node == 0 && !self.may_start(hash) {
            return None;
        }
        self.table
            .find(edge_hash(node, hash), |&e| {
                self.edges[e as usize].parent == node && self.token(e) == token
            })
            .copied()
    }

    /// The alias of these tokens, numbered anew if it is new, and whether it is.
    fn insert<'a>(&mut self, tokens: impl Iterator<Item = &'a str>) -> (usize, bool) {
        let mut node = 0;
        for t in tokens {
            let hash = hash_str(t);
            let found = self
                .table
                .find(edge_hash(node, hash), |&e| {
                    self.edges[e as usize].parent == node && self.token(e) == t
                })
                .copied();
            let e = match found {
                Some(e) => e,
                None => {
                    let e = u32::try_from(self.edges.len()).expect("fewer than 4 billion edges");
                    let start = u32::try_from(self.text.len()).expect("tokens under 4 GB");
                    self.text.push_str(t);
                    self.edges.push(Edge {
                        parent: node,
                        start,
                        len: t.len() as u32,
                        alias: NONE,
                    });
                    let Trie {
                        text, edges, table, ..
                    } = self;
                    table.insert_unique(edge_hash(node, hash), e, |&k| {
                        let d = edges[k as usize];
                        let tok = &text[d.start as usize..(d.start + d.len) as usize];
                        edge_hash(d.parent, hash_str(tok))
                    });
                    e
                }
            };
            node = e + 1;
        }
        assert!(node > 0, "an alias has at least one token");
        let edge = &mut self.edges[node as usize - 1];
        if edge.alias != NONE {
            return (edge.alias as usize, false);
        }
        edge.alias = u32::try_from(self.aliases).expect("fewer than 4 billion aliases");
        self.aliases += 1;
        (self.aliases - 1, true)
    }

    /// The alias whose normalised text is `norm`.
    fn get(&self, norm: &str) -> Option<usize> {
        if norm.is_empty() {
            return None;
        }
        let mut node = 0;
        for t in norm.split(' ') {
            node = self.child(node, t, hash_str(t))? + 1;
        }
        let alias = self.edges[node as usize - 1].alias;
        (alias != NONE).then_some(alias as usize)
    }

    /// Where a hash's bit lies: the high half of the hash.
    fn bit(&self, hash: u64) -> (usize, u64) {
        let n = (self.first_bits.len() * 64) as u64;
        let b = (hash >> 32) & (n - 1);
        ((b / 64) as usize, 1 << (b % 64))
    }

    fn may_start(&self, hash: u64) -> bool {
        if self.first_bits.is_empty() {
            return false;
        }
        let (word, mask) = self.bit(hash);
        self.first_bits[word] & mask != 0
    }

    /// Sets the bits once all aliases are added: about 32 bits per edge from the root, so a
    /// token that starts no alias passes them in about 3% of cases.
    fn fill_first_bits(&mut self) {
        let roots: Vec<u32> = (0..self.edges.len() as u32)
            .filter(|&e| self.edges[e as usize].parent == 0)
            .collect();
        let n = (roots.len() * 32).next_power_of_two().max(64);
        self.first_bits = vec![0; n / 64];
        for e in roots {
            let (word, mask) = self.bit(hash_str(self.token(e)));
            self.first_bits[word] |= mask;
        }
    }
}

#[derive(Default)]
pub struct AliasIndex {
    trie: Trie,
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
    trie: Trie,
    /// The alias being added, normalised.
    norm: String,
    /// First and last sense added for each alias.
    chain: Vec<(u32, u32)>,
    entries: Vec<SenseEntry>,
    /// The sense added after this one for the same alias, or `NONE`.
    next: Vec<u32>,
}

impl Builder {
    fn with_capacity(aliases: usize, bytes: usize) -> Builder {
        Builder {
            trie: Trie::with_capacity(aliases + aliases / 4, bytes),
            norm: String::new(),
            chain: Vec::with_capacity(aliases),
            entries: Vec::with_capacity(aliases),
            next: Vec::with_capacity(aliases),
        }
    }

    fn add(&mut self, alias: &str, sense: Sense) {
        self.add_cased(alias, sense, false);
    }

    fn add_cased(&mut self, alias: &str, sense: Sense, cased: bool) {
        self.norm.clear();
        normalize_alias_into(alias, &mut self.norm);
        if self.norm.is_empty() {
            return;
        }
        let (idx, new) = self.trie.insert(self.norm.split(' '));
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
        let mut trie = self.trie;
        trie.fill_first_bits();
        AliasIndex {
            trie,
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
        self.trie.aliases
    }

    pub fn is_empty(&self) -> bool {
        self.trie.aliases == 0
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
        self.trie
            .get(&normalize_alias(name))
            .map(|i| self.senses_of(i).iter().map(|e| e.sense()).collect())
            .unwrap_or_default()
    }

    /// Longest-leftmost, non-overlapping alias matches over `tokens` of `src`.
    pub fn find(&self, src: &str, tokens: &[Token]) -> Vec<AliasMatch> {
        let mut out = Vec::new();
        let mut probes = tokens.len();
        let mut i = 0;
        while i < tokens.len() {
            let Some((end, alias)) = self.longest_at(tokens, i, &mut probes) else {
                i += 1;
                continue;
            };
            let senses: Vec<Sense> = self
                .senses_of(alias)
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
        crate::work::add(probes);
        out
    }

    /// The longest alias starting at token `i`, as (end token, alias), found by walking the
    /// trie; `probes` counts the lookups.
    fn longest_at(&self, tokens: &[Token], i: usize, probes: &mut usize) -> Option<(usize, usize)> {
        let mut best = None;
        let mut node = 0;
        for (j, t) in tokens.iter().enumerate().skip(i) {
            *probes += 1;
            let Some(e) = self.trie.child(node, &t.norm, hash_str(&t.norm)) else {
                break;
            };
            let alias = self.trie.edges[e as usize].alias;
            if alias != NONE {
                best = Some((j + 1, alias as usize));
            }
            node = e + 1;
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
    fn aliases_are_numbered_once_and_found_exactly() {
        let mut trie = Trie::default();
        let ids: Vec<(usize, bool)> = ["gaza", "gaza city", "gaza", "city", "gaza city"]
            .iter()
            .map(|a| trie.insert(a.split(' ')))
            .collect();
        assert_eq!(
            ids,
            [(0, true), (1, true), (0, false), (2, true), (1, false)]
        );
        // three edges: gaza, gaza → city, city; each token stored once per edge
        assert_eq!(trie.edges.len(), 3);
        assert_eq!(trie.text, "gazacitycity");
        trie.fill_first_bits();
        assert_eq!(trie.get("gaza city"), Some(1));
        assert_eq!(trie.get("city"), Some(2));
        assert_eq!(trie.get(""), None);
        assert_eq!(trie.get("gaz"), None);
        assert_eq!(trie.get("city gaza"), None);
        assert_eq!(trie.get("gaza city centre"), None);
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
