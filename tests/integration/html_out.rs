//! report.html: always in the set, one self-contained page (nothing fetched: no link, no
//! script, no remote URL), every value from input escaped (header names, outcome texts,
//! unreadable log lines, inside the SVG charts too), phone numbers masked with `--mask`, the
//! labels in `--lang`. A snapshot pins the page of a small fixture in both languages.

use std::fmt::Write as _;

use crate::harness::{Workdir, assert_exit};

/// Contacts with a shared own number (two customers), a landline, a short mobile and empty
/// cells.
const CONTACTS: &str = "客户编号,姓名,手机,住宅电话,紧急联系人电话\n\
    KH001,张三,13971234567,027-87654321,13800138001\n\
    KH002,李四,13971234567,,13971234568\n\
    KH003,王五,1397123456,02787654322,\n";

/// A generic call log: one reached, one no answer, one empty, one text no rule knows, and a
/// line whose time cannot be read.
const CALLS: &str = "被叫号码,呼叫时间,呼叫结果\n\
    13971234567,2026-10-01 10:00:00,已接通\n\
    13971234568,2026-10-01 10:05:00,无人接听\n\
    13800138001,2026-10-02 11:00:00,空号\n\
    02787654321,2026-10-02 11:10:00,奇怪的结果\n\
    13971234567,not a time,无人接听\n";

/// Runs the audit in `wd` with `extra` arguments and returns report.html.
fn page(wd: &Workdir, extra: &[&str]) -> String {
    let mut args = vec![
        "audit",
        "c.csv",
        "--out",
        "out",
        "--quiet",
        "--exit-zero",
        "--max-unreadable",
        "60%",
    ];
    args.extend_from_slice(extra);
    assert_exit(&wd.run(&args), 0);
    wd.read_string("out/report.html")
}

fn fixture() -> Workdir {
    let wd = Workdir::new();
    wd.write("c.csv", CONTACTS);
    wd.write("calls.csv", CALLS);
    wd
}

