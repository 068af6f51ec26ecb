//! Schedules (`New-CsOnlineSchedule`, contract section 5c): objects of their own, which auto
//! attendants reference by `ScheduleId` from their call handling associations, as the service
//! keeps them.
//!
//! A schedule is weekly (`WeeklyRecurrentSchedule`: `MondayHours`..`SundayHours`, ranges
//! `{"Start":"09:00","End":"17:00"}` on 15-minute boundaries, `End` may be `24:00`) or fixed
//! (`FixedSchedule.DateTimeRanges`, at most 10 ranges `{"Start":"2026-12-25T00:00:00",..}` on
//! 30-minute boundaries). The rules are the service's `[C]`; the time formats are the contract's
//! choice `[I]`. A schedule an auto attendant still references cannot be deleted.

use serde::{Deserialize, Serialize};

use teamsphone_contract::{
    SCHEDULE_FIXED, SCHEDULE_FIXED_STEP_MINUTES, SCHEDULE_MAX_FIXED_RANGES, SCHEDULE_WEEKLY,
    SCHEDULE_WEEKLY_STEP_MINUTES,
};

/// Longest schedule name accepted.
const MAX_NAME: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Schedule {
    /// Assigned by the emulator on create; a body may leave it out.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub r#type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_recurrent_schedule: Option<Weekly>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_schedule: Option<Fixed>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Weekly {
    #[serde(default)]
    pub monday_hours: Vec<Range>,
    #[serde(default)]
    pub tuesday_hours: Vec<Range>,
    #[serde(default)]
    pub wednesday_hours: Vec<Range>,
    #[serde(default)]
    pub thursday_hours: Vec<Range>,
    #[serde(default)]
    pub friday_hours: Vec<Range>,
    #[serde(default)]
    pub saturday_hours: Vec<Range>,
    #[serde(default)]
    pub sunday_hours: Vec<Range>,
    /// The schedule is the complement of the ranges (an after-hours schedule written as the
    /// business hours).
    #[serde(default)]
    pub complement_enabled: bool,
}

