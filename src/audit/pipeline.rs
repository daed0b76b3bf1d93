//! The stream: records are read in batches; each batch is checked in parallel (rayon) while
//! the previous one is written and the next one read; results are handed on in input order,
//! so the outputs are byte-identical for any thread count.

use std::collections::HashSet;

use indicatif::ProgressBar;
use rayon::prelude::*;

use super::customers::CustomerPart;
use super::parts::Parts;
use super::record::{self, Ctx, Processed};
use super::shared::SharedNumber;
use super::spill::Partitioned;
use crate::history::policy::Action;
use crate::input::{Input, Row, RowSource};
use crate::phone::Issue;
use crate::report::{RecordOut, Streams, Summary};

/// Where processed records go, in input order: the streamed outputs, the sorters of the
/// customer roll-up and the shared-number search, and the history keys seen.
pub(crate) struct Sink {
    /// numbers.csv, cleaned.csv, removed.csv, bad_rows.csv, prune.csv (none with `--outputs
    /// summary`).
    pub(crate) streams: Option<Streams>,
    /// Customer partials, merged by id after the stream.
    pub(crate) customers: Parts,
    /// Sightings of own and family numbers.
    pub(crate) sightings: Partitioned<SharedNumber>,
    /// Keys of history numbers that matched a contact.
    pub(crate) matched: HashSet<u64>,
    /// The counters.
    pub(crate) summary: Summary,
}

impl Sink {
    /// Writes a processed batch in order and feeds the sorters.
    fn take(&mut self, results: Vec<Chunk>, batch_summary: &Summary) -> anyhow::Result<()> {
        self.summary.merge(batch_summary);
        for chunk in results {
            if let Some(streams) = &mut self.streams {
                streams.write(&chunk.rows)?;
            }
            self.matched.extend(chunk.matched);
            for s in chunk.shared {
                self.sightings.push(s.key, s)?;
            }
            for c in chunk.customers {
                self.customers.push(c)?;
            }
        }
        Ok(())
    }
}

/// What consecutive records processed by one task gave: their rows, concatenated, their
/// counts, and the rest in input order. Each record's [`Processed`] is taken apart as soon
/// as it is made, so no per-record value is moved again (moving them was a tenth of the
/// stream's CPU, issue 11).
#[derive(Default)]
struct Chunk {
    rows: RecordOut,
    summary: Summary,
    customers: Vec<CustomerPart>,
    shared: Vec<SharedNumber>,
    matched: Vec<u64>,
}

/// Records per task: enough that the rows of a chunk are written with one call per output,
/// few enough that the threads share a batch evenly.
const CHUNK: usize = 128;

/// Reads batches of `batch` records and processes each in parallel; hands every processed
/// batch, in order, to `sink`.
///
/// Three batches are in flight: while the workers check batch k+1, the calling thread writes
/// batch k and then reads batch k+2 (and joins the checking when it is done). Writing after
/// each batch instead left one of two cores idle for a third of the stream (issue 11).
pub(crate) fn stream(
    input: &Input,
    ctx: &Ctx<'_>,
    batch: usize,
    progress: &ProgressBar,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let mut rows = input.rows()?;
    let mut next_record = 1u64;
    let mut records = read_batch(rows.as_mut(), batch, &mut next_record)?;
    let columns = input.columns.phones.len();
    let mut checked: Option<(Vec<Chunk>, Summary)> = None;
    while !records.is_empty() || checked.is_some() {
        if input.misread() {
            anyhow::bail!("{}: the input's encoding check failed", input.display);
        }
        let done = checked.take();
        let (next, now) = rayon::join(
            || -> anyhow::Result<Vec<(u64, Row)>> {
                if let Some((results, batch_summary)) = done {
                    sink.take(results, &batch_summary)?;
                }
                read_batch(rows.as_mut(), batch, &mut next_record)
            },
            || (!records.is_empty()).then(|| process_batch(&records, ctx, columns)),
        );
        let bytes: usize = records.iter().map(|(_, r)| r.len() + 1).sum();
        progress.inc(bytes as u64);
        checked = now;
        records = next?;
    }
    Ok(())
}

/// Bytes of record text one batch holds at most (it holds at least one record): with
/// records up to the reader's limits, a batch of long records must not hold 4,096 of them.
const BATCH_BYTES: usize = 32 << 20;

/// Up to `size` rows with their record numbers, and up to about [`BATCH_BYTES`] of text.
fn read_batch(rows: &mut dyn RowSource, size: usize, next_record: &mut u64) -> anyhow::Result<Vec<(u64, Row)>> {
    let mut batch = Vec::with_capacity(size);
    let mut bytes = 0;
    let mut row = Row::default();
    while batch.len() < size && bytes < BATCH_BYTES && rows.read(&mut row)? {
        bytes += row.len();
        batch.push((*next_record, std::mem::take(&mut row)));
        *next_record += 1;
    }
    Ok(batch)
}

/// Processes a batch in parallel and folds its counts. rayon's indexed `collect_into_vec`
/// keeps input order; the chunks' counts merge commutatively.
fn process_batch(batch: &[(u64, Row)], ctx: &Ctx<'_>, columns: usize) -> (Vec<Chunk>, Summary) {
    let mut results = Vec::with_capacity(batch.len().div_ceil(CHUNK));
    batch
        .par_chunks(CHUNK)
        .map(|chunk| process_chunk(chunk, ctx, columns))
        .collect_into_vec(&mut results);
    let summary = results
        .par_iter()
        .fold(
            || Summary::new(columns),
            |mut s, chunk| {
                s.merge(&chunk.summary);
                s
            },
        )
        .reduce(
            || Summary::new(columns),
            |mut a, b| {
                a.merge(&b);
                a
            },
        );
    (results, summary)
}

/// Processes consecutive records on one thread, their rows appended to one set of buffers:
/// each record gets the buffers holding the rows before it and hands them on (no copy, no
/// allocation per record).
fn process_chunk(chunk: &[(u64, Row)], ctx: &Ctx<'_>, columns: usize) -> Chunk {
    let mut out = Chunk {
        summary: Summary::new(columns),
        customers: Vec::with_capacity(chunk.len()),
        ..Chunk::default()
    };
    for (n, row) in chunk {
        let mut p = record::process(row, *n, ctx, std::mem::take(&mut out.rows));
        out.rows = std::mem::take(&mut p.out);
        count(&mut out.summary, &p);
        out.matched.extend_from_slice(&p.matched);
        out.shared.extend(p.shared);
        out.customers.extend(p.customer);
    }
    out
}

/// Adds one record's tally to `s`.
fn count(s: &mut Summary, p: &Processed) {
    s.rows += 1;
    if p.tally.bad {
        s.bad_rows += 1;
        return;
    }
    if p.tally.short {
        s.add_issues([Issue::RowShort].into_iter().collect(), p.line);
    }
    s.empty_cells += u64::from(p.tally.empty_cells);
    s.removed += u64::from(p.tally.removed);
    for (col, kind, issues) in &p.tally.numbers {
        s.add_number(usize::from(*col), *kind, *issues, p.line);
    }
    for &(place, block) in &p.tally.places {
        s.add_place(place, block);
    }
    for issues in &p.tally.cells {
        s.add_issues(*issues, p.line);
    }
    for &(status, action, slot) in &p.tally.calls {
        s.statuses[status as usize] += 1;
        s.actions[action as usize] += 1;
        if let (Action::Retry, Some(slot)) = (action, slot) {
            s.add_retry(usize::from(slot), 1);
        }
    }
}
