//! Strict report dates: exactly `YYYY-MM-DD`, a real calendar day, a year in a plausible range;
//! JSONL may add an RFC 3339 time. Must never accept a date by reading only part of the text,
//! since a wrong year or month files a report into the wrong week of every chart.

use chrono::NaiveDate;

/// Years outside this range are almost always typing or export errors; `--allow-dates` lifts it.
pub const YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

/// Parses a `YYYY-MM-DD` date; the error says what is wrong with it.
pub fn parse_day(s: &str, any_year: bool) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if !shape {
        return Err(format!("`{}` is not a date: expected YYYY-MM-DD", shown(s)));
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4) as i32, num(5..7), num(8..10));
    let date = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| format!("`{s}` is not a day of the calendar"))?;
    if !any_year && !YEARS.contains(&y) {
        return Err(format!(
            "`{s}`: year {y} is outside {}–{} (pass --allow-dates to accept it)",
            YEARS.start(),
            YEARS.end()
        ));
    }
    Ok(date)
}

/// A JSONL `date`: `YYYY-MM-DD`, or a full RFC 3339 timestamp whose day is taken as it is
/// written (the report's own calendar day, not converted to UTC).
pub fn parse_day_or_timestamp(s: &str, any_year: bool) -> Result<NaiveDate, String> {
    if s.len() <= 10 {
        return parse_day(s, any_year);
    }
    let day = s.get(..10).ok_or_else(|| not_a_timestamp(s))?;
    let time_ok = chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").is_ok();
    if !time_ok {
        return Err(not_a_timestamp(s));
    }
    parse_day(day, any_year)
}

fn not_a_timestamp(s: &str) -> String {
    format!(
        "`{}` is not a date: expected YYYY-MM-DD or an RFC 3339 timestamp",
        shown(s)
    )
}

/// At most 40 characters of a bad value, so a huge field does not flood the terminal.
fn shown(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_real_dates_in_range_pass() {
        assert_eq!(
            parse_day("2024-02-29", false).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        for bad in [
            "2023-02-30",
            "0000-01-01",
            "-001-01-01",
            "2024-03-12junk",
            "2024-3-12",
            "24-03-12",
            "2024/03/12",
            "",
            "１２３４-01-01",
        ] {
            assert!(parse_day(bad, false).is_err(), "{bad}");
            assert!(parse_day_or_timestamp(bad, false).is_err(), "{bad}");
        }
        assert!(parse_day("1700-01-01", true).is_ok());
        assert!(parse_day("1700-01-01", false)
            .unwrap_err()
            .contains("--allow-dates"));
    }

    #[test]
    fn timestamps_keep_their_written_day() {
        let d = parse_day_or_timestamp("2023-11-07T23:30:00-05:00", false).unwrap();
        assert_eq!(d.to_string(), "2023-11-07");
        assert!(parse_day_or_timestamp("2023-11-07T10:00:00Z", false).is_ok());
        assert!(parse_day_or_timestamp("2023-11-07 10:00:00", false).is_ok());
        assert!(parse_day_or_timestamp("2023-11-07T99:00:00Z", false).is_err());
        assert!(parse_day_or_timestamp("2023-02-30T10:00:00Z", false).is_err());
    }
}
