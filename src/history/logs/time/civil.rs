//! The date-time shapes, each parsed strictly: year first (ISO 8601, `2026/11/3 19:05`,
//! `2026年11月3日 19时05分`), month or day first (`11/03/2026`), compact digits
//! (`20261103190500`), Excel serial days and Unix epochs. Which shape a log's times are in is
//! decided once per log (`super::format`); these functions only read one value in a given
//! shape, with no search and no allocation.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

use super::{number, parse_offset};

/// Whether a clock is written with 24 hours, or 12 with AM/PM (上午/下午).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Hours {
    /// `19:05`.
    H24,
    /// `7:05 PM`, `下午7:05`.
    H12,
}

/// Which of a slash date's first two parts is the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Order {
    /// `11/03/2026` is 3 November (US exports).
    MonthFirst,
    /// `03/11/2026` is 3 November.
    DayFirst,
}

/// Excel serial days of 1990-01-01 and 2100-01-01: the plausible range for call logs.
pub(super) const EXCEL_RANGE: (f64, f64) = (32_874.0, 73_051.0);
/// Unix seconds of 2000-01-01 and 2100-01-01.
pub(super) const UNIX_RANGE: (i64, i64) = (946_684_800, 4_102_444_800);

/// A local date-time to a timestamp: an offset in the text wins, else `tz` (the earlier
/// reading in a DST gap or overlap, jiff's `compatible`).
pub(super) fn resolve(dt: DateTime, offset: Option<Offset>, tz: &TimeZone) -> Option<Timestamp> {
    match offset {
        Some(offset) => offset.to_timestamp(dt).ok(),
        None => tz.to_ambiguous_timestamp(dt).compatible().ok(),
    }
}

/// A year-first date-time (`2026-10-08 09:15:00`, `2026-10-08T09:15:00+08:00`,
/// `2026/10/8 9:15`, `2026年10月8日 09:15`, `2026-11-03 7:05 PM`) with an optional offset.
pub(super) fn year_first(text: &str, hours: Hours) -> Option<(DateTime, Option<Offset>)> {
    let (civil, offset) = split_offset(text.trim())?;
    let (date, clock) = split_civil(civil)?;
    Some((ymd(date)?.to_datetime(clock_of(clock, hours)?), offset))
}

