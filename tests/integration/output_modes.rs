//! The ways issue 11 made the audit cheaper must not change what it says: `--outputs summary`
//! gives the same summary.json and report.md as a full run, and a file whose customers come
//! grouped (no sort) gives the same customers as one whose ids are scattered (the sorter),
//! for any thread count.

use std::collections::BTreeMap;

use crate::harness::{Workdir, assert_exit, outputs, stderr};

const HEADER: &str = "客户编号,姓名,手机,住宅电话,配偶电话";

/// Row `i` of customer `id`: a valid mobile, a Wuhan landline with 7 local digits (invalid)
/// on every third row, and a spouse's number shared by the customers of every tenth id.
fn row(id: u64, i: u64) -> String {
    let landline = if i.is_multiple_of(3) {
        "027-8765432".to_string()
    } else {
        format!("027-8{:07}", i % 10_000_000)
    };
    format!(
        "K{id:06},张{id},139{:08},{landline},1380013{:04}",
        i % 100_000_000,
        id % 10
    )
}

fn audit(wd: &Workdir, input: &str, out: &str, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut args = vec!["audit", input, "--out", out, "--quiet", "--exit-zero"];
    args.extend_from_slice(extra);
    let run = wd.run(&args);
    assert_exit(&run, 0);
    outputs(&wd.path().join(out))
}

/// 9,000 records (more than two batches) of 3,000 customers, three records each: adjacent
/// (`grouped`) or dealt out round-robin, so every id returns after all the others.
fn file(grouped: bool) -> String {
    let mut text = String::from(HEADER);
    for n in 0..9_000u64 {
        // The customer's k-th record holds the same cells either way.
        let (id, k) = if grouped {
            (n / 3, n % 3)
        } else {
            (n % 3_000, n / 3_000)
        };
        text.push('\n');
        text.push_str(&row(id, id * 3 + k));
    }
    text
}

#[test]
fn outputs_summary_writes_only_the_reports_and_says_the_same() {
    let wd = Workdir::new();
    wd.write("c.csv", file(false));
    let all = audit(&wd, "c.csv", "all", &[]);
    let summary = audit(&wd, "c.csv", "summary", &["--outputs", "summary"]);
    assert!(all.contains_key("numbers.csv") && all.contains_key("customers.csv"));
    assert!(
        summary.keys().all(|name| !std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))),
        "{:?}",
        summary.keys()
    );
    for name in ["summary.json", "report.md"] {
        assert!(summary[name] == all[name], "{name} differs with --outputs summary");
    }
    let s: serde_json::Value = serde_json::from_slice(&summary["summary.json"]).unwrap();
    assert_eq!(s["customers"]["total"], 3_000);
}

#[test]
fn outputs_summary_refuses_xlsx() {
    let wd = Workdir::new();
    wd.write("c.csv", file(true));
    let run = wd.run(&["audit", "c.csv", "--out", "o", "--outputs", "summary", "--xlsx"]);
    assert_exit(&run, 2);
    assert!(stderr(&run).contains("--outputs summary"), "{}", stderr(&run));
    assert!(!wd.path().join("o").exists());
}

/// customers.csv without its first-line column, sorted by id: what must not depend on the
/// order the records came in.
fn customers_by_id(csv: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(csv);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let skip = header
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == "first_line")
        .unwrap();
    let mut rows: Vec<String> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn grouped_and_scattered_ids_give_the_same_customers_for_any_thread_count() {
    let wd = Workdir::new();
    wd.write("grouped.csv", file(true));
    wd.write("scattered.csv", file(false));
    let mut runs = Vec::new();
    for input in ["grouped.csv", "scattered.csv"] {
        let one = audit(&wd, input, &format!("{input}-1"), &["--threads", "1"]);
        let four = audit(&wd, input, &format!("{input}-4"), &["--threads", "4"]);
        assert_eq!(one, four, "{input}: outputs differ between --threads 1 and 4");
        runs.push(one);
    }
    let (grouped, scattered) = (&runs[0], &runs[1]);
    let customers = customers_by_id(&grouped["customers.csv"]);
    assert_eq!(customers.len(), 3_000);
    assert_eq!(customers, customers_by_id(&scattered["customers.csv"]));
    // Three records each, whichever way they came.
    let text = String::from_utf8_lossy(&scattered["customers.csv"]).into_owned();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let records = header.iter().position(|h| *h == "records").unwrap();
    assert!(text.lines().skip(1).all(|l| l.split(',').nth(records) == Some("3")));
    // shared.csv: ten spouse numbers, each shared by 300 customers, in both layouts (the
    // lines column says where, which differs).
    let shared = |csv: &[u8]| -> Vec<String> {
        let text = String::from_utf8_lossy(csv);
        text.lines()
            .skip(1)
            .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
            .collect()
    };
    let numbers = shared(&grouped["shared.csv"]);
    assert_eq!(numbers, shared(&scattered["shared.csv"]));
    assert_eq!(numbers.len(), 10);
    assert!(numbers.iter().all(|n| n.ends_with(",300")), "{numbers:?}");
}
