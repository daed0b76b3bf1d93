//! A small external merge sorter, so the audit can group and join with memory independent of
//! input size.
//!
//! The audit groups per-customer partial results and finds phone numbers shared across customers.
//! Both need the rows sorted by a key, and a 10M-row file does not fit the memory target (the
//! whole audit under 100 MB). [`Sorter`] holds values in memory up to a byte budget, then sorts
//! them and writes them to a run file. [`Sorter::finish`] merges the runs into one sorted stream.
//!
//! A run file is a sequence of frames, each a `u32` little-endian length followed by that many
//! bytes of [`Spill::encode`] output. The framing means a value never straddles a read: the
//! reader takes exactly one frame and [`Spill::decode`] sees one whole value. Run files live in
//! the caller's directory (the run's own directory inside `--out`, removed whole on SIGINT or
//! SIGTERM and by the next run if the process was killed) as `.contact-audit-spill-XXXXXX.tmp`,
//! created exclusively under a random name, and are deleted when the sorter or its [`Sorted`]
//! iterator is dropped, error paths included.

mod log;
mod partition;
mod runs;
#[cfg(test)]
mod tests;

use std::io;
use std::iter::FusedIterator;
use std::path::Path;

use rayon::slice::ParallelSliceMut as _;

pub(crate) use log::Log;
pub(crate) use partition::Partitioned;
use runs::{Merge, RunFiles, Sequence, open_run, write_run};

/// Write buffer for one run: large writes keep the spill sequential.
const WRITE_BUFFER: usize = 1 << 20;
/// Read buffer per run during the merge; with [`FAN_IN`] runs this bounds the merge's memory.
const READ_BUFFER: usize = 64 << 10;
/// Most run files merged at once (4 MiB of read buffers, and well below the usual limit of
/// 1024 open files). More runs are first merged in groups into fewer, longer ones.
const FAN_IN: usize = 64;
/// The file name prefix of every run file.
const PREFIX: &str = ".contact-audit-spill-";

/// A value that can be written to and read back from a spill file.
///
/// `Ord` decides the sort order. It may compare only part of the value (a key): the sort is
/// stable, so values with equal keys come back in push order. The encoding must not be empty,
/// since `decode` reports an empty input as the end of input.
pub(crate) trait Spill: Ord + Sized + Send {
    /// Appends the value's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one value from the front of `input`, advancing it; `None` at end of input.
    /// Err on truncated or corrupt data.
    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>>;
    /// Approximate heap + inline size in bytes, for the memory budget.
    fn size(&self) -> usize;
    /// True when `Ord` compares the whole value, so that values it calls equal are the same
    /// and an unstable sort (faster: no buffer, no merge passes) gives the stable order.
    const WHOLE_ORDER: bool = false;
}

/// Appends `v` as 8 little-endian bytes.
pub(crate) fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Reads a `u64` written by [`put_u64`] from the front of `input`.
pub(crate) fn get_u64(input: &mut &[u8]) -> io::Result<u64> {
    let bytes = take(input, 8)?;
    Ok(u64::from_le_bytes(
        bytes.try_into().expect("take returns exactly 8 bytes"),
    ))
}

/// Appends `v` as an unsigned LEB128 varint: 1 byte below 128, at most 10. Counts, line
/// numbers and lengths are small, and every byte spilled is written and read back once.
pub(crate) fn put_varint(out: &mut Vec<u8>, v: u64) {
    leb128::write::unsigned(out, v).expect("a Vec takes every byte");
}

/// Reads a varint written by [`put_varint`] from the front of `input`.
pub(crate) fn get_varint(input: &mut &[u8]) -> io::Result<u64> {
    leb128::read::unsigned(input).map_err(|e| match e {
        leb128::read::Error::IoError(e) => io::Error::new(e.kind(), "spilled value truncated inside a varint"),
        leb128::read::Error::Overflow => io::Error::new(io::ErrorKind::InvalidData, "spilled varint past 64 bits"),
    })
}

/// Appends `s` as a varint byte length followed by its UTF-8 bytes.
///
/// # Panics
/// When `s` is 4 GiB or longer, which no contact-file cell is.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// Appends `bytes` as [`put_str`] does a string's.
///
/// # Panics
/// When `bytes` is 4 GiB or longer.
pub(crate) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).expect("spilled string shorter than 4 GiB");
    put_varint(out, u64::from(len));
    out.extend_from_slice(bytes);
}

/// Reads a string written by [`put_str`] from the front of `input`.
pub(crate) fn get_str(input: &mut &[u8]) -> io::Result<String> {
    let bytes = get_bytes(input)?;
    String::from_utf8(bytes.to_vec()).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Reads the bytes of a string written by [`put_str`] from the front of `input`, borrowed.
pub(crate) fn get_bytes<'a>(input: &mut &'a [u8]) -> io::Result<&'a [u8]> {
    let len = get_varint(input)?;
    let len =
        usize::try_from(len).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "spilled length too large"))?;
    take(input, len)
}

/// Splits `n` bytes off the front of `input`, or fails without advancing it.
fn take<'a>(input: &mut &'a [u8], n: usize) -> io::Result<&'a [u8]> {
    if input.len() < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("spilled value truncated: needs {n} bytes, {} left", input.len()),
        ));
    }
    let (head, rest) = input.split_at(n);
    *input = rest;
    Ok(head)
}

