//! Date expressions resolved against the report date: "on Wednesday", "yesterday", "last week",
//! "in 2014", "on March 3".

use crate::event::DatePrecision;
use crate::text::{Token, TokenKind};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

#[derive(Debug, Clone)]
pub struct DateExpr {
    pub token: usize,
    pub date: NaiveDate,
    pub precision: DatePrecision,
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
    M.iter()
        .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w != "mar" && w != "may"))
        .map(|i| i as u32 + 1)
}

/// The latest day on or before `d` that falls on `wd`: news reports mostly look back. None at
/// the start of the calendar.
fn last_weekday(d: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let back = (7 + d.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    d.checked_sub_days(Days::new(back as u64))
}

pub fn find(src: &str, toks: &[Token], doc_date: NaiveDate) -> Vec<DateExpr> {
    let mut out = Vec::new();
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    for (i, t) in toks.iter().enumerate() {
        let n = t.norm.as_str();
        let found = if let Some(wd) = weekday(n) {
            last_weekday(doc_date, wd).map(|d| (d, DatePrecision::Day))
        } else {
            match (n, w(i + 1)) {
                ("yesterday", _) => doc_date.pred_opt().map(|d| (d, DatePrecision::Day)),
                ("today" | "tonight", _) => Some((doc_date, DatePrecision::Day)),
                ("last" | "past", "week") if w(i.wrapping_sub(1)) != "the" => doc_date
                    .checked_sub_days(Days::new(7))
                    .map(|d| (d, DatePrecision::Week)),
                ("last", "month") => doc_date
                    .checked_sub_months(Months::new(1))
                    .map(|d| (d, DatePrecision::Month)),
                ("last", "year") => doc_date
                    .with_year(doc_date.year() - 1)
                    .map(|d| (d, DatePrecision::Year)),
                ("in" | "since" | "during", y)
                    if toks.get(i + 1).is_some_and(|x| x.kind == TokenKind::Number)
                        && y.len() == 4 =>
                {
                    y.parse::<i32>()
                        .ok()
                        .filter(|y| (1900..=2100).contains(y))
                        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
                        .map(|d| (d, DatePrecision::Year))
                }
                _ => month_day(src, toks, i, doc_date),
            }
        };
        if let Some((date, precision)) = found {
            out.push(DateExpr {
                token: i,
                date,
                precision,
            });
        }
    }
    out
}

/// "March 3" / "3 March" (capitalised month) → that day, in the report's year unless that
/// would put it well after the report.
fn month_day(
    src: &str,
    toks: &[Token],
    i: usize,
    doc_date: NaiveDate,
) -> Option<(NaiveDate, DatePrecision)> {
    let t = &toks[i];
    if !t.text(src).chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let m = month(&t.norm)?;
    let day_tok = toks
        .get(i + 1)
        .filter(|x| x.kind == TokenKind::Number)
        .or_else(|| {
            i.checked_sub(1)
                .and_then(|k| toks.get(k))
                .filter(|x| x.kind == TokenKind::Number)
        })?;
    let day: u32 = day_tok.norm.parse().ok()?;
    let mut d = NaiveDate::from_ymd_opt(doc_date.year(), m, day)?;
    if doc_date
        .checked_add_days(Days::new(31))
        .is_some_and(|limit| d > limit)
    {
        d = NaiveDate::from_ymd_opt(doc_date.year() - 1, m, day)?;
    }
    Some((d, DatePrecision::Day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn first(s: &str) -> (String, DatePrecision) {
        let toks = tokenize(s, 0);
        let d = NaiveDate::from_ymd_opt(2023, 11, 7).unwrap(); // a Tuesday
        let e = &find(s, &toks, d)[0];
        (e.date.to_string(), e.precision)
    }

    #[test]
    fn resolves_against_the_report_date() {
        assert_eq!(
            first("talks on Wednesday"),
            ("2023-11-01".into(), DatePrecision::Day)
        );
        assert_eq!(
            first("talks on Tuesday"),
            ("2023-11-07".into(), DatePrecision::Day)
        );
        assert_eq!(
            first("it happened yesterday"),
            ("2023-11-06".into(), DatePrecision::Day)
        );
        assert_eq!(
            first("met last week"),
            ("2023-10-31".into(), DatePrecision::Week)
        );
        assert_eq!(
            first("signed in 2014"),
            ("2014-01-01".into(), DatePrecision::Year)
        );
        assert_eq!(
            first("on March 3 they met"),
            ("2023-03-03".into(), DatePrecision::Day)
        );
        assert_eq!(
            first("on 25 December they met"),
            ("2022-12-25".into(), DatePrecision::Day)
        );
    }
}
