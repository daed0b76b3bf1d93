//! Text files: the one opener behind the contact input and the call-history logs.
//!
//! Opening resolves the path (standard input is spooled to a file first, so that the
//! encoding is decided on all of it), scans the whole file once to decide its encoding
//! ([`encoding::scan`], which also gives its size and SHA-256), and then hands out decoded
//! streams of it: the first non-blank record, and readers of the records after a header.
//! A missing or undecodable file is [`Unreadable`] (exit 3), named as the user wrote it.
//!
//! For a caller that starts again on a misread (`Known::beside_the_stream`: the audit), on
//! more than one thread, a file's scan runs beside the stream instead of before it (`check`):
//! the file is decoded on a guess from its head until [`TextFile::settle`] waits for the
//! verdict, which the caller does before it uses what the stream made.
//!
//! An Excel workbook (told by its content) is opened too: its streams are then the CSV text
//! of one sheet (`excel::SheetText`), so the call-history logs read a workbook as they read
//! a CSV; the contact input reads its typed cells instead (`Input::rows`).
//!
//! The standard input spool is a `tempfile` in the run's directory: a random name created
//! exclusively (never a file or symlink planted at a predictable name), private (0600), and
//! bounded by [`Spool::limit`] so that an endless stream cannot fill the disk.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::check::{Check, Known, Misread};
use super::dialect::Fields;
use super::encoding::{self, Encoding, EncodingError, EncodingSource, NotText, Scan, Start};
use super::excel::{self, Workbook};
use super::records::{RawRecord, RecordReader};
use crate::exit::{Unreadable, Unwritable};

/// Bytes buffered on each side of the decoder.
const BUF_LEN: usize = 1 << 16;

/// A text file whose encoding is decided: every stream of it decodes to UTF-8.
#[derive(Debug)]
pub(crate) struct TextFile {
    /// The path as the user gave it (`-` for standard input), for messages.
    pub(crate) display: String,
    /// The file actually read (a spool file for standard input).
    file: PathBuf,
    /// The spool of standard input, held only to be deleted when dropped.
    _spool: Option<TempPath>,
    /// What the full pass found (for a workbook: its size and SHA-256, and its sheet's
    /// height as lines); while `check` runs, the guess it checks (`encoding::Start`).
    pub(crate) scan: Scan,
    /// The rest of the pass, running beside the stream, until [`TextFile::settle`].
    check: Option<Check>,
    /// The workbook and its sheet, when the file is one.
    pub(crate) workbook: Option<Workbook>,
}

/// Where and how much of standard input may be spooled.
#[derive(Debug, Clone)]
pub(crate) struct Spool {
    /// The directory (the run's own, inside `--out`).
    pub(crate) dir: PathBuf,
    /// The most bytes spooled (`--spool-limit`); `None`: the smaller of [`DEFAULT_SPOOL_LIMIT`]
    /// and the free space of `dir`.
    pub(crate) limit: Option<u64>,
}

/// The name prefix of the spool file (recognised, and removed, by the next run if this one
/// is killed).
pub(crate) const SPOOL_PREFIX: &str = ".contact-audit-stdin-";

/// The default spool limit: 20 GB, generous for any contact file, and far short of what an
/// endless stream (`cat /dev/zero`) fills.
pub(crate) const DEFAULT_SPOOL_LIMIT: u64 = 20_000_000_000;

/// A path that is not a readable file is unreadable (exit 3), in plain words: `does not
/// exist` or `is not a file`. The configuration stage calls it for every input before any
/// output is made.
pub(crate) fn must_be_file(path: &Path) -> anyhow::Result<()> {
    if path.is_file() {
        return Ok(());
    }
    let why = if path.exists() {
        crate::text::tr("is not a file", "不是文件")
    } else {
        crate::text::tr("does not exist", "文件不存在")
    };
    Err(anyhow::Error::new(Unreadable(format!("{}: {why}", path.display()))))
}

