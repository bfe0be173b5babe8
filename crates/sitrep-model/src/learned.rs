//! The learned relation coder: the rules read each sentence (actor mentions with KB codes,
//! pronouns resolved, trigger words with their CAMEO codes, modes and status cues, dates and
//! places); the relation model decides which mention pairs stand in an event, and of what type.
//! Every event names the model and its probability in `evidence.rule`
//! (`minilm-rel-…:ASSAULT@0.93`), and the trigger rule whose words it quotes when one matched.

use crate::error::ModelError;
use crate::relation::{PairQuery, RelationModel, Scored, Side};
use chrono::NaiveDate;
use sitrep_core::coder::{
    attach_counts, share_sentence_place, sole_country, Coder, MentionView, SentenceView,
    TriggerView,
};
use sitrep_core::ontology::goldstein;
use sitrep_core::{ActorRef, DatePrecision, Document, Event, EventType, Evidence, Status};

/// How model and rules combine; tuned on the corpus's validation split (docs/model.md).
#[derive(Debug, Clone)]
pub struct LearnedPolicy {
    /// A rule event the model did not emit is kept when the model gives its type at least
    /// this on a pair with the rule's actors (1.0 or more: never).
    pub keep_rule_min: f32,
    /// Added to every tuned threshold (negative: more recall).
    pub threshold_shift: f32,
    /// Added again for a type that no trigger word of the sentence names: the model alone
    /// is less often right than the model and the lexicon together.
    pub untriggered_margin: f32,
    /// Mentions considered per sentence, the first in reading order.
    pub max_mentions: usize,
    /// Pairs of one type told by the same trigger words are one act with compound actors
    /// ("Kenya and Ethiopia signed a pact"): one event, sources and targets joined.
    pub join_by_trigger: bool,
    /// Whether the sentence head may add events. Off by default: on the project's corpus it
    /// adds recall, but on sentences of real news most of what it adds is wrong (docs/model.md).
    pub sentence_head: bool,
    /// When the sentence head says the sentence reports a type that no pair reached, the
    /// type's best pair is an event if its own probability is at least this (1.0 or more:
    /// never).
    pub sentence_floor: f32,
    /// Added to the sentence head's tuned thresholds.
    pub sentence_shift: f32,
    /// The sentence head adds events only to sentences where no pair reached a threshold: in
    /// one-event sentences a second type from the head is more often wrong than right.
    pub sentence_fills_only: bool,
}

impl Default for LearnedPolicy {
    fn default() -> Self {
        LearnedPolicy {
            keep_rule_min: 0.03,
            threshold_shift: 0.0,
            untriggered_margin: 0.1,
            max_mentions: 12,
            join_by_trigger: true,
            sentence_head: false,
            sentence_floor: 0.1,
            sentence_shift: 0.1,
            sentence_fills_only: true,
        }
    }
}

pub struct LearnedCoder {
    pub model: RelationModel,
    pub policy: LearnedPolicy,
}

/// One pair the model called an event.
struct Hit {
    event: EventType,
    p: f32,
    source: Side,
    target: Side,
    /// The sentence head's probability, when it alone made this pair an event.
    sentence: Option<f32>,
}

impl LearnedCoder {
    pub fn new(model: RelationModel) -> LearnedCoder {
        LearnedCoder {
            model,
            policy: LearnedPolicy::default(),
        }
    }

