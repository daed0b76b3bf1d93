//! The phrase lexicon of outcomes.toml: one Aho-Corasick automaton over every phrase, so a
//! note is scanned once whatever the lexicon's size.

use std::cmp::Reverse;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Match};
use smallvec::SmallVec;

use super::Class;
use super::vocabulary::Meaning;

/// The phrase lexicon: an automaton over every phrase, and what each one means.
#[derive(Debug, Clone)]
pub(super) struct Phrases {
    automaton: AhoCorasick,
    /// Per pattern id: its length in characters (longest wins) and its meaning.
    pub(super) entries: Vec<(usize, Meaning)>,
}

impl Phrases {
    /// Builds the automaton; phrases are already normalised and unique.
    pub(super) fn build(phrases: &[(String, Meaning)]) -> Phrases {
        // ASCII case is folded by the automaton, so texts need no lower-casing copy. A full
        // DFA (about 0.8 MB for the embedded lexicon, against 64 KB for the default NFA) made
        // classify() about 15% faster on long Chinese notes in a release-mode timing loop.
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(phrases.iter().map(|(p, _)| p))
            .expect("a few hundred short phrases fit any automaton");
        let entries = phrases.iter().map(|(p, m)| (p.chars().count(), *m)).collect();
        Phrases { automaton, entries }
    }

    /// The meaning of the longest phrase in `text` (the leftmost among equals), where a
    /// statement about whose line it is (a third party, a stale line, a number that changed
    /// hands) outranks any other phrase: `第三方接听，称不认识` is a number that changed hands,
    /// whatever `第三方接听`'s length, and `家属接听，说会转告` a message left with family. Blockers
    /// (`unknown` phrases) decide nothing: they only hide the phrases inside them (未接通 is
    /// not 接通), so `未接通，已关机` is still powered off.
    pub(super) fn find(&self, text: &str) -> Option<Meaning> {
        if text.is_empty() {
            return None;
        }
        let found: SmallVec<[Match; 8]> = self.automaton.find_overlapping_iter(text).collect();
        let inside_blocker = |m: &Match| {
            found
                .iter()
                .any(|b| self.is_blocker(b) && b.start() <= m.start() && m.end() <= b.end())
        };
        let best = found
            .iter()
            .filter(|m| !self.is_blocker(m) && !inside_blocker(m))
            .max_by_key(|m| {
                let (len, meaning) = self.entries[m.pattern().as_usize()];
                (speaks_of_the_line(meaning), len, Reverse(m.start()))
            })?;
        Some(self.entries[best.pattern().as_usize()].1)
    }

    /// True when any phrase, a blocker too, occurs in `text`: the text is in the vocabulary.
    pub(super) fn occurs_in(&self, text: &str) -> bool {
        self.automaton.is_match(text)
    }

    fn is_blocker(&self, m: &Match) -> bool {
        self.entries[m.pattern().as_usize()].1 == Meaning::Class(Class::Unknown)
    }
}

/// True for the classes that say who the line belongs to now, which a person on the line
/// states outright and which outrank the mere fact that someone answered.
fn speaks_of_the_line(m: Meaning) -> bool {
    matches!(
        m,
        Meaning::Class(Class::ThirdParty | Class::StaleLine | Class::NumberReassigned)
    )
}
