//! Issue 12: the rule tables against their sources, and what the revised tables change.
//!
//! - the differential test: every mobile block (each 5-digit prefix 13000-19999) and every
//!   area code (each code, 7 and 8 local digits, first digits 2-8) through the engine and through
//!   libphonenumber 9.0.43's CN patterns (vendored in rules/sources/libphonenumber-9.0.43/);
//!   every difference must be listed in rules/libphonenumber-differences.csv with its reason,
//!   and every listed difference must still occur;
//! - each fixed finding of the issue, table-driven, expectations from the issue's sources;
//! - `landline.pre_upgrade` end to end: `check` names the upgrade and suggests the current
//!   number, numbers.csv and removed.csv carry it, cleaned.csv never does;
//! - the calendar freshness note of report.md and summary.json.

use std::collections::{BTreeMap, BTreeSet};

use contact_audit::phone::{Engine, Issue, Kind, Verdict};
use contact_audit::rules::RuleSet;
use test_case::test_case;

use crate::harness::{Workdir, assert_exit};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(RuleSet::embedded)
}

fn repo_file(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The pattern of `desc` (`mobile`, `fixed_line`) in the vendored region_CN.py, anchored.
fn pattern(desc: &str) -> regex::Regex {
    let text = repo_file("rules/sources/libphonenumber-9.0.43/region_CN.py");
    let start = format!("{desc}=PhoneNumberDesc(national_number_pattern='");
    let from = text.find(&start).unwrap_or_else(|| panic!("no {desc} pattern")) + start.len();
    let len = text[from..].find('\'').expect("closing quote");
    let pattern = text[from..from + len].replace("\\\\", "\\");
    regex::Regex::new(&format!("^(?:{pattern})$")).expect("libphonenumber's pattern compiles")
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Every (kind, key) -> (engine, libphonenumber) where the two disagree.
fn differences() -> BTreeMap<(String, String), (String, String)> {
    let engine = Engine::new(rules());
    let mut found = BTreeMap::new();
    let mobile = pattern("mobile");
    for prefix in 13000..=19999 {
        let digits = format!("{prefix}123456");
        let n = &engine.check(&digits).numbers[0];
        let ours = n.kind == Kind::Mobile && n.complete && n.verdict() != Verdict::Invalid;
        let theirs = mobile.is_match(&digits);
        if ours != theirs {
            let block = rules()
                .mobile
                .lookup(digits.as_bytes())
                .map_or("-".to_string(), |b| b.prefix.clone());
            found.insert(("mobile".into(), block), (yes(ours).into(), yes(theirs).into()));
        }
    }
    let fixed = pattern("fixed_line");
    let codes = (10..=29)
        .filter(|c| *c == 10 || *c >= 20)
        .map(|c| format!("0{c}"))
        .chain((300..=999).map(|c| format!("0{c}")));
    for code in codes {
        for len in [7, 8] {
            let (mut ours, mut theirs) = (String::new(), String::new());
            for first in '2'..='8' {
                let local: String = std::iter::once(first).chain("3579246".chars()).take(len).collect();
                let n = &engine.check(&format!("{code}-{local}")).numbers[0];
                if n.kind == Kind::Landline && n.complete && n.area_code() == Some(code.as_str()) {
                    ours.push(first);
                }
                if fixed.is_match(&format!("{}{local}", &code[1..])) {
                    theirs.push(first);
                }
            }
            if ours != theirs {
                let key = format!("{code}/{len}");
                found.insert(("area".into(), key), (or_none(ours), or_none(theirs)));
            }
        }
    }
    found
}

fn or_none(digits: String) -> String {
    if digits.is_empty() { "none".into() } else { digits }
}

#[test]
fn the_engine_differs_from_libphonenumber_only_where_the_differences_file_says_why() {
    let text = repo_file("rules/libphonenumber-differences.csv");
    let mut listed = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
    {
        let f: Vec<&str> = line.splitn(5, ',').collect();
        assert_eq!(f.len(), 5, "kind,key,engine,libphonenumber,reason: {line}");
        assert!(f[4].trim().len() > 10, "a difference needs its reason: {line}");
        listed.insert(
            (f[0].to_string(), f[1].to_string()),
            (f[2].to_string(), f[3].to_string()),
        );
    }
    let found = differences();
    let unlisted: Vec<String> = found
        .iter()
        .filter(|(k, v)| listed.get(*k) != Some(*v))
        .map(|((kind, key), (ours, theirs))| format!("{kind},{key},{ours},{theirs},"))
        .collect();
    let stale: BTreeSet<_> = listed.keys().filter(|k| !found.contains_key(*k)).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "differences not listed (or listed with other values) in rules/libphonenumber-differences.csv:\n{}\n\
         listed but no longer found: {stale:?}",
        unlisted.join("\n")
    );
}

/// `kind verdict national [issues]` of the cell's first number.
fn first(cell: &str) -> String {
    let c = Engine::new(rules()).check(cell);
    let n = &c.numbers[0];
    let codes: Vec<&str> = n.issues.iter().map(Issue::code).collect();
    format!(
        "{} {} {} [{}]",
        n.kind.as_str(),
        n.verdict().as_str(),
        n.national(),
        codes.join(" ")
    )
}

// The findings of issue 12, one case each (the sources are named in rules/README.md).
#[test_case("0807-82345678" => "landline invalid 0807-82345678 [landline.area_unknown]" ; "0807 has no source")]
#[test_case("1463758046512" => "mobile invalid 1463758046512 [mobile.data_only]" ; "146 is 13 digit iot")]
#[test_case("1483778635912" => "mobile invalid 1483778635912 [mobile.data_only]" ; "148 is 13 digit iot")]
#[test_case("14637580465" => "mobile invalid 14637580465 [mobile.data_only mobile.length]" ; "146 with 11 digits is short")]
#[test_case("1410123456789" => "mobile invalid 1410123456789 [mobile.data_only]" ; "1410 telecom iot")]
#[test_case("1064812345678" => "mobile invalid 1064812345678 [mobile.data_only]" ; "1064x other than 10647")]
#[test_case("1069012345678" => "unknown invalid 1069012345678 [format.unrecognised]" ; "106 port of 13 digits is no port")]
#[test_case("10690123" => "service invalid 10690123 [service.number]" ; "106 port of 8 digits")]
#[test_case("12368" => "service invalid 12368 [service.number]" ; "courts hotline")]
#[test_case("027-12363" => "service invalid 027-12363 [service.number]" ; "central bank hotline")]
#[test_case("12378" => "service invalid 12378 [service.number]" ; "financial regulator hotline")]
#[test_case("0851-5827364" => "landline invalid 0851-5827364 [landline.length landline.pre_upgrade]" ; "guiyang seven digits")]
#[test_case("0851-85827364" => "landline ok 0851-85827364 []" ; "guiyang eight digits")]
#[test_case("0433-2345678" => "landline ok 0433-2345678 []" ; "yanbian still has seven digit lines")]
fn issue_12_findings(cell: &str) -> String {
    first(cell)
}

#[test_case("024", "本溪", "Benxi" ; "024 took benxi")]
#[test_case("0898", "三亚市、儋州市", "Sanya/Danzhou" ; "0898 took sanya and danzhou")]
#[test_case("0879", "普洱", "Pu'er" ; "simao is pu'er")]
#[test_case("0991", "乌鲁木齐", "Urumqi" ; "urumqi")]
fn region_names_follow_the_mergers(code: &str, zh: &str, en: &str) {
    let area = rules().areas.get(code.as_bytes()).unwrap();
    assert!(area.region_zh.contains(zh) && area.region_en.contains(en), "{area:?}");
}

#[test_case("0551", "巢湖" ; "chaohu is part of hefei")]
#[test_case("0832", "资阳" ; "ziyang dials 028")]
fn region_names_drop_what_left(code: &str, gone: &str) {
    assert!(!rules().areas.get(code.as_bytes()).unwrap().region_zh.contains(gone));
}

// landline.pre_upgrade: the upgrade, its date, and the current number where the rule is known.
#[test_case("0851-5827364" => Some("0851-85827364".into()) ; "guiyang plus 8")]
#[test_case("0852-2345678" => Some("0851-22345678".into()) ; "zunyi merged plus 2")]
#[test_case("0853-2345678" => Some("0851-32345678".into()) ; "anshun merged plus 3")]
#[test_case("010-6234567" => Some("010-66234567".into()) ; "beijing plus 6")]
#[test_case("021-3234567" => Some("021-63234567".into()) ; "shanghai 3 plus 6")]
#[test_case("021-8234567" => Some("021-58234567".into()) ; "shanghai 8 plus 5")]
#[test_case("020-8234567" => Some("020-81234567".into()) ; "guangzhou 8 gets 1 after it")]
#[test_case("020-3234567" => Some("020-83234567".into()) ; "guangzhou 3 plus 8")]
#[test_case("0769-2234567" => Some("0769-22234567".into()) ; "dongguan 2 plus 2")]
#[test_case("0769-5234567" => Some("0769-85234567".into()) ; "dongguan others plus 8")]
#[test_case("0413-2345678" => Some("024-52345678".into()) ; "fushun plus 5")]
#[test_case("0410-2345678" => Some("024-72345678".into()) ; "tieling plus 7")]
#[test_case("0732-2345678" => Some("0731-52345678".into()) ; "xiangtan plus 5")]
#[test_case("0531-2345678" => Some("0531-82345678".into()) ; "jinan plus 8")]
#[test_case("0871-2345678" => Some("0871-62345678".into()) ; "kunming plus 6")]
#[test_case("0898-2345678" => Some("0898-62345678".into()) ; "haikou plus 6")]
#[test_case("027-8765432" => None ; "wuhan rule not documented")]
#[test_case("0414-2345678" => None ; "benxi digit not found")]
#[test_case("0710-2345678" => None ; "xiangyang never upgraded")]
fn pre_upgrade_suggestions(cell: &str) -> Option<String> {
    let c = Engine::new(rules()).check(cell);
    c.numbers[0].suggested(rules())
}

#[test]
fn check_names_the_guiyang_upgrade_and_suggests_the_current_number() {
    let wd = Workdir::new();
    let out = wd.run(&["check", "--format", "json", "0851-5827364", "027-8765432"]);
    assert_exit(&out, 0);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let guiyang = &lines[0]["numbers"][0];
    assert_eq!(guiyang["suggested"]["national"], "0851-85827364");
    assert_eq!(guiyang["suggested"]["e164"], "+8685185827364");
    assert_eq!(guiyang["suggested"]["action"], "verify");
    let message = guiyang["issues"][1]["message"].as_str().unwrap();
    assert_eq!(guiyang["issues"][1]["code"], "landline.pre_upgrade");
    assert!(
        message.contains("Guiyang") && message.contains("2014-12-20"),
        "{message}"
    );
    let wuhan = &lines[1]["numbers"][0];
    assert!(wuhan["suggested"].is_null());
    let message = wuhan["issues"][1]["message"].as_str().unwrap();
    assert!(message.contains("not documented"), "{message}");
    let zh = wd.run(&["check", "--lang", "zh", "0851-5827364"]);
    let zh = String::from_utf8_lossy(&zh.stdout);
    assert!(
        zh.contains("贵阳市（0851）已于2014-12-20升为8位") && zh.contains("0851-85827364"),
        "{zh}"
    );
}

#[test]
fn suggestions_go_to_numbers_and_removed_never_to_cleaned() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,phone\nA1,0851-5827364\nA2,027-87654321/2\n");
    assert_exit(
        &wd.run(&["audit", "c.csv", "--out", "out", "--quiet", "--exit-zero"]),
        0,
    );
    let numbers = wd.read_string("out/numbers.csv");
    assert!(numbers.lines().next().unwrap().ends_with(",suggested"), "{numbers}");
    assert!(numbers.lines().nth(1).unwrap().ends_with(",0851-85827364"), "{numbers}");
    assert!(
        numbers.contains("027-87654322") && numbers.contains("format.range"),
        "{numbers}"
    );
    let removed = wd.read_string("out/removed.csv");
    assert!(removed.lines().nth(1).unwrap().ends_with(",0851-85827364"), "{removed}");
    let cleaned = wd.read_string("out/cleaned.csv");
    assert!(!cleaned.contains("85827364"), "{cleaned}");
    assert!(cleaned.contains("027-87654321/027-87654322"), "{cleaned}");
}