impl TextFile {
    /// Opens `path` and scans it whole; `forced` is `--encoding`. A file that cannot be
    /// opened is named with the system's reason.
    #[cfg(test)]
    pub(crate) fn open(path: &Path, forced: Option<Encoding>) -> anyhow::Result<TextFile> {
        Self::open_sheet(path, forced, None, &Known::default())
    }

    /// Opens `path` and scans it whole (`forced` is `--encoding`), unless `known` holds its
    /// verdict; a workbook is read at the sheet `sheet` names (`--sheet`), or its first.
    pub(crate) fn open_sheet(
        path: &Path,
        forced: Option<Encoding>,
        sheet: Option<&str>,
        known: &Known,
    ) -> anyhow::Result<TextFile> {
        let opening = Opening {
            forced,
            sheet,
            hash: true,
            known,
        };
        Self::scanned(path.display().to_string(), path.to_path_buf(), None, &opening)
    }

    /// Opens a call log at `path` (a workbook at `sheet`) as [`TextFile::open_sheet`] does,
    /// but takes no SHA-256 of it: no output shows a log's hash (`Scan::sha256` is empty).
    pub(crate) fn open_log(path: &Path, sheet: Option<&str>, known: &Known) -> anyhow::Result<TextFile> {
        let opening = Opening {
            forced: None,
            sheet,
            hash: false,
            known,
        };
        Self::scanned(path.display().to_string(), path.to_path_buf(), None, &opening)
    }

    /// The contact input: `-` reads standard input, spooled as `spool` says; a path that is
    /// not a file is refused in plain words (`does not exist`, `is not a file`).
    pub(crate) fn open_or_stdin(
        path: &Path,
        (forced, sheet): (Option<Encoding>, Option<&str>),
        spool: &Spool,
        known: &Known,
    ) -> anyhow::Result<TextFile> {
        if path.as_os_str() != "-" {
            must_be_file(path)?;
            return Self::open_sheet(path, forced, sheet, known);
        }
        let tmp = spool_stdin(spool)?;
        let opening = Opening {
            forced,
            sheet,
            hash: true,
            known,
        };
        Self::scanned("-".to_string(), tmp.to_path_buf(), Some(tmp), &opening)
    }

