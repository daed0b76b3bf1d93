//! The policy (rules/policy.toml): the calling window, the daily cap, the thresholds that turn
//! one number's folded evidence into a status and an action, and the time slots retries are
//! spread over (with the holiday calendar, rules/cn/holidays.csv).

use std::collections::HashMap;

use jiff::civil::{Date, Weekday};
use serde::Deserialize;

use super::outcome::{Class, Four};
use super::state::{DAY, Minutes, NumberState, day_of};

/// The policy file's name, for messages.
pub const FILE: &str = "policy.toml";
const EMBEDDED: &str = include_str!("../../rules/policy.toml");
const HOLIDAYS: &str = include_str!("../../rules/cn/holidays.csv");

/// The first day of the minute clock.
pub const EPOCH: Date = Date::constant(2000, 1, 1);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    window: Window,
    caps: Caps,
    reached: Reached,
    empty: Empty,
    suspended: Suspended,
    powered_off: PoweredOff,
    slots: Vec<SlotFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Window {
    start: String,
    end: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Caps {
    daily_unanswered: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reached {
    sticky_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {
    confirmations: u8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Suspended {
    prune_sightings: u8,
    prune_days: u16,
    retry_after_days: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PoweredOff {
    dormant_slots: u32,
    dormant_days: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotFile {
    name: String,
    days: String,
    start: String,
    end: String,
}

/// Which days a slot covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// Monday to Friday, and weekend days made working days (调休).
    Workday,
    /// Saturday and Sunday that are not working days or holidays.
    Weekend,
    /// Statutory holidays.
    Holiday,
}

/// A time slot: a kind of day and a local time range (minutes of the day, end exclusive).
#[derive(Debug, Clone)]
pub struct Slot {
    /// The slot's name, e.g. `weekday_evening`.
    pub name: String,
    /// The days it covers.
    pub days: DayKind,
    /// Start, minutes after midnight.
    pub start: u32,
    /// End (exclusive), minutes after midnight.
    pub end: u32,
}

/// The parsed policy and calendar.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Allowed calling window: start and end minute of the day.
    pub window: (u32, u32),
    /// At most this many unanswered attempts per number per day.
    pub daily_unanswered: u16,
    /// Days a reached stays decisive.
    pub sticky_days: u32,
    /// Empty sightings on different days needed to confirm empty.
    pub empty_confirmations: u8,
    /// Suspended sightings and span (days) that escalate to prune.
    pub suspended_prune: (u8, u16),
    /// Days after the last suspended sighting to retry.
    pub suspended_retry_days: u16,
    /// Distinct powered-off slots and span (days) that make a number dormant.
    pub dormant: (u32, u16),
    /// The slots, in suggestion order (at most 8: a state keeps them as bits).
    pub slots: Vec<Slot>,
    holidays: HashMap<Date, DayKind>,
    /// The kind of every day from 2000-01-01 to the last day in the holiday table, indexed by
    /// day on the minute clock: one load per attempt instead of a date conversion and a hash.
    days: Vec<DayKind>,
}

/// What to do with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Reached recently: keep dialling as usual.
    Keep,
    /// Live but not reached: call again in `next_slot`.
    Retry,
    /// Suspended: call again after a date.
    RetryLater,
    /// Evidence says dead but is not confirmed: check the number (空号检测) or try another trunk.
    Verify,
    /// Remove before the next campaign.
    Prune,
}

impl Action {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Retry => "retry",
            Action::RetryLater => "retry_later",
            Action::Verify => "verify",
            Action::Prune => "prune",
        }
    }
}

/// The status of a number in the headline's terms, with the two evidence-free values. The
/// order is the ranking of a customer's numbers: evidence beats its absence, so a customer
/// whose dialled numbers are all empty is empty even if a relative's number was never called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Reached, in person or through direct family.
    Reached,
    /// Live but not reached.
    NoAnswer,
    /// Powered off, unreachable or suspended.
    PoweredOff,
    /// Empty, wrong party, or judged invalid by the engine.
    Empty,
    /// Only technical or unknown evidence.
    Unknown,
    /// No attempt in the history.
    NeverCalled,
}

impl Status {
    /// Every status, in ranking order.
    pub const ALL: [Status; 6] = [
        Status::Reached,
        Status::NoAnswer,
        Status::PoweredOff,
        Status::Empty,
        Status::Unknown,
        Status::NeverCalled,
    ];

    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reached => "reached",
            Status::NoAnswer => "no_answer",
            Status::PoweredOff => "powered_off",
            Status::Unknown => "unknown",
            Status::NeverCalled => "never_called",
            Status::Empty => "empty",
        }
    }

    fn of(four: Four) -> Status {
        match four {
            Four::Reached => Status::Reached,
            Four::NoAnswer => Status::NoAnswer,
            Four::PoweredOff => Status::PoweredOff,
            Four::Empty => Status::Empty,
            Four::Unknown => Status::Unknown,
        }
    }
}

