//! Tests of the decisions: the calendar and slots of the embedded policy, and each path of
//! `decide` from a folded state.

use super::*;
use crate::rules::{EMBEDDED, RuleSet};

/// The embedded policy.
fn embedded() -> Policy {
    Policy::new(RuleSet::embedded().policy)
}

fn at(date: &str, hh: u32, mm: u32) -> Minutes {
    let d: Date = date.parse().unwrap();
    let days = (d - EPOCH).get_days() as u32;
    days * DAY + hh * 60 + mm
}

fn state(attempts: &[(Class, Minutes)]) -> NumberState {
    let p = embedded();
    let mut s = NumberState::new();
    for (c, t) in attempts {
        s.add(*c, *t, p.slot_of(*t));
    }
    s
}

#[test]
fn calendar_knows_holidays_and_working_weekends() {
    let p = embedded();
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
            .map(|s| p.rules.slots[s as usize].name.as_str()),
        Some("weekday_evening")
    );
    assert_eq!(p.slot_of(at("2026-10-13", 7, 30)), None);
    assert!(p.outside_window(at("2026-10-13", 22, 30)));
    assert!(p.outside_window(at("2026-10-13", 7, 59)));
    assert!(!p.outside_window(at("2026-10-13", 8, 0)));
}

#[test]
fn empty_needs_two_days() {
    let p = embedded();
    let as_of = at("2026-10-31", 12, 0);
    let once = state(&[(Class::Empty, at("2026-10-05", 10, 0))]);
    assert_eq!(p.decide(true, Some(&once), as_of).action, Action::Verify);
    let same_day = state(&[
        (Class::Empty, at("2026-10-05", 10, 0)),
        (Class::Empty, at("2026-10-05", 15, 0)),
    ]);
    assert_eq!(
        p.decide(true, Some(&same_day), as_of).fine.as_str(),
        "empty_unconfirmed"
    );
    let two_days = state(&[
        (Class::Empty, at("2026-10-05", 10, 0)),
        (Class::Empty, at("2026-10-06", 10, 0)),
    ]);
    let d = p.decide(true, Some(&two_days), as_of);
    assert_eq!(
        (d.status, d.fine.as_str(), d.action),
        (Status::Empty, "empty", Action::Prune)
    );
}

#[test]
fn the_confirmation_count_comes_from_the_policy() {
    let text = EMBEDDED.policy.replace("confirmations = 2", "confirmations = 3");
    let strict = Policy::new(RuleSet::embedded_with("policy.toml", &text).unwrap().policy);
    let two_days = state(&[
        (Class::Empty, at("2026-10-05", 10, 0)),
        (Class::Empty, at("2026-10-06", 10, 0)),
    ]);
    let as_of = at("2026-10-31", 12, 0);
    assert_eq!(strict.decide(true, Some(&two_days), as_of).action, Action::Verify);
    assert_eq!(embedded().decide(true, Some(&two_days), as_of).action, Action::Prune);
}

#[test]
fn recent_reached_wins_over_later_transient_failures() {
    let p = embedded();
    let s = state(&[
        (Class::Reached, at("2026-10-20", 19, 0)),
        (Class::NoAnswer, at("2026-10-25", 19, 0)),
        (Class::PoweredOff, at("2026-10-26", 10, 0)),
    ]);
    assert_eq!(
        p.decide(true, Some(&s), at("2026-10-31", 12, 0)).status,
        Status::Reached
    );
    assert_eq!(
        p.decide(true, Some(&s), at("2026-12-31", 12, 0)).status,
        Status::PoweredOff,
        "not after sticky_days"
    );
    let later_empty = state(&[
        (Class::Reached, at("2026-10-01", 19, 0)),
        (Class::Empty, at("2026-10-05", 10, 0)),
        (Class::Empty, at("2026-10-08", 10, 0)),
    ]);
    assert_eq!(
        p.decide(true, Some(&later_empty), at("2026-10-10", 12, 0)).status,
        Status::Empty,
        "permanent evidence wins"
    );
}

#[test]
fn suspended_escalates_and_powered_off_goes_dormant() {
    let p = embedded();
    let as_of = at("2026-11-30", 12, 0);
    let short = state(&[
        (Class::Suspended, at("2026-11-01", 10, 0)),
        (Class::Suspended, at("2026-11-03", 10, 0)),
    ]);
    let d = p.decide(true, Some(&short), as_of);
    assert_eq!((d.fine.as_str(), d.action), ("suspended", Action::RetryLater));
    assert_eq!(
        format_minutes(u32::from(d.after_day.unwrap()) * DAY),
        "2026-11-10 00:00"
    );
    let long = state(&[
        (Class::Suspended, at("2026-11-01", 10, 0)),
        (Class::Suspended, at("2026-11-08", 10, 0)),
        (Class::Suspended, at("2026-11-16", 10, 0)),
    ]);
    assert_eq!(p.decide(true, Some(&long), as_of).action, Action::Prune);
    let slots = [
        at("2026-11-02", 19, 0),
        at("2026-11-07", 10, 0),
        at("2026-11-17", 8, 30),
    ];
    let dormant = state(&slots.map(|t| (Class::PoweredOff, t)));
    assert_eq!(p.decide(true, Some(&dormant), as_of).fine.as_str(), "dormant");
    let two_slots = state(&[(Class::PoweredOff, slots[0]), (Class::PoweredOff, slots[1])]);
    let d = p.decide(true, Some(&two_slots), as_of);
    assert_eq!(
        (d.action, d.slot.map(|s| p.rules.slots[s as usize].name.as_str())),
        (Action::Retry, Some("weekday_morning"))
    );
}

