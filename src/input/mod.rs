//! Input: bytes to records. Opens a file or standard input, decides its encoding over the
//! whole input (encoding.rs), finds the delimiter and the header's roles (dialect.rs,
//! columns.rs), and cuts the decoded stream into raw records (records.rs).
//!
//! Standard input is spooled to a temporary file inside the output directory, so that the
//! encoding is decided on all of it and the records are then streamed like a file's.

pub mod columns;
pub mod dialect;
pub mod encoding;
pub mod records;

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

pub use columns::{Columns, PhoneColumn, Relation};
pub use encoding::{Encoding, EncodingSource, Scan};
pub use records::{RawRecord, RecordReader};

use crate::exit::Unreadable;

/// What to read and how.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// The file, or `-` for standard input.
    pub path: PathBuf,
    /// `--encoding`: overrides detection.
    pub encoding: Option<Encoding>,
    /// `--delimiter`: overrides detection.
    pub delimiter: Option<u8>,
    /// `--phone-columns`: overrides detection.
    pub phone_columns: Option<Vec<String>>,
    /// `--id-column`: overrides detection.
    pub id_column: Option<String>,
    /// Where standard input may be spooled (the output directory).
    pub spool_dir: PathBuf,
}

/// An opened input: decided encoding, dialect and header roles.
#[derive(Debug)]
pub struct Input {
    /// The path as the user gave it (`-` for standard input).
    pub display: String,
    /// The file actually read (a spool file for standard input).
    file: PathBuf,
    /// True when `file` is a spool to delete when done.
    spooled: bool,
    /// What the full pass found.
    pub scan: Scan,
    /// The delimiter.
    pub delimiter: u8,
    /// The header fields.
    pub headers: Vec<String>,
    /// The header's roles.
    pub columns: Columns,
}

impl Drop for Input {
    fn drop(&mut self) {
        if self.spooled {
            let _ = std::fs::remove_file(&self.file);
        }
    }
}

/// Opens `opts.path`: scans it whole, reads its header and finds its columns. A missing or
/// undecodable input is [`Unreadable`] (exit 3); a header without phone columns, or an
/// unknown `--phone-columns` name, is a usage error (exit 2).
pub fn open(opts: &InputOptions) -> anyhow::Result<Input> {
    let (display, file, spooled) = locate(opts)?;
    let scanned = File::open(&file)
        .map_err(|e| unreadable(&display, &e))
        .and_then(|reader| {
            encoding::scan(BufReader::with_capacity(1 << 16, reader), opts.encoding)
                .map_err(|e| anyhow::Error::new(Unreadable(format!("{display}: {e}"))))
        });
    let scan = match scanned {
        Ok(scan) => scan,
        Err(e) => {
            if spooled {
                let _ = std::fs::remove_file(&file);
            }
            return Err(e);
        }
    };
    let mut input = Input {
        display,
        file,
        spooled,
        scan,
        delimiter: b',',
        headers: Vec::new(),
        columns: Columns::default(),
    };
    let header = read_header(&input)?;
    input.delimiter = opts.delimiter.unwrap_or_else(|| dialect::detect_delimiter(&header));
    input.headers = dialect::split_fields(&header, input.delimiter)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    input.columns = roles(&input.headers, opts)?;
    Ok(input)
}

impl Input {
    /// A reader of the records after the header, on the decoded stream.
    pub fn records(&self) -> anyhow::Result<RecordReader<Box<dyn BufRead + Send>>> {
        let mut reader = RecordReader::new(self.decoded()?, self.delimiter);
        let mut header = RawRecord::default();
        reader
            .read(&mut header)
            .with_context(|| format!("reading {}", self.display))?;
        Ok(reader)
    }

    /// The decoded (UTF-8) stream of the whole input.
    fn decoded(&self) -> anyhow::Result<Box<dyn BufRead + Send>> {
        let file = File::open(&self.file).map_err(|e| unreadable(&self.display, &e))?;
        let decoded = encoding::decode(BufReader::with_capacity(1 << 16, file), &self.scan);
        Ok(Box::new(BufReader::with_capacity(1 << 16, decoded)))
    }

    /// The file read, for the check that outputs never overwrite the input.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// True when the input came from standard input.
    pub fn is_stdin(&self) -> bool {
        self.spooled
    }
}

/// Resolves the path, spooling standard input into `spool_dir`.
fn locate(opts: &InputOptions) -> anyhow::Result<(String, PathBuf, bool)> {
    if opts.path.as_os_str() != "-" {
        let display = opts.path.display().to_string();
        if !opts.path.is_file() {
            let why = if opts.path.exists() {
                "is not a file"
            } else {
                "does not exist"
            };
            return Err(anyhow::Error::new(Unreadable(format!("{display}: {why}"))));
        }
        return Ok((display, opts.path.clone(), false));
    }
    let spool = opts
        .spool_dir
        .join(format!(".contact-audit-stdin-{}.tmp", std::process::id()));
    let mut out = File::create(&spool).with_context(|| format!("creating spool file {}", spool.display()))?;
    io::copy(&mut io::stdin().lock(), &mut out).map_err(|e| {
        let _ = std::fs::remove_file(&spool);
        anyhow::Error::new(Unreadable(format!("standard input: {e}")))
    })?;
    Ok(("-".to_string(), spool, true))
}

/// The first record (the header) of the decoded input, without terminator.
fn read_header(input: &Input) -> anyhow::Result<Vec<u8>> {
    let mut reader = RecordReader::new(input.decoded()?, b',');
    let mut rec = RawRecord::default();
    let found = reader.read(&mut rec).map_err(|e| unreadable(&input.display, &e))?;
    if !found || rec.text.iter().all(u8::is_ascii_whitespace) {
        return Err(anyhow::Error::new(Unreadable(format!(
            "{}: the input is empty (no header line)",
            input.display
        ))));
    }
    Ok(rec.text)
}

/// The columns to audit: given by flags, or detected from the header.
fn roles(headers: &[String], opts: &InputOptions) -> anyhow::Result<Columns> {
    let mut cols = columns::detect(headers);
    if let Some(wanted) = &opts.phone_columns {
        cols.phones = columns::select_phones(headers, wanted).context("--phone-columns")?;
    }
    if let Some(id) = &opts.id_column {
        cols.id = Some(columns::find(headers, id).context("--id-column")?);
    }
    if cols.phones.is_empty() {
        anyhow::bail!(
            "no phone column found in the header: {}\nname them with --phone-columns (names or 1-based numbers, \
             e.g. --phone-columns 手机,住宅电话,紧急联系人电话:contact) or use a header such as 手机, 住宅电话, \
             配偶电话, 紧急联系人电话, mobile, home_phone",
            columns::list(headers)
        );
    }
    Ok(cols)
}

fn unreadable(display: &str, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(Unreadable(format!("{display}: {e}")))
}
