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
//! the caller's directory (the audit's output directory, which is known to be writable) as
//! `.contact-audit-spill-<pid>-<n>.tmp`, and are deleted when the sorter or its [`Sorted`]
//! iterator is dropped, error paths included.

use rayon::slice::ParallelSliceMut as _;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::iter::FusedIterator;
use std::path::{Path, PathBuf};
use std::sync::atomic::{self, AtomicU64};

/// Write buffer for one run: large writes keep the spill sequential.
const WRITE_BUFFER: usize = 1 << 20;
/// Read buffer per run during the merge; with [`FAN_IN`] runs this bounds the merge's memory.
const READ_BUFFER: usize = 64 << 10;
/// Most run files merged at once (4 MiB of read buffers, and well below the usual limit of
/// 1024 open files). More runs are first merged in groups into fewer, longer ones.
const FAN_IN: usize = 64;
/// The file name prefix of every run file.
const PREFIX: &str = ".contact-audit-spill-";

/// Numbers run files uniquely within the process, across all sorters sharing a directory.
static NEXT_RUN: AtomicU64 = AtomicU64::new(0);

/// A value that can be written to and read back from a spill file.
///
/// `Ord` decides the sort order. It may compare only part of the value (a key): the sort is
/// stable, so values with equal keys come back in push order. The encoding must not be empty,
/// since `decode` reports an empty input as the end of input.
pub trait Spill: Ord + Sized + Send {
    /// Appends the value's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one value from the front of `input`, advancing it; `None` at end of input.
    /// Err on truncated or corrupt data.
    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>>;
    /// Approximate heap + inline size in bytes, for the memory budget.
    fn size(&self) -> usize;
}

/// Appends `v` as 8 little-endian bytes.
pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Reads a `u64` written by [`put_u64`] from the front of `input`.
pub fn get_u64(input: &mut &[u8]) -> io::Result<u64> {
    let bytes = take(input, 8)?;
    Ok(u64::from_le_bytes(
        bytes.try_into().expect("take returns exactly 8 bytes"),
    ))
}

