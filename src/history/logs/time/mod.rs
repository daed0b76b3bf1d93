//! Times and durations as logs write them: the date-time shapes (`civil`), the one format
//! decided per log (`format`), the plausible range of call times (`range`), talk times in
//! seconds, clock form or with units (`1分35秒`), and the time zone local times are read in.

mod civil;
mod format;
mod range;

use std::sync::OnceLock;

use anyhow::Context as _;
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

pub(crate) use format::{Decider, TimeFormat};
pub(crate) use range::{Plausible, TimeRange};

/// Checks a `--time-format` before any log is read: it must format a date-time (so its
/// directives are known) and hold a year, a month or day of year, and an hour (epochs are
/// detected without it).
pub(crate) fn check_time_format(format: &str) -> anyhow::Result<String> {
    let probe = jiff::civil::date(2026, 11, 3).at(19, 5, 0, 0);
    jiff::fmt::strtime::format(format, probe)
        .map_err(|e| anyhow::anyhow!("--time-format `{}`: {e}", crate::text::clip(format)))?;
    let has = |d: &[&str]| d.iter().any(|d| format.contains(d));
    let dated = has(&["%Y", "%y", "%F", "%D"]) && has(&["%m", "%d", "%e", "%b", "%B", "%j", "%F", "%D"]);
    if !(dated && has(&["%H", "%I", "%l", "%k", "%T", "%R"])) {
        let echo = crate::text::clip(format);
        if crate::text::zh() {
            anyhow::bail!("--time-format `{echo}`：格式须包含日期和时刻，例如 '%d/%m/%Y %H:%M'");
        }
        anyhow::bail!("--time-format `{echo}`: give a date and a time of day, e.g. '%d/%m/%Y %H:%M'");
    }
    Ok(format.to_string())
}

/// True for a clock time alone (`19:05`, `07:05 PM`, `下午7:05`, `19时05分`): the values of
/// a clock column that goes with a date column.
pub(crate) fn is_clock_only(text: &str) -> bool {
    let (clock, _) = civil::meridiem(text);
    civil::parse_clock(clock.trim()).is_some()
}

/// Reads a time in the shapes a CDR or ISO export writes: Unix seconds or milliseconds, or a
/// year-first date-time with a 24-hour clock. Logs decide their [`TimeFormat`] once instead;
/// this is the year-first reader the unit tests pin.
#[cfg(test)]
pub(crate) fn parse_time(text: &str, tz: &TimeZone) -> Option<jiff::Timestamp> {
    use civil::Hours;
    [
        TimeFormat::UnixSeconds,
        TimeFormat::UnixMillis,
        TimeFormat::YearFirst(Hours::H24),
    ]
    .iter()
    .find_map(|f| f.read(text, tz))
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
        .with_context(|| {
            let echo = crate::text::clip(name);
            if crate::text::zh() {
                format!("未知时区 `{echo}`：请用 IANA 名称（如 Asia/Shanghai）或 +08:00 这样的偏移")
            } else {
                format!("unknown time zone `{echo}`: use an IANA name such as Asia/Shanghai, or +08:00")
            }
        })
}

#[cfg(test)]
mod tests;
