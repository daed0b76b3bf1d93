//! Entry points for the fuzz targets in `fuzz/` (built only with the `fuzzing` feature, never
//! part of the public API). Each takes arbitrary bytes, drives one reader of untrusted input,
//! and asserts what must hold for every input, so that the fuzzer finds wrong answers as well
//! as panics and hangs. `scripts/fuzz.sh` builds and runs them.

use std::io::Read as _;
use std::sync::OnceLock;

use crate::history::logs::{LogOptions, LogReader, TimeRange};
use crate::input::encoding::{self, Encoding};
use crate::input::{RawRecord, RecordReader};
use crate::phone::{Engine, Kind};
use crate::rules::RuleSet;

/// The embedded rules, loaded once per fuzzing process.
fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::embedded)
}

/// One cell through the number engine. Holds: no panic, and every recognised number's
/// cleaned form reads back as the same number (cleaning is a fixed point).
pub fn cell(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let engine = Engine::new(rules());
    let once = engine.check(&text);
    for n in &once.numbers {
        assert!(n.raw.end as usize <= text.len(), "raw range inside the cell");
        if n.kind == Kind::Unknown || !n.complete {
            continue;
        }
        let cleaned = n.cleaned();
        let twice = engine.check(&cleaned);
        assert_eq!(twice.numbers.len(), 1, "{text:?} -> {cleaned:?} reads as one number");
        let m = &twice.numbers[0];
        assert_eq!(m.cleaned(), cleaned, "{text:?}: cleaning is a fixed point");
        assert_eq!(m.e164(), n.e164(), "{text:?}: the same E.164 form");
    }
}

/// Bytes through the CSV record reader. Holds: no panic, it ends, record lines only grow, and
/// the records hold no more bytes than the input.
pub fn records(data: &[u8]) {
    let delimiter = [b',', b'\t', b';', b'|'][usize::from(data.first().copied().unwrap_or(0) & 3)];
    let mut reader = RecordReader::new(data, delimiter);
    // Half the runs know the header's width, which turns on the stray-quote check.
    if let Some(&b) = data.get(1).filter(|b| **b & 0x80 != 0) {
        reader = reader.with_width(usize::from(b & 7) + 1);
    }
    let mut rec = RawRecord::default();
    let (mut last_line, mut bytes) = (0, 0);
    while reader.read(&mut rec).expect("reading from memory does not fail") {
        assert!(
            rec.line > last_line,
            "line numbers grow: {} after {last_line}",
            rec.line
        );
        last_line = rec.line;
        bytes += rec.text.len();
        assert!(bytes <= data.len(), "records hold no bytes the input lacks");
    }
}

/// Bytes through the encoding decision. Holds: no panic; the decision does not depend on how
/// the input is cut into reads; a decided file decodes without a replacement character it did
/// not hold, and a UTF-8 file decodes to itself (less its BOM, or a BOM written twice).
pub fn encoding(data: &[u8]) {
    let whole = encoding::scan(data, None);
    let cut = 4 + usize::from(data.first().copied().unwrap_or(0) % 13);
    let small = encoding::scan_with(data, None, &mut vec![0; cut]);
    assert_eq!(
        whole
            .as_ref()
            .map(|s| (s.encoding, s.bom_len, s.lines))
            .map_err(ToString::to_string),
        small
            .as_ref()
            .map(|s| (s.encoding, s.bom_len, s.lines))
            .map_err(ToString::to_string),
        "the decision is the same for any read size"
    );
    let Ok(scan) = whole else { return };
    let mut text = String::new();
    encoding::decode(data, &scan)
        .read_to_string(&mut text)
        .expect("a decided file decodes");
    if scan.encoding == Encoding::Utf8 {
        // A BOM written twice is dropped whole (see `decode`).
        let body = &data[scan.bom_len..];
        let body = body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(body);
        assert_eq!(text.as_bytes(), body, "UTF-8 decodes to itself");
    } else if text.contains('\u{FFFD}') {
        let encoded_fffd: &[u8] = &[0x84, 0x31, 0xA4, 0x37];
        assert!(
            data.windows(4).any(|w| w == encoded_fffd),
            "a GB18030 file decodes without replacement characters"
        );
    }
}

/// Bytes as a call-history log, through detection, the time-format decision and parsing.
/// Holds: no panic and it ends; every attempt's line lies within the file.
pub fn history(data: &[u8]) {
    // The log reader opens files by path: one scratch file per fuzzing process.
    let path = std::env::temp_dir().join(format!("contact-audit-fuzz-{}.log", std::process::id()));
    std::fs::write(&path, data).expect("writing the scratch file");
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    // The default plausible range, as of a fixed day, so a run does not depend on the clock.
    let as_of = jiff::Timestamp::from_second(1_796_083_200).expect("2026-12-01");
    let plausible = TimeRange::default().resolve(&tz, as_of).expect("the default range");
    let opts = LogOptions {
        sheet: None,
        format: None,
        columns: crate::history::logs::HistoryColumns::default(),
        tz,
        time_format: None,
        dial_prefix: None,
        plausible: Some(plausible),
        known: crate::input::Known::default(),
    };
    let Ok(reader) = LogReader::open_with(&path, &opts) else {
        return;
    };
    let lines = reader.lines();
    for item in reader {
        let line = match item {
            Ok(attempt) => attempt.line,
            Err((line, _)) => line,
        };
        assert!(
            line >= 1 && line <= lines.max(1),
            "line {line} within the {lines} lines"
        );
    }
}
