//! Customer partials on their way to the roll-up. Most contact files hold a customer's
//! records together (one row per customer, or a customer's rows adjacent): then every part
//! that reaches here is a whole customer, already in first-line order, and goes into an
//! append-only [`Log`], with no sort at all. Only when an id comes back after another
//! customer's (scattered ids) are the parts moved into the external [`Sorter`], merged by id
//! and put back in first-line order, as before. Both ways give the same customers in the same
//! order, so the outputs do not depend on which one a file takes (issue 11).

use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use super::customers::{ByLine, CustomerPart};
use super::spill::{Log, Sorter};
use crate::history::fnv1a;

/// Ids remembered to tell a new customer from a returning one once ids stop ascending (about
/// 36 MB of hash set); past it, the parts go to the sorter.
const SEEN_CAP: usize = 2 << 20;

/// The customer partials of the stream.
pub(crate) struct Parts {
    /// The run's directory, for spill files.
    dir: PathBuf,
    /// Bytes each spill holds in memory.
    budget: usize,
    /// The customer of the last records pushed, still open to merging.
    open: Option<CustomerPart>,
    /// Where the finished customers are.
    mode: Mode,
}

/// Grouped until an id returns.
enum Mode {
    /// Every customer so far was new: whole customers, in first-line order.
    Grouped {
        /// The finished customers.
        log: Log<CustomerPart>,
        /// How a new id is told from a returning one.
        order: Order,
    },
    /// Ids came back: partials to merge by id.
    Scattered(Sorter<CustomerPart>),
}

/// How the grouped parts tell a new id.
enum Order {
    /// Every record is its own customer (the file has no id column).
    Distinct,
    /// Every id so far was greater than the one before: new means greater than the last.
    /// Needs no memory: sorted exports (the common case) never fill a set.
    Ascending(String),
    /// Ids came in no order: new means not in the set of every id so far (hashes).
    Remembered(FxHashSet<u64>),
}

impl Parts {
    /// Parts whose spill files, if any, go into `dir`; `distinct` when every record is its
    /// own customer (no id column).
    pub(crate) fn new(dir: &Path, budget: usize, distinct: bool) -> Parts {
        let order = if distinct {
            Order::Distinct
        } else {
            Order::Ascending(String::new())
        };
        Parts {
            dir: dir.to_path_buf(),
            budget,
            open: None,
            mode: Mode::Grouped {
                log: Log::new(dir, budget),
                order,
            },
        }
    }

    /// Adds the partial of the next record (or run of records) of the stream.
    pub(crate) fn push(&mut self, part: CustomerPart) -> io::Result<()> {
        match &mut self.open {
            Some(open) if open.id == part.id => {
                open.merge(&part);
                Ok(())
            }
            _ => match self.open.replace(part) {
                Some(done) => self.finish_one(done),
                None => Ok(()),
            },
        }
    }

    /// Files a customer whose records ended (the next record is someone else's).
    fn finish_one(&mut self, done: CustomerPart) -> io::Result<()> {
        if !self.admit(&done.id)? {
            self.scatter()?;
        }
        match &mut self.mode {
            Mode::Grouped { log, .. } => log.push(done),
            Mode::Scattered(s) => s.push(done),
        }
    }

    /// Whether `id`, a customer whose records just ended, is new while the parts are grouped
    /// (remembering it); false when it returns, or when that cannot be told within
    /// [`SEEN_CAP`] ids: then the rest goes to the sorter, slower and never wrong.
    fn admit(&mut self, id: &str) -> io::Result<bool> {
        let Mode::Grouped { log, order } = &mut self.mode else {
            return Ok(true);
        };
        match order {
            Order::Distinct => return Ok(true),
            Order::Ascending(last) if last.is_empty() || last.as_str() < id => {
                last.clear();
                last.push_str(id);
                return Ok(true);
            }
            Order::Ascending(_) => {
                // The first id out of order: remember every id so far, read back from the log.
                if log.len() >= SEEN_CAP as u64 {
                    return Ok(false);
                }
                let old = std::mem::replace(log, Log::new(&self.dir, self.budget));
                let mut seen = FxHashSet::default();
                for part in old.finish()? {
                    let part = part?;
                    seen.insert(fnv1a(part.id.as_bytes()));
                    log.push(part)?;
                }
                *order = Order::Remembered(seen);
            }
            Order::Remembered(_) => {}
        }
        let Order::Remembered(seen) = order else {
            unreachable!("set just above")
        };
        Ok(seen.len() < SEEN_CAP && seen.insert(fnv1a(id.as_bytes())))
    }

    /// Moves the customers filed so far into a sorter: ids no longer come grouped.
    fn scatter(&mut self) -> io::Result<()> {
        let mut sorter = Sorter::new(&self.dir, self.budget);
        if let Mode::Grouped { log, .. } = std::mem::replace(&mut self.mode, Mode::Scattered(Sorter::new(&self.dir, 0)))
        {
            for part in log.finish()? {
                sorter.push(part?)?;
            }
        }
        self.mode = Mode::Scattered(sorter);
        Ok(())
    }

    /// True when the parts came grouped (for tests).
    #[cfg(test)]
    pub(crate) fn grouped(&self) -> bool {
        matches!(self.mode, Mode::Grouped { .. })
    }

