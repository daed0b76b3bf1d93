//! Configuration is finished before any I/O, and no output replaces an input: regression
//! tests for the defects of the structure issue (#7), each of which failed on the code before.

use crate::harness::{Workdir, assert_exit, stderr};

/// A bad flag value is a usage error (exit 2) found before the input is looked at, and the
/// output directory is never created; a missing input is exit 3, also with no directory left.
#[test]
fn flags_are_checked_before_the_output_directory_is_made() {
    let wd = Workdir::new();
    let out = wd.run(&["audit", "missing.csv", "--out", "o", "--default-area-code", "0410"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("0410"), "{}", stderr(&out));
    assert!(
        !wd.path().join("o").exists(),
        "o/ was created for a run that never started"
    );
    let out = wd.run(&["audit", "missing.csv", "--out", "o"]);
    assert_exit(&out, 3);
    assert!(!wd.path().join("o").exists());
    for bad in [
        &["--encoding", "latin1"][..],
        &["--history-format", "cisco", "--history", "x.csv"],
    ] {
        let mut args = vec!["audit", "missing.csv", "--out", "o"];
        args.extend_from_slice(bad);
        assert_exit(&wd.run(&args), 2);
        assert!(!wd.path().join("o").exists());
    }
}

/// Every output name is guarded, the history outputs included, and history logs too.
#[test]
fn no_output_overwrites_an_input() {
    let wd = Workdir::new();
    let contacts = "id,mobile\nK1,13971234567\n";
    for name in ["prune.csv", "orphans.csv", "compliance.csv", "numbers.csv", "report.md"] {
        wd.write(&format!("out/{name}"), contacts);
        let out = wd.run(&["audit", &format!("out/{name}"), "--out", "out", "--quiet"]);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(name), "{}", stderr(&out));
        assert_eq!(
            wd.read_string(&format!("out/{name}")),
            contacts,
            "{name} was overwritten"
        );
    }
    wd.write("c.csv", contacts);
    let log = "被叫号码,呼叫时间,呼叫结果\n13971234567,2026-11-02 10:00:00,已接通\n";
    wd.write("out/numbers.csv", log);
    let out = wd.run(&[
        "audit",
        "c.csv",
        "--history",
        "out/numbers.csv",
        "--out",
        "out",
        "--quiet",
    ]);
    assert_exit(&out, 2);
    assert_eq!(
        wd.read_string("out/numbers.csv"),
        log,
        "the history log was overwritten"
    );
}

/// report.md gives each issue row its own severity: `landline.local_prefix` is an error for a
/// local number starting with 0 or 1 and a warning for 9, as numbers.csv's verdicts say.
#[test]
fn report_rows_carry_the_severity_of_their_variant() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,mobile\nK1,027-91234567\nK2,027-11234567\n");
    assert_exit(
        &wd.run(&["audit", "c.csv", "--out", "out", "--quiet", "--lang", "en"]),
        0,
    );
    let report = wd.read_string("out/report.md");
    assert!(report.contains("| `landline.local_prefix` | warning | 1 |"), "{report}");
    assert!(report.contains("| `landline.local_prefix` | error | 1 |"), "{report}");
    let numbers = wd.read_string("out/numbers.csv");
    assert!(numbers.contains("027-91234567,+862791234567"), "{numbers}");
    assert!(
        numbers
            .lines()
            .any(|l| l.contains("027-91234567") && l.contains(",warn,"))
    );
}

/// An output that cannot be written is exit 3 (the run could not do its I/O), never a usage
/// error: here the output directory would have to be made inside a file.
#[test]
fn an_unwritable_output_exits_3() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,mobile\nK1,13971234567\n");
    let out = wd.run(&["audit", "c.csv", "--out", "c.csv/out", "--quiet"]);
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("creating output directory"), "{}", stderr(&out));
}

/// A reader that closes stdout early (`| head -1`) silences the report but never changes the
/// gate: a failing `--fail-on` still exits 1, and the outputs are still written.
#[test]
fn a_closed_stdout_never_passes_a_failing_gate() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,mobile\nK1,1397123456\n");
    let mut child = wd
        .command(&["audit", "c.csv", "--out", "out", "--fail-on", "invalid>0"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("check failed: invalid>0"), "{}", stderr(&out));
    assert!(wd.path().join("out/summary.json").exists());
}
