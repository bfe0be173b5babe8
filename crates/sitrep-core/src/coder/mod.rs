//! The event coder: a pure function of (KB, document) → events. Per sentence it finds actor
//! mentions, places, dates, quantities and trigger words, then gives each trigger a source
//! (its agent), a target (its patient or recipient) and a status, and records the evidence.

mod actor_places;
mod background;
mod context;
mod dateline;
mod dates;
mod inflect;
mod lexicon;
mod mentions;
pub mod merge;
mod names;
mod numbers;
mod places;
mod quantities;
mod quantity_words;
mod roles;
mod status;
mod tense;
mod views;
mod words;

use words::is;

use places::after_locative;

pub use actor_places::sole_country;
pub use dateline::Dateline;
pub use inflect::forms as inflections;
pub use places::share_sentence_place;
pub use quantities::attach_counts;
pub use views::{MentionView, SentenceView, TriggerView};

use crate::document::Document;
use crate::event::{ActorRef, DatePrecision, Event, Evidence, Status};
use crate::kb::{Kb, Sense};
use crate::ontology::{goldstein, EventType};
use crate::text::{sentences, Sentence, Token, TokenKind};
use lexicon::{Lexicon, TriggerMatch};
use mentions::{Mention, MentionKind, PronounKind};
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct CoderOptions {
    /// Emit CAMEO 01/02 (STATEMENT, APPEAL) as events of their own; otherwise appeals are
    /// folded into REQUEST, as PLOVER does, and statements are dropped.
    pub statements: bool,
    /// Longer sentences are skipped: nothing in real news is that long, and it bounds the work.
    pub max_sentence_bytes: usize,
    /// At most this many events per document.
    pub max_events_per_doc: usize,
}

impl Default for CoderOptions {
    fn default() -> Self {
        CoderOptions {
            statements: false,
            max_sentence_bytes: 4096,
            max_events_per_doc: 2000,
        }
    }
}

/// What coding one document left out because of the limits, and the work it took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeReport {
    /// Sentences longer than `max_sentence_bytes`, skipped.
    pub skipped_sentences: usize,
    /// Byte offset of the first skipped sentence.
    pub first_skipped: Option<usize>,
    /// Events found past `max_events_per_doc` in the last coded sentence, dropped.
    pub dropped_events: usize,
    /// Sentences after the one that reached `max_events_per_doc`, not coded at all.
    pub uncoded_sentences: usize,
    /// Byte offset where coding stopped at the event limit.
    pub stopped_at: Option<usize>,
    /// Work items counted by `crate::work` while coding (characters, tokens, probes).
    pub work: u64,
}

impl CodeReport {
    /// Whether the limits cut anything.
    pub fn truncated(&self) -> bool {
        self.skipped_sentences > 0 || self.dropped_events > 0 || self.uncoded_sentences > 0
    }
}

/// Earlier mentions of the same sentence a pronoun may refer to, nearest first.
const PRONOUN_LOOKBACK: usize = 64;

/// Triggers coded per sentence, the first ones in reading order.
const MAX_TRIGGERS_PER_SENTENCE: usize = 32;

/// Bumped whenever coding rules change, so stored events can be re-coded.
pub const CODER_VERSION: &str = concat!("sitrep-rules/", env!("CARGO_PKG_VERSION"), "+7");

pub struct Coder<'kb> {
    kb: &'kb Kb,
    opts: CoderOptions,
    lexicon: Lexicon,
}

/// A mention with its actors once pronouns are resolved and compounds expanded.
#[derive(Debug, Clone)]
struct Resolved {
    actors: Vec<ActorRef>,
    via_pronoun: bool,
}

