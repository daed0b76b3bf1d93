//! The policy's data (`policy.toml`): the calling window, the daily cap, the thresholds of
//! the aggregation and the time slots retries are spread over, with the holiday calendar
//! they are placed by. Only data and its checks live here; the decisions taken with it
//! (`decide`, the next slot time) are in `history::policy`.

mod read;

use read::{Doc, Section};

use super::holidays::{Calendar, DayKind};
use super::table::Errors;

/// The most slots a policy may list: a number's state keeps its slots as bits of a `u8`.
const MAX_SLOTS: usize = 8;

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

/// The parsed policy.toml and cn/holidays.csv: thresholds, slots and calendar.
#[derive(Debug, Clone)]
pub struct PolicyRules {
    /// Allowed calling window: start and end minute of the day.
    pub window: (u32, u32),
    /// At most this many unanswered attempts per number per day.
    pub daily_unanswered: u16,
    /// Days a reached stays decisive.
    pub sticky_days: u32,
    /// Empty sightings on different days needed to confirm empty.
    pub empty_confirmations: u8,
    /// Wrong-party sightings on different days needed to prune a number (one is verified).
    pub wrong_party_confirmations: u8,
    /// Whether a message left with a third party (a relative, a colleague) makes the number
    /// reached (`true`: keep) or live but not reached (`false`: no answer, retry).
    pub third_party_reached: bool,
    /// Suspended sightings and span (days) that escalate to prune.
    pub suspended_prune: (u8, u16),
    /// Days after the last suspended sighting to retry.
    pub suspended_retry_days: u16,
    /// Distinct powered-off slots and span (days) that make a number dormant.
    pub dormant: (u32, u16),
    /// The slots, in suggestion order (at most 8: a state keeps them as bits).
    pub slots: Vec<Slot>,
    /// The holiday calendar (cn/holidays.csv).
    pub calendar: Calendar,
}

/// The sections of policy.toml and their keys.
const SECTIONS: [(&str, &[&str]); 7] = [
    ("window", &["start", "end"]),
    ("caps", &["daily_unanswered"]),
    ("reached", &["sticky_days", "third_party_counts_as_reached"]),
    ("empty", &["confirmations", "wrong_party_confirmations"]),
    ("suspended", &["prune_sightings", "prune_days", "retry_after_days"]),
    ("powered_off", &["dormant_slots", "dormant_days"]),
    ("slots", &["name", "days", "start", "end"]),
];

impl PolicyRules {
    /// Parses policy.toml, with the calendar already read. Every bad value is reported on its
    /// line (all of them, in file order); None when there was any.
    pub(crate) fn parse(text: &str, calendar: Calendar, errors: &mut Errors<'_>) -> Option<PolicyRules> {
        let doc = Doc::parse(text, &SECTIONS, errors)?;
        let rules = read(&doc, calendar);
        let clean = doc.finish(errors);
        rules.filter(|_| clean)
    }
}

/// Reads every section; None when a value is missing or bad (each is reported).
fn read(doc: &Doc<'_>, calendar: Calendar) -> Option<PolicyRules> {
    let int = |s: &Section<'_, '_>, key, max: u64| doc.int(s, key, max);
    let window = doc
        .section("window")
        .map(|s| (doc.clock(&s, "start"), doc.clock(&s, "end")));
    let caps = doc
        .section("caps")
        .map(|s| int(&s, "daily_unanswered", u16::MAX.into()));
    let reached = doc.section("reached").map(|s| {
        (
            int(&s, "sticky_days", u32::MAX.into()),
            doc.bool(&s, "third_party_counts_as_reached"),
        )
    });
    let empty = doc.section("empty").map(|s| {
        (
            int(&s, "confirmations", u8::MAX.into()),
            int(&s, "wrong_party_confirmations", u8::MAX.into()),
        )
    });
    let suspended = doc.section("suspended").map(|s| {
        (
            int(&s, "prune_sightings", u8::MAX.into()),
            int(&s, "prune_days", u16::MAX.into()),
            int(&s, "retry_after_days", u16::MAX.into()),
        )
    });
    let powered = doc.section("powered_off").map(|s| {
        (
            int(&s, "dormant_slots", u32::MAX.into()),
            int(&s, "dormant_days", u16::MAX.into()),
        )
    });
    let slots = slots(doc);
    let window = (window?.0?, window?.1?);
    let slots = slots.into_iter().collect::<Option<Vec<_>>>()?;
    check_window(doc, window, &slots)?;
    let (prune_sightings, prune_days, retry_after_days) = suspended?;
    let (dormant_slots, dormant_days) = powered?;
    let (sticky_days, third_party_reached) = reached?;
    let (empty_confirmations, wrong_party_confirmations) = empty?;
    Some(PolicyRules {
        window,
        daily_unanswered: caps?? as u16,
        sticky_days: sticky_days? as u32,
        empty_confirmations: (empty_confirmations? as u8).max(1),
        wrong_party_confirmations: (wrong_party_confirmations? as u8).max(1),
        third_party_reached: third_party_reached?,
        suspended_prune: (prune_sightings? as u8, prune_days? as u16),
        suspended_retry_days: retry_after_days? as u16,
        dormant: (dormant_slots? as u32, dormant_days? as u16),
        slots: slots.into_iter().map(|(s, _)| s).collect(),
        calendar,
    })
}

/// The `[[slots]]`, each with the offset it is reported at; there must be 1 to 8.
fn slots(doc: &Doc<'_>) -> Vec<Option<(Slot, usize)>> {
    let (list, at) = doc.tables("slots");
    if list.is_empty() || list.len() > MAX_SLOTS {
        doc.error(at, format!("give 1 to {MAX_SLOTS} [[slots]], found {}", list.len()));
        return vec![None];
    }
    list.iter().map(|s| slot(doc, s).map(|slot| (slot, s.offset))).collect()
}

fn slot(doc: &Doc<'_>, s: &Section<'_, '_>) -> Option<Slot> {
    let name = doc.string(s, "name");
    let days = doc.string(s, "days");
    let (start, end) = (doc.clock(s, "start"), doc.clock(s, "end"));
    let name = name?.0.to_string();
    let days = match days? {
        ("workday", _) => Some(DayKind::Workday),
        ("weekend", _) => Some(DayKind::Weekend),
        ("holiday", _) => Some(DayKind::Holiday),
        (other, at) => {
            let message = format!("slot `{name}`: days `{other}` must be workday, weekend or holiday");
            doc.error(Some(at), message);
            None
        }
    };
    let (start, end) = (start?, end?);
    if start >= end {
        doc.error(Some(s.offset), format!("slot `{name}` ends before it starts"));
        return None;
    }
    Some(Slot {
        name,
        days: days?,
        start,
        end,
    })
}

/// Every slot must lie inside the calling window: no retry is suggested outside it.
fn check_window(doc: &Doc<'_>, window: (u32, u32), slots: &[(Slot, usize)]) -> Option<()> {
    let mut ok = true;
    for (s, at) in slots {
        if s.start < window.0 || s.end > window.1 {
            doc.error(Some(*at), format!("slot `{}` lies outside the calling window", s.name));
            ok = false;
        }
    }
    ok.then_some(())
}

#[cfg(test)]
mod tests;
