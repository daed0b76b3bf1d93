//! The number engine: the text of one cell in, zero or more checked numbers out.
//!
//! A cell goes through four steps, each in its own file:
//! 1. `fold`: every character to one symbol of a small alphabet (full-width forms, dashes,
//!    labels, invisible characters, separators and extension markers folded away);
//! 2. `split`: symbols to numbers: split on list separators, cut off extensions, repair
//!    recoverable damage, report unrecoverable damage, and split runs that hold two numbers;
//!    `range` expands the short tail of a range (`027-87654321/2`) to the numbers it means;
//! 3. `classify`: the digits of one number against the rule tables (area codes, mobile
//!    blocks, service ranges); `foreign` for numbers outside mainland China;
//! 4. `number`: the result, rendered on demand as national, E.164 and cleaned forms.
//!
//! No I/O and no global state: the engine borrows a [`RuleSet`] and can run on any thread.

mod classify;
mod fast;
mod fold;
mod foreign;
mod issue;
mod message;
mod number;
mod range;
mod split;

pub use issue::{Issue, IssueSet, Lang, Severity};
pub use message::message;
pub use number::{Cell, Detail, Digits, Kind, Number, Place, Verdict, carrier_of_block};

use crate::rules::RuleSet;

/// Checks cells against one rules set.
#[derive(Debug, Clone, Copy)]
pub struct Engine<'r> {
    rules: &'r RuleSet,
    /// The area (index into the area table) assumed for local numbers written without one.
    default_area: Option<u16>,
}

impl<'r> Engine<'r> {
    /// An engine with no default area code.
    pub fn new(rules: &'r RuleSet) -> Engine<'r> {
        Engine {
            rules,
            default_area: None,
        }
    }

    /// Assumes `code` (e.g. `027`) for local numbers written without an area code. Fails when
    /// `code` is not an active area code.
    pub fn with_default_area(mut self, code: &str) -> anyhow::Result<Engine<'r>> {
        let digits = if code.starts_with('0') {
            code.to_string()
        } else {
            format!("0{code}")
        };
        let id = self
            .rules
            .areas
            .get_id(digits.as_bytes())
            .filter(|id| {
                let area = self.rules.areas.area(*id);
                area.code == digits && area.retired.is_none()
            })
            .ok_or_else(|| anyhow::anyhow!("`{code}` is not an active area code"))?;
        self.default_area = Some(id);
        Ok(self)
    }

    /// The rules the engine judges by.
    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Checks one cell.
    pub fn check(&self, cell: &str) -> Cell {
        split::check(self, cell)
    }

    /// Checks a cell a spreadsheet stored as a number whose value is an exact integer:
    /// `digits` are that integer's digits (13971234567, never the 1.39712E+10 Excel shows).
    /// Read as the same text would be (a lost leading 0 restored alike), every number found
    /// also carries `format.excel_numeric`: the digits are whole, but the column is numeric.
    pub fn check_numeric(&self, digits: &str) -> Cell {
        let mut cell = self.check(digits);
        for n in &mut cell.numbers {
            n.issues.insert(Issue::ExcelNumeric);
        }
        cell
    }
}

#[cfg(test)]
mod tests;
