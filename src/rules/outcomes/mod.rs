//! The outcome mapping: the evidence of one call attempt (a disposition, a cause code, a CRM
//! note, an announcement transcript, the talk time) to one fine outcome class.
//!
//! Logs describe the same event in a dozen vocabularies (Q.850, SIP, FreeSWITCH, Asterisk,
//! Twilio, VICIdial, Chinese cloud platforms, collectors' Chinese notes), and on Chinese
//! networks the signalling is the least precise of them: carriers announce 关机/停机/空号 as
//! early media and release with a generic cause (call-outcomes reference §0.1). So the mapping is
//! data (`rules/outcomes.toml`, which documents every table and the order they are tried in),
//! text outranks codes, and an "answer" counts only with enough talk time. Matching a text or
//! a code to its class is a property of the vocabulary, as a block look-up is of the mobile
//! table, so the matcher lives here with the tables. This module is pure: it parses the file
//! once into hash maps and an Aho-Corasick automaton, then classifies without I/O and, for
//! most inputs, without allocating.
//!
//! - `class`: the classes and their four-class headline;
//! - `vocabulary`: what an entry means, and the code tables;
//! - `phrases`: the phrase automaton;
//! - `parse`: reading the file, every bad entry with its line.

mod class;
mod parse;
mod phrases;
mod vocabulary;

use std::borrow::Cow;
use std::collections::HashMap;

pub use class::{Class, Four};

use phrases::Phrases;
use vocabulary::{MAX_CODE_LEN, Meaning, Table, tables_for};

use crate::rules::LogFormat;
use crate::text::{FOLD_ROOM, fold_width};

/// The evidence of one attempt, as read from a log.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The layout of the log that holds it: it picks the code tables a bare code is tried in.
    pub format: LogFormat,
    /// The outcome, status, disposition or hangup-cause field: Chinese text, a code, a name,
    /// or empty. `table:code` (`sip:404`, `tencent:205`) names its table.
    pub outcome: &'a str,
    /// Free-text notes or an announcement transcript (may be empty).
    pub notes: &'a str,
    /// Talk time (billsec) in seconds, when the log has it.
    pub talk_seconds: Option<u32>,
}

/// The parsed outcomes.toml: the settings, the phrase lexicon and the code tables.
#[derive(Debug, Clone)]
pub struct OutcomeRules {
    min_talk_seconds: u32,
    phrases: Phrases,
    /// One map per [`Table`], in [`Table::ALL`] order, keyed by the normalised code.
    codes: [HashMap<Box<str>, Meaning>; 9],
}

impl OutcomeRules {
    /// The fine class of one attempt. Steps, each a trap in the tests: the notes' phrases
    /// outrank everything, but only when they make a class (a note nobody mapped, or one
    /// that only says the call ended, never erases a recognised outcome); then the outcome
    /// as a phrase; then the outcome as a code of the log format's tables; the talk time
    /// settles answers; nothing usable gives unknown.
    pub fn classify(&self, e: &Evidence<'_>) -> Class {
        let resolve = |m: Meaning| m.resolve(e.talk_seconds, self.min_talk_seconds);
        let mut room = [0; FOLD_ROOM];
        let notes = squeeze(fold_width(e.notes, &mut room));
        let from_notes = self.phrases.find(&notes).map(resolve);
        if let Some(class) = from_notes.filter(|c| *c != Class::Unknown) {
            return class;
        }
        self.outcome_class(e).map_or(Class::Unknown, resolve)
    }

    /// True when the outcome field alone is not in the vocabulary (no phrase, not even a
    /// blocker, and no code): the texts the
    /// history counts so that the vocabulary can be extended where logs need it.
    pub(crate) fn outcome_is_unrecognised(&self, e: &Evidence<'_>) -> bool {
        let mut room = [0; FOLD_ROOM];
        let outcome = squeeze(fold_width(e.outcome, &mut room));
        !self.phrases.occurs_in(&outcome) && self.code(e.format, &outcome).is_none()
    }

    /// Talk time, in seconds, below which an answer is not a proven conversation.
    pub fn min_talk_seconds(&self) -> u32 {
        self.min_talk_seconds
    }

    /// The meaning of the outcome field: as a phrase, else as a code.
    fn outcome_class(&self, e: &Evidence<'_>) -> Option<Meaning> {
        let mut room = [0; FOLD_ROOM];
        let outcome = squeeze(fold_width(e.outcome, &mut room));
        self.phrases.find(&outcome).or_else(|| self.code(e.format, &outcome))
    }

    /// Looks a (width-folded) code up: in its named table when it has a `table:` prefix,
    /// otherwise in the format's tables in order.
    fn code(&self, format: LogFormat, code: &str) -> Option<Meaning> {
        let mut buf = [0u8; MAX_CODE_LEN];
        let code = lowercase_in(code, &mut buf)?;
        if let Some((prefix, rest)) = code.split_once(':')
            && let Some(table) = Table::from_name(prefix.trim_end())
        {
            return self.lookup(table, rest.trim_start());
        }
        tables_for(format).iter().find_map(|&t| self.lookup(t, code))
    }

    fn lookup(&self, table: Table, code: &str) -> Option<Meaning> {
        self.codes[table as usize].get(code).copied()
    }
}

/// A rules key as texts are matched: trimmed, widths folded, white space runs squeezed to
/// one space, ASCII lower-cased.
fn normalise_key(key: &str) -> String {
    squeeze(fold_width(key, &mut [0; FOLD_ROOM])).to_ascii_lowercase()
}

/// `text` with every run of white space (two spaces, a tab, a line break) as one space, so
/// `call  rejected` and a note broken over two lines match as typed once. Copies only a text
/// that has such a run: most texts have none.
fn squeeze(text: Cow<'_, str>) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let odd = |i: usize| {
        let b = bytes[i];
        b.is_ascii_whitespace() && (b != b' ' || bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace))
    };
    if !(0..bytes.len()).any(odd) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split_ascii_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// `code`, ASCII lower-cased into `buf`. None when it is longer than any key can be.
fn lowercase_in<'b>(code: &str, buf: &'b mut [u8; MAX_CODE_LEN]) -> Option<&'b str> {
    if code.is_empty() || code.len() > MAX_CODE_LEN {
        return None;
    }
    let out = &mut buf[..code.len()];
    out.copy_from_slice(code.as_bytes());
    out.make_ascii_lowercase();
    // Lower-casing ASCII bytes keeps UTF-8 valid, so this never fails.
    std::str::from_utf8(out).ok()
}

#[cfg(test)]
mod tests;