impl<'kb> Coder<'kb> {
    pub fn new(kb: &'kb Kb, opts: CoderOptions) -> Coder<'kb> {
        Coder {
            kb,
            opts,
            lexicon: Lexicon::new(&kb.triggers),
        }
    }

    pub fn code(&self, doc: &Document) -> Vec<Event> {
        self.code_counted(doc).0
    }

    /// Codes a document and says what the limits left out and how much work it took.
    pub fn code_counted(&self, doc: &Document) -> (Vec<Event>, CodeReport) {
        let (mut events, report) = self.code_text_placed(doc);
        self.place_by_actors(&mut events);
        (events, report)
    }

    /// The events with only the places the text gives (sentence and dateline), before their
    /// actors lend one: what the learned coder builds its own events from.
    pub fn code_text_placed(&self, doc: &Document) -> (Vec<Event>, CodeReport) {
        let work_before = crate::work::total();
        let (dateline, doc) = self.without_dateline(doc);
        let doc = doc.as_ref();
        let mut report = CodeReport::default();
        let mut events = Vec::new();
        let mut history: Vec<(Mention, Vec<ActorRef>)> = Vec::new();
        let mut scene = dateline_country(dateline.as_ref());
        let all = sentences(&doc.text);
        let mut sents = all.iter();
        for sent in sents.by_ref() {
            if sent.end - sent.start > self.opts.max_sentence_bytes {
                report.skipped_sentences += 1;
                report.first_skipped.get_or_insert(sent.start);
                continue;
            }
            self.code_sentence(doc, sent, &mut history, &mut scene, &mut events);
            if events.len() >= self.opts.max_events_per_doc {
                report.dropped_events = events.len() - self.opts.max_events_per_doc;
                events.truncate(self.opts.max_events_per_doc);
                break;
            }
        }
        report.uncoded_sentences = sents.len();
        if report.uncoded_sentences > 0 || report.dropped_events > 0 {
            report.stopped_at = events.last().map(|e| e.evidence.end);
        }
        // one act told in several sentences is one event with every telling as evidence
        places::default_to_dateline(&mut events, dateline.as_ref());
        let events = merge::merge_reported_acts(events, doc.date);
        report.work = crate::work::total().wrapping_sub(work_before);
        (events, report)
    }

    /// A dateline gives the story's day and default place, and is no part of its sentences:
    /// the document as the sentences are read (dateline blanked, byte offsets kept).
    pub(super) fn without_dateline<'d>(
        &self,
        doc: &'d Document,
    ) -> (Option<Dateline>, std::borrow::Cow<'d, Document>) {
        let Some(d) = self.dateline(&doc.text, doc.date) else {
            return (None, std::borrow::Cow::Borrowed(doc));
        };
        let undated = Document {
            text: dateline::blank(&doc.text, &d),
            date: d.date.unwrap_or(doc.date),
            ..doc.clone()
        };
        (Some(d), std::borrow::Cow::Owned(undated))
    }

    /// The sentence's counts; the KB says which words are demonyms, which count people
    /// ("three Israelis").
    pub(super) fn quantities(&self, src: &str, toks: &[Token]) -> Vec<quantities::Found> {
        quantities::find(src, toks, |k| {
            self.kb
                .actors
                .lookup(&toks[k].norm)
                .iter()
                .any(|s| matches!(s, Sense::Demonym(_)))
        })
    }

