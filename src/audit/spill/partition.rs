//! A hash-partitioned spill, for values that are only ever grouped by a key (the shared-number
//! search, issue 11). Values go to one of [`PARTS`] partitions by a hash of their key; beyond
//! the byte budget the held values are appended to their partition's file. After the stream
//! every partition is sorted on its own, on the pool's threads: a partition is a small
//! fraction of the values, so it nearly always sorts in memory, and no single-threaded k-way
//! merge of every value remains. A partition larger than its own budget (a billion-row file,
//! or one number listed by millions of customers) goes through the external [`Sorter`], so
//! memory stays bounded for any input.

use std::fs::File;
use std::io::{self, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::runs::{RunFiles, read_frame, with_path, write_frame};
use super::{READ_BUFFER, Sorted, Sorter, Spill};

/// Partitions: enough that at 10M rows (30M values) each sorts within its budget in memory,
/// few enough that their files stay far below the usual limit of 1024 open files.
pub(crate) const PARTS: usize = 128;

/// Values grouped by partition, in push order within each.
pub(crate) struct Partitioned<T: Spill> {
    parts: Vec<Part<T>>,
    /// Sum of `size()` over the values held in memory, all partitions together.
    held: usize,
    /// Bytes of values held before they are written out.
    budget: usize,
    dir: PathBuf,
    /// Frame buffer of one partition's write.
    scratch: Vec<u8>,
    /// Encoding buffer of one value.
    frame: Vec<u8>,
}

/// One partition: its file (once anything was written) and the values pushed since.
struct Part<T> {
    values: Vec<T>,
    /// Values in the file.
    written: usize,
    file: Option<File>,
    /// The file's path, deleted on drop.
    runs: RunFiles,
}

impl<T: Spill> Partitioned<T> {
    /// A spill whose files, if any are needed, go into `dir`; `budget`: bytes of values held
    /// in memory (all partitions together) before they are written out, and the most one
    /// partition may sort in memory after the stream.
    pub(crate) fn new(dir: &Path, budget: usize) -> Partitioned<T> {
        Self::with_parts(dir, budget, PARTS)
    }

    fn with_parts(dir: &Path, budget: usize, parts: usize) -> Partitioned<T> {
        Partitioned {
            parts: (0..parts)
                .map(|_| Part {
                    values: Vec::new(),
                    written: 0,
                    file: None,
                    runs: RunFiles {
                        dir: dir.to_path_buf(),
                        paths: Vec::new(),
                    },
                })
                .collect(),
            held: 0,
            budget,
            dir: dir.to_path_buf(),
            scratch: Vec::new(),
            frame: Vec::new(),
        }
    }

    /// Adds `value`, whose key hashes to `hash`: values with equal keys must have equal
    /// hashes, so that they land in the same partition.
    pub(crate) fn push(&mut self, hash: u64, value: T) -> io::Result<()> {
        self.held = self.held.saturating_add(value.size());
        let part = partition(hash, self.parts.len());
        self.parts[part].values.push(value);
        if self.held > self.budget {
            self.write_held()?;
        }
        Ok(())
    }

    /// Appends every partition's held values to its file, one write each.
    fn write_held(&mut self) -> io::Result<()> {
        for part in &mut self.parts {
            if part.values.is_empty() {
                continue;
            }
            self.scratch.clear();
            for value in &part.values {
                write_frame(&mut self.scratch, value, &mut self.frame)?;
            }
            part.append(&self.scratch)?;
            part.written += part.values.len();
            part.values.clear();
        }
        self.held = 0;
        Ok(())
    }

    /// Sorts every partition (on the current rayon pool, several at once) and hands each, as
    /// one ascending iterator, to `f`; the results come back in partition order.
    pub(crate) fn finish_each<R, F>(self, f: F) -> io::Result<Vec<R>>
    where
        R: Send,
        F: Fn(Sorted<T>) -> io::Result<R> + Sync,
    {
        let Partitioned { parts, budget, dir, .. } = self;
        parts
            .into_par_iter()
            .map(|part| f(part.sorted(&dir, budget)?))
            .collect()
    }
}

impl<T: Spill> Part<T> {
    /// Appends `bytes` to the file, creating it on first use.
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.file.is_none() {
            let (_, file) = self.runs.create()?;
            self.file = Some(file);
        }
        let file = self.file.as_mut().expect("created above");
        file.write_all(bytes).map_err(|e| with_path(&self.runs.paths[0], &e))
    }

    /// The partition's values in ascending order: sorted in memory up to `budget` bytes,
    /// through run files in `dir` beyond it.
    fn sorted(self, dir: &Path, budget: usize) -> io::Result<Sorted<T>> {
        let Part {
            values,
            written,
            file,
            runs,
        } = self;
        let mut sorter = Sorter::new(dir, budget);
        sorter.reserve_within_budget(written + values.len(), values.first());
        if let Some(mut file) = file {
            let path = &runs.paths[0];
            file.seek(SeekFrom::Start(0)).map_err(|e| with_path(path, &e))?;
            let mut reader = BufReader::with_capacity(READ_BUFFER, file);
            let mut frame = Vec::new();
            let mut read = 0;
            while let Some(value) = read_frame::<T>(&mut reader, &mut frame).map_err(|e| with_path(path, &e))? {
                sorter.push(value)?;
                read += 1;
            }
            if read != written {
                return Err(with_path(
                    path,
                    &io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("partition file holds {read} values, {written} were written"),
                    ),
                ));
            }
        }
        // The file is deleted here, once read: the sorter's own runs, if any, replace it.
        drop(runs);
        for value in values {
            sorter.push(value)?;
        }
        sorter.finish()
    }
}

/// The partition of a key hash: its top bits after a multiplicative mix, so that hashes whose
/// low or high bits cluster still spread over every partition.
fn partition(hash: u64, parts: usize) -> usize {
    let mixed = hash.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((u128::from(mixed) * parts as u128) >> 64) as usize
}

#[cfg(test)]
mod tests;
