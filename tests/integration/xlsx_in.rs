//! Excel input (issue 9): workbooks built the way Excel stores a contact list, audited.
//!
//! Excel keeps a number typed into a General cell as an IEEE double: the mobile 13971234567
//! is the float 13971234567.0 (shown as 1.39712E+10 in a narrow column, every digit still
//! stored), and the landline 027-87654321 typed as a number is 2787654321.0, its 0 gone. A
//! CSV saved from such a sheet writes the display text, `1.38001E+10`, whose digits are gone
//! for good (normalisation checklist, "Float artefacts" and "Leading zero lost"). So: a float
//! holding every digit is repaired with a warning (`format.excel_numeric`), a lost 0 is put
//! back (`landline.trunk_missing`), and only text that lost its digits is
//! `format.excel_scientific`. Bank exports put a title and a blank row above the header.
//!
//! The `.xlsx` fixtures are built here with rust_xlsxwriter; the `.xls` one (OLE, BIFF8) is
//! tests/data/xlsx/contacts.xls, made by tests/data/xlsx/make_xls.py with xlwt.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::harness::{Workdir, assert_exit, stderr};

/// A cell as Excel would hold it.
enum C {
    /// Text.
    S(&'static str),
    /// A number.
    N(f64),
    /// A date-time (y, m, d, h, min), shown day-first: `03/11/2026 19:05`.
    D(u16, u8, u8, u16, u8),
}

/// Writes `rows` into `sheet`, from A1; an empty row is a blank row.
fn fill(sheet: &mut Worksheet, rows: &[&[C]]) -> Result<(), XlsxError> {
    let shown = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (at_row, cells) in rows.iter().enumerate() {
        for (at_col, cell) in cells.iter().enumerate() {
            let (row, col) = (at_row as u32, at_col as u16);
            match cell {
                C::S(text) => sheet.write_string(row, col, *text)?,
                C::N(number) => sheet.write_number(row, col, *number)?,
                C::D(year, month, day, hour, min) => {
                    let time = ExcelDateTime::from_ymd(*year, *month, *day)?.and_hms(*hour, *min, 0)?;
                    sheet.write_datetime_with_format(row, col, &time, &shown)?
                }
            };
        }
    }
    Ok(())
}

/// A workbook of `sheets` (name, rows) at `path`.
fn book(path: &Path, sheets: &[(&str, &[&[C]])]) {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        fill(sheet, rows).unwrap();
    }
    book.save(path).unwrap();
}

/// A bank export: a title in A1, a blank row, the header on row 3 with an English id, and
/// phones stored as Excel stores them.
fn bank_export(path: &Path) {
    use C::{N, S};
    book(
        path,
        &[(
            "名单",
            &[
                &[S("XX银行逾期客户名单 2026-11")],
                &[],
                &[S("Loan No"), S("姓名"), S("手机"), S("住宅电话"), S("紧急联系人电话")],
                // A float with every digit, a landline that lost its 0, a text cell.
                &[
                    S("L001"),
                    S("张三"),
                    N(13_971_234_567.0),
                    N(2_787_654_321.0),
                    S("15972345678"),
                ],
                // Text saved from a narrow column: the digits are gone.
                &[
                    S("L002"),
                    S("李四"),
                    S("1.38001E+10"),
                    S("027-87654321"),
                    N(18_627_001_234.0),
                ],
                &[],
                // A numeric loan number is its digits, never 10003.0.
                &[N(10_003.0), S("王五"), S("+86 139 7123 4568"), S(""), S("")],
            ],
        )],
    );
}

fn audit(wd: &Workdir, input: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["audit", input, "--out", "out", "--quiet"];
    args.extend_from_slice(extra);
    wd.run(&args)
}

