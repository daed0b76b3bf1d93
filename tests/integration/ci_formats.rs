//! CI formats and the terminal (issue 9): `audit --format text|json|junit` on standard output,
//! `--junit` writing junit.xml into the set, the JUnit XML parsed back and checked against
//! the common shape GitLab and Jenkins read.

use crate::harness::{Workdir, assert_exit, stderr, stdout};

fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// A small contact file: two valid mobiles, one landline too short (landline.length), one
/// mobile with letters in it (format.letters).
const CONTACTS: &str = "客户编号,手机\nC1,13971234567\nC2,13812345678\nC3,027-123456\nC4,1390000ABCD\n";

/// The JUnit of a run over [`CONTACTS`] with `args`, from standard output; with its exit code.
fn junit_run(wd: &Workdir, args: &[&str]) -> (String, i32) {
    wd.write("contacts.csv", CONTACTS);
    let mut all = vec!["audit", "contacts.csv", "--out", "out", "--format", "junit"];
    all.extend_from_slice(args);
    let out = wd.run(&all);
    (stdout(&out), out.status.code().unwrap_or(-1))
}

/// The number of `<testcase>` children of `node` and how many hold a `<failure>`.
fn counted(node: roxmltree::Node<'_, '_>) -> (usize, usize) {
    let cases: Vec<_> = node.children().filter(|n| n.has_tag_name("testcase")).collect();
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    (cases.len(), failed)
}

#[test]
fn junit_has_the_common_shape_and_counts() {
    let wd = Workdir::new();
    let (xml, code) = junit_run(&wd, &["--fail-on", "landline.length>0", "--fail-on", "invalid>90%"]);
    assert_eq!(code, 1, "landline.length>0 fails the run");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite_list: Vec<_> = suites.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suite_list.len(), 1);
    let suite = suite_list[0];
    let (tests, failures) = counted(suite);
    // Two checks, then one case per issue code the binary knows (explain --list).
    let list = stdout(&wd.run(&["explain", "--list", "--lang", "en"]));
    let codes = list.lines().filter(|l| l.contains('.') && !l.starts_with(' ')).count();
    assert!(codes > 20, "{list}");
    assert_eq!(tests, 2 + codes);
    // landline.length>0 fails: its check case and the landline.length code case.
    assert_eq!(failures, 2);
    for node in [suites, suite] {
        for attr in ["tests", "failures", "errors", "skipped", "time"] {
            assert!(
                node.attribute(attr).is_some(),
                "{} lacks {attr}",
                node.tag_name().name()
            );
        }
        assert_eq!(node.attribute("tests"), Some(tests.to_string().as_str()));
        assert_eq!(node.attribute("failures"), Some("2"));
        assert!(node.attribute("time").unwrap().parse::<f64>().is_ok());
    }
    let case = |name: &str| {
        suite
            .children()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no case {name}"))
    };
    let failure = case("landline.length>0")
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("landline.length>0: observed 1 (1 counted)")
    );
    assert!(!case("invalid>90%").children().any(|n| n.has_tag_name("failure")));
    // A code with a count but no failing check passes, its count in system-out.
    let letters = case("format.letters");
    assert!(!letters.children().any(|n| n.has_tag_name("failure")));
    let out = letters.children().find(|n| n.has_tag_name("system-out")).unwrap();
    assert_eq!(out.text(), Some("count: 1"));
    assert!(case("landline.length").children().any(|n| n.has_tag_name("failure")));
}

