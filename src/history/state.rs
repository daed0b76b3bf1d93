//! One compact, mergeable state per dialled number: what the policy needs, folded from any
//! number of attempts without keeping any of them. Counts add, first times take the minimum,
//! last times the maximum and slot sets the union, so per-thread states merge in any order
//! into the same result.
//!
//! Times are local minutes since 2000-01-01 00:00 (`u32`, good for 8,000 years); days are
//! those minutes divided by 1,440. The struct is 56 bytes; with its `u64` key a map entry is
//! 64 bytes plus the map's control byte (the budget is 64). To make room for the
//! wrong-party, third-party and stale-line evidence, the counts nothing read (no-answer
//! and technical attempts) were dropped: `Calls` counts attempts per class.

use crate::rules::Class;

/// Local minutes since 2000-01-01 00:00.
pub(crate) type Minutes = u32;

/// Minutes in a day.
pub(crate) const DAY: u32 = 1440;

/// The folded evidence of one number. `0` in a `*_last` field means never seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumberState {
    /// The newest attempt of any class.
    pub(crate) last_attempt: Minutes,
    /// Newest attempt per evidence group.
    pub(crate) reached_last: Minutes,
    /// Newest empty (空号).
    pub(crate) empty_last: Minutes,
    /// Newest wrong party (非本人: one sighting is not proof).
    pub(crate) wrong_last: Minutes,
    /// Newest third party who will pass a message on.
    pub(crate) third_last: Minutes,
    /// Newest stale line or number that changed hands; `gone_class` says which.
    pub(crate) gone_last: Minutes,
    /// Newest suspended (停机).
    pub(crate) suspended_last: Minutes,
    /// Newest powered off or unreachable.
    pub(crate) powered_last: Minutes,
    /// Newest of the no-answer family (no answer, busy, rejected, forwarded, answered unverified).
    pub(crate) noanswer_last: Minutes,
    /// Day of the first empty, suspended, powered-off and wrong-party sightings (`u16::MAX`:
    /// none).
    pub(crate) empty_first_day: u16,
    /// See `empty_first_day`.
    pub(crate) wrong_first_day: u16,
    /// See `empty_first_day`.
    pub(crate) suspended_first_day: u16,
    /// See `empty_first_day`.
    pub(crate) powered_first_day: u16,
    /// Attempts of any class (saturating).
    pub(crate) attempts: u16,
    /// Reached attempts (saturating).
    pub(crate) reached: u8,
    /// Empty sightings (saturating).
    pub(crate) empty: u8,
    /// Wrong-party sightings (saturating).
    pub(crate) wrong: u8,
    /// Suspended sightings (saturating).
    pub(crate) suspended: u8,
    /// Powered-off or unreachable sightings (saturating).
    pub(crate) powered: u8,
    /// Slots (bit per policy slot) with any attempt.
    pub(crate) slots_tried: u8,
    /// Slots with a reached attempt.
    pub(crate) slots_reached: u8,
    /// Slots with a powered-off or unreachable attempt.
    pub(crate) slots_powered: u8,
    /// The class of the newest attempt (`Class as u8`; on a tie in time, the greater class).
    pub(crate) last_class: u8,
    /// The class of the newest `gone_last` attempt, as `last_class` keeps it.
    pub(crate) gone_class: u8,
}

const NO_DAY: u16 = u16::MAX;

impl Default for NumberState {
    /// The state of a number never seen.
    fn default() -> NumberState {
        NumberState {
            last_attempt: 0,
            reached_last: 0,
            empty_last: 0,
            wrong_last: 0,
            third_last: 0,
            gone_last: 0,
            suspended_last: 0,
            powered_last: 0,
            noanswer_last: 0,
            empty_first_day: NO_DAY,
            wrong_first_day: NO_DAY,
            suspended_first_day: NO_DAY,
            powered_first_day: NO_DAY,
            attempts: 0,
            reached: 0,
            empty: 0,
            wrong: 0,
            suspended: 0,
            powered: 0,
            slots_tried: 0,
            slots_reached: 0,
            slots_powered: 0,
            last_class: 0,
            gone_class: 0,
        }
    }
}

impl NumberState {
    /// The state of a number never seen.
    pub(crate) fn new() -> NumberState {
        NumberState::default()
    }

    /// Folds in one attempt of `class` at `at`, in slot `slot` (a bit index, if any).
    pub(crate) fn add(&mut self, class: Class, at: Minutes, slot: Option<u8>) {
        let bit = slot.map_or(0, |s| 1u8 << s);
        self.attempts = self.attempts.saturating_add(1);
        (self.last_attempt, self.last_class) = newest((self.last_attempt, self.last_class), (at, class as u8));
        self.slots_tried |= bit;
        let day = day_of(at);
        match class {
            Class::Reached => {
                self.reached = self.reached.saturating_add(1);
                self.reached_last = self.reached_last.max(at);
                self.slots_reached |= bit;
            }
            Class::Empty => {
                self.empty = self.empty.saturating_add(1);
                self.empty_last = self.empty_last.max(at);
                self.empty_first_day = self.empty_first_day.min(day);
            }
            Class::WrongParty => {
                self.wrong = self.wrong.saturating_add(1);
                self.wrong_last = self.wrong_last.max(at);
                self.wrong_first_day = self.wrong_first_day.min(day);
            }
            Class::ThirdParty => self.third_last = self.third_last.max(at),
            Class::StaleLine | Class::NumberReassigned => {
                (self.gone_last, self.gone_class) = newest((self.gone_last, self.gone_class), (at, class as u8));
            }
            Class::Suspended => {
                self.suspended = self.suspended.saturating_add(1);
                self.suspended_last = self.suspended_last.max(at);
                self.suspended_first_day = self.suspended_first_day.min(day);
            }
            Class::PoweredOff | Class::Unreachable => {
                self.powered = self.powered.saturating_add(1);
                self.powered_last = self.powered_last.max(at);
                self.powered_first_day = self.powered_first_day.min(day);
                self.slots_powered |= bit;
            }
            Class::NoAnswer | Class::Busy | Class::Rejected | Class::Forwarded | Class::AnsweredUnverified => {
                self.noanswer_last = self.noanswer_last.max(at);
            }
            // Counted in `Calls`; they say nothing about the number (§5.3.1).
            Class::Technical | Class::Unknown => {}
        }
    }

