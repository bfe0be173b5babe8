//! Quantities: "at least eight people were killed" → 8, at_least, people, killed; "219 combat
//! troops" → 219 troops. The unit is the head of the counted noun phrase and the kind comes
//! from the verb or noun around it; a number with no noun and no kind is never a quantity.

use super::numbers::{self, NumberPhrase};
use super::quantity_words::{
    casualty_adjective, is_flight_verb, is_unit_noun, kind_of_noun, kind_of_verb_after,
    kind_of_verb_before, NOT_UNITS, PASSIVE_FILLERS,
};
use crate::event::{Event, Quantity};
use crate::ontology::EventType;
use crate::text::{Token, TokenKind};

#[derive(Debug, Clone)]
pub struct Found {
    /// First token within the sentence (the qualifier's, where there is one).
    pub start: usize,
    pub quantity: Quantity,
}

fn qualifier_before(toks: &[Token], i: usize) -> (Option<&'static str>, usize) {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    if i >= 3 {
        let three = (w(i - 3), w(i - 2), w(i - 1));
        let q = match three {
            ("as", "many", "as") => Some("at_most"),
            ("no", "fewer" | "less", "than") => Some("at_least"),
            ("in", "excess", "of") => Some("more_than"),
            _ => None,
        };
        if q.is_some() {
            return (q, i - 3);
        }
    }
    if i >= 2 {
        let q = match (w(i - 2), w(i - 1)) {
            ("more", "than") | ("upwards", "of") => Some("more_than"),
            ("at", "least") | ("a", "minimum") => Some("at_least"),
            ("at", "most") | ("up", "to") => Some("at_most"),
            ("less" | "fewer", "than") => Some("less_than"),
            ("an", "estimated") => Some("about"),
            _ => None,
        };
        if q.is_some() {
            return (q, i - 2);
        }
    }
    if i >= 1 {
        let q = match w(i - 1) {
            "over" | "above" => Some("more_than"),
            "about" | "around" | "some" | "roughly" | "approximately" | "estimated" => {
                Some("about")
            }
            "nearly" | "almost" => Some("nearly"),
            "under" | "below" => Some("less_than"),
            "exactly" => Some("exact"),
            _ => None,
        };
        if q.is_some() {
            return (q, i - 1);
        }
    }
    (None, i)
}

/// Numbers that are not counts: years, clock times, ages and other compound adjectives
/// ("a 10-day truce"), percentages, money, dates ("November 6").
fn is_not_a_count(src: &str, toks: &[Token], n: &NumberPhrase) -> bool {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let t = &toks[n.start];
    let digits = t.kind == TokenKind::Number;
    let year = digits && n.end == n.start + 1 && (1900.0..=2100.0).contains(&n.value);
    let year = year && !t.norm.contains(',');
    let before = n
        .start
        .checked_sub(1)
        .map(|k| toks[k].text(src))
        .unwrap_or("");
    let money = matches!(before, "$" | "€" | "£" | "US$")
        || before.ends_with('$')
        || matches!(
            w(n.end),
            "dollars" | "euros" | "pounds" | "usd" | "yuan" | "rupees"
        );
    let after = w(n.end);
    // "a 10-day truce", "9:30", "24/7"; a full stop after a count ends the sentence
    let glued = digits && n.end == n.start + 1 && matches!(after, "-" | ":" | "/");
    let measure = matches!(
        after,
        "%" | "percent" | "per" | "am" | "pm" | "a.m." | "p.m."
    );
    let month = |s: &str| super::dates::month(s).is_some() && s.len() > 2;
    let date = digits && (month(after) || month(w(n.start.wrapping_sub(1))));
    year || money || glued || measure || date
}

