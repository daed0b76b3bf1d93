//! Tests of reading policy.toml: the embedded values, and every bad value reported on its
//! own line.

use test_case::test_case;

use crate::rules::{DayKind, EMBEDDED, RuleSet};

/// The errors of the embedded set with policy.toml replaced by `text`, as the user sees them.
fn errors(text: &str) -> Vec<String> {
    match RuleSet::embedded_with("policy.toml", text) {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

/// The 1-based line of `entry` in the embedded policy.toml.
fn line_of(entry: &str) -> usize {
    EMBEDDED.policy.lines().position(|l| l == entry).expect("entry in file") + 1
}

#[test]
fn embedded_values() {
    let p = RuleSet::embedded().policy;
    assert_eq!(p.window, (8 * 60, 22 * 60));
    assert_eq!(p.daily_unanswered, 6);
    assert_eq!(p.sticky_days, 30);
    assert_eq!(p.empty_confirmations, 2);
    assert_eq!(p.suspended_prune, (3, 14));
    assert_eq!(p.suspended_retry_days, 7);
    assert_eq!(p.dormant, (3, 14));
    let slots: Vec<(&str, DayKind, u32, u32)> = p
        .slots
        .iter()
        .map(|s| (s.name.as_str(), s.days, s.start, s.end))
        .collect();
    assert_eq!(slots[0], ("weekday_evening", DayKind::Workday, 18 * 60, 21 * 60 + 30));
    assert_eq!(slots.len(), 5);
    assert_eq!(p.calendar.day_kind("2026-10-01".parse().unwrap()), DayKind::Holiday);
}

/// A bad value of the embedded file is reported on its own line, not at line 0.
#[test_case("daily_unanswered = 6", "daily_unanswered = \"six\"",
    "[caps] `daily_unanswered` must be a whole number from 0 to 65535, found \"six\""; "wrong type")]
#[test_case("daily_unanswered = 6", "daily_unanswered = 70000",
    "[caps] `daily_unanswered` must be a whole number from 0 to 65535, found 70000"; "out of range")]
#[test_case("confirmations = 2", "confirmations = -1",
    "[empty] `confirmations` must be a whole number from 0 to 255, found -1"; "negative")]
#[test_case("start = \"08:00\"", "start = \"25:00\"",
    "[window] `start`: `25:00` is not a time of day (HH:MM)"; "hour out of range")]
#[test_case("end = \"21:30\"", "end = 2130",
    "[slots] `end` must be a string in quotes, found 2130"; "slot time not a string")]
#[test_case("days = \"weekend\"", "days = \"weekends\"",
    "slot `weekend`: days `weekends` must be workday, weekend or holiday"; "slot days")]
#[test_case("prune_days = 14", "prune_weeks = 2",
    "[suspended] unknown key `prune_weeks`; expected prune_sightings, prune_days, retry_after_days"; "unknown key")]
fn a_bad_value_is_reported_on_its_line(entry: &str, broken: &str, message: &str) {
    let line = line_of(entry);
    let found = errors(&EMBEDDED.policy.replacen(entry, broken, 1));
    assert!(found.contains(&format!("policy.toml:{line}: {message}")), "{found:#?}");
}

#[test]
fn every_bad_value_is_reported_in_file_order() {
    let text = EMBEDDED
        .policy
        .replacen("end = \"22:00\"", "end = \"22:60\"", 1)
        .replacen("sticky_days = 30", "sticky_days = \"30\"", 1)
        .replacen("end = \"09:00\"", "end = \"07:00\"", 1);
    let found = errors(&text);
    let lines: Vec<usize> = found
        .iter()
        .map(|e| e.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{found:#?}");
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{found:#?}");
    assert_eq!(lines[0], line_of("end = \"22:00\""));
    assert_eq!(lines[1], line_of("sticky_days = 30"));
    assert!(
        found[2].ends_with("slot `weekday_morning` ends before it starts"),
        "{found:#?}"
    );
}

#[test]
fn a_slot_outside_the_window_is_reported_at_the_slot() {
    let text = EMBEDDED.policy.replacen(
        "start = \"08:00\"\nend = \"22:00\"",
        "start = \"09:00\"\nend = \"22:00\"",
        1,
    );
    let found = errors(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].ends_with("slot `weekday_morning` lies outside the calling window"),
        "{found:#?}"
    );
    let at: usize = found[0].split(':').nth(1).unwrap().parse().unwrap();
    assert_eq!(
        at + 1,
        line_of("name = \"weekday_morning\""),
        "at its [[slots]] header: {found:#?}"
    );
}

#[test_case("[window]\nstart = \"08:00\"\n", &[
    "policy.toml:1: [window] missing `end`",
    "policy.toml:0: missing section `[caps]`"]; "missing")]
#[test_case("[window\n", &["policy.toml:1: unclosed table, expected `]`"]; "syntax")]
#[test_case("[windows]\n", &[
    "policy.toml:1: unknown section `[windows]`; expected window, caps, reached, empty, suspended, powered_off, slots",
    "policy.toml:0: missing section `[window]`"]; "unknown section")]
fn structural_problems(text: &str, expected: &[&str]) {
    let found = errors(text);
    for e in expected {
        assert!(found.iter().any(|f| f == e), "{e} not in {found:#?}");
    }
}

#[test]
fn slots_are_counted() {
    let extra = "\n[[slots]]\nname = \"extra\"\ndays = \"workday\"\nstart = \"09:00\"\nend = \"10:00\"\n";
    let text = format!("{}{}", EMBEDDED.policy, extra.repeat(4));
    let found = errors(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].ends_with("give 1 to 8 [[slots]], found 9"), "{found:#?}");
}

#[test]
fn the_wrong_and_third_party_keys_are_read_and_checked() {
    let p = RuleSet::embedded().policy;
    assert_eq!(p.wrong_party_confirmations, 2);
    assert!(p.third_party_reached);
    let entry = "third_party_counts_as_reached = true";
    let found = errors(
        &EMBEDDED
            .policy
            .replacen(entry, "third_party_counts_as_reached = \"yes\"", 1),
    );
    let line = line_of(entry);
    let message = "[reached] `third_party_counts_as_reached` must be true or false, found \"yes\"";
    assert!(found.contains(&format!("policy.toml:{line}: {message}")), "{found:#?}");
}
