//! A checked walk over a small TOML document of known sections and keys: every value is
//! read with its line, and every problem (a syntax error, an unknown key, a missing or
//! mistyped value) is kept as `(line, message)`, so a bad file lists all its bad lines.

use std::borrow::Cow;
use std::cell::RefCell;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::rules::table::{Errors, Lines};

/// The document, with the problems found so far.
pub(super) struct Doc<'i> {
    root: Spanned<DeTable<'i>>,
    lines: Lines,
    /// The sections and their keys, in the order the file documents them.
    schema: &'static [(&'static str, &'static [&'static str])],
    /// Interior mutability: values are read through shared borrows of the document.
    found: RefCell<Vec<(u64, String)>>,
}

/// One table of the document: a `[section]` or one `[[section]]` entry.
pub(super) struct Section<'d, 'i> {
    name: &'static str,
    /// Where problems of the whole table are reported: its header.
    pub(super) offset: usize,
    table: &'d DeTable<'i>,
}

type Entry<'d, 'i> = (&'d Spanned<Cow<'i, str>>, &'d Spanned<DeValue<'i>>);

impl<'i> Doc<'i> {
    /// Parses `text` and checks that every section and key is known. A syntax error stops
    /// the walk (a recovered document would add follow-on errors): None, after reporting.
    pub(super) fn parse(
        text: &'i str,
        schema: &'static [(&'static str, &'static [&'static str])],
        errors: &mut Errors<'_>,
    ) -> Option<Doc<'i>> {
        let lines = Lines::new(text);
        let (root, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            for e in &syntax {
                errors.push(e.span().map_or(0, |s| lines.of(s.start)), e.message());
            }
            return None;
        }
        let doc = Doc {
            root,
            lines,
            schema,
            found: RefCell::new(Vec::new()),
        };
        doc.check_names();
        Some(doc)
    }

    /// Reports every problem found, in file order; true when there was none.
    pub(super) fn finish(self, errors: &mut Errors<'_>) -> bool {
        let mut found = self.found.into_inner();
        let clean = found.is_empty();
        found.sort_by_key(|(line, _)| *line);
        for (line, message) in found {
            errors.push(line, message);
        }
        clean
    }

    /// Records a problem at byte `offset` (0 for the whole file).
    pub(super) fn error(&self, offset: Option<usize>, message: String) {
        let line = offset.map_or(0, |o| self.lines.of(o));
        self.found.borrow_mut().push((line, message));
    }

    fn check_names(&self) {
        let sections: Vec<&str> = self.schema.iter().map(|(s, _)| *s).collect();
        for (key, value) in self.root.get_ref() {
            let name = key.get_ref().as_ref();
            let Some((_, keys)) = self.schema.iter().find(|(s, _)| *s == name) else {
                let message = format!("unknown section `[{name}]`; expected {}", sections.join(", "));
                self.error(Some(key.span().start), message);
                continue;
            };
            let tables: Vec<&DeTable<'_>> = match value.get_ref() {
                DeValue::Table(t) => vec![t],
                DeValue::Array(a) => a.iter().filter_map(|v| v.get_ref().as_table()).collect(),
                _ => Vec::new(),
            };
            for (k, _) in tables.into_iter().flatten() {
                if !keys.contains(&k.get_ref().as_ref()) {
                    let message = format!("[{name}] unknown key `{}`; expected {}", k.get_ref(), keys.join(", "));
                    self.error(Some(k.span().start), message);
                }
            }
        }
    }

    fn entry(&self, name: &str) -> Option<Entry<'_, 'i>> {
        self.root.get_ref().iter().find(|(k, _)| k.get_ref() == name)
    }

    /// The `[name]` table; None (reported) when it is missing or not a table.
    pub(super) fn section(&self, name: &'static str) -> Option<Section<'_, 'i>> {
        let Some((key, value)) = self.entry(name) else {
            self.error(None, format!("missing section `[{name}]`"));
            return None;
        };
        let Some(table) = value.get_ref().as_table() else {
            self.error(
                Some(key.span().start),
                format!("`{name}` must be a section: `[{name}]`"),
            );
            return None;
        };
        Some(Section {
            name,
            offset: key.span().start,
            table,
        })
    }

    /// The `[[name]]` tables, and where a problem with their number is reported.
    pub(super) fn tables(&self, name: &'static str) -> (Vec<Section<'_, 'i>>, Option<usize>) {
        let Some((key, value)) = self.entry(name) else {
            return (Vec::new(), None);
        };
        let Some(array) = value.get_ref().as_array() else {
            self.error(
                Some(key.span().start),
                format!("`{name}` must be a list of `[[{name}]]` tables"),
            );
            return (Vec::new(), Some(key.span().start));
        };
        let sections = array
            .iter()
            .filter_map(|v| {
                let table = v.get_ref().as_table();
                if table.is_none() {
                    self.error(
                        Some(v.span().start),
                        format!("every `{name}` entry must be a `[[{name}]]` table"),
                    );
                }
                Some(Section {
                    name,
                    offset: v.span().start,
                    table: table?,
                })
            })
            .collect();
        (sections, Some(key.span().start))
    }

    /// The value of `key`; None (reported at the section) when it is missing.
    fn value<'d>(&self, s: &Section<'d, 'i>, key: &str) -> Option<&'d Spanned<DeValue<'i>>> {
        let found = s.table.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v);
        if found.is_none() {
            self.error(Some(s.offset), format!("[{}] missing `{key}`", s.name));
        }
        found
    }

    /// A whole number from 0 to `max`.
    pub(super) fn int(&self, s: &Section<'_, 'i>, key: &str, max: u64) -> Option<u64> {
        let value = self.value(s, key)?;
        let n = value
            .get_ref()
            .as_integer()
            .and_then(|i| u64::from_str_radix(i.as_str(), i.radix()).ok())
            .filter(|n| *n <= max);
        if n.is_none() {
            let found = describe(value.get_ref());
            let message = format!(
                "[{}] `{key}` must be a whole number from 0 to {max}, found {found}",
                s.name
            );
            self.error(Some(value.span().start), message);
        }
        n
    }

    /// `true` or `false`.
    pub(super) fn bool(&self, s: &Section<'_, 'i>, key: &str) -> Option<bool> {
        let value = self.value(s, key)?;
        let b = value.get_ref().as_bool();
        if b.is_none() {
            let found = describe(value.get_ref());
            let message = format!("[{}] `{key}` must be true or false, found {found}", s.name);
            self.error(Some(value.span().start), message);
        }
        b
    }

    /// A string, with the offset of its value.
    pub(super) fn string<'d>(&self, s: &Section<'d, 'i>, key: &str) -> Option<(&'d str, usize)> {
        let value = self.value(s, key)?;
        let text = value.get_ref().as_str();
        if text.is_none() {
            let found = describe(value.get_ref());
            let message = format!("[{}] `{key}` must be a string in quotes, found {found}", s.name);
            self.error(Some(value.span().start), message);
        }
        Some((text?, value.span().start))
    }

    /// `HH:MM` to minutes after midnight (24:00 allowed as the end of the day).
    pub(super) fn clock(&self, s: &Section<'_, 'i>, key: &str) -> Option<u32> {
        let (text, at) = self.string(s, key)?;
        let parsed = text
            .split_once(':')
            .and_then(|(h, m)| Some((h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?)));
        match parsed {
            Some((h, m)) if (h < 24 && m < 60) || (h == 24 && m == 0) => Some(h * 60 + m),
            _ => {
                let message = format!("[{}] `{key}`: `{text}` is not a time of day (HH:MM)", s.name);
                self.error(Some(at), message);
                None
            }
        }
    }
}

/// A value as an error message quotes it: its text, or its type when it is no scalar.
fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_string(),
        DeValue::String(s) => format!("\"{s}\""),
        other => other.type_str().to_string(),
    }
}