    /// Codes one document: the model's events, with the rule events it supports.
    pub fn code(&self, coder: &Coder, doc: &Document) -> Result<Vec<Event>, ModelError> {
        let rules = coder.code_text_placed(doc).0;
        let views: Vec<SentenceView> = coder
            .sentence_views(doc)
            .into_iter()
            .filter(|v| v.mentions.iter().any(|m| !m.actors.is_empty()))
            .collect();
        let queries: Vec<PairQuery> = views.iter().map(|v| self.query(doc, v)).collect();
        let scores = self.model.score(&queries)?;
        let mut out = Vec::new();
        for ((v, q), s) in views.iter().zip(&queries).zip(&scores) {
            let mine: Vec<&Event> = rules
                .iter()
                .filter(|e| e.evidence.start == v.start)
                .collect();
            let hits = self.hits(v, q, s);
            let s = &s.pairs;
            let mut events: Vec<Event> =
                hits.iter().map(|h| self.event(doc, v, h, &mine)).collect();
            for r in &mine {
                let support = rule_support(&self.model, v, q, s, r);
                if support >= self.policy.keep_rule_min && !covered(&events, r) {
                    let mut kept = (*r).clone();
                    kept.evidence.rule =
                        format!("{}+{}@{support:.2}", kept.evidence.rule, self.model.id);
                    events.push(kept);
                }
            }
            let events = dedup(events);
            let mut events = if self.policy.join_by_trigger {
                join_by_trigger(events)
            } else {
                events
            };
            settle_sides(&mut events);
            // counts the rule events did not lend go to the event they fit, and events with no
            // scene of their own share the sentence's, as the rules do
            let counts: Vec<_> = v.quantities.iter().map(|(at, q)| (*at, q)).collect();
            attach_counts(&counts, &mut events);
            share_sentence_place(&mut events);
            out.extend(events);
        }
        // rule events of sentences the model did not read (no actor mention) stay as they are
        out.extend(
            rules
                .into_iter()
                .filter(|r| !views.iter().any(|v| v.start == r.evidence.start)),
        );
        // the dateline gives the story's day, and its place is where events with none happened
        let dateline = coder.dateline(&doc.text, doc.date);
        if let Some(loc) = dateline.as_ref().and_then(|d| d.location.as_ref()) {
            for e in out.iter_mut().filter(|e| e.location.is_none()) {
                e.location = Some(loc.clone());
            }
        }
        out.sort_by_key(|e| (e.evidence.start, e.evidence.trigger_start));
        // one act told in several sentences is one event holding every evidence span
        let date = dateline.and_then(|d| d.date).unwrap_or(doc.date);
        let mut out = sitrep_core::coder::merge::merge_reported_acts(out, date);
        // places the actors imply come last, so they never keep two tellings apart
        coder.place_by_actors(&mut out);
        Ok(out)
    }

