//! `csv_scan`: the floor for the audit benchmarks.
//!
//! A single-threaded plain CSV scan of one file with the `csv` crate, and nothing else: no
//! decoding, no header roles, no phone engine, no joins, no output files. It parses every
//! record into one reused [`csv::ByteRecord`] and touches every byte of every field (the sum
//! of field lengths and a cheap checksum), so the compiler cannot skip the work.
//!
//! No audit can read a file faster than this, so `scripts/bench.sh` times it next to
//! `contact-audit audit` on the same file and reports the ratio audit/floor: the cost of
//! everything the audit does on top of reading the CSV.
//!
//! Run: `cargo run --release --example csv_scan -- FILE`. Prints `rows=N bytes=M checksum=C`,
//! where N counts data records (the header is skipped), M is the sum of field lengths in bytes
//! and C depends on every byte and on field boundaries. Exit code 2 on a usage error, 3 when
//! the file cannot be opened or read.

use std::ffi::OsString;
use std::fs::File;
use std::process::ExitCode;

/// What the scan found.
struct Scan {
    rows: u64,
    bytes: u64,
    checksum: u64,
}

fn scan(path: &OsString) -> Result<Scan, csv::Error> {
    let file = File::open(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(file);
    let mut record = csv::ByteRecord::new();
    let mut out = Scan {
        rows: 0,
        bytes: 0,
        checksum: 0,
    };
    while reader.read_byte_record(&mut record)? {
        out.rows += 1;
        for field in &record {
            // A plain byte sum vectorises; mixing it in per field makes the checksum
            // depend on field boundaries as well as on the bytes.
            let sum: u64 = field.iter().map(|&b| u64::from(b)).sum();
            out.bytes += field.len() as u64;
            out.checksum = (out.checksum.rotate_left(5) ^ sum).wrapping_add(field.len() as u64);
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: csv_scan FILE");
        return ExitCode::from(2);
    };
    match scan(&path) {
        Ok(s) => {
            println!("rows={} bytes={} checksum={}", s.rows, s.bytes, s.checksum);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("csv_scan: {}: {e}", path.to_string_lossy());
            ExitCode::from(3)
        }
    }
}
