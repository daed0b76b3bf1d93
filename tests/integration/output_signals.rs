//! Interrupted runs (issue 10): SIGINT and SIGTERM sent to a real child on a large input
//! remove what the run made (partial outputs, spill files, the spool, an `--out` it made) and
//! exit 130 and 143; what a killed run left is removed by the next run.

use std::io::Write as _;
use std::process::Stdio;
use std::time::Duration;

use crate::harness::{Workdir, assert_exit, stderr};
use crate::output_safety::{
    CONTACTS, PLAIN_SET, big_contacts, contents, names, run_dir_entries, set, signal, wait_for,
};

/// SIGINT in the middle of a large run, once the sorter has spilled: the partial outputs and
/// the spill files go, the earlier set stays as it was, and the run exits 130.
#[test]
fn sigint_removes_the_partial_run_and_exits_130() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    assert_exit(&wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]), 0);
    let earlier = contents(&wd.path().join("out"));
    wd.write("big.csv", big_contacts(150_000));
    let child = wd
        .command(&["audit", "big.csv", "--out", "out", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wd.path().join("out");
    wait_for(Duration::from_secs(240), "a spill file", || {
        run_dir_entries(&out).is_some_and(|e| e.iter().any(|n| n.starts_with(".contact-audit-spill-")))
    });
    signal(&child, "INT");
    let result = child.wait_with_output().unwrap();
    assert_exit(&result, 130);
    assert_eq!(
        contents(&out),
        earlier,
        "the earlier set is intact and nothing else is left"
    );
}

/// SIGTERM while standard input is being spooled: the spool goes, and so does the --out the
/// run made; exit 143.
#[test]
fn sigterm_removes_the_spool_and_exits_143() {
    let wd = Workdir::new();
    let mut child = wd
        .command(&["audit", "-", "--out", "fresh", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(big_contacts(20_000).as_bytes()).unwrap();
    let out = wd.path().join("fresh");
    wait_for(Duration::from_secs(60), "the spool", || {
        run_dir_entries(&out).is_some_and(|e| e.iter().any(|n| n.starts_with(".contact-audit-stdin-")))
    });
    signal(&child, "TERM");
    let result = child.wait_with_output().unwrap();
    drop(stdin);
    assert_exit(&result, 143);
    assert!(!out.exists(), "the run made fresh/ and left it: {:?}", names(&out));
}

/// What killed runs left in --out (a run directory, spill and spool files, temporary outputs
/// of older versions) is removed at the start of the next run, which says so.
#[test]
fn leftovers_of_killed_runs_are_removed() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    let leftovers = [
        ".contact-audit-run-k1ll3d/.numbers.csv.a1b2c3.tmp",
        ".contact-audit-run-k1ll3d/.contact-audit-spill-x9y8z7.tmp",
        ".contact-audit-spill-4242-0.tmp",
        ".contact-audit-stdin-4242.tmp",
        ".customers.csv.tmp",
    ];
    for name in leftovers {
        wd.write(&format!("out/{name}"), "partial");
    }
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains(".contact-audit-spill-4242-0.tmp"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(&wd.path().join("out")), set(&PLAIN_SET));
}
