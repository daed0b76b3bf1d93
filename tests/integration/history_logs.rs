//! Attempt logs in the shapes real systems export, byte for byte: one test per time shape,
//! split date and clock columns (English and GB18030 Chinese CRMs), an Asterisk Master.csv
//! with outside-line prefix 9, the refusals (ambiguous day/month, too many junk lines) and
//! their fixes, duplicates across logs, and `--as-of` before a log's end.

use std::fmt::Write as _;

use test_case::test_case;

use crate::harness::{Workdir, assert_exit, stderr};

/// The numbers the logs below dial.
const CONTACTS: &str = "客户编号,手机\nK1,13971234573\nK2,18627001234\nK3,15972345678\nK4,027-87654321\n";

fn repo(path: &str) -> String {
    format!("{}/tests/data/history/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `audit` on [`CONTACTS`] with `extra` arguments.
fn audit(wd: &Workdir, extra: &[&str]) -> std::process::Output {
    wd.write("c.csv", CONTACTS);
    let mut args = vec!["audit", "c.csv", "--out", "out", "--quiet"];
    args.extend_from_slice(extra);
    wd.run(&args)
}

/// The count `key` of summary.json's `calls` (or `compliance`) section.
fn num(wd: &Workdir, key: &str) -> u64 {
    let s: serde_json::Value = serde_json::from_str(&wd.read_string("out/summary.json")).unwrap();
    ["calls", "compliance"]
        .iter()
        .find_map(|section| s[section][key].as_u64())
        .unwrap_or_else(|| panic!("no calls.{key} or compliance.{key} in {s:#}"))
}

/// The string after `"key": ` in summary.json.
fn string(wd: &Workdir, key: &str) -> String {
    let text = wd.read_string("out/summary.json");
    let at = text
        .find(&format!("\"{key}\": \""))
        .unwrap_or_else(|| panic!("no {key} in {text}"));
    let rest = &text[at + key.len() + 5..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A CRM log with one time column: every line dials a contact at the times given.
fn crm(times: &[&str]) -> String {
    let numbers = ["13971234573", "18627001234", "15972345678"];
    let mut text = String::from("被叫号码,呼叫时间,呼叫结果,通话时长\r\n");
    for (i, t) in times.iter().enumerate() {
        let _ = write!(text, "{},{t},无人接听,0\r\n", numbers[i % numbers.len()]);
    }
    text
}

#[test_case(&["2026-11-03T19:05:00+08:00", "2026-11-02T08:00:00+08:00"] ; "iso with offset")]
#[test_case(&["2026-11-03T19:05:00", "2026-11-02T08:00:00"] ; "iso with t")]
#[test_case(&["2026/11/3 19:05", "2026/11/2 8:00:00"] ; "year first slashes")]
#[test_case(&["2026年11月3日 19:05:00", "2026年11月2日 8:00"] ; "chinese date")]
#[test_case(&["2026年11月3日 19时05分", "2026年11月2日 8时00分"] ; "chinese clock")]
#[test_case(&["20261103190500", "20261102080000"] ; "compact")]
#[test_case(&["20261103 190500", "20261102 080000"] ; "compact with space")]
#[test_case(&["11/03/2026 19:05", "10/30/2026 08:00"] ; "month first 24 hour")]
#[test_case(&["11/03/2026 07:05 PM", "10/30/2026 08:00 AM"] ; "month first 12 hour")]
#[test_case(&["03/11/2026 19:05:00", "30/10/2026 08:00:00"] ; "day first 24 hour")]
#[test_case(&["03/11/2026 7:05 pm", "30/10/2026 8:00 am"] ; "day first 12 hour")]
#[test_case(&["2026-11-03 7:05 PM", "2026-11-02 8:00 AM"] ; "year first 12 hour")]
#[test_case(&["2026-11-03 下午7:05", "2026-11-02 上午8:00"] ; "year first xiawu")]
#[test_case(&["46329.795138889", "46328.3333333333"] ; "excel serial")]
#[test_case(&["1793703900", "1793577600"] ; "unix seconds")]
#[test_case(&["1793703900000", "1793577600000"] ; "unix milliseconds")]
fn each_time_shape_is_read(times: &[&str]) {
    let wd = Workdir::new();
    wd.write("calls.csv", crm(times));
    assert_exit(&audit(&wd, &["--history", "calls.csv"]), 0);
    assert_eq!(num(&wd, "attempts"), 2);
    assert_eq!(num(&wd, "unreadable"), 0);
    assert_eq!(string(&wd, "as_of"), "2026-11-03 19:05");
}

#[test]
fn english_crm_with_call_date_and_call_time() {
    let wd = Workdir::new();
    let log = repo("crm-en-split-call-date-time.csv");
    assert_exit(&audit(&wd, &["--history", &log]), 0);
    assert_eq!(num(&wd, "attempts"), 4);
    assert_eq!(num(&wd, "unreadable"), 0);
    assert_eq!(num(&wd, "matched"), 4);
    assert_eq!(string(&wd, "as_of"), "2026-11-14 12:05");
    assert!(string(&wd, "columns").contains("date=Call Date, clock=Call Time"));
}

#[test]
fn gb18030_crm_with_call_date_and_call_time() {
    let wd = Workdir::new();
    let log = repo("crm-gb18030-split-date-time.csv");
    assert_exit(&audit(&wd, &["--history", &log]), 0);
    let summary = wd.read_string("out/summary.json");
    assert!(summary.contains("\"encoding\": \"gb18030\""), "{summary}");
    assert_eq!(num(&wd, "attempts"), 4);
    assert_eq!(num(&wd, "unreadable"), 0);
    assert_eq!(string(&wd, "as_of"), "2026-11-05 10:00");
    assert!(string(&wd, "columns").contains("date=呼叫日期, clock=呼叫时间"));
    // Named columns read the same.
    let wd = Workdir::new();
    let spec = "number=被叫号码,date=呼叫日期,clock=呼叫时间,outcome=呼叫结果";
    assert_exit(&audit(&wd, &["--history", &log, "--history-columns", spec]), 0);
    assert_eq!(num(&wd, "attempts"), 4);
}

#[test]
fn asterisk_dial_prefix_9_joins_its_contacts() {
    let wd = Workdir::new();
    let log = repo("asterisk-dial-prefix-9.csv");
    assert_exit(&audit(&wd, &["--history", &log]), 0);
    assert_eq!(string(&wd, "dial_prefix"), "9", "detected");
    assert_eq!(num(&wd, "matched"), 4);
    assert_eq!(num(&wd, "orphan_numbers"), 0);
    let wd = Workdir::new();
    assert_exit(&audit(&wd, &["--history", &log, "--dial-prefix", "9"]), 0);
    assert_eq!(num(&wd, "matched"), 4);
    assert_exit(&audit(&wd, &["--history", &log, "--dial-prefix", "x9"]), 2);
}

#[test]
fn trunk_zero_before_a_mobile_joins_its_contact() {
    let wd = Workdir::new();
    let line = |dst: &str, t: &str| {
        format!(
            "\"\",\"02160001234\",\"{dst}\",\"outbound\",\"\",\"PJSIP/8007-1\",\"PJSIP/trunk-2\",\"Dial\",\
             \"PJSIP/{dst}@trunk,45\",\"{t}\",,\"{t}\",5,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1.1\",\"\"\n"
        )
    };
    let text = [
        line("013971234573", "2026-11-03 10:00:00"),
        line("139-7123-4573", "2026-11-03 11:00:00"),
    ];
    wd.write("Master.csv", text.concat());
    assert_exit(&audit(&wd, &["--history", "Master.csv"]), 0);
    assert_eq!(num(&wd, "matched"), 2);
    assert_eq!(num(&wd, "orphan_numbers"), 0);
}

#[test]
fn ambiguous_day_month_is_refused_then_read_with_time_format() {
    let wd = Workdir::new();
    wd.write(
        "calls.csv",
        crm(&["03/11/2026 19:05", "04/11/2026 08:00", "05/11/2026 09:00"]),
    );
    let out = audit(&wd, &["--history", "calls.csv"]);
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("--time-format"), "{}", stderr(&out));
    assert!(
        !wd.path().join("out/summary.json").exists(),
        "no report from a refused log"
    );
    assert_exit(
        &audit(&wd, &["--history", "calls.csv", "--time-format", "%d/%m/%Y %H:%M"]),
        0,
    );
    assert_eq!(num(&wd, "attempts"), 3);
    assert_eq!(string(&wd, "as_of"), "2026-11-05 09:00");
    assert_exit(&audit(&wd, &["--history", "calls.csv", "--time-format", "%d/%m"]), 2);
}

#[test]
fn five_percent_junk_is_refused_unless_allowed() {
    let wd = Workdir::new();
    let mut text = String::from("被叫号码,呼叫时间,呼叫结果,通话时长\n");
    for i in 0..100 {
        if i % 20 == 7 {
            text.push_str("13971234573,昨天下午,未接通,0\n");
        } else {
            let _ = writeln!(
                text,
                "13971234573,2026-11-03 {:02}:{:02}:00,未接通,0",
                9 + i / 60,
                i % 60
            );
        }
    }
    wd.write("calls.csv", &text);
    let out = audit(&wd, &["--history", "calls.csv"]);
    assert_exit(&out, 3);
    let err = stderr(&out);
    assert!(
        err.contains("5 of its 100 lines") && err.contains("line 9: cannot read the time `昨天下午`"),
        "{err}"
    );
    assert!(
        err.contains("expected: generic lines with YYYY-MM-DD") && err.contains("time=呼叫时间"),
        "{err}"
    );
    assert_exit(&audit(&wd, &["--history", "calls.csv", "--max-unreadable", "10%"]), 0);
    assert_eq!(num(&wd, "attempts"), 95);
    assert_eq!(num(&wd, "unreadable"), 5);
    assert_eq!(num(&wd, "bad_lines"), 5);
}

#[test]
fn a_log_with_no_readable_line_is_an_error() {
    let wd = Workdir::new();
    wd.write("calls.csv", "被叫号码,呼叫时间,呼叫结果\n,2026-11-03 10:00:00,未接通\n");
    let out = audit(&wd, &["--history", "calls.csv", "--max-unreadable", "100%"]);
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("none of its 1 lines"), "{}", stderr(&out));
}

#[test]
fn the_same_log_twice_counts_once() {
    let wd = Workdir::new();
    let mut text = String::from("被叫号码,呼叫时间,呼叫结果,通话时长\n");
    for hour in 10..17 {
        let _ = writeln!(text, "13971234573,2026-11-03 {hour}:00:00,无人接听,0");
    }
    text.push_str("18627001234,2026-11-03 22:30:00,无人接听,0\n");
    wd.write("calls.csv", &text);
    assert_exit(&audit(&wd, &["--history", "calls.csv"]), 0);
    let once = ["attempts", "window_violations", "daily_cap_violations"].map(|k| num(&wd, k));
    assert_eq!(once, [8, 1, 1]);
    assert_eq!(num(&wd, "duplicates"), 0);
    wd.write("copy.csv", &text);
    assert_exit(&audit(&wd, &["--history", "calls.csv", "--history", "copy.csv"]), 0);
    let twice = ["attempts", "window_violations", "daily_cap_violations"].map(|k| num(&wd, k));
    assert_eq!(twice, once);
    assert_eq!(num(&wd, "duplicates"), 8);
}

#[test]
fn as_of_before_the_end_leaves_later_attempts_out() {
    let wd = Workdir::new();
    wd.write(
        "calls.csv",
        crm(&["2026-11-01 10:00:00", "2026-11-02 10:00:00", "2026-11-03 23:00:00"]),
    );
    assert_exit(&audit(&wd, &["--history", "calls.csv", "--as-of", "2026-11-02"]), 0);
    assert_eq!(num(&wd, "attempts"), 2);
    assert_eq!(num(&wd, "after_as_of"), 1);
    assert_eq!(num(&wd, "window_violations"), 0, "the late call is after --as-of");
    let md = wd.read_string("out/report.md");
    assert!(md.contains("1 attempts after the as-of time were left out"), "{md}");
    // Without --as-of nothing is left out, and report.md does not say so.
    assert_exit(&audit(&wd, &["--history", "calls.csv"]), 0);
    assert_eq!(num(&wd, "after_as_of"), 0);
    assert!(!wd.read_string("out/report.md").contains("as-of time"));
}
