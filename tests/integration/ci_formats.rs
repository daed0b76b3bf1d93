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
