//! `contact-audit rules check` and `--rules DIR`.

use contact_audit::rules::FILES;

use crate::harness::{Workdir, assert_exit, stdout};

/// Copies the repository's rules into the work dir.
fn copy_rules(wd: &Workdir) {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for f in FILES {
        wd.write(&format!("rules/{f}"), std::fs::read(src.join(f)).unwrap());
    }
}

#[test]
fn embedded_rules_check_clean() {
    let wd = Workdir::new();
    let out = wd.run(&["rules", "check"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("ok"));
}

#[test]
fn every_bad_line_is_listed_with_file_and_line() {
    let wd = Workdir::new();
    copy_rules(&wd);
    let mut areas = String::from_utf8(wd.read("rules/cn/area-codes.csv")).unwrap();
    areas.push_str("0271,nowhere,nowhere,8\n027,dup,dup,8\n");
    let lines = areas.lines().count();
    wd.write("rules/cn/area-codes.csv", areas);
    let out = wd.run(&["rules", "check", "rules"]);
    assert_exit(&out, 2);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("rules/cn/area-codes.csv:{}: ", lines - 1)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "rules/cn/area-codes.csv:{lines}: area code `027` is listed twice"
        )),
        "{text}"
    );
    // The same set refuses to run a check.
    let out = wd.run(&["check", "--rules", "rules", "13971234567"]);
    assert_exit(&out, 2);
}

#[test]
fn another_rules_set_changes_the_verdict() {
    let wd = Workdir::new();
    copy_rules(&wd);
    let blocks = String::from_utf8(wd.read("rules/cn/mobile-blocks.csv")).unwrap();
    let blocks = blocks.replace(
        "154,11,,,public,unallocated",
        "154,11,中国移动,China Mobile,public,allocated",
    );
    wd.write("rules/cn/mobile-blocks.csv", blocks);
    let out = wd.run(&["check", "--format", "json", "--rules", "rules", "15412345678"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("\"verdict\":\"ok\""), "{}", stdout(&out));
    let out = wd.run(&["check", "--rules", "missing-dir", "15412345678"]);
    assert_exit(&out, 2);
}

#[test]
fn bad_policy_and_holiday_lines_are_listed_with_file_and_line() {
    let wd = Workdir::new();
    copy_rules(&wd);
    let policy = String::from_utf8(wd.read("rules/policy.toml")).unwrap();
    let cap = policy.lines().position(|l| l == "daily_unanswered = 6").unwrap() + 1;
    let start = policy.lines().position(|l| l == "start = \"08:00\"").unwrap() + 1;
    let policy = policy
        .replacen("daily_unanswered = 6", "daily_unanswered = \"six\"", 1)
        .replacen("start = \"08:00\"", "start = \"25:00\"", 1);
    wd.write("rules/policy.toml", policy);
    let mut holidays = String::from_utf8(wd.read("rules/cn/holidays.csv")).unwrap();
    let first = holidays.lines().count() + 1;
    holidays.push_str("2027-02-30,holiday,x,y\n2027-10-01,day_off,x,y\n");
    wd.write("rules/cn/holidays.csv", holidays);
    let out = wd.run(&["rules", "check", "rules"]);
    assert_exit(&out, 2);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(
        lines[0],
        format!("rules/policy.toml:{start}: [window] `start`: `25:00` is not a time of day (HH:MM)")
    );
    assert_eq!(
        lines[1],
        format!(
            "rules/policy.toml:{cap}: [caps] `daily_unanswered` must be a whole number from 0 to 65535, found \"six\""
        )
    );
    assert!(
        lines[2].starts_with(&format!("rules/cn/holidays.csv:{first}: date `2027-02-30`: ")),
        "{text}"
    );
    assert_eq!(
        lines[3],
        format!(
            "rules/cn/holidays.csv:{}: kind `day_off` must be holiday or working_day",
            first + 1
        )
    );
}