    fn code_sentence(
        &self,
        doc: &Document,
        sent: &Sentence,
        history: &mut Vec<(Mention, Vec<ActorRef>)>,
        scene: &mut Option<String>,
        events: &mut Vec<Event>,
    ) {
        let src = doc.text.as_str();
        let toks = &sent.tokens;
        let mut ments = mentions::find(self.kb, src, toks, doc.date);
        let mut found = self.lexicon.find(toks);
        // the role and complement passes pair each trigger with the sentence and with the other
        // triggers; real sentences hold a handful, so a cap keeps a sentence of nothing but
        // trigger words from costing its length squared
        found.truncate(MAX_TRIGGERS_PER_SENTENCE);
        // each trigger's role, status and clause scans walk the sentence; complements pair them
        crate::work::add(found.len() * (toks.len() + found.len()));
        if found.is_empty() {
            // nothing to code here, but its actors may be what later pronouns refer to
            let resolved = resolve_pronouns(&ments, history);
            remember(history, ments, resolved);
            return;
        }
        let places = self.kb.place_index.find(src, toks);
        if let Some(c) =
            context::fill_countries(self.kb, toks, &places, &mut ments, scene.as_deref())
        {
            *scene = Some(c);
        }
        let resolved = resolve_pronouns(&ments, history);
        let attribution = context::attribution_start(toks);
        let triggers: Vec<TriggerMatch> = found
            .into_iter()
            // words inside a name are not triggers ("Islamic Resistance Movement"); a role noun
            // that is also an event noun ("a negotiator") still is
            .filter(|t| {
                !ments.iter().any(|m| {
                    m.kind == MentionKind::Named
                        && t.words.iter().all(|w| m.start <= *w && *w < m.end)
                })
            })
            // "Israeli-occupied", "long-threatened": a participle glued to a word is an
            // adjective, and must not take the next event as its complement either
            .filter(|t| {
                let f = t.first();
                !(f > 1 && toks[f - 1].norm == "-" && toks[f - 2].kind == TokenKind::Word)
            })
            // "the alleged violations", "the banned movement": a participle used as an adjective
            .filter(|t| {
                let f = t.first();
                !(t.words.len() == 1
                    && toks[f].norm.ends_with("ed")
                    && f > 0
                    && matches!(
                        toks[f - 1].norm.as_str(),
                        "the" | "a" | "an" | "its" | "their" | "his" | "her"
                    ))
            })
            // nor in a trailing attribution (", aid officials in Nairobi said")
            .filter(|t| t.first() < attribution)
            // nor inside a name the KB does not know ("the Ceasefire Violations Committee")
            .filter(|t| !names::in_name(src, toks, t.first()))
            // "The US, in collaboration with Qatar": the words that join a compound actor
            .filter(|t| {
                !ments.windows(2).any(|w| {
                    w[0].group == w[1].group && w[0].end <= t.first() && t.last() < w[1].start
                })
            })
            .collect();
        // a pledge whose content is an attack ("vowed to fight") is a threat: the pledge gives
        // way to its complement, which becomes THREATEN; otherwise the complement gives way
        let mut suppressed: HashSet<usize> = HashSet::new();
        let mut threats: HashSet<usize> = HashSet::new();
        let arguments = roles::argument_triggers(toks, &triggers);
        suppressed.extend(arguments.iter().copied());
        for (a, b) in roles::complement_triggers(toks, &triggers) {
            let da = &self.kb.triggers[triggers[a].def];
            // "announced sanctions against Serbia": what is announced is the event
            if da.event == Some(EventType::Statement) {
                continue;
            }
            let conflict = self.kb.triggers[triggers[b].def]
                .event
                .is_some_and(|e| e.quad_class() >= 3);
            if da.mode == "pledge" && conflict {
                suppressed.insert(a);
                threats.insert(b);
            } else {
                suppressed.insert(b);
            }
        }
        // "its demand that Israel ease restrictions", "urged that talks resume": what a
        // demand asks for is its content, not an event that happened
        for (i, a) in triggers.iter().enumerate() {
            let asks = matches!(
                self.kb.triggers[a.def].event,
                Some(EventType::Request | EventType::Appeal)
            );
            if !asks || suppressed.contains(&i) {
                continue;
            }
            for (j, b) in triggers.iter().enumerate().skip(i + 1) {
                if b.first() <= a.last() {
                    continue;
                }
                let gap = &toks[a.last() + 1..b.first()];
                // "demanded (today) that …"; a "that" after a noun ("the coalition that has
                // been bombing") starts a relative clause instead
                let content = gap
                    .iter()
                    .position(|t| t.norm == "that")
                    .is_some_and(|k| gap[..k].iter().all(|t| is(words::TIME_ADVERBS, &t.norm)));
                if gap.len() <= 8
                    && content
                    && !gap
                        .iter()
                        .any(|t| matches!(t.norm.as_str(), "," | ";" | "."))
                {
                    suppressed.insert(j);
                }
            }
        }
        // "demanded his removal at the fourth round of talks": talks named as the venue of
        // another event are not an event of their own
        for (j, t) in triggers.iter().enumerate() {
            let consult = self.kb.triggers[t.def].event == Some(EventType::Consult);
            let f = t.first();
            let venue = (f.saturating_sub(5)..f)
                .rev()
                .find_map(|k| match toks[k].norm.as_str() {
                    "at" | "during" => Some(true),
                    w if toks[k].kind == TokenKind::Punct || is(words::BE_FORMS, w) => Some(false),
                    _ => None,
                });
            let others = triggers
                .iter()
                .enumerate()
                .any(|(i, o)| i != j && o.last() < f && !suppressed.contains(&i));
            if consult && venue == Some(true) && others && roles::is_nominal(toks, f) {
                suppressed.insert(j);
            }
        }
        // only a trigger that will be coded can be the main event that others are background to,
        // and a negated one reports nothing that happened ("Despite the release of two
        // hostages, the group has not made demands")
        let can_lead = |i: usize| {
            let (d, t) = (&self.kb.triggers[triggers[i].def], &triggers[i]);
            let from = status::clause_start(toks, t.first(), 0);
            !suppressed.contains(&i)
                && status::detect(toks, from, t.first(), t.last()).status != Status::Negated
                && d.rule != "request/must"
                && match d.event {
                    None => false,
                    Some(EventType::Statement) => self.opts.statements,
                    Some(_) => true,
                }
        };
        let event_of = |i: usize| self.kb.triggers[triggers[i].def].event;
        let background = background::background_triggers(toks, &triggers, can_lead, event_of);
        suppressed.extend(background);
        // "Youths threw stones during demonstrations against the army": with nothing else to
        // report, the background event is the sentence's event
        if !triggers.is_empty() && suppressed.len() == triggers.len() {
            for a in &arguments {
                suppressed.remove(a);
            }
        }
        let trigger_words: HashSet<usize> = triggers
            .iter()
            .flat_map(|t| t.words.iter().copied())
            .collect();
        let dates = dates::find(src, toks, doc.date);
        let quants = self.quantities(src, toks);
        let mut seen: HashSet<(EventType, String, String)> = HashSet::new();
        let first_event = events.len();

        for (ti, trig) in triggers.iter().enumerate() {
            if suppressed.contains(&ti) {
                continue;
            }
            let def = &self.kb.triggers[trig.def];
            let Some(mut event) = def.event else { continue };
            match event {
                EventType::Statement if !self.opts.statements => continue,
                EventType::Appeal if !self.opts.statements => event = EventType::Request,
                _ => {}
            }
            // the venue of talks is rarely their counterpart ("talks in Geneva"); for other acts
            // the place acted on is ("lifted the curfew in Montenegro")
            let locative_object = event != EventType::Consult || def.mode == "visit";
            let talks_about = |o: &TriggerMatch| {
                matches!(
                    self.kb.triggers[o.def].event,
                    Some(EventType::Consult | EventType::Agree)
                )
            };
            if modifies_noun(toks, &ments, &triggers, ti, talks_about) {
                continue;
            }
            let mut r = roles::assign(toks, &ments, trig, locative_object, &trigger_words);
            if def.rule == "request/must" {
                let Some((speaker, addressee)) = roles::obligation(toks, &ments, trig.first())
                else {
                    continue;
                };
                r.source = vec![speaker];
                r.target = addressee.into_iter().collect();
            }
            let actors_of = |idx: &[usize]| -> (Vec<ActorRef>, bool) {
                let mut out: Vec<ActorRef> = Vec::new();
                let mut via = false;
                for &i in idx {
                    via |= resolved[i].via_pronoun;
                    for a in &resolved[i].actors {
                        if !out.iter().any(|b| b.code == a.code && b.text == a.text) {
                            out.push(a.clone());
                        }
                    }
                }
                (out, via)
            };
            // "complained to the UN over Israeli air raids": the complaint is against the
            // actor it is over, not the one it is made to
            if event == EventType::Accuse {
                if let Some(&t) = r.target.first() {
                    if ments[t].prep.as_deref() == Some("to") {
                        let over = &["over", "about", "against"];
                        if let Some(k) = roles::later_with_prep(toks, &ments, trig, t, over) {
                            r.target = vec![k];
                        }
                    }
                }
            }
            // "mobilized army reservists for a war against Iraq", "deployed troops to Lebanon":
            // the forces moved are the source's own; the target is where or whom they face
            if event == EventType::Mobilize {
                if let Some(&t) = r.target.first() {
                    let own_force = ments[t].kind == MentionKind::Generic
                        && matches!(ments[t].actor.sector.as_str(), "MIL" | "COP" | "SPY");
                    if own_force {
                        let facing = &["against", "to", "in", "into", "near", "along"];
                        r.target = roles::later_with_prep(toks, &ments, trig, t, facing)
                            .into_iter()
                            .collect();
                    }
                }
            }
            let (mut source, src_via) = actors_of(&r.source);
            let (mut target, _) = actors_of(&r.target);
            // "was arrested in Lebanon", "put under investigation in Italy": an arrest or
            // inquiry with no agent named is the state's where it happened
            if r.passive
                && source.is_empty()
                && matches!(event, EventType::Coerce | EventType::Accuse)
            {
                if let Some(state) = self.place_target(src, toks, &places, trig) {
                    source.push(state);
                }
            }
            // "was killed by a roadside bomb", "drone strikes on Odesa": violence by no named
            // actor has no source; the place struck says where, not who (an attacker the text
            // calls unidentified, "gunmen", is a mention of its own and codes UAF)
            // "Gunmen who abducted 31 passengers near Kaduna": attackers the text leaves
            // unidentified are, as CAMEO codes UAF, of the country where they strike (not of
            // where the reporter is: ", officials in Kenya said")
            if source
                .iter()
                .any(|s| s.sector == "UAF" && s.country.is_empty())
            {
                let scene: Vec<_> = places
                    .iter()
                    .filter(|p| p.start < attribution)
                    .cloned()
                    .collect();
                if let Some(c) = self.scene_country(src, toks, &scene, trig) {
                    for s in source.iter_mut() {
                        if s.sector == "UAF" && s.country.is_empty() {
                            *s = ActorRef::new(&s.text, &c, "UAF", "");
                        }
                    }
                }
            }
            target.retain(|t| {
                !source
                    .iter()
                    .any(|s| s.code == t.code && !s.code.is_empty())
            });

            let from = status::clause_start(toks, trig.first(), r.subject_end.unwrap_or(0));
            let cue = status::detect(toks, from, trig.first(), trig.last());
            let mut st = cue.status;
            // "A new offensive could push …": a noun trigger as the subject of a modal
            if st == Status::Asserted && roles::is_nominal(toks, trig.first()) {
                match toks.get(trig.last() + 1).map(|t| t.norm.as_str()) {
                    Some("could" | "would" | "might" | "may") => st = Status::Hypothetical,
                    Some("will") => st = Status::Planned,
                    _ => {}
                }
            }
            // "the teachers' strike", "a strike by dock workers": people who work strike
            let labour = def.rule == "assault/strike" && labour_strike(toks, &ments, trig.first());
            if labour {
                event = EventType::Protest;
            }
            let mut rule = if def.rule.is_empty() {
                def.pattern.replace(' ', "-")
            } else {
                def.rule.clone()
            };
            let mut cameo = if def.cameo.is_empty() {
                event.default_cameo().to_string()
            } else {
                def.cameo.clone()
            };
            if labour {
                cameo = "143".to_string();
                rule.push_str("+labour");
            }
            // "will support", "pledged to send aid": a promise to cooperate is CAMEO 03;
            // announcing force or coercion ("will extend the curfew", "vowed to fight") is 13
            let committed = cue.commitment && !r.passive && !source.is_empty();
            // "plans to impose restrictions", "is prepared to impose martial law": announced
            // force or coercion is a threat whether promised or planned
            let announced = st == Status::Planned && !r.passive && !source.is_empty();
            // "will withdraw its force unless the government holds elections": a promise or plan
            // made conditional on the other side's compliance is an ultimatum
            let ultimatum = (committed || announced)
                && toks[trig.last() + 1..].iter().any(|t| t.norm == "unless");
            if ultimatum {
                event = EventType::Threaten;
                cameo = "139".to_string();
                st = Status::Asserted;
                rule.push_str("+ultimatum");
            } else if committed && matches!(event.quad_class(), 1 | 2) && event != EventType::Agree
            {
                event = EventType::Agree;
                cameo = "03".to_string();
                st = Status::Asserted;
                rule.push_str("+intent");
            } else if (announced
                && matches!(
                    event,
                    EventType::Assault | EventType::Coerce | EventType::Sanction
                ))
                || threats.contains(&ti)
            {
                event = EventType::Threaten;
                cameo = "13".to_string();
                st = Status::Asserted;
                rule.push_str("+threat");
            }
            if st != Status::Asserted {
                rule.push_str(&format!("+{}:{}", st.as_str(), cue.cue));
            }
            if r.passive {
                rule.push_str("+passive");
            }

            let trig_start = toks[trig.first()].start;
            let trig_end = toks[trig.last()].end;
            let key = (event, codes(&source), codes(&target));
            if !seen.insert(key) {
                // "bombed and shelled the town": the same act told again in the sentence stays
                // visible as evidence of the event already coded, if it has the same status
                if let Some(prev) = events
                    .iter_mut()
                    .rev()
                    .take_while(|e| e.evidence.start == sent.start)
                    .find(|e| {
                        e.event == event
                            && e.status == st
                            && codes(&e.source) == codes(&source)
                            && codes(&e.target) == codes(&target)
                    })
                {
                    let told =
                        Evidence::new(src, (sent.start, sent.end), (trig_start, trig_end), rule);
                    prev.evidence.also.push(told.span());
                }
                continue;
            }
            // one act told twice ("was attacked by militiamen…, killing 156 people", "killed in
            // a car bomb explosion", "shelled the town…, killing 20 civilians"): a second event
            // of the same type whose actors agree with the first's, or are missing, or that has
            // the same source or the same target, fills the first's gaps instead of standing
            // alone
            let sent_start = sent.start;
            let fits = |a: &[ActorRef], b: &[ActorRef]| {
                a.is_empty() || b.is_empty() || codes(a) == codes(b)
            };
            let shares = |a: &[ActorRef], b: &[ActorRef]| {
                !countries(a).is_empty() && countries(a) == countries(b)
            };
            if let Some(prev) = events
                .iter_mut()
                .rev()
                .take_while(|e| e.evidence.start == sent_start)
                .find(|e| {
                    e.event == event
                        && e.status == st
                        && ((fits(&e.source, &source) && fits(&e.target, &target))
                            || shares(&e.source, &source)
                            || shares(&e.target, &target))
                })
            {
                if prev.source.is_empty() {
                    prev.source = source;
                }
                if prev.target.is_empty() {
                    prev.target = target;
                }
                // the second telling stays visible as evidence of the first
                let told = Evidence::new(src, (sent.start, sent.end), (trig_start, trig_end), rule);
                prev.evidence.also.push(told.span());
                continue;
            }
            let (date, date_precision) =
                nearest_date(&dates, toks, trig.first()).unwrap_or((doc.date, DatePrecision::Day));
            let location = self.location(src, toks, &places, trig);
            // "fired shells at targets in Jericho": with no actor acted on, the place acted on
            // stands for its country
            if target.is_empty() && locative_object {
                if let Some(t) = self.place_target(src, toks, &places, trig) {
                    if !source.iter().any(|s| s.code == t.code) {
                        target.push(t);
                    }
                }
            }
            let quantities = quants
                .iter()
                .filter(|q| r.quantity_span.0 <= q.start && q.start < r.quantity_span.1)
                .map(|q| q.quantity.clone())
                .collect();
            let mut confidence: f32 = 0.45;
            if !source.is_empty() {
                confidence += if src_via { 0.15 } else { 0.25 };
            }
            if !target.is_empty() {
                confidence += 0.1;
            }
            if trig.words.len() > 1 {
                confidence += 0.1;
            }
            let mode = if labour {
                "strike".to_string()
            } else {
                def.mode.clone()
            };
            events.push(Event {
                id: Event::make_id(&doc.id, trig_start, event, &source),
                doc_id: doc.id.clone(),
                date,
                date_precision,
                event,
                mode,
                context: def.context.clone(),
                goldstein: goldstein(&cameo),
                cameo,
                quad_class: event.quad_class(),
                source,
                target,
                status: st,
                location,
                quantities,
                evidence: Evidence::new(src, (sent.start, sent.end), (trig_start, trig_end), rule),
                confidence: confidence.min(0.95),
            });
        }
        quantities::attach_unclaimed(&quants, toks, &mut events[first_event..]);
        places::share_sentence_place(&mut events[first_event..]);
        remember(history, ments, resolved);
    }
}