#[test]
fn junit_flag_writes_junit_xml_into_the_set_and_summary_lists_it() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    let out = wd.run(&["audit", "contacts.csv", "--out", "out", "--junit", "--quiet"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).is_empty());
    let xml = wd.read_string("out/junit.xml");
    roxmltree::Document::parse(&xml).unwrap();
    assert!(wd.read_string("out/summary.json").contains("\"junit.xml\""));
    // The next run without --junit removes it, as any output its set does not have.
    let out = wd.run(&["audit", "contacts.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 0);
    assert!(!wd.path().join("out/junit.xml").exists());
    assert!(stderr(&out).contains("junit.xml"), "{}", stderr(&out));
    assert!(!wd.read_string("out/summary.json").contains("junit.xml"));
}

#[test]
fn junit_escapes_what_comes_from_input() {
    let wd = Workdir::new();
    let name = "a<b>&\"c'.csv";
    wd.write(name, CONTACTS);
    let out = wd.run(&["audit", name, "--out", "out", "--format", "junit"]);
    assert_exit(&out, 0);
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let input = doc
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("input"))
        .unwrap();
    assert_eq!(input.attribute("value"), Some(name));
}

#[test]
fn json_format_prints_summary_json_and_text_prints_the_report() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    let out = wd.run(&["audit", "contacts.csv", "--out", "out", "--format", "json"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), wd.read_string("out/summary.json"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["numbers"]["invalid"], 2);
    let out = wd.run(&["audit", "contacts.csv", "--out", "out", "--format", "text"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), wd.read_string("out/report.md"));
}

#[test]
fn failing_checks_go_to_stderr_never_into_the_data() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    let out = wd.run(&[
        "audit",
        "contacts.csv",
        "--out",
        "out",
        "--format",
        "json",
        "--fail-on",
        "invalid>0",
    ]);
    assert_exit(&out, 1);
    serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap();
    assert!(stderr(&out).contains("check failed: invalid>0"), "{}", stderr(&out));
}

#[test]
fn junit_of_the_example_is_pinned() {
    let wd = Workdir::new();
    let contacts = repo("examples/contacts.csv");
    let out = wd.run(&[
        "audit",
        &contacts,
        "--out",
        "out",
        "--format",
        "junit",
        "--fail-on",
        "invalid>2%",
        "--fail-on",
        "bad_rows>0",
        "--exit-zero",
    ]);
    assert_exit(&out, 0);
    let time = regex::Regex::new(r#"time="[0-9.]+""#).unwrap();
    let xml = stdout(&out).replace(&repo("examples/"), "[repo]/examples/");
    insta::assert_snapshot!("example_junit", time.replace_all(&xml, r#"time="[t]""#));
}

#[test]
fn check_reads_a_gb18030_pipe_as_audit_reads_a_file() {
    let wd = Workdir::new();
    // `027-21859118转2363` as a GB18030 export writes it: 转 is D7 AA, alone also valid UTF-8.
    let mut gb = b"027-21859118\xd7\xaa2363\n".to_vec();
    let out = wd.run_stdin(&["check", "--format", "json", "--lang", "en"], &gb);
    assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["input"], "027-21859118转2363");
    assert_eq!(v["numbers"][0]["national"], "027-21859118");
    assert_eq!(v["numbers"][0]["extension"], "2363");
    assert_eq!(v["numbers"][0]["verdict"], "ok");
    // With a second, longer Chinese line (手机 in GB18030), and --encoding given.
    gb.extend_from_slice(b"\xca\xd6\xbb\xfa13971234567\n");
    let out = wd.run_stdin(&["check", "--format", "json", "--encoding", "gb18030"], &gb);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("手机13971234567"), "{}", stdout(&out));
    // Bytes in neither encoding: told with audit's message, then judged as lossy UTF-8.
    let out = wd.run_stdin(&["check", "--format", "json"], b"13971234567\xff\xff\xff\n");
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("standard input: not valid UTF-8 or GB18030"), "{err}");
    assert!(stdout(&out).contains("13971234567\u{FFFD}"), "{}", stdout(&out));
}

