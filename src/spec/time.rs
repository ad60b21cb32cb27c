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
    fn rejects_what_it_cannot_place() {
        assert!(parse_planned_start("2026-12-04 15:30", None).is_err());
        assert!(parse_planned_start("2026-12-04T15:30:00Z", Some("Mars/Olympus")).is_err());
    }
}