    fn query<'a>(&self, doc: &'a Document, v: &SentenceView) -> PairQuery<'a> {
        let ments: Vec<&MentionView> = usable(v, self.policy.max_mentions);
        let mentions = ments
            .iter()
            .map(|m| (m.start - v.start, m.end - v.start))
            .collect();
        let mut pairs = Vec::new();
        for (i, a) in ments.iter().enumerate() {
            for (j, b) in ments.iter().enumerate() {
                if i != j && !same_actors(&a.actors, &b.actors) {
                    pairs.push((Some(i), Some(j)));
                }
            }
            pairs.push((Some(i), None));
            pairs.push((None, Some(i)));
        }
        PairQuery {
            text: &doc.text[v.start..v.end],
            mentions,
            pairs,
        }
    }

    fn hits(&self, v: &SentenceView, q: &PairQuery, scored: &Scored) -> Vec<Hit> {
        let mut out = self.pair_hits(v, q, &scored.pairs);
        let sentence = scored
            .sentence
            .as_ref()
            .filter(|_| self.policy.sentence_head);
        if let Some(sent) = sentence {
            if out.is_empty() || !self.policy.sentence_fills_only {
                out.extend(self.sentence_hits(q, &scored.pairs, sent, &out));
            }
        }
        out
    }

    /// Pairs whose own probability for a type reaches its threshold.
    fn pair_hits(&self, v: &SentenceView, q: &PairQuery, scores: &[Vec<f32>]) -> Vec<Hit> {
        let named: Vec<bool> = self
            .model
            .labels
            .iter()
            .map(|&e| nearest_trigger(&v.found, e, (v.start, v.end)).is_some())
            .collect();
        let mut out = Vec::new();
        for (&(s, t), probs) in q.pairs.iter().zip(scores) {
            for (k, &p) in probs.iter().enumerate() {
                let margin = if named[k] {
                    0.0
                } else {
                    self.policy.untriggered_margin
                };
                if p >= self.model.thresholds[k] + self.policy.threshold_shift + margin {
                    out.push(Hit {
                        event: self.model.labels[k],
                        p,
                        source: s,
                        target: t,
                        sentence: None,
                    });
                }
            }
        }
        out
    }

    /// The events the sentence head adds (see `SentenceHead::picks`): the act is surely
    /// there, and the pair head still knows best who holds it.
    fn sentence_hits(
        &self,
        q: &PairQuery,
        scores: &[Vec<f32>],
        sent: &[f32],
        found: &[Hit],
    ) -> Vec<Hit> {
        let Some(head) = &self.model.sentence else {
            return Vec::new();
        };
        let labels = &self.model.labels;
        let found: Vec<usize> = (0..labels.len())
            .filter(|&k| found.iter().any(|h| h.event == labels[k]))
            .collect();
        let (shift, floor) = (self.policy.sentence_shift, self.policy.sentence_floor);
        head.picks(sent, scores, &found, shift, floor)
            .into_iter()
            .map(|(k, i)| Hit {
                event: labels[k],
                p: scores[i][k],
                source: q.pairs[i].0,
                target: q.pairs[i].1,
                sentence: Some(sent[k]),
            })
            .collect()
    }

    fn event(&self, doc: &Document, v: &SentenceView, h: &Hit, rules: &[&Event]) -> Event {
        let ments = usable(v, self.policy.max_mentions);
        let actors = |side: Side| side.map(|k| ments[k].actors.clone()).unwrap_or_default();
        let (source, mut target) = (actors(h.source), actors(h.target));
        let span = pair_span(&ments, h);
        let trig = nearest_trigger(&v.found, h.event, span);
        // an act with no trigger word of its type happened where and when the sentence's
        // nearest act did
        let scene = trig.or_else(|| nearest_trigger(&v.found, None, span));
        // "imposed a curfew on Konduga": with no actor acted on, the place acted on stands
        // for its country, as in the rules (talks are not held with their venue)
        if let Some(t) = trig.filter(|t| h.event != EventType::Consult || t.mode == "visit") {
            if let Some(p) = t.place_target.as_ref().filter(|_| target.is_empty()) {
                if !source.iter().any(|s| s.code == p.code) {
                    target.push(p.clone());
                }
            }
        }
        // the rule event that quotes the same trigger lends its date, place and counts
        let rule = trig.and_then(|t| {
            rules
                .iter()
                .find(|r| r.evidence.trigger_start == t.start && r.event == h.event)
        });
        let (trigger_start, trigger_end) =
            trig.map_or_else(|| fallback_trigger(doc, span), |t| (t.start, t.end));
        let (status, cue) = trig.map_or((v.status, v.status_cue.as_str()), |t| {
            (t.status, t.status_cue.as_str())
        });
        let cameo = trig
            .map(|t| t.cameo.clone())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| h.event.default_cameo().to_string());
        let mut tag = format!("{}:{}@{:.2}", self.model.id, h.event.as_str(), h.p);
        if let Some(ps) = h.sentence {
            tag = format!("{tag}+sentence@{ps:.2}");
        }
        if let Some(t) = trig {
            tag = format!("{}+{tag}", t.rule);
        }
        if status != Status::Asserted && !cue.is_empty() {
            tag = format!("{tag}+{}:{cue}", status.as_str());
        }
        let (date, date_precision) = match (rule, scene) {
            (Some(r), _) => (r.date, r.date_precision),
            (None, Some(t)) => (t.date, t.date_precision),
            (None, None) => nearest_date(v, span).unwrap_or((doc.date, DatePrecision::Day)),
        };
        Event {
            id: Event::make_id(&doc.id, trigger_start, h.event, &source),
            doc_id: doc.id.clone(),
            date,
            date_precision,
            event: h.event,
            mode: rule
                .map(|r| r.mode.clone())
                .or(trig.map(|t| t.mode.clone()))
                .unwrap_or_default(),
            context: rule.map(|r| r.context.clone()).unwrap_or_default(),
            goldstein: goldstein(&cameo),
            cameo,
            quad_class: h.event.quad_class(),
            source,
            target,
            status,
            location: rule
                .and_then(|r| r.location.clone())
                .or_else(|| scene.and_then(|t| t.location.clone()))
                .or_else(|| v.scene.clone()),
            quantities: rule.map(|r| r.quantities.clone()).unwrap_or_default(),
            evidence: evidence(doc, v, trigger_start, trigger_end, tag),
            confidence: (0.5 + 0.45 * h.p.max(h.sentence.unwrap_or(0.0))).min(0.95),
        }
    }
}

