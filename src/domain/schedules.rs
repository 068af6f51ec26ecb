//! Opening hours and holidays as an admin writes them, and the limits Teams puts on them
//! (contract section 5c `[C]`): weekly ranges `HH:MM-HH:MM` on 15-minute boundaries (a range may
//! end at `24:00`), holiday ranges from one date-time to a later one on 30-minute boundaries, at
//! most 10 ranges per holiday and 20 holidays per auto attendant.
//!
//! Parsing gives plain numbers (minutes of the day, [`DateTime`]), so that two spellings of one
//! moment (`2026-12-25` and `2026-12-25T00:00`) compare equal and the client can write whatever
//! wire format it needs from them. Every error is the sentence a user reads.

use std::fmt;

use teamsphone_contract::{
    AA_MAX_HOLIDAYS, SCHEDULE_FIXED_STEP_MINUTES, SCHEDULE_MAX_FIXED_RANGES,
    SCHEDULE_WEEKLY_STEP_MINUTES,
};

/// The days of `business_hours`, in the order Teams lists them.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

pub const MAX_HOLIDAYS: usize = AA_MAX_HOLIDAYS;
pub const MAX_HOLIDAY_RANGES: usize = SCHEDULE_MAX_FIXED_RANGES;

/// A weekly range in minutes of the day, `start < end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayRange {
    pub start: u32,
    pub end: u32,
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", clock(self.start), clock(self.end))
    }
}

/// `HH:MM` for minutes of the day (1440 is `24:00`).
pub fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes of the day of `HH:MM` (`24:00` only when `end`), without an alignment check.
pub fn parse_clock(text: &str, end: bool) -> Result<u32, String> {
    let bad = || format!("{text:?} is not a time of day; write 24-hour HH:MM, for example 09:30");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    match (h, m) {
        (24, 0) if end => Ok(1440),
        (24, 0) => Err(format!("{text:?}: only the end of a range may be 24:00")),
        (0..=23, 0..=59) => Ok(h * 60 + m),
        _ => Err(bad()),
    }
}

/// Parses `HH:MM-HH:MM` on 15-minute boundaries with the start before the end.
pub fn parse_day_range(text: &str) -> Result<DayRange, String> {
    let Some((start, end)) = text.split_once('-') else {
        return Err(format!(
            "{text:?} is not a range; write HH:MM-HH:MM, for example 09:00-17:00"
        ));
    };
    let range = DayRange {
        start: parse_clock(start.trim(), false)?,
        end: parse_clock(end.trim(), true)?,
    };
    let step = SCHEDULE_WEEKLY_STEP_MINUTES;
    if !range.start.is_multiple_of(step) || !range.end.is_multiple_of(step) {
        return Err(format!(
            "{text:?}: business hours start and end on {step}-minute boundaries (:00, :15, :30, :45)"
        ));
    }
    if range.start >= range.end {
        return Err(format!("{text:?}: the range must end after it starts"));
    }
    Ok(range)
}

/// Problems with one day's ranges taken together: ranges that overlap.
pub fn check_day(ranges: &[DayRange]) -> Result<(), String> {
    let mut sorted = ranges.to_vec();
    sorted.sort();
    for pair in sorted.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(format!("the ranges {} and {} overlap", pair[0], pair[1]));
        }
    }
    Ok(())
}

/// A moment of a holiday, to the minute, in the auto attendant's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl fmt::Display for DateTime {
    /// The configuration's spelling: `YYYY-MM-DD` at midnight (how holidays are mostly written),
    /// else `YYYY-MM-DDTHH:MM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if (self.hour, self.minute) != (0, 0) {
            write!(f, "T{:02}:{:02}", self.hour, self.minute)?;
        }
        Ok(())
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl DateTime {
    /// Parses `YYYY-MM-DD` (midnight), `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (seconds `00`),
    /// a real calendar date; no alignment check.
    pub fn parse(text: &str) -> Result<DateTime, String> {
        let bad = || {
            format!(
                "{text:?} is not a date and time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM, for example 2026-12-25T00:00"
            )
        };
        let (date, time) = match text.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (text, None),
        };
        let parts: Vec<&str> = date.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
        let (year, month, day) = (num(y)?, num(m)?, num(d)?);
        if !(1..=days_in(year, month)).contains(&day) || year < 1900 {
            return Err(format!("{text:?}: there is no such date"));
        }
        let (hour, minute) = match time {
            None => (0, 0),
            Some(t) => {
                let t = match t.len() {
                    8 if t.ends_with(":00") => &t[..5],
                    5 => t,
                    _ => return Err(bad()),
                };
                let minutes = parse_clock(t, false).map_err(|_| bad())?;
                (minutes / 60, minutes % 60)
            }
        };
        Ok(DateTime {
            year,
            month,
            day,
            hour,
            minute,
        })
    }
}