/// Keeps a sentence's mentions for resolving later pronouns; only the recent past matters.
/// Whether a bare "strike" at `f` is a labour strike: workers, teachers, employees (any agent
/// that is not armed or a state body) right before it or after "by".
fn labour_strike(toks: &[Token], ments: &[Mention], f: usize) -> bool {
    let civilian = |m: &Mention| {
        matches!(
            m.actor.sector.as_str(),
            "LAB" | "EDU" | "HLH" | "BUS" | "CVL" | "MED" | "AGR"
        )
    };
    ments.iter().any(|m| {
        civilian(m)
            && ((m.end <= f && f - m.end <= 1)
                || (m.start >= f + 2 && m.start <= f + 4 && toks[f + 1].norm == "by"))
    })
}

/// "aid agencies", "ceasefire talks", "invasion forces": a one-word event noun directly
/// before a noun naming people, a body or another event only says what that noun is about. A
/// verb right after its subject ("Rebels attack troops") is not such a modifier.
fn modifies_noun(
    toks: &[Token],
    ments: &[Mention],
    triggers: &[TriggerMatch],
    ti: usize,
    talks_about: impl Fn(&TriggerMatch) -> bool,
) -> bool {
    let t = &triggers[ti];
    let (f, next) = (t.first(), t.last() + 1);
    let head = toks[f].norm.as_str();
    if t.words.len() != 1
        || next >= toks.len()
        || head.ends_with("ing")
        || roles::is_participle(head)
    {
        return false;
    }
    let after_subject = f > 0 && ments.iter().any(|m| m.end == f && !m.adjectival);
    // "must agree", "decided to allow candidates", "will attack forces" are verbs
    let verb_slot = f > 0
        && matches!(
            toks[f - 1].norm.as_str(),
            "to" | "will"
                | "would"
                | "can"
                | "could"
                | "may"
                | "might"
                | "must"
                | "should"
                | "did"
                | "not"
        );
    // a noun for sure: first in the sentence, after a determiner or preposition, or after a
    // country adjective ("Israeli invasion forces"); elsewhere it may be a verb ("laws allow
    // people")
    let noun_slot = f == 0
        || words::is(words::DETERMINERS, &toks[f - 1].norm)
        || words::is(words::PREPOSITIONS, &toks[f - 1].norm)
        || toks[f - 1].norm == "'s"
        || ments.iter().any(|m| m.end == f && m.adjectival);
    if head == "must" || verb_slot || (after_subject && !roles::is_nominal(toks, f)) || !noun_slot {
        return false;
    }
    words::is(words::MODIFIED_NOUNS, &toks[next].norm)
        || ments
            .iter()
            .any(|m| m.start == next && m.kind == MentionKind::Generic)
        // "ceasefire talks", "truce deal": what the talks or the deal are about
        || triggers.iter().any(|o| o.first() == next && talks_about(o))
}

