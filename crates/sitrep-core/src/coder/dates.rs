//! Date expressions resolved against the report date: "on Wednesday" (back or forward by
//! tense), "yesterday", "last week", "four days ago", "in 2014", "on March 3", and anchors
//! ("two days after the vote on Sunday"). An anchor it cannot date gets a coarser precision;
//! it must never pass the report date off as a day it does not know.

use super::numbers;
use super::tense::looks_forward;
use crate::event::DatePrecision;
use crate::text::{Token, TokenKind};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

#[derive(Debug, Clone)]
pub struct DateExpr {
    /// First token of the phrase.
    pub token: usize,
    /// One past its last token.
    pub end: usize,
    pub date: NaiveDate,
    pub precision: DatePrecision,
}

/// Whether the phrase is possessive ("last month's coup attempt", "Sunday's vote"): it dates
/// the noun after it, not the sentence's other acts ("police arrested 21 people over last
/// month's failed coup" happened on the report day).
pub fn possessive(toks: &[Token], d: &DateExpr) -> bool {
    toks.get(d.end).is_some_and(|t| t.norm == "'s")
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

pub(super) fn month(w: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.trim_end_matches('.');
    M.iter()
        .position(|m| {
            *m == w
                || (w.len() >= 3 && m.starts_with(w) && w != "mar" && w != "may")
                || (w == "sept" && *m == "september")
        })
        .map(|i| i as u32 + 1)
}

/// The day on `wd` nearest to `d` in the direction given: back (on or before `d`) or forward
/// (on or after). `strict` skips `d` itself ("last Monday" on a Monday is a week ago).
fn weekday_from(d: NaiveDate, wd: Weekday, forward: bool, strict: bool) -> Option<NaiveDate> {
    let (a, b) = (
        d.weekday().num_days_from_monday(),
        wd.num_days_from_monday(),
    );
    let mut gap = if forward {
        (7 + b - a) % 7
    } else {
        (7 + a - b) % 7
    };
    if strict && gap == 0 {
        gap = 7;
    }
    if forward {
        d.checked_add_days(Days::new(gap as u64))
    } else {
        d.checked_sub_days(Days::new(gap as u64))
    }
}

/// A span of time: its length in days or months, and the precision a date that far off has.
#[derive(Debug, Clone, Copy)]
enum Span {
    Days(u64, DatePrecision),
    Months(u32, DatePrecision),
}

fn span_unit(w: &str) -> Option<Span> {
    Some(match w.trim_end_matches('s') {
        "hour" | "minute" => Span::Days(0, DatePrecision::Day),
        "day" | "night" => Span::Days(1, DatePrecision::Day),
        "week" | "fortnight" => {
            Span::Days(if w.starts_with('f') { 14 } else { 7 }, DatePrecision::Week)
        }
        "month" => Span::Months(1, DatePrecision::Month),
        "year" => Span::Months(12, DatePrecision::Year),
        "decade" => Span::Months(120, DatePrecision::Year),
        _ => return None,
    })
}

/// `d` moved by `n` spans, back or forward.
fn shift(d: NaiveDate, span: Span, n: u64, forward: bool) -> Option<NaiveDate> {
    match (span, forward) {
        (Span::Days(k, _), true) => d.checked_add_days(Days::new(k * n)),
        (Span::Days(k, _), false) => d.checked_sub_days(Days::new(k * n)),
        (Span::Months(k, _), true) => d.checked_add_months(Months::new(k * n as u32)),
        (Span::Months(k, _), false) => d.checked_sub_months(Months::new(k * n as u32)),
    }
}

fn precision_of(span: Span) -> DatePrecision {
    match span {
        Span::Days(_, p) | Span::Months(_, p) => p,
    }
}

/// "four days", "a week", "the day", "nearly four years": a count of spans at `i`, its
/// value, its unit and the token after it.
fn count_of_spans(toks: &[Token], i: usize) -> Option<(u64, Span, usize)> {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let i = if matches!(w(i), "nearly" | "almost" | "about" | "some" | "over") {
        i + 1
    } else {
        i
    };
    let (n, next) = match w(i) {
        "a" | "an" | "the" | "one" => (1, i + 1),
        _ => {
            let p = numbers::parse_at(toks, i)?;
            (p.value as u64, p.end)
        }
    };
    let span = span_unit(w(next))?;
    (n <= 10_000).then_some((n, span, next + 1))
}

/// "last/this/next week|month|year": the period and its precision.
fn relative_period(prefix: &str, unit: &str, doc: NaiveDate) -> Option<(NaiveDate, DatePrecision)> {
    let span = span_unit(unit).filter(|_| !unit.ends_with('s'))?;
    let p = precision_of(span);
    match prefix {
        "last" | "past" => shift(doc, span, 1, false).map(|d| (d, p)),
        "next" | "coming" => shift(doc, span, 1, true).map(|d| (d, p)),
        "this" => Some((doc, p)),
        _ => None,
    }
}

/// The simple expression at `i`: its resolved date, precision and the token after it.
fn simple_at(
    src: &str,
    toks: &[Token],
    i: usize,
    doc: NaiveDate,
) -> Option<(NaiveDate, DatePrecision, usize)> {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let n = w(i);
    let day = |d: Option<NaiveDate>, end: usize| d.map(|d| (d, DatePrecision::Day, end));
    if let Some(wd) = weekday(n) {
        let before = w(i.wrapping_sub(1));
        let forward = match before {
            "last" | "past" => false,
            "next" | "coming" => true,
            _ => looks_forward(toks, i, i + 1),
        };
        let strict = matches!(before, "last" | "past" | "next" | "coming");
        return day(weekday_from(doc, wd, forward, strict), i + 1);
    }
    if n == "weekend" {
        return weekend_at(toks, i, doc);
    }
    match (n, w(i + 1)) {
        ("yesterday", _) => day(doc.pred_opt(), i + 1),
        ("today" | "tonight", _) => day(Some(doc), i + 1),
        ("tomorrow", _) => day(doc.succ_opt(), i + 1),
        ("last" | "past" | "next" | "this" | "coming", u) if w(i.wrapping_sub(1)) != "the" => {
            relative_period(n, u, doc).map(|(d, p)| (d, p, i + 2))
        }
        ("in" | "since" | "during" | "by" | "until" | "of", y)
            if toks.get(i + 1).is_some_and(|x| x.kind == TokenKind::Number) && y.len() == 4 =>
        {
            year(y).map(|y| (y, DatePrecision::Year, i + 2))
        }
        _ => {
            let (d, p, end) = month_day(src, toks, i, doc)?;
            // "will sign the accord on March 3": a future date is this year's or next year's
            let forward = looks_forward(toks, i, end);
            let d = if forward && d < doc && !explicit_year(toks, end) {
                d.with_year(d.year() + 1).unwrap_or(d)
            } else {
                d
            };
            Some((d, p, end))
        }
    }
}

/// "at the weekend", "last weekend", "this weekend": its Saturday, at week precision, since
/// reports rarely say which of the two days.
fn weekend_at(
    toks: &[Token],
    i: usize,
    doc: NaiveDate,
) -> Option<(NaiveDate, DatePrecision, usize)> {
    let forward = match toks.get(i.checked_sub(1)?)?.norm.as_str() {
        "last" | "past" => false,
        "next" | "coming" => true,
        "the" | "this" => looks_forward(toks, i, i + 1),
        _ => return None,
    };
    let d = weekday_from(doc, Weekday::Sat, forward, false)?;
    Some((d, DatePrecision::Week, i + 1))
}

fn year(y: &str) -> Option<NaiveDate> {
    y.parse::<i32>()
        .ok()
        .filter(|y| (1900..=2100).contains(y))
        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
}

fn explicit_year(toks: &[Token], end: usize) -> bool {
    end > 0 && toks[end - 1].norm.len() == 4 && toks[end - 1].kind == TokenKind::Number
}

/// "four days ago", "nearly four years ago": back from the report date.
fn ago_at(toks: &[Token], i: usize, doc: NaiveDate) -> Option<DateExpr> {
    let (n, span, next) = count_of_spans(toks, i)?;
    (toks.get(next)?.norm == "ago").then_some(())?;
    Some(DateExpr {
        token: i,
        end: next + 1,
        date: shift(doc, span, n, false)?,
        precision: precision_of(span),
    })
}

pub fn find(src: &str, toks: &[Token], doc_date: NaiveDate) -> Vec<DateExpr> {
    let mut out: Vec<DateExpr> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some(e) = ago_at(toks, i, doc_date) {
            i = e.end;
            out.push(e);
        } else if let Some((date, precision, end)) = simple_at(src, toks, i, doc_date) {
            out.push(DateExpr {
                token: i,
                end,
                date,
                precision,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out.retain(|e| !after_since(toks, e.token));
    resolve_anchors(toks, out, doc_date)
}

/// "has killed 3,000 people since January", "since 4 July 2019": the date where a span
/// starts, which is not the day of the event the sentence reports.
fn after_since(toks: &[Token], token: usize) -> bool {
    let w = |k: Option<usize>| k.and_then(|k| toks.get(k)).map_or("", |t| t.norm.as_str());
    w(Some(token)) == "since"
        || w(token.checked_sub(1)) == "since"
        || (w(token.checked_sub(2)) == "since" && toks[token - 1].kind == TokenKind::Number)
}

/// "two days after the vote on Sunday", "a day before Monday's strike": the anchor's date
/// moved by the span, taking the anchor's place. With no date in the anchor, the event is
/// near the report but not on a known day: the report date at the precision of a month (for
/// spans of days or weeks) or a year (for longer ones).
fn resolve_anchors(toks: &[Token], dates: Vec<DateExpr>, doc: NaiveDate) -> Vec<DateExpr> {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let mut out: Vec<DateExpr> = Vec::new();
    let mut used = vec![false; dates.len()];
    let mut i = 0;
    while i < toks.len() {
        let Some((n, span, next)) = count_of_spans(toks, i) else {
            i += 1;
            continue;
        };
        // "days after", "a week before", "the day after"
        // "two days later" counts from an event told before: with no date of its own in the
        // clause it is as coarse as an anchor that cannot be dated
        let (forward, relative) = match w(next) {
            "after" => (true, false),
            "before" | "prior" => (false, false),
            "later" | "earlier" => (true, true),
            _ => {
                i += 1;
                continue;
            }
        };
        let clause_end = (next..toks.len())
            .find(|&k| matches!(w(k), "." | ";"))
            .unwrap_or(toks.len());
        let anchor = dates
            .iter()
            .position(|d| d.token > next && d.token < clause_end.min(next + 12));
        if relative && dates.iter().any(|d| d.token < clause_end) {
            i = next + 1;
            continue;
        }
        let anchor = anchor.filter(|_| !relative);
        let (date, precision) = match anchor {
            Some(a) => {
                used[a] = true;
                let d = &dates[a];
                let mut at = shift(d.date, span, n, forward).unwrap_or(d.date);
                // "rallied two days after the vote on Tuesday", told on a Tuesday: a past act
                // cannot fall after the report, so the weekday is the one a week before
                let weekday = weekday(w(d.token)).is_some();
                if at > doc && weekday && !looks_forward(toks, i, next + 1) {
                    at = at.checked_sub_days(Days::new(7)).unwrap_or(at);
                }
                (at, d.precision)
            }
            None => (
                doc,
                match span {
                    Span::Days(..) => DatePrecision::Month,
                    Span::Months(..) => DatePrecision::Year,
                },
            ),
        };
        out.push(DateExpr {
            token: i,
            end: next + 1,
            date,
            precision,
        });
        i = next + 1;
    }
    let rest: Vec<DateExpr> = dates
        .into_iter()
        .zip(used)
        .filter(|(d, u)| !u && !out.iter().any(|o| o.token <= d.token && d.token < o.end))
        .map(|(d, _)| d)
        .collect();
    out.extend(rest);
    out.sort_by_key(|d| d.token);
    out
}

/// "March 3", "3 March", "March 3, 2022", "Nov. 6", and "in March" (the month) → that day or
/// month, in the report's year unless that would put it well after the report.
fn month_day(
    src: &str,
    toks: &[Token],
    i: usize,
    doc_date: NaiveDate,
) -> Option<(NaiveDate, DatePrecision, usize)> {
    let t = &toks[i];
    if !t.text(src).chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let m = month(&t.norm)?;
    let mut k = i + 1;
    if toks.get(k).is_some_and(|x| x.norm == ".") {
        k += 1;
    }
    let is_day = |x: &Token| x.kind == TokenKind::Number && x.norm.len() <= 2;
    let (day, mut end) = if let Some(d) = toks.get(k).filter(|x| is_day(x)) {
        (Some(d.norm.parse::<u32>().ok()?), k + 1)
    } else if let Some(d) = i.checked_sub(1).map(|p| &toks[p]).filter(|x| is_day(x)) {
        (Some(d.norm.parse::<u32>().ok()?), i + 1)
    } else {
        (None, i + 1)
    };
    // an explicit year: "March 3, 2022", "3 March 2022", "March 2022"
    let comma = usize::from(toks.get(end).is_some_and(|x| x.norm == ","));
    let explicit = toks
        .get(end + comma)
        .filter(|x| x.kind == TokenKind::Number && x.norm.len() == 4)
        .and_then(|x| x.norm.parse::<i32>().ok())
        .filter(|y| (1900..=2100).contains(y));
    if explicit.is_some() {
        end += comma + 1;
    }
    // a bare month needs "in" ("in March"); "May" alone is mostly the verb
    if day.is_none()
        && explicit.is_none()
        && !(i > 0
            && matches!(
                toks[i - 1].norm.as_str(),
                "in" | "since" | "early" | "late" | "mid" | "next" | "last"
            ))
    {
        return None;
    }
    let prefix = i.checked_sub(1).map_or("", |p| toks[p].norm.as_str());
    let y = explicit.unwrap_or(doc_date.year());
    let (mut d, precision) = match day {
        Some(day) => (NaiveDate::from_ymd_opt(y, m, day)?, DatePrecision::Day),
        None => (NaiveDate::from_ymd_opt(y, m, 1)?, DatePrecision::Month),
    };
    let late = doc_date
        .checked_add_days(Days::new(31))
        .is_some_and(|limit| d > limit);
    if explicit.is_none() && late {
        d = d.with_year(y - 1)?;
    }
    // "next May" is the first May after this month, "last March" the last one before it
    let this_month = doc_date.with_day(1)?;
    if explicit.is_none() && prefix == "next" && d <= doc_date {
        d = d.with_year(d.year() + 1)?;
    } else if explicit.is_none() && prefix == "last" && d >= this_month {
        d = d.with_year(d.year() - 1)?;
    }
    Some((d, precision, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn all(s: &str) -> Vec<(String, DatePrecision)> {
        let toks = tokenize(s, 0);
        let d = NaiveDate::from_ymd_opt(2023, 11, 7).unwrap(); // a Tuesday
        find(s, &toks, d)
            .into_iter()
            .map(|e| (e.date.to_string(), e.precision))
            .collect()
    }

    fn first(s: &str) -> (String, DatePrecision) {
        all(s)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no date in {s}"))
    }

    fn day(d: &str) -> (String, DatePrecision) {
        (d.into(), DatePrecision::Day)
    }

    #[test]
    fn resolves_against_the_report_date() {
        assert_eq!(first("talks on Wednesday"), day("2023-11-01"));
        assert_eq!(first("talks on Tuesday"), day("2023-11-07"));
        assert_eq!(first("it happened yesterday"), day("2023-11-06"));
        assert_eq!(
            first("met last week"),
            ("2023-10-31".into(), DatePrecision::Week)
        );
        assert_eq!(
            first("signed in 2014"),
            ("2014-01-01".into(), DatePrecision::Year)
        );
        assert_eq!(first("on March 3 they met"), day("2023-03-03"));
        assert_eq!(first("on 25 December they met"), day("2022-12-25"));
    }

    #[test]
    fn a_future_tense_looks_forward() {
        assert_eq!(
            first("The envoy will lead the talks on Thursday"),
            day("2023-11-09")
        );
        assert_eq!(
            first("The summit is due to open on Monday"),
            day("2023-11-13")
        );
        assert_eq!(
            first("Voting will take place on Tuesday"),
            day("2023-11-07")
        );
        assert_eq!(
            first("They pledged to sign the deal on February 2"),
            day("2023-02-02")
        );
        assert_eq!(
            first("They will sign the deal on February 2"),
            day("2024-02-02")
        );
        assert_eq!(first("He travels to Cairo next Monday"), day("2023-11-13"));
        assert_eq!(first("They clashed last Tuesday"), day("2023-10-31"));
        assert_eq!(
            first("the talks resume next week"),
            ("2023-11-14".into(), DatePrecision::Week)
        );
        assert_eq!(first("the strike ends tomorrow"), day("2023-11-08"));
    }

    #[test]
    fn spans_ago_go_back_with_their_precision() {
        assert_eq!(
            first("the war began nearly three years ago"),
            ("2020-11-07".into(), DatePrecision::Year)
        );
        assert_eq!(first("he was seized five days ago"), day("2023-11-02"));
        assert_eq!(
            first("a week ago the army withdrew"),
            ("2023-10-31".into(), DatePrecision::Week)
        );
        assert_eq!(
            first("two months ago"),
            ("2023-09-07".into(), DatePrecision::Month)
        );
    }

    #[test]
    fn anchors_resolve_when_dated_and_are_coarse_otherwise() {
        assert_eq!(
            all("two days after the vote on Sunday"),
            [day("2023-11-07")]
        );
        assert_eq!(all("a day before Friday's funeral"), [day("2023-11-02")]);
        // told on a Tuesday: the Tuesday of the vote is a week back, not today
        assert_eq!(
            all("they rallied two days after the vote on Tuesday"),
            [day("2023-11-02")]
        );
        assert_eq!(
            all("three days after the fighting erupted"),
            [("2023-11-07".into(), DatePrecision::Month)]
        );
        assert_eq!(
            all("two years after the coup"),
            [("2023-11-07".into(), DatePrecision::Year)]
        );
    }

    #[test]
    fn months_abbreviations_and_explicit_years() {
        assert_eq!(first("KHARTOUM, Nov 6 (Reuters) -"), day("2023-11-06"));
        assert_eq!(first("on Sept. 14"), day("2023-09-14"));
        assert_eq!(first("on March 3, 2021, troops"), day("2021-03-03"));
        assert_eq!(first("on 4 July 2019"), day("2019-07-04"));
        assert_eq!(
            first("in March"),
            ("2023-03-01".into(), DatePrecision::Month)
        );
        assert!(all("you may go").is_empty());
    }

    #[test]
    fn a_date_after_since_starts_a_span_and_dates_no_event() {
        for s in [
            "fighting has killed 3,000 people since January",
            "the first visit to the region since 2019",
            "13 people have been killed since last week",
            "held without charge since 4 July 2019",
            "clashes since Thursday",
        ] {
            assert!(all(s).is_empty(), "{s}: {:?}", all(s));
        }
        assert_eq!(
            all("rebels attacked on Monday, the worst raid since March"),
            [day("2023-11-06")]
        );
    }

    #[test]
    fn weekends_are_their_saturday_at_week_precision() {
        let week = |d: &str| (d.to_string(), DatePrecision::Week);
        assert_eq!(
            first("police arrested 45 people at the weekend"),
            week("2023-11-04")
        );
        assert_eq!(first("they clashed last weekend"), week("2023-11-04"));
        assert_eq!(first("they will march this weekend"), week("2023-11-11"));
        assert_eq!(first("talks resume next weekend"), week("2023-11-11"));
        assert!(all("a weekend of talks").is_empty());
    }

    #[test]
    fn next_and_last_month_names_are_the_nearest_such_month() {
        let month = |d: &str| (d.to_string(), DatePrecision::Month);
        // told on 2023-11-07
        assert_eq!(first("the summit will open next May"), month("2024-05-01"));
        assert_eq!(first("the vote held last March"), month("2023-03-01"));
        assert_eq!(first("the talks last November"), month("2022-11-01"));
        assert_eq!(first("elections due next December"), month("2023-12-01"));
    }
}
