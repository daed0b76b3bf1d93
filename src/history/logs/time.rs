//! Times and durations as logs write them: CDR, ISO and Chinese date-times, epoch seconds
//! and milliseconds, talk times in seconds, clock form or with units (`1分35秒`), and the
//! time zone local times are read in.

use std::sync::OnceLock;

use anyhow::Context as _;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

/// Parses an attempt time. Accepted: `2026-10-08 09:15:00`, `2026/10/8 9:15`,
/// `2026-10-08T09:15:00`, `2026年10月8日 09:15`, optional fractional seconds, an optional
/// `Z`, `+08:00`, `+0800` or `+08` offset, and Unix epoch seconds (10 digits) or
/// milliseconds (13 digits). A time without an offset is local to `tz`; in a DST gap or
/// overlap the earlier reading is taken (jiff's `compatible`).
pub(crate) fn parse_time(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(ts) = parse_epoch(text) {
        return Some(ts);
    }
    let (civil, offset) = split_offset(text)?;
    let dt = parse_civil(civil)?;
    match offset {
        Some(offset) => offset.to_timestamp(dt).ok(),
        None => tz.to_ambiguous_timestamp(dt).compatible().ok(),
    }
}

/// Unix epoch seconds (10 digits) or milliseconds (13 digits, as Java-based CRMs export).
fn parse_epoch(text: &str) -> Option<Timestamp> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = text.parse().ok()?;
    match text.len() {
        10 => Timestamp::from_second(n).ok(),
        13 => Timestamp::from_millisecond(n).ok(),
        _ => None,
    }
}

/// Splits a trailing `Z` or numeric offset from a date-time; `None` when the offset is
/// malformed. An offset sign is only looked for after the first `:`, since dates hold `-`.
fn split_offset(text: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        return Some((rest, Some(Offset::UTC)));
    }
    let Some(colon) = text.find(':') else {
        return Some((text, None));
    };
    match text[colon..].find(['+', '-']) {
        None => Some((text, None)),
        Some(i) => {
            let at = colon + i;
            Some((text[..at].trim_end(), Some(parse_offset(&text[at..])?)))
        }
    }
}

/// Parses `+08:00`, `+0800` or `+08` (and `-` forms).
fn parse_offset(text: &str) -> Option<Offset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &text[1..];
    let (h, m) = match rest.split_once(':') {
        Some(parts) => parts,
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "00"),
    };
    let seconds = number(h, 2, 2)? * 3600 + number(m, 2, 2)? * 60;
    Offset::from_seconds(sign * i32::try_from(seconds).ok()?).ok()
}

/// Parses a civil date-time: date and clock separated by spaces, `T` or `日`.
fn parse_civil(text: &str) -> Option<DateTime> {
    let is_sep = |c: char| c == ' ' || c == 'T' || c == 't' || c == '日';
    let at = text.find(is_sep)?;
    let (date, clock) = text.split_at(at);
    let clock = parse_clock(clock.trim_start_matches(is_sep).trim())?;
    Some(parse_date(date)?.to_datetime(clock))
}

/// `2026-10-08`, `2026/10/8`, `2026.10.8` or `2026年10月8`.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '/', '.', '年', '月']);
    let year = number(parts.next()?, 4, 4)?;
    let month = number(parts.next()?, 1, 2)?;
    let day = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year as i16, month as i8, day as i8).ok()
}

/// `9:15`, `09:15:00` or `09:15:00.250`.
fn parse_clock(text: &str) -> Option<Time> {
    let (hms, fraction) = match text.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (text, None),
    };
    let mut parts = hms.split(':');
    let hour = number(parts.next()?, 1, 2)?;
    let minute = number(parts.next()?, 1, 2)?;
    let second = parts.next().map_or(Some(0), |s| number(s, 2, 2))?;
    if parts.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        // Right-padded to nine digits: `.25` is 250 ms.
        Some(f) => number(f, 1, 9)? * 10_i64.pow(9 - f.len() as u32),
        None => 0,
    };
    Time::new(hour as i8, minute as i8, second as i8, nanos as i32).ok()
}

/// An unsigned decimal of `min` to `max` ASCII digits (no sign, unlike `str::parse`).
fn number(s: &str, min: usize, max: usize) -> Option<i64> {
    let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok { s.parse().ok() } else { None }
}

/// Parses a talk time into whole seconds (rounded): `35`, `35.4`, `35s`, `35秒`,
/// `1分35秒`, `1m35s`, `1小时2分`, `00:00:35` or `01:35` (minutes and seconds).
pub(crate) fn parse_talk(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.contains(':') {
        parse_clock_duration(text)
    } else {
        parse_unit_duration(text)
    }
}

/// `h:mm:ss` or `m:ss`.
fn parse_clock_duration(text: &str) -> Option<u32> {
    let mut total: u32 = 0;
    let mut parts = 0;
    for part in text.split(':') {
        let value = u32::try_from(number(part, 1, 10)?).ok()?;
        if parts > 0 && (value >= 60 || part.len() != 2) {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(value)?;
        parts += 1;
    }
    (2..=3).contains(&parts).then_some(total)
}

/// Numbers each followed by a unit (`1分35秒`, `1h 2m`); a bare last number is seconds.
fn parse_unit_duration(text: &str) -> Option<u32> {
    let mut rest = text;
    let mut total = 0.0_f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (value, tail) = rest.split_at(end);
        // Only digits and dots reach `parse`, so no sign, `inf` or `NaN` can.
        let value: f64 = value.parse().ok()?;
        let end = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
        let (unit, next) = tail.split_at(end);
        total += value * f64::from(unit_seconds(unit.trim())?);
        rest = next.trim_start();
    }
    (total <= f64::from(u32::MAX)).then(|| total.round() as u32)
}

/// Seconds per unit of a talk time; the empty unit is seconds.
fn unit_seconds(unit: &str) -> Option<u32> {
    #[rustfmt::skip]
    const UNITS: &[(&str, u32)] = &[
        ("", 1), ("s", 1), ("sec", 1), ("secs", 1), ("秒", 1), ("秒钟", 1),
        ("m", 60), ("min", 60), ("mins", 60), ("分", 60), ("分钟", 60),
        ("h", 3600), ("hr", 3600), ("hour", 3600), ("hours", 3600), ("时", 3600), ("小时", 3600),
    ];
    UNITS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(unit))
        .map(|&(_, seconds)| seconds)
}

/// Looks up a time zone for reading log times: an IANA name (`Asia/Shanghai`) in the tz
/// database bundled into the binary, so that times convert the same on every machine
/// whatever its `/usr/share/zoneinfo` holds, or a fixed offset such as `+08:00`.
pub(crate) fn time_zone(name: &str) -> anyhow::Result<TimeZone> {
    static BUNDLED: OnceLock<TimeZoneDatabase> = OnceLock::new();
    if let Some(offset) = parse_offset(name.trim()) {
        return Ok(TimeZone::fixed(offset));
    }
    BUNDLED
        .get_or_init(TimeZoneDatabase::bundled)
        .get(name.trim())
        .with_context(|| format!("unknown time zone `{name}`: use an IANA name such as Asia/Shanghai, or +08:00"))
}
