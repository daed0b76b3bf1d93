//! The plausible range of call times. A log line dated 2999 became the history's "as of"
//! (every retry was then scheduled in 2999), and lines dated 1970 were clamped to 2000-01-01
//! and reported as calling-window violations (issue 10). A time outside the range is an
//! unreadable line instead, counted and shown like any other.
//!
//! The default runs from 2000-01-01 00:00 (the policy's epoch: no earlier minute can be
//! represented) to one day after `--as-of`, or after now; `--history-time-range FROM..TO`
//! sets either end.

use crate::text::{clip, tr, zh};
use anyhow::Context as _;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};

/// The earliest time any range may start at: the policy counts minutes from it.
const EARLIEST: DateTime = DateTime::constant(2000, 1, 1, 0, 0, 0, 0);

/// `--history-time-range` as given: local date-times, either end optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TimeRange {
    /// The first plausible time; default 2000-01-01 00:00.
    pub(crate) from: Option<DateTime>,
    /// The last plausible time; default one day after `--as-of` or now.
    pub(crate) to: Option<DateTime>,
}

/// A range resolved to instants: a time is plausible when `from <= t <= to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plausible {
    /// The first plausible instant.
    pub(crate) from: Timestamp,
    /// The last plausible instant.
    pub(crate) to: Timestamp,
}

impl TimeRange {
    /// Parses `FROM..TO`: each end `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]`, local time; an
    /// end left empty keeps its default (`2024-01-01..`). A `TO` date alone means the end of
    /// that day.
    pub(crate) fn parse(text: &str) -> anyhow::Result<TimeRange> {
        let echo = clip(text);
        let (from, to) = text.split_once("..").with_context(|| {
            if zh() {
                format!("`{echo}`：请写成 FROM..TO，例如 2024-01-01..2026-12-31（两端都可省略）")
            } else {
                format!("`{echo}`: give FROM..TO, e.g. 2024-01-01..2026-12-31 (either end may be left out)")
            }
        })?;
        let range = TimeRange {
            from: end(from, false).with_context(|| format!("`{echo}`: FROM"))?,
            to: end(to, true).with_context(|| format!("`{echo}`: TO"))?,
        };
        if range.from.is_some_and(|from| from < EARLIEST) {
            if zh() {
                anyhow::bail!("`{echo}`：FROM 不能早于 2000-01-01（历史记录从这一天起计时）");
            }
            anyhow::bail!("`{echo}`: FROM cannot be before 2000-01-01 (the history counts time from it)");
        }
        if let (Some(from), Some(to)) = (range.from, range.to)
            && from > to
        {
            if zh() {
                anyhow::bail!("`{echo}`：FROM 晚于 TO");
            }
            anyhow::bail!("`{echo}`: FROM is after TO");
        }
        Ok(range)
    }

    /// The instants of the range in `tz`; `upper` is "now" for the default end (`--as-of`,
    /// or the clock), one day after which the range ends.
    pub(crate) fn resolve(self, tz: &TimeZone, upper: Timestamp) -> anyhow::Result<Plausible> {
        let at = |dt: DateTime| {
            tz.to_timestamp(dt).with_context(|| {
                let zone = tz.iana_name().unwrap_or(tr("the time zone", "该时区"));
                if zh() {
                    format!("--history-time-range：{zone} 中的 {dt}")
                } else {
                    format!("--history-time-range: {dt} in {zone}")
                }
            })
        };
        let from = at(self.from.unwrap_or(EARLIEST))?;
        let to = match self.to {
            Some(to) => at(to)?,
            None => upper.checked_add(24.hours()).context(tr(
                "--history-time-range: the end is out of range",
                "--history-time-range：结束时间超出范围",
            ))?,
        };
        Ok(Plausible { from, to })
    }
}

