//! The trigger lexicon compiled for matching.
//!
//! Pattern language (column `pattern` of `triggers.tsv`): words separated by spaces, each a
//! lemma that matches its inflected forms (`urge` → urges, urged, urging); `=word` matches that
//! form only; `a|b` matches either; `*` lets up to four words stand before the next element
//! ("issue * warning" matches "issued a stern warning"). A row whose event is `-` blocks: any
//! trigger whose words fall inside its match is dropped ("release * statement").

use super::inflect::forms;
use crate::kb::TriggerDef;
use crate::text::{Token, TokenKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

const MAX_GAP: usize = 4;

struct Elem {
    forms: HashSet<String>,
    gap_before: usize,
}

struct Entry {
    elems: Vec<Elem>,
    /// Index into `Kb::triggers`.
    def: usize,
    blocking: bool,
}

pub struct Lexicon {
    entries: Vec<Entry>,
    by_first: HashMap<String, Vec<usize>>,
}

/// One trigger found in a sentence: token positions of its matched words.
#[derive(Debug, Clone)]
pub struct TriggerMatch {
    pub def: usize,
    /// Token indexes (within the sentence) of each matched element, in order.
    pub words: Vec<usize>,
    pub blocking: bool,
}

impl TriggerMatch {
    pub fn first(&self) -> usize {
        self.words[0]
    }
    pub fn last(&self) -> usize {
        *self.words.last().unwrap_or(&self.words[0])
    }
}

fn elem_forms(spec: &str) -> HashSet<String> {
    let mut out = HashSet::default();
    for alt in spec.split('|') {
        let alt = alt.trim().to_lowercase();
        if let Some(exact) = alt.strip_prefix('=') {
            out.insert(exact.to_string());
        } else if !alt.is_empty() {
            out.extend(forms(&alt));
        }
    }
    out
}

impl Lexicon {
    pub fn new(defs: &[TriggerDef]) -> Lexicon {
        let mut entries = Vec::new();
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, d) in defs.iter().enumerate() {
            let mut elems = Vec::new();
            let mut gap = 0;
            for w in d.pattern.split_whitespace() {
                if w == "*" {
                    gap = MAX_GAP;
                    continue;
                }
                elems.push(Elem {
                    forms: elem_forms(w),
                    gap_before: gap,
                });
                gap = 0;
            }
            if elems.is_empty() {
                continue;
            }
            let id = entries.len();
            for f in &elems[0].forms {
                by_first.entry(f.clone()).or_default().push(id);
            }
            entries.push(Entry {
                elems,
                def: i,
                blocking: d.event.is_none(),
            });
        }
        Lexicon { entries, by_first }
    }

    /// Every match in the sentence, before overlaps are resolved.
    fn all_matches(&self, toks: &[Token]) -> Vec<TriggerMatch> {
        let mut out = Vec::new();
        crate::work::add(toks.len());
        for (i, t) in toks.iter().enumerate() {
            let Some(ids) = self.by_first.get(&t.norm) else {
                continue;
            };
            crate::work::add(ids.len());
            for &id in ids {
                let e = &self.entries[id];
                if let Some(words) = match_rest(e, toks, i) {
                    out.push(TriggerMatch {
                        def: e.def,
                        words,
                        blocking: e.blocking,
                    });
                }
            }
        }
        out
    }

    /// Matches after blocking and overlap resolution: a longer pattern wins over any shorter
    /// one that shares a word with it ("issued a warning" over "warning").
    pub fn find(&self, toks: &[Token]) -> Vec<TriggerMatch> {
        let mut all = self.all_matches(toks);
        let blocked: HashSet<usize> = all
            .iter()
            .filter(|m| m.blocking)
            .flat_map(|m| m.first()..=m.last())
            .collect();
        all.retain(|m| !m.blocking && !m.words.iter().any(|w| blocked.contains(w)));
        all.sort_by(|a, b| {
            b.words
                .len()
                .cmp(&a.words.len())
                .then((b.last() - b.first()).cmp(&(a.last() - a.first())))
                .then(a.first().cmp(&b.first()))
                .then(a.def.cmp(&b.def))
        });
        let mut used: HashSet<usize> = HashSet::default();
        let mut kept = Vec::new();
        for m in all {
            if m.words.iter().any(|w| used.contains(w)) {
                continue;
            }
            used.extend(m.words.iter().copied());
            kept.push(m);
        }
        kept.sort_by_key(|m| m.first());
        kept
    }
}

fn match_rest(e: &Entry, toks: &[Token], start: usize) -> Option<Vec<usize>> {
    let mut words = vec![start];
    let mut pos = start + 1;
    for el in &e.elems[1..] {
        let mut found = None;
        let mut j = pos;
        let mut skipped = 0;
        while j < toks.len() {
            let t = &toks[j];
            if el.forms.contains(&t.norm) {
                found = Some(j);
                break;
            }
            // a gap never crosses punctuation other than hyphens ("a day-old blockade")
            if t.kind == TokenKind::Punct && t.norm != "-" {
                break;
            }
            if t.norm != "-" {
                skipped += 1;
            }
            if skipped > el.gap_before {
                break;
            }
            j += 1;
        }
        crate::work::add(j + 1 - pos);
        let j = found?;
        words.push(j);
        pos = j + 1;
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::Origin;
    use crate::ontology::EventType;
    use crate::text::tokenize;

    fn def(p: &str, ev: Option<EventType>) -> TriggerDef {
        TriggerDef {
            pattern: p.into(),
            event: ev,
            cameo: String::new(),
            mode: String::new(),
            context: vec![],
            rule: p.into(),
            origin: Origin {
                file: "t".into(),
                line: 1,
            },
        }
    }

    fn found(lex: &Lexicon, defs: &[TriggerDef], s: &str) -> Vec<String> {
        let toks = tokenize(s, 0);
        lex.find(&toks)
            .iter()
            .map(|m| defs[m.def].pattern.clone())
            .collect()
    }

    #[test]
    fn longer_patterns_win_and_gaps_are_bounded() {
        let defs = vec![
            def("warning", Some(EventType::Threaten)),
            def("issue * warning", Some(EventType::Threaten)),
            def("release", Some(EventType::Retreat)),
            def("release * statement", None),
            def("=talks", Some(EventType::Consult)),
        ];
        let lex = Lexicon::new(&defs);
        assert_eq!(
            found(&lex, &defs, "He issued a stern warning"),
            ["issue * warning"]
        );
        assert_eq!(
            found(&lex, &defs, "He issued, later, a warning"),
            ["warning"]
        );
        assert_eq!(
            found(&lex, &defs, "They released a short statement"),
            Vec::<String>::new()
        );
        assert_eq!(
            found(&lex, &defs, "They released two hostages"),
            ["release"]
        );
        assert_eq!(found(&lex, &defs, "talks resumed; no talk"), ["=talks"]);
    }
}