#[test]
fn check_fails_on_invalid_only_when_asked() {
    let wd = Workdir::new();
    let out = wd.run(&["check", "027-1234567", "13971234567"]);
    assert_exit(&out, 0);
    let out = wd.run(&["check", "--fail-on-invalid", "027-1234567", "13971234567"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("1 cells hold an invalid number"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("INVALID"));
    let out = wd.run(&["check", "--fail-on-invalid", "13971234567", "027-87654321"]);
    assert_exit(&out, 0);
    let out = wd.run_stdin(
        &["check", "--fail-on-invalid", "--format", "json"],
        b"13971234567\n1397123456\n",
    );
    assert_exit(&out, 1);
    let help = stdout(&wd.run(&["check", "--help"]));
    assert!(help.contains("--fail-on-invalid") && help.contains("exits 0"), "{help}");
}

#[test]
fn colours_only_when_asked_or_on_a_terminal() {
    let wd = Workdir::new();
    let cells = ["check", "--lang", "en", "027-1234567", "13971234567"];
    // A pipe is no terminal: no escape sequence in auto, the default.
    let plain = stdout(&wd.run(&cells));
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let mut always = vec!["--color", "always"];
    always.extend_from_slice(&cells);
    let coloured = stdout(&wd.run(&always));
    assert!(coloured.contains("\u{1b}[1m\u{1b}[31mINVALID "), "{coloured:?}");
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[32mOK      \u{1b}[0m"),
        "{coloured:?}"
    );
    // The flag goes after the subcommand too, and NO_COLOR does not silence an explicit always.
    let mut after = cells.to_vec();
    after.extend_from_slice(&["--color", "always"]);
    let out = wd.command(&after).env("NO_COLOR", "1").output().unwrap();
    assert_eq!(stdout(&out), coloured);
    let mut never = vec!["--color", "never"];
    never.extend_from_slice(&cells);
    assert_eq!(stdout(&wd.run(&never)), plain);
    // The failing-check line of audit, on stderr.
    wd.write("contacts.csv", CONTACTS);
    let args = [
        "audit",
        "contacts.csv",
        "--out",
        "out",
        "--quiet",
        "--fail-on",
        "invalid>0",
    ];
    let out = wd.run(&args);
    assert!(
        stderr(&out).contains("contact-audit: check failed: invalid>0"),
        "{}",
        stderr(&out)
    );
    let mut args = args.to_vec();
    args.extend_from_slice(&["--color", "always"]);
    let out = wd.run(&args);
    assert!(
        stderr(&out).contains("\u{1b}[1m\u{1b}[31mcheck failed\u{1b}[0m: invalid>0"),
        "{:?}",
        stderr(&out)
    );
}

/// On a terminal (a pty from util-linux `script`), check says it waits for input and colours
/// its verdicts; in a pipe (every other test here) it does neither.
#[test]
fn on_a_terminal_check_hints_and_colours() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_contact-audit");
    let mut child = Command::new("script")
        .args(["-qec", &format!("env -i '{bin}' check --lang en"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` (Debian's bsdutils, always installed)");
    // A cell, then Ctrl-D at the start of a line: end of input on a terminal.
    child.stdin.take().unwrap().write_all(b"13971234567\n\x04").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("reading cells from standard input, one per line (Ctrl-D to end)"),
        "{text:?}"
    );
    assert!(text.contains("\u{1b}[1m\u{1b}[32mOK      \u{1b}[0m mobile"), "{text:?}");
}

/// The same detection in audit: a GB18030 file whose only Chinese is `转`, bytes that are also
/// valid UTF-8 (Hebrew `ת`), reads as GB18030.
#[test]
fn audit_reads_short_gb18030_that_is_also_valid_utf8() {
    let wd = Workdir::new();
    wd.write("c.csv", b"id,mobile\nC1,027-21859118\xd7\xaa2363\n");
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--format", "json"]);
    assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["input"]["encoding"], "gb18030");
    assert_eq!(v["numbers"]["ok"], 1);
    assert!(wd.read_string("out/numbers.csv").contains("027-21859118"));
}
