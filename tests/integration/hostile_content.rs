//! Hostile content through `audit`: cells that a spreadsheet would run as formulas are
//! neutralised in every CSV output (and left alone with `--no-formula-guard`), and text from
//! input never becomes Markdown, HTML or a terminal escape in report.md or on stdout.

use crate::harness::{Workdir, assert_exit, stdout};

/// A UTF-8 file whose id, name, phone cells and header names carry formulas and markup; the
/// last record has more fields than the header, so it is passed through as a bad row.
const FILE: &str = "客户编号,姓名,手机,紧急联系人电话\n\
=1+2,\"=HYPERLINK(\"\"http://x.example\"\",\"\"点击\"\")\",13971234567,-\n\
@SUM,'name,+8613971234567,\"=cmd|' /C calc'!A0\"\n\
-3,\t=1,无,15972345678\n\
=bad,x,1,2,3\n";

fn audit(wd: &Workdir, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["audit", "c.csv", "--out", "out", "--lang", "en", "--exit-zero"];
    args.extend_from_slice(extra);
    let out = wd.run(&args);
    assert_exit(&out, 0);
    out
}

fn lines(wd: &Workdir, name: &str) -> Vec<String> {
    let text = wd.read_string(&format!("out/{name}"));
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    text.split("\r\n").map(str::to_string).collect()
}

#[test]
fn copied_cells_that_start_a_formula_get_a_quote_in_every_csv() {
    let wd = Workdir::new();
    wd.write("c.csv", FILE);
    audit(&wd, &["--quiet"]);
    let cleaned = lines(&wd, "cleaned.csv");
    assert_eq!(
        cleaned[1],
        "'=1+2,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点击\"\")\",13971234567,"
    );
    // A placeholder (`-`) and a text without a number (`无`) are taken out of the cleaned file; phone cells keep the canonical
    // form the tool wrote (not guarded), copied text is guarded.
    assert_eq!(cleaned[2], "'@SUM,''name,13971234567,");
    assert_eq!(cleaned[3], "'-3,'\t=1,,15972345678");
    // The malformed record is copied byte for byte, but for the quote at each field start.
    assert_eq!(cleaned[4], "'=bad,x,1,2,3");

    let numbers = lines(&wd, "numbers.csv");
    let e164 = numbers
        .iter()
        .find(|l| l.starts_with("3,2,"))
        .expect("the +86 number's row");
    assert!(
        e164.starts_with("3,2,'@SUM,手机,self,'+8613971234567,+8613971234567,13971234567,"),
        "{e164}"
    );

    let removed = lines(&wd, "removed.csv");
    assert!(
        removed.iter().any(|l| l.starts_with("2,1,'=1+2,紧急联系人电话,'-,'-,")),
        "{removed:?}"
    );
    assert!(
        removed
            .iter()
            .any(|l| l.starts_with("3,2,'@SUM,紧急联系人电话,A0,'=cmd|' /C calc'!A0,")),
        "{removed:?}"
    );
    let bad = lines(&wd, "bad_rows.csv");
    assert!(bad[1].ends_with(",\"'=bad,x,1,2,3\""), "{bad:?}");
    let customers = lines(&wd, "customers.csv");
    assert!(customers.iter().any(|l| l.starts_with("'=1+2,")), "{customers:?}");
}

#[test]
fn no_formula_guard_copies_cells_exactly() {
    let wd = Workdir::new();
    wd.write("c.csv", FILE);
    audit(&wd, &["--quiet", "--no-formula-guard"]);
    let cleaned = lines(&wd, "cleaned.csv");
    assert_eq!(
        cleaned[1],
        "=1+2,\"=HYPERLINK(\"\"http://x.example\"\",\"\"点击\"\")\",13971234567,"
    );
    assert_eq!(cleaned[4], "=bad,x,1,2,3");
    assert!(
        lines(&wd, "removed.csv")
            .iter()
            .any(|l| l.starts_with("2,1,=1+2,紧急联系人电话,-,-,"))
    );
}

#[test]
fn header_names_and_file_names_never_become_markup_or_escapes() {
    let wd = Workdir::new();
    let header = "id,\"手机|<script>alert(1)</script>\",\"紧急联系人电话 <img src=x onerror=alert(1)>\u{1b}[31m\"\n";
    wd.write("c.csv", format!("{header}1,13971234567,1397123456\n"));
    let out = audit(&wd, &[]);
    let md = wd.read_string("out/report.md");
    for text in [&md, &stdout(&out)] {
        assert!(!text.contains("<script>"), "{text}");
        assert!(!text.contains("<img"), "{text}");
        assert!(!text.contains('\u{1b}'), "ESC reached the output: {text:?}");
        assert!(text.contains("手机\\|&lt;script&gt;alert(1)&lt;/script&gt;"), "{text}");
    }
    // Every row of the column table keeps its seven cells.
    let rows: Vec<&str> = md.lines().filter(|l| l.contains("&lt;")).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 8, "{row}");
    }
}

/// Every input the fuzzer found a crash with (tests/data/fuzz/) runs through the binary to a
/// documented exit code, never a panic (exit 101).
#[test]
fn fuzz_findings_end_in_a_documented_exit() {
    let wd = Workdir::new();
    wd.write("c.csv", "客户编号,手机\nKH1,13971234567\n");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut runs = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        wd.write("found.csv", &bytes);
        for args in [
            &["audit", "c.csv", "--history", "found.csv", "--out", "h", "--quiet"][..],
            &["audit", "found.csv", "--out", "c", "--quiet"][..],
        ] {
            let out = wd.run(args);
            let code = out.status.code().expect("exited, not killed");
            assert!(
                (0..=3).contains(&code),
                "{} {args:?}: exit {code}\n{}",
                path.display(),
                crate::harness::stderr(&out)
            );
            runs += 1;
        }
    }
    assert!(runs >= 6, "the findings are there");
}

/// A message that quotes input (here the header names of a file with no phone column) shows
/// a control character as its escape: ESC never reaches the terminal.
#[test]
fn messages_that_quote_input_cannot_drive_the_terminal() {
    let wd = Workdir::new();
    wd.write("c.csv", "id,\u{1b}[2J\u{1b}[31mname\u{202e}\nKH1,x\n");
    let out = wd.run(&["audit", "c.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 2);
    let err = crate::harness::stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{202e}'), "{err:?}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
}
