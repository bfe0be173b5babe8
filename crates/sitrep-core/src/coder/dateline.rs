//! The dateline that opens a wire story (`KHARTOUM, Nov 6 (Reuters) -`): the place and day it
//! gives, which are the defaults for the story's events. It must never take an ordinary
//! opening clause ("Israel, Hamas agree - report") for a dateline.

use super::dates;
use crate::event::Location;
use crate::text::tokenize;
use chrono::NaiveDate;

/// A dateline: the bytes it covers (from the start of the text), its place words and the day
/// it gives, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Dateline {
    pub end: usize,
    pub place: String,
    pub date: Option<NaiveDate>,
    /// The place resolved in the gazetteer, filled by the coder.
    pub location: Option<Location>,
}

/// Reads a dateline at the start of `text`: a place in capitals ("KHARTOUM", "NEW YORK"), or
/// in title case followed by a news agency in brackets; then optional ", Region" parts, an
/// optional date, an optional "(Agency)", and a dash.
pub fn read(text: &str, doc_date: NaiveDate) -> Option<Dateline> {
    let lead = text.len() - text.trim_start().len();
    let head: String = text[lead..].chars().take(120).collect();
    let dash = head.find(['-', '\u{2014}', '\u{2013}'])?;
    let before = &head[..dash];
    // "BEIRUT (AP) -", "KHARTOUM, Nov 6 (Reuters) -": the agency, if any, just before the dash
    let (body, agency) = match (before.rfind('('), before.rfind(')')) {
        (Some(o), Some(c)) if o < c && before[c + 1..].trim().is_empty() => {
            (&before[..o], Some(before[o + 1..c].trim()))
        }
        _ => (before, None),
    };
    let mut parts = body.split(',').map(str::trim).filter(|p| !p.is_empty());
    let place = parts.next()?;
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = letters > 1
        && place
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    let title = place
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let agency_ok = agency.is_some_and(|a| !a.is_empty() && a.len() < 30);
    let words = place.split_whitespace().count();
    if !(capitals || (title && agency_ok)) || words > 4 || letters == 0 {
        return None;
    }
    // a date part, if the dateline gives one ("Nov 6", "6 November")
    let rest: Vec<&str> = parts.collect();
    let mut date = None;
    for part in &rest {
        let toks = tokenize(part, 0);
        if let Some(d) = dates::find(part, &toks, doc_date).into_iter().next() {
            date = Some(d.date);
        } else if !part
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            // "Israel, Hamas agree": a part that is neither a place nor a date
            return None;
        }
    }
    let end_char = head[..dash].chars().count() + 1;
    let end = lead
        + text[lead..]
            .char_indices()
            .nth(end_char)
            .map_or(text.len() - lead, |(i, _)| i);
    Some(Dateline {
        end,
        place: place.to_string(),
        date,
        location: None,
    })
}

/// `text` with the dateline's bytes blanked, so its place and agency are neither actors nor
/// scenes of the first sentence; byte offsets stay as they were.
pub fn blank(text: &str, d: &Dateline) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if i < d.end {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 11, 8).unwrap()
    }

    #[test]
    fn reads_place_date_and_agency() {
        let d = read("KHARTOUM, Nov 6 (Reuters) - The army said", day()).unwrap();
        assert_eq!(d.place, "KHARTOUM");
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2024, 11, 6));
        assert_eq!(
            &"KHARTOUM, Nov 6 (Reuters) - The army said"[d.end..],
            " The army said"
        );
        let d = read("PORT SUDAN, Sudan (AP) \u{2014} Drones hit", day()).unwrap();
        assert_eq!((d.place.as_str(), d.date), ("PORT SUDAN", None));
        let d = read("Kyiv, Ukraine (AFP) - Drones hit", day()).unwrap();
        assert_eq!(d.place, "Kyiv");
    }

    #[test]
    fn an_ordinary_opening_is_not_a_dateline() {
        assert_eq!(read("Israel, Hamas agree to talks - report", day()), None);
        assert_eq!(read("Rebels attacked a long-held town.", day()), None);
        assert_eq!(
            read("The Sudanese army - backed by allies - advanced", day()),
            None
        );
    }

    #[test]
    fn blanking_keeps_offsets() {
        let text = "GAZA, Nov 6 (Reuters) \u{2014} Strikes hit.";
        let d = read(text, day()).unwrap();
        let b = blank(text, &d);
        assert_eq!(b.len(), text.len());
        assert_eq!(b.trim_start(), "Strikes hit.");
    }
}