/// The head noun of the phrase that follows a number, skipping modifiers ("combat troops",
/// "Palestinian civilians", "more people"): its token, or None when a verb, a function word
/// or punctuation comes first ("10 were").
fn head_noun(
    src: &str,
    toks: &[Token],
    from: usize,
    is_people_word: &impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut k = from;
    // "of them", "of those": the count of a group named before, which the sentence holds
    if toks.get(k).is_some_and(|t| t.norm == "of") {
        k += 1;
        if toks.get(k).is_some_and(|t| t.norm == "the") {
            k += 1;
        }
    }
    let mut head = None;
    while k < toks.len() && k < from + 5 {
        let t = &toks[k];
        if t.kind != TokenKind::Word || NOT_UNITS.contains(&t.norm.as_str()) {
            break;
        }
        let capital = t.text(src).chars().next().is_some_and(char::is_uppercase);
        if is_unit_noun(&t.norm) || (capital && is_people_word(k)) {
            head = Some(k);
        } else if head.is_some() || casualty_adjective(&t.norm).is_some() {
            // a word after the head ends the phrase; "dead", "wounded" say what, not who
            break;
        }
        k += 1;
    }
    head
}

/// The kind said by the words around the phrase `start..end`: a verb before it ("killing at
/// least 20"), a passive or adjective after it ("were killed", "dead"), or a toll.
fn kind_around(toks: &[Token], start: usize, end: usize) -> Option<&'static str> {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    if let Some(kind) = start
        .checked_sub(1)
        .and_then(|k| kind_of_verb_before(w(k), w(k + 1)))
    {
        return Some(kind);
    }
    // "shot dead three Palestinians": the two-word verb before the count
    if start >= 2 && w(start - 1) == "dead" && matches!(w(start - 2), "shot" | "shooting") {
        return Some("killed");
    }
    // "took 12 people hostage", "left 30 dead", "26 dead", "200,000 evacuated"
    if let Some(kind) = casualty_adjective(w(end)) {
        return Some(kind);
    }
    if w(end) == "to" && is_flight_verb(w(end + 1)) {
        return Some("displaced");
    }
    let mut k = end;
    // "30 people, including 11 children, were killed": the aside is a part of the count
    if w(k) == "," && matches!(w(k + 1), "including" | "among") {
        if let Some(close) = (k + 2..toks.len().min(k + 12)).find(|&c| w(c) == ",") {
            k = close + 1;
        }
    }
    let from = k;
    while k < toks.len() && k < from + 6 && PASSIVE_FILLERS.contains(&w(k)) {
        k += 1;
    }
    let intransitive = matches!(
        w(k),
        "died" | "perished" | "fled" | "die" | "rallied" | "marched" | "protested" | "demonstrated"
    );
    if k > from || intransitive {
        if let Some(kind) = kind_of_verb_after(w(k), w(k + 1)) {
            return Some(kind);
        }
    }
    // "the death toll rose to 30", "a death toll above 30", "the toll stood at 12"
    let toll = (start.saturating_sub(6)..start).any(|k| w(k) == "toll");
    toll.then_some("killed")
}

/// `is_people_word` says whether a capitalised word is a demonym ("Americans"), which makes the
/// unit "people".
pub fn find(src: &str, toks: &[Token], is_people_word: impl Fn(usize) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(n) = numbers::parse_at(toks, i) else {
            i += 1;
            continue;
        };
        if is_not_a_count(src, toks, &n) {
            i = n.end;
            continue;
        }
        let head = head_noun(src, toks, n.end, &is_people_word);
        // "one of the groups", "one said": the pronoun "one" counts only a noun after it
        if toks[i].norm == "one" && head != Some(n.end) {
            i = n.end;
            continue;
        }
        let phrase_end = head.map_or(n.end, |h| h + 1);
        let (q, qstart) = qualifier_before(toks, i);
        let noun = head.map(|h| toks[h].norm.as_str());
        let mut kind =
            kind_around(toks, qstart, phrase_end).or_else(|| noun.and_then(kind_of_noun));
        // "sent 3 ships": a deployment verb counts troops only when no other noun is counted
        if kind == Some("troops") && noun.is_some_and(|u| kind_of_noun(u) != Some("troops")) {
            kind = noun.and_then(kind_of_noun);
        }
        // "including 12 children": a part of a count already given is not a count of its own
        if qstart > 0 && matches!(toks[qstart - 1].norm.as_str(), "including" | "among") {
            kind = None;
        }
        if head.is_none() && kind.is_none() {
            i = n.end;
            continue;
        }
        let unit = match (noun, is_people_word_unit(src, toks, head, &is_people_word)) {
            (_, true) => "people".to_string(),
            (Some(u), false) => u.to_string(),
            (None, false) => "people".to_string(),
        };
        let end = phrase_end.max(n.end);
        let qualifier = q.unwrap_or(if n.vague { "more_than" } else { "exact" });
        out.push(Found {
            start: qstart,
            quantity: Quantity {
                text: src[toks[qstart].start..toks[end - 1].end].to_string(),
                value: n.value,
                qualifier: qualifier.to_string(),
                unit,
                kind: kind.unwrap_or("").to_string(),
            },
        });
        i = end;
    }
    out
}