fn evidence(doc: &Document, v: &SentenceView, ts: usize, te: usize, rule: String) -> Evidence {
    Evidence {
        sentence: doc.text[v.start..v.end].to_string(),
        start: v.start,
        end: v.end,
        trigger: doc.text[ts..te].to_string(),
        trigger_start: ts,
        trigger_end: te,
        rule,
        also: Vec::new(),
    }
}

/// The mentions the model reads: those naming an actor, the first `max` of them.
fn usable(v: &SentenceView, max: usize) -> Vec<&MentionView> {
    v.mentions
        .iter()
        .filter(|m| !m.actors.is_empty())
        .take(max)
        .collect()
}

fn codes(a: &[ActorRef]) -> Vec<&str> {
    let mut c: Vec<&str> = a.iter().map(|x| x.code.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c
}

fn same_actors(a: &[ActorRef], b: &[ActorRef]) -> bool {
    codes(a) == codes(b)
}

/// Byte range covering the pair's mentions.
fn pair_span(ments: &[&MentionView], h: &Hit) -> (usize, usize) {
    let sides: Vec<&MentionView> = [h.source, h.target]
        .iter()
        .flatten()
        .map(|&k| ments[k])
        .collect();
    let lo = sides.iter().map(|m| m.start).min().unwrap_or(0);
    let hi = sides.iter().map(|m| m.end).max().unwrap_or(0);
    (lo, hi)
}

/// The trigger of that type closest to the pair: inside its span first, then by distance.
fn nearest_trigger(
    found: &[TriggerView],
    event: impl Into<Option<EventType>>,
    (lo, hi): (usize, usize),
) -> Option<&TriggerView> {
    let event = event.into();
    // with no type asked for, any trigger of an event type
    let typed = |t: &&TriggerView| match (t.event, event) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(EventType::Appeal), Some(e)) => e == EventType::Request,
        (Some(e), Some(want)) => e == want,
    };
    found.iter().filter(typed).min_by_key(|t| {
        if t.start >= lo && t.end <= hi {
            0
        } else if t.end <= lo {
            lo - t.end
        } else {
            t.start.saturating_sub(hi)
        }
    })
}

/// The date phrase of the sentence nearest to the pair's words.
fn nearest_date(v: &SentenceView, (lo, hi): (usize, usize)) -> Option<(NaiveDate, DatePrecision)> {
    v.dates
        .iter()
        .min_by_key(|(at, _, _)| {
            if *at < lo {
                lo - at
            } else {
                at.saturating_sub(hi)
            }
        })
        .map(|&(_, d, p)| (d, p))
}

/// With no trigger word of the type, the evidence quotes the words between the two actors
/// (or the single actor): the model read the sentence, not one word.
fn fallback_trigger(doc: &Document, (lo, hi): (usize, usize)) -> (usize, usize) {
    let s = &doc.text[lo..hi];
    let trimmed = s.trim();
    let start = lo + (s.len() - s.trim_start().len());
    (start, start + trimmed.len())
}