impl Plausible {
    /// Why `t` is not plausible, if it is not: the message of an unreadable line.
    pub(crate) fn check(&self, t: Timestamp, tz: &TimeZone) -> Result<(), String> {
        if (self.from..=self.to).contains(&t) {
            return Ok(());
        }
        let local = |t: Timestamp| tz.to_datetime(t).strftime("%Y-%m-%d %H:%M").to_string();
        let (t, from, to) = (local(t), local(self.from), local(self.to));
        Err(if zh() {
            format!("时间 {t} 不在合理范围 {from}..{to} 内（可用 --history-time-range 设置）")
        } else {
            format!("the time {t} is outside the plausible range {from}..{to} (set it with --history-time-range)")
        })
    }
}

/// One end of the range; `None` for an empty one. A date alone is its first minute, or its
/// last one for the end of the range.
fn end(text: &str, last: bool) -> anyhow::Result<Option<DateTime>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // jiff reads a date out of a date-time too, so only a text without a clock is a date.
    if !text.contains(':')
        && let Ok(date) = text.parse::<Date>()
    {
        let time = if last { (23, 59, 59) } else { (0, 0, 0) };
        return Ok(Some(date.at(time.0, time.1, time.2, 0)));
    }
    let dt: DateTime = text.replacen(' ', "T", 1).parse().with_context(|| {
        if zh() {
            format!("`{}`：请用 YYYY-MM-DD 或 YYYY-MM-DD HH:MM", clip(text))
        } else {
            format!("`{}`: use YYYY-MM-DD or YYYY-MM-DD HH:MM", clip(text))
        }
    })?;
    Ok(Some(dt))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn ts(text: &str) -> Timestamp {
        shanghai().to_timestamp(text.parse::<DateTime>().unwrap()).unwrap()
    }

    #[test]
    fn ends_parse_as_dates_or_date_times() {
        let r = TimeRange::parse("2024-01-01..2026-06-30 18:00").unwrap();
        assert_eq!(r.from, Some(DateTime::constant(2024, 1, 1, 0, 0, 0, 0)));
        assert_eq!(r.to, Some(DateTime::constant(2026, 6, 30, 18, 0, 0, 0)));
        let r = TimeRange::parse("..2026-06-30").unwrap();
        assert_eq!(
            (r.from, r.to),
            (None, Some(DateTime::constant(2026, 6, 30, 23, 59, 59, 0)))
        );
        assert_eq!(TimeRange::parse("..").unwrap(), TimeRange::default());
        for bad in [
            "2024-01-01",
            "1999-12-31..",
            "2026-01-02..2026-01-01",
            "yesterday..",
            "..2026-13-01",
        ] {
            assert!(TimeRange::parse(bad).is_err(), "{bad}");
        }
    }

    /// Issue 10: 2999 and 1970 are outside the default range; its ends are inside.
    #[test]
    fn the_default_runs_from_2000_to_a_day_after_now() {
        let tz = shanghai();
        let now = ts("2026-10-08T12:00");
        let p = TimeRange::default().resolve(&tz, now).unwrap();
        assert_eq!(p.from, ts("2000-01-01T00:00"));
        assert_eq!(p.to, ts("2026-10-09T12:00"));
        assert!(p.check(ts("2000-01-01T00:00"), &tz).is_ok());
        assert!(p.check(ts("2026-10-09T12:00"), &tz).is_ok());
        let far = p.check(ts("2999-01-01T09:00"), &tz).unwrap_err();
        assert_eq!(
            far,
            "the time 2999-01-01 09:00 is outside the plausible range 2000-01-01 00:00..2026-10-09 12:00 \
             (set it with --history-time-range)"
        );
        assert!(p.check(Timestamp::UNIX_EPOCH, &tz).is_err());
        let set = TimeRange::parse("2026-10-01..2026-10-31")
            .unwrap()
            .resolve(&tz, now)
            .unwrap();
        assert!(set.check(ts("2026-10-20T09:00"), &tz).is_ok());
        assert!(set.check(ts("2026-09-30T23:59"), &tz).is_err());
    }
}
