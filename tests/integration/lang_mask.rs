//! `--mask` and `--lang zh` across the outputs a person reads: with `--mask` a phone number
//! from input never appears in full in report.md, in summary.json's examples, or in a message
//! on stderr that echoes a bad log line, and does without it; with `--lang zh` (or a zh
//! locale) report.md and the common messages are Chinese.

use crate::harness::{Workdir, assert_exit, stderr};

/// The number that the bad log line and the shared contacts carry.
const NUMBER: &str = "13971234573";

/// Three customers sharing one number (so report.md lists it as shared), and two more.
const CONTACTS: &str = "客户编号,手机,住宅电话\n\
    KH001,13971234573,027-87654321\n\
    KH002,13971234573,\n\
    KH003,13971234573,\n\
    KH004,13971234574,\n";

/// An Asterisk Master.csv: 200 readable calls and one line whose dialled number has a stray
/// `#`, so it cannot be read and its message quotes the number.
fn master_csv() -> String {
    let line = |dst: &str, minute: u32| {
        let t = format!("2026-11-03 10:{:02}:{:02}", minute / 60, minute % 60);
        format!(
            "\"\",\"02160001234\",\"{dst}\",\"outbound\",\"\",\"PJSIP/8007-1\",\"PJSIP/trunk-2\",\"Dial\",\
             \"hello\",\"{t}\",,\"{t}\",5,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1.1\",\"\"\n"
        )
    };
    let mut text: String = (0..200).map(|i| line("13971234574", i)).collect();
    text.push_str(&line(&format!("{NUMBER}#"), 300));
    text
}

fn audit(wd: &Workdir, extra: &[&str]) -> std::process::Output {
    wd.write("contacts.csv", CONTACTS);
    wd.write("Master.csv", master_csv());
    let mut args = vec![
        "audit",
        "contacts.csv",
        "--history",
        "Master.csv",
        "--out",
        "out",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

#[test]
fn report_md_masks_shared_numbers_and_bad_lines() {
    for (mask, full_shown) in [(false, true), (true, false)] {
        let wd = Workdir::new();
        let flags: &[&str] = if mask {
            &["--mask", "--lang", "en"]
        } else {
            &["--lang", "en"]
        };
        assert_exit(&audit(&wd, flags), 0);
        let report = wd.read_string("out/report.md");
        assert!(report.contains("Numbers shared by several customers"), "{report}");
        assert!(report.contains("log lines could not be read"), "{report}");
        assert_eq!(report.contains(NUMBER), full_shown, "--mask {mask}:\n{report}");
        if mask {
            assert!(report.contains("139****4573"), "{report}");
        }
    }
}

#[test]
fn summary_json_masks_the_bad_line_examples() {
    for (mask, full_shown) in [(false, true), (true, false)] {
        let wd = Workdir::new();
        let flags: &[&str] = if mask { &["--mask"] } else { &[] };
        assert_exit(&audit(&wd, flags), 0);
        let summary: serde_json::Value = serde_json::from_str(&wd.read_string("out/summary.json")).unwrap();
        let examples = summary["calls"]["bad_examples"].to_string();
        assert!(examples.contains("no dialled number"), "{examples}");
        assert_eq!(examples.contains(NUMBER), full_shown, "--mask {mask}: {examples}");
    }
}

/// A refused log's message quotes its bad lines on stderr: masked with `--mask`.
#[test]
fn a_refused_log_message_masks_the_number() {
    for (mask, full_shown) in [(false, true), (true, false)] {
        let wd = Workdir::new();
        let mut flags = vec!["--max-unreadable", "0"];
        if mask {
            flags.push("--mask");
        }
        let out = audit(&wd, &flags);
        assert_exit(&out, 3);
        let err = stderr(&out);
        assert!(err.contains("no dialled number"), "{err}");
        assert_eq!(err.contains(NUMBER), full_shown, "--mask {mask}: {err}");
    }
}

/// A Chinese locale makes report.md and the messages Chinese with no flag.
#[test]
fn a_chinese_locale_gives_a_chinese_report_and_messages() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    let out = wd
        .command(&["audit", "contacts.csv", "--out", "out", "--quiet"])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let report = wd.read_string("out/report.md");
    for zh in [
        "# 联系方式审计",
        "字节",
        "自动识别",
        "## 按列统计",
        "| 本人 |",
        "| 正常 | 警告 | 无效 |",
    ] {
        assert!(report.contains(zh), "{zh}:\n{report}");
    }
    for en in [" bytes", "(detected)", "| self |"] {
        assert!(!report.contains(en), "{en}:\n{report}");
    }
    wd.write("nophone.csv", "客户编号,姓名\nKH001,张三\n");
    let out = wd
        .command(&["audit", "nophone.csv", "--out", "out2"])
        .env("LC_ALL", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("表头中找不到电话列"), "{}", stderr(&out));
    let out = wd
        .command(&["audit", "missing.csv", "--out", "out3", "--lang", "zh"])
        .output()
        .unwrap();
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("missing.csv: 文件不存在"), "{}", stderr(&out));
}

