//! `audit --xlsx`: cleaned.xlsx, numbers.xlsx and customers.xlsx read back with calamine.
//! Phone, raw, E.164 and national cells must be strings (Excel must never show 1.38E+10, drop
//! the + or the leading 0), every value must equal the CSV's (formula guard's quote included),
//! the header row and sheet names are as documented, and a run without --xlsx removes an
//! earlier run's workbooks. A snapshot pins the example's workbooks.

use std::fmt::Write as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::harness::{Workdir, assert_exit, stderr};

/// A contact file written byte for byte: mobiles, +86 numbers, a number Excel already turned
/// into 1.38001E+10, a landline that must keep its leading 0, and a formula cell.
const CONTACTS: &str = "客户编号,姓名,手机,住宅电话,紧急联系人电话\r\n\
    KH001,张三,13971234567,027-87654321,+8613971234567\r\n\
    KH002,=1+2,1.38001E+10,02787654321,13800138001\r\n\
    KH003,王五,+86 139 7123 4568,,13800138000\r\n";

/// The tool's own count columns, written as numbers; every other cell is a string.
const NUMERIC: [&str; 12] = [
    "line",
    "record",
    "attempts",
    "first_line",
    "records",
    "numbers",
    "valid_numbers",
    "own_valid",
    "family_valid",
    "contact_valid",
    "fields",
    "customers",
];

/// Every sheet of a workbook: its name and its cells.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

/// A CSV output's records, BOM dropped.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Asserts that the one sheet of `xlsx` holds exactly the CSV's values: strings as strings,
/// the count columns (`numeric`) as numbers, empty cells empty.
fn assert_same(wd: &Workdir, csv: &str, xlsx: &str, sheet: &str, numeric: bool) {
    let rows = csv_rows(&wd.path().join("out").join(csv));
    let book = sheets(&wd.path().join("out").join(xlsx));
    assert_eq!(book.len(), 1, "{xlsx}: one sheet");
    let (name, cells) = &book[0];
    assert_eq!(name, sheet, "{xlsx}: sheet name");
    assert_eq!(cells.len(), rows.len(), "{xlsx}: one row per CSV record");
    let header = &rows[0];
    for (r, (want, got)) in rows.iter().zip(cells).enumerate() {
        for (c, value) in want.iter().enumerate() {
            let cell = got.get(c).cloned().unwrap_or(Data::Empty);
            let expected = if value.is_empty() {
                Data::Empty
            } else if r > 0 && numeric && NUMERIC.contains(&header[c].as_str()) {
                Data::Float(value.parse().unwrap())
            } else {
                Data::String(value.clone())
            };
            assert_eq!(cell, expected, "{xlsx} row {r} column {}", header[c]);
        }
    }
}

/// The cell of `sheet` in the data row where `key` column equals `key_value`, column `col`.
fn cell<'a>(cells: &'a [Vec<Data>], key: &str, key_value: &str, col: &str) -> &'a Data {
    let header: Vec<String> = cells[0].iter().map(ToString::to_string).collect();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (k, c) = (at(key), at(col));
    let row = cells[1..]
        .iter()
        .find(|row| row[k] == Data::String(key_value.to_owned()))
        .unwrap_or_else(|| panic!("no row with {key} = {key_value}"));
    &row[c]
}

fn text(s: &str) -> Data {
    Data::String(s.to_owned())
}

#[test]
fn workbooks_hold_the_csv_values_with_phone_cells_as_text() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    let out = wd.run(&["audit", "contacts.csv", "--out", "out", "--quiet", "--xlsx"]);
    assert_exit(&out, 0);
    assert_same(&wd, "cleaned.csv", "cleaned.xlsx", "contacts", false);
    assert_same(&wd, "numbers.csv", "numbers.xlsx", "numbers", true);
    assert_same(&wd, "customers.csv", "customers.xlsx", "customers", true);

    let cleaned = &sheets(&wd.path().join("out/cleaned.xlsx"))[0].1;
    let header: Vec<Data> = ["客户编号", "姓名", "手机", "住宅电话", "紧急联系人电话"]
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(cleaned[0], header, "the input's column order");
    // The formula cell is copied with the guard's quote, as in cleaned.csv.
    assert_eq!(cell(cleaned, "客户编号", "KH002", "姓名"), &text("'=1+2"));
    assert_eq!(cell(cleaned, "客户编号", "KH002", "住宅电话"), &text("027-87654321"));

    let numbers = &sheets(&wd.path().join("out/numbers.xlsx"))[0].1;
    assert_eq!(cell(numbers, "raw", "1.38001E+10", "verdict"), &text("invalid"));
    // raw is copied from input: the guard's quote keeps it from being a formula, as in the CSV;
    // e164 is the tool's own and keeps its +.
    assert_eq!(cell(numbers, "raw", "'+8613971234567", "e164"), &text("+8613971234567"));
    assert_eq!(
        cell(numbers, "raw", "'+86 139 7123 4568", "e164"),
        &text("+8613971234568")
    );
    assert_eq!(cell(numbers, "raw", "13971234567", "national"), &text("13971234567"));
    assert_eq!(cell(numbers, "raw", "02787654321", "national"), &text("027-87654321"));
    assert_eq!(cell(numbers, "raw", "02787654321", "line"), &Data::Float(3.0));
}