/// The policy's verdict on one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The headline status.
    pub status: Status,
    /// The fine status (a class name, or `dormant`, `suspended_persistent`,
    /// `empty_unconfirmed`, `invalid`, `never_called`).
    pub fine: &'static str,
    /// What to do.
    pub action: Action,
    /// For `retry` and `keep`: the slot (index into the policy's slots) to call in.
    pub slot: Option<u8>,
    /// For `retry_later`: the day (on the minute clock) to call again from.
    pub after_day: Option<u16>,
}

impl Policy {
    /// The embedded policy and calendar; the test suite guards them.
    pub fn embedded() -> Policy {
        match Policy::parse(EMBEDDED, HOLIDAYS) {
            Ok(p) => p,
            Err(e) => panic!("embedded policy is broken: {e}"),
        }
    }

    /// Parses `policy.toml` and `cn/holidays.csv`.
    pub fn parse(policy: &str, holidays: &str) -> anyhow::Result<Policy> {
        let file: PolicyFile = toml::from_str(policy).map_err(|e| anyhow::anyhow!("{FILE}: {e}"))?;
        let slots = file.slots.iter().map(parse_slot).collect::<anyhow::Result<Vec<_>>>()?;
        if slots.is_empty() || slots.len() > 8 {
            anyhow::bail!("{FILE}: give 1 to 8 [[slots]], found {}", slots.len());
        }
        let window = (clock(&file.window.start)?, clock(&file.window.end)?);
        if let Some(s) = slots.iter().find(|s| s.start < window.0 || s.end > window.1) {
            anyhow::bail!("{FILE}: slot `{}` lies outside the calling window", s.name);
        }
        Ok(Policy {
            window,
            daily_unanswered: file.caps.daily_unanswered,
            sticky_days: file.reached.sticky_days,
            empty_confirmations: file.empty.confirmations.max(1),
            suspended_prune: (file.suspended.prune_sightings, file.suspended.prune_days),
            suspended_retry_days: file.suspended.retry_after_days,
            dormant: (file.powered_off.dormant_slots, file.powered_off.dormant_days),
            slots,
            days: Vec::new(),
            holidays: parse_holidays(holidays)?,
        }
        .with_day_table())
    }

    fn with_day_table(mut self) -> Policy {
        let last = self.holidays.keys().max().copied().unwrap_or(EPOCH);
        let count = (last - EPOCH).get_days().max(0) as u32 + 1;
        self.days = (0..count).map(|d| self.day_kind(date_of(d * DAY))).collect();
        self
    }

    /// The kind of `date`: a holiday, a working day (weekdays and 调休 weekends), or a weekend.
    pub fn day_kind(&self, date: Date) -> DayKind {
        if let Some(kind) = self.holidays.get(&date) {
            return *kind;
        }
        match date.weekday() {
            Weekday::Saturday | Weekday::Sunday => DayKind::Weekend,
            _ => DayKind::Workday,
        }
    }

    /// The slot an attempt at `at` falls in, if any.
    pub fn slot_of(&self, at: Minutes) -> Option<u8> {
        let kind = match self.days.get((at / DAY) as usize) {
            Some(kind) => *kind,
            None => self.day_kind(date_of(at)),
        };
        let minute = at % DAY;
        self.slots
            .iter()
            .position(|s| s.days == kind && (s.start..s.end).contains(&minute))
            .map(|i| i as u8)
    }

    /// True when `at` lies outside the allowed calling window.
    pub fn outside_window(&self, at: Minutes) -> bool {
        !(self.window.0..self.window.1).contains(&(at % DAY))
    }