/// A holiday range, start before end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: DateTime,
    pub end: DateTime,
}

/// Parses one end of a holiday range: a date-time on a 30-minute boundary.
pub fn parse_holiday_moment(text: &str) -> Result<DateTime, String> {
    let at = DateTime::parse(text)?;
    let step = SCHEDULE_FIXED_STEP_MINUTES;
    if !at.minute.is_multiple_of(step) {
        return Err(format!(
            "{text:?}: holiday ranges start and end on {step}-minute boundaries (:00 or :30)"
        ));
    }
    Ok(at)
}

/// Parses one holiday range: both ends on 30-minute boundaries, the end after the start.
pub fn parse_date_range(start: &str, end: &str) -> Result<DateRange, String> {
    let range = DateRange {
        start: parse_holiday_moment(start)?,
        end: parse_holiday_moment(end)?,
    };
    if range.start >= range.end {
        return Err(format!(
            "the range {start:?} to {end:?} must end after it starts"
        ));
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_ranges_are_quarter_hours_and_may_end_at_midnight() {
        assert_eq!(
            parse_day_range("09:00-17:45"),
            Ok(DayRange {
                start: 540,
                end: 1065
            })
        );
        assert_eq!(parse_day_range("00:00-24:00").unwrap().end, 1440);
        assert_eq!(
            parse_day_range("08:15-12:30").unwrap().to_string(),
            "08:15-12:30"
        );
        assert!(parse_day_range("09:10-17:00")
            .unwrap_err()
            .contains("15-minute"));
        assert!(parse_day_range("17:00-09:00")
            .unwrap_err()
            .contains("end after"));
        assert!(parse_day_range("24:00-24:00")
            .unwrap_err()
            .contains("24:00"));
        assert!(parse_day_range("9:00-17:00").is_err());
        assert!(parse_day_range("09:00")
            .unwrap_err()
            .contains("HH:MM-HH:MM"));
        assert!(parse_day_range("25:00-26:00").is_err());
    }

    #[test]
    fn overlapping_ranges_of_a_day_are_refused() {
        let a = parse_day_range("09:00-12:00").unwrap();
        let b = parse_day_range("11:45-17:00").unwrap();
        let c = parse_day_range("12:00-17:00").unwrap();
        assert!(check_day(&[a, c]).is_ok());
        assert!(check_day(&[b, a]).unwrap_err().contains("overlap"));
    }

    #[test]
    fn holiday_moments_parse_in_three_spellings_to_one_value() {
        let midnight = DateTime::parse("2026-12-25").unwrap();
        assert_eq!(DateTime::parse("2026-12-25T00:00"), Ok(midnight));
        assert_eq!(DateTime::parse("2026-12-25T00:00:00"), Ok(midnight));
        assert_eq!(midnight.to_string(), "2026-12-25");
        assert_eq!(
            DateTime::parse("2026-12-24T12:30").unwrap().to_string(),
            "2026-12-24T12:30"
        );
        assert!(DateTime::parse("2026-02-29")
            .unwrap_err()
            .contains("no such date"));
        assert!(DateTime::parse("2028-02-29").is_ok());
        assert!(DateTime::parse("2026-12-25T00:00:30").is_err());
        assert!(DateTime::parse("25/12/2026").is_err());
    }

    #[test]
    fn holiday_ranges_are_half_hours_and_forward() {
        assert!(parse_date_range("2026-12-24T12:30", "2026-12-26").is_ok());
        assert!(parse_date_range("2026-12-24T12:15", "2026-12-26")
            .unwrap_err()
            .contains("30-minute"));
        assert!(parse_date_range("2026-12-26", "2026-12-25")
            .unwrap_err()
            .contains("end after"));
    }
}