#[test]
fn a_run_without_xlsx_removes_the_earlier_workbooks() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    assert_exit(
        &wd.run(&["audit", "contacts.csv", "--out", "out", "--quiet", "--xlsx"]),
        0,
    );
    assert!(wd.path().join("out/numbers.xlsx").is_file());
    let out = wd.run(&["audit", "contacts.csv", "--out", "out", "--quiet"]);
    assert_exit(&out, 0);
    for name in ["cleaned.xlsx", "numbers.xlsx", "customers.xlsx"] {
        assert!(!wd.path().join("out").join(name).exists(), "{name} removed");
    }
    let err = stderr(&out);
    assert!(
        err.contains("numbers.xlsx") && err.contains("(the earlier run had --xlsx)"),
        "{err}"
    );
    assert!(wd.path().join("out/numbers.csv").is_file());
}

#[test]
fn help_lists_the_workbooks() {
    let wd = Workdir::new();
    let help = crate::harness::stdout(&wd.run(&["audit", "--help"]));
    assert!(help.contains("numbers.xlsx") && help.contains("--xlsx"), "{help}");
}

/// A workbook as text: each sheet's name, then its rows, cells tagged `s:` (string) or `n:`
/// (number), `-` for empty; the first `limit` rows and the total.
fn book_text(path: &Path, limit: usize) -> String {
    let mut text = String::new();
    for (name, rows) in sheets(path) {
        let _ = writeln!(text, "sheet {name}: {} rows", rows.len());
        for row in rows.iter().take(limit) {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::String(s) => format!("s:{s}"),
                    Data::Float(f) => format!("n:{f}"),
                    Data::Empty => "-".to_owned(),
                    other => format!("?:{other:?}"),
                })
                .collect();
            text.push_str(&cells.join(" | "));
            text.push('\n');
        }
    }
    text
}

#[test]
fn the_example_workbooks() {
    let wd = Workdir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let contacts = format!("{root}/examples/contacts.csv");
    let calls = format!("{root}/examples/calls.csv");
    let args = [
        "audit",
        &contacts,
        "--history",
        &calls,
        "--out",
        "out",
        "--quiet",
        "--exit-zero",
        "--lang",
        "en",
        "--xlsx",
    ];
    assert_exit(&wd.run(&args), 0);
    for (csv, xlsx) in [
        ("numbers.csv", "numbers.xlsx"),
        ("cleaned.csv", "cleaned.xlsx"),
        ("customers.csv", "customers.xlsx"),
    ] {
        let name = if xlsx == "cleaned.xlsx" {
            "contacts"
        } else {
            &xlsx[..xlsx.len() - 5]
        };
        assert_same(&wd, csv, xlsx, name, xlsx != "cleaned.xlsx");
        insta::assert_snapshot!(
            format!("xlsx__{xlsx}"),
            book_text(&wd.path().join("out").join(xlsx), 40)
        );
    }
}

/// With `--lang zh` (here from the locale, as a clerk's machine has it) the tool's own
/// workbooks have Chinese headers and Chinese verdicts, statuses and actions, while the CSVs
/// keep the stable machine names; cells copied from input are never translated.
#[test]
fn chinese_workbooks_translate_headers_and_values_not_the_csvs() {
    let wd = Workdir::new();
    wd.write("contacts.csv", CONTACTS);
    let out = wd
        .command(&["audit", "contacts.csv", "--out", "out", "--quiet", "--xlsx"])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let numbers = &sheets(&wd.path().join("out/numbers.xlsx"))[0].1;
    let header: Vec<String> = numbers[0].iter().map(ToString::to_string).collect();
    assert_eq!(
        header[..7],
        ["行号", "记录号", "客户编号", "列", "关系", "原始内容", "E.164"],
        "{header:?}"
    );
    assert!(
        header.contains(&"结论".to_string()) && header.contains(&"问题".to_string()),
        "{header:?}"
    );
    assert_eq!(cell(numbers, "原始内容", "1.38001E+10", "结论"), &text("无效"));
    assert_eq!(cell(numbers, "原始内容", "13971234567", "关系"), &text("本人"));
    let customers = &sheets(&wd.path().join("out/customers.xlsx"))[0].1;
    assert_eq!(customers[0][0], text("客户编号"));
    // The CSVs are for machines: English names whatever the language.
    let csv = &csv_rows(&wd.path().join("out/numbers.csv"));
    assert_eq!(csv[0][0], "line");
    assert!(csv.iter().any(|r| r.contains(&"invalid".to_string())));
    // cleaned.xlsx keeps the input's own header.
    let cleaned = &sheets(&wd.path().join("out/cleaned.xlsx"))[0].1;
    assert_eq!(cleaned[0][0], text("客户编号"));
}
