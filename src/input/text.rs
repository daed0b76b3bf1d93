//! Text files: the one opener behind the contact input and the call-history logs.
//!
//! Opening resolves the path (standard input is spooled to a file first, so that the
//! encoding is decided on all of it), scans the whole file once to decide its encoding
//! ([`encoding::scan`], which also gives its size and SHA-256), and then hands out decoded
//! streams of it: the first non-blank record, and readers of the records after a header.
//! A missing or undecodable file is [`Unreadable`] (exit 3), named as the user wrote it.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::dialect::Fields;
use super::encoding::{self, Encoding, Scan};
use super::records::{RawRecord, RecordReader};
use crate::exit::Unreadable;

/// Bytes buffered on each side of the decoder.
const BUF_LEN: usize = 1 << 16;

/// A text file whose encoding is decided: every stream of it decodes to UTF-8.
#[derive(Debug)]
pub(crate) struct TextFile {
    /// The path as the user gave it (`-` for standard input), for messages.
    pub(crate) display: String,
    /// The file actually read (a spool file for standard input).
    file: PathBuf,
    /// True when `file` is a spool to delete when done.
    spooled: bool,
    /// What the full pass found.
    pub(crate) scan: Scan,
}

impl Drop for TextFile {
    fn drop(&mut self) {
        if self.spooled {
            let _ = std::fs::remove_file(&self.file);
        }
    }
}

/// A path that is not a readable file is unreadable (exit 3), in plain words: `does not
/// exist` or `is not a file`. The configuration stage calls it for every input before any
/// output is made.
pub(crate) fn must_be_file(path: &Path) -> anyhow::Result<()> {
    if path.is_file() {
        return Ok(());
    }
    let why = if path.exists() {
        "is not a file"
    } else {
        "does not exist"
    };
    Err(anyhow::Error::new(Unreadable(format!("{}: {why}", path.display()))))
}

impl TextFile {
    /// Opens `path` and scans it whole; `forced` is `--encoding`. A file that cannot be
    /// opened is named with the system's reason.
    pub(crate) fn open(path: &Path, forced: Option<Encoding>) -> anyhow::Result<TextFile> {
        Self::scanned(path.display().to_string(), path.to_path_buf(), false, forced)
    }

    /// The contact input: `-` reads standard input, spooled into `spool_dir`; a path that is
    /// not a file is refused in plain words (`does not exist`, `is not a file`).
    pub(crate) fn open_or_stdin(path: &Path, forced: Option<Encoding>, spool_dir: &Path) -> anyhow::Result<TextFile> {
        if path.as_os_str() != "-" {
            must_be_file(path)?;
            return Self::open(path, forced);
        }
        let spool = spool_dir.join(format!(".contact-audit-stdin-{}.tmp", std::process::id()));
        let mut out = File::create(&spool).with_context(|| format!("creating spool file {}", spool.display()))?;
        io::copy(&mut io::stdin().lock(), &mut out).map_err(|e| {
            let _ = std::fs::remove_file(&spool);
            anyhow::Error::new(Unreadable(format!("standard input: {e}")))
        })?;
        Self::scanned("-".to_string(), spool, true, forced)
    }

    /// Scans `file`, deleting it on failure when it is a spool.
    fn scanned(display: String, file: PathBuf, spooled: bool, forced: Option<Encoding>) -> anyhow::Result<TextFile> {
        let scanned = File::open(&file)
            .map_err(|e| unreadable(&display, &e))
            .and_then(|reader| {
                encoding::scan(BufReader::with_capacity(BUF_LEN, reader), forced)
                    .map_err(|e| anyhow::Error::new(Unreadable(format!("{display}: {e}"))))
            });
        match scanned {
            Ok(scan) => Ok(TextFile {
                display,
                file,
                spooled,
                scan,
            }),
            Err(e) => {
                if spooled {
                    let _ = std::fs::remove_file(&file);
                }
                Err(e)
            }
        }
    }

    /// The file actually read (a spool file for standard input).
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// True when the text came from standard input.
    pub(crate) fn is_stdin(&self) -> bool {
        self.spooled
    }

    /// The decoded (UTF-8, BOM stripped) stream of the whole file.
    pub(crate) fn decoded(&self) -> anyhow::Result<Box<dyn BufRead + Send>> {
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

/// True for a record of whitespace only.
pub(crate) fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
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
        let spool = dir.path().to_path_buf();
        let not_file = TextFile::open_or_stdin(dir.path(), None, &spool).unwrap_err();
        assert_eq!(not_file.to_string(), format!("{}: is not a file", dir.path().display()));
        let bad = TextFile::open(&file(&dir, b"ok\n\xFF\xFF\n"), None).unwrap_err();
        assert_eq!(crate::exit::status_of(&bad).code(), 3);
        assert!(bad.to_string().contains("not valid UTF-8 or GB18030"), "{bad}");
    }
}