/// Appends `s` as a `u32` little-endian byte length followed by its UTF-8 bytes.
///
/// # Panics
/// When `s` is 4 GiB or longer, which no contact-file cell is.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    let len = u32::try_from(s.len()).expect("spilled string shorter than 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Reads a string written by [`put_str`] from the front of `input`.
pub fn get_str(input: &mut &[u8]) -> io::Result<String> {
    let len = take(input, 4)?;
    let len = u32::from_le_bytes(len.try_into().expect("take returns exactly 4 bytes"));
    let bytes = take(input, len as usize)?;
    String::from_utf8(bytes.to_vec()).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
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
pub struct Sorter<T: Spill> {
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
    /// `dir`: where run files go (the audit's output directory; files are named
    /// `.contact-audit-spill-<pid>-<n>.tmp` and removed when the iterator is dropped, also on
    /// error paths); `budget`: bytes of values held in memory before a run is spilled.
    pub fn new(dir: &Path, budget: usize) -> Sorter<T> {
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
    pub fn push(&mut self, value: T) -> io::Result<()> {
        self.held = self.held.saturating_add(value.size());
        self.values.push(value);
        self.len += 1;
        if self.held > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Number of values pushed.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when no value was pushed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when at least one run went to disk.
    pub fn spilled(&self) -> bool {
        !self.runs.paths.is_empty()
    }

    /// All values in ascending order (a stable k-way merge; equal values from earlier runs
    /// first). Without a spill this only sorts in memory and touches no file.
    pub fn finish(self) -> io::Result<Sorted<T>> {
        let Sorter {
            mut values,
            mut scratch,
            mut runs,
            ..
        } = self;
        values.par_sort();
        runs.compact::<T>(&mut scratch)?;
        let mut sources = runs.paths.iter().map(|p| open_run(p)).collect::<io::Result<Vec<_>>>()?;
        // The values still in memory were pushed last, so they take the last run index.
        sources.push(Source::Memory(values.into_iter()));
        Ok(Sorted {
            merge: Merge::new(sources)?,
            failed: false,
            _runs: runs,
        })
    }

    /// Sorts the held values and writes them as one run.
    fn spill(&mut self) -> io::Result<()> {
        // Stable, and parallel on the audit's pool: the main thread would otherwise sort alone.
        self.values.par_sort();
        let (path, file) = self.runs.create()?;
        write_run(&path, file, self.values.drain(..).map(Ok), &mut self.scratch)?;
        self.held = 0;
        Ok(())
    }
}

/// The merged, sorted values. Iterating yields `io::Result<T>`; after the first error it ends.
/// Dropping it deletes the run files.
pub struct Sorted<T: Spill> {
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

/// Groups consecutive equal-key values of a sorted iterator: `groups(sorted, |v| key(v))` yields
/// `io::Result<Vec<T>>` per group. The key must order like (a prefix of) the values' `Ord`, or
/// equal keys are not adjacent and come back as separate groups.
pub fn groups<T, K: PartialEq, I: Iterator<Item = io::Result<T>>, F: FnMut(&T) -> K>(
    iter: I,
    key: F,
) -> Groups<I, F, K, T> {
    Groups {
        iter,
        key,
        pending: None,
    }
}

/// The iterator of [`groups`]: one `Vec` per run of equal keys; an error ends it.
pub struct Groups<I, F, K, T> {
    iter: I,
    key: F,
    /// The first value of the next group, read while finding the end of the last one.
    pending: Option<(K, T)>,
}

impl<T, K: PartialEq, I: Iterator<Item = io::Result<T>>, F: FnMut(&T) -> K> Iterator for Groups<I, F, K, T> {
    type Item = io::Result<Vec<T>>;

    fn next(&mut self) -> Option<io::Result<Vec<T>>> {
        let (key, first) = match self.pending.take() {
            Some(pending) => pending,
            None => match self.iter.next()? {
                Ok(v) => ((self.key)(&v), v),
                Err(e) => return Some(Err(e)),
            },
        };
        let mut group = vec![first];
        for item in self.iter.by_ref() {
            let v = match item {
                Ok(v) => v,
                Err(e) => return Some(Err(e)),
            };
            let k = (self.key)(&v);
            if k != key {
                self.pending = Some((k, v));
                break;
            }
            group.push(v);
        }
        Some(Ok(group))
    }
}

/// The run files of one sort, oldest run first. Dropping it deletes them, so no error path
/// leaves files behind in the user's output directory.
struct RunFiles {
    dir: PathBuf,
    paths: Vec<PathBuf>,
}

impl RunFiles {
    /// Creates a new, empty run file and records it for deletion before anything is written.
    fn create(&mut self) -> io::Result<(PathBuf, File)> {
        let mut attempts = 0;
        loop {
            let n = NEXT_RUN.fetch_add(1, atomic::Ordering::Relaxed);
            let path = self.dir.join(format!("{PREFIX}{}-{n}.tmp", std::process::id()));
            // `create_new` so a stale file of a crashed run with the same pid is never reused.
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    self.paths.push(path.clone());
                    return Ok((path, file));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => attempts += 1,
                Err(e) => return Err(with_path(&path, &e)),
            }
        }
    }

    /// Merges groups of [`FAN_IN`] consecutive runs until at most `FAN_IN` are left, so the
    /// final merge has bounded read buffers and open files however many runs were spilled.
    /// Merging neighbours keeps the runs in push order, so the sort stays stable.
    fn compact<T: Spill>(&mut self, scratch: &mut Vec<u8>) -> io::Result<()> {
        while self.paths.len() > FAN_IN {
            let old = self.paths.clone();
            let mut merged = Vec::with_capacity(old.len().div_ceil(FAN_IN));
            for chunk in old.chunks(FAN_IN) {
                let sources = chunk.iter().map(|p| open_run(p)).collect::<io::Result<Vec<_>>>()?;
                let mut merge = Merge::<T>::new(sources)?;
                // `create` appends to `paths`, so a failure below still deletes the new file.
                let (path, file) = self.create()?;
                write_run(&path, file, std::iter::from_fn(|| merge.next().transpose()), scratch)?;
                drop(merge);
                for p in chunk {
                    fs::remove_file(p).map_err(|e| with_path(p, &e))?;
                }
                merged.push(path);
            }
            self.paths = merged;
        }
        Ok(())
    }
}

impl Drop for RunFiles {
    fn drop(&mut self) {
        for path in &self.paths {
            // Best effort: a file already removed (or never fully made) is not an error here.
            let _ = fs::remove_file(path);
        }
    }
}

/// Writes `values` to `file` as length-prefixed frames.
fn write_run<T: Spill>(
    path: &Path,
    file: File,
    values: impl Iterator<Item = io::Result<T>>,
    scratch: &mut Vec<u8>,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
    for value in values {
        write_frame(&mut out, &value?, scratch).map_err(|e| with_path(path, &e))?;
    }
    out.into_inner().map_err(|e| with_path(path, e.error()))?;
    Ok(())
}

/// Writes one value as a `u32` little-endian length and its encoding.
fn write_frame<T: Spill>(out: &mut impl Write, value: &T, scratch: &mut Vec<u8>) -> io::Result<()> {
    scratch.clear();
    value.encode(scratch);
    let len = u32::try_from(scratch.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "spilled value of 4 GiB or more"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(scratch)
}

/// Reads one frame into `frame` and decodes it; `None` at a clean end of the run.
fn read_frame<T: Spill>(reader: &mut impl BufRead, frame: &mut Vec<u8>) -> io::Result<Option<T>> {
    if reader.fill_buf()?.is_empty() {
        return Ok(None);
    }
    let mut len = [0; 4];
    reader
        .read_exact(&mut len)
        .map_err(|e| io::Error::new(e.kind(), "spill run truncated inside a frame length"))?;
    let len = u32::from_le_bytes(len);
    frame.clear();
    // `take` + `read_to_end` grows the buffer only as bytes arrive, so a corrupt length
    // cannot make us allocate 4 GiB up front.
    Read::by_ref(reader).take(u64::from(len)).read_to_end(frame)?;
    if frame.len() != len as usize {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("spill run truncated: frame of {len} bytes has {}", frame.len()),
        ));
    }
    let mut input = &frame[..];
    match T::decode(&mut input)? {
        Some(value) if input.is_empty() => Ok(Some(value)),
        Some(_) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "spill frame has trailing bytes",
        )),
        None => Err(io::Error::new(io::ErrorKind::InvalidData, "empty spill frame")),
    }
}

