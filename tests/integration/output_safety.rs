//! What a run writes and how it ends (issue 10): no output replaces an input or writes through
//! a symlink; a run's outputs are one set, moved into `--out` whole, with a run record; a
//! closed stdout never changes a status; the standard input spool is bounded; a full disk or a
//! read-only `--out` exits 3 and leaves the earlier set; a `--out` holding other files is
//! refused unless `--force`. Interrupted runs are in `output_signals`, with the helpers here.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use contact_audit::exit::ExitStatus;

use crate::harness::{Workdir, assert_exit, stderr};

pub(crate) const CONTACTS: &str = "客户编号,手机,住宅电话\nK1,13971234567,027-88886666\nK2,1397123456,\n";
const LOG: &str = "被叫号码,呼叫时间,呼叫结果\n13971234567,2026-11-02 10:00:00,已接通\n";

/// The names in `dir`, hidden ones included.
pub(crate) fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

/// Every file of `dir` with its bytes, to compare a set before and after.
pub(crate) fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names(dir)
        .into_iter()
        .map(|n| {
            let path = dir.join(&n);
            if path.is_dir() {
                return (format!("{n}/"), Vec::new());
            }
            let bytes = std::fs::read(path).unwrap();
            (n, bytes)
        })
        .collect()
}

pub(crate) fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_string()).collect()
}

pub(crate) const PLAIN_SET: [&str; 9] = [
    "bad_rows.csv",
    "cleaned.csv",
    "customers.csv",
    "numbers.csv",
    "removed.csv",
    "report.html",
    "report.md",
    "shared.csv",
    "summary.json",
];

/// A contact file of `rows` rows, enough to keep a debug build busy for a while.
pub(crate) fn big_contacts(rows: u64) -> String {
    let mut text = String::from("客户编号,手机,住宅电话,配偶电话\n");
    for i in 0..rows {
        let _ = writeln!(text, "K{i},139{i:08},027-8{:07},13{}{i:08}", i % 10_000_000, i % 7);
    }
    text
}

/// Waits until `found` holds (polling), or panics after `limit`.
pub(crate) fn wait_for(limit: Duration, what: &str, mut found: impl FnMut() -> bool) {
    let start = Instant::now();
    while !found() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The run directory's entries, if a run directory is in `out`.
pub(crate) fn run_dir_entries(out: &Path) -> Option<BTreeSet<String>> {
    let run = names(out).into_iter().find(|n| n.starts_with(".contact-audit-run-"))?;
    std::fs::read_dir(out.join(run))
        .ok()
        .map(|d| d.flatten().map(|e| e.file_name().into_string().unwrap()).collect())
}

pub(crate) fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name}");
}

// 1. Overwriting inputs.

/// Every input (the contact file and each history log) against every output name, by
/// identity: a hard link, a symlink and a roundabout path to an input are all refused
/// (exit 2) before anything is written.
#[test]
fn no_output_replaces_an_input_under_any_name() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    wd.write("calls.csv", LOG);
    std::fs::create_dir(wd.path().join("out")).unwrap();
    // A hard link of the contact file at an output name.
    std::fs::hard_link(wd.path().join("c.csv"), wd.path().join("out/compliance.csv")).unwrap();
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("compliance.csv"), "{}", stderr(&out));
    assert_eq!(
        names(&wd.path().join("out")),
        set(&["compliance.csv"]),
        "nothing written"
    );
    std::fs::remove_file(wd.path().join("out/compliance.csv")).unwrap();
    // A history log reached by a roundabout path.
    wd.write("out/orphans.csv", LOG);
    let out = wd.run(&[
        "audit",
        "c.csv",
        "--history",
        "out/../out/./orphans.csv",
        "--out",
        "out",
        "--quiet",
    ]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("orphans.csv"), "{}", stderr(&out));
    assert_eq!(wd.read_string("out/orphans.csv"), LOG, "the log was overwritten");
    // The second of two logs, at an output name the run writes only with --history.
    std::fs::rename(wd.path().join("out/orphans.csv"), wd.path().join("out/prune.csv")).unwrap();
    let out = wd.run(&[
        "audit",
        "c.csv",
        "--history",
        "calls.csv",
        "--history",
        "out/prune.csv",
        "--out",
        "out",
        "--quiet",
    ]);
    assert_exit(&out, 2);
    assert_eq!(wd.read_string("out/prune.csv"), LOG);
    assert_eq!(names(&wd.path().join("out")), set(&["prune.csv"]));
}