/// The event types a kind of count most often belongs to, for counts no event's span took.
fn fits(kind: &str, event: EventType) -> bool {
    match kind {
        "killed" | "injured" | "missing" => event == EventType::Assault,
        "hostages" => matches!(event, EventType::Assault | EventType::Retreat),
        "detained" => event == EventType::Coerce,
        "troops" => matches!(event, EventType::Mobilize | EventType::Retreat),
        "protesters" => event == EventType::Protest,
        _ => true,
    }
}

/// "At least eight people were killed when gunmen attacked …": a typed count that no event of
/// the sentence took within its span goes to the nearest event of a type it fits, else to the
/// nearest event. `events` are the sentence's own.
pub fn attach_unclaimed(found: &[Found], toks: &[Token], events: &mut [Event]) {
    let at: Vec<(usize, &Quantity)> = found
        .iter()
        .map(|f| (toks[f.start].start, &f.quantity))
        .collect();
    attach_counts(&at, events);
}

/// `attach_unclaimed` over counts given at byte offsets, for a coder that did not tokenize
/// the sentence itself (the learned relation coder).
pub fn attach_counts(found: &[(usize, &Quantity)], events: &mut [Event]) {
    for &(at, q) in found.iter().filter(|(_, q)| !q.kind.is_empty()) {
        let claimed = events
            .iter()
            .any(|e| e.quantities.iter().any(|x| x.text == q.text));
        if claimed || events.is_empty() {
            continue;
        }
        let dist = |e: &Event| e.evidence.trigger_start.abs_diff(at);
        let fitting = (0..events.len())
            .filter(|&i| fits(&q.kind, events[i].event))
            .min_by_key(|&i| dist(&events[i]));
        let nearest = (0..events.len()).min_by_key(|&i| dist(&events[i]));
        if let Some(i) = fitting.or(nearest) {
            events[i].quantities.push(q.clone());
        }
    }
}