/// Adds the file's path to an I/O error, keeping its kind.
fn with_path(path: &Path, e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("spill file {}: {e}", path.display()))
}

/// Opens a run file for the merge.
fn open_run<T>(path: &Path) -> io::Result<Source<T>> {
    let file = File::open(path).map_err(|e| with_path(path, &e))?;
    Ok(Source::File {
        path: path.to_path_buf(),
        reader: BufReader::with_capacity(READ_BUFFER, file),
    })
}

/// One sorted input of the merge.
enum Source<T> {
    /// The last values pushed, sorted but never spilled.
    Memory(std::vec::IntoIter<T>),
    /// A run file.
    File { path: PathBuf, reader: BufReader<File> },
}

impl<T: Spill> Source<T> {
    fn next(&mut self, frame: &mut Vec<u8>) -> io::Result<Option<T>> {
        match self {
            Source::Memory(values) => Ok(values.next()),
            Source::File { path, reader } => read_frame(reader, frame).map_err(|e| with_path(path, &e)),
        }
    }
}

/// The smallest unread value of one source. Ordered reversed, so the max-heap `BinaryHeap`
/// pops the smallest value, and among equal values the one from the earliest run.
struct Head<T> {
    value: T,
    run: usize,
}

impl<T: Ord> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.value.cmp(&self.value).then_with(|| other.run.cmp(&self.run))
    }
}

impl<T: Ord> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T: Ord> Eq for Head<T> {}