    /// Every customer, merged, in order of first line (ties by id).
    pub(crate) fn finish(mut self) -> io::Result<Box<dyn Iterator<Item = io::Result<CustomerPart>>>> {
        if let Some(last) = self.open.take() {
            self.finish_one(last)?;
        }
        match self.mode {
            Mode::Grouped { log, .. } => Ok(Box::new(log.finish()?)),
            Mode::Scattered(sorter) => by_line(sorter, &self.dir, self.budget),
        }
    }
}

/// The scattered way: merge the partials of each id, then order the customers by first line.
fn by_line(
    parts: Sorter<CustomerPart>,
    dir: &Path,
    budget: usize,
) -> io::Result<Box<dyn Iterator<Item = io::Result<CustomerPart>>>> {
    let mut by_line = Sorter::<ByLine>::new(dir, budget);
    let mut current: Option<CustomerPart> = None;
    for part in parts.finish()? {
        let part = part?;
        match &mut current {
            Some(c) if c.id == part.id => c.merge(&part),
            _ => {
                if let Some(done) = current.replace(part) {
                    by_line.push(ByLine(done))?;
                }
            }
        }
    }
    if let Some(done) = current {
        by_line.push(ByLine(done))?;
    }
    Ok(Box::new(by_line.finish()?.map(|c| c.map(|c| c.0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part of customer `id` from the record on `line`, with one number.
    fn part(id: &str, line: u64) -> CustomerPart {
        CustomerPart {
            numbers: 1,
            ..CustomerPart::new(id.to_string(), line)
        }
    }

    /// (id, first line, records, numbers) of every customer, and whether the parts stayed
    /// grouped; `budget` 0 makes every spill go to a file.
    fn roll(ids: &[&str], budget: usize, distinct: bool) -> (Vec<(String, u64, u64, u64)>, bool) {
        let dir = tempfile::tempdir().unwrap();
        let mut parts = Parts::new(dir.path(), budget, distinct);
        for (i, id) in ids.iter().enumerate() {
            parts.push(part(id, i as u64 + 2)).unwrap();
        }
        let grouped = parts.grouped();
        let out = parts
            .finish()
            .unwrap()
            .map(|c| c.map(|c| (c.id, c.first_line, c.records, c.numbers)))
            .collect::<io::Result<Vec<_>>>()
            .unwrap();
        (out, grouped)
    }

    fn customer(id: &str, first_line: u64, records: u64) -> (String, u64, u64, u64) {
        (id.to_string(), first_line, records, records)
    }

    #[test]
    fn grouped_ids_need_no_sort_and_keep_first_line_order() {
        for budget in [0, 1 << 20] {
            // Not ascending: "C" before "A"; a customer's records adjacent.
            let (got, grouped) = roll(&["C", "C", "A", "B", "B", "B"], budget, false);
            assert!(grouped);
            assert_eq!(got, [customer("C", 2, 2), customer("A", 4, 1), customer("B", 5, 3)]);
        }
    }

    #[test]
    fn a_returning_id_falls_back_to_the_sorter_with_the_same_answer() {
        for budget in [0, 1 << 20] {
            let (got, grouped) = roll(&["C", "A", "C", "B", "A"], budget, false);
            assert!(!grouped);
            assert_eq!(got, [customer("C", 2, 2), customer("A", 3, 2), customer("B", 5, 1)]);
        }
    }

    #[test]
    fn scattered_and_grouped_orders_of_one_file_roll_up_alike() {
        // The same customers, their records adjacent or interleaved: the same totals per id.
        let (grouped, g) = roll(&["K1", "K1", "K2", "K3", "K3"], 0, false);
        let (scattered, s) = roll(&["K1", "K3", "K2", "K1", "K3"], 0, false);
        assert!(g && !s);
        let totals = |v: &[(String, u64, u64, u64)]| {
            let mut t: Vec<(String, u64)> = v.iter().map(|c| (c.0.clone(), c.2)).collect();
            t.sort();
            t
        };
        assert_eq!(totals(&grouped), totals(&scattered));
    }

    #[test]
    fn ascending_ids_then_one_out_of_order_still_tell_a_return() {
        for budget in [0, 1 << 20] {
            // Ascending, then "B" (new, out of order: the set is built from the log), then
            // "C" again (a return).
            let (got, grouped) = roll(&["A", "C", "D", "B"], budget, false);
            assert!(grouped);
            assert_eq!(got.len(), 4);
            // (`grouped` is read before the last customer is filed: "E" closes "C".)
            let (got, grouped) = roll(&["A", "C", "D", "B", "C", "E"], budget, false);
            assert!(!grouped);
            assert_eq!(got[1], customer("C", 3, 2));
            // Descending from the start, then a return.
            let (_, grouped) = roll(&["D", "C", "B", "A"], budget, false);
            assert!(grouped);
            let (_, grouped) = roll(&["D", "C", "B", "D", "E"], budget, false);
            assert!(!grouped);
        }
    }

    #[test]
    fn records_without_an_id_column_are_each_a_customer() {
        let ids: Vec<String> = (0..50).map(|i| format!("line {}", i + 2)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (got, grouped) = roll(&ids, 0, true);
        assert!(grouped);
        assert_eq!(got.len(), 50);
        assert!(got.windows(2).all(|w| w[0].1 < w[1].1));
    }
}