fn is_people_word_unit(
    src: &str,
    toks: &[Token],
    head: Option<usize>,
    is_people_word: &impl Fn(usize) -> bool,
) -> bool {
    head.is_some_and(|h| {
        toks[h]
            .text(src)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
            && is_people_word(h)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn q(s: &str) -> Vec<(String, f64, String, String, String)> {
        let toks = tokenize(s, 0);
        find(s, &toks, |k| {
            toks[k].norm == "americans" || toks[k].norm == "sudanese"
        })
        .into_iter()
        .map(|f| {
            let q = f.quantity;
            (q.text, q.value, q.qualifier, q.unit, q.kind)
        })
        .collect()
    }

    fn one(s: &str) -> (f64, String, String, String) {
        let all = q(s);
        assert_eq!(all.len(), 1, "{s}: {all:?}");
        let (_, v, qual, unit, kind) = all.into_iter().next().unwrap();
        (v, qual, unit, kind)
    }

    /// Each case is "text => value qualifier unit kind" ("-": no kind), one quantity a text.
    fn check(cases: &[&str]) {
        for case in cases {
            let (s, want) = case.split_once(" => ").expect("text => want");
            let w: Vec<&str> = want.split(' ').collect();
            let kind = if w[3] == "-" { "" } else { w[3] };
            let want = (w[0].parse().unwrap(), w[1].into(), w[2].into(), kind.into());
            assert_eq!(one(s), want, "{s}");
        }
    }

    #[test]
    fn numbers_words_qualifiers_and_units() {
        assert_eq!(
            q("the release of over 200 hostages")[0],
            (
                "over 200 hostages".into(),
                200.0,
                "more_than".into(),
                "hostages".into(),
                "hostages".into()
            )
        );
        check(&[
            "two American hostages were freed => 2.0 exact hostages hostages",
            "with 10 Americans still unaccounted for => 10.0 exact people -",
            "at least 1,500 troops => 1500.0 at_least troops troops",
            "hundreds of protesters => 100.0 more_than protesters protesters",
            "three million people => 3e6 exact people -",
            "the navy sent 3 ships => 3.0 exact ships -",
        ]);
    }

    #[test]
    fn the_unit_is_the_head_of_the_noun_phrase_never_the_next_word() {
        check(&[
            "Gunmen shot 10 passengers, and 10 were later found => 10.0 exact passengers -",
            "Washington deployed 150 combat troops to the base => 150.0 exact troops troops",
            "police said 14 were killed => 14.0 exact people killed",
            "17 Palestinian civilians died => 17.0 exact civilians killed",
        ]);
    }

    #[test]
    fn casualty_verbs_before_and_after_type_the_count() {
        check(&[
            "the blast killed at least nine people => 9.0 at_least people killed",
            "At least six people were killed in the raid => 6.0 at_least people killed",
            "nearly 40 were wounded => 40.0 nearly people injured",
            "police arrested up to 75 demonstrators => 75.0 at_most demonstrators detained",
            "the floods displaced about 3,000 families => 3000.0 about families displaced",
            "rebels abducted 23 students => 23.0 exact students hostages",
            "12 people are believed to have been killed => 12.0 exact people killed",
        ]);
    }

    #[test]
    fn flight_beheading_shooting_and_marching_type_the_count() {
        check(&[
            "the fighting forced some 5,000 people to flee their homes => 5000.0 about people displaced",
            "forcing more than 300 families to leave the area => 300.0 more_than families displaced",
            "insurgents beheaded 11 Christians => 11.0 exact christians killed",
            "soldiers shot dead three protesters => 3.0 exact protesters killed",
            "Thousands of farmers protested in Cardiff => 1000.0 more_than farmers protesters",
            "tens of thousands of people will march on Saturday => 10000.0 more_than people protesters",
            "Two Chinese citizens were detained => 2.0 exact citizens detained",
        ]);
        // moving on is not fleeing, and a march that is not the count's own verb is not
        check(&[
            "they sent 30 people to Geneva => 30.0 exact people -",
            "police detained 40 people before the march => 40.0 exact people detained",
        ]);
    }

    #[test]
    fn adjectives_and_tolls_type_a_bare_count() {
        check(&[
            "the clashes left 31 dead => 31.0 exact people killed",
            "Officials reported 19 dead and no arrests => 19.0 exact people killed",
            "the death toll above 40 by Sunday => 40.0 more_than people killed",
            "the toll rose to 52 => 52.0 exact people killed",
            "some 150,000 evacuated ahead of the fighting => 150000.0 about people displaced",
        ]);
    }

    #[test]
    fn dozens_and_multipliers_multiply() {
        check(&[
            "over four dozen injuries were reported => 48.0 more_than injuries injured",
            "a dozen soldiers were captured => 12.0 exact soldiers detained",
            "hundreds were detained => 100.0 more_than people detained",
            "1.4 million Sudanese fled => 1.4e6 exact people displaced",
        ]);
    }

    #[test]
    fn a_part_of_a_count_is_not_a_count_of_its_own() {
        let all = q("at least 30 people, including 11 children, were killed");
        assert_eq!(all[1].4, "");
    }

    #[test]
    fn years_durations_times_money_and_pronoun_one_are_not_quantities() {
        assert!(q("in 2014 the war began").is_empty());
        assert!(q("one of the groups").is_empty());
        assert!(q("after four years of talks").is_empty());
        assert!(q("a 10-day truce").is_empty());
        assert!(q("a loan of $40 million").is_empty());
        assert!(q("prices rose 12 percent").is_empty());
        assert!(q("fighting began on November 6 at 9 am").is_empty());
        assert!(q("10 were").is_empty());
    }
}