// 2. Symlinks.

/// An output name in --out that is a symlink is refused, --force or not, and its target
/// keeps its bytes; a symlink planted at an old predictable temporary name is removed as a
/// leftover, never written through.
#[test]
fn nothing_is_written_through_a_symlink() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    wd.write("precious.txt", "keep me");
    std::fs::create_dir(wd.path().join("out")).unwrap();
    let precious = wd.path().join("precious.txt");
    std::os::unix::fs::symlink(&precious, wd.path().join("out/report.md")).unwrap();
    for force in [false, true] {
        let mut args = vec!["audit", "c.csv", "--out", "out", "--quiet"];
        if force {
            args.push("--force");
        }
        let out = wd.run(&args);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert_eq!(wd.read_string("precious.txt"), "keep me");
    }
    std::fs::remove_file(wd.path().join("out/report.md")).unwrap();
    for name in [".numbers.csv.tmp", ".summary.json.tmp", ".report.md.tmp"] {
        std::os::unix::fs::symlink(&precious, wd.path().join("out").join(name)).unwrap();
    }
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 0);
    assert_eq!(wd.read_string("precious.txt"), "keep me");
    assert_eq!(names(&wd.path().join("out")), set(&PLAIN_SET));
}

/// Standard input is spooled under a fresh name: a symlink planted at the name the spool had
/// before (`.contact-audit-stdin-<pid>.tmp`) is never followed.
#[test]
fn the_stdin_spool_never_follows_a_planted_symlink() {
    let wd = Workdir::new();
    wd.write("precious.txt", "keep me");
    std::fs::create_dir(wd.path().join("out")).unwrap();
    let mut child = wd
        .command(&["audit", "-", "--out", "out", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let planted = wd.path().join(format!("out/.contact-audit-stdin-{}.tmp", child.id()));
    let _ = std::os::unix::fs::symlink(wd.path().join("precious.txt"), planted);
    child.stdin.take().unwrap().write_all(CONTACTS.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 0);
    assert_eq!(wd.read_string("precious.txt"), "keep me");
    assert!(wd.read_string("out/numbers.csv").contains("13971234567"));
}

// 3. One output set, with a run record.

/// A run without --history after one with it: the earlier history outputs are removed (and
/// said so on stderr), so --out holds exactly this run's set, which summary.json lists with
/// the input's hash, the start time and the versions.
#[test]
fn a_run_replaces_the_earlier_set_whole_and_records_itself() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    wd.write("calls.csv", LOG);
    let out = wd.run(&["audit", "c.csv", "--history", "calls.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 0);
    let mut with_history: Vec<&str> = PLAIN_SET.to_vec();
    with_history.extend(["prune.csv", "orphans.csv", "compliance.csv"]);
    assert_eq!(names(&wd.path().join("out")), set(&with_history));
    let before = jiff::Timestamp::now().as_second();
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]);
    let after = jiff::Timestamp::now().as_second();
    assert_exit(&out, 0);
    let err = stderr(&out);
    for name in ["prune.csv", "orphans.csv", "compliance.csv"] {
        assert!(err.contains(name), "the removal of {name} is reported: {err}");
    }
    assert_eq!(
        names(&wd.path().join("out")),
        set(&PLAIN_SET),
        "one run's set, nothing else"
    );
    let s: serde_json::Value = serde_json::from_str(&wd.read_string("out/summary.json")).unwrap();
    let run = &s["run"];
    let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(CONTACTS.as_bytes()));
    assert_eq!(run["input_sha256"], sha.as_str());
    assert_eq!(run["tool_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["rules_version"], s["rules"]["version"]);
    assert!(run["rules_version"].as_str().is_some_and(|v| !v.is_empty()));
    let started: jiff::Timestamp = run["started"].as_str().unwrap().parse().unwrap();
    assert!((before..=after).contains(&started.as_second()), "started {started}");
    let listed: BTreeSet<String> = run["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, set(&PLAIN_SET));
}

/// A late failure never leaves a mixed set. A directory planted at the temporary name the
/// old code wrote summary.json under made that write fail after the new CSVs were already in
/// place beside the earlier summary.json and report.md. Now such a name is a leftover, removed
/// at the start: whatever the outcome, --out holds one run's set.
#[test]
fn a_late_failure_never_mixes_two_runs() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    assert_exit(&wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]), 0);
    let earlier = contents(&wd.path().join("out"));
    let second = "客户编号,手机\nK9,13812345678\n";
    wd.write("d.csv", second);
    std::fs::create_dir_all(wd.path().join("out/.summary.json.tmp/trap")).unwrap();
    let out = wd.run(&["audit", "d.csv", "--out", "out", "--quiet"]);
    let now = contents(&wd.path().join("out"));
    if out.status.code() == Some(0) {
        let numbers = wd.read_string("out/numbers.csv");
        let summary = wd.read_string("out/summary.json");
        assert!(numbers.contains("13812345678") && !numbers.contains("13971234567"));
        let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(second.as_bytes()));
        assert!(summary.contains(&sha), "summary.json is the new run's");
        assert_eq!(names(&wd.path().join("out")), set(&PLAIN_SET));
    } else {
        assert_eq!(
            now,
            earlier,
            "a failed run leaves the earlier set whole: {}",
            stderr(&out)
        );
    }
}