/// A k-way merge of sorted sources, holding one value per source.
struct Merge<T> {
    sources: Vec<Source<T>>,
    heap: BinaryHeap<Head<T>>,
    /// Frame buffer shared by all file sources: only one value is read at a time.
    frame: Vec<u8>,
}

impl<T: Spill> Merge<T> {
    /// Reads the first value of every source.
    fn new(mut sources: Vec<Source<T>>) -> io::Result<Self> {
        let mut heap = BinaryHeap::with_capacity(sources.len());
        let mut frame = Vec::new();
        for (run, source) in sources.iter_mut().enumerate() {
            if let Some(value) = source.next(&mut frame)? {
                heap.push(Head { value, run });
            }
        }
        Ok(Merge { sources, heap, frame })
    }

    /// The smallest remaining value, replacing it in the heap with its source's next one.
    fn next(&mut self) -> io::Result<Option<T>> {
        let Some(Head { value, run }) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.sources[run].next(&mut self.frame)? {
            self.heap.push(Head { value: next, run });
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Orders on `key` only; `seq` records push order, to check stability.
    #[derive(Debug, Clone, Copy)]
    struct Keyed {
        key: u32,
        seq: u32,
    }

    impl PartialEq for Keyed {
        fn eq(&self, other: &Self) -> bool {
            self.key == other.key
        }
    }
    impl Eq for Keyed {}
    impl PartialOrd for Keyed {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Keyed {
        fn cmp(&self, other: &Self) -> Ordering {
            self.key.cmp(&other.key)
        }
    }

    impl Spill for Keyed {
        fn encode(&self, out: &mut Vec<u8>) {
            put_u64(out, u64::from(self.key) << 32 | u64::from(self.seq));
        }
        fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
            if input.is_empty() {
                return Ok(None);
            }
            let v = get_u64(input)?;
            Ok(Some(Keyed {
                key: (v >> 32) as u32,
                seq: v as u32,
            }))
        }
        fn size(&self) -> usize {
            size_of::<Self>()
        }
    }

    /// A phone number and the customer listing it, as the shared-number join sorts them.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    struct Listing {
        phone: String,
        customer: u64,
    }

    impl Spill for Listing {
        fn encode(&self, out: &mut Vec<u8>) {
            put_str(out, &self.phone);
            put_u64(out, self.customer);
        }
        fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
            if input.is_empty() {
                return Ok(None);
            }
            let phone = get_str(input)?;
            let customer = get_u64(input)?;
            Ok(Some(Listing { phone, customer }))
        }
        fn size(&self) -> usize {
            size_of::<Self>() + self.phone.capacity()
        }
    }

    /// `n` values with keys in 0..100 in a scrambled order, `seq` = push order.
    fn scrambled(n: u32) -> Vec<Keyed> {
        (0..n)
            .map(|seq| Keyed {
                key: (seq.wrapping_mul(2_654_435_761) >> 7) % 100,
                seq,
            })
            .collect()
    }

    fn sort_through(dir: &Path, values: &[Keyed], budget: usize) -> (Vec<(u32, u32)>, usize) {
        let mut sorter = Sorter::new(dir, budget);
        for v in values {
            sorter.push(*v).unwrap();
        }
        assert_eq!(sorter.len(), values.len() as u64);
        let stream = sorter.finish().unwrap();
        let runs = spill_files(dir).len();
        let out = stream
            .map(|v| v.map(|v| (v.key, v.seq)))
            .collect::<io::Result<_>>()
            .unwrap();
        (out, runs)
    }

    /// What a plain stable sort gives.
    fn expected(values: &[Keyed]) -> Vec<(u32, u32)> {
        let mut plain = values.to_vec();
        plain.sort();
        plain.iter().map(|v| (v.key, v.seq)).collect()
    }

