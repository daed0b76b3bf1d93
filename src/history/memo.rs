//! The outcome class of the attempts one worker has classified, by their outcome text, notes
//! and talk time: a log repeats a few dozen outcome and note texts millions of times, and
//! matching them against the phrase automaton and the code tables was a tenth of reading a
//! log (issue 11). The class is a pure function of those fields and the log's format (one
//! memo per log), so a remembered class is the class.

use rustc_hash::FxHashMap;

use crate::rules::{Class, Evidence, OutcomeRules};

/// Texts remembered per worker; past this new texts are classified but not remembered (a log
/// whose notes are all different gains nothing from a memo).
const MAX_ENTRIES: usize = 4096;

/// One remembered attempt: its fields and what they gave.
#[derive(Debug)]
struct Entry {
    outcome: Box<str>,
    notes: Box<str>,
    talk: Option<u32>,
    class: Class,
    unrecognised: bool,
}

/// Classes by a hash of the fields; a hash two field sets share keeps the first one.
#[derive(Debug, Default)]
pub(super) struct Memo {
    entries: FxHashMap<u64, Entry>,
}

impl Memo {
    /// The class of `e`, and whether its outcome text is unrecognised (only asked of a
    /// non-blank unknown, as [`OutcomeRules::outcome_is_unrecognised`] is).
    pub(super) fn classify(&mut self, rules: &OutcomeRules, e: &Evidence<'_>) -> (Class, bool) {
        let hash = fields_hash(e);
        if let Some(m) = self.entries.get(&hash)
            && same(&m.outcome, e.outcome)
            && same(&m.notes, e.notes)
            && m.talk == e.talk_seconds
        {
            return (m.class, m.unrecognised);
        }
        let class = rules.classify(e);
        let unrecognised = class == Class::Unknown && !e.outcome.trim().is_empty() && rules.outcome_is_unrecognised(e);
        if self.entries.len() < MAX_ENTRIES {
            self.entries.entry(hash).or_insert_with(|| Entry {
                outcome: e.outcome.into(),
                notes: e.notes.into(),
                talk: e.talk_seconds,
                class,
                unrecognised,
            });
        }
        (class, unrecognised)
    }
}

/// Byte equality without a call: the texts are a few dozen bytes at most, and the C
/// library's memcmp, called twice an attempt, was 7.5% of the samples at 30M attempts.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// FNV-1a over the fields, a separator between the texts so `ab|c` and `a|bc` differ.
fn fields_hash(e: &Evidence<'_>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(e.outcome.as_bytes());
    eat(&[0xff]);
    eat(e.notes.as_bytes());
    eat(&[0xff]);
    eat(&e.talk_seconds.map_or(u64::MAX, u64::from).to_le_bytes());
    h
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::rules::{LogFormat, RuleSet};

    const TEXTS: [&str; 8] = [
        "关机",
        "已接通",
        "空号",
        "",
        "busy",
        "提示音：您拨打的电话已关机",
        "号码已换人",
        "xyz",
    ];

    #[test]
    fn same_is_byte_equality() {
        for (a, b) in [
            ("", ""),
            ("关机", "关机"),
            ("关机", "关"),
            ("", "x"),
            ("abc", "abd"),
            ("abc", "abc "),
        ] {
            assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
        }
    }

    proptest! {
        /// Byte equality, whatever the texts.
        #[test]
        fn same_answers_like_eq(a in "[a-c关]{0,12}", b in "[a-c关]{0,12}") {
            prop_assert_eq!(same(&a, &b), a == b);
        }

        /// Remembered or not, the class and the unrecognised flag are the rules' own.
        #[test]
        fn answers_like_the_rules(attempts in proptest::collection::vec((0..8usize, 0..8usize, proptest::option::of(0..40u32)), 0..300)) {
            let rules = RuleSet::embedded();
            let mut memo = Memo::default();
            for (o, n, talk) in attempts {
                let e = Evidence { format: LogFormat::Generic, outcome: TEXTS[o], notes: TEXTS[n], talk_seconds: talk };
                let class = rules.outcomes.classify(&e);
                let unrecognised = class == Class::Unknown && !e.outcome.trim().is_empty() && rules.outcomes.outcome_is_unrecognised(&e);
                prop_assert_eq!(memo.classify(&rules.outcomes, &e), (class, unrecognised));
            }
        }
    }
}