/// An output CSV's records (BOM dropped), each as its fields.
fn csv(wd: &Workdir, name: &str) -> Vec<Vec<String>> {
    let text = wd.read_string(&format!("out/{name}"));
    let body = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// numbers.csv as (line, customer, column, raw, e164, verdict, issues).
fn numbers(wd: &Workdir) -> Vec<[String; 7]> {
    let rows = csv(wd, "numbers.csv");
    let at = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let cols = ["line", "customer_id", "column", "raw", "e164", "verdict", "issues"].map(at);
    rows[1..].iter().map(|r| cols.map(|c| r[c].clone())).collect()
}

fn summary(wd: &Workdir) -> serde_json::Value {
    serde_json::from_str(&wd.read_string("out/summary.json")).unwrap()
}

fn row(cells: [&str; 7]) -> [String; 7] {
    cells.map(str::to_string)
}

#[test]
fn a_bank_export_is_audited_from_its_stored_values() {
    let wd = Workdir::new();
    bank_export(&wd.path().join("export.xlsx"));
    let out = audit(&wd, "export.xlsx", &[]);
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("export.xlsx, sheet 名单: the header is on row 3")
            && err.contains("1: `XX银行逾期客户名单 2026-11`"),
        "{err}"
    );
    let got = numbers(&wd);
    let want = [
        [
            "4",
            "L001",
            "手机",
            "13971234567",
            "+8613971234567",
            "warn",
            "format.excel_numeric",
        ],
        [
            "4",
            "L001",
            "住宅电话",
            "2787654321",
            "+862787654321",
            "warn",
            "format.excel_numeric;landline.trunk_missing",
        ],
        ["4", "L001", "紧急联系人电话", "15972345678", "+8615972345678", "ok", ""],
        [
            "5",
            "L002",
            "手机",
            "1.38001E+10",
            "",
            "invalid",
            "format.excel_scientific",
        ],
        ["5", "L002", "住宅电话", "027-87654321", "+862787654321", "ok", ""],
        [
            "5",
            "L002",
            "紧急联系人电话",
            "18627001234",
            "+8618627001234",
            "warn",
            "format.excel_numeric",
        ],
        // numbers.csv's formula guard quotes a cell that starts with +.
        ["7", "10003", "手机", "'+86 139 7123 4568", "+8613971234568", "ok", ""],
    ]
    .map(row);
    assert_eq!(got, want);
    // cleaned.csv holds the cells as text: the header row, no title, numbers as digits.
    let cleaned = csv(&wd, "cleaned.csv");
    assert_eq!(cleaned[0], ["Loan No", "姓名", "手机", "住宅电话", "紧急联系人电话"]);
    assert_eq!(cleaned[1][..4], ["L001", "张三", "13971234567", "027-87654321"]);
    assert_eq!(cleaned[3][0], "10003");
    let s = summary(&wd);
    assert_eq!(s["input"]["encoding_source"], "workbook");
    assert_eq!(s["input"]["rows"], 3);
    assert_eq!(s["numbers"]["by_issue"]["format.excel_numeric"], 3);
    assert_eq!(s["numbers"]["by_issue"]["format.excel_scientific"], 1);
    // A row Excel does not fill to the end is not a short row.
    assert!(s["numbers"]["by_issue"].get("row.short").is_none(), "{s:#}");
    let numbers_csv = wd.read_string("out/numbers.csv");
    insta::assert_snapshot!("xlsx_in_numbers", numbers_csv.replace("\r\n", "\n"));
    insta::assert_snapshot!("xlsx_in_summary", redacted(&wd.read_string("out/summary.json")));
}

