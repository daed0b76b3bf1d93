//! The policy at work: the decisions taken with the data of rules/policy.toml and
//! rules/cn/holidays.csv ([`PolicyRules`], parsed by `rules`): which slot an attempt falls
//! in, whether it broke the calling window, and what one number's folded evidence makes of
//! it (a status and an action), with the time to call it next.
//!
//! - `verdict`: the status, fine status, action and decision types.

mod verdict;

use jiff::civil::Date;

pub(crate) use verdict::{Action, Decision, Fine, Status};

use super::state::{DAY, Minutes, NumberState, day_of};
use crate::rules::{Class, DayKind, PolicyRules};

/// The first day of the minute clock.
pub(crate) const EPOCH: Date = Date::constant(2000, 1, 1);

/// The policy's data and the calendar indexed by day of the minute clock.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// The thresholds, slots and calendar.
    pub(crate) rules: PolicyRules,
    /// The kind of every day from 2000-01-01 to the last day in the holiday table, indexed by
    /// day on the minute clock: one load per attempt instead of a date conversion and a hash.
    days: Vec<DayKind>,
}

impl Policy {
    /// The policy of `rules`, with its day table built.
    pub(crate) fn new(rules: PolicyRules) -> Policy {
        let last = rules.calendar.last_listed().unwrap_or(EPOCH);
        let count = (last - EPOCH).get_days().max(0) as u32 + 1;
        let days = (0..count).map(|d| rules.calendar.day_kind(date_of(d * DAY))).collect();
        Policy { rules, days }
    }

    /// The kind of `date`: a holiday, a working day (weekdays and 调休 weekends), or a weekend.
    pub(crate) fn day_kind(&self, date: Date) -> DayKind {
        self.rules.calendar.day_kind(date)
    }

    /// The slot an attempt at `at` falls in, if any.
    pub(crate) fn slot_of(&self, at: Minutes) -> Option<u8> {
        let kind = match self.days.get((at / DAY) as usize) {
            Some(kind) => *kind,
            None => self.day_kind(date_of(at)),
        };
        let minute = at % DAY;
        self.rules
            .slots
            .iter()
            .position(|s| s.days == kind && (s.start..s.end).contains(&minute))
            .map(|i| i as u8)
    }

    /// True when `at` lies outside the allowed calling window.
    pub(crate) fn outside_window(&self, at: Minutes) -> bool {
        let (start, end) = self.rules.window;
        !(start..end).contains(&(at % DAY))
    }

    /// The status and action of a number, as of `as_of`. A number the engine judged invalid
    /// (`dialable` false) is pruned whatever its history; a dialable one is judged by its
    /// folded evidence (`None`: never called).
    pub(crate) fn decide(&self, dialable: bool, state: Option<&NumberState>, as_of: Minutes) -> Decision {
        if !dialable {
            return Decision::fixed(Status::Empty, Fine::Invalid, Action::Prune);
        }
        let Some(s) = state.filter(|s| s.attempts > 0) else {
            return self.retry(Status::NeverCalled, Fine::NeverCalled, &NumberState::new());
        };
        if let Some(d) = self.someone_else(s) {
            return d;
        }
        if let Some(d) = self.empty_evidence(s) {
            return d;
        }
        // A message left with a third party is a reach or a live no-answer, as the policy says.
        let (third_reach, third_live) = if self.rules.third_party_reached {
            (s.third_last, 0)
        } else {
            (0, s.third_last)
        };
        let reach_last = s.reached_last.max(third_reach);
        let reached_recent = reach_last > 0 && as_of.saturating_sub(reach_last) <= self.rules.sticky_days * DAY;
        let latest_transient = s
            .suspended_last
            .max(s.powered_last)
            .max(s.noanswer_last)
            .max(third_live);
        if reached_recent || (reach_last > 0 && reach_last >= latest_transient) {
            let fine = if third_reach > s.reached_last {
                Fine::ThirdParty
            } else {
                Fine::Reached
            };
            // A reached number is dialled as usual: `keep` names no slot.
            return Decision::fixed(Status::Reached, fine, Action::Keep);
        }
        if latest_transient == 0 {
            return self.retry(Status::Unknown, Fine::Unknown, s);
        }
        if third_live == latest_transient {
            return self.retry(Status::NoAnswer, Fine::ThirdParty, s);
        }
        if s.noanswer_last == latest_transient {
            return self.retry(Status::NoAnswer, Fine::no_answer(s.last_class()), s);
        }
        if s.powered_last == latest_transient {
            return self.powered(s);
        }
        self.suspended(s)
    }

    /// Someone other than the customer answered after the newest reach (in person or through
    /// a third party): a number that changed hands is pruned at once; a wrong party only when
    /// seen on enough different days with no reach since the first sighting, like an empty
    /// (§5.3.3-4); a stale line, or a single wrong party, is verified.
    fn someone_else(&self, s: &NumberState) -> Option<Decision> {
        let answered = s.reached_last.max(s.third_last);
        let gone = s.gone_last > answered;
        if gone && s.gone_class() == Class::NumberReassigned {
            return Some(Decision::fixed(Status::Empty, Fine::WrongParty, Action::Prune));
        }
        let wrong = s.wrong_last > answered;
        let different_days = day_of(s.wrong_last) != s.wrong_first_day;
        let no_reach_since_first = answered < u32::from(s.wrong_first_day) * DAY;
        if wrong && s.wrong >= self.rules.wrong_party_confirmations && different_days && no_reach_since_first {
            return Some(Decision::fixed(Status::Empty, Fine::WrongParty, Action::Prune));
        }
        if gone && s.gone_last >= s.wrong_last {
            return Some(Decision::fixed(Status::Empty, Fine::StaleLine, Action::Verify));
        }
        wrong.then(|| Decision::fixed(Status::Empty, Fine::WrongPartyUnconfirmed, Action::Verify))
    }

