//! Properties of the audit's outputs on random contact files, each run through the binary:
//! every CSV the tool writes reads back with the csv crate (one width per file), copies of
//! input text keep their bytes (the formula guard's quote is the one, documented change, and
//! undoing it gives the input back), and cleaned.csv plus removed.csv give back every phone
//! value of the input.

use std::collections::BTreeMap;

use contact_audit::phone::{Engine, Number};
use contact_audit::rules::RuleSet;
use proptest::prelude::*;

use crate::harness::{Workdir, assert_exit};

/// The header: id, name, then three phone columns (own, home, emergency contact).
const HEADER: [&str; 5] = ["客户编号", "姓名", "手机", "住宅电话", "紧急联系人电话"];
const PHONES: [usize; 3] = [2, 3, 4];

/// Pieces real cells are made of, hostile ones among them.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "1[3-9][0-9]{9}",
        "0(27|10|851|755)-?[2-8][0-9]{6,7}",
        "\\+86 ?1[3-9][0-9] ?[0-9]{4} ?[0-9]{4}",
        "[0-9]{3,12}",
        Just("1.38001E+10".to_string()),
        Just("无".to_string()),
        Just("=HYPERLINK(\"http://x.example\",\"点击\")".to_string()),
        Just("=1+2".to_string()),
        Just("-".to_string()),
        Just("@SUM(A1)".to_string()),
        Just("'quoted".to_string()),
        Just("\t=1".to_string()),
        Just("a\nb".to_string()),
        Just("a\r\nb".to_string()),
        Just("x,y".to_string()),
        Just("say \"hi\"".to_string()),
        Just("027-87654321转8001".to_string()),
        Just(" ".to_string()),
    ]
}

/// A cell: a few pieces joined by the separators clerks use, or nothing.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        4 => prop::collection::vec((piece(), prop::sample::select(vec!["/", "、", " ", ";", ""])), 1..3)
            .prop_map(|parts| parts.into_iter().map(|(p, sep)| p + sep).collect::<String>()),
    ]
}

/// A contact file's records: id, name and three phone cells each.
fn records() -> impl Strategy<Value = Vec<[String; 5]>> {
    prop::collection::vec(
        ("KH[0-9]{3}|=id|-1", cell(), cell(), cell(), cell()).prop_map(|(id, name, a, b, c)| [id, name, a, b, c]),
        1..12,
    )
}

