//! `contact-audit audit` end to end: encodings, dialects, bad input, outputs, the CI gate,
//! determinism across thread counts, and the lossless property of cleaned + removed.

use std::collections::BTreeMap;

use contact_audit::phone::Engine;
use contact_audit::rules::RuleSet;

use crate::harness::{Workdir, assert_exit, stderr, stdout};

const HEADER: &str = "客户编号,姓名,手机,住宅电话,配偶电话,紧急联系人电话";

/// A small contact file with good, bad and odd numbers, one row per line (no terminator).
fn rows() -> Vec<&'static str> {
    vec![
        "KH001,张三,13971234567,027-87654321,18627001234,13971234567",
        "KH002,李四,1397123456,027-1234567,,15972345678",
        "KH003,王五,\"13971234567/027-87654322\",无,,",
        "KH004,赵六,1.38001E+10,87654321,,95588",
        "KH005,孙七,+86 186 2700 1235,027-87654321转8001,,",
        "KH006,周八,13800138000,,,",
        "KH001,张三,15972345679,,,",
    ]
}

fn file(sep: &str) -> String {
    let mut s = String::from(HEADER);
    for r in rows() {
        s.push_str(sep);
        s.push_str(r);
    }
    s.push_str(sep);
    s
}

fn audit(wd: &Workdir, input: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["audit", input, "--out", "out", "--quiet", "--lang", "en"];
    args.extend_from_slice(extra);
    wd.run(&args)
}

fn summary(wd: &Workdir) -> serde_json::Value {
    serde_json::from_str(&wd.read_string("out/summary.json")).unwrap()
}

/// Strips a UTF-8 BOM.
fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).to_vec()).unwrap()
}

#[test]
fn utf8_crlf_file_is_audited() {
    let wd = Workdir::new();
    wd.write("c.csv", file("\r\n"));
    let out = audit(&wd, "c.csv", &[]);
    assert_exit(&out, 0);
    let s = summary(&wd);
    assert_eq!(s["input"]["encoding"], "utf-8");
    assert_eq!(s["input"]["rows"], 7);
    assert_eq!(s["input"]["bad_rows"], 0);
    assert_eq!(s["customers"]["total"], 6);
    assert_eq!(s["numbers"]["by_issue"]["landline.length"], 1);
    assert_eq!(s["numbers"]["by_issue"]["mobile.length"], 1);
    assert_eq!(s["numbers"]["by_issue"]["format.excel_scientific"], 1);
    assert_eq!(s["numbers"]["by_issue"]["contact.same_as_borrower"], 1);
    assert_eq!(s["result"]["exit_code"], 0);
    let numbers = text(&wd.read("out/numbers.csv"));
    assert!(numbers.starts_with("line,record,customer_id,column,relation,raw,e164,national"));
    assert!(
        numbers.contains("3,2,KH002,住宅电话,self,027-1234567,,027-1234567,,landline,"),
        "{numbers}"
    );
    let customers = text(&wd.read("out/customers.csv"));
    let kh001: Vec<&str> = customers.lines().filter(|l| l.starts_with("KH001,")).collect();
    assert_eq!(kh001.len(), 1, "records of one customer merge: {customers}");
    assert!(kh001[0].starts_with("KH001,2,2,"), "{customers}");
}

#[test]
fn gb18030_file_is_detected_and_cleaned_keeps_utf8_with_bom() {
    let wd = Workdir::new();
    let utf8 = file("\r\n");
    let (gb, _, _) = encoding_rs::GB18030.encode(&utf8);
    wd.write("gb.csv", &gb);
    assert!(std::str::from_utf8(&gb).is_err(), "the fixture really is GB18030");
    let out = audit(&wd, "gb.csv", &[]);
    assert_exit(&out, 0);
    assert_eq!(summary(&wd)["input"]["encoding"], "gb18030");
    let cleaned = wd.read("out/cleaned.csv");
    assert!(cleaned.starts_with(b"\xEF\xBB\xBF\xE5\xAE\xA2"), "UTF-8 BOM then 客");
    let out = audit(&wd, "gb.csv", &["--output-encoding", "gb18030"]);
    assert_exit(&out, 0);
    let cleaned = wd.read("out/cleaned.csv");
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&cleaned);
    assert!(!bad && decoded.starts_with(HEADER), "{decoded}");
}

