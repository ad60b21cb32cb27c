//! Planned start times: parsed with their time zone, never from the clock.

use jiff::ZonedDateTime;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use std::sync::LazyLock;

/// The time zones rollbook knows: the copy built into the binary, so a plan is the same on every
/// machine, and opened without walking the system's zoneinfo directory (a millisecond, issue 9).
pub fn zones() -> &'static TimeZoneDatabase {
    static ZONES: LazyLock<TimeZoneDatabase> = LazyLock::new(TimeZoneDatabase::bundled);
    &ZONES
}

/// Parses a planned start: RFC 9557 with a bracketed zone, or RFC 3339 with an offset (placed in
/// `timezone` when given, so weekday and hour are the deployment's own).
pub fn parse_planned_start(s: &str, timezone: Option<&str>) -> Result<ZonedDateTime, String> {
    let s = s.trim();
    if s.contains('[') {
        return jiff::fmt::temporal::DateTimeParser::new()
            .parse_zoned_datetime_with(zones(), s)
            .map_err(|e| e.to_string());
    }
    let ts = s.parse::<jiff::Timestamp>().map_err(|e| {
        format!("{e}; expected e.g. 2026-12-01T14:00:00+01:00 or 2026-12-01T14:00:00+01:00[Europe/Berlin]")
    })?;
    let tz = match timezone {
        Some(name) => zones()
            .get(name)
            .map_err(|e| format!("unknown time zone `{name}`: {e}"))?,
        None => {
            // Keep the offset the user wrote, so the local hour is theirs.
            let offset = parse_offset(s).ok_or("the time needs an offset or a time zone")?;
            TimeZone::fixed(offset)
        }
    };
    Ok(ZonedDateTime::new(ts, tz))
}

/// A start given as a weekday and a local time in a zone, with no date: `Friday 17:30
/// [America/Los_Angeles]`. Enough for the weekday and hour rules of the deploy windows; holidays
/// and freezes need the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyStart {
    pub weekday: jiff::civil::Weekday,
    pub hour: i8,
    pub minute: i8,
    pub zone: String,
}

const WEEKDAYS: [(&str, jiff::civil::Weekday); 7] = [
    ("monday", jiff::civil::Weekday::Monday),
    ("tuesday", jiff::civil::Weekday::Tuesday),
    ("wednesday", jiff::civil::Weekday::Wednesday),
    ("thursday", jiff::civil::Weekday::Thursday),
    ("friday", jiff::civil::Weekday::Friday),
    ("saturday", jiff::civil::Weekday::Saturday),
    ("sunday", jiff::civil::Weekday::Sunday),
];

/// The weekday a word names: the full name or its first three letters or more (`Tue`, `tues`).
pub fn weekday_named(word: &str) -> Option<jiff::civil::Weekday> {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .find(|(name, _)| w.len() >= 3 && name.starts_with(&w))
        .map(|(_, d)| *d)
}

/// Parses `Friday 17:30[America/Los_Angeles]`; the zone must be in the bundled database.
pub fn parse_weekly_start(s: &str) -> Option<WeeklyStart> {
    let (head, zone) = s.trim().strip_suffix(']')?.split_once('[')?;
    let (day, time) = head.trim().split_once(' ')?;
    let (h, m) = time.trim().split_once(':')?;
    let (hour, minute): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    zones().get(zone).ok()?;
    Some(WeeklyStart {
        weekday: weekday_named(day)?,
        hour,
        minute,
        zone: zone.to_string(),
    })
}

/// Zone abbreviations people write after a time, with the IANA zone each is read as. Only the
/// unambiguous ones: `IST` (India, Ireland, Israel) and `CST` (US Central, China) are left out.
pub const ZONE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("GMT", "Europe/London"),
    ("BST", "Europe/London"),
    ("WET", "Europe/Lisbon"),
    ("WEST", "Europe/Lisbon"),
    ("CET", "Europe/Berlin"),
    ("CEST", "Europe/Berlin"),
    ("EET", "Europe/Athens"),
    ("EEST", "Europe/Athens"),
    ("ET", "America/New_York"),
    ("EST", "America/New_York"),
    ("EDT", "America/New_York"),
    ("CT", "America/Chicago"),
    ("CDT", "America/Chicago"),
    ("MT", "America/Denver"),
    ("MST", "America/Denver"),
    ("MDT", "America/Denver"),
    ("PT", "America/Los_Angeles"),
    ("PST", "America/Los_Angeles"),
    ("PDT", "America/Los_Angeles"),
    ("JST", "Asia/Tokyo"),
    ("KST", "Asia/Seoul"),
    ("SGT", "Asia/Singapore"),
    ("HKT", "Asia/Hong_Kong"),
    ("AEST", "Australia/Sydney"),
    ("AEDT", "Australia/Sydney"),
    ("NZST", "Pacific/Auckland"),
    ("NZDT", "Pacific/Auckland"),
];

/// The IANA zone an abbreviation stands for (`PT` -> `America/Los_Angeles`).
pub fn zone_of_abbreviation(word: &str) -> Option<&'static str> {
    ZONE_ABBREVIATIONS
        .iter()
        .find(|(a, _)| *a == word)
        .map(|(_, z)| *z)
}

fn parse_offset(s: &str) -> Option<jiff::tz::Offset> {
    if s.ends_with('Z') || s.ends_with('z') {
        return Some(jiff::tz::Offset::UTC);
    }
    let tail = s.get(s.len().checked_sub(6)?..)?;
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h: i32 = tail.get(1..3)?.parse().ok()?;
    let m: i32 = tail.get(4..6)?.parse().ok()?;
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_local_hour_of_an_offset() {
        let z = parse_planned_start("2026-12-04T15:30:00+01:00", None).unwrap();
        assert_eq!((z.hour(), z.minute()), (15, 30));
        assert_eq!(z.weekday(), jiff::civil::Weekday::Friday);
    }

    #[test]
    fn uses_the_named_zone() {
        let z = parse_planned_start("2026-12-04T23:30:00Z", Some("Asia/Tokyo")).unwrap();
        assert_eq!(z.weekday(), jiff::civil::Weekday::Saturday);
        let z = parse_planned_start("2026-12-04T09:00:00-05:00[America/New_York]", None).unwrap();
        assert_eq!(z.hour(), 9);
    }

    #[test]
    fn reads_a_weekly_start_and_abbreviations() {
        let w = parse_weekly_start("Friday 17:30[America/Los_Angeles]").unwrap();
        assert_eq!(w.weekday, jiff::civil::Weekday::Friday);
        assert_eq!((w.hour, w.minute), (17, 30));
        assert_eq!(weekday_named("Tue"), Some(jiff::civil::Weekday::Tuesday));
        assert_eq!(weekday_named("tues."), Some(jiff::civil::Weekday::Tuesday));
        assert_eq!(weekday_named("fr"), None);
        assert!(parse_weekly_start("Friday 25:30[America/Los_Angeles]").is_none());
        assert!(parse_weekly_start("Friday 17:30[Mars/Olympus]").is_none());
        assert_eq!(zone_of_abbreviation("PT"), Some("America/Los_Angeles"));
        assert_eq!(zone_of_abbreviation("IST"), None, "ambiguous");
        for (_, z) in ZONE_ABBREVIATIONS {
            assert!(zones().get(z).is_ok(), "{z}");
        }
    }

    #[test]
    fn rejects_what_it_cannot_place() {
        assert!(parse_planned_start("2026-12-04 15:30", None).is_err());
        assert!(parse_planned_start("2026-12-04T15:30:00Z", Some("Mars/Olympus")).is_err());
    }
}
