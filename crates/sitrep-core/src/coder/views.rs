//! The coder's reading of each sentence — its actors with pronouns resolved, whether a trigger
//! word occurs, and the status cue — for a second opinion (the learned model in sitrep-model) to
//! place events the rules did not find, or to decide which mention pairs stand in an event (the
//! learned relation coder). It runs the same mention, place and pronoun steps as `code`.

use super::{
    after_locative, context, dateline_country, dates, mentions, nearest_date, remember,
    resolve_pronouns, status, Coder,
};
use crate::document::Document;
use crate::event::{ActorRef, DatePrecision, Location, Quantity, Status};
use crate::kb::{AliasMatch, Sense};
use crate::ontology::EventType;
use crate::text::{sentences, Token};

/// One actor mention: where it is and whom it names once pronouns are resolved.
#[derive(Debug, Clone)]
pub struct MentionView {
    /// Byte offsets in the document text.
    pub start: usize,
    pub end: usize,
    /// The actors it stands for (several for a compound, the antecedent's for a pronoun).
    pub actors: Vec<ActorRef>,
    pub via_pronoun: bool,
    /// Mentions joined into one compound actor ("Kenya and Ethiopia") share a group.
    pub group: usize,
    /// A place acted on or speaking ("Kharkiv was shelled", "Moscow said"), which stands for
    /// its country; places after "in", "near", … are where events happen, not mentions.
    pub place: bool,
}

/// One trigger word or phrase the lexicon found, with what it would code and the status cue
/// of its clause.
#[derive(Debug, Clone)]
pub struct TriggerView {
    /// Byte offsets in the document text of the first and last matched word.
    pub start: usize,
    pub end: usize,
    pub event: Option<EventType>,
    pub cameo: String,
    pub mode: String,
    pub rule: String,
    pub status: Status,
    pub status_cue: String,
    /// Where, when and on what place the rules would code the act of this trigger: its scene,
    /// the date nearest to it, and the place acted on when no actor is ("shelled Kharkiv").
    pub location: Option<Location>,
    pub date: chrono::NaiveDate,
    pub date_precision: DatePrecision,
    pub place_target: Option<ActorRef>,
}

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
    /// Every actor mention in text order, with byte spans.
    pub mentions: Vec<MentionView>,
    /// Every trigger match in text order (blocking patterns left out).
    pub found: Vec<TriggerView>,
    /// Every date phrase, at the byte offset of its first word, resolved against the report.
    pub dates: Vec<(usize, chrono::NaiveDate, DatePrecision)>,
    /// Every count, at the byte offset of its first word (typed ones say what they count).
    pub quantities: Vec<(usize, Quantity)>,
    /// Where the sentence says its acts happen with no trigger word to anchor them: for the
    /// events the model finds in sentences the lexicon has no word for.
    pub scene: Option<Location>,
}

fn status_at(toks: &[Token], first: usize, last: usize) -> status::StatusCue {
    let from = status::clause_start(toks, first, 0);
    status::detect(toks, from, first, last)
}