    /// The status and action of a number the engine judged dialable, from its folded evidence
    /// (`None`: never called), as of `as_of`.
    pub fn decide(&self, state: Option<&NumberState>, as_of: Minutes) -> Decision {
        let Some(s) = state.filter(|s| s.attempts > 0) else {
            return self.retry(Status::NeverCalled, "never_called", &NumberState::new());
        };
        if s.wrong_last > 0 && s.wrong_last > s.reached_last {
            return fixed(Status::Empty, "wrong_party", Action::Prune);
        }
        if let Some(d) = self.empty_evidence(s) {
            return d;
        }
        let reached_recent = s.reached_last > 0 && as_of.saturating_sub(s.reached_last) <= self.sticky_days * DAY;
        let latest_transient = s.suspended_last.max(s.powered_last).max(s.noanswer_last);
        if reached_recent || (s.reached_last > 0 && s.reached_last >= latest_transient) {
            let mut d = fixed(Status::Reached, "reached", Action::Keep);
            d.slot = self.next_slot(s);
            return d;
        }
        if latest_transient == 0 {
            return self.retry(Status::Unknown, "unknown", s);
        }
        if s.noanswer_last == latest_transient {
            let fine = match s.last_class() {
                c if c.four() == Four::NoAnswer => c.as_str(),
                _ => "no_answer",
            };
            return self.retry(Status::NoAnswer, fine, s);
        }
        if s.powered_last == latest_transient {
            return self.powered(s);
        }
        self.suspended(s)
    }

    /// Empty or unconfirmed-empty, when the newest empty comes after the newest reach and no
    /// live evidence followed it.
    fn empty_evidence(&self, s: &NumberState) -> Option<Decision> {
        if s.empty == 0 || s.empty_last <= s.reached_last || s.live_last() > s.empty_last {
            return None;
        }
        let different_days = day_of(s.empty_last) != s.empty_first_day;
        let no_live_since_first = s.live_last() < u32::from(s.empty_first_day) * DAY;
        if s.empty >= self.empty_confirmations && different_days && no_live_since_first {
            return Some(fixed(Status::Empty, "empty", Action::Prune));
        }
        Some(fixed(Status::Empty, "empty_unconfirmed", Action::Verify))
    }

    fn powered(&self, s: &NumberState) -> Decision {
        let span = day_of(s.powered_last).saturating_sub(s.powered_first_day);
        let no_live = s.live_last() < u32::from(s.powered_first_day) * DAY;
        if s.slots_powered.count_ones() >= self.dormant.0 && span >= self.dormant.1 && no_live {
            return fixed(Status::PoweredOff, "dormant", Action::Verify);
        }
        let fine = if s.last_class() == Class::Unreachable {
            "unreachable"
        } else {
            "powered_off"
        };
        self.retry(Status::PoweredOff, fine, s)
    }

    fn suspended(&self, s: &NumberState) -> Decision {
        let span = day_of(s.suspended_last).saturating_sub(s.suspended_first_day);
        let no_live = s.live_last() < u32::from(s.suspended_first_day) * DAY;
        let (sightings, days) = self.suspended_prune;
        if s.suspended >= sightings && span >= days && no_live {
            return fixed(Status::PoweredOff, "suspended_persistent", Action::Prune);
        }
        let mut d = fixed(Status::PoweredOff, "suspended", Action::RetryLater);
        d.after_day = Some(day_of(s.suspended_last).saturating_add(self.suspended_retry_days));
        d
    }

    fn retry(&self, status: Status, fine: &'static str, s: &NumberState) -> Decision {
        let mut d = fixed(status, fine, Action::Retry);
        d.slot = self.next_slot(s);
        d
    }

    /// A slot not tried yet (in policy order); else one where the number was reached; else
    /// one where it was not found powered off; else the first.
    pub fn next_slot(&self, s: &NumberState) -> Option<u8> {
        let n = self.slots.len() as u8;
        let first = |mask: u8, want: bool| (0..n).find(|i| (mask & (1 << i) != 0) == want);
        first(s.slots_tried, false)
            .or_else(|| first(s.slots_reached, true))
            .or_else(|| first(s.slots_powered, false))
            .or(Some(0))
    }