#[test]
fn bom_semicolons_and_stdin() {
    let wd = Workdir::new();
    let input = format!(
        "\u{FEFF}{}",
        file("\n")
            .replace(',', ";")
            .replace("\"13971234567/027-87654322\"", "13971234567/027-87654322")
    );
    let out = wd.run_stdin(&["audit", "-", "--out", "out", "--quiet"], input.as_bytes());
    assert_exit(&out, 0);
    let s = summary(&wd);
    assert_eq!(s["input"]["path"], "-");
    assert_eq!(s["input"]["encoding_source"], "bom");
    assert_eq!(s["input"]["delimiter"], ";");
    assert_eq!(s["input"]["rows"], 7);
    let names: Vec<String> = std::fs::read_dir(wd.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "no spool or temp file left: {names:?}"
    );
}

/// Rows with more fields than the header, or broken quoting, are bad rows; a short row is
/// read with empty trailing cells (issue 10; tests/integration/hostile_input.rs has more).
#[test]
fn ragged_rows_are_listed_and_passed_through() {
    let wd = Workdir::new();
    let mut input = file("\n");
    input.push_str("KH009,short\nKH010,x,13971234567,,,,extra\n\"KH011,broken quote,13971234567,,,\n");
    input.push_str("KH012,钱九,18627001236,,,\n");
    wd.write("c.csv", &input);
    let out = audit(&wd, "c.csv", &["--fail-on", "bad_rows>0"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out)
            .trim_end()
            .ends_with("check failed: bad_rows>0 (observed 2)"),
        "{}",
        stderr(&out)
    );
    let bad = text(&wd.read("out/bad_rows.csv"));
    let lines: Vec<&str> = bad.lines().collect();
    assert_eq!(lines.len(), 3, "{bad}");
    assert!(lines[1].starts_with("10,9,7 fields where the header has 6,7,"), "{bad}");
    assert!(
        lines[2].starts_with("11,10,\"a stray quote on line 11 opens a field that would swallow line 12"),
        "{bad}"
    );
    let cleaned = text(&wd.read("out/cleaned.csv"));
    assert!(
        cleaned.contains("\r\nKH009,short,,,,\r\n"),
        "a short row is read with empty trailing cells: {cleaned}"
    );
    assert!(
        cleaned.contains("\r\nKH010,x,13971234567,,,,extra\r\n"),
        "bad rows pass through unchanged"
    );
    assert!(cleaned.contains("\"KH011,broken quote,13971234567,,,\r\n"));
    assert!(
        cleaned.contains("KH012,钱九,18627001236,,,"),
        "reading goes on after bad rows"
    );
    assert_eq!(cleaned.lines().count(), input.lines().count());
}

#[test]
fn no_phone_column_is_a_usage_error_listing_the_headers() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,name,city\n1,a,b\n");
    let out = audit(&wd, "c.csv", &[]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("no phone column") && err.contains("1=id, 2=name, 3=city") && err.contains("--phone-columns"),
        "{err}"
    );
    let out = audit(&wd, "c.csv", &["--phone-columns", "city"]);
    assert_exit(&out, 0);
}

#[test]
fn unreadable_inputs_exit_3() {
    let wd = Workdir::new();
    let out = audit(&wd, "missing.csv", &[]);
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("missing.csv: does not exist"));
    let mut mixed = "客户编号,手机\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GB18030.encode("张三,13971234567\n").0);
    wd.write("mixed.csv", &mixed);
    let out = audit(&wd, "mixed.csv", &[]);
    assert_exit(&out, 3);
    assert!(
        stderr(&out).contains("line 1") && stderr(&out).contains("line 2"),
        "{}",
        stderr(&out)
    );
    wd.write("bad.csv", b"phone\n\x80\x80\xff\n");
    let out = audit(&wd, "bad.csv", &[]);
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("byte offset"), "{}", stderr(&out));
    wd.write("empty.csv", b"");
    assert_exit(&audit(&wd, "empty.csv", &[]), 3);
}

#[test]
fn thresholds_and_exit_codes() {
    let wd = Workdir::new();
    wd.write("c.csv", file("\n"));
    let out = audit(
        &wd,
        "c.csv",
        &["--fail-on", "invalid>90%", "--fail-on", "landline.length>5"],
    );
    assert_exit(&out, 0);
    let out = audit(
        &wd,
        "c.csv",
        &["--fail-on", "invalid>2%", "--fail-on", "landline.length>0"],
    );
    assert_exit(&out, 1);
    let err = stderr(&out);
    let last: Vec<&str> = err.trim_end().lines().rev().take(2).collect();
    assert!(
        last.iter().all(|l| l.contains("check failed")),
        "failing checks are the last lines: {err}"
    );
    let s = summary(&wd);
    assert_eq!(s["checks"][0]["status"], "fail");
    assert_eq!(s["result"]["exit_code"], 1);
    let out = audit(&wd, "c.csv", &["--fail-on", "invalid>2%", "--exit-zero"]);
    assert_exit(&out, 0);
    assert_eq!(summary(&wd)["checks"][0]["status"], "fail");
    assert_exit(&audit(&wd, "c.csv", &["--fail-on", "invalid>>2"]), 2);
    assert_exit(&audit(&wd, "c.csv", &["--fail-on", "nosuchmetric>2"]), 2);
}