    /// Scans `file` as `opening` says (a spool, if given, is deleted on failure by being
    /// dropped); a file the scan finds to be a workbook (or any ZIP, which may be one) is
    /// opened as one.
    fn scanned(
        display: String,
        file: PathBuf,
        spool: Option<TempPath>,
        opening: &Opening<'_>,
    ) -> anyhow::Result<TextFile> {
        // A spool is scanned whole first: reading it again after a misread would need it
        // again, and it lives in the run's directory, which a new start drops.
        let (scanned, check) = match opening.known.get(&file, opening.hash) {
            Some(scan) => (Ok(scan.clone()), None),
            None => opening.scan(&file, &display, spool.is_none() && opening.known.beside())?,
        };
        let (scan, workbook) = match scanned {
            Ok(scan) => (scan, None),
            Err(EncodingError::NotText(found @ (NotText::Xlsx | NotText::Xls | NotText::Zip))) => {
                let kind = if found == NotText::Xls {
                    excel::Kind::Xls
                } else {
                    excel::Kind::Xlsx
                };
                match Workbook::open(&file, &display, kind, opening.sheet) {
                    Ok(book) => (workbook_scan(&file, &display, &book)?, Some(book)),
                    // A ZIP that is no workbook is named as a ZIP archive.
                    Err(_) if found == NotText::Zip => {
                        return Err(anyhow::Error::new(Unreadable(format!("{display}: {found}"))));
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(e) => return Err(anyhow::Error::new(Unreadable(format!("{display}: {e}")))),
        };
        Ok(TextFile {
            display,
            file,
            _spool: spool,
            scan,
            check,
            workbook,
        })
    }

    /// Whether the check beside the stream has found that the file is not what its guess
    /// said: whatever is made from the stream from then on will be thrown away, so a stream
    /// may stop.
    pub(crate) fn misread(&self) -> bool {
        self.check.as_ref().is_some_and(Check::wrong)
    }

    /// Waits for the check beside the stream, if one runs, and takes its verdict as the
    /// file's scan. A bad file is [`Unreadable`], as when its scan came first; a verdict that
    /// is not the guess is a [`Misread`].
    pub(crate) fn settle(&mut self) -> anyhow::Result<()> {
        let Some(check) = self.check.take() else {
            return Ok(());
        };
        let scan = check
            .join()
            .map_err(|e| anyhow::Error::new(Unreadable(format!("{}: {e}", self.display))))?;
        if !self.scan.reads_as(&scan) {
            return Err(anyhow::Error::new(Misread {
                file: self.file.clone(),
                scan,
            }));
        }
        self.scan = scan;
        Ok(())
    }

    /// `result`, but an error waits for the check first, and the check's error, or a
    /// misread, comes first: what went wrong with a stream of a bad or misread file is the
    /// file's fault.
    pub(crate) fn settle_on_error<T>(&mut self, result: anyhow::Result<T>) -> anyhow::Result<T> {
        if result.is_err() {
            self.settle()?;
        }
        result
    }

    /// The decoded (UTF-8, BOM stripped) stream of the whole file; for a workbook, its sheet
    /// as CSV text.
    pub(crate) fn decoded(&self) -> anyhow::Result<Box<dyn BufRead + Send>> {
        if let Some(book) = &self.workbook {
            return Ok(Box::new(excel::SheetText::new(book.rows())));
        }
        let file = File::open(&self.file).map_err(|e| self.unreadable(&e))?;
        let text = encoding::decode(BufReader::with_capacity(BUF_LEN, file), &self.scan);
        Ok(Box::new(BufReader::with_capacity(BUF_LEN, text)))
    }

    /// The first record that is not blank (whitespace only), cut as if comma-delimited;
    /// `None` when there is none.
    pub(crate) fn first_record(&self) -> anyhow::Result<Option<RawRecord>> {
        let mut reader = RecordReader::new(self.decoded()?, b',');
        let mut rec = RawRecord::default();
        loop {
            if !reader.read(&mut rec).map_err(|e| self.unreadable(&e))? {
                return Ok(None);
            }
            if !is_blank(&rec.text) {
                return Ok(Some(rec));
            }
        }
    }

    /// A reader of the records cut with `delimiter`: after the header record that starts on
    /// line `header` (it and the lines before it skipped), or from the start for `None`.
    /// After a header, the reader knows its width, to tell a stray quote.
    pub(crate) fn records(
        &self,
        delimiter: u8,
        header: Option<u64>,
    ) -> anyhow::Result<RecordReader<Box<dyn BufRead + Send>>> {
        let mut records = RecordReader::new(self.decoded()?, delimiter);
        if let Some(line) = header {
            let mut rec = RawRecord::default();
            while records.read(&mut rec).map_err(|e| self.unreadable(&e))? && rec.line < line {}
            records = records.with_width(Fields::split(&rec.text, delimiter).len());
        }
        Ok(records)
    }

    /// An I/O error on this file, as [`Unreadable`].
    fn unreadable(&self, e: &io::Error) -> anyhow::Error {
        unreadable(&self.display, e)
    }
}

/// How a file is opened: `--encoding`, `--sheet`, whether its SHA-256 is taken, and the
/// verdicts already known.
struct Opening<'a> {
    forced: Option<Encoding>,
    sheet: Option<&'a str>,
    hash: bool,
    known: &'a Known,
}

/// A file's scan, or its guess and the check that runs beside the stream.
type Scanned = (Result<Scan, EncodingError>, Option<Check>);

impl Opening<'_> {
    /// Scans `file` whole, or, when `beside` and the run has a thread to spare, starts the
    /// scan with a guess and the check.
    fn scan(&self, file: &Path, display: &str, beside: bool) -> anyhow::Result<Scanned> {
        let opened = File::open(file).map_err(|e| unreadable(display, &e))?;
        let size = opened.metadata().map_err(|e| unreadable(display, &e))?.len();
        let reader = BufReader::with_capacity(BUF_LEN, opened);
        // On one thread (`-j1`) the scan would only take turns with the stream.
        if !beside || rayon::current_num_threads() < 2 {
            let scan = if self.hash {
                encoding::scan(reader, self.forced)
            } else {
                encoding::scan_unhashed(reader, self.forced)
            };
            return Ok((scan, None));
        }
        Ok(match encoding::start(reader, self.forced, self.hash, size) {
            Ok(Start::Done(scan)) => (Ok(scan), None),
            Ok(Start::Guessed { guess, rest }) => {
                let check = Check::spawn(rest, guess.clone()).map_err(|e| unreadable(display, &e))?;
                (Ok(guess), Some(check))
            }
            Err(e) => (Err(e), None),
        })
    }
}

/// What a workbook's facts are in place of a text scan: its bytes and SHA-256, UTF-8 (the
/// encoding of its XML, and of its text), and the sheet's declared height as its lines.
fn workbook_scan(file: &Path, display: &str, book: &Workbook) -> anyhow::Result<Scan> {
    use sha2::{Digest as _, Sha256};
    let mut hasher = Sha256::new();
    let mut reader = File::open(file).map_err(|e| unreadable(display, &e))?;
    let bytes = io::copy(&mut reader, &mut hasher).map_err(|e| unreadable(display, &e))?;
    let sha256 = format!("{:x}", hasher.finalize());
    Ok(Scan {
        encoding: Encoding::Utf8,
        source: EncodingSource::Workbook,
        bom_len: 0,
        bytes,
        sha256,
        lines: book.rows().height(),
    })
}

/// True for a record of whitespace only.
pub(crate) fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

/// Copies standard input into a new spool file, at most the limit; more is unreadable
/// (exit 3) and the spool is removed (dropped) before the error is returned.
fn spool_stdin(spool: &Spool) -> anyhow::Result<TempPath> {
    let (limit, why) = match spool.limit {
        Some(limit) => (limit, "--spool-limit"),
        None => match free_space(&spool.dir) {
            Some(free) if free < DEFAULT_SPOOL_LIMIT => (
                free,
                crate::text::tr("the free space where it is spooled", "暂存位置的剩余空间"),
            ),
            _ => (DEFAULT_SPOOL_LIMIT, crate::text::tr("the default", "默认值")),
        },
    };
    let tmp = tempfile::Builder::new()
        .prefix(SPOOL_PREFIX)
        .suffix(".tmp")
        .tempfile_in(&spool.dir)
        .map_err(|e| unwritable_spool(&spool.dir, &e))?;
    let (file, path) = tmp.into_parts();
    let mut out = io::BufWriter::with_capacity(BUF_LEN, file);
    let mut stdin = io::stdin().lock().take(limit.saturating_add(1));
    let mut buf = vec![0; BUF_LEN];
    let mut copied = 0u64;
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(anyhow::Error::new(Unreadable(format!(
                    "{}: {e}",
                    crate::text::tr("standard input", "标准输入")
                ))));
            }
        };
        copied += n as u64;
        if copied > limit {
            let limit = human_bytes(limit);
            return Err(anyhow::Error::new(Unreadable(if crate::text::zh() {
                format!(
                    "标准输入超过了暂存上限 {limit}（{why}）；暂存文件已删除。\
                     请先把输入存成文件再检查该文件，或用 --spool-limit SIZE 调整上限（例如 50G）"
                )
            } else {
                format!(
                    "standard input is larger than the spool limit of {limit} ({why}); the spool was removed. \
                     Save the input to a file and audit the file, or give --spool-limit SIZE (e.g. 50G)"
                )
            })));
        }
        out.write_all(&buf[..n]).map_err(|e| unwritable_spool(&spool.dir, &e))?;
    }
    out.flush().map_err(|e| unwritable_spool(&spool.dir, &e))?;
    Ok(path)
}

