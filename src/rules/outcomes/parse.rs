//! Reading outcomes.toml: the document is walked entry by entry, every bad entry is kept
//! with its line, and the entries become the phrase list and the code maps.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::vocabulary::{Meaning, Table};
use super::{Class, OutcomeRules, Phrases, normalise_key};
use crate::rules::table::Lines;

impl OutcomeRules {
    /// Parses an outcomes.toml text. Every problem is returned as (line, message), with line
    /// 0 when it concerns the whole file.
    pub fn parse(text: &str) -> Result<OutcomeRules, Vec<(u64, String)>> {
        let lines = Lines::new(text);
        let (doc, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            // A recovered document would add follow-on errors; the syntax errors are the news.
            return Err(syntax
                .iter()
                .map(|e| (e.span().map_or(0, |s| lines.of(s.start)), e.message().to_string()))
                .collect());
        }
        let mut builder = Builder::new(lines);
        for (key, value) in doc.get_ref() {
            builder.section(key, value);
        }
        builder.finish()
    }
}

/// Collects the entries and the errors while the document is walked.
struct Builder {
    lines: Lines,
    errors: Vec<(u64, String)>,
    min_talk_seconds: u32,
    phrases: Vec<(String, Meaning)>,
    codes: [HashMap<Box<str>, Meaning>; 9],
    /// (section, normalised key) -> the line that defined it first.
    seen: HashMap<(&'static str, String), u64>,
}

type Key<'i> = Spanned<Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

impl Builder {
    fn new(lines: Lines) -> Builder {
        Builder {
            lines,
            errors: Vec::new(),
            min_talk_seconds: 5,
            phrases: Vec::new(),
            codes: Default::default(),
            seen: HashMap::new(),
        }
    }

    fn error(&mut self, offset: usize, message: String) {
        let line = self.lines.of(offset);
        self.errors.push((line, message));
    }

    /// One top-level entry: it must be a known section holding a table.
    fn section(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let name = key.get_ref().as_ref();
        let Some(table) = value.get_ref().as_table() else {
            return self.error(key.span().start, format!("`{name}` must be a section: `[{name}]`"));
        };
        match (name, Table::from_name(name)) {
            ("settings", _) => table.iter().for_each(|(k, v)| self.setting(k, v)),
            ("phrases", _) => table.iter().for_each(|(k, v)| self.phrase(k, v)),
            (_, Some(t)) => table.iter().for_each(|(k, v)| self.code(t, k, v)),
            _ => {
                let known: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                self.error(
                    key.span().start,
                    format!(
                        "unknown section `[{name}]`; expected settings, phrases, {}",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn setting(&mut self, key: &Key<'_>, value: &Value<'_>) {
        if key.get_ref() != "min_talk_seconds" {
            return self.error(key.span().start, format!("unknown setting `{}`", key.get_ref()));
        }
        let seconds = value
            .get_ref()
            .as_integer()
            .and_then(|i| u32::from_str_radix(i.as_str(), i.radix()).ok());
        match seconds {
            Some(s) => self.min_talk_seconds = s,
            None => self.error(
                key.span().start,
                "min_talk_seconds must be a whole number of seconds".into(),
            ),
        }
    }

    /// The entry's value as a [`Meaning`], or an error naming the key.
    fn meaning(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Meaning> {
        let Some(text) = value.get_ref().as_str() else {
            let found = value.get_ref().type_str();
            self.error(
                key.span().start,
                format!(
                    "`{}`: value must be a class name in quotes, found {found}",
                    key.get_ref()
                ),
            );
            return None;
        };
        let meaning = Meaning::parse(text);
        if meaning.is_none() {
            let classes: Vec<&str> = Class::ALL.iter().map(|c| c.as_str()).collect();
            self.error(
                key.span().start,
                format!(
                    "`{}`: unknown class `{text}`; expected one of {}, answered, cleared",
                    key.get_ref(),
                    classes.join(", ")
                ),
            );
        }
        meaning
    }

    fn phrase(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let meaning = self.meaning(key, value);
        let phrase = normalise_key(key.get_ref());
        if phrase.is_empty() {
            return self.error(key.span().start, "empty phrase".into());
        }
        if self.is_first("phrases", key, &phrase)
            && let Some(m) = meaning
        {
            self.phrases.push((phrase, m));
        }
    }

    fn code(&mut self, table: Table, key: &Key<'_>, value: &Value<'_>) {
        let meaning = self.meaning(key, value);
        let code = normalise_key(key.get_ref());
        if let Err(message) = table.check_key(&code) {
            return self.error(key.span().start, message);
        }
        if self.is_first(table.name(), key, &code)
            && let Some(m) = meaning
        {
            self.codes[table as usize].insert(code.into_boxed_str(), m);
        }
    }

    /// True when `normalised` is new in its section. TOML itself refuses a repeated key; this
    /// catches keys that differ only before normalising (`ＰＴＰ` beside `PTP`, `busy` beside
    /// `BUSY`), which would otherwise shadow each other silently.
    fn is_first(&mut self, section: &'static str, key: &Key<'_>, normalised: &str) -> bool {
        let line = self.lines.of(key.span().start);
        match self.seen.entry((section, normalised.to_string())) {
            Entry::Vacant(slot) => {
                slot.insert(line);
                true
            }
            Entry::Occupied(first) => {
                let message = format!(
                    "[{section}] `{}` repeats `{normalised}` from line {}",
                    key.get_ref(),
                    first.get()
                );
                self.errors.push((line, message));
                false
            }
        }
    }

    fn finish(mut self) -> Result<OutcomeRules, Vec<(u64, String)>> {
        if !self.errors.is_empty() {
            // The document is walked in key order, not file order.
            self.errors.sort();
            return Err(self.errors);
        }
        Ok(OutcomeRules {
            min_talk_seconds: self.min_talk_seconds,
            phrases: Phrases::build(&self.phrases),
            codes: self.codes,
        })
    }
}
