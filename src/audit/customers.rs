//! The customer roll-up: each record contributes a partial (its numbers counted by relation
//! and verdict); partials of the same customer id are merged, wherever the records stand in
//! the file, through the external sorter, so memory does not grow with the portfolio.

use std::io;

use super::spill::{Spill, get_str, get_varint, put_str, put_varint};
use crate::history::policy::{Action, Decision, Status};
use crate::input::columns::Relation;
use crate::phone::{Issue, IssueSet, Kind, Verdict};
use crate::report::KINDS;

/// What to do next with a number: the action and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Next {
    /// The action.
    pub(crate) action: Action,
    /// The slot (index into the policy's slots) of a retry.
    pub(crate) slot: Option<u8>,
    /// The day a `retry_later` may call again from.
    pub(crate) after_day: Option<u16>,
}

impl Next {
    fn of(d: &Decision) -> Next {
        Next {
            action: d.action,
            slot: d.slot,
            after_day: d.after_day,
        }
    }

    /// The ranking: the most hopeful action first, then the earliest slot and day; a retry
    /// without a slot ranks after one with a slot.
    fn rank(self) -> (Action, u8, u16) {
        (self.action, self.slot.unwrap_or(u8::MAX), self.after_day.unwrap_or(0))
    }
}

/// The best-ranked of a customer's own and family numbers: its status and its next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Best {
    /// Its status.
    pub(crate) status: Status,
    /// What to do with it.
    pub(crate) next: Next,
}

impl Best {
    fn rank(&self) -> (u8, (Action, u8, u16)) {
        (customer_rank(self.status), self.next.rank())
    }
}

/// How a number's status ranks for its customer, best first. Empty comes last: a customer is
/// empty only when every own and family number is empty or invalid, so a valid number not yet
/// dialled, or one with only unknown outcomes, keeps the customer open.
fn customer_rank(status: Status) -> u8 {
    match status {
        Status::Reached => 0,
        Status::NoAnswer => 1,
        Status::PoweredOff => 2,
        Status::Unknown => 3,
        Status::NeverCalled => 4,
        Status::Empty => 5,
    }
}

/// The better of two candidates by `rank`, where none is worse than any.
fn better<T: Copy, K: Ord>(a: Option<T>, b: Option<T>, rank: impl Fn(&T) -> K) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if rank(&y) < rank(&x) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// One customer's counts, from one record or merged from several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CustomerPart {
    /// The customer id.
    pub(crate) id: String,
    /// The first line the customer appears on.
    pub(crate) first_line: u64,
    /// Records merged.
    pub(crate) records: u64,
    /// Numbers found (all relations).
    pub(crate) numbers: u64,
    /// Numbers not judged invalid, by relation: own, family, contact.
    pub(crate) valid: [u64; 3],
    /// Own valid landlines.
    pub(crate) landlines: u64,
    /// Kinds seen among valid numbers, as a bit set of `Kind as u8`.
    pub(crate) kinds: u64,
    /// With a history: the best own or family number's status and next step.
    pub(crate) best: Option<Best>,
    /// The best status among the emergency contacts' numbers, counted apart.
    pub(crate) contact_best: Option<Status>,
    /// The most hopeful next step among own and family numbers, whatever their status.
    pub(crate) open: Option<Next>,
}

impl CustomerPart {
    /// A partial for customer `id` first seen on `line`.
    pub(crate) fn new(id: String, line: u64) -> CustomerPart {
        CustomerPart {
            id,
            first_line: line,
            records: 1,
            ..CustomerPart::default()
        }
    }

