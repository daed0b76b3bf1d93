//! The customer roll-up: each record contributes a partial (its numbers counted by relation
//! and verdict); partials of the same customer id are merged, wherever the records stand in
//! the file, through the external sorter, so memory does not grow with the portfolio.

use std::io;

use super::spill::{Spill, get_str, get_u64, put_str, put_u64};
use crate::history::policy::{Decision, Status};
use crate::input::columns::Relation;
use crate::phone::{Issue, IssueSet, Kind, Verdict};

/// One customer's counts, from one record or merged from several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerPart {
    /// The customer id.
    pub id: String,
    /// The first line the customer appears on.
    pub first_line: u64,
    /// Records merged.
    pub records: u64,
    /// Numbers found (all relations).
    pub numbers: u64,
    /// Numbers not judged invalid, by relation: own, family, contact.
    pub valid: [u64; 3],
    /// Own valid landlines.
    pub landlines: u64,
    /// Kinds seen among valid numbers, as a bit set of `Kind as u8`.
    pub kinds: u64,
    /// The best call-history status among own and family numbers (`Status as u8`; `NONE`).
    pub best: u8,
    /// The action of that best number (`Action as u8`), and its slot or retry day.
    pub best_action: u8,
    /// Slot index of the best number's retry (`NONE` when none).
    pub best_slot: u8,
    /// Retry-later day of the best number (0 when none).
    pub best_after: u16,
    /// The best status among contact numbers, counted apart.
    pub contact_best: u8,
    /// The most hopeful action among own and family numbers (`Action as u8`; `NONE`), with
    /// its slot and retry day: what to do when the best status is a dead end.
    pub open: (u8, u8, u16),
}

/// No status yet.
pub const NONE: u8 = u8::MAX;

impl CustomerPart {
    /// An empty partial for `id` seen on `line`.
    pub fn new(id: String, line: u64) -> CustomerPart {
        CustomerPart {
            id,
            first_line: line,
            records: 1,
            best: NONE,
            best_action: NONE,
            best_slot: NONE,
            contact_best: NONE,
            open: (NONE, NONE, 0),
            ..CustomerPart::default()
        }
    }

    /// Counts one number of the record.
    pub fn add(&mut self, relation: Relation, kind: Kind, issues: IssueSet) {
        self.numbers += 1;
        if Verdict::of(issues) == Verdict::Invalid {
            return;
        }
        self.valid[relation as usize] += 1;
        self.kinds |= 1 << kind as u8;
        if relation == Relation::Own && kind == Kind::Landline {
            self.landlines += 1;
        }
    }

    /// Counts the call-history decision on one number: reaching the customer or a direct
    /// relative counts as reached; contacts are counted apart.
    pub fn add_status(&mut self, relation: Relation, d: &Decision) {
        let status = d.status as u8;
        if relation == Relation::Contact {
            self.contact_best = self.contact_best.min(status);
            return;
        }
        let candidate = (status, d.action as u8, d.slot.unwrap_or(NONE), d.after_day.unwrap_or(0));
        if candidate < (self.best, self.best_action, self.best_slot, self.best_after) {
            (self.best, self.best_action, self.best_slot, self.best_after) = candidate;
        }
        self.open = self
            .open
            .min((d.action as u8, d.slot.unwrap_or(NONE), d.after_day.unwrap_or(0)));
    }

    /// The customer's status: the best of own and family numbers (empty when there are none).
    pub fn status(&self) -> Status {
        Status::ALL
            .get(usize::from(self.best))
            .copied()
            .unwrap_or(Status::Empty)
    }

    /// Adds another partial of the same customer.
    pub fn merge(&mut self, o: &CustomerPart) {
        let mine = (self.best, self.best_action, self.best_slot, self.best_after);
        let theirs = (o.best, o.best_action, o.best_slot, o.best_after);
        if theirs < mine {
            (self.best, self.best_action, self.best_slot, self.best_after) = theirs;
        }
        self.contact_best = self.contact_best.min(o.contact_best);
        self.open = self.open.min(o.open);
        self.first_line = self.first_line.min(o.first_line);
        self.records += o.records;
        self.numbers += o.numbers;
        for (a, b) in self.valid.iter_mut().zip(o.valid) {
            *a += b;
        }
        self.landlines += o.landlines;
        self.kinds |= o.kinds;
    }

    /// Valid numbers of the customer and direct family: the ones that count as reaching them.
    pub fn own_and_family(&self) -> u64 {
        self.valid[Relation::Own as usize] + self.valid[Relation::Family as usize]
    }

