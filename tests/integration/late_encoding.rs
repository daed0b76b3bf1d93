//! The encoding check that runs beside the stream (issue 11) must say what a check run first
//! says. The files here are GB18030 or broken only past the first mebibyte, the head a run
//! guesses from: a run on two threads (which guesses, and reads again when the guess was
//! wrong) must give the outputs of a run on one (which scans the whole file first), and a
//! bad file must fail with the same message and exit code, leaving nothing behind.

use std::collections::BTreeMap;

use crate::harness::{Workdir, assert_exit, outputs, stderr};

/// Rows of ASCII contacts, enough to fill the head the guess is taken from.
fn ascii_rows(text: &mut Vec<u8>, from: u64, count: u64) {
    for i in from..from + count {
        text.extend_from_slice(
            format!(
                "KH{i:07},zhang san,139{:08},027-8{:07}\r\n",
                i % 100_000_000,
                i % 10_000_000
            )
            .as_bytes(),
        );
    }
}

/// GB18030 bytes of `text`, written out by encoding_rs (the fixture's encoder, not the tool's).
fn gb(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// A contact file whose first 1.3 MB are ASCII, then rows whose names are GB18030.
fn late_gb18030_contacts() -> Vec<u8> {
    let mut text = b"id,name,mobile,home\r\n".to_vec();
    ascii_rows(&mut text, 0, 25_000);
    for (i, name) in ["李四", "王五", "赵六转"].iter().enumerate() {
        text.extend_from_slice(format!("KH9{i:06},").as_bytes());
        text.extend_from_slice(&gb(name));
        text.extend_from_slice(format!(",1390000{i:04},\r\n").as_bytes());
    }
    text
}

/// Audits on one thread and on two, and checks they wrote the same; returns the outputs.
fn same_on_one_and_two_threads(wd: &Workdir, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut runs = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("out-j{threads}");
        let mut all = vec![
            "audit",
            "--out",
            &out,
            "--quiet",
            "--exit-zero",
            "-j",
            threads,
            "--as-of",
            "2026-11-30",
        ];
        all.extend_from_slice(args);
        assert_exit(&wd.run(&all), 0);
        runs.push(outputs(&wd.path().join(&out)));
    }
    let (one, two) = (&runs[0], &runs[1]);
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (name, bytes) in one {
        assert!(bytes == &two[name], "{name} differs between -j1 and -j2");
    }
    runs.swap_remove(1)
}

#[test]
fn a_file_that_turns_gb18030_past_its_head_is_read_as_gb18030() {
    let wd = Workdir::new();
    wd.write("c.csv", late_gb18030_contacts());
    let out = same_on_one_and_two_threads(&wd, &["c.csv"]);
    let summary = String::from_utf8(out["summary.json"].clone()).unwrap();
    assert!(summary.contains("\"encoding\": \"gb18030\""), "{summary}");
    assert!(summary.contains("\"encoding_source\": \"detected\""), "{summary}");
    // The names come out as the characters they are (cleaned.csv is UTF-8), not U+FFFD.
    let cleaned = String::from_utf8(out["cleaned.csv"].clone()).unwrap();
    assert!(
        cleaned.contains("KH9000002,赵六转,13900000002"),
        "{}",
        &cleaned[cleaned.len() - 200..]
    );
}

#[test]
fn a_log_whose_outcome_texts_turn_gb18030_past_its_head_is_read_as_gb18030() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,mobile\r\nKH1,13900000001\r\nKH2,13900000002\r\n");
    let mut log = b"number,time,outcome\r\n".to_vec();
    for i in 0..30_000u64 {
        let at = format!("2026-10-{:02} {:02}:{:02}:00", 1 + i % 28, 8 + i % 10, i % 60);
        log.extend_from_slice(format!("1390100{:04},{at},ANSWERED\r\n", i % 10_000).as_bytes());
    }
    // Issue 9's trap in reverse: read as UTF-8 these would be unknown outcomes, not 已关机.
    for at in ["2026-11-02 09:00:00", "2026-11-03 15:00:00", "2026-11-04 10:00:00"] {
        log.extend_from_slice(format!("13900000002,{at},").as_bytes());
        log.extend_from_slice(&gb("已关机"));
        log.extend_from_slice(b"\r\n");
    }
    assert!(log.len() > 1_200_000);
    wd.write("calls.csv", log);
    let out = same_on_one_and_two_threads(&wd, &["c.csv", "--history", "calls.csv"]);
    let numbers = String::from_utf8(out["numbers.csv"].clone()).unwrap();
    let row = numbers.lines().find(|l| l.contains("13900000002")).unwrap();
    assert!(row.contains("powered_off"), "{row}");
}

#[test]
fn a_file_that_mixes_encodings_past_its_head_fails_and_leaves_nothing() {
    let wd = Workdir::new();
    let mut text = "客户编号,手机\r\n".as_bytes().to_vec();
    ascii_rows(&mut text, 0, 25_000);
    let mixed_line = 25_002;
    text.extend_from_slice(b"KH9,");
    text.extend_from_slice(&gb("李四"));
    text.extend_from_slice(b",13900000000\r\n");
    wd.write("c.csv", &text);
    for threads in ["1", "2"] {
        let run = wd.run(&["audit", "c.csv", "--out", "out", "--quiet", "-j", threads]);
        assert_exit(&run, 3);
        let message = stderr(&run);
        assert!(
            message.contains(&format!("line 1 is UTF-8 and line {mixed_line} is GB18030")),
            "-j{threads}: {message}"
        );
        assert!(!wd.path().join("out").exists(), "-j{threads} left its --out behind");
    }
}

#[test]
fn a_log_with_a_bad_byte_past_its_head_fails_and_keeps_the_earlier_outputs() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,mobile\r\nKH1,13900000001\r\n");
    assert_exit(&wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]), 0);
    let earlier = outputs(&wd.path().join("out"));
    let mut log = b"number,time,outcome\r\n".to_vec();
    for i in 0..30_000u64 {
        log.extend_from_slice(format!("1390100{:04},2026-10-01 09:00:00,ANSWERED\r\n", i % 10_000).as_bytes());
    }
    log.extend_from_slice(b"13900000001,2026-10-02 09:00:00,\xFF\xFE\xFD\r\n");
    wd.write("calls.csv", log);
    for threads in ["1", "2"] {
        let run = wd.run(&[
            "audit",
            "c.csv",
            "--history",
            "calls.csv",
            "--out",
            "out",
            "--quiet",
            "-j",
            threads,
        ]);
        assert_exit(&run, 3);
        let message = stderr(&run);
        assert!(
            message.contains("calls.csv: not valid UTF-8 or GB18030") && message.contains("(line 30002)"),
            "-j{threads}: {message}"
        );
        assert_eq!(
            outputs(&wd.path().join("out")),
            earlier,
            "-j{threads} touched the earlier outputs"
        );
    }
}