    fn spill_files(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with(PREFIX))
            .collect()
    }

    #[test]
    fn sorts_in_memory_without_files() {
        let dir = tempfile::tempdir().unwrap();
        let values = scrambled(1000);
        let mut sorter = Sorter::new(dir.path(), usize::MAX);
        for v in &values {
            sorter.push(*v).unwrap();
        }
        assert!(!sorter.spilled());
        let stream = sorter.finish().unwrap();
        assert!(spill_files(dir.path()).is_empty());
        let out: Vec<_> = stream
            .map(|v| v.map(|v| (v.key, v.seq)))
            .collect::<io::Result<_>>()
            .unwrap();
        assert_eq!(out, expected(&values));
    }

    #[test]
    fn many_spilled_runs_sort_stably() {
        let dir = tempfile::tempdir().unwrap();
        let values = scrambled(10_000);
        // A run closes when its 160th value pushes it past the budget: 62 runs + 80 in memory.
        let (out, runs) = sort_through(dir.path(), &values, 159 * size_of::<Keyed>());
        assert!((50..=FAN_IN).contains(&runs), "{runs} runs");
        assert_eq!(out, expected(&values));
        assert!(spill_files(dir.path()).is_empty());
    }

    #[test]
    fn runs_beyond_fan_in_are_compacted_stably() {
        let dir = tempfile::tempdir().unwrap();
        let values = scrambled(3000);
        // Runs of 3 values: 1000 runs, merged in groups of 64 into 16.
        let (out, runs) = sort_through(dir.path(), &values, 2 * size_of::<Keyed>());
        assert_eq!(runs, 1000_usize.div_ceil(FAN_IN));
        assert_eq!(out, expected(&values));
        assert!(spill_files(dir.path()).is_empty());
    }

    #[test]
    fn run_files_live_until_sorted_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = Sorter::new(dir.path(), 0);
        for v in scrambled(5) {
            sorter.push(v).unwrap();
        }
        assert!(sorter.spilled());
        assert_eq!(spill_files(dir.path()).len(), 5);
        let pid = format!("{PREFIX}{}-", std::process::id());
        assert!(spill_files(dir.path()).iter().all(|n| {
            n.strip_prefix(&pid)
                .and_then(|n| n.strip_suffix(".tmp"))
                .is_some_and(|n| n.parse::<u64>().is_ok())
        }));
        let mut stream = sorter.finish().unwrap();
        stream.next().unwrap().unwrap();
        assert_eq!(spill_files(dir.path()).len(), 5, "files are read during the merge");
        drop(stream);
        assert!(spill_files(dir.path()).is_empty());
    }

    #[test]
    fn dropping_an_unfinished_sorter_removes_its_runs() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = Sorter::new(dir.path(), 0);
        sorter.push(Keyed { key: 1, seq: 0 }).unwrap();
        assert_eq!(spill_files(dir.path()).len(), 1);
        drop(sorter);
        assert!(spill_files(dir.path()).is_empty());
    }

    #[test]
    fn empty_sorter_yields_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let sorter = Sorter::<Keyed>::new(dir.path(), 0);
        assert!(sorter.is_empty());
        assert!(!sorter.spilled());
        assert_eq!(sorter.finish().unwrap().count(), 0);
    }

    #[test]
    fn strings_round_trip_through_runs() {
        let dir = tempfile::tempdir().unwrap();
        let phones = [
            "13800138000",
            "",
            "010-6552 9988",
            "电话：13912345678",
            "0755 8888 6666",
        ];
        let values: Vec<Listing> = (0..500u64)
            .map(|i| Listing {
                phone: phones[(i * 7 % 5) as usize].to_string(),
                customer: i % 13,
            })
            .collect();
        let mut sorter = Sorter::new(dir.path(), 4096);
        for v in values.clone() {
            sorter.push(v).unwrap();
        }
        assert!(sorter.spilled());
        let out: Vec<Listing> = sorter.finish().unwrap().collect::<io::Result<_>>().unwrap();
        let mut plain = values;
        plain.sort();
        assert_eq!(out, plain);
    }

    #[test]
    fn groups_collects_equal_keys() {
        let listings = [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5), ("c", 6)].map(|(p, c)| Listing {
            phone: p.to_string(),
            customer: c,
        });
        let grouped: Vec<Vec<u64>> = groups(listings.into_iter().map(Ok), |l: &Listing| l.phone.clone())
            .map(|g| g.unwrap().iter().map(|l| l.customer).collect())
            .collect();
        assert_eq!(grouped, [vec![1, 2], vec![3], vec![4, 5, 6]]);
        assert_eq!(groups(std::iter::empty::<io::Result<u8>>(), |v| *v).count(), 0);
    }

    #[test]
    fn groups_passes_errors_on() {
        let items = vec![Ok(1), Ok(1), Err(io::Error::other("disk")), Ok(2)];
        let mut grouped = groups(items.into_iter(), |v: &u8| *v);
        assert!(grouped.next().unwrap().is_err());
    }

    #[test]
    fn groups_over_a_spilled_sort() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = Sorter::new(dir.path(), 64);
        for v in scrambled(2000) {
            sorter.push(v).unwrap();
        }
        let stream = sorter.finish().unwrap();
        let sizes: Vec<(u32, usize)> = groups(stream, |v: &Keyed| v.key)
            .map(|g| g.map(|g| (g[0].key, g.len())))
            .collect::<io::Result<_>>()
            .unwrap();
        let mut keys: Vec<u32> = sizes.iter().map(|s| s.0).collect();
        keys.dedup();
        assert_eq!(keys.len(), sizes.len(), "each key forms one group");
        assert_eq!(sizes.iter().map(|s| s.1).sum::<usize>(), 2000);
    }

    #[test]
    fn helpers_round_trip_and_advance() {
        let mut out = Vec::new();
        put_u64(&mut out, u64::MAX - 5);
        put_str(&mut out, "广州 020");
        put_str(&mut out, "");
        let mut input = &out[..];
        assert_eq!(get_u64(&mut input).unwrap(), u64::MAX - 5);
        assert_eq!(get_str(&mut input).unwrap(), "广州 020");
        assert_eq!(get_str(&mut input).unwrap(), "");
        assert!(input.is_empty());
    }

    #[test]
    fn truncated_values_are_errors() {
        let mut short: &[u8] = &[1, 2, 3];
        assert_eq!(get_u64(&mut short).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        let mut out = Vec::new();
        put_str(&mut out, "13800138000");
        let mut cut = &out[..out.len() - 1];
        assert_eq!(get_str(&mut cut).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        let mut bad_utf8: &[u8] = &[2, 0, 0, 0, 0xff, 0xfe];
        assert_eq!(get_str(&mut bad_utf8).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn corrupt_frames_are_errors() {
        let mut run = Vec::new();
        let listing = Listing {
            phone: "13800138000".into(),
            customer: 7,
        };
        write_frame(&mut run, &listing, &mut Vec::new()).unwrap();
        let mut frame = Vec::new();
        let read = |bytes: &[u8], frame: &mut Vec<u8>| read_frame::<Listing>(&mut &bytes[..], frame);
        assert_eq!(read(&run, &mut frame).unwrap(), Some(listing));
        assert_eq!(read(&[], &mut frame).unwrap(), None);
        for cut in [2, 4, 10, run.len() - 1] {
            assert!(read(&run[..cut], &mut frame).is_err(), "cut at {cut}");
        }
        // A length that claims more bytes than the frame's value uses.
        let mut padded = run.clone();
        padded[0] += 1;
        padded.push(0);
        assert_eq!(
            read(&padded, &mut frame).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        assert!(read(&[0, 0, 0, 0], &mut frame).is_err());
        // A corrupt, huge length must fail on the missing bytes, not allocate them.
        assert!(read(&[0xff, 0xff, 0xff, 0xff, 1], &mut frame).is_err());
    }

    #[test]
    fn truncated_run_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = Sorter::new(dir.path(), 1024);
        for v in scrambled(1000) {
            sorter.push(v).unwrap();
        }
        let name = spill_files(dir.path()).into_iter().min().unwrap();
        let file = OpenOptions::new().write(true).open(dir.path().join(name)).unwrap();
        let len = file.metadata().unwrap().len();
        file.set_len(len - 3).unwrap();
        let result = sorter.finish().and_then(Iterator::collect::<io::Result<Vec<_>>>);
        let err = result.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains(PREFIX), "{err}");
        assert!(spill_files(dir.path()).is_empty());
    }
}
