//! What the call history tells a campaign to do: `--prune history` takes the numbers to
//! prune out of cleaned.csv (with the history's reason in removed.csv), report.md's
//! next-actions table, and the customer's next step with its slot in its own column.

use crate::harness::{Workdir, assert_exit, stderr};

/// K1's mobile is empty (空号) on two different days, which confirms it (policy.toml
/// `[empty]`); K1's home line answered. K2's only number was never dialled.
fn fixture(wd: &Workdir) {
    wd.write(
        "c.csv",
        "id,mobile,home_phone\nK1,13971234567,027-87654321\nK2,13900001111,\n",
    );
    wd.write(
        "calls.csv",
        "被叫号码,呼叫时间,呼叫结果,通话时长\n\
         13971234567,2026-11-02 10:00:00,空号,0\n\
         13971234567,2026-11-04 19:00:00,空号,0\n\
         02787654321,2026-11-04 19:30:00,已接通,95\n",
    );
}

fn audit(wd: &Workdir, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "audit",
        "c.csv",
        "--history",
        "calls.csv",
        "--out",
        "out",
        "--lang",
        "en",
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

#[test]
fn prune_history_takes_the_history_prunes_out_of_cleaned_csv() {
    let wd = Workdir::new();
    fixture(&wd);
    assert_exit(&audit(&wd, &["--quiet"]), 0);
    assert!(
        wd.read_string("out/cleaned.csv").contains("13971234567"),
        "kept by default"
    );
    assert_exit(&audit(&wd, &["--quiet", "--prune", "invalid,history"]), 0);
    let cleaned = wd.read_string("out/cleaned.csv");
    assert!(!cleaned.contains("13971234567"), "{cleaned}");
    assert!(
        cleaned.contains("027-87654321"),
        "the reached home line stays: {cleaned}"
    );
    let removed = wd.read_string("out/removed.csv");
    let row = removed
        .lines()
        .find(|l| l.contains("13971234567"))
        .expect("a removed row");
    assert!(row.contains("empty (空号) on two or more different days"), "{row}");
    let out = wd.run(&["audit", "c.csv", "--out", "o2", "--prune", "history"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("--history"), "{}", stderr(&out));
}

#[test]
fn the_report_counts_numbers_by_next_action() {
    let wd = Workdir::new();
    fixture(&wd);
    let out = audit(&wd, &[]);
    assert_exit(&out, 0);
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("| prune (remove before dialling) | 1 |"), "{report}");
    assert!(report.contains("| keep (reached) | 1 |"), "{report}");
    assert!(report.contains("Valid numbers never dialled: 1."), "{report}");
    assert!(
        report.contains("| a valid number not yet dialled | 1 | 50.0% |"),
        "{report}"
    );
    let customers = wd.read_string("out/customers.csv");
    let k1 = customers.lines().find(|l| l.starts_with("K1,")).unwrap();
    assert!(k1.contains(",reached,keep,,"), "keep has no slot: {k1}");
    let k2 = customers.lines().find(|l| l.starts_with("K2,")).unwrap();
    assert!(k2.contains(",never_called,retry,weekday_evening "), "{k2}");
}

/// The gate reads the history: customers by status, numbers by action, compliance; a
/// history metric without `--history` is a usage error, not a silent pass.
#[test]
fn fail_on_takes_history_metrics() {
    let wd = Workdir::new();
    fixture(&wd);
    for (expr, code) in [
        ("prune>0", 1),
        ("prune>1", 0),
        ("empty>0", 0),
        ("never_called>=50%", 1),
        ("reached<50%", 0),
        ("compliance.window>0", 0),
        ("calls.unreadable>0", 0),
    ] {
        let out = audit(&wd, &["--quiet", "--fail-on", expr]);
        assert_exit(&out, code);
    }
    let out = wd.run(&["audit", "c.csv", "--out", "o2", "--fail-on", "prune>0"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("call-history metric"), "{}", stderr(&out));
    assert!(!wd.path().join("o2").exists());
}

/// Outcome texts no rule knows are counted by text, listed in report.md (as table cells that
/// cannot break the table) and in summary.json, and can gate the run.
#[test]
fn unknown_outcome_texts_are_listed_and_gated() {
    let wd = Workdir::new();
    fixture(&wd);
    wd.write(
        "calls.csv",
        "被叫号码,呼叫时间,呼叫结果,通话时长\n\
         13900001111,2026-11-02 10:00:00,客户要求|改天,0\n\
         13900001111,2026-11-03 10:00:00,客户要求|改天,0\n\
         13971234567,2026-11-03 11:00:00,已接通,80\n",
    );
    let out = audit(&wd, &[]);
    assert_exit(&out, 0);
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("| 客户要求\\|改天 | 2 |"), "{report}");
    let s: serde_json::Value = serde_json::from_str(&wd.read_string("out/summary.json")).unwrap();
    assert_eq!(s["calls"]["unknown_outcome"], 2);
    assert_eq!(s["calls"]["unknown_outcomes"][0]["text"], "客户要求|改天");
    assert_exit(&audit(&wd, &["--quiet", "--fail-on", "calls.unknown_outcome>50%"]), 1);
    assert_exit(&audit(&wd, &["--quiet", "--fail-on", "calls.unknown_outcome>70%"]), 0);
}