/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD HH:MM` (a space or `T` between), the shape most
/// exports write, read by position; `None` for any other text. For these shapes
/// [`year_first`] with a 24-hour clock gives the same date-time (a property test holds them
/// together): splitting and searching the text for the general shapes was a tenth of
/// reading a log (issue 11).
pub(super) fn iso_fixed(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    let seconds = match b.len() {
        19 if b[16] == b':' => true,
        16 => false,
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') || b[13] != b':' {
        return None;
    }
    let digit = |i: usize| {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(i16::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = two(0)? * 100 + two(2)?;
    let second = if seconds { two(17)? } else { 0 };
    let date = Date::new(year, two(5)? as i8, two(8)? as i8).ok()?;
    let clock = Time::new(two(11)? as i8, two(14)? as i8, second as i8, 0).ok()?;
    Some(date.to_datetime(clock))
}

/// A month- or day-first date-time (`11/03/2026 07:05 PM`, `03.11.2026 19:05`).
pub(super) fn slash(text: &str, order: Order, hours: Hours) -> Option<DateTime> {
    let (date, clock) = split_civil(text.trim())?;
    let (a, b, year) = slash_parts(date)?;
    let (month, day) = match order {
        Order::MonthFirst => (a, b),
        Order::DayFirst => (b, a),
    };
    let date = Date::new(year as i16, month as i8, day as i8).ok()?;
    Some(date.to_datetime(clock_of(clock, hours)?))
}

/// The two leading parts and the year of a slash date, unchecked as month or day.
pub(super) fn slash_parts(date: &str) -> Option<(i64, i64, i64)> {
    let mut parts = date.split(['/', '-', '.']);
    let a = number(parts.next()?, 1, 2)?;
    let b = number(parts.next()?, 1, 2)?;
    let year = number(parts.next()?, 4, 4)?;
    parts.next().is_none().then_some((a, b, year))
}

/// `20261103190500` or `20261103 190500`.
pub(super) fn compact(text: &str) -> Option<DateTime> {
    let text = text.trim();
    // Digits and the one space only, so every cut below falls between ASCII bytes.
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b' ') {
        return None;
    }
    let (date, clock) = match text.len() {
        14 => text.split_at(8),
        15 if text.as_bytes()[8] == b' ' => (&text[..8], &text[9..]),
        _ => return None,
    };
    let n = |s: &str| number(s, s.len(), s.len());
    let date = Date::new(n(&date[..4])? as i16, n(&date[4..6])? as i8, n(&date[6..])? as i8).ok()?;
    let clock = Time::new(n(&clock[..2])? as i8, n(&clock[2..4])? as i8, n(&clock[4..])? as i8, 0).ok()?;
    Some(date.to_datetime(clock))
}

/// An Excel serial date (`46329.795`: days since 1899-12-30, the fraction the time of day),
/// in the plausible range, to the nearest second.
pub(super) fn excel(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let serial: f64 = text.parse().ok()?;
    if !(EXCEL_RANGE.0..EXCEL_RANGE.1).contains(&serial) {
        return None;
    }
    let seconds = (serial * 86_400.0).round() as i64;
    let base = Date::new(1899, 12, 30).ok()?.to_datetime(Time::midnight());
    base.checked_add(jiff::SignedDuration::from_secs(seconds)).ok()
}

/// Unix epoch seconds (10 digits) or milliseconds (13), in 2000-2100.
pub(super) fn unix(text: &str, millis: bool) -> Option<Timestamp> {
    let text = text.trim();
    let n = number(text, if millis { 13 } else { 10 }, if millis { 13 } else { 10 })?;
    let seconds = if millis { n / 1000 } else { n };
    if !(UNIX_RANGE.0..UNIX_RANGE.1).contains(&seconds) {
        return None;
    }
    if millis {
        Timestamp::from_millisecond(n).ok()
    } else {
        Timestamp::from_second(n).ok()
    }
}

/// Splits a trailing `Z` or numeric offset from a date-time; `None` when the offset is
/// malformed. An offset sign is only looked for after the first `:`, since dates hold `-`.
pub(super) fn split_offset(text: &str) -> Option<(&str, Option<Offset>)> {
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

/// Splits a civil date-time at the first space, `T` or `日` into date and clock text.
pub(super) fn split_civil(text: &str) -> Option<(&str, &str)> {
    let is_sep = |c: char| c == ' ' || c == 'T' || c == 't' || c == '日';
    let at = text.find(is_sep)?;
    let (date, clock) = text.split_at(at);
    Some((date, clock.trim_start_matches(is_sep).trim()))
}

/// `2026-10-08`, `2026/10/8`, `2026.10.8` or `2026年10月8`.
pub(super) fn ymd(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '/', '.', '年', '月']);
    let year = number(parts.next()?, 4, 4)?;
    let month = number(parts.next()?, 1, 2)?;
    let day = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year as i16, month as i8, day as i8).ok()
}

/// Splits an AM/PM (`7:05 PM`, `7:05pm`, `7:05 p.m.`) or 上午/下午 (`下午7:05`) marker off a
/// clock: the clock text and whether it is after noon, or `None` for no marker.
pub(super) fn meridiem(text: &str) -> (&str, Option<bool>) {
    let text = text.trim();
    // The common case, an ASCII 24-hour clock, returns at once.
    if text.is_ascii() && !text.ends_with(['m', 'M', '.']) {
        return (text, None);
    }
    for (mark, pm) in [("上午", false), ("下午", true), ("晚上", true), ("中午", true)] {
        if let Some(rest) = text.strip_prefix(mark) {
            return (rest.trim(), Some(pm));
        }
    }
    for (mark, pm) in [("am", false), ("pm", true), ("a.m.", false), ("p.m.", true)] {
        let n = text.len();
        if n > mark.len() && text.is_char_boundary(n - mark.len()) && text[n - mark.len()..].eq_ignore_ascii_case(mark)
        {
            return (text[..n - mark.len()].trim_end(), Some(pm));
        }
    }
    (text, None)
}

/// A clock in `hours`: a 12-hour clock needs its marker, a 24-hour one must have none.
pub(super) fn clock_of(text: &str, hours: Hours) -> Option<Time> {
    let (clock, pm) = meridiem(text);
    let time = parse_clock(clock)?;
    match (hours, pm) {
        (Hours::H24, None) => Some(time),
        (Hours::H12, Some(pm)) if (1..=12).contains(&time.hour()) => {
            let hour = time.hour() % 12 + if pm { 12 } else { 0 };
            time.with().hour(hour).build().ok()
        }
        _ => None,
    }
}

/// `9:15`, `09:15:00`, `09:15:00.250`, `19时05分` or `19时05分30秒`.
pub(super) fn parse_clock(text: &str) -> Option<Time> {
    let text = text.strip_suffix(['秒', '分']).unwrap_or(text);
    let (hms, fraction) = match text.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (text, None),
    };
    // An ASCII clock can only split on `:`, the cheaper pattern.
    let (hour, minute, second) = if hms.is_ascii() {
        clock_parts(hms.split(':'))?
    } else {
        clock_parts(hms.split([':', '时', '点', '分']))?
    };
    let nanos = match fraction {
        // Right-padded to nine digits: `.25` is 250 ms.
        Some(f) => number(f, 1, 9)? * 10_i64.pow(9 - f.len() as u32),
        None => 0,
    };
    Time::new(hour as i8, minute as i8, second as i8, nanos as i32).ok()
}

/// Hours, minutes and optional seconds of a split clock.
fn clock_parts<'a>(mut parts: impl Iterator<Item = &'a str>) -> Option<(i64, i64, i64)> {
    let hour = number(parts.next()?, 1, 2)?;
    let minute = number(parts.next()?, 1, 2)?;
    let second = parts.next().map_or(Some(0), |s| number(s, 2, 2))?;
    parts.next().is_none().then_some((hour, minute, second))
}