/// Bytes free to an unprivileged writer in `dir`'s file system, if it can be asked.
fn free_space(dir: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

/// `1.5 GB`, `20 GB`, `300 MB`, `512 bytes` (powers of 1000, as `--spool-limit` reads them).
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1_000_000_000_000, "TB"),
        (1_000_000_000, "GB"),
        (1_000_000, "MB"),
        (1000, "kB"),
    ];
    match UNITS.iter().find(|(size, _)| n >= *size) {
        Some((size, unit)) => {
            let value = format!("{:.1}", n as f64 / *size as f64);
            format!("{} {unit}", value.trim_end_matches(".0"))
        }
        None => format!("{n} bytes"),
    }
}

/// The spool could not be written (disk full, read-only): exit 3.
fn unwritable_spool(dir: &Path, e: &io::Error) -> anyhow::Error {
    let dir = dir.display();
    anyhow::Error::new(Unwritable(if crate::text::zh() {
        format!("将标准输入暂存到 {dir} 时出错：{e}")
    } else {
        format!("spooling standard input into {dir}: {e}")
    }))
}

fn unreadable(display: &str, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(Unreadable(format!("{display}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &tempfile::TempDir, bytes: &[u8]) -> PathBuf {
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn first_record_and_records_after_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let gb = encoding::encode("\r\n \r\n号码;时间\r\n1;\"a\nb\"\r\n2;x\r\n", Encoding::Gb18030);
        let text = TextFile::open(&file(&dir, &gb), None).unwrap();
        assert_eq!(text.scan.encoding, Encoding::Gb18030);
        let first = text.first_record().unwrap().unwrap();
        assert_eq!((first.line, first.text.as_slice()), (3, "号码;时间".as_bytes()));
        let mut records = text.records(b';', Some(first.line)).unwrap();
        let mut rec = RawRecord::default();
        let mut got = Vec::new();
        while records.read(&mut rec).unwrap() {
            got.push((rec.line, String::from_utf8(rec.text.clone()).unwrap()));
        }
        assert_eq!(got, [(4, "1;\"a\nb\"".to_string()), (6, "2;x".to_string())]);
        let mut all = text.records(b';', None).unwrap();
        assert!(all.read(&mut rec).unwrap());
        assert_eq!((rec.line, rec.text.as_slice()), (1, &b""[..]));
    }

    #[test]
    fn blank_and_unreadable_files() {
        let dir = tempfile::tempdir().unwrap();
        let blank = TextFile::open(&file(&dir, b"\xEF\xBB\xBF \n\r\n"), None).unwrap();
        assert!(blank.first_record().unwrap().is_none());
        let missing = TextFile::open(&dir.path().join("nope.csv"), None).unwrap_err();
        assert_eq!(crate::exit::status_of(&missing).code(), 3);
        // Named with the system's reason, not the contact input's plain words.
        let message = missing.to_string();
        assert!(
            message.contains("nope.csv: ") && !message.ends_with("does not exist"),
            "{message}"
        );
        let spool = Spool {
            dir: dir.path().to_path_buf(),
            limit: None,
        };
        let not_file = TextFile::open_or_stdin(dir.path(), (None, None), &spool, &Known::default()).unwrap_err();
        assert_eq!(not_file.to_string(), format!("{}: is not a file", dir.path().display()));
        let bad = TextFile::open(&file(&dir, b"ok\n\xFF\xFF\n"), None).unwrap_err();
        assert_eq!(crate::exit::status_of(&bad).code(), 3);
        assert!(bad.to_string().contains("not valid UTF-8 or GB18030"), "{bad}");
    }

    #[test]
    fn sizes_are_shown_in_the_units_the_flag_reads() {
        assert_eq!(human_bytes(20_000_000_000), "20 GB");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
        assert_eq!(human_bytes(999), "999 bytes");
    }
}