/// The page with its stylesheet left out (pinned by the stylesheet file itself) and the tool's
/// version replaced, so a snapshot shows only what the run decides.
fn pinned(html: &str) -> String {
    let start = html.find("<style>").expect("a stylesheet") + "<style>".len();
    let end = html.find("</style>").expect("a closed stylesheet");
    let text = format!("{}[style]{}", &html[..start], &html[end..]);
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn the_page_of_a_small_fixture_in_both_languages() {
    let wd = fixture();
    let args = [
        "--history",
        "calls.csv",
        "--shared-threshold",
        "2",
        "--fail-on",
        "invalid>10%",
    ];
    let en = page(&wd, &[&args[..], &["--lang", "en"]].concat());
    insta::assert_snapshot!("html__en", pinned(&en));
    let zh = page(&wd, &[&args[..], &["--lang", "zh"]].concat());
    insta::assert_snapshot!("html__zh", pinned(&zh));
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(zh.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    for (html, words) in [
        (
            &en,
            [
                "Customers by call outcome",
                "Next actions, by number",
                "Issues",
                "Compliance",
            ],
        ),
        (&zh, ["客户联系结果", "下一步操作（按号码）", "问题", "合规"]),
    ] {
        for w in words {
            assert!(html.contains(&format!("<h2>{w}</h2>")), "{w}");
        }
    }
    // The sections come in the order the issue asks for.
    let order = [
        "id=\"customers\"",
        "id=\"actions\"",
        "id=\"issues\"",
        "id=\"columns\"",
        "id=\"compliance\"",
        "id=\"checks\"",
        "id=\"facts\"",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|s| en.find(s).unwrap_or_else(|| panic!("{s}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // The full sha256 of the input, not report.md's 16 characters.
    let sha = {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(CONTACTS.as_bytes());
        d.iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    };
    assert!(
        en.contains(&format!("<code id=\"input-sha256\">{sha}</code>")),
        "full sha256"
    );
}

#[test]
fn a_run_without_history_has_the_numbers_and_no_history_sections() {
    let wd = fixture();
    let html = page(&wd, &[]);
    assert!(html.contains("id=\"verdicts\"") && html.contains("id=\"issues\""));
    for id in [
        "id=\"customers\"",
        "id=\"actions\"",
        "id=\"slots\"",
        "id=\"compliance\"",
    ] {
        assert!(!html.contains(id), "{id}");
    }
    assert!(html.contains("<p>No --fail-on checks were given.</p>"));
}

/// The strings that must never reach the page as markup: a script element, an attribute
/// broken out of, an SVG closed early, an entity passed through unescaped.
const HOSTILE: [&str; 5] = [
    "<script>alert(1)</script>",
    "\"onmouseover=\"alert(2)",
    "</svg>\"",
    "</svg><script",
    "&amp;\"",
];

#[test]
fn input_text_is_escaped_everywhere_on_the_page() {
    let wd = Workdir::new();
    let header = "手机<script>alert(1)</script></svg>\"onmouseover=\"alert(2)&amp;";
    wd.write(
        "c.csv",
        format!(
            "客户编号,{header},紧急联系人电话\n\
             KH<script>alert(1)</script>,13971234567,\"</svg>&amp;\"\"onmouseover=\"\"alert(2)\"\n\
             KH2,13971234568,13800138001\n"
        ),
    );
    wd.write(
        "calls.csv",
        "被叫号码,呼叫时间,呼叫结果\n\
         13971234567,2026-10-01 10:00:00,<script>alert(1)</script></svg>&amp;\"onmouseover=\"alert(2)\n\
         13971234568,</svg><script>alert(1)</script>,无人接听\n",
    );
    let html = page(&wd, &["--history", "calls.csv"]);
    for raw in HOSTILE {
        assert!(!html.contains(raw), "{raw} reached the page unescaped");
    }
    assert!(!html.contains("<script"), "a script element");
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("</svg>").count(),
        "every svg closed once"
    );
    // Escaped, and still shown: the header in the column table (minijinja also escapes `/`)
    // and in the column chart (plotters' SVG backend escapes the five XML characters), the
    // outcome text in its table.
    let in_table = "<td>手机&lt;script&gt;alert(1)&lt;&#x2f;script&gt;&lt;&#x2f;svg&gt;&quot;onmouseover=&quot;alert(2)&amp;amp;</td>";
    assert!(html.contains(in_table), "header in the table");
    let in_chart =
        "手机&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;&quot;onmouseover=&quot;alert(2)&amp;amp;\n</text>";
    assert!(html.contains(in_chart), "header in the chart");
    assert!(
        html.contains("<td>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;&lt;&#x2f;svg&gt;&amp;amp;&quot;onmouseover=&quot;alert(2)</td>"),
        "the outcome text"
    );
}

#[test]
fn mask_hides_every_phone_number_on_the_page() {
    let wd = fixture();
    let args = ["--history", "calls.csv", "--shared-threshold", "2"];
    let plain = page(&wd, &args);
    assert!(
        plain.contains("<td class=\"phone\">+8613971234567</td>"),
        "the shared number is shown"
    );
    let masked = page(&wd, &[&args[..], &["--mask"]].concat());
    for number in ["13971234567", "13971234568", "13800138001", "87654321", "1397123456"] {
        assert!(!masked.contains(number), "{number} is shown with --mask");
    }
    assert!(
        masked.contains("<td class=\"phone\">+86139****4567</td>"),
        "masked as report.md masks"
    );
}

#[test]
fn the_page_fetches_nothing() {
    let wd = fixture();
    let html = page(&wd, &["--history", "calls.csv"]);
    let lower = html.to_lowercase();
    for what in [
        "<link", "<script", "<img", "<iframe", "<object", "<embed", "@import", "url(", "src=", "href=",
    ] {
        assert!(!lower.contains(what), "{what}");
    }
    // The only URL is the SVG namespace, which names and fetches nothing.
    let urls = lower.matches("http://").count() + lower.matches("https://").count();
    assert_eq!(urls, lower.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());
    assert!(lower.matches("<svg").count() >= 4, "the charts are inline");
    assert!(html.contains("\"Noto Sans CJK SC\"") && html.contains("\"Microsoft YaHei\""));
}

/// The count cell of row `id` in the page (`<td class="n" id="{id}" data-count="N">`).
fn count_of(html: &str, id: &str) -> Option<u64> {
    let at = html.find(&format!("id=\"{id}\" data-count=\""))?;
    let rest = &html[at..];
    let start = rest.find("data-count=\"")? + "data-count=\"".len();
    let end = start + rest[start..].find('"')?;
    rest[start..end].parse().ok()
}

/// Top regions and carriers from the geocoding and carrier tables (libphonenumber 9.0.35:
/// 8613971 is Wuhan, Hubei; 86139 and 86138 China Mobile; 86189 China Telecom) and the area
/// codes (027 Wuhan, 010 Beijing). A city's mobiles and its area code count as one region; an
/// invalid number (Wuhan with 7 local digits) counts nowhere.
#[test]
fn top_regions_and_carriers_count_the_numbers_that_are_not_invalid() {
    let wd = Workdir::new();
    wd.write(
        "c.csv",
        "客户编号,手机,住宅电话\nK1,13971234567,027-87654321\nK2,13971234568,010-62345678\nK3,18912345678,027-8765432\n",
    );
    let html = page(&wd, &[]);
    let section = &html[html.find("<section id=\"places\">").expect("a places section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("Wuhan, Hubei") && section.contains("Beijing"),
        "{section}"
    );
    // Wuhan: two mobiles and one landline; then Beijing's landline, and K3's mobile wherever
    // the tables put 1891234 (one more row, not Wuhan).
    assert_eq!(count_of(section, "region-0"), Some(3), "{section}");
    assert!(section.find("Wuhan, Hubei") < section.find("Beijing"));
    assert!(section.contains("China Mobile") && section.contains("China Telecom"));
    assert_eq!(count_of(section, "carrier-0"), Some(2), "China Mobile first: {section}");
    assert_eq!(count_of(section, "carrier-1"), Some(1), "{section}");
    assert_eq!(
        count_of(section, "carrier-2"),
        None,
        "landlines have no carrier: {section}"
    );
}

/// The slot table counts attempts, not numbers: the fixture's four readable attempts fall on
/// 2026-10-01 and 10-02, statutory holidays (National Day, rules/cn/holidays.csv), so all are
/// in the `holiday` slot: one reached, one no answer, one empty, one unknown outcome; answer
/// rate 1 of 4.
#[test]
fn attempts_by_slot_and_outcome_and_the_answer_rate() {
    let wd = fixture();
    let html = page(
        &wd,
        &["--history", "calls.csv", "--as-of", "2026-10-31", "--lang", "en"],
    );
    let section = &html[html.find("<section id=\"slots\">").expect("a slots section")..];
    let section = &section[..section.find("</section>").unwrap()];
    let row = section
        .lines()
        .find(|l| l.starts_with("<tr><td>holiday</td>"))
        .unwrap_or_else(|| panic!("no holiday row: {section}"));
    let cells: Vec<&str> = row
        .split("<td class=\"n\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap())
        .collect();
    // attempts, reached, no answer, powered off, empty or wrong, unknown, answer rate
    assert_eq!(cells, ["4", "1", "1", "0", "1", "1", "25.0%"], "{row}");
    for other in ["weekday_evening", "weekend", "weekday_morning", "weekday_daytime"] {
        let line = section
            .lines()
            .find(|l| l.starts_with(&format!("<tr><td>{other}</td>")));
        assert!(
            line.is_some_and(|l| l.contains("<td class=\"n\">0</td>")),
            "{other}: {section}"
        );
    }
}