/// The model's probability for a rule event's type on the pairs that hold its actors.
fn rule_support(
    model: &RelationModel,
    v: &SentenceView,
    q: &PairQuery,
    s: &[Vec<f32>],
    r: &Event,
) -> f32 {
    let Some(k) = model.labels.iter().position(|&t| t == r.event) else {
        return 0.0;
    };
    let ments = usable(v, q.mentions.len());
    let holds = |side: Side, actors: &[ActorRef]| match side {
        None => actors.is_empty(),
        Some(m) => {
            !actors.is_empty()
                && codes(&ments[m].actors)
                    .iter()
                    .any(|c| codes(actors).contains(c))
        }
    };
    q.pairs
        .iter()
        .zip(s)
        // the rules' target may be a place no mention covers ("strikes on Gaza"): then the
        // pair with no target named speaks for it
        .filter(|((a, b), _)| holds(*a, &r.source) && (holds(*b, &r.target) || b.is_none()))
        .map(|(_, p)| p[k])
        .fold(0.0, f32::max)
}

/// Whether the model already emitted the rule event's act (type and source codes).
fn covered(events: &[Event], r: &Event) -> bool {
    events
        .iter()
        .any(|e| e.event == r.event && codes(&e.source) == codes(&r.source))
}

/// One event per (type, source, target) in a sentence; a pair with both actors beats the same
/// act with one side unnamed.
fn dedup(mut events: Vec<Event>) -> Vec<Event> {
    let named = |e: &Event| usize::from(!e.source.is_empty()) + usize::from(!e.target.is_empty());
    events.sort_by(|a, b| {
        named(b)
            .cmp(&named(a))
            .then(b.confidence.total_cmp(&a.confidence))
    });
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        let dup = out.iter().any(|o| {
            o.event == e.event
                && (codes(&o.source) == codes(&e.source) || e.source.is_empty())
                && (codes(&o.target) == codes(&e.target) || e.target.is_empty())
        });
        if !dup {
            out.push(e);
        }
    }
    out
}

/// Events of one type on the same trigger words become one: the most confident keeps its
/// fields and orientation, and the others' actors join its sides, each actor on one side only
/// ("Kenya and Ethiopia signed a pact" is one act, not four pairs).
fn join_by_trigger(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        let same = out.iter_mut().find(|o| {
            o.event == e.event
                && o.evidence.trigger_start == e.evidence.trigger_start
                && o.evidence.trigger_end == e.evidence.trigger_end
        });
        let Some(o) = same else {
            out.push(e);
            continue;
        };
        let placed =
            |o: &Event, a: &ActorRef| o.source.iter().chain(&o.target).any(|b| b.code == a.code);
        for a in e.source {
            if !placed(o, &a) {
                o.source.push(a);
            }
        }
        for a in e.target {
            if !placed(o, &a) {
                o.target.push(a);
            }
        }
    }
    out
}

/// The sides of each event, once joined, lose what cannot be so and gain the country the
/// other side implies.
fn settle_sides(events: &mut [Event]) {
    for e in events {
        drop_home_country(e);
        share_country(e);
    }
}

/// An actor the sentence gives no country ("survivors", "five men") takes the other side's,
/// when that side is of one country: "Moroccan rescuers pulled survivors from the rubble",
/// "a Dutch court convicted five men". Acts on people of one's own country are the common
/// case, as the sentence-level fill assumes when a sentence names one country.
fn share_country(o: &mut Event) {
    let sole = |side: &[ActorRef]| sole_country(side.iter()).map(str::to_string);
    fn fill(side: &mut [ActorRef], country: Option<String>) {
        let Some(c) = country else { return };
        for a in side.iter_mut().filter(|a| a.country.is_empty()) {
            *a = ActorRef::new(&a.text, &c, &a.sector, &a.kb);
        }
    }
    let (from_source, from_target) = (sole(&o.source), sole(&o.target));
    fill(&mut o.target, from_source);
    fill(&mut o.source, from_target);
}