impl Coder<'_> {
    /// Adds the places that are no actor mention and not governed by a locative preposition,
    /// each standing for its country, in text order.
    fn with_places(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        mut out: Vec<MentionView>,
    ) -> Vec<MentionView> {
        for p in places {
            let (start, end) = (toks[p.start].start, toks[p.end - 1].end);
            if after_locative(toks, p.start) || out.iter().any(|m| m.start < end && start < m.end) {
                continue;
            }
            let country = p.senses.iter().find_map(|s| match s {
                Sense::Place(i) => Some(self.kb.places[*i].country.clone()),
                _ => None,
            });
            let Some(country) = country.filter(|c| !c.is_empty()) else {
                continue;
            };
            out.push(MentionView {
                start,
                end,
                actors: vec![ActorRef::new(&src[start..end], &country, "", "")],
                via_pronoun: false,
                group: usize::MAX,
                place: true,
            });
        }
        out.sort_by_key(|m| m.start);
        out
    }

    /// Every sentence of the document as the coder reads it, in order.
    pub fn sentence_views(&self, doc: &Document) -> Vec<SentenceView> {
        let (dateline, doc) = self.without_dateline(doc);
        let doc = doc.as_ref();
        let src = doc.text.as_str();
        let mut history = Vec::new();
        let mut scene = dateline_country(dateline.as_ref());
        let mut out = Vec::new();
        for sent in sentences(src) {
            if sent.end - sent.start > self.opts.max_sentence_bytes {
                continue;
            }
            let toks = &sent.tokens;
            let mut ments = mentions::find(self.kb, src, toks, doc.date);
            let found = self.lexicon.find(toks);
            let places = self.kb.place_index.find(src, toks);
            // unlike the rules, which code nothing in a sentence without a trigger word, the
            // model reads every sentence with actors: their countries matter in each
            if let Some(c) =
                context::fill_countries(self.kb, toks, &places, &mut ments, scene.as_deref())
            {
                scene = Some(c);
            }
            let resolved = resolve_pronouns(&ments, &history);
            let mut actors: Vec<ActorRef> = Vec::new();
            for a in resolved.iter().flat_map(|r| r.actors.iter()) {
                if a.code.is_empty() || actors.iter().any(|b| b.code == a.code) {
                    continue;
                }
                actors.push(a.clone());
            }
            let cue = if let Some(t) = found.iter().min_by_key(|t| t.first()) {
                Some(status_at(toks, t.first(), t.last()))
            } else {
                ments.first().and_then(|m| {
                    let at = (m.end + 3).min(toks.len().saturating_sub(1));
                    (at > m.end).then(|| status::detect(toks, m.end, at, at))
                })
            };
            let (status, status_cue) =
                cue.map_or((Status::Asserted, String::new()), |c| (c.status, c.cue));
            let mention_views = ments
                .iter()
                .zip(&resolved)
                .map(|(m, r)| MentionView {
                    start: toks[m.start].start,
                    end: toks[m.end - 1].end,
                    actors: r.actors.clone(),
                    via_pronoun: r.via_pronoun,
                    group: m.group,
                    place: false,
                })
                .collect::<Vec<_>>();
            let mention_views = self.with_places(src, toks, &places, mention_views);
            let dates = dates::find(src, toks, doc.date);
            let trigger_views = found
                .iter()
                .filter(|t| !t.blocking)
                .map(|t| {
                    let d = &self.kb.triggers[t.def];
                    let cue = status_at(toks, t.first(), t.last());
                    let (date, date_precision) = nearest_date(&dates, toks, t.first())
                        .unwrap_or((doc.date, DatePrecision::Day));
                    TriggerView {
                        start: toks[t.first()].start,
                        end: toks[t.last()].end,
                        event: d.event,
                        cameo: d.cameo.clone(),
                        mode: d.mode.clone(),
                        rule: d.rule.clone(),
                        status: cue.status,
                        status_cue: cue.cue,
                        location: self.location(src, toks, &places, t),
                        date,
                        date_precision,
                        place_target: self.place_target(src, toks, &places, t),
                    }
                })
                .collect();
            let quantities = self
                .quantities(src, toks)
                .into_iter()
                .map(|q| (toks[q.start].start, q.quantity))
                .collect();
            out.push(SentenceView {
                start: sent.start,
                end: sent.end,
                actors,
                triggers: found.len(),
                status,
                status_cue,
                mentions: mention_views,
                found: trigger_views,
                // a possessive date dates its noun, which only a trigger word can claim
                dates: dates
                    .iter()
                    .filter(|d| !dates::possessive(toks, d))
                    .map(|d| (toks[d.token].start, d.date, d.precision))
                    .collect(),
                quantities,
                scene: self.sentence_scene(src, toks, &places),
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
