//! Merging within one document: the mentions of one act ("struck", "the attack", "the strike on
//! the port") become one event that holds every evidence span. It must never join acts that
//! contradict each other (other attackers, another day, another place) nor change a status.
//!
//! The stage is a plain function of one document's events, so the rule coder and the learned
//! coder share it. Each event is compared with the events kept so far: O(n · k) for n events
//! and k kept, and a document holds a few dozen.

use crate::event::{ActorRef, Event, EvidenceSpan, Location, Status};
use chrono::NaiveDate;

/// Places further apart than this are different scenes, even in the same country.
const SAME_PLACE_KM: f64 = 50.0;

/// Merges the events of one document that tell the same act, in reading order of each act's
/// first mention. The merged event keeps the fields of its most confident mention, fills an
/// empty source, target, location or quantity list from the others, takes the highest
/// confidence, and lists the other mentions in `evidence.also`. Mentions merge only on the same
/// date; see [`merge_reported_acts`] where the report date is known.
pub fn merge_acts(events: Vec<Event>) -> Vec<Event> {
    merge_with(events, None)
}

/// As [`merge_acts`], for events dated by a coder that gives a mention with no date of its own
/// the report's date: such a mention ("The bombing damaged two terminals") says nothing of
/// when, so it may join a mention dated otherwise ("bombed the port on Monday"), whose date
/// the merged event then takes.
pub fn merge_reported_acts(events: Vec<Event>, report_date: NaiveDate) -> Vec<Event> {
    merge_with(events, Some(report_date))
}

fn merge_with(events: Vec<Event>, report: Option<NaiveDate>) -> Vec<Event> {
    let mut kept: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        match kept.iter_mut().find(|k| same_act(k, &e, report)) {
            Some(k) => absorb(k, e, report),
            None => kept.push(e),
        }
    }
    kept
}

/// Whether two events can be one act told twice: same document and type, modes that agree,
/// same status class, dates that agree, actors that agree and places that agree.
fn same_act(a: &Event, b: &Event, report: Option<NaiveDate>) -> bool {
    a.doc_id == b.doc_id
        && a.event == b.event
        && modes_agree(&a.mode, &b.mode)
        && status_class(a.status) == status_class(b.status)
        && dates_agree(a, b, report)
        && actors_agree(&a.source, &b.source)
        && actors_agree(&a.target, &b.target)
        && places_agree(a.location.as_ref(), b.location.as_ref())
}

/// The same date, or one of them only the report's (no date of its own).
fn dates_agree(a: &Event, b: &Event, report: Option<NaiveDate>) -> bool {
    a.date == b.date || report.is_some_and(|r| a.date == r || b.date == r)
}

/// A mode says how the act was done ("abduct", "aerial"): an abduction and a shooting are two
/// acts, while a mention that names no mode ("the attack") may be either.
fn modes_agree(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a == b
}

/// Statuses that may share an event. What happened and what someone reports happened are the
/// same act; a negated, planned, intended or supposed act is only the same as another of that
/// very status, so merging can never turn it into one that happened.
fn status_class(s: Status) -> Status {
    match s {
        Status::Reported => Status::Asserted,
        other => other,
    }
}

/// Two actor lists agree when one is empty (the mention did not name them) or when each actor
/// of either list stands for one of the other's: different non-empty sides are different acts.
fn actors_agree(a: &[ActorRef], b: &[ActorRef]) -> bool {
    a.is_empty()
        || b.is_empty()
        || (a.iter().all(|x| b.iter().any(|y| same_actor(x, y)))
            && b.iter().all(|y| a.iter().any(|x| same_actor(x, y))))
}

/// The same code, or a bare country ("UKR", from "Odesa") and an actor of that country ("UKR
/// CVL", from "two shoppers"): the bare country says less, but nothing else.
fn same_actor(x: &ActorRef, y: &ActorRef) -> bool {
    if x.code == y.code {
        return !x.code.is_empty();
    }
    let bare = |a: &ActorRef| a.sector.is_empty() && a.code == a.country;
    !x.country.is_empty() && x.country == y.country && (bare(x) || bare(y))
}

/// Places agree when one is missing, or when both lie in one country and near each other.
fn places_agree(a: Option<&Location>, b: Option<&Location>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a.country != b.country {
        return false;
    }
    a.text.eq_ignore_ascii_case(&b.text) || km_between(a, b) <= SAME_PLACE_KM
}