    /// Counts one number of the customer's.
    pub(crate) fn add(&mut self, relation: Relation, kind: Kind, issues: IssueSet) {
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

    /// Takes in the history's decision on one of the customer's numbers.
    pub(crate) fn add_status(&mut self, relation: Relation, d: &Decision) {
        if relation == Relation::Contact {
            self.contact_best = better(self.contact_best, Some(d.status), |s| customer_rank(*s));
            return;
        }
        let next = Next::of(d);
        self.best = better(self.best, Some(Best { status: d.status, next }), Best::rank);
        self.open = better(self.open, Some(next), |n| n.rank());
    }

    /// The customer's status: that of the best own or family number (empty when none).
    pub(crate) fn status(&self) -> Status {
        self.best.map_or(Status::Empty, |b| b.status)
    }

    /// Merges another partial of the same customer.
    pub(crate) fn merge(&mut self, o: &CustomerPart) {
        self.best = better(self.best, o.best, Best::rank);
        self.contact_best = better(self.contact_best, o.contact_best, |s| customer_rank(*s));
        self.open = better(self.open, o.open, |n| n.rank());
        self.first_line = self.first_line.min(o.first_line);
        self.records += o.records;
        self.numbers += o.numbers;
        for (a, b) in self.valid.iter_mut().zip(o.valid) {
            *a += b;
        }
        self.landlines += o.landlines;
        self.kinds |= o.kinds;
    }

    /// Valid own and family numbers.
    pub(crate) fn own_and_family(&self) -> u64 {
        self.valid[Relation::Own as usize] + self.valid[Relation::Family as usize]
    }

    /// The customer-level issues.
    pub(crate) fn issues(&self) -> IssueSet {
        let mut set = IssueSet::EMPTY;
        if self.own_and_family() == 0 {
            set.insert(Issue::CustomerNoValidNumber);
        }
        if self.landlines == 0 {
            set.insert(Issue::CustomerNoLandline);
        }
        set
    }

    /// The kinds seen, as `mobile;landline`.
    pub(crate) fn kinds_text(&self) -> String {
        KINDS
            .iter()
            .filter(|k| self.kinds & (1 << **k as u8) != 0)
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
}

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
        // Varints: the counts are small, and a customer's frame shrinks from 90 bytes to
        // about 25, the bytes the roll-up writes and reads back (issue 11).
        put_str(out, &self.id);
        for v in [
            self.first_line,
            self.records,
            self.numbers,
            self.valid[0],
            self.valid[1],
            self.valid[2],
            self.landlines,
            self.kinds,
            pack(self),
        ] {
            put_varint(out, v);
        }
    }

    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        let id = get_str(input)?;
        let mut v = [0u64; 9];
        for slot in &mut v {
            *slot = get_varint(input)?;
        }
        let mut part = CustomerPart {
            id,
            first_line: v[0],
            records: v[1],
            numbers: v[2],
            valid: [v[3], v[4], v[5]],
            landlines: v[6],
            kinds: v[7],
            ..CustomerPart::default()
        };
        unpack(&mut part, v[8])?;
        Ok(Some(part))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.id.len()
    }
}

/// A merged customer, re-sorted by the line it first appears on so customers.csv follows the
/// input's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ByLine(pub(crate) CustomerPart);

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

/// The history part of a partial in one word, for the spill file: per step 1 presence bit,
/// action (3 bits), slot (8 bits, `u8::MAX` none), day (16 bits, 0 none); then the best
/// status (4 bits, 15 none) and the contacts' best status (4 bits).
fn pack(c: &CustomerPart) -> u64 {
    let step = |n: Option<Next>| {
        n.map_or(0, |n| {
            1 | u64::from(n.action as u8) << 1
                | u64::from(n.slot.unwrap_or(u8::MAX)) << 4
                | u64::from(n.after_day.unwrap_or(0)) << 12
        })
    };
    let status = |s: Option<Status>| s.map_or(15, |s| s as u64);
    step(c.best.map(|b| b.next))
        | step(c.open) << 28
        | status(c.best.map(|b| b.status)) << 56
        | status(c.contact_best) << 60
}

fn unpack(c: &mut CustomerPart, word: u64) -> io::Result<()> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "corrupt customer partial in spill file");
    let step = |bits: u64| -> io::Result<Option<Next>> {
        if bits & 1 == 0 {
            return Ok(None);
        }
        let action = *Action::ALL.get((bits >> 1 & 7) as usize).ok_or_else(bad)?;
        let slot = (bits >> 4 & 0xff) as u8;
        let day = (bits >> 12 & 0xffff) as u16;
        Ok(Some(Next {
            action,
            slot: (slot != u8::MAX).then_some(slot),
            after_day: (day != 0).then_some(day),
        }))
    };
    let status = |bits: u64| -> io::Result<Option<Status>> {
        match bits & 15 {
            15 => Ok(None),
            i => Status::ALL.get(i as usize).copied().map(Some).ok_or_else(bad),
        }
    };
    let best = step(word & 0xfff_ffff)?;
    c.open = step(word >> 28 & 0xfff_ffff)?;
    c.contact_best = status(word >> 60)?;
    c.best = match (status(word >> 56)?, best) {
        (Some(status), Some(next)) => Some(Best { status, next }),
        (None, None) => None,
        _ => return Err(bad()),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::policy::Fine;

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

    #[test]
    fn history_steps_survive_the_spill_file() {
        let mut a = CustomerPart::new("KH3".into(), 5);
        let retry = Decision {
            status: Status::NoAnswer,
            fine: Fine::NoAnswer,
            action: Action::Retry,
            slot: Some(2),
            after_day: None,
        };
        let later = Decision {
            status: Status::PoweredOff,
            fine: Fine::Suspended,
            action: Action::RetryLater,
            slot: None,
            after_day: Some(9_800),
        };
        a.add_status(Relation::Own, &later);
        a.add_status(Relation::Family, &retry);
        a.add_status(Relation::Contact, &later);
        assert_eq!(a.status(), Status::NoAnswer);
        assert_eq!(a.open.map(|n| n.action), Some(Action::Retry));
        assert_eq!(a.contact_best, Some(Status::PoweredOff));
        let mut buf = Vec::new();
        a.encode(&mut buf);
        let mut input = &buf[..];
        assert_eq!(CustomerPart::decode(&mut input).unwrap(), Some(a));
    }
}