impl Weekly {
    fn days(&self) -> [(&'static str, &Vec<Range>); 7] {
        [
            ("MondayHours", &self.monday_hours),
            ("TuesdayHours", &self.tuesday_hours),
            ("WednesdayHours", &self.wednesday_hours),
            ("ThursdayHours", &self.thursday_hours),
            ("FridayHours", &self.friday_hours),
            ("SaturdayHours", &self.saturday_hours),
            ("SundayHours", &self.sunday_hours),
        ]
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Fixed {
    #[serde(default)]
    pub date_time_ranges: Vec<Range>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Range {
    pub start: String,
    pub end: String,
}

/// Minutes of the day of `HH:mm` (`24:00` allowed as an end).
fn clock(text: &str, end: bool) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) if end => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// Minutes since year 0 of `yyyy-MM-ddTHH:mm:ss` (seconds `00`), close enough for ordering.
fn moment(text: &str) -> Option<u64> {
    let (date, time) = text.split_once('T')?;
    let parts: Vec<&str> = date.split('-').collect();
    let [y, mo, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || mo.len() != 2 || d.len() != 2 || time.len() != 8 || !time.ends_with(":00") {
        return None;
    }
    let (y, mo, d): (u64, u64, u64) = (y.parse().ok()?, mo.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let minutes = u64::from(clock(&time[..5], false)?);
    Some(((y * 12 + mo) * 31 + d) * 1440 + minutes)
}

/// Checks a schedule as the service does; the message is the 400's.
pub fn check(s: &Schedule) -> Result<(), String> {
    let name = s.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(format!("Schedule Name must be 1 to {MAX_NAME} characters."));
    }
    match (s.r#type.as_str(), &s.weekly_recurrent_schedule, &s.fixed_schedule) {
        (SCHEDULE_WEEKLY, Some(weekly), None) => check_weekly(weekly),
        (SCHEDULE_FIXED, None, Some(fixed)) => check_fixed(fixed),
        (SCHEDULE_WEEKLY | SCHEDULE_FIXED, _, _) => Err(format!(
            "A {} schedule needs exactly its own part: WeeklyRecurrentSchedule for {SCHEDULE_WEEKLY}, FixedSchedule for {SCHEDULE_FIXED}.",
            s.r#type
        )),
        (other, _, _) => Err(format!(
            "Schedule Type '{other}' is not valid; use {SCHEDULE_WEEKLY} or {SCHEDULE_FIXED}."
        )),
    }
}

fn check_weekly(weekly: &Weekly) -> Result<(), String> {
    let step = SCHEDULE_WEEKLY_STEP_MINUTES;
    for (day, ranges) in weekly.days() {
        let mut spans = Vec::new();
        for r in ranges {
            let (Some(start), Some(end)) = (clock(&r.start, false), clock(&r.end, true)) else {
                return Err(format!(
                    "{day}: '{}'-'{}' is not a range of HH:mm times.",
                    r.start, r.end
                ));
            };
            if start % step != 0 || end % step != 0 {
                return Err(format!(
                    "{day}: time ranges must start and end on {step}-minute boundaries ('{}'-'{}').",
                    r.start, r.end
                ));
            }
            if start >= end {
                return Err(format!("{day}: '{}' is not before '{}'.", r.start, r.end));
            }
            spans.push((start, end));
        }
        spans.sort();
        if spans.windows(2).any(|w| w[1].0 < w[0].1) {
            return Err(format!("{day}: time ranges overlap."));
        }
    }
    Ok(())
}

fn check_fixed(fixed: &Fixed) -> Result<(), String> {
    let ranges = &fixed.date_time_ranges;
    if ranges.is_empty() || ranges.len() > SCHEDULE_MAX_FIXED_RANGES {
        return Err(format!(
            "A fixed schedule has 1 to {SCHEDULE_MAX_FIXED_RANGES} date-time ranges, not {}.",
            ranges.len()
        ));
    }
    let step = u64::from(SCHEDULE_FIXED_STEP_MINUTES);
    for r in ranges {
        let (Some(start), Some(end)) = (moment(&r.start), moment(&r.end)) else {
            return Err(format!(
                "'{}'-'{}' is not a range of yyyy-MM-ddTHH:mm:ss date-times.",
                r.start, r.end
            ));
        };
        if start % step != 0 || end % step != 0 {
            return Err(format!(
                "Date-time ranges must start and end on {step}-minute boundaries ('{}'-'{}').",
                r.start, r.end
            ));
        }
        if start >= end {
            return Err(format!("'{}' is not before '{}'.", r.start, r.end));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: &str, end: &str) -> Range {
        Range {
            start: start.into(),
            end: end.into(),
        }
    }

    fn weekly(monday: Vec<Range>) -> Schedule {
        Schedule {
            id: String::new(),
            name: "Business hours".into(),
            r#type: SCHEDULE_WEEKLY.into(),
            weekly_recurrent_schedule: Some(Weekly {
                monday_hours: monday,
                ..Default::default()
            }),
            fixed_schedule: None,
        }
    }

    fn fixed(ranges: Vec<Range>) -> Schedule {
        Schedule {
            id: String::new(),
            name: "Christmas".into(),
            r#type: SCHEDULE_FIXED.into(),
            weekly_recurrent_schedule: None,
            fixed_schedule: Some(Fixed {
                date_time_ranges: ranges,
            }),
        }
    }

    #[test]
    fn weekly_ranges_are_checked_like_the_service() {
        assert_eq!(check(&weekly(vec![range("09:00", "24:00")])), Ok(()));
        assert!(check(&weekly(vec![range("09:05", "17:00")]))
            .unwrap_err()
            .contains("15-minute"));
        assert!(check(&weekly(vec![range("17:00", "09:00")])).is_err());
        assert!(check(&weekly(vec![
            range("09:00", "12:00"),
            range("11:00", "13:00")
        ]))
        .unwrap_err()
        .contains("overlap"));
        assert!(check(&weekly(vec![range("9:00", "12:00")])).is_err());
    }

    #[test]
    fn fixed_ranges_are_half_hours_and_at_most_ten() {
        let christmas = range("2026-12-25T00:00:00", "2026-12-26T00:00:00");
        assert_eq!(check(&fixed(vec![christmas.clone()])), Ok(()));
        assert!(check(&fixed(vec![christmas.clone(); 11]))
            .unwrap_err()
            .contains("1 to 10"));
        assert!(check(&fixed(vec![range(
            "2026-12-25T00:15:00",
            "2026-12-26T00:00:00"
        )]))
        .unwrap_err()
        .contains("30-minute"));
        assert!(check(&fixed(vec![range("2026-12-25", "2026-12-26")])).is_err());
        let mut wrong = fixed(vec![christmas]);
        wrong.r#type = SCHEDULE_WEEKLY.into();
        assert!(check(&wrong).is_err());
    }
}