/// The file as a spreadsheet or CRM writes it, with the given terminator.
fn write_file(records: &[[String; 5]], crlf: bool) -> Vec<u8> {
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for r in records {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// Reads an output back with the csv crate (not the tool's reader); every row must have the
/// header's width.
fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    reader
        .records()
        .map(|r| {
            r.expect("every output reads back as CSV")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Undoes the formula guard: a copied cell that starts with a quote had one added.
fn unguard(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn canonical(engine: &Engine<'_>, cell: &str) -> Vec<String> {
    let mut forms: Vec<String> = engine.check(cell).numbers.iter().map(Number::cleaned).collect();
    forms.sort();
    forms
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn outputs_read_back_and_give_back_every_input_cell(records in records(), crlf in any::<bool>()) {
        let wd = Workdir::new();
        wd.write("c.csv", write_file(&records, crlf));
        let out = wd.run(&["audit", "c.csv", "--out", "out", "--quiet", "--lang", "en", "--exit-zero"]);
        assert_exit(&out, 0);
        let mut tables = BTreeMap::new();
        for name in ["cleaned", "numbers", "removed", "customers", "bad_rows", "shared"] {
            let rows = read_back(&wd.read(&format!("out/{name}.csv")));
            let width = rows[0].len();
            prop_assert!(rows.iter().all(|r| r.len() == width), "{name}.csv has one width");
            tables.insert(name, rows);
        }
        prop_assert_eq!(tables["bad_rows"].len(), 1, "no record is malformed");
        let cleaned = &tables["cleaned"];
        prop_assert_eq!(&cleaned[0], &HEADER.map(String::from).to_vec());
        prop_assert_eq!(cleaned.len(), records.len() + 1);

        // removed.csv, by (line, column): the values taken out and the whole cell.
        let removed = &tables["removed"];
        let col = |name: &str| removed[0].iter().position(|h| h == name).unwrap();
        let (line, column, raw, whole) = (col("line"), col("column"), col("raw"), col("cell"));
        let mut taken: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
        for r in &removed[1..] {
            let value = (unguard(&r[raw]).to_string(), unguard(&r[whole]).to_string());
            taken.entry((r[line].clone(), r[column].clone())).or_default().push(value);
        }

        let rules = RuleSet::embedded();
        let engine = Engine::new(&rules);
        let mut line_no = 2;
        for (input, output) in records.iter().zip(&cleaned[1..]) {
            for i in 0..HEADER.len() {
                if !PHONES.contains(&i) {
                    prop_assert_eq!(unguard(&output[i]), input[i].as_str(), "copied field {} byte for byte", i);
                    continue;
                }
                let gone = taken.remove(&(line_no.to_string(), HEADER[i].to_string())).unwrap_or_default();
                for (value, whole) in &gone {
                    prop_assert_eq!(whole, &input[i], "removed.csv holds the whole cell byte for byte");
                    prop_assert!(input[i].contains(value.as_str()), "{:?} is part of {:?}", value, input[i]);
                }
                let mut back = canonical(&engine, unguard(&output[i]));
                // A removed value is read as it stood in its cell: `8715374` after
                // `027-73998079` takes that area code (landline.area_inherited), which the
                // bare fragment alone would not.
                let mut in_cell: Vec<(String, String)> = engine
                    .check(&input[i])
                    .numbers
                    .iter()
                    .map(|n| (n.raw(&input[i]).to_string(), n.cleaned()))
                    .collect();
                for (value, _) in &gone {
                    match in_cell.iter().position(|(raw, _)| raw == value) {
                        Some(at) => back.push(in_cell.remove(at).1),
                        None => back.extend(canonical(&engine, value)),
                    }
                }
                back.sort();
                let kept_text = unguard(&output[i]);
                if canonical(&engine, &input[i]).is_empty() && gone.is_empty() && !input[i].trim().is_empty() {
                    prop_assert_eq!(kept_text, input[i].as_str(), "a cell with no number is kept byte for byte");
                }
                prop_assert_eq!(back, canonical(&engine, &input[i]), "cell {:?}", input[i]);
            }
            line_no += 1 + input.iter().map(|f| f.matches('\n').count()).sum::<usize>();
        }
        prop_assert!(taken.is_empty(), "every removed row belongs to an input cell: {:?}", taken);
    }
}

/// The case the property above once found: a bare local number after a landline takes its area
/// code; removed.csv keeps the fragment as written and the whole cell, and numbers.csv the number
/// it was read as.
#[test]
fn a_removed_number_that_inherited_its_area_code_reads_back_from_its_cell() {
    let wd = Workdir::new();
    wd.write("c.csv", "客户编号,住宅电话\nKH1,027-73998079 8715374/\n");
    assert_exit(&wd.run(&["audit", "c.csv", "--out", "o", "--quiet", "--exit-zero"]), 0);
    let removed = wd.read_string("o/removed.csv");
    let row = removed.lines().nth(1).expect("one removed value");
    assert!(
        row.contains(",8715374,") && row.contains("027-73998079 8715374/"),
        "{row}"
    );
    let numbers = wd.read_string("o/numbers.csv");
    assert!(numbers.contains(",027-8715374,"), "{numbers}");
    let cleaned = wd.read_string("o/cleaned.csv");
    assert!(
        cleaned.lines().nth(1).is_some_and(|l| l.ends_with(",027-73998079")),
        "{cleaned}"
    );
}