    /// The first moment at or after `from` that lies in slot `slot`, within a year (a holiday
    /// slot past the last year in cn/holidays.csv has none).
    pub fn next_time(&self, slot: u8, from: Minutes) -> Option<Minutes> {
        let slot = self.slots.get(usize::from(slot))?;
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

fn fixed(status: Status, fine: &'static str, action: Action) -> Decision {
    Decision {
        status,
        fine,
        action,
        slot: None,
        after_day: None,
    }
}

/// The status of an attempt class in the headline's terms.
pub fn status_of(class: Class) -> Status {
    Status::of(class.four())
}

/// The local date of a minute on the clock.
pub fn date_of(at: Minutes) -> Date {
    EPOCH
        .checked_add(jiff::Span::new().days(i64::from(at / DAY)))
        .unwrap_or(EPOCH)
}

/// `YYYY-MM-DD HH:MM` of a minute on the clock.
pub fn format_minutes(at: Minutes) -> String {
    let m = at % DAY;
    format!("{} {:02}:{:02}", date_of(at), m / 60, m % 60)
}

/// `HH:MM` to minutes after midnight (24:00 allowed as the end of the day).
fn clock(text: &str) -> anyhow::Result<u32> {
    let parsed = text
        .split_once(':')
        .and_then(|(h, m)| Some((h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((h, m)) if (h < 24 && m < 60) || (h == 24 && m == 0) => Ok(h * 60 + m),
        _ => anyhow::bail!("{FILE}: `{text}` is not a time of day (HH:MM)"),
    }
}

fn parse_slot(s: &SlotFile) -> anyhow::Result<Slot> {
    let days = match s.days.as_str() {
        "workday" => DayKind::Workday,
        "weekend" => DayKind::Weekend,
        "holiday" => DayKind::Holiday,
        other => anyhow::bail!(
            "{FILE}: slot `{}`: days `{other}` must be workday, weekend or holiday",
            s.name
        ),
    };
    let (start, end) = (clock(&s.start)?, clock(&s.end)?);
    if start >= end {
        anyhow::bail!("{FILE}: slot `{}` ends before it starts", s.name);
    }
    Ok(Slot {
        name: s.name.clone(),
        days,
        start,
        end,
    })
}

fn parse_holidays(text: &str) -> anyhow::Result<HashMap<Date, DayKind>> {
    let mut map = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("date,") {
            continue;
        }
        let mut fields = line.split(',');
        let (date, kind) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        let date: Date = date
            .parse()
            .map_err(|e| anyhow::anyhow!("cn/holidays.csv:{}: {e}", i + 1))?;
        let kind = match kind {
            "holiday" => DayKind::Holiday,
            "working_day" => DayKind::Workday,
            other => anyhow::bail!(
                "cn/holidays.csv:{}: kind `{other}` must be holiday or working_day",
                i + 1
            ),
        };
        map.insert(date, kind);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str, hh: u32, mm: u32) -> Minutes {
        let d: Date = date.parse().unwrap();
        let days = (d - EPOCH).get_days() as u32;
        days * DAY + hh * 60 + mm
    }

    fn state(attempts: &[(Class, Minutes)]) -> NumberState {
        let p = Policy::embedded();
        let mut s = NumberState::new();
        for (c, t) in attempts {
            s.add(*c, *t, p.slot_of(*t));
        }
        s
    }

    #[test]
    fn calendar_knows_holidays_and_working_weekends() {
        let p = Policy::embedded();
        assert_eq!(p.day_kind("2026-10-01".parse().unwrap()), DayKind::Holiday);
        assert_eq!(
            p.day_kind("2026-10-10".parse().unwrap()),
            DayKind::Workday,
            "a 调休 Saturday"
        );
        assert_eq!(p.day_kind("2026-10-17".parse().unwrap()), DayKind::Weekend);
        assert_eq!(p.day_kind("2026-10-13".parse().unwrap()), DayKind::Workday);
        assert_eq!(
            p.slot_of(at("2026-10-13", 19, 0))
                .map(|s| p.slots[s as usize].name.as_str()),
            Some("weekday_evening")
        );
        assert_eq!(p.slot_of(at("2026-10-13", 7, 30)), None);
        assert!(p.outside_window(at("2026-10-13", 22, 30)));
        assert!(p.outside_window(at("2026-10-13", 7, 59)));
        assert!(!p.outside_window(at("2026-10-13", 8, 0)));
    }

    #[test]
    fn empty_needs_two_days() {
        let p = Policy::embedded();
        let as_of = at("2026-10-31", 12, 0);
        let once = state(&[(Class::Empty, at("2026-10-05", 10, 0))]);
        assert_eq!(p.decide(Some(&once), as_of).action, Action::Verify);
        let same_day = state(&[
            (Class::Empty, at("2026-10-05", 10, 0)),
            (Class::Empty, at("2026-10-05", 15, 0)),
        ]);
        assert_eq!(p.decide(Some(&same_day), as_of).fine, "empty_unconfirmed");
        let two_days = state(&[
            (Class::Empty, at("2026-10-05", 10, 0)),
            (Class::Empty, at("2026-10-06", 10, 0)),
        ]);
        let d = p.decide(Some(&two_days), as_of);
        assert_eq!((d.status, d.fine, d.action), (Status::Empty, "empty", Action::Prune));
    }

    #[test]
    fn the_confirmation_count_comes_from_the_policy() {
        let strict = Policy::parse(&EMBEDDED.replace("confirmations = 2", "confirmations = 3"), HOLIDAYS).unwrap();
        let two_days = state(&[
            (Class::Empty, at("2026-10-05", 10, 0)),
            (Class::Empty, at("2026-10-06", 10, 0)),
        ]);
        let as_of = at("2026-10-31", 12, 0);
        assert_eq!(strict.decide(Some(&two_days), as_of).action, Action::Verify);
        assert_eq!(Policy::embedded().decide(Some(&two_days), as_of).action, Action::Prune);
    }

    #[test]
    fn recent_reached_wins_over_later_transient_failures() {
        let p = Policy::embedded();
        let s = state(&[
            (Class::Reached, at("2026-10-20", 19, 0)),
            (Class::NoAnswer, at("2026-10-25", 19, 0)),
            (Class::PoweredOff, at("2026-10-26", 10, 0)),
        ]);
        assert_eq!(p.decide(Some(&s), at("2026-10-31", 12, 0)).status, Status::Reached);
        assert_eq!(
            p.decide(Some(&s), at("2026-12-31", 12, 0)).status,
            Status::PoweredOff,
            "not after sticky_days"
        );
        let later_empty = state(&[
            (Class::Reached, at("2026-10-01", 19, 0)),
            (Class::Empty, at("2026-10-05", 10, 0)),
            (Class::Empty, at("2026-10-08", 10, 0)),
        ]);
        assert_eq!(
            p.decide(Some(&later_empty), at("2026-10-10", 12, 0)).status,
            Status::Empty,
            "permanent evidence wins"
        );
    }

    #[test]
    fn suspended_escalates_and_powered_off_goes_dormant() {
        let p = Policy::embedded();
        let as_of = at("2026-11-30", 12, 0);
        let short = state(&[
            (Class::Suspended, at("2026-11-01", 10, 0)),
            (Class::Suspended, at("2026-11-03", 10, 0)),
        ]);
        let d = p.decide(Some(&short), as_of);
        assert_eq!((d.fine, d.action), ("suspended", Action::RetryLater));
        assert_eq!(
            format_minutes(u32::from(d.after_day.unwrap()) * DAY),
            "2026-11-10 00:00"
        );
        let long = state(&[
            (Class::Suspended, at("2026-11-01", 10, 0)),
            (Class::Suspended, at("2026-11-08", 10, 0)),
            (Class::Suspended, at("2026-11-16", 10, 0)),
        ]);
        assert_eq!(p.decide(Some(&long), as_of).action, Action::Prune);
        let slots = [
            at("2026-11-02", 19, 0),
            at("2026-11-07", 10, 0),
            at("2026-11-17", 8, 30),
        ];
        let dormant = state(&slots.map(|t| (Class::PoweredOff, t)));
        assert_eq!(p.decide(Some(&dormant), as_of).fine, "dormant");
        let two_slots = state(&[(Class::PoweredOff, slots[0]), (Class::PoweredOff, slots[1])]);
        let d = p.decide(Some(&two_slots), as_of);
        assert_eq!(
            (d.action, d.slot.map(|s| p.slots[s as usize].name.as_str())),
            (Action::Retry, Some("weekday_morning"))
        );
    }

    #[test]
    fn no_answer_is_never_pruned_and_technical_never_counts() {
        let p = Policy::embedded();
        let as_of = at("2026-12-31", 12, 0);
        let many: Vec<(Class, Minutes)> = (1..=28)
            .map(|d| (Class::NoAnswer, at(&format!("2026-11-{d:02}"), 19, 0)))
            .collect();
        assert_eq!(p.decide(Some(&state(&many)), as_of).action, Action::Retry);
        let tech = state(&[
            (Class::Technical, at("2026-11-02", 10, 0)),
            (Class::Unknown, at("2026-11-03", 10, 0)),
        ]);
        assert_eq!(p.decide(Some(&tech), as_of).status, Status::Unknown);
        assert_eq!(p.decide(None, as_of).status, Status::NeverCalled);
    }

    #[test]
    fn suggested_times_lie_in_the_slot_and_window() {
        let p = Policy::embedded();
        for slot in 0..p.slots.len() as u8 {
            let t = p.next_time(slot, at("2026-09-15", 23, 0)).unwrap();
            assert!(!p.outside_window(t));
            assert_eq!(p.slot_of(t), Some(slot), "{}", format_minutes(t));
        }
        assert_eq!(
            format_minutes(p.next_time(0, at("2026-10-13", 19, 30)).unwrap()),
            "2026-10-13 19:30"
        );
        let holiday = p.slots.iter().position(|s| s.days == DayKind::Holiday).unwrap() as u8;
        assert_eq!(
            format_minutes(p.next_time(holiday, at("2026-09-15", 23, 0)).unwrap()),
            "2026-09-25 09:00"
        );
        assert_eq!(
            p.next_time(holiday, at("2026-12-01", 8, 0)),
            None,
            "no holidays announced past 2026"
        );
    }
}