/// Failing checks are told on stderr in the run's language.
#[test]
fn a_failed_check_is_told_in_chinese() {
    let wd = Workdir::new();
    wd.write("contacts.csv", "客户编号,手机\nKH001,1397123456\n");
    let out = wd.run(&[
        "audit",
        "contacts.csv",
        "--out",
        "out",
        "--quiet",
        "--lang",
        "zh",
        "--fail-on",
        "invalid>0",
    ]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("检查未通过: invalid>0 (实际 1)"),
        "{}",
        stderr(&out)
    );
}

/// An Asterisk Master.csv of 200 readable calls and one whose start cannot be read.
fn master_csv_bad_time() -> String {
    let line = |t: &str| {
        format!(
            "\"\",\"02160001234\",\"13971234574\",\"outbound\",\"\",\"PJSIP/8007-1\",\"PJSIP/trunk-2\",\"Dial\",\
             \"hello\",\"{t}\",,\"{t}\",5,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1.1\",\"\"\n"
        )
    };
    let mut text: String = (0..200)
        .map(|i| line(&format!("2026-11-03 10:{:02}:{:02}", i / 60, i % 60)))
        .collect();
    text.push_str(&line("yesterday noon"));
    text
}

/// The per-line reasons of a call log and of a contact file follow `--lang`: stderr,
/// report.md's bad-line example and bad_rows.csv's reason are Chinese with `zh`, and the
/// English texts as before with `en`.
#[test]
fn line_reasons_follow_the_language() {
    let cases = [
        ("zh", "无法识别时间 `yesterday noon`", "4 个字段，而表头只有 3 列"),
        (
            "en",
            "cannot read the time `yesterday noon`",
            "4 fields where the header has 3",
        ),
    ];
    for (lang, time_reason, row_reason) in cases {
        let wd = Workdir::new();
        wd.write("contacts.csv", format!("{CONTACTS}KH005,13971234575,,多余\n"));
        wd.write("Master.csv", master_csv_bad_time());
        let args = [
            "audit",
            "contacts.csv",
            "--history",
            "Master.csv",
            "--out",
            "out",
            "--lang",
            lang,
        ];
        // Refused at --max-unreadable 0, the log's message on stderr quotes the bad line.
        let refused = wd.run(&[&args[..], &["--max-unreadable", "0"]].concat());
        assert_exit(&refused, 3);
        let err = stderr(&refused);
        assert!(err.contains(time_reason), "--lang {lang}: {err}");
        assert_exit(&wd.run(&args), 0);
        let report = wd.read_string("out/report.md");
        assert!(report.contains(time_reason), "--lang {lang}:\n{report}");
        let bad_rows = wd.read_string("out/bad_rows.csv");
        assert!(bad_rows.contains(row_reason), "--lang {lang}:\n{bad_rows}");
        let other = if lang == "zh" {
            "cannot read the time"
        } else {
            "无法识别时间"
        };
        assert!(
            !err.contains(other) && !report.contains(other),
            "--lang {lang}: {err}\n{report}"
        );
    }
}
