//! The run files of the external sorter: creating and deleting them, the framed encoding of
//! values on disk, and the stable k-way merge that reads them back in order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::{FAN_IN, PREFIX, READ_BUFFER, Spill, WRITE_BUFFER};

/// The run files of one sort, oldest run first. Each is a `tempfile` path, deleted when
/// dropped, so no error path leaves files behind in the run's directory.
pub(super) struct RunFiles {
    pub(super) dir: PathBuf,
    pub(super) paths: Vec<TempPath>,
}

impl RunFiles {
    /// Creates a new, empty run file and records it for deletion before anything is written.
    /// The name is random and the file created exclusively (`O_EXCL`), so a file or a symlink
    /// already at a name is never reused or followed; private (0600), as it holds numbers.
    pub(super) fn create(&mut self) -> io::Result<(PathBuf, File)> {
        let tmp = tempfile::Builder::new()
            .prefix(PREFIX)
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(|e| with_path(&self.dir.join(format!("{PREFIX}*.tmp")), &e))?;
        let (file, path) = tmp.into_parts();
        let shown = path.to_path_buf();
        self.paths.push(path);
        Ok((shown, file))
    }

    /// Merges groups of [`FAN_IN`] consecutive runs until at most `FAN_IN` are left, so the
    /// final merge has bounded read buffers and open files however many runs were spilled.
    /// Merging neighbours keeps the runs in push order, so the sort stays stable.
    pub(super) fn compact<T: Spill>(&mut self, scratch: &mut Vec<u8>) -> io::Result<()> {
        while self.paths.len() > FAN_IN {
            let old = std::mem::take(&mut self.paths);
            let mut rest = old.into_iter();
            loop {
                let chunk: Vec<TempPath> = rest.by_ref().take(FAN_IN).collect();
                if chunk.is_empty() {
                    break;
                }
                let sources = chunk.iter().map(|p| open_run(p)).collect::<io::Result<Vec<_>>>()?;
                let mut merge = Merge::<T>::new(sources)?;
                // `create` appends to `paths`, so a failure below still deletes the new file
                // (and the old ones, dropped with `chunk` and `rest`).
                let (path, file) = self.create()?;
                write_run(&path, file, std::iter::from_fn(|| merge.next().transpose()), scratch)?;
                drop(merge);
                for p in chunk {
                    let shown = p.to_path_buf();
                    p.close().map_err(|e| with_path(&shown, &e))?;
                }
            }
        }
        Ok(())
    }
}

/// Writes `values` to `file` as length-prefixed frames.
pub(super) fn write_run<T: Spill>(
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
pub(super) fn write_frame<T: Spill>(out: &mut impl Write, value: &T, scratch: &mut Vec<u8>) -> io::Result<()> {
    scratch.clear();
    value.encode(scratch);
    let len = u32::try_from(scratch.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "spilled value of 4 GiB or more"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(scratch)
}

/// Reads one frame and decodes it; `None` at a clean end of the run. A frame that lies
/// whole in the reader's buffer (nearly all: frames are tens of bytes, the buffer 64 KiB) is
/// decoded in place; one that straddles the buffer's end is copied into `frame` first.
pub(super) fn read_frame<T: Spill>(reader: &mut impl BufRead, frame: &mut Vec<u8>) -> io::Result<Option<T>> {
    let buf = reader.fill_buf()?;
    if buf.is_empty() {
        return Ok(None);
    }
    if let Some(len) = buf
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        && let Some(whole) = buf.get(4..4 + len)
    {
        let value = decode_frame(whole)?;
        reader.consume(4 + len);
        return Ok(Some(value));
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
    decode_frame(frame).map(Some)
}

/// Decodes the one value a frame holds.
fn decode_frame<T: Spill>(mut input: &[u8]) -> io::Result<T> {
    match T::decode(&mut input)? {
        Some(value) if input.is_empty() => Ok(value),
        Some(_) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "spill frame has trailing bytes",
        )),
        None => Err(io::Error::new(io::ErrorKind::InvalidData, "empty spill frame")),
    }
}

/// Adds the file's path to an I/O error, keeping its kind.
pub(super) fn with_path(path: &Path, e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("spill file {}: {e}", path.display()))
}

/// Opens a run file for the merge.
pub(super) fn open_run<T>(path: &Path) -> io::Result<Sequence<T>> {
    let file = File::open(path).map_err(|e| with_path(path, &e))?;
    Ok(Sequence::File {
        path: path.to_path_buf(),
        reader: BufReader::with_capacity(READ_BUFFER, file),
    })
}

/// One sorted input of the merge.
pub(super) enum Sequence<T> {
    /// The last values pushed, sorted but never spilled.
    Memory(std::vec::IntoIter<T>),
    /// A run file.
    File { path: PathBuf, reader: BufReader<File> },
}

impl<T: Spill> Sequence<T> {
    fn next(&mut self, frame: &mut Vec<u8>) -> io::Result<Option<T>> {
        match self {
            Sequence::Memory(values) => Ok(values.next()),
            Sequence::File { path, reader } => read_frame(reader, frame).map_err(|e| with_path(path, &e)),
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
pub(super) struct Merge<T> {
    sources: Vec<Sequence<T>>,
    heap: BinaryHeap<Head<T>>,
    /// Frame buffer shared by all file sources: only one value is read at a time.
    frame: Vec<u8>,
}

impl<T: Spill> Merge<T> {
    /// Reads the first value of every source.
    pub(super) fn new(mut sources: Vec<Sequence<T>>) -> io::Result<Self> {
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
    pub(super) fn next(&mut self) -> io::Result<Option<T>> {
        if let [only] = self.sources.as_mut_slice() {
            // One source (a sort that never spilled): nothing to merge, no heap traffic.
            return match self.heap.pop() {
                Some(head) => Ok(Some(head.value)),
                None => only.next(&mut self.frame),
            };
        }
        let Some(Head { value, run }) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.sources[run].next(&mut self.frame)? {
            self.heap.push(Head { value: next, run });
        }
        Ok(Some(value))
    }
}