/// Collects values, sorts them in memory, and spills sorted runs to files in `dir` when the
/// memory budget is exceeded; `finish` returns one sorted iterator over everything.
///
/// Peak memory is about twice the budget: the `Vec` grows by doubling, the stable sort takes a
/// buffer of half the held values, and `size()` does not see allocator overhead. (Measured: 10M
/// values of 40 bytes plus an 11-byte string, budget 32 MiB: 60 MB peak RSS; budget 1 MiB: 9 MB.)
///
/// After an error from [`push`](Sorter::push) the sorter has lost values; drop it.
pub(crate) struct Sorter<T: Spill> {
    /// Values not yet spilled, in push order.
    values: Vec<T>,
    /// Sum of `size()` over `values`.
    held: usize,
    /// Bytes of values held before a run is spilled.
    budget: usize,
    /// Values pushed so far.
    len: u64,
    /// Encoding buffer, reused for every value written.
    scratch: Vec<u8>,
    /// The runs written so far, oldest first.
    runs: RunFiles,
}

impl<T: Spill> Sorter<T> {
    /// `dir`: where run files go (the run's directory; files are named
    /// `.contact-audit-spill-XXXXXX.tmp` and removed when the iterator is dropped, also on
    /// error paths); `budget`: bytes of values held in memory before a run is spilled.
    pub(crate) fn new(dir: &Path, budget: usize) -> Sorter<T> {
        Sorter {
            values: Vec::new(),
            held: 0,
            budget,
            len: 0,
            scratch: Vec::new(),
            runs: RunFiles {
                dir: dir.to_path_buf(),
                paths: Vec::new(),
            },
        }
    }

    /// Adds `value`; writes a run file when the values held exceed the budget.
    pub(crate) fn push(&mut self, value: T) -> io::Result<()> {
        self.held = self.held.saturating_add(value.size());
        self.values.push(value);
        self.len += 1;
        if self.held > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Reserves room for `n` more values, but no more than the budget holds, judged by the
    /// size of `sample`: a sorter that knows its input avoids the copies of growing by
    /// doubling.
    pub(crate) fn reserve_within_budget(&mut self, n: usize, sample: Option<&T>) {
        if let Some(sample) = sample {
            let fits = self.budget / sample.size().max(1) + 1;
            self.values.reserve(n.min(fits));
        }
    }

    /// Number of values pushed.
    #[cfg(test)]
    fn len(&self) -> u64 {
        self.len
    }

    /// True when at least one run went to disk.
    #[cfg(test)]
    fn spilled(&self) -> bool {
        !self.runs.paths.is_empty()
    }

    /// All values in ascending order (a stable k-way merge; equal values from earlier runs
    /// first). Without a spill this only sorts in memory and touches no file.
    pub(crate) fn finish(self) -> io::Result<Sorted<T>> {
        let Sorter {
            mut values,
            mut scratch,
            mut runs,
            ..
        } = self;
        sort(&mut values);
        runs.compact::<T>(&mut scratch)?;
        let mut sources = runs.paths.iter().map(|p| open_run(p)).collect::<io::Result<Vec<_>>>()?;
        // The values still in memory were pushed last, so they take the last run index.
        sources.push(Sequence::Memory(values.into_iter()));
        Ok(Sorted {
            merge: Merge::new(sources)?,
            failed: false,
            _runs: runs,
        })
    }

    /// Sorts the held values and writes them as one run.
    fn spill(&mut self) -> io::Result<()> {
        sort(&mut self.values);
        let (path, file) = self.runs.create()?;
        write_run(&path, file, self.values.drain(..).map(Ok), &mut self.scratch)?;
        self.held = 0;
        Ok(())
    }
}

/// Sorts held values, in parallel on the audit's pool (the main thread would otherwise sort
/// alone): stable, unless the order compares whole values.
fn sort<T: Spill>(values: &mut [T]) {
    if T::WHOLE_ORDER {
        values.par_sort_unstable();
    } else {
        values.par_sort();
    }
}

/// The merged, sorted values. Iterating yields `io::Result<T>`; after the first error it ends.
/// Dropping it deletes the run files.
pub(crate) struct Sorted<T: Spill> {
    merge: Merge<T>,
    failed: bool,
    /// Held only to delete the files on drop. Declared after `merge` so the readers close
    /// before the files are deleted.
    _runs: RunFiles,
}

impl<T: Spill> Iterator for Sorted<T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        if self.failed {
            return None;
        }
        let next = self.merge.next().transpose();
        self.failed = matches!(next, Some(Err(_)));
        next
    }
}

impl<T: Spill> FusedIterator for Sorted<T> {}

/// Hands each run of consecutive equal-key values of a sorted iterator to `f`, as one slice
/// (the buffer is reused: no allocation per group). The key must order like (a prefix of)
/// the values' `Ord`, or equal keys are not adjacent and come as separate groups. The first
/// error from `iter` ends it.
pub(crate) fn for_each_group<T, K, I, F, G>(iter: I, mut key: F, mut f: G) -> io::Result<()>
where
    K: PartialEq,
    I: Iterator<Item = io::Result<T>>,
    F: FnMut(&T) -> K,
    G: FnMut(&[T]),
{
    let mut group: Vec<T> = Vec::new();
    let mut current: Option<K> = None;
    for item in iter {
        let value = item?;
        let k = key(&value);
        if current.as_ref().is_some_and(|c| *c != k) {
            f(&group);
            group.clear();
        }
        current = Some(k);
        group.push(value);
    }
    if !group.is_empty() {
        f(&group);
    }
    Ok(())
}