// 5. A gate that never passes by accident.

/// `audit ... --fail-on 'invalid>0' | head -1` keeps exit 1: the broken pipe silences the
/// report, never the gate (through a real shell pipeline, and with stdout closed at once).
#[test]
fn a_closed_stdout_keeps_the_gate_failing() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    let bin = env!("CARGO_BIN_EXE_contact-audit");
    let out = Command::new("bash")
        .current_dir(wd.path())
        .args(["-c", "set -o pipefail; \"$0\" \"$@\" | head -1 >/dev/null"])
        .args([bin, "audit", "c.csv", "--out", "out", "--fail-on", "invalid>0"])
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let mut child = wd
        .command(&["audit", "c.csv", "--out", "out", "--fail-on", "invalid>0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("check failed: invalid>0"), "{}", stderr(&out));
}

/// `check --format json | head -1` exits 0 and says nothing, as the table format does.
#[test]
fn check_stops_quietly_when_stdout_closes() {
    let wd = Workdir::new();
    let cells = "13971234567\n027-88886666\n1397123456\n".repeat(3000);
    for format in ["json", "table"] {
        let mut child = wd
            .command(&["check", "--format", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        // The child may stop reading once its stdout is gone: a failed write here is fine.
        let _ = child.stdin.take().unwrap().write_all(cells.as_bytes());
        let out = child.wait_with_output().unwrap();
        assert_exit(&out, 0);
        assert_eq!(stderr(&out), "", "--format {format} says nothing");
    }
}

// 6. The spool limit.

/// Standard input beyond --spool-limit: a clear message, exit 3, no spool and no --out left.
#[test]
fn standard_input_beyond_the_spool_limit_exits_3() {
    let wd = Workdir::new();
    let input = big_contacts(200);
    let out = wd.run_stdin(&["audit", "-", "--out", "o", "--spool-limit", "2k"], input.as_bytes());
    assert_exit(&out, 3);
    assert!(
        stderr(&out).contains("spool limit of 2 kB") && stderr(&out).contains("--spool-limit"),
        "{}",
        stderr(&out)
    );
    assert!(!wd.path().join("o").exists(), "nothing is left");
    std::fs::create_dir(wd.path().join("o")).unwrap();
    let out = wd.run_stdin(&["audit", "-", "--out", "o", "--spool-limit", "2k"], input.as_bytes());
    assert_exit(&out, 3);
    assert!(
        names(&wd.path().join("o")).is_empty(),
        "{:?}",
        names(&wd.path().join("o"))
    );
    let out = wd.run_stdin(
        &["audit", "-", "--out", "o", "--spool-limit", "1M", "-q"],
        input.as_bytes(),
    );
    assert_exit(&out, 0);
    assert_exit(&wd.run(&["audit", "-", "--out", "o", "--spool-limit", "lots"]), 2);
}

// 7. Full disk, read-only --out.

/// A write that fails half-way (the file size limit stands in for a full disk: the same
/// write error) names the file, exits 3 and leaves the earlier set as it was.
#[test]
fn a_failed_write_exits_3_and_keeps_the_earlier_set() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    assert_exit(&wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]), 0);
    let earlier = contents(&wd.path().join("out"));
    wd.write("big.csv", big_contacts(3000));
    let bin = env!("CARGO_BIN_EXE_contact-audit");
    // 200 blocks of 512 bytes: numbers.csv outgrows it, big.csv (read, not written) may not.
    let out = Command::new("sh")
        .current_dir(wd.path())
        .args(["-c", "ulimit -f 200 && trap '' XFSZ && exec \"$0\" \"$@\""])
        .args([bin, "audit", "big.csv", "--out", "out", "--quiet"])
        .env_clear()
        .output()
        .unwrap();
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("writing out/"), "{}", stderr(&out));
    assert_eq!(contents(&wd.path().join("out")), earlier);
}