#[test]
fn a_history_past_the_holiday_calendar_says_so_once() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,phone\nA1,13971234567\n");
    wd.write(
        "calls.csv",
        "phone,time,outcome\n13971234567,2027-01-05 10:00,no answer\n",
    );
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec!["audit", "c.csv", "--history", "calls.csv", "--out", out, "--quiet"];
        args.extend_from_slice(extra);
        assert_exit(&wd.run(&args), 0);
        let s: serde_json::Value = serde_json::from_str(&wd.read_string(&format!("{out}/summary.json"))).unwrap();
        (s, wd.read_string(&format!("{out}/report.md")))
    };
    // An attempt in 2027 is plausible only up to a day after --as-of (or now).
    let (s, md) = run("late", &["--as-of", "2027-01-10"]);
    assert_eq!(s["calls"]["calendar"]["holidays_last_year"], 2026);
    assert_eq!(md.matches("ends with 2026").count(), 1, "{md}");
    // As of a day inside the calendar, the 2027 attempt is left out (after --as-of); the range
    // is widened so it is not an implausible line.
    let (s, md) = run(
        "fresh",
        &["--as-of", "2026-06-01", "--history-time-range", "..2028-01-01"],
    );
    assert!(s["calls"].get("calendar").is_none());
    assert!(!md.contains("ends with 2026"));
}