#[test]
fn no_answer_is_never_pruned_and_technical_never_counts() {
    let p = embedded();
    let as_of = at("2026-12-31", 12, 0);
    let many: Vec<(Class, Minutes)> = (1..=28)
        .map(|d| (Class::NoAnswer, at(&format!("2026-11-{d:02}"), 19, 0)))
        .collect();
    assert_eq!(p.decide(true, Some(&state(&many)), as_of).action, Action::Retry);
    let tech = state(&[
        (Class::Technical, at("2026-11-02", 10, 0)),
        (Class::Unknown, at("2026-11-03", 10, 0)),
    ]);
    assert_eq!(p.decide(true, Some(&tech), as_of).status, Status::Unknown);
    assert_eq!(p.decide(true, None, as_of).status, Status::NeverCalled);
}

#[test]
fn suggested_times_lie_in_the_slot_and_window() {
    let p = embedded();
    for slot in 0..p.rules.slots.len() as u8 {
        let t = p.next_time(slot, at("2026-09-15", 23, 0)).unwrap();
        assert!(!p.outside_window(t));
        assert_eq!(p.slot_of(t), Some(slot), "{}", format_minutes(t));
    }
    assert_eq!(
        format_minutes(p.next_time(0, at("2026-10-13", 19, 30)).unwrap()),
        "2026-10-13 19:30"
    );
    let holiday = p.rules.slots.iter().position(|s| s.days == DayKind::Holiday).unwrap() as u8;
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

#[test]
fn an_invalid_number_is_pruned_whatever_its_history() {
    let p = embedded();
    let as_of = at("2026-10-31", 12, 0);
    let reached = state(&[(Class::Reached, at("2026-10-30", 19, 0))]);
    for s in [None, Some(&reached)] {
        let d = p.decide(false, s, as_of);
        assert_eq!(
            (d.status, d.fine.as_str(), d.action, d.slot, d.after_day),
            (Status::Empty, "invalid", Action::Prune, None, None)
        );
    }
    let d = p.decide(true, Some(&reached), as_of);
    assert_eq!(
        (d.status, d.action, d.slot),
        (Status::Reached, Action::Keep, None),
        "keep names no slot"
    );
}

#[test]
fn fine_statuses_keep_their_output_names() {
    let names = [
        (Fine::Reached, "reached"),
        (Fine::AnsweredUnverified, "answered_unverified"),
        (Fine::NoAnswer, "no_answer"),
        (Fine::Busy, "busy"),
        (Fine::Rejected, "rejected"),
        (Fine::Forwarded, "forwarded"),
        (Fine::PoweredOff, "powered_off"),
        (Fine::Unreachable, "unreachable"),
        (Fine::Dormant, "dormant"),
        (Fine::Suspended, "suspended"),
        (Fine::SuspendedPersistent, "suspended_persistent"),
        (Fine::Empty, "empty"),
        (Fine::EmptyUnconfirmed, "empty_unconfirmed"),
        (Fine::WrongParty, "wrong_party"),
        (Fine::Invalid, "invalid"),
        (Fine::Unknown, "unknown"),
        (Fine::NeverCalled, "never_called"),
    ];
    for (fine, name) in names {
        assert_eq!(fine.as_str(), name);
    }
    // A live number's fine status is its last class when that is a no-answer kind.
    for class in Class::ALL {
        let fine = Fine::no_answer(class).as_str();
        let expected = if class.four() == crate::rules::Four::NoAnswer {
            class.as_str()
        } else {
            "no_answer"
        };
        assert_eq!(fine, expected, "{class:?}");
    }
}

#[test]
fn one_wrong_party_is_verified_and_two_days_prune() {
    let p = embedded();
    let as_of = at("2026-10-31", 12, 0);
    let decide = |s: &NumberState| {
        let d = p.decide(true, Some(s), as_of);
        (d.status, d.fine.as_str(), d.action)
    };
    let once = state(&[(Class::WrongParty, at("2026-10-05", 10, 0))]);
    assert_eq!(
        decide(&once),
        (Status::Empty, "wrong_party_unconfirmed", Action::Verify)
    );
    let same_day = state(&[
        (Class::WrongParty, at("2026-10-05", 10, 0)),
        (Class::WrongParty, at("2026-10-05", 16, 0)),
    ]);
    assert_eq!(decide(&same_day).2, Action::Verify, "one day is one sighting");
    let two_days = state(&[
        (Class::WrongParty, at("2026-10-05", 10, 0)),
        (Class::WrongParty, at("2026-10-07", 10, 0)),
    ]);
    assert_eq!(decide(&two_days), (Status::Empty, "wrong_party", Action::Prune));
    let reached_between = state(&[
        (Class::WrongParty, at("2026-10-05", 10, 0)),
        (Class::Reached, at("2026-10-06", 10, 0)),
        (Class::WrongParty, at("2026-10-07", 10, 0)),
    ]);
    assert_eq!(decide(&reached_between).2, Action::Verify, "a reach in between");
    let changed_hands = state(&[(Class::NumberReassigned, at("2026-10-05", 10, 0))]);
    assert_eq!(decide(&changed_hands), (Status::Empty, "wrong_party", Action::Prune));
    let reached_later = state(&[
        (Class::NumberReassigned, at("2026-10-05", 10, 0)),
        (Class::Reached, at("2026-10-08", 10, 0)),
    ]);
    assert_eq!(decide(&reached_later).0, Status::Reached, "the customer answered after");
}

#[test]
fn the_wrong_party_count_comes_from_the_policy() {
    let text = EMBEDDED
        .policy
        .replace("wrong_party_confirmations = 2", "wrong_party_confirmations = 3");
    let strict = Policy::new(RuleSet::embedded_with("policy.toml", &text).unwrap().policy);
    let two_days = state(&[
        (Class::WrongParty, at("2026-10-05", 10, 0)),
        (Class::WrongParty, at("2026-10-07", 10, 0)),
    ]);
    let as_of = at("2026-10-31", 12, 0);
    assert_eq!(strict.decide(true, Some(&two_days), as_of).action, Action::Verify);
}

#[test]
fn a_stale_line_is_verified_never_reached() {
    let p = embedded();
    let as_of = at("2026-10-31", 12, 0);
    let s = state(&[
        (Class::Reached, at("2026-10-02", 10, 0)),
        (Class::StaleLine, at("2026-10-20", 10, 0)),
    ]);
    let d = p.decide(true, Some(&s), as_of);
    assert_eq!(
        (d.status, d.fine.as_str(), d.action),
        (Status::Empty, "stale_line", Action::Verify)
    );
}

#[test]
fn a_third_party_counts_as_the_policy_says() {
    let s = state(&[
        (Class::WrongParty, at("2026-10-19", 10, 0)),
        (Class::ThirdParty, at("2026-10-20", 10, 0)),
        (Class::NoAnswer, at("2026-10-21", 19, 0)),
    ]);
    let as_of = at("2026-10-31", 12, 0);
    let d = embedded().decide(true, Some(&s), as_of);
    assert_eq!(
        (d.status, d.fine.as_str(), d.action),
        (Status::Reached, "third_party", Action::Keep)
    );
    let text = EMBEDDED.policy.replace(
        "third_party_counts_as_reached = true",
        "third_party_counts_as_reached = false",
    );
    let strict = Policy::new(RuleSet::embedded_with("policy.toml", &text).unwrap().policy);
    let only_third = state(&[(Class::ThirdParty, at("2026-10-20", 10, 0))]);
    let d = strict.decide(true, Some(&only_third), as_of);
    assert_eq!(
        (d.status, d.fine.as_str(), d.action),
        (Status::NoAnswer, "third_party", Action::Retry)
    );
    assert_eq!(strict.decide(true, Some(&s), as_of).fine, Fine::NoAnswer, "newest wins");
}

#[test]
fn new_fine_statuses_have_their_names() {
    for (fine, name) in [
        (Fine::ThirdParty, "third_party"),
        (Fine::StaleLine, "stale_line"),
        (Fine::WrongPartyUnconfirmed, "wrong_party_unconfirmed"),
    ] {
        assert_eq!(fine.as_str(), name);
    }
}

proptest::proptest! {
    /// Dates and times by arithmetic are jiff's: every day from the epoch to 9999-12-31, and
    /// the epoch past it, as before.
    #[test]
    fn dates_by_arithmetic_are_jiffs(days in proptest::prop_oneof![0..80_000u32, 0..2_982_616u32], minute in 0..DAY) {
        let at = days * DAY + minute;
        let want = EPOCH.checked_add(jiff::Span::new().days(i64::from(days))).unwrap_or(EPOCH);
        proptest::prop_assert_eq!(date_of(at), want);
        proptest::prop_assert_eq!(format_minutes(at), format!("{} {:02}:{:02}", want, minute / 60, minute % 60));
    }
}