/// A joined target side that holds a foreign actor loses the bare country its source comes
/// from: "Israeli troops struck targets in northern Gaza" after rockets "at southern Israel" is
/// an act on Gaza, not also on Israel. Alone, the home country stays ("Sudan's army shelled
/// Omdurman" is an act on Sudan), and so does one of several source countries ("Chile and
/// Argentina" acting on Argentina is a wrong pairing this cannot tell).
fn drop_home_country(o: &mut Event) {
    let Some(home) = o.source.first().map(|s| s.country.clone()) else {
        return;
    };
    if home.is_empty() || o.source.iter().any(|s| s.country != home) {
        return;
    }
    if o.target
        .iter()
        .any(|a| !a.country.is_empty() && a.country != home)
    {
        o.target
            .retain(|a| !(a.sector.is_empty() && a.country == home));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Israeli troops struck targets in Gaza and southern Israel.";

    fn actor(country: &str, sector: &str) -> ActorRef {
        ActorRef::new(country, country, sector, "")
    }

    fn assault(source: Vec<ActorRef>, target: Vec<ActorRef>, confidence: f32) -> Event {
        Event {
            id: format!("e-{confidence}"),
            doc_id: "d-1".into(),
            date: NaiveDate::from_ymd_opt(2023, 11, 8).unwrap(),
            date_precision: DatePrecision::Day,
            event: EventType::Assault,
            mode: String::new(),
            context: Vec::new(),
            cameo: "190".into(),
            goldstein: -10.0,
            quad_class: 4,
            source,
            target,
            status: Status::Asserted,
            location: None,
            quantities: Vec::new(),
            evidence: Evidence::new(TEXT, (0, TEXT.len()), (15, 21), "test"),
            confidence,
        }
    }

    fn targets(e: &Event) -> Vec<&str> {
        codes(&e.target)
    }

    fn settled(events: Vec<Event>) -> Vec<Event> {
        let mut out = join_by_trigger(events);
        settle_sides(&mut out);
        out
    }

    #[test]
    fn a_joined_target_loses_the_source_home_country_beside_a_foreign_one() {
        let isr_mil = || vec![actor("ISR", "MIL")];
        let joined = settled(vec![
            assault(isr_mil(), vec![actor("ISR", "")], 0.9),
            assault(isr_mil(), vec![actor("PSE", "")], 0.8),
        ]);
        assert_eq!(joined.len(), 1);
        assert_eq!(targets(&joined[0]), ["PSE"]);
    }

    #[test]
    fn the_home_country_alone_or_with_a_role_stays_a_target() {
        let sdn_mil = || vec![actor("SDN", "MIL")];
        let alone = settled(vec![assault(sdn_mil(), vec![actor("SDN", "")], 0.9)]);
        assert_eq!(targets(&alone[0]), ["SDN"]);
        // a home-country actor with a role is a real target ("troops fired on Sudanese rebels")
        let roles = settled(vec![
            assault(sdn_mil(), vec![actor("SDN", "REB")], 0.9),
            assault(sdn_mil(), vec![actor("ARE", "")], 0.8),
        ]);
        assert_eq!(targets(&roles[0]), ["ARE", "SDN REB"]);
    }

    #[test]
    fn a_country_among_several_sources_is_not_a_home_country() {
        let sources = vec![actor("CHL", "GOV"), actor("ARG", "GOV")];
        let joined = settled(vec![assault(
            sources,
            vec![actor("ARG", ""), actor("ESP", "GOV")],
            0.9,
        )]);
        assert_eq!(targets(&joined[0]), ["ARG", "ESP GOV"]);
    }

    #[test]
    fn people_with_no_country_take_the_other_side_s_when_it_has_one() {
        let court = vec![actor("NLD", "JUD")];
        let joined = settled(vec![assault(court, vec![actor("", "CVL")], 0.9)]);
        assert_eq!(targets(&joined[0]), ["NLD CVL"]);
        // a side of two countries lends none
        let two = vec![actor("EGY", "GOV"), actor("QAT", "GOV")];
        let joined = settled(vec![assault(two, vec![actor("", "CVL")], 0.9)]);
        assert_eq!(targets(&joined[0]), ["CVL"]);
        // and an international body's home is no country
        let un = vec![actor("IGO", "UNO")];
        let joined = settled(vec![assault(un, vec![actor("", "REF")], 0.9)]);
        assert_eq!(targets(&joined[0]), ["REF"]);
    }
}