/// The outputs with summary.json's one line that differs between any two runs, the run
/// record's start time, taken out.
fn without_start_time(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    if let Some(summary) = files.get_mut("summary.json") {
        let text = String::from_utf8(std::mem::take(summary)).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.contains("\"started\":")).collect();
        assert!(kept.len() < text.lines().count(), "summary.json records the start time");
        *summary = kept.join("\n").into_bytes();
    }
    files
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let wd = Workdir::new();
    let mut input = String::from(HEADER);
    for i in 0..20_000u64 {
        let r = rows()[(i % 7) as usize].replacen("KH00", &format!("K{i}-"), 1);
        input.push('\n');
        input.push_str(&r);
    }
    wd.write("big.csv", &input);
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let out = wd.run(&["audit", "big.csv", "--out", threads, "--quiet", "--threads", threads]);
        assert_exit(&out, 0);
        let dir = wd.path().join(threads);
        let files: BTreeMap<String, Vec<u8>> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        outputs.push(without_start_time(files));
    }
    assert_eq!(
        outputs[0].keys().collect::<Vec<_>>(),
        outputs[1].keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &outputs[0] {
        assert!(
            bytes == &outputs[1][name],
            "{name} differs between --threads 1 and --threads 4"
        );
    }
}

#[test]
fn cleaned_plus_removed_reconstruct_every_phone_value() {
    let wd = Workdir::new();
    wd.write("c.csv", file("\n"));
    assert_exit(&audit(&wd, "c.csv", &[]), 0);
    let rules = RuleSet::embedded();
    let engine = Engine::new(&rules);
    let canon = |cell: &str| -> Vec<String> {
        engine
            .check(cell)
            .numbers
            .iter()
            .map(contact_audit::phone::Number::cleaned)
            .collect()
    };
    // Split with the csv crate, not the tool's own reader, so the check is independent of it.
    let original = |line: &[u8], delimiter: u8| -> Vec<String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(line);
        let record = reader.records().next().expect("one record").expect("valid CSV");
        record.iter().map(str::to_string).collect()
    };
    let cleaned = text(&wd.read("out/cleaned.csv"));
    let removed = text(&wd.read("out/removed.csv"));
    let mut removed_by_cell: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for line in removed.lines().skip(1) {
        let f = original(line.as_bytes(), b',');
        removed_by_cell
            .entry((f[0].clone(), f[3].clone()))
            .or_default()
            .push(f[4].clone());
    }
    let headers: Vec<&str> = HEADER.split(',').collect();
    for (i, (input_row, cleaned_row)) in rows().iter().zip(cleaned.lines().skip(1)).enumerate() {
        let line = (i + 2).to_string();
        let a = original(input_row.as_bytes(), b',');
        let b = original(cleaned_row.as_bytes(), b',');
        for col in 2..headers.len() {
            let mut before = canon(&a[col]);
            let mut after = canon(&b[col]);
            let gone = removed_by_cell
                .get(&(line.clone(), headers[col].to_string()))
                .cloned()
                .unwrap_or_default();
            for raw in &gone {
                after.extend(canon(raw));
            }
            before.sort();
            after.sort();
            assert_eq!(
                before, after,
                "line {line} column {}: {:?} -> {:?} + {:?}",
                headers[col], a[col], b[col], gone
            );
            if before.is_empty() && !a[col].trim().is_empty() {
                assert_eq!(gone, vec![a[col].clone()], "a text-only cell is removed whole");
            }
        }
    }
}

#[test]
fn output_never_overwrites_the_input() {
    let wd = Workdir::new();
    wd.write("out/cleaned.csv", file("\n"));
    let out = wd.run(&["audit", "out/cleaned.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("choose another --out directory"));
    assert_eq!(wd.read_string("out/cleaned.csv"), file("\n"));
}

#[test]
fn report_is_printed_unless_quiet() {
    let wd = Workdir::new();
    wd.write("c.csv", file("\n"));
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--lang", "en", "--mask"]);
    assert_exit(&out, 0);
    let report = stdout(&out);
    assert!(report.starts_with("# Contact audit: c.csv"), "{report}");
    assert!(report.contains("| `landline.length` | error | 1 |"), "{report}");
    assert_eq!(report, wd.read_string("out/report.md"));
}