    /// Adds `o` into `self`: commutative and associative. The fold keeps one state per number
    /// in its shard, so only the property tests merge states.
    #[cfg(test)]
    pub(crate) fn merge(&mut self, o: &NumberState) {
        (self.last_attempt, self.last_class) =
            newest((self.last_attempt, self.last_class), (o.last_attempt, o.last_class));
        (self.gone_last, self.gone_class) = newest((self.gone_last, self.gone_class), (o.gone_last, o.gone_class));
        self.reached_last = self.reached_last.max(o.reached_last);
        self.empty_last = self.empty_last.max(o.empty_last);
        self.wrong_last = self.wrong_last.max(o.wrong_last);
        self.third_last = self.third_last.max(o.third_last);
        self.suspended_last = self.suspended_last.max(o.suspended_last);
        self.powered_last = self.powered_last.max(o.powered_last);
        self.noanswer_last = self.noanswer_last.max(o.noanswer_last);
        self.empty_first_day = self.empty_first_day.min(o.empty_first_day);
        self.wrong_first_day = self.wrong_first_day.min(o.wrong_first_day);
        self.suspended_first_day = self.suspended_first_day.min(o.suspended_first_day);
        self.powered_first_day = self.powered_first_day.min(o.powered_first_day);
        self.attempts = self.attempts.saturating_add(o.attempts);
        self.reached = self.reached.saturating_add(o.reached);
        self.empty = self.empty.saturating_add(o.empty);
        self.wrong = self.wrong.saturating_add(o.wrong);
        self.suspended = self.suspended.saturating_add(o.suspended);
        self.powered = self.powered.saturating_add(o.powered);
        self.slots_tried |= o.slots_tried;
        self.slots_reached |= o.slots_reached;
        self.slots_powered |= o.slots_powered;
    }

    /// The class of the newest attempt.
    pub(crate) fn last_class(&self) -> Class {
        class_of(self.last_class)
    }

    /// The class of the newest stale-line or changed-hands attempt (`gone_last`).
    pub(crate) fn gone_class(&self) -> Class {
        class_of(self.gone_class)
    }

    /// The newest live evidence (the number exists and rang or answered: a third party, a
    /// wrong party or a stale line answered too).
    pub(crate) fn live_last(&self) -> Minutes {
        self.reached_last
            .max(self.noanswer_last)
            .max(self.third_last)
            .max(self.wrong_last)
            .max(self.gone_last)
    }
}

/// The newer of two (time, class) pairs; ties in time go to the greater class, so the result
/// does not depend on the order of folding.
fn newest(a: (Minutes, u8), b: (Minutes, u8)) -> (Minutes, u8) {
    a.max(b)
}

fn class_of(class: u8) -> Class {
    Class::ALL.get(usize::from(class)).copied().unwrap_or(Class::Unknown)
}

/// The day of a local minute.
pub(crate) fn day_of(at: Minutes) -> u16 {
    u16::try_from(at / DAY).unwrap_or(u16::MAX - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_memory_budget() {
        assert!(
            std::mem::size_of::<NumberState>() <= 56,
            "{}",
            std::mem::size_of::<NumberState>()
        );
        assert!(std::mem::size_of::<(u64, NumberState)>() <= 64);
    }

    #[test]
    fn merge_is_order_independent() {
        let attempts = [
            (Class::Empty, 10 * DAY + 600, Some(0)),
            (Class::NoAnswer, 11 * DAY + 1100, Some(1)),
            (Class::Reached, 12 * DAY + 700, Some(2)),
            (Class::Suspended, 3 * DAY, None),
            (Class::PoweredOff, 20 * DAY + 900, Some(1)),
            (Class::Technical, 21 * DAY, None),
        ];
        let mut all = NumberState::new();
        for (c, t, s) in attempts {
            all.add(c, t, s);
        }
        let (mut a, mut b) = (NumberState::new(), NumberState::new());
        for (i, (c, t, s)) in attempts.into_iter().enumerate() {
            if i % 2 == 0 { a.add(c, t, s) } else { b.add(c, t, s) }
        }
        let mut ab = a;
        ab.merge(&b);
        let mut ba = b;
        ba.merge(&a);
        assert_eq!(ab, all);
        assert_eq!(ba, all);
        assert_eq!(all.empty_first_day, 10);
        assert_eq!(all.slots_tried, 0b111);
        assert_eq!(all.live_last(), 12 * DAY + 700);
    }
}
