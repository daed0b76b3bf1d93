//! Hostile or damaged input, written byte for byte (issue 10): old Mac line ends, a stray
//! quote, short rows, a broken header, call times in 2999 and 1970, a line longer than the
//! reader's limit, NUL bytes on standard input, gzip, UTF-16 and Excel files, and a record
//! packed with numbers. Each test fails when the behaviour it names breaks.

use std::fmt::Write as _;

use crate::harness::{Workdir, assert_exit, stderr, stdout};

/// `audit FILE --out out --quiet --lang en` with `extra` arguments.
fn audit(wd: &Workdir, input: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["audit", input, "--out", "out", "--quiet", "--lang", "en"];
    args.extend_from_slice(extra);
    wd.run(&args)
}

fn summary(wd: &Workdir) -> serde_json::Value {
    serde_json::from_str(&wd.read_string("out/summary.json")).unwrap()
}

/// An output CSV as text, without the UTF-8 BOM the tool writes for Excel.
fn output(wd: &Workdir, name: &str) -> String {
    let text = wd.read_string(&format!("out/{name}"));
    text.trim_start_matches('\u{FEFF}').to_string()
}

/// Issue 10: a file with only `\r` line ends was read as 0 rows and passed the gate.
#[test]
fn old_mac_line_ends_are_read_as_lines() {
    let wd = Workdir::new();
    wd.write(
        "mac.csv",
        b"id,name,mobile\r1,Zhang,13971234567\r2,Li,1397123456\r3,Wang,18627001234\r",
    );
    let out = audit(&wd, "mac.csv", &["--fail-on", "invalid>0"]);
    assert_exit(&out, 1);
    let s = summary(&wd);
    assert_eq!(s["input"]["rows"], 3, "{s:#}");
    assert_eq!(s["input"]["lines"], 4);
    assert_eq!(s["numbers"]["invalid"], 1);
    // Mixed CRLF, LF and CR: the same three rows.
    wd.write(
        "mixed.csv",
        b"id,name,mobile\r\n1,Zhang,13971234567\n2,Li,1397123456\r3,Wang,18627001234",
    );
    assert_exit(&audit(&wd, "mixed.csv", &["--fail-on", "invalid>0"]), 1);
    let s = summary(&wd);
    assert_eq!(
        (s["input"]["rows"].as_u64(), s["input"]["bad_rows"].as_u64()),
        (Some(3), Some(0))
    );
}

/// Issue 10: a stray quote that closes 99 lines later swallowed the rows between, so
/// `--fail-on bad_rows>0` passed and their numbers were never checked.
#[test]
fn a_stray_quote_is_a_bad_row_and_the_rows_after_it_are_audited() {
    let wd = Workdir::new();
    let mut input = String::from("id,name,mobile\n1,\"Zhang,13971234567\n");
    for i in 2..100 {
        let _ = writeln!(input, "{i},Li,1397123{:04}", 4000 + i);
    }
    input.push_str("100,Wang,1397123456\n101,\"Zhao\",18627001234\n");
    wd.write("stray.csv", &input);
    let out = audit(&wd, "stray.csv", &["--fail-on", "bad_rows>0"]);
    assert_exit(&out, 1);
    let s = summary(&wd);
    assert_eq!(s["input"]["bad_rows"], 1, "{s:#}");
    assert_eq!(s["input"]["rows"], 101);
    assert_eq!(s["numbers"]["total"], 100, "every row after the stray quote is audited");
    assert_eq!(s["numbers"]["invalid"], 1, "line 101's 10-digit mobile is checked");
    let bad = output(&wd, "bad_rows.csv");
    let lines: Vec<&str> = bad.lines().collect();
    assert_eq!(lines.len(), 2, "{bad}");
    assert!(
        lines[1].starts_with("2,1,\"a stray quote on line 2 opens a field that would swallow line 3"),
        "{bad}"
    );
    // A quote that never closes before the end: one bad row, the rest audited too.
    wd.write(
        "open.csv",
        "id,name,mobile\n1,Zhang,13971234567\n2,\"Li,18627001234\n3,Wang\n",
    );
    assert_exit(&audit(&wd, "open.csv", &[]), 0);
    let s = summary(&wd);
    assert_eq!(
        (s["input"]["rows"].as_u64(), s["input"]["bad_rows"].as_u64()),
        (Some(3), Some(1))
    );
    assert!(output(&wd, "bad_rows.csv").contains("never closes before the end of the input"));
}