/// summary.json without what changes with the writer's version and the clock: the
/// workbook's bytes and hash, and the run's start.
fn redacted(text: &str) -> String {
    text.lines()
        .map(|l| {
            let key = l.trim_start().split(':').next().unwrap_or("");
            match key {
                "\"bytes\"" | "\"sha256\"" | "\"input_sha256\"" | "\"started\"" => {
                    let comma = if l.ends_with(',') { "," } else { "" };
                    format!("{}: \"[redacted]\"{comma}", &l[..l.find(':').unwrap()])
                }
                _ => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_xls_workbook_is_read_alike() {
    let wd = Workdir::new();
    let xls = format!("{}/tests/data/xlsx/contacts.xls", env!("CARGO_MANIFEST_DIR"));
    // Told by content: the name says CSV.
    std::fs::copy(&xls, wd.path().join("contacts.csv")).unwrap();
    let out = audit(&wd, "contacts.csv", &[]);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("the header is on row 3"), "{}", stderr(&out));
    let got = numbers(&wd);
    let want = [
        [
            "4",
            "L001",
            "手机",
            "13971234567",
            "+8613971234567",
            "warn",
            "format.excel_numeric",
        ],
        [
            "4",
            "L001",
            "住宅电话",
            "2787654321",
            "+862787654321",
            "warn",
            "format.excel_numeric;landline.trunk_missing",
        ],
        [
            "5",
            "L002",
            "手机",
            "1.38001E+10",
            "",
            "invalid",
            "format.excel_scientific",
        ],
        ["5", "L002", "住宅电话", "027-87654321", "+862787654321", "ok", ""],
    ]
    .map(row);
    assert_eq!(got, want);
}

/// A workbook whose first sheet is notes and whose second holds the contacts.
fn two_sheets(path: &Path) {
    use C::{N, S};
    book(
        path,
        &[
            ("说明", &[&[S("本文件由系统导出")], &[S("字段说明：手机为客户本人")]]),
            ("客户", &[&[S("客户编号"), S("手机")], &[S("K1"), N(13_971_234_567.0)]]),
        ],
    );
}

#[test]
fn a_sheet_is_chosen_by_name_or_number() {
    let wd = Workdir::new();
    two_sheets(&wd.path().join("book.xlsm"));
    for sheet in ["客户", "2"] {
        assert_exit(&audit(&wd, "book.xlsm", &["--sheet", sheet]), 0);
        assert_eq!(numbers(&wd).len(), 1, "--sheet {sheet}");
        assert_eq!(numbers(&wd)[0][1], "K1");
    }
    // The first sheet is read by default: it names no phone column.
    let first = audit(&wd, "book.xlsm", &[]);
    assert_exit(&first, 2);
    assert!(stderr(&first).contains("no phone column"), "{}", stderr(&first));
    let missing = audit(&wd, "book.xlsm", &["--sheet", "Sheet3"]);
    assert_exit(&missing, 2);
    let err = stderr(&missing);
    assert!(
        err.contains("--sheet `Sheet3`") && err.contains("1=说明, 2=客户"),
        "{err}"
    );
}

#[test]
fn header_row_overrides_detection_in_a_csv_too() {
    let wd = Workdir::new();
    wd.write("bank.csv", "XX银行逾期客户名单\n\n客户编号,手机\nK1,13971234567\n");
    // Detected: the title is skipped and said.
    let out = audit(&wd, "bank.csv", &[]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("bank.csv: the header is on row 3"),
        "{}",
        stderr(&out)
    );
    assert_eq!(numbers(&wd)[0][..3], row(["4", "K1", "手机", "", "", "", ""])[..3]);
    // Given: nothing to say.
    let given = audit(&wd, "bank.csv", &["--header-row", "3"]);
    assert_exit(&given, 0);
    assert!(!stderr(&given).contains("title"), "{}", stderr(&given));
    assert_eq!(numbers(&wd)[0][0], "4");
    // A header row that is blank or past the end is a usage error.
    for n in ["2", "9"] {
        let bad = audit(&wd, "bank.csv", &["--header-row", n]);
        assert_exit(&bad, 2);
        assert!(stderr(&bad).contains(&format!("--header-row {n}")), "{}", stderr(&bad));
    }
    // And in a workbook, the row given is the header even when a later one looks more like it.
    bank_export(&wd.path().join("export.xlsx"));
    let wrong = audit(&wd, "export.xlsx", &["--header-row", "1"]);
    assert_exit(&wrong, 2);
    assert!(stderr(&wrong).contains("no phone column"), "{}", stderr(&wrong));
}

#[test]
fn a_call_log_in_a_workbook_is_read_from_its_date_values() {
    use C::{D, N, S};
    let wd = Workdir::new();
    wd.write("c.csv", "客户编号,手机\nK1,13971234567\nK2,18627001234\n");
    // Shown day-first (03/11/2026 19:05), which read as text could be 11 March: the stored
    // value says 3 November.
    book(
        &wd.path().join("calls.xlsx"),
        &[
            ("说明", &[&[S("呼叫记录导出")]]),
            (
                "呼叫记录",
                &[
                    &[S("被叫号码"), S("呼叫时间"), S("呼叫结果"), S("通话时长")],
                    &[S("13971234567"), D(2026, 11, 3, 19, 5), S("无人接听"), N(0.0)],
                    &[N(18_627_001_234.0), D(2026, 11, 2, 8, 0), S("已接通"), N(65.0)],
                ],
            ),
        ],
    );
    let out = audit(&wd, "c.csv", &["--history", "calls.xlsx", "--sheet", "呼叫记录"]);
    assert_exit(&out, 0);
    let s = summary(&wd);
    assert_eq!(s["calls"]["attempts"], 2, "{s:#}");
    assert_eq!(s["calls"]["unreadable"], 0);
    assert_eq!(s["calls"]["matched"], 2);
    let text = wd.read_string("out/summary.json");
    assert!(text.contains("\"as_of\": \"2026-11-03 19:05\""), "{text}");
}

#[test]
fn unreadable_workbooks_say_why() {
    let wd = Workdir::new();
    // A ZIP that names workbook parts but holds none of them.
    wd.write(
        "broken.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml PK\x03\x04 xl/workbook.xml",
    );
    // An OLE signature and nothing after it: detected from the header, then refused.
    wd.write(
        "broken.xls",
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    );
    for (name, kind) in [("broken.xlsx", "(.xlsx)"), ("broken.xls", "(.xls)")] {
        let out = audit(&wd, name, &[]);
        assert_exit(&out, 3);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{name}: cannot be read as an Excel workbook {kind}")),
            "{err}"
        );
        assert!(!wd.path().join("out").exists(), "nothing is written for {name}");
    }
    book(&wd.path().join("empty.xlsx"), &[("空", &[])]);
    let empty = audit(&wd, "empty.xlsx", &[]);
    assert_exit(&empty, 3);
    assert!(
        stderr(&empty).contains("empty.xlsx, sheet 空: the sheet is empty"),
        "{}",
        stderr(&empty)
    );
}

#[test]
fn with_phone_columns_the_header_is_the_row_that_has_them() {
    let wd = Workdir::new();
    // No phone word in the header, and a note in the data that has one.
    wd.write(
        "odd.csv",
        "导出清单\nid,contact,note\n1,13971234567,电话 已核实\n2,15972345678,x\n",
    );
    let out = audit(&wd, "odd.csv", &["--phone-columns", "contact"]);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("the header is on row 2"), "{}", stderr(&out));
    let got = numbers(&wd);
    assert_eq!((got.len(), got[0][0].as_str(), got[0][1].as_str()), (2, "3", "1"));
}
