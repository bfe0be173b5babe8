//! The coder's reading of each sentence — its actors with pronouns resolved, whether a trigger
//! word occurs, and the status cue — for a second opinion (the learned model in sitrep-model) to
//! place events the rules did not find. It runs the same mention and pronoun steps as `code`.

use super::{mentions, remember, resolve_pronouns, status, Coder};
use crate::document::Document;
use crate::event::{ActorRef, Status};
use crate::text::sentences;

/// One sentence as the coder read it.
#[derive(Debug, Clone)]
pub struct SentenceView {
    /// Byte offsets of the sentence in the document text.
    pub start: usize,
    pub end: usize,
    /// Actors in text order, pronouns resolved, each code once; a mention that is the first
    /// word of a passive "by" phrase keeps its place, so callers take the order as a hint only.
    pub actors: Vec<ActorRef>,
    /// How many trigger words (of any event type) the lexicon found.
    pub triggers: usize,
    /// Status from the cue words before the first trigger, or after the first actor when the
    /// sentence has no trigger ("X did not …", "X could …").
    pub status: Status,
    pub status_cue: String,
}

impl Coder<'_> {
    /// Every sentence of the document as the coder reads it, in order.
    pub fn sentence_views(&self, doc: &Document) -> Vec<SentenceView> {
        let src = doc.text.as_str();
        let mut history = Vec::new();
        let mut out = Vec::new();
        for sent in sentences(src) {
            if sent.end - sent.start > self.opts.max_sentence_bytes {
                continue;
            }
            let toks = &sent.tokens;
            let ments = mentions::find(self.kb, src, toks, doc.date);
            let resolved = resolve_pronouns(&ments, &history);
            let found = self.lexicon.find(toks);
            let mut actors: Vec<ActorRef> = Vec::new();
            for a in resolved.iter().flat_map(|r| r.actors.iter()) {
                if a.code.is_empty() || actors.iter().any(|b| b.code == a.code) {
                    continue;
                }
                actors.push(a.clone());
            }
            let cue = if let Some(t) = found.iter().min_by_key(|t| t.first()) {
                let from = status::clause_start(toks, t.first(), 0);
                Some(status::detect(toks, from, t.first(), t.last()))
            } else {
                ments.first().and_then(|m| {
                    let at = (m.end + 3).min(toks.len().saturating_sub(1));
                    (at > m.end).then(|| status::detect(toks, m.end, at, at))
                })
            };
            let (status, status_cue) =
                cue.map_or((Status::Asserted, String::new()), |c| (c.status, c.cue));
            out.push(SentenceView {
                start: sent.start,
                end: sent.end,
                actors,
                triggers: found.len(),
                status,
                status_cue,
            });
            remember(&mut history, ments, resolved);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::coder::{Coder, CoderOptions};
    use crate::{Document, Kb, Status};

    fn doc(text: &str) -> Document {
        Document::new(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(), text)
    }

    #[test]
    fn views_list_actors_in_order_and_resolve_pronouns() {
        let kb = Kb::embedded();
        let coder = Coder::new(&kb, CoderOptions::default());
        let d = doc("Russia and Ukraine traded fire across the front. It did not stop there.");
        let v = coder.sentence_views(&d);
        assert_eq!(v.len(), 2);
        let codes: Vec<&str> = v[0].actors.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes.first(), Some(&"RUS"), "{codes:?}");
        assert!(codes.contains(&"UKR"), "{codes:?}");
        assert!(d.text[v[0].start..v[0].end].ends_with("front."));
        assert!(
            !v[1].actors.is_empty(),
            "the pronoun resolves to an earlier actor"
        );
        assert_eq!(v[1].status, Status::Negated);
    }
}