/// The country a dateline places the story in: the setting of its first sentences.
fn dateline_country(d: Option<&dateline::Dateline>) -> Option<String> {
    d.and_then(|d| d.location.as_ref())
        .map(|l| l.country.clone())
}

fn remember(
    history: &mut Vec<(Mention, Vec<ActorRef>)>,
    ments: Vec<Mention>,
    resolved: Vec<Resolved>,
) {
    for (m, r) in ments.into_iter().zip(resolved) {
        history.push((m, r.actors));
    }
    if history.len() > 64 {
        history.drain(..history.len() - 64);
    }
}

fn codes(a: &[ActorRef]) -> String {
    a.iter()
        .map(|x| x.code.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// The countries of some actors, in order, without repeats.
fn countries(a: &[ActorRef]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for x in a {
        let c = x.code.get(..3).unwrap_or(x.code.as_str());
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn nearest_date(
    dates: &[dates::DateExpr],
    toks: &[Token],
    at: usize,
) -> Option<(chrono::NaiveDate, DatePrecision)> {
    dates
        .iter()
        .filter(|d| !dates::possessive(toks, d) || (d.end < at && at <= d.end + 5))
        .min_by_key(|d| d.token.abs_diff(at))
        .map(|d| (d.date, d.precision))
}

/// Resolves pronouns to the nearest compatible earlier mention: in this sentence first, then
/// in earlier ones. A pair reference ("both nations") takes the last compound of two or more.
fn resolve_pronouns(ments: &[Mention], history: &[(Mention, Vec<ActorRef>)]) -> Vec<Resolved> {
    let mut out: Vec<Resolved> = Vec::with_capacity(ments.len());
    // the clause subject is the same for every pronoun of the sentence: found once, not per
    // pronoun, so that a sentence of pronouns stays linear
    let subject_group = ments
        .iter()
        .find(|x| x.prep.is_none() && !matches!(x.kind, MentionKind::Pronoun(_)))
        .map(|x| x.group);
    let subject_group_codes: Vec<String> = match subject_group {
        Some(g) => ments
            .iter()
            .filter(|x| x.group == g)
            .map(|x| x.actor.code.clone())
            .collect(),
        None => Vec::new(),
    };
    for (i, m) in ments.iter().enumerate() {
        let MentionKind::Pronoun(kind) = m.kind else {
            out.push(Resolved {
                actors: vec![m.actor.clone()],
                via_pronoun: false,
            });
            continue;
        };
        // candidates, nearest first: this sentence's earlier mentions, then the history
        // an object pronoun never refers to its own clause's subject ("Israel warned it")
        let object_pronoun = m.object_case;
        // the nearest mentions only, as the history keeps only the recent past: a sentence of
        // pronouns must not make each one scan all the others
        let here = ments[..i]
            .iter()
            .zip(out.iter())
            .rev()
            .take(PRONOUN_LOOKBACK)
            .filter(|(mm, _)| {
                !(object_pronoun && Some(mm.group) == subject_group && kind != PronounKind::Pair)
            })
            .map(|(mm, r)| (mm, r.actors.clone()));
        crate::work::add(i.min(PRONOUN_LOOKBACK) + history.len());
        // …nor to the same entity named earlier ("Hezbollah fired into Israel. Israel warned it")
        let subject_codes: &[String] = if object_pronoun {
            &subject_group_codes
        } else {
            &[]
        };
        let before = history
            .iter()
            .rev()
            .filter(|(_, a)| !a.iter().any(|x| subject_codes.contains(&x.code)))
            .map(|(mm, a)| (mm, a.clone()));
        let mut found: Option<Vec<ActorRef>> = None;
        if kind == PronounKind::Pair {
            // gather the most recent compound group of named actors
            let all: Vec<(&Mention, Vec<ActorRef>)> = here.chain(before).collect();
            for (k, (mm, _)) in all.iter().enumerate() {
                if matches!(mm.kind, MentionKind::Pronoun(_)) {
                    continue;
                }
                let group: Vec<ActorRef> = all[k..]
                    .iter()
                    .take_while(|(x, _)| {
                        x.group == mm.group && !matches!(x.kind, MentionKind::Pronoun(_))
                    })
                    .flat_map(|(_, a)| a.clone())
                    .collect();
                crate::work::add(1 + group.len());
                if group.len() >= 2 {
                    found = Some(group);
                    break;
                }
            }
        } else {
            for (mm, actors) in here.chain(before) {
                if actors.is_empty() || actors.iter().all(|a| a.code.is_empty()) {
                    continue;
                }
                let ok = match kind {
                    PronounKind::Plural => !mm.singular_person,
                    PronounKind::Neuter => !mm.singular_person && !mm.plural,
                    PronounKind::Person => mm.singular_person,
                    PronounKind::Group => {
                        actors.iter().any(|a| {
                            matches!(
                                a.sector.as_str(),
                                "REB" | "INS" | "UAF" | "MIL" | "PTY" | "OPP" | "NGO"
                            )
                        }) || mm.actor.kb.contains('-') && !mm.singular_person
                    }
                    PronounKind::Country => actors
                        .iter()
                        .all(|a| a.sector.is_empty() && !a.country.is_empty()),
                    PronounKind::Pair => false,
                    // the name it follows, which `add_pronouns` made sure is the one before it
                    PronounKind::Relative => true,
                };
                if ok {
                    found = Some(actors);
                    break;
                }
            }
        }
        let text = m.actor.text.clone();
        out.push(match found {
            Some(actors) => Resolved {
                actors: actors
                    .into_iter()
                    .map(|a| ActorRef {
                        text: if text.is_empty() {
                            a.text.clone()
                        } else {
                            text.clone()
                        },
                        ..a
                    })
                    .collect(),
                via_pronoun: true,
            },
            None => Resolved {
                actors: Vec::new(),
                via_pronoun: true,
            },
        });
    }
    out
}

/// Codes one document with default options.
pub fn code(kb: &Kb, doc: &Document) -> Vec<Event> {
    Coder::new(kb, CoderOptions::default()).code(doc)
}