/// A read-only --out exits 3 naming it, and leaves the earlier set. chmod does not stop root,
/// so as root the run is made as the user `nobody`; where that cannot be done the test says
/// so and skips.
#[test]
fn a_read_only_out_exits_3_and_keeps_the_earlier_set() {
    use std::os::unix::fs::PermissionsExt as _;
    use std::os::unix::process::CommandExt as _;
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    assert_exit(&wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]), 0);
    let dir = wd.path().join("out");
    let earlier = contents(&dir);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let root = std::fs::write(dir.join("probe"), "").is_ok();
    let mut cmd = wd.command(&["audit", "c.csv", "--out", "out", "--quiet"]);
    if root {
        std::fs::remove_file(dir.join("probe")).unwrap();
        std::fs::set_permissions(wd.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534);
    }
    let out = match cmd.stdin(Stdio::null()).output() {
        Ok(out) if !(root && out.status.code() == Some(126)) => out,
        other => {
            eprintln!("skipped: cannot run the binary as nobody to test a read-only --out as root: {other:?}");
            return;
        }
    };
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    if root && stderr(&out).contains("c.csv") && !stderr(&out).contains("out") {
        eprintln!("skipped: nobody cannot read the test's files here: {}", stderr(&out));
        return;
    }
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("out"), "{}", stderr(&out));
    assert_eq!(contents(&dir), earlier);
}

// 8. --out holding other files.

/// `--out /` and any directory holding files the tool did not write are refused (exit 2)
/// unless --force, and nothing is written; with --force the other files are left alone.
#[test]
fn an_out_holding_other_files_needs_force() {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    let root_before = names(Path::new("/"));
    let out = wd.run(&["audit", "c.csv", "--out", "/", "--quiet"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(names(Path::new("/")), root_before);
    wd.write("home/thesis.docx", "mine");
    let out = wd.run(&["audit", "c.csv", "--out", "home", "--quiet"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("thesis.docx"), "{}", stderr(&out));
    assert_eq!(names(&wd.path().join("home")), set(&["thesis.docx"]));
    let out = wd.run(&["audit", "c.csv", "--out", "home", "--quiet", "--force"]);
    assert_exit(&out, 0);
    assert_eq!(wd.read_string("home/thesis.docx"), "mine");
    let mut expected = PLAIN_SET.to_vec();
    expected.push("thesis.docx");
    assert_eq!(names(&wd.path().join("home")), set(&expected));
}

// 9. README.

/// README's exit-code table lists every code the binary can end with, signals included, and
/// says what a run leaves in --out.
#[test]
fn readme_documents_every_exit_code_and_what_a_run_leaves() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("## Exit codes")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has an Exit codes section");
    for status in [
        ExitStatus::Success,
        ExitStatus::ChecksFailed,
        ExitStatus::UsageError,
        ExitStatus::InputUnreadable,
        ExitStatus::Interrupted,
        ExitStatus::Terminated,
    ] {
        let row = format!("| {} |", status.code());
        assert!(section.contains(&row), "README's exit codes lack {}", status.code());
    }
    for words in [".contact-audit-run-", "--force", "--spool-limit"] {
        assert!(readme.contains(words), "README does not mention {words}");
    }
}
