//! An append-only spill: values held in memory up to a byte budget, then appended to one
//! file in the framing of the run files, and read back in push order. It is what a sorter
//! becomes when the values already arrive in the order wanted (customers whose ids come
//! grouped, issue 11): no sort, no merge, one sequential write and read, and no file at all
//! while everything fits the budget.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::Path;

use super::runs::{RunFiles, read_frame, with_path, write_frame};
use super::{READ_BUFFER, Spill, WRITE_BUFFER};

/// Values in push order, on disk beyond the budget.
pub(crate) struct Log<T: Spill> {
    /// The values pushed since the last write to the file.
    values: Vec<T>,
    /// Sum of `size()` over `values`.
    held: usize,
    /// Bytes of values held before they are appended to the file.
    budget: usize,
    /// The file, once anything was written (kept open for appending).
    file: Option<BufWriter<File>>,
    /// Its path, deleted on drop.
    runs: RunFiles,
    /// Encoding buffer, reused for every value written.
    scratch: Vec<u8>,
    /// Values pushed so far.
    len: u64,
}

impl<T: Spill> Log<T> {
    /// A log whose file, if one is needed, goes into `dir`.
    pub(crate) fn new(dir: &Path, budget: usize) -> Log<T> {
        Log {
            values: Vec::new(),
            held: 0,
            budget,
            file: None,
            runs: RunFiles {
                dir: dir.to_path_buf(),
                paths: Vec::new(),
            },
            scratch: Vec::new(),
            len: 0,
        }
    }

    /// Values pushed so far.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Appends `value`; writes the held values to the file when they exceed the budget.
    pub(crate) fn push(&mut self, value: T) -> io::Result<()> {
        self.held = self.held.saturating_add(value.size());
        self.values.push(value);
        self.len += 1;
        if self.held > self.budget {
            self.write_held()?;
        }
        Ok(())
    }

    /// Appends the held values to the file, creating it on first use.
    fn write_held(&mut self) -> io::Result<()> {
        if self.file.is_none() {
            let (_, file) = self.runs.create()?;
            self.file = Some(BufWriter::with_capacity(WRITE_BUFFER, file));
        }
        let out = self.file.as_mut().expect("created above");
        for value in self.values.drain(..) {
            write_frame(out, &value, &mut self.scratch).map_err(|e| with_path(&self.runs.paths[0], &e))?;
        }
        self.held = 0;
        Ok(())
    }

    /// Every value in push order. Iterating yields `io::Result<T>`; after an error it ends.
    pub(crate) fn finish(mut self) -> io::Result<impl Iterator<Item = io::Result<T>>> {
        let mut reader = match self.file.take() {
            Some(out) => {
                let path = self.runs.paths[0].to_path_buf();
                out.into_inner().map_err(|e| with_path(&path, e.error()))?;
                let file = File::open(&path).map_err(|e| with_path(&path, &e))?;
                Some(BufReader::with_capacity(READ_BUFFER, file))
            }
            None => None,
        };
        let mut frame = Vec::new();
        let mut failed = false;
        let runs = self.runs;
        // The closure owns `runs`, so the file is deleted when the iterator is dropped.
        let from_file = std::iter::from_fn(move || {
            let _keep = &runs;
            let r: &mut BufReader<File> = reader.as_mut().filter(|_| !failed)?;
            let next = read_frame::<T>(r, &mut frame).transpose();
            failed = matches!(next, Some(Err(_)));
            next
        });
        Ok(from_file.chain(self.values.into_iter().map(Ok)))
    }
}