    /// The customer-level findings.
    pub fn issues(&self) -> IssueSet {
        let mut set = IssueSet::EMPTY;
        if self.own_and_family() == 0 {
            set.insert(Issue::CustomerNoValidNumber);
        }
        if self.landlines == 0 {
            set.insert(Issue::CustomerNoLandline);
        }
        set
    }

    /// The valid kinds, `;`-joined in kind order.
    pub fn kinds_text(&self) -> String {
        super::summary::KINDS
            .iter()
            .filter(|k| self.kinds & (1 << **k as u8) != 0)
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// Partials sort by id, then line: the merge meets one customer's partials together.
impl Ord for CustomerPart {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id).then(self.first_line.cmp(&other.first_line))
    }
}

impl PartialOrd for CustomerPart {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Spill for CustomerPart {
    fn encode(&self, out: &mut Vec<u8>) {
        put_str(out, &self.id);
        for v in [
            self.first_line,
            self.records,
            self.numbers,
            self.valid[0],
            self.valid[1],
            self.valid[2],
        ] {
            put_u64(out, v);
        }
        put_u64(out, self.landlines);
        put_u64(out, self.kinds);
        let packed = u64::from(self.best)
            | u64::from(self.best_action) << 8
            | u64::from(self.best_slot) << 16
            | u64::from(self.best_after) << 24
            | u64::from(self.contact_best) << 40;
        put_u64(out, packed);
        put_u64(
            out,
            u64::from(self.open.0) | u64::from(self.open.1) << 8 | u64::from(self.open.2) << 16,
        );
    }

    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        let id = get_str(input)?;
        let mut v = [0u64; 10];
        for slot in &mut v {
            *slot = get_u64(input)?;
        }
        Ok(Some(CustomerPart {
            id,
            first_line: v[0],
            records: v[1],
            numbers: v[2],
            valid: [v[3], v[4], v[5]],
            landlines: v[6],
            kinds: v[7],
            best: (v[8] & 0xff) as u8,
            best_action: (v[8] >> 8 & 0xff) as u8,
            best_slot: (v[8] >> 16 & 0xff) as u8,
            best_after: (v[8] >> 24 & 0xffff) as u16,
            contact_best: (v[8] >> 40 & 0xff) as u8,
            open: (
                (v[9] & 0xff) as u8,
                (v[9] >> 8 & 0xff) as u8,
                (v[9] >> 16 & 0xffff) as u16,
            ),
        }))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.id.len()
    }
}

/// A merged customer, re-sorted by the line it first appears on so customers.csv follows the
/// input's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByLine(pub CustomerPart);

impl Ord for ByLine {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .first_line
            .cmp(&other.0.first_line)
            .then(self.0.id.cmp(&other.0.id))
    }
}

impl PartialOrd for ByLine {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Spill for ByLine {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }

    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        CustomerPart::decode(input).map(|c| c.map(ByLine))
    }

    fn size(&self) -> usize {
        self.0.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_merge_and_flag() {
        let mut a = CustomerPart::new("KH1".into(), 7);
        a.add(Relation::Own, Kind::Mobile, IssueSet::EMPTY);
        a.add(Relation::Contact, Kind::Mobile, IssueSet::EMPTY);
        let mut b = CustomerPart::new("KH1".into(), 3);
        b.add(
            Relation::Own,
            Kind::Landline,
            [Issue::LandlineLength].into_iter().collect(),
        );
        a.merge(&b);
        assert_eq!((a.first_line, a.records, a.numbers), (3, 2, 3));
        assert_eq!(a.issues().iter().collect::<Vec<_>>(), vec![Issue::CustomerNoLandline]);
        assert_eq!(a.kinds_text(), "mobile");
        let mut c = CustomerPart::new("KH2".into(), 1);
        c.add(Relation::Contact, Kind::Mobile, IssueSet::EMPTY);
        assert!(c.issues().contains(Issue::CustomerNoValidNumber));
    }

    #[test]
    fn spill_round_trip() {
        let mut a = CustomerPart::new("客户 1".into(), 42);
        a.add(Relation::Family, Kind::Mobile, IssueSet::EMPTY);
        let mut buf = Vec::new();
        a.encode(&mut buf);
        let mut input = &buf[..];
        assert_eq!(CustomerPart::decode(&mut input).unwrap(), Some(a));
        assert!(input.is_empty());
    }
}
