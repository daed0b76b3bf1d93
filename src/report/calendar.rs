//! The holiday calendar's freshness: rules/cn/holidays.csv lists the statutory holidays year by
//! year as the State Council announces them, so a history whose "now" (`--as-of`, or the newest
//! attempt) lies past the last listed year has no holidays to place retries on. report.md and
//! summary.json say so once (issue 12); rules/README.md says how to add a year.

use crate::history::History;
use crate::history::policy;

/// The calendar ends before the history's "now".
pub(crate) struct CalendarGap {
    /// The last year the holiday file lists.
    pub(crate) last_year: i16,
    /// The history's "now", as report.md writes it.
    pub(crate) as_of: String,
}

impl CalendarGap {
    /// The gap of `h`, when its "now" lies in a year after the calendar's last.
    pub(crate) fn of(h: &History) -> Option<CalendarGap> {
        let last_year = h.policy.rules.calendar.last_listed()?.year();
        let as_of = policy::format_minutes(h.as_of);
        let year: i16 = as_of.get(..4)?.parse().ok()?;
        (year > last_year).then_some(CalendarGap { last_year, as_of })
    }

    /// The note, in English or Chinese.
    pub(crate) fn note(&self, zh: bool) -> String {
        let (last, as_of) = (self.last_year, &self.as_of);
        if zh {
            format!(
                "节假日表（rules/cn/holidays.csv）只到{last}年，截至时间{as_of}已超出：节假日时段不给出日期，\
                 {last}年以后的日子只按周末和工作日计。请按国务院放假通知补充新年份（见rules/README.md）。"
            )
        } else {
            format!(
                "The holiday calendar (rules/cn/holidays.csv) ends with {last}, and the as-of time {as_of} lies past it: \
                 holiday slots get no date, and days after {last} count only as weekends and workdays. \
                 Add the new year from the State Council's notice (rules/README.md)."
            )
        }
    }
}