    /// Empty or unconfirmed-empty, when the newest empty comes after the newest reach and no
    /// live evidence followed it.
    fn empty_evidence(&self, s: &NumberState) -> Option<Decision> {
        if s.empty == 0 || s.empty_last <= s.reached_last || s.live_last() > s.empty_last {
            return None;
        }
        let different_days = day_of(s.empty_last) != s.empty_first_day;
        let no_live_since_first = s.live_last() < u32::from(s.empty_first_day) * DAY;
        if s.empty >= self.rules.empty_confirmations && different_days && no_live_since_first {
            return Some(Decision::fixed(Status::Empty, Fine::Empty, Action::Prune));
        }
        Some(Decision::fixed(Status::Empty, Fine::EmptyUnconfirmed, Action::Verify))
    }

    fn powered(&self, s: &NumberState) -> Decision {
        let span = day_of(s.powered_last).saturating_sub(s.powered_first_day);
        let no_live = s.live_last() < u32::from(s.powered_first_day) * DAY;
        let (slots, days) = self.rules.dormant;
        if s.slots_powered.count_ones() >= slots && span >= days && no_live {
            return Decision::fixed(Status::PoweredOff, Fine::Dormant, Action::Verify);
        }
        let fine = if s.last_class() == Class::Unreachable {
            Fine::Unreachable
        } else {
            Fine::PoweredOff
        };
        self.retry(Status::PoweredOff, fine, s)
    }

    fn suspended(&self, s: &NumberState) -> Decision {
        let span = day_of(s.suspended_last).saturating_sub(s.suspended_first_day);
        let no_live = s.live_last() < u32::from(s.suspended_first_day) * DAY;
        let (sightings, days) = self.rules.suspended_prune;
        if s.suspended >= sightings && span >= days && no_live {
            return Decision::fixed(Status::PoweredOff, Fine::SuspendedPersistent, Action::Prune);
        }
        let mut d = Decision::fixed(Status::PoweredOff, Fine::Suspended, Action::RetryLater);
        d.after_day = Some(day_of(s.suspended_last).saturating_add(self.rules.suspended_retry_days));
        d
    }

    fn retry(&self, status: Status, fine: Fine, s: &NumberState) -> Decision {
        let mut d = Decision::fixed(status, fine, Action::Retry);
        d.slot = self.next_slot(s);
        d
    }

    /// A slot not tried yet (in policy order); else one where the number was reached; else
    /// one where it was not found powered off; else the first.
    pub(crate) fn next_slot(&self, s: &NumberState) -> Option<u8> {
        let n = self.rules.slots.len() as u8;
        let first = |mask: u8, want: bool| (0..n).find(|i| (mask & (1 << i) != 0) == want);
        first(s.slots_tried, false)
            .or_else(|| first(s.slots_reached, true))
            .or_else(|| first(s.slots_powered, false))
            .or(Some(0))
    }

    /// The first moment at or after `from` that lies in slot `slot`, within a year (a holiday
    /// slot past the last year in cn/holidays.csv has none).
    pub(crate) fn next_time(&self, slot: u8, from: Minutes) -> Option<Minutes> {
        let slot = self.rules.slots.get(usize::from(slot))?;
        let first_day = from / DAY;
        (first_day..first_day + 366).find_map(|day| {
            let date = date_of(day * DAY);
            if self.day_kind(date) != slot.days {
                return None;
            }
            let start = (day * DAY + slot.start).max(from);
            (start < day * DAY + slot.end).then_some(start)
        })
    }
}

/// The local date of a minute on the clock (the epoch for a minute past 9999-12-31).
pub(crate) fn date_of(at: Minutes) -> Date {
    let (year, month, day) = civil_of(at / DAY);
    Date::new(year, month, day).unwrap_or(EPOCH)
}

/// Year, month and day of a day on the clock, by arithmetic (H. Hinnant's `civil_from_days`):
/// adding a span of days to the epoch was most of formatting a time, which the orphan and
/// compliance tables do once a row (issue 11). A year past 9999 comes out as `i16::MAX`.
fn civil_of(days: u32) -> (i16, i8, i8) {
    // Days from 0000-03-01 to 2000-01-01, so that years start in March and leap days fall last.
    let z = i64::from(days) + 730_425;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (i16::try_from(year).unwrap_or(i16::MAX), month as i8, day as i8)
}

/// `YYYY-MM-DD HH:MM` of a minute on the clock.
pub(crate) fn format_minutes(at: Minutes) -> String {
    let (date, m) = (date_of(at), at % DAY);
    let mut out = String::with_capacity(16);
    push_padded(&mut out, date.year().unsigned_abs().into(), 4);
    out.push('-');
    push_padded(&mut out, date.month().unsigned_abs().into(), 2);
    out.push('-');
    push_padded(&mut out, date.day().unsigned_abs().into(), 2);
    out.push(' ');
    push_padded(&mut out, m / 60, 2);
    out.push(':');
    push_padded(&mut out, m % 60, 2);
    out
}

/// `value` (below 10^width) in `width` digits, zero-padded, as `{:02}` and a date's year
/// write it; without the formatting machinery, which a table row a number paid for.
fn push_padded(out: &mut String, value: u32, width: u32) {
    for p in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10_u32.pow(p) % 10) as u8));
    }
}

#[cfg(test)]
mod tests;
