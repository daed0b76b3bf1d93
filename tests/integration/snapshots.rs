//! Golden outputs: every file `audit` writes for the bundled example, with and without the
//! call history, pinned with insta. A change to any output byte shows up here as a readable
//! diff; accept an intended one with `cargo insta review` (or `INSTA_UPDATE=always`).
//!
//! Snapshots hold the text with the BOM taken off and CRLF shown as LF, so diffs stay
//! readable; the byte form (BOM present, every line ending CRLF) is asserted beside them.

use crate::harness::{Workdir, assert_exit};

fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The CSV files of a run without history, and the ones `--history` adds.
const CSV: [&str; 6] = [
    "numbers.csv",
    "cleaned.csv",
    "removed.csv",
    "customers.csv",
    "bad_rows.csv",
    "shared.csv",
];
const HISTORY_CSV: [&str; 3] = ["prune.csv", "orphans.csv", "compliance.csv"];

/// Runs the audit of the bundled example in a scratch directory and returns it.
fn run(extra: &[&str]) -> Workdir {
    let wd = Workdir::new();
    let contacts = repo("examples/contacts.csv");
    let mut args = vec!["audit", contacts.as_str(), "--out", "out", "--quiet", "--exit-zero"];
    args.extend_from_slice(extra);
    assert_exit(&wd.run(&args), 0);
    wd
}

/// A CSV output as text, after checking its byte form: a UTF-8 BOM and CRLF line endings.
fn csv_text(wd: &Workdir, name: &str) -> String {
    let bytes = wd.read(&format!("out/{name}"));
    let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
    let body = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("{name} has no BOM"));
    let lf = body.matches('\n').count();
    let crlf = body.matches("\r\n").count();
    assert_eq!(lf, crlf, "{name}: every line ends in CRLF");
    // compliance.csv names the log a violation was read from, by the path it was given.
    body.replace("\r\n", "\n")
        .replace(&repo("examples/"), "[repo]/examples/")
}

/// summary.json with the lines that name where the example sits on this machine and when the
/// run started (its run record), after checking that time's shape.
fn summary(wd: &Workdir) -> String {
    let text = wd.read_string("out/summary.json");
    let here = repo("examples/");
    started_filtered(&text.replace(&here, "[repo]/examples/"))
}

/// The run record's start time as `[started]`, once checked to be UTC RFC 3339 to the second.
fn started_filtered(text: &str) -> String {
    let key = "\"started\": \"";
    let at = text.find(key).expect("summary.json records when the run started") + key.len();
    let time = &text[at..at + 20];
    let shape = time.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        10 => b == b'T',
        13 | 16 => b == b':',
        19 => b == b'Z',
        _ => b.is_ascii_digit(),
    });
    assert!(shape && text[at + 20..].starts_with('"'), "started: {time}");
    format!("{}[started]{}", &text[..at], &text[at + 20..])
}

fn report(wd: &Workdir) -> String {
    wd.read_string("out/report.md")
        .replace(&repo("examples/"), "[repo]/examples/")
}

#[test]
fn every_output_of_the_example_without_history() {
    let wd = run(&["--lang", "en"]);
    for name in CSV {
        insta::assert_snapshot!(format!("plain__{name}"), csv_text(&wd, name));
    }
    for name in HISTORY_CSV {
        assert!(!wd.path().join("out").join(name).exists(), "{name} without --history");
    }
    insta::assert_snapshot!("plain__summary.json", summary(&wd));
    insta::assert_snapshot!("plain__report.md", report(&wd));
}

#[test]
fn every_output_of_the_example_with_history() {
    let calls = repo("examples/calls.csv");
    let wd = run(&["--history", &calls, "--lang", "zh"]);
    for name in CSV.iter().chain(&HISTORY_CSV) {
        insta::assert_snapshot!(format!("history__{name}"), csv_text(&wd, name));
    }
    insta::assert_snapshot!("history__summary.json", summary(&wd));
    insta::assert_snapshot!("history__report.md", report(&wd));
}

/// report.md with the call history in English: the same figures as the Chinese report above,
/// every heading, label and status in English.
#[test]
fn report_with_history_in_english() {
    let calls = repo("examples/calls.csv");
    let wd = run(&["--history", &calls, "--lang", "en"]);
    insta::assert_snapshot!("history_en__report.md", report(&wd));
}