/// A quoted field with a line break (an address) is still one field of one record.
#[test]
fn a_multi_line_quoted_address_still_reads_as_one_record() {
    let wd = Workdir::new();
    wd.write(
        "addr.csv",
        "id,address,mobile\r\n1,\"Room 5, Building 3\r\nJiefang Road 9\r\nWuhan\",13971234567\r\n2,x,1397123456\r\n",
    );
    let out = audit(&wd, "addr.csv", &["--fail-on", "bad_rows>0"]);
    assert_exit(&out, 0);
    let s = summary(&wd);
    assert_eq!(s["input"]["rows"], 2, "{s:#}");
    assert_eq!(s["numbers"]["ok"], 1);
    assert_eq!(s["numbers"]["invalid"], 1);
}

/// Issue 10: rows with fewer fields than the header went to bad_rows.csv and their phones
/// were never checked. They are rows with empty trailing cells, counted as `row.short`.
#[test]
fn short_rows_are_read_with_empty_cells_and_their_phones_checked() {
    let wd = Workdir::new();
    wd.write(
        "short.csv",
        "id,name,mobile,home,contact\n1,Zhang,1397123456\n2,Li\n3,Wang,18627001234,,\n4,Zhao,1,2,3,4\n",
    );
    let out = audit(&wd, "short.csv", &["--fail-on", "invalid>0"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("check failed: invalid>0 (observed 1)"),
        "{}",
        stderr(&out)
    );
    let s = summary(&wd);
    assert_eq!(s["numbers"]["by_issue"]["row.short"], 2, "{s:#}");
    assert_eq!(
        s["input"]["bad_rows"], 1,
        "only the row with more fields than the header"
    );
    let bad = output(&wd, "bad_rows.csv");
    assert!(bad.contains("6 fields where the header has 5"), "{bad}");
    let report = wd.read_string("out/report.md");
    assert!(report.contains("| `row.short` | info | 2 |"), "{report}");
    // The code is listed and explained like every other.
    let list = wd.run(&["explain", "--list", "--lang", "en"]);
    assert!(stdout(&list).contains("row.short"), "{}", stdout(&list));
    assert_exit(&wd.run(&["explain", "row.short"]), 0);
}

/// Issue 10: a broken quote in the header made every row bad and the run exit 0.
#[test]
fn a_header_that_cannot_be_read_stops_the_run_with_the_reason() {
    let wd = Workdir::new();
    wd.write("hq.csv", "id,\"name,mobile\n1,Zhang,13971234567\n2,Li,18627001234\n");
    let out = audit(&wd, "hq.csv", &[]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("the header (line 1) has a quoted field that never closes"),
        "{err}"
    );
    // A header over the line limit is unreadable input, and its echo is capped.
    let mut long = "mobile,".repeat(300_000);
    long.push_str("\n1\n");
    wd.write("long_header.csv", &long);
    let out = audit(&wd, "long_header.csv", &[]);
    assert_exit(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("the header line is 2100000 bytes long"), "{err}");
    assert!(err.len() < 1_000, "{} bytes of message", err.len());
}

/// The logs for the history tests: three readable attempts, then one in 2999 and one in
/// 1970 (Unix time 0 read in Shanghai).
fn history_fixture(wd: &Workdir) {
    wd.write("c.csv", "客户编号,手机\nK1,13971234573\nK2,18627001234\n");
    wd.write(
        "calls.csv",
        "被叫号码,呼叫时间,呼叫结果,通话时长\r\n\
         13971234573,2026-11-03 10:00:00,无人接听,0\r\n\
         18627001234,2026-11-03 11:00:00,无人接听,0\r\n\
         13971234573,2026-11-04 10:00:00,无人接听,0\r\n\
         18627001234,2999-01-01 10:00:00,无人接听,0\r\n\
         13971234573,1970-01-01 08:00:00,无人接听,0\r\n",
    );
}

/// Issue 10: a 2999 attempt became the history's "as of"; 1970 attempts were clamped to
/// 2000-01-01 and reported as calling-window violations.
#[test]
fn call_times_outside_the_plausible_range_are_unreadable_lines() {
    let wd = Workdir::new();
    history_fixture(&wd);
    let out = audit(&wd, "c.csv", &["--history", "calls.csv", "--max-unreadable", "50%"]);
    assert_exit(&out, 0);
    let s = summary(&wd);
    let calls = &s["calls"];
    assert_eq!(calls["as_of"], "2026-11-04 10:00", "{s:#}");
    assert_eq!(
        (calls["attempts"].as_u64(), calls["unreadable"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(s["compliance"]["window_violations"], 0);
    let examples = calls["bad_examples"].to_string();
    assert!(
        examples.contains("calls.csv:5: the time 2999-01-01 10:00 is outside the plausible range"),
        "{examples}"
    );
    assert!(
        examples.contains("calls.csv:6: the time 1970-01-01 08:00 is outside"),
        "{examples}"
    );
    assert!(wd.read_string("out/report.md").contains("2999-01-01 10:00 is outside"));
    // With --as-of, the range ends a day after it; the flag sets both ends.
    let as_of = [
        "--history",
        "calls.csv",
        "--max-unreadable",
        "50%",
        "--as-of",
        "2026-11-03",
    ];
    assert_exit(&audit(&wd, "c.csv", &as_of), 0);
    let s = summary(&wd);
    let counts = ["attempts", "after_as_of", "unreadable"].map(|k| s["calls"][k].as_u64());
    assert_eq!(counts, [Some(2), Some(1), Some(2)], "{s:#}");
    let ranged = [
        "--history",
        "calls.csv",
        "--max-unreadable",
        "80%",
        "--history-time-range",
        "2026-11-04..",
    ];
    assert_exit(&audit(&wd, "c.csv", &ranged), 0);
    assert_eq!(summary(&wd)["calls"]["unreadable"], 4);
    let bad = audit(
        &wd,
        "c.csv",
        &["--history", "calls.csv", "--history-time-range", "1999-01-01.."],
    );
    assert_exit(&bad, 2);
    assert!(stderr(&bad).contains("--history-time-range"), "{}", stderr(&bad));
}

/// Issue 10: a 200 MB line took 1 GB. A line over the limit (1 MiB) is a bad row whose
/// start is kept; the rows after it are audited.
#[test]
fn a_line_over_the_limit_is_a_bad_row_and_reading_goes_on() {
    let wd = Workdir::new();
    let mut input = b"id,name,mobile\n1,Zhang,13971234567\n2,".to_vec();
    input.extend(std::iter::repeat_n(b'x', 3 << 20));
    input.extend_from_slice(b",13971234567\n3,Wang,1397123456\n");
    wd.write("long.csv", &input);
    let out = audit(&wd, "long.csv", &["--fail-on", "invalid>0"]);
    assert_exit(&out, 1);
    let s = summary(&wd);
    assert_eq!(
        (s["input"]["rows"].as_u64(), s["input"]["bad_rows"].as_u64()),
        (Some(3), Some(1))
    );
    let bad = output(&wd, "bad_rows.csv");
    assert!(
        bad.contains("the line is 3145742 bytes long, more than the limit of 1048576 bytes"),
        "{bad}"
    );
    assert!(
        bad.len() < 1_000,
        "only the line's start is listed: {} bytes",
        bad.len()
    );
    let cleaned = output(&wd, "cleaned.csv");
    assert_eq!(
        cleaned.lines().count(),
        3,
        "a cut line is left out of cleaned.csv: {cleaned}"
    );
}

/// Issue 10: 300 MB of NUL bytes on stdin took 1.6 GB and printed a 314 MB message.
#[test]
fn nul_bytes_on_standard_input_are_binary_with_a_short_message() {
    let wd = Workdir::new();
    let out = wd.run_stdin(&["audit", "-", "--out", "out", "--quiet"], &vec![0u8; 8 << 20]);
    assert_exit(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("-: the input is binary data, not text"), "{err}");
    assert!(err.len() < 500, "{} bytes of message", err.len());
}

/// Issue 10: non-text inputs were "mixes encodings ... GB18030", and UTF-16 without a BOM
/// became "no phone column found". Each is named, exit 3.
#[test]
fn non_text_inputs_say_what_they_are() {
    let wd = Workdir::new();
    let utf16: Vec<u8> = "id,mobile\r\n1,13971234567\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut random = Vec::new();
    let mut x: u32 = 7;
    for _ in 0..10_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        random.push((x >> 16) as u8);
    }
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "c.csv.gz",
            vec![0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3],
            "gzip-compressed",
        ),
        ("u16.csv", utf16, "UTF-16LE text without a byte order mark"),
        (
            "book.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml PK\x03\x04 xl/workbook.xml".to_vec(),
            "cannot be read as an Excel workbook (.xlsx)",
        ),
        (
            "book.xls",
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
            "cannot be read as an Excel workbook (.xls)",
        ),
        ("random.csv", random, "binary data, not text"),
    ];
    for (name, bytes, said) in cases {
        wd.write(name, &bytes);
        let out = audit(&wd, name, &[]);
        assert_exit(&out, 3);
        let err = stderr(&out);
        assert!(err.contains(said), "{name}: {err}");
        assert!(
            !err.contains("mixes encodings") && !err.contains("no phone column"),
            "{name}: {err}"
        );
        if name.contains("xls") {
            // Told by content, then opened as a workbook (issue 9): these are only signatures.
            assert!(err.contains("cannot be read as an Excel workbook"), "{err}");
        }
    }
}

/// Issue 10: in-record duplicate detection was quadratic (19.3 s for numbers packed 27,000
/// to a record against 1.6 s spread out). A record of 32,000 numbers, each twice, reads in
/// well under the time the quadratic search took, with every duplicate found.
#[test]
fn a_record_packed_with_numbers_is_audited_with_its_duplicates() {
    let wd = Workdir::new();
    let columns = 8;
    let per_cell = 4_000;
    let mut input = String::from("id");
    for c in 0..columns {
        let _ = write!(input, ",phone{c}");
    }
    input.push_str("\nK1");
    for c in 0..columns {
        input.push(',');
        let cell: Vec<String> = (0..per_cell)
            .map(|i| format!("139{:08}", (c * per_cell + i) % (columns * per_cell / 2)))
            .collect();
        input.push_str(&cell.join("/"));
    }
    input.push('\n');
    wd.write("packed.csv", &input);
    let started = std::time::Instant::now();
    let out = audit(
        &wd,
        "packed.csv",
        &[
            "--phone-columns",
            "phone0,phone1,phone2,phone3,phone4,phone5,phone6,phone7",
        ],
    );
    let took = started.elapsed();
    assert_exit(&out, 0);
    let s = summary(&wd);
    assert_eq!(s["numbers"]["total"], 32_000, "{:#}", s["numbers"]);
    assert_eq!(s["numbers"]["by_issue"]["duplicate.in_record"], 16_000);
    assert!(took.as_secs() < 120, "took {took:?}");
}