/// Great-circle distance; a place without coordinates is taken as far from every other.
fn km_between(a: &Location, b: &Location) -> f64 {
    let coords = [a.lat, a.lon, b.lat, b.lon];
    if coords.iter().any(|c| !c.is_finite()) {
        return f64::INFINITY;
    }
    let (la1, lo1, la2, lo2) = (
        a.lat.to_radians(),
        a.lon.to_radians(),
        b.lat.to_radians(),
        b.lon.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// Folds `other` into `kept`. The more confident mention gives the fields (the earlier one on
/// a tie, so the result does not depend on float noise); the other fills what it left empty.
fn absorb(kept: &mut Event, mut other: Event, report: Option<NaiveDate>) {
    if other.confidence > kept.confidence {
        std::mem::swap(kept, &mut other);
    }
    fill_gaps(kept, &other);
    // a date of its own says more than the report's
    if report == Some(kept.date) && other.date != kept.date {
        kept.date = other.date;
        kept.date_precision = other.date_precision;
    }
    let mut spans = std::mem::take(&mut kept.evidence.also);
    spans.push(other.evidence.span());
    spans.extend(other.evidence.also);
    kept.evidence.also = ordered_spans(spans, &kept.evidence.span());
}

/// What the kept mention did not say and the other did.
fn fill_gaps(kept: &mut Event, other: &Event) {
    if kept.source.is_empty() {
        kept.source = other.source.clone();
    }
    if kept.target.is_empty() {
        kept.target = other.target.clone();
    }
    if kept.location.is_none() {
        kept.location = other.location.clone();
    }
    if kept.quantities.is_empty() {
        kept.quantities = other.quantities.clone();
    }
    kept.confidence = kept.confidence.max(other.confidence);
}

/// The other mentions in document order, each once, without the kept mention's own span.
fn ordered_spans(mut spans: Vec<EvidenceSpan>, own: &EvidenceSpan) -> Vec<EvidenceSpan> {
    spans.retain(|s| s != own);
    spans.sort_by_key(|s| (s.trigger_start, s.trigger_end, s.start));
    spans.dedup();
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{DatePrecision, Evidence};
    use crate::ontology::EventType;
    use chrono::NaiveDate;

    const TEXT: &str = "Alpha hit Beta. Alpha shelled Beta again. The attack killed two.";

    fn event(trigger: (usize, usize), source: &[&str], confidence: f32) -> Event {
        let sentence = TEXT[..trigger.0]
            .rfind(". ")
            .map_or((0, TEXT.len()), |k| (k + 2, TEXT.len()));
        Event {
            id: format!("e-{}", trigger.0),
            doc_id: "d-1".into(),
            date: NaiveDate::from_ymd_opt(2020, 1, 2).unwrap(),
            date_precision: DatePrecision::Day,
            event: EventType::Assault,
            mode: String::new(),
            context: Vec::new(),
            cameo: "190".into(),
            goldstein: -10.0,
            quad_class: 4,
            source: source
                .iter()
                .map(|c| ActorRef::new("x", c, "MIL", ""))
                .collect(),
            target: Vec::new(),
            status: Status::Asserted,
            location: None,
            quantities: Vec::new(),
            evidence: Evidence::new(TEXT, sentence, trigger, "test"),
            confidence,
        }
    }

    fn place(text: &str, country: &str, lat: f64, lon: f64) -> Option<Location> {
        Some(Location {
            text: text.into(),
            country: country.into(),
            lat,
            lon,
            region: String::new(),
            precision: crate::event::PlacePrecision::City,
        })
    }

    #[test]
    fn three_mentions_become_one_event_with_every_span() {
        let out = merge_acts(vec![
            event((6, 9), &["AAA"], 0.6),
            event((22, 29), &["AAA"], 0.8),
            event((46, 52), &[], 0.5),
        ]);
        assert_eq!(out.len(), 1, "{out:#?}");
        let e = &out[0];
        assert_eq!(
            e.evidence.trigger, "shelled",
            "the most confident mention leads"
        );
        assert_eq!(e.confidence, 0.8);
        let also: Vec<&str> = e.evidence.also.iter().map(|s| s.trigger.as_str()).collect();
        assert_eq!(also, ["hit", "attack"]);
    }

    #[test]
    fn an_empty_side_is_filled_from_the_other_mention() {
        let mut quiet = event((46, 52), &[], 0.9);
        quiet.location = place("Beta", "BBB", 1.0, 1.0);
        let out = merge_acts(vec![event((6, 9), &["AAA"], 0.5), quiet]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].source[0].code, "AAA MIL");
        assert_eq!(out[0].evidence.trigger, "attack");
        assert!(out[0].location.is_some());
    }

    #[test]
    fn different_attackers_are_different_acts() {
        let out = merge_acts(vec![
            event((6, 9), &["AAA"], 0.6),
            event((22, 29), &["CCC"], 0.6),
        ]);
        assert_eq!(out.len(), 2);
        // a mention with no attacker joins the first act it fits, never both
        let out = merge_acts(vec![
            event((6, 9), &["AAA"], 0.6),
            event((22, 29), &["CCC"], 0.6),
            event((46, 52), &[], 0.6),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].evidence.also.len(), 1);
        assert!(out[1].evidence.also.is_empty());
    }

    #[test]
    fn statuses_merge_only_within_their_class() {
        let mut negated = event((22, 29), &["AAA"], 0.9);
        negated.status = Status::Negated;
        assert_eq!(
            merge_acts(vec![event((6, 9), &["AAA"], 0.5), negated.clone()]).len(),
            2
        );
        let mut reported = negated.clone();
        reported.status = Status::Reported;
        let out = merge_acts(vec![event((6, 9), &["AAA"], 0.5), reported]);
        assert_eq!(out.len(), 1);
        let mut also_negated = event((46, 52), &["AAA"], 0.5);
        also_negated.status = Status::Negated;
        let out = merge_acts(vec![negated, also_negated]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::Negated);
    }

    #[test]
    fn other_ways_of_acting_are_other_acts() {
        let mut abduct = event((6, 9), &["AAA"], 0.6);
        abduct.mode = "abduct".into();
        let mut shoot = event((22, 29), &["AAA"], 0.6);
        shoot.mode = "firearms".into();
        let plain = event((46, 52), &["AAA"], 0.6);
        let out = merge_acts(vec![abduct, shoot, plain]);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(
            out[0].evidence.also.len(),
            1,
            "the plain mention joins the first"
        );
    }

    #[test]
    fn other_days_and_far_places_are_other_acts() {
        let mut later = event((22, 29), &["AAA"], 0.6);
        later.date = NaiveDate::from_ymd_opt(2020, 1, 3).unwrap();
        assert_eq!(
            merge_acts(vec![event((6, 9), &["AAA"], 0.6), later]).len(),
            2
        );
        let mut here = event((6, 9), &["AAA"], 0.6);
        here.location = place("Odesa", "UKR", 46.48, 30.72);
        let mut there = event((22, 29), &["AAA"], 0.6);
        there.location = place("Kharkiv", "UKR", 49.99, 36.23);
        assert_eq!(merge_acts(vec![here.clone(), there]).len(), 2);
        let mut near = event((22, 29), &["AAA"], 0.6);
        near.location = place("Odesa port", "UKR", 46.50, 30.75);
        assert_eq!(merge_acts(vec![here, near]).len(), 1);
    }

    #[test]
    fn a_mention_dated_only_by_the_report_takes_the_date_of_the_one_that_has_one() {
        let report = NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
        let monday = NaiveDate::from_ymd_opt(2019, 12, 30).unwrap();
        let mut dated = event((6, 9), &["AAA"], 0.5);
        dated.date = monday;
        dated.date_precision = DatePrecision::Day;
        let undated = event((46, 52), &["AAA"], 0.9);
        assert_eq!(
            merge_acts(vec![dated.clone(), undated.clone()]).len(),
            2,
            "without the report date, other dates are other acts"
        );
        let out = merge_reported_acts(vec![dated.clone(), undated], report);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].date, monday);
        assert_eq!(out[0].evidence.trigger, "attack");
        // two dates of their own still differ
        let mut other_day = event((22, 29), &["AAA"], 0.5);
        other_day.date = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
        assert_eq!(merge_reported_acts(vec![dated, other_day], report).len(), 2);
    }

    #[test]
    fn a_bare_country_stands_for_an_actor_of_that_country() {
        let bare = ActorRef::new("Ukraine", "UKR", "", "UKR");
        let people = ActorRef::new("shoppers", "UKR", "CVL", "");
        let police = ActorRef::new("police", "UKR", "COP", "");
        assert!(actors_agree(
            std::slice::from_ref(&bare),
            std::slice::from_ref(&people)
        ));
        assert!(!actors_agree(&[people], &[police]));
    }
}
